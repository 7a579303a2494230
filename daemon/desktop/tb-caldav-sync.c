/* tb-caldav-sync.c — a local copy of a CalDAV collection, kept up to date
 * with sync-collection (RFC 6578) and calendar-multiget, or
 * calendar-query where the server has no sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-caldav-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-caldav-sync.h"
#include "tb-error.h"
#include "tb-http-fetch.h"
#include "tb-ical-events.h"

/* A multistatus answer may be large (calendar-data of a batch, or a
 * calendar-query of the whole range). */
#define MAX_ANSWER TB_ICAL_EVENTS_MAX_BYTES
/* 507 continuations of one sync. */
#define MAX_ROUNDS 50

typedef struct
{
  char *href; /* (owned): as the server wrote it */
  char *etag; /* (owned) (nullable) */
  char *ics;  /* (owned) (nullable): NULL until fetched */
} Resource;

struct _TbCaldavSync
{
  char *url;             /* (owned): ends in '/' */
  char *path;            /* (owned): the collection's path, decoded */
  char *username;        /* (owned) (nullable) */
  char *password;        /* (owned) (nullable) */
  GHashTable *resources; /* (owned) decoded path -> Resource */
  gsize bytes;           /* calendar data in the copy */
  char *token;           /* (owned) (nullable) */
  gboolean no_sync;      /* the server refused sync-collection */
  const char *mode;
};

static void
resource_free (Resource *r)
{
  g_free (r->href);
  g_free (r->etag);
  g_free (r->ics);
  g_free (r);
}

TbCaldavSync *
tb_caldav_sync_new (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GUri) bare = NULL;
  g_autofree char *with_slash = NULL;
  const char *scheme;
  const char *user;
  TbCaldavSync *self;

  g_return_val_if_fail (url != NULL, NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0
          && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an http(s) URL"), url);
      return NULL;
    }
  self = g_new0 (TbCaldavSync, 1);
  user = g_uri_get_user (uri);
  if (user != NULL && *user != '\0')
    self->username = g_uri_unescape_string (user, NULL);
  if (g_uri_get_password (uri) != NULL)
    self->password = g_uri_unescape_string (g_uri_get_password (uri), NULL);
  bare = g_uri_build (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), g_uri_get_path (uri),
                      g_uri_get_query (uri), NULL);
  with_slash = g_uri_to_string (bare);
  self->url = g_str_has_suffix (with_slash, "/")
                  ? g_steal_pointer (&with_slash)
                  : g_strconcat (with_slash, "/", NULL);
  {
    g_autofree char *path = g_uri_unescape_string (g_uri_get_path (uri), NULL);

    self->path = g_str_has_suffix (path ? path : "", "/")
                     ? g_strdup (path)
                     : g_strconcat (path ? path : "", "/", NULL);
  }
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) resource_free);
  self->mode = "full";
  return self;
}

void
tb_caldav_sync_free (TbCaldavSync *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  g_free (self->path);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_hash_table_unref (self->resources);
  g_free (self->token);
  g_free (self);
}

const char *
tb_caldav_sync_get_url (TbCaldavSync *self)
{
  return self->url;
}

const char *
tb_caldav_sync_get_username (TbCaldavSync *self)
{
  return self->username;
}

gboolean
tb_caldav_sync_has_password (TbCaldavSync *self)
{
  return self->password != NULL;
}

void
tb_caldav_sync_set_password (TbCaldavSync *self, const char *password)
{
  g_free (self->password);
  self->password = g_strdup (password);
}

const char *
tb_caldav_sync_get_token (TbCaldavSync *self)
{
  return self->token;
}

const char *
tb_caldav_sync_get_mode (TbCaldavSync *self)
{
  return self->mode;
}

guint
tb_caldav_sync_get_count (TbCaldavSync *self)
{
  return g_hash_table_size (self->resources);
}

/* ----------------------------------------------------------- multistatus */

