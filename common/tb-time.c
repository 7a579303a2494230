/* tb-time.c — durations and dates as people write them.
 *
 * Everything goes through GDateTime and an explicit GTimeZone: glibc's
 * localtime() stats /etc/localtime on every call and hides the zone from
 * the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-time"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "tb-error.h"
#include "tb-time.h"

typedef struct
{
  const char *name;
  gint64 seconds;
} TbUnit;

/* Every spelling we accept; the first of each size is the canonical one
 * used by tb_duration_format(). */
static const TbUnit units[] = {
  { "y", TB_YEAR },
  { "yr", TB_YEAR },
  { "yrs", TB_YEAR },
  { "year", TB_YEAR },
  { "years", TB_YEAR },
  { "mo", TB_MONTH },
  { "mon", TB_MONTH },
  { "month", TB_MONTH },
  { "months", TB_MONTH },
  { "w", TB_WEEK },
  { "wk", TB_WEEK },
  { "wks", TB_WEEK },
  { "week", TB_WEEK },
  { "weeks", TB_WEEK },
  { "d", TB_DAY },
  { "day", TB_DAY },
  { "days", TB_DAY },
  { "h", TB_HOUR },
  { "hr", TB_HOUR },
  { "hrs", TB_HOUR },
  { "hour", TB_HOUR },
  { "hours", TB_HOUR },
  { "min", TB_MINUTE },
  { "mins", TB_MINUTE },
  { "minute", TB_MINUTE },
  { "minutes", TB_MINUTE },
  { "s", 1 },
  { "sec", 1 },
  { "secs", 1 },
  { "second", 1 },
  { "seconds", 1 },
};

static const TbUnit format_units[] = {
  { "y", TB_YEAR }, { "mo", TB_MONTH },   { "w", TB_WEEK }, { "d", TB_DAY },
  { "h", TB_HOUR }, { "min", TB_MINUTE }, { "s", 1 },
};

static gboolean
lookup_unit (const char *name, gint64 *out_seconds)
{
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (g_ascii_strcasecmp (units[i].name, name) == 0)
        {
          *out_seconds = units[i].seconds;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
tb_duration_parse (const char *text, gint64 *out_seconds, GError **error)
{
  g_autofree char *copy = NULL;
  const char *p;
  guint64 value = 0;
  gint64 unit = TB_DAY;

  g_return_val_if_fail (text != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  p = copy;

  if (*p == '-')
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid duration “%s”: it must be more than zero"),
                   text);
      return FALSE;
    }
  if (!g_ascii_isdigit (*p))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid duration “%s”: expected a whole number and a "
                      "unit (s, min, h, d, w, mo, y) such as 30d"),
                   text);
      return FALSE;
    }

  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = (guint) (*p - '0');

      /* Saturate instead of wrapping: the range check below reports it. */
      if (value > (G_MAXUINT64 - digit) / 10)
        value = G_MAXUINT64;
      else
        value = value * 10 + digit;
    }

  if ((*p == '.' || *p == ',') && g_ascii_isdigit (p[1]))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid duration “%s”: use a whole number, such as "
                      "36h instead of 1.5d"),
                   text);
      return FALSE;
    }

  while (g_ascii_isspace (*p))
    p++;
  /* "2m" is two minutes to some and two months to most: neither is
   * guessed. */
  if (g_ascii_strcasecmp (p, "m") == 0)
    {
      g_autofree char *number = g_strndup (copy, (gsize) (p - copy));

      g_strstrip (number);
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   /* Translators: "use 2mo for 2 months or 2min for 2
                    * minutes"; %2$s is the number typed. */
                   ngettext ("Invalid duration “%1$s”: use %2$smo for %2$s "
                             "month or %2$smin for %2$s minute",
                             "Invalid duration “%1$s”: use %2$smo for %2$s "
                             "months or %2$smin for %2$s minutes",
                             (unsigned long) MIN (value, 1000)),
                   text, number);
      return FALSE;
    }
  if (*p != '\0' && !lookup_unit (p, &unit))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid duration “%s”: unknown unit “%s” (use s, min, "
                      "h, d, w, mo or y)"),
                   text, p);
      return FALSE;
    }

  if (value == 0)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid duration “%s”: it must be more than zero"),
                   text);
      return FALSE;
    }
  if (value > (guint64) (TB_DURATION_MAX / unit))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid duration “%s”: too long (at most %dy)"), text,
                   (int) (TB_DURATION_MAX / TB_YEAR));
      return FALSE;
    }

  if (out_seconds != NULL)
    *out_seconds = (gint64) value * unit;
  return TRUE;
}

