/* tb-http-fetch.c — blocking, bounded HTTP with libsoup 3 for worker
 * threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-http-fetch"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tb-error.h"
#include "tb-http-fetch.h"

#define CHUNK (64 * 1024)

void
tb_http_response_clear (TbHttpResponse *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->etag, g_free);
  g_clear_pointer (&response->last_modified, g_free);
  response->status = 0;
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options (
      "user-agent", "touchbase/" PACKAGE_VERSION, "timeout",
      TB_HTTP_FETCH_TIMEOUT_S, "idle-timeout", 5, NULL);
}

/* Reads @stream to its end into a NUL-terminated GBytes, at most
 * @max_bytes. */
static GBytes *
read_all (GInputStream *stream, gsize max_bytes, GCancellable *cancellable,
          GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 buf[CHUNK];

  for (;;)
    {
      gssize n
          = g_input_stream_read (stream, buf, sizeof buf, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (data->len + (gsize) n > max_bytes)
        {
          g_autofree char *max = g_format_size (max_bytes);

          g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                       _ ("The answer is too large (more than %s)"), max);
          return NULL;
        }
      g_byte_array_append (data, buf, (guint) n);
    }
  {
    /* The NUL stays allocated after the counted bytes. */
    gsize len = data->len;

    g_byte_array_append (data, (const guint8 *) "", 1);
    return g_bytes_new_take (g_byte_array_steal (data, NULL), len);
  }
}

static gboolean
run (SoupSession *session, SoupMessage *msg, gsize max_bytes,
     TbHttpResponse *out, GCancellable *cancellable, GError **error)
{
  g_autoptr (GInputStream) stream = NULL;
  SoupMessageHeaders *headers;

  memset (out, 0, sizeof *out);
  stream = soup_session_send (session, msg, cancellable, error);
  if (stream == NULL)
    return FALSE;
  out->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  out->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  out->last_modified
      = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  if (out->status == SOUP_STATUS_NOT_MODIFIED)
    return TRUE;
  out->body = read_all (stream, max_bytes, cancellable, error);
  if (out->body == NULL)
    {
      tb_http_response_clear (out);
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_http_get (const char *url, const char *etag, const char *last_modified,
             gsize max_bytes, TbHttpResponse *out, GCancellable *cancellable,
             GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  SoupMessageHeaders *headers;

  memset (out, 0, sizeof *out);
  if (msg == NULL)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a valid URL"), url);
      return FALSE;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_append (headers, "Accept", "text/calendar, */*;q=0.5");
  if (etag != NULL)
    soup_message_headers_append (headers, "If-None-Match", etag);
  if (last_modified != NULL)
    soup_message_headers_append (headers, "If-Modified-Since", last_modified);
  if (!run (session, msg, max_bytes, out, cancellable, error))
    return FALSE;
  if (out->status != SOUP_STATUS_NOT_MODIFIED
      && !SOUP_STATUS_IS_SUCCESSFUL (out->status))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("The server answered %u %s"), out->status,
                   soup_message_get_reason_phrase (msg));
      tb_http_response_clear (out);
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_http_dav (const char *method, const char *url, const char *depth,
             const char *body, const char *username, const char *password,
             gsize max_bytes, TbHttpResponse *out, GCancellable *cancellable,
             GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) bytes = NULL;
  SoupMessageHeaders *headers;

  memset (out, 0, sizeof *out);
  if (msg == NULL)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a valid URL"), url);
      return FALSE;
    }
  /* Credentials stay with the URL the user gave. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  if (depth != NULL)
    soup_message_headers_append (headers, "Depth", depth);
  if (username != NULL)
    {
      g_autofree char *pair
          = g_strdup_printf ("%s:%s", username, password ? password : "");
      g_autofree char *b64
          = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_append (headers, "Authorization", auth);
      memset (pair, 0, strlen (pair));
    }
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (
      msg, "application/xml; charset=utf-8", bytes);
  return run (session, msg, max_bytes, out, cancellable, error);
}
