/* tb-cmd-intros.c — suggested and recorded introductions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-intros"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-error.h"
#include "tb-output.h"
#include "tb-vardict-json.h"

#define TB_INTROS_DEFAULT_LIMIT 10

static gboolean
resolve_pair (TbDaemon1 *proxy, const char *query_a, const char *query_b,
              gint64 *a, gint64 *b, GError **error)
{
  if (!tb_cmd_resolve (proxy, query_a, a, error)
      || !tb_cmd_resolve (proxy, query_b, b, error))
    return FALSE;
  if (*a == *b)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” and “%s” are the same contact"), query_a, query_b);
      return FALSE;
    }
  return TRUE;
}

static void
print_suggestions (GVariant *suggestions)
{
  g_autoptr (TbTable) table = NULL;
  gsize n = g_variant_n_children (suggestions);

  if (n == 0)
    {
      if (tb_output_is_tty ())
        printf ("%s\n", _ ("No introductions to suggest. Add what people "
                           "offer and need (touchbase edit --offer/--need) "
                           "to get some."));
      return;
    }
  table = tb_table_new (C_ ("column", "A"), C_ ("column", "B"),
                        C_ ("column", "WHY"), NULL);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) s = g_variant_get_child_value (suggestions, i);
      const char *name_a = tb_dict_get_string (s, "a_name");
      const char *name_b = tb_dict_get_string (s, "b_name");
      g_autofree char *a
          = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", name_a ? name_a : "",
                             tb_dict_get_int64 (s, "a_id"));
      g_autofree char *b
          = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", name_b ? name_b : "",
                             tb_dict_get_int64 (s, "b_id"));

      tb_table_add_row (table, TB_STYLE_NONE, a, b,
                        tb_dict_get_string (s, "reason"), NULL);
    }
  tb_table_print (table);
}

int
tb_cmd_intros (int argc, char **argv)
{
  gboolean json = FALSE;
  gboolean decline = FALSE;
  int limit = TB_INTROS_DEFAULT_LIMIT;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { "decline", 0, 0, G_OPTION_ARG_NONE, &decline,
      N_ ("Stop suggesting the pair A B"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_ ("Show at most N suggestions (default: 10; 0: all)"), N_ ("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) suggestions = NULL;
  TbDaemon1 *proxy;

  context = tb_cmd_context_new (
      N_ ("[--decline A B]"),
      N_ ("Suggest introductions between contacts who should meet, best "
          "first."),
      N_ ("Suggestions come from what people offer, need, want and are "
          "interested in. Pairs already introduced or declined are left "
          "out.\n"
          "Make one with “touchbase introduce A B”."),
      entries);
  if (!tb_cmd_parse (context, &argc, &argv))
    return TB_EXIT_USAGE;

  if (decline)
    {
      gint64 a;
      gint64 b;
      g_autoptr (GVariant) contact_a = NULL;
      g_autoptr (GVariant) contact_b = NULL;
      g_autofree char *name_a = NULL;
      g_autofree char *name_b = NULL;

      if (!tb_cmd_expect_args (argc, argv, 2, 2,
                               _ ("--decline needs two contacts, A and B")))
        return TB_EXIT_USAGE;
      proxy = tb_cmd_get_proxy (&error);
      if (proxy == NULL
          || !resolve_pair (proxy, argv[1], argv[2], &a, &b, &error)
          || !tb_daemon1_call_decline_intro_sync (proxy, a, b, NULL, &error)
          || !tb_daemon1_call_get_contact_sync (proxy, a, &contact_a, NULL,
                                                &error)
          || !tb_daemon1_call_get_contact_sync (proxy, b, &contact_b, NULL,
                                                &error))
        return tb_cmd_error (error);
      name_a = tb_dict_dup_clean (contact_a, "name");
      name_b = tb_dict_dup_clean (contact_b, "name");
      printf (_ ("Won't suggest introducing %s and %s again\n"), name_a,
              name_b);
      return TB_EXIT_OK;
    }

  if (!tb_cmd_expect_args (argc, argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  if (limit < 0)
    return tb_cmd_fail ("--limit: %s", _ ("must be 0 or more"));

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL
      || !tb_daemon1_call_suggest_intros_sync (proxy, (guint) limit,
                                               &suggestions, NULL, &error))
    return tb_cmd_error (error);

  if (json)
    {
      g_autoptr (JsonNode) node
          = tb_vardict_list_to_json (suggestions, tb_vardict_intro_to_json);

      tb_output_print_json (node);
    }
  else
    print_suggestions (suggestions);
  return TB_EXIT_OK;
}

static char *
mailto_address (const char *email)
{
  /* "@" stays readable; everything else reserved is escaped, so an
   * address can't smuggle in "?cc=" or a second recipient. */
  return g_uri_escape_string (email, "@", FALSE);
}

