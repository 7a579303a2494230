/* test-export.c — vCard and CSV formatting, merge decisions, and the
 * JSON backup round trip through a real store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-backup.h"
#include "tb-error.h"
#include "tb-export-contacts.h"
#include "tb-importer.h"
#include "tb-keys.h"
#include "tb-store.h"
#include "tb-test-util.h"

static TbContact *
sample (void)
{
  TbContact *c = tb_contact_new ();

  c->id = 7;
  c->uid = g_strdup ("6F1C3C4E-2A3B-4C5D-8E9F-0A1B2C3D4E5F");
  c->name = g_strdup ("Dana The \"Fixer\" Ruiz");
  c->email = g_strdup ("dana@example.org");
  c->company = g_strdup ("Ruiz, Ruiz; Partners");
  c->note = g_strdup ("Line one\nline two with a back\\slash");
  c->birthday = g_strdup ("--07-04");
  c->source = g_strdup ("linkedin");
  c->tags = g_strsplit ("friends, close;work", ";", -1);
  c->effective_interval = 45 * 86400;
  return c;
}

static void
test_vcard_card (void)
{
  g_autoptr (TbContact) c = sample ();
  g_autofree char *card = NULL;

  card = tb_export_vcard_card (c);
  g_assert_true (g_str_has_prefix (card, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  g_assert_true (g_str_has_suffix (card, "END:VCARD\r\n"));
  g_assert_nonnull (strstr (
      card, "\r\nUID:urn:uuid:6f1c3c4e-2a3b-4c5d-8e9f-0a1b2c3d4e5f\r\n"));
  g_assert_nonnull (strstr (card, "\r\nFN:Dana The \"Fixer\" Ruiz\r\n"));
  g_assert_nonnull (strstr (card, "\r\nN:Ruiz;Dana The \"Fixer\";;;\r\n"));
  g_assert_nonnull (strstr (card, "\r\nORG:Ruiz\\, Ruiz\\; Partners\r\n"));
  g_assert_nonnull (
      strstr (card, "\r\nNOTE:Line one\\nline two with a back\\\\slash\r\n"));
  g_assert_nonnull (strstr (card, "\r\nBDAY:--0704\r\n"));
  g_assert_nonnull (strstr (card, "\r\nCATEGORIES:friends\\, close,work\r\n"));
  /* No bare LF anywhere. */
  for (const char *p = card; *p; p++)
    if (*p == '\n')
      g_assert_cmpint (p[-1], ==, '\r');
}

static void
test_vcard_folding (void)
{
  g_autoptr (TbContact) c = sample ();
  g_autofree char *card = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) unfolded = g_string_new (NULL);

  g_free (c->note);
  /* 3-byte characters: a fold must never split one. */
  {
    g_autofree char *xs = g_strnfill (100, 'x');

    c->note
        = g_strconcat (xs, "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€", NULL);
  }
  card = tb_export_vcard_card (c);
  lines = g_strsplit (card, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      if (g_str_has_prefix (lines[i], "NOTE:"))
        g_string_append (unfolded, lines[i]);
      else if (unfolded->len > 0 && lines[i][0] == ' ')
        g_string_append (unfolded, lines[i] + 1);
      else if (unfolded->len > 0)
        break;
    }
  g_assert_cmpstr (unfolded->str + strlen ("NOTE:"), ==, c->note);
}

/* The N the card carries for touchbase's one name: suffixes after a
 * comma, titles, "Family, Given" and family-name particles. */
static void
test_vcard_structured_name (void)
{
  static const struct
  {
    const char *name;
    const char *n;
  } cases[] = {
    { "José Ñúñez, Jr.", "N:Ñúñez;José;;;Jr." },
    { "José Ñúñez, Jr., PhD", "N:Ñúñez;José;;;Jr.,PhD" },
    { "Ñúñez, José", "N:Ñúñez;José;;;" },
    { "Dr. Ana Maria Silva", "N:Silva;Ana Maria;;Dr.;" },
    { "Martin Luther King Jr.", "N:King;Martin Luther;;;Jr." },
    { "Ludwig van Beethoven", "N:van Beethoven;Ludwig;;;" },
    { "Van Morrison", "N:Morrison;Van;;;" },
    { "Cher", "N:;Cher;;;" },
    { "Jr.", "N:;Jr.;;;" },
    { "a;b c", "N:c;a\\;b;;;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TbContact) c = tb_contact_new ();
      g_autofree char *card = NULL;
      g_autofree char *line = g_strconcat ("\r\n", cases[i].n, "\r\n", NULL);

      c->name = g_strdup (cases[i].name);
      card = tb_export_vcard_card (c);
      if (strstr (card, line) == NULL)
        g_error ("%s: expected %s in\n%s", cases[i].name, cases[i].n, card);
    }
}

/* A ';' or '\' inside a tag is escaped, so the field splits back into the
 * same tags. */
static void
test_csv_tags (void)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *row = NULL;

  c->id = 1;
  c->name = g_strdup ("Ann");
  c->tags = g_strsplit ("a;b|c\\d|e", "|", -1);
  row = tb_export_csv_row (c, utc);
  g_assert_cmpstr (row, ==, "1,Ann,,,,,,a\\;b;c\\\\d;e,,,,,,\r\n");
}

