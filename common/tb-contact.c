/* tb-contact.c — the plain records and their string forms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contact"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-contact.h"
#include "tb-error.h"

static const char *const fact_kinds[] = { "interest", "goal", "offer", "need" };
static const char *const interaction_kinds[] = {
  "call", "video", "meeting", "coffee", "email", "message", "intro", "other",
};
static const char *const intro_statuses[] = {
  "suggested",
  "declined",
  "made",
  "connected",
};

/* In the order of TbTracking's stored values. */
static const char *const trackings[] = { "not-tracked", "tracked", "ignored" };

static gboolean
lookup (const char *const *names, guint n_names, const char *str, int *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (names[i], str) == 0)
        {
          *out = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tb_fact_kind_to_string (TbFactKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (fact_kinds), NULL);
  return fact_kinds[kind];
}

gboolean
tb_fact_kind_from_string (const char *str, TbFactKind *out)
{
  int v;

  if (!lookup (fact_kinds, G_N_ELEMENTS (fact_kinds), str, &v))
    return FALSE;
  *out = (TbFactKind) v;
  return TRUE;
}

const char *
tb_interaction_kind_to_string (TbInteractionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (interaction_kinds), NULL);
  return interaction_kinds[kind];
}

gboolean
tb_interaction_kind_from_string (const char *str, TbInteractionKind *out)
{
  int v;

  if (!lookup (interaction_kinds, G_N_ELEMENTS (interaction_kinds), str, &v))
    return FALSE;
  *out = (TbInteractionKind) v;
  return TRUE;
}

gboolean
tb_interaction_kind_is_conversation (TbInteractionKind kind)
{
  return kind == TB_KIND_CALL || kind == TB_KIND_VIDEO
         || kind == TB_KIND_MEETING || kind == TB_KIND_COFFEE;
}

const char *
tb_intro_status_to_string (TbIntroStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (intro_statuses), NULL);
  return intro_statuses[status];
}

TbContact *
tb_contact_new (void)
{
  TbContact *contact = g_new0 (TbContact, 1);

  contact->last_interaction_kind = TB_KIND_OTHER;
  /* A contact someone adds is one they mean to keep in touch with; the
   * importer says otherwise for the records it reads. */
  contact->tracking = TB_TRACKING_TRACKED;
  return contact;
}

void
tb_contact_free (TbContact *contact)
{
  if (contact == NULL)
    return;
  g_free (contact->uid);
  g_free (contact->name);
  g_free (contact->email);
  g_free (contact->phone);
  g_free (contact->url);
  g_free (contact->company);
  g_free (contact->position);
  g_free (contact->met);
  g_free (contact->note);
  g_free (contact->birthday);
  g_free (contact->source);
  g_strfreev (contact->tags);
  g_strfreev (contact->other_emails);
  g_free (contact->name_key);
  g_free (contact->url_key);
  g_free (contact->email_key);
  g_strfreev (contact->matched);
  g_clear_pointer (&contact->facts, g_ptr_array_unref);
  g_free (contact);
}

TbFact *
tb_fact_new (TbFactKind kind, const char *text)
{
  TbFact *fact = g_new0 (TbFact, 1);

  fact->kind = kind;
  fact->text = g_strdup (text);
  return fact;
}

void
tb_fact_free (TbFact *fact)
{
  if (fact == NULL)
    return;
  g_free (fact->text);
  g_free (fact);
}

void
tb_contact_add_fact (TbContact *contact, TbFact *fact)
{
  if (contact->facts == NULL)
    contact->facts
        = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_fact_free);
  g_ptr_array_add (contact->facts, fact);
}

void
tb_interaction_free (TbInteraction *interaction)
{
  if (interaction == NULL)
    return;
  g_free (interaction->note);
  g_free (interaction->source);
  g_free (interaction);
}

void
tb_follow_up_free (TbFollowUp *follow_up)
{
  if (follow_up == NULL)
    return;
  g_free (follow_up->text);
  g_free (follow_up->contact_name);
  g_free (follow_up->contact_uid);
  g_free (follow_up);
}

void
tb_introduction_free (TbIntroduction *intro)
{
  if (intro == NULL)
    return;
  g_free (intro->note);
  g_free (intro);
}

const char *
tb_tracking_to_string (TbTracking tracking)
{
  g_return_val_if_fail ((guint) tracking < G_N_ELEMENTS (trackings), NULL);
  return trackings[tracking];
}

