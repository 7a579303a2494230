/* tb-store-private.h — what the tb-store-*.c files share. Not for use
 * outside the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* What tb_store_data_stamp() reads: equal stamps, unchanged data. */
typedef struct
{
  gint64 version; /* PRAGMA data_version: commits of other connections */
  gint64 changes; /* sqlite3_total_changes64: rows this one changed */
} TbStoreStamp;

struct _TbStore
{
  sqlite3 *db;            /* (owned) */
  char *path;             /* (owned) */
  GHashTable *statements; /* (owned) SQL text -> sqlite3_stmt */
  guint txn_depth;
  /* tb_store_set_bulk: nested transactions without savepoints; an inner
   * rollback marks the whole transaction failed. */
  gboolean bulk;
  gboolean bulk_failed;
  /* In bulk mode, the first id of the contacts it adds (0: none): they
   * go into the search index together when bulk mode ends
   * (tb_store_search_index_from). */
  gint64 bulk_first_id;
  TbStorePolicy policy; /* tag_intervals (owned) */
  GTimeZone *tz;        /* (owned) local zone, for birthdays */
  /* The id the next new contact gets (tb_store_next_contact_id); 0: look
   * it up (after a rollback, say). */
  gint64 next_contact_id;
  /* The search's FTS5 function is registered (tb-store-search.c). */
  gboolean search_functions;
  /* The change being recorded for undo (tb-store-undo.c): its row in
   * undo_steps (0: none, nothing is logged), the transaction depth it
   * began at, and the first and last id of the contacts it created
   * (0: none yet), whose own rows are not logged. */
  gint64 undo_step;
  guint undo_depth;
  gint64 undo_first_new;
  gint64 undo_last_new;
  /* The undo triggers exist on this connection (tb-store-undo.c). */
  gboolean undo_installed;
  /* tb_store_hold_writes: another connection (an import's) holds the
   * write lock, so a transaction here fails at once instead of waiting
   * for it. */
  gboolean writes_held;
  /* Answers that cost a walk of a million index entries, kept until the
   * data changes: the number of contacts (status) and which ids are
   * tracked, one bit each (the search's ranking). */
  TbStoreStamp contacts_stamp;
  gint64 contacts_count; /* -1: not known */
  TbStoreStamp tracked_stamp;
  GByteArray *tracked_bits; /* (owned) (nullable): not known */
  /* tb_store_open ran PRAGMA quick_check: the file was not as a clean
   * close left it. */
  gboolean integrity_checked;
  /* tb_store_open succeeded, so tb_store_free may write the mark of a
   * clean close. */
  gboolean opened;
};

/* The stamp of the data now: it differs from an earlier one whenever a
 * row may have changed since, on this connection or another (the import
 * worker's). */
TbStoreStamp tb_store_data_stamp (TbStore *store);
gboolean tb_store_stamp_equal (const TbStoreStamp *a, const TbStoreStamp *b);

/* The file beside the database that a clean close writes: what the
 * database file looked like then (tb-store.c). */
char *tb_store_clean_mark_path (const char *db_path);

/* A prepared statement from the store's cache. Released (reset and
 * unbound, not finalized) by g_autoptr. */
typedef sqlite3_stmt TbStmt;
void tb_stmt_release (TbStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbStmt, tb_stmt_release)

/* The cached statement for @sql, compiled on first use. */
TbStmt *tb_store_prepare (TbStore *store, const char *sql, GError **error);

/* Calls @func for every statement in the cache: every question the store
 * has asked since it opened (the tests check their query plans). */
typedef void (*TbStmtFunc) (TbStmt *stmt, gpointer user_data);
void tb_store_foreach_statement (TbStore *store, TbStmtFunc func,
                                 gpointer user_data);

/* Finalizes and drops @sql's statement from the cache, if it is there:
 * for SQL built from input, which would otherwise stay as long as the
 * store. The statement must not be in use. */
void tb_store_forget_statement (TbStore *store, const char *sql);

/* Sets @error from the connection's last error, mapped to a TB_ERROR code. */
gboolean tb_store_fail (TbStore *store, GError **error, const char *what);

/* The connection's last error message, for callers that word the error
 * themselves. (transfer none) */
const char *tb_store_last_error (TbStore *store);

/* What a look-up by id was after, for the error when there is none. */
typedef enum
{
  TB_RECORD_CONTACT,
  TB_RECORD_FOLLOW_UP,
  TB_RECORD_INTERACTION,
  TB_RECORD_FACT,
} TbRecord;

/* Steps a statement that looks up one row by @id: FALSE with NOT_FOUND
 * (naming @what) when there is none, or with the storage error. */
gboolean tb_store_step_row (TbStore *store, TbStmt *stmt, TbRecord what,
                            gint64 id, GError **error);

/* Steps a statement that returns no rows. */
gboolean tb_store_step_done (TbStore *store, TbStmt *stmt, GError **error);

