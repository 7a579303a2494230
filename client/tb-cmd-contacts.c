/* tb-cmd-contacts.c — add, edit, rm, list and show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-contacts"

#define _GNU_SOURCE /* memfd_create */

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-error.h"
#include "tb-keys.h"
#include "tb-output.h"
#include "tb-pager.h"
#include "tb-rows.h"
#include "tb-stream.h"
#include "tb-time.h"
#include "tb-vardict-json.h"

/* The options add and edit share. Strings are NULL when not given. */
typedef struct
{
  char *name;
  char *every;
  char *email;
  char *phone;
  char *url;
  char *company;
  char *position;
  char *birthday;
  char *met;
  char *note;
  GStrv tags;
  GStrv untags;
  GStrv interests;
  GStrv goals;
  GStrv offers;
  GStrv needs;
  gboolean json;
  gboolean add_new;
  GStrv rm_facts;
  GStrv rm_emails;
} ContactOptions;

static void
contact_options_clear (ContactOptions *o)
{
  g_free (o->name);
  g_free (o->every);
  g_free (o->email);
  g_free (o->phone);
  g_free (o->url);
  g_free (o->company);
  g_free (o->position);
  g_free (o->birthday);
  g_free (o->met);
  g_free (o->note);
  g_strfreev (o->tags);
  g_strfreev (o->untags);
  g_strfreev (o->interests);
  g_strfreev (o->goals);
  g_strfreev (o->offers);
  g_strfreev (o->needs);
  g_strfreev (o->rm_facts);
  g_strfreev (o->rm_emails);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ContactOptions, contact_options_clear)

#define ENTRY(long_name, arg, data, desc, arg_desc)                            \
  (GOptionEntry)                                                               \
  {                                                                            \
    long_name, 0, 0, arg, data, desc, arg_desc                                 \
  }

/* Fills @entries (room for 20) with the options of add, or of edit. */
static void
contact_option_entries (ContactOptions *o, gboolean edit, GOptionEntry *entries)
{
  guint n = 0;

  if (edit)
    entries[n++] = ENTRY ("name", G_OPTION_ARG_STRING, &o->name,
                          N_ ("Rename the contact"), N_ ("NAME"));
  entries[n++] = ENTRY (
      "every", G_OPTION_ARG_STRING, &o->every,
      edit
          ? N_ ("Touch base this often (“default”: the tag's or global "
                "default)")
          : N_ ("Touch base this often (default: the tag's or global default)"),
      N_ ("DUR"));
  entries[n++] = ENTRY ("email", G_OPTION_ARG_STRING, &o->email,
                        edit ? N_ ("Add an e-mail address (the first is its "
                                   "e-mail; \"\" clears that one)")
                             : N_ ("E-mail address"),
                        N_ ("E"));
  entries[n++] = ENTRY ("phone", G_OPTION_ARG_STRING, &o->phone,
                        N_ ("Phone number"), N_ ("P"));
  entries[n++] = ENTRY ("url", G_OPTION_ARG_STRING, &o->url,
                        N_ ("Profile link (LinkedIn, a home page…)"), N_ ("U"));
  entries[n++] = ENTRY ("company", G_OPTION_ARG_STRING, &o->company,
                        N_ ("Company"), N_ ("C"));
  entries[n++] = ENTRY ("position", G_OPTION_ARG_STRING, &o->position,
                        N_ ("Position"), N_ ("P"));
  entries[n++] = ENTRY ("tag", G_OPTION_ARG_STRING_ARRAY, &o->tags,
                        edit ? N_ ("Add a tag (repeatable)")
                             : N_ ("Tag the contact (repeatable)"),
                        N_ ("T"));
  if (edit)
    entries[n++] = ENTRY ("untag", G_OPTION_ARG_STRING_ARRAY, &o->untags,
                          N_ ("Remove a tag (repeatable)"), N_ ("T"));
  if (edit)
    entries[n++] = ENTRY ("rm-email", G_OPTION_ARG_STRING_ARRAY, &o->rm_emails,
                          N_ ("Remove one of its e-mail addresses "
                              "(repeatable)"),
                          N_ ("E"));
  if (edit)
    entries[n++]
        = ENTRY ("rm-fact", G_OPTION_ARG_STRING_ARRAY, &o->rm_facts,
                 N_ ("Remove the fact with this id (see “show”; repeatable)"),
                 N_ ("ID"));
  entries[n++] = ENTRY ("birthday", G_OPTION_ARG_STRING, &o->birthday,
                        N_ ("Birthday, YYYY-MM-DD or --MM-DD"), N_ ("D"));
  entries[n++] = ENTRY ("met", G_OPTION_ARG_STRING, &o->met, N_ ("How you met"),
                        N_ ("TEXT"));
  entries[n++] = ENTRY ("note", G_OPTION_ARG_STRING, &o->note, N_ ("A note"),
                        N_ ("TEXT"));
  entries[n++] = ENTRY ("interest", G_OPTION_ARG_STRING_ARRAY, &o->interests,
                        N_ ("Add an interest (repeatable)"), N_ ("T"));
  entries[n++] = ENTRY ("goal", G_OPTION_ARG_STRING_ARRAY, &o->goals,
                        N_ ("Add a goal (repeatable)"), N_ ("T"));
  entries[n++]
      = ENTRY ("offer", G_OPTION_ARG_STRING_ARRAY, &o->offers,
               N_ ("Add something they can help with (repeatable)"), N_ ("T"));
  entries[n++] = ENTRY ("need", G_OPTION_ARG_STRING_ARRAY, &o->needs,
                        N_ ("Add something they are looking for (repeatable)"),
                        N_ ("T"));
  if (!edit)
    entries[n++] = ENTRY (
        "new", G_OPTION_ARG_NONE, &o->add_new,
        N_ ("Add it even if a contact has this name, e-mail or link"), NULL);
  entries[n++]
      = ENTRY ("json", G_OPTION_ARG_NONE, &o->json, N_ ("Print JSON"), NULL);
  entries[n] = (GOptionEntry){ NULL };
}

