/* tb-text.h — the white space of text from outside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* White space here is Unicode's, control characters included. */

/* @text (UTF-8, nullable) trimmed at both ends, line breaks and tabs
 * inside kept, other control characters made spaces; NULL when nothing
 * is left. */
char *tb_text_strip (const char *text);

/* @text (UTF-8, nullable) on one line: trimmed, every run of white space
 * inside made one space; NULL when nothing is left. */
char *tb_text_collapse (const char *text);

G_END_DECLS
