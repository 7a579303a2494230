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

/* Emits "changed" when @ok, and returns @ok: every write ends with it. */
gboolean tb_engine_committed (TbEngine *self, gboolean ok);

G_END_DECLS
