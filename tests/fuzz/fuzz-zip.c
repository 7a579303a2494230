/* fuzz-zip.c — libFuzzer harness for the ZIP entry reader (libarchive
 * under it) and the import of a LinkedIn archive on top of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "tb-zip.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Small, so a crafted archive that inflates a lot is stopped early and
 * the bound itself gets exercised. */
#define FUZZ_MAX_ENTRY_BYTES (1024 * 1024)

static void
read_entry (const guint8 *data, size_t size)
{
  g_autoptr (GInputStream) archive = fuzz_stream (data, size);
  g_autoptr (GInputStream) entry = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  guint64 total = 0;
  guint8 buffer[4096];

  entry = tb_zip_open_entry (archive, "Connections.csv", FUZZ_MAX_ENTRY_BYTES,
                             "fuzz.zip", &path, NULL, &error);
  if (entry == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_error_matches (error, TB_ERROR, TB_ERROR_PARSE)
                || g_error_matches (error, TB_ERROR, TB_ERROR_NOT_FOUND));
      g_assert (g_str_has_prefix (error->message, "fuzz.zip"));
      return;
    }
  g_assert (path != NULL);
  for (;;)
    {
      gssize n
          = g_input_stream_read (entry, buffer, sizeof buffer, NULL, &error);

      if (n < 0)
        {
          fuzz_check_error (error, "fuzz.zip/");
          return;
        }
      if (n == 0)
        break;
      total += (guint64) n;
      g_assert (total <= FUZZ_MAX_ENTRY_BYTES);
    }
  /* After the end, the end again. */
  g_assert (g_input_stream_read (entry, buffer, sizeof buffer, NULL, &error)
            == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  fuzz_init ();
  read_entry (data, size);
  fuzz_import (data, size, TB_FORMAT_LINKEDIN);
  return 0;
}
