/* tb-report.c — the HTML report.
 *
 * Everything a contact brings (names, tags, facts, links) goes through
 * esc() or an href builder; the page's own text and numbers do not need
 * to. Charts are inline SVG sized by viewBox, so they scale with the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-report"

#include "config.h"

#include <string.h>

#include "tb-figures.h"
#include "tb-report.h"
#include "tb-time.h"

/* Rows past this are summarised: a page of a thousand people is not read. */
#define MAX_DUE_ROWS 200
#define MAX_TAG_ROWS 12

static const char *const month_abbr[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char style[]
    = ":root{--bg:#f7f7f5;--card:#fff;--fg:#1d1d1f;--muted:#6b6b70;"
      "--line:#e3e3e0;--talked:#2e8b57;--linkedin:#2f6fb0;--never:#b9b9b4;"
      "--overdue:#d9534f;--ontrack:#cfe3d6;--bar:#2f6fb0;--accent:#2f6fb0;"
      "color-scheme:light dark}\n"
      "@media (prefers-color-scheme:dark){:root{--bg:#151517;--card:#1f1f22;"
      "--fg:#ececef;--muted:#a0a0a8;--line:#333338;--talked:#4cbf7f;"
      "--linkedin:#5b9be0;--never:#55555c;--overdue:#ef6f6b;--ontrack:#2c4a38;"
      "--bar:#5b9be0;--accent:#7fb2ea}}\n"
      "*{box-sizing:border-box}\n"
      "body{margin:0;background:var(--bg);color:var(--fg);"
      "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Cantarell,"
      "'Noto Sans',sans-serif;-webkit-text-size-adjust:100%}\n"
      "main,header,footer{max-width:1080px;margin:0 auto;padding:0 20px}\n"
      "header{padding-top:28px}\n"
      "h1{font-size:1.9rem;line-height:1.2;margin:0 0 4px}\n"
      "h2{font-size:1.2rem;margin:36px 0 12px}\n"
      "h3{font-size:1rem;margin:0 0 10px}\n"
      ".sub,.muted{color:var(--muted)}\n"
      ".lead{font-size:1.1rem;margin:12px 0 0;max-width:60ch}\n"
      ".cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));"
      "gap:12px;margin-top:24px}\n"
      ".card,.panel{background:var(--card);border:1px solid var(--line);"
      "border-radius:12px}\n"
      ".card{padding:14px 16px}\n"
      ".card .n{display:block;font-size:1.8rem;font-weight:650;"
      "line-height:1.1;font-variant-numeric:tabular-nums}\n"
      ".card .l{display:block;color:var(--muted);font-size:.9rem}\n"
      ".charts{display:grid;grid-template-columns:repeat(auto-fit,"
      "minmax(300px,1fr));gap:16px}\n"
      ".panel{padding:18px 18px 14px;margin:0;min-width:0}\n"
      ".donut{display:flex;gap:18px;align-items:center;flex-wrap:wrap}\n"
      ".donut svg{width:150px;height:150px;flex:none}\n"
      ".legend{list-style:none;margin:0;padding:0;font-size:.92rem}\n"
      ".legend li{margin:4px 0}\n"
      ".sw{display:inline-block;width:.8em;height:.8em;border-radius:3px;"
      "margin-right:.45em;vertical-align:-.05em}\n"
      ".talked{background:var(--talked)}.linkedin{background:var(--linkedin)}"
      ".never{background:var(--never)}.overdue{background:var(--overdue)}"
      ".ontrack{background:var(--ontrack)}\n"
      ".tags{list-style:none;margin:0;padding:0}\n"
      ".tags li{display:grid;grid-template-columns:minmax(0,9em) 1fr auto;"
      "gap:10px;align-items:center;margin:7px 0;font-size:.92rem}\n"
      ".tags .t{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}\n"
      ".tags svg{width:100%;height:14px;display:block}\n"
      ".tags .c{color:var(--muted);font-variant-numeric:tabular-nums;"
      "white-space:nowrap}\n"
      ".months svg{width:100%;height:auto;display:block}\n"
      "svg text{fill:var(--muted);font:11px system-ui,sans-serif}\n"
      "svg .v{fill:var(--fg);font-weight:600}\n"
      ".people{list-style:none;margin:0;padding:0;display:grid;gap:10px}\n"
      ".person{background:var(--card);border:1px solid var(--line);"
      "border-radius:12px;padding:12px 16px;display:grid;"
      "grid-template-columns:1fr auto;gap:2px 16px}\n"
      ".person .name{font-weight:650}\n"
      ".person .when{text-align:right;white-space:nowrap;font-weight:600}\n"
      ".person .when.late{color:var(--overdue)}\n"
      ".person .meta,.person .ask,.person .links{grid-column:1/-1;"
      "font-size:.92rem}\n"
      ".person .ask{margin-top:2px}\n"
      ".person .links{display:flex;flex-wrap:wrap;gap:2px 16px;"
      "margin-top:2px}\n"
      ".badge{display:inline-block;font-size:.75rem;padding:1px 8px;"
      "border-radius:99px;border:1px solid var(--line);color:var(--muted);"
      "margin-left:6px;vertical-align:.1em;font-weight:500}\n"
      "a{color:var(--accent);text-decoration-thickness:1px;"
      "text-underline-offset:2px;overflow-wrap:anywhere}\n"
      ".intro{background:var(--card);border:1px solid var(--line);"
      "border-radius:12px;padding:12px 16px}\n"
      ".intro .pair{font-weight:650}\n"
      ".intro p{margin:4px 0 6px}\n"
      "code{font:.85rem ui-monospace,'DejaVu Sans Mono',monospace;"
      "background:var(--bg);border:1px solid var(--line);border-radius:6px;"
      "padding:1px 6px;overflow-wrap:anywhere}\n"
      ".empty{color:var(--muted);font-style:italic}\n"
      "footer{color:var(--muted);font-size:.85rem;padding-top:36px;"
      "padding-bottom:36px}\n"
      "@media (max-width:520px){body{font-size:15px}"
      "main,header,footer{padding:0 14px}header{padding-top:20px}"
      "h1{font-size:1.55rem}.card .n{font-size:1.5rem}"
      ".cards{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}"
      ".charts{grid-template-columns:minmax(0,1fr)}"
      ".donut svg{width:120px;height:120px}"
      ".tags li{grid-template-columns:minmax(0,8em) 1fr auto}}\n";

/* Append @text HTML-escaped; invalid UTF-8 is repaired first so the page
 * stays well-formed. */
static void
esc (GString *out, const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return;
  valid = g_utf8_make_valid (text, -1);
  escaped = g_markup_escape_text (valid, -1);
  g_string_append (out, escaped);
}

char *
tb_report_safe_web_uri (const char *uri)
{
  g_autoptr (GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return NULL;
  for (const char *p = uri; *p != '\0'; p++)
    {
      /* no spaces or controls: they hide what a link really is */
      if ((guchar) *p <= ' ' || *p == 0x7f)
        return NULL;
    }
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return NULL;
  scheme = g_uri_get_scheme (parsed);
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "https") != 0
          && g_ascii_strcasecmp (scheme, "http") != 0))
    return NULL;
  if (g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    return NULL;
  return g_strdup (uri);
}

