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

/* An Export of records while its worker writes. */
typedef struct
{
  TbDaemon1 *skeleton; /* (owned) */
  /* The handler's, until a reply or an error consumes it. */
  GDBusMethodInvocation *invocation;
  GOutputStream *out; /* (owned) */
  char *format;
  GTimeZone *tz;
  GCancellable *cancel; /* (owned) */
  guint watch_id;
} ExportCall;

static void
export_call_free (ExportCall *call)
{
  g_clear_handle_id (&call->watch_id, g_bus_unwatch_name);
  g_clear_object (&call->skeleton);
  g_clear_object (&call->out);
  g_free (call->format);
  g_clear_pointer (&call->tz, g_time_zone_unref);
  g_clear_object (&call->cancel);
  g_free (call);
}

/* In the worker thread, on its own connection. */
static gboolean
export_in_thread (TbEngineRead *read, gpointer data, GError **error)
{
  ExportCall *call = data;

  return finish (
      call->out,
      tb_engine_read_export (read, call->format, call->tz, call->out, error),
      error);
}

static void
on_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportCall *call = user_data;
  GError *error = NULL;

  if (!tb_engine_read_finish (TB_ENGINE (source), result, &error))
    {
      if (error->domain != TB_ERROR)
        {
          GError *local = error;

          error
              = g_error_new (TB_ERROR, TB_ERROR_FAILED,
                             _ ("Cannot write the export: %s"), local->message);
          g_error_free (local);
        }
      tb_service_fail (g_steal_pointer (&call->invocation), error);
    }
  else
    tb_daemon1_complete_export (call->skeleton,
                                g_steal_pointer (&call->invocation), NULL);
  export_call_free (call);
}

static void
on_exporter_vanished (GDBusConnection *connection, const char *name,
                      gpointer user_data)
{
  ExportCall *call = user_data;

  g_cancellable_cancel (call->cancel);
}

static gboolean
handle_export (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
               GUnixFDList *fd_list, const char *format, GVariant *handle,
               GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GOutputStream) out = NULL;
  ExportCall *call;
  const char *sender;
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

  /* Read in a worker thread on a connection of its own (as
   * WriteContactRows), straight into the caller's file. */
  call = g_new0 (ExportCall, 1);
  call->skeleton = g_object_ref (skeleton);
  call->invocation = invocation;
  call->out = g_steal_pointer (&out);
  call->format = g_strdup (format);
  call->tz = g_time_zone_ref (tb_engine_get_time_zone (service->engine));
  call->cancel = g_cancellable_new ();
  sender = g_dbus_method_invocation_get_sender (invocation);
  if (sender != NULL)
    call->watch_id = g_bus_watch_name_on_connection (
        g_dbus_method_invocation_get_connection (invocation), sender,
        G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_exporter_vanished, call, NULL);
  tb_engine_read_async (service->engine, export_in_thread, call, call->cancel,
                        on_exported, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_export_connect (TbService *service)
{
  g_signal_connect (service->skeleton, "handle-export",
                    G_CALLBACK (handle_export), service);
}
