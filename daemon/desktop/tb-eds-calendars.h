/* tb-eds-calendars.h — the calendars GNOME knows, through
 * evolution-data-server: the enabled ESourceCalendar sources of the
 * registry (local calendars, and the Google, Nextcloud, Exchange ...
 * accounts of GNOME Online Accounts or Evolution), read with libecal.
 *
 * Reading (tb_eds_read_calendars) is blocking, for the eds source's scan
 * in a worker thread: each calendar is opened (e_cal_client_connect_sync),
 * its events that occur in [since, until] are asked for with an
 * S-expression (occur-in-time-range?) — masters of recurring events and
 * their detached instances come as they are stored, and
 * tb-ical-events.c expands them as for any .ics — and written out as one
 * VCALENDAR with the VTIMEZONEs the events name (e_cal_client_get_timezone).
 * A calendar that fails to open is reported in its entry and the others
 * are read.
 *
 * Watching (TbEdsWatch) is on the main loop: the registry's signals (a
 * calendar added, removed, enabled, disabled) and one ECalClientView per
 * enabled calendar, started without the initial notifications, with only
 * the UID as field of interest: objects-added, -modified and -removed call
 * @changed, and the caller reads again. D-Bus signals only: nothing wakes
 * the daemon while the calendars do not change.
 *
 * Without libecal at build time (meson -Deds=disabled), tb_eds_available()
 * is FALSE and the rest fails with TB_ERROR_NOT_FOUND.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The registry's bus name. */
#define TB_EDS_SOURCES_BUS_NAME "org.gnome.evolution.dataserver.Sources5"

typedef struct
{
  char *uid;        /* (owned): the ESource UID */
  char *label;      /* (owned): its display name */
  char *my_address; /* (owned) (nullable): the calendar's owner, lower-cased
                     * (the backend's cal-email-address) */
  GBytes *text;     /* (owned) (nullable): NUL-terminated (not counted) */
  guint objects;    /* components read */
  char *error;      /* (owned) (nullable): why it could not be read */
} TbEdsCalendar;

void tb_eds_calendar_free (TbEdsCalendar *calendar);

/* Whether the registry is on the session bus or can be started there.
 * Blocking (one call to the bus). */
gboolean tb_eds_available (void);

/* (element-type TbEdsCalendar) (transfer full); NULL with an error when
 * the registry cannot be reached. Blocking. @identities (out) (optional):
 * the addresses of the enabled mail identities (Evolution's, GNOME Online
 * Accounts'), with their aliases, lower-cased: the user's own. */
GPtrArray *tb_eds_read_calendars (gint64 since, gint64 until, GStrv *identities,
                                  GCancellable *cancellable, GError **error);

typedef struct _TbEdsWatch TbEdsWatch;
typedef void (*TbEdsChangedFunc) (gpointer user_data);

/* Starts following the registry and the calendars; @changed is called on
 * the main loop after each change. */
TbEdsWatch *tb_eds_watch_new (TbEdsChangedFunc changed, gpointer user_data);
void tb_eds_watch_free (TbEdsWatch *watch);
/* How many calendars it follows with a view, and whether one's view is
 * running (the backend said its view is complete). */
guint tb_eds_watch_count (TbEdsWatch *watch);
gboolean tb_eds_watch_follows (TbEdsWatch *watch, const char *uid);
/* (nullable) why the registry could not be followed. */
const char *tb_eds_watch_get_error (TbEdsWatch *watch);

G_END_DECLS
