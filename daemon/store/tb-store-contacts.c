/* tb-store-contacts.c — contacts, their tags, facts and interactions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-config.h"
#include "tb-error.h"
#include "tb-keys.h"
#include "tb-schedule.h"
#include "tb-store-private.h"
#include "tb-uuid.h"

TbContact *
tb_store_contact_from_stmt (TbStmt *stmt)
{
  TbContact *c = tb_contact_new ();
  const char *tags;
  int col = 0;

  c->id = sqlite3_column_int64 (stmt, col++);
  c->uid = tb_stmt_dup_text (stmt, col++);
  c->name = tb_stmt_dup_text (stmt, col++);
  c->email = tb_stmt_dup_text (stmt, col++);
  c->phone = tb_stmt_dup_text (stmt, col++);
  c->url = tb_stmt_dup_text (stmt, col++);
  c->company = tb_stmt_dup_text (stmt, col++);
  c->position = tb_stmt_dup_text (stmt, col++);
  c->met = tb_stmt_dup_text (stmt, col++);
  c->note = tb_stmt_dup_text (stmt, col++);
  c->birthday = tb_stmt_dup_text (stmt, col++);
  c->source = tb_stmt_dup_text (stmt, col++);
  c->interval = sqlite3_column_int64 (stmt, col++);
  c->effective_interval = sqlite3_column_int64 (stmt, col++);
  c->connected_on = sqlite3_column_int64 (stmt, col++);
  c->created_at = sqlite3_column_int64 (stmt, col++);
  c->last_interaction_at = sqlite3_column_int64 (stmt, col++);
  c->last_conversation_at = sqlite3_column_int64 (stmt, col++);
  if (!tb_interaction_kind_from_string (
          (const char *) sqlite3_column_text (stmt, col++),
          &c->last_interaction_kind))
    c->last_interaction_kind = TB_KIND_OTHER;
  c->snoozed_until = sqlite3_column_int64 (stmt, col++);
  c->paused = sqlite3_column_int (stmt, col++) != 0;
  c->due_at = sqlite3_column_int64 (stmt, col++);
  c->next_alert_at = sqlite3_column_int64 (stmt, col++);
  c->alerted_at = sqlite3_column_int64 (stmt, col++);
  c->sequence = (guint) sqlite3_column_int64 (stmt, col++);
  c->tracking = (TbTracking) sqlite3_column_int (stmt, col++);
  c->tracked_since = sqlite3_column_int64 (stmt, col++);
  tags = (const char *) sqlite3_column_text (stmt, col++);
  c->tags = tags ? g_strsplit (tags, "\x1f", -1) : g_new0 (char *, 1);
  return c;
}

static gint64
effective_interval (TbStore *store, gint64 own, const char *const *tags)
{
  return tb_config_effective_interval (own, tags, store->policy.tag_intervals,
                                       store->policy.default_interval);
}

gboolean
tb_store_refresh_contact (TbStore *store, gint64 id, GError **error)
{
  g_autoptr (TbStmt) read = NULL;
  g_autoptr (TbStmt) write = NULL;
  g_auto (GStrv) tags = NULL;
  TbDueInput in = { 0 };
  gint64 interval, old_due, due, snoozed, alerted, next;
  const char *tag_list;

  read = tb_store_prepare (store,
                           "SELECT uid, interval, created_at, "
                           "last_interaction_at, paced, paused, due_at, "
                           "snoozed_until, alerted_at, "
                           "(SELECT group_concat(tag, char(31)) FROM "
                           "contact_tags WHERE contact_id = ?1), "
                           "tracking, tracked_since "
                           "FROM contacts WHERE id = ?1",
                           error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, id);
  if (!tb_store_step_row (store, read, TB_RECORD_CONTACT, id, error))
    return FALSE;
  tag_list = (const char *) sqlite3_column_text (read, 9);
  tags = tag_list ? g_strsplit (tag_list, "\x1f", -1) : NULL;
  interval = effective_interval (store, sqlite3_column_int64 (read, 1),
                                 (const char *const *) tags);
  in.interval = interval;
  in.created_at = sqlite3_column_int64 (read, 2);
  in.last_interaction_at = sqlite3_column_int64 (read, 3);
  in.paced = sqlite3_column_int (read, 4) != 0;
  in.paused = sqlite3_column_int (read, 5) != 0;
  in.tracked = sqlite3_column_int (read, 10) == TB_TRACKING_TRACKED;
  in.tracked_since = sqlite3_column_int64 (read, 11);
  in.id = id;
  old_due = sqlite3_column_int64 (read, 6);
  snoozed = sqlite3_column_int64 (read, 7);
  alerted = sqlite3_column_int64 (read, 8);
  tb_stmt_release (g_steal_pointer (&read));

  due = tb_schedule_due_at (&in);
  next = tb_schedule_next_alert_at (due, snoozed, alerted,
                                    store->policy.re_alert);

  write = tb_store_prepare (store,
                            "UPDATE contacts SET effective_interval = ?2, "
                            "due_at = ?3, next_alert_at = ?4, "
                            "sequence = sequence + ?5 WHERE id = ?1",
                            error);
  if (write == NULL)
    return FALSE;
  sqlite3_bind_int64 (write, 1, id);
  sqlite3_bind_int64 (write, 2, interval);
  tb_stmt_bind_time (write, 3, due);
  tb_stmt_bind_time (write, 4, next);
  sqlite3_bind_int (write, 5, due != old_due ? 1 : 0);
  return tb_store_step_done (store, write, error);
}

static gboolean
tag_intervals_equal (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  guint size_a = a ? g_hash_table_size (a) : 0;
  guint size_b = b ? g_hash_table_size (b) : 0;

  /* No table and an empty one mean the same: no tag has a default. */
  if (size_a != size_b)
    return FALSE;
  if (size_a == 0)
    return TRUE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const gint64 *other = g_hash_table_lookup (b, key);

      if (other == NULL || *other != *(const gint64 *) value)
        return FALSE;
    }
  return TRUE;
}

gboolean
tb_store_refresh_all (TbStore *store, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  TbStmt *stmt;
  int rc;

  stmt = tb_store_prepare (store, "SELECT id FROM contacts", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  tb_stmt_release (stmt);
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read contacts"));

  if (!tb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      if (!tb_store_refresh_contact (store, g_array_index (ids, gint64, i),
                                     error))
        {
          tb_store_rollback (store);
          return FALSE;
        }
    }
  /* A restored backup may carry a birthday alert for a contact that is
   * not tracked (the row as it was written): only tracked ones alert. */
  stmt = tb_store_prepare (store,
                           "UPDATE contacts SET birthday_alert_at = NULL "
                           "WHERE tracking <> 1 AND birthday_alert_at IS NOT "
                           "NULL",
                           error);
  if (stmt == NULL || !tb_store_step_done (store, stmt, error))
    {
      tb_stmt_release (stmt);
      tb_store_rollback (store);
      return FALSE;
    }
  tb_stmt_release (stmt);
  return tb_store_commit (store, error);
}

gboolean
tb_store_set_policy (TbStore *store, const TbStorePolicy *policy,
                     GError **error)
{
  TbStorePolicy old;

  if (store->policy.default_interval == policy->default_interval
      && store->policy.re_alert == policy->re_alert
      && tag_intervals_equal (store->policy.tag_intervals,
                              policy->tag_intervals))
    return TRUE;

  old = store->policy;
  store->policy = *policy;
  if (policy->tag_intervals != NULL)
    g_hash_table_ref (policy->tag_intervals);

  /* A new default moves the due time of everyone who relies on it: rare
   * (a configuration change), so recomputing all rows is fine. */
  if (!tb_store_refresh_all (store, error))
    {
      /* Keep the policy the rows were computed with, so that the same
       * change is tried again next time. */
      g_clear_pointer (&store->policy.tag_intervals, g_hash_table_unref);
      store->policy = old;
      return FALSE;
    }
  g_clear_pointer (&old.tag_intervals, g_hash_table_unref);
  return TRUE;
}

gint64
tb_store_next_contact_id (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  if (store->next_contact_id > 0)
    return store->next_contact_id;
  /* AUTOINCREMENT's counter, which keeps the ids of removed contacts
   * from coming back; the id is bound explicitly, so SQLite would not
   * consult it itself. */
  stmt = tb_store_prepare (
      store,
      "SELECT max (coalesce ((SELECT seq FROM sqlite_sequence "
      "WHERE name = 'contacts'), 0), coalesce ((SELECT max (id) FROM "
      "contacts), 0)) + 1",
      error);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot read the next contact id"));
      return 0;
    }
  store->next_contact_id = sqlite3_column_int64 (stmt, 0);
  return store->next_contact_id;
}

