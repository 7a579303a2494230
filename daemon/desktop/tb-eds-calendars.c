/* tb-eds-calendars.c — evolution-data-server's calendars: read with
 * libecal in a worker thread, followed with client views on the main
 * loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-eds"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-eds-calendars.h"
#include "tb-error.h"

#ifdef HAVE_EDS
/* e-flag.h still names GTimeVal. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libecal/libecal.h>
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#endif

/* Not waiting for a backend to come online ((guint32) -1; 0 would wait
 * for ever): what it has cached is what the user sees too, and a
 * backend without a network never says it is connected. */
#define CONNECT_WAIT_S ((guint32) -1)

void
tb_eds_calendar_free (TbEdsCalendar *calendar)
{
  if (calendar == NULL)
    return;
  g_free (calendar->uid);
  g_free (calendar->label);
  g_free (calendar->my_address);
  g_clear_pointer (&calendar->text, g_bytes_unref);
  g_free (calendar->error);
  g_free (calendar);
}

gboolean
tb_eds_available (void)
{
#ifdef HAVE_EDS
  g_autoptr (GDBusConnection) bus
      = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (GVariant) names = NULL;
  g_autoptr (GVariantIter) iter = NULL;
  gboolean has = FALSE;
  const char *name;

  if (bus == NULL)
    return FALSE;
  owned = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
      "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new ("(s)", TB_EDS_SOURCES_BUS_NAME), G_VARIANT_TYPE ("(b)"),
      G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (owned != NULL)
    g_variant_get (owned, "(b)", &has);
  if (has)
    return TRUE;
  names = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
      "org.freedesktop.DBus", "ListActivatableNames", NULL,
      G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (names == NULL)
    return FALSE;
  g_variant_get (names, "(as)", &iter);
  while (g_variant_iter_next (iter, "&s", &name))
    if (strcmp (name, TB_EDS_SOURCES_BUS_NAME) == 0)
      return TRUE;
  return FALSE;
#else
  return FALSE;
#endif
}

#ifdef HAVE_EDS

static char *
isodate (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt != NULL ? g_date_time_format (dt, "%Y%m%dT%H%M%SZ")
                    : g_strdup ("19700101T000000Z");
}

/* The TZIDs @comp's properties name, into @tzids. */
static void
collect_tzids (ICalComponent *comp, GHashTable *tzids)
{
  for (ICalProperty *prop
       = i_cal_component_get_first_property (comp, I_CAL_ANY_PROPERTY);
       prop != NULL;
       prop = i_cal_component_get_next_property (comp, I_CAL_ANY_PROPERTY))
    {
      ICalParameter *param
          = i_cal_property_get_first_parameter (prop, I_CAL_TZID_PARAMETER);

      if (param != NULL)
        {
          const char *tzid = i_cal_parameter_get_tzid (param);

          if (tzid != NULL && *tzid != '\0')
            g_hash_table_add (tzids, g_strdup (tzid));
          g_object_unref (param);
        }
      g_object_unref (prop);
    }
}

