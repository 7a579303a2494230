/* tb-backup.c — writing and restoring the JSON backup.
 *
 * Generic over the tables, on purpose: a row is written as the columns
 * the table has, so a new column is in the backup without anyone
 * remembering to add it, and the restore takes back exactly what was
 * written. Column names from a backup are checked against the table's
 * real columns before they go into SQL (they cannot be bound).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-backup"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tb-backup.h"
#include "tb-error.h"
#include "tb-keys.h"
#include "tb-store-private.h"

/* In the order a restore inserts them: referenced tables first. */
static const struct
{
  const char *name;
  const char *order;
} tables[] = {
  { "contacts", "id" },
  { "contact_tags", "contact_id, tag" },
  { "contact_emails", "contact_id, email_key" },
  { "facts", "id" },
  { "interactions", "id" },
  { "follow_ups", "id" },
  { "introductions", "id" },
  { "state", "key" },
};

static gboolean
is_derived (const char *table, const char *column)
{
  return g_str_equal (table, "contacts")
         && (g_str_equal (column, "name_key") || g_str_equal (column, "url_key")
             || g_str_equal (column, "email_key"));
}

static gboolean
write_all (GOutputStream *out, const char *text, GError **error)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL,
                                    error);
}

static JsonNode *
row_to_json (TbStmt *stmt, const char *table)
{
  JsonObject *obj = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  int n = sqlite3_column_count (stmt);

  for (int i = 0; i < n; i++)
    {
      const char *column = sqlite3_column_name (stmt, i);

      if (is_derived (table, column))
        continue;
      switch (sqlite3_column_type (stmt, i))
        {
          case SQLITE_INTEGER:
            json_object_set_int_member (obj, column,
                                        sqlite3_column_int64 (stmt, i));
            break;
          case SQLITE_FLOAT:
            json_object_set_double_member (obj, column,
                                           sqlite3_column_double (stmt, i));
            break;
          case SQLITE_NULL:
            json_object_set_null_member (obj, column);
            break;
          case SQLITE_BLOB:
            {
              /* Binary state (serialised GVariants): {"blob": base64}. */
              JsonObject *blob = json_object_new ();
              g_autofree char *b64
                  = g_base64_encode (sqlite3_column_blob (stmt, i),
                                     (gsize) sqlite3_column_bytes (stmt, i));

              json_object_set_string_member (blob, "blob", b64);
              json_object_set_object_member (obj, column, blob);
            }
            break;
          default:
            json_object_set_string_member (
                obj, column, (const char *) sqlite3_column_text (stmt, i));
            break;
        }
    }
  json_node_take_object (node, obj);
  return node;
}

