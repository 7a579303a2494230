/* tb-rows.h — contacts as rows of text for `touchbase list`: one line
 * per contact, tab-separated, fields escaped, in a fixed order. The
 * daemon writes them (WriteContactRows, see the D-Bus XML) and the client
 * reads them, so both sides are here: a list of the whole network
 * travels as bytes, not as a GVariant per field, which cost ten times
 * more than the rest of the list (bench/README.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

/* The fields of a row, in order. Times are decimal Unix seconds, 0 when
 * not set; paused is 0 or 1; tracking is tb_tracking_to_string's; tags
 * are joined by commas. In text fields a backslash, tab, newline and
 * carriage return are written \\ \t \n \r. */
typedef enum
{
  TB_ROW_ID,
  TB_ROW_NAME,
  TB_ROW_COMPANY,
  TB_ROW_TAGS,
  TB_ROW_DUE_AT,
  TB_ROW_SNOOZED_UNTIL,
  TB_ROW_LAST_CONVERSATION_AT,
  TB_ROW_PAUSED,
  TB_ROW_TRACKING,
  TB_ROW_N_FIELDS,
} TbRowField;

/* What a row holds, as the store reads it. Texts are (nullable). */
typedef struct
{
  gint64 id;
  const char *name;
  const char *company;
  const char *tags; /* joined by commas */
  gint64 due_at;
  gint64 snoozed_until;
  gint64 last_conversation_at;
  gboolean paused;
  TbTracking tracking;
} TbRow;

/* Appends @row and its newline to @out. */
void tb_rows_append (GString *out, const TbRow *row);

/* Splits one row (without its newline) in place: @fields get pointers
 * into @line, unescaped. FALSE when the row does not have
 * TB_ROW_N_FIELDS fields. */
gboolean tb_rows_split (char *line, char *fields[TB_ROW_N_FIELDS]);

/* The rows of `touchbase due` (WriteDueRows): the due contacts, most
 * overdue first, then the open follow-ups, soonest first. Escaped as
 * above; kind is "contact" or "follow-up" (untranslated); a contact's
 * contact_id is its id and its text is empty; a follow-up's
 * last_conversation_at is its contact's. */
typedef enum
{
  TB_DUE_ROW_KIND,
  TB_DUE_ROW_ID,
  TB_DUE_ROW_CONTACT_ID,
  TB_DUE_ROW_NAME,
  TB_DUE_ROW_DUE_AT,
  TB_DUE_ROW_LAST_CONVERSATION_AT,
  TB_DUE_ROW_TEXT,
  TB_DUE_ROW_N_FIELDS,
} TbDueRowField;

typedef struct
{
  gboolean follow_up;
  gint64 id;
  gint64 contact_id;
  const char *name; /* (nullable) */
  gint64 due_at;
  gint64 last_conversation_at;
  const char *text; /* (nullable) */
} TbDueRow;

void tb_due_rows_append (GString *out, const TbDueRow *row);
gboolean tb_due_rows_split (char *line, char *fields[TB_DUE_ROW_N_FIELDS]);

G_END_DECLS
