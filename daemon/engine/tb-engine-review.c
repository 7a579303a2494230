/* tb-engine-review.c — the review queue: the ranking (tb-review) over the
 * store, "later", and the pace of the review notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-engine-private.h"
#include "tb-error.h"
#include "tb-time.h"

/* Store state keys: the review day (its start) of the last review
 * notification and how many were shown that day. In the database, so a
 * restart does not show the day's notifications again. */
#define STATE_REVIEW_DAY "review.day"
#define STATE_REVIEW_SHOWN "review.shown"

static GPtrArray *
rank (TbEngine *self, guint limit, gboolean unnoticed_only, guint *out_total,
      GError **error)
{
  gint64 now = tb_engine_now (self);
  g_autoptr (TbReviewRanker) ranker
      = tb_review_ranker_new (limit, now, tb_engine_get_time_zone (self));
  TbStore *store = tb_engine_get_store (self);
  g_autoptr (GPtrArray) entries = NULL;

  if (!tb_store_rank_review (store, ranker, now, unnoticed_only, error))
    return NULL;
  if (out_total != NULL)
    *out_total = tb_review_ranker_get_total (ranker);
  entries = tb_review_ranker_finish (ranker);
  /* A page of whole records, read by id: only for the few that made it. */
  for (guint i = 0; i < entries->len; i++)
    {
      TbReviewEntry *e = g_ptr_array_index (entries, i);

      e->contact = tb_engine_get_contact (self, e->id, error);
      if (e->contact == NULL)
        return NULL;
    }
  return g_steal_pointer (&entries);
}

GPtrArray *
tb_engine_get_review_queue (TbEngine *self, guint limit, guint *out_total,
                            GError **error)
{
  GPtrArray *entries;

  limit = MIN (limit, TB_REVIEW_MAX_LIMIT);
  entries = rank (self, MAX (limit, 1), FALSE, out_total, error);
  /* 0 asks only how many wait. */
  if (entries != NULL && limit == 0)
    g_ptr_array_set_size (entries, 0);
  return entries;
}

gboolean
tb_engine_review_later (TbEngine *self, gint64 contact_id, gint64 until,
                        GError **error)
{
  gint64 now = tb_engine_now (self);

  if (until == 0)
    until = now + TB_REVIEW_LATER;
  else if (until <= now || until > TB_TIME_MAX)
    {
      g_set_error_literal (
          error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          _ ("“Later” is a time after now and before the year 10000, or 0"));
      return FALSE;
    }
  if (!tb_engine_begin_change (self, "review later", contact_id, NULL, error))
    return FALSE;
  return tb_engine_end_change (
      self,
      tb_store_review_later (tb_engine_get_store (self), contact_id, until,
                             error),
      error);
}

/* How many review notifications were shown in the review day that began
 * at @day. */
static guint
shown_on (TbStore *store, gint64 day)
{
  if (tb_store_get_state_int (store, STATE_REVIEW_DAY, 0) != day)
    return 0;
  return (guint) CLAMP (tb_store_get_state_int (store, STATE_REVIEW_SHOWN, 0),
                        0, G_MAXUINT);
}

gint64
tb_engine_next_review_notice_at (TbEngine *self)
{
  const TbConfig *config = tb_engine_get_config (self);
  TbStore *store = tb_engine_get_store (self);
  GTimeZone *tz = tb_engine_get_time_zone (self);
  g_autoptr (GError) error = NULL;
  gint64 day, slot, noticeable;

  if (config->review_per_day == 0)
    return 0;
  /* Nobody to show: no wake-up at all, so a daemon with nothing to
   * review stays idle. */
  noticeable = tb_store_review_noticeable_at (store, &error);
  if (noticeable < 0)
    {
      g_warning ("%s", error->message);
      return 0;
    }
  if (noticeable == 0)
    return 0;
  day = tb_review_day_start (config, tb_engine_now (self), tz);
  slot = tb_review_notice_at (config, day, shown_on (store, day), tz);
  return MAX (slot, noticeable);
}

TbReviewEntry *
tb_engine_take_due_review (TbEngine *self)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  gint64 next = tb_engine_next_review_notice_at (self);

  if (next == 0 || next > tb_engine_now (self))
    return NULL;
  entries = rank (self, 1, TRUE, NULL, &error);
  if (entries == NULL)
    {
      g_warning ("Cannot rank the review queue: %s", error->message);
      return NULL;
    }
  if (entries->len == 0)
    return NULL;
  return g_ptr_array_steal_index (entries, 0);
}

gboolean
tb_engine_mark_review_noticed (TbEngine *self, gint64 contact_id,
                               GError **error)
{
  TbStore *store = tb_engine_get_store (self);
  gint64 now = tb_engine_now (self);
  gint64 day = tb_review_day_start (tb_engine_get_config (self), now,
                                    tb_engine_get_time_zone (self));
  guint shown = shown_on (store, day);

  return tb_store_mark_review_noticed (store, contact_id, now, error)
         && tb_store_set_state_int (store, STATE_REVIEW_DAY, day, error)
         && tb_store_set_state_int (store, STATE_REVIEW_SHOWN, shown + 1,
                                    error);
}
