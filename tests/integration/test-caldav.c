/* test-caldav.c — the CalDAV push engine against a real Radicale on
 * 127.0.0.1, and against a SoupServer that answers oddly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-caldav"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "tb-caldav.h"
#include "tb-error.h"

#define NOW ((gint64) 1773144000)
#define DAY ((gint64) 86400)
#define RADICALE_USER "test"

typedef struct
{
  char *dir; /* storage folder */
  guint16 port;
  GSubprocess *radicale; /* (nullable): NULL while stopped */
  char *base;            /* http://127.0.0.1:PORT */
  char *collection;      /* base/test/touchbase/ */
  SoupSession *http;     /* for checking, synchronously */
} Fixture;

/* ---- records ---- */

static TbContact *
make_contact (const char *uid, const char *name, gint64 due_at)
{
  TbContact *c = tb_contact_new ();

  c->uid = g_strdup (uid);
  c->name = g_strdup (name);
  c->source = g_strdup ("manual");
  c->due_at = due_at;
  return c;
}

static GPtrArray *
contacts_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
}

static TbContact *
find_contact (GPtrArray *contacts, const char *uid)
{
  for (guint i = 0; i < contacts->len; i++)
    {
      TbContact *c = g_ptr_array_index (contacts, i);

      if (g_strcmp0 (c->uid, uid) == 0)
        return c;
    }
  g_assert_not_reached ();
}

static void
remove_contact (GPtrArray *contacts, const char *uid)
{
  g_ptr_array_remove (contacts, find_contact (contacts, uid));
}

static GPtrArray *
resources_for (GPtrArray *contacts, gint64 now)
{
  TbIcalOptions opts = { FALSE, now, NULL };

  return tb_ical_build_resources (contacts, NULL, &opts);
}

/* ---- the main loop ---- */

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (TbCaldav *caldav);

static gboolean
synced (TbCaldav *caldav)
{
  return tb_caldav_get_pending (caldav) == 0 && !tb_caldav_is_busy (caldav);
}

static gboolean
failed (TbCaldav *caldav)
{
  return tb_caldav_get_last_error (caldav) != NULL
         && !tb_caldav_is_busy (caldav);
}

static void
run_until (TbCaldav *caldav, Predicate predicate, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!predicate (caldav) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out: pending %u, last error %s",
             tb_caldav_get_pending (caldav), tb_caldav_get_last_error (caldav));
  g_source_remove (id);
}

static void
run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- HTTP for checking ---- */

static guint
http (Fixture *fx, const char *method, const char *url, const char *body,
      const char *depth, char **out_body)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *auth = g_base64_encode ((const guchar *) RADICALE_USER ":x",
                                           strlen (RADICALE_USER ":x"));
  g_autofree char *header = g_strconcat ("Basic ", auth, NULL);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", header);
  if (depth != NULL)
    soup_message_headers_replace (headers, "Depth", depth);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg,
                                                g_str_has_prefix (body, "<?xml")
                                                    ? "application/xml"
                                                    : "text/calendar",
                                                bytes);
    }
  reply = soup_session_send_and_read (fx->http, msg, NULL, &error);
  if (error != NULL)
    return 0;
  if (out_body != NULL)
    *out_body
        = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return soup_message_get_status (msg);
}

static char *
resource_url (Fixture *fx, const char *ical_uid)
{
  return g_strconcat (fx->collection, ical_uid, ".ics", NULL);
}

/* GET of one resource: its text, or NULL when 404. */
static char *
get_resource (Fixture *fx, const char *ical_uid)
{
  g_autofree char *url = resource_url (fx, ical_uid);
  g_autofree char *body = NULL;
  guint status = http (fx, "GET", url, NULL, NULL, &body);

  if (status == 404)
    return NULL;
  g_assert_cmpuint (status, ==, 200);
  return g_steal_pointer (&body);
}

