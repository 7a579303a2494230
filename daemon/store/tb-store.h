/* tb-store.h — the SQLite database: the one place that reads and writes
 * touchbase's data. Every change that moves a due time also moves the
 * indexed due_at / next_alert_at columns in the same transaction, so the
 * scheduler's questions are index look-ups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-contact.h"
#include "tb-rows.h"
#include "tb-review.h"
#include "tb-stats.h"

G_BEGIN_DECLS

typedef struct _TbStore TbStore;

/* The schema version this build writes. */
#define TB_STORE_SCHEMA_VERSION 9
/* The header's application id ("TBas"), as file(1) and other programs
 * read it: a database with another one is never opened. */
#define TB_STORE_APPLICATION_ID 0x54426173

/* Fields of a contact that an update sets. */
typedef enum
{
  TB_FIELD_NAME = 1 << 0,
  TB_FIELD_EMAIL = 1 << 1,
  TB_FIELD_PHONE = 1 << 2,
  TB_FIELD_URL = 1 << 3,
  TB_FIELD_COMPANY = 1 << 4,
  TB_FIELD_POSITION = 1 << 5,
  TB_FIELD_MET = 1 << 6,
  TB_FIELD_NOTE = 1 << 7,
  TB_FIELD_BIRTHDAY = 1 << 8,
  TB_FIELD_TAGS = 1 << 9,
  TB_FIELD_INTERVAL = 1 << 10,
  TB_FIELD_CONNECTED_ON = 1 << 11,
  TB_FIELD_SOURCE = 1 << 12,
} TbFieldMask;

/* What decides intervals and re-alerts; set from the configuration. */
typedef struct
{
  gint64 default_interval;
  GHashTable *tag_intervals; /* (nullable) tb_tag_key -> gint64* seconds */
  gint64 re_alert;
} TbStorePolicy;

/* Opens (creating 0600 in a 0700 directory) and migrates the database.
 * A file that is not a database, is corrupt, or has a newer schema is
 * refused with TB_ERROR_STORAGE and left untouched. */
TbStore *tb_store_open (const char *path, GError **error);
void tb_store_free (TbStore *store);

/* A second connection to @main's database, for an import in a worker
 * thread: it shares nothing mutable with @main (its own statements, and
 * a copy of the policy and the zone), so it may be used by one other
 * thread while @main serves the main loop. WAL lets @main keep reading
 * while it writes. */
TbStore *tb_store_open_worker (TbStore *main, GError **error);

/* A statement of this connection that runs while @cancellable (nullable:
 * none; not referenced, it must outlive the store or be unset) is
 * cancelled is interrupted, and fails: for the worker of an import, so
 * that it rolls back at once. */
void tb_store_set_cancellable (TbStore *store, GCancellable *cancellable);

/* While another connection of this process (an import's) holds the write
 * lock: a transaction begun here fails at once with TB_ERROR_BUSY
 * ("An import is running; ..."), and so does any other write, instead of
 * waiting for the lock. Reads go on. FALSE also forgets what this
 * connection remembered of the rows (the next contact id), which the
 * other one may have changed. */
void tb_store_hold_writes (TbStore *store, gboolean held);
gboolean tb_store_writes_held (TbStore *store);
const char *tb_store_get_path (TbStore *store);

/* Sets the policy (copied; @policy->tag_intervals is referenced) and
 * recomputes every contact's due and alert times when it changed. */
gboolean tb_store_set_policy (TbStore *store, const TbStorePolicy *policy,
                              GError **error);

/* The local zone, for birthdays (default: the zone at open). */
void tb_store_set_time_zone (TbStore *store, GTimeZone *tz);

/* Writes are grouped with these; everything in between is one
 * transaction. Nesting is counted, so callers compose. */
gboolean tb_store_begin (TbStore *store, GError **error);
gboolean tb_store_commit (TbStore *store, GError **error);
void tb_store_rollback (TbStore *store);
/* A transaction that only reads, ended by tb_store_commit: one snapshot
 * of every table, without the write lock, so it works while an import
 * writes. */
gboolean tb_store_begin_read (TbStore *store, GError **error);

/* Contacts. @contact's id, uid (generated when NULL), created_at (now
 * when 0) and scheduling fields are filled in. @paced spreads the first
 * due time (imports). Tags and facts are stored too. */
gint64 tb_store_add_contact (TbStore *store, TbContact *contact, gboolean paced,
                             gint64 now, GError **error);
gboolean tb_store_update_contact (TbStore *store, gint64 id,
                                  const TbContact *values, TbFieldMask mask,
                                  gint64 now, GError **error);