static char *
mailto_href (const char *email)
{
  const char *at;

  if (email == NULL)
    return NULL;
  at = strchr (email, '@');
  if (at == NULL || at == email || at[1] == '\0')
    return NULL;
  for (const char *p = email; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || *p == 0x7f)
        return NULL;
    }
  {
    g_autofree char *e = g_uri_escape_string (email, "@", FALSE);
    return g_strconcat ("mailto:", e, NULL);
  }
}

/* tel: with the digits and the visual separators RFC 3966 allows. */
static char *
tel_href (const char *phone)
{
  GString *out;
  gboolean digits = FALSE;

  if (phone == NULL)
    return NULL;
  out = g_string_new ("tel:");
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      if (g_ascii_isdigit (*p) || *p == '-' || *p == '.' || *p == '('
          || *p == ')' || (*p == '+' && out->len == 4))
        g_string_append_c (out, *p);
    }
  if (!digits)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static void
append_link (GString *out, const char *href, const char *text)
{
  g_string_append (out, "<a href=\"");
  esc (out, href);
  g_string_append (out, "\" rel=\"noopener noreferrer\">");
  esc (out, text);
  g_string_append (out, "</a> ");
}

/* The local calendar day of @t, as a day number. */
static gint64
local_day (gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  return g_date_get_julian (&d);
}

