/* tb-store-search.c — touchbase search: the query over the FTS5 index
 * of contacts (contacts_search, schema v5 in tb-store.c), which
 * tb-store-contacts.c writes in the transactions that change what it
 * holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-store-private.h"

/* Longer text or more words are refused: each word is a prefix query,
 * which walks every indexed word it starts, so a client must not be able
 * to ask for thousands of them at once. Names, companies and positions
 * are a few words; 16 is plenty. */
#define MAX_TEXT_BYTES 1024
#define MAX_WORDS 16

/* In the order of the columns of contacts_search. */
static const char *const column_names[] = {
  "name", "company", "position", "email", "note", "facts",
};

/* tb_search_columns (contacts_search): a bit per column that holds a
 * match of the row, from the positions FTS5 already has for the bm25
 * rank, so telling what matched reads no text. */
static void
search_columns (const Fts5ExtensionApi *api, Fts5Context *fts,
                sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  int n = 0, rc;
  sqlite3_int64 mask = 0;

  rc = api->xInstCount (fts, &n);
  for (int i = 0; rc == SQLITE_OK && i < n; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK && column >= 0 && column < 63)
        mask |= (sqlite3_int64) 1 << column;
    }
  if (rc != SQLITE_OK)
    sqlite3_result_error_code (ctx, rc);
  else
    sqlite3_result_int64 (ctx, mask);
}

/* FTS5 functions belong to the connection and are registered through
 * its fts5_api, which SQLite hands out only through this query. */
static gboolean
register_search_functions (TbStore *store, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;

  if (store->search_functions)
    return TRUE;
  if (sqlite3_prepare_v2 (store->db, "SELECT fts5 (?1)", -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (api == NULL || api->iVersion < 2
      || api->xCreateFunction (api, "tb_search_columns", NULL, search_columns,
                               NULL)
             != SQLITE_OK)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_STORAGE,
                           _ ("This SQLite has no full-text search (FTS5)"));
      return FALSE;
    }
  store->search_functions = TRUE;
  return TRUE;
}

static gboolean
has_word_character (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* The FTS5 expression for @text: each word (a run without white space)
 * becomes a quoted string, its quotes doubled, followed by "*", so FTS5
 * reads it as a prefix phrase and nothing the user typed as syntax:
 * "NEAR(", "OR", "-", ":" and "*" are text in a string. The strings
 * follow each other, which FTS5 reads as AND. Punctuation inside a word
 * splits it into a phrase ("o'brien" is "o brien", adjacent), as the
 * tokenizer split the indexed text. A word without a letter or digit
 * has nothing to match and is left out. NULL with INVALID_ARGUMENT when
 * no word is left or there are too many. */
static char *
build_query (const char *text, GError **error)
{
  g_autoptr (GString) query = g_string_new (NULL);
  g_auto (GStrv) words = NULL;
  guint n = 0;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("The search text is not valid UTF-8"));
      return NULL;
    }
  if (strlen (text) > MAX_TEXT_BYTES)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("The search text is too long (at most %d bytes)"),
                   MAX_TEXT_BYTES);
      return NULL;
    }
  words = g_regex_split_simple ("\\s+", text, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (!has_word_character (words[i]))
        continue;
      if (++n > MAX_WORDS)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("The search text has too many words (at most %d)"),
                       MAX_WORDS);
          return NULL;
        }
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }
  if (n == 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("Nothing to search for: give a word of a name, "
                              "company, position, e-mail, note or fact"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static GStrv
matched_columns (sqlite3_int64 mask)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    if (mask & ((sqlite3_int64) 1 << i))
      g_strv_builder_add (builder, column_names[i]);
  return g_strv_builder_end (builder);
}

static gboolean
count_matches (TbStore *store, const char *query, guint *total, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store,
      "SELECT count(*) FROM contacts_search WHERE contacts_search MATCH ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot search"));
  *total = (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT);
  return TRUE;
}

GPtrArray *
tb_store_search (TbStore *store, const char *text, guint limit, guint *total,
                 GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) out = NULL;
  g_autofree char *query = NULL;
  int columns, rc;

  g_return_val_if_fail (limit > 0 && limit <= TB_STORE_SEARCH_MAX_LIMIT, NULL);

  query = build_query (text != NULL ? text : "", error);
  if (query == NULL || !register_search_functions (store, error))
    return NULL;
  if (total != NULL && !count_matches (store, query, total, error))
    return NULL;

  /* FTS5 sorts by rank and stops at the limit itself (ORDER BY rank
   * LIMIT in the inner query), so the contacts' rows and the matched
   * columns are read for the rows returned only. */
  stmt = tb_store_prepare (
      store,
      "SELECT " TB_CONTACT_COLUMNS ", m.columns FROM (SELECT rowid AS id, "
      "rank AS score, tb_search_columns (contacts_search) AS columns "
      "FROM contacts_search WHERE contacts_search MATCH ?1 "
      "ORDER BY rank LIMIT ?2) m JOIN contacts c ON c.id = m.id "
      "ORDER BY m.score, c.id",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int) limit);
  columns = sqlite3_column_count (stmt);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TbContact *c = tb_store_contact_from_stmt (stmt);

      c->matched = matched_columns (sqlite3_column_int64 (stmt, columns - 1));
      g_ptr_array_add (out, c);
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot search"));
      return NULL;
    }
  return g_steal_pointer (&out);
}
