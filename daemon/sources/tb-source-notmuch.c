/* tb-source-notmuch.c — the user's notmuch database, through libnotmuch:
 * the messages from the user's addresses (notmuch's primary_email and
 * other_email, or my-addresses) or tagged sent, since since=.
 *
 * The cursor is the database's UUID and revision: a later scan asks
 * only for messages changed since (lastmod:), and a database made anew
 * (another UUID) is read again whole. The database directory is
 * watched; its revision is only read when something there changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>
#include <notmuch.h>
#include <stdlib.h>
#include <string.h>

#include "tb-error.h"
#include "tb-mail-sources.h"
#include "tb-mail.h"

#define TB_TYPE_NOTMUCH_SOURCE (tb_notmuch_source_get_type ())
G_DECLARE_FINAL_TYPE (TbNotmuchSource, tb_notmuch_source, TB, NOTMUCH_SOURCE,
                      TbSource)

struct _TbNotmuchSource
{
  TbSource parent_instance;
  GFileMonitor *monitor; /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (TbNotmuchSource, tb_notmuch_source, TB_TYPE_SOURCE)

static notmuch_database_t *
open_database (GError **error)
{
  notmuch_database_t *db = NULL;
  char *message = NULL;
  notmuch_status_t st;

  /* "" as the configuration: notmuch's own rules (NOTMUCH_CONFIG, then
   * its default places), as the notmuch command finds it. */
  st = notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_ONLY,
                                          NULL, NULL, &db, &message);
  if (st != NOTMUCH_STATUS_SUCCESS)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("Cannot open the notmuch database: %s"),
                   message != NULL ? g_strstrip (message)
                                   : notmuch_status_to_string (st));
      free (message);
      if (db != NULL)
        notmuch_database_destroy (db);
      return NULL;
    }
  free (message);
  return db;
}

/* notmuch's addresses for the user, learned by @scan. */
static void
learn_addresses (notmuch_database_t *db, TbSourceScan *scan)
{
  const char *primary = notmuch_config_get (db, NOTMUCH_CONFIG_PRIMARY_EMAIL);
  notmuch_config_values_t *others;

  if (primary != NULL && *primary != '\0')
    tb_source_scan_learn_address (scan, primary);
  for (others = notmuch_config_get_values (db, NOTMUCH_CONFIG_OTHER_EMAIL);
       others != NULL && notmuch_config_values_valid (others);
       notmuch_config_values_move_to_next (others))
    tb_source_scan_learn_address (scan, notmuch_config_values_get (others));
  if (others != NULL)
    notmuch_config_values_destroy (others);
}

/* An address as a term of a query: only what cannot break out of its
 * quotes. */
static gboolean
is_plain_address (const char *a)
{
  return *a != '\0' && strpbrk (a, "\"() \t\r\n") == NULL;
}

static char *
build_query (const char *const *own, gint64 since, const char *lastmod)
{
  GString *q = g_string_new ("(tag:sent");

  for (guint i = 0; own != NULL && own[i] != NULL; i++)
    if (is_plain_address (own[i]))
      g_string_append_printf (q, " or from:\"%s\"", own[i]);
  g_string_append_printf (q, ") and date:@%" G_GINT64_FORMAT "..", since);
  if (lastmod != NULL)
    g_string_append_printf (q, " and lastmod:%s..", lastmod);
  return g_string_free (q, FALSE);
}

