/* tb-found.h — what a source found: one sent message or one meeting, as
 * a pure record, and the rules that turn it into interactions
 * (docs/design.md §12). Readers (daemon/sources) make them; the engine
 * (tb_engine_record_found) matches their addresses to contacts and
 * writes them. No I/O here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

typedef struct
{
  /* The source's name as `touchbase sources` shows it, e.g.
   * "maildir:~/Mail/Sent", "mbox:~/.thunderbird/x/Sent", "notmuch",
   * "ics:/path/cal.ics", "caldav:https://host/cal/", "eds:<source uid>"
   * (tb_found_source_name). */
  char *source; /* (owned) */
  /* What it is, the same wherever it is found: for mail the Message-ID
   * without its angle brackets; for an event its UID, and for one
   * occurrence of a recurring event "UID/RECURRENCE-ID" with the
   * occurrence's start in UTC as 20260105T090000Z. The same message in
   * two folders, or in a maildir and notmuch, has one key, so it is
   * logged once (tb_found_origin_key). */
  char *key; /* (owned) */
  gint64 at; /* the message's Date, the occurrence's start (Unix seconds) */
  TbInteractionKind kind; /* email for mail; meeting or video for events */
  /* For events the SUMMARY; for mail NULL: only headers are read and a
   * subject is content the user never asked touchbase to keep. */
  char *note; /* (owned) (nullable) */
  /* The other people: a sent message's To and Cc, an event's organizer
   * and attendees (without those who declined), as written; the engine
   * compares them by tb_email_key, so case and blanks do not matter. */
  GStrv addresses; /* (owned) */
} TbFound;

TbFound *tb_found_new (const char *source, const char *key, gint64 at,
                       TbInteractionKind kind, const char *note,
                       const char *const *addresses);
void tb_found_free (TbFound *found);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbFound, tb_found_free)

/* What one batch did (tb_engine_record_found adds to it, so one result
 * can sum several batches). */
typedef struct
{
  guint found;   /* records offered */
  guint logged;  /* interactions written */
  guint already; /* (record, contact) pairs logged before: the same key, or
                    one logged by hand that day of that kind */
  guint unknown; /* addresses of no contact (each once per batch) */
  guint own;     /* the user's own addresses, skipped */
  guint future;  /* records after now, skipped */
  /* (nullable) contact ids (gint64 *) given an interaction; set it to
   * count contacts over several batches. */
  GHashTable *contacts;
  /* (nullable) tb_email_key of the unknown addresses, likewise; only in
   * memory, never stored. */
  GHashTable *unknown_keys;
} TbFoundResult;

/* A result with both sets, to sum batches; free with tb_found_result_clear. */
void tb_found_result_init (TbFoundResult *result);
void tb_found_result_clear (TbFoundResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbFoundResult, tb_found_result_clear)

/* The source's name: @kind ":" @location with the home directory
 * written "~", or @kind alone when @location is NULL ("notmuch"). */
char *tb_found_source_name (const char *kind, const char *location);

/* The key the store keeps unique per contact: "mail:" or "event:" (by
 * @found's kind: email is mail) and the key, so a Message-ID and an
 * event UID never collide. */
char *tb_found_origin_key (const TbFound *found);

/* A message's Message-ID as a key: without blanks and angle brackets;
 * NULL when nothing is left. */
char *tb_found_message_id_key (const char *message_id);

/* The set of the user's own addresses (tb_email_key → itself) from
 * @addresses (nullable, any spelling). */
GHashTable *tb_found_own_set (const char *const *addresses);

/* The local day of @t in @tz: [*start, *end). The rule "one logged by
 * hand on the same day is not doubled" compares with it. */
void tb_found_day (gint64 t, GTimeZone *tz, gint64 *start, gint64 *end);

G_END_DECLS