static void
add_string_field (GVariantDict *fields, const char *key, const char *value,
                  gboolean keep_empty)
{
  if (value == NULL || (*value == '\0' && !keep_empty))
    return;
  g_variant_dict_insert (fields, key, "s", value);
}

static void
add_facts (GVariantBuilder *facts, const char *kind, GStrv texts,
           guint *n_facts)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (texts[i]));

      if (*text == '\0')
        continue;
      g_variant_builder_add (facts, "(ss)", kind, text);
      (*n_facts)++;
    }
}

/* The a{sv} of AddContact/UpdateContact from the options. In edit mode
 * an empty string is passed on: it clears the field. */
static GVariant *
contact_fields_build (ContactOptions *o, gboolean edit, GError **error)
{
  g_auto (GVariantDict) fields = G_VARIANT_DICT_INIT (NULL);
  g_auto (GVariantBuilder) facts
      = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(ss)"));
  guint n_facts = 0;

  if (o->every != NULL)
    {
      gint64 seconds = 0;

      if (!(edit && g_ascii_strcasecmp (o->every, "default") == 0)
          && !tb_cmd_parse_duration ("--every", o->every, &seconds, error))
        return NULL;
      g_variant_dict_insert (&fields, "interval_seconds", "x", seconds);
    }

  if (o->birthday != NULL && *o->birthday != '\0')
    {
      g_autofree char *normalized = NULL;

      if (!tb_birthday_parse (o->birthday, &normalized, error))
        {
          g_prefix_error (error, "--birthday: ");
          return NULL;
        }
      g_variant_dict_insert (&fields, "birthday", "s", normalized);
    }
  else
    add_string_field (&fields, "birthday", o->birthday, edit);

  add_string_field (&fields, "name", o->name, FALSE);
  add_string_field (&fields, "email", o->email, edit);
  add_string_field (&fields, "phone", o->phone, edit);
  add_string_field (&fields, "url", o->url, edit);
  add_string_field (&fields, "company", o->company, edit);
  add_string_field (&fields, "position", o->position, edit);
  add_string_field (&fields, "met", o->met, edit);
  add_string_field (&fields, "note", o->note, edit);

  add_facts (&facts, "interest", o->interests, &n_facts);
  add_facts (&facts, "goal", o->goals, &n_facts);
  add_facts (&facts, "offer", o->offers, &n_facts);
  add_facts (&facts, "need", o->needs, &n_facts);
  if (n_facts > 0)
    g_variant_dict_insert_value (&fields, "facts",
                                 g_variant_builder_end (&facts));

  return g_variant_ref_sink (g_variant_dict_end (&fields));
}

int
tb_cmd_add (int argc, char **argv)
{
  g_auto (ContactOptions) o = { 0 };
  GOptionEntry entries[24];
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) fields = NULL;
  g_autofree char *name = NULL;
  TbDaemon1 *proxy;
  gint64 id;

  contact_option_entries (&o, FALSE, entries);
  context = tb_cmd_context_new (
      N_ ("NAME…"), N_ ("Add a contact and print its id."),
      N_ ("Several words make one name: “touchbase add Ana Silva”.\n"
          "Durations: 90s, 45min, 12h, 30d, 2w, 3mo, 1y; a bare number is "
          "days.\n"
          "A name, e-mail or link that a contact already has is refused "
          "unless --new is given."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, -1, _ ("missing NAME")))
    return TB_EXIT_USAGE;

  name = tb_cmd_join_args (argc, argv, 1);
  if (*name == '\0')
    return tb_cmd_fail ("%s", _ ("the name must not be empty"));

  fields = contact_fields_build (&o, FALSE, &error);
  if (fields == NULL)
    return tb_cmd_error (error);
  {
    g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (fields);

    g_variant_dict_insert (&dict, "name", "s", name);
    if (o.add_new)
      g_variant_dict_insert (&dict, "new", "b", TRUE);
    if (o.tags != NULL)
      g_variant_dict_insert (&dict, "tags", "^as", o.tags);
    g_clear_pointer (&fields, g_variant_unref);
    fields = g_variant_ref_sink (g_variant_dict_end (&dict));
  }

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL
      || !tb_daemon1_call_add_contact_sync (proxy, fields, &id, NULL, &error))
    {
      int status = tb_cmd_error (error);

      if (g_error_matches (error, TB_ERROR, TB_ERROR_EXISTS))
        g_printerr ("%s\n", _ ("Nothing added. “touchbase edit” changes "
                               "that contact; “touchbase add --new …” adds "
                               "another one anyway."));
      return status;
    }

  if (o.json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tb_output_print_json (root);
    }
  else if (tb_output_is_tty ())
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *shown = tb_output_clean (name);

      printf (_ ("Added %s with id %s\n"), shown, id_text);
    }
  else
    printf ("%" G_GINT64_FORMAT "\n", id);
  return TB_EXIT_OK;
}

