/* test-figures.c — counts and shares as people read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "tb-figures.h"
#include "tb-test-util.h"

static void
check_percent (gint64 part, gint64 whole, const char *expected)
{
  g_autofree char *text = tb_figure_percent (part, whole);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_percent_tells_the_truth (void)
{
  setlocale (LC_NUMERIC, "C");
  /* The network of the issue: 12 talked to out of 30,020. */
  check_percent (12, 30020, "0.04 %");
  check_percent (30008, 30020, "99.96 %");
  check_percent (1, 2, "50 %");
  check_percent (1, 3, "33 %");
  check_percent (0, 30020, "0 %");
  check_percent (30020, 30020, "100 %");
  check_percent (0, 0, "0 %");
  /* One in a million is not nothing... */
  check_percent (1, 1000000, "0.0001 %");
  /* ...and past four decimals the figure says which side it is on. */
  check_percent (1, 3000000, "< 0.0001 %");
  check_percent (2999999, 3000000, "> 99.9999 %");
  /* printf rounds half to even: 0.5 % to whole percents is "0", so a
   * decimal is needed (the figure as printed is what counts). */
  check_percent (1, 200, "0.5 %");
  check_percent (3, 600, "0.5 %");
  check_percent (199, 200, "99.5 %");
}

static void
test_count_groups_digits (void)
{
  g_autofree char *c = NULL;
  g_autofree char *grouped = NULL;

  setlocale (LC_NUMERIC, "C");
  c = tb_figure_count (30020);
  g_assert_cmpstr (c, ==, "30020");
  /* en_US groups by thousands. Where it is not installed it is built
   * from the locale sources (Debian's "locales") into a scratch folder,
   * which LOCPATH points setlocale at. */
  if (setlocale (LC_NUMERIC, "en_US.UTF-8") == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("tb-locale-XXXXXX", NULL);
      g_autofree char *out = g_build_filename (dir, "en_US.UTF-8", NULL);
      const char *argv[]
          = { "localedef", "-i", "en_US", "-f", "UTF-8", out, NULL };
      int status = -1;

      g_assert_nonnull (dir);
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    NULL, NULL, &status, NULL);
      g_setenv ("LOCPATH", dir, TRUE);
      g_assert_nonnull (setlocale (LC_NUMERIC, "en_US.UTF-8"));
      tb_test_remove_tree (dir);
    }
  grouped = tb_figure_count (1234567);
  g_assert_cmpstr (grouped, ==, "1,234,567");
  setlocale (LC_NUMERIC, "C");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/figures/percent", test_percent_tells_the_truth);
  g_test_add_func ("/figures/count", test_count_groups_digits);
  return g_test_run ();
}
