/* tb-caldav.c — CalDAV push: PUT/DELETE the difference, with ETags and
 * back-off, on the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-caldav"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tb-caldav.h"
#include "tb-error.h"

/* What the server holds of ours. */
typedef struct
{
  char *etag; /* (owned) (nullable): strong ETag from the last success */
  char *hash; /* (owned): hash of the content pushed */
} Pushed;

/* A UID with work to do. */
typedef struct
{
  gint64 not_before; /* monotonic µs; 0: now */
  guint failures;    /* consecutive failures of this UID alone */
  gboolean force;    /* next request without precondition (after a 412) */
} Pending;

struct _TbCaldav
{
  GObject parent_instance;

  char *collection_url;      /* (owned): ends in '/' */
  char *authorization;       /* (owned) (nullable): "Basic ..." */
  SoupSession *session;      /* (owned) */
  GCancellable *cancellable; /* (owned) */

  GPtrArray *desired_array; /* (owned) (element-type TbIcalResource) */
  GHashTable *desired;      /* uid -> TbIcalResource, borrowed */
  GHashTable *pushed;       /* (owned) uid -> Pushed */
  GHashTable *pending;      /* (owned) uid -> Pending */
  GHashTable *in_flight;    /* (owned) set of uid */

  guint backoff_min_ms;
  guint backoff_max_ms;
  guint global_failures;
  gint64 global_not_before; /* monotonic µs */
  guint timer_id;
  gint64 timer_deadline; /* monotonic µs of the armed timer */
  guint idle_id;

  gint64 last_success; /* Unix seconds */
  char *last_error;    /* (owned) (nullable) */
};

