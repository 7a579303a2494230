/* test-store.c — the database: files, migrations, due rules, look-ups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tb-backup.h"
#include "tb-config.h"
#include "tb-error.h"
#include "tb-export-contacts.h"
#include "tb-importer.h"
#include "tb-store-complete.h"
#include "tb-store-private.h"
#include "tb-store-names.h"
#include "tb-test-util.h"
#include "tb-time.h"
#include "tb-uuid.h"

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

  f->dir = g_dir_make_tmp ("tb-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sub", "touchbase.db", NULL);
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

static gint64
add (Fixture *f, const char *name, gint64 interval)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  c->interval = interval;
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static TbContact *
get (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  TbContact *c = tb_store_get_contact (f->store, id, &error);

  g_assert_no_error (error);
  return c;
}

static void
test_private_files (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  struct stat st;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
assert_refused_untouched (const char *path, const char *expected_message)
{
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  store = tb_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TB_ERROR, TB_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, expected_message));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_refuses_garbage (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "garbage.db", NULL);
  g_autofree char *text = g_strnfill (8192, 'x');

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  assert_refused_untouched (path, "not a touchbase database");
}

static void
test_refuses_newer (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "newer.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
      SQLITE_OK);
  sqlite3_close (db);
  assert_refused_untouched (path, "schema version 99");
}

static void
make_db (const char *path, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A negative version once made the migrations start before their
 * array; another program's database, and an empty file, were migrated
 * in place. */
static void
test_refuses_foreign (Fixture *f, gconstpointer data)
{
  const char *negative[] = { "-1", "-2", "-7", "-100", "-2147483648" };

  for (guint i = 0; i < G_N_ELEMENTS (negative); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/neg%u.db", f->dir, i);
      g_autofree char *sql
          = g_strdup_printf ("PRAGMA user_version = %s", negative[i]);

      make_db (path, sql);
      assert_refused_untouched (path, "not a touchbase database");
    }
  {
    g_autofree char *path = g_build_filename (f->dir, "other.db", NULL);

    make_db (path, "CREATE TABLE notes (body TEXT); "
                   "INSERT INTO notes VALUES ('mine')");
    assert_refused_untouched (path, "not a touchbase database");
  }
  {
    g_autofree char *path = g_build_filename (f->dir, "app.db", NULL);

    make_db (path, "PRAGMA application_id = 1234; PRAGMA user_version = 3; "
                   "CREATE TABLE t (x)");
    assert_refused_untouched (path, "another program");
  }
  {
    g_autofree char *path = g_build_filename (f->dir, "empty.db", NULL);

    g_assert_true (g_file_set_contents (path, "", 0, NULL));
    assert_refused_untouched (path, "empty");
  }
}

