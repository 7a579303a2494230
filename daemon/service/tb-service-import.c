/* tb-service-import.c — the Import method: a file arrives as a
 * descriptor, so a large export never travels as one message.
 *
 * The import runs in the engine's worker thread (tb_engine_import_start)
 * while the main loop goes on answering; the reply is sent once it has
 * committed or rolled back, never before. When the caller leaves the bus
 * (Ctrl-C, kill), the import is cancelled: nobody would hear how it went,
 * and a client that did not see it succeed must not find it done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-import-stream.h"
#include "tb-service-private.h"
#include "tb-time.h"

/* One Import call, from its handler to its reply. Shared with the
 * worker thread, which reports progress (an atomic rc box). */
typedef struct
{
  TbDaemon1 *skeleton; /* (owned) */
  /* The handler's, which the reply consumes; NULL until the import has
   * started, and again once it is answered. */
  GDBusMethodInvocation *invocation;
  GCancellable *cancel; /* (owned) */
  char *filename;       /* (owned) */
  char *tag;            /* (owned) (nullable) */
  gboolean dry_run;
  gint64 interval;
  int fd;              /* the stream's; read only for its offset */
  guint64 total;       /* the file's size, 0 for a pipe */
  guint watch_id;      /* the caller's name on the bus */
  int progress_queued; /* atomic */
  gboolean finished;   /* main thread only */
} ImportCall;

static void
import_call_clear (ImportCall *call)
{
  g_clear_object (&call->skeleton);
  g_clear_object (&call->cancel);
  g_free (call->filename);
  g_free (call->tag);
}

static void
import_call_unref (gpointer call)
{
  g_atomic_rc_box_release_full (call, (GDestroyNotify) import_call_clear);
}

static gboolean
emit_progress (gpointer user_data)
{
  ImportCall *call = user_data;
  off_t pos;

  g_atomic_int_set (&call->progress_queued, 0);
  /* After the reply the descriptor may be closed, or another file's. */
  if (call->finished)
    return G_SOURCE_REMOVE;
  pos = lseek (call->fd, 0, SEEK_CUR);
  /* Read-ahead puts the offset a buffer beyond the record: close
   * enough for a progress bar, and never past the end. */
  tb_daemon1_emit_import_progress (
      call->skeleton,
      pos < 0 ? 0
              : MIN ((guint64) pos, call->total ? call->total : (guint64) pos),
      call->total);
  return G_SOURCE_REMOVE;
}

/* In the worker thread, every 100 ms at most: the signal goes out from
 * the main thread, one at a time. */
static void
queue_progress (gpointer user_data)
{
  ImportCall *call = user_data;

  if (g_atomic_int_compare_and_exchange (&call->progress_queued, 0, 1))
    g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, emit_progress,
                                g_atomic_rc_box_acquire (call),
                                import_call_unref);
}

static void
on_caller_vanished (GDBusConnection *connection, const char *name,
                    gpointer user_data)
{
  ImportCall *call = user_data;

  if (call->finished)
    return;
  g_message ("The client that is importing %s (%s) left the bus: the import "
             "is cancelled",
             call->filename, name);
  g_cancellable_cancel (call->cancel);
}

/* The records skipped without a name or repaired, as aa{sv}: file,
 * line, action ("skipped" or "repaired") and reason. */
static GVariant *
problems_variant (const TbImportResult *result)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; result->notes != NULL && i < result->notes->len; i++)
    {
      const TbImportNote *note = g_ptr_array_index (result->notes, i);

      g_variant_builder_open (&b, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&b, "{sv}", "file",
                             g_variant_new_string (note->file));
      g_variant_builder_add (&b, "{sv}", "line",
                             g_variant_new_uint32 (note->line));
      g_variant_builder_add (
          &b, "{sv}", "action",
          g_variant_new_string (
              note->kind == TB_IMPORT_NOTE_REPAIRED ? "repaired" : "skipped"));
      g_variant_builder_add (&b, "{sv}", "reason",
                             g_variant_new_string (note->reason));
      g_variant_builder_close (&b);
    }
  return g_variant_builder_end (&b);
}

static const TbServiceOption import_options[] = {
  { "filename", "s" },
  { "tag", "s" },
  { "dry_run", "b" },
  { "interval_seconds", "x" },
};

