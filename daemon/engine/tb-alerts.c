/* tb-alerts.c — turning what is due into notifications, and the buttons
 * on them back into changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-alerts"

#include "config.h"

#include "tb-connector.h"
#include "tb-daemon.h"
#include "tb-error.h"
#include "tb-intros.h"
#include "tb-reminder.h"
#include "tb-schedule.h"
#include "tb-time.h"

/* Keys of the daily counter in the store's state table: the counter
 * survives restarts, so restarting does not reset the daily limit. */
#define STATE_ALERT_DAY "alerts.day"
#define STATE_ALERT_COUNT "alerts.started"

static const TbNoticeAction contact_actions[] = {
  { "default", "Open" },
  { "done", "Done" },
  { "snooze", "Snooze" },
  { NULL, NULL },
};

static const TbNoticeAction follow_up_actions[] = {
  { "default", "Open" },
  { "done", "Done" },
  { "snooze", "Snooze" },
  { NULL, NULL },
};

static const TbNoticeAction birthday_actions[] = {
  { "default", "Open" },
  { "done", "Sent wishes" },
  { NULL, NULL },
};

static const TbNoticeAction digest_actions[] = {
  { "default", "Show" },
  { NULL, NULL },
};

static gint64
next_day_start (gint64 now, GTimeZone *tz)
{
  /* Local days last 23 to 25 hours: 26 hours after today's midnight is
   * always tomorrow, whatever DST does. */
  return tb_time_day_start (tb_time_day_start (now, tz) + 26 * TB_HOUR, tz);
}

/* How many more first alerts may start today. */
static guint
daily_left (TbDaemon *daemon, gint64 today)
{
  gint64 day = tb_store_get_state_int (daemon->store, STATE_ALERT_DAY, 0);
  gint64 started = 0;

  if (day == today)
    started = tb_store_get_state_int (daemon->store, STATE_ALERT_COUNT, 0);
  if (started >= daemon->config->daily_limit)
    return 0;
  return daemon->config->daily_limit - (guint) started;
}

typedef struct
{
  TbDaemon *daemon;
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
      const TbNoticeAction *actions)
{
  g_autoptr (GError) error = NULL;

  if (!tb_notifier_show (batch->daemon->notifier, text, kind, id, 0,
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
  TbDaemon *daemon = batch->daemon;
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GError) error = NULL;

  tb_reminder_for_follow_up (f, &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_FOLLOW_UP, f->id, follow_up_actions))
    return;
  if (!tb_store_mark_follow_up_alerted (daemon->store, f->id, batch->style.now,
                                        &error))
    g_warning ("%s", error->message);
}

static void
alert_birthday (Batch *batch, TbContact *c)
{
  TbDaemon *daemon = batch->daemon;
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GError) error = NULL;

  tb_reminder_for_birthday (
      c, tb_schedule_age_on (c->birthday, batch->style.now, daemon->tz),
      &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_BIRTHDAY, c->id, birthday_actions))
    return;
  if (!tb_store_mark_birthday_alerted (daemon->store, c->id, batch->style.now,
                                       &error))
    g_warning ("%s", error->message);
}

static void
alert_contact (Batch *batch, TbContact *c, gboolean first)
{
  TbDaemon *daemon = batch->daemon;
  g_auto (TbReminderText) text = { 0 };
  g_autoptr (GPtrArray) facts = NULL;
  g_autoptr (GError) error = NULL;

  if (batch->shown >= daemon->config->batch_limit)
    {
      g_ptr_array_add (batch->digest, g_strdup (c->name));
      g_array_append_val (batch->digest_ids, c->id);
      if (first)
        batch->digest_first++;
      return;
    }
  facts = tb_store_list_facts (daemon->store, c->id, NULL);
  tb_reminder_for_contact (c, facts, &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_CONTACT, c->id, contact_actions))
    return;
  if (first)
    batch->started++;
  if (!tb_store_mark_contact_alerted (daemon->store, c->id, batch->style.now,
                                      &error))
    g_warning ("%s", error->message);
}

static void
show_digest (Batch *batch)
{
  TbDaemon *daemon = batch->daemon;
  g_auto (TbReminderText) text = { 0 };

  if (batch->digest->len == 0 || batch->server_gone)
    return;
  tb_reminder_digest (batch->digest, &batch->style, &text);
  if (!show (batch, &text, TB_NOTICE_DIGEST, 0, digest_actions))
    return;
  /* Only a digest that was shown uses up today's first alerts. */
  batch->started += batch->digest_first;
  for (guint i = 0; i < batch->digest_ids->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (!tb_store_mark_contact_alerted (
              daemon->store, g_array_index (batch->digest_ids, gint64, i),
              batch->style.now, &error))
        g_warning ("%s", error->message);
    }
}

/* Shows what is due. Returns whether anything was shown or deferred;
 * @refused: the server did not take an alert. */