/* The resources in the collection, by PROPFIND. */
static guint
count_resources (Fixture *fx)
{
  g_autofree char *body = NULL;
  guint status, n = 0;
  const char *p;

  status = http (fx, "PROPFIND", fx->collection,
                 "<?xml version=\"1.0\"?><propfind xmlns=\"DAV:\"><prop>"
                 "<getetag/></prop></propfind>",
                 "1", &body);
  g_assert_cmpuint (status, ==, 207);
  for (p = strstr (body, ".ics</"); p != NULL; p = strstr (p + 1, ".ics</"))
    n++;
  return n;
}

/* ---- Radicale ---- */

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
radicale_start (Fixture *fx)
{
  g_autofree char *hosts = g_strdup_printf ("127.0.0.1:%u", fx->port);
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  /* Its log goes nowhere: a TAP test's children must not write to
   * stdout, and the stderr chatter helps nobody. */
  fx->radicale = g_subprocess_new (
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
      &error, "/usr/bin/python3", "-m", "radicale", "-C", "", "--server-hosts",
      hosts, "--auth-type", "none", "--rights-type", "owner_only",
      "--storage-filesystem-folder", fx->dir, NULL);
  g_assert_no_error (error);

  while (http (fx, "OPTIONS", fx->base, NULL, NULL, NULL) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Radicale did not start on %s", hosts);
      g_usleep (50 * 1000);
    }
}

