/* tb-store-complete.c — the starts of names and tags, for shell
 * completion.
 *
 * A Tab press must answer at once at any size, so both read a range of an
 * index and nothing else: names the index on (tracking, name_key), tags
 * the one on contact_tags (tag). A key starts with the prefix exactly
 * when it lies in [prefix, prefix + U+10FFFF): keys are UTF-8 compared
 * bytewise, and no character sorts after the last one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-keys.h"
#include "tb-store-complete.h"
#include "tb-store-private.h"

#define LAST_CHAR "\xf4\x8f\xbf\xbf"

/* tracking = ?4 is one search of the index for each tier, in order. */
#define NAMES_SQL                                                              \
  "SELECT name FROM contacts WHERE tracking = ?4"                              \
  " AND name_key >= ?1 AND name_key < ?2 ORDER BY name_key, id LIMIT ?3"
/* One seek of the index per tag: DISTINCT would read every row of a tag
 * that a million contacts have before it got to the next one. */
#define FIRST_TAG_SQL                                                          \
  "SELECT tag FROM contact_tags WHERE tag >= ?1 AND tag < ?2"                  \
  " ORDER BY tag LIMIT 1"
#define NEXT_TAG_SQL                                                           \
  "SELECT tag FROM contact_tags WHERE tag > ?1 AND tag < ?2"                   \
  " ORDER BY tag LIMIT 1"

static gboolean
check_prefix (const char *prefix, GError **error)
{
  if (strlen (prefix) <= TB_STORE_COMPLETE_MAX_PREFIX_BYTES)
    return TRUE;
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("A start to complete is at most %d bytes"),
               TB_STORE_COMPLETE_MAX_PREFIX_BYTES);
  return FALSE;
}

/* Steps @stmt, bound to the range of @key, adding the first column of
 * each row not yet in @seen to @out until it holds @limit. */
static gboolean
collect (TbStore *store, TbStmt *stmt, const char *key, guint limit,
         GHashTable *seen, GPtrArray *out, GError **error)
{
  g_autofree char *end = g_strconcat (key, LAST_CHAR, NULL);
  int rc = SQLITE_DONE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, limit);
  while (out->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (text == NULL || g_hash_table_contains (seen, text))
        continue;
      g_hash_table_add (seen, g_strdup (text));
      g_ptr_array_add (out, g_strdup (text));
    }
  if (out->len < limit && rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot look up contacts"));
  return TRUE;
}

GPtrArray *
tb_store_complete_names (TbStore *store, const char *prefix, guint limit,
                         GError **error)
{
  static const TbTracking tiers[]
      = { TB_TRACKING_TRACKED, TB_TRACKING_NOT_TRACKED, TB_TRACKING_IGNORED };
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *key = NULL;

  g_return_val_if_fail (limit > 0, NULL);
  if (!check_prefix (prefix, error))
    return NULL;
  /* Leading blanks are no part of a name's key; trailing ones are: "ana "
   * completes to "Ana Silva" and not to "Anabel". */
  key = tb_name_key (prefix);
  g_strchug (key);
  for (guint i = 0; i < G_N_ELEMENTS (tiers) && out->len < limit; i++)
    {
      g_autoptr (TbStmt) stmt = tb_store_prepare (store, NAMES_SQL, error);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int (stmt, 4, tiers[i]);
      if (!collect (store, stmt, key, limit, seen, out, error))
        return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
tb_store_complete_tags (TbStore *store, const char *prefix, guint limit,
                        GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  g_autofree char *end = NULL;

  g_return_val_if_fail (limit > 0, NULL);
  if (!check_prefix (prefix, error))
    return NULL;
  key = tb_tag_key (prefix);
  end = g_strconcat (key, LAST_CHAR, NULL);
  while (out->len < limit)
    {
      const char *sql = out->len == 0 ? FIRST_TAG_SQL : NEXT_TAG_SQL;
      const char *from
          = out->len == 0 ? key : g_ptr_array_index (out, out->len - 1);
      g_autoptr (TbStmt) stmt = tb_store_prepare (store, sql, error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, end, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        break;
      if (rc != SQLITE_ROW)
        {
          tb_store_fail (store, error, _ ("Cannot look up contacts"));
          return NULL;
        }
      g_ptr_array_add (out,
                       g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  return g_steal_pointer (&out);
}
