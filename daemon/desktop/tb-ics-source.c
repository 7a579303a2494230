/* tb-ics-source.c — an .ics file (GFileMonitor) or URL (libsoup, ETag,
 * back-off) as a calendar source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-ics-source"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tb-error.h"
#include "tb-ics-source.h"

#define DEBOUNCE_MS 200
#define BACKOFF_MIN_S 60
#define CHUNK (64 * 1024)

struct _TbIcsSource
{
  TbCalReader parent_instance;

  GFile *file;           /* (owned) (nullable): a file source */
  GFileMonitor *monitor; /* (owned) (nullable) */
  guint debounce_id;

  char *url;                 /* (owned) (nullable): a URL source */
  SoupSession *session;      /* (owned) (nullable) */
  GCancellable *cancellable; /* (owned) */
  gboolean fetching;
  char *etag;          /* (owned) (nullable) */
  char *last_modified; /* (owned) (nullable) */
  guint failures;
  guint refresh_id;
  gulong network_id;
};

G_DEFINE_TYPE (TbIcsSource, tb_ics_source, TB_TYPE_CAL_READER)

static char *
expand (const char *spec)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (spec));

  if (g_str_has_prefix (trimmed, "~/") || strcmp (trimmed, "~") == 0)
    return g_build_filename (g_get_home_dir (), trimmed + 1, NULL);
  return g_steal_pointer (&trimmed);
}

static gboolean
is_url (const char *spec)
{
  return g_ascii_strncasecmp (spec, "http://", 7) == 0
         || g_ascii_strncasecmp (spec, "https://", 8) == 0
         || g_ascii_strncasecmp (spec, "webcal://", 9) == 0;
}

static char *
url_for (const char *spec)
{
  if (g_ascii_strncasecmp (spec, "webcal://", 9) == 0)
    return g_strconcat ("https://", spec + 9, NULL);
  return g_strdup (spec);
}

static char *
path_for (const char *spec)
{
  g_autofree char *expanded = expand (spec);

  if (g_ascii_strncasecmp (expanded, "file://", 7) == 0)
    return g_filename_from_uri (expanded, NULL, NULL);
  if (!g_path_is_absolute (expanded))
    return NULL;
  return g_canonicalize_filename (expanded, NULL);
}

char *
tb_ics_source_name_for (const char *spec)
{
  g_autofree char *expanded = expand (spec);
  g_autofree char *path = NULL;

  if (is_url (expanded))
    return g_strconcat ("ics:", expanded, NULL);
  path = path_for (expanded);
  return path != NULL ? g_strconcat ("ics:", path, NULL) : NULL;
}

/* ------------------------------------------------------------------ file */

static void
read_file (TbIcsSource *self)
{
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  gsize len;
  GBytes *bytes;

  /* Small enough to load whole, which the extraction needs; a file too
   * big for it is refused before it is loaded. */
  g_autoptr (GFileInfo) info
      = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, NULL, &error);

  if (info != NULL
      && (guint64) g_file_info_get_size (info) > TB_ICAL_EVENTS_MAX_BYTES)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("The calendar is too large (at most %s)"), "64 MB");

      tb_cal_reader_set_error (TB_CAL_READER (self), msg);
      return;
    }
  if (info == NULL
      || !g_file_load_contents (self->file, NULL, &data, &len, NULL, &error))
    {
      tb_cal_reader_set_error (TB_CAL_READER (self), error->message);
      return;
    }
  tb_cal_reader_set_error (TB_CAL_READER (self), NULL);
  /* g_file_load_contents() ends the data in a NUL it does not count. */
  bytes = g_bytes_new_take (data, len + 1);
  tb_cal_reader_take_text (TB_CAL_READER (self), bytes);
  g_bytes_unref (bytes);
}

static gboolean
debounce_cb (gpointer data)
{
  TbIcsSource *self = data;

  self->debounce_id = 0;
  read_file (self);
  return G_SOURCE_REMOVE;
}

static void
on_file_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                 GFileMonitorEvent event, gpointer user_data)
{
  TbIcsSource *self = user_data;

  switch (event)
    {
      case G_FILE_MONITOR_EVENT_CHANGED:
      case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      case G_FILE_MONITOR_EVENT_CREATED:
      case G_FILE_MONITOR_EVENT_DELETED:
      case G_FILE_MONITOR_EVENT_MOVED_IN:
      case G_FILE_MONITOR_EVENT_MOVED_OUT:
      case G_FILE_MONITOR_EVENT_RENAMED:
        g_clear_handle_id (&self->debounce_id, g_source_remove);
        self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
        g_source_set_name_by_id (self->debounce_id, "[tb-ics-source] change");
        break;
      default:
        break;
    }
}

