/* tb-engine.h — what touchbased does, whoever asks: the D-Bus methods and
 * the buttons on notifications call the same operations here.
 *
 * The engine owns the store and the configuration and reads the clock.
 * Every write goes through it, and it emits "changed" after each one that
 * committed, so whoever must follow the data (the timer, the live
 * calendar, clients listening on the bus) connects once instead of every
 * caller remembering to tell them. Nothing here knows about D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-config.h"
#include "tb-importer.h"
#include "tb-intros.h"
#include "tb-store.h"
#include "tb-store-complete.h"
#include "tb-store-names.h"
#include "tb-store-undo.h"

G_BEGIN_DECLS

#define TB_TYPE_ENGINE (tb_engine_get_type ())
G_DECLARE_FINAL_TYPE (TbEngine, tb_engine, TB, ENGINE, GObject)

/* The wall clock, in Unix seconds; tests pass their own. */
typedef gint64 (*TbEngineClockFunc) (gpointer user_data);

/* A snooze "until" meaning: for the configured snooze length. */
#define TB_ENGINE_SNOOZE_DEFAULT G_GINT64_CONSTANT (-1)

/* How far ahead the report lists who is due. */
#define TB_REPORT_DUE_AHEAD (7 * G_GINT64_CONSTANT (86400))

/* Takes @store; @tz is referenced. The default configuration applies
 * until tb_engine_set_config(). */
TbEngine *tb_engine_new (TbStore *store, GTimeZone *tz, GError **error);

void tb_engine_set_clock (TbEngine *self, TbEngineClockFunc clock,
                          gpointer user_data);
gint64 tb_engine_now (TbEngine *self);

/* Takes @config and applies it: intervals and re-alerts are recomputed,
 * so "changed" is emitted. On error the previous configuration stays and
 * @config is freed. */
gboolean tb_engine_set_config (TbEngine *self, TbConfig *config,
                               GError **error);
const TbConfig *tb_engine_get_config (TbEngine *self);

/* Quiet hours, days and birthdays are local: a new zone moves them. */
void tb_engine_set_time_zone (TbEngine *self, GTimeZone *tz);
GTimeZone *tb_engine_get_time_zone (TbEngine *self);

const char *tb_engine_get_db_path (TbEngine *self);

/* Contacts. */
/* Unless @allow_same, a contact that already has the name, e-mail or
 * profile link of @contact is TB_ERROR_EXISTS, whose message gives its
 * name and id. */
gint64 tb_engine_add_contact (TbEngine *self, TbContact *contact,
                              gboolean allow_same, GError **error);
gboolean tb_engine_update_contact (TbEngine *self, gint64 id,
                                   const TbContact *values, TbFieldMask mask,
                                   GError **error);
gboolean tb_engine_remove_contact (TbEngine *self, gint64 id, GError **error);
gint64 tb_engine_resolve (TbEngine *self, const char *query, GError **error);
/* tb_store_match_contacts. (element-type TbNameCandidate) */
GPtrArray *tb_engine_match_contacts (TbEngine *self, const char *query,
                                     guint limit, guint *total, GError **error);
/* @filter->now is set here. */
GPtrArray *tb_engine_list_contacts (TbEngine *self, TbListFilter *filter,
                                    GError **error);
/* The same contacts as rows (common/tb-rows.h) written to @out as they
 * are read; *@count: how many. */
gboolean tb_engine_write_contact_rows (TbEngine *self, TbListFilter *filter,
                                       GOutputStream *out, guint *count,
                                       GError **error);
/* tb_store_search: contacts by words of their name, company, position,
 * e-mail, note or facts, best first, at most @limit. */
GPtrArray *tb_engine_search_contacts (TbEngine *self, const char *text,
                                      guint limit, guint *total,
                                      GError **error);
/* The contact with its facts. */
TbContact *tb_engine_get_contact (TbEngine *self, gint64 id, GError **error);
/* Newest first, at most @limit (0: all). */
GPtrArray *tb_engine_list_interactions (TbEngine *self, gint64 contact_id,
                                        guint limit, GError **error);
gint64 tb_engine_count_interactions (TbEngine *self, gint64 contact_id,
                                     GError **error);
/* Open follow-ups of one contact (@contact_id > 0) or of all (0). */
GPtrArray *tb_engine_list_follow_ups (TbEngine *self, gint64 contact_id,
                                      GError **error);

