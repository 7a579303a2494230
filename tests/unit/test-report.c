/* test-report.c — the HTML report: escaping, links, no remote assets, the
 * figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "report-fixture.h"

static void
assert_contains (const char *html, const char *needle)
{
  if (strstr (html, needle) == NULL)
    g_error ("report lacks: %s", needle);
}

static void
assert_lacks (const char *html, const char *needle)
{
  if (strstr (html, needle) != NULL)
    g_error ("report has: %s", needle);
}

static void
test_escaping (void)
{
  ReportFixture f = { 0 };
  g_autofree char *html = NULL;
  g_autofree char *lower = NULL;

  report_fixture_init (&f);
  html = report_fixture_render (&f);
  lower = g_ascii_strdown (html, -1);

  /* the page has no scripts of its own, and no contact can add one */
  assert_lacks (lower, "<script");
  assert_lacks (lower, "<img");
  assert_lacks (lower, "<iframe");
  assert_lacks (html, "<b>friends");
  assert_lacks (html, "<b>bold");
  assert_contains (html, "&lt;script&gt;alert(1)&lt;/script&gt; Mallory");
  assert_contains (html, "&lt;script&gt;alert(2)&lt;/script&gt;");
  assert_contains (html, "&lt;b&gt;friends&lt;/b&gt;");
  assert_contains (html, "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;");
  assert_contains (html, "&lt;iframe src=&quot;http://evil.example/&quot;&gt;");

  report_fixture_clear (&f);
}

/* Every tag of the page: contact data is escaped, so these are ours. */
static GPtrArray *
tags_of (const char *html)
{
  g_autoptr (GRegex) re = g_regex_new ("<[^>]*>", 0, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (re, html, 0, &m);
  while (g_match_info_matches (m))
    {
      g_ptr_array_add (tags, g_match_info_fetch (m, 0));
      g_match_info_next (m, NULL);
    }
  return tags;
}

static void
test_links_and_assets (void)
{
  ReportFixture f = { 0 };
  g_autofree char *html = NULL;
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GRegex) href = g_regex_new ("\\shref=\"([^\"]*)\"", 0, 0, NULL);
  g_autoptr (GRegex) asset
      = g_regex_new ("\\s(src|srcset|poster|data|action|formaction|background|"
                     "xlink:href)\\s*=",
                     G_REGEX_CASELESS, 0, NULL);
  g_autoptr (GPtrArray) hrefs = g_ptr_array_new_with_free_func (g_free);
  /* no event handlers */
  g_autoptr (GRegex) handler
      = g_regex_new ("\\son[a-z]+\\s*=", G_REGEX_CASELESS, 0, NULL);

  report_fixture_init (&f);
  html = report_fixture_render (&f);
  tags = tags_of (html);
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);
      g_autoptr (GMatchInfo) m = NULL;
      g_autofree char *lower = g_ascii_strdown (tag, -1);

      g_assert_false (g_regex_match (asset, tag, 0, NULL));
      g_assert_false (g_str_has_prefix (lower, "<link"));
      g_assert_false (g_str_has_prefix (lower, "<script"));
      g_assert_false (g_str_has_prefix (lower, "<object"));
      g_assert_false (g_str_has_prefix (lower, "<embed"));
      g_assert_false (g_regex_match (handler, tag, 0, NULL));
      if (g_regex_match (href, tag, 0, &m))
        g_ptr_array_add (hrefs, g_match_info_fetch (m, 1));
    }
  /* CSS that could fetch */
  assert_lacks (html, "url(");
  assert_lacks (html, "@import");
  /* the CSP forbids any load, should anything slip through */
  assert_contains (html, "default-src 'none'");

  for (guint i = 0; i < hrefs->len; i++)
    {
      const char *h = g_ptr_array_index (hrefs, i);
      g_test_message ("href %s", h);
      g_assert_true (
          g_str_has_prefix (h, "https://") || g_str_has_prefix (h, "http://")
          || g_str_has_prefix (h, "mailto:") || g_str_has_prefix (h, "tel:"));
    }
  /* Ana: web, mail, phone; Mallory: the mail address (escaped) only;
   * Bo: web; Zoë: nothing (data: URL, no digits). */
  g_assert_cmpuint (hrefs->len, ==, 5);
  assert_contains (html, "href=\"https://www.linkedin.com/in/ana-silva\"");
  assert_contains (html, "href=\"mailto:ana@example.org\"");
  assert_contains (html, "href=\"tel:+351912345678\"");
  assert_contains (html, "href=\"http://bo.example.com/about\"");
  assert_contains (html, "href=\"mailto:%22%3E%3Csvg%2Fonload%3Dalert%281%29"
                         "%3E@evil.example\"");
  assert_lacks (html, "<svg/onload");
  assert_lacks (html, "javascript:alert(document");
  assert_lacks (html, "href=\"data:");

  report_fixture_clear (&f);
}