typedef struct
{
  char *href;
  char *status;        /* the response's own status line (nullable) */
  gboolean prop_ok;    /* a propstat with 200 carried the props */
  char *etag;          /* (nullable) */
  char *calendar_data; /* (nullable) */
} Answer;

static void
answer_free (Answer *a)
{
  g_free (a->href);
  g_free (a->status);
  g_free (a->etag);
  g_free (a->calendar_data);
  g_free (a);
}

typedef struct
{
  GPtrArray *answers; /* (owned) (element-type Answer) */
  char *sync_token;   /* (owned) (nullable) */
  Answer *cur;        /* (owned) (nullable) */
  gboolean in_propstat;
  char *ps_status; /* (owned) (nullable) */
  char *ps_etag;   /* (owned) (nullable) */
  char *ps_data;   /* (owned) (nullable) */
  GString *text;   /* (owned) */
  guint depth;
} Parse;

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static void
on_start (GMarkupParseContext *context, const char *element, const char **names,
          const char **values, gpointer user_data, GError **error)
{
  Parse *p = user_data;
  const char *name = local_name (element);

  g_string_truncate (p->text, 0);
  if (strcmp (name, "response") == 0 && p->cur == NULL)
    p->cur = g_new0 (Answer, 1);
  else if (strcmp (name, "propstat") == 0 && p->cur != NULL)
    {
      p->in_propstat = TRUE;
      g_clear_pointer (&p->ps_status, g_free);
      g_clear_pointer (&p->ps_etag, g_free);
      g_clear_pointer (&p->ps_data, g_free);
    }
}

static char *
take_text (Parse *p)
{
  return g_strstrip (g_strndup (p->text->str, p->text->len));
}

static void
on_end (GMarkupParseContext *context, const char *element, gpointer user_data,
        GError **error)
{
  Parse *p = user_data;
  const char *name = local_name (element);

  if (strcmp (name, "response") == 0 && p->cur != NULL)
    {
      if (p->cur->href != NULL)
        g_ptr_array_add (p->answers, p->cur);
      else
        answer_free (p->cur);
      p->cur = NULL;
    }
  else if (strcmp (name, "sync-token") == 0 && p->cur == NULL)
    {
      g_free (p->sync_token);
      p->sync_token = take_text (p);
    }
  else if (p->cur == NULL)
    ;
  else if (strcmp (name, "href") == 0 && p->cur->href == NULL)
    p->cur->href = take_text (p);
  else if (strcmp (name, "status") == 0)
    {
      char **slot = p->in_propstat ? &p->ps_status : &p->cur->status;

      g_free (*slot);
      *slot = take_text (p);
    }
  else if (strcmp (name, "getetag") == 0 && p->in_propstat)
    {
      g_free (p->ps_etag);
      p->ps_etag = take_text (p);
    }
  else if (strcmp (name, "calendar-data") == 0 && p->in_propstat)
    {
      /* Not stripped: the text is iCalendar as it is. */
      g_free (p->ps_data);
      p->ps_data = g_strndup (p->text->str, p->text->len);
    }
  else if (strcmp (name, "propstat") == 0)
    {
      p->in_propstat = FALSE;
      if (p->ps_status != NULL && strstr (p->ps_status, " 200") != NULL)
        {
          p->cur->prop_ok = TRUE;
          if (p->ps_etag != NULL && *p->ps_etag != '\0')
            {
              g_free (p->cur->etag);
              p->cur->etag = g_steal_pointer (&p->ps_etag);
            }
          if (p->ps_data != NULL)
            {
              g_free (p->cur->calendar_data);
              p->cur->calendar_data = g_steal_pointer (&p->ps_data);
            }
        }
    }
  g_string_truncate (p->text, 0);
}

static void
on_text (GMarkupParseContext *context, const char *text, gsize len,
         gpointer user_data, GError **error)
{
  Parse *p = user_data;

  g_string_append_len (p->text, text, len);
}

static const GMarkupParser multistatus_parser = {
  on_start, on_end, on_text, NULL, NULL,
};

