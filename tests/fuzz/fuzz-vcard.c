/* fuzz-vcard.c — libFuzzer harness for the vCard reader and the mapping
 * of cards to contacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "tb-import.h"
#include "tb-vcard.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
read_cards (const guint8 *data, size_t size)
{
  g_autoptr (GInputStream) stream = fuzz_stream (data, size);
  g_autoptr (TbVCardReader) reader = tb_vcard_reader_new (stream, "fuzz.vcf");

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TbVCard) card
          = tb_vcard_reader_read_card (reader, NULL, &error);

      if (card == NULL)
        {
          fuzz_check_error (error, "fuzz.vcf:");
          return;
        }
      for (guint i = 0; i < card->properties->len; i++)
        {
          TbVCardProperty *p = g_ptr_array_index (card->properties, i);
          g_autofree char *unescaped = tb_vcard_unescape (p->value);
          g_auto (GStrv) parts = tb_vcard_split (p->value, ';');

          g_assert (g_utf8_validate (p->value, -1, NULL));
          g_assert (g_utf8_validate (unescaped, -1, NULL));
          g_assert (parts[0] != NULL);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  fuzz_init ();
  read_cards (data, size);
  fuzz_import (data, size, TB_FORMAT_VCARD);
  return 0;
}
