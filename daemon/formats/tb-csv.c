/* tb-csv.c — a streaming RFC 4180 reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-csv"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-csv.h"
#include "tb-error.h"

#define BUFFER_SIZE 65536
#define END_OF_INPUT (-1)
#define READ_ERROR (-2)

typedef enum
{
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTE_IN_QUOTED, /* a quote inside a quoted field: doubled, or the end */
} State;

struct _TbCsvReader
{
  GInputStream *stream; /* (owned) */
  char *filename;       /* (owned) */
  guint8 *buffer;       /* (owned) */
  gsize pos;
  gsize len;
  gboolean eof;
  gboolean started;
  gboolean last_was_cr;
  guint next_line; /* line of the next byte to come */
  guint char_line; /* line of the byte just returned */
  guint64 bytes_read;
  GString *field;    /* (owned) */
  GPtrArray *fields; /* (owned) */
};

TbCsvReader *
tb_csv_reader_new (GInputStream *stream, const char *filename)
{
  TbCsvReader *reader = g_new0 (TbCsvReader, 1);

  reader->stream = g_object_ref (stream);
  /* Translators: the file name in errors when the input has none. */
  reader->filename = g_strdup (filename != NULL ? filename : _ ("(input)"));
  reader->buffer = g_malloc (BUFFER_SIZE);
  reader->next_line = 1;
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
  g_object_unref (reader->stream);
  g_free (reader->filename);
  g_free (reader->buffer);
  g_string_free (reader->field, TRUE);
  g_ptr_array_unref (reader->fields);
  g_free (reader);
}

guint64
tb_csv_reader_get_bytes_read (TbCsvReader *reader)
{
  return reader->bytes_read;
}

static gboolean
fill (TbCsvReader *reader, GCancellable *cancellable, GError **error)
{
  gsize n = 0;

  if (reader->eof)
    return TRUE;
  /* read_all, so the byte order mark check below always sees three bytes
   * when the file has them, even from a pipe. */
  if (!g_input_stream_read_all (reader->stream, reader->buffer, BUFFER_SIZE, &n,
                                cancellable, error))
    return FALSE;
  reader->pos = 0;
  reader->len = n;
  reader->bytes_read += n;
  if (n < BUFFER_SIZE)
    reader->eof = TRUE;
  if (!reader->started)
    {
      reader->started = TRUE;
      if (n >= 3 && reader->buffer[0] == 0xEF && reader->buffer[1] == 0xBB
          && reader->buffer[2] == 0xBF)
        reader->pos = 3;
    }
  return TRUE;
}

/* The next byte with CRLF and lone CR turned into "\n", END_OF_INPUT, or
 * READ_ERROR. */
static int
next_byte (TbCsvReader *reader, GCancellable *cancellable, GError **error)
{
  for (;;)
    {
      guint8 c;

      if (reader->pos == reader->len)
        {
          if (reader->eof)
            return END_OF_INPUT;
          if (!fill (reader, cancellable, error))
            return READ_ERROR;
          if (reader->pos == reader->len)
            return END_OF_INPUT;
        }
      c = reader->buffer[reader->pos++];
      if (reader->last_was_cr)
        {
          reader->last_was_cr = FALSE;
          if (c == '\n')
            continue;
        }
      reader->char_line = reader->next_line;
      if (c == '\r')
        {
          reader->last_was_cr = TRUE;
          c = '\n';
        }
      if (c == '\n')
        reader->next_line++;
      return c;
    }
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
              }
            else if (c == ',' || c == '\n' || c == END_OF_INPUT)
              {
                if (!end_field (reader, field_line, error))
                  return NULL;
                if (c != ',')
                  return take_record (reader);
                state = FIELD_START;
              }
            else
              {
                /* "abc"def: keep the rest, as spreadsheets do. */
                g_string_append_c (reader->field, (char) c);
                state = UNQUOTED;
              }
            break;

          default:
            g_assert_not_reached ();
        }

      c = next_byte (reader, cancellable, error);
    }
}
