/* tb-engine-export.c — bringing contacts in and taking them out: the
 * importer runs in one transaction of the store; the exports write to
 * the stream as they read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-backup.h"
#include "tb-engine-private.h"
#include "tb-error.h"
#include "tb-export-contacts.h"

gboolean
tb_engine_import (TbEngine *self, GInputStream *stream,
                  TbImportOptions *options, TbImportResult *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *file = NULL;
  gboolean ok;

  if (options->interval < 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("The interval must be positive"));
      return FALSE;
    }
  /* The name travels in every problem the import reports and into the
   * list of changes. */
  if (!tb_text_check_size (_ ("The file name"), options->filename,
                           TB_TEXT_MAX_FILE_NAME, error))
    return FALSE;
  options->now = tb_engine_now (self);
  /* A dry run is rolled back by the importer: nothing to undo. The list
   * names the file as people name it, without its folders. */
  if (options->filename != NULL)
    file = g_path_get_basename (options->filename);
  if (!options->dry_run
      && !tb_engine_begin_change (self, "import", 0, file, error))
    return FALSE;
  ok = tb_importer_run (tb_engine_get_store (self), stream, options, out,
                        &local);
  if (ok && !options->dry_run)
    tb_store_set_change_detail (
        tb_engine_get_store (self),
        g_variant_new_parsed ("{'added': <%u>, 'updated': <%u>}", out->added,
                              out->updated));
  if (!options->dry_run)
    {
      /* The importer's own commit was inside the change: this one
       * writes, and emits "changed" when it did. */
      if (!tb_store_end_change (tb_engine_get_store (self), ok,
                                ok ? &local : NULL))
        ok = FALSE;
      else
        tb_store_trim_wal (tb_engine_get_store (self));
    }
  if (!ok)
    {
      /* A read that failed (an I/O error on the caller's file) is the
       * import's, in TB_ERROR like every error a client sees. */
      if (local->domain != TB_ERROR)
        {
          g_set_error (
              error, TB_ERROR, TB_ERROR_FAILED, _ ("Cannot read %s: %s"),
              options->filename != NULL ? options->filename : _ ("the file"),
              local->message);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* A dry run, or a file that matched everything unchanged, wrote
   * nothing. */
  if (!options->dry_run && (out->added > 0 || out->updated > 0))
    tb_engine_emit_changed (self);
  return TRUE;
}

static gboolean
export_json (TbEngine *self, GOutputStream *out, GError **error)
{
  return tb_backup_write (tb_engine_get_store (self), out, error);
}

static gboolean
export_vcard (TbEngine *self, GOutputStream *out, GError **error)
{
  return tb_export_vcard (tb_engine_get_store (self), out, error);
}

static gboolean
export_csv (TbEngine *self, GOutputStream *out, GError **error)
{
  return tb_export_csv (tb_engine_get_store (self), out,
                        tb_engine_get_time_zone (self), error);
}

static const struct
{
  const char *format;
  gboolean (*write) (TbEngine *self, GOutputStream *out, GError **error);
} exporters[] = {
  { "json", export_json },
  { "vcard", export_vcard },
  { "csv", export_csv },
};

gboolean
tb_engine_is_export_format (const char *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (exporters); i++)
    if (g_str_equal (format, exporters[i].format))
      return TRUE;
  return FALSE;
}

gboolean
tb_engine_export (TbEngine *self, const char *format, GOutputStream *out,
                  GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (exporters); i++)
    if (g_str_equal (format, exporters[i].format))
      return exporters[i].write (self, out, error);
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("Unknown export format “%s”: use ics, vcard, json or csv"),
               format);
  return FALSE;
}