static gboolean
run_batch (TbDaemon *daemon, gint64 now, gboolean *refused)
{
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  g_autoptr (GPtrArray) birthdays = NULL;
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  g_autoptr (GError) error = NULL;
  TbAlertPlan plan = { 0 };
  Batch batch = { daemon };
  gint64 today = tb_time_day_start (now, daemon->tz);
  gboolean changed;

  contacts = tb_store_alert_contacts (daemon->store, now, &error);
  follow_ups = contacts ? tb_store_alert_follow_ups (daemon->store, now, &error)
                        : NULL;
  birthdays = follow_ups ? tb_store_alert_birthdays (daemon->store, now, &error)
                         : NULL;
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
  tb_schedule_plan_alerts (candidates, daily_left (daemon, today), &plan);

  batch.style.now = now;
  batch.style.tz = daemon->tz;
  tb_notifier_query_style (daemon->notifier, &batch.style);
  batch.digest = g_ptr_array_new_with_free_func (g_free);
  batch.digest_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Follow-ups first: the person asked for them on that day; then
   * birthdays. Neither is capped by the daily limit. */
  for (guint i = 0; i < follow_ups->len && !batch.server_gone; i++)
    alert_follow_up (&batch, g_ptr_array_index (follow_ups, i));
  for (guint i = 0; i < birthdays->len && !batch.server_gone; i++)
    alert_birthday (&batch, g_ptr_array_index (birthdays, i));
  for (guint i = 0; i < plan.show->len && !batch.server_gone; i++)
    {
      TbAlertCandidate *cand = &g_array_index (plan.show, TbAlertCandidate, i);

      alert_contact (&batch, g_hash_table_lookup (by_id, &cand->id),
                     cand->first);
    }
  show_digest (&batch);

  /* Over the daily limit: wait for tomorrow, still due and listed. */
  for (guint i = 0; i < plan.defer->len; i++)
    {
      TbAlertCandidate *cand = &g_array_index (plan.defer, TbAlertCandidate, i);

      if (!tb_store_defer_contact_alert (daemon->store, cand->id,
                                         next_day_start (now, daemon->tz),
                                         &error))
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
        }
    }
  if (batch.started > 0)
    {
      gint64 before
          = tb_store_get_state_int (daemon->store, STATE_ALERT_DAY, 0) == today
                ? tb_store_get_state_int (daemon->store, STATE_ALERT_COUNT, 0)
                : 0;

      if (!tb_store_set_state_int (daemon->store, STATE_ALERT_DAY, today,
                                   &error)
          || !tb_store_set_state_int (daemon->store, STATE_ALERT_COUNT,
                                      before + batch.started, &error))
        g_warning ("%s", error->message);
    }
  g_info ("Alerted %u, deferred %u to tomorrow", batch.shown, plan.defer->len);
  *refused = batch.server_gone;
  changed = batch.shown > 0 || plan.defer->len > 0;
  tb_alert_plan_clear (&plan);
  g_ptr_array_unref (batch.digest);
  g_array_unref (batch.digest_ids);
  return changed;
}

/* A server that refuses alerts (an error, a time-out) is asked again
 * after a minute, then after two, ... up to an hour; never in a loop. */
static void
note_refusal (TbDaemon *daemon, gint64 now, gboolean refused)
{
  if (!refused)
    {
      daemon->alert_retry_at = 0;
      daemon->alert_retry_delay = 0;
      return;
    }
  daemon->alert_retry_delay = daemon->alert_retry_delay
                                  ? MIN (daemon->alert_retry_delay * 2, 3600)
                                  : 60;
  daemon->alert_retry_at = now + daemon->alert_retry_delay;
  g_message ("The notification server refused alerts; trying again in "
             "%" G_GINT64_FORMAT " s",
             daemon->alert_retry_delay);
}

void
tb_alerts_run (TbDaemon *daemon)
{
  gint64 now = tb_daemon_now (daemon);
  gint64 quiet_end = 0;
  gboolean changed = FALSE;
  gboolean refused = FALSE;
  g_autoptr (GError) error = NULL;

  if (daemon->notifier != NULL && tb_notifier_is_available (daemon->notifier)
      && !tb_config_in_quiet_hours (daemon->config, now, daemon->tz,
                                    &quiet_end))
    {
      /* One transaction for the batch: one fsync, not one per alert. */
      if (tb_store_begin (daemon->store, &error))
        {
          TbReminderStyle style = { .now = now, .tz = daemon->tz };

          changed = run_batch (daemon, now, &refused);
          tb_notifier_query_style (daemon->notifier, &style);
          if (!tb_connector_run (daemon, now, &style))
            refused = TRUE;
          if (!tb_store_commit (daemon->store, &error))
            g_warning ("%s", error->message);
        }
      else
        g_warning ("%s", error->message);
    }
  note_refusal (daemon, now, refused);
  /* A wake-up that showed nothing changed nothing: no signal, no
   * calendar rebuild, just the next wake-up. */
  if (changed)
    tb_daemon_changed (daemon);
  else
    tb_daemon_reschedule (daemon);
}

