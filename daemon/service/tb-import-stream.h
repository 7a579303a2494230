/* tb-import-stream.h — the input of an import: a descriptor a client
 * passed, read by the import's threads, that gives up when the client
 * stops sending and stops at once when the import is cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long an import waits for the next byte of its input before it
 * gives up and rolls back (docs/design.md §8): a pipe its writer left
 * open would otherwise hold the import, and the write lock, for ever.
 * TB_IMPORT_STALL_SECONDS in the daemon's environment overrides it, for
 * tests. */
#define TB_IMPORT_STALL_SECONDS 30

#define TB_TYPE_IMPORT_STREAM (tb_import_stream_get_type ())
G_DECLARE_FINAL_TYPE (TbImportStream, tb_import_stream, TB, IMPORT_STREAM,
                      GInputStream)

/* Takes @fd. A read waits at most @stall_seconds for a byte (then fails
 * with TB_ERROR_FAILED naming the wait), and fails with
 * G_IO_ERROR_CANCELLED as soon as @cancellable (referenced) is
 * cancelled, whatever cancellable the reader passes. */
GInputStream *tb_import_stream_new (int fd, guint stall_seconds,
                                    GCancellable *cancellable);

/* The stall timeout in force: TB_IMPORT_STALL_SECONDS, or the
 * environment's. */
guint tb_import_stream_stall_seconds (void);

G_END_DECLS
