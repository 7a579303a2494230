/* tb-notifier.h — desktop notifications through libnotify, and knowing
 * whether a notification server is there to show them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-reminder.h"

G_BEGIN_DECLS

typedef struct _TbNotifier TbNotifier;

/* What a notification is about, so an action can be routed back. */
typedef enum
{
  TB_NOTICE_CONTACT,
  TB_NOTICE_FOLLOW_UP,
  TB_NOTICE_DIGEST,
  TB_NOTICE_INTRO,
  TB_NOTICE_BIRTHDAY,
  TB_NOTICE_REVIEW,
} TbNoticeKind;

/* @action: "default", "done", "messaged", "snooze", "introduce", "not-now",
 * "track-1mo", "track-3mo", "later". Called once per notification: the
 * notifier closes it first and ignores any later action on it. */
typedef void (*TbNotifierActionFunc) (TbNoticeKind kind, gint64 id,
                                      gint64 other_id, const char *action,
                                      gpointer user_data);
/* The notification server appeared (or went away). */
typedef void (*TbNotifierServerFunc) (gboolean available, gpointer user_data);

TbNotifier *tb_notifier_new (TbNotifierActionFunc on_action,
                             TbNotifierServerFunc on_server,
                             gpointer user_data);
void tb_notifier_free (TbNotifier *notifier);

gboolean tb_notifier_is_available (TbNotifier *notifier);

/* Asks the server what it can do; fills @style's markup and actions. */
void tb_notifier_query_style (TbNotifier *notifier, TbReminderStyle *style);

/* An action offered on a notification. The tables of actions are static:
 * @label is the untranslated text, marked N_("..."), and
 * tb_notifier_show() translates it; @key is what the action callback
 * gets back, never translated. */
typedef struct
{
  const char *key;
  const char *label;
} TbNoticeAction;

/* Shows a notification; returns FALSE (and nothing is marked shown) when
 * no server took it. @actions ends with a { NULL, NULL } entry; pass NULL
 * when the server lacks the "actions" capability (see query_style). */
gboolean tb_notifier_show (TbNotifier *notifier, const TbReminderText *text,
                           TbNoticeKind kind, gint64 id, gint64 other_id,
                           const TbNoticeAction *actions, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbNotifier, tb_notifier_free)

G_END_DECLS
