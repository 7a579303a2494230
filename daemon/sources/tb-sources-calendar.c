/* tb-sources-calendar.c — the calendar sources [sources] names: EDS,
 * .ics files and URLs, CalDAV (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include "tb-cal-sources.h"
#include "tb-eds-calendars.h"
#include "tb-sources-private.h"

void
tb_sources_add_calendar (const TbConfig *config, GPtrArray *out)
{
  /* eds= unset: on when the registry is on the bus or can be started
   * there (one call to the bus, at each configuration). */
  if (config->sources_eds == 1
      || (config->sources_eds == -1 && tb_eds_available ()))
    g_ptr_array_add (out, tb_eds_source_new ());
  for (guint i = 0; config->sources_ics && config->sources_ics[i]; i++)
    g_ptr_array_add (out, tb_ics_source_new (config->sources_ics[i]));
  for (guint i = 0; config->sources_caldav && config->sources_caldav[i]; i++)
    g_ptr_array_add (out, tb_caldav_source_new (config->sources_caldav[i]));
}
