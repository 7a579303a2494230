/* tb-fold.h — text folded for matching: case- and accent-insensitive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decomposes @text (NFKD), drops the combining marks and case-folds it, so
 * "Zoë", "ZOE" and "zoe" fold alike. Invalid UTF-8 folds to "". */
char *tb_fold (const char *text);

G_END_DECLS
