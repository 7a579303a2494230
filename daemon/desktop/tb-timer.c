/* tb-timer.c — a realtime timerfd in the GLib main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-timer"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-timer.h"

struct _TbTimer
{
  int fd;
  guint source_id;
  gint64 armed; /* 0: disarmed */
  TbTimerFunc func;
  gpointer user_data;
};

static gboolean
on_readable (int fd, GIOCondition condition, gpointer user_data)
{
  TbTimer *timer = user_data;
  guint64 expirations = 0;
  gboolean clock_changed = FALSE;
  ssize_t n;

  n = read (fd, &expirations, sizeof expirations);
  if (n < 0)
    {
      if (errno == EAGAIN || errno == EINTR)
        return G_SOURCE_CONTINUE;
      /* ECANCELED: the clock was set while armed with CANCEL_ON_SET. */
      if (errno != ECANCELED)
        g_warning ("Reading the timer failed: %s", g_strerror (errno));
      clock_changed = TRUE;
    }
  timer->armed = 0;
  timer->func (clock_changed, timer->user_data);
  return G_SOURCE_CONTINUE;
}

TbTimer *
tb_timer_new (TbTimerFunc func, gpointer user_data, GError **error)
{
  TbTimer *timer;
  int fd;

  fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("Cannot create a timer: %s"), g_strerror (saved));
      return NULL;
    }
  timer = g_new0 (TbTimer, 1);
  timer->fd = fd;
  timer->func = func;
  timer->user_data = user_data;
  timer->source_id = g_unix_fd_add (fd, G_IO_IN, on_readable, timer);
  return timer;
}

void
tb_timer_free (TbTimer *timer)
{
  if (timer == NULL)
    return;
  g_clear_handle_id (&timer->source_id, g_source_remove);
  close (timer->fd);
  g_free (timer);
}

gboolean
tb_timer_arm (TbTimer *timer, gint64 when, GError **error)
{
  struct itimerspec spec = { 0 };
  int flags = 0;

  if (when == timer->armed)
    return TRUE;
  if (when > 0)
    {
      /* Absolute and cancel-on-set: see the header. An all-zero value
       * disarms, so the earliest we can ask for is second 1. */
      spec.it_value.tv_sec = MAX (when, 1);
      flags = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;
    }
  if (timerfd_settime (timer->fd, flags, &spec, NULL) < 0)
    {
      int saved = errno;
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("Cannot arm the timer: %s"), g_strerror (saved));
      return FALSE;
    }
  timer->armed = when;
  return TRUE;
}

gint64
tb_timer_get_armed (TbTimer *timer)
{
  return timer->armed;
}
