/* tb-ics-source.h — an .ics file or URL as a calendar source
 * (`[sources] ics=`).
 *
 * A file ("~/" expanded, or a file:// URI) is read at start and again
 * whenever it changes: a GFileMonitor (inotify) watches it, and a burst
 * of changes (an editor's write and rename) is read once, 200 ms after
 * the last. A missing file is an error until it appears.
 *
 * A URL (http, https, or webcal, read as https) is fetched with libsoup:
 * at start, on tb_cal_reader_scan(), when the network changes
 * (GNetworkMonitor), and every TB_ICS_SOURCE_REFRESH seconds, with
 * If-None-Match / If-Modified-Since so an unchanged calendar costs one
 * 304. A failure retries after a back-off (1 min doubling to the refresh
 * interval). The body may be at most TB_ICAL_EVENTS_MAX_BYTES.
 *
 * The source name is "ics:" and the absolute path or the URL as given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-cal-reader.h"

G_BEGIN_DECLS

#define TB_ICS_SOURCE_REFRESH (6 * 3600)

#define TB_TYPE_ICS_SOURCE (tb_ics_source_get_type ())
G_DECLARE_FINAL_TYPE (TbIcsSource, tb_ics_source, TB, ICS_SOURCE, TbCalReader)

/* @spec: one entry of ics= (a path or URL). NULL with
 * TB_ERROR_INVALID_ARGUMENT when it is neither. */
TbIcsSource *tb_ics_source_new (const char *spec, GError **error);

/* The name an entry of ics= gets, without making a source. */
char *tb_ics_source_name_for (const char *spec);

G_END_DECLS
