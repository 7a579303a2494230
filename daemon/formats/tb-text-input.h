/* tb-text-input.h — the bytes of a text file as the CSV and vCard readers
 * want them: buffered, without a UTF-8 byte order mark, every line ending
 * (LF, CRLF or a lone CR) turned into "\n", and the line counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TEXT_INPUT_END (-1)
#define TB_TEXT_INPUT_ERROR (-2)

typedef struct
{
  GInputStream *stream; /* (owned) */
  guint8 *buffer;       /* (owned) */
  gsize pos;
  gsize len;
  gboolean eof;
  gboolean started;
  gboolean last_was_cr;
  guint line; /* the line of the next byte to come, from 1 */
} TbTextInput;

void tb_text_input_init (TbTextInput *input, GInputStream *stream);
void tb_text_input_clear (TbTextInput *input);

/* The next byte, TB_TEXT_INPUT_END, or TB_TEXT_INPUT_ERROR with @error. */
int tb_text_input_next (TbTextInput *input, GCancellable *cancellable,
                        GError **error);

G_END_DECLS
