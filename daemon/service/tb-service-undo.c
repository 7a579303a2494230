/* tb-service-undo.c — the io.github.touchbase.Daemon1 methods of the undo
 * history: Undo and ListChanges.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include "tb-service-private.h"

static const TbServiceOption list_options[] = {
  { "limit", "u" },
};

static GVariant *
change_record (const TbChange *change)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_int64 (change->id));
  g_variant_builder_add (&b, "{sv}", "at", g_variant_new_int64 (change->at));
  g_variant_builder_add (&b, "{sv}", "verb",
                         g_variant_new_string (change->verb));
  if (change->subject != NULL)
    g_variant_builder_add (&b, "{sv}", "subject",
                           g_variant_new_string (change->subject));
  if (change->detail != NULL)
    g_variant_builder_add (&b, "{sv}", "detail", change->detail);
  return g_variant_builder_end (&b);
}

static gboolean
handle_undo (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
             GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (TbChange) change = NULL;
  GError *error = NULL;

  if (!tb_service_check_options (options, NULL, 0, &error))
    return tb_service_fail (invocation, error);
  change = tb_engine_undo (service->engine, &error);
  if (change == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_undo (skeleton, invocation, change_record (change));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_changes (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                     GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) changes = NULL;
  guint limit = TB_ENGINE_CHANGES_DEFAULT_LIMIT;
  guint total = 0;
  GVariantBuilder b;
  GError *error = NULL;

  if (!tb_service_read_limit (options, list_options,
                              G_N_ELEMENTS (list_options),
                              TB_ENGINE_CHANGES_MAX_LIMIT, &limit, &error))
    return tb_service_fail (invocation, error);
  changes = tb_engine_list_changes (service->engine, limit, &total, &error);
  if (changes == NULL)
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < changes->len; i++)
    g_variant_builder_add_value (&b, change_record (changes->pdata[i]));
  tb_daemon1_complete_list_changes (skeleton, invocation,
                                    g_variant_builder_end (&b), total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_undo_connect (TbService *service)
{
  static const TbServiceHandler handlers[] = {
    { "handle-undo", G_CALLBACK (handle_undo) },
    { "handle-list-changes", G_CALLBACK (handle_list_changes) },
  };

  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}
