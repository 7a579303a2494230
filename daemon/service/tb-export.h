/* tb-export.h — the Export D-Bus method: one function per format builds
 * the whole output in memory (the store is read on the main thread), then
 * a worker thread writes it to the caller's file descriptor, so a slow
 * reader never blocks the daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gunixfdlist.h>

#include "tb-daemon.h"

G_BEGIN_DECLS

/* Builds the export of one format. @options is the method's a{sv}.
 * Returns: (transfer full): the bytes to write, or NULL with @error. */
typedef GBytes *(*TbExportFunc) (TbDaemon *daemon, GVariant *options,
                                 GError **error);

/* The handle-export handler of TbDaemon1. */
gboolean tb_export_handle (TbDaemon1 *skeleton,
                           GDBusMethodInvocation *invocation,
                           GUnixFDList *fd_list, const char *format,
                           GVariant *fd, GVariant *options, gpointer user_data);

/* Writes all of @data to @fd, retrying short writes and EINTR. */
gboolean tb_export_write_all (int fd, const void *data, gsize len,
                              GError **error);

G_END_DECLS
