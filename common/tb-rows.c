/* tb-rows.c — contacts as rows of text for `touchbase list`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-rows"

#include "config.h"

#include <string.h>

#include "tb-rows.h"

static void
append_text (GString *out, const char *text)
{
  if (text == NULL)
    return;
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          default:
            g_string_append_c (out, *p);
        }
    }
}

/* Without printf: this runs once a field for every contact listed. */
static void
append_int (GString *out, gint64 v)
{
  char buf[24];
  guint64 m = v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;
  int i = (int) sizeof buf;

  do
    {
      buf[--i] = (char) ('0' + m % 10);
      m /= 10;
    }
  while (m > 0);
  if (v < 0)
    buf[--i] = '-';
  g_string_append_len (out, buf + i, (gssize) sizeof buf - i);
}

void
tb_rows_append (GString *out, const TbRow *row)
{
  append_int (out, row->id);
  g_string_append_c (out, '\t');
  append_text (out, row->name);
  g_string_append_c (out, '\t');
  append_text (out, row->company);
  g_string_append_c (out, '\t');
  append_text (out, row->tags);
  g_string_append_c (out, '\t');
  append_int (out, row->due_at);
  g_string_append_c (out, '\t');
  append_int (out, row->snoozed_until);
  g_string_append_c (out, '\t');
  append_int (out, row->last_conversation_at);
  g_string_append_c (out, '\t');
  g_string_append_c (out, row->paused ? '1' : '0');
  g_string_append_c (out, '\t');
  g_string_append (out, tb_tracking_to_string (row->tracking));
  g_string_append_c (out, '\n');
}

/* Unescapes @field in place. */
static void
unescape (char *field)
{
  char *w = field;

  for (const char *r = field; *r != '\0'; r++)
    {
      if (*r == '\\' && r[1] != '\0')
        {
          r++;
          *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
        }
      else
        *w++ = *r;
    }
  *w = '\0';
}

static gboolean
split_fields (char *line, char **fields, int n)
{
  char *p = line;

  for (int i = 0; i < n; i++)
    {
      char *tab = strchr (p, '\t');

      if ((tab == NULL) != (i == n - 1))
        return FALSE;
      if (tab != NULL)
        *tab = '\0';
      fields[i] = p;
      unescape (p);
      if (tab != NULL)
        p = tab + 1;
    }
  return TRUE;
}

gboolean
tb_rows_split (char *line, char *fields[TB_ROW_N_FIELDS])
{
  return split_fields (line, fields, TB_ROW_N_FIELDS);
}

void
tb_due_rows_append (GString *out, const TbDueRow *row)
{
  g_string_append (out, row->follow_up ? "follow-up\t" : "contact\t");
  append_int (out, row->id);
  g_string_append_c (out, '\t');
  append_int (out, row->contact_id);
  g_string_append_c (out, '\t');
  append_text (out, row->name);
  g_string_append_c (out, '\t');
  append_int (out, row->due_at);
  g_string_append_c (out, '\t');
  append_int (out, row->last_conversation_at);
  g_string_append_c (out, '\t');
  append_text (out, row->text);
  g_string_append_c (out, '\n');
}

gboolean
tb_due_rows_split (char *line, char *fields[TB_DUE_ROW_N_FIELDS])
{
  return split_fields (line, fields, TB_DUE_ROW_N_FIELDS);
}
