/* tb-stream.h — what the daemon writes into a memfd for the client
 * (WriteContactRows, WriteDueRows): read back a line or a record at a
 * time, and JSON arrays printed an element at a time, so the client's
 * memory does not grow with the network either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gunixfdlist.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A new memfd appended to @fds, its index there in *@out_index: the
 * descriptor (the caller closes it), or -1 with @error set. */
int tb_stream_memfd (GUnixFDList *fds, int *out_index, GError **error);

/* Called with each line, its newline removed; the line may be changed
 * in place. FALSE (with @error set) stops. */
typedef gboolean (*TbStreamLineFunc) (char *line, gpointer user_data,
                                      GError **error);

/* Reads @fd from its start, a block at a time. A last line without its
 * newline is an error: the daemon ends every row with one. */
gboolean tb_stream_foreach_line (int fd, TbStreamLineFunc func,
                                 gpointer user_data, GError **error);

/* Called with each record (an a{sv}, valid only during the call). */
typedef gboolean (*TbStreamRecordFunc) (GVariant *record, gpointer user_data,
                                        GError **error);

/* The records of the "records" format (the D-Bus XML) in @fd. */
gboolean tb_stream_foreach_record (int fd, TbStreamRecordFunc func,
                                   gpointer user_data, GError **error);

/* A JSON array printed on stdout one element at a time, laid out as
 * tb_output_print_json() lays out a whole one. @indent: the columns in
 * front of its lines after the first (2 for an array that is a member
 * of the top object); @key: the member's name, or NULL for an array
 * that is the whole output. */
typedef struct
{
  guint indent;
  guint n;
} TbJsonArray;

void tb_json_array_begin (TbJsonArray *array, const char *key, guint indent);
/* Takes @element. */
void tb_json_array_add (TbJsonArray *array, JsonNode *element);
void tb_json_array_end (TbJsonArray *array);

G_END_DECLS
