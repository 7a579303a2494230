/* tb-review.c — ranking the review queue and pacing its notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-review"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tb-review.h"
#include "tb-words.h"

/* What makes a contact promising, strongest first. The weights are a
 * judgement, kept in one place: a shared company says most about a
 * person you would want to keep in touch with, then meeting a need of
 * someone you do, shared interests, a shared tag, a way to write to them
 * and a recent connection (at most RECENT_WEIGHT, halving at 90 days).
 * Above them all: conversations and e-mails this year (a source found
 * them, or they were logged without tracking): you are in touch
 * already, touchbase should ask first whether to keep it up. */
typedef enum
{
  SIGNAL_MET,
  SIGNAL_COMPANY,
  SIGNAL_OFFER,
  SIGNAL_WORDS,
  SIGNAL_TAG,
  SIGNAL_EMAIL,
  SIGNAL_CONNECTED,
} Signal;

#define MET_WEIGHT 10.0
#define COMPANY_WEIGHT 3.0
#define OFFER_WEIGHT 2.5
#define WORDS_WEIGHT 1.5
#define TAG_WEIGHT 1.0
#define EMAIL_WEIGHT 1.0
#define RECENT_WEIGHT 2.0
#define RECENT_HALF_DAYS 90.0

#define COMPANY_CACHE_MAX 65536

/* A reason names this many signals at most: a row stays one line. */
#define MAX_PARTS 3

typedef struct
{
  Signal signal;
  double weight;
  const char *who;  /* (unowned) a tracked contact's name, in the ranker */
  const char *what; /* (unowned) a tag, in the ranker */
} Part;

typedef struct
{
  gint64 id;
  double score;
  gint64 connected_on;
  guint met;
  guint wrote;
  guint n_parts;
  Part parts[MAX_PARTS];
} Ranked;

struct _TbReviewRanker
{
  guint limit;
  gint64 now;
  GTimeZone *tz; /* (owned) */
  /* Keys and names live in @strings, as long as the ranker. */
  GStringChunk *strings;
  GHashTable *companies;  /* folded company -> tracked name */
  GHashTable *tags;       /* tag key -> tracked name */
  GHashTable *needs;      /* word key of a need or goal -> tracked name */
  GHashTable *words;      /* word key of any fact -> tracked name */
  GHashTable *word_cache; /* tb_words_keys_cached */
  /* Company as given -> company_key() ("" for none): a network has far
   * fewer companies than people, and folding is most of a row's cost.
   * Emptied when it reaches COMPANY_CACHE_MAX, so memory stays bounded. */
  GHashTable *company_cache;
  GArray *heap; /* (element-type Ranked) worst at the root */
  guint total;
};

void
tb_review_entry_free (TbReviewEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->reason);
  g_clear_pointer (&entry->contact, tb_contact_free);
  g_free (entry);
}

TbReviewRanker *
tb_review_ranker_new (guint limit, gint64 now, GTimeZone *tz)
{
  TbReviewRanker *r = g_new0 (TbReviewRanker, 1);

  r->limit = MAX (limit, 1);
  r->now = now;
  r->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  r->strings = g_string_chunk_new (4096);
  r->companies = g_hash_table_new (g_str_hash, g_str_equal);
  r->tags = g_hash_table_new (g_str_hash, g_str_equal);
  r->needs = g_hash_table_new (g_str_hash, g_str_equal);
  r->words = g_hash_table_new (g_str_hash, g_str_equal);
  r->word_cache = tb_words_cache_new ();
  r->company_cache
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->heap = g_array_sized_new (FALSE, FALSE, sizeof (Ranked), r->limit);
  return r;
}

void
tb_review_ranker_free (TbReviewRanker *r)
{
  if (r == NULL)
    return;
  g_time_zone_unref (r->tz);
  g_hash_table_unref (r->companies);
  g_hash_table_unref (r->tags);
  g_hash_table_unref (r->needs);
  g_hash_table_unref (r->words);
  g_hash_table_unref (r->word_cache);
  g_hash_table_unref (r->company_cache);
  g_string_chunk_free (r->strings);
  g_array_unref (r->heap);
  g_free (r);
}

/* Words that LinkedIn puts in the company field of people without one:
 * sharing them says nothing. Folded. */
static const char *const no_company[] = {
  "self-employed", "self employed", "freelance", "freelancer", "independent",
  "retired",       "none",          "n/a",       "-",          "student",
  "unemployed",
};

