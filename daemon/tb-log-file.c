/* tb-log-file.c — touchbased's log in a file, for a daemon that runs
 * without systemd: a bus that activates it hands it /dev/null for
 * output, and a configuration error would go nowhere.
 *
 * Each line is the time and what GLib's default writer would print, and
 * only what it would print (G_MESSAGES_DEBUG and --verbose apply). The
 * file's descriptor is also the daemon's stdout and stderr, so
 * g_printerr and anything a library prints land there too. One rotation
 * keeps it bounded: the file that grows past the limit becomes
 * touchbased.log.1, replacing the one before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "touchbased"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-log-file.h"

/* The log is written from any thread (GLib's own worker threads log
 * too): the lock keeps a rotation whole. */
static GMutex lock;
static char *log_path;
static int log_fd = -1;
static goffset log_size;
static goffset log_max = TB_LOG_FILE_MAX_BYTES;

gboolean
tb_log_file_output_is_lost (void)
{
  struct stat st, null_st;
  int flags;

  if (g_getenv ("JOURNAL_STREAM") != NULL)
    return FALSE;
  flags = fcntl (STDERR_FILENO, F_GETFL);
  if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
    return TRUE;
  if (fstat (STDERR_FILENO, &st) < 0 || stat ("/dev/null", &null_st) < 0)
    return TRUE;
  return S_ISCHR (st.st_mode) && st.st_rdev == null_st.st_rdev;
}

char *
tb_log_file_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "touchbase",
                           "touchbased.log", NULL);
}

static char *
old_path (void)
{
  return g_strconcat (log_path, ".1", NULL);
}

/* Opens log_path and makes it stdout and stderr; with the lock held. */
static gboolean
open_locked (GError **error)
{
  struct stat st;
  int fd;

  fd = g_open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("Cannot open the log file %s: %s"), log_path,
                   g_strerror (saved));
      return FALSE;
    }
  if (log_fd >= 0)
    close (log_fd);
  log_fd = fd;
  log_size = st.st_size;
  /* dup2 clears close-on-exec on the copies: a browser the daemon starts
   * writes its complaints here too, rather than to a closed descriptor. */
  dup2 (fd, STDOUT_FILENO);
  dup2 (fd, STDERR_FILENO);
  return TRUE;
}

static void
rotate_locked (void)
{
  g_autofree char *old = old_path ();

  if (g_rename (log_path, old) < 0)
    return;
  /* On failure the old descriptor stays and the log goes on there. */
  open_locked (NULL);
}

static GLogWriterOutput
write_to_file (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
               gpointer user_data)
{
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  const char *domain = NULL;
  gsize len;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;
  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%F %T");
  text = g_log_writer_format_fields (level, fields, n_fields, FALSE);
  line = g_strdup_printf ("%s %s\n", stamp, text);
  len = strlen (line);

  g_mutex_lock (&lock);
  if (log_fd >= 0 && write (log_fd, line, len) == (gssize) len)
    {
      log_size += len;
      if (log_size > log_max)
        rotate_locked ();
    }
  g_mutex_unlock (&lock);
  return G_LOG_WRITER_HANDLED;
}

gboolean
tb_log_file_start (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *max = g_getenv ("TOUCHBASED_LOG_MAX_BYTES");
  guint64 v;
  gboolean ok;

  if (max != NULL
      && g_ascii_string_to_unsigned (max, 10, 1024, G_MAXINT64, &v, NULL))
    log_max = (goffset) v;
  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved = errno;

      g_set_error (error, TB_ERROR, TB_ERROR_FAILED, _ ("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  g_mutex_lock (&lock);
  g_free (log_path);
  log_path = g_strdup (path);
  ok = open_locked (error);
  if (ok && log_size > log_max)
    rotate_locked ();
  g_mutex_unlock (&lock);
  if (ok)
    g_log_set_writer_func (write_to_file, NULL, NULL);
  return ok;
}
