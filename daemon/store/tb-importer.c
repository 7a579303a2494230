/* tb-importer.c — one import, from an open stream into the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-importer"

#include "config.h"

#include <string.h>

#include "tb-backup.h"
#include "tb-error.h"
#include "tb-importer.h"
#include "tb-keys.h"

#define PROGRESS_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  TbStore *store;
  const TbImportOptions *options;
  TbImportResult *result;
  const char *filename;
  gint64 last_progress;
} Run;

static void
apply_options (TbContact *contact, const TbImportOptions *options)
{
  /* A network arrives to be reviewed, not to be reminded of: only an
   * interval given with the import says "keep in touch with all of
   * these" (docs/design.md §2). */
  if (options->interval > 0)
    contact->interval = options->interval;
  else
    contact->tracking = TB_TRACKING_NOT_TRACKED;
  if (options->tag != NULL && *options->tag != '\0')
    {
      guint n = contact->tags ? g_strv_length (contact->tags) : 0;

      contact->tags = g_renew (char *, contact->tags, n + 2);
      contact->tags[n] = tb_tag_key (options->tag);
      contact->tags[n + 1] = NULL;
    }
}

static void
remember_name (GPtrArray **names, const char *name)
{
  if (*names == NULL)
    *names = g_ptr_array_new_with_free_func (g_free);
  if ((*names)->len < TB_IMPORT_MAX_NAMES)
    g_ptr_array_add (*names, g_strdup (name));
}

void
tb_import_result_clear (TbImportResult *result)
{
  g_clear_pointer (&result->added_names, g_ptr_array_unref);
  g_clear_pointer (&result->updated_names, g_ptr_array_unref);
  g_clear_pointer (&result->notes, g_ptr_array_unref);
}

static void
note_free (TbImportNote *note)
{
  g_free (note->file);
  g_free (note->reason);
  g_free (note);
}

static gboolean
merge_one (Run *run, TbContact *contact, GError **error)
{
  g_autoptr (TbContact) existing = NULL;
  g_autoptr (TbContact) values = NULL;
  TbFieldMask mask;
  gint64 id;

  id = tb_store_find_duplicate (run->store, contact, error);
  /* A record without an address (a phone's card with just a number) is
   * found by its name, or every re-import would add it again; but only
   * among contacts whose phone and uid do not say it is someone else of
   * the same name (docs/design.md §8). */
  if (id == 0 && contact->email == NULL && contact->url == NULL
      && (contact->other_emails == NULL || contact->other_emails[0] == NULL))
    id = tb_store_find_by_name (run->store, contact, error);
  if (id < 0)
    return FALSE;
  if (id == 0)
    {
      /* Paced: a network imported in one go comes due spread over its
       * first interval, not all on one day (docs/design.md §3). */
      if (tb_store_add_contact (run->store, contact, TRUE, run->options->now,
                                error)
          == 0)
        return FALSE;
      run->result->added++;
      if (contact->tracking != TB_TRACKING_TRACKED)
        run->result->review++;
      else if (run->options->interval > 0)
        run->result->interval_set++;
      if (run->options->dry_run)
        remember_name (&run->result->added_names, contact->name);
      return TRUE;
    }
  existing = tb_store_get_contact (run->store, id, error);
  if (existing == NULL)
    return FALSE;
  values = tb_contact_new ();
  mask = tb_store_merge_import (existing, contact, values);
  if (mask == 0)
    {
      run->result->skipped++;
      run->result->unchanged++;
      return TRUE;
    }
  if (!tb_store_update_contact (run->store, id, values, mask, run->options->now,
                                error))
    return FALSE;
  run->result->updated++;
  if (mask & TB_FIELD_INTERVAL)
    run->result->interval_set++;
  if (run->options->dry_run)
    remember_name (&run->result->updated_names, existing->name);
  return TRUE;
}

static gboolean
on_record (TbContact *contact, guint line, gpointer user_data, GError **error)
{
  g_autoptr (TbContact) owned = contact;
  Run *run = user_data;
  gint64 t;

  if (g_cancellable_set_error_if_cancelled (run->options->cancellable, error))
    return FALSE;
  apply_options (owned, run->options);
  if (!tb_contact_check_sizes (owned, error) || !merge_one (run, owned, error))
    {
      g_prefix_error (error, "%s:%u: ", run->filename, line);
      return FALSE;
    }
  if (run->options->progress != NULL
      && (t = g_get_monotonic_time ()) - run->last_progress
             >= PROGRESS_INTERVAL_US)
    {
      run->last_progress = t;
      run->options->progress (run->options->progress_data);
    }
  return TRUE;
}

