/* test-ical.c — the iCalendar builder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ical"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libical/ical.h>
#include <string.h>
#include <unistd.h>

#include "tb-ical.h"
#include "tb-uri.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

/* 2026-03-10T12:00:00Z */
#define NOW ((gint64) 1773144000)
#define DAY ((gint64) 86400)

static TbContact *
make_contact (gint64 id, const char *uid, const char *name, gint64 due_at)
{
  TbContact *contact = tb_contact_new ();

  contact->id = id;
  contact->uid = g_strdup (uid);
  contact->name = g_strdup (name);
  contact->source = g_strdup ("manual");
  contact->due_at = due_at;
  contact->created_at = NOW - 100 * DAY;
  return contact;
}

static GPtrArray *
contacts_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
}

static TbIcalOptions
default_opts (void)
{
  TbIcalOptions opts = { FALSE, NOW, NULL };
  return opts;
}

static icalcomponent *
parse_ok (const char *ics)
{
  icalcomponent *cal = icalparser_parse_string (ics);

  g_assert_nonnull (cal);
  g_assert_cmpint (icalcomponent_isa (cal), ==, ICAL_VCALENDAR_COMPONENT);
  /* libical reports what it could not parse as X-LIC-ERROR properties. */
  g_assert_cmpint (icalcomponent_count_errors (cal), ==, 0);
  return cal;
}

static icalcomponent *
find_uid (icalcomponent *cal, icalcomponent_kind kind, const char *uid)
{
  for (icalcomponent *c = icalcomponent_get_first_component (cal, kind);
       c != NULL; c = icalcomponent_get_next_component (cal, kind))
    {
      if (g_strcmp0 (icalcomponent_get_uid (c), uid) == 0)
        return c;
    }
  return NULL;
}

static void
test_ical_round_trip (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) follow_ups
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_follow_up_free);
  TbContact *ana = make_contact (1, "0b6e1a8c-1111-4c1c-9a3e-1f0d2c3b4a59",
                                 "Ana Silva", NOW + 2 * DAY);
  TbFollowUp *fu = g_new0 (TbFollowUp, 1);
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;
  icalcomponent *ev, *alarm;
  struct icaltimetype start;

  ana->url = g_strdup ("https://www.linkedin.com/in/ana-silva");
  ana->tags = g_strsplit ("work,lisbon", ",", -1);
  ana->last_interaction_at = NOW - 40 * DAY;
  ana->last_interaction_kind = TB_KIND_COFFEE;
  ana->position = g_strdup ("Product lead");
  ana->company = g_strdup ("Acme");
  ana->sequence = 3;
  tb_contact_add_fact (ana, tb_fact_new (TB_FACT_GOAL, "move to Berlin"));
  tb_contact_add_fact (ana, tb_fact_new (TB_FACT_NEED, "a designer"));
  g_ptr_array_add (contacts, ana);

  fu->id = 7;
  fu->contact_id = 1;
  fu->due_at = NOW + 5 * DAY;
  fu->sequence = 1;
  fu->text = g_strdup ("ask how the interview went");
  fu->contact_name = g_strdup ("Ana Silva");
  fu->contact_uid = g_strdup (ana->uid);
  g_ptr_array_add (follow_ups, fu);

  ics = tb_ical_build_calendar (contacts, follow_ups, &opts);
  cal = parse_ok (ics);
  g_assert_cmpint (icalcomponent_count_components (cal, ICAL_VEVENT_COMPONENT),
                   ==, 2);

  ev = find_uid (cal, ICAL_VEVENT_COMPONENT,
                 "touchbase-0b6e1a8c-1111-4c1c-9a3e-1f0d2c3b4a59");
  g_assert_nonnull (ev);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==,
                   "Touch base with Ana Silva");
  start = icalcomponent_get_dtstart (ev);
  g_assert_true (icaltime_is_utc (start));
  g_assert_cmpint (icaltime_as_timet (start), ==, NOW + 2 * DAY);
  g_assert_cmpint (icalcomponent_get_sequence (ev), ==, 3);
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstamp (ev)), ==, NOW);
  g_assert_nonnull (strstr (icalcomponent_get_description (ev),
                            "Last contact: 2026-01-29 (coffee)"));
  g_assert_nonnull (
      strstr (icalcomponent_get_description (ev), "Goal: move to Berlin"));
  g_assert_nonnull (
      strstr (icalcomponent_get_description (ev), "Looking for: a designer"));
  g_assert_nonnull (
      strstr (icalcomponent_get_description (ev), "Product lead at Acme"));
  g_assert_cmpstr (icalproperty_get_url (icalcomponent_get_first_property (
                       ev, ICAL_URL_PROPERTY)),
                   ==, "https://www.linkedin.com/in/ana-silva");
  g_assert_cmpint (
      icalcomponent_count_properties (ev, ICAL_CATEGORIES_PROPERTY), ==, 2);
  alarm = icalcomponent_get_first_component (ev, ICAL_VALARM_COMPONENT);
  g_assert_nonnull (alarm);
  g_assert_cmpint (icalproperty_get_action (icalcomponent_get_first_property (
                       alarm, ICAL_ACTION_PROPERTY)),
                   ==, ICAL_ACTION_DISPLAY);
  g_assert_cmpint (
      icaldurationtype_as_int (
          icalproperty_get_trigger (
              icalcomponent_get_first_property (alarm, ICAL_TRIGGER_PROPERTY))
              .duration),
      ==, 0);

  ev = find_uid (cal, ICAL_VEVENT_COMPONENT,
                 "touchbase-followup-7-0b6e1a8c-1111-4c1c-9a3e-1f0d2c3b4a59");
  g_assert_nonnull (ev);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==,
                   "Follow up with Ana Silva: ask how the interview went");
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstart (ev)), ==,
                   NOW + 5 * DAY);
  g_assert_cmpint (icalcomponent_get_sequence (ev), ==, 1);
}

