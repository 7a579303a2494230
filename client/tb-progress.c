/* tb-progress.c — a one-line progress bar on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-progress"

#include "config.h"

#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tb-output.h"
#include "tb-progress.h"

#define TB_PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

struct _TbProgress
{
  char *label; /* (owned) */
  gboolean enabled;
  gboolean drawn;
  gint64 last_draw_us;
  guint width;
};

static guint
stderr_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

TbProgress *
tb_progress_new (const char *label)
{
  TbProgress *progress = g_new0 (TbProgress, 1);

  /* A file's name, as the user or a script gave it. */
  progress->label = tb_output_clean (label);
  progress->enabled = isatty (STDERR_FILENO);
  if (progress->enabled)
    progress->width = stderr_width ();
  return progress;
}

void
tb_progress_free (TbProgress *progress)
{
  g_free (progress->label);
  g_free (progress);
}

char *
tb_progress_render (const char *label, guint64 done, guint64 total, guint width)
{
  g_autofree char *size = g_format_size (done);
  GString *line = g_string_new (label);
  guint percent;
  guint text_width;
  guint bar_width;
  guint filled;

  if (total == 0)
    {
      g_string_append_printf (line, " %s", size);
      return g_string_free (line, FALSE);
    }

  done = MIN (done, total);
  percent = (guint) (done * 100 / total);
  /* label, " [", bar, "] ", "100%": keep one column free so the cursor
   * never wraps to the next line. */
  text_width = g_utf8_strlen (label, -1) + 2 + 2 + 4 + 1;
  bar_width = width > text_width + 10 ? MIN (width - text_width, 40) : 10;
  filled = (guint) (done * bar_width / total);

  g_string_append (line, " [");
  for (guint i = 0; i < bar_width; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append_printf (line, "] %3u%%", percent);
  return g_string_free (line, FALSE);
}

void
tb_progress_update (TbProgress *progress, guint64 done, guint64 total)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *line = NULL;

  if (!progress->enabled)
    return;
  /* Always draw the final state; throttle the rest. */
  if (progress->drawn && (total == 0 || done < total)
      && now - progress->last_draw_us < TB_PROGRESS_INTERVAL_US)
    return;

  line = tb_progress_render (progress->label, done, total, progress->width);
  /* \033[K clears what a longer previous line left behind. */
  fprintf (stderr, "\r%s\033[K", line);
  fflush (stderr);
  progress->drawn = TRUE;
  progress->last_draw_us = now;
}

void
tb_progress_finish (TbProgress *progress)
{
  if (!progress->enabled || !progress->drawn)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  progress->drawn = FALSE;
}
