/* tb-store-undo.c — the undo history: every change a command makes is
 * logged, in its own transaction, as the statements that revert it, and
 * undo runs them newest first.
 *
 * The log is written by triggers, as in SQLite's "Automatic Undo/Redo
 * Using SQLite": after each insert, update and delete of a table undo
 * covers, a trigger stores the statement that reverts it. The triggers
 * are generated from the tables' own columns (PRAGMA table_info), so a
 * column added by a later migration is restored without anyone listing
 * it, and they are TEMP triggers of the daemon's connection: the file
 * holds data only, and a program that opens it directly is neither
 * logged nor slowed down. They log only while a change is open
 * (tb_undo_step), and not the rows of the contacts the change itself
 * created (tb_undo_logs): undo deletes those contacts, and the foreign
 * keys take their tags, facts and interactions with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-error.h"
#include "tb-store-private.h"
#include "tb-store-undo.h"

/* The tables undo covers. @key: the columns that name a row; @contact:
 * the contact a row belongs to, with '@' for OLD or NEW (an introduction
 * belongs to the later of its two: if either was created by the change,
 * the introduction goes with it). */
static const struct
{
  const char *table;
  const char *key[2];
  const char *contact;
} undoable[] = {
  { "contacts", { "id" }, "@.id" },
  { "contact_tags", { "contact_id", "tag" }, "@.contact_id" },
  { "contact_emails", { "contact_id", "email_key" }, "@.contact_id" },
  { "facts", { "id" }, "@.contact_id" },
  { "interactions", { "id" }, "@.contact_id" },
  { "follow_ups", { "id" }, "@.contact_id" },
  { "introductions", { "id" }, "max (@.a_id, @.b_id)" },
};

/* A calendar sees a component change by its SEQUENCE, which must only
 * grow: undo moves it on instead of putting the old one back. */
#define SEQUENCE_COLUMN "sequence"

void
tb_change_free (TbChange *change)
{
  if (change == NULL)
    return;
  g_free (change->verb);
  g_free (change->subject);
  g_clear_pointer (&change->detail, g_variant_unref);
  g_free (change);
}

/* tb_undo_step (): the change being recorded, NULL when none. */
static void
sql_undo_step (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  TbStore *store = sqlite3_user_data (ctx);

  if (store->undo_step > 0)
    sqlite3_result_int64 (ctx, store->undo_step);
  else
    sqlite3_result_null (ctx);
}

/* tb_undo_logs (contact_id): whether a row of that contact is logged. */
static void
sql_undo_logs (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  TbStore *store = sqlite3_user_data (ctx);
  gint64 contact = sqlite3_value_int64 (argv[0]);

  sqlite3_result_int (ctx, store->undo_step > 0
                               && (store->undo_first_new == 0
                                   || contact < store->undo_first_new));
}

static char *
row_expr (const char *pattern, const char *row)
{
  g_auto (GStrv) parts = g_strsplit (pattern, "@", -1);

  return g_strjoinv (row, parts);
}

/* SQL that evaluates to the WHERE clause naming @row's row of @t. */
static char *
where_expr (guint t, const char *row)
{
  GString *s = g_string_new ("");

  for (guint k = 0; k < G_N_ELEMENTS (undoable[t].key); k++)
    {
      const char *key = undoable[t].key[k];

      if (key == NULL)
        break;
      g_string_append_printf (s, "%s'%s\"%s\" = ' || quote (%s.\"%s\")",
                              k > 0 ? " || " : "", k > 0 ? " AND " : "", key,
                              row, key);
    }
  return g_string_free (s, FALSE);
}

static GPtrArray *
table_columns (TbStore *store, const char *table, GError **error)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (%s)", table);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tb_store_fail (store, error, _ ("Cannot read the database"));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (columns,
                     g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || columns->len == 0)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                   _ ("Cannot read the columns of %s"), table);
      return NULL;
    }
  return g_steal_pointer (&columns);
}

static gboolean
run (TbStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return tb_store_fail (store, error, _ ("Cannot write the undo history"));
  return TRUE;
}

