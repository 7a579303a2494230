/* tb-alerts.c — turning what is due into notifications, on one realtime
 * timer armed for the next thing due.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-alerts"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-actions.h"
#include "tb-alerts.h"
#include "tb-engine-private.h"
#include "tb-error.h"
#include "tb-reminder.h"
#include "tb-schedule.h"
#include "tb-time.h"
#include "tb-timer.h"

/* Keys of the daily counter in the store's state table: the counter
 * survives restarts, so restarting does not reset the daily limit. */
#define STATE_ALERT_DAY "alerts.day"
#define STATE_ALERT_COUNT "alerts.started"

struct _TbAlerts
{
  TbEngine *engine;     /* (owned) */
  TbTimer *timer;       /* (owned) */
  TbNotifier *notifier; /* (owned) (nullable) until tb_alerts_start() */
  gint64 retry_at;      /* after a refused batch: not before this */
  gint64 retry_delay;   /* seconds; doubles on each refusal */
  /* While an import holds the write lock, what would write waits for
   * its end (on_import_ended): the batch, a replan, buttons pressed. */
  gboolean batch_waiting;
  gboolean replan_waiting;
  GQueue waiting_actions; /* (owned) Action */
  gulong import_ended_id;
};

/* A button pressed during an import. */
typedef struct
{
  TbNoticeKind kind;
  gint64 id;
  gint64 other_id;
  char *action;
} Action;

static void
action_free (gpointer data)
{
  Action *a = data;

  g_free (a->action);
  g_free (a);
}

/* A reminder's buttons say what the person did, not "Done": "done" logs
 * [reminders] done-kind, "messaged" a message (README, "Reminders and
 * their buttons"). Three buttons besides the click, the most GNOME Shell
 * shows. */
static const TbNoticeAction contact_actions_talked[] = {
  { "default", N_ ("Open") },
  { "done", N_ ("Talked") },
  { "messaged", N_ ("Messaged") },
  { "snooze", N_ ("Snooze") },
  { NULL, NULL },
};

static const TbNoticeAction contact_actions_emailed[] = {
  { "default", N_ ("Open") },
  { "done", N_ ("Emailed") },
  { "messaged", N_ ("Messaged") },
  { "snooze", N_ ("Snooze") },
  { NULL, NULL },
};

static const TbNoticeAction contact_actions_messaged[] = {
  { "default", N_ ("Open") },
  { "done", N_ ("Messaged") },
  { "snooze", N_ ("Snooze") },
  { NULL, NULL },
};

static const TbNoticeAction contact_actions_other[] = {
  { "default", N_ ("Open") },
  { "done", N_ ("Done") },
  { "messaged", N_ ("Messaged") },
  { "snooze", N_ ("Snooze") },
  { NULL, NULL },
};

static const TbNoticeAction *
contact_actions (const TbConfig *config)
{
  if (tb_interaction_kind_is_conversation (config->done_kind))
    return contact_actions_talked;
  switch (config->done_kind)
    {
      case TB_KIND_EMAIL:
        return contact_actions_emailed;
      case TB_KIND_MESSAGE:
        return contact_actions_messaged;
      default:
        return contact_actions_other;
    }
}

static const TbNoticeAction follow_up_actions[] = {
  { "default", N_ ("Open") },
  { "done", N_ ("Done") },
  { "snooze", N_ ("Snooze") },
  { NULL, NULL },
};

static const TbNoticeAction birthday_actions[] = {
  { "default", N_ ("Open") },
  { "done", N_ ("Sent wishes") },
  { NULL, NULL },
};

static const TbNoticeAction digest_actions[] = {
  { "default", N_ ("Show") },
  { NULL, NULL },
};

/* "track-1mo" and "track-3mo" are the intervals of TB_DAY * 30 and 90
 * (tb-actions.c); "later" is the review's "later". */
static const TbNoticeAction review_actions[] = {
  { "default", N_ ("Open") },
  { "track-1mo", N_ ("Every month") },
  { "track-3mo", N_ ("Every 3 months") },
  { "later", N_ ("Not now") },
  { NULL, NULL },
};

