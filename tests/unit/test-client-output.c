/* test-client-output.c — the client's tables and progress bar.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-client-output"

#include "config.h"

#include <string.h>

#include "tb-output.h"
#include "tb-pager.h"
#include "tb-progress.h"

static TbTable *
sample_table (void)
{
  TbTable *table = tb_table_new ("ID", "NAME", "TAGS", NULL);

  tb_table_add_row (table, TB_STYLE_NONE, "1", "Ana Silva", "work");
  tb_table_add_row (table, TB_STYLE_RED, "12", "Zoë\tTab", NULL);
  return table;
}

static void
test_plain_lines (void)
{
  g_autoptr (TbTable) table = sample_table ();
  g_autofree char *text = tb_table_render (table, FALSE, 0, FALSE);

  /* No header, tabs between cells, a tab inside a cell made a space. */
  g_assert_cmpstr (text, ==, "1\tAna Silva\twork\n12\tZoë Tab\t\n");
}

static void
test_tty_aligned (void)
{
  g_autoptr (TbTable) table = sample_table ();
  g_autofree char *text = tb_table_render (table, TRUE, 80, FALSE);

  /* Widths count characters, not bytes: "Zoë Tab" lines up. */
  g_assert_cmpstr (text, ==,
                   "ID  NAME       TAGS\n"
                   "1   Ana Silva  work\n"
                   "12  Zoë Tab    \n");
}

static void
test_tty_colour (void)
{
  g_autoptr (TbTable) table = sample_table ();
  g_autofree char *text = tb_table_render (table, TRUE, 80, TRUE);

  g_assert_nonnull (strstr (text, "\033[1mID"));
  g_assert_nonnull (strstr (text, "\033[31m12"));
}

static void
test_tty_narrow (void)
{
  g_autoptr (TbTable) table = tb_table_new ("ID", "NOTE", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  tb_table_add_row (table, TB_STYLE_NONE, "1",
                    "a very long note that does not fit in the terminal");
  text = tb_table_render (table, TRUE, 20, FALSE);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[1], ==, "1   a very long not…");
  g_assert_cmpuint (tb_output_text_width (lines[1]), ==, 20);
}

static void
test_text_width (void)
{
  g_assert_cmpuint (tb_output_text_width ("abc"), ==, 3);
  g_assert_cmpuint (tb_output_text_width ("Zoë"), ==, 3);
  /* Wide CJK characters take two columns each. */
  g_assert_cmpuint (tb_output_text_width ("山田"), ==, 4);
}

static void
test_pad (void)
{
  g_autofree char *ascii = tb_output_pad ("Id", 5);
  g_autofree char *accent = tb_output_pad ("Zoë", 5);
  g_autofree char *wide = tb_output_pad ("山田", 5);
  g_autofree char *longer = tb_output_pad ("Company", 5);

  g_assert_cmpstr (ascii, ==, "Id   ");
  /* Columns, not bytes: "%-5s" would give "Zoë " here. */
  g_assert_cmpstr (accent, ==, "Zoë  ");
  g_assert_cmpstr (wide, ==, "山田 ");
  g_assert_cmpstr (longer, ==, "Company");
}

static void
test_progress (void)
{
  g_autofree char *half = tb_progress_render ("Importing", 50, 100, 40);
  g_autofree char *unknown = tb_progress_render ("Importing", 2048, 0, 40);
  g_autofree char *over = tb_progress_render ("Importing", 300, 100, 40);

  g_assert_true (g_str_has_prefix (half, "Importing ["));
  g_assert_true (g_str_has_suffix (half, "]  50%"));
  g_assert_cmpuint (g_utf8_strlen (half, -1), <, 40);
  /* g_format_size separates the unit with a no-break space. */
  g_assert_true (g_str_has_prefix (unknown, "Importing 2.0"));
  g_assert_true (g_str_has_suffix (unknown, "kB"));
  g_assert_true (g_str_has_suffix (over, "] 100%"));
}

static void
test_table_kind (void)
{
  g_autoptr (TbTable) table = tb_table_new ("ID", "NAME", NULL);
  g_autofree char *plain = NULL;
  g_autofree char *tty = NULL;

  tb_table_set_kind (table, "follow-up");
  tb_table_add_row (table, TB_STYLE_NONE, "7", "Ana Silva");
  plain = tb_table_render (table, FALSE, 0, FALSE);
  g_assert_cmpstr (plain, ==, "follow-up\t7\tAna Silva\n");
  /* A terminal shows no kind: the tables have titles. */
  tty = tb_table_render (table, TRUE, 80, FALSE);
  g_assert_null (strstr (tty, "follow-up"));
}

static void
test_pager_argv (void)
{
  static const struct
  {
    const char *pager; /* NULL: unset */
    const char *argv;  /* joined by "|"; NULL: no pager */
  } cases[] = {
    { NULL, "less" },
    { "", NULL },
    { "   ", NULL },
    { "cat", NULL },
    { " cat ", NULL },
    { "more", "more" },
    { "less -S", "less|-S" },
    /* Split as a shell would, but nothing is expanded: no shell runs. */
    { "'/opt/my pager' --x $HOME", "/opt/my pager|--x|$HOME" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GStrv) argv = NULL;
      g_autofree char *joined = NULL;

      if (cases[i].pager == NULL)
        g_unsetenv ("PAGER");
      else
        g_setenv ("PAGER", cases[i].pager, TRUE);
      argv = tb_pager_argv (NULL);
      joined = argv ? g_strjoinv ("|", argv) : NULL;
      g_assert_cmpstr (joined, ==, cases[i].argv);
    }

  {
    g_autoptr (GError) error = NULL;

    g_setenv ("PAGER", "less 'unbalanced", TRUE);
    g_assert_null (tb_pager_argv (&error));
    g_assert_nonnull (error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client-output/table/plain", test_plain_lines);
  g_test_add_func ("/client-output/table/tty", test_tty_aligned);
  g_test_add_func ("/client-output/table/colour", test_tty_colour);
  g_test_add_func ("/client-output/table/narrow", test_tty_narrow);
  g_test_add_func ("/client-output/text-width", test_text_width);
  g_test_add_func ("/client-output/pad", test_pad);
  g_test_add_func ("/client-output/progress", test_progress);
  g_test_add_func ("/client-output/table/kind", test_table_kind);
  g_test_add_func ("/client-output/pager-argv", test_pager_argv);
  return g_test_run ();
}
