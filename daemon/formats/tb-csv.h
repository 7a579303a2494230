/* tb-csv.h — a streaming RFC 4180 reader.
 *
 * Records are pulled one at a time from a GInputStream through a fixed
 * buffer, so memory does not grow with the file, only with the longest
 * record (which is capped, so a stray quote cannot swallow a whole file
 * into memory).
 *
 * What it accepts, beyond the RFC: a UTF-8 byte order mark, LF or CR
 * line ends as well as CRLF, and text after a closing quote (kept, as
 * spreadsheets do). Line ends inside quoted fields come out as "\n".
 * Empty lines are skipped. Every field is checked to be UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A record longer than this is refused: no real contact export has one,
 * and it bounds memory on a file with an unterminated quote. */
#define TB_CSV_MAX_RECORD_BYTES (4 * 1024 * 1024)
#define TB_CSV_MAX_FIELDS 4096

typedef struct _TbCsvReader TbCsvReader;

/* @filename only names the file in error messages. */
TbCsvReader *tb_csv_reader_new (GInputStream *stream, const char *filename);
void tb_csv_reader_free (TbCsvReader *reader);

/* The next record as a NULL-terminated array of fields (transfer full).
 * Returns NULL at the end of the input (with @error unset) or on an
 * error: TB_ERROR_PARSE for bad CSV or bad UTF-8, with a message
 * "FILE:LINE: problem", or the stream's own error. @out_line gets the
 * 1-based line on which the record starts. */
GStrv tb_csv_reader_read_record (TbCsvReader *reader, guint *out_line,
                                 GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCsvReader, tb_csv_reader_free)

G_END_DECLS
