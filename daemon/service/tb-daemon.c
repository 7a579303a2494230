/* tb-daemon.c — start-up, the bus name, and configuration and time zone
 * changes; and the one place that wires the parts together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-daemon"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "tb-alerts.h"
#include "tb-calendar.h"
#include "tb-daemon.h"
#include "tb-engine.h"
#include "tb-error.h"
#include "tb-search-provider.h"
#include "tb-service.h"
#include "tb-sources.h"
#include "touchbase/tb-names.h"

struct _TbDaemon
{
  GMainLoop *loop;              /* (owned) */
  TbEngine *engine;             /* (owned) */
  TbCalendar *calendar;         /* (owned) the live file and CalDAV */
  TbAlerts *alerts;             /* (owned) */
  TbSources *sources;           /* (owned) mail and calendars read */
  TbService *service;           /* (owned) (nullable) once on the bus */
  TbSearchProvider *search;     /* (owned) (nullable) once on the bus */
  char *config_path;            /* (owned) */
  char *log_file;               /* (owned) (nullable) */
  GPtrArray *config_problems;   /* (owned) of the last load, for status */
  GFileMonitor *config_monitor; /* (owned) */
  GFileMonitor *tz_monitor;     /* (owned) */
  guint owner_id;
  guint signal_ids[3];
  int exit_status;
  gboolean name_owned;
  /* What waits for the running import to end: a new configuration
   * (applying one rewrites due times), and the exit on a signal. */
  gboolean reload_waiting;
  gboolean quit_waiting;
};

/* Whatever wrote, whoever asked: the timer, the calendar and clients
 * follow the data from here. */
static void
on_engine_changed (TbEngine *engine, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  tb_alerts_reschedule (daemon->alerts);
  tb_calendar_changed (daemon->calendar);
  if (daemon->service != NULL)
    tb_service_emit_changed (daemon->service);
}

static void reload_config (TbDaemon *daemon);

/* After the import's "changed", if it wrote. */
static void
on_import_ended (TbEngine *engine, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  if (daemon->quit_waiting)
    {
      g_main_loop_quit (daemon->loop);
      return;
    }
  if (daemon->reload_waiting)
    {
      daemon->reload_waiting = FALSE;
      reload_config (daemon);
    }
}

static void
add_time (GVariantBuilder *b, const char *key, gint64 t)
{
  if (t > 0)
    g_variant_builder_add (b, "{sv}", key, g_variant_new_int64 (t));
}

/* What the alerts wait for: the daily limit, quiet hours, a server. */
static void
add_alerts_status (GVariantBuilder *b, TbAlerts *alerts)
{
  TbAlertsStatus st;
  g_autoptr (GError) error = NULL;

  if (!tb_alerts_get_status (alerts, &st, &error))
    {
      g_warning ("%s", error->message);
      st = (TbAlertsStatus){ .server = tb_alerts_has_server (alerts) };
    }
  g_variant_builder_add (b, "{sv}", "notification_server",
                         g_variant_new_boolean (st.server));
  add_time (b, "notification_retry_at", st.retry_at);
  g_variant_builder_add (b, "{sv}", "held_by_daily_limit",
                         g_variant_new_int64 (st.held));
  add_time (b, "held_until", st.held_until);
  g_variant_builder_add (b, "{sv}", "daily_limit",
                         g_variant_new_int64 (st.daily_limit));
  g_variant_builder_add (b, "{sv}", "alerts_started_today",
                         g_variant_new_int64 (st.started_today));
  add_time (b, "quiet_until", st.quiet_until);
}

static void
add_status (GVariantBuilder *b, gpointer user_data)
{
  TbDaemon *daemon = user_data;

  g_variant_builder_add (b, "{sv}", "config_path",
                         g_variant_new_string (daemon->config_path));
  g_variant_builder_add (
      b, "{sv}", "config_problems",
      g_variant_new_strv ((const char *const *) daemon->config_problems->pdata,
                          daemon->config_problems->len));
  g_variant_builder_add (
      b, "{sv}", "importing",
      g_variant_new_boolean (tb_engine_is_importing (daemon->engine)));
  if (daemon->log_file != NULL)
    g_variant_builder_add (b, "{sv}", "log_file",
                           g_variant_new_string (daemon->log_file));
  add_time (b, "next_wakeup", tb_alerts_get_next_wakeup (daemon->alerts));
  add_alerts_status (b, daemon->alerts);
  tb_calendar_add_status (daemon->calendar, b);
}

/* Takes @config. */
static gboolean
apply_config (TbDaemon *daemon, TbConfig *config, GError **error)
{
  if (!tb_engine_set_config (daemon->engine, config, error))
    return FALSE;
  tb_calendar_configure (daemon->calendar,
                         tb_engine_get_config (daemon->engine));
  tb_sources_configure (daemon->sources, tb_engine_get_config (daemon->engine));
  /* A new daily-limit applies to what it held today, not tomorrow. */
  tb_alerts_replan (daemon->alerts);
  return TRUE;
}

/* Keeps the problems for `touchbase status`: a bad value is the user's to
 * fix, and the journal is not where they look. */