/* The folded company, or NULL when there is none worth comparing. */
static char *
company_key (const char *company)
{
  char *key;

  if (company == NULL)
    return NULL;
  key = g_strstrip (tb_words_fold (company));
  for (guint i = 0; i < G_N_ELEMENTS (no_company); i++)
    if (*key == '\0' || g_str_equal (key, no_company[i]))
      {
        g_free (key);
        return NULL;
      }
  return key;
}

/* Maps @key to @who unless it is mapped already (the first one named
 * wins, so reasons are stable). */
static void
remember (TbReviewRanker *r, GHashTable *table, const char *key,
          const char *who)
{
  if (!g_hash_table_contains (table, key))
    g_hash_table_insert (table, g_string_chunk_insert_const (r->strings, key),
                         (gpointer) who);
}

void
tb_review_ranker_add_tracked (TbReviewRanker *r, const char *name,
                              const char *company, const char *const *tags,
                              GPtrArray *facts)
{
  g_autofree char *company_folded = company_key (company);
  const char *who;

  g_return_if_fail (name != NULL);
  who = g_string_chunk_insert_const (r->strings, name);
  if (company_folded != NULL)
    remember (r, r->companies, company_folded, who);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    remember (r, r->tags, tags[i], who);
  for (guint i = 0; facts != NULL && i < facts->len; i++)
    {
      const TbFact *f = g_ptr_array_index (facts, i);
      g_auto (GStrv) keys = tb_words_keys_cached (f->text, r->word_cache);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          if (f->kind == TB_FACT_NEED || f->kind == TB_FACT_GOAL)
            remember (r, r->needs, keys[k], who);
          remember (r, r->words, keys[k], who);
        }
    }
}

static void
add_part (Ranked *out, Signal signal, double weight, const char *who,
          const char *what)
{
  guint at;

  out->score += weight;
  /* Keep the strongest MAX_PARTS, in order of weight. */
  at = out->n_parts;
  while (at > 0 && out->parts[at - 1].weight < weight)
    at--;
  if (at >= MAX_PARTS)
    return;
  if (out->n_parts < MAX_PARTS)
    out->n_parts++;
  memmove (&out->parts[at + 1], &out->parts[at],
           (out->n_parts - 1 - at) * sizeof (Part));
  out->parts[at] = (Part){ signal, weight, who, what };
}

/* Offers that meet a need, then any shared words: each signal once. */
static void
score_facts (TbReviewRanker *r, GPtrArray *facts, Ranked *out)
{
  const char *offer_to = NULL;
  const char *shares_with = NULL;

  if (g_hash_table_size (r->words) == 0)
    return;
  for (guint i = 0; i < facts->len && offer_to == NULL; i++)
    {
      const TbFact *f = g_ptr_array_index (facts, i);
      g_auto (GStrv) keys = tb_words_keys_cached (f->text, r->word_cache);

      for (guint k = 0; keys[k] != NULL && offer_to == NULL; k++)
        {
          if (f->kind == TB_FACT_OFFER)
            offer_to = g_hash_table_lookup (r->needs, keys[k]);
          if (shares_with == NULL)
            shares_with = g_hash_table_lookup (r->words, keys[k]);
        }
    }
  if (offer_to != NULL)
    add_part (out, SIGNAL_OFFER, OFFER_WEIGHT, offer_to, NULL);
  else if (shares_with != NULL)
    add_part (out, SIGNAL_WORDS, WORDS_WEIGHT, shares_with, NULL);
}

static void
score (TbReviewRanker *r, const TbReviewCandidate *c, Ranked *out)
{
  *out = (Ranked){ .id = c->id,
                   .connected_on = c->connected_on,
                   .met = c->met,
                   .wrote = c->wrote };

  /* Each one more counts a little more, a conversation more than a
   * message; far less than a signal, so a tie is broken, not won. */
  if (c->met > 0 || c->wrote > 0)
    add_part (out, SIGNAL_MET,
              MET_WEIGHT + 0.1 * MIN (c->met, 50) + 0.05 * MIN (c->wrote, 50),
              NULL, NULL);

  if (c->company != NULL && g_hash_table_size (r->companies) > 0)
    {
      const char *key = g_hash_table_lookup (r->company_cache, c->company);
      const char *who;

      if (key == NULL)
        {
          char *folded = company_key (c->company);

          if (g_hash_table_size (r->company_cache) >= COMPANY_CACHE_MAX)
            g_hash_table_remove_all (r->company_cache);
          key = folded != NULL ? folded : g_strdup ("");
          g_hash_table_insert (r->company_cache, g_strdup (c->company),
                               (gpointer) key);
        }
      who = g_hash_table_lookup (r->companies, key);
      if (who != NULL)
        add_part (out, SIGNAL_COMPANY, COMPANY_WEIGHT, who, NULL);
    }
  if (c->facts != NULL && c->facts->len > 0)
    score_facts (r, c->facts, out);
  for (guint i = 0; c->tags != NULL && c->tags[i] != NULL; i++)
    {
      gpointer key, who;

      if (g_hash_table_lookup_extended (r->tags, c->tags[i], &key, &who))
        {
          add_part (out, SIGNAL_TAG, TAG_WEIGHT, who, key);
          break;
        }
    }
  if (c->email != NULL && *c->email != '\0')
    add_part (out, SIGNAL_EMAIL, EMAIL_WEIGHT, NULL, NULL);
  if (c->connected_on > 0)
    {
      double days = MAX (0, r->now - c->connected_on) / 86400.0;

      add_part (out, SIGNAL_CONNECTED,
                RECENT_WEIGHT / (1.0 + days / RECENT_HALF_DAYS), NULL, NULL);
    }
}

