/* tb-ical-events.h — the meetings in iCalendar text: the events that
 * happened, each occurrence of a recurring one, as TbFound records. Pure:
 * the window, the user's addresses and the local zone are options, nothing
 * here does I/O (docs/design.md, "Calendar sources").
 *
 * An occurrence is found when
 *   - it started at or after opts->since and ended at or before opts->now;
 *   - its event (or its overridden instance) is not STATUS:CANCELLED;
 *   - the user (an ATTENDEE whose address is one of opts->my_addresses)
 *     did not answer PARTSTAT=DECLINED;
 *   - it has at least one ATTENDEE, and an organizer or attendee other
 *     than the user who did not decline; rooms and resources
 *     (CUTYPE=ROOM/RESOURCE) are no one. An event without attendees is
 *     the user's own entry, not a meeting.
 *
 * Recurrences: RRULE (UNTIL, COUNT, BY...), RDATE (date-times and
 * periods) and EXDATE expand through libical's recurrence iterator; an
 * instance with RECURRENCE-ID replaces the occurrence it names (it may move
 * it, cancel it, or change who comes), also when the master is missing (an
 * invitation to one instance). Caps: one event gives at most
 * TB_ICAL_EVENTS_MAX_OCCURRENCES occurrences in the window, and one rule
 * is followed for at most TB_ICAL_EVENTS_MAX_STEPS occurrences (from the
 * window's start for a rule without COUNT, else from its DTSTART), and
 * all rules of the text for TB_ICAL_EVENTS_MAX_TOTAL_STEPS together; what
 * is cut is counted in TbIcalEventsStats.capped. Text longer
 * than TB_ICAL_EVENTS_MAX_BYTES is refused.
 *
 * Times: a TZID names the calendar's VTIMEZONE, else libical's built-in
 * zone of that name (Olson names; Outlook's Windows names need the
 * VTIMEZONE the file carries); UTC is UTC; floating times and dates are
 * read in opts->local. An all-day event starts at local midnight.
 *
 * Keys: the UID for an event that does not recur; "UID/<start>" for an
 * occurrence, <start> being the occurrence's original start the way
 * RECURRENCE-ID names it: UTC "YYYYMMDDTHHMMSSZ" for zoned and UTC times,
 * "YYYYMMDDTHHMMSS" for floating ones and "YYYYMMDD" for dates, so an
 * overridden instance keeps the key of the occurrence it replaces and a
 * change of the local zone changes no key. An event without a UID gets
 * "nouid-" and a hash of its start and summary.
 *
 * kind: TB_KIND_VIDEO when LOCATION, DESCRIPTION, URL, CONFERENCE or the
 * conference properties of Google and Microsoft hold the URL of a video
 * call service (tb_ical_events_has_video_url), else TB_KIND_MEETING.
 * note: the SUMMARY, valid UTF-8, at most TB_ICAL_EVENTS_MAX_NOTE bytes.
 * addresses: organizer and attendees, "mailto:" in any case stripped (or
 * the EMAIL parameter when the value is no mailto: URI), lower-cased,
 * without duplicates and without the user's own.
 *
 * Memory: the text is cut into its VEVENTs grouped by UID and its
 * VTIMEZONEs, and libical parses one group at a time, never the whole
 * calendar (its tree is about ten times the text).
 *
 * Thread-safe: callers may run it in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-found.h"

G_BEGIN_DECLS

#define TB_ICAL_EVENTS_MAX_BYTES ((gsize) 64 * 1024 * 1024)
#define TB_ICAL_EVENTS_MAX_OCCURRENCES 1000
#define TB_ICAL_EVENTS_MAX_STEPS 100000
#define TB_ICAL_EVENTS_MAX_TOTAL_STEPS ((guint64) 1000000)
#define TB_ICAL_EVENTS_MAX_NOTE 1000

typedef struct
{
  const char *source; /* TbFound.source of every record */
  gint64 since;       /* Unix seconds: occurrences starting before are out */
  gint64 now;         /* Unix seconds: occurrences ending after are out */
  const char *const *my_addresses; /* (nullable): lower-cased */
  /* (nullable): whether an address (lower-cased) is the user's, asked
   * when @my_addresses does not have it */
  gboolean (*is_own) (const char *address, gpointer data);
  gpointer is_own_data;
  GTimeZone *local; /* (nullable): floating times; NULL: the local zone */
} TbIcalEventsOptions;

typedef struct
{
  guint events;      /* VEVENT components read */
  guint occurrences; /* occurrences in the window, before the filters */
  guint cancelled;   /* of those: cancelled */
  guint declined;    /* declined by the user */
  guint alone;       /* no one else (no attendees, or all declined) */
  guint capped;      /* events or rules cut by the caps */
  gint64 next_end;   /* the earliest end after now of an occurrence that
                      * would be found once it ended; 0: none. Reading
                      * again then finds it. */
} TbIcalEventsStats;

/* @text: NUL-terminated iCalendar (one VCALENDAR, several, or bare
 * components), @len its length. Returns (element-type TbFound) (transfer
 * full) in the order of the file, or NULL with TB_ERROR_PARSE when it is
 * no iCalendar at all and TB_ERROR_INVALID_ARGUMENT when it is too long.
 * @stats (nullable) is filled in. */
GPtrArray *tb_ical_events_extract (const char *text, gsize len,
                                   const TbIcalEventsOptions *opts,
                                   TbIcalEventsStats *stats, GError **error);

/* Whether @text holds an http(s) URL of a video call service: Zoom, Google
 * Meet, Microsoft Teams, Jitsi, Whereby, Webex, GoTo, BlueJeans, Chime,
 * Skype, FaceTime, 8x8, Zoho, Around. */
gboolean tb_ical_events_has_video_url (const char *text);

/* @address without "mailto:" (any case), trimmed and lower-cased; NULL
 * when nothing that looks like an e-mail address is left. */
char *tb_ical_events_normalize_address (const char *address);

G_END_DECLS
