/* tb-cmd-status.c — stats, report and status: the view from above.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-status"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-figures.h"
#include "tb-output.h"
#include "tb-sink.h"
#include "tb-time.h"
#include "tb-vardict-json.h"

static const struct
{
  const char *key;
  const char *label;
} stat_rows[] = {
  { "contacts", N_ ("Contacts") },
  { "tracked", N_ ("Keeping in touch (tracked)") },
  { "not_tracked", N_ ("Not tracked (touchbase review)") },
  { "ignored", N_ ("Ignored") },
  { "talked", N_ ("Talked to at least once") },
  { "never_talked", N_ ("Never talked to") },
  { "never_talked_linkedin", N_ ("…of them LinkedIn connections") },
  { "overdue", N_ ("Overdue") },
  { "on_track", N_ ("On track") },
  { "conversations_30d", N_ ("Conversations, last 30 days") },
  { "conversations_90d", N_ ("Conversations, last 90 days") },
  { "introductions", N_ ("Introductions made") },
};

/* How many conversations each source found (docs/design.md §12). */
static void
print_sources (GVariant *stats)
{
  g_autoptr (GVariant) sources
      = tb_dict_get_value (stats, "sources", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr (TbTable) table = NULL;

  if (sources == NULL || g_variant_n_children (sources) == 0)
    return;
  table = tb_table_new (C_ ("column", "FOUND IN"), C_ ("column", "LOGGED"),
                        C_ ("column", "CONVERSATIONS"),
                        C_ ("column", "CONTACTS"), NULL);
  for (gsize i = 0; i < g_variant_n_children (sources); i++)
    {
      g_autoptr (GVariant) s = g_variant_get_child_value (sources, i);
      g_autofree char *n
          = tb_figure_count (tb_dict_get_int64 (s, "interactions"));
      g_autofree char *c
          = tb_figure_count (tb_dict_get_int64 (s, "conversations"));
      g_autofree char *p = tb_figure_count (tb_dict_get_int64 (s, "contacts"));

      tb_table_add_row (table, TB_STYLE_NONE, tb_dict_get_string (s, "source"),
                        n, c, p);
    }
  printf ("\n");
  tb_table_print (table);
}

static void
print_stats (GVariant *stats)
{
  g_autoptr (TbTable) table = tb_table_new ("", "", NULL);
  g_autoptr (GVariant) tags
      = tb_dict_get_value (stats, "tags", G_VARIANT_TYPE ("aa{sv}"));
  gint64 contacts = tb_dict_get_int64 (stats, "contacts");
  gint64 never = tb_dict_get_int64 (stats, "never_talked");

  for (guint i = 0; i < G_N_ELEMENTS (stat_rows); i++)
    {
      g_autofree char *value = g_strdup_printf (
          "%" G_GINT64_FORMAT, tb_dict_get_int64 (stats, stat_rows[i].key));

      tb_table_add_row (table, TB_STYLE_NONE, _ (stat_rows[i].label), value);
    }

  if (!tb_output_is_tty ())
    {
      /* In a pipe, key and number: easy to grep and stable. */
      for (guint i = 0; i < G_N_ELEMENTS (stat_rows); i++)
        printf ("%s\t%" G_GINT64_FORMAT "\n", stat_rows[i].key,
                tb_dict_get_int64 (stats, stat_rows[i].key));
      print_sources (stats);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (stat_rows); i++)
    {
      g_autofree char *label = tb_output_pad (_ (stat_rows[i].label), 32);
      g_autofree char *n
          = tb_figure_count (tb_dict_get_int64 (stats, stat_rows[i].key));
      g_autofree char *value = tb_output_pad_start (n, 9);

      printf ("  %s %s\n", label, value);
    }

  if (contacts > 0)
    {
      gint64 talked = tb_dict_get_int64 (stats, "talked");
      g_autofree char *talked_n = tb_figure_count (talked);
      g_autofree char *contacts_n = tb_figure_count (contacts);
      g_autofree char *talked_share = tb_figure_percent (talked, contacts);
      g_autofree char *never_share = tb_figure_percent (never, contacts);
      g_autofree char *deep = NULL;

      /* Exact figures: rounded to whole percents, 12 talked to in 30,020
       * would read "100% … an inch deep". */
      deep = g_strdup_printf (
          /* Translators: "You talked to 12 of 30,020 contacts (0.04 %);
           * 99.96 % of your network is an inch deep: never talked to." */
          _ ("You talked to %s of %s contacts (%s); %s of your network is "
             "an inch deep: never talked to."),
          talked_n, contacts_n, talked_share, never_share);
      printf ("\n%s%s%s\n", tb_output_style (TB_STYLE_BOLD), deep,
              tb_output_reset ());
    }

  if (tags != NULL && g_variant_n_children (tags) > 0)
    {
      g_autoptr (TbTable) by_tag
          = tb_table_new (C_ ("column", "TAG"), C_ ("column", "CONTACTS"),
                          C_ ("column", "TALKED"), C_ ("column", "NEVER"),
                          C_ ("column", "OVERDUE"), NULL);

      for (gsize i = 0; i < g_variant_n_children (tags); i++)
        {
          g_autoptr (GVariant) t = g_variant_get_child_value (tags, i);
          g_autofree char *n = g_strdup_printf (
              "%" G_GINT64_FORMAT, tb_dict_get_int64 (t, "contacts"));
          g_autofree char *talked = g_strdup_printf (
              "%" G_GINT64_FORMAT, tb_dict_get_int64 (t, "talked"));
          g_autofree char *never_t = g_strdup_printf (
              "%" G_GINT64_FORMAT, tb_dict_get_int64 (t, "never_talked"));
          g_autofree char *overdue = g_strdup_printf (
              "%" G_GINT64_FORMAT, tb_dict_get_int64 (t, "overdue"));

          tb_table_add_row (by_tag, TB_STYLE_NONE,
                            tb_dict_get_string (t, "tag"), n, talked, never_t,
                            overdue);
        }
      printf ("\n");
      tb_table_print (by_tag);
    }
  print_sources (stats);
}

typedef gboolean (*FetchFunc) (TbDaemon1 *proxy, GVariant **out,
                               GCancellable *cancellable, GError **error);

/* stats and status: one a{sv} from the daemon, printed by @print or as
 * JSON; status adds @client_version (NULL: nothing) to the JSON. */
static int
run_dict_command (int argc, char **argv, const char *summary,
                  const char *description, FetchFunc fetch,
                  void (*print) (GVariant *dict), const char *client_version)
{
  gboolean json = FALSE;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) dict = NULL;
  TbDaemon1 *proxy;

  context = tb_cmd_json_context_new (NULL, summary, description, &json);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL || !fetch (proxy, &dict, NULL, &error))
    return tb_cmd_error (error);

  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_to_json (dict);

      if (client_version != NULL)
        json_object_set_string_member (json_node_get_object (node),
                                       "client_version", client_version);
      tb_output_print_json (node);
    }
  else
    print (dict);
  return TB_EXIT_OK;
}

