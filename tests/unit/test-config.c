/* test-config.c — touchbase.conf: defaults, every key, bad values that
 * keep their defaults, quiet hours and tag intervals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-config"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-config.h"
#include "tb-error.h"
#include "tb-time.h"

#define FILENAME "touchbase.conf"

/* Europe/Berlin, worked out with Python zoneinfo. */
#define NOV28_MIDNIGHT 1795820400 /* 2026-11-28 00:00 CET */
#define NOV29_MIDNIGHT 1795906800
#define MAR28_MIDNIGHT 1774652400 /* the day before spring forward */
#define MAR29_0900 1774767600     /* 2026-03-29 09:00 CEST */
#define AT(midnight, h, m) ((gint64) (midnight) + (h) *3600 + (m) *60)

static GPtrArray *
new_warnings (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static TbConfig *
parse_ok (const char *data, GPtrArray *warnings)
{
  g_autoptr (GError) error = NULL;
  TbConfig *config
      = tb_config_parse (data, (gsize) -1, FILENAME, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static void
print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    g_test_message ("warning: %s",
                    (const char *) g_ptr_array_index (warnings, i));
}

static void
assert_defaults (const TbConfig *config)
{
  g_assert_cmpint (config->default_interval, ==, 30 * TB_DAY);
  g_assert_true (config->quiet_enabled);
  g_assert_cmpint (config->quiet_start_min, ==, 1260);
  g_assert_cmpint (config->quiet_end_min, ==, 540);
  g_assert_cmpint (config->re_alert, ==, TB_DAY);
  g_assert_cmpuint (config->batch_limit, ==, 3);
  g_assert_cmpuint (config->daily_limit, ==, 5);
  g_assert_cmpint (config->snooze, ==, TB_WEEK);
  g_assert_cmpint (config->done_kind, ==, TB_KIND_CALL);
  g_assert_null (config->ics_file);
  g_assert_false (config->ics_disabled);
  g_assert_null (config->caldav_url);
  g_assert_null (config->caldav_username);
  g_assert_null (config->caldav_password_file);
  g_assert_cmpint (config->suggest_every, ==, TB_WEEK);
  g_assert_cmpuint (config->review_per_day, ==, 3);
  g_assert_cmpuint (g_hash_table_size (config->tag_intervals), ==, 0);
  g_assert_cmpint (config->sources_eds, ==, -1);
  g_assert_null (config->sources_ics);
  g_assert_null (config->sources_caldav);
  g_assert_null (config->sources_maildir);
  g_assert_null (config->sources_mbox);
  g_assert_false (config->sources_notmuch);
  g_assert_null (config->my_addresses);
  g_assert_cmpint (config->sources_since, ==, TB_YEAR);
}

static void
test_defaults (void)
{
  g_autoptr (TbConfig) config = tb_config_new_default ();
  g_autoptr (TbConfig) empty = NULL;
  g_autoptr (GPtrArray) warnings = new_warnings ();

  assert_defaults (config);
  empty = parse_ok ("", warnings);
  assert_defaults (empty);
  g_assert_cmpuint (warnings->len, ==, 0);
}

/* A file in the documented form (docs/design.md §6), comments after
 * values and all, means the defaults. */
static void
test_design_example (void)
{
  static const char example[]
      = "[reminders]\n"
        "default-interval=30d\n"
        "quiet-hours=21:00-09:00      # empty: no quiet hours\n"
        "re-alert=1d\n"
        "batch-limit=3\n"
        "daily-limit=5\n"
        "snooze=1w\n"
        "done-kind=call               # what the Talked button logs\n"
        "[calendar]\n"
        "ics-file=                    # default "
        "$XDG_DATA_HOME/touchbase/touchbase.ics; \"none\" disables\n"
        "caldav-url=                  # a calendar collection; empty: no "
        "CalDAV\n"
        "caldav-username=\n"
        "caldav-password-file=        # else the password comes from the "
        "Secret Service\n"
        "[intros]\n"
        "suggest-every=1w             # empty: never suggest by "
        "notification\n"
        "[review]\n"
        "per-day=3                    # 0: no review notifications\n"
        "[sources]\n"
        "eds=                         # empty: on when EDS is there\n"
        "ics=\n"
        "caldav=\n"
        "maildir=                     # Sent folders, ;-separated\n"
        "mbox=\n"
        "notmuch=false\n"
        "my-addresses=                # empty: as the sources know them\n"
        "since=1y\n";
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config = parse_ok (example, warnings);

  print_warnings (warnings);
  g_assert_cmpuint (warnings->len, ==, 0);
  assert_defaults (config);
}

static void
test_every_key (void)
{
  static const char data[] = "# my settings\n"
                             "[reminders]\n"
                             "default-interval=2w\n"
                             "quiet-hours=22:30-07:15\n"
                             "re-alert=12h\n"
                             "batch-limit=7\n"
                             "daily-limit=20\n"
                             "snooze=3d\n"
                             "done-kind=coffee\n"
                             "[calendar]\n"
                             "ics-file=/srv/cal/touchbase.ics\n"
                             "caldav-url=https://dav.example.org/u/cal/\n"
                             "caldav-username=ann\n"
                             "caldav-password-file=/run/secrets/dav\n"
                             "[intros]\n"
                             "suggest-every=3mo\n"
                             "[review]\n"
                             "per-day=5\n"
                             "[tags]\n"
                             "work=2mo\n";
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config = parse_ok (data, warnings);
  g_autofree char *ics = NULL;

  print_warnings (warnings);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpint (config->default_interval, ==, 2 * TB_WEEK);
  g_assert_true (config->quiet_enabled);
  g_assert_cmpint (config->quiet_start_min, ==, 22 * 60 + 30);
  g_assert_cmpint (config->quiet_end_min, ==, 7 * 60 + 15);
  g_assert_cmpint (config->re_alert, ==, 12 * TB_HOUR);
  g_assert_cmpuint (config->batch_limit, ==, 7);
  g_assert_cmpuint (config->daily_limit, ==, 20);
  g_assert_cmpint (config->snooze, ==, 3 * TB_DAY);
  g_assert_cmpint (config->done_kind, ==, TB_KIND_COFFEE);
  g_assert_cmpstr (config->ics_file, ==, "/srv/cal/touchbase.ics");
  g_assert_false (config->ics_disabled);
  g_assert_cmpstr (config->caldav_url, ==, "https://dav.example.org/u/cal/");
  g_assert_cmpstr (config->caldav_username, ==, "ann");
  g_assert_cmpstr (config->caldav_password_file, ==, "/run/secrets/dav");
  g_assert_cmpint (config->suggest_every, ==, 3 * TB_MONTH);
  g_assert_cmpuint (config->review_per_day, ==, 5);
  g_assert_cmpuint (g_hash_table_size (config->tag_intervals), ==, 1);
  ics = tb_config_ics_path (config);
  g_assert_cmpstr (ics, ==, "/srv/cal/touchbase.ics");
}

static void
test_sources (void)
{
  static const char data[]
      = "[sources]\n"
        "eds=false\n"
        "ics=~/cal/work.ics; https://example.org/team.ics ;;\n"
        "caldav=https://dav.example.org/u/cal/;not a url\n"
        "maildir=~/Mail/Sent;/srv/mail/Sent;relative/Sent\n"
        "mbox=~/.thunderbird/x/Sent\n"
        "notmuch=true\n"
        "my-addresses=me@example.org; Me@Work.example ;nobody\n"
        "since=2y\n";
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config = parse_ok (data, warnings);
  g_autofree char *cal
      = g_build_filename (g_get_home_dir (), "cal", "work.ics", NULL);
  g_autofree char *sent
      = g_build_filename (g_get_home_dir (), "Mail", "Sent", NULL);
  g_autoptr (TbConfig) bad = NULL;
  g_autoptr (GPtrArray) bad_warnings = new_warnings ();

  print_warnings (warnings);
  /* "not a url", "relative/Sent" and "nobody", each named. */
  g_assert_cmpuint (warnings->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "not a url"));
  g_assert_cmpint (config->sources_eds, ==, 0);
  g_assert_cmpuint (g_strv_length (config->sources_ics), ==, 2);
  g_assert_cmpstr (config->sources_ics[0], ==, cal);
  g_assert_cmpstr (config->sources_ics[1], ==, "https://example.org/team.ics");
  g_assert_cmpuint (g_strv_length (config->sources_caldav), ==, 1);
  g_assert_cmpuint (g_strv_length (config->sources_maildir), ==, 2);
  g_assert_cmpstr (config->sources_maildir[0], ==, sent);
  g_assert_cmpstr (config->sources_maildir[1], ==, "/srv/mail/Sent");
  g_assert_cmpuint (g_strv_length (config->sources_mbox), ==, 1);
  g_assert_true (config->sources_notmuch);
  g_assert_cmpuint (g_strv_length (config->my_addresses), ==, 2);
  g_assert_cmpstr (config->my_addresses[1], ==, "Me@Work.example");
  g_assert_cmpint (config->sources_since, ==, 2 * TB_YEAR);

  /* Bad values keep the defaults. */
  bad = parse_ok ("[sources]\neds=maybe\nnotmuch=2\nsince=0\n"
                  "maildir=Sent\n",
                  bad_warnings);
  g_assert_cmpuint (bad_warnings->len, ==, 4);
  g_assert_cmpint (bad->sources_eds, ==, -1);
  g_assert_false (bad->sources_notmuch);
  g_assert_cmpint (bad->sources_since, ==, TB_YEAR);
  g_assert_null (bad->sources_maildir);
}

static void
test_special_values (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config = NULL;
  g_autoptr (TbConfig) home = NULL;
  g_autofree char *ics = NULL;
  g_autofree char *default_ics = NULL;
  g_autofree char *expected = NULL;

  config = parse_ok ("[reminders]\nquiet-hours=\n"
                     "[calendar]\nics-file=none\n"
                     "[intros]\nsuggest-every=\n"
                     "[review]\nper-day=0\n",
                     warnings);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_false (config->quiet_enabled);
  g_assert_cmpuint (config->review_per_day, ==, 0);
  g_assert_true (config->ics_disabled);
  g_assert_cmpint (config->suggest_every, ==, 0);
  ics = tb_config_ics_path (config);
  g_assert_null (ics);

  home = parse_ok ("[calendar]\nics-file=~/cal/t.ics\n"
                   "caldav-password-file=~/.dav\n"
                   "caldav-url=http://127.0.0.1:5232/ann/cal/\n"
                   "[reminders]\nquiet-hours = 9:00 – 17:30\n",
                   warnings);
  print_warnings (warnings);
  g_assert_cmpuint (warnings->len, ==, 0);
  expected = g_build_filename (g_get_home_dir (), "cal", "t.ics", NULL);
  g_assert_cmpstr (home->ics_file, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_build_filename (g_get_home_dir (), ".dav", NULL);
  g_assert_cmpstr (home->caldav_password_file, ==, expected);
  g_assert_cmpstr (home->caldav_url, ==, "http://127.0.0.1:5232/ann/cal/");
  g_assert_cmpint (home->quiet_start_min, ==, 9 * 60);
  g_assert_cmpint (home->quiet_end_min, ==, 17 * 60 + 30);

  /* Not set: the default under XDG_DATA_HOME. */
  g_clear_pointer (&config, tb_config_free);
  config = tb_config_new_default ();
  default_ics = tb_config_ics_path (config);
  g_clear_pointer (&expected, g_free);
  expected = g_build_filename (g_get_user_data_dir (), "touchbase",
                               "touchbase.ics", NULL);
  g_assert_cmpstr (default_ics, ==, expected);
}

/* One bad value: exactly one warning naming the file, group, key and the
 * value, and the default stays. */
static void
check_bad (const char *group, const char *key, const char *value,
           const char *kept)
{
  g_autofree char *data = g_strdup_printf ("[%s]\n%s=%s\n", group, key, value);
  g_autofree char *where = g_strdup_printf (FILENAME ": [%s] %s: ", group, key);
  g_autofree char *quoted = g_strdup_printf ("“%s”", value);
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config = NULL;
  const char *message;

  g_test_message ("[%s] %s=%s", group, key, value);
  config = parse_ok (data, warnings);
  print_warnings (warnings);
  g_assert_cmpuint (warnings->len, ==, 1);
  message = g_ptr_array_index (warnings, 0);
  g_assert_true (g_str_has_prefix (message, where));
  g_assert_nonnull (strstr (message, quoted));
  if (kept != NULL)
    g_assert_nonnull (strstr (message, kept));
  assert_defaults (config);
}

static void
test_bad_values (void)
{
  check_bad ("reminders", "default-interval", "abc", "keeping 1mo");
  check_bad ("reminders", "default-interval", "0", "keeping 1mo");
  check_bad ("reminders", "default-interval", "-1", "keeping 1mo");
  check_bad ("reminders", "default-interval", "1.5d", "keeping 1mo");
  check_bad ("reminders", "default-interval", "99999999999y", "keeping 1mo");
  check_bad ("reminders", "quiet-hours", "21:00", "keeping 21:00-09:00");
  check_bad ("reminders", "quiet-hours", "25:00-09:00", "keeping 21:00-09:00");
  check_bad ("reminders", "quiet-hours", "21:00-9", "keeping 21:00-09:00");
  check_bad ("reminders", "quiet-hours", "21:00-21:00", "keeping 21:00-09:00");
  check_bad ("reminders", "quiet-hours", "evenings", "keeping 21:00-09:00");
  check_bad ("reminders", "re-alert", "soon", "keeping 1d");
  check_bad ("reminders", "batch-limit", "abc",
             "is not a positive number; keeping 3");
  check_bad ("reminders", "batch-limit", "0", "keeping 3");
  check_bad ("reminders", "batch-limit", "-2", "keeping 3");
  check_bad ("reminders", "batch-limit", "99999999999", "keeping 3");
  check_bad ("reminders", "daily-limit", "1.5", "keeping 5");
  check_bad ("reminders", "snooze", "1x", "keeping 1w");
  check_bad ("reminders", "done-kind", "talked", "keeping call");
  check_bad ("reminders", "done-kind", "intro", "keeping call");
  check_bad ("calendar", "ics-file", "relative/cal.ics", NULL);
  check_bad ("calendar", "caldav-url", "ftp://example.org/cal", NULL);
  check_bad ("calendar", "caldav-url", "javascript:alert(1)", NULL);
  check_bad ("calendar", "caldav-url", "not a url", NULL);
  check_bad ("calendar", "caldav-password-file", "pw.txt", NULL);
  check_bad ("intros", "suggest-every", "weekly", "keeping 1w");
  check_bad ("review", "per-day", "some", "keeping 3");
  check_bad ("review", "per-day", "-1", "keeping 3");
  check_bad ("review", "per-day", "1001", "keeping 3");
}

static void
test_unknown (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config
      = parse_ok ("[reminders]\nbatch-limt=4\nbatch-limit=4\n"
                  "[remindres]\nsnooze=2d\n",
                  warnings);

  print_warnings (warnings);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   FILENAME
                   ": [reminders] batch-limt: unknown key; ignoring it");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   FILENAME ": [remindres]: unknown group; ignoring it");
  g_assert_cmpuint (config->batch_limit, ==, 4);
  g_assert_cmpint (config->snooze, ==, TB_WEEK);
}

