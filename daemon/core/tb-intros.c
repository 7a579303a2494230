/* tb-intros.c — matching needs to offers across a network, and writing the
 * introduction.
 *
 * Scale: needs and offers are grouped by their set of words (a
 * "signature": thousands of people write "UX design"), and each need
 * signature is matched once against the offer signatures that share a
 * word, through an inverted index (stem -> signatures). So the matching
 * grows with the number of distinct phrasings, not with the square of the
 * network. A popular need can still be met by thousands of people: each
 * need and each offer of a person brings at most FAN_OUT candidates, the
 * best-matching first (people in a tie are taken from a different place
 * in the list for each person, so suggestions spread over the network).
 * Each candidate pair is then scored exactly, both ways, and only the best
 * @limit are kept, in a heap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-intros"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tb-intros.h"
#include "tb-words.h"

/* An offer must cover at least this share of what a need asks for (by
 * weight), or the need must cover this much of a focused offer: "UX
 * designer" is not met by "interior design", but "design" meets it. */
#define MIN_NEED_COVERAGE 0.5
#define MIN_OFFER_COVERAGE 0.8
/* A goal is a softer need than a need. */
#define GOAL_FACTOR 0.8
/* When it works both ways, the second direction adds this much of its
 * score. */
#define MUTUAL_FACTOR 0.5
#define SHARED_BONUS 0.1
#define SHARED_MAX 3
/* Candidates per need and per offer of each person; exact below this. */
#define FAN_OUT 48

void
tb_intro_suggestion_free (TbIntroSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->a_name);
  g_free (suggestion->b_name);
  g_free (suggestion->reason);
  g_free (suggestion);
}

char *
tb_intros_pair_key (gint64 a, gint64 b)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, MIN (a, b),
                          MAX (a, b));
}

static void
pair_key_buf (char *buf, gsize size, gint64 a, gint64 b)
{
  g_snprintf (buf, size, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, MIN (a, b),
              MAX (a, b));
}

GHashTable *
tb_intros_exclusions_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
tb_intros_exclude (GHashTable *exclusions, gint64 a, gint64 b)
{
  g_hash_table_add (exclusions, tb_intros_pair_key (a, b));
}

/* ---- the index ---- */

typedef struct
{
  guint contact; /* index into the contacts array */
  const TbFact *fact;
  guint sig;    /* its signature */
  float factor; /* need 1, goal GOAL_FACTOR, offer 1 */
} Entry;

/* A distinct set of words, of needs or of offers. */
typedef struct
{
  guint keys_off; /* into Index.keys, sorted ascending */
  guint n_keys;
  float total;       /* sum of its keys' weights */
  guint members_off; /* into the side's members: entries with it */
  guint n_members;
  GArray *matches; /* (nullable) SigMatch of the other side, best first */
} Sig;

typedef struct
{
  guint sig;
  float score;
} SigMatch;

/* Needs, or offers: entries, their signatures, and stem -> signatures. */
typedef struct
{
  GArray *entries;        /* Entry, in contact order */
  guint *start;           /* per contact, n + 1: its entries */
  GArray *sigs;           /* Sig */
  GHashTable *sig_ids;    /* (owned) GBytes of sorted key ids -> id + 1 */
  guint *members;         /* entry indices grouped by signature */
  guint *member_contacts; /* the same members' contacts, read in a row */
  guint *post_off;        /* per stem, n_stems + 1 */
  guint *post;            /* signature ids */
} Side;

/* A bit per tag and per interest word (hashed): a cheap upper bound on
 * what two people share, before looking at the real lists. */
typedef struct
{
  guint64 tags;
  guint64 shared;
} ContactMasks;

typedef struct
{
  GPtrArray *contacts;  /* (element-type TbContact) */
  GHashTable *stem_ids; /* (owned) stem -> id + 1 */
  GHashTable *tag_ids;  /* (owned) folded tag -> id + 1 */
  GArray *keys;         /* guint stem ids of all signatures */
  GArray *df;           /* guint per stem: need and offer facts using it */
  float *weight;        /* per stem */
  Side needs;           /* needs and goals */
  Side offers;
  GArray *shared;      /* guint: sorted interest stem ids of each contact */
  guint *shared_start; /* per contact, n + 1 */
  GArray *tags;        /* guint: sorted tag ids of each contact */
  guint *tag_start;
  ContactMasks *masks;    /* per contact */
  GHashTable *word_cache; /* (owned) token -> stem, see tb-words.h */
} Index;

static guint
intern (GHashTable *table, const char *word, GArray *df)
{
  gpointer v = g_hash_table_lookup (table, word);
  guint id;

  if (v != NULL)
    return GPOINTER_TO_UINT (v) - 1;
  id = g_hash_table_size (table);
  g_hash_table_insert (table, g_strdup (word), GUINT_TO_POINTER (id + 1));
  if (df != NULL)
    {
      guint zero = 0;
      g_array_append_val (df, zero);
    }
  return id;
}

static int
cmp_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* Sort and deduplicate the values added since @start. */
static void
sort_unique_tail (GArray *arr, guint start)
{
  guint n = arr->len - start, w = 0;
  guint *v = &g_array_index (arr, guint, start);

  if (n == 0)
    return;
  qsort (v, n, sizeof (guint), cmp_uint);
  for (guint r = 0; r < n; r++)
    {
      if (w == 0 || v[r] != v[w - 1])
        v[w++] = v[r];
    }
  g_array_set_size (arr, start + w);
}

