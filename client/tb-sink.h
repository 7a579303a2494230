/* tb-sink.h — somewhere for the daemon to write a file the client asked
 * for (export, report): a file replaced only once the whole output is
 * there, or stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TbSink TbSink;

/* @path NULL or "-": stdout. Otherwise a temporary file next to @path
 * (mode 0600: exports hold personal data). */
TbSink *tb_sink_open (const char *path, GError **error);

/* tb_sink_open, and in *@out_fd_list the descriptor to pass to the
 * daemon, in a new GUnixFDList at index 0. */
TbSink *tb_sink_open_with_fd_list (const char *path, GUnixFDList **out_fd_list,
                                   GError **error);

/* After the daemon wrote everything: syncs the temporary file and renames
 * it over @path, or copies the output to stdout. */
gboolean tb_sink_commit (TbSink *sink, GError **error);

/* Removes the temporary file unless committed. */
void tb_sink_free (TbSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSink, tb_sink_free)

G_END_DECLS
