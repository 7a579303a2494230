/* tb-export.c — exports through a passed file descriptor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-export"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tb-calendar.h"
#include "tb-error.h"
#include "tb-export-data.h"
#include "tb-export.h"

static gboolean
write_to_fd (const char *data, gsize len, gpointer user_data, GError **error)
{
  return tb_export_write_all (GPOINTER_TO_INT (user_data), data, len, error);
}

/* Straight into the caller's file as it is built: no 17 MB string for
 * 30,000 contacts, no copy of it, no second pass over it to write it. The
 * fd is the client's file or memfd (tb-sink), never a pipe that could
 * block the daemon. */
static gboolean
export_ics (TbDaemon *daemon, GVariant *options, int fd, GError **error)
{
  gboolean todo = FALSE;

  g_variant_lookup (options, "todo", "b", &todo);
  return tb_calendar_write (daemon->calendar, todo, write_to_fd,
                            GINT_TO_POINTER (fd), error);
}

/* Formats known by name (json, vcard, csv: tb-export-data.c). */
static const struct
{
  const char *format;
  TbExportFunc func;
  /* Writes to the fd itself, on the main thread, instead of returning the
   * bytes for a writer thread. */
  gboolean (*stream) (TbDaemon *daemon, GVariant *options, int fd,
                      GError **error);
} exporters[] = {
  { "ics", NULL, export_ics },
  { "json", tb_export_data_json, NULL },
  { "vcard", tb_export_data_vcard, NULL },
  { "csv", tb_export_data_csv, NULL },
};

gboolean
tb_export_write_all (int fd, const void *data, gsize len, GError **error)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                       "Cannot write the export: %s", g_strerror (saved_errno));
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

typedef struct
{
  int fd;
  GBytes *bytes; /* (owned) */
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  if (job->fd >= 0)
    close (job->fd);
  g_bytes_unref (job->bytes);
  g_free (job);
}

static void
write_in_thread (GTask *task, gpointer source, gpointer task_data,
                 GCancellable *cancellable)
{
  WriteJob *job = task_data;
  gsize len = 0;
  const void *data = g_bytes_get_data (job->bytes, &len);
  GError *error = NULL;

  gboolean ok = tb_export_write_all (job->fd, data, len, &error);

  /* Closed before the reply, so the caller's copy is all there is. */
  close (job->fd);
  job->fd = -1;
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    tb_daemon1_complete_export (TB_DAEMON1 (source), invocation, NULL);
}

gboolean
tb_export_handle (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                  GUnixFDList *fd_list, const char *format, GVariant *fd,
                  GVariant *options, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  TbExportFunc func = NULL;
  gboolean (*stream) (TbDaemon *, GVariant *, int, GError **) = NULL;
  gboolean known = FALSE;
  WriteJob *job;
  GBytes *bytes;
  int out_fd;

  for (guint i = 0; i < G_N_ELEMENTS (exporters); i++)
    if (g_str_equal (format, exporters[i].format))
      {
        known = TRUE;
        func = exporters[i].func;
        stream = exporters[i].stream;
      }
  if (!known)
    {
      g_dbus_method_invocation_return_error (
          invocation, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          "Unknown export format “%s”: use ics, vcard, json or csv", format);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (func == NULL && stream == NULL)
    {
      g_dbus_method_invocation_return_error (
          invocation, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          "Export as %s is not supported yet", format);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (fd_list == NULL
      || g_variant_get_handle (fd) >= g_unix_fd_list_get_length (fd_list))
    {
      g_dbus_method_invocation_return_error_literal (
          invocation, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          "No file descriptor to write to");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  out_fd = g_unix_fd_list_get (fd_list, g_variant_get_handle (fd), &error);
  if (out_fd < 0)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (stream != NULL)
    {
      gboolean ok = stream (daemon, options, out_fd, &error);

      /* Closed before the reply, so the caller's copy is all there is. */
      close (out_fd);
      if (!ok)
        g_dbus_method_invocation_take_error (invocation, error);
      else
        tb_daemon1_complete_export (skeleton, invocation, NULL);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  bytes = func (daemon, options, &error);
  if (bytes == NULL)
    {
      close (out_fd);
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  job = g_new0 (WriteJob, 1);
  job->fd = out_fd;
  job->bytes = bytes;
  task = g_task_new (skeleton, NULL, on_written, invocation);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_in_thread);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}