int
tb_cmd_stats (int argc, char **argv)
{
  return run_dict_command (
      argc, argv, N_ ("How deep your network is."),
      N_ ("“Talked” means at least one call, video call, meeting or coffee; "
          "the rest is an inch deep."),
      tb_daemon1_call_get_stats_sync, print_stats, NULL);
}

/* Where a report goes when asked on a terminal without -o: regenerated
 * on demand, so it is cache, not data. */
static char *
default_report_path (GError **error)
{
  g_autofree char *dir
      = g_build_filename (g_get_user_cache_dir (), "touchbase", NULL);

  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _ ("Cannot create %s: %s"), dir, g_strerror (errno));
      return NULL;
    }
  return g_build_filename (dir, "report.html", NULL);
}

int
tb_cmd_report (int argc, char **argv)
{
  g_autofree char *output = NULL;
  gboolean open_it = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the report to FILE (“-”: stdout)"), N_ ("FILE") },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_it,
      N_ ("Open it in the browser (the desktop file's action)"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbSink) sink = NULL;
  g_autoptr (GUnixFDList) fd_list = NULL;
  gboolean announce = FALSE;
  TbDaemon1 *proxy;

  context = tb_cmd_context_new (
      NULL,
      N_ ("Write a self-contained HTML page: stats with charts, who is due, "
          "introductions."),
      N_ ("Without -o: to stdout when it is not a terminal; on a terminal "
          "(or with --open) to $XDG_CACHE_HOME/touchbase/report.html, whose "
          "path is printed."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;

  if (open_it && output != NULL)
    return tb_cmd_usage_error (_ ("--open writes the report to the cache: "
                                  "no --output with it"));
  if (output == NULL && (open_it || tb_output_is_tty ()))
    {
      output = default_report_path (&error);
      if (output == NULL)
        return tb_cmd_fail ("%s", error->message);
      announce = TRUE;
    }

  proxy = tb_cmd_get_slow_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);

  sink = tb_sink_open_with_fd_list (output, &fd_list, &error);
  if (sink == NULL)
    return tb_cmd_fail ("%s", error->message);
  if (!tb_daemon1_call_write_report_sync (proxy, g_variant_new_handle (0),
                                          fd_list, NULL, NULL, &error))
    return tb_cmd_error (error);
  if (!tb_sink_commit (sink, &error))
    return tb_cmd_fail ("%s", error->message);

  if (announce)
    {
      g_autofree char *uri = g_filename_to_uri (output, NULL, NULL);
      g_autofree char *shown = tb_output_clean (uri != NULL ? uri : output);

      if (open_it
          && (uri == NULL
              || !g_app_info_launch_default_for_uri (uri, NULL, &error)))
        return tb_cmd_fail (_ ("Cannot open %s: %s"), output,
                            error != NULL ? error->message : "");
      if (!open_it)
        printf (_ ("Wrote %s\n"), shown);
    }
  return TB_EXIT_OK;
}

/* @label is translated; @value may be a path, or what a CalDAV server
 * answered, and is printed made safe. */
static void
print_status_line (const char *label, const char *value)
{
  g_autofree char *clean = NULL;

  if (value == NULL || *value == '\0')
    return;
  clean = tb_output_clean (value);
  if (tb_output_is_tty ())
    {
      g_autofree char *padded = tb_output_pad (label, 20);

      printf ("%s%s%s %s\n", tb_output_style (TB_STYLE_DIM), padded,
              tb_output_reset (), clean);
    }
  else
    printf ("%s\t%s\n", label, clean);
}

static void
print_status_count (const char *label, GVariant *status, const char *key)
{
  g_autofree char *value
      = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (status, key));

  print_status_line (label, value);
}

