/* tb-ical.c — iCalendar from plain records, with libical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-ical"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>
#include <string.h>

#include "tb-ical.h"
#include "tb-uri.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

void
tb_ical_resource_free (TbIcalResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->uid);
  g_free (resource->ics);
  g_free (resource->hash);
  g_free (resource);
}

static gboolean
is_clean (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar ch = (guchar) *p;

      if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
        return FALSE;
    }
  return g_utf8_validate (text, -1, NULL);
}

/* Contact data is untrusted: make it valid UTF-8, turn CR LF and lone CR
 * into LF (libical escapes LF as "\n") and drop the other control
 * characters, which iCalendar TEXT does not allow. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (is_clean (text))
    return g_strdup (text);
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar ch = (guchar) *p;

      if (ch == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else if (ch == '\n' || ch == '\t')
        g_string_append_c (out, (char) ch);
      else if (ch < 0x20 || ch == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, (char) ch);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

static const char *
display_name (const TbContact *contact)
{
  return is_set (contact->name) ? contact->name : "someone";
}

static char *
tb_ical_touch_base_uid (const TbContact *contact)
{
  g_autofree char *uid = clean_text (contact->uid);

  return g_strconcat ("touchbase-", uid, NULL);
}

static char *
tb_ical_birthday_uid (const TbContact *contact)
{
  g_autofree char *uid = clean_text (contact->uid);

  return g_strconcat ("touchbase-birthday-", uid, NULL);
}

static char *
tb_ical_follow_up_uid (const TbFollowUp *follow_up)
{
  g_autofree char *uid = NULL;

  if (!is_set (follow_up->contact_uid))
    return g_strdup_printf ("touchbase-followup-%" G_GINT64_FORMAT,
                            follow_up->id);
  uid = clean_text (follow_up->contact_uid);
  return g_strdup_printf ("touchbase-followup-%" G_GINT64_FORMAT "-%s",
                          follow_up->id, uid);
}

static struct icaltimetype
utc_time (gint64 t)
{
  return icaltime_from_timet_with_zone ((time_t) t, 0,
                                        icaltimezone_get_utc_timezone ());
}

/* "YYYY-MM-DD" of @t in @tz into @out, or "?" outside years 1 to 9999.
 * By hand from the zone's offset rather than with GDateTime, and without
 * printf: this runs for every component, and formatting cost more than
 * the rest of the description. */
static void
format_local_date (gint64 t, GTimeZone *tz, char out[static 11])
{
  gint64 days;
  GDate date;
  guint parts[3];
  char *p = out;

  if (tz != NULL)
    {
      int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);

      if (interval >= 0)
        t += g_time_zone_get_offset (tz, interval);
    }
  /* Day 1 of GDate's Julian count is 0001-01-01, 719163 days before the
   * epoch. */
  days = (t >= 0 ? t / 86400 : (t - 86399) / 86400) + 719163;
  if (days < 1 || days > G_MAXUINT32)
    {
      strcpy (out, "?");
      return;
    }
  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) days);
  parts[0] = g_date_get_year (&date);
  parts[1] = g_date_get_month (&date);
  parts[2] = g_date_get_day (&date);
  if (parts[0] > 9999)
    {
      strcpy (out, "?");
      return;
    }
  for (guint i = 0; i < 3; i++)
    {
      guint width = i == 0 ? 4 : 2;
      guint v = parts[i];

      if (i > 0)
        *p++ = '-';
      for (guint k = width; k > 0; k--)
        {
          p[k - 1] = (char) ('0' + v % 10);
          v /= 10;
        }
      p += width;
    }
  *p = '\0';
}

/* Appends the translated @sentence with each "%s" replaced by the next of
 * @values in turn, then a newline. A sentence is translated whole, so a
 * language may order its words as it needs; the substitution is done by
 * hand for the same reason as format_local_date. */
