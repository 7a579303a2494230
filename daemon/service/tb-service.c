/* tb-service.c — the io.github.touchbase.Daemon1 methods on contacts,
 * follow-ups and the daemon's status.
 *
 * Each handler unpacks its arguments, calls the engine and replies; the
 * store keeps every change one transaction, so a failed call changes
 * nothing, and the engine tells everyone that follows the data. GErrors
 * of TB_ERROR travel as io.github.touchbase.Error.*.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tb-engine-sources.h"
#include "tb-error.h"
#include "tb-service-private.h"
#include "tb-vardict.h"
#include "touchbase/tb-names.h"

static gboolean
handle_add_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                    GVariant *fields, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (fields);
  g_autoptr (GVariant) again = g_variant_dict_lookup_value (&dict, "new", NULL);
  g_autoptr (GVariant) contact_fields = NULL;
  TbFieldMask mask = 0;
  GError *error = NULL;
  gint64 id;

  /* "new" is not a field of the contact but how to add it: also when
   * someone has its name, e-mail or link. */
  if (again != NULL && !g_variant_is_of_type (again, G_VARIANT_TYPE_BOOLEAN))
    return tb_service_fail (
        invocation,
        g_error_new (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                     _ ("The option “%s” must be of type “%s”, "
                        "not “%s”"),
                     "new", "b", g_variant_get_type_string (again)));
  g_variant_dict_remove (&dict, "new");
  contact_fields = g_variant_ref_sink (g_variant_dict_end (&dict));
  if (!tb_vardict_to_contact (contact_fields, contact, &mask, &error))
    return tb_service_fail (invocation, error);
  id = tb_engine_add_contact (service->engine, contact,
                              again != NULL && g_variant_get_boolean (again),
                              &error);
  if (id == 0)
    return tb_service_fail (invocation, error);
  g_info ("Added contact %" G_GINT64_FORMAT, id);
  tb_daemon1_complete_add_contact (skeleton, invocation, id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_update_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       gint64 id, GVariant *fields, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (TbContact) values = tb_contact_new ();
  TbFieldMask mask = 0;
  GError *error = NULL;

  if (!tb_vardict_to_contact (fields, values, &mask, &error))
    return tb_service_fail (invocation, error);
  if (!tb_engine_update_contact (service->engine, id, values, mask, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_update_contact (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       gint64 id, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_remove_contact (service->engine, id, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_contact (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_resolve_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                        const char *query, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;
  gint64 id;

  id = tb_engine_resolve (service->engine, query, &error);
  if (id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_resolve_contact (skeleton, invocation, id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* MatchContacts' and SearchContacts' options: a limit and nothing else. */
static const TbServiceOption limit_options[] = {
  { "limit", "u" },
};

static gboolean
handle_match_contacts (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       const char *query, GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) candidates = NULL;
  guint limit = TB_STORE_MATCH_DEFAULT_LIMIT;
  guint total = 0;
  GVariantBuilder b;
  GError *error = NULL;

  if (!tb_service_read_limit (options, limit_options,
                              G_N_ELEMENTS (limit_options),
                              TB_STORE_MATCH_MAX_LIMIT, &limit, &error))
    return tb_service_fail (invocation, error);
  candidates = tb_engine_match_contacts (service->engine, query, limit, &total,
                                         &error);
  if (candidates == NULL)
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < candidates->len; i++)
    g_variant_builder_add_value (
        &b, tb_vardict_from_candidate (g_ptr_array_index (candidates, i)));
  tb_daemon1_complete_match_contacts (skeleton, invocation,
                                      g_variant_builder_end (&b), total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static const TbServiceOption filters[] = {
  { "tag", "s" },        { "due", "b" },   { "never", "b" },
  { "tracking", "s" },   { "limit", "u" }, { "format", "s" },
  { "after", "(xssx)" },
};

/* How many records ListContacts and GetDue return at most: a reply of
 * records costs a GVariant per field, and a reply past the bus's message
 * size gets the daemon disconnected. WriteContactRows and WriteDueRows
 * stream any number. */
#define RECORDS_MAX_LIMIT 1000

/* "limit" of a method that replies with records: 0 or absent is the
 * most, more than the most is refused (it was "all" once: a silent cut
 * would look like the whole list). */
static gboolean
check_records_limit (guint *limit, GError **error)
{
  if (*limit > RECORDS_MAX_LIMIT)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("The limit can be at most %u; WriteContactRows and "
                      "WriteDueRows give any number"),
                   RECORDS_MAX_LIMIT);
      return FALSE;
    }
  if (*limit == 0)
    *limit = RECORDS_MAX_LIMIT;
  return TRUE;
}

/* How WriteContactRows and WriteDueRows write: text rows, or records. */
static gboolean
parse_format (GVariant *options, gboolean *records, GError **error)
{
  const char *format = "rows";

  g_variant_lookup (options, "format", "&s", &format);
  *records = g_str_equal (format, "records");
  if (*records || g_str_equal (format, "rows"))
    return TRUE;
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("Unknown format “%s”: use rows or records"), format);
  return FALSE;
}

/* ListContacts' and WriteContactRows' filter; its strings point into
 * @dict. Only WriteContactRows takes "format" and "after" (@records
 * non-NULL). */
static gboolean
parse_filter (GVariant *dict, TbListFilter *filter, gboolean *records,
              GError **error)
{
  const char *tracking;

  if (!tb_service_check_options (
          dict, filters, G_N_ELEMENTS (filters) - (records ? 0 : 2), error))
    return FALSE;
  if (records != NULL && !parse_format (dict, records, error))
    return FALSE;
  g_variant_lookup (dict, "tag", "&s", &filter->tag);
  g_variant_lookup (dict, "due", "b", &filter->due);
  g_variant_lookup (dict, "never", "b", &filter->never);
  if (g_variant_lookup (dict, "tracking", "&s", &tracking)
      && !g_str_equal (tracking, "all"))
    {
      if (!tb_tracking_from_string (tracking, &filter->tracking))
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown tracking state “%s”: use tracked, "
                          "not-tracked, ignored or all"),
                       tracking);
          return FALSE;
        }
      filter->by_tracking = TRUE;
    }
  g_variant_lookup (dict, "limit", "u", &filter->limit);
  return records != NULL || check_records_limit (&filter->limit, error);
}

static gboolean
handle_list_contacts (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      GVariant *filter_dict, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) contacts = NULL;
  TbListFilter filter = { 0 };
  GError *error = NULL;

  if (!parse_filter (filter_dict, &filter, NULL, &error))
    return tb_service_fail (invocation, error);
  contacts = tb_engine_list_contacts (service->engine, &filter, &error);
  if (contacts == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_list_contacts (
      skeleton, invocation,
      tb_vardict_array (contacts, (gpointer) tb_vardict_from_contact));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Bytes held before a write: few system calls, little memory. */
#define RECORDS_FLUSH_BYTES (64 * 1024)

/* Records written into a client's file (the "records" format of the
 * XML): each a{sv} as its size (guint64, this machine's byte order),
 * GVariant's serialised bytes and zeros up to a multiple of 8, so that
 * each record starts aligned in a mapping of the file. */
typedef struct
{
  GString *buffer;
  GOutputStream *out;
  guint contacts;
  guint follow_ups;
} RecordWriter;

static gboolean
flush_records (RecordWriter *w, GError **error)
{
  gboolean ok = g_output_stream_write_all (w->out, w->buffer->str,
                                           w->buffer->len, NULL, NULL, error);

  g_string_truncate (w->buffer, 0);
  return ok;
}

/* Takes @record (floating). */
static gboolean
append_record (RecordWriter *w, GVariant *record, GError **error)
{
  static const char zeros[8] = { 0 };
  g_autoptr (GVariant) r = g_variant_ref_sink (record);
  guint64 size = g_variant_get_size (r);
  gsize start;

  g_string_append_len (w->buffer, (const char *) &size, sizeof size);
  start = w->buffer->len;
  g_string_set_size (w->buffer, start + size);
  g_variant_store (r, w->buffer->str + start);
  g_string_append_len (w->buffer, zeros, (gssize) ((8 - size % 8) % 8));
  return w->buffer->len < RECORDS_FLUSH_BYTES || flush_records (w, error);
}

static gboolean
record_contact (TbContact *contact, gpointer data, GError **error)
{
  RecordWriter *w = data;
  gboolean ok = append_record (w, tb_vardict_from_contact (contact), error);

  tb_contact_free (contact);
  w->contacts++;
  return ok;
}

static gboolean
record_follow_up (TbFollowUp *follow_up, gpointer data, GError **error)
{
  RecordWriter *w = data;
  gboolean ok = append_record (w, tb_vardict_from_follow_up (follow_up), error);

  tb_follow_up_free (follow_up);
  w->follow_ups++;
  return ok;
}

/* WriteDueRows' "only". */
enum
{
  ONLY_BOTH,
  ONLY_CONTACTS,
  ONLY_FOLLOW_UPS,
};

/* What WriteContactRows and WriteDueRows write, and how many of each. */
typedef struct
{
  gboolean due;
  gboolean records;
  TbListFilter filter; /* list */
  TbListCursor list_after;
  gint64 until;       /* due */
  guint limit;        /* due */
  guint only;         /* due: ONLY_* */
  gboolean has_after; /* due: a page after @after */
  TbDueCursor after;
  guint contacts;
  guint follow_ups;
} WriteJob;

/* A WriteContactRows or WriteDueRows call while its worker writes. */
typedef struct
{
  WriteJob job;
  TbDaemon1 *skeleton; /* (owned) */
  /* The handler's, until a reply or an error consumes it. */
  GDBusMethodInvocation *invocation;
  GVariant *options;    /* (owned) what @job's texts point into */
  GOutputStream *out;   /* (owned) */
  GCancellable *cancel; /* (owned) */
  const char *method;
  guint watch_id;
} WriteCall;

static void
write_call_free (WriteCall *call)
{
  g_clear_handle_id (&call->watch_id, g_bus_unwatch_name);
  g_clear_object (&call->skeleton);
  g_clear_pointer (&call->options, g_variant_unref);
  g_clear_object (&call->out);
  g_clear_object (&call->cancel);
  g_free (call);
}

/* In the worker thread: nothing here touches the service or the main
 * connection. */
static gboolean
run_write_job (TbEngineRead *read, gpointer data, GError **error)
{
  WriteCall *call = data;
  WriteJob *job = &call->job;
  g_autoptr (GString) buffer = NULL;
  RecordWriter w = { NULL, call->out, 0, 0 };
  gboolean ok;

  if (!job->records && job->due)
    ok = tb_engine_read_due_rows (read, job->until, job->limit, call->out,
                                  &job->contacts, &job->follow_ups, error);
  else if (!job->records)
    ok = tb_engine_read_contact_rows (read, &job->filter, call->out,
                                      &job->contacts, error);
  else
    {
      buffer = g_string_sized_new (RECORDS_FLUSH_BYTES + 1024);
      w.buffer = buffer;
      ok = job->due ? tb_engine_read_due (
               read, job->until, job->limit,
               job->has_after ? &job->after : NULL,
               job->has_after ? &job->after : NULL,
               job->only != ONLY_FOLLOW_UPS ? record_contact : NULL,
               job->only != ONLY_CONTACTS ? record_follow_up : NULL, &w, error)
                    : tb_engine_read_contacts (read, &job->filter,
                                               record_contact, &w, error);
      ok = ok && flush_records (&w, error);
      job->contacts = w.contacts;
      job->follow_ups = w.follow_ups;
    }
  if (!g_output_stream_close (call->out, NULL, ok ? error : NULL))
    ok = FALSE;
  return ok;
}

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WriteCall *call = user_data;
  GError *error = NULL;

  if (!tb_engine_read_finish (TB_ENGINE (source), result, &error))
    {
      if (error->domain != TB_ERROR)
        {
          GError *local = error;

          error = g_error_new (TB_ERROR, TB_ERROR_FAILED,
                               _ ("Cannot write the list: %s"), local->message);
          g_error_free (local);
        }
      if (g_cancellable_is_cancelled (call->cancel))
        g_message ("%s stopped: its client left the bus", call->method);
      tb_service_fail (g_steal_pointer (&call->invocation), error);
    }
  else if (call->job.due)
    tb_daemon1_complete_write_due_rows (
        call->skeleton, g_steal_pointer (&call->invocation), NULL,
        call->job.contacts, call->job.follow_ups);
  else
    tb_daemon1_complete_write_contact_rows (call->skeleton,
                                            g_steal_pointer (&call->invocation),
                                            NULL, call->job.contacts);
  write_call_free (call);
}

static void
on_writer_vanished (GDBusConnection *connection, const char *name,
                    gpointer user_data)
{
  WriteCall *call = user_data;

  /* Nobody reads what is left: the statement running is interrupted. */
  g_cancellable_cancel (call->cancel);
}

/* Starts writing @call (taken) into the descriptor @handle names, in a
 * worker thread (tb_engine_read_async); the reply follows when it ends.
 * FALSE with @error set (and @call freed) when it cannot start. */
static gboolean
start_write (TbService *service, GUnixFDList *fd_list, GVariant *handle,
             WriteCall *call, GError **error)
{
  const char *sender = g_dbus_method_invocation_get_sender (call->invocation);
  int fd;

  fd = tb_service_get_fd (fd_list, handle, TB_SERVICE_FD_WRITE, call->method,
                          error);
  if (fd < 0)
    {
      call->invocation = NULL; /* the caller replies */
      write_call_free (call);
      return FALSE;
    }
  /* The fd is a regular file or memfd (tb_service_get_fd): a write
   * never waits for a reader. */
  call->out = g_unix_output_stream_new (fd, TRUE);
  call->cancel = g_cancellable_new ();
  call->skeleton = g_object_ref (service->skeleton);
  /* A peer-to-peer connection has no names to watch. */
  if (sender != NULL)
    call->watch_id = g_bus_watch_name_on_connection (
        g_dbus_method_invocation_get_connection (call->invocation), sender,
        G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_writer_vanished, call, NULL);
  tb_engine_read_async (service->engine, run_write_job, call, call->cancel,
                        write_done, call);
  return TRUE;
}

static WriteCall *
write_call_new (GDBusMethodInvocation *invocation, GVariant *options,
                const char *method)
{
  WriteCall *call = g_new0 (WriteCall, 1);

  call->invocation = invocation;
  call->options = g_variant_ref (options);
  call->method = method;
  return call;
}

/* "after" of WriteContactRows: the due_at (0: none), tracking, name and
 * id of the last record of the page before. */
static gboolean
parse_list_after (GVariant *options, WriteJob *job, GError **error)
{
  const char *tracking;

  if (!g_variant_lookup (options, "after", "(x&s&sx)", &job->list_after.due_at,
                         &tracking, &job->list_after.name, &job->list_after.id))
    return TRUE;
  if (!job->records)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("“after” pages the records: give “format” "
                              "“records”"));
      return FALSE;
    }
  if (!tb_tracking_from_string (tracking, &job->list_after.tracking))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown tracking state “%s”: use tracked, "
                      "not-tracked or ignored"),
                   tracking);
      return FALSE;
    }
  job->filter.after = &job->list_after;
  return TRUE;
}

