/* tb-stats.c — the depth figures' container.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-stats"

#include "config.h"

#include "tb-stats.h"

static void
tag_stats_free (TbTagStats *ts)
{
  g_free (ts->tag);
  g_free (ts);
}

static void
source_stats_free (TbSourceStats *ss)
{
  g_free (ss->source);
  g_free (ss);
}

TbStats *
tb_stats_new (void)
{
  TbStats *stats = g_new0 (TbStats, 1);

  stats->tags
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tag_stats_free);
  stats->sources
      = g_ptr_array_new_with_free_func ((GDestroyNotify) source_stats_free);
  return stats;
}

void
tb_stats_free (TbStats *stats)
{
  if (stats == NULL)
    return;
  g_ptr_array_unref (stats->tags);
  g_ptr_array_unref (stats->sources);
  g_free (stats);
}

TbStatsCounts *
tb_stats_add_tag (TbStats *stats, const char *tag)
{
  TbTagStats *ts = g_new0 (TbTagStats, 1);

  ts->tag = g_strdup (tag);
  g_ptr_array_add (stats->tags, ts);
  return &ts->counts;
}

TbSourceStats *
tb_stats_add_source (TbStats *stats, const char *source)
{
  TbSourceStats *ss = g_new0 (TbSourceStats, 1);

  ss->source = g_strdup (source);
  g_ptr_array_add (stats->sources, ss);
  return ss;
}

void
tb_stats_set_months (TbStats *stats, gint64 now, GTimeZone *tz, gint64 *out_end)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) here = g_date_time_to_timezone (local, tz);
  int year = g_date_time_get_year (here);
  int month = g_date_time_get_month (here);

  /* Calendar arithmetic, not 30-day steps; GDateTime resolves DST. */
  for (int i = 0; i < TB_STATS_MONTHS; i++)
    {
      int m = month - (TB_STATS_MONTHS - 1 - i), y = year;
      g_autoptr (GDateTime) start = NULL;

      while (m < 1)
        {
          m += 12;
          y--;
        }
      start = g_date_time_new (tz, y, m, 1, 0, 0, 0);
      stats->month_start[i] = g_date_time_to_unix (start);
    }
  if (out_end != NULL)
    {
      int m = month + 1, y = year;
      g_autoptr (GDateTime) end = NULL;

      if (m > 12)
        {
          m = 1;
          y++;
        }
      end = g_date_time_new (tz, y, m, 1, 0, 0, 0);
      *out_end = g_date_time_to_unix (end);
    }
}

int
tb_stats_month_index (const TbStats *stats, gint64 t, gint64 end)
{
  if (t < stats->month_start[0] || t >= end)
    return -1;
  for (int i = TB_STATS_MONTHS - 1; i >= 0; i--)
    {
      if (t >= stats->month_start[i])
        return i;
    }
  return -1;
}
