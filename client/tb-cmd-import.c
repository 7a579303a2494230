/* tb-cmd-import.c — import and export: files travel as descriptors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-cmd.h"
#include "tb-figures.h"
#include "tb-output.h"
#include "tb-progress.h"
#include "tb-sink.h"
#include "tb-vardict-json.h"

typedef struct
{
  GMainLoop *loop;      /* (owned) */
  TbProgress *progress; /* (owned) */
  GVariant *result;     /* (owned) (nullable) */
  GError *error;        /* (owned) (nullable) */
} ImportRun;

static void
on_import_progress (TbDaemon1 *proxy, guint64 done, guint64 total,
                    gpointer user_data)
{
  ImportRun *run = user_data;

  tb_progress_update (run->progress, done, total);
}

static void
on_import_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  ImportRun *run = user_data;

  tb_daemon1_call_import_finish (TB_DAEMON1 (source), &run->result, NULL, res,
                                 &run->error);
  g_main_loop_quit (run->loop);
}

static int
open_input (const char *path, GError **error)
{
  struct stat st;
  int fd;

  if (g_str_equal (path, "-"))
    {
      fd = fcntl (STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
      if (fd < 0)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "stdin: %s", g_strerror (errno));
      return fd;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return -1;
    }
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _ ("%s: is a directory"), path);
      return -1;
    }
  return fd;
}

/* A dry run's names of one kind, then "… and N more" past the ones the
 * daemon sent. */
static void
print_names (GVariant *result, const char *key, const char *title, gint64 total)
{
  g_autoptr (GVariant) names
      = tb_dict_get_value (result, key, G_VARIANT_TYPE_STRING_ARRAY);
  gsize n;

  if (names == NULL || (n = g_variant_n_children (names)) == 0)
    return;
  printf ("%s\n", title);
  for (gsize i = 0; i < n; i++)
    {
      const char *name;
      g_autofree char *clean = NULL;

      g_variant_get_child (names, i, "&s", &name);
      clean = tb_output_clean (name);
      printf ("  %s\n", clean);
    }
  if (total > (gint64) n)
    {
      g_autofree char *rest = tb_figure_count (total - (gint64) n);

      printf (_ ("  … and %s more\n"), rest);
    }
}

/* How many records listed on a terminal; --json has all the daemon sent. */
#define PROBLEMS_SHOWN 10

/* Why the skipped were skipped, and the records skipped without a name or
 * repaired: the first PROBLEMS_SHOWN, then how many more. */
static void
print_skipped_and_problems (GVariant *result, gint64 added, gint64 updated)
{
  gint64 no_name = tb_dict_get_int64 (result, "skipped_no_name");
  gint64 unchanged = tb_dict_get_int64 (result, "skipped_unchanged");
  gint64 total = tb_dict_get_int64 (result, "problems_total");
  g_autoptr (GVariant) problems
      = tb_dict_get_value (result, "problems", G_VARIANT_TYPE ("aa{sv}"));
  gsize n = problems != NULL ? g_variant_n_children (problems) : 0;

  if (no_name > 0)
    {
      g_autofree char *c = tb_figure_count (no_name);

      printf (g_dngettext (GETTEXT_PACKAGE, "  %s skipped: no name\n",
                           "  %s skipped: no name\n", (gulong) no_name),
              c);
    }
  if (unchanged > 0)
    {
      g_autofree char *c = tb_figure_count (unchanged);

      printf (g_dngettext (GETTEXT_PACKAGE,
                           "  %s skipped: already known, nothing new\n",
                           "  %s skipped: already known, nothing new\n",
                           (gulong) unchanged),
              c);
    }
  if (added == 0 && updated == 0 && unchanged > 0)
    printf ("%s\n", _ ("Nothing changed: every contact in the file is "
                       "already known."));
  if (total <= 0)
    return;
  printf ("%s\n", _ ("Records skipped or repaired:"));
  for (gsize i = 0; i < n && i < PROBLEMS_SHOWN; i++)
    {
      g_autoptr (GVariant) problem = g_variant_get_child_value (problems, i);
      const char *file = tb_dict_get_string (problem, "file");
      const char *action = tb_dict_get_string (problem, "action");
      const char *reason = tb_dict_get_string (problem, "reason");
      guint32 line = 0;
      g_autofree char *clean_file = NULL;
      g_autofree char *clean_reason = NULL;

      g_variant_lookup (problem, "line", "u", &line);
      clean_file = tb_output_clean (file ? file : "");
      clean_reason = tb_output_clean (reason ? reason : "");
      /* Translators: "contacts.vcf:12: repaired: ORG: ..."; the first
       * %s is the file, the third the reason. */
      printf (_ ("  %s:%u: %s: %s\n"), clean_file, line,
              g_strcmp0 (action, "repaired") == 0 ? _ ("repaired")
                                                  : _ ("skipped"),
              clean_reason);
    }
  if (total > (gint64) MIN (n, PROBLEMS_SHOWN))
    {
      g_autofree char *rest
          = tb_figure_count (total - (gint64) MIN (n, PROBLEMS_SHOWN));

      printf (_ ("  … and %s more\n"), rest);
    }
}