/* ------------------------------------------------------------------- URL */

static void fetch (TbIcsSource *self);

static gboolean
refresh_cb (gpointer data)
{
  TbIcsSource *self = data;

  self->refresh_id = 0;
  fetch (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (TbIcsSource *self, guint seconds)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add_seconds (seconds, refresh_cb, self);
  g_source_set_name_by_id (self->refresh_id, "[tb-ics-source] refresh");
}

static void
fetch_failed (TbIcsSource *self, const char *message)
{
  guint64 delay = BACKOFF_MIN_S;

  for (guint i = 0; i < self->failures && delay < TB_ICS_SOURCE_REFRESH; i++)
    delay *= 2;
  self->failures++;
  self->fetching = FALSE;
  tb_cal_reader_set_busy (TB_CAL_READER (self), FALSE);
  tb_cal_reader_set_error (TB_CAL_READER (self), message);
  schedule_refresh (self, (guint) MIN (delay, TB_ICS_SOURCE_REFRESH));
}

typedef struct
{
  TbIcsSource *self;  /* (owned) */
  SoupMessage *msg;   /* (owned) */
  GInputStream *body; /* (owned) (nullable) */
  GByteArray *data;   /* (owned) */
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_object_unref (f->self);
  g_object_unref (f->msg);
  g_clear_object (&f->body);
  g_byte_array_unref (f->data);
  g_free (f);
}

static void
fetch_succeeded (Fetch *f)
{
  TbIcsSource *self = f->self;
  SoupMessageHeaders *headers = soup_message_get_response_headers (f->msg);
  GBytes *bytes;

  g_free (self->etag);
  self->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  g_free (self->last_modified);
  self->last_modified
      = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  self->failures = 0;
  self->fetching = FALSE;
  tb_cal_reader_set_busy (TB_CAL_READER (self), FALSE);
  tb_cal_reader_set_error (TB_CAL_READER (self), NULL);
  g_byte_array_append (f->data, (const guint8 *) "", 1);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&f->data));
  f->data = g_byte_array_new ();
  tb_cal_reader_take_text (TB_CAL_READER (self), bytes);
  g_bytes_unref (bytes);
  schedule_refresh (self, TB_ICS_SOURCE_REFRESH);
}

static void read_more (Fetch *f);

static void
read_done (GObject *stream, GAsyncResult *result, gpointer user_data)
{
  Fetch *f = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish (
      G_INPUT_STREAM (stream), result, &error);

  if (chunk == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fetch_failed (f->self, error->message);
      fetch_free (f);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      fetch_succeeded (f);
      fetch_free (f);
      return;
    }
  if (f->data->len + g_bytes_get_size (chunk) > TB_ICAL_EVENTS_MAX_BYTES)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("The calendar is too large (at most %s)"), "64 MB");

      fetch_failed (f->self, msg);
      fetch_free (f);
      return;
    }
  g_byte_array_append (f->data, g_bytes_get_data (chunk, NULL),
                       (guint) g_bytes_get_size (chunk));
  read_more (f);
}

static void
read_more (Fetch *f)
{
  g_input_stream_read_bytes_async (f->body, CHUNK, G_PRIORITY_LOW,
                                   f->self->cancellable, read_done, f);
}

static void
send_done (GObject *session, GAsyncResult *result, gpointer user_data)
{
  Fetch *f = user_data;
  g_autoptr (GError) error = NULL;
  guint status;

  f->body = soup_session_send_finish (SOUP_SESSION (session), result, &error);
  if (f->body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fetch_failed (f->self, error->message);
      fetch_free (f);
      return;
    }
  status = soup_message_get_status (f->msg);
  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      TbIcsSource *self = f->self;

      self->failures = 0;
      self->fetching = FALSE;
      tb_cal_reader_set_busy (TB_CAL_READER (self), FALSE);
      tb_cal_reader_set_error (TB_CAL_READER (self), NULL);
      /* The window moved even if the calendar did not. */
      tb_cal_reader_reread (TB_CAL_READER (self));
      schedule_refresh (self, TB_ICS_SOURCE_REFRESH);
      fetch_free (f);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *msg
          = g_strdup_printf (_ ("The server answered %u %s"), status,
                             soup_message_get_reason_phrase (f->msg));

      fetch_failed (f->self, msg);
      fetch_free (f);
      return;
    }
  read_more (f);
}

