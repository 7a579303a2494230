/* fuzz-backup.c — libFuzzer harness for the JSON backup reader: every
 * input is restored into a real (temporary) database, then rolled back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "tb-backup.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static char *store_dir;

static void
remove_store (void)
{
  const char *const names[]
      = { "touchbase.db", "touchbase.db-wal", "touchbase.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (store_dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (store_dir);
}

static TbStore *
fuzz_store (void)
{
  static TbStore *store;

  if (store == NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("tb-fuzz-backup-XXXXXX", &error);
      g_autofree char *path = NULL;

      g_assert_no_error (error);
      store_dir = g_strdup (dir);
      atexit (remove_store);
      path = g_build_filename (dir, "touchbase.db", NULL);
      store = tb_store_open (path, &error);
      g_assert_no_error (error);
    }
  return store;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  TbStore *store;
  guint contacts = 0;

  fuzz_init ();
  store = fuzz_store ();
  stream = fuzz_stream (data, size);
  g_assert (tb_store_begin (store, NULL));
  if (!tb_backup_restore (store, stream, "fuzz.json", &contacts, &error))
    {
      /* Malformed input is a parse error naming the file; a row the
       * schema refuses is one too. Nothing else may go wrong. */
      g_assert (error != NULL);
      g_assert (
          g_error_matches (error, TB_ERROR, TB_ERROR_PARSE)
          || g_error_matches (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT));
      g_assert (g_str_has_prefix (error->message, "fuzz.json:"));
    }
  tb_store_rollback (store);
  return 0;
}
