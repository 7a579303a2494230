/* tb-match.h — how a typed name picks a contact (docs/design.md §2
 * "Naming a contact"): how well a folded name matches what was typed, the
 * tiers the contacts are looked for in, and when the best match is the
 * one. Pure functions: the store ranks its rows with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

/* Longer queries are refused: no name is that long, and a hostile caller
 * should not make every row be compared with a megabyte. */
#define TB_NAME_QUERY_MAX_BYTES 1024

/* How a name matches a query, worst to best; the values order them. */
typedef enum
{
  TB_NAME_MATCH_NONE = 0,
  TB_NAME_MATCH_INSIDE = 1, /* inside a word: "ana" in "hiroshi tanaka" */
  TB_NAME_MATCH_WORD = 2,   /* at a word's start: "ana", "silva" */
  TB_NAME_MATCH_WHOLE = 3,  /* the whole name: "ana silva" */
  TB_NAME_MATCH_ID = 4,     /* the query was the contact's id (never a
                             * result of tb_name_match) */
} TbNameMatch;

/* How @name_key (a tb_name_key) matches @query_key (the tb_name_key of
 * what was typed, stripped). A word starts at the start of the name and
 * after any ASCII character that is not a letter or a digit (a space, a
 * hyphen, an apostrophe: "luc" starts a word of "jean-luc"); letters of
 * other scripts are letters. An empty query matches nothing. */
TbNameMatch tb_name_match (const char *name_key, const char *query_key);

/* "id", "whole", "word", "inside"; NULL for NONE. */
const char *tb_name_match_to_string (TbNameMatch match);

/* The tiers a name is looked for in, in this order: the first tier with
 * a match is the only one considered, so a contact you keep in touch with
 * is never buried among imported connections of the same name. */
typedef enum
{
  TB_NAME_TIER_TRACKED,
  TB_NAME_TIER_OTHERS, /* not tracked and ignored */
  TB_NAME_N_TIERS,
} TbNameTier;

TbNameTier tb_name_tier (TbTracking tracking);

/* Whether the best of one tier's matches is the contact meant: @best is
 * its match and @next that of the runner-up (NONE when there is none).
 * It is when nothing else matches as well; a tie is ambiguous. */
gboolean tb_name_match_decides (TbNameMatch best, TbNameMatch next);

G_END_DECLS