static void
test_figures (void)
{
  ReportFixture f = { 0 };
  g_autofree char *html = NULL;

  report_fixture_init (&f);
  html = report_fixture_render (&f);

  assert_contains (html, "<meta name=\"viewport\"");
  assert_contains (html, "prefers-color-scheme:dark");
  assert_contains (html, "id=\"fig-contacts\"><span class=\"n\">1287<");
  assert_contains (html, "id=\"fig-talked\"><span class=\"n\">213<");
  assert_contains (html, "id=\"fig-never\"><span class=\"n\">1074<");
  assert_contains (html, "951 from LinkedIn");
  assert_contains (html, "id=\"fig-overdue\"><span class=\"n\">37<");
  assert_contains (html, "id=\"fig-on-track\"><span class=\"n\">176<");
  assert_contains (html, "id=\"fig-conv-30\"><span class=\"n\">19<");
  assert_contains (html, "id=\"fig-conv-90\"><span class=\"n\">58<");
  assert_contains (html, "id=\"fig-intros\"><span class=\"n\">23<");
  /* 1074 of 1287 */
  assert_contains (html, "<b>83 %</b> of your network is an inch deep");
  /* charts */
  assert_contains (html, "id=\"chart-depth\"");
  assert_contains (html, "<title>never talked, from LinkedIn: 951</title>");
  assert_contains (html, "id=\"chart-tags\"");
  assert_contains (html, "aria-label=\"12 overdue, 28 on track\"");
  assert_contains (html, "id=\"chart-months\"");
  assert_contains (html, "aria-label=\"72 conversations in the last 12 "
                         "months\"");
  assert_contains (html, "<title>Nov 2026: 5</title>");
  assert_contains (html, "<title>Dec 2025: 3</title>");
  /* who is due */
  assert_contains (html, "Ana Silva");
  assert_contains (html, "12 days overdue");
  assert_contains (html, "3 days overdue");
  assert_contains (html, "due today");
  assert_contains (html, "due in 2 days");
  assert_contains (html, "last in touch 3 months ago (coffee)");
  assert_contains (html, "Ask about goal: her move to Lisbon &amp; a seed "
                         "round");
  assert_contains (html, "Zoë Øster-Ñúñez");
  /* introductions */
  assert_contains (html, "Ana Silva is looking for seed investors");
  assert_contains (html, "touchbase introduce 1 3");

  report_fixture_clear (&f);
}

static void
test_empty (void)
{
  g_autoptr (TbStats) stats = tb_stats_new ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();
  g_autofree char *html = NULL;

  tb_stats_set_months (stats, REPORT_FIXTURE_NOW, tz, NULL);
  html = tb_report_render (stats, NULL, NULL, REPORT_FIXTURE_NOW, tz);
  assert_contains (html, "Nobody is due");
  assert_contains (html, "No suggestions yet");
  assert_contains (html, "No tags yet");
  assert_contains (html, "id=\"fig-contacts\"><span class=\"n\">0<");
  assert_lacks (html, "nan");
  assert_contains (html, "</html>");
}

static void
test_safe_uri (void)
{
  const char *good[] = {
    "https://www.linkedin.com/in/x",
    "http://example.com",
    "HTTPS://EX.COM/a?b=c",
  };
  const char *bad[] = {
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,x",
    "file:///etc/passwd",
    "//example.com/x",
    "/relative",
    "example.com",
    "https://",
    "https://ex ample.com",
    "https://example.com/\n",
    "ftp://x.y",
    "vbscript:x",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *u = tb_report_safe_web_uri (good[i]);
      g_assert_cmpstr (u, ==, good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *u = tb_report_safe_web_uri (bad[i]);
      g_test_message ("%s", bad[i]);
      g_assert_null (u);
    }
  g_assert_null (tb_report_safe_web_uri (NULL));
}

static void
test_months (void)
{
  g_autoptr (TbStats) stats = tb_stats_new ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  gint64 end = 0;

  /* 2026-03-10: the year back starts on 2025-04-01 local midnight */
  tb_stats_set_months (stats, 1773136800, tz, &end);
  g_assert_cmpint (stats->month_start[0], ==, 1743458400);
  g_assert_cmpint (stats->month_start[TB_STATS_MONTHS - 1], ==, 1772319600);
  g_assert_cmpint (end, ==, 1774994400);
  g_assert_cmpint (tb_stats_month_index (stats, 1773136800, end), ==, 11);
  g_assert_cmpint (tb_stats_month_index (stats, 1743458400, end), ==, 0);
  g_assert_cmpint (tb_stats_month_index (stats, 1743458399, end), ==, -1);
  g_assert_cmpint (tb_stats_month_index (stats, end, end), ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/escaping", test_escaping);
  g_test_add_func ("/report/links-and-assets", test_links_and_assets);
  g_test_add_func ("/report/figures", test_figures);
  g_test_add_func ("/report/empty", test_empty);
  g_test_add_func ("/report/safe-uri", test_safe_uri);
  g_test_add_func ("/report/months", test_months);

  return g_test_run ();
}
