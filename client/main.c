/* main.c — touchbase, the command-line client of touchbased.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "touchbase"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-output.h"
#include "tb-pager.h"

static const TbCommand commands[] = {
  { "add", N_ ("Add a contact and print its id"), tb_cmd_add },
  { "edit", N_ ("Change a contact's fields, add facts"), tb_cmd_edit },
  { "rm", N_ ("Remove a contact with its history"), tb_cmd_rm },
  { "list", N_ ("List contacts, soonest due first"), tb_cmd_list },
  { "search", N_ ("Find contacts by name, company, position, notes or facts"),
    tb_cmd_search },
  { "show", N_ ("Show everything about one contact"), tb_cmd_show },
  { "log", N_ ("Record an interaction with a contact"), tb_cmd_log },
  { "history", N_ ("A contact's interactions; correct or remove one"),
    tb_cmd_history },
  { "snooze", N_ ("Hide a contact's reminders until later"), tb_cmd_snooze },
  { "pause", N_ ("Stop reminders for a contact"), tb_cmd_pause },
  { "resume", N_ ("Start reminders for a paused contact again"),
    tb_cmd_resume },
  { "track", N_ ("Keep in touch with a contact"), tb_cmd_track },
  { "untrack", N_ ("Stop keeping in touch with a contact"), tb_cmd_untrack },
  { "ignore", N_ ("Take a contact out of the review queue"), tb_cmd_ignore },
  { "review", N_ ("Decide whom to keep in touch with, one at a time"),
    tb_cmd_review },
  { "due", N_ ("Who is overdue now, and who comes due soon"), tb_cmd_due },
  { "follow-up", N_ ("Add, complete or remove a dated reminder"),
    tb_cmd_follow_up },
  { "import", N_ ("Import contacts (LinkedIn, Google, vCard, JSON)"),
    tb_cmd_import },
  { "export", N_ ("Export contacts (iCalendar, vCard, JSON, CSV)"),
    tb_cmd_export },
  { "intros", N_ ("Suggested introductions between contacts"), tb_cmd_intros },
  { "introduce", N_ ("Introduce two contacts to each other"),
    tb_cmd_introduce },
  { "sources", N_ ("The mail and calendars that log conversations"),
    tb_cmd_sources },
  { "stats", N_ ("How deep your network is"), tb_cmd_stats },
  { "report", N_ ("Write an HTML report of your network"), tb_cmd_report },
  { "status", N_ ("The daemon's state"), tb_cmd_status },
  { "undo", N_ ("Take back the last change, or list what can be taken back"),
    tb_cmd_undo },
};

static const TbCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n  %s\n\n%s\n\n%s\n", _ ("Usage:"),
           _ ("touchbase COMMAND [OPTION…]"),
           _ ("Remind yourself to touch base with the people you know."),
           _ ("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s  %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (out, "\n%s\n", _ ("Options:"));
  /* Translators: the option names stay as they are. */
  fprintf (out, "  -h, --help     %s\n", _ ("Show this help"));
  fprintf (out, "  --version      %s\n", _ ("Show the version"));
  fprintf (out, "\n%s\n%s\n",
           _ ("“touchbase help COMMAND” or “touchbase COMMAND --help” shows a "
              "command's options."),
           _ ("CONTACT is an id or a unique part of a name (case and accents "
              "don't matter)."));
}

/* "touchbase: MESSAGE" and where to find the commands; returns
 * TB_EXIT_USAGE. */
G_GNUC_PRINTF (1, 2)
static int
print_unknown (const char *format, ...)
{
  g_autofree char *message = NULL;
  g_autofree char *clean = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  clean = tb_output_clean (message);
  g_printerr ("touchbase: %s\n%s\n", clean,
              _ ("Try “touchbase --help” for the list of commands."));
  return TB_EXIT_USAGE;
}

static int
run_command (const TbCommand *command, int argc, char **argv)
{
  g_autofree char *prgname = g_strdup_printf ("touchbase %s", command->name);
  int status;

  /* GOption's usage line and messages use the program name: make it
   * "touchbase add" so each command's --help reads right. */
  g_set_prgname (prgname);
  tb_cmd_set_current (command->name);
  status = command->run (argc, argv);
  /* A command that paged its output returns before the pager has shown
   * it all: the shell must not get the terminal back before then. */
  tb_pager_finish ();
  return status;
}

static int
run_help (int argc, char **argv)
{
  const TbCommand *command;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 3)
    {
      print_usage (stdout);
      return TB_EXIT_OK;
    }

  command = find_command (argv[2]);
  if (command == NULL)
    return print_unknown (_ ("unknown command “%s”"), argv[2]);
  help_argv[0] = argv[2];
  return run_command (command, 2, help_argv);
}

int
main (int argc, char **argv)
{
  const TbCommand *command;

  /* Before any option parsing: GOption converts arguments from the
   * locale's charset and rejects non-ASCII names without it. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return TB_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "-?"))
    {
      print_usage (stdout);
      return TB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("touchbase %s\n", PACKAGE_VERSION);
      return TB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "help"))
    return run_help (argc, argv);
  if (g_str_equal (argv[1], "__complete"))
    return tb_cmd_complete (argc - 1, argv + 1, commands,
                            G_N_ELEMENTS (commands));

  command = find_command (argv[1]);
  if (command == NULL)
    {
      if (argv[1][0] == '-')
        return print_unknown (_ ("unknown option “%s”"), argv[1]);
      return print_unknown (_ ("unknown command “%s”"), argv[1]);
    }

  return run_command (command, argc - 1, argv + 1);
}
