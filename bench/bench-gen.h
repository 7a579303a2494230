/* bench-gen.h — a synthetic network for benchmarks: deterministic for a
 * seed, with a skewed vocabulary (a few topics are common, most are
 * rare), as in real networks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @n contacts with @facts_per_contact facts each (needs, offers, interests,
 * goals) and a tag or two. (element-type TbContact) (transfer full) */
GPtrArray *tb_bench_generate_contacts (guint n, guint facts_per_contact,
                                       guint32 seed);

G_END_DECLS
