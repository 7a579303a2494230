/* tb-report.h — the network as one self-contained HTML page: the depth
 * figures with inline SVG charts, who is due with their links, and the
 * suggested introductions. No scripts, no external assets (a Content
 * Security Policy in the page forbids loading any), every piece of contact
 * data escaped, links only with http, https, mailto and tel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"
#include "tb-intros.h"
#include "tb-stats.h"

G_BEGIN_DECLS

/* @due: (element-type TbContact) (nullable): who is due, most overdue
 * first, with due_at, last_interaction_at, last_conversation_at and facts
 * filled in. @suggestions: (element-type TbIntroSuggestion) (nullable).
 * @now and @tz date the page and the "3 days overdue" texts.
 * Returns: (transfer full) the HTML document. */
char *tb_report_render (const TbStats *stats, GPtrArray *due,
                        GPtrArray *suggestions, gint64 now, GTimeZone *tz);

/* The href for a contact link, or NULL when @uri is not an http(s) URL
 * (javascript:, data:, file:, relative, malformed, ...). Not escaped. */
char *tb_report_safe_web_uri (const char *uri);

G_END_DECLS
