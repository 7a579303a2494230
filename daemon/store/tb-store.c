/* tb-store.c — opening and migrating the database, transactions, the
 * statement cache and its helpers, the state table and the counts. It
 * calls no other file of the store: they all build on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-keys.h"
#include "tb-match.h"
#include "tb-store-private.h"

/* The schema's history, as data: one step per version, applied in order
 * in one transaction each, and never changed once released (a database
 * at version N has run exactly steps 1..N). A new version appends a step
 * and bumps TB_STORE_SCHEMA_VERSION. Steps are plain SQL; what they need
 * computed in C is an application function (register_functions).
 * Changelog:
 *   v1 (0.1.0): contacts, tags, facts, interactions, follow-ups,
 *               introductions, alert and sync state.
 *   v2 (0.2.0): contacts.url_key, the duplicate-finding key of the
 *               profile URL (tb_url_key), indexed, so an import
 *               finds "the same person" by an index look-up; filled for
 *               existing rows by tb_url_key () in SQL; an index on
 *               name_key for imported records that carry no other key;
 *               the index on the raw url goes (nothing looks it up);
 *               the name_key and email indexes hold only the rows their
 *               look-ups can match, so most imported rows skip them;
 *               an index on birthday_alert_at, so birthday reminders are
 *               found like the others, by an index.
 *   v3 (0.2.0): tags are stored as their key (tb_tag_key: normalised,
 *               lower case), which the tag filter, the figures per tag
 *               and the tag intervals compare by; tags written before
 *               (lowered but not normalised) are made keys;
 *               contacts.email_key (tb_email_key), indexed, by which an
 *               import finds the same address, replaces the index on the
 *               e-mail address with SQLite's ASCII-only NOCASE.
 *   v4 (0.3.0): contacts.tracking (TbTracking), tracked_since and
 *               review_after: an imported connection can wait, not
 *               tracked, for the user's choice; every existing contact
 *               stays tracked; an index on (tracking, name_key), by
 *               which a name is looked for among tracked contacts first.
 *   v5 (0.3.0): contacts_search, an FTS5 index of each contact's name,
 *               company, position, e-mail, note and facts, for
 *               touchbase search (tb-store-search.c); filled for
 *               existing rows by its 'rebuild'.
 *   v6 (0.3.0): contacts.review_noticed_at and the partial index
 *               contacts_review of the contacts not tracked.
 *   v7 (0.4.0): AUTOINCREMENT ids for contacts, facts, interactions,
 *               follow-ups and introductions (tables made anew), and
 *               the undo history, undo_steps and undo_log.
 *   v8 (0.5.0): contact_emails, a contact's other addresses; the
 *               provenance of an interaction a source found
 *               (interactions.source, source_key), unique per contact.
 *   v9 (0.5.0): the partial index contacts_re_alert of the contacts
 *               reminded in their due period, by next_alert_at.
 */
