/* gen-db.c — a touchbase database of N contacts, for end-to-end
 * benchmarks (bench-export.sh, run.sh). Written through the store API, in
 * one transaction in bulk mode (the import's).
 *
 *   gen-db DB_PATH [N] [due|waiting]
 *
 * due (the default): created 31–90 days ago with the 30-day default
 * interval, so all are due; one in four has a goal.
 * waiting: created now, every 7–90 days (by the id), so none is due for
 * a week: an idle daemon has nothing to do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gen-db"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb-store.h"

#define DAY ((gint64) 86400)

static int
fail (GError *error)
{
  fprintf (stderr, "gen-db: %s\n", error->message);
  return 1;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 30000;
  gboolean waiting = argc > 3 && strcmp (argv[3], "waiting") == 0;

  if (argc < 2 || (argc > 3 && !waiting && strcmp (argv[3], "due") != 0))
    {
      fprintf (stderr, "usage: gen-db DB_PATH [N] [due|waiting]\n");
      return 2;
    }
  store = tb_store_open (argv[1], &error);
  if (store == NULL || !tb_store_begin (store, &error))
    return fail (error);
  tb_store_set_bulk (store, TRUE, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TbContact) c = tb_contact_new ();
      char *tags[] = { "work", NULL };
      gint64 id;

      c->name = g_strdup_printf ("Person %u", i);
      c->url = g_strdup_printf ("https://www.linkedin.com/in/person-%u", i);
      c->company = g_strdup ("Example Corp");
      c->position = g_strdup ("Engineer");
      c->source = g_strdup ("linkedin");
      c->tags = g_strdupv (tags);
      if (waiting)
        {
          c->created_at = now;
          c->interval = (7 + i % 84) * DAY;
        }
      else
        /* Created 31 to 90 days ago with the 30-day default: all due. */
        c->created_at = now - (31 + i % 60) * DAY;
      id = tb_store_add_contact (store, c, FALSE, now, &error);
      if (id == 0)
        return fail (error);
      if (!waiting && i % 4 == 0
          && tb_store_add_fact (store, id, TB_FACT_GOAL, "grow the team", now,
                                &error)
                 == 0)
        return fail (error);
    }
  if (!tb_store_set_bulk (store, FALSE, &error)
      || !tb_store_commit (store, &error))
    return fail (error);
  tb_store_trim_wal (store);
  return 0;
}