/* What the alerts wait for, each with its end: the daily limit, quiet
 * hours. */
static void
print_held (GVariant *status)
{
  gint64 held = tb_dict_get_int64 (status, "held_by_daily_limit");
  gint64 held_until = tb_dict_get_int64 (status, "held_until");
  gint64 quiet_until = tb_dict_get_int64 (status, "quiet_until");

  if (held > 0)
    {
      g_autofree char *until = tb_cmd_format_when_time (held_until);
      g_autofree char *n = tb_figure_count (held);
      g_autofree char *limit
          = tb_figure_count (tb_dict_get_int64 (status, "daily_limit"));
      g_autofree char *value = g_strdup_printf (
          /* Translators: "4 reminders until tomorrow 00:00 (daily-limit
           * 2)"; daily-limit is the configuration key. */
          g_dngettext (NULL, "%s reminder until %s (daily-limit %s)",
                       "%s reminders until %s (daily-limit %s)", (gulong) held),
          n, until, limit);

      print_status_line (_ ("Held by daily limit"), value);
    }
  if (quiet_until > 0)
    {
      g_autofree char *until = tb_cmd_format_when_time (quiet_until);
      /* Translators: "until today 09:00". */
      g_autofree char *value = g_strdup_printf (_ ("until %s"), until);

      print_status_line (_ ("Quiet hours"), value);
    }
}

