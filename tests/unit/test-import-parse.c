/* test-import-parse.c — the CSV and vCard readers, format detection and
 * the mapping of every export shape to contacts, with no store or bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tb-csv.h"
#include "tb-error.h"
#include "tb-import.h"
#include "tb-keys.h"
#include "tb-vcard.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_UNDER_ASAN 1
#endif
#endif

/* Helpers */

static GInputStream *
memory_stream (const char *data, gssize len)
{
  if (len < 0)
    len = strlen (data);
  return g_memory_input_stream_new_from_data (g_memdup2 (data, len), len,
                                              g_free);
}

static GInputStream *
fixture_stream (const char *name)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GFileInputStream *stream = g_file_read (file, NULL, &error);

  g_assert_no_error (error);
  return G_INPUT_STREAM (stream);
}

static char *
fixture_head (const char *name, gsize *out_len)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, out_len, &error);
  g_assert_no_error (error);
  if (*out_len > TB_IMPORT_DETECT_BYTES)
    *out_len = TB_IMPORT_DETECT_BYTES;
  return contents;
}

typedef struct
{
  GPtrArray *contacts; /* (owned) */
  GArray *lines;       /* (owned) */
  guint skipped;
  TbImportFormat format;
} Result;

static void
result_free (Result *result)
{
  g_ptr_array_unref (result->contacts);
  g_array_unref (result->lines);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static gboolean
collect (TbContact *contact, guint line, gpointer user_data, GError **error)
{
  Result *result = user_data;

  g_ptr_array_add (result->contacts, contact);
  g_array_append_val (result->lines, line);
  return TRUE;
}

static Result *
import_stream (GInputStream *stream, TbImportFormat format,
               const char *filename, GError **error)
{
  g_autoptr (Result) result = g_new0 (Result, 1);

  result->contacts
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  result->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!tb_import_read (stream, format, filename, collect, result,
                       &result->format, &result->skipped, NULL, error))
    return NULL;
  return g_steal_pointer (&result);
}

static Result *
import_fixture (const char *name, TbImportFormat format, GError **error)
{
  g_autoptr (GInputStream) stream = fixture_stream (name);

  return import_stream (stream, format, name, error);
}

