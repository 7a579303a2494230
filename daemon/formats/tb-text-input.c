/* tb-text-input.c — buffered text input with line endings folded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-text-input"

#include "config.h"

#include "tb-text-input.h"

#define BUFFER_SIZE 65536

void
tb_text_input_init (TbTextInput *input, GInputStream *stream)
{
  *input = (TbTextInput){ 0 };
  input->stream = g_object_ref (stream);
  input->buffer = g_malloc (BUFFER_SIZE);
  input->line = 1;
}

void
tb_text_input_clear (TbTextInput *input)
{
  g_clear_object (&input->stream);
  g_clear_pointer (&input->buffer, g_free);
}

static gboolean
fill (TbTextInput *input, GCancellable *cancellable, GError **error)
{
  gsize n = 0;

  /* read_all, so the byte order mark check below always sees three bytes
   * when the file has them, even from a pipe. */
  if (!g_input_stream_read_all (input->stream, input->buffer, BUFFER_SIZE, &n,
                                cancellable, error))
    return FALSE;
  input->pos = 0;
  input->len = n;
  if (n < BUFFER_SIZE)
    input->eof = TRUE;
  if (!input->started)
    {
      input->started = TRUE;
      if (n >= 3 && input->buffer[0] == 0xEF && input->buffer[1] == 0xBB
          && input->buffer[2] == 0xBF)
        input->pos = 3;
    }
  return TRUE;
}

int
tb_text_input_next (TbTextInput *input, GCancellable *cancellable,
                    GError **error)
{
  for (;;)
    {
      guint8 c;

      if (input->pos == input->len)
        {
          if (input->eof)
            return TB_TEXT_INPUT_END;
          if (!fill (input, cancellable, error))
            return TB_TEXT_INPUT_ERROR;
          if (input->pos == input->len)
            return TB_TEXT_INPUT_END;
        }
      c = input->buffer[input->pos++];
      if (input->last_was_cr)
        {
          input->last_was_cr = FALSE;
          if (c == '\n')
            continue;
        }
      if (c == '\r')
        {
          input->last_was_cr = TRUE;
          c = '\n';
        }
      if (c == '\n')
        input->line++;
      return c;
    }
}
