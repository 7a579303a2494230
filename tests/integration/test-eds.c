/* test-eds.c — evolution-data-server's calendars read and followed, with
 * the real registry and calendar factory started by D-Bus activation on a
 * private bus (GTestDBus), in their own XDG folders: a local calendar
 * made from a .source key file and its calendar.ics, the meetings in it,
 * and an event created through libecal seen by the watch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-eds"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-eds-calendars.h"
#include "tb-ical-events.h"

#ifdef HAVE_EDS
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libecal/libecal.h>
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#endif

#define SOURCE_UID "tb-test-calendar"
#define SERVICES "/usr/share/dbus-1/services"

static const char *const me[] = { "me@example.org", NULL };

static char *home;
static GTestDBus *bus;

static void
write_file (const char *path, const char *text)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* The calendar as a user's local one: a key file for the registry and
 * the local backend's calendar.ics, the Google export of
 * tests/data/calendar. */
static void
make_calendar (void)
{
  g_autofree char *source = g_build_filename (
      home, "config", "evolution", "sources", SOURCE_UID ".source", NULL);
  g_autofree char *ics = g_build_filename (
      home, "data", "evolution", "calendar", SOURCE_UID, "calendar.ics", NULL);
  g_autofree char *identity = g_build_filename (
      home, "config", "evolution", "sources", "tb-test-identity.source", NULL);
  g_autofree char *fixture = g_test_build_filename (
      G_TEST_DIST, "data", "calendar", "google.ics", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  write_file (source, "[Data Source]\n"
                      "DisplayName=Work\n"
                      "Enabled=true\n"
                      "Parent=local-stub\n"
                      "\n"
                      "[Calendar]\n"
                      "BackendName=local\n"
                      "Selected=true\n");
  /* The user's mail identity, as Evolution keeps it under an account. */
  write_file (identity, "[Data Source]\n"
                        "DisplayName=me@example.org\n"
                        "Enabled=true\n"
                        "Parent=\n"
                        "\n"
                        "[Mail Identity]\n"
                        "Address=Me@Example.org\n"
                        "Aliases=me@work.example, Me <me@home.example>\n"
                        "Name=Me\n");
  g_file_get_contents (fixture, &text, NULL, &error);
  g_assert_no_error (error);
  write_file (ics, text);
}

static gboolean
services_present (void)
{
  g_autofree char *registry
      = g_build_filename (SERVICES, TB_EDS_SOURCES_BUS_NAME ".service", NULL);

  return g_file_test (registry, G_FILE_TEST_EXISTS);
}

static void
bus_up (void)
{
  g_autoptr (GError) error = NULL;

  home = g_dir_make_tmp ("test-eds-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *data = g_build_filename (home, "data", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);
    g_autofree char *cache = g_build_filename (home, "cache", NULL);
    g_autofree char *runtime = g_build_filename (home, "runtime", NULL);

    g_mkdir_with_parents (runtime, 0700);
    /* The bus and what it starts inherit these. */
    g_setenv ("HOME", home, TRUE);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  }
  make_calendar ();
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (bus, SERVICES);
  g_test_dbus_up (bus);
}

static void
bus_down (void)
{
  g_autoptr (GSubprocess) rm = NULL;

  /* stop, not down: libedataserver keeps the bus connection of its own
   * threads a while, which down would wait for. */
  g_test_dbus_stop (bus);
  g_clear_object (&bus);
  rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", home,
                         NULL);
  if (rm != NULL)
    g_subprocess_wait (rm, NULL, NULL);
  g_clear_pointer (&home, g_free);
}

/* 2026-06-01T00:00:00Z and a year before */
#define NOW ((gint64) 1780272000)
#define SINCE ((gint64) 1748736000)

static TbEdsCalendar *
find_calendar (GPtrArray *calendars, const char *uid)
{
  for (guint i = 0; i < calendars->len; i++)
    {
      TbEdsCalendar *c = calendars->pdata[i];

      if (strcmp (c->uid, uid) == 0)
        return c;
    }
  return NULL;
}

static GPtrArray *
extract (TbEdsCalendar *calendar, gint64 now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  TbIcalEventsOptions opts
      = { "eds:" SOURCE_UID, SINCE, now, me, NULL, NULL, utc };
  gsize len;
  const char *text = g_bytes_get_data (calendar->text, &len);
  GPtrArray *found = tb_ical_events_extract (text, len, &opts, NULL, &error);

  g_assert_no_error (error);
  return found;
}

