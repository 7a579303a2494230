/* tb-export-contacts.c — contacts as vCard 4.0 and as CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-export-contacts.h"
#include "tb-store-private.h"
#include "tb-time.h"

/* vCard. */

static void
append_escaped (GString *out, const char *text)
{
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case ',':
            g_string_append (out, "\\,");
            break;
          case ';':
            g_string_append (out, "\\;");
            break;
          case '\r':
            if (p[1] == '\n')
              p++;
            g_string_append (out, "\\n");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          default:
            g_string_append_c (out, *p);
        }
    }
}

/* Appends @line folded at 75 octets (RFC 6350 §3.2), then CRLF. */
static void
append_folded (GString *out, const char *line)
{
  gsize len = strlen (line);
  gsize start = 0;
  gsize limit = 75;

  while (len - start > limit)
    {
      gsize cut = start + limit;

      /* Back up to the start of a UTF-8 character. */
      while (cut > start && ((guchar) line[cut] & 0xc0) == 0x80)
        cut--;
      g_string_append_len (out, line + start, (gssize) (cut - start));
      g_string_append (out, "\r\n ");
      start = cut;
      limit = 74; /* the leading space counts */
    }
  g_string_append (out, line + start);
  g_string_append (out, "\r\n");
}

static void
add_text (GString *card, const char *name, const char *value)
{
  g_autoptr (GString) line = NULL;

  if (value == NULL || *value == '\0')
    return;
  line = g_string_new (name);
  g_string_append_c (line, ':');
  append_escaped (line, value);
  append_folded (card, line->str);
}

/* Whether @word, without a final '.', is one of @list, in any case. */
static gboolean
word_in (const char *word, const char *const *list)
{
  gsize len = strlen (word);

  if (len > 1 && word[len - 1] == '.')
    len--;
  for (guint i = 0; list[i]; i++)
    if (strlen (list[i]) == len
        && g_ascii_strncasecmp (word, list[i], len) == 0)
      return TRUE;
  return FALSE;
}

static const char *const name_prefixes[]
    = { "dr", "mr", "mrs", "ms", "mx", "prof", "rev", "sir", "dame", NULL };
static const char *const name_suffixes[]
    = { "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", NULL };
/* Lower-case words that belong to the family name that follows them:
 * "Ludwig van Beethoven" is N:van Beethoven;Ludwig. */
static const char *const family_particles[]
    = { "van", "von", "de",  "da",  "di",  "del", "della",
        "der", "den", "du",  "dos", "das", "le",  "la",
        "ter", "ten", "bin", "ibn", "al",  "zu",  NULL };

static void
append_words (GString *out, char **words, guint from, guint to,
              const char *separator)
{
  for (guint i = from; i < to; i++)
    {
      if (i > from)
        g_string_append (out, separator);
      append_escaped (out, words[i]);
    }
}

/* Appends the vCard N value (family;given;additional;prefix;suffix) for
 * touchbase's one @name. What cannot be told apart stays in the given
 * name: a family name guessed wrongly is worse than none. A comma is
 * either the start of suffixes ("José Ñúñez, Jr.") or the end of a
 * family name written first ("Ñúñez, José"); never part of a name. */