static void
test_not_a_key_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config = NULL;

  config = tb_config_parse ("[reminders]\nthis is not a key file\n", (gsize) -1,
                            FILENAME, warnings, &error);
  g_assert_null (config);
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, FILENAME ": "));
  g_assert_nonnull (strstr (error->message, "this is not a key file"));
  g_clear_error (&error);

  config = tb_config_parse ("batch-limit=3\n", (gsize) -1, FILENAME, warnings,
                            &error);
  g_assert_null (config);
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
}

static void
test_load (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) missing = NULL;
  g_autoptr (TbConfig) loaded = NULL;
  g_autoptr (TbConfig) unreadable = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-config-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *nowhere = NULL;
  const char *message;

  g_assert_no_error (error);
  nowhere = g_build_filename (dir, "missing.conf", NULL);
  missing = tb_config_load (nowhere, warnings, &error);
  g_assert_no_error (error);
  assert_defaults (missing);
  g_assert_cmpuint (warnings->len, ==, 0);

  path = g_build_filename (dir, "touchbase.conf", NULL);
  g_assert_true (g_file_set_contents (
      path, "[reminders]\nbatch-limit=9\ndaily-limit=none\n", -1, &error));
  loaded = tb_config_load (path, warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->batch_limit, ==, 9);
  g_assert_cmpuint (loaded->daily_limit, ==, 5);
  g_assert_cmpuint (warnings->len, ==, 1);
  message = g_ptr_array_index (warnings, 0);
  /* Messages name the file by its path. */
  g_assert_true (g_str_has_prefix (message, path));

  /* A directory cannot be read as a file. */
  unreadable = tb_config_load (dir, warnings, &error);
  g_assert_null (unreadable);
  g_assert_error (error, TB_ERROR, TB_ERROR_FAILED);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_default_path (void)
{
  g_autofree char *path = tb_config_default_path ();
  g_autofree char *expected = g_build_filename (
      g_get_user_config_dir (), "touchbase", "touchbase.conf", NULL);

  g_assert_cmpstr (path, ==, expected);
}

