/* tb-figures.c — counts and shares as people read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-figures"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

  if (whole <= 0)
    return g_strdup ("0 %");
  share = 100.0 * (double) part / (double) whole;
  /* Rounding to whole percents says "100 %" of 29,998 in 30,020 and
   * "0 %" of 12: add decimals until the figure printed is neither. The
   * printed text is what is compared, as printf rounds it (half to even,
   * in the locale's digits). */
  for (int decimals = 0; decimals <= MAX_DECIMALS; decimals++)
    {
      char text[64], zero[64], full[64];

      snprintf (text, sizeof text, "%.*f", decimals, share);
      snprintf (zero, sizeof zero, "%.*f", decimals, 0.0);
      snprintf (full, sizeof full, "%.*f", decimals, 100.0);
      if ((part == 0 || strcmp (text, zero) != 0)
          && (part == whole || strcmp (text, full) != 0))
        return g_strdup_printf ("%s %%", text);
    }
  /* Beyond MAX_DECIMALS the difference is noise to a reader; say which
   * side of it the share is. */
  {
    char bound[64];

    snprintf (bound, sizeof bound, "%.*f", MAX_DECIMALS,
              part * 2 < whole ? 1.0 / 10000.0 : 100.0 - 1.0 / 10000.0);
    return g_strdup_printf (part * 2 < whole ? "< %s %%" : "> %s %%", bound);
  }
}