static void
side_init (Side *side, guint n_contacts)
{
  side->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  side->start = g_new0 (guint, n_contacts + 1);
  side->sigs = g_array_new (FALSE, FALSE, sizeof (Sig));
  side->sig_ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                         (GDestroyNotify) g_bytes_unref, NULL);
}

static void
side_clear (Side *side)
{
  for (guint s = 0; side->sigs != NULL && s < side->sigs->len; s++)
    {
      Sig *sig = &g_array_index (side->sigs, Sig, s);
      g_clear_pointer (&sig->matches, g_array_unref);
    }
  g_clear_pointer (&side->entries, g_array_unref);
  g_clear_pointer (&side->start, g_free);
  g_clear_pointer (&side->sigs, g_array_unref);
  g_clear_pointer (&side->sig_ids, g_hash_table_unref);
  g_clear_pointer (&side->members, g_free);
  g_clear_pointer (&side->member_contacts, g_free);
  g_clear_pointer (&side->post_off, g_free);
  g_clear_pointer (&side->post, g_free);
}

static void
add_entry (Index *ix, Side *side, guint contact, const TbFact *fact,
           float factor)
{
  g_auto (GStrv) words = tb_words_keys_cached (
      fact->text != NULL ? fact->text : "", ix->word_cache);
  guint n = g_strv_length (words);
  g_autofree guint *ids = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gpointer v;
  Entry e = { contact, fact, 0, factor };

  /* A fact of filler words only can never match: leave it out. */
  if (n == 0)
    return;
  ids = g_new (guint, n);
  for (guint k = 0; k < n; k++)
    {
      ids[k] = intern (ix->stem_ids, words[k], ix->df);
      g_array_index (ix->df, guint, ids[k])++;
    }
  qsort (ids, n, sizeof (guint), cmp_uint);

  bytes = g_bytes_new (ids, n * sizeof (guint));
  v = g_hash_table_lookup (side->sig_ids, bytes);
  if (v != NULL)
    e.sig = GPOINTER_TO_UINT (v) - 1;
  else
    {
      Sig sig = { ix->keys->len, n, 0.f, 0, 0, NULL };

      e.sig = side->sigs->len;
      g_array_append_vals (ix->keys, ids, n);
      g_array_append_val (side->sigs, sig);
      g_hash_table_insert (side->sig_ids, g_steal_pointer (&bytes),
                           GUINT_TO_POINTER (e.sig + 1));
    }
  g_array_index (side->sigs, Sig, e.sig).n_members++;
  g_array_append_val (side->entries, e);
}

static void
add_shared (Index *ix, guint contact, const TbFact *fact)
{
  g_auto (GStrv) keys = tb_words_keys_cached (
      fact->text != NULL ? fact->text : "", ix->word_cache);

  for (guint k = 0; keys[k] != NULL; k++)
    {
      guint id = intern (ix->stem_ids, keys[k], ix->df);
      g_array_append_val (ix->shared, id);
    }
}

/* Members grouped by signature, totals, and stem -> signature postings. */
static void
side_finish (Index *ix, Side *side)
{
  guint n_stems = ix->df->len;
  g_autofree guint *fill = NULL;
  guint off = 0;

  for (guint s = 0; s < side->sigs->len; s++)
    {
      Sig *sig = &g_array_index (side->sigs, Sig, s);
      sig->members_off = off;
      off += sig->n_members;
      sig->n_members = 0;
      for (guint k = 0; k < sig->n_keys; k++)
        sig->total
            += ix->weight[g_array_index (ix->keys, guint, sig->keys_off + k)];
    }
  side->members = g_new (guint, MAX (off, 1));
  side->member_contacts = g_new (guint, MAX (off, 1));
  for (guint i = 0; i < side->entries->len; i++)
    {
      const Entry *e = &g_array_index (side->entries, Entry, i);
      Sig *sig = &g_array_index (side->sigs, Sig, e->sig);
      side->member_contacts[sig->members_off + sig->n_members] = e->contact;
      side->members[sig->members_off + sig->n_members++] = i;
    }

  side->post_off = g_new0 (guint, n_stems + 1);
  for (guint s = 0; s < side->sigs->len; s++)
    {
      const Sig *sig = &g_array_index (side->sigs, Sig, s);
      for (guint k = 0; k < sig->n_keys; k++)
        side->post_off[g_array_index (ix->keys, guint, sig->keys_off + k)
                       + 1]++;
    }
  for (guint t = 0; t < n_stems; t++)
    side->post_off[t + 1] += side->post_off[t];
  side->post = g_new (guint, MAX (side->post_off[n_stems], 1));
  fill = g_memdup2 (side->post_off, n_stems * sizeof (guint));
  for (guint s = 0; s < side->sigs->len; s++)
    {
      const Sig *sig = &g_array_index (side->sigs, Sig, s);
      for (guint k = 0; k < sig->n_keys; k++)
        {
          guint t = g_array_index (ix->keys, guint, sig->keys_off + k);
          side->post[fill[t]++] = s;
        }
    }
}

