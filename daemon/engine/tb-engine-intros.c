/* tb-engine-intros.c — introductions, depth and the report: the pure
 * matching, texts and HTML (tb-intros, tb-stats, tb-report) joined to the
 * store and the configuration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <glib/gstdio.h>

#include "tb-engine-private.h"
#include "tb-store-sources.h"
#include "tb-error.h"
#include "tb-report.h"
#include "tb-time.h"

/* Store state key: when the last suggestion notification was shown (or
 * found nothing to show). */
#define STATE_INTROS_LAST "intros.last_suggested"

/* How many suggestion periods a "not now" holds a pair back. */
#define HOLD_PERIODS 4

/* How many suggestions the report lists. */
#define REPORT_SUGGESTIONS 10

/* Suggestions, best first (see tb_intros_suggest()), leaving out pairs
 * introduced or declined, and those put off at or after @held_since
 * (G_MAXINT64: none). */
static GPtrArray *
suggest (TbEngine *self, guint limit, gint64 held_since, GError **error)
{
  TbStore *store = tb_engine_get_store (self);
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GHashTable) excluded = NULL;

  contacts = tb_store_load_for_matching (store, error);
  if (contacts == NULL)
    return NULL;
  excluded = tb_store_intro_exclusions (store, held_since, error);
  if (excluded == NULL)
    return NULL;
  return tb_intros_suggest (contacts, excluded, limit);
}

GPtrArray *
tb_engine_suggest_intros (TbEngine *self, guint limit, GError **error)
{
  return suggest (self, limit, G_MAXINT64, error);
}

/* The other one of the pair, for the undo list: "introduce A and B". */
static void
describe_pair (TbEngine *self, gint64 b)
{
  g_autoptr (TbContact) other
      = tb_store_get_contact (tb_engine_get_store (self), b, NULL);

  if (other != NULL)
    tb_store_set_change_detail (
        tb_engine_get_store (self),
        g_variant_new_parsed ("{'other': <%s>}", other->name));
}

static gboolean
record_intro (TbEngine *self, const char *verb, gint64 a, gint64 b,
              TbIntroStatus status, GError **error)
{
  if (!tb_engine_begin_change (self, verb, a, NULL, error))
    return FALSE;
  describe_pair (self, b);
  return tb_engine_end_change (
      self,
      tb_store_record_intro (tb_engine_get_store (self), a, b, status, NULL,
                             tb_engine_now (self), error),
      error);
}

/* FALSE with TB_ERROR_EXISTS when @a and @b were introduced before:
 * recording it twice would log two more intro interactions for each. */
static gboolean
check_not_introduced (TbEngine *self, gint64 a, gint64 b, GError **error)
{
  TbStore *store = tb_engine_get_store (self);
  g_autoptr (TbContact) ca = NULL;
  g_autoptr (TbContact) cb = NULL;
  g_autofree char *when = NULL;
  gint64 at = a != b ? tb_store_intro_made_at (store, a, b, error) : 0;

  if (at == 0)
    return TRUE;
  if (at < 0)
    return FALSE;
  ca = tb_store_get_contact (store, a, error);
  cb = ca != NULL ? tb_store_get_contact (store, b, error) : NULL;
  if (cb == NULL)
    return FALSE;
  when = tb_time_format_date (at, tb_engine_get_time_zone (self));
  /* Translators: "Ana Silva and Bo Berg were introduced on 2026-11-02". */
  g_set_error (error, TB_ERROR, TB_ERROR_EXISTS,
               _ ("%s and %s were introduced on %s"), ca->name, cb->name, when);
  return FALSE;
}

