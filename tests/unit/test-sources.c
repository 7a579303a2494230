/* test-sources.c — the pure parts of the sources (docs/design.md §12):
 * the records and their keys, a sent message's headers as GMime reads
 * them, and the store's rules for what is logged (matching by every
 * address, the user's own skipped, once per message and contact, not
 * doubling a hand-logged one, never tracking, forgetting). No bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-error.h"
#include "tb-found.h"
#include "tb-mail.h"
#include "tb-source.h"
#include "tb-store-sources.h"
#include "tb-test-util.h"
#include "tb-time.h"

#define NOW ((gint64) 1790000000)

static void
test_found_names (void)
{
  g_autofree char *home
      = g_build_filename (g_get_home_dir (), "Mail", "Sent", NULL);
  g_autofree char *name = tb_found_source_name ("maildir", home);
  g_autofree char *other = tb_found_source_name ("mbox", "/srv/x");
  g_autofree char *bare = tb_found_source_name ("notmuch", NULL);
  g_autofree char *id = tb_found_message_id_key (" <a.b@example.org> ");
  g_autofree char *none = tb_found_message_id_key ("<>");
  g_autoptr (TbFound) mail = NULL;
  g_autoptr (TbFound) event = NULL;
  g_autofree char *mk = NULL;
  g_autofree char *ek = NULL;
  const char *to[] = { "a@example.org", NULL };

  g_assert_cmpstr (name, ==, "maildir:~/Mail/Sent");
  g_assert_cmpstr (other, ==, "mbox:/srv/x");
  g_assert_cmpstr (bare, ==, "notmuch");
  g_assert_cmpstr (id, ==, "a.b@example.org");
  g_assert_null (none);
  /* A Message-ID and an event UID of the same text never meet. */
  mail = tb_found_new ("s", "x@y", NOW, TB_KIND_EMAIL, "", to);
  event = tb_found_new ("s", "x@y", NOW, TB_KIND_MEETING, "Lunch", to);
  mk = tb_found_origin_key (mail);
  ek = tb_found_origin_key (event);
  g_assert_cmpstr (mk, ==, "mail:x@y");
  g_assert_cmpstr (ek, ==, "event:x@y");
  g_assert_null (mail->note);
  g_assert_cmpstr (event->note, ==, "Lunch");
}

static void
test_found_day (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  gint64 start, end;

  /* 2026-03-29 12:00 CEST: spring forward, a day of 23 hours. */
  tb_found_day (1774778400, tz, &start, &end);
  g_assert_cmpint (end - start, ==, 23 * 3600);
  g_assert_cmpint (start, <=, 1774778400);
  g_assert_cmpint (end, >, 1774778400);
}

static TbSource *
dummy_source (void)
{
  /* TbSource is only constructed through its subclasses; a scan record
   * needs no more than its name. */
  return g_object_new (TB_TYPE_SOURCE, "kind", "maildir", "location", "/x/Sent",
                       NULL);
}

static TbSourceScan *
new_scan (const char *const *own)
{
  g_autoptr (TbSource) source = dummy_source ();
  g_autoptr (GHashTable) set = tb_found_own_set (own);

  return tb_source_scan_new (source, NOW - TB_YEAR, NOW, NULL, set, NULL, NULL);
}

static TbFound *
from_header (TbSourceScan *scan, const char *header)
{
  return tb_mail_found_from_header (scan, header, strlen (header));
}

static void
test_mail_headers (void)
{
  const char *own[] = { "Me@Example.org", NULL };
  g_autoptr (TbSourceScan) scan = new_scan (own);
  g_autoptr (TbSourceScan) blind = new_scan (NULL);
  TbFound *f;

  f = from_header (scan, "From: Me <me@example.org>\n"
                         "To: Ana <ana@example.com>, team: bo@example.com, "
                         "cy@example.com;\n"
                         "Cc: me@example.org\n"
                         "Date: Sat, 21 Sep 2026 10:00:00 +0200\n"
                         "Message-ID: <m1@example.org>\n\n");
  g_assert_nonnull (f);
  g_assert_cmpstr (f->key, ==, "m1@example.org");
  g_assert_cmpint (f->at, ==, 1789977600);
  g_assert_cmpint (f->kind, ==, TB_KIND_EMAIL);
  g_assert_null (f->note);
  /* The group opened, the copy to oneself left out. */
  g_assert_cmpuint (g_strv_length (f->addresses), ==, 3);
  g_assert_cmpstr (f->addresses[1], ==, "bo@example.com");
  tb_found_free (f);

  /* Not the user's, too old, no Date, nobody else: nothing. */
  g_assert_null (from_header (scan, "From: eve@example.com\n"
                                    "To: ana@example.com\n"
                                    "Date: Sat, 21 Sep 2026 10:00:00 "
                                    "+0200\n\n"));
  g_assert_null (from_header (scan, "From: me@example.org\n"
                                    "To: ana@example.com\n"
                                    "Date: Sat, 21 Sep 2024 10:00:00 "
                                    "+0200\n\n"));
  g_assert_null (
      from_header (scan, "From: me@example.org\nTo: ana@example.com\n\n"));
  g_assert_null (from_header (scan, "From: me@example.org\n"
                                    "To: me@example.org\n"
                                    "Date: Sat, 21 Sep 2026 10:00:00 "
                                    "+0200\n\n"));

  /* Without a Message-ID: a key all copies share. */
  f = from_header (scan, "From: me@example.org\nTo: ana@example.com\n"
                         "Date: Sat, 21 Sep 2026 10:00:00 +0200\n"
                         "Subject: hi\n\n");
  g_assert_nonnull (f);
  g_assert_true (g_str_has_prefix (f->key, "sha256:"));
  tb_found_free (f);

  /* Nobody known: a Sent folder's From is the user's. */
  g_assert_false (tb_source_scan_knows_own (blind));
  f = from_header (blind, "From: Someone <someone@example.net>\n"
                          "To: ana@example.com\n"
                          "Date: Sat, 21 Sep 2026 10:00:00 +0200\n\n");
  g_assert_nonnull (f);
  tb_found_free (f);
  g_assert_true (tb_source_scan_is_own (blind, "SOMEONE@example.net"));
  g_assert_cmpstr (tb_source_scan_get_learned (blind)[0], ==,
                   "someone@example.net");
}