static void
index_build (Index *ix, GPtrArray *contacts)
{
  guint n = contacts->len;
  guint n_facts;

  ix->contacts = contacts;
  ix->word_cache = tb_words_cache_new ();
  ix->stem_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ix->tag_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ix->keys = g_array_new (FALSE, FALSE, sizeof (guint));
  ix->df = g_array_new (FALSE, FALSE, sizeof (guint));
  side_init (&ix->needs, n);
  side_init (&ix->offers, n);
  ix->shared = g_array_new (FALSE, FALSE, sizeof (guint));
  ix->tags = g_array_new (FALSE, FALSE, sizeof (guint));
  ix->shared_start = g_new0 (guint, n + 1);
  ix->tag_start = g_new0 (guint, n + 1);

  for (guint i = 0; i < n; i++)
    {
      const TbContact *c = g_ptr_array_index (contacts, i);

      ix->needs.start[i] = ix->needs.entries->len;
      ix->offers.start[i] = ix->offers.entries->len;
      ix->shared_start[i] = ix->shared->len;
      ix->tag_start[i] = ix->tags->len;

      for (guint f = 0; c->facts != NULL && f < c->facts->len; f++)
        {
          const TbFact *fact = g_ptr_array_index (c->facts, f);

          switch (fact->kind)
            {
              case TB_FACT_NEED:
                add_entry (ix, &ix->needs, i, fact, 1.f);
                break;
              case TB_FACT_GOAL:
                add_entry (ix, &ix->needs, i, fact, GOAL_FACTOR);
                add_shared (ix, i, fact);
                break;
              case TB_FACT_OFFER:
                add_entry (ix, &ix->offers, i, fact, 1.f);
                break;
              case TB_FACT_INTEREST:
                add_shared (ix, i, fact);
                break;
              default:
                break;
            }
        }
      sort_unique_tail (ix->shared, ix->shared_start[i]);

      for (guint t = 0; c->tags != NULL && c->tags[t] != NULL; t++)
        {
          g_autofree char *folded = tb_words_fold (c->tags[t]);
          guint id = intern (ix->tag_ids, g_strstrip (folded), NULL);
          g_array_append_val (ix->tags, id);
        }
      sort_unique_tail (ix->tags, ix->tag_start[i]);
    }
  ix->needs.start[n] = ix->needs.entries->len;
  ix->offers.start[n] = ix->offers.entries->len;
  ix->shared_start[n] = ix->shared->len;
  ix->tag_start[n] = ix->tags->len;

  ix->masks = g_new0 (ContactMasks, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      for (guint t = ix->tag_start[i]; t < ix->tag_start[i + 1]; t++)
        ix->masks[i].tags |= G_GUINT64_CONSTANT (1)
                             << (g_array_index (ix->tags, guint, t) % 64);
      for (guint t = ix->shared_start[i]; t < ix->shared_start[i + 1]; t++)
        ix->masks[i].shared |= G_GUINT64_CONSTANT (1)
                               << (g_array_index (ix->shared, guint, t) % 64);
    }

  /* Rare words say more than common ones: "figma" in a need is a
   * stronger hint than "data". */
  n_facts = ix->needs.entries->len + ix->offers.entries->len;
  ix->weight = g_new (float, MAX (ix->df->len, 1));
  for (guint s = 0; s < ix->df->len; s++)
    {
      guint df = MAX (g_array_index (ix->df, guint, s), 1);
      ix->weight[s] = (float) log (1.0 + (double) n_facts / df);
    }

  side_finish (ix, &ix->needs);
  side_finish (ix, &ix->offers);
}

static void
index_clear (Index *ix)
{
  g_clear_pointer (&ix->stem_ids, g_hash_table_unref);
  g_clear_pointer (&ix->tag_ids, g_hash_table_unref);
  g_clear_pointer (&ix->keys, g_array_unref);
  g_clear_pointer (&ix->df, g_array_unref);
  side_clear (&ix->needs);
  side_clear (&ix->offers);
  g_clear_pointer (&ix->shared, g_array_unref);
  g_clear_pointer (&ix->tags, g_array_unref);
  g_clear_pointer (&ix->weight, g_free);
  g_clear_pointer (&ix->shared_start, g_free);
  g_clear_pointer (&ix->tag_start, g_free);
  g_clear_pointer (&ix->masks, g_free);
  g_clear_pointer (&ix->word_cache, g_hash_table_unref);
}

static guint
count_common (const guint *a, guint na, const guint *b, guint nb)
{
  guint i = 0, j = 0, n = 0;

  while (i < na && j < nb)
    {
      if (a[i] < b[j])
        i++;
      else if (a[i] > b[j])
        j++;
      else
        {
          n++;
          i++;
          j++;
        }
    }
  return n;
}

/* How well offer signature @o meets need signature @n: 0 when not well
 * enough, else up to 1. */
static float
sig_score (Index *ix, const Sig *n, const Sig *o)
{
  const guint *a = &g_array_index (ix->keys, guint, n->keys_off);
  const guint *b = &g_array_index (ix->keys, guint, o->keys_off);
  guint i = 0, j = 0;
  float shared = 0.f, cov_need, cov_offer;

  while (i < n->n_keys && j < o->n_keys)
    {
      if (a[i] < b[j])
        i++;
      else if (a[i] > b[j])
        j++;
      else
        {
          shared += ix->weight[a[i]];
          i++;
          j++;
        }
    }
  if (shared == 0.f)
    return 0.f;
  cov_need = shared / n->total;
  cov_offer = shared / o->total;
  if (cov_need < MIN_NEED_COVERAGE && cov_offer < MIN_OFFER_COVERAGE)
    return 0.f;
  return 0.7f * MIN (cov_need, 1.f) + 0.3f * MIN (cov_offer, 1.f);
}