static void
test_ical_skips (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) follow_ups
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_follow_up_free);
  TbContact *paused = make_contact (1, "u-paused", "Paused Person", NOW);
  TbFollowUp *done = g_new0 (TbFollowUp, 1);
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;

  paused->paused = TRUE;
  g_ptr_array_add (contacts, paused);
  g_ptr_array_add (contacts, make_contact (2, "u-none", "Not Due", 0));
  done->id = 1;
  done->contact_id = 2;
  done->due_at = NOW;
  done->done_at = NOW;
  done->text = g_strdup ("done already");
  g_ptr_array_add (follow_ups, done);

  ics = tb_ical_build_calendar (contacts, follow_ups, &opts);
  cal = parse_ok (ics);
  g_assert_cmpint (icalcomponent_count_components (cal, ICAL_ANY_COMPONENT), ==,
                   0);
}

static void
test_ical_stable_uids (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbContact *c = make_contact (1, "uid-1", "Ben", NOW + DAY);
  TbIcalOptions opts = default_opts ();
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (GPtrArray) moved = NULL;
  g_autoptr (icalcomponent) cal1 = NULL;
  g_autoptr (icalcomponent) cal2 = NULL;
  icalcomponent *ev1, *ev2;

  g_ptr_array_add (contacts, c);
  first = tb_ical_build_resources (contacts, NULL, &opts);
  /* Same records later: same UID and same content hash. */
  opts.now = NOW + 3600;
  second = tb_ical_build_resources (contacts, NULL, &opts);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (second->len, ==, 1);
  {
    TbIcalResource *a = g_ptr_array_index (first, 0);
    TbIcalResource *b = g_ptr_array_index (second, 0);

    g_assert_cmpstr (a->uid, ==, "touchbase-uid-1");
    g_assert_cmpstr (a->uid, ==, b->uid);
    g_assert_cmpstr (a->hash, ==, b->hash);
    g_assert_cmpstr (a->ics, !=, b->ics); /* only DTSTAMP differs */
  }

  /* The due date moves: DTSTART and SEQUENCE change, the UID does not. */
  c->due_at += 7 * DAY;
  c->sequence++;
  moved = tb_ical_build_resources (contacts, NULL, &opts);
  {
    TbIcalResource *a = g_ptr_array_index (first, 0);
    TbIcalResource *b = g_ptr_array_index (moved, 0);

    g_assert_cmpstr (a->uid, ==, b->uid);
    g_assert_cmpstr (a->hash, !=, b->hash);
    cal1 = parse_ok (a->ics);
    cal2 = parse_ok (b->ics);
  }
  ev1 = icalcomponent_get_first_component (cal1, ICAL_VEVENT_COMPONENT);
  ev2 = icalcomponent_get_first_component (cal2, ICAL_VEVENT_COMPONENT);
  g_assert_cmpstr (icalcomponent_get_uid (ev1), ==,
                   icalcomponent_get_uid (ev2));
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstart (ev2))
                       - icaltime_as_timet (icalcomponent_get_dtstart (ev1)),
                   ==, 7 * DAY);
  g_assert_cmpint (icalcomponent_get_sequence (ev2), ==,
                   icalcomponent_get_sequence (ev1) + 1);
}

