/* tb-progress.h — a one-line progress bar on stderr, redrawn with \r.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TbProgress TbProgress;

/* A bar labelled @label; it draws only when stderr is a terminal, so
 * pipes and logs never see the \r noise. */
TbProgress *tb_progress_new (const char *label);
void tb_progress_free (TbProgress *progress);

/* @total 0: unknown, shows a byte count instead of a bar. Redraws at most
 * ten times a second. */
void tb_progress_update (TbProgress *progress, guint64 done, guint64 total);

/* Erases the bar so the next line starts clean. */
void tb_progress_finish (TbProgress *progress);

/* The text of the bar for @width columns, for tests. */
char *tb_progress_render (const char *label, guint64 done, guint64 total,
                          guint width);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbProgress, tb_progress_free)

G_END_DECLS
