/* tb-store-names.h — naming a contact (tb-store-names.c, docs/design.md
 * §2 "Naming a contact").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-match.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* @query is an id, or a part of a name compared folded. Among tracked
 * contacts first, the others only when no tracked one matches; within
 * that tier a whole name beats a word's start, which beats the inside of
 * a word (tb-match.h). An empty query, or one longer than
 * TB_NAME_QUERY_MAX_BYTES, is INVALID_ARGUMENT. */

/* The one contact @query names: an existing id, or the single best
 * match. NOT_FOUND, or AMBIGUOUS whose message lists the best
 * TB_STORE_MATCH_DEFAULT_LIMIT candidates and how many more there are. */
gint64 tb_store_resolve (TbStore *store, const char *query, GError **error);

#define TB_STORE_MATCH_DEFAULT_LIMIT 10
#define TB_STORE_MATCH_MAX_LIMIT 100

/* A contact a query matches, and how. */
typedef struct
{
  TbContact *contact; /* (owned) */
  TbNameMatch match;  /* TB_NAME_MATCH_ID when the query was its id */
} TbNameCandidate;

void tb_name_candidate_free (TbNameCandidate *candidate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbNameCandidate, tb_name_candidate_free)

/* The candidates of the tier tb_store_resolve decides in, best first
 * (then by folded name and id): at most @limit (1 or more) of them, and
 * in *@total how many there are in all. An id gives that contact alone,
 * or nothing when there is none; no match gives an empty array.
 * (element-type TbNameCandidate) (transfer full) */
GPtrArray *tb_store_match_contacts (TbStore *store, const char *query,
                                    guint limit, guint *total, GError **error);

G_END_DECLS
