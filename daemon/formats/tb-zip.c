/* tb-zip.c — one file out of a ZIP archive, through libarchive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-zip"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-zip.h"

/* What libarchive gets per call of its read callback. */
#define READ_BUFFER_BYTES 65536

gboolean
tb_zip_has_magic (const char *head, gsize len)
{
  return len >= TB_ZIP_MAGIC_BYTES
         && (memcmp (head, "PK\003\004", 4) == 0
             || memcmp (head, "PK\005\006", 4) == 0);
}

#define TB_TYPE_ZIP_ENTRY_STREAM (tb_zip_entry_stream_get_type ())
G_DECLARE_FINAL_TYPE (TbZipEntryStream, tb_zip_entry_stream, TB,
                      ZIP_ENTRY_STREAM, GInputStream)

struct _TbZipEntryStream
{
  GInputStream parent_instance;
  GInputStream *source;      /* (owned) the archive's bytes */
  struct archive *archive;   /* (owned) (nullable) NULL once closed */
  guint8 *buffer;            /* (owned) READ_BUFFER_BYTES, for libarchive */
  GError *source_error;      /* (owned) (nullable) the last read's failure */
  GCancellable *cancellable; /* (unowned) (nullable) during one call */
  char *name;                /* (owned) "FILE/PATH", for messages */
  guint64 max_bytes;
  guint64 read_bytes;
  gboolean at_end;
  gboolean source_ended; /* the archive's bytes ran out at least once */
};

G_DEFINE_FINAL_TYPE (TbZipEntryStream, tb_zip_entry_stream, G_TYPE_INPUT_STREAM)

/* libarchive pulls the archive's bytes through this. A failure of the
 * source is kept as it is, so a cancellation stays a cancellation and
 * an I/O error is not reported as a damaged archive. */
static la_ssize_t
read_source (struct archive *archive, void *client_data, const void **out)
{
  TbZipEntryStream *self = client_data;
  gssize n;

  g_clear_error (&self->source_error);
  n = g_input_stream_read (self->source, self->buffer, READ_BUFFER_BYTES,
                           self->cancellable, &self->source_error);
  if (n < 0)
    {
      archive_set_error (archive, EIO, "%s", self->source_error->message);
      return -1;
    }
  if (n == 0)
    self->source_ended = TRUE;
  *out = self->buffer;
  return n;
}

/* The error after a libarchive call failed, for @where ("FILE" or
 * "FILE/PATH"). */
static void
set_archive_error (TbZipEntryStream *self, const char *where, GError **error)
{
  g_autofree char *why = NULL;

  if (self->source_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&self->source_error),
                                  "%s: ", where);
      return;
    }
  why = g_strdup (archive_error_string (self->archive));
  if (why != NULL)
    g_strchomp (why); /* some of libarchive's end in a newline */
  /* libarchive needed more than the file had: most likely a download
   * that stopped early, which its own words ("ZIP decompression failed")
   * do not tell. */
  if (self->source_ended)
    g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                 /* Translators: the second %s is libarchive's (English)
                  * reason, such as "Truncated ZIP file data". */
                 _ ("%s: the ZIP archive ends too early (%s): was the "
                    "download cut short?"),
                 where, why != NULL ? why : "?");
  else
    g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                 /* Translators: the second %s is libarchive's (English)
                  * reason, such as "ZIP bad CRC". */
                 _ ("%s: the ZIP archive is damaged (%s)"), where,
                 why != NULL ? why : "?");
}

static void
set_too_large_error (TbZipEntryStream *self, GError **error)
{
  g_autofree char *limit
      = g_format_size_full (self->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
               /* Translators: %s are the file and a size, "256.0 MiB". */
               _ ("%s: unpacks to more than %s, which no contact export "
                  "reaches"),
               self->name, limit);
}

static gssize
tb_zip_entry_stream_read (GInputStream *stream, void *buffer, gsize count,
                          GCancellable *cancellable, GError **error)
{
  TbZipEntryStream *self = TB_ZIP_ENTRY_STREAM (stream);
  la_ssize_t n;

  if (self->at_end || count == 0)
    return 0;
  /* GInputStream refuses reads after close, so the archive is there. */
  g_assert (self->archive != NULL);
  self->cancellable = cancellable;
  /* Never more than the limit allows plus one byte: enough to see that
   * the entry goes past it, without inflating much beyond. */
  if (self->max_bytes - self->read_bytes < count)
    count = self->max_bytes - self->read_bytes + 1;
  count = MIN (count, (gsize) G_MAXSSIZE);
  n = archive_read_data (self->archive, buffer, count);
  self->cancellable = NULL;
  /* A warning (ARCHIVE_WARN) here is a bad CRC: the data is wrong, so it
   * is an error like any other. */
  if (n < 0)
    {
      set_archive_error (self, self->name, error);
      return -1;
    }
  if (n == 0)
    {
      self->at_end = TRUE;
      return 0;
    }
  self->read_bytes += (guint64) n;
  if (self->read_bytes > self->max_bytes)
    {
      set_too_large_error (self, error);
      return -1;
    }
  return n;
}

