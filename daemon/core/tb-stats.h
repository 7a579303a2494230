/* tb-stats.h — how deep the network is: the figures `touchbase stats`
 * prints and the report draws. The store fills them; this file only holds
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_STATS_MONTHS 12

/* Counts over a set of contacts (all of them, or those with one tag). */
typedef struct
{
  gint64 contacts;
  gint64 talked;                /* at least one conversation, ever */
  gint64 never_talked;          /* contacts - talked */
  gint64 never_talked_linkedin; /* of those, imported from LinkedIn */
  gint64 overdue;               /* tracked, due now, not snoozed */
  gint64 on_track;              /* tracked, not due, not paused or snoozed */
  gint64 tracked;               /* docs/design.md §2 */
  gint64 not_tracked;
  gint64 ignored;
  gint64 conversations_30d; /* conversations logged in the last 30 days */
  gint64 conversations_90d;
  gint64 introductions; /* introductions made */
} TbStatsCounts;

typedef struct
{
  char *tag; /* (owned) */
  TbStatsCounts counts;
} TbTagStats;

/* What one source found that is still in the history (docs/design.md
 * §12). */
typedef struct
{
  char *source; /* (owned) its name */
  gint64 interactions;
  gint64 conversations; /* of those, conversations (§2) */
  gint64 contacts;      /* contacts they are with */
} TbSourceStats;

typedef struct
{
  TbStatsCounts total;
  GPtrArray *tags; /* (owned) (element-type TbTagStats): by tag name */
  /* Conversations per local calendar month, oldest first; the last one is
   * the current month. month_start[i] is its first local midnight. */
  gint64 month_start[TB_STATS_MONTHS];
  gint64 conversations_per_month[TB_STATS_MONTHS];
  GPtrArray *sources; /* (owned) (element-type TbSourceStats) by name */
} TbStats;

TbStats *tb_stats_new (void);
void tb_stats_free (TbStats *stats);
/* Add a tag's counts (copied); returns them to fill in. */
TbStatsCounts *tb_stats_add_tag (TbStats *stats, const char *tag);

/* Add a source's figures; returns them to fill in. */
TbSourceStats *tb_stats_add_source (TbStats *stats, const char *source);

/* Fill @stats->month_start with the starts of the last TB_STATS_MONTHS
 * local months up to and including the one containing @now; and, for the
 * store, the end of the current month in @out_end (nullable). */
void tb_stats_set_months (TbStats *stats, gint64 now, GTimeZone *tz,
                          gint64 *out_end);

/* Index into conversations_per_month for time @t, or -1 when outside. */
int tb_stats_month_index (const TbStats *stats, gint64 t, gint64 end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbStats, tb_stats_free)

G_END_DECLS
