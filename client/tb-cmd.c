/* tb-cmd.c — what the subcommands share: options, errors, the proxy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd"

#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tb-cmd.h"
#include "tb-error.h"
#include "tb-output.h"
#include "tb-time.h"
#include "touchbase/tb-names.h"

static const char *current_command = NULL;
static TbDaemon1 *daemon_proxy = NULL; /* (owned): lives until exit */

void
tb_cmd_set_current (const char *name)
{
  current_command = name;
}

const char *
tb_cmd_get_current (void)
{
  return current_command;
}

GOptionContext *
tb_cmd_context_new (const char *parameters, const char *summary,
                    const char *description, const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  /* The texts are untranslated (N_()): GOption translates them when it
   * prints the help. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

GOptionContext *
tb_cmd_json_context_new (const char *parameters, const char *summary,
                         const char *description, gboolean *json)
{
  /* The context keeps a copy of the entries, so a local array will do. */
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_ ("Print JSON"), NULL },
    { NULL },
  };

  return tb_cmd_context_new (parameters, summary, description, entries);
}

static void
print_hint (void)
{
  g_autofree char *hint = NULL;

  if (current_command != NULL)
    hint = g_strdup_printf (_ ("Try “touchbase help %s” for more information."),
                            current_command);
  else
    hint = g_strdup (_ ("Try “touchbase --help” for more information."));
  g_printerr ("%s\n", hint);
}

gboolean
tb_cmd_parse (GOptionContext *context, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("touchbase: %s\n", error->message);
      print_hint ();
      return FALSE;
    }

  /* GOption leaves the "--" that ends the options in place; drop it so
   * "touchbase follow-up -- ana -3d text" sees three arguments. */
  for (int i = 1; i < *argc; i++)
    {
      if (!g_str_equal ((*argv)[i], "--"))
        continue;
      memmove (&(*argv)[i], &(*argv)[i + 1], (*argc - i) * sizeof (char *));
      (*argc)--;
      break;
    }
  return TRUE;
}

/* "touchbase: MESSAGE" on stderr: the one shape of every error line. */
G_GNUC_PRINTF (1, 0)
static void
print_error_v (const char *format, va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  g_autofree char *clean = tb_output_clean_lines (message);

  g_printerr ("touchbase: %s\n", clean);
}

int
tb_cmd_usage_error (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  print_error_v (format, args);
  va_end (args);
  print_hint ();
  return TB_EXIT_USAGE;
}

gboolean
tb_cmd_expect_args (int argc, char **argv, int min, int max,
                    const char *missing)
{
  if (argc - 1 < min)
    {
      tb_cmd_usage_error ("%s", missing);
      return FALSE;
    }
  if (max >= 0 && argc - 1 > max)
    {
      tb_cmd_usage_error (_ ("unexpected argument “%s”"), argv[max + 1]);
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_cmd_parse_args (GOptionContext *context, int *argc, char ***argv, int min,
                   int max, const char *missing)
{
  return tb_cmd_parse (context, argc, argv)
         && tb_cmd_expect_args (*argc, *argv, min, max, missing);
}

int
tb_cmd_fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  print_error_v (format, args);
  va_end (args);
  return TB_EXIT_FAILURE;
}

/* Errors that mean the daemon could not be reached at all, as opposed to
 * a daemon that answered with a refusal. */
static gboolean
error_is_unreachable (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
          case G_DBUS_ERROR_SERVICE_UNKNOWN:
          case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
          case G_DBUS_ERROR_NO_REPLY:
          case G_DBUS_ERROR_TIMEOUT:
          case G_DBUS_ERROR_TIMED_OUT:
          case G_DBUS_ERROR_NO_SERVER:
          case G_DBUS_ERROR_DISCONNECTED:
          case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
          case G_DBUS_ERROR_SPAWN_FORK_FAILED:
          case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
          case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
          case G_DBUS_ERROR_SPAWN_FAILED:
          case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
          case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
          case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
          case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
          case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
          case G_DBUS_ERROR_SPAWN_FILE_INVALID:
          case G_DBUS_ERROR_SPAWN_NO_MEMORY:
            return TRUE;
          default:
            return FALSE;
        }
    }
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_CLOSED
           || error->code == G_IO_ERROR_TIMED_OUT
           || error->code == G_IO_ERROR_CONNECTION_CLOSED
           || error->code == G_IO_ERROR_BROKEN_PIPE;
  /* A systemd unit that failed to start answers with its own name. */
  if (g_dbus_error_is_remote_error (error))
    {
      g_autofree char *name = g_dbus_error_get_remote_error (error);

      return name != NULL
             && g_str_has_prefix (name, "org.freedesktop.systemd1.");
    }
  return FALSE;
}

