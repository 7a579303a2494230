/* tb-export-contacts.h — contacts as vCard 4.0 and as CSV.
 *
 * The formatting is pure (tb_export_vcard_card, tb_export_csv_row) and
 * tested alone; the writers read the store and stream.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

/* One vCard 4.0 (RFC 6350): FN, N, UID (urn:uuid: for UUIDs), EMAIL,
 * TEL, URL, ORG, TITLE, BDAY, CATEGORIES, NOTE; text escaped, lines
 * folded at 75 octets (never inside a UTF-8 character), CRLF. */
char *tb_export_vcard_card (const TbContact *contact);

/* The CSV header row and one row per contact (RFC 4180: CRLF, fields
 * with commas, quotes or line breaks quoted, quotes doubled). Columns:
 * id,name,email,phone,url,company,position,tags,interval_days,due,
 * last_interaction,last_conversation,connected_on,source. Dates are
 * local YYYY-MM-DD; tags are separated by ";". Text that a spreadsheet
 * would run as a formula (=, @, or + and - not starting a number) gets a
 * leading "'". */
extern const char tb_export_csv_header[];
char *tb_export_csv_row (const TbContact *contact, GTimeZone *tz);

/* Every contact, in id order. */
gboolean tb_export_vcard (TbStore *store, GOutputStream *out, GError **error);
gboolean tb_export_csv (TbStore *store, GOutputStream *out, GTimeZone *tz,
                        GError **error);

G_END_DECLS
