/* tb-service.c — the io.github.touchbase.Daemon1 methods.
 *
 * Each handler checks its arguments, calls the store, and replies; the
 * store keeps every change one transaction, so a failed call changes
 * nothing. GErrors of TB_ERROR travel as io.github.touchbase.Error.*.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include "tb-daemon.h"
#include "tb-error.h"
#include "tb-export.h"
#include "tb-vardict.h"
#include "touchbase/tb-names.h"

static gboolean
handle_add_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                    GVariant *fields, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (TbContact) contact = tb_contact_new ();
  TbFieldMask mask = 0;
  GError *error = NULL;
  gint64 id;

  if (!tb_vardict_to_contact (fields, contact, &mask, &error))
    return tb_service_fail (invocation, error);
  if (!(mask & TB_FIELD_NAME) || *contact->name == '\0')
    return tb_service_fail (
        invocation, g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                         "A contact needs a name"));
  id = tb_store_add_contact (daemon->store, contact, FALSE,
                             tb_daemon_now (daemon), &error);
  if (id == 0)
    return tb_service_fail (invocation, error);
  g_info ("Added contact %" G_GINT64_FORMAT, id);
  tb_daemon1_complete_add_contact (skeleton, invocation, id);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_update_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       gint64 id, GVariant *fields, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (TbContact) values = tb_contact_new ();
  TbFieldMask mask = 0;
  GError *error = NULL;

  if (!tb_vardict_to_contact (fields, values, &mask, &error))
    return tb_service_fail (invocation, error);
  if (!tb_store_update_contact (daemon->store, id, values, mask,
                                tb_daemon_now (daemon), &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_update_contact (skeleton, invocation);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       gint64 id, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  GError *error = NULL;

  if (!tb_store_remove_contact (daemon->store, id, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_contact (skeleton, invocation);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_resolve_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                        const char *query, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  GError *error = NULL;
  gint64 id;

  id = tb_store_resolve (daemon->store, query, &error);
  if (id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_resolve_contact (skeleton, invocation, id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_contacts (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      GVariant *filter_dict, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (GPtrArray) contacts = NULL;
  TbListFilter filter = { 0 };
  GError *error = NULL;

  g_variant_lookup (filter_dict, "tag", "&s", &filter.tag);
  g_variant_lookup (filter_dict, "due", "b", &filter.due);
  g_variant_lookup (filter_dict, "never", "b", &filter.never);
  filter.now = tb_daemon_now (daemon);
  contacts = tb_store_list_contacts (daemon->store, &filter, &error);
  if (contacts == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_list_contacts (
      skeleton, invocation,
      tb_vardict_array (contacts, (gpointer) tb_vardict_from_contact));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_contact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                    gint64 id, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (TbContact) contact = NULL;
  g_autoptr (GPtrArray) facts = NULL;
  g_autoptr (GPtrArray) interactions = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  g_autoptr (GVariant) base = NULL;
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  GError *error = NULL;

  contact = tb_store_get_contact (daemon->store, id, &error);
  if (contact == NULL)
    return tb_service_fail (invocation, error);
  facts = tb_store_list_facts (daemon->store, id, &error);
  if (facts == NULL)
    return tb_service_fail (invocation, error);
  interactions = tb_store_list_interactions (daemon->store, id, &error);
  if (interactions == NULL)
    return tb_service_fail (invocation, error);
  follow_ups = tb_store_list_follow_ups (daemon->store, id, G_MAXINT64, &error);
  if (follow_ups == NULL)
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
      tb_vardict_array (facts, (gpointer) tb_vardict_from_fact));
  g_variant_builder_add (
      &b, "{sv}", "interactions",
      tb_vardict_array (interactions, (gpointer) tb_vardict_from_interaction));
  g_variant_builder_add (
      &b, "{sv}", "follow_ups",
      tb_vardict_array (follow_ups, (gpointer) tb_vardict_from_follow_up));
  tb_daemon1_complete_get_contact (skeleton, invocation,
                                   g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_log_interaction (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                        gint64 id, const char *kind_str, gint64 at,
                        const char *note, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  TbInteractionKind kind = TB_KIND_OTHER;
  GError *error = NULL;
  gint64 interaction_id;

  if (*kind_str != '\0' && !tb_interaction_kind_from_string (kind_str, &kind))
    return tb_service_fail (
        invocation, g_error_new (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                 "Unknown kind “%s”: use call, video, meeting, "
                                 "coffee, email, message, intro or other",
                                 kind_str));
  interaction_id = tb_store_log_interaction (daemon->store, id, kind, at, note,
                                             tb_daemon_now (daemon), &error);
  if (interaction_id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_log_interaction (skeleton, invocation, interaction_id);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_snooze (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
               gint64 id, gint64 until, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  GError *error = NULL;

  /* -1: the configured snooze length, which only the daemon knows. */
  if (until == -1)
    until = tb_daemon_now (daemon) + daemon->config->snooze;
  else if (until < 0)
    return tb_service_fail (
        invocation, g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                         "A snooze ends at a time, 0 or -1"));
  if (!tb_store_snooze (daemon->store, id, until, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_snooze (skeleton, invocation);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_paused (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                   gint64 id, gboolean paused, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  GError *error = NULL;

  if (!tb_store_set_paused (daemon->store, id, paused, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_set_paused (skeleton, invocation);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_due (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                gint64 within, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GPtrArray) follow_ups = NULL;
  GError *error = NULL;
  gint64 until;

  if (within < 0)
    return tb_service_fail (
        invocation, g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                         "“within” cannot be negative"));
  until = tb_daemon_now (daemon) + MIN (within, G_MAXINT64 / 4);
  contacts = tb_store_list_due (daemon->store, until, &error);
  if (contacts == NULL)
    return tb_service_fail (invocation, error);
  follow_ups = tb_store_list_follow_ups (daemon->store, 0, until, &error);
  if (follow_ups == NULL)
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
  TbDaemon *daemon = user_data;
  GError *error = NULL;
  gint64 id;

  id = tb_store_add_follow_up (daemon->store, contact_id, due_at, text,
                               tb_daemon_now (daemon), &error);
  if (id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_add_follow_up (skeleton, invocation, id);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_complete_follow_up (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation, gint64 id,
                           gpointer user_data)
{
  TbDaemon *daemon = user_data;
  GError *error = NULL;

  if (!tb_store_complete_follow_up (daemon->store, id, tb_daemon_now (daemon),
                                    &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_complete_follow_up (skeleton, invocation);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_follow_up (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                         gint64 id, gpointer user_data)
{
  TbDaemon *daemon = user_data;
  GError *error = NULL;

  if (!tb_store_remove_follow_up (daemon->store, id, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_follow_up (skeleton, invocation);
  tb_daemon_changed (daemon);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_status (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                   gpointer user_data)
{
  TbDaemon *daemon = user_data;
  TbStoreCounts counts;
  GVariantBuilder b;
  GError *error = NULL;
  gint64 next;

  if (!tb_store_get_counts (daemon->store, tb_daemon_now (daemon), &counts,
                            &error))
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "version",
                         g_variant_new_string (PACKAGE_VERSION));
  g_variant_builder_add (
      &b, "{sv}", "db_path",
      g_variant_new_string (tb_store_get_path (daemon->store)));
  g_variant_builder_add (&b, "{sv}", "config_path",
                         g_variant_new_string (daemon->config_path));
  g_variant_builder_add (&b, "{sv}", "contacts",
                         g_variant_new_int64 (counts.contacts));
  g_variant_builder_add (&b, "{sv}", "due", g_variant_new_int64 (counts.due));
  g_variant_builder_add (&b, "{sv}", "follow_ups",
                         g_variant_new_int64 (counts.follow_ups));
  g_variant_builder_add (&b, "{sv}", "pending_alerts",
                         g_variant_new_int64 (counts.pending_alerts));
  next = tb_timer_get_armed (daemon->timer);
  if (next > 0)
    g_variant_builder_add (&b, "{sv}", "next_wakeup",
                           g_variant_new_int64 (next));
  g_variant_builder_add (
      &b, "{sv}", "notification_server",
      g_variant_new_boolean (daemon->notifier != NULL
                             && tb_notifier_is_available (daemon->notifier)));
  tb_calendar_add_status (daemon->calendar, &b);
  tb_daemon1_complete_get_status (skeleton, invocation,
                                  g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
tb_service_fail (GDBusMethodInvocation *invocation, GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  g_error_free (error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
tb_service_export (TbDaemon *daemon, GDBusConnection *connection,
                   GError **error)
{
  static const struct
  {
    const char *signal;
    GCallback handler;
  } handlers[] = {
    { "handle-add-contact", G_CALLBACK (handle_add_contact) },
    { "handle-update-contact", G_CALLBACK (handle_update_contact) },
    { "handle-remove-contact", G_CALLBACK (handle_remove_contact) },
    { "handle-resolve-contact", G_CALLBACK (handle_resolve_contact) },
    { "handle-list-contacts", G_CALLBACK (handle_list_contacts) },
    { "handle-get-contact", G_CALLBACK (handle_get_contact) },
    { "handle-log-interaction", G_CALLBACK (handle_log_interaction) },
    { "handle-snooze", G_CALLBACK (handle_snooze) },
    { "handle-set-paused", G_CALLBACK (handle_set_paused) },
    { "handle-get-due", G_CALLBACK (handle_get_due) },
    { "handle-add-follow-up", G_CALLBACK (handle_add_follow_up) },
    { "handle-complete-follow-up", G_CALLBACK (handle_complete_follow_up) },
    { "handle-remove-follow-up", G_CALLBACK (handle_remove_follow_up) },
    { "handle-get-status", G_CALLBACK (handle_get_status) },
    { "handle-export", G_CALLBACK (tb_export_handle) },
  };

  daemon->skeleton = tb_daemon1_skeleton_new ();
  tb_daemon1_set_version (daemon->skeleton, PACKAGE_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect (daemon->skeleton, handlers[i].signal, handlers[i].handler,
                      daemon);
  tb_service_import_connect (daemon);
  tb_service_intros_connect (daemon);
  return g_dbus_interface_skeleton_export (
      G_DBUS_INTERFACE_SKELETON (daemon->skeleton), connection, TB_OBJECT_PATH,
      error);
}

void
tb_service_unexport (TbDaemon *daemon)
{
  if (daemon->skeleton == NULL)
    return;
  g_dbus_interface_skeleton_unexport (
      G_DBUS_INTERFACE_SKELETON (daemon->skeleton));
  g_clear_object (&daemon->skeleton);
}
