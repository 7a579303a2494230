/* tb-ical-events.c — the meetings in iCalendar text, with libical's parser
 * and recurrence iterator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-ical-events"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>
#include <string.h>

#include "tb-error.h"
#include "tb-ical-events.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

/* The hosts of video call services; a host matches when it is one of
 * these or ends in "." and one of these (us02web.zoom.us). */
static const char *const video_hosts[] = {
  "zoom.us",
  "zoom.com",
  "zoomgov.com",
  "meet.google.com",
  "hangouts.google.com",
  "teams.microsoft.com",
  "teams.live.com",
  "meet.jit.si",
  "8x8.vc",
  "whereby.com",
  "webex.com",
  "gotomeeting.com",
  "gotomeet.me",
  "meet.goto.com",
  "bluejeans.com",
  "chime.aws",
  "join.skype.com",
  "meet.lync.com",
  "facetime.apple.com",
  "meeting.zoho.com",
  "around.co",
};

static gboolean
host_is_video (const char *host)
{
  gsize len = strlen (host);

  /* Self-hosted Jitsi lives under any name; it nearly always says so. */
  if (strstr (host, "jitsi") != NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (video_hosts); i++)
    {
      gsize n = strlen (video_hosts[i]);

      if (len == n && strcmp (host, video_hosts[i]) == 0)
        return TRUE;
      if (len > n && host[len - n - 1] == '.'
          && strcmp (host + len - n, video_hosts[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
tb_ical_events_has_video_url (const char *text)
{
  const char *p = text;

  if (text == NULL)
    return FALSE;
  while ((p = strstr (p, "://")) != NULL)
    {
      const char *scheme = p;
      const char *host = p + 3;
      const char *end = host;
      g_autofree char *lower = NULL;

      while (scheme > text && g_ascii_isalpha (scheme[-1]))
        scheme--;
      p = host;
      if (!(p - scheme == 7 && g_ascii_strncasecmp (scheme, "http", 4) == 0)
          && !(p - scheme == 8
               && g_ascii_strncasecmp (scheme, "https", 5) == 0))
        continue;
      while (*end != '\0'
             && (g_ascii_isalnum (*end) || *end == '.' || *end == '-'
                 || *end == '@'))
        end++;
      /* user@host: the host follows the last '@'. */
      for (const char *at = host; at < end; at++)
        if (*at == '@')
          host = at + 1;
      if (end == host || end - host > 253)
        continue;
      lower = g_ascii_strdown (host, end - host);
      if (host_is_video (lower))
        return TRUE;
    }
  return FALSE;
}

char *
tb_ical_events_normalize_address (const char *address)
{
  g_autofree char *trimmed = NULL;
  const char *at;

  if (address == NULL)
    return NULL;
  while (g_ascii_isspace (*address))
    address++;
  if (g_ascii_strncasecmp (address, "mailto:", 7) == 0)
    address += 7;
  trimmed = g_strstrip (g_strdup (address));
  at = strchr (trimmed, '@');
  /* Local part and domain, no spaces: enough to tell an address from
   * urn:uuid:... or a bare name. */
  if (at == NULL || at == trimmed || at[1] == '\0'
      || strpbrk (trimmed, " \t\r\n<>") != NULL
      || !g_utf8_validate (trimmed, -1, NULL))
    return NULL;
  return g_utf8_strdown (trimmed, -1);
}

/* Everything read about one component (a master or an overridden
 * instance) that holds for each of its occurrences. */
typedef struct
{
  gboolean ok;
  guint why; /* when !ok: which counter of the stats */
  TbInteractionKind kind;
  char *note;      /* (owned) */
  GStrv addresses; /* (owned) */
  gint64 duration; /* seconds from start to end */
} Verdict;

enum
{
  WHY_CANCELLED = 1,
  WHY_DECLINED,
  WHY_ALONE,
};

static void
verdict_clear (Verdict *v)
{
  g_clear_pointer (&v->note, g_free);
  g_clear_pointer (&v->addresses, g_strfreev);
}

typedef struct
{
  const TbIcalEventsOptions *opts;
  TbIcalEventsStats *stats;
  GTimeZone *local;     /* (owned) */
  GPtrArray *found;     /* (owned) */
  icalcomponent *zones; /* (nullable) the text's VTIMEZONEs, parsed once */
  guint64 steps;        /* recurrence steps over the whole text */
} Ctx;

static icaltimezone *
prop_zone (Ctx *ctx, icalcomponent *comp, icalproperty *prop)
{
  icalparameter *param
      = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  const char *tzid = param != NULL ? icalparameter_get_tzid (param) : NULL;
  icaltimezone *zone = NULL;

  if (tzid == NULL || *tzid == '\0')
    return NULL;
  for (icalcomponent *c = comp; c != NULL && zone == NULL;
       c = icalcomponent_get_parent (c))
    if (icalcomponent_isa (c) == ICAL_VCALENDAR_COMPONENT)
      zone = icalcomponent_get_timezone (c, tzid);
  if (zone == NULL && ctx->zones != NULL)
    zone = icalcomponent_get_timezone (ctx->zones, tzid);
  if (zone == NULL)
    zone = icaltimezone_get_builtin_timezone_from_tzid (tzid);
  if (zone == NULL)
    zone = icaltimezone_get_builtin_timezone (tzid);
  return zone;
}

/* A time as read with its property: the zone it is in (NULL: floating or
 * a date). */
typedef struct
{
  struct icaltimetype t;
  icaltimezone *zone;
} ZTime;

static gboolean
ztime_from_prop (Ctx *ctx, icalcomponent *comp, icalproperty *prop,
                 struct icaltimetype t, ZTime *out)
{
  if (icaltime_is_null_time (t) || !icaltime_is_valid_time (t))
    return FALSE;
  out->t = t;
  out->zone = NULL;
  if (t.is_date)
    return TRUE;
  if (icaltime_is_utc (t))
    out->zone = icaltimezone_get_utc_timezone ();
  else
    out->zone = prop_zone (ctx, comp, prop);
  out->t.zone = out->zone;
  return TRUE;
}

static gboolean
ztime_unix (Ctx *ctx, const ZTime *z, gint64 *out)
{
  const struct icaltimetype *t = &z->t;
  g_autoptr (GDateTime) dt = NULL;

  if (z->zone != NULL && !t->is_date)
    {
      *out = (gint64) icaltime_as_timet_with_zone (*t, z->zone);
      return TRUE;
    }
  dt = g_date_time_new (ctx->local, t->year, t->month, t->day,
                        t->is_date ? 0 : t->hour, t->is_date ? 0 : t->minute,
                        t->is_date ? 0 : t->second);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* The key part of an occurrence's original start, as RECURRENCE-ID names
 * it (see the header). */
static char *
ztime_key (Ctx *ctx, const ZTime *z)
{
  const struct icaltimetype *t = &z->t;
  gint64 unix_time;
  g_autoptr (GDateTime) dt = NULL;

  if (t->is_date)
    return g_strdup_printf ("%04d%02d%02d", t->year, t->month, t->day);
  if (z->zone == NULL)
    return g_strdup_printf ("%04d%02d%02dT%02d%02d%02d", t->year, t->month,
                            t->day, t->hour, t->minute, t->second);
  if (!ztime_unix (ctx, z, &unix_time))
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_time);
  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
}

static gboolean
is_mine (Ctx *ctx, const char *address)
{
  if (ctx->opts->my_addresses != NULL
      && g_strv_contains (ctx->opts->my_addresses, address))
    return TRUE;
  return ctx->opts->is_own != NULL
         && ctx->opts->is_own (address, ctx->opts->is_own_data);
}

static char *
prop_address (icalproperty *prop)
{
  icalparameter *email;
  char *address = tb_ical_events_normalize_address (
      icalproperty_get_value_as_string (prop));

  if (address != NULL)
    return address;
  email = icalproperty_get_first_parameter (prop, ICAL_EMAIL_PARAMETER);
  if (email != NULL)
    return tb_ical_events_normalize_address (icalparameter_get_email (email));
  return NULL;
}

static gboolean
text_has_video (icalcomponent *comp)
{
  for (icalproperty *p
       = icalcomponent_get_first_property (comp, ICAL_ANY_PROPERTY);
       p != NULL; p = icalcomponent_get_next_property (comp, ICAL_ANY_PROPERTY))
    {
      icalproperty_kind kind = icalproperty_isa (p);
      const char *value = NULL;

      if (kind == ICAL_LOCATION_PROPERTY)
        value = icalproperty_get_location (p);
      else if (kind == ICAL_DESCRIPTION_PROPERTY)
        value = icalproperty_get_description (p);
      else if (kind == ICAL_URL_PROPERTY || kind == ICAL_CONFERENCE_PROPERTY)
        value = icalproperty_get_value_as_string (p);
      else if (kind == ICAL_X_PROPERTY)
        {
          const char *name = icalproperty_get_x_name (p);

          if (name != NULL
              && (g_ascii_strcasecmp (name, "X-GOOGLE-CONFERENCE") == 0
                  || g_ascii_strcasecmp (name,
                                         "X-MICROSOFT-SKYPETEAMSMEETINGURL")
                         == 0
                  || g_ascii_strcasecmp (name,
                                         "X-MICROSOFT-ONLINEMEETINGCONFLINK")
                         == 0))
            value = icalproperty_get_x (p);
        }
      if (tb_ical_events_has_video_url (value))
        return TRUE;
    }
  return FALSE;
}

static char *
clean_note (const char *summary)
{
  g_autofree char *valid = NULL;
  const char *end;

  if (summary == NULL || *summary == '\0')
    return NULL;
  valid = g_utf8_make_valid (summary, -1);
  if (strlen (valid) <= TB_ICAL_EVENTS_MAX_NOTE)
    return g_strstrip (g_steal_pointer (&valid));
  end = g_utf8_find_prev_char (valid, valid + TB_ICAL_EVENTS_MAX_NOTE + 1);
  return g_strstrip (g_strndup (valid, end - valid));
}

/* Start and duration of @comp; FALSE when it has no usable DTSTART. */
static gboolean
comp_start (Ctx *ctx, icalcomponent *comp, ZTime *start, gint64 *duration)
{
  icalproperty *prop
      = icalcomponent_get_first_property (comp, ICAL_DTSTART_PROPERTY);
  icalproperty *end_prop;
  gint64 s, e;

  if (prop == NULL
      || !ztime_from_prop (ctx, comp, prop, icalproperty_get_dtstart (prop),
                           start)
      || !ztime_unix (ctx, start, &s))
    return FALSE;
  *duration = start->t.is_date ? 24 * 3600 : 0;
  end_prop = icalcomponent_get_first_property (comp, ICAL_DTEND_PROPERTY);
  if (end_prop != NULL)
    {
      ZTime end;

      if (ztime_from_prop (ctx, comp, end_prop,
                           icalproperty_get_dtend (end_prop), &end)
          && ztime_unix (ctx, &end, &e) && e >= s)
        *duration = e - s;
    }
  else if ((end_prop
            = icalcomponent_get_first_property (comp, ICAL_DURATION_PROPERTY))
           != NULL)
    {
      struct icaldurationtype d = icalproperty_get_duration (end_prop);
      int secs = icaldurationtype_as_int (d);

      if (!icaldurationtype_is_bad_duration (d) && secs >= 0)
        *duration = secs;
    }
  return TRUE;
}

static void
judge (Ctx *ctx, icalcomponent *comp, Verdict *v)
{
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  gboolean any_attendee = FALSE;
  icalproperty *prop;

  memset (v, 0, sizeof *v);
  if (icalcomponent_get_status (comp) == ICAL_STATUS_CANCELLED)
    {
      v->why = WHY_CANCELLED;
      return;
    }
  for (prop = icalcomponent_get_first_property (comp, ICAL_ATTENDEE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (comp, ICAL_ATTENDEE_PROPERTY))
    {
      g_autofree char *address = prop_address (prop);
      icalparameter *ps
          = icalproperty_get_first_parameter (prop, ICAL_PARTSTAT_PARAMETER);
      icalparameter *cu
          = icalproperty_get_first_parameter (prop, ICAL_CUTYPE_PARAMETER);
      gboolean declined
          = ps != NULL
            && icalparameter_get_partstat (ps) == ICAL_PARTSTAT_DECLINED;

      any_attendee = TRUE;
      if (address == NULL)
        continue;
      if (is_mine (ctx, address))
        {
          if (declined)
            {
              v->why = WHY_DECLINED;
              return;
            }
          continue;
        }
      if (declined
          || (cu != NULL
              && (icalparameter_get_cutype (cu) == ICAL_CUTYPE_ROOM
                  || icalparameter_get_cutype (cu) == ICAL_CUTYPE_RESOURCE)))
        continue;
      if (!g_ptr_array_find_with_equal_func (addresses, address, g_str_equal,
                                             NULL))
        g_ptr_array_add (addresses, g_steal_pointer (&address));
    }
  prop = icalcomponent_get_first_property (comp, ICAL_ORGANIZER_PROPERTY);
  if (prop != NULL && any_attendee)
    {
      g_autofree char *address = prop_address (prop);

      if (address != NULL && !is_mine (ctx, address)
          && !g_ptr_array_find_with_equal_func (addresses, address, g_str_equal,
                                                NULL))
        g_ptr_array_insert (addresses, 0, g_steal_pointer (&address));
    }
  if (addresses->len == 0)
    {
      v->why = WHY_ALONE;
      return;
    }
  g_ptr_array_add (addresses, NULL);
  v->ok = TRUE;
  v->addresses = (GStrv) g_ptr_array_steal (addresses, NULL);
  v->note = clean_note (icalcomponent_get_summary (comp));
  v->kind = text_has_video (comp) ? TB_KIND_VIDEO : TB_KIND_MEETING;
}

static void
count_rejected (Ctx *ctx, const Verdict *v)
{
  if (v->why == WHY_CANCELLED)
    ctx->stats->cancelled++;
  else if (v->why == WHY_DECLINED)
    ctx->stats->declined++;
  else if (v->why == WHY_ALONE)
    ctx->stats->alone++;
}

/* An occurrence that will have ended at @end: the caller reads again
 * then. */
static void
note_pending (Ctx *ctx, gint64 end, const Verdict *v)
{
  if (v->ok && (ctx->stats->next_end == 0 || end < ctx->stats->next_end))
    ctx->stats->next_end = end;
}

/* One occurrence that starts at @start and lasts @duration: a TbFound when
 * it is in the window and @v lets it through. */
static void
emit (Ctx *ctx, const char *key, gint64 start, gint64 duration,
      const Verdict *v)
{
  TbFound *found;

  if (start < ctx->opts->since)
    return;
  if (start > ctx->opts->now - duration)
    {
      note_pending (ctx, start + duration, v);
      return;
    }
  ctx->stats->occurrences++;
  if (!v->ok)
    {
      count_rejected (ctx, v);
      return;
    }
  found = g_new0 (TbFound, 1);
  found->source = g_strdup (ctx->opts->source);
  found->key = g_strdup (key);
  found->at = start;
  found->kind = v->kind;
  found->note = g_strdup (v->note);
  found->addresses = g_strdupv (v->addresses);
  g_ptr_array_add (ctx->found, found);
}

typedef struct
{
  char *uid;                 /* (owned) */
  icalcomponent *master;     /* (nullable) borrowed */
  GHashTable *overrides;     /* (owned) key part -> icalcomponent */
  GPtrArray *override_order; /* (owned) key parts, in file order */
} Group;

static void
group_free (Group *g)
{
  g_free (g->uid);
  g_hash_table_unref (g->overrides);
  g_ptr_array_unref (g->override_order);
  g_free (g);
}

static char *
synthetic_uid (icalcomponent *comp)
{
  icalproperty *start
      = icalcomponent_get_first_property (comp, ICAL_DTSTART_PROPERTY);
  const char *summary = icalcomponent_get_summary (comp);
  g_autofree char *text = g_strdup_printf (
      "%s\n%s", start != NULL ? icalproperty_get_value_as_string (start) : "",
      summary != NULL ? summary : "");
  g_autofree char *hash
      = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return g_strdup_printf ("nouid-%.16s", hash);
}

static gboolean
is_recurring (icalcomponent *comp)
{
  return icalcomponent_get_first_property (comp, ICAL_RRULE_PROPERTY) != NULL
         || icalcomponent_get_first_property (comp, ICAL_RDATE_PROPERTY)
                != NULL;
}

/* An occurrence of the master at @occ (original start): the override
 * that replaces it, or the master itself. */
static void
master_occurrence (Ctx *ctx, Group *g, const ZTime *occ, gint64 duration,
                   const Verdict *v, GHashTable *seen, GHashTable *exdates,
                   guint *count, gboolean *capped)
{
  g_autofree char *part = ztime_key (ctx, occ);
  g_autofree char *key = NULL;
  gint64 start;

  if (part == NULL || g_hash_table_contains (seen, part)
      || g_hash_table_contains (exdates, part)
      || g_hash_table_contains (g->overrides, part)
      || !ztime_unix (ctx, occ, &start))
    return;
  if (start < ctx->opts->since)
    return;
  if (start > ctx->opts->now - duration)
    {
      note_pending (ctx, start + duration, v);
      return;
    }
  if (*count >= TB_ICAL_EVENTS_MAX_OCCURRENCES)
    {
      *capped = TRUE;
      return;
    }
  (*count)++;
  g_hash_table_add (seen, g_strdup (part));
  key = g_strconcat (g->uid, "/", part, NULL);
  emit (ctx, key, start, duration, v);
}

static void
read_exdates (Ctx *ctx, icalcomponent *master, GHashTable *exdates)
{
  for (icalproperty *p
       = icalcomponent_get_first_property (master, ICAL_EXDATE_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (master, ICAL_EXDATE_PROPERTY))
    {
      ZTime z;
      char *part;

      if (!ztime_from_prop (ctx, master, p, icalproperty_get_exdate (p), &z))
        continue;
      part = ztime_key (ctx, &z);
      if (part != NULL)
        g_hash_table_add (exdates, part);
    }
}

/* @t (Unix seconds) as a time like @like: in its zone, or local wall
 * clock for a floating time, a date for a date. */
static struct icaltimetype
ztime_from_unix (Ctx *ctx, gint64 t, const ZTime *like)
{
  struct icaltimetype out;
  g_autoptr (GDateTime) dt = NULL;

  if (like->zone != NULL && !like->t.is_date)
    return icaltime_from_timet_with_zone ((time_t) t, 0, like->zone);
  dt = g_date_time_new_from_unix_local (t);
  if (dt != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_timezone (dt, ctx->local);

      g_clear_pointer (&dt, g_date_time_unref);
      dt = g_steal_pointer (&local);
    }
  out = icaltime_null_time ();
  if (dt == NULL)
    return out;
  out.year = g_date_time_get_year (dt);
  out.month = g_date_time_get_month (dt);
  out.day = g_date_time_get_day_of_month (dt);
  out.is_date = like->t.is_date;
  if (!out.is_date)
    {
      out.hour = g_date_time_get_hour (dt);
      out.minute = g_date_time_get_minute (dt);
      out.second = g_date_time_get_second (dt);
    }
  return out;
}

/* A rule without COUNT that began long before the window starts its
 * iterator near the window's start (a day before, for safety), not at
 * DTSTART: a daily meeting since 2010 costs the window's steps, not
 * 6,000. With COUNT, libical must count from DTSTART; the step caps
 * bound it. */
static void
skip_to_window (Ctx *ctx, icalrecur_iterator *it,
                const struct icalrecurrencetype *rule, const ZTime *start,
                gint64 duration)
{
  gint64 begin, from = ctx->opts->since - duration - 24 * 3600;
  struct icaltimetype t;

  if (rule->count != 0 || !ztime_unix (ctx, start, &begin) || begin >= from)
    return;
  /* libical 3.0 loses the phase of an INTERVAL under a day when started
   * elsewhere (every 7 hours from DTSTART became every 7 hours from the
   * new start; tests/unit/test-ical-events.c); those follow from DTSTART,
   * within the step caps. */
  if ((rule->freq == ICAL_HOURLY_RECURRENCE
       || rule->freq == ICAL_MINUTELY_RECURRENCE
       || rule->freq == ICAL_SECONDLY_RECURRENCE)
      && rule->interval > 1)
    return;
  t = ztime_from_unix (ctx, from, start);
  if (!icaltime_is_null_time (t))
    icalrecur_iterator_set_start (it, t);
}

static void
expand_master (Ctx *ctx, Group *g)
{
  icalcomponent *master = g->master;
  g_autoptr (GHashTable) seen
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) exdates
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Verdict v;
  ZTime start;
  gint64 duration;
  guint count = 0;
  gboolean capped = FALSE;

  if (!comp_start (ctx, master, &start, &duration))
    return;
  judge (ctx, master, &v);
  v.duration = duration;
  read_exdates (ctx, master, exdates);

  /* DTSTART is the first instance, whether or not the rule yields it. */
  master_occurrence (ctx, g, &start, duration, &v, seen, exdates, &count,
                     &capped);

  for (icalproperty *p
       = icalcomponent_get_first_property (master, ICAL_RRULE_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (master, ICAL_RRULE_PROPERTY))
    {
      struct icalrecurrencetype rule = icalproperty_get_rrule (p);
      icalrecur_iterator *it;
      guint steps = 0, future = 0;

      if (rule.freq == ICAL_NO_RECURRENCE)
        continue;
      it = icalrecur_iterator_new (rule, start.t);
      if (it == NULL)
        continue;
      skip_to_window (ctx, it, &rule, &start, duration);
      for (;;)
        {
          ZTime occ = { icalrecur_iterator_next (it), start.zone };
          gint64 t;

          if (icaltime_is_null_time (occ.t))
            break;
          if (++steps > TB_ICAL_EVENTS_MAX_STEPS
              || ++ctx->steps > TB_ICAL_EVENTS_MAX_TOTAL_STEPS)
            {
              capped = TRUE;
              break;
            }
          occ.t.zone = start.zone;
          occ.t.is_date = start.t.is_date;
          if (!ztime_unix (ctx, &occ, &t))
            break;
          /* Past now, only the next end is of use: the first occurrence
           * that is not left out gives it. */
          if (t > ctx->opts->now
              && ((ctx->stats->next_end != 0 && ctx->stats->next_end <= t)
                  || ++future > 64))
            break;
          master_occurrence (ctx, g, &occ, duration, &v, seen, exdates, &count,
                             &capped);
          if (capped)
            break;
        }
      icalrecur_iterator_free (it);
    }

  for (icalproperty *p
       = icalcomponent_get_first_property (master, ICAL_RDATE_PROPERTY);
       p != NULL && !capped;
       p = icalcomponent_get_next_property (master, ICAL_RDATE_PROPERTY))
    {
      struct icaldatetimeperiodtype rdate = icalproperty_get_rdate (p);
      gboolean is_period = !icaltime_is_null_time (rdate.period.start);
      struct icaltimetype t = is_period ? rdate.period.start : rdate.time;
      gint64 d = duration;
      ZTime occ;

      if (!ztime_from_prop (ctx, master, p, t, &occ))
        continue;
      if (is_period)
        {
          ZTime end;
          gint64 s, e;

          if (!icaltime_is_null_time (rdate.period.end)
              && ztime_from_prop (ctx, master, p, rdate.period.end, &end)
              && ztime_unix (ctx, &occ, &s) && ztime_unix (ctx, &end, &e)
              && e >= s)
            d = e - s;
          else if (!icaldurationtype_is_null_duration (rdate.period.duration))
            d = MAX (0, icaldurationtype_as_int (rdate.period.duration));
        }
      master_occurrence (ctx, g, &occ, d, &v, seen, exdates, &count, &capped);
    }

  if (capped)
    {
      ctx->stats->capped++;
      g_message ("Event %s recurs too often; counting %u of its occurrences",
                 g->uid, count);
    }
  verdict_clear (&v);
}

static void
one_component (Ctx *ctx, icalcomponent *comp, const char *key)
{
  Verdict v;
  ZTime start;
  gint64 duration, t;

  if (!comp_start (ctx, comp, &start, &duration)
      || !ztime_unix (ctx, &start, &t))
    return;
  judge (ctx, comp, &v);
  emit (ctx, key, t, duration, &v);
  verdict_clear (&v);
}

static void
collect (Ctx *ctx, icalcomponent *parent, GHashTable *groups, GPtrArray *order)
{
  for (icalcomponent *c
       = icalcomponent_get_first_component (parent, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (parent, ICAL_ANY_COMPONENT))
    {
      icalcomponent_kind kind = icalcomponent_isa (c);
      icalproperty *rid;
      const char *uid_value;
      g_autofree char *uid = NULL;
      Group *g;

      if (kind == ICAL_VCALENDAR_COMPONENT || kind == ICAL_XROOT_COMPONENT)
        {
          collect (ctx, c, groups, order);
          continue;
        }
      if (kind != ICAL_VEVENT_COMPONENT)
        continue;
      ctx->stats->events++;
      uid_value = icalcomponent_get_uid (c);
      uid = uid_value != NULL && *uid_value != '\0'
                ? g_utf8_make_valid (uid_value, -1)
                : synthetic_uid (c);
      g = g_hash_table_lookup (groups, uid);
      if (g == NULL)
        {
          g = g_new0 (Group, 1);
          g->uid = g_strdup (uid);
          g->overrides
              = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g->override_order = g_ptr_array_new ();
          g_hash_table_insert (groups, g->uid, g);
          g_ptr_array_add (order, g);
        }
      rid = icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY);
      if (rid != NULL)
        {
          ZTime z;
          char *part;

          if (!ztime_from_prop (ctx, c, rid,
                                icalproperty_get_recurrenceid (rid), &z)
              || (part = ztime_key (ctx, &z)) == NULL)
            continue;
          /* A later copy of the same instance wins, as in a feed; the
           * key stays the first copy's, which the order points to. */
          if (!g_hash_table_contains (g->overrides, part))
            g_ptr_array_add (g->override_order, part);
          g_hash_table_insert (g->overrides, part, c);
        }
      else if (g->master == NULL)
        g->master = c;
    }
}

/* The text is read one UID at a time: it is cut into its VEVENTs
 * (grouped by UID, so a master and its overridden instances are read
 * together) and VTIMEZONEs (parsed once), each group parsed and read on
 * its own and freed. libical's tree of a whole calendar is about ten
 * times its text; this way only one event's is held at a time. */

typedef struct
{
  GArray *spans; /* (owned) of Span: where its VEVENTs are in the text */
} Chunk;

typedef struct
{
  gsize start, len;
  gboolean open; /* the text ends before its END:VEVENT */
} Span;

static void
chunk_free (Chunk *c)
{
  g_array_unref (c->spans);
  g_free (c);
}

static gboolean
name_is (const char *name, gsize n, const char *what)
{
  gsize w = strlen (what);

  while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
    n--;
  return n == w && g_ascii_strncasecmp (name, what, w) == 0;
}

/* The line at @p (without its end), and where the next one starts. */
static gsize
line_at (const char *p, const char *end, const char **next)
{
  const char *eol = memchr (p, '\n', end - p);
  gsize n = (eol != NULL ? eol : end) - p;

  *next = eol != NULL ? eol + 1 : end;
  if (n > 0 && p[n - 1] == '\r')
    n--;
  return n;
}

static void
add_span (GHashTable *by_uid, GPtrArray *chunks, char *uid, gsize start,
          gsize len, gboolean open)
{
  Span span = { start, len, open };
  Chunk *c = uid != NULL ? g_hash_table_lookup (by_uid, uid) : NULL;

  if (c == NULL)
    {
      c = g_new0 (Chunk, 1);
      c->spans = g_array_new (FALSE, FALSE, sizeof (Span));
      g_ptr_array_add (chunks, c);
      /* Events without a UID stay apart: each is its own. */
      if (uid != NULL)
        g_hash_table_insert (by_uid, g_steal_pointer (&uid), c);
    }
  g_array_append_val (c->spans, span);
  g_free (uid);
}

/* Cuts @text into @chunks (element-type Chunk) and the VTIMEZONEs into
 * @zones; FALSE when it holds neither a VCALENDAR nor a VEVENT. Lines
 * that begin with BEGIN: or END: are always component bounds: text
 * values escape their line breaks, and a folded line begins with a
 * blank. */
static gboolean
split_text (const char *text, gsize len, GString *zones, GPtrArray *chunks)
{
  g_autoptr (GHashTable) by_uid
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = text, *end = text + len, *block = NULL;
  enum
  {
    OUTSIDE,
    IN_EVENT,
    IN_ZONE
  } in
      = OUTSIDE;
  guint depth = 0;
  char *uid = NULL;
  gboolean any = FALSE;

  while (p < end)
    {
      const char *next;
      gsize n = line_at (p, end, &next);

      if (n > 6 && g_ascii_strncasecmp (p, "BEGIN:", 6) == 0)
        {
          if (in != OUTSIDE)
            depth++;
          else if (name_is (p + 6, n - 6, "VCALENDAR"))
            any = TRUE;
          else if (name_is (p + 6, n - 6, "VEVENT"))
            {
              in = IN_EVENT;
              block = p;
              depth = 1;
              any = TRUE;
            }
          else if (name_is (p + 6, n - 6, "VTIMEZONE"))
            {
              in = IN_ZONE;
              block = p;
              depth = 1;
            }
        }
      else if (n > 4 && in != OUTSIDE && g_ascii_strncasecmp (p, "END:", 4) == 0
               && --depth == 0)
        {
          if (in == IN_ZONE)
            {
              g_string_append_len (zones, block, next - block);
              if (next[-1] != '\n')
                g_string_append (zones, "\r\n");
            }
          else
            add_span (by_uid, chunks, g_steal_pointer (&uid), block - text,
                      next - block, FALSE);
          in = OUTSIDE;
        }
      else if (in == IN_EVENT && depth == 1 && uid == NULL && n > 4
               && g_ascii_strncasecmp (p, "UID", 3) == 0
               && (p[3] == ':' || p[3] == ';'))
        {
          /* The event's own UID (a VALARM's, RFC 9074, is deeper),
           * unfolded. */
          const char *colon = memchr (p, ':', n);
          GString *value = g_string_new_len (colon + 1, p + n - colon - 1);
          const char *q = next;

          while (q < end && (*q == ' ' || *q == '\t'))
            {
              const char *after;
              gsize m = line_at (q, end, &after);

              g_string_append_len (value, q + 1, m > 0 ? m - 1 : 0);
              q = after;
            }
          uid = g_string_free (value, FALSE);
        }
      p = next;
    }
  /* A last VEVENT cut short: libical reads what it can of it. */
  if (in == IN_EVENT)
    add_span (by_uid, chunks, g_steal_pointer (&uid), block - text, end - block,
              TRUE);
  g_free (uid);
  return any;
}

static void
read_root (Ctx *ctx, icalcomponent *root)
{
  g_autoptr (GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order
      = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);

  collect (ctx, root, groups, order);
  for (guint i = 0; i < order->len; i++)
    {
      Group *g = order->pdata[i];

      if (g->master != NULL && is_recurring (g->master))
        expand_master (ctx, g);
      else if (g->master != NULL)
        one_component (ctx, g->master, g->uid);
      for (guint j = 0; j < g->override_order->len; j++)
        {
          const char *part = g->override_order->pdata[j];
          g_autofree char *key = g_strconcat (g->uid, "/", part, NULL);

          one_component (ctx, g_hash_table_lookup (g->overrides, part), key);
        }
    }
}

GPtrArray *
tb_ical_events_extract (const char *text, gsize len,
                        const TbIcalEventsOptions *opts,
                        TbIcalEventsStats *stats, GError **error)
{
  g_autoptr (GPtrArray) chunks = NULL;
  g_autoptr (GString) zones = NULL;
  g_autoptr (GString) one = NULL;
  TbIcalEventsStats local_stats = { 0 };
  Ctx ctx = { 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (opts != NULL, NULL);

  if (len > TB_ICAL_EVENTS_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (len);
      g_autofree char *max = g_format_size (TB_ICAL_EVENTS_MAX_BYTES);

      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("The calendar is too large (%s; at most %s)"), size, max);
      return NULL;
    }
  chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) chunk_free);
  zones = g_string_new ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
  if (!split_text (text, len, zones, chunks))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                   _ ("This is no iCalendar data"));
      return NULL;
    }
  g_string_append (zones, "END:VCALENDAR\r\n");

  ctx.opts = opts;
  ctx.stats = stats != NULL ? stats : &local_stats;
  memset (ctx.stats, 0, sizeof *ctx.stats);
  ctx.local = opts->local != NULL ? g_time_zone_ref (opts->local)
                                  : g_time_zone_new_local ();
  ctx.found = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_found_free);
  ctx.zones = icalparser_parse_string (zones->str);

  one = g_string_new (NULL);
  for (guint i = 0; i < chunks->len; i++)
    {
      Chunk *c = chunks->pdata[i];
      icalcomponent *root;

      g_string_assign (one, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
      for (guint j = 0; j < c->spans->len; j++)
        {
          Span *span = &g_array_index (c->spans, Span, j);

          g_string_append_len (one, text + span->start, span->len);
          if (text[span->start + span->len - 1] != '\n')
            g_string_append (one, "\r\n");
          if (span->open)
            g_string_append (one, "END:VEVENT\r\n");
        }
      g_string_append (one, "END:VCALENDAR\r\n");
      root = icalparser_parse_string (one->str);
      if (root == NULL)
        continue;
      read_root (&ctx, root);
      icalcomponent_free (root);
    }
  g_clear_pointer (&ctx.zones, icalcomponent_free);
  g_time_zone_unref (ctx.local);
  return ctx.found;
}
