/* tb-service-args.c — what every method handler needs: the argument that
 * names a file descriptor, the error reply, the connection of handlers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include "tb-error.h"
#include "tb-service-private.h"

gboolean
tb_service_fail (GDBusMethodInvocation *invocation, GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  g_error_free (error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

int
tb_service_get_fd (GUnixFDList *fd_list, GVariant *handle, const char *what,
                   GError **error)
{
  gint32 index = g_variant_get_handle (handle);

  if (fd_list == NULL || index < 0
      || index >= g_unix_fd_list_get_length (fd_list))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   "%s needs a file descriptor: handle %d is not one of the "
                   "%d sent with the call",
                   what, index,
                   fd_list != NULL ? g_unix_fd_list_get_length (fd_list) : 0);
      return -1;
    }
  return g_unix_fd_list_get (fd_list, index, error);
}

void
tb_service_connect (TbService *service, const TbServiceHandler *handlers,
                    guint n)
{
  for (guint i = 0; i < n; i++)
    g_signal_connect (service->skeleton, handlers[i].signal,
                      handlers[i].handler, service);
}
