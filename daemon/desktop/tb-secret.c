/* tb-secret.c — the CalDAV password in the Secret Service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-secret"

#include "config.h"

#include "tb-error.h"
#include "tb-secret.h"

const SecretSchema *
tb_secret_get_caldav_schema (void)
{
  static const SecretSchema schema = {
    TB_SECRET_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
        { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };

  return &schema;
}

static void
lookup_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  g_autoptr (GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (secret == NULL)
    {
      g_task_return_new_error (task, TB_ERROR, TB_ERROR_NOT_FOUND,
                               "No CalDAV password for %s in the Secret "
                               "Service (schema %s)",
                               (const char *) g_task_get_task_data (task),
                               TB_SECRET_SCHEMA_NAME);
      return;
    }
  /* Hand out plain g_free()-able memory; wipe libsecret's copy. */
  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
tb_secret_lookup_caldav_password (const char *url, const char *username,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  GTask *task;

  g_return_if_fail (url != NULL);
  g_return_if_fail (username != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_secret_lookup_caldav_password);
  g_task_set_task_data (task, g_strdup (url), g_free);
  secret_password_lookup (tb_secret_get_caldav_schema (), cancellable,
                          lookup_done, task, "url", url, "username", username,
                          NULL);
}

char *
tb_secret_lookup_caldav_password_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
tb_secret_lookup_caldav_password_sync (const char *url, const char *username,
                                       GCancellable *cancellable,
                                       GError **error)
{
  char *secret;
  char *copy;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  secret = secret_password_lookup_sync (tb_secret_get_caldav_schema (),
                                        cancellable, error, "url", url,
                                        "username", username, NULL);
  if (secret == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, TB_ERROR, TB_ERROR_NOT_FOUND,
                     "No CalDAV password for %s in the Secret Service "
                     "(schema %s)",
                     url, TB_SECRET_SCHEMA_NAME);
      return NULL;
    }
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}
