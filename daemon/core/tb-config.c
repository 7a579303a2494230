/* tb-config.c — touchbase.conf.
 *
 * A bad value never stops the daemon: it is reported (file, group, key,
 * value) and the default stays, (docs/design.md §6). Only a file that is
 * not a key file at all is an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-config"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-config.h"
#include "tb-error.h"
#include "tb-keys.h"
#include "tb-time.h"

#define DEFAULT_QUIET_START (21 * 60)
#define DEFAULT_QUIET_END (9 * 60)

TbConfig *
tb_config_new_default (void)
{
  TbConfig *config = g_new0 (TbConfig, 1);

  config->default_interval = 30 * TB_DAY;
  config->quiet_enabled = TRUE;
  config->quiet_start_min = DEFAULT_QUIET_START;
  config->quiet_end_min = DEFAULT_QUIET_END;
  config->re_alert = TB_DAY;
  config->batch_limit = 3;
  config->daily_limit = 5;
  config->snooze = TB_WEEK;
  config->done_kind = TB_KIND_CALL;
  config->suggest_every = TB_WEEK;
  config->review_per_day = 3;
  config->sources_eds = -1;
  config->sources_since = TB_YEAR;
  config->tag_intervals
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return config;
}

void
tb_config_free (TbConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->ics_file);
  g_free (config->caldav_url);
  g_free (config->caldav_username);
  g_free (config->caldav_password_file);
  g_strfreev (config->sources_ics);
  g_strfreev (config->sources_caldav);
  g_strfreev (config->sources_maildir);
  g_strfreev (config->sources_mbox);
  g_strfreev (config->my_addresses);
  g_clear_pointer (&config->tag_intervals, g_hash_table_unref);
  g_free (config);
}

/* Parsing */

typedef struct
{
  TbConfig *config;
  const char *filename;
  const char *group;
  const char *key;
  const char *value;
  GPtrArray *warnings;
} ParseContext;

static void
add_warning (ParseContext *ctx, char *message)
{
  if (ctx->warnings != NULL)
    g_ptr_array_add (ctx->warnings, message);
  else
    {
      g_message ("%s", message);
      g_free (message);
    }
}

/* "FILE: [GROUP] KEY: “VALUE” REASON". */
G_GNUC_PRINTF (2, 3)
static void
warn_value (ParseContext *ctx, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  add_warning (ctx, g_strdup_printf ("%s: [%s] %s: “%s” %s", ctx->filename,
                                     ctx->group, ctx->key, ctx->value, reason));
}

static gboolean
parse_duration (ParseContext *ctx, gint64 *inout)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *kept = tb_duration_format (*inout);
  gint64 seconds;

  if (!tb_duration_parse (ctx->value, &seconds, &error))
    {
      /* tb_duration_parse's message quotes the value already. */
      /* Translators: "FILE: [GROUP] KEY: PROBLEM; keeping DURATION". */
      add_warning (ctx, g_strdup_printf (_ ("%s: [%s] %s: %s; keeping %s"),
                                         ctx->filename, ctx->group, ctx->key,
                                         error->message, kept));
      return FALSE;
    }
  *inout = seconds;
  return TRUE;
}

static void
parse_count (ParseContext *ctx, guint *inout)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (ctx->value, 10, 1, G_MAXUINT, &value, NULL))
    {
      warn_value (ctx, _ ("is not a positive number; keeping %u"), *inout);
      return;
    }
  *inout = (guint) value;
}

/* "H:MM" or "HH:MM", 00:00 to 23:59 (24:00 is midnight too). */
static gboolean
parse_clock (const char *text, int *out_min)
{
  guint64 hours, minutes;
  g_auto (GStrv) parts = g_strsplit (text, ":", -1);
  g_autofree char *h = NULL;
  g_autofree char *m = NULL;

  if (g_strv_length (parts) != 2)
    return FALSE;
  h = g_strstrip (g_strdup (parts[0]));
  m = g_strstrip (g_strdup (parts[1]));
  if (strlen (h) < 1 || strlen (h) > 2 || strlen (m) != 2)
    return FALSE;
  if (!g_ascii_string_to_unsigned (h, 10, 0, 24, &hours, NULL)
      || !g_ascii_string_to_unsigned (m, 10, 0, 59, &minutes, NULL))
    return FALSE;
  if (hours == 24 && minutes != 0)
    return FALSE;
  *out_min = (int) ((hours * 60 + minutes) % (24 * 60));
  return TRUE;
}