/* "3 days", "2 weeks", "5 months", "2 years": the units and rounding of
 * tb_time_format_relative(), which has no bare span to reuse, so that
 * "2 months overdue" and "2 months ago" on one page mean the same. */
static char *
span_text (gint64 days)
{
  gint64 n;
  const char *unit;

  if (days < 14)
    {
      n = days;
      unit = "day";
    }
  else if (days < 60)
    {
      n = (days + 3) / 7;
      unit = "week";
    }
  else if (days < 365)
    {
      n = (days + 15) / 30;
      unit = "month";
    }
  else
    {
      n = (days + 182) / 365;
      unit = "year";
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s%s", n, unit,
                          n == 1 ? "" : "s");
}

/* Not tb_time_format_relative(): "3 days overdue" says more than "due 3
 * days ago". */
static char *
due_text (gint64 due_at, gint64 now, GTimeZone *tz, gboolean *late)
{
  gint64 days = local_day (due_at, tz) - local_day (now, tz);
  g_autofree char *span = NULL;

  *late = days < 0;
  if (days == 0)
    return g_strdup ("due today");
  span = span_text (ABS (days));
  if (days < 0)
    return g_strdup_printf ("%s overdue", span);
  return g_strdup_printf ("due in %s", span);
}

static double
percent (gint64 part, gint64 whole)
{
  return whole > 0 ? 100.0 * (double) part / (double) whole : 0.0;
}

static void
append_card (GString *out, const char *id, gint64 n, const char *label,
             const char *detail)
{
  g_autofree char *figure = tb_figure_count (n);

  g_string_append_printf (out,
                          "<div class=\"card\" id=\"%s\"><span class=\"n\">"
                          "%s</span><span class=\"l\">%s",
                          id, figure, label);
  if (detail != NULL)
    g_string_append_printf (out, "<br>%s", detail);
  g_string_append (out, "</span></div>\n");
}

static void
append_cards (GString *out, const TbStatsCounts *c)
{
  g_autofree char *li = NULL;

  if (c->never_talked > 0)
    li = g_strdup_printf ("%" G_GINT64_FORMAT " from LinkedIn",
                          c->never_talked_linkedin);
  g_string_append (out, "<section class=\"cards\" aria-label=\"Figures\">\n");
  append_card (out, "fig-contacts", c->contacts, "contacts", NULL);
  append_card (out, "fig-talked", c->talked, "talked to", NULL);
  append_card (out, "fig-never", c->never_talked, "never talked to", li);
  append_card (out, "fig-overdue", c->overdue, "overdue now", NULL);
  append_card (out, "fig-on-track", c->on_track, "on track", NULL);
  append_card (out, "fig-conv-30", c->conversations_30d,
               "conversations, 30 days", NULL);
  append_card (out, "fig-conv-90", c->conversations_90d,
               "conversations, 90 days", NULL);
  append_card (out, "fig-intros", c->introductions, "introductions made", NULL);
  g_string_append (out, "</section>\n");
}

/* One arc of the donut: a circle of circumference 100 drawn dashed. */
static void
append_arc (GString *out, const char *var, double share, double *offset,
            const char *title)
{
  if (share <= 0)
    return;
  g_string_append_printf (out,
                          "<circle cx=\"21\" cy=\"21\" r=\"15.9155\" "
                          "fill=\"none\" stroke=\"var(%s)\" "
                          "stroke-width=\"6\" stroke-dasharray=\"%.3f %.3f\" "
                          "stroke-dashoffset=\"%.3f\"><title>%s</title>"
                          "</circle>",
                          var, share, 100.0 - share, 25.0 - *offset, title);
  *offset += share;
}

