/* tb-text.c — the white space of text from outside: exports, vCards,
 * clients.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-text"

#include "config.h"

#include <string.h>

#include "tb-text.h"

static gboolean
is_space (gunichar c)
{
  /* Control characters too: a tab or a newline inside a name or an
   * address is debris of an export, not meaning. */
  return g_unichar_isspace (c) || g_unichar_iscntrl (c);
}

/* Whether @text is already what tb_text_collapse() would make of it and plain
 * ASCII: the common case, worth a quick look first. */
static gboolean
is_clean_ascii (const char *text)
{
  const guchar *p = (const guchar *) text;

  if (*p == ' ' || *p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p >= 0x7f)
        return FALSE;
      if (*p == ' ' && (p[1] == ' ' || p[1] == '\0'))
        return FALSE;
    }
  return TRUE;
}

char *
tb_text_collapse (const char *text)
{
  GString *out;
  gboolean pending_space = FALSE;
  const char *p = text;

  if (text == NULL)
    return NULL;
  if (is_clean_ascii (text))
    return g_strdup (text);
  out = g_string_sized_new (strlen (text));
  while (*p != '\0')
    {
      const char *next;
      gboolean space;

      /* ASCII first: this runs for every field of every row. */
      if ((guchar) *p < 0x80)
        {
          space = g_ascii_isspace (*p) || g_ascii_iscntrl (*p);
          next = p + 1;
        }
      else
        {
          space = is_space (g_utf8_get_char (p));
          next = g_utf8_next_char (p);
        }
      if (space)
        {
          pending_space = out->len > 0;
        }
      else
        {
          if (pending_space)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_len (out, p, next - p);
        }
      p = next;
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
tb_text_strip (const char *text)
{
  const char *start;
  const char *end;

  if (text == NULL)
    return NULL;
  start = text;
  while (*start != '\0' && is_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_space (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  if (end == start)
    return NULL;
  {
    char *out = g_strndup (start, end - start);

    /* Line breaks (CR, LF) and tabs are a note's layout; any other control
     * character (an escape sequence pasted or imported) would drive the
     * terminal that shows it. All of them are ASCII, one byte each. */
    for (char *p = out; *p != '\0'; p++)
      if (g_ascii_iscntrl (*p) && *p != '\n' && *p != '\r' && *p != '\t')
        *p = ' ';
    return out;
  }
}
