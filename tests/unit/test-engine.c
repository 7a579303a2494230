/* test-engine.c — the engine's operations and its promise: "changed" once
 * after every committed write, never after a read or a failed write.
 * No bus: the engine knows nothing of D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tb-engine.h"
#include "tb-error.h"
#include "tb-test-util.h"

#define NOW ((gint64) 1790000000)
#define DAY ((gint64) 86400)

typedef struct
{
  char *dir;
  TbEngine *engine;
  gint64 now;
  guint changed;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static void
on_changed (TbEngine *engine, gpointer user_data)
{
  Fixture *f = user_data;

  f->changed++;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();
  g_autofree char *path = NULL;
  TbStore *store;

  f->dir = g_dir_make_tmp ("tb-engine-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "touchbase.db", NULL);
  store = tb_store_open (path, &error);
  g_assert_no_error (error);
  f->engine = tb_engine_new (store, tz, &error);
  g_assert_no_error (error);
  f->now = NOW;
  tb_engine_set_clock (f->engine, fixture_clock, f);
  g_signal_connect (f->engine, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->engine);
  tb_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
add (Fixture *f, const char *name)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  id = tb_engine_add_contact (f->engine, c, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Runs @expr and checks how many times "changed" was emitted. */
#define ASSERT_CHANGES(f, n, expr)                                             \
  G_STMT_START                                                                 \
  {                                                                            \
    guint before_ = (f)->changed;                                              \
    expr;                                                                      \
    g_assert_cmpuint ((f)->changed - before_, ==, (n));                        \
  }                                                                            \
  G_STMT_END

static void
test_writes_emit_changed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) values = tb_contact_new ();
  g_autofree char *text = NULL;
  gint64 ana, bo, follow_up = 0;

  ASSERT_CHANGES (f, 1, ana = add (f, "Ana Silva"));
  ASSERT_CHANGES (f, 1, bo = add (f, "Bo Berg"));
  values->company = g_strdup ("Acme");
  ASSERT_CHANGES (f, 1,
                  g_assert_true (tb_engine_update_contact (
                      f->engine, ana, values, TB_FIELD_COMPANY, &error)));
  ASSERT_CHANGES (
      f, 1,
      g_assert_cmpint (tb_engine_log_interaction (f->engine, ana, "coffee",
                                                  NOW - DAY, "new job", &error),
                       >, 0));
  ASSERT_CHANGES (
      f, 1,
      g_assert_true (tb_engine_snooze (f->engine, ana, NOW + DAY, &error)));
  ASSERT_CHANGES (
      f, 1, g_assert_true (tb_engine_set_paused (f->engine, bo, TRUE, &error)));
  ASSERT_CHANGES (f, 1,
                  follow_up = tb_engine_add_follow_up (
                      f->engine, ana, NOW + 2 * DAY, "send the deck", &error));
  g_assert_cmpint (follow_up, >, 0);
  ASSERT_CHANGES (f, 1,
                  g_assert_true (tb_engine_snooze_follow_up (
                      f->engine, follow_up, TB_ENGINE_SNOOZE_DEFAULT, &error)));
  ASSERT_CHANGES (f, 1,
                  g_assert_true (tb_engine_complete_follow_up (
                      f->engine, follow_up, &error)));
  ASSERT_CHANGES (f, 1,
                  text = tb_engine_introduce (f->engine, ana, bo, NULL, FALSE,
                                              NULL, NULL, &error));
  g_assert_nonnull (text);
  ASSERT_CHANGES (
      f, 1, g_assert_true (tb_engine_remove_contact (f->engine, bo, &error)));
  g_assert_no_error (error);
}