static void
test_ical_snoozed (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbContact *c = make_contact (1, "uid-s", "Snoozy", NOW - DAY);
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;

  c->snoozed_until = NOW + 7 * DAY;
  g_ptr_array_add (contacts, c);
  ics = tb_ical_build_calendar (contacts, NULL, &opts);
  cal = parse_ok (ics);
  g_assert_cmpint (
      icaltime_as_timet (icalcomponent_get_dtstart (
          icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT))),
      ==, NOW + 7 * DAY);
}

static void
check_birthday (icalcomponent *cal, const char *uid, int year, int month,
                int day, const char *rrule)
{
  icalcomponent *ev = find_uid (cal, ICAL_VEVENT_COMPONENT, uid);
  icalproperty *prop;
  struct icaltimetype start;
  struct icalrecurrencetype rule;

  g_assert_nonnull (ev);
  start = icalcomponent_get_dtstart (ev);
  g_assert_true (icaltime_is_date (start));
  g_assert_cmpint (start.year, ==, year);
  g_assert_cmpint (start.month, ==, month);
  g_assert_cmpint (start.day, ==, day);
  prop = icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY);
  g_assert_nonnull (
      icalproperty_get_first_parameter (prop, ICAL_VALUE_PARAMETER));
  prop = icalcomponent_get_first_property (ev, ICAL_RRULE_PROPERTY);
  g_assert_nonnull (prop);
  rule = icalproperty_get_rrule (prop);
  g_assert_cmpstr (icalrecurrencetype_as_string (&rule), ==, rrule);
  g_assert_nonnull (
      icalcomponent_get_first_component (ev, ICAL_VALARM_COMPONENT));
}

static void
test_ical_birthdays (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbContact *a = make_contact (1, "b1", "With Year", 0);
  TbContact *b = make_contact (2, "b2", "No Year", 0);
  TbContact *c = make_contact (3, "b3", "Leap Day", 0);
  TbContact *d = make_contact (4, "b4", "Broken", 0);
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;

  a->birthday = g_strdup ("1985-07-14");
  b->birthday = g_strdup ("--12-03");
  c->birthday = g_strdup ("--02-29");
  d->birthday = g_strdup ("1985-02-30");
  g_ptr_array_add (contacts, a);
  g_ptr_array_add (contacts, b);
  g_ptr_array_add (contacts, c);
  g_ptr_array_add (contacts, d);
  opts.todo = TRUE; /* birthdays stay events */

  ics = tb_ical_build_calendar (contacts, NULL, &opts);
  cal = parse_ok (ics);
  g_assert_cmpint (icalcomponent_count_components (cal, ICAL_VEVENT_COMPONENT),
                   ==, 3);
  check_birthday (cal, "touchbase-birthday-b1", 1985, 7, 14, "FREQ=YEARLY");
  check_birthday (cal, "touchbase-birthday-b2", 2000, 12, 3, "FREQ=YEARLY");
  check_birthday (cal, "touchbase-birthday-b3", 2000, 2, 29,
                  "FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2");
  g_assert_nonnull (strstr (ics, "DTSTART;VALUE=DATE:19850714\r\n"));
  g_assert_nonnull (strstr (ics, "RRULE:FREQ=YEARLY\r\n"));
  g_assert_cmpstr (icalcomponent_get_summary (find_uid (
                       cal, ICAL_VEVENT_COMPONENT, "touchbase-birthday-b1")),
                   ==, "With Year's birthday");
}

static void
test_ical_todo (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;
  icalcomponent *todo;
  icalproperty *trigger;

  g_ptr_array_add (contacts, make_contact (1, "t1", "Tod", NOW + DAY));
  opts.todo = TRUE;
  ics = tb_ical_build_calendar (contacts, NULL, &opts);
  cal = parse_ok (ics);
  g_assert_cmpint (icalcomponent_count_components (cal, ICAL_VEVENT_COMPONENT),
                   ==, 0);
  todo = icalcomponent_get_first_component (cal, ICAL_VTODO_COMPONENT);
  g_assert_nonnull (todo);
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_due (todo)), ==,
                   NOW + DAY);
  trigger = icalcomponent_get_first_property (
      icalcomponent_get_first_component (todo, ICAL_VALARM_COMPONENT),
      ICAL_TRIGGER_PROPERTY);
  g_assert_nonnull (
      icalproperty_get_first_parameter (trigger, ICAL_RELATED_PARAMETER));
}

