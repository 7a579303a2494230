/* tb-cmd-log.c — log, snooze, pause, resume, track, untrack, ignore and
 * due: the reminder loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-log"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "tb-cmd.h"
#include "tb-error.h"
#include "tb-output.h"
#include "tb-pager.h"
#include "tb-rows.h"
#include "tb-stream.h"
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

/* `due` on a terminal, without --limit: at most this many contacts and
 * follow-ups, the first screens. A big network has tens of thousands
 * coming due within the week; a pipe gets them all. */
#define DUE_TERMINAL_LIMIT 100

/* The rows of WriteDueRows, printed as due's tables: overdue contacts,
 * those coming due, then follow-ups. */
typedef struct
{
  gint64 now;
  guint limit;         /* rows of each kind to show; 0: all */
  gboolean measuring;  /* the first of two passes, on a terminal */
  guint section;       /* 0 overdue, 1 coming up, 2 follow-ups */
  guint contacts_seen; /* of this pass */
  guint follow_ups_seen;
  TbTable *tables[3];
  guint shown[3];
  guint more_contacts; /* rows past the limit */
  guint more_follow_ups;
  gboolean any_follow_ups;
} DuePrinter;

static const char *
section_title (guint section)
{
  return section == 0   ? _ ("Overdue")
         : section == 1 ? _ ("Coming up")
                        : _ ("Follow-ups");
}

/* Prints what is left of the table of the current section, and the
 * blank line after a table of contacts on a terminal; the next section
 * starts. After the contacts, says when --limit left some out. */
static void
end_section (DuePrinter *p)
{
  guint section = p->section++;

  if (p->shown[section] > 0)
    {
      tb_table_flush (p->tables[section]);
      if (tb_output_is_tty () && section < 2)
        printf ("\n");
    }
  if (section == 1 && p->more_contacts > 0)
    {
      tb_cmd_print_more ();
      if (p->any_follow_ups && tb_output_is_tty ())
        printf ("\n");
    }
}

static gboolean
print_due_row (char *line, gpointer user_data, GError **error)
{
  DuePrinter *p = user_data;
  char *row[TB_DUE_ROW_N_FIELDS];
  gboolean follow_up;
  gint64 due_at;
  guint section;
  g_autofree char *when = NULL;
  g_autofree char *last = NULL;
  TbStyle style;
  TbTable *table;

  if (!tb_due_rows_split (line, row))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_FAILED,
                           _ ("touchbased sent a list this touchbase "
                              "cannot read: are both the same version?"));
      return FALSE;
    }
  follow_up = g_str_equal (row[TB_DUE_ROW_KIND], "follow-up");
  if ((follow_up ? p->follow_ups_seen++ : p->contacts_seen++) >= p->limit
      && p->limit > 0)
    {
      if (!p->measuring)
        (*(follow_up ? &p->more_follow_ups : &p->more_contacts))++;
      return TRUE;
    }
  due_at = g_ascii_strtoll (row[TB_DUE_ROW_DUE_AT], NULL, 10);
  section = follow_up ? 2 : due_at <= p->now ? 0 : 1;
  /* The rows come in section order: an earlier table is complete. */
  while (!p->measuring && p->section < section)
    end_section (p);
  table = p->tables[section];
  style = due_at <= p->now && section != 1 ? TB_STYLE_RED : TB_STYLE_NONE;
  if (follow_up)
    when = tb_cmd_format_when_time (due_at);
  else
    {
      gint64 talked
          = g_ascii_strtoll (row[TB_DUE_ROW_LAST_CONVERSATION_AT], NULL, 10);

      when = tb_cmd_format_when (due_at);
      last = talked > 0
                 ? tb_time_format_relative (talked, p->now, tb_cmd_local_tz ())
                 : g_strdup (_ ("never"));
    }
  if (p->measuring)
    {
      tb_table_measure_row (table, row[TB_DUE_ROW_ID], row[TB_DUE_ROW_NAME],
                            when, follow_up ? row[TB_DUE_ROW_TEXT] : last);
      return TRUE;
    }
  if (p->shown[section] == 0 && tb_output_is_tty ())
    printf ("%s%s%s\n", tb_output_style (TB_STYLE_BOLD),
            section_title (section), tb_output_reset ());
  tb_table_add_row (table, style, row[TB_DUE_ROW_ID], row[TB_DUE_ROW_NAME],
                    when, follow_up ? row[TB_DUE_ROW_TEXT] : last);
  if (++p->shown[section] % 1024 == 0)
    tb_table_flush (table);
  return TRUE;
}

