/* tb-vcard.h — a streaming vCard 2.1/3.0/4.0 reader.
 *
 * Cards are pulled one at a time from a GInputStream, so a phone's
 * address book of any size is read in constant memory. The reader does
 * the syntax (folding, quoted-printable, parameters, groups, charsets)
 * and leaves the meaning of properties to its caller (tb-import.c).
 *
 * Binary properties (PHOTO, LOGO, SOUND, KEY) are passed over without
 * being kept, however long they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bounds that no real card reaches; they keep memory bounded when a file
 * is broken or hostile. Skipped binary properties do not count. */
#define TB_VCARD_MAX_LINE_BYTES (1024 * 1024)
#define TB_VCARD_MAX_CARD_BYTES (4 * 1024 * 1024)

typedef struct
{
  char *group;        /* (owned) (nullable): "item1" of "item1.URL" */
  char *name;         /* (owned): upper case, "EMAIL" */
  GStrv param_names;  /* (owned): upper case; a bare 2.1 parameter such as
                       * "CELL" is TYPE=CELL, and "QUOTED-PRINTABLE" is
                       * ENCODING=QUOTED-PRINTABLE; "TYPE=a,b" gives two */
  GStrv param_values; /* (owned): as written, quotes removed */
  char *value;        /* (owned): UTF-8, quoted-printable and charset
                       * decoded, but vCard escapes (\, \; \n) still in:
                       * whether ; and , separate depends on the property */
  guint line;         /* where the property starts */
} TbVCardProperty;

/* Something a real exporter got wrong that the reader put right: the
 * card is kept, and the import reports it. */
typedef struct
{
  guint line;   /* where the repaired property starts */
  char *reason; /* (owned) translated, e.g. "ORG: ... replaced by U+FFFD" */
} TbVCardRepair;

typedef struct
{
  GPtrArray *properties; /* (owned) (element-type TbVCardProperty) */
  GPtrArray *repairs;    /* (owned) (element-type TbVCardRepair) */
  guint line;            /* of BEGIN:VCARD */
} TbVCard;

typedef struct _TbVCardReader TbVCardReader;

TbVCardReader *tb_vcard_reader_new (GInputStream *stream, const char *filename);
void tb_vcard_reader_free (TbVCardReader *reader);

/* The next card (transfer full), or NULL at the end of the input (with
 * @error unset) or on an error: TB_ERROR_PARSE with a message
 * "FILE:LINE: problem" for a card without END:VCARD, text outside a
 * card, a line that is not a property and continues none, or text that
 * is not UTF-8 as written.
 *
 * Leniency, where real exporters are at fault (each noted in the card's
 * repairs): bytes that are not UTF-8 once quoted-printable or a CHARSET
 * is decoded (Android) become U+FFFD; a line inside a card that is not a
 * property right after one (Sony Ericsson breaks long values without a
 * fold) is joined to that property, as a fold would be. */
TbVCard *tb_vcard_reader_read_card (TbVCardReader *reader,
                                    GCancellable *cancellable, GError **error);

void tb_vcard_free (TbVCard *card);
void tb_vcard_property_free (TbVCardProperty *property);

/* The first property called @name (upper case), or NULL. */
TbVCardProperty *tb_vcard_get (TbVCard *card, const char *name);

/* The value of parameter @name (upper case), the first if repeated. */
const char *tb_vcard_property_get_param (TbVCardProperty *property,
                                         const char *name);

/* Whether the property has parameter @name equal to @value (ASCII
 * case-insensitive); any value when @value is NULL. */
gboolean tb_vcard_property_has_param (TbVCardProperty *property,
                                      const char *name, const char *value);

/* Whether it is preferred: TYPE=PREF (2.1/3.0) or PREF=n (4.0). */
gboolean tb_vcard_property_is_preferred (TbVCardProperty *property);

/* @text with vCard escapes resolved: "\n" and "\N" are newlines, "\," "\;"
 * "\:", "\"" (Gmail, Mac Address Book) and "\\" the character itself. */
char *tb_vcard_unescape (const char *text);

/* @text split at each unescaped @separator (';' for N and ORG, ',' for
 * CATEGORIES), each part unescaped. Never NULL. */
GStrv tb_vcard_split (const char *text, char separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbVCardReader, tb_vcard_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbVCard, tb_vcard_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbVCardProperty, tb_vcard_property_free)

G_END_DECLS
