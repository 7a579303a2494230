/* tb-vcard.c — a streaming vCard 2.1/3.0/4.0 reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-vcard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-text-input.h"
#include "tb-vcard.h"

struct _TbVCardReader
{
  TbTextInput input;
  char *filename; /* (owned) */

  /* One physical line of look-ahead, for unfolding. */
  gboolean have_pending;
  GString *pending; /* (owned) */
  guint pending_line;
  gboolean pending_truncated;
};

TbVCardReader *
tb_vcard_reader_new (GInputStream *stream, const char *filename)
{
  TbVCardReader *reader = g_new0 (TbVCardReader, 1);

  tb_text_input_init (&reader->input, stream);
  /* Translators: the file name in errors when the input has none. */
  reader->filename = g_strdup (filename != NULL ? filename : _ ("(input)"));
  reader->pending = g_string_sized_new (128);
  return reader;
}

void
tb_vcard_reader_free (TbVCardReader *reader)
{
  if (reader == NULL)
    return;
  tb_text_input_clear (&reader->input);
  g_free (reader->filename);
  g_string_free (reader->pending, TRUE);
  g_free (reader);
}

void
tb_vcard_property_free (TbVCardProperty *property)
{
  if (property == NULL)
    return;
  g_free (property->group);
  g_free (property->name);
  g_strfreev (property->param_names);
  g_strfreev (property->param_values);
  g_free (property->value);
  g_free (property);
}

void
tb_vcard_free (TbVCard *card)
{
  if (card == NULL)
    return;
  g_ptr_array_unref (card->properties);
  g_ptr_array_unref (card->repairs);
  g_free (card);
}

TbVCardProperty *
tb_vcard_get (TbVCard *card, const char *name)
{
  for (guint i = 0; i < card->properties->len; i++)
    {
      TbVCardProperty *property = g_ptr_array_index (card->properties, i);

      if (g_str_equal (property->name, name))
        return property;
    }
  return NULL;
}

const char *
tb_vcard_property_get_param (TbVCardProperty *property, const char *name)
{
  for (guint i = 0; property->param_names[i] != NULL; i++)
    if (g_str_equal (property->param_names[i], name))
      return property->param_values[i];
  return NULL;
}

gboolean
tb_vcard_property_has_param (TbVCardProperty *property, const char *name,
                             const char *value)
{
  for (guint i = 0; property->param_names[i] != NULL; i++)
    {
      if (!g_str_equal (property->param_names[i], name))
        continue;
      if (value == NULL
          || g_ascii_strcasecmp (property->param_values[i], value) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
tb_vcard_property_is_preferred (TbVCardProperty *property)
{
  return tb_vcard_property_has_param (property, "TYPE", "PREF")
         || tb_vcard_property_has_param (property, "PREF", NULL);
}

char *
tb_vcard_unescape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
          case 'n':
          case 'N':
            g_string_append_c (out, '\n');
            break;
          case '\\':
          case ',':
          case ';':
          case ':':
          case '"':
            g_string_append_c (out, *p);
            break;
          default:
            /* Not an escape (a Windows path in a note, say): keep it. */
            g_string_append_c (out, '\\');
            g_string_append_c (out, *p);
            break;
        }
    }
  return g_string_free (out, FALSE);
}

GStrv
tb_vcard_split (const char *text, char separator)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == separator)
        {
          g_autofree char *part = g_strndup (start, p - start);

          g_ptr_array_add (parts, tb_vcard_unescape (part));
          start = p + 1;
        }
    }
  g_ptr_array_add (parts, tb_vcard_unescape (start));
  g_ptr_array_add (parts, NULL);
  return (GStrv) g_ptr_array_steal (parts, NULL);
}

/* Reading lines. */

static void set_parse_error (TbVCardReader *reader, GError **error, guint line,
                             const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
set_parse_error (TbVCardReader *reader, GError **error, guint line,
                 const char *format, ...)
{
  va_list args;
  g_autofree char *problem = NULL;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TB_ERROR, TB_ERROR_PARSE, "%s:%u: %s", reader->filename,
               line, problem);
}

