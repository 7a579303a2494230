/* tb-cmd-sources.c — touchbase sources: the sources that find
 * conversations (docs/design.md §12), a scan of them with a progress
 * bar, and forgetting one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-sources"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-figures.h"
#include "tb-output.h"
#include "tb-progress.h"
#include "tb-time.h"
#include "tb-vardict-json.h"

static const char *
state_text (const char *state)
{
  if (g_strcmp0 (state, "scanning") == 0)
    return _ ("scanning");
  if (g_strcmp0 (state, "error") == 0)
    return _ ("error");
  if (g_strcmp0 (state, "off") == 0)
    return _ ("off");
  return _ ("idle");
}

static void
print_source (GVariant *s)
{
  gint64 at = tb_dict_get_int64 (s, "last_scan_at");
  gint64 in_history = tb_dict_get_int64 (s, "interactions");
  const char *error = tb_dict_get_string (s, "last_error");
  g_autofree char *name = tb_output_clean (tb_dict_get_string (s, "name"));

  printf ("%s  (%s%s)\n", name, state_text (tb_dict_get_string (s, "state")),
          tb_dict_get_boolean (s, "watching") ? _ (", followed live") : "");
  if (at > 0)
    {
      g_autofree char *when = tb_cmd_format_when_time (at);
      g_autofree char *found
          = tb_figure_count (tb_dict_get_int64 (s, "last_found"));
      g_autofree char *logged
          = tb_figure_count (tb_dict_get_int64 (s, "last_logged"));
      g_autofree char *contacts
          = tb_figure_count (tb_dict_get_int64 (s, "last_contacts"));
      g_autofree char *unknown
          = tb_figure_count (tb_dict_get_int64 (s, "last_unknown"));

      /* Translators: "last scan 2026-12-04 19:15 (today): found 12,
       * logged 3, contacts 2, unknown addresses 1". */
      printf (_ ("  last scan %s: found %s, logged %s, contacts %s, unknown "
                 "addresses %s\n"),
              when, found, logged, contacts, unknown);
    }
  else
    printf ("  %s\n", _ ("not scanned since touchbased started"));
  {
    g_autofree char *n = tb_figure_count (in_history);

    printf (_ ("  interactions in the history: %s\n"), n);
  }
  if (error != NULL)
    {
      g_autofree char *e = tb_output_clean (error);

      printf (_ ("  last error: %s\n"), e);
    }
}

static int
list_sources (TbDaemon1 *proxy, gboolean json)
{
  g_autoptr (GVariant) sources = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  GVariantIter iter;
  GVariant *s;

  if (!tb_daemon1_call_list_sources_sync (proxy, g_variant_dict_end (&options),
                                          &sources, NULL, &error))
    return tb_cmd_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_list_to_json (sources, NULL);

      tb_output_print_json (node);
      return TB_EXIT_OK;
    }
  if (g_variant_n_children (sources) == 0)
    {
      printf ("%s\n", _ ("No sources are configured. Name your Sent mail and "
                         "calendars in [sources] of touchbase.conf (maildir=, "
                         "mbox=, notmuch=true, ics=, caldav=, eds=): see "
                         "touchbase(1)."));
      return TB_EXIT_OK;
    }
  g_variant_iter_init (&iter, sources);
  while ((s = g_variant_iter_next_value (&iter)) != NULL)
    {
      print_source (s);
      g_variant_unref (s);
    }
  return TB_EXIT_OK;
}

typedef struct
{
  GMainLoop *loop;      /* (owned) */
  TbProgress *progress; /* (owned) */
  GVariant *result;     /* (owned) (nullable) */
  GError *error;        /* (owned) (nullable) */
} ScanRun;

static void
on_progress (TbDaemon1 *proxy, const char *source, guint64 done, guint64 total,
             gpointer user_data)
{
  ScanRun *run = user_data;

  tb_progress_update (run->progress, done, total);
}

static void
on_scan_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  ScanRun *run = user_data;

  tb_daemon1_call_scan_sources_finish (TB_DAEMON1 (source), &run->result, res,
                                       &run->error);
  g_main_loop_quit (run->loop);
}

/* "1,240 conversations with 212 contacts since 2025-12-01". */
static void
print_scan_result (GVariant *result)
{
  g_autoptr (GTimeZone) tz = tb_cmd_local_tz ();
  gint64 logged = tb_dict_get_int64 (result, "logged");
  gint64 contacts = tb_dict_get_int64 (result, "contacts");
  gint64 unknown = tb_dict_get_int64 (result, "unknown");
  g_autofree char *l = tb_figure_count (logged);
  g_autofree char *c = tb_figure_count (contacts);
  g_autofree char *u = tb_figure_count (unknown);
  g_autofree char *since
      = tb_time_format_date (tb_dict_get_int64 (result, "since"), tz);

  g_autofree char *conversations
      = g_strdup_printf (g_dngettext (NULL, "%s conversation",
                                      "%s conversations", (gulong) logged),
                         l);
  g_autofree char *with = g_strdup_printf (
      g_dngettext (NULL, "%s contact", "%s contacts", (gulong) contacts), c);

  /* Translators: "1,240 conversations with 212 contacts since
   * 2025-12-01": the first two are "%s conversations" and "%s contacts"
   * above. */
  printf (_ ("%s with %s since %s\n"), conversations, with, since);
  if (unknown > 0)
    printf (g_dngettext (NULL,
                         "%s address was no contact's (counted, not kept)\n",
                         "%s addresses were no contact's (counted, not "
                         "kept)\n",
                         (gulong) unknown),
            u);
}

