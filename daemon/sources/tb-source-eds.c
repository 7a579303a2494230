/* tb-source-eds.c — the calendars of evolution-data-server (`[sources]
 * eds=`), one source for all of them ("eds"): an event in two of them
 * (an invitation in a personal and a shared calendar) has one UID and
 * is logged once.
 *
 * The scan reads every enabled calendar with tb-eds-calendars.c (events
 * occurring in [since, now + a month], the month for the next meeting's
 * end) and finds the meetings in them as in one .ics; a calendar's owner
 * address (its backend's cal-email-address) counts as the user's and is
 * learned for the other sources. A calendar that cannot be opened is
 * named in the source's error while the others are read.
 *
 * The watch follows the registry and one client view per calendar
 * (D-Bus signals); a change asks for a scan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-cal-sources.h"
#include "tb-eds-calendars.h"
#include "tb-error.h"
#include "tb-ical-events.h"

#define AHEAD (31 * 24 * 3600)

#define TB_TYPE_EDS_SOURCE (tb_eds_source_get_type ())
G_DECLARE_FINAL_TYPE (TbEdsSource, tb_eds_source, TB, EDS_SOURCE, TbCalSource)

struct _TbEdsSource
{
  TbCalSource parent_instance;
  TbEdsWatch *watch; /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (TbEdsSource, tb_eds_source, TB_TYPE_CAL_SOURCE)

static GBytes *
tb_eds_source_read (TbCalSource *source, TbSourceScan *scan, GStrv *own,
                    GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) calendars = NULL;
  g_autoptr (GStrvBuilder) owners = g_strv_builder_new ();
  g_autoptr (GString) failed = g_string_new (NULL);
  GString *text = g_string_new (NULL);
  guint read = 0;

  g_auto (GStrv) identities = NULL;

  calendars = tb_eds_read_calendars (tb_source_scan_get_since (scan),
                                     tb_source_scan_get_now (scan) + AHEAD,
                                     &identities, cancellable, error);
  if (calendars == NULL)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  /* The mail identities are the user: also for the mail sources. */
  for (guint i = 0; identities != NULL && identities[i] != NULL; i++)
    g_strv_builder_add (owners, identities[i]);
  for (guint i = 0; i < calendars->len; i++)
    {
      TbEdsCalendar *c = calendars->pdata[i];

      if (c->error != NULL)
        {
          g_message ("Cannot read calendar “%s” (%s): %s", c->label, c->uid,
                     c->error);
          g_string_append_printf (failed, "%s“%s”: %s",
                                  failed->len > 0 ? "; " : "", c->label,
                                  c->error);
          continue;
        }
      read++;
      if (c->my_address != NULL)
        g_strv_builder_add (owners, c->my_address);
      if (c->text != NULL)
        g_string_append_len (text, g_bytes_get_data (c->text, NULL),
                             (gssize) g_bytes_get_size (c->text));
    }
  if (read == 0 && failed->len > 0)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED, "%s", failed->str);
      g_string_free (text, TRUE);
      return NULL;
    }
  if (text->len > TB_ICAL_EVENTS_MAX_BYTES)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED, "%s",
                   _ ("The calendars are too large to read"));
      g_string_free (text, TRUE);
      return NULL;
    }
  *own = g_strv_builder_end (owners);
  {
    gsize len = text->len;

    return g_bytes_new_take (g_string_free (text, FALSE), len);
  }
}

static void
on_changed (gpointer user_data)
{
  tb_source_changed (user_data);
}

static gboolean
tb_eds_source_watch_changes (TbCalSource *source, GError **error)
{
  TbEdsSource *self = TB_EDS_SOURCE (source);

  if (self->watch == NULL)
    self->watch = tb_eds_watch_new (on_changed, self);
  return TRUE;
}

static void
tb_eds_source_unwatch_changes (TbCalSource *source)
{
  TbEdsSource *self = TB_EDS_SOURCE (source);

  g_clear_pointer (&self->watch, tb_eds_watch_free);
}

static void
tb_eds_source_dispose (GObject *object)
{
  tb_eds_source_unwatch_changes (TB_CAL_SOURCE (object));
  G_OBJECT_CLASS (tb_eds_source_parent_class)->dispose (object);
}

static void
tb_eds_source_class_init (TbEdsSourceClass *klass)
{
  TbCalSourceClass *cal_class = TB_CAL_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tb_eds_source_dispose;
  cal_class->read = tb_eds_source_read;
  cal_class->watch_changes = tb_eds_source_watch_changes;
  cal_class->unwatch_changes = tb_eds_source_unwatch_changes;
}

static void
tb_eds_source_init (TbEdsSource *self)
{
}

TbSource *
tb_eds_source_new (void)
{
  return g_object_new (TB_TYPE_EDS_SOURCE, "kind", "eds", NULL);
}
