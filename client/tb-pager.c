/* tb-pager.c — long output through a pager on a terminal, as git does.
 *
 * The pager is spawned without a shell ($PAGER is split into words, as
 * g_shell_parse_argv does, and run from PATH), stdout is pointed at its
 * stdin, and the rest of the client prints as it always does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-pager"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tb-output.h"
#include "tb-pager.h"

static GPid pager_pid;
static int saved_stdout = -1;

GStrv
tb_pager_argv (GError **error)
{
  const char *pager = g_getenv ("PAGER");
  g_autofree char *stripped = NULL;
  g_auto (GStrv) argv = NULL;

  if (pager == NULL)
    {
      /* git's default: less, whose options come from LESS (FRX unless the
       * user set it: quit when it fits a screen, keep colour, leave the
       * text on the terminal). */
      argv = g_new0 (char *, 2);
      argv[0] = g_strdup ("less");
      return g_steal_pointer (&argv);
    }
  stripped = g_strstrip (g_strdup (pager));
  /* The ways of saying "no pager" that git knows. */
  if (*stripped == '\0' || g_str_equal (stripped, "cat"))
    return NULL;
  if (!g_shell_parse_argv (stripped, NULL, &argv, error))
    return NULL;
  return g_steal_pointer (&argv);
}

void
tb_pager_start (void)
{
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) envp = NULL;
  g_autoptr (GError) error = NULL;
  int in_fd = -1;

  if (pager_pid != 0 || !tb_output_is_tty ())
    return;
  argv = tb_pager_argv (&error);
  if (argv == NULL)
    {
      if (error != NULL)
        g_printerr ("touchbase: %s: %s\n", _ ("cannot use $PAGER"),
                    error->message);
      return;
    }
  /* Asked now, while stdout is still the terminal: the tables are laid
   * out for the terminal the pager shows them on. */
  (void) tb_output_terminal_width ();

  envp = g_environ_setenv (g_get_environ (), "LESS", "FRX", FALSE);
  fflush (stdout);
  if (!g_spawn_async_with_pipes (
          NULL, argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
          NULL, NULL, &pager_pid, &in_fd, NULL, NULL, &error))
    {
      /* Without the pager the output still reaches the terminal. */
      g_printerr ("touchbase: %s: %s\n", _ ("cannot run the pager"),
                  error->message);
      pager_pid = 0;
      return;
    }

  saved_stdout = dup (STDOUT_FILENO);
  if (saved_stdout < 0 || dup2 (in_fd, STDOUT_FILENO) < 0)
    {
      /* Cannot happen short of running out of descriptors; the pager
       * gets an empty input and quits. */
      if (saved_stdout >= 0)
        close (saved_stdout);
      saved_stdout = -1;
      close (in_fd);
      waitpid (pager_pid, NULL, 0);
      g_spawn_close_pid (pager_pid);
      pager_pid = 0;
      return;
    }
  close (in_fd);

  /* Set after the spawn, so the pager does not inherit them. A pager
   * that quits before reading everything (q in less) makes the writes
   * fail with EPIPE, which is dropped, instead of killing us. Ctrl-C
   * is the pager's to handle: dying under it would hand the terminal
   * back to the shell while the pager still uses it. */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGINT, SIG_IGN);
}

void
tb_pager_finish (void)
{
  if (pager_pid == 0)
    return;

  /* What the pager did not read is lost on purpose: it quit. */
  fflush (stdout);
  clearerr (stdout);
  /* Puts the terminal back on stdout, which closes our end of the pipe:
   * the pager sees the end of its input. */
  dup2 (saved_stdout, STDOUT_FILENO);
  close (saved_stdout);
  saved_stdout = -1;

  while (waitpid (pager_pid, NULL, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (pager_pid);
  pager_pid = 0;
  signal (SIGINT, SIG_DFL);
}
