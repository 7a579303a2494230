/* tb-connector.c — introductions and the report, joined to the store and
 * the configuration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-connector"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tb-connector.h"
#include "tb-error.h"
#include "tb-intros.h"
#include "tb-report.h"

/* How many suggestions the report lists. */
#define REPORT_SUGGESTIONS 10

static const TbNoticeAction intro_actions[] = {
  { "introduce", "Introduce" },
  { "not-now", "Not now" },
  { NULL, NULL },
};

GPtrArray *
tb_connector_suggest (TbDaemon *daemon, guint limit, gint64 held_since,
                      GError **error)
{
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GHashTable) excluded = NULL;

  contacts = tb_store_load_for_matching (daemon->store, error);
  if (contacts == NULL)
    return NULL;
  excluded = tb_store_intro_exclusions (daemon->store, held_since, error);
  if (excluded == NULL)
    return NULL;
  return tb_intros_suggest (contacts, excluded, limit);
}

static TbContact *
get_with_facts (TbDaemon *daemon, gint64 id, GError **error)
{
  g_autoptr (TbContact) c = tb_store_get_contact (daemon->store, id, error);

  if (c == NULL)
    return NULL;
  g_clear_pointer (&c->facts, g_ptr_array_unref);
  c->facts = tb_store_list_facts (daemon->store, id, error);
  if (c->facts == NULL)
    return NULL;
  return g_steal_pointer (&c);
}

char *
tb_connector_introduce (TbDaemon *daemon, gint64 a, gint64 b, const char *note,
                        TbContact **out_a, TbContact **out_b, GError **error)
{
  g_autoptr (TbContact) ca = NULL;
  g_autoptr (TbContact) cb = NULL;
  char *text;

  if (!tb_store_make_intro (daemon->store, a, b, note, tb_daemon_now (daemon),
                            error))
    return NULL;
  ca = get_with_facts (daemon, a, error);
  cb = ca != NULL ? get_with_facts (daemon, b, error) : NULL;
  if (cb == NULL)
    return NULL;
  g_info ("Introduced %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, a, b);
  text = tb_intros_compose_text (ca, cb, note);
  if (out_a != NULL)
    *out_a = g_steal_pointer (&ca);
  if (out_b != NULL)
    *out_b = g_steal_pointer (&cb);
  return text;
}

char *
tb_connector_render_report (TbDaemon *daemon, GError **error)
{
  gint64 now = tb_daemon_now (daemon);
  g_autoptr (TbStats) stats = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) suggestions = NULL;

  stats = tb_store_get_stats (daemon->store, now, daemon->tz, error);
  if (stats == NULL)
    return NULL;
  due = tb_store_list_due (daemon->store, now + TB_REPORT_DUE_AHEAD, error);
  if (due == NULL)
    return NULL;
  /* A handful of people: one small query each is fine. */
  for (guint i = 0; i < due->len; i++)
    {
      TbContact *c = g_ptr_array_index (due, i);

      g_clear_pointer (&c->facts, g_ptr_array_unref);
      c->facts = tb_store_list_facts (daemon->store, c->id, error);
      if (c->facts == NULL)
        return NULL;
    }
  suggestions
      = tb_connector_suggest (daemon, REPORT_SUGGESTIONS, G_MAXINT64, error);
  if (suggestions == NULL)
    return NULL;
  return tb_report_render (stats, due, suggestions, now, daemon->tz);
}

char *
tb_connector_write_report_file (TbDaemon *daemon, GError **error)
{
  g_autofree char *dir
      = g_build_filename (g_get_user_cache_dir (), "touchbase", NULL);
  g_autofree char *path = g_build_filename (dir, "report.html", NULL);
  g_autofree char *html = NULL;

  html = tb_connector_render_report (daemon, error);
  if (html == NULL)
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved = errno;

      g_set_error (error, TB_ERROR, TB_ERROR_FAILED, "Cannot create %s: %s",
                   dir, g_strerror (saved));
      return NULL;
    }
  /* The report lists people and what they need: private like the
   * database, and never seen half-written by the browser. */
  if (!g_file_set_contents_full (path, html, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, error))
    return NULL;
  return g_steal_pointer (&path);
}

gint64
tb_connector_next_suggestion_at (TbDaemon *daemon)
{
  gint64 every = daemon->config->suggest_every;
  gint64 last;

  if (every <= 0)
    return 0;
  last = tb_store_get_state_int (daemon->store, TB_STATE_INTROS_LAST, -1);
  if (last < 0)
    {
      g_autoptr (GError) error = NULL;

      /* A new user gets their first suggestion one period after they
       * start, not the moment the daemon first runs. */
      last = tb_daemon_now (daemon);
      if (!tb_store_set_state_int (daemon->store, TB_STATE_INTROS_LAST, last,
                                   &error))
        g_warning ("%s", error->message);
    }
  return last + every;
}

gboolean
tb_connector_run (TbDaemon *daemon, gint64 now, const TbReminderStyle *style)
{
  gint64 next = tb_connector_next_suggestion_at (daemon);
  g_autoptr (GPtrArray) suggestions = NULL;
  g_autoptr (GError) error = NULL;

  if (next == 0 || next > now)
    return TRUE;
  suggestions = tb_connector_suggest (
      daemon, 1, now - TB_INTROS_HOLD_PERIODS * daemon->config->suggest_every,
      &error);
  if (suggestions == NULL)
    {
      g_warning ("Cannot suggest an introduction: %s", error->message);
      g_clear_error (&error);
    }
  else if (suggestions->len > 0)
    {
      TbIntroSuggestion *s = g_ptr_array_index (suggestions, 0);
      g_auto (TbReminderText) text = { 0 };

      tb_reminder_for_intro (s->a_id, s->a_name, s->b_id, s->b_name, s->reason,
                             style, &text);
      if (!tb_notifier_show (daemon->notifier, &text, TB_NOTICE_INTRO, s->a_id,
                             s->b_id, style->actions ? intro_actions : NULL,
                             &error))
        {
          g_message ("Suggestion not shown, it stays due: %s", error->message);
          return FALSE;
        }
      g_info ("Suggested introducing %" G_GINT64_FORMAT
              " and %" G_GINT64_FORMAT,
              s->a_id, s->b_id);
    }
  else
    g_debug ("No introduction to suggest");
  /* Nothing to suggest waits a whole period too: new facts are rare,
   * and waking up more often would only find the same nothing. */
  if (!tb_store_set_state_int (daemon->store, TB_STATE_INTROS_LAST, now,
                               &error))
    g_warning ("%s", error->message);
  return TRUE;
}