static gboolean
write_table (TbStore *store, GOutputStream *out, guint t, GError **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *head = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (TbStmt) stmt = NULL;
  gboolean first = TRUE;
  int rc;

  sql = g_strdup_printf ("SELECT * FROM %s ORDER BY %s", tables[t].name,
                         tables[t].order);
  stmt = tb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  head = g_strdup_printf ("%s    \"%s\": [", t == 0 ? "" : ",\n",
                          tables[t].name);
  if (!write_all (out, head, error))
    return FALSE;
  /* One row at a time: a backup of any size is written in constant
   * memory. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonNode) node = row_to_json (stmt, tables[t].name);
      g_autofree char *text = NULL;

      json_generator_set_root (gen, node);
      text = json_generator_to_data (gen, NULL);
      if (!write_all (out, first ? "\n      " : ",\n      ", error)
          || !write_all (out, text, error))
        return FALSE;
      first = FALSE;
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read the database"));
  return write_all (out, first ? "]" : "\n    ]", error);
}

gboolean
tb_backup_write (TbStore *store, GOutputStream *out, GError **error)
{
  g_autofree char *head = NULL;

  /* A read transaction: the tables are one consistent snapshot. */
  if (!tb_store_begin_read (store, error))
    return FALSE;
  head = g_strdup_printf ("{\n  \"format\": \"%s\",\n  \"version\": %d,\n"
                          "  \"schema\": %d,\n  \"tables\": {\n",
                          TB_BACKUP_FORMAT, TB_BACKUP_VERSION,
                          TB_STORE_SCHEMA_VERSION);
  if (!write_all (out, head, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      if (!write_table (store, out, t, error))
        {
          tb_store_rollback (store);
          return FALSE;
        }
    }
  tb_store_rollback (store);
  return write_all (out, "\n  }\n}\n", error)
         && g_output_stream_flush (out, NULL, error);
}

/* Restoring. */

typedef struct
{
  TbStore *store;
  const char *filename;
  /* (owned) The INSERTs prepared, by their SQL: built from the backup's
   * columns, so they leave the store's statement cache with the restore. */
  GHashTable *inserts;
} Restore;

static gboolean
content_error (Restore *r, GError **error, const char *path, const char *what)
{
  g_set_error (error, TB_ERROR, TB_ERROR_PARSE, "%s: %s: %s", r->filename, path,
               what);
  return FALSE;
}

static GHashTable *
table_columns (TbStore *store, const char *table, GError **error)
{
  g_autoptr (GHashTable) set
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(%s)", table);
  g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (set, tb_stmt_dup_text (stmt, 1));
  return g_steal_pointer (&set);
}

static TbStmt *
insert_statement (Restore *r, const char *table, GPtrArray *columns,
                  GError **error)
{
  g_autoptr (GString) sql = g_string_new ("INSERT INTO ");
  TbStmt *stmt;

  g_string_append_printf (sql, "%s (", table);
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "",
                            (const char *) columns->pdata[i]);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < columns->len; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append (sql, ")");

  /* Rows of a table normally have the same columns: one statement each. */
  stmt = tb_store_prepare (r->store, sql->str, error);
  if (stmt == NULL)
    return NULL;
  if (!g_hash_table_contains (r->inserts, sql->str))
    g_hash_table_add (r->inserts,
                      g_string_free (g_steal_pointer (&sql), FALSE));
  return stmt;
}

static gboolean
bind_value (Restore *r, TbStmt *stmt, int idx, JsonNode *value,
            const char *path, GError **error)
{
  if (JSON_NODE_HOLDS_NULL (value))
    {
      sqlite3_bind_null (stmt, idx);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *obj = json_node_get_object (value);
      JsonNode *b64 = json_object_get_member (obj, "blob");
      g_autofree guchar *data = NULL;
      gsize len = 0;

      if (json_object_get_size (obj) != 1 || b64 == NULL
          || !JSON_NODE_HOLDS_VALUE (b64)
          || json_node_get_value_type (b64) != G_TYPE_STRING)
        return content_error (r, error, path,
                              "expected a number, a string, null or "
                              "{\"blob\": base64}");
      data = g_base64_decode (json_node_get_string (b64), &len);
      sqlite3_bind_blob64 (stmt, idx, data, len, SQLITE_TRANSIENT);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (value))
    return content_error (r, error, path,
                          "expected a number, a string or null");
  switch (json_node_get_value_type (value))
    {
      case G_TYPE_INT64:
        sqlite3_bind_int64 (stmt, idx, json_node_get_int (value));
        return TRUE;
      case G_TYPE_DOUBLE:
        sqlite3_bind_double (stmt, idx, json_node_get_double (value));
        return TRUE;
      case G_TYPE_BOOLEAN:
        sqlite3_bind_int (stmt, idx, json_node_get_boolean (value) ? 1 : 0);
        return TRUE;
      case G_TYPE_STRING:
        sqlite3_bind_text (stmt, idx, json_node_get_string (value), -1,
                           SQLITE_TRANSIENT);
        return TRUE;
      default:
        return content_error (r, error, path,
                              "expected a number, a string or null");
    }
}