static void
test_refuses_symlink (Fixture *f, gconstpointer data)
{
  g_autofree char *target = g_build_filename (f->dir, "real.db", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;

  make_db (target, "PRAGMA user_version = 0");
  g_assert_cmpint (symlink (target, link), ==, 0);
  store = tb_store_open (link, &error);
  g_assert_null (store);
  g_assert_error (error, TB_ERROR, TB_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
}

/* A database of ours gets the application id, also one from before it
 * was set, and opens again. */
static void
test_sets_application_id (Fixture *f, gconstpointer data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (TbStore) again = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL), ==,
      SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, TB_STORE_APPLICATION_ID);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_clear_pointer (&f->store, tb_store_free);
  make_db (f->path, "PRAGMA application_id = 0");
  again = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

static void
test_refuses_corrupt (Fixture *f, gconstpointer data)
{
  g_autofree char *src
      = g_test_build_filename (G_TEST_DIST, "data", "db", "v1.db", NULL);
  g_autofree char *path = g_build_filename (f->dir, "corrupt.db", NULL);
  g_autofree char *contents = NULL;
  gsize len;

  /* Keep the header, scribble over the pages behind it. */
  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 3 * 4096);
  memset (contents + 4096, 0x5a, len - 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  assert_refused_untouched (path, "damaged");
}

/* PRAGMA quick_check reads every page: it runs at an open only when the
 * file is not as a clean close of the store left it. */
static void
test_checks_only_when_not_closed_cleanly (Fixture *f, gconstpointer data)
{
  g_autofree char *mark = tb_store_clean_mark_path (f->path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  sqlite3 *db = NULL;

  add (f, "Ana", 0);
  /* Open: no mark, whatever happens to the daemon. */
  g_assert_false (g_file_test (mark, G_FILE_TEST_EXISTS));
  g_clear_pointer (&f->store, tb_store_free);
  g_assert_true (g_file_test (mark, G_FILE_TEST_EXISTS));
  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (store->integrity_checked);
  g_assert_false (g_file_test (mark, G_FILE_TEST_EXISTS));
  g_clear_pointer (&store, tb_store_free);

  /* Written by something else since: checked again. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA journal_mode = DELETE; "
                                 "UPDATE contacts SET name = 'Ana Lima'",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (store->integrity_checked);
  g_clear_pointer (&store, tb_store_free);

  /* A store that did not close (a crash) leaves no mark behind. */
  store = tb_store_open (f->path, &error);
  g_assert_false (store->integrity_checked);
  f->store = tb_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (f->store->integrity_checked);
}

/* FTS5's own check of the search index against the rows it indexes:
 * fails when the store wrote a change without rewriting the entry. */
static void
search_index_is_intact (TbStore *store)
{
  char *msg = NULL;

  sqlite3_exec (store->db,
                "INSERT INTO contacts_search (contacts_search) "
                "VALUES ('integrity-check')",
                NULL, NULL, &msg);
  g_assert_cmpstr (msg, ==, NULL);
}

/* The ids tb_store_search returns for @text, in order, as "1 2 3". */
static char *
search_ids (TbStore *store, const char *text, guint limit, guint *total)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found
      = tb_store_search (store, text, limit, total, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            ((TbContact *) found->pdata[i])->id);
  return g_string_free (ids, FALSE);
}

static void
assert_found (TbStore *store, const char *text, const char *ids)
{
  g_autofree char *found = search_ids (store, text, 20, NULL);

  g_assert_cmpstr (found, ==, ids);
}

static void
test_opens_v1 (Fixture *f, gconstpointer data)
{
  g_autofree char *src
      = g_test_build_filename (G_TEST_DIST, "data", "db", "v1.db", NULL);
  g_autofree char *path = g_build_filename (f->dir, "v1.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  g_autoptr (TbContact) ana = NULL;
  g_autoptr (GPtrArray) facts = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  gsize len;

  /* A database written by release 0.1.0 (schema v1), committed as is:
   * every later schema must still open it with its data. */
  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  store = tb_store_open (path, &error);
  g_assert_no_error (error);
  ana = tb_store_get_contact (store, tb_store_resolve (store, "ana", &error),
                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ana->email, ==, "ana@example.org");
  g_assert_cmpstr (ana->tags[0], ==, "friends");
  g_assert_cmpint (ana->last_interaction_at, ==, 1790000000);
  g_assert_cmpint (ana->last_interaction_kind, ==, TB_KIND_COFFEE);
  /* v4: everyone an older database holds stays tracked, on the clock
   * they had. */
  g_assert_cmpint (ana->tracking, ==, TB_TRACKING_TRACKED);
  g_assert_cmpint (ana->due_at, ==,
                   ana->last_interaction_at + ana->effective_interval);
  facts = tb_store_list_facts (store, ana->id, &error);
  g_assert_cmpuint (facts->len, ==, 2);
  follow_ups = tb_store_list_follow_ups (store, 0, G_MAXINT64, &error);
  g_assert_cmpuint (follow_ups->len, ==, 1);
  g_assert_cmpstr (((TbFollowUp *) follow_ups->pdata[0])->contact_name, ==,
                   "Zoë Lambert");

  /* v2 keyed the URLs v1 stored: another spelling of Zoë's profile finds
   * her. */
  {
    g_autoptr (TbContact) in = tb_contact_new ();
    g_autoptr (TbContact) zoe = NULL;

    in->url = g_strdup ("http://www.Example.org/zoe/");
    zoe = tb_store_get_contact (
        store, tb_store_find_duplicate (store, in, &error), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (zoe->name, ==, "Zoë Lambert");
  }
  /* v3 keyed the addresses. */
  {
    g_autoptr (TbContact) in = tb_contact_new ();

    in->email = g_strdup (" ANA@example.org");
    g_assert_cmpint (tb_store_find_duplicate (store, in, &error), ==, ana->id);
    g_assert_no_error (error);
  }
  /* v5 indexed the rows v1 stored for the search. */
  {
    g_autoptr (GPtrArray) found = NULL;
    guint total = 0;

    found = tb_store_search (store, "lamb", 20, &total, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (total, ==, 1);
    g_assert_cmpstr (((TbContact *) found->pdata[0])->name, ==, "Zoë Lambert");
    g_ptr_array_unref (found);
    found = tb_store_search (store, "ana@example", 20, &total, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (total, ==, 1);
    g_assert_cmpint (((TbContact *) found->pdata[0])->id, ==, ana->id);
    search_index_is_intact (store);
  }
}

/* Tags written before v3 were lowered but not normalised: the migration
 * makes them keys, once where two spellings meet. */
static void
test_migrate_tags (Fixture *f, gconstpointer data)
{
  g_autofree char *src
      = g_test_build_filename (G_TEST_DIST, "data", "db", "v1.db", NULL);
  g_autofree char *path = g_build_filename (f->dir, "v1-tags.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TbStore) store = NULL;
  g_autoptr (GPtrArray) tagged = NULL;
  TbListFilter filter = { .tag = "Équipe", .now = NOW };
  sqlite3 *db = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Ana (1): "équipe" composed and decomposed; Zoë (2): decomposed. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO contact_tags VALUES "
                                 "(1, 'équipe'), (1, 'e\xcc\x81quipe'), "
                                 "(2, 'e\xcc\x81quipe')",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  store = tb_store_open (path, &error);
  g_assert_no_error (error);
  tagged = tb_store_list_contacts (store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tagged->len, ==, 2);
  for (guint i = 0; i < tagged->len; i++)
    {
      TbContact *c = g_ptr_array_index (tagged, i);
      guint n = g_strv_length (c->tags);

      g_assert_cmpstr (c->tags[n - 1], ==, "équipe");
      g_assert_cmpuint (n, ==, c->id == 1 ? 2 : 1);
    }
}

static void
test_log_resets_clock (Fixture *f, gconstpointer data)
{
  gint64 id = add (f, "Ana", 10 * TB_DAY);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) before = get (f, id);
  g_autoptr (TbContact) after = NULL;
  g_autoptr (TbContact) older = NULL;

  g_assert_cmpint (before->due_at, ==, NOW + 10 * TB_DAY);
  tb_store_log_interaction (f->store, id, TB_KIND_CALL, NOW - 3 * TB_DAY, NULL,
                            NOW, &error);
  g_assert_no_error (error);
  after = get (f, id);
  g_assert_cmpint (after->due_at, ==, NOW + 7 * TB_DAY);
  g_assert_cmpint (after->last_conversation_at, ==, NOW - 3 * TB_DAY);
  g_assert_cmpuint (after->sequence, >, before->sequence);

  /* Logging an older email afterwards does not turn the clock back. */
  tb_store_log_interaction (f->store, id, TB_KIND_EMAIL, NOW - 9 * TB_DAY, NULL,
                            NOW, &error);
  g_assert_no_error (error);
  older = get (f, id);
  g_assert_cmpint (older->due_at, ==, NOW + 7 * TB_DAY);
  g_assert_cmpint (older->last_interaction_kind, ==, TB_KIND_CALL);

  /* The future is refused. */
  g_assert_cmpint (tb_store_log_interaction (f->store, id, TB_KIND_CALL,
                                             NOW + TB_DAY, NULL, NOW, &error),
                   ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
}

static void
test_snooze_is_not_interaction (Fixture *f, gconstpointer data)
{
  gint64 id = add (f, "Bo", 5 * TB_DAY);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) c = NULL;
  g_autoptr (GPtrArray) interactions = NULL;

  tb_store_snooze (f->store, id, NOW + 9 * TB_DAY, &error);
  g_assert_no_error (error);
  c = get (f, id);
  g_assert_cmpint (c->last_interaction_at, ==, 0);
  g_assert_cmpint (c->due_at, ==, NOW + 5 * TB_DAY);
  g_assert_cmpint (c->effective_interval, ==, 5 * TB_DAY);
  g_assert_cmpint (c->snoozed_until, ==, NOW + 9 * TB_DAY);
  g_assert_cmpint (c->next_alert_at, ==, NOW + 9 * TB_DAY);
  interactions = tb_store_list_interactions (f->store, id, 0, &error);
  g_assert_cmpuint (interactions->len, ==, 0);
}

static void
test_connected_on_is_not_interaction (Fixture *f, gconstpointer data)
{
  g_autoptr (TbContact) in = tb_contact_new ();
  g_autoptr (TbContact) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) never = NULL;
  TbListFilter filter = { .never = TRUE, .now = NOW };
  gint64 id;

  in->name = g_strdup ("Chen Wei");
  in->source = g_strdup ("linkedin");
  in->connected_on = NOW - 100 * TB_DAY;
  id = tb_store_add_contact (f->store, in, FALSE, NOW, &error);
  g_assert_no_error (error);
  c = get (f, id);
  g_assert_cmpint (c->connected_on, ==, NOW - 100 * TB_DAY);
  g_assert_cmpint (c->last_interaction_at, ==, 0);
  g_assert_cmpint (c->due_at, ==, NOW + 30 * TB_DAY);
  never = tb_store_list_contacts (f->store, &filter, &error);
  g_assert_cmpuint (never->len, ==, 1);
}

static void
test_pause (Fixture *f, gconstpointer data)
{
  gint64 id = add (f, "Dagny", 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) paused = NULL;
  g_autoptr (TbContact) resumed = NULL;

  tb_store_set_paused (f->store, id, TRUE, &error);
  g_assert_no_error (error);
  paused = get (f, id);
  g_assert_cmpint (paused->due_at, ==, 0);
  g_assert_cmpint (paused->next_alert_at, ==, 0);
  g_assert_cmpint (tb_store_next_alert_at (f->store, 0, &error), ==, 0);
  tb_store_set_paused (f->store, id, FALSE, &error);
  resumed = get (f, id);
  g_assert_cmpint (resumed->due_at, ==, NOW + 30 * TB_DAY);
}

/* A connection that arrives as an import does: not tracked. */
static gint64
add_imported (Fixture *f, const char *name, const char *birthday)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  c->birthday = g_strdup (birthday);
  c->source = g_strdup ("linkedin");
  c->tracking = TB_TRACKING_NOT_TRACKED;
  id = tb_store_add_contact (f->store, c, TRUE, NOW, &error);
  g_assert_no_error (error);
  return id;
}

static gboolean
has_contact (GPtrArray *contacts, gint64 id)
{
  for (guint i = 0; i < contacts->len; i++)
    if (((TbContact *) contacts->pdata[i])->id == id)
      return TRUE;
  return FALSE;
}

/* docs/design.md §2: only a tracked contact is ever due, alerts or has a
 * birthday in the calendar; tracking starts its clock; a conversation,
 * an interval or "track" makes a contact tracked. */
static void
test_tracking (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 hand = add (f, "Hand Added", 0);
  gint64 net = add_imported (f, "Net Worker", "1990-06-01");
  gint64 later = NOW + 400 * TB_DAY;
  gint64 next = 0;

  {
    g_autoptr (TbContact) c = get (f, net);
    g_autoptr (GPtrArray) due = tb_store_list_due (f->store, later, 0, &error);
    g_autoptr (GPtrArray) cal
        = tb_store_list_for_calendar (f->store, later, &next, &error);
    g_autoptr (GPtrArray) birthdays
        = tb_store_alert_birthdays (f->store, later, &error);

    g_assert_no_error (error);
    g_assert_cmpint (c->tracking, ==, TB_TRACKING_NOT_TRACKED);
    g_assert_cmpint (c->due_at, ==, 0);
    g_assert_cmpint (c->next_alert_at, ==, 0);
    g_assert_true (has_contact (due, hand));
    g_assert_false (has_contact (due, net));
    g_assert_false (has_contact (cal, net));
    g_assert_cmpuint (birthdays->len, ==, 0);
  }
  /* A note is not a conversation: still not tracked. */
  tb_store_log_interaction (f->store, net, TB_KIND_OTHER, NOW, NULL, NOW,
                            &error);
  g_assert_no_error (error);
  {
    g_autoptr (TbContact) c = get (f, net);

    g_assert_cmpint (c->tracking, ==, TB_TRACKING_NOT_TRACKED);
    g_assert_cmpint (c->due_at, ==, 0);
  }
  /* Tracked a year after the import: due within one interval from then,
   * not overdue since the import. */
  g_assert_true (tb_store_set_tracking (f->store, net, TB_TRACKING_TRACKED,
                                        2 * TB_WEEK, NOW + 365 * TB_DAY,
                                        &error));
  g_assert_no_error (error);
  {
    g_autoptr (TbContact) c = get (f, net);
    /* Within a year of when tracking began. */
    g_autoptr (GPtrArray) birthdays
        = tb_store_alert_birthdays (f->store, NOW + 2 * 366 * TB_DAY, &error);

    g_assert_cmpint (c->tracking, ==, TB_TRACKING_TRACKED);
    g_assert_cmpint (c->interval, ==, 2 * TB_WEEK);
    g_assert_cmpint (c->due_at, >, NOW + 365 * TB_DAY);
    g_assert_cmpint (c->due_at, <=, NOW + 365 * TB_DAY + 2 * TB_WEEK);
    g_assert_cmpuint (birthdays->len, ==, 1);
  }
  /* Ignored: out of everything, and an interval is refused. */
  g_assert_true (tb_store_set_tracking (f->store, net, TB_TRACKING_IGNORED, 0,
                                        NOW, &error));
  {
    g_autoptr (TbContact) c = get (f, net);
    TbListFilter filter
        = { .by_tracking = TRUE, .tracking = TB_TRACKING_IGNORED, .now = NOW };
    g_autoptr (GPtrArray) ignored
        = tb_store_list_contacts (f->store, &filter, &error);

    g_assert_cmpint (c->due_at, ==, 0);
    g_assert_cmpuint (ignored->len, ==, 1);
    g_assert_true (has_contact (ignored, net));
  }
  g_assert_false (tb_store_set_tracking (f->store, net, 7, 0, NOW, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A conversation makes someone tracked, from its time on. */
  {
    gint64 met = add_imported (f, "Met Once", NULL);
    g_autoptr (TbContact) c = NULL;

    tb_store_log_interaction (f->store, met, TB_KIND_COFFEE, NOW - TB_DAY, NULL,
                              NOW, &error);
    g_assert_no_error (error);
    c = get (f, met);
    g_assert_cmpint (c->tracking, ==, TB_TRACKING_TRACKED);
    g_assert_cmpint (c->due_at, ==, NOW - TB_DAY + 30 * TB_DAY);
  }
  /* So does an interval given by an edit. */
  {
    gint64 edited = add_imported (f, "Edited Later", NULL);
    g_autoptr (TbContact) values = tb_contact_new ();
    g_autoptr (TbContact) c = NULL;

    values->interval = TB_WEEK;
    g_assert_true (tb_store_update_contact (f->store, edited, values,
                                            TB_FIELD_INTERVAL, NOW, &error));
    c = get (f, edited);
    g_assert_cmpint (c->tracking, ==, TB_TRACKING_TRACKED);
    g_assert_cmpint (c->due_at, >, NOW);
    g_assert_cmpint (c->due_at, <=, NOW + TB_WEEK);
  }
}

/* What a review of the tracking code found: a birthday alert already
 * shown does not come back when a tracked contact is logged or tracked
 * again; an interaction logged after tracking began counts even when
 * dated before it. */
static void
test_tracking_keeps_what_was_done (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (NOW);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (TbContact) c = tb_contact_new ();
  gint64 id, net;

  c->name = g_strdup ("Birthday Today");
  c->birthday = g_strdup (today);
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) due
        = tb_store_alert_birthdays (f->store, NOW, &error);

    g_assert_cmpuint (due->len, ==, 1);
  }
  g_assert_true (tb_store_mark_birthday_alerted (f->store, id, NOW, &error));
  tb_store_log_interaction (f->store, id, TB_KIND_CALL, NOW, NULL, NOW, &error);
  g_assert_true (tb_store_set_tracking (f->store, id, TB_TRACKING_TRACKED,
                                        TB_WEEK, NOW, &error));
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) due
        = tb_store_alert_birthdays (f->store, NOW, &error);

    g_assert_cmpuint (due->len, ==, 0);
  }

  net = add_imported (f, "Tracked Then Logged", NULL);
  g_assert_true (tb_store_set_tracking (f->store, net, TB_TRACKING_TRACKED,
                                        10 * TB_DAY, NOW, &error));
  tb_store_log_interaction (f->store, net, TB_KIND_COFFEE, NOW - TB_DAY, NULL,
                            NOW, &error);
  g_assert_no_error (error);
  {
    g_autoptr (TbContact) logged = get (f, net);

    g_assert_cmpint (logged->due_at, ==, NOW - TB_DAY + 10 * TB_DAY);
  }
}

/* An import's --every fills in an interval, never replaces one the
 * contact has. */
static void
test_merge_keeps_own_interval (void)
{
  g_autoptr (TbContact) existing = tb_contact_new ();
  g_autoptr (TbContact) incoming = tb_contact_new ();
  g_autoptr (TbContact) values = tb_contact_new ();

  existing->name = g_strdup ("Ana");
  existing->interval = 2 * TB_WEEK;
  incoming->name = g_strdup ("Ana");
  incoming->interval = 365 * TB_DAY;
  g_assert_false (tb_store_merge_import (existing, incoming, values)
                  & TB_FIELD_INTERVAL);
  existing->interval = 0;
  g_assert_true (tb_store_merge_import (existing, incoming, values)
                 & TB_FIELD_INTERVAL);
  g_assert_cmpint (values->interval, ==, 365 * TB_DAY);
  /* Nor does it bring back someone ignored. */
  existing->tracking = TB_TRACKING_IGNORED;
  g_assert_false (tb_store_merge_import (existing, incoming, values)
                  & TB_FIELD_INTERVAL);
}

static void
test_resolve (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 zoe = add (f, "Zoë Lambert", 0);
  gint64 ana = add (f, "Ana Silva", 0);
  gint64 anabel = add (f, "Anabel Ortiz", 0);

  g_assert_cmpint (tb_store_resolve (f->store, "zoe", &error), ==, zoe);
  g_assert_cmpint (tb_store_resolve (f->store, "LAMBERT", &error), ==, zoe);
  g_assert_cmpint (tb_store_resolve (f->store, "ortiz", &error), ==, anabel);
  /* A word's start wins over the inside of a word: "bert" is Bertha,
   * not Zoë Lambert. */
  {
    gint64 bertha = add (f, "Bertha Lee", 0);

    g_assert_cmpint (tb_store_resolve (f->store, "bert", &error), ==, bertha);
  }
  /* An exact full name wins over a longer name that contains it. */
  g_assert_cmpint (tb_store_resolve (f->store, "ana silva", &error), ==, ana);
  g_assert_no_error (error);

  g_assert_cmpint (tb_store_resolve (f->store, "ana", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "Ana Silva"));
  g_assert_nonnull (strstr (error->message, "Anabel Ortiz"));
  g_clear_error (&error);

  g_assert_cmpint (tb_store_resolve (f->store, "nobody", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (tb_store_resolve (f->store, "999", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
}

static gint64
add_untracked (Fixture *f, const char *name, const char *company)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  c->company = g_strdup (company);
  c->source = g_strdup ("linkedin");
  c->tracking = TB_TRACKING_NOT_TRACKED;
  id = tb_store_add_contact (f->store, c, TRUE, NOW, &error);
  g_assert_no_error (error);
  return id;
}

static GPtrArray *
match (Fixture *f, const char *query, guint limit, guint *total)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *out
      = tb_store_match_contacts (f->store, query, limit, total, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_cmpuint (out->len, <=, limit);
  return out;
}

static gint64
candidate_id (GPtrArray *candidates, guint i)
{
  return ((TbNameCandidate *) g_ptr_array_index (candidates, i))->contact->id;
}

/* A tracked contact wins over any number of connections of the same name;
 * only when no tracked contact matches are the others looked at. */
static void
test_resolve_tracked_first (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) candidates = NULL;
  gint64 zoe = add (f, "Zoë Martin", 0);
  gint64 ana = add (f, "Ana Silva", 0);
  gint64 greta[3];
  guint total = 0;

  for (guint i = 0; i < 7; i++)
    add_untracked (f, "Zoë Martin", "Acme");
  for (guint i = 0; i < 5; i++)
    add_untracked (f, i % 2 ? "Ana Lima" : "Anabel Ruiz", "Solara");
  greta[0] = add_untracked (f, "Greta Lund", "Acme");
  greta[1] = add_untracked (f, "Greta Nowak", "Acme");
  greta[2] = add_untracked (f, "Margreta Kim", "Acme");

  g_assert_cmpint (tb_store_resolve (f->store, "Zoë Martin", &error), ==, zoe);
  g_assert_cmpint (tb_store_resolve (f->store, "zoe", &error), ==, zoe);
  g_assert_cmpint (tb_store_resolve (f->store, "martin", &error), ==, zoe);
  g_assert_cmpint (tb_store_resolve (f->store, "ana", &error), ==, ana);
  g_assert_cmpint (tb_store_resolve (f->store, "ANA", &error), ==, ana);
  g_assert_no_error (error);
  candidates = match (f, "zoe martin", 10, &total);
  g_assert_cmpuint (candidates->len, ==, 1);
  g_assert_cmpuint (total, ==, 1);
  g_clear_pointer (&candidates, g_ptr_array_unref);

  /* Nothing tracked matches: the others decide, by the same rule. */
  g_assert_cmpint (tb_store_resolve (f->store, "greta lund", &error), ==,
                   greta[0]);
  g_assert_cmpint (tb_store_resolve (f->store, "nowak", &error), ==, greta[1]);
  g_assert_cmpint (tb_store_resolve (f->store, "margreta", &error), ==,
                   greta[2]);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_resolve (f->store, "greta", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_AMBIGUOUS);
  /* Two start a word; the one with it inside a word comes after them. */
  g_assert_nonnull (strstr (error->message, "3 contacts"));
  g_assert_nonnull (strstr (error->message, "Greta Lund (Acme)"));
  g_assert_true (strstr (error->message, "Greta Nowak")
                 < strstr (error->message, "Margreta Kim"));
  g_clear_error (&error);
  candidates = match (f, "greta", 10, &total);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpint (candidate_id (candidates, 0), ==, greta[0]);
  g_assert_cmpint (candidate_id (candidates, 1), ==, greta[1]);
  g_assert_cmpint (candidate_id (candidates, 2), ==, greta[2]);
  g_assert_cmpint (
      ((TbNameCandidate *) g_ptr_array_index (candidates, 2))->match, ==,
      TB_NAME_MATCH_INSIDE);
  g_clear_pointer (&candidates, g_ptr_array_unref);

  /* Once tracked, a contact leaves the others' tier for the first. */
  g_assert_true (tb_store_set_tracking (f->store, greta[2], TB_TRACKING_TRACKED,
                                        0, NOW, &error));
  g_assert_cmpint (tb_store_resolve (f->store, "greta", &error), ==, greta[2]);
  g_assert_no_error (error);
  /* Ignored contacts are with the not-tracked ones. */
  g_assert_true (tb_store_set_tracking (f->store, greta[1], TB_TRACKING_IGNORED,
                                        0, NOW, &error));
  g_assert_cmpint (tb_store_resolve (f->store, "nowak", &error), ==, greta[1]);
  g_assert_no_error (error);
}

/* Whole name, then a word's start, then inside a word: a single best
 * match wins, a tie is ambiguous. */
static void
test_resolve_ranking (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 ana = add (f, "Ana", 0);
  gint64 ana_silva = add (f, "Ana Silva", 0);
  gint64 jean_luc = add (f, "Jean-Luc Picard", 0);

  add (f, "Hiroshi Tanaka", 0);
  add (f, "Luca Bianchi", 0);
  /* Whole beats the word starts of Ana Silva, inside of Tanaka. */
  g_assert_cmpint (tb_store_resolve (f->store, "ana", &error), ==, ana);
  /* A word start beats the inside of a word. */
  g_assert_cmpint (tb_store_resolve (f->store, "silva", &error), ==, ana_silva);
  g_assert_cmpint (tb_store_resolve (f->store, "pic", &error), ==, jean_luc);
  g_assert_no_error (error);
  /* A hyphen starts a word: "luc" starts Jean-Luc and Luca alike. */
  g_assert_cmpint (tb_store_resolve (f->store, "luc", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_AMBIGUOUS);
  g_clear_error (&error);
  /* Only inside words: one wins, two tie. */
  add (f, "Mara Okafor", 0);
  g_assert_cmpint (tb_store_resolve (f->store, "kaf", &error), ==,
                   ana_silva + 4);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_resolve (f->store, "ar", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_AMBIGUOUS);
  g_clear_error (&error);

  /* An id is an id, even where a name would match. */
  g_assert_cmpint (tb_store_resolve (f->store, "1", &error), ==, ana);
  g_assert_no_error (error);
  /* Nothing to look for, or too much. */
  g_assert_cmpint (tb_store_resolve (f->store, "  ", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  {
    g_autofree char *huge = g_strnfill (TB_NAME_QUERY_MAX_BYTES + 1, 'a');
    guint total = 7;

    g_assert_cmpint (tb_store_resolve (f->store, huge, &error), ==, 0);
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_null (
        tb_store_match_contacts (f->store, huge, 10, &total, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
}

/* An ambiguous name lists at most ten, best first, and how many more. */
static void
test_resolve_lists_ten (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) candidates = NULL;
  gint64 whole[2];
  gint64 id;
  guint total = 0;

  /* Added in an order unlike the ranking's. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Zoë %c%02u", 'Z' - i, i);

      add_untracked (f, name, NULL);
    }
  add_untracked (f, "Amazoë Lund", NULL);
  whole[0] = add_untracked (f, "Zoë", NULL);
  whole[1] = add_untracked (f, "Zoe", NULL);

  g_assert_cmpint (tb_store_resolve (f->store, "zoe", &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "23 contacts"));
  g_assert_nonnull (strstr (error->message, "… and 13 more"));
  {
    g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);

    /* The sentence, ten candidates, the rest. */
    g_assert_cmpuint (g_strv_length (lines), ==, 12);
  }
  g_clear_error (&error);

  candidates = match (f, "zoe", 10, &total);
  g_assert_cmpuint (candidates->len, ==, 10);
  g_assert_cmpuint (total, ==, 23);
  /* The two whole names first (by id, their keys being equal), then word
   * starts by name ("zoe g19" before "zoe z00"), the inside of a word
   * last. */
  g_assert_cmpint (candidate_id (candidates, 0), ==, MIN (whole[0], whole[1]));
  g_assert_cmpint (candidate_id (candidates, 1), ==, MAX (whole[0], whole[1]));
  for (guint i = 2; i < candidates->len; i++)
    {
      TbNameCandidate *a = g_ptr_array_index (candidates, i - 1);
      TbNameCandidate *b = g_ptr_array_index (candidates, i);

      g_assert_cmpint (b->match, ==, TB_NAME_MATCH_WORD);
      if (i > 2)
        g_assert_cmpstr (a->contact->name, <, b->contact->name);
    }
  g_clear_pointer (&candidates, g_ptr_array_unref);
  candidates = match (f, "zoe", 100, &total);
  g_assert_cmpuint (candidates->len, ==, 23);
  g_assert_cmpint (
      ((TbNameCandidate *) g_ptr_array_index (candidates, 22))->match, ==,
      TB_NAME_MATCH_INSIDE);
  g_clear_pointer (&candidates, g_ptr_array_unref);

  /* An id is the contact alone; one that names nobody, no candidates. */
  id = whole[0];
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    candidates = match (f, text, 10, &total);
    g_assert_cmpuint (total, ==, 1);
    g_assert_cmpint (candidate_id (candidates, 0), ==, id);
    g_clear_pointer (&candidates, g_ptr_array_unref);
  }
  candidates = match (f, "99999", 10, &total);
  g_assert_cmpuint (candidates->len, ==, 0);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&candidates, g_ptr_array_unref);
  candidates = match (f, "nobody", 10, &total);
  g_assert_cmpuint (candidates->len, ==, 0);
  g_assert_cmpuint (total, ==, 0);
}

static void
test_policy_and_tags (Fixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) tags
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) in = tb_contact_new ();
  g_autoptr (TbContact) c = NULL;
  g_autoptr (TbContact) plain = NULL;
  gint64 id, other;
  TbStorePolicy policy = { 60 * TB_DAY, tags, TB_DAY };

  g_hash_table_insert (tags, g_strdup ("family"),
                       g_memdup2 (&(gint64){ 14 * TB_DAY }, sizeof (gint64)));
  in->name = g_strdup ("Olu");
  in->tags = g_strsplit ("Family,work", ",", -1);
  id = tb_store_add_contact (f->store, in, FALSE, NOW, &error);
  other = add (f, "Plain", 0);
  g_assert_true (tb_store_set_policy (f->store, &policy, &error));
  g_assert_no_error (error);
  c = get (f, id);
  plain = get (f, other);
  g_assert_cmpint (c->effective_interval, ==, 14 * TB_DAY);
  g_assert_cmpint (c->due_at, ==, NOW + 14 * TB_DAY);
  g_assert_cmpint (plain->due_at, ==, NOW + 60 * TB_DAY);
}

static gint64
add_tagged (Fixture *f, const char *name, const char *tags)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  c->tags = g_strsplit (tags, ",", -1);
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);
  return id;
}

static guint
count_tagged (Fixture *f, const char *tag)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  TbListFilter filter = { .tag = tag, .now = NOW };

  list = tb_store_list_contacts (f->store, &filter, &error);
  g_assert_no_error (error);
  return list->len;
}

