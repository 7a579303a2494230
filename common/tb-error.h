/* tb-error.h — the one error domain of touchbase.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "touchbase/tb-names.h"

G_BEGIN_DECLS

#define TB_ERROR (tb_error_quark ())
GQuark tb_error_quark (void);

G_END_DECLS