static TbImportFormat
detect (GBufferedInputStream *b, GError **error)
{
  gsize available;
  const char *head;

  while ((available = g_buffered_input_stream_get_available (b))
         < TB_IMPORT_DETECT_BYTES)
    {
      gssize n = g_buffered_input_stream_fill (
          b, TB_IMPORT_DETECT_BYTES - available, NULL, error);

      if (n < 0)
        return TB_FORMAT_UNKNOWN;
      if (n == 0)
        break;
    }
  head = g_buffered_input_stream_peek_buffer (b, &available);
  return tb_import_detect (head, available);
}

/* Reading and mapping the file (CSV or vCard to TbContact) and writing
 * the store take about as long as each other, so a reader thread feeds
 * the main thread through a queue: on two cores the import takes the time
 * of the slower half. Records travel in batches (a queue operation per
 * record would cost more than it saves), and at most QUEUE_BATCHES of
 * them wait, so memory does not grow with the file. */
#define BATCH_SIZE 128
#define QUEUE_BATCHES 8

typedef struct
{
  GPtrArray *contacts; /* (owned) (element-type TbContact); empty: the end */
  GArray *lines;       /* (owned) guint, the line of each record */
} Batch;

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->contacts);
  g_array_unref (batch->lines);
  g_free (batch);
}

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->contacts
      = g_ptr_array_new_full (BATCH_SIZE, (GDestroyNotify) tb_contact_free);
  batch->lines = g_array_sized_new (FALSE, FALSE, sizeof (guint), BATCH_SIZE);
  return batch;
}

typedef struct
{
  GInputStream *stream; /* (unowned) */
  TbImportFormat format;
  const char *filename;
  GAsyncQueue *batches; /* (owned) Batch*, reader → main thread */
  GAsyncQueue *slots;   /* (owned) free places, main thread → reader */
  GCancellable *cancel; /* (owned) the main thread gave up */
  Batch *filling;       /* (owned) the reader's batch being filled */
  /* Set by the reader before it queues the end: */
  gboolean ok;
  GError *error;
  TbImportFormat read_format;
  guint skipped;
  /* The reader's until it is joined: */
  GPtrArray *notes; /* (owned) (element-type TbImportNote) */
  guint notes_total;
} Reader;

static void
queue_note (const char *file, guint line, TbImportNoteKind kind,
            const char *reason, gpointer user_data)
{
  Reader *r = user_data;
  TbImportNote *note;

  if (r->notes_total++ >= TB_IMPORT_MAX_NOTES)
    return;
  note = g_new0 (TbImportNote, 1);
  note->file = g_strdup (file);
  note->line = line;
  note->kind = kind;
  note->reason = g_strdup (reason);
  g_ptr_array_add (r->notes, note);
}

static void
send_batch (Reader *r)
{
  g_async_queue_pop (r->slots);
  g_async_queue_push (r->batches, g_steal_pointer (&r->filling));
  r->filling = batch_new ();
}

static gboolean
queue_record (TbContact *contact, guint line, gpointer user_data,
              GError **error)
{
  Reader *r = user_data;

  if (g_cancellable_set_error_if_cancelled (r->cancel, error))
    {
      tb_contact_free (contact);
      return FALSE;
    }
  /* The folding and URL parsing of the keys happen here, in the reader,
   * so the main thread only writes. */
  if (contact->url != NULL)
    contact->url_key = tb_url_key (contact->url);
  if (contact->email != NULL)
    contact->email_key = tb_email_key (contact->email);
  contact->name_key = tb_name_key (contact->name);
  g_ptr_array_add (r->filling->contacts, contact);
  g_array_append_val (r->filling->lines, line);
  if (r->filling->contacts->len == BATCH_SIZE)
    send_batch (r);
  return TRUE;
}

static gpointer
reader_thread (gpointer data)
{
  Reader *r = data;

  r->filling = batch_new ();
  r->ok = tb_import_read_full (r->stream, r->format, r->filename, queue_record,
                               queue_note, r, &r->read_format, &r->skipped,
                               r->cancel, &r->error);
  if (r->filling->contacts->len > 0)
    send_batch (r);
  /* The end: an empty batch. */
  g_async_queue_push (r->batches, g_steal_pointer (&r->filling));
  return NULL;
}