/* A tag is the same tag however it is written: in capitals, with a
 * precomposed or a decomposed accent, with a capital sharp s. Written,
 * filtered, counted and given an interval by one rule. */
static void
test_tags_non_ascii (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbConfig) config = NULL;
  g_autoptr (TbStats) stats = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (TbContact) a = NULL;
  g_autoptr (TbContact) b = NULL;
  TbStorePolicy policy;
  TbImportOptions opts = { 0 };
  g_auto (TbImportResult) result = { 0 };
  gint64 id_a, id_b;
  guint equipe_contacts = 0;

  id_a = add_tagged (f, "Amélie", "Équipe,Straße");
  /* "E" and U+0301 COMBINING ACUTE ACCENT, in capitals. */
  id_b = add_tagged (f, "Bruno", "E\xcc\x81QUIPE");
  /* U+1E9E LATIN CAPITAL LETTER SHARP S. */
  add_tagged (f, "Clara",
              "STRA\xe1\xba\x9e"
              "E");

  for (guint i = 0; i < 4; i++)
    {
      const char *spellings[]
          = { "Équipe", "équipe", "ÉQUIPE", "E\xcc\x81quipe" };

      g_test_message ("--tag %s", spellings[i]);
      g_assert_cmpuint (count_tagged (f, spellings[i]), ==, 2);
    }
  g_assert_cmpuint (count_tagged (f, "straße"), ==, 2);
  g_assert_cmpuint (count_tagged (f, "STRA\xe1\xba\x9e"
                                     "E"),
                    ==, 2);
  g_assert_cmpuint (count_tagged (f, "equipe"), ==, 0);

  /* import --tag adds the same tag. */
  {
    static const char card[] = "BEGIN:VCARD\r\nVERSION:4.0\r\n"
                               "FN:Dora\r\nEND:VCARD\r\n";
    g_autoptr (GInputStream) in
        = g_memory_input_stream_new_from_data (card, -1, NULL);

    opts.tag = "ÉQUIPE";
    opts.now = NOW;
    g_assert_true (tb_importer_run (f->store, in, &opts, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.added, ==, 1);
  }
  g_assert_cmpuint (count_tagged (f, "Équipe"), ==, 3);

  /* The figures per tag count it once. */
  stats = tb_store_get_stats (f->store, NOW, utc, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stats->tags->len; i++)
    {
      TbTagStats *t = g_ptr_array_index (stats->tags, i);

      g_test_message ("stats tag %s: %" G_GINT64_FORMAT, t->tag,
                      t->counts.contacts);
      if (g_str_equal (t->tag, "équipe"))
        equipe_contacts = (guint) t->counts.contacts;
      else
        g_assert_cmpstr (t->tag, ==, "straße");
    }
  g_assert_cmpuint (stats->tags->len, ==, 2);
  g_assert_cmpuint (equipe_contacts, ==, 3);

  /* The interval of a tag in the configuration, written another way. */
  config = tb_config_parse ("[tags]\nÉQUIPE=2w\n", -1, "touchbase.conf", NULL,
                            &error);
  g_assert_no_error (error);
  policy = (TbStorePolicy){ 30 * TB_DAY, config->tag_intervals, TB_DAY };
  g_assert_true (tb_store_set_policy (f->store, &policy, &error));
  g_assert_no_error (error);
  a = get (f, id_a);
  b = get (f, id_b);
  g_assert_cmpint (a->effective_interval, ==, 2 * TB_WEEK);
  g_assert_cmpint (b->effective_interval, ==, 2 * TB_WEEK);
  /* Stored in one spelling: lower case, composed. */
  g_assert_cmpstr (b->tags[0], ==, "équipe");
}

