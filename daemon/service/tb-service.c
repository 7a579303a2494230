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
  { "tag", "s" },      { "due", "b" },   { "never", "b" },
  { "tracking", "s" }, { "limit", "u" },
};

/* ListContacts' and WriteContactRows' filter; its strings point into
 * @dict. */
static gboolean
parse_filter (GVariant *dict, TbListFilter *filter, GError **error)
{
  const char *tracking;

  if (!tb_service_check_options (dict, filters, G_N_ELEMENTS (filters), error))
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
  return TRUE;
}

static gboolean
handle_list_contacts (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      GVariant *filter_dict, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) contacts = NULL;
  TbListFilter filter = { 0 };
  GError *error = NULL;

  if (!parse_filter (filter_dict, &filter, &error))
    return tb_service_fail (invocation, error);
  contacts = tb_engine_list_contacts (service->engine, &filter, &error);
  if (contacts == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_list_contacts (
      skeleton, invocation,
      tb_vardict_array (contacts, (gpointer) tb_vardict_from_contact));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_write_contact_rows (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation,
                           GUnixFDList *fd_list, GVariant *handle,
                           GVariant *filter_dict, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GOutputStream) out = NULL;
  TbListFilter filter = { 0 };
  GError *error = NULL;
  guint count = 0;
  gboolean ok;
  int fd;

  if (!parse_filter (filter_dict, &filter, &error))
    return tb_service_fail (invocation, error);
  fd = tb_service_get_fd (fd_list, handle, TB_SERVICE_FD_WRITE,
                          "WriteContactRows", &error);
  if (fd < 0)
    return tb_service_fail (invocation, error);
  /* On the main thread, as the rows are read: the fd is a regular file
   * or memfd (tb_service_get_fd), which never holds the daemon. */
  out = g_unix_output_stream_new (fd, TRUE);
  ok = tb_engine_write_contact_rows (service->engine, &filter, out, &count,
                                     &error);
  if (!g_output_stream_close (out, NULL, ok ? &error : NULL))
    ok = FALSE;
  if (!ok)
    {
      if (error->domain != TB_ERROR)
        {
          GError *wrapped
              = g_error_new (TB_ERROR, TB_ERROR_FAILED,
                             _ ("Cannot write the list: %s"), error->message);

          g_error_free (error);
          error = wrapped;
        }
      return tb_service_fail (invocation, error);
    }
  tb_daemon1_complete_write_contact_rows (skeleton, invocation, NULL, count);
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
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  GError *error = NULL;

  contact = tb_engine_get_contact (service->engine, id, &error);
  if (contact == NULL)
    return tb_service_fail (invocation, error);
  interactions = tb_engine_list_interactions (service->engine, id, 0, &error);
  if (interactions == NULL)
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

  if (!tb_service_check_options (options, due_options,
                                 G_N_ELEMENTS (due_options), &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "limit", "u", &limit);
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
