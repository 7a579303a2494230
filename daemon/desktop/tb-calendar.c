/* tb-calendar.c — the live calendar file and the CalDAV push.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-calendar"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb-caldav.h"
#include "tb-calendar.h"
#include "tb-error.h"
#include "tb-ical.h"
#include "tb-secret.h"

#define STATE_KEY "caldav-state"
#define STATE_SAVE_DELAY_MS 1000

/* What tells that the password file may have changed since it was read:
 * a chmod 600, a new password, a file that appears. */
typedef struct
{
  dev_t dev;
  ino_t ino;
  mode_t mode;
  uid_t uid;
  goffset size;
  gint64 mtime_ns;
  gint64 ctime_ns;
  int error; /* errno of stat, 0 when it worked */
} FileStamp;

struct _TbCalendar
{
  TbStore *store; /* not owned */
  GTimeZone *tz;  /* (owned) */

  char *ics_path;     /* (owned) (nullable): NULL when disabled */
  char *written_hash; /* (owned) (nullable): of the file's content as last
                       * written, DTSTAMP lines left out */
  guint debounce_id;
  guint horizon_id;

  /* The CalDAV settings in force, to notice a change. */
  char *caldav_url;           /* (owned) (nullable) */
  char *caldav_username;      /* (owned) (nullable) */
  char *caldav_password_file; /* (owned) (nullable) */
  char *caldav_error;         /* (owned) (nullable): set-up problem */
  char *caldav_password;      /* (owned) (nullable): read from the file */
  FileStamp password_stamp;   /* of the file when last read */
  TbCaldav *caldav;           /* (owned) (nullable) */
  GCancellable *lookup;       /* (owned) (nullable): secret lookup */
  guint save_id;
  gboolean started; /* nothing is written or sent before */
};

TbCalendar *
tb_calendar_new (TbStore *store, GTimeZone *tz)
{
  TbCalendar *calendar = g_new0 (TbCalendar, 1);

  calendar->store = store;
  calendar->tz = g_time_zone_ref (tz);
  return calendar;
}

static void
save_state (TbCalendar *calendar)
{
  g_autoptr (GVariant) state = NULL;
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&calendar->save_id, g_source_remove);
  if (calendar->caldav == NULL)
    return;
  state = tb_caldav_save_state (calendar->caldav); /* (transfer full) */
  if (!tb_store_set_state_variant (calendar->store, STATE_KEY, state, &error))
    g_warning ("Cannot save the CalDAV state: %s", error->message);
}

static gboolean
on_save_timeout (gpointer user_data)
{
  TbCalendar *calendar = user_data;

  /* An import holds the write lock: try again a delay later rather than
   * fail (docs/design.md §8). */
  if (tb_store_writes_held (calendar->store))
    return G_SOURCE_CONTINUE;
  calendar->save_id = 0;
  save_state (calendar);
  return G_SOURCE_REMOVE;
}

static void
on_state_changed (TbCaldav *caldav, gpointer user_data)
{
  TbCalendar *calendar = user_data;

  /* Every PUT changes the state: with thousands of resources a database
   * write per answer would cost more than the push; one a second is
   * plenty, and the rest is saved on exit. */
  if (calendar->save_id == 0)
    calendar->save_id
        = g_timeout_add (STATE_SAVE_DELAY_MS, on_save_timeout, calendar);
}

static void
stop_caldav (TbCalendar *calendar)
{
  if (calendar->lookup != NULL)
    {
      g_cancellable_cancel (calendar->lookup);
      g_clear_object (&calendar->lookup);
    }
  save_state (calendar);
  if (calendar->caldav != NULL)
    g_signal_handlers_disconnect_by_data (calendar->caldav, calendar);
  g_clear_object (&calendar->caldav);
  g_clear_pointer (&calendar->caldav_error, g_free);
  if (calendar->caldav_password != NULL)
    {
      memset (calendar->caldav_password, 0, strlen (calendar->caldav_password));
      g_clear_pointer (&calendar->caldav_password, g_free);
    }
}

/* Rebuilds now if a change is waiting for the debounce. */
static void flush (TbCalendar *calendar);

