/* tb-service-complete.c — CompleteNames and CompleteTags: the starts of
 * names and tags for the shell's Tab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-error.h"
#include "tb-service-private.h"

typedef GPtrArray *(*CompleteFunc) (TbEngine *engine, const char *prefix,
                                    guint limit, GError **error);

/* The strings @func gives, or NULL with @error; a limit over the most is
 * the most, as the XML says. */
static GPtrArray *
complete (TbService *service, CompleteFunc func, const char *prefix,
          guint limit, GError **error)
{
  GPtrArray *out;

  if (limit == 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("The limit must be 1 or more"));
      return NULL;
    }
  out = func (service->engine, prefix, MIN (limit, TB_STORE_COMPLETE_MAX_LIMIT),
              error);
  if (out != NULL)
    g_ptr_array_add (out, NULL);
  return out;
}

static gboolean
handle_complete_names (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       const char *prefix, guint limit, gpointer user_data)
{
  g_autoptr (GPtrArray) names = NULL;
  GError *error = NULL;

  names = complete (user_data, tb_engine_complete_names, prefix, limit, &error);
  if (names == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_complete_names (skeleton, invocation,
                                      (const char *const *) names->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_complete_tags (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      const char *prefix, guint limit, gpointer user_data)
{
  g_autoptr (GPtrArray) tags = NULL;
  GError *error = NULL;

  tags = complete (user_data, tb_engine_complete_tags, prefix, limit, &error);
  if (tags == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_complete_tags (skeleton, invocation,
                                     (const char *const *) tags->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_complete_connect (TbService *service)
{
  static const TbServiceHandler handlers[] = {
    { "handle-complete-names", G_CALLBACK (handle_complete_names) },
    { "handle-complete-tags", G_CALLBACK (handle_complete_tags) },
  };

  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}
