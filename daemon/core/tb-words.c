/* tb-words.c — folding, tokens, filler words and a light English stemmer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-words"

#include "config.h"

#include <string.h>

#include "tb-fold.h"
#include "tb-words.h"

/* Words that never make a match. Kept folded and unstemmed; their stems
 * are added at first use so that "helping" and "needs" count as well. A
 * word belongs here when two people sharing it says nothing about whether
 * they should meet. Domain words that look generic but carry meaning in a
 * fact ("learning" in machine learning, "network" for a network engineer,
 * "business", "job", "coffee") are deliberately not here. */
static const char *const filler_words[] = {
  /* grammar */
  "a",
  "an",
  "the",
  "and",
  "or",
  "but",
  "nor",
  "so",
  "of",
  "to",
  "in",
  "on",
  "at",
  "by",
  "for",
  "from",
  "into",
  "onto",
  "about",
  "as",
  "is",
  "are",
  "was",
  "were",
  "be",
  "been",
  "being",
  "am",
  "it",
  "its",
  "this",
  "that",
  "these",
  "those",
  "there",
  "here",
  "my",
  "our",
  "your",
  "their",
  "his",
  "her",
  "hers",
  "him",
  "them",
  "they",
  "we",
  "i",
  "me",
  "you",
  "he",
  "she",
  "us",
  "who",
  "whom",
  "whose",
  "what",
  "which",
  "when",
  "where",
  "why",
  "how",
  "some",
  "any",
  "all",
  "each",
  "every",
  "more",
  "most",
  "much",
  "many",
  "very",
  "really",
  "just",
  "also",
  "too",
  "not",
  "no",
  "yes",
  "up",
  "out",
  "over",
  "under",
  "via",
  "per",
  "etc",
  "eg",
  "ie",
  "than",
  "then",
  "if",
  "whether",
  "with",
  "without",
  "within",
  "around",
  "across",
  "after",
  "before",
  "while",
  "both",
  "either",
  "neither",
  "own",
  "other",
  "others",
  "another",
  "such",
  "same",
  "can",
  "could",
  "would",
  "should",
  "will",
  "shall",
  "may",
  "might",
  "must",
  "do",
  "does",
  "did",
  "doing",
  "done",
  "have",
  "has",
  "had",
  "having",
  "get",
  "gets",
  "got",
  "getting",
  "make",
  "makes",
  "making",
  "made",
  "let",
  "lets",
  "re",
  "ve",
  "ll",
  "im",
  "dont",
  /* people in general */
  "someone",
  "somebody",
  "anyone",
  "anybody",
  "everyone",
  "everybody",
  "people",
  "person",
  "folks",
  "guy",
  "guys",
  "one",
  "ones",
  "who",
  /* asking, offering, wanting */
  "help",
  "helping",
  "looking",
  "look",
  "need",
  "needs",
  "want",
  "wants",
  "seeking",
  "seek",
  "find",
  "finding",
  "search",
  "searching",
  "ask",
  "asking",
  "offer",
  "offers",
  "offering",
  "provide",
  "providing",
  "give",
  "giving",
  "share",
  "sharing",
  "support",
  "happy",
  "glad",
  "willing",
  "able",
  "available",
  "open",
  "interested",
  "interest",
  "keen",
  "love",
  "like",
  "hoping",
  "hope",
  "try",
  "trying",
  /* praise and size */
  "good",
  "great",
  "best",
  "better",
  "nice",
  "awesome",
  "amazing",
  "excellent",
  "top",
  "strong",
  "solid",
  "new",
  "old",
  "big",
  "small",
  "smart",
  "experienced",
  "senior",
  "junior",
  "real",
  "right",
  "possible",
  "potential",
  "quick",
  "fast",
  "early",
  "kind",
  "sort",
  "type",
  "lot",
  "lots",
  "bit",
  "few",
  "several",
  "various",
  "different",
  "certain",
  "specific",
  "next",
  "first",
  "last",
  "current",
  "general",
  /* things in general */
  "thing",
  "things",
  "stuff",
  "way",
  "ways",
  "time",
  "times",
  "day",
  "days",
  "week",
  "weeks",
  "month",
  "months",
  "year",
  "years",
  "idea",
  "ideas",
  "advice",
  "tip",
  "tips",
  "feedback",
  "input",
  "insight",
  "insights",
  "thought",
  "thoughts",
  "question",
  "questions",
  "info",
  "opportunity",
  "opportunities",
  "chance",
  "option",
  "options",
  "resource",
  "resources",
  "contact",
  "contacts",
  "connection",
  "connections",
  "connect",
  "intro",
  "intros",
  "introduction",
  "introductions",
  "introduce",
  "meet",
  "meeting",
  "talk",
  "talking",
  "chat",
  "call",
  "work",
  "working",
  "role",
  "roles",
  "position",
  "team",
  "teams",
  "project",
  "projects",
  "company",
  "companies",
  "area",
  "areas",
  "field",
  "space",
  "topic",
  "topics",
  "related",
  "everything",
  "anything",
  "something",
  "nothing",
  "expert",
  "experts",
  "expertise",
  "experience",
  "knowledge",
  "skill",
  "skills",
  "know",
  "knows",
  "understand",
  "go",
  "going",
  "come",
  "take",
  "keep",
  "set",
  "put",
  "see",
  "say",
  "tell",
  "think",
  "feel",
  "become",
  "use",
  "using",
  "start",
  "starting",
  "improve",
  "next",
  "stage",
};

