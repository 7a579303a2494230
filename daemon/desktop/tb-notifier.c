/* tb-notifier.c — libnotify and the org.freedesktop.Notifications name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-notifier"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "tb-error.h"
#include "tb-notifier.h"
#include "touchbase/tb-names.h"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"

struct _TbNotifier
{
  guint watch_id;
  gboolean available;
  GHashTable *live; /* (owned) NotifyNotification -> Notice, until closed */
  TbNotifierActionFunc on_action;
  TbNotifierServerFunc on_server;
  gpointer user_data;
};

typedef struct
{
  TbNotifier *notifier; /* (unowned) */
  TbNoticeKind kind;
  gint64 id;
  gint64 other_id;
  gboolean acted; /* one of its actions ran: the others do nothing */
} Notice;

static void
on_name_appeared (GDBusConnection *connection, const char *name,
                  const char *owner, gpointer user_data)
{
  TbNotifier *self = user_data;

  g_info ("Notification server %s appeared", owner);
  self->available = TRUE;
  if (self->on_server != NULL)
    self->on_server (TRUE, self->user_data);
}

static void
on_name_vanished (GDBusConnection *connection, const char *name,
                  gpointer user_data)
{
  TbNotifier *self = user_data;

  if (self->available)
    g_info ("Notification server went away; alerts wait for it");
  self->available = FALSE;
  /* A new server numbers its notifications from 1 again, and libnotify
   * routes ActionInvoked by number only: a stale object would take the
   * clicks meant for a new one. The old server will never close them. */
  g_hash_table_remove_all (self->live);
  if (self->on_server != NULL)
    self->on_server (FALSE, self->user_data);
}

static void
drop_notification (gpointer data)
{
  g_object_unref (data);
}

TbNotifier *
tb_notifier_new (TbNotifierActionFunc on_action, TbNotifierServerFunc on_server,
                 gpointer user_data)
{
  TbNotifier *self = g_new0 (TbNotifier, 1);

  self->on_action = on_action;
  self->on_server = on_server;
  self->user_data = user_data;
  self->live = g_hash_table_new_full (NULL, NULL, drop_notification, g_free);
  notify_init ("touchbase");
  /* Watching the name is how a pending alert learns that a server came:
   * no polling. AUTO_START asks the bus to activate a server that is
   * installed but not running yet. */
  self->watch_id
      = g_bus_watch_name (G_BUS_TYPE_SESSION, NOTIFICATIONS_NAME,
                          G_BUS_NAME_WATCHER_FLAGS_AUTO_START, on_name_appeared,
                          on_name_vanished, self, NULL);
  return self;
}

void
tb_notifier_free (TbNotifier *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_pointer (&self->live, g_hash_table_unref);
  notify_uninit ();
  g_free (self);
}

gboolean
tb_notifier_is_available (TbNotifier *self)
{
  return self->available;
}

void
tb_notifier_query_style (TbNotifier *self, TbReminderStyle *style)
{
  GList *caps = notify_get_server_caps ();

  style->markup
      = g_list_find_custom (caps, "body-markup", (GCompareFunc) g_strcmp0)
        != NULL;
  style->actions
      = g_list_find_custom (caps, "actions", (GCompareFunc) g_strcmp0) != NULL;
  g_list_free_full (caps, g_free);
}

static void
on_action (NotifyNotification *n, char *action, gpointer user_data)
{
  Notice *notice = user_data;
  TbNotifier *self = notice->notifier;

  g_autoptr (GError) error = NULL;

  /* A second press (a double click, a server that delivers twice, a
   * click that arrives before the close) must not log twice. */
  if (notice->acted)
    {
      g_debug ("Ignoring action %s on a notice already acted on", action);
      return;
    }
  notice->acted = TRUE;
  g_debug ("Action %s on notice %d/%" G_GINT64_FORMAT, action, notice->kind,
           notice->id);
  /* The specification leaves closing to the server unless the
   * notification is resident, and some (dunst) keep it on screen: a
   * reminder already answered would still ask. The object stays alive
   * until the server says it closed it. */
  if (!notify_notification_close (n, &error))
    g_debug ("Cannot close the notification: %s", error->message);
  self->on_action (notice->kind, notice->id, notice->other_id, action,
                   self->user_data);
}

static void
on_closed (NotifyNotification *n, gpointer user_data)
{
  TbNotifier *self = user_data;

  g_hash_table_remove (self->live, n);
}

gboolean
tb_notifier_show (TbNotifier *self, const TbReminderText *text,
                  TbNoticeKind kind, gint64 id, gint64 other_id,
                  const TbNoticeAction *actions, GError **error)
{
  NotifyNotification *n;
  Notice *notice;
  g_autoptr (GError) local_error = NULL;

  if (!self->available)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_FAILED,
                           "No notification server");
      return FALSE;
    }

  n = notify_notification_new (text->summary, text->body, NULL);
  notice = g_new0 (Notice, 1);
  notice->notifier = self;
  notice->kind = kind;
  notice->id = id;
  notice->other_id = other_id;

  notify_notification_set_app_name (n, "touchbase");
  notify_notification_set_hint_string (n, "desktop-entry", TB_DESKTOP_ID);
  notify_notification_set_category (n, "x-touchbase.reminder");
  notify_notification_set_urgency (n, NOTIFY_URGENCY_NORMAL);
  for (guint i = 0; actions && actions[i].key; i++)
    notify_notification_add_action (n, actions[i].key, _ (actions[i].label),
                                    on_action, notice, NULL);
  g_signal_connect (n, "closed", G_CALLBACK (on_closed), self);

  if (!notify_notification_show (n, &local_error))
    {
      g_object_unref (n);
      g_free (notice);
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   "The notification server did not take the alert: %s",
                   local_error->message);
      return FALSE;
    }
  /* Keep it (and the notice its actions point at) until it is closed:
   * libnotify routes ActionInvoked only to live objects. */
  g_hash_table_insert (self->live, n, notice);
  return TRUE;
}
