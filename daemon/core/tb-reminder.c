/* tb-reminder.c — the words of reminders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-reminder"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-reminder.h"
#include "tb-time.h"

void
tb_reminder_text_clear (TbReminderText *text)
{
  g_clear_pointer (&text->summary, g_free);
  g_clear_pointer (&text->body, g_free);
}

/* Appends @text to @body, escaped when the body is markup. Contact data
 * is untrusted: a name like "<b>Eve</b> & co" must arrive as text. */
static void
append_text (GString *body, const TbReminderStyle *style, const char *text)
{
  if (style->markup)
    {
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_string_append (body, escaped);
    }
  else
    g_string_append (body, text);
}

static void
append_emphasis (GString *body, const TbReminderStyle *style, const char *text)
{
  if (style->markup)
    g_string_append (body, "<i>");
  append_text (body, style, text);
  if (style->markup)
    g_string_append (body, "</i>");
}

/* "Last call: 3 days ago." for @kind: one sentence per kind, so that a
 * translation can inflect the noun. The English keeps the kind's
 * keyword ("Last video", "Last other"). */
static char *
last_interaction_line (TbInteractionKind kind, const char *when)
{
  switch (kind)
    {
      case TB_KIND_CALL:
        /* Translators: the body of a touch-base notification; %s is
         * relative, such as "3 days ago". */
        return g_strdup_printf (_ ("Last call: %s."), when);
      case TB_KIND_VIDEO:
        return g_strdup_printf (_ ("Last video: %s."), when);
      case TB_KIND_MEETING:
        return g_strdup_printf (_ ("Last meeting: %s."), when);
      case TB_KIND_COFFEE:
        return g_strdup_printf (_ ("Last coffee: %s."), when);
      case TB_KIND_EMAIL:
        return g_strdup_printf (_ ("Last email: %s."), when);
      case TB_KIND_MESSAGE:
        return g_strdup_printf (_ ("Last message: %s."), when);
      case TB_KIND_INTRO:
        return g_strdup_printf (_ ("Last intro: %s."), when);
      case TB_KIND_OTHER:
      default:
        /* Translators: the last interaction was of the kind "other". */
        return g_strdup_printf (_ ("Last other: %s."), when);
    }
}

/* A goal, else a need, else an interest: the first of each kind. */
static const TbFact *
worth_asking (GPtrArray *facts)
{
  const TbFact *need = NULL;
  const TbFact *interest = NULL;

  for (guint i = 0; facts && i < facts->len; i++)
    {
      const TbFact *f = g_ptr_array_index (facts, i);

      if (f->kind == TB_FACT_GOAL)
        return f;
      if (f->kind == TB_FACT_NEED && need == NULL)
        need = f;
      if (f->kind == TB_FACT_INTEREST && interest == NULL)
        interest = f;
    }
  return need != NULL ? need : interest;
}

/* "UX Researcher at Solara", either one alone, or NULL. */
static char *
headline (const TbContact *c)
{
  if (c->position != NULL && *c->position != '\0' && c->company != NULL
      && *c->company != '\0')
    /* Translators: a position and a company, "UX Researcher at Solara". */
    return g_strdup_printf (_ ("%s at %s"), c->position, c->company);
  if (c->position != NULL && *c->position != '\0')
    return g_strdup (c->position);
  if (c->company != NULL && *c->company != '\0')
    return g_strdup (c->company);
  return NULL;
}

/* A note on one line, and short: a notification is not the place for a
 * page of minutes. */
#define NOTE_CHARS 140

static char *
short_note (const char *note)
{
  g_autofree char *line = g_strdup (note);

  g_strdelimit (line, "\r\n\t", ' ');
  g_strstrip (line);
  if (g_utf8_strlen (line, -1) <= NOTE_CHARS)
    return g_steal_pointer (&line);
  {
    g_autofree char *cut = g_utf8_substring (line, 0, NOTE_CHARS - 1);

    return g_strconcat (g_strchomp (cut), "…", NULL);
  }
}

static void
append_line_break (GString *body)
{
  if (body->len > 0)
    g_string_append_c (body, '\n');
}