static void
test_ical_escaping (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbContact *c
      = make_contact (1, "e1", "Silva, Ana; \"Dr\"\nsecond\\line", NOW + DAY);
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;
  icalcomponent *ev;
  icalproperty *cat;

  c->tags = g_strsplit ("a,b|semi;colon|ctl\x01x", "|", -1);
  c->url = g_strdup ("javascript:alert(1)");
  g_ptr_array_add (contacts, c);
  ics = tb_ical_build_calendar (contacts, NULL, &opts);
  g_assert_nonnull (strstr (
      ics,
      "SUMMARY:Touch base with Silva\\, Ana\\; \"Dr\"\\nsecond\\\\line\r\n"));
  g_assert_null (strstr (ics, "javascript"));
  g_assert_null (strchr (ics, '\x01'));

  cal = parse_ok (ics);
  ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==,
                   "Touch base with Silva, Ana; \"Dr\"\nsecond\\line");
  g_assert_null (icalcomponent_get_first_property (ev, ICAL_URL_PROPERTY));
  cat = icalcomponent_get_first_property (ev, ICAL_CATEGORIES_PROPERTY);
  g_assert_cmpstr (icalproperty_get_categories (cat), ==, "a b");
  cat = icalcomponent_get_next_property (ev, ICAL_CATEGORIES_PROPERTY);
  g_assert_cmpstr (icalproperty_get_categories (cat), ==, "semi colon");
  cat = icalcomponent_get_next_property (ev, ICAL_CATEGORIES_PROPERTY);
  g_assert_cmpstr (icalproperty_get_categories (cat), ==, "ctl x");
  g_assert_null (
      icalcomponent_get_next_property (ev, ICAL_CATEGORIES_PROPERTY));
}

static void
test_ical_format (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbContact *c = make_contact (1, "f1", "Long Note Person", NOW + DAY);
  TbIcalOptions opts = default_opts ();
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *ics = NULL;
  g_auto (GStrv) lines = NULL;
  guint n;

  c->met = g_strnfill (300, 'x');
  c->last_interaction_at = NOW - DAY;
  c->birthday = g_strdup ("--03-01");
  g_ptr_array_add (contacts, c);
  if (berlin != NULL)
    opts.tz = berlin;
  ics = tb_ical_build_calendar (contacts, NULL, &opts);

  g_assert_null (strstr (ics, "freeassociation"));
  g_assert_null (strstr (ics, "TZID"));
  g_assert_true (g_str_has_prefix (ics, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (ics, "END:VCALENDAR\r\n"));
  lines = g_strsplit (ics, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 10);
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      gsize len = strlen (lines[i]);

      g_assert_cmpuint (len, >=, 1);
      g_assert_cmpint (lines[i][len - 1], ==, '\r');
      g_assert_cmpuint (len - 1, <=, 75); /* folded */
    }
}

static void
test_ical_url_allowlist (void)
{
  g_assert_true (tb_uri_is_allowed ("https://example.com/x"));
  g_assert_true (tb_uri_is_allowed ("HTTP://example.com"));
  g_assert_true (tb_uri_is_allowed ("mailto:a@example.com"));
  g_assert_true (tb_uri_is_allowed ("tel:+351123"));
  g_assert_false (tb_uri_is_allowed ("javascript:alert(1)"));
  g_assert_false (tb_uri_is_allowed ("file:///etc/passwd"));
  g_assert_false (tb_uri_is_allowed ("https://a b"));
  g_assert_false (tb_uri_is_allowed ("https://a\r\nX-EVIL:1"));
  g_assert_false (tb_uri_is_allowed ("example.com"));
  g_assert_false (tb_uri_is_allowed (""));
  g_assert_false (tb_uri_is_allowed (NULL));
  /* Parsed strictly: the parts a click could be abused through. */
  g_assert_true (
      tb_uri_is_allowed ("mailto:a@example.com?subject=Hi&body=A%20b"));
  g_assert_false (tb_uri_is_allowed ("mailto:a@example.com?attach=/etc/x"));
  g_assert_false (
      tb_uri_is_allowed ("mailto:a@example.com?subject=x&Attachment=/x"));
  g_assert_false (tb_uri_is_allowed ("mailto:a@example.com?att%61ch=/x"));
  g_assert_false (tb_uri_is_allowed ("mailto://host/a@example.com"));
  g_assert_false (tb_uri_is_allowed ("https://bank.example@evil.example/"));
  g_assert_false (tb_uri_is_allowed ("https:///nohost"));
  g_assert_false (tb_uri_is_allowed ("https://example.com/%zz"));
  g_assert_false (tb_uri_is_allowed ("tel:"));
  g_assert_false (tb_uri_is_allowed ("tel:+1?x=y"));
  g_assert_false (tb_uri_is_allowed ("https://example.com/\x7f"));
}

