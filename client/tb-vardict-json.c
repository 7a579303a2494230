/* tb-vardict-json.c — a{sv} records to JSON, with times as RFC 3339.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-vardict-json"

#include "config.h"

#include "tb-time.h"
#include "tb-vardict-json.h"

/* docs/design.md §5: keys every JSON contact carries, set or not. */
static const char *const contact_required_keys[] = {
  "id",
  "uid",
  "name",
  "email",
  "url",
  "company",
  "position",
  "tags",
  "interval_seconds",
  "due_at",
  "last_interaction_at",
  "last_conversation_at",
  "snoozed_until",
  "connected_on",
  "paused",
  "tracking",
  "source",
};

gboolean
tb_vardict_key_is_time (const char *key)
{
  static const char *const exact[]
      = { "at", "next_wakeup", "caldav_last_success" };

  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    if (g_str_equal (key, exact[i]))
      return TRUE;
  return g_str_has_suffix (key, "_at") || g_str_has_suffix (key, "_until")
         || g_str_has_suffix (key, "_on");
}

static gboolean
variant_get_integer (GVariant *value, gint64 *out)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    *out = g_variant_get_int64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    *out = (gint64) MIN (g_variant_get_uint64 (value), (guint64) G_MAXINT64);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    *out = g_variant_get_uint32 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT16))
    *out = g_variant_get_int16 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT16))
    *out = g_variant_get_uint16 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTE))
    *out = g_variant_get_byte (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_HANDLE))
    *out = g_variant_get_handle (value);
  else
    return FALSE;
  return TRUE;
}

static JsonNode *
time_to_json (gint64 t)
{
  g_autofree char *text = NULL;

  /* Unset times are normally absent; a 0 that slips through means the
   * same and must not show up as 1970. */
  if (t <= 0)
    return json_node_init_null (json_node_alloc ());
  text = tb_time_format_rfc3339 (t);
  if (text == NULL)
    return json_node_init_null (json_node_alloc ());
  return json_node_init_string (json_node_alloc (), text);
}

static JsonNode *
dict_to_json (GVariant *dict)
{
  g_autoptr (JsonObject) object = json_object_new ();
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&s@*}", &key, &value))
    {
      g_autoptr (GVariant) inner = value;
      gint64 t;

      while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
        {
          GVariant *unboxed = g_variant_get_variant (inner);

          g_variant_unref (inner);
          inner = unboxed;
        }

      if (tb_vardict_key_is_time (key) && variant_get_integer (inner, &t))
        json_object_set_member (object, key, time_to_json (t));
      else
        json_object_set_member (object, key, tb_variant_to_json (inner));
    }
  return json_node_init_object (json_node_alloc (), object);
}

static gboolean
is_string_keyed_dict (GVariant *value)
{
  const GVariantType *type = g_variant_get_type (value);

  if (!g_variant_type_is_array (type))
    return FALSE;
  type = g_variant_type_element (type);
  return g_variant_type_is_dict_entry (type)
         && g_variant_type_equal (g_variant_type_key (type),
                                  G_VARIANT_TYPE_STRING);
}

JsonNode *
tb_variant_to_json (GVariant *value)
{
  JsonNode *node = json_node_alloc ();
  gint64 n;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return json_node_init_boolean (node, g_variant_get_boolean (value));
  if (variant_get_integer (value, &n))
    return json_node_init_int (node, n);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return json_node_init_double (node, g_variant_get_double (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
      || g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH)
      || g_variant_is_of_type (value, G_VARIANT_TYPE_SIGNATURE))
    return json_node_init_string (node, g_variant_get_string (value, NULL));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr (GVariant) inner = g_variant_get_variant (value);

      json_node_free (node);
      return tb_variant_to_json (inner);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    {
      g_autoptr (GVariant) inner = g_variant_get_maybe (value);

      if (inner == NULL)
        return json_node_init_null (node);
      json_node_free (node);
      return tb_variant_to_json (inner);
    }
  if (is_string_keyed_dict (value))
    {
      json_node_free (node);
      return dict_to_json (value);
    }
  if (g_variant_is_container (value))
    {
      g_autoptr (JsonArray) array = json_array_new ();
      gsize len = g_variant_n_children (value);

      for (gsize i = 0; i < len; i++)
        {
          g_autoptr (GVariant) child = g_variant_get_child_value (value, i);

          json_array_add_element (array, tb_variant_to_json (child));
        }
      return json_node_init_array (node, array);
    }

  /* Every basic type is handled above; this is for types D-Bus can't
   * carry, so a future one degrades to text rather than crash. */
  {
    g_autofree char *text = g_variant_print (value, FALSE);

    return json_node_init_string (node, text);
  }
}

JsonNode *
tb_vardict_to_json (GVariant *dict)
{
  g_return_val_if_fail (dict != NULL, NULL);
  g_return_val_if_fail (is_string_keyed_dict (dict), NULL);

  return dict_to_json (dict);
}

JsonNode *
tb_vardict_list_to_json (GVariant *list, JsonNode *(*convert) (GVariant *dict))
{
  g_autoptr (JsonArray) array = json_array_new ();
  gsize len;

  g_return_val_if_fail (list != NULL, NULL);

  if (convert == NULL)
    convert = tb_vardict_to_json;

  len = g_variant_n_children (list);
  for (gsize i = 0; i < len; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (list, i);

      json_array_add_element (array, convert (child));
    }
  return json_node_init_array (json_node_alloc (), array);
}

JsonNode *
tb_vardict_contact_to_json (GVariant *dict)
{
  JsonNode *node = tb_vardict_to_json (dict);
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);

  object = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (contact_required_keys); i++)
    {
      const char *key = contact_required_keys[i];

      if (json_object_has_member (object, key))
        continue;
      /* An empty list and "not paused" are what an absent value means for
       * these two; null would make every consumer special-case them. */
      if (g_str_equal (key, "tags"))
        json_object_set_array_member (object, key, json_array_new ());
      else if (g_str_equal (key, "paused"))
        json_object_set_boolean_member (object, key, FALSE);
      else
        json_object_set_null_member (object, key);
    }
  return node;
}

static JsonNode *
intro_side (GVariantDict *dict, const char *id_key, const char *name_key)
{
  g_autoptr (JsonObject) side = json_object_new ();
  gint64 id;
  const char *name;

  if (g_variant_dict_lookup (dict, id_key, "x", &id))
    json_object_set_int_member (side, "id", id);
  else
    json_object_set_null_member (side, "id");
  if (g_variant_dict_lookup (dict, name_key, "&s", &name))
    json_object_set_string_member (side, "name", name);
  else
    json_object_set_null_member (side, "name");
  return json_node_init_object (json_node_alloc (), side);
}

JsonNode *
tb_vardict_intro_to_json (GVariant *dict)
{
  g_autoptr (GVariantDict) d = g_variant_dict_new (dict);
  g_autoptr (JsonObject) object = json_object_new ();
  const char *reason;
  double score;

  json_object_set_member (object, "a", intro_side (d, "a_id", "a_name"));
  json_object_set_member (object, "b", intro_side (d, "b_id", "b_name"));
  if (g_variant_dict_lookup (d, "reason", "&s", &reason))
    json_object_set_string_member (object, "reason", reason);
  else
    json_object_set_null_member (object, "reason");
  if (g_variant_dict_lookup (d, "score", "d", &score))
    json_object_set_double_member (object, "score", score);
  else
    json_object_set_null_member (object, "score");
  return json_node_init_object (json_node_alloc (), object);
}
