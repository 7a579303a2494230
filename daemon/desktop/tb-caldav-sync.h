/* tb-caldav-sync.h — reading a CalDAV calendar collection into a local
 * copy, for the caldav= source. Blocking: it runs in the source's scan
 * (a worker thread), one call at a time per object.
 *
 * tb_caldav_sync_run() brings the copy up to date:
 *   - with a sync-token from the last run, REPORT sync-collection (RFC
 *     6578) lists what changed and what went; REPORT calendar-multiget
 *     fetches the changed resources, TB_CALDAV_SYNC_BATCH at a time;
 *   - with no token (a first run, an empty copy, or a token the server
 *     no longer takes: 403/409/410 valid-sync-token), sync-collection
 *     from the empty token lists everything;
 *   - a server without sync-collection (any other failure of it) gets a
 *     REPORT calendar-query of the VEVENTs in a time range, the copy
 *     replaced by what it returns, at every run.
 * A 507 (truncated) sync answer continues from its new token.
 *
 * The copy is in memory only: after a restart the first run reads the
 * collection again (the engine logs nothing twice). It is bounded by
 * TB_ICAL_EVENTS_MAX_BYTES of calendar data.
 *
 * Multistatus answers are read with GMarkup by local element names
 * (response, href, status, getetag, calendar-data, sync-token), the
 * namespace prefixes each server picks being ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_CALDAV_SYNC_BATCH 100

typedef struct _TbCaldavSync TbCaldavSync;

/* @url: the collection (http or https; a trailing '/' is added). User
 * information in it ("https://ana@host/...") is taken out and becomes
 * the user name, a password there the password. NULL with
 * TB_ERROR_INVALID_ARGUMENT on a bad URL. */
TbCaldavSync *tb_caldav_sync_new (const char *url, GError **error);
void tb_caldav_sync_free (TbCaldavSync *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCaldavSync, tb_caldav_sync_free)

/* The URL requests go to (without user information). */
const char *tb_caldav_sync_get_url (TbCaldavSync *self);
/* (nullable) */
const char *tb_caldav_sync_get_username (TbCaldavSync *self);
gboolean tb_caldav_sync_has_password (TbCaldavSync *self);
void tb_caldav_sync_set_password (TbCaldavSync *self, const char *password);

/* Brings the copy up to date; the calendar-query fallback asks for
 * events in [@since, @until]. FALSE with an error that says what the
 * server answered; the copy stays as it was. */
gboolean tb_caldav_sync_run (TbCaldavSync *self, gint64 since, gint64 until,
                             GCancellable *cancellable, GError **error);

/* The copy: every resource's VCALENDAR one after the other, NUL-terminated
 * (the NUL not counted). (transfer full) */
GBytes *tb_caldav_sync_get_text (TbCaldavSync *self);
guint tb_caldav_sync_get_count (TbCaldavSync *self);
/* (nullable) the sync-token of the last run; NULL without sync. */
const char *tb_caldav_sync_get_token (TbCaldavSync *self);
/* How the last run read: "sync" (changes only), "full" (everything
 * with sync-collection) or "query" (calendar-query). */
const char *tb_caldav_sync_get_mode (TbCaldavSync *self);

G_END_DECLS
