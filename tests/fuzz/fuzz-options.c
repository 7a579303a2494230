/* fuzz-options.c — libFuzzer harness for what the D-Bus adapter reads out
 * of an a{sv} any peer can send: the options checker (with the tables of
 * Import, ListContacts' filter and the "limit" of the listing methods)
 * and the fields of AddContact and UpdateContact (tb_vardict_to_contact).
 *
 * The input is the serialised a{sv} (GVariant's own format, which is what
 * GDBus hands the handler once it has checked the message); as GDBus
 * does, it is brought to its normal form first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tb-contact.h"
#include "tb-service-private.h"
#include "tb-vardict.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const TbServiceOption import_options[] = {
  { "filename", "s" },
  { "tag", "s" },
  { "dry_run", "b" },
  { "interval_seconds", "x" },
};
static const TbServiceOption filter_options[] = {
  { "tag", "s" },      { "due", "b" },   { "never", "b" },
  { "tracking", "s" }, { "limit", "u" },
};
static const TbServiceOption limit_options[] = { { "limit", "u" } };

/* What the checker must have decided, worked out the slow way. */
static gboolean
options_ok (GVariant *dict, const TbServiceOption *known, guint n)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      gboolean ok = FALSE;

      for (guint i = 0; i < n; i++)
        if (strcmp (key, known[i].key) == 0)
          ok = g_variant_is_of_type (value, G_VARIANT_TYPE (known[i].type));
      g_variant_unref (value);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
check_options (GVariant *dict, const TbServiceOption *known, guint n)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = tb_service_check_options (dict, known, n, &error);

  g_assert (ok == options_ok (dict, known, n));
  g_assert (ok == (error == NULL));
  if (!ok)
    {
      g_assert (g_error_matches (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT));
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
check_limit (GVariant *dict)
{
  g_autoptr (GError) error = NULL;
  guint limit = 20;

  if (tb_service_read_limit (dict, limit_options, G_N_ELEMENTS (limit_options),
                             1000, &limit, &error))
    g_assert (limit >= 1 && limit <= 1000);
  else
    g_assert (g_error_matches (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT));
}

/* No control character reaches a stored field but a note's (and how
 * you met's) layout: line breaks and tabs (tb_text_strip). */
static void
check_text (const char *text, gboolean lines)
{
  if (text == NULL)
    return;
  g_assert (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (lines && (c == '\n' || c == '\r' || c == '\t'))
        continue;
      g_assert (c >= 0x20 && c != 0x7f);
    }
}

static void
check_contact (GVariant *dict)
{
  g_autoptr (TbContact) contact = tb_contact_new ();
  g_autoptr (GError) error = NULL;
  TbFieldMask mask = 0;

  if (!tb_vardict_to_contact (dict, contact, &mask, &error))
    {
      g_assert (error != NULL);
      g_assert (g_error_matches (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT));
      return;
    }
  g_assert (error == NULL);
  check_text (contact->name, FALSE);
  check_text (contact->email, FALSE);
  check_text (contact->phone, FALSE);
  check_text (contact->url, FALSE);
  check_text (contact->company, FALSE);
  check_text (contact->position, FALSE);
  check_text (contact->note, TRUE);
  check_text (contact->met, TRUE);
  g_assert (contact->interval >= 0);
  if (contact->birthday != NULL && *contact->birthday != '\0')
    g_assert (strlen (contact->birthday) == 10
              || strlen (contact->birthday) == 7);
  for (guint i = 0; contact->facts != NULL && i < contact->facts->len; i++)
    g_assert (((TbFact *) g_ptr_array_index (contact->facts, i))->text != NULL);
  /* Whatever was read can be checked and sent back. */
  if (!tb_contact_check_sizes (contact, &error))
    g_assert (g_error_matches (error, TB_ERROR, TB_ERROR_INVALID_ARGUMENT));
  g_variant_unref (g_variant_ref_sink (tb_vardict_from_contact (contact)));
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GVariant) raw = NULL;
  g_autoptr (GVariant) dict = NULL;

  fuzz_init ();
  raw = g_variant_ref_sink (
      g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  dict = g_variant_get_normal_form (raw);
  g_assert (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT));

  check_options (dict, import_options, G_N_ELEMENTS (import_options));
  check_options (dict, filter_options, G_N_ELEMENTS (filter_options));
  check_options (dict, limit_options, G_N_ELEMENTS (limit_options));
  check_options (dict, NULL, 0);
  check_limit (dict);
  check_contact (dict);
  return 0;
}
