/* tb-alerts.h — reminding on time: the one realtime timer, armed for the
 * next thing due, the batch of notifications it shows when it fires, and
 * buttons on them handed to tb-actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-engine.h"
#include "tb-notifier.h"

G_BEGIN_DECLS

typedef struct _TbAlerts TbAlerts;

/* @engine is referenced. The timer exists from here on, but nothing is
 * shown until tb_alerts_start(). */
TbAlerts *tb_alerts_new (TbEngine *engine, GError **error);
void tb_alerts_free (TbAlerts *alerts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbAlerts, tb_alerts_free)

/* Begins watching for a notification server and arms the timer: called
 * once the bus name is ours, so a second daemon that gives up never shows
 * a thing. */
void tb_alerts_start (TbAlerts *alerts);

/* Re-arms the timer for the earliest pending alert (or disarms it): after
 * a change, a new configuration or a new time zone. */
void tb_alerts_reschedule (TbAlerts *alerts);

/* When the timer fires next (Unix seconds; 0: disarmed). */
gint64 tb_alerts_get_next_wakeup (TbAlerts *alerts);

/* Whether a notification server is there to show alerts. */
gboolean tb_alerts_has_server (TbAlerts *alerts);

G_END_DECLS
