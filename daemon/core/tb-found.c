/* tb-found.c — records of what sources found, and their pure rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-found"

#include "config.h"

#include <string.h>

#include "tb-found.h"
#include "tb-keys.h"

TbFound *
tb_found_new (const char *source, const char *key, gint64 at,
              TbInteractionKind kind, const char *note,
              const char *const *addresses)
{
  TbFound *found = g_new0 (TbFound, 1);

  found->source = g_strdup (source);
  found->key = g_strdup (key);
  found->at = at;
  found->kind = kind;
  found->note = note != NULL && *note != '\0' ? g_strdup (note) : NULL;
  found->addresses = addresses != NULL ? g_strdupv ((char **) addresses)
                                       : g_new0 (char *, 1);
  return found;
}

void
tb_found_free (TbFound *found)
{
  if (found == NULL)
    return;
  g_free (found->source);
  g_free (found->key);
  g_free (found->note);
  g_strfreev (found->addresses);
  g_free (found);
}

void
tb_found_result_init (TbFoundResult *result)
{
  *result = (TbFoundResult){ 0 };
  result->contacts
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  result->unknown_keys
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
tb_found_result_clear (TbFoundResult *result)
{
  g_clear_pointer (&result->contacts, g_hash_table_unref);
  g_clear_pointer (&result->unknown_keys, g_hash_table_unref);
}

char *
tb_found_source_name (const char *kind, const char *location)
{
  const char *home = g_get_home_dir ();
  gsize n = home != NULL ? strlen (home) : 0;

  if (location == NULL || *location == '\0')
    return g_strdup (kind);
  /* "~/Mail/Sent" is what the user wrote and reads back; the full path
   * would make the name depend on where the home is. */
  if (n > 1 && strncmp (location, home, n) == 0 && location[n] == '/')
    return g_strdup_printf ("%s:~%s", kind, location + n);
  return g_strdup_printf ("%s:%s", kind, location);
}

char *
tb_found_origin_key (const TbFound *found)
{
  return g_strconcat (
      found->kind == TB_KIND_EMAIL ? "mail:" : "event:", found->key, NULL);
}

char *
tb_found_message_id_key (const char *message_id)
{
  GString *out;

  if (message_id == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = message_id; *p != '\0'; p++)
    {
      if (*p == '<' || *p == '>' || g_ascii_isspace (*p))
        continue;
      g_string_append_c (out, *p);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

GHashTable *
tb_found_own_set (const char *const *addresses)
{
  GHashTable *set
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      char *key = tb_email_key (addresses[i]);

      if (key != NULL)
        g_hash_table_add (set, key);
    }
  return set;
}

void
tb_found_day (gint64 t, GTimeZone *tz, gint64 *start, gint64 *end)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) in_zone = NULL;
  g_autoptr (GDateTime) midnight = NULL;
  g_autoptr (GDateTime) next = NULL;

  if (local == NULL)
    {
      *start = t;
      *end = t + 1;
      return;
    }
  in_zone = g_date_time_to_timezone (local, tz);
  midnight = g_date_time_new (tz, g_date_time_get_year (in_zone),
                              g_date_time_get_month (in_zone),
                              g_date_time_get_day_of_month (in_zone), 0, 0, 0);
  /* From midnight by calendar days, not 86,400 s: a DST day is 23 or 25
   * hours long. */
  next = g_date_time_add_days (midnight, 1);
  *start = g_date_time_to_unix (midnight);
  *end = g_date_time_to_unix (next);
}
