/* tb-ical.h — due touch-bases, open follow-ups and birthdays as iCalendar,
 * built with libical from plain records. Pure: the clock and the time zone
 * are options, nothing here does I/O.
 *
 * What becomes a component:
 *   - a contact with due_at != 0 that is not paused: one touch-base, a timed
 *     VEVENT (VTODO with opts->todo) starting at MAX (due_at, snoozed_until),
 *     TB_ICAL_EVENT_MINUTES long;
 *   - a follow-up with done_at == 0: one VEVENT/VTODO at due_at, likewise;
 *   - a tracked contact with a valid birthday: a yearly all-day VEVENT (always a
 *     VEVENT, also with opts->todo). A paused contact keeps its birthday.
 * The caller decides which records to pass (e.g. only contacts due soon).
 *
 * UIDs (stable for the same records; also the CalDAV resource names):
 *   touch-base  "touchbase-<contact uid>"
 *   follow-up   "touchbase-followup-<follow-up id>-<contact uid>"
 *               ("touchbase-followup-<id>" when contact_uid is NULL)
 *   birthday    "touchbase-birthday-<contact uid>"
 *
 * Properties: UID, DTSTAMP (opts->now), SEQUENCE (the record's `sequence`;
 * birthdays 0), SUMMARY naming the person, DESCRIPTION with the context
 * (last contact and how, position, a goal and a need, the link), URL (only
 * http, https, mailto, tel; anything else is left out), CATEGORIES (the
 * tags in one property; ',' ';' '\\' inside a tag become spaces, since
 * libical leaves them unescaped there), and a VALARM (ACTION:DISPLAY) at the
 * start — for a VTODO, which has no DTSTART, at DUE (RELATED=END); for a
 * birthday at 09:00 of the day. Touch-base events are TRANSP:TRANSPARENT so
 * they never block free/busy time.
 *
 * Times: all date-times are UTC ("...Z"), never a TZID, so no VTIMEZONE and
 * none of libical's "/freeassociation.sourceforge.net/" prefixes. Birthdays
 * are DATE values (floating all-day). A birthday with a year starts in its
 * year; one without ("--MM-DD") starts in 2000, a leap year, so "--02-29"
 * exists. Feb 29 birthdays recur on the last day of February
 * (BYMONTH=2;BYMONTHDAY=-1) so they show in common years too.
 *
 * Dates inside DESCRIPTION are local (opts->tz) and absolute, never
 * "3 days ago": a calendar keeps the text for weeks.
 *
 * Text is escaped, folded and CRLF-terminated by libical. Control
 * characters and invalid UTF-8 in contact data are replaced first.
 *
 * Speed: libical is slow per component, so with more than a few
 * thousand records the work is split over worker threads (joined before
 * returning; the records are only read); bench/README.md has the
 * figures. The SEQUENCE
 * contract with the store: bump `sequence` whenever the start moves (due_at
 * or snoozed_until), so clients that honour SEQUENCE take the new time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

#define TB_ICAL_EVENT_MINUTES 15
#define TB_ICAL_PRODID "-//touchbase//touchbase//EN"

typedef struct
{
  gboolean todo; /* touch-bases and follow-ups as VTODO */
  gint64 now;    /* DTSTAMP; Unix seconds */
  GTimeZone
      *tz; /* (nullable): local zone for dates in DESCRIPTION; NULL: UTC */
  gint64 touch_base_until; /* 0: every due contact is a touch-base; else
                            * only those with due_at <= this (the others
                            * still give their birthdays) */
} TbIcalOptions;

/* One CalDAV resource: one UID, one component (with its VCALENDAR). */
typedef struct
{
  char *uid;  /* (owned) */
  char *ics;  /* (owned): a whole VCALENDAR */
  char *hash; /* (owned): SHA-256 of the content without DTSTAMP, so the
               * same records give the same hash at any @now; compare it to
               * what was pushed instead of comparing @ics */
} TbIcalResource;

void tb_ical_resource_free (TbIcalResource *resource);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbIcalResource, tb_ical_resource_free)

/* One whole VCALENDAR with every component, in the order of the arrays
 * (touch-bases and birthdays per contact, then follow-ups). Never NULL. */
char *tb_ical_build_calendar (
    GPtrArray *contacts /* (element-type TbContact) (nullable) */,
    GPtrArray *follow_ups /* (element-type TbFollowUp) (nullable) */,
    const TbIcalOptions *opts);

/* Receives the calendar's text piece by piece, in order; FALSE with
 * @error set stops the writing. */
typedef gboolean (*TbIcalWriteFunc) (const char *data, gsize len,
                                     gpointer user_data, GError **error);

/* The same calendar as tb_ical_build_calendar(), handed to @write as it is
 * built (a batch of components at a time), so memory stays bounded
 * whatever the number of records. Returns: FALSE when @write failed. */
gboolean tb_ical_write_calendar (GPtrArray *contacts /* (nullable) */,
                                 GPtrArray *follow_ups /* (nullable) */,
                                 const TbIcalOptions *opts,
                                 TbIcalWriteFunc write, gpointer user_data,
                                 GError **error);

/* One resource per UID, for CalDAV.
 * Returns: (transfer full) (element-type TbIcalResource) */
GPtrArray *tb_ical_build_resources (GPtrArray *contacts /* (nullable) */,
                                    GPtrArray *follow_ups /* (nullable) */,
                                    const TbIcalOptions *opts);

/* The UIDs above, for callers that need to name a component. */

G_END_DECLS
