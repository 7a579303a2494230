/* tb-sources-private.h — the readers' constructors, for the manager.
 * Not for use outside daemon/sources.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-config.h"
#include "tb-source.h"

G_BEGIN_DECLS

/* Each appends (transfer full) the sources of its kinds that @config
 * names to @out (element-type TbSource), in the order written. */
void tb_sources_add_mail (const TbConfig *config, GPtrArray *out);
void tb_sources_add_calendar (const TbConfig *config, GPtrArray *out);

G_END_DECLS
