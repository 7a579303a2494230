/* tb-engine-export.c — bringing contacts in and taking them out: the
 * importer runs in a worker thread, in one transaction of a connection
 * of its own; the exports write to the stream as they read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-backup.h"
#include "tb-engine-private.h"
#include "tb-error.h"
#include "tb-export-contacts.h"

/* One import, shared by the main thread and the worker: the worker owns
 * the connection and the result until it has queued finish_on_main; the
 * main thread reads them only after joining it. Reference-counted (an
 * atomic rc box): the worker's queued call may outlive a
 * tb_engine_stop_import that finished it first. */
struct _TbEngineImport
{
  TbEngine *engine;      /* (owned) */
  TbStore *store;        /* (owned) the worker's connection */
  GInputStream *stream;  /* (owned) */
  GCancellable *cancel;  /* (owned) */
  GMainContext *context; /* (owned) where finish_on_main runs */
  TbImportOptions options;
  char *filename; /* (owned) options.filename */
  char *tag;      /* (owned) options.tag */
  char *subject;  /* (owned) (nullable) the file, as the undo list names it */
  char *cancel_reason; /* (owned) (nullable) main thread only */
  GThread *thread;
  TbEngineImportFunc done;
  gpointer done_data;
  /* The worker's, until it is joined: */
  gboolean ok;
  TbImportResult result;
  GError *error;
  /* Main thread only: done has been called. */
  gboolean finished;
};

static void
import_clear (TbEngineImport *imp)
{
  g_clear_object (&imp->engine);
  g_clear_pointer (&imp->store, tb_store_free);
  g_clear_object (&imp->stream);
  g_clear_object (&imp->cancel);
  g_clear_pointer (&imp->context, g_main_context_unref);
  g_free (imp->filename);
  g_free (imp->tag);
  g_free (imp->subject);
  g_free (imp->cancel_reason);
  tb_import_result_clear (&imp->result);
  g_clear_error (&imp->error);
}

static void
import_unref (gpointer imp)
{
  g_atomic_rc_box_release_full (imp, (GDestroyNotify) import_clear);
}

/* The worker thread: the whole import, in one change of its own
 * connection, committed or rolled back before the main thread hears of
 * it. */
static gboolean finish_on_main (gpointer data);

static gpointer
import_thread (gpointer data)
{
  TbEngineImport *imp = data;
  TbStore *store = imp->store;
  const TbImportOptions *o = &imp->options;
  g_autoptr (GError) local = NULL;
  gboolean ok;

  /* A dry run is rolled back by the importer: nothing to undo. */
  ok = o->dry_run
       || tb_store_begin_change (store, "import", 0, imp->subject, o->now,
                                 &local);
  if (ok)
    {
      ok = tb_importer_run (store, imp->stream, o, &imp->result, &local);
      /* The last moment to give up: after the commit below, the
       * import stands. */
      if (ok && !o->dry_run)
        ok = !g_cancellable_set_error_if_cancelled (o->cancellable, &local);
      if (ok && !o->dry_run)
        tb_store_set_change_detail (
            store,
            g_variant_new_parsed ("{'added': <%u>, 'updated': <%u>}",
                                  imp->result.added, imp->result.updated));
      if (!o->dry_run)
        {
          /* The importer's own commit was inside the change: this one
           * writes. */
          if (!tb_store_end_change (store, ok, ok ? &local : NULL))
            ok = FALSE;
          else
            tb_store_trim_wal (store);
        }
    }
  imp->ok = ok;
  imp->error = g_steal_pointer (&local);
  g_main_context_invoke_full (imp->context, G_PRIORITY_DEFAULT, finish_on_main,
                              g_atomic_rc_box_acquire (imp), import_unref);
  import_unref (imp); /* the thread's own */
  return NULL;
}

/* On the main thread, once: joins the worker, lets writes go again and
 * tells whoever started it. */
static void
finish (TbEngineImport *imp)
{
  TbEngine *self = imp->engine;
  const TbImportOptions *o = &imp->options;
  g_autoptr (GError) error = NULL;

  if (imp->finished)
    return;
  imp->finished = TRUE;
  g_thread_join (g_steal_pointer (&imp->thread));
  /* The worker's connection closes before the main one writes again, so
   * the WAL it trimmed stays small. */
  g_clear_pointer (&imp->store, tb_store_free);
  tb_engine_set_import (self, NULL);
  tb_store_hold_writes (tb_engine_get_store (self), FALSE);

  if (!imp->ok)
    {
      GError *local = g_steal_pointer (&imp->error);

      if (g_cancellable_is_cancelled (o->cancellable))
        {
          g_set_error_literal (
              &error, TB_ERROR, TB_ERROR_FAILED,
              imp->cancel_reason != NULL
                  ? imp->cancel_reason
                  : _ ("The import was cancelled; nothing was imported"));
          g_clear_error (&local);
        }
      else if (local->domain != TB_ERROR)
        {
          /* A read that failed (an I/O error on the caller's file) is
           * the import's, in TB_ERROR like every error a client sees. */
          g_set_error (&error, TB_ERROR, TB_ERROR_FAILED,
                       _ ("Cannot read %s: %s"), o->filename, local->message);
          g_clear_error (&local);
        }
      else
        error = local;
    }
  /* A dry run, or a file that matched everything unchanged, wrote
   * nothing. */
  else if (!o->dry_run && (imp->result.added > 0 || imp->result.updated > 0))
    tb_engine_emit_changed (self);
  tb_engine_emit_import_ended (self);
  imp->done (self, imp->ok ? &imp->result : NULL, error, imp->done_data);
}