static void
radicale_stop (Fixture *fx)
{
  g_autoptr (GError) error = NULL;

  if (fx->radicale == NULL)
    return;
  g_subprocess_send_signal (fx->radicale, SIGTERM);
  g_subprocess_wait (fx->radicale, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->radicale);
  /* Keep-alive connections of the checker died with it. */
  soup_session_abort (fx->http);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint status;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return;
  fx->dir = g_dir_make_tmp ("test-caldav-XXXXXX", &error);
  g_assert_no_error (error);
  fx->port = free_port ();
  fx->base = g_strdup_printf ("http://127.0.0.1:%u/", fx->port);
  fx->collection = g_strconcat (fx->base, RADICALE_USER "/touchbase/", NULL);
  fx->http = soup_session_new ();
  radicale_start (fx);
  status = http (fx, "MKCALENDAR", fx->collection, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, 201);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  radicale_stop (fx);
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

static gboolean
have_radicale (Fixture *fx)
{
  if (fx->radicale == NULL)
    {
      g_test_skip ("needs /usr/bin/python3 with radicale");
      return FALSE;
    }
  return TRUE;
}

static TbCaldav *
new_engine (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  TbCaldav *caldav = tb_caldav_new (fx->collection, RADICALE_USER, "x", &error);

  g_assert_no_error (error);
  tb_caldav_set_backoff (caldav, 50, 400);
  return caldav;
}

/* ---- tests ---- */

static void
test_caldav_push (Fixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (TbCaldav) caldav = NULL;
  g_autoptr (TbCaldav) restored = NULL;
  g_autoptr (TbCaldav) fresh = NULL;
  g_autoptr (GPtrArray) res = NULL;
  g_autoptr (GVariant) state = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *b_url = NULL;
  g_autofree char *a_url = NULL;
  TbContact *b;
  guint status;

  if (!have_radicale (fx))
    return;
  caldav = new_engine (fx);
  g_ptr_array_add (contacts, make_contact ("a", "Ana Silva", NOW + DAY));
  g_ptr_array_add (contacts, make_contact ("b", "Ben Okafor", NOW + 2 * DAY));
  g_ptr_array_add (contacts, make_contact ("c", "Chloé Müller", NOW + 3 * DAY));

  /* Everything arrives, one resource per UID. */
  res = resources_for (contacts, NOW);
  tb_caldav_set_resources (caldav, res);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 3);
  run_until (caldav, synced, 20000);
  g_assert_null (tb_caldav_get_last_error (caldav));
  g_assert_cmpint (tb_caldav_get_last_success (caldav), >, 0);
  g_assert_cmpuint (count_resources (fx), ==, 3);
  text = get_resource (fx, "touchbase-c");
  g_assert_nonnull (strstr (text, "SUMMARY:Touch base with Chloé Müller"));
  g_clear_pointer (&text, g_free);

  /* The same records built later: nothing to send. */
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW + 3600);
  tb_caldav_set_resources (caldav, res);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 0);

  /* Moved and removed. */
  b = find_contact (contacts, "b");
  b->due_at += 7 * DAY;
  b->sequence++;
  remove_contact (contacts, "c");
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW + 7200);
  tb_caldav_set_resources (caldav, res);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 2);
  run_until (caldav, synced, 20000);
  g_assert_cmpuint (count_resources (fx), ==, 2);
  g_assert_null (get_resource (fx, "touchbase-c"));
  text = get_resource (fx, "touchbase-b");
  g_assert_nonnull (strstr (text, "DTSTART:20260319T120000Z"));
  g_assert_nonnull (strstr (text, "SEQUENCE:1"));
  g_clear_pointer (&text, g_free);

  /* Changed on the server (a phone edited it): ours goes up again after
   * the 412. */
  b_url = resource_url (fx, "touchbase-b");
  text = get_resource (fx, "touchbase-b");
  {
    g_autoptr (GString) edited = g_string_new (text);

    g_string_replace (edited, "Touch base with Ben", "Edited on phone", 1);
    status = http (fx, "PUT", b_url, edited->str, NULL, NULL);
    g_assert_cmpuint (status, ==, 201);
  }
  g_clear_pointer (&text, g_free);
  b->due_at += DAY;
  b->sequence++;
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW + 7300);
  tb_caldav_set_resources (caldav, res);
  run_until (caldav, synced, 20000);
  g_assert_null (tb_caldav_get_last_error (caldav));
  text = get_resource (fx, "touchbase-b");
  g_assert_nonnull (strstr (text, "SUMMARY:Touch base with Ben Okafor"));
  g_assert_nonnull (strstr (text, "SEQUENCE:2"));
  g_clear_pointer (&text, g_free);

  /* Deleted on the server: If-Match fails, the PUT recreates it. */
  a_url = resource_url (fx, "touchbase-a");
  status = http (fx, "DELETE", a_url, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  find_contact (contacts, "a")->sequence++;
  find_contact (contacts, "a")->due_at += DAY;
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW + 7400);
  tb_caldav_set_resources (caldav, res);
  run_until (caldav, synced, 20000);
  text = get_resource (fx, "touchbase-a");
  g_assert_nonnull (text);
  g_clear_pointer (&text, g_free);

  /* Idle means idle. */
  g_assert_cmpint (tb_caldav_get_next_retry (caldav), ==, 0);
  g_assert_false (tb_caldav_is_busy (caldav));

  /* The state survives a restart: nothing is sent again. */
  state = tb_caldav_save_state (caldav);
  {
    g_autofree char *printed = g_variant_print (state, TRUE);
    g_autoptr (GVariant) parsed
        = g_variant_parse (TB_CALDAV_STATE_TYPE, printed, NULL, NULL, &error);

    g_assert_no_error (error);
    restored = new_engine (fx);
    g_assert_true (tb_caldav_load_state (restored, parsed, &error));
    g_assert_no_error (error);
  }
  tb_caldav_set_resources (restored, res);
  g_assert_cmpuint (tb_caldav_get_pending (restored), ==, 0);

  /* Without it, everything is sent once more, over what is there. */
  fresh = new_engine (fx);
  tb_caldav_set_resources (fresh, res);
  g_assert_cmpuint (tb_caldav_get_pending (fresh), ==, 2);
  run_until (fresh, synced, 20000);
  g_assert_null (tb_caldav_get_last_error (fresh));
  g_assert_cmpuint (count_resources (fx), ==, 2);
}

