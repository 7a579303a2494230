/* tb-engine-private.h — what the files of the engine layer share. Not for
 * use outside daemon/engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-engine.h"

G_BEGIN_DECLS

/* The store, for the alert batch, which writes its marks and counters in
 * one transaction of its own. (transfer none) */
TbStore *tb_engine_get_store (TbEngine *self);

/* For a write made on the store directly (the alert batch): emits
 * "changed" as the engine's own writes do. */
void tb_engine_emit_changed (TbEngine *self);

/* Emits "changed" when @ok, and returns @ok. */
gboolean tb_engine_committed (TbEngine *self, gboolean ok);

/* Every write is a change that `touchbase undo` can take back
 * (tb_store_begin_change): opened with what the user did (@verb, the
 * command's name) and to whom, and ended after the write with whether
 * it worked: a change that failed is rolled back whole, one that
 * committed emits "changed". end returns whether it committed. */
gboolean tb_engine_begin_change (TbEngine *self, const char *verb,
                                 gint64 contact_id, const char *subject,
                                 GError **error);
gboolean tb_engine_end_change (TbEngine *self, gboolean ok, GError **error);

/* The running import (tb-engine-export.c), NULL when none. */
typedef struct _TbEngineImport TbEngineImport;
TbEngineImport *tb_engine_get_import (TbEngine *self);
void tb_engine_set_import (TbEngine *self, TbEngineImport *import);

/* After an import, committed or not: the writes it held back may go. */
void tb_engine_emit_import_ended (TbEngine *self);

G_END_DECLS