/* Whether @a ranks before @b. */
static gboolean
better (const Ranked *a, const Ranked *b)
{
  if (a->score != b->score)
    return a->score > b->score;
  if (a->connected_on != b->connected_on)
    return a->connected_on > b->connected_on;
  return a->id < b->id;
}

static Ranked *
at (GArray *heap, guint i)
{
  return &g_array_index (heap, Ranked, i);
}

static void
swap (GArray *heap, guint i, guint j)
{
  Ranked tmp = *at (heap, i);

  *at (heap, i) = *at (heap, j);
  *at (heap, j) = tmp;
}

static void
sift_up (GArray *heap, guint i)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (!better (at (heap, parent), at (heap, i)))
        break;
      swap (heap, i, parent);
      i = parent;
    }
}

static void
sift_down (GArray *heap, guint i)
{
  for (;;)
    {
      guint worst = i;
      guint left = 2 * i + 1;
      guint right = left + 1;

      if (left < heap->len && better (at (heap, worst), at (heap, left)))
        worst = left;
      if (right < heap->len && better (at (heap, worst), at (heap, right)))
        worst = right;
      if (worst == i)
        return;
      swap (heap, i, worst);
      i = worst;
    }
}

void
tb_review_ranker_offer (TbReviewRanker *r, const TbReviewCandidate *c)
{
  Ranked ranked;

  r->total++;
  score (r, c, &ranked);
  if (r->heap->len < r->limit)
    {
      g_array_append_val (r->heap, ranked);
      sift_up (r->heap, r->heap->len - 1);
    }
  else if (better (&ranked, at (r->heap, 0)))
    {
      *at (r->heap, 0) = ranked;
      sift_down (r->heap, 0);
    }
}

guint
tb_review_ranker_get_total (TbReviewRanker *r)
{
  return r->total;
}

static int
best_first (gconstpointer a, gconstpointer b)
{
  if (better (a, b))
    return -1;
  return better (b, a) ? 1 : 0;
}

/* "5 Jan 2026", local. */
static char *
format_day (gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = utc ? g_date_time_to_timezone (utc, tz) : NULL;

  if (local == NULL)
    return g_strdup ("?");
  /* Translators: a day in a reason of the review queue, "5 Jan 2026"; a
   * g_date_time_format() format. xgettext:no-c-format */
  return g_date_time_format (local, C_ ("review date", "%-d %b %Y"));
}

static char *
part_text (const TbReviewRanker *r, const Ranked *ranked, const Part *p)
{
  switch (p->signal)
    {
      case SIGNAL_MET:
        if (ranked->met > 0 && ranked->wrote > 0)
          /* Translators: "you met 3 times and wrote 5 times this year";
           * both counts are at least 1. */
          return g_strdup_printf (_ ("you met %u times and wrote %u times "
                                     "this year"),
                                  ranked->met, ranked->wrote);
        if (ranked->met > 0)
          return g_strdup_printf (g_dngettext (NULL, "you met once this year",
                                               "you met %u times this year",
                                               ranked->met),
                                  ranked->met);
        return g_strdup_printf (g_dngettext (NULL, "you wrote once this year",
                                             "you wrote %u times this year",
                                             ranked->wrote),
                                ranked->wrote);
      case SIGNAL_COMPANY:
        /* Translators: why a contact is worth keeping in touch with;
         * %s is someone you keep in touch with. */
        return g_strdup_printf (_ ("same company as %s"), p->who);
      case SIGNAL_OFFER:
        return g_strdup_printf (_ ("offers what %s is looking for"), p->who);
      case SIGNAL_WORDS:
        return g_strdup_printf (_ ("shares interests with %s"), p->who);
      case SIGNAL_TAG:
        /* Translators: the first %s is a tag, the second a person. */
        return g_strdup_printf (_ ("tagged “%s” like %s"), p->what, p->who);
      case SIGNAL_EMAIL:
        return g_strdup (_ ("has an e-mail address"));
      case SIGNAL_CONNECTED:
      default:
        {
          g_autofree char *day = format_day (ranked->connected_on, r->tz);

          /* Translators: %s is a day, "5 Jan 2026". */
          return g_strdup_printf (_ ("connected %s"), day);
        }
    }
}