static gboolean
tb_notmuch_source_scan (TbSource *source, TbSourceScan *scan,
                        GCancellable *cancellable, GError **error)
{
  notmuch_database_t *db = open_database (error);
  notmuch_query_t *query = NULL;
  notmuch_messages_t *messages = NULL;
  g_autofree char *q = NULL;
  g_autofree char *lastmod = NULL;
  g_autofree char *next = NULL;
  g_auto (GStrv) cursor_parts = NULL;
  g_auto (GStrv) own = NULL;
  const char *uuid = NULL;
  unsigned long revision;
  unsigned int count = 0;
  guint64 done = 0;
  notmuch_status_t st;
  gboolean ok = TRUE;

  if (db == NULL)
    return FALSE;
  learn_addresses (db, scan);
  revision = notmuch_database_get_revision (db, &uuid);
  next = g_strdup_printf ("%s %lu", uuid, revision);
  if (tb_source_scan_get_cursor (scan) != NULL)
    {
      cursor_parts = g_strsplit (tb_source_scan_get_cursor (scan), " ", 2);
      if (cursor_parts[0] != NULL && cursor_parts[1] != NULL
          && g_str_equal (cursor_parts[0], uuid))
        {
          guint64 old;

          if (g_str_equal (cursor_parts[1], next + strlen (uuid) + 1))
            goto done; /* nothing changed */
          if (g_ascii_string_to_unsigned (cursor_parts[1], 10, 0, G_MAXUINT64,
                                          &old, NULL))
            lastmod = g_strdup_printf ("%" G_GUINT64_FORMAT, old + 1);
        }
    }
  own = tb_source_scan_dup_own (scan);
  q = build_query ((const char *const *) own, tb_source_scan_get_since (scan),
                   lastmod);
  query = notmuch_query_create (db, q);
  if (query == NULL
      || notmuch_query_count_messages (query, &count) != NOTMUCH_STATUS_SUCCESS
      || (st = notmuch_query_search_messages (query, &messages))
             != NOTMUCH_STATUS_SUCCESS)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("The notmuch query “%s” failed"), q);
      ok = FALSE;
      goto done;
    }
  for (; notmuch_messages_valid (messages);
       notmuch_messages_move_to_next (messages))
    {
      notmuch_message_t *m = notmuch_messages_get (messages);
      TbFound *found;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          notmuch_message_destroy (m);
          ok = FALSE;
          break;
        }
      /* Headers only: notmuch reads them from its index or the file's
       * header block. */
      found = tb_mail_found_from_values (
          scan, notmuch_message_get_message_id (m),
          (gint64) notmuch_message_get_date (m),
          notmuch_message_get_header (m, "from"),
          notmuch_message_get_header (m, "to"),
          notmuch_message_get_header (m, "cc"),
          notmuch_message_get_header (m, "subject"));
      if (found != NULL)
        tb_source_scan_add (scan, found);
      notmuch_message_destroy (m);
      tb_source_scan_progress (scan, ++done, count);
    }
done:
  if (ok)
    tb_source_scan_set_cursor (scan, next);
  if (query != NULL)
    notmuch_query_destroy (query);
  notmuch_database_destroy (db);
  return ok;
}

static void
on_db_changed (GFileMonitor *monitor, GFile *file, GFile *other,
               GFileMonitorEvent event, gpointer user_data)
{
  /* A write to the database; the scan compares the revision. */
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      || event == G_FILE_MONITOR_EVENT_CREATED
      || event == G_FILE_MONITOR_EVENT_MOVED_IN
      || event == G_FILE_MONITOR_EVENT_RENAMED)
    tb_source_changed (user_data);
}

/* Where Xapian keeps the database: the database path's xapian/ (notmuch
 * 0.32's layouts) or .notmuch/xapian. */
static char *
xapian_dir (notmuch_database_t *db)
{
  const char *roots[] = {
    notmuch_config_get (db, NOTMUCH_CONFIG_DATABASE_PATH),
    notmuch_database_get_path (db),
  };

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      const char *subs[] = { "xapian", ".notmuch/xapian" };

      if (roots[i] == NULL)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (subs); j++)
        {
          char *dir = g_build_filename (roots[i], subs[j], NULL);

          if (g_file_test (dir, G_FILE_TEST_IS_DIR))
            return dir;
          g_free (dir);
        }
    }
  return NULL;
}

static gboolean
tb_notmuch_source_watch (TbSource *source, GError **error)
{
  TbNotmuchSource *self = TB_NOTMUCH_SOURCE (source);
  notmuch_database_t *db = open_database (error);
  g_autofree char *dir = NULL;
  g_autoptr (GFile) file = NULL;

  if (db == NULL)
    return FALSE;
  dir = xapian_dir (db);
  notmuch_database_destroy (db);
  if (dir == NULL)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                           _ ("Cannot find the notmuch database's folder"));
      return FALSE;
    }
  file = g_file_new_for_path (dir);
  self->monitor
      = tb_source_monitor (file, TRUE, G_CALLBACK (on_db_changed), self, error);
  return self->monitor != NULL;
}

static void
tb_notmuch_source_unwatch (TbSource *source)
{
  TbNotmuchSource *self = TB_NOTMUCH_SOURCE (source);

  tb_source_monitor_clear (&self->monitor, self);
}

static void
tb_notmuch_source_dispose (GObject *object)
{
  tb_notmuch_source_unwatch (TB_SOURCE (object));
  G_OBJECT_CLASS (tb_notmuch_source_parent_class)->dispose (object);
}

static void
tb_notmuch_source_class_init (TbNotmuchSourceClass *klass)
{
  TbSourceClass *source_class = TB_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tb_notmuch_source_dispose;
  source_class->scan = tb_notmuch_source_scan;
  source_class->watch = tb_notmuch_source_watch;
  source_class->unwatch = tb_notmuch_source_unwatch;
}

static void
tb_notmuch_source_init (TbNotmuchSource *self)
{
}

TbSource *
tb_notmuch_source_new (void)
{
  return g_object_new (TB_TYPE_NOTMUCH_SOURCE, "kind", "notmuch", NULL);
}