static char *
format_quiet_hours (const TbConfig *config)
{
  if (!config->quiet_enabled)
    /* Translators: no quiet hours, as in "...; keeping none". */
    return g_strdup (_ ("none"));
  return g_strdup_printf ("%02d:%02d-%02d:%02d", config->quiet_start_min / 60,
                          config->quiet_start_min % 60,
                          config->quiet_end_min / 60,
                          config->quiet_end_min % 60);
}

static void
parse_quiet_hours (ParseContext *ctx)
{
  TbConfig *config = ctx->config;
  g_autofree char *kept = format_quiet_hours (config);
  g_autofree char *start_text = NULL;
  const char *dash;
  const char *end_text;
  int start, end;

  if (*ctx->value == '\0')
    {
      config->quiet_enabled = FALSE;
      return;
    }

  /* Accept an en dash as well as a hyphen (docs/design.md §6). */
  dash = strstr (ctx->value, "–");
  if (dash != NULL)
    end_text = dash + strlen ("–");
  else if ((dash = strchr (ctx->value, '-')) != NULL)
    end_text = dash + 1;
  else
    end_text = NULL;

  if (end_text != NULL)
    start_text = g_strndup (ctx->value, (gsize) (dash - ctx->value));
  if (end_text == NULL || !parse_clock (start_text, &start)
      || !parse_clock (end_text, &end))
    {
      warn_value (ctx,
                  _ ("is not a range of local times such as 21:00-09:00 "
                     "(empty: no quiet hours); keeping %s"),
                  kept);
      return;
    }
  if (start == end)
    {
      warn_value (ctx, _ ("starts and ends at the same time; keeping %s"),
                  kept);
      return;
    }

  config->quiet_enabled = TRUE;
  config->quiet_start_min = start;
  config->quiet_end_min = end;
}

/* Absolute, or "~/..." under the home directory: a relative path would
 * depend on the daemon's working directory. */
static char *
parse_path (ParseContext *ctx)
{
  if (g_str_has_prefix (ctx->value, "~/"))
    return g_build_filename (g_get_home_dir (), ctx->value + 2, NULL);
  if (g_path_is_absolute (ctx->value))
    return g_strdup (ctx->value);
  warn_value (ctx, "%s", _ ("is not an absolute path (or ~/...); ignoring it"));
  return NULL;
}

static void
handle_default_interval (ParseContext *ctx)
{
  if (*ctx->value != '\0')
    parse_duration (ctx, &ctx->config->default_interval);
}

static void
handle_quiet_hours (ParseContext *ctx)
{
  parse_quiet_hours (ctx);
}

static void
handle_re_alert (ParseContext *ctx)
{
  if (*ctx->value != '\0')
    parse_duration (ctx, &ctx->config->re_alert);
}

static void
handle_batch_limit (ParseContext *ctx)
{
  if (*ctx->value != '\0')
    parse_count (ctx, &ctx->config->batch_limit);
}

static void
handle_daily_limit (ParseContext *ctx)
{
  if (*ctx->value != '\0')
    parse_count (ctx, &ctx->config->daily_limit);
}

static void
handle_snooze (ParseContext *ctx)
{
  if (*ctx->value != '\0')
    parse_duration (ctx, &ctx->config->snooze);
}

/* Any kind but intro, which only `touchbase introduce` records. */
static void
handle_done_kind (ParseContext *ctx)
{
  TbInteractionKind kind;

  if (*ctx->value == '\0')
    return;
  if (!tb_interaction_kind_from_string (ctx->value, &kind)
      || kind == TB_KIND_INTRO)
    {
      warn_value (ctx,
                  _ ("is not one of call, video, meeting, coffee, email, "
                     "message or other; keeping %s"),
                  tb_interaction_kind_to_string (ctx->config->done_kind));
      return;
    }
  ctx->config->done_kind = kind;
}

