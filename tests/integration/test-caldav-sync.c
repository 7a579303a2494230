/* test-caldav-sync.c — the caldav= reader against a real Radicale on
 * 127.0.0.1: a first read of everything, then only the changes by
 * sync-token, and the meetings read from what it holds; and a SoupServer
 * without sync-collection, read with calendar-query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-caldav-sync"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "tb-caldav-sync.h"
#include "tb-error.h"
#include "tb-ical-events.h"

/* 2026-06-01T00:00:00Z and a year before */
#define NOW ((gint64) 1780272000)
#define SINCE ((gint64) 1748736000)
#define USER "test"

static const char *const me[] = { "me@example.org", NULL };

typedef struct
{
  char *dir;
  guint16 port;
  GSubprocess *radicale;
  char *base;
  char *collection;
  SoupSession *http;
} Fixture;

static guint
http (Fixture *fx, const char *method, const char *url, const char *body)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_append (headers, "Authorization",
                               "Basic dGVzdDp4"); /* test:x */
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "text/calendar", bytes);
    }
  reply = soup_session_send_and_read (fx->http, msg, NULL, &error);
  if (error != NULL)
    return 0;
  return soup_message_get_status (msg);
}

static guint16
free_port (void)
{
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetAddress) loopback = NULL;
  g_autoptr (GSocketAddress) addr = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (sock, addr, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hosts = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return;
  fx->dir = g_dir_make_tmp ("test-caldav-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fx->port = free_port ();
  fx->base = g_strdup_printf ("http://127.0.0.1:%u/", fx->port);
  fx->collection = g_strconcat (fx->base, USER "/work/", NULL);
  fx->http = soup_session_new ();
  hosts = g_strdup_printf ("127.0.0.1:%u", fx->port);
  /* A TAP test's children must not write to its stdout. */
  fx->radicale = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
      &error, "/usr/bin/python3", "-m", "radicale", "-C", "", "--server-hosts",
      hosts, "--auth-type", "none", "--rights-type", "owner_only",
      "--storage-filesystem-folder", fx->dir, NULL);
  g_assert_no_error (error);
  while (http (fx, "OPTIONS", fx->base, NULL) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Radicale did not start on %s", hosts);
      g_usleep (50 * 1000);
    }
  g_assert_cmpuint (http (fx, "MKCALENDAR", fx->collection, NULL), ==, 201);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  if (fx->radicale != NULL)
    {
      g_subprocess_send_signal (fx->radicale, SIGTERM);
      g_subprocess_wait (fx->radicale, NULL, NULL);
      g_clear_object (&fx->radicale);
    }
  if (fx->dir != NULL)
    {
      g_autoptr (GSubprocess) rm = g_subprocess_new (
          G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", fx->dir, NULL);

      if (rm != NULL)
        g_subprocess_wait (rm, NULL, NULL);
    }
  g_free (fx->dir);
  g_free (fx->base);
  g_free (fx->collection);
  g_clear_object (&fx->http);
}

#define CAL(body)                                                              \
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" body              \
  "END:VCALENDAR\r\n"

static const char meeting[]
    = CAL ("BEGIN:VEVENT\r\nUID:meeting-1\r\nDTSTAMP:20260101T000000Z\r\n"
           "DTSTART:20260112T100000Z\r\nDTEND:20260112T110000Z\r\n"
           "SUMMARY:Lunch with Ana\r\n"
           "ORGANIZER;CN=Ana:mailto:ana@example.com\r\n"
           "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
           "END:VEVENT\r\n");

/* Mondays in February, the 16th left out, the 23rd cancelled. */
static const char weekly[]
    = CAL ("BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\n"
           "DTSTART:20260202T090000Z\r\nDURATION:PT30M\r\n"
           "RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE:20260216T090000Z\r\n"
           "SUMMARY:Weekly with Bo\r\n"
           "ORGANIZER:mailto:me@example.org\r\n"
           "ATTENDEE;PARTSTAT=ACCEPTED:MAILTO:Bo@Example.net\r\n"
           "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
           "END:VEVENT\r\n"
           "BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\n"
           "RECURRENCE-ID:20260223T090000Z\r\n"
           "DTSTART:20260223T090000Z\r\nDURATION:PT30M\r\nSTATUS:CANCELLED\r\n"
           "SUMMARY:Weekly with Bo\r\n"
           "ORGANIZER:mailto:me@example.org\r\n"
           "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@example.net\r\n"
           "END:VEVENT\r\n");

static const char cancelled[]
    = CAL ("BEGIN:VEVENT\r\nUID:cancelled-1\r\nDTSTAMP:20260101T000000Z\r\n"
           "DTSTART:20260115T100000Z\r\nDTEND:20260115T110000Z\r\n"
           "STATUS:CANCELLED\r\nSUMMARY:Called off\r\n"
           "ORGANIZER:mailto:cy@example.com\r\n"
           "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
           "END:VEVENT\r\n");

static const char declined[]
    = CAL ("BEGIN:VEVENT\r\nUID:declined-1\r\nDTSTAMP:20260101T000000Z\r\n"
           "DTSTART:20260116T100000Z\r\nDTEND:20260116T110000Z\r\n"
           "SUMMARY:Pitch\r\n"
           "ORGANIZER:mailto:cy@example.com\r\n"
           "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org\r\n"
           "END:VEVENT\r\n");

static const char video[] = CAL (
    "BEGIN:VEVENT\r\nUID:video-1\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART:20260301T100000Z\r\nDTEND:20260301T110000Z\r\n"
    "SUMMARY:Call with Dee\r\nLOCATION:https://meet.jit.si/dee-and-me\r\n"
    "ORGANIZER:mailto:dee@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
    "END:VEVENT\r\n");

static void
put (Fixture *fx, const char *name, const char *body)
{
  g_autofree char *url = g_strconcat (fx->collection, name, ".ics", NULL);

  g_assert_cmpuint (http (fx, "PUT", url, body), ==, 201);
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The meetings in what @sync holds, as "key kind" lines. */
static char *
meetings (TbCaldavSync *sync)
{
  g_autoptr (GBytes) text = tb_caldav_sync_get_text (sync);
  g_autoptr (GError) error = NULL;
  TbIcalEventsOptions opts = { "caldav:x", SINCE, NOW, me, NULL, NULL, NULL };
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gsize len;
  const char *data = g_bytes_get_data (text, &len);

  found = tb_ical_events_extract (data, len, &opts, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    {
      TbFound *f = found->pdata[i];

      g_ptr_array_add (
          lines,
          g_strdup_printf ("%s %s %s", f->key,
                           f->kind == TB_KIND_VIDEO ? "video" : "meeting",
                           f->addresses[0]));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
test_radicale (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbCaldavSync) sync = NULL;
  g_autofree char *url = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *old_token = NULL;

  if (fx->radicale == NULL)
    {
      g_test_skip ("needs /usr/bin/python3 with radicale");
      return;
    }
  put (fx, "meeting-1", meeting);
  put (fx, "weekly-1", weekly);
  put (fx, "cancelled-1", cancelled);
  put (fx, "declined-1", declined);

  /* The user name rides in the URL, as caldav= may give it. */
  url = g_strdup_printf ("http://" USER "@127.0.0.1:%u/" USER "/work",
                         fx->port);
  sync = tb_caldav_sync_new (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_caldav_sync_get_username (sync), ==, USER);
  g_assert_cmpstr (tb_caldav_sync_get_url (sync), ==, fx->collection);

  g_assert_true (tb_caldav_sync_run (sync, SINCE, NOW, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tb_caldav_sync_get_mode (sync), ==, "full");
  g_assert_cmpuint (tb_caldav_sync_get_count (sync), ==, 4);
  g_assert_nonnull (tb_caldav_sync_get_token (sync));
  first = meetings (sync);
  g_assert_cmpstr (first, ==,
                   "meeting-1 meeting ana@example.com\n"
                   "weekly-1/20260202T090000Z meeting bo@example.net\n"
                   "weekly-1/20260209T090000Z meeting bo@example.net");

  /* Nothing changed: the token says so, and the copy is the same. */
  old_token = g_strdup (tb_caldav_sync_get_token (sync));
  g_assert_true (tb_caldav_sync_run (sync, SINCE, NOW, NULL, &error));
  g_assert_cmpstr (tb_caldav_sync_get_mode (sync), ==, "sync");
  g_assert_cmpuint (tb_caldav_sync_get_count (sync), ==, 4);

  /* One added, one gone, one changed (Ana's lunch moved a day). */
  put (fx, "video-1", video);
  {
    g_autofree char *gone
        = g_strconcat (fx->collection, "cancelled-1.ics", NULL);
    g_autofree char *moved
        = g_strconcat (fx->collection, "meeting-1.ics", NULL);
    g_autoptr (GString) changed = g_string_new (meeting);

    g_assert_cmpuint (http (fx, "DELETE", gone, NULL), ==, 200);
    g_string_replace (changed, "20260112T", "20260113T", 0);
    g_assert_cmpuint (http (fx, "PUT", moved, changed->str), ==, 201);
  }
  g_assert_true (tb_caldav_sync_run (sync, SINCE, NOW, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tb_caldav_sync_get_mode (sync), ==, "sync");
  g_assert_cmpstr (tb_caldav_sync_get_token (sync), !=, old_token);
  g_assert_cmpuint (tb_caldav_sync_get_count (sync), ==, 4);
  second = meetings (sync);
  g_assert_cmpstr (second, ==,
                   "meeting-1 meeting ana@example.com\n"
                   "video-1 video dee@example.com\n"
                   "weekly-1/20260202T090000Z meeting bo@example.net\n"
                   "weekly-1/20260209T090000Z meeting bo@example.net");
  {
    g_autoptr (GBytes) text = tb_caldav_sync_get_text (sync);

    g_assert_nonnull (
        strstr (g_bytes_get_data (text, NULL), "DTSTART:20260113T100000Z"));
  }

  /* A token the server does not know: read everything again. */
  {
    g_autoptr (TbCaldavSync) other = tb_caldav_sync_new (url, &error);

    g_assert_true (tb_caldav_sync_run (other, SINCE, NOW, NULL, &error));
    g_assert_cmpuint (tb_caldav_sync_get_count (other), ==, 4);
  }
}

/* ---- a server without sync-collection ---- */

static void
no_sync_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
                 GHashTable *query, gpointer data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  const char *request = g_bytes_get_data (bytes, NULL);
  guint *queries = data;
  g_autofree char *escaped = g_markup_escape_text (meeting, -1);
  g_autofree char *answer = NULL;

  if (request != NULL && strstr (request, "sync-collection") != NULL)
    {
      soup_server_message_set_status (msg, 501, NULL);
      return;
    }
  g_assert_nonnull (strstr (request, "calendar-query"));
  g_assert_nonnull (strstr (request, "start=\"20250601T000000Z\""));
  (*queries)++;
  answer = g_strdup_printf (
      "<?xml version=\"1.0\"?>\n<D:multistatus xmlns:D=\"DAV:\" "
      "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:response>"
      "<D:href>/cal/meeting-1.ics</D:href><D:propstat><D:prop>"
      "<D:getetag>\"1\"</D:getetag><C:calendar-data>%s</C:calendar-data>"
      "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
      "</D:response></D:multistatus>",
      escaped);
  soup_server_message_set_status (msg, 207, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY,
                                    answer, strlen (answer));
}

typedef struct
{
  TbCaldavSync *sync;
  gint done;
  gboolean ok;
  char *message;
} Run;

static gpointer
run_sync_failing (gpointer data)
{
  Run *run = data;
  g_autoptr (GError) error = NULL;

  run->ok = tb_caldav_sync_run (run->sync, SINCE, NOW, NULL, &error);
  run->message = g_strdup (error != NULL ? error->message : "");
  g_atomic_int_set (&run->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gpointer
run_sync (gpointer data)
{
  Run *run = data;
  g_autoptr (GError) error = NULL;

  run->ok = tb_caldav_sync_run (run->sync, SINCE, NOW, NULL, &error);
  g_assert_no_error (error);
  g_atomic_int_set (&run->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_no_sync (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbCaldavSync) sync = NULL;
  g_autofree char *url = NULL;
  g_autofree char *found = NULL;
  GSList *uris;
  guint queries = 0;

  soup_server_add_handler (server, NULL, no_sync_handler, &queries, NULL);
  g_assert_true (soup_server_listen_local (
      server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/cal/",
                         g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  sync = tb_caldav_sync_new (url, &error);
  g_assert_no_error (error);

  /* Blocking calls, as in a scan's worker thread; the server runs on this
   * thread's main loop meanwhile. */
  for (int round = 0; round < 2; round++)
    {
      Run run = { sync, 0, FALSE, NULL };
      GThread *thread = g_thread_new ("sync", run_sync, &run);

      while (!g_atomic_int_get (&run.done))
        g_main_context_iteration (NULL, TRUE);
      g_thread_join (thread);
      g_assert_true (run.ok);
    }
  g_assert_cmpuint (queries, ==, 2);
  g_assert_cmpstr (tb_caldav_sync_get_mode (sync), ==, "query");
  g_assert_null (tb_caldav_sync_get_token (sync));
  found = meetings (sync);
  g_assert_cmpstr (found, ==, "meeting-1 meeting ana@example.com");
  soup_server_disconnect (server);
}

static gboolean
check_password (SoupAuthDomain *domain, SoupServerMessage *msg,
                const char *username, const char *password, gpointer data)
{
  return g_strcmp0 (username, "ana") == 0
         && g_strcmp0 (password, "s3cret:x") == 0;
}

/* HTTP Basic from the URL's user information (a ':' in the password
 * percent-encoded); the wrong password is a 401 that says so. */
static void
test_basic_auth (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (SoupAuthDomain) domain = soup_auth_domain_basic_new (
      "realm", "touchbase", "auth-callback", check_password, NULL);
  g_autoptr (GError) error = NULL;
  GSList *uris;
  guint queries = 0;
  int port;

  soup_auth_domain_add_path (domain, "/");
  soup_server_add_auth_domain (server, domain);
  soup_server_add_handler (server, NULL, no_sync_handler, &queries, NULL);
  g_assert_true (soup_server_listen_local (
      server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  for (int good = 0; good < 2; good++)
    {
      g_autofree char *url
          = g_strdup_printf ("http://ana:%s@127.0.0.1:%d/cal/",
                             good ? "s3cret%3Ax" : "wrong", port);
      g_autoptr (TbCaldavSync) sync = tb_caldav_sync_new (url, &error);
      Run run = { sync, 0, FALSE, NULL };
      GThread *thread;

      g_assert_no_error (error);
      g_assert_cmpstr (tb_caldav_sync_get_username (sync), ==, "ana");
      g_assert_true (tb_caldav_sync_has_password (sync));
      if (good)
        {
          thread = g_thread_new ("sync", run_sync, &run);
          while (!g_atomic_int_get (&run.done))
            g_main_context_iteration (NULL, TRUE);
          g_thread_join (thread);
          g_assert_true (run.ok);
          g_assert_cmpuint (tb_caldav_sync_get_count (sync), ==, 1);
        }
      else
        {
          thread = g_thread_new ("sync", run_sync_failing, &run);
          while (!g_atomic_int_get (&run.done))
            g_main_context_iteration (NULL, TRUE);
          g_thread_join (thread);
          g_assert_false (run.ok);
          g_assert_nonnull (strstr (run.message, "401"));
          g_free (run.message);
        }
    }
  soup_server_disconnect (server);
}

static void
test_bad_url (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (tb_caldav_sync_new ("ftp://host/cal/", &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (tb_caldav_sync_new ("not a url", &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/caldav-sync/radicale", Fixture, NULL, fixture_setup,
              test_radicale, fixture_teardown);
  g_test_add_func ("/caldav-sync/no-sync", test_no_sync);
  g_test_add_func ("/caldav-sync/basic-auth", test_basic_auth);
  g_test_add_func ("/caldav-sync/bad-url", test_bad_url);
  return g_test_run ();
}
