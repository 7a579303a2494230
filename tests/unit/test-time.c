/* test-time.c — durations, dates, birthdays and their formatting, in a
 * pinned zone and at a pinned "now".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-time"

#include "config.h"

#include <string.h>

#include "tb-error.h"
#include "tb-time.h"

/* Expected instants, worked out independently (Python zoneinfo, zdump). */
#define NOW 1795858200            /* 2026-11-28T09:30:00Z, 10:30 in Berlin */
#define NOV28_MIDNIGHT 1795820400 /* 2026-11-28 00:00 CET */
#define NOV27_MIDNIGHT 1795734000
#define NOV29_MIDNIGHT 1795906800
#define NOV28_1405 1795871100     /* 2026-11-28 14:05 CET */
#define MAR29_MIDNIGHT 1774738800 /* spring forward 02:00 -> 03:00 CEST */
#define MAR29_NOON 1774778400
#define MAR30_MIDNIGHT 1774821600
#define MAR29_0330 1774747800
#define OCT25_MIDNIGHT 1792879200 /* fall back 03:00 -> 02:00 CET */
#define OCT26_MIDNIGHT 1792969200

static GTimeZone *
berlin (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");

  g_assert_nonnull (tz);
  return tz;
}

/* Durations */

static void
test_duration_units (void)
{
  static const struct
  {
    const char *text;
    gint64 seconds;
  } cases[] = {
    { "90s", 90 },
    { "45min", 45 * 60 },
    { "45 mins", 45 * 60 },
    { "12h", 12 * 3600 },
    { "30d", 30 * 86400 },
    { "2w", 14 * 86400 },
    { "3mo", 90 * 86400 },
    { "1y", 365 * 86400 },
    { "7", 7 * 86400 }, /* a bare number is days */
    { "2 w", 14 * 86400 },
    { "2W", 14 * 86400 },
    { "3MO", 90 * 86400 },
    { "12H", 12 * 3600 },
    { "10 sec", 10 },
    { "1 day", 86400 },
    { "2 weeks", 14 * 86400 },
    { "3 months", 90 * 86400 },
    { "1 year", 365 * 86400 },
    { "5 minutes", 300 },
    { "  30d  ", 30 * 86400 },
    { "1000y", 1000 * TB_YEAR },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 seconds = -1;

      g_test_message ("%s", cases[i].text);
      g_assert_true (tb_duration_parse (cases[i].text, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpint (seconds, ==, cases[i].seconds);
    }
}

static void
test_duration_bad (void)
{
  static const char *const bad[] = {
    "0",     "0d",   "-1",     "-1d",
    "1.5d",  "1,5d", "abc",    "",
    "   ",   "d",    "3x",     "99999999999y",
    "1001y", "+3d",  "3d ago", "99999999999999999999999999",
    "3 d d",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);
      gint64 seconds = 42;

      g_test_message ("%s", bad[i]);
      g_assert_false (tb_duration_parse (bad[i], &seconds, &error));
      g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_cmpint (seconds, ==, 42);
    }
}

static void
test_duration_bad_reasons (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (tb_duration_parse ("0", NULL, &error));
  g_assert_nonnull (strstr (error->message, "more than zero"));
  g_clear_error (&error);

  g_assert_false (tb_duration_parse ("-1", NULL, &error));
  g_assert_nonnull (strstr (error->message, "more than zero"));
  g_clear_error (&error);

  g_assert_false (tb_duration_parse ("1.5d", NULL, &error));
  g_assert_nonnull (strstr (error->message, "whole number"));
  g_clear_error (&error);

  g_assert_false (tb_duration_parse ("99999999999y", NULL, &error));
  g_assert_nonnull (strstr (error->message, "too long"));
  g_clear_error (&error);

  g_assert_false (tb_duration_parse ("3x", NULL, &error));
  g_assert_nonnull (strstr (error->message, "unknown unit “x”"));
}

/* "m" is minutes to some and months to most: refused, with both. */
static void
test_duration_m_refused (void)
{
  static const char *const texts[] = { "2m", "2M", " 2 m ", "-2m" };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", texts[i]);
      g_assert_false (tb_duration_parse (texts[i], NULL, &error));
      g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
      if (texts[i][0] != '-')
        g_assert_nonnull (strstr (error->message,
                                  "use 2mo for 2 months or 2min for 2 "
                                  "minutes"));
    }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tb_duration_parse ("1m", NULL, &error));
    g_assert_nonnull (
        strstr (error->message, "use 1mo for 1 month or 1min for 1 minute"));
  }
  {
    g_autoptr (GError) error = NULL;
    gint64 t = 0;

    /* Relative dates read durations too. */
    g_assert_false (tb_date_parse ("-30m", NULL, 1000000, &t, &error));
    g_assert_nonnull (strstr (error->message, "30min"));
  }
}