/* Quiet hours */

static GTimeZone *
berlin (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");

  g_assert_nonnull (tz);
  return tz;
}

static void
check_quiet (const TbConfig *config, GTimeZone *tz, gint64 t, gboolean expected,
             gint64 expected_end)
{
  gint64 end = -1;
  gboolean quiet = tb_config_in_quiet_hours (config, t, tz, &end);

  g_test_message ("t=%" G_GINT64_FORMAT, t);
  g_assert_cmpint (quiet, ==, expected);
  if (expected)
    g_assert_cmpint (end, ==, expected_end);
  else
    g_assert_cmpint (end, ==, -1);
}

static void
test_quiet_across_midnight (void)
{
  g_autoptr (TbConfig) config = tb_config_new_default ();
  g_autoptr (GTimeZone) tz = berlin ();
  gint64 next_morning = AT (NOV29_MIDNIGHT, 9, 0);
  gint64 this_morning = AT (NOV28_MIDNIGHT, 9, 0);

  /* The default, 21:00-09:00. */
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 20, 59) + 59, FALSE, 0);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 21, 0), TRUE, next_morning);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 21, 0) + 30, TRUE, next_morning);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 23, 59) + 59, TRUE,
               next_morning);
  check_quiet (config, tz, NOV28_MIDNIGHT, TRUE, this_morning);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 8, 59), TRUE, this_morning);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 8, 59) + 59, TRUE, this_morning);
  check_quiet (config, tz, this_morning, FALSE, 0);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 12, 0), FALSE, 0);

  /* Without an end pointer. */
  g_assert_true (tb_config_in_quiet_hours (config, NOV28_MIDNIGHT, tz, NULL));
}

