/* tb-cal-reader.c — the calendar sources' shared part: the extraction in
 * a worker thread, the state, and the timer for the next meeting's end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cal-reader"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-cal-reader.h"
#include "tb-error.h"

typedef struct
{
  char *name;  /* (owned) */
  char *label; /* (owned) (nullable) */
  gint64 since_age;
  GStrv my_addresses; /* (owned) (nullable) */

  GBytes *text;              /* (owned) (nullable): the last text */
  gboolean reading;          /* an extraction runs */
  gboolean again;            /* read once more when it is done */
  gboolean busy;             /* the subclass is fetching */
  GCancellable *cancellable; /* (owned) */
  char *last_error;          /* (owned) (nullable) */
  guint last_found;
  gint64 last_read;
  gint64 next_read;
  guint timer_id;
} TbCalReaderPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TbCalReader, tb_cal_reader, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_FOUND,
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef struct
{
  GBytes *text; /* (owned) */
  TbIcalEventsOptions opts;
  char *source;       /* (owned) */
  GStrv my_addresses; /* (owned) (nullable) */
  TbIcalEventsStats stats;
} Job;

static void
job_free (Job *job)
{
  g_bytes_unref (job->text);
  g_free (job->source);
  g_strfreev (job->my_addresses);
  g_free (job);
}

static void start_read (TbCalReader *self);

static void
state_changed (TbCalReader *self)
{
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

static void
extract_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  gsize len;
  const char *data = g_bytes_get_data (job->text, &len);
  GError *error = NULL;
  GPtrArray *found;

  /* g_bytes from files and the network end in NUL (see the subclasses);
   * refuse anything else rather than read past it. */
  if (data == NULL || len == 0 || data[len - 1] != '\0')
    {
      g_task_return_new_error (task, TB_ERROR, TB_ERROR_PARSE, "%s",
                               _ ("The calendar is empty"));
      return;
    }
  found
      = tb_ical_events_extract (data, len - 1, &job->opts, &job->stats, &error);
  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
timer_cb (gpointer data)
{
  TbCalReader *self = data;
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  priv->timer_id = 0;
  priv->next_read = 0;
  tb_cal_reader_reread (self);
  return G_SOURCE_REMOVE;
}

static void
arm_timer (TbCalReader *self, gint64 next_end)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  /* A little after the end: a meeting that ran over is logged once it
   * is over in the calendar, and ends close together share one read. */
  gint64 at = next_end + 60;

  g_clear_handle_id (&priv->timer_id, g_source_remove);
  priv->next_read = 0;
  if (next_end == 0)
    return;
  priv->next_read = at;
  priv->timer_id = g_timeout_add_seconds (
      (guint) CLAMP (at - now, 1, G_MAXUINT / 2), timer_cb, self);
  g_source_set_name_by_id (priv->timer_id, "[tb-cal-reader] next end");
}

static void
extract_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TbCalReader *self = TB_CAL_READER (source);
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found
      = g_task_propagate_pointer (G_TASK (result), &error);

  priv->reading = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (found == NULL)
    {
      tb_cal_reader_set_error (self, error->message);
    }
  else
    {
      priv->last_found = found->len;
      priv->last_read = job->opts.now;
      g_debug ("%s: %u meetings of %u occurrences (%u cancelled, %u "
               "declined, %u alone)",
               priv->name, found->len, job->stats.occurrences,
               job->stats.cancelled, job->stats.declined, job->stats.alone);
      arm_timer (self, job->stats.next_end);
      g_signal_emit (self, signals[SIGNAL_FOUND], 0, found);
      state_changed (self);
    }
  if (priv->again)
    {
      priv->again = FALSE;
      start_read (self);
    }
}

static void
start_read (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);
  g_autoptr (GTask) task = NULL;
  Job *job;

  if (priv->text == NULL)
    return;
  if (priv->reading)
    {
      priv->again = TRUE;
      return;
    }
  job = g_new0 (Job, 1);
  job->text = g_bytes_ref (priv->text);
  job->source = g_strdup (priv->name);
  job->my_addresses = g_strdupv (priv->my_addresses);
  job->opts.source = job->source;
  job->opts.now = g_get_real_time () / G_USEC_PER_SEC;
  job->opts.since = job->opts.now - priv->since_age;
  job->opts.my_addresses = (const char *const *) job->my_addresses;
  priv->reading = TRUE;
  task = g_task_new (self, priv->cancellable, extract_done, NULL);
  g_task_set_source_tag (task, start_read);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, extract_thread);
}

