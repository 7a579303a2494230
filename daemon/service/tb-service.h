/* tb-service.h — the io.github.touchbase.Daemon1 interface on the bus: a
 * thin adapter that checks arguments, calls the engine and replies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-calendar.h"
#include "tb-engine.h"
#include "tb-sources.h"

G_BEGIN_DECLS

typedef struct _TbService TbService;

/* Adds what only the composition root knows (the configuration file, the
 * next wake-up, the notification server) to GetStatus's a{sv}. */
typedef void (*TbServiceStatusFunc) (GVariantBuilder *builder,
                                     gpointer user_data);

/* @engine is referenced; @calendar (for the ics export) must outlive the
 * service. */
TbService *tb_service_new (TbEngine *engine, TbCalendar *calendar,
                           TbServiceStatusFunc status, gpointer status_data);
/* The sources the methods on sources work on (ListSources,
 * ScanSources, ...); @sources must outlive @service. */
void tb_service_set_sources (TbService *service, TbSources *sources);

/* Unexports first. */
void tb_service_free (TbService *service);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbService, tb_service_free)

gboolean tb_service_export (TbService *service, GDBusConnection *connection,
                            GError **error);

/* Emits the Changed signal to clients. */
void tb_service_emit_changed (TbService *service);

G_END_DECLS