static void
test_mail_read_header (void)
{
  static const char text[] = "From: a@b\r\nTo: c@d\r\n\r\nbody\r\n\r\nmore";
  g_autoptr (GInputStream) in
      = g_memory_input_stream_new_from_data (text, sizeof text - 1, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) header = tb_mail_read_header (in, NULL, &error);
  g_autofree char *big = g_strnfill (TB_MAIL_MAX_HEADER + 10, 'x');
  g_autoptr (GInputStream) endless
      = g_memory_input_stream_new_from_data (big, -1, NULL);
  g_autoptr (GBytes) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (header), ==, 22);
  none = tb_mail_read_header (endless, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, TB_ERROR, TB_ERROR_PARSE);
}

/* The store's rules */

typedef struct
{
  char *dir;
  TbStore *store;
  gint64 ana, bo, cy;
} Fixture;

static gint64
add (Fixture *f, const char *name, const char *email, TbTracking tracking)
{
  g_autoptr (TbContact) c = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  c->name = g_strdup (name);
  c->email = g_strdup (email);
  id = tb_store_add_contact (f->store, c, FALSE, NOW - 100 * TB_DAY, &error);
  g_assert_no_error (error);
  if (tracking != TB_TRACKING_TRACKED)
    {
      tb_store_set_tracking (f->store, id, tracking, 0, NOW, &error);
      g_assert_no_error (error);
    }
  return id;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

  f->dir = g_dir_make_tmp ("tb-sources-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "touchbase.db", NULL);
  f->store = tb_store_open (path, &error);
  g_assert_no_error (error);
  tb_store_set_time_zone (f->store, utc);
  f->ana = add (f, "Ana Silva", "ana@example.com", TB_TRACKING_TRACKED);
  f->bo = add (f, "Bo Berg", "bo@example.com", TB_TRACKING_TRACKED);
  f->cy = add (f, "Cy Young", "cy@example.com", TB_TRACKING_NOT_TRACKED);
  tb_store_add_contact_email (f->store, f->bo, "Bo.Berg@Work.example", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->store, tb_store_free);
  tb_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
record (Fixture *f, TbFoundResult *out, const char *key, gint64 at,
        TbInteractionKind kind, const char *const *to)
{
  g_autoptr (GPtrArray) batch
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_found_free);
  const char *own[] = { "me@example.org", NULL };
  g_autoptr (GHashTable) set = tb_found_own_set (own);
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (batch,
                   tb_found_new ("maildir:~/Sent", key, at, kind, NULL, to));
  g_assert_true (
      tb_store_record_found (f->store, batch, set, NOW, out, &error));
  g_assert_no_error (error);
}

static gint64
count (Fixture *f, gint64 id)
{
  g_autoptr (GError) error = NULL;
  gint64 n = tb_store_count_interactions (f->store, id, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_store_rules (Fixture *f, gconstpointer data)
{
  g_auto (TbFoundResult) r = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TbContact) cy = NULL;
  g_autoptr (TbContact) ana = NULL;
  const char *to[]
      = { "ANA@example.com ",         "bo.berg@work.EXAMPLE", "me@example.org",
          "stranger@nowhere.example", "cy@example.com",       NULL };
  const char *ana_only[] = { "ana@example.com", NULL };
  gint64 removed = 0;

  tb_found_result_init (&r);
  record (f, &r, "m1", NOW - 5 * TB_DAY, TB_KIND_EMAIL, to);
  g_assert_cmpuint (r.logged, ==, 3);
  g_assert_cmpuint (r.own, ==, 1);
  g_assert_cmpuint (r.unknown, ==, 1);
  g_assert_cmpuint (g_hash_table_size (r.contacts), ==, 3);
  /* Again, from another folder: nothing new. */
  record (f, &r, "m1", NOW - 5 * TB_DAY, TB_KIND_EMAIL, to);
  g_assert_cmpuint (r.logged, ==, 3);
  g_assert_cmpuint (r.already, ==, 3);
  g_assert_cmpuint (r.unknown, ==, 1);
  /* The same key as a meeting is another thing. */
  record (f, &r, "m1", NOW - 5 * TB_DAY, TB_KIND_MEETING, ana_only);
  g_assert_cmpuint (r.logged, ==, 4);

  /* A meeting logged by hand today: the one found today is not
   * doubled, an e-mail the same day is not the same thing. */
  tb_store_log_interaction (f->store, f->ana, TB_KIND_MEETING, NOW - 3600, NULL,
                            NOW, &error);
  g_assert_no_error (error);
  record (f, &r, "ev", NOW - 7200, TB_KIND_MEETING, ana_only);
  g_assert_cmpuint (r.logged, ==, 4);
  record (f, &r, "m2", NOW - 7200, TB_KIND_EMAIL, ana_only);
  g_assert_cmpuint (r.logged, ==, 5);
  /* In the future: skipped. */
  record (f, &r, "m3", NOW + 3600, TB_KIND_EMAIL, ana_only);
  g_assert_cmpuint (r.future, ==, 1);
  g_assert_cmpint (count (f, f->ana), ==, 4);

  /* Not tracked stays not tracked; the clock of the tracked moved. */
  cy = tb_store_get_contact (f->store, f->cy, &error);
  g_assert_cmpint (cy->tracking, ==, TB_TRACKING_NOT_TRACKED);
  g_assert_cmpint (cy->last_interaction_at, ==, NOW - 5 * TB_DAY);
  ana = tb_store_get_contact (f->store, f->ana, &error);
  g_assert_cmpint (ana->last_interaction_at, ==, NOW - 3600);

  /* Forgetting takes what the source found, not the hand-logged one. */
  g_assert_true (
      tb_store_forget_source (f->store, "maildir:~/Sent", &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (removed, ==, 5);
  g_assert_cmpint (count (f, f->ana), ==, 1);
  g_assert_cmpint (count (f, f->cy), ==, 0);
  g_clear_pointer (&cy, tb_contact_free);
  cy = tb_store_get_contact (f->store, f->cy, &error);
  g_assert_cmpint (cy->last_interaction_at, ==, 0);
}

static void
test_store_addresses (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) others = NULL;
  g_autoptr (TbContact) bo = NULL;

  /* Adding someone by another's second address is adding them again. */
  {
    g_autoptr (TbContact) again = tb_contact_new ();
    const char *field = NULL;

    again->name = g_strdup ("Robert Berg");
    again->email = g_strdup ("BO.BERG@work.example");
    g_assert_cmpint (tb_store_find_same (f->store, again, &field, &error), ==,
                     f->bo);
    g_assert_cmpstr (field, ==, "email");
    g_assert_cmpint (tb_store_find_duplicate (f->store, again, &error), ==,
                     f->bo);
  }
  /* The primary again, in capitals: nothing new. */
  g_assert_true (
      tb_store_add_contact_email (f->store, f->bo, "BO@example.com", &error));
  others = tb_store_list_contact_emails (f->store, f->bo, &error);
  g_assert_cmpuint (g_strv_length (others), ==, 1);
  g_clear_pointer (&others, g_strfreev);
  /* The primary goes: the other takes its place. */
  g_assert_true (tb_store_remove_contact_email (f->store, f->bo,
                                                "bo@EXAMPLE.com", &error));
  g_assert_no_error (error);
  bo = tb_store_get_contact (f->store, f->bo, &error);
  g_assert_cmpstr (bo->email, ==, "Bo.Berg@Work.example");
  others = tb_store_list_contact_emails (f->store, f->bo, &error);
  g_assert_cmpuint (g_strv_length (others), ==, 0);
  g_assert_false (tb_store_remove_contact_email (f->store, f->bo,
                                                 "nobody@example.com", &error));
  g_assert_error (error, TB_ERROR, TB_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tb_mail_init ();
  g_test_add_func ("/sources/found/names", test_found_names);
  g_test_add_func ("/sources/found/day", test_found_day);
  g_test_add_func ("/sources/mail/headers", test_mail_headers);
  g_test_add_func ("/sources/mail/read-header", test_mail_read_header);
  g_test_add ("/sources/store/rules", Fixture, NULL, fixture_set_up,
              test_store_rules, fixture_tear_down);
  g_test_add ("/sources/store/addresses", Fixture, NULL, fixture_set_up,
              test_store_addresses, fixture_tear_down);
  return g_test_run ();
}
