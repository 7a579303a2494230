/* gen-db.c — a touchbase database of N due contacts, for end-to-end
 * benchmarks (bench-export.sh). Written through the store API, in one
 * transaction.
 *
 *   gen-db DB_PATH [N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gen-db"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tb-store.h"

#define DAY ((gint64) 86400)

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 30000;

  if (argc < 2)
    {
      fprintf (stderr, "usage: gen-db DB_PATH [N]\n");
      return 2;
    }
  store = tb_store_open (argv[1], &error);
  if (store == NULL || !tb_store_begin (store, &error))
    {
      fprintf (stderr, "gen-db: %s\n", error->message);
      return 1;
    }
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
      /* Created 31 to 90 days ago with the 30-day default: all due. */
      c->created_at = now - (31 + i % 60) * DAY;
      id = tb_store_add_contact (store, c, FALSE, now, &error);
      if (id == 0)
        {
          fprintf (stderr, "gen-db: %s\n", error->message);
          return 1;
        }
      if (i % 4 == 0
          && tb_store_add_fact (store, id, TB_FACT_GOAL, "grow the team", now,
                                &error)
                 == 0)
        {
          fprintf (stderr, "gen-db: %s\n", error->message);
          return 1;
        }
    }
  if (!tb_store_commit (store, &error))
    {
      fprintf (stderr, "gen-db: %s\n", error->message);
      return 1;
    }
  return 0;
}
