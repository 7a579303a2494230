/* tb-engine-read.c — reads of the whole network off the main loop: each
 * in a worker thread, on a connection of its own, in one read
 * transaction, a bounded number at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-engine-private.h"
#include "tb-error.h"
#include "tb-rows.h"

/* The engine's reads, kept on it (made at the first): running and
 * waiting, on the main thread only. */
typedef struct
{
  guint running;
  GQueue waiting; /* (element-type GTask) */
} TbEngineReads;

struct _TbEngineRead
{
  TbStore *store; /* (owned) (nullable) the worker's, while it runs */
  GCancellable *cancel;
  TbEngineReadFunc func;
  gpointer data;
  gboolean running; /* counted in TbEngineReads.running */
  GAsyncReadyCallback callback;
  gpointer user_data;
};

static void
reads_free (gpointer data)
{
  TbEngineReads *reads = data;

  /* Each read holds the engine: none is left when it is finalized. */
  g_warn_if_fail (reads->running == 0 && reads->waiting.length == 0);
  g_free (reads);
}

static TbEngineReads *
get_reads (TbEngine *self)
{
  TbEngineReads *reads = g_object_get_data (G_OBJECT (self), "tb-reads");

  if (reads == NULL)
    {
      reads = g_new0 (TbEngineReads, 1);
      g_queue_init (&reads->waiting);
      g_object_set_data_full (G_OBJECT (self), "tb-reads", reads, reads_free);
    }
  return reads;
}

static void
read_free (gpointer data)
{
  TbEngineRead *read = data;

  g_clear_pointer (&read->store, tb_store_free);
  g_clear_object (&read->cancel);
  g_free (read);
}

