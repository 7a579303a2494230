/* tb-sources.c — the registry of sources and the queue of their scans.
 *
 * One scan runs at a time, each in a thread of its own that ends with
 * it (a thread pool keeps idle threads that wake up to time out, and an
 * idle daemon must not wake at all). The thread only reads; what it
 * found comes back to the main thread and is written there a slice at a
 * time (write_slice), each slice one transaction and one change of undo;
 * a kill during a scan leaves whole slices and the old cursor, so the
 * next scan finds it all again, and what was written before is never
 * written twice (the store's unique provenance).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-engine-sources.h"
#include "tb-error.h"
#include "tb-sources-private.h"
#include "tb-sources.h"
#include "tb-time.h"

/* What a scan found is written this many records at a time, each slice
 * one transaction and one change of undo, with the main loop free in
 * between: a first scan of a year of mail holds other clients for the
 * writing of one slice, not of the year. */
#define TB_SOURCES_SLICE 1000

/* How long to wait before writing again when the store is busy (an
 * import holds it): only armed then, so an idle daemon stays asleep. */
#define TB_SOURCES_BUSY_RETRY_MS 1000

/* How long a burst of changes (mbsync writing forty files) is gathered
 * before one scan. */
#define TB_SOURCES_SETTLE_MS 500

typedef struct
{
  GTask *task; /* (owned) the caller's */
  TbSourcesScanResult result;
  guint pending; /* jobs not finished */
  TbSourcesProgressFunc progress;
  gpointer progress_data;
} Group;

typedef struct _Job Job;

struct _TbSources
{
  TbEngine *engine;      /* (owned) */
  GPtrArray *sources;    /* (owned) of TbSource (owned) */
  GHashTable *settle;    /* TbSource* -> timeout id */
  GQueue queue;          /* of Job* waiting */
  Job *running;          /* (nullable) */
  GCancellable *cancel;  /* (owned) at free */
  GHashTable *learned;   /* (owned) tb_email_key set */
  gint64 since_duration; /* [sources] since= */
  gboolean started;
};

struct _Job
{
  TbSources *self;  /* NULL once the manager is gone */
  TbSource *source; /* (owned) */
  gboolean full;
  gboolean again;       /* a change came while it ran: one more after it */
  Group *group;         /* (nullable) (owned: an atomic rc box) */
  TbSourceScan *scan;   /* (owned) */
  GThread *thread;      /* (owned) */
  GCancellable *cancel; /* (owned) the manager's, which may go first */
  GError *error;        /* (owned) (nullable) set by the thread */
  gboolean ok;
  /* Writing what it found, a slice at a time (write_slice). */
  TbFoundResult result;
  guint written;
  guint write_id;
};

static void run_next (TbSources *self);

void
tb_sources_scan_result_clear (TbSourcesScanResult *result)
{
  tb_found_result_clear (&result->found);
  g_clear_pointer (&result->errors, g_ptr_array_unref);
}

static void
group_clear (Group *group)
{
  tb_sources_scan_result_clear (&group->result);
  g_clear_object (&group->task);
}

static void
group_unref (Group *group)
{
  g_atomic_rc_box_release_full (group, (GDestroyNotify) group_clear);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->source);
  g_clear_pointer (&job->group, group_unref);
  g_clear_pointer (&job->scan, tb_source_scan_free);
  g_clear_error (&job->error);
  g_clear_object (&job->cancel);
  g_clear_handle_id (&job->write_id, g_source_remove);
  tb_found_result_clear (&job->result);
  g_free (job);
}

TbSources *
tb_sources_new (TbEngine *engine)
{
  TbSources *self = g_new0 (TbSources, 1);

  self->engine = g_object_ref (engine);
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->settle = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->queue);
  self->cancel = g_cancellable_new ();
  self->learned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->since_duration = TB_YEAR;
  return self;
}

static void
stop_source (TbSources *self, TbSource *source)
{
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (self->settle, source));

  if (id != 0)
    g_source_remove (id);
  g_hash_table_remove (self->settle, source);
  g_signal_handlers_disconnect_by_data (source, self);
  tb_source_unwatch (source);
}

