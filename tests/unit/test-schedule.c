/* test-schedule.c — the pure scheduling decisions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-schedule.h"
#include "tb-time.h"

static void
test_due_rules (void)
{
  TbDueInput in = {
    .interval = 10 * TB_DAY, .created_at = 1000, .id = 7, .tracked = TRUE
  };

  /* Never talked: created + interval. */
  g_assert_cmpint (tb_schedule_due_at (&in), ==, 1000 + 10 * TB_DAY);
  /* Logging resets the clock from the interaction. */
  in.last_interaction_at = 5000;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, 5000 + 10 * TB_DAY);
  /* Paused: never due. */
  in.paused = TRUE;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, 0);
  in.paused = FALSE;
  /* Not tracked: never due either. */
  in.tracked = FALSE;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, 0);
  in.tracked = TRUE;
  /* Tracked again later: the clock starts then, not at the old call... */
  in.tracked_since = 9000;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, 9000 + 10 * TB_DAY);
  /* ...and a conversation since then counts as ever. */
  in.last_interaction_at = 9500;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, 9500 + 10 * TB_DAY);
  /* Paced (an imported connection tracked from the queue): within one
   * interval from the start, never at it. */
  in.last_interaction_at = 0;
  in.paced = TRUE;
  g_assert_cmpint (tb_schedule_due_at (&in), >, 9000);
  g_assert_cmpint (tb_schedule_due_at (&in), <=, 9000 + 10 * TB_DAY);
}

static void
test_pacing_spreads (void)
{
  /* 500 imported contacts at 90 days: five or six a day, whichever ids
   * they got (an import adds consecutive ids, after whatever was there),
   * never 500 on one day, none at the moment of the import. */
  for (gint64 first = 1; first <= 100001; first += 50000)
    {
      guint per_day[90] = { 0 };
      guint min = G_MAXUINT, max = 0;

      for (gint64 id = first; id < first + 500; id++)
        {
          TbDueInput in = {
            .interval = 90 * TB_DAY,
            .created_at = 0,
            .paced = TRUE,
            .id = id,
            .tracked = TRUE,
          };
          gint64 due = tb_schedule_due_at (&in);

          g_assert_cmpint (due, >, 0);
          g_assert_cmpint (due, <=, 90 * TB_DAY);
          per_day[MIN (due / TB_DAY, 89)]++;
        }
      for (guint d = 0; d < 90; d++)
        {
          min = MIN (min, per_day[d]);
          max = MAX (max, per_day[d]);
        }
      g_assert_cmpuint (max, <=, 8);
      g_assert_cmpuint (min, >=, 3);
    }
  /* Deterministic: the same contact always gets the same share. */
  g_assert_cmpfloat (tb_schedule_pace_fraction (42), ==,
                     tb_schedule_pace_fraction (42));
  g_assert_cmpfloat (tb_schedule_pace_fraction (0), ==, 1.0);
}

static void
test_next_alert (void)
{
  /* Not before due, not before the snooze ends, not before re-alert. */
  g_assert_cmpint (tb_schedule_next_alert_at (100, 0, 0, 50), ==, 100);
  g_assert_cmpint (tb_schedule_next_alert_at (100, 300, 0, 50), ==, 300);
  g_assert_cmpint (tb_schedule_next_alert_at (100, 0, 200, 50), ==, 250);
  g_assert_cmpint (tb_schedule_next_alert_at (0, 300, 200, 50), ==, 0);
}

static void
test_plan_daily_limit (void)
{
  g_autoptr (GArray) cands
      = g_array_new (FALSE, FALSE, sizeof (TbAlertCandidate));
  TbAlertPlan plan = { 0 };
  const TbAlertCandidate in[] = {
    { 1, 500, TRUE }, { 2, 100, TRUE }, { 3, 300, FALSE },
    { 4, 200, TRUE }, { 5, 50, TRUE },
  };

  g_array_append_vals (cands, in, G_N_ELEMENTS (in));
  tb_schedule_plan_alerts (cands, 2, &plan);
  /* Most overdue first: 5 and 2 take the two first-alert places; 3 is a
   * re-alert and does not count; 4 and 1 wait for tomorrow. */
  g_assert_cmpuint (plan.show->len, ==, 3);
  g_assert_cmpint (g_array_index (plan.show, TbAlertCandidate, 0).id, ==, 5);
  g_assert_cmpint (g_array_index (plan.show, TbAlertCandidate, 1).id, ==, 2);
  g_assert_cmpint (g_array_index (plan.show, TbAlertCandidate, 2).id, ==, 3);
  g_assert_cmpuint (plan.defer->len, ==, 2);
  g_assert_cmpint (g_array_index (plan.defer, TbAlertCandidate, 0).id, ==, 4);
  g_assert_cmpint (g_array_index (plan.defer, TbAlertCandidate, 1).id, ==, 1);
  tb_alert_plan_clear (&plan);
}