static void
on_launched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = user_data;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("Cannot open %s: %s", uri, error->message);
}

static void
open_link (const char *uri)
{
  if (uri == NULL)
    {
      g_message ("This contact has no link to open");
      return;
    }
  /* Contact data is untrusted: a file:// or a custom scheme could run
   * anything a handler does. Only the web, mail and phone. */
  if (!tb_reminder_uri_is_safe (uri))
    {
      g_message ("Not opening “%s”: only https, http, mailto and tel links "
                 "are opened",
                 uri);
      return;
    }
  g_info ("Opening %s", uri);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, on_launched,
                                           g_strdup (uri));
}

static void
contact_action (TbDaemon *daemon, gint64 id, const char *action, GError **error)
{
  gint64 now = tb_daemon_now (daemon);

  if (g_str_equal (action, "done"))
    tb_store_log_interaction (daemon->store, id, TB_KIND_OTHER, now,
                              "Done from a reminder", now, error);
  else if (g_str_equal (action, "snooze"))
    tb_store_snooze (daemon->store, id, now + daemon->config->snooze, error);
  else if (g_str_equal (action, "default"))
    {
      g_autoptr (TbContact) c = tb_store_get_contact (daemon->store, id, error);

      if (c != NULL)
        open_link (c->url);
    }
}

static void
follow_up_action (TbDaemon *daemon, gint64 id, const char *action,
                  GError **error)
{
  gint64 now = tb_daemon_now (daemon);

  if (g_str_equal (action, "done"))
    tb_store_complete_follow_up (daemon->store, id, now, error);
  else if (g_str_equal (action, "snooze"))
    tb_store_snooze_follow_up (daemon->store, id, now + daemon->config->snooze,
                               error);
  else if (g_str_equal (action, "default"))
    {
      g_autoptr (TbFollowUp) f
          = tb_store_get_follow_up (daemon->store, id, error);
      g_autoptr (TbContact) c = NULL;

      if (f != NULL)
        c = tb_store_get_contact (daemon->store, f->contact_id, error);
      if (c != NULL)
        open_link (c->url);
    }
}

static void
birthday_action (TbDaemon *daemon, gint64 id, const char *action,
                 GError **error)
{
  gint64 now = tb_daemon_now (daemon);

  if (g_str_equal (action, "done"))
    tb_store_log_interaction (daemon->store, id, TB_KIND_MESSAGE, now,
                              "Birthday wishes", now, error);
  else
    contact_action (daemon, id, action, error);
}

/* The digest's click-through: the whole picture, written fresh. The
 * daemon wrote that file itself a moment ago, so file: is safe here, unlike
 * a contact's link. */
static void
open_report (TbDaemon *daemon, GError **error)
{
  g_autofree char *path = tb_connector_write_report_file (daemon, error);
  g_autofree char *uri = NULL;

  if (path == NULL)
    return;
  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    return;
  g_info ("Opening the report %s", uri);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, on_launched,
                                           g_strdup (uri));
}

/* "introduce" records it as `touchbase introduce` does and opens the
 * introduction in the mail program, addressed to whoever of the two has
 * an address: the notification has nowhere else to put the text.
 * "not-now" only holds the pair back for a few suggestion periods; it is
 * not a decline, so the pair may come back later. */
static void
intro_action (TbDaemon *daemon, gint64 a, gint64 b, const char *action,
              GError **error)
{
  if (g_str_equal (action, "introduce"))
    {
      g_autoptr (TbContact) ca = NULL;
      g_autoptr (TbContact) cb = NULL;
      g_autofree char *text = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *uri = NULL;

      text = tb_connector_introduce (daemon, a, b, NULL, &ca, &cb, error);
      if (text == NULL)
        return;
      subject = tb_intros_compose_subject (ca, cb);
      uri = tb_intros_mailto_uri (ca, cb, subject, text);
      open_link (uri);
    }
  else if (g_str_equal (action, "not-now"))
    tb_store_record_intro (daemon->store, a, b, TB_INTRO_SUGGESTED, NULL,
                           tb_daemon_now (daemon), error);
}

void
tb_alerts_on_action (TbNoticeKind kind, gint64 id, gint64 other_id,
                     const char *action, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (GError) error = NULL;

  g_info ("Action “%s” on a reminder", action);
  switch (kind)
    {
      case TB_NOTICE_CONTACT:
        contact_action (daemon, id, action, &error);
        break;
      case TB_NOTICE_FOLLOW_UP:
        follow_up_action (daemon, id, action, &error);
        break;
      case TB_NOTICE_BIRTHDAY:
        birthday_action (daemon, id, action, &error);
        break;
      case TB_NOTICE_DIGEST:
        if (g_str_equal (action, "default"))
          open_report (daemon, &error);
        break;
      case TB_NOTICE_INTRO:
        intro_action (daemon, id, other_id, action, &error);
        break;
      default:
        break;
    }
  if (error != NULL)
    g_warning ("Action “%s” failed: %s", action, error->message);
  tb_daemon_changed (daemon);
}