typedef struct
{
  guint changes;
} Watched;

static void
on_changed (gpointer data)
{
  Watched *w = data;

  w->changes++;
}

static gboolean
follows (gpointer data)
{
  return tb_eds_watch_follows (data, SOURCE_UID);
}

static gboolean
changed (gpointer data)
{
  return ((Watched *) data)->changes > 0;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The main loop until @done or 20 s. */
static void
iterate_until (GSourceFunc done, gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, wake, NULL);

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static void
test_read_and_watch (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) calendars = NULL;
  g_autoptr (GPtrArray) found = NULL;
  TbEdsCalendar *work;
  TbEdsWatch *watch;
  Watched watched = { 0 };
  g_auto (GStrv) identities = NULL;

  if (!services_present ())
    {
      g_test_skip ("needs evolution-data-server");
      return;
    }
  bus_up ();
  g_assert_true (tb_eds_available ());

  calendars = tb_eds_read_calendars (SINCE, NOW + 86400 * 60, &identities, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_true (
      g_strv_contains ((const char *const *) identities, "me@example.org"));
  g_assert_true (
      g_strv_contains ((const char *const *) identities, "me@work.example"));
  work = find_calendar (calendars, SOURCE_UID);
  g_assert_nonnull (work);
  g_assert_null (work->error);
  g_assert_cmpstr (work->label, ==, "Work");
  found = extract (work, NOW);
  /* The same meetings as from the file itself (test-ical-events): the
   * catch-up with Ana, and three of the weekly 1:1 with Bo, one moved. */
  g_assert_cmpuint (found->len, ==, 4);
  g_assert_cmpstr (((TbFound *) found->pdata[0])->source, ==,
                   "eds:" SOURCE_UID);
  {
    guint video = 0, weekly = 0;

    for (guint i = 0; i < found->len; i++)
      {
        TbFound *f = found->pdata[i];

        video += f->kind == TB_KIND_VIDEO;
        weekly += g_str_has_prefix (f->key, "7k2d9s0fj3l4m5n6b7v8c9x0z1@");
      }
    g_assert_cmpuint (video, ==, 1);
    g_assert_cmpuint (weekly, ==, 3);
  }

  /* An event created through libecal while the watch runs. */
  watch = tb_eds_watch_new (on_changed, &watched);
  {
    g_autoptr (ESourceRegistry) registry
        = e_source_registry_new_sync (NULL, &error);
    g_autoptr (ESource) source = NULL;
    g_autoptr (EClient) client = NULL;
    g_autoptr (GObject) event = NULL;
    g_autofree char *uid = NULL;

    g_assert_no_error (error);
    source = e_source_registry_ref_source (registry, SOURCE_UID);
    g_assert_nonnull (source);
    client = e_cal_client_connect_sync (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS,
                                        (guint32) -1, NULL, &error);
    g_assert_no_error (error);

    /* Let the watch open its view before the change. */
    iterate_until (follows, watch);
    g_assert_true (tb_eds_watch_follows (watch, SOURCE_UID));
    event = (GObject *) i_cal_component_new_from_string (
        "BEGIN:VEVENT\r\nUID:added-live\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20260420T120000Z\r\nDTEND:20260420T130000Z\r\n"
        "SUMMARY:Coffee with Ana\r\n"
        "ORGANIZER:mailto:ana.alves@example.com\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
        "END:VEVENT\r\n");
    g_assert_true (e_cal_client_create_object_sync (
        E_CAL_CLIENT (client), (ICalComponent *) event,
        E_CAL_OPERATION_FLAG_NONE, &uid, NULL, &error));
    g_assert_no_error (error);
  }
  iterate_until (changed, &watched);
  g_assert_cmpuint (watched.changes, >, 0);
  g_assert_null (tb_eds_watch_get_error (watch));
  tb_eds_watch_free (watch);

  g_clear_pointer (&calendars, g_ptr_array_unref);
  g_clear_pointer (&found, g_ptr_array_unref);
  calendars
      = tb_eds_read_calendars (SINCE, NOW + 86400 * 60, NULL, NULL, &error);
  g_assert_no_error (error);
  found = extract (find_calendar (calendars, SOURCE_UID), NOW);
  g_assert_cmpuint (found->len, ==, 5);
  bus_down ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#ifdef HAVE_EDS
  g_test_add_func ("/eds/read-and-watch", test_read_and_watch);
#endif
  return g_test_run ();
}