/* What to do when the daemon cannot be reached. Without systemd, run.sh
 * starts a session bus of its own and writes its address to
 * session-bus.env: a terminal opened before, or elsewhere, is on another
 * bus or none. */
static char *
unreachable_hint (void)
{
  g_autofree char *env_file = g_build_filename (
      g_get_user_cache_dir (), "touchbase", "session-bus.env", NULL);
  g_autofree char *log_file = g_build_filename (
      g_get_user_state_dir (), "touchbase", "touchbased.log", NULL);

  if (g_file_test (env_file, G_FILE_TEST_IS_REGULAR))
    return g_strdup_printf (
        _ ("If run.sh started touchbased on a session bus of its own, reach "
           "that bus first:\n  . %s\nor run ./run.sh again. Its log: %s"),
        env_file, log_file);
  return g_strdup_printf (
      _ ("Is touchbased installed? With systemd: systemctl --user start "
         "touchbased.service (its log: journalctl --user -u touchbased); "
         "without: ./run.sh from the source tree (its log: %s)."),
      log_file);
}

int
tb_cmd_error (const GError *error)
{
  g_autoptr (GError) copy = g_error_copy (error);
  g_autofree char *clean = NULL;

  g_dbus_error_strip_remote_error (copy);
  /* The daemon's messages name contacts, files and what was in them. */
  clean = tb_output_clean_lines (copy->message);
  if (error_is_unreachable (error))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("cannot reach touchbased: %s"), clean);

      g_autofree char *hint = unreachable_hint ();

      g_printerr ("touchbase: %s\n%s\n", message, hint);
    }
  else
    g_printerr ("touchbase: %s\n", clean);
  return TB_EXIT_FAILURE;
}

TbDaemon1 *
tb_cmd_get_proxy (GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (daemon_proxy != NULL)
    return daemon_proxy;

  /* Referencing the domain registers its D-Bus error names, so the
   * daemon's errors arrive as TB_ERROR codes. */
  (void) TB_ERROR;

  /* Default flags: the proxy starts the daemon by D-Bus activation when
   * the name has no owner, and follows the owner if it is replaced. */
  daemon_proxy = tb_daemon1_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE, TB_BUS_NAME, TB_OBJECT_PATH,
      NULL, &local_error);
  if (daemon_proxy == NULL)
    {
      /* Only reachable when the session bus itself is not. */
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER, "%s",
                   local_error->message);
      return NULL;
    }
  return daemon_proxy;
}

TbDaemon1 *
tb_cmd_get_slow_proxy (GError **error)
{
  TbDaemon1 *proxy = tb_cmd_get_proxy (error);

  if (proxy != NULL)
    g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (proxy), G_MAXINT);
  return proxy;
}

/* How many candidates an ambiguous name shows: as many as fit a glance,
 * and the numbers 1 to 10 to choose from. */
#define CANDIDATES_SHOWN 10

static char *
last_talked_cell (GVariant *contact)
{
  gint64 t = tb_dict_get_int64 (contact, "last_conversation_at");

  if (t <= 0)
    return g_strdup (_ ("never"));
  return tb_time_format_relative (t, tb_cmd_now (), tb_cmd_local_tz ());
}

/* "touchbase: “zoe” matches 151 contacts:", the candidates numbered and
 * aligned, and "… and 141 more", all on stderr: stdout is for what the
 * command prints once it knows the contact. Aligned in a pipe too, where
 * a person reads it in a log just the same. */
