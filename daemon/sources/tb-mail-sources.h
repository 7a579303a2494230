/* tb-mail-sources.h — the mail readers: a Maildir folder, an mbox file,
 * a notmuch database (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-source.h"

G_BEGIN_DECLS

/* @path: the folder that holds cur/ and new/ (a Sent folder). */
TbSource *tb_maildir_source_new (const char *path);
/* @path: the mbox file (Thunderbird's "Sent"). */
TbSource *tb_mbox_source_new (const char *path);
/* The database of the user's notmuch configuration (NOTMUCH_CONFIG,
 * else notmuch's default places). */
TbSource *tb_notmuch_source_new (void);

G_END_DECLS
