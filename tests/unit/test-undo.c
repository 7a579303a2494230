/* test-undo.c — the undo history of the store: each kind of change is
 * taken back to the rows as they were, the backup being the judge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "tb-backup.h"
#include "tb-error.h"
#include "tb-importer.h"
#include "tb-store-undo.h"
#include "tb-test-util.h"

#define NOW ((gint64) 1790000000)

typedef struct
{
  char *dir;
  char *path;
  TbStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tb-undo-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "touchbase.db", NULL);
  f->store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->store, tb_store_free);
  tb_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The whole database as the JSON backup writes it, without the lines of
 * "sequence": undo moves a calendar's SEQUENCE on rather than back. */
static char *
snapshot (Fixture *f)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GString *kept = g_string_new (NULL);

  g_assert_true (tb_backup_write (f->store, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  lines = g_strsplit (
      g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "\"sequence\"") == NULL)
      g_string_append_printf (kept, "%s\n", lines[i]);
  return g_string_free (kept, FALSE);
}

static void
begin (Fixture *f, const char *verb, gint64 contact_id)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
      tb_store_begin_change (f->store, verb, contact_id, NULL, NOW, &error));
  g_assert_no_error (error);
}

static void
end (Fixture *f, gboolean ok)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tb_store_end_change (f->store, ok, &error));
  g_assert_no_error (error);
}

static void
undo (Fixture *f, const char *verb)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbChange) change = tb_store_undo (f->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (change);
  g_assert_cmpstr (change->verb, ==, verb);
}

static gint64
add_contact (Fixture *f, const char *name)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  const char *tags[] = { "friends", "climbing", NULL };
  gint64 id;

  c->name = g_strdup (name);
  c->email = g_strdup_printf ("%s@example.org", name);
  c->tags = g_strdupv ((char **) tags);
  begin (f, "add", 0);
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);
  end (f, TRUE);
  return id;
}

static guint
search_count (Fixture *f, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  guint total = 0;

  found = tb_store_search (f->store, text, 10, &total, &error);
  g_assert_no_error (error);
  return total;
}

/* Every kind of write, one change each; undone newest first, each undo
 * gives back the database as it was before that change. */
static void
test_each_change (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *verbs[]
      = { "add", "log", "edit", "fact", "snooze", "follow-up", "intro", "rm" };
  gint64 ana, bo, fu;

  ana = add_contact (f, "ana");
  bo = add_contact (f, "bo");

  g_ptr_array_add (before, snapshot (f));
  begin (f, "log", ana);
  g_assert_cmpint (tb_store_log_interaction (f->store, ana, TB_KIND_COFFEE,
                                             NOW - 86400, "seed round", NOW,
                                             &error),
                   >, 0);
  end (f, TRUE);

  g_ptr_array_add (before, snapshot (f));
  {
    g_autoptr (TbContact) values = tb_contact_new ();
    const char *tags[] = { "work", NULL };

    values->name = g_strdup ("Ana Renamed");
    values->note = g_strdup ("met at the 'quoted' conference");
    values->tags = g_strdupv ((char **) tags);
    begin (f, "edit", ana);
    g_assert_true (tb_store_update_contact (
        f->store, ana, values, TB_FIELD_NAME | TB_FIELD_NOTE | TB_FIELD_TAGS,
        NOW, &error));
    end (f, TRUE);
  }
  g_assert_cmpuint (search_count (f, "renamed"), ==, 1);

  g_ptr_array_add (before, snapshot (f));
  begin (f, "fact", ana);
  g_assert_cmpint (tb_store_add_fact (f->store, ana, TB_FACT_GOAL,
                                      "raise a seed round", NOW, &error),
                   >, 0);
  end (f, TRUE);

  g_ptr_array_add (before, snapshot (f));
  begin (f, "snooze", bo);
  g_assert_true (tb_store_snooze (f->store, bo, NOW + 7 * 86400, &error));
  end (f, TRUE);

  g_ptr_array_add (before, snapshot (f));
  begin (f, "follow-up", bo);
  fu = tb_store_add_follow_up (f->store, bo, NOW + 86400, "send the deck", NOW,
                               &error);
  g_assert_cmpint (fu, >, 0);
  end (f, TRUE);

  g_ptr_array_add (before, snapshot (f));
  begin (f, "intro", ana);
  g_assert_true (
      tb_store_make_intro (f->store, ana, bo, "climbers", NOW, &error));
  end (f, TRUE);

  g_ptr_array_add (before, snapshot (f));
  begin (f, "rm", ana);
  g_assert_true (tb_store_remove_contact (f->store, ana, &error));
  end (f, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (f, "renamed"), ==, 0);

  for (guint i = G_N_ELEMENTS (verbs) - 1; i >= 1; i--)
    {
      g_autofree char *now = NULL;

      undo (f, verbs[i]);
      now = snapshot (f);
      g_assert_cmpstr (now, ==, before->pdata[i - 1]);
    }
  /* The search index followed every step back. */
  g_assert_cmpuint (search_count (f, "renamed"), ==, 0);
  g_assert_cmpuint (search_count (f, "ana"), ==, 1);
}