static void
print_candidates (const char *query, GVariant *candidates, guint total)
{
  g_autoptr (TbTable) table = tb_table_new (
      C_ ("column", "#"), C_ ("column", "ID"), C_ ("column", "NAME"),
      C_ ("column", "COMPANY"), C_ ("column", "SOURCE"),
      C_ ("column", "LAST TALKED"), NULL);
  gsize n = g_variant_n_children (candidates);
  g_autofree char *text = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *clean_query = tb_output_clean (query);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) c = g_variant_get_child_value (candidates, i);
      g_autofree char *number = g_strdup_printf ("%" G_GSIZE_FORMAT, i + 1);
      g_autofree char *id
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (c, "id"));
      g_autofree char *last = last_talked_cell (c);

      tb_table_add_row (table, TB_STYLE_NONE, number, id,
                        tb_dict_get_string (c, "name"),
                        tb_dict_get_string (c, "company"),
                        tb_dict_get_string (c, "source"), last, NULL);
    }
  /* Not cut to a width in a pipe: a log has no edge. */
  text = tb_table_render (table, TRUE,
                          isatty (STDERR_FILENO)
                              ? tb_output_fd_width (STDERR_FILENO)
                              : G_MAXUINT / 2,
                          FALSE);
  heading = g_strdup_printf (g_dngettext (NULL, "“%s” matches %u contact:",
                                          "“%s” matches %u contacts:", total),
                             clean_query, total);
  g_printerr ("touchbase: %s\n%s", heading, text);
  if (total > n)
    {
      g_autofree char *more = g_strdup_printf (
          g_dngettext (NULL, "… and %u more", "… and %u more", total - n),
          (guint) (total - n));

      g_printerr ("%s\n", more);
    }
}

/* Asks for a number from 1 to @n on stderr and reads it from stdin;
 * FALSE when the answer is Enter (or the end of input). */
static gboolean
ask_which (guint n, guint *out)
{
  for (;;)
    {
      char line[64];
      guint64 choice;

      /* Translators: the question under a numbered list of contacts. */
      g_printerr (_ ("Which one? [1-%u, Enter to cancel] "), n);
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_printerr ("\n");
          return FALSE;
        }
      g_strstrip (line);
      if (*line == '\0')
        return FALSE;
      if (g_ascii_string_to_unsigned (line, 10, 1, n, &choice, NULL))
        {
          *out = (guint) choice;
          return TRUE;
        }
      g_printerr (_ ("Type a number from 1 to %u, or press Enter.\n"), n);
    }
}

/* After Ambiguous: the candidates, and on a terminal the one chosen. A
 * daemon that cannot list them still said which they were in
 * @ambiguous's message, which is then the error. */
static gboolean
choose_candidate (TbDaemon1 *proxy, const char *query, GError *ambiguous,
                  gint64 *out_id, GError **error)
{
  g_autoptr (GVariant) candidates = NULL;
  g_autoptr (GError) local_error = NULL;
  GVariantDict options;
  guint total = 0, choice = 0;
  gsize n;

  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "limit", "u", (guint) CANDIDATES_SHOWN);
  if (!tb_daemon1_call_match_contacts_sync (
          proxy, query, g_variant_dict_end (&options), &candidates, &total,
          NULL, &local_error)
      || (n = g_variant_n_children (candidates)) < 2)
    {
      g_propagate_error (error, ambiguous);
      return FALSE;
    }
  g_error_free (ambiguous);
  print_candidates (query, candidates, total);
  /* Only a person at a terminal can answer; a script gets the error. */
  if (!isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_AMBIGUOUS,
                           _ ("use the id or more of the name"));
      return FALSE;
    }
  if (!ask_which ((guint) n, &choice))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_AMBIGUOUS,
                           _ ("no contact chosen"));
      return FALSE;
    }
  {
    g_autoptr (GVariant) c = g_variant_get_child_value (candidates, choice - 1);

    *out_id = tb_dict_get_int64 (c, "id");
  }
  return TRUE;
}

gboolean
tb_cmd_resolve (TbDaemon1 *proxy, const char *query, gint64 *out_id,
                GError **error)
{
  GError *local_error = NULL;

  if (tb_daemon1_call_resolve_contact_sync (proxy, query, out_id, NULL,
                                            &local_error))
    return TRUE;
  if (!g_error_matches (local_error, TB_ERROR, TB_ERROR_AMBIGUOUS))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return choose_candidate (proxy, query, local_error, out_id, error);
}

TbDaemon1 *
tb_cmd_resolve_one (const char *query, gint64 *out_id, GError **error)
{
  TbDaemon1 *proxy = tb_cmd_get_proxy (error);

  if (proxy == NULL || !tb_cmd_resolve (proxy, query, out_id, error))
    return NULL;
  return proxy;
}

GVariant *
tb_cmd_get_contact (TbDaemon1 *proxy, gint64 id, GError **error)
{
  GVariant *contact = NULL;

  if (!tb_daemon1_call_get_contact_sync (proxy, id, &contact, NULL, error))
    return NULL;
  return contact;
}