/* An import finds an address by its key, as the merge compares them:
 * case beyond ASCII and stray white space do not make another person. */
static void
test_duplicate_by_email_key (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (TbContact) in = tb_contact_new ();
  g_autoptr (TbContact) moved = tb_contact_new ();
  gint64 id;

  c->name = g_strdup ("Émilie Durand");
  c->email = g_strdup ("Émilie@Exemple.fr");
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);

  in->email = g_strdup ("émilie@exemple.fr ");
  g_assert_cmpint (tb_store_find_duplicate (f->store, in, &error), ==, id);
  g_clear_pointer (&in->email, g_free);
  in->other_emails = g_strsplit ("x@y.org,ÉMILIE@EXEMPLE.FR", ",", -1);
  g_assert_cmpint (tb_store_find_duplicate (f->store, in, &error), ==, id);
  g_assert_no_error (error);

  /* The key follows an edited address. */
  moved->email = g_strdup ("e.durand@exemple.fr");
  g_assert_true (tb_store_update_contact (f->store, id, moved, TB_FIELD_EMAIL,
                                          NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_find_duplicate (f->store, in, &error), ==, 0);
  g_strfreev (in->other_emails);
  in->other_emails = NULL;
  in->email = g_strdup ("E.Durand@Exemple.FR");
  g_assert_cmpint (tb_store_find_duplicate (f->store, in, &error), ==, id);
  g_assert_no_error (error);
}

/* Asks the store every question it can be asked, so that each of its
 * statements is in its cache. */
static gboolean
count_row (const TbRow *row, gpointer data, GError **error)
{
  (*(guint *) data)++;
  return TRUE;
}

