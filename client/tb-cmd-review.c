/* tb-cmd-review.c — touchbase review: the contacts not tracked yet, most
 * promising first. On a terminal, one person at a time, a key per
 * decision, each saved at once; in a pipe or with --json, the queue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-cmd-review"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "tb-cmd.h"
#include "tb-output.h"
#include "tb-time.h"
#include "tb-uri.h"
#include "tb-vardict-json.h"

#define DEFAULT_LIMIT 20
#define MAX_LIMIT 1000
/* How many people the interactive review asks the daemon for at once. */
#define PAGE 50
#define KEY_EOF (-1)

/* The terminal as it was before single-key reading, put back on every
 * way out: a return, Ctrl-C, a hang-up. */
static struct termios saved_termios;
static volatile sig_atomic_t raw_active;

static void
restore_terminal (void)
{
  if (raw_active)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved_termios);
      raw_active = 0;
    }
}

static void
on_fatal_signal (int sig)
{
  /* tcsetattr is async-signal-safe; then die of the signal as the shell
   * expects. */
  restore_terminal ();
  signal (sig, SIG_DFL);
  raise (sig);
}

static gboolean
enter_raw (void)
{
  struct termios raw;

  if (raw_active)
    return TRUE;
  if (tcgetattr (STDIN_FILENO, &saved_termios) < 0)
    return FALSE;
  raw = saved_termios;
  /* No line editing and no echo, one byte at a time; ISIG stays, so
   * Ctrl-C still interrupts (and on_fatal_signal restores). */
  raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) < 0)
    return FALSE;
  raw_active = 1;
  return TRUE;
}

static void
install_signal_handlers (void)
{
  struct sigaction sa = { 0 };

  sa.sa_handler = on_fatal_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
  sigaction (SIGQUIT, &sa, NULL);
}

typedef struct
{
  gboolean keys; /* stdin is a terminal: single keys; else lines */
} Input;

/* One key, lower case: a byte in raw mode, the first character of a line
 * otherwise ('\n' for an empty one); KEY_EOF at the end. */
static int
read_key (Input *in)
{
  /* Single keys before the prompt shows: whoever sees the prompt may
   * type at once. */
  gboolean raw = in->keys && enter_raw ();

  fflush (stdout);
  if (raw)
    {
      unsigned char c;

      for (;;)
        {
          ssize_t n = read (STDIN_FILENO, &c, 1);

          if (n == 1)
            return c == '\r' ? '\n' : g_ascii_tolower (c);
          if (n < 0 && errno == EINTR)
            continue;
          return KEY_EOF;
        }
    }
  else
    {
      char line[256];
      const char *p = line;

      if (fgets (line, sizeof line, stdin) == NULL)
        return KEY_EOF;
      while (*p == ' ' || *p == '\t')
        p++;
      return *p == '\0' ? '\n' : g_ascii_tolower (*p);
    }
}

/* A line of text, with the terminal's own editing and echo. */
static char *
read_line (void)
{
  char line[256];

  restore_terminal ();
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return NULL;
  return g_strstrip (g_strdup (line));
}

static GVariant *
get_queue (TbDaemon1 *proxy, guint limit, guint *total, GError **error)
{
  GVariantDict options;
  GVariant *contacts = NULL;

  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "limit", "u", limit);
  if (!tb_daemon1_call_get_review_queue_sync (
          proxy, g_variant_dict_end (&options), &contacts, total, NULL, error))
    return NULL;
  return contacts;
}

static void
print_rows (GVariant *contacts)
{
  g_autoptr (TbTable) table = NULL;
  gsize n = g_variant_n_children (contacts);

  table = tb_table_new (C_ ("column", "ID"), C_ ("column", "NAME"),
                        C_ ("column", "COMPANY"), C_ ("column", "POSITION"),
                        C_ ("column", "CONNECTED"), C_ ("column", "WHY"), NULL);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) c = g_variant_get_child_value (contacts, i);
      gint64 connected = tb_dict_get_int64 (c, "connected_on");
      g_autofree char *id
          = g_strdup_printf ("%" G_GINT64_FORMAT, tb_dict_get_int64 (c, "id"));
      g_autofree char *day
          = connected > 0 ? tb_time_format_date (connected, tb_cmd_local_tz ())
                          : NULL;

      tb_table_add_row (
          table, TB_STYLE_NONE, id, tb_dict_get_string (c, "name"),
          tb_dict_get_string (c, "company"), tb_dict_get_string (c, "position"),
          day, tb_dict_get_string (c, "reason"), NULL);
    }
  tb_table_print (table);
}

