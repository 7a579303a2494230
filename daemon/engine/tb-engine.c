/* tb-engine.c — the operations on contacts and follow-ups, over the store,
 * the configuration and the clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-engine-private.h"
#include "tb-error.h"
#include "tb-time.h"

struct _TbEngine
{
  GObject parent_instance;
  TbStore *store;   /* (owned) */
  TbConfig *config; /* (owned) */
  GTimeZone *tz;    /* (owned) */
  TbEngineClockFunc clock;
  gpointer clock_data;
  TbEngineImport *import; /* (unowned) the running import, tb-engine-export.c */
};

enum
{
  SIGNAL_CHANGED,
  SIGNAL_IMPORT_ENDED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TbEngine, tb_engine, G_TYPE_OBJECT)

static void
tb_engine_finalize (GObject *object)
{
  TbEngine *self = TB_ENGINE (object);

  g_clear_pointer (&self->store, tb_store_free);
  g_clear_pointer (&self->config, tb_config_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  G_OBJECT_CLASS (tb_engine_parent_class)->finalize (object);
}

static void
tb_engine_class_init (TbEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_engine_finalize;
  /* After every committed write: due times, alerts or what the calendar
   * shows may have moved. */
  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* After an import committed or rolled back (after its "changed"): the
   * writes that waited for it (alerts, a new configuration) may go. */
  signals[SIGNAL_IMPORT_ENDED]
      = g_signal_new ("import-ended", G_TYPE_FROM_CLASS (klass),
                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_engine_init (TbEngine *self)
{
}

static gint64
wall_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
apply_policy (TbEngine *self, const TbConfig *config, GError **error)
{
  TbStorePolicy policy = {
    .default_interval = config->default_interval,
    .tag_intervals = config->tag_intervals,
    .re_alert = config->re_alert,
  };

  return tb_store_set_policy (self->store, &policy, error);
}

TbEngine *
tb_engine_new (TbStore *store, GTimeZone *tz, GError **error)
{
  g_autoptr (TbEngine) self = g_object_new (TB_TYPE_ENGINE, NULL);

  self->store = store;
  self->tz = g_time_zone_ref (tz);
  self->clock = wall_clock;
  self->config = tb_config_new_default ();
  tb_store_set_time_zone (store, tz);
  if (!apply_policy (self, self->config, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
tb_engine_set_clock (TbEngine *self, TbEngineClockFunc clock,
                     gpointer user_data)
{
  self->clock = clock != NULL ? clock : wall_clock;
  self->clock_data = user_data;
}

gint64
tb_engine_now (TbEngine *self)
{
  return self->clock (self->clock_data);
}

void
tb_engine_emit_changed (TbEngine *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
tb_engine_emit_import_ended (TbEngine *self)
{
  g_signal_emit (self, signals[SIGNAL_IMPORT_ENDED], 0);
}

TbEngineImport *
tb_engine_get_import (TbEngine *self)
{
  return self->import;
}

void
tb_engine_set_import (TbEngine *self, TbEngineImport *import)
{
  self->import = import;
}

gboolean
tb_engine_committed (TbEngine *self, gboolean ok)
{
  if (ok)
    tb_engine_emit_changed (self);
  return ok;
}

gboolean
tb_engine_begin_change (TbEngine *self, const char *verb, gint64 contact_id,
                        const char *subject, GError **error)
{
  return tb_store_begin_change (self->store, verb, contact_id, subject,
                                tb_engine_now (self), error);
}

gboolean
tb_engine_end_change (TbEngine *self, gboolean ok, GError **error)
{
  return tb_engine_committed (self,
                              tb_store_end_change (self->store, ok, error));
}

/* A change of one contact that returns whether it was made: the body of
 * most writes. */
#define CHANGE(self, verb, contact_id, write, error)                           \
  (tb_engine_begin_change ((self), (verb), (contact_id), NULL, (error))        \
   && tb_engine_end_change ((self), (write), (error)))

/* A time a caller gives: 0 where @zero_ok (it means "now" or "none"),
 * else from 1970 up to TB_TIME_MAX. */
static gboolean
check_time (gint64 t, gboolean zero_ok, const char *what, GError **error)
{
  if ((t == 0 && zero_ok) || (t > 0 && t <= TB_TIME_MAX))
    return TRUE;
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("%s is not a time between 1970 and the year 9999"), what);
  return FALSE;
}

/* Ends the change of a write that returns an id: 0 is a failure. */
static gint64
end_change_id (TbEngine *self, gint64 id, GError **error)
{
  return tb_engine_end_change (self, id != 0, error) ? id : 0;
}

TbStore *
tb_engine_get_store (TbEngine *self)
{
  return self->store;
}

gboolean
tb_engine_set_config (TbEngine *self, TbConfig *config, GError **error)
{
  if (!apply_policy (self, config, error))
    {
      tb_config_free (config);
      return FALSE;
    }
  g_clear_pointer (&self->config, tb_config_free);
  self->config = config;
  tb_engine_emit_changed (self);
  return TRUE;
}

const TbConfig *
tb_engine_get_config (TbEngine *self)
{
  return self->config;
}

void
tb_engine_set_time_zone (TbEngine *self, GTimeZone *tz)
{
  g_time_zone_unref (self->tz);
  self->tz = g_time_zone_ref (tz);
  tb_store_set_time_zone (self->store, tz);
}

GTimeZone *
tb_engine_get_time_zone (TbEngine *self)
{
  return self->tz;
}

const char *
tb_engine_get_db_path (TbEngine *self)
{
  return tb_store_get_path (self->store);
}

/* FALSE with TB_ERROR_EXISTS when someone has @contact's name, e-mail
 * or profile link already: a second "Ana Silva" told apart only by its
 * id is a mistake far more often than a namesake. */
static gboolean
check_not_there (TbEngine *self, const TbContact *contact, GError **error)
{
  g_autoptr (TbContact) other = NULL;
  g_autofree char *id_text = NULL;
  const char *field = NULL;
  gint64 id = tb_store_find_same (self->store, contact, &field, error);

  if (id == 0)
    return TRUE;
  if (id < 0)
    return FALSE;
  other = tb_store_get_contact (self->store, id, error);
  if (other == NULL)
    return FALSE;
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  if (g_str_equal (field, "name"))
    /* Translators: "Ana Silva (id 3) is already a contact". */
    g_set_error (error, TB_ERROR, TB_ERROR_EXISTS,
                 _ ("%s (id %s) is already a contact"), other->name, id_text);
  else if (g_str_equal (field, "email"))
    g_set_error (error, TB_ERROR, TB_ERROR_EXISTS,
                 _ ("%s (id %s) already has the e-mail address %s"),
                 other->name, id_text, contact->email);
  else
    g_set_error (error, TB_ERROR, TB_ERROR_EXISTS,
                 _ ("%s (id %s) already has the profile link %s"), other->name,
                 id_text, contact->url);
  return FALSE;
}

gint64
tb_engine_add_contact (TbEngine *self, TbContact *contact, gboolean allow_same,
                       GError **error)
{
  if (contact->name == NULL || *contact->name == '\0')
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("A contact needs a name"));
      return 0;
    }
  if (!tb_contact_check_sizes (contact, error)
      || (contact->email != NULL && *contact->email != '\0'
          && !tb_email_check (contact->email, error))
      || (contact->url != NULL && *contact->url != '\0'
          && !tb_url_check (contact->url, error)))
    return 0;
  if (!allow_same && !check_not_there (self, contact, error))
    return 0;
  if (!tb_engine_begin_change (self, "add", 0, contact->name, error))
    return 0;
  return end_change_id (self,
                        tb_store_add_contact (self->store, contact, FALSE,
                                              tb_engine_now (self), error),
                        error);
}

gboolean
tb_engine_update_contact (TbEngine *self, gint64 id, const TbContact *values,
                          TbFieldMask mask, GError **error)
{
  if (!tb_contact_check_sizes (values, error))
    return FALSE;
  /* "" clears the address. */
  if ((mask & TB_FIELD_EMAIL) && values->email != NULL && *values->email != '\0'
      && !tb_email_check (values->email, error))
    return FALSE;
  if ((mask & TB_FIELD_URL) && values->url != NULL && *values->url != '\0'
      && !tb_url_check (values->url, error))
    return FALSE;
  return CHANGE (self, "edit", id,
                 tb_store_update_contact (self->store, id, values, mask,
                                          tb_engine_now (self), error),
                 error);
}

gboolean
tb_engine_remove_contact (TbEngine *self, gint64 id, GError **error)
{
  gint64 history;

  if (!tb_engine_begin_change (self, "rm", id, NULL, error))
    return FALSE;
  /* What the list says it takes back: "rm Zoë (with 12 interactions)". */
  history = tb_store_count_interactions (self->store, id, NULL);
  if (history >= 0)
    tb_store_set_change_detail (
        self->store,
        g_variant_new_parsed ("{'interactions': <%u>}", (guint) history));
  return tb_engine_end_change (
      self, tb_store_remove_contact (self->store, id, error), error);
}

gint64
tb_engine_resolve (TbEngine *self, const char *query, GError **error)
{
  return tb_store_resolve (self->store, query, error);
}

GPtrArray *
tb_engine_match_contacts (TbEngine *self, const char *query, guint limit,
                          guint *total, GError **error)
{
  return tb_store_match_contacts (self->store, query, limit, total, error);
}

GPtrArray *
tb_engine_complete_names (TbEngine *self, const char *prefix, guint limit,
                          GError **error)
{
  return tb_store_complete_names (self->store, prefix, limit, error);
}

GPtrArray *
tb_engine_complete_tags (TbEngine *self, const char *prefix, guint limit,
                         GError **error)
{
  return tb_store_complete_tags (self->store, prefix, limit, error);
}

GPtrArray *
tb_engine_list_contacts (TbEngine *self, TbListFilter *filter, GError **error)
{
  filter->now = tb_engine_now (self);
  return tb_store_list_contacts (self->store, filter, error);
}

GPtrArray *
tb_engine_search_contacts (TbEngine *self, const char *text, guint limit,
                           guint *total, GError **error)
{
  return tb_store_search (self->store, text, limit, total, error);
}

TbContact *
tb_engine_get_contact (TbEngine *self, gint64 id, GError **error)
{
  g_autoptr (TbContact) c = tb_store_get_contact (self->store, id, error);

  if (c == NULL)
    return NULL;
  g_clear_pointer (&c->facts, g_ptr_array_unref);
  c->facts = tb_store_list_facts (self->store, id, error);
  if (c->facts == NULL)
    return NULL;
  return g_steal_pointer (&c);
}

GPtrArray *
tb_engine_list_interactions (TbEngine *self, gint64 contact_id, guint limit,
                             guint offset, GError **error)
{
  return tb_store_list_interactions_page (self->store, contact_id, limit,
                                          offset, error);
}

gint64
tb_engine_count_interactions (TbEngine *self, gint64 contact_id, GError **error)
{
  return tb_store_count_interactions (self->store, contact_id, error);
}

GPtrArray *
tb_engine_list_follow_ups (TbEngine *self, gint64 contact_id, GError **error)
{
  return tb_store_list_follow_ups (self->store, contact_id, G_MAXINT64, error);
}

/* KIND as a client names it; NULL or empty leaves *OUT as it is. */
static gboolean
parse_kind (const char *kind, TbInteractionKind *out, GError **error)
{
  if (kind == NULL || *kind == '\0'
      || tb_interaction_kind_from_string (kind, out))
    return TRUE;
  g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
               _ ("Unknown kind “%s”: use call, video, meeting, coffee, "
                  "email, message, intro or other"),
               kind);
  return FALSE;
}

gint64
tb_engine_log_interaction (TbEngine *self, gint64 contact_id, const char *kind,
                           gint64 at, const char *note, GError **error)
{
  TbInteractionKind k = TB_KIND_OTHER;

  if (!parse_kind (kind, &k, error))
    return 0;
  /* 0: now. */
  if (!check_time (at, TRUE, _ ("The time of the interaction"), error)
      || !tb_text_check_size (_ ("The note"), note, TB_TEXT_MAX_NOTE, error))
    return 0;
  if (!tb_engine_begin_change (self, "log", contact_id, NULL, error))
    return 0;
  tb_store_set_change_detail (
      self->store, g_variant_new_parsed ("{'kind': <%s>}",
                                         tb_interaction_kind_to_string (k)));
  return end_change_id (self,
                        tb_store_log_interaction (self->store, contact_id, k,
                                                  at, note,
                                                  tb_engine_now (self), error),
                        error);
}

/* What the undo list says beside "history rm Zoë Martin": the
 * interaction as it was, "(coffee 2026-11-02)". */
static void
describe_interaction (TbEngine *self, const TbInteraction *i)
{
  tb_store_set_change_detail (
      self->store,
      g_variant_new_parsed ("{'kind': <%s>, 'at': <%x>}",
                            tb_interaction_kind_to_string (i->kind), i->at));
}

gint64
tb_engine_remove_interaction (TbEngine *self, gint64 id, GError **error)
{
  g_autoptr (TbInteraction) i
      = tb_store_get_interaction (self->store, id, error);

  if (i == NULL
      || !tb_engine_begin_change (self, "history rm", i->contact_id, NULL,
                                  error))
    return 0;
  describe_interaction (self, i);
  return tb_engine_end_change (
             self, tb_store_remove_interaction (self->store, id, error), error)
             ? i->contact_id
             : 0;
}

gint64
tb_engine_update_interaction (TbEngine *self, gint64 id, const char *kind,
                              gint64 at, const char *note, GError **error)
{
  g_autoptr (TbInteraction) i = NULL;
  TbInteractionKind k = TB_KIND_OTHER;

  if (!parse_kind (kind, &k, error))
    return 0;
  /* 0: unchanged. */
  if (!check_time (at, TRUE, _ ("The time of the interaction"), error)
      || !tb_text_check_size (_ ("The note"), note, TB_TEXT_MAX_NOTE, error))
    return 0;
  i = tb_store_get_interaction (self->store, id, error);
  if (i == NULL
      || !tb_engine_begin_change (self, "history edit", i->contact_id, NULL,
                                  error))
    return 0;
  describe_interaction (self, i);
  return tb_engine_end_change (self,
                               tb_store_update_interaction (
                                   self->store, id,
                                   kind != NULL && *kind != '\0' ? (int) k : -1,
                                   at, note, tb_engine_now (self), error),
                               error)
             ? i->contact_id
             : 0;
}

gboolean
tb_engine_remove_fact (TbEngine *self, gint64 id, GError **error)
{
  gint64 contact_id = 0;
  g_autoptr (TbFact) f
      = tb_store_get_fact (self->store, id, &contact_id, error);

  if (f == NULL
      || !tb_engine_begin_change (self, "fact rm", contact_id, NULL, error))
    return FALSE;
  tb_store_set_change_detail (
      self->store,
      g_variant_new_parsed ("{'kind': <%s>, 'text': <%s>}",
                            tb_fact_kind_to_string (f->kind), f->text));
  return tb_engine_end_change (
      self, tb_store_remove_fact (self->store, id, error), error);
}

/* The end of a snooze asked for as @until (see tb_engine_snooze()). */
static gboolean
snooze_end (TbEngine *self, gint64 until, gint64 *out, GError **error)
{
  if (until == TB_ENGINE_SNOOZE_DEFAULT)
    until = tb_engine_now (self) + self->config->snooze;
  else if (until < 0 || until > TB_TIME_MAX)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("A snooze ends at a time before the year 10000, "
                              "0 or -1"));
      return FALSE;
    }
  *out = until;
  return TRUE;
}

gboolean
tb_engine_snooze (TbEngine *self, gint64 contact_id, gint64 until,
                  GError **error)
{
  gint64 end;

  if (!snooze_end (self, until, &end, error))
    return FALSE;
  return CHANGE (self, end != 0 ? "snooze" : "unsnooze", contact_id,
                 tb_store_snooze (self->store, contact_id, end, error), error);
}

gboolean
tb_engine_set_paused (TbEngine *self, gint64 contact_id, gboolean paused,
                      GError **error)
{
  return CHANGE (self, paused ? "pause" : "resume", contact_id,
                 tb_store_set_paused (self->store, contact_id, paused, error),
                 error);
}

gboolean
tb_engine_set_tracking (TbEngine *self, gint64 contact_id, const char *tracking,
                        gint64 interval, GError **error)
{
  TbTracking state;

  if (!tb_tracking_from_string (tracking, &state))
    {
      g_set_error (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown tracking state “%s”: use tracked, not-tracked "
                      "or ignored"),
                   tracking);
      return FALSE;
    }
  if (interval != 0 && state != TB_TRACKING_TRACKED)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("Only a tracked contact has an interval"));
      return FALSE;
    }
  return CHANGE (self,
                 state == TB_TRACKING_TRACKED       ? "track"
                 : state == TB_TRACKING_NOT_TRACKED ? "untrack"
                                                    : "ignore",
                 contact_id,
                 tb_store_set_tracking (self->store, contact_id, state,
                                        interval, tb_engine_now (self), error),
                 error);
}

