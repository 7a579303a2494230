/* tb-cal-sources.h — the calendar readers (docs/design.md §12, "Calendar
 * sources"): .ics files and URLs, CalDAV collections, and the calendars
 * of evolution-data-server.
 *
 * Each reads its calendar's whole text in the scan (worker thread) and
 * finds the meetings in it with tb-ical-events.c, the window being the
 * scan's [since, now]. What it found before is found again and logged
 * once (the engine keeps source keys), so a calendar needs no cursor.
 *
 * What wakes a calendar source, besides `touchbase sources --scan`:
 *   - what it watches: inotify on a file, EDS's D-Bus signals, a network
 *     that comes back after a failure (GNetworkMonitor);
 *   - the end of the next meeting still to come in what it read (a
 *     one-shot timer a minute after it): a meeting is logged once it
 *     has ended, whether or not the calendar changes;
 *   - for remote calendars (URL, CalDAV), TB_CAL_SOURCE_REFRESH after the
 *     last read, and a back-off after a failure (1 min doubling to the
 *     refresh interval).
 * Nothing else: an idle daemon with these sources makes no system call
 * until one of these moments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-source.h"

G_BEGIN_DECLS

#define TB_CAL_SOURCE_REFRESH (6 * 3600)
#define TB_CAL_SOURCE_BACKOFF_MIN 60

#define TB_TYPE_CAL_SOURCE (tb_cal_source_get_type ())
G_DECLARE_DERIVABLE_TYPE (TbCalSource, tb_cal_source, TB, CAL_SOURCE, TbSource)

struct _TbCalSourceClass
{
  TbSourceClass parent_class;

  /* Worker thread: the calendar's whole text (VCALENDARs one after the
   * other), NUL-terminated with the NUL not counted. @own: (out)
   * (optional) addresses the calendar says are the user's. */
  GBytes *(*read) (TbCalSource *self, TbSourceScan *scan, GStrv *own,
                   GCancellable *cancellable, GError **error);
  /* Main thread: follow changes besides the timers (NULL: none). */
  gboolean (*watch_changes) (TbCalSource *self, GError **error);
  void (*unwatch_changes) (TbCalSource *self);

  gpointer padding[4];
};

/* Remote calendars: read again @seconds after each read (0: never). */
void tb_cal_source_set_refresh (TbCalSource *self, guint seconds);

/* Main thread: when the source's timer will ask for a scan (Unix
 * seconds; 0: no timer), armed after each scan while it is watched. */
gint64 tb_cal_source_get_wakeup (TbCalSource *self);

/* The readers. @spec: an entry of ics= (a path, "~/" expanded, or an
 * http, https or webcal URL). */
TbSource *tb_ics_source_new (const char *spec);
/* @url: an entry of caldav=; a password in it is used and not shown. */
TbSource *tb_caldav_source_new (const char *url);
/* Every enabled calendar of evolution-data-server. */
TbSource *tb_eds_source_new (void);

G_END_DECLS
