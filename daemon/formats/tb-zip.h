/* tb-zip.h — one file out of a ZIP archive, as a stream.
 *
 * LinkedIn mails its data export as a ZIP (Basic_LinkedInDataExport_*.zip,
 * or the complete archive with dozens of CSVs, some in folders), and the
 * import wants one file of it. libarchive reads the archive forward from
 * any GInputStream, a pipe too: the local headers in order, the entries
 * before the wanted one passed over, the wanted one inflated as it is
 * read. Neither the archive nor the entry is ever whole in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How many bytes of the head tb_zip_has_magic wants to see. */
#define TB_ZIP_MAGIC_BYTES 4

/* TRUE when @head starts like a ZIP archive: a local file header
 * ("PK\3\4"), or the end record alone of an archive without entries
 * ("PK\5\6"), so an empty archive says it holds nothing rather than
 * being an unknown format. */
gboolean tb_zip_has_magic (const char *head, gsize len);

/* Reads @archive (a ZIP) up to the first regular file whose base name,
 * in any folder, is @basename (ASCII case-insensitive), and returns a
 * stream of its contents, inflated as they are read. @archive is read
 * from its current position and must stay open while the returned stream
 * is used; closing that stream does not close @archive.
 *
 * @filename names the archive in messages, which read "FILE: problem".
 * Errors are TB_ERROR_NOT_FOUND when no such file is in the archive, and
 * TB_ERROR_PARSE for an archive that is damaged or cut short, an entry
 * that is encrypted, or one that unpacks to more than @max_bytes (found
 * at once when the header gives the size, else while reading); the
 * stream's own error when reading @archive fails. Errors while reading
 * the returned stream are the same, and name the entry as
 * "FILE/PATH". @out_path (nullable) gets the entry's path inside the
 * archive. */
GInputStream *tb_zip_open_entry (GInputStream *archive, const char *basename,
                                 guint64 max_bytes, const char *filename,
                                 char **out_path, GCancellable *cancellable,
                                 GError **error);

G_END_DECLS
