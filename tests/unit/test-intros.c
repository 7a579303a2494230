/* test-intros.c — words, matching and the introduction text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-intros.h"
#include "tb-reminder.h"
#include "tb-words.h"

/* A contact from "kind:text" facts, e.g. "need:a UX designer". */
static TbContact *
make_contact (gint64 id, const char *name, const char *const *facts,
              const char *const *tags)
{
  TbContact *c = tb_contact_new ();

  c->id = id;
  c->name = g_strdup (name);
  for (guint i = 0; facts != NULL && facts[i] != NULL; i++)
    {
      const char *colon = strchr (facts[i], ':');
      g_autofree char *kind_str = g_strndup (facts[i], colon - facts[i]);
      TbFactKind kind;

      g_assert_true (tb_fact_kind_from_string (kind_str, &kind));
      tb_contact_add_fact (c, tb_fact_new (kind, colon + 1));
    }
  if (tags != NULL)
    c->tags = g_strdupv ((char **) tags);
  return c;
}

static GPtrArray *
contacts_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
}

#define FACTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Suggestions for a need and an offer between two people. */
static GPtrArray *
suggest_pair (const char *need, const char *offer)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autofree char *n = g_strconcat ("need:", need, NULL);
  g_autofree char *o = g_strconcat ("offer:", offer, NULL);

  g_ptr_array_add (contacts, make_contact (1, "Ana", FACTS (n), NULL));
  g_ptr_array_add (contacts, make_contact (2, "Bo", FACTS (o), NULL));
  return tb_intros_suggest (contacts, NULL, 0);
}

