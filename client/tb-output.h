/* tb-output.h — how the client prints: aligned, coloured tables on a
 * terminal, tab-separated lines in a pipe, and pretty JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TB_STYLE_NONE,
  TB_STYLE_BOLD,
  TB_STYLE_DIM,
  TB_STYLE_RED,
  TB_STYLE_YELLOW,
  TB_STYLE_GREEN,
} TbStyle;

/* Whether stdout is a terminal (tables, colour) or not (plain lines).
 * Asked once: a pager (tb-pager.h) leaves the answer as it was. */
gboolean tb_output_is_tty (void);

/* Columns of the terminal on stdout; 80 when it can't be known. Asked
 * once, like tb_output_is_tty(). */
guint tb_output_terminal_width (void);
/* The same for the terminal on @fd (stderr, for what is printed there). */
guint tb_output_fd_width (int fd);

/* The escape sequence that starts @style, or "" when stdout is not a
 * terminal or NO_COLOR is set; tb_output_reset() ends it. */
const char *tb_output_style (TbStyle style);
const char *tb_output_reset (void);

/* Prints @node as pretty JSON followed by a newline on stdout. */
void tb_output_print_json (JsonNode *node);

/* A table of text cells. On a terminal: a bold header, columns padded to
 * the widest cell and the last column cut to the terminal width. Not on a
 * terminal: no header, one line per row, cells separated by tabs (tabs and
 * newlines inside cells become spaces). */
typedef struct _TbTable TbTable;

TbTable *tb_table_new (const char *first_header, ...) G_GNUC_NULL_TERMINATED;
void tb_table_free (TbTable *table);

/* Adds a row of cells, one per column (NULL cells print as empty); the
 * row is shown in @style on a terminal. */
void tb_table_add_row (TbTable *table, TbStyle style, const char *first_cell,
                       ...);
guint tb_table_get_n_rows (TbTable *table);

/* Not on a terminal, every line starts with @kind and a tab: a script
 * reading the lines of several tables can tell their rows apart. A
 * terminal shows no such column (the tables have titles). */
void tb_table_set_kind (TbTable *table, const char *kind);
void tb_table_print (TbTable *table);

/* For a table too long to hold in memory (a whole network): on a
 * terminal, tb_table_measure_row() with every row first, which keeps
 * only the widths; then tb_table_add_row() and tb_table_flush() as often
 * as wanted: each flush prints the rows added since the last (the header
 * before the first) laid out for the widths measured, and forgets them.
 * Not on a terminal, measuring does nothing and a flush prints the lines
 * of the rows added. */
void tb_table_measure_row (TbTable *table, const char *first_cell, ...);
void tb_table_flush (TbTable *table);

/* The layout of tb_table_print() with the terminal's properties made
 * explicit, for tests: returns the text that would be printed. */
char *tb_table_render (TbTable *table, gboolean tty, guint width,
                       gboolean colour);

/* Columns @text takes on a terminal (wide characters count twice). */
guint tb_output_text_width (const char *text);

/* @text followed by spaces up to @width columns, as "%-*s" would pad it
 * if it counted columns rather than bytes: a translated label lines up
 * whatever its script. (transfer full) */
char *tb_output_pad (const char *text, guint width);
/* Untrusted text (a name from an import) made safe to print: no control
 * characters that could drive the terminal, no tab or newline, valid
 * UTF-8. (transfer full) */
char *tb_output_clean (const char *text);
/* The same, keeping the newlines of a note. */
char *tb_output_clean_lines (const char *text);

/* Likewise with the spaces in front: right-aligned, for figures. */
char *tb_output_pad_start (const char *text, guint width);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbTable, tb_table_free)

G_END_DECLS
