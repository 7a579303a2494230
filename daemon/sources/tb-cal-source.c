/* tb-cal-source.c — what the calendar readers share: the meetings found
 * in the text a subclass reads, and the timers of the next meeting's end,
 * the refresh and the back-off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-cal-sources.h"
#include "tb-error.h"
#include "tb-ical-events.h"

typedef struct
{
  guint refresh; /* seconds; 0: not remote */

  /* Written by the scan (worker thread), read on the main thread. */
  GMutex lock;
  gint64 next_end;  /* Unix s; 0: no meeting to come */
  gint64 last_read; /* Unix s of the last successful read */
  guint failures;   /* in a row */

  guint timer_id;  /* main thread */
  gint64 timer_at; /* Unix s the timer is for; 0: none */
  gulong network_id;
} TbCalSourcePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TbCalSource, tb_cal_source, TB_TYPE_SOURCE)

void
tb_cal_source_set_refresh (TbCalSource *self, guint seconds)
{
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);

  priv->refresh = seconds;
}

typedef struct
{
  TbSourceScan *scan;
  GStrv own; /* (nullable) */
} OwnCheck;

static gboolean
is_own (const char *address, gpointer data)
{
  OwnCheck *check = data;

  return tb_source_scan_is_own (check->scan, address)
         || (check->own != NULL
             && g_strv_contains ((const char *const *) check->own, address));
}

gint64
tb_cal_source_get_wakeup (TbCalSource *self)
{
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);

  return priv->timer_at;
}

/* ----------------------------------------------------------- the timer */

static gboolean
timer_cb (gpointer data)
{
  TbCalSource *self = data;
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);

  priv->timer_id = 0;
  priv->timer_at = 0;
  tb_source_changed (TB_SOURCE (self));
  return G_SOURCE_REMOVE;
}

/* Main thread: the one timer for the earliest of the next meeting's end,
 * the refresh and the back-off. */
static void
arm (TbCalSource *self)
{
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 at = 0;

  g_clear_handle_id (&priv->timer_id, g_source_remove);
  priv->timer_at = 0;
  if (!tb_source_is_watching (TB_SOURCE (self)))
    return;
  g_mutex_lock (&priv->lock);
  /* A minute after the end: a meeting that ran over is over in the
   * calendar too, and ends close together share one read. */
  if (priv->next_end != 0)
    at = priv->next_end + 60;
  if (priv->refresh != 0 && priv->failures > 0)
    {
      gint64 delay = TB_CAL_SOURCE_BACKOFF_MIN;

      for (guint i = 1; i < priv->failures && delay < priv->refresh; i++)
        delay *= 2;
      delay = MIN (delay, (gint64) priv->refresh);
      at = at != 0 ? MIN (at, now + delay) : now + delay;
    }
  else if (priv->refresh != 0 && priv->last_read != 0)
    {
      gint64 refresh = priv->last_read + priv->refresh;

      at = at != 0 ? MIN (at, refresh) : refresh;
    }
  g_mutex_unlock (&priv->lock);
  if (at == 0)
    return;
  priv->timer_at = at;
  priv->timer_id = g_timeout_add_seconds (
      (guint) CLAMP (at - now, 1, G_MAXINT32), timer_cb, self);
  g_source_set_name_by_id (priv->timer_id, "[tb-sources] calendar");
}

static gboolean
arm_idle (gpointer data)
{
  arm (data);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available,
                    gpointer user_data)
{
  TbCalSource *self = user_data;
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);
  guint failures;

  g_mutex_lock (&priv->lock);
  failures = priv->failures;
  g_mutex_unlock (&priv->lock);
  /* Only worth a request when the last one failed. */
  if (available && failures > 0)
    tb_source_changed (TB_SOURCE (self));
}

/* --------------------------------------------------------------- vfuncs */

