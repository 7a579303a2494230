/* tb-cmd.h — what every subcommand of the client shares: the command
 * table entry, option parsing with the exit codes of docs/design.md §5, the
 * daemon proxy, contact resolution and error reporting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-dbus-generated.h"

G_BEGIN_DECLS

/* Exit codes (docs/design.md §5). */
#define TB_EXIT_OK 0
#define TB_EXIT_FAILURE 1 /* the daemon refused, or bad input */
#define TB_EXIT_USAGE 2   /* unknown command or option, missing argument */

/* A subcommand: @argv[0] is the command's name, the rest its arguments;
 * returns the exit code. */
typedef int (*TbCommandFunc) (int argc, char **argv);

typedef struct
{
  const char *name;
  const char *summary; /* one line for "touchbase --help" */
  TbCommandFunc run;
} TbCommand;

/* The subcommands, one file per area (tb-cmd-*.c). */
int tb_cmd_add (int argc, char **argv);
int tb_cmd_edit (int argc, char **argv);
int tb_cmd_rm (int argc, char **argv);
int tb_cmd_list (int argc, char **argv);
int tb_cmd_search (int argc, char **argv);
int tb_cmd_show (int argc, char **argv);
int tb_cmd_log (int argc, char **argv);
int tb_cmd_history (int argc, char **argv);
int tb_cmd_snooze (int argc, char **argv);
int tb_cmd_pause (int argc, char **argv);
int tb_cmd_resume (int argc, char **argv);
int tb_cmd_track (int argc, char **argv);
int tb_cmd_untrack (int argc, char **argv);
int tb_cmd_ignore (int argc, char **argv);
int tb_cmd_review (int argc, char **argv);
int tb_cmd_due (int argc, char **argv);
int tb_cmd_follow_up (int argc, char **argv);
int tb_cmd_import (int argc, char **argv);
int tb_cmd_export (int argc, char **argv);
int tb_cmd_intros (int argc, char **argv);
int tb_cmd_introduce (int argc, char **argv);
int tb_cmd_sources (int argc, char **argv);
int tb_cmd_stats (int argc, char **argv);
int tb_cmd_report (int argc, char **argv);
int tb_cmd_status (int argc, char **argv);
int tb_cmd_undo (int argc, char **argv);

/* `touchbase __complete WHAT [PREFIX]`: the words a shell completion may
 * insert, one a line; WHAT is commands (of @commands), names, tags,
 * kinds, fact-kinds, import-formats, export-formats or tracking. Names
 * and tags only from a daemon that runs. */
int tb_cmd_complete (int argc, char **argv, const TbCommand *commands,
                     gsize n_commands);

/* The command being run ("add"), for messages. */
void tb_cmd_set_current (const char *name);
const char *tb_cmd_get_current (void);

/* An option context whose --help reads
 * "Usage: touchbase COMMAND [OPTION…] @parameters", then @summary, the
 * options, and @description (may be NULL). @entries may be NULL. All
 * these texts, the entries' descriptions and argument names too, are
 * given untranslated, marked with N_(): the context translates them in
 * the touchbase domain when it prints the help. */
GOptionContext *tb_cmd_context_new (const char *parameters, const char *summary,
                                    const char *description,
                                    const GOptionEntry *entries);

/* tb_cmd_context_new for a command whose only option is --json, which
 * sets *@json. */
GOptionContext *tb_cmd_json_context_new (const char *parameters,
                                         const char *summary,
                                         const char *description,
                                         gboolean *json);

/* Parses the options. On an unknown or malformed option prints it with a
 * hint and returns FALSE: the caller exits with TB_EXIT_USAGE. */
gboolean tb_cmd_parse (GOptionContext *context, int *argc, char ***argv);

/* Checks that @min to @max arguments follow the command's name (@max
 * -1: no limit). Too few: the usage error @missing (translated, or NULL
 * when @min is 0); too many: "unexpected argument". Returns FALSE once it
 * printed one: the caller exits with TB_EXIT_USAGE. */
gboolean tb_cmd_expect_args (int argc, char **argv, int min, int max,
                             const char *missing);

