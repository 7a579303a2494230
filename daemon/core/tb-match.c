/* tb-match.c — ranking a name against what was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-match"

#include "config.h"

#include <string.h>

#include "tb-match.h"

/* Bytes of UTF-8 above ASCII belong to letters of other scripts (the
 * folded name has no other punctuation worth splitting on), so only an
 * ASCII character can end a word. */
static gboolean
starts_word (const char *name_key, const char *at)
{
  guchar before;

  if (at == name_key)
    return TRUE;
  before = (guchar) at[-1];
  return before < 0x80 && !g_ascii_isalnum (before);
}

TbNameMatch
tb_name_match (const char *name_key, const char *query_key)
{
  TbNameMatch found = TB_NAME_MATCH_NONE;

  if (name_key == NULL || query_key == NULL || *query_key == '\0')
    return TB_NAME_MATCH_NONE;
  if (strcmp (name_key, query_key) == 0)
    return TB_NAME_MATCH_WHOLE;
  /* Every occurrence, not just the first: "ana" is inside "tanaka" but
   * starts a word of "tanaka ana". The query was valid UTF-8 and so is
   * the name, so an occurrence always starts at a character. */
  for (const char *at = strstr (name_key, query_key); at != NULL;
       at = strstr (at + 1, query_key))
    {
      if (starts_word (name_key, at))
        return TB_NAME_MATCH_WORD;
      found = TB_NAME_MATCH_INSIDE;
    }
  return found;
}

const char *
tb_name_match_to_string (TbNameMatch match)
{
  switch (match)
    {
      case TB_NAME_MATCH_ID:
        return "id";
      case TB_NAME_MATCH_WHOLE:
        return "whole";
      case TB_NAME_MATCH_WORD:
        return "word";
      case TB_NAME_MATCH_INSIDE:
        return "inside";
      case TB_NAME_MATCH_NONE:
      default:
        return NULL;
    }
}

TbNameTier
tb_name_tier (TbTracking tracking)
{
  return tracking == TB_TRACKING_TRACKED ? TB_NAME_TIER_TRACKED
                                         : TB_NAME_TIER_OTHERS;
}

gboolean
tb_name_match_decides (TbNameMatch best, TbNameMatch next)
{
  return best != TB_NAME_MATCH_NONE && best > next;
}