static gboolean
finish_on_main (gpointer data)
{
  TbEngineImport *imp = data;

  /* Already finished by tb_engine_stop_import, or about to be; the
   * engine is the import's, so it is alive here. */
  if (!imp->finished && tb_engine_get_import (imp->engine) == imp)
    {
      finish (imp);
      /* The engine's reference, taken at the start. */
      import_unref (imp);
    }
  return G_SOURCE_REMOVE;
}

gboolean
tb_engine_import_start (TbEngine *self, GInputStream *stream,
                        const TbImportOptions *options, TbEngineImportFunc done,
                        gpointer user_data, GError **error)
{
  TbEngineImport *imp;
  TbStore *worker;

  if (options->interval < 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("The interval must be positive"));
      return FALSE;
    }
  /* The name travels in every problem the import reports and into the
   * list of changes. */
  if (!tb_text_check_size (_ ("The file name"), options->filename,
                           TB_TEXT_MAX_FILE_NAME, error))
    return FALSE;
  /* Every record would be refused for it: say so before reading any. */
  if (!tb_text_check_size (_ ("The tag"), options->tag, TB_TEXT_MAX_TAG, error))
    return FALSE;
  if (tb_engine_get_import (self) != NULL)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_BUSY,
                           _ ("An import is running; try again when it ends"));
      return FALSE;
    }
  worker = tb_store_open_worker (tb_engine_get_store (self), error);
  if (worker == NULL)
    return FALSE;

  imp = g_atomic_rc_box_new0 (TbEngineImport);
  imp->engine = g_object_ref (self);
  imp->store = worker;
  imp->stream = g_object_ref (stream);
  imp->context = g_main_context_ref_thread_default ();
  imp->options = *options;
  imp->cancel = options->cancellable != NULL
                    ? g_object_ref (options->cancellable)
                    : g_cancellable_new ();
  imp->options.cancellable = imp->cancel;
  tb_store_set_cancellable (worker, imp->cancel);
  imp->filename = g_strdup (options->filename != NULL ? options->filename
                                                      : _ ("the file"));
  imp->options.filename = imp->filename;
  imp->tag = g_strdup (options->tag);
  imp->options.tag = imp->tag;
  imp->options.now = tb_engine_now (self);
  /* The list names the file as people name it, without its folders. */
  if (options->filename != NULL)
    imp->subject = g_path_get_basename (options->filename);
  imp->done = done;
  imp->done_data = user_data;

  tb_store_hold_writes (tb_engine_get_store (self), TRUE);
  tb_engine_set_import (self, imp);
  imp->thread = g_thread_try_new ("tb-import", import_thread,
                                  g_atomic_rc_box_acquire (imp), error);
  if (imp->thread == NULL)
    {
      tb_engine_set_import (self, NULL);
      tb_store_hold_writes (tb_engine_get_store (self), FALSE);
      import_unref (imp); /* the thread's */
      import_unref (imp);
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_engine_is_importing (TbEngine *self)
{
  return tb_engine_get_import (self) != NULL;
}

void
tb_engine_cancel_import (TbEngine *self, const char *reason)
{
  TbEngineImport *imp = tb_engine_get_import (self);

  if (imp == NULL)
    return;
  if (imp->cancel_reason == NULL && reason != NULL)
    imp->cancel_reason = g_strdup (reason);
  g_cancellable_cancel (imp->cancel);
}

void
tb_engine_stop_import (TbEngine *self)
{
  TbEngineImport *imp = tb_engine_get_import (self);

  if (imp == NULL)
    return;
  tb_engine_cancel_import (self,
                           _ ("The daemon is stopping; nothing was imported"));
  finish (imp);
  import_unref (imp);
}

static gboolean
export_json (TbStore *store, GTimeZone *tz, GOutputStream *out, GError **error)
{
  return tb_backup_write (store, out, error);
}

static gboolean
export_vcard (TbStore *store, GTimeZone *tz, GOutputStream *out, GError **error)
{
  return tb_export_vcard (store, out, error);
}

static gboolean
export_csv (TbStore *store, GTimeZone *tz, GOutputStream *out, GError **error)
{
  return tb_export_csv (store, out, tz, error);
}

static const struct
{
  const char *format;
  gboolean (*write) (TbStore *store, GTimeZone *tz, GOutputStream *out,
                     GError **error);
} exporters[] = {
  { "json", export_json },
  { "vcard", export_vcard },
  { "csv", export_csv },
};

gboolean
tb_engine_is_export_format (const char *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (exporters); i++)
    if (g_str_equal (format, exporters[i].format))
      return TRUE;
  return FALSE;
}

gboolean
tb_engine_export_store (TbStore *store, GTimeZone *tz, const char *format,
                        GOutputStream *out, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (exporters); i++)
    if (g_str_equal (format, exporters[i].format))
      return exporters[i].write (store, tz, out, error);
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("Unknown export format “%s”: use ics, vcard, json or csv"),
               format);
  return FALSE;
}

gboolean
tb_engine_export (TbEngine *self, const char *format, GOutputStream *out,
                  GError **error)
{
  return tb_engine_export_store (tb_engine_get_store (self),
                                 tb_engine_get_time_zone (self), format, out,
                                 error);
}
