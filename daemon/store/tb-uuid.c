/* tb-uuid.c — time-ordered UUIDs (RFC 9562 version 7).
 *
 * g_uuid_string_random () makes version 4 UUIDs: random, so every new
 * contact lands at a random place of the UNIQUE index on uid, and a bulk
 * import touches a different index page for each row. Version 7 starts
 * with the time, so new uids go to the end of the index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-uuid"

#include "config.h"

#include "tb-uuid.h"

void
tb_uuid_v7_format (guint64 unix_ms, const guint32 random[3], char out[37])
{
  static const char hex[] = "0123456789abcdef";
  guint8 b[16];
  guint o = 0;

  /* 48 bits of time, big-endian. */
  for (guint i = 0; i < 6; i++)
    b[i] = (unix_ms >> (8 * (5 - i))) & 0xff;
  /* Version 7 and 12 random bits. */
  b[6] = 0x70 | ((random[0] >> 8) & 0x0f);
  b[7] = random[0] & 0xff;
  /* Variant 10 and 62 random bits. */
  b[8] = 0x80 | ((random[0] >> 16) & 0x3f);
  b[9] = (random[0] >> 24) & 0xff;
  for (guint i = 0; i < 4; i++)
    {
      b[10 + i] = (random[1] >> (8 * i)) & 0xff;
      if (i < 2)
        b[14 + i] = (random[2] >> (8 * i)) & 0xff;
    }
  /* Not g_strdup_printf: this runs once per imported row. */
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      out[o++] = hex[b[i] >> 4];
      out[o++] = hex[b[i] & 0x0f];
    }
  out[o] = '\0';
}

char *
tb_uuid_v7_new (void)
{
  guint32 random[3] = { g_random_int (), g_random_int (), g_random_int () };
  char *out = g_malloc (37);

  tb_uuid_v7_format ((guint64) (g_get_real_time () / 1000), random, out);
  return out;
}