static const TbNoticeAction intro_actions[] = {
  { "introduce", N_ ("Introduce") },
  { "not-now", N_ ("Not now") },
  { NULL, NULL },
};

/* How many more first alerts may start today. */
static guint
daily_left (TbStore *store, const TbConfig *config, gint64 today)
{
  gint64 day = tb_store_get_state_int (store, STATE_ALERT_DAY, 0);
  gint64 started = 0;

  if (day == today)
    started = tb_store_get_state_int (store, STATE_ALERT_COUNT, 0);
  if (started >= config->daily_limit)
    return 0;
  return config->daily_limit - (guint) started;
}

typedef struct
{
  TbAlerts *alerts;
  TbStore *store;
  const TbConfig *config;
  TbReminderStyle style;
  guint shown;        /* individual notifications so far */
  GPtrArray *digest;  /* (owned) names for the digest */
  GArray *digest_ids; /* (owned) contact ids in the digest */
  guint digest_first; /* first alerts waiting in the digest */
  guint started;      /* first alerts shown */
  gboolean server_gone;
} Batch;

static gboolean
show (Batch *batch, const TbReminderText *text, TbNoticeKind kind, gint64 id,
      gint64 other_id, const TbNoticeAction *actions)
{
  g_autoptr (GError) error = NULL;

  if (!tb_notifier_show (batch->alerts->notifier, text, kind, id, other_id,
                         batch->style.actions ? actions : NULL, &error))
    {
      g_message ("Alert not shown, it stays pending: %s", error->message);
      batch->server_gone = TRUE;
      return FALSE;
    }
  batch->shown++;
  return TRUE;
}

static void
alert_follow_up (Batch *batch, TbFollowUp *f)
{
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GError) error = NULL;

  tb_reminder_for_follow_up (f, &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_FOLLOW_UP, f->id, 0, follow_up_actions))
    return;
  if (!tb_store_mark_follow_up_alerted (batch->store, f->id, batch->style.now,
                                        &error))
    g_warning ("%s", error->message);
}

static void
alert_birthday (Batch *batch, TbContact *c)
{
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GError) error = NULL;

  tb_reminder_for_birthday (
      c, tb_schedule_age_on (c->birthday, batch->style.now, batch->style.tz),
      &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_BIRTHDAY, c->id, 0, birthday_actions))
    return;
  if (!tb_store_mark_birthday_alerted (batch->store, c->id, batch->style.now,
                                       &error))
    g_warning ("%s", error->message);
}

static void
alert_contact (Batch *batch, TbContact *c, gboolean first)
{
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GPtrArray) facts = NULL;
  g_autoptr (GPtrArray) interactions = NULL;
  g_autoptr (GError) error = NULL;

  if (batch->shown >= batch->config->batch_limit)
    {
      g_ptr_array_add (batch->digest, g_strdup (c->name));
      g_array_append_val (batch->digest_ids, c->id);
      if (first)
        batch->digest_first++;
      return;
    }
  facts = tb_store_list_facts (batch->store, c->id, NULL);
  /* The newest: the one the reminder quotes. */
  interactions = tb_store_list_interactions (batch->store, c->id, 1, NULL);
  tb_reminder_for_contact (c, facts,
                           interactions != NULL && interactions->len > 0
                               ? g_ptr_array_index (interactions, 0)
                               : NULL,
                           &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_CONTACT, c->id, 0,
             contact_actions (batch->config)))
    return;
  if (first)
    batch->started++;
  if (!tb_store_mark_contact_alerted (batch->store, c->id, batch->style.now,
                                      &error))
    g_warning ("%s", error->message);
}

static void
show_digest (Batch *batch)
{
  g_auto (TbReminderText) text = { 0 };

  if (batch->digest->len == 0 || batch->server_gone)
    return;
  tb_reminder_digest (batch->digest, &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_DIGEST, 0, 0, digest_actions))
    return;
  /* Only a digest that was shown uses up today's first alerts. */
  batch->started += batch->digest_first;
  for (guint i = 0; i < batch->digest_ids->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!tb_store_mark_contact_alerted (
              batch->store, g_array_index (batch->digest_ids, gint64, i),
              batch->style.now, &error))
        g_warning ("%s", error->message);
    }
}