static void
append_sentence (GString *out, const char *sentence, const char *const *values)
{
  const char *p = sentence;
  const char *mark;

  while ((mark = strstr (p, "%s")) != NULL && *values != NULL)
    {
      g_string_append_len (out, p, mark - p);
      g_string_append (out, *values++);
      p = mark + 2;
    }
  g_string_append (out, p);
  g_string_append_c (out, '\n');
}

static const char *
first_fact (const TbContact *contact, TbFactKind kind)
{
  if (contact->facts == NULL)
    return NULL;
  for (guint i = 0; i < contact->facts->len; i++)
    {
      const TbFact *fact = g_ptr_array_index (contact->facts, i);

      if (fact->kind == kind && is_set (fact->text))
        return fact->text;
    }
  return NULL;
}

/* @sentence with @value, when @value is not NULL. */
static void
append_fact (GString *desc, const char *sentence, const char *value)
{
  if (value != NULL)
    append_sentence (desc, sentence, (const char *const[]){ value, NULL });
}

/* The context a person wants before reaching out: when and how you were
 * last in touch, who they are, what to ask about, where to find them. */
static void
append_context (GString *desc, const TbContact *contact,
                const TbIcalOptions *opts)
{
  const char *goal = first_fact (contact, TB_FACT_GOAL);
  const char *need = first_fact (contact, TB_FACT_NEED);
  char date[11];

  if (contact->last_interaction_at != 0)
    {
      const char *kind
          = tb_interaction_kind_to_string (contact->last_interaction_kind);

      format_local_date (contact->last_interaction_at, opts->tz, date);
      /* TRANSLATORS: the date of the last conversation, then its kind
       * (call, video, meeting, coffee…) as typed on the command line */
      append_sentence (
          desc, _ ("Last contact: %s (%s)"),
          (const char *const[]){ date, kind != NULL ? kind : "other", NULL });
    }
  else if (contact->connected_on != 0)
    {
      format_local_date (contact->connected_on, opts->tz, date);
      append_sentence (desc, _ ("Connected on %s; never talked yet"),
                       (const char *const[]){ date, NULL });
    }
  else
    append_sentence (desc, _ ("Never talked yet"),
                     (const char *const[]){ NULL });

  if (is_set (contact->position) && is_set (contact->company))
    {
      /* TRANSLATORS: a position, then a company: "CTO at Acme" */
      append_sentence (
          desc, _ ("%s at %s"),
          (const char *const[]){ contact->position, contact->company, NULL });
    }
  else if (is_set (contact->position) || is_set (contact->company))
    {
      g_string_append (desc, is_set (contact->position) ? contact->position
                                                        : contact->company);
      g_string_append_c (desc, '\n');
    }
  append_fact (desc, _ ("Met: %s"),
               is_set (contact->met) ? contact->met : NULL);
  append_fact (desc, _ ("Goal: %s"), goal);
  append_fact (desc, _ ("Looking for: %s"), need);
  append_fact (desc, _ ("Link: %s"),
               tb_uri_is_allowed (contact->url) ? contact->url : NULL);
}

static void
add_text (icalcomponent *comp, icalproperty *(*ctor) (const char *),
          const char *text)
{
  g_autofree char *clean = clean_text (text);

  icalcomponent_add_property (comp, ctor (clean));
}

static void
add_description (icalcomponent *comp, GString *desc)
{
  /* No trailing line break in the stored text. */
  while (desc->len > 0 && desc->str[desc->len - 1] == '\n')
    g_string_truncate (desc, desc->len - 1);
  if (desc->len > 0)
    add_text (comp, icalproperty_new_description, desc->str);
}