/* (element-type Answer) (transfer full); @token gets the sync-token. */
static GPtrArray *
parse_multistatus (GBytes *body, char **token, GError **error)
{
  Parse p = { 0 };
  g_autoptr (GMarkupParseContext) context = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  gboolean ok;

  p.answers = g_ptr_array_new_with_free_func ((GDestroyNotify) answer_free);
  p.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&multistatus_parser,
                                        G_MARKUP_TREAT_CDATA_AS_TEXT, &p, NULL);
  ok = g_markup_parse_context_parse (context, data != NULL ? data : "", len,
                                     error)
       && g_markup_parse_context_end_parse (context, error);
  g_string_free (p.text, TRUE);
  g_clear_pointer (&p.cur, answer_free);
  g_free (p.ps_status);
  g_free (p.ps_etag);
  g_free (p.ps_data);
  if (!ok)
    {
      g_ptr_array_unref (p.answers);
      g_free (p.sync_token);
      g_prefix_error (error, "%s", _ ("The server's answer is not WebDAV: "));
      return NULL;
    }
  if (token != NULL)
    *token = p.sync_token;
  else
    g_free (p.sync_token);
  return p.answers;
}

/* ------------------------------------------------------------- requests */

/* The path of @href, decoded: a full URL or an absolute path. */
static char *
href_key (const char *href)
{
  g_autoptr (GUri) uri = NULL;

  if (g_ascii_strncasecmp (href, "http://", 7) == 0
      || g_ascii_strncasecmp (href, "https://", 8) == 0)
    {
      uri = g_uri_parse (href, G_URI_FLAGS_ENCODED, NULL);
      if (uri != NULL)
        return g_uri_unescape_string (g_uri_get_path (uri), NULL);
    }
  return g_uri_unescape_string (href, NULL);
}

static gboolean
is_collection (TbCaldavSync *self, const char *key)
{
  gsize len = strlen (key);

  return strcmp (key, self->path) == 0
         || (len + 1 == strlen (self->path)
             && strncmp (key, self->path, len) == 0);
}

static gboolean
request (TbCaldavSync *self, const char *body, const char *depth,
         TbHttpResponse *out, GCancellable *cancellable, GError **error)
{
  return tb_http_dav ("REPORT", self->url, depth, body, self->username,
                      self->password, MAX_ANSWER, out, cancellable, error);
}

static void
status_error (GError **error, const TbHttpResponse *r)
{
  if (r->status == 401)
    g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                 _ ("The server refused the credentials (401); store the "
                    "password with secret-tool (see touchbase(1))"));
  else if (r->status >= 300 && r->status < 400)
    g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                 _ ("The server answered %u (a redirect, not followed); "
                    "configure the URL it points to"),
                 r->status);
  else
    g_set_error (error, TB_ERROR, TB_ERROR_FAILED, _ ("The server answered %u"),
                 r->status);
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text, -1);
}

static void
store_resource (TbCaldavSync *self, GHashTable *into, const char *key,
                const Answer *a)
{
  Resource *r = g_new0 (Resource, 1);

  r->href = g_strdup (a->href);
  r->etag = g_strdup (a->etag);
  r->ics = g_strdup (a->calendar_data);
  g_hash_table_replace (into, g_strdup (key), r);
}

static gsize
copy_bytes (GHashTable *resources)
{
  GHashTableIter iter;
  Resource *r;
  gsize total = 0;

  g_hash_table_iter_init (&iter, resources);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    total += r->ics != NULL ? strlen (r->ics) : 0;
  return total;
}

