/* test-zip.c — LinkedIn's data export as it arrives: Connections.csv
 * read out of the ZIP (tb-zip.c) and imported (tb_import_read), and the
 * archives that must be refused with a clear message.
 *
 * The archives are made at build time by tests/data/import/linkedin_zip.py
 * with Python's zipfile, as LinkedIn makes them (deflate).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-error.h"
#include "tb-import.h"
#include "tb-zip.h"

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "unit", "linkedin-zips", name,
                                NULL);
}

static GInputStream *
fixture_stream (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GFileInputStream *stream = g_file_read (file, NULL, &error);

  g_assert_no_error (error);
  return G_INPUT_STREAM (stream);
}

static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* All of @stream, or NULL with @error. */
static GBytes *
read_all (GInputStream *stream, GError **error)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error)
      < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

typedef struct
{
  GPtrArray *names; /* (owned) */
  TbImportFormat format;
} Imported;

static gboolean
collect (TbContact *contact, guint line, gpointer user_data, GError **error)
{
  Imported *imported = user_data;

  g_assert_cmpstr (contact->source, ==, "linkedin");
  g_ptr_array_add (imported->names, g_strdup (contact->name));
  tb_contact_free (contact);
  return TRUE;
}

/* tb_import_read of the fixture @name; the contacts' names, or NULL and
 * @error. */
static GPtrArray *
import_fixture (const char *name, TbImportFormat format, GError **error)
{
  g_autoptr (GInputStream) stream = fixture_stream (name);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  Imported imported = { names, TB_FORMAT_UNKNOWN };

  if (!tb_import_read (stream, format, name, collect, &imported,
                       &imported.format, NULL, NULL, error))
    return NULL;
  g_assert_cmpint (imported.format, ==, TB_FORMAT_LINKEDIN);
  return g_steal_pointer (&names);
}

static void
assert_linkedin_names (GPtrArray *names)
{
  static const char *const expected[] = {
    "Amara Okafor",    "Bruno Castell",    "Émilie Durand",
    "Ines Ferreira 🌱", "Liam Murphy, PhD",
  };

  g_assert_nonnull (names);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected[i]);
}

static void
test_magic (void)
{
  g_autoptr (GBytes) zip = fixture_bytes ("basic.zip");
  g_autoptr (GBytes) empty = fixture_bytes ("empty.zip");
  g_autoptr (GBytes) csv = fixture_bytes ("Connections.csv");
  gsize len;
  const char *data = g_bytes_get_data (zip, &len);

  g_assert_true (tb_zip_has_magic (data, len));
  g_assert_false (tb_zip_has_magic (data, 3));
  data = g_bytes_get_data (empty, &len);
  g_assert_true (tb_zip_has_magic (data, len));
  data = g_bytes_get_data (csv, &len);
  g_assert_false (tb_zip_has_magic (data, len));
  g_assert_false (tb_zip_has_magic ("PK\003", 3));
  g_assert_false (tb_zip_has_magic ("PK\007\010", 4));

  /* Detection names the format of what is inside. */
  data = g_bytes_get_data (zip, &len);
  g_assert_cmpint (tb_import_detect (data, MIN (len, TB_IMPORT_DETECT_BYTES)),
                   ==, TB_FORMAT_LINKEDIN);
}

/* The entry comes out byte for byte, from wherever it is in the archive
 * and however the archive was written. */
static void
test_entry_bytes (void)
{
  static const struct
  {
    const char *zip;
    const char *path;
  } cases[] = {
    { "basic.zip", "Connections.csv" },
    { "streamed.zip", "Connections.csv" },
    { "complete.zip",
      "Complete_LinkedInDataExport_12-01-2026/Connections.csv" },
  };
  g_autoptr (GBytes) expected = fixture_bytes ("Connections.csv");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GInputStream) archive = fixture_stream (cases[i].zip);
      g_autoptr (GInputStream) entry = NULL;
      g_autoptr (GBytes) got = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;

      entry = tb_zip_open_entry (archive, "connections.CSV", G_MAXUINT64,
                                 cases[i].zip, &path, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (path, ==, cases[i].path);
      got = read_all (entry, &error);
      g_assert_no_error (error);
      if (i < 2)
        g_assert_true (g_bytes_equal (got, expected));
      else
        /* The complete one has the BOM and CRLF variant. */
        g_assert_true (g_str_has_prefix (g_bytes_get_data (got, NULL),
                                         "\xef\xbb\xbfNotes:\r\n"));
    }
}

static void
test_import (void)
{
  static const char *const zips[] = {
    "basic.zip",
    "basic-bom-crlf.zip",
    "complete.zip",
    "streamed.zip",
  };

  for (guint i = 0; i < G_N_ELEMENTS (zips); i++)
    {
      g_autoptr (GPtrArray) names = NULL;
      g_autoptr (GError) error = NULL;

      names = import_fixture (zips[i], TB_FORMAT_UNKNOWN, &error);
      g_assert_no_error (error);
      assert_linkedin_names (names);
      g_clear_pointer (&names, g_ptr_array_unref);
      names = import_fixture (zips[i], TB_FORMAT_LINKEDIN, &error);
      g_assert_no_error (error);
      assert_linkedin_names (names);
    }
}

