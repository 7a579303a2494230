/* tb-vardict.c — records as a{sv}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-vardict"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-error.h"
#include "tb-text.h"
#include "tb-time.h"
#include "tb-vardict.h"

static void
add_str (GVariantBuilder *b, const char *key, const char *value)
{
  if (value != NULL)
    g_variant_builder_add (b, "{sv}", key, g_variant_new_string (value));
}

static void
add_time (GVariantBuilder *b, const char *key, gint64 value)
{
  if (value != 0)
    g_variant_builder_add (b, "{sv}", key, g_variant_new_int64 (value));
}

static void
add_int (GVariantBuilder *b, const char *key, gint64 value)
{
  g_variant_builder_add (b, "{sv}", key, g_variant_new_int64 (value));
}

GVariant *
tb_vardict_from_contact (const TbContact *c)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_int (&b, "id", c->id);
  add_str (&b, "uid", c->uid);
  add_str (&b, "name", c->name);
  add_str (&b, "email", c->email);
  add_str (&b, "phone", c->phone);
  add_str (&b, "url", c->url);
  add_str (&b, "company", c->company);
  add_str (&b, "position", c->position);
  add_str (&b, "met", c->met);
  add_str (&b, "note", c->note);
  add_str (&b, "birthday", c->birthday);
  add_str (&b, "source", c->source);
  g_variant_builder_add (
      &b, "{sv}", "tags",
      g_variant_new_strv ((const char *const *) c->tags, c->tags ? -1 : 0));
  add_int (&b, "interval_seconds", c->effective_interval);
  if (c->interval > 0)
    add_int (&b, "own_interval_seconds", c->interval);
  add_time (&b, "created_at", c->created_at);
  add_time (&b, "due_at", c->due_at);
  add_time (&b, "next_alert_at", c->next_alert_at);
  add_time (&b, "last_interaction_at", c->last_interaction_at);
  if (c->last_interaction_at != 0)
    add_str (&b, "last_interaction_kind",
             tb_interaction_kind_to_string (c->last_interaction_kind));
  add_time (&b, "last_conversation_at", c->last_conversation_at);
  add_time (&b, "snoozed_until", c->snoozed_until);
  add_time (&b, "connected_on", c->connected_on);
  g_variant_builder_add (&b, "{sv}", "paused",
                         g_variant_new_boolean (c->paused));
  g_variant_builder_add (
      &b, "{sv}", "tracking",
      g_variant_new_string (tb_tracking_to_string (c->tracking)));
  if (c->matched != NULL)
    g_variant_builder_add (
        &b, "{sv}", "matched",
        g_variant_new_strv ((const char *const *) c->matched, -1));
  return g_variant_builder_end (&b);
}

GVariant *
tb_vardict_from_candidate (const TbNameCandidate *candidate)
{
  g_autoptr (GVariant) contact
      = g_variant_ref_sink (tb_vardict_from_contact (candidate->contact));
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  /* The contact's record as everywhere else, and how the name matched. */
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, contact);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&b, "{sv}", key, value);
      g_variant_unref (value);
    }
  add_str (&b, "match", tb_name_match_to_string (candidate->match));
  return g_variant_builder_end (&b);
}

GVariant *
tb_vardict_from_fact (const TbFact *f)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_int (&b, "id", f->id);
  add_str (&b, "kind", tb_fact_kind_to_string (f->kind));
  add_str (&b, "text", f->text);
  return g_variant_builder_end (&b);
}

GVariant *
tb_vardict_from_interaction (const TbInteraction *i)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_int (&b, "id", i->id);
  add_time (&b, "at", i->at);
  add_str (&b, "kind", tb_interaction_kind_to_string (i->kind));
  add_str (&b, "note", i->note);
  add_str (&b, "source", i->source);
  return g_variant_builder_end (&b);
}

GVariant *
tb_vardict_from_follow_up (const TbFollowUp *f)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_int (&b, "id", f->id);
  add_int (&b, "contact_id", f->contact_id);
  add_str (&b, "name", f->contact_name);
  add_time (&b, "due_at", f->due_at);
  add_time (&b, "done_at", f->done_at);
  add_str (&b, "text", f->text);
  return g_variant_builder_end (&b);
}

GVariant *
tb_vardict_array (GPtrArray *records, GVariant *(*func) (gconstpointer record))
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; records && i < records->len; i++)
    g_variant_builder_add_value (&b, func (g_ptr_array_index (records, i)));
  return g_variant_builder_end (&b);
}