static void
fail_group (Group *group, const char *message)
{
  if (group == NULL || group->task == NULL)
    return;
  g_task_return_new_error (group->task, TB_ERROR, TB_ERROR_FAILED, "%s",
                           message);
  g_clear_object (&group->task);
}

void
tb_sources_free (TbSources *self)
{
  Job *job;

  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancel);
  while ((job = g_queue_pop_head (&self->queue)) != NULL)
    {
      fail_group (job->group, _ ("touchbased is stopping"));
      job_free (job);
    }
  /* The running thread ends by itself (it was cancelled); its result
   * finds no manager and is dropped. One whose thread has ended and
   * that is writing stops between two slices. */
  if (self->running != NULL && self->running->write_id != 0)
    job_free (g_steal_pointer (&self->running));
  else if (self->running != NULL)
    self->running->self = NULL;
  for (guint i = 0; i < self->sources->len; i++)
    stop_source (self, g_ptr_array_index (self->sources, i));
  g_ptr_array_unref (self->sources);
  g_hash_table_unref (self->settle);
  g_hash_table_unref (self->learned);
  g_object_unref (self->cancel);
  g_object_unref (self->engine);
  g_free (self);
}

/* Live following */

static void enqueue_catch_up (TbSources *self, TbSource *source);

static gboolean
on_settled (gpointer user_data)
{
  TbSource *source = user_data;
  TbSources *self = g_object_get_data (G_OBJECT (source), "tb-sources");

  g_hash_table_remove (self->settle, source);
  enqueue_catch_up (self, source);
  return G_SOURCE_REMOVE;
}

static void
on_source_changed (TbSource *source, gpointer user_data)
{
  TbSources *self = user_data;

  if (g_hash_table_contains (self->settle, source))
    return;
  g_hash_table_insert (self->settle, source,
                       GUINT_TO_POINTER (g_timeout_add (TB_SOURCES_SETTLE_MS,
                                                        on_settled, source)));
}

static void
follow (TbSources *self, TbSource *source)
{
  g_object_set_data (G_OBJECT (source), "tb-sources", self);
  g_signal_connect (source, "changed", G_CALLBACK (on_source_changed), self);
  if (self->started)
    tb_source_watch (source);
}

void
tb_sources_configure (TbSources *self, const TbConfig *config)
{
  g_autoptr (GPtrArray) wanted
      = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) next = g_ptr_array_new_with_free_func (g_object_unref);

  self->since_duration = config->sources_since;
  tb_sources_add_mail (config, wanted);
  tb_sources_add_calendar (config, wanted);
  for (guint i = 0; i < wanted->len; i++)
    {
      TbSource *w = g_ptr_array_index (wanted, i);
      TbSource *old = tb_sources_lookup (self, tb_source_get_name (w));

      gboolean twice = FALSE;

      /* The same name twice in the file is one source. */
      for (guint j = 0; j < next->len && !twice; j++)
        twice = g_str_equal (tb_source_get_name (g_ptr_array_index (next, j)),
                             tb_source_get_name (w));
      if (twice)
        continue;
      g_ptr_array_add (next, g_object_ref (old != NULL ? old : w));
    }
  /* Those that go stop being followed; a scan of theirs waiting in the
   * queue goes too. */
  for (guint i = 0; i < self->sources->len; i++)
    {
      TbSource *s = g_ptr_array_index (self->sources, i);

      if (g_ptr_array_find (next, s, NULL))
        continue;
      stop_source (self, s);
      for (GList *l = self->queue.head; l != NULL;)
        {
          Job *job = l->data;
          GList *after = l->next;

          if (job->source == s)
            {
              g_queue_delete_link (&self->queue, l);
              if (job->group != NULL && --job->group->pending == 0
                  && job->group->task != NULL)
                {
                  g_task_return_boolean (job->group->task, TRUE);
                  g_clear_object (&job->group->task);
                }
              job_free (job);
            }
          l = after;
        }
    }
  for (guint i = 0; i < next->len; i++)
    {
      TbSource *s = g_ptr_array_index (next, i);

      if (!g_ptr_array_find (self->sources, s, NULL))
        follow (self, s);
    }
  g_ptr_array_unref (self->sources);
  self->sources = g_steal_pointer (&next);
}

