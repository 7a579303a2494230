/* tb-service-intros.c — the io.github.touchbase.Daemon1 methods of
 * introductions and depth: SuggestIntros, Introduce, DeclineIntro,
 * GetStats and WriteReport.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-service"

#include "config.h"

#include <glib/gi18n.h>

#include <gio/gunixfdlist.h>
#include <gio/gunixoutputstream.h>

#include "tb-error.h"
#include "tb-service-private.h"

static gboolean
handle_suggest_intros (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                       guint limit, gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GPtrArray) suggestions = NULL;
  GVariantBuilder b;
  GError *error = NULL;

  suggestions = tb_engine_suggest_intros (service->engine, limit, &error);
  if (suggestions == NULL)
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < suggestions->len; i++)
    {
      TbIntroSuggestion *s = g_ptr_array_index (suggestions, i);
      GVariantBuilder d;

      g_variant_builder_init (&d, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&d, "{sv}", "a_id", g_variant_new_int64 (s->a_id));
      g_variant_builder_add (&d, "{sv}", "a_name",
                             g_variant_new_string (s->a_name));
      g_variant_builder_add (&d, "{sv}", "b_id", g_variant_new_int64 (s->b_id));
      g_variant_builder_add (&d, "{sv}", "b_name",
                             g_variant_new_string (s->b_name));
      g_variant_builder_add (&d, "{sv}", "reason",
                             g_variant_new_string (s->reason));
      g_variant_builder_add (&d, "{sv}", "score",
                             g_variant_new_double (s->score));
      g_variant_builder_add_value (&b, g_variant_builder_end (&d));
    }
  tb_daemon1_complete_suggest_intros (skeleton, invocation,
                                      g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_introduce (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                  gint64 a, gint64 b, const char *note, GVariant *options,
                  gpointer user_data)
{
  static const TbServiceOption known[] = { { "again", "b" } };
  TbService *service = user_data;
  g_autofree char *text = NULL;
  GError *error = NULL;
  gboolean again = FALSE;

  if (!tb_service_check_options (options, known, G_N_ELEMENTS (known), &error))
    return tb_service_fail (invocation, error);
  g_variant_lookup (options, "again", "b", &again);
  text = tb_engine_introduce (service->engine, a, b, note, again, NULL, NULL,
                              &error);
  if (text == NULL)
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_introduce (skeleton, invocation, text);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_decline_intro (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                      gint64 a, gint64 b, gpointer user_data)
{
  TbService *service = user_data;
  GError *error = NULL;

  if (!tb_engine_decline_intro (service->engine, a, b, &error))
    return tb_service_fail (invocation, error);
  tb_daemon1_complete_decline_intro (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
add_counts (GVariantBuilder *b, const TbStatsCounts *c)
{
  const struct
  {
    const char *key;
    gint64 value;
  } fields[] = {
    { "contacts", c->contacts },
    { "talked", c->talked },
    { "never_talked", c->never_talked },
    { "never_talked_linkedin", c->never_talked_linkedin },
    { "overdue", c->overdue },
    { "on_track", c->on_track },
    { "tracked", c->tracked },
    { "not_tracked", c->not_tracked },
    { "ignored", c->ignored },
    { "conversations_30d", c->conversations_30d },
    { "conversations_90d", c->conversations_90d },
    { "introductions", c->introductions },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_variant_builder_add (b, "{sv}", fields[i].key,
                           g_variant_new_int64 (fields[i].value));
}

static gboolean
handle_get_stats (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                  gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (TbStats) stats = NULL;
  GVariantBuilder b;
  GVariantBuilder tags;
  GError *error = NULL;

  stats = tb_engine_get_stats (service->engine, &error);
  if (stats == NULL)
    return tb_service_fail (invocation, error);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_counts (&b, &stats->total);
  g_variant_builder_init (&tags, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < stats->tags->len; i++)
    {
      TbTagStats *ts = g_ptr_array_index (stats->tags, i);
      GVariantBuilder t;

      g_variant_builder_init (&t, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&t, "{sv}", "tag", g_variant_new_string (ts->tag));
      add_counts (&t, &ts->counts);
      g_variant_builder_add_value (&tags, g_variant_builder_end (&t));
    }
  g_variant_builder_add (&b, "{sv}", "tags", g_variant_builder_end (&tags));
  g_variant_builder_init (&tags, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < stats->sources->len; i++)
    {
      TbSourceStats *ss = g_ptr_array_index (stats->sources, i);

      g_variant_builder_add_parsed (
          &tags,
          "{'source': <%s>, 'interactions': <%x>, 'conversations': <%x>, "
          "'contacts': <%x>}",
          ss->source, ss->interactions, ss->conversations, ss->contacts);
    }
  g_variant_builder_add (&b, "{sv}", "sources", g_variant_builder_end (&tags));
  tb_daemon1_complete_get_stats (skeleton, invocation,
                                 g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_write_report (TbDaemon1 *skeleton, GDBusMethodInvocation *invocation,
                     GUnixFDList *fd_list, GVariant *fd_handle,
                     gpointer user_data)
{
  TbService *service = user_data;
  g_autoptr (GOutputStream) out = NULL;
  g_autofree char *html = NULL;
  GError *error = NULL;
  int fd;

  fd = tb_service_get_fd (fd_list, fd_handle, TB_SERVICE_FD_WRITE,
                          "WriteReport", &error);
  if (fd < 0)
    return tb_service_fail (invocation, error);
  out = g_unix_output_stream_new (fd, TRUE);

  html = tb_engine_render_report (service->engine, &error);
  if (html == NULL)
    return tb_service_fail (invocation, error);
  if (!g_output_stream_write_all (out, html, strlen (html), NULL, NULL, &error)
      || !g_output_stream_close (out, NULL, &error))
    {
      GError *wrapped
          = g_error_new (TB_ERROR, TB_ERROR_FAILED,
                         _ ("Cannot write the report: %s"), error->message);

      g_error_free (error);
      return tb_service_fail (invocation, wrapped);
    }
  tb_daemon1_complete_write_report (skeleton, invocation, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
tb_service_intros_connect (TbService *service)
{
  static const TbServiceHandler handlers[] = {
    { "handle-suggest-intros", G_CALLBACK (handle_suggest_intros) },
    { "handle-introduce", G_CALLBACK (handle_introduce) },
    { "handle-decline-intro", G_CALLBACK (handle_decline_intro) },
    { "handle-get-stats", G_CALLBACK (handle_get_stats) },
    { "handle-write-report", G_CALLBACK (handle_write_report) },
  };

  tb_service_connect (service, handlers, G_N_ELEMENTS (handlers));
}
