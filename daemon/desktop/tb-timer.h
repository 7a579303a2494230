/* tb-timer.h — one wake-up on the wall clock that survives suspend.
 *
 * GLib's timeouts count CLOCK_MONOTONIC, which stops while a laptop
 * sleeps, so a reminder due during suspend would come late by the length
 * of the sleep. A CLOCK_REALTIME timerfd armed at an absolute time fires
 * right after resume instead, and TFD_TIMER_CANCEL_ON_SET wakes us when
 * the clock is set, so the caller can re-arm against the new time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbTimer TbTimer;

/* @clock_changed: the wall clock was set; the timer is disarmed and the
 * callback should re-arm it. */
typedef void (*TbTimerFunc) (gboolean clock_changed, gpointer user_data);

TbTimer *tb_timer_new (TbTimerFunc func, gpointer user_data, GError **error);
void tb_timer_free (TbTimer *timer);

/* Fires once at @when (Unix seconds; in the past: at once). 0 disarms:
 * with nothing to wait for, the daemon makes no system calls at all. */
gboolean tb_timer_arm (TbTimer *timer, gint64 when, GError **error);
gint64 tb_timer_get_armed (TbTimer *timer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbTimer, tb_timer_free)

G_END_DECLS