/* The choices of "keep in touch": a key, its interval, its label. */
static const struct
{
  char key;
  gint64 interval;
  const char *label;
} intervals[] = {
  { '1', 14 * TB_DAY, N_ ("every 2 weeks") },
  { '2', 30 * TB_DAY, N_ ("every month") },
  { '3', 90 * TB_DAY, N_ ("every 3 months") },
};

/* Asks how often; FALSE when the person changed their mind (Escape, q)
 * or the input ended. *@out: 0 for the configured default. */
static gboolean
ask_interval (Input *in, gint64 *out)
{
  for (;;)
    {
      int key;

      printf ("  %s ", _ ("How often?"));
      for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
        printf ("%c) %s  ", intervals[i].key, _ (intervals[i].label));
      /* Translators: the last choices of "How often?"; Enter keeps the
       * interval touchbase.conf gives. */
      printf ("%s ", _ ("4) other  Enter) the default  >"));
      key = read_key (in);
      printf ("\n");
      if (key == KEY_EOF || key == 'q' || key == 27)
        return FALSE;
      if (key == '\n')
        {
          *out = 0;
          return TRUE;
        }
      for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
        if (key == intervals[i].key)
          {
            *out = intervals[i].interval;
            return TRUE;
          }
      /* A mistyped duration asks for the duration again: back at the
       * menu, the next thing typed would be taken as single keys. */
      while (key == '4')
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *text = NULL;

          printf ("  %s ", _ ("Touch base every (e.g. 6w, 2mo; empty: "
                              "back):"));
          text = read_line ();
          if (text == NULL)
            return FALSE;
          if (*text == '\0')
            break;
          if (tb_duration_parse (text, out, &error))
            return TRUE;
          printf ("  %s\n", error->message);
        }
    }
}

static gboolean
open_link (const char *url)
{
  g_autoptr (GError) error = NULL;
  const char *scheme = url ? g_uri_peek_scheme (url) : NULL;

  g_autofree char *shown = NULL;

  /* Contact data comes from anywhere: only web links are opened, never
   * file:, javascript: or a scheme that runs something, and only what
   * the notifications' click would open (tb_uri_is_allowed: a parsed
   * URI, no control character or space, no user name before the host). */
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "https") != 0
          && g_ascii_strcasecmp (scheme, "http") != 0)
      || !tb_uri_is_allowed (url))
    {
      printf ("  %s\n", _ ("No web link to open."));
      return FALSE;
    }
  if (!g_app_info_launch_default_for_uri (url, NULL, &error))
    {
      g_autofree char *message = tb_output_clean (error->message);

      printf ("  %s\n", message);
      return FALSE;
    }
  shown = tb_output_clean (url);
  printf ("  %s %s\n", _ ("Opened"), shown);
  return TRUE;
}

/* @key of @c made safe for the terminal (tb_output_clean), or NULL. */
static char *
clean_field (GVariant *c, const char *key)
{
  const char *text = tb_dict_get_string (c, key);

  return text != NULL ? tb_output_clean (text) : NULL;
}

static void
print_card (GVariant *c, guint number, guint total)
{
  /* Everything here came from an import: no byte of it reaches the
   * terminal as a control sequence. */
  g_autofree char *name = clean_field (c, "name");
  g_autofree char *position = clean_field (c, "position");
  g_autofree char *company = clean_field (c, "company");
  g_autofree char *url = clean_field (c, "url");
  g_autofree char *reason = clean_field (c, "reason");
  gint64 connected = tb_dict_get_int64 (c, "connected_on");

  printf ("\n%s%s%s  %s(%u/%u)%s\n", tb_output_style (TB_STYLE_BOLD), name,
          tb_output_reset (), tb_output_style (TB_STYLE_DIM), number, total,
          tb_output_reset ());
  if (position != NULL && company != NULL)
    {
      /* Translators: "UX Researcher at Solara". */
      g_autofree char *headline
          = g_strdup_printf (_ ("%s at %s"), position, company);

      printf ("  %s\n", headline);
    }
  else if (position != NULL || company != NULL)
    printf ("  %s\n", position != NULL ? position : company);
  if (connected > 0)
    {
      g_autofree char *when = tb_cmd_format_when (connected);

      printf ("  %s %s\n", _ ("Connected:"), when);
    }
  printf ("  %s %s\n", _ ("Why:"), reason != NULL ? reason : "");
  if (url != NULL)
    printf ("  %s %s\n", _ ("Link:"), url);
}

typedef enum
{
  NEXT,   /* decided: on to the next person */
  QUIT,   /* q, or the input ended */
  FAILED, /* the daemon refused */
} Outcome;

