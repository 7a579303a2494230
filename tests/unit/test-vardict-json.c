/* test-vardict-json.c — the daemon's a{sv} records as the JSON of docs/design.md §5.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-vardict-json"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tb-vardict-json.h"

/* 2026-11-28T09:30:00Z */
#define T_2026_11_28 ((gint64) 1795858200)

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static char *
to_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
test_key_is_time (void)
{
  g_assert_true (tb_vardict_key_is_time ("due_at"));
  g_assert_true (tb_vardict_key_is_time ("at"));
  g_assert_true (tb_vardict_key_is_time ("snoozed_until"));
  g_assert_true (tb_vardict_key_is_time ("connected_on"));
  g_assert_true (tb_vardict_key_is_time ("next_wakeup"));
  g_assert_true (tb_vardict_key_is_time ("caldav_last_success"));
  g_assert_false (tb_vardict_key_is_time ("id"));
  g_assert_false (tb_vardict_key_is_time ("interval_seconds"));
  g_assert_false (tb_vardict_key_is_time ("contacts"));
  g_assert_false (tb_vardict_key_is_time ("name"));
}

static void
test_times_rfc3339 (void)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) v = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *o;

  g_variant_dict_insert (&dict, "due_at", "x", T_2026_11_28);
  g_variant_dict_insert (&dict, "connected_on", "x", T_2026_11_28 - 86400);
  g_variant_dict_insert (&dict, "next_wakeup", "x", T_2026_11_28);
  g_variant_dict_insert (&dict, "snoozed_until", "x", (gint64) 0);
  g_variant_dict_insert (&dict, "interval_seconds", "x", (gint64) 2592000);
  v = g_variant_ref_sink (g_variant_dict_end (&dict));

  node = tb_vardict_to_json (v);
  o = object_of (node);
  g_assert_cmpstr (json_object_get_string_member (o, "due_at"), ==,
                   "2026-11-28T09:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "connected_on"), ==,
                   "2026-11-27T09:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "next_wakeup"), ==,
                   "2026-11-28T09:30:00Z");
  /* An unset time that slipped through is null, not 1970. */
  g_assert_true (json_object_get_null_member (o, "snoozed_until"));
  /* Durations stay numbers. */
  g_assert_cmpint (json_object_get_int_member (o, "interval_seconds"), ==,
                   2592000);
}

static void
test_types (void)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (
      "{'name': <'Zoë'>, 'paused': <true>, 'score': <0.5>, "
      "'tags': <['a', 'b']>, 'count': <uint32 3>, "
      "'facts': <[('goal', 'seed round')]>, 'nested': <<int64 7>>}"));
  g_autoptr (JsonNode) node = tb_vardict_to_json (v);
  JsonObject *o = object_of (node);
  JsonArray *tags;
  JsonArray *facts;

  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Zoë");
  g_assert_true (json_object_get_boolean_member (o, "paused"));
  g_assert_cmpfloat (json_object_get_double_member (o, "score"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (o, "count"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "nested"), ==, 7);
  tags = json_object_get_array_member (o, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "b");
  /* A tuple becomes an array. */
  facts = json_object_get_array_member (o, "facts");
  g_assert_cmpuint (json_array_get_length (facts), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (
                       json_array_get_array_element (facts, 0), 1),
                   ==, "seed round");
}

static void
test_contact_required_keys (void)
{
  static const char *const nulls[] = {
    "uid",
    "email",
    "url",
    "company",
    "position",
    "interval_seconds",
    "due_at",
    "last_interaction_at",
    "last_conversation_at",
    "snoozed_until",
    "connected_on",
    "source",
  };
  g_autoptr (GVariant) v = g_variant_ref_sink (
      g_variant_new_parsed ("{'id': <int64 12>, 'name': <'Ana Silva'>, "
                            "'phone': <'+351 1'>}"));
  g_autoptr (JsonNode) node = tb_vardict_contact_to_json (v);
  JsonObject *o = object_of (node);

  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Ana Silva");
  /* Keys the daemon sends beyond the required ones are kept. */
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "+351 1");
  for (guint i = 0; i < G_N_ELEMENTS (nulls); i++)
    {
      g_test_message ("key %s", nulls[i]);
      g_assert_true (json_object_has_member (o, nulls[i]));
      g_assert_true (json_object_get_null_member (o, nulls[i]));
    }
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "tags")));
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (o, "tags")), ==, 0);
  g_assert_false (json_object_get_boolean_member (o, "paused"));
}

static void
test_contact_present_keys_kept (void)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (
      "{'id': <int64 3>, 'name': <'Bo'>, 'paused': <true>, "
      "'tags': <['work']>, 'last_conversation_at': <int64 1795858200>}"));
  g_autoptr (JsonNode) node = tb_vardict_contact_to_json (v);
  JsonObject *o = object_of (node);

  g_assert_true (json_object_get_boolean_member (o, "paused"));
  g_assert_cmpstr (json_array_get_string_element (
                       json_object_get_array_member (o, "tags"), 0),
                   ==, "work");
  g_assert_cmpstr (json_object_get_string_member (o, "last_conversation_at"),
                   ==, "2026-11-28T09:30:00Z");
}

