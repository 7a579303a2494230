/* tb-sources-mail.c — the mail sources [sources] names: Maildir
 * folders, mbox files and a notmuch database (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include "tb-sources-private.h"

void
tb_sources_add_mail (const TbConfig *config, GPtrArray *out)
{
}
