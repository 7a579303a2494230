/* tb-source-ics.c — an .ics file or URL (`[sources] ics=`).
 *
 * A file is read whole at each scan (at most TB_ICAL_EVENTS_MAX_BYTES)
 * and watched with a GFileMonitor: a write, a rename over it (how editors
 * and exporters save) or its creation asks for a scan, which the manager
 * runs after a short pause that gathers the burst.
 *
 * A URL (http, https; webcal is read as https) is fetched with
 * If-None-Match and If-Modified-Since from the last answer, so an
 * unchanged calendar costs one 304 and the text read before is used
 * again; it is remote, so it is read again TB_CAL_SOURCE_REFRESH after
 * the last read and after a back-off when that failed
 * (tb-cal-sources.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-cal-sources.h"
#include "tb-error.h"
#include "tb-http-fetch.h"
#include "tb-ical-events.h"

#define TB_TYPE_ICS_SOURCE (tb_ics_source_get_type ())
G_DECLARE_FINAL_TYPE (TbIcsSource, tb_ics_source, TB, ICS_SOURCE, TbCalSource)

struct _TbIcsSource
{
  TbCalSource parent_instance;

  char *url;             /* (owned) (nullable): a URL source */
  GFileMonitor *monitor; /* (owned) (nullable): main thread */

  /* The scan's own (one scan at a time). */
  char *etag;          /* (owned) (nullable) */
  char *last_modified; /* (owned) (nullable) */
  GBytes *last_text;   /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (TbIcsSource, tb_ics_source, TB_TYPE_CAL_SOURCE)

static gboolean
is_url (const char *spec)
{
  return g_ascii_strncasecmp (spec, "http://", 7) == 0
         || g_ascii_strncasecmp (spec, "https://", 8) == 0
         || g_ascii_strncasecmp (spec, "webcal://", 9) == 0;
}

static GBytes *
read_file (const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  char *data = NULL;
  gsize len = 0;

  info = g_file_query_info (
      file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
      G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND, _ ("%s is not a file"),
                   path);
      return NULL;
    }
  if ((guint64) g_file_info_get_size (info) > TB_ICAL_EVENTS_MAX_BYTES)
    {
      g_autofree char *max = g_format_size (TB_ICAL_EVENTS_MAX_BYTES);

      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("%s is too large for a calendar (more than %s)"), path,
                   max);
      return NULL;
    }
  if (!g_file_load_contents (file, cancellable, &data, &len, NULL, error))
    return NULL;
  /* g_file_load_contents() ends the data in a NUL it does not count. */
  return g_bytes_new_take (data, len);
}

static GBytes *
read_url (TbIcsSource *self, GCancellable *cancellable, GError **error)
{
  g_auto (TbHttpResponse) r = { 0 };
  g_autofree char *url = g_ascii_strncasecmp (self->url, "webcal://", 9) == 0
                             ? g_strconcat ("https://", self->url + 9, NULL)
                             : g_strdup (self->url);
  gboolean have = self->last_text != NULL;

  if (!tb_http_get (url, have ? self->etag : NULL,
                    have ? self->last_modified : NULL, TB_ICAL_EVENTS_MAX_BYTES,
                    &r, cancellable, error))
    return NULL;
  if (r.status == 304)
    return g_bytes_ref (self->last_text);
  g_free (self->etag);
  self->etag = g_steal_pointer (&r.etag);
  g_free (self->last_modified);
  self->last_modified = g_steal_pointer (&r.last_modified);
  g_clear_pointer (&self->last_text, g_bytes_unref);
  self->last_text = g_bytes_ref (r.body);
  return g_steal_pointer (&r.body);
}

static GBytes *
tb_ics_source_read (TbCalSource *source, TbSourceScan *scan, GStrv *own,
                    GCancellable *cancellable, GError **error)
{
  TbIcsSource *self = TB_ICS_SOURCE (source);

  if (self->url != NULL)
    return read_url (self, cancellable, error);
  return read_file (tb_source_get_location (TB_SOURCE (self)), cancellable,
                    error);
}

static void
on_file_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                 GFileMonitorEvent event, gpointer user_data)
{
  switch (event)
    {
      case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      case G_FILE_MONITOR_EVENT_CREATED:
      case G_FILE_MONITOR_EVENT_MOVED_IN:
      case G_FILE_MONITOR_EVENT_RENAMED:
        tb_source_changed (user_data);
        break;
      default:
        break;
    }
}

static gboolean
tb_ics_source_watch_changes (TbCalSource *source, GError **error)
{
  TbIcsSource *self = TB_ICS_SOURCE (source);
  const char *path = tb_source_get_location (TB_SOURCE (self));
  g_autofree char *dir = NULL;
  g_autoptr (GFile) file = NULL;

  if (self->url != NULL)
    return TRUE;
  dir = g_path_get_dirname (path);
  /* A file in a missing folder would be polled for. */
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("%s is not a folder"), dir);
      return FALSE;
    }
  file = g_file_new_for_path (path);
  self->monitor = tb_source_monitor (file, FALSE, G_CALLBACK (on_file_changed),
                                     self, error);
  return self->monitor != NULL;
}

static void
tb_ics_source_unwatch_changes (TbCalSource *source)
{
  TbIcsSource *self = TB_ICS_SOURCE (source);

  tb_source_monitor_clear (&self->monitor, self);
}

static void
tb_ics_source_dispose (GObject *object)
{
  tb_ics_source_unwatch_changes (TB_CAL_SOURCE (object));
  G_OBJECT_CLASS (tb_ics_source_parent_class)->dispose (object);
}

static void
tb_ics_source_finalize (GObject *object)
{
  TbIcsSource *self = TB_ICS_SOURCE (object);

  g_free (self->url);
  g_free (self->etag);
  g_free (self->last_modified);
  g_clear_pointer (&self->last_text, g_bytes_unref);
  G_OBJECT_CLASS (tb_ics_source_parent_class)->finalize (object);
}

static void
tb_ics_source_class_init (TbIcsSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbCalSourceClass *cal_class = TB_CAL_SOURCE_CLASS (klass);

  object_class->dispose = tb_ics_source_dispose;
  object_class->finalize = tb_ics_source_finalize;
  cal_class->read = tb_ics_source_read;
  cal_class->watch_changes = tb_ics_source_watch_changes;
  cal_class->unwatch_changes = tb_ics_source_unwatch_changes;
}

static void
tb_ics_source_init (TbIcsSource *self)
{
}

TbSource *
tb_ics_source_new (const char *spec)
{
  g_autofree char *location = NULL;
  TbIcsSource *self;

  if (is_url (spec))
    location = g_strdup (spec);
  else if (g_str_has_prefix (spec, "~/"))
    location = g_build_filename (g_get_home_dir (), spec + 2, NULL);
  else
    location = g_canonicalize_filename (spec, NULL);
  self = g_object_new (TB_TYPE_ICS_SOURCE, "kind", "ics", "location", location,
                       NULL);
  if (is_url (spec))
    {
      self->url = g_strdup (spec);
      tb_cal_source_set_refresh (TB_CAL_SOURCE (self), TB_CAL_SOURCE_REFRESH);
    }
  return TB_SOURCE (self);
}