gboolean
tb_store_refresh_birthday (TbStore *store, gint64 id, gint64 now,
                           GError **error)
{
  g_autoptr (TbStmt) read = NULL;
  g_autoptr (TbStmt) write = NULL;
  g_autofree char *birthday = NULL;

  /* Only a tracked contact's birthday alerts: the user has not chosen
   * the others (docs/design.md §2). */
  read = tb_store_prepare (
      store, "SELECT birthday FROM contacts WHERE id = ? AND tracking = 1",
      error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, id);
  if (sqlite3_step (read) == SQLITE_ROW)
    birthday = tb_stmt_dup_text (read, 0);
  else if (!tb_store_contact_exists (store, id, error))
    return FALSE;
  tb_stmt_release (g_steal_pointer (&read));

  write = tb_store_prepare (store,
                            "UPDATE contacts SET birthday_alert_at = ?2 "
                            "WHERE id = ?1",
                            error);
  if (write == NULL)
    return FALSE;
  sqlite3_bind_int64 (write, 1, id);
  tb_stmt_bind_time (write, 2,
                     tb_schedule_next_birthday (birthday, now, store->tz));
  return tb_store_step_done (store, write, error);
}

static gboolean
set_tags (TbStore *store, gint64 id, const char *const *tags, GError **error)
{
  g_autoptr (TbStmt) del = NULL;

  del = tb_store_prepare (
      store, "DELETE FROM contact_tags WHERE contact_id = ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, id);
  if (!tb_store_step_done (store, del, error))
    return FALSE;

  for (guint i = 0; tags && tags[i]; i++)
    {
      g_autoptr (TbStmt) ins = NULL;
      g_autofree char *tag = tb_tag_key (tags[i]);

      if (*tag == '\0')
        continue;
      ins = tb_store_prepare (store,
                              "INSERT OR IGNORE INTO contact_tags "
                              "(contact_id, tag) VALUES (?, ?)",
                              error);
      if (ins == NULL)
        return FALSE;
      sqlite3_bind_int64 (ins, 1, id);
      sqlite3_bind_text (ins, 2, tag, -1, SQLITE_TRANSIENT);
      if (!tb_store_step_done (store, ins, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tb_store_fold_tags (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) update = NULL;
  g_autoptr (TbStmt) drop = NULL;

  update = tb_store_prepare (store,
                             "UPDATE OR IGNORE contact_tags "
                             "SET tag = tb_tag_key (tag) "
                             "WHERE tag <> tb_tag_key (tag)",
                             error);
  if (update == NULL || !tb_store_step_done (store, update, error))
    return FALSE;
  /* What is left unfolded was a second spelling of a tag the contact
   * has. */
  drop = tb_store_prepare (
      store, "DELETE FROM contact_tags WHERE tag <> tb_tag_key (tag)", error);
  return drop != NULL && tb_store_step_done (store, drop, error);
}

static gboolean
check_contact (const TbContact *c, TbFieldMask mask, GError **error)
{
  if ((mask & TB_FIELD_NAME) && (c->name == NULL || *c->name == '\0'))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("A contact needs a name"));
      return FALSE;
    }
  /* A century bounds the arithmetic on times far from overflow. */
  if ((mask & TB_FIELD_INTERVAL)
      && (c->interval < 0 || c->interval > 100 * 365 * (gint64) 86400))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("The interval must be positive and at most 100 "
                              "years"));
      return FALSE;
    }
  if ((guint) c->tracking > TB_TRACKING_IGNORED)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("Unknown tracking state"));
      return FALSE;
    }
  return TRUE;
}

/* The search index (contacts_search, tb-store-private.h). A contact that
 * bulk mode added is not in the index yet: it goes in
 * with the others at the end (tb_store_search_index_from), one statement
 * that tokenizes them all, instead of one per contact and per change of
 * it during the import. */
static gboolean
indexed_later (TbStore *store, gint64 id)
{
  return store->bulk && store->bulk_first_id > 0 && id >= store->bulk_first_id;
}

/* Runs @sql, which takes one contact's words out of the index or puts
 * them in, for contact @id; nothing while a bulk import indexes it at its
 * end. */
static gboolean
run_index_statement (TbStore *store, gint64 id, const char *sql, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  if (indexed_later (store, id))
    return TRUE;
  stmt = tb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return tb_store_step_done (store, stmt, error);
}

gboolean
tb_store_search_unindex (TbStore *store, gint64 id, GError **error)
{
  /* The words to take out are read from the rows as they still are: the
   * external content. A contact without a row (not yet added) has
   * nothing indexed and nothing is done. */
  return run_index_statement (
      store, id,
      "INSERT INTO contacts_search (contacts_search, rowid, name, company, "
      "position, email, note, facts) SELECT 'delete', id, name, company, "
      "position, email, note, facts FROM contacts_search_content "
      "WHERE id = ?1",
      error);
}

gboolean
tb_store_search_index (TbStore *store, gint64 id, GError **error)
{
  return run_index_statement (
      store, id,
      "INSERT INTO contacts_search (rowid, name, company, position, email, "
      "note, facts) SELECT id, name, company, position, email, note, facts "
      "FROM contacts_search_content WHERE id = ?1",
      error);
}

gboolean
tb_store_search_index_from (TbStore *store, gint64 first_id, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store,
      "INSERT INTO contacts_search (rowid, name, company, position, email, "
      "note, facts) SELECT id, name, company, position, email, note, facts "
      "FROM contacts_search_content WHERE id >= ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  return tb_store_step_done (store, stmt, error);
}

gboolean
tb_store_search_rebuild (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store, "INSERT INTO contacts_search (contacts_search) VALUES ('rebuild')",
      error);

  if (stmt == NULL)
    return FALSE;
  return tb_store_step_done (store, stmt, error);
}

static gint64 insert_fact (TbStore *store, gint64 contact_id, TbFactKind kind,
                           const char *text, gint64 now, GError **error);

