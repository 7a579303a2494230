/* bench-intros.c — tb_intros_suggest() over a synthetic network.
 *
 *   bench-intros [--contacts N] [--facts F] [--runs R] [--limit L] [--store]
 *
 * With --store, the network is first written to a temporary database and
 * each run is what the daemon's SuggestIntros does before replying: load
 * the contacts with their facts and tags (tb_store_load_for_matching), read
 * the exclusions, then match.
 *
 * Prints the median wall time of R runs; exits 1 when it is over the
 * target (1 s for 30,000 contacts with five facts each) so a regression
 * shows up in `meson test --benchmark`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-bench"

#include "config.h"

#include <stdio.h>
#include <time.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "bench-gen.h"
#include "tb-intros.h"
#include "tb-store.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int
main (int argc, char **argv)
{
  int n = 30000, facts = 5, runs = 5, limit = 20;
  double target = 1.0;
  gboolean use_store = FALSE;
  g_autoptr (TbStore) store = NULL;
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    { "contacts", 'n', 0, G_OPTION_ARG_INT, &n, "Contacts", "N" },
    { "facts", 'f', 0, G_OPTION_ARG_INT, &facts, "Facts per contact", "F" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Runs", "R" },
    { "limit", 'l', 0, G_OPTION_ARG_INT, &limit, "Suggestions (0: all)", "L" },
    { "target", 't', 0, G_OPTION_ARG_DOUBLE, &target, "Seconds", "S" },
    { "store", 's', 0, G_OPTION_ARG_NONE, &use_store,
      "Load from a database in each run", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GHashTable) excluded = tb_intros_exclusions_new ();
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  g_autofree double *load_cpu = NULL;
  guint n_found = 0;
  double median;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || n < 2 || facts < 1
      || runs < 1 || limit < 0)
    {
      g_printerr ("bench-intros: %s\n",
                  error ? error->message : "bad arguments");
      return 2;
    }

  contacts = tb_bench_generate_contacts (n, facts, 42);
  /* a realistic few hundred pairs already made or declined */
  for (int i = 1; i + 1 < n && i < 600; i += 2)
    tb_intros_exclude (excluded, i, i + 1);

  if (use_store)
    {
      g_autofree char *path = NULL;
      gint64 t0;

      dir = g_dir_make_tmp ("tb-bench-XXXXXX", &error);
      path = dir ? g_build_filename (dir, "touchbase.db", NULL) : NULL;
      store = path ? tb_store_open (path, &error) : NULL;
      if (store == NULL || !tb_store_begin (store, &error))
        {
          g_printerr ("bench-intros: %s\n", error->message);
          return 2;
        }
      t0 = g_get_monotonic_time ();
      /* An import's bulk mode: the search index in one statement. */
      tb_store_set_bulk (store, TRUE, NULL);
      for (guint i = 0; i < contacts->len; i++)
        {
          if (tb_store_add_contact (store, g_ptr_array_index (contacts, i),
                                    TRUE, 1700000000, &error)
              == 0)
            {
              g_printerr ("bench-intros: %s\n", error->message);
              return 2;
            }
        }
      if (!tb_store_set_bulk (store, FALSE, &error)
          || !tb_store_commit (store, &error))
        {
          g_printerr ("bench-intros: %s\n", error->message);
          return 2;
        }
      printf ("stored %u contacts in %.3f s\n", contacts->len,
              (g_get_monotonic_time () - t0) / 1e6);
      for (int i = 1; i + 1 < n && i < 600; i += 2)
        tb_store_record_intro (store, i, i + 1, TB_INTRO_DECLINED, NULL,
                               1700000000, NULL);
    }

  times = g_new (double, runs);
  load_cpu = g_new0 (double, runs);
  cpu = g_new (double, runs);
  for (int r = 0; r < runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_seconds ();
      g_autoptr (GPtrArray) s = NULL;

      if (store != NULL)
        {
          g_autoptr (GPtrArray) loaded
              = tb_store_load_for_matching (store, &error);
          load_cpu[r] = cpu_seconds () - c0;
          g_autoptr (GHashTable) ex
              = loaded ? tb_store_intro_exclusions (store, G_MAXINT64, &error)
                       : NULL;

          if (ex == NULL)
            {
              g_printerr ("bench-intros: %s\n", error->message);
              return 2;
            }
          s = tb_intros_suggest (loaded, ex, (guint) limit);
        }
      else
        s = tb_intros_suggest (contacts, excluded, (guint) limit);
      times[r] = (g_get_monotonic_time () - t0) / 1e6;
      cpu[r] = cpu_seconds () - c0;
      n_found = s->len;
      if (r == 0 && s->len > 0)
        {
          TbIntroSuggestion *best = g_ptr_array_index (s, 0);
          printf ("best: %.3f %s\n", best->score, best->reason);
        }
    }
  qsort (times, runs, sizeof (double), cmp_double);
  qsort (cpu, runs, sizeof (double), cmp_double);
  qsort (load_cpu, runs, sizeof (double), cmp_double);
  median = times[runs / 2];
  printf ("intros%s: %d contacts x %d facts, limit %d: %u suggestions, "
          "median %.3f s of %d runs (min %.3f, max %.3f)\n",
          store != NULL ? " (from the database)" : "", n, facts, limit, n_found,
          median, runs, times[0], times[runs - 1]);
  /* The thread's CPU time: what a loaded machine does not stretch. */
  printf ("cpu: median %.3f s, of which loading %.3f s\n", cpu[runs / 2],
          load_cpu[runs / 2]);
  if (dir != NULL)
    {
      g_autofree char *db = g_build_filename (dir, "touchbase.db", NULL);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      g_autofree char *mark = g_strconcat (db, ".clean", NULL);

      g_clear_pointer (&store, tb_store_free);
      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
      g_unlink (mark);
      g_rmdir (dir);
    }
  return median <= target ? 0 : 1;
}