/* Words whose final "s" is not a plural. */
static const char *const stem_keep[] = {
  "news",      "series",   "species",    "physics",   "mathematics",
  "economics", "politics", "ethics",     "logistics", "analytics",
  "robotics",  "genomics", "kubernetes", "devops",    "its",
  "this",      "thus",     "always",     "perhaps",
};

static GHashTable *filler_set; /* folded word or stem -> itself */
static GHashTable *keep_set;

static char *stem_word (const char *token);

static void
ensure_tables (void)
{
  static gsize inited = 0;

  if (!g_once_init_enter (&inited))
    return;

  keep_set = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (stem_keep); i++)
    g_hash_table_add (keep_set, (gpointer) stem_keep[i]);

  filler_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (filler_words); i++)
    {
      g_hash_table_add (filler_set, g_strdup (filler_words[i]));
      g_hash_table_add (filler_set, stem_word (filler_words[i]));
    }

  g_once_init_leave (&inited, 1);
}

/* Append one character of tb_fold()'s output, spelling Latin letters
 * that have no decomposition (ø, ł, æ, đ) the way people type them. */
static void
append_transliterated (GString *out, gunichar c)
{
  char buf[8];
  int len;

  if (c < 0x80)
    {
      g_string_append_c (out, (char) c);
      return;
    }

  /* GLib spells it "oe", but people writing "Soren" mean "Søren". */
  if (c == 0x00f8)
    {
      g_string_append_c (out, 'o');
      return;
    }

  len = g_unichar_to_utf8 (c, buf);
  buf[len] = '\0';

  /* GLib's transliteration gives "?" for letters of other scripts, which
   * are kept as they are. */
  if (g_unichar_isalpha (c))
    {
      g_autofree char *ascii = g_str_to_ascii (buf, "C");
      if (ascii != NULL && *ascii != '\0' && strchr (ascii, '?') == NULL)
        {
          g_string_append (out, ascii);
          return;
        }
    }
  g_string_append_len (out, buf, len);
}

/* tb_fold() (the daemon's one meaning of case- and accent-insensitive)
 * plus what matching needs on top: an ASCII fast path, since most facts
 * are ASCII and a big network has a great many; invalid UTF-8
 * repaired rather than dropped, so a stray byte does not erase a fact;
 * transliteration of undecomposable Latin letters; and NFC, so that what
 * other scripts keep compares equal however it was typed. */