static gint64
insert_contact (TbStore *store, TbContact *c, gboolean paced, gint64 now,
                GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autofree char *own_name_key = c->name_key ? NULL : tb_name_key (c->name);
  const char *name_key = c->name_key ? c->name_key : own_name_key;
  g_autofree char *own_url_key = c->url_key ? NULL : tb_url_key (c->url);
  const char *url_key = c->url_key ? c->url_key : own_url_key;
  g_autofree char *own_email_key
      = c->email_key ? NULL : tb_email_key (c->email);
  const char *email_key = c->email_key ? c->email_key : own_email_key;
  TbDueInput in = { 0 };
  gint64 id, due, next;

  /* The due and alert times are computed here rather than by a
   * refresh after the insert: an import adds thousands of contacts,
   * and two statements fewer for each is much of its time. A new contact
   * has no interaction, snooze or alert yet. */
  in.interval
      = effective_interval (store, c->interval, (const char *const *) c->tags);
  in.created_at = c->created_at;
  in.paced = paced;
  in.paused = c->paused;
  in.tracked = c->tracking == TB_TRACKING_TRACKED;
  in.tracked_since = c->tracked_since;
  /* The id is chosen here, not by SQLite, because the paced due time
   * depends on it (tb_schedule_pace_fraction). */
  id = tb_store_next_contact_id (store, error);
  if (id == 0)
    return 0;
  tb_store_undo_note_new_contact (store, id);
  in.id = id;
  due = tb_schedule_due_at (&in);
  next = tb_schedule_next_alert_at (due, 0, 0, store->policy.re_alert);

  stmt = tb_store_prepare (
      store,
      "INSERT INTO contacts (uid, name, name_key, email, "
      "phone, url, company, position, met, note, "
      "birthday, source, interval, effective_interval, "
      "paced, connected_on, created_at, url_key, paused, due_at, "
      "next_alert_at, sequence, birthday_alert_at, id, email_key, "
      "tracking, tracked_since) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return 0;
  tb_stmt_bind_text (stmt, 1, c->uid);
  tb_stmt_bind_text (stmt, 2, c->name);
  tb_stmt_bind_text (stmt, 3, name_key);
  tb_stmt_bind_text (stmt, 4, c->email);
  tb_stmt_bind_text (stmt, 5, c->phone);
  tb_stmt_bind_text (stmt, 6, c->url);
  tb_stmt_bind_text (stmt, 7, c->company);
  tb_stmt_bind_text (stmt, 8, c->position);
  tb_stmt_bind_text (stmt, 9, c->met);
  tb_stmt_bind_text (stmt, 10, c->note);
  tb_stmt_bind_text (stmt, 11, c->birthday);
  tb_stmt_bind_text (stmt, 12, c->source);
  sqlite3_bind_int64 (stmt, 13, c->interval);
  sqlite3_bind_int64 (stmt, 14, in.interval);
  sqlite3_bind_int (stmt, 15, paced ? 1 : 0);
  tb_stmt_bind_time (stmt, 16, c->connected_on);
  sqlite3_bind_int64 (stmt, 17, c->created_at);
  tb_stmt_bind_text (stmt, 18, url_key);
  sqlite3_bind_int (stmt, 19, c->paused ? 1 : 0);
  tb_stmt_bind_time (stmt, 20, due);
  tb_stmt_bind_time (stmt, 21, next);
  /* As a refresh would: the due time moved from "none". */
  sqlite3_bind_int (stmt, 22, due != 0 ? 1 : 0);
  tb_stmt_bind_time (
      stmt, 23,
      in.tracked ? tb_schedule_next_birthday (c->birthday, now, store->tz) : 0);
  sqlite3_bind_int64 (stmt, 24, id);
  tb_stmt_bind_text (stmt, 25, email_key);
  sqlite3_bind_int (stmt, 26, (int) c->tracking);
  tb_stmt_bind_time (stmt, 27, c->tracked_since);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot add the contact"));
      store->next_contact_id = 0;
      return 0;
    }
  store->next_contact_id = id + 1;

  if (c->tags != NULL && c->tags[0] != NULL
      && !set_tags (store, id, (const char *const *) c->tags, error))
    return 0;
  for (guint i = 0; c->facts && i < c->facts->len; i++)
    {
      TbFact *f = g_ptr_array_index (c->facts, i);

      if (insert_fact (store, id, f->kind, f->text, now, error) == 0)
        return 0;
    }
  /* Once, with the facts: nothing of the new contact is indexed yet. */
  if (!tb_store_search_index (store, id, error))
    return 0;
  c->effective_interval = in.interval;
  c->due_at = due;
  c->next_alert_at = next;
  return id;
}

gint64
tb_store_add_contact (TbStore *store, TbContact *c, gboolean paced, gint64 now,
                      GError **error)
{
  gint64 id;

  if (!check_contact (c, TB_FIELD_NAME | TB_FIELD_INTERVAL, error))
    return 0;
  if (c->uid == NULL)
    c->uid = tb_uuid_v7_new ();
  if (c->created_at == 0)
    c->created_at = now;
  if (c->source == NULL)
    c->source = g_strdup ("manual");

  if (!tb_store_begin (store, error))
    return 0;
  id = insert_contact (store, c, paced, now, error);
  if (id == 0)
    {
      tb_store_rollback (store);
      return 0;
    }
  if (!tb_store_commit (store, error))
    return 0;
  c->id = id;
  return id;
}

/* Runs @func inside a transaction; rolls back when it fails. */
typedef gboolean (*TbTxnFunc) (TbStore *store, gpointer data, GError **error);

