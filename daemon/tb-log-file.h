/* tb-log-file.h — where touchbased logs when no journal takes its
 * output: a file under $XDG_STATE_HOME/touchbase/, kept small.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Past this size the file becomes touchbased.log.1 (replacing an older
 * one) and a new one starts. TOUCHBASED_LOG_MAX_BYTES (1024 or more) sets
 * another, so a test can see it rotate without writing a megabyte. */
#define TB_LOG_FILE_MAX_BYTES (1024 * 1024)

/* Whether nobody would see what the daemon writes: no journal
 * (JOURNAL_STREAM unset) and stderr is /dev/null, closed or not open for
 * writing, as for a daemon that a bus started without systemd. */
gboolean tb_log_file_output_is_lost (void);

/* $XDG_STATE_HOME/touchbase/touchbased.log. */
char *tb_log_file_default_path (void);

/* Sends GLib's log, and stdout and stderr, to @path (0600, appended to,
 * rotated first when it is already over the limit). */
gboolean tb_log_file_start (const char *path, GError **error);

G_END_DECLS