static void
test_words_fold (void)
{
  struct
  {
    const char *in, *out;
  } cases[] = {
    { "Café", "café" }, /* folded case; accents go in keys, below */
    { "STRASSE", "strasse" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *f = tb_words_fold (cases[i].in);
      g_autofree char *expected = tb_words_fold (cases[i].out);
      g_assert_cmpstr (f, ==, expected);
    }
  {
    g_autofree char *f = tb_words_fold ("Crème Brûlée ÉCOLE Søren Straße");
    g_assert_cmpstr (f, ==, "creme brulee ecole soren strasse");
  }
}

static void
test_words_tokens (void)
{
  g_autoptr (GPtrArray) t = tb_words_tokenize (
      "C++ and C# devs; founder's co-founder (node.js) a “quoted” x");
  const char *expected[] = {
    "c++", "and",     "c#",   "devs", "founders",
    "co",  "founder", "node", "js",   "quoted",
  };

  g_assert_cmpuint (t->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < t->len; i++)
    g_assert_cmpstr (g_ptr_array_index (t, i), ==, expected[i]);
}

static void
test_words_stem (void)
{
  const char *groups[][6] = {
    { "designer", "design", "designing", "designs", "designed", "designers" },
    { "investors", "investor", "investing", "investment", "invest",
      "invested" },
    { "introductions", "introduce", "introducing", "introduced", "introduction",
      NULL },
    { "engineer", "engineers", "engineering", NULL },
    { "company", "companies", NULL },
    { "consultant", "consulting", "consult", "consultants", NULL },
    { "automation", "automate", "automating", "automated", NULL },
    { "planning", "plan", "plans", "planned", NULL },
    { "leader", "leadership", "leaders", "lead", "leading", NULL },
    { "organization", "organizer", "organize", "organizing", NULL },
  };

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      g_autofree char *first = tb_words_stem (groups[g][0]);
      for (guint i = 1; i < 6 && groups[g][i] != NULL; i++)
        {
          g_autofree char *s = tb_words_stem (groups[g][i]);
          g_test_message ("%s -> %s, %s -> %s", groups[g][0], first,
                          groups[g][i], s);
          g_assert_cmpstr (s, ==, first);
        }
    }

  /* Words that must stay apart. */
  {
    const char *pairs[][2] = {
      { "need", "ne" },     { "speed", "spe" },   { "career", "care" },
      { "news", "new" },    { "series", "sery" }, { "floor", "flo" },
      { "design", "sign" }, { "string", "str" },  { "data", "date" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
      {
        g_autofree char *a = tb_words_stem (pairs[i][0]);
        g_autofree char *b = tb_words_stem (pairs[i][1]);
        g_test_message ("%s -> %s, %s -> %s", pairs[i][0], a, pairs[i][1], b);
        g_assert_cmpstr (a, !=, b);
      }
  }
}

static void
test_words_filler (void)
{
  const char *filler[] = {
    "the",   "for",     "with",    "someone",       "somebody", "people",
    "help",  "helping", "looking", "need",          "needs",    "good",
    "great", "new",     "intro",   "introductions", "advice",
  };
  const char *meaningful[] = {
    "design", "investors",   "python", "learning", "network",
    "news",   "fundraising", "ux",     "coffee",
  };

  for (guint i = 0; i < G_N_ELEMENTS (filler); i++)
    g_assert_true (tb_words_is_filler (filler[i]));
  for (guint i = 0; i < G_N_ELEMENTS (meaningful); i++)
    g_assert_false (tb_words_is_filler (meaningful[i]));

  {
    g_auto (GStrv) k = tb_words_keys ("Looking for someone good to help "
                                      "with new things");
    g_assert_cmpuint (g_strv_length (k), ==, 0);
  }
  {
    g_auto (GStrv) k = tb_words_keys ("Looking for a UX designer, a UX "
                                      "DESIGNER!");
    g_assert_cmpuint (g_strv_length (k), ==, 2);
    g_assert_cmpstr (k[0], ==, "ux");
    g_assert_cmpstr (k[1], ==, "design");
  }
}

static void
test_match_positive (void)
{
  const char *cases[][2] = {
    { "a UX designer", "UX design" },
    { "Looking for investors", "investing in seed-stage startups" },
    { "intro to an investor", "Angel investing" },
    { "help with her café", "runs a cafe consultancy" },
    { "CAFÉ SUPPLIERS", "café supplier" },
    { "Python developers", "python development" },
    { "someone who knows Kubernetes", "kubernetes" },
    { "a designer for our fintech app", "design" },
    { "Søren-style furniture", "soren furniture" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) s = suggest_pair (cases[i][0], cases[i][1]);
      TbIntroSuggestion *first;

      g_test_message ("need \"%s\" / offer \"%s\": %u", cases[i][0],
                      cases[i][1], s->len);
      g_assert_cmpuint (s->len, ==, 1);
      first = g_ptr_array_index (s, 0);
      g_assert_cmpint (first->a_id, ==, 1);
      g_assert_cmpint (first->b_id, ==, 2);
      g_assert_cmpfloat (first->score, >, 0.0);
    }
}

static void
test_match_negative (void)
{
  const char *cases[][2] = {
    /* filler words alone */
    { "looking for someone good", "helping good people" },
    { "need help with new things", "can help with new things" },
    { "an intro", "introductions" },
    { "advice from experts", "expert advice" },
    { "the best people for the job", "people" },
    /* different things */
    { "a UX designer", "interior design for hotels and restaurants" },
    { "seed investors", "python training" },
    { "news", "new things" },
    { "", "UX design" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) s = suggest_pair (cases[i][0], cases[i][1]);
      g_test_message ("need \"%s\" / offer \"%s\": %u", cases[i][0],
                      cases[i][1], s->len);
      g_assert_cmpuint (s->len, ==, 0);
    }
}

static void
test_match_reason (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) s = NULL;
  TbIntroSuggestion *first;

  g_ptr_array_add (contacts,
                   make_contact (7, "Bo",
                                 FACTS ("offer:UX design",
                                        "need:a Rust mentor for embedded work",
                                        "interest:climate tech"),
                                 ((const char *const[]){ "Berlin", NULL })));
  g_ptr_array_add (
      contacts,
      make_contact (3, "Ana",
                    FACTS ("need:Looking for a UX "
                           "designer.",
                           "offer:Rust mentoring", "interest:Climate"),
                    ((const char *const[]){ "berlin", NULL })));
  s = tb_intros_suggest (contacts, NULL, 10);
  g_assert_cmpuint (s->len, ==, 1);
  first = g_ptr_array_index (s, 0);
  g_test_message ("%s", first->reason);
  /* Ana's need is covered best, so she comes first. */
  g_assert_cmpint (first->a_id, ==, 3);
  g_assert_cmpstr (first->a_name, ==, "Ana");
  g_assert_cmpint (first->b_id, ==, 7);
  g_assert_true (g_str_has_prefix (first->reason,
                                   "Ana is looking for a UX designer; Bo "
                                   "offers UX design."));
  g_assert_nonnull (strstr (first->reason, "In turn, Bo is looking for a "
                                           "Rust mentor for embedded work; "
                                           "Ana offers Rust mentoring."));
  g_assert_nonnull (strstr (first->reason, "Both are into Climate."));
  g_assert_nonnull (strstr (first->reason, "Both tagged berlin."));
}

static void
test_match_self_and_excluded (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GHashTable) excluded = tb_intros_exclusions_new ();
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) some = NULL;

  /* Ana needs what she offers herself: never a pair with herself. */
  g_ptr_array_add (contacts,
                   make_contact (1, "Ana",
                                 FACTS ("need:UX designer", "offer:UX design"),
                                 NULL));
  g_ptr_array_add (contacts,
                   make_contact (2, "Bo", FACTS ("offer:UX design"), NULL));
  g_ptr_array_add (contacts,
                   make_contact (3, "Cy", FACTS ("need:a designer"), NULL));
  /* the same person twice in the input */
  g_ptr_array_add (contacts,
                   make_contact (1, "Ana", FACTS ("offer:design"), NULL));

  all = tb_intros_suggest (contacts, NULL, 0);
  for (guint i = 0; i < all->len; i++)
    {
      TbIntroSuggestion *s = g_ptr_array_index (all, i);
      g_test_message ("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %.3f %s",
                      s->a_id, s->b_id, s->score, s->reason);
      g_assert_cmpint (s->a_id, !=, s->b_id);
    }
  /* 1-2, 1-3 (Ana offers design to Cy), 2-3 */
  g_assert_cmpuint (all->len, ==, 3);

  {
    g_autofree char *k1 = tb_intros_pair_key (2, 1);
    g_autofree char *k2 = tb_intros_pair_key (1, 2);
    g_assert_cmpstr (k1, ==, k2);
    g_assert_cmpstr (k1, ==, "1:2");
  }
  tb_intros_exclude (excluded, 2, 1); /* declined */
  tb_intros_exclude (excluded, 3, 2); /* already introduced */
  some = tb_intros_suggest (contacts, excluded, 0);
  g_assert_cmpuint (some->len, ==, 1);
  {
    TbIntroSuggestion *s = g_ptr_array_index (some, 0);
    g_assert_cmpint (MIN (s->a_id, s->b_id), ==, 1);
    g_assert_cmpint (MAX (s->a_id, s->b_id), ==, 3);
  }
}

