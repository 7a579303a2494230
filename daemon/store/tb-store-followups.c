/* tb-store-followups.c — follow-ups and the alert state of contacts and
 * follow-ups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-error.h"
#include "tb-schedule.h"
#include "tb-store-private.h"
#include "tb-time.h"

#define FOLLOW_UP_COLUMNS                                                      \
  "f.id, f.contact_id, f.due_at, f.text, f.created_at, f.done_at, "            \
  "f.next_alert_at, f.alerted_at, f.sequence, c.name, c.uid"

static TbFollowUp *
follow_up_from_stmt (TbStmt *stmt)
{
  TbFollowUp *f = g_new0 (TbFollowUp, 1);

  f->id = sqlite3_column_int64 (stmt, 0);
  f->contact_id = sqlite3_column_int64 (stmt, 1);
  f->due_at = sqlite3_column_int64 (stmt, 2);
  f->text = tb_stmt_dup_text (stmt, 3);
  f->created_at = sqlite3_column_int64 (stmt, 4);
  f->done_at = sqlite3_column_int64 (stmt, 5);
  f->next_alert_at = sqlite3_column_int64 (stmt, 6);
  f->alerted_at = sqlite3_column_int64 (stmt, 7);
  f->sequence = (guint) sqlite3_column_int64 (stmt, 8);
  f->contact_name = tb_stmt_dup_text (stmt, 9);
  f->contact_uid = tb_stmt_dup_text (stmt, 10);
  return f;
}

static GPtrArray *
collect (TbStore *store, TbStmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) out = NULL;
  int rc;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_follow_up_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, follow_up_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read follow-ups"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Recomputes a follow-up's next_alert_at; done ones never alert. */
static gboolean
refresh_follow_up (TbStore *store, gint64 id, GError **error)
{
  g_autoptr (TbStmt) read = NULL;
  g_autoptr (TbStmt) write = NULL;
  gint64 next = 0;

  read = tb_store_prepare (store,
                           "SELECT due_at, snoozed_until, alerted_at, done_at "
                           "FROM follow_ups WHERE id = ?",
                           error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, id);
  if (!tb_store_step_row (store, read, TB_RECORD_FOLLOW_UP, id, error))
    return FALSE;
  if (sqlite3_column_type (read, 3) == SQLITE_NULL)
    next = tb_schedule_next_alert_at (
        sqlite3_column_int64 (read, 0), sqlite3_column_int64 (read, 1),
        sqlite3_column_int64 (read, 2), store->policy.re_alert);
  tb_stmt_release (g_steal_pointer (&read));

  write = tb_store_prepare (store,
                            "UPDATE follow_ups SET next_alert_at = ?2 "
                            "WHERE id = ?1",
                            error);
  if (write == NULL)
    return FALSE;
  sqlite3_bind_int64 (write, 1, id);
  tb_stmt_bind_time (write, 2, next);
  return tb_store_step_done (store, write, error);
}

/* Runs one UPDATE on a follow-up, then refreshes its alert time, in one
 * transaction; NOT_FOUND when no row matched. */
