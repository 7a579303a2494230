/* tb-cmd-undo.c — touchbase undo: take back the last change, and the
 * list of what can be taken back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-undo"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-figures.h"
#include "tb-output.h"
#include "tb-time.h"
#include "tb-vardict-json.h"

/* ListChanges: what the daemon returns when not told, and at most. */
#define CHANGES_DEFAULT_LIMIT 20
#define CHANGES_MAX_LIMIT 100

static guint
detail_uint (GVariant *detail, const char *key)
{
  guint32 value = 0;

  if (detail != NULL)
    g_variant_lookup (detail, key, "u", &value);
  return value;
}

static gint64
detail_int64 (GVariant *detail, const char *key)
{
  gint64 value = 0;

  if (detail != NULL)
    g_variant_lookup (detail, key, "x", &value);
  return value;
}

static const char *
detail_string (GVariant *detail, const char *key)
{
  const char *value = NULL;

  if (detail != NULL)
    g_variant_lookup (detail, key, "&s", &value);
  return value;
}

/* A change in words: the command and whom it was about, with what the
 * daemon recorded beside it ("rm Zoë Martin (with 12 interactions)",
 * "import Connections.csv: 1,370 added, 3 updated"). Not cleaned: the
 * caller prints it through a table or tb_output_clean. */
static char *
describe (GVariant *change)
{
  const char *verb = tb_dict_get_string (change, "verb");
  const char *subject = tb_dict_get_string (change, "subject");
  g_autoptr (GVariant) detail
      = tb_dict_get_value (change, "detail", G_VARIANT_TYPE_VARDICT);
  const char *kind = detail_string (detail, "kind");
  const char *other = detail_string (detail, "other");

  if (verb == NULL)
    verb = "?";
  if (subject == NULL)
    return g_strdup (verb);
  if (g_str_equal (verb, "import"))
    {
      g_autofree char *added = tb_figure_count (detail_uint (detail, "added"));
      g_autofree char *updated
          = tb_figure_count (detail_uint (detail, "updated"));

      /* Translators: "import Connections.csv: 1,370 added, 3 updated". */
      return g_strdup_printf (_ ("import %s: %s added, %s updated"), subject,
                              added, updated);
    }
  if (g_str_equal (verb, "scan"))
    {
      gint64 n = detail_int64 (detail, "logged");
      g_autofree char *count = tb_figure_count (n);

      /* Translators: "scan maildir:~/Mail/Sent (1,240 logged)". */
      return g_strdup_printf (
          ngettext ("scan %s (%s logged)", "scan %s (%s logged)", (gulong) n),
          subject, count);
    }
  if (g_str_equal (verb, "sources forget"))
    {
      gint64 n = detail_int64 (detail, "interactions");
      g_autofree char *count = tb_figure_count (n);

      /* Translators: "sources forget maildir:~/Mail/Sent (5
       * interactions)". */
      return g_strdup_printf (ngettext ("sources forget %s (%s interaction)",
                                        "sources forget %s (%s interactions)",
                                        (gulong) n),
                              subject, count);
    }
  if (g_str_equal (verb, "rm") && detail_uint (detail, "interactions") > 0)
    {
      guint n = detail_uint (detail, "interactions");
      g_autofree char *count = tb_figure_count (n);

      /* Translators: "rm Zoë Martin (with 12 interactions)". */
      return g_strdup_printf (ngettext ("rm %s (with %s interaction)",
                                        "rm %s (with %s interactions)", n),
                              subject, count);
    }
  if (g_str_has_prefix (verb, "history ") && kind != NULL
      && detail_int64 (detail, "at") > 0)
    {
      g_autofree char *date = tb_time_format_date (detail_int64 (detail, "at"),
                                                   tb_cmd_local_tz ());

      /* Translators: "history rm Zoë Martin (coffee 2026-11-02)". */
      return g_strdup_printf (_ ("%s %s (%s %s)"), verb, subject, kind, date);
    }
  if (g_str_equal (verb, "fact rm") && kind != NULL
      && detail_string (detail, "text") != NULL)
    /* Translators: "fact rm Ana Silva (goal: move into product)". */
    return g_strdup_printf (_ ("%s %s (%s: %s)"), verb, subject, kind,
                            detail_string (detail, "text"));
  if (g_str_equal (verb, "log") && kind != NULL)
    /* Translators: "log coffee with Ana Silva". */
    return g_strdup_printf (_ ("log %s with %s"), kind, subject);
  if (other != NULL)
    /* Translators: "introduce Ana Silva and Bo Berg". */
    return g_strdup_printf (_ ("%s %s and %s"), verb, subject, other);
  /* Translators: a command and whom it was about, "snooze Ana Silva". */
  return g_strdup_printf (_ ("%s %s"), verb, subject);
}

