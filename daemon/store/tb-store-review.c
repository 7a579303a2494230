/* tb-store-review.c — what the review queue needs from the database: the
 * tracked contacts to compare with, the queue streamed row by row into
 * the ranker (daemon/core/tb-review.c), "later", and what the review
 * notifications record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-store-private.h"

/* A contact's tags (unit separator between them) and facts (kind, unit
 * separator, text; record separator between them), in the row, so the
 * queue is one statement read once. */
#define TAGS_COLUMN                                                            \
  "(SELECT group_concat(t.tag, char(31)) FROM contact_tags t "                 \
  "WHERE t.contact_id = c.id)"
#define FACTS_COLUMN                                                           \
  "(SELECT group_concat(rf.kind || char(31) || rf.text, char(30)) "            \
  "FROM facts rf WHERE rf.contact_id = c.id)"

/* (nullable) (element-type TbFact) */
static GPtrArray *
facts_from_column (TbStmt *stmt, int col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);
  g_auto (GStrv) records = NULL;
  GPtrArray *facts;

  if (text == NULL)
    return NULL;
  records = g_strsplit (text, "\x1e", -1);
  facts = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_fact_free);
  for (guint i = 0; records[i] != NULL; i++)
    {
      const char *sep = strchr (records[i], '\x1f');
      g_autofree char *kind_name = NULL;
      TbFactKind kind;

      if (sep == NULL)
        continue;
      kind_name = g_strndup (records[i], (gsize) (sep - records[i]));
      if (tb_fact_kind_from_string (kind_name, &kind))
        g_ptr_array_add (facts, tb_fact_new (kind, sep + 1));
    }
  return facts;
}

static GStrv
tags_from_column (TbStmt *stmt, int col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text != NULL ? g_strsplit (text, "\x1f", -1) : NULL;
}

static gboolean
offer_tracked (TbStore *store, TbReviewRanker *ranker, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  /* The people kept in touch with are few, but they have no index of
   * their own: one pass over the table, once per ranking. */
  stmt = tb_store_prepare (store,
                           "SELECT c.name, c.company, " TAGS_COLUMN
                           ", " FACTS_COLUMN
                           " FROM contacts c WHERE c.tracking = 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto (GStrv) tags = tags_from_column (stmt, 2);
      g_autoptr (GPtrArray) facts = facts_from_column (stmt, 3);

      tb_review_ranker_add_tracked (
          ranker, (const char *) sqlite3_column_text (stmt, 0),
          (const char *) sqlite3_column_text (stmt, 1),
          (const char *const *) tags, facts);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read the contacts"));
  return TRUE;
}

gboolean
tb_store_rank_review (TbStore *store, TbReviewRanker *ranker, gint64 now,
                      gboolean unnoticed_only, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  if (!offer_tracked (store, ranker, error))
    return FALSE;
  /* Only the columns ranking reads: the page's full records are read
   * afterwards, by id, for the few that made it. */
  stmt = tb_store_prepare (
      store,
      "SELECT c.id, c.email, c.company, c.connected_on, " TAGS_COLUMN
      ", " FACTS_COLUMN ", "
      "(SELECT count(*) FROM interactions i WHERE i.contact_id = c.id "
      "  AND i.at >= ?3 AND i.kind IN ('call', 'video', 'meeting', "
      "  'coffee')), "
      "(SELECT count(*) FROM interactions i WHERE i.contact_id = c.id "
      "  AND i.at >= ?3 AND i.kind = 'email') "
      "FROM contacts c INDEXED BY contacts_review "
      "WHERE c.tracking = 0 AND (c.review_after IS NULL OR "
      "c.review_after <= ?1) AND (?2 = 0 OR c.review_noticed_at IS NULL)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, unnoticed_only ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, now - TB_REVIEW_MET_WINDOW);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto (GStrv) tags = tags_from_column (stmt, 4);
      g_autoptr (GPtrArray) facts = facts_from_column (stmt, 5);
      TbReviewCandidate c = {
        .id = sqlite3_column_int64 (stmt, 0),
        .email = (const char *) sqlite3_column_text (stmt, 1),
        .company = (const char *) sqlite3_column_text (stmt, 2),
        .connected_on = sqlite3_column_int64 (stmt, 3),
        .tags = (const char *const *) tags,
        .facts = facts,
        .met = (guint) sqlite3_column_int64 (stmt, 6),
        .wrote = (guint) sqlite3_column_int64 (stmt, 7),
      };

      tb_review_ranker_offer (ranker, &c);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot read the review queue"));
  return TRUE;
}

gboolean
tb_store_review_later (TbStore *store, gint64 contact_id, gint64 until,
                       GError **error)
{
  g_autoptr (TbStmt) read = NULL;
  g_autoptr (TbStmt) write = NULL;
  TbTracking tracking;

  if (!tb_store_begin (store, error))
    return FALSE;
  read = tb_store_prepare (store, "SELECT tracking FROM contacts WHERE id = ?",
                           error);
  if (read == NULL)
    goto fail;
  sqlite3_bind_int64 (read, 1, contact_id);
  if (!tb_store_step_row (store, read, TB_RECORD_CONTACT, contact_id, error))
    goto fail;
  tracking = (TbTracking) sqlite3_column_int (read, 0);
  if (tracking != TB_TRACKING_NOT_TRACKED)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, contact_id);

      /* Translators: the second %s is "tracked" or "ignored". */
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Contact %s is not waiting in the review queue: it is "
                      "%s"),
                   id, tb_tracking_to_string (tracking));
      goto fail;
    }
  write = tb_store_prepare (
      store, "UPDATE contacts SET review_after = ?2 WHERE id = ?1", error);
  if (write == NULL)
    goto fail;
  sqlite3_bind_int64 (write, 1, contact_id);
  sqlite3_bind_int64 (write, 2, until);
  if (!tb_store_step_done (store, write, error))
    goto fail;
  return tb_store_commit (store, error);

fail:
  tb_store_rollback (store);
  return FALSE;
}

gboolean
tb_store_mark_review_noticed (TbStore *store, gint64 contact_id, gint64 now,
                              GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (
      store, "UPDATE contacts SET review_noticed_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, now);
  return tb_store_step_done (store, stmt, error);
}

gint64
tb_store_review_noticeable_at (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  /* NULLs sort first: "not postponed" comes before any time. */
  stmt = tb_store_prepare (store,
                           "SELECT review_after FROM contacts "
                           "WHERE tracking = 0 AND review_noticed_at IS NULL "
                           "ORDER BY review_after LIMIT 1",
                           error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return 0;
  if (rc != SQLITE_ROW)
    {
      tb_store_fail (store, error, _ ("Cannot read the review queue"));
      return -1;
    }
  return MAX (sqlite3_column_int64 (stmt, 0), 1);
}
