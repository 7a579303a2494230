/* tb-time.h — durations and dates as people write them, and as JSON and
 * people read them. Pure functions: the clock and the time zone are
 * arguments, so tests pin them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_MINUTE ((gint64) 60)
#define TB_HOUR ((gint64) 3600)
#define TB_DAY ((gint64) 86400)
#define TB_WEEK (7 * TB_DAY)
#define TB_MONTH (30 * TB_DAY)
#define TB_YEAR (365 * TB_DAY)

/* The longest duration tb_duration_parse() accepts: anything longer is a
 * typo, and keeps every "now + duration" far inside gint64 and GDateTime. */
#define TB_DURATION_MAX (1000 * TB_YEAR)

/* The last second GDateTime, iCalendar and people's calendars can show:
 * 9999-12-31T23:59:59Z. A time past it is refused, not stored. */
#define TB_TIME_MAX G_GINT64_CONSTANT (253402300799)

/* "90s", "45min", "12h", "30d", "2w", "3mo", "1y"; a bare number is days.
 * Also accepts a space before the unit, and upper case; "m" alone is
 * refused with a hint (months are "mo", minutes "min").
 * Also the long forms ("2 weeks", "1 day", "3 months", "10 sec").
 * Zero, negative, fractional and overflowing values are refused, and so
 * is anything above TB_DURATION_MAX
 * (TB_ERROR_INVALID_ARGUMENT, the message quotes @text). */
gboolean tb_duration_parse (const char *text, gint64 *out_seconds,
                            GError **error);

/* The shortest exact spelling in the units above: 604800 -> "1w",
 * 7776000 -> "3mo", 90 -> "90s", 86400*10 -> "10d"; 0 -> "0s", and a
 * negative value gets a leading "-". */
char *tb_duration_format (gint64 seconds);

/* Dates: "YYYY-MM-DD" (local midnight), "YYYY-MM-DDTHH:MM" and
 * "YYYY-MM-DD HH:MM" (local), a full ISO 8601 time with offset,
 * "now", "today" (local midnight), "yesterday", "tomorrow", and relative
 * durations "-3d" / "+2w" / "in 2w" / "3d ago" from @now (exact
 * seconds). Seconds and a fraction are accepted and the fraction dropped.
 * A local time skipped by a DST change becomes the end of the gap
 * (02:30 -> 03:00), an ambiguous one picks one of the two. @tz is the local zone (NULL: the process's local
 * zone, here and below). Words are case-insensitive. */
gboolean tb_date_parse (const char *text, GTimeZone *tz, gint64 now,
                        gint64 *out, GError **error);

/* Birthdays: "YYYY-MM-DD", "YYYYMMDD", "--MM-DD", "--MMDD" and
 * "MM-DD"; normalised to "YYYY-MM-DD" or "--MM-DD". Checks the date
 * exists (Feb 29 is allowed without a year). */
gboolean tb_birthday_parse (const char *text, char **out_normalized,
                            GError **error);

/* RFC 3339 in UTC, "2026-11-28T09:30:00Z". This and the two below return
 * NULL only when @t is outside the years 1 to 9999. */
char *tb_time_format_rfc3339 (gint64 t);

/* Local "2026-11-28" and "2026-11-28 09:30". */
char *tb_time_format_date (gint64 t, GTimeZone *tz);
char *tb_time_format_datetime (gint64 t, GTimeZone *tz);

/* For people: "today", "yesterday", "tomorrow", "3 days ago",
 * "in 2 weeks", "5 months ago", "1 year ago". Counts local calendar days
 * between @now and @t; under 14 days in days, under 60 in weeks, under
 * 365 in months (30 days), then years (365), rounded to the nearer. */
char *tb_time_format_relative (gint64 t, gint64 now, GTimeZone *tz);

/* Start of the local day containing @t (its first existing second when a
 * DST change skips midnight). */
gint64 tb_time_day_start (gint64 t, GTimeZone *tz);

/* Start of the local day after the one containing @t, whatever DST does
 * to the length of that day. */
gint64 tb_time_next_day_start (gint64 t, GTimeZone *tz);

G_END_DECLS
