/* test-ical-events.c — the meetings read from iCalendar: the files of
 * Google, Nextcloud and Outlook in tests/data/calendar, recurrences, the
 * filters and the caps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ical-events"

#include "config.h"

#include <string.h>

#include "tb-error.h"
#include "tb-ical-events.h"

/* 2026-06-01T00:00:00Z and a year before it */
#define NOW ((gint64) 1780272000)
#define SINCE ((gint64) 1748736000)

static const char *const me[] = { "me@example.org", NULL };

typedef struct
{
  const char *key;
  const char *at; /* ISO 8601 UTC */
  TbInteractionKind kind;
  const char *note;
  const char *addresses; /* ',' separated */
} Expected;

static gint64
iso (const char *text)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static TbIcalEventsOptions
options (GTimeZone *local)
{
  TbIcalEventsOptions opts = { "ics:/test", SINCE, NOW, me, NULL, NULL, local };

  return opts;
}

static GPtrArray *
extract_file (const char *name, TbIcalEventsStats *stats)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "data", "calendar", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  TbIcalEventsOptions opts = options (berlin);
  gsize len;
  GPtrArray *found;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  found = tb_ical_events_extract (text, len, &opts, stats, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
assert_found (GPtrArray *found, const Expected *expected, guint n)
{
  for (guint i = 0; i < found->len; i++)
    {
      TbFound *f = found->pdata[i];
      g_autofree char *addresses = g_strjoinv (",", f->addresses);

      g_test_message ("found %s at %" G_GINT64_FORMAT " %s [%s]", f->key, f->at,
                      f->note, addresses);
    }
  g_assert_cmpuint (found->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      TbFound *f = found->pdata[i];
      g_autofree char *addresses = g_strjoinv (",", f->addresses);

      g_assert_cmpstr (f->source, ==, "ics:/test");
      g_assert_cmpstr (f->key, ==, expected[i].key);
      g_assert_cmpint (f->at, ==, iso (expected[i].at));
      g_assert_cmpint (f->kind, ==, expected[i].kind);
      g_assert_cmpstr (f->note, ==, expected[i].note);
      g_assert_cmpstr (addresses, ==, expected[i].addresses);
    }
}

#define WEEKLY "7k2d9s0fj3l4m5n6b7v8c9x0z1@google.com"

static void
test_google (void)
{
  /* Berlin is at +01:00 until 29 March, then +02:00. The weekly 1:1 ends
   * before 7 April, skips 17 March (EXDATE), moves 24 March to Thursday
   * afternoon and cancels 31 March; the meeting room is no one. */
  static const Expected expected[] = {
    { "4v1u2mf5k8h3qv0c6p3l1t7r9s@google.com", "2026-01-13T09:00:00Z",
      TB_KIND_VIDEO, "Quarterly catch-up", "ana.alves@example.com" },
    { WEEKLY "/20260303T080000Z", "2026-03-03T08:00:00Z", TB_KIND_MEETING,
      "Weekly 1:1 Bo", "bo@example.net" },
    { WEEKLY "/20260310T080000Z", "2026-03-10T08:00:00Z", TB_KIND_MEETING,
      "Weekly 1:1 Bo", "bo@example.net" },
    { WEEKLY "/20260324T080000Z", "2026-03-26T13:00:00Z", TB_KIND_MEETING,
      "Weekly 1:1 Bo (moved to Thursday)", "bo@example.net" },
  };
  TbIcalEventsStats stats;
  g_autoptr (GPtrArray) found = extract_file ("google.ics", &stats);

  assert_found (found, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (stats.events, ==, 8);
  g_assert_cmpuint (stats.cancelled, ==, 2);
  g_assert_cmpuint (stats.declined, ==, 1);
  g_assert_cmpuint (stats.alone, ==, 1); /* the dentist */
  g_assert_cmpuint (stats.capped, ==, 0);
  /* Summer planning, still to come, is the next to end. */
  g_assert_cmpint (stats.next_end, ==, iso ("2026-07-15T09:00:00Z"));
}

#define BOOK "1b8f5e2c-7a1d-4c3e-9f0a-2d4b6c8e0f11"

static void
test_nextcloud (void)
{
  /* MAILTO: in capitals, a declined attendee and a room left out, an
   * organizer known by its EMAIL parameter, a floating time read in
   * Berlin, and an event from before the window. */
  static const Expected expected[] = {
    { BOOK "/20260105T170000Z", "2026-01-05T17:00:00Z", TB_KIND_VIDEO,
      "Book club", "dee@example.com" },
    { BOOK "/20260202T170000Z", "2026-02-02T17:00:00Z", TB_KIND_VIDEO,
      "Book club", "dee@example.com" },
    { BOOK "/20260302T170000Z", "2026-03-02T17:00:00Z", TB_KIND_VIDEO,
      "Book club", "dee@example.com" },
    { "2c9a6f3d-8b2e-4d4f-a01b-3e5c7d9f1a22", "2026-02-14T18:30:00Z",
      TB_KIND_MEETING, "Dinner at Fay's", "fay@example.com" },
  };
  TbIcalEventsStats stats;
  g_autoptr (GPtrArray) found = extract_file ("nextcloud.ics", &stats);

  assert_found (found, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (stats.events, ==, 3);
}

#define STANDUP                                                                \
  "040000008200E00074C5B7101A82E00800000000D0A1B2C3D4E5F6010000000000000000"   \
  "100000004A6F1E2D3C4B5A69788796A5B4C3D2E1F0"

static void
test_outlook (void)
{
  /* CRLF, a quoted Windows TZID with its VTIMEZONE, COUNT and EXDATE, a
   * Teams link folded across lines. */
  static const Expected expected[] = {
    { STANDUP "/20260504T080000Z", "2026-05-04T08:00:00Z", TB_KIND_VIDEO,
      "Stand-up", "bo@example.net,gus@example.com" },
    { STANDUP "/20260505T080000Z", "2026-05-05T08:00:00Z", TB_KIND_VIDEO,
      "Stand-up", "bo@example.net,gus@example.com" },
    { STANDUP "/20260507T080000Z", "2026-05-07T08:00:00Z", TB_KIND_VIDEO,
      "Stand-up", "bo@example.net,gus@example.com" },
    { STANDUP "/20260508T080000Z", "2026-05-08T08:00:00Z", TB_KIND_VIDEO,
      "Stand-up", "bo@example.net,gus@example.com" },
  };
  g_autoptr (GPtrArray) found = extract_file ("outlook.ics", NULL);

  assert_found (found, expected, G_N_ELEMENTS (expected));
}

static GPtrArray *
extract_text (const char *text, TbIcalEventsStats *stats)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  TbIcalEventsOptions opts = options (utc);
  GPtrArray *found
      = tb_ical_events_extract (text, strlen (text), &opts, stats, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

#define EVENT(extra)                                                           \
  "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:S\r\n"                                    \
  "ORGANIZER:mailto:ana@example.com\r\n"                                       \
  "ATTENDEE:mailto:me@example.org\r\n" extra "END:VEVENT\r\n"

static void
test_recurrence_cap (void)
{
  /* Hourly for ever, from half a year back: 4,000 occurrences in the
   * window, of which the cap keeps the first ones. */
  TbIcalEventsStats stats;
  g_autoptr (GPtrArray) found = extract_text (
      "BEGIN:VCALENDAR\r\n" EVENT ("DTSTART:20251201T000000Z\r\n"
                                   "DURATION:PT30M\r\n"
                                   "RRULE:FREQ=HOURLY\r\n") "END:VCALENDAR\r\n",
      &stats);

  g_assert_cmpuint (found->len, ==, TB_ICAL_EVENTS_MAX_OCCURRENCES);
  g_assert_cmpstr (((TbFound *) found->pdata[0])->key, ==,
                   "u1/20251201T000000Z");
  g_assert_cmpuint (stats.capped, ==, 1);
}

static void
test_recurrence_steps (void)
{
  /* Every minute since 2000. Without COUNT the rule starts near the
   * window, so the cap of occurrences is what stops it; with a COUNT
   * libical must count from DTSTART, and the rule is given up after
   * TB_ICAL_EVENTS_MAX_STEPS (a million steps to the window). */
  TbIcalEventsStats stats;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) found
      = extract_text ("BEGIN:VCALENDAR\r\n" EVENT (
                          "DTSTART:20000101T000000Z\r\n"
                          "RRULE:FREQ=MINUTELY\r\n") "END:VCALENDAR\r\n",
                      &stats);
  g_autoptr (GPtrArray) counted = NULL;

  g_assert_cmpuint (found->len, ==, TB_ICAL_EVENTS_MAX_OCCURRENCES);
  g_assert_cmpstr (((TbFound *) found->pdata[0])->key, ==,
                   "u1/20250601T000000Z");
  g_assert_cmpuint (stats.capped, ==, 1);
  counted = extract_text (
      "BEGIN:VCALENDAR\r\n" EVENT (
          "DTSTART:20000101T000000Z\r\n"
          "RRULE:FREQ=MINUTELY;COUNT=100000000\r\n") "END:VCALENDAR\r\n",
      &stats);
  g_assert_cmpuint (counted->len, ==, 0);
  g_assert_cmpuint (stats.capped, ==, 1);
  g_test_message ("both in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
}

/* The keys found in @text read in Berlin, one per line. */
static char *
keys_in (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  TbIcalEventsOptions opts = options (berlin);
  g_autoptr (GPtrArray) found
      = tb_ical_events_extract (text, strlen (text), &opts, NULL, &error);
  GString *keys = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (keys, "%s\n", ((TbFound *) found->pdata[i])->key);
  return g_string_free (keys, FALSE);
}

static void
test_recurrence_skip (void)
{
  /* A rule that began years before the window is started near it: the
   * same occurrences as following it from DTSTART, which a COUNT forces,
   * for rules of every kind, zoned, floating and all-day. */
  static const struct
  {
    const char *dtstart, *rule;
  } rules[] = {
    { "DTSTART;TZID=Europe/Berlin:20150106T090000", "FREQ=WEEKLY;BYDAY=TU,TH" },
    { "DTSTART;TZID=Europe/Berlin:20150105T180000", "FREQ=MONTHLY;BYDAY=1MO" },
    { "DTSTART;TZID=Europe/Berlin:20150130T120000",
      "FREQ=MONTHLY;BYMONTHDAY=-1" },
    { "DTSTART:20150101T080000Z", "FREQ=DAILY;INTERVAL=3" },
    { "DTSTART:20150101T073000", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR" },
    { "DTSTART;VALUE=DATE:20150315", "FREQ=YEARLY" },
    { "DTSTART;VALUE=DATE:20150101", "FREQ=DAILY;INTERVAL=10" },
    { "DTSTART:20240101T000000Z", "FREQ=HOURLY;INTERVAL=7" },
    { "DTSTART:20250301T003000Z", "FREQ=HOURLY" },
    { "DTSTART:20250520T000000Z", "FREQ=MINUTELY;INTERVAL=90" },
    { "DTSTART;TZID=Europe/Berlin:20150101T100000",
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autofree char *free_text = g_strdup_printf (
          "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:r\r\n%s\r\n"
          "DURATION:PT30M\r\nRRULE:%s\r\n"
          "ORGANIZER:mailto:ana@example.com\r\n"
          "ATTENDEE:mailto:me@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
          rules[i].dtstart, rules[i].rule);
      g_autofree char *counted_text = g_strdup_printf (
          "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:r\r\n%s\r\n"
          "DURATION:PT30M\r\nRRULE:%s;COUNT=90000\r\n"
          "ORGANIZER:mailto:ana@example.com\r\n"
          "ATTENDEE:mailto:me@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
          rules[i].dtstart, rules[i].rule);
      g_autofree char *skipped = keys_in (free_text);
      g_autofree char *followed = keys_in (counted_text);

      g_test_message ("%s %s", rules[i].dtstart, rules[i].rule);
      g_assert_cmpstr (skipped, !=, "");
      g_assert_cmpstr (skipped, ==, followed);
    }
}

static void
test_rdate_and_orphan (void)
{
  /* RDATE (a date-time and a period), and an invitation to one instance
   * of someone's series whose master the file lacks. */
  g_autoptr (GPtrArray) found = extract_text (
      "BEGIN:VCALENDAR\r\n" EVENT ("DTSTART:20260105T100000Z\r\nDTEND:"
                                   "20260105T110000Z\r\n"
                                   "RDATE:20260110T100000Z\r\n"
                                   "RDATE;VALUE=PERIOD:20260120T150000Z/"
                                   "PT2H\r\n") "BEGIN:VEVENT\r\nUID:"
                                               "orphan\r\nSUMMARY:One of "
                                               "many\r\n"
                                               "RECURRENCE-ID:"
                                               "20260301T090000Z\r\n"
                                               "DTSTART:"
                                               "20260301T090000Z\r\nDTEND:"
                                               "20260301T100000Z\r\n"
                                               "ORGANIZER:mailto:bo@example."
                                               "net\r\n"
                                               "ATTENDEE;PARTSTAT=ACCEPTED:"
                                               "mailto:me@example.org\r\n"
                                               "END:VEVENT\r\nEND:"
                                               "VCALENDAR\r\n",
      NULL);

  g_assert_cmpuint (found->len, ==, 4);
  g_assert_cmpstr (((TbFound *) found->pdata[0])->key, ==,
                   "u1/20260105T100000Z");
  g_assert_cmpstr (((TbFound *) found->pdata[1])->key, ==,
                   "u1/20260110T100000Z");
  g_assert_cmpstr (((TbFound *) found->pdata[2])->key, ==,
                   "u1/20260120T150000Z");
  g_assert_cmpstr (((TbFound *) found->pdata[3])->key, ==,
                   "orphan/20260301T090000Z");
  g_assert_cmpstr (((TbFound *) found->pdata[3])->addresses[0], ==,
                   "bo@example.net");
}

static void
test_window (void)
{
  /* Still running at NOW: not yet; started a second before SINCE: out.
   * All-day recurring: the date is the key. */
  TbIcalEventsStats stats;
  g_autoptr (GPtrArray) found
      = extract_text ("BEGIN:VCALENDAR\r\n" EVENT (
                          "DTSTART:20260531T233000Z\r\nDTEND:"
                          "20260601T003000Z\r\n") "BEGIN:VEVENT\r\nUID:"
                                                  "u2\r\nDTSTART:"
                                                  "20250531T235959Z\r\n"
                                                  "ORGANIZER:mailto:ana@"
                                                  "example.com\r\nATTENDEE:"
                                                  "mailto:me@example.org\r\n"
                                                  "END:VEVENT\r\n"
                                                  "BEGIN:VEVENT\r\nUID:"
                                                  "u3\r\nDTSTART;VALUE=DATE:"
                                                  "20260529\r\n"
                                                  "RRULE:FREQ=DAILY\r\n"
                                                  "ORGANIZER:mailto:ana@"
                                                  "example.com\r\nATTENDEE:"
                                                  "mailto:me@example.org\r\n"
                                                  "END:VEVENT\r\nEND:"
                                                  "VCALENDAR\r\n",
                      &stats);

  /* 29, 30 and 31 May have ended; 1 June, starting at NOW, has not. */
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpstr (((TbFound *) found->pdata[0])->key, ==, "u3/20260529");
  g_assert_cmpint (((TbFound *) found->pdata[0])->at, ==,
                   iso ("2026-05-29T00:00:00Z"));
  g_assert_cmpstr (((TbFound *) found->pdata[2])->key, ==, "u3/20260531");
  /* The meeting under way ends first; reading again then finds it. */
  g_assert_cmpint (stats.next_end, ==, iso ("2026-06-01T00:30:00Z"));
}

static void
test_zone_without_vtimezone (void)
{
  /* An Olson TZID without its VTIMEZONE is libical's built-in zone; a
   * name libical does not know is read as local time (here UTC). */
  g_autoptr (GPtrArray) found = extract_text (
      "BEGIN:VCALENDAR\r\n" EVENT (
          "DTSTART;TZID=Europe/Berlin:20260113T100000\r\n"
          "DTEND;TZID=Europe/Berlin:20260113T110000\r\n") "BEGIN:VEVENT\r\nUID:"
                                                          "u2\r\n"
                                                          "DTSTART;TZID="
                                                          "Nowhere Standard "
                                                          "Time:"
                                                          "20260114T100000\r\n"
                                                          "ORGANIZER:mailto:"
                                                          "ana@example."
                                                          "com\r\nATTENDEE:"
                                                          "mailto:me@example."
                                                          "org\r\n"
                                                          "END:VEVENT\r\nEND:"
                                                          "VCALENDAR\r\n",
      NULL);

  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpint (((TbFound *) found->pdata[0])->at, ==,
                   iso ("2026-01-13T09:00:00Z"));
  g_assert_cmpint (((TbFound *) found->pdata[1])->at, ==,
                   iso ("2026-01-14T10:00:00Z"));
}

static void
test_split (void)
{
  /* How the text is cut: a master and its overridden instance with
   * another event between them, a UID folded over two lines, a VALARM
   * with a UID of its own (Apple, RFC 9074), lower-case names, a
   * VTIMEZONE after the events that use it, and a last event cut short. */
  const char *text
      = "BEGIN:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nUID:series-\r\n 1\r\n"
        "DTSTART;TZID=Custom/Zone:20260105T100000\r\n"
        "RRULE:FREQ=DAILY;COUNT=2\r\n"
        "ORGANIZER:mailto:ana@example.com\r\nATTENDEE:mailto:me@example.org\r\n"
        "BEGIN:VALARM\r\nUID:alarm-1\r\nACTION:DISPLAY\r\n"
        "TRIGGER:-PT5M\r\nEND:VALARM\r\n"
        "END:VEVENT\r\n"
        "begin:vevent\r\nuid:other\r\nDTSTART:20260107T100000Z\r\n"
        "ORGANIZER:mailto:bo@example.net\r\nATTENDEE:mailto:me@example.org\r\n"
        "end:vevent\r\n"
        "BEGIN:VEVENT\r\nUID:series-1\r\n"
        "RECURRENCE-ID;TZID=Custom/Zone:20260106T100000\r\n"
        "DTSTART;TZID=Custom/Zone:20260106T100000\r\nSTATUS:CANCELLED\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Custom/Zone\r\nBEGIN:STANDARD\r\n"
        "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0300\r\n"
        "TZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:cut\r\nDTSTART:20260108T100000Z\r\n"
        "ORGANIZER:mailto:bo@example.net\r\nATTENDEE:mailto:me@example.org\r\n";
  TbIcalEventsStats stats;
  g_autoptr (GPtrArray) found = extract_text (text, &stats);

  g_assert_cmpuint (stats.events, ==, 4);
  g_assert_cmpuint (stats.cancelled, ==, 1);
  g_assert_cmpuint (found->len, ==, 3);
  /* +03:00 from the VTIMEZONE that came later. */
  g_assert_cmpstr (((TbFound *) found->pdata[0])->key, ==,
                   "series-1/20260105T070000Z");
  g_assert_cmpstr (((TbFound *) found->pdata[1])->key, ==, "other");
  g_assert_cmpstr (((TbFound *) found->pdata[2])->key, ==, "cut");
}

static void
test_several_calendars (void)
{
  /* Two VCALENDARs one after the other (cat a.ics b.ics), and a bare
   * VEVENT. */
  const char *two = "BEGIN:VCALENDAR\r\n" EVENT (
      "DTSTART:20260105T100000Z\r\n") "END:VCALENDAR\r\n"
                                      "BEGIN:VCALENDAR\r\n"
                                      "BEGIN:VEVENT\r\nUID:u9\r\n"
                                      "DTSTART:20260106T100000Z\r\n"
                                      "ORGANIZER:mailto:bo@example.net\r\n"
                                      "ATTENDEE:mailto:me@example.org\r\n"
                                      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  g_autoptr (GPtrArray) found = extract_text (two, NULL);
  g_autoptr (GPtrArray) bare
      = extract_text (EVENT ("DTSTART:20260105T100000Z\r\n"), NULL);

  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpuint (bare->len, ==, 1);
}

static gboolean
is_own (const char *address, gpointer data)
{
  return g_str_equal (address, data);
}

static void
test_is_own (void)
{
  /* The user known by a callback (what the sources learned), not the
   * list: their declined answer counts, and they are no one else. */
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  TbIcalEventsOptions opts
      = { "ics:/test", SINCE, NOW, NULL, is_own, "me@work.example", utc };
  const char *text = "BEGIN:VCALENDAR\r\n"
                     "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260105T100000Z\r\n"
                     "ORGANIZER:mailto:ana@example.com\r\n"
                     "ATTENDEE;PARTSTAT=DECLINED:mailto:Me@Work.example\r\n"
                     "END:VEVENT\r\n"
                     "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260106T100000Z\r\n"
                     "ORGANIZER:mailto:me@work.example\r\n"
                     "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@work.example\r\n"
                     "END:VEVENT\r\nEND:VCALENDAR\r\n";
  TbIcalEventsStats stats;
  g_autoptr (GPtrArray) found
      = tb_ical_events_extract (text, strlen (text), &opts, &stats, NULL);

  g_assert_cmpuint (found->len, ==, 0);
  g_assert_cmpuint (stats.declined, ==, 1);
  g_assert_cmpuint (stats.alone, ==, 1);
}

static void
test_not_ical (void)
{
  g_autoptr (GError) error = NULL;
  TbIcalEventsOptions opts = options (NULL);
  GPtrArray *found;

  found = tb_ical_events_extract ("<html>Not found</html>", 22, &opts, NULL,
                                  &error);
  g_assert_null (found);
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
  g_clear_error (&error);
  found = tb_ical_events_extract ("", TB_ICAL_EVENTS_MAX_BYTES + 1, &opts, NULL,
                                  &error);
  g_assert_null (found);
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
}

static void
test_big (void)
{
  /* 2 MB of single events, each with three attendees: every one found. */
  GString *text = g_string_new ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
  g_autoptr (GPtrArray) found = NULL;
  TbIcalEventsStats stats;
  gint64 start;
  guint n = 0;

  while (text->len < 2 * 1024 * 1024)
    {
      g_string_append_printf (
          text,
          "BEGIN:VEVENT\r\nUID:big-%u\r\nDTSTAMP:20260101T000000Z\r\n"
          "DTSTART:20260102T%02u%02u00Z\r\nDURATION:PT30M\r\n"
          "SUMMARY:Meeting number %u\r\n"
          "ORGANIZER;CN=Person %u:mailto:p%u@example.com\r\n"
          "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
          "ATTENDEE;PARTSTAT=ACCEPTED;CN=Other:mailto:q%u@example.com\r\n"
          "END:VEVENT\r\n",
          n, (n / 60) % 24, n % 60, n, n, n, n);
      n++;
    }
  g_string_append (text, "END:VCALENDAR\r\n");
  start = g_get_monotonic_time ();
  found = extract_text (text->str, &stats);
  g_test_message ("%u events, %zu bytes: %" G_GINT64_FORMAT " ms", n, text->len,
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpuint (found->len, ==, n);
  g_string_free (text, TRUE);
}

static void
test_video_url (void)
{
  static const struct
  {
    const char *text;
    gboolean video;
  } cases[] = {
    { "https://us02web.zoom.us/j/812?pwd=x", TRUE },
    { "Join: HTTPS://Meet.Google.com/abc-defg-hij", TRUE },
    { "<https://teams.microsoft.com/l/meetup-join/19%3a>", TRUE },
    { "https://meet.jit.si/OurRoom", TRUE },
    { "https://jitsi.example.org/room", TRUE },
    { "https://whereby.com/ana", TRUE },
    { "https://acme.webex.com/meet/ana", TRUE },
    { "https://user@zoom.us/j/1", TRUE },
    { "https://notzoom.us/j/1", FALSE },
    { "https://zoom.us.evil.example/j/1", FALSE },
    { "zoom.us without a scheme", FALSE },
    { "ftp://zoom.us/", FALSE },
    { "Room 3, https://example.com/map", FALSE },
    { "", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (tb_ical_events_has_video_url (cases[i].text), ==,
                     cases[i].video);
  g_assert_false (tb_ical_events_has_video_url (NULL));
}

static void
test_address (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "mailto:Ana@Example.COM", "ana@example.com" },
    { "MAILTO:bo@example.net", "bo@example.net" },
    { " MailTo: cy@example.com ", "cy@example.com" },
    { "dee@example.com", "dee@example.com" },
    { "urn:uuid:1234", NULL },
    { "mailto:", NULL },
    { "mailto:@example.com", NULL },
    { "mailto:a b@example.com", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tb_ical_events_normalize_address (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ical-events/google", test_google);
  g_test_add_func ("/ical-events/nextcloud", test_nextcloud);
  g_test_add_func ("/ical-events/outlook", test_outlook);
  g_test_add_func ("/ical-events/recurrence-cap", test_recurrence_cap);
  g_test_add_func ("/ical-events/recurrence-steps", test_recurrence_steps);
  g_test_add_func ("/ical-events/recurrence-skip", test_recurrence_skip);
  g_test_add_func ("/ical-events/rdate-and-orphan", test_rdate_and_orphan);
  g_test_add_func ("/ical-events/window", test_window);
  g_test_add_func ("/ical-events/zone-without-vtimezone",
                   test_zone_without_vtimezone);
  g_test_add_func ("/ical-events/split", test_split);
  g_test_add_func ("/ical-events/several-calendars", test_several_calendars);
  g_test_add_func ("/ical-events/is-own", test_is_own);
  g_test_add_func ("/ical-events/not-ical", test_not_ical);
  g_test_add_func ("/ical-events/big", test_big);
  g_test_add_func ("/ical-events/video-url", test_video_url);
  g_test_add_func ("/ical-events/address", test_address);
  return g_test_run ();
}