/* The suggestion of an introduction, when one is due: it shares the
 * batch's server and quiet hours. */
static void
suggest_intro (Batch *batch)
{
  g_autoptr (TbIntroSuggestion) s = NULL;
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GError) error = NULL;

  if (batch->server_gone)
    return;
  s = tb_engine_take_due_suggestion (batch->alerts->engine);
  if (s == NULL)
    return;
  tb_reminder_for_intro (s->a_id, s->a_name, s->b_id, s->b_name, s->reason,
                         &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_INTRO, s->a_id, s->b_id, intro_actions))
    return;
  g_info ("Suggested introducing %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
          s->a_id, s->b_id);
  if (!tb_engine_mark_suggested (batch->alerts->engine, &error))
    g_warning ("%s", error->message);
}

/* The review notifications due now ([review] per-day of them a day,
 * spread over the day): slots missed while the daemon did not run are
 * shown together, never more than the day's count. They count against
 * nothing else. */
static void
suggest_reviews (Batch *batch)
{
  TbEngine *engine = batch->alerts->engine;
  const TbConfig *config = batch->config;

  for (guint i = 0; i < config->review_per_day && !batch->server_gone; i++)
    {
      g_autoptr (TbReviewEntry) e = tb_engine_take_due_review (engine);
      g_auto (TbReminderText) text = { 0 };
      g_autoptr (GError) error = NULL;

      if (e == NULL)
        return;
      tb_reminder_for_review (e->contact, e->reason, &batch->style, &text);
      if (!show (batch, &text, TB_NOTICE_REVIEW, e->id, 0, review_actions))
        return;
      g_info ("Review notification about %" G_GINT64_FORMAT, e->id);
      if (!tb_engine_mark_review_noticed (engine, e->id, &error))
        {
          g_warning ("%s", error->message);
          return;
        }
    }
}

static void
count_started (Batch *batch, gint64 today)
{
  g_autoptr (GError) error = NULL;
  gint64 before = 0;

  if (batch->started == 0)
    return;
  if (tb_store_get_state_int (batch->store, STATE_ALERT_DAY, 0) == today)
    before = tb_store_get_state_int (batch->store, STATE_ALERT_COUNT, 0);
  if (!tb_store_set_state_int (batch->store, STATE_ALERT_DAY, today, &error)
      || !tb_store_set_state_int (batch->store, STATE_ALERT_COUNT,
                                  before + batch->started, &error))
    g_warning ("%s", error->message);
}

/* Shows what is due at @now. Returns whether any contact, follow-up or
 * birthday was shown or deferred. */
static gboolean
run_batch (Batch *batch, gint64 now)
{
  TbStore *store = batch->store;
  GTimeZone *tz = batch->style.tz;
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  g_autoptr (GPtrArray) birthdays = NULL;
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  g_autoptr (GError) error = NULL;
  TbAlertPlan plan = { 0 };
  gint64 today = tb_time_day_start (now, tz);
  gboolean changed;

  contacts = tb_store_alert_contacts (store, now, &error);
  follow_ups = contacts ? tb_store_alert_follow_ups (store, now, &error) : NULL;
  birthdays = follow_ups ? tb_store_alert_birthdays (store, now, &error) : NULL;
  if (birthdays == NULL)
    {
      g_warning ("Cannot read what is due: %s", error->message);
      return FALSE;
    }
  if (contacts->len == 0 && follow_ups->len == 0 && birthdays->len == 0)
    return FALSE;

  candidates = g_array_new (FALSE, FALSE, sizeof (TbAlertCandidate));
  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < contacts->len; i++)
    {
      TbContact *c = g_ptr_array_index (contacts, i);
      TbAlertCandidate cand = { c->id, c->due_at, c->alerted_at == 0 };

      g_array_append_val (candidates, cand);
      g_hash_table_insert (by_id, &c->id, c);
    }
  tb_schedule_plan_alerts (candidates, daily_left (store, batch->config, today),
                           &plan);

  /* Follow-ups first: the person asked for them on that day; then
   * birthdays. Neither is capped by the daily limit. */
  for (guint i = 0; i < follow_ups->len && !batch->server_gone; i++)
    alert_follow_up (batch, g_ptr_array_index (follow_ups, i));
  for (guint i = 0; i < birthdays->len && !batch->server_gone; i++)
    alert_birthday (batch, g_ptr_array_index (birthdays, i));
  for (guint i = 0; i < plan.show->len && !batch->server_gone; i++)
    {
      TbAlertCandidate *cand = &g_array_index (plan.show, TbAlertCandidate, i);

      alert_contact (batch, g_hash_table_lookup (by_id, &cand->id),
                     cand->first);
    }
  show_digest (batch);

  /* Over the daily limit: wait for tomorrow, still due and listed. */
  for (guint i = 0; i < plan.defer->len; i++)
    {
      TbAlertCandidate *cand = &g_array_index (plan.defer, TbAlertCandidate, i);

      if (!tb_store_defer_contact_alert (
              store, cand->id, tb_time_next_day_start (now, tz), &error))
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
        }
    }
  count_started (batch, today);
  g_info ("Alerted %u, deferred %u to tomorrow", batch->shown, plan.defer->len);
  changed = batch->shown > 0 || plan.defer->len > 0;
  tb_alert_plan_clear (&plan);
  return changed;
}