enum
{
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_TYPE (TbCaldav, tb_caldav, G_TYPE_OBJECT)

typedef struct
{
  GWeakRef self; /* the engine may go away while a request runs */
  char *uid;     /* (owned) */
  char *hash;    /* (owned) (nullable): NULL for DELETE */
  gboolean conditional;
  SoupMessage *msg; /* (owned) */
} Request;

static void pump (TbCaldav *self);

static void
pushed_free (Pushed *p)
{
  g_free (p->etag);
  g_free (p->hash);
  g_free (p);
}

static void
request_free (Request *req)
{
  g_weak_ref_clear (&req->self);
  g_free (req->uid);
  g_free (req->hash);
  g_clear_object (&req->msg);
  g_free (req);
}

static void
set_error (TbCaldav *self, const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
}

static guint
backoff_ms (TbCaldav *self, guint failures)
{
  guint64 ms = self->backoff_min_ms;

  for (guint i = 1; i < failures && ms < self->backoff_max_ms; i++)
    ms *= 2;
  return (guint) MIN (ms, (guint64) self->backoff_max_ms);
}

static gboolean
timer_cb (gpointer data)
{
  TbCaldav *self = data;

  self->timer_id = 0;
  self->timer_deadline = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

/* One timer at most, for the earliest moment something may be retried. */
static void
arm_timer (TbCaldav *self, gint64 deadline)
{
  gint64 now = g_get_monotonic_time ();
  guint ms;

  if (self->timer_id != 0 && self->timer_deadline <= deadline)
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  ms = (guint) CLAMP ((deadline - now + 999) / 1000, 0, G_MAXUINT);
  self->timer_deadline = deadline;
  self->timer_id = g_timeout_add (ms, timer_cb, self);
  g_source_set_name_by_id (self->timer_id, "[tb-caldav] retry");
}

static gboolean
idle_cb (gpointer data)
{
  TbCaldav *self = data;

  self->idle_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pump (TbCaldav *self)
{
  if (self->idle_id == 0)
    self->idle_id = g_idle_add (idle_cb, self);
}

/* Whether @uid needs a request, and which: TRUE and *is_delete. */
static gboolean
needs_work (TbCaldav *self, const char *uid, gboolean *is_delete)
{
  TbIcalResource *want = g_hash_table_lookup (self->desired, uid);
  Pushed *have = g_hash_table_lookup (self->pushed, uid);

  *is_delete = FALSE;
  if (want != NULL)
    return have == NULL || g_strcmp0 (have->hash, want->hash) != 0;
  *is_delete = have != NULL;
  return have != NULL;
}

/* Brings the pending entry of @uid in line with desired vs pushed. */
static void
update_pending (TbCaldav *self, const char *uid)
{
  gboolean is_delete;

  if (!needs_work (self, uid, &is_delete))
    g_hash_table_remove (self->pending, uid);
  else if (!g_hash_table_contains (self->pending, uid))
    g_hash_table_insert (self->pending, g_strdup (uid), g_new0 (Pending, 1));
}

static char *
resource_url (TbCaldav *self, const char *uid)
{
  g_autofree char *name = g_uri_escape_string (uid, NULL, FALSE);

  return g_strconcat (self->collection_url, name, ".ics", NULL);
}

static char *
describe_status (SoupMessage *msg)
{
  const char *reason = soup_message_get_reason_phrase (msg);
  guint status = soup_message_get_status (msg);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (
          soup_message_get_response_headers (msg), "Location");

      /* Translators: "caldav-url" is the key in touchbase.conf. */
      return g_strdup_printf (_ ("HTTP %u, redirected to %s: set caldav-url "
                                 "to the final address"),
                              status, location != NULL ? location : "?");
    }
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    /* Translators: "caldav-username" is the key in touchbase.conf; the
     * %s is the server's reason phrase, such as "Unauthorized". */
    return g_strdup_printf (_ ("HTTP %u %s: check caldav-username and the "
                               "password"),
                            status, reason != NULL ? reason : "");
  return g_strdup_printf ("HTTP %u %s", status, reason != NULL ? reason : "");
}

/* A failure that says the server (not this resource) is unwell. */
static gboolean
is_global_failure (guint status)
{
  return status >= 500 || SOUP_STATUS_IS_REDIRECTION (status)
         || status == SOUP_STATUS_UNAUTHORIZED
         || status == SOUP_STATUS_FORBIDDEN
         || status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED
         || status == SOUP_STATUS_REQUEST_TIMEOUT
         || status == SOUP_STATUS_CONFLICT /* collection missing */
         || status == SOUP_STATUS_LOCKED || status == 429 || status < 100;
}

static void
global_failure (TbCaldav *self, const char *message)
{
  gint64 now = g_get_monotonic_time ();
  guint ms;

  set_error (self, message);
  /* Requests already in flight fail together; count them as one. */
  if (now < self->global_not_before)
    return;
  self->global_failures++;
  ms = backoff_ms (self, self->global_failures);
  self->global_not_before = now + (gint64) ms * 1000;
  /* The journal wants the first failure, not one line per retry. */
  if (self->global_failures == 1)
    g_message ("CalDAV %s: %s; retrying in %.1f s", self->collection_url,
               message, ms / 1000.0);
  else
    g_debug ("CalDAV %s: %s; retry %u in %.1f s", self->collection_url, message,
             self->global_failures, ms / 1000.0);
}

static void
item_failure (TbCaldav *self, const char *uid, const char *message)
{
  Pending *p = g_hash_table_lookup (self->pending, uid);
  guint ms;

  set_error (self, message);
  if (p == NULL)
    return;
  p->failures++;
  ms = backoff_ms (self, p->failures);
  p->not_before = g_get_monotonic_time () + (gint64) ms * 1000;
  if (p->failures == 1)
    g_message ("CalDAV: %s; retrying %s in %.1f s", message, uid, ms / 1000.0);
  else
    g_debug ("CalDAV: %s; retry %u of %s in %.1f s", message, p->failures, uid,
             ms / 1000.0);
}

static void
success (TbCaldav *self, const char *uid)
{
  self->global_failures = 0;
  self->global_not_before = 0;
  self->last_success = g_get_real_time () / G_USEC_PER_SEC;
  g_hash_table_remove (self->pending, uid);
  update_pending (self, uid);
  if (g_hash_table_size (self->pending) == 0)
    g_clear_pointer (&self->last_error, g_free);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

/* A strong ETag, or NULL: weak ones never match If-Match. */
static char *
strong_etag (SoupMessage *msg)
{
  const char *etag = soup_message_headers_get_one (
      soup_message_get_response_headers (msg), "ETag");

  if (etag == NULL || g_str_has_prefix (etag, "W/") || *etag != '"'
      || strlen (etag) < 2 || etag[strlen (etag) - 1] != '"')
    return NULL;
  return g_strdup (etag);
}

static void
request_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Request *req = data;
  g_autoptr (TbCaldav) self = g_weak_ref_get (&req->self);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *message = NULL;
  gboolean is_delete = req->hash == NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                            &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      request_free (req);
      return;
    }
  g_hash_table_remove (self->in_flight, req->uid);

  if (error != NULL)
    {
      message = g_strdup_printf ("%s %s: %s", is_delete ? "DELETE" : "PUT",
                                 req->uid, error->message);
      global_failure (self, message);
    }
  else
    {
      status = soup_message_get_status (req->msg);
      g_debug ("%s %s: %u", is_delete ? "DELETE" : "PUT", req->uid, status);

      if (SOUP_STATUS_IS_SUCCESSFUL (status)
          || (is_delete
              && (status == SOUP_STATUS_NOT_FOUND
                  || status == SOUP_STATUS_GONE)))
        {
          if (is_delete)
            g_hash_table_remove (self->pushed, req->uid);
          else
            {
              Pushed *p = g_new0 (Pushed, 1);

              p->etag = strong_etag (req->msg);
              p->hash = g_steal_pointer (&req->hash);
              g_hash_table_replace (self->pushed, g_strdup (req->uid), p);
            }
          success (self, req->uid);
        }
      else if (req->conditional
               && (status == SOUP_STATUS_PRECONDITION_FAILED
                   || status == SOUP_STATUS_NOT_FOUND))
        {
          Pending *p = g_hash_table_lookup (self->pending, req->uid);

          /* Someone else changed or removed our resource, or our memory of
           * it is gone: ours wins. */
          g_message ("CalDAV: %s changed on the server (HTTP %u); %s", req->uid,
                     status,
                     is_delete ? "deleting it anyway" : "sending ours again");
          if (p != NULL)
            p->force = TRUE;
        }
      else
        {
          g_autofree char *what = describe_status (req->msg);

          message = g_strdup_printf ("%s %s: %s", is_delete ? "DELETE" : "PUT",
                                     req->uid, what);
          if (is_global_failure (status))
            global_failure (self, message);
          else
            item_failure (self, req->uid, message);
        }
    }

  request_free (req);
  pump (self);
}

static void
start_request (TbCaldav *self, const char *uid, Pending *pending)
{
  TbIcalResource *want = g_hash_table_lookup (self->desired, uid);
  Pushed *have = g_hash_table_lookup (self->pushed, uid);
  g_autofree char *url = resource_url (self, uid);
  SoupMessage *msg;
  SoupMessageHeaders *headers;
  Request *req;

  msg = soup_message_new (want != NULL ? "PUT" : "DELETE", url);
  if (msg == NULL)
    {
      g_autofree char *message
          = g_strdup_printf (_ ("bad resource URL %s"), url);

      item_failure (self, uid, message);
      return;
    }
  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization",
                                  self->authorization);

