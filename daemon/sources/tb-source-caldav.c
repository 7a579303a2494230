/* tb-source-caldav.c — a CalDAV calendar collection (`[sources] caldav=`).
 *
 * The scan brings a copy of the collection up to date with
 * tb-caldav-sync.c (sync-collection by sync-token, calendar-multiget of
 * what changed; calendar-query where the server has no sync) and finds
 * the meetings in the whole copy, so a meeting that ends later is found
 * from the copy without asking the server again.
 *
 * Credentials, as for the calendar push (tb-secret.h): the user name
 * from the URL ("https://ana@host/..."), the password from the Secret
 * Service (schema io.github.touchbase.CalDAV, url the caldav= entry as
 * written without a password, username that name), or from the URL
 * itself; without either, requests carry the user name alone (Radicale
 * without authentication) or nothing. The source's name never shows a
 * password.
 *
 * Remote: read again TB_CAL_SOURCE_REFRESH after the last read, after a
 * back-off when it failed, and when the network comes back
 * (tb-cal-sources.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-cal-sources.h"
#include "tb-caldav-sync.h"
#include "tb-error.h"
#include "tb-secret.h"

/* The calendar-query fallback also asks for what is to come, so the next
 * meeting's end is known. */
#define AHEAD (31 * 24 * 3600)

#define TB_TYPE_CALDAV_SOURCE (tb_caldav_source_get_type ())
G_DECLARE_FINAL_TYPE (TbCaldavSource, tb_caldav_source, TB, CALDAV_SOURCE,
                      TbCalSource)

struct _TbCaldavSource
{
  TbCalSource parent_instance;

  char *url;          /* (owned): as written, with any password */
  TbCaldavSync *sync; /* (owned) (nullable): the scan's own */
};

G_DEFINE_FINAL_TYPE (TbCaldavSource, tb_caldav_source, TB_TYPE_CAL_SOURCE)

static GBytes *
tb_caldav_source_read (TbCalSource *source, TbSourceScan *scan, GStrv *own,
                       GCancellable *cancellable, GError **error)
{
  TbCaldavSource *self = TB_CALDAV_SOURCE (source);
  gint64 now = tb_source_scan_get_now (scan);

  if (self->sync == NULL)
    {
      self->sync = tb_caldav_sync_new (self->url, error);
      if (self->sync == NULL)
        return NULL;
    }
  if (!tb_caldav_sync_has_password (self->sync)
      && tb_caldav_sync_get_username (self->sync) != NULL)
    {
      g_autoptr (GError) local = NULL;
      g_autofree char *password = tb_secret_lookup_caldav_password_sync (
          tb_source_get_location (TB_SOURCE (self)),
          tb_caldav_sync_get_username (self->sync), cancellable, &local);

      if (password != NULL)
        tb_caldav_sync_set_password (self->sync, password);
      else
        g_debug ("%s: no password (%s); trying with the user name alone",
                 tb_source_get_name (TB_SOURCE (self)), local->message);
    }
  if (!tb_caldav_sync_run (self->sync, tb_source_scan_get_since (scan),
                           now + AHEAD, cancellable, error))
    return NULL;
  g_debug ("%s: %u resources (%s)", tb_source_get_name (TB_SOURCE (self)),
           tb_caldav_sync_get_count (self->sync),
           tb_caldav_sync_get_mode (self->sync));
  return tb_caldav_sync_get_text (self->sync);
}

static void
tb_caldav_source_finalize (GObject *object)
{
  TbCaldavSource *self = TB_CALDAV_SOURCE (object);

  g_free (self->url);
  tb_caldav_sync_free (self->sync);
  G_OBJECT_CLASS (tb_caldav_source_parent_class)->finalize (object);
}

static void
tb_caldav_source_class_init (TbCaldavSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_caldav_source_finalize;
  TB_CAL_SOURCE_CLASS (klass)->read = tb_caldav_source_read;
}

static void
tb_caldav_source_init (TbCaldavSource *self)
{
}

/* @url without a password, for the name and the Secret Service. */
static char *
shown_url (const char *url)
{
  g_autoptr (GUri) uri
      = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_password (uri) == NULL)
    return g_strdup (url);
  return g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
}

TbSource *
tb_caldav_source_new (const char *url)
{
  g_autofree char *location = shown_url (url);
  TbCaldavSource *self = g_object_new (TB_TYPE_CALDAV_SOURCE, "kind", "caldav",
                                       "location", location, NULL);

  self->url = g_strdup (url);
  tb_cal_source_set_refresh (TB_CAL_SOURCE (self), TB_CAL_SOURCE_REFRESH);
  return TB_SOURCE (self);
}
