/* tb-source-maildir.c — a Maildir folder: every file in cur/ and new/
 * is a message; only its header block is read.
 *
 * The cursor is the time the last scan began: a later scan reads only
 * the files changed (or moved in) since, a few seconds earlier for
 * coarse file times. inotify on cur/ and new/ tells of new files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tb-error.h"
#include "tb-mail-sources.h"
#include "tb-mail.h"

#define TB_TYPE_MAILDIR_SOURCE (tb_maildir_source_get_type ())
G_DECLARE_FINAL_TYPE (TbMaildirSource, tb_maildir_source, TB, MAILDIR_SOURCE,
                      TbSource)

struct _TbMaildirSource
{
  TbSource parent_instance;
  GFileMonitor *monitors[2]; /* (owned) cur/, new/ */
};

G_DEFINE_FINAL_TYPE (TbMaildirSource, tb_maildir_source, TB_TYPE_SOURCE)

static const char *const subdirs[] = { "cur", "new" };

/* What a file's times must reach to be read again: the cursor less a
 * little, for file systems whose times are coarse. */
#define TB_MAILDIR_SLACK 2

static gboolean
is_maildir (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (path, subdirs[i], NULL);

      if (g_file_test (sub, G_FILE_TEST_IS_DIR))
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_message (TbSourceScan *scan, const char *path, GCancellable *cancellable)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GBytes) header = NULL;
  g_autoptr (GError) error = NULL;
  TbFound *found;
  gsize len;
  const char *data;

  in = g_file_read (file, cancellable, &error);
  if (in != NULL)
    header = tb_mail_read_header (G_INPUT_STREAM (in), cancellable, &error);
  if (header == NULL)
    {
      /* A message that went between listing and reading (the client
       * moved it) or one without headers is no reason to stop. */
      g_debug ("Skipping %s: %s", path, error->message);
      return !g_cancellable_is_cancelled (cancellable);
    }
  data = g_bytes_get_data (header, &len);
  found = tb_mail_found_from_header (scan, data, len);
  if (found != NULL)
    tb_source_scan_add (scan, found);
  return TRUE;
}

static gboolean
tb_maildir_source_scan (TbSource *source, TbSourceScan *scan,
                        GCancellable *cancellable, GError **error)
{
  const char *root = tb_source_get_location (source);
  const char *cursor = tb_source_scan_get_cursor (scan);
  gint64 changed_since = 0;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;

  if (cursor != NULL
      && !g_ascii_string_to_signed (cursor, 10, 0, G_MAXINT64, &changed_since,
                                    NULL))
    changed_since = 0;
  if (!is_maildir (root))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("%s is not a Maildir folder (it has no cur/ or new/)"),
                   root);
      return FALSE;
    }
  /* Taken before the listing: a message arriving during the scan is
   * read by the next one. */
  next = g_strdup_printf ("%" G_GINT64_FORMAT, tb_source_scan_get_now (scan));
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir_path = g_build_filename (root, subdirs[i], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          char *path;
          GStatBuf st;

          if (name[0] == '.')
            continue;
          path = g_build_filename (dir_path, name, NULL);
          if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode)
              || (changed_since > 0
                  && MAX (st.st_mtime, st.st_ctime)
                         < changed_since - TB_MAILDIR_SLACK))
            {
              g_free (path);
              continue;
            }
          g_ptr_array_add (paths, path);
        }
    }
  for (guint i = 0; i < paths->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!read_message (scan, g_ptr_array_index (paths, i), cancellable))
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      tb_source_scan_progress (scan, i + 1, paths->len);
    }
  tb_source_scan_progress (scan, paths->len, paths->len);
  tb_source_scan_set_cursor (scan, next);
  return TRUE;
}

static void
on_dir_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                GFileMonitorEvent event, gpointer user_data)
{
  /* A new message is written to tmp/ and moved into new/, or moved
   * from new/ to cur/ as it is read; deletions change nothing. */
  if (event == G_FILE_MONITOR_EVENT_CREATED
      || event == G_FILE_MONITOR_EVENT_MOVED_IN
      || event == G_FILE_MONITOR_EVENT_RENAMED
      || event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
    tb_source_changed (user_data);
}

static gboolean
tb_maildir_source_watch (TbSource *source, GError **error)
{
  TbMaildirSource *self = TB_MAILDIR_SOURCE (source);
  const char *root = tb_source_get_location (source);

  /* A missing folder would make GLib poll for it: an idle daemon must
   * not wake up, so a folder that is not there is not followed. */
  if (!is_maildir (root))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("%s is not a Maildir folder (it has no cur/ or new/)"),
                   root);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (root, subdirs[i], NULL);
      g_autoptr (GFile) dir = g_file_new_for_path (path);

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      self->monitors[i] = tb_source_monitor (
          dir, TRUE, G_CALLBACK (on_dir_changed), self, error);
      if (self->monitors[i] == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
tb_maildir_source_unwatch (TbSource *source)
{
  TbMaildirSource *self = TB_MAILDIR_SOURCE (source);

  for (guint i = 0; i < G_N_ELEMENTS (self->monitors); i++)
    tb_source_monitor_clear (&self->monitors[i], self);
}

static void
tb_maildir_source_dispose (GObject *object)
{
  tb_maildir_source_unwatch (TB_SOURCE (object));
  G_OBJECT_CLASS (tb_maildir_source_parent_class)->dispose (object);
}

static void
tb_maildir_source_class_init (TbMaildirSourceClass *klass)
{
  TbSourceClass *source_class = TB_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tb_maildir_source_dispose;
  source_class->scan = tb_maildir_source_scan;
  source_class->watch = tb_maildir_source_watch;
  source_class->unwatch = tb_maildir_source_unwatch;
}

static void
tb_maildir_source_init (TbMaildirSource *self)
{
}

TbSource *
tb_maildir_source_new (const char *path)
{
  return g_object_new (TB_TYPE_MAILDIR_SOURCE, "kind", "maildir", "location",
                       path, NULL);
}
