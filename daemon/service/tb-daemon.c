/* tb-daemon.c — start-up, the bus name, configuration and time zone
 * changes, and keeping the one timer armed for the next alert.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-daemon"

#include "config.h"

#include <glib-unix.h>

#include "tb-connector.h"
#include "tb-daemon.h"
#include "tb-error.h"
#include "tb-schedule.h"
#include "touchbase/tb-names.h"

gint64
tb_daemon_now (TbDaemon *daemon)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
tb_daemon_reschedule (TbDaemon *daemon)
{
  g_autoptr (GError) error = NULL;
  gint64 earliest, suggest, wake;

  earliest = tb_store_next_alert_at (daemon->store, &error);
  if (earliest < 0)
    {
      g_warning ("Cannot find the next alert: %s", error->message);
      return;
    }
  /* The suggestion of an introduction shares the one timer: with
   * suggest-every=1w and nothing due, the daemon wakes once a week. */
  suggest = tb_connector_next_suggestion_at (daemon);
  if (suggest > 0 && (earliest == 0 || suggest < earliest))
    earliest = suggest;
  /* Without a server nothing can be shown: wait for its name to appear
   * instead of waking up for alerts that would only stay pending. */
  if ((daemon->notifier == NULL || !tb_notifier_is_available (daemon->notifier))
      && earliest <= tb_daemon_now (daemon))
    earliest = 0;
  /* The server refused the last batch: try again after a pause, not in a
   * tight loop. */
  if (earliest > 0 && earliest < daemon->alert_retry_at)
    earliest = daemon->alert_retry_at;
  wake = tb_schedule_wakeup (earliest, tb_daemon_now (daemon), daemon->config,
                             daemon->tz);
  if (!tb_timer_arm (daemon->timer, wake, &error))
    g_warning ("%s", error->message);
  else if (wake > 0)
    g_debug ("Next wake-up at %" G_GINT64_FORMAT, wake);
  else
    g_debug ("Nothing to wait for: the timer is disarmed");
}

void
tb_daemon_changed (TbDaemon *daemon)
{
  tb_daemon_reschedule (daemon);
  if (daemon->calendar != NULL)
    tb_calendar_changed (daemon->calendar);
  if (daemon->skeleton != NULL)
    tb_daemon1_emit_changed (daemon->skeleton);
}

static void
on_timer (gboolean clock_changed, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  if (clock_changed)
    g_info ("The wall clock was set; re-arming");
  tb_alerts_run (daemon);
}

static void
on_server (gboolean available, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  /* Alerts that waited for a server are shown the moment one appears. */
  daemon->alert_retry_at = 0;
  daemon->alert_retry_delay = 0;
  if (available)
    tb_alerts_run (daemon);
  else
    tb_daemon_reschedule (daemon);
}

static gboolean
apply_config (TbDaemon *daemon, TbConfig *config, GError **error)
{
  TbStorePolicy policy = {
    .default_interval = config->default_interval,
    .tag_intervals = config->tag_intervals,
    .re_alert = config->re_alert,
  };

  if (!tb_store_set_policy (daemon->store, &policy, error))
    return FALSE;
  g_clear_pointer (&daemon->config, tb_config_free);
  daemon->config = config;
  if (daemon->calendar != NULL)
    tb_calendar_configure (daemon->calendar, config);
  return TRUE;
}

static TbConfig *
load_config (const char *path, GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  TbConfig *config;

  config = tb_config_load (path, warnings, error);
  /* A bad value is the user's to fix: it goes to the journal, and the
   * default stays in force. */
  for (guint i = 0; i < warnings->len; i++)
    g_message ("%s", (const char *) g_ptr_array_index (warnings, i));
  return config;
}

static void
reload_config (TbDaemon *daemon)
{
  g_autoptr (GError) error = NULL;
  TbConfig *config;

  config = load_config (daemon->config_path, &error);
  if (config == NULL)
    {
      g_message ("Keeping the previous configuration: %s", error->message);
      return;
    }
  if (!apply_config (daemon, config, &error))
    {
      tb_config_free (config);
      g_warning ("Cannot apply the configuration: %s", error->message);
      return;
    }
  g_info ("Configuration reloaded from %s", daemon->config_path);
  tb_daemon_changed (daemon);
}

static void
on_config_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                   GFileMonitorEvent event, gpointer user_data)
{
  /* Editors save by writing a new file and renaming it; CHANGES_DONE and
   * CREATED/DELETED cover both that and an in-place write. */
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      || event == G_FILE_MONITOR_EVENT_CREATED
      || event == G_FILE_MONITOR_EVENT_DELETED
      || event == G_FILE_MONITOR_EVENT_RENAMED
      || event == G_FILE_MONITOR_EVENT_MOVED_IN)
    reload_config (user_data);
}

static void
on_tz_changed (GFileMonitor *monitor, GFile *file, GFile *other,
               GFileMonitorEvent event, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      && event != G_FILE_MONITOR_EVENT_CREATED
      && event != G_FILE_MONITOR_EVENT_DELETED
      && event != G_FILE_MONITOR_EVENT_RENAMED)
    return;
  /* Quiet hours and the daily limit are local times: a new zone moves
   * them, so re-read the zone and re-arm. */
  g_time_zone_unref (daemon->tz);
  daemon->tz = g_time_zone_new_local ();
  tb_store_set_time_zone (daemon->store, daemon->tz);
  g_info ("Time zone is now %s", g_time_zone_get_identifier (daemon->tz));
  tb_calendar_set_time_zone (daemon->calendar, daemon->tz);
  tb_daemon_reschedule (daemon);
}

