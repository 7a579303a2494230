/* tb-service-export.c — the Export method: the file arrives as a
 * descriptor, so a large export never travels as one message.
 *
 * The calendar is streamed into the caller's file as it is built. The
 * other formats are read from the store on the main thread into memory
 * (a consistent read), then a worker thread writes them out, so a slow
 * reader never blocks the daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <glib/gi18n.h>

#include <gio/gunixoutputstream.h>

#include "tb-error.h"
#include "tb-service-private.h"

static gboolean
write_to_stream (const char *data, gsize len, gpointer user_data,
                 GError **error)
{
  return g_output_stream_write_all (user_data, data, len, NULL, NULL, error);
}

/* Closed before the reply, so the caller's copy is all there is. A
 * failure to write (a full disk, say) is the export's, in TB_ERROR like
 * every error a client sees. */
static gboolean
finish (GOutputStream *out, gboolean ok, GError **error)
{
  GError *local = NULL;

  if (!g_output_stream_close (out, NULL, ok ? &local : NULL) && ok)
    {
      g_propagate_error (error, local);
      ok = FALSE;
    }
  if (!ok && error != NULL && *error != NULL && (*error)->domain != TB_ERROR)
    {
      GError *wrapped
          = g_error_new (TB_ERROR, TB_ERROR_FAILED,
                         _ ("Cannot write the export: %s"), (*error)->message);

      g_clear_error (error);
      g_propagate_error (error, wrapped);
    }
  return ok;
}

static void
write_in_thread (GTask *task, gpointer source, gpointer task_data,
                 GCancellable *cancellable)
{
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "bytes");
  GOutputStream *out = task_data;
  GError *error = NULL;
  gsize len = 0;
  const void *data = g_bytes_get_data (bytes, &len);
  gboolean ok;

  ok = g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  if (!finish (out, ok, &error))
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

static gboolean
handle_export (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
               GUnixFDList *fd_list, const char *format, GVariant *handle,
               GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GOutputStream) memory = NULL;
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  gboolean ics = g_str_equal (format, "ics");
  gboolean todo = FALSE;
  int fd;

  /* "todo" means something to ics only, but the options are the same
   * for every format: an unknown or wrongly typed one is refused for
   * json too, before the file is touched. */
  static const TbServiceOption export_options[] = { { "todo", "b" } };

  if (!ics && !tb_engine_is_export_format (format))
    return tb_service_fail (
        invocation,
        g_error_new (
            TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
            _ ("Unknown export format “%s”: use ics, vcard, json or csv"),
            format));
  if (!tb_service_check_options (options, export_options,
                                 G_N_ELEMENTS (export_options), &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "todo", "b", &todo);
  fd = tb_service_get_fd (fd_list, handle, TB_SERVICE_FD_WRITE, "Export",
                          &error);
  if (fd < 0)
    return tb_service_fail (invocation, error);
  out = g_unix_output_stream_new (fd, TRUE);

  /* Straight into the caller's file as it is built. The fd is the
   * client's file or memfd (tb-sink), never a pipe that could block the
   * daemon. */
  if (ics)
    {
      if (!finish (out,
                   tb_calendar_write (service->calendar, todo, write_to_stream,
                                      out, &error),
                   &error))
        return tb_service_fail (invocation, error);
      tb_daemon1_complete_export (skeleton, invocation, NULL);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  memory = g_memory_output_stream_new_resizable ();
  if (!tb_engine_export (service->engine, format, memory, &error)
      || !g_output_stream_close (memory, NULL, &error))
    {
      g_output_stream_close (out, NULL, NULL);
      return tb_service_fail (invocation, error);
    }
  task = g_task_new (skeleton, NULL, on_written, invocation);
  g_task_set_task_data (task, g_steal_pointer (&out), g_object_unref);
  g_object_set_data_full (
      G_OBJECT (task), "bytes",
      g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory)),
      (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_in_thread);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_export_connect (TbService *service)
{
  g_signal_connect (service->skeleton, "handle-export",
                    G_CALLBACK (handle_export), service);
}