static void
handle_ics_file (ParseContext *ctx)
{
  TbConfig *config = ctx->config;

  config->ics_disabled = FALSE;
  g_clear_pointer (&config->ics_file, g_free);
  if (*ctx->value == '\0')
    return;
  if (g_ascii_strcasecmp (ctx->value, "none") == 0)
    {
      config->ics_disabled = TRUE;
      return;
    }
  config->ics_file = parse_path (ctx);
}

static void
handle_caldav_url (ParseContext *ctx)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  g_clear_pointer (&ctx->config->caldav_url, g_free);
  if (*ctx->value == '\0')
    return;
  uri = g_uri_parse (ctx->value, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "https") != 0
          && g_ascii_strcasecmp (scheme, "http") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      warn_value (ctx, "%s",
                  _ ("is not an https:// or http:// URL; CalDAV stays off"));
      return;
    }
  ctx->config->caldav_url = g_strdup (ctx->value);
}

static void
handle_caldav_username (ParseContext *ctx)
{
  g_clear_pointer (&ctx->config->caldav_username, g_free);
  if (*ctx->value != '\0')
    ctx->config->caldav_username = g_strdup (ctx->value);
}

static void
handle_caldav_password_file (ParseContext *ctx)
{
  g_clear_pointer (&ctx->config->caldav_password_file, g_free);
  if (*ctx->value != '\0')
    ctx->config->caldav_password_file = parse_path (ctx);
}

static void
handle_suggest_every (ParseContext *ctx)
{
  if (*ctx->value == '\0')
    {
      ctx->config->suggest_every = 0;
      return;
    }
  parse_duration (ctx, &ctx->config->suggest_every);
}

/* A count where 0 means "off". */
static void
handle_review_per_day (ParseContext *ctx)
{
  guint64 value;

  if (*ctx->value == '\0')
    return;
  if (!g_ascii_string_to_unsigned (ctx->value, 10, 0, 1000, &value, NULL))
    {
      warn_value (ctx, _ ("is not a number from 0 (off) to 1000; keeping %u"),
                  ctx->config->review_per_day);
      return;
    }
  ctx->config->review_per_day = (guint) value;
}

static gboolean
parse_boolean (ParseContext *ctx, gboolean *out)
{
  if (g_ascii_strcasecmp (ctx->value, "true") == 0
      || g_ascii_strcasecmp (ctx->value, "yes") == 0
      || strcmp (ctx->value, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (ctx->value, "false") == 0
           || g_ascii_strcasecmp (ctx->value, "no") == 0
           || strcmp (ctx->value, "0") == 0)
    *out = FALSE;
  else
    {
      warn_value (ctx, "%s", _ ("is not true or false; keeping the default"));
      return FALSE;
    }
  return TRUE;
}

/* The ';'-separated items of the value, trimmed, empty ones dropped. */
static GStrv
split_list (const char *value)
{
  g_auto (GStrv) parts = g_strsplit (value, ";", -1);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      g_strv_builder_add (b, parts[i]);
      n++;
    }
  return n > 0 ? g_strv_builder_end (b) : NULL;
}

static gboolean
is_http_url (const char *text)
{
  g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "https") == 0
             || g_ascii_strcasecmp (scheme, "http") == 0)
         && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* A list of paths (and, with @urls, http(s) URLs): each bad item is
 * reported and left out, the others kept. */
static GStrv
parse_locations (ParseContext *ctx, gboolean urls, gboolean paths)
{
  g_auto (GStrv) items = split_list (ctx->value);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  const char *whole = ctx->value;
  guint n = 0;

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      char *path = NULL;

      if (urls && is_http_url (items[i]))
        {
          g_strv_builder_add (b, items[i]);
          n++;
          continue;
        }
      ctx->value = items[i];
      if (paths)
        path = parse_path (ctx);
      else
        warn_value (ctx, "%s",
                    _ ("is not an https:// or http:// URL; ignoring it"));
      ctx->value = whole;
      if (path != NULL)
        {
          g_strv_builder_add (b, path);
          g_free (path);
          n++;
        }
    }
  return n > 0 ? g_strv_builder_end (b) : NULL;
}