static gboolean
install_table (TbStore *store, guint t, GError **error)
{
  const char *table = undoable[t].table;
  g_autoptr (GPtrArray) columns = table_columns (store, table, error);
  g_autofree char *new_contact = row_expr (undoable[t].contact, "NEW");
  g_autofree char *old_contact = row_expr (undoable[t].contact, "OLD");
  g_autofree char *new_where = where_expr (t, "NEW");
  g_autoptr (GString) names = g_string_new ("");
  g_autoptr (GString) values = g_string_new ("");
  g_autoptr (GString) changed = g_string_new ("");
  g_autoptr (GString) sets = g_string_new ("");
  g_autofree char *insert = NULL, *update = NULL, *delete = NULL;
  gboolean has_sequence = FALSE;

  if (columns == NULL)
    return FALSE;
  for (guint i = 0; i < columns->len; i++)
    {
      const char *c = columns->pdata[i];

      g_string_append_printf (names, "%s\"%s\"", i > 0 ? ", " : "", c);
      g_string_append_printf (values, "%squote (OLD.\"%s\")",
                              i > 0 ? " || ', ' || " : "", c);
      if (g_str_equal (c, SEQUENCE_COLUMN))
        {
          has_sequence = TRUE;
          continue;
        }
      g_string_append_printf (changed, "%sOLD.\"%s\" IS NOT NEW.\"%s\"",
                              changed->len > 0 ? " OR " : "", c, c);
      g_string_append_printf (sets,
                              "%siif (OLD.\"%s\" IS NOT NEW.\"%s\", "
                              "', \"%s\" = ' || quote (OLD.\"%s\"), '')",
                              sets->len > 0 ? " || " : "", c, c, c, c);
    }

  /* Reverting an insert deletes the row; a delete inserts it again with
   * every column as it was; an update sets back the columns it changed
   * (substr drops the first ", "). */
  insert = g_strdup_printf (
      "CREATE TEMP TRIGGER IF NOT EXISTS tb_undo_%s_insert AFTER INSERT ON "
      "main.%s "
      "WHEN tb_undo_logs (%s) BEGIN "
      "INSERT INTO undo_log (step, contact_id, sql) VALUES "
      "(tb_undo_step (), %s, 'DELETE FROM %s WHERE ' || %s); END",
      table, table, new_contact, new_contact, table, new_where);
  delete = g_strdup_printf (
      "CREATE TEMP TRIGGER IF NOT EXISTS tb_undo_%s_delete AFTER DELETE ON "
      "main.%s "
      "WHEN tb_undo_logs (%s) BEGIN "
      "INSERT INTO undo_log (step, contact_id, sql) VALUES "
      "(tb_undo_step (), %s, 'INSERT INTO %s (%s) VALUES (' || %s || ')'); "
      "END",
      table, table, old_contact, old_contact, table, names->str, values->str);
  update = g_strdup_printf (
      "CREATE TEMP TRIGGER IF NOT EXISTS tb_undo_%s_update AFTER UPDATE ON "
      "main.%s "
      "WHEN tb_undo_logs (%s) AND (%s) BEGIN "
      "INSERT INTO undo_log (step, contact_id, sql) VALUES "
      "(tb_undo_step (), %s, 'UPDATE %s SET ' || substr (%s, 3) || '%s' "
      "|| ' WHERE ' || %s); END",
      table, table, old_contact, changed->str, old_contact, table, sets->str,
      has_sequence ? ", \"" SEQUENCE_COLUMN "\" = \"" SEQUENCE_COLUMN "\" + 1"
                   : "",
      new_where);
  /* A contact is only ever inserted as a new one (tb_store_add_contact,
   * a restore), which the change's range of new contacts covers: a
   * trigger there would log nothing, and a statement with a trigger that
   * may write needs a statement journal, which was 10 µs of every
   * imported row. */
  if (g_str_equal (table, "contacts"))
    return run (store, delete, error) && run (store, update, error);
  return run (store, insert, error) && run (store, delete, error)
         && run (store, update, error);
}

/* Creates the triggers and their functions, on the first change: TEMP
 * triggers of this connection, so the file's schema stays the data
 * alone, and another program that writes to it is not logged. Created
 * outside a transaction where it can be, whose rollback would take them
 * away; IF NOT EXISTS, should one have been made in a transaction that
 * committed. */
static gboolean
install (TbStore *store, GError **error)
{
  if (store->undo_installed)
    return TRUE;
  if (sqlite3_create_function_v2 (store->db, "tb_undo_step", 0,
                                  SQLITE_UTF8 | SQLITE_INNOCUOUS, store,
                                  sql_undo_step, NULL, NULL, NULL)
          != SQLITE_OK
      || sqlite3_create_function_v2 (store->db, "tb_undo_logs", 1,
                                     SQLITE_UTF8 | SQLITE_INNOCUOUS, store,
                                     sql_undo_logs, NULL, NULL, NULL)
             != SQLITE_OK)
    return tb_store_fail (store, error, _ ("Cannot set up the undo history"));
  for (guint t = 0; t < G_N_ELEMENTS (undoable); t++)
    if (!install_table (store, t, error))
      return FALSE;
  store->undo_installed = store->txn_depth == 0;
  return TRUE;
}

static void
clear_change (TbStore *store)
{
  store->undo_step = 0;
  store->undo_depth = 0;
  store->undo_first_new = 0;
  store->undo_last_new = 0;
}