gboolean
tb_tracking_from_string (const char *str, TbTracking *out)
{
  int v;

  if (!lookup (trackings, G_N_ELEMENTS (trackings), str, &v))
    return FALSE;
  *out = (TbTracking) v;
  return TRUE;
}

/* A limit is what keeps one record from making every later reply, list
 * and notification as big: a text past it is refused, never cut, so
 * nothing is stored other than what was given. */
gboolean
tb_text_check_size (const char *what, const char *text, gsize max,
                    GError **error)
{
  gsize len = text != NULL ? strlen (text) : 0;
  g_autofree char *len_text = NULL, *max_text = NULL;

  if (len <= max)
    return TRUE;
  len_text = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
  max_text = g_strdup_printf ("%" G_GSIZE_FORMAT, max);
  /* Translators: "The note is 20971520 bytes long; at most 100000 are
   * kept". */
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("%s is %s bytes long; at most %s are kept"), what, len_text,
               max_text);
  return FALSE;
}

gboolean
tb_email_check (const char *email, GError **error)
{
  const char *at = email != NULL ? strchr (email, '@') : NULL;
  gboolean ok = at != NULL && at != email && at[1] != '\0'
                && strchr (at + 1, '@') == NULL
                && g_utf8_validate (email, -1, NULL);

  for (const char *p = email; ok && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      ok = !g_unichar_isspace (c) && !g_unichar_iscntrl (c);
    }
  if (!ok)
    {
      g_autofree char *shown
          = email != NULL ? g_utf8_make_valid (email, -1) : g_strdup ("");

      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an e-mail address (one @ between a name "
                      "and a domain, no spaces)"),
                   shown);
    }
  return ok;
}

gboolean
tb_url_check (const char *url, GError **error)
{
  gboolean ok = url != NULL && g_utf8_validate (url, -1, NULL);

  for (const char *p = url; ok && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      ok = !g_unichar_isspace (c) && !g_unichar_iscntrl (c);
    }
  if (!ok)
    {
      g_autofree char *shown
          = url != NULL ? g_utf8_make_valid (url, -1) : g_strdup ("");

      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a link: it has a space, a line break or "
                      "another control character"),
                   shown);
    }
  return ok;
}

gboolean
tb_contact_check_sizes (const TbContact *c, GError **error)
{
  guint n_tags = c->tags != NULL ? g_strv_length (c->tags) : 0;
  guint n_facts = c->facts != NULL ? c->facts->len : 0;

  if (!tb_text_check_size (_ ("The name"), c->name, TB_TEXT_MAX_LINE, error)
      || !tb_text_check_size (_ ("The e-mail address"), c->email,
                              TB_TEXT_MAX_LINE, error)
      || !tb_text_check_size (_ ("The phone number"), c->phone,
                              TB_TEXT_MAX_LINE, error)
      || !tb_text_check_size (_ ("The company"), c->company, TB_TEXT_MAX_LINE,
                              error)
      || !tb_text_check_size (_ ("The position"), c->position, TB_TEXT_MAX_LINE,
                              error)
      || !tb_text_check_size (_ ("The birthday"), c->birthday, TB_TEXT_MAX_LINE,
                              error)
      || !tb_text_check_size (_ ("The link"), c->url, TB_TEXT_MAX_URL, error)
      || !tb_text_check_size (_ ("The note"), c->note, TB_TEXT_MAX_NOTE, error)
      || !tb_text_check_size (_ ("How you met"), c->met, TB_TEXT_MAX_NOTE,
                              error))
    return FALSE;
  if (n_tags > TB_TEXT_MAX_TAGS || n_facts > TB_TEXT_MAX_FACTS)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("A contact has at most %d tags and %d facts (here: %u "
                      "and %u)"),
                   TB_TEXT_MAX_TAGS, TB_TEXT_MAX_FACTS, n_tags, n_facts);
      return FALSE;
    }
  for (guint i = 0; i < n_tags; i++)
    if (!tb_text_check_size (_ ("A tag"), c->tags[i], TB_TEXT_MAX_TAG, error))
      return FALSE;
  for (guint i = 0; i < n_facts; i++)
    {
      const TbFact *fact = g_ptr_array_index (c->facts, i);

      if (!tb_text_check_size (_ ("A fact"), fact->text, TB_TEXT_MAX_FACT,
                               error))
        return FALSE;
    }
  return TRUE;
}