static void
exercise_store (Fixture *f)
{
  static const char cards[]
      = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Imported Ines\r\n"
        "EMAIL:ines@example.org\r\nURL:https://www.linkedin.com/in/ines\r\n"
        "CATEGORIES:work\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Only A Name\r\nEND:VCARD\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (TbContact) values = tb_contact_new ();
  g_autoptr (GHashTable) tag_intervals
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GVariant) variant = NULL;
  TbStorePolicy policy = { 20 * TB_DAY, tag_intervals, TB_DAY };
  TbListFilter filter = { .now = NOW };
  TbImportOptions opts = { .now = NOW, .tag = "Imported" };
  g_auto (TbImportResult) result = { 0 };
  TbStoreCounts counts;
  gint64 id, other, fu, next = 0;

  c->name = g_strdup ("Ana Silva");
  c->email = g_strdup ("ana@example.org");
  c->url = g_strdup ("https://example.org/ana");
  c->birthday = g_strdup ("--05-04");
  c->tags = g_strsplit ("friends,work", ",", -1);
  tb_contact_add_fact (c, tb_fact_new (TB_FACT_GOAL, "a new job"));
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);
  other = add (f, "Bo Chen", 10 * TB_DAY);
  tb_store_add_fact (f->store, other, TB_FACT_OFFER, "hiring", NOW, &error);
  g_assert_no_error (error);
  {
    guint total = 0;

    g_ptr_array_unref (tb_store_search (f->store, "hir", 20, &total, &error));
    g_assert_no_error (error);
  }

  /* Import: duplicates by uid, URL, e-mail and name only, merges. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GInputStream) in
          = g_memory_input_stream_new_from_data (cards, -1, NULL);

      g_assert_true (tb_importer_run (f->store, in, &opts, &result, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (tb_store_find_duplicate (f->store, c, &error), ==, id);

  values->name = g_strdup ("Ana Silva-Lopes");
  values->email = g_strdup ("ana@example.net");
  values->url = g_strdup ("https://example.net/ana");
  values->phone = g_strdup ("+1 555");
  values->birthday = g_strdup ("--06-07");
  values->tags = g_strsplit ("friends", ",", -1);
  values->interval = 7 * TB_DAY;
  values->connected_on = NOW - TB_DAY;
  g_assert_true (tb_store_update_contact (
      f->store, id, values,
      TB_FIELD_NAME | TB_FIELD_EMAIL | TB_FIELD_URL | TB_FIELD_PHONE
          | TB_FIELD_BIRTHDAY | TB_FIELD_TAGS | TB_FIELD_INTERVAL
          | TB_FIELD_CONNECTED_ON,
      NOW, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tb_store_resolve (f->store, "silva", &error), ==, id);
  g_assert_cmpint (tb_store_resolve (f->store, "1", &error), ==, id);
  g_assert_no_error (error);
  /* Naming: the tracked tier, then a whole name and a part among the
   * imported (not tracked); a full list also counts the rest. */
  g_assert_cmpint (tb_store_resolve (f->store, "only a name", &error), >, 0);
  g_assert_cmpint (tb_store_resolve (f->store, "ines", &error), >, 0);
  g_assert_no_error (error);
  {
    guint total = 0;

    g_ptr_array_unref (
        tb_store_match_contacts (f->store, "a", 1, &total, &error));
    g_ptr_array_unref (
        tb_store_match_contacts (f->store, "imported", 1, &total, &error));
    g_assert_no_error (error);
    /* Shell completion: two tags, so the next tag is asked too. */
    g_ptr_array_unref (tb_store_complete_names (f->store, "im", 5, &error));
    g_ptr_array_unref (tb_store_complete_tags (f->store, "", 5, &error));
    g_assert_no_error (error);
  }
  tb_store_log_interaction (f->store, id, TB_KIND_CALL, NOW - TB_DAY, "hi", NOW,
                            &error);
  g_assert_no_error (error);
  tb_store_snooze (f->store, other, NOW + TB_DAY, &error);
  tb_store_set_paused (f->store, other, TRUE, &error);
  tb_store_set_paused (f->store, other, FALSE, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (tb_store_list_interactions (f->store, id, 0, &error));
  g_ptr_array_unref (tb_store_list_facts (f->store, id, &error));
  g_assert_no_error (error);

  /* Lists, with each filter, as contacts and as rows. */
  g_ptr_array_unref (tb_store_list_contacts (f->store, &filter, &error));
  g_assert_true (tb_store_foreach_row (f->store, &filter, count_row,
                                       &(guint){ 0 }, &error));
  filter.tag = "friends";
  filter.due = TRUE;
  filter.never = TRUE;
  g_ptr_array_unref (tb_store_list_contacts (f->store, &filter, &error));
  g_ptr_array_unref (tb_store_list_due (f->store, NOW, 0, &error));
  g_ptr_array_unref (
      tb_store_list_for_calendar (f->store, NOW + TB_WEEK, &next, &error));
  g_assert_no_error (error);

  /* Follow-ups. */
  fu = tb_store_add_follow_up (f->store, id, NOW + TB_DAY, "ask", NOW, &error);
  g_assert_no_error (error);
  tb_follow_up_free (tb_store_get_follow_up (f->store, fu, &error));
  g_ptr_array_unref (tb_store_list_follow_ups (f->store, 0, NOW, &error));
  g_ptr_array_unref (tb_store_list_follow_ups (f->store, id, NOW, &error));
  tb_store_snooze_follow_up (f->store, fu, NOW + 2 * TB_DAY, &error);
  g_assert_no_error (error);

  /* Alerts and the next wake-up. */
  g_assert_cmpint (tb_store_next_alert_at (f->store, 0, &error), >, 0);
  g_assert_cmpint (
      tb_store_next_alert_at (f->store, NOW + 1000 * TB_DAY, &error), >, 0);
  g_ptr_array_unref (tb_store_alert_contacts (f->store, NOW, &error));
  g_ptr_array_unref (tb_store_alert_follow_ups (f->store, NOW, &error));
  g_ptr_array_unref (tb_store_alert_birthdays (f->store, NOW, &error));
  tb_store_mark_contact_alerted (f->store, id, NOW, &error);
  tb_store_mark_follow_up_alerted (f->store, fu, NOW, &error);
  tb_store_mark_birthday_alerted (f->store, id, NOW, &error);
  tb_store_defer_contact_alert (f->store, id, NOW + TB_DAY, &error);
  g_assert_no_error (error);
  tb_store_complete_follow_up (f->store, fu, NOW, &error);
  tb_store_remove_follow_up (f->store, fu, &error);
  g_assert_no_error (error);

  /* Introductions, figures, state. */
  tb_store_record_intro (f->store, id, other, TB_INTRO_DECLINED, NULL, NOW,
                         &error);
  tb_store_make_intro (f->store, id, other, "jobs", NOW, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (tb_store_load_for_matching (f->store, &error));
  g_hash_table_unref (tb_store_intro_exclusions (f->store, NOW, &error));
  tb_stats_free (tb_store_get_stats (f->store, NOW, utc, &error));
  g_assert_true (tb_store_get_counts (f->store, NOW, &counts, &error));
  tb_store_set_state_int (f->store, "n", 1, &error);
  g_assert_cmpint (tb_store_get_state_int (f->store, "n", 0), ==, 1);
  tb_store_set_state_variant (f->store, "v", g_variant_new_int32 (1), &error);
  variant = tb_store_get_state_variant (f->store, "v");
  g_assert_no_error (error);

  /* The review queue: ranked, put off, shown by a notification. */
  {
    g_autoptr (TbReviewRanker) ranker = tb_review_ranker_new (5, NOW, utc);
    gint64 waiting;

    g_assert_true (tb_store_rank_review (f->store, ranker, NOW, FALSE, &error));
    g_assert_true (tb_store_rank_review (f->store, ranker, NOW, TRUE, &error));
    g_assert_no_error (error);
    g_ptr_array_unref (tb_review_ranker_finish (ranker));
    g_assert_cmpint (tb_store_review_noticeable_at (f->store, &error), >=, 0);
    {
      g_autoptr (TbContact) only = tb_contact_new ();

      only->name = g_strdup ("Only A Name");
      waiting = tb_store_find_by_name (f->store, only, &error);
    }
    g_assert_cmpint (waiting, >, 0);
    g_assert_true (
        tb_store_review_later (f->store, waiting, NOW + TB_DAY, &error));
    g_assert_true (
        tb_store_mark_review_noticed (f->store, waiting, NOW, &error));
    g_assert_no_error (error);
  }

  /* An add's check for the same person, the held alerts of status and
   * a reload, and correcting a history. */
  {
    const char *field = NULL;
    gint64 until = 0, logged, fact_owner = 0;
    g_autoptr (TbContact) lookalike = tb_contact_new ();
    g_autoptr (TbInteraction) got = NULL;
    g_autoptr (TbFact) fact = NULL;
    g_autoptr (GPtrArray) facts = NULL;

    lookalike->name = g_strdup ("Bo Chen");
    lookalike->email = g_strdup ("nobody@example.org");
    lookalike->url = g_strdup ("https://example.org/nobody");
    g_assert_cmpint (tb_store_find_same (f->store, lookalike, &field, &error),
                     ==, other);
    g_clear_pointer (&lookalike->name, g_free);
    g_assert_cmpint (tb_store_find_same (f->store, lookalike, &field, &error),
                     ==, 0);
    g_assert_cmpint (
        tb_store_count_held_alerts (f->store, NOW, 0, &until, &error), >=, 0);
    g_assert_cmpint (tb_store_count_held_alerts (f->store, NOW, NOW + TB_DAY,
                                                 &until, &error),
                     >=, 0);
    g_assert_true (tb_store_release_held_alerts (f->store, NOW, &error));
    logged = tb_store_log_interaction (f->store, other, TB_KIND_CALL,
                                       NOW - TB_DAY, "a call", NOW, &error);
    g_assert_cmpint (logged, >, 0);
    got = tb_store_get_interaction (f->store, logged, &error);
    g_assert_nonnull (got);
    g_ptr_array_unref (tb_store_list_interactions (f->store, other, 1, &error));
    g_assert_cmpint (tb_store_count_interactions (f->store, other, &error), >,
                     0);
    g_assert_true (tb_store_update_interaction (f->store, logged, TB_KIND_VIDEO,
                                                0, NULL, NOW, &error));
    g_assert_true (tb_store_remove_interaction (f->store, logged, &error));
    facts = tb_store_list_facts (f->store, id, &error);
    g_assert_nonnull (facts);
    g_assert_cmpuint (facts->len, >, 0);
    fact = tb_store_get_fact (f->store,
                              ((TbFact *) g_ptr_array_index (facts, 0))->id,
                              &fact_owner, &error);
    g_assert_nonnull (fact);
    g_assert_cmpint (fact_owner, ==, id);
    g_assert_true (tb_store_remove_fact (f->store, fact->id, &error));
    g_assert_no_error (error);
  }

  /* The exports, a new policy, a backup, a removal. */
  g_assert_true (tb_export_vcard (f->store, out, &error));
  g_assert_true (tb_export_csv (f->store, out, utc, &error));
  g_hash_table_insert (tag_intervals, g_strdup ("work"),
                       g_memdup2 (&(gint64){ 5 * TB_DAY }, sizeof (gint64)));
  g_assert_true (tb_store_set_policy (f->store, &policy, &error));
  g_assert_true (tb_backup_write (f->store, out, &error));
  g_assert_true (tb_store_remove_contact (f->store, other, &error));
  g_assert_no_error (error);
}

static void
collect_sql (TbStmt *stmt, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (sqlite3_sql (stmt)));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
query_plan (sqlite3 *db, const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return g_string_free (plan, FALSE);
}

/* A line of the plan that reads a whole table (or a whole index of it)
 * rather than searching it. A "SEARCH" that uses no index is one too:
 * SQLite words min() or max() of a column that has no index so. */
static gboolean
has_full_scan (const char *plan)
{
  g_auto (GStrv) lines = g_strsplit (plan, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "SCAN ")
          && !g_str_equal (lines[i], "SCAN CONSTANT ROW"))
        return TRUE;
      if (g_str_has_prefix (lines[i], "SEARCH ")
          && strstr (lines[i], " USING ") == NULL)
        return TRUE;
    }
  return FALSE;
}

/* Every statement the store prepares either searches an index or is
 * here, with the reason it reads everything. An entry is a part of the
 * statement's SQL, or with exact the whole of it. */