/* The contact's tags plus --tag minus --untag, in their order. */
static GVariant *
edited_tags (GVariant *contact, ContactOptions *o)
{
  g_autoptr (GVariant) current
      = tb_dict_get_value (contact, "tags", G_VARIANT_TYPE_STRING_ARRAY);
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **strv = NULL;

  if (current != NULL)
    {
      strv = g_variant_get_strv (current, NULL);
      for (guint i = 0; strv[i] != NULL; i++)
        g_ptr_array_add (tags, g_strdup (strv[i]));
    }
  for (guint i = 0; o->tags != NULL && o->tags[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (tags, o->tags[i], g_str_equal, NULL)
        && *o->tags[i] != '\0')
      g_ptr_array_add (tags, g_strdup (o->tags[i]));
  for (guint i = 0; o->untags != NULL && o->untags[i] != NULL; i++)
    {
      guint index;

      if (g_ptr_array_find_with_equal_func (tags, o->untags[i], g_str_equal,
                                            &index))
        g_ptr_array_remove_index (tags, index);
    }
  return g_variant_new_strv ((const char *const *) tags->pdata, tags->len);
}

/* The ids of --rm-fact, each one of @contact_id's facts, and their texts
 * for the message. (transfer full) */
static GArray *
facts_to_remove (TbDaemon1 *proxy, gint64 contact_id, GStrv texts,
                 GPtrArray **out_texts, GError **error)
{
  g_autoptr (GVariant) contact = tb_cmd_get_contact (proxy, contact_id, error);
  g_autoptr (GVariant) facts = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (contact == NULL)
    return NULL;
  facts = tb_dict_get_value (contact, "facts", G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; texts[i] != NULL; i++)
    {
      const char *text = NULL;
      gint64 id;

      if (!tb_cmd_parse_id (texts[i], &id, error))
        {
          g_prefix_error (error, "--rm-fact: ");
          return NULL;
        }
      for (gsize k = 0; facts != NULL && k < g_variant_n_children (facts); k++)
        {
          g_autoptr (GVariant) f = g_variant_get_child_value (facts, k);

          if (tb_dict_get_int64 (f, "id") == id)
            text = tb_dict_get_string (f, "text");
          if (text != NULL)
            break;
        }
      if (text == NULL)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                       /* Translators: "--rm-fact: Ana Silva has no fact
                        * 12 (“touchbase show” lists them)". */
                       _ ("--rm-fact: %s has no fact %s (“touchbase show” "
                          "lists them with their ids)"),
                       tb_dict_get_string (contact, "name"), texts[i]);
          return NULL;
        }
      g_array_append_val (ids, id);
      g_ptr_array_add (found, g_strdup (text));
    }
  *out_texts = g_steal_pointer (&found);
  return g_steal_pointer (&ids);
}

