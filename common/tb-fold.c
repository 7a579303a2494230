/* tb-fold.c — case- and accent-insensitive folding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-fold"

#include "config.h"

#include "tb-fold.h"

char *
tb_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr (GString) bare = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  /* NFKD splits "ë" into "e" and a combining diaeresis, and "ﬁ" into "fi";
   * dropping the marks leaves the base letters people type. */
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}