/* A server that refuses alerts (an error, a time-out) is asked again
 * after a minute, then after two, ... up to an hour; never in a loop. */
static void
note_refusal (TbAlerts *alerts, gint64 now, gboolean refused)
{
  if (!refused)
    {
      alerts->retry_at = 0;
      alerts->retry_delay = 0;
      return;
    }
  alerts->retry_delay
      = alerts->retry_delay ? MIN (alerts->retry_delay * 2, 3600) : 60;
  alerts->retry_at = now + alerts->retry_delay;
  g_message ("The notification server refused alerts; trying again in "
             "%" G_GINT64_FORMAT " s",
             alerts->retry_delay);
}

gboolean
tb_alerts_has_server (TbAlerts *alerts)
{
  return alerts->notifier != NULL
         && tb_notifier_is_available (alerts->notifier);
}

/* Shows everything due now, in one batch. */
static void
run (TbAlerts *alerts)
{
  TbEngine *engine = alerts->engine;
  TbStore *store = tb_engine_get_store (engine);
  const TbConfig *config = tb_engine_get_config (engine);
  gint64 now = tb_engine_now (engine);
  GTimeZone *tz = tb_engine_get_time_zone (engine);
  Batch batch = { alerts, store, config, { .now = now, .tz = tz } };
  gint64 quiet_end = 0;
  gboolean changed = FALSE;
  g_autoptr (GError) error = NULL;

  /* Marking what it shows would fail on the import's lock, and showing
   * it unmarked would show it again: wait, with the timer disarmed, for
   * the import to end (on_import_ended). */
  if (tb_engine_is_importing (engine))
    {
      g_autoptr (GError) local = NULL;

      g_debug ("An import is running: the alerts wait for its end");
      alerts->batch_waiting = TRUE;
      if (!tb_timer_arm (alerts->timer, 0, &local))
        g_warning ("%s", local->message);
      return;
    }
  if (!tb_alerts_has_server (alerts)
      || tb_config_in_quiet_hours (config, now, tz, &quiet_end))
    {
      note_refusal (alerts, now, FALSE);
      tb_alerts_reschedule (alerts);
      return;
    }
  /* One transaction for the batch: one fsync, not one per alert. */
  if (!tb_store_begin (store, &error))
    {
      g_warning ("%s", error->message);
      tb_alerts_reschedule (alerts);
      return;
    }
  tb_notifier_query_style (alerts->notifier, &batch.style);
  batch.digest = g_ptr_array_new_with_free_func (g_free);
  batch.digest_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  changed = run_batch (&batch, now);
  suggest_intro (&batch);
  suggest_reviews (&batch);
  if (!tb_store_commit (store, &error))
    g_warning ("%s", error->message);
  g_ptr_array_unref (batch.digest);
  g_array_unref (batch.digest_ids);
  note_refusal (alerts, now, batch.server_gone);
  /* A wake-up that showed nothing changed nothing: no signal, no
   * calendar rebuild, just the next wake-up. */
  if (changed)
    tb_engine_emit_changed (engine);
  else
    tb_alerts_reschedule (alerts);
}