static void
append_structured_name (GString *line, const char *name)
{
  g_autofree char *head = g_strdup (name);
  char *comma = strchr (head, ',');
  g_auto (GStrv) tail = NULL;
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  g_auto (GStrv) split = NULL;
  gboolean tail_is_suffixes = FALSE;
  guint first = 0;
  guint last;
  guint family;

  if (comma != NULL)
    {
      *comma = '\0';
      tail = g_strsplit (comma + 1, ",", -1);
      tail_is_suffixes = TRUE;
      for (guint i = 0; tail[i]; i++)
        {
          g_strstrip (tail[i]);
          if (!word_in (tail[i], name_suffixes))
            tail_is_suffixes = FALSE;
        }
    }
  split = g_strsplit_set (head, " \t", -1);
  for (guint i = 0; split[i]; i++)
    if (*split[i] != '\0')
      g_ptr_array_add (words, split[i]);
  g_ptr_array_add (words, NULL);
  last = words->len - 1;

  if (tail != NULL && !tail_is_suffixes)
    {
      /* "Family, Given": everything before the comma is the family. */
      g_autofree char *given = g_strjoinv (",", tail);

      append_words (line, (char **) words->pdata, 0, last, " ");
      g_string_append_c (line, ';');
      append_escaped (line, g_strstrip (given));
      g_string_append (line, ";;;");
      return;
    }
  /* A title or a suffix only when a name is left beside it. */
  while (last - first > 1 && word_in (words->pdata[first], name_prefixes))
    first++;
  while (last - first > 1 && word_in (words->pdata[last - 1], name_suffixes))
    last--;
  if (last - first < 2)
    family = last;
  else
    {
      family = last - 1;
      while (family - first > 1
             && word_in (words->pdata[family - 1], family_particles)
             && g_ascii_islower (*(char *) words->pdata[family - 1]))
        family--;
    }
  append_words (line, (char **) words->pdata, family, last, " ");
  g_string_append_c (line, ';');
  append_words (line, (char **) words->pdata, first, family, " ");
  g_string_append (line, ";;");
  append_words (line, (char **) words->pdata, 0, first, ",");
  g_string_append_c (line, ';');
  append_words (line, (char **) words->pdata, last, words->len - 1, ",");
  for (guint i = 0; tail != NULL && tail[i]; i++)
    {
      if (last < words->len - 1 || i > 0)
        g_string_append_c (line, ',');
      append_escaped (line, tail[i]);
    }
}

static gboolean
is_uuid (const char *uid)
{
  return uid != NULL && g_uuid_string_is_valid (uid);
}

char *
tb_export_vcard_card (const TbContact *c)
{
  g_autoptr (GString) card = g_string_new ("BEGIN:VCARD\r\nVERSION:4.0\r\n");
  g_autoptr (GString) line = g_string_new (NULL);

  if (c->uid != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (c->uid, -1);

      g_string_printf (line, "UID:%s%s", is_uuid (c->uid) ? "urn:uuid:" : "",
                       is_uuid (c->uid) ? lower : c->uid);
      /* A UID that is not a UUID is kept as written; it is one line. */
      g_strdelimit (line->str, "\r\n", ' ');
      append_folded (card, line->str);
    }
  add_text (card, "FN", c->name);
  g_string_assign (line, "N:");
  append_structured_name (line, c->name ? c->name : "");
  append_folded (card, line->str);
  add_text (card, "EMAIL", c->email);
  add_text (card, "TEL", c->phone);
  if (c->url != NULL)
    {
      /* A URI value: not text, so not escaped (RFC 6350 §5.9). */
      g_string_printf (line, "URL:%s", c->url);
      append_folded (card, line->str);
    }
  add_text (card, "ORG", c->company);
  add_text (card, "TITLE", c->position);
  if (c->birthday != NULL)
    {
      g_autofree char *basic = g_strdup (c->birthday);

      /* RFC 6350 dates are the basic form: 19851102, --1102. */
      if (g_str_has_prefix (basic, "--"))
        g_string_printf (line, "BDAY:--%.2s%.2s", basic + 2, basic + 5);
      else
        g_string_printf (line, "BDAY:%.4s%.2s%.2s", basic, basic + 5,
                         basic + 8);
      if (strlen (c->birthday) == 10 || strlen (c->birthday) == 7)
        append_folded (card, line->str);
    }
  if (c->tags != NULL && c->tags[0] != NULL)
    {
      g_string_assign (line, "CATEGORIES:");
      for (guint i = 0; c->tags[i]; i++)
        {
          if (i > 0)
            g_string_append_c (line, ',');
          append_escaped (line, c->tags[i]);
        }
      append_folded (card, line->str);
    }
  add_text (card, "NOTE", c->note);
  g_string_append (card, "END:VCARD\r\n");
  return g_string_free (g_steal_pointer (&card), FALSE);
}

/* CSV. */

const char tb_export_csv_header[]
    = "id,name,email,phone,url,company,position,tags,interval_days,due,"
      "last_interaction,last_conversation,connected_on,source\r\n";

