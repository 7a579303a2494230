/* tb-figures.h — counts and shares as people read them: "30,020" and
 * "0.04 %", in the conventions of the user's locale (LC_NUMERIC).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @n with the locale's thousands separator: "30,020" (en_US), "30020"
 * (C). */
char *tb_figure_count (gint64 n);

/* @part of @whole as a percentage with as few decimals as tell the
 * truth: never "0 %" for a part that is not 0, never "100 %" for one
 * that is not the whole (12 of 30,020 is "0.04 %", not "0 %"); at most
 * four decimals, then "< 0.0001 %" or "> 99.9999 %". "0 %" when @whole
 * is 0. The locale's decimal point. */
char *tb_figure_percent (gint64 part, gint64 whole);

G_END_DECLS
