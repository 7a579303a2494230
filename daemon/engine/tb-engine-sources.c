/* tb-engine-sources.c — what the sources found, written as interactions
 * (docs/design.md §12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-engine-private.h"
#include "tb-engine-sources.h"
#include "tb-error.h"
#include "tb-text.h"

/* The learned addresses live with the engine, not the configuration: a
 * reload must not lose them, and one engine serves one user. */
static GQuark
learned_quark (void)
{
  return g_quark_from_static_string ("tb-engine-learned-addresses");
}

void
tb_engine_set_learned_addresses (TbEngine *self, const char *const *addresses)
{
  g_object_set_qdata_full (G_OBJECT (self), learned_quark (),
                           g_strdupv ((char **) addresses),
                           (GDestroyNotify) g_strfreev);
}

GStrv
tb_engine_get_own_addresses (TbEngine *self)
{
  const TbConfig *config = tb_engine_get_config (self);
  const char *const *learned
      = g_object_get_qdata (G_OBJECT (self), learned_quark ());

  if (config->my_addresses != NULL && config->my_addresses[0] != NULL)
    return g_strdupv (config->my_addresses);
  return learned != NULL ? g_strdupv ((char **) learned) : g_new0 (char *, 1);
}

gboolean
tb_engine_record_found (TbEngine *self, const char *source, GPtrArray *found,
                        TbFoundResult *out, GError **error)
{
  TbStore *store = tb_engine_get_store (self);
  g_auto (GStrv) own_list = tb_engine_get_own_addresses (self);
  g_autoptr (GHashTable) own
      = tb_found_own_set ((const char *const *) own_list);
  guint before = out->logged;
  gboolean ok;

  if (found->len == 0)
    return TRUE;
  if (!tb_engine_begin_change (self, "scan", 0, source, error))
    return FALSE;
  ok = tb_store_record_found (store, found, own, tb_engine_now (self), out,
                              error);
  if (ok)
    tb_store_set_change_detail (
        store, g_variant_new_parsed ("{'logged': <%x>}",
                                     (gint64) (out->logged - before)));
  return tb_engine_end_change (self, ok, error);
}

gboolean
tb_engine_forget_source (TbEngine *self, const char *source,
                         gint64 *out_removed, GError **error)
{
  TbStore *store = tb_engine_get_store (self);
  gint64 removed = 0;
  gboolean ok;

  if (source == NULL || *source == '\0')
    {
      g_set_error_literal (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT,
                           _ ("Name a source (touchbase sources lists them)"));
      return FALSE;
    }
  if (!tb_engine_begin_change (self, "sources forget", 0, source, error))
    return FALSE;
  ok = tb_store_forget_source (store, source, &removed, error);
  if (ok)
    tb_store_set_change_detail (
        store, g_variant_new_parsed ("{'interactions': <%x>}", removed));
  if (!tb_engine_end_change (self, ok, error))
    return FALSE;
  if (out_removed != NULL)
    *out_removed = removed;
  return TRUE;
}

gboolean
tb_engine_add_contact_email (TbEngine *self, gint64 contact_id,
                             const char *email, GError **error)
{
  /* One line, no control character: as every field set over the bus. */
  g_autofree char *clean = tb_text_collapse (email);

  /* An address with a control character is refused, not repaired, as
   * AddContact's "email" (tb_email_check). */
  for (const char *p = email; p != NULL && *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return tb_email_check (email, error);
  if (!tb_email_check (clean, error))
    return FALSE;
  if (!tb_engine_begin_change (self, "edit", contact_id, NULL, error))
    return FALSE;
  return tb_engine_end_change (
      self,
      tb_store_add_contact_email (tb_engine_get_store (self), contact_id,
                                  clean != NULL ? clean : "", error),
      error);
}

gboolean
tb_engine_remove_contact_email (TbEngine *self, gint64 contact_id,
                                const char *email, GError **error)
{
  if (!tb_engine_begin_change (self, "edit", contact_id, NULL, error))
    return FALSE;
  return tb_engine_end_change (
      self,
      tb_store_remove_contact_email (tb_engine_get_store (self), contact_id,
                                     email, error),
      error);
}

GStrv
tb_engine_list_contact_emails (TbEngine *self, gint64 contact_id,
                               GError **error)
{
  return tb_store_list_contact_emails (tb_engine_get_store (self), contact_id,
                                       error);
}

GPtrArray *
tb_engine_count_by_source (TbEngine *self, GError **error)
{
  return tb_store_count_by_source (tb_engine_get_store (self), error);
}

static char *
cursor_key (const char *source)
{
  return g_strconcat ("source-cursor:", source, NULL);
}

char *
tb_engine_get_source_cursor (TbEngine *self, const char *source)
{
  g_autofree char *key = cursor_key (source);
  g_autoptr (GVariant) v
      = tb_store_get_state_variant (tb_engine_get_store (self), key);

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_dup_string (v, NULL);
}

gboolean
tb_engine_set_source_cursor (TbEngine *self, const char *source,
                             const char *cursor, GError **error)
{
  g_autofree char *key = cursor_key (source);

  return tb_store_set_state_variant (
      tb_engine_get_store (self), key,
      g_variant_new_string (cursor ? cursor : ""), error);
}
