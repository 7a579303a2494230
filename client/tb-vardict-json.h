/* tb-vardict-json.h — the daemon's a{sv} records as the JSON of
 * docs/design.md §5. Pure functions: no bus, so tests feed them GVariants.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Whether an int64 value under @key is a time (Unix seconds) that JSON
 * shows as an RFC 3339 string: "at", "*_at", "*_until", "*_on",
 * "next_wakeup", "caldav_last_success". */
gboolean tb_vardict_key_is_time (const char *key);

/* Any GVariant as JSON: booleans, numbers, strings, arrays (of any type;
 * "as" included), dictionaries a{sv} as objects, tuples as arrays,
 * maybes as null or their value. Inside dictionaries, int64 times become
 * RFC 3339 strings (0 or less: null). */
JsonNode *tb_variant_to_json (GVariant *value);

/* One a{sv} record as a JSON object, converted like tb_variant_to_json. */
JsonNode *tb_vardict_to_json (GVariant *dict);

/* An aa{sv} as a JSON array of objects, each passed through @convert
 * (tb_vardict_to_json when NULL). */
JsonNode *tb_vardict_list_to_json (GVariant *list,
                                   JsonNode *(*convert) (GVariant *dict));

/* A contact record: tb_vardict_to_json plus the keys docs/design.md §5 requires
 * on every contact, present even when the daemon left them out (it omits
 * unset values): null, except "tags" ([]) and "paused" (false). */
JsonNode *tb_vardict_contact_to_json (GVariant *dict);

/* A SuggestIntros record (a_id, a_name, b_id, b_name, reason, score) as
 * {"a": {"id", "name"}, "b": {"id", "name"}, "reason", "score"}. */
JsonNode *tb_vardict_intro_to_json (GVariant *dict);

G_END_DECLS