static void
handle_sources_eds (ParseContext *ctx)
{
  gboolean on;

  if (*ctx->value == '\0')
    ctx->config->sources_eds = -1;
  else if (parse_boolean (ctx, &on))
    ctx->config->sources_eds = on;
}

static void
handle_sources_notmuch (ParseContext *ctx)
{
  if (*ctx->value == '\0')
    ctx->config->sources_notmuch = FALSE;
  else
    parse_boolean (ctx, &ctx->config->sources_notmuch);
}

static void
handle_sources_ics (ParseContext *ctx)
{
  g_strfreev (ctx->config->sources_ics);
  ctx->config->sources_ics = parse_locations (ctx, TRUE, TRUE);
}

static void
handle_sources_caldav (ParseContext *ctx)
{
  g_strfreev (ctx->config->sources_caldav);
  ctx->config->sources_caldav = parse_locations (ctx, TRUE, FALSE);
}

static void
handle_sources_maildir (ParseContext *ctx)
{
  g_strfreev (ctx->config->sources_maildir);
  ctx->config->sources_maildir = parse_locations (ctx, FALSE, TRUE);
}

static void
handle_sources_mbox (ParseContext *ctx)
{
  g_strfreev (ctx->config->sources_mbox);
  ctx->config->sources_mbox = parse_locations (ctx, FALSE, TRUE);
}

static void
handle_my_addresses (ParseContext *ctx)
{
  g_auto (GStrv) items = split_list (ctx->value);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  const char *whole = ctx->value;
  guint n = 0;

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      /* No '@', no address: a name or a typo would match nobody and
       * hide the user's real address from the sources. */
      if (strchr (items[i], '@') == NULL)
        {
          ctx->value = items[i];
          warn_value (ctx, "%s", _ ("is not an e-mail address; ignoring it"));
          ctx->value = whole;
          continue;
        }
      g_strv_builder_add (b, items[i]);
      n++;
    }
  g_strfreev (ctx->config->my_addresses);
  ctx->config->my_addresses = n > 0 ? g_strv_builder_end (b) : NULL;
}

static void
handle_sources_since (ParseContext *ctx)
{
  if (*ctx->value == '\0')
    ctx->config->sources_since = TB_YEAR;
  else
    parse_duration (ctx, &ctx->config->sources_since);
}

typedef struct
{
  const char *group;
  const char *key;
  void (*handle) (ParseContext *ctx);
} KeyHandler;

static const KeyHandler key_handlers[] = {
  { "reminders", "default-interval", handle_default_interval },
  { "reminders", "quiet-hours", handle_quiet_hours },
  { "reminders", "re-alert", handle_re_alert },
  { "reminders", "batch-limit", handle_batch_limit },
  { "reminders", "daily-limit", handle_daily_limit },
  { "reminders", "snooze", handle_snooze },
  { "reminders", "done-kind", handle_done_kind },
  { "calendar", "ics-file", handle_ics_file },
  { "calendar", "caldav-url", handle_caldav_url },
  { "calendar", "caldav-username", handle_caldav_username },
  { "calendar", "caldav-password-file", handle_caldav_password_file },
  { "intros", "suggest-every", handle_suggest_every },
  { "review", "per-day", handle_review_per_day },
  { "sources", "eds", handle_sources_eds },
  { "sources", "ics", handle_sources_ics },
  { "sources", "caldav", handle_sources_caldav },
  { "sources", "maildir", handle_sources_maildir },
  { "sources", "mbox", handle_sources_mbox },
  { "sources", "notmuch", handle_sources_notmuch },
  { "sources", "my-addresses", handle_my_addresses },
  { "sources", "since", handle_sources_since },
};

static const KeyHandler *
find_handler (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (key_handlers); i++)
    {
      if (strcmp (key_handlers[i].group, group) == 0
          && strcmp (key_handlers[i].key, key) == 0)
        return &key_handlers[i];
    }
  return NULL;
}

