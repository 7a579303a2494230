/* tb-service-args.c — what every method handler needs: the argument that
 * names a file descriptor, the error reply, the connection of handlers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-service-private.h"

gboolean
tb_service_fail (GDBusMethodInvocation *invocation, GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  g_error_free (error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Whether @fd is open in a mode and on a kind of file that @use can work
 * with. */
static gboolean
check_fd (int fd, TbServiceFdUse use, const char *what, GError **error)
{
  struct stat st;
  int flags = fcntl (fd, F_GETFL);
  int mode = flags & O_ACCMODE;

  if (flags < 0 || fstat (fd, &st) < 0)
    {
      int saved = errno;

      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("%s cannot use the file descriptor: %s"), what,
                   g_strerror (saved));
      return FALSE;
    }
  if (use == TB_SERVICE_FD_READ)
    {
      if (mode == O_WRONLY
          || !(S_ISREG (st.st_mode) || S_ISFIFO (st.st_mode)
               || S_ISSOCK (st.st_mode)))
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("%s reads a file or a pipe open for reading"), what);
          return FALSE;
        }
      return TRUE;
    }
  if (mode == O_RDONLY || !S_ISREG (st.st_mode))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("%s writes to a regular file open for writing"), what);
      return FALSE;
    }
  return TRUE;
}

int
tb_service_get_fd (GUnixFDList *fd_list, GVariant *handle, TbServiceFdUse use,
                   const char *what, GError **error)
{
  gint32 index = g_variant_get_handle (handle);
  int fd;

  if (fd_list == NULL || index < 0
      || index >= g_unix_fd_list_get_length (fd_list))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("%s needs a file descriptor: handle %d is not one of the "
                      "%d sent with the call"),
                   what, index,
                   fd_list != NULL ? g_unix_fd_list_get_length (fd_list) : 0);
      return -1;
    }
  fd = g_unix_fd_list_get (fd_list, index, error);
  if (fd < 0)
    return -1;
  if (!check_fd (fd, use, what, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

void
tb_service_connect (TbService *service, const TbServiceHandler *handlers,
                    guint n)
{
  for (guint i = 0; i < n; i++)
    g_signal_connect (service->skeleton, handlers[i].signal,
                      handlers[i].handler, service);
}

gboolean
tb_service_check_options (GVariant *dict, const TbServiceOption *known, guint n,
                          GError **error)
{
  GVariantIter iter;

  g_variant_iter_init (&iter, dict);
  for (;;)
    {
      g_autoptr (GVariant) value = NULL;
      const char *key;
      const char *type = NULL;

      if (!g_variant_iter_next (&iter, "{&sv}", &key, &value))
        break;

      for (guint i = 0; i < n && type == NULL; i++)
        if (g_str_equal (key, known[i].key))
          type = known[i].type;
      if (type == NULL)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown option “%s”"), key);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
        {
          g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                       _ ("The option “%s” must be of type “%s”, not “%s”"),
                       key, type, g_variant_get_type_string (value));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tb_service_read_limit (GVariant *options, const TbServiceOption *known, guint n,
                       guint max, guint *limit, GError **error)
{
  if (!tb_service_check_options (options, known, n, error))
    return FALSE;
  g_variant_lookup (options, "limit", "u", limit);
  if (*limit == 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("The limit must be at least 1"));
      return FALSE;
    }
  *limit = MIN (*limit, max);
  return TRUE;
}