static void
read_one (ESource *source, gint64 since, gint64 until,
          GCancellable *cancellable, TbEdsCalendar *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (EClient) client = NULL;
  g_autofree char *start = isodate (since);
  g_autofree char *end = isodate (until);
  g_autofree char *sexp = NULL;
  g_autofree char *address = NULL;
  g_autoptr (GHashTable) tzids
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSList *comps = NULL;
  GString *text;
  GHashTableIter iter;
  const char *tzid;

  client = e_cal_client_connect_sync (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS,
                                      CONNECT_WAIT_S, cancellable, &error);
  if (client == NULL)
    {
      out->error = g_strdup (error->message);
      return;
    }
  if (e_client_get_backend_property_sync (
          client, E_CAL_BACKEND_PROPERTY_CAL_EMAIL_ADDRESS, &address,
          cancellable, NULL)
      && address != NULL && strchr (address, '@') != NULL)
    out->my_address = g_utf8_strdown (address, -1);
  sexp = g_strdup_printf (
      "(occur-in-time-range? (make-time \"%s\") (make-time \"%s\"))", start,
      end);
  if (!e_cal_client_get_object_list_sync (E_CAL_CLIENT (client), sexp, &comps,
                                          cancellable, &error))
    {
      out->error = g_strdup (error->message);
      return;
    }
  text = g_string_new ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                       "PRODID:-//touchbase//evolution-data-server//EN\r\n");
  for (GSList *l = comps; l != NULL; l = l->next)
    collect_tzids (l->data, tzids);
  g_hash_table_iter_init (&iter, tzids);
  while (g_hash_table_iter_next (&iter, (gpointer *) &tzid, NULL))
    {
      ICalTimezone *zone = NULL;
      ICalComponent *vtz;

      /* The built-in zones need no VTIMEZONE (libical knows them); the
       * calendar's own ones come from the backend. */
      if (!e_cal_client_get_timezone_sync (E_CAL_CLIENT (client), tzid, &zone,
                                           cancellable, NULL)
          || zone == NULL)
        continue;
      vtz = i_cal_timezone_get_component (zone);
      if (vtz != NULL)
        {
          g_autofree char *s = i_cal_component_as_ical_string (vtz);

          g_string_append (text, s);
          g_object_unref (vtz);
        }
    }
  for (GSList *l = comps; l != NULL; l = l->next)
    {
      g_autofree char *s = i_cal_component_as_ical_string (l->data);

      g_string_append (text, s);
      out->objects++;
    }
  g_string_append (text, "END:VCALENDAR\r\n");
  e_client_util_free_object_slist (comps);
  {
    gsize len = text->len;

    out->text = g_bytes_new_take (g_string_free (text, FALSE), len);
  }
}

static void
add_address (GStrvBuilder *b, GHashTable *seen, const char *address)
{
  char *lower;

  if (address == NULL || strchr (address, '@') == NULL)
    return;
  lower = g_utf8_strdown (address, -1);
  g_strstrip (lower);
  if (g_hash_table_add (seen, lower))
    g_strv_builder_add (b, lower);
}

static GStrv
read_identities (ESourceRegistry *registry)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr (GHashTable) seen
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GList *sources = e_source_registry_list_enabled (
      registry, E_SOURCE_EXTENSION_MAIL_IDENTITY);

  for (GList *l = sources; l != NULL; l = l->next)
    {
      ESourceMailIdentity *id
          = e_source_get_extension (l->data, E_SOURCE_EXTENSION_MAIL_IDENTITY);
      g_autoptr (GHashTable) aliases
          = e_source_mail_identity_get_aliases_as_hash_table (id);

      add_address (b, seen, e_source_mail_identity_get_address (id));
      if (aliases != NULL)
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_iter_init (&iter, aliases);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            add_address (b, seen, key);
        }
    }
  g_list_free_full (sources, g_object_unref);
  return g_strv_builder_end (b);
}

GPtrArray *
tb_eds_read_calendars (gint64 since, gint64 until, GStrv *identities,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (ESourceRegistry) registry = NULL;
  GPtrArray *out;
  GList *sources;

  registry = e_source_registry_new_sync (cancellable, error);
  if (registry == NULL)
    return NULL;
  if (identities != NULL)
    *identities = read_identities (registry);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_eds_calendar_free);
  sources
      = e_source_registry_list_enabled (registry, E_SOURCE_EXTENSION_CALENDAR);
  for (GList *l = sources; l != NULL; l = l->next)
    {
      ESource *source = l->data;
      TbEdsCalendar *calendar = g_new0 (TbEdsCalendar, 1);

      calendar->uid = e_source_dup_uid (source);
      calendar->label = e_source_dup_display_name (source);
      read_one (source, since, until, cancellable, calendar);
      g_ptr_array_add (out, calendar);
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  g_list_free_full (sources, g_object_unref);
  return out;
}

/* ---------------------------------------------------------------- watch */

struct _TbEdsWatch
{
  TbEdsChangedFunc changed;
  gpointer user_data;
  GCancellable *cancellable; /* (owned) */
  ESourceRegistry *registry; /* (owned) (nullable) */
  GHashTable *views;         /* (owned) source uid -> ECalClientView */
  GHashTable *clients;       /* (owned) source uid -> ECalClient */
  GHashTable *ready;         /* (owned) source uids whose view completed */
  char *error;               /* (owned) (nullable) */
};

