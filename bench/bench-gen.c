/* bench-gen.c — a synthetic network for benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-bench"

#include "config.h"

#include "bench-gen.h"
#include "tb-contact.h"

static const char *const topics[] = {
  "UX design",
  "product management",
  "seed investors",
  "angel investing",
  "fundraising",
  "python",
  "rust",
  "kubernetes",
  "devops",
  "data science",
  "machine learning",
  "marketing",
  "growth marketing",
  "sales",
  "hiring",
  "recruiting",
  "legal advice on contracts",
  "accounting",
  "tax",
  "branding",
  "copywriting",
  "public speaking",
  "climate tech",
  "fintech",
  "healthcare",
  "biotech",
  "edtech",
  "real estate",
  "photography",
  "video editing",
  "podcasting",
  "community building",
  "open source",
  "security",
  "cryptography",
  "embedded systems",
  "hardware",
  "robotics",
  "logistics",
  "supply chain",
  "retail",
  "e-commerce",
  "SEO",
  "content strategy",
  "mobile apps",
  "iOS development",
  "Android development",
  "frontend",
  "backend",
  "databases",
  "PostgreSQL",
  "analytics",
  "customer success",
  "partnerships",
  "business development",
  "operations",
  "coaching",
  "leadership",
  "mentoring",
  "career change",
  "relocation to Lisbon",
  "Berlin startups",
  "nonprofits",
  "grant writing",
  "journalism",
  "PR",
  "translation",
  "German",
  "Spanish",
  "Japanese",
  "architecture",
  "interior design",
  "industrial design",
  "3D printing",
  "game design",
  "music production",
  "event planning",
  "cooking",
  "specialty coffee",
  "wine",
  "cycling",
  "running",
  "climbing",
  "sailing",
  "chess",
  "board games",
  "urban gardening",
  "solar energy",
  "batteries",
  "electric vehicles",
  "aviation",
  "space",
  "quantum computing",
  "blockchain",
  "privacy",
  "accessibility",
  "localization",
  "compliance",
  "GDPR",
  "insurance",
  "banking",
  "payments",
  "pricing",
  "negotiation",
};
static const char *const roles[] = {
  "designer",   "engineer", "developer", "consultant", "advisor", "mentor",
  "investor",   "founder",  "lawyer",    "writer",     "editor",  "coach",
  "researcher", "partner",  "recruiter", "expert",
};
static const char *const need_forms[] = {
  "looking for a %s %s",     "%s %s",
  "someone who knows %s",    "help with %s",
  "a %s %s for our startup", "intro to a %s %s",
};
static const char *const offer_forms[] = {
  "%s", "can help with %s", "%s %s", "advice on %s", "intros to %s people",
};
static const char *const tags[] = {
  "friends", "work",     "founders",   "investors",         "berlin",  "lisbon",
  "alumni",  "climbing", "conference", "former colleagues", "clients", "family",
};
static const char *const first[] = {
  "Ana",  "Bo",    "Chen", "Dana",  "Émile", "Fatima", "Gus",   "Hana",  "Ivan",
  "Jo",   "Kofi",  "Lena", "Mateo", "Nia",   "Omar",   "Priya", "Quinn", "Rosa",
  "Sven", "Tariq", "Uma",  "Vera",  "Wei",   "Ximena", "Yusuf", "Zoë",
};

/* Skewed pick: low indices much more often. */
static guint
pick (GRand *r, guint n)
{
  double u = g_rand_double (r);
  return (guint) (u * u * n);
}

static char *
fill (GRand *r, const char *form)
{
  const char *topic = topics[pick (r, G_N_ELEMENTS (topics))];
  const char *role = roles[g_rand_int_range (r, 0, G_N_ELEMENTS (roles))];
  int n_args = 0;

  for (const char *p = form; *p != '\0'; p++)
    n_args += (p[0] == '%' && p[1] == 's');
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (n_args == 2)
    return g_strdup_printf (form, topic, role);
  return g_strdup_printf (form, topic);
#pragma GCC diagnostic pop
}

GPtrArray *
tb_bench_generate_contacts (guint n, guint facts_per_contact, guint32 seed)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (seed);
  GPtrArray *contacts
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);

  for (guint i = 0; i < n; i++)
    {
      TbContact *c = tb_contact_new ();
      GStrvBuilder *tb = g_strv_builder_new ();

      c->id = i + 1;
      c->name = g_strdup_printf (
          "%s %u", first[g_rand_int_range (r, 0, G_N_ELEMENTS (first))], i + 1);
      for (guint f = 0; f < facts_per_contact; f++)
        {
          /* needs and offers most, then interests, then goals */
          static const TbFactKind kinds[] = {
            TB_FACT_NEED,     TB_FACT_OFFER, TB_FACT_OFFER,
            TB_FACT_INTEREST, TB_FACT_GOAL,  TB_FACT_NEED,
          };
          TbFactKind kind = kinds[(f + i) % G_N_ELEMENTS (kinds)];
          char *text;

          if (kind == TB_FACT_NEED || kind == TB_FACT_GOAL)
            text = fill (
                r,
                need_forms[g_rand_int_range (r, 0, G_N_ELEMENTS (need_forms))]);
          else if (kind == TB_FACT_OFFER)
            text = fill (r, offer_forms[g_rand_int_range (
                                r, 0, G_N_ELEMENTS (offer_forms))]);
          else
            text = g_strdup (topics[pick (r, G_N_ELEMENTS (topics))]);
          tb_contact_add_fact (c, tb_fact_new (kind, text));
          g_free (text);
        }
      g_strv_builder_add (tb, tags[pick (r, G_N_ELEMENTS (tags))]);
      if (g_rand_boolean (r))
        g_strv_builder_add (tb, tags[pick (r, G_N_ELEMENTS (tags))]);
      c->tags = g_strv_builder_end (tb);
      g_strv_builder_unref (tb);
      g_ptr_array_add (contacts, c);
    }
  return contacts;
}