static const struct
{
  int version; /* what PRAGMA user_version is after the step */
  const char *sql;
} migrations[] = {
  { 1,
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL CHECK (name <> ''),"
    "  name_key TEXT NOT NULL,"
    "  email TEXT, phone TEXT, url TEXT, company TEXT, position TEXT,"
    "  met TEXT, note TEXT, birthday TEXT,"
    "  source TEXT NOT NULL DEFAULT 'manual',"
    "  interval INTEGER NOT NULL DEFAULT 0 CHECK (interval >= 0),"
    "  effective_interval INTEGER NOT NULL CHECK (effective_interval > 0),"
    "  paced INTEGER NOT NULL DEFAULT 0,"
    "  connected_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  last_interaction_at INTEGER,"
    "  last_conversation_at INTEGER,"
    "  last_interaction_kind TEXT,"
    "  snoozed_until INTEGER,"
    "  paused INTEGER NOT NULL DEFAULT 0,"
    "  due_at INTEGER,"
    "  next_alert_at INTEGER,"
    "  alerted_at INTEGER,"
    "  birthday_alert_at INTEGER,"
    "  sequence INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX contacts_due_at ON contacts (due_at) WHERE due_at IS NOT "
    "NULL;"
    "CREATE INDEX contacts_next_alert_at ON contacts (next_alert_at)"
    "  WHERE next_alert_at IS NOT NULL;"
    "CREATE INDEX contacts_email ON contacts (email COLLATE NOCASE);"
    "CREATE INDEX contacts_url ON contacts (url);"
    "CREATE TABLE contact_tags ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  tag TEXT NOT NULL CHECK (tag <> ''),"
    "  PRIMARY KEY (contact_id, tag)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contact_tags_tag ON contact_tags (tag);"
    "CREATE TABLE facts ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('interest', 'goal', 'offer', "
    "'need')),"
    "  text TEXT NOT NULL CHECK (text <> ''),"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (contact_id, kind, text)"
    ");"
    "CREATE TABLE interactions ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  note TEXT"
    ");"
    "CREATE INDEX interactions_contact_at ON interactions (contact_id, at);"
    "CREATE INDEX interactions_at ON interactions (at);"
    "CREATE TABLE follow_ups ("
    "  id INTEGER PRIMARY KEY,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  due_at INTEGER NOT NULL,"
    "  text TEXT NOT NULL CHECK (text <> ''),"
    "  created_at INTEGER NOT NULL,"
    "  done_at INTEGER,"
    "  snoozed_until INTEGER,"
    "  next_alert_at INTEGER,"
    "  alerted_at INTEGER,"
    "  sequence INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX follow_ups_contact ON follow_ups (contact_id);"
    "CREATE INDEX follow_ups_open_due ON follow_ups (due_at)"
    "  WHERE done_at IS NULL;"
    "CREATE INDEX follow_ups_next_alert_at ON follow_ups (next_alert_at)"
    "  WHERE next_alert_at IS NOT NULL;"
    "CREATE TABLE introductions ("
    "  id INTEGER PRIMARY KEY,"
    "  a_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  b_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  status TEXT NOT NULL"
    "    CHECK (status IN ('suggested', 'declined', 'made', 'connected')),"
    "  note TEXT,"
    "  CHECK (a_id < b_id),"
    "  UNIQUE (a_id, b_id)"
    ");"
    "CREATE INDEX introductions_b ON introductions (b_id);"
    "CREATE TABLE state ("
    "  key TEXT PRIMARY KEY,"
    "  value"
    ") WITHOUT ROWID;" },
  { 2,
    "ALTER TABLE contacts ADD COLUMN url_key TEXT;"
    "CREATE INDEX contacts_url_key ON contacts (url_key)"
    "  WHERE url_key IS NOT NULL;"
    "CREATE INDEX contacts_name_key ON contacts (name_key)"
    "  WHERE email IS NULL AND url IS NULL;"
    "DROP INDEX contacts_email;"
    "CREATE INDEX contacts_email ON contacts (email COLLATE NOCASE)"
    "  WHERE email IS NOT NULL;"
    "DROP INDEX contacts_url;"
    "CREATE INDEX contacts_birthday_alert_at ON contacts (birthday_alert_at)"
    "  WHERE birthday_alert_at IS NOT NULL;"
    "UPDATE contacts SET url_key = tb_url_key (url) WHERE url IS NOT NULL;" },
  { 3,
    /* Where two spellings fold to one tag of the contact, the update
     * skips the row and the delete drops it: the tag stays once. */
    "UPDATE OR IGNORE contact_tags SET tag = tb_tag_key (tag)"
    "  WHERE tag <> tb_tag_key (tag);"
    "DELETE FROM contact_tags WHERE tag <> tb_tag_key (tag);"
    "ALTER TABLE contacts ADD COLUMN email_key TEXT;"
    "UPDATE contacts SET email_key = tb_email_key (email)"
    "  WHERE email IS NOT NULL;"
    "DROP INDEX contacts_email;"
    "CREATE INDEX contacts_email_key ON contacts (email_key)"
    "  WHERE email_key IS NOT NULL;" },
  { 4,
    /* Tracked or not (TbTracking). Every contact of an older database
     * stays tracked, so nobody's reminders change; tracked_since is NULL
     * for them, which keeps their clocks where they were. review_after:
     * "later" in the review queue. */
    "ALTER TABLE contacts ADD COLUMN tracking INTEGER NOT NULL DEFAULT 1"
    "  CHECK (tracking IN (0, 1, 2));"
    "ALTER TABLE contacts ADD COLUMN tracked_since INTEGER;"
    "ALTER TABLE contacts ADD COLUMN review_after INTEGER;"
    /* Naming a contact (tb-store-names.c) looks among the tracked ones
     * first: this index holds them together, so that look-up reads a few
     * hundred entries however many connections were imported, and the
     * name's key in it answers without reading the table. The others'
     * whole-name match is one search of it; their parts of names are a
     * scan of it, which is still a fraction of the table's pages. */
    "CREATE INDEX contacts_tracking_name_key"
    "  ON contacts (tracking, name_key);" },
  { 5,
    /* External content (the view below), not a table that keeps its own
     * copy: the text is already in contacts and facts, and a second
     * copy of it would grow the file by as much again for nothing the
     * search needs. Not contentless either: SQLite 3.40 has no
     * contentless_delete, so a contentless index could only be told what
     * to delete by a copy of the old text anyway, and the view gives
     * 'rebuild' and 'integrity-check' for free. No triggers: with
     * trusted_schema off SQLite refuses an FTS5 table in a trigger, so
     * the store writes the index itself, in the same transaction as the
     * rows (tb-store-contacts.c). Facts are one column; their order in it
     * does not matter to a delete, which removes the contact from the
     * entry of each word whatever its position. No column sizes
     * (columnsize = 0): the search ranks by the columns a word is found
     * in (tb-store-search.c), not by bm25, which is all they are for,
     * and they were one more row to write for every contact indexed. */
    "CREATE VIEW contacts_search_content AS"
    "  SELECT c.id AS id, c.name AS name, c.company AS company,"
    "    c.position AS position, c.email AS email, c.note AS note,"
    "    (SELECT group_concat (f.text, ' ') FROM facts f"
    "      WHERE f.contact_id = c.id) AS facts"
    "  FROM contacts c;"
    "CREATE VIRTUAL TABLE contacts_search USING fts5 ("
    "  name, company, position, email, note, facts,"
    "  content = 'contacts_search_content', content_rowid = 'id',"
    "  tokenize = 'unicode61 remove_diacritics 2', columnsize = 0);"
    "INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');" },
  { 6,
    /* The review queue (tb-store-review.c): review_noticed_at, when a
     * review notification showed the contact, so none shows it twice;
     * an index of the contacts waiting in the queue only, so the
     * question of the next review notification is a look-up and the
     * queue is read without the tracked rows. */
    "ALTER TABLE contacts ADD COLUMN review_noticed_at INTEGER;"
    "CREATE INDEX contacts_review ON contacts"
    "  (review_noticed_at, review_after) WHERE tracking = 0;" },
  { 7,
    /* Ids are never given again (AUTOINCREMENT): a script or a
     * notification that still names a removed contact, interaction or
     * follow-up must not reach another one, and `touchbase undo` puts a
     * removed row back under its own id. SQLite cannot add AUTOINCREMENT
     * to a table, so each is made anew and copied, in the order of
     * SQLite's "making other kinds of table schema changes" (foreign
     * keys are off while migrating: tb_store_open). The search view
     * names contacts and facts and goes while they are replaced; the
     * FTS5 index keeps its rowids, which are the same ids. */
    "DROP VIEW contacts_search_content;"
    "CREATE TABLE new_contacts ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL CHECK (name <> ''),"
    "  name_key TEXT NOT NULL,"
    "  email TEXT, phone TEXT, url TEXT, company TEXT, position TEXT,"
    "  met TEXT, note TEXT, birthday TEXT,"
    "  source TEXT NOT NULL DEFAULT 'manual',"
    "  interval INTEGER NOT NULL DEFAULT 0 CHECK (interval >= 0),"
    "  effective_interval INTEGER NOT NULL CHECK (effective_interval > 0),"
    "  paced INTEGER NOT NULL DEFAULT 0,"
    "  connected_on INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  last_interaction_at INTEGER,"
    "  last_conversation_at INTEGER,"
    "  last_interaction_kind TEXT,"
    "  snoozed_until INTEGER,"
    "  paused INTEGER NOT NULL DEFAULT 0,"
    "  due_at INTEGER,"
    "  next_alert_at INTEGER,"
    "  alerted_at INTEGER,"
    "  birthday_alert_at INTEGER,"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  url_key TEXT,"
    "  email_key TEXT,"
    "  tracking INTEGER NOT NULL DEFAULT 1 CHECK (tracking IN (0, 1, 2)),"
    "  tracked_since INTEGER,"
    "  review_after INTEGER,"
    "  review_noticed_at INTEGER"
    ");"
    "INSERT INTO new_contacts SELECT id, uid, name, name_key, email, phone,"
    "  url, company, position, met, note, birthday, source, interval,"
    "  effective_interval, paced, connected_on, created_at,"
    "  last_interaction_at, last_conversation_at, last_interaction_kind,"
    "  snoozed_until, paused, due_at, next_alert_at, alerted_at,"
    "  birthday_alert_at, sequence, url_key, email_key, tracking,"
    "  tracked_since, review_after, review_noticed_at FROM contacts;"
    "DROP TABLE contacts;"
    "ALTER TABLE new_contacts RENAME TO contacts;"
    "CREATE INDEX contacts_due_at ON contacts (due_at)"
    "  WHERE due_at IS NOT NULL;"
    "CREATE INDEX contacts_next_alert_at ON contacts (next_alert_at)"
    "  WHERE next_alert_at IS NOT NULL;"
    "CREATE INDEX contacts_url_key ON contacts (url_key)"
    "  WHERE url_key IS NOT NULL;"
    "CREATE INDEX contacts_name_key ON contacts (name_key)"
    "  WHERE email IS NULL AND url IS NULL;"
    "CREATE INDEX contacts_birthday_alert_at ON contacts (birthday_alert_at)"
    "  WHERE birthday_alert_at IS NOT NULL;"
    "CREATE INDEX contacts_email_key ON contacts (email_key)"
    "  WHERE email_key IS NOT NULL;"
    "CREATE INDEX contacts_tracking_name_key ON contacts (tracking, name_key);"
    "CREATE INDEX contacts_review ON contacts"
    "  (review_noticed_at, review_after) WHERE tracking = 0;"
    "CREATE TABLE new_facts ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('interest', 'goal', 'offer', "
    "'need')),"
    "  text TEXT NOT NULL CHECK (text <> ''),"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (contact_id, kind, text)"
    ");"
    "INSERT INTO new_facts SELECT id, contact_id, kind, text, created_at"
    "  FROM facts;"
    "DROP TABLE facts;"
    "ALTER TABLE new_facts RENAME TO facts;"
    "CREATE TABLE new_interactions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  note TEXT"
    ");"
    "INSERT INTO new_interactions SELECT id, contact_id, at, kind, note"
    "  FROM interactions;"
    "DROP TABLE interactions;"
    "ALTER TABLE new_interactions RENAME TO interactions;"
    "CREATE INDEX interactions_contact_at ON interactions (contact_id, at);"
    "CREATE INDEX interactions_at ON interactions (at);"
    "CREATE TABLE new_follow_ups ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  due_at INTEGER NOT NULL,"
    "  text TEXT NOT NULL CHECK (text <> ''),"
    "  created_at INTEGER NOT NULL,"
    "  done_at INTEGER,"
    "  snoozed_until INTEGER,"
    "  next_alert_at INTEGER,"
    "  alerted_at INTEGER,"
    "  sequence INTEGER NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO new_follow_ups SELECT id, contact_id, due_at, text,"
    "  created_at, done_at, snoozed_until, next_alert_at, alerted_at,"
    "  sequence FROM follow_ups;"
    "DROP TABLE follow_ups;"
    "ALTER TABLE new_follow_ups RENAME TO follow_ups;"
    "CREATE INDEX follow_ups_contact ON follow_ups (contact_id);"
    "CREATE INDEX follow_ups_open_due ON follow_ups (due_at)"
    "  WHERE done_at IS NULL;"
    "CREATE INDEX follow_ups_next_alert_at ON follow_ups (next_alert_at)"
    "  WHERE next_alert_at IS NOT NULL;"
    "CREATE TABLE new_introductions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  a_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  b_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  status TEXT NOT NULL"
    "    CHECK (status IN ('suggested', 'declined', 'made', 'connected')),"
    "  note TEXT,"
    "  CHECK (a_id < b_id),"
    "  UNIQUE (a_id, b_id)"
    ");"
    "INSERT INTO new_introductions SELECT id, a_id, b_id, at, status, note"
    "  FROM introductions;"
    "DROP TABLE introductions;"
    "ALTER TABLE new_introductions RENAME TO introductions;"
    "CREATE INDEX introductions_b ON introductions (b_id);"
    "CREATE VIEW contacts_search_content AS"
    "  SELECT c.id AS id, c.name AS name, c.company AS company,"
    "    c.position AS position, c.email AS email, c.note AS note,"
    "    (SELECT group_concat (f.text, ' ') FROM facts f"
    "      WHERE f.contact_id = c.id) AS facts"
    "  FROM contacts c;"
    /* The changes `touchbase undo` can take back (tb-store-undo.c): one
     * row per change, and the statements that revert it, written by
     * triggers in the transaction of the change. first_new and last_new:
     * the ids of the contacts the change created, which undo deletes
     * (their tags, facts and interactions go with them, so those are
     * not logged row by row: an import of 30,000 writes two numbers
     * instead of 30,000 statements). detail: a serialised a{sv}, as in
     * the state table. */
    "CREATE TABLE undo_steps ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  verb TEXT NOT NULL,"
    "  subject TEXT,"
    "  detail BLOB,"
    "  first_new INTEGER,"
    "  last_new INTEGER"
    ");"
    "CREATE TABLE undo_log ("
    "  seq INTEGER PRIMARY KEY,"
    "  step INTEGER NOT NULL REFERENCES undo_steps (id) ON DELETE CASCADE,"
    "  contact_id INTEGER,"
    "  sql TEXT NOT NULL"
    ");"
    "CREATE INDEX undo_log_step ON undo_log (step);" },
  { 8,
    /* The addresses a contact has besides contacts.email, by which
     * sources match what they find (tb-store-sources.c), keyed like
     * contacts.email_key. */
    "CREATE TABLE contact_emails ("
    "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
    "  email TEXT NOT NULL CHECK (email <> ''),"
    "  email_key TEXT NOT NULL,"
    "  PRIMARY KEY (contact_id, email_key)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contact_emails_key ON contact_emails (email_key);"
    /* Where an interaction a source found came from: the source's name
     * and what it found (tb_found_origin_key); NULL for one logged by
     * hand. The same message or meeting is logged once per contact,
     * whichever source saw it and however often. */
    "ALTER TABLE interactions ADD COLUMN source TEXT;"
    "ALTER TABLE interactions ADD COLUMN source_key TEXT;"
    "CREATE UNIQUE INDEX interactions_source_key"
    "  ON interactions (contact_id, source_key) WHERE source_key IS NOT NULL;"
    "CREATE INDEX interactions_source ON interactions (source)"
    "  WHERE source IS NOT NULL;" },
  { 9,
    /* Once the day's first alerts are spent, the next wake-up is the
     * earliest re-alert (tb_store_next_alert_at): an index of the
     * contacts already reminded in their due period only, so that is a
     * look-up, not a walk over everyone who comes due today with a
     * row read each (thousands a day at a million contacts). */
    "CREATE INDEX contacts_re_alert ON contacts (next_alert_at)"
    "  WHERE alerted_at IS NOT NULL;" },
};

