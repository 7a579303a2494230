/* tb-cal-reader.h — what the calendar sources share: a reader turns the
 * iCalendar text of one calendar into TbFound records (tb-ical-events.h)
 * in a worker thread and hands them out with the "found" signal, every
 * time the calendar is read, the whole window each time (the engine
 * drops what it knows by source and key).
 *
 * The subclasses get the text (an .ics file or URL: tb-ics-source.h,
 * CalDAV: tb-caldav-source.h, evolution-data-server: tb-eds-source.h)
 * and call tb_cal_reader_take_text(). A meeting still to come is found
 * when it has ended: the reader keeps the last text and reads it again
 * at the next end the events gave (TbIcalEventsStats.next_end), on a
 * one-shot timer; that and what the subclasses watch are the only
 * wake-ups, so an idle calendar costs no system calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-ical-events.h"

G_BEGIN_DECLS

#define TB_CAL_READER_DEFAULT_SINCE ((gint64) 365 * 24 * 3600)

#define TB_TYPE_CAL_READER (tb_cal_reader_get_type ())
G_DECLARE_DERIVABLE_TYPE (TbCalReader, tb_cal_reader, TB, CAL_READER, GObject)

struct _TbCalReaderClass
{
  GObjectClass parent_class;

  /* Start watching and read for the first time. */
  void (*start) (TbCalReader *self);
  /* Read again now; remote calendars ask the server. */
  void (*scan) (TbCalReader *self);
};

/* The source name of every record ("ics:/path", "caldav:URL", "eds:UID"),
 * set at construction ("name" property). */
const char *tb_cal_reader_get_name (TbCalReader *self);
/* A name for people: the file, URL or calendar's display name. */
const char *tb_cal_reader_get_label (TbCalReader *self);

/* What to find: meetings that started at most @since_age seconds ago,
 * the user being @my_addresses (lower-cased; NULL: unknown). Takes effect
 * at the next read. */
void tb_cal_reader_set_scope (TbCalReader *self, gint64 since_age,
                              const char *const *my_addresses);

void tb_cal_reader_start (TbCalReader *self);
void tb_cal_reader_scan (TbCalReader *self);

/* State, for `touchbase sources`. */
gboolean tb_cal_reader_is_busy (TbCalReader *self);
const char *tb_cal_reader_get_last_error (TbCalReader *self); /* nullable */
guint tb_cal_reader_get_last_found (TbCalReader *self); /* in the last read */
gint64 tb_cal_reader_get_last_read (TbCalReader *self); /* Unix s; 0 never */
gint64 tb_cal_reader_get_next_read (TbCalReader *self); /* Unix s; 0 none */

/* For the subclasses. */
void tb_cal_reader_set_label (TbCalReader *self, const char *label);
void tb_cal_reader_set_busy (TbCalReader *self, gboolean busy);
/* @message NULL clears the error. Emits "state-changed". */
void tb_cal_reader_set_error (TbCalReader *self, const char *message);
/* The calendar's whole text; read in a thread, then "found". */
void tb_cal_reader_take_text (TbCalReader *self, GBytes *text);
/* Reads the last text again (the window moved). */
void tb_cal_reader_reread (TbCalReader *self);

G_END_DECLS
