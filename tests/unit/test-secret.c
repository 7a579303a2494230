/* test-secret.c — the CalDAV password lookup without a Secret Service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-secret"

#include "config.h"

#include "tb-error.h"
#include "tb-secret.h"

typedef struct
{
  gboolean done;
  char *password;
  GError *error;
} Result;

static void
lookup_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Result *r = data;

  r->password = tb_secret_lookup_caldav_password_finish (result, &r->error);
  r->done = TRUE;
}

/* No Secret Service on the (private) bus: an error, not a hang or a crash,
 * so the daemon can say "no CalDAV password" and carry on. */
static void
test_secret_no_service (void)
{
  g_autoptr (GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  Result r = { 0 };
  gint64 deadline;

  g_test_dbus_up (bus);
  tb_secret_lookup_caldav_password ("https://dav.example/cal/", "ana", NULL,
                                    lookup_done, &r);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!r.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (r.done);
  g_assert_null (r.password);
  g_assert_nonnull (r.error);
  g_clear_error (&r.error);
  g_test_dbus_down (bus);
}

static void
test_secret_schema (void)
{
  const SecretSchema *schema = tb_secret_get_caldav_schema ();

  g_assert_cmpstr (schema->name, ==, "io.github.touchbase.CalDAV");
  g_assert_cmpstr (schema->attributes[0].name, ==, "url");
  g_assert_cmpstr (schema->attributes[1].name, ==, "username");
  g_assert_null (schema->attributes[2].name);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret/schema", test_secret_schema);
  g_test_add_func ("/secret/no-service", test_secret_no_service);

  return g_test_run ();
}