static int
cmp_sig_match (gconstpointer a, gconstpointer b)
{
  const SigMatch *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return (x->sig > y->sig) - (x->sig < y->sig);
}

/* The signatures of the other side that match @sig_id of @side, best
 * first; worked out once per signature. */
static GArray *
sig_matches (Index *ix, Side *side, guint sig_id, float *acc)
{
  Sig *sig = &g_array_index (side->sigs, Sig, sig_id);
  Side *other = side == &ix->needs ? &ix->offers : &ix->needs;
  g_autoptr (GArray) touched = NULL;

  if (sig->matches != NULL)
    return sig->matches;

  touched = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < sig->n_keys; k++)
    {
      guint t = g_array_index (ix->keys, guint, sig->keys_off + k);
      for (guint q = other->post_off[t]; q < other->post_off[t + 1]; q++)
        {
          guint o = other->post[q];
          if (acc[o] == 0.f)
            {
              acc[o] = 1.f;
              g_array_append_val (touched, o);
            }
        }
    }

  sig->matches = g_array_new (FALSE, FALSE, sizeof (SigMatch));
  for (guint i = 0; i < touched->len; i++)
    {
      guint o = g_array_index (touched, guint, i);
      const Sig *osig = &g_array_index (other->sigs, Sig, o);
      SigMatch m = { o, side == &ix->needs ? sig_score (ix, sig, osig)
                                           : sig_score (ix, osig, sig) };
      acc[o] = 0.f;
      if (m.score > 0.f)
        g_array_append_val (sig->matches, m);
    }
  g_array_sort (sig->matches, cmp_sig_match);
  return sig->matches;
}

/* ---- candidates ---- */

typedef struct
{
  float score;
  guint need;  /* entry index, or G_MAXUINT */
  guint offer; /* entry index */
} Best;

typedef struct
{
  double score;
  guint a, b; /* contact indices; a needs, b offers (the best direction) */
  Best ab;    /* a's need, b's offer */
  Best ba;    /* b's need, a's offer; need G_MAXUINT when none */
  guint n_shared, n_tags;
  gint64 a_id, b_id; /* min and max, for a stable order */
} Cand;

/* Whether @x ranks before @y. */
static gboolean
cand_better (const Cand *x, const Cand *y)
{
  if (x->score != y->score)
    return x->score > y->score;
  if (x->a_id != y->a_id)
    return x->a_id < y->a_id;
  return x->b_id < y->b_id;
}

static int
cand_cmp (gconstpointer a, gconstpointer b)
{
  const Cand *x = a, *y = b;

  if (cand_better (x, y))
    return -1;
  return cand_better (y, x) ? 1 : 0;
}

/* A heap with the worst kept candidate at the root. */
static void
heap_sift_down (Cand *h, guint n, guint i)
{
  while (TRUE)
    {
      guint l = 2 * i + 1, r = l + 1, w = i;
      Cand tmp;

      if (l < n && cand_better (&h[w], &h[l]))
        w = l;
      if (r < n && cand_better (&h[w], &h[r]))
        w = r;
      if (w == i)
        return;
      tmp = h[i];
      h[i] = h[w];
      h[w] = tmp;
      i = w;
    }
}

static void
heap_sift_up (Cand *h, guint i)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      Cand tmp;

      if (!cand_better (&h[parent], &h[i]))
        return;
      tmp = h[i];
      h[i] = h[parent];
      h[parent] = tmp;
      i = parent;
    }
}

typedef struct
{
  GArray *kept; /* Cand */
  guint limit;
  GHashTable *excluded;
  GHashTable *kept_pairs; /* (owned) cand_pair() of each kept */
} Keeper;

static gboolean
is_excluded (Keeper *k, const Cand *c)
{
  char key[64];

  if (k->excluded == NULL)
    return FALSE;
  pair_key_buf (key, sizeof key, c->a_id, c->b_id);
  return g_hash_table_contains (k->excluded, key);
}

/* The pair as one number: the two contact indices. */
static guint64
cand_pair (const Cand *c)
{
  return ((guint64) MIN (c->a, c->b) << 32) | MAX (c->a, c->b);
}

static void
keep (Keeper *k, const Cand *c)
{
  Cand *h = (Cand *) (void *) k->kept->data;
  guint64 pair;

  /* Check the rest only for pairs that would be kept: most are not. */
  if (k->kept->len == k->limit && !cand_better (c, &h[0]))
    return;
  /* A pair comes up from both sides, with the same score. */
  pair = cand_pair (c);
  if (g_hash_table_contains (k->kept_pairs, &pair) || is_excluded (k, c))
    return;
  g_hash_table_add (k->kept_pairs, g_memdup2 (&pair, sizeof pair));
  if (k->kept->len < k->limit)
    {
      g_array_append_val (k->kept, *c);
      h = (Cand *) (void *) k->kept->data;
      heap_sift_up (h, k->kept->len - 1);
      return;
    }
  {
    guint64 evicted = cand_pair (&h[0]);
    g_hash_table_remove (k->kept_pairs, &evicted);
  }
  h[0] = *c;
  heap_sift_down (h, k->kept->len, 0);
}