char *
tb_duration_format (gint64 seconds)
{
  guint64 magnitude;

  if (seconds == 0)
    return g_strdup ("0s");

  /* Negating G_MININT64 would overflow; go through the unsigned value. */
  magnitude = seconds < 0 ? (guint64) 0 - (guint64) seconds : (guint64) seconds;

  for (gsize i = 0; i < G_N_ELEMENTS (format_units); i++)
    {
      guint64 unit = (guint64) format_units[i].seconds;

      if (magnitude % unit == 0)
        return g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s",
                                seconds < 0 ? "-" : "", magnitude / unit,
                                format_units[i].name);
    }
  g_assert_not_reached ();
}

/* Local dates */

static GTimeZone *
zone_or_local (GTimeZone *tz)
{
  return tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
}

static GDateTime *
local_date_time (gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GTimeZone) zone = zone_or_local (tz);

  if (utc == NULL)
    return NULL;
  return g_date_time_to_timezone (utc, zone);
}

/* The local calendar day of @t; FALSE if @t is outside years 1–9999. */
static gboolean
local_gdate (gint64 t, GTimeZone *tz, GDate *out)
{
  g_autoptr (GDateTime) local = local_date_time (t, tz);
  int y, m, d;

  if (local == NULL)
    return FALSE;
  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

/* The first second of local day @date. When a DST change skips midnight
 * GDateTime moves the wall time forward, which is the day's real start.
 * FALSE for a day GDateTime cannot hold: the day after 9999-12-31, or a
 * local date of the year 10000 that a time just past it has east of
 * UTC. */
static gboolean
gdate_start (const GDate *date, GTimeZone *tz, gint64 *out)
{
  g_autoptr (GTimeZone) zone = zone_or_local (tz);
  g_autoptr (GDateTime) dt
      = g_date_valid (date) ? g_date_time_new (zone, g_date_get_year (date),
                                               g_date_get_month (date),
                                               g_date_get_day (date), 0, 0, 0)
                            : NULL;

  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

gint64
tb_time_day_start (gint64 t, GTimeZone *tz)
{
  GDate date;
  gint64 start;

  if (!local_gdate (t, tz, &date) || !gdate_start (&date, tz, &start))
    return t;
  return start;
}

static gboolean
day_start_offset (gint64 now, GTimeZone *tz, int days, gint64 *out)
{
  GDate date;

  if (!local_gdate (now, tz, &date))
    return FALSE;
  if (days > 0)
    g_date_add_days (&date, (guint) days);
  else if (days < 0)
    {
      /* Before 0001-01-01 there is no day. */
      if (g_date_get_julian (&date) <= (guint) -days)
        return FALSE;
      g_date_subtract_days (&date, (guint) -days);
    }
  return gdate_start (&date, tz, out);
}

gint64
tb_time_next_day_start (gint64 t, GTimeZone *tz)
{
  gint64 start;

  /* Only a time GDate cannot hold (past year 9999) fails: then a day on,
   * or the last time there is (any int64 can come over D-Bus). */
  if (!day_start_offset (t, tz, 1, &start))
    return t > G_MAXINT64 - 24 * TB_HOUR ? G_MAXINT64 : t + 24 * TB_HOUR;
  return start;
}

/* Reads exactly @n digits. */
static gboolean
read_digits (const char **p, int n, int *out)
{
  int value = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = value;
  return TRUE;
}

static gboolean
read_char (const char **p, char c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* "Z", "+HH", "+HHMM" or "+HH:MM"; a new zone in @out_zone. */
static gboolean
read_offset (const char *p, GTimeZone **out_zone)
{
  int sign, hours, minutes = 0;

  if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
    {
      *out_zone = g_time_zone_new_utc ();
      return TRUE;
    }
  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p == '-' ? -1 : 1;
  p++;
  if (!read_digits (&p, 2, &hours))
    return FALSE;
  if (*p != '\0')
    {
      read_char (&p, ':');
      if (!read_digits (&p, 2, &minutes))
        return FALSE;
    }
  if (*p != '\0' || hours > 23 || minutes > 59)
    return FALSE;
  *out_zone = g_time_zone_new_offset (sign * (hours * 3600 + minutes * 60));
  return TRUE;
}

/* "YYYY-MM-DD", then optionally [T ]HH:MM[:SS[.frac]][offset]. */
static gboolean
parse_absolute (const char *text, GTimeZone *tz, gint64 *out)
{
  const char *p = text;
  int year, month, day, hour = 0, minute = 0, second = 0;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) dt = NULL;

  if (!read_digits (&p, 4, &year) || !read_char (&p, '-')
      || !read_digits (&p, 2, &month) || !read_char (&p, '-')
      || !read_digits (&p, 2, &day))
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      if (!read_digits (&p, 2, &hour) || !read_char (&p, ':')
          || !read_digits (&p, 2, &minute))
        return FALSE;
      if (read_char (&p, ':'))
        {
          if (!read_digits (&p, 2, &second))
            return FALSE;
          /* Fractions of a second are dropped: we store whole seconds. */
          if (read_char (&p, '.') || read_char (&p, ','))
            {
              if (!g_ascii_isdigit (*p))
                return FALSE;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (hour > 23 || minute > 59 || second > 59)
        return FALSE;
      if (*p != '\0' && !read_offset (p, &zone))
        return FALSE;
    }
  else if (*p != '\0')
    return FALSE;

  if (zone == NULL)
    zone = zone_or_local (tz);
  dt = g_date_time_new (zone, year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* "-3d", "+2w", "in 2w", "3d ago"; NULL @error and FALSE if @text has none
 * of these shapes, a set @error if it has one but the duration is bad. */
static gboolean
parse_relative (const char *text, gint64 now, gint64 *out, GError **error)
{
  g_autofree char *duration = NULL;
  int sign;
  gint64 seconds;
  gsize len = strlen (text);

  if (text[0] == '-' || text[0] == '+')
    {
      sign = text[0] == '-' ? -1 : 1;
      duration = g_strdup (text + 1);
    }
  else if (g_ascii_strncasecmp (text, "in ", 3) == 0)
    {
      sign = 1;
      duration = g_strdup (text + 3);
    }
  else if (len > 4 && g_ascii_strcasecmp (text + len - 4, " ago") == 0)
    {
      sign = -1;
      duration = g_strndup (text, len - 4);
    }
  else
    return FALSE;

  if (!tb_duration_parse (duration, &seconds, error))
    return FALSE;
  *out = now + sign * seconds;
  return TRUE;
}

gboolean
tb_date_parse (const char *text, GTimeZone *tz, gint64 now, gint64 *out,
               GError **error)
{
  g_autofree char *copy = NULL;
  g_autoptr (GError) local_error = NULL;
  gint64 result;

  g_return_val_if_fail (text != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));

  if (g_ascii_strcasecmp (copy, "now") == 0)
    result = now;
  else if (g_ascii_strcasecmp (copy, "today") == 0)
    result = tb_time_day_start (now, tz);
  else if (g_ascii_strcasecmp (copy, "yesterday") == 0
           && day_start_offset (now, tz, -1, &result))
    ;
  else if (g_ascii_strcasecmp (copy, "tomorrow") == 0
           && day_start_offset (now, tz, 1, &result))
    ;
  else if (parse_absolute (copy, tz, &result))
    ;
  else if (parse_relative (copy, now, &result, &local_error))
    ;
  else if (local_error != NULL)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid date “%s”: %s"), text, local_error->message);
      return FALSE;
    }
  else
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid date “%s”: expected YYYY-MM-DD, "
                      "YYYY-MM-DDTHH:MM, now, today, yesterday, tomorrow or a "
                      "relative time such as -3d or in 2w"),
                   text);
      return FALSE;
    }

  if (out != NULL)
    *out = result;
  return TRUE;
}