static gboolean
read_in_thread (Run *run, GInputStream *stream, TbImportFormat format,
                guint *skipped, GError **error)
{
  Reader r = { stream, format, run->filename };
  g_autoptr (GThread) thread = NULL;
  g_autoptr (GError) local = NULL;
  gboolean ok = TRUE;

  r.batches = g_async_queue_new ();
  r.slots = g_async_queue_new ();
  r.cancel = g_cancellable_new ();
  r.notes = g_ptr_array_new_with_free_func ((GDestroyNotify) note_free);
  for (guint i = 0; i < QUEUE_BATCHES; i++)
    g_async_queue_push (r.slots, GUINT_TO_POINTER (1));
  thread = g_thread_new ("tb-import-read", reader_thread, &r);

  for (;;)
    {
      Batch *batch = g_async_queue_pop (r.batches);
      guint n = batch->contacts->len;

      /* After a failure, keep taking batches so the reader, told to
       * stop, is never stuck waiting for a free place. */
      for (guint i = 0; ok && i < n; i++)
        {
          ok = on_record (g_ptr_array_steal_index (batch->contacts, 0),
                          g_array_index (batch->lines, guint, i), run, &local);
          if (!ok)
            g_cancellable_cancel (r.cancel);
        }
      batch_free (batch);
      if (n == 0)
        break;
      g_async_queue_push (r.slots, GUINT_TO_POINTER (1));
    }
  g_thread_join (g_steal_pointer (&thread));

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  else if (!r.ok)
    g_propagate_error (error, g_steal_pointer (&r.error));
  g_clear_error (&r.error);
  run->result->format = r.read_format;
  *skipped = r.skipped;
  run->result->notes = g_steal_pointer (&r.notes);
  run->result->notes_total = r.notes_total;
  g_async_queue_unref (r.batches);
  g_async_queue_unref (r.slots);
  g_object_unref (r.cancel);
  return ok && r.ok;
}

static gboolean
run_locked (Run *run, GInputStream *stream, GError **error)
{
  const TbImportOptions *o = run->options;
  g_autoptr (GInputStream) buffered = NULL;
  TbImportFormat format = o->format;
  guint skipped = 0;

  buffered
      = g_buffered_input_stream_new_sized (stream, 2 * TB_IMPORT_DETECT_BYTES);
  if (format == TB_FORMAT_UNKNOWN)
    {
      GError *local = NULL;

      format = detect (G_BUFFERED_INPUT_STREAM (buffered), &local);
      if (local != NULL)
        {
          g_propagate_prefixed_error (error, local, "%s: ", run->filename);
          return FALSE;
        }
      /* Unknown: let the reader say why, in its words. */
    }
  if (format == TB_FORMAT_JSON)
    {
      run->result->format = TB_FORMAT_JSON;
      return tb_backup_restore (run->store, buffered, run->filename,
                                &run->result->added, error);
    }
  if (!read_in_thread (run, buffered, format, &skipped, error))
    return FALSE;
  run->result->skipped += skipped;
  run->result->no_name = skipped;
  return TRUE;
}

gboolean
tb_importer_run (TbStore *store, GInputStream *stream,
                 const TbImportOptions *options, TbImportResult *out,
                 GError **error)
{
  Run run = { store, options, out, options->filename, 0 };
  gboolean ok;

  if (run.filename == NULL)
    run.filename = "(input)";
  tb_import_result_clear (out);
  memset (out, 0, sizeof *out);
  run.last_progress = g_get_monotonic_time ();

  /* One transaction: an error half-way leaves nothing behind, and a
   * dry run is the real thing, undone. */
  if (!tb_store_begin (store, error))
    return FALSE;
  tb_store_set_bulk (store, TRUE, NULL);
  ok = run_locked (&run, stream, error);
  /* Whoever cancelled has been told it failed, or will be: it must not
   * commit after that, however far it got. */
  if (ok && g_cancellable_set_error_if_cancelled (options->cancellable, error))
    ok = FALSE;
  if (!tb_store_set_bulk (store, FALSE, ok ? error : NULL))
    ok = FALSE;
  if (!ok)
    {
      tb_store_rollback (store);
      return FALSE;
    }
  if (options->progress != NULL)
    options->progress (options->progress_data);
  if (options->dry_run)
    {
      tb_store_rollback (store);
      return TRUE;
    }
  if (!tb_store_commit (store, error))
    return FALSE;
  tb_store_trim_wal (store);
  tb_store_release_memory (store);
  return TRUE;
}