/* An empty @kind is "other". */
gint64 tb_engine_log_interaction (TbEngine *self, gint64 contact_id,
                                  const char *kind, gint64 at, const char *note,
                                  GError **error);
/* @until: a time, 0 to end the snooze, or TB_ENGINE_SNOOZE_DEFAULT. */
/* The history's edits, each a change of its own: "history rm",
 * "history edit" and "fact rm". For update, NULL or "" @kind and 0 @at
 * keep them, a NULL @note keeps it and "" clears it. */
/* They return the contact's id, 0 on failure. */
gint64 tb_engine_remove_interaction (TbEngine *self, gint64 id, GError **error);
gint64 tb_engine_update_interaction (TbEngine *self, gint64 id,
                                     const char *kind, gint64 at,
                                     const char *note, GError **error);
gboolean tb_engine_remove_fact (TbEngine *self, gint64 id, GError **error);
gboolean tb_engine_snooze (TbEngine *self, gint64 contact_id, gint64 until,
                           GError **error);
gboolean tb_engine_set_paused (TbEngine *self, gint64 contact_id,
                               gboolean paused, GError **error);
/* @tracking: "tracked", "not-tracked" or "ignored"; @interval > 0 sets
 * the contact's own interval too (only with "tracked"). */
gboolean tb_engine_set_tracking (TbEngine *self, gint64 contact_id,
                                 const char *tracking, gint64 interval,
                                 GError **error);

/* Contacts due within @within seconds from now, most overdue first, and
 * (@out_follow_ups) the follow-ups due by then; at most @limit of each
 * (0: all). */
GPtrArray *tb_engine_list_due (TbEngine *self, gint64 within, guint limit,
                               GPtrArray **out_follow_ups, GError **error);

/* Follow-ups. */
gint64 tb_engine_add_follow_up (TbEngine *self, gint64 contact_id,
                                gint64 due_at, const char *text,
                                GError **error);
gboolean tb_engine_complete_follow_up (TbEngine *self, gint64 id,
                                       GError **error);
gboolean tb_engine_remove_follow_up (TbEngine *self, gint64 id, GError **error);
/* @until as for tb_engine_snooze(). */
gboolean tb_engine_snooze_follow_up (TbEngine *self, gint64 id, gint64 until,
                                     GError **error);
TbFollowUp *tb_engine_get_follow_up (TbEngine *self, gint64 id, GError **error);

gboolean tb_engine_get_counts (TbEngine *self, TbStoreCounts *out,
                               GError **error);

/* Import and export (tb-engine-export.c). */

/* Called on the main thread when the import has committed or rolled
 * back: @result when it worked (NULL otherwise), @error when it did not.
 * The import's "changed" has been emitted by then. */
typedef void (*TbEngineImportFunc) (TbEngine *self,
                                    const TbImportResult *result,
                                    const GError *error, gpointer user_data);

/* Starts importing @stream (referenced) in a worker thread with its own
 * connection to the database, as one change of undo in one transaction
 * (docs/design.md §8): the main loop keeps answering reads, and every
 * write on the main connection fails at once with TB_ERROR_BUSY until it
 * ends. @options is copied; its now is set here, and its progress is
 * called in the worker thread. @options->cancellable (nullable) stops it
 * and rolls it back. @done is called once, on the main thread; "changed"
 * follows a committed import that wrote, then "import-ended" whatever the
 * outcome. FALSE with @error, and @done never called: an invalid option,
 * or an import already running (TB_ERROR_BUSY). */
gboolean tb_engine_import_start (TbEngine *self, GInputStream *stream,
                                 const TbImportOptions *options,
                                 TbEngineImportFunc done, gpointer user_data,
                                 GError **error);
/* Whether an import is running: writes wait for its end (the alerts, a
 * new configuration) or fail with TB_ERROR_BUSY. */
gboolean tb_engine_is_importing (TbEngine *self);
/* Cancels the running import, if any: it rolls back, and its error says
 * @reason. Returns at once; "import-ended" follows. */
void tb_engine_cancel_import (TbEngine *self, const char *reason);
/* Cancels the running import and waits for its thread: when the main
 * loop will not run again. Its @done is called before this returns. */
void tb_engine_stop_import (TbEngine *self);
/* "json" (the backup), "vcard" or "csv", written to @out as it is read. */
gboolean tb_engine_export (TbEngine *self, const char *format,
                           GOutputStream *out, GError **error);