static gboolean
restore_row (Restore *r, const char *table, GHashTable *known, JsonNode *row,
             const char *path, GError **error)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new ();
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  g_autofree char *name_key = NULL;
  g_autofree char *url_key = NULL;
  g_autofree char *email_key = NULL;
  gboolean contacts = g_str_equal (table, "contacts");
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  g_autoptr (TbStmt) stmt = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (row))
    return content_error (r, error, path, "expected an object");
  json_object_iter_init (&iter, json_node_get_object (row));
  while (json_object_iter_next (&iter, &member, &value))
    {
      if (!g_hash_table_contains (known, member) || is_derived (table, member))
        {
          g_autofree char *what
              = g_strdup_printf ("“%s” is not a column of %s", member, table);
          return content_error (r, error, path, what);
        }
      g_ptr_array_add (columns, (gpointer) member);
      g_ptr_array_add (values, value);
      if (contacts && g_str_equal (member, "name")
          && JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_STRING)
        name_key = tb_name_key (json_node_get_string (value));
      if (contacts && g_str_equal (member, "url")
          && JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_STRING)
        url_key = tb_url_key (json_node_get_string (value));
      if (contacts && g_str_equal (member, "email")
          && JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_STRING)
        email_key = tb_email_key (json_node_get_string (value));
    }
  if (contacts)
    {
      g_ptr_array_add (columns, (gpointer) "name_key");
      g_ptr_array_add (columns, (gpointer) "url_key");
      g_ptr_array_add (columns, (gpointer) "email_key");
    }
  if (columns->len == 0)
    return content_error (r, error, path, "an empty row");
  stmt = insert_statement (r, table, columns, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < values->len; i++)
    {
      g_autofree char *member_path
          = g_strdup_printf ("%s.%s", path, (const char *) columns->pdata[i]);

      if (!bind_value (r, stmt, (int) i + 1, values->pdata[i], member_path,
                       error))
        return FALSE;
    }
  if (contacts)
    {
      /* Without a name the NOT NULL check below names the problem. */
      tb_stmt_bind_text (stmt, (int) values->len + 1, name_key);
      tb_stmt_bind_text (stmt, (int) values->len + 2, url_key);
      tb_stmt_bind_text (stmt, (int) values->len + 3, email_key);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return content_error (r, error, path, tb_store_last_error (r->store));
  return TRUE;
}

static gboolean
check_header (Restore *r, JsonObject *root, GError **error)
{
  JsonNode *node;

  node = json_object_get_member (root, "format");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_str_equal (json_node_get_string (node), TB_BACKUP_FORMAT))
    return content_error (r, error, "format",
                          "not a touchbase backup (expected \"format\": "
                          "\"" TB_BACKUP_FORMAT "\")");
  node = json_object_get_member (root, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) != TB_BACKUP_VERSION)
    return content_error (r, error, "version",
                          "this touchbase reads backup version 1 only");
  node = json_object_get_member (root, "schema");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 1
      || json_node_get_int (node) > TB_STORE_SCHEMA_VERSION)
    return content_error (r, error, "schema",
                          "written by a newer touchbase, or damaged");
  node = json_object_get_member (root, "tables");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return content_error (r, error, "tables", "expected an object");
  return TRUE;
}