static void
print_notifications (GVariant *status)
{
  gint64 retry_at = tb_dict_get_int64 (status, "notification_retry_at");

  if (!tb_dict_get_boolean (status, "notification_server"))
    print_status_line (_ ("Notifications"),
                       _ ("no notification server: alerts wait until one "
                          "appears"));
  else if (retry_at > 0)
    {
      g_autofree char *when = tb_cmd_format_when_time (retry_at);
      g_autofree char *value = g_strdup_printf (
          /* Translators: %s is a time, "today 14:05". */
          _ ("the notification server refused the last alerts; asking "
             "again %s"),
          when);

      print_status_line (_ ("Notifications"), value);
    }
  else
    print_status_line (_ ("Notifications"), _ ("notification server present"));
}

/* Each bad value of touchbase.conf, as the daemon read it: file, key,
 * value and what is used instead. */
static void
print_config_problems (GVariant *status)
{
  g_autoptr (GVariant) problems
      = tb_dict_get_value (status, "config_problems", G_VARIANT_TYPE ("as"));

  for (gsize i = 0; problems != NULL && i < g_variant_n_children (problems);
       i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (problems, i);
      g_autofree char *text
          = tb_output_clean (g_variant_get_string (item, NULL));

      print_status_line (_ ("Configuration"), text);
    }
}

static void
print_status (GVariant *status)
{
  gint64 next_wakeup = tb_dict_get_int64 (status, "next_wakeup");
  gint64 caldav_ok = tb_dict_get_int64 (status, "caldav_last_success");
  const char *caldav_url = tb_dict_get_string (status, "caldav_url");
  g_autofree char *wakeup = next_wakeup > 0
                                ? tb_cmd_format_when_time (next_wakeup)
                                : g_strdup (_ ("nothing scheduled"));
  g_autofree char *client = g_strdup_printf ("touchbase %s", PACKAGE_VERSION);

  print_status_line (_ ("Daemon"), tb_dict_get_string (status, "version"));
  print_status_line (_ ("Client"), client);
  print_status_line (_ ("Database"), tb_dict_get_string (status, "db_path"));
  print_status_line (_ ("Log file"), tb_dict_get_string (status, "log_file"));
  print_status_count (_ ("Contacts"), status, "contacts");
  print_status_count (_ ("Due now"), status, "due");
  print_status_count (_ ("Open follow-ups"), status, "follow_ups");
  print_status_count (_ ("Pending alerts"), status, "pending_alerts");
  if (tb_dict_get_boolean (status, "importing"))
    print_status_line (_ ("Import"),
                       _ ("running; changes can be made when it ends"));
  print_held (status);
  print_status_line (_ ("Next wake-up"), wakeup);
  print_notifications (status);
  print_config_problems (status);
  print_status_line (_ ("Calendar file"),
                     tb_dict_get_string (status, "ics_file"));
  if (caldav_url != NULL && *caldav_url != '\0')
    {
      g_autofree char *last = caldav_ok > 0
                                  ? tb_cmd_format_when_time (caldav_ok)
                                  : g_strdup (_ ("never"));

      print_status_line (_ ("CalDAV"), caldav_url);
      print_status_count (_ ("CalDAV pending"), status, "caldav_pending");
      print_status_line (_ ("CalDAV last sync"), last);
      print_status_line (_ ("CalDAV last error"),
                         tb_dict_get_string (status, "caldav_last_error"));
    }
  else
    print_status_line (_ ("CalDAV"), _ ("not configured"));
}

int
tb_cmd_status (int argc, char **argv)
{
  return run_dict_command (
      argc, argv, N_ ("Show the daemon's state."),
      N_ ("Starts the daemon through D-Bus activation when it isn't running."),
      tb_daemon1_call_get_status_sync, print_status, PACKAGE_VERSION);
}