static TbConfig *
load_config (TbDaemon *daemon, GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local_error = NULL;
  TbConfig *config;

  config = tb_config_load (daemon->config_path, warnings, &local_error);
  /* The default stays in force for each bad value. */
  for (guint i = 0; i < warnings->len; i++)
    g_message ("%s", (const char *) g_ptr_array_index (warnings, i));
  if (config == NULL)
    g_ptr_array_add (warnings, g_strdup (local_error->message));
  g_clear_pointer (&daemon->config_problems, g_ptr_array_unref);
  daemon->config_problems = g_steal_pointer (&warnings);
  if (config == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return config;
}

static void
reload_config (TbDaemon *daemon)
{
  g_autoptr (GError) error = NULL;
  TbConfig *config;

  if (tb_engine_is_importing (daemon->engine))
    {
      g_info ("An import is running: the configuration is reloaded when it "
              "ends");
      daemon->reload_waiting = TRUE;
      return;
    }

  config = load_config (daemon, &error);
  if (config == NULL)
    {
      g_message ("Keeping the previous configuration: %s", error->message);
      return;
    }
  if (!apply_config (daemon, config, &error))
    {
      g_warning ("Cannot apply the configuration: %s", error->message);
      return;
    }
  g_info ("Configuration reloaded from %s", daemon->config_path);
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
  g_autoptr (GTimeZone) tz = NULL;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      && event != G_FILE_MONITOR_EVENT_CREATED
      && event != G_FILE_MONITOR_EVENT_DELETED
      && event != G_FILE_MONITOR_EVENT_RENAMED)
    return;
  /* Quiet hours and the daily limit are local times: a new zone moves
   * them, so re-read the zone and re-arm. */
  tz = g_time_zone_new_local ();
  tb_engine_set_time_zone (daemon->engine, tz);
  g_info ("Time zone is now %s", g_time_zone_get_identifier (tz));
  tb_calendar_set_time_zone (daemon->calendar, tz);
  tb_alerts_reschedule (daemon->alerts);
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
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  TbConfig *config;
  TbStore *store;

  daemon->loop = g_main_loop_new (NULL, FALSE);
  daemon->config_path = tb_config_default_path ();
  store = tb_store_open (db_path, error);
  if (store == NULL)
    return NULL;
  daemon->engine = tb_engine_new (store, tz, error);
  if (daemon->engine == NULL)
    return NULL;
  daemon->calendar = tb_calendar_new (store, tz);
  daemon->sources = tb_sources_new (daemon->engine);
  daemon->alerts = tb_alerts_new (daemon->engine, error);
  if (daemon->alerts == NULL)
    return NULL;
  config = load_config (daemon, &config_error);
  if (config == NULL)
    {
      /* A broken file must not cost the user their reminders: start with
       * the defaults and say why; fixing the file reloads it. */
      g_message ("Using the default configuration: %s", config_error->message);
      config = tb_config_new_default ();
    }
  if (!apply_config (daemon, config, error))
    return NULL;
  g_signal_connect (daemon->engine, "changed", G_CALLBACK (on_engine_changed),
                    daemon);
  g_signal_connect (daemon->engine, "import-ended",
                    G_CALLBACK (on_import_ended), daemon);
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
  /* An import still running (the bus went away under it) rolls back
   * before anything it reports to is freed. */
  if (daemon->engine != NULL)
    tb_engine_stop_import (daemon->engine);
  g_clear_pointer (&daemon->service, tb_service_free);
  g_clear_pointer (&daemon->search, tb_search_provider_free);
  g_clear_handle_id (&daemon->owner_id, g_bus_unown_name);
  for (guint i = 0; i < G_N_ELEMENTS (daemon->signal_ids); i++)
    g_clear_handle_id (&daemon->signal_ids[i], g_source_remove);
  g_clear_object (&daemon->config_monitor);
  g_clear_object (&daemon->tz_monitor);
  if (daemon->engine != NULL)
    g_signal_handlers_disconnect_by_data (daemon->engine, daemon);
  g_clear_pointer (&daemon->alerts, tb_alerts_free);
  g_clear_pointer (&daemon->sources, tb_sources_free);
  /* The calendar reads the store as it saves a pending change: before the
   * engine, which owns the store. */
  g_clear_pointer (&daemon->calendar, tb_calendar_free);
  g_clear_object (&daemon->engine);
  g_clear_pointer (&daemon->loop, g_main_loop_unref);
  g_free (daemon->config_path);
  g_free (daemon->log_file);
  g_clear_pointer (&daemon->config_problems, g_ptr_array_unref);
  g_free (daemon);
}

void
tb_daemon_set_log_file (TbDaemon *daemon, const char *path)
{
  g_free (daemon->log_file);
  daemon->log_file = g_strdup (path);
}

static void
on_bus_acquired (GDBusConnection *connection, const char *name,
                 gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (GError) error = NULL;

  daemon->service
      = tb_service_new (daemon->engine, daemon->calendar, add_status, daemon);
  /* GNOME Shell's overview asks the same bus name for its results. */
  daemon->search = tb_search_provider_new (daemon->engine);
  tb_service_set_sources (daemon->service, daemon->sources);
  if (!tb_service_export (daemon->service, connection, &error)
      || !tb_search_provider_export (daemon->search, connection, &error))
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
  /* Alerts and the calendar start once we own the name, so a second
   * daemon that gives up never shows or writes a thing. */
  tb_alerts_start (daemon->alerts);
  tb_calendar_start (daemon->calendar);
  tb_sources_start (daemon->sources);
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
  /* An import rolls back first, and its caller hears why; the loop ends
   * when it has (on_import_ended). */
  if (tb_engine_is_importing (daemon->engine))
    {
      daemon->quit_waiting = TRUE;
      tb_engine_cancel_import (
          daemon->engine, _ ("The daemon is stopping; nothing was imported"));
      return G_SOURCE_CONTINUE;
    }
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