static void
append_donut (GString *out, const TbStatsCounts *c)
{
  gint64 other = MAX (c->never_talked - c->never_talked_linkedin, 0);
  double offset = 0;
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL;
  g_autofree char *talked_share = tb_figure_percent (c->talked, c->contacts);

  g_string_append (out, "<figure class=\"panel\" id=\"chart-depth\">"
                        "<h3>How deep your network is</h3>"
                        "<div class=\"donut\">");
  g_string_append_printf (
      out,
      "<svg viewBox=\"0 0 42 42\" role=\"img\" aria-label=\"%" G_GINT64_FORMAT
      " of %" G_GINT64_FORMAT " contacts talked to\">"
      "<circle cx=\"21\" cy=\"21\" r=\"15.9155\" fill=\"none\" "
      "stroke=\"var(--line)\" stroke-width=\"6\"/>",
      c->talked, c->contacts);
  t1 = g_strdup_printf ("talked to: %" G_GINT64_FORMAT, c->talked);
  t2 = g_strdup_printf ("never talked, from LinkedIn: %" G_GINT64_FORMAT,
                        c->never_talked_linkedin);
  t3 = g_strdup_printf ("never talked, others: %" G_GINT64_FORMAT, other);
  append_arc (out, "--talked", percent (c->talked, c->contacts), &offset, t1);
  append_arc (out, "--linkedin",
              percent (c->never_talked_linkedin, c->contacts), &offset, t2);
  append_arc (out, "--never", percent (other, c->contacts), &offset, t3);
  g_string_append_printf (out,
                          "<text x=\"21\" y=\"21.5\" text-anchor=\"middle\" "
                          "class=\"v\" style=\"font-size:8px\">%s</text>"
                          "<text x=\"21\" y=\"27.5\" text-anchor=\"middle\" "
                          "style=\"font-size:3.4px\">talked to</text></svg>",
                          talked_share);
  g_string_append_printf (
      out,
      "<ul class=\"legend\">"
      "<li><span class=\"sw talked\"></span>Talked to: <b>%" G_GINT64_FORMAT
      "</b></li>"
      "<li><span class=\"sw linkedin\"></span>Never talked, from LinkedIn: "
      "<b>%" G_GINT64_FORMAT "</b></li>"
      "<li><span class=\"sw never\"></span>Never talked, others: "
      "<b>%" G_GINT64_FORMAT "</b></li></ul></div></figure>\n",
      c->talked, c->never_talked_linkedin, other);
}

static int
cmp_tag_overdue (gconstpointer a, gconstpointer b)
{
  const TbTagStats *x = *(TbTagStats *const *) a;
  const TbTagStats *y = *(TbTagStats *const *) b;

  if (x->counts.overdue != y->counts.overdue)
    return x->counts.overdue > y->counts.overdue ? -1 : 1;
  if (x->counts.contacts != y->counts.contacts)
    return x->counts.contacts > y->counts.contacts ? -1 : 1;
  return g_strcmp0 (x->tag, y->tag);
}

static void
append_tag_bars (GString *out, const TbStats *stats)
{
  g_autoptr (GPtrArray) tags = g_ptr_array_new ();
  gint64 max = 1;

  g_string_append (out, "<figure class=\"panel\" id=\"chart-tags\">"
                        "<h3>Overdue by tag</h3>");
  for (guint i = 0; stats->tags != NULL && i < stats->tags->len; i++)
    g_ptr_array_add (tags, g_ptr_array_index (stats->tags, i));
  if (tags->len == 0)
    {
      g_string_append (out, "<p class=\"empty\">No tags yet.</p></figure>\n");
      return;
    }
  g_ptr_array_sort (tags, cmp_tag_overdue);
  for (guint i = 0; i < tags->len && i < MAX_TAG_ROWS; i++)
    {
      const TbTagStats *t = g_ptr_array_index (tags, i);
      max = MAX (max, t->counts.overdue + t->counts.on_track);
    }

  g_string_append (out, "<ul class=\"tags\">");
  for (guint i = 0; i < tags->len && i < MAX_TAG_ROWS; i++)
    {
      const TbTagStats *t = g_ptr_array_index (tags, i);
      double w_over = 100.0 * t->counts.overdue / max;
      double w_track = 100.0 * t->counts.on_track / max;

      g_string_append (out, "<li><span class=\"t\">");
      esc (out, t->tag);
      g_string_append_printf (
          out,
          "</span><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" "
          "role=\"img\" aria-label=\"%" G_GINT64_FORMAT
          " overdue, %" G_GINT64_FORMAT
          " on track\"><rect x=\"0\" y=\"0\" width=\"%.2f\" height=\"10\" "
          "rx=\"1\" fill=\"var(--overdue)\"/><rect x=\"%.2f\" y=\"0\" "
          "width=\"%.2f\" height=\"10\" rx=\"1\" fill=\"var(--ontrack)\"/>"
          "</svg><span class=\"c\">%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
          "</span></li>",
          t->counts.overdue, t->counts.on_track, w_over, w_over, w_track,
          t->counts.overdue, t->counts.overdue + t->counts.on_track);
    }
  g_string_append (out, "</ul>");
  if (tags->len > MAX_TAG_ROWS)
    g_string_append_printf (out, "<p class=\"muted\">and %u more tags</p>",
                            tags->len - MAX_TAG_ROWS);
  g_string_append (out, "<p class=\"muted\" style=\"font-size:.85rem;"
                        "margin:8px 0 0\"><span class=\"sw overdue\"></span>"
                        "overdue <span class=\"sw ontrack\" "
                        "style=\"margin-left:10px\"></span>on track</p>"
                        "</figure>\n");
}

