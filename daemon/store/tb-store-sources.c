/* tb-store-sources.c — a contact's other addresses, the interactions the
 * sources found, and forgetting a source (docs/design.md §12).
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
#include "tb-store-sources.h"

void
tb_source_count_free (TbSourceCount *count)
{
  if (count == NULL)
    return;
  g_free (count->source);
  g_free (count);
}

/* Other addresses */

static char *
checked_key (const char *email, GError **error)
{
  char *key;

  if (!tb_text_check_size (_ ("e-mail"), email, TB_TEXT_MAX_LINE, error))
    return NULL;
  key = tb_email_key (email);
  if (key == NULL || *key == '\0')
    {
      g_free (key);
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("An e-mail address cannot be empty"));
      return NULL;
    }
  return key;
}

static gboolean
set_primary (TbStore *store, gint64 contact_id, const char *email,
             GError **error)
{
  g_autoptr (TbContact) values = tb_contact_new ();

  values->email = g_strdup (email);
  return tb_store_update_contact (store, contact_id, values, TB_FIELD_EMAIL,
                                  g_get_real_time () / G_USEC_PER_SEC, error);
}

static gboolean
add_email_locked (TbStore *store, gint64 contact_id, const char *email,
                  const char *key, GError **error)
{
  g_autoptr (TbContact) c = tb_store_get_contact (store, contact_id, error);
  g_autofree char *primary = NULL;
  g_autoptr (TbStmt) ins = NULL;

  if (c == NULL)
    return FALSE;
  if (c->email == NULL)
    return set_primary (store, contact_id, email, error);
  primary = tb_email_key (c->email);
  if (g_strcmp0 (primary, key) == 0)
    return TRUE;
  ins = tb_store_prepare (store,
                          "INSERT OR IGNORE INTO contact_emails "
                          "(contact_id, email, email_key) VALUES (?, ?, ?)",
                          error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, contact_id);
  sqlite3_bind_text (ins, 2, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 3, key, -1, SQLITE_TRANSIENT);
  return tb_store_step_done (store, ins, error);
}

gboolean
tb_store_add_contact_email (TbStore *store, gint64 contact_id,
                            const char *email, GError **error)
{
  g_autofree char *key = checked_key (email, error);
  g_autofree char *trimmed = NULL;

  if (key == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (email));
  if (!tb_store_begin (store, error))
    return FALSE;
  if (!add_email_locked (store, contact_id, trimmed, key, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

static gboolean
delete_other (TbStore *store, gint64 contact_id, const char *key,
              gboolean *out_deleted, GError **error)
{
  g_autoptr (TbStmt) del = tb_store_prepare (
      store,
      "DELETE FROM contact_emails WHERE contact_id = ? AND email_key = ?",
      error);

  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, contact_id);
  sqlite3_bind_text (del, 2, key, -1, SQLITE_TRANSIENT);
  if (!tb_store_step_done (store, del, error))
    return FALSE;
  *out_deleted = sqlite3_changes (store->db) > 0;
  return TRUE;
}

static gboolean
remove_email_locked (TbStore *store, gint64 contact_id, const char *email,
                     const char *key, GError **error)
{
  g_autoptr (TbContact) c = tb_store_get_contact (store, contact_id, error);
  g_autofree char *primary = NULL;
  g_auto (GStrv) others = NULL;
  gboolean deleted = FALSE;

  if (c == NULL)
    return FALSE;
  primary = c->email != NULL ? tb_email_key (c->email) : NULL;
  if (g_strcmp0 (primary, key) != 0)
    {
      if (!delete_other (store, contact_id, key, &deleted, error))
        return FALSE;
      if (!deleted)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                       _ ("%s has no address “%s”"), c->name, email);
          return FALSE;
        }
      return TRUE;
    }
  /* The primary goes: the oldest other address takes its place, so the
   * contact keeps an address to be written to. */
  others = tb_store_list_contact_emails (store, contact_id, error);
  if (others == NULL)
    return FALSE;
  if (others[0] == NULL)
    return set_primary (store, contact_id, NULL, error);
  {
    g_autofree char *next_key = tb_email_key (others[0]);

    return delete_other (store, contact_id, next_key, &deleted, error)
           && set_primary (store, contact_id, others[0], error);
  }
}