static gboolean
multiget (TbCaldavSync *self, GHashTable *into, GPtrArray *hrefs,
          GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < hrefs->len; i += TB_CALDAV_SYNC_BATCH)
    {
      g_autoptr (GString) body
          = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<c:calendar-multiget xmlns:d=\"DAV:\" "
                          "xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
                          "<d:prop><d:getetag/><c:calendar-data/></d:prop>");
      g_auto (TbHttpResponse) r = { 0 };
      g_autoptr (GPtrArray) answers = NULL;

      for (guint j = i; j < MIN (hrefs->len, i + TB_CALDAV_SYNC_BATCH); j++)
        {
          g_autofree char *e = escape (hrefs->pdata[j]);

          g_string_append_printf (body, "<d:href>%s</d:href>", e);
        }
      g_string_append (body, "</c:calendar-multiget>");
      if (!request (self, body->str, "1", &r, cancellable, error))
        return FALSE;
      if (r.status != 207)
        {
          status_error (error, &r);
          return FALSE;
        }
      answers = parse_multistatus (r.body, NULL, error);
      if (answers == NULL)
        return FALSE;
      for (guint j = 0; j < answers->len; j++)
        {
          Answer *a = answers->pdata[j];
          g_autofree char *key = href_key (a->href);

          if (key != NULL && a->prop_ok && a->calendar_data != NULL)
            store_resource (self, into, key, a);
        }
    }
  return TRUE;
}

/* One sync-collection from @token (NULL: everything). *refused: the
 * server does not take this token or has no sync at all (no error then). */
static gboolean
sync_collection (TbCaldavSync *self, GHashTable *into, const char *token,
                 char **new_token, gboolean *refused, GCancellable *cancellable,
                 GError **error)
{
  g_autofree char *current = g_strdup (token);

  *refused = FALSE;
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      g_autofree char *e = escape (current != NULL ? current : "");
      g_autofree char *body = g_strdup_printf (
          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
          "<d:sync-collection xmlns:d=\"DAV:\">"
          "<d:sync-token>%s</d:sync-token><d:sync-level>1</d:sync-level>"
          "<d:prop><d:getetag/></d:prop></d:sync-collection>",
          e);
      g_auto (TbHttpResponse) r = { 0 };
      g_autoptr (GPtrArray) answers = NULL;
      g_autoptr (GPtrArray) fetch = g_ptr_array_new ();
      g_autofree char *next = NULL;
      gboolean truncated = FALSE;

      if (!request (self, body, "0", &r, cancellable, error))
        return FALSE;
      if (r.status == 401 || (r.status >= 300 && r.status < 400))
        {
          status_error (error, &r);
          return FALSE;
        }
      if (r.status != 207)
        {
          *refused = TRUE;
          return TRUE;
        }
      answers = parse_multistatus (r.body, &next, error);
      if (answers == NULL)
        return FALSE;
      for (guint i = 0; i < answers->len; i++)
        {
          Answer *a = answers->pdata[i];
          g_autofree char *key = href_key (a->href);
          Resource *have;

          if (key == NULL)
            continue;
          if (is_collection (self, key))
            {
              if (a->status != NULL && strstr (a->status, " 507") != NULL)
                truncated = TRUE;
              continue;
            }
          if (a->status != NULL
              && (strstr (a->status, " 404") != NULL
                  || strstr (a->status, " 410") != NULL))
            {
              g_hash_table_remove (into, key);
              continue;
            }
          if (!a->prop_ok)
            continue;
          have = g_hash_table_lookup (into, key);
          if (have != NULL && have->ics != NULL && a->etag != NULL
              && g_strcmp0 (have->etag, a->etag) == 0)
            continue;
          g_ptr_array_add (fetch, a->href);
        }
      if (!multiget (self, into, fetch, cancellable, error))
        return FALSE;
      g_free (current);
      current = g_steal_pointer (&next);
      if (!truncated || current == NULL)
        break;
    }
  *new_token = g_steal_pointer (&current);
  return TRUE;
}

static char *
utc_stamp (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt != NULL ? g_date_time_format (dt, "%Y%m%dT%H%M%SZ")
                    : g_strdup ("19700101T000000Z");
}

