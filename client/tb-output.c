/* tb-output.c — tables, colour and JSON on stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-output"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tb-output.h"

/* Narrow columns are never cut below this, so a name stays readable even
 * when the terminal is tiny (the line wraps instead). */
#define TB_MIN_COLUMN_WIDTH 8

struct _TbTable
{
  GPtrArray *headers; /* (owned) (element-type utf8) */
  GPtrArray *rows;    /* (owned) (element-type GStrv): cells */
  GArray *styles;     /* (owned) (element-type TbStyle): one per row */
  char *kind;         /* (owned) (nullable): tb_table_set_kind() */
  guint *measured;    /* (owned) (nullable): tb_table_measure_row() */
  gboolean flushed;   /* the header is out: tb_table_flush() */
};

/* Both are asked once, before a pager (tb-pager.c) turns stdout into a
 * pipe: the output is still for the terminal the pager shows it on. */
gboolean
tb_output_is_tty (void)
{
  static int tty = -1;

  if (tty < 0)
    tty = isatty (STDOUT_FILENO);
  return tty;
}

static guint
ask_terminal_width (void)
{
  return tb_output_fd_width (STDOUT_FILENO);
}

guint
tb_output_fd_width (int fd)
{
  struct winsize ws;
  const char *columns;

  if (ioctl (fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;

  /* What shells export, for terminals that don't answer the ioctl. */
  columns = g_getenv ("COLUMNS");
  if (columns != NULL)
    {
      guint64 n;

      if (g_ascii_string_to_unsigned (columns, 10, 20, 1000, &n, NULL))
        return (guint) n;
    }
  return 80;
}

guint
tb_output_terminal_width (void)
{
  static guint width;

  if (width == 0)
    width = ask_terminal_width ();
  return width;
}

static gboolean
colour_enabled (void)
{
  static int enabled = -1;

  /* https://no-color.org: any non-empty NO_COLOR turns colour off. */
  if (enabled < 0)
    {
      const char *no_color = g_getenv ("NO_COLOR");
      const char *term = g_getenv ("TERM");

      enabled = tb_output_is_tty () && (no_color == NULL || *no_color == '\0')
                && g_strcmp0 (term, "dumb") != 0;
    }
  return enabled;
}

static const char *
style_sequence (TbStyle style)
{
  switch (style)
    {
      case TB_STYLE_BOLD:
        return "\033[1m";
      case TB_STYLE_DIM:
        return "\033[2m";
      case TB_STYLE_RED:
        return "\033[31m";
      case TB_STYLE_YELLOW:
        return "\033[33m";
      case TB_STYLE_GREEN:
        return "\033[32m";
      case TB_STYLE_NONE:
      default:
        return "";
    }
}

const char *
tb_output_style (TbStyle style)
{
  return colour_enabled () ? style_sequence (style) : "";
}

const char *
tb_output_reset (void)
{
  return colour_enabled () ? "\033[0m" : "";
}

void
tb_output_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

guint
tb_output_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

char *
tb_output_pad (const char *text, guint width)
{
  GString *out = g_string_new (text);

  for (guint used = tb_output_text_width (text); used < width; used++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

char *
tb_output_pad_start (const char *text, guint width)
{
  GString *out = g_string_new (NULL);

  for (guint used = tb_output_text_width (text); used < width; used++)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
  return g_string_free (out, FALSE);
}

/* Text from contact data, for the terminal: it may come from anyone's
 * file. A control character is shown as its escape ("\x1b"), so an
 * escape sequence can neither drive the terminal nor vanish unseen; a
 * tab (and, unless @lines, a newline) is a space, which also keeps
 * tables and tab-separated lines whole; the marks that reorder text
 * (bidirectional overrides and isolates) become U+FFFD, so that a name
 * cannot make the rest of its line read backwards. */
static char *
make_safe (const char *text, gboolean lines)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  /* Made valid first, then cleaned: an invalid byte must not let the
   * control characters next to it through. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' && lines)
        g_string_append_c (out, '\n');
      else if (c == '\t' || c == '\n' || c == '\r')
        g_string_append_c (out, ' ');
      else if (g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\x%02x", (guint) c);
      else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
               || c == 0x200e || c == 0x200f || c == 0x061c)
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
sanitize_cell (const char *cell)
{
  return make_safe (cell, FALSE);
}

char *
tb_output_clean (const char *text)
{
  return make_safe (text, FALSE);
}

char *
tb_output_clean_lines (const char *text)
{
  return make_safe (text, TRUE);
}

static GStrv
collect_cells (const char *first, va_list args, guint n)
{
  GStrv cells = g_new0 (char *, n + 1);

  if (n == 0)
    return cells;

  cells[0] = sanitize_cell (first);
  for (guint i = 1; i < n; i++)
    cells[i] = sanitize_cell (va_arg (args, const char *));
  return cells;
}

TbTable *
tb_table_new (const char *first_header, ...)
{
  TbTable *table = g_new0 (TbTable, 1);
  va_list args;

  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->styles = g_array_new (FALSE, FALSE, sizeof (TbStyle));

  va_start (args, first_header);
  for (const char *h = first_header; h != NULL; h = va_arg (args, const char *))
    g_ptr_array_add (table->headers, g_strdup (h));
  va_end (args);
  return table;
}

void
tb_table_free (TbTable *table)
{
  g_ptr_array_unref (table->headers);
  g_ptr_array_unref (table->rows);
  g_array_unref (table->styles);
  g_free (table->kind);
  g_free (table->measured);
  g_free (table);
}

void
tb_table_add_row (TbTable *table, TbStyle style, const char *first_cell, ...)
{
  va_list args;

  va_start (args, first_cell);
  g_ptr_array_add (table->rows,
                   collect_cells (first_cell, args, table->headers->len));
  va_end (args);
  g_array_append_val (table->styles, style);
}

guint
tb_table_get_n_rows (TbTable *table)
{
  return table->rows->len;
}

void
tb_table_set_kind (TbTable *table, const char *kind)
{
  g_free (table->kind);
  table->kind = g_strdup (kind);
}

/* Appends @text cut or padded to exactly @width columns. */
static void
append_fitted (GString *out, const char *text, guint width, gboolean pad)
{
  guint used = 0;
  guint text_width = tb_output_text_width (text);

  if (text_width <= width)
    {
      g_string_append (out, text);
      used = text_width;
    }
  else
    {
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          guint w = g_unichar_iszerowidth (c) ? 0
                    : g_unichar_iswide (c)    ? 2
                                              : 1;

          /* Leave one column for the ellipsis. */
          if (used + w + 1 > width)
            break;
          g_string_append_unichar (out, c);
          used += w;
        }
      g_string_append (out, "…");
      used++;
    }

  if (pad)
    for (; used < width; used++)
      g_string_append_c (out, ' ');
}

static void
render_row (GString *out, GStrv cells, const guint *widths, guint n,
            const char *start, const char *end)
{
  g_string_append (out, start);
  for (guint i = 0; i < n; i++)
    {
      gboolean last = (i + 1 == n);

      append_fitted (out, cells[i], widths[i], !last);
      if (!last)
        g_string_append (out, "  ");
    }
  g_string_append (out, end);
  /* No trailing spaces: the last column is never padded. */
  g_string_append_c (out, '\n');
}

char *
tb_table_render (TbTable *table, gboolean tty, guint width, gboolean colour)
{
  guint n = table->headers->len;
  g_autofree guint *widths = g_new0 (guint, MAX (n, 1));
  g_auto (GStrv) header_cells = g_new0 (char *, n + 1);
  GString *out = g_string_new (NULL);
  guint total;

  if (!tty)
    {
      for (guint r = 0; r < table->rows->len; r++)
        {
          GStrv cells = g_ptr_array_index (table->rows, r);

          if (table->kind != NULL)
            {
              g_string_append (out, table->kind);
              g_string_append_c (out, '\t');
            }
          for (guint i = 0; i < n; i++)
            {
              if (i > 0)
                g_string_append_c (out, '\t');
              g_string_append (out, cells[i]);
            }
          g_string_append_c (out, '\n');
        }
      return g_string_free (out, FALSE);
    }

  for (guint i = 0; i < n; i++)
    {
      header_cells[i] = g_strdup (g_ptr_array_index (table->headers, i));
      widths[i] = tb_output_text_width (header_cells[i]);
      if (table->measured != NULL)
        widths[i] = MAX (widths[i], table->measured[i]);
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv cells = g_ptr_array_index (table->rows, r);

      for (guint i = 0; i < n; i++)
        widths[i] = MAX (widths[i], tb_output_text_width (cells[i]));
    }

  /* Narrow the widest column, one column at a time, until the table fits
   * the terminal; below the minimum it wraps rather than cut names away. */
  total = n > 0 ? 2 * (n - 1) : 0;
  for (guint i = 0; i < n; i++)
    total += widths[i];
  while (total > width)
    {
      guint widest = 0;

      for (guint i = 1; i < n; i++)
        if (widths[i] > widths[widest])
          widest = i;
      if (n == 0 || widths[widest] <= TB_MIN_COLUMN_WIDTH)
        break;
      widths[widest]--;
      total--;
    }

  if (!table->flushed)
    render_row (out, header_cells, widths, n, colour ? "\033[1m" : "",
                colour ? "\033[0m" : "");
  for (guint r = 0; r < table->rows->len; r++)
    {
      TbStyle style = g_array_index (table->styles, TbStyle, r);
      gboolean styled = colour && style != TB_STYLE_NONE;

      render_row (out, g_ptr_array_index (table->rows, r), widths, n,
                  styled ? style_sequence (style) : "",
                  styled ? "\033[0m" : "");
    }
  return g_string_free (out, FALSE);
}

void
tb_table_measure_row (TbTable *table, const char *first_cell, ...)
{
  guint n = table->headers->len;
  g_auto (GStrv) cells = NULL;
  va_list args;

  if (!tb_output_is_tty ())
    return;
  va_start (args, first_cell);
  cells = collect_cells (first_cell, args, n);
  va_end (args);
  if (table->measured == NULL)
    table->measured = g_new0 (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    table->measured[i]
        = MAX (table->measured[i], tb_output_text_width (cells[i]));
}

void
tb_table_flush (TbTable *table)
{
  tb_table_print (table);
  table->flushed = TRUE;
  g_ptr_array_set_size (table->rows, 0);
  g_array_set_size (table->styles, 0);
}

void
tb_table_print (TbTable *table)
{
  gboolean tty = tb_output_is_tty ();
  g_autofree char *text = tb_table_render (
      table, tty, tty ? tb_output_terminal_width () : 0, colour_enabled ());

  fputs (text, stdout);
}