static void
test_match_ranking (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) top = NULL;

  g_ptr_array_add (contacts,
                   make_contact (1, "Ana",
                                 FACTS ("need:seed investors for "
                                        "climate tech"),
                                 ((const char *const[]){ "founders", NULL })));
  /* partial: not "seed" */
  g_ptr_array_add (contacts, make_contact (2, "Bo",
                                           FACTS ("offer:angel investing in "
                                                  "climate tech"),
                                           NULL));
  /* full cover */
  g_ptr_array_add (contacts, make_contact (3, "Cy",
                                           FACTS ("offer:seed investing, "
                                                  "climate tech"),
                                           NULL));
  /* full cover plus a shared tag */
  g_ptr_array_add (contacts,
                   make_contact (4, "Di",
                                 FACTS ("offer:seed investors in "
                                        "climate tech"),
                                 ((const char *const[]){ "Founders", NULL })));
  all = tb_intros_suggest (contacts, NULL, 0);
  g_assert_cmpuint (all->len, ==, 3);
  for (guint i = 0; i < all->len; i++)
    {
      TbIntroSuggestion *s = g_ptr_array_index (all, i);
      g_test_message ("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %.3f %s",
                      s->a_id, s->b_id, s->score, s->reason);
      if (i > 0)
        g_assert_cmpfloat (
            s->score, <=,
            ((TbIntroSuggestion *) g_ptr_array_index (all, i - 1))->score);
    }
  g_assert_cmpint (((TbIntroSuggestion *) all->pdata[0])->b_id, ==, 4);
  g_assert_cmpint (((TbIntroSuggestion *) all->pdata[1])->b_id, ==, 3);
  g_assert_cmpint (((TbIntroSuggestion *) all->pdata[2])->b_id, ==, 2);

  /* The limit keeps the best ones, in the same order. */
  top = tb_intros_suggest (contacts, NULL, 2);
  g_assert_cmpuint (top->len, ==, 2);
  for (guint i = 0; i < top->len; i++)
    {
      TbIntroSuggestion *x = g_ptr_array_index (top, i);
      TbIntroSuggestion *y = g_ptr_array_index (all, i);
      g_assert_cmpint (x->b_id, ==, y->b_id);
      g_assert_cmpfloat (x->score, ==, y->score);
    }
}

/* More people meet a need than are looked at per need: the mutual pair
 * still comes first, found from the other direction. */
static void
test_match_crowd (void)
{
  g_autoptr (GPtrArray) contacts = contacts_new ();
  g_autoptr (GPtrArray) s = NULL;
  TbIntroSuggestion *first;

  g_ptr_array_add (contacts, make_contact (1, "Ana",
                                           FACTS ("need:a UX designer",
                                                  "offer:Rust mentoring"),
                                           NULL));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Designer %u", i);
      g_ptr_array_add (
          contacts,
          make_contact (100 + i, name, FACTS ("offer:UX design"), NULL));
    }
  g_ptr_array_add (
      contacts,
      make_contact (50, "Bo", FACTS ("offer:UX design", "need:a Rust mentor"),
                    NULL));
  s = tb_intros_suggest (contacts, NULL, 5);
  g_assert_cmpuint (s->len, ==, 5);
  first = g_ptr_array_index (s, 0);
  g_test_message ("%s", first->reason);
  g_assert_cmpint (MIN (first->a_id, first->b_id), ==, 1);
  g_assert_cmpint (MAX (first->a_id, first->b_id), ==, 50);
  g_assert_cmpfloat (first->score, >,
                     ((TbIntroSuggestion *) g_ptr_array_index (s, 1))->score);
  for (guint i = 1; i < s->len; i++)
    {
      TbIntroSuggestion *x = g_ptr_array_index (s, i);
      g_assert_cmpint (x->a_id, ==, 1);
    }

  /* and no more than the cap, however many pairs there are */
  g_clear_pointer (&s, g_ptr_array_unref);
  s = tb_intros_suggest (contacts, NULL, 0);
  g_assert_cmpuint (s->len, <=, TB_INTROS_MAX_SUGGESTIONS);
  g_assert_cmpuint (s->len, >=, 49);
}