static void
print_import_result (GVariant *result, gboolean dry_run, gboolean json)
{
  gint64 review = tb_dict_get_int64 (result, "review");
  gint64 interval_set = tb_dict_get_int64 (result, "interval_set");
  double per_day = 0;
  gint64 added = tb_dict_get_int64 (result, "added");
  gint64 updated = tb_dict_get_int64 (result, "updated");
  gint64 skipped = tb_dict_get_int64 (result, "skipped");
  /* The counts as text: "%" G_GINT64_FORMAT can't be in a translated
   * string (xgettext can't see through the macro). */
  g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, added);
  g_autofree char *u = g_strdup_printf ("%" G_GINT64_FORMAT, updated);
  g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, skipped);

  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_to_json (result);

      json_object_set_boolean_member (json_node_get_object (node), "dry_run",
                                      dry_run);
      tb_output_print_json (node);
      return;
    }
  if (dry_run)
    {
      print_names (result, "would_add", _ ("Would add:"), added);
      print_names (result, "would_update", _ ("Would update:"), updated);
      printf (_ ("Would add %s, update %s, skip %s (dry run: nothing "
                 "changed)\n"),
              a, u, s);
    }
  else
    printf (_ ("Added %s, updated %s, skipped %s\n"), a, u, s);
  print_skipped_and_problems (result, added, updated);

  /* What the import means for the reminders: the reason an imported
   * network does not flood "due" should be said, not discovered. */
  if (review > 0)
    {
      g_autofree char *r = tb_figure_count (review);

      printf (g_dngettext (GETTEXT_PACKAGE,
                           "%s contact waits in “touchbase review”: imported "
                           "connections are not tracked until you choose "
                           "them.\n",
                           "%s contacts wait in “touchbase review”: imported "
                           "connections are not tracked until you choose "
                           "them.\n",
                           (gulong) review),
              r);
    }
  if (g_variant_lookup (result, "due_per_day", "d", &per_day))
    {
      g_autofree char *n = tb_figure_count (interval_set);

      /* A long interval over a few contacts is well under one a day:
       * "0.0 a day" would say nothing, so then it is counted by month. */
      if (per_day >= 0.1)
        /* Translators: "1,370 tracked at this interval: about 15.2 come
         * due per day". */
        printf (_ ("%s tracked at this interval: about %.1f come due per "
                   "day\n"),
                n, per_day);
      else
        printf (_ ("%s tracked at this interval: about %.1f come due per "
                   "month\n"),
                n, per_day * 30);
    }
}