static gboolean
update_follow_up (TbStore *store, gint64 id, const char *sql, gint64 value,
                  GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  if (!tb_store_begin (store, error))
    return FALSE;
  stmt = tb_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      tb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  tb_stmt_bind_time (stmt, 2, value);
  if (!tb_store_step_done (store, stmt, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  if (sqlite3_changes (store->db) == 0)
    {
      tb_store_rollback (store);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("No open follow-up with id %s"), number);
      return FALSE;
    }
  if (!refresh_follow_up (store, id, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

gint64
tb_store_add_follow_up (TbStore *store, gint64 contact_id, gint64 due_at,
                        const char *text, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  gint64 id;

  if (*clean == '\0')
    {
      g_set_error_literal (
          error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          _ ("A follow-up needs a text: what to follow up on"));
      return 0;
    }
  if (due_at <= 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("A follow-up needs a date"));
      return 0;
    }
  if (!tb_store_contact_exists (store, contact_id, error))
    return 0;
  if (!tb_store_begin (store, error))
    return 0;
  stmt = tb_store_prepare (store,
                           "INSERT INTO follow_ups (contact_id, due_at, text, "
                           "created_at) VALUES (?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    {
      tb_store_rollback (store);
      return 0;
    }
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, due_at);
  sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!tb_store_step_done (store, stmt, error))
    {
      tb_store_rollback (store);
      return 0;
    }
  id = sqlite3_last_insert_rowid (store->db);
  if (!refresh_follow_up (store, id, error))
    {
      tb_store_rollback (store);
      return 0;
    }
  if (!tb_store_commit (store, error))
    return 0;
  return id;
}

gboolean
tb_store_complete_follow_up (TbStore *store, gint64 id, gint64 now,
                             GError **error)
{
  return update_follow_up (store, id,
                           "UPDATE follow_ups SET done_at = ?2 "
                           "WHERE id = ?1 AND done_at IS NULL",
                           now, error);
}

gboolean
tb_store_snooze_follow_up (TbStore *store, gint64 id, gint64 until,
                           GError **error)
{
  return update_follow_up (store, id,
                           "UPDATE follow_ups SET snoozed_until = ?2, "
                           "alerted_at = NULL WHERE id = ?1 "
                           "AND done_at IS NULL",
                           until, error);
}

gboolean
tb_store_remove_follow_up (TbStore *store, gint64 id, GError **error)
{
  return tb_store_delete_by_id (store, "DELETE FROM follow_ups WHERE id = ?",
                                id, TB_RECORD_FOLLOW_UP, error);
}

TbFollowUp *
tb_store_get_follow_up (TbStore *store, gint64 id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store,
                           "SELECT " FOLLOW_UP_COLUMNS " FROM follow_ups f "
                           "JOIN contacts c ON c.id = f.contact_id "
                           "WHERE f.id = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tb_store_step_row (store, stmt, TB_RECORD_FOLLOW_UP, id, error))
    return NULL;
  return follow_up_from_stmt (stmt);
}

GPtrArray *
tb_store_list_follow_ups (TbStore *store, gint64 contact_id, gint64 until,
                          GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store,
                           "SELECT " FOLLOW_UP_COLUMNS " FROM follow_ups f "
                           "JOIN contacts c ON c.id = f.contact_id "
                           "WHERE f.done_at IS NULL AND f.due_at <= ?2 "
                           "AND (?1 = 0 OR f.contact_id = ?1) "
                           "ORDER BY f.due_at, f.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, until);
  return collect (store, stmt, error);
}

gboolean
tb_store_foreach_due_follow_up (TbStore *store, gint64 until, guint limit,
                                const TbDueCursor *after, TbFollowUpFunc func,
                                gpointer user_data, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  stmt
      = tb_store_prepare (store,
                          "SELECT " FOLLOW_UP_COLUMNS " FROM follow_ups f "
                          "JOIN contacts c ON c.id = f.contact_id "
                          "WHERE f.done_at IS NULL AND f.due_at <= ?1 "
                          "AND f.due_at >= ?3 AND (f.due_at > ?3 OR f.id > ?4) "
                          "ORDER BY f.due_at, f.id LIMIT ?2",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, until);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, after != NULL ? after->due_at : G_MININT64);
  sqlite3_bind_int64 (stmt, 4, after != NULL ? after->id : G_MININT64);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (follow_up_from_stmt (stmt), user_data, error))
      return FALSE;
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read follow-ups"));
  return TRUE;
}

/* The earliest re-alert (a contact already reminded in its due period)
 * before @before, from the partial index of those contacts
 * (contacts_re_alert). 0: none; -1: @error is set. */
static gint64
next_re_alert_before (TbStore *store, gint64 before, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store,
                           "SELECT min(next_alert_at) FROM contacts "
                           "INDEXED BY contacts_re_alert "
                           "WHERE alerted_at IS NOT NULL "
                           "AND next_alert_at < ?1",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, before);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot read the next alert"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
tb_store_next_alert_at (TbStore *store, gint64 first_alerts_from,
                        GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  gint64 contacts, others;

  /* Three index look-ups (MIN on an indexed column reads one entry). */
  stmt = tb_store_prepare (store,
                           "SELECT coalesce((SELECT min(next_alert_at) "
                           "FROM contacts WHERE next_alert_at IS NOT NULL), "
                           "9223372036854775807), min(coalesce((SELECT "
                           "min(next_alert_at) FROM follow_ups WHERE "
                           "next_alert_at IS NOT NULL), 9223372036854775807), "
                           "coalesce((SELECT min(birthday_alert_at) FROM "
                           "contacts WHERE birthday_alert_at IS NOT NULL), "
                           "9223372036854775807))",
                           error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot read the next alert"));
      return -1;
    }
  contacts = sqlite3_column_int64 (stmt, 0);
  others = sqlite3_column_int64 (stmt, 1);
  /* With the day's first alerts spent, a contact coming due today would
   * only be held to @first_alerts_from: waking for it would show nothing
   * (at a million contacts one comes due every few seconds). Re-alerts
   * are not held, so the earliest of them still counts. */
  if (first_alerts_from > 0 && contacts < first_alerts_from)
    {
      gint64 re_alert = next_re_alert_before (store, first_alerts_from, error);

      if (re_alert < 0)
        return -1;
      contacts = re_alert > 0 ? re_alert : first_alerts_from;
    }
  contacts = MIN (contacts, others);
  return contacts == G_MAXINT64 ? 0 : contacts;
}

