/* tb-error.c — TB_ERROR, mapped to io.github.touchbase.Error.* on the bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-error"

#include "config.h"

#include <gio/gio.h>

#include "tb-error.h"

static const GDBusErrorEntry tb_error_entries[] = {
  { TB_ERROR_FAILED, TB_ERROR_PREFIX "Failed" },
  { TB_ERROR_NOT_FOUND, TB_ERROR_PREFIX "NotFound" },
  { TB_ERROR_AMBIGUOUS, TB_ERROR_PREFIX "Ambiguous" },
  { TB_ERROR_INVALID_ARGUMENT, TB_ERROR_PREFIX "InvalidArgument" },
  { TB_ERROR_PARSE, TB_ERROR_PREFIX "ParseError" },
  { TB_ERROR_STORAGE, TB_ERROR_PREFIX "Storage" },
  { TB_ERROR_BUSY, TB_ERROR_PREFIX "Busy" },
  { TB_ERROR_EXISTS, TB_ERROR_PREFIX "Exists" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (tb_error_entries) == TB_N_ERRORS);

/* Registering the domain with GDBus makes a GError raised in the daemon
 * arrive in the client as the same domain and code, and makes every other
 * D-Bus client see a readable io.github.touchbase.Error.* name. */
GQuark
tb_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("tb-error-quark", &quark,
                                      tb_error_entries,
                                      G_N_ELEMENTS (tb_error_entries));
  return (GQuark) quark;
}
