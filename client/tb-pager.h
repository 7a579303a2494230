/* tb-pager.h — long output through a pager on a terminal, as git does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pager to run, as an argv: $PAGER, else "less" with LESS=FRX
 * unless LESS is set; NULL when $PAGER is empty or "cat". Sets @error
 * (and returns NULL) when $PAGER cannot be split into words. Pure but for
 * the environment it reads. (transfer full) */
GStrv tb_pager_argv (GError **error);

/* When stdout is a terminal and the pager can be started, sends stdout
 * through it until tb_pager_finish(). Otherwise (a pipe, a file, no
 * pager, or one that would not start, which is reported on stderr)
 * stdout stays as it is. tb_output_is_tty() and the terminal width keep
 * answering for the terminal. */
void tb_pager_start (void);

/* Sends the pager the end of the output and waits for it to quit.
 * Nothing to do when no pager runs. Output the pager did not take (it
 * quit early) is dropped without a message. */
void tb_pager_finish (void);

G_END_DECLS
