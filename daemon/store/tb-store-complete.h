/* tb-store-complete.h — the starts of names and tags, for shell
 * completion (tb-store-complete.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-store.h"

G_BEGIN_DECLS

#define TB_STORE_COMPLETE_MAX_LIMIT 100
#define TB_STORE_COMPLETE_MAX_PREFIX_BYTES 1024

/* The names of the contacts whose folded name starts with @prefix
 * folded, the tracked ones first, each tier in the order of the folded
 * names, a name given once; at most @limit (1 or more). A @prefix longer
 * than TB_STORE_COMPLETE_MAX_PREFIX_BYTES is INVALID_ARGUMENT.
 * (element-type utf8) (transfer full) */
GPtrArray *tb_store_complete_names (TbStore *store, const char *prefix,
                                    guint limit, GError **error);

/* The tags in use that start with @prefix (as a tag key), in order, at
 * most @limit. (element-type utf8) (transfer full) */
GPtrArray *tb_store_complete_tags (TbStore *store, const char *prefix,
                                   guint limit, GError **error);

G_END_DECLS
