/* tb-reminder.h — what a reminder says. Pure text, so the wording and
 * the escaping are tested without a notification server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean markup;  /* the server renders body markup: escape everything */
  gboolean actions; /* the server shows buttons; else name the commands */
  gint64 now;
  GTimeZone *tz;
} TbReminderStyle;

typedef struct
{
  char *summary; /* (owned) plain text: the summary never takes markup */
  char *body;    /* (owned) markup or plain text, per the style */
} TbReminderText;

void tb_reminder_text_clear (TbReminderText *text);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbReminderText, tb_reminder_text_clear)

/* A touch-base reminder: names the person, their position and company,
 * says when you last talked and how with that interaction's note (@last,
 * nullable: then the contact's own last_interaction_*), how overdue they
 * are, and one thing worth asking about (a goal, else a need, else an
 * interest). @facts may be NULL (element-type TbFact). */
void tb_reminder_for_contact (const TbContact *contact, GPtrArray *facts,
                              const TbInteraction *last,
                              const TbReminderStyle *style,
                              TbReminderText *out);

void tb_reminder_for_follow_up (const TbFollowUp *follow_up,
                                const TbReminderStyle *style,
                                TbReminderText *out);

/* A birthday today: "Ana Silva turns 41 today" (@age 0: not known). */
void tb_reminder_for_birthday (const TbContact *contact, int age,
                               const TbReminderStyle *style,
                               TbReminderText *out);

/* One notification for the rest of a batch: "7 people to touch base
 * with", listing the first few names. */
void tb_reminder_digest (GPtrArray *names, const TbReminderStyle *style,
                         TbReminderText *out);

/* A suggested introduction: "Introduce Ana Silva and Bo Berg?" with the
 * reason as the body. */
void tb_reminder_for_intro (gint64 a_id, const char *a_name, gint64 b_id,
                            const char *b_name, const char *reason,
                            const TbReminderStyle *style, TbReminderText *out);

/* A contact of the review queue: "Keep in touch with Ana Lima?", and
 * who they are ("UX Researcher at Solara") with @reason, why they ranked
 * high ("connected 5 Jan 2026 · same company as Bo Berg"). */
void tb_reminder_for_review (const TbContact *contact, const char *reason,
                             const TbReminderStyle *style, TbReminderText *out);

G_END_DECLS
