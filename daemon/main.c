/* main.c — touchbased: reminds you to touch base with people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "touchbased"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "tb-daemon.h"
#include "tb-error.h"
#include "tb-log-file.h"

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbDaemon) daemon = NULL;
  gboolean replace = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  gboolean log_file = FALSE;
  g_autofree char *log_path = NULL;
  const GOptionEntry entries[] = {
    { "replace", 'r', 0, G_OPTION_ARG_NONE, &replace,
      N_ ("Replace a running touchbased"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_ ("Log what happens, not only problems"), NULL },
    { "log-file", 0, 0, G_OPTION_ARG_NONE, &log_file,
      N_ ("Log to $XDG_STATE_HOME/touchbase/touchbased.log unless the "
          "journal takes the output"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_ ("Print the version and exit"), NULL },
    { NULL },
  };

  /* Past a file-size limit (RLIMIT_FSIZE) a write is to fail with EFBIG,
   * which SQLite reports and the change is rolled back like any failed
   * write; the default action would end the daemon in the middle of it. */
  signal (SIGXFSZ, SIG_IGN);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  context = g_option_context_new (NULL);
  /* GOption translates the N_() texts when it prints the help. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (
      context, N_ ("The touchbase daemon: watches how often you want to touch "
                   "base with people and reminds you when someone is due.\n"
                   "It is started by the session (systemd or D-Bus "
                   "activation); talk to it with touchbase(1)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("touchbased: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("touchbased %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  /* --verbose shows g_info and g_debug of our own domains, like
   * G_MESSAGES_DEBUG=all would, without GLib's own chatter. */
  if (verbose)
    g_log_set_debug_enabled (TRUE);
  /* Without systemd, a bus that activates the daemon gives it /dev/null
   * for output: a configuration error must be somewhere to be read. */
  if (g_getenv ("JOURNAL_STREAM") == NULL
      && (log_file || tb_log_file_output_is_lost ()))
    {
      log_path = tb_log_file_default_path ();
      if (!tb_log_file_start (log_path, &error))
        {
          g_printerr ("touchbased: %s\n", error->message);
          g_clear_error (&error);
          g_clear_pointer (&log_path, g_free);
        }
    }

  /* Register the error domain before any error can be sent. */
  (void) TB_ERROR;
  daemon = tb_daemon_new (&error);
  if (daemon == NULL)
    {
      g_printerr ("touchbased: %s\n", error->message);
      return EXIT_FAILURE;
    }
  tb_daemon_set_log_file (daemon, log_path);
  return tb_daemon_run (daemon, replace);
}