static void
test_duration_format (void)
{
  static const struct
  {
    gint64 seconds;
    const char *text;
  } cases[] = {
    { 604800, "1w" },
    { 7776000, "3mo" },
    { 90, "90s" },
    { 86400 * 10, "10d" },
    { 60, "1min" },
    { 3600, "1h" },
    { 36 * 3600, "36h" },
    { 365 * 86400, "1y" },
    { 30 * 86400, "1mo" },
    { 14 * 86400, "2w" },
    { 0, "0s" },
    { -86400, "-1d" },
    { 61, "61s" },
    { 730 * 86400, "2y" },
    { 366 * 86400, "366d" },
    { G_MININT64, "-9223372036854775808s" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tb_duration_format (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_duration_round_trip (void)
{
  static const gint64 values[]
      = { 1,       59,       60,      3600,         86400,          5 * 86400,
          TB_WEEK, TB_MONTH, TB_YEAR, 42 * TB_HOUR, TB_DURATION_MAX };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = tb_duration_format (values[i]);
      g_autoptr (GError) error = NULL;
      gint64 back = 0;

      g_assert_true (tb_duration_parse (text, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, values[i]);
    }
}

/* Dates */

static void
check_date (GTimeZone *tz, gint64 now, const char *text, gint64 expected)
{
  g_autoptr (GError) error = NULL;
  gint64 t = -1;

  g_test_message ("%s", text);
  g_assert_true (tb_date_parse (text, tz, now, &t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (t, ==, expected);
}

static void
test_date_forms (void)
{
  g_autoptr (GTimeZone) tz = berlin ();

  check_date (tz, NOW, "2026-11-28", NOV28_MIDNIGHT);
  check_date (tz, NOW, "2026-11-28T14:05", NOV28_1405);
  check_date (tz, NOW, "2026-11-28 14:05", NOV28_1405);
  check_date (tz, NOW, "2026-11-28t14:05", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T14:05:00", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T14:05:00.750", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T13:05:00Z", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T13:05Z", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T14:05:00+01:00", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T08:05:00-05:00", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T18:35:00+0530", NOV28_1405);
  check_date (tz, NOW, "2026-11-28T15:05+02", NOV28_1405);
  check_date (tz, NOW, "now", NOW);
  check_date (tz, NOW, "NOW", NOW);
  check_date (tz, NOW, "today", NOV28_MIDNIGHT);
  check_date (tz, NOW, " Today ", NOV28_MIDNIGHT);
  check_date (tz, NOW, "yesterday", NOV27_MIDNIGHT);
  check_date (tz, NOW, "tomorrow", NOV29_MIDNIGHT);
  check_date (tz, NOW, "-3d", NOW - 3 * TB_DAY);
  check_date (tz, NOW, "-3", NOW - 3 * TB_DAY);
  check_date (tz, NOW, "+2w", NOW + 2 * TB_WEEK);
  check_date (tz, NOW, "in 2w", NOW + 2 * TB_WEEK);
  check_date (tz, NOW, "in 2 weeks", NOW + 2 * TB_WEEK);
  check_date (tz, NOW, "3d ago", NOW - 3 * TB_DAY);
  check_date (tz, NOW, "-90min", NOW - 90 * 60);
  /* Local midnight after 23:00 UTC: "today" is already the next day. */
  check_date (tz, NOV28_MIDNIGHT + 1800, "today", NOV28_MIDNIGHT);
  check_date (tz, NOV28_MIDNIGHT - 1, "today", NOV27_MIDNIGHT);
  check_date (tz, NOW, "2024-02-29", 1709161200);
}

static void
test_date_dst (void)
{
  g_autoptr (GTimeZone) tz = berlin ();

  /* The day clocks spring forward has 23 hours ... */
  check_date (tz, MAR29_NOON, "today", MAR29_MIDNIGHT);
  check_date (tz, MAR29_NOON, "tomorrow", MAR30_MIDNIGHT);
  g_assert_cmpint (MAR30_MIDNIGHT - MAR29_MIDNIGHT, ==, 23 * 3600);
  check_date (tz, MAR29_NOON, "2026-03-29T03:30", MAR29_0330);
  /* ... and 02:30 does not exist there: it becomes the end of the gap,
   * 03:00 CEST (GDateTime's choice). */
  check_date (tz, MAR29_NOON, "2026-03-29T02:30", MAR29_0330 - 1800);
  check_date (tz, MAR30_MIDNIGHT + 3600, "yesterday", MAR29_MIDNIGHT);

  /* The day they fall back has 25 hours. */
  check_date (tz, OCT25_MIDNIGHT + 20 * 3600, "today", OCT25_MIDNIGHT);
  check_date (tz, OCT25_MIDNIGHT + 20 * 3600, "tomorrow", OCT26_MIDNIGHT);
  g_assert_cmpint (OCT26_MIDNIGHT - OCT25_MIDNIGHT, ==, 25 * 3600);
  /* 24 hours after midnight is still the 25th there. */
  g_assert_cmpint (tb_time_day_start (OCT25_MIDNIGHT + 24 * 3600, tz), ==,
                   OCT25_MIDNIGHT);
}

static void
test_date_dst_midnight (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("America/Havana");

  g_assert_nonnull (tz);
  /* Cuba springs forward at midnight: 2026-03-08 begins at 01:00 CDT. */
  g_assert_cmpint (tb_time_day_start (1772946000 + 5 * 3600, tz), ==,
                   1772946000);
  check_date (tz, 1772946000 + 5 * 3600, "today", 1772946000);
  check_date (tz, 1772946000 + 5 * 3600, "2026-03-08", 1772946000);
}

static void
test_date_bad (void)
{
  g_autoptr (GTimeZone) tz = berlin ();
  static const char *const bad[] = {
    "",
    "abc",
    "2026-13-01",
    "2026-02-30",
    "2023-02-29",
    "2026-11-28T24:00",
    "2026-11-28T12:60",
    "2026-11-28T12",
    "2026-11-28T12:00+25:00",
    "2026-11-28T12:00 junk",
    "2026-11-28x",
    "26-11-28",
    "2026/11/28",
    "-0d",
    "-1.5d",
    "in abc",
    "+99999999999y",
    "yesterdays",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);
      gint64 t = 42;

      g_test_message ("%s", bad[i]);
      g_assert_false (tb_date_parse (bad[i], tz, NOW, &t, &error));
      g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_cmpint (t, ==, 42);
    }
}

/* Birthdays */

static void
test_birthday_valid (void)
{
  static const struct
  {
    const char *text;
    const char *normalized;
  } cases[] = {
    { "1990-05-17", "1990-05-17" },   { "19900517", "1990-05-17" },
    { "--05-17", "--05-17" },         { "--0517", "--05-17" },
    { "05-17", "--05-17" },           { "--02-29", "--02-29" },
    { "02-29", "--02-29" },           { "2000-02-29", "2000-02-29" },
    { " 1990-05-17 ", "1990-05-17" }, { "--12-31", "--12-31" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *normalized = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_true (tb_birthday_parse (cases[i].text, &normalized, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
    }
}

static void
test_birthday_invalid (void)
{
  static const char *const bad[] = {
    "2023-02-30", "2023-02-29", "1900-02-29",  "--02-30",  "--13-01",
    "--00-10",    "--04-31",    "0000-01-01",  "20230230", "abc",
    "",           "1990-5-17",  "1990-05-17x", "--0517x",  "1990",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);
      char *normalized = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (tb_birthday_parse (bad[i], &normalized, &error));
      g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_null (normalized);
    }
}

/* Formatting */

static void
test_format_rfc3339 (void)
{
  g_autofree char *a = tb_time_format_rfc3339 (NOW);
  g_autofree char *b = tb_time_format_rfc3339 (0);
  g_autofree char *c = tb_time_format_rfc3339 (G_MAXINT64);

  g_assert_cmpstr (a, ==, "2026-11-28T09:30:00Z");
  g_assert_cmpstr (b, ==, "1970-01-01T00:00:00Z");
  g_assert_null (c);
}

static void
test_format_local (void)
{
  g_autoptr (GTimeZone) tz = berlin ();
  g_autofree char *date = tb_time_format_date (NOV28_1405, tz);
  g_autofree char *datetime = tb_time_format_datetime (NOV28_1405, tz);
  g_autofree char *summer = tb_time_format_datetime (MAR29_0330, tz);
  g_autofree char *late = tb_time_format_date (NOV28_MIDNIGHT - 1, tz);

  g_assert_cmpstr (date, ==, "2026-11-28");
  g_assert_cmpstr (datetime, ==, "2026-11-28 14:05");
  g_assert_cmpstr (summer, ==, "2026-03-29 03:30");
  g_assert_cmpstr (late, ==, "2026-11-27");
}

static void
check_relative (GTimeZone *tz, gint64 t, gint64 now, const char *expected)
{
  g_autofree char *text = tb_time_format_relative (t, now, tz);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_relative (void)
{
  g_autoptr (GTimeZone) tz = berlin ();

  check_relative (tz, NOW, NOW, "today");
  check_relative (tz, NOV28_MIDNIGHT, NOW, "today");
  check_relative (tz, NOV29_MIDNIGHT - 1, NOW, "today");
  /* One second before local midnight is yesterday, not "today". */
  check_relative (tz, NOV28_MIDNIGHT - 1, NOW, "yesterday");
  check_relative (tz, NOV27_MIDNIGHT, NOW, "yesterday");
  check_relative (tz, NOV29_MIDNIGHT, NOW, "tomorrow");
  check_relative (tz, NOW + 3 * TB_DAY, NOW, "in 3 days");
  check_relative (tz, NOW - 3 * TB_DAY, NOW, "3 days ago");
  check_relative (tz, NOW - 13 * TB_DAY, NOW, "13 days ago");
  check_relative (tz, NOW - 14 * TB_DAY, NOW, "2 weeks ago");
  check_relative (tz, NOW - 17 * TB_DAY, NOW, "2 weeks ago");
  check_relative (tz, NOW - 18 * TB_DAY, NOW, "3 weeks ago");
  check_relative (tz, NOW + 14 * TB_DAY, NOW, "in 2 weeks");
  check_relative (tz, NOW - 150 * TB_DAY, NOW, "5 months ago");
  check_relative (tz, NOW - 160 * TB_DAY, NOW, "5 months ago");
  check_relative (tz, NOW - 165 * TB_DAY, NOW, "6 months ago");
  check_relative (tz, NOW + 60 * TB_DAY, NOW, "in 2 months");
  check_relative (tz, NOW - 365 * TB_DAY, NOW, "1 year ago");
  check_relative (tz, NOW - 3 * 365 * TB_DAY, NOW, "3 years ago");
  check_relative (tz, NOW + 800 * TB_DAY, NOW, "in 2 years");
  /* Across the fall-back day: still whole calendar days. */
  check_relative (tz, OCT25_MIDNIGHT, OCT26_MIDNIGHT + 3600, "yesterday");
  check_relative (tz, MAR29_MIDNIGHT, MAR29_MIDNIGHT + 3 * TB_DAY,
                  "3 days ago");
}

static void
test_day_start (void)
{
  g_autoptr (GTimeZone) tz = berlin ();

  g_assert_cmpint (tb_time_day_start (NOW, tz), ==, NOV28_MIDNIGHT);
  g_assert_cmpint (tb_time_day_start (NOV28_MIDNIGHT, tz), ==, NOV28_MIDNIGHT);
  g_assert_cmpint (tb_time_day_start (NOV28_MIDNIGHT - 1, tz), ==,
                   NOV27_MIDNIGHT);
  g_assert_cmpint (tb_time_day_start (MAR29_NOON, tz), ==, MAR29_MIDNIGHT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/duration/units", test_duration_units);
  g_test_add_func ("/time/duration/bad", test_duration_bad);
  g_test_add_func ("/time/duration/bad-reasons", test_duration_bad_reasons);
  g_test_add_func ("/time/duration/m-refused", test_duration_m_refused);
  g_test_add_func ("/time/duration/format", test_duration_format);
  g_test_add_func ("/time/duration/round-trip", test_duration_round_trip);
  g_test_add_func ("/time/date/forms", test_date_forms);
  g_test_add_func ("/time/date/dst", test_date_dst);
  g_test_add_func ("/time/date/dst-at-midnight", test_date_dst_midnight);
  g_test_add_func ("/time/date/bad", test_date_bad);
  g_test_add_func ("/time/birthday/valid", test_birthday_valid);
  g_test_add_func ("/time/birthday/invalid", test_birthday_invalid);
  g_test_add_func ("/time/format/rfc3339", test_format_rfc3339);
  g_test_add_func ("/time/format/local", test_format_local);
  g_test_add_func ("/time/format/relative", test_format_relative);
  g_test_add_func ("/time/day-start", test_day_start);

  return g_test_run ();
}