/* Reads the next physical line into reader->pending. Lines end with LF,
 * CRLF or CR. Returns 1 for a line, 0 at the end, -1 on error. */
static int
read_physical_line (TbVCardReader *reader, GCancellable *cancellable,
                    GError **error)
{
  gboolean any = FALSE;

  g_string_truncate (reader->pending, 0);
  reader->pending_truncated = FALSE;
  reader->pending_line = reader->input.line;

  for (;;)
    {
      int c = tb_text_input_next (&reader->input, cancellable, error);

      if (c == TB_TEXT_INPUT_ERROR)
        return -1;
      if (c == TB_TEXT_INPUT_END)
        break;
      /* Text has none: a NUL is a binary file, or UTF-16, which line by
       * line would read as blank lines, a file of nothing imported. */
      if (c == '\0')
        {
          set_parse_error (reader, error, reader->input.line, "%s",
                           _ ("a NUL byte: not a text file (UTF-16 or "
                              "binary?)"));
          return -1;
        }
      any = TRUE;
      if (c == '\n')
        {
          reader->have_pending = TRUE;
          return 1;
        }
      /* Keep memory bounded on an absurd line; the caller decides whether
       * it was a binary property that may be dropped. */
      if (reader->pending->len <= TB_VCARD_MAX_LINE_BYTES)
        g_string_append_c (reader->pending, (char) c);
      else
        reader->pending_truncated = TRUE;
    }
  if (!any)
    return 0;
  reader->have_pending = TRUE;
  return 1;
}

static gboolean
ensure_pending (TbVCardReader *reader, gboolean *out_have,
                GCancellable *cancellable, GError **error)
{
  if (!reader->have_pending)
    {
      int r = read_physical_line (reader, cancellable, error);

      if (r < 0)
        return FALSE;
    }
  *out_have = reader->have_pending;
  return TRUE;
}

