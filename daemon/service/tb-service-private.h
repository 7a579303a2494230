/* tb-service-private.h — what the method handlers of tb-service*.c share.
 * Not for use outside daemon/service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gunixfdlist.h>

#include "tb-dbus-generated.h"
#include "tb-service.h"

G_BEGIN_DECLS

struct _TbService
{
  TbDaemon1 *skeleton;  /* (owned) */
  TbEngine *engine;     /* (owned) */
  TbCalendar *calendar; /* (unowned) */
  TbServiceStatusFunc status;
  gpointer status_data;
};

/* Replies to @invocation with @error (transfer full) as an
 * io.github.touchbase.Error; returns G_DBUS_METHOD_INVOCATION_HANDLED, so
 * a handler can end with "return tb_service_fail (invocation, error);". */
gboolean tb_service_fail (GDBusMethodInvocation *invocation, GError *error);

/* The file descriptor that the `h` argument @handle points to in
 * @fd_list: a new descriptor the caller owns, or -1 with
 * TB_ERROR_INVALID_ARGUMENT (naming @what) when there is no list or the
 * index is not in it. Any program on the bus can send any index. */
int tb_service_get_fd (GUnixFDList *fd_list, GVariant *handle, const char *what,
                       GError **error);

/* The handlers of each file, connected to service->skeleton. */
void tb_service_import_connect (TbService *service);
void tb_service_intros_connect (TbService *service);
void tb_service_export_connect (TbService *service);

/* Connects @n handlers, in a table of signal names and callbacks, with
 * @service as their data. */
typedef struct
{
  const char *signal;
  GCallback handler;
} TbServiceHandler;
void tb_service_connect (TbService *service, const TbServiceHandler *handlers,
                         guint n);

G_END_DECLS