static void
test_wakeup_quiet_hours (void)
{
  g_autoptr (TbConfig) config = tb_config_new_default ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GDateTime) late = g_date_time_new (tz, 2026, 11, 28, 23, 30, 0);
  g_autoptr (GDateTime) morning = g_date_time_new (tz, 2026, 11, 29, 9, 0, 0);
  g_autoptr (GDateTime) noon = g_date_time_new (tz, 2026, 11, 29, 12, 0, 0);

  /* Default quiet hours 21:00-09:00: an alert due at 23:30 waits. */
  g_assert_cmpint (
      tb_schedule_wakeup (g_date_time_to_unix (late), 0, config, tz), ==,
      g_date_time_to_unix (morning));
  g_assert_cmpint (
      tb_schedule_wakeup (g_date_time_to_unix (noon), 0, config, tz), ==,
      g_date_time_to_unix (noon));
  /* Nothing stored: do not arm at all. */
  g_assert_cmpint (tb_schedule_wakeup (0, 0, config, tz), ==, 0);
  /* Due in the afternoon, still pending at 23:30: wait for the morning,
   * do not fire (again and again) for the afternoon. */
  g_assert_cmpint (tb_schedule_wakeup (g_date_time_to_unix (noon) - 86400,
                                       g_date_time_to_unix (late), config, tz),
                   ==, g_date_time_to_unix (morning));
  config->quiet_enabled = FALSE;
  g_assert_cmpint (
      tb_schedule_wakeup (g_date_time_to_unix (late), 0, config, tz), ==,
      g_date_time_to_unix (late));
}

static gint64
local (GTimeZone *tz, int y, int m, int d, int h)
{
  g_autoptr (GDateTime) dt = g_date_time_new (tz, y, m, d, h, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
test_next_birthday (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  gint64 now = local (tz, 2026, 11, 28, 15);

  /* Later this year, today (midnight already passed), and next year. */
  g_assert_cmpint (tb_schedule_next_birthday ("1985-12-02", now, tz), ==,
                   local (tz, 2026, 12, 2, 0));
  g_assert_cmpint (tb_schedule_next_birthday ("--11-28", now, tz), ==,
                   local (tz, 2026, 11, 28, 0));
  g_assert_cmpint (tb_schedule_next_birthday ("1990-03-14", now, tz), ==,
                   local (tz, 2027, 3, 14, 0));
  /* 29 February on the 28th in 2027, on the 29th in 2028. */
  g_assert_cmpint (tb_schedule_next_birthday ("--02-29", now, tz), ==,
                   local (tz, 2027, 2, 28, 0));
  g_assert_cmpint (
      tb_schedule_next_birthday ("2000-02-29", local (tz, 2028, 1, 1, 12), tz),
      ==, local (tz, 2028, 2, 29, 0));
  g_assert_cmpint (tb_schedule_next_birthday (NULL, now, tz), ==, 0);
  g_assert_cmpint (tb_schedule_next_birthday ("soon", now, tz), ==, 0);
  g_assert_cmpint (tb_schedule_age_on ("1985-11-28", now, tz), ==, 41);
  g_assert_cmpint (tb_schedule_age_on ("--11-28", now, tz), ==, 0);
}

/* Times from a restored backup may be anything: the sums stop at the
 * end of gint64 instead of overflowing (found by fuzz-backup). */
static void
test_due_at_the_end_of_time (void)
{
  TbDueInput in = { .interval = 10 * TB_DAY,
                    .created_at = G_MAXINT64 - 5,
                    .id = 7,
                    .tracked = TRUE };

  g_assert_cmpint (tb_schedule_due_at (&in), ==, G_MAXINT64);
  in.paced = TRUE;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, G_MAXINT64);
  in.last_interaction_at = G_MAXINT64 - 1;
  g_assert_cmpint (tb_schedule_due_at (&in), ==, G_MAXINT64);
  g_assert_cmpint (tb_schedule_next_alert_at (100, 0, G_MAXINT64 - 1, TB_DAY),
                   ==, G_MAXINT64);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/schedule/due/rules", test_due_rules);
  g_test_add_func ("/schedule/due/pacing-spreads", test_pacing_spreads);
  g_test_add_func ("/schedule/next-alert", test_next_alert);
  g_test_add_func ("/schedule/due/end-of-time", test_due_at_the_end_of_time);
  g_test_add_func ("/schedule/plan/daily-limit", test_plan_daily_limit);
  g_test_add_func ("/schedule/wakeup/quiet-hours", test_wakeup_quiet_hours);
  g_test_add_func ("/schedule/birthday/next", test_next_birthday);
  return g_test_run ();
}