GTimeZone *
tb_cmd_local_tz (void)
{
  static GTimeZone *tz = NULL;

  if (tz == NULL)
    tz = g_time_zone_new_local ();
  return tz;
}

gint64
tb_cmd_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
tb_cmd_parse_duration (const char *option, const char *text, gint64 *out,
                       GError **error)
{
  if (!tb_duration_parse (text, out, error))
    {
      if (option != NULL)
        g_prefix_error (error, "%s: ", option);
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_cmd_parse_date (const char *option, const char *text, gint64 *out,
                   GError **error)
{
  if (!tb_date_parse (text, tb_cmd_local_tz (), tb_cmd_now (), out, error))
    {
      if (option != NULL)
        g_prefix_error (error, "%s: ", option);
      return FALSE;
    }
  return TRUE;
}

char *
tb_cmd_join_args (int argc, char **argv, int first)
{
  GString *joined = g_string_new (NULL);

  for (int i = first; i < argc; i++)
    {
      if (i > first)
        g_string_append_c (joined, ' ');
      g_string_append (joined, argv[i]);
    }
  return g_strstrip (g_string_free (joined, FALSE));
}

gboolean
tb_cmd_parse_id (const char *text, gint64 *out, GError **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &n, NULL))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an id (a positive number)"), text);
      return FALSE;
    }
  *out = (gint64) n;
  return TRUE;
}

gboolean
tb_cmd_parse_limit (const char *option, const char *text, guint *out,
                    GError **error)
{
  guint64 n;

  /* Not G_OPTION_ARG_INT: it takes "-5" and words are a usage error
   * (exit 2), while a bad value is bad input like any other (exit 1). */
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &n, NULL))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is the option, then what was given. */
                   _ ("%s: “%s” is not a number of rows (0 or more)"), option,
                   text);
      return FALSE;
    }
  *out = (guint) n;
  return TRUE;
}

guint
tb_cmd_limit_to_ask (guint limit)
{
  /* One more than shown tells a terminal there is more, without a count
   * that would need a second query. */
  if (limit == 0 || limit == G_MAXUINT32 || !tb_output_is_tty ())
    return limit;
  return limit + 1;
}

void
tb_cmd_print_more (void)
{
  if (!tb_output_is_tty ())
    return;
  printf ("%s%s%s\n", tb_output_style (TB_STYLE_DIM),
          _ ("… and more (--limit 0 shows them all)"), tb_output_reset ());
}

char *
tb_cmd_format_when (gint64 t)
{
  g_autofree char *date = NULL;
  g_autofree char *relative = NULL;

  if (t <= 0)
    return g_strdup (_ ("never"));
  date = tb_time_format_date (t, tb_cmd_local_tz ());
  relative = tb_time_format_relative (t, tb_cmd_now (), tb_cmd_local_tz ());
  return g_strdup_printf ("%s (%s)", date, relative);
}

char *
tb_cmd_format_when_time (gint64 t)
{
  g_autofree char *datetime = NULL;
  g_autofree char *relative = NULL;

  if (t <= 0)
    return g_strdup (_ ("never"));
  datetime = tb_time_format_datetime (t, tb_cmd_local_tz ());
  relative = tb_time_format_relative (t, tb_cmd_now (), tb_cmd_local_tz ());
  return g_strdup_printf ("%s (%s)", datetime, relative);
}

GVariant *
tb_dict_get_value (GVariant *dict, const char *key, const GVariantType *type)
{
  if (dict == NULL)
    return NULL;
  return g_variant_lookup_value (dict, key, type);
}

const char *
tb_dict_get_string (GVariant *dict, const char *key)
{
  const char *value = NULL;

  if (dict == NULL || !g_variant_lookup (dict, key, "&s", &value))
    return NULL;
  return value;
}

char *
tb_dict_dup_clean (GVariant *dict, const char *key)
{
  const char *value = tb_dict_get_string (dict, key);

  return tb_output_clean (value != NULL ? value : "");
}

gint64
tb_dict_get_int64 (GVariant *dict, const char *key)
{
  gint64 value = 0;

  if (dict == NULL || !g_variant_lookup (dict, key, "x", &value))
    return 0;
  return value;
}

gboolean
tb_dict_get_boolean (GVariant *dict, const char *key)
{
  gboolean value = FALSE;

  if (dict == NULL || !g_variant_lookup (dict, key, "b", &value))
    return FALSE;
  return value;
}