static char *
contact_name (TbStore *store, gint64 id)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store, "SELECT name FROM contacts WHERE id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return tb_stmt_dup_text (stmt, 0);
}

gboolean
tb_store_begin_change (TbStore *store, const char *verb, gint64 contact_id,
                       const char *subject, gint64 now, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autofree char *name = NULL;

  if (store->undo_depth == 0 && !install (store, error))
    return FALSE;
  if (!tb_store_begin (store, error))
    return FALSE;
  if (store->undo_depth > 0)
    return TRUE;
  if (subject == NULL && contact_id > 0)
    subject = name = contact_name (store, contact_id);
  stmt = tb_store_prepare (store,
                           "INSERT INTO undo_steps (at, verb, subject) "
                           "VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    {
      tb_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, verb, -1, SQLITE_TRANSIENT);
  tb_stmt_bind_text (stmt, 3, subject);
  if (!tb_store_step_done (store, stmt, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  clear_change (store);
  store->undo_step = sqlite3_last_insert_rowid (store->db);
  store->undo_depth = store->txn_depth;
  return TRUE;
}

void
tb_store_set_change_detail (TbStore *store, GVariant *detail)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autofree guchar *blob = NULL;
  gsize len;

  g_return_if_fail (g_variant_is_of_type (detail, G_VARIANT_TYPE_VARDICT));
  blob = tb_store_variant_to_blob (detail, &len);
  if (store->undo_step == 0)
    return;
  stmt = tb_store_prepare (
      store, "UPDATE undo_steps SET detail = ? WHERE id = ?", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_blob64 (stmt, 1, blob, len, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, store->undo_step);
  /* Only words for the list: the change stands without them. */
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_warning ("Cannot describe the change: %s", tb_store_last_error (store));
}

/* Before the commit of the change: the contacts it created, and whether
 * it is worth keeping; then only the last TB_STORE_UNDO_KEEP stay. */
static gboolean
close_step (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  if (store->undo_first_new > 0)
    {
      stmt = tb_store_prepare (
          store,
          "UPDATE undo_steps SET first_new = ?, last_new = ? WHERE id = ?",
          error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, store->undo_first_new);
      sqlite3_bind_int64 (stmt, 2, store->undo_last_new);
      sqlite3_bind_int64 (stmt, 3, store->undo_step);
      if (!tb_store_step_done (store, stmt, error))
        return FALSE;
    }
  else
    {
      /* A change that wrote nothing (an edit to the same values, an
       * import of nothing new) is nothing to undo. */
      stmt
          = tb_store_prepare (store,
                              "DELETE FROM undo_steps WHERE id = ?1 AND NOT "
                              "EXISTS (SELECT 1 FROM undo_log WHERE step = ?1)",
                              error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, store->undo_step);
      if (!tb_store_step_done (store, stmt, error))
        return FALSE;
    }
  tb_stmt_release (g_steal_pointer (&stmt));
  stmt = tb_store_prepare (store,
                           "DELETE FROM undo_steps WHERE id < (SELECT id FROM "
                           "undo_steps ORDER BY id DESC LIMIT 1 OFFSET ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, TB_STORE_UNDO_KEEP - 1);
  return tb_store_step_done (store, stmt, error);
}

gboolean
tb_store_end_change (TbStore *store, gboolean ok, GError **error)
{
  gboolean outer
      = store->undo_depth > 0 && store->txn_depth == store->undo_depth;

  if (!ok)
    {
      tb_store_rollback (store);
      if (outer)
        clear_change (store);
      return FALSE;
    }
  if (outer && store->undo_step > 0 && !close_step (store, error))
    {
      tb_store_rollback (store);
      clear_change (store);
      return FALSE;
    }
  if (outer)
    clear_change (store);
  return tb_store_commit (store, error);
}

static TbChange *
change_from_stmt (TbStmt *stmt)
{
  TbChange *change = g_new0 (TbChange, 1);

  change->id = sqlite3_column_int64 (stmt, 0);
  change->at = sqlite3_column_int64 (stmt, 1);
  change->verb = tb_stmt_dup_text (stmt, 2);
  change->subject = tb_stmt_dup_text (stmt, 3);
  if (sqlite3_column_type (stmt, 4) == SQLITE_BLOB)
    change->detail = tb_store_variant_from_blob (
        sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4));
  if (change->detail != NULL
      && !g_variant_is_of_type (change->detail, G_VARIANT_TYPE_VARDICT))
    g_clear_pointer (&change->detail, g_variant_unref);
  return change;
}

GPtrArray *
tb_store_list_changes (TbStore *store, guint limit, guint *total,
                       GError **error)
{
  g_autoptr (GPtrArray) changes
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT id, at, verb, subject, detail FROM "
                           "undo_steps ORDER BY id DESC LIMIT ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (changes, change_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the undo history"));
      return NULL;
    }
  tb_stmt_release (g_steal_pointer (&stmt));
  if (total != NULL)
    {
      stmt = tb_store_prepare (store, "SELECT count(*) FROM undo_steps", error);
      if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
        {
          tb_store_fail (store, error, _ ("Cannot read the undo history"));
          return NULL;
        }
      *total = (guint) sqlite3_column_int64 (stmt, 0);
    }
  return g_steal_pointer (&changes);
}