/* What the sources found (docs/design.md §12): one row per source,
 * only when one found anything. */
static void
append_sources (GString *out, const TbStats *stats)
{
  if (stats->sources == NULL || stats->sources->len == 0)
    return;
  g_string_append (out, "<section id=\"sources\"><h2>Found by your "
                        "sources</h2>\n<table><thead><tr><th>Source</th>"
                        "<th>Logged</th><th>Conversations</th>"
                        "<th>Contacts</th></tr></thead><tbody>\n");
  for (guint i = 0; i < stats->sources->len; i++)
    {
      const TbSourceStats *ss = g_ptr_array_index (stats->sources, i);
      g_autofree char *n = tb_figure_count (ss->interactions);
      g_autofree char *c = tb_figure_count (ss->conversations);
      g_autofree char *p = tb_figure_count (ss->contacts);

      g_string_append (out, "<tr><td>");
      esc (out, ss->source);
      g_string_append_printf (out,
                              "</td><td>%s</td><td>%s</td><td>%s</td>"
                              "</tr>\n",
                              n, c, p);
    }
  g_string_append (out, "</tbody></table></section>\n");
}

/* "Dec 2025", in English like the rest of the page */
static char *
month_label (gint64 t, GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_strdup_printf ("%s %d",
                          month_abbr[g_date_time_get_month (local) - 1],
                          g_date_time_get_year (local));
}

static void
append_months (GString *out, const TbStats *stats, GTimeZone *tz)
{
  gint64 max = 1, total = 0;
  const double chart_h = 100, top = 18;
  g_autofree char *first = month_label (stats->month_start[0], tz);
  g_autofree char *last
      = month_label (stats->month_start[TB_STATS_MONTHS - 1], tz);

  for (guint i = 0; i < TB_STATS_MONTHS; i++)
    {
      max = MAX (max, stats->conversations_per_month[i]);
      total += stats->conversations_per_month[i];
    }
  g_string_append_printf (out,
                          "<figure class=\"panel months\" id=\"chart-months\">"
                          "<h3>Conversations per month</h3>"
                          "<p class=\"muted\" style=\"margin:-6px 0 8px;"
                          "font-size:.85rem\">%s – %s</p>"
                          "<svg viewBox=\"0 0 360 142\" role=\"img\" "
                          "aria-label=\"%" G_GINT64_FORMAT
                          " conversations in the last 12 months\">"
                          "<line x1=\"0\" y1=\"%.0f\" x2=\"360\" y2=\"%.0f\" "
                          "stroke=\"var(--line)\"/>",
                          first, last, total, top + chart_h, top + chart_h);
  for (guint i = 0; i < TB_STATS_MONTHS; i++)
    {
      gint64 n = stats->conversations_per_month[i];
      double h = chart_h * (double) n / (double) max;
      double x = 6 + i * 29.5;
      g_autoptr (GDateTime) utc
          = g_date_time_new_from_unix_utc (stats->month_start[i]);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
      int month = g_date_time_get_month (local);

      if (n > 0)
        g_string_append_printf (
            out,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"%.1f\" "
            "rx=\"3\" fill=\"var(--bar)\"><title>%s %d: %" G_GINT64_FORMAT
            "</title></rect>",
            x, top + chart_h - h, MAX (h, 1.0), month_abbr[month - 1],
            g_date_time_get_year (local), n);
      g_string_append_printf (out,
                              "<text x=\"%.1f\" y=\"%.1f\" "
                              "text-anchor=\"middle\" class=\"v\">"
                              "%" G_GINT64_FORMAT "</text>",
                              x + 10, top + chart_h - h - 5, n);
      g_string_append_printf (out,
                              "<text x=\"%.1f\" y=\"%.0f\" "
                              "text-anchor=\"middle\">%s</text>",
                              x + 10, top + chart_h + 16,
                              month_abbr[month - 1]);
    }
  g_string_append (out, "</svg></figure>\n");
}

