/* tb-http-fetch.h — blocking HTTP for the calendar sources' scans, which
 * run in a worker thread: a GET of an .ics URL with its validators, and a
 * WebDAV request (REPORT, PROPFIND) with a body, both with libsoup 3 and
 * a session of the calling thread's own.
 *
 * Bounded: a body longer than @max_bytes fails with TB_ERROR_FAILED
 * without being read further; requests time out after
 * TB_HTTP_FETCH_TIMEOUT_S without progress. Redirects are followed for a
 * GET without credentials only (credentials stay with the URL the user
 * gave). Bodies come back NUL-terminated (the NUL not counted), so they
 * can be parsed as text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_HTTP_FETCH_TIMEOUT_S 60

typedef struct
{
  guint status;        /* HTTP status; 0: no answer */
  GBytes *body;        /* (owned) (nullable): NULL for 304 */
  char *etag;          /* (owned) (nullable) */
  char *last_modified; /* (owned) (nullable) */
} TbHttpResponse;

void tb_http_response_clear (TbHttpResponse *response);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbHttpResponse, tb_http_response_clear)

/* GET @url with If-None-Match @etag and If-Modified-Since @last_modified
 * (both nullable). FALSE with an error on a transport failure or an
 * answer that is neither 2xx nor 304 (the message names the status);
 * else @out is filled in (status 304: no body). */
gboolean tb_http_get (const char *url, const char *etag,
                      const char *last_modified, gsize max_bytes,
                      TbHttpResponse *out, GCancellable *cancellable,
                      GError **error);

/* @method (REPORT, PROPFIND) @url with the XML @body, "Depth: @depth"
 * (NULL: none) and HTTP Basic @username/@password (nullable). Any answer
 * fills @out (the caller judges the status); FALSE only on a transport
 * failure or a body too long. */
gboolean tb_http_dav (const char *method, const char *url, const char *depth,
                      const char *body, const char *username,
                      const char *password, gsize max_bytes,
                      TbHttpResponse *out, GCancellable *cancellable,
                      GError **error);

G_END_DECLS
