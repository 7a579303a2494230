/* bench-ical-events.c — reading the meetings of a large calendar: a
 * generated VCALENDAR of --mb megabytes of single events (three people
 * each, a Google-like VTIMEZONE), and one --recurring daily event per
 * hundred; prints the time of tb_ical_events_extract (bench/README.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tb-ical-events.h"

int
main (int argc, char **argv)
{
  int mb = 20;
  int repeat = 3;
  GOptionEntry entries[] = {
    { "mb", 0, 0, G_OPTION_ARG_INT, &mb, "calendar size (MB)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "runs", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  GString *text = g_string_new ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                                "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
                                "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
                                "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
                                "END:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
                                "DTSTART:19700329T020000\r\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
                                "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
                                "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n");
  gint64 now = 1780272000; /* 2026-06-01 */
  TbIcalEventsOptions opts
      = { "ics:bench", now - 365 * 86400, now, NULL, NULL, NULL, NULL };
  const char *const me[] = { "me@example.org", NULL };
  guint n = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  opts.my_addresses = me;
  while (text->len < (gsize) mb * 1024 * 1024)
    {
      guint day = n % 300;

      g_string_append_printf (
          text,
          "BEGIN:VEVENT\r\nUID:bench-%u@example.org\r\n"
          "DTSTAMP:20260101T000000Z\r\n"
          "DTSTART;TZID=Europe/Berlin:2025%02u%02uT%02u0000\r\n"
          "DTEND;TZID=Europe/Berlin:2025%02u%02uT%02u3000\r\n"
          "SUMMARY:Meeting number %u about something\r\n"
          "ORGANIZER;CN=Person %u:mailto:p%u@example.com\r\n"
          "ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;CN=Me:mailto:me@ex"
          "\r\n ample.org\r\n"
          "ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;CN=Other:mailto:q%u@"
          "example.com\r\n%s"
          "END:VEVENT\r\n",
          n, 7 + day / 60 % 6, 1 + day % 28, 8 + n % 10, 7 + day / 60 % 6,
          1 + day % 28, 8 + n % 10, n, n, n, n,
          n % 100 == 0 ? "RRULE:FREQ=DAILY\r\n" : "");
      n++;
    }
  g_string_append (text, "END:VCALENDAR\r\n");
  for (int r = 0; r < repeat; r++)
    {
      TbIcalEventsStats stats;
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GPtrArray) found = tb_ical_events_extract (
          text->str, text->len, &opts, &stats, &error);

      if (found == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      printf ("%u events, %.1f MB: %u meetings (%u capped) in %.2f s\n", n,
              text->len / 1048576.0, found->len, stats.capped,
              (g_get_monotonic_time () - start) / 1e6);
    }
  g_string_free (text, TRUE);
  return 0;
}