static char *
reason (const TbReviewRanker *r, const Ranked *ranked)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (ranked->n_parts == 0)
    /* Translators: the reason of a contact of the review queue that has
     * nothing the others have. */
    return g_strdup (_ ("nothing in common yet"));
  for (guint i = 0; i < ranked->n_parts; i++)
    {
      g_autofree char *part = part_text (r, ranked, &ranked->parts[i]);

      if (i > 0)
        g_string_append (text, " · ");
      g_string_append (text, part);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GPtrArray *
tb_review_ranker_finish (TbReviewRanker *r)
{
  GPtrArray *out = g_ptr_array_new_full (r->heap->len,
                                         (GDestroyNotify) tb_review_entry_free);

  g_array_sort (r->heap, best_first);
  for (guint i = 0; i < r->heap->len; i++)
    {
      const Ranked *ranked = at (r->heap, i);
      TbReviewEntry *e = g_new0 (TbReviewEntry, 1);

      e->id = ranked->id;
      e->score = ranked->score;
      e->reason = reason (r, ranked);
      g_ptr_array_add (out, e);
    }
  g_array_set_size (r->heap, 0);
  return out;
}

/* The hours outside quiet hours: from @start (minutes after midnight)
 * for @len minutes. */
static void
awake_window (const TbConfig *config, int *start, int *len)
{
  if (!config->quiet_enabled)
    {
      *start = 0;
      *len = 24 * 60;
      return;
    }
  *start = config->quiet_end_min;
  *len = ((config->quiet_start_min - config->quiet_end_min) % (24 * 60)
          + 24 * 60)
         % (24 * 60);
}

/* @minute after local midnight of the local day of @day (a GDateTime
 * in the zone), as Unix seconds. */
static gint64
local_minute (GDateTime *day, int minute, GTimeZone *tz)
{
  g_autoptr (GDateTime) t = g_date_time_new (
      tz, g_date_time_get_year (day), g_date_time_get_month (day),
      g_date_time_get_day_of_month (day), minute / 60, minute % 60, 0);

  return t != NULL ? g_date_time_to_unix (t) : 0;
}

gint64
tb_review_day_start (const TbConfig *config, gint64 now, GTimeZone *tz)
{
  g_autoptr (GTimeZone) local_tz
      = tz ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) yesterday = NULL;
  int start, len;
  gint64 anchor;

  if (utc == NULL)
    return 0;
  local = g_date_time_to_timezone (utc, local_tz);
  awake_window (config, &start, &len);
  anchor = local_minute (local, start, local_tz);
  if (anchor <= now)
    return anchor;
  yesterday = g_date_time_add_days (local, -1);
  return local_minute (yesterday, start, local_tz);
}

gint64
tb_review_notice_at (const TbConfig *config, gint64 day, guint shown,
                     GTimeZone *tz)
{
  g_autoptr (GTimeZone) local_tz
      = tz ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) tomorrow = NULL;
  guint per_day = config->review_per_day;
  int start, len;

  if (per_day == 0)
    return 0;
  awake_window (config, &start, &len);
  if (shown < per_day)
    return day + (gint64) shown * len * 60 / per_day;
  /* Noon of the day is safely inside it whatever the DST changes do. */
  utc = g_date_time_new_from_unix_utc (day + 12 * 3600);
  if (utc == NULL)
    return 0;
  local = g_date_time_to_timezone (utc, local_tz);
  tomorrow = g_date_time_add_days (local, 1);
  /* The day may start late in the evening: tomorrow's start is the
   * first one after @day. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (GDateTime) d = g_date_time_add_days (local, i);
      gint64 t = local_minute (d, start, local_tz);

      if (t > day)
        return t;
    }
  return local_minute (tomorrow, start, local_tz);
}
