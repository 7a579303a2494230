/* tb-calendar.h — the daemon's calendar: the live .ics file, the CalDAV
 * push and on-demand iCalendar exports, all built from the same records.
 *
 * What the calendar holds (the same as `touchbase due` with its default
 * window, plus what a calendar is for):
 *   - a touch-base event for every contact `touchbase due` lists: not
 *     paused, due (overdue) or coming due within TB_CALENDAR_WINDOW (one
 *     week, the default of `due --within`); a snoozed one starts when its
 *     snooze ends;
 *   - every open follow-up, however far ahead (they are dated on purpose;
 *     `touchbase due` lists those within its window);
 *   - every birthday, as a yearly all-day event.
 * As time passes, contacts enter the window without any write: a one-shot
 * timer is armed for the next such moment, but never sooner than
 * TB_CALENDAR_HORIZON_STEP, so the file follows without polling and a
 * large network (a contact entering every few seconds) costs a rebuild an
 * hour, not a rebuild every few seconds.
 *
 * Changes are debounced: tb_calendar_changed() arms one TB_CALENDAR_DELAY_MS
 * timeout (armed only when something changed, so an idle daemon stays
 * idle), and a burst of changes gives one rebuild. The live file is
 * written as it is built into a temporary file beside it (0600), which is
 * fsynced and renamed over it — so memory stays bounded and readers never
 * see half a file — and only when its content, DTSTAMP aside (hashed while
 * writing), differs from what was written last.
 *
 * CalDAV: with caldav-url set, the password comes from caldav-password-file
 * (trailing newline stripped; a file readable by group or others is
 * refused, like ssh keys) or else the Secret Service (asynchronously). The
 * engine's state is kept in the database ("caldav-state") so a restart
 * never re-sends what is there. For tests, TB_CALDAV_BACKOFF_MS=MIN,MAX in
 * the daemon's environment shortens the retry back-off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-config.h"
#include "tb-ical.h"
#include "tb-store.h"

G_BEGIN_DECLS

#define TB_CALENDAR_WINDOW (7 * 24 * 3600)
#define TB_CALENDAR_DELAY_MS 300
#define TB_CALENDAR_HORIZON_STEP 3600

typedef struct _TbCalendar TbCalendar;

/* @store is referenced, not owned; @tz is referenced and
 * tb_calendar_set_time_zone replaces it. Nothing is written or sent until
 * tb_calendar_start(). */
TbCalendar *tb_calendar_new (TbStore *store, GTimeZone *tz);
/* Writes a pending change and saves the CalDAV state first. */
void tb_calendar_free (TbCalendar *calendar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbCalendar, tb_calendar_free)

/* Applies the [calendar] keys of @config (read now, not kept): a new
 * ics-file is written, a changed CalDAV setting restarts the engine. */
void tb_calendar_configure (TbCalendar *calendar, const TbConfig *config);
void tb_calendar_set_time_zone (TbCalendar *calendar, GTimeZone *tz);

/* Begins: writes the live file and starts CalDAV. Called once the bus
 * name is ours, so a second daemon that gives up touches nothing. */
void tb_calendar_start (TbCalendar *calendar);

/* The data changed: rebuild within TB_CALENDAR_DELAY_MS. */
void tb_calendar_changed (TbCalendar *calendar);

/* The whole calendar as iCalendar text (VTODO for touch-bases and
 * follow-ups with @todo), as the live file has it, handed to @write piece
 * by piece as it is built (see tb_ical_write_calendar); FALSE when
 * reading the records or @write failed. */
gboolean tb_calendar_write (TbCalendar *calendar, gboolean todo,
                            TbIcalWriteFunc write, gpointer user_data,
                            GError **error);

/* Adds "ics_file" (s, "" when disabled), "caldav_url" (s, "" when not
 * configured), "caldav_pending", "caldav_last_success" (x) and
 * "caldav_last_error" (s, only when there is one) to @builder (a{sv}). */
void tb_calendar_add_status (TbCalendar *calendar, GVariantBuilder *builder);

G_END_DECLS
