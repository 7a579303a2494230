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

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbDaemon) daemon = NULL;
  gboolean replace = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 'r', 0, G_OPTION_ARG_NONE, &replace,
      N_ ("Replace a running touchbased"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_ ("Log what happens, not only problems"), NULL },
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

  /* Register the error domain before any error can be sent. */
  (void) TB_ERROR;
  daemon = tb_daemon_new (&error);
  if (daemon == NULL)
    {
      g_printerr ("touchbased: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return tb_daemon_run (daemon, replace);
}