/* What a click opens: the link, else mailto:, else tel:, else nothing. */
static void
test_uri_for_contact (void)
{
  g_autofree char *link
      = tb_uri_for_contact ("https://example.org/a", "a@example.org", "1");
  g_autofree char *mail
      = tb_uri_for_contact ("file:///etc/passwd", "a b@example.org", "1");
  g_autofree char *tel
      = tb_uri_for_contact (NULL, "not-an-address", "+351 (91) 234-5678");
  g_autofree char *none = tb_uri_for_contact (NULL, "a@b,c@d", "call me");
  g_autofree char *nothing = tb_uri_for_contact (NULL, NULL, NULL);

  g_assert_cmpstr (link, ==, "https://example.org/a");
  g_assert_cmpstr (mail, ==, "mailto:a%20b@example.org");
  g_assert_cmpstr (tel, ==, "tel:+351(91)234-5678");
  g_assert_null (none);
  g_assert_null (nothing);
}

/* Enough records to be built on several threads and in more than one
 * batch of tb_ical_write_calendar(): the order of the file is still
 * contacts (touch-base, birthday) then follow-ups. */
static void
test_ical_many_in_order (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) follow_ups
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_follow_up_free);
  TbIcalOptions opts = default_opts ();
  g_autofree char *ics = NULL;
  g_autoptr (icalcomponent) cal = NULL;
  g_autoptr (GPtrArray) resources = NULL;
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  guint i = 0;

  for (guint n = 0; n < 18000; n++)
    {
      g_autofree char *uid = g_strdup_printf ("m%u", n);
      TbContact *c = make_contact (n + 1, uid, "Many", NOW + n);

      g_ptr_array_add (expected, g_strdup_printf ("touchbase-%s", uid));
      if (n % 1000 == 0)
        {
          c->birthday = g_strdup ("--01-01");
          g_ptr_array_add (expected,
                           g_strdup_printf ("touchbase-birthday-%s", uid));
        }
      g_ptr_array_add (contacts, c);
    }
  for (guint n = 0; n < 3000; n++)
    {
      TbFollowUp *fu = g_new0 (TbFollowUp, 1);

      fu->id = n + 1;
      fu->contact_id = n + 1;
      fu->due_at = NOW + n;
      fu->text = g_strdup ("x");
      g_ptr_array_add (expected,
                       g_strdup_printf ("touchbase-followup-%u", n + 1));
      g_ptr_array_add (follow_ups, fu);
    }

  ics = tb_ical_build_calendar (contacts, follow_ups, &opts);
  cal = parse_ok (ics);
  for (icalcomponent *c
       = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT), i++)
    {
      g_assert_cmpuint (i, <, expected->len);
      g_assert_cmpstr (icalcomponent_get_uid (c), ==,
                       g_ptr_array_index (expected, i));
    }
  g_assert_cmpuint (i, ==, expected->len);
  /* The follow-up found its contact across chunks. */
  g_assert_nonnull (strstr (ics, "SUMMARY:Follow up with Many: x\r\n"));

  resources = tb_ical_build_resources (contacts, follow_ups, &opts);
  g_assert_cmpuint (resources->len, ==, expected->len);
  for (i = 0; i < resources->len; i++)
    {
      TbIcalResource *r = g_ptr_array_index (resources, i);

      g_assert_cmpstr (r->uid, ==, g_ptr_array_index (expected, i));
      g_assert_cmpuint (strlen (r->hash), ==, 64);
    }
}

static void
run_check_ics (const char *ics, const char *count)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "integration",
                                                   "check-ics.py", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autofree char *err = NULL;
  int fd;

  fd = g_file_open_tmp ("test-ical-XXXXXX.ics", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, ics, -1, &error);
  g_assert_no_error (error);

  /* The child's stdout would break TAP: it only writes to stderr, which
   * is captured too. */
  proc = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
      "/usr/bin/python3", script, path, "--count", count, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_subprocess_get_successful (proc))
    g_error ("check-ics.py failed: %s", err);
}