static void
test_caldav_offline (Fixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (TbCaldav) caldav = NULL;
  g_autoptr (GPtrArray) res = NULL;
  g_autofree char *text = NULL;

  if (!have_radicale (fx))
    return;
  caldav = new_engine (fx);
  g_ptr_array_add (contacts, make_contact ("a", "Ana", NOW + DAY));
  g_ptr_array_add (contacts, make_contact ("b", "Ben", NOW + DAY));
  res = resources_for (contacts, NOW);
  tb_caldav_set_resources (caldav, res);
  run_until (caldav, synced, 20000);
  g_assert_cmpuint (count_resources (fx), ==, 2);

  /* The server goes away; changes queue. */
  radicale_stop (fx);
  remove_contact (contacts, "a");
  g_ptr_array_add (contacts, make_contact ("d", "Dmitri", NOW + 2 * DAY));
  find_contact (contacts, "b")->due_at += DAY;
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW + 60);
  tb_caldav_set_resources (caldav, res);
  run_until (caldav, failed, 20000);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 3);
  g_assert_cmpint (tb_caldav_get_next_retry (caldav), >, 0);

  /* Retries with back-off do not lose anything. */
  run_for (700);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 3);
  g_assert_nonnull (tb_caldav_get_last_error (caldav));

  /* Back again: everything arrives without help. */
  radicale_start (fx);
  run_until (caldav, synced, 20000);
  g_assert_null (tb_caldav_get_last_error (caldav));
  g_assert_cmpint (tb_caldav_get_next_retry (caldav), ==, 0);
  g_assert_cmpuint (count_resources (fx), ==, 2);
  g_assert_null (get_resource (fx, "touchbase-a"));
  text = get_resource (fx, "touchbase-d");
  g_assert_nonnull (strstr (text, "Touch base with Dmitri"));
  g_clear_pointer (&text, g_free);
  text = get_resource (fx, "touchbase-b");
  g_assert_nonnull (strstr (text, "DTSTART:20260312T120000Z"));
}

/* ---- a server that answers oddly ---- */

typedef struct
{
  GHashTable *replies; /* path -> status to answer PUT/DELETE */
  guint requests;
  gboolean send_etag;
} OddServer;

static void
odd_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
             GHashTable *query, gpointer data)
{
  OddServer *odd = data;
  guint status = GPOINTER_TO_UINT (g_hash_table_lookup (odd->replies, path));

  odd->requests++;
  if (status == 0)
    status = 201;
  if (status == 301)
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "Location",
        "http://elsewhere.invalid/");
  if (odd->send_etag && SOUP_STATUS_IS_SUCCESSFUL (status))
    /* A weak ETag: never usable in If-Match. */
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "ETag", "W/\"1\"");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                    "\xff\xfe garbage", 10);
}

