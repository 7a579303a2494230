/* report-fixture.h — a known network for the report tests: figures,
 * people due (one with a hostile name and links), suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-report.h"

G_BEGIN_DECLS

/* 2026-11-28 09:30 UTC */
#define REPORT_FIXTURE_NOW ((gint64) 1795858200)

typedef struct
{
  TbStats *stats;         /* (owned) */
  GPtrArray *due;         /* (owned) TbContact */
  GPtrArray *suggestions; /* (owned) TbIntroSuggestion */
  GTimeZone *tz;          /* (owned) */
} ReportFixture;

void report_fixture_init (ReportFixture *f);
void report_fixture_clear (ReportFixture *f);
char *report_fixture_render (ReportFixture *f);

G_END_DECLS