void
tb_sources_start (TbSources *self)
{
  if (self->started)
    return;
  self->started = TRUE;
  for (guint i = 0; i < self->sources->len; i++)
    {
      TbSource *s = g_ptr_array_index (self->sources, i);
      g_autofree char *cursor
          = tb_engine_get_source_cursor (self->engine, tb_source_get_name (s));

      tb_source_watch (s);
      /* What came while touchbased was not running; a source never
       * scanned waits for `touchbase sources --scan` or a change. */
      if (cursor != NULL)
        enqueue_catch_up (self, s);
    }
}

GPtrArray *
tb_sources_get_all (TbSources *self)
{
  return self->sources;
}

TbSource *
tb_sources_lookup (TbSources *self, const char *name)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      TbSource *s = g_ptr_array_index (self->sources, i);

      if (g_str_equal (tb_source_get_name (s), name))
        return s;
    }
  return NULL;
}

gboolean
tb_sources_is_busy (TbSources *self)
{
  return self->running != NULL || self->queue.length > 0
         || g_hash_table_size (self->settle) > 0;
}

/* The queue */

static Job *
job_new (TbSources *self, TbSource *source, gboolean full, Group *group)
{
  Job *job = g_new0 (Job, 1);

  job->self = self;
  job->source = g_object_ref (source);
  job->cancel = g_object_ref (self->cancel);
  job->full = full;
  if (group != NULL)
    {
      job->group = g_atomic_rc_box_acquire (group);
      group->pending++;
    }
  return job;
}

static void
enqueue_catch_up (TbSources *self, TbSource *source)
{
  if (self->running != NULL && self->running->source == source)
    {
      self->running->again = TRUE;
      return;
    }
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (job->source == source && !job->full)
        return;
    }
  g_queue_push_tail (&self->queue, job_new (self, source, FALSE, NULL));
  run_next (self);
}

typedef struct
{
  Group *group; /* (owned) */
  char *name;   /* (owned) */
  guint64 done;
  guint64 total;
} Progress;