static gboolean
calendar_query (TbCaldavSync *self, GHashTable *into, gint64 since,
                gint64 until, GCancellable *cancellable, GError **error)
{
  g_autofree char *start = utc_stamp (since);
  g_autofree char *end = utc_stamp (until);
  g_autofree char *body = g_strdup_printf (
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<c:calendar-query xmlns:d=\"DAV:\" "
      "xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
      "<d:prop><d:getetag/><c:calendar-data/></d:prop>"
      "<c:filter><c:comp-filter name=\"VCALENDAR\">"
      "<c:comp-filter name=\"VEVENT\">"
      "<c:time-range start=\"%s\" end=\"%s\"/>"
      "</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>",
      start, end);
  g_auto (TbHttpResponse) r = { 0 };
  g_autoptr (GPtrArray) answers = NULL;

  if (!request (self, body, "1", &r, cancellable, error))
    return FALSE;
  if (r.status != 207)
    {
      status_error (error, &r);
      return FALSE;
    }
  answers = parse_multistatus (r.body, NULL, error);
  if (answers == NULL)
    return FALSE;
  for (guint i = 0; i < answers->len; i++)
    {
      Answer *a = answers->pdata[i];
      g_autofree char *key = href_key (a->href);

      if (key != NULL && !is_collection (self, key) && a->prop_ok
          && a->calendar_data != NULL)
        store_resource (self, into, key, a);
    }
  return TRUE;
}

/* A copy of @from to work on, so a failed run leaves the copy as it was. */
static GHashTable *
copy_resources (GHashTable *from)
{
  GHashTable *to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) resource_free);
  GHashTableIter iter;
  const char *key;
  Resource *r;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &r))
    {
      Resource *c = g_new0 (Resource, 1);

      c->href = g_strdup (r->href);
      c->etag = g_strdup (r->etag);
      c->ics = g_strdup (r->ics);
      g_hash_table_insert (to, g_strdup (key), c);
    }
  return to;
}

gboolean
tb_caldav_sync_run (TbCaldavSync *self, gint64 since, gint64 until,
                    GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) work = NULL;
  g_autofree char *token = NULL;
  gboolean refused = FALSE;
  gsize bytes;

  if (!self->no_sync)
    {
      gboolean incremental
          = self->token != NULL && g_hash_table_size (self->resources) > 0;

      work = incremental
                 ? copy_resources (self->resources)
                 : g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) resource_free);
      if (!sync_collection (self, work, incremental ? self->token : NULL,
                            &token, &refused, cancellable, error))
        return FALSE;
      if (refused && incremental)
        {
          /* The token expired: read everything again. */
          g_clear_pointer (&work, g_hash_table_unref);
          work = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) resource_free);
          incremental = FALSE;
          if (!sync_collection (self, work, NULL, &token, &refused, cancellable,
                                error))
            return FALSE;
        }
      if (!refused)
        self->mode = incremental ? "sync" : "full";
      else
        {
          g_message ("%s has no sync-collection; reading it with "
                     "calendar-query",
                     self->url);
          self->no_sync = TRUE;
        }
    }
  if (self->no_sync)
    {
      g_clear_pointer (&work, g_hash_table_unref);
      g_clear_pointer (&token, g_free);
      work = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) resource_free);
      if (!calendar_query (self, work, since, until, cancellable, error))
        return FALSE;
      self->mode = "query";
    }
  bytes = copy_bytes (work);
  if (bytes > TB_ICAL_EVENTS_MAX_BYTES)
    {
      g_autofree char *max = g_format_size (TB_ICAL_EVENTS_MAX_BYTES);

      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("The calendar is too large (more than %s)"), max);
      return FALSE;
    }
  g_hash_table_unref (self->resources);
  self->resources = g_steal_pointer (&work);
  self->bytes = bytes;
  g_free (self->token);
  self->token = g_steal_pointer (&token);
  return TRUE;
}

GBytes *
tb_caldav_sync_get_text (TbCaldavSync *self)
{
  GString *text = g_string_sized_new (self->bytes + 64);
  GHashTableIter iter;
  Resource *r;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    if (r->ics != NULL)
      {
        g_string_append (text, r->ics);
        if (text->len > 0 && text->str[text->len - 1] != '\n')
          g_string_append (text, "\r\n");
      }
  {
    gsize len = text->len;

    return g_bytes_new_take (g_string_free (text, FALSE), len);
  }
}