static gboolean
looks_like_formula (const char *text)
{
  if (text[0] == '=' || text[0] == '@' || text[0] == '\t' || text[0] == '\r')
    return TRUE;
  if (text[0] == '+' || text[0] == '-')
    {
      /* "+33 6 12 34 56 78" is a phone number, not a formula. */
      for (const char *p = text + 1; *p; p++)
        if (!g_ascii_isdigit (*p) && !strchr (" ()./-", *p))
          return TRUE;
      return text[1] == '\0';
    }
  return FALSE;
}

static void
add_field (GString *row, const char *text, gboolean untrusted)
{
  gboolean quote;

  if (row->len > 0)
    g_string_append_c (row, ',');
  if (text == NULL)
    return;
  quote = strpbrk (text, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (row, '"');
  if (untrusted && looks_like_formula (text))
    g_string_append_c (row, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  if (quote)
    g_string_append_c (row, '"');
}

static void
add_date (GString *row, gint64 t, GTimeZone *tz)
{
  g_autofree char *text = t > 0 ? tb_time_format_date (t, tz) : NULL;

  add_field (row, text, FALSE);
}

/* The tags in one field, separated by ';'. A ';' or '\\' inside a tag
 * is preceded by '\\', so "a;b" stays one tag (docs/design.md §8). */
static char *
join_tags (char **tags)
{
  GString *out;

  if (tags == NULL || tags[0] == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; tags[i]; i++)
    {
      if (i > 0)
        g_string_append_c (out, ';');
      for (const char *p = tags[i]; *p; p++)
        {
          if (*p == ';' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

char *
tb_export_csv_row (const TbContact *c, GTimeZone *tz)
{
  g_autoptr (GString) row = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);
  g_autofree char *tags = join_tags (c->tags);
  g_autofree char *days = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (c->effective_interval > 0)
    days = g_strdup (g_ascii_formatd (
        buf, sizeof buf, "%.10g", (double) c->effective_interval / 86400.0));
  /* The id first: the row starts with it, so add_field's leading comma
   * logic needs a non-empty row. */
  g_string_append (row, id);
  add_field (row, c->name, TRUE);
  add_field (row, c->email, TRUE);
  add_field (row, c->phone, TRUE);
  add_field (row, c->url, TRUE);
  add_field (row, c->company, TRUE);
  add_field (row, c->position, TRUE);
  add_field (row, tags, TRUE);
  add_field (row, days, FALSE);
  add_date (row, c->due_at, tz);
  add_date (row, c->last_interaction_at, tz);
  add_date (row, c->last_conversation_at, tz);
  add_date (row, c->connected_on, tz);
  add_field (row, c->source, TRUE);
  g_string_append (row, "\r\n");
  return g_string_free (g_steal_pointer (&row), FALSE);
}

/* Writers. */

/* Every contact in id order (the table's own), one at a time: the
 * export writes each as it reads it, so the daemon's memory does not
 * grow with the network. */
typedef char *(*FormatContact) (const TbContact *contact, gpointer data);

static gboolean
write_each (TbStore *store, GOutputStream *out, FormatContact format,
            gpointer data, GError **error)
{
  g_autoptr (TbStmt) stmt = tb_store_prepare (
      store, "SELECT " TB_CONTACT_COLUMNS " FROM contacts c ORDER BY c.id",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (TbContact) contact = tb_store_contact_from_stmt (stmt);
      g_autofree char *text = format (contact, data);

      if (!g_output_stream_write_all (out, text, strlen (text), NULL, NULL,
                                      error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot read the contacts"));
      return FALSE;
    }
  return g_output_stream_flush (out, NULL, error);
}

static char *
format_card (const TbContact *contact, gpointer data)
{
  return tb_export_vcard_card (contact);
}

gboolean
tb_export_vcard (TbStore *store, GOutputStream *out, GError **error)
{
  return write_each (store, out, format_card, NULL, error);
}

static char *
format_row (const TbContact *contact, gpointer data)
{
  return tb_export_csv_row (contact, data);
}

gboolean
tb_export_csv (TbStore *store, GOutputStream *out, GTimeZone *tz,
               GError **error)
{
  if (!g_output_stream_write_all (out, tb_export_csv_header,
                                  strlen (tb_export_csv_header), NULL, NULL,
                                  error))
    return FALSE;
  return write_each (store, out, format_row, tz, error);
}