typedef struct
{
  TbEdsWatch *watch; /* valid while the cancellable is not cancelled */
  char *uid;         /* (owned) */
} Pending;

static void
pending_free (Pending *p)
{
  g_free (p->uid);
  g_free (p);
}

static void
notify (TbEdsWatch *watch)
{
  watch->changed (watch->user_data);
}

static void
on_objects (ECalClientView *view, gpointer objects, gpointer user_data)
{
  notify (user_data);
}

static void
on_complete (ECalClientView *view, const GError *error, gpointer user_data)
{
  TbEdsWatch *watch = user_data;
  ECalClient *client = e_cal_client_view_ref_client (view);

  if (client != NULL)
    {
      ESource *source = e_client_get_source (E_CLIENT (client));

      g_hash_table_add (watch->ready, e_source_dup_uid (source));
      g_object_unref (client);
    }
}

static void
drop_view (gpointer data)
{
  ECalClientView *view = data;

  g_signal_handlers_disconnect_matched (view, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_objects, NULL);
  g_signal_handlers_disconnect_matched (view, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_complete, NULL);
  e_cal_client_view_stop (view, NULL);
  g_object_unref (view);
}

static void
view_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  g_autoptr (GError) error = NULL;
  GSList fields = { (gpointer) "UID", NULL };
  ECalClientView *view = NULL;
  TbEdsWatch *watch;

  if (!e_cal_client_get_view_finish (E_CAL_CLIENT (source), result, &view,
                                     &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cannot follow calendar %s: %s", p->uid, error->message);
      pending_free (p);
      return;
    }
  watch = p->watch;
  if (!g_hash_table_contains (watch->clients, p->uid))
    {
      g_object_unref (view);
      pending_free (p);
      return;
    }
  e_cal_client_view_set_flags (view, E_CAL_CLIENT_VIEW_FLAGS_NONE, NULL);
  e_cal_client_view_set_fields_of_interest (view, &fields, NULL);
  g_signal_connect (view, "objects-added", G_CALLBACK (on_objects), watch);
  g_signal_connect (view, "objects-modified", G_CALLBACK (on_objects), watch);
  g_signal_connect (view, "objects-removed", G_CALLBACK (on_objects), watch);
  g_signal_connect (view, "complete", G_CALLBACK (on_complete), watch);
  e_cal_client_view_start (view, &error);
  if (error != NULL)
    g_message ("Cannot follow calendar %s: %s", p->uid, error->message);
  g_hash_table_replace (watch->views, g_strdup (p->uid), view);
  g_debug ("Following calendar %s", p->uid);
  pending_free (p);
}

static void
client_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  g_autoptr (GError) error = NULL;
  EClient *client = e_cal_client_connect_finish (result, &error);
  TbEdsWatch *watch;

  if (client == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cannot open calendar %s: %s", p->uid, error->message);
      pending_free (p);
      return;
    }
  watch = p->watch;
  g_hash_table_replace (watch->clients, g_strdup (p->uid), client);
  e_cal_client_get_view (E_CAL_CLIENT (client), "#t", watch->cancellable,
                         view_ready, p);
}

static void
follow (TbEdsWatch *watch, ESource *source)
{
  Pending *p;

  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_CALENDAR)
      || !e_source_registry_check_enabled (watch->registry, source)
      || g_hash_table_contains (watch->clients, e_source_get_uid (source)))
    return;
  p = g_new0 (Pending, 1);
  p->watch = watch;
  p->uid = e_source_dup_uid (source);
  e_cal_client_connect (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS, CONNECT_WAIT_S,
                        watch->cancellable, client_ready, p);
}

static void
unfollow (TbEdsWatch *watch, ESource *source)
{
  const char *uid = e_source_get_uid (source);

  g_hash_table_remove (watch->views, uid);
  g_hash_table_remove (watch->clients, uid);
  g_hash_table_remove (watch->ready, uid);
}

