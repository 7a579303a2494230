/* tb-caldav.h — keeps a CalDAV collection in step with the calendar.
 *
 * The caller says what the collection should hold (tb_caldav_set_resources:
 * one iCalendar resource per UID, from tb_ical_build_resources) whenever it
 * changes; the engine works out the difference with what it pushed before
 * and sends it, on the GLib main loop, with libsoup 3:
 *
 *   new UID              PUT <collection>/<uid>.ics   If-None-Match: *
 *   changed content      PUT ...                       If-Match: <etag>
 *   UID gone             DELETE ...                    If-Match: <etag>
 *
 * "Changed" means the resource's hash (content without DTSTAMP) differs
 * from the hash that was pushed, so rebuilding the same calendar sends
 * nothing. The resource name is the UID, percent-encoded, plus ".ics".
 *
 * The desired set is the source of truth and the queue is just the
 * difference, so nothing is lost while the server is away: a transport
 * error, 5xx, 401/403, 408, 409 (no such collection), 423 or 429 stops
 * all requests and retries after a back-off (5 s doubling to 10 min by
 * default; tb_caldav_set_backoff), and any success resets it. Other 4xx
 * answers about one resource back off that resource alone, so one bad
 * resource never holds up the others.
 *
 * A resource changed or removed on the server answers 412 Precondition
 * Failed (or 404 to If-Match); the engine owns every resource it named, so
 * it logs this and sends its version again without a precondition (PUT
 * overwrites or recreates; DELETE deletes). A 404/410 to a DELETE counts
 * as done. Redirects are not followed (credentials stay with the URL the
 * user gave); a 3xx is reported in the last error.
 *
 * Idle means idle: with nothing pending there are no timers and no
 * requests; the engine never polls the server. At most
 * TB_CALDAV_MAX_IN_FLIGHT requests run at a time, never two for one UID.
 *
 * Authentication: HTTP Basic with the username and password given, sent
 * preemptively (Radicale without auth never asks, yet wants a user name).
 *
 * What was pushed (UID -> ETag and hash) is the state to persist between
 * runs: tb_caldav_save_state / tb_caldav_load_state, and the
 * "state-changed" signal says when it changed. Without it a restarted
 * engine re-sends everything once (If-None-Match: * then gets 412 for what
 * exists, and overwrites it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-ical.h"

G_BEGIN_DECLS

#define TB_CALDAV_MAX_IN_FLIGHT 4
#define TB_CALDAV_BACKOFF_MIN_MS (5 * 1000)
#define TB_CALDAV_BACKOFF_MAX_MS (10 * 60 * 1000)

#define TB_TYPE_CALDAV (tb_caldav_get_type ())
G_DECLARE_FINAL_TYPE (TbCaldav, tb_caldav, TB, CALDAV, GObject)

/* @collection_url: an http(s) URL of a calendar collection (a missing
 * trailing slash is added). @username and @password may be NULL (no
 * Authorization header). Fails with TB_ERROR_INVALID_ARGUMENT on a bad URL.
 * Nothing is sent until tb_caldav_set_resources(). */
TbCaldav *tb_caldav_new (const char *collection_url, const char *username,
                         const char *password, GError **error);

/* Back-off bounds; for tests. */
void tb_caldav_set_backoff (TbCaldav *self, guint min_ms, guint max_ms);

/* The whole desired content of the collection. @resources (element-type
 * TbIcalResource) is kept by reference and must not change afterwards;
 * pass a new array for every change. Duplicated UIDs: the last one wins. */
void tb_caldav_set_resources (TbCaldav *self, GPtrArray *resources);

/* Try now instead of waiting out the back-off (e.g. the network came back,
 * or the user asked). */
void tb_caldav_retry_now (TbCaldav *self);

/* Status, for `touchbase status`. Times are Unix seconds, 0: never/none. */
gint64 tb_caldav_get_last_success (TbCaldav *self);
guint tb_caldav_get_pending (TbCaldav *self); /* UIDs still to push/delete */
const char *tb_caldav_get_last_error (TbCaldav *self); /* (nullable): cleared
                                                        * once all is pushed */
gint64 tb_caldav_get_next_retry (TbCaldav *self);      /* 0: no timer armed */
gboolean tb_caldav_is_busy (TbCaldav *self);           /* requests in flight */
const char *tb_caldav_get_collection_url (TbCaldav *self);

/* What was pushed, as a GVariant of type TB_CALDAV_STATE_TYPE:
 * (collection url, {uid: (etag or "", hash)}). Store it with
 * g_variant_print()/g_variant_parse() or g_variant_get_data(). */
#define TB_CALDAV_STATE_TYPE ((const GVariantType *) "(sa{s(ss)})")
GVariant *tb_caldav_save_state (TbCaldav *self); /* (transfer full) */
/* Before the first tb_caldav_set_resources(). A state of another
 * collection URL is ignored (returns TRUE). A wrong type:
 * TB_ERROR_INVALID_ARGUMENT. */
gboolean tb_caldav_load_state (TbCaldav *self, GVariant *state, GError **error);

G_END_DECLS