static void
test_quiet_same_day (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config
      = parse_ok ("[reminders]\nquiet-hours=12:00-14:00\n", warnings);
  g_autoptr (GTimeZone) tz = berlin ();
  gint64 end = AT (NOV28_MIDNIGHT, 14, 0);

  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 11, 59) + 59, FALSE, 0);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 12, 0), TRUE, end);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 13, 59) + 59, TRUE, end);
  check_quiet (config, tz, end, FALSE, 0);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 22, 0), FALSE, 0);
  check_quiet (config, tz, AT (NOV28_MIDNIGHT, 3, 0), FALSE, 0);
}

static void
test_quiet_midnight_edges (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) until
      = parse_ok ("[reminders]\nquiet-hours=22:00-00:00\n", warnings);
  g_autoptr (TbConfig) from
      = parse_ok ("[reminders]\nquiet-hours=00:00-06:00\n", warnings);
  g_autoptr (TbConfig) until24
      = parse_ok ("[reminders]\nquiet-hours=22:00-24:00\n", warnings);
  g_autoptr (GTimeZone) tz = berlin ();

  g_assert_cmpuint (warnings->len, ==, 0);
  /* Ending at midnight ends at the next day's start. */
  check_quiet (until, tz, AT (NOV28_MIDNIGHT, 22, 0), TRUE, NOV29_MIDNIGHT);
  check_quiet (until, tz, AT (NOV28_MIDNIGHT, 23, 59), TRUE, NOV29_MIDNIGHT);
  check_quiet (until, tz, NOV28_MIDNIGHT, FALSE, 0);
  check_quiet (until24, tz, AT (NOV28_MIDNIGHT, 23, 0), TRUE, NOV29_MIDNIGHT);
  /* Starting at midnight. */
  check_quiet (from, tz, NOV28_MIDNIGHT, TRUE, AT (NOV28_MIDNIGHT, 6, 0));
  check_quiet (from, tz, NOV28_MIDNIGHT - 1, FALSE, 0);
  check_quiet (from, tz, AT (NOV28_MIDNIGHT, 6, 0), FALSE, 0);
}