/* The best of @x's needs met by one of @y's offers. */
static Best
best_direction (Index *ix, guint x, guint y)
{
  Best best = { 0.f, G_MAXUINT, G_MAXUINT };

  for (guint n = ix->needs.start[x]; n < ix->needs.start[x + 1]; n++)
    {
      const Entry *ne = &g_array_index (ix->needs.entries, Entry, n);
      const Sig *ns = &g_array_index (ix->needs.sigs, Sig, ne->sig);

      for (guint o = ix->offers.start[y]; o < ix->offers.start[y + 1]; o++)
        {
          const Entry *oe = &g_array_index (ix->offers.entries, Entry, o);
          float score
              = sig_score (ix, ns,
                           &g_array_index (ix->offers.sigs, Sig, oe->sig))
                * ne->factor;
          if (score > best.score)
            {
              best.score = score;
              best.need = n;
              best.offer = o;
            }
        }
    }
  return best;
}

/* The lowest score a new pair needs to be kept, or -1 when any will do. */
static double
keeper_threshold (const Keeper *k)
{
  if (k->kept->len < k->limit)
    return -1.0;
  return g_array_index (k->kept, Cand, 0).score;
}

static void
consider_pair (Index *ix, Keeper *k, guint i, guint j)
{
  const TbContact *ci = g_ptr_array_index (ix->contacts, i);
  const TbContact *cj = g_ptr_array_index (ix->contacts, j);
  Best i_needs, j_needs;
  Cand c = { 0 };
  float hi, lo, bonus;
  guint n_shared, n_tags;
  double threshold;

  threshold = keeper_threshold (k);
  if (threshold > 0)
    {
      /* Both directions score at most 1: once the kept pairs are better
       * than that plus what the two could share, skip the work. */
      guint ub_tags = (guint) __builtin_popcountll (ix->masks[i].tags
                                                    & ix->masks[j].tags);
      guint ub_shared = (guint) __builtin_popcountll (ix->masks[i].shared
                                                      & ix->masks[j].shared);
      bonus = SHARED_BONUS * MIN (ub_shared, SHARED_MAX)
              + SHARED_BONUS * MIN (ub_tags, SHARED_MAX);
      if (1.0 + MUTUAL_FACTOR + bonus + 1e-6 < threshold)
        return;
    }

  n_shared
      = count_common (&g_array_index (ix->shared, guint, ix->shared_start[i]),
                      ix->shared_start[i + 1] - ix->shared_start[i],
                      &g_array_index (ix->shared, guint, ix->shared_start[j]),
                      ix->shared_start[j + 1] - ix->shared_start[j]);
  n_tags = count_common (&g_array_index (ix->tags, guint, ix->tag_start[i]),
                         ix->tag_start[i + 1] - ix->tag_start[i],
                         &g_array_index (ix->tags, guint, ix->tag_start[j]),
                         ix->tag_start[j + 1] - ix->tag_start[j]);
  bonus = SHARED_BONUS * MIN (n_shared, SHARED_MAX)
          + SHARED_BONUS * MIN (n_tags, SHARED_MAX);
  if (1.0 + MUTUAL_FACTOR + bonus + 1e-6 < threshold)
    return;

  i_needs = best_direction (ix, i, j);
  j_needs = best_direction (ix, j, i);
  if (i_needs.score >= j_needs.score)
    {
      c.a = i;
      c.b = j;
      c.ab = i_needs;
      c.ba = j_needs;
    }
  else
    {
      c.a = j;
      c.b = i;
      c.ab = j_needs;
      c.ba = i_needs;
    }
  hi = c.ab.score;
  lo = c.ba.score;
  if (hi <= 0.f)
    return;

  c.n_shared = n_shared;
  c.n_tags = n_tags;
  c.score = hi + MUTUAL_FACTOR * lo + bonus;
  /* Scores are shown and compared; keep them free of float noise. */
  c.score = round (c.score * 1000.0) / 1000.0;
  c.a_id = MIN (ci->id, cj->id);
  c.b_id = MAX (ci->id, cj->id);
  keep (k, &c);
}

/* Up to FAN_OUT other people matching each of contact @i's entries on
 * @side, into @cands (deduplicated with @seen). */
static void
gather (Index *ix, Side *side, guint i, float *acc, GArray *cands, guint8 *seen)
{
  Side *other = side == &ix->needs ? &ix->offers : &ix->needs;

  for (guint e = side->start[i]; e < side->start[i + 1]; e++)
    {
      const Entry *entry = &g_array_index (side->entries, Entry, e);
      GArray *matches = sig_matches (ix, side, entry->sig, acc);
      guint taken = 0;

      for (guint m = 0; m < matches->len && taken < FAN_OUT; m++)
        {
          const Sig *osig = &g_array_index (
              other->sigs, Sig, g_array_index (matches, SigMatch, m).sig);
          /* Start somewhere else for each person, so that in a big tie
           * everyone is somebody's candidate. */
          guint start = (guint) (((guint64) i * 2654435761u) % osig->n_members);

          for (guint q = 0; q < osig->n_members && taken < FAN_OUT; q++)
            {
              guint j = other->member_contacts[osig->members_off
                                               + (start + q) % osig->n_members];

              if (j == i || seen[j])
                continue;
              seen[j] = 1;
              g_array_append_val (cands, j);
              taken++;
            }
        }
    }
}