int
tb_cmd_edit (int argc, char **argv)
{
  g_auto (ContactOptions) o = { 0 };
  GOptionEntry entries[24];
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) fields = NULL;
  g_autoptr (GVariant) contact = NULL;
  g_autoptr (GArray) fact_ids = NULL;
  g_autoptr (GPtrArray) removed_texts = NULL;
  g_autofree char *who = NULL;
  g_autofree char *add_email = NULL;
  TbDaemon1 *proxy;
  gint64 id;

  contact_option_entries (&o, TRUE, entries);
  context = tb_cmd_context_new (
      N_ ("CONTACT"),
      N_ ("Change a contact's fields and add facts about them."),
      N_ ("An empty value clears a field: --email \"\".\n"
          "--every default goes back to the tag's or the global interval.\n"
          "--interest, --goal, --offer and --need add facts; they never "
          "replace earlier ones."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;
  if (o.name != NULL && *g_strstrip (o.name) == '\0')
    return tb_cmd_fail ("--name: %s", _ ("the name must not be empty"));
  /* --email adds an address (AddContactEmail); only "" goes through the
   * fields, where it clears the e-mail. */
  if (o.email != NULL && *o.email != '\0')
    add_email = g_steal_pointer (&o.email);

  fields = contact_fields_build (&o, TRUE, &error);
  if (fields == NULL)
    return tb_cmd_error (error);

  proxy = tb_cmd_resolve_one (argv[1], &id, &error);
  if (proxy == NULL)
    return tb_cmd_error (error);

  if (o.tags != NULL || o.untags != NULL)
    {
      g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (fields);

      contact = tb_cmd_get_contact (proxy, id, &error);
      if (contact == NULL)
        return tb_cmd_error (error);
      g_variant_dict_insert_value (&dict, "tags", edited_tags (contact, &o));
      g_clear_pointer (&fields, g_variant_unref);
      fields = g_variant_ref_sink (g_variant_dict_end (&dict));
      g_clear_pointer (&contact, g_variant_unref);
    }

  if (g_variant_n_children (fields) == 0 && o.rm_facts == NULL
      && o.rm_emails == NULL && add_email == NULL)
    return tb_cmd_usage_error ("%s", _ ("nothing to change"));

  /* Every id is checked before anything is changed: a fact of someone
   * else's is a typo, not a request. */
  if (o.rm_facts != NULL
      && (fact_ids
          = facts_to_remove (proxy, id, o.rm_facts, &removed_texts, &error))
             == NULL)
    return tb_cmd_error (error);

  if (g_variant_n_children (fields) > 0
      && !tb_daemon1_call_update_contact_sync (proxy, id, fields, NULL, &error))
    return tb_cmd_error (error);
  for (guint i = 0; fact_ids != NULL && i < fact_ids->len; i++)
    if (!tb_daemon1_call_remove_fact_sync (
            proxy, g_array_index (fact_ids, gint64, i), NULL, &error))
      return tb_cmd_error (error);
  /* Removed first: --rm-email old --email new moves the e-mail. */
  for (guint i = 0; o.rm_emails != NULL && o.rm_emails[i] != NULL; i++)
    if (!tb_daemon1_call_remove_contact_email_sync (proxy, id, o.rm_emails[i],
                                                    NULL, &error))
      return tb_cmd_error (error);
  if (add_email != NULL
      && !tb_daemon1_call_add_contact_email_sync (proxy, id, add_email, NULL,
                                                  &error))
    return tb_cmd_error (error);

  contact = tb_cmd_get_contact (proxy, id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  if (o.json)
    {
      g_autoptr (JsonNode) node = tb_vardict_contact_to_json (contact);

      tb_output_print_json (node);
      return TB_EXIT_OK;
    }
  who = tb_output_clean (tb_dict_get_string (contact, "name"));
  for (guint i = 0; removed_texts != NULL && i < removed_texts->len; i++)
    {
      g_autofree char *text = tb_output_clean (removed_texts->pdata[i]);

      /* Translators: "Removed the fact “chess” from Ana Silva". */
      printf (_ ("Removed the fact “%s” from %s\n"), text, who);
    }
  if (g_variant_n_children (fields) > 0 || o.rm_emails != NULL
      || add_email != NULL)
    printf (_ ("Updated %s\n"), who);
  return TB_EXIT_OK;
}

/* The contact @query names, for rm and show. (transfer full) */
static GVariant *
fetch_contact (const char *query, TbDaemon1 **out_proxy, gint64 *out_id,
               GError **error)
{
  *out_proxy = tb_cmd_resolve_one (query, out_id, error);
  if (*out_proxy == NULL)
    return NULL;
  return tb_cmd_get_contact (*out_proxy, *out_id, error);
}

/* Whether @query names @contact by its id or its whole name (case and
 * accents aside), not by a part of it that happened to be unique. */
static gboolean
names_exactly (const char *query, GVariant *contact)
{
  g_autofree char *query_key = NULL;
  g_autofree char *name_key = NULL;
  gint64 id;

  if (tb_cmd_parse_id (query, &id, NULL))
    return id == tb_dict_get_int64 (contact, "id");
  query_key = tb_name_key (query);
  name_key = tb_name_key (tb_dict_get_string (contact, "name"));
  return query_key != NULL && g_strcmp0 (query_key, name_key) == 0;
}

/* Asks on the terminal; TRUE only for a yes. */
static gboolean
confirm_rm (const char *name, const char *id_text)
{
  char answer[64];

  /* Translators: "Remove Ana Silva (id 3) with their whole history?
   * [y/N]"; the answer is read as y or yes in English too. */
  g_printerr (_ ("Remove %s (id %s) with their whole history? [y/N] "), name,
              id_text);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  return g_ascii_strcasecmp (answer, "y") == 0
         || g_ascii_strcasecmp (answer, "yes") == 0
         || g_strcmp0 (answer, _ ("y")) == 0
         || g_strcmp0 (answer, _ ("yes")) == 0;
}

int
tb_cmd_rm (int argc, char **argv)
{
  g_autofree char *who = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  TbDaemon1 *proxy;
  gint64 id;

  context = tb_cmd_context_new (
      N_ ("CONTACT"), N_ ("Remove a contact."),
      N_ ("Its facts, interactions, follow-ups and introductions go with it "
          "(“touchbase undo” brings them back).\n"
          "Named by only a part of its name, the contact is removed only after "
          "a yes on a terminal; in a pipe, give its id or whole name."),
      NULL);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;

  /* The name, to say who went: the id alone is easy to get wrong. */
  contact = fetch_contact (argv[1], &proxy, &id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  if (!names_exactly (argv[1], contact))
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *name
          = tb_output_clean (tb_dict_get_string (contact, "name"));

      if (!isatty (STDIN_FILENO))
        return tb_cmd_fail (
            /* Translators: "“ana” is only part of Ana Silva's name: ...". */
            _ ("“%s” is only part of %s's name: nothing removed. Give the id "
               "(touchbase rm %s) or the whole name."),
            argv[1], name, id_text);
      if (!confirm_rm (name, id_text))
        {
          g_printerr ("%s\n", _ ("Nothing removed."));
          return TB_EXIT_FAILURE;
        }
    }
  if (!tb_daemon1_call_remove_contact_sync (proxy, id, NULL, &error))
    return tb_cmd_error (error);

  who = tb_output_clean (tb_dict_get_string (contact, "name"));
  printf (_ ("Removed %s\n"), who);
  return TB_EXIT_OK;
}

/* "in 3 days", "5 days ago", "paused", "snoozed to 2026-12-01", "not
 * tracked", "ignored", for a row of the list (common/tb-rows.h). */
static char *
due_cell (char *const *row, gint64 now, TbStyle *style)
{
  gint64 due_at = g_ascii_strtoll (row[TB_ROW_DUE_AT], NULL, 10);
  gint64 snoozed_until = g_ascii_strtoll (row[TB_ROW_SNOOZED_UNTIL], NULL, 10);
  const char *tracking = row[TB_ROW_TRACKING];

  *style = TB_STYLE_NONE;
  if (g_str_equal (tracking, "not-tracked")
      || g_str_equal (tracking, "ignored"))
    {
      *style = TB_STYLE_DIM;
      /* Translators: in the DUE column of "list --all" */
      return g_strdup (g_str_equal (tracking, "ignored")
                           ? C_ ("due", "ignored")
                           : C_ ("due", "not tracked"));
    }
  if (g_str_equal (row[TB_ROW_PAUSED], "1"))
    {
      *style = TB_STYLE_DIM;
      return g_strdup (_ ("paused"));
    }
  if (snoozed_until > now)
    {
      g_autofree char *until
          = tb_time_format_date (snoozed_until, tb_cmd_local_tz ());

      *style = TB_STYLE_DIM;
      /* Translators: in the DUE column: %s is a date. */
      return g_strdup_printf (_ ("snoozed to %s"), until);
    }
  if (due_at <= 0)
    return g_strdup ("-");
  if (due_at <= now)
    *style = TB_STYLE_RED;
  else if (due_at - now < TB_WEEK)
    *style = TB_STYLE_YELLOW;
  return tb_time_format_relative (due_at, now, tb_cmd_local_tz ());
}

static char *
relative_or_never (gint64 t, gint64 now)
{
  if (t <= 0)
    return g_strdup (_ ("never"));
  return tb_time_format_relative (t, now, tb_cmd_local_tz ());
}

static char *
tags_cell (GVariant *contact)
{
  g_autoptr (GVariant) tags
      = tb_dict_get_value (contact, "tags", G_VARIANT_TYPE_STRING_ARRAY);
  g_autofree const char **strv = NULL;

  if (tags == NULL)
    return g_strdup ("");
  strv = g_variant_get_strv (tags, NULL);
  return g_strjoinv (",", (char **) strv);
}

/* The rows of WriteContactRows printed as the list's table. */
typedef struct
{
  TbTable *table;
  gint64 now;
  guint limit; /* rows to show; 0: all */
  guint seen;
  gboolean measuring; /* the first of two passes, on a terminal */
} ListPrinter;

static gboolean
print_contact_row (char *line, gpointer user_data, GError **error)
{
  ListPrinter *p = user_data;
  char *row[TB_ROW_N_FIELDS];
  g_autofree char *due = NULL;
  g_autofree char *last = NULL;
  TbStyle style;

  if (p->limit > 0 && p->seen >= p->limit)
    return TRUE;
  p->seen++;
  if (!tb_rows_split (line, row))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_FAILED,
                           _ ("touchbased sent a list this touchbase "
                              "cannot read: are both the same version?"));
      return FALSE;
    }
  due = due_cell (row, p->now, &style);
  last = relative_or_never (
      g_ascii_strtoll (row[TB_ROW_LAST_CONVERSATION_AT], NULL, 10), p->now);
  if (p->measuring)
    {
      tb_table_measure_row (p->table, row[TB_ROW_ID], row[TB_ROW_NAME], due,
                            last, row[TB_ROW_TAGS], row[TB_ROW_COMPANY]);
      return TRUE;
    }
  tb_table_add_row (p->table, style, row[TB_ROW_ID], row[TB_ROW_NAME], due,
                    last, row[TB_ROW_TAGS], row[TB_ROW_COMPANY]);
  if (p->seen % 1024 == 0)
    tb_table_flush (p->table);
  return TRUE;
}

