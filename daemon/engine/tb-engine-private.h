/* tb-connector.h — the daemon's side of introductions and depth: what the
 * D-Bus methods, the suggestion notification and the digest's report share.
 * The matching, texts and HTML are pure (tb-intros, tb-report); this joins
 * them to the store and the configuration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-daemon.h"

G_BEGIN_DECLS

/* Store state key: when the last suggestion notification was shown (or
 * found nothing to show). */
#define TB_STATE_INTROS_LAST "intros.last_suggested"

/* How many suggestion periods a "not now" holds a pair back. */
#define TB_INTROS_HOLD_PERIODS 4

/* How far ahead the report lists who is due. */
#define TB_REPORT_DUE_AHEAD (7 * G_GINT64_CONSTANT (86400))

/* Suggestions, best first (see tb_intros_suggest()), leaving out pairs
 * introduced or declined, and those put off at or after @held_since
 * (G_MAXINT64: none). (element-type TbIntroSuggestion) */
GPtrArray *tb_connector_suggest (TbDaemon *daemon, guint limit,
                                 gint64 held_since, GError **error);

/* Records the introduction of @a and @b as made, logs an intro interaction
 * for both, and returns the double opt-in text. @out_a and @out_b
 * (nullable) get the two contacts, with their facts. */
char *tb_connector_introduce (TbDaemon *daemon, gint64 a, gint64 b,
                              const char *note, TbContact **out_a,
                              TbContact **out_b, GError **error);

/* The whole HTML report, as of now. */
char *tb_connector_render_report (TbDaemon *daemon, GError **error);

/* Writes the report to $XDG_CACHE_HOME/touchbase/report.html (0600,
 * replaced atomically) and returns that path. */
char *tb_connector_write_report_file (TbDaemon *daemon, GError **error);

/* When the next suggestion notification is due: 0 when suggest-every is
 * off. The first period starts the first time this is asked. */
gint64 tb_connector_next_suggestion_at (TbDaemon *daemon);

/* Shows the best open suggestion when one is due at @now (the caller has
 * checked the server and quiet hours). FALSE when the server did not take
 * the notification, so it stays due. */
gboolean tb_connector_run (TbDaemon *daemon, gint64 now,
                           const TbReminderStyle *style);

G_END_DECLS
