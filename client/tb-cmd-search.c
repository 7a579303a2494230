/* tb-cmd-search.c — touchbase search: contacts by words of their name,
 * company, position, e-mail, note or facts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-search"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-output.h"
#include "tb-vardict-json.h"

/* What the daemon returns when not told, and at most (SearchContacts). */
#define SEARCH_DEFAULT_LIMIT 20
#define SEARCH_MAX_LIMIT 1000

/* The fields SearchContacts names in "matched", as the table shows them. */
static const struct
{
  const char *field;
  const char *label;
} fields[] = {
  { "name", N_ ("name") },         { "company", N_ ("company") },
  { "position", N_ ("position") }, { "email", N_ ("e-mail") },
  { "note", N_ ("note") },         { "facts", N_ ("facts") },
};

static char *
matched_cell (GVariant *contact)
{
  g_autoptr (GVariant) matched = g_variant_lookup_value (
      contact, "matched", G_VARIANT_TYPE_STRING_ARRAY);
  g_autoptr (GString) cell = g_string_new (NULL);
  g_autofree const char **list = NULL;

  if (matched == NULL)
    return g_strdup ("");
  list = g_variant_get_strv (matched, NULL);
  for (guint i = 0; list[i] != NULL; i++)
    {
      const char *label = list[i];

      for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
        if (g_str_equal (list[i], fields[j].field))
          label = _ (fields[j].label);
      if (cell->len > 0)
        g_string_append (cell, ", ");
      g_string_append (cell, label);
    }
  return g_string_free (g_steal_pointer (&cell), FALSE);
}

/* "Position, Company", either alone, or empty. */
static char *
work_cell (GVariant *contact)
{
  const char *company = tb_dict_get_string (contact, "company");
  const char *position = tb_dict_get_string (contact, "position");

  if (company != NULL && position != NULL)
    /* Translators: a contact's position and company, as "CTO, Solara". */
    return g_strdup_printf (_ ("%s, %s"), position, company);
  return g_strdup (company != NULL    ? company
                   : position != NULL ? position
                                      : "");
}

static void
print_results (GVariant *contacts, guint total)
{
  g_autoptr (TbTable) table = tb_table_new (
      C_ ("column", "ID"), C_ ("column", "NAME"),
      C_ ("column", "POSITION, COMPANY"), C_ ("column", "MATCHED"), NULL);
  gsize n = g_variant_n_children (contacts);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) c = g_variant_get_child_value (contacts, i);
      g_autofree char *id
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (c, "id"));
      g_autofree char *work = work_cell (c);
      g_autofree char *matched = matched_cell (c);

      tb_table_add_row (table, TB_STYLE_NONE, id,
                        tb_dict_get_string (c, "name"), work, matched, NULL);
    }
  tb_table_print (table);
  /* A pipe gets the rows only; a person is told that there are more. */
  if (tb_output_is_tty () && total > n)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
      g_autofree char *all = g_strdup_printf ("%u", total);

      printf ("%s", tb_output_style (TB_STYLE_DIM));
      /* Translators: "20 of 151 shown; --limit N shows more." */
      printf (_ ("%s of %s shown; --limit N shows more."), shown, all);
      printf ("%s\n", tb_output_reset ());
    }
}

int
tb_cmd_search (int argc, char **argv)
{
  gboolean json = FALSE;
  int limit = SEARCH_DEFAULT_LIMIT;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_ ("Show at most N contacts (default: 20, at most 1000)"), N_ ("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contacts = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *text = NULL;
  guint total = 0;
  TbDaemon1 *proxy;

  context = tb_cmd_context_new (
      N_ ("TEXT…"),
      N_ ("Find contacts by their name, company, position, e-mail, note or "
          "facts, best match first."),
      N_ ("Each word finds the words it starts, without regard to case or "
          "accents: “sol” finds Solara, “zoe” finds Zoë. Every word must be "
          "found. Quotes, “*”, “OR” and the like are searched for as text.\n"
          "On a terminal: a table. In a pipe: one tab-separated line per "
          "contact (id, name, position and company, what matched)."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, -1,
                          _ ("What to search for is missing")))
    return TB_EXIT_USAGE;
  if (limit < 1 || limit > SEARCH_MAX_LIMIT)
    return tb_cmd_usage_error ("--limit: %s", _ ("must be 1 to 1000"));

  text = tb_cmd_join_args (argc, argv, 1);
  if (limit != SEARCH_DEFAULT_LIMIT)
    g_variant_dict_insert (&options, "limit", "u", (guint32) limit);
  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL
      || !tb_daemon1_call_search_contacts_sync (
          proxy, text, g_variant_dict_end (&options), &contacts, &total, NULL,
          &error))
    return tb_cmd_error (error);

  if (json)
    {
      g_autoptr (JsonNode) node
          = tb_vardict_list_to_json (contacts, tb_vardict_contact_to_json);

      tb_output_print_json (node);
    }
  else if (g_variant_n_children (contacts) == 0)
    {
      if (tb_output_is_tty ())
        printf ("%s\n", _ ("No contacts match."));
    }
  else
    print_results (contacts, total);
  return TB_EXIT_OK;
}
