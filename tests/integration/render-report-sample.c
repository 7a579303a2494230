/* render-report-sample.c — write the fixture report to a file, for
 * check-report.py to open in a browser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "report-fixture.h"

int
main (int argc, char **argv)
{
  ReportFixture f = { 0 };
  g_autofree char *html = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: %s OUT.html\n", argv[0]);
      return 2;
    }
  report_fixture_init (&f);
  html = report_fixture_render (&f);
  report_fixture_clear (&f);
  if (!g_file_set_contents (argv[1], html, -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