static void
test_caldav_odd_server (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbCaldav) caldav = NULL;
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) res = NULL;
  g_autoptr (GSList) uris = NULL;
  g_autofree char *url = NULL;
  OddServer odd = { 0 };
  guint before;

  odd.replies = g_hash_table_new (g_str_hash, g_str_equal);
  odd.send_etag = TRUE;
  soup_server_add_handler (server, "/cal", odd_handler, &odd, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/cal",
                         g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  caldav = tb_caldav_new (url, "u", "p", &error);
  g_assert_no_error (error);
  {
    g_autofree char *slashed = g_strconcat (url, "/", NULL);

    g_assert_cmpstr (tb_caldav_get_collection_url (caldav), ==, slashed);
  }
  tb_caldav_set_backoff (caldav, 20, 100);

  /* One resource the server refuses (400): the others still go through,
   * the refused one stays pending and is retried alone. */
  g_hash_table_insert (odd.replies, "/cal/touchbase-bad.ics",
                       GUINT_TO_POINTER (400));
  g_ptr_array_add (contacts, make_contact ("ok1", "One", NOW));
  g_ptr_array_add (contacts, make_contact ("bad", "Bad", NOW));
  g_ptr_array_add (contacts, make_contact ("ok2", "Two", NOW));
  res = resources_for (contacts, NOW);
  tb_caldav_set_resources (caldav, res);
  run_until (caldav, failed, 5000);
  run_for (300);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 1);
  g_assert_nonnull (strstr (tb_caldav_get_last_error (caldav), "HTTP 400"));
  before = odd.requests;
  run_for (300);
  g_assert_cmpuint (odd.requests, >, before); /* retried */

  /* The server gets better. */
  g_hash_table_remove (odd.replies, "/cal/touchbase-bad.ics");
  tb_caldav_retry_now (caldav);
  run_until (caldav, synced, 5000);
  g_assert_null (tb_caldav_get_last_error (caldav));

  /* Server errors and redirects stop everything and back off. */
  g_hash_table_insert (odd.replies, "/cal/touchbase-ok1.ics",
                       GUINT_TO_POINTER (503));
  g_hash_table_insert (odd.replies, "/cal/touchbase-ok2.ics",
                       GUINT_TO_POINTER (301));
  for (guint i = 0; i < contacts->len; i++)
    ((TbContact *) g_ptr_array_index (contacts, i))->due_at += DAY;
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW);
  tb_caldav_set_resources (caldav, res);
  run_until (caldav, failed, 5000);
  g_assert_cmpint (tb_caldav_get_next_retry (caldav), >, 0);
  g_hash_table_remove_all (odd.replies);
  run_until (caldav, synced, 5000);
  g_assert_null (tb_caldav_get_last_error (caldav));

  /* Removing everything: DELETEs, and 404/410 count as done. */
  g_hash_table_insert (odd.replies, "/cal/touchbase-ok1.ics",
                       GUINT_TO_POINTER (404));
  g_hash_table_insert (odd.replies, "/cal/touchbase-ok2.ics",
                       GUINT_TO_POINTER (410));
  g_ptr_array_set_size (contacts, 0);
  g_clear_pointer (&res, g_ptr_array_unref);
  res = resources_for (contacts, NOW);
  tb_caldav_set_resources (caldav, res);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 3);
  run_until (caldav, synced, 5000);
  g_assert_cmpint (tb_caldav_get_next_retry (caldav), ==, 0);

  g_hash_table_unref (odd.replies);
}

static void
test_caldav_bad_url (void)
{
  const char *bad[] = { "ftp://example.com/cal/", "not a url", "https://",
                        "https://example.com/cal/?q=1", "file:///tmp/" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TbCaldav) caldav = tb_caldav_new (bad[i], NULL, NULL, &error);

      g_assert_null (caldav);
      g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_caldav_state_type (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbCaldav) caldav
      = tb_caldav_new ("https://example.com/cal", NULL, NULL, &error);
  g_autoptr (GVariant) wrong = g_variant_ref_sink (g_variant_new_string ("x"));
  g_autoptr (GVariant) other = g_variant_ref_sink (g_variant_new_parsed (
      "('https://other.example/', {'u': ('\"1\"', 'h')})"));
  g_autoptr (GPtrArray) none = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_cmpstr (tb_caldav_get_collection_url (caldav), ==,
                   "https://example.com/cal/");
  g_assert_false (tb_caldav_load_state (caldav, wrong, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Another collection's state is ignored: nothing to delete here. */
  g_assert_true (tb_caldav_load_state (caldav, other, &error));
  g_assert_no_error (error);
  tb_caldav_set_resources (caldav, none);
  g_assert_cmpuint (tb_caldav_get_pending (caldav), ==, 0);
  g_assert_cmpint (tb_caldav_get_next_retry (caldav), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/caldav/bad-url", test_caldav_bad_url);
  g_test_add_func ("/caldav/state-type", test_caldav_state_type);
  g_test_add_func ("/caldav/odd-server", test_caldav_odd_server);
  g_test_add ("/caldav/radicale/push", Fixture, NULL, fixture_setup,
              test_caldav_push, fixture_teardown);
  g_test_add ("/caldav/radicale/offline", Fixture, NULL, fixture_setup,
              test_caldav_offline, fixture_teardown);

  return g_test_run ();
}