/* ---- reasons ---- */

static const char *
skip_prefix (const char *text, const char *const *prefixes)
{
  for (guint i = 0; prefixes[i] != NULL; i++)
    {
      gsize n = strlen (prefixes[i]);
      if (g_ascii_strncasecmp (text, prefixes[i], n) == 0 && text[n] != '\0')
        return text + n;
    }
  return text;
}

/* The fact as a phrase: trimmed, without a final full stop, and without
 * the verb the sentence around it already says. */
static char *
fact_phrase (const TbFact *fact)
{
  static const char *const need_verbs[] = {
    "looking for ", "look for ", "searching for ", "seeking ", "needs ",
    "need ",        NULL,
  };
  static const char *const offer_verbs[] = {
    "offers ", "offer ", "offering ", "can offer ", NULL,
  };
  g_autofree char *text = g_strstrip (g_strdup (fact->text ? fact->text : ""));
  const char *phrase = text;
  gsize len;

  if (fact->kind == TB_FACT_NEED)
    phrase = skip_prefix (text, need_verbs);
  else if (fact->kind == TB_FACT_OFFER)
    phrase = skip_prefix (text, offer_verbs);
  len = strlen (phrase);
  while (len > 0 && (phrase[len - 1] == '.' || phrase[len - 1] == ' '))
    len--;
  return g_strndup (phrase, len);
}

static const char *
contact_name (const TbContact *c)
{
  return (c->name != NULL && *c->name != '\0') ? c->name : "(no name)";
}

/* "Ana is looking for a UX designer" / "Ana's goal: raise a seed round" */
static void
append_need (GString *out, const TbContact *c, const TbFact *need)
{
  g_autofree char *phrase = fact_phrase (need);

  if (need->kind == TB_FACT_GOAL)
    g_string_append_printf (out, "%s's goal: %s", contact_name (c), phrase);
  else if (g_ascii_strncasecmp (phrase, "to ", 3) == 0)
    g_string_append_printf (out, "%s wants %s", contact_name (c), phrase);
  else
    g_string_append_printf (out, "%s is looking for %s", contact_name (c),
                            phrase);
}

/* "Bo offers UX design" / "Bo can review pitch decks" */
static void
append_offer (GString *out, const TbContact *c, const TbFact *offer)
{
  g_autofree char *phrase = fact_phrase (offer);

  if (g_ascii_strncasecmp (phrase, "can ", 4) == 0)
    g_string_append_printf (out, "%s %s", contact_name (c), phrase);
  else if (g_ascii_strncasecmp (phrase, "help with ", 10) == 0)
    g_string_append_printf (out, "%s can %s", contact_name (c), phrase);
  else
    g_string_append_printf (out, "%s offers %s", contact_name (c), phrase);
}

/* Keys of all of @c's interests. */
static GHashTable *
interest_keys (const TbContact *c)
{
  GHashTable *set
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint f = 0; c->facts != NULL && f < c->facts->len; f++)
    {
      const TbFact *fact = g_ptr_array_index (c->facts, f);
      g_auto (GStrv) keys = NULL;

      if (fact->kind != TB_FACT_INTEREST)
        continue;
      keys = tb_words_keys (fact->text ? fact->text : "");
      for (guint k = 0; keys[k] != NULL; k++)
        g_hash_table_add (set, g_strdup (keys[k]));
    }
  return set;
}

/* "Both are interested in climate tech." from @a's wording */
static void
append_shared_interests (GString *out, const TbContact *a, const TbContact *b)
{
  g_autoptr (GHashTable) theirs = interest_keys (b);
  g_autoptr (GPtrArray) phrases = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; a->facts != NULL && f < a->facts->len; f++)
    {
      const TbFact *fact = g_ptr_array_index (a->facts, f);
      g_auto (GStrv) keys = NULL;

      if (fact->kind != TB_FACT_INTEREST)
        continue;
      keys = tb_words_keys (fact->text ? fact->text : "");
      for (guint k = 0; keys[k] != NULL; k++)
        {
          if (g_hash_table_contains (theirs, keys[k]))
            {
              g_ptr_array_add (phrases, fact_phrase (fact));
              break;
            }
        }
      if (phrases->len == SHARED_MAX)
        break;
    }
  if (phrases->len == 0)
    return;
  g_ptr_array_add (phrases, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **) phrases->pdata);
    g_string_append_printf (out, " Both are into %s.", joined);
  }
}

static void
append_shared_tags (GString *out, const TbContact *a, const TbContact *b)
{
  g_autoptr (GPtrArray) shared = g_ptr_array_new ();

  for (guint i = 0; a->tags != NULL && a->tags[i] != NULL; i++)
    {
      g_autofree char *fa = tb_words_fold (a->tags[i]);
      for (guint j = 0; b->tags != NULL && b->tags[j] != NULL; j++)
        {
          g_autofree char *fb = tb_words_fold (b->tags[j]);
          if (g_str_equal (g_strstrip (fa), g_strstrip (fb)))
            {
              g_ptr_array_add (shared, a->tags[i]);
              break;
            }
        }
    }
  if (shared->len == 0)
    return;
  g_ptr_array_add (shared, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **) shared->pdata);
    g_string_append_printf (out, " Both tagged %s.", joined);
  }
}

