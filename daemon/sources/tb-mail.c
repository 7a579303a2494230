/* tb-mail.c — sent messages' headers through GMime.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-sources"

#include "config.h"

#include <gmime/gmime.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-error.h"
#include "tb-mail.h"

/* GMime 3.2 declares no cleanup functions of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

void
tb_mail_init (void)
{
  static gsize done = 0;

  /* GMime's init is not thread-safe and sets up tables every parser
   * shares; the parsers themselves run in the scans' threads. */
  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

/* The end of the header block in @data (the offset after its blank
 * line), or 0 when there is none yet. */
static gsize
header_end (const char *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] != '\n')
        continue;
      if (data[i + 1] == '\n')
        return i + 2;
      if (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')
        return i + 3;
    }
  return 0;
}

GBytes *
tb_mail_read_header (GInputStream *stream, GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  gsize scanned = 0;

  for (;;)
    {
      guint8 chunk[4096];
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable,
                                      error);
      gsize end;

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_byte_array_append (buf, chunk, (guint) n);
      /* Look again from just before the new bytes: a blank line may
       * straddle two reads. */
      end = header_end ((const char *) buf->data + scanned, buf->len - scanned);
      if (end > 0)
        {
          g_byte_array_set_size (buf, (guint) (scanned + end));
          break;
        }
      scanned = buf->len > 2 ? buf->len - 2 : 0;
      if (buf->len > TB_MAIL_MAX_HEADER)
        {
          g_set_error (error, TB_ERROR, TB_ERROR_PARSE,
                       _ ("No end of the headers in the first %d KiB"),
                       TB_MAIL_MAX_HEADER / 1024);
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

/* Every mailbox of @list, groups opened, into @out. */
static void
add_mailboxes (InternetAddressList *list, GPtrArray *out)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *a = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_GROUP (a))
        add_mailboxes (
            internet_address_group_get_members (INTERNET_ADDRESS_GROUP (a)),
            out);
      else if (INTERNET_ADDRESS_IS_MAILBOX (a))
        {
          const char *addr = internet_address_mailbox_get_addr (
              INTERNET_ADDRESS_MAILBOX (a));

          if (addr != NULL && strchr (addr, '@') != NULL)
            g_ptr_array_add (out, g_strdup (addr));
        }
    }
}

static GPtrArray *
parse_list (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  InternetAddressList *list;

  if (text == NULL || *text == '\0')
    return out;
  list = internet_address_list_parse (NULL, text);
  if (list != NULL)
    {
      add_mailboxes (list, out);
      g_object_unref (list);
    }
  return out;
}

static TbFound *
found_from_lists (TbSourceScan *scan, const char *message_id, gint64 date,
                  GPtrArray *from, GPtrArray *rcpt, const char *hash_text)
{
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  gboolean sent = FALSE;

  if (date <= 0 || date < tb_source_scan_get_since (scan) || from->len == 0)
    return NULL;
  if (tb_source_scan_knows_own (scan))
    {
      for (guint i = 0; i < from->len && !sent; i++)
        sent = tb_source_scan_is_own (scan, g_ptr_array_index (from, i));
      if (!sent)
        return NULL;
    }
  else
    /* A folder named as a Sent folder, and nothing else says who the
     * user is: its messages are theirs, and so is their From. */
    for (guint i = 0; i < from->len; i++)
      tb_source_scan_learn_address (scan, g_ptr_array_index (from, i));
  for (guint i = 0; i < rcpt->len; i++)
    {
      const char *a = g_ptr_array_index (rcpt, i);

      /* A copy to oneself is nobody else. */
      if (!tb_source_scan_is_own (scan, a))
        g_ptr_array_add (others, (gpointer) a);
    }
  if (others->len == 0)
    return NULL;
  g_ptr_array_add (others, NULL);
  key = tb_found_message_id_key (message_id);
  if (key == NULL)
    {
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, hash_text, -1);
      key = g_strconcat ("sha256:", hash, NULL);
    }
  return tb_found_new (NULL, key, date, TB_KIND_EMAIL, NULL,
                       (const char *const *) others->pdata);
}

TbFound *
tb_mail_found_from_values (TbSourceScan *scan, const char *message_id,
                           gint64 date, const char *from, const char *to,
                           const char *cc, const char *subject)
{
  g_autoptr (GPtrArray) f = parse_list (from);
  g_autoptr (GPtrArray) r = parse_list (to);
  g_autoptr (GPtrArray) c = parse_list (cc);
  g_autofree char *hash_text = NULL;

  g_ptr_array_extend_and_steal (r, g_steal_pointer (&c));
  hash_text = g_strdup_printf ("%" G_GINT64_FORMAT "\n%s\n%s\n%s\n%s", date,
                               from ? from : "", to ? to : "", cc ? cc : "",
                               subject ? subject : "");
  return found_from_lists (scan, message_id, date, f, r, hash_text);
}

TbFound *
tb_mail_found_from_header (TbSourceScan *scan, const char *header, gsize len)
{
  g_autoptr (GMimeStream) stream = NULL;
  g_autoptr (GMimeParser) parser = NULL;
  g_autoptr (GMimeMessage) message = NULL;
  GMimeObject *object;
  GDateTime *date;

  /* The block alone, a blank line after it: GMime sees a message
   * without a body. */
  stream = g_mime_stream_mem_new_with_buffer (header, len);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL)
    return NULL;
  object = GMIME_OBJECT (message);
  date = g_mime_message_get_date (message);
  return tb_mail_found_from_values (
      scan, g_mime_message_get_message_id (message),
      date != NULL ? g_date_time_to_unix (date) : 0,
      g_mime_object_get_header (object, "From"),
      g_mime_object_get_header (object, "To"),
      g_mime_object_get_header (object, "Cc"),
      g_mime_object_get_header (object, "Subject"));
}
