/* tb-source.c — the base of every source: its name, state and last
 * scan, and the scan record a reader fills in its worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include "tb-keys.h"
#include "tb-source.h"

struct _TbSourceScan
{
  char *name; /* (owned) the source's, set on each record */
  gint64 since;
  gint64 now;
  char *cursor;     /* (owned) (nullable) */
  GHashTable *own;  /* (owned) tb_email_key set */
  GPtrArray *found; /* (owned) of TbFound */
  char *new_cursor; /* (owned) (nullable) */
  GStrvBuilder *learned;
  GStrv learned_end; /* (owned) (nullable) */
  guint n_learned;
  TbSourceProgressFunc progress;
  gpointer progress_data;
  gint64 progress_at; /* monotonic µs of the last call passed on */
};

typedef struct
{
  char *kind;     /* (owned) */
  char *location; /* (owned) (nullable) */
  char *name;     /* (owned) */
  TbSourceState state;
  char *last_error; /* (owned) (nullable) */
  TbSourceLast last;
  gboolean watching;
} TbSourcePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TbSource, tb_source, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_LOCATION,
  N_PROPS,
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

const char *
tb_source_state_to_string (TbSourceState state)
{
  switch (state)
    {
      case TB_SOURCE_IDLE:
        return "idle";
      case TB_SOURCE_SCANNING:
        return "scanning";
      case TB_SOURCE_ERROR:
        return "error";
      case TB_SOURCE_OFF:
        return "off";
      default:
        return "idle";
    }
}

static void
tb_source_finalize (GObject *object)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (TB_SOURCE (object));

  g_free (priv->kind);
  g_free (priv->location);
  g_free (priv->name);
  g_free (priv->last_error);
  G_OBJECT_CLASS (tb_source_parent_class)->finalize (object);
}

static void
tb_source_set_property (GObject *object, guint prop_id, const GValue *value,
                        GParamSpec *pspec)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (TB_SOURCE (object));

  switch (prop_id)
    {
      case PROP_KIND:
        g_free (priv->kind);
        priv->kind = g_value_dup_string (value);
        break;
      case PROP_LOCATION:
        g_free (priv->location);
        priv->location = g_value_dup_string (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_source_get_property (GObject *object, guint prop_id, GValue *value,
                        GParamSpec *pspec)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (TB_SOURCE (object));

  switch (prop_id)
    {
      case PROP_KIND:
        g_value_set_string (value, priv->kind);
        break;
      case PROP_LOCATION:
        g_value_set_string (value, priv->location);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_source_constructed (GObject *object)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (TB_SOURCE (object));

  G_OBJECT_CLASS (tb_source_parent_class)->constructed (object);
  priv->name = tb_found_source_name (priv->kind ? priv->kind : "source",
                                     priv->location);
}

static void
tb_source_class_init (TbSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_source_finalize;
  object_class->set_property = tb_source_set_property;
  object_class->get_property = tb_source_get_property;
  object_class->constructed = tb_source_constructed;
  props[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL,
                                          G_PARAM_WRITABLE | G_PARAM_READABLE
                                              | G_PARAM_CONSTRUCT_ONLY
                                              | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCATION] = g_param_spec_string (
      "location", NULL, NULL, NULL,
      G_PARAM_WRITABLE | G_PARAM_READABLE | G_PARAM_CONSTRUCT_ONLY
          | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /* A reader saw something change (tb_source_changed). */
  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_source_init (TbSource *self)
{
}

const char *
tb_source_get_name (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return priv->name;
}

const char *
tb_source_get_kind (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return priv->kind;
}

const char *
tb_source_get_location (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return priv->location;
}

void
tb_source_changed (TbSource *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

TbSourceState
tb_source_get_state (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return priv->state;
}

void
tb_source_set_state (TbSource *self, TbSourceState state)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  priv->state = state;
}

const char *
tb_source_get_last_error (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return priv->last_error;
}

void
tb_source_set_last_error (TbSource *self, const char *message)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  g_free (priv->last_error);
  priv->last_error = g_strdup (message);
  if (message != NULL)
    priv->state = TB_SOURCE_ERROR;
}

const TbSourceLast *
tb_source_get_last (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return &priv->last;
}

void
tb_source_set_last (TbSource *self, const TbSourceLast *last)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  priv->last = *last;
}

gboolean
tb_source_is_watching (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);

  return priv->watching;
}

gboolean
tb_source_watch (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);
  TbSourceClass *klass = TB_SOURCE_GET_CLASS (self);
  g_autoptr (GError) error = NULL;

  if (priv->watching || klass->watch == NULL)
    return priv->watching;
  if (!klass->watch (self, &error))
    {
      g_message ("Not following %s: %s", priv->name, error->message);
      tb_source_set_last_error (self, error->message);
      return FALSE;
    }
  priv->watching = TRUE;
  return TRUE;
}

