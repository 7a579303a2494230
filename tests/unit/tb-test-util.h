/* tb-test-util.h — what the unit tests that make files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @dir and everything below it; a test's scratch folder. */
void tb_test_remove_tree (const char *dir);

G_END_DECLS
