/* test-match.c — how a typed name ranks a folded name, and the tiers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-match.h"

static void
test_match_kinds (void)
{
  g_assert_cmpint (tb_name_match ("ana silva", "ana silva"), ==,
                   TB_NAME_MATCH_WHOLE);
  g_assert_cmpint (tb_name_match ("ana silva", "ana"), ==, TB_NAME_MATCH_WORD);
  g_assert_cmpint (tb_name_match ("ana silva", "silva"), ==,
                   TB_NAME_MATCH_WORD);
  g_assert_cmpint (tb_name_match ("ana silva", "ana sil"), ==,
                   TB_NAME_MATCH_WORD);
  g_assert_cmpint (tb_name_match ("hiroshi tanaka", "ana"), ==,
                   TB_NAME_MATCH_INSIDE);
  g_assert_cmpint (tb_name_match ("ana silva", "bo"), ==, TB_NAME_MATCH_NONE);
  g_assert_cmpint (tb_name_match ("ana", "ana silva"), ==, TB_NAME_MATCH_NONE);
  g_assert_cmpint (tb_name_match ("ana", ""), ==, TB_NAME_MATCH_NONE);
  g_assert_cmpint (tb_name_match (NULL, "ana"), ==, TB_NAME_MATCH_NONE);
}

static void
test_match_word_starts (void)
{
  /* A later occurrence at a word's start counts, not only the first. */
  g_assert_cmpint (tb_name_match ("tanaka ana", "ana"), ==, TB_NAME_MATCH_WORD);
  /* Punctuation starts a word... */
  g_assert_cmpint (tb_name_match ("jean-luc picard", "luc"), ==,
                   TB_NAME_MATCH_WORD);
  g_assert_cmpint (tb_name_match ("aoife o'brien", "brien"), ==,
                   TB_NAME_MATCH_WORD);
  g_assert_cmpint (tb_name_match ("bo (work)", "work"), ==, TB_NAME_MATCH_WORD);
  /* ...a digit or a letter of another script does not. */
  g_assert_cmpint (tb_name_match ("r2d2", "d2"), ==, TB_NAME_MATCH_INSIDE);
  g_assert_cmpint (tb_name_match ("ηana", "ana"), ==, TB_NAME_MATCH_INSIDE);
  g_assert_cmpint (tb_name_match ("ζωή ana", "ana"), ==, TB_NAME_MATCH_WORD);
}

static void
test_decides (void)
{
  g_assert_true (
      tb_name_match_decides (TB_NAME_MATCH_INSIDE, TB_NAME_MATCH_NONE));
  g_assert_true (
      tb_name_match_decides (TB_NAME_MATCH_WHOLE, TB_NAME_MATCH_WORD));
  g_assert_true (
      tb_name_match_decides (TB_NAME_MATCH_WORD, TB_NAME_MATCH_INSIDE));
  g_assert_false (
      tb_name_match_decides (TB_NAME_MATCH_WORD, TB_NAME_MATCH_WORD));
  g_assert_false (
      tb_name_match_decides (TB_NAME_MATCH_WHOLE, TB_NAME_MATCH_WHOLE));
  g_assert_false (
      tb_name_match_decides (TB_NAME_MATCH_NONE, TB_NAME_MATCH_NONE));
}

static void
test_tiers (void)
{
  g_assert_cmpint (tb_name_tier (TB_TRACKING_TRACKED), ==,
                   TB_NAME_TIER_TRACKED);
  g_assert_cmpint (tb_name_tier (TB_TRACKING_NOT_TRACKED), ==,
                   TB_NAME_TIER_OTHERS);
  g_assert_cmpint (tb_name_tier (TB_TRACKING_IGNORED), ==, TB_NAME_TIER_OTHERS);
  g_assert_cmpint (TB_NAME_TIER_TRACKED, <, TB_NAME_TIER_OTHERS);
  g_assert_cmpstr (tb_name_match_to_string (TB_NAME_MATCH_WORD), ==, "word");
  g_assert_null (tb_name_match_to_string (TB_NAME_MATCH_NONE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/match/kinds", test_match_kinds);
  g_test_add_func ("/match/word-starts", test_match_word_starts);
  g_test_add_func ("/match/decides", test_decides);
  g_test_add_func ("/match/tiers", test_tiers);
  return g_test_run ();
}