void
tb_alerts_reschedule (TbAlerts *alerts)
{
  TbEngine *engine = alerts->engine;
  g_autoptr (GError) error = NULL;
  gint64 now = tb_engine_now (engine);
  TbStore *store = tb_engine_get_store (engine);
  GTimeZone *tz = tb_engine_get_time_zone (engine);
  gint64 today = tb_time_day_start (now, tz);
  gint64 first_alerts_from = 0;
  gint64 earliest, suggest, review, wake;

  /* The day's first alerts are spent: the contacts that come due before
   * tomorrow would only be held, so they wake nobody. */
  if (daily_left (store, tb_engine_get_config (engine), today) == 0)
    first_alerts_from = tb_time_next_day_start (now, tz);
  earliest = tb_store_next_alert_at (store, first_alerts_from, &error);
  if (earliest < 0)
    {
      g_warning ("Cannot find the next alert: %s", error->message);
      return;
    }
  /* The suggestion of an introduction shares the one timer: with
   * suggest-every=1w and nothing due, the daemon wakes once a week. */
  suggest = tb_engine_next_suggestion_at (engine);
  if (suggest > 0 && (earliest == 0 || suggest < earliest))
    earliest = suggest;
  /* So do the review notifications: a few slots a day, and none at all
   * once nobody is left to show. */
  review = tb_engine_next_review_notice_at (engine);
  if (review > 0 && (earliest == 0 || review < earliest))
    earliest = review;
  /* Without a server nothing can be shown: wait for its name to appear
   * instead of waking up for alerts that would only stay pending. */
  if (!tb_alerts_has_server (alerts) && earliest <= now)
    earliest = 0;
  /* The server refused the last batch: try again after a pause, not in a
   * tight loop. */
  if (earliest > 0 && earliest < alerts->retry_at)
    earliest = alerts->retry_at;
  wake = tb_schedule_wakeup (earliest, now, tb_engine_get_config (engine), tz);
  if (!tb_timer_arm (alerts->timer, wake, &error))
    g_warning ("%s", error->message);
  else if (wake > 0)
    g_debug ("Next wake-up at %" G_GINT64_FORMAT, wake);
  else
    g_debug ("Nothing to wait for: the timer is disarmed");
}

void
tb_alerts_replan (TbAlerts *alerts)
{
  TbEngine *engine = alerts->engine;
  TbStore *store = tb_engine_get_store (engine);
  gint64 now = tb_engine_now (engine);
  g_autoptr (GError) error = NULL;

  if (tb_engine_is_importing (alerts->engine))
    {
      alerts->replan_waiting = TRUE;
      return;
    }
  /* With the day's first alerts still spent, what was held would only be
   * held again: a write of every held contact (and a calendar rebuild)
   * at each start, for nothing. */
  if (daily_left (store, tb_engine_get_config (engine),
                  tb_time_day_start (now, tb_engine_get_time_zone (engine)))
      == 0)
    {
      tb_alerts_reschedule (alerts);
      return;
    }
  if (!tb_store_release_held_alerts (store, now, &error))
    g_warning ("Cannot plan the held alerts again: %s", error->message);
  tb_alerts_reschedule (alerts);
}