static gboolean
tb_zip_entry_stream_close (GInputStream *stream, GCancellable *cancellable,
                           GError **error)
{
  TbZipEntryStream *self = TB_ZIP_ENTRY_STREAM (stream);

  /* The source is the caller's: it stays open (see tb-zip.h). */
  g_clear_pointer (&self->archive, archive_read_free);
  return TRUE;
}

static void
tb_zip_entry_stream_finalize (GObject *object)
{
  TbZipEntryStream *self = TB_ZIP_ENTRY_STREAM (object);

  g_clear_pointer (&self->archive, archive_read_free);
  g_clear_object (&self->source);
  g_clear_error (&self->source_error);
  g_free (self->buffer);
  g_free (self->name);
  G_OBJECT_CLASS (tb_zip_entry_stream_parent_class)->finalize (object);
}

static void
tb_zip_entry_stream_class_init (TbZipEntryStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = tb_zip_entry_stream_finalize;
  stream_class->read_fn = tb_zip_entry_stream_read;
  stream_class->close_fn = tb_zip_entry_stream_close;
}

static void
tb_zip_entry_stream_init (TbZipEntryStream *self)
{
}

/* The part of a path after its last folder. Some Windows tools write
 * backslashes, which ZIP does not allow but readers accept. */
static const char *
base_name (const char *path)
{
  const char *base = path;

  for (const char *p = path; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  return base;
}

GInputStream *
tb_zip_open_entry (GInputStream *archive, const char *basename,
                   guint64 max_bytes, const char *filename, char **out_path,
                   GCancellable *cancellable, GError **error)
{
  g_autoptr (TbZipEntryStream) self = NULL;
  struct archive_entry *entry = NULL;
  const char *path = NULL;
  int status;

  g_return_val_if_fail (G_IS_INPUT_STREAM (archive), NULL);
  g_return_val_if_fail (basename != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TB_TYPE_ZIP_ENTRY_STREAM, NULL);
  self->source = g_object_ref (archive);
  self->buffer = g_malloc (READ_BUFFER_BYTES);
  self->max_bytes = max_bytes;
  self->archive = archive_read_new ();
  /* Only ZIP, and read forward: no seeking, so a pipe works, and no
   * other format's parser is exposed to the file. */
  archive_read_support_format_zip_streamable (self->archive);
  self->cancellable = cancellable;
  status = archive_read_open (self->archive, self, NULL, read_source, NULL);
  while (status == ARCHIVE_OK)
    {
      status = archive_read_next_header (self->archive, &entry);
      /* A warning is about the header's metadata (a name in an odd
       * character set, say); the entry itself is readable. */
      if (status == ARCHIVE_WARN)
        {
          g_debug ("%s: %s", filename, archive_error_string (self->archive));
          status = ARCHIVE_OK;
        }
      if (status != ARCHIVE_OK)
        break;
      path = archive_entry_pathname (entry);
      if (path != NULL && archive_entry_filetype (entry) == AE_IFREG
          && g_ascii_strcasecmp (base_name (path), basename) == 0)
        break;
      /* The next archive_read_next_header passes over this entry's data. */
    }
  self->cancellable = NULL;

  if (status == ARCHIVE_EOF)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   /* Translators: the archive, then a file name. */
                   _ ("%s: the archive holds no %s"), filename, basename);
      return NULL;
    }
  if (status != ARCHIVE_OK)
    {
      set_archive_error (self, filename, error);
      return NULL;
    }

  self->name = g_strdup_printf ("%s/%s", filename, path);
  if (archive_entry_is_encrypted (entry))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                   _ ("%s: is encrypted, which touchbase cannot read"),
                   self->name);
      return NULL;
    }
  /* The header may tell the size before anything is inflated (not when
   * the archive was written as a stream, with the sizes after the data). */
  if (archive_entry_size_is_set (entry) && archive_entry_size (entry) >= 0
      && (guint64) archive_entry_size (entry) > max_bytes)
    {
      set_too_large_error (self, error);
      return NULL;
    }
  g_debug ("%s: reading %s", filename, path);
  if (out_path != NULL)
    *out_path = g_strdup (path);
  return G_INPUT_STREAM (g_steal_pointer (&self));
}
