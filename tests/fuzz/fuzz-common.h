/* fuzz-common.h — what the libFuzzer harnesses share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <gio/gio.h>

#include "tb-error.h"
#include "tb-import.h"

#include <stdlib.h>

/* Criticals and warnings are bugs: make them crashes the fuzzer sees.
 * abort(), not GLib's fatal-log breakpoint: libFuzzer does not catch
 * SIGTRAP and would keep no reproducer. Debug messages are dropped. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                 gpointer user_data)
{
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

static inline GInputStream *
fuzz_stream (const guint8 *data, size_t size)
{
  return g_memory_input_stream_new_from_data (g_memdup2 (data, size),
                                              (gssize) size, g_free);
}

/* A reader may only fail with a parse error that names the file (or,
 * inside a ZIP, "FILE/ENTRY"). */
static inline void
fuzz_check_error (GError *error, const char *prefix)
{
  if (error == NULL)
    return;
  g_assert (g_error_matches (error, TB_ERROR, TB_ERROR_PARSE));
  g_assert (g_str_has_prefix (error->message, prefix));
}

static inline gboolean
fuzz_check_contact (TbContact *contact, guint line, gpointer user_data,
                    GError **error)
{
  g_assert (contact->name != NULL && *contact->name != '\0');
  g_assert (g_utf8_validate (contact->name, -1, NULL));
  g_assert (contact->source != NULL);
  g_assert (line >= 1);
  if (contact->url != NULL)
    g_assert (g_str_has_prefix (contact->url, "https://")
              || g_str_has_prefix (contact->url, "http://"));
  if (contact->birthday != NULL)
    g_assert (strlen (contact->birthday) == 10
              || strlen (contact->birthday) == 7);
  tb_contact_free (contact);
  return TRUE;
}

static inline void
fuzz_import (const guint8 *data, size_t size, TbImportFormat format)
{
  g_autoptr (GInputStream) stream = fuzz_stream (data, size);
  g_autoptr (GError) error = NULL;
  guint skipped = 0;

  if (!tb_import_read (stream, format, "fuzz", fuzz_check_contact, NULL, NULL,
                       &skipped, NULL, &error))
    {
      g_assert (error != NULL);
      g_assert (g_str_has_prefix (error->message, "fuzz:")
                || g_str_has_prefix (error->message, "fuzz/"));
    }
}