void
tb_reminder_for_contact (const TbContact *c, GPtrArray *facts,
                         const TbInteraction *last,
                         const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  const TbFact *ask = worth_asking (facts);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);
  g_autofree char *who = headline (c);

  out->summary = g_strdup_printf (_ ("Touch base with %s"), c->name);

  if (who != NULL)
    {
      append_text (body, style, who);
      g_string_append_c (body, '\n');
    }
  if (last != NULL || c->last_interaction_at > 0)
    {
      gint64 at = last != NULL ? last->at : c->last_interaction_at;
      TbInteractionKind kind
          = last != NULL ? last->kind : c->last_interaction_kind;
      g_autofree char *when
          = tb_time_format_relative (at, style->now, style->tz);
      g_autofree char *line = last_interaction_line (kind, when);

      append_text (body, style, line);
      if (last != NULL && last->note != NULL && *last->note != '\0')
        {
          g_autofree char *note = short_note (last->note);

          g_string_append_c (body, ' ');
          /* Translators: quotes around the note of the last
           * interaction. */
          append_text (body, style, _ ("“"));
          append_emphasis (body, style, note);
          append_text (body, style, _ ("”"));
        }
    }
  else if (c->connected_on > 0)
    {
      g_autofree char *when
          = tb_time_format_relative (c->connected_on, style->now, style->tz);
      /* Translators: %s is relative, such as "2 months ago". */
      g_autofree char *line
          = g_strdup_printf (_ ("Connected %s, never talked since."), when);

      append_text (body, style, line);
    }
  else
    append_text (body, style, _ ("You have not talked yet."));

  if (c->due_at > 0 && c->due_at < style->now)
    {
      g_autofree char *when
          = tb_time_format_relative (c->due_at, style->now, style->tz);
      /* Translators: how overdue; %s is relative, such as "10 days
       * ago" or "today". */
      g_autofree char *line = g_strdup_printf (_ ("Due %s."), when);

      append_line_break (body);
      append_text (body, style, line);
    }

  if (ask != NULL)
    {
      append_line_break (body);
      /* Translators: each is followed by a goal, a need or an interest
       * of the contact, in italics. */
      append_text (body, style,
                   ask->kind == TB_FACT_GOAL   ? _ ("Ask about: ")
                   : ask->kind == TB_FACT_NEED ? _ ("Looking for: ")
                                               : _ ("Interested in: "));
      append_emphasis (body, style, ask->text);
    }
  if (!style->actions)
    {
      /* Translators: without buttons the notification names the
       * commands; %s is the contact's id; "call" is the keyword of
       * --kind, a kind that counts as talking. */
      g_autofree char *hint = g_strdup_printf (
          _ ("Talked? touchbase log %s --kind call   Later? touchbase "
             "snooze %s"),
          id, id);

      g_string_append_c (body, '\n');
      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_follow_up (const TbFollowUp *f, const TbReminderStyle *style,
                           TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->id);

  out->summary = g_strdup_printf (_ ("Follow up with %s"),
                                  f->contact_name ? f->contact_name : "?");
  append_text (body, style, f->text);
  if (!style->actions)
    {
      /* Translators: %s is the follow-up's id. */
      g_autofree char *hint
          = g_strdup_printf (_ ("Done? touchbase follow-up --done %s"), id);

      g_string_append_c (body, '\n');
      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_birthday (const TbContact *c, int age,
                          const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);

  if (age > 0)
    out->summary = g_strdup_printf (
        /* Translators: "Ana Silva turns 41 today". */
        g_dngettext (NULL, "%s turns %d today", "%s turns %d today", age),
        c->name, age);
  else
    out->summary = g_strdup_printf (_ ("It is %s's birthday today"), c->name);
  append_text (body, style, _ ("A good day to send a note."));
  if (!style->actions)
    {
      /* Translators: %s is the contact's id; "message" is the keyword
       * of --kind. */
      g_autofree char *hint = g_strdup_printf (
          _ ("Sent one? touchbase log %s --kind message"), id);

      g_string_append_c (body, '\n');
      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_digest (GPtrArray *names, const TbReminderStyle *style,
                    TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  const guint shown = MIN (names->len, 5);

  out->summary = g_strdup_printf (g_dngettext (NULL,
                                               "%u more person to "
                                               "touch base with",
                                               "%u more people to touch "
                                               "base with",
                                               names->len),
                                  names->len);
  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append (body, ", ");
      append_text (body, style, g_ptr_array_index (names, i));
    }
  if (names->len > shown)
    {
      /* Translators: after the first names of the digest: "Ana, Bo,
       * Cy, Di, Ed and 3 more". */
      g_autofree char *more = g_strdup_printf (
          g_dngettext (NULL, "and %u more", "and %u more", names->len - shown),
          names->len - shown);

      g_string_append_c (body, ' ');
      append_text (body, style, more);
    }
  g_string_append_c (body, '.');
  if (!style->actions)
    {
      g_string_append_c (body, '\n');
      append_text (body, style, _ ("See: touchbase due"));
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_intro (gint64 a_id, const char *a_name, gint64 b_id,
                       const char *b_name, const char *reason,
                       const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, a_id);
  g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, b_id);

  out->summary = g_strdup_printf (_ ("Introduce %s and %s?"), a_name, b_name);
  append_text (body, style, reason);
  if (!style->actions)
    {
      /* Translators: the ids of the two contacts, twice. */
      g_autofree char *hint = g_strdup_printf (
          _ ("Yes? touchbase introduce %s %s   Never? touchbase intros "
             "--decline %s %s"),
          a, b, a, b);

      g_string_append_c (body, '\n');
      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_review (const TbContact *c, const char *reason,
                        const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *who = headline (c);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);

  /* Translators: the summary of a review notification. */
  out->summary = g_strdup_printf (_ ("Keep in touch with %s?"), c->name);
  if (who != NULL)
    {
      append_text (body, style, who);
      if (reason != NULL && *reason != '\0')
        g_string_append (body, ", ");
    }
  if (reason != NULL)
    append_text (body, style, reason);
  if (!style->actions)
    {
      /* Translators: without buttons the notification names the
       * commands; %s is the contact's id. */
      g_autofree char *hint = g_strdup_printf (
          _ ("Yes? touchbase track %s --every 1mo   Not now? touchbase "
             "review"),
          id);

      g_string_append_c (body, '\n');
      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}