/* The contacts whose rows the change's log touches: their search words
 * and due times are the store's to write, not the log's. */
static GArray *
touched_contacts (TbStore *store, gint64 step, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT DISTINCT contact_id FROM undo_log "
                           "WHERE step = ? AND contact_id IS NOT NULL",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, step);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the undo history"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gboolean
exists (TbStore *store, gint64 id)
{
  g_autoptr (TbStmt) stmt
      = tb_store_prepare (store, "SELECT 1 FROM contacts WHERE id = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
run_bound (TbStore *store, const char *sql, gint64 a, gint64 b, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, b);
  return tb_store_step_done (store, stmt, error);
}

/* Runs the change's log backwards. */
static gboolean
replay (TbStore *store, gint64 step, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  stmt = tb_store_prepare (
      store, "SELECT sql FROM undo_log WHERE step = ? ORDER BY seq DESC",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *sql = (const char *) sqlite3_column_text (stmt, 0);
      char *msg = NULL;

      /* Statements the triggers wrote, every value quoted by quote (). */
      if (sqlite3_exec (store->db, sql, NULL, NULL, &msg) != SQLITE_OK)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_STORAGE,
                       _ ("This change can no longer be undone (%s)"),
                       msg != NULL ? msg : "?");
          sqlite3_free (msg);
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read the undo history"));
  return TRUE;
}

static gboolean
undo_locked (TbStore *store, TbChange *change, gint64 first_new,
             gint64 last_new, GError **error)
{
  g_autoptr (GArray) touched = touched_contacts (store, change->id, error);

  if (touched == NULL)
    return FALSE;
  for (guint i = 0; i < touched->len; i++)
    if (!tb_store_search_unindex (store, g_array_index (touched, gint64, i),
                                  error))
      return FALSE;
  /* A removed contact comes back before or after its interactions,
   * whichever order the cascade logged them in: the keys are checked at
   * the commit, on the rows as they end. */
  if (!run (store, "PRAGMA defer_foreign_keys = ON", error)
      || !replay (store, change->id, error))
    return FALSE;
  if (first_new > 0
      && (!run_bound (store,
                      "INSERT INTO contacts_search (contacts_search, rowid, "
                      "name, company, position, email, note, facts) SELECT "
                      "'delete', id, name, company, position, email, note, "
                      "facts FROM contacts_search_content WHERE id BETWEEN ?1 "
                      "AND ?2",
                      first_new, last_new, error)
          || !run_bound (store, "DELETE FROM contacts WHERE id BETWEEN ? AND ?",
                         first_new, last_new, error)))
    return FALSE;
  for (guint i = 0; i < touched->len; i++)
    {
      gint64 id = g_array_index (touched, gint64, i);

      if (exists (store, id)
          && (!tb_store_search_index (store, id, error)
              || !tb_store_refresh_contact (store, id, error)))
        return FALSE;
    }
  return run_bound (store, "DELETE FROM undo_steps WHERE id = ?", change->id, 0,
                    error);
}

TbChange *
tb_store_undo (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (TbChange) change = NULL;
  gint64 first_new, last_new;

  if (store->undo_depth > 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_BUSY,
                           _ ("Another change is being made"));
      return NULL;
    }
  if (!tb_store_begin (store, error))
    return NULL;
  stmt = tb_store_prepare (store,
                           "SELECT id, at, verb, subject, detail, first_new, "
                           "last_new FROM undo_steps ORDER BY id DESC LIMIT 1",
                           error);
  if (stmt == NULL)
    {
      tb_store_rollback (store);
      return NULL;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tb_store_rollback (store);
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("Nothing left to undo (touchbase keeps the last %d "
                      "changes)"),
                   TB_STORE_UNDO_KEEP);
      return NULL;
    }
  change = change_from_stmt (stmt);
  first_new = sqlite3_column_int64 (stmt, 5);
  last_new = sqlite3_column_int64 (stmt, 6);
  tb_stmt_release (g_steal_pointer (&stmt));
  if (!undo_locked (store, change, first_new, last_new, error))
    {
      tb_store_rollback (store);
      return NULL;
    }
  store->next_contact_id = 0;
  if (!tb_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&change);
}
