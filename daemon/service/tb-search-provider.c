/* tb-search-provider.c — org.gnome.Shell.SearchProvider2: what typing a
 * name or a company in the GNOME Shell overview shows, and what clicking
 * a result does.
 *
 * The Shell calls on every key press and waits for the answer, so a
 * result set is bounded (TB_SEARCH_PROVIDER_MAX_RESULTS) and comes from
 * the same indexes as MatchContacts and SearchContacts. Anything on the
 * bus may call these methods: terms and ids are untrusted, and odd ones
 * give no results or a typed error, never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-search"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-actions.h"
#include "tb-error.h"
#include "tb-search-provider-generated.h"
#include "tb-search-provider.h"
#include "tb-service-private.h"
#include "tb-time.h"

/* How many ids GetResultMetas looks at: the Shell asks for the few it
 * shows. */
#define MAX_METAS 100
/* The terms, joined, are a name query: longer ones are refused by the
 * store anyway. */
#define MAX_QUERY_BYTES 1024

struct _TbSearchProvider
{
  TbSearchProvider2 *skeleton; /* (owned) */
  TbEngine *engine;            /* (owned) */
};

/* The terms joined by spaces, or NULL when they are none, all blank, or
 * too long to be anyone's name. */
static char *
join_terms (const char *const *terms)
{
  g_autofree char *joined = NULL;

  if (terms == NULL || terms[0] == NULL)
    return NULL;
  joined = g_strjoinv (" ", (char **) terms);
  g_strstrip (joined);
  if (*joined == '\0' || strlen (joined) > MAX_QUERY_BYTES
      || !g_utf8_validate (joined, -1, NULL))
    return NULL;
  return g_steal_pointer (&joined);
}

static void
add_contact_id (GPtrArray *ids, GHashTable *seen, gint64 id)
{
  if (ids->len >= TB_SEARCH_PROVIDER_MAX_RESULTS
      || g_hash_table_contains (seen, &id))
    return;
  g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
  g_ptr_array_add (ids, g_strdup_printf ("contact:%" G_GINT64_FORMAT, id));
}

/* The ids for @terms: names first, then the full-text search (company,
 * position, notes), the best contact's "log:" second. NULL-terminated. */
static GPtrArray *
result_set (TbSearchProvider *provider, const char *const *terms)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *query = join_terms (terms);
  g_autoptr (GPtrArray) named = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  guint total = 0;

  if (query != NULL)
    {
      named = tb_engine_match_contacts (provider->engine, query,
                                        TB_SEARCH_PROVIDER_MAX_RESULTS, &total,
                                        &error);
      if (named == NULL)
        g_debug ("No name matches for the overview: %s", error->message);
      for (guint i = 0; named != NULL && i < named->len; i++)
        {
          TbNameCandidate *c = g_ptr_array_index (named, i);

          add_contact_id (ids, seen, c->contact->id);
        }
      g_clear_error (&error);
      found = tb_engine_search_contacts (provider->engine, query,
                                         TB_SEARCH_PROVIDER_MAX_RESULTS, &total,
                                         &error);
      if (found == NULL)
        g_debug ("No search matches for the overview: %s", error->message);
      for (guint i = 0; found != NULL && i < found->len; i++)
        add_contact_id (ids, seen,
                        ((TbContact *) g_ptr_array_index (found, i))->id);
    }
  if (ids->len > 0)
    {
      const char *best = g_ptr_array_index (ids, 0);

      g_ptr_array_insert (
          ids, 1, g_strconcat ("log:", best + strlen ("contact:"), NULL));
      if (ids->len > TB_SEARCH_PROVIDER_MAX_RESULTS)
        g_ptr_array_set_size (ids, TB_SEARCH_PROVIDER_MAX_RESULTS);
    }
  g_ptr_array_add (ids, NULL);
  return g_steal_pointer (&ids);
}

