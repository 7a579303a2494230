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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rows/round-trip", test_round_trip);
  g_test_add_func ("/rows/other-shapes", test_refuses_other_shapes);
  return g_test_run ();
}
