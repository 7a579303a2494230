/* tb-sink.c — output files written by the daemon through a passed fd.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memfd_create */
#define G_LOG_DOMAIN "tb-sink"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tb-sink.h"

struct _TbSink
{
  int fd;
  char *path;     /* (owned) (nullable): NULL for stdout */
  char *tmp_path; /* (owned) (nullable): until committed */
};

/* "WHAT: STRERROR", WHAT from @format (translated). */
G_GNUC_PRINTF (3, 4)
static gboolean
set_error_from_errno (GError **error, int saved_errno, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
               what, g_strerror (saved_errno));
  return FALSE;
}

TbSink *
tb_sink_open (const char *path, GError **error)
{
  g_autoptr (TbSink) sink = g_new0 (TbSink, 1);

  sink->fd = -1;
  if (path == NULL || g_str_equal (path, "-"))
    {
      /* Into memory first, so a failed export leaves stdout empty rather
       * than half a file. */
      sink->fd = memfd_create ("touchbase-output", MFD_CLOEXEC);
      if (sink->fd < 0)
        {
          set_error_from_errno (error, errno, "%s",
                                _ ("Cannot create a memfd"));
          return NULL;
        }
      return g_steal_pointer (&sink);
    }

  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX", base);

    sink->tmp_path = g_build_filename (dir, tmpl, NULL);
    sink->fd = g_mkstemp_full (sink->tmp_path, O_RDWR | O_CLOEXEC, 0600);
    if (sink->fd < 0)
      {
        int saved_errno = errno;

        g_clear_pointer (&sink->tmp_path, g_free);
        set_error_from_errno (error, saved_errno, _ ("Cannot write %s"), path);
        return NULL;
      }
  }
  sink->path = g_strdup (path);
  return g_steal_pointer (&sink);
}

static GUnixFDList *
get_fd_list (TbSink *sink, GError **error)
{
  g_autoptr (GUnixFDList) list = g_unix_fd_list_new ();

  if (g_unix_fd_list_append (list, sink->fd, error) < 0)
    return NULL;
  return g_steal_pointer (&list);
}

TbSink *
tb_sink_open_with_fd_list (const char *path, GUnixFDList **out_fd_list,
                           GError **error)
{
  g_autoptr (TbSink) sink = tb_sink_open (path, error);

  if (sink == NULL)
    return NULL;
  *out_fd_list = get_fd_list (sink, error);
  if (*out_fd_list == NULL)
    return NULL;
  return g_steal_pointer (&sink);
}

static gboolean
copy_to_stdout (int fd, GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GError) local = NULL;

  /* The daemon's writes moved the offset we share with it. */
  if (lseek (fd, 0, SEEK_SET) < 0)
    return set_error_from_errno (error, errno, "%s",
                                 _ ("Cannot read the output"));
  /* Whatever stdio holds goes out first. */
  if (fflush (stdout) != 0)
    return set_error_from_errno (error, errno, "%s", _ ("Cannot write stdout"));
  in = g_unix_input_stream_new (fd, FALSE);
  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL,
                              &local)
      < 0)
    {
      g_set_error (error, local->domain, local->code, "%s: %s",
                   _ ("Cannot write stdout"), local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_sink_commit (TbSink *sink, GError **error)
{
  if (sink->path == NULL)
    return copy_to_stdout (sink->fd, error);

  if (fsync (sink->fd) < 0)
    return set_error_from_errno (error, errno, _ ("Cannot write %s"),
                                 sink->path);
  if (g_rename (sink->tmp_path, sink->path) < 0)
    return set_error_from_errno (error, errno, _ ("Cannot write %s"),
                                 sink->path);
  g_clear_pointer (&sink->tmp_path, g_free);
  return TRUE;
}

void
tb_sink_free (TbSink *sink)
{
  if (sink->tmp_path != NULL)
    g_unlink (sink->tmp_path);
  if (sink->fd >= 0)
    close (sink->fd);
  g_free (sink->tmp_path);
  g_free (sink->path);
  g_free (sink);
}