static gboolean
in_transaction (TbStore *store, TbTxnFunc func, gpointer data, GError **error)
{
  if (!tb_store_begin (store, error))
    return FALSE;
  if (!func (store, data, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

typedef struct
{
  gint64 id;
  const TbContact *values;
  TbFieldMask mask;
  gint64 now;
} UpdateArgs;

/* Text columns that an update may set, in TbFieldMask order; those that
 * have a key column set it (?3) in the same statement, from the same
 * text. */
static const struct
{
  TbFieldMask field;
  const char *sql;
  gsize offset;
  char *(*key) (const char *text); /* (nullable) */
} text_fields[] = {
  { TB_FIELD_EMAIL,
    "UPDATE contacts SET email = ?2, email_key = ?3 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, email), tb_email_key },
  { TB_FIELD_PHONE, "UPDATE contacts SET phone = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, phone), NULL },
  { TB_FIELD_URL, "UPDATE contacts SET url = ?2, url_key = ?3 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, url), tb_url_key },
  { TB_FIELD_COMPANY, "UPDATE contacts SET company = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, company), NULL },
  { TB_FIELD_POSITION, "UPDATE contacts SET position = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, position), NULL },
  { TB_FIELD_MET, "UPDATE contacts SET met = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, met), NULL },
  { TB_FIELD_NOTE, "UPDATE contacts SET note = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, note), NULL },
  { TB_FIELD_BIRTHDAY, "UPDATE contacts SET birthday = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, birthday), NULL },
  { TB_FIELD_SOURCE, "UPDATE contacts SET source = ?2 WHERE id = ?1",
    G_STRUCT_OFFSET (TbContact, source), NULL },
};

static gboolean
run_update_text (TbStore *store, gint64 id, guint field, const char *text,
                 GError **error)
{
  g_autoptr (TbStmt) stmt
      = tb_store_prepare (store, text_fields[field].sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  tb_stmt_bind_text (stmt, 2, text);
  if (text_fields[field].key != NULL)
    {
      g_autofree char *key = text ? text_fields[field].key (text) : NULL;

      tb_stmt_bind_text (stmt, 3, key);
    }
  return tb_store_step_done (store, stmt, error);
}

/* @zero_is_null: for times, where 0 means "not set". */
static gboolean
run_update_int (TbStore *store, gint64 id, const char *sql, gint64 value,
                gboolean zero_is_null, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (zero_is_null)
    tb_stmt_bind_time (stmt, 2, value);
  else
    sqlite3_bind_int64 (stmt, 2, value);
  return tb_store_step_done (store, stmt, error);
}

/* Makes the contact tracked from @since on, unless it is already: the
 * clock of a contact already tracked does not restart. Only then does its
 * birthday alert start too: recomputing it for a contact already tracked
 * would bring back today's alert once shown, on the birthday itself. */
static gboolean
start_tracking (TbStore *store, gint64 id, gint64 since, gint64 now,
                GError **error)
{
  if (!run_update_int (store, id,
                       "UPDATE contacts SET tracking = 1, tracked_since = ?2 "
                       "WHERE id = ?1 AND tracking <> 1",
                       since, TRUE, error))
    return FALSE;
  return sqlite3_changes (store->db) == 0
         || tb_store_refresh_birthday (store, id, now, error);
}

static gboolean
update_locked (TbStore *store, gpointer data, GError **error)
{
  UpdateArgs *a = data;
  const TbContact *v = a->values;
  /* Only a change of what the search index holds rewrites its entry:
   * most updates are of intervals, tags or times. */
  gboolean indexed = (a->mask
                      & (TB_FIELD_NAME | TB_FIELD_EMAIL | TB_FIELD_COMPANY
                         | TB_FIELD_POSITION | TB_FIELD_NOTE))
                     || (v->facts != NULL && v->facts->len > 0);

  if (!tb_store_contact_exists (store, a->id, error))
    return FALSE;
  if (indexed && !tb_store_search_unindex (store, a->id, error))
    return FALSE;
  if (a->mask & TB_FIELD_NAME)
    {
      g_autoptr (TbStmt) stmt = NULL;
      g_autofree char *key = tb_name_key (v->name);

      stmt = tb_store_prepare (store,
                               "UPDATE contacts SET name = ?2, name_key = ?3 "
                               "WHERE id = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, a->id);
      tb_stmt_bind_text (stmt, 2, v->name);
      tb_stmt_bind_text (stmt, 3, key);
      if (!tb_store_step_done (store, stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *text;

      if (!(a->mask & text_fields[i].field))
        continue;
      text = G_STRUCT_MEMBER (const char *, v, text_fields[i].offset);
      /* "" clears a field: stored as NULL, so "not set" is one thing. */
      if (text != NULL && *text == '\0')
        text = NULL;
      if (!run_update_text (store, a->id, i, text, error))
        return FALSE;
    }
  if ((a->mask & TB_FIELD_INTERVAL)
      && !run_update_int (store, a->id,
                          "UPDATE contacts SET interval = ?2 WHERE id = ?1",
                          v->interval, FALSE, error))
    return FALSE;
  /* Giving someone an interval is choosing to keep in touch. */
  if ((a->mask & TB_FIELD_INTERVAL) && v->interval > 0
      && !start_tracking (store, a->id, a->now, a->now, error))
    return FALSE;
  if ((a->mask & TB_FIELD_CONNECTED_ON)
      && !run_update_int (store, a->id,
                          "UPDATE contacts SET connected_on = ?2 WHERE id = ?1",
                          v->connected_on, TRUE, error))
    return FALSE;
  if ((a->mask & TB_FIELD_TAGS)
      && !set_tags (store, a->id, (const char *const *) v->tags, error))
    return FALSE;
  if ((a->mask & TB_FIELD_BIRTHDAY)
      && !tb_store_refresh_birthday (store, a->id, a->now, error))
    return FALSE;
  for (guint i = 0; v->facts && i < v->facts->len; i++)
    {
      TbFact *f = g_ptr_array_index (v->facts, i);

      if (insert_fact (store, a->id, f->kind, f->text, a->now, error) == 0)
        return FALSE;
    }
  if (indexed && !tb_store_search_index (store, a->id, error))
    return FALSE;
  return tb_store_refresh_contact (store, a->id, error);
}

gboolean
tb_store_update_contact (TbStore *store, gint64 id, const TbContact *values,
                         TbFieldMask mask, gint64 now, GError **error)
{
  UpdateArgs args = { id, values, mask, now };

  if (!check_contact (values, mask, error))
    return FALSE;
  return in_transaction (store, update_locked, &args, error);
}

gboolean
tb_store_contact_exists (TbStore *store, gint64 id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store, "SELECT 1 FROM contacts WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tb_store_step_row (store, stmt, TB_RECORD_CONTACT, id, error))
    return FALSE;
  return TRUE;
}

static gboolean
remove_locked (TbStore *store, gpointer data, GError **error)
{
  gint64 id = *(gint64 *) data;

  return tb_store_search_unindex (store, id, error)
         && tb_store_delete_by_id (store, "DELETE FROM contacts WHERE id = ?",
                                   id, TB_RECORD_CONTACT, error);
}

gboolean
tb_store_remove_contact (TbStore *store, gint64 id, GError **error)
{
  return in_transaction (store, remove_locked, &id, error);
}

TbContact *
tb_store_get_contact (TbStore *store, gint64 id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  TbContact *c;

  stmt = tb_store_prepare (
      store, "SELECT " TB_CONTACT_COLUMNS " FROM contacts c WHERE c.id = ?",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tb_store_step_row (store, stmt, TB_RECORD_CONTACT, id, error))
    return NULL;
  c = tb_store_contact_from_stmt (stmt);
  return c;
}

static gint64
find_one (TbStore *store, const char *sql, const char *value, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  if (value == NULL || *value == '\0')
    return 0;
  stmt = tb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  return 0;
}

gint64
tb_store_find_duplicate (TbStore *store, const TbContact *in, GError **error)
{
  static const char by_uid[] = "SELECT id FROM contacts WHERE uid = ?";
  static const char by_url[] = "SELECT id FROM contacts WHERE url_key = ?";
  /* Its e-mail or one of its other addresses (§12). */
  static const char by_email[]
      = "SELECT id FROM contacts WHERE email_key = ?1 UNION ALL "
        "SELECT contact_id FROM contact_emails WHERE email_key = ?1";
  g_autofree char *own_url_key = in->url_key ? NULL : tb_url_key (in->url);
  const char *url_key = in->url_key ? in->url_key : own_url_key;
  g_autofree char *own_email_key
      = in->email_key ? NULL : tb_email_key (in->email);
  const char *email_key = in->email_key ? in->email_key : own_email_key;
  gint64 id;

  /* By key, not as written: "linkedin.com/in/x/" and
   * "https://de.linkedin.com/in/X" are the same person, and so are
   * "Ana@Example.org" and "ana@example.org". */
  if ((id = find_one (store, by_uid, in->uid, error)) != 0)
    return id;
  if ((id = find_one (store, by_url, url_key, error)) != 0)
    return id;
  if ((id = find_one (store, by_email, email_key, error)) != 0)
    return id;
  for (guint i = 0; in->other_emails && in->other_emails[i]; i++)
    {
      g_autofree char *key = tb_email_key (in->other_emails[i]);

      if ((id = find_one (store, by_email, key, error)) != 0)
        return id;
    }
  return 0;
}

gint64
tb_store_find_same (TbStore *store, const TbContact *c, const char **out_field,
                    GError **error)
{
  static const struct
  {
    const char *field;
    const char *sql;
    char *(*key) (const char *text);
    gsize offset;
  } checks[] = {
    /* Every tracking value spelled out (tb-store-names.c asserts them):
     * the index on (tracking, name_key) is then three searches, where
     * name_key alone would read the whole table at every add. */
    { "name",
      "SELECT id FROM contacts WHERE tracking IN (0, 1, 2) AND name_key = ? "
      "ORDER BY id",
      tb_name_key, G_STRUCT_OFFSET (TbContact, name) },
    { "email",
      "SELECT id FROM contacts WHERE email_key = ?1 UNION "
      "SELECT contact_id FROM contact_emails WHERE email_key = ?1 ORDER BY 1",
      tb_email_key, G_STRUCT_OFFSET (TbContact, email) },
    { "url", "SELECT id FROM contacts WHERE url_key = ? ORDER BY id",
      tb_url_key, G_STRUCT_OFFSET (TbContact, url) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      const char *text = G_STRUCT_MEMBER (char *, c, checks[i].offset);
      g_autofree char *key = text != NULL ? checks[i].key (text) : NULL;
      gint64 id = find_one (store, checks[i].sql, key, error);

      if (id != 0)
        {
          *out_field = checks[i].field;
          return id;
        }
    }
  return 0;
}

static GPtrArray *
collect_contacts (TbStore *store, TbStmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) out = NULL;
  int rc;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, tb_store_contact_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read contacts"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* The list comes in two parts, each read in the order of an index, so
 * that listing a whole network sorts nothing: first the contacts with a
 * due time, soonest first (contacts_due_at; only equal due times are
 * sorted by name), then those without one, paused or not tracked, by
 * tracking state and folded name (contacts_tracking_name_key). One
 * statement with "ORDER BY due_at IS NULL" had SQLite sort every row
 * with all its columns. Each part is read as whole contacts, or as the
 * nine fields of a row of `touchbase list` (TbRow). */
#define LIST_WHERE                                                             \
  "AND (?1 IS NULL OR EXISTS (SELECT 1 FROM contact_tags t "                   \
  "  WHERE t.contact_id = c.id AND t.tag = ?1)) "                              \
  "AND (?3 = 0 OR c.last_conversation_at IS NULL) "                            \
  "AND (?4 < 0 OR c.tracking = ?4) "
#define LIST_DUE(COLUMNS)                                                      \
  "SELECT " COLUMNS " FROM contacts c WHERE c.due_at IS NOT NULL "             \
  "AND (?2 IS NULL OR c.due_at <= ?2) " LIST_WHERE                             \
  "ORDER BY c.due_at, c.name COLLATE NOCASE LIMIT ?5"
#define LIST_REST(COLUMNS)                                                     \
  "SELECT " COLUMNS " FROM contacts c WHERE c.due_at IS NULL "                 \
  "AND ?2 IS NULL " LIST_WHERE "ORDER BY c.tracking, c.name_key LIMIT ?5"
/* The columns of a TbRow, in its order. */
#define ROW_COLUMNS                                                            \
  "c.id, c.name, c.company, (SELECT group_concat(t.tag, ',') FROM "            \
  "contact_tags t WHERE t.contact_id = c.id), c.due_at, c.snoozed_until, "     \
  "c.last_conversation_at, c.paused, c.tracking"

static const char *const list_parts[][2] = {
  { LIST_DUE (TB_CONTACT_COLUMNS), LIST_REST (TB_CONTACT_COLUMNS) },
  { LIST_DUE (ROW_COLUMNS), LIST_REST (ROW_COLUMNS) },
};

/* Part @part of the list (read as rows when @rows) with @f bound, at most
 * @limit rows (0: all); @tag_key keeps the bound tag alive. */
static TbStmt *
prepare_list (TbStore *store, gboolean rows, guint part, const TbListFilter *f,
              guint limit, const char *tag_key, GError **error)
{
  TbStmt *stmt = tb_store_prepare (store, list_parts[rows][part], error);

  if (stmt == NULL)
    return NULL;
  /* Stored tags are keys already: the filter is made one too. */
  tb_stmt_bind_text (stmt, 1, tag_key);
  if (f->due)
    sqlite3_bind_int64 (stmt, 2, f->now);
  sqlite3_bind_int (stmt, 3, f->never ? 1 : 0);
  sqlite3_bind_int (stmt, 4, f->by_tracking ? (int) f->tracking : -1);
  /* A negative LIMIT is none in SQLite. */
  sqlite3_bind_int64 (stmt, 5, limit > 0 ? (sqlite3_int64) limit : -1);
  return stmt;
}

/* Called with each row of a part's statement. */
typedef gboolean (*StmtFunc) (TbStmt *stmt, gpointer data, GError **error);

static gboolean
foreach_listed (TbStore *store, const TbListFilter *f, gboolean rows,
                StmtFunc func, gpointer data, GError **error)
{
  g_autofree char *tag = f->tag && *f->tag ? tb_tag_key (f->tag) : NULL;
  guint seen = 0;

  for (guint part = 0; part < G_N_ELEMENTS (list_parts[0]); part++)
    {
      g_autoptr (TbStmt) stmt = NULL;
      int rc;

      if (f->limit > 0 && seen >= f->limit)
        break;
      stmt = prepare_list (store, rows, part, f,
                           f->limit > 0 ? f->limit - seen : 0, tag, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (!func (stmt, data, error))
            return FALSE;
          seen++;
        }
      if (rc != SQLITE_DONE)
        return tb_store_fail (store, error, _ ("Cannot read contacts"));
    }
  return TRUE;
}

static gboolean
add_contact_to_array (TbStmt *stmt, gpointer data, GError **error)
{
  g_ptr_array_add (data, tb_store_contact_from_stmt (stmt));
  return TRUE;
}

GPtrArray *
tb_store_list_contacts (TbStore *store, const TbListFilter *f, GError **error)
{
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);

  if (!foreach_listed (store, f, FALSE, add_contact_to_array, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

typedef struct
{
  TbRowFunc func;
  gpointer data;
} RowCall;

/* The row's texts are SQLite's, valid until the next step: nothing is
 * copied, which at a million rows was most of the list's time. */
static gboolean
call_with_row (TbStmt *stmt, gpointer data, GError **error)
{
  RowCall *call = data;
  TbRow row = {
    .id = sqlite3_column_int64 (stmt, 0),
    .name = (const char *) sqlite3_column_text (stmt, 1),
    .company = (const char *) sqlite3_column_text (stmt, 2),
    .tags = (const char *) sqlite3_column_text (stmt, 3),
    .due_at = sqlite3_column_int64 (stmt, 4),
    .snoozed_until = sqlite3_column_int64 (stmt, 5),
    .last_conversation_at = sqlite3_column_int64 (stmt, 6),
    .paused = sqlite3_column_int (stmt, 7) != 0,
    .tracking = (TbTracking) sqlite3_column_int (stmt, 8),
  };

  return call->func (&row, call->data, error);
}

gboolean
tb_store_foreach_row (TbStore *store, const TbListFilter *f, TbRowFunc func,
                      gpointer user_data, GError **error)
{
  RowCall call = { func, user_data };

  return foreach_listed (store, f, TRUE, call_with_row, &call, error);
}

GPtrArray *
tb_store_list_due (TbStore *store, gint64 until, guint limit, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store,
                           "SELECT " TB_CONTACT_COLUMNS " FROM contacts c "
                           "WHERE c.due_at <= ?1 "
                           "AND coalesce(c.snoozed_until, 0) <= ?1 "
                           "ORDER BY c.due_at, c.id LIMIT ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, until);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);
  return collect_contacts (store, stmt, error);
}

static int
compare_for_calendar (gconstpointer a, gconstpointer b)
{
  const TbContact *x = *(const TbContact *const *) a;
  const TbContact *y = *(const TbContact *const *) b;

  /* ORDER BY due_at IS NULL, due_at, name COLLATE NOCASE (ASCII folding,
   * as g_ascii_strcasecmp), then id for a stable order. */
  if ((x->due_at == 0) != (y->due_at == 0))
    return x->due_at == 0 ? 1 : -1;
  if (x->due_at != y->due_at)
    return x->due_at < y->due_at ? -1 : 1;
  {
    int cmp = g_ascii_strcasecmp (x->name, y->name);

    if (cmp != 0)
      return cmp;
  }
  return x->id < y->id ? -1 : x->id > y->id;
}

static gboolean
attach_calendar_tags (TbStore *store, GHashTable *by_id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) run = g_ptr_array_new ();
  TbContact *current = NULL;
  int rc;

  /* The loop below needs each contact's tags in one run. Without the
   * ORDER BY, SQLite may scan the covering tag index instead, whose rows
   * come by tag; with it, it walks the primary key (contact_id, tag), so
   * the order costs no sort. */
  stmt = tb_store_prepare (
      store,
      "SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag",
      error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      gint64 id = 0;
      TbContact *c = NULL;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = sqlite3_column_int64 (stmt, 0);
          c = g_hash_table_lookup (by_id, &id);
        }
      if ((rc != SQLITE_ROW || c != current) && current != NULL)
        {
          g_ptr_array_add (run, NULL);
          g_strfreev (current->tags);
          current->tags = (char **) g_ptr_array_steal (run, NULL);
        }
      if (rc != SQLITE_ROW)
        break;
      current = c;
      if (c != NULL)
        g_ptr_array_add (run, tb_stmt_dup_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read tags"));
  return TRUE;
}

/* Adds to the contacts in @by_id (id -> TbContact) their goals and needs,
 * which the calendar shows the first of: one pass over the facts, not one
 * query per contact. */
static gboolean
attach_calendar_facts (TbStore *store, GHashTable *by_id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT contact_id, kind, text FROM facts "
                           "WHERE kind IN ('goal', 'need') "
                           "ORDER BY contact_id, kind, id",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      TbContact *c = g_hash_table_lookup (by_id, &id);
      TbFactKind kind = TB_FACT_INTEREST;

      if (c == NULL)
        continue;
      tb_fact_kind_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                &kind);
      tb_contact_add_fact (
          c, tb_fact_new (kind, (const char *) sqlite3_column_text (stmt, 2)));
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read facts"));
  return TRUE;
}

GPtrArray *
tb_store_list_for_calendar (TbStore *store, gint64 until, gint64 *next_entry,
                            GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (TbStmt) next = NULL;
  g_autoptr (GPtrArray) out = NULL;
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  /* Unsorted, sorted below in C: SQLite's ORDER BY here sorts whole rows
   * in a temporary B-tree, which cost more than the rest of the read. */
  stmt = tb_store_prepare (
      store,
      "SELECT c.id, c.uid, c.name, c.url, c.company, c.position, c.met, "
      "c.birthday, c.connected_on, c.last_interaction_at, "
      "c.last_interaction_kind, c.snoozed_until, c.paused, c.due_at, "
      "c.sequence, c.tracking FROM contacts c "
      "WHERE (c.due_at <= ?1 AND c.paused = 0) "
      "OR (c.birthday IS NOT NULL AND c.tracking = 1) "
      "OR c.id IN (SELECT contact_id FROM follow_ups WHERE done_at IS NULL)",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, until);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TbContact *c = tb_contact_new ();
      int col = 0;

      c->id = sqlite3_column_int64 (stmt, col++);
      c->uid = tb_stmt_dup_text (stmt, col++);
      c->name = tb_stmt_dup_text (stmt, col++);
      c->url = tb_stmt_dup_text (stmt, col++);
      c->company = tb_stmt_dup_text (stmt, col++);
      c->position = tb_stmt_dup_text (stmt, col++);
      c->met = tb_stmt_dup_text (stmt, col++);
      c->birthday = tb_stmt_dup_text (stmt, col++);
      c->connected_on = sqlite3_column_int64 (stmt, col++);
      c->last_interaction_at = sqlite3_column_int64 (stmt, col++);
      if (!tb_interaction_kind_from_string (
              (const char *) sqlite3_column_text (stmt, col++),
              &c->last_interaction_kind))
        c->last_interaction_kind = TB_KIND_OTHER;
      c->snoozed_until = sqlite3_column_int64 (stmt, col++);
      c->paused = sqlite3_column_int (stmt, col++) != 0;
      c->due_at = sqlite3_column_int64 (stmt, col++);
      c->sequence = (guint) sqlite3_column_int64 (stmt, col++);
      c->tracking = (TbTracking) sqlite3_column_int (stmt, col++);
      c->tags = g_new0 (char *, 1);
      g_ptr_array_add (out, c);
      g_hash_table_insert (by_id, &c->id, c);
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read contacts"));
      return NULL;
    }
  g_ptr_array_sort (out, compare_for_calendar);
  if (!attach_calendar_tags (store, by_id, error)
      || !attach_calendar_facts (store, by_id, error))
    return NULL;

  /* The smallest due_at past the window: the due_at index, read from its
   * start until the first contact that is not paused. */
  next = tb_store_prepare (store,
                           "SELECT min(due_at) FROM contacts "
                           "WHERE due_at > ? AND paused = 0",
                           error);
  if (next == NULL)
    return NULL;
  sqlite3_bind_int64 (next, 1, until);
  if (sqlite3_step (next) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot read the next due contact"));
      return NULL;
    }
  *next_entry = sqlite3_column_int64 (next, 0);
  return g_steal_pointer (&out);
}

/* Without the search index: the callers rewrite the contact's entry
 * once for all the facts they add. */
static gint64
insert_fact (TbStore *store, gint64 contact_id, TbFactKind kind,
             const char *text, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));

  if (*clean == '\0')
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("An empty %s says nothing"),
                   tb_fact_kind_to_string (kind));
      return 0;
    }
  /* A fact said twice is one fact: the upsert returns the existing id. */
  stmt = tb_store_prepare (store,
                           "INSERT INTO facts (contact_id, kind, text, "
                           "created_at) VALUES (?, ?, ?, ?) ON CONFLICT "
                           "(contact_id, kind, text) DO UPDATE SET "
                           "text = excluded.text RETURNING id",
                           error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_text (stmt, 2, tb_fact_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot add the fact"));
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
tb_store_add_fact (TbStore *store, gint64 contact_id, TbFactKind kind,
                   const char *text, gint64 now, GError **error)
{
  gint64 id;

  if (!tb_store_begin (store, error))
    return 0;
  if (!tb_store_search_unindex (store, contact_id, error))
    {
      tb_store_rollback (store);
      return 0;
    }
  id = insert_fact (store, contact_id, kind, text, now, error);
  if (id == 0 || !tb_store_search_index (store, contact_id, error))
    {
      tb_store_rollback (store);
      return 0;
    }
  if (!tb_store_commit (store, error))
    return 0;
  return id;
}

GPtrArray *
tb_store_list_facts (TbStore *store, gint64 contact_id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) out = NULL;

  stmt = tb_store_prepare (store,
                           "SELECT id, kind, text FROM facts WHERE "
                           "contact_id = ? ORDER BY kind, id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_fact_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TbFactKind kind = TB_FACT_INTEREST;
      TbFact *f;

      tb_fact_kind_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                &kind);
      f = tb_fact_new (kind, (const char *) sqlite3_column_text (stmt, 2));
      f->id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (out, f);
    }
  return g_steal_pointer (&out);
}

typedef struct
{
  gint64 contact_id;
  TbInteractionKind kind;
  gint64 at;
  const char *note;
  gint64 now;
  gint64 id; /* out */
} LogArgs;

static gboolean
log_locked (TbStore *store, gpointer data, GError **error)
{
  LogArgs *a = data;
  g_autoptr (TbStmt) ins = NULL;

  if (!tb_store_contact_exists (store, a->contact_id, error))
    return FALSE;
  ins = tb_store_prepare (store,
                          "INSERT INTO interactions (contact_id, at, kind, "
                          "note) VALUES (?, ?, ?, ?)",
                          error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, a->contact_id);
  sqlite3_bind_int64 (ins, 2, a->at);
  sqlite3_bind_text (ins, 3, tb_interaction_kind_to_string (a->kind), -1,
                     SQLITE_STATIC);
  tb_stmt_bind_text (ins, 4, a->note && *a->note ? a->note : NULL);
  if (!tb_store_step_done (store, ins, error))
    return FALSE;
  a->id = sqlite3_last_insert_rowid (store->db);
  return tb_store_apply_interaction (store, a->contact_id, a->kind, a->at, TRUE,
                                     a->now, error);
}

gboolean
tb_store_apply_interaction (TbStore *store, gint64 contact_id,
                            TbInteractionKind kind, gint64 at, gboolean track,
                            gint64 now, GError **error)
{
  return tb_store_note_interaction (store, contact_id, kind, at, track, now,
                                    error)
         && tb_store_refresh_contact (store, contact_id, error);
}

gboolean
tb_store_note_interaction (TbStore *store, gint64 contact_id,
                           TbInteractionKind kind, gint64 at, gboolean track,
                           gint64 now, GError **error)
{
  g_autoptr (TbStmt) upd = NULL;

  /* Only a newer interaction restarts the clock: logging last month's
   * coffee today must not make a recent call look older. The alert state
   * and a snooze belong to the due period that just ended, so they end
   * with it, and only then. (SET sees the old row throughout.) */
  upd = tb_store_prepare (
      store,
      "UPDATE contacts SET "
      "last_interaction_kind = CASE WHEN last_interaction_at IS NULL OR "
      "  ?2 >= last_interaction_at THEN ?3 ELSE last_interaction_kind END, "
      "last_interaction_at = max(coalesce(last_interaction_at, ?2), ?2), "
      "last_conversation_at = CASE WHEN ?4 THEN "
      "  max(coalesce(last_conversation_at, ?2), ?2) "
      "  ELSE last_conversation_at END, "
      "alerted_at = CASE WHEN last_interaction_at IS NULL OR "
      "  ?2 >= last_interaction_at THEN NULL ELSE alerted_at END, "
      "snoozed_until = CASE WHEN last_interaction_at IS NULL OR "
      "  ?2 >= last_interaction_at THEN NULL ELSE snoozed_until END "
      "WHERE id = ?1",
      error);
  if (upd == NULL)
    return FALSE;
  sqlite3_bind_int64 (upd, 1, contact_id);
  sqlite3_bind_int64 (upd, 2, at);
  sqlite3_bind_text (upd, 3, tb_interaction_kind_to_string (kind), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (upd, 4, tb_interaction_kind_is_conversation (kind));
  if (!tb_store_step_done (store, upd, error))
    return FALSE;
  /* Someone you talked to is someone you are in touch with: from the
   * conversation on, so its time starts the clock. Not so for one a
   * source found (@track FALSE): the review queue offers them instead
   * (docs/design.md §12). */
  if (track && tb_interaction_kind_is_conversation (kind)
      && !start_tracking (store, contact_id, at, now, error))
    return FALSE;
  /* Logged after tracking began, an interaction counts however far back
   * it is dated: a coffee of yesterday, logged today, restarts the clock
   * from yesterday (tb_schedule_due_at compares with tracked_since). */
  return run_update_int (
      store, contact_id,
      "UPDATE contacts SET tracked_since = ?2 "
      "WHERE id = ?1 AND tracking = 1 AND tracked_since > ?2",
      at, FALSE, error);
}

gint64
tb_store_log_interaction (TbStore *store, gint64 contact_id,
                          TbInteractionKind kind, gint64 at, const char *note,
                          gint64 now, GError **error)
{
  LogArgs args = { contact_id, kind, at > 0 ? at : now, note, now, 0 };

  /* A minute of slack for clocks of client and daemon. */
  if (args.at > now + 60)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("An interaction cannot be in the future"));
      return 0;
    }
  if (!in_transaction (store, log_locked, &args, error))
    return 0;
  return args.id;
}

GPtrArray *
tb_store_list_interactions (TbStore *store, gint64 contact_id, guint limit,
                            GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) out = NULL;

  stmt
      = tb_store_prepare (store,
                          "SELECT id, at, kind, note, source FROM interactions "
                          "WHERE contact_id = ? ORDER BY at DESC, id DESC "
                          "LIMIT ?",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_interaction_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TbInteraction *i = g_new0 (TbInteraction, 1);

      i->id = sqlite3_column_int64 (stmt, 0);
      i->contact_id = contact_id;
      i->at = sqlite3_column_int64 (stmt, 1);
      if (!tb_interaction_kind_from_string (
              (const char *) sqlite3_column_text (stmt, 2), &i->kind))
        i->kind = TB_KIND_OTHER;
      i->note = tb_stmt_dup_text (stmt, 3);
      i->source = tb_stmt_dup_text (stmt, 4);
      g_ptr_array_add (out, i);
    }
  return g_steal_pointer (&out);
}

gint64
tb_store_count_interactions (TbStore *store, gint64 contact_id, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store, "SELECT count(*) FROM interactions WHERE contact_id = ?", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot count the interactions"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct
{
  gint64 id;
  const char *sql;
  gint64 value;
  gboolean zero_is_null;
} SetArgs;

static gboolean
set_locked (TbStore *store, gpointer data, GError **error)
{
  SetArgs *a = data;

  if (!tb_store_contact_exists (store, a->id, error))
    return FALSE;
  if (!run_update_int (store, a->id, a->sql, a->value, a->zero_is_null, error))
    return FALSE;
  return tb_store_refresh_contact (store, a->id, error);
}

gboolean
tb_store_snooze (TbStore *store, gint64 contact_id, gint64 until,
                 GError **error)
{
  /* A snooze replaces the re-alert delay: the person said when. It moves
   * the calendar event (DTSTART is the later of due_at and snoozed_until),
   * so the iCalendar SEQUENCE grows too. */
  SetArgs args = { contact_id,
                   "UPDATE contacts SET snoozed_until = ?2, alerted_at = NULL, "
                   "sequence = sequence + 1 WHERE id = ?1",
                   until, TRUE };

  return in_transaction (store, set_locked, &args, error);
}

gboolean
tb_store_set_paused (TbStore *store, gint64 contact_id, gboolean paused,
                     GError **error)
{
  SetArgs args = { contact_id, "UPDATE contacts SET paused = ?2 WHERE id = ?1",
                   paused ? 1 : 0, FALSE };

  return in_transaction (store, set_locked, &args, error);
}

typedef struct
{
  gint64 id;
  TbTracking tracking;
  gint64 interval;
  gint64 now;
} TrackingArgs;

static gboolean
set_tracking_locked (TbStore *store, gpointer data, GError **error)
{
  TrackingArgs *a = data;

  if (!tb_store_contact_exists (store, a->id, error))
    return FALSE;
  if (a->interval > 0
      && !run_update_int (store, a->id,
                          "UPDATE contacts SET interval = ?2 WHERE id = ?1",
                          a->interval, FALSE, error))
    return FALSE;
  if (a->tracking == TB_TRACKING_TRACKED)
    {
      if (!start_tracking (store, a->id, a->now, a->now, error))
        return FALSE;
    }
  /* Leaving tracking also ends the review's "later": the decision is
   * made, or the contact is back in the queue from today. No birthday
   * alert is left behind. */
  else if (!run_update_int (store, a->id,
                            "UPDATE contacts SET tracking = ?2, "
                            "review_after = NULL WHERE id = ?1",
                            (gint64) a->tracking, FALSE, error)
           || !tb_store_refresh_birthday (store, a->id, a->now, error))
    return FALSE;
  return tb_store_refresh_contact (store, a->id, error);
}

gboolean
tb_store_set_tracking (TbStore *store, gint64 contact_id, TbTracking tracking,
                       gint64 interval, gint64 now, GError **error)
{
  TrackingArgs args = { contact_id, tracking, interval, now };
  TbContact check = { .tracking = tracking, .interval = interval };

  if (!check_contact (&check, TB_FIELD_INTERVAL, error))
    return FALSE;
  return in_transaction (store, set_tracking_locked, &args, error);
}

TbInteraction *
tb_store_get_interaction (TbStore *store, gint64 id, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store, "SELECT contact_id, at, kind, note FROM interactions WHERE id = ?",
      error);
  TbInteraction *i;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tb_store_step_row (store, stmt, TB_RECORD_INTERACTION, id, error))
    return NULL;
  i = g_new0 (TbInteraction, 1);
  i->id = id;
  i->contact_id = sqlite3_column_int64 (stmt, 0);
  i->at = sqlite3_column_int64 (stmt, 1);
  if (!tb_interaction_kind_from_string (
          (const char *) sqlite3_column_text (stmt, 2), &i->kind))
    i->kind = TB_KIND_OTHER;
  i->note = tb_stmt_dup_text (stmt, 3);
  return i;
}

/* The contact's last interaction and conversation from the history as
 * it is now, then its due time: what logging keeps up as it goes, done
 * again after an interaction went or moved. */
gboolean
tb_store_recompute_history (TbStore *store, gint64 contact_id, GError **error)
{
  g_autoptr (GPtrArray) all
      = tb_store_list_interactions (store, contact_id, 0, error);
  g_autoptr (TbStmt) upd = NULL;
  const TbInteraction *last = NULL;
  gint64 talked = 0;

  if (all == NULL)
    return FALSE;
  /* Newest first. */
  for (guint n = 0; n < all->len; n++)
    {
      const TbInteraction *i = g_ptr_array_index (all, n);

      if (last == NULL)
        last = i;
      if (tb_interaction_kind_is_conversation (i->kind))
        {
          talked = i->at;
          break;
        }
    }
  upd = tb_store_prepare (store,
                          "UPDATE contacts SET last_interaction_at = ?2, "
                          "last_interaction_kind = ?3, "
                          "last_conversation_at = ?4 WHERE id = ?1",
                          error);
  if (upd == NULL)
    return FALSE;
  sqlite3_bind_int64 (upd, 1, contact_id);
  tb_stmt_bind_time (upd, 2, last != NULL ? last->at : 0);
  if (last != NULL)
    sqlite3_bind_text (upd, 3, tb_interaction_kind_to_string (last->kind), -1,
                       SQLITE_STATIC);
  else
    sqlite3_bind_null (upd, 3);
  tb_stmt_bind_time (upd, 4, talked);
  return tb_store_step_done (store, upd, error)
         && tb_store_refresh_contact (store, contact_id, error);
}

typedef struct
{
  gint64 id;
  int kind;
  gint64 at;
  const char *note;
} InteractionArgs;

static gboolean
remove_interaction_locked (TbStore *store, gpointer data, GError **error)
{
  InteractionArgs *a = data;
  g_autoptr (TbInteraction) i = tb_store_get_interaction (store, a->id, error);

  return i != NULL
         && tb_store_delete_by_id (store,
                                   "DELETE FROM interactions WHERE id = ?",
                                   a->id, TB_RECORD_INTERACTION, error)
         && tb_store_recompute_history (store, i->contact_id, error);
}

gboolean
tb_store_remove_interaction (TbStore *store, gint64 id, GError **error)
{
  InteractionArgs args = { id, -1, 0, NULL };

  return in_transaction (store, remove_interaction_locked, &args, error);
}

static gboolean
update_interaction_locked (TbStore *store, gpointer data, GError **error)
{
  InteractionArgs *a = data;
  g_autoptr (TbInteraction) i = tb_store_get_interaction (store, a->id, error);
  g_autoptr (TbStmt) upd = NULL;

  if (i == NULL)
    return FALSE;
  upd = tb_store_prepare (store,
                          "UPDATE interactions SET at = ?2, kind = ?3, "
                          "note = ?4 WHERE id = ?1",
                          error);
  if (upd == NULL)
    return FALSE;
  sqlite3_bind_int64 (upd, 1, a->id);
  sqlite3_bind_int64 (upd, 2, a->at > 0 ? a->at : i->at);
  sqlite3_bind_text (upd, 3,
                     tb_interaction_kind_to_string (
                         a->kind >= 0 ? (TbInteractionKind) a->kind : i->kind),
                     -1, SQLITE_STATIC);
  /* "" clears the note, as logging stores no empty one. */
  tb_stmt_bind_text (upd, 4,
                     a->note == NULL    ? i->note
                     : *a->note != '\0' ? a->note
                                        : NULL);
  return tb_store_step_done (store, upd, error)
         && tb_store_recompute_history (store, i->contact_id, error);
}

gboolean
tb_store_update_interaction (TbStore *store, gint64 id, int kind, gint64 at,
                             const char *note, gint64 now, GError **error)
{
  InteractionArgs args = { id, kind, at, note };

  /* As for a new one, with a minute of slack for the clocks. */
  if (at > now + 60)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("An interaction cannot be in the future"));
      return FALSE;
    }
  return in_transaction (store, update_interaction_locked, &args, error);
}

TbFact *
tb_store_get_fact (TbStore *store, gint64 id, gint64 *out_contact_id,
                   GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store, "SELECT contact_id, kind, text FROM facts WHERE id = ?", error);
  TbFactKind kind = TB_FACT_INTEREST;
  TbFact *f;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tb_store_step_row (store, stmt, TB_RECORD_FACT, id, error))
    return NULL;
  tb_fact_kind_from_string ((const char *) sqlite3_column_text (stmt, 1),
                            &kind);
  f = tb_fact_new (kind, (const char *) sqlite3_column_text (stmt, 2));
  f->id = id;
  if (out_contact_id != NULL)
    *out_contact_id = sqlite3_column_int64 (stmt, 0);
  return f;
}

static gboolean
remove_fact_locked (TbStore *store, gpointer data, GError **error)
{
  gint64 id = *(gint64 *) data;
  gint64 contact_id = 0;
  g_autoptr (TbFact) f = tb_store_get_fact (store, id, &contact_id, error);

  /* The search index holds the facts' words: out with the old entry,
   * in with the new. */
  return f != NULL && tb_store_search_unindex (store, contact_id, error)
         && tb_store_delete_by_id (store, "DELETE FROM facts WHERE id = ?", id,
                                   TB_RECORD_FACT, error)
         && tb_store_search_index (store, contact_id, error);
}

gboolean
tb_store_remove_fact (TbStore *store, gint64 id, GError **error)
{
  return in_transaction (store, remove_fact_locked, &id, error);
}
