/* tb-service-sources.c — the methods on sources (docs/design.md §12):
 * ListSources, ScanSources (with SourcesProgress), ForgetSource, and a
 * contact's other addresses, AddContactEmail and RemoveContactEmail.
 *
 * ScanSources answers when its scans end, which may take a while over
 * a year of mail; the scans read in a worker thread, so other methods
 * are answered meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-engine-sources.h"
#include "tb-error.h"
#include "tb-service-private.h"

static const TbServiceOption no_options[] = { { NULL, NULL } };

static void
add_x (GVariantBuilder *b, const char *key, gint64 value)
{
  g_variant_builder_add (b, "{sv}", key, g_variant_new_int64 (value));
}

static GVariant *
source_variant (TbSource *s, GHashTable *counts)
{
  const TbSourceLast *last = tb_source_get_last (s);
  const TbSourceCount *c = g_hash_table_lookup (counts, tb_source_get_name (s));
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "name",
                         g_variant_new_string (tb_source_get_name (s)));
  g_variant_builder_add (&b, "{sv}", "kind",
                         g_variant_new_string (tb_source_get_kind (s)));
  if (tb_source_get_location (s) != NULL)
    g_variant_builder_add (&b, "{sv}", "location",
                           g_variant_new_string (tb_source_get_location (s)));
  g_variant_builder_add (&b, "{sv}", "state",
                         g_variant_new_string (tb_source_state_to_string (
                             tb_source_get_state (s))));
  g_variant_builder_add (&b, "{sv}", "watching",
                         g_variant_new_boolean (tb_source_is_watching (s)));
  if (last->at > 0)
    {
      add_x (&b, "last_scan_at", last->at);
      add_x (&b, "last_found", last->found);
      add_x (&b, "last_logged", last->logged);
      add_x (&b, "last_contacts", last->contacts);
      add_x (&b, "last_unknown", last->unknown);
    }
  if (tb_source_get_last_error (s) != NULL)
    g_variant_builder_add (&b, "{sv}", "last_error",
                           g_variant_new_string (tb_source_get_last_error (s)));
  add_x (&b, "interactions", c != NULL ? c->interactions : 0);
  add_x (&b, "conversations", c != NULL ? c->conversations : 0);
  return g_variant_builder_end (&b);
}

static gboolean
handle_list_sources (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                     GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  GPtrArray *all = tb_sources_get_all (service->sources);
  g_autoptr (GPtrArray) counts = NULL;
  g_autoptr (GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;
  GVariantBuilder b;

  if (!tb_service_check_options (options, no_options, 0, &error))
    return tb_service_fail (invocation, error);
  counts = tb_engine_count_by_source (service->engine, &error);
  if (counts == NULL)
    return tb_service_fail (invocation, error);
  for (guint i = 0; i < counts->len; i++)
    {
      TbSourceCount *c = g_ptr_array_index (counts, i);

      g_hash_table_insert (by_name, c->source, c);
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < all->len; i++)
    g_variant_builder_add_value (
        &b, source_variant (g_ptr_array_index (all, i), by_name));
  tb_daemon1_complete_list_sources (skeleton, invocation,
                                    g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

typedef struct
{
  TbDaemon1 *skeleton;               /* (owned) */
  GDBusMethodInvocation *invocation; /* (owned) */
  TbSources *sources;
} ScanCall;

static void
on_scan_progress (const char *source, guint64 done, guint64 total,
                  gpointer user_data)
{
  ScanCall *call = user_data;

  tb_daemon1_emit_sources_progress (call->skeleton, source, done, total);
}

static void
on_scan_done (GObject *object, GAsyncResult *res, gpointer user_data)
{
  ScanCall *call = user_data;
  g_auto (TbSourcesScanResult) result = { 0 };
  GError *error = NULL;
  GVariantBuilder b;

  if (!tb_sources_scan_finish (call->sources, res, &result, &error))
    tb_service_fail (call->invocation, error);
  else
    {
      g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
      add_x (&b, "logged", result.found.logged);
      add_x (&b, "contacts", g_hash_table_size (result.found.contacts));
      add_x (&b, "unknown", result.found.unknown);
      add_x (&b, "already", result.found.already);
      add_x (&b, "found", result.found.found);
      add_x (&b, "since", result.since);
      add_x (&b, "scanned", result.scanned);
      g_ptr_array_add (result.errors, NULL);
      g_variant_builder_add (
          &b, "{sv}", "errors",
          g_variant_new_strv ((const char *const *) result.errors->pdata, -1));
      tb_daemon1_complete_scan_sources (call->skeleton, call->invocation,
                                        g_variant_builder_end (&b));
    }
  g_object_unref (call->skeleton);
  g_object_unref (call->invocation);
  g_free (call);
}

static const TbServiceOption scan_options[] = {
  { "names", "as" },
  { "since", "x" },
};

static gboolean
handle_scan_sources (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                     GVariant *options, gpointer user_data)
{
  TbService *service = user_data;
  g_autofree const char **names = NULL;
  gint64 since = 0;
  GError *error = NULL;
  ScanCall *call;

  if (!tb_service_check_options (options, scan_options,
                                 G_N_ELEMENTS (scan_options), &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "names", "^a&s", &names);
  if (g_variant_lookup (options, "since", "x", &since)
      && (since <= 0 || since > tb_engine_now (service->engine) + 60))
    return tb_service_fail (
        invocation,
        g_error_new_literal (TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                             _ ("“since” must be a time in the past")));
  if (names != NULL && names[0] == NULL)
    g_clear_pointer (&names, g_free);
  call = g_new0 (ScanCall, 1);
  call->skeleton = g_object_ref (skeleton);
  call->invocation = g_object_ref (invocation);
  call->sources = service->sources;
  tb_sources_scan_async (service->sources, names, since, on_scan_progress, call,
                         on_scan_done, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_forget_source (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      const char *name, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;
  gint64 removed = 0;

  if (!tb_engine_forget_source (service->engine, name, &removed, &error))
    return tb_service_fail (invocation, error);
  g_info ("Forgot %" G_GINT64_FORMAT " interactions of %s", removed, name);
  tb_daemon1_complete_forget_source (skeleton, invocation, removed);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_add_contact_email (TbDaemon1 *skeleton,
                          GDBusMethodInvocation *invocation, gint64 id,
                          const char *email, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_add_contact_email (service->engine, id, email, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_add_contact_email (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_contact_email (TbDaemon1 *skeleton,
                             GDBusMethodInvocation *invocation, gint64 id,
                             const char *email, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_remove_contact_email (service->engine, id, email, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_remove_contact_email (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_set_sources (TbService *service, TbSources *sources)
{
  static const TbServiceHandler handlers[] = {
    { "handle-list-sources", G_CALLBACK (handle_list_sources) },
    { "handle-scan-sources", G_CALLBACK (handle_scan_sources) },
    { "handle-forget-source", G_CALLBACK (handle_forget_source) },
  };

  g_return_if_fail (service->sources == NULL);
  service->sources = sources;
  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}

void
tb_service_sources_connect (TbService *service)
{
  static const TbServiceHandler handlers[] = {
    { "handle-add-contact-email", G_CALLBACK (handle_add_contact_email) },
    { "handle-remove-contact-email", G_CALLBACK (handle_remove_contact_email) },
  };

  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}
