/* main.c — touchbase, the command-line client of touchbased.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "touchbase"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "tb-cmd.h"

static const TbCommand commands[] = {
  { "add", "Add a contact and print its id", tb_cmd_add },
  { "edit", "Change a contact's fields, add facts", tb_cmd_edit },
  { "rm", "Remove a contact with its history", tb_cmd_rm },
  { "list", "List contacts, soonest due first", tb_cmd_list },
  { "show", "Show everything about one contact", tb_cmd_show },
  { "log", "Record an interaction with a contact", tb_cmd_log },
  { "snooze", "Hide a contact's reminders until later", tb_cmd_snooze },
  { "pause", "Stop reminders for a contact", tb_cmd_pause },
  { "resume", "Start reminders for a paused contact again", tb_cmd_resume },
  { "due", "Who is overdue now, and who comes due soon", tb_cmd_due },
  { "follow-up", "Add, complete or remove a dated reminder", tb_cmd_follow_up },
  { "import", "Import contacts (LinkedIn, Google, vCard, JSON)",
    tb_cmd_import },
  { "export", "Export contacts (iCalendar, vCard, JSON, CSV)", tb_cmd_export },
  { "intros", "Suggested introductions between contacts", tb_cmd_intros },
  { "introduce", "Introduce two contacts to each other", tb_cmd_introduce },
  { "stats", "How deep your network is", tb_cmd_stats },
  { "report", "Write an HTML report of your network", tb_cmd_report },
  { "status", "The daemon's state", tb_cmd_status },
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
  fprintf (out, "Usage:\n"
                "  touchbase COMMAND [OPTION…]\n"
                "\n"
                "Remind yourself to touch base with the people you know.\n"
                "\n"
                "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s  %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Options:\n"
           "  -h, --help     Show this help\n"
           "  --version      Show the version\n"
           "\n"
           "“touchbase help COMMAND” or “touchbase COMMAND --help” shows a "
           "command's options.\n"
           "CONTACT is an id or a unique part of a name (case and accents "
           "don't matter).\n");
}

static int
run_command (const TbCommand *command, int argc, char **argv)
{
  g_autofree char *prgname = g_strdup_printf ("touchbase %s", command->name);

  /* GOption's usage line and messages use the program name: make it
   * "touchbase add" so each command's --help reads right. */
  g_set_prgname (prgname);
  tb_cmd_set_current (command->name);
  return command->run (argc, argv);
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
    {
      g_printerr ("touchbase: unknown command “%s”\n", argv[2]);
      g_printerr ("Try “touchbase --help” for the list of commands.\n");
      return TB_EXIT_USAGE;
    }
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

  command = find_command (argv[1]);
  if (command == NULL)
    {
      if (argv[1][0] == '-')
        g_printerr ("touchbase: unknown option “%s”\n", argv[1]);
      else
        g_printerr ("touchbase: unknown command “%s”\n", argv[1]);
      g_printerr ("Try “touchbase --help” for the list of commands.\n");
      return TB_EXIT_USAGE;
    }

  return run_command (command, argc - 1, argv + 1);
}