char *
tb_words_fold (const char *text)
{
  g_autofree char *folded = NULL;
  gboolean ascii;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  ascii = TRUE;
  for (const char *p = text; *p != '\0' && ascii; p++)
    ascii = (guchar) *p < 0x80;
  if (ascii)
    return g_ascii_strdown (text, -1);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      return tb_words_fold (valid);
    }

  folded = tb_fold (text);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    append_transliterated (out, g_utf8_get_char (p));

  {
    g_autofree char *raw = g_string_free (out, FALSE);
    return g_utf8_normalize (raw, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  }
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

static void
flush_word (GPtrArray *tokens, GString *word)
{
  if (g_utf8_strlen (word->str, -1) > 1)
    g_ptr_array_add (tokens, g_strdup (word->str));
  g_string_truncate (word, 0);
}

GPtrArray *
tb_words_tokenize (const char *text)
{
  g_autofree char *folded = NULL;
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) word = g_string_new (NULL);
  const char *p;
  gunichar c;

  g_return_val_if_fail (text != NULL, tokens);

  folded = tb_words_fold (text);
  p = folded;
  while ((c = g_utf8_get_char (p)) != 0)
    {
      const char *next = g_utf8_next_char (p);

      /* most text is ASCII: no table look-ups for it */
      if (c < 0x80 && g_ascii_isalnum (c))
        {
          g_string_append_c (word, (char) c);
          p = next;
          continue;
        }
      if (c >= 0x80 && g_unichar_isalnum (c))
        {
          g_string_append_len (word, p, next - p);
          p = next;
          continue;
        }
      /* "founder's" is one word; a quote around a word is not part of it. */
      if (word->len > 0 && is_apostrophe (c)
          && g_unichar_isalnum (g_utf8_get_char (next)))
        {
          p = next;
          continue;
        }
      /* "c++", "c#", "f#": the marks are part of the name. */
      if (word->len > 0 && (c == '+' || c == '#'))
        {
          while (*p == '+' || *p == '#')
            g_string_append_c (word, *p++);
          flush_word (tokens, word);
          continue;
        }
      flush_word (tokens, word);
      p = next;
    }
  flush_word (tokens, word);

  return tokens;
}

static gboolean
is_vowel (char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static gboolean
has_vowel (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (is_vowel (s[i]))
        return TRUE;
    }
  return FALSE;
}

static gboolean
ends_with (const GString *w, const char *suffix)
{
  gsize n = strlen (suffix);

  return w->len >= n && memcmp (w->str + w->len - n, suffix, n) == 0;
}

typedef struct
{
  const char *suffix;
  const char *replacement;
  guint min_stem; /* letters left before the replacement */
} Rule;

/* Longest first within a family; the first rule that applies wins. */
static const Rule rules[] = {
  { "ization", "iz", 3 }, { "ation", "", 3 }, { "ction", "c", 3 },
  { "ating", "", 3 },     { "ated", "", 3 },  { "ator", "", 3 },
  { "ate", "", 3 },       { "ment", "", 3 },  { "ship", "", 3 },
  { "ness", "", 3 },      { "ant", "", 4 },   { "ing", "", 3 },
  { "ed", "", 3 },        { "er", "", 3 },    { "or", "", 4 },
  { "ly", "", 4 },
};

/* Strip one suffix; FALSE when none applies. */
static gboolean
strip_one (GString *w)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const Rule *r = &rules[i];
      gsize n = strlen (r->suffix);
      gsize stem_len;

      if (!ends_with (w, r->suffix))
        continue;
      stem_len = w->len - n;
      if (stem_len < r->min_stem || !has_vowel (w->str, stem_len))
        continue;
      /* "need", "speed", "career", "engineer": the e is the word's own */
      if ((g_str_equal (r->suffix, "ed") || g_str_equal (r->suffix, "er"))
          && w->str[stem_len - 1] == 'e')
        continue;
      /* "investor", "mentor", but not "floor" */
      if (g_str_equal (r->suffix, "or") && is_vowel (w->str[stem_len - 1]))
        continue;
      g_string_truncate (w, stem_len);
      g_string_append (w, r->replacement);
      return TRUE;
    }
  return FALSE;
}