static void
on_source_added (ESourceRegistry *registry, ESource *source, gpointer user_data)
{
  TbEdsWatch *watch = user_data;

  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_CALENDAR))
    return;
  follow (watch, source);
  notify (watch);
}

static void
on_source_removed (ESourceRegistry *registry, ESource *source,
                   gpointer user_data)
{
  TbEdsWatch *watch = user_data;

  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_CALENDAR))
    return;
  unfollow (watch, source);
  notify (watch);
}

static void
registry_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TbEdsWatch *watch = user_data;
  g_autoptr (GError) error = NULL;
  ESourceRegistry *registry = e_source_registry_new_finish (result, &error);
  GList *sources;

  if (registry == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Cannot follow evolution-data-server: %s", error->message);
      watch->error = g_strdup (error->message);
      return;
    }
  watch->registry = registry;
  g_signal_connect (registry, "source-added", G_CALLBACK (on_source_added),
                    watch);
  g_signal_connect (registry, "source-enabled", G_CALLBACK (on_source_added),
                    watch);
  g_signal_connect (registry, "source-removed", G_CALLBACK (on_source_removed),
                    watch);
  g_signal_connect (registry, "source-disabled", G_CALLBACK (on_source_removed),
                    watch);
  sources
      = e_source_registry_list_enabled (registry, E_SOURCE_EXTENSION_CALENDAR);
  for (GList *l = sources; l != NULL; l = l->next)
    follow (watch, l->data);
  g_list_free_full (sources, g_object_unref);
}

TbEdsWatch *
tb_eds_watch_new (TbEdsChangedFunc changed, gpointer user_data)
{
  TbEdsWatch *watch = g_new0 (TbEdsWatch, 1);

  watch->changed = changed;
  watch->user_data = user_data;
  watch->cancellable = g_cancellable_new ();
  watch->views
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, drop_view);
  watch->clients
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  watch->ready = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  e_source_registry_new (watch->cancellable, registry_ready, watch);
  return watch;
}

void
tb_eds_watch_free (TbEdsWatch *watch)
{
  if (watch == NULL)
    return;
  /* Callbacks still in flight see the cancellation and never touch
   * @watch. */
  g_cancellable_cancel (watch->cancellable);
  g_hash_table_unref (watch->views);
  g_hash_table_unref (watch->clients);
  g_hash_table_unref (watch->ready);
  if (watch->registry != NULL)
    {
      g_signal_handlers_disconnect_by_data (watch->registry, watch);
      g_object_unref (watch->registry);
    }
  g_object_unref (watch->cancellable);
  g_free (watch->error);
  g_free (watch);
}

const char *
tb_eds_watch_get_error (TbEdsWatch *watch)
{
  return watch->error;
}

guint
tb_eds_watch_count (TbEdsWatch *watch)
{
  return g_hash_table_size (watch->views);
}

gboolean
tb_eds_watch_follows (TbEdsWatch *watch, const char *uid)
{
  return g_hash_table_contains (watch->ready, uid);
}

#else /* !HAVE_EDS */

static void
not_built (GError **error)
{
  g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND, "%s",
               _ ("touchbase was built without evolution-data-server"));
}

GPtrArray *
tb_eds_read_calendars (gint64 since, gint64 until, GStrv *identities,
                       GCancellable *cancellable, GError **error)
{
  not_built (error);
  return NULL;
}

struct _TbEdsWatch
{
  char *error;
};

TbEdsWatch *
tb_eds_watch_new (TbEdsChangedFunc changed, gpointer user_data)
{
  TbEdsWatch *watch = g_new0 (TbEdsWatch, 1);

  watch->error
      = g_strdup (_ ("touchbase was built without evolution-data-server"));
  return watch;
}

void
tb_eds_watch_free (TbEdsWatch *watch)
{
  if (watch == NULL)
    return;
  g_free (watch->error);
  g_free (watch);
}

const char *
tb_eds_watch_get_error (TbEdsWatch *watch)
{
  return watch->error;
}

guint
tb_eds_watch_count (TbEdsWatch *watch)
{
  return 0;
}

gboolean
tb_eds_watch_follows (TbEdsWatch *watch, const char *uid)
{
  return FALSE;
}

#endif