static void
add_contact_props (icalcomponent *comp, const TbContact *contact)
{
  if (tb_uri_is_allowed (contact->url))
    icalcomponent_add_property (comp, icalproperty_new_url (contact->url));
  if (contact->tags != NULL && contact->tags[0] != NULL)
    {
      g_autoptr (GString) cats = g_string_new (NULL);

      for (guint i = 0; contact->tags[i] != NULL; i++)
        {
          g_autofree char *tag = clean_text (contact->tags[i]);

          /* libical writes CATEGORIES unescaped and splits them at commas
           * on reading, so a tag keeps its words but not these
           * separators; the commas between tags make the list. */
          g_strdelimit (tag, ",;\\\n\t", ' ');
          g_strstrip (tag);
          if (*tag == '\0')
            continue;
          if (cats->len > 0)
            g_string_append_c (cats, ',');
          g_string_append (cats, tag);
        }
      if (cats->len > 0)
        icalcomponent_add_property (comp,
                                    icalproperty_new_categories (cats->str));
    }
}

static void
add_alarm (icalcomponent *comp, const char *summary, int offset_seconds,
           gboolean related_end)
{
  icalcomponent *alarm = icalcomponent_new_valarm ();
  struct icaltriggertype trigger = { 0 };
  icalproperty *prop;
  g_autofree char *clean = clean_text (summary);

  trigger.time = icaltime_null_time ();
  trigger.duration = icaldurationtype_from_int (offset_seconds);
  prop = icalproperty_new_trigger (trigger);
  if (related_end)
    icalproperty_add_parameter (prop,
                                icalparameter_new_related (ICAL_RELATED_END));
  icalcomponent_add_property (alarm,
                              icalproperty_new_action (ICAL_ACTION_DISPLAY));
  icalcomponent_add_property (alarm, prop);
  icalcomponent_add_property (alarm, icalproperty_new_description (clean));
  icalcomponent_add_component (comp, alarm);
}

/* A timed VEVENT or VTODO at @start; DTSTAMP is added by the caller. */
static icalcomponent *
new_timed (const char *uid, gint64 start, guint sequence, const char *summary,
           const TbIcalOptions *opts)
{
  icalcomponent *comp;

  if (opts->todo)
    {
      comp = icalcomponent_new_vtodo ();
      add_text (comp, icalproperty_new_uid, uid);
      icalcomponent_add_property (comp,
                                  icalproperty_new_due (utc_time (start)));
      icalcomponent_add_property (
          comp, icalproperty_new_status (ICAL_STATUS_NEEDSACTION));
    }
  else
    {
      comp = icalcomponent_new_vevent ();
      add_text (comp, icalproperty_new_uid, uid);
      icalcomponent_add_property (comp,
                                  icalproperty_new_dtstart (utc_time (start)));
      icalcomponent_add_property (
          comp, icalproperty_new_dtend (
                    utc_time (start + TB_ICAL_EVENT_MINUTES * 60)));
      icalcomponent_add_property (
          comp, icalproperty_new_transp (ICAL_TRANSP_TRANSPARENT));
    }
  icalcomponent_add_property (
      comp, icalproperty_new_sequence ((int) MIN (sequence, G_MAXINT)));
  add_text (comp, icalproperty_new_summary, summary);
  return comp;
}

static icalcomponent *
build_touch_base (const TbContact *contact, const TbIcalOptions *opts)
{
  g_autofree char *uid = tb_ical_touch_base_uid (contact);
  g_autofree char *summary
      = g_strdup_printf (_ ("Touch base with %s"), display_name (contact));
  g_autoptr (GString) desc = g_string_new (NULL);
  gint64 start = MAX (contact->due_at, contact->snoozed_until);
  icalcomponent *comp;

  comp = new_timed (uid, start, contact->sequence, summary, opts);
  append_context (desc, contact, opts);
  add_description (comp, desc);
  add_contact_props (comp, contact);
  add_alarm (comp, summary, 0, opts->todo);
  return comp;
}