static void
test_quiet_dst (void)
{
  g_autoptr (TbConfig) config = tb_config_new_default ();
  g_autoptr (GTimeZone) tz = berlin ();

  /* The night clocks spring forward is an hour shorter: 22:00 CET to
   * 09:00 CEST is 10 hours. */
  check_quiet (config, tz, AT (MAR28_MIDNIGHT, 22, 0), TRUE, MAR29_0900);
  g_assert_cmpint (MAR29_0900 - AT (MAR28_MIDNIGHT, 22, 0), ==, 10 * 3600);
}

static void
test_quiet_disabled (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config
      = parse_ok ("[reminders]\nquiet-hours=\n", warnings);
  g_autoptr (GTimeZone) tz = berlin ();

  for (int h = 0; h < 24; h++)
    check_quiet (config, tz, AT (NOV28_MIDNIGHT, h, 0), FALSE, 0);
}

/* Tags */

static void
test_tag_intervals (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config
      = parse_ok ("[reminders]\ndefault-interval=30d\n"
                  "[tags]\nWork=2w\nfamily=1w\nCafé=3mo\nbroken=abc\n"
                  "empty=\n",
                  warnings);
  const char *work[] = { "work", NULL };
  const char *mixed[] = { "WORK", "Family", "other", NULL };
  const char *other[] = { "other", NULL };
  const char *cafe[] = { "CAFÉ", NULL };
  const char *none[] = { NULL };
  const char *message;

  print_warnings (warnings);
  g_assert_cmpuint (warnings->len, ==, 1);
  message = g_ptr_array_index (warnings, 0);
  g_assert_true (g_str_has_prefix (message, FILENAME ": [tags] broken: "));
  g_assert_nonnull (strstr (message, "“abc”"));

  g_assert_cmpuint (g_hash_table_size (config->tag_intervals), ==, 3);
  g_assert_cmpint (tb_config_interval_for_tags (config, work), ==, TB_WEEK * 2);
  g_assert_cmpint (tb_config_interval_for_tags (config, mixed), ==, TB_WEEK);
  g_assert_cmpint (tb_config_interval_for_tags (config, other), ==,
                   30 * TB_DAY);
  g_assert_cmpint (tb_config_interval_for_tags (config, cafe), ==,
                   3 * TB_MONTH);
  g_assert_cmpint (tb_config_interval_for_tags (config, none), ==, 30 * TB_DAY);
  g_assert_cmpint (tb_config_interval_for_tags (config, NULL), ==, 30 * TB_DAY);

  /* A contact's own interval comes before its tags'. */
  g_assert_cmpint (tb_config_effective_interval (3 * TB_DAY, mixed,
                                                 config->tag_intervals,
                                                 config->default_interval),
                   ==, 3 * TB_DAY);
  g_assert_cmpint (tb_config_effective_interval (0, mixed,
                                                 config->tag_intervals,
                                                 config->default_interval),
                   ==, TB_WEEK);
  g_assert_cmpint (tb_config_effective_interval (0, mixed, NULL, 9 * TB_DAY),
                   ==, 9 * TB_DAY);
}