gboolean tb_store_remove_contact (TbStore *store, gint64 id, GError **error);
TbContact *tb_store_get_contact (TbStore *store, gint64 id, GError **error);
gboolean tb_store_contact_exists (TbStore *store, gint64 id, GError **error);

/* Naming a contact: tb_store_resolve and tb_store_match_contacts are in
 * tb-store-names.h. */

/* One interaction or fact by its own id (NOT_FOUND when none), and
 * their edits. A removed or edited interaction recomputes its contact's
 * last interaction and conversation and its due time, as logging does.
 * For update, @kind < 0 and @at == 0 keep them, a NULL @note keeps it
 * and "" clears it. */
TbInteraction *tb_store_get_interaction (TbStore *store, gint64 id,
                                         GError **error);
gboolean tb_store_remove_interaction (TbStore *store, gint64 id,
                                      GError **error);
gboolean tb_store_update_interaction (TbStore *store, gint64 id, int kind,
                                      gint64 at, const char *note, gint64 now,
                                      GError **error);
TbFact *tb_store_get_fact (TbStore *store, gint64 id, gint64 *out_contact_id,
                           GError **error);
gboolean tb_store_remove_fact (TbStore *store, gint64 id, GError **error);

/* Finds an existing contact for an incoming one: same vCard uid, same
 * profile URL or same email (also the incoming other_emails), URLs and
 * addresses compared by their keys (tb-keys.h). 0: none. */
gint64 tb_store_find_duplicate (TbStore *store, const TbContact *incoming,
                                GError **error);

/* A contact that already has @c's name, e-mail or profile link (by
 * their keys), for an add by hand; @out_field says which ("name",
 * "email", "url"). 0: none, -1: @error is set. */
gint64 tb_store_find_same (TbStore *store, const TbContact *c,
                           const char **out_field, GError **error);

/* For a large import, inside its transaction: a bigger page cache
 * (bounded, 128 MiB), so one transaction over many rows does not spill
 * pages to the log half-way, and nested transactions without savepoints
 * (an inner rollback fails the whole transaction: its commit is refused).
 * The contacts it adds enter the search index in one statement when bulk
 * mode ends; if that fails, it returns FALSE with the error and the
 * transaction's commit is refused. FALSE puts the defaults back. */
gboolean tb_store_set_bulk (TbStore *store, gboolean bulk, GError **error);

/* After a large committed transaction: checkpoints the WAL and truncates
 * it, so the disk does not keep a copy of everything the transaction
 * wrote for as long as the daemon runs. Best effort. */
void tb_store_trim_wal (TbStore *store);

/* After a burst of work that read much (the calendar's rebuild, an
 * import): gives the pages SQLite caches and the heap that is free again
 * back to the system, so an idle daemon does not keep the peak's size. */
void tb_store_release_memory (TbStore *store);

/* For an imported record @in without an e-mail address or a URL (a
 * phone's card, a Google contact with only a number): the contact of the
 * same folded name, without an e-mail address or URL either, whose phone
 * and uid do not differ from @in's (one side without one does not
 * differ), so that a second import does not add it again while two people
 * of one name with different numbers stay two. Of several such, the one
 * whose phone is the same (or both have none); 0 when there is none or
 * no single best one. */
gint64 tb_store_find_by_name (TbStore *store, const TbContact *in,
                              GError **error);

/* Merging an imported contact into the one it matched
 * (tb-store-import.c): fills @values with what should change and returns
 * the fields to pass to tb_store_update_contact; 0 when nothing changes.
 * Name, met and note are only filled in when empty (they are the user's
 * words); email and url change only when the contact does not already
 * have the incoming address (in any spelling, incl. other_emails) or
 * profile; phone, company, position and birthday, connected_on follow
 * the import; a given interval is taken only by a contact without one of
 * its own that is not ignored (which makes it tracked); tags are added, never removed;
 * source, uid and the tracking state stay. Pure: no database access. */
TbFieldMask tb_store_merge_import (const TbContact *existing,
                                   const TbContact *incoming,
                                   TbContact *values);

/* Where a page of the list starts: after the contact whose record has
 * these (@due_at 0 when it has none), in the list's order. */
typedef struct
{
  gint64 due_at;
  TbTracking tracking;
  const char *name;
  gint64 id;
} TbListCursor;

