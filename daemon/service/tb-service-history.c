/* tb-service-history.c — the io.github.touchbase.Daemon1 methods that read
 * and correct a contact's history: ListInteractions, UpdateInteraction,
 * RemoveInteraction and RemoveFact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-error.h"
#include "tb-service-private.h"
#include "tb-vardict.h"

#define INTERACTIONS_DEFAULT_LIMIT 20
#define INTERACTIONS_MAX_LIMIT 1000

static const TbServiceOption list_options[] = {
  { "limit", "u" },
  { "offset", "u" },
};

static const TbServiceOption update_fields[] = {
  { "kind", "s" },
  { "at", "x" },
  { "note", "s" },
};

static gboolean
handle_list_interactions (TbDaemon1 *skeleton,
                          GDBusMethodInvocation *invocation, gint64 id,
                          GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) shown = NULL;
  gint64 total;
  guint limit = INTERACTIONS_DEFAULT_LIMIT;
  guint offset = 0;
  GVariantBuilder b;
  GError *error = NULL;

  if (!tb_service_read_limit (options, list_options,
                              G_N_ELEMENTS (list_options),
                              INTERACTIONS_MAX_LIMIT, &limit, &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "offset", "u", &offset);
  /* The list of an unknown id would be empty, not an error. */
  {
    g_autoptr (TbContact) c
        = tb_engine_get_contact (service->engine, id, &error);

    if (c == NULL)
      return tb_service_fail (invocation, error);
  }
  shown = tb_engine_list_interactions (service->engine, id, limit, offset,
                                       &error);
  if (shown == NULL)
    return tb_service_fail (invocation, error);
  total = tb_engine_count_interactions (service->engine, id, &error);
  if (total < 0)
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < shown->len; i++)
    g_variant_builder_add_value (
        &b, tb_vardict_from_interaction (g_ptr_array_index (shown, i)));
  tb_daemon1_complete_list_interactions (
      skeleton, invocation, g_variant_builder_end (&b), (guint) total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_update_interaction (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation, gint64 id,
                           GVariant *fields, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;
  const char *kind = NULL;
  const char *note = NULL;
  gint64 at = 0;
  gint64 contact_id;

  if (!tb_service_check_options (fields, update_fields,
                                 G_N_ELEMENTS (update_fields), &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (fields, "kind", "&s", &kind);
  g_variant_lookup (fields, "note", "&s", &note);
  if (g_variant_lookup (fields, "at", "x", &at) && at == 0)
    return tb_service_fail (
        invocation,
        g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                             _ ("The time of the interaction is not a time "
                                "between 1970 and the year 9999")));
  if (kind != NULL && *kind == '\0')
    return tb_service_fail (
        invocation, g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                         _ ("An interaction needs a kind")));
  if (g_variant_n_children (fields) == 0)
    return tb_service_fail (
        invocation, g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                                         _ ("Nothing to change")));
  contact_id = tb_engine_update_interaction (service->engine, id, kind, at,
                                             note, &error);
  if (contact_id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_update_interaction (skeleton, invocation, contact_id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_interaction (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation, gint64 id,
                           gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;
  gint64 contact_id
      = tb_engine_remove_interaction (service->engine, id, &error);

  if (contact_id == 0)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_interaction (skeleton, invocation, contact_id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_fact (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                    gint64 id, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_remove_fact (service->engine, id, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_fact (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_history_connect (TbService *service)
{
  static const TbServiceHandler handlers[] = {
    { "handle-list-interactions", G_CALLBACK (handle_list_interactions) },
    { "handle-update-interaction", G_CALLBACK (handle_update_interaction) },
    { "handle-remove-interaction", G_CALLBACK (handle_remove_interaction) },
    { "handle-remove-fact", G_CALLBACK (handle_remove_fact) },
  };

  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}