static gboolean
deliver_progress (gpointer user_data)
{
  Progress *p = user_data;

  if (p->group->progress != NULL)
    p->group->progress (p->name, p->done, p->total, p->group->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_free (Progress *p)
{
  group_unref (p->group);
  g_free (p->name);
  g_free (p);
}

/* In the worker thread. */
static void
on_scan_progress (guint64 done, guint64 total, gpointer user_data)
{
  Job *job = user_data;
  Progress *p;

  if (job->group == NULL)
    return;
  p = g_new0 (Progress, 1);
  p->group = g_atomic_rc_box_acquire (job->group);
  p->name = g_strdup (tb_source_get_name (job->source));
  p->done = done;
  p->total = total;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, deliver_progress, p,
                              (GDestroyNotify) progress_free);
}

static void
merge_result (TbFoundResult *into, const TbFoundResult *from)
{
  GHashTableIter iter;
  gpointer key;

  into->found += from->found;
  into->logged += from->logged;
  into->already += from->already;
  into->own += from->own;
  into->future += from->future;
  g_hash_table_iter_init (&iter, from->contacts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (into->contacts, g_memdup2 (key, sizeof (gint64)));
  g_hash_table_iter_init (&iter, from->unknown_keys);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_add (into->unknown_keys, g_strdup (key)))
      into->unknown++;
}

static void
learn (TbSources *self, const char *const *learned)
{
  gboolean grew = FALSE;
  g_autofree const char **all = NULL;

  for (guint i = 0; learned != NULL && learned[i] != NULL; i++)
    if (g_hash_table_add (self->learned, g_strdup (learned[i])))
      grew = TRUE;
  if (!grew)
    return;
  all = (const char **) g_hash_table_get_keys_as_array (self->learned, NULL);
  tb_engine_set_learned_addresses (self->engine, all);
}

static void
finish_group (Group *group)
{
  if (--group->pending > 0 || group->task == NULL)
    return;
  g_task_return_boolean (group->task, TRUE);
  g_clear_object (&group->task);
}

/* Main thread: the job is over, written or failed. */
static void
finish_job (Job *job)
{
  TbSources *self = job->self;
  const char *name = tb_source_get_name (job->source);
  g_autoptr (GError) error = NULL;
  TbSourceLast last = { 0 };

  self->running = NULL;
  if (job->ok && tb_source_scan_get_new_cursor (job->scan) != NULL
      && !tb_engine_set_source_cursor (
          self->engine, name, tb_source_scan_get_new_cursor (job->scan),
          &error))
    g_message ("Cannot keep where %s was read to: %s", name, error->message);
  if (job->ok)
    {
      last.at = tb_engine_now (self->engine);
      last.found = job->result.found;
      last.logged = job->result.logged;
      last.contacts = g_hash_table_size (job->result.contacts);
      last.unknown = job->result.unknown;
      last.full = job->full;
      tb_source_set_last (job->source, &last);
      tb_source_set_last_error (job->source, NULL);
      tb_source_set_state (job->source, TB_SOURCE_IDLE);
      /* A folder missing at start and there now: follow it from now on. */
      if (self->started && !tb_source_is_watching (job->source)
          && g_ptr_array_find (self->sources, job->source, NULL))
        tb_source_watch (job->source);
      g_info ("%s: %u found, %u logged for %u contacts, %u unknown "
              "addresses",
              name, last.found, last.logged, last.contacts, last.unknown);
    }
  else
    {
      g_message ("Scanning %s failed: %s", name, job->error->message);
      tb_source_set_last_error (job->source, job->error->message);
    }
  if (job->group != NULL)
    {
      job->group->result.scanned++;
      if (job->ok)
        merge_result (&job->group->result.found, &job->result);
      else
        g_ptr_array_add (job->group->result.errors,
                         g_strdup_printf ("%s: %s", name, job->error->message));
      finish_group (job->group);
    }
  if (job->again && g_ptr_array_find (self->sources, job->source, NULL))
    g_queue_push_tail (&self->queue, job_new (self, job->source, FALSE, NULL));
  job_free (job);
  run_next (self);
}

/* Main thread, at idle priority: one slice of what the scan found. */
static gboolean
write_slice (gpointer user_data)
{
  Job *job = user_data;
  GPtrArray *found = tb_source_scan_get_found (job->scan);
  guint n = MIN (TB_SOURCES_SLICE, found->len - job->written);
  g_autoptr (GPtrArray) slice = g_ptr_array_sized_new (n);
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (slice, g_ptr_array_index (found, job->written + i));
  if (!tb_engine_record_found (job->self->engine,
                               tb_source_get_name (job->source), slice,
                               &job->result, &error))
    {
      /* Nothing of the slice was written: the same slice again once
       * the store is free. */
      if (g_error_matches (error, TB_ERROR, TB_ERROR_BUSY))
        {
          g_debug ("%s: the store is busy; writing again in a moment",
                   tb_source_get_name (job->source));
          job->write_id
              = g_timeout_add (TB_SOURCES_BUSY_RETRY_MS, write_slice, job);
          return G_SOURCE_REMOVE;
        }
      job->ok = FALSE;
      job->error = g_steal_pointer (&error);
    }
  g_debug ("%s: %u records written in %" G_GINT64_FORMAT " ms",
           tb_source_get_name (job->source), n,
           (g_get_monotonic_time () - start) / 1000);
  job->written += n;
  if (job->ok && job->written < found->len)
    return G_SOURCE_CONTINUE;
  job->write_id = 0;
  finish_job (job);
  return G_SOURCE_REMOVE;
}

/* Main thread: the worker is done. */
static gboolean
on_job_done (gpointer user_data)
{
  Job *job = user_data;
  TbSources *self = job->self;

  g_thread_join (g_steal_pointer (&job->thread));
  if (self == NULL)
    {
      job_free (job);
      return G_SOURCE_REMOVE;
    }
  tb_found_result_init (&job->result);
  if (!job->ok || tb_source_scan_get_found (job->scan)->len == 0)
    {
      finish_job (job);
      return G_SOURCE_REMOVE;
    }
  learn (self, tb_source_scan_get_learned (job->scan));
  job->write_id
      = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, write_slice, job, NULL);
  return G_SOURCE_REMOVE;
}