gboolean
tb_engine_due_until (TbEngine *self, gint64 within, gint64 *out, GError **error)
{
  if (within < 0)
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("“within” cannot be negative"));
      return FALSE;
    }
  /* Far enough for anyone, and no overflow. */
  *out = tb_engine_now (self) + MIN (within, G_MAXINT64 / 4);
  return TRUE;
}

GPtrArray *
tb_engine_list_due (TbEngine *self, gint64 within, guint limit,
                    GPtrArray **out_follow_ups, GError **error)
{
  g_autoptr (GPtrArray) contacts = NULL;
  gint64 until;

  if (!tb_engine_due_until (self, within, &until, error))
    return NULL;
  contacts = tb_store_list_due (self->store, until, limit, error);
  if (contacts == NULL)
    return NULL;
  if (out_follow_ups != NULL)
    {
      *out_follow_ups = tb_store_list_follow_ups (self->store, 0, until, error);
      if (*out_follow_ups == NULL)
        return NULL;
      /* Open follow-ups are few: cut here rather than in SQL. */
      if (limit > 0 && (*out_follow_ups)->len > limit)
        g_ptr_array_set_size (*out_follow_ups, limit);
    }
  return g_steal_pointer (&contacts);
}

gint64
tb_engine_add_follow_up (TbEngine *self, gint64 contact_id, gint64 due_at,
                         const char *text, GError **error)
{
  /* 0 is left to the store, which asks for a date. */
  if (!check_time (due_at, TRUE, _ ("The date of the follow-up"), error)
      || !tb_text_check_size (_ ("The follow-up"), text, TB_TEXT_MAX_FOLLOW_UP,
                              error))
    return 0;
  if (!tb_engine_begin_change (self, "follow-up", contact_id, NULL, error))
    return 0;
  return end_change_id (self,
                        tb_store_add_follow_up (self->store, contact_id, due_at,
                                                text, tb_engine_now (self),
                                                error),
                        error);
}