/* tb_cmd_parse, then tb_cmd_expect_args: the start of most commands. */
gboolean tb_cmd_parse_args (GOptionContext *context, int *argc, char ***argv,
                            int min, int max, const char *missing);

/* "touchbase: MESSAGE" and a hint to "touchbase help COMMAND" on stderr;
 * returns TB_EXIT_USAGE. @format is translated: _("..."). */
int tb_cmd_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* "touchbase: MESSAGE" on stderr; returns TB_EXIT_FAILURE. @format is
 * translated: _("..."). */
int tb_cmd_fail (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Reports @error in one line (the D-Bus error name stripped; bus and
 * activation failures as "cannot reach touchbased: ..."); returns
 * TB_EXIT_FAILURE. */
int tb_cmd_error (const GError *error);

/* The proxy of the daemon on the session bus, created on first use (it
 * D-Bus-activates the daemon when it isn't running). (transfer none) */
TbDaemon1 *tb_cmd_get_proxy (GError **error);

/* tb_cmd_get_proxy with no timeout on calls: import, export and report
 * run for as long as they take. (transfer none) */
TbDaemon1 *tb_cmd_get_slow_proxy (GError **error);

/* The id of the one contact @query names (an id or part of a name). When
 * several match equally well it prints the best ten on stderr and, when
 * stdin and stderr are terminals, asks which one; otherwise (or when none
 * is chosen) it fails with TB_ERROR_AMBIGUOUS. */
gboolean tb_cmd_resolve (TbDaemon1 *proxy, const char *query, gint64 *out_id,
                         GError **error);

/* The proxy and the id of the one contact @query names: the start of
 * every command about one CONTACT. (transfer none) */
TbDaemon1 *tb_cmd_resolve_one (const char *query, gint64 *out_id,
                               GError **error);

/* GetContact: the contact's a{sv}. (transfer full) */
GVariant *tb_cmd_get_contact (TbDaemon1 *proxy, gint64 id, GError **error);

/* The local time zone, and "now" in Unix seconds. */
GTimeZone *tb_cmd_local_tz (void);
gint64 tb_cmd_now (void);

/* tb_duration_parse / tb_date_parse (local zone, now) with the option's
 * name in the message. */
gboolean tb_cmd_parse_duration (const char *option, const char *text,
                                gint64 *out, GError **error);
gboolean tb_cmd_parse_date (const char *option, const char *text, gint64 *out,
                            GError **error);

/* argv[first..argc) joined by spaces and stripped: several words make
 * one name or text ("touchbase add Ana Silva"). */
char *tb_cmd_join_args (int argc, char **argv, int first);

/* Parses a positive id given on the command line. */
gboolean tb_cmd_parse_id (const char *text, gint64 *out, GError **error);

/* Parses the N of --limit N: 0 (no limit) or more. */
gboolean tb_cmd_parse_limit (const char *option, const char *text, guint *out,
                             GError **error);

/* The "limit" to ask the daemon for when at most @limit rows are shown
 * (0: all): on a terminal one more, so tb_cmd_print_more() can say that
 * rows were left out. */
guint tb_cmd_limit_to_ask (guint limit);

/* On a terminal, a last line saying that --limit left rows out. */
void tb_cmd_print_more (void);

/* Local "2026-11-28 (3 days ago)"; "never" for 0. */
char *tb_cmd_format_when (gint64 t);
/* Local "2026-11-28 09:30 (in 2 days)"; "never" for 0. */
char *tb_cmd_format_when_time (gint64 t);

/* Look-ups in an a{sv} record with defaults for absent keys. */
const char *tb_dict_get_string (GVariant *dict, const char *key);
gint64 tb_dict_get_int64 (GVariant *dict, const char *key);
gboolean tb_dict_get_boolean (GVariant *dict, const char *key);
/* The string at @key made safe to print on a terminal (tb_output_clean):
 * what the daemon holds may come from anyone's file. "" when absent.
 * (transfer full) */
char *tb_dict_dup_clean (GVariant *dict, const char *key);
/* (transfer full) (nullable) */
GVariant *tb_dict_get_value (GVariant *dict, const char *key,
                             const GVariantType *type);

G_END_DECLS
