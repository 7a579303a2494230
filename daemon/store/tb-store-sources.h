/* tb-store-sources.h — what the sources found, in the store: a contact's
 * other e-mail addresses, the interactions found (with their provenance,
 * unique per contact) and forgetting a source (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-found.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* The addresses of a contact besides its e-mail (contacts.email, the
 * primary). Adding one the contact has already (by tb_email_key, the
 * primary included) changes nothing; removing the primary clears it
 * and makes the first other address primary. NOT_FOUND: no such
 * contact, or (remove) no such address. */
gboolean tb_store_add_contact_email (TbStore *store, gint64 contact_id,
                                     const char *email, GError **error);
gboolean tb_store_remove_contact_email (TbStore *store, gint64 contact_id,
                                        const char *email, GError **error);
/* The other addresses, in the order they were added (NULL-terminated,
 * never NULL without an error). */
GStrv tb_store_list_contact_emails (TbStore *store, gint64 contact_id,
                                    GError **error);

/* Writes what @found (element-type TbFound) holds, in one transaction:
 * for each record and each of its addresses that is not in @own (a
 * tb_found_own_set) and is some contact's (primary or other address),
 * an interaction with the record's kind, time, note and provenance,
 * unless that contact has it already (same tb_found_origin_key) or has
 * one of that kind logged by hand on that local day. A conversation
 * found does not make a contact tracked. Records after @now (a minute
 * of slack) are skipped. Adds to @out. */
gboolean tb_store_record_found (TbStore *store, GPtrArray *found,
                                GHashTable *own, gint64 now, TbFoundResult *out,
                                GError **error);

/* Removes every interaction @source found, and puts the contacts' last
 * interaction and due times right; *@out_removed: how many. */
gboolean tb_store_forget_source (TbStore *store, const char *source,
                                 gint64 *out_removed, GError **error);

typedef struct
{
  char *source; /* (owned) */
  gint64 interactions;
  gint64 conversations; /* of those, conversations (§2) */
  gint64 contacts;
} TbSourceCount;

void tb_source_count_free (TbSourceCount *count);

/* (element-type TbSourceCount) what each source found that is still in
 * the history, by name. */
GPtrArray *tb_store_count_by_source (TbStore *store, GError **error);

G_END_DECLS