/* The contact a follow-up is about, for the name of its change; 0 for
 * an unknown id, whose error the write itself gives. */
static gint64
follow_up_contact (TbEngine *self, gint64 id)
{
  g_autoptr (TbFollowUp) f = tb_store_get_follow_up (self->store, id, NULL);

  return f != NULL ? f->contact_id : 0;
}

gboolean
tb_engine_complete_follow_up (TbEngine *self, gint64 id, GError **error)
{
  return CHANGE (self, "follow-up done", follow_up_contact (self, id),
                 tb_store_complete_follow_up (self->store, id,
                                              tb_engine_now (self), error),
                 error);
}

gboolean
tb_engine_remove_follow_up (TbEngine *self, gint64 id, GError **error)
{
  return CHANGE (self, "follow-up rm", follow_up_contact (self, id),
                 tb_store_remove_follow_up (self->store, id, error), error);
}

gboolean
tb_engine_snooze_follow_up (TbEngine *self, gint64 id, gint64 until,
                            GError **error)
{
  gint64 end;

  if (!snooze_end (self, until, &end, error))
    return FALSE;
  return CHANGE (self, "follow-up snooze", follow_up_contact (self, id),
                 tb_store_snooze_follow_up (self->store, id, end, error),
                 error);
}

TbFollowUp *
tb_engine_get_follow_up (TbEngine *self, gint64 id, GError **error)
{
  return tb_store_get_follow_up (self->store, id, error);
}

gboolean
tb_engine_get_counts (TbEngine *self, TbStoreCounts *out, GError **error)
{
  return tb_store_get_counts (self->store, tb_engine_now (self), out, error);
}

TbChange *
tb_engine_undo (TbEngine *self, GError **error)
{
  TbChange *change = tb_store_undo (self->store, error);

  if (change != NULL)
    {
      g_info ("Undid change %" G_GINT64_FORMAT " (%s)", change->id,
              change->verb);
      tb_engine_emit_changed (self);
    }
  return change;
}

GPtrArray *
tb_engine_list_changes (TbEngine *self, guint limit, guint *total,
                        GError **error)
{
  return tb_store_list_changes (self->store, limit, total, error);
}