void
tb_cal_reader_take_text (TbCalReader *self, GBytes *text)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  g_return_if_fail (TB_IS_CAL_READER (self));
  g_clear_pointer (&priv->text, g_bytes_unref);
  priv->text = g_bytes_ref (text);
  start_read (self);
}

void
tb_cal_reader_reread (TbCalReader *self)
{
  g_return_if_fail (TB_IS_CAL_READER (self));
  start_read (self);
}

const char *
tb_cal_reader_get_name (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->name;
}

const char *
tb_cal_reader_get_label (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->label != NULL ? priv->label : priv->name;
}

void
tb_cal_reader_set_label (TbCalReader *self, const char *label)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  g_free (priv->label);
  priv->label = g_strdup (label);
}

void
tb_cal_reader_set_scope (TbCalReader *self, gint64 since_age,
                         const char *const *my_addresses)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  g_return_if_fail (TB_IS_CAL_READER (self));
  priv->since_age = since_age > 0 ? since_age : TB_CAL_READER_DEFAULT_SINCE;
  g_strfreev (priv->my_addresses);
  priv->my_addresses = g_strdupv ((GStrv) my_addresses);
}

void
tb_cal_reader_start (TbCalReader *self)
{
  g_return_if_fail (TB_IS_CAL_READER (self));
  TB_CAL_READER_GET_CLASS (self)->start (self);
}

void
tb_cal_reader_scan (TbCalReader *self)
{
  g_return_if_fail (TB_IS_CAL_READER (self));
  TB_CAL_READER_GET_CLASS (self)->scan (self);
}

gboolean
tb_cal_reader_is_busy (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->busy || priv->reading;
}

void
tb_cal_reader_set_busy (TbCalReader *self, gboolean busy)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  if (priv->busy == busy)
    return;
  priv->busy = busy;
  state_changed (self);
}

const char *
tb_cal_reader_get_last_error (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->last_error;
}

void
tb_cal_reader_set_error (TbCalReader *self, const char *message)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  if (g_strcmp0 (priv->last_error, message) == 0)
    return;
  if (message != NULL)
    g_message ("%s: %s", priv->name, message);
  g_free (priv->last_error);
  priv->last_error = g_strdup (message);
  state_changed (self);
}

guint
tb_cal_reader_get_last_found (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->last_found;
}

gint64
tb_cal_reader_get_last_read (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->last_read;
}

gint64
tb_cal_reader_get_next_read (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  return priv->next_read;
}

static void
tb_cal_reader_default_start (TbCalReader *self)
{
}

static void
tb_cal_reader_dispose (GObject *object)
{
  TbCalReader *self = TB_CAL_READER (object);
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_handle_id (&priv->timer_id, g_source_remove);
  G_OBJECT_CLASS (tb_cal_reader_parent_class)->dispose (object);
}

static void
tb_cal_reader_finalize (GObject *object)
{
  TbCalReader *self = TB_CAL_READER (object);
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  g_free (priv->name);
  g_free (priv->label);
  g_strfreev (priv->my_addresses);
  g_clear_pointer (&priv->text, g_bytes_unref);
  g_clear_object (&priv->cancellable);
  g_free (priv->last_error);
  G_OBJECT_CLASS (tb_cal_reader_parent_class)->finalize (object);
}

static void
tb_cal_reader_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  TbCalReader *self = TB_CAL_READER (object);
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  switch (prop_id)
    {
      case PROP_NAME:
        g_free (priv->name);
        priv->name = g_value_dup_string (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_cal_reader_get_property (GObject *object, guint prop_id, GValue *value,
                            GParamSpec *pspec)
{
  TbCalReader *self = TB_CAL_READER (object);
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  switch (prop_id)
    {
      case PROP_NAME:
        g_value_set_string (value, priv->name);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_cal_reader_class_init (TbCalReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_cal_reader_dispose;
  object_class->finalize = tb_cal_reader_finalize;
  object_class->set_property = tb_cal_reader_set_property;
  object_class->get_property = tb_cal_reader_get_property;
  klass->start = tb_cal_reader_default_start;
  klass->scan = tb_cal_reader_reread;

  props[PROP_NAME] = g_param_spec_string (
      "name", NULL, NULL, NULL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* found (GPtrArray of TbFound, borrowed for the emission) */
  signals[SIGNAL_FOUND]
      = g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_cal_reader_init (TbCalReader *self)
{
  TbCalReaderPrivate *priv = tb_cal_reader_get_instance_private (self);

  priv->since_age = TB_CAL_READER_DEFAULT_SINCE;
  priv->cancellable = g_cancellable_new ();
}