static gboolean
handle_write_contact_rows (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation,
                           GUnixFDList *fd_list, GVariant *handle,
                           GVariant *filter_dict, gpointer user_data)
{
  TbService *service = user_data;
  WriteCall *call
      = write_call_new (invocation, filter_dict, "WriteContactRows");
  GError *error = NULL;

  if (!parse_filter (filter_dict, &call->job.filter, &call->job.records, &error)
      || !parse_list_after (filter_dict, &call->job, &error))
    {
      write_call_free (call);
      return tb_service_fail (invocation, error);
    }
  call->job.filter.now = tb_engine_now (service->engine);
  if (!start_write (service, fd_list, handle, call, &error))
    return tb_service_fail (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_search_contacts (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                        const char *text, GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) contacts = NULL;
  guint limit = TB_STORE_SEARCH_DEFAULT_LIMIT;
  guint total = 0;
  GError *error = NULL;

  if (!tb_service_read_limit (options, limit_options,
                              G_N_ELEMENTS (limit_options),
                              TB_STORE_SEARCH_MAX_LIMIT, &limit, &error))
    return tb_service_fail (invocation, error);
  contacts = tb_engine_search_contacts (service->engine, text, limit, &total,
                                        &error);
  if (contacts == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_search_contacts (
      skeleton, invocation,
      tb_vardict_array (contacts, (gpointer) tb_vardict_from_contact), total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The newest interactions GetContact returns. */
#define CONTACT_INTERACTIONS_LIMIT 100

static gboolean
handle_get_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                    gint64 id, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (TbContact) contact = NULL;
  g_autoptr (GPtrArray) interactions = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  g_auto (GStrv) emails = NULL;
  g_autoptr (GVariant) base = NULL;
  gint64 interactions_total;
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  GError *error = NULL;

  contact = tb_engine_get_contact (service->engine, id, &error);
  if (contact == NULL)
    return tb_service_fail (invocation, error);
  /* The newest only: a history grows for as long as one knows someone.
   * ListInteractions pages through the rest. */
  interactions = tb_engine_list_interactions (
      service->engine, id, CONTACT_INTERACTIONS_LIMIT, 0, &error);
  if (interactions == NULL)
    return tb_service_fail (invocation, error);
  interactions_total
      = interactions->len < CONTACT_INTERACTIONS_LIMIT
            ? interactions->len
            : tb_engine_count_interactions (service->engine, id, &error);
  if (interactions_total < 0)
    return tb_service_fail (invocation, error);
  follow_ups = tb_engine_list_follow_ups (service->engine, id, &error);
  if (follow_ups == NULL)
    return tb_service_fail (invocation, error);
  emails = tb_engine_list_contact_emails (service->engine, id, &error);
  if (emails == NULL)
    return tb_service_fail (invocation, error);

  base = g_variant_ref_sink (tb_vardict_from_contact (contact));
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, base);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&b, "{sv}", key, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (
      &b, "{sv}", "facts",
      tb_vardict_array (contact->facts, (gpointer) tb_vardict_from_fact));
  g_variant_builder_add (
      &b, "{sv}", "interactions",
      tb_vardict_array (interactions, (gpointer) tb_vardict_from_interaction));
  g_variant_builder_add (&b, "{sv}", "interactions_total",
                         g_variant_new_int64 (interactions_total));
  g_variant_builder_add (
      &b, "{sv}", "follow_ups",
      tb_vardict_array (follow_ups, (gpointer) tb_vardict_from_follow_up));
  if (emails[0] != NULL)
    g_variant_builder_add (
        &b, "{sv}", "emails",
        g_variant_new_strv ((const char *const *) emails, -1));
  tb_daemon1_complete_get_contact (skeleton, invocation,
                                   g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_log_interaction (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                        gint64 id, const char *kind_str, gint64 at,
                        const char *note, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;
  gint64 interaction_id;

  interaction_id = tb_engine_log_interaction (service->engine, id, kind_str, at,
                                              note, &error);
  if (interaction_id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_log_interaction (skeleton, invocation, interaction_id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_snooze (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
               gint64 id, gint64 until, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  /* -1: the configured snooze length, which only the daemon knows. */
  if (!tb_engine_snooze (service->engine, id, until, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_snooze (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_tracking (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                     gint64 id, const char *tracking, gint64 interval,
                     gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_set_tracking (service->engine, id, tracking, interval, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_set_tracking (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_paused (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                   gint64 id, gboolean paused, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_set_paused (service->engine, id, paused, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_set_paused (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static const TbServiceOption due_options[] = {
  { "limit", "u" },
  { "format", "s" },
  { "only", "s" },
  { "after", "(xx)" },
};

static gboolean
handle_get_due (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                gint64 within, GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  GError *error = NULL;
  guint limit = 0;

  /* "format" is WriteDueRows'. */
  if (!tb_service_check_options (options, due_options, 1, &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "limit", "u", &limit);
  if (!check_records_limit (&limit, &error))
    return tb_service_fail (invocation, error);
  contacts = tb_engine_list_due (service->engine, within, limit, &follow_ups,
                                 &error);
  if (contacts == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_get_due (
      skeleton, invocation,
      tb_vardict_array (contacts, (gpointer) tb_vardict_from_contact),
      tb_vardict_array (follow_ups, (gpointer) tb_vardict_from_follow_up));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_write_due_rows (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       GUnixFDList *fd_list, GVariant *handle, gint64 within,
                       GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  WriteJob job = { .due = TRUE };
  WriteCall *call;
  GError *error = NULL;
  const char *only = NULL;

  if (!tb_service_check_options (options, due_options,
                                 G_N_ELEMENTS (due_options), &error)
      || !parse_format (options, &job.records, &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "limit", "u", &job.limit);
  /* A page of records: one list, after the last record of the page
   * before, so a client reads any number with a bounded memfd. */
  if (g_variant_lookup (options, "only", "&s", &only))
    {
      if (g_str_equal (only, "contacts"))
        job.only = ONLY_CONTACTS;
      else if (g_str_equal (only, "follow-ups"))
        job.only = ONLY_FOLLOW_UPS;
      else
        return tb_service_fail (
            invocation,
            g_error_new (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                         _ ("Unknown list “%s”: use contacts or follow-ups"),
                         only));
    }
  job.has_after = g_variant_lookup (options, "after", "(xx)", &job.after.due_at,
                                    &job.after.id);
  if ((job.only != ONLY_BOTH || job.has_after) && !job.records)
    return tb_service_fail (
        invocation,
        g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                             _ ("“only” and “after” page the records: "
                                "give “format” “records”")));
  if (job.has_after && job.only == ONLY_BOTH)
    return tb_service_fail (
        invocation,
        g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                             _ ("“after” is a place in one list: give "
                                "“only” too")));
  if (!tb_engine_due_until (service->engine, within, &job.until, &error))
    return tb_service_fail (invocation, error);
  call = write_call_new (invocation, options, "WriteDueRows");
  call->job = job;
  if (!start_write (service, fd_list, handle, call, &error))
    return tb_service_fail (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_add_follow_up (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      gint64 contact_id, gint64 due_at, const char *text,
                      gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;
  gint64 id;

  id = tb_engine_add_follow_up (service->engine, contact_id, due_at, text,
                                &error);
  if (id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_add_follow_up (skeleton, invocation, id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_complete_follow_up (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation, gint64 id,
                           gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_complete_follow_up (service->engine, id, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_complete_follow_up (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_follow_up (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                         gint64 id, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_remove_follow_up (service->engine, id, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_follow_up (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_status (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                   gpointer user_data)
{
  TbService *service = user_data;
  TbStoreCounts counts;
  GVariantBuilder b;
  GError *error = NULL;

  if (!tb_engine_get_counts (service->engine, &counts, &error))
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "version",
                         g_variant_new_string (PACKAGE_VERSION));
  g_variant_builder_add (
      &b, "{sv}", "db_path",
      g_variant_new_string (tb_engine_get_db_path (service->engine)));
  g_variant_builder_add (&b, "{sv}", "contacts",
                         g_variant_new_int64 (counts.contacts));
  g_variant_builder_add (&b, "{sv}", "due", g_variant_new_int64 (counts.due));
  g_variant_builder_add (&b, "{sv}", "follow_ups",
                         g_variant_new_int64 (counts.follow_ups));
  g_variant_builder_add (&b, "{sv}", "pending_alerts",
                         g_variant_new_int64 (counts.pending_alerts));
  if (service->status != NULL)
    service->status (&b, service->status_data);
  tb_daemon1_complete_get_status (skeleton, invocation,
                                  g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

TbService *
tb_service_new (TbEngine *engine, TbCalendar *calendar,
                TbServiceStatusFunc status, gpointer status_data)
{
  static const TbServiceHandler handlers[] = {
    { "handle-add-contact", G_CALLBACK (handle_add_contact) },
    { "handle-update-contact", G_CALLBACK (handle_update_contact) },
    { "handle-remove-contact", G_CALLBACK (handle_remove_contact) },
    { "handle-resolve-contact", G_CALLBACK (handle_resolve_contact) },
    { "handle-match-contacts", G_CALLBACK (handle_match_contacts) },
    { "handle-list-contacts", G_CALLBACK (handle_list_contacts) },
    { "handle-search-contacts", G_CALLBACK (handle_search_contacts) },
    { "handle-get-contact", G_CALLBACK (handle_get_contact) },
    { "handle-log-interaction", G_CALLBACK (handle_log_interaction) },
    { "handle-snooze", G_CALLBACK (handle_snooze) },
    { "handle-set-paused", G_CALLBACK (handle_set_paused) },
    { "handle-set-tracking", G_CALLBACK (handle_set_tracking) },
    { "handle-write-contact-rows", G_CALLBACK (handle_write_contact_rows) },
    { "handle-get-due", G_CALLBACK (handle_get_due) },
    { "handle-write-due-rows", G_CALLBACK (handle_write_due_rows) },
    { "handle-add-follow-up", G_CALLBACK (handle_add_follow_up) },
    { "handle-complete-follow-up", G_CALLBACK (handle_complete_follow_up) },
    { "handle-remove-follow-up", G_CALLBACK (handle_remove_follow_up) },
    { "handle-get-status", G_CALLBACK (handle_get_status) },
  };
  TbService *service = g_new0 (TbService, 1);

  service->engine = g_object_ref (engine);
  service->calendar = calendar;
  service->status = status;
  service->status_data = status_data;
  service->skeleton = tb_daemon1_skeleton_new ();
  tb_daemon1_set_version (service->skeleton, PACKAGE_VERSION);
  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
  tb_service_import_connect (service);
  tb_service_intros_connect (service);
  tb_service_review_connect (service);
  tb_service_export_connect (service);
  tb_service_undo_connect (service);
  tb_service_history_connect (service);
  tb_service_complete_connect (service);
  tb_service_sources_connect (service);
  return service;
}

gboolean
tb_service_export (TbService *service, GDBusConnection *connection,
                   GError **error)
{
  return g_dbus_interface_skeleton_export (
      G_DBUS_INTERFACE_SKELETON (service->skeleton), connection, TB_OBJECT_PATH,
      error);
}

void
tb_service_emit_changed (TbService *service)
{
  tb_daemon1_emit_changed (service->skeleton);
}

void
tb_service_free (TbService *service)
{
  if (service == NULL)
    return;
  g_dbus_interface_skeleton_unexport (
      G_DBUS_INTERFACE_SKELETON (service->skeleton));
  g_clear_object (&service->skeleton);
  g_clear_object (&service->engine);
  g_free (service);
}