/* Birthdays */

static gboolean
birthday_fields (const char *p, int *year, int *month, int *day)
{
  gsize len = strlen (p);

  *year = -1; /* none; 0 is a year GDate refuses */
  if (g_str_has_prefix (p, "--"))
    {
      p += 2;
      if (!read_digits (&p, 2, month))
        return FALSE;
      read_char (&p, '-');
      return read_digits (&p, 2, day) && *p == '\0';
    }
  if (len == 5) /* MM-DD */
    return read_digits (&p, 2, month) && read_char (&p, '-')
           && read_digits (&p, 2, day) && *p == '\0';
  if (len == 8) /* YYYYMMDD */
    return read_digits (&p, 4, year) && read_digits (&p, 2, month)
           && read_digits (&p, 2, day) && *p == '\0';
  return read_digits (&p, 4, year) && read_char (&p, '-')
         && read_digits (&p, 2, month) && read_char (&p, '-')
         && read_digits (&p, 2, day) && *p == '\0';
}

gboolean
tb_birthday_parse (const char *text, char **out_normalized, GError **error)
{
  g_autofree char *copy = NULL;
  int year, month, day;
  gboolean exists;

  g_return_val_if_fail (text != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  if (!birthday_fields (copy, &year, &month, &day))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid birthday “%s”: expected YYYY-MM-DD or --MM-DD"),
                   text);
      return FALSE;
    }

  /* Without a year, check against a leap year so Feb 29 is allowed. */
  exists = g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                             (GDateYear) (year >= 0 ? year : 2000));
  if (!exists)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid birthday “%s”: no such date"), text);
      return FALSE;
    }

  if (out_normalized != NULL)
    *out_normalized = year >= 0
                          ? g_strdup_printf ("%04d-%02d-%02d", year, month, day)
                          : g_strdup_printf ("--%02d-%02d", month, day);
  return TRUE;
}