/* A contact record as due's JSON. (transfer full) */
static JsonNode *
due_json (GVariant *record, const char *kind)
{
  JsonNode *node = g_str_equal (kind, "contact")
                       ? tb_vardict_contact_to_json (record)
                       : tb_vardict_to_json (record);

  json_object_set_string_member (json_node_get_object (node), "kind", kind);
  return node;
}

/* Records asked for at a time by --json: the memfd holds one page,
 * however much is due. */
#define DUE_JSON_PAGE 1000

typedef struct
{
  TbJsonArray array;
  const char *kind;
  guint n;       /* records of this page */
  gint64 due_at; /* of the last one */
  gint64 id;
} DueJson;

static gboolean
print_due_record (GVariant *record, gpointer user_data, GError **error)
{
  DueJson *j = user_data;

  j->n++;
  j->due_at = tb_dict_get_int64 (record, "due_at");
  j->id = tb_dict_get_int64 (record, "id");
  tb_json_array_add (&j->array, due_json (record, j->kind));
  return TRUE;
}

/* One list of due's JSON, "contacts" or "follow_ups", read a page at a
 * time through the memfd @fd (index 0 of @fds), at most @limit (0: all). */
static gboolean
print_due_json_list (TbDaemon1 *proxy, GUnixFDList *fds, int fd, gint64 within,
                     guint limit, gboolean follow_ups, GError **error)
{
  DueJson j = { .kind = follow_ups ? "follow-up" : "contact" };
  guint printed = 0;
  gboolean first = TRUE;

  tb_json_array_begin (&j.array, follow_ups ? "follow_ups" : "contacts", 2);
  for (;;)
    {
      g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
      guint want
          = limit > 0 ? MIN (DUE_JSON_PAGE, limit - printed) : DUE_JSON_PAGE;
      guint n_contacts, n_follow_ups;

      if (want == 0)
        break;
      g_variant_dict_insert (&options, "format", "s", "records");
      g_variant_dict_insert (&options, "limit", "u", want);
      g_variant_dict_insert (&options, "only", "s",
                             follow_ups ? "follow-ups" : "contacts");
      if (!first)
        g_variant_dict_insert (&options, "after", "(xx)", j.due_at, j.id);
      if (ftruncate (fd, 0) < 0 || lseek (fd, 0, SEEK_SET) < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "%s", g_strerror (saved_errno));
          return FALSE;
        }
      if (!tb_daemon1_call_write_due_rows_sync (
              proxy, g_variant_new_handle (0), within,
              g_variant_dict_end (&options), fds, &n_contacts, &n_follow_ups,
              NULL, NULL, error))
        return FALSE;
      j.n = 0;
      if (!tb_stream_foreach_record (fd, print_due_record, &j, error))
        return FALSE;
      printed += j.n;
      first = FALSE;
      if (j.n < want)
        break;
    }
  tb_json_array_end (&j.array);
  return TRUE;
}

/* due --json: both lists, a page at a time. */
static int
print_due_json (TbDaemon1 *proxy, gint64 within, guint limit)
{
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr (GError) error = NULL;
  int index;
  int fd = tb_stream_memfd (fds, &index, &error);
  gboolean ok;

  if (fd < 0)
    return tb_cmd_error (error);
  printf ("{\n");
  ok = print_due_json_list (proxy, fds, fd, within, limit, FALSE, &error);
  if (ok)
    {
      printf (",\n");
      ok = print_due_json_list (proxy, fds, fd, within, limit, TRUE, &error);
    }
  close (fd);
  if (!ok)
    {
      /* What was printed is not JSON: the error says so on stderr. */
      printf ("\n");
      return tb_cmd_error (error);
    }
  printf ("\n}\n");
  return TB_EXIT_OK;
}

