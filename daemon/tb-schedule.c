/* tb-schedule.c — pure scheduling decisions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-schedule"

#include "config.h"

#include "tb-schedule.h"
#include "tb-time.h"

double
tb_schedule_pace_fraction (const char *uid)
{
  /* FNV-1a rather than g_str_hash: the value is part of stored behaviour
   * (when each imported contact comes due), so it must never change with
   * a GLib upgrade. */
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) (uid ? uid : ""); *p; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  /* (0, 1]: never 0, so no imported contact is due on the day of import. */
  return (double) ((h % 1000000) + 1) / 1000000.0;
}

gint64
tb_schedule_due_at (const TbDueInput *in)
{
  if (in->paused || in->interval <= 0)
    return 0;
  if (in->last_interaction_at > 0)
    return in->last_interaction_at + in->interval;
  if (in->paced)
    return in->created_at
           + (gint64) (tb_schedule_pace_fraction (in->uid)
                       * (double) in->interval);
  return in->created_at + in->interval;
}

gint64
tb_schedule_next_alert_at (gint64 due_at, gint64 snoozed_until,
                           gint64 alerted_at, gint64 re_alert)
{
  gint64 t = due_at;

  if (due_at <= 0)
    return 0;
  if (snoozed_until > t)
    t = snoozed_until;
  if (alerted_at > 0 && alerted_at + re_alert > t)
    t = alerted_at + re_alert;
  return t;
}

gint64
tb_schedule_wakeup (gint64 earliest_alert, const TbConfig *config,
                    GTimeZone *tz)
{
  gint64 quiet_end = 0;

  if (earliest_alert <= 0)
    return 0;
  if (tb_config_in_quiet_hours (config, earliest_alert, tz, &quiet_end))
    return quiet_end;
  return earliest_alert;
}

static int
compare_by_due (gconstpointer a, gconstpointer b)
{
  const TbAlertCandidate *ca = a;
  const TbAlertCandidate *cb = b;

  if (ca->due_at != cb->due_at)
    return ca->due_at < cb->due_at ? -1 : 1;
  return ca->id < cb->id ? -1 : (ca->id > cb->id);
}

void
tb_schedule_plan_alerts (GArray *candidates, guint daily_left,
                         TbAlertPlan *plan)
{
  plan->show = g_array_new (FALSE, FALSE, sizeof (TbAlertCandidate));
  plan->defer = g_array_new (FALSE, FALSE, sizeof (TbAlertCandidate));

  /* Most overdue first, so the daily limit keeps the longest-waiting. */
  g_array_sort (candidates, compare_by_due);
  for (guint i = 0; i < candidates->len; i++)
    {
      TbAlertCandidate *c = &g_array_index (candidates, TbAlertCandidate, i);

      if (!c->first)
        {
          g_array_append_val (plan->show, *c);
          continue;
        }
      if (daily_left == 0)
        {
          g_array_append_val (plan->defer, *c);
          continue;
        }
      daily_left--;
      g_array_append_val (plan->show, *c);
    }
}

void
tb_alert_plan_clear (TbAlertPlan *plan)
{
  g_clear_pointer (&plan->show, g_array_unref);
  g_clear_pointer (&plan->defer, g_array_unref);
}