typedef struct
{
  const char *tag;      /* (nullable) */
  gboolean due;         /* only due now */
  gboolean never;       /* only never talked (no conversation) */
  gboolean by_tracking; /* only those whose state is @tracking */
  TbTracking tracking;
  guint limit; /* at most this many contacts; 0: all */
  gint64 now;
  /* (nullable) only the contacts after this one; records only
   * (tb_store_foreach_contact) */
  const TbListCursor *after;
} TbListFilter;

/* (element-type TbContact) soonest due first (then by name without
 * case, then id); then the paused and the untracked, by tracking state,
 * folded name and id. */
GPtrArray *tb_store_list_contacts (TbStore *store, const TbListFilter *filter,
                                   GError **error);

/* Called for each row in turn (its texts valid only during the call);
 * FALSE (with @error set) stops. */
typedef gboolean (*TbRowFunc) (const TbRow *row, gpointer user_data,
                               GError **error);

/* The contacts of tb_store_list_contacts, in its order, one row of
 * `touchbase list` at a time: memory does not grow with the network. */
gboolean tb_store_foreach_row (TbStore *store, const TbListFilter *filter,
                               TbRowFunc func, gpointer user_data,
                               GError **error);

/* Contacts due by @until and not snoozed past it (most overdue first),
 * answered by the index; at most @limit of them (0: all). */
GPtrArray *tb_store_list_due (TbStore *store, gint64 until, guint limit,
                              GError **error);

/* Called with each record in turn; the callee may keep it (it owns it).
 * FALSE (with @error set) stops. */
typedef gboolean (*TbContactFunc) (TbContact *contact, gpointer user_data,
                                   GError **error);
typedef gboolean (*TbFollowUpFunc) (TbFollowUp *follow_up, gpointer user_data,
                                    GError **error);

/* The contacts of tb_store_list_contacts, in its order, one at a time:
 * memory does not grow with the network. */
gboolean tb_store_foreach_contact (TbStore *store, const TbListFilter *filter,
                                   TbContactFunc func, gpointer user_data,
                                   GError **error);

/* Where a page of what is due starts: after the record of @due_at and
 * @id in the order (due_at, id). */
typedef struct
{
  gint64 due_at;
  gint64 id;
} TbDueCursor;

/* The contacts of tb_store_list_due, one at a time, after @after
 * (nullable: from the first). */
gboolean tb_store_foreach_due_contact (TbStore *store, gint64 until,
                                       guint limit, const TbDueCursor *after,
                                       TbContactFunc func, gpointer user_data,
                                       GError **error);

/* The open follow-ups due by @until, soonest first, at most @limit (0:
 * all), one at a time, after @after (nullable). */
gboolean tb_store_foreach_due_follow_up (TbStore *store, gint64 until,
                                         guint limit, const TbDueCursor *after,
                                         TbFollowUpFunc func,
                                         gpointer user_data, GError **error);

/* Called for each row of `touchbase due` (its texts valid only during
 * the call); FALSE (with @error set) stops. */
typedef gboolean (*TbDueRowFunc) (const TbDueRow *row, gpointer user_data,
                                  GError **error);

/* The due contacts and then the due follow-ups of the two functions
 * above, as rows (common/tb-rows.h), at most @limit of each (0: all);
 * @out_contacts and @out_follow_ups: how many of each. */
gboolean tb_store_foreach_due_row (TbStore *store, gint64 until, guint limit,
                                   TbDueRowFunc func, gpointer user_data,
                                   guint *out_contacts, guint *out_follow_ups,
                                   GError **error);

/* What the calendar needs, in one pass and no more: the contacts that
 * make a component — not paused and due by @until, with a birthday, or
 * with an open follow-up — ordered like `touchbase list` (due_at, then
 * name), with only the fields tb-ical reads (id, uid, name, url, company,
 * position, met, birthday, connected_on, last interaction, snoozed_until,
 * paused, due_at, sequence), their tags and their goal and need facts.
 * @next_entry: the earliest due_at after @until of a contact not paused
 * (0: none), when the next one enters the window. */
GPtrArray *tb_store_list_for_calendar (TbStore *store, gint64 until,
                                       gint64 *next_entry, GError **error);

/* How many contacts a search returns when not told, and at most. */
#define TB_STORE_SEARCH_DEFAULT_LIMIT 20
#define TB_STORE_SEARCH_MAX_LIMIT 1000

/* (element-type TbContact) The contacts whose name, company, position,
 * e-mail, note or facts hold every word of @text, each as the start of
 * a word, compared without case and accents ("sol" finds Solara, "zoe"
 * Zoë); best match first (every word in the name, then in the name,
 * company or position, then anywhere; tracked contacts first within
 * each; then by id), at most @limit (1 to TB_STORE_SEARCH_MAX_LIMIT),
 * each with its matched fields set.
 * @total: how many match in all. Every word is taken as text, never as
 * FTS5 syntax. INVALID_ARGUMENT for text without a word, or too long. */
