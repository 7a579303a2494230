/* test-review.c — ranking the review queue and pacing its notifications
 * (daemon/core/tb-review.c), and the words of a review notification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-reminder.h"
#include "tb-review.h"
#include "tb-time.h"

/* 2026-01-20T12:00:00Z */
#define NOW G_GINT64_CONSTANT (1768910400)
/* 2026-01-05T00:00:00Z */
#define JAN_5 G_GINT64_CONSTANT (1767571200)

static GPtrArray *
facts_of (TbFactKind kind, const char *text)
{
  GPtrArray *facts
      = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_fact_free);

  g_ptr_array_add (facts, tb_fact_new (kind, text));
  return facts;
}

static TbReviewRanker *
ranker_with_bo (guint limit, GTimeZone *tz)
{
  TbReviewRanker *r = tb_review_ranker_new (limit, NOW, tz);
  const char *const tags[] = { "design", NULL };
  g_autoptr (GPtrArray) facts
      = facts_of (TB_FACT_NEED, "a UX designer for the new app");

  tb_review_ranker_add_tracked (r, "Bo Berg", "Solara", tags, facts);
  /* A second person at the same company: the first one named stays. */
  tb_review_ranker_add_tracked (r, "Cy Diaz", "SOLARA ", NULL, NULL);
  tb_review_ranker_add_tracked (r, "Di Eng", "Self-employed", NULL, NULL);
  return r;
}

static const TbReviewEntry *
entry (GPtrArray *entries, guint i)
{
  g_assert_cmpuint (i, <, entries->len);
  return g_ptr_array_index (entries, i);
}

static void
test_signals_and_reasons (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (TbReviewRanker) r = ranker_with_bo (10, utc);
  g_autoptr (GPtrArray) offers
      = facts_of (TB_FACT_OFFER, "UX design and research");
  const char *const design[] = { "design", NULL };
  const TbReviewCandidate candidates[] = {
    /* Nothing at all. */
    { .id = 1 },
    /* Only an address. */
    { .id = 2, .email = "ed@example.org" },
    /* Same company, in another spelling; connected on 5 January. */
    { .id = 3, .company = "solara", .connected_on = JAN_5 },
    /* Offers what Bo needs. */
    { .id = 4, .facts = offers },
    /* A shared tag. */
    { .id = 5, .tags = design },
    /* "Self-employed" is no company to share. */
    { .id = 6, .company = "self-employed" },
  };
  g_autoptr (GPtrArray) entries = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    tb_review_ranker_offer (r, &candidates[i]);
  g_assert_cmpuint (tb_review_ranker_get_total (r), ==, 6);
  entries = tb_review_ranker_finish (r);
  g_assert_cmpuint (entries->len, ==, 6);

  /* Company and a recent connection, then the offer, then tag and
   * address (equal: the smaller id first), then nothing. */
  g_assert_cmpint (entry (entries, 0)->id, ==, 3);
  g_assert_cmpstr (entry (entries, 0)->reason, ==,
                   "same company as Bo Berg · connected 5 Jan 2026");
  g_assert_cmpint (entry (entries, 1)->id, ==, 4);
  g_assert_cmpstr (entry (entries, 1)->reason, ==,
                   "offers what Bo Berg is looking for");
  g_assert_cmpint (entry (entries, 2)->id, ==, 2);
  g_assert_cmpstr (entry (entries, 2)->reason, ==, "has an e-mail address");
  g_assert_cmpint (entry (entries, 3)->id, ==, 5);
  g_assert_cmpstr (entry (entries, 3)->reason, ==,
                   "tagged “design” like Bo Berg");
  g_assert_cmpint (entry (entries, 4)->id, ==, 1);
  g_assert_cmpstr (entry (entries, 4)->reason, ==, "nothing in common yet");
  g_assert_cmpint (entry (entries, 5)->id, ==, 6);
  g_assert_cmpstr (entry (entries, 5)->reason, ==, "nothing in common yet");
  g_assert_cmpfloat (entry (entries, 0)->score, >, entry (entries, 1)->score);
}

static void
test_recent_first (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (TbReviewRanker) r = tb_review_ranker_new (3, NOW, utc);
  g_autoptr (GPtrArray) entries = NULL;
  const TbReviewCandidate old = { .id = 1, .connected_on = NOW - 900 * TB_DAY };
  const TbReviewCandidate recent = { .id = 2, .connected_on = NOW - TB_DAY };
  const TbReviewCandidate month
      = { .id = 3, .connected_on = NOW - 30 * TB_DAY };

  tb_review_ranker_offer (r, &old);
  tb_review_ranker_offer (r, &recent);
  tb_review_ranker_offer (r, &month);
  entries = tb_review_ranker_finish (r);
  g_assert_cmpint (entry (entries, 0)->id, ==, 2);
  g_assert_cmpint (entry (entries, 1)->id, ==, 3);
  g_assert_cmpint (entry (entries, 2)->id, ==, 1);
  /* An address outweighs a connection years ago, not one yesterday. */
  g_assert_cmpfloat (entry (entries, 2)->score, <, 1.0);
  g_assert_cmpfloat (entry (entries, 0)->score, >, 1.0);
}

