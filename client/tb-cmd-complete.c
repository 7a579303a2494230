/* tb-cmd-complete.c — `touchbase __complete WHAT [PREFIX]`, which the
 * bash and zsh completions (completions/) ask for the words a Tab can
 * insert, one a line. Hidden from --help: it is for scripts.
 *
 * Names and tags come from the daemon, but only from a daemon that runs:
 * the call is made without auto-start, so a Tab never starts touchbased,
 * and a short timeout keeps a busy one from holding the shell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "touchbase"

#include "config.h"

#include <stdio.h>

#include "tb-cmd.h"
#include "tb-contact.h"
#include "tb-error.h"
#include "touchbase/tb-names.h"

/* More than a screen of candidates helps nobody. */
#define COMPLETE_LIMIT 50
#define COMPLETE_TIMEOUT_MS 500

static const char *const import_formats[] = {
  "linkedin", "google", "outlook", "thunderbird", "vcard", "json",
};
static const char *const export_formats[] = { "ics", "vcard", "json", "csv" };
static const char *const trackings[]
    = { "tracked", "not-tracked", "ignored", "all" };

static void
print_words (const char *const *words, gsize n)
{
  for (gsize i = 0; i < n; i++)
    printf ("%s\n", words[i]);
}

/* Asks the running daemon for names (@tags FALSE) or tags; prints
 * nothing when there is none. */
static void
print_from_daemon (gboolean tags, const char *prefix)
{
  g_autoptr (TbDaemon1) proxy = NULL;
  g_auto (GStrv) words = NULL;
  gboolean ok;

  proxy = tb_daemon1_proxy_new_for_bus_sync (
      G_BUS_TYPE_SESSION,
      G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START
          | G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES
          | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
      TB_BUS_NAME, TB_OBJECT_PATH, NULL, NULL);
  if (proxy == NULL)
    return;
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (proxy), COMPLETE_TIMEOUT_MS);
  if (tags)
    ok = tb_daemon1_call_complete_tags_sync (proxy, prefix, COMPLETE_LIMIT,
                                             &words, NULL, NULL);
  else
    ok = tb_daemon1_call_complete_names_sync (proxy, prefix, COMPLETE_LIMIT,
                                              &words, NULL, NULL);
  if (ok)
    print_words ((const char *const *) words, g_strv_length (words));
}

int
tb_cmd_complete (int argc, char **argv, const TbCommand *commands,
                 gsize n_commands)
{
  const char *what = argc > 1 ? argv[1] : "";
  const char *prefix = argc > 2 ? argv[2] : "";

  if (g_str_equal (what, "commands"))
    {
      for (gsize i = 0; i < n_commands; i++)
        printf ("%s\n", commands[i].name);
      printf ("help\n");
    }
  else if (g_str_equal (what, "names"))
    print_from_daemon (FALSE, prefix);
  else if (g_str_equal (what, "tags"))
    print_from_daemon (TRUE, prefix);
  else if (g_str_equal (what, "kinds"))
    {
      for (int k = TB_KIND_CALL; k <= TB_KIND_OTHER; k++)
        printf ("%s\n", tb_interaction_kind_to_string (k));
    }
  else if (g_str_equal (what, "fact-kinds"))
    {
      for (int k = TB_FACT_INTEREST; k <= TB_FACT_NEED; k++)
        printf ("%s\n", tb_fact_kind_to_string (k));
    }
  else if (g_str_equal (what, "import-formats"))
    print_words (import_formats, G_N_ELEMENTS (import_formats));
  else if (g_str_equal (what, "export-formats"))
    print_words (export_formats, G_N_ELEMENTS (export_formats));
  else if (g_str_equal (what, "tracking"))
    print_words (trackings, G_N_ELEMENTS (trackings));
  else
    return TB_EXIT_USAGE;
  return TB_EXIT_OK;
}
