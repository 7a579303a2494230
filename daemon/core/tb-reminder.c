/* tb-reminder.c — the words of reminders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-reminder"

#include "config.h"

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

static const TbFact *
worth_asking (GPtrArray *facts)
{
  const TbFact *need = NULL;

  for (guint i = 0; facts && i < facts->len; i++)
    {
      const TbFact *f = g_ptr_array_index (facts, i);

      if (f->kind == TB_FACT_GOAL)
        return f;
      if (f->kind == TB_FACT_NEED && need == NULL)
        need = f;
    }
  return need;
}

void
tb_reminder_for_contact (const TbContact *c, GPtrArray *facts,
                         const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);
  const TbFact *ask = worth_asking (facts);

  out->summary = g_strdup_printf ("Touch base with %s", c->name);

  if (c->last_interaction_at > 0)
    {
      g_autofree char *when = tb_time_format_relative (c->last_interaction_at,
                                                       style->now, style->tz);
      g_autofree char *line = g_strdup_printf (
          "Last %s: %s.",
          tb_interaction_kind_to_string (c->last_interaction_kind), when);

      append_text (body, style, line);
    }
  else if (c->connected_on > 0)
    {
      g_autofree char *when
          = tb_time_format_relative (c->connected_on, style->now, style->tz);
      g_autofree char *line
          = g_strdup_printf ("Connected %s, never talked since.", when);

      append_text (body, style, line);
    }
  else
    append_text (body, style, "You have not talked yet.");

  if (ask != NULL)
    {
      g_string_append_c (body, '\n');
      append_text (body, style,
                   ask->kind == TB_FACT_GOAL ? "Ask about: " : "Looking for: ");
      append_emphasis (body, style, ask->text);
    }
  if (!style->actions)
    {
      g_autofree char *hint
          = g_strdup_printf ("\nDone? touchbase log %" G_GINT64_FORMAT
                             "   Later? touchbase snooze %" G_GINT64_FORMAT,
                             c->id, c->id);

      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_follow_up (const TbFollowUp *f, const TbReminderStyle *style,
                           TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);

  out->summary = g_strdup_printf ("Follow up with %s",
                                  f->contact_name ? f->contact_name : "?");
  append_text (body, style, f->text);
  if (!style->actions)
    {
      g_autofree char *hint = g_strdup_printf (
          "\nDone? touchbase follow-up --done %" G_GINT64_FORMAT, f->id);

      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_birthday (const TbContact *c, int age,
                          const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);

  if (age > 0)
    out->summary = g_strdup_printf ("%s turns %d today", c->name, age);
  else
    out->summary = g_strdup_printf ("It is %s's birthday today", c->name);
  append_text (body, style, "A good day to send a note.");
  if (!style->actions)
    {
      g_autofree char *hint = g_strdup_printf (
          "\nSent one? touchbase log %" G_GINT64_FORMAT " --kind message",
          c->id);

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
      g_autofree char *more
          = g_strdup_printf (" and %u more", names->len - shown);
      append_text (body, style, more);
    }
  append_text (body, style, style->actions ? "." : ".\nSee: touchbase due");
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}

void
tb_reminder_for_intro (gint64 a_id, const char *a_name, gint64 b_id,
                       const char *b_name, const char *reason,
                       const TbReminderStyle *style, TbReminderText *out)
{
  g_autoptr (GString) body = g_string_new (NULL);

  out->summary = g_strdup_printf ("Introduce %s and %s?", a_name, b_name);
  append_text (body, style, reason);
  if (!style->actions)
    {
      g_autofree char *hint = g_strdup_printf (
          "\nYes? touchbase introduce %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
          "   Never? touchbase intros --decline %" G_GINT64_FORMAT
          " %" G_GINT64_FORMAT,
          a_id, b_id, a_id, b_id);

      append_text (body, style, hint);
    }
  out->body = g_string_free (g_steal_pointer (&body), FALSE);
}