static GVariant *
result_variant (const TbImportResult *result, gboolean dry_run, gint64 interval)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (
      &b, "{sv}", "format",
      g_variant_new_string (tb_import_format_to_string (result->format)));
  g_variant_builder_add (&b, "{sv}", "added",
                         g_variant_new_int64 (result->added));
  g_variant_builder_add (&b, "{sv}", "updated",
                         g_variant_new_int64 (result->updated));
  g_variant_builder_add (&b, "{sv}", "skipped",
                         g_variant_new_int64 (result->skipped));
  g_variant_builder_add (&b, "{sv}", "skipped_no_name",
                         g_variant_new_int64 (result->no_name));
  g_variant_builder_add (&b, "{sv}", "skipped_unchanged",
                         g_variant_new_int64 (result->unchanged));
  g_variant_builder_add (&b, "{sv}", "problems", problems_variant (result));
  g_variant_builder_add (&b, "{sv}", "problems_total",
                         g_variant_new_int64 (result->notes_total));
  g_variant_builder_add (&b, "{sv}", "dry_run",
                         g_variant_new_boolean (dry_run));
  g_variant_builder_add (&b, "{sv}", "review",
                         g_variant_new_int64 (result->review));
  g_variant_builder_add (&b, "{sv}", "interval_set",
                         g_variant_new_int64 (result->interval_set));
  /* What the import adds to the reminders: with --every, the contacts
   * it gave that interval come due spread over it (paced, §3). */
  if (interval > 0)
    g_variant_builder_add (
        &b, "{sv}", "due_per_day",
        g_variant_new_double ((double) result->interval_set
                              / ((double) interval / TB_DAY)));
  if (result->added_names != NULL)
    g_variant_builder_add (
        &b, "{sv}", "would_add",
        g_variant_new_strv ((const char *const *) result->added_names->pdata,
                            result->added_names->len));
  if (result->updated_names != NULL)
    g_variant_builder_add (
        &b, "{sv}", "would_update",
        g_variant_new_strv ((const char *const *) result->updated_names->pdata,
                            result->updated_names->len));
  return g_variant_builder_end (&b);
}

/* On the main thread, after the commit or the rollback. */
static void
on_import_done (TbEngine *engine, const TbImportResult *result,
                const GError *error, gpointer user_data)
{
  ImportCall *call = user_data;

  call->finished = TRUE;
  g_clear_handle_id (&call->watch_id, g_bus_unwatch_name);
  if (error != NULL)
    {
      g_message ("Import of %s failed: %s", call->filename, error->message);
      g_dbus_method_invocation_return_gerror (
          g_steal_pointer (&call->invocation), error);
      import_call_unref (call);
      return;
    }
  if (call->total > 0)
    tb_daemon1_emit_import_progress (call->skeleton, call->total, call->total);
  g_info ("%s %s (%s): %u added, %u updated, %u skipped, %u repaired or "
          "skipped records listed",
          call->dry_run ? "Dry run of" : "Imported", call->filename,
          tb_import_format_to_string (result->format), result->added,
          result->updated, result->skipped, result->notes_total);
  tb_daemon1_complete_import (
      call->skeleton, g_steal_pointer (&call->invocation), NULL,
      result_variant (result, call->dry_run, call->interval));
  import_call_unref (call);
}

static gboolean
handle_import (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
               GUnixFDList *fd_list, GVariant *fd_handle, const char *format,
               GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  TbImportOptions opts = { 0 };
  ImportCall *call;
  const char *sender;
  struct stat st;
  int fd;

  fd = tb_service_get_fd (fd_list, fd_handle, TB_SERVICE_FD_READ, "Import",
                          &error);
  if (fd < 0)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  call = g_atomic_rc_box_new0 (ImportCall);
  call->skeleton = g_object_ref (skeleton);
  call->cancel = g_cancellable_new ();
  call->fd = fd;
  stream = tb_import_stream_new (fd, tb_import_stream_stall_seconds (),
                                 call->cancel);

  if (*format != '\0' && !tb_import_format_from_string (format, &opts.format))
    {
      import_call_unref (call);
      g_dbus_method_invocation_return_error (
          invocation, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          _ ("Unknown format “%s”: use linkedin, google, outlook, "
             "thunderbird, vcard or json"),
          format);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tb_service_check_options (options, import_options,
                                 G_N_ELEMENTS (import_options), &error))
    {
      import_call_unref (call);
      return tb_service_fail (invocation, g_steal_pointer (&error));
    }
  g_variant_lookup (options, "filename", "s", &call->filename);
  g_variant_lookup (options, "tag", "s", &call->tag);
  g_variant_lookup (options, "dry_run", "b", &call->dry_run);
  g_variant_lookup (options, "interval_seconds", "x", &call->interval);
  if (call->tag != NULL)
    g_strstrip (call->tag);
  if (call->filename == NULL)
    call->filename = g_strdup ("(input)");
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    call->total = (guint64) st.st_size;
  opts.tag = call->tag;
  opts.filename = call->filename;
  opts.dry_run = call->dry_run;
  opts.interval = call->interval;
  opts.progress = queue_progress;
  opts.progress_data = call;
  opts.cancellable = call->cancel;

  call->invocation = invocation;
  if (!tb_engine_import_start (service->engine, stream, &opts, on_import_done,
                               call, &error))
    {
      call->invocation = NULL;
      g_message ("Import of %s refused: %s", call->filename, error->message);
      import_call_unref (call);
      return tb_service_fail (invocation, g_steal_pointer (&error));
    }
  /* A peer-to-peer connection has no names to watch: its end closes the
   * connection, not a name. */
  sender = g_dbus_method_invocation_get_sender (invocation);
  if (sender != NULL)
    call->watch_id = g_bus_watch_name_on_connection (
        g_dbus_method_invocation_get_connection (invocation), sender,
        G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_caller_vanished, call, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_import_connect (TbService *service)
{
  g_signal_connect (service->skeleton, "handle-import",
                    G_CALLBACK (handle_import), service);
}
