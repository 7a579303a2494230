/* bench-resolve.c — naming a contact (tb_store_resolve,
 * tb_store_match_contacts) among many imported connections.
 *
 *   bench-resolve [--contacts N] [--runs R] [--db PATH]
 *
 * Writes N not-tracked connections with LinkedIn-like names (first names
 * of bench/gen-linkedin.py, made-up surnames, seven more "Zoë Martin")
 * and two tracked contacts added by hand, Zoë Martin and Ana Silva, to a
 * temporary database (or to PATH, reused when it exists), then prints the
 * median wall time of R runs of each look-up, and of the instr() scan of
 * the whole table that resolving did before, for comparison.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tb-error.h"
#include "tb-store-private.h"
#include "tb-store-names.h"

static const char *const first_names[]
    = { "Ana",   "Bruno",   "Chen", "Dana",  "Émilie", "Farid",
        "Greta", "Hiro",    "Ines", "Jonas", "Kwame",  "Lena",
        "Maya",  "Nikolai", "Olu",  "Paula", "Quinn",  "Ragnar",
        "Sunny", "Tomás",   "Yuki", "Zoë" };
static const char *const syllables[]
    = { "ka",  "ro", "mi", "ten", "sa", "lo", "ber", "an", "ni", "vo",
        "ste", "gu", "de", "rin", "ma", "tu", "fel", "o",  "li", "ze" };

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
add_one (TbStore *store, const char *name, const char *company,
         TbTracking tracking, gint64 now, GError **error)
{
  g_autoptr (TbContact) c = tb_contact_new ();

  c->name = g_strdup (name);
  c->company = g_strdup (company);
  c->source
      = g_strdup (tracking == TB_TRACKING_TRACKED ? "manual" : "linkedin");
  c->tracking = tracking;
  return tb_store_add_contact (store, c, tracking != TB_TRACKING_TRACKED, now,
                               error)
         != 0;
}

static gboolean
fill (TbStore *store, int n, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GRand *rand = g_rand_new_with_seed (1);
  gboolean ok = TRUE;

  if (!tb_store_begin (store, error))
    return FALSE;
  tb_store_set_bulk (store, TRUE, NULL);
  ok = add_one (store, "Zoë Martin", "Acme", TB_TRACKING_TRACKED, now, error)
       && add_one (store, "Ana Silva", "Solara", TB_TRACKING_TRACKED, now,
                   error);
  for (int i = 0; ok && i < n; i++)
    {
      g_autoptr (GString) name = g_string_new (
          first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))]);
      int n_syllables = g_rand_int_range (rand, 2, 5);

      if (i % (n / 7 + 1) == 0)
        g_string_assign (name, "Zoë Martin");
      else
        {
          g_string_append_c (name, ' ');
          for (int s = 0; s < n_syllables; s++)
            g_string_append (name, syllables[g_rand_int_range (
                                       rand, 0, G_N_ELEMENTS (syllables))]);
          /* A capital, as people write names. */
          {
            char *surname = strrchr (name->str, ' ') + 1;

            *surname = g_ascii_toupper (*surname);
          }
        }
      ok = add_one (store, name->str, "Northwind Labs", TB_TRACKING_NOT_TRACKED,
                    now, error);
    }
  tb_store_set_bulk (store, FALSE, NULL);
  g_rand_free (rand);
  if (!ok)
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

typedef enum
{
  RESOLVE,
  MATCH,
  OLD_SCAN,
} Kind;

static double
time_one (TbStore *store, Kind kind, const char *query, int runs,
          char **outcome)
{
  g_autofree double *times = g_new (double, runs);

  for (int r = 0; r < runs; r++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();

      g_clear_pointer (outcome, g_free);
      if (kind == RESOLVE)
        {
          gint64 id = tb_store_resolve (store, query, &error);

          *outcome = id != 0 ? g_strdup_printf ("id %" G_GINT64_FORMAT, id)
                     : g_error_matches (error, TB_ERROR, TB_ERROR_AMBIGUOUS)
                         ? g_strdup ("ambiguous")
                         : g_strdup (error->message);
        }
      else if (kind == MATCH)
        {
          guint total = 0;
          g_autoptr (GPtrArray) c
              = tb_store_match_contacts (store, query, 10, &total, &error);

          *outcome = g_strdup_printf ("%u of %u", c ? c->len : 0, total);
        }
      else
        {
          /* What tb_store_resolve asked before tiers: every row. */
          g_autoptr (TbStmt) stmt = tb_store_prepare (
              store,
              "SELECT count(*) FROM contacts WHERE instr(name_key, ?1) > 0",
              NULL);

          sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
          sqlite3_step (stmt);
          *outcome = g_strdup_printf ("%d rows", sqlite3_column_int (stmt, 0));
        }
      times[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (times, runs, sizeof (double), cmp_double);
  return times[runs / 2];
}

int
main (int argc, char **argv)
{
  static const struct
  {
    Kind kind;
    const char *query;
    const char *what;
  } cases[] = {
    { RESOLVE, "zoe", "a tracked first name (151-fold at 30k)" },
    { RESOLVE, "Zoë Martin", "a tracked whole name, 7 not tracked alike" },
    { RESOLVE, "silva", "a tracked surname" },
    { RESOLVE, "greta", "only not-tracked matches: ambiguous" },
    { RESOLVE, "qqqq", "nothing matches" },
    { MATCH, "zoe", "MatchContacts, limit 10, tracked tier" },
    { MATCH, "greta", "MatchContacts, limit 10, the others' tier" },
    { OLD_SCAN, "zoe", "before: instr() over every row" },
  };
  int n = 30000, runs = 5;
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "contacts", 'n', 0, G_OPTION_ARG_INT, &n, "Connections", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Runs", "R" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db, "Database to keep", "PATH" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gboolean fresh;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || n < 1 || runs < 1)
    {
      g_printerr ("bench-resolve: %s\n",
                  error ? error->message : "bad arguments");
      return 2;
    }
  if (db == NULL)
    {
      dir = g_dir_make_tmp ("tb-bench-resolve-XXXXXX", &error);
      if (dir == NULL)
        {
          g_printerr ("bench-resolve: %s\n", error->message);
          return 1;
        }
      path = g_build_filename (dir, "touchbase.db", NULL);
    }
  else
    path = g_strdup (db);
  fresh = !g_file_test (path, G_FILE_TEST_EXISTS);
  store = tb_store_open (path, &error);
  if (store == NULL || (fresh && !fill (store, n, &error)))
    {
      g_printerr ("bench-resolve: %s\n", error->message);
      return 1;
    }
  printf ("%s: %s\n", path, fresh ? "written" : "reused");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *outcome = NULL;
      double ms
          = time_one (store, cases[i].kind, cases[i].query, runs, &outcome);

      printf ("%8.2f ms  %-12s %-42s %s\n", ms, cases[i].query, cases[i].what,
              outcome);
    }
  g_clear_pointer (&store, tb_store_free);
  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (path);
      g_rmdir (dir);
    }
  return 0;
}
