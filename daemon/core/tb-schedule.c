/* tb-schedule.c — pure scheduling decisions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-schedule"

#include "config.h"

#include "tb-schedule.h"
#include <stdio.h>

#include "tb-time.h"

double
tb_schedule_pace_fraction (gint64 id)
{
  /* The golden-ratio (Weyl) sequence: the fractional parts of id / phi.
   * An import adds consecutive ids, and any run of consecutive ids spreads
   * over (0, 1] almost perfectly evenly, far more evenly than a hash
   * would. Integer arithmetic (2^64 / phi), so the value, which is stored
   * behaviour, is the same on every machine. */
  guint64 h = (guint64) id * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  double fraction
      = (double) (h >> 11) / (double) (G_GUINT64_CONSTANT (1) << 53);

  /* (0, 1]: never 0, so no imported contact is due the moment it lands. */
  return fraction > 0.0 ? fraction : 1.0;
}

/* @t + @d, held at the ends of gint64: a time read from a restored
 * backup may be anything, and overflowing would be undefined. */
static gint64
add_saturating (gint64 t, gint64 d)
{
  gint64 sum;

  if (__builtin_add_overflow (t, d, &sum))
    return d > 0 ? G_MAXINT64 : G_MININT64;
  return sum;
}

gint64
tb_schedule_due_at (const TbDueInput *in)
{
  gint64 start;

  if (in->paused || !in->tracked || in->interval <= 0)
    return 0;
  /* A conversation from before the user chose to keep in touch again
   * does not make them overdue the moment they choose: the clock starts
   * when tracking did. */
  if (in->last_interaction_at > 0
      && in->last_interaction_at >= in->tracked_since)
    return add_saturating (in->last_interaction_at, in->interval);
  start = in->tracked_since > 0 ? in->tracked_since : in->created_at;
  if (in->paced)
    return add_saturating (start, (gint64) (tb_schedule_pace_fraction (in->id)
                                            * (double) in->interval));
  return add_saturating (start, in->interval);
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
  if (alerted_at > 0 && add_saturating (alerted_at, re_alert) > t)
    t = add_saturating (alerted_at, re_alert);
  return t;
}

gint64
tb_schedule_wakeup (gint64 earliest_alert, gint64 now, const TbConfig *config,
                    GTimeZone *tz)
{
  gint64 quiet_end = 0;

  if (earliest_alert <= 0)
    return 0;
  /* An alert that came due before quiet hours began is held like one
   * coming due now; checking its own time would wake us again at once. */
  earliest_alert = MAX (earliest_alert, now);
  if (tb_config_in_quiet_hours (config, earliest_alert, tz, &quiet_end))
    return quiet_end;
  return earliest_alert;
}

static gboolean
parse_birthday (const char *birthday, int *year, int *month, int *day)
{
  *year = 0;
  if (birthday == NULL)
    return FALSE;
  if (sscanf (birthday, "--%2d-%2d", month, day) == 2)
    return *month >= 1 && *month <= 12 && *day >= 1 && *day <= 31;
  if (sscanf (birthday, "%4d-%2d-%2d", year, month, day) == 3)
    return *month >= 1 && *month <= 12 && *day >= 1 && *day <= 31;
  return FALSE;
}

static GDateTime *
birthday_in (int year, int month, int day, GTimeZone *tz)
{
  /* 29 February outside leap years is celebrated on the 28th. */
  if (month == 2 && day == 29 && !g_date_is_leap_year ((GDateYear) year))
    day = 28;
  return g_date_time_new (tz, year, month, day, 0, 0, 0);
}

gint64
tb_schedule_next_birthday (const char *birthday, gint64 from, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) candidate = NULL;
  int year, month, day, this_year;

  if (utc == NULL || !parse_birthday (birthday, &year, &month, &day))
    return 0;
  local = g_date_time_to_timezone (utc, tz);
  this_year = g_date_time_get_year (local);
  candidate = birthday_in (this_year, month, day, tz);
  if (candidate == NULL)
    return 0;
  /* Today's birthday still counts: midnight may be behind us. */
  if (g_date_time_get_day_of_year (candidate)
          < g_date_time_get_day_of_year (local)
      || g_date_time_get_year (candidate) < this_year)
    {
      g_date_time_unref (candidate);
      candidate = birthday_in (this_year + 1, month, day, tz);
    }
  return candidate ? g_date_time_to_unix (candidate) : 0;
}

int
tb_schedule_age_on (const char *birthday, gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = NULL;
  int year, month, day;

  if (utc == NULL || !parse_birthday (birthday, &year, &month, &day)
      || year == 0)
    return 0;
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_get_year (local) - year;
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
