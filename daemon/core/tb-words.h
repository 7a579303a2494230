/* tb-words.h — turning short free texts ("Looking for a UX designer") into
 * the words that matching compares: folded, tokenised, filler dropped,
 * stemmed. Pure functions, no state but a constant word list.
 *
 * What is handled:
 * - case and accents: "Café" and "CAFE" are both "cafe"; letters without a
 *   decomposition are transliterated when GLib knows how ("ø" -> "o",
 *   "ß" -> "ss", "æ" -> "ae"); other scripts are kept as they are.
 * - tokens: runs of letters and digits; an apostrophe inside a word is
 *   dropped ("founder's" -> "founders"); a trailing "+" or "#" is kept
 *   ("c++", "c#"); hyphens and dots split ("co-founder" -> "co",
 *   "founder"). One-letter tokens are dropped.
 * - English word forms, by a light suffix stripper (not Porter): plurals
 *   ("investors", "companies"), -ing, -ed, -er, -or, -ment, -ship, -ness,
 *   -ation, -ction, -ate/-ating/-ated/-ator, -ization, -ant, -ly, a final
 *   "e" and a doubled final consonant. So "designer", "designs",
 *   "designing", "designed" -> "design"; "investors", "investing",
 *   "investment" -> "invest"; "introductions", "introduce",
 *   "introducing" -> "introduc"; "leadership" -> "lead";
 *   "planning" -> "plan"; "organization", "organizer" -> "organiz".
 * What is not: synonyms ("VC" / "investor", "AI" / "artificial
 * intelligence"), irregular forms ("science" / "scientist"), British vs
 * American spelling ("organise" / "organize"), other languages' word
 * forms, one-letter names ("R"), and CJK text without spaces (a run is one
 * token). Stemming only touches ASCII words of four letters or more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Case-folded, accents removed, NFC. Never NULL for a non-NULL @text. */
char *tb_words_fold (const char *text);

/* The folded tokens of @text in order, filler words included.
 * (element-type utf8) */
GPtrArray *tb_words_tokenize (const char *text);

/* The stem of one folded token; tokens it does not handle come back as
 * they are. */
char *tb_words_stem (const char *token);

/* Whether a folded token is a filler word: grammar ("the", "for"), people
 * in general ("someone", "people"), asking and offering ("looking",
 * "help", "need"), praise ("good", "great", "new") and other words that
 * say nothing about *what* (e.g. "advice", "intro", "company"). Matching
 * never uses them, so two people are never paired on them. Word forms of
 * the list count too ("helping", "needs"). */
gboolean tb_words_is_filler (const char *token);

/* The distinct stems of the non-filler tokens of @text, in order of first
 * appearance: what matching compares. Empty (not NULL) when @text says
 * nothing that can be matched. */
GStrv tb_words_keys (const char *text);

/* The same, remembering each token's key in @cache (from
 * tb_words_cache_new()) for the next texts: for many texts at once. */
GHashTable *tb_words_cache_new (void);
GStrv tb_words_keys_cached (const char *text, GHashTable *cache);

G_END_DECLS
