/* tb-cmd-log.c — log, snooze, pause, resume, track, untrack, ignore and
 * due: the reminder loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-log"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tb-cmd.h"
#include "tb-output.h"
#include "tb-pager.h"
#include "tb-time.h"
#include "tb-vardict-json.h"

/* What log records when no --kind is given: the client can't know how
 * you touched base, and only a stated call, video, meeting or coffee
 * should count as a conversation. */
#define TB_DEFAULT_KIND "other"

/* Snooze's "until" when no length is given: the daemon uses its
 * configured snooze length ([reminders] snooze, default 1w). */
#define TB_SNOOZE_CONFIGURED ((gint64) -1)

/* How far ahead due looks by default. */
#define TB_DUE_DEFAULT_WITHIN TB_WEEK

static const char *const kinds[] = {
  "call", "video", "meeting", "coffee", "email", "message", "intro", "other",
};

/* "Logged a call with NAME; next touch base DATE" for @kind: whole
 * sentences, so that a translation can inflect the noun and order the
 * words as it needs. @next is "; next touch base DATE" or "". */
static char *
logged_text (const char *kind, const char *name, const char *next)
{
  if (g_str_equal (kind, "call"))
    return g_strdup_printf (_ ("Logged a call with %s%s"), name, next);
  if (g_str_equal (kind, "video"))
    return g_strdup_printf (_ ("Logged a video call with %s%s"), name, next);
  if (g_str_equal (kind, "meeting"))
    return g_strdup_printf (_ ("Logged a meeting with %s%s"), name, next);
  if (g_str_equal (kind, "coffee"))
    return g_strdup_printf (_ ("Logged a coffee with %s%s"), name, next);
  if (g_str_equal (kind, "email"))
    return g_strdup_printf (_ ("Logged an email with %s%s"), name, next);
  if (g_str_equal (kind, "message"))
    return g_strdup_printf (_ ("Logged a message with %s%s"), name, next);
  if (g_str_equal (kind, "intro"))
    return g_strdup_printf (_ ("Logged an introduction with %s%s"), name, next);
  return g_strdup_printf (_ ("Logged an interaction with %s%s"), name, next);
}

/* "; next touch base 2026-12-12" or "" (paused contacts have none). */
static char *
next_touch_base (GVariant *contact)
{
  gint64 due_at = tb_dict_get_int64 (contact, "due_at");
  g_autofree char *date = NULL;

  if (due_at <= 0 || tb_dict_get_boolean (contact, "paused"))
    return g_strdup ("");
  date = tb_time_format_date (due_at, tb_cmd_local_tz ());
  return g_strdup_printf (_ ("; next touch base %s"), date);
}

