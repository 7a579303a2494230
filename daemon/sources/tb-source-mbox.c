/* tb-source-mbox.c — an mbox file (Thunderbird's Sent): messages one
 * after another, each starting with a "From " line after a blank line.
 * Only each message's header block is parsed; the bodies are skipped
 * line by line as they stream past, never held.
 *
 * The cursor is the file (device and inode), its size and time, and
 * where the last message began: an mbox grows at its end, so a later
 * scan starts from that message; a file rewritten (compacted, another
 * inode, or shorter) is read again whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tb-error.h"
#include "tb-mail-sources.h"
#include "tb-mail.h"

#define TB_TYPE_MBOX_SOURCE (tb_mbox_source_get_type ())
G_DECLARE_FINAL_TYPE (TbMboxSource, tb_mbox_source, TB, MBOX_SOURCE, TbSource)

struct _TbMboxSource
{
  TbSource parent_instance;
  GFileMonitor *monitor; /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (TbMboxSource, tb_mbox_source, TB_TYPE_SOURCE)

/* A longer line is kept only this long: enough to see "From " and a
 * header's name, never a whole base64 attachment without newlines. */
#define LINE_CAP (64 * 1024)

typedef struct
{
  GInputStream *in;
  guint8 buf[64 * 1024];
  gsize pos, len;
  guint64 offset; /* of the next byte returned */
  GByteArray *line;
} Reader;

/* The next line, with its '\n', into r->line (cut at LINE_CAP); FALSE at
 * the end or on an error (@error set). */
static gboolean
next_line (Reader *r, GCancellable *cancellable, GError **error)
{
  g_byte_array_set_size (r->line, 0);
  for (;;)
    {
      const guint8 *nl;
      gsize take;

      if (r->pos == r->len)
        {
          gssize n = g_input_stream_read (r->in, r->buf, sizeof r->buf,
                                          cancellable, error);

          if (n <= 0)
            return n == 0 && r->line->len > 0;
          r->pos = 0;
          r->len = (gsize) n;
        }
      nl = memchr (r->buf + r->pos, '\n', r->len - r->pos);
      take
          = nl != NULL ? (gsize) (nl - (r->buf + r->pos)) + 1 : r->len - r->pos;
      if (r->line->len < LINE_CAP)
        g_byte_array_append (r->line, r->buf + r->pos,
                             (guint) MIN (take, LINE_CAP - r->line->len));
      r->pos += take;
      r->offset += take;
      if (nl != NULL)
        return TRUE;
    }
}

static gboolean
is_blank (GByteArray *line)
{
  return (line->len == 1 && line->data[0] == '\n')
         || (line->len == 2 && line->data[0] == '\r' && line->data[1] == '\n');
}

static gboolean
is_from_line (GByteArray *line)
{
  return line->len >= 5 && memcmp (line->data, "From ", 5) == 0;
}

typedef struct
{
  guint64 dev, ino, size, start;
  gint64 mtime;
} Cursor;

static gboolean
parse_cursor (const char *text, Cursor *c)
{
  return text != NULL
         && sscanf (text,
                    "%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT
                    ":%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT
                    ":%" G_GUINT64_FORMAT,
                    &c->dev, &c->ino, &c->size, &c->mtime, &c->start)
                == 5;
}

static void
add_message (TbSourceScan *scan, GByteArray *header)
{
  TbFound *found;

  if (header->len == 0)
    return;
  found = tb_mail_found_from_header (scan, (const char *) header->data,
                                     header->len);
  if (found != NULL)
    tb_source_scan_add (scan, found);
}