static void
test_no_connections (void)
{
  static const char *const zips[] = { "no-connections.zip", "empty.zip" };

  for (guint i = 0; i < G_N_ELEMENTS (zips); i++)
    {
      g_autoptr (GInputStream) archive = fixture_stream (zips[i]);
      g_autoptr (GInputStream) entry = NULL;
      g_autoptr (GPtrArray) names = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *want = NULL;

      entry = tb_zip_open_entry (archive, "Connections.csv", G_MAXUINT64,
                                 zips[i], NULL, NULL, &error);
      g_assert_null (entry);
      g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
      g_clear_error (&error);

      names = import_fixture (zips[i], TB_FORMAT_UNKNOWN, &error);
      g_assert_null (names);
      g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
      want = g_strdup_printf ("%s: this ZIP archive holds no Connections.csv: "
                              "is it a LinkedIn data export?",
                              zips[i]);
      g_assert_cmpstr (error->message, ==, want);
    }
}

/* A download cut short, or bytes changed in the compressed data: an
 * error that names the file and says what is wrong, after no more than
 * the records before the damage. */
static void
test_damaged (void)
{
  static const struct
  {
    const char *zip;
    const char *problem;
  } cases[] = {
    { "truncated.zip", "/Connections.csv: the ZIP archive ends too early" },
    { "damaged.zip", "/Connections.csv: the ZIP archive is damaged" },
    /* Damage in the last entry is not mistaken for a short file. */
    { "damaged-last.zip", "/Connections.csv: the ZIP archive is damaged" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) names = NULL;
      g_autoptr (GError) error = NULL;

      names = import_fixture (cases[i].zip, TB_FORMAT_UNKNOWN, &error);
      g_assert_null (names);
      g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].zip));
      g_assert_nonnull (strstr (error->message, cases[i].problem));
    }

  /* Cut before Connections.csv begins: the headers fail. */
  {
    g_autoptr (GBytes) zip = fixture_bytes ("basic.zip");
    g_autoptr (GBytes) cut = g_bytes_new_from_bytes (zip, 0, 200);
    g_autoptr (GInputStream) stream = NULL;
    g_autoptr (GError) error = NULL;
    Imported imported = { g_ptr_array_new_with_free_func (g_free), 0 };

    stream = g_memory_input_stream_new_from_bytes (cut);
    g_assert_false (tb_import_read (stream, TB_FORMAT_UNKNOWN, "cut.zip",
                                    collect, &imported, NULL, NULL, NULL,
                                    &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (
        error->message, "cut.zip: the ZIP archive ends too early ("));
    g_assert_cmpuint (imported.names->len, ==, 0);
    g_ptr_array_unref (imported.names);
  }

  /* The magic and nothing after it. */
  {
    g_autoptr (GInputStream) stream = NULL;
    g_autoptr (GError) error = NULL;
    Imported imported = { g_ptr_array_new_with_free_func (g_free), 0 };

    stream
        = g_memory_input_stream_new_from_data ("PK\003\004garbage", 11, NULL);
    g_assert_false (tb_import_read (stream, TB_FORMAT_UNKNOWN, "junk.zip",
                                    collect, &imported, NULL, NULL, NULL,
                                    &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "junk.zip: "));
    g_ptr_array_unref (imported.names);
  }
}

/* The bound on the inflated size: at once when the header says the size,
 * while reading when the sizes follow the data. */
static void
test_too_large (void)
{
  static const char *const zips[] = { "basic.zip", "streamed.zip" };
  g_autoptr (GBytes) expected = fixture_bytes ("Connections.csv");
  guint64 limit = g_bytes_get_size (expected) - 1;

  for (guint i = 0; i < G_N_ELEMENTS (zips); i++)
    {
      g_autoptr (GInputStream) archive = fixture_stream (zips[i]);
      g_autoptr (GInputStream) entry = NULL;
      g_autoptr (GBytes) got = NULL;
      g_autoptr (GError) error = NULL;

      entry = tb_zip_open_entry (archive, "Connections.csv", limit, zips[i],
                                 NULL, NULL, &error);
      if (entry != NULL)
        {
          g_assert_cmpstr (zips[i], ==, "streamed.zip");
          got = read_all (entry, &error);
          g_assert_null (got);
        }
      g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, zips[i]));
      g_assert_nonnull (strstr (error->message, "/Connections.csv: unpacks "
                                                "to more than"));
    }

  /* Exactly at the limit is fine. */
  {
    g_autoptr (GInputStream) archive = fixture_stream ("streamed.zip");
    g_autoptr (GInputStream) entry = NULL;
    g_autoptr (GBytes) got = NULL;
    g_autoptr (GError) error = NULL;

    entry = tb_zip_open_entry (archive, "Connections.csv", limit + 1,
                               "streamed.zip", NULL, NULL, &error);
    g_assert_no_error (error);
    got = read_all (entry, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (got, expected));
  }
}

static void
test_other_format_refused (void)
{
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GError) error = NULL;

  names = import_fixture ("basic.zip", TB_FORMAT_VCARD, &error);
  g_assert_null (names);
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "basic.zip: a ZIP archive is read as a LinkedIn data "
                   "export, not as vcard");
}

/* A CSV error inside the archive names the entry and its line. */
static void
test_error_names_the_entry (void)
{
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GError) error = NULL;

  names = import_fixture ("bad-csv.zip", TB_FORMAT_UNKNOWN, &error);
  g_assert_null (names);
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message,
                                   "bad-csv.zip/Folder/Connections.csv:6: "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zip/magic", test_magic);
  g_test_add_func ("/zip/entry-bytes", test_entry_bytes);
  g_test_add_func ("/zip/import", test_import);
  g_test_add_func ("/zip/no-connections", test_no_connections);
  g_test_add_func ("/zip/damaged", test_damaged);
  g_test_add_func ("/zip/too-large", test_too_large);
  g_test_add_func ("/zip/other-format-refused", test_other_format_refused);
  g_test_add_func ("/zip/error-names-the-entry", test_error_names_the_entry);
  return g_test_run ();
}