static icalcomponent *
build_follow_up (const TbFollowUp *follow_up, const TbContact *contact,
                 const TbIcalOptions *opts)
{
  g_autofree char *uid = tb_ical_follow_up_uid (follow_up);
  const char *name = follow_up->contact_name;
  g_autofree char *summary = NULL;
  g_autoptr (GString) desc = g_string_new (NULL);
  icalcomponent *comp;

  if (!is_set (name) && contact != NULL)
    name = display_name (contact);
  if (is_set (name))
    /* TRANSLATORS: a contact's name, then what to follow up on */
    summary = g_strdup_printf (_ ("Follow up with %s: %s"), name,
                               follow_up->text != NULL ? follow_up->text : "");
  else
    summary = g_strdup_printf (_ ("Follow up: %s"),
                               follow_up->text != NULL ? follow_up->text : "");

  comp = new_timed (uid, follow_up->due_at, follow_up->sequence, summary, opts);
  if (is_set (follow_up->text))
    g_string_append_printf (desc, "%s\n\n", follow_up->text);
  if (contact != NULL)
    append_context (desc, contact, opts);
  add_description (comp, desc);
  if (contact != NULL)
    add_contact_props (comp, contact);
  add_alarm (comp, summary, 0, opts->todo);
  return comp;
}

/* "YYYY-MM-DD" or "--MM-DD"; a missing year becomes 2000 (see header). */
static gboolean
parse_birthday (const char *text, int *year, int *month, int *day,
                gboolean *has_year)
{
  unsigned y = 2000, m = 0, d = 0;
  char tail;

  if (text == NULL)
    return FALSE;
  if (sscanf (text, "--%2u-%2u%c", &m, &d, &tail) == 2)
    *has_year = FALSE;
  else if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3)
    *has_year = TRUE;
  else
    return FALSE;
  if (y < 1 || m < 1 || m > 12 || d < 1
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  *year = (int) y;
  *month = (int) m;
  *day = (int) d;
  return TRUE;
}

static icalcomponent *
build_birthday (const TbContact *contact, const TbIcalOptions *opts)
{
  int year, month, day;
  gboolean has_year;
  struct icaltimetype start = icaltime_null_date ();
  struct icaltimetype end;
  struct icalrecurrencetype rule;
  g_autofree char *uid = NULL;
  g_autofree char *summary = NULL;
  g_autoptr (GString) desc = g_string_new (NULL);
  icalcomponent *comp;

  /* Only the people the user keeps in touch with: a network of imported
   * connections would fill the calendar with strangers' birthdays. */
  if (contact->tracking != TB_TRACKING_TRACKED)
    return NULL;
  if (!parse_birthday (contact->birthday, &year, &month, &day, &has_year))
    {
      if (contact->birthday != NULL)
        g_debug ("ignoring birthday of contact %" G_GINT64_FORMAT, contact->id);
      return NULL;
    }

  uid = tb_ical_birthday_uid (contact);
  summary = g_strdup_printf (_ ("%s's birthday"), display_name (contact));
  start.year = year;
  start.month = month;
  start.day = day;
  end = start;
  icaltime_adjust (&end, 1, 0, 0, 0);

  icalrecurrencetype_clear (&rule);
  rule.freq = ICAL_YEARLY_RECURRENCE;
  if (month == 2 && day == 29)
    {
      /* FREQ=YEARLY alone skips the Feb 29 that common years lack. */
      rule.by_month[0] = 2;
      rule.by_month[1] = ICAL_RECURRENCE_ARRAY_MAX;
      rule.by_month_day[0] = -1;
      rule.by_month_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
    }

  comp = icalcomponent_new_vevent ();
  add_text (comp, icalproperty_new_uid, uid);
  icalcomponent_add_property (comp, icalproperty_new_dtstart (start));
  icalcomponent_add_property (comp, icalproperty_new_dtend (end));
  icalcomponent_add_property (comp, icalproperty_new_rrule (rule));
  icalcomponent_add_property (comp, icalproperty_new_sequence (0));
  icalcomponent_add_property (
      comp, icalproperty_new_transp (ICAL_TRANSP_TRANSPARENT));
  add_text (comp, icalproperty_new_summary, summary);
  if (has_year)
    g_string_append_printf (desc, _ ("Born %04d-%02d-%02d\n"), year, month,
                            day);
  append_context (desc, contact, opts);
  add_description (comp, desc);
  add_contact_props (comp, contact);
  /* At 09:00 on the day rather than at midnight. */
  add_alarm (comp, summary, 9 * 3600, FALSE);
  return comp;
}

