/* tb-intros.h — suggesting introductions: who needs what someone else
 * offers, and the text that makes the introduction. Pure logic: contacts in,
 * suggestions and strings out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

/* A big network has millions of weak pairs; nobody reads past this. */
#define TB_INTROS_MAX_SUGGESTIONS 500

typedef struct
{
  gint64 a_id;
  char *a_name; /* (owned) */
  gint64 b_id;
  char *b_name; /* (owned) */
  char *reason; /* (owned): "Ana is looking for a UX designer; Bo offers ..." */
  double score; /* higher is better; about 0.4 .. 2.1 */
} TbIntroSuggestion;

void tb_intro_suggestion_free (TbIntroSuggestion *suggestion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbIntroSuggestion, tb_intro_suggestion_free)

/* Pairs of @contacts (element-type TbContact, with their facts) where one's
 * need (or goal) is met by the other's offer, in either direction, scored
 * by how much of the need the offer covers (rare words count more than
 * common ones), with a bonus when it works both ways and for shared
 * interests and tags. Shared interests and tags alone never make a pair,
 * nor do filler words, nor a person with themselves. Pairs whose
 * tb_intros_pair_key() is in @excluded (nullable) are left out.
 * In each suggestion, a is the one whose need matched best.
 * Exact for any network where no need is met by more than 48 people;
 * beyond that each need and each offer of a person looks at the 48
 * best-matching people only (a different 48 per person among equals), so
 * a huge tie is sampled, not enumerated; bench/bench-intros measures it
 * (bench/README.md).
 * Best first, at most @limit (0: all), and never more than
 * TB_INTROS_MAX_SUGGESTIONS.
 * Returns: (element-type TbIntroSuggestion) (transfer full) */
GPtrArray *tb_intros_suggest (GPtrArray *contacts, GHashTable *excluded,
                              guint limit);

/* "3:17" for (3, 17) and (17, 3). */
char *tb_intros_pair_key (gint64 a, gint64 b);

/* A key set for tb_intros_suggest()'s @excluded: call
 * tb_intros_exclude() for each pair already introduced or declined. */
GHashTable *tb_intros_exclusions_new (void);
void tb_intros_exclude (GHashTable *exclusions, gint64 a, gint64 b);

/* "Introduction: Ana Silva and Bo Berg" */
char *tb_intros_compose_subject (const TbContact *a, const TbContact *b);

/* A double opt-in introduction, to send to both once each has said yes:
 * who the other is and why they should talk (from their matching facts),
 * plus @note (nullable) in its own paragraph. Plain text. */
char *tb_intros_compose_text (const TbContact *a, const TbContact *b,
                              const char *note);

/* "mailto:ana@x,bo@y?subject=...&body=..." with every part
 * percent-encoded (RFC 6068), so no field can add headers or recipients.
 * Contacts without a usable address are left out of the recipients. */
char *tb_intros_mailto_uri (const TbContact *a, const TbContact *b,
                            const char *subject, const char *body);

G_END_DECLS
