#!/usr/bin/python3
# LinkedIn's data export imported as it arrives: the real touchbase client
# hands the ZIP LinkedIn mails to the real touchbased, which takes
# Connections.csv out of it. The archives are made here with Python's
# zipfile, as LinkedIn makes them (tests/data/import/linkedin_zip.py).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys

import tbtest

sys.path.insert(0, os.path.join(tbtest.SOURCE_DIR, 'tests', 'data', 'import'))
import linkedin_zip  # noqa: E402

BASIC = 'Basic_LinkedInDataExport_12-01-2026.zip'
COMPLETE = 'Complete_LinkedInDataExport_12-01-2026.zip'


class ImportZipTest(tbtest.TouchbaseTestCase):

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    def contacts(self):
        return {c['name']: c for c in self.tb_json('list', '--all')}

    def import_fails(self, path, *args):
        before = self.tb_json('list', '--all')
        if not before:
            self.tb('add', 'Zoë Martin', '--every', '2w')
            before = self.tb_json('list', '--all')
        rc, out, err = self.tb('import', path, *args, check=False)
        self.assertEqual(rc, 1, out + err)
        self.assertEqual(out, '')
        # One line naming the file and the problem, no D-Bus error name.
        self.assertEqual(err.count('\n'), 1, err)
        self.assertIn(path, err)
        self.assertNotIn('io.github.touchbase.Error', err)
        self.assertEqual(self.tb_json('list', '--all'), before)
        return err

    def test_basic_export(self):
        path = self.path(BASIC)
        linkedin_zip.basic_export(path)
        result = self.tb_json('import', path)
        self.assertEqual(result['format'], 'linkedin')
        self.assertEqual((result['added'], result['updated'],
                          result['skipped']), (5, 0, 0))
        c = self.contacts()
        self.assertEqual(set(c), set(linkedin_zip.NAMES))
        bruno = c['Bruno Castell']
        self.assertEqual(bruno['email'], 'bruno.castell@example.org')
        self.assertEqual(bruno['company'], 'Castell & Filhos')
        self.assertEqual(bruno['position'],
                         'Principal Consultant, Business Performance')
        self.assertEqual(bruno['url'],
                         'https://www.linkedin.com/in/brunocastell')
        self.assertEqual(bruno['source'], 'linkedin')
        self.assertTrue(bruno['connected_on'].startswith('2025-10-02'))
        # Nothing of the other CSVs became a contact.
        self.assertNotIn('Sam Doe', c)
        # The same archive again, and the CSV itself: nothing new.
        self.assertEqual(self.tb_json('import', path)['added'], 0)
        csv = self.path('Connections.csv')
        with open(csv, 'wb') as f:
            f.write(linkedin_zip.connections_csv())
        result = self.tb_json('import', csv)
        self.assertEqual((result['added'], result['skipped']), (0, 5))

    def test_complete_export_in_a_folder_bom_crlf(self):
        path = self.path(COMPLETE)
        linkedin_zip.complete_export(
            path, folder='Complete_LinkedInDataExport_12-01-2026',
            crlf=True, bom=True)
        _, out, _ = self.tb('import', path, '--tag', 'linkedin',
                            '--every', '90d')
        self.assertIn('Added 5, updated 0, skipped 0', out)
        for contact in self.contacts().values():
            self.assertEqual(contact['tags'], ['linkedin'])
            self.assertEqual(contact['interval_seconds'], 90 * 86400)
        self.assertIn('Émilie Durand', self.contacts())

    def test_forced_format_and_stdin(self):
        path = self.path(BASIC)
        linkedin_zip.streamed_export(path)
        result = self.tb_json('import', path, '--format', 'linkedin',
                              '--dry-run')
        self.assertEqual((result['added'], result['dry_run']), (5, True))
        self.assertEqual(self.tb_json('list', '--all'), [])
        # From a pipe: nothing to seek in, the archive is read forward.
        with open(path, 'rb') as f:
            proc = subprocess.run([tbtest.TOUCHBASE, 'import', '-', '--json'],
                                  stdin=f, capture_output=True, env=self.env,
                                  timeout=30 * tbtest.TIMEOUT_SCALE)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)['added'], 5)
        self.assertEqual(len(self.tb_json('list', '--all')), 5)
        err = self.import_fails(path, '--format', 'vcard')
        self.assertIn('read as a LinkedIn data export', err)

    def test_no_connections(self):
        path = self.path('LinkedInDataExport_messages_only.zip')
        linkedin_zip.without_connections(path)
        err = self.import_fails(path)
        self.assertEqual(err, f'touchbase: {path}: this ZIP archive holds no '
                         'Connections.csv: is it a LinkedIn data export?\n')

    def test_truncated_imports_nothing(self):
        # Enough rows that the first ones are merged before the cut is
        # reached: the whole import must still roll back.
        path = self.path(BASIC)
        linkedin_zip.basic_export(path, connections=linkedin_zip.
                                  connections_csv(
                                      linkedin_zip.generated_rows(3000)))
        linkedin_zip.truncate_in_connections(path)
        err = self.import_fails(path)
        self.assertIn(f'{path}/Connections.csv: the ZIP archive ends too '
                      'early', err)
        self.assertIn('was the download cut short?', err)

    def test_damaged_imports_nothing(self):
        path = self.path(BASIC)
        linkedin_zip.basic_export(path, connections=linkedin_zip.
                                  connections_csv(
                                      linkedin_zip.generated_rows(3000)))
        linkedin_zip.damage_connections(path)
        err = self.import_fails(path)
        self.assertIn(f'{path}/Connections.csv: the ZIP archive is damaged',
                      err)
        # Cut inside the headers, before Connections.csv.
        with open(path, 'r+b') as f:
            f.truncate(300)
        err = self.import_fails(path)
        self.assertIn(f'{path}: the ZIP archive ends too early', err)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