static void
add_dtstamp (icalcomponent *comp, const TbIcalOptions *opts)
{
  icalcomponent_add_property (comp,
                              icalproperty_new_dtstamp (utc_time (opts->now)));
}

static icalcomponent *
new_calendar (gboolean whole)
{
  icalcomponent *cal = icalcomponent_new_vcalendar ();

  icalcomponent_add_property (cal, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (cal, icalproperty_new_prodid (TB_ICAL_PRODID));
  icalcomponent_add_property (cal, icalproperty_new_calscale ("GREGORIAN"));
  if (whole)
    {
      /* The name subscribing apps show for the live file. */
      icalproperty *name = icalproperty_new_x ("touchbase");

      icalproperty_set_x_name (name, "X-WR-CALNAME");
      icalcomponent_add_property (cal, name);
    }
  return cal;
}

static char *
to_string (icalcomponent *comp)
{
  char *ical = icalcomponent_as_ical_string_r (comp);
  char *ret = g_strdup (ical);

  icalmemory_free_buffer (ical);
  return ret;
}

/* Work is split in chunks of the records, each built on its own thread
 * when there are many: one core is too slow for a large calendar
 * (bench/README.md). Chunks only read the shared
 * records and write their own output; libical keeps its scratch buffers
 * per thread, and the UTC zone is set up before the threads start.
 * helgrind's only finding is libical's pvl_list_count/pvl_elem_count,
 * global counters bumped without a lock that merely tag new lists for
 * debugging (never read back), so a lost increment changes nothing. */
#define CHUNK_MIN_RECORDS 2000
#define MAX_THREADS 8

typedef struct
{
  const TbIcalOptions *opts;
  GPtrArray *contacts;   /* (nullable) */
  GPtrArray *follow_ups; /* (nullable) */
  GHashTable *by_id;     /* contact id -> TbContact */
  guint start, end;      /* range of records: contacts, then follow-ups */
  const char *stamp;     /* the DTSTAMP line libical writes */
  gboolean resources;
  GString *out;     /* (owned): calendar text of the chunk */
  GPtrArray *built; /* (owned): or its resources */
} Chunk;

static void
append_component (Chunk *chunk, icalcomponent *comp)
{
  char *ical;

  add_dtstamp (comp, chunk->opts);
  /* One component at a time, freed right away: one libical tree of every
   * component costs more in malloc traffic than the text itself. */
  ical = icalcomponent_as_ical_string_r (comp);
  g_string_append (chunk->out, ical);
  icalmemory_free_buffer (ical);
  icalcomponent_free (comp);
}

static void
add_resource (Chunk *chunk, icalcomponent *comp)
{
  g_autoptr (icalcomponent) cal = new_calendar (FALSE);
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  TbIcalResource *resource = g_new0 (TbIcalResource, 1);
  const char *stamp;

  resource->uid = g_strdup (icalcomponent_get_uid (comp));
  add_dtstamp (comp, chunk->opts);
  icalcomponent_add_component (cal, comp);
  resource->ics = to_string (cal);

  /* The hash leaves the DTSTAMP line out: the stamp changes on every
   * build, the content does not, and only a change of content is worth a
   * PUT. The line is exactly what libical writes for opts->now (DTSTAMP
   * comes last among the component's properties and is never folded). */
  stamp = strstr (resource->ics, chunk->stamp);
  if (stamp != NULL)
    {
      g_checksum_update (checksum, (const guchar *) resource->ics,
                         stamp - resource->ics + 2);
      g_checksum_update (checksum,
                         (const guchar *) stamp + strlen (chunk->stamp), -1);
    }
  else
    g_checksum_update (checksum, (const guchar *) resource->ics, -1);
  resource->hash = g_strdup (g_checksum_get_string (checksum));
  g_ptr_array_add (chunk->built, resource);
}

static void
emit (Chunk *chunk, icalcomponent *comp)
{
  if (chunk->resources)
    add_resource (chunk, comp);
  else
    append_component (chunk, comp);
}

static gpointer
build_chunk (gpointer data)
{
  Chunk *chunk = data;

  guint n_contacts = chunk->contacts != NULL ? chunk->contacts->len : 0;

  for (guint i = chunk->start; i < MIN (chunk->end, n_contacts); i++)
    {
      const TbContact *contact = g_ptr_array_index (chunk->contacts, i);
      icalcomponent *comp;

      if (contact->due_at != 0 && !contact->paused
          && (chunk->opts->touch_base_until == 0
              || contact->due_at <= chunk->opts->touch_base_until))
        emit (chunk, build_touch_base (contact, chunk->opts));
      comp = build_birthday (contact, chunk->opts);
      if (comp != NULL)
        emit (chunk, comp);
    }

  for (guint i = MAX (chunk->start, n_contacts); i < chunk->end; i++)
    {
      const TbFollowUp *follow_up
          = g_ptr_array_index (chunk->follow_ups, i - n_contacts);
      const TbContact *contact;

      if (follow_up->done_at != 0 || follow_up->due_at == 0)
        continue;
      contact = g_hash_table_lookup (chunk->by_id, &follow_up->contact_id);
      emit (chunk, build_follow_up (follow_up, contact, chunk->opts));
    }
  return chunk;
}

/* What every chunk of one build shares. */
typedef struct
{
  const TbIcalOptions *opts;
  GPtrArray *contacts;   /* (nullable) */
  GPtrArray *follow_ups; /* (nullable) */
  GHashTable *by_id;     /* (owned): contact id -> TbContact */
  char *stamp;           /* (owned) */
  guint total;           /* records: contacts, then follow-ups */
} Build;

static void
build_init (Build *b, GPtrArray *contacts, GPtrArray *follow_ups,
            const TbIcalOptions *opts)
{
  guint n_contacts = contacts != NULL ? contacts->len : 0;
  char *ical;

  b->opts = opts;
  b->contacts = contacts;
  b->follow_ups = follow_ups;
  b->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < n_contacts; i++)
    {
      TbContact *contact = g_ptr_array_index (contacts, i);

      g_hash_table_insert (b->by_id, &contact->id, contact);
    }
  b->total = n_contacts + (follow_ups != NULL ? follow_ups->len : 0);
  /* Also initialises libical's static UTC zone before any thread uses
   * it. */
  ical = icaltime_as_ical_string_r (utc_time (opts->now));
  b->stamp = g_strdup_printf ("\r\nDTSTAMP:%s\r\n", ical);
  icalmemory_free_buffer (ical);
}

