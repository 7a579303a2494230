/* tb-import.c — format detection and the meaning of contact exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-import"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tb-csv.h"
#include "tb-error.h"
#include "tb-import.h"
#include "tb-text.h"
#include "tb-keys.h"
#include "tb-time.h"
#include "tb-vcard.h"
#include "tb-zip.h"

/* LinkedIn puts a few lines of notes before its header. */
#define MAX_PREAMBLE_RECORDS 20
#define CANCEL_CHECK_EVERY 256
#define MULTI_VALUE_SEPARATOR " ::: "

static const char *const format_names[] = {
  "unknown", "linkedin", "google", "vcard", "json", "outlook", "thunderbird",
};

const char *
tb_import_format_to_string (TbImportFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

gboolean
tb_import_format_from_string (const char *str, TbImportFormat *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = TB_FORMAT_LINKEDIN; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_ascii_strcasecmp (str, format_names[i]) == 0)
        {
          *out = (TbImportFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* "First Middle Last" from whichever parts there are. */
static char *
join_name (const char *first, const char *middle, const char *last)
{
  g_autofree char *joined = g_strjoin (
      " ", first ? first : "", middle ? middle : "", last ? last : "", NULL);

  return tb_text_collapse (joined);
}

static void
add_tag (GPtrArray *tags, const char *label)
{
  g_autofree char *clean = tb_text_collapse (label);
  g_autofree char *lower = NULL;
  const char *name = clean;

  if (name == NULL)
    return;
  /* Google marks its system groups with "* ". */
  if (name[0] == '*')
    name++;
  while (*name == ' ')
    name++;
  if (*name == '\0')
    return;
  lower = tb_tag_key (name);
  if (g_str_equal (lower, "mycontacts"))
    return;
  for (guint i = 0; i < tags->len; i++)
    if (g_str_equal (g_ptr_array_index (tags, i), lower))
      return;
  g_ptr_array_add (tags, g_steal_pointer (&lower));
}

static GStrv
take_strv (GPtrArray *array)
{
  if (array->len == 0)
    return NULL;
  g_ptr_array_add (array, NULL);
  return (GStrv) g_ptr_array_steal (array, NULL);
}

/* Sets contact->email to emails[primary] and the others to
 * other_emails, without repeats. */
static void
set_emails (TbContact *contact, GPtrArray *emails, guint primary)
{
  g_autoptr (GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *primary_key = NULL;

  if (emails->len == 0)
    return;
  contact->email = g_strdup (g_ptr_array_index (emails, primary));
  primary_key = tb_email_key (contact->email);
  for (guint i = 0; i < emails->len; i++)
    {
      const char *email = g_ptr_array_index (emails, i);
      g_autofree char *key = tb_email_key (email);
      gboolean seen = g_str_equal (key, primary_key);

      for (guint j = 0; j < others->len && !seen; j++)
        {
          g_autofree char *other_key
              = tb_email_key (g_ptr_array_index (others, j));

          seen = g_str_equal (key, other_key);
        }
      if (!seen)
        g_ptr_array_add (others, g_strdup (email));
    }
  contact->other_emails = take_strv (others);
}

static char *
normalize_birthday (const char *text)
{
  g_autofree char *clean = tb_text_collapse (text);
  g_autoptr (GError) error = NULL;
  char *normalized = NULL;
  char *t;

  if (clean == NULL)
    return NULL;
  /* vCard 4.0 writers sometimes give a full date-time. */
  t = strchr (clean, 'T');
  if (t != NULL && t - clean >= 6)
    *t = '\0';
  if (!tb_birthday_parse (clean, &normalized, &error))
    {
      g_debug ("Ignoring birthday: %s", error->message);
      return NULL;
    }
  return normalized;
}

/* Dates */

static int
month_from_name (const char *name)
{
  static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
  };

  if (strlen (name) < 3)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strncasecmp (name, months[i], 3) == 0)
      return (int) i + 1;
  return 0;
}

/* A month's name at *P followed by SEP (both read): "Dec ", "Jan-". */
static gboolean
read_month_name (const char **p, char sep, int *month)
{
  char name[16] = { 0 };
  gsize n = 0;

  while (g_ascii_isalpha (**p) && n < sizeof name - 1)
    name[n++] = *(*p)++;
  *month = month_from_name (name);
  if (*month == 0 || **p != sep)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
read_number (const char **p, int *out)
{
  char *end = NULL;
  guint64 v;

  if (!g_ascii_isdigit (**p))
    return FALSE;
  v = g_ascii_strtoull (*p, &end, 10);
  if (end - *p > 4 || v > 9999)
    return FALSE;
  *out = (int) v;
  *p = end;
  return TRUE;
}

gboolean
tb_import_parse_connected_on (const char *text, GTimeZone *tz, gint64 *out)
{
  g_autofree char *clean = NULL;
  g_autoptr (GDateTime) dt = NULL;
  const char *p;
  int a, b, c;
  int year = 0, month = 0, day = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  clean = tb_text_collapse (text);
  p = clean;
  if (clean == NULL || !read_number (&p, &a))
    return FALSE;
  if (*p == ' ')
    {
      /* 22 Dec 2025 */
      p++;
      if (!read_month_name (&p, ' ', &month) || !read_number (&p, &year))
        return FALSE;
      day = a;
    }
  else if (*p == '/')
    {
      /* 1/8/18, 6:14 PM: LinkedIn's older export is US month/day/year. */
      p++;
      if (!read_number (&p, &b) || *p != '/')
        return FALSE;
      p++;
      if (!read_number (&p, &c))
        return FALSE;
      month = a;
      day = b;
      year = c < 100 ? (c < 70 ? 2000 + c : 1900 + c) : c;
    }
  else if (*p == '-' && g_ascii_isalpha (p[1]))
    {
      /* 15-Jan-24: LinkedIn's export opened and saved again by a
       * spreadsheet. */
      p++;
      if (!read_month_name (&p, '-', &month) || !read_number (&p, &c))
        return FALSE;
      day = a;
      year = c < 100 ? (c < 70 ? 2000 + c : 1900 + c) : c;
    }
  else if (*p == '-')
    {
      /* 2025-12-22 */
      p++;
      if (!read_number (&p, &b) || *p != '-')
        return FALSE;
      p++;
      if (!read_number (&p, &c))
        return FALSE;
      year = a;
      month = b;
      day = c;
    }
  else
    {
      return FALSE;
    }
  /* The older export appends ", 6:14 PM"; the time is not worth keeping. */
  if (*p != '\0' && *p != ',' && *p != ' ')
    return FALSE;
  if (year < 1900
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                            (GDateYear) year))
    return FALSE;
  dt = g_date_time_new (tz, year, month, day, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Detection */

static gboolean
strv_has (GStrv fields, const char *name)
{
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *field = g_strdup (fields[i]);

      g_strstrip (field);
      if (field[0] == '"')
        {
          gsize len = strlen (field);

          memmove (field, field + 1, len);
          if (len > 1 && field[len - 2] == '"')
            field[len - 2] = '\0';
        }
      if (g_ascii_strcasecmp (field, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static TbImportFormat
detect_csv_header (GStrv fields)
{
  /* Before Google's: Outlook's has "First Name" and "Middle Name" too. */
  if (strv_has (fields, "Display Name") && strv_has (fields, "Primary Email"))
    return TB_FORMAT_THUNDERBIRD;
  if (strv_has (fields, "E-mail Address") && !strv_has (fields, "Labels")
      && (strv_has (fields, "Business Phone")
          || strv_has (fields, "Mobile Phone")
          || strv_has (fields, "Job Title")))
    return TB_FORMAT_OUTLOOK;
  if (strv_has (fields, "First Name") && strv_has (fields, "Last Name")
      && (strv_has (fields, "Connected On")
          || (strv_has (fields, "Email Address")
              && strv_has (fields, "Position"))))
    return TB_FORMAT_LINKEDIN;
  if (strv_has (fields, "First Name")
      && (strv_has (fields, "Labels") || strv_has (fields, "Middle Name")
          || strv_has (fields, "E-mail 1 - Value")))
    return TB_FORMAT_GOOGLE;
  if ((strv_has (fields, "Name") && strv_has (fields, "Given Name"))
      || strv_has (fields, "Group Membership"))
    return TB_FORMAT_GOOGLE;
  return TB_FORMAT_UNKNOWN;
}

TbImportFormat
tb_import_detect (const char *head, gsize len)
{
  const char *p = head;
  const char *end = head + len;
  guint lines = 0;

  if (len >= 3 && (guchar) p[0] == 0xEF && (guchar) p[1] == 0xBB
      && (guchar) p[2] == 0xBF)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p == end)
    return TB_FORMAT_UNKNOWN;
  /* The only archive anyone gets contacts in is LinkedIn's data export;
   * tb_import_read takes Connections.csv out of it. */
  if (tb_zip_has_magic (head, len))
    return TB_FORMAT_LINKEDIN;
  if (*p == '{')
    return TB_FORMAT_JSON;
  if (end - p >= 11 && g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0)
    return TB_FORMAT_VCARD;

  /* A CSV header, found by content: LinkedIn may put notes first. */
  while (p < end && lines++ < MAX_PREAMBLE_RECORDS)
    {
      const char *eol = memchr (p, '\n', end - p);
      g_autofree char *line = g_strndup (p, (eol ? eol : end) - p);
      g_auto (GStrv) fields = NULL;
      TbImportFormat format;

      g_strchomp (line);
      if (lines == 1 && g_str_equal (line, "Notes:"))
        return TB_FORMAT_LINKEDIN;
      fields = g_strsplit (line, ",", -1);
      format = detect_csv_header (fields);
      if (format != TB_FORMAT_UNKNOWN)
        return format;
      if (eol == NULL)
        break;
      p = eol + 1;
    }
  return TB_FORMAT_UNKNOWN;
}

/* CSV formats */

typedef struct
{
  guint number;
  int label; /* column index, -1: none */
  int value;
} Group;

typedef struct
{
  GHashTable *columns; /* (owned): lower-case name -> index + 1 */
  GArray *emails;      /* (owned) (element-type Group) */
  GArray *phones;      /* (owned) (element-type Group) */
  GArray *websites;    /* (owned) (element-type Group) */
  GTimeZone *tz;       /* (owned): for Connected On */
  char *last_date;     /* (owned) (nullable): exports repeat dates a lot */
  gint64 last_date_value;
} CsvMap;

static void
csv_map_free (CsvMap *map)
{
  g_hash_table_unref (map->columns);
  g_array_unref (map->emails);
  g_array_unref (map->phones);
  g_array_unref (map->websites);
  g_time_zone_unref (map->tz);
  g_free (map->last_date);
  g_free (map);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsvMap, csv_map_free)

static gint
group_compare (gconstpointer a, gconstpointer b)
{
  const Group *ga = a;
  const Group *gb = b;

  return (ga->number > gb->number) - (ga->number < gb->number);
}

static Group *
find_group (GArray *groups, guint number)
{
  Group fresh = { number, -1, -1 };

  for (guint i = 0; i < groups->len; i++)
    if (g_array_index (groups, Group, i).number == number)
      return &g_array_index (groups, Group, i);
  g_array_append_val (groups, fresh);
  return &g_array_index (groups, Group, groups->len - 1);
}

/* "E-mail 3 - Value", "Phone 1 - Label", "Website 2 - Type". */
static void
map_numbered_column (CsvMap *map, const char *name, int index)
{
  static const struct
  {
    const char *prefix;
    gsize offset;
  } kinds[] = {
    { "e-mail ", G_STRUCT_OFFSET (CsvMap, emails) },
    { "phone ", G_STRUCT_OFFSET (CsvMap, phones) },
    { "website ", G_STRUCT_OFFSET (CsvMap, websites) },
  };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const char *p = name;
      char *end = NULL;
      guint64 number;
      GArray *groups;
      Group *group;

      if (!g_str_has_prefix (p, kinds[k].prefix))
        continue;
      p += strlen (kinds[k].prefix);
      if (!g_ascii_isdigit (*p))
        return;
      number = g_ascii_strtoull (p, &end, 10);
      if (number > G_MAXUINT || !g_str_has_prefix (end, " - "))
        return;
      end += 3;
      groups = G_STRUCT_MEMBER (GArray *, map, kinds[k].offset);
      group = find_group (groups, (guint) number);
      if (g_str_equal (end, "value"))
        group->value = index;
      else if (g_str_equal (end, "label") || g_str_equal (end, "type"))
        group->label = index;
      return;
    }
}

static CsvMap *
csv_map_new (GStrv header)
{
  CsvMap *map = g_new0 (CsvMap, 1);

  map->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  map->emails = g_array_new (FALSE, FALSE, sizeof (Group));
  map->phones = g_array_new (FALSE, FALSE, sizeof (Group));
  map->websites = g_array_new (FALSE, FALSE, sizeof (Group));
  map->tz = g_time_zone_new_local ();
  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *clean = tb_text_collapse (header[i]);
      char *name;

      if (clean == NULL)
        continue;
      name = g_ascii_strdown (clean, -1);
      map_numbered_column (map, name, (int) i);
      /* The first of a repeated column wins. */
      if (g_hash_table_contains (map->columns, name))
        g_free (name);
      else
        g_hash_table_insert (map->columns, name, GINT_TO_POINTER (i + 1));
    }
  g_array_sort (map->emails, group_compare);
  g_array_sort (map->phones, group_compare);
  g_array_sort (map->websites, group_compare);
  return map;
}

static const char *
field_at (GStrv record, guint n_fields, int index)
{
  if (index < 0 || (guint) index >= n_fields)
    return NULL;
  return record[index];
}

/* The field in column @name (lower case), NULL when there is none. */
static const char *
field (CsvMap *map, GStrv record, guint n_fields, const char *name)
{
  gpointer value = g_hash_table_lookup (map->columns, name);

  if (value == NULL)
    return NULL;
  return field_at (record, n_fields, GPOINTER_TO_INT (value) - 1);
}

static char *
field_line (CsvMap *map, GStrv record, guint n_fields, const char *name)
{
  return tb_text_collapse (field (map, record, n_fields, name));
}

static TbContact *
map_linkedin (CsvMap *map, GStrv record, guint n_fields)
{
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_autofree char *first = field_line (map, record, n_fields, "first name");
  g_autofree char *last = field_line (map, record, n_fields, "last name");
  const char *connected = field (map, record, n_fields, "connected on");

  contact->name = join_name (first, NULL, last);
  if (contact->name == NULL)
    return NULL;
  contact->source = g_strdup ("linkedin");
  contact->email = field_line (map, record, n_fields, "email address");
  /* Where the member hides the address, some exports put the member's id
   * ("urn:li:member:123"): not an address anyone can write to. */
  if (contact->email != NULL && strchr (contact->email, '@') == NULL)
    g_clear_pointer (&contact->email, g_free);
  contact->company = field_line (map, record, n_fields, "company");
  contact->position = field_line (map, record, n_fields, "position");
  contact->url = tb_url_normalize (field (map, record, n_fields, "url"));
  if (connected == NULL || *connected == '\0')
    return g_steal_pointer (&contact);
  if (g_strcmp0 (connected, map->last_date) == 0)
    {
      contact->connected_on = map->last_date_value;
    }
  else if (tb_import_parse_connected_on (connected, map->tz,
                                         &contact->connected_on))
    {
      g_free (map->last_date);
      map->last_date = g_strdup (connected);
      map->last_date_value = contact->connected_on;
    }
  else
    {
      g_debug ("Ignoring Connected On “%s”", connected);
    }
  return g_steal_pointer (&contact);
}

/* The values of numbered groups, " ::: " multi-values split, in order.
 * @out_primary gets the index of the first value of the first group
 * whose label Google starred ("* Home"), else 0. */
static GPtrArray *
group_values (GArray *groups, GStrv record, guint n_fields, guint *out_primary,
              gboolean lines)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  gboolean have_primary = FALSE;

  *out_primary = 0;
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = &g_array_index (groups, Group, i);
      const char *value = field_at (record, n_fields, group->value);
      const char *label = field_at (record, n_fields, group->label);
      g_auto (GStrv) parts = NULL;
      guint first = values->len;

      if (value == NULL || *value == '\0')
        continue;
      parts = g_strsplit (value, MULTI_VALUE_SEPARATOR, -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          char *clean
              = lines ? tb_text_collapse (parts[j]) : tb_text_strip (parts[j]);

          if (clean != NULL)
            g_ptr_array_add (values, clean);
        }
      if (!have_primary && values->len > first && label != NULL
          && g_str_has_prefix (label, "*"))
        {
          *out_primary = first;
          have_primary = TRUE;
        }
    }
  return values;
}

static void
add_labels (GPtrArray *tags, const char *labels)
{
  g_auto (GStrv) parts = NULL;

  if (labels == NULL)
    return;
  parts = g_strsplit (labels, MULTI_VALUE_SEPARATOR, -1);
  for (guint i = 0; parts[i] != NULL; i++)
    add_tag (tags, parts[i]);
}

/* A LinkedIn profile if there is one, else the preferred, else the first
 * usable one. */
static char *
pick_url (GPtrArray *urls, guint preferred)
{
  g_autofree char *chosen = NULL;

  for (guint i = 0; i < urls->len; i++)
    {
      g_autofree char *url = tb_url_normalize (g_ptr_array_index (urls, i));
      g_autoptr (GUri) uri = NULL;

      if (url == NULL)
        continue;
      uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
      if (uri != NULL && tb_url_host_is_linkedin (g_uri_get_host (uri)))
        return g_steal_pointer (&url);
      if (chosen == NULL || i == preferred)
        {
          g_free (chosen);
          chosen = g_steal_pointer (&url);
        }
    }
  return g_steal_pointer (&chosen);
}

static TbContact *
map_google (CsvMap *map, GStrv record, guint n_fields)
{
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_autoptr (GPtrArray) emails = NULL;
  g_autoptr (GPtrArray) phones = NULL;
  g_autoptr (GPtrArray) websites = NULL;
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  guint primary = 0;
  static const char *const name_columns[][3] = {
    { "name", NULL, NULL },
    { "first name", "middle name", "last name" },
    { "given name", "additional name", "family name" },
    { "nickname", NULL, NULL },
    { "file as", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (name_columns) && !contact->name; i++)
    {
      const char *const *cols = name_columns[i];
      g_autofree char *a = field_line (map, record, n_fields, cols[0]);
      g_autofree char *b
          = cols[1] ? field_line (map, record, n_fields, cols[1]) : NULL;
      g_autofree char *c
          = cols[2] ? field_line (map, record, n_fields, cols[2]) : NULL;

      contact->name = join_name (a, b, c);
    }
  if (contact->name == NULL)
    return NULL;
  contact->source = g_strdup ("google");

  contact->company = field_line (map, record, n_fields, "organization name");
  if (contact->company == NULL)
    contact->company
        = field_line (map, record, n_fields, "organization 1 - name");
  contact->position = field_line (map, record, n_fields, "organization title");
  if (contact->position == NULL)
    contact->position
        = field_line (map, record, n_fields, "organization 1 - title");
  contact->note = tb_text_strip (field (map, record, n_fields, "notes"));
  contact->birthday
      = normalize_birthday (field (map, record, n_fields, "birthday"));

  add_labels (tags, field (map, record, n_fields, "labels"));
  add_labels (tags, field (map, record, n_fields, "group membership"));
  contact->tags = take_strv (tags);

  emails = group_values (map->emails, record, n_fields, &primary, TRUE);
  set_emails (contact, emails, primary);
  phones = group_values (map->phones, record, n_fields, &primary, TRUE);
  if (phones->len > 0)
    contact->phone = g_strdup (g_ptr_array_index (phones, primary));
  websites = group_values (map->websites, record, n_fields, &primary, TRUE);
  contact->url = pick_url (websites, primary);
  return g_steal_pointer (&contact);
}

/* The first non-empty of @columns, collapsed. */
static char *
first_field (CsvMap *map, GStrv record, guint n_fields,
             const char *const *columns)
{
  for (guint i = 0; columns[i] != NULL; i++)
    {
      char *value = field_line (map, record, n_fields, columns[i]);

      if (value != NULL)
        return value;
    }
  return NULL;
}

/* The addresses of @columns; an Exchange directory path
 * ("/o=ExchangeLabs/...") in Outlook's column is not one. */
static void
set_csv_emails (TbContact *contact, CsvMap *map, GStrv record, guint n_fields,
                const char *const *columns)
{
  g_autoptr (GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; columns[i] != NULL; i++)
    {
      char *email = field_line (map, record, n_fields, columns[i]);

      if (email != NULL && strchr (email, '@') != NULL)
        g_ptr_array_add (emails, email);
      else
        g_free (email);
    }
  set_emails (contact, emails, 0);
}

static char *
csv_url (CsvMap *map, GStrv record, guint n_fields, const char *const *columns)
{
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; columns[i] != NULL; i++)
    {
      char *url = field_line (map, record, n_fields, columns[i]);

      if (url != NULL)
        g_ptr_array_add (urls, url);
    }
  return pick_url (urls, 0);
}

/* Outlook's birthday: "3/14/1988" (month first, as Outlook writes it in
 * every locale's CSV export), "0/0/00" for none, or an ISO date. */
static char *
outlook_birthday (const char *text)
{
  g_autofree char *clean = tb_text_collapse (text);
  const char *p = clean;
  int month, day, year;

  if (clean == NULL || strchr (clean, '/') == NULL)
    return normalize_birthday (clean);
  if (!read_number (&p, &month) || *p++ != '/' || !read_number (&p, &day)
      || *p++ != '/' || !read_number (&p, &year))
    return NULL;
  if (month == 0 || day == 0)
    return NULL;
  if (year < 100)
    year += year < 70 ? 2000 : 1900;
  {
    g_autofree char *iso = g_strdup_printf ("%04d-%02d-%02d", year, month, day);

    return normalize_birthday (iso);
  }
}

static TbContact *
map_outlook (CsvMap *map, GStrv record, guint n_fields)
{
  static const char *const email_columns[]
      = { "e-mail address", "e-mail 2 address", "e-mail 3 address", NULL };
  static const char *const phone_columns[]
      = { "primary phone", "mobile phone", "business phone",
          "home phone",    "other phone",  NULL };
  static const char *const url_columns[]
      = { "web page", "personal web page", NULL };
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first = field_line (map, record, n_fields, "first name");
  g_autofree char *middle = field_line (map, record, n_fields, "middle name");
  g_autofree char *last = field_line (map, record, n_fields, "last name");
  const char *categories = field (map, record, n_fields, "categories");

  contact->name = join_name (first, middle, last);
  if (contact->name == NULL)
    contact->name = field_line (map, record, n_fields, "nickname");
  if (contact->name == NULL)
    return NULL;
  contact->source = g_strdup ("outlook");
  set_csv_emails (contact, map, record, n_fields, email_columns);
  contact->phone = first_field (map, record, n_fields, phone_columns);
  contact->company = field_line (map, record, n_fields, "company");
  contact->position = field_line (map, record, n_fields, "job title");
  contact->url = csv_url (map, record, n_fields, url_columns);
  contact->note = tb_text_strip (field (map, record, n_fields, "notes"));
  contact->birthday
      = outlook_birthday (field (map, record, n_fields, "birthday"));
  if (categories != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (categories, ";", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        add_tag (tags, parts[i]);
    }
  contact->tags = take_strv (tags);
  return g_steal_pointer (&contact);
}

static TbContact *
map_thunderbird (CsvMap *map, GStrv record, guint n_fields)
{
  static const char *const email_columns[]
      = { "primary email", "secondary email", NULL };
  static const char *const phone_columns[]
      = { "mobile number", "work phone", "home phone", NULL };
  static const char *const url_columns[] = { "web page 1", "web page 2", NULL };
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_autofree char *first = field_line (map, record, n_fields, "first name");
  g_autofree char *last = field_line (map, record, n_fields, "last name");
  g_autofree char *year = field_line (map, record, n_fields, "birth year");
  g_autofree char *month = field_line (map, record, n_fields, "birth month");
  g_autofree char *day = field_line (map, record, n_fields, "birth day");

  contact->name = field_line (map, record, n_fields, "display name");
  if (contact->name == NULL)
    contact->name = join_name (first, NULL, last);
  if (contact->name == NULL)
    contact->name = field_line (map, record, n_fields, "nickname");
  if (contact->name == NULL)
    return NULL;
  contact->source = g_strdup ("thunderbird");
  set_csv_emails (contact, map, record, n_fields, email_columns);
  contact->phone = first_field (map, record, n_fields, phone_columns);
  contact->company = field_line (map, record, n_fields, "organization");
  contact->position = field_line (map, record, n_fields, "job title");
  contact->url = csv_url (map, record, n_fields, url_columns);
  contact->note = tb_text_strip (field (map, record, n_fields, "notes"));
  if (month != NULL && day != NULL)
    {
      g_autofree char *text = NULL;

      if (year != NULL)
        text = g_strdup_printf ("%s-%02d-%02d", year, atoi (month), atoi (day));
      else
        text = g_strdup_printf ("--%02d-%02d", atoi (month), atoi (day));
      contact->birthday = normalize_birthday (text);
    }
  return g_steal_pointer (&contact);
}

static gboolean
set_unknown_format_error (const char *filename, gsize len, GError **error)
{
  if (len == 0)
    g_set_error (error, TB_ERROR, TB_ERROR_PARSE, _ ("%s: the file is empty"),
                 filename);
  else
    g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                 _ ("%s: unknown format: not a LinkedIn, Google Contacts, "
                    "Outlook or Thunderbird CSV export, a vCard file or a "
                    "touchbase JSON backup"),
                 filename);
  return FALSE;
}

typedef struct
{
  TbImportRecordFunc func;
  TbImportNoteFunc note;
  gpointer user_data;
  const char *filename;
  guint skipped;
  guint count;
  GCancellable *cancellable;
} Sink;

static void
sink_note (Sink *sink, guint line, TbImportNoteKind kind, const char *reason)
{
  if (sink->note != NULL)
    sink->note (sink->filename, line, kind, reason, sink->user_data);
}

/* Hands @contact on, or counts it as skipped when it is NULL. */
static gboolean
sink_push (Sink *sink, TbContact *contact, guint line, GError **error)
{
  if ((++sink->count % CANCEL_CHECK_EVERY) == 0
      && g_cancellable_set_error_if_cancelled (sink->cancellable, error))
    {
      tb_contact_free (contact);
      return FALSE;
    }
  if (contact == NULL)
    {
      g_debug ("Skipping the record on line %u: it has no name", line);
      sink->skipped++;
      sink_note (sink, line, TB_IMPORT_NOTE_NO_NAME, _ ("it has no name"));
      return TRUE;
    }
  /* A record is kept without the text in its e-mail field that cannot
   * be an address (a phone book's note, two addresses in one): the rest
   * of it is still someone to keep. */
  if (contact->email != NULL && *contact->email != '\0')
    {
      g_autoptr (GError) bad = NULL;

      if (!tb_email_check (contact->email, &bad))
        {
          g_autofree char *reason
              = g_strdup_printf (_ ("%s: left out"), bad->message);

          sink_note (sink, line, TB_IMPORT_NOTE_REPAIRED, reason);
          g_clear_pointer (&contact->email, g_free);
        }
    }
  return sink->func (contact, line, sink->user_data, error);
}

static gboolean
read_csv (GInputStream *stream, TbImportFormat format, const char *filename,
          Sink *sink, GError **error)
{
  g_autoptr (TbCsvReader) reader = tb_csv_reader_new (stream, filename);
  g_autoptr (CsvMap) map = NULL;
  guint line = 0;

  /* The header, found by its content. */
  for (guint n = 0; map == NULL; n++)
    {
      g_auto (GStrv) record = NULL;
      g_autoptr (GError) local_error = NULL;

      record = tb_csv_reader_read_record (reader, &line, sink->cancellable,
                                          &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (record == NULL || n >= MAX_PREAMBLE_RECORDS)
        {
          if (format == TB_FORMAT_OUTLOOK || format == TB_FORMAT_THUNDERBIRD)
            g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                         /* Translators: the second %s is "outlook" or
                          * "thunderbird". */
                         _ ("%s: no header line of a %s CSV export found"),
                         filename, tb_import_format_to_string (format));
          else if (format == TB_FORMAT_LINKEDIN)
            g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                         /* Translators: the second %s is the start of the
                          * header line, in English. */
                         _ ("%s: no LinkedIn header line (%s) found"), filename,
                         "First Name,Last Name,…");
          else
            g_set_error (
                error, TB_ERROR, TB_ERROR_PARSE,
                /* Translators: the second %s is the start of the header
                 * line, in English; "or" joins two of them. */
                _ ("%s: no Google Contacts header line (%s) found"), filename,
                "First Name,Middle Name,… or Name,Given Name,…");
          return FALSE;
        }
      if (detect_csv_header (record) == format)
        map = csv_map_new (record);
    }

  for (;;)
    {
      g_auto (GStrv) record = NULL;
      g_autoptr (GError) local_error = NULL;
      TbContact *contact;
      guint n_fields;

      record = tb_csv_reader_read_record (reader, &line, sink->cancellable,
                                          &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (record == NULL)
        return TRUE;
      n_fields = g_strv_length (record);
      if (format == TB_FORMAT_LINKEDIN)
        contact = map_linkedin (map, record, n_fields);
      else if (format == TB_FORMAT_OUTLOOK)
        contact = map_outlook (map, record, n_fields);
      else if (format == TB_FORMAT_THUNDERBIRD)
        contact = map_thunderbird (map, record, n_fields);
      else
        contact = map_google (map, record, n_fields);
      if (!sink_push (sink, contact, line, error))
        return FALSE;
    }
}

/* vCard */

static char *
vcard_uid (const char *value)
{
  g_autofree char *clean = tb_text_collapse (value);

  if (clean == NULL)
    return NULL;
  if (g_ascii_strncasecmp (clean, "urn:uuid:", 9) == 0
      && g_uuid_string_is_valid (clean + 9))
    return g_ascii_strdown (clean + 9, -1);
  return g_steal_pointer (&clean);
}

/* Apple and CardBook write a birthday without a year as the year 1604
 * (X-APPLE-OMIT-YEAR=1604 says so, and 1604 means it without): "--MMDD",
 * or NULL when @value keeps its year. */
static char *
birthday_without_omitted_year (const char *value, const char *omit_year)
{
  g_autofree char *clean = tb_text_collapse (value);
  const char *year = omit_year != NULL ? omit_year : "1604";
  const char *rest;

  if (clean == NULL || strlen (year) != 4 || !g_str_has_prefix (clean, year))
    return NULL;
  rest = clean + 4;
  if (*rest == '-')
    rest++;
  if (!g_ascii_isdigit (rest[0]) || !g_ascii_isdigit (rest[1]))
    return NULL;
  if (rest[2] == '-')
    return g_strdup_printf ("--%.2s%.2s", rest, rest + 3);
  return g_strdup_printf ("--%.4s", rest);
}

static TbContact *
map_vcard (TbVCard *card)
{
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_autoptr (GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) notes = g_string_new (NULL);
  guint preferred_email = 0;
  guint preferred_url = 0;
  gboolean have_preferred_email = FALSE;
  gboolean have_preferred_url = FALSE;
  gboolean have_preferred_phone = FALSE;
  g_autofree char *n_name = NULL;

  for (guint i = 0; i < card->properties->len; i++)
    {
      TbVCardProperty *property = g_ptr_array_index (card->properties, i);
      const char *name = property->name;
      gboolean preferred = tb_vcard_property_is_preferred (property);

      if (g_str_equal (name, "FN") && contact->name == NULL)
        {
          g_autofree char *value = tb_vcard_unescape (property->value);

          contact->name = tb_text_collapse (value);
        }
      else if (g_str_equal (name, "N") && n_name == NULL)
        {
          g_auto (GStrv) parts = tb_vcard_split (property->value, ';');
          guint n = g_strv_length (parts);

          /* family;given;additional;prefix;suffix */
          n_name = join_name (n > 1 ? parts[1] : NULL, n > 2 ? parts[2] : NULL,
                              parts[0]);
        }
      else if (g_str_equal (name, "EMAIL"))
        {
          g_autofree char *value = tb_vcard_unescape (property->value);
          char *email = tb_text_collapse (value);

          if (email == NULL)
            continue;
          if (preferred && !have_preferred_email)
            {
              preferred_email = emails->len;
              have_preferred_email = TRUE;
            }
          g_ptr_array_add (emails, email);
        }
      else if (g_str_equal (name, "TEL"))
        {
          g_autofree char *value = tb_vcard_unescape (property->value);
          g_autofree char *phone = tb_text_collapse (value);

          /* 4.0 writes TEL;VALUE=uri:tel:+1-555-0100. */
          if (phone != NULL && g_str_has_prefix (phone, "tel:"))
            memmove (phone, phone + 4, strlen (phone + 4) + 1);
          if (phone == NULL || *phone == '\0')
            continue;
          if (contact->phone == NULL || (preferred && !have_preferred_phone))
            {
              g_free (contact->phone);
              contact->phone = g_steal_pointer (&phone);
              have_preferred_phone = preferred;
            }
        }
      else if (g_str_equal (name, "URL")
               || (g_str_equal (name, "X-SOCIALPROFILE")
                   && tb_vcard_property_has_param (property, "TYPE",
                                                   "linkedin")))
        {
          char *value = tb_vcard_unescape (property->value);

          if (preferred && !have_preferred_url)
            {
              preferred_url = urls->len;
              have_preferred_url = TRUE;
            }
          g_ptr_array_add (urls, value);
        }
      else if (g_str_equal (name, "ORG") && contact->company == NULL)
        {
          g_auto (GStrv) parts = tb_vcard_split (property->value, ';');

          contact->company = tb_text_collapse (parts[0]);
        }
      else if (g_str_equal (name, "TITLE") && contact->position == NULL)
        {
          g_autofree char *value = tb_vcard_unescape (property->value);

          contact->position = tb_text_collapse (value);
        }
      else if (g_str_equal (name, "NOTE"))
        {
          g_autofree char *value = tb_vcard_unescape (property->value);
          g_autofree char *note = tb_text_strip (value);

          if (note == NULL)
            continue;
          if (notes->len > 0)
            g_string_append (notes, "\n\n");
          g_string_append (notes, note);
        }
      else if (g_str_equal (name, "BDAY") && contact->birthday == NULL)
        {
          g_autofree char *value = tb_vcard_unescape (property->value);
          g_autofree char *without = birthday_without_omitted_year (
              value,
              tb_vcard_property_get_param (property, "X-APPLE-OMIT-YEAR"));

          contact->birthday = normalize_birthday (without ? without : value);
        }
      else if (g_str_equal (name, "CATEGORIES"))
        {
          g_auto (GStrv) parts = tb_vcard_split (property->value, ',');

          for (guint j = 0; parts[j] != NULL; j++)
            add_tag (tags, parts[j]);
        }
      else if (g_str_equal (name, "UID") && contact->uid == NULL)
        {
          g_autofree char *value = tb_vcard_unescape (property->value);

          contact->uid = vcard_uid (value);
        }
    }

  if (contact->name == NULL)
    contact->name = g_steal_pointer (&n_name);
  if (contact->name == NULL)
    return NULL;
  contact->source = g_strdup ("vcard");
  set_emails (contact, emails, preferred_email);
  contact->url = pick_url (urls, preferred_url);
  contact->tags = take_strv (tags);
  if (notes->len > 0)
    contact->note = g_strdup (notes->str);
  return g_steal_pointer (&contact);
}

static gboolean
read_vcards (GInputStream *stream, const char *filename, Sink *sink,
             GError **error)
{
  g_autoptr (TbVCardReader) reader = tb_vcard_reader_new (stream, filename);

  for (;;)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (TbVCard) card = NULL;

      card
          = tb_vcard_reader_read_card (reader, sink->cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (card == NULL)
        return TRUE;
      for (guint i = 0; i < card->repairs->len; i++)
        {
          TbVCardRepair *repair = g_ptr_array_index (card->repairs, i);

          sink_note (sink, repair->line, TB_IMPORT_NOTE_REPAIRED,
                     repair->reason);
        }
      if (!sink_push (sink, map_vcard (card), card->line, error))
        return FALSE;
    }
}

/* Fills @b until it holds @want bytes or the input ends: one read may
 * return less than asked (a pipe). */
static gboolean
fill_head (GBufferedInputStream *b, gsize want, GCancellable *cancellable,
           GError **error)
{
  gsize available;

  while ((available = g_buffered_input_stream_get_available (b)) < want)
    {
      gssize n = g_buffered_input_stream_fill (b, want - available, cancellable,
                                               error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
    }
  return TRUE;
}

/* Connections.csv of the ZIP in @archive, as a stream; @out_name gets
 * "FILE/PATH" for the messages about its lines. */
static GInputStream *
open_linkedin_archive (GInputStream *archive, const char *filename,
                       char **out_name, GCancellable *cancellable,
                       GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *path = NULL;
  GInputStream *entry;

  entry = tb_zip_open_entry (archive, "Connections.csv",
                             TB_IMPORT_MAX_CONNECTIONS_BYTES, filename, &path,
                             cancellable, &local);
  if (entry == NULL)
    {
      if (g_error_matches (local, TB_ERROR, TB_ERROR_NOT_FOUND))
        g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                     _ ("%s: this ZIP archive holds no Connections.csv: is "
                        "it a LinkedIn data export?"),
                     filename);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  *out_name = g_strdup_printf ("%s/%s", filename, path);
  return entry;
}

gboolean
tb_import_read (GInputStream *stream, TbImportFormat format,
                const char *filename, TbImportRecordFunc func,
                gpointer user_data, TbImportFormat *out_format,
                guint *out_skipped, GCancellable *cancellable, GError **error)
{
  return tb_import_read_full (stream, format, filename, func, NULL, user_data,
                              out_format, out_skipped, cancellable, error);
}

gboolean
tb_import_read_full (GInputStream *stream, TbImportFormat format,
                     const char *filename, TbImportRecordFunc func,
                     TbImportNoteFunc note, gpointer user_data,
                     TbImportFormat *out_format, guint *out_skipped,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (GInputStream) buffered = NULL;
  g_autoptr (GInputStream) entry = NULL;
  g_autofree char *entry_name = NULL;
  Sink sink = { func, note, user_data, NULL, 0, 0, cancellable };
  gboolean ok = FALSE;
  gsize available;
  const char *head;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (filename == NULL)
    /* Translators: the file name in errors when the input has none. */
    filename = _ ("(input)");
  buffered
      = g_buffered_input_stream_new_sized (stream, 2 * TB_IMPORT_DETECT_BYTES);

  /* A ZIP is looked for even when the format was given: LinkedIn's
   * export arrives as one, and --format linkedin should take it too. */
  if (!fill_head (G_BUFFERED_INPUT_STREAM (buffered),
                  format == TB_FORMAT_UNKNOWN ? TB_IMPORT_DETECT_BYTES
                                              : TB_ZIP_MAGIC_BYTES,
                  cancellable, error))
    return FALSE;
  head = g_buffered_input_stream_peek_buffer (
      G_BUFFERED_INPUT_STREAM (buffered), &available);
  if (tb_zip_has_magic (head, available))
    {
      if (format != TB_FORMAT_UNKNOWN && format != TB_FORMAT_LINKEDIN)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                       /* Translators: the last %s is a format name,
                        * "google" or "vcard". */
                       _ ("%s: a ZIP archive is read as a LinkedIn data "
                          "export, not as %s"),
                       filename, tb_import_format_to_string (format));
          return FALSE;
        }
      entry = open_linkedin_archive (buffered, filename, &entry_name,
                                     cancellable, error);
      if (entry == NULL)
        return FALSE;
      /* The archive's bytes stay behind the entry; the CSV reader gets
       * a buffer of its own over the inflated ones. */
      g_object_unref (buffered);
      buffered = g_buffered_input_stream_new_sized (entry,
                                                    2 * TB_IMPORT_DETECT_BYTES);
      filename = entry_name;
      format = TB_FORMAT_LINKEDIN;
    }
  else if (format == TB_FORMAT_UNKNOWN)
    {
      format = tb_import_detect (head, available);
      if (format == TB_FORMAT_UNKNOWN)
        return set_unknown_format_error (filename, available, error);
      g_debug ("%s: detected format %s", filename,
               tb_import_format_to_string (format));
    }
  if (out_format != NULL)
    *out_format = format;
  sink.filename = filename;

  switch (format)
    {
      case TB_FORMAT_LINKEDIN:
      case TB_FORMAT_GOOGLE:
      case TB_FORMAT_OUTLOOK:
      case TB_FORMAT_THUNDERBIRD:
        ok = read_csv (buffered, format, filename, &sink, error);
        break;
      case TB_FORMAT_VCARD:
        ok = read_vcards (buffered, filename, &sink, error);
        break;
      case TB_FORMAT_JSON:
        g_set_error (
            error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
            _ ("%s: a JSON backup is restored by the store, not read here"),
            filename);
        return FALSE;
      case TB_FORMAT_UNKNOWN:
      default:
        g_return_val_if_reached (FALSE);
    }
  if (out_skipped != NULL)
    *out_skipped = sink.skipped;
  return ok;
}