/* One person until a decision. */
static Outcome
review_one (TbDaemon1 *proxy, Input *in, GVariant *c, guint number, guint total,
            GError **error)
{
  gint64 id = tb_dict_get_int64 (c, "id");
  g_autofree char *name = clean_field (c, "name");
  g_autofree char *done = NULL;

  print_card (c, number, total);
  for (;;)
    {
      gint64 interval = 0;
      int key;

      printf ("  %s ", _ ("[k]eep in touch  [l]ater  [i]gnore  [o]pen link  "
                          "[q]uit  >"));
      key = read_key (in);
      printf ("\n");
      switch (key)
        {
          case 'k':
            if (!ask_interval (in, &interval))
              continue;
            if (!tb_daemon1_call_set_tracking_sync (proxy, id, "tracked",
                                                    interval, NULL, error))
              return FAILED;
            done = g_strdup_printf (_ ("Keeping in touch with %s."), name);
            break;
          case 'l':
            if (!tb_daemon1_call_review_later_sync (proxy, id, 0, NULL, error))
              return FAILED;
            done = g_strdup_printf (_ ("Later: %s comes back in a month."),
                                    name);
            break;
          case 'i':
            if (!tb_daemon1_call_set_tracking_sync (proxy, id, "ignored", 0,
                                                    NULL, error))
              return FAILED;
            done = g_strdup_printf (_ ("Ignoring %s."), name);
            break;
          case 'o':
            open_link (tb_dict_get_string (c, "url"));
            continue;
          case 'q':
          case KEY_EOF:
            return QUIT;
          default:
            continue;
        }
      printf ("  %s\n", done);
      return NEXT;
    }
}

static int
review_interactive (TbDaemon1 *proxy)
{
  Input in = { isatty (STDIN_FILENO) };
  g_autoptr (GError) error = NULL;
  guint decided = 0;
  guint total = 0;

  install_signal_handlers ();
  for (;;)
    {
      g_autoptr (GVariant) page = get_queue (proxy, PAGE, &total, &error);
      gsize n;

      if (page == NULL)
        {
          restore_terminal ();
          return tb_cmd_error (error);
        }
      n = g_variant_n_children (page);
      if (n == 0)
        {
          printf ("%s\n", decided == 0
                              ? _ ("Nobody waits for review.")
                              : _ ("That was everyone: nobody else waits "
                                   "for review."));
          break;
        }
      if (decided == 0)
        printf (g_dngettext (NULL, "%u person waits for a decision.\n",
                             "%u people wait for a decision.\n", total),
                total);
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr (GVariant) c = g_variant_get_child_value (page, i);
          Outcome outcome = review_one (proxy, &in, c, decided + 1,
                                        decided + total, &error);

          if (outcome == FAILED)
            {
              restore_terminal ();
              return tb_cmd_error (error);
            }
          if (outcome == QUIT)
            {
              restore_terminal ();
              return TB_EXIT_OK;
            }
          decided++;
          total--;
        }
    }
  restore_terminal ();
  return TB_EXIT_OK;
}

int
tb_cmd_review (int argc, char **argv)
{
  gboolean json = FALSE;
  int limit = DEFAULT_LIMIT;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_ ("In a pipe or with --json: at most N contacts (default: 20; at "
          "most 1000)"),
      N_ ("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) contacts = NULL;
  TbDaemon1 *proxy;
  guint total = 0;

  context = tb_cmd_context_new (
      NULL,
      N_ ("Decide whom to keep in touch with among the contacts not tracked "
          "yet, most promising first."),
      N_ ("On a terminal, one person at a time: k keeps in touch (then "
          "choose how often), l asks again in a month, i ignores for good, "
          "o opens their web link, q quits. Every decision is saved at "
          "once.\n"
          "In a pipe: one tab-separated line per contact (id, name, "
          "company, position, connected on, why). Why a contact ranks high: "
          "a company shared with someone you keep in touch with, what they "
          "offer or share with them, a shared tag, an e-mail address, a "
          "recent connection."),
      entries);
  if (!tb_cmd_parse_args (context, &argc, &argv, 0, 0, NULL))
    return TB_EXIT_USAGE;
  if (limit < 1 || limit > MAX_LIMIT)
    return tb_cmd_fail ("--limit: %s", _ ("must be from 1 to 1000"));

  proxy = tb_cmd_get_proxy (&error);
  if (proxy == NULL)
    return tb_cmd_error (error);
  if (!json && tb_output_is_tty ())
    return review_interactive (proxy);

  contacts = get_queue (proxy, (guint) limit, &total, &error);
  if (contacts == NULL)
    return tb_cmd_error (error);
  if (json)
    {
      g_autoptr (JsonNode) node
          = tb_vardict_list_to_json (contacts, tb_vardict_contact_to_json);

      tb_output_print_json (node);
    }
  else
    print_rows (contacts);
  return TB_EXIT_OK;
}
