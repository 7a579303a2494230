/* tb-sources-calendar.c — the calendar sources [sources] names: EDS,
 * .ics files and URLs, CalDAV (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include "tb-sources-private.h"

void
tb_sources_add_calendar (const TbConfig *config, GPtrArray *out)
{
  /* The readers of eds=, ics= and caldav= come here. */
}
