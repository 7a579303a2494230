/* tb-engine-sources.h — the engine's side of the sources
 * (docs/design.md §12): what a reader found becomes interactions, a
 * source is forgotten, a contact gains and loses addresses.
 *
 * The readers themselves (daemon/sources) run off the main thread and
 * hand their records to tb_engine_record_found on it, like any other
 * caller of the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-engine.h"
#include "tb-found.h"
#include "tb-store-sources.h"

G_BEGIN_DECLS

/* Writes @found (element-type TbFound), records of the source @source,
 * as one change of undo ("scan", subject @source; a batch that wrote
 * nothing is no change): each address is matched to the contacts that
 * have it (tb_store_record_found); the user's own addresses are
 * skipped: [sources] my-addresses, else those the sources learned
 * (tb_engine_set_learned_addresses). Nothing creates a contact. Adds to
 * @out. */
gboolean tb_engine_record_found (TbEngine *self, const char *source,
                                 GPtrArray *found, TbFoundResult *out,
                                 GError **error);

/* The user's own addresses as the sources know them (notmuch's
 * configuration, EDS mail identities), used when my-addresses is not
 * set. (transfer none: copied) */
void tb_engine_set_learned_addresses (TbEngine *self,
                                      const char *const *addresses);
/* my-addresses when set, else the learned ones. (transfer full) */
GStrv tb_engine_get_own_addresses (TbEngine *self);

/* `touchbase sources --forget NAME`: every interaction @source found
 * goes, as one change ("sources forget") that undo brings back.
 * *@out_removed: how many. */
gboolean tb_engine_forget_source (TbEngine *self, const char *source,
                                  gint64 *out_removed, GError **error);

/* edit --email / --rm-email, each one change ("edit"). */
gboolean tb_engine_add_contact_email (TbEngine *self, gint64 contact_id,
                                      const char *email, GError **error);
gboolean tb_engine_remove_contact_email (TbEngine *self, gint64 contact_id,
                                         const char *email, GError **error);
GStrv tb_engine_list_contact_emails (TbEngine *self, gint64 contact_id,
                                     GError **error);

/* (element-type TbSourceCount) tb_store_count_by_source. */
GPtrArray *tb_engine_count_by_source (TbEngine *self, GError **error);

/* A reader's place in its source (a maildir's last scan, notmuch's
 * revision, a CalDAV sync-token), kept across restarts in the state
 * table; NULL when it never finished a scan. Not a change of undo. */
char *tb_engine_get_source_cursor (TbEngine *self, const char *source);
gboolean tb_engine_set_source_cursor (TbEngine *self, const char *source,
                                      const char *cursor, GError **error);

G_END_DECLS
