/* tb-uri.c — the links touchbase hands on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-uri"

#include "config.h"

#include "tb-uri.h"

gboolean
tb_uri_is_allowed (const char *uri)
{
  static const char *const schemes[] = { "https", "http", "mailto", "tel" };
  g_autofree char *scheme = NULL;

  if (uri == NULL || *uri == '\0' || !g_utf8_validate (uri, -1, NULL))
    return FALSE;
  for (const char *p = uri; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f)
        return FALSE;
    }
  /* g_uri_parse_scheme also rejects text that only looks like a scheme. */
  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (g_ascii_strcasecmp (scheme, schemes[i]) == 0)
        return TRUE;
    }
  return FALSE;
}