/* The last step makes the version this build writes. */
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TB_STORE_SCHEMA_VERSION);

void
tb_stmt_release (TbStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return TB_ERROR_BUSY;
      case SQLITE_CONSTRAINT:
        return TB_ERROR_INVALID_ARGUMENT;
      default:
        return TB_ERROR_STORAGE;
    }
}

gboolean
tb_store_fail (TbStore *store, GError **error, const char *what)
{
  int rc = sqlite3_extended_errcode (store->db);

  g_set_error (error, TB_ERROR, error_code_for (rc), "%s: %s", what,
               sqlite3_errmsg (store->db));
  return FALSE;
}

const char *
tb_store_last_error (TbStore *store)
{
  return sqlite3_errmsg (store->db);
}

TbStmt *
tb_store_prepare (TbStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);

  if (stmt != NULL)
    return stmt;
  /* Statements live as long as the store: the daemon asks the same few
   * questions over and over, so each is compiled once. */
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                          NULL)
      != SQLITE_OK)
    {
      tb_store_fail (store, error, _ ("Cannot prepare a query"));
      return NULL;
    }
  g_hash_table_insert (store->statements, g_strdup (sql), stmt);
  return stmt;
}

void
tb_store_foreach_statement (TbStore *store, TbStmtFunc func, gpointer user_data)
{
  GHashTableIter iter;
  gpointer stmt;

  g_hash_table_iter_init (&iter, store->statements);
  while (g_hash_table_iter_next (&iter, NULL, &stmt))
    func (stmt, user_data);
}