GPtrArray *tb_store_search (TbStore *store, const char *text, guint limit,
                            guint *total, GError **error);

/* Facts. */
gint64 tb_store_add_fact (TbStore *store, gint64 contact_id, TbFactKind kind,
                          const char *text, gint64 now, GError **error);
GPtrArray *tb_store_list_facts (TbStore *store, gint64 contact_id,
                                GError **error);

/* Interactions; logging one restarts the contact's clock and ends a
 * snooze. @at must not be in the future. */
gint64 tb_store_log_interaction (TbStore *store, gint64 contact_id,
                                 TbInteractionKind kind, gint64 at,
                                 const char *note, gint64 now, GError **error);
/* Newest first, at most @limit (0: all). */
GPtrArray *tb_store_list_interactions (TbStore *store, gint64 contact_id,
                                       guint limit, GError **error);
/* The same after the newest @offset. */
GPtrArray *tb_store_list_interactions_page (TbStore *store, gint64 contact_id,
                                            guint limit, guint offset,
                                            GError **error);
gint64 tb_store_count_interactions (TbStore *store, gint64 contact_id,
                                    GError **error);

gboolean tb_store_snooze (TbStore *store, gint64 contact_id, gint64 until,
                          GError **error);
gboolean tb_store_set_paused (TbStore *store, gint64 contact_id,
                              gboolean paused, GError **error);

/* Moves a contact between tracked, not tracked and ignored
 * (docs/design.md §2). Tracking starts the clock at @now unless the
 * contact was tracked already; @interval > 0 also sets its own interval.
 * Birthday alerts follow. */
gboolean tb_store_set_tracking (TbStore *store, gint64 contact_id,
                                TbTracking tracking, gint64 interval,
                                gint64 now, GError **error);

/* The review queue (tb-store-review.c): contacts not tracked whose
 * review_after is not set or not after @now. */

/* Offers @ranker every tracked contact (name, company, tags, facts) and
 * then every contact of the queue, one row at a time: memory stays that
 * of the ranker's page, however long the queue. @unnoticed_only leaves
 * out those a review notification has shown. */
gboolean tb_store_rank_review (TbStore *store, TbReviewRanker *ranker,
                               gint64 now, gboolean unnoticed_only,
                               GError **error);

/* "Later": the contact leaves the queue until @until. NOT_FOUND for an
 * unknown id, INVALID_ARGUMENT for a contact that is not waiting for a
 * decision (tracked or ignored). */
gboolean tb_store_review_later (TbStore *store, gint64 contact_id, gint64 until,
                                GError **error);

/* Records that a review notification showed the contact (never again). */
gboolean tb_store_mark_review_noticed (TbStore *store, gint64 contact_id,
                                       gint64 now, GError **error);

/* When a review notification could next show someone: 1 when someone
 * can be shown now (review_after not set), the earliest review_after of
 * those not shown yet otherwise, 0 when nobody is left, -1 on error. An
 * index look-up: the wake-up asks it after every change. */
gint64 tb_store_review_noticeable_at (TbStore *store, GError **error);

/* Follow-ups. */
gint64 tb_store_add_follow_up (TbStore *store, gint64 contact_id, gint64 due_at,
                               const char *text, gint64 now, GError **error);
gboolean tb_store_complete_follow_up (TbStore *store, gint64 id, gint64 now,
                                      GError **error);
gboolean tb_store_remove_follow_up (TbStore *store, gint64 id, GError **error);
gboolean tb_store_snooze_follow_up (TbStore *store, gint64 id, gint64 until,
                                    GError **error);
TbFollowUp *tb_store_get_follow_up (TbStore *store, gint64 id, GError **error);
/* Open follow-ups (of one contact when @contact_id > 0, else all) due by
 * @until (G_MAXINT64 for all), soonest first. */
GPtrArray *tb_store_list_follow_ups (TbStore *store, gint64 contact_id,
                                     gint64 until, GError **error);

/* Alerts. */
/* The earliest next_alert_at of a contact, follow-up or birthday (0:
 * none, -1: @error is set). A contact's first alert of its due period
 * counts as not before @first_alerts_from when that is > 0 (the daily
 * limit is spent until then); re-alerts, follow-ups and birthdays keep
 * their times. */
