/* tb-sources-mail.c — the mail sources [sources] names: a notmuch
 * database, Maildir folders and mbox files (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include "tb-mail-sources.h"
#include "tb-mail.h"
#include "tb-sources-private.h"

void
tb_sources_add_mail (const TbConfig *config, GPtrArray *out)
{
  tb_mail_init ();
  /* notmuch first: it knows the user's addresses, which the folders
   * scanned after it then use. */
  if (config->sources_notmuch)
    g_ptr_array_add (out, tb_notmuch_source_new ());
  for (guint i = 0; config->sources_maildir && config->sources_maildir[i]; i++)
    g_ptr_array_add (out, tb_maildir_source_new (config->sources_maildir[i]));
  for (guint i = 0; config->sources_mbox && config->sources_mbox[i]; i++)
    g_ptr_array_add (out, tb_mbox_source_new (config->sources_mbox[i]));
}