static void
test_csv_row (void)
{
  g_autoptr (TbContact) c = sample ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *row = NULL;

  c->phone = g_strdup ("+33 6 12 34 56 78");
  c->position = g_strdup ("=HYPERLINK(\"x\")");
  c->connected_on = 1790899200; /* 2026-10-02 */
  row = tb_export_csv_row (c, utc);
  g_assert_cmpstr (row, ==,
                   "7,\"Dana The \"\"Fixer\"\" Ruiz\",dana@example.org,"
                   "+33 6 12 34 56 78,,\"Ruiz, Ruiz; Partners\","
                   "\"'=HYPERLINK(\"\"x\"\")\",\"friends, close;work\",45,,,,"
                   "2026-10-02,linkedin\r\n");
  g_assert_true (g_str_has_prefix (tb_export_csv_header, "id,name,email,"));
}

static void
test_merge (void)
{
  g_autoptr (TbContact) existing = tb_contact_new ();
  g_autoptr (TbContact) in = tb_contact_new ();
  g_autoptr (TbContact) values = tb_contact_new ();
  g_autoptr (TbContact) values2 = tb_contact_new ();
  TbFieldMask mask;

  existing->name = g_strdup ("Bruno C.");
  existing->email = g_strdup ("Bruno@Example.org");
  existing->url = g_strdup ("https://pt.linkedin.com/in/BrunoCastell/");
  existing->note = g_strdup ("mine");
  existing->tags = g_strsplit ("friends", ",", -1);
  in->name = g_strdup ("Bruno Castell");
  in->email = g_strdup ("other@example.org");
  in->other_emails = g_strsplit ("bruno@example.org", ",", -1);
  in->url = g_strdup ("https://www.linkedin.com/in/brunocastell");
  in->note = g_strdup ("theirs");
  in->company = g_strdup ("Castell");
  in->tags = g_strsplit ("Friends,work,work", ",", -1);

  mask = tb_store_merge_import (existing, in, values);
  /* Name, note, email (known as another address) and url (same
   * profile) stay; the company is new; one tag is added, once. */
  g_assert_cmpint (mask, ==, TB_FIELD_COMPANY | TB_FIELD_TAGS);
  g_assert_cmpstr (values->company, ==, "Castell");
  g_assert_cmpuint (g_strv_length (values->tags), ==, 2);
  g_assert_cmpstr (values->tags[1], ==, "work");

  /* The merged contact merges to nothing. */
  g_free (existing->company);
  existing->company = g_strdup ("Castell");
  g_strfreev (existing->tags);
  existing->tags = g_strsplit ("friends,work", ",", -1);
  g_assert_cmpint (tb_store_merge_import (existing, in, values2), ==, 0);
}

static void
test_url_key_fast_path (void)
{
  /* Plain LinkedIn URLs skip the URI parser: they must get what the
   * parser would give (a trailing slash forces the slow path). */
  const char *const urls[] = {
    "https://www.linkedin.com/in/amara-okafor-4b1a2",
    "https://www.linkedin.com/in/Dana-Ruiz",
    "https://www.linkedin.com/in/x_y",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *slow = g_strconcat (urls[i], "/", NULL);
      g_autofree char *a = tb_url_key (urls[i]);
      g_autofree char *b = tb_url_key (slow);
      g_autofree char *na = tb_url_normalize (urls[i]);
      g_autofree char *nb = tb_url_normalize (slow);

      g_assert_cmpstr (a, ==, b);
      g_assert_cmpstr (na, ==, nb);
      g_assert_cmpstr (na, ==, urls[i]);
    }
}

