/* tb-daemon.h — touchbased's composition root: it builds the engine, the
 * alerts, the live calendar and the D-Bus service, wires them together
 * and owns the bus name. What it holds is private to tb-daemon.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbDaemon TbDaemon;

/* Opens the database and reads the configuration: everything that can
 * fail happens before the bus name is owned, so no client ever talks to a
 * half-started daemon. */
TbDaemon *tb_daemon_new (GError **error);
void tb_daemon_free (TbDaemon *daemon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDaemon, tb_daemon_free)

/* The file the daemon logs to (NULL: stderr or the journal), for
 * `touchbase status`. */
void tb_daemon_set_log_file (TbDaemon *daemon, const char *path);

/* Owns the bus name and runs until SIGTERM/SIGINT or the name is lost;
 * returns the exit status. */
int tb_daemon_run (TbDaemon *daemon, gboolean replace);

G_END_DECLS
