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

/* How well a column answers a word, best first: the name, then what the
 * contact does, then the rest. In the order of column_names. */
static const guint8 column_tier[] = { 0, 1, 1, 2, 2, 2 };
#define N_TIERS 3

G_STATIC_ASSERT (G_N_ELEMENTS (column_tier) == G_N_ELEMENTS (column_names));

/* The packing of tb_search_match's result: the columns that hold a match
 * in the low bits, the tier above them. */
#define MATCH_TIER_SHIFT 8
#define MATCH_COLUMNS_MASK ((1 << MATCH_TIER_SHIFT) - 1)

/* tb_search_match (contacts_search): a bit per column that holds a match
 * of the row, and the row's tier: the worst, over the words, of the best
 * column each word was found in, so "zoe solara" found in the name and
 * the company is a company match. Only the positions FTS5 already has
 * are read: no text, and none of the column sizes bm25 reads per row,
 * which made ranking every match of a common word the cost of a search. */
static void
search_match (const Fts5ExtensionApi *api, Fts5Context *fts,
              sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  guint8 best[MAX_WORDS];
  int n = 0, phrases, rc;
  sqlite3_int64 mask = 0, tier = 0;

  phrases = MIN (api->xPhraseCount (fts), MAX_WORDS);
  memset (best, N_TIERS - 1, sizeof best);
  rc = api->xInstCount (fts, &n);
  for (int i = 0; rc == SQLITE_OK && i < n; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc != SQLITE_OK || column < 0
          || column >= (int) G_N_ELEMENTS (column_tier))
        continue;
      mask |= (sqlite3_int64) 1 << column;
      if (phrase >= 0 && phrase < phrases)
        best[phrase] = MIN (best[phrase], column_tier[column]);
    }
  for (int p = 0; p < phrases; p++)
    tier = MAX (tier, best[p]);
  if (rc != SQLITE_OK)
    sqlite3_result_error_code (ctx, rc);
  else
    sqlite3_result_int64 (ctx, mask | tier << MATCH_TIER_SHIFT);
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
      || api->xCreateFunction (api, "tb_search_match", NULL, search_match, NULL)
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

/* Which ids are tracked, one bit each, read from the index on
 * (tracking, name_key) without the table and kept until the data
 * changes: a match is looked up in memory instead of its row being read,
 * and a network of a million tracked contacts is walked once per change,
 * not once per search (nor sorted). (transfer none) */
static GByteArray *
tracked_bits (TbStore *store, GError **error)
{
  TbStoreStamp stamp = tb_store_data_stamp (store);
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GByteArray) bits = NULL;
  int rc;

  if (store->tracked_bits != NULL
      && tb_store_stamp_equal (&stamp, &store->tracked_stamp))
    return store->tracked_bits;
  stmt = tb_store_prepare (store, "SELECT id FROM contacts WHERE tracking = 1",
                           error);
  if (stmt == NULL)
    return NULL;
  bits = g_byte_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint byte = (guint) (id / 8);

      if (id < 0 || id / 8 >= G_MAXUINT)
        continue;
      if (byte >= bits->len)
        {
          guint old = bits->len;

          g_byte_array_set_size (bits, MAX (byte + 1, old * 2));
          memset (bits->data + old, 0, bits->len - old);
        }
      bits->data[byte] |= (guint8) (1u << (id % 8));
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot search"));
      return NULL;
    }
  g_clear_pointer (&store->tracked_bits, g_byte_array_unref);
  store->tracked_bits = g_steal_pointer (&bits);
  store->tracked_stamp = stamp;
  return store->tracked_bits;
}

static gboolean
is_tracked (GByteArray *tracked, gint64 id)
{
  return id >= 0 && (guint64) id / 8 < tracked->len
         && (tracked->data[id / 8] & (1u << (id % 8))) != 0;
}

typedef struct
{
  gint64 id;
  sqlite3_int64 match;
} Found;

/* The results, best first: by tier (the name, then company and position,
 * then the rest), tracked contacts before the others within a tier, then
 * by id. Matches come from FTS5 in id order, so each of these groups
 * keeps its first @limit and the answer is their concatenation: no sort,
 * and memory bounded by the limit however many contacts match. */
#define N_GROUPS (N_TIERS * 2)

static gboolean
rank_matches (TbStore *store, const char *query, guint limit, GArray **groups,
              guint *total, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  GByteArray *tracked = tracked_bits (store, error);
  guint n = 0;
  int rc;

  if (tracked == NULL)
    return FALSE;
  stmt
      = tb_store_prepare (store,
                          "SELECT rowid, tb_search_match (contacts_search) "
                          "FROM contacts_search WHERE contacts_search MATCH ?1",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Found found
          = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      guint tier = (guint) MIN (found.match >> MATCH_TIER_SHIFT, N_TIERS - 1);
      GArray *group
          = groups[tier * 2 + (is_tracked (tracked, found.id) ? 0 : 1)];

      n++;
      if (group->len < limit)
        g_array_append_val (group, found);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot search"));
  if (total != NULL)
    *total = n;
  return TRUE;
}

GPtrArray *
tb_store_search (TbStore *store, const char *text, guint limit, guint *total,
                 GError **error)
{
  g_autoptr (GPtrArray) out = NULL;
  g_autofree char *query = NULL;
  GArray *groups[N_GROUPS];
  gboolean ok;

  g_return_val_if_fail (limit > 0 && limit <= TB_STORE_SEARCH_MAX_LIMIT, NULL);

  query = build_query (text != NULL ? text : "", error);
  if (query == NULL || !register_search_functions (store, error))
    return NULL;
  for (guint i = 0; i < N_GROUPS; i++)
    groups[i] = g_array_new (FALSE, FALSE, sizeof (Found));
  ok = rank_matches (store, query, limit, groups, total, error);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  for (guint i = 0; ok && i < N_GROUPS; i++)
    for (guint j = 0; ok && j < groups[i]->len && out->len < limit; j++)
      {
        const Found *found = &g_array_index (groups[i], Found, j);
        g_autoptr (TbStmt) stmt = tb_store_prepare (
            store,
            "SELECT " TB_CONTACT_COLUMNS " FROM contacts c WHERE c.id = ?",
            error);
        TbContact *c;

        if (stmt == NULL)
          {
            ok = FALSE;
            break;
          }
        sqlite3_bind_int64 (stmt, 1, found->id);
        if (sqlite3_step (stmt) != SQLITE_ROW)
          {
            /* The index names only rows that exist (it is written in
             * their transactions). */
            ok = tb_store_fail (store, error, _ ("Cannot search"));
            break;
          }
        c = tb_store_contact_from_stmt (stmt);
        c->matched = matched_columns (found->match & MATCH_COLUMNS_MASK);
        g_ptr_array_add (out, c);
      }
  for (guint i = 0; i < N_GROUPS; i++)
    g_array_unref (groups[i]);
  return ok ? g_steal_pointer (&out) : NULL;
}
