/* tb-uri.c — the links touchbase hands on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-uri"

#include "config.h"

#include <string.h>

#include "tb-uri.h"

/* The header fields of RFC 6068 that only fill in a message. Anything
 * else is refused: "attach" and "attachment" make some mail programs
 * attach a local file, a leak one click away. */
static gboolean
mailto_query_is_safe (const char *query)
{
  static const char *const fields[]
      = { "to", "cc", "bcc", "subject", "body", "in-reply-to" };
  GUriParamsIter iter;
  g_autoptr (GError) error = NULL;
  char *attr = NULL;
  char *value = NULL;

  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_NONE);
  while (g_uri_params_iter_next (&iter, &attr, &value, &error))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        known = known || g_ascii_strcasecmp (attr, fields[i]) == 0;
      g_free (attr);
      g_free (value);
      if (!known)
        return FALSE;
    }
  return error == NULL;
}

gboolean
tb_uri_is_allowed (const char *uri)
{
  g_autoptr (GUri) parsed = NULL;
  const char *scheme;
  const char *query;

  if (uri == NULL || *uri == '\0' || !g_utf8_validate (uri, -1, NULL))
    return FALSE;
  for (const char *p = uri; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f)
        return FALSE;
    }
  /* Strict RFC 3986 parsing, still encoded: a bad %-escape or a stray
   * character fails here, and the query is split before decoding. */
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (parsed);
  query = g_uri_get_query (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0
      || g_ascii_strcasecmp (scheme, "http") == 0)
    /* A user name in front of the host ("https://bank.example@evil")
     * is a way to disguise where the link goes. */
    return g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0'
           && g_uri_get_userinfo (parsed) == NULL;
  if (g_ascii_strcasecmp (scheme, "mailto") == 0)
    return g_uri_get_host (parsed) == NULL
           && (query == NULL || mailto_query_is_safe (query));
  if (g_ascii_strcasecmp (scheme, "tel") == 0)
    return g_uri_get_host (parsed) == NULL && query == NULL
           && *g_uri_get_path (parsed) != '\0';
  return FALSE;
}

char *
tb_uri_mailto (const char *email)
{
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  /* One address: a list or a query in the field would add recipients
   * or fields nobody typed. */
  if (email == NULL || strchr (email, '@') == NULL
      || strpbrk (email, ",;?&") != NULL)
    return NULL;
  escaped = g_uri_escape_string (email, "@", FALSE);
  uri = g_strconcat ("mailto:", escaped, NULL);
  return tb_uri_is_allowed (uri) ? g_steal_pointer (&uri) : NULL;
}

char *
tb_uri_tel (const char *phone)
{
  g_autoptr (GString) digits = g_string_new ("tel:");
  guint n = 0;

  if (phone == NULL)
    return NULL;
  /* RFC 3966's global numbers and visual separators; the blanks people
   * type between groups of digits are dropped. */
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        n++;
      else if (*p == '+' && n == 0 && digits->len == 4)
        ;
      else if (*p == ' ' || *p == '\t')
        continue;
      else if (strchr ("-.()", *p) == NULL)
        return NULL;
      g_string_append_c (digits, *p);
    }
  if (n == 0 || !tb_uri_is_allowed (digits->str))
    return NULL;
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

char *
tb_uri_for_contact (const char *url, const char *email, const char *phone)
{
  char *uri;

  if (tb_uri_is_allowed (url))
    return g_strdup (url);
  if ((uri = tb_uri_mailto (email)) != NULL)
    return uri;
  return tb_uri_tel (phone);
}
