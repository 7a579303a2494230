/* tb-import-stream.c — a descriptor read with a stall timeout and a
 * cancellable of its own.
 *
 * GUnixInputStream waits in poll() without a timeout, and only for the
 * cancellable its reader passes: the import's reader thread and the
 * format detection pass their own or none. This stream waits for the
 * descriptor and the import's cancellable together, with a timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-import-stream.h"

struct _TbImportStream
{
  GInputStream parent_instance;
  int fd;
  int timeout_ms;
  guint stall_seconds;
  GCancellable *cancellable; /* (owned) */
  GPollFD cancel_fd;
  gboolean has_cancel_fd;
};

G_DEFINE_FINAL_TYPE (TbImportStream, tb_import_stream, G_TYPE_INPUT_STREAM)

static gssize
tb_import_stream_read (GInputStream *stream, void *buffer, gsize count,
                       GCancellable *cancellable, GError **error)
{
  TbImportStream *self = TB_IMPORT_STREAM (stream);

  for (;;)
    {
      struct pollfd fds[2] = { { self->fd, POLLIN, 0 } };
      nfds_t n = 1;
      int rc;
      gssize got;

      if (self->has_cancel_fd)
        fds[n++] = (struct pollfd){ self->cancel_fd.fd, POLLIN, 0 };
      rc = poll (fds, n, self->timeout_ms);
      if (g_cancellable_set_error_if_cancelled (self->cancellable, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      if (rc < 0 && errno == EINTR)
        continue;
      if (rc < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s",
                       g_strerror (saved));
          return -1;
        }
      if (rc == 0)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                       g_dngettext (NULL,
                                    "No input for %u second: the import gave "
                                    "up, and nothing was imported",
                                    "No input for %u seconds: the import gave "
                                    "up, and nothing was imported",
                                    self->stall_seconds),
                       self->stall_seconds);
          return -1;
        }
      if (fds[0].revents == 0)
        continue;
      got = read (self->fd, buffer, count);
      if (got < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (got < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s",
                       g_strerror (saved));
          return -1;
        }
      return got;
    }
}

static gboolean
tb_import_stream_close (GInputStream *stream, GCancellable *cancellable,
                        GError **error)
{
  TbImportStream *self = TB_IMPORT_STREAM (stream);

  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  return TRUE;
}

static void
tb_import_stream_finalize (GObject *object)
{
  TbImportStream *self = TB_IMPORT_STREAM (object);

  if (self->fd >= 0)
    close (self->fd);
  if (self->has_cancel_fd)
    g_cancellable_release_fd (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tb_import_stream_parent_class)->finalize (object);
}

static void
tb_import_stream_class_init (TbImportStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = tb_import_stream_finalize;
  stream_class->read_fn = tb_import_stream_read;
  stream_class->close_fn = tb_import_stream_close;
}

static void
tb_import_stream_init (TbImportStream *self)
{
  self->fd = -1;
}

GInputStream *
tb_import_stream_new (int fd, guint stall_seconds, GCancellable *cancellable)
{
  TbImportStream *self = g_object_new (TB_TYPE_IMPORT_STREAM, NULL);

  self->fd = fd;
  self->stall_seconds = stall_seconds;
  self->timeout_ms = stall_seconds > 0 && stall_seconds < G_MAXINT / 1000
                         ? (int) stall_seconds * 1000
                         : -1;
  self->cancellable
      = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  self->has_cancel_fd
      = g_cancellable_make_pollfd (self->cancellable, &self->cancel_fd);
  return G_INPUT_STREAM (self);
}

guint
tb_import_stream_stall_seconds (void)
{
  const char *env = g_getenv ("TB_IMPORT_STALL_SECONDS");
  guint64 n;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 3600, &n, NULL))
    return (guint) n;
  return TB_IMPORT_STALL_SECONDS;
}
