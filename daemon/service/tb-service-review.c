/* tb-service-review.c — the io.github.touchbase.Daemon1 methods of the
 * review queue: GetReviewQueue and ReviewLater.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include "tb-service-private.h"
#include "tb-vardict.h"

static const TbServiceOption queue_options[] = {
  { "limit", "u" },
};

/* A contact record with the queue's "reason" added. */
static GVariant *
entry_record (const TbReviewEntry *e)
{
  g_autoptr (GVariant) contact
      = g_variant_ref_sink (tb_vardict_from_contact (e->contact));
  GVariantBuilder b;
  GVariantIter iter;
  GVariant *child;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, contact);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_variant_builder_add_value (&b, child);
      g_variant_unref (child);
    }
  g_variant_builder_add (&b, "{sv}", "reason",
                         g_variant_new_string (e->reason));
  return g_variant_builder_end (&b);
}

static gboolean
handle_get_review_queue (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                         GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) entries = NULL;
  guint limit = TB_REVIEW_DEFAULT_LIMIT;
  guint total = 0;
  GVariantBuilder b;
  GError *error = NULL;

  if (!tb_service_check_options (options, queue_options,
                                 G_N_ELEMENTS (queue_options), &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "limit", "u", &limit);
  entries = tb_engine_get_review_queue (service->engine, limit, &total, &error);
  if (entries == NULL)
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < entries->len; i++)
    g_variant_builder_add_value (&b,
                                 entry_record (g_ptr_array_index (entries, i)));
  tb_daemon1_complete_get_review_queue (skeleton, invocation,
                                        g_variant_builder_end (&b), total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_review_later (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                     gint64 id, gint64 until, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_review_later (service->engine, id, until, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_review_later (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_review_connect (TbService *service)
{
  static const TbServiceHandler handlers[] = {
    { "handle-get-review-queue", G_CALLBACK (handle_get_review_queue) },
    { "handle-review-later", G_CALLBACK (handle_review_later) },
  };

  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}
