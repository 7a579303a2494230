/* tb-source.h — one source: a reader of something the user keeps (a
 * Sent folder, a calendar) that finds conversations in it
 * (docs/design.md §12).
 *
 * A reader is a subclass of TbSource with two jobs:
 *
 * - scan (class->scan), run in a worker thread by the manager
 *   (tb-sources.c): read what happened since tb_source_scan_get_since
 *   (or, with a cursor, what changed since the cursor), add a TbFound
 *   per message or occurrence (tb_source_scan_add), report progress and
 *   set the new cursor. It reads only what the object was built with
 *   (its location) and the TbSourceScan, never the main thread's state,
 *   and checks @cancellable now and then.
 * - watch / unwatch (main thread): follow the source and call
 *   tb_source_changed when it may have changed; the manager then scans
 *   it with its cursor, after a short pause that gathers a burst of
 *   changes. Only inotify (GFileMonitor), D-Bus signals or a timer armed
 *   for a reason (a back-off after a failure): with nothing changing, an
 *   idle daemon makes no system call (tests/integration/test_idle.py).
 *
 * The name (kind ":" location, tb_found_source_name) is what the user
 * sees and what the interactions found remember.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-found.h"

G_BEGIN_DECLS

typedef enum
{
  TB_SOURCE_IDLE,     /* watching, or waiting for a scan */
  TB_SOURCE_SCANNING, /* a scan is running */
  TB_SOURCE_ERROR,    /* the last scan or watch failed: see last error */
  TB_SOURCE_OFF,      /* configured but cannot run (no such library) */
} TbSourceState;

/* "idle", "scanning", "error", "off". */
const char *tb_source_state_to_string (TbSourceState state);

/* One scan: what the reader is asked and what it gives back. Made by
 * the manager; the reader only calls the functions below. */
typedef struct _TbSourceScan TbSourceScan;

/* Read what happened at or after this (a message's Date, an
 * occurrence's start): the configured since=, or the caller's. */
gint64 tb_source_scan_get_since (TbSourceScan *scan);
gint64 tb_source_scan_get_now (TbSourceScan *scan);
/* Where the last complete scan ended, as the reader wrote it
 * (tb_source_scan_set_cursor); NULL: read everything since @since (a
 * first scan, or `touchbase sources --scan`). A reader may always read
 * more than the cursor asks: what it finds twice is logged once. */
const char *tb_source_scan_get_cursor (TbSourceScan *scan);
/* Whether @address is one of the user's own (my-addresses, else what
 * the sources learned). */
gboolean tb_source_scan_is_own (TbSourceScan *scan, const char *address);
/* The user's own addresses as known now (tb_email_key of each), for a
 * reader that asks a database for what they sent. (transfer full) */
GStrv tb_source_scan_dup_own (TbSourceScan *scan);
/* Whether the user's own addresses are known at all: a mail reader
 * without them takes its folder for a Sent folder, every message the
 * user's. */
gboolean tb_source_scan_knows_own (TbSourceScan *scan);

/* (transfer full) A record found; its source is set to the source's
 * name. */
void tb_source_scan_add (TbSourceScan *scan, TbFound *found);
/* What the reader has got through, in its own units (files, bytes);
 * @total 0: unknown. Cheap: the manager passes on a few a second. */
void tb_source_scan_progress (TbSourceScan *scan, guint64 done, guint64 total);
/* Where this scan ended, for the next one; kept only if the scan
 * succeeds and its records are written. */
void tb_source_scan_set_cursor (TbSourceScan *scan, const char *cursor);
/* An address the source knows to be the user's (notmuch's
 * primary_email, an EDS identity, a Sent folder's From). */
void tb_source_scan_learn_address (TbSourceScan *scan, const char *address);

#define TB_TYPE_SOURCE (tb_source_get_type ())
G_DECLARE_DERIVABLE_TYPE (TbSource, tb_source, TB, SOURCE, GObject)

struct _TbSourceClass
{
  GObjectClass parent_class;

  /* Worker thread. FALSE with @error: the scan failed; what it added is
   * dropped and the cursor stays. */
  gboolean (*scan) (TbSource *self, TbSourceScan *scan,
                    GCancellable *cancellable, GError **error);
  /* Main thread. Start following changes (NULL: the source is only
   * scanned when asked). FALSE with @error: shown as its last error. */
  gboolean (*watch) (TbSource *self, GError **error);
  void (*unwatch) (TbSource *self);

  gpointer padding[8];
};

/* Construct properties: "kind" (s, e.g. "maildir") and "location" (s,
 * nullable: a path, a URL, an EDS uid). */
const char *tb_source_get_name (TbSource *self);
const char *tb_source_get_kind (TbSource *self);
const char *tb_source_get_location (TbSource *self);

/* For readers: something may have changed (main thread). */
void tb_source_changed (TbSource *self);

/* What `touchbase sources` shows (main thread; the manager sets them). */
typedef struct
{
  gint64 at;      /* when the last scan ended; 0: never */
  guint found;    /* records the last scan found */
  guint logged;   /* interactions it wrote */
  guint contacts; /* contacts it gave an interaction */
  guint unknown;  /* addresses of no contact */
  gboolean full;  /* it read everything since since= (not a cursor) */
} TbSourceLast;

TbSourceState tb_source_get_state (TbSource *self);
void tb_source_set_state (TbSource *self, TbSourceState state);
/* (nullable) the last error's message. */
const char *tb_source_get_last_error (TbSource *self);
/* @message NULL clears it (the state stays). Sets the state to error
 * otherwise. */
void tb_source_set_last_error (TbSource *self, const char *message);
const TbSourceLast *tb_source_get_last (TbSource *self);
void tb_source_set_last (TbSource *self, const TbSourceLast *last);
gboolean tb_source_is_watching (TbSource *self);

/* For the manager. */
gboolean tb_source_watch (TbSource *self);
void tb_source_unwatch (TbSource *self);
/* Runs class->scan (worker thread). */
gboolean tb_source_run_scan (TbSource *self, TbSourceScan *scan,
                             GCancellable *cancellable, GError **error);

/* The manager's side of a scan. @own: tb_found_own_set of the user's
 * addresses (copied). @progress is called in the worker thread. */
typedef void (*TbSourceProgressFunc) (guint64 done, guint64 total,
                                      gpointer user_data);
TbSourceScan *tb_source_scan_new (TbSource *source, gint64 since, gint64 now,
                                  const char *cursor, GHashTable *own,
                                  TbSourceProgressFunc progress,
                                  gpointer progress_data);
void tb_source_scan_free (TbSourceScan *scan);
/* (element-type TbFound) (transfer none) */
GPtrArray *tb_source_scan_get_found (TbSourceScan *scan);
/* (nullable) what tb_source_scan_set_cursor set. */
const char *tb_source_scan_get_new_cursor (TbSourceScan *scan);
/* (nullable) what the reader learned, NULL-terminated. */
const char *const *tb_source_scan_get_learned (TbSourceScan *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSourceScan, tb_source_scan_free)

/* Follows @file (a folder when @directory; moves included): @on_changed,
 * a GFileMonitor "changed" handler, is called with @data. NULL with
 * @error set when it cannot be followed. */
GFileMonitor *tb_source_monitor (GFile *file, gboolean directory,
                                 GCallback on_changed, gpointer data,
                                 GError **error);
/* Stops following: disconnects @data's handlers from *@monitor,
 * cancels it and clears it; nothing when it is NULL. */
void tb_source_monitor_clear (GFileMonitor **monitor, gpointer data);

G_END_DECLS