static void
test_compose (void)
{
  g_autoptr (TbContact) a
      = make_contact (1, "Ana Silva", FACTS ("need:a UX designer"), NULL);
  g_autoptr (TbContact) b
      = make_contact (2, "Dr. Bo Berg", FACTS ("offer:UX design"), NULL);
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *uri = NULL;

  b->position = g_strdup ("Design lead");
  b->company = g_strdup ("Acme");
  a->email = g_strdup ("ana@example.org");
  b->email = g_strdup ("bo+work@example.com");

  text = tb_intros_compose_text (a, b, "You are both in Lisbon in May.");
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Hi Ana and Bo,\n"));
  g_assert_nonnull (strstr (text, "Ana, meet Dr. Bo Berg (Design lead at "
                                  "Acme). Bo offers UX design."));
  g_assert_nonnull (strstr (text, "Bo, meet Ana Silva. Ana is looking for a "
                                  "UX designer."));
  g_assert_nonnull (strstr (text, "\nYou are both in Lisbon in May.\n"));

  subject = tb_intros_compose_subject (a, b);
  g_assert_cmpstr (subject, ==, "Introduction: Ana Silva and Dr. Bo Berg");

  uri = tb_intros_mailto_uri (a, b, "Hi & bye?", "line 1\nline 2");
  g_assert_cmpstr (uri, ==,
                   "mailto:ana@example.org,bo%2Bwork@example.com"
                   "?subject=Hi%20%26%20bye%3F&body=line%201%0D%0Aline%202");

  /* A crafted address cannot add recipients or headers. */
  g_free (b->email);
  b->email = g_strdup ("x@y.z?bcc=evil@example.com");
  g_clear_pointer (&uri, g_free);
  uri = tb_intros_mailto_uri (a, b, NULL, NULL);
  g_assert_cmpstr (uri, ==, "mailto:ana@example.org");
  g_free (b->email);
  b->email = g_strdup ("x@y.z&cc=boss");
  g_clear_pointer (&uri, g_free);
  uri = tb_intros_mailto_uri (b, a, "s", NULL);
  g_assert_null (strchr (uri + strlen ("mailto:"), '&'));
}

static void
test_reminder (void)
{
  TbReminderStyle markup = { .markup = TRUE, .actions = TRUE };
  TbReminderStyle plain = { .markup = FALSE, .actions = FALSE };
  g_auto (TbReminderText) a = { 0 };
  g_auto (TbReminderText) b = { 0 };

  tb_reminder_for_intro (1, "Ana <i>", 2, "Bo", "needs <b>UX</b> & more",
                         &markup, &a);
  g_assert_cmpstr (a.summary, ==, "Introduce Ana <i> and Bo?");
  g_assert_cmpstr (a.body, ==, "needs &lt;b&gt;UX&lt;/b&gt; &amp; more");

  tb_reminder_for_intro (1, "Ana", 2, "Bo", "needs <b>UX</b>", &plain, &b);
  g_assert_true (g_str_has_prefix (b.body, "needs <b>UX</b>\n"));
  g_assert_nonnull (strstr (b.body, "touchbase introduce 1 2"));
  g_assert_nonnull (strstr (b.body, "touchbase intros --decline 1 2"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/words/fold", test_words_fold);
  g_test_add_func ("/words/tokens", test_words_tokens);
  g_test_add_func ("/words/stem", test_words_stem);
  g_test_add_func ("/words/filler", test_words_filler);
  g_test_add_func ("/intros/positive", test_match_positive);
  g_test_add_func ("/intros/negative", test_match_negative);
  g_test_add_func ("/intros/reason", test_match_reason);
  g_test_add_func ("/intros/self-and-excluded", test_match_self_and_excluded);
  g_test_add_func ("/intros/ranking", test_match_ranking);
  g_test_add_func ("/intros/crowd", test_match_crowd);
  g_test_add_func ("/intros/compose", test_compose);
  g_test_add_func ("/intros/reminder", test_reminder);

  return g_test_run ();
}