static const struct
{
  const char *sql;
  gboolean exact;
  const char *reason;
} full_scans[] = {
  { "SELECT * FROM ", FALSE, "the backup writes every row of every table" },
  { "FROM contacts c ORDER BY c.id", FALSE,
    "the vCard and CSV exports write every contact, in the table's order" },
  { "SELECT id FROM contacts", TRUE,
    "a new policy or a restore recomputes every contact" },
  { "(?1 IS NULL OR EXISTS", FALSE,
    "touchbase list and the exports show every contact; one statement "
    "serves all filters, which only narrow what is shown" },
  { "c.tracking = 1) OR c.id IN", FALSE,
    "the calendar holds every tracked contact with a birthday (which has "
    "no index), so it reads them all once" },
  { "SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag", TRUE,
    "the calendar's tags, in one pass for all its contacts, in the primary "
    "key's order" },
  { "FROM facts WHERE kind IN", FALSE,
    "the calendar's goals and needs, in one pass for all its contacts" },
  { "FROM facts f WHERE f.contact_id = c.id", FALSE,
    "introductions match every contact that has facts" },
  { "SELECT contact_id, kind, text FROM facts ORDER BY", FALSE,
    "introductions read every fact, in one pass" },
  { "FROM introductions WHERE status <> 'suggested' OR", FALSE,
    "the pairs left out of suggestions: every introduction recorded" },
  { "WHERE tracking IN (0, 2) AND m > 0", FALSE,
    "naming a contact that no tracked contact matches: a part of a name "
    "can be anywhere in it, which no index answers; it reads the index on "
    "(tracking, name_key), not the table" },
  { "WHERE tracking IN (0, 2) AND tb_name_match", FALSE,
    "how many contacts not tracked a part of a name matches, for the line "
    "\"and N more\" under a full list of candidates" },
  { "SELECT count(*) FROM contacts", TRUE, "the count of all contacts" },
  { "SELECT count(*) FROM follow_ups WHERE done_at IS NULL", TRUE,
    "the count of open follow-ups, read from the index that holds only "
    "those" },
  { "total(c.tracking = 2) FROM contacts c", FALSE,
    "touchbase stats: figures over every contact" },
  { "FROM contact_tags t JOIN contacts c", FALSE,
    "touchbase stats: figures per tag, over every tag" },
  { "FROM interactions i JOIN contact_tags t", FALSE,
    "touchbase stats: conversations per tag, over every tag" },
  { "FROM introductions i JOIN contact_tags t", FALSE,
    "touchbase stats: introductions per tag" },
  { "SELECT count(*) FROM introductions", FALSE,
    "touchbase stats: introductions made" },
  { "contacts_search MATCH ?1", FALSE,
    "touchbase search: FTS5 answers MATCH from its own index, and the "
    "plan words every use of a virtual table as a SCAN" },
  { "FROM contacts c WHERE c.tracking = 1", FALSE,
    "the review queue compares with every tracked contact, once per "
    "ranking" },
  { "INDEXED BY contacts_review", FALSE,
    "the review queue ranks every contact waiting in it, read from the "
    "index that holds only those" },
  { "FROM sqlite_sequence WHERE name = 'contacts'", FALSE,
    "the next contact id: SQLite's AUTOINCREMENT counters are one row per "
    "table, and max() of the rowid is the table's last entry" },
};

/* The questions that must be index look-ups, by a part of their SQL:
 * what wakes the daemon, what is due, what an import asks per record. */
static const char *const must_search[] = {
  "min(next_alert_at)",           /* tb_store_next_alert_at */
  "INDEXED BY contacts_re_alert", /* tb_store_next_alert_at's re-alerts */
  "c.next_alert_at <= ?",         /* tb_store_alert_contacts */
  "f.next_alert_at <= ?",         /* tb_store_alert_follow_ups */
  "c.birthday_alert_at <= ?",     /* tb_store_alert_birthdays */
  "WHERE c.due_at <= ?1 AND c.due_at >= ?3", /* tb_store_list_due */
  "min(due_at)",                             /* the calendar's next entry */
  "f.due_at <= ?2",                          /* tb_store_list_follow_ups */
  "WHERE due_at <= ?1",                      /* counts: due */
  "WHERE uid = ?",                           /* tb_store_find_duplicate */
  "WHERE url_key = ?",                       /* tb_store_find_duplicate */
  "WHERE email_key = ?",                     /* tb_store_find_duplicate */
  "WHERE name_key = ?",                      /* tb_store_find_by_name */
  "FROM interactions WHERE at",              /* stats: conversations */
  /* Naming a contact: the tracked tier reads only its own index entries,
   * and a whole name among the others is a search. */
  "WHERE tracking = 1 AND m > 0",
  "WHERE tracking = 1 AND tb_name_match",
  "tracking IN (0, 2) AND name_key = ?1",
  "ORDER BY review_after LIMIT", /* the next review notification */
  /* A Tab: a range of the name index per tier, one seek per tag. */
  "tracking = ?4 AND name_key >= ?1",
  "WHERE tag >= ?1 AND tag < ?2",
  "WHERE tag > ?1 AND tag < ?2",
};

static void
test_statements_use_indexes (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) statements = g_ptr_array_new_with_free_func (g_free);
  guint allowed_used[G_N_ELEMENTS (full_scans)] = { 0 };
  guint searched[G_N_ELEMENTS (must_search)] = { 0 };
  guint failures = 0;

  exercise_store (f);
  tb_store_foreach_statement (f->store, collect_sql, statements);
  g_ptr_array_sort (statements, compare_strings);
  g_assert_cmpuint (statements->len, >, 50);

  for (guint i = 0; i < statements->len; i++)
    {
      const char *sql = g_ptr_array_index (statements, i);
      g_autofree char *plan = query_plan (f->store->db, sql);
      const char *reason = NULL;
      gboolean must = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (full_scans) && !reason; j++)
        if (full_scans[j].exact ? g_str_equal (sql, full_scans[j].sql)
                                : strstr (sql, full_scans[j].sql) != NULL)
          {
            allowed_used[j]++;
            reason = full_scans[j].reason;
          }
      for (guint j = 0; j < G_N_ELEMENTS (must_search); j++)
        if (strstr (sql, must_search[j]) != NULL)
          {
            searched[j]++;
            must = TRUE;
          }
      /* An entry of the list must not excuse a look-up. */
      g_assert_true (reason == NULL || !must);
      g_test_message ("%s\n%s%s%s", sql, plan, reason ? "allowed: " : "",
                      reason ? reason : "");
      if (has_full_scan (plan) && reason == NULL)
        {
          g_test_message ("FULL SCAN: %s\n%s", sql, plan);
          failures++;
        }
    }
  g_assert_cmpuint (failures, ==, 0);

  /* The list names no statement the store does not have, and each must
   * look-up was asked (and so checked above). */
  for (guint j = 0; j < G_N_ELEMENTS (full_scans); j++)
    {
      if (allowed_used[j] == 0)
        g_test_message ("allowed but not prepared: %s", full_scans[j].sql);
      g_assert_cmpuint (allowed_used[j], >, 0);
    }
  for (guint j = 0; j < G_N_ELEMENTS (must_search); j++)
    {
      if (searched[j] == 0)
        g_test_message ("not prepared: %s", must_search[j]);
      g_assert_cmpuint (searched[j], >, 0);
    }

  /* The wake-up reads one entry of each of its three indexes. */
  for (guint i = 0; i < statements->len; i++)
    {
      const char *sql = g_ptr_array_index (statements, i);
      g_autofree char *plan = NULL;

      if (strstr (sql, "min(next_alert_at)") == NULL)
        continue;
      plan = query_plan (f->store->db, sql);
      /* And the re-alerts, one entry of theirs. */
      if (strstr (sql, "contacts_re_alert") != NULL)
        {
          g_assert_nonnull (strstr (plan, "INDEX contacts_re_alert"));
          continue;
        }
      g_assert_nonnull (strstr (plan, "INDEX contacts_next_alert_at"));
      g_assert_nonnull (strstr (plan, "INDEX follow_ups_next_alert_at"));
      g_assert_nonnull (strstr (plan, "INDEX contacts_birthday_alert_at"));
    }
}