gboolean
tb_alerts_get_status (TbAlerts *alerts, TbAlertsStatus *out, GError **error)
{
  TbEngine *engine = alerts->engine;
  TbStore *store = tb_engine_get_store (engine);
  const TbConfig *config = tb_engine_get_config (engine);
  GTimeZone *tz = tb_engine_get_time_zone (engine);
  gint64 now = tb_engine_now (engine);
  gint64 today = tb_time_day_start (now, tz);

  *out = (TbAlertsStatus){ 0 };
  out->server = tb_alerts_has_server (alerts);
  if (alerts->retry_at > now)
    out->retry_at = alerts->retry_at;
  out->held = tb_store_count_held_alerts (store, now,
                                          daily_left (store, config, today) == 0
                                              ? tb_time_next_day_start (now, tz)
                                              : 0,
                                          &out->held_until, error);
  if (out->held < 0)
    return FALSE;
  if (!tb_config_in_quiet_hours (config, now, tz, &out->quiet_until))
    out->quiet_until = 0;
  out->daily_limit = config->daily_limit;
  if (tb_store_get_state_int (store, STATE_ALERT_DAY, 0) == today)
    out->started_today = tb_store_get_state_int (store, STATE_ALERT_COUNT, 0);
  return TRUE;
}

gint64
tb_alerts_get_next_wakeup (TbAlerts *alerts)
{
  return tb_timer_get_armed (alerts->timer);
}

static void
on_timer (gboolean clock_changed, gpointer user_data)
{
  if (clock_changed)
    g_info ("The wall clock was set; re-arming");
  run (user_data);
}

static void
on_server (gboolean available, gpointer user_data)
{
  TbAlerts *alerts = user_data;

  /* Alerts that waited for a server are shown the moment one appears. */
  alerts->retry_at = 0;
  alerts->retry_delay = 0;
  if (available)
    run (alerts);
  else
    tb_alerts_reschedule (alerts);
}

static void
on_action (TbNoticeKind kind, gint64 id, gint64 other_id, const char *action,
           gpointer user_data)
{
  TbAlerts *alerts = user_data;
  Action *a;

  if (!tb_engine_is_importing (alerts->engine))
    {
      tb_actions_handle (alerts->engine, kind, id, other_id, action);
      return;
    }
  /* Pressed during an import, done when it ends: the button's write
   * would fail on the import's lock, and nobody would see why. */
  a = g_new0 (Action, 1);
  a->kind = kind;
  a->id = id;
  a->other_id = other_id;
  a->action = g_strdup (action);
  g_queue_push_tail (&alerts->waiting_actions, a);
}

/* After the import's "changed", if it wrote: what waited goes now. */
static void
on_import_ended (TbEngine *engine, gpointer user_data)
{
  TbAlerts *alerts = user_data;
  Action *a;

  while ((a = g_queue_pop_head (&alerts->waiting_actions)) != NULL)
    {
      tb_actions_handle (alerts->engine, a->kind, a->id, a->other_id,
                         a->action);
      action_free (a);
    }
  if (alerts->replan_waiting)
    {
      alerts->replan_waiting = FALSE;
      alerts->batch_waiting = FALSE;
      tb_alerts_replan (alerts);
    }
  else if (alerts->batch_waiting)
    {
      alerts->batch_waiting = FALSE;
      tb_alerts_reschedule (alerts);
    }
}

TbAlerts *
tb_alerts_new (TbEngine *engine, GError **error)
{
  g_autoptr (TbAlerts) alerts = g_new0 (TbAlerts, 1);

  alerts->engine = g_object_ref (engine);
  g_queue_init (&alerts->waiting_actions);
  alerts->import_ended_id = g_signal_connect (
      engine, "import-ended", G_CALLBACK (on_import_ended), alerts);
  alerts->timer = tb_timer_new (on_timer, alerts, error);
  if (alerts->timer == NULL)
    return NULL;
  return g_steal_pointer (&alerts);
}

void
tb_alerts_start (TbAlerts *alerts)
{
  g_return_if_fail (alerts->notifier == NULL);
  alerts->notifier = tb_notifier_new (on_action, on_server, alerts);
  tb_alerts_reschedule (alerts);
}

void
tb_alerts_free (TbAlerts *alerts)
{
  if (alerts == NULL)
    return;
  g_clear_pointer (&alerts->notifier, tb_notifier_free);
  g_clear_pointer (&alerts->timer, tb_timer_free);
  g_queue_clear_full (&alerts->waiting_actions, action_free);
  if (alerts->engine != NULL)
    g_clear_signal_handler (&alerts->import_ended_id, alerts->engine);
  g_clear_object (&alerts->engine);
  g_free (alerts);
}
