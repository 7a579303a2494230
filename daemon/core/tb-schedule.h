/* tb-schedule.h — the scheduling decisions, as pure functions of their
 * inputs: when a contact is due, when to alert about it next, how an
 * imported network is paced, and which of the due alerts to show now.
 * Nothing here reads the clock or touches the database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-config.h"
#include "tb-contact.h"

G_BEGIN_DECLS

/* The state that a contact's due time depends on. */
typedef struct
{
  gint64 interval; /* effective interval, seconds (> 0) */
  gint64 created_at;
  gint64 last_interaction_at; /* 0: never */
  gboolean paced;             /* arrived by an import with no interaction */
  gint64 id;                  /* picks the paced offset */
  gboolean paused;
  gboolean tracked;     /* only a tracked contact comes due */
  gint64 tracked_since; /* when tracking last began; 0: since created */
} TbDueInput;

/* A fraction in (0, 1] that is fixed for a contact id: spreads the first
 * due times of an imported network evenly over its first interval. */
double tb_schedule_pace_fraction (gint64 id);

/* The due time: last interaction + interval; never talked since tracking
 * began: the start (tracked_since, else created) + interval, or + a paced
 * share of it for imported contacts. 0 when paused or not tracked. */
gint64 tb_schedule_due_at (const TbDueInput *in);

/* When the contact (or follow-up) should next raise an alert: not before
 * it is due, not before a snooze ends, and not before the re-alert delay
 * has passed since the last alert. 0 when @due_at is 0. */
gint64 tb_schedule_next_alert_at (gint64 due_at, gint64 snoozed_until,
                                  gint64 alerted_at, gint64 re_alert);

/* The time the wake-up timer should be armed for, given the earliest
 * stored next_alert_at (0: none) and the time now: an alert already due
 * counts as due now, and is held to the end of quiet hours when now falls
 * in them. 0 means do not arm at all. */
gint64 tb_schedule_wakeup (gint64 earliest_alert, gint64 now,
                           const TbConfig *config, GTimeZone *tz);

/* Local midnight of the next birthday on or after the local day of
 * @from, for "YYYY-MM-DD" or "--MM-DD"; a 29 February birthday falls on
 * 28 February in other years. 0 for NULL or an unreadable birthday. */
gint64 tb_schedule_next_birthday (const char *birthday, gint64 from,
                                  GTimeZone *tz);

/* The age a person with @birthday turns on the local day of @t; 0 when
 * the year is not known. */
int tb_schedule_age_on (const char *birthday, gint64 t, GTimeZone *tz);

/* One alert candidate in a batch. */
typedef struct
{
  gint64 id;
  gint64 due_at;
  gboolean first; /* no alert yet in this due period */
} TbAlertCandidate;

typedef struct
{
  GArray *show;  /* (element-type TbAlertCandidate) to alert now */
  GArray *defer; /* (element-type TbAlertCandidate) over the daily limit */
} TbAlertPlan;

/* Decides which touch-base alerts to show: most overdue first; first
 * alerts of a due period count against @daily_left, re-alerts do not.
 * @candidates is sorted in place. Free the plan with tb_alert_plan_clear. */
void tb_schedule_plan_alerts (GArray *candidates, guint daily_left,
                              TbAlertPlan *plan);
void tb_alert_plan_clear (TbAlertPlan *plan);

G_END_DECLS