static void
build_clear (Build *b)
{
  g_clear_pointer (&b->by_id, g_hash_table_unref);
  g_clear_pointer (&b->stamp, g_free);
}

/* Builds every component records [@first, @last) make, in order (per
 * contact its touch-base then its birthday; then the follow-ups), into
 * @n_chunks chunks whose outputs the caller concatenates. */
static Chunk *
build_range (const Build *b, guint first, guint last, gboolean resources,
             guint *n_chunks)
{
  guint total = last - first;
  guint n = CLAMP (total / CHUNK_MIN_RECORDS, 1,
                   MIN (g_get_num_processors (), MAX_THREADS));
  g_autofree GThread **threads = g_new0 (GThread *, n);
  Chunk *chunks = g_new0 (Chunk, n);

  for (guint i = 0; i < n; i++)
    {
      Chunk *chunk = &chunks[i];

      chunk->opts = b->opts;
      chunk->contacts = b->contacts;
      chunk->follow_ups = b->follow_ups;
      chunk->by_id = b->by_id;
      chunk->start = first + (guint) ((guint64) total * i / n);
      chunk->end = first + (guint) ((guint64) total * (i + 1) / n);
      chunk->stamp = b->stamp;
      chunk->resources = resources;
      if (resources)
        chunk->built = g_ptr_array_new_with_free_func (
            (GDestroyNotify) tb_ical_resource_free);
      else
        chunk->out
            = g_string_sized_new (700 * (chunk->end - chunk->start) + 64);
    }

  for (guint i = 1; i < n; i++)
    {
      g_autoptr (GError) error = NULL;

      threads[i]
          = g_thread_try_new ("tb-ical", build_chunk, &chunks[i], &error);
      if (threads[i] == NULL)
        g_debug ("building on one thread: %s", error->message);
    }
  build_chunk (&chunks[0]);
  for (guint i = 1; i < n; i++)
    {
      if (threads[i] != NULL)
        g_thread_join (threads[i]);
      else
        build_chunk (&chunks[i]);
    }

  *n_chunks = n;
  return chunks;
}