static gboolean
tb_mbox_source_scan (TbSource *source, TbSourceScan *scan,
                     GCancellable *cancellable, GError **error)
{
  const char *path = tb_source_get_location (source);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GByteArray) header = g_byte_array_new ();
  g_autoptr (GByteArray) line = g_byte_array_new ();
  g_autofree char *next = NULL;
  Reader *r = NULL;
  Cursor old = { 0 };
  GStatBuf st;
  guint64 last_start = 0;
  gboolean in_header = FALSE, after_blank = TRUE, header_too_long = FALSE;
  gboolean ok = TRUE;
  GError *local = NULL;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("%s is not an mbox file"), path);
      return FALSE;
    }
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  r = g_new0 (Reader, 1);
  r->in = G_INPUT_STREAM (in);
  r->line = line;
  if (parse_cursor (tb_source_scan_get_cursor (scan), &old)
      && old.dev == (guint64) st.st_dev && old.ino == (guint64) st.st_ino
      && old.size <= (guint64) st.st_size && old.start <= old.size)
    {
      /* The same file, grown (or not): from the last message on. */
      if (!g_seekable_seek (G_SEEKABLE (in), (goffset) old.start, G_SEEK_SET,
                            cancellable, error))
        {
          g_free (r);
          return FALSE;
        }
      r->offset = old.start;
      last_start = old.start;
    }
  while (ok && next_line (r, cancellable, &local))
    {
      if (after_blank && is_from_line (line))
        {
          if (in_header)
            add_message (scan, header);
          g_byte_array_set_size (header, 0);
          in_header = TRUE;
          header_too_long = FALSE;
          last_start = r->offset - line->len;
          after_blank = FALSE;
          tb_source_scan_progress (scan, r->offset, (guint64) st.st_size);
          ok = !g_cancellable_set_error_if_cancelled (cancellable, &local);
          continue;
        }
      after_blank = is_blank (line);
      if (!in_header)
        continue;
      if (after_blank)
        {
          g_byte_array_append (header, line->data, line->len);
          if (!header_too_long)
            add_message (scan, header);
          g_byte_array_set_size (header, 0);
          in_header = FALSE;
          continue;
        }
      if (header->len + line->len > TB_MAIL_MAX_HEADER)
        header_too_long = TRUE;
      else
        g_byte_array_append (header, line->data, line->len);
    }
  /* A message cut short at the end (still being written) is read by
   * the next scan, which starts at it. */
  g_free (r);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  tb_source_scan_progress (scan, (guint64) st.st_size, (guint64) st.st_size);
  next = g_strdup_printf (
      "%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT
      ":%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT,
      (guint64) st.st_dev, (guint64) st.st_ino, (guint64) st.st_size,
      (gint64) st.st_mtime, last_start);
  tb_source_scan_set_cursor (scan, next);
  return TRUE;
}

static void
on_file_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                 GFileMonitorEvent event, gpointer user_data)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT
      || event == G_FILE_MONITOR_EVENT_CREATED
      || event == G_FILE_MONITOR_EVENT_MOVED_IN
      || event == G_FILE_MONITOR_EVENT_RENAMED)
    tb_source_changed (user_data);
}

static gboolean
tb_mbox_source_watch (TbSource *source, GError **error)
{
  TbMboxSource *self = TB_MBOX_SOURCE (source);
  const char *path = tb_source_get_location (source);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  /* A file in a missing folder would be polled for. */
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                   _ ("%s is not an mbox file"), path);
      return FALSE;
    }
  self->monitor = tb_source_monitor (file, FALSE, G_CALLBACK (on_file_changed),
                                     self, error);
  return self->monitor != NULL;
}

static void
tb_mbox_source_unwatch (TbSource *source)
{
  TbMboxSource *self = TB_MBOX_SOURCE (source);

  tb_source_monitor_clear (&self->monitor, self);
}

static void
tb_mbox_source_dispose (GObject *object)
{
  tb_mbox_source_unwatch (TB_SOURCE (object));
  G_OBJECT_CLASS (tb_mbox_source_parent_class)->dispose (object);
}

static void
tb_mbox_source_class_init (TbMboxSourceClass *klass)
{
  TbSourceClass *source_class = TB_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tb_mbox_source_dispose;
  source_class->scan = tb_mbox_source_scan;
  source_class->watch = tb_mbox_source_watch;
  source_class->unwatch = tb_mbox_source_unwatch;
}

static void
tb_mbox_source_init (TbMboxSource *self)
{
}

TbSource *
tb_mbox_source_new (const char *path)
{
  return g_object_new (TB_TYPE_MBOX_SOURCE, "kind", "mbox", "location", path,
                       NULL);
}