void
tb_calendar_free (TbCalendar *calendar)
{
  if (calendar == NULL)
    return;
  /* A change made just before SIGTERM still reaches the file. */
  if (calendar->debounce_id != 0)
    flush (calendar);
  g_clear_handle_id (&calendar->horizon_id, g_source_remove);
  stop_caldav (calendar);
  g_clear_pointer (&calendar->tz, g_time_zone_unref);
  g_free (calendar->ics_path);
  g_free (calendar->written_hash);
  g_free (calendar->caldav_url);
  g_free (calendar->caldav_username);
  g_free (calendar->caldav_password_file);
  g_free (calendar);
}

/* Adds @text to @checksum without its DTSTAMP lines: they change on every
 * build, the rest only when the calendar does. Fed with the pieces
 * tb_ical_write_calendar() hands out, which are whole lines that never
 * begin with DTSTAMP, it gives what the whole text would. */
static void
content_hash_update (GChecksum *checksum, const char *text, gsize len)
{
  const char *p = text;
  const char *end = text + len;
  const char *stamp;

  while ((stamp = g_strstr_len (p, end - p, "\r\nDTSTAMP:")) != NULL)
    {
      const char *eol;

      g_checksum_update (checksum, (const guchar *) p, stamp - p);
      eol = g_strstr_len (stamp + 2, end - (stamp + 2), "\r\n");
      if (eol == NULL)
        return;
      p = eol;
    }
  g_checksum_update (checksum, (const guchar *) p, end - p);
}

typedef struct
{
  GPtrArray *contacts;   /* (owned) */
  GPtrArray *follow_ups; /* (owned) */
  gint64 now;
  gint64 next_entry; /* when the next contact enters the window; 0: none */
} Records;

static void
records_clear (Records *r)
{
  g_clear_pointer (&r->contacts, g_ptr_array_unref);
  g_clear_pointer (&r->follow_ups, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Records, records_clear)

static gboolean
load_records (TbCalendar *calendar, Records *r, GError **error)
{
  gint64 next_due = 0;

  r->now = g_get_real_time () / G_USEC_PER_SEC;
  /* Only the contacts that make a component, with only what tb-ical
   * reads: after a large import most contacts are neither due this week
   * nor have a birthday. */
  r->contacts = tb_store_list_for_calendar (
      calendar->store, r->now + TB_CALENDAR_WINDOW, &next_due, error);
  if (r->contacts == NULL)
    return FALSE;
  r->follow_ups
      = tb_store_list_follow_ups (calendar->store, 0, G_MAXINT64, error);
  if (r->follow_ups == NULL)
    return FALSE;
  r->next_entry = next_due != 0 ? next_due - TB_CALENDAR_WINDOW : 0;
  return TRUE;
}

static TbIcalOptions
options_for (TbCalendar *calendar, const Records *r, gboolean todo)
{
  TbIcalOptions opts = {
    .todo = todo,
    .now = r->now,
    .tz = calendar->tz,
    .touch_base_until = r->now + TB_CALENDAR_WINDOW,
  };

  return opts;
}

gboolean
tb_calendar_write (TbCalendar *calendar, gboolean todo, TbIcalWriteFunc write,
                   gpointer user_data, GError **error)
{
  g_auto (Records) r = { 0 };
  TbIcalOptions opts;

  if (!load_records (calendar, &r, error))
    return FALSE;
  opts = options_for (calendar, &r, todo);
  return tb_ical_write_calendar (r.contacts, r.follow_ups, &opts, write,
                                 user_data, error);
}

/* The live file is written as it is built, to a temporary file beside it
 * that replaces it once complete: memory stays bounded however large the
 * calendar, and a subscribed calendar never reads half a file. */
typedef struct
{
  GOutputStream *out;  /* (owned) over the temporary file */
  GChecksum *checksum; /* (owned) */
} FileSink;

static gboolean
write_to_file (const char *data, gsize len, gpointer user_data, GError **error)
{
  FileSink *sink = user_data;

  content_hash_update (sink->checksum, data, len);
  return g_output_stream_write_all (sink->out, data, len, NULL, NULL, error);
}

static void
write_file (TbCalendar *calendar, const Records *r, const TbIcalOptions *opts)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *dir = g_path_get_dirname (calendar->ics_path);
  g_autofree char *tmp_path = NULL;
  g_autoptr (GError) error = NULL;
  FileSink sink = { NULL, checksum };
  gboolean ok;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      g_message ("Cannot create %s for the calendar: %s", dir,
                 g_strerror (errno));
      return;
    }
  tmp_path = g_strconcat (calendar->ics_path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_message ("Cannot write the calendar: %s: %s", tmp_path,
                 g_strerror (errno));
      return;
    }
  /* The stream only writes: fsync and close stay ours, in order. */
  sink.out = g_unix_output_stream_new (fd, FALSE);
  ok = tb_ical_write_calendar (r->contacts, r->follow_ups, opts, write_to_file,
                               &sink, &error);
  g_clear_object (&sink.out);
  if (ok
      && g_strcmp0 (g_checksum_get_string (checksum), calendar->written_hash)
             == 0
      && g_file_test (calendar->ics_path, G_FILE_TEST_EXISTS))
    {
      g_debug ("Calendar unchanged; not rewriting %s", calendar->ics_path);
      close (fd);
      g_unlink (tmp_path);
      return;
    }
  if (ok && fsync (fd) < 0)
    {
      ok = FALSE;
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s",
                   g_strerror (errno));
    }
  if (close (fd) < 0 && ok)
    {
      ok = FALSE;
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s",
                   g_strerror (errno));
    }
  if (ok && g_rename (tmp_path, calendar->ics_path) < 0)
    {
      ok = FALSE;
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno), "%s",
                   g_strerror (errno));
    }
  if (!ok)
    {
      g_message ("Cannot write the calendar %s: %s", calendar->ics_path,
                 error->message);
      g_unlink (tmp_path);
      return;
    }
  g_debug ("Wrote %s", calendar->ics_path);
  g_free (calendar->written_hash);
  calendar->written_hash = g_strdup (g_checksum_get_string (checksum));
}