static gboolean
handle_get_initial_result_set (TbSearchProvider2 *skeleton,
                               GDBusMethodInvocation *invocation,
                               const char *const *terms, gpointer user_data)
{
  g_autoptr (GPtrArray) ids = result_set (user_data, terms);

  tb_search_provider2_complete_get_initial_result_set (
      skeleton, invocation, (const char *const *) ids->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_subsearch_result_set (TbSearchProvider2 *skeleton,
                                 GDBusMethodInvocation *invocation,
                                 const char *const *previous,
                                 const char *const *terms, gpointer user_data)
{
  /* Searching afresh costs what filtering the previous set would, and a
   * company match may come in with the longer term. */
  g_autoptr (GPtrArray) ids = result_set (user_data, terms);

  tb_search_provider2_complete_get_subsearch_result_set (
      skeleton, invocation, (const char *const *) ids->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

typedef enum
{
  RESULT_CONTACT,
  RESULT_LOG,
} ResultKind;

/* "contact:42" or "log:42"; FALSE with INVALID_ARGUMENT otherwise. */
static gboolean
parse_id (const char *identifier, ResultKind *kind, gint64 *id, GError **error)
{
  const char *number = NULL;
  guint64 v;

  if (g_str_has_prefix (identifier, "contact:"))
    {
      *kind = RESULT_CONTACT;
      number = identifier + strlen ("contact:");
    }
  else if (g_str_has_prefix (identifier, "log:"))
    {
      *kind = RESULT_LOG;
      number = identifier + strlen ("log:");
    }
  if (number == NULL
      || !g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT64, &v, NULL))
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("Not a search result of touchbase"));
      return FALSE;
    }
  *id = (gint64) v;
  return TRUE;
}

/* "Acme · last talked 3 weeks ago · due in 2 days". */
static char *
describe (TbSearchProvider *provider, const TbContact *c)
{
  GTimeZone *tz = tb_engine_get_time_zone (provider->engine);
  gint64 now = tb_engine_now (provider->engine);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (c->company != NULL && *c->company != '\0')
    g_ptr_array_add (parts, g_strdup (c->company));
  if (c->last_conversation_at > 0)
    {
      g_autofree char *when
          = tb_time_format_relative (c->last_conversation_at, now, tz);

      /* Translators: "last talked 3 weeks ago". */
      g_ptr_array_add (parts, g_strdup_printf (_ ("last talked %s"), when));
    }
  else
    g_ptr_array_add (parts, g_strdup (_ ("never talked")));
  if (c->paused)
    g_ptr_array_add (parts, g_strdup (_ ("paused")));
  else if (c->due_at > 0 && c->tracking == TB_TRACKING_TRACKED)
    {
      g_autofree char *when = tb_time_format_relative (c->due_at, now, tz);

      /* Translators: "due in 2 days", "due 3 days ago", "due today". */
      g_ptr_array_add (parts, g_strdup_printf (_ ("due %s"), when));
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GVariant *
meta (TbSearchProvider *provider, const char *identifier)
{
  g_autoptr (TbContact) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *name = NULL;
  GVariantBuilder b;
  ResultKind kind;
  gint64 id;

  if (!parse_id (identifier, &kind, &id, NULL))
    return NULL;
  c = tb_engine_get_contact (provider->engine, id, &error);
  if (c == NULL)
    return NULL;
  if (kind == RESULT_LOG)
    {
      /* Translators: a search result that logs an interaction. */
      name = g_strdup_printf (_ ("Log talking to %s now"), c->name);
      description = g_strdup (
          _ ("Marks that you were in touch today; touchbase undo takes it "
             "back"));
    }
  else
    {
      name = g_strdup (c->name);
      description = describe (provider, c);
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (identifier));
  g_variant_builder_add (&b, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&b, "{sv}", "description",
                         g_variant_new_string (description));
  return g_variant_builder_end (&b);
}

static gboolean
handle_get_result_metas (TbSearchProvider2 *skeleton,
                         GDBusMethodInvocation *invocation,
                         const char *const *identifiers, gpointer user_data)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; identifiers[i] != NULL && i < MAX_METAS; i++)
    {
      GVariant *m = meta (user_data, identifiers[i]);

      if (m != NULL)
        g_variant_builder_add_value (&b, m);
    }
  tb_search_provider2_complete_get_result_metas (skeleton, invocation,
                                                 g_variant_builder_end (&b));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_activate_result (TbSearchProvider2 *skeleton,
                        GDBusMethodInvocation *invocation,
                        const char *identifier, const char *const *terms,
                        guint timestamp, gpointer user_data)
{
  TbSearchProvider *provider = user_data;
  GError *error = NULL;
  ResultKind kind;
  gboolean ok;
  gint64 id;

  if (!parse_id (identifier, &kind, &id, &error))
    return tb_service_fail (invocation, error);
  if (kind == RESULT_LOG)
    {
      const TbConfig *config = tb_engine_get_config (provider->engine);

      /* As the "Done" button of a reminder: the kind it is configured
       * to log, and a note that says where it came from. */
      ok = tb_engine_log_interaction (
               provider->engine, id,
               tb_interaction_kind_to_string (config->done_kind),
               tb_engine_now (provider->engine), "From the GNOME search",
               &error)
           != 0;
    }
  else
    ok = tb_actions_open_contact (provider->engine, id, &error);
  if (!ok)
    return tb_service_fail (invocation, error);
  tb_search_provider2_complete_activate_result (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_launch_search (TbSearchProvider2 *skeleton,
                      GDBusMethodInvocation *invocation,
                      const char *const *terms, guint timestamp,
                      gpointer user_data)
{
  TbSearchProvider *provider = user_data;
  GError *error = NULL;

  if (!tb_actions_open_report (provider->engine, &error))
    return tb_service_fail (invocation, error);
  tb_search_provider2_complete_launch_search (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

TbSearchProvider *
tb_search_provider_new (TbEngine *engine)
{
  TbSearchProvider *provider = g_new0 (TbSearchProvider, 1);

  provider->engine = g_object_ref (engine);
  provider->skeleton = tb_search_provider2_skeleton_new ();
  g_signal_connect (provider->skeleton, "handle-get-initial-result-set",
                    G_CALLBACK (handle_get_initial_result_set), provider);
  g_signal_connect (provider->skeleton, "handle-get-subsearch-result-set",
                    G_CALLBACK (handle_get_subsearch_result_set), provider);
  g_signal_connect (provider->skeleton, "handle-get-result-metas",
                    G_CALLBACK (handle_get_result_metas), provider);
  g_signal_connect (provider->skeleton, "handle-activate-result",
                    G_CALLBACK (handle_activate_result), provider);
  g_signal_connect (provider->skeleton, "handle-launch-search",
                    G_CALLBACK (handle_launch_search), provider);
  return provider;
}

gboolean
tb_search_provider_export (TbSearchProvider *provider,
                           GDBusConnection *connection, GError **error)
{
  return g_dbus_interface_skeleton_export (
      G_DBUS_INTERFACE_SKELETON (provider->skeleton), connection,
      TB_SEARCH_PROVIDER_PATH, error);
}

void
tb_search_provider_free (TbSearchProvider *provider)
{
  if (provider == NULL)
    return;
  g_dbus_interface_skeleton_unexport (
      G_DBUS_INTERFACE_SKELETON (provider->skeleton));
  g_clear_object (&provider->skeleton);
  g_clear_object (&provider->engine);
  g_free (provider);
}
