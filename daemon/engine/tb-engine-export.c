/* tb-export-data.c — the Export method's json, vcard and csv formats.
 *
 * The export is built in memory on the main thread (a consistent read of
 * the store) and written by tb-export.c's thread; 30,000 contacts are a
 * few megabytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-export"

#include "config.h"

#include "tb-backup.h"
#include "tb-export-contacts.h"
#include "tb-export-data.h"

static GBytes *
finish (GOutputStream *out, gboolean ok)
{
  if (!ok || !g_output_stream_close (out, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

GBytes *
tb_export_data_json (TbDaemon *daemon, GVariant *options, GError **error)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  return finish (out, tb_backup_write (daemon->store, out, error));
}

GBytes *
tb_export_data_vcard (TbDaemon *daemon, GVariant *options, GError **error)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  return finish (out, tb_export_vcard (daemon->store, out, error));
}

GBytes *
tb_export_data_csv (TbDaemon *daemon, GVariant *options, GError **error)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  return finish (out, tb_export_csv (daemon->store, out, daemon->tz, error));
}