/* Runs a DELETE of one row by id (?1); NOT_FOUND, naming @what, when
 * nothing was deleted. */
gboolean tb_store_delete_by_id (TbStore *store, const char *sql, gint64 id,
                                TbRecord what, GError **error);

/* Binds NULL for NULL strings and 0 times, so "not set" is one thing. */
void tb_stmt_bind_text (TbStmt *stmt, int idx, const char *value);
void tb_stmt_bind_time (TbStmt *stmt, int idx, gint64 value);
char *tb_stmt_dup_text (TbStmt *stmt, int col);

/* Recomputes the contact's due_at and next_alert_at from its stored
 * state; bumps its sequence when the due time moved. */
gboolean tb_store_refresh_contact (TbStore *store, gint64 id, GError **error);

/* After an interaction of @kind at @at was inserted for @contact_id: the
 * last interaction and conversation, the end of the alert period and a
 * snooze, and the due time, as logging keeps them; @track: a
 * conversation makes the contact tracked (one logged by hand, not one a
 * source found). */
gboolean tb_store_apply_interaction (TbStore *store, gint64 contact_id,
                                     TbInteractionKind kind, gint64 at,
                                     gboolean track, gint64 now,
                                     GError **error);
/* The same without the due time (tb_store_refresh_contact), for a batch
 * that notes several and refreshes once. */
gboolean tb_store_note_interaction (TbStore *store, gint64 contact_id,
                                    TbInteractionKind kind, gint64 at,
                                    gboolean track, gint64 now, GError **error);

/* The contact's last interaction and conversation from its history as
 * it is now, then its due time: after interactions went or moved. */
gboolean tb_store_recompute_history (TbStore *store, gint64 contact_id,
                                     GError **error);

/* Makes every stored tag its key (tb_tag_key), once where two spellings
 * meet: after a restore, whose rows may come from an older touchbase. */
gboolean tb_store_fold_tags (TbStore *store, GError **error);

/* tb_store_refresh_contact for every contact, in one transaction: after
 * the policy changed, or a restore. */
gboolean tb_store_refresh_all (TbStore *store, GError **error);

/* The id the next new contact gets: max(id) + 1, remembered between
 * inserts (the daemon is the only writer). */
gint64 tb_store_next_contact_id (TbStore *store, GError **error);

/* Sets the contact's next birthday alert from its birthday, counting
 * from the local day of @now. */
gboolean tb_store_refresh_birthday (TbStore *store, gint64 id, gint64 now,
                                    GError **error);

/* The search index (schema v4), written by the store in the
 * transaction that changes what it holds. Unindex before a change of a
 * contact's name, company, position, e-mail, note or facts, or before
 * removing it, and index after: FTS5 must be told the words it held to
 * take them out. */
gboolean tb_store_search_unindex (TbStore *store, gint64 id, GError **error);
gboolean tb_store_search_index (TbStore *store, gint64 id, GError **error);
/* Indexes every contact from @first_id on (those bulk mode added). */
gboolean tb_store_search_index_from (TbStore *store, gint64 first_id,
                                     GError **error);
/* Builds the whole index afresh from the rows (after a restore). */
gboolean tb_store_search_rebuild (TbStore *store, GError **error);

/* A GVariant as the BLOB the store keeps it in (its type string, a NUL,
 * its serialised bytes; floating @value is consumed), and back: NULL for
 * bytes that are not one. */
guchar *tb_store_variant_to_blob (GVariant *value, gsize *len);
GVariant *tb_store_variant_from_blob (const void *data, gsize len);

/* Undo (tb-store-undo.c): tb_store_add_contact (or a restore) gives a
 * new contact @id. A change does not log the rows of the contacts it
 * creates: undo deletes them whole. */
static inline void
tb_store_undo_note_new_contact (TbStore *store, gint64 id)
{
  if (store->undo_step == 0)
    return;
  if (store->undo_first_new == 0)
    store->undo_first_new = id;
  store->undo_last_new = MAX (store->undo_last_new, id);
}

/* The columns contact_from_stmt() reads, for "SELECT " CONTACT_COLUMNS. */
#define TB_CONTACT_COLUMNS                                                     \
  "c.id, c.uid, c.name, c.email, c.phone, c.url, c.company, c.position, "      \
  "c.met, c.note, c.birthday, c.source, c.interval, c.effective_interval, "    \
  "c.connected_on, c.created_at, c.last_interaction_at, "                      \
  "c.last_conversation_at, c.last_interaction_kind, c.snoozed_until, "         \
  "c.paused, c.due_at, c.next_alert_at, c.alerted_at, c.sequence, "            \
  "c.tracking, c.tracked_since, "                                              \
  "(SELECT group_concat(t.tag, char(31)) FROM contact_tags t "                 \
  "WHERE t.contact_id = c.id)"
TbContact *tb_store_contact_from_stmt (TbStmt *stmt);

G_END_DECLS