static const struct
{
  const char *key;
  TbFieldMask field;
  gsize offset;
} string_keys[] = {
  { "name", TB_FIELD_NAME, G_STRUCT_OFFSET (TbContact, name) },
  { "email", TB_FIELD_EMAIL, G_STRUCT_OFFSET (TbContact, email) },
  { "phone", TB_FIELD_PHONE, G_STRUCT_OFFSET (TbContact, phone) },
  { "url", TB_FIELD_URL, G_STRUCT_OFFSET (TbContact, url) },
  { "company", TB_FIELD_COMPANY, G_STRUCT_OFFSET (TbContact, company) },
  { "position", TB_FIELD_POSITION, G_STRUCT_OFFSET (TbContact, position) },
  { "met", TB_FIELD_MET, G_STRUCT_OFFSET (TbContact, met) },
  { "note", TB_FIELD_NOTE, G_STRUCT_OFFSET (TbContact, note) },
  { "birthday", TB_FIELD_BIRTHDAY, G_STRUCT_OFFSET (TbContact, birthday) },
};

static gboolean
wrong_type (const char *key, const char *expected, GError **error)
{
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("Field “%s” must be of type %s"), key, expected);
  return FALSE;
}

static gboolean
read_facts (GVariant *value, TbContact *out, GError **error)
{
  GVariantIter iter;
  const char *kind_str, *text;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("a(ss)")))
    return wrong_type ("facts", "a(ss)", error);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s)", &kind_str, &text))
    {
      TbFactKind kind;

      if (!tb_fact_kind_from_string (kind_str, &kind))
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown kind of fact “%s” (interest, goal, offer, "
                          "need)"),
                       kind_str);
          return FALSE;
        }
      tb_contact_add_fact (out, tb_fact_new (kind, text));
    }
  return TRUE;
}

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
read_string (const char *key, GVariant *value, TbContact *out,
             TbFieldMask *mask, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_keys); i++)
    {
      char **slot;

      if (strcmp (key, string_keys[i].key) != 0)
        continue;
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return wrong_type (key, "s", error);
      slot = &G_STRUCT_MEMBER (char *, out, string_keys[i].offset);
      /* As an import cleans what it reads: a note keeps its lines, every
       * other field is one line, and no control character is stored to
       * reach a terminal or a notification later. "" stays "" (it
       * clears the field). */
      {
        const char *text = g_variant_get_string (value, NULL);
        gboolean lines = string_keys[i].field == TB_FIELD_NOTE
                         || string_keys[i].field == TB_FIELD_MET;

        /* An address or a link with a control character in it is not
         * one made safe by turning it into a space: it is refused. */
        if (string_keys[i].field == TB_FIELD_EMAIL && has_control (text))
          return tb_email_check (text, error);
        if (string_keys[i].field == TB_FIELD_URL && has_control (text))
          return tb_url_check (text, error);

        g_free (*slot);
        *slot = lines ? tb_text_strip (text) : tb_text_collapse (text);
        if (*slot == NULL)
          *slot = g_strdup ("");
      }
      *mask |= string_keys[i].field;
      return TRUE;
    }
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("Unknown contact field “%s”"), key);
  return FALSE;
}

gboolean
tb_vardict_to_contact (GVariant *fields, TbContact *out, TbFieldMask *mask,
                       GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value_raw;

  *mask = 0;
  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value_raw))
    {
      g_autoptr (GVariant) value = value_raw;

      if (strcmp (key, "tags") == 0)
        {
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
            return wrong_type (key, "as", error);
          g_strfreev (out->tags);
          out->tags = g_variant_dup_strv (value, NULL);
          *mask |= TB_FIELD_TAGS;
        }
      else if (strcmp (key, "interval_seconds") == 0)
        {
          if (!g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
            return wrong_type (key, "x", error);
          out->interval = g_variant_get_int64 (value);
          if (out->interval < 0)
            {
              g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                   _ ("The interval must be positive"));
              return FALSE;
            }
          *mask |= TB_FIELD_INTERVAL;
        }
      else if (strcmp (key, "facts") == 0)
        {
          if (!read_facts (value, out, error))
            return FALSE;
        }
      else if (!read_string (key, value, out, mask, error))
        return FALSE;
    }

  if ((*mask & TB_FIELD_BIRTHDAY) && out->birthday && *out->birthday)
    {
      g_autofree char *normal = NULL;

      if (!tb_birthday_parse (out->birthday, &normal, error))
        return FALSE;
      g_free (out->birthday);
      out->birthday = g_steal_pointer (&normal);
    }
  return TRUE;
}