static void
test_reads_and_failures_do_not (Fixture *f, gconstpointer data)
{
  gint64 ana = add (f, "Ana Silva");
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  g_autoptr (TbContact) c = NULL;
  g_autoptr (TbStats) stats = NULL;
  g_autofree char *report = NULL;
  TbListFilter filter = { 0 };
  TbStoreCounts counts;
  GPtrArray *list;
  GError *error = NULL;

  ASSERT_CHANGES (f, 0, {
    g_assert_cmpint (tb_engine_resolve (f->engine, "ana", NULL), ==, ana);
    list = tb_engine_list_contacts (f->engine, &filter, NULL);
    g_assert_cmpuint (list->len, ==, 1);
    g_ptr_array_unref (list);
    c = tb_engine_get_contact (f->engine, ana, NULL);
    due = tb_engine_list_due (f->engine, 400 * DAY, 0, &follow_ups, NULL);
    g_assert_true (tb_engine_get_counts (f->engine, &counts, NULL));
    stats = tb_engine_get_stats (f->engine, NULL);
    report = tb_engine_render_report (f->engine, NULL);
  });
  g_assert_nonnull (c);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_nonnull (stats);
  g_assert_nonnull (report);

  /* Failed writes: nothing committed, nothing to follow. */
  ASSERT_CHANGES (f, 0, {
    g_assert_false (tb_engine_snooze (f->engine, ana, -2, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_false (tb_engine_snooze (f->engine, 9999, NOW, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpint (tb_engine_log_interaction (f->engine, ana, "telepathy",
                                                NOW, NULL, &error),
                     ==, 0);
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_false (tb_engine_remove_contact (f->engine, 9999, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_null (tb_engine_list_due (f->engine, -1, 0, NULL, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  });
}

static void
test_add_needs_a_name (Fixture *f, gconstpointer data)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;

  ASSERT_CHANGES (
      f, 0,
      g_assert_cmpint (tb_engine_add_contact (f->engine, c, TRUE, &error), ==,
                       0));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
}

/* -1 is "the configured snooze", counted from the engine's clock: the
 * D-Bus method and the notification's button mean the same. */
static void
test_snooze_default (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbConfig) config = tb_config_new_default ();
  g_autoptr (TbContact) c = NULL;
  gint64 ana = add (f, "Ana Silva");

  config->snooze = 3 * DAY;
  ASSERT_CHANGES (f, 1,
                  g_assert_true (tb_engine_set_config (
                      f->engine, g_steal_pointer (&config), &error)));
  f->now = NOW + 100;
  g_assert_true (
      tb_engine_snooze (f->engine, ana, TB_ENGINE_SNOOZE_DEFAULT, &error));
  g_assert_no_error (error);
  c = tb_engine_get_contact (f->engine, ana, &error);
  g_assert_cmpint (c->snoozed_until, ==, NOW + 100 + 3 * DAY);
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  TbImportResult *out;
  GError *error;
  gboolean done;
} ImportWait;

static void
on_import_done (TbEngine *engine, const TbImportResult *result,
                const GError *error, gpointer user_data)
{
  ImportWait *w = user_data;

  w->done = TRUE;
  w->ok = result != NULL;
  if (result != NULL)
    {
      w->out->added = result->added;
      w->out->updated = result->updated;
    }
  if (error != NULL)
    w->error = g_error_copy (error);
  g_main_loop_quit (w->loop);
}

/* Starts an import in the engine's worker thread and waits for it on
 * the main loop, as the daemon's Import does. */
static gboolean
import_sync (Fixture *f, GInputStream *in, TbImportOptions *options,
             TbImportResult *out, GError **error)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  ImportWait w = { loop, FALSE, out, NULL, FALSE };

  if (!tb_engine_import_start (f->engine, in, options, on_import_done, &w,
                               error))
    return FALSE;
  g_main_loop_run (loop);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

static void
test_import_dry_run (Fixture *f, gconstpointer data)
{
  static const char csv[]
      = "First Name,Last Name,URL,Email Address,Company,Position,"
        "Connected On\r\n"
        "Ana,Silva,https://www.linkedin.com/in/ana,,Acme,CTO,01 Jan 2024\r\n";
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GError) error = NULL;
  TbImportOptions options = { .dry_run = TRUE };
  g_auto (TbImportResult) result = { 0 };

  in = g_memory_input_stream_new_from_data (csv, sizeof csv - 1, NULL);
  ASSERT_CHANGES (
      f, 0, g_assert_true (import_sync (f, in, &options, &result, &error)));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 1);

  g_clear_object (&in);
  in = g_memory_input_stream_new_from_data (csv, sizeof csv - 1, NULL);
  options.dry_run = FALSE;
  ASSERT_CHANGES (
      f, 1, g_assert_true (import_sync (f, in, &options, &result, &error)));
  g_assert_cmpuint (result.added, ==, 1);
}

static void
on_import_ended (TbEngine *engine, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* While the worker holds the write lock, the main connection reads,
 * every write fails at once with BUSY (never waits, never lands later),
 * and a second import is refused; a cancelled import leaves nothing, and
 * the rows of one that committed are the main connection's to build on. */
static void
test_import_in_worker (Fixture *f, gconstpointer data)
{
  static const char head[]
      = "First Name,Last Name,URL,Email Address,Company,Position,"
        "Connected On\r\n"
        "Ana,Silva,https://www.linkedin.com/in/ana,,Acme,CTO,01 Jan 2024\r\n";
  static const char tail[]
      = "Bo,Berg,https://www.linkedin.com/in/bo,,Acme,CEO,01 Jan 2024\r\n";
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (TbImportResult) result = { 0 };
  g_autoptr (TbContact) c = tb_contact_new ();
  TbImportOptions options = { .cancellable = cancel };
  TbStoreCounts counts;
  ImportWait w = { loop, FALSE, &result, NULL, FALSE };
  guint ended = 0;
  int fds[2];

  add (f, "Cy Chan");
  g_signal_connect (f->engine, "import-ended", G_CALLBACK (on_import_ended),
                    &ended);
  for (guint round = 0; round < 2; round++)
    {
      g_assert_no_errno (pipe (fds));
      in = g_unix_input_stream_new (fds[0], TRUE);
      g_assert_cmpint (write (fds[1], head, sizeof head - 1), ==,
                       sizeof head - 1);
      w.done = FALSE;
      g_assert_true (tb_engine_import_start (f->engine, in, &options,
                                             on_import_done, &w, &error));
      g_assert_no_error (error);
      g_assert_true (tb_engine_is_importing (f->engine));

      g_assert_true (tb_engine_get_counts (f->engine, &counts, &error));
      g_assert_no_error (error);
      g_assert_cmpint (counts.contacts, ==, 1);
      c->name = g_strdup ("Di Dorn");
      g_assert_cmpint (tb_engine_add_contact (f->engine, c, TRUE, &error), ==,
                       0);
      g_assert_error (error, TB_ERROR, TB_ERROR_BUSY);
      g_clear_error (&error);
      g_clear_pointer (&c->name, g_free);
      g_assert_false (tb_engine_import_start (f->engine, in, &options,
                                              on_import_done, &w, &error));
      g_assert_error (error, TB_ERROR, TB_ERROR_BUSY);
      g_clear_error (&error);

      if (round == 0)
        g_cancellable_cancel (cancel);
      else
        g_assert_cmpint (write (fds[1], tail, sizeof tail - 1), ==,
                         sizeof tail - 1);
      close (fds[1]);
      g_main_loop_run (loop);
      g_assert_true (w.done);
      g_assert_false (tb_engine_is_importing (f->engine));
      g_assert_cmpuint (ended, ==, round + 1);
      if (round == 0)
        {
          g_assert_false (w.ok);
          g_assert_error (w.error, TB_ERROR, TB_ERROR_FAILED);
          g_clear_error (&w.error);
          g_assert_true (tb_engine_get_counts (f->engine, &counts, &error));
          g_assert_cmpint (counts.contacts, ==, 1);
          g_clear_object (&cancel);
          cancel = g_cancellable_new ();
          options.cancellable = cancel;
        }
      g_clear_object (&in);
    }
  g_assert_true (w.ok);
  g_assert_no_error (w.error);
  g_assert_cmpuint (result.added, ==, 2);
  /* After the worker's commit: the main connection sees its rows, and a
   * contact added here takes an id after theirs. */
  g_assert_true (tb_engine_get_counts (f->engine, &counts, &error));
  g_assert_cmpint (counts.contacts, ==, 3);
  g_assert_cmpint (add (f, "Di Dorn"), ==, 4);
}

static void
test_export_formats (Fixture *f, gconstpointer data)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  add (f, "Ana Silva");
  g_assert_true (tb_engine_is_export_format ("json"));
  g_assert_true (tb_engine_is_export_format ("vcard"));
  g_assert_true (tb_engine_is_export_format ("csv"));
  g_assert_false (tb_engine_is_export_format ("ics"));
  g_assert_false (tb_engine_export (f->engine, "xml", out, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ASSERT_CHANGES (
      f, 0, g_assert_true (tb_engine_export (f->engine, "vcard", out, &error)));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_nonnull (g_strstr_len (
      g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
      (gssize) g_memory_output_stream_get_data_size (
          G_MEMORY_OUTPUT_STREAM (out)),
      "FN:Ana Silva"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/engine/changed/writes", Fixture, NULL, fixture_set_up,
              test_writes_emit_changed, fixture_tear_down);
  g_test_add ("/engine/changed/reads-and-failures", Fixture, NULL,
              fixture_set_up, test_reads_and_failures_do_not,
              fixture_tear_down);
  g_test_add ("/engine/add/needs-a-name", Fixture, NULL, fixture_set_up,
              test_add_needs_a_name, fixture_tear_down);
  g_test_add ("/engine/snooze/default", Fixture, NULL, fixture_set_up,
              test_snooze_default, fixture_tear_down);
  g_test_add ("/engine/import/dry-run", Fixture, NULL, fixture_set_up,
              test_import_dry_run, fixture_tear_down);
  g_test_add ("/engine/import/in-worker", Fixture, NULL, fixture_set_up,
              test_import_in_worker, fixture_tear_down);
  g_test_add ("/engine/export/formats", Fixture, NULL, fixture_set_up,
              test_export_formats, fixture_tear_down);
  return g_test_run ();
}
