/* test-cal-sources.c — the calendar sources' scans and wake-ups without
 * a daemon: an .ics file's meetings and cursor, the timer for the next
 * meeting's end, a change seen by inotify, and a URL's back-off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cal-sources"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-cal-sources.h"
#include "tb-test-util.h"

#define DAY 86400

static char *
stamp (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
}

static char *
event (const char *uid, gint64 start, gint64 end, const char *summary)
{
  g_autofree char *s = stamp (start);
  g_autofree char *e = stamp (end);

  return g_strdup_printf (
      "BEGIN:VEVENT\r\nUID:%s\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:%s\r\n"
      "ORGANIZER:mailto:ana@example.com\r\n"
      "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
      "END:VEVENT\r\n",
      uid, s, e, summary);
}

static void
write_calendar (const char *path, const char *events)
{
  g_autofree char *text = g_strconcat ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
                                       events, "END:VCALENDAR\r\n", NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autoptr (GError) error = NULL;

  /* As editors save: a new file renamed over the old. */
  g_file_set_contents (tmp, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
}

static GHashTable *
own_set (void)
{
  GHashTable *own
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (own, g_strdup ("me@example.org"));
  return own;
}

/* Runs a scan of @source as the manager would (here on this thread). */
static TbSourceScan *
scan (TbSource *source, gboolean *ok, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (GHashTable) own = own_set ();
  TbSourceScan *s = tb_source_scan_new (source, now - 365 * DAY, now, NULL, own,
                                        NULL, NULL);

  *ok = tb_source_run_scan (source, s, NULL, error);
  return s;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_changed (TbSource *source, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cal-sources-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "work.ics", NULL);
  g_autofree char *expected_name = g_strconcat ("ics:", path, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 soon = now + 3600;
  g_autofree char *past
      = event ("past-1", now - DAY, now - DAY + 1800, "Lunch");
  g_autofree char *later = event ("later-1", soon - 1800, soon, "Later");
  g_autofree char *both = g_strconcat (past, later, NULL);
  g_autoptr (TbSource) source = NULL;
  TbSourceScan *s;
  GPtrArray *found;
  gboolean ok;
  guint changes = 0;
  gint64 deadline;

  g_assert_no_error (error);
  write_calendar (path, both);
  source = tb_ics_source_new (path);
  g_assert_cmpstr (tb_source_get_name (source), ==, expected_name);
  g_signal_connect (source, "changed", G_CALLBACK (on_changed), &changes);
  g_assert_true (tb_source_watch (source));

  s = scan (source, &ok, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  found = tb_source_scan_get_found (s);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((TbFound *) found->pdata[0])->key, ==, "past-1");
  g_assert_cmpstr (((TbFound *) found->pdata[0])->source, ==, expected_name);
  g_assert_true (g_str_has_prefix (tb_source_scan_get_new_cursor (s), "read:"));
  tb_source_scan_free (s);

  /* The one timer: a minute after the meeting to come ends. */
  drain ();
  g_assert_cmpint (tb_cal_source_get_wakeup (TB_CAL_SOURCE (source)), ==,
                   soon + 60);

  /* Saved again: inotify says so. */
  write_calendar (path, past);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (changes == 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (changes, >, 0);

  /* Nothing to come: no timer at all. */
  s = scan (source, &ok, &error);
  g_assert_true (ok);
  tb_source_scan_free (s);
  drain ();
  g_assert_cmpint (tb_cal_source_get_wakeup (TB_CAL_SOURCE (source)), ==, 0);

  tb_source_unwatch (source);
  tb_test_remove_tree (dir);
}

static void
test_url_backoff (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbSource) source = NULL;
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetAddress) loopback = NULL;
  g_autoptr (GSocketAddress) addr = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  TbSourceScan *s;
  gboolean ok;
  gint64 now, at;

  /* A port nobody listens on: bound, never listening. */
  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, &error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (sock, addr, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (sock, &error);
  url = g_strdup_printf (
      "http://127.0.0.1:%u/cal.ics",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  source = tb_ics_source_new (url);
  g_assert_true (tb_source_watch (source));

  for (guint failure = 1; failure <= 3; failure++)
    {
      g_clear_error (&error);
      s = scan (source, &ok, &error);
      g_assert_false (ok);
      g_assert_nonnull (error);
      tb_source_scan_free (s);
      drain ();
      now = g_get_real_time () / G_USEC_PER_SEC;
      at = tb_cal_source_get_wakeup (TB_CAL_SOURCE (source));
      /* 1, 2, 4 minutes. */
      g_assert_cmpint (at, >=, now + (60 << (failure - 1)) - 2);
      g_assert_cmpint (at, <=, now + (60 << (failure - 1)) + 2);
    }
  tb_source_unwatch (source);
  g_assert_cmpint (tb_cal_source_get_wakeup (TB_CAL_SOURCE (source)), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cal-sources/file", test_file);
  g_test_add_func ("/cal-sources/url-backoff", test_url_backoff);
  return g_test_run ();
}