gboolean tb_engine_is_export_format (const char *format);

/* Introductions and depth (tb-engine-intros.c). */

/* The best open suggestions, best first. (element-type TbIntroSuggestion) */
GPtrArray *tb_engine_suggest_intros (TbEngine *self, guint limit,
                                     GError **error);
/* Records the introduction of @a and @b as made, logs an intro
 * interaction for both, and returns the double opt-in text. @out_a and
 * @out_b (nullable) get the two contacts, with their facts. A pair
 * introduced before is TB_ERROR_EXISTS (its message says when) unless
 * @again. */
char *tb_engine_introduce (TbEngine *self, gint64 a, gint64 b, const char *note,
                           gboolean again, TbContact **out_a, TbContact **out_b,
                           GError **error);
gboolean tb_engine_decline_intro (TbEngine *self, gint64 a, gint64 b,
                                  GError **error);
/* "Not now": holds the pair back for a few suggestion periods; not a
 * decline, so it may come back. */
gboolean tb_engine_hold_intro (TbEngine *self, gint64 a, gint64 b,
                               GError **error);
TbStats *tb_engine_get_stats (TbEngine *self, GError **error);

/* When the next suggestion notification is due: 0 when suggest-every is
 * off. The first period starts the first time this is asked. */
gint64 tb_engine_next_suggestion_at (TbEngine *self);
/* The suggestion to show now, or NULL when none is due or none is open.
 * A period with nothing to suggest is used up, so the daemon does not
 * wake up again to find the same nothing. */
TbIntroSuggestion *tb_engine_take_due_suggestion (TbEngine *self);
/* The suggestion of this period was shown: the next one is a period
 * away. */
gboolean tb_engine_mark_suggested (TbEngine *self, GError **error);

/* The review queue (tb-engine-review.c, docs/design.md §2). */

/* The best @limit (at most TB_REVIEW_MAX_LIMIT; 0: none, only the
 * total) of the contacts waiting for a decision, best first, each with
 * its contact (and its facts) and its reason; @out_total: how many wait.
 * (element-type TbReviewEntry) */
GPtrArray *tb_engine_get_review_queue (TbEngine *self, guint limit,
                                       guint *out_total, GError **error);
/* "Later": out of the queue until @until (0: TB_REVIEW_LATER from now). */
gboolean tb_engine_review_later (TbEngine *self, gint64 contact_id,
                                 gint64 until, GError **error);
/* When the next review notification is due ([review] per-day spread over
 * the hours outside quiet hours): 0 when they are off or nobody is left
 * to show. */
gint64 tb_engine_next_review_notice_at (TbEngine *self);
/* The best contact not shown by a review notification yet, when one is
 * due now; NULL otherwise. */
TbReviewEntry *tb_engine_take_due_review (TbEngine *self);
/* The notification about @contact_id was shown: it counts for today and
 * never shows that contact again. */
gboolean tb_engine_mark_review_noticed (TbEngine *self, gint64 contact_id,
                                        GError **error);

/* Undo (docs/design.md §11): every write above is one change. */

/* How many changes ListChanges returns when not told, and at most. */
#define TB_ENGINE_CHANGES_DEFAULT_LIMIT 20
#define TB_ENGINE_CHANGES_MAX_LIMIT TB_STORE_UNDO_KEEP

/* Reverts the newest change and returns it (tb_store_undo); "changed"
 * follows. */
TbChange *tb_engine_undo (TbEngine *self, GError **error);
/* (element-type TbChange) the newest first, at most @limit. */
GPtrArray *tb_engine_list_changes (TbEngine *self, guint limit, guint *total,
                                   GError **error);

/* The whole HTML report, as of now. */
char *tb_engine_render_report (TbEngine *self, GError **error);
/* Writes the report to $XDG_CACHE_HOME/touchbase/report.html (0600,
 * replaced atomically) and returns that path. */
char *tb_engine_write_report_file (TbEngine *self, GError **error);

/* Shell completion (tb-store-complete.h): names and tags that start with
 * @prefix, at most @limit. (element-type utf8) */
GPtrArray *tb_engine_complete_names (TbEngine *self, const char *prefix,
                                     guint limit, GError **error);
GPtrArray *tb_engine_complete_tags (TbEngine *self, const char *prefix,
                                    guint limit, GError **error);

G_END_DECLS