static int
scan_sources (TbDaemon1 *proxy, int argc, char **argv, const char *since_text,
              gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (TbProgress) progress = NULL;
  g_autoptr (GVariant) errors = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  ScanRun run = { 0 };
  gulong handler;
  int status = TB_EXIT_OK;

  if (argc > 1)
    g_variant_dict_insert_value (
        &options, "names",
        g_variant_new_strv ((const char *const *) argv + 1, argc - 1));
  if (since_text != NULL)
    {
      gint64 since;

      if (!tb_cmd_parse_date ("--since", since_text, &since, &error))
        return tb_cmd_error (error);
      g_variant_dict_insert (&options, "since", "x", since);
    }
  loop = g_main_loop_new (NULL, FALSE);
  progress = tb_progress_new (_ ("Scanning"));
  run.loop = loop;
  run.progress = progress;
  handler = g_signal_connect (proxy, "sources-progress",
                              G_CALLBACK (on_progress), &run);
  tb_daemon1_call_scan_sources (proxy, g_variant_dict_end (&options), NULL,
                                on_scan_done, &run);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (proxy, handler);
  tb_progress_finish (progress);
  if (run.error != NULL)
    {
      status = tb_cmd_error (run.error);
      g_error_free (run.error);
      return status;
    }
  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_to_json (run.result);

      tb_output_print_json (node);
    }
  else
    print_scan_result (run.result);
  errors
      = tb_dict_get_value (run.result, "errors", G_VARIANT_TYPE_STRING_ARRAY);
  for (gsize i = 0; errors != NULL && i < g_variant_n_children (errors); i++)
    {
      const char *e = NULL;

      g_variant_get_child (errors, i, "&s", &e);
      status = tb_cmd_fail ("%s", e);
    }
  g_variant_unref (run.result);
  return status;
}

static int
forget_source (TbDaemon1 *proxy, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *n = NULL;
  g_autofree char *safe = tb_output_clean (name);
  gint64 removed = 0;

  if (!tb_daemon1_call_forget_source_sync (proxy, name, &removed, NULL, &error))
    return tb_cmd_error (error);
  n = tb_figure_count (removed);
  printf (g_dngettext (NULL,
                       "Forgot %s interaction %s found (touchbase undo brings "
                       "it back)\n",
                       "Forgot %s interactions %s found (touchbase undo "
                       "brings them back)\n",
                       (gulong) removed),
          n, safe);
  return TB_EXIT_OK;
}

int
tb_cmd_sources (int argc, char **argv)
{
  gboolean json = FALSE;
  gboolean scan = FALSE;
  g_autofree char *since = NULL;
  g_autofree char *forget = NULL;
  const GOptionEntry entries[] = {
    { "scan", 0, 0, G_OPTION_ARG_NONE, &scan,
      N_ ("Read the sources (those named, else all) back to since= and log "
          "what they found"),
      NULL },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since,
      N_ ("With --scan: read back to DATE instead"), N_ ("DATE") },
    { "forget", 0, 0, G_OPTION_ARG_STRING, &forget,
      N_ ("Remove every interaction the source NAME found (undoable)"),
      N_ ("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  TbDaemon1 *proxy;

  context = tb_cmd_context_new (
      N_ ("[NAME…]"),
      N_ ("The sources that log conversations by themselves: your Sent mail "
          "and your calendars."),
      N_ ("Without options, lists each source, its state, what its last scan "
          "found and its last error. The sources are named in [sources] of "
          "touchbase.conf; touchbased follows them as they change. Only "
          "message headers are read; addresses that are no contact's are "
          "counted, never kept."),
      entries);
  if (!tb_cmd_parse (context, &argc, &argv))
    return TB_EXIT_USAGE;
  if (scan && forget != NULL)
    return tb_cmd_usage_error (_ ("--scan and --forget cannot go together"));
  if (since != NULL && !scan)
    return tb_cmd_usage_error (_ ("--since goes with --scan"));
  if (!scan && !tb_cmd_expect_args (argc, argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  proxy = scan ? tb_cmd_get_slow_proxy (&error) : tb_cmd_get_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);
  if (scan)
    return scan_sources (proxy, argc, argv, since, json);
  if (forget != NULL)
    return forget_source (proxy, forget);
  return list_sources (proxy, json);
}
