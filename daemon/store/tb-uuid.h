/* tb-uuid.h — time-ordered UUIDs (RFC 9562 version 7) for new contacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Formats a version 7 UUID for the Unix time @unix_ms (milliseconds) and
 * 74 bits taken from @random (the version and variant bits are set
 * here) into @out, lower-case 8-4-4-4-12 hex, NUL-terminated. Pure, for
 * tests. */
void tb_uuid_v7_format (guint64 unix_ms, const guint32 random[3], char out[37]);

/* A new version 7 UUID: the current time and g_random bits. Uids made
 * later sort after earlier ones (at millisecond granularity), so an
 * index on them grows at its end. (transfer full) */
char *tb_uuid_v7_new (void);

G_END_DECLS