static void
fetch (TbIcsSource *self)
{
  Fetch *f;
  SoupMessageHeaders *headers;

  if (self->fetching)
    return;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  f = g_new0 (Fetch, 1);
  f->self = g_object_ref (self);
  f->msg = soup_message_new (SOUP_METHOD_GET, self->url);
  f->data = g_byte_array_new ();
  if (f->msg == NULL)
    {
      fetch_free (f);
      tb_cal_reader_set_error (TB_CAL_READER (self), _ ("Not a valid URL"));
      return;
    }
  headers = soup_message_get_request_headers (f->msg);
  soup_message_headers_append (headers, "Accept", "text/calendar");
  if (self->etag != NULL)
    soup_message_headers_append (headers, "If-None-Match", self->etag);
  if (self->last_modified != NULL)
    soup_message_headers_append (headers, "If-Modified-Since",
                                 self->last_modified);
  self->fetching = TRUE;
  tb_cal_reader_set_busy (TB_CAL_READER (self), TRUE);
  soup_session_send_async (self->session, f->msg, G_PRIORITY_LOW,
                           self->cancellable, send_done, f);
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available,
                    gpointer user_data)
{
  TbIcsSource *self = user_data;

  /* Only worth a request after a failure: a working feed keeps its
   * refresh. */
  if (available && self->failures > 0)
    fetch (self);
}

/* -------------------------------------------------------------- vfuncs */

static void
tb_ics_source_start (TbCalReader *reader)
{
  TbIcsSource *self = TB_ICS_SOURCE (reader);
  g_autoptr (GError) error = NULL;

  if (self->url != NULL)
    {
      self->network_id = g_signal_connect (
          g_network_monitor_get_default (), "network-changed",
          G_CALLBACK (on_network_changed), self);
      fetch (self);
      return;
    }
  self->monitor = g_file_monitor_file (self->file, G_FILE_MONITOR_WATCH_MOVES,
                                       NULL, &error);
  if (self->monitor == NULL)
    g_message ("Cannot watch %s: %s", tb_cal_reader_get_label (reader),
               error->message);
  else
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_file_changed),
                      self);
  read_file (self);
}

static void
tb_ics_source_scan (TbCalReader *reader)
{
  TbIcsSource *self = TB_ICS_SOURCE (reader);

  if (self->url != NULL)
    fetch (self);
  else
    read_file (self);
}

static void
tb_ics_source_dispose (GObject *object)
{
  TbIcsSource *self = TB_ICS_SOURCE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->network_id != 0)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (),
                                   self->network_id);
      self->network_id = 0;
    }
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  G_OBJECT_CLASS (tb_ics_source_parent_class)->dispose (object);
}

static void
tb_ics_source_finalize (GObject *object)
{
  TbIcsSource *self = TB_ICS_SOURCE (object);

  g_clear_object (&self->file);
  g_free (self->url);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->etag);
  g_free (self->last_modified);
  G_OBJECT_CLASS (tb_ics_source_parent_class)->finalize (object);
}

static void
tb_ics_source_class_init (TbIcsSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbCalReaderClass *reader_class = TB_CAL_READER_CLASS (klass);

  object_class->dispose = tb_ics_source_dispose;
  object_class->finalize = tb_ics_source_finalize;
  reader_class->start = tb_ics_source_start;
  reader_class->scan = tb_ics_source_scan;
}

static void
tb_ics_source_init (TbIcsSource *self)
{
  self->cancellable = g_cancellable_new ();
}

TbIcsSource *
tb_ics_source_new (const char *spec, GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *expanded = NULL;
  TbIcsSource *self;

  g_return_val_if_fail (spec != NULL, NULL);
  name = tb_ics_source_name_for (spec);
  if (name == NULL)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is neither an absolute path nor an http(s) URL"),
                   spec);
      return NULL;
    }
  self = g_object_new (TB_TYPE_ICS_SOURCE, "name", name, NULL);
  expanded = expand (spec);
  if (is_url (expanded))
    {
      g_autoptr (GUri) uri = NULL;

      self->url = url_for (expanded);
      uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL || g_uri_get_host (uri) == NULL)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not a valid URL"), spec);
          g_object_unref (self);
          return NULL;
        }
      self->session = soup_session_new_with_options (
          "user-agent", "touchbase/" PACKAGE_VERSION, "timeout", 60, NULL);
      tb_cal_reader_set_label (TB_CAL_READER (self), self->url);
    }
  else
    {
      g_autofree char *path = path_for (expanded);

      self->file = g_file_new_for_path (path);
      tb_cal_reader_set_label (TB_CAL_READER (self), path);
    }
  return self;
}