/* A long queue keeps only the page: the same best as sorting it all. */
static void
test_top_n_of_many (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (TbReviewRanker) r = ranker_with_bo (5, utc);
  g_autoptr (GPtrArray) entries = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  for (gint64 id = 1; id <= 30000; id++)
    {
      TbReviewCandidate c = {
        .id = id,
        .email = g_rand_boolean (rand) ? "x@example.org" : NULL,
        .connected_on = NOW - g_rand_int_range (rand, 10, 3000) * TB_DAY,
        /* Five of them work at Solara, spread through the queue. */
        .company = id % 6000 == 17 ? "Solara" : "Elsewhere",
      };

      tb_review_ranker_offer (r, &c);
    }
  g_rand_free (rand);
  g_assert_cmpuint (tb_review_ranker_get_total (r), ==, 30000);
  entries = tb_review_ranker_finish (r);
  g_assert_cmpuint (entries->len, ==, 5);
  for (guint i = 0; i < entries->len; i++)
    {
      g_assert_cmpint (entry (entries, i)->id % 6000, ==, 17);
      g_assert_true (
          g_str_has_prefix (entry (entries, i)->reason, "same company as"));
      if (i > 0)
        g_assert_cmpfloat (entry (entries, i - 1)->score, >=,
                           entry (entries, i)->score);
    }
}

static void
test_notice_slots (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (TbConfig) config = tb_config_new_default ();
  gint64 midnight = tb_time_day_start (NOW, utc);
  gint64 day;

  /* Default quiet hours 21:00-09:00: three over 09:00-21:00. */
  day = tb_review_day_start (config, NOW, utc);
  g_assert_cmpint (day, ==, midnight + 9 * 3600);
  g_assert_cmpint (tb_review_notice_at (config, day, 0, utc), ==, day);
  g_assert_cmpint (tb_review_notice_at (config, day, 1, utc), ==,
                   day + 4 * 3600);
  g_assert_cmpint (tb_review_notice_at (config, day, 2, utc), ==,
                   day + 8 * 3600);
  g_assert_cmpint (tb_review_notice_at (config, day, 3, utc), ==, day + TB_DAY);
  /* At 08:00 the review day is still yesterday's. */
  g_assert_cmpint (tb_review_day_start (config, midnight + 8 * 3600, utc), ==,
                   midnight - 15 * 3600);

  /* No quiet hours: from midnight, over the whole day. */
  config->quiet_enabled = FALSE;
  config->review_per_day = 2;
  day = tb_review_day_start (config, NOW, utc);
  g_assert_cmpint (day, ==, midnight);
  g_assert_cmpint (tb_review_notice_at (config, day, 1, utc), ==,
                   midnight + 12 * 3600);
  g_assert_cmpint (tb_review_notice_at (config, day, 2, utc), ==,
                   midnight + TB_DAY);

  /* Off. */
  config->review_per_day = 0;
  g_assert_cmpint (tb_review_notice_at (config, day, 0, utc), ==, 0);
}

static void
test_notification_text (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (TbContact) c = tb_contact_new ();
  TbReminderStyle style
      = { .markup = TRUE, .actions = TRUE, .now = NOW, .tz = utc };
  g_auto (TbReminderText) text = { 0 };
  g_auto (TbReminderText) plain = { 0 };

  c->id = 7;
  c->name = g_strdup ("Ana <b>Lima</b>");
  c->position = g_strdup ("UX Researcher");
  c->company = g_strdup ("Solara & Co");
  tb_reminder_for_review (c, "connected 5 Jan 2026 · same company as Bo Berg",
                          &style, &text);
  /* The summary is plain text; the body is escaped markup. */
  g_assert_cmpstr (text.summary, ==, "Keep in touch with Ana <b>Lima</b>?");
  g_assert_cmpstr (text.body, ==,
                   "UX Researcher at Solara &amp; Co, connected 5 Jan 2026 · "
                   "same company as Bo Berg");

  style.markup = FALSE;
  style.actions = FALSE;
  tb_reminder_for_review (c, "has an e-mail address", &style, &plain);
  g_assert_true (g_str_has_prefix (
      plain.body, "UX Researcher at Solara & Co, has an e-mail address\n"));
  g_assert_nonnull (strstr (plain.body, "touchbase track 7"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/review/signals-and-reasons", test_signals_and_reasons);
  g_test_add_func ("/review/recent-first", test_recent_first);
  g_test_add_func ("/review/top-n-of-many", test_top_n_of_many);
  g_test_add_func ("/review/notice-slots", test_notice_slots);
  g_test_add_func ("/review/notification-text", test_notification_text);
  return g_test_run ();
}
