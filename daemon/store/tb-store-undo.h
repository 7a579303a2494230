/* tb-store-undo.h — the undo history of the store (docs/design.md §11).
 *
 * A change is what one command does: everything the store writes between
 * tb_store_begin_change and tb_store_end_change is logged by triggers, in
 * the same transaction, as the statements that revert it, and
 * tb_store_undo runs them. The last TB_STORE_UNDO_KEEP changes are kept,
 * across restarts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_STORE_UNDO_KEEP 100

/* A recorded change, as `touchbase undo --list` shows it. */
typedef struct
{
  gint64 id;
  gint64 at;
  char *verb;       /* the command: "add", "rm", "log", "import"... */
  char *subject;    /* (nullable) the contact's name then, or the file */
  GVariant *detail; /* (nullable) a{sv}: counts, a kind... */
} TbChange;

void tb_change_free (TbChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbChange, tb_change_free)

/* Begins a transaction that is one change. @subject (nullable) names
 * what it is about; when NULL and @contact_id > 0, the contact's name as
 * it is now. Inside another change it is only a nested transaction: the
 * outer change takes it in. */
gboolean tb_store_begin_change (TbStore *store, const char *verb,
                                gint64 contact_id, const char *subject,
                                gint64 now, GError **error);
/* Sets what the list shows beside the verb (a{sv}; floating is
 * consumed). Only inside a change. */
void tb_store_set_change_detail (TbStore *store, GVariant *detail);
/* Commits the change (@ok) or rolls it back with all it wrote. A change
 * that wrote nothing is not kept. */
gboolean tb_store_end_change (TbStore *store, gboolean ok, GError **error);

/* (element-type TbChange) the newest first, at most @limit (0: all
 * kept); @total: how many are kept. */
GPtrArray *tb_store_list_changes (TbStore *store, guint limit, guint *total,
                                  GError **error);

/* Reverts the newest change, in one transaction, and forgets it; returns
 * it. NOT_FOUND when there is none left. Ids do not come back: a contact
 * that undo removes again keeps its id to itself. */
TbChange *tb_store_undo (TbStore *store, GError **error);

G_END_DECLS