static gboolean
send_mail (GVariant *contact_a, GVariant *contact_b, const char *text,
           GError **error)
{
  const char *name_a = tb_dict_get_string (contact_a, "name");
  const char *name_b = tb_dict_get_string (contact_b, "name");
  g_autofree char *to_a
      = mailto_address (tb_dict_get_string (contact_a, "email"));
  g_autofree char *to_b
      = mailto_address (tb_dict_get_string (contact_b, "email"));
  g_autofree char *subject_text
      = g_strdup_printf (_ ("Introduction: %s <> %s"), name_a, name_b);
  g_autofree char *subject = g_uri_escape_string (subject_text, NULL, FALSE);
  g_autofree char *body = g_uri_escape_string (text, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("mailto:%s,%s?subject=%s&body=%s",
                                          to_a, to_b, subject, body);

  return g_app_info_launch_default_for_uri (uri, NULL, error);
}

int
tb_cmd_introduce (int argc, char **argv)
{
  g_autofree char *note = NULL;
  gboolean mail = FALSE;
  gboolean again = FALSE;
  const GOptionEntry entries[] = {
    { "note", 'n', 0, G_OPTION_ARG_STRING, &note,
      N_ ("Why they should meet; goes into the text"), N_ ("TEXT") },
    { "mail", 0, 0, G_OPTION_ARG_NONE, &mail,
      N_ ("Open the introduction in your mail program, addressed to both"),
      NULL },
    { "again", 0, 0, G_OPTION_ARG_NONE, &again,
      N_ ("Introduce them even if you did before"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact_a = NULL;
  g_autoptr (GVariant) contact_b = NULL;
  g_autofree char *text = NULL;
  TbDaemon1 *proxy;
  gint64 a;
  gint64 b;

  context = tb_cmd_context_new (
      N_ ("A B"),
      N_ ("Introduce two contacts and print the introduction text."),
      N_ ("Records the introduction and logs an intro interaction with "
          "both.\n"
          "The text is a double opt-in introduction, ready to send."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 2, 2,
                          _ ("introduce needs two contacts, A and B")))
    return TB_EXIT_USAGE;

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL || !resolve_pair (proxy, argv[1], argv[2], &a, &b, &error)
      || !tb_daemon1_call_get_contact_sync (proxy, a, &contact_a, NULL, &error)
      || !tb_daemon1_call_get_contact_sync (proxy, b, &contact_b, NULL, &error))
    return tb_cmd_error (error);

  /* Check before recording anything: --mail without an address would
   * record an introduction that was never sent. */
  if (mail)
    {
      GVariant *contacts[] = { contact_a, contact_b };

      for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
        {
          const char *email = tb_dict_get_string (contacts[i], "email");

          if (email == NULL || *email == '\0')
            return tb_cmd_fail (
                _ ("%s has no email address (touchbase edit --email)"),
                tb_dict_get_string (contacts[i], "name"));
        }
    }

  {
    g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);

    if (again)
      g_variant_dict_insert (&options, "again", "b", TRUE);
    if (!tb_daemon1_call_introduce_sync (proxy, a, b, note != NULL ? note : "",
                                         g_variant_dict_end (&options), &text,
                                         NULL, &error))
      {
        int status = tb_cmd_error (error);

        if (g_error_matches (error, TB_ERROR, TB_ERROR_EXISTS))
          g_printerr ("%s\n", _ ("Nothing recorded; “--again” introduces "
                                 "them again."));
        return status;
      }
  }

  {
    /* The text carries both names and the note. */
    g_autofree char *shown = tb_output_clean_lines (g_strchomp (text));

    printf ("%s\n", shown);
  }
  if (mail && !send_mail (contact_a, contact_b, text, &error))
    return tb_cmd_fail (_ ("cannot open the mail program: %s"), error->message);
  return TB_EXIT_OK;
}
