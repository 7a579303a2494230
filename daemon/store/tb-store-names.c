/* tb-store-names.c — naming a contact: an id, or a part of a name ranked
 * tier by tier by the rule of daemon/core/tb-match.c (docs/design.md §2
 * "Naming a contact").
 *
 * What it costs. With 30,000 imported connections a first name matches
 * hundreds of them, and what costs at a million contacts is looking at
 * every name (figures: bench/README.md, bench-resolve). So:
 * - the tracked tier comes first and is read from the index on
 *   (tracking, name_key): only its own entries, a few hundred at most,
 *   and no table page, whatever was imported. Most names are of people
 *   you keep in touch with, and end here.
 * - in the other tier a whole name is one search of that index; when it
 *   is the only one, it is the answer without a scan.
 * - otherwise the other tier is scanned, in that index rather than the
 *   table (a fraction of the pages): a word's start after the first word
 *   ("martin" in "zoe martin") is only found by looking at every name.
 * - the count of the rest is only asked for when the list is full.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-keys.h"
#include "tb-store-private.h"
#include "tb-store-names.h"

/* The SQL below spells the tiers out with these values. */
G_STATIC_ASSERT (TB_TRACKING_NOT_TRACKED == 0 && TB_TRACKING_TRACKED == 1
                 && TB_TRACKING_IGNORED == 2);

/* A tier's matches best first: by match, then folded name and id, all
 * three in the index, so even a query that matches most of a million
 * names sorts them without reading the table. "tracking IN (0, 2)" is
 * two searches of the index; "tracking <> 1" would read all of it. */
#define RANK_SQL(tier)                                                         \
  "SELECT id, tb_name_match (name_key, ?1) AS m FROM contacts WHERE " tier     \
  " AND m > 0 ORDER BY m DESC, name_key, id LIMIT ?2"
#define COUNT_SQL(tier)                                                        \
  "SELECT count(*) FROM contacts WHERE " tier                                  \
  " AND tb_name_match (name_key, ?1) > 0"
#define TRACKED "tracking = 1"
#define OTHERS "tracking IN (0, 2)"

static const struct
{
  const char *rank;
  const char *count;
} tier_sql[TB_NAME_N_TIERS] = {
  [TB_NAME_TIER_TRACKED] = { RANK_SQL (TRACKED), COUNT_SQL (TRACKED) },
  [TB_NAME_TIER_OTHERS] = { RANK_SQL (OTHERS), COUNT_SQL (OTHERS) },
};

typedef struct
{
  gint64 id;
  TbNameMatch match;
} Ranked;

void
tb_name_candidate_free (TbNameCandidate *candidate)
{
  if (candidate == NULL)
    return;
  tb_contact_free (candidate->contact);
  g_free (candidate);
}

static TbNameCandidate *
candidate_new (TbContact *contact, TbNameMatch match)
{
  TbNameCandidate *candidate = g_new0 (TbNameCandidate, 1);

  candidate->contact = contact;
  candidate->match = match;
  return candidate;
}

static gboolean
parse_id (const char *query, gint64 *out)
{
  guint64 v;

  return g_ascii_string_to_unsigned (query, 10, 1, G_MAXINT64, &v, NULL)
         && (*out = (gint64) v) > 0;
}

/* The folded, stripped query; NULL with INVALID_ARGUMENT when it is empty
 * or too long. */
static char *
query_key (const char *query, GError **error)
{
  g_autofree char *key = NULL;

  if (strlen (query) > TB_NAME_QUERY_MAX_BYTES)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("A name to look for is at most %d bytes"),
                   TB_NAME_QUERY_MAX_BYTES);
      return NULL;
    }
  key = tb_name_key (query);
  g_strstrip (key);
  if (*key == '\0')
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("Say which contact: an id or part of a name"));
      return NULL;
    }
  return g_steal_pointer (&key);
}

/* The best @limit matches of @tier into @out (of Ranked). */
static gboolean
rank_tier (TbStore *store, TbNameTier tier, const char *key, guint limit,
           GArray *out, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  int rc;

  stmt = tb_store_prepare (store, tier_sql[tier].rank, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Ranked r = { sqlite3_column_int64 (stmt, 0),
                   (TbNameMatch) sqlite3_column_int (stmt, 1) };

      g_array_append_val (out, r);
    }
  if (rc != SQLITE_DONE)
    return tb_store_fail (store, error, _ ("Cannot look up contacts"));
  return TRUE;
}

static gboolean
count_tier (TbStore *store, TbNameTier tier, const char *key, guint *out,
            GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;

  stmt = tb_store_prepare (store, tier_sql[tier].count, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return tb_store_fail (store, error, _ ("Cannot look up contacts"));
  *out = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The id of the one contact outside the tracked tier whose whole name is
 * @key; 0 when there is none or there are several, -1 on an error. */
static gint64
only_whole_other (TbStore *store, const char *key, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  gint64 id = 0;
  guint n = 0;
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT id FROM contacts WHERE " OTHERS
                           " AND name_key = ?1 LIMIT 2",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot look up contacts"));
      return -1;
    }
  return n == 1 ? id : 0;
}

/* The records of @ranked's contacts, in its order. */
static GPtrArray *
load_candidates (TbStore *store, GArray *ranked, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tb_name_candidate_free);

  for (guint i = 0; i < ranked->len; i++)
    {
      Ranked *r = &g_array_index (ranked, Ranked, i);
      TbContact *c = tb_store_get_contact (store, r->id, error);

      if (c == NULL)
        return NULL;
      g_ptr_array_add (out, candidate_new (c, r->match));
    }
  return g_steal_pointer (&out);
}

