/* tb-cmd-history.c — touchbase history: a contact's interactions, and
 * the correction or removal of one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-history"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-output.h"
#include "tb-pager.h"
#include "tb-time.h"
#include "tb-vardict-json.h"

/* ListInteractions gives at most this many. */
#define HISTORY_MAX_LIMIT 1000

/* "Removed interaction 12 from Zoë Martin's history; next touch base
 * 2027-01-02": what changed, and what it did to the schedule. */
static int
print_done (TbDaemon1 *proxy, gboolean removed, gint64 id, gint64 contact_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = tb_cmd_get_contact (proxy, contact_id, &error);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *next = NULL;
  g_autofree char *name = NULL;
  gint64 due_at;

  if (contact == NULL)
    return tb_cmd_error (error);
  name = tb_dict_dup_clean (contact, "name");
  due_at = tb_dict_get_int64 (contact, "due_at");
  if (due_at > 0 && !tb_dict_get_boolean (contact, "paused"))
    {
      g_autofree char *date = tb_time_format_date (due_at, tb_cmd_local_tz ());

      next = g_strdup_printf (_ ("; next touch base %s"), date);
    }
  else
    next = g_strdup ("");
  if (removed)
    /* Translators: "Removed interaction 12 from Zoë Martin's history; next
     * touch base 2027-01-02". */
    printf (_ ("Removed interaction %s from %s's history%s\n"), id_text, name,
            next);
  else
    printf (_ ("Changed interaction %s of %s%s\n"), id_text, name, next);
  return TB_EXIT_OK;
}

static int
list_history (const char *query, const char *limit_text, gboolean json,
              gboolean no_pager)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  g_autoptr (GVariant) list = NULL;
  g_autoptr (TbTable) table = NULL;
  TbDaemon1 *proxy;
  guint limit = 0;
  guint total = 0;
  gsize n;
  gint64 id;

  if (limit_text != NULL
      && !tb_cmd_parse_limit ("--limit", limit_text, &limit, &error))
    return tb_cmd_error (error);
  proxy = tb_cmd_resolve_one (query, &id, &error);
  if (proxy == NULL)
    return tb_cmd_error (error);
  /* A page at a time (the daemon sends at most HISTORY_MAX_LIMIT), until
   * the limit or the end. */
  {
    GVariantBuilder all;
    guint offset = 0;

    g_variant_builder_init (&all, G_VARIANT_TYPE ("aa{sv}"));
    do
      {
        g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
        g_autoptr (GVariant) page = NULL;
        guint want = limit == 0 ? HISTORY_MAX_LIMIT
                                : MIN (limit - offset, HISTORY_MAX_LIMIT);
        gsize got;

        g_variant_dict_insert (&options, "limit", "u", want);
        g_variant_dict_insert (&options, "offset", "u", offset);
        if (!tb_daemon1_call_list_interactions_sync (
                proxy, id, g_variant_dict_end (&options), &page, &total, NULL,
                &error))
          {
            g_variant_builder_clear (&all);
            return tb_cmd_error (error);
          }
        got = g_variant_n_children (page);
        for (gsize i = 0; i < got; i++)
          {
            g_autoptr (GVariant) it = g_variant_get_child_value (page, i);

            g_variant_builder_add_value (&all, it);
          }
        offset += (guint) got;
        if (got < want)
          break;
      }
    while (offset < total && (limit == 0 || offset < limit));
    list = g_variant_ref_sink (g_variant_builder_end (&all));
  }
  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_list_to_json (list, NULL);

      tb_output_print_json (node);
      return TB_EXIT_OK;
    }
  n = g_variant_n_children (list);
  if (n == 0)
    {
      contact = tb_cmd_get_contact (proxy, id, &error);
      if (contact == NULL)
        return tb_cmd_error (error);
      if (tb_output_is_tty ())
        {
          g_autofree char *name = tb_dict_dup_clean (contact, "name");

          printf (_ ("No interactions with %s yet.\n"), name);
        }
      return TB_EXIT_OK;
    }
  if (!no_pager)
    tb_pager_start ();
  table = tb_table_new (C_ ("column", "ID"), C_ ("column", "WHEN"),
                        C_ ("column", "KIND"), C_ ("column", "NOTE"), NULL);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) it = g_variant_get_child_value (list, i);
      g_autofree char *iid
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (it, "id"));
      g_autofree char *when = tb_cmd_format_when (tb_dict_get_int64 (it, "at"));

      tb_table_add_row (table, TB_STYLE_NONE, iid, when,
                        tb_dict_get_string (it, "kind"),
                        tb_dict_get_string (it, "note"), NULL);
    }
  tb_table_print (table);
  if (total > n)
    tb_cmd_print_more ();
  return TB_EXIT_OK;
}