/* Other people's parsers: python3-icalendar and khal. */
static void
test_ical_other_parsers (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) follow_ups
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_follow_up_free);
  TbContact *a
      = make_contact (1, "p1", "Silva, Ana; \"Dr\"\nJosé 東京", NOW + DAY);
  TbContact *b = make_contact (2, "p2", "Leap O'Day", NOW + 2 * DAY);
  TbFollowUp *fu = g_new0 (TbFollowUp, 1);
  TbIcalOptions opts = default_opts ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("America/Sao_Paulo");
  g_autofree char *ics = NULL;
  g_autofree char *todo = NULL;
  g_autofree char *khal = g_find_program_in_path ("khal");

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
      || khal == NULL)
    {
      g_test_skip ("needs /usr/bin/python3 with python3-icalendar and khal");
      return;
    }

  a->tags = g_strsplit ("work,a;b", ",", -1);
  a->url = g_strdup ("https://example.com/a?b=c,d;e");
  a->met = g_strdup ("At a conference, in Lisbon; long text that needs "
                     "folding because it goes on and on and on and on");
  a->last_interaction_at = NOW - 10 * DAY;
  tb_contact_add_fact (a, tb_fact_new (TB_FACT_NEED, "a job\r\nin Berlin"));
  b->birthday = g_strdup ("--02-29");
  g_ptr_array_add (contacts, a);
  g_ptr_array_add (contacts, b);
  fu->id = 3;
  fu->contact_id = 1;
  fu->contact_uid = g_strdup ("p1");
  fu->due_at = NOW + 3 * DAY;
  fu->text = g_strdup ("ask about \\ the, job; now");
  g_ptr_array_add (follow_ups, fu);
  opts.tz = tz;

  ics = tb_ical_build_calendar (contacts, follow_ups, &opts);
  run_check_ics (ics, "4");
  opts.todo = TRUE;
  todo = tb_ical_build_calendar (contacts, follow_ups, &opts);
  run_check_ics (todo, "4");
}

static gboolean
fail_second_write (const char *data, gsize len, gpointer user_data,
                   GError **error)
{
  guint *calls = user_data;

  if (++*calls < 2)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "full");
  return FALSE;
}

static gboolean
collect_pieces (const char *data, gsize len, gpointer user_data, GError **error)
{
  g_string_append_len (user_data, data, len);
  return TRUE;
}

/* Streaming gives the same text, and a failing write stops it with its
 * error. */
static void
test_ical_write_streams (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  TbIcalOptions opts = default_opts ();
  g_autofree char *whole = NULL;
  g_autoptr (GString) pieces = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  guint calls = 0;

  for (guint n = 0; n < 50; n++)
    {
      g_autofree char *uid = g_strdup_printf ("w%u", n);

      g_ptr_array_add (contacts, make_contact (n + 1, uid, "W", NOW + n));
    }
  whole = tb_ical_build_calendar (contacts, NULL, &opts);
  g_assert_true (tb_ical_write_calendar (contacts, NULL, &opts, collect_pieces,
                                         pieces, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pieces->str, ==, whole);

  g_assert_false (tb_ical_write_calendar (contacts, NULL, &opts,
                                          fail_second_write, &calls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (calls, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ical/round-trip", test_ical_round_trip);
  g_test_add_func ("/ical/skips", test_ical_skips);
  g_test_add_func ("/ical/stable-uids", test_ical_stable_uids);
  g_test_add_func ("/ical/snoozed", test_ical_snoozed);
  g_test_add_func ("/ical/birthdays", test_ical_birthdays);
  g_test_add_func ("/ical/todo", test_ical_todo);
  g_test_add_func ("/ical/escaping", test_ical_escaping);
  g_test_add_func ("/ical/format", test_ical_format);
  g_test_add_func ("/ical/url-allowlist", test_ical_url_allowlist);
  g_test_add_func ("/ical/uri-for-contact", test_uri_for_contact);
  g_test_add_func ("/ical/many-in-order", test_ical_many_in_order);
  g_test_add_func ("/ical/write-streams", test_ical_write_streams);
  g_test_add_func ("/ical/other-parsers", test_ical_other_parsers);

  return g_test_run ();
}
