/* tb-import.h — what contact exports mean: format detection and the
 * mapping of LinkedIn, Google Contacts and vCard records to TbContact.
 *
 * Pure: no database, no bus. Records stream through a callback, so a
 * file of any size is read in constant memory; the caller (the import
 * service) merges them into the store inside one transaction.
 *
 * Decisions (the same for every format):
 * - Strings are trimmed, and single-line fields (names, company,
 *   position, email, phone) have runs of whitespace made one space;
 *   notes keep their line breaks. Empty means NULL.
 * - A record without any name is skipped and counted (@out_skipped).
 * - Tags (Google labels and groups, vCard CATEGORIES) are lower case,
 *   without Google's "* " system prefix; "myContacts" is dropped.
 * - Of several emails the first (Google: the one marked "* ", vCard: the
 *   preferred one) is the email, the others go to other_emails, which the
 *   store uses to find duplicates. Of several phones the preferred or
 *   first is kept. Of several web sites a LinkedIn profile wins, else the
 *   preferred or first one.
 * - URLs are kept as valid http(s) URIs (see tb_url_normalize);
 *   other schemes are dropped. Duplicates are found by tb_url_key,
 *   which is the same for every spelling of a profile (tb-keys.h).
 * - Birthdays go through tb_birthday_parse; one it cannot read is
 *   dropped (logged at debug level), never an error: a whole import
 *   should not fail over one odd date.
 * - LinkedIn's "Connected On" becomes connected_on: local midnight of
 *   that day, in Unix seconds. It is never an interaction.
 * - vCard UID: "urn:uuid:X" with X a UUID becomes uid "X" (lower case),
 *   so a card that touchbase exported comes back as the same contact;
 *   any other UID is kept as written. It is the merge key for vCards.
 *   CSV records have no uid (NULL): the store makes one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-contact.h"

G_BEGIN_DECLS

typedef enum
{
  TB_FORMAT_UNKNOWN,
  TB_FORMAT_LINKEDIN,
  TB_FORMAT_GOOGLE,
  TB_FORMAT_VCARD,
  TB_FORMAT_JSON,
  TB_FORMAT_OUTLOOK,     /* Outlook's CSV: "E-mail Address", "Business Phone" */
  TB_FORMAT_THUNDERBIRD, /* Thunderbird's address book CSV */
} TbImportFormat;

/* How many bytes of the head tb_import_detect wants to see. */
#define TB_IMPORT_DETECT_BYTES 4096

/* The most a Connections.csv inside a ZIP may unpack to. LinkedIn caps a
 * network at 30,000 connections, a file of a few MiB; this is far above
 * any real one, and stops a crafted archive (a few KiB that inflate to
 * gigabytes) from keeping the import busy for minutes. */
#define TB_IMPORT_MAX_CONNECTIONS_BYTES ((guint64) 256 * 1024 * 1024)

/* "linkedin", "google", "vcard", "json", "outlook", "thunderbird";
 * "unknown" for UNKNOWN. */
const char *tb_import_format_to_string (TbImportFormat format);
/* Case-insensitive; "auto" and "unknown" are not formats. */
gboolean tb_import_format_from_string (const char *str, TbImportFormat *out);

/* Guesses the format from the first bytes of a file. A ZIP archive is
 * TB_FORMAT_LINKEDIN: LinkedIn's data export. */
TbImportFormat tb_import_detect (const char *head, gsize len);

/* Called for each contact read. @contact is transfer full; @line is the
 * line where its record starts. Return FALSE with @error set to stop. */
typedef gboolean (*TbImportRecordFunc) (TbContact *contact, guint line,
                                        gpointer user_data, GError **error);

/* What became of a record that was not read as it was written. */
typedef enum
{
  TB_IMPORT_NOTE_REPAIRED, /* read, after the exporter's fault was put right */
  TB_IMPORT_NOTE_NO_NAME,  /* skipped: it has no name */
} TbImportNoteKind;

/* Called for each such record: @file as in the messages ("FILE", or
 * "FILE/Connections.csv" inside a ZIP), @line where the problem is, and
 * @reason, translated. */
typedef void (*TbImportNoteFunc) (const char *file, guint line,
                                  TbImportNoteKind kind, const char *reason,
                                  gpointer user_data);

/* Reads the contacts of @stream in @format (detected from the content
 * when TB_FORMAT_UNKNOWN) and hands each to @func. @filename names the
 * file in error messages, which read "FILE:LINE: problem" (or "FILE:
 * problem" when there is no line): TB_ERROR_PARSE for malformed input or
 * an unknown format. TB_FORMAT_JSON is refused here (TB_ERROR_INVALID_ARGUMENT):
 * backups are read by the store. @out_skipped (nullable) counts records
 * without a name. @out_format (nullable) gets the format that was read.
 *
 * A ZIP archive (found by its first bytes, with or without @format
 * TB_FORMAT_LINKEDIN) is LinkedIn's data export: its Connections.csv, in
 * any folder, is read as it is inflated (tb-zip.h), and messages about
 * its lines name it "FILE/PATH". An archive without one, a damaged or
 * truncated one, or a Connections.csv over TB_IMPORT_MAX_CONNECTIONS_BYTES
 * is a TB_ERROR_PARSE that names FILE; so is a ZIP with @format google
 * or vcard. */
gboolean tb_import_read (GInputStream *stream, TbImportFormat format,
                         const char *filename, TbImportRecordFunc func,
                         gpointer user_data, TbImportFormat *out_format,
                         guint *out_skipped, GCancellable *cancellable,
                         GError **error);

/* tb_import_read, and @note (nullable; with @user_data too) hears of
 * every record skipped or repaired. */
gboolean tb_import_read_full (GInputStream *stream, TbImportFormat format,
                              const char *filename, TbImportRecordFunc func,
                              TbImportNoteFunc note, gpointer user_data,
                              TbImportFormat *out_format, guint *out_skipped,
                              GCancellable *cancellable, GError **error);

/* LinkedIn's "Connected On": "22 Dec 2025" (current export),
 * "1/8/18, 6:14 PM" (older, US month/day/year; the time is ignored) or
 * "2025-12-22". @out gets local midnight of the day in @tz. FALSE for
 * text that is not UTF-8. */
gboolean tb_import_parse_connected_on (const char *text, GTimeZone *tz,
                                       gint64 *out);

G_END_DECLS
