/* tb-figures.c — counts and shares as people read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-figures"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "tb-figures.h"

char *
tb_figure_count (gint64 n)
{
  char buf[64];

  /* The ' flag groups digits as LC_NUMERIC says (POSIX; glibc): GLib's
   * own formatting has no grouping. */
  snprintf (buf, sizeof buf, "%'" PRId64, (int64_t) n);
  return g_strdup (buf);
}

#define MAX_DECIMALS 4

char *
tb_figure_percent (gint64 part, gint64 whole)
{
  double share;
  int decimals = 0;
  char buf[64];

  if (whole <= 0)
    return g_strdup ("0 %");
  share = 100.0 * (double) part / (double) whole;
  /* Rounding to whole percents says "100 %" of 29,998 in 30,020 and
   * "0 %" of 12: add decimals until the figure is neither, as far as
   * MAX_DECIMALS (beyond it the difference is noise to a reader). */
  for (; decimals < MAX_DECIMALS; decimals++)
    {
      double scale = 1.0;
      double rounded;

      for (int i = 0; i < decimals; i++)
        scale *= 10.0;
      rounded = (double) (gint64) (share * scale + 0.5) / scale;
      if ((part == 0 || rounded > 0.0) && (part == whole || rounded < 100.0))
        break;
    }
  snprintf (buf, sizeof buf, "%.*f %%", decimals, share);
  return g_strdup (buf);
}