static char *
cand_reason (Index *ix, const Cand *c)
{
  const TbContact *a = g_ptr_array_index (ix->contacts, c->a);
  const TbContact *b = g_ptr_array_index (ix->contacts, c->b);
  GString *out = g_string_new (NULL);

  append_need (out, a,
               g_array_index (ix->needs.entries, Entry, c->ab.need).fact);
  g_string_append (out, "; ");
  append_offer (out, b,
                g_array_index (ix->offers.entries, Entry, c->ab.offer).fact);
  g_string_append_c (out, '.');
  if (c->ba.need != G_MAXUINT && c->ba.score > 0.f)
    {
      g_string_append (out, " In turn, ");
      append_need (out, b,
                   g_array_index (ix->needs.entries, Entry, c->ba.need).fact);
      g_string_append (out, "; ");
      append_offer (
          out, a, g_array_index (ix->offers.entries, Entry, c->ba.offer).fact);
      g_string_append_c (out, '.');
    }
  if (c->n_shared > 0)
    append_shared_interests (out, a, b);
  if (c->n_tags > 0)
    append_shared_tags (out, a, b);
  return g_string_free (out, FALSE);
}

/* The contacts with distinct ids, the first of each: a person listed twice
 * must not be paired with themselves. (transfer container) */
static GPtrArray *
unique_contacts (GPtrArray *contacts)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *out = g_ptr_array_sized_new (contacts->len);

  for (guint i = 0; i < contacts->len; i++)
    {
      TbContact *c = g_ptr_array_index (contacts, i);
      if (g_hash_table_add (ids, &c->id))
        g_ptr_array_add (out, c);
    }
  return out;
}

GPtrArray *
tb_intros_suggest (GPtrArray *contacts, GHashTable *excluded, guint limit)
{
  Index ix = { 0 };
  Keeper keeper = { 0 };
  g_autofree float *acc = NULL;
  g_autofree guint8 *seen = NULL;
  g_autoptr (GArray) cands = NULL;
  GPtrArray *result;
  gint64 t0, t1;

  g_return_val_if_fail (contacts != NULL, NULL);

  result = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tb_intro_suggestion_free);
  contacts = unique_contacts (contacts);
  if (contacts->len < 2)
    {
      g_ptr_array_unref (contacts);
      return result;
    }

  t0 = g_get_monotonic_time ();
  index_build (&ix, contacts);
  t1 = g_get_monotonic_time ();

  acc = g_new0 (float, MAX (MAX (ix.needs.sigs->len, ix.offers.sigs->len), 1));
  seen = g_new0 (guint8, contacts->len);
  cands = g_array_new (FALSE, FALSE, sizeof (guint));
  keeper.kept = g_array_new (FALSE, FALSE, sizeof (Cand));
  /* "All" of a big network is millions of weak pairs nobody reads. */
  keeper.limit = limit == 0 ? TB_INTROS_MAX_SUGGESTIONS
                            : MIN (limit, TB_INTROS_MAX_SUGGESTIONS);
  keeper.excluded = excluded;
  keeper.kept_pairs
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < contacts->len; i++)
    {
      gather (&ix, &ix.needs, i, acc, cands, seen);
      gather (&ix, &ix.offers, i, acc, cands, seen);
      for (guint t = 0; t < cands->len; t++)
        {
          guint j = g_array_index (cands, guint, t);

          consider_pair (&ix, &keeper, i, j);
          seen[j] = 0;
        }
      g_array_set_size (cands, 0);
    }

  g_array_sort (keeper.kept, cand_cmp);
  g_debug ("%u contacts: %u need and %u offer phrasings, index %.3f s, "
           "matching %.3f s",
           contacts->len, ix.needs.sigs->len, ix.offers.sigs->len,
           (t1 - t0) / 1e6, (g_get_monotonic_time () - t1) / 1e6);
  for (guint n = 0; n < keeper.kept->len; n++)
    {
      const Cand *c = &g_array_index (keeper.kept, Cand, n);
      const TbContact *a = g_ptr_array_index (contacts, c->a);
      const TbContact *b = g_ptr_array_index (contacts, c->b);
      TbIntroSuggestion *s = g_new0 (TbIntroSuggestion, 1);

      s->a_id = a->id;
      s->a_name = g_strdup (contact_name (a));
      s->b_id = b->id;
      s->b_name = g_strdup (contact_name (b));
      s->reason = cand_reason (&ix, c);
      s->score = c->score;
      g_ptr_array_add (result, s);
    }

  g_array_unref (keeper.kept);
  g_hash_table_unref (keeper.kept_pairs);
  index_clear (&ix);
  g_ptr_array_unref (contacts);
  return result;
}

/* ---- the introduction ---- */