static void
test_follow_ups (Fixture *f, gconstpointer data)
{
  gint64 id = add (f, "Ines", 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) due = NULL;
  gint64 fu;

  g_assert_cmpint (
      tb_store_add_follow_up (f->store, id, NOW, "  ", NOW, &error), ==, 0);
  g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  fu = tb_store_add_follow_up (f->store, id, NOW + TB_DAY, "ask about the job",
                               NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_next_alert_at (f->store, 0, &error), ==,
                   NOW + TB_DAY);
  due = tb_store_alert_follow_ups (f->store, NOW + TB_DAY, &error);
  g_assert_cmpuint (due->len, ==, 1);
  tb_store_complete_follow_up (f->store, fu, NOW, &error);
  g_assert_no_error (error);
  g_assert_false (tb_store_complete_follow_up (f->store, fu, NOW, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
}

/* With the day's first alerts spent, contacts coming due before the
 * next day wake nobody; a re-alert and a follow-up still do. */
static void
test_next_alert_daily_limit_spent (Fixture *f, gconstpointer data)
{
  gint64 tomorrow = NOW + TB_DAY;
  g_autoptr (GError) error = NULL;
  gint64 ana, bo;

  /* Due in an hour and in two. */
  ana = add (f, "Ana", TB_DAY);
  bo = add (f, "Bo", TB_DAY);
  tb_store_log_interaction (f->store, ana, TB_KIND_CALL, NOW - TB_DAY + 3600,
                            NULL, NOW, &error);
  g_assert_no_error (error);
  tb_store_log_interaction (f->store, bo, TB_KIND_CALL, NOW - TB_DAY + 7200,
                            NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_next_alert_at (f->store, 0, &error), ==,
                   NOW + 3600);
  g_assert_cmpint (tb_store_next_alert_at (f->store, tomorrow, &error), ==,
                   tomorrow);
  /* Ana was reminded an hour ago: her re-alert is not held. */
  tb_store_mark_contact_alerted (f->store, ana, NOW - 3600, &error);
  g_assert_no_error (error);
  tb_store_log_interaction (f->store, ana, TB_KIND_CALL, NOW - 2 * TB_DAY, NULL,
                            NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_next_alert_at (f->store, NOW + 2 * TB_DAY, &error),
                   ==, NOW - 3600 + TB_DAY);
  g_assert_cmpint (tb_store_next_alert_at (f->store, NOW + TB_DAY / 2, &error),
                   ==, NOW + TB_DAY / 2);
  /* Follow-ups are never held. */
  tb_store_add_follow_up (f->store, bo, NOW + 600, "ask", NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_store_next_alert_at (f->store, tomorrow, &error), ==,
                   NOW + 600);
  g_assert_no_error (error);
}

static gint64
add_searchable (Fixture *f, const char *name, const char *company,
                const char *position, const char *fact)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  c->company = g_strdup (company);
  c->position = g_strdup (position);
  if (fact != NULL)
    tb_contact_add_fact (c, tb_fact_new (TB_FACT_GOAL, fact));
  id = tb_store_add_contact (f->store, c, FALSE, NOW, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_search (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) values = tb_contact_new ();
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *expected = NULL;
  gint64 zoe, ana, bo, cy;
  guint total = 0;

  zoe = add_searchable (f, "Zoë Martin", "Solara GmbH", "CTO", NULL);
  ana = add_searchable (f, "Ana Lima", "Acme", "UX Researcher at SOLARA", NULL);
  bo = add_searchable (f, "Bo Berg", "Nordwind", "Engineer", NULL);
  cy = add_searchable (f, "Cy Solarano", NULL, NULL, NULL);
  add_searchable (f, "Dee Park", "Quanta", NULL, NULL);
  tb_store_add_fact (f->store, bo, TB_FACT_NEED, "an intro to sólara's CEO",
                     NOW, &error);
  g_assert_no_error (error);

  /* Every field, any case and accent, the word's start: Cy's name
   * weighs most, so he comes first. */
  g_free (search_ids (f->store, "solara", 20, &total));
  g_assert_cmpuint (total, ==, 4);
  found = tb_store_search (f->store, "SOL", 20, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 4);
  g_assert_cmpint (((TbContact *) found->pdata[0])->id, ==, cy);
  g_assert_cmpstr (((TbContact *) found->pdata[0])->matched[0], ==, "name");
  for (guint i = 0; i < found->len; i++)
    {
      TbContact *c = found->pdata[i];
      const char *field = c->id == zoe   ? "company"
                          : c->id == ana ? "position"
                          : c->id == bo  ? "facts"
                                         : "name";

      g_assert_true (g_strv_contains ((const char *const *) c->matched, field));
      g_assert_cmpuint (g_strv_length (c->matched), ==, 1);
    }
  g_clear_pointer (&found, g_ptr_array_unref);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, zoe);
  g_free (search_ids (f->store, "zoe", 20, &total));
  g_assert_cmpuint (total, ==, 1);
  assert_found (f->store, "ZOË mart", expected);
  /* Every word must match; a word in the middle of another does not. */
  assert_found (f->store, "zoe acme", "");
  g_free (search_ids (f->store, "olara", 20, &total));
  g_assert_cmpuint (total, ==, 0);

  /* The limit cuts the list, not the total. */
  found = tb_store_search (f->store, "sol", 2, &total, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpuint (total, ==, 4);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* FTS5 syntax is text: no error, and no operator takes effect. */
  {
    static const char *const hostile[] = {
      "\"",          "zoe\"",       "*",         "zoe*", "NEAR(zoe ana)",
      "zoe OR ana",  "zoe AND ana", "NOT ana",   "-ana", "name:zoe",
      "{name}: zoe", "^zoe",        "zoe + ana", "(zoe", "\"\" *",
    };
    for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
      {
        found = tb_store_search (f->store, hostile[i], 20, &total, &error);
        if (found == NULL)
          {
            /* Only text without a word is refused. */
            g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
            g_clear_error (&error);
            continue;
          }
        g_assert_no_error (error);
        g_clear_pointer (&found, g_ptr_array_unref);
      }
    /* No union, no exclusion, no column filter: "OR", "NOT" and "name"
     * are words nobody has, and "-ana" is Ana. */
    assert_found (f->store, "zoe OR ana", "");
    assert_found (f->store, "zoe NOT ana", "");
    assert_found (f->store, "name:zoe", "");
    assert_found (f->store, "zoe*", expected);
    g_free (expected);
    expected = g_strdup_printf ("%" G_GINT64_FORMAT, ana);
    assert_found (f->store, "-ana", expected);
    assert_found (f->store, "\"ana", expected);
  }
  /* Nothing to search for, or too much. */
  {
    g_autofree char *long_text = g_strnfill (2000, 'a');
    static const char *const refused[] = { "", "  ", "*", "\"", "- : ^" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_assert_null (
            tb_store_search (f->store, refused[i], 20, NULL, &error));
        g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
        g_clear_error (&error);
      }
    g_assert_null (tb_store_search (f->store, long_text, 20, NULL, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_null (tb_store_search (
        f->store, "a b c d e f g h i j k l m n o p q", 20, NULL, &error));
    g_assert_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  /* After an edit the old text no longer matches and the new one does;
   * an update of something else leaves the entry alone. */
  values->company = g_strdup ("Quanta");
  values->position = g_strdup ("");
  g_assert_true (tb_store_update_contact (f->store, ana, values,
                                          TB_FIELD_COMPANY | TB_FIELD_POSITION,
                                          NOW, &error));
  g_assert_no_error (error);
  g_free (search_ids (f->store, "solara", 20, &total));
  g_assert_cmpuint (total, ==, 3);
  g_free (search_ids (f->store, "quanta", 20, &total));
  g_assert_cmpuint (total, ==, 2);
  assert_found (f->store, "researcher", "");
  values->interval = 7 * TB_DAY;
  g_assert_true (tb_store_update_contact (f->store, ana, values,
                                          TB_FIELD_INTERVAL, NOW, &error));
  g_assert_true (tb_store_snooze (f->store, ana, NOW + TB_DAY, &error));
  g_assert_no_error (error);
  search_index_is_intact (f->store);

  /* A removed contact is gone from the index. */
  g_assert_true (tb_store_remove_contact (f->store, zoe, &error));
  g_free (search_ids (f->store, "zoe", 20, &total));
  g_assert_cmpuint (total, ==, 0);
  g_assert_false (tb_store_remove_contact (f->store, zoe, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  search_index_is_intact (f->store);
}

/* The order of the results: every word in the name, then every word in
 * the name, company or position, then anywhere; tracked contacts first
 * within each of these; then the order they were added. */
static void
test_search_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  gint64 note, work, name_later, name, imported, both;
  guint total = 0;

  note = add_searchable (f, "Ed Stone", NULL, NULL, "meet Vega at the fair");
  work = add_searchable (f, "Fay Hill", "Vega Labs", NULL, NULL);
  imported = add_searchable (f, "Ivo Vega", NULL, NULL, NULL);
  name = add_searchable (f, "Vega Lund", NULL, NULL, NULL);
  name_later = add_searchable (f, "Ola Vegard", NULL, NULL, NULL);
  both = add_searchable (f, "Una Berg", "Vega", "Lund Office", NULL);
  g_assert_true (tb_store_set_tracking (
      f->store, imported, TB_TRACKING_NOT_TRACKED, 0, NOW, &error));
  g_assert_no_error (error);

  expected = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                              name, name_later, imported, work, both, note);
  g_free (search_ids (f->store, "vega", 20, &total));
  g_assert_cmpuint (total, ==, 6);
  assert_found (f->store, "vega", expected);
  g_free (expected);
  /* A word of the name and one of the company is a company match. */
  expected
      = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, name, both);
  assert_found (f->store, "lund vega", expected);
  g_free (expected);
  /* The limit keeps the best. */
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, name,
                              name_later);
  {
    g_autofree char *found = search_ids (f->store, "veg", 2, &total);

    g_assert_cmpstr (found, ==, expected);
    g_assert_cmpuint (total, ==, 6);
  }
}

/* In bulk mode (an import) the contacts it adds enter the index when it
 * ends, with whatever changed them in between; an older contact changed
 * meanwhile is rewritten at once, as always. */
static void
test_search_bulk (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) values = tb_contact_new ();
  g_autofree char *expected = NULL;
  gint64 old, added;

  old = add_searchable (f, "Olga Old", "Acme", NULL, NULL);
  g_assert_true (tb_store_begin (f->store, &error));
  g_assert_true (tb_store_set_bulk (f->store, TRUE, NULL));
  added = add_searchable (f, "Nils New", "Acme", NULL, NULL);
  values->company = g_strdup ("Nova");
  g_assert_true (tb_store_update_contact (f->store, added, values,
                                          TB_FIELD_COMPANY, NOW, &error));
  g_assert_true (tb_store_update_contact (f->store, old, values,
                                          TB_FIELD_COMPANY, NOW, &error));
  tb_store_add_fact (f->store, added, TB_FACT_NEED, "a kayak", NOW, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_set_bulk (f->store, FALSE, NULL));
  g_assert_true (tb_store_commit (f->store, &error));
  g_assert_no_error (error);

  expected
      = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, old, added);
  assert_found (f->store, "nova", expected);
  assert_found (f->store, "acme", "");
  g_free (expected);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, added);
  assert_found (f->store, "nils kayak", expected);
  search_index_is_intact (f->store);
}