static gboolean
on_horizon (gpointer user_data)
{
  TbCalendar *calendar = user_data;

  calendar->horizon_id = 0;
  tb_calendar_changed (calendar);
  return G_SOURCE_REMOVE;
}

static void
arm_horizon (TbCalendar *calendar, const Records *r)
{
  gint64 delay;

  g_clear_handle_id (&calendar->horizon_id, g_source_remove);
  if (r->next_entry == 0
      || (calendar->ics_path == NULL && calendar->caldav == NULL))
    return;
  /* A monotonic timeout: after a suspend it may fire late, but the next
   * change of any kind rebuilds anyway. Not sooner than
   * TB_CALENDAR_HORIZON_STEP: with a million tracked contacts one enters
   * the window every few seconds, and each rebuild reads every
   * component, so an idle daemon would never stop rebuilding. */
  delay = CLAMP (r->next_entry - r->now + 1, TB_CALENDAR_HORIZON_STEP,
                 G_MAXUINT / 2);
  calendar->horizon_id
      = g_timeout_add_seconds ((guint) delay, on_horizon, calendar);
}

static void
update (TbCalendar *calendar)
{
  g_auto (Records) r = { 0 };
  g_autoptr (GError) error = NULL;
  TbIcalOptions opts;

  if (calendar->ics_path == NULL && calendar->caldav == NULL)
    return;
  if (!load_records (calendar, &r, &error))
    {
      g_warning ("Cannot read the calendar's records: %s", error->message);
      return;
    }
  opts = options_for (calendar, &r, FALSE);
  if (calendar->ics_path != NULL)
    write_file (calendar, &r, &opts);
  if (calendar->caldav != NULL)
    {
      g_autoptr (GPtrArray) resources
          = tb_ical_build_resources (r.contacts, r.follow_ups, &opts);

      tb_caldav_set_resources (calendar->caldav, resources);
    }
  arm_horizon (calendar, &r);
  records_clear (&r);
  tb_store_release_memory (calendar->store);
}

static gboolean
on_debounce (gpointer user_data)
{
  TbCalendar *calendar = user_data;

  calendar->debounce_id = 0;
  update (calendar);
  return G_SOURCE_REMOVE;
}

static void refresh_credentials (TbCalendar *calendar, gboolean secrets);

void
tb_calendar_changed (TbCalendar *calendar)
{
  /* A change is the next push: CalDAV may be off only for a password
   * file that is fixed by now. */
  refresh_credentials (calendar, FALSE);
  if (!calendar->started
      || (calendar->ics_path == NULL && calendar->caldav == NULL))
    return;
  /* Armed once per burst, not pushed back by each change: a steady stream
   * of changes still reaches the file every TB_CALENDAR_DELAY_MS. */
  if (calendar->debounce_id == 0)
    calendar->debounce_id
        = g_timeout_add (TB_CALENDAR_DELAY_MS, on_debounce, calendar);
}