  req = g_new0 (Request, 1);
  g_weak_ref_init (&req->self, self);
  req->uid = g_strdup (uid);
  req->msg = msg;

  if (want != NULL)
    {
      g_autoptr (GBytes) body = g_bytes_new (want->ics, strlen (want->ics));

      req->hash = g_strdup (want->hash);
      soup_message_set_request_body_from_bytes (
          msg, "text/calendar; charset=utf-8", body);
      if (have == NULL && !pending->force)
        {
          soup_message_headers_replace (headers, "If-None-Match", "*");
          req->conditional = TRUE;
        }
    }
  if (have != NULL && have->etag != NULL && !pending->force)
    {
      soup_message_headers_replace (headers, "If-Match", have->etag);
      req->conditional = TRUE;
    }
  pending->force = FALSE;

  g_hash_table_add (self->in_flight, g_strdup (uid));
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, request_done, req);
}

/* Starts what may start now; arms the timer for what must wait. */
static void
pump (TbCaldav *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr (GPtrArray) ready = g_ptr_array_new_with_free_func (g_free);

  if (g_hash_table_size (self->pending) == 0)
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      return;
    }
  if (now < self->global_not_before)
    {
      arm_timer (self, self->global_not_before);
      return;
    }

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Pending *p = value;

      if (g_hash_table_size (self->in_flight) + ready->len
          >= TB_CALDAV_MAX_IN_FLIGHT)
        break;
      if (g_hash_table_contains (self->in_flight, key))
        continue;
      if (p->not_before > now)
        {
          next = MIN (next, p->not_before);
          continue;
        }
      g_ptr_array_add (ready, g_strdup (key));
    }

  /* Started outside the iteration: a request that fails at once changes
   * the table. */
  for (guint i = 0; i < ready->len; i++)
    {
      const char *uid = g_ptr_array_index (ready, i);
      Pending *p = g_hash_table_lookup (self->pending, uid);

      if (p != NULL)
        start_request (self, uid, p);
    }

  if (g_hash_table_size (self->in_flight) == 0 && next != G_MAXINT64)
    arm_timer (self, next);
  else if (g_hash_table_size (self->in_flight) > 0)
    g_clear_handle_id (&self->timer_id, g_source_remove);
}