/* The best need of @x that an offer of @y meets, by plain word overlap. */
static gboolean
best_pair_facts (const TbContact *x, const TbContact *y,
                 const TbFact **out_need, const TbFact **out_offer)
{
  double best = 0;

  *out_need = *out_offer = NULL;
  for (guint f = 0; x->facts != NULL && f < x->facts->len; f++)
    {
      const TbFact *need = g_ptr_array_index (x->facts, f);
      g_auto (GStrv) nk = NULL;

      if (need->kind != TB_FACT_NEED && need->kind != TB_FACT_GOAL)
        continue;
      nk = tb_words_keys (need->text ? need->text : "");
      if (nk[0] == NULL)
        continue;
      for (guint g = 0; y->facts != NULL && g < y->facts->len; g++)
        {
          const TbFact *offer = g_ptr_array_index (y->facts, g);
          g_auto (GStrv) ok = NULL;
          guint common = 0;
          double score;

          if (offer->kind != TB_FACT_OFFER)
            continue;
          ok = tb_words_keys (offer->text ? offer->text : "");
          for (guint k = 0; nk[k] != NULL; k++)
            common += g_strv_contains ((const char *const *) ok, nk[k]);
          if (common == 0)
            continue;
          score = (double) common / g_strv_length (nk)
                  * (need->kind == TB_FACT_GOAL ? GOAL_FACTOR : 1.0);
          if (score > best)
            {
              best = score;
              *out_need = need;
              *out_offer = offer;
            }
        }
    }
  return best > 0;
}

/* "Ana" from "Ana Silva"; "Dr. Ana Silva" -> "Ana". */
static char *
first_name (const TbContact *c)
{
  g_auto (GStrv) words = g_strsplit (contact_name (c), " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize n = strlen (words[i]);
      if (n == 0 || (words[i][n - 1] == '.' && words[i + 1] != NULL))
        continue;
      return g_strdup (words[i]);
    }
  return g_strdup (contact_name (c));
}

/* "Bo Berg (UX lead at Acme)" */
static void
append_who (GString *out, const TbContact *c)
{
  g_string_append (out, contact_name (c));
  if (c->position != NULL && c->company != NULL)
    g_string_append_printf (out, " (%s at %s)", c->position, c->company);
  else if (c->position != NULL || c->company != NULL)
    g_string_append_printf (out, " (%s)",
                            c->position != NULL ? c->position : c->company);
}

/* "Ana, meet Bo Berg (UX lead at Acme). Bo offers UX design." */
static void
append_meet (GString *out, const TbContact *to, const TbContact *other)
{
  g_autofree char *to_first = first_name (to);
  g_autofree char *other_first = first_name (other);
  const TbFact *need, *offer;
  TbContact shown = *other;

  g_string_append_printf (out, "%s, meet ", to_first);
  append_who (out, other);
  g_string_append (out, ".");

  /* Say what the other one brings for this reader, or needs from them,
   * using their first name as a reader would. */
  shown.name = other_first;
  if (best_pair_facts (to, other, &need, &offer))
    {
      g_string_append_c (out, ' ');
      append_offer (out, &shown, offer);
      g_string_append_c (out, '.');
    }
  if (best_pair_facts (other, to, &need, &offer))
    {
      g_string_append_c (out, ' ');
      append_need (out, &shown, need);
      g_string_append_c (out, '.');
    }
}

char *
tb_intros_compose_subject (const TbContact *a, const TbContact *b)
{
  return g_strdup_printf ("Introduction: %s and %s", contact_name (a),
                          contact_name (b));
}

char *
tb_intros_compose_text (const TbContact *a, const TbContact *b,
                        const char *note)
{
  GString *out = g_string_new (NULL);
  g_autofree char *a_first = first_name (a);
  g_autofree char *b_first = first_name (b);
  g_autofree char *trimmed = g_strstrip (g_strdup (note ? note : ""));

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  g_string_append_printf (out, "Hi %s and %s,\n\n", a_first, b_first);
  g_string_append (out, "Thank you both for saying yes to this "
                        "introduction.\n\n");
  append_meet (out, a, b);
  g_string_append (out, "\n\n");
  append_meet (out, b, a);
  g_string_append (out, "\n\n");
  if (*trimmed != '\0')
    g_string_append_printf (out, "%s\n\n", trimmed);
  g_string_append (out, "I'll let you two take it from here.\n\nBest,\n");
  return g_string_free (out, FALSE);
}

/* An address we can put in a mailto: one "@", no spaces, no controls. */
static gboolean
usable_address (const char *email)
{
  const char *at;

  if (email == NULL || *email == '\0')
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@'))
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || *p == 0x7f || *p == ',' || *p == '<'
          || *p == '>')
        return FALSE;
    }
  return TRUE;
}

/* RFC 6068 wants line breaks in a body as CRLF. */
static char *
crlf (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n')
        g_string_append (out, "\r\n");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
tb_intros_mailto_uri (const TbContact *a, const TbContact *b,
                      const char *subject, const char *body)
{
  GString *uri = g_string_new ("mailto:");
  const TbContact *who[] = { a, b };
  gboolean first = TRUE;
  char sep = '?';

  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autofree char *esc = NULL;

      if (who[i] == NULL || !usable_address (who[i]->email))
        continue;
      esc = g_uri_escape_string (who[i]->email, "@", FALSE);
      if (!first)
        g_string_append_c (uri, ',');
      g_string_append (uri, esc);
      first = FALSE;
    }
  if (subject != NULL && *subject != '\0')
    {
      g_autofree char *esc = g_uri_escape_string (subject, NULL, FALSE);
      g_string_append_printf (uri, "%csubject=%s", sep, esc);
      sep = '&';
    }
  if (body != NULL && *body != '\0')
    {
      g_autofree char *lines = crlf (body);
      g_autofree char *esc = g_uri_escape_string (lines, NULL, FALSE);
      g_string_append_printf (uri, "%cbody=%s", sep, esc);
    }
  return g_string_free (uri, FALSE);
}