static void
flush (TbCalendar *calendar)
{
  if (calendar->debounce_id == 0)
    return;
  g_clear_handle_id (&calendar->debounce_id, g_source_remove);
  update (calendar);
}

void
tb_calendar_set_time_zone (TbCalendar *calendar, GTimeZone *tz)
{
  g_time_zone_unref (calendar->tz);
  calendar->tz = g_time_zone_ref (tz);
  /* Dates in DESCRIPTION are local. */
  tb_calendar_changed (calendar);
}

static void
parse_backoff (TbCaldav *caldav)
{
  const char *env = g_getenv ("TB_CALDAV_BACKOFF_MS");
  g_auto (GStrv) parts = NULL;
  guint64 min_ms, max_ms;

  if (env == NULL)
    return;
  parts = g_strsplit (env, ",", 2);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT, &min_ms, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, min_ms, G_MAXUINT, &max_ms,
                                      NULL))
    {
      g_message ("Ignoring TB_CALDAV_BACKOFF_MS=%s: want MIN,MAX in ms", env);
      return;
    }
  tb_caldav_set_backoff (caldav, (guint) min_ms, (guint) max_ms);
}

static void
start_engine (TbCalendar *calendar, const char *password)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) state = NULL;

  calendar->caldav = tb_caldav_new (
      calendar->caldav_url, calendar->caldav_username, password, &error);
  if (calendar->caldav == NULL)
    {
      g_message ("CalDAV is off: %s", error->message);
      calendar->caldav_error = g_strdup (error->message);
      return;
    }
  parse_backoff (calendar->caldav);
  state = tb_store_get_state_variant (calendar->store, STATE_KEY);
  if (state != NULL && !tb_caldav_load_state (calendar->caldav, state, &error))
    {
      g_message ("Ignoring the saved CalDAV state: %s", error->message);
      g_clear_error (&error);
    }
  g_signal_connect (calendar->caldav, "state-changed",
                    G_CALLBACK (on_state_changed), calendar);
  g_info ("Pushing the calendar to %s", calendar->caldav_url);
  tb_calendar_changed (calendar);
}

static void
on_password (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TbCalendar *calendar = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;

  password = tb_secret_lookup_caldav_password_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* @calendar may be gone */
  g_clear_object (&calendar->lookup);
  /* Without a password the server may still take us (Radicale without
   * authentication); if not, its 401 shows in the status. */
  if (password == NULL)
    g_message ("No CalDAV password in the Secret Service (%s); trying "
               "without one",
               error->message);
  start_engine (calendar, password);
}

static FileStamp
stamp_file (const char *path)
{
  FileStamp stamp = { 0 };
  GStatBuf st;

  if (g_stat (path, &st) < 0)
    {
      stamp.error = errno;
      return stamp;
    }
  stamp.dev = st.st_dev;
  stamp.ino = st.st_ino;
  stamp.mode = st.st_mode;
  stamp.uid = st.st_uid;
  stamp.size = st.st_size;
  stamp.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000)
                   + st.st_mtim.tv_nsec;
  stamp.ctime_ns = (gint64) st.st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000)
                   + st.st_ctim.tv_nsec;
  return stamp;
}

static gboolean
stamp_equal (const FileStamp *a, const FileStamp *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->mode == b->mode
         && a->uid == b->uid && a->size == b->size && a->mtime_ns == b->mtime_ns
         && a->ctime_ns == b->ctime_ns && a->error == b->error;
}

/* The password file's content without its trailing newline; NULL with a
 * message in @error when unreadable or readable by others. */
static char *
read_password_file (const char *path, GError **error)
{
  GStatBuf st;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_stat (path, &st) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("Cannot read caldav-password-file %s: %s"), path,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (st.st_mode & (S_IRGRP | S_IROTH))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_FAILED,
                   _ ("caldav-password-file %s is readable by other users; "
                      "run “chmod 600 %s”"),
                   path, path);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    data[--len] = '\0';
  return g_steal_pointer (&data);
}

static void
start_caldav (TbCalendar *calendar)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;

  if (calendar->caldav_url == NULL)
    return;
  if (calendar->caldav_password_file == NULL)
    {
      calendar->lookup = g_cancellable_new ();
      tb_secret_lookup_caldav_password (
          calendar->caldav_url, calendar->caldav_username, calendar->lookup,
          on_password, calendar);
      return;
    }
  /* Stamped before the read: a change during it is seen next time. */
  calendar->password_stamp = stamp_file (calendar->caldav_password_file);
  password = read_password_file (calendar->caldav_password_file, &error);
  if (password == NULL)
    {
      g_message ("CalDAV is off: %s", error->message);
      calendar->caldav_error = g_strdup (error->message);
      return;
    }
  start_engine (calendar, password);
  calendar->caldav_password = g_steal_pointer (&password);
}

