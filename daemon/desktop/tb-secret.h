/* tb-secret.h — the CalDAV password in the Secret Service (libsecret).
 *
 * Schema "io.github.touchbase.CalDAV" with the string attributes "url"
 * (the caldav-url as configured) and "username". A user stores it with
 *
 *   secret-tool store --label="touchbase CalDAV" \
 *       xdg:schema io.github.touchbase.CalDAV url URL username NAME
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define TB_SECRET_SCHEMA_NAME "io.github.touchbase.CalDAV"

const SecretSchema *tb_secret_get_caldav_schema (void);

/* Asynchronous: never blocks the main loop (the keyring may have to be
 * unlocked, or the service started). */
void tb_secret_lookup_caldav_password (const char *url, const char *username,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
/* Returns: (transfer full): the password, free with g_free(); NULL with
 * TB_ERROR_NOT_FOUND when none is stored, or the Secret Service's error
 * when it is not available. */
char *tb_secret_lookup_caldav_password_finish (GAsyncResult *result,
                                               GError **error);

/* Blocking, for worker threads (a calendar source's scan): the password,
 * or NULL with TB_ERROR_NOT_FOUND or the Secret Service's error. */
char *tb_secret_lookup_caldav_password_sync (const char *url,
                                             const char *username,
                                             GCancellable *cancellable,
                                             GError **error);

G_END_DECLS
