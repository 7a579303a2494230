/* tb-search-provider.h — org.gnome.Shell.SearchProvider2 on the bus:
 * contacts in the GNOME Shell overview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-engine.h"

G_BEGIN_DECLS

#define TB_SEARCH_PROVIDER_PATH "/io/github/touchbase/SearchProvider"
/* A result set holds at most this many ids. */
#define TB_SEARCH_PROVIDER_MAX_RESULTS 20

typedef struct _TbSearchProvider TbSearchProvider;

/* @engine is referenced. */
TbSearchProvider *tb_search_provider_new (TbEngine *engine);
/* Unexports first. */
void tb_search_provider_free (TbSearchProvider *provider);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSearchProvider, tb_search_provider_free)

gboolean tb_search_provider_export (TbSearchProvider *provider,
                                    GDBusConnection *connection,
                                    GError **error);

G_END_DECLS
