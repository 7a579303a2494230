/* tb-uri.h — which links touchbase ever hands on: to the desktop's
 * handler when a notification is clicked, and into calendar files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @uri is an absolute https, http, mailto or tel URI in valid
 * UTF-8 without spaces or control characters. Contact data is untrusted:
 * a file: link or a custom scheme could run whatever its handler does,
 * and a line break would end up verbatim in an iCalendar file. */
gboolean tb_uri_is_allowed (const char *uri);

G_END_DECLS
