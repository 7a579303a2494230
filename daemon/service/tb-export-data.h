/* tb-export-data.h — the Export method's json, vcard and csv formats
 * (TbExportFunc, see tb-export.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-daemon.h"

G_BEGIN_DECLS

GBytes *tb_export_data_json (TbDaemon *daemon, GVariant *options,
                             GError **error);
GBytes *tb_export_data_vcard (TbDaemon *daemon, GVariant *options,
                              GError **error);
GBytes *tb_export_data_csv (TbDaemon *daemon, GVariant *options,
                            GError **error);

G_END_DECLS