static const TbFact *
ask_about (const TbContact *c)
{
  static const TbFactKind order[]
      = { TB_FACT_GOAL, TB_FACT_NEED, TB_FACT_INTEREST };

  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    {
      for (guint f = 0; c->facts != NULL && f < c->facts->len; f++)
        {
          const TbFact *fact = g_ptr_array_index (c->facts, f);
          if (fact->kind == order[k] && fact->text != NULL
              && *fact->text != '\0')
            return fact;
        }
    }
  return NULL;
}

/* "LinkedIn" for a LinkedIn profile, else the host name. */
static char *
link_label (const char *uri)
{
  g_autoptr (GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  if (host == NULL)
    return g_strdup (uri);
  if (g_str_has_suffix (host, "linkedin.com"))
    return g_strdup ("LinkedIn");
  if (g_str_has_prefix (host, "www."))
    host += 4;
  return g_strdup (host);
}

static void
append_person (GString *out, const TbContact *c, gint64 now, GTimeZone *tz)
{
  gboolean late = FALSE;
  g_autofree char *when = due_text (c->due_at, now, tz, &late);
  g_autofree char *web = tb_report_safe_web_uri (c->url);
  g_autofree char *mail = mailto_href (c->email);
  g_autofree char *tel = tel_href (c->phone);
  const TbFact *ask = ask_about (c);

  g_string_append (out, "<li class=\"person\"><span class=\"name\">");
  esc (out, c->name);
  if (c->last_conversation_at == 0)
    g_string_append (out, "<span class=\"badge\">never talked</span>");
  g_string_append_printf (out, "</span><span class=\"when%s\">%s</span>",
                          late ? " late" : "", when);

  g_string_append (out, "<span class=\"meta muted\">");
  if (c->position != NULL || c->company != NULL)
    {
      esc (out, c->position);
      if (c->position != NULL && c->company != NULL)
        g_string_append (out, " at ");
      esc (out, c->company);
      g_string_append (out, " · ");
    }
  if (c->last_interaction_at > 0)
    {
      g_autofree char *ago
          = tb_time_format_relative (c->last_interaction_at, now, tz);
      g_string_append_printf (
          out, "last in touch %s (%s)", ago,
          tb_interaction_kind_to_string (c->last_interaction_kind));
    }
  else
    g_string_append (out, "never in touch");
  for (guint t = 0; c->tags != NULL && c->tags[t] != NULL; t++)
    {
      g_string_append (out, t == 0 ? " · #" : " #");
      esc (out, c->tags[t]);
    }
  g_string_append (out, "</span>");

  if (ask != NULL)
    {
      g_string_append_printf (out, "<span class=\"ask\">Ask about %s: ",
                              tb_fact_kind_to_string (ask->kind));
      esc (out, ask->text);
      g_string_append (out, "</span>");
    }

  if (web != NULL || mail != NULL || tel != NULL)
    {
      g_string_append (out, "<span class=\"links\">");
      if (web != NULL)
        {
          g_autofree char *label = link_label (web);
          append_link (out, web, label);
        }
      if (mail != NULL)
        append_link (out, mail, c->email);
      if (tel != NULL)
        append_link (out, tel, c->phone);
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</li>\n");
}

static void
append_due (GString *out, GPtrArray *due, gint64 now, GTimeZone *tz)
{
  guint n = due != NULL ? due->len : 0;

  g_string_append_printf (out,
                          "<section id=\"due\"><h2>Who is due "
                          "<span class=\"badge\">%u</span></h2>\n",
                          n);
  if (n == 0)
    {
      g_string_append (out, "<p class=\"empty\">Nobody is due. Well kept."
                            "</p></section>\n");
      return;
    }
  g_string_append (out, "<ul class=\"people\">\n");
  for (guint i = 0; i < n && i < MAX_DUE_ROWS; i++)
    append_person (out, g_ptr_array_index (due, i), now, tz);
  g_string_append (out, "</ul>\n");
  if (n > MAX_DUE_ROWS)
    g_string_append_printf (out,
                            "<p class=\"muted\">and %u more: "
                            "<code>touchbase due</code> lists them all.</p>",
                            n - MAX_DUE_ROWS);
  g_string_append (out, "</section>\n");
}

static void
append_suggestions (GString *out, GPtrArray *suggestions)
{
  guint n = suggestions != NULL ? suggestions->len : 0;

  g_string_append_printf (out,
                          "<section id=\"intros\"><h2>Introductions to "
                          "make <span class=\"badge\">%u</span></h2>\n",
                          n);
  if (n == 0)
    {
      g_string_append (out, "<p class=\"empty\">No suggestions yet: add what "
                            "people offer and what they are looking for "
                            "(<code>touchbase edit NAME --offer TEXT --need "
                            "TEXT</code>).</p></section>\n");
      return;
    }
  g_string_append (out, "<ul class=\"people\">\n");
  for (guint i = 0; i < n; i++)
    {
      const TbIntroSuggestion *s = g_ptr_array_index (suggestions, i);

      g_string_append (out, "<li class=\"intro\"><span class=\"pair\">");
      esc (out, s->a_name);
      g_string_append (out, " &amp; ");
      esc (out, s->b_name);
      g_string_append (out, "</span><p>");
      esc (out, s->reason);
      g_string_append_printf (out,
                              "</p><code>touchbase introduce %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT "</code></li>\n",
                              s->a_id, s->b_id);
    }
  g_string_append (out, "</ul></section>\n");
}

char *
tb_report_render (const TbStats *stats, GPtrArray *due, GPtrArray *suggestions,
                  gint64 now, GTimeZone *tz)
{
  GString *out = g_string_sized_new (32 * 1024);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d %H:%M");
  const TbStatsCounts *c;

  g_return_val_if_fail (stats != NULL, NULL);
  c = &stats->total;

  g_string_append (out,
                   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                   "<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n"
                   /* Nothing may load: the page is complete as it is,
                         * and contact data must not be able to phone home. */
                   "<meta http-equiv=\"Content-Security-Policy\" "
                   "content=\"default-src 'none'; style-src "
                   "'unsafe-inline'; img-src data:; form-action 'none'; "
                   "base-uri 'none'\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n"
                   "<meta name=\"color-scheme\" content=\"light dark\">\n");
  g_string_append_printf (out, "<title>touchbase report, %s</title>\n", date);
  g_string_append_printf (out, "<style>\n%s</style>\n</head>\n<body>\n", style);

  g_string_append_printf (out,
                          "<header><h1>Your network</h1>"
                          "<p class=\"sub\">touchbase report, %s</p>",
                          date);
  if (c->contacts > 0)
    {
      /* Exact (docs/design.md §5): 12 of 30,020 is 0.04 %, not 0 %. */
      g_autofree char *talked = tb_figure_count (c->talked);
      g_autofree char *contacts = tb_figure_count (c->contacts);
      g_autofree char *talked_share
          = tb_figure_percent (c->talked, c->contacts);
      g_autofree char *never_share
          = tb_figure_percent (c->never_talked, c->contacts);

      g_string_append_printf (
          out,
          "<p class=\"lead\">You have talked with <b>%s</b> of your "
          "<b>%s</b> contacts (%s). <b>%s</b> of your network is an inch "
          "deep: connected, never talked to.</p>",
          talked, contacts, talked_share, never_share);
    }
  g_string_append (out, "</header>\n<main>\n");

  append_cards (out, c);
  g_string_append (out, "<h2>At a glance</h2>\n<section class=\"charts\">\n");
  append_donut (out, c);
  append_tag_bars (out, stats);
  append_months (out, stats, tz);
  g_string_append (out, "</section>\n");
  append_due (out, due, now, tz);
  append_suggestions (out, suggestions);
  append_sources (out, stats);

  g_string_append (out, "</main>\n<footer>Written by touchbase " PACKAGE_VERSION
                        ". This page works offline: nothing "
                        "in it loads from the network.</footer>\n"
                        "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}