/* How many contacts of @tier match when @ranked holds the best @limit:
 * a list shorter than the limit is all there is, and only a full one
 * costs a count. */
static gboolean
tier_total (TbStore *store, TbNameTier tier, const char *key, GArray *ranked,
            guint limit, guint *total, GError **error)
{
  *total = ranked->len;
  return ranked->len < limit || count_tier (store, tier, key, total, error);
}

static void
set_ambiguous (GError **error, const char *query, GPtrArray *candidates,
               guint total)
{
  g_autoptr (GString) lines = g_string_new (NULL);

  for (guint i = 0; i < candidates->len; i++)
    {
      TbNameCandidate *cand = g_ptr_array_index (candidates, i);
      const TbContact *c = cand->contact;

      g_string_append_printf (lines, "\n  %" G_GINT64_FORMAT "  %s", c->id,
                              c->name);
      if (c->company != NULL)
        g_string_append_printf (lines, " (%s)", c->company);
    }
  if (total > candidates->len)
    g_string_append_printf (lines, _ ("\n  … and %u more"),
                            total - candidates->len);
  g_set_error (error, TB_ERROR, TB_ERROR_AMBIGUOUS,
               g_dngettext (NULL,
                            "“%s” matches %u contact; use the id or more of "
                            "the name:%s",
                            "“%s” matches %u contacts; use the id or more of "
                            "the name:%s",
                            total),
               query, total, lines->str);
}

gint64
tb_store_resolve (TbStore *store, const char *query, GError **error)
{
  g_autofree char *key = query_key (query, error);
  gint64 id;

  if (key == NULL)
    return 0;
  if (parse_id (query, &id))
    return tb_store_contact_exists (store, id, error) ? id : 0;

  for (guint tier = 0; tier < TB_NAME_N_TIERS; tier++)
    {
      g_autoptr (GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
      g_autoptr (GPtrArray) candidates = NULL;
      const Ranked *best;
      TbNameMatch next;
      guint total = 0;

      if (tier == TB_NAME_TIER_OTHERS)
        {
          id = only_whole_other (store, key, error);
          if (id != 0)
            return MAX (id, 0);
        }
      /* The best two decide; the best ten are what an ambiguous name
       * lists, and cost the same one pass. */
      if (!rank_tier (store, tier, key, TB_STORE_MATCH_DEFAULT_LIMIT, ranked,
                      error))
        return 0;
      if (ranked->len == 0)
        continue;
      best = &g_array_index (ranked, Ranked, 0);
      next = ranked->len > 1 ? g_array_index (ranked, Ranked, 1).match
                             : TB_NAME_MATCH_NONE;
      if (tb_name_match_decides (best->match, next))
        return best->id;
      candidates = load_candidates (store, ranked, error);
      if (candidates != NULL
          && tier_total (store, tier, key, ranked, TB_STORE_MATCH_DEFAULT_LIMIT,
                         &total, error))
        set_ambiguous (error, query, candidates, total);
      return 0;
    }
  g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
               _ ("No contact matches “%s”"), query);
  return 0;
}

GPtrArray *
tb_store_match_contacts (TbStore *store, const char *query, guint limit,
                         guint *total, GError **error)
{
  g_autofree char *key = query_key (query, error);
  g_autoptr (GPtrArray) out = NULL;
  gint64 id;

  g_return_val_if_fail (limit > 0, NULL);
  if (key == NULL)
    return NULL;
  if (parse_id (query, &id))
    {
      g_autoptr (GError) local_error = NULL;
      TbContact *c = tb_store_get_contact (store, id, &local_error);

      out = g_ptr_array_new_with_free_func (
          (GDestroyNotify) tb_name_candidate_free);
      if (c != NULL)
        g_ptr_array_add (out, candidate_new (c, TB_NAME_MATCH_ID));
      else if (!g_error_matches (local_error, TB_ERROR, TB_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      *total = out->len;
      return g_steal_pointer (&out);
    }
  for (guint tier = 0; tier < TB_NAME_N_TIERS; tier++)
    {
      g_autoptr (GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));

      if (!rank_tier (store, tier, key, limit, ranked, error))
        return NULL;
      if (ranked->len == 0)
        continue;
      out = load_candidates (store, ranked, error);
      if (out == NULL
          || !tier_total (store, tier, key, ranked, limit, total, error))
        return NULL;
      return g_steal_pointer (&out);
    }
  *total = 0;
  return g_ptr_array_new_with_free_func (
      (GDestroyNotify) tb_name_candidate_free);
}
