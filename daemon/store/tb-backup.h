/* tb-backup.h — the JSON backup: everything touchbase knows, as one
 * document that restores losslessly.
 *
 * Format (version 1):
 *   { "format": "touchbase-backup", "version": 1, "schema": N,
 *     "tables": { "contacts": [ {column: value, ...}, ... ],
 *                 "contact_tags": [...], "facts": [...],
 *                 "interactions": [...], "follow_ups": [...],
 *                 "introductions": [...], "state": [...] } }
 * Each row is an object of its table's columns (schema N) with integer,
 * real, string or null values, in primary-key order; ids are kept, so
 * every reference survives. Keys the store derives (contacts.name_key,
 * url_key and email_key) are left out and recomputed. There is no time
 * stamp: the same data gives the same bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_BACKUP_FORMAT "touchbase-backup"
#define TB_BACKUP_VERSION 1

/* Writes the backup, row by row (memory does not grow with the data). */
gboolean tb_backup_write (TbStore *store, GOutputStream *out, GError **error);

/* Restores a backup into @store, which must hold no contacts (refused
 * with TB_ERROR_INVALID_ARGUMENT otherwise: merging two histories is not
 * a restore). Runs inside the caller's transaction, or its own. Errors
 * (TB_ERROR_PARSE) read "FILE:LINE:COL: problem" for JSON syntax and
 * "FILE: tables.contacts[3].name: problem" for content. @out_contacts
 * (nullable) gets the number of contacts restored. */
gboolean tb_backup_restore (TbStore *store, GInputStream *in,
                            const char *filename, guint *out_contacts,
                            GError **error);

G_END_DECLS