gboolean
tb_store_remove_contact_email (TbStore *store, gint64 contact_id,
                               const char *email, GError **error)
{
  g_autofree char *key = checked_key (email, error);

  if (key == NULL)
    return FALSE;
  if (!tb_store_begin (store, error))
    return FALSE;
  if (!remove_email_locked (store, contact_id, email, key, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

GStrv
tb_store_list_contact_emails (TbStore *store, gint64 contact_id, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  /* WITHOUT ROWID has no insertion order; the key order is stable. */
  stmt = tb_store_prepare (store,
                           "SELECT email FROM contact_emails "
                           "WHERE contact_id = ? ORDER BY email_key",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (b, (const char *) sqlite3_column_text (stmt, 0));
  return g_strv_builder_end (b);
}

/* Found interactions */

/* The contacts with the address @key, primary or other, by index. */
static GArray *
contacts_with_address (TbStore *store, const char *key, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = tb_store_prepare (store,
                           "SELECT id FROM contacts WHERE email_key = ?1 "
                           "UNION SELECT contact_id FROM contact_emails "
                           "WHERE email_key = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot look up an e-mail address"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* Whether the contact has an interaction of @kind logged by hand in
 * [@from, @to): a source does not double it. -1 on an error. */
static int
has_hand_logged (TbStore *store, gint64 contact_id, TbInteractionKind kind,
                 gint64 from, gint64 to, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store,
      "SELECT 1 FROM interactions WHERE contact_id = ? AND at >= ? "
      "AND at < ? AND kind = ? AND source IS NULL LIMIT 1",
      error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  sqlite3_bind_text (stmt, 4, tb_interaction_kind_to_string (kind), -1,
                     SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  tb_store_fail (store, error, _ ("Cannot read the interactions"));
  return -1;
}

/* Whether the contact has what @origin names already: the unique
 * index answers. -1 on an error. */
static int
has_origin (TbStore *store, gint64 contact_id, const char *origin,
            GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store,
      "SELECT 1 FROM interactions WHERE contact_id = ? AND source_key = ?",
      error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_text (stmt, 2, origin, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  tb_store_fail (store, error, _ ("Cannot read the interactions"));
  return -1;
}

/* 1: written, 0: it was there already, -1: an error. */
static int
insert_found (TbStore *store, gint64 contact_id, const TbFound *f,
              const char *origin, GError **error)
{
  g_autoptr (TbStmt) ins = NULL;
  const char *note = f->note;

  /* No text is cut (§2); a summary past the limit is left out whole. */
  if (note != NULL && strlen (note) > TB_TEXT_MAX_NOTE)
    note = NULL;
  ins = tb_store_prepare (store,
                          "INSERT OR IGNORE INTO interactions (contact_id, "
                          "at, kind, note, source, source_key) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          error);
  if (ins == NULL)
    return -1;
  sqlite3_bind_int64 (ins, 1, contact_id);
  sqlite3_bind_int64 (ins, 2, f->at);
  sqlite3_bind_text (ins, 3, tb_interaction_kind_to_string (f->kind), -1,
                     SQLITE_STATIC);
  tb_stmt_bind_text (ins, 4, note);
  tb_stmt_bind_text (ins, 5, f->source);
  tb_stmt_bind_text (ins, 6, origin);
  if (!tb_store_step_done (store, ins, error))
    return -1;
  return sqlite3_changes (store->db) > 0 ? 1 : 0;
}

/* What a batch wrote for one contact: applying the oldest, the newest
 * conversation and the newest interaction moves its clock as applying
 * each would (the store's updates take maxima and minima), so a year of
 * mail costs three updates per contact, not one per message. */
typedef struct
{
  gint64 oldest_at, newest_at, talked_at;
  TbInteractionKind oldest_kind, newest_kind, talked_kind;
} Written;

static void
note_written (GHashTable *written, gint64 id, const TbFound *f)
{
  Written *w = g_hash_table_lookup (written, &id);

  if (w == NULL)
    {
      w = g_new0 (Written, 1);
      w->oldest_at = G_MAXINT64;
      g_hash_table_insert (written, g_memdup2 (&id, sizeof id), w);
    }
  if (f->at < w->oldest_at)
    {
      w->oldest_at = f->at;
      w->oldest_kind = f->kind;
    }
  if (f->at >= w->newest_at)
    {
      w->newest_at = f->at;
      w->newest_kind = f->kind;
    }
  if (tb_interaction_kind_is_conversation (f->kind) && f->at >= w->talked_at)
    {
      w->talked_at = f->at;
      w->talked_kind = f->kind;
    }
}

typedef struct
{
  GHashTable *own;
  gint64 now;
  GHashTable *unknown; /* keys of unknown addresses */
  GHashTable *matches; /* address key -> GArray of ids, for the batch */
  GHashTable *written; /* contact id -> Written */
  TbFoundResult *out;
} Batch;

/* The contacts with the address @key, looked up once per batch. */
static GArray *
batch_contacts (TbStore *store, Batch *b, const char *key, GError **error)
{
  GArray *ids = g_hash_table_lookup (b->matches, key);

  if (ids != NULL)
    return ids;
  ids = contacts_with_address (store, key, error);
  if (ids != NULL)
    g_hash_table_insert (b->matches, g_strdup (key), ids);
  return ids;
}

static gboolean
record_one (TbStore *store, const TbFound *f, Batch *b, GError **error)
{
  g_autoptr (GHashTable) seen
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *origin = tb_found_origin_key (f);
  TbFoundResult *out = b->out;
  gint64 day_start, day_end;

  tb_found_day (f->at, store->tz, &day_start, &day_end);
  for (guint i = 0; f->addresses != NULL && f->addresses[i] != NULL; i++)
    {
      g_autofree char *key = tb_email_key (f->addresses[i]);
      GArray *ids;

      /* Two spellings of one address are one person. */
      if (key == NULL || !g_hash_table_add (seen, g_strdup (key)))
        continue;
      if (b->own != NULL && g_hash_table_contains (b->own, key))
        {
          out->own++;
          continue;
        }
      ids = batch_contacts (store, b, key, error);
      if (ids == NULL)
        return FALSE;
      if (ids->len == 0)
        {
          if (g_hash_table_add (b->unknown, g_strdup (key)))
            out->unknown++;
          continue;
        }
      for (guint n = 0; n < ids->len; n++)
        {
          gint64 id = g_array_index (ids, gint64, n);
          int there, written = 0;

          /* Found before (a second scan, another folder) is the common
           * case: the unique index says so before anything else. */
          there = has_origin (store, id, origin, error);
          if (there == 0)
            there = has_hand_logged (store, id, f->kind, day_start, day_end,
                                     error);
          if (there == 0)
            written = insert_found (store, id, f, origin, error);
          if (there < 0 || written < 0)
            return FALSE;
          if (written == 0)
            {
              out->already++;
              continue;
            }
          out->logged++;
          note_written (b->written, id, f);
          if (out->contacts != NULL)
            g_hash_table_add (out->contacts, g_memdup2 (&id, sizeof id));
        }
    }
  return TRUE;
}

static gboolean
apply_written (TbStore *store, GHashTable *written, gint64 now, GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, written);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;
      const Written *w = value;

      if (!tb_store_note_interaction (store, id, w->oldest_kind, w->oldest_at,
                                      FALSE, now, error)
          || (w->talked_at > 0
              && !tb_store_note_interaction (store, id, w->talked_kind,
                                             w->talked_at, FALSE, now, error))
          || !tb_store_note_interaction (store, id, w->newest_kind,
                                         w->newest_at, FALSE, now, error)
          || !tb_store_refresh_contact (store, id, error))
        return FALSE;
    }
  return TRUE;
}

static void
free_ids (gpointer ids)
{
  g_array_unref (ids);
}

gboolean
tb_store_record_found (TbStore *store, GPtrArray *found, GHashTable *own,
                       gint64 now, TbFoundResult *out, GError **error)
{
  g_autoptr (GHashTable) local_unknown = NULL;
  g_autoptr (GHashTable) matches
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_ids);
  g_autoptr (GHashTable) written
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  Batch b = { own, now, out->unknown_keys, matches, written, out };

  if (b.unknown == NULL)
    b.unknown = local_unknown
        = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!tb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < found->len; i++)
    {
      const TbFound *f = g_ptr_array_index (found, i);

      out->found++;
      /* A minute of slack for clocks, as for interactions logged. */
      if (f->at > now + 60 || f->at <= 0 || f->key == NULL)
        {
          out->future++;
          continue;
        }
      if (!record_one (store, f, &b, error))
        {
          tb_store_rollback (store);
          return FALSE;
        }
    }
  if (!apply_written (store, written, now, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  return tb_store_commit (store, error);
}

static gboolean
forget_locked (TbStore *store, const char *source, gint64 *out_removed,
               GError **error)
{
  g_autoptr (TbStmt) sel = NULL;
  g_autoptr (TbStmt) del = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  sel = tb_store_prepare (store,
                          "SELECT DISTINCT contact_id FROM interactions "
                          "WHERE source = ?",
                          error);
  if (sel == NULL)
    return FALSE;
  sqlite3_bind_text (sel, 1, source, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (sel) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (sel, 0);

      g_array_append_val (ids, id);
    }
  tb_stmt_release (g_steal_pointer (&sel));
  del = tb_store_prepare (store, "DELETE FROM interactions WHERE source = ?",
                          error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_text (del, 1, source, -1, SQLITE_TRANSIENT);
  if (!tb_store_step_done (store, del, error))
    return FALSE;
  *out_removed = sqlite3_changes (store->db);
  for (guint i = 0; i < ids->len; i++)
    {
      if (!tb_store_recompute_history (store, g_array_index (ids, gint64, i),
                                       error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tb_store_forget_source (TbStore *store, const char *source, gint64 *out_removed,
                        GError **error)
{
  gint64 removed = 0;

  if (!tb_store_begin (store, error))
    return FALSE;
  if (!forget_locked (store, source, &removed, error))
    {
      tb_store_rollback (store);
      return FALSE;
    }
  if (out_removed != NULL)
    *out_removed = removed;
  return tb_store_commit (store, error);
}

GPtrArray *
tb_store_count_by_source (TbStore *store, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autoptr (GPtrArray) out
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_source_count_free);

  stmt = tb_store_prepare (
      store,
      "SELECT source, count(*), "
      "  sum(kind IN ('call', 'video', 'meeting', 'coffee')), "
      "  count(DISTINCT contact_id) "
      "FROM interactions WHERE source IS NOT NULL "
      "GROUP BY source ORDER BY source",
      error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TbSourceCount *c = g_new0 (TbSourceCount, 1);

      c->source = tb_stmt_dup_text (stmt, 0);
      c->interactions = sqlite3_column_int64 (stmt, 1);
      c->conversations = sqlite3_column_int64 (stmt, 2);
      c->contacts = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (out, c);
    }
  return g_steal_pointer (&out);
}
