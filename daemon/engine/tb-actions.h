/* tb-actions.h — the buttons on notifications, turned into the engine
 * operations the D-Bus methods use too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-engine.h"
#include "tb-notifier.h"

G_BEGIN_DECLS

/* @action ("default", "done", "messaged", "snooze", "introduce", "not-now",
 * "track-1mo", "track-3mo", "later") was
 * pressed on the notification of @kind about @id (and @other_id for an
 * introduction). Failures go to the journal: nobody is waiting for a
 * reply. */
void tb_actions_handle (TbEngine *engine, TbNoticeKind kind, gint64 id,
                        gint64 other_id, const char *action);

/* What a click on @id's notification opens: the profile link, else a
 * mailto:, else a tel: (tb_uri_for_contact); with none, the report. For
 * the overview's search results too. */
gboolean tb_actions_open_contact (TbEngine *engine, gint64 id, GError **error);

/* Writes the HTML report afresh and opens it. */
gboolean tb_actions_open_report (TbEngine *engine, GError **error);

G_END_DECLS