int
tb_cmd_history (int argc, char **argv)
{
  g_autofree char *rm = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *at_text = NULL;
  g_autofree char *note = NULL;
  g_autofree char *limit_text = NULL;
  gboolean json = FALSE;
  gboolean no_pager = FALSE;
  const GOptionEntry entries[] = {
    { "rm", 0, 0, G_OPTION_ARG_STRING, &rm,
      N_ ("Remove the interaction with this id"), N_ ("ID") },
    { "edit", 0, 0, G_OPTION_ARG_STRING, &edit,
      N_ ("Change the interaction with this id"), N_ ("ID") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind,
      /* Translators: the kinds are keywords: keep them in English. */
      N_ ("With --edit: call, video, meeting, coffee, email, message, intro "
          "or other"),
      N_ ("K") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_ ("With --edit: when it happened"), N_ ("DATE") },
    { "note", 'n', 0, G_OPTION_ARG_STRING, &note,
      N_ ("With --edit: the note (\"\" clears it)"), N_ ("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_ ("Show at most N interactions (0: all, the default)"), N_ ("N") },
    { "no-pager", 0, 0, G_OPTION_ARG_NONE, &no_pager,
      N_ ("Do not send the table through a pager"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  TbDaemon1 *proxy;
  gint64 id;
  gint64 contact_id = 0;

  context = tb_cmd_context_new (
      N_ ("CONTACT | --rm ID | --edit ID [--kind K] [--at DATE] [--note "
          "TEXT]"),
      N_ ("A contact's interactions, newest first, with their ids; or "
          "remove or correct one."),
      N_ ("The ids are those of “touchbase show” and of this list. The "
          "contact's next touch base follows a removed or moved "
          "interaction, and “touchbase undo” takes the change back."),
      entries);
  if (!tb_cmd_parse (context, &argc, &argv))
    return TB_EXIT_USAGE;
  if (rm != NULL && edit != NULL)
    return tb_cmd_usage_error ("%s", _ ("--rm and --edit go one at a time"));
  if (rm == NULL && edit == NULL)
    {
      if (kind != NULL || at_text != NULL || note != NULL)
        return tb_cmd_usage_error ("%s",
                                   _ ("--kind, --at and --note need --edit"));
      if (!tb_cmd_expect_args (argc, argv, 1, 1, _ ("missing CONTACT")))
        return TB_EXIT_USAGE;
      return list_history (argv[1], limit_text, json, no_pager);
    }
  if (!tb_cmd_expect_args (argc, argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  if (!tb_cmd_parse_id (rm != NULL ? rm : edit, &id, &error))
    return tb_cmd_error (error);
  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);

  if (rm != NULL)
    {
      if (kind != NULL || at_text != NULL || note != NULL)
        return tb_cmd_usage_error ("%s",
                                   _ ("--kind, --at and --note need --edit"));
      if (!tb_daemon1_call_remove_interaction_sync (proxy, id, &contact_id,
                                                    NULL, &error))
        return tb_cmd_error (error);
      return print_done (proxy, TRUE, id, contact_id);
    }

  {
    g_auto (GVariantDict) fields = G_VARIANT_DICT_INIT (NULL);

    if (kind != NULL)
      {
        g_autofree char *lower = g_ascii_strdown (kind, -1);

        g_variant_dict_insert (&fields, "kind", "s", lower);
      }
    if (at_text != NULL)
      {
        gint64 at;

        if (!tb_cmd_parse_date ("--at", at_text, &at, &error))
          return tb_cmd_error (error);
        g_variant_dict_insert (&fields, "at", "x", at);
      }
    if (note != NULL)
      g_variant_dict_insert (&fields, "note", "s", note);
    if (kind == NULL && at_text == NULL && note == NULL)
      return tb_cmd_usage_error ("%s",
                                 _ ("--edit needs --kind, --at or --note"));
    if (!tb_daemon1_call_update_interaction_sync (
            proxy, id, g_variant_dict_end (&fields), &contact_id, NULL, &error))
      return tb_cmd_error (error);
  }
  return print_done (proxy, FALSE, id, contact_id);
}