static gboolean
is_known_group (const char *group)
{
  if (strcmp (group, "tags") == 0)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (key_handlers); i++)
    {
      if (strcmp (key_handlers[i].group, group) == 0)
        return TRUE;
    }
  return FALSE;
}

/* GKeyFile has no trailing comments, but the example in docs/design.md
 * §6 writes "quiet-hours=21:00-09:00      # empty: no quiet hours" and
 * "ics-file=                    # default ...": a '#' that starts the value
 * or follows a blank begins a comment. Values with " #" inside (a URL
 * fragment after a space?) are not worth the surprise. */
static void
strip_trailing_comment (char *value)
{
  for (char *p = value; *p != '\0'; p++)
    {
      if (*p == '#' && (p == value || g_ascii_isspace (p[-1])))
        {
          *p = '\0';
          break;
        }
    }
  g_strstrip (value);
}

static void
handle_tag (ParseContext *ctx)
{
  gint64 seconds;
  g_autoptr (GError) error = NULL;

  if (!tb_duration_parse (ctx->value, &seconds, &error))
    {
      /* Translators: "FILE: [GROUP] KEY: PROBLEM; ignoring it". */
      add_warning (ctx, g_strdup_printf (_ ("%s: [%s] %s: %s; ignoring it"),
                                         ctx->filename, ctx->group, ctx->key,
                                         error->message));
      return;
    }
  g_hash_table_replace (ctx->config->tag_intervals, tb_tag_key (ctx->key),
                        g_memdup2 (&seconds, sizeof seconds));
}

static void
parse_key (ParseContext *ctx, GKeyFile *key_file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  const KeyHandler *handler = NULL;
  gboolean is_tag = strcmp (ctx->group, "tags") == 0;

  if (!is_tag && (handler = find_handler (ctx->group, ctx->key)) == NULL)
    {
      /* Translators: "FILE: [GROUP] KEY: unknown key; ignoring it". */
      add_warning (ctx,
                   g_strdup_printf (_ ("%s: [%s] %s: unknown key; ignoring it"),
                                    ctx->filename, ctx->group, ctx->key));
      return;
    }

  value = g_key_file_get_string (key_file, ctx->group, ctx->key, &error);
  /* Only a bad escape such as "\q" or bad UTF-8 fails here. */
  if (value == NULL)
    {
      add_warning (ctx, g_strdup_printf (_ ("%s: [%s] %s: %s; ignoring it"),
                                         ctx->filename, ctx->group, ctx->key,
                                         error->message));
      return;
    }
  strip_trailing_comment (value);
  ctx->value = value;

  if (is_tag)
    {
      if (*value != '\0')
        handle_tag (ctx);
    }
  else
    handler->handle (ctx);
  ctx->value = NULL;
}

TbConfig *
tb_config_parse (const char *data, gsize len, const char *filename,
                 GPtrArray *warnings, GError **error)
{
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (TbConfig) config = NULL;
  g_auto (GStrv) groups = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  if (!g_key_file_load_from_data (key_file, data, len, G_KEY_FILE_NONE,
                                  &local_error))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_PARSE, "%s: %s", filename,
                   local_error->message);
      return NULL;
    }

  config = tb_config_new_default ();
  groups = g_key_file_get_groups (key_file, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      ParseContext ctx = { config, filename, groups[i], NULL, NULL, warnings };
      g_auto (GStrv) keys = NULL;

      if (!is_known_group (groups[i]))
        {
          /* Translators: "FILE: [GROUP]: unknown group; ignoring it". */
          add_warning (
              &ctx, g_strdup_printf (_ ("%s: [%s]: unknown group; ignoring it"),
                                     filename, groups[i]));
          continue;
        }
      keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);
      for (gsize j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          ctx.key = keys[j];
          parse_key (&ctx, key_file);
        }
    }

  return g_steal_pointer (&config);
}