void
tb_store_forget_statement (TbStore *store, const char *sql)
{
  g_hash_table_remove (store->statements, sql);
}

gboolean
tb_store_step_done (TbStore *store, TbStmt *stmt, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot write to the database"));
  return TRUE;
}

static gboolean
not_found (TbRecord what, gint64 id, GError **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (what == TB_RECORD_FOLLOW_UP)
    g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                 _ ("No follow-up with id %s"), number);
  else if (what == TB_RECORD_INTERACTION)
    g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                 _ ("No interaction with id %s"), number);
  else if (what == TB_RECORD_FACT)
    g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND, _ ("No fact with id %s"),
                 number);
  else
    g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                 _ ("No contact with id %s"), number);
  return FALSE;
}

gboolean
tb_store_step_row (TbStore *store, TbStmt *stmt, TbRecord what, gint64 id,
                   GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    return not_found (what, id, error);
  return tb_store_fail (store, error, _ ("Cannot read the database"));
}

gboolean
tb_store_delete_by_id (TbStore *store, const char *sql, gint64 id,
                       TbRecord what, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!tb_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    return not_found (what, id, error);
  return TRUE;
}

void
tb_stmt_bind_text (TbStmt *stmt, int idx, const char *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_TRANSIENT);
}

void
tb_stmt_bind_time (TbStmt *stmt, int idx, gint64 value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, value);
}