static gpointer
job_thread (gpointer user_data)
{
  Job *job = user_data;

  job->ok
      = tb_source_run_scan (job->source, job->scan, job->cancel, &job->error);
  if (!job->ok && job->error == NULL)
    g_set_error_literal (&job->error, TB_ERROR, TB_ERROR_FAILED,
                         _ ("The scan failed"));
  g_main_context_invoke (NULL, on_job_done, job);
  return NULL;
}

static void
run_next (TbSources *self)
{
  g_autofree char *cursor = NULL;
  g_auto (GStrv) own_list = NULL;
  g_autoptr (GHashTable) own = NULL;
  gint64 now, since;
  Job *job;

  if (self->running != NULL || g_cancellable_is_cancelled (self->cancel))
    return;
  job = g_queue_pop_head (&self->queue);
  if (job == NULL)
    return;
  now = tb_engine_now (self->engine);
  since = job->group != NULL && job->group->result.since > 0
              ? job->group->result.since
              : now - self->since_duration;
  if (!job->full)
    cursor = tb_engine_get_source_cursor (self->engine,
                                          tb_source_get_name (job->source));
  if (cursor != NULL && *cursor == '\0')
    g_clear_pointer (&cursor, g_free);
  own_list = tb_engine_get_own_addresses (self->engine);
  own = tb_found_own_set ((const char *const *) own_list);
  job->scan = tb_source_scan_new (job->source, since, now, cursor, own,
                                  on_scan_progress, job);
  self->running = job;
  tb_source_set_state (job->source, TB_SOURCE_SCANNING);
  job->thread = g_thread_new ("tb-scan", job_thread, job);
}

void
tb_sources_scan_async (TbSources *self, const char *const *names, gint64 since,
                       TbSourcesProgressFunc progress, gpointer progress_data,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  g_autoptr (GPtrArray) picked = g_ptr_array_new ();
  Group *group;

  g_task_set_source_tag (task, tb_sources_scan_async);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      TbSource *s = tb_sources_lookup (self, names[i]);

      if (s == NULL)
        {
          g_task_return_new_error (
              task, TB_ERROR, TB_ERROR_NOT_FOUND,
              _ ("No source is called “%s” (touchbase sources lists them)"),
              names[i]);
          return;
        }
      if (!g_ptr_array_find (picked, s, NULL))
        g_ptr_array_add (picked, s);
    }
  if (names == NULL)
    g_ptr_array_extend (picked, self->sources, NULL, NULL);

  group = g_atomic_rc_box_new0 (Group);
  group->task = g_object_ref (task);
  group->progress = progress;
  group->progress_data = progress_data;
  tb_found_result_init (&group->result.found);
  group->result.errors = g_ptr_array_new_with_free_func (g_free);
  group->result.since
      = since > 0 ? since : tb_engine_now (self->engine) - self->since_duration;
  g_task_set_task_data (task, g_atomic_rc_box_acquire (group),
                        (GDestroyNotify) group_unref);
  group->pending++; /* held until every job is queued */
  for (guint i = 0; i < picked->len; i++)
    g_queue_push_tail (
        &self->queue,
        job_new (self, g_ptr_array_index (picked, i), TRUE, group));
  finish_group (group);
  group_unref (group);
  run_next (self);
}

gboolean
tb_sources_scan_finish (TbSources *self, GAsyncResult *result,
                        TbSourcesScanResult *out, GError **error)
{
  Group *group;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  group = g_task_get_task_data (G_TASK (result));
  *out = group->result;
  /* The sets and errors move to @out. */
  group->result = (TbSourcesScanResult){ 0 };
  return TRUE;
}
