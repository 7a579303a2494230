/* tb-importer.h — one import, from an open stream into the store: format
 * detection, merging of duplicates, the JSON backup, one transaction.
 *
 * No bus here: the Import D-Bus method (tb-service-import.c) and the
 * tests call tb_importer_run directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-import.h"
#include "tb-store.h"

G_BEGIN_DECLS

/* Called at most every 100 ms while records are read, in the thread
 * that runs tb_importer_run. */
typedef void (*TbImportProgressFunc) (gpointer user_data);

typedef struct
{
  TbImportFormat format; /* TB_FORMAT_UNKNOWN: detected from the content */
  const char *filename;  /* (nullable) for messages */
  const char *tag;       /* (nullable) added to every imported contact */
  gint64 interval;       /* > 0: the interval of every imported contact */
  gboolean dry_run;      /* do everything, then roll back */
  gint64 now;
  TbImportProgressFunc progress; /* (nullable) */
  gpointer progress_data;
  /* (nullable) Cancelled: the import stops at the next record and rolls
   * back, and is never committed after it. */
  GCancellable *cancellable;
} TbImportOptions;

/* How many names a dry run reports of each kind: enough to check an
 * import by eye, bounded whatever the file holds. */
#define TB_IMPORT_MAX_NAMES 1000

/* How many skipped or repaired records an import lists; the count goes
 * on past it (notes_total), the list does not, so the reply stays small
 * whatever the file. */
#define TB_IMPORT_MAX_NOTES 1000

typedef struct
{
  char *file; /* (owned) as in messages: "FILE" or "FILE/Connections.csv" */
  guint line; /* where the problem is */
  TbImportNoteKind kind;
  char *reason; /* (owned) translated */
} TbImportNote;

typedef struct
{
  TbImportFormat format;
  guint added;
  guint updated;
  guint skipped;      /* no_name + unchanged */
  guint no_name;      /* records without a name */
  guint unchanged;    /* matched a contact, and held nothing new */
  guint review;       /* of those added, how many are not tracked */
  guint interval_set; /* contacts given the import's interval */
  /* A dry run only: the names of the first TB_IMPORT_MAX_NAMES contacts
   * it would add and update. (nullable) (element-type utf8) */
  GPtrArray *added_names;
  GPtrArray *updated_names;
  /* The first TB_IMPORT_MAX_NOTES records skipped without a name or
   * repaired, in the order of the file, and how many there were.
   * (nullable) (element-type TbImportNote) */
  GPtrArray *notes;
  guint notes_total;
} TbImportResult;

void tb_import_result_clear (TbImportResult *result);

/* Reads @stream and merges its contacts into @store in one transaction
 * (@out: zero-initialised, or from an earlier run, whose names it frees):
 * on any error nothing changes, and the message names the file, the
 * line (or for a backup the JSON path) and the problem. A contact that
 * matches an existing one (tb_store_find_duplicate) is merged by
 * tb_store_merge_import; new ones are added paced. A JSON backup
 * (TB_FORMAT_JSON) is restored by tb_backup_restore. */
gboolean tb_importer_run (TbStore *store, GInputStream *stream,
                          const TbImportOptions *options, TbImportResult *out,
                          GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbImportResult, tb_import_result_clear)

G_END_DECLS