static int
print_list (GVariant *changes, guint total)
{
  g_autoptr (TbTable) table
      = tb_table_new (C_ ("column", "WHEN"), C_ ("column", "CHANGE"), NULL);
  gsize n = g_variant_n_children (changes);

  if (n == 0)
    {
      if (tb_output_is_tty ())
        printf ("%s\n", _ ("Nothing to undo."));
      return TB_EXIT_OK;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) c = g_variant_get_child_value (changes, i);
      g_autofree char *when
          = tb_cmd_format_when_time (tb_dict_get_int64 (c, "at"));
      g_autofree char *what = describe (c);

      tb_table_add_row (table, TB_STYLE_NONE, when, what, NULL);
    }
  tb_table_print (table);
  if (tb_output_is_tty ())
    {
      printf ("%s", tb_output_style (TB_STYLE_DIM));
      if (total > n)
        {
          g_autofree char *shown = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
          g_autofree char *all = g_strdup_printf ("%u", total);

          /* Translators: "20 of 64 shown; --limit N shows more." */
          printf (_ ("%s of %s shown; --limit N shows more."), shown, all);
          printf ("\n");
        }
      /* Translators: %d is how many changes are kept (100). */
      printf (_ ("“touchbase undo” takes back the first one; the last %d "
                 "changes are kept."),
              CHANGES_MAX_LIMIT);
      printf ("%s\n", tb_output_reset ());
    }
  return TB_EXIT_OK;
}

static int
list_changes (gboolean json, int limit)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) changes = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  guint total = 0;
  TbDaemon1 *proxy;

  if (limit != CHANGES_DEFAULT_LIMIT)
    g_variant_dict_insert (&options, "limit", "u", (guint32) limit);
  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL
      || !tb_daemon1_call_list_changes_sync (
          proxy, g_variant_dict_end (&options), &changes, &total, NULL, &error))
    return tb_cmd_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_list_to_json (changes, NULL);

      tb_output_print_json (node);
      return TB_EXIT_OK;
    }
  return print_list (changes, total);
}

int
tb_cmd_undo (int argc, char **argv)
{
  gboolean json = FALSE;
  gboolean list = FALSE;
  int limit = CHANGES_DEFAULT_LIMIT;
  const GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list,
      N_ ("List the changes that can be undone, the newest first"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_ ("With --list: at most N changes (default: 20, at most 100)"),
      N_ ("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) change = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *what = NULL;
  g_autofree char *clean = NULL;
  TbDaemon1 *proxy;

  context = tb_cmd_context_new (
      NULL, N_ ("Take back the last change made through touchbase."),
      N_ ("Every change is one step: an add, edit, log, rm, snooze, pause, "
          "track, follow-up, introduction or a whole import. Run it again to "
          "go further back; the last 100 changes are kept, also across "
          "restarts of the daemon. Ids are not given again: a contact that "
          "undo removes keeps its id to itself."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  if (limit < 1 || limit > CHANGES_MAX_LIMIT)
    return tb_cmd_usage_error ("--limit: %s", _ ("must be 1 to 100"));
  if (list)
    return list_changes (json, limit);
  if (limit != CHANGES_DEFAULT_LIMIT)
    return tb_cmd_usage_error ("--limit: %s", _ ("only with --list"));

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL
      || !tb_daemon1_call_undo_sync (proxy, g_variant_dict_end (&options),
                                     &change, NULL, &error))
    return tb_cmd_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_to_json (change);

      tb_output_print_json (node);
      return TB_EXIT_OK;
    }
  what = describe (change);
  clean = tb_output_clean (what);
  /* Translators: what was taken back, "Undone: rm Zoë Martin (with 12
   * interactions)". */
  printf (_ ("Undone: %s"), clean);
  printf ("\n");
  return TB_EXIT_OK;
}