int
tb_cmd_log (int argc, char **argv)
{
  g_autofree char *kind = NULL;
  g_autofree char *at_text = NULL;
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind,
      /* Translators: the kinds are keywords: keep them in English. */
      N_ ("call, video, meeting, coffee, email, message, intro or other "
          "(default: other)"),
      N_ ("K") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_ ("When it happened (default: now)"), N_ ("DATE") },
    { "note", 'n', 0, G_OPTION_ARG_STRING, &note, N_ ("What you talked about"),
      N_ ("TEXT") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  g_autofree char *next = NULL;
  TbDaemon1 *proxy;
  gint64 id;
  gint64 at = 0;
  gint64 interaction_id;
  gboolean known = FALSE;

  context = tb_cmd_context_new (
      N_ ("CONTACT"),
      N_ ("Record an interaction; the contact's clock starts again."),
      N_ ("Calls, video calls, meetings and coffees count as conversations; "
          "without --kind the interaction is recorded as “other”.\n"
          "Dates: YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday, -3d."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;

  if (kind == NULL)
    kind = g_strdup (TB_DEFAULT_KIND);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    known = known || g_ascii_strcasecmp (kind, kinds[i]) == 0;
  if (!known)
    return tb_cmd_fail (
        /* Translators: the kinds are keywords: keep them in English. */
        _ ("--kind: unknown kind “%s” (call, video, meeting, coffee, email, "
           "message, intro or other)"),
        kind);
  {
    char *lower = g_ascii_strdown (kind, -1);

    g_free (kind);
    kind = lower;
  }

  if (at_text != NULL && !tb_cmd_parse_date ("--at", at_text, &at, &error))
    return tb_cmd_error (error);

  proxy = tb_cmd_resolve_one (argv[1], &id, &error);
  if (proxy == NULL
      || !tb_daemon1_call_log_interaction_sync (proxy, id, kind, at,
                                                note != NULL ? note : "",
                                                &interaction_id, NULL, &error))
    return tb_cmd_error (error);

  contact = tb_cmd_get_contact (proxy, id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  next = next_touch_base (contact);
  {
    g_autofree char *name = tb_dict_dup_clean (contact, "name");
    g_autofree char *logged = logged_text (kind, name, next);

    printf ("%s\n", logged);
  }
  return TB_EXIT_OK;
}

int
tb_cmd_snooze (int argc, char **argv)
{
  g_autofree char *until_text = NULL;
  gboolean cancel = FALSE;
  const GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text,
      N_ ("No reminder before this date"), N_ ("DATE") },
    { "cancel", 0, 0, G_OPTION_ARG_NONE, &cancel, N_ ("End a snooze"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  TbDaemon1 *proxy;
  gint64 id;
  gint64 until = TB_SNOOZE_CONFIGURED;
  gint64 snoozed_until;
  gboolean was_snoozed;
  g_autofree char *name = NULL;

  context = tb_cmd_context_new (
      N_ ("CONTACT [DUR]"),
      N_ ("Hide a contact's reminders for DUR, or until --until DATE."),
      N_ ("Without DUR or --until the configured snooze length is used "
          "([reminders] snooze, 1w unless changed).\n"
          "Snoozing records no interaction and keeps the interval."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 2, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;
  if ((argc == 3) + (until_text != NULL) + cancel > 1)
    return tb_cmd_usage_error (
        "%s", _ ("give only one of DUR, --until and --cancel"));

  if (argc == 3)
    {
      gint64 seconds;

      if (!tb_cmd_parse_duration (NULL, argv[2], &seconds, &error))
        return tb_cmd_error (error);
      until = tb_cmd_now () + seconds;
    }
  else if (until_text != NULL)
    {
      if (!tb_cmd_parse_date ("--until", until_text, &until, &error))
        return tb_cmd_error (error);
      if (until <= tb_cmd_now ())
        return tb_cmd_fail (_ ("--until: “%s” is in the past"), until_text);
    }
  else if (cancel)
    until = 0;

  /* Read before: afterwards, what --cancel did cannot be told from
   * what there was to do. */
  proxy = tb_cmd_resolve_one (argv[1], &id, &error);
  if (proxy == NULL
      || (contact = tb_cmd_get_contact (proxy, id, &error)) == NULL)
    return tb_cmd_error (error);
  was_snoozed = tb_dict_get_int64 (contact, "snoozed_until") > tb_cmd_now ();
  g_clear_pointer (&contact, g_variant_unref);
  if (!tb_daemon1_call_snooze_sync (proxy, id, until, NULL, &error))
    return tb_cmd_error (error);

  contact = tb_cmd_get_contact (proxy, id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  snoozed_until = tb_dict_get_int64 (contact, "snoozed_until");
  name = tb_dict_dup_clean (contact, "name");
  if (cancel || snoozed_until <= 0)
    {
      g_autofree char *next = next_touch_base (contact);

      if (was_snoozed)
        /* Translators: "Ana Silva's snooze ended; next touch base
         * 2026-12-12"; the second %s is that or "". */
        printf (_ ("%s's snooze ended%s\n"), name, next);
      else
        /* Translators: the second %s is "; next touch base DATE" or "". */
        printf (_ ("%s was not snoozed%s\n"), name, next);
    }
  else
    {
      g_autofree char *when
          = tb_time_format_datetime (snoozed_until, tb_cmd_local_tz ());

      printf (_ ("Snoozed %s until %s\n"), name, when);
    }
  return TB_EXIT_OK;
}

static int
set_paused (int argc, char **argv, gboolean paused)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  TbDaemon1 *proxy;
  gint64 id;
  gboolean was_paused;
  g_autofree char *name = NULL;

  context = tb_cmd_context_new (
      N_ ("CONTACT"),
      paused ? N_ ("Stop reminders for a contact until “touchbase resume”.")
             : N_ ("Start reminders for a paused contact again."),
      NULL, NULL);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;

  proxy = tb_cmd_resolve_one (argv[1], &id, &error);
  if (proxy == NULL
      || (contact = tb_cmd_get_contact (proxy, id, &error)) == NULL)
    return tb_cmd_error (error);
  was_paused = tb_dict_get_boolean (contact, "paused");
  g_clear_pointer (&contact, g_variant_unref);
  if (!tb_daemon1_call_set_paused_sync (proxy, id, paused, NULL, &error))
    return tb_cmd_error (error);

  contact = tb_cmd_get_contact (proxy, id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  name = tb_dict_dup_clean (contact, "name");
  if (paused && was_paused)
    printf (_ ("Reminders for %s were paused already\n"), name);
  else if (paused)
    printf (_ ("Paused reminders for %s\n"), name);
  else if (!was_paused)
    {
      g_autofree char *next = next_touch_base (contact);

      /* Translators: the second %s is "; next touch base DATE" or "". */
      printf (_ ("%s was not paused%s\n"), name, next);
    }
  else
    {
      g_autofree char *next = next_touch_base (contact);

      /* Translators: the second %s is "; next touch base DATE" or "". */
      printf (_ ("Resumed reminders for %s%s\n"), name, next);
    }
  return TB_EXIT_OK;
}

int
tb_cmd_pause (int argc, char **argv)
{
  return set_paused (argc, argv, TRUE);
}

int
tb_cmd_resume (int argc, char **argv)
{
  return set_paused (argc, argv, FALSE);
}

int
tb_cmd_track (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  g_autofree char *every = NULL;
  g_autofree char *next = NULL;
  g_autofree char *name = NULL;
  gint64 interval = 0;
  TbDaemon1 *proxy;
  gint64 id;
  const GOptionEntry entries[]
      = { { "every", 'e', 0, G_OPTION_ARG_STRING, &every,
            N_ ("Touch base this often (e.g. 2w, 3mo); default: as configured"),
            N_ ("DURATION") },
          G_OPTION_ENTRY_NULL };

  context = tb_cmd_context_new (
      N_ ("CONTACT"), N_ ("Keep in touch with a contact: reminders start."),
      N_ ("A contact you track comes due within its interval from now, "
          "gets reminders and appears in your calendar. Imported "
          "connections arrive not tracked; see “touchbase review”."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;
  if (every != NULL
      && !tb_cmd_parse_duration ("--every", every, &interval, &error))
    return tb_cmd_error (error);

  proxy = tb_cmd_resolve_one (argv[1], &id, &error);
  if (proxy == NULL
      || !tb_daemon1_call_set_tracking_sync (proxy, id, "tracked", interval,
                                             NULL, &error))
    return tb_cmd_error (error);
  contact = tb_cmd_get_contact (proxy, id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  next = next_touch_base (contact);
  name = tb_output_clean (tb_dict_get_string (contact, "name"));
  /* Translators: the second %s is "; next touch base DATE" or "". */
  printf (_ ("Keeping in touch with %s%s\n"), name, next);
  return TB_EXIT_OK;
}

/* untrack and ignore: no options, one contact, one sentence. */
static int
stop_tracking (int argc, char **argv, gboolean ignore)
{
  const char *tracking = ignore ? "ignored" : "not-tracked";
  const char *summary
      = ignore ? N_ ("Take a contact out of “touchbase review” for good (it "
                     "stays in “touchbase list --all” and in the figures).")
               : N_ ("Stop keeping in touch with a contact: no reminders, no "
                     "calendar events; it goes back to “touchbase review”.");
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contact = NULL;
  g_autofree char *name = NULL;
  TbDaemon1 *proxy;
  gint64 id;

  context = tb_cmd_context_new (N_ ("CONTACT"), summary, NULL, NULL);
  if (!tb_cmd_parse_args (context, &argc, &argv, 1, 1, _ ("missing CONTACT")))
    return TB_EXIT_USAGE;
  proxy = tb_cmd_resolve_one (argv[1], &id, &error);
  if (proxy == NULL
      || !tb_daemon1_call_set_tracking_sync (proxy, id, tracking, 0, NULL,
                                             &error))
    return tb_cmd_error (error);
  contact = tb_cmd_get_contact (proxy, id, &error);
  if (contact == NULL)
    return tb_cmd_error (error);
  name = tb_output_clean (tb_dict_get_string (contact, "name"));
  if (ignore)
    printf (_ ("Ignoring %s: out of the review queue for good\n"), name);
  else
    printf (_ ("No longer keeping in touch with %s\n"), name);
  return TB_EXIT_OK;
}

int
tb_cmd_untrack (int argc, char **argv)
{
  return stop_tracking (argc, argv, FALSE);
}

int
tb_cmd_ignore (int argc, char **argv)
{
  return stop_tracking (argc, argv, TRUE);
}

/* The overdue ones, or those coming due, among the first @n of
 * @contacts. */
static void
print_due_contacts (GVariant *contacts, gsize n, gboolean overdue, gint64 now,
                    const char *title)
{
  g_autoptr (TbTable) table
      = tb_table_new (C_ ("column", "ID"), C_ ("column", "NAME"),
                      C_ ("column", "DUE"), C_ ("column", "LAST TALKED"), NULL);

  /* Untranslated: scripts match it (docs/design.md §5). */
  tb_table_set_kind (table, "contact");
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) c = g_variant_get_child_value (contacts, i);
      gint64 due_at = tb_dict_get_int64 (c, "due_at");
      gint64 talked = tb_dict_get_int64 (c, "last_conversation_at");
      g_autofree char *id = NULL;
      g_autofree char *due = NULL;
      g_autofree char *last = NULL;

      if ((due_at <= now) != overdue)
        continue;
      id = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (c, "id"));
      due = tb_cmd_format_when (due_at);
      last = talked > 0
                 ? tb_time_format_relative (talked, now, tb_cmd_local_tz ())
                 : g_strdup (_ ("never"));
      tb_table_add_row (table, overdue ? TB_STYLE_RED : TB_STYLE_NONE, id,
                        tb_dict_get_string (c, "name"), due, last, NULL);
    }
  if (tb_table_get_n_rows (table) == 0)
    return;
  if (tb_output_is_tty ())
    printf ("%s%s%s\n", tb_output_style (TB_STYLE_BOLD), title,
            tb_output_reset ());
  tb_table_print (table);
  if (tb_output_is_tty ())
    printf ("\n");
}

/* The first @n of @follow_ups. */
static void
print_due_follow_ups (GVariant *follow_ups, gsize n, gint64 now)
{
  g_autoptr (TbTable) table = NULL;

  if (n == 0)
    return;
  table = tb_table_new (C_ ("column", "FOLLOW-UP"), C_ ("column", "NAME"),
                        C_ ("column", "WHEN"), C_ ("column", "TEXT"), NULL);
  tb_table_set_kind (table, "follow-up");
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) f = g_variant_get_child_value (follow_ups, i);
      gint64 due_at = tb_dict_get_int64 (f, "due_at");
      g_autofree char *id
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (f, "id"));
      g_autofree char *when = tb_cmd_format_when_time (due_at);

      tb_table_add_row (table, due_at <= now ? TB_STYLE_RED : TB_STYLE_NONE, id,
                        tb_dict_get_string (f, "name"), when,
                        tb_dict_get_string (f, "text"), NULL);
    }
  if (tb_output_is_tty ())
    printf ("%s%s%s\n", tb_output_style (TB_STYLE_BOLD), _ ("Follow-ups"),
            tb_output_reset ());
  tb_table_print (table);
}

/* Adds "kind": @kind to every object of the array @list, as the first
 * column of due's lines does in a pipe. (transfer full) */
static JsonNode *
with_kind (JsonNode *list, const char *kind)
{
  JsonArray *array = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (array); i++)
    json_object_set_string_member (json_array_get_object_element (array, i),
                                   "kind", kind);
  return list;
}

int
tb_cmd_due (int argc, char **argv)
{
  g_autofree char *within_text = NULL;
  g_autofree char *limit_text = NULL;
  gboolean json = FALSE;
  gboolean no_pager = FALSE;
  const GOptionEntry entries[] = {
    { "within", 'w', 0, G_OPTION_ARG_STRING, &within_text,
      N_ ("Also show who comes due within DUR (default: 1w; 0: only "
          "overdue)"),
      N_ ("DUR") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_ ("Show at most N contacts and N follow-ups (0: all, the default)"),
      N_ ("N") },
    { "no-pager", 0, 0, G_OPTION_ARG_NONE, &no_pager,
      N_ ("Do not send the tables through a pager"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contacts = NULL;
  g_autoptr (GVariant) follow_ups = NULL;
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  TbDaemon1 *proxy;
  gint64 within = TB_DUE_DEFAULT_WITHIN;
  gint64 now;
  guint limit = 0;
  gsize n_contacts, n_follow_ups;

  context = tb_cmd_context_new (
      NULL, N_ ("Who is overdue now, and who comes due soon."),
      N_ ("Overdue contacts first (most overdue at the top), then those "
          "coming due, then open follow-ups. On a terminal: tables, through "
          "$PAGER (else “less -FRX”). In a pipe: one tab-separated line per "
          "row, whose first column says what it is: “contact” (id, name, "
          "due, last talked) or “follow-up” (id, name, when, text).\n"
          "JSON: {\"contacts\": [...], \"follow_ups\": [...]}, each "
          "object with its \"kind\"."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  if (limit_text != NULL
      && !tb_cmd_parse_limit ("--limit", limit_text, &limit, &error))
    return tb_cmd_error (error);

  if (within_text != NULL)
    {
      if (g_str_equal (within_text, "0"))
        within = 0;
      else if (!tb_cmd_parse_duration ("--within", within_text, &within,
                                       &error))
        return tb_cmd_error (error);
    }

  if (limit > 0)
    g_variant_dict_insert (&options, "limit", "u",
                           json ? limit : tb_cmd_limit_to_ask (limit));
  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL
      || !tb_daemon1_call_get_due_sync (proxy, within,
                                        g_variant_dict_end (&options),
                                        &contacts, &follow_ups, NULL, &error))
    return tb_cmd_error (error);

  if (json)
    {
      g_autoptr (JsonObject) object = json_object_new ();
      g_autoptr (JsonNode) root = NULL;

      json_object_set_member (
          object, "contacts",
          with_kind (
              tb_vardict_list_to_json (contacts, tb_vardict_contact_to_json),
              "contact"));
      json_object_set_member (
          object, "follow_ups",
          with_kind (tb_vardict_list_to_json (follow_ups, NULL), "follow-up"));
      root = json_node_init_object (json_node_alloc (), object);
      tb_output_print_json (root);
      return TB_EXIT_OK;
    }

  if (g_variant_n_children (contacts) == 0
      && g_variant_n_children (follow_ups) == 0)
    {
      if (tb_output_is_tty ())
        printf ("%s\n", _ ("Nobody is due. You're all caught up."));
      return TB_EXIT_OK;
    }

  now = tb_cmd_now ();
  n_contacts = g_variant_n_children (contacts);
  n_follow_ups = g_variant_n_children (follow_ups);
  if (!no_pager)
    tb_pager_start ();
  print_due_contacts (contacts,
                      limit > 0 ? MIN (n_contacts, limit) : n_contacts, TRUE,
                      now, _ ("Overdue"));
  print_due_contacts (contacts,
                      limit > 0 ? MIN (n_contacts, limit) : n_contacts, FALSE,
                      now, _ ("Coming up"));
  if (limit > 0 && n_contacts > limit)
    {
      tb_cmd_print_more ();
      if (n_follow_ups > 0 && tb_output_is_tty ())
        printf ("\n");
    }
  print_due_follow_ups (
      follow_ups, limit > 0 ? MIN (n_follow_ups, limit) : n_follow_ups, now);
  if (limit > 0 && n_follow_ups > limit)
    tb_cmd_print_more ();
  return TB_EXIT_OK;
}