char *
tb_engine_introduce (TbEngine *self, gint64 a, gint64 b, const char *note,
                     gboolean again, TbContact **out_a, TbContact **out_b,
                     GError **error)
{
  g_autoptr (TbContact) ca = NULL;
  g_autoptr (TbContact) cb = NULL;
  char *text;

  if (!tb_text_check_size (_ ("The note"), note, TB_TEXT_MAX_NOTE, error))
    return NULL;
  if (!again && !check_not_introduced (self, a, b, error))
    return NULL;

  if (!tb_engine_begin_change (self, "introduce", a, NULL, error))
    return NULL;
  describe_pair (self, b);
  if (!tb_engine_end_change (self,
                             tb_store_make_intro (tb_engine_get_store (self), a,
                                                  b, note, tb_engine_now (self),
                                                  error),
                             error))
    return NULL;
  ca = tb_engine_get_contact (self, a, error);
  cb = ca != NULL ? tb_engine_get_contact (self, b, error) : NULL;
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

gboolean
tb_engine_decline_intro (TbEngine *self, gint64 a, gint64 b, GError **error)
{
  return record_intro (self, "decline", a, b, TB_INTRO_DECLINED, error);
}

gboolean
tb_engine_hold_intro (TbEngine *self, gint64 a, gint64 b, GError **error)
{
  return record_intro (self, "not now", a, b, TB_INTRO_SUGGESTED, error);
}

TbStats *
tb_engine_get_stats (TbEngine *self, GError **error)
{
  g_autoptr (TbStats) stats
      = tb_store_get_stats (tb_engine_get_store (self), tb_engine_now (self),
                            tb_engine_get_time_zone (self), error);
  g_autoptr (GPtrArray) by_source = NULL;

  if (stats == NULL)
    return NULL;
  by_source = tb_store_count_by_source (tb_engine_get_store (self), error);
  if (by_source == NULL)
    return NULL;
  for (guint i = 0; i < by_source->len; i++)
    {
      const TbSourceCount *c = g_ptr_array_index (by_source, i);
      TbSourceStats *ss = tb_stats_add_source (stats, c->source);

      ss->interactions = c->interactions;
      ss->conversations = c->conversations;
      ss->contacts = c->contacts;
    }
  return g_steal_pointer (&stats);
}

gint64
tb_engine_next_suggestion_at (TbEngine *self)
{
  TbStore *store = tb_engine_get_store (self);
  gint64 every = tb_engine_get_config (self)->suggest_every;
  gint64 last;

  if (every <= 0)
    return 0;
  last = tb_store_get_state_int (store, STATE_INTROS_LAST, -1);
  if (last < 0)
    {
      g_autoptr (GError) error = NULL;

      /* A new user gets their first suggestion one period after they
       * start, not the moment the daemon first runs. */
      last = tb_engine_now (self);
      /* During an import (Busy) it is written the next time it is
       * asked, from about the same now. */
      if (!tb_store_set_state_int (store, STATE_INTROS_LAST, last, &error)
          && !g_error_matches (error, TB_ERROR, TB_ERROR_BUSY))
        g_warning ("%s", error->message);
    }
  return last + every;
}

gboolean
tb_engine_mark_suggested (TbEngine *self, GError **error)
{
  return tb_store_set_state_int (tb_engine_get_store (self), STATE_INTROS_LAST,
                                 tb_engine_now (self), error);
}

TbIntroSuggestion *
tb_engine_take_due_suggestion (TbEngine *self)
{
  gint64 now = tb_engine_now (self);
  gint64 next = tb_engine_next_suggestion_at (self);
  gint64 every = tb_engine_get_config (self)->suggest_every;
  g_autoptr (GPtrArray) suggestions = NULL;
  g_autoptr (GError) error = NULL;

  if (next == 0 || next > now)
    return NULL;
  suggestions = suggest (self, 1, now - HOLD_PERIODS * every, &error);
  if (suggestions == NULL)
    {
      g_warning ("Cannot suggest an introduction: %s", error->message);
      g_clear_error (&error);
    }
  else if (suggestions->len > 0)
    return g_ptr_array_steal_index (suggestions, 0);
  else
    g_debug ("No introduction to suggest");
  /* Nothing to suggest waits a whole period too: new facts are rare,
   * and waking up more often would only find the same nothing. */
  if (!tb_engine_mark_suggested (self, &error))
    g_warning ("%s", error->message);
  return NULL;
}

char *
tb_engine_render_report (TbEngine *self, GError **error)
{
  TbStore *store = tb_engine_get_store (self);
  gint64 now = tb_engine_now (self);
  GTimeZone *tz = tb_engine_get_time_zone (self);
  g_autoptr (TbStats) stats = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) suggestions = NULL;

  stats = tb_engine_get_stats (self, error);
  if (stats == NULL)
    return NULL;
  due = tb_store_list_due (store, now + TB_REPORT_DUE_AHEAD, 0, error);
  if (due == NULL)
    return NULL;
  /* A handful of people: one small query each is fine. */
  for (guint i = 0; i < due->len; i++)
    {
      TbContact *c = g_ptr_array_index (due, i);

      g_clear_pointer (&c->facts, g_ptr_array_unref);
      c->facts = tb_store_list_facts (store, c->id, error);
      if (c->facts == NULL)
        return NULL;
    }
  suggestions = suggest (self, REPORT_SUGGESTIONS, G_MAXINT64, error);
  if (suggestions == NULL)
    return NULL;
  return tb_report_render (stats, due, suggestions, now, tz);
}

char *
tb_engine_write_report_file (TbEngine *self, GError **error)
{
  g_autofree char *dir
      = g_build_filename (g_get_user_cache_dir (), "touchbase", NULL);
  g_autofree char *path = g_build_filename (dir, "report.html", NULL);
  g_autofree char *html = NULL;

  html = tb_engine_render_report (self, error);
  if (html == NULL)
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved = errno;

      g_set_error (error, TB_ERROR, TB_ERROR_FAILED, _ ("Cannot create %s: %s"),
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
