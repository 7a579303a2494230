/* tb-sources.h — the sources the configuration names, and their scans
 * (docs/design.md §12).
 *
 * The manager makes the sources [sources] lists (tb_sources_configure;
 * a reload keeps those whose name stays), follows them once started,
 * and runs one scan at a time in a worker thread: a first scan over a
 * year of mail never holds the main loop, where other clients are
 * served. What a scan found is written on the main thread by
 * tb_engine_record_found, in slices of TB_SOURCES_SLICE records, each one
 * change of undo, with the main loop free between them.
 *
 * Readers are made in tb-sources-mail.c and tb-sources-calendar.c
 * (tb-sources-private.h); a new kind adds its constructor there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-engine.h"
#include "tb-source.h"

G_BEGIN_DECLS

typedef struct _TbSources TbSources;

/* @engine is referenced. */
TbSources *tb_sources_new (TbEngine *engine);
void tb_sources_free (TbSources *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSources, tb_sources_free)

/* Applies [sources] of @config: the sources it names are made (those of
 * the same name kept, with their state), the others stopped and
 * dropped; once started, new ones are followed at once. */
void tb_sources_configure (TbSources *self, const TbConfig *config);

/* Starts following every source (once the daemon owns its name), and
 * catches up on what changed while it was not running: each source
 * that finished a scan before is scanned from its cursor. */
void tb_sources_start (TbSources *self);

/* (element-type TbSource) (transfer none) in the configuration's
 * order. */
GPtrArray *tb_sources_get_all (TbSources *self);
/* (nullable) (transfer none) */
TbSource *tb_sources_lookup (TbSources *self, const char *name);

/* Called on the main thread while a scan runs. */
typedef void (*TbSourcesProgressFunc) (const char *source, guint64 done,
                                       guint64 total, gpointer user_data);

typedef struct
{
  TbFoundResult found; /* summed over the sources, with both sets */
  gint64 since;        /* what the scan read back to */
  guint scanned;       /* sources scanned */
  GPtrArray *errors;   /* (owned) "name: message" of those that failed */
} TbSourcesScanResult;

void tb_sources_scan_result_clear (TbSourcesScanResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbSourcesScanResult,
                                  tb_sources_scan_result_clear)

/* Scans @names (NULL: every source) from @since (0: [sources] since=
 * back from now), each in full (no cursor), one after another, after
 * any scan already running. NOT_FOUND for a name no source has (at
 * the start, before anything is scanned). A source that fails does not
 * stop the others: it is listed in the result's errors. */
void tb_sources_scan_async (TbSources *self, const char *const *names,
                            gint64 since, TbSourcesProgressFunc progress,
                            gpointer progress_data,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean tb_sources_scan_finish (TbSources *self, GAsyncResult *result,
                                 TbSourcesScanResult *out, GError **error);

/* Whether a scan is running or waiting (the idle test waits for none). */
gboolean tb_sources_is_busy (TbSources *self);

G_END_DECLS
