/* tb-service-import.c — the Import method: a file arrives as a
 * descriptor, so a large export never travels as one message.
 *
 * The import runs in the handler, on the main thread: the store is not
 * shared across threads, and one transaction holds the write lock for
 * the duration anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-service-private.h"
#include "tb-time.h"

typedef struct
{
  TbService *service;
  int fd;
  guint64 total;
} Progress;

static void
emit_progress (gpointer user_data)
{
  Progress *p = user_data;
  off_t pos = lseek (p->fd, 0, SEEK_CUR);

  /* Read-ahead puts the offset a buffer beyond the record: close
   * enough for a progress bar, and never past the end. */
  tb_daemon1_emit_import_progress (
      p->service->skeleton,
      pos < 0 ? 0 : MIN ((guint64) pos, p->total ? p->total : (guint64) pos),
      p->total);
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

static gboolean
handle_import (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
               GUnixFDList *fd_list, GVariant *fd_handle, const char *format,
               GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *tag = NULL;
  TbImportOptions opts = { 0 };
  g_auto (TbImportResult) result = { 0 };
  Progress progress = { service, -1, 0 };
  GVariantBuilder b;
  struct stat st;
  int fd;

  fd = tb_service_get_fd (fd_list, fd_handle, TB_SERVICE_FD_READ, "Import",
                          &error);
  if (fd < 0)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  stream = g_unix_input_stream_new (fd, TRUE);

  if (*format != '\0' && !tb_import_format_from_string (format, &opts.format))
    {
      g_dbus_method_invocation_return_error (
          invocation, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
          _ ("Unknown format “%s”: use linkedin, google, outlook, "
             "thunderbird, vcard or json"),
          format);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tb_service_check_options (options, import_options,
                                 G_N_ELEMENTS (import_options), &error))
    return tb_service_fail (invocation, g_steal_pointer (&error));
  g_variant_lookup (options, "filename", "s", &filename);
  g_variant_lookup (options, "tag", "s", &tag);
  g_variant_lookup (options, "dry_run", "b", &opts.dry_run);
  g_variant_lookup (options, "interval_seconds", "x", &opts.interval);
  if (tag != NULL)
    g_strstrip (tag);
  opts.tag = tag;
  opts.filename = filename ? filename : "(input)";
  progress.fd = fd;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    progress.total = (guint64) st.st_size;
  opts.progress = emit_progress;
  opts.progress_data = &progress;

  if (!tb_engine_import (service->engine, stream, &opts, &result, &error))
    {
      g_message ("Import of %s failed: %s", opts.filename, error->message);
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (progress.total > 0)
    tb_daemon1_emit_import_progress (skeleton, progress.total, progress.total);
  g_info ("%s %s (%s): %u added, %u updated, %u skipped, %u repaired or "
          "skipped records listed",
          opts.dry_run ? "Dry run of" : "Imported", opts.filename,
          tb_import_format_to_string (result.format), result.added,
          result.updated, result.skipped, result.notes_total);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (
      &b, "{sv}", "format",
      g_variant_new_string (tb_import_format_to_string (result.format)));
  g_variant_builder_add (&b, "{sv}", "added",
                         g_variant_new_int64 (result.added));
  g_variant_builder_add (&b, "{sv}", "updated",
                         g_variant_new_int64 (result.updated));
  g_variant_builder_add (&b, "{sv}", "skipped",
                         g_variant_new_int64 (result.skipped));
  g_variant_builder_add (&b, "{sv}", "skipped_no_name",
                         g_variant_new_int64 (result.no_name));
  g_variant_builder_add (&b, "{sv}", "skipped_unchanged",
                         g_variant_new_int64 (result.unchanged));
  g_variant_builder_add (&b, "{sv}", "problems", problems_variant (&result));
  g_variant_builder_add (&b, "{sv}", "problems_total",
                         g_variant_new_int64 (result.notes_total));
  g_variant_builder_add (&b, "{sv}", "dry_run",
                         g_variant_new_boolean (opts.dry_run));
  g_variant_builder_add (&b, "{sv}", "review",
                         g_variant_new_int64 (result.review));
  g_variant_builder_add (&b, "{sv}", "interval_set",
                         g_variant_new_int64 (result.interval_set));
  /* What the import adds to the reminders: with --every, the contacts
   * it gave that interval come due spread over it (paced, §3). */
  if (opts.interval > 0)
    g_variant_builder_add (
        &b, "{sv}", "due_per_day",
        g_variant_new_double ((double) result.interval_set
                              / ((double) opts.interval / TB_DAY)));
  if (result.added_names != NULL)
    g_variant_builder_add (
        &b, "{sv}", "would_add",
        g_variant_new_strv ((const char *const *) result.added_names->pdata,
                            result.added_names->len));
  if (result.updated_names != NULL)
    g_variant_builder_add (
        &b, "{sv}", "would_update",
        g_variant_new_strv ((const char *const *) result.updated_names->pdata,
                            result.updated_names->len));
  tb_daemon1_complete_import (skeleton, invocation, NULL,
                              g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_import_connect (TbService *service)
{
  g_signal_connect (service->skeleton, "handle-import",
                    G_CALLBACK (handle_import), service);
}
