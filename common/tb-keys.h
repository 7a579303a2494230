/* tb-keys.h — when two texts are "the same", one rule per kind: the key
 * a profile URL, an e-mail address, a tag or a name is compared by.
 *
 * Whoever writes a key and whoever looks one up call the same function
 * here (the formats when they read an export, the store when it writes a
 * row and when it answers a question), so a look-up can only miss what
 * the rule itself calls different. Pure functions: no state, no I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @url as a valid http or https URI: scheme and host in lower case, raw
 * non-ASCII and spaces percent-encoded, no trailing slash; LinkedIn
 * profile URLs also lose their query and fragment (tracking parameters).
 * "www.example.org/x" gets "https://". NULL for anything else. */
char *tb_url_normalize (const char *url);

/* The duplicate-finding key of @url: host without "www." (and for
 * LinkedIn without the country prefix), path percent-decoded and
 * case-folded, no scheme, query kept except for LinkedIn. Every
 * spelling of a LinkedIn profile has the same key:
 * "linkedin.com/in/émilie-durand". NULL when @url is not http(s). */
char *tb_url_key (const char *url);

/* Whether @host (lower case) is LinkedIn's, with any country prefix. */
gboolean tb_url_host_is_linkedin (const char *host);

/* The key of an e-mail address: trimmed, every run of white space one
 * space, lower case. NULL when empty or not UTF-8. */
char *tb_email_key (const char *email);

/* The key of a tag, which is also how a tag is stored and shown: trimmed
 * (ASCII white space), NFKC-normalised and in lower case, so "Équipe",
 * "ÉQUIPE" and a decomposed "E\u0301quipe" are one tag. Lower case
 * rather than case folding keeps the tag readable ("straße" stays
 * "straße"). "" when nothing is left; invalid UTF-8 is made valid
 * first. */
char *tb_tag_key (const char *tag);

/* The key names are looked up by: tb_fold (), case- and
 * accent-insensitive, so "zoe" finds "Zoë". */
char *tb_name_key (const char *name);

/* The key of a phone number: its digits, after a '+' when it starts with
 * one, so "+1 (555) 010-0" and "+15550100" are one number. NULL when
 * there is no digit. */
char *tb_phone_key (const char *phone);

G_END_DECLS