GCancellable *
tb_engine_read_get_cancellable (TbEngineRead *read)
{
  return read->cancel;
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data,
             GCancellable *cancellable)
{
  TbEngineRead *read = task_data;
  GError *error = NULL;
  gboolean ok;

  /* One snapshot: a list written while the main connection writes is
   * the list as it was at its start, every contact once. */
  ok = tb_store_begin_read (read->store, &error);
  if (ok)
    {
      ok = read->func (read, read->data, &error);
      if (ok)
        ok = tb_store_commit (read->store, &error);
      else
        tb_store_rollback (read->store);
    }
  /* Closed here: the connection is this thread's until it ends. */
  g_clear_pointer (&read->store, tb_store_free);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Starts @task's read, or returns its error. (transfer full) @task */
static void
start (TbEngine *self, GTask *task)
{
  TbEngineRead *read = g_task_get_task_data (task);
  TbEngineReads *reads = get_reads (self);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (read->cancel, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* Opened on the main thread, from the main connection's policy and
   * zone, which only this thread changes. */
  read->store = tb_store_open_worker (tb_engine_get_store (self), &error);
  if (read->store == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  tb_store_set_cancellable (read->store, read->cancel);
  read->running = TRUE;
  reads->running++;
  g_task_run_in_thread (task, read_thread);
  g_object_unref (task);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TbEngine *self = TB_ENGINE (source);
  TbEngineRead *read = g_task_get_task_data (G_TASK (result));
  TbEngineReads *reads = get_reads (self);

  if (read->running)
    {
      read->running = FALSE;
      reads->running--;
    }
  while (reads->running < TB_ENGINE_READS_RUNNING && reads->waiting.length > 0)
    start (self, g_queue_pop_head (&reads->waiting));
  read->callback (source, result, read->user_data);
}

void
tb_engine_read_async (TbEngine *self, TbEngineReadFunc func, gpointer data,
                      GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  TbEngineReads *reads = get_reads (self);
  TbEngineRead *read = g_new0 (TbEngineRead, 1);
  GTask *task;

  read->cancel
      = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  read->func = func;
  read->data = data;
  read->callback = callback;
  read->user_data = user_data;
  task = g_task_new (self, read->cancel, read_done, NULL);
  g_task_set_source_tag (task, tb_engine_read_async);
  g_task_set_task_data (task, read, read_free);
  /* The reader's own error says more than "cancelled" would. */
  g_task_set_check_cancellable (task, FALSE);
  if (reads->running < TB_ENGINE_READS_RUNNING)
    start (self, task);
  else if (reads->waiting.length < TB_ENGINE_READS_WAITING)
    g_queue_push_tail (&reads->waiting, task);
  else
    {
      /* A queue without end would hold a descriptor and a reply per
       * caller: past it the caller is told to come back. */
      g_task_return_new_error (
          task, TB_ERROR, TB_ERROR_BUSY, "%s",
          _ ("Too many lists are being written; try again in a moment"));
      g_object_unref (task);
    }
}

gboolean
tb_engine_read_finish (TbEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GString *buffer;
  GOutputStream *out;
  GCancellable *cancel;
  guint count;
} RowWriter;

/* Bytes held before a write: few system calls, little memory. */
#define ROWS_FLUSH_BYTES (64 * 1024)

static gboolean
flush_rows (RowWriter *w, GError **error)
{
  gboolean ok = g_output_stream_write_all (
      w->out, w->buffer->str, w->buffer->len, NULL, w->cancel, error);

  g_string_truncate (w->buffer, 0);
  return ok;
}

static gboolean
write_row (const TbRow *row, gpointer user_data, GError **error)
{
  RowWriter *w = user_data;

  tb_rows_append (w->buffer, row);
  w->count++;
  return w->buffer->len < ROWS_FLUSH_BYTES || flush_rows (w, error);
}

gboolean
tb_engine_read_contact_rows (TbEngineRead *read, const TbListFilter *filter,
                             GOutputStream *out, guint *count, GError **error)
{
  g_autoptr (GString) buffer = g_string_sized_new (ROWS_FLUSH_BYTES + 1024);
  RowWriter w = { buffer, out, read->cancel, 0 };

  if (!tb_store_foreach_row (read->store, filter, write_row, &w, error)
      || !flush_rows (&w, error))
    return FALSE;
  *count = w.count;
  return TRUE;
}

gboolean
tb_engine_read_contacts (TbEngineRead *read, const TbListFilter *filter,
                         TbContactFunc func, gpointer user_data, GError **error)
{
  return tb_store_foreach_contact (read->store, filter, func, user_data, error);
}

gboolean
tb_engine_read_due (TbEngineRead *read, gint64 until, guint limit,
                    const TbDueCursor *contacts_after,
                    const TbDueCursor *follow_ups_after,
                    TbContactFunc contact_func, TbFollowUpFunc follow_up_func,
                    gpointer user_data, GError **error)
{
  return (contact_func == NULL
          || tb_store_foreach_due_contact (read->store, until, limit,
                                           contacts_after, contact_func,
                                           user_data, error))
         && (follow_up_func == NULL
             || tb_store_foreach_due_follow_up (
                 read->store, until, limit, follow_ups_after, follow_up_func,
                 user_data, error));
}

static gboolean
write_due_row (const TbDueRow *row, gpointer user_data, GError **error)
{
  RowWriter *w = user_data;

  tb_due_rows_append (w->buffer, row);
  return w->buffer->len < ROWS_FLUSH_BYTES || flush_rows (w, error);
}

gboolean
tb_engine_read_due_rows (TbEngineRead *read, gint64 until, guint limit,
                         GOutputStream *out, guint *out_contacts,
                         guint *out_follow_ups, GError **error)
{
  g_autoptr (GString) buffer = g_string_sized_new (ROWS_FLUSH_BYTES + 1024);
  RowWriter w = { buffer, out, read->cancel, 0 };

  return tb_store_foreach_due_row (read->store, until, limit, write_due_row, &w,
                                   out_contacts, out_follow_ups, error)
         && flush_rows (&w, error);
}

gboolean
tb_engine_read_export (TbEngineRead *read, const char *format, GTimeZone *tz,
                       GOutputStream *out, GError **error)
{
  return tb_engine_export_store (read->store, tz, format, out, error);
}
