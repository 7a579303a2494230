/* tb-contact.c — the plain records and their string forms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-contact"

#include "config.h"

#include "tb-contact.h"

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