/* The first @limit (0: all) rows of @fd as the list's table, printed as
 * they are read: on a terminal, after a first pass that measures them. */
static gboolean
print_contact_rows (int fd, guint limit, gboolean pager, GError **error)
{
  g_autoptr (TbTable) table
      = tb_table_new (C_ ("column", "ID"), C_ ("column", "NAME"),
                      C_ ("column", "DUE"), C_ ("column", "LAST TALKED"),
                      C_ ("column", "TAGS"), C_ ("column", "COMPANY"), NULL);
  ListPrinter p = { table, tb_cmd_now (), limit, 0, FALSE };

  if (tb_output_is_tty ())
    {
      p.measuring = TRUE;
      if (!tb_stream_foreach_line (fd, print_contact_row, &p, error))
        return FALSE;
      p.measuring = FALSE;
      p.seen = 0;
    }
  if (pager)
    tb_pager_start ();
  if (!tb_stream_foreach_line (fd, print_contact_row, &p, error))
    return FALSE;
  tb_table_flush (table);
  return TRUE;
}

/* WriteContactRows with @filter into a new memfd: its descriptor, or
 * -1. */
static int
fetch_contact_rows (TbDaemon1 *proxy, GVariant *filter, guint *count,
                    GError **error)
{
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  int index;
  int fd = tb_stream_memfd (fds, &index, error);

  if (fd < 0)
    return -1;
  if (!tb_daemon1_call_write_contact_rows_sync (
          proxy, g_variant_new_handle (index), filter, fds, count, NULL, NULL,
          error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Records asked for at a time by --json: the memfd holds one page,
 * however big the network. */
#define LIST_JSON_PAGE 1000

typedef struct
{
  TbJsonArray array;
  guint n; /* records of this page */
  /* The last one's place in the list, for the next page's "after". */
  gint64 due_at;
  char *tracking;
  char *name;
  gint64 id;
} ListJson;

static gboolean
print_contact_record (GVariant *record, gpointer user_data, GError **error)
{
  ListJson *j = user_data;
  const char *text;

  j->n++;
  j->due_at = tb_dict_get_int64 (record, "due_at");
  j->id = tb_dict_get_int64 (record, "id");
  g_free (j->tracking);
  j->tracking = g_variant_lookup (record, "tracking", "&s", &text)
                    ? g_strdup (text)
                    : g_strdup ("tracked");
  g_free (j->name);
  j->name = g_variant_lookup (record, "name", "&s", &text) ? g_strdup (text)
                                                           : g_strdup ("");
  tb_json_array_add (&j->array, tb_vardict_contact_to_json (record));
  return TRUE;
}

/* list --json: WriteContactRows' records with @filter (a{sv}, floating
 * or not; its "limit" is @limit, 0: all) a page at a time through one
 * memfd, each page after the last record of the one before. */
static int
print_list_json (TbDaemon1 *proxy, GVariant *filter, guint limit)
{
  g_autoptr (GVariant) base = g_variant_ref_sink (filter);
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr (GError) error = NULL;
  ListJson j = { 0 };
  guint printed = 0;
  gboolean ok = TRUE;
  int index;
  int fd = tb_stream_memfd (fds, &index, &error);

  if (fd < 0)
    return tb_cmd_error (error);
  tb_json_array_begin (&j.array, NULL, 0);
  for (;;)
    {
      g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (base);
      guint want
          = limit > 0 ? MIN (LIST_JSON_PAGE, limit - printed) : LIST_JSON_PAGE;
      guint count;

      if (want == 0)
        break;
      g_variant_dict_insert (&options, "format", "s", "records");
      g_variant_dict_insert (&options, "limit", "u", want);
      if (printed > 0)
        g_variant_dict_insert (&options, "after", "(xssx)", j.due_at,
                               j.tracking, j.name, j.id);
      if (ftruncate (fd, 0) < 0 || lseek (fd, 0, SEEK_SET) < 0)
        {
          int saved_errno = errno;

          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "%s", g_strerror (saved_errno));
          ok = FALSE;
          break;
        }
      ok = tb_daemon1_call_write_contact_rows_sync (
          proxy, g_variant_new_handle (index), g_variant_dict_end (&options),
          fds, &count, NULL, NULL, &error);
      j.n = 0;
      ok = ok
           && tb_stream_foreach_record (fd, print_contact_record, &j, &error);
      if (!ok)
        break;
      printed += j.n;
      if (j.n < want)
        break;
    }
  close (fd);
  g_free (j.tracking);
  g_free (j.name);
  if (!ok)
    {
      /* What was printed is not JSON: the error says so on stderr. */
      printf ("\n");
      return tb_cmd_error (error);
    }
  tb_json_array_end (&j.array);
  printf ("\n");
  return TB_EXIT_OK;
}

int
tb_cmd_list (int argc, char **argv)
{
  g_autofree char *tag = NULL;
  gboolean due = FALSE;
  gboolean never = FALSE;
  gboolean all = FALSE;
  gboolean json = FALSE;
  g_autofree char *limit_text = NULL;
  gboolean no_pager = FALSE;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all,
      N_ ("Everyone, also contacts you do not keep in touch with"), NULL },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag,
      N_ ("Only contacts with this tag"), N_ ("T") },
    { "due", 0, 0, G_OPTION_ARG_NONE, &due, N_ ("Only contacts due now"),
      NULL },
    { "never", 0, 0, G_OPTION_ARG_NONE, &never,
      N_ ("Only contacts you never talked to (no call, video, meeting or "
          "coffee)"),
      NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_ ("Show at most N contacts (0: all, the default)"), N_ ("N") },
    { "no-pager", 0, 0, G_OPTION_ARG_NONE, &no_pager,
      N_ ("Do not send the table through a pager"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GVariantDict) filter = G_VARIANT_DICT_INIT (NULL);
  TbDaemon1 *proxy;
  guint limit = 0;
  guint n = 0;
  gboolean ok;
  int fd;

  context = tb_cmd_context_new (
      NULL,
      N_ ("List the contacts you keep in touch with, soonest due first; "
          "paused ones last."),
      N_ ("On a terminal: a table, through $PAGER (else “less -FRX”). In "
          "a pipe: one tab-separated line per contact (id, name, due, last "
          "talked, tags, company)."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  if (limit_text != NULL
      && !tb_cmd_parse_limit ("--limit", limit_text, &limit, &error))
    return tb_cmd_error (error);

  if (tag != NULL)
    g_variant_dict_insert (&filter, "tag", "s", tag);
  if (due)
    g_variant_dict_insert (&filter, "due", "b", TRUE);
  if (never)
    g_variant_dict_insert (&filter, "never", "b", TRUE);
  /* Imported connections are not tracked until chosen: by default the
   * list is the people you keep in touch with, not your whole network. */
  if (!all)
    g_variant_dict_insert (&filter, "tracking", "s", "tracked");
  /* The daemon cuts the list: it builds no reply of every contact. */
  if (limit > 0)
    g_variant_dict_insert (&filter, "limit", "u",
                           json ? limit : tb_cmd_limit_to_ask (limit));

  /* No timeout: a whole network of a million takes seconds to write. */
  proxy = tb_cmd_get_slow_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);

  /* Records for JSON, which has every field, a page at a time; rows
   * otherwise. Either way the daemon writes them into a memfd as it
   * reads them. */
  if (json)
    return print_list_json (proxy, g_variant_dict_end (&filter), limit);
  fd = fetch_contact_rows (proxy, g_variant_dict_end (&filter), &n, &error);
  if (fd < 0)
    return tb_cmd_error (error);

  if (n == 0 && tb_output_is_tty ())
    {
      close (fd);
      printf ("%s\n", (tag != NULL || due || never) ? _ ("No contacts match.")
                      : all                         ? _ ("No contacts yet.")
                            : _ ("You keep in touch with nobody yet: "
                                 "“touchbase review” or “list --all”."));
      return TB_EXIT_OK;
    }
  ok = print_contact_rows (fd, limit, !no_pager, &error);
  close (fd);
  if (!ok)
    return tb_cmd_error (error);
  if (limit > 0 && n > limit)
    tb_cmd_print_more ();
  return TB_EXIT_OK;
}

/* @label is translated. */
static void
print_field (const char *label, const char *value)
{
  g_autofree char *padded = NULL;
  g_autofree char *safe = NULL;

  if (value == NULL || *value == '\0')
    return;
  padded = tb_output_pad (label, 18);
  safe = tb_output_clean_lines (value);
  printf ("  %s%s%s %s\n", tb_output_style (TB_STYLE_DIM), padded,
          tb_output_reset (), safe);
}

static void
print_time_field (const char *label, gint64 t)
{
  g_autofree char *text = NULL;

  if (t <= 0)
    return;
  text = tb_cmd_format_when (t);
  print_field (label, text);
}

static void
print_facts (GVariant *contact)
{
  static const struct
  {
    const char *kind;
    const char *title;
  } kinds[] = {
    { "interest", N_ ("Interests") },
    { "goal", N_ ("Goals") },
    { "offer", N_ ("Can help with") },
    { "need", N_ ("Looking for") },
  };
  g_autoptr (GVariant) facts
      = tb_dict_get_value (contact, "facts", G_VARIANT_TYPE ("aa{sv}"));

  if (facts == NULL)
    return;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      gboolean header = FALSE;

      for (gsize i = 0; i < g_variant_n_children (facts); i++)
        {
          g_autoptr (GVariant) f = g_variant_get_child_value (facts, i);

          if (g_strcmp0 (tb_dict_get_string (f, "kind"), kinds[k].kind) != 0)
            continue;
          if (!header)
            printf ("\n%s%s%s\n", tb_output_style (TB_STYLE_BOLD),
                    _ (kinds[k].title), tb_output_reset ());
          header = TRUE;
          {
            g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   tb_dict_get_int64 (f, "id"));
            /* Translators: %s is the id of the fact. */
            g_autofree char *fact = g_strdup_printf (_ ("(fact %s)"), id);

            g_autofree char *text
                = tb_output_clean (tb_dict_get_string (f, "text"));

            printf ("  - %s %s%s%s\n", text, tb_output_style (TB_STYLE_DIM),
                    fact, tb_output_reset ());
          }
        }
    }
}