static void
test_remove_cascades (Fixture *f, gconstpointer data)
{
  gint64 id = add (f, "Jonas", 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) interactions = NULL;

  tb_store_log_interaction (f->store, id, TB_KIND_CALL, NOW, "x", NOW, &error);
  tb_store_add_follow_up (f->store, id, NOW, "y", NOW, &error);
  g_assert_no_error (error);
  g_assert_true (tb_store_remove_contact (f->store, id, &error));
  interactions = tb_store_list_interactions (f->store, id, 0, &error);
  g_assert_cmpuint (interactions->len, ==, 0);
  g_assert_cmpint (tb_store_next_alert_at (f->store, 0, &error), ==, 0);
  g_assert_false (tb_store_remove_contact (f->store, id, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
}

static void
test_nested_transactions (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) outer = tb_contact_new ();
  g_autoptr (TbContact) inner = tb_contact_new ();
  g_autoptr (GPtrArray) all = NULL;
  TbListFilter filter = { .now = NOW };

  /* An inner failure undoes the inner part only; the outer transaction
   * goes on and commits what it did. */
  outer->name = g_strdup ("Outer");
  inner->name = g_strdup ("Inner");
  g_assert_true (tb_store_begin (f->store, &error));
  g_assert_cmpint (tb_store_add_contact (f->store, outer, FALSE, NOW, &error),
                   >, 0);
  g_assert_true (tb_store_begin (f->store, &error));
  g_assert_cmpint (tb_store_add_contact (f->store, inner, FALSE, NOW, &error),
                   >, 0);
  tb_store_rollback (f->store);
  g_assert_true (tb_store_commit (f->store, &error));
  g_assert_no_error (error);
  all = tb_store_list_contacts (f->store, &filter, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((TbContact *) all->pdata[0])->name, ==, "Outer");

  /* Committing with nothing open is an error, not a crash. */
  g_assert_false (tb_store_commit (f->store, &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_STORAGE);
}

static void
test_backdated_log_keeps_snooze (Fixture *f, gconstpointer data)
{
  gint64 id = add (f, "Kavya", 10 * TB_DAY);
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) c = NULL;

  tb_store_log_interaction (f->store, id, TB_KIND_CALL, NOW - TB_DAY, NULL, NOW,
                            &error);
  tb_store_snooze (f->store, id, NOW + 20 * TB_DAY, &error);
  /* An older email logged afterwards neither moves the clock nor ends
   * the snooze. */
  tb_store_log_interaction (f->store, id, TB_KIND_EMAIL, NOW - 5 * TB_DAY, NULL,
                            NOW, &error);
  g_assert_no_error (error);
  c = get (f, id);
  g_assert_cmpint (c->snoozed_until, ==, NOW + 20 * TB_DAY);
  g_assert_cmpint (c->next_alert_at, ==, NOW + 20 * TB_DAY);
}

static void
test_uuid_v7 (void)
{
  const guint32 random[3] = { 0xffffffff, 0xffffffff, 0xffffffff };
  const guint32 zero[3] = { 0, 0, 0 };
  char a[37];
  char b[37];
  g_autofree char *now = NULL;
  g_autofree char *later = NULL;

  /* RFC 9562 appendix A.6: 2022-02-22 19:22:22 UTC = 0x017f22e279b0 ms. */
  tb_uuid_v7_format (G_GUINT64_CONSTANT (0x017f22e279b0), zero, a);
  g_assert_cmpstr (a, ==, "017f22e2-79b0-7000-8000-000000000000");
  tb_uuid_v7_format (G_GUINT64_CONSTANT (0x017f22e279b0), random, b);
  g_assert_cmpstr (b, ==, "017f22e2-79b0-7fff-bfff-ffffffffffff");
  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_true (g_uuid_string_is_valid (b));
  /* Time orders them, whatever the random bits. */
  tb_uuid_v7_format (G_GUINT64_CONSTANT (0x017f22e279b1), zero, a);
  g_assert_cmpint (strcmp (b, a), <, 0);

  now = tb_uuid_v7_new ();
  g_usleep (2 * G_TIME_SPAN_MILLISECOND);
  later = tb_uuid_v7_new ();
  g_assert_true (g_uuid_string_is_valid (now));
  g_assert_cmpint (now[14], ==, '7');
  g_assert_cmpint (strcmp (now, later), <, 0);
}

/* The calendar's read: only contacts that make a component, ordered by
 * due_at then name, with tags and only goal/need facts. */
static void
test_list_for_calendar (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (TbContact) bday = tb_contact_new ();
  gint64 soon_b = add (f, "bob", 3 * TB_DAY);
  gint64 soon_a = add (f, "Ann", 3 * TB_DAY);
  gint64 later = add (f, "Later", 20 * TB_DAY);
  gint64 paused = add (f, "Paused", 2 * TB_DAY);
  gint64 with_fu = add (f, "Follow", 30 * TB_DAY);
  gint64 bday_id;
  gint64 next = -1;
  const TbContact *c;

  bday->name = g_strdup ("Birthday");
  bday->birthday = g_strdup ("--05-04");
  bday->interval = 40 * TB_DAY;
  bday->tags = g_strsplit ("b-tag,a-tag", ",", -1);
  bday_id = tb_store_add_contact (f->store, bday, FALSE, NOW, &error);
  g_assert_no_error (error);
  tb_store_set_paused (f->store, paused, TRUE, &error);
  g_assert_no_error (error);
  tb_store_add_follow_up (f->store, with_fu, NOW + TB_DAY, "ask", NOW, &error);
  g_assert_no_error (error);
  tb_store_add_fact (f->store, soon_a, TB_FACT_INTEREST, "chess", NOW, &error);
  g_assert_no_error (error);
  tb_store_add_fact (f->store, soon_a, TB_FACT_GOAL, "a job", NOW, &error);
  g_assert_no_error (error);

  list = tb_store_list_for_calendar (f->store, NOW + 7 * TB_DAY, &next, &error);
  g_assert_no_error (error);
  /* Ann and bob (same due_at: by name, case folded), Follow, Birthday;
   * not Later (due after the window) nor Paused. */
  g_assert_cmpuint (list->len, ==, 4);
  c = g_ptr_array_index (list, 0);
  g_assert_cmpint (c->id, ==, soon_a);
  g_assert_cmpuint (c->facts->len, ==, 1);
  g_assert_cmpint (((TbFact *) g_ptr_array_index (c->facts, 0))->kind, ==,
                   TB_FACT_GOAL);
  g_assert_cmpint (((TbContact *) g_ptr_array_index (list, 1))->id, ==, soon_b);
  g_assert_cmpint (((TbContact *) g_ptr_array_index (list, 2))->id, ==,
                   with_fu);
  c = g_ptr_array_index (list, 3);
  g_assert_cmpint (c->id, ==, bday_id);
  g_assert_cmpstr (c->birthday, ==, "--05-04");
  g_assert_cmpuint (g_strv_length (c->tags), ==, 2);
  g_assert_cmpstr (c->tags[0], ==, "a-tag");
  g_assert_cmpstr (c->tags[1], ==, "b-tag");
  g_assert_cmpuint (
      g_strv_length (((TbContact *) g_ptr_array_index (list, 0))->tags), ==, 0);
  /* Later enters the window first (Paused never does). */
  {
    g_autoptr (TbContact) l = get (f, later);

    g_assert_cmpint (next, ==, l->due_at);
  }
}

/* Tags that interleave across contacts (the tag index orders them by
 * tag, not by contact): each contact keeps all of its own. */
static void
test_list_for_calendar_tags (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (TbContact) alice = tb_contact_new ();
  g_autoptr (TbContact) bob = tb_contact_new ();
  gint64 alice_id;
  gint64 bob_id;
  gint64 next = -1;

  alice->name = g_strdup ("Alice A");
  alice->interval = TB_DAY;
  alice->tags = g_strsplit ("b,d", ",", -1);
  alice_id = tb_store_add_contact (f->store, alice, FALSE, NOW, &error);
  g_assert_no_error (error);
  bob->name = g_strdup ("Bob B");
  bob->interval = TB_DAY;
  bob->tags = g_strsplit ("c,a", ",", -1);
  bob_id = tb_store_add_contact (f->store, bob, FALSE, NOW, &error);
  g_assert_no_error (error);

  list = tb_store_list_for_calendar (f->store, NOW + 7 * TB_DAY, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      const TbContact *c = g_ptr_array_index (list, i);
      g_autofree char *tags = g_strjoinv (",", c->tags);

      if (c->id == alice_id)
        g_assert_cmpstr (tags, ==, "b,d");
      else
        {
          g_assert_cmpint (c->id, ==, bob_id);
          g_assert_cmpstr (tags, ==, "a,c");
        }
    }
}

static gboolean
collect_contact (TbContact *contact, gpointer data, GError **error)
{
  g_ptr_array_add (data, contact);
  return TRUE;
}

/* Read a page at a time, each after the last contact of the page
 * before, the list is the whole list: ties on the due time (names equal
 * but for case), and the part without one. */
static void
test_list_after (Fixture *f, gconstpointer data)
{
  const char *tracked[] = { "bo", "Al", "al", "Cy", "AL", "bo" };
  const char *others[] = { "zed", "Ann", "ann", "Yu" };
  g_autoptr (GPtrArray) whole = NULL;
  g_autoptr (GError) error = NULL;
  TbListFilter filter = { .now = NOW };
  TbListCursor cursor = { 0 };
  guint at = 0;

  for (guint i = 0; i < G_N_ELEMENTS (tracked); i++)
    add (f, tracked[i], 7 * 86400);
  add (f, "Dee", 3 * 86400);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    add_imported (f, others[i], NULL);
  whole = tb_store_list_contacts (f->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (whole->len, ==, 11);
  filter.limit = 1;
  for (;;)
    {
      g_autoptr (GPtrArray) page
          = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
      TbContact *last;

      g_assert_true (tb_store_foreach_contact (f->store, &filter,
                                               collect_contact, page, &error));
      g_assert_no_error (error);
      if (page->len == 0)
        break;
      g_assert_cmpuint (at, <, whole->len);
      last = g_ptr_array_index (page, 0);
      g_assert_cmpint (last->id, ==,
                       ((TbContact *) g_ptr_array_index (whole, at))->id);
      at++;
      g_free ((char *) cursor.name);
      cursor = (TbListCursor){ last->due_at, last->tracking,
                               g_strdup (last->name), last->id };
      filter.after = &cursor;
    }
  g_free ((char *) cursor.name);
  g_assert_cmpuint (at, ==, whole->len);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func)                                                        \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/open/private-files", test_private_files);
  ADD ("/store/open/refuses-garbage", test_refuses_garbage);
  ADD ("/store/open/refuses-newer", test_refuses_newer);
  ADD ("/store/open/refuses-corrupt", test_refuses_corrupt);
  ADD ("/store/open/refuses-foreign", test_refuses_foreign);
  ADD ("/store/open/refuses-symlink", test_refuses_symlink);
  ADD ("/store/open/application-id", test_sets_application_id);
  ADD ("/store/migrate/v1", test_opens_v1);
  ADD ("/store/migrate/tags", test_migrate_tags);
  ADD ("/store/due/log-resets-clock", test_log_resets_clock);
  ADD ("/store/due/snooze-is-not-interaction", test_snooze_is_not_interaction);
  ADD ("/store/due/connected-on-is-not-interaction",
       test_connected_on_is_not_interaction);
  ADD ("/store/due/pause", test_pause);
  ADD ("/store/list/after", test_list_after);
  ADD ("/store/due/tracking", test_tracking);
  ADD ("/store/due/tracking-keeps-what-was-done",
       test_tracking_keeps_what_was_done);
  g_test_add_func ("/store/import/merge-keeps-own-interval",
                   test_merge_keeps_own_interval);
  ADD ("/store/due/tag-intervals", test_policy_and_tags);
  ADD ("/store/tags/non-ascii", test_tags_non_ascii);
  ADD ("/store/duplicates/email-key", test_duplicate_by_email_key);
  ADD ("/store/resolve", test_resolve);
  ADD ("/store/resolve/tracked-first", test_resolve_tracked_first);
  ADD ("/store/resolve/ranking", test_resolve_ranking);
  ADD ("/store/resolve/lists-ten", test_resolve_lists_ten);
  ADD ("/store/transactions/nested", test_nested_transactions);
  ADD ("/store/due/backdated-log-keeps-snooze",
       test_backdated_log_keeps_snooze);
  ADD ("/store/indexes", test_statements_use_indexes);
  ADD ("/store/follow-ups", test_follow_ups);
  ADD ("/store/open/checks-only-when-not-closed-cleanly",
       test_checks_only_when_not_closed_cleanly);
  ADD ("/store/next-alert/daily-limit-spent",
       test_next_alert_daily_limit_spent);
  ADD ("/store/remove-cascades", test_remove_cascades);
  ADD ("/store/search", test_search);
  ADD ("/store/search/order", test_search_order);
  ADD ("/store/search/bulk", test_search_bulk);
  g_test_add_func ("/store/uuid-v7", test_uuid_v7);
  ADD ("/store/list-for-calendar", test_list_for_calendar);
  ADD ("/store/list-for-calendar/tags", test_list_for_calendar_tags);
  return g_test_run ();
}
