/* tb-daemon.h — the state of touchbased, shared by its parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-calendar.h"
#include "tb-config.h"
#include "tb-dbus-generated.h"
#include "tb-notifier.h"
#include "tb-store.h"
#include "tb-timer.h"

G_BEGIN_DECLS

typedef struct
{
  GMainLoop *loop;      /* (owned) */
  TbStore *store;       /* (owned) */
  TbConfig *config;     /* (owned) */
  char *config_path;    /* (owned) */
  GTimeZone *tz;        /* (owned) the local zone, refreshed on change */
  TbTimer *timer;       /* (owned) */
  TbNotifier *notifier; /* (owned) */
  TbCalendar *calendar; /* (owned) the live file and CalDAV */
  TbDaemon1 *skeleton;  /* (owned) */
  GFileMonitor *config_monitor; /* (owned) */
  GFileMonitor *tz_monitor;     /* (owned) */
  guint owner_id;
  guint signal_ids[3];
  gint64 alert_retry_at;    /* after a refused batch: not before this */
  gint64 alert_retry_delay; /* seconds; doubles on each refusal */
  int exit_status;
  gboolean name_owned;
} TbDaemon;

/* Opens the database and reads the configuration: everything that can
 * fail happens before the bus name is owned, so no client ever talks to a
 * half-started daemon. */
TbDaemon *tb_daemon_new (GError **error);
void tb_daemon_free (TbDaemon *daemon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDaemon, tb_daemon_free)

/* Owns the bus name and runs until SIGTERM/SIGINT or the name is lost;
 * returns the exit status. */
int tb_daemon_run (TbDaemon *daemon, gboolean replace);

/* The wall clock, in Unix seconds. */
gint64 tb_daemon_now (TbDaemon *daemon);

/* The data changed: re-arm the timer for the next alert, update the
 * calendar (debounced) and tell clients. Call after every successful
 * write. */
void tb_daemon_changed (TbDaemon *daemon);

/* Re-arms the timer for the earliest pending alert (or disarms it). */
void tb_daemon_reschedule (TbDaemon *daemon);

/* Shows everything due now, in one batch (tb-alerts.c). */
void tb_alerts_run (TbDaemon *daemon);

/* A notification's button was pressed (tb-alerts.c). */
void tb_alerts_on_action (TbNoticeKind kind, gint64 id, gint64 other_id,
                          const char *action, gpointer user_data);

/* Exports the service's skeleton on @connection (tb-service.c). */
gboolean tb_service_export (TbDaemon *daemon, GDBusConnection *connection,
                            GError **error);
void tb_service_unexport (TbDaemon *daemon);

/* Replies to @invocation with @error (transfer full) as an
 * io.github.touchbase.Error; returns G_DBUS_METHOD_INVOCATION_HANDLED, so
 * a handler can end with "return tb_service_fail (invocation, error);". */
gboolean tb_service_fail (GDBusMethodInvocation *invocation, GError *error);

/* Connects the Import method (tb-service-import.c). */
void tb_service_import_connect (TbDaemon *daemon);

/* Connects the introductions and depth methods to daemon->skeleton
 * (tb-service-intros.c). */
void tb_service_intros_connect (TbDaemon *daemon);

G_END_DECLS
