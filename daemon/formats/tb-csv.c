/* tb-csv.c — a streaming RFC 4180 reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-csv"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-csv.h"
#include "tb-error.h"
#include "tb-text-input.h"

#define END_OF_INPUT TB_TEXT_INPUT_END
#define READ_ERROR TB_TEXT_INPUT_ERROR

typedef enum
{
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTE_IN_QUOTED, /* a quote inside a quoted field: doubled, or the end */
} State;

struct _TbCsvReader
{
  TbTextInput input;
  char *filename;    /* (owned) */
  guint char_line;   /* line of the byte just returned */
  GString *field;    /* (owned) */
  GPtrArray *fields; /* (owned) */
};

TbCsvReader *
tb_csv_reader_new (GInputStream *stream, const char *filename)
{
  TbCsvReader *reader = g_new0 (TbCsvReader, 1);

  tb_text_input_init (&reader->input, stream);
  /* Translators: the file name in errors when the input has none. */
  reader->filename = g_strdup (filename != NULL ? filename : _ ("(input)"));
  reader->char_line = 1;
  reader->field = g_string_sized_new (256);
  reader->fields = g_ptr_array_new_with_free_func (g_free);
  return reader;
}

void
tb_csv_reader_free (TbCsvReader *reader)
{
  if (reader == NULL)
    return;
  tb_text_input_clear (&reader->input);
  g_free (reader->filename);
  g_string_free (reader->field, TRUE);
  g_ptr_array_unref (reader->fields);
  g_free (reader);
}

/* The next byte with CRLF and lone CR turned into "\n", END_OF_INPUT, or
 * READ_ERROR. */
static int
next_byte (TbCsvReader *reader, GCancellable *cancellable, GError **error)
{
  reader->char_line = reader->input.line;
  return tb_text_input_next (&reader->input, cancellable, error);
}

static void
set_parse_error (TbCsvReader *reader, GError **error, guint line,
                 const char *problem)
{
  g_set_error (error, TB_ERROR, TB_ERROR_PARSE, "%s:%u: %s", reader->filename,
               line, problem);
}

static gboolean
end_field (TbCsvReader *reader, guint field_line, GError **error)
{
  const char *bad = NULL;

  if (!g_utf8_validate_len (reader->field->str, reader->field->len, &bad))
    {
      guint line = field_line;

      for (const char *p = reader->field->str; p < bad; p++)
        if (*p == '\n')
          line++;
      set_parse_error (reader, error, line,
                       *bad == '\0' ? _ ("NUL byte in text")
                                    : _ ("invalid UTF-8"));
      return FALSE;
    }
  if (reader->fields->len >= TB_CSV_MAX_FIELDS)
    {
      set_parse_error (reader, error, field_line,
                       _ ("too many fields in record"));
      return FALSE;
    }
  g_ptr_array_add (reader->fields,
                   g_strndup (reader->field->str, reader->field->len));
  g_string_truncate (reader->field, 0);
  return TRUE;
}

static GStrv
take_record (TbCsvReader *reader)
{
  g_ptr_array_add (reader->fields, NULL);
  return (GStrv) g_ptr_array_steal (reader->fields, NULL);
}

GStrv
tb_csv_reader_read_record (TbCsvReader *reader, guint *out_line,
                           GCancellable *cancellable, GError **error)
{
  State state = FIELD_START;
  guint start_line;
  guint field_line;
  guint quote_line = 0;
  gsize record_bytes = 0;
  int c;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_ptr_array_set_size (reader->fields, 0);
  g_string_truncate (reader->field, 0);

  /* Skip empty lines between records. */
  do
    {
      c = next_byte (reader, cancellable, error);
      if (c == READ_ERROR || c == END_OF_INPUT)
        return NULL;
    }
  while (c == '\n');
  start_line = reader->char_line;
  field_line = start_line;
  if (out_line != NULL)
    *out_line = start_line;

  for (;;)
    {
      if (c == READ_ERROR)
        return NULL;
      if (++record_bytes > TB_CSV_MAX_RECORD_BYTES)
        {
          set_parse_error (reader, error, start_line, _ ("record too long"));
          return NULL;
        }

      switch (state)
        {
          case FIELD_START:
            field_line = reader->char_line;
            if (c == '"')
              {
                quote_line = reader->char_line;
                state = QUOTED;
              }
            else if (c == ',')
              {
                if (!end_field (reader, field_line, error))
                  return NULL;
              }
            else if (c == '\n' || c == END_OF_INPUT)
              {
                if (!end_field (reader, field_line, error))
                  return NULL;
                return take_record (reader);
              }
            else
              {
                g_string_append_c (reader->field, (char) c);
                state = UNQUOTED;
              }
            break;

          case QUOTED:
            if (c == END_OF_INPUT)
              {
                set_parse_error (reader, error, quote_line,
                                 _ ("unterminated quoted field"));
                return NULL;
              }
            if (c == '"')
              state = QUOTE_IN_QUOTED;
            else
              g_string_append_c (reader->field, (char) c);
            break;

          case QUOTE_IN_QUOTED:
            if (c == '"')
              {
                g_string_append_c (reader->field, '"');
                state = QUOTED;
                break;
              }
            /* The quoted part has ended: a separator ends the field, and
             * anything else ("abc"def) is kept, as spreadsheets do. */
            state = UNQUOTED;
            G_GNUC_FALLTHROUGH;

          case UNQUOTED:
            if (c == ',' || c == '\n' || c == END_OF_INPUT)
              {
                if (!end_field (reader, field_line, error))
                  return NULL;
                if (c != ',')
                  return take_record (reader);
                state = FIELD_START;
              }
            else
              {
                g_string_append_c (reader->field, (char) c);
              }
            break;

          default:
            g_assert_not_reached ();
        }

      c = next_byte (reader, cancellable, error);
    }
}
