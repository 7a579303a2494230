/* tb-cmd-follow-up.c — one-off dated reminders about a contact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-follow-up"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-output.h"
#include "tb-time.h"

int
tb_cmd_follow_up (int argc, char **argv)
{
  g_autofree char *done_text = NULL;
  g_autofree char *rm_text = NULL;
  const GOptionEntry entries[] = {
    { "done", 0, 0, G_OPTION_ARG_STRING, &done_text,
      N_ ("Mark follow-up ID done"), N_ ("ID") },
    { "rm", 0, 0, G_OPTION_ARG_STRING, &rm_text, N_ ("Remove follow-up ID"),
      N_ ("ID") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;
  TbDaemon1 *proxy;
  gint64 contact_id;
  gint64 due_at;
  gint64 id;

  context = tb_cmd_context_new (
      N_ ("CONTACT DATE TEXT… | --done ID | --rm ID"),
      N_ ("Add a one-off dated reminder about a contact, or complete or "
          "remove one."),
      N_ ("Dates: YYYY-MM-DD (midnight), YYYY-MM-DDTHH:MM, today, tomorrow, "
          "+3d, in 2w.\n"
          "The ids of follow-ups are shown by “touchbase due” and "
          "“touchbase show”."),
      entries);
  if (!tb_cmd_parse (context, &argc, &argv))
    return TB_EXIT_USAGE;

  if (done_text != NULL || rm_text != NULL)
    {
      gboolean done = done_text != NULL;

      if (done_text != NULL && rm_text != NULL)
        return tb_cmd_usage_error ("%s",
                                   _ ("give only one of --done and --rm"));
      if (!tb_cmd_expect_args (argc, argv, 0, 0, NULL))
        return TB_EXIT_USAGE;
      if (!tb_cmd_parse_id (done ? done_text : rm_text, &id, &error))
        return tb_cmd_error (error);

      proxy = tb_cmd_get_proxy (&error);
      if (proxy == NULL)
        return tb_cmd_error (error);
      if (done
          && !tb_daemon1_call_complete_follow_up_sync (proxy, id, NULL, &error))
        return tb_cmd_error (error);
      if (!done
          && !tb_daemon1_call_remove_follow_up_sync (proxy, id, NULL, &error))
        return tb_cmd_error (error);
      {
        g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

        printf (done ? _ ("Completed follow-up %s\n")
                     : _ ("Removed follow-up %s\n"),
                id_text);
      }
      return TB_EXIT_OK;
    }

  if (argc < 2)
    return tb_cmd_usage_error ("%s", _ ("missing CONTACT"));
  if (argc < 3)
    return tb_cmd_usage_error ("%s", _ ("missing DATE"));
  if (argc < 4)
    return tb_cmd_usage_error ("%s", _ ("missing TEXT"));

  if (!tb_cmd_parse_date (NULL, argv[2], &due_at, &error))
    return tb_cmd_error (error);
  text = tb_cmd_join_args (argc, argv, 3);
  if (*text == '\0')
    return tb_cmd_fail ("%s", _ ("the follow-up's text must not be empty"));

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL || !tb_cmd_resolve (proxy, argv[1], &contact_id, &error)
      || !tb_daemon1_call_add_follow_up_sync (proxy, contact_id, due_at, text,
                                              &id, NULL, &error)
      || !tb_daemon1_call_get_contact_sync (proxy, contact_id, &contact, NULL,
                                            &error))
    return tb_cmd_error (error);

  when = tb_time_format_datetime (due_at, tb_cmd_local_tz ());
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_autofree char *name = tb_dict_dup_clean (contact, "name");
    g_autofree char *clean_text = tb_output_clean (text);

    /* Translators: "Follow-up ID with NAME on DATE: TEXT". */
    printf (_ ("Follow-up %s with %s on %s: %s\n"), id_text, name, when,
            clean_text);
  }
  return TB_EXIT_OK;
}