char *
tb_stmt_dup_text (TbStmt *stmt, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static gboolean
exec (TbStore *store, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (store->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, TB_ERROR,
                   error_code_for (sqlite3_extended_errcode (store->db)),
                   "%s: %s", store->path, msg ? msg : "unknown error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

/* Nested transactions are savepoints: an inner failure undoes the inner
 * part only, and the outer caller decides about the rest. */
static gboolean
exec_level (TbStore *store, const char *verb, guint level, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("%s tb_level_%u", verb, level);

  return exec (store, sql, error);
}

/* How long a statement waits for a lock another connection holds (the
 * sqlite3 shell, say) before it fails with BUSY. */
#define BUSY_TIMEOUT_MS 5000

gboolean
tb_store_begin (TbStore *store, GError **error)
{
  if (store->txn_depth == 0 && store->writes_held)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_BUSY,
                           _ ("An import is running; try again when it ends"));
      return FALSE;
    }
  /* IMMEDIATE takes the write lock up front, so a transaction never fails
   * half-way with SQLITE_BUSY when it first writes. */
  if (store->txn_depth == 0 && !exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* In bulk mode (an import) an inner failure fails the whole
   * transaction anyway, so there is no savepoint per row: two statements
   * fewer for each contact imported. */
  if (store->txn_depth > 0 && !store->bulk
      && !exec_level (store, "SAVEPOINT", store->txn_depth, error))
    return FALSE;
  if (store->txn_depth == 0)
    store->bulk_failed = FALSE;
  store->txn_depth++;
  return TRUE;
}

gboolean
tb_store_begin_read (TbStore *store, GError **error)
{
  /* A deferred transaction takes no write lock: it reads one snapshot,
   * even while another connection writes. */
  if (store->txn_depth == 0 && !exec (store, "BEGIN", error))
    return FALSE;
  if (store->txn_depth > 0 && !store->bulk
      && !exec_level (store, "SAVEPOINT", store->txn_depth, error))
    return FALSE;
  if (store->txn_depth == 0)
    store->bulk_failed = FALSE;
  store->txn_depth++;
  return TRUE;
}

/* SQLite's progress handler: non-zero interrupts the statement running. */
static int
interrupt_if_cancelled (void *cancellable)
{
  return g_cancellable_is_cancelled (cancellable);
}

void
tb_store_set_cancellable (TbStore *store, GCancellable *cancellable)
{
  /* Every 100,000 virtual machine steps: a check costs next to nothing
   * at that rate, and a statement over a million rows (the search index
   * an import writes at its end) stops within milliseconds. */
  sqlite3_progress_handler (store->db, cancellable != NULL ? 100000 : 0,
                            cancellable != NULL ? interrupt_if_cancelled : NULL,
                            cancellable);
}

void
tb_store_hold_writes (TbStore *store, gboolean held)
{
  store->writes_held = held;
  /* A write outside a transaction (a state counter) fails at once too,
   * rather than holding the main loop for the busy timeout. Reads in WAL
   * mode take no lock that the writer holds. */
  sqlite3_busy_timeout (store->db, held ? 0 : BUSY_TIMEOUT_MS);
  /* Whatever the other connection added is not in the remembered next
   * id. */
  store->next_contact_id = 0;
}

gboolean
tb_store_writes_held (TbStore *store)
{
  return store->writes_held;
}

gboolean
tb_store_commit (TbStore *store, GError **error)
{
  if (store->txn_depth == 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_STORAGE,
                           _ ("No transaction to commit (it was rolled back)"));
      return FALSE;
    }
  if (store->txn_depth > 1 && store->bulk)
    {
      store->txn_depth--;
      return TRUE;
    }
  if (store->txn_depth == 1 && store->bulk_failed)
    {
      tb_store_rollback (store);
      g_set_error_literal (error, TB_ERROR, TB_ERROR_STORAGE,
                           _ ("A part of the transaction failed; nothing was "
                              "changed"));
      return FALSE;
    }
  if (store->txn_depth > 1)
    {
      if (!exec_level (store, "RELEASE", store->txn_depth - 1, error))
        {
          tb_store_rollback (store);
          return FALSE;
        }
      store->txn_depth--;
      return TRUE;
    }
  if (!exec (store, "COMMIT", error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  store->txn_depth = 0;
  return TRUE;
}

void
tb_store_rollback (TbStore *store)
{
  if (store->txn_depth == 0)
    return;
  /* Rolled-back inserts give their ids back. */
  store->next_contact_id = 0;
  store->txn_depth--;
  if (store->txn_depth > 0 && store->bulk)
    {
      /* No savepoint to go back to: the whole transaction must fail. */
      store->bulk_failed = TRUE;
      return;
    }
  if (store->txn_depth > 0)
    {
      /* ROLLBACK TO keeps the savepoint open; RELEASE closes it. */
      exec_level (store, "ROLLBACK TO", store->txn_depth, NULL);
      exec_level (store, "RELEASE", store->txn_depth, NULL);
      return;
    }
  if (sqlite3_get_autocommit (store->db) == 0)
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* What the system said when SQLite failed at opening, when it said
 * anything: a full disk (SQLite needs room for the WAL and its index even
 * to read) or an exhausted quota is no damage, and must not be reported
 * as one. NULL when the failure was SQLite's own. */
static const char *
system_reason (TbStore *store)
{
  int code = sqlite3_extended_errcode (store->db) & 0xff;
  int sys = sqlite3_system_errno (store->db);

  if (code == SQLITE_FULL)
    return g_strerror (ENOSPC);
  if ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) && sys != 0)
    return g_strerror (sys);
  return NULL;
}

/* Replaces the error of a failed step of the open by what the system
 * said, when it said anything; returns NULL, for tb_store_open. */
static TbStore *
open_failed (TbStore *store, GError **error)
{
  const char *reason = system_reason (store);

  if (reason == NULL)
    return NULL;
  g_clear_error (error);
  g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
               _ ("Cannot open %s: %s; it was left untouched"), store->path,
               reason);
  return NULL;
}

/* One integer that SQL reads before anything is written: a field of
 * the header, or whether the file has any schema at all. */
static gboolean
read_int (TbStore *store, const char *sql, int *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                   _ ("%s is not a touchbase database, or it is damaged (%s); "
                      "it was left untouched"),
                   store->path, sqlite3_errmsg (store->db));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Before anything is written: the file must be touchbase's (its
 * application id, or a schema version of ours from before the id was
 * set), one this touchbase knows, or a database with nothing in it. */