static char *
stem_word (const char *token)
{
  GString *w;

  if (strlen (token) < 4)
    return g_strdup (token);
  for (const char *p = token; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p))
        return g_strdup (token);
    }
  if (g_hash_table_contains (keep_set, token))
    return g_strdup (token);

  w = g_string_new (token);

  /* Plurals and third persons. */
  if (ends_with (w, "ies") && w->len > 4)
    {
      g_string_truncate (w, w->len - 3);
      g_string_append_c (w, 'y');
    }
  else if (ends_with (w, "sses"))
    g_string_truncate (w, w->len - 2);
  else if (ends_with (w, "s") && !ends_with (w, "ss") && !ends_with (w, "us")
           && !ends_with (w, "is"))
    g_string_truncate (w, w->len - 1);

  /* Two rounds: "designers" -> "designer" -> "design",
   * "leadership" -> "leader" -> "lead". */
  if (strip_one (w))
    strip_one (w);

  if (w->len > 3 && w->str[w->len - 1] == 'e')
    g_string_truncate (w, w->len - 1);
  /* "planning" -> "plann" -> "plan"; doing it to every word keeps
   * "staff" and "staffing" together. */
  if (w->len > 3 && w->str[w->len - 1] == w->str[w->len - 2]
      && !is_vowel (w->str[w->len - 1]) && g_ascii_isalpha (w->str[w->len - 1]))
    g_string_truncate (w, w->len - 1);

  return g_string_free (w, FALSE);
}

char *
tb_words_stem (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  ensure_tables ();
  return stem_word (token);
}

gboolean
tb_words_is_filler (const char *token)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (token != NULL, TRUE);

  ensure_tables ();
  if (g_hash_table_contains (filler_set, token))
    return TRUE;
  stem = stem_word (token);
  return g_hash_table_contains (filler_set, stem);
}

/* The key of one token: its stem, or NULL for a filler word. With @cache,
 * each distinct token is worked out once. */
static const char *
token_key (const char *token, GHashTable *cache, char **out_owned)
{
  char *stem;

  *out_owned = NULL;
  if (cache != NULL)
    {
      gpointer stored;
      if (g_hash_table_lookup_extended (cache, token, NULL, &stored))
        return stored;
    }
  stem = NULL;
  if (!g_hash_table_contains (filler_set, token))
    {
      stem = stem_word (token);
      if (g_hash_table_contains (filler_set, stem))
        g_clear_pointer (&stem, g_free);
    }
  if (cache == NULL)
    return *out_owned = stem;
  g_hash_table_insert (cache, g_strdup (token), stem);
  return stem;
}

GStrv
tb_words_keys_cached (const char *text, GHashTable *cache)
{
  g_autoptr (GPtrArray) tokens = NULL;
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();

  g_return_val_if_fail (text != NULL, NULL);

  ensure_tables ();
  tokens = tb_words_tokenize (text);
  for (guint i = 0; i < tokens->len; i++)
    {
      char *owned;
      const char *key
          = token_key (g_ptr_array_index (tokens, i), cache, &owned);
      gboolean dup = FALSE;

      if (key == NULL)
        continue;
      /* facts are a few words: a linear look beats a hash table */
      for (guint k = 0; k < keys->len && !dup; k++)
        dup = g_str_equal (g_ptr_array_index (keys, k), key);
      if (dup)
        g_free (owned);
      else
        g_ptr_array_add (keys, owned != NULL ? owned : g_strdup (key));
    }
  g_ptr_array_add (keys, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

GHashTable *
tb_words_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GStrv
tb_words_keys (const char *text)
{
  return tb_words_keys_cached (text, NULL);
}
