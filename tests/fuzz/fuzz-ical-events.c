/* fuzz-ical-events.c — libFuzzer harness for reading the meetings of a
 * calendar (tb-ical-events.c): any text gives records that keep the
 * promises of the header, or an error, within the caps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tb-error.h"
#include "tb-ical-events.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const char *const me[] = { "me@example.org", NULL };
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  /* 2026-06-01 and a year before */
  TbIcalEventsOptions opts
      = { "ics:fuzz", 1748736000, 1780272000, me, NULL, NULL, utc };
  TbIcalEventsStats stats;

  fuzz_init ();
  found = tb_ical_events_extract (text, strlen (text), &opts, &stats, &error);
  if (found == NULL)
    {
      g_assert (error != NULL && error->domain == TB_ERROR);
      return 0;
    }
  g_assert (error == NULL);
  for (guint i = 0; i < found->len; i++)
    {
      TbFound *f = found->pdata[i];

      g_assert (f->key != NULL && *f->key != '\0');
      g_assert (g_utf8_validate (f->key, -1, NULL));
      g_assert (f->at >= opts.since && f->at <= opts.now);
      g_assert (f->kind == TB_KIND_MEETING || f->kind == TB_KIND_VIDEO);
      g_assert (f->note == NULL
                || (g_utf8_validate (f->note, -1, NULL)
                    && strlen (f->note) <= TB_ICAL_EVENTS_MAX_NOTE));
      g_assert (f->addresses != NULL && f->addresses[0] != NULL);
      for (guint j = 0; f->addresses[j] != NULL; j++)
        {
          g_assert (strchr (f->addresses[j], '@') != NULL);
          g_assert (strcmp (f->addresses[j], "me@example.org") != 0);
        }
    }
  g_assert (stats.next_end == 0 || stats.next_end > opts.now);
  return 0;
}