void
tb_caldav_set_resources (TbCaldav *self, GPtrArray *resources)
{
  g_autoptr (GHashTable) desired = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (TB_IS_CALDAV (self));
  g_return_if_fail (resources != NULL);

  desired = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < resources->len; i++)
    {
      TbIcalResource *r = g_ptr_array_index (resources, i);

      if (r->uid == NULL || r->ics == NULL || r->hash == NULL)
        continue;
      g_hash_table_replace (desired, r->uid, r);
    }
  g_clear_pointer (&self->desired, g_hash_table_unref);
  self->desired = g_steal_pointer (&desired);
  g_clear_pointer (&self->desired_array, g_ptr_array_unref);
  self->desired_array = g_ptr_array_ref (resources);

  /* Pending = (desired that differs from pushed) + (pushed not desired).
   * A resource the server refused gets a new chance with new content. */
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Pending *p = value;
      gboolean is_delete;

      if (!needs_work (self, key, &is_delete))
        g_hash_table_iter_remove (&iter);
      else
        p->not_before = 0;
    }
  g_hash_table_iter_init (&iter, self->desired);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_pending (self, key);
  g_hash_table_iter_init (&iter, self->pushed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_pending (self, key);

  if (g_hash_table_size (self->pending) == 0)
    g_clear_pointer (&self->last_error, g_free);
  schedule_pump (self);
}

void
tb_caldav_retry_now (TbCaldav *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (TB_IS_CALDAV (self));

  self->global_not_before = 0;
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Pending *) value)->not_before = 0;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  schedule_pump (self);
}