gint64 tb_store_next_alert_at (TbStore *store, gint64 first_alerts_from,
                               GError **error);
/* (element-type TbContact) whose next_alert_at <= @now. */
GPtrArray *tb_store_alert_contacts (TbStore *store, gint64 now, GError **error);
GPtrArray *tb_store_alert_follow_ups (TbStore *store, gint64 now,
                                      GError **error);
gboolean tb_store_mark_contact_alerted (TbStore *store, gint64 id, gint64 now,
                                        GError **error);
/* (element-type TbContact) whose birthday alert is due by @now. */
GPtrArray *tb_store_alert_birthdays (TbStore *store, gint64 now,
                                     GError **error);
/* Moves the birthday alert on to next year's birthday. */
gboolean tb_store_mark_birthday_alerted (TbStore *store, gint64 id, gint64 now,
                                         GError **error);
gboolean tb_store_mark_follow_up_alerted (TbStore *store, gint64 id, gint64 now,
                                          GError **error);
/* Holds a contact's alert until @until without counting as an alert. */
gboolean tb_store_defer_contact_alert (TbStore *store, gint64 id, gint64 until,
                                       GError **error);
/* How many contacts' first alerts are held by the daily limit at @now
 * (tb_store_defer_contact_alert, and, when @first_alerts_from > 0 because
 * the limit is spent until then, those that came due since), and in
 * @out_until (nullable) when the first of them is due again (0: none).
 * -1 on an error. */
gint64 tb_store_count_held_alerts (TbStore *store, gint64 now,
                                   gint64 first_alerts_from, gint64 *out_until,
                                   GError **error);
/* Makes every held alert due again at @now, so that the next batch plans
 * them with the daily limit in force: after the limit changed. Not a
 * change of undo: it only moves when a reminder is shown. */
gboolean tb_store_release_held_alerts (TbStore *store, gint64 now,
                                       GError **error);

/* Small persistent daemon state (alert counters, sync state). */
gint64 tb_store_get_state_int (TbStore *store, const char *key,
                               gint64 default_value);
gboolean tb_store_set_state_int (TbStore *store, const char *key, gint64 value,
                                 GError **error);

/* A GVariant (any type) under @key, e.g. the CalDAV engine's state.
 * Stored as a BLOB of its serialised bytes with the type string in front,
 * so it reads back with its type. get: NULL when absent or unreadable;
 * set: a floating @value is consumed, as g_variant_builder_add_value does. */
GVariant *tb_store_get_state_variant (TbStore *store, const char *key);
gboolean tb_store_set_state_variant (TbStore *store, const char *key,
                                     GVariant *value, GError **error);

typedef struct
{
  gint64 contacts;
  gint64 due;
  gint64 follow_ups;
  gint64 pending_alerts;
} TbStoreCounts;

gboolean tb_store_get_counts (TbStore *store, gint64 now, TbStoreCounts *out,
                              GError **error);

/* Introductions and depth (tb-store-intros.c). */

/* Every contact that has facts, with its tags and facts, in two queries:
 * what tb_intros_suggest() reads (id, name, company, position, tags and
 * facts; the other fields stay empty). (element-type TbContact) by id. */
GPtrArray *tb_store_load_for_matching (TbStore *store, GError **error);

/* The pairs suggestions leave out, as a tb_intros_exclusions_new() set:
 * those declined, made or connected, and those put off ("not now", status
 * suggested) at or after @held_since (G_MAXINT64: none of those). */
GHashTable *tb_store_intro_exclusions (TbStore *store, gint64 held_since,
                                       GError **error);

/* Records the pair (either order) with @status at @at. A status never
 * moves back: declining or putting off a pair already made changes
 * nothing. INVALID_ARGUMENT for a == b, NOT_FOUND for an unknown id. */
gboolean tb_store_record_intro (TbStore *store, gint64 a, gint64 b,
                                TbIntroStatus status, const char *note,
                                gint64 at, GError **error);

/* When the pair (either order) was introduced (made or connected): 0
 * when never, -1 when @error is set. */
gint64 tb_store_intro_made_at (TbStore *store, gint64 a, gint64 b,
                               GError **error);

/* Records the introduction as made and logs an intro interaction for
 * both, in one transaction. */
gboolean tb_store_make_intro (TbStore *store, gint64 a, gint64 b,
                              const char *note, gint64 now, GError **error);

/* The depth figures at @now; months are local to @tz. */
TbStats *tb_store_get_stats (TbStore *store, gint64 now, GTimeZone *tz,
                             GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbStore, tb_store_free)

G_END_DECLS