static Result *
import_fixture_ok (const char *name, TbImportFormat expected_format)
{
  g_autoptr (GError) error = NULL;
  Result *result = import_fixture (name, TB_FORMAT_UNKNOWN, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstr (tb_import_format_to_string (result->format), ==,
                   tb_import_format_to_string (expected_format));
  return result;
}

static TbContact *
contact_at (Result *result, guint i)
{
  g_assert_cmpuint (i, <, result->contacts->len);
  return g_ptr_array_index (result->contacts, i);
}

static guint
line_at (Result *result, guint i)
{
  return g_array_index (result->lines, guint, i);
}

static gint64
local_midnight (int year, int month, int day)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr (GDateTime) dt = g_date_time_new (tz, year, month, day, 0, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
assert_strv (GStrv actual, const char *const *expected)
{
  g_autofree char *a = actual ? g_strjoinv ("|", actual) : g_strdup ("(null)");
  g_autofree char *e
      = expected ? g_strjoinv ("|", (GStrv) expected) : g_strdup ("(null)");

  g_assert_cmpstr (a, ==, e);
}

static void
assert_parse_error (GError *error, const char *file_and_line,
                    const char *problem)
{
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
  g_test_message ("error: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, file_and_line));
  g_assert_nonnull (strstr (error->message, problem));
}

/* CSV reader */

typedef struct
{
  GStrv records[8];
  guint lines[8];
  guint n;
} Records;

static void
records_clear (Records *records)
{
  for (guint i = 0; i < records->n; i++)
    g_strfreev (records->records[i]);
}

static gboolean
read_csv (const char *data, gssize len, Records *out, GError **error)
{
  g_autoptr (GInputStream) stream = memory_stream (data, len);
  g_autoptr (TbCsvReader) reader = tb_csv_reader_new (stream, "test.csv");

  memset (out, 0, sizeof *out);
  for (;;)
    {
      GStrv record;
      guint line = 0;

      record = tb_csv_reader_read_record (reader, &line, NULL, error);
      if (record == NULL)
        return error == NULL || *error == NULL;
      g_assert_cmpuint (out->n, <, G_N_ELEMENTS (out->records));
      out->lines[out->n] = line;
      out->records[out->n++] = record;
    }
}

static void
test_csv_basic (void)
{
  g_autoptr (GError) error = NULL;
  Records r;
  const char *const row0[] = { "a", "b", "c", NULL };
  const char *const row1[] = { "", "x", "", NULL };

  g_assert_true (read_csv ("a,b,c\n,x,\n", -1, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n, ==, 2);
  assert_strv (r.records[0], row0);
  assert_strv (r.records[1], row1);
  g_assert_cmpuint (r.lines[0], ==, 1);
  g_assert_cmpuint (r.lines[1], ==, 2);
  records_clear (&r);
}

static void
test_csv_quoted (void)
{
  g_autoptr (GError) error = NULL;
  Records r;
  const char *const row0[]
      = { "one, two", "say \"hi\"", "line1\nline2", "", NULL };
  const char *const row1[] = { "after", "x\"y", "tail", NULL };

  /* Commas, doubled quotes, a CRLF inside a field (comes out as "\n"),
   * an empty quoted field; then a quote inside an unquoted field and
   * text after a closing quote. */
  g_assert_true (
      read_csv ("\"one, two\",\"say \"\"hi\"\"\",\"line1\r\nline2\",\"\"\r\n"
                "after,x\"y,\"ta\"il\r\n",
                -1, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n, ==, 2);
  assert_strv (r.records[0], row0);
  assert_strv (r.records[1], row1);
  g_assert_cmpuint (r.lines[0], ==, 1);
  g_assert_cmpuint (r.lines[1], ==, 3);
  records_clear (&r);
}

static void
test_csv_line_ends (void)
{
  g_autoptr (GError) error = NULL;
  Records r;

  /* LF, CRLF, lone CR, empty lines and no final line end. */
  g_assert_true (read_csv ("a\nb\r\nc\rd\n\n\r\ne", -1, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n, ==, 5);
  g_assert_cmpstr (r.records[0][0], ==, "a");
  g_assert_cmpstr (r.records[3][0], ==, "d");
  g_assert_cmpstr (r.records[4][0], ==, "e");
  g_assert_cmpuint (r.lines[2], ==, 3);
  g_assert_cmpuint (r.lines[3], ==, 4);
  g_assert_cmpuint (r.lines[4], ==, 7);
  records_clear (&r);
}

static void
test_csv_bom (void)
{
  g_autoptr (GError) error = NULL;
  Records r;

  g_assert_true (read_csv ("\xEF\xBB\xBF"
                           "First Name,x\n",
                           -1, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n, ==, 1);
  g_assert_cmpstr (r.records[0][0], ==, "First Name");
  records_clear (&r);

  /* A BOM-only file is empty. */
  g_assert_true (read_csv ("\xEF\xBB\xBF", -1, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n, ==, 0);
}

/* A CRLF split across the reader's 64 KiB buffer must still be one line
 * end, and line numbers must stay right. */
static void
test_csv_buffer_boundary (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) data = g_string_new (NULL);
  Records r;
  gsize pad;

  g_string_append (data, "x\r\n");
  pad = 65535 - data->len - 1;
  g_string_append (data, "\"");
  for (gsize i = 0; i < pad - 1; i++)
    g_string_append_c (data, 'p');
  g_string_append (data, "\"\r\nlast\r\n");
  g_assert_cmpint (data->str[65535], ==, '\r');
  g_assert_cmpint (data->str[65536], ==, '\n');

  g_assert_true (read_csv (data->str, data->len, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.n, ==, 3);
  g_assert_cmpuint (strlen (r.records[1][0]), ==, pad - 1);
  g_assert_cmpstr (r.records[2][0], ==, "last");
  g_assert_cmpuint (r.lines[2], ==, 3);
  records_clear (&r);
}

static void
test_csv_unterminated (void)
{
  g_autoptr (GError) error = NULL;
  Records r;

  g_assert_false (read_csv ("a,b\nc,\"open\nmore\nstill\n", -1, &r, &error));
  assert_parse_error (error, "test.csv:2:", "unterminated quoted field");
  records_clear (&r);
}

static void
test_csv_invalid_utf8 (void)
{
  static const char nul[] = "a,b\nc,d\0e\n";
  g_autoptr (GError) error = NULL;
  Records r;

  /* The bad byte is on line 3, inside a field that starts on line 2. */
  g_assert_false (read_csv ("a,b\n\"ok\nb\xff\"\n", -1, &r, &error));
  assert_parse_error (error, "test.csv:3:", "invalid UTF-8");
  records_clear (&r);
  g_clear_error (&error);

  g_assert_false (read_csv (nul, sizeof nul - 1, &r, &error));
  assert_parse_error (error, "test.csv:2:", "NUL");
  records_clear (&r);
}

static void
test_csv_too_long (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_malloc (TB_CSV_MAX_RECORD_BYTES + 16);
  Records r;

  data[0] = '"';
  memset (data + 1, 'x', TB_CSV_MAX_RECORD_BYTES + 14);
  data[TB_CSV_MAX_RECORD_BYTES + 15] = '\0';
  g_assert_false (read_csv (data, -1, &r, &error));
  assert_parse_error (error, "test.csv:1:", "too long");
  records_clear (&r);
}

/* A stream of LinkedIn rows made on the fly, so a huge file needs no
 * disk and no memory. */

#define TEST_TYPE_ROWS_STREAM (test_rows_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestRowsStream, test_rows_stream, TEST, ROWS_STREAM,
                      GInputStream)

struct _TestRowsStream
{
  GInputStream parent_instance;
  guint rows;
  guint next_row;
  GString *pending;
  gsize pending_pos;
};

G_DEFINE_TYPE (TestRowsStream, test_rows_stream, G_TYPE_INPUT_STREAM)

static gssize
test_rows_stream_read (GInputStream *stream, void *buffer, gsize count,
                       GCancellable *cancellable, GError **error)
{
  TestRowsStream *self = TEST_ROWS_STREAM (stream);
  gsize n;

  while (self->pending_pos == self->pending->len)
    {
      if (self->next_row > self->rows)
        return 0;
      g_string_truncate (self->pending, 0);
      self->pending_pos = 0;
      if (self->next_row == 0)
        g_string_append (self->pending,
                         "First Name,Last Name,URL,Email "
                         "Address,Company,Position,Connected On\r\n");
      else
        g_string_append_printf (
            self->pending,
            "Person,Number %u,https://www.linkedin.com/in/person-%u,,"
            "\"Company %u, Inc.\",Engineer,14 Nov 2025\r\n",
            self->next_row, self->next_row, self->next_row % 1000);
      self->next_row++;
    }
  n = MIN (count, self->pending->len - self->pending_pos);
  memcpy (buffer, self->pending->str + self->pending_pos, n);
  self->pending_pos += n;
  return n;
}

static void
test_rows_stream_finalize (GObject *object)
{
  TestRowsStream *self = TEST_ROWS_STREAM (object);

  g_string_free (self->pending, TRUE);
  G_OBJECT_CLASS (test_rows_stream_parent_class)->finalize (object);
}

static void
test_rows_stream_class_init (TestRowsStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_rows_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_rows_stream_read;
}

static void
test_rows_stream_init (TestRowsStream *self)
{
  self->pending = g_string_new (NULL);
}

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

typedef struct
{
  guint count;
  gsize rss_early;
  gsize rss_peak;
} Counter;

static gboolean
count_and_measure (TbContact *contact, guint line, gpointer user_data,
                   GError **error)
{
  Counter *counter = user_data;

  counter->count++;
  g_assert_cmpuint (line, ==, counter->count + 1);
  if (counter->count == 20000)
    counter->rss_early = resident_bytes ();
  else if (counter->count % 20000 == 0)
    counter->rss_peak = MAX (counter->rss_peak, resident_bytes ());
  tb_contact_free (contact);
  return TRUE;
}

static void
test_import_constant_memory (void)
{
  guint rows = g_test_slow () ? 1000000 : 200000;
  TestRowsStream *rows_stream = g_object_new (TEST_TYPE_ROWS_STREAM, NULL);
  g_autoptr (GInputStream) stream = G_INPUT_STREAM (rows_stream);
  g_autoptr (GError) error = NULL;
  Counter counter = { 0 };
  guint skipped = 1;

  rows_stream->rows = rows;
  g_assert_true (tb_import_read (stream, TB_FORMAT_UNKNOWN, "big.csv",
                                 count_and_measure, &counter, NULL, &skipped,
                                 NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter.count, ==, rows);
  g_assert_cmpuint (skipped, ==, 0);
  g_test_message ("RSS after 20000 rows: %zu KiB, peak later: %zu KiB",
                  counter.rss_early / 1024, counter.rss_peak / 1024);
  /* Memory must not follow the file: allow a little allocator slack.
   * AddressSanitizer keeps freed memory in quarantine, so RSS means
   * nothing there (and it finds leaks by itself). */
#ifndef TEST_UNDER_ASAN
  g_assert_cmpuint (counter.rss_peak, <, counter.rss_early + 4 * 1024 * 1024);
#endif
}

/* vCard reader */

static void
test_vcard_unescape (void)
{
  g_autofree char *a = tb_vcard_unescape ("a\\, b\\; c\\nd\\Ne\\\\f\\:g");
  g_autofree char *b = tb_vcard_unescape ("C:\\temp\\");
  g_auto (GStrv) n = tb_vcard_split ("Doe;John\\; Jr;;Dr.\\, PhD;", ';');
  g_auto (GStrv) cats = tb_vcard_split ("a,b\\,c,,d", ',');
  const char *const n_expected[]
      = { "Doe", "John; Jr", "", "Dr., PhD", "", NULL };
  const char *const cats_expected[] = { "a", "b,c", "", "d", NULL };

  g_assert_cmpstr (a, ==, "a, b; c\nd\ne\\f:g");
  g_assert_cmpstr (b, ==, "C:\\temp\\");
  assert_strv (n, n_expected);
  assert_strv (cats, cats_expected);
}

static TbVCard *
read_one_card (TbVCardReader *reader)
{
  g_autoptr (GError) error = NULL;
  TbVCard *card = tb_vcard_reader_read_card (reader, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (card);
  return card;
}

static void
test_vcard_syntax (void)
{
  g_autoptr (GInputStream) stream = fixture_stream ("vcard-30.vcf");
  g_autoptr (TbVCardReader) reader
      = tb_vcard_reader_new (stream, "vcard-30.vcf");
  g_autoptr (TbVCard) card = read_one_card (reader);
  g_autoptr (TbVCard) second = NULL;
  g_autoptr (TbVCard) third = NULL;
  g_autoptr (TbVCard) none = NULL;
  g_autoptr (GError) error = NULL;
  TbVCardProperty *p;
  guint n_email = 0;

  g_assert_cmpuint (card->line, ==, 1);
  /* Folded over three lines, with a space and a tab. */
  p = tb_vcard_get (card, "NOTE");
  g_assert_nonnull (p);
  g_assert_cmpstr (p->value, ==,
                   "Line one\\nLine two\\, with comma\\; and semicolon. A "
                   "long note that is folded over\tthree lines by its "
                   "writer, with a tab fold.");
  /* Groups and parameters, in both 3.0 spellings. */
  for (guint i = 0; i < card->properties->len; i++)
    {
      p = g_ptr_array_index (card->properties, i);
      if (g_str_equal (p->name, "EMAIL"))
        n_email++;
      g_assert_true (!g_str_equal (p->name, "PHOTO"));
    }
  g_assert_cmpuint (n_email, ==, 3);
  p = tb_vcard_get (card, "EMAIL");
  g_assert_cmpstr (p->group, ==, "item1");
  g_assert_cmpstr (p->value, ==, "tomas@obrien.example");
  p = g_ptr_array_index (card->properties, 8);
  g_assert_cmpstr (p->value, ==, "tomas.personal@example.com");
  g_assert_true (tb_vcard_property_has_param (p, "TYPE", "home"));
  g_assert_true (tb_vcard_property_has_param (p, "TYPE", "INTERNET"));
  g_assert_false (tb_vcard_property_is_preferred (p));
  p = g_ptr_array_index (card->properties, 9);
  g_assert_true (tb_vcard_property_is_preferred (p));
  /* A quoted parameter value may hold ':' and ';'. */
  p = tb_vcard_get (card, "X-UNKNOWN");
  g_assert_cmpstr (tb_vcard_property_get_param (p, "X-PARAM"), ==, "a:b;c");
  g_assert_cmpstr (p->value, ==, "ignored value");
  g_assert_cmpuint (p->line, ==, 326);

  second = read_one_card (reader);
  g_assert_cmpuint (second->line, ==, 329);
  third = read_one_card (reader);
  none = tb_vcard_reader_read_card (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
test_vcard_21_syntax (void)
{
  g_autoptr (GInputStream) stream = fixture_stream ("vcard-21.vcf");
  g_autoptr (TbVCardReader) reader
      = tb_vcard_reader_new (stream, "vcard-21.vcf");
  g_autoptr (TbVCard) card = read_one_card (reader);
  g_autoptr (TbVCard) latin1 = read_one_card (reader);
  TbVCardProperty *p;

  p = tb_vcard_get (card, "TEL");
  g_assert_true (tb_vcard_property_has_param (p, "TYPE", "CELL"));
  p = tb_vcard_get (card, "NOTE");
  g_assert_cmpstr (p->value, ==,
                   "Sails every summer.\r\nBrings kanelbullar à la maison.");
  g_assert_null (tb_vcard_get (card, "PHOTO"));
  g_assert_nonnull (tb_vcard_get (card, "BDAY"));

  p = tb_vcard_get (latin1, "N");
  g_assert_cmpstr (p->value, ==, "Müller;Jürgen;;;");
  p = tb_vcard_get (latin1, "NOTE");
  g_assert_cmpstr (p->value, ==, "Grüße aus München");
  g_assert_cmpuint (latin1->line, ==, 19);
}

static void
assert_vcard_error (const char *data, const char *file_and_line,
                    const char *problem)
{
  g_autoptr (GInputStream) stream = memory_stream (data, -1);
  g_autoptr (TbVCardReader) reader = tb_vcard_reader_new (stream, "t.vcf");
  g_autoptr (GError) error = NULL;

  for (;;)
    {
      g_autoptr (TbVCard) card
          = tb_vcard_reader_read_card (reader, NULL, &error);

      if (card == NULL)
        break;
    }
  g_assert_nonnull (error);
  assert_parse_error (error, file_and_line, problem);
}

static void
test_vcard_errors (void)
{
  assert_vcard_error ("BEGIN:VCARD\nFN:A\n", "t.vcf:1:", "no END:VCARD");
  assert_vcard_error ("BEGIN:VCARD\nFN:A\nEND:VCARD\nhello\n",
                      "t.vcf:4:", "outside a card");
  assert_vcard_error ("FN:A\n", "t.vcf:1:", "expected BEGIN:VCARD");
  assert_vcard_error ("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nEND:VCARD\n",
                      "t.vcf:3:", "inside the card started on line 1");
  assert_vcard_error ("BEGIN:VCARD\nnot a property\nEND:VCARD\n",
                      "t.vcf:2:", "expected a property");
  assert_vcard_error ("BEGIN:VCARD\nFN:\xc3\x28\nEND:VCARD\n",
                      "t.vcf:2:", "invalid UTF-8");
}

/* What real exporters get wrong in one property is put right, and said:
 * the card stays. */
static void
test_vcard_repairs (void)
{
  static const char data[]
      = "BEGIN:VCARD\r\n"
        "VERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85berg;Bj=C3=B6rn\r\n"
        "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 M=C3\r\n"
        "NOTE;CHARSET=NO-SUCH-CHARSET:x\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\n"
        "VERSION:2.1\r\n"
        "N:Andersson-Lindqvist;Karin Elisab\r\n"
        "eth;;;\r\n"
        "TEL;CELL:+46701234567\r\n"
        "NOTE:say \\\"hi\\\"\r\n"
        "END:VCARD\r\n";
  g_autoptr (GInputStream) stream = memory_stream (data, -1);
  g_autoptr (TbVCardReader) reader = tb_vcard_reader_new (stream, "t.vcf");
  g_autoptr (TbVCard) first = read_one_card (reader);
  g_autoptr (TbVCard) second = read_one_card (reader);
  TbVCardRepair *repair;

  g_assert_cmpstr (tb_vcard_get (first, "N")->value, ==, "Åberg;Björn");
  g_assert_cmpstr (tb_vcard_get (first, "ORG")->value, ==,
                   "Café M\xef\xbf\xbd");
  g_assert_cmpstr (tb_vcard_get (first, "NOTE")->value, ==, "x");
  g_assert_cmpuint (first->repairs->len, ==, 2);
  repair = g_ptr_array_index (first->repairs, 0);
  g_assert_cmpuint (repair->line, ==, 4);
  g_assert_nonnull (strstr (repair->reason, "ORG"));
  g_assert_nonnull (strstr (repair->reason, "U+FFFD"));
  repair = g_ptr_array_index (first->repairs, 1);
  g_assert_cmpuint (repair->line, ==, 5);
  g_assert_nonnull (strstr (repair->reason, "NO-SUCH-CHARSET"));

  g_assert_cmpstr (tb_vcard_get (second, "N")->value, ==,
                   "Andersson-Lindqvist;Karin Elisabeth;;;");
  g_assert_cmpstr (tb_vcard_get (second, "TEL")->value, ==, "+46701234567");
  g_assert_cmpuint (second->repairs->len, ==, 1);
  repair = g_ptr_array_index (second->repairs, 0);
  g_assert_cmpuint (repair->line, ==, 10);
  g_assert_nonnull (strstr (repair->reason, "line 9"));
  {
    g_autofree char *note
        = tb_vcard_unescape (tb_vcard_get (second, "NOTE")->value);

    g_assert_cmpstr (note, ==, "say \"hi\"");
  }
}

static void
test_vcard_long_photo_line (void)
{
  g_autoptr (GString) data = g_string_new ("BEGIN:VCARD\nFN:A\nPHOTO:");
  g_autoptr (GString) bad = g_string_new ("BEGIN:VCARD\nFN:A\nNOTE:");
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (TbVCardReader) reader = NULL;
  g_autoptr (TbVCard) card = NULL;

  /* One unfolded line bigger than the line limit is fine for a photo... */
  for (guint i = 0; i < TB_VCARD_MAX_LINE_BYTES / 64 + 10; i++)
    g_string_append (
        data,
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2");
  g_string_append (data, "\nEMAIL:a@example.com\nEND:VCARD\n");
  stream = memory_stream (data->str, data->len);
  reader = tb_vcard_reader_new (stream, "t.vcf");
  card = read_one_card (reader);
  g_assert_cmpstr (tb_vcard_get (card, "EMAIL")->value, ==, "a@example.com");

  /* ... but not for anything else. */
  g_string_append_len (bad, data->str + 22, data->len - 22);
  assert_vcard_error (bad->str, "t.vcf:3:", "line too long");
}

/* Detection */

static void
test_detect (void)
{
  static const struct
  {
    const char *file;
    TbImportFormat format;
  } cases[] = {
    { "sample-linkedin.csv", TB_FORMAT_LINKEDIN },
    { "linkedin-current-bom-crlf.csv", TB_FORMAT_LINKEDIN },
    { "linkedin-old.csv", TB_FORMAT_LINKEDIN },
    { "sample-google.csv", TB_FORMAT_GOOGLE },
    { "google-current.csv", TB_FORMAT_GOOGLE },
    { "google-legacy.csv", TB_FORMAT_GOOGLE },
    { "sample.vcf", TB_FORMAT_VCARD },
    { "vcard-21.vcf", TB_FORMAT_VCARD },
    { "vcard-30.vcf", TB_FORMAT_VCARD },
    { "vcard-40.vcf", TB_FORMAT_VCARD },
    { "backup.json", TB_FORMAT_JSON },
    { "outlook.csv", TB_FORMAT_OUTLOOK },
    { "thunderbird.csv", TB_FORMAT_THUNDERBIRD },
    { "linkedin-urn-dates.csv", TB_FORMAT_LINKEDIN },
    { "google-legacy-same-names.csv", TB_FORMAT_GOOGLE },
    { "android-21.vcf", TB_FORMAT_VCARD },
    { "bad-unknown.txt", TB_FORMAT_UNKNOWN },
    { "empty.csv", TB_FORMAT_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = 0;
      g_autofree char *head = fixture_head (cases[i].file, &len);

      g_test_message ("%s", cases[i].file);
      g_assert_cmpstr (
          tb_import_format_to_string (tb_import_detect (head, len)), ==,
          tb_import_format_to_string (cases[i].format));
    }
  g_assert_cmpint (tb_import_detect ("\n\n  begin:vcard\n", 15), ==,
                   TB_FORMAT_VCARD);
}

static void
test_format_strings (void)
{
  TbImportFormat format = TB_FORMAT_UNKNOWN;

  g_assert_true (tb_import_format_from_string ("LinkedIn", &format));
  g_assert_cmpint (format, ==, TB_FORMAT_LINKEDIN);
  g_assert_true (tb_import_format_from_string ("json", &format));
  g_assert_cmpint (format, ==, TB_FORMAT_JSON);
  g_assert_false (tb_import_format_from_string ("unknown", &format));
  g_assert_false (tb_import_format_from_string ("csv", &format));
  g_assert_false (tb_import_format_from_string (NULL, &format));
  for (guint f = TB_FORMAT_LINKEDIN; f <= TB_FORMAT_JSON; f++)
    {
      g_assert_true (tb_import_format_from_string (
          tb_import_format_to_string (f), &format));
      g_assert_cmpint (format, ==, f);
    }
}

/* Values */

static void
test_url_normalize (void)
{
  static const struct
  {
    const char *in;
    const char *normalized;
    const char *key;
  } cases[] = {
    { "https://www.linkedin.com/in/%c3%a9milie-durand/",
      "https://www.linkedin.com/in/%C3%A9milie-durand",
      "linkedin.com/in/émilie-durand" },
    { "https://www.linkedin.com/in/émilie-durand",
      "https://www.linkedin.com/in/%C3%A9milie-durand",
      "linkedin.com/in/émilie-durand" },
    { "HTTPS://DE.LinkedIn.com/in/%C3%89milie-Durand?trk=x#top",
      "https://de.linkedin.com/in/%C3%89milie-Durand",
      "linkedin.com/in/émilie-durand" },
    { "http://linkedin.com/in/Emilie-Durand/",
      "http://linkedin.com/in/Emilie-Durand", "linkedin.com/in/emilie-durand" },
    { "  www.example.org/maya/ ", "https://www.example.org/maya",
      "example.org/maya" },
    { "https://example.org/a b?q=1", "https://example.org/a%20b?q=1",
      "example.org/a b?q=1" },
    { "https://example.org", "https://example.org", "example.org" },
    { "https://münchen.de/Straße/", "https://xn--mnchen-3ya.de/Stra%C3%9Fe",
      "xn--mnchen-3ya.de/strasse" },
    { "http://[::1]:8080/a/", "http://[::1]:8080/a", "::1/a" },
    /* Found by fuzzing: GUri decodes escapes in the host. */
    { "22D ec /..", NULL, NULL },
    { "https://exa%20mple.org/", NULL, NULL },
    { "javascript:alert(1)", NULL, NULL },
    { "ftp://example.org/x", NULL, NULL },
    { "mailto:someone@example.org", NULL, NULL },
    { "", NULL, NULL },
    { "https://", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = tb_url_normalize (cases[i].in);
      g_autofree char *key = tb_url_key (cases[i].in);

      g_test_message ("%s", cases[i].in);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
      g_assert_cmpstr (key, ==, cases[i].key);
    }
  g_assert_null (tb_url_normalize (NULL));
}

static void
test_email_key (void)
{
  g_autofree char *a = tb_email_key ("  Maya@Example.ORG ");
  g_autofree char *b = tb_email_key (" ");

  g_assert_cmpstr (a, ==, "maya@example.org");
  g_assert_null (b);
}

static void
test_phone_key (void)
{
  g_autofree char *a = tb_phone_key (" +1 (555) 010-0 ");
  g_autofree char *b = tb_phone_key ("0805550100");
  g_autofree char *c = tb_phone_key ("+ -");

  g_assert_cmpstr (a, ==, "+15550100");
  g_assert_cmpstr (b, ==, "0805550100");
  g_assert_null (c);
  g_assert_null (tb_phone_key (NULL));
}

static void
test_connected_on (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  gint64 t = 0;

  g_assert_true (tb_import_parse_connected_on ("22 Dec 2025", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2025, 12, 22));
  g_assert_true (tb_import_parse_connected_on ("02 October 2026", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2026, 10, 2));
  g_assert_true (tb_import_parse_connected_on ("1/8/18, 6:14 PM", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2018, 1, 8));
  g_assert_true (tb_import_parse_connected_on ("12/25/2017", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2017, 12, 25));
  g_assert_true (tb_import_parse_connected_on (" 2025-12-22 ", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2025, 12, 22));
  /* LinkedIn's file saved again by a spreadsheet. */
  g_assert_true (tb_import_parse_connected_on ("15-Jan-24", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2024, 1, 15));
  g_assert_true (tb_import_parse_connected_on ("3-Mar-2023", tz, &t));
  g_assert_cmpint (t, ==, local_midnight (2023, 3, 3));
  g_assert_false (tb_import_parse_connected_on ("15-Foo-24", tz, &t));
  g_assert_false (tb_import_parse_connected_on ("15-Jan", tz, &t));

  g_assert_false (tb_import_parse_connected_on ("", tz, &t));
  g_assert_false (tb_import_parse_connected_on ("31 Feb 2025", tz, &t));
  g_assert_false (tb_import_parse_connected_on ("13/13/18", tz, &t));
  g_assert_false (tb_import_parse_connected_on ("22 Foo 2025", tz, &t));
  g_assert_false (tb_import_parse_connected_on ("yesterday", tz, &t));
  g_assert_false (tb_import_parse_connected_on ("22 Dec 2025x", tz, &t));
}

/* LinkedIn */

static void
test_linkedin_sample (void)
{
  g_autoptr (Result) r
      = import_fixture_ok ("sample-linkedin.csv", TB_FORMAT_LINKEDIN);
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 12);
  g_assert_cmpuint (r->skipped, ==, 0);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Amara Okafor");
  g_assert_cmpstr (c->url, ==,
                   "https://www.linkedin.com/in/amara-okafor-4b1a2");
  g_assert_null (c->email);
  g_assert_cmpstr (c->company, ==, "Northwind Labs");
  g_assert_cmpstr (c->position, ==, "Product Designer");
  g_assert_cmpstr (c->source, ==, "linkedin");
  g_assert_null (c->uid);
  g_assert_cmpint (c->connected_on, ==, local_midnight (2026, 11, 14));
  g_assert_cmpint (c->last_interaction_at, ==, 0);
  g_assert_cmpuint (line_at (r, 0), ==, 5);

  c = contact_at (r, 1);
  g_assert_cmpstr (c->email, ==, "bruno.castell@example.org");
  g_assert_cmpstr (c->position, ==,
                   "Principal Consultant, Business Performance");
  c = contact_at (r, 4);
  g_assert_cmpstr (c->name, ==, "Émilie Durand");
  g_assert_cmpstr (c->company, ==, "Atelier Lumière");
  c = contact_at (r, 8);
  g_assert_cmpstr (c->name, ==, "Ines Ferreira 🌱");
  g_assert_cmpint (c->connected_on, ==, local_midnight (2025, 12, 22));
  c = contact_at (r, 9);
  g_assert_null (c->company);
  g_assert_null (c->position);
  c = contact_at (r, 11);
  g_assert_cmpstr (c->name, ==, "Liam Murphy, PhD");
  g_assert_cmpuint (line_at (r, 11), ==, 16);
}

static void
test_linkedin_current (void)
{
  g_autoptr (Result) r
      = import_fixture_ok ("linkedin-current-bom-crlf.csv", TB_FORMAT_LINKEDIN);
  TbContact *c;

  /* The row without a name is skipped and counted. */
  g_assert_cmpuint (r->contacts->len, ==, 7);
  g_assert_cmpuint (r->skipped, ==, 1);

  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Amara Okafor");
  g_assert_cmpuint (line_at (r, 0), ==, 5);

  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Bruno Castell");
  g_assert_cmpstr (c->url, ==, "https://www.linkedin.com/in/brunocastell");
  g_assert_cmpstr (c->company, ==, "Castell & Filhos");
  g_assert_cmpstr (c->position, ==,
                   "Principal Consultant, Business Performance");
  g_assert_cmpint (c->connected_on, ==, local_midnight (2026, 10, 2));

  c = contact_at (r, 2);
  g_assert_cmpstr (c->name, ==, "Chen Wei");
  g_assert_cmpstr (c->url, ==, "https://www.linkedin.com/in/chen-wei-88");

  c = contact_at (r, 3);
  g_assert_cmpstr (c->name, ==, "Dana The \"Fixer\" Ruiz");
  g_assert_cmpstr (c->company, ==, "Ruiz, Ruiz & \"Partners\"");
  g_assert_cmpstr (c->url, ==, "https://www.linkedin.com/in/dana-ruiz");

  c = contact_at (r, 4);
  g_assert_cmpstr (c->name, ==, "Émilie Durand");
  g_assert_cmpstr (c->url, ==,
                   "https://www.linkedin.com/in/%C3%A9milie-durand");

  /* A field with a line break in it: the record starts on line 10, the
   * next on line 12. */
  c = contact_at (r, 5);
  g_assert_cmpstr (c->name, ==, "Ines Ferreira 🌱");
  g_assert_cmpstr (c->position, ==, "Community Lead Events & Outreach");
  g_assert_cmpint (c->connected_on, ==, local_midnight (2025, 12, 22));
  g_assert_cmpuint (line_at (r, 5), ==, 10);

  c = contact_at (r, 6);
  g_assert_cmpstr (c->name, ==, "Jonas");
  g_assert_cmpuint (line_at (r, 6), ==, 13);
}

static void
test_linkedin_old (void)
{
  g_autoptr (Result) r
      = import_fixture_ok ("linkedin-old.csv", TB_FORMAT_LINKEDIN);
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 3);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Karl Schmidt");
  g_assert_cmpstr (c->email, ==, "karl@example.de");
  g_assert_cmpstr (c->company, ==, "Schmidt GmbH");
  g_assert_cmpstr (c->position, ==, "Geschäftsführer");
  g_assert_null (c->url);
  g_assert_cmpint (c->connected_on, ==, local_midnight (2018, 1, 8));
  c = contact_at (r, 1);
  g_assert_cmpstr (c->position, ==, "Captain, Fleet");
  g_assert_cmpint (c->connected_on, ==, local_midnight (2017, 12, 25));
  c = contact_at (r, 2);
  g_assert_cmpstr (c->email, ==, "MO@Example.COM");
  g_assert_cmpint (c->connected_on, ==, local_midnight (2019, 10, 3));
}

/* Google */

static void
test_google_sample (void)
{
  g_autoptr (Result) r
      = import_fixture_ok ("sample-google.csv", TB_FORMAT_GOOGLE);
  const char *const maya_tags[] = { "friends", NULL };
  const char *const maya_other[] = { "maya.goldberg@sparrow.example", NULL };
  const char *const olu_tags[] = { "family", NULL };
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 3);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Maya Goldberg");
  g_assert_cmpstr (c->company, ==, "Sparrow Media");
  g_assert_cmpstr (c->position, ==, "Editor");
  g_assert_cmpstr (c->birthday, ==, "1988-03-14");
  g_assert_cmpstr (c->note, ==,
                   "Met at the climbing gym.\nWants to start a podcast.");
  g_assert_cmpstr (c->email, ==, "maya@example.org");
  assert_strv (c->other_emails, maya_other);
  assert_strv (c->tags, maya_tags);
  g_assert_cmpstr (c->phone, ==, "+1 555 0100");
  g_assert_cmpstr (c->url, ==, "https://example.org/maya");
  g_assert_cmpstr (c->source, ==, "google");

  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Nikolai Petrov");
  g_assert_cmpstr (c->email, ==, "n.petrov@example.com");
  g_assert_cmpstr (c->phone, ==, "+49 30 1234567");
  g_assert_null (c->tags);
  g_assert_cmpuint (line_at (r, 1), ==, 4);

  c = contact_at (r, 2);
  g_assert_cmpstr (c->birthday, ==, "--07-04");
  assert_strv (c->tags, olu_tags);
}

static void
test_google_current (void)
{
  g_autoptr (Result) r
      = import_fixture_ok ("google-current.csv", TB_FORMAT_GOOGLE);
  const char *const maya_tags[] = { "friends", "starred", NULL };
  const char *const maya_other[] = { "maya@example.org", "mg@sparrow.example",
                                     "maya.old@example.net", NULL };
  const char *const nikolai_tags[] = { "work friends", NULL };
  TbContact *c;

  /* Acme Corp has no name, only an organisation: skipped. */
  g_assert_cmpuint (r->contacts->len, ==, 3);
  g_assert_cmpuint (r->skipped, ==, 1);

  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Maya Goldberg");
  /* The starred label ("* Work") makes the primary address. */
  g_assert_cmpstr (c->email, ==, "maya.goldberg@sparrow.example");
  assert_strv (c->other_emails, maya_other);
  g_assert_cmpstr (c->phone, ==, "+1 555 0100");
  /* A LinkedIn profile wins over another web site. */
  g_assert_cmpstr (c->url, ==, "https://www.linkedin.com/in/maya-goldberg");
  assert_strv (c->tags, maya_tags);
  g_assert_cmpstr (c->birthday, ==, "1988-03-14");

  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Nikolai Ivanovich Petrov");
  g_assert_cmpstr (c->birthday, ==, "--07-04");
  g_assert_cmpstr (c->phone, ==, "+49 30 1234567");
  g_assert_null (c->email);
  g_assert_null (c->other_emails);
  assert_strv (c->tags, nikolai_tags);

  /* Only a nickname; a birthday that does not exist is dropped. */
  c = contact_at (r, 2);
  g_assert_cmpstr (c->name, ==, "Sunny");
  g_assert_null (c->birthday);
  g_assert_cmpstr (c->email, ==, "sunny@example.com");
  g_assert_null (c->tags);
  g_assert_cmpuint (line_at (r, 2), ==, 5);
}

static void
test_google_legacy (void)
{
  g_autoptr (Result) r
      = import_fixture_ok ("google-legacy.csv", TB_FORMAT_GOOGLE);
  const char *const olu_other[]
      = { "olu@adeyemi-build.example", "olu.a@example.com",
          "adeyemi@example.org", NULL };
  const char *const olu_tags[] = { "family", NULL };
  const char *const paula_tags[] = { "climbing", NULL };
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 2);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Olu Adeyemi");
  g_assert_cmpstr (c->company, ==, "Adeyemi Build");
  g_assert_cmpstr (c->position, ==, "Owner");
  g_assert_cmpstr (c->birthday, ==, "1975-02-28");
  g_assert_cmpstr (c->note, ==, "Builder.\n\nKnows everyone in Lagos.");
  g_assert_cmpstr (c->email, ==, "olu@example.ng");
  assert_strv (c->other_emails, olu_other);
  g_assert_cmpstr (c->phone, ==, "+234 800 000 0000");
  g_assert_cmpstr (c->url, ==, "https://www.adeyemi-build.example");
  assert_strv (c->tags, olu_tags);

  /* No "Name": built from the parts. */
  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Paula Quinn");
  g_assert_cmpstr (c->birthday, ==, "--12-31");
  g_assert_cmpstr (c->email, ==, "paula@example.ie");
  assert_strv (c->tags, paula_tags);
  g_assert_cmpuint (line_at (r, 1), ==, 5);
}

/* vCard */

static void
test_vcard_sample (void)
{
  g_autoptr (Result) r = import_fixture_ok ("sample.vcf", TB_FORMAT_VCARD);
  const char *const priya_other[] = { "priya.r@example.net", NULL };
  const char *const quentin_tags[] = { "cycling", "friends", NULL };
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 2);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->uid, ==, "6f1c3c4e-2a3b-4c5d-8e9f-0a1b2c3d4e5f");
  g_assert_cmpstr (c->name, ==, "Priya Raman");
  g_assert_cmpstr (c->company, ==, "Helix, Inc.");
  g_assert_cmpstr (c->position, ==, "Engineering Manager");
  g_assert_cmpstr (c->email, ==, "priya@helix.example");
  assert_strv (c->other_emails, priya_other);
  g_assert_cmpstr (c->phone, ==, "+44 7700 900123");
  g_assert_cmpstr (c->birthday, ==, "1985-11-02");
  g_assert_cmpstr (c->url, ==, "https://www.linkedin.com/in/priya-raman");
  g_assert_cmpstr (c->note, ==,
                   "Mentor at the meetup. Looking for a co-founder with a "
                   "sales background; loves hiking.");
  g_assert_cmpstr (c->source, ==, "vcard");
  g_assert_cmpuint (line_at (r, 0), ==, 1);

  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Quentin Moreau");
  g_assert_cmpstr (c->url, ==, "https://quentin.example.com");
  g_assert_cmpstr (c->birthday, ==, "--06-12");
  assert_strv (c->tags, quentin_tags);
  g_assert_cmpuint (line_at (r, 1), ==, 16);
}

static void
test_vcard_21 (void)
{
  g_autoptr (Result) r = import_fixture_ok ("vcard-21.vcf", TB_FORMAT_VCARD);
  const char *const other[] = { "r.svensson@work.example", NULL };
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 2);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->name, ==, "Ragnar Svensson");
  g_assert_cmpstr (c->email, ==, "ragnar@example.se");
  assert_strv (c->other_emails, other);
  g_assert_cmpstr (c->phone, ==, "+46 8 123 456");
  g_assert_cmpstr (c->company, ==, "Nordic Sails");
  g_assert_cmpstr (c->position, ==, "Rigger");
  g_assert_cmpstr (c->birthday, ==, "1985-11-02");
  g_assert_cmpstr (c->note, ==,
                   "Sails every summer.\r\nBrings kanelbullar à la maison.");
  g_assert_null (c->uid);

  /* No FN: the name comes from N. */
  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Jürgen Müller");
  g_assert_cmpstr (c->phone, ==, "+49 89 555");
  g_assert_cmpstr (c->birthday, ==, "--06-12");
  g_assert_cmpstr (c->note, ==, "Grüße aus München");
}

static void
test_vcard_30 (void)
{
  g_autoptr (Result) r = import_fixture_ok ("vcard-30.vcf", TB_FORMAT_VCARD);
  const char *const other[]
      = { "tomas@obrien.example", "tomas.personal@example.com", NULL };
  const char *const tags[] = { "logistics", "friends, close", "friends", NULL };
  TbContact *c;

  /* The third card has no name at all. */
  g_assert_cmpuint (r->contacts->len, ==, 2);
  g_assert_cmpuint (r->skipped, ==, 1);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->uid, ==, "google-contact-12345");
  g_assert_cmpstr (c->name, ==, "Tomás O'Brien");
  g_assert_cmpstr (c->company, ==, "O'Brien, Sons ; Daughters");
  g_assert_cmpstr (c->position, ==, "Head of Logistics");
  g_assert_cmpstr (c->email, ==, "Tomas.OBrien@Mail.Example");
  assert_strv (c->other_emails, other);
  g_assert_cmpstr (c->phone, ==, "+353 87 123 4567");
  g_assert_cmpstr (c->url, ==, "https://www.linkedin.com/in/tom%C3%A1s-obrien");
  g_assert_cmpstr (c->birthday, ==, "--06-12");
  assert_strv (c->tags, tags);
  g_assert_cmpstr (c->note, ==,
                   "Line one\nLine two, with comma; and semicolon. A long "
                   "note that is folded over\tthree lines by its writer, "
                   "with a tab fold.");

  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Zofia Maria Kowalski");
  g_assert_cmpstr (c->email, ==, "zofia@example.pl");
  g_assert_cmpuint (line_at (r, 1), ==, 329);
}

/* Apple and CardBook: 1604 is "no year"; \" is a quote. */
static void
test_vcard_apple (void)
{
  g_autoptr (Result) r = import_fixture_ok ("apple-30.vcf", TB_FORMAT_VCARD);

  g_assert_cmpuint (r->contacts->len, ==, 3);
  g_assert_cmpstr (contact_at (r, 0)->birthday, ==, "--03-14");
  g_assert_cmpstr (contact_at (r, 0)->company, ==, "Atelier \"Azul\"");
  g_assert_cmpstr (contact_at (r, 1)->birthday, ==, "--01-01");
  g_assert_cmpstr (contact_at (r, 2)->birthday, ==, "1991-07-09");
}

static void
test_outlook_thunderbird (void)
{
  g_autoptr (Result) o = import_fixture_ok ("outlook.csv", TB_FORMAT_OUTLOOK);
  g_autoptr (Result) t
      = import_fixture_ok ("thunderbird.csv", TB_FORMAT_THUNDERBIRD);

  g_assert_cmpuint (o->contacts->len, ==, 2);
  g_assert_cmpuint (o->skipped, ==, 1);
  g_assert_cmpstr (contact_at (o, 0)->birthday, ==, "1988-03-14");
  g_assert_cmpstr (contact_at (o, 0)->phone, ==, "+34 600 123 456");
  g_assert_cmpstr (contact_at (o, 0)->url, ==,
                   "https://www.iberia-freight.example");
  /* The Exchange path is not an address; the second column is. */
  g_assert_cmpstr (contact_at (o, 1)->email, ==, "tom@whitfield.example");
  g_assert_null (contact_at (o, 1)->birthday);

  g_assert_cmpuint (t->contacts->len, ==, 3);
  g_assert_cmpuint (t->skipped, ==, 1);
  g_assert_cmpstr (contact_at (t, 0)->name, ==, "Elif Demir");
  g_assert_cmpstr (contact_at (t, 0)->phone, ==, "+90 532 000 11 22");
  g_assert_cmpstr (contact_at (t, 2)->name, ==, "Jonas Weber");
  g_assert_cmpstr (contact_at (t, 2)->birthday, ==, "--11-02");
}

static void
test_vcard_40 (void)
{
  g_autoptr (Result) r = import_fixture_ok ("vcard-40.vcf", TB_FORMAT_VCARD);
  const char *const other[] = { "yuki@sato.example", NULL };
  const char *const tags[] = { "design", NULL };
  TbContact *c;

  g_assert_cmpuint (r->contacts->len, ==, 2);
  c = contact_at (r, 0);
  g_assert_cmpstr (c->uid, ==, "6f1c3c4e-2a3b-4c5d-8e9f-0a1b2c3d4e5f");
  g_assert_cmpstr (c->name, ==, "Yuki Sato");
  g_assert_cmpstr (c->email, ==, "yuki.home@example.jp");
  assert_strv (c->other_emails, other);
  g_assert_cmpstr (c->phone, ==, "+81-90-1234-5678");
  g_assert_cmpstr (c->url, ==, "https://sato.example");
  g_assert_cmpstr (c->birthday, ==, "--06-12");
  g_assert_cmpstr (c->company, ==, "Sato Design");
  g_assert_cmpstr (c->note, ==, "Likes 🍣 and jazz.");
  assert_strv (c->tags, tags);

  /* A date-time BDAY on a day that does not exist is passed over; the
   * next one that can be read counts. */
  c = contact_at (r, 1);
  g_assert_cmpstr (c->name, ==, "Zoë Ångström");
  g_assert_cmpstr (c->birthday, ==, "1992-02-29");
  g_assert_cmpuint (line_at (r, 1), ==, 15);
}

/* Errors */

static void
test_errors (void)
{
  static const struct
  {
    const char *file;
    TbImportFormat format;
    const char *where;
    const char *problem;
  } cases[] = {
    { "bad-unterminated-quote.csv", TB_FORMAT_UNKNOWN,
      "bad-unterminated-quote.csv:3:", "unterminated quoted field" },
    { "bad-invalid-utf8.csv", TB_FORMAT_UNKNOWN,
      "bad-invalid-utf8.csv:5:", "invalid UTF-8" },
    { "bad-missing-end.vcf", TB_FORMAT_UNKNOWN,
      "bad-missing-end.vcf:8:", "started on line 5" },
    { "bad-truncated.vcf", TB_FORMAT_UNKNOWN,
      "bad-truncated.vcf:6:", "no END:VCARD" },
    { "bad-garbage.vcf", TB_FORMAT_UNKNOWN,
      "bad-garbage.vcf:5:", "outside a card" },
    { "bad-nul.vcf", TB_FORMAT_UNKNOWN, "bad-nul.vcf:5:", "a NUL byte" },
    { "bad-invalid-utf8.vcf", TB_FORMAT_UNKNOWN,
      "bad-invalid-utf8.vcf:7:", "invalid UTF-8" },
    { "bad-unknown.txt", TB_FORMAT_UNKNOWN,
      "bad-unknown.txt:", "unknown format" },
    { "empty.csv", TB_FORMAT_UNKNOWN, "empty.csv:", "empty" },
    /* A format given that the content does not match. */
    { "sample-linkedin.csv", TB_FORMAT_GOOGLE,
      "sample-linkedin.csv:", "no Google Contacts header" },
    { "sample.vcf", TB_FORMAT_LINKEDIN, "sample.vcf:", "no LinkedIn header" },
    { "sample-google.csv", TB_FORMAT_VCARD,
      "sample-google.csv:1:", "expected BEGIN:VCARD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (Result) r = NULL;

      g_test_message ("%s", cases[i].file);
      r = import_fixture (cases[i].file, cases[i].format, &error);
      g_assert_null (r);
      assert_parse_error (error, cases[i].where, cases[i].problem);
    }
}

static void
test_json_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Result) r
      = import_fixture ("backup.json", TB_FORMAT_UNKNOWN, &error);

  g_assert_null (r);
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "backup.json:"));
}

static gboolean
stop_at_second (TbContact *contact, guint line, gpointer user_data,
                GError **error)
{
  guint *count = user_data;

  tb_contact_free (contact);
  if (++*count == 2)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_STORAGE, "disk full");
      return FALSE;
    }
  return TRUE;
}