static void
print_follow_ups (GVariant *contact)
{
  g_autoptr (GVariant) list
      = tb_dict_get_value (contact, "follow_ups", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr (TbTable) table = NULL;

  if (list == NULL || g_variant_n_children (list) == 0)
    return;
  printf ("\n%s%s%s\n", tb_output_style (TB_STYLE_BOLD), _ ("Follow-ups"),
          tb_output_reset ());
  table = tb_table_new (C_ ("column", "ID"), C_ ("column", "WHEN"),
                        C_ ("column", "TEXT"), NULL);
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr (GVariant) f = g_variant_get_child_value (list, i);
      g_autofree char *id
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (f, "id"));
      g_autofree char *when
          = tb_cmd_format_when_time (tb_dict_get_int64 (f, "due_at"));
      gboolean done = tb_dict_get_int64 (f, "done_at") > 0;
      g_autofree char *text
          = done ? g_strdup_printf (_ ("%s (done)"),
                                    tb_dict_get_string (f, "text"))
                 : g_strdup (tb_dict_get_string (f, "text"));

      tb_table_add_row (table, done ? TB_STYLE_DIM : TB_STYLE_NONE, id, when,
                        text, NULL);
    }
  tb_table_print (table);
}

static void
print_interactions (GVariant *contact)
{
  g_autoptr (GVariant) list
      = tb_dict_get_value (contact, "interactions", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr (TbTable) table = NULL;
  gboolean found = FALSE;

  printf ("\n%s%s%s\n", tb_output_style (TB_STYLE_BOLD), _ ("History"),
          tb_output_reset ());
  if (list == NULL || g_variant_n_children (list) == 0)
    {
      printf ("  %s\n", _ ("No interactions yet."));
      return;
    }
  for (gsize i = 0; i < g_variant_n_children (list) && !found; i++)
    {
      g_autoptr (GVariant) it = g_variant_get_child_value (list, i);

      found = tb_dict_get_string (it, "source") != NULL;
    }
  /* Which source found it, only when one did: a history typed by hand
   * keeps its three columns. */
  table = found ? tb_table_new (C_ ("column", "ID"), C_ ("column", "WHEN"),
                                C_ ("column", "KIND"), C_ ("column", "NOTE"),
                                C_ ("column", "FOUND IN"), NULL)
                : tb_table_new (C_ ("column", "ID"), C_ ("column", "WHEN"),
                                C_ ("column", "KIND"), C_ ("column", "NOTE"),
                                NULL);
  /* The daemon sends them newest first. The id is what "touchbase
   * history --rm/--edit" takes. */
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr (GVariant) it = g_variant_get_child_value (list, i);
      g_autofree char *when = tb_cmd_format_when (tb_dict_get_int64 (it, "at"));
      g_autofree char *iid
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (it, "id"));

      tb_table_add_row (table, TB_STYLE_NONE, iid, when,
                        tb_dict_get_string (it, "kind"),
                        tb_dict_get_string (it, "note"),
                        found ? tb_dict_get_string (it, "source") : NULL, NULL);
    }
  tb_table_print (table);
  /* GetContact sends the newest only. */
  {
    gint64 total = tb_dict_get_int64 (contact, "interactions_total");
    gsize shown = g_variant_n_children (list);

    if (total > (gint64) shown)
      {
        g_autofree char *more
            = g_strdup_printf ("%" G_GINT64_FORMAT, total - (gint64) shown);
        g_autofree char *id = g_strdup_printf (
            "%" G_GINT64_FORMAT, tb_dict_get_int64 (contact, "id"));

        /* Translators: "… and 250 older (touchbase history 12 --limit 0
         * shows them all)". */
        printf ("%s", tb_output_style (TB_STYLE_DIM));
        printf (_ ("… and %s older (touchbase history %s --limit 0 shows "
                   "them all)"),
                more, id);
        printf ("%s\n", tb_output_reset ());
      }
  }
}

