/* tb-config.h — touchbase.conf (docs/design.md §6): a GKeyFile where every key is
 * optional and a bad value is reported and replaced by its default.
 * Parsing is separate from reading the file so the tests need no files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

typedef struct
{
  /* [reminders] */
  gint64 default_interval; /* seconds; 30d */
  gboolean quiet_enabled;  /* FALSE when quiet-hours= is empty */
  int quiet_start_min;     /* minutes after local midnight; 21:00 -> 1260 */
  int quiet_end_min;       /* 09:00 -> 540 */
  gint64 re_alert;         /* 1d */
  guint batch_limit;       /* 3 */
  guint daily_limit;       /* 5 */
  gint64 snooze;           /* 1w */
  /* What the reminder's first button logs: call, a conversation, so a
   * contact cleared from a notification counts as talked to. */
  TbInteractionKind done_kind;

  /* [calendar] */
  char *ics_file;             /* (owned) (nullable) NULL: the default path */
  gboolean ics_disabled;      /* ics-file=none */
  char *caldav_url;           /* (owned) (nullable) NULL: no CalDAV */
  char *caldav_username;      /* (owned) (nullable) */
  char *caldav_password_file; /* (owned) (nullable) NULL: Secret Service */

  /* [intros] */
  gint64 suggest_every; /* 1w; 0: never suggest by notification */

  /* [review] */
  guint review_per_day; /* 3; 0: no review notifications */

  /* [sources] (docs/design.md §12): each list as written, paths with
   * "~/" expanded. */
  int sources_eds;          /* -1: on when EDS is present (default), 0, 1 */
  GStrv sources_ics;        /* (owned) (nullable) .ics paths or URLs */
  GStrv sources_caldav;     /* (owned) (nullable) http(s) URLs */
  GStrv sources_maildir;    /* (owned) (nullable) absolute paths */
  GStrv sources_mbox;       /* (owned) (nullable) absolute paths */
  gboolean sources_notmuch; /* FALSE */
  GStrv my_addresses;       /* (owned) (nullable) as written */
  gint64 sources_since;     /* 1y: how far back a first scan reads */

  /* [tags] tag=duration: the default interval of contacts with that tag.
   * Key: tb_tag_key() of the tag; value: gint64 * seconds. */
  GHashTable *tag_intervals; /* (owned) */
} TbConfig;

TbConfig *tb_config_new_default (void);
void tb_config_free (TbConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbConfig, tb_config_free)

/* Parses @data (@len (gsize) -1: NUL-terminated). Every bad value appends a
 * message (char *, the array should free with g_free) to @warnings that
 * names @filename, the group and key and quotes the value, e.g.
 * "touchbase.conf: [reminders] batch-limit: “abc” is not a positive
 * number; keeping 3", and the default is kept; unknown groups and keys
 * are warned about and ignored. @warnings NULL: they are logged with
 * g_message(). A trailing " # comment" after a value is dropped, as in the
 * example in docs/design.md §6. Returns NULL and TB_ERROR_PARSE only if @data is
 * not a key file at all (the message names @filename). */
TbConfig *tb_config_parse (const char *data, gsize len, const char *filename,
                           GPtrArray *warnings, GError **error);

/* Reads and parses @path; a missing file gives the defaults without
 * warnings. Unreadable: NULL and TB_ERROR_FAILED. */
TbConfig *tb_config_load (const char *path, GPtrArray *warnings,
                          GError **error);

/* $XDG_CONFIG_HOME/touchbase/touchbase.conf */
char *tb_config_default_path (void);

/* Where the live calendar goes: NULL when ics-file=none, else ics-file or
 * $XDG_DATA_HOME/touchbase/touchbase.ics. */
char *tb_config_ics_path (const TbConfig *config);

/* Whether local time @t in @tz (NULL: local zone) falls in the quiet
 * hours: from the start minute included to the end minute excluded, so
 * with 21:00-09:00, 21:00:00 and 08:59:59 are quiet and 09:00:00 is not.
 * Ranges may cross midnight or stay within one day. If quiet and
 * @out_quiet_end is not NULL, it gets the Unix time the quiet hours end. */
gboolean tb_config_in_quiet_hours (const TbConfig *config, gint64 t,
                                   GTimeZone *tz, gint64 *out_quiet_end);

/* The rule for a contact's interval: its own @interval when it has one
 * (> 0), else the smallest interval of its @tags (NULL-terminated, may be
 * NULL) that have one in @tag_intervals (nullable; keyed like
 * TbConfig.tag_intervals), else @default_interval. The store computes
 * every due time with it. */
gint64 tb_config_effective_interval (gint64 interval, const char *const *tags,
                                     GHashTable *tag_intervals,
                                     gint64 default_interval);

/* tb_config_effective_interval for a contact without an interval of its
 * own, with @config's [tags] and default. */
gint64 tb_config_interval_for_tags (const TbConfig *config,
                                    const char *const *tags);

G_END_DECLS