static void
test_callback_error (void)
{
  g_autoptr (GInputStream) stream = fixture_stream ("sample-linkedin.csv");
  g_autoptr (GError) error = NULL;
  guint count = 0;

  g_assert_false (tb_import_read (stream, TB_FORMAT_UNKNOWN, "x.csv",
                                  stop_at_second, &count, NULL, NULL, NULL,
                                  &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_STORAGE);
  g_assert_cmpuint (count, ==, 2);
}

/* Detection reads from a pipe in small pieces too. */
static void
test_small_reads (void)
{
  g_autofree char *path = g_test_build_filename (
      G_TEST_DIST, "data", "import", "linkedin-current-bom-crlf.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (Result) r = NULL;
  gsize len = 0;
  GInputStream *memory = g_memory_input_stream_new ();

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* Chunks of 7 bytes: each read returns at most one chunk. */
  for (gsize i = 0; i < len; i += 7)
    g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (memory),
                                    g_memdup2 (contents + i, MIN (7, len - i)),
                                    MIN (7, len - i), g_free);
  stream = memory;
  r = import_stream (stream, TB_FORMAT_UNKNOWN, "pipe", &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->format, ==, TB_FORMAT_LINKEDIN);
  g_assert_cmpuint (r->contacts->len, ==, 7);
}

int
main (int argc, char **argv)
{
  /* Connected On is local midnight: pin the zone. */
  g_setenv ("TZ", "America/New_York", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/basic", test_csv_basic);
  g_test_add_func ("/csv/quoted", test_csv_quoted);
  g_test_add_func ("/csv/line-ends", test_csv_line_ends);
  g_test_add_func ("/csv/bom", test_csv_bom);
  g_test_add_func ("/csv/buffer-boundary", test_csv_buffer_boundary);
  g_test_add_func ("/csv/unterminated-quote", test_csv_unterminated);
  g_test_add_func ("/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/csv/too-long", test_csv_too_long);
  g_test_add_func ("/vcard/unescape", test_vcard_unescape);
  g_test_add_func ("/vcard/syntax", test_vcard_syntax);
  g_test_add_func ("/vcard/syntax-2.1", test_vcard_21_syntax);
  g_test_add_func ("/vcard/errors", test_vcard_errors);
  g_test_add_func ("/vcard/repairs", test_vcard_repairs);
  g_test_add_func ("/vcard/long-photo-line", test_vcard_long_photo_line);
  g_test_add_func ("/import/detect", test_detect);
  g_test_add_func ("/import/format-strings", test_format_strings);
  g_test_add_func ("/import/url", test_url_normalize);
  g_test_add_func ("/import/email-key", test_email_key);
  g_test_add_func ("/import/phone-key", test_phone_key);
  g_test_add_func ("/import/connected-on", test_connected_on);
  g_test_add_func ("/import/linkedin/sample", test_linkedin_sample);
  g_test_add_func ("/import/linkedin/current", test_linkedin_current);
  g_test_add_func ("/import/linkedin/old", test_linkedin_old);
  g_test_add_func ("/import/google/sample", test_google_sample);
  g_test_add_func ("/import/google/current", test_google_current);
  g_test_add_func ("/import/google/legacy", test_google_legacy);
  g_test_add_func ("/import/vcard/sample", test_vcard_sample);
  g_test_add_func ("/import/vcard/2.1", test_vcard_21);
  g_test_add_func ("/import/vcard/3.0", test_vcard_30);
  g_test_add_func ("/import/vcard/4.0", test_vcard_40);
  g_test_add_func ("/import/vcard/apple", test_vcard_apple);
  g_test_add_func ("/import/outlook-thunderbird", test_outlook_thunderbird);
  g_test_add_func ("/import/errors", test_errors);
  g_test_add_func ("/import/json-refused", test_json_refused);
  g_test_add_func ("/import/callback-error", test_callback_error);
  g_test_add_func ("/import/small-reads", test_small_reads);
  g_test_add_func ("/import/constant-memory", test_import_constant_memory);

  return g_test_run ();
}