static gboolean
count_contacts (TbStore *store, gint64 *out, GError **error)
{
  g_autoptr (TbStmt) stmt
      = tb_store_prepare (store, "SELECT count(*) FROM contacts", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot read the database"));
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
clear_state (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt
      = tb_store_prepare (store, "DELETE FROM state", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot restore"));
  return TRUE;
}

static gboolean
note_last_contact (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt
      = tb_store_prepare (store, "SELECT max (id) FROM contacts", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot restore"));
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    tb_store_undo_note_new_contact (store, sqlite3_column_int64 (stmt, 0));
  return TRUE;
}

static gboolean
restore_locked (Restore *r, JsonObject *root, guint *out_contacts,
                GError **error)
{
  JsonObject *tables_obj;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gint64 existing = 0;
  guint n_contacts = 0;

  if (!check_header (r, root, error))
    return FALSE;
  tables_obj = json_object_get_object_member (root, "tables");
  json_object_iter_init (&iter, tables_obj);
  while (json_object_iter_next (&iter, &member, &value))
    {
      gboolean found = FALSE;

      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        found = found || g_str_equal (member, tables[t].name);
      if (!found)
        {
          g_autofree char *path = g_strdup_printf ("tables.%s", member);
          return content_error (r, error, path, "not a table of touchbase");
        }
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          g_autofree char *path = g_strdup_printf ("tables.%s", member);
          return content_error (r, error, path, "expected an array");
        }
    }

  if (!count_contacts (r->store, &existing, error))
    return FALSE;
  if (existing > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, existing);

      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("%s: a backup is restored into an empty database only, "
                      "and this one has %s contacts (move %s away, with the "
                      "daemon stopped, to start afresh)"),
                   r->filename, count, tb_store_get_path (r->store));
      return FALSE;
    }
  /* The state of an empty database (alert counters) is replaced by the
   * backup's. */
  if (json_object_has_member (tables_obj, "state")
      && !clear_state (r->store, error))
    return FALSE;

  /* For undo, every contact of the backup is new (the database was
   * empty), whatever its id: undo deletes them, and their rows go with
   * them. */
  tb_store_undo_note_new_contact (r->store, G_MININT64);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autoptr (GHashTable) known = NULL;
      JsonArray *rows;

      if (!json_object_has_member (tables_obj, tables[t].name))
        continue;
      known = table_columns (r->store, tables[t].name, error);
      if (known == NULL)
        return FALSE;
      rows = json_object_get_array_member (tables_obj, tables[t].name);
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          g_autofree char *path
              = g_strdup_printf ("tables.%s[%u]", tables[t].name, i);

          if (!restore_row (r, tables[t].name, known,
                            json_array_get_element (rows, i), path, error))
            return FALSE;
        }
      if (t == 0)
        n_contacts = json_array_get_length (rows);
    }

  if (!note_last_contact (r->store, error))
    return FALSE;
  /* Tags are stored as keys; due and alert times follow this daemon's
   * configuration. */
  if (!tb_store_fold_tags (r->store, error)
      || !tb_store_refresh_all (r->store, error))
    return FALSE;
  /* The rows went in without the search index (the INSERTs are built
   * from the backup's columns): it is built once from all of them. */
  if (!tb_store_search_rebuild (r->store, error))
    return FALSE;
  if (out_contacts != NULL)
    *out_contacts = n_contacts;
  return TRUE;
}

gboolean
tb_backup_restore (TbStore *store, GInputStream *in, const char *filename,
                   guint *out_contacts, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  Restore r = { store, filename ? filename : "(input)", NULL };
  GHashTableIter iter;
  gpointer sql;
  JsonNode *root;
  gboolean ok;

  if (!json_parser_load_from_stream (parser, in, NULL, &local))
    {
      /* json-glib's message reads "<data>:LINE:COL: problem" for a
       * stream: make it "FILE:LINE:COL: problem". */
      const char *msg = local->message;

      if (g_str_has_prefix (msg, "<data>:"))
        msg += strlen ("<data>:");
      g_set_error (error, TB_ERROR, TB_ERROR_PARSE, "%s:%s", r.filename, msg);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return content_error (&r, error, "(root)", "expected an object");

  if (!tb_store_begin (store, error))
    return FALSE;
  r.inserts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = restore_locked (&r, json_node_get_object (root), out_contacts, error);
  g_hash_table_iter_init (&iter, r.inserts);
  while (g_hash_table_iter_next (&iter, &sql, NULL))
    tb_store_forget_statement (store, sql);
  g_hash_table_unref (r.inserts);
  if (!ok)
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}