static void
test_nested_records (void)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (
      "{'id': <int64 1>, 'name': <'Ana'>, "
      "'facts': <[{'id': <int64 4>, 'kind': <'goal'>, 'text': <'<i>&'>}]>, "
      "'interactions': <[{'id': <int64 9>, 'at': <int64 1795858200>, "
      "'kind': <'call'>, 'note': <''>}, "
      "{'id': <int64 8>, 'at': <int64 1795771800>, 'kind': <'email'>}]>, "
      "'follow_ups': <[{'id': <int64 2>, 'due_at': <int64 1795858200>, "
      "'text': <'deck'>}]>}"));
  g_autoptr (JsonNode) node = tb_vardict_contact_to_json (v);
  JsonObject *o = object_of (node);
  JsonArray *facts = json_object_get_array_member (o, "facts");
  JsonArray *interactions = json_object_get_array_member (o, "interactions");
  JsonArray *follow_ups = json_object_get_array_member (o, "follow_ups");
  JsonObject *fact;
  JsonObject *first;

  g_assert_cmpuint (json_array_get_length (facts), ==, 1);
  fact = json_array_get_object_element (facts, 0);
  g_assert_cmpint (json_object_get_int_member (fact, "id"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (fact, "kind"), ==, "goal");
  g_assert_cmpstr (json_object_get_string_member (fact, "text"), ==, "<i>&");

  g_assert_cmpuint (json_array_get_length (interactions), ==, 2);
  first = json_array_get_object_element (interactions, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "at"), ==,
                   "2026-11-28T09:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (interactions, 1), "at"),
                   ==, "2026-11-27T09:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (follow_ups, 0), "due_at"),
                   ==, "2026-11-28T09:30:00Z");
}

static void
test_list (void)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (
      "[{'id': <int64 1>, 'name': <'A'>}, {'id': <int64 2>, 'name': <'B'>}]"));
  g_autoptr (GVariant) empty
      = g_variant_ref_sink (g_variant_new_parsed ("@aa{sv} []"));
  g_autoptr (JsonNode) node
      = tb_vardict_list_to_json (v, tb_vardict_contact_to_json);
  g_autoptr (JsonNode) empty_node = tb_vardict_list_to_json (empty, NULL);
  g_autofree char *empty_text = to_text (empty_node);
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpint (json_object_get_int_member (
                       json_array_get_object_element (array, 1), "id"),
                   ==, 2);
  g_assert_true (json_object_has_member (
      json_array_get_object_element (array, 1), "due_at"));
  g_assert_cmpstr (empty_text, ==, "[]");
}

static void
test_intro (void)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (
      "[{'a_id': <int64 1>, 'a_name': <'Ana'>, 'b_id': <int64 2>, "
      "'b_name': <'Zoë'>, 'reason': <'Ana needs a designer; Zoë offers "
      "design'>, 'score': <0.75>}]"));
  g_autoptr (JsonNode) node
      = tb_vardict_list_to_json (v, tb_vardict_intro_to_json);
  JsonObject *o = json_array_get_object_element (json_node_get_array (node), 0);
  JsonObject *a = json_object_get_object_member (o, "a");
  JsonObject *b = json_object_get_object_member (o, "b");

  g_assert_cmpint (json_object_get_int_member (a, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (a, "name"), ==, "Ana");
  g_assert_cmpint (json_object_get_int_member (b, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (b, "name"), ==, "Zoë");
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==,
                   "Ana needs a designer; Zoë offers design");
  g_assert_cmpfloat (json_object_get_double_member (o, "score"), ==, 0.75);
  /* The daemon's flat keys don't leak into the output. */
  g_assert_false (json_object_has_member (o, "a_id"));
  g_assert_false (json_object_has_member (o, "b_name"));
  g_assert_cmpuint (json_object_get_size (o), ==, 4);
}

static void
test_stats_nested_tags (void)
{
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (
      "{'contacts': <int64 10>, 'never_talked': <int64 7>, "
      "'tags': <[{'tag': <'work'>, 'contacts': <int64 4>}]>}"));
  g_autoptr (JsonNode) node = tb_vardict_to_json (v);
  JsonObject *o = object_of (node);
  JsonObject *tag = json_array_get_object_element (
      json_object_get_array_member (o, "tags"), 0);

  g_assert_cmpint (json_object_get_int_member (o, "contacts"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (o, "never_talked"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (tag, "tag"), ==, "work");
  g_assert_cmpint (json_object_get_int_member (tag, "contacts"), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vardict-json/key-is-time", test_key_is_time);
  g_test_add_func ("/vardict-json/times-rfc3339", test_times_rfc3339);
  g_test_add_func ("/vardict-json/types", test_types);
  g_test_add_func ("/vardict-json/contact/required-keys",
                   test_contact_required_keys);
  g_test_add_func ("/vardict-json/contact/present-keys-kept",
                   test_contact_present_keys_kept);
  g_test_add_func ("/vardict-json/contact/nested", test_nested_records);
  g_test_add_func ("/vardict-json/list", test_list);
  g_test_add_func ("/vardict-json/intro", test_intro);
  g_test_add_func ("/vardict-json/stats-nested-tags", test_stats_nested_tags);
  return g_test_run ();
}
