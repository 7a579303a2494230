/* tb-vardict.h — records to and from the a{sv} dictionaries of the D-Bus
 * API. Keys are the JSON names of docs/design.md §5; unset values are left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"
#include "tb-store.h"
#include "tb-store-names.h"

G_BEGIN_DECLS

/* Floating a{sv}. */
GVariant *tb_vardict_from_contact (const TbContact *contact);
/* A contact's record with "match" (tb_name_match_to_string). */
GVariant *tb_vardict_from_candidate (const TbNameCandidate *candidate);
GVariant *tb_vardict_from_fact (const TbFact *fact);
GVariant *tb_vardict_from_interaction (const TbInteraction *interaction);
GVariant *tb_vardict_from_follow_up (const TbFollowUp *follow_up);

/* Floating aa{sv} of @records (element-type per @func). */
GVariant *tb_vardict_array (GPtrArray *records,
                            GVariant *(*func) (gconstpointer record));

/* Reads the fields of AddContact/UpdateContact into @out, and which of
 * them were given into @mask. Unknown keys and wrongly typed values are
 * refused, naming the key. */
gboolean tb_vardict_to_contact (GVariant *fields, TbContact *out,
                                TbFieldMask *mask, GError **error);

G_END_DECLS