/* Formatting */

char *
tb_time_format_rfc3339 (gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);

  if (utc == NULL)
    return NULL;
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
tb_time_format_date (gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) local = local_date_time (t, tz);

  if (local == NULL)
    return NULL;
  return g_date_time_format (local, "%Y-%m-%d");
}

char *
tb_time_format_datetime (gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) local = local_date_time (t, tz);

  if (local == NULL)
    return NULL;
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
relative_phrase (gint64 count, const char *singular, const char *plural,
                 gboolean future)
{
  const char *unit = count == 1 ? singular : plural;

  if (future)
    return g_strdup_printf ("in %" G_GINT64_FORMAT " %s", count, unit);
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s ago", count, unit);
}

char *
tb_time_format_relative (gint64 t, gint64 now, GTimeZone *tz)
{
  GDate then_date, now_date;
  gint64 days, magnitude;
  gboolean future;

  /* Calendar days, not 86400-second blocks: 23:00 yesterday is
   * "yesterday" even one hour ago, and DST days are 23 or 25 hours. */
  if (!local_gdate (t, tz, &then_date) || !local_gdate (now, tz, &now_date))
    return tb_time_format_rfc3339 (t);
  days = g_date_days_between (&now_date, &then_date);

  if (days == 0)
    return g_strdup ("today");
  if (days == -1)
    return g_strdup ("yesterday");
  if (days == 1)
    return g_strdup ("tomorrow");

  future = days > 0;
  magnitude = future ? days : -days;

  /* Switch units only where the bigger one reads at least "2":
   * "13 days", then "2 weeks", "2 months", and whole years from 365 days;
   * rounded to the nearer whole unit. */
  if (magnitude < 14)
    return relative_phrase (magnitude, "day", "days", future);
  if (magnitude < 60)
    return relative_phrase ((magnitude + 3) / 7, "week", "weeks", future);
  if (magnitude < 365)
    return relative_phrase ((magnitude + 15) / 30, "month", "months", future);
  return relative_phrase ((magnitude + 182) / 365, "year", "years", future);
}