/* Credentials are read again when they may have changed, so fixing them
 * needs no restart: the password file whenever its stamp changed (a
 * chmod 600, a new password), and with @secrets the Secret Service too
 * while CalDAV fails (SIGHUP or a saved configuration: there is no
 * telling when a keyring item changed). CalDAV starts again only when
 * what it would use differs. */
static void
refresh_credentials (TbCalendar *calendar, gboolean secrets)
{
  FileStamp now;

  if (!calendar->started || calendar->caldav_url == NULL
      || calendar->lookup != NULL)
    return;
  if (calendar->caldav_password_file == NULL)
    {
      if (secrets
          && (calendar->caldav == NULL
              || tb_caldav_get_last_error (calendar->caldav) != NULL))
        {
          g_info ("Looking up the CalDAV password again");
          stop_caldav (calendar);
          start_caldav (calendar);
        }
      return;
    }
  now = stamp_file (calendar->caldav_password_file);
  if (stamp_equal (&now, &calendar->password_stamp))
    return;
  if (calendar->caldav != NULL)
    {
      g_autofree char *password
          = read_password_file (calendar->caldav_password_file, NULL);
      gboolean same = g_strcmp0 (password, calendar->caldav_password) == 0;

      if (password != NULL)
        memset (password, 0, strlen (password));
      if (same)
        {
          calendar->password_stamp = now;
          return;
        }
    }
  g_info ("%s changed: setting CalDAV up again",
          calendar->caldav_password_file);
  stop_caldav (calendar);
  start_caldav (calendar);
}

void
tb_calendar_start (TbCalendar *calendar)
{
  if (calendar->started)
    return;
  calendar->started = TRUE;
  start_caldav (calendar);
  /* The live file is current from the start, whatever happened while the
   * daemon was away. */
  update (calendar);
}

static gboolean
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
tb_calendar_configure (TbCalendar *calendar, const TbConfig *config)
{
  g_autofree char *ics_path = tb_config_ics_path (config);
  gboolean caldav_changed = FALSE;

  if (replace_string (&calendar->ics_path, ics_path))
    {
      g_clear_pointer (&calendar->written_hash, g_free);
      g_info ("Live calendar: %s",
              ics_path != NULL ? ics_path : "off (ics-file=none)");
    }
  /* Evaluate all three: each must be replaced. */
  caldav_changed |= replace_string (&calendar->caldav_url, config->caldav_url);
  caldav_changed
      |= replace_string (&calendar->caldav_username, config->caldav_username);
  caldav_changed |= replace_string (&calendar->caldav_password_file,
                                    config->caldav_password_file);
  if (caldav_changed && calendar->started)
    {
      stop_caldav (calendar);
      start_caldav (calendar);
    }
  else
    refresh_credentials (calendar, TRUE);
  /* Cheap when nothing changed: the hash keeps the file as it is. */
  tb_calendar_changed (calendar);
}

void
tb_calendar_add_status (TbCalendar *calendar, GVariantBuilder *builder)
{
  const char *error = calendar->caldav_error;
  TbCaldav *caldav = calendar->caldav;

  g_variant_builder_add (
      builder, "{sv}", "ics_file",
      g_variant_new_string (calendar->ics_path ? calendar->ics_path : ""));
  g_variant_builder_add (
      builder, "{sv}", "caldav_url",
      g_variant_new_string (calendar->caldav_url ? calendar->caldav_url : ""));
  g_variant_builder_add (
      builder, "{sv}", "caldav_pending",
      g_variant_new_int64 (caldav ? tb_caldav_get_pending (caldav) : 0));
  g_variant_builder_add (
      builder, "{sv}", "caldav_last_success",
      g_variant_new_int64 (caldav ? tb_caldav_get_last_success (caldav) : 0));
  if (error == NULL && caldav != NULL)
    error = tb_caldav_get_last_error (caldav);
  if (error == NULL && calendar->lookup != NULL)
    error = _ ("waiting for the Secret Service");
  if (error != NULL)
    g_variant_builder_add (builder, "{sv}", "caldav_last_error",
                           g_variant_new_string (error));
}
