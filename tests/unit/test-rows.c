/* test-rows.c — the rows WriteContactRows writes and `touchbase list`
 * reads (common/tb-rows.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-rows.h"

static void
test_round_trip (void)
{
  /* What an import can carry: the separators and the escape itself. */
  TbRow row = {
    .id = 42,
    .name = "Tab\there\nnew\\line\rcr",
    .company = "Ruiz, Ruiz & \"Partners\"",
    .tags = "work,équipe",
    .due_at = 1790000000,
    .last_conversation_at = -5,
    .paused = TRUE,
    .tracking = TB_TRACKING_NOT_TRACKED,
  };
  const TbRow *c = &row;
  g_autoptr (GString) out = g_string_new (NULL);
  char *fields[TB_ROW_N_FIELDS];
  char *line;

  tb_rows_append (out, c);
  tb_rows_append (out, c);

  /* One line per contact, whatever the text holds. */
  g_assert_true (g_str_has_suffix (out->str, "\n"));
  line = out->str;
  *strchr (line, '\n') = '\0';
  g_assert_null (strchr (line, '\n'));
  g_assert_true (tb_rows_split (line, fields));
  g_assert_cmpstr (fields[TB_ROW_ID], ==, "42");
  g_assert_cmpstr (fields[TB_ROW_NAME], ==, c->name);
  g_assert_cmpstr (fields[TB_ROW_COMPANY], ==, c->company);
  g_assert_cmpstr (fields[TB_ROW_TAGS], ==, "work,équipe");
  g_assert_cmpstr (fields[TB_ROW_DUE_AT], ==, "1790000000");
  g_assert_cmpstr (fields[TB_ROW_SNOOZED_UNTIL], ==, "0");
  g_assert_cmpstr (fields[TB_ROW_LAST_CONVERSATION_AT], ==, "-5");
  g_assert_cmpstr (fields[TB_ROW_PAUSED], ==, "1");
  g_assert_cmpstr (fields[TB_ROW_TRACKING], ==, "not-tracked");
}

static void
test_refuses_other_shapes (void)
{
  char *fields[TB_ROW_N_FIELDS];
  char few[] = "1\tname\tcompany";
  char many[] = "1\ta\tb\tc\t0\t0\t0\t0\ttracked\textra";
  char empty[] = "";

  g_assert_false (tb_rows_split (few, fields));
  g_assert_false (tb_rows_split (many, fields));
  g_assert_false (tb_rows_split (empty, fields));
}

static void
test_due_rows (void)
{
  TbDueRow rows[] = {
    { FALSE, 7, 7, "Ana\tSilva", 1790000000, 0, NULL },
    { TRUE, 3, 7, "Ana\tSilva", -1, 1780000000, "send\nthe \\deck" },
  };
  g_autoptr (GString) out = g_string_new (NULL);
  char *fields[TB_DUE_ROW_N_FIELDS];
  char *line;
  char *end;
  char few[] = "contact\t1\t1\tname";

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    tb_due_rows_append (out, &rows[i]);
  line = out->str;
  end = strchr (line, '\n');
  *end = '\0';
  g_assert_true (tb_due_rows_split (line, fields));
  g_assert_cmpstr (fields[TB_DUE_ROW_KIND], ==, "contact");
  g_assert_cmpstr (fields[TB_DUE_ROW_ID], ==, "7");
  g_assert_cmpstr (fields[TB_DUE_ROW_CONTACT_ID], ==, "7");
  g_assert_cmpstr (fields[TB_DUE_ROW_NAME], ==, "Ana\tSilva");
  g_assert_cmpstr (fields[TB_DUE_ROW_DUE_AT], ==, "1790000000");
  g_assert_cmpstr (fields[TB_DUE_ROW_LAST_CONVERSATION_AT], ==, "0");
  g_assert_cmpstr (fields[TB_DUE_ROW_TEXT], ==, "");
  line = end + 1;
  end = strchr (line, '\n');
  g_assert_nonnull (end);
  g_assert_cmpstr (end + 1, ==, "");
  *end = '\0';
  g_assert_true (tb_due_rows_split (line, fields));
  g_assert_cmpstr (fields[TB_DUE_ROW_KIND], ==, "follow-up");
  g_assert_cmpstr (fields[TB_DUE_ROW_ID], ==, "3");
  g_assert_cmpstr (fields[TB_DUE_ROW_DUE_AT], ==, "-1");
  g_assert_cmpstr (fields[TB_DUE_ROW_TEXT], ==, "send\nthe \\deck");
  g_assert_false (tb_due_rows_split (few, fields));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rows/round-trip", test_round_trip);
  g_test_add_func ("/rows/other-shapes", test_refuses_other_shapes);
  g_test_add_func ("/rows/due", test_due_rows);
  return g_test_run ();
}
