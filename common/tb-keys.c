/* tb-keys.c — the comparison keys of URLs, e-mail addresses, tags and
 * names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-keys"

#include "config.h"

#include <string.h>

#include "tb-fold.h"
#include "tb-keys.h"
#include "tb-text.h"

/* URLs */

static gboolean
has_scheme (const char *text)
{
  const char *p = text;

  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  return *p == ':';
}

gboolean
tb_url_host_is_linkedin (const char *host)
{
  return host != NULL
         && (g_str_equal (host, "linkedin.com")
             || g_str_has_suffix (host, ".linkedin.com"));
}

/* Raw spaces, controls and non-ASCII bytes percent-encoded (an IRI made a
 * URI); existing escapes get upper-case hex digits. */
static char *
encode_uri (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 16);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_printf (out, "%%%c%c", g_ascii_toupper (p[1]),
                                  g_ascii_toupper (p[2]));
          p += 2;
        }
      else if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>'
               || *p == '\\' || *p == '^' || *p == '`' || *p == '{' || *p == '|'
               || *p == '}' || *p == '%')
        {
          g_string_append_printf (out, "%%%02X", *p);
        }
      else
        {
          g_string_append_c (out, (char) *p);
        }
    }
  return g_string_free (out, FALSE);
}

static GUri *
parse_http_uri (const char *url)
{
  g_autofree char *trimmed = tb_text_strip (url);
  g_autofree char *with_scheme = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (trimmed == NULL)
    return NULL;
  if (!has_scheme (trimmed))
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);
  encoded = encode_uri (with_scheme);
  uri = g_uri_parse (encoded, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED,
                     NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0
      && g_ascii_strcasecmp (scheme, "http") != 0)
    return NULL;
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  return g_steal_pointer (&uri);
}

/* GUri decodes %-escapes in the host even when asked not to: an
 * internationalised name becomes ASCII (punycode), anything that is not a
 * host name or an IP address is refused. */
static char *
normalize_host (const char *host)
{
  g_autofree char *ascii = g_hostname_to_ascii (host);

  if (ascii == NULL || *ascii == '\0')
    return NULL;
  if (g_hostname_is_ip_address (ascii))
    return g_steal_pointer (&ascii);
  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return NULL;
  return g_ascii_strdown (ascii, -1);
}

static char *
url_normalize (const char *url)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  const char *query;
  const char *fragment;
  gsize len;

  if (url == NULL || !g_utf8_validate (url, -1, NULL))
    return NULL;
  uri = parse_http_uri (url);
  if (uri == NULL)
    return NULL;
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = normalize_host (g_uri_get_host (uri));
  if (host == NULL)
    return NULL;
  /* GUri refuses to join a host with a relative path, which relaxed
   * parsing can produce from odd input. */
  if (g_uri_get_path (uri)[0] != '/' && g_uri_get_path (uri)[0] != '\0')
    path = g_strconcat ("/", g_uri_get_path (uri), NULL);
  else
    path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';
  query = g_uri_get_query (uri);
  fragment = g_uri_get_fragment (uri);
  if (tb_url_host_is_linkedin (host))
    {
      query = NULL;
      fragment = NULL;
    }
  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, g_uri_get_userinfo (uri),
                     host, g_uri_get_port (uri), path, query, fragment);
}

/* The slug of a LinkedIn profile URL already in its normal form,
 * "https://www.linkedin.com/in/SLUG" with an ASCII slug, or NULL. Most
 * rows of a LinkedIn export are this: they skip the URI parsing, which
 * is most of the cost of a key. */
static const char *
plain_linkedin_slug (const char *url)
{
  static const char prefix[] = "https://www.linkedin.com/in/";
  const char *slug;

  if (url == NULL || strncmp (url, prefix, sizeof prefix - 1) != 0)
    return NULL;
  slug = url + sizeof prefix - 1;
  if (*slug == '\0')
    return NULL;
  for (const char *p = slug; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return NULL;
  return slug;
}

char *
tb_url_normalize (const char *url)
{
  if (plain_linkedin_slug (url) != NULL)
    return g_strdup (url);
  return url_normalize (url);
}

char *
tb_url_key (const char *url)
{
  const char *slug = plain_linkedin_slug (url);
  g_autofree char *normalized = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *folded = NULL;
  const char *host;
  const char *query;

  if (slug != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (slug, -1);
      return g_strconcat ("linkedin.com/in/", lower, NULL);
    }
  normalized = url_normalize (url);
  if (normalized == NULL)
    return NULL;
  uri = g_uri_parse (normalized, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return NULL;
  host = g_uri_get_host (uri);
  if (g_str_has_prefix (host, "www."))
    host += 4;
  if (tb_url_host_is_linkedin (host))
    host = "linkedin.com";
  decoded = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    {
      g_free (decoded);
      decoded = g_strdup (g_uri_get_path (uri));
    }
  folded = g_utf8_casefold (decoded, -1);
  query = g_uri_get_query (uri);
  return g_strconcat (host, folded, query ? "?" : "", query ? query : "", NULL);
}

/* E-mail addresses, tags, names */

char *
tb_email_key (const char *email)
{
  g_autofree char *cleaned = NULL;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return NULL;
  cleaned = tb_text_collapse (email);
  if (cleaned == NULL)
    return NULL;
  return g_utf8_strdown (cleaned, -1);
}

char *
tb_tag_key (const char *tag)
{
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *lower = NULL;

  if (tag == NULL)
    return g_strdup ("");
  valid = g_strstrip (g_utf8_make_valid (tag, -1));
  /* Normalised before lowering, as a compatibility form may stand for a
   * capital (U+1D2C MODIFIER LETTER CAPITAL A is "A"), and again after,
   * as lowering may make a composition possible (a capital iota with
   * dialytika and an acute has no composed form, its lower case has):
   * so the key of a key is the key itself, which a stored tag must be. */
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL_COMPOSE);
  lower = g_utf8_strdown (normalized, -1);
  return g_utf8_normalize (lower, -1, G_NORMALIZE_ALL_COMPOSE);
}

char *
tb_name_key (const char *name)
{
  return tb_fold (name);
}

char *
tb_phone_key (const char *phone)
{
  GString *key;
  const char *p = phone;

  if (phone == NULL)
    return NULL;
  key = g_string_new (NULL);
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+')
    g_string_append_c (key, '+');
  for (; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (key, *p);
  if (key->len == 0 || (key->len == 1 && key->str[0] == '+'))
    {
      g_string_free (key, TRUE);
      return NULL;
    }
  return g_string_free (key, FALSE);
}
