/* bench-ical.c — ICS export of many due contacts (target: 30,000 in
 * under 0.5 s). Not a test: run it by hand or through `meson test
 * --benchmark`.
 *
 *   bench-ical [--contacts N] [--repeat N] [--todo] [--resources] [-o FILE]
 *
 * The machine may be busy with other work: the best of the runs is the
 * number to compare with the target; the CPU time (summed over the worker
 * threads) shows whether a slow run was starved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-ical"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "tb-ical.h"

#define NOW ((gint64) 1773144000) /* 2026-03-10T12:00:00Z */
#define DAY ((gint64) 86400)

static const char *const first_names[]
    = { "Ana",   "Ben",     "Chloé",   "Dmitri", "Eun-ji",
        "Farah", "Gustavo", "Hiroshi", "Ines",   "Jonas" };
static const char *const last_names[]
    = { "Silva",    "Okafor", "Müller",     "Nakamura", "O'Brien",
        "Kowalski", "García", "Smith, Jr.", "Lee" };

static GPtrArray *
make_contacts (guint n)
{
  GPtrArray *contacts
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < n; i++)
    {
      TbContact *c = tb_contact_new ();

      c->id = i + 1;
      c->uid = g_uuid_string_random ();
      c->name = g_strdup_printf (
          "%s %s", first_names[i % G_N_ELEMENTS (first_names)],
          last_names[(i / 7) % G_N_ELEMENTS (last_names)]);
      c->source = g_strdup ("linkedin");
      c->url = g_strdup_printf ("https://www.linkedin.com/in/person-%u", i);
      c->company = g_strdup ("Example Corp");
      c->position = g_strdup ("Senior Engineer");
      c->tags = g_strsplit (i % 3 ? "work" : "work,friends", ",", -1);
      c->due_at = NOW - g_rand_int_range (rand, 0, 60) * DAY;
      c->last_interaction_at = c->due_at - 30 * DAY;
      c->last_interaction_kind = TB_KIND_COFFEE;
      c->sequence = i % 5;
      if (i % 4 == 0)
        tb_contact_add_fact (
            c, tb_fact_new (TB_FACT_GOAL, "start a company; maybe in Berlin"));
      if (i % 10 == 0)
        c->birthday = g_strdup ("--02-29");
      g_ptr_array_add (contacts, c);
    }
  g_rand_free (rand);
  return contacts;
}

static int
compare_times (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  int n_contacts = 30000;
  int repeat = 5;
  gboolean todo = FALSE;
  gboolean resources = FALSE;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "contacts", 'n', 0, G_OPTION_ARG_INT, &n_contacts, "Due contacts", "N" },
    { "todo", 0, 0, G_OPTION_ARG_NONE, &todo, "VTODO", NULL },
    { "resources", 0, 0, G_OPTION_ARG_NONE, &resources,
      "Build one resource per UID instead", NULL },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat,
      "Runs; the best and the median are printed", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the ICS",
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = NULL;
  TbIcalOptions opts = { FALSE, NOW, NULL };
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr (GArray) times = NULL;
  double cpu_best = G_MAXDOUBLE;
  g_autofree char *ics = NULL;
  gsize bytes = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  contacts = make_contacts ((guint) MAX (n_contacts, 0));
  opts.todo = todo;
  opts.tz = tz;

  times = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int run = 0; run < MAX (repeat, 1); run++)
    {
      gint64 start = g_get_monotonic_time ();
      clock_t cpu_start = clock ();
      gint64 elapsed;

      g_clear_pointer (&ics, g_free);
      bytes = 0;
      if (resources)
        {
          g_autoptr (GPtrArray) res
              = tb_ical_build_resources (contacts, NULL, &opts);
          for (guint i = 0; i < res->len; i++)
            bytes += strlen (
                ((TbIcalResource *) g_ptr_array_index (res, i))->ics);
        }
      else
        {
          ics = tb_ical_build_calendar (contacts, NULL, &opts);
          bytes = strlen (ics);
        }
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (times, elapsed);
      cpu_best
          = MIN (cpu_best, (double) (clock () - cpu_start) / CLOCKS_PER_SEC);
    }
  g_array_sort (times, compare_times);

  g_print ("%s of %d due contacts, %" G_GSIZE_FORMAT " bytes: best %.3f s, "
           "median %.3f s of %u runs; CPU time of all threads %.3f s "
           "(target for the calendar: < 0.5 s)\n",
           resources ? "resources" : "calendar", n_contacts, bytes,
           g_array_index (times, gint64, 0) / 1e6,
           g_array_index (times, gint64, times->len / 2) / 1e6, times->len,
           cpu_best);
  if (output != NULL && ics != NULL
      && !g_file_set_contents (output, ics, -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
