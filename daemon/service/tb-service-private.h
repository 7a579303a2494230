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
  TbSources *sources;   /* (unowned) (nullable) tb_service_set_sources */
  TbServiceStatusFunc status;
  gpointer status_data;
};

/* Replies to @invocation with @error (transfer full) as an
 * io.github.touchbase.Error; returns G_DBUS_METHOD_INVOCATION_HANDLED, so
 * a handler can end with "return tb_service_fail (invocation, error);". */
gboolean tb_service_fail (GDBusMethodInvocation *invocation, GError *error);

/* What a method does with the file it is given. */
typedef enum
{
  TB_SERVICE_FD_READ,  /* a file or a pipe, open for reading */
  TB_SERVICE_FD_WRITE, /* a regular file (or memfd), open for writing */
} TbServiceFdUse;

/* The file descriptor that the `h` argument @handle points to in
 * @fd_list: a new descriptor the caller owns, or -1 with
 * TB_ERROR_INVALID_ARGUMENT (naming @what) when there is no list, the
 * index is not in it, or the file is not one @use can work with. Any
 * program on the bus can send any index and any descriptor: a pipe to
 * write into or a device to read from could hold the daemon, whose store
 * is read and written on its main thread. */
int tb_service_get_fd (GUnixFDList *fd_list, GVariant *handle,
                       TbServiceFdUse use, const char *what, GError **error);

/* A key a method's a{sv} of options may hold, and the type its value
 * must have. */
typedef struct
{
  const char *key;
  const char *type;
} TbServiceOption;

/* Refuses, with TB_ERROR_INVALID_ARGUMENT naming the key, a key of @dict
 * that @known does not list or whose value has another type: an option
 * that is silently ignored would do something the caller did not ask
 * for (a dry run that imports). */
gboolean tb_service_check_options (GVariant *dict, const TbServiceOption *known,
                                   guint n, GError **error);

/* tb_service_check_options, then the "limit" (u) of @options into
 * *@limit, which holds the default when there is none: 0 is refused, and
 * more than @max is @max (as the XML documents: asking for more than the
 * most is no error). */
gboolean tb_service_read_limit (GVariant *options, const TbServiceOption *known,
                                guint n, guint max, guint *limit,
                                GError **error);

/* The handlers of each file, connected to service->skeleton. */
void tb_service_import_connect (TbService *service);
void tb_service_intros_connect (TbService *service);
void tb_service_review_connect (TbService *service);
void tb_service_export_connect (TbService *service);
void tb_service_undo_connect (TbService *service);
void tb_service_history_connect (TbService *service);
void tb_service_complete_connect (TbService *service);
void tb_service_sources_connect (TbService *service);

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
