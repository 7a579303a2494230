/* tb-actions.c — what the buttons on notifications do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-actions"

#include "config.h"

#include "tb-actions.h"
#include "tb-time.h"
#include "tb-uri.h"

static void
on_launched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = user_data;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("Cannot open %s: %s", uri, error->message);
}

static void
launch (const char *uri)
{
  g_info ("Opening %s", uri);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, on_launched,
                                           g_strdup (uri));
}

/* Contact data is untrusted: only https, http, mailto and tel links. */
static void
open_link (const char *uri)
{
  if (uri == NULL)
    {
      g_message ("This contact has no link to open");
      return;
    }
  if (!tb_uri_is_allowed (uri))
    {
      g_message ("Not opening “%s”: only https, http, mailto and tel links "
                 "are opened",
                 uri);
      return;
    }
  launch (uri);
}

static void open_report (TbEngine *engine, GError **error);

/* The click: the profile link, else mailto:, else tel:, checked by
 * tb_uri_is_allowed; with none of them the report, so that a click never
 * does nothing. */
static void
open_contact_link (TbEngine *engine, gint64 id, GError **error)
{
  g_autoptr (TbContact) c = tb_engine_get_contact (engine, id, error);
  g_autofree char *uri = NULL;

  if (c == NULL)
    return;
  if (c->url != NULL && !tb_uri_is_allowed (c->url))
    g_message ("Not opening “%s”: only https, http, mailto and tel links "
               "are opened",
               c->url);
  uri = tb_uri_for_contact (c->url, c->email, c->phone);
  if (uri != NULL)
    launch (uri);
  else
    open_report (engine, error);
}

static void
contact_action (TbEngine *engine, gint64 id, const char *action, GError **error)
{
  const TbConfig *config = tb_engine_get_config (engine);

  if (g_str_equal (action, "done"))
    tb_engine_log_interaction (
        engine, id, tb_interaction_kind_to_string (config->done_kind),
        tb_engine_now (engine), "From a reminder", error);
  else if (g_str_equal (action, "messaged"))
    tb_engine_log_interaction (engine, id, "message", tb_engine_now (engine),
                               "From a reminder", error);
  else if (g_str_equal (action, "snooze"))
    tb_engine_snooze (engine, id, TB_ENGINE_SNOOZE_DEFAULT, error);
  else if (g_str_equal (action, "default"))
    open_contact_link (engine, id, error);
}

static void
follow_up_action (TbEngine *engine, gint64 id, const char *action,
                  GError **error)
{
  if (g_str_equal (action, "done"))
    tb_engine_complete_follow_up (engine, id, error);
  else if (g_str_equal (action, "snooze"))
    tb_engine_snooze_follow_up (engine, id, TB_ENGINE_SNOOZE_DEFAULT, error);
  else if (g_str_equal (action, "default"))
    {
      g_autoptr (TbFollowUp) f = tb_engine_get_follow_up (engine, id, error);

      if (f != NULL)
        open_contact_link (engine, f->contact_id, error);
    }
}

static void
birthday_action (TbEngine *engine, gint64 id, const char *action,
                 GError **error)
{
  if (g_str_equal (action, "done"))
    tb_engine_log_interaction (engine, id, "message", tb_engine_now (engine),
                               "Birthday wishes", error);
  else
    contact_action (engine, id, action, error);
}

/* The digest's click-through: the whole picture, written fresh. The
 * daemon wrote that file itself a moment ago, so file: is safe here,
 * unlike a contact's link. */
static void
open_report (TbEngine *engine, GError **error)
{
  g_autofree char *path = tb_engine_write_report_file (engine, error);
  g_autofree char *uri = NULL;

  if (path == NULL)
    return;
  uri = g_filename_to_uri (path, NULL, error);
  if (uri != NULL)
    launch (uri);
}

/* "introduce" records it as `touchbase introduce` does and opens the
 * introduction in the mail program, addressed to whoever of the two has
 * an address: the notification has nowhere else to put the text. */
static void
intro_action (TbEngine *engine, gint64 a, gint64 b, const char *action,
              GError **error)
{
  if (g_str_equal (action, "introduce"))
    {
      g_autoptr (TbContact) ca = NULL;
      g_autoptr (TbContact) cb = NULL;
      g_autofree char *text = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *uri = NULL;

      text = tb_engine_introduce (engine, a, b, NULL, FALSE, &ca, &cb, error);
      if (text == NULL)
        return;
      subject = tb_intros_compose_subject (ca, cb);
      uri = tb_intros_mailto_uri (ca, cb, subject, text);
      open_link (uri);
    }
  else if (g_str_equal (action, "not-now"))
    tb_engine_hold_intro (engine, a, b, error);
}

/* A review notification: keep in touch at the interval of the button,
 * or "not now", which is the review's "later". */
static void
review_action (TbEngine *engine, gint64 id, const char *action, GError **error)
{
  if (g_str_equal (action, "track-1mo"))
    tb_engine_set_tracking (engine, id, "tracked", 30 * TB_DAY, error);
  else if (g_str_equal (action, "track-3mo"))
    tb_engine_set_tracking (engine, id, "tracked", 90 * TB_DAY, error);
  else if (g_str_equal (action, "later"))
    tb_engine_review_later (engine, id, 0, error);
  else if (g_str_equal (action, "default"))
    open_contact_link (engine, id, error);
}

void
tb_actions_handle (TbEngine *engine, TbNoticeKind kind, gint64 id,
                   gint64 other_id, const char *action)
{
  g_autoptr (GError) error = NULL;

  g_info ("Action “%s” on a reminder", action);
  switch (kind)
    {
      case TB_NOTICE_CONTACT:
        contact_action (engine, id, action, &error);
        break;
      case TB_NOTICE_FOLLOW_UP:
        follow_up_action (engine, id, action, &error);
        break;
      case TB_NOTICE_BIRTHDAY:
        birthday_action (engine, id, action, &error);
        break;
      case TB_NOTICE_DIGEST:
        if (g_str_equal (action, "default"))
          open_report (engine, &error);
        break;
      case TB_NOTICE_INTRO:
        intro_action (engine, id, other_id, action, &error);
        break;
      case TB_NOTICE_REVIEW:
        review_action (engine, id, action, &error);
        break;
      default:
        break;
    }
  if (error != NULL)
    g_warning ("Action “%s” failed: %s", action, error->message);
}

gboolean
tb_actions_open_contact (TbEngine *engine, gint64 id, GError **error)
{
  GError *local_error = NULL;

  open_contact_link (engine, id, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, local_error);
  return FALSE;
}

gboolean
tb_actions_open_report (TbEngine *engine, GError **error)
{
  GError *local_error = NULL;

  open_report (engine, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, local_error);
  return FALSE;
}