static void
print_contact (GVariant *c)
{
  gint64 now = tb_cmd_now ();
  gint64 interval = tb_dict_get_int64 (c, "interval_seconds");
  gint64 snoozed_until = tb_dict_get_int64 (c, "snoozed_until");
  g_autofree char *tags = tags_cell (c);
  g_autofree char *every = interval > 0 ? tb_duration_format (interval) : NULL;
  g_autofree char *id
      = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (c, "id"));

  g_autofree char *name = tb_output_clean (tb_dict_get_string (c, "name"));

  printf ("%s%s%s\n", tb_output_style (TB_STYLE_BOLD), name,
          tb_output_reset ());
  print_field (_ ("Id"), id);
  print_field (_ ("Email"), tb_dict_get_string (c, "email"));
  {
    g_autoptr (GVariant) emails
        = tb_dict_get_value (c, "emails", G_VARIANT_TYPE_STRING_ARRAY);
    g_autofree const char **list
        = emails != NULL ? g_variant_get_strv (emails, NULL) : NULL;
    g_autofree char *joined
        = list != NULL ? g_strjoinv (", ", (char **) list) : NULL;

    print_field (_ ("Also"), joined);
  }
  print_field (_ ("Phone"), tb_dict_get_string (c, "phone"));
  print_field (_ ("Link"), tb_dict_get_string (c, "url"));
  print_field (_ ("Company"), tb_dict_get_string (c, "company"));
  print_field (_ ("Position"), tb_dict_get_string (c, "position"));
  print_field (_ ("Met"), tb_dict_get_string (c, "met"));
  print_field (_ ("Birthday"), tb_dict_get_string (c, "birthday"));
  print_field (_ ("Tags"), tags);
  print_field (_ ("Note"), tb_dict_get_string (c, "note"));
  print_field (_ ("Source"), tb_dict_get_string (c, "source"));
  print_time_field (_ ("Connected on"), tb_dict_get_int64 (c, "connected_on"));
  if (every == NULL) /* the keyword --every takes: untranslated */
    every = g_strdup ("default");
  print_field (_ ("Touch base every"), every);
  /* Most likely a "2m" of before, or a tag's interval mistyped: nobody
   * means to be reminded of a person several times a day. */
  if (interval > 0 && interval < TB_DAY)
    {
      g_autofree char *warning = g_strdup_printf (
          _ ("every %s is less than a day: reminders will come that often "
             "(“touchbase edit … --every 2mo” for two months)"),
          every);

      print_field (_ ("Warning"), warning);
    }
  if (g_strcmp0 (tb_dict_get_string (c, "tracking"), "not-tracked") == 0)
    print_field (_ ("Reminders"),
                 _ ("none: not tracked (“touchbase track” to keep in touch)"));
  else if (g_strcmp0 (tb_dict_get_string (c, "tracking"), "ignored") == 0)
    print_field (_ ("Reminders"), _ ("none: ignored"));
  else if (tb_dict_get_boolean (c, "paused"))
    print_field (_ ("Reminders"), _ ("paused"));
  else if (snoozed_until > now)
    {
      g_autofree char *until = tb_cmd_format_when_time (snoozed_until);

      print_field (_ ("Snoozed until"), until);
    }
  print_time_field (_ ("Due"), tb_dict_get_int64 (c, "due_at"));
  {
    g_autofree char *last
        = tb_cmd_format_when (tb_dict_get_int64 (c, "last_interaction_at"));
    g_autofree char *talked
        = tb_cmd_format_when (tb_dict_get_int64 (c, "last_conversation_at"));

    print_field (_ ("Last interaction"), last);
    print_field (_ ("Last talked"), talked);
  }
  print_facts (c);
  print_follow_ups (c);
  print_interactions (c);
}

int
tb_cmd_show (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  TbDaemon1 *proxy;
  gint64 id;

  context = tb_cmd_json_context_new (
      N_ ("CONTACT"),
      N_ ("Show everything about one contact, with its history."),
      N_ ("Facts are grouped by kind; the history is newest first."), &json);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;

  contact = fetch_contact (argv[1], &proxy, &id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);

  if (json)
    {
      g_autoptr (JsonNode) node = tb_vardict_contact_to_json (contact);
      JsonObject *object = json_node_get_object (node);

      /* docs/design.md §5: show always carries both lists. */
      if (!json_object_has_member (object, "facts"))
        json_object_set_array_member (object, "facts", json_array_new ());
      if (!json_object_has_member (object, "interactions"))
        json_object_set_array_member (object, "interactions",
                                      json_array_new ());
      tb_output_print_json (node);
    }
  else
    print_contact (contact);
  return TB_EXIT_OK;
}
