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

/* After a new configuration: alerts the daily limit held are planned
 * again at once, so a raised daily-limit shows them without waiting for
 * tomorrow (and a lowered one holds them again). Re-arms the timer. */
void tb_alerts_replan (TbAlerts *alerts);

/* What the alerts wait for, for `touchbase status`. */
typedef struct
{
  gboolean server;      /* a notification server is there */
  gint64 retry_at;      /* it refused the last alerts: asked again then; 0 */
  gint64 held;          /* first alerts held by the daily limit */
  gint64 held_until;    /* the first of them is planned again then; 0 */
  gint64 quiet_until;   /* now is in quiet hours, which end then; 0 */
  guint daily_limit;    /* in force */
  gint64 started_today; /* first alerts shown today */
} TbAlertsStatus;

gboolean tb_alerts_get_status (TbAlerts *alerts, TbAlertsStatus *out,
                               GError **error);

G_END_DECLS
