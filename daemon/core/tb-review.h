/* tb-review.h — the review queue (docs/design.md §2, "Tracked or not"):
 * which of the contacts not yet decided are most worth keeping in touch
 * with, and why, and when the review notifications of a day are due.
 * Pure logic: the store streams the rows in, one at a time, and only the
 * best few are ever kept, so a queue of a million costs the memory of a
 * page of results.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-config.h"
#include "tb-contact.h"

G_BEGIN_DECLS

/* GetReviewQueue's default and largest page. */
#define TB_REVIEW_DEFAULT_LIMIT 20
#define TB_REVIEW_MAX_LIMIT 1000

/* What "later" means when no time is given: a month. */
#define TB_REVIEW_LATER (30 * G_GINT64_CONSTANT (86400))

typedef struct _TbReviewRanker TbReviewRanker;

/* One contact of the queue as the store reads it: only what ranking
 * looks at. The strings and arrays belong to the caller and need only
 * live for the call. */
typedef struct
{
  gint64 id;
  const char *email;       /* (nullable) */
  const char *company;     /* (nullable) */
  const char *const *tags; /* (nullable) NULL-terminated tag keys */
  GPtrArray *facts;        /* (nullable) (element-type TbFact) */
  gint64 connected_on;     /* 0: not known */
  /* In the last year (TB_REVIEW_MET_WINDOW): conversations and e-mails
   * with them, most of them found by the sources (docs/design.md §12):
   * someone you meet without keeping in touch is the first to decide
   * on. */
  guint met;
  guint wrote;
} TbReviewCandidate;

/* How far back "you met 3 times this year" counts. */
#define TB_REVIEW_MET_WINDOW (365 * G_GINT64_CONSTANT (86400))

/* A ranked row: the id, its score and the reason in words. */
typedef struct
{
  gint64 id;
  double score;
  char *reason;       /* (owned) "same company as Bo Berg · has an e-mail
                       * address" */
  TbContact *contact; /* (owned) (nullable) for whoever fills it in */
} TbReviewEntry;

void tb_review_entry_free (TbReviewEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbReviewEntry, tb_review_entry_free)

/* Keeps the best @limit (at least 1) of the candidates offered; dates in
 * reasons are local to @tz (referenced) and "recent" counts back from
 * @now. */
TbReviewRanker *tb_review_ranker_new (guint limit, gint64 now, GTimeZone *tz);
void tb_review_ranker_free (TbReviewRanker *ranker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbReviewRanker, tb_review_ranker_free)

/* A contact the user keeps in touch with: what the queue is compared
 * with. First come, first named: the reason names the first tracked
 * contact added that shares the company, tag or words. */
void tb_review_ranker_add_tracked (TbReviewRanker *ranker, const char *name,
                                   const char *company, const char *const *tags,
                                   GPtrArray *facts);

/* Scores @candidate and keeps it when it is among the best so far. */
void tb_review_ranker_offer (TbReviewRanker *ranker,
                             const TbReviewCandidate *candidate);

/* How many candidates were offered. */
guint tb_review_ranker_get_total (TbReviewRanker *ranker);

/* The best, best first (higher score, then connected more recently, then
 * the smaller id), each with its reason. The ranker is empty afterwards.
 * (element-type TbReviewEntry) (transfer full) */
GPtrArray *tb_review_ranker_finish (TbReviewRanker *ranker);

/* The review notifications of a day (config->review_per_day of them) are
 * spread evenly over the hours outside quiet hours. A "review day"
 * begins when quiet hours end (at local midnight without quiet hours):
 * this is the start of the one holding @now. */
gint64 tb_review_day_start (const TbConfig *config, gint64 now, GTimeZone *tz);

/* When notification number @shown (from 0) of the review day that began
 * at @day is due; with @shown at config->review_per_day or more, the
 * first of the next review day. 0 when review notifications are off. */
gint64 tb_review_notice_at (const TbConfig *config, gint64 day, guint shown,
                            GTimeZone *tz);

G_END_DECLS
