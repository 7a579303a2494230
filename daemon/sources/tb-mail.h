/* tb-mail.h — a sent message's headers as a TbFound, shared by the
 * Maildir, mbox and notmuch readers. Only the header block is ever
 * read: a body (and its attachments) never leaves the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-source.h"

G_BEGIN_DECLS

/* The most a header block may be: past it the message is not read (a
 * real one is a few KiB; a file of 1 GiB without a blank line is not a
 * message). */
#define TB_MAIL_MAX_HEADER (256 * 1024)

/* The header block of @stream: up to and including the blank line that
 * ends it (or the end of the stream), at most TB_MAIL_MAX_HEADER bytes;
 * NULL with @error for a longer one or a read error. */
GBytes *tb_mail_read_header (GInputStream *stream, GCancellable *cancellable,
                             GError **error);

/* What @header (a message's header block) means for @scan: NULL when it
 * is not a message the user sent (its From is none of the user's known
 * addresses; when none are known, every message counts as sent and its
 * From is learned), when it has no Date or one before since, or no
 * recipient. The key is the Message-ID, else a hash of the Date, From,
 * To, Cc and Subject, so that copies of a message without one still
 * meet. The Subject is read only for that hash; the note stays NULL. */
TbFound *tb_mail_found_from_header (TbSourceScan *scan, const char *header,
                                    gsize len);

/* The same from the header values themselves (notmuch gives them one by
 * one); @date is Unix seconds (0: none). */
TbFound *tb_mail_found_from_values (TbSourceScan *scan, const char *message_id,
                                    gint64 date, const char *from,
                                    const char *to, const char *cc,
                                    const char *subject);

/* Once per process, before any parsing (GMime's tables). */
void tb_mail_init (void);

G_END_DECLS
