/* fuzz-csv.c — libFuzzer harness for the CSV reader and the LinkedIn and
 * Google Contacts mapping on top of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "tb-csv.h"
#include "tb-import.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
read_records (const guint8 *data, size_t size)
{
  g_autoptr (GInputStream) stream = fuzz_stream (data, size);
  g_autoptr (TbCsvReader) reader = tb_csv_reader_new (stream, "fuzz.csv");

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      guint line = 0;
      g_auto (GStrv) record
          = tb_csv_reader_read_record (reader, &line, NULL, &error);

      if (record == NULL)
        {
          fuzz_check_error (error, "fuzz.csv:");
          return;
        }
      g_assert (line >= 1);
      for (guint i = 0; record[i] != NULL; i++)
        g_assert (g_utf8_validate (record[i], -1, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  fuzz_init ();
  read_records (data, size);
  fuzz_import (data, size, TB_FORMAT_UNKNOWN);
  fuzz_import (data, size, TB_FORMAT_LINKEDIN);
  fuzz_import (data, size, TB_FORMAT_GOOGLE);
  return 0;
}