static GFileMonitor *
monitor_file (const char *path, GCallback callback, TbDaemon *daemon)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GFileMonitor *monitor;

  /* WATCH_MOVES plus inotify: woken only by real changes, no polling. */
  monitor
      = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_debug ("Not watching %s: %s", path, error->message);
      return NULL;
    }
  g_signal_connect (monitor, "changed", callback, daemon);
  return monitor;
}

static char *
database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "touchbase", "touchbase.db",
                           NULL);
}

TbDaemon *
tb_daemon_new (GError **error)
{
  g_autoptr (TbDaemon) daemon = g_new0 (TbDaemon, 1);
  g_autofree char *db_path = database_path ();
  g_autofree char *config_dir = NULL;
  g_autoptr (GError) config_error = NULL;
  TbConfig *config;

  daemon->loop = g_main_loop_new (NULL, FALSE);
  daemon->tz = g_time_zone_new_local ();
  daemon->config_path = tb_config_default_path ();
  daemon->store = tb_store_open (db_path, error);
  if (daemon->store == NULL)
    return NULL;
  daemon->calendar = tb_calendar_new (daemon->store, daemon->tz);
  config = load_config (daemon->config_path, &config_error);
  if (config == NULL)
    {
      /* A broken file must not cost the user their reminders: start with
       * the defaults and say why; fixing the file reloads it. */
      g_message ("Using the default configuration: %s", config_error->message);
      config = tb_config_new_default ();
    }
  if (!apply_config (daemon, config, error))
    {
      tb_config_free (config);
      return NULL;
    }
  daemon->timer = tb_timer_new (on_timer, daemon, error);
  if (daemon->timer == NULL)
    return NULL;
  /* Watching a file in a missing folder makes GLib poll for the folder
   * every few seconds; with the folder there, inotify waits in silence. */
  config_dir = g_path_get_dirname (daemon->config_path);
  g_mkdir_with_parents (config_dir, 0700);
  daemon->config_monitor = monitor_file (
      daemon->config_path, G_CALLBACK (on_config_changed), daemon);
  daemon->tz_monitor
      = monitor_file ("/etc/localtime", G_CALLBACK (on_tz_changed), daemon);
  return g_steal_pointer (&daemon);
}

void
tb_daemon_free (TbDaemon *daemon)
{
  if (daemon == NULL)
    return;
  tb_service_unexport (daemon);
  g_clear_handle_id (&daemon->owner_id, g_bus_unown_name);
  for (guint i = 0; i < G_N_ELEMENTS (daemon->signal_ids); i++)
    g_clear_handle_id (&daemon->signal_ids[i], g_source_remove);
  g_clear_object (&daemon->config_monitor);
  g_clear_object (&daemon->tz_monitor);
  g_clear_pointer (&daemon->notifier, tb_notifier_free);
  g_clear_pointer (&daemon->timer, tb_timer_free);
  g_clear_pointer (&daemon->calendar, tb_calendar_free);
  g_clear_pointer (&daemon->store, tb_store_free);
  g_clear_pointer (&daemon->config, tb_config_free);
  g_clear_pointer (&daemon->tz, g_time_zone_unref);
  g_clear_pointer (&daemon->loop, g_main_loop_unref);
  g_free (daemon->config_path);
  g_free (daemon);
}

static void
on_bus_acquired (GDBusConnection *connection, const char *name,
                 gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (GError) error = NULL;

  if (!tb_service_export (daemon, connection, &error))
    {
      g_warning ("Cannot export the service: %s", error->message);
      daemon->exit_status = 1;
      g_main_loop_quit (daemon->loop);
    }
}

static void
on_name_acquired (GDBusConnection *connection, const char *name,
                  gpointer user_data)
{
  TbDaemon *daemon = user_data;

  g_info ("Serving %s on the session bus", name);
  daemon->name_owned = TRUE;
  /* The notifier starts once we own the name, so a second daemon that
   * gives up never shows a thing. */
  daemon->notifier = tb_notifier_new (tb_alerts_on_action, on_server, daemon);
  tb_calendar_start (daemon->calendar);
  tb_daemon_reschedule (daemon);
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  if (connection == NULL)
    g_printerr ("touchbased: cannot connect to the session bus\n");
  else if (daemon->name_owned)
    g_message ("Replaced by another touchbased; exiting");
  else
    g_printerr ("touchbased: another touchbased is already running on this "
                "session bus (use --replace to take over)\n");
  daemon->exit_status = 1;
  g_main_loop_quit (daemon->loop);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  TbDaemon *daemon = user_data;

  g_info ("Exiting on a signal");
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sighup (gpointer user_data)
{
  reload_config (user_data);
  return G_SOURCE_CONTINUE;
}

int
tb_daemon_run (TbDaemon *daemon, gboolean replace)
{
  GBusNameOwnerFlags flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT;

  if (replace)
    flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
  daemon->signal_ids[0] = g_unix_signal_add (SIGTERM, on_quit_signal, daemon);
  daemon->signal_ids[1] = g_unix_signal_add (SIGINT, on_quit_signal, daemon);
  daemon->signal_ids[2] = g_unix_signal_add (SIGHUP, on_sighup, daemon);
  daemon->owner_id
      = g_bus_own_name (G_BUS_TYPE_SESSION, TB_BUS_NAME, flags, on_bus_acquired,
                        on_name_acquired, on_name_lost, daemon, NULL);
  g_main_loop_run (daemon->loop);
  return daemon->exit_status;
}