static gboolean
check_owner (TbStore *store, gboolean created, int *out_version, GError **error)
{
  int version = 0, app_id = 0, schema = 0;

  if (!read_int (store, "PRAGMA user_version", &version, error)
      || !read_int (store, "PRAGMA application_id", &app_id, error)
      || !read_int (store, "SELECT EXISTS (SELECT 1 FROM sqlite_schema)",
                    &schema, error))
    return FALSE;
  if (app_id != 0 && app_id != TB_STORE_APPLICATION_ID)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                   _ ("%s is another program's database (application id "
                      "0x%08x), not touchbase's; it was left untouched. Move "
                      "it away to start afresh"),
                   store->path, (guint) app_id);
      return FALSE;
    }
  if (version < 0 || (app_id == 0 && version == 0 && schema && !created))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                   _ ("%s is not a touchbase database (schema version %d); it "
                      "was left untouched. Move it away to start afresh"),
                   store->path, version);
      return FALSE;
    }
  if (version > TB_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                   _ ("%s has schema version %d, but this touchbase knows only "
                      "up to %d; it was left untouched. Use a newer touchbase"),
                   store->path, version, TB_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  *out_version = version;
  return TRUE;
}

static gboolean
check_integrity (TbStore *store, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  /* quick_check reads every page but skips the index-to-table cross
   * checks: cheap enough at start-up, and it catches the damage that
   * would otherwise surface as a failed write much later. */
  if (sqlite3_prepare_v2 (store->db, "PRAGMA quick_check", -1, &stmt, NULL)
          == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  if (!ok)
    g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                 _ ("%s is damaged (%s); it was left untouched. Restore it "
                    "from a backup or move it away to start afresh"),
                 store->path,
                 stmt && sqlite3_column_text (stmt, 0)
                     ? (const char *) sqlite3_column_text (stmt, 0)
                     : sqlite3_errmsg (store->db));
  sqlite3_finalize (stmt);
  return ok;
}

char *
tb_store_clean_mark_path (const char *db_path)
{
  return g_strconcat (db_path, ".clean", NULL);
}

/* What identifies the file's contents as they were left: any write,
 * a copy over it or a restored backup moves its size, times or inode. */