TbConfig *
tb_config_load (const char *path, GPtrArray *warnings, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *display = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return tb_config_new_default ();
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED, "%s",
                   local_error->message);
      return NULL;
    }
  return tb_config_parse (data, len, display, warnings, error);
}

char *
tb_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "touchbase",
                           "touchbase.conf", NULL);
}

char *
tb_config_ics_path (const TbConfig *config)
{
  if (config->ics_disabled)
    return NULL;
  if (config->ics_file != NULL)
    return g_strdup (config->ics_file);
  return g_build_filename (g_get_user_data_dir (), "touchbase", "touchbase.ics",
                           NULL);
}

/* Quiet hours */

/* @minute_of_day on the local day @days after the one of @local. */
static gint64
local_minute (GDateTime *local, int days, int minute_of_day)
{
  g_autoptr (GDateTime) noon = NULL;
  g_autoptr (GDateTime) day = NULL;
  g_autoptr (GDateTime) at = NULL;
  int y, m, d;

  /* Add days on the calendar date (from noon, which no DST change
   * skips), then build the wall time: adding seconds would drift by an
   * hour across a DST change. */
  g_date_time_get_ymd (local, &y, &m, &d);
  noon = g_date_time_new (g_date_time_get_timezone (local), y, m, d, 12, 0, 0);
  day = g_date_time_add_days (noon, days);
  g_date_time_get_ymd (day, &y, &m, &d);
  at = g_date_time_new (g_date_time_get_timezone (local), y, m, d,
                        minute_of_day / 60, minute_of_day % 60, 0);
  return g_date_time_to_unix (at);
}

gboolean
tb_config_in_quiet_hours (const TbConfig *config, gint64 t, GTimeZone *tz,
                          gint64 *out_quiet_end)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  int now_min, start, end;
  int end_day;
  gint64 quiet_end;

  g_return_val_if_fail (config != NULL, FALSE);

  if (!config->quiet_enabled)
    return FALSE;

  utc = g_date_time_new_from_unix_utc (t);
  if (utc == NULL)
    return FALSE;
  zone = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  local = g_date_time_to_timezone (utc, zone);
  now_min = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  start = config->quiet_start_min;
  end = config->quiet_end_min;

  if (start < end)
    {
      /* Within one day, e.g. 12:00-14:00. */
      if (now_min < start || now_min >= end)
        return FALSE;
      end_day = 0;
    }
  else
    {
      /* Across midnight, e.g. 21:00-09:00: the evening part ends
       * tomorrow, the morning part today. */
      if (now_min < start && now_min >= end)
        return FALSE;
      end_day = now_min >= start ? 1 : 0;
    }

  if (out_quiet_end == NULL)
    return TRUE;

  quiet_end = local_minute (local, end_day, end);
  /* When the end falls in the repeated hour of a fall-back night GDateTime
   * may pick its first occurrence, already past; count wall minutes. */
  if (quiet_end <= t)
    {
      int minutes = end - now_min + end_day * 24 * 60;

      quiet_end = t - g_date_time_get_second (local) + (gint64) minutes * 60;
    }
  *out_quiet_end = quiet_end;
  return TRUE;
}

gint64
tb_config_effective_interval (gint64 interval, const char *const *tags,
                              GHashTable *tag_intervals,
                              gint64 default_interval)
{
  gint64 best = -1;

  if (interval > 0)
    return interval;
  /* Of several tags with intervals the shortest wins: being in the
   * "family" group should not be diluted by also being a "colleague". */
  for (gsize i = 0; tag_intervals != NULL && tags != NULL && tags[i] != NULL;
       i++)
    {
      g_autofree char *key = tb_tag_key (tags[i]);
      const gint64 *seconds = g_hash_table_lookup (tag_intervals, key);

      if (seconds != NULL && (best < 0 || *seconds < best))
        best = *seconds;
    }
  return best >= 0 ? best : default_interval;
}

gint64
tb_config_interval_for_tags (const TbConfig *config, const char *const *tags)
{
  g_return_val_if_fail (config != NULL, 0);

  return tb_config_effective_interval (0, tags, config->tag_intervals,
                                       config->default_interval);
}
