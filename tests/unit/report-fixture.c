/* report-fixture.c — see report-fixture.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "report-fixture.h"

static TbContact *
person (gint64 id, const char *name, gint64 due_in_days, gint64 last_days_ago)
{
  TbContact *c = tb_contact_new ();

  c->id = id;
  c->name = g_strdup (name);
  c->source = g_strdup ("linkedin");
  c->due_at = REPORT_FIXTURE_NOW + due_in_days * 86400;
  if (last_days_ago > 0)
    {
      c->last_interaction_at = REPORT_FIXTURE_NOW - last_days_ago * 86400;
      c->last_interaction_kind = TB_KIND_COFFEE;
      c->last_conversation_at = c->last_interaction_at;
    }
  return c;
}

void
report_fixture_init (ReportFixture *f)
{
  TbStatsCounts *t;
  TbContact *c;
  static const gint64 months[TB_STATS_MONTHS]
      = { 3, 5, 2, 0, 7, 9, 4, 6, 11, 8, 12, 5 };

  f->tz = g_time_zone_new_identifier ("Europe/Lisbon");
  g_assert (f->tz != NULL);
  f->stats = tb_stats_new ();
  f->stats->total = (TbStatsCounts){
    .contacts = 1287,
    .talked = 213,
    .never_talked = 1074,
    .never_talked_linkedin = 951,
    .overdue = 37,
    .on_track = 176,
    .conversations_30d = 19,
    .conversations_90d = 58,
    .introductions = 23,
  };
  tb_stats_set_months (f->stats, REPORT_FIXTURE_NOW, f->tz, NULL);
  for (guint i = 0; i < TB_STATS_MONTHS; i++)
    f->stats->conversations_per_month[i] = months[i];

  t = tb_stats_add_tag (f->stats, "founders");
  t->contacts = 40, t->overdue = 12, t->on_track = 28;
  t = tb_stats_add_tag (f->stats, "investors");
  t->contacts = 25, t->overdue = 9, t->on_track = 16;
  t = tb_stats_add_tag (f->stats, "<b>friends</b>");
  t->contacts = 30, t->overdue = 4, t->on_track = 26;
  t = tb_stats_add_tag (f->stats, "Lisbon café crowd");
  t->contacts = 18, t->overdue = 7, t->on_track = 11;

  f->due = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_contact_free);
  c = person (1, "Ana Silva", -12, 95);
  c->company = g_strdup ("Acme");
  c->position = g_strdup ("Founder");
  c->email = g_strdup ("ana@example.org");
  c->url = g_strdup ("https://www.linkedin.com/in/ana-silva");
  c->phone = g_strdup ("+351 912 345 678");
  c->tags = g_strsplit ("founders,lisbon", ",", -1);
  tb_contact_add_fact (
      c, tb_fact_new (TB_FACT_GOAL, "her move to Lisbon & a seed round"));
  g_ptr_array_add (f->due, c);

  c = person (2, "<script>alert(1)</script> Mallory", -3, 0);
  c->url = g_strdup ("javascript:alert(document.cookie)");
  c->email = g_strdup ("\"><svg/onload=alert(1)>@evil.example");
  c->company = g_strdup ("<img src=\"https://evil.example/track.gif\">");
  tb_contact_add_fact (
      c, tb_fact_new (TB_FACT_NEED, "<iframe src=\"http://evil.example/\">"));
  g_ptr_array_add (f->due, c);

  c = person (3, "Bo Berg", 0, 40);
  c->url = g_strdup ("http://bo.example.com/about");
  c->tags = g_strsplit ("investors", ",", -1);
  g_ptr_array_add (f->due, c);

  c = person (4, "Zoë Øster-Ñúñez with a rather long name indeed", 2, 0);
  c->url = g_strdup ("data:text/html,<script>alert(1)</script>");
  c->phone = g_strdup ("call me maybe");
  g_ptr_array_add (f->due, c);

  f->suggestions = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tb_intro_suggestion_free);
  {
    TbIntroSuggestion *s = g_new0 (TbIntroSuggestion, 1);
    s->a_id = 1;
    s->a_name = g_strdup ("Ana Silva");
    s->b_id = 3;
    s->b_name = g_strdup ("Bo Berg");
    s->reason = g_strdup ("Ana Silva is looking for seed investors; Bo Berg "
                          "offers seed investing in climate tech.");
    s->score = 1.1;
    g_ptr_array_add (f->suggestions, s);
    s = g_new0 (TbIntroSuggestion, 1);
    s->a_id = 2;
    s->a_name = g_strdup ("<script>alert(2)</script>");
    s->b_id = 4;
    s->b_name = g_strdup ("Zoë");
    s->reason = g_strdup ("<b>bold</b> & \"quoted\" needs");
    s->score = 0.7;
    g_ptr_array_add (f->suggestions, s);
  }
}

void
report_fixture_clear (ReportFixture *f)
{
  g_clear_pointer (&f->stats, tb_stats_free);
  g_clear_pointer (&f->due, g_ptr_array_unref);
  g_clear_pointer (&f->suggestions, g_ptr_array_unref);
  g_clear_pointer (&f->tz, g_time_zone_unref);
}

char *
report_fixture_render (ReportFixture *f)
{
  return tb_report_render (f->stats, f->due, f->suggestions, REPORT_FIXTURE_NOW,
                           f->tz);
}