static void
test_ids_not_reused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 first = add_contact (f, "ana");
  gint64 second, interaction, again;

  undo (f, "add");
  second = add_contact (f, "bo");
  g_assert_cmpint (second, >, first);

  begin (f, "log", second);
  interaction = tb_store_log_interaction (f->store, second, TB_KIND_CALL,
                                          NOW - 60, NULL, NOW, &error);
  end (f, TRUE);
  undo (f, "log");
  begin (f, "log", second);
  again = tb_store_log_interaction (f->store, second, TB_KIND_CALL, NOW - 60,
                                    NULL, NOW, &error);
  end (f, TRUE);
  g_assert_no_error (error);
  g_assert_cmpint (again, >, interaction);

  /* Not even across a restart (SQLite's AUTOINCREMENT counter). */
  g_clear_pointer (&f->store, tb_store_free);
  f->store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  undo (f, "log");
  undo (f, "add");
  g_assert_cmpint (add_contact (f, "cy"), >, second);
}

static void
test_history_survives_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) gone = NULL;
  gint64 ana = add_contact (f, "ana");

  begin (f, "rm", ana);
  g_assert_true (tb_store_remove_contact (f->store, ana, &error));
  end (f, TRUE);
  g_clear_pointer (&f->store, tb_store_free);
  f->store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  undo (f, "rm");
  gone = tb_store_get_contact (f->store, ana, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gone->name, ==, "ana");
  g_assert_cmpstr (gone->tags[0], ==, "climbing");
  g_assert_cmpuint (search_count (f, "ana"), ==, 1);
}

static void
test_keeps_the_last (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (TbChange) none = NULL;
  guint total = 0;
  gint64 ana = add_contact (f, "ana");

  for (guint i = 0; i < TB_STORE_UNDO_KEEP + 5; i++)
    {
      begin (f, "snooze", ana);
      g_assert_true (tb_store_snooze (f->store, ana, NOW + 86400 + i, &error));
      end (f, TRUE);
    }
  changes = tb_store_list_changes (f->store, 3, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, TB_STORE_UNDO_KEEP);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpstr (((TbChange *) changes->pdata[0])->subject, ==, "ana");
  for (guint i = 0; i < TB_STORE_UNDO_KEEP; i++)
    undo (f, "snooze");
  none = tb_store_undo (f->store, &error);
  g_assert_null (none);
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
}

static void
test_failed_and_empty_changes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  guint total = 0;
  gint64 ana = add_contact (f, "ana");

  /* Rolled back: neither the write nor the change stays. */
  begin (f, "snooze", ana);
  g_assert_true (tb_store_snooze (f->store, ana, NOW + 86400, &error));
  g_assert_false (tb_store_end_change (f->store, FALSE, &error));
  g_assert_no_error (error);
  /* Nothing written: nothing to undo. */
  begin (f, "edit", ana);
  end (f, TRUE);
  changes = tb_store_list_changes (f->store, 0, &total, &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpstr (((TbChange *) changes->pdata[0])->verb, ==, "add");
}

static void
test_import (Fixture *f, gconstpointer data)
{
  static const char csv[]
      = "First Name,Last Name,URL,Email Address,Company,Position,Connected "
        "On\n"
        "Ana,Silva,https://www.linkedin.com/in/ana,ana@example.org,Solara,"
        "CTO,01 Mar 2024\n"
        "Bo,Berg,https://www.linkedin.com/in/bo,,Fjord,Engineer,02 Mar 2024\n"
        "Cy,Chen,https://www.linkedin.com/in/cy,,,,03 Mar 2024\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto (TbImportResult) result = { 0 };
  TbImportOptions options = { .now = NOW, .filename = "Connections.csv" };
  gint64 ana = add_contact (f, "ana");

  before = snapshot (f);
  in = g_memory_input_stream_new_from_data (csv, sizeof csv - 1, NULL);
  g_assert_true (tb_store_begin_change (f->store, "import", 0,
                                        "Connections.csv", NOW, &error));
  g_assert_true (tb_importer_run (f->store, in, &options, &result, &error));
  g_assert_no_error (error);
  end (f, TRUE);
  g_assert_cmpuint (result.added, ==, 2);
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpuint (search_count (f, "fjord"), ==, 1);
  g_assert_cmpuint (search_count (f, "solara"), ==, 1);

  undo (f, "import");
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (search_count (f, "fjord"), ==, 0);
  g_assert_cmpuint (search_count (f, "solara"), ==, 0);
  g_assert_cmpuint (search_count (f, "ana"), ==, 1);
  (void) ana;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func)                                                        \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/undo/each-change", test_each_change);
  ADD ("/undo/ids-not-reused", test_ids_not_reused);
  ADD ("/undo/history-survives-restart", test_history_survives_restart);
  ADD ("/undo/keeps-the-last", test_keeps_the_last);
  ADD ("/undo/failed-and-empty", test_failed_and_empty_changes);
  ADD ("/undo/import", test_import);
  return g_test_run ();
}
