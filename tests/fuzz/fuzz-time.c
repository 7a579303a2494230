/* fuzz-time.c — libFuzzer harness for the duration, date and birthday
 * parsers (and the Connected On and URL helpers of the importer): the
 * input is one NUL-terminated string given to each of them. Its first 16
 * bytes are also two int64, a time and "now", as any peer can send them
 * over D-Bus: every formatter takes any time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tb-import.h"
#include "tb-keys.h"
#include "tb-time.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Times outside the years 1 to 9999 have no text (NULL), and every
 * other one has one; days start on or before the time. */
static void
check_any_time (gint64 t, gint64 now, GTimeZone *tz)
{
  g_autofree char *rfc = tb_time_format_rfc3339 (t);
  g_autofree char *date = tb_time_format_date (t, tz);
  g_autofree char *datetime = tb_time_format_datetime (t, tz);
  g_autofree char *relative = tb_time_format_relative (t, now, tz);
  g_autofree char *duration = tb_duration_format (t);
  gint64 start = tb_time_day_start (t, tz);
  gint64 next = tb_time_next_day_start (t, tz);

  g_assert (duration != NULL);
  if (rfc != NULL)
    {
      gint64 again = 0;

      g_assert (start <= t && next > t);
      /* What the daemon writes into exports, it reads back. */
      if (t >= 0 && !tb_date_parse (rfc, tz, now, &again, NULL))
        g_error ("%s does not read back", rfc);
      g_assert (t < 0 || again == t);
    }
  (void) date;
  (void) datetime;
  (void) relative;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static GTimeZone *tz;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (GError) error = NULL;
  g_autofree char *birthday = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  gint64 seconds = 0;
  gint64 t = 0;

  fuzz_init ();
  if (tz == NULL)
    tz = g_time_zone_new_identifier ("Europe/Berlin");
  if (tz == NULL)
    tz = g_time_zone_new_utc ();

  if (tb_duration_parse (text, &seconds, &error))
    {
      g_autofree char *formatted = tb_duration_format (seconds);
      gint64 again = 0;

      /* What we print we must read back as the same. */
      g_assert (seconds > 0);
      g_assert (tb_duration_parse (formatted, &again, NULL));
      g_assert (again == seconds);
    }
  else
    {
      g_assert (error != NULL);
    }
  g_clear_error (&error);

  if (tb_date_parse (text, tz, 1764322200, &t, &error))
    {
      g_autofree char *a = tb_time_format_rfc3339 (t);
      g_autofree char *b = tb_time_format_date (t, tz);
      g_autofree char *c = tb_time_format_relative (t, 1764322200, tz);

      g_assert (a != NULL && b != NULL && c != NULL);
    }
  else
    {
      g_assert (error != NULL);
    }
  g_clear_error (&error);

  if (tb_birthday_parse (text, &birthday, &error))
    {
      g_autofree char *again = NULL;

      g_assert (strlen (birthday) == 10 || strlen (birthday) == 7);
      g_assert (tb_birthday_parse (birthday, &again, NULL));
      g_assert (strcmp (birthday, again) == 0);
    }
  else
    {
      g_assert (error != NULL);
    }

  if (size >= 2 * sizeof (gint64))
    {
      gint64 any, now;

      memcpy (&any, data, sizeof any);
      memcpy (&now, data + sizeof any, sizeof now);
      check_any_time (any, now, tz);
    }

  tb_import_parse_connected_on (text, tz, &t);
  if (g_utf8_validate (text, -1, NULL))
    {
      url = tb_url_normalize (text);
      key = tb_url_key (text);
      /* Normalising is idempotent and keeps the key. */
      if (url != NULL)
        {
          g_autofree char *url2 = tb_url_normalize (url);
          g_autofree char *key2 = tb_url_key (url);

          g_assert (g_strcmp0 (url, url2) == 0);
          g_assert (g_strcmp0 (key, key2) == 0);
        }
    }
  return 0;
}