static char *
describe_file (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf (
      "touchbase %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT
      " %" G_GINT64_FORMAT ".%09ld %" G_GINT64_FORMAT ".%09ld\n",
      (guint64) st.st_dev, (guint64) st.st_ino, (gint64) st.st_size,
      (gint64) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
      (gint64) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* Whether the database is exactly as the last clean close left it (and
 * so as the last PRAGMA quick_check passed it, or written since by this
 * code only). The mark is removed either way before anything is
 * written: a daemon that dies leaves none, and the next start checks. */
static gboolean
take_clean_mark (const char *path)
{
  g_autofree char *mark = tb_store_clean_mark_path (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *now = NULL;
  GStatBuf st;

  if (!g_file_get_contents (mark, &expected, NULL, NULL))
    return FALSE;
  if (g_unlink (mark) != 0)
    return FALSE;
  /* A log left behind holds writes the file does not show. */
  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    return FALSE;
  now = describe_file (path);
  return now != NULL && g_str_equal (now, expected);
}

static void
write_clean_mark (const char *path)
{
  g_autofree char *mark = tb_store_clean_mark_path (path);
  g_autofree char *text = describe_file (path);
  g_autoptr (GError) error = NULL;

  if (text == NULL
      || !g_file_set_contents_full (
          mark, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("No mark of a clean close: %s",
             error ? error->message : g_strerror (errno));
}

static gboolean
migrate (TbStore *store, int from, GError **error)
{
  for (guint i = (guint) from; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = NULL;

      g_assert (migrations[i].version == (int) i + 1);
      if (!tb_store_begin (store, error))
        return FALSE;
      bump
          = g_strdup_printf ("PRAGMA user_version = %d", migrations[i].version);
      if (!exec (store, migrations[i].sql, error) || !exec (store, bump, error))
        {
          tb_store_rollback (store);
          return FALSE;
        }
      if (!tb_store_commit (store, error))
        return FALSE;
      g_info ("Migrated %s to schema version %d", store->path,
              migrations[i].version);
    }
  return TRUE;
}

/* A key function of tb-keys.h (the function's user data) applied to its
 * one argument: NULL for NULL, or for a value that has no key. */
static void
sql_key (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  char *(*key) (const char *) = sqlite3_user_data (ctx);
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *result = text != NULL ? key (text) : NULL;

  if (result == NULL)
    sqlite3_result_null (ctx);
  else
    sqlite3_result_text (ctx, result, -1, g_free);
}

/* The keys of tb-keys.h as SQL functions, so a migration that fills a
 * key column for existing rows is plain SQL and computes exactly what
 * the C code writes for new rows. They are deterministic and have no
 * side effects, and say so: SQLite may then evaluate a call once where
 * its argument does not change, and allows them with trusted_schema
 * off. */
/* tb_name_match (name_key, query_key): how the name matches, as the
 * integer of TbNameMatch, so naming a contact ranks its rows in SQL by
 * exactly the rule of daemon/core/tb-match.c. */
static void
sql_name_match (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  const char *name_key = (const char *) sqlite3_value_text (argv[0]);
  const char *query_key = (const char *) sqlite3_value_text (argv[1]);

  sqlite3_result_int (ctx, (int) tb_name_match (name_key, query_key));
}

static gboolean
register_functions (TbStore *store, GError **error)
{
  static const struct
  {
    const char *name;
    char *(*key) (const char *text);
  } functions[] = {
    { "tb_url_key", tb_url_key },
    { "tb_email_key", tb_email_key },
    { "tb_tag_key", tb_tag_key },
  };

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      if (sqlite3_create_function_v2 (
              store->db, functions[i].name, 1,
              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
              (gpointer) functions[i].key, sql_key, NULL, NULL, NULL)
          != SQLITE_OK)
        return tb_store_fail (store, error, _ ("Cannot open the database"));
    }
  if (sqlite3_create_function_v2 (store->db, "tb_name_match", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC
                                      | SQLITE_INNOCUOUS,
                                  NULL, sql_name_match, NULL, NULL, NULL)
      != SQLITE_OK)
    return tb_store_fail (store, error, _ ("Cannot open the database"));
  return TRUE;
}

/* The database is a regular file of ours: one that exists is opened as
 * it is (an empty one is not a database, and is refused rather than
 * migrated in place); a new one is created 0600 from its first byte,
 * whatever the umask (SQLite would create it 0644). A symbolic link is
 * refused: SQLite opens the database without following one, so that its
 * journal and locks are never beside a different path than the file. */
static gboolean
create_private_file (const char *path, gboolean *out_created, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;
  int fd;

  *out_created = FALSE;
  if (g_lstat (path, &st) == 0)
    {
      if (S_ISLNK (st.st_mode))
        {
          g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                       _ ("%s is a symbolic link; touchbase opens its "
                          "database only as a regular file, so that SQLite's "
                          "journal stays beside it. Move the file there, or "
                          "link its folder instead"),
                       path);
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                       _ ("%s is not a regular file; it was left untouched"),
                       path);
          return FALSE;
        }
      if (st.st_size == 0)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                       _ ("%s is empty, so it is not a touchbase database; it "
                          "was left untouched. Remove it to start afresh"),
                       path);
          return FALSE;
        }
      return TRUE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                   _ ("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE, _ ("Cannot open %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  *out_created = TRUE;
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

TbStore *
tb_store_open (const char *path, GError **error)
{
  g_autoptr (TbStore) store = g_new0 (TbStore, 1);
  int version = 0;
  gboolean created = FALSE;
  gboolean clean = FALSE;

  store->path = g_strdup (path);
  store->contacts_count = -1;
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             finalize_statement);
  store->policy.default_interval = 30 * 86400;
  store->policy.re_alert = 86400;
  store->tz = g_time_zone_new_local ();

  if (!create_private_file (path, &created, error))
    return NULL;
  if (!created)
    clean = take_clean_mark (path);
  if (sqlite3_open_v2 (path, &store->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE, _ ("Cannot open %s: %s"),
                   path, sqlite3_errmsg (store->db));
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);

  /* Look before changing anything: a foreign, damaged or newer file must
   * not get a WAL or a schema written into it. */
  if (!check_owner (store, created, &version, error))
    return open_failed (store, error);
  /* quick_check reads every page: 1 s at a million contacts, at every
   * start. A file that is as this code closed it needs no new look. */
  if (version > 0 && !clean)
    {
      if (!check_integrity (store, error))
        return open_failed (store, error);
      store->integrity_checked = TRUE;
    }

  /* synchronous=FULL in WAL mode syncs the log on every commit: once the
   * daemon has acknowledged a change, a power cut does not take it. */
  if (!exec (store, "PRAGMA journal_mode = WAL", error)
      || !exec (store, "PRAGMA synchronous = FULL", error)
      || !exec (store, "PRAGMA trusted_schema = OFF", error))
    return open_failed (store, error);

  /* Foreign keys only after the migrations: one that makes a table anew
   * drops the old one, which with them on would delete every row that
   * refers to it. */
  if (!register_functions (store, error) || !migrate (store, version, error)
      || !exec (
          store,
          "PRAGMA application_id = " G_STRINGIFY (TB_STORE_APPLICATION_ID),
          error)
      || !exec (store, "PRAGMA foreign_keys = ON", error))
    return open_failed (store, error);
  store->opened = TRUE;
  return g_steal_pointer (&store);
}

/* The worker's own copy: the main thread may replace its policy (a new
 * configuration) while the import runs. */
static GHashTable *
copy_tag_intervals (GHashTable *from)
{
  GHashTable *to;
  GHashTableIter iter;
  gpointer key, value;

  if (from == NULL)
    return NULL;
  to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (to, g_strdup (key),
                         g_memdup2 (value, sizeof (gint64)));
  return to;
}

TbStore *
tb_store_open_worker (TbStore *main, GError **error)
{
  g_autoptr (TbStore) store = g_new0 (TbStore, 1);

  store->path = g_strdup (main->path);
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             finalize_statement);
  store->policy = main->policy;
  store->policy.tag_intervals = copy_tag_intervals (main->policy.tag_intervals);
  store->tz = g_time_zone_ref (main->tz);
  /* The file was checked and migrated when the main connection opened
   * it, and is in WAL mode for good: this one only sets what is per
   * connection. */
  if (sqlite3_open_v2 (store->path, &store->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE, _ ("Cannot open %s: %s"),
                   store->path, sqlite3_errmsg (store->db));
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);
  if (!exec (store, "PRAGMA synchronous = FULL", error)
      || !exec (store, "PRAGMA trusted_schema = OFF", error)
      || !exec (store, "PRAGMA foreign_keys = ON", error)
      || !register_functions (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
tb_store_free (TbStore *store)
{
  if (store == NULL)
    return;
  /* Finalize statements before closing, or sqlite3_close refuses. */
  g_clear_pointer (&store->statements, g_hash_table_unref);
  g_clear_pointer (&store->tracked_bits, g_byte_array_unref);
  /* Only a store that opened (and so passed its checks) and closed
   * cleanly (the WAL checkpointed and removed) vouches for its file. */
  if (store->db != NULL && sqlite3_close (store->db) == SQLITE_OK
      && store->opened)
    write_clean_mark (store->path);
  g_clear_pointer (&store->policy.tag_intervals, g_hash_table_unref);
  g_clear_pointer (&store->tz, g_time_zone_unref);
  g_free (store->path);
  g_free (store);
}

void
tb_store_set_time_zone (TbStore *store, GTimeZone *tz)
{
  g_time_zone_unref (store->tz);
  store->tz = g_time_zone_ref (tz);
}

const char *
tb_store_get_path (TbStore *store)
{
  return store->path;
}

gint64
tb_store_get_state_int (TbStore *store, const char *key, gint64 default_value)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt
      = tb_store_prepare (store, "SELECT value FROM state WHERE key = ?", NULL);
  if (stmt == NULL)
    return default_value;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return default_value;
  return sqlite3_column_int64 (stmt, 0);
}

/* The statement that sets @key in the state table, its value (?2) still
 * to bind. */
static TbStmt *
prepare_set_state (TbStore *store, const char *key, GError **error)
{
  TbStmt *stmt = tb_store_prepare (
      store,
      "INSERT INTO state (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      error);

  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return stmt;
}

gboolean
tb_store_set_state_int (TbStore *store, const char *key, gint64 value,
                        GError **error)
{
  g_autoptr (TbStmt) stmt = prepare_set_state (store, key, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 2, value);
  return tb_store_step_done (store, stmt, error);
}

/* Layout of the BLOB: the type string, a NUL, then the serialised data
 * (g_variant_get_data, normal form). */
GVariant *
tb_store_variant_from_blob (const void *data, gsize len)
{
  const char *blob = data;
  const char *type_end = blob != NULL ? memchr (blob, '\0', len) : NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GVariant) value = NULL;

  if (type_end == NULL || !g_variant_type_string_is_valid (blob))
    return NULL;
  bytes = g_bytes_new (type_end + 1, len - (type_end + 1 - blob));
  value = g_variant_ref_sink (
      g_variant_new_from_bytes (G_VARIANT_TYPE (blob), bytes, FALSE));
  /* Untrusted bytes (a damaged file): normalise before anyone reads it. */
  return g_variant_take_ref (g_variant_get_normal_form (value));
}

guchar *
tb_store_variant_to_blob (GVariant *value, gsize *len)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (value);
  g_autoptr (GVariant) normal = g_variant_get_normal_form (owned);
  const char *type = g_variant_get_type_string (normal);
  gsize type_len = strlen (type) + 1;
  gsize size = g_variant_get_size (normal);
  guchar *blob = g_malloc (type_len + size);

  memcpy (blob, type, type_len);
  /* Copied, not g_variant_store'd: the data after the type string is
   * not aligned for the type, which the serialiser asserts it is. */
  if (size > 0)
    memcpy (blob + type_len, g_variant_get_data (normal), size);
  *len = type_len + size;
  return blob;
}

GVariant *
tb_store_get_state_variant (TbStore *store, const char *key)
{
  g_autoptr (TbStmt) stmt = NULL;
  GVariant *value;

  stmt
      = tb_store_prepare (store, "SELECT value FROM state WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW
      || sqlite3_column_type (stmt, 0) != SQLITE_BLOB)
    return NULL;
  value = tb_store_variant_from_blob (sqlite3_column_blob (stmt, 0),
                                      sqlite3_column_bytes (stmt, 0));
  if (value == NULL)
    g_warning ("Ignoring unreadable state “%s”", key);
  return value;
}

gboolean
tb_store_set_state_variant (TbStore *store, const char *key, GVariant *value,
                            GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  gsize len;
  g_autofree guchar *blob = tb_store_variant_to_blob (value, &len);

  stmt = prepare_set_state (store, key, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob64 (stmt, 2, blob, len, SQLITE_TRANSIENT);
  return tb_store_step_done (store, stmt, error);
}

TbStoreStamp
tb_store_data_stamp (TbStore *store)
{
  g_autoptr (TbStmt) stmt
      = tb_store_prepare (store, "PRAGMA data_version", NULL);
  TbStoreStamp stamp = { -1, sqlite3_total_changes64 (store->db) };

  /* -1 when it cannot be read: never equal to a stamp that was. */
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    stamp.version = sqlite3_column_int64 (stmt, 0);
  return stamp;
}

gboolean
tb_store_stamp_equal (const TbStoreStamp *a, const TbStoreStamp *b)
{
  return a->version >= 0 && a->version == b->version
         && a->changes == b->changes;
}

static gint64
count (TbStore *store, const char *sql, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot count"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
tb_store_get_counts (TbStore *store, gint64 now, TbStoreCounts *out,
                     GError **error)
{
  TbStoreStamp stamp = tb_store_data_stamp (store);

  /* count(*) reads an index of every contact: once per change of the
   * data, not once per status. */
  if (store->contacts_count >= 0
      && tb_store_stamp_equal (&stamp, &store->contacts_stamp))
    out->contacts = store->contacts_count;
  else
    out->contacts = count (store, "SELECT count(*) FROM contacts", 0, error);
  if (out->contacts < 0)
    return FALSE;
  store->contacts_count = out->contacts;
  store->contacts_stamp = stamp;
  out->due = count (store, "SELECT count(*) FROM contacts WHERE due_at <= ?1",
                    now, error);
  if (out->due < 0)
    return FALSE;
  out->follow_ups = count (store,
                           "SELECT count(*) FROM follow_ups "
                           "WHERE done_at IS NULL",
                           0, error);
  if (out->follow_ups < 0)
    return FALSE;
  out->pending_alerts = count (store,
                               "SELECT (SELECT count(*) FROM contacts "
                               "WHERE next_alert_at <= ?1) + "
                               "(SELECT count(*) FROM follow_ups "
                               "WHERE next_alert_at <= ?1)",
                               now, error);
  return out->pending_alerts >= 0;
}
