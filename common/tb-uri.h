/* tb-uri.h — which links touchbase ever hands on: to the desktop's
 * handler when a notification is clicked, and into calendar files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @uri is an absolute https, http, mailto or tel URI in valid
 * UTF-8 without spaces or control characters that GUri parses strictly:
 * http(s) with a host and no user name, mailto with no query fields but
 * to, cc, bcc, subject, body and in-reply-to (no "attach"), tel with a
 * number and no query. Contact data is untrusted: a file: link or a
 * custom scheme could run whatever its handler does, and a line break
 * would end up verbatim in an iCalendar file. */
gboolean tb_uri_is_allowed (const char *uri);

/* "mailto:ADDRESS" for one e-mail address, or NULL when it is not one. */
char *tb_uri_mailto (const char *email);

/* "tel:+351123456" from a phone number as people type it (blanks
 * dropped), or NULL when it is not one. */
char *tb_uri_tel (const char *phone);

/* What a click on a contact's notification opens: @url when allowed,
 * else a mailto: of @email, else a tel: of @phone; NULL with none. */
char *tb_uri_for_contact (const char *url, const char *email,
                          const char *phone);

G_END_DECLS