void
tb_source_unwatch (TbSource *self)
{
  TbSourcePrivate *priv = tb_source_get_instance_private (self);
  TbSourceClass *klass = TB_SOURCE_GET_CLASS (self);

  if (!priv->watching)
    return;
  if (klass->unwatch != NULL)
    klass->unwatch (self);
  priv->watching = FALSE;
}

gboolean
tb_source_run_scan (TbSource *self, TbSourceScan *scan,
                    GCancellable *cancellable, GError **error)
{
  TbSourceClass *klass = TB_SOURCE_GET_CLASS (self);

  g_return_val_if_fail (klass->scan != NULL, FALSE);
  return klass->scan (self, scan, cancellable, error);
}

/* The scan record */

TbSourceScan *
tb_source_scan_new (TbSource *source, gint64 since, gint64 now,
                    const char *cursor, GHashTable *own,
                    TbSourceProgressFunc progress, gpointer progress_data)
{
  TbSourceScan *scan = g_new0 (TbSourceScan, 1);

  scan->name = g_strdup (tb_source_get_name (source));
  scan->since = since;
  scan->now = now;
  scan->cursor = g_strdup (cursor);
  /* A copy: the reader learns addresses into it in its thread. */
  scan->own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (own != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, own);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (scan->own, g_strdup (key));
    }
  scan->found = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_found_free);
  scan->learned = g_strv_builder_new ();
  scan->progress = progress;
  scan->progress_data = progress_data;
  return scan;
}

void
tb_source_scan_free (TbSourceScan *scan)
{
  if (scan == NULL)
    return;
  g_free (scan->name);
  g_free (scan->cursor);
  g_hash_table_unref (scan->own);
  g_ptr_array_unref (scan->found);
  g_free (scan->new_cursor);
  g_strv_builder_unref (scan->learned);
  g_strfreev (scan->learned_end);
  g_free (scan);
}

gint64
tb_source_scan_get_since (TbSourceScan *scan)
{
  return scan->since;
}

gint64
tb_source_scan_get_now (TbSourceScan *scan)
{
  return scan->now;
}

const char *
tb_source_scan_get_cursor (TbSourceScan *scan)
{
  return scan->cursor;
}

gboolean
tb_source_scan_is_own (TbSourceScan *scan, const char *address)
{
  g_autofree char *key = tb_email_key (address);

  return key != NULL && g_hash_table_contains (scan->own, key);
}

GStrv
tb_source_scan_dup_own (TbSourceScan *scan)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, scan->own);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (b, key);
  return g_strv_builder_end (b);
}

gboolean
tb_source_scan_knows_own (TbSourceScan *scan)
{
  return g_hash_table_size (scan->own) > 0;
}

void
tb_source_scan_add (TbSourceScan *scan, TbFound *found)
{
  g_free (found->source);
  found->source = g_strdup (scan->name);
  g_ptr_array_add (scan->found, found);
}

void
tb_source_scan_progress (TbSourceScan *scan, guint64 done, guint64 total)
{
  gint64 t = g_get_monotonic_time ();

  if (scan->progress == NULL)
    return;
  /* A few times a second is enough for a bar, and keeps the main loop
   * and the bus free for other clients. */
  if (t - scan->progress_at < G_USEC_PER_SEC / 5 && done != total)
    return;
  scan->progress_at = t;
  scan->progress (done, total, scan->progress_data);
}

void
tb_source_scan_set_cursor (TbSourceScan *scan, const char *cursor)
{
  g_free (scan->new_cursor);
  scan->new_cursor = g_strdup (cursor);
}

void
tb_source_scan_learn_address (TbSourceScan *scan, const char *address)
{
  g_autofree char *key = tb_email_key (address);

  if (key == NULL || g_hash_table_contains (scan->own, key))
    return;
  g_hash_table_add (scan->own, g_strdup (key));
  g_strv_builder_add (scan->learned, key);
  scan->n_learned++;
}

GPtrArray *
tb_source_scan_get_found (TbSourceScan *scan)
{
  return scan->found;
}

const char *
tb_source_scan_get_new_cursor (TbSourceScan *scan)
{
  return scan->new_cursor;
}

const char *const *
tb_source_scan_get_learned (TbSourceScan *scan)
{
  if (scan->n_learned == 0)
    return NULL;
  if (scan->learned_end == NULL)
    scan->learned_end = g_strv_builder_end (scan->learned);
  return (const char *const *) scan->learned_end;
}

GFileMonitor *
tb_source_monitor (GFile *file, gboolean directory, GCallback on_changed,
                   gpointer data, GError **error)
{
  GFileMonitor *monitor
      = directory ? g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES,
                                              NULL, error)
                  : g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL,
                                         error);

  if (monitor != NULL)
    g_signal_connect (monitor, "changed", on_changed, data);
  return monitor;
}

void
tb_source_monitor_clear (GFileMonitor **monitor, gpointer data)
{
  if (*monitor == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*monitor, data);
  g_file_monitor_cancel (*monitor);
  g_clear_object (monitor);
}