static TbStore *
open_store (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  TbStore *store = tb_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static GBytes *
backup (TbStore *store)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_assert_true (tb_backup_write (store, out, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_bulk_inner_failure (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tb-test-bulk-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "t.db", NULL);
  g_autoptr (TbStore) store = tb_store_open (path, &error);
  g_autoptr (TbContact) c = tb_contact_new ();
  TbStoreCounts counts;

  /* Without savepoints, an inner rollback must sink the whole
   * transaction: its commit is refused and nothing stays. */
  g_assert_no_error (error);
  c->name = g_strdup ("Ana");
  g_assert_true (tb_store_begin (store, &error));
  g_assert_true (tb_store_set_bulk (store, TRUE, NULL));
  g_assert_cmpint (tb_store_add_contact (store, c, TRUE, 1790000000, &error), >,
                   0);
  g_assert_true (tb_store_begin (store, &error));
  tb_store_rollback (store);
  g_assert_true (tb_store_set_bulk (store, FALSE, NULL));
  g_assert_false (tb_store_commit (store, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_true (tb_store_get_counts (store, 1790000000, &counts, &error));
  g_assert_cmpint (counts.contacts, ==, 0);

  g_clear_pointer (&store, tb_store_free);
  tb_test_remove_tree (dir);
}

static void
test_backup_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tb-test-export-XXXXXX", &error);
  g_autofree char *csv = NULL;
  g_autoptr (TbStore) a = open_store (dir, "a.db");
  g_autoptr (TbStore) b = open_store (dir, "b.db");
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) second = NULL;
  g_autoptr (GBytes) again = NULL;
  TbImportOptions opts = { 0 };
  g_auto (TbImportResult) result = { 0 };
  guint n = 0;

  csv = g_test_build_filename (G_TEST_DIST, "data", "import",
                               "google-current.csv", NULL);
  {
    g_autoptr (GFile) file = g_file_new_for_path (csv);
    g_autoptr (GInputStream) stream
        = G_INPUT_STREAM (g_file_read (file, NULL, &error));

    opts.now = 1790000000;
    opts.filename = "google-current.csv";
    g_assert_true (tb_importer_run (a, stream, &opts, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.added, ==, 3);
  }
  g_assert_cmpint (tb_store_log_interaction (a, 1, TB_KIND_COFFEE, 1789000000,
                                             "a \"note\"", 1790000000, &error),
                   >, 0);
  g_assert_cmpint (
      tb_store_add_follow_up (a, 2, 1791000000, "call", 1790000000, &error), >,
      0);
  g_assert_true (tb_store_set_state_int (a, "alerts.count", 3, &error));
  first = backup (a);

  in = g_memory_input_stream_new_from_bytes (first);
  g_assert_true (tb_backup_restore (b, in, "backup.json", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  second = backup (b);
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first),
                   g_bytes_get_data (second, NULL), g_bytes_get_size (second));
  /* The restored contacts are in the search index, as the imported ones
   * were. */
  for (gint64 id = 1; id <= 3; id++)
    {
      g_autoptr (TbContact) c = tb_store_get_contact (b, id, &error);
      g_autoptr (GPtrArray) found = NULL;
      guint total = 0;

      g_assert_no_error (error);
      found = tb_store_search (b, c->name, 20, &total, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (total, >=, 1);
      g_assert_cmpint (((TbContact *) found->pdata[0])->id, ==, id);
    }

  /* Not into a database with contacts; nothing changes. */
  g_clear_object (&in);
  in = g_memory_input_stream_new_from_bytes (first);
  g_assert_false (tb_backup_restore (b, in, "backup.json", NULL, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  again = backup (b);
  g_assert_true (g_bytes_equal (again, second));

  g_clear_pointer (&a, tb_store_free);
  g_clear_pointer (&b, tb_store_free);
  tb_test_remove_tree (dir);
}

/* A backup's tags come back as keys, once, whatever touchbase wrote
 * them. */
static void
test_backup_restore_folds_tags (void)
{
  static const char doc[]
      = "{\"format\": \"touchbase-backup\", \"version\": 1, \"schema\": 2, "
        "\"tables\": {\"contacts\": [{\"id\": 1, \"uid\": \"x\", "
        "\"name\": \"A\", \"effective_interval\": 1, \"created_at\": 1}], "
        "\"contact_tags\": [{\"contact_id\": 1, \"tag\": \"équipe\"}, "
        "{\"contact_id\": 1, \"tag\": \"E\\u0301QUIPE\"}]}}";
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tb-test-tags-XXXXXX", &error);
  g_autoptr (TbStore) store = open_store (dir, "t.db");
  g_autoptr (GInputStream) in
      = g_memory_input_stream_new_from_data (doc, -1, NULL);
  g_autoptr (TbContact) c = NULL;

  g_assert_true (tb_backup_restore (store, in, "backup.json", NULL, &error));
  g_assert_no_error (error);
  c = tb_store_get_contact (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (c->tags), ==, 1);
  g_assert_cmpstr (c->tags[0], ==, "équipe");

  g_clear_pointer (&store, tb_store_free);
  tb_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/vcard/card", test_vcard_card);
  g_test_add_func ("/export/vcard/folding", test_vcard_folding);
  g_test_add_func ("/export/vcard/structured-name", test_vcard_structured_name);
  g_test_add_func ("/export/csv/row", test_csv_row);
  g_test_add_func ("/export/csv/tags", test_csv_tags);
  g_test_add_func ("/import/merge", test_merge);
  g_test_add_func ("/import/url-key-fast-path", test_url_key_fast_path);
  g_test_add_func ("/backup/round-trip", test_backup_round_trip);
  g_test_add_func ("/backup/restore-folds-tags",
                   test_backup_restore_folds_tags);
  g_test_add_func ("/import/bulk-inner-failure", test_bulk_inner_failure);
  return g_test_run ();
}