int
tb_cmd_import (int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *every = NULL;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_ ("linkedin, google, outlook, thunderbird, vcard or json (default: "
          "detected from the "
          "content)"),
      N_ ("F") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_ ("Show what would change, change nothing"), NULL },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag,
      N_ ("Tag every imported contact with T"), N_ ("T") },
    { "every", 0, 0, G_OPTION_ARG_STRING, &every,
      N_ ("Touch base with imported contacts this often"), N_ ("DUR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GUnixFDList) fd_list = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (TbProgress) progress = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  ImportRun run = { 0 };
  TbDaemon1 *proxy;
  gulong handler;
  int fd;
  int index;

  context = tb_cmd_context_new (
      N_ ("FILE"),
      N_ ("Import contacts; people already known are merged, not "
          "duplicated."),
      N_ ("FILE is LinkedIn's data export (the ZIP as LinkedIn mails it, or "
          "the Connections.csv inside it), a Google Contacts CSV, a vCard "
          "file or touchbase's own JSON export; “-” reads stdin.\n"
          "The import is one transaction: on any error nothing changes and "
          "the message names the line.\n"
          "Imported contacts you never talked to come due spread over their "
          "first interval, not all at once."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing FILE")))
    return TB_EXIT_USAGE;

  g_variant_dict_insert (&options, "filename", "s", argv[1]);
  if (dry_run)
    g_variant_dict_insert (&options, "dry_run", "b", TRUE);
  if (tag != NULL)
    g_variant_dict_insert (&options, "tag", "s", tag);
  if (every != NULL)
    {
      gint64 seconds;

      if (!tb_cmd_parse_duration ("--every", every, &seconds, &error))
        return tb_cmd_error (error);
      g_variant_dict_insert (&options, "interval_seconds", "x", seconds);
    }

  fd = open_input (argv[1], &error);
  if (fd < 0)
    return tb_cmd_fail ("%s", error->message);
  fd_list = g_unix_fd_list_new ();
  index = g_unix_fd_list_append (fd_list, fd, &error);
  close (fd);
  if (index < 0)
    return tb_cmd_fail ("%s", error->message);

  proxy = tb_cmd_get_slow_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);

  loop = g_main_loop_new (NULL, FALSE);
  progress = tb_progress_new (_ ("Importing"));
  run.loop = loop;
  run.progress = progress;
  handler = g_signal_connect (proxy, "import-progress",
                              G_CALLBACK (on_import_progress), &run);
  tb_daemon1_call_import (
      proxy, g_variant_new_handle (index), format != NULL ? format : "",
      g_variant_dict_end (&options), fd_list, NULL, on_import_done, &run);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (proxy, handler);
  tb_progress_finish (progress);

  if (run.error != NULL)
    {
      int status = tb_cmd_error (run.error);

      g_error_free (run.error);
      return status;
    }
  print_import_result (run.result, dry_run, json);
  g_variant_unref (run.result);
  return TB_EXIT_OK;
}

/* The export format an output file's name suggests, or NULL. */
static const char *
format_from_path (const char *path)
{
  static const struct
  {
    const char *suffix;
    const char *format;
  } suffixes[] = {
    { ".ics", "ics" },     { ".ical", "ics" },  { ".vcf", "vcard" },
    { ".vcard", "vcard" }, { ".json", "json" }, { ".csv", "csv" },
  };
  g_autofree char *lower = NULL;

  if (path == NULL)
    return NULL;
  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i].suffix))
      return suffixes[i].format;
  return NULL;
}

int
tb_cmd_export (int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  gboolean todo = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_ ("ics, vcard, json or csv (default: from FILE's extension, else "
          "json)"),
      N_ ("F") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write to FILE instead of stdout"), N_ ("FILE") },
    { "todo", 0, 0, G_OPTION_ARG_NONE, &todo,
      N_ ("ics: follow-ups and touch-bases as to-dos (VTODO), not events"),
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbSink) sink = NULL;
  g_autoptr (GUnixFDList) fd_list = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  const char *chosen;
  TbDaemon1 *proxy;

  context = tb_cmd_context_new (
      NULL, N_ ("Export contacts and reminders."),
      N_ ("json is everything touchbase knows, and imports back; ics holds "
          "the follow-ups, due touch-bases and birthdays for a calendar; "
          "vcard and csv hold the contacts.\n"
          "-o FILE is replaced only when the export succeeded."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;

  chosen = format != NULL ? format : format_from_path (output);
  if (chosen == NULL)
    chosen = "json";
  if (todo)
    g_variant_dict_insert (&options, "todo", "b", TRUE);

  proxy = tb_cmd_get_slow_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);

  sink = tb_sink_open_with_fd_list (output, &fd_list, &error);
  if (sink == NULL)
    return tb_cmd_fail ("%s", error->message);

  if (!tb_daemon1_call_export_sync (proxy, chosen, g_variant_new_handle (0),
                                    g_variant_dict_end (&options), fd_list,
                                    NULL, NULL, &error))
    return tb_cmd_error (error);
  if (!tb_sink_commit (sink, &error))
    return tb_cmd_fail ("%s", error->message);
  return TB_EXIT_OK;
}