static void
test_tag_longer_than_default (void)
{
  g_autoptr (GPtrArray) warnings = new_warnings ();
  g_autoptr (TbConfig) config
      = parse_ok ("[tags]\nacquaintance=6mo\n", warnings);
  const char *tags[] = { "acquaintance", NULL };

  /* A tag interval replaces the default even when it is longer. */
  g_assert_cmpint (tb_config_interval_for_tags (config, tags), ==,
                   6 * TB_MONTH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/design-example", test_design_example);
  g_test_add_func ("/config/every-key", test_every_key);
  g_test_add_func ("/config/special-values", test_special_values);
  g_test_add_func ("/config/sources", test_sources);
  g_test_add_func ("/config/bad-values", test_bad_values);
  g_test_add_func ("/config/unknown", test_unknown);
  g_test_add_func ("/config/not-a-key-file", test_not_a_key_file);
  g_test_add_func ("/config/load", test_load);
  g_test_add_func ("/config/default-path", test_default_path);
  g_test_add_func ("/config/quiet/across-midnight", test_quiet_across_midnight);
  g_test_add_func ("/config/quiet/same-day", test_quiet_same_day);
  g_test_add_func ("/config/quiet/midnight-edges", test_quiet_midnight_edges);
  g_test_add_func ("/config/quiet/dst", test_quiet_dst);
  g_test_add_func ("/config/quiet/disabled", test_quiet_disabled);
  g_test_add_func ("/config/tags/intervals", test_tag_intervals);
  g_test_add_func ("/config/tags/longer-than-default",
                   test_tag_longer_than_default);

  return g_test_run ();
}