GPtrArray *
tb_store_alert_contacts (TbStore *store, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) out = NULL;
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT " TB_CONTACT_COLUMNS " FROM contacts c "
                           "WHERE c.next_alert_at <= ? ORDER BY c.due_at, c.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, tb_store_contact_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read due contacts"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
tb_store_alert_follow_ups (TbStore *store, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store,
                           "SELECT " FOLLOW_UP_COLUMNS " FROM follow_ups f "
                           "JOIN contacts c ON c.id = f.contact_id "
                           "WHERE f.next_alert_at <= ? ORDER BY f.due_at, f.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return collect (store, stmt, error);
}

static gboolean
set_alert (TbStore *store, const char *sql, gint64 id, gint64 a, gint64 b,
           GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, a);
  sqlite3_bind_int64 (stmt, 3, b);
  return tb_store_step_done (store, stmt, error);
}

GPtrArray *
tb_store_alert_birthdays (TbStore *store, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) out = NULL;
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT " TB_CONTACT_COLUMNS " FROM contacts c "
                           "WHERE c.birthday_alert_at <= ? "
                           "ORDER BY c.birthday_alert_at, c.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, tb_store_contact_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read birthdays"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
tb_store_mark_birthday_alerted (TbStore *store, gint64 id, gint64 now,
                                GError **error)
{
  /* Tomorrow onwards: the next birthday is next year's. */
  return tb_store_refresh_birthday (
      store, id, tb_time_next_day_start (now, store->tz), error);
}

gboolean
tb_store_mark_contact_alerted (TbStore *store, gint64 id, gint64 now,
                               GError **error)
{
  return set_alert (store,
                    "UPDATE contacts SET alerted_at = ?2, "
                    "next_alert_at = ?2 + ?3 WHERE id = ?1",
                    id, now, store->policy.re_alert, error);
}

gboolean
tb_store_mark_follow_up_alerted (TbStore *store, gint64 id, gint64 now,
                                 GError **error)
{
  return set_alert (store,
                    "UPDATE follow_ups SET alerted_at = ?2, "
                    "next_alert_at = ?2 + ?3 WHERE id = ?1",
                    id, now, store->policy.re_alert, error);
}

gboolean
tb_store_defer_contact_alert (TbStore *store, gint64 id, gint64 until,
                              GError **error)
{
  return set_alert (store,
                    "UPDATE contacts SET next_alert_at = max(?2, ?3) "
                    "WHERE id = ?1",
                    id, until, until, error);
}

/* A contact whose first alert the daily limit put off: due, never
 * alerted in this due period, not snoozed past now, and yet its alert
 * waits. tb_store_mark_contact_alerted and a snooze are the only other
 * ways next_alert_at moves past the due time. */
#define HELD_CONTACT                                                           \
  "due_at IS NOT NULL AND due_at <= ?1 AND alerted_at IS NULL "                \
  "AND next_alert_at > ?1 AND coalesce (snoozed_until, 0) <= ?1"

gint64
tb_store_count_held_alerts (TbStore *store, gint64 now,
                            gint64 first_alerts_from, gint64 *out_until,
                            GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  gint64 held, until;

  stmt = tb_store_prepare (store,
                           "SELECT count(*), coalesce (min (next_alert_at), 0) "
                           "FROM contacts WHERE " HELD_CONTACT,
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot count the held alerts"));
      return -1;
    }
  held = sqlite3_column_int64 (stmt, 0);
  until = sqlite3_column_int64 (stmt, 1);
  /* The first alerts that came due after the limit was spent: no
   * wake-up has deferred them (tb_store_next_alert_at), yet they wait
   * for the same day. */
  if (first_alerts_from > 0)
    {
      g_autoptr (TbStmt) due = NULL;
      gint64 n;

      due = tb_store_prepare (store,
                              "SELECT count(*) FROM contacts "
                              "WHERE next_alert_at <= ?1 "
                              "AND alerted_at IS NULL",
                              error);
      if (due == NULL)
        return -1;
      sqlite3_bind_int64 (due, 1, now);
      if (sqlite3_step (due) != SQLITE_ROW)
        {
          tb_store_fail (store, error, _ ("Cannot count the held alerts"));
          return -1;
        }
      n = sqlite3_column_int64 (due, 0);
      if (n > 0 && (until == 0 || first_alerts_from < until))
        until = first_alerts_from;
      held += n;
    }
  if (out_until != NULL)
    *out_until = until;
  return held;
}

gboolean
tb_store_release_held_alerts (TbStore *store, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store,
                           "UPDATE contacts SET next_alert_at = due_at "
                           "WHERE " HELD_CONTACT,
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  return tb_store_step_done (store, stmt, error);
}