static gboolean
is_binary_property (const char *line)
{
  static const char *const names[] = { "PHOTO", "LOGO", "SOUND", "KEY" };
  gsize len = strcspn (line, ";:");
  const char *name = line;
  const char *dot = memchr (line, '.', len);

  if (dot != NULL)
    {
      len -= (dot + 1 - line);
      name = dot + 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (len == strlen (names[i])
        && g_ascii_strncasecmp (name, names[i], len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_quoted_printable (const char *line)
{
  gsize len = strcspn (line, ":");
  g_autofree char *head = g_ascii_strup (line, len);

  return strstr (head, "QUOTED-PRINTABLE") != NULL;
}

/* Reads one logical line: a physical line with its folded continuations
 * (lines starting with a space or tab) and, for quoted-printable values,
 * its soft line breaks ("=" at the end). Binary properties keep only their
 * first physical line: enough to see their name and parameters. */
static int
read_logical_line (TbVCardReader *reader, GString *out, guint *out_line,
                   gboolean *out_binary, GCancellable *cancellable,
                   GError **error)
{
  gboolean have = FALSE;
  gboolean binary;
  gboolean qp;

  if (!ensure_pending (reader, &have, cancellable, error))
    return -1;
  if (!have)
    return 0;

  g_string_assign (out, reader->pending->str);
  *out_line = reader->pending_line;
  reader->have_pending = FALSE;
  binary = is_binary_property (out->str);
  *out_binary = binary;
  if (reader->pending_truncated && !binary)
    {
      set_parse_error (reader, error, *out_line, "%s", _ ("line too long"));
      return -1;
    }
  qp = !binary && is_quoted_printable (out->str);

  for (;;)
    {
      const char *next;

      if (!ensure_pending (reader, &have, cancellable, error))
        return -1;
      if (!have)
        break;
      next = reader->pending->str;
      if (qp && out->len > 0 && out->str[out->len - 1] == '=')
        {
          g_string_truncate (out, out->len - 1);
          g_string_append_len (out, next, reader->pending->len);
        }
      else if (next[0] == ' ' || next[0] == '\t')
        {
          if (!binary)
            g_string_append_len (out, next + 1, reader->pending->len - 1);
        }
      else
        {
          break;
        }
      reader->have_pending = FALSE;
      if (!binary
          && (reader->pending_truncated || out->len > TB_VCARD_MAX_LINE_BYTES))
        {
          set_parse_error (reader, error, *out_line, "%s", _ ("line too long"));
          return -1;
        }
    }
  return 1;
}

/* Parsing properties. */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

static void
add_param (GPtrArray *names, GPtrArray *values, const char *name,
           const char *value, gsize value_len)
{
  g_ptr_array_add (names, g_ascii_strup (name, -1));
  if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"')
    g_ptr_array_add (values, g_strndup (value + 1, value_len - 2));
  else
    g_ptr_array_add (values, g_strndup (value, value_len));
}

/* One parameter, "TYPE=WORK,HOME" or a bare 2.1 "CELL". */
static void
parse_param (const char *text, gsize len, GPtrArray *names, GPtrArray *values)
{
  const char *eq = memchr (text, '=', len);
  g_autofree char *name = NULL;
  const char *v;
  const char *end = text + len;
  gboolean in_quotes = FALSE;

  if (len == 0)
    return;
  if (eq == NULL)
    {
      static const char *const encodings[]
          = { "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B" };
      const char *bare_name = "TYPE";

      for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
        if (strlen (encodings[i]) == len
            && g_ascii_strncasecmp (text, encodings[i], len) == 0)
          bare_name = "ENCODING";
      add_param (names, values, bare_name, text, len);
      return;
    }

  name = g_strndup (text, eq - text);
  g_strstrip (name);
  v = eq + 1;
  for (const char *p = v; p <= end; p++)
    {
      if (p < end && *p == '"')
        in_quotes = !in_quotes;
      if (p == end || (*p == ',' && !in_quotes))
        {
          add_param (names, values, name, v, p - v);
          v = p + 1;
        }
    }
}

typedef enum
{
  PARSE_OK,
  PARSE_NOT_A_PROPERTY,
} ParseResult;

static ParseResult
parse_property (const char *line, guint line_no, TbVCardProperty **out)
{
  g_autoptr (TbVCardProperty) property = g_new0 (TbVCardProperty, 1);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  gsize name_len = strcspn (line, ";:");
  g_autofree char *full_name = NULL;
  const char *dot;
  const char *p;

  if (line[name_len] == '\0' || name_len == 0)
    return PARSE_NOT_A_PROPERTY;
  for (gsize i = 0; i < name_len; i++)
    if (!is_name_char (line[i]))
      return PARSE_NOT_A_PROPERTY;

  full_name = g_strndup (line, name_len);
  dot = strrchr (full_name, '.');
  if (dot != NULL)
    {
      if (dot[1] == '\0' || dot == full_name)
        return PARSE_NOT_A_PROPERTY;
      property->group = g_strndup (full_name, dot - full_name);
      property->name = g_ascii_strup (dot + 1, -1);
    }
  else
    {
      property->name = g_ascii_strup (full_name, -1);
    }

  p = line + name_len;
  while (*p == ';')
    {
      const char *start = ++p;
      gboolean in_quotes = FALSE;

      while (*p != '\0' && (in_quotes || (*p != ';' && *p != ':')))
        {
          if (*p == '"')
            in_quotes = !in_quotes;
          p++;
        }
      parse_param (start, p - start, names, values);
    }
  if (*p != ':')
    return PARSE_NOT_A_PROPERTY;

  g_ptr_array_add (names, NULL);
  g_ptr_array_add (values, NULL);
  property->param_names = (GStrv) g_ptr_array_steal (names, NULL);
  property->param_values = (GStrv) g_ptr_array_steal (values, NULL);
  property->value = g_strdup (p + 1);
  property->line = line_no;
  *out = g_steal_pointer (&property);
  return PARSE_OK;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static char *
decode_quoted_printable (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      int hi, lo;

      if (*p == '=' && (hi = hex_value (p[1])) >= 0
          && (lo = hex_value (p[2])) >= 0)
        {
          g_string_append_c (out, (char) (hi * 16 + lo));
          p += 2;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_utf8_charset (const char *charset)
{
  return g_ascii_strcasecmp (charset, "UTF-8") == 0
         || g_ascii_strcasecmp (charset, "UTF8") == 0
         || g_ascii_strcasecmp (charset, "US-ASCII") == 0;
}

static void
add_repair (TbVCard *card, guint line, char *reason)
{
  TbVCardRepair *repair = g_new0 (TbVCardRepair, 1);

  repair->line = line;
  repair->reason = reason;
  g_ptr_array_add (card->repairs, repair);
}

static void
repair_free (TbVCardRepair *repair)
{
  g_free (repair->reason);
  g_free (repair);
}

/* Makes @value (owned) valid UTF-8, each bad byte U+FFFD. */
static char *
make_valid (char *value)
{
  char *valid = g_utf8_make_valid (value, -1);

  g_free (value);
  return valid;
}

/* Turns the value into UTF-8: quoted-printable decoding, then the 2.1
 * CHARSET parameter. Bytes that are not UTF-8 after a decoding are the
 * exporter's fault in that one value (Android encodes a cut multi-byte
 * character), so they become U+FFFD and the card says so; text that is
 * not UTF-8 as written is a file in another encoding, refused whole. */
static gboolean
decode_value (TbVCardReader *reader, TbVCard *card, TbVCardProperty *property,
              GError **error)
{
  const char *charset = tb_vcard_property_get_param (property, "CHARSET");
  const char *bad = NULL;
  gboolean decoded = FALSE;

  if (tb_vcard_property_has_param (property, "ENCODING", "QUOTED-PRINTABLE"))
    {
      char *qp = decode_quoted_printable (property->value);

      g_free (property->value);
      property->value = qp;
      decoded = TRUE;
    }
  if (charset != NULL && !is_utf8_charset (charset))
    {
      g_autoptr (GError) local_error = NULL;
      char *converted = g_convert (property->value, -1, "UTF-8", charset, NULL,
                                   NULL, &local_error);

      if (converted == NULL)
        {
          add_repair (card, property->line,
                      /* Translators: "ORG: the text is not valid
                       * ISO-8859-1; ..." */
                      g_strdup_printf (_ ("%s: the text is not valid %s; "
                                          "what cannot be read is shown as "
                                          "U+FFFD"),
                                       property->name, charset));
          property->value = make_valid (property->value);
        }
      else
        {
          g_free (property->value);
          property->value = converted;
        }
      decoded = TRUE;
    }
  if (decoded && !g_utf8_validate (property->value, -1, NULL))
    {
      add_repair (card, property->line,
                  /* Translators: %s is a property name, "ORG". */
                  g_strdup_printf (_ ("%s: the decoded text is not UTF-8; "
                                      "the bytes that are not are shown as "
                                      "U+FFFD"),
                                   property->name));
      property->value = make_valid (property->value);
    }
  if (!g_utf8_validate (property->value, -1, &bad))
    {
      set_parse_error (reader, error, property->line, "%s",
                       _ ("invalid UTF-8"));
      return FALSE;
    }
  for (guint i = 0; property->param_values[i] != NULL; i++)
    if (!g_utf8_validate (property->param_values[i], -1, NULL)
        || !g_utf8_validate (property->param_names[i], -1, NULL))
      {
        set_parse_error (reader, error, property->line, "%s",
                         _ ("invalid UTF-8"));
        return FALSE;
      }
  return TRUE;
}

static gboolean
is_begin_or_end (TbVCardProperty *property, const char *name)
{
  g_autofree char *value = NULL;

  if (!g_str_equal (property->name, name) || property->group != NULL)
    return FALSE;
  value = g_strstrip (g_strdup (property->value));
  return g_ascii_strcasecmp (value, "VCARD") == 0;
}

/* @line (not a property) right after the text property @last: a value
 * broken over lines without a fold (Sony Ericsson). It is joined as a
 * fold would be, decoded as @last was. */
static gboolean
join_continuation (TbVCardReader *reader, TbVCard *card, TbVCardProperty *last,
                   GString *line, guint line_no, GError **error)
{
  g_autoptr (TbVCardProperty) part = g_new0 (TbVCardProperty, 1);
  char *joined;

  part->name = g_strdup (last->name);
  part->param_names = g_strdupv (last->param_names);
  part->param_values = g_strdupv (last->param_values);
  part->value = g_strdup (line->str);
  part->line = line_no;
  if (!decode_value (reader, card, part, error))
    return FALSE;
  joined = g_strconcat (last->value, part->value, NULL);
  g_free (last->value);
  last->value = joined;
  add_repair (card, line_no,
              /* Translators: %s is a property name, "N"; %u a line. */
              g_strdup_printf (_ ("this line continues the %s property of "
                                  "line %u without a fold; joined to it"),
                               last->name, last->line));
  return TRUE;
}

TbVCard *
tb_vcard_reader_read_card (TbVCardReader *reader, GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (GString) line = g_string_sized_new (256);
  g_autoptr (TbVCard) card = NULL;
  gsize card_bytes = 0;
  gboolean in_base64 = FALSE;
  /* (unowned) the card's last property, when it was a text one: what a
   * line that is not a property continues. */
  TbVCardProperty *last_text = NULL;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (;;)
    {
      g_autoptr (TbVCardProperty) property = NULL;
      guint line_no = 0;
      gboolean binary = FALSE;
      int r;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      r = read_logical_line (reader, line, &line_no, &binary, cancellable,
                             error);
      if (r < 0)
        return NULL;
      if (r == 0)
        {
          if (card != NULL)
            {
              set_parse_error (reader, error, card->line, "%s",
                               _ ("card has no END:VCARD"));
              return NULL;
            }
          return NULL;
        }

      /* Blank lines are harmless anywhere, and end 2.1 base64 data. */
      if (line->len == 0 || strspn (line->str, " \t") == line->len)
        {
          in_base64 = FALSE;
          continue;
        }

      if (parse_property (line->str, line_no, &property) != PARSE_OK)
        {
          /* vCard 2.1 writers may put base64 data on unindented lines
           * after the property; pass over them. */
          if (card != NULL && in_base64)
            continue;
          if (card != NULL && last_text != NULL)
            {
              if (!join_continuation (reader, card, last_text, line, line_no,
                                      error))
                return NULL;
              card_bytes += line->len;
              continue;
            }
          if (card == NULL)
            set_parse_error (reader, error, line_no, "%s",
                             _ ("expected BEGIN:VCARD, found text outside a "
                                "card"));
          else
            set_parse_error (reader, error, line_no, "%s",
                             _ ("expected a property (NAME:VALUE)"));
          return NULL;
        }
      in_base64 = FALSE;
      last_text = NULL;

      if (card == NULL)
        {
          if (!is_begin_or_end (property, "BEGIN"))
            {
              set_parse_error (
                  reader, error, line_no, "%s",
                  _ ("expected BEGIN:VCARD, found text outside a card"));
              return NULL;
            }
          card = g_new0 (TbVCard, 1);
          card->line = line_no;
          card->properties = g_ptr_array_new_with_free_func (
              (GDestroyNotify) tb_vcard_property_free);
          card->repairs
              = g_ptr_array_new_with_free_func ((GDestroyNotify) repair_free);
          continue;
        }

      if (is_begin_or_end (property, "END"))
        return g_steal_pointer (&card);
      if (is_begin_or_end (property, "BEGIN"))
        {
          set_parse_error (reader, error, line_no,
                           _ ("BEGIN:VCARD inside the card started on line "
                              "%u (missing END:VCARD?)"),
                           card->line);
          return NULL;
        }
      if (binary)
        {
          in_base64
              = tb_vcard_property_has_param (property, "ENCODING", "BASE64")
                || tb_vcard_property_has_param (property, "ENCODING", "B");
          continue;
        }
      if (!decode_value (reader, card, property, error))
        return NULL;
      card_bytes += line->len;
      if (card_bytes > TB_VCARD_MAX_CARD_BYTES)
        {
          set_parse_error (reader, error, card->line, "%s",
                           _ ("card too large"));
          return NULL;
        }
      last_text = property;
      g_ptr_array_add (card->properties, g_steal_pointer (&property));
    }
}