/* Records per batch when streaming: the text of one batch (~600 bytes a
 * component) is all that is held at once, whatever the calendar's size. */
#define BATCH_RECORDS 16384

gboolean
tb_ical_write_calendar (GPtrArray *contacts, GPtrArray *follow_ups,
                        const TbIcalOptions *opts, TbIcalWriteFunc write,
                        gpointer user_data, GError **error)
{
  g_autoptr (icalcomponent) cal = NULL;
  g_autofree char *shell = NULL;
  const char *end;
  Build b = { 0 };
  gboolean ok;

  g_return_val_if_fail (opts != NULL, FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  /* libical writes the VCALENDAR around the components; they go in just
   * before its END line. */
  cal = new_calendar (TRUE);
  shell = to_string (cal);
  end = g_strrstr (shell, "END:VCALENDAR");
  g_assert (end != NULL);

  build_init (&b, contacts, follow_ups, opts);
  ok = write (shell, end - shell, user_data, error);
  for (guint first = 0; ok && first < b.total; first += BATCH_RECORDS)
    {
      guint n_chunks = 0;
      Chunk *chunks = build_range (
          &b, first, MIN (b.total, first + BATCH_RECORDS), FALSE, &n_chunks);

      for (guint i = 0; i < n_chunks; i++)
        {
          if (ok)
            ok = write (chunks[i].out->str, chunks[i].out->len, user_data,
                        error);
          g_string_free (chunks[i].out, TRUE);
        }
      g_free (chunks);
    }
  if (ok)
    ok = write (end, strlen (end), user_data, error);
  build_clear (&b);
  return ok;
}

static gboolean
append_to_string (const char *data, gsize len, gpointer user_data,
                  G_GNUC_UNUSED GError **error)
{
  g_string_append_len (user_data, data, len);
  return TRUE;
}

char *
tb_ical_build_calendar (GPtrArray *contacts, GPtrArray *follow_ups,
                        const TbIcalOptions *opts)
{
  GString *out;
  guint n = (contacts != NULL ? contacts->len : 0)
            + (follow_ups != NULL ? follow_ups->len : 0);

  g_return_val_if_fail (opts != NULL, NULL);

  out = g_string_sized_new (700 * (gsize) n + 256);
  tb_ical_write_calendar (contacts, follow_ups, opts, append_to_string, out,
                          NULL);
  return g_string_free (out, FALSE);
}

GPtrArray *
tb_ical_build_resources (GPtrArray *contacts, GPtrArray *follow_ups,
                         const TbIcalOptions *opts)
{
  GPtrArray *resources;
  Build b = { 0 };
  Chunk *chunks;
  guint n_chunks = 0;

  g_return_val_if_fail (opts != NULL, NULL);

  build_init (&b, contacts, follow_ups, opts);
  chunks = build_range (&b, 0, b.total, TRUE, &n_chunks);
  resources = g_steal_pointer (&chunks[0].built);
  for (guint i = 1; i < n_chunks; i++)
    {
      g_ptr_array_extend_and_steal (resources,
                                    g_steal_pointer (&chunks[i].built));
    }
  g_free (chunks);
  build_clear (&b);
  return resources;
}