void
tb_caldav_set_backoff (TbCaldav *self, guint min_ms, guint max_ms)
{
  g_return_if_fail (TB_IS_CALDAV (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->backoff_min_ms = min_ms;
  self->backoff_max_ms = max_ms;
}

gint64
tb_caldav_get_last_success (TbCaldav *self)
{
  g_return_val_if_fail (TB_IS_CALDAV (self), 0);
  return self->last_success;
}

guint
tb_caldav_get_pending (TbCaldav *self)
{
  g_return_val_if_fail (TB_IS_CALDAV (self), 0);
  return g_hash_table_size (self->pending);
}

const char *
tb_caldav_get_last_error (TbCaldav *self)
{
  g_return_val_if_fail (TB_IS_CALDAV (self), NULL);
  return self->last_error;
}

gint64
tb_caldav_get_next_retry (TbCaldav *self)
{
  g_return_val_if_fail (TB_IS_CALDAV (self), 0);

  if (self->timer_id == 0)
    return 0;
  return (g_get_real_time ()
          + MAX (self->timer_deadline - g_get_monotonic_time (), 0))
         / G_USEC_PER_SEC;
}

gboolean
tb_caldav_is_busy (TbCaldav *self)
{
  g_return_val_if_fail (TB_IS_CALDAV (self), FALSE);
  return g_hash_table_size (self->in_flight) > 0 || self->idle_id != 0;
}

const char *
tb_caldav_get_collection_url (TbCaldav *self)
{
  g_return_val_if_fail (TB_IS_CALDAV (self), NULL);
  return self->collection_url;
}

GVariant *
tb_caldav_save_state (TbCaldav *self)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (TB_IS_CALDAV (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(ss)}"));
  g_hash_table_iter_init (&iter, self->pushed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Pushed *p = value;

      g_variant_builder_add (&builder, "{s(ss)}", (const char *) key,
                             p->etag != NULL ? p->etag : "", p->hash);
    }
  return g_variant_ref_sink (
      g_variant_new ("(sa{s(ss)})", self->collection_url, &builder));
}

gboolean
tb_caldav_load_state (TbCaldav *self, GVariant *state, GError **error)
{
  const char *url;
  g_autoptr (GVariantIter) iter = NULL;
  const char *uid, *etag, *hash;

  g_return_val_if_fail (TB_IS_CALDAV (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  if (!g_variant_is_of_type (state, TB_CALDAV_STATE_TYPE))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   "CalDAV state has type %s, expected %s",
                   g_variant_get_type_string (state),
                   (const char *) TB_CALDAV_STATE_TYPE);
      return FALSE;
    }
  g_variant_get (state, "(&sa{s(ss)})", &url, &iter);
  if (g_strcmp0 (url, self->collection_url) != 0)
    {
      g_message ("CalDAV collection changed from %s to %s; starting afresh",
                 url, self->collection_url);
      return TRUE;
    }
  while (g_variant_iter_next (iter, "{&s(&s&s)}", &uid, &etag, &hash))
    {
      Pushed *p = g_new0 (Pushed, 1);

      p->etag = *etag != '\0' ? g_strdup (etag) : NULL;
      p->hash = g_strdup (hash);
      g_hash_table_replace (self->pushed, g_strdup (uid), p);
    }
  return TRUE;
}

static gboolean
is_loopback (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return g_strcmp0 (host, "localhost") == 0
         || g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0
         || g_strcmp0 (host, "[::1]") == 0;
}

TbCaldav *
tb_caldav_new (const char *collection_url, const char *username,
               const char *password, GError **error)
{
  g_autoptr (TbCaldav) self = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *scheme;

  g_return_val_if_fail (collection_url != NULL, NULL);

  uri = g_uri_parse (collection_url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid CalDAV URL “%s”: %s"), collection_url,
                   local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0
       && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid CalDAV URL “%s”: expected "
                      "http(s)://host/path/"),
                   collection_url);
      return NULL;
    }

  self = g_object_new (TB_TYPE_CALDAV, NULL);
  self->collection_url = g_str_has_suffix (collection_url, "/")
                             ? g_strdup (collection_url)
                             : g_strconcat (collection_url, "/", NULL);
  if (username != NULL && *username != '\0')
    {
      g_autofree char *pair
          = g_strconcat (username, ":", password != NULL ? password : "", NULL);
      g_autofree char *b64
          = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->authorization = g_strconcat ("Basic ", b64, NULL);
      if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback (uri))
        g_message ("CalDAV password for %s goes unencrypted over http",
                   collection_url);
    }
  return g_steal_pointer (&self);
}

static void
tb_caldav_dispose (GObject *object)
{
  TbCaldav *self = TB_CALDAV (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  G_OBJECT_CLASS (tb_caldav_parent_class)->dispose (object);
}

static void
tb_caldav_finalize (GObject *object)
{
  TbCaldav *self = TB_CALDAV (object);

  g_free (self->collection_url);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->desired, g_hash_table_unref);
  g_clear_pointer (&self->desired_array, g_ptr_array_unref);
  g_clear_pointer (&self->pushed, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_free (self->last_error);
  G_OBJECT_CLASS (tb_caldav_parent_class)->finalize (object);
}

static void
tb_caldav_class_init (TbCaldavClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_caldav_dispose;
  object_class->finalize = tb_caldav_finalize;

  /* What was pushed changed: time to save tb_caldav_save_state(). */
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_caldav_init (TbCaldav *self)
{
  g_autofree char *agent = g_strdup_printf ("touchbase/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("user-agent", agent, "timeout",
                                                 60, "idle-timeout", 30, NULL);
  self->cancellable = g_cancellable_new ();
  self->desired = g_hash_table_new (g_str_hash, g_str_equal);
  self->pushed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) pushed_free);
  self->pending
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->in_flight
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->backoff_min_ms = TB_CALDAV_BACKOFF_MIN_MS;
  self->backoff_max_ms = TB_CALDAV_BACKOFF_MAX_MS;
}