/* WriteDueRows into a new memfd: its descriptor, or -1. */
static int
fetch_due (TbDaemon1 *proxy, gint64 within, guint limit, guint *out_contacts,
           guint *out_follow_ups, GError **error)
{
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_auto (GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  int index;
  int fd = tb_stream_memfd (fds, &index, error);

  if (fd < 0)
    return -1;
  if (limit > 0)
    g_variant_dict_insert (&options, "limit", "u", limit);
  if (!tb_daemon1_call_write_due_rows_sync (
          proxy, g_variant_new_handle (index), within,
          g_variant_dict_end (&options), fds, out_contacts, out_follow_ups,
          NULL, NULL, error))
    {
      close (fd);
      return -1;
    }
  return fd;
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
      N_ ("Show at most N contacts and N follow-ups (default: 100 on a "
          "terminal, all in a pipe; 0: all)"),
      N_ ("N") },
    { "no-pager", 0, 0, G_OPTION_ARG_NONE, &no_pager,
      N_ ("Do not send the tables through a pager"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  DuePrinter p = { 0 };
  TbDaemon1 *proxy;
  gint64 within = TB_DUE_DEFAULT_WITHIN;
  guint limit = 0;
  guint n_contacts = 0, n_follow_ups = 0;
  int fd;

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
  else if (limit_text == NULL && !json && tb_output_is_tty ())
    limit = DUE_TERMINAL_LIMIT;

  if (within_text != NULL)
    {
      if (g_str_equal (within_text, "0"))
        within = 0;
      else if (!tb_cmd_parse_duration ("--within", within_text, &within,
                                       &error))
        return tb_cmd_error (error);
    }

  /* The daemon writes what is due into a memfd as it reads it: no reply
   * grows with the network. No timeout: a year of a
   * million contacts takes seconds to write. */
  proxy = tb_cmd_get_slow_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);
  if (json)
    return print_due_json (proxy, within, limit);
  fd = fetch_due (proxy, within, tb_cmd_limit_to_ask (limit), &n_contacts,
                  &n_follow_ups, &error);
  if (fd < 0)
    return tb_cmd_error (error);

  if (n_contacts == 0 && n_follow_ups == 0)
    {
      close (fd);
      if (tb_output_is_tty ())
        printf ("%s\n", _ ("Nobody is due. You're all caught up."));
      return TB_EXIT_OK;
    }

  p.now = tb_cmd_now ();
  p.limit = limit;
  p.any_follow_ups = n_follow_ups > 0;
  for (guint i = 0; i < G_N_ELEMENTS (p.tables); i++)
    {
      p.tables[i]
          = i < 2 ? tb_table_new (C_ ("column", "ID"), C_ ("column", "NAME"),
                                  C_ ("column", "DUE"),
                                  C_ ("column", "LAST TALKED"), NULL)
                  : tb_table_new (C_ ("column", "FOLLOW-UP"),
                                  C_ ("column", "NAME"), C_ ("column", "WHEN"),
                                  C_ ("column", "TEXT"), NULL);
      /* Untranslated: scripts match it (docs/design.md §5). */
      tb_table_set_kind (p.tables[i], i < 2 ? "contact" : "follow-up");
    }
  /* A terminal's tables are laid out for their widest cells: a first
   * pass measures them, keeping nothing. */
  if (tb_output_is_tty ())
    {
      p.measuring = TRUE;
      if (!tb_stream_foreach_line (fd, print_due_row, &p, &error))
        goto out;
      p.measuring = FALSE;
      p.contacts_seen = p.follow_ups_seen = 0;
    }
  if (!no_pager)
    tb_pager_start ();
  if (!tb_stream_foreach_line (fd, print_due_row, &p, &error))
    goto out;
  while (p.section < 3)
    end_section (&p);
  if (p.more_follow_ups > 0)
    tb_cmd_print_more ();

out:
  close (fd);
  for (guint i = 0; i < G_N_ELEMENTS (p.tables); i++)
    tb_table_free (p.tables[i]);
  if (error != NULL)
    return tb_cmd_error (error);
  return TB_EXIT_OK;
}