static gboolean
tb_cal_source_scan (TbSource *source, TbSourceScan *scan,
                    GCancellable *cancellable, GError **error)
{
  TbCalSource *self = TB_CAL_SOURCE (source);
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);
  g_auto (GStrv) own = NULL;
  g_autoptr (GBytes) text = NULL;
  g_autoptr (GPtrArray) found = NULL;
  TbIcalEventsStats stats = { 0 };
  TbIcalEventsOptions opts = { 0 };
  OwnCheck check = { scan, NULL };
  const char *data;
  gsize len = 0;

  tb_source_scan_progress (scan, 0, 1);
  text = TB_CAL_SOURCE_GET_CLASS (self)->read (self, scan, &own, cancellable,
                                               error);
  if (text == NULL)
    {
      g_mutex_lock (&priv->lock);
      priv->failures++;
      g_mutex_unlock (&priv->lock);
      g_idle_add_full (G_PRIORITY_DEFAULT, arm_idle, g_object_ref (self),
                       g_object_unref);
      return FALSE;
    }
  for (guint i = 0; own != NULL && own[i] != NULL; i++)
    tb_source_scan_learn_address (scan, own[i]);
  check.own = own;
  opts.source = tb_source_get_name (source);
  opts.since = tb_source_scan_get_since (scan);
  opts.now = tb_source_scan_get_now (scan);
  opts.is_own = is_own;
  opts.is_own_data = &check;
  data = g_bytes_get_data (text, &len);
  /* An empty calendar (a new one, a collection with nothing yet) has
   * nothing to find and is no error. */
  if (data != NULL && len > 0)
    {
      found = tb_ical_events_extract (data, len, &opts, &stats, error);
      if (found == NULL)
        {
          g_mutex_lock (&priv->lock);
          priv->failures++;
          g_mutex_unlock (&priv->lock);
          g_idle_add_full (G_PRIORITY_DEFAULT, arm_idle, g_object_ref (self),
                           g_object_unref);
          return FALSE;
        }
      for (guint i = 0; i < found->len; i++)
        tb_source_scan_add (scan, g_steal_pointer (&found->pdata[i]));
      g_debug ("%s: %u meetings among %u occurrences (%u cancelled, %u "
               "declined, %u alone)",
               opts.source, found->len, stats.occurrences, stats.cancelled,
               stats.declined, stats.alone);
    }
  tb_source_scan_progress (scan, 1, 1);
  /* Every read is whole, so the cursor only says when it was: that this
   * source was read, to be read again at start (what ended meanwhile). */
  {
    g_autofree char *cursor
        = g_strdup_printf ("read:%" G_GINT64_FORMAT, opts.now);

    tb_source_scan_set_cursor (scan, cursor);
  }
  g_mutex_lock (&priv->lock);
  priv->failures = 0;
  priv->next_end = stats.next_end;
  priv->last_read = opts.now;
  g_mutex_unlock (&priv->lock);
  g_idle_add_full (G_PRIORITY_DEFAULT, arm_idle, g_object_ref (self),
                   g_object_unref);
  return TRUE;
}

static gboolean
tb_cal_source_watch (TbSource *source, GError **error)
{
  TbCalSource *self = TB_CAL_SOURCE (source);
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);
  TbCalSourceClass *klass = TB_CAL_SOURCE_GET_CLASS (self);

  if (klass->watch_changes != NULL && !klass->watch_changes (self, error))
    return FALSE;
  if (priv->refresh != 0)
    priv->network_id
        = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                            G_CALLBACK (on_network_changed), self);
  /* The timers are armed after each scan, once watching. */
  g_idle_add_full (G_PRIORITY_DEFAULT, arm_idle, g_object_ref (self),
                   g_object_unref);
  return TRUE;
}

static void
tb_cal_source_unwatch (TbSource *source)
{
  TbCalSource *self = TB_CAL_SOURCE (source);
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);
  TbCalSourceClass *klass = TB_CAL_SOURCE_GET_CLASS (self);

  g_clear_handle_id (&priv->timer_id, g_source_remove);
  priv->timer_at = 0;
  if (priv->network_id != 0)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (),
                                   priv->network_id);
      priv->network_id = 0;
    }
  if (klass->unwatch_changes != NULL)
    klass->unwatch_changes (self);
}

static void
tb_cal_source_dispose (GObject *object)
{
  TbCalSource *self = TB_CAL_SOURCE (object);
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);

  g_clear_handle_id (&priv->timer_id, g_source_remove);
  if (priv->network_id != 0)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (),
                                   priv->network_id);
      priv->network_id = 0;
    }
  G_OBJECT_CLASS (tb_cal_source_parent_class)->dispose (object);
}

static void
tb_cal_source_finalize (GObject *object)
{
  TbCalSource *self = TB_CAL_SOURCE (object);
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);

  g_mutex_clear (&priv->lock);
  G_OBJECT_CLASS (tb_cal_source_parent_class)->finalize (object);
}

static void
tb_cal_source_class_init (TbCalSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TbSourceClass *source_class = TB_SOURCE_CLASS (klass);

  object_class->dispose = tb_cal_source_dispose;
  object_class->finalize = tb_cal_source_finalize;
  source_class->scan = tb_cal_source_scan;
  source_class->watch = tb_cal_source_watch;
  source_class->unwatch = tb_cal_source_unwatch;
}

static void
tb_cal_source_init (TbCalSource *self)
{
  TbCalSourcePrivate *priv = tb_cal_source_get_instance_private (self);

  g_mutex_init (&priv->lock);
}
