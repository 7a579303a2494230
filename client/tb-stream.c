/* tb-stream.c — rows and records from a memfd, JSON arrays piece by
 * piece.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-stream"

#define _GNU_SOURCE /* memfd_create */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-error.h"
#include "tb-stream.h"

#define BLOCK (64 * 1024)

static gboolean
fail_errno (GError **error, const char *message)
{
  int saved_errno = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
               message, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
fail_unreadable (GError **error)
{
  g_set_error_literal (error, TB_ERROR, TB_ERROR_FAILED,
                       _ ("touchbased sent a list this touchbase cannot "
                          "read: are both the same version?"));
  return FALSE;
}

int
tb_stream_memfd (GUnixFDList *fds, int *out_index, GError **error)
{
  int fd = memfd_create ("touchbase-rows", MFD_CLOEXEC);

  if (fd < 0)
    {
      fail_errno (error, _ ("Cannot create a memfd"));
      return -1;
    }
  *out_index = g_unix_fd_list_append (fds, fd, error);
  if (*out_index < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

gboolean
tb_stream_foreach_line (int fd, TbStreamLineFunc func, gpointer user_data,
                        GError **error)
{
  g_autofree char *buffer = g_malloc (BLOCK + 1);
  gsize size = BLOCK; /* of @buffer, without the byte for a NUL */
  gsize held = 0;

  if (lseek (fd, 0, SEEK_SET) < 0)
    return fail_errno (error, _ ("Cannot read the list"));
  for (;;)
    {
      gssize got;
      char *line = buffer;
      char *end;

      if (held == size)
        {
          /* One line longer than the buffer (a long name): room for it. */
          size *= 2;
          buffer = g_realloc (buffer, size + 1);
        }
      got = read (fd, buffer + held, size - held);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        return fail_errno (error, _ ("Cannot read the list"));
      if (got == 0)
        return held == 0 || fail_unreadable (error);
      held += (gsize) got;
      line = buffer;
      while ((end = memchr (line, '\n', held - (gsize) (line - buffer)))
             != NULL)
        {
          *end = '\0';
          if (!func (line, user_data, error))
            return FALSE;
          line = end + 1;
        }
      held -= (gsize) (line - buffer);
      memmove (buffer, line, held);
    }
}

gboolean
tb_stream_foreach_record (int fd, TbStreamRecordFunc func, gpointer user_data,
                          GError **error)
{
  struct stat st;
  const guint8 *data;
  gsize at = 0;
  gboolean ok = TRUE;

  if (fstat (fd, &st) < 0)
    return fail_errno (error, _ ("Cannot read the list"));
  if (st.st_size == 0)
    return TRUE;
  /* Shared and read-only: the pages are the memfd's, never copied. */
  data = mmap (NULL, (gsize) st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED)
    return fail_errno (error, _ ("Cannot read the list"));
  while (ok && at < (gsize) st.st_size)
    {
      guint64 record_size;
      g_autoptr (GVariant) record = NULL;

      if ((gsize) st.st_size - at < sizeof record_size)
        {
          ok = fail_unreadable (error);
          break;
        }
      memcpy (&record_size, data + at, sizeof record_size);
      at += sizeof record_size;
      if (record_size > (gsize) st.st_size - at)
        {
          ok = fail_unreadable (error);
          break;
        }
      /* Not trusted: GVariant checks it as it reads it. */
      record = g_variant_ref_sink (
          g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, data + at,
                                   (gsize) record_size, FALSE, NULL, NULL));
      ok = func (record, user_data, error);
      g_clear_pointer (&record, g_variant_unref);
      at += (gsize) record_size;
      at += (8 - record_size % 8) % 8;
    }
  munmap ((void *) data, (gsize) st.st_size);
  return ok;
}

void
tb_json_array_begin (TbJsonArray *array, const char *key, guint indent)
{
  array->indent = indent;
  array->n = 0;
  if (key != NULL)
    {
      g_autoptr (JsonNode) name
          = json_node_init_string (json_node_alloc (), key);
      g_autofree char *quoted = json_to_string (name, FALSE);

      printf ("%*s%s : [", (int) indent, "", quoted);
    }
  else
    fputs ("[", stdout);
}

void
tb_json_array_add (TbJsonArray *array, JsonNode *element)
{
  g_autoptr (JsonNode) node = element;
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (array->n++ == 0 ? "\n" : ",\n", stdout);
  /* Strings are escaped in JSON: every newline here is the layout's. */
  for (char *line = text, *end; line != NULL; line = end)
    {
      end = strchr (line, '\n');
      if (end != NULL)
        *end++ = '\0';
      printf ("%*s%s%s", (int) array->indent + 2, "", line,
              end != NULL ? "\n" : "");
    }
}

void
tb_json_array_end (TbJsonArray *array)
{
  if (array->n == 0)
    fputs ("]", stdout);
  else
    printf ("\n%*s]", (int) array->indent, "");
}
