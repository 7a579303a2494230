/* tb-store-intros.c — what introductions and the depth figures need from
 * the database: every contact with its facts in two queries, the recorded
 * introductions, and the counts of `touchbase stats`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-error.h"
#include "tb-intros.h"
#include "tb-store-private.h"

#define CONVERSATION_KINDS "('call', 'video', 'meeting', 'coffee')"

GPtrArray *
tb_store_load_for_matching (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (TbStmt) facts = NULL;
  g_autoptr (GPtrArray) out = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  int rc;

  /* Contacts without facts can never be half of a pair: leave them out,
   * so a large LinkedIn network of bare names costs nothing here. Only
   * what the matching and its reasons read (tb_intros_suggest): the
   * other columns were a third of the loading's time. */
  stmt = tb_store_prepare (
      store,
      "SELECT c.id, c.name, c.company, c.position, "
      "(SELECT group_concat(t.tag, char(31)) FROM contact_tags t "
      "WHERE t.contact_id = c.id) FROM contacts c WHERE EXISTS "
      "(SELECT 1 FROM facts f WHERE f.contact_id = c.id) ORDER BY c.id",
      error);
  if (stmt == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TbContact *c = tb_contact_new ();
      const char *tags = (const char *) sqlite3_column_text (stmt, 4);

      c->id = sqlite3_column_int64 (stmt, 0);
      c->name = tb_stmt_dup_text (stmt, 1);
      c->company = tb_stmt_dup_text (stmt, 2);
      c->position = tb_stmt_dup_text (stmt, 3);
      g_strfreev (c->tags);
      c->tags = tags ? g_strsplit (tags, "\x1f", -1) : g_new0 (char *, 1);

      c->facts = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_fact_free);
      g_ptr_array_add (out, c);
      g_hash_table_insert (by_id, &c->id, c);
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the contacts"));
      return NULL;
    }

  /* One query for all facts, not one per contact. */
  facts = tb_store_prepare (store,
                            "SELECT contact_id, kind, text FROM facts "
                            "ORDER BY contact_id, kind, id",
                            error);
  if (facts == NULL)
    return NULL;
  while ((rc = sqlite3_step (facts)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (facts, 0);
      TbContact *c = g_hash_table_lookup (by_id, &id);
      TbFactKind kind;

      if (c == NULL
          || !tb_fact_kind_from_string (
              (const char *) sqlite3_column_text (facts, 1), &kind))
        continue;
      tb_contact_add_fact (
          c, tb_fact_new (kind, (const char *) sqlite3_column_text (facts, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the facts"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GHashTable *
tb_store_intro_exclusions (TbStore *store, gint64 held_since, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GHashTable) out = tb_intros_exclusions_new ();
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT a_id, b_id FROM introductions "
                           "WHERE status <> 'suggested' OR at >= ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, held_since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    tb_intros_exclude (out, sqlite3_column_int64 (stmt, 0),
                       sqlite3_column_int64 (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the introductions"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
check_pair (TbStore *store, gint64 a, gint64 b, GError **error)
{
  if (a == b)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("A contact cannot be introduced to themselves"));
      return FALSE;
    }
  return tb_store_contact_exists (store, a, error)
         && tb_store_contact_exists (store, b, error);
}

static gboolean
record_locked (TbStore *store, gint64 a, gint64 b, TbIntroStatus status,
               const char *note, gint64 at, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  /* The status only moves forward (suggested < declined < made <
   * connected): "not now" on a pair made last year, or declining it,
   * must not forget that it was made. */
  stmt = tb_store_prepare (
      store,
      "INSERT INTO introductions (a_id, b_id, at, status, note) "
      "VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (a_id, b_id) DO UPDATE SET "
      "at = excluded.at, status = excluded.status, "
      "note = coalesce(excluded.note, note) "
      "WHERE (CASE status WHEN 'suggested' THEN 0 WHEN 'declined' THEN 1 "
      "  WHEN 'made' THEN 2 ELSE 3 END) <= ?6",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, MIN (a, b));
  sqlite3_bind_int64 (stmt, 2, MAX (a, b));
  sqlite3_bind_int64 (stmt, 3, at);
  sqlite3_bind_text (stmt, 4, tb_intro_status_to_string (status), -1,
                     SQLITE_STATIC);
  tb_stmt_bind_text (stmt, 5, note != NULL && *note != '\0' ? note : NULL);
  sqlite3_bind_int (stmt, 6, (int) status);
  return tb_store_step_done (store, stmt, error);
}

gboolean
tb_store_record_intro (TbStore *store, gint64 a, gint64 b, TbIntroStatus status,
                       const char *note, gint64 at, GError **error)
{
  if (!check_pair (store, a, b, error))
    return FALSE;
  return record_locked (store, a, b, status, note, at, error);
}

gint64
tb_store_intro_made_at (TbStore *store, gint64 a, gint64 b, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store,
      "SELECT at FROM introductions WHERE a_id = ? AND b_id = ? "
      "AND status IN ('made', 'connected')",
      error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, MIN (a, b));
  sqlite3_bind_int64 (stmt, 2, MAX (a, b));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return MAX (sqlite3_column_int64 (stmt, 0), 1);
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the introductions"));
      return -1;
    }
  return 0;
}

gboolean
tb_store_make_intro (TbStore *store, gint64 a, gint64 b, const char *note,
                     gint64 now, GError **error)
{
  g_autoptr (TbContact) ca = NULL;
  g_autoptr (TbContact) cb = NULL;
  g_autofree char *note_a = NULL;
  g_autofree char *note_b = NULL;

  if (!check_pair (store, a, b, error))
    return FALSE;
  ca = tb_store_get_contact (store, a, error);
  cb = ca != NULL ? tb_store_get_contact (store, b, error) : NULL;
  if (cb == NULL)
    return FALSE;
  /* Each side's history says who they were introduced to. */
  note_a = g_strdup_printf ("Introduced to %s", cb->name);
  note_b = g_strdup_printf ("Introduced to %s", ca->name);

  if (!tb_store_begin (store, error))
    return FALSE;
  if (!record_locked (store, a, b, TB_INTRO_MADE, note, now, error)
      || tb_store_log_interaction (store, a, TB_KIND_INTRO, now, note_a, now,
                                   error)
             == 0
      || tb_store_log_interaction (store, b, TB_KIND_INTRO, now, note_b, now,
                                   error)
             == 0)
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

/* ------------------------------------------------------------- stats */

static void
counts_from_row (TbStmt *stmt, int col, TbStatsCounts *c)
{
  c->contacts = sqlite3_column_int64 (stmt, col++);
  c->talked = sqlite3_column_int64 (stmt, col++);
  c->never_talked = c->contacts - c->talked;
  c->never_talked_linkedin = sqlite3_column_int64 (stmt, col++);
  c->overdue = sqlite3_column_int64 (stmt, col++);
  c->on_track = sqlite3_column_int64 (stmt, col++);
  c->tracked = sqlite3_column_int64 (stmt, col++);
  c->not_tracked = sqlite3_column_int64 (stmt, col++);
  c->ignored = sqlite3_column_int64 (stmt, col++);
}

/* total() gives 0, not NULL, over no rows. Overdue and on track are
 * about the people you keep in touch with: only a tracked contact has a
 * due_at, and one snoozed past now is neither late nor on track. */
#define CONTACT_COUNTS                                                         \
  "count(*), count(c.last_conversation_at), "                                  \
  "total(c.last_conversation_at IS NULL AND c.source = 'linkedin'), "          \
  "total(c.due_at <= ?1 AND coalesce(c.snoozed_until, 0) <= ?1), "             \
  "total(c.tracking = 1 AND NOT c.paused AND (c.due_at IS NULL "               \
  "  OR c.due_at > ?1) AND coalesce(c.snoozed_until, 0) <= ?1), "              \
  "total(c.tracking = 1), total(c.tracking = 0), total(c.tracking = 2)"

static gboolean
fill_contact_counts (TbStore *store, gint64 now, TbStats *stats,
                     GHashTable *by_tag, GError **error)
{
  g_autoptr (TbStmt) total = NULL;
  g_autoptr (TbStmt) tags = NULL;
  int rc;

  total = tb_store_prepare (store, "SELECT " CONTACT_COUNTS " FROM contacts c",
                            error);
  if (total == NULL)
    return FALSE;
  sqlite3_bind_int64 (total, 1, now);
  if (sqlite3_step (total) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot count the contacts"));
  counts_from_row (total, 0, &stats->total);

  tags = tb_store_prepare (store,
                           "SELECT t.tag, " CONTACT_COUNTS
                           " FROM contact_tags t JOIN contacts c "
                           "ON c.id = t.contact_id GROUP BY t.tag "
                           "ORDER BY t.tag",
                           error);
  if (tags == NULL)
    return FALSE;
  sqlite3_bind_int64 (tags, 1, now);
  while ((rc = sqlite3_step (tags)) == SQLITE_ROW)
    {
      const char *tag = (const char *) sqlite3_column_text (tags, 0);
      TbStatsCounts *c = tb_stats_add_tag (stats, tag);

      counts_from_row (tags, 1, c);
      g_hash_table_insert (by_tag, g_strdup (tag), c);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot count the contacts by tag"));
  return TRUE;
}

static gboolean
fill_conversations (TbStore *store, gint64 now, TbStats *stats,
                    GHashTable *by_tag, GError **error)
{
  g_autoptr (TbStmt) total = NULL;
  g_autoptr (TbStmt) tags = NULL;
  int rc;

  total = tb_store_prepare (
      store,
      "SELECT total(at > ?1), total(at > ?2) "
      "FROM interactions WHERE at > ?2 AND kind IN " CONVERSATION_KINDS,
      error);
  if (total == NULL)
    return FALSE;
  sqlite3_bind_int64 (total, 1, now - 30 * G_GINT64_CONSTANT (86400));
  sqlite3_bind_int64 (total, 2, now - 90 * G_GINT64_CONSTANT (86400));
  if (sqlite3_step (total) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot count the conversations"));
  stats->total.conversations_30d = sqlite3_column_int64 (total, 0);
  stats->total.conversations_90d = sqlite3_column_int64 (total, 1);

  tags = tb_store_prepare (store,
                           "SELECT t.tag, total(i.at > ?1), total(i.at > ?2) "
                           "FROM interactions i JOIN contact_tags t "
                           "ON t.contact_id = i.contact_id "
                           "WHERE i.at > ?2 AND i.kind IN " CONVERSATION_KINDS
                           " GROUP BY t.tag",
                           error);
  if (tags == NULL)
    return FALSE;
  sqlite3_bind_int64 (tags, 1, now - 30 * G_GINT64_CONSTANT (86400));
  sqlite3_bind_int64 (tags, 2, now - 90 * G_GINT64_CONSTANT (86400));
  while ((rc = sqlite3_step (tags)) == SQLITE_ROW)
    {
      TbStatsCounts *c = g_hash_table_lookup (
          by_tag, (const char *) sqlite3_column_text (tags, 0));

      if (c == NULL)
        continue;
      c->conversations_30d = sqlite3_column_int64 (tags, 1);
      c->conversations_90d = sqlite3_column_int64 (tags, 2);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot count the conversations"));
  return TRUE;
}

static gboolean
fill_months (TbStore *store, gint64 now, GTimeZone *tz, TbStats *stats,
             GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  gint64 end = 0;
  int rc;

  tb_stats_set_months (stats, now, tz, &end);
  stmt = tb_store_prepare (
      store,
      "SELECT at FROM interactions "
      "WHERE at >= ? AND at < ? AND kind IN " CONVERSATION_KINDS,
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, stats->month_start[0]);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int i = tb_stats_month_index (stats, sqlite3_column_int64 (stmt, 0), end);

      if (i >= 0)
        stats->conversations_per_month[i]++;
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot count the conversations"));
  return TRUE;
}

static gboolean
fill_introductions (TbStore *store, TbStats *stats, GHashTable *by_tag,
                    GError **error)
{
  g_autoptr (TbStmt) total = NULL;
  g_autoptr (TbStmt) tags = NULL;
  int rc;

  total = tb_store_prepare (store,
                            "SELECT count(*) FROM introductions "
                            "WHERE status IN ('made', 'connected')",
                            error);
  if (total == NULL)
    return FALSE;
  if (sqlite3_step (total) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot count the introductions"));
  stats->total.introductions = sqlite3_column_int64 (total, 0);

  /* An introduction counts once for a tag even when both have it. */
  tags = tb_store_prepare (store,
                           "SELECT t.tag, count(DISTINCT i.id) "
                           "FROM introductions i JOIN contact_tags t "
                           "ON t.contact_id IN (i.a_id, i.b_id) "
                           "WHERE i.status IN ('made', 'connected') "
                           "GROUP BY t.tag",
                           error);
  if (tags == NULL)
    return FALSE;
  while ((rc = sqlite3_step (tags)) == SQLITE_ROW)
    {
      TbStatsCounts *c = g_hash_table_lookup (
          by_tag, (const char *) sqlite3_column_text (tags, 0));

      if (c != NULL)
        c->introductions = sqlite3_column_int64 (tags, 1);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot count the introductions"));
  return TRUE;
}

TbStats *
tb_store_get_stats (TbStore *store, gint64 now, GTimeZone *tz, GError **error)
{
  g_autoptr (TbStats) stats = tb_stats_new ();
  g_autoptr (GHashTable) by_tag
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* One read transaction: the figures add up even while a write lands. */
  if (!tb_store_begin (store, error))
    return NULL;
  if (!fill_contact_counts (store, now, stats, by_tag, error)
      || !fill_conversations (store, now, stats, by_tag, error)
      || !fill_months (store, now, tz, stats, error)
      || !fill_introductions (store, stats, by_tag, error))
    {
      tb_store_rollback (store);
      return NULL;
    }
  if (!tb_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&stats);
}
