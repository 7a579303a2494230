#!/usr/bin/python3
# Import and export end to end: the real touchbase client hands files to
# the real touchbased, which merges them into its database.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import collections
import datetime
import json
import os
import subprocess

import tbtest

DATA = os.path.join(tbtest.SOURCE_DIR, 'tests', 'data', 'import')


def fixture(name):
    return os.path.join(DATA, name)


def day(text):
    '''Unix time of local (UTC in the tests) midnight of YYYY-MM-DD.'''
    return datetime.datetime.fromisoformat(text).replace(
        tzinfo=datetime.timezone.utc)


def parse_time(value):
    if isinstance(value, int):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))


class ImportTest(tbtest.TouchbaseTestCase):

    def contacts(self):
        return {c['name']: c for c in self.tb_json('list', '--all')}

    def show(self, cid):
        return self.tb_json('show', str(cid))

    def import_ok(self, *args):
        result = self.tb_json('import', *args)
        return result['added'], result['updated'], result['skipped']

    def import_fails(self, path, *args):
        before = self.tb_json('list', '--all')
        rc, out, err = self.tb('import', path, *args, check=False)
        self.assertEqual(rc, 1, err)
        self.assertEqual(self.tb_json('list', '--all'), before)
        return err

    # ------------------------------------------------------------- shapes

    def test_linkedin_current(self):
        self.assertEqual(self.import_ok(fixture('linkedin-current-bom-crlf.csv')),
                         (7, 0, 1))
        c = self.contacts()
        self.assertEqual(set(c), {
            'Amara Okafor', 'Bruno Castell', 'Chen Wei',
            'Dana The "Fixer" Ruiz', 'Émilie Durand', 'Ines Ferreira 🌱',
            'Jonas'})
        bruno = c['Bruno Castell']
        self.assertEqual(bruno['email'], 'bruno.castell@example.org')
        self.assertEqual(bruno['url'], 'https://www.linkedin.com/in/brunocastell')
        self.assertEqual(bruno['company'], 'Castell & Filhos')
        self.assertEqual(bruno['position'],
                         'Principal Consultant, Business Performance')
        self.assertEqual(bruno['source'], 'linkedin')
        self.assertEqual(parse_time(bruno['connected_on']), day('2026-10-02'))
        self.assertEqual(c['Chen Wei']['url'],
                         'https://www.linkedin.com/in/chen-wei-88')
        # Single-line fields have their line breaks made spaces.
        self.assertEqual(c['Ines Ferreira 🌱']['position'],
                         'Community Lead Events & Outreach')

    def test_linkedin_old(self):
        self.assertEqual(self.import_ok(fixture('linkedin-old.csv')), (3, 0, 0))
        c = self.contacts()
        self.assertEqual(c['Karl Schmidt']['position'], 'Geschäftsführer')
        self.assertEqual(parse_time(c['Karl Schmidt']['connected_on']),
                         day('2018-01-08'))
        self.assertEqual(c['Lena Nowak']['position'], 'Captain, Fleet')
        self.assertNotIn('url', {k for k, v in c['Lena Nowak'].items() if v})

    def test_google_current(self):
        self.assertEqual(self.import_ok(fixture('google-current.csv')),
                         (3, 0, 1))
        c = self.contacts()
        maya = c['Maya Goldberg']
        self.assertEqual(maya['source'], 'google')
        self.assertEqual(maya['url'], 'https://www.linkedin.com/in/maya-goldberg')
        self.assertEqual(sorted(maya['tags']), ['friends', 'starred'])
        self.assertEqual(maya['birthday'], '1988-03-14')
        self.assertIn('\n', self.show(maya['id'])['note'])
        nikolai = c['Nikolai Ivanovich Petrov']
        self.assertEqual(nikolai['birthday'], '--07-04')
        self.assertEqual(nikolai['tags'], ['work friends'])

    def test_google_legacy(self):
        added, _, _ = self.import_ok(fixture('google-legacy.csv'))
        self.assertEqual(added, 2)
        for contact in self.contacts().values():
            self.assertEqual(contact['source'], 'google')
            self.assertNotIn('mycontacts', contact.get('tags', []))

    def test_vcards(self):
        self.assertEqual(self.import_ok(fixture('vcard-21.vcf'))[0], 2)
        self.assertEqual(self.import_ok(fixture('vcard-30.vcf'))[0], 2)
        self.assertEqual(self.import_ok(fixture('vcard-40.vcf'))[0], 2)
        c = self.contacts()
        self.assertEqual(c['Ragnar Svensson']['email'], 'ragnar@example.se')
        tomas = c["Tomás O'Brien"]
        self.assertEqual(tomas['uid'], 'google-contact-12345')
        self.assertIn('friends, close', tomas['tags'])
        self.assertEqual(tomas['url'],
                         'https://www.linkedin.com/in/tom%C3%A1s-obrien')
        yuki = c['Yuki Sato']
        self.assertEqual(yuki['uid'], '6f1c3c4e-2a3b-4c5d-8e9f-0a1b2c3d4e5f')
        self.assertEqual(yuki['birthday'], '--06-12')
        self.assertEqual(yuki['tags'], ['design'])
        for contact in c.values():
            self.assertEqual(contact['source'], 'vcard')

    # ------------------------------------------------- real exporters

    def problems(self, result):
        return [(os.path.basename(p['file']), p['line'], p['action'],
                 p['reason']) for p in result['problems']]

    def test_android_vcard_with_broken_quoted_printable(self):
        result = self.tb_json('import', fixture('android-21.vcf'))
        self.assertEqual((result['added'], result['updated']), (3, 0))
        self.assertEqual(result['skipped_no_name'], 1)
        c = self.contacts()
        self.assertEqual(c['Björn Åberg']['phone'], '+46 70 123 45 67')
        self.assertIn('seglarkursen', self.show(c['Björn Åberg']['id'])['note'])
        self.assertEqual(c['Lena Nyström']['company'], 'Café Sk\ufffd')
        self.assertIn('Per Holm', c)
        problems = self.problems(result)
        self.assertEqual(len(problems), 2, problems)
        self.assertEqual(problems[0][:3], ('android-21.vcf', 15, 'repaired'))
        self.assertIn('ORG', problems[0][3])
        self.assertEqual(problems[1][:3], ('android-21.vcf', 18, 'skipped'))
        self.assertEqual(result['problems_total'], 2)
        # On a terminal: the counts and the records, by file and line.
        _, out, _ = self.tb('import', fixture('android-21.vcf'))
        self.assertIn('Added 0, updated 0, skipped 4', out)
        self.assertIn('1 skipped: no name', out)
        self.assertIn('3 skipped: already known, nothing new', out)
        self.assertIn('Nothing changed', out)
        self.assertIn('android-21.vcf:15: repaired: ORG', out)

    def test_sony_ericsson_value_without_fold(self):
        result = self.tb_json('import', fixture('sony-ericsson.vcf'))
        self.assertEqual(result['added'], 3)
        c = self.contacts()
        self.assertIn('Karin Elisabeth Andersson-Lindqvist', c)
        self.assertIn('Anna-Sofia Bergstrom-Karlsson', c)
        self.assertEqual(c['Olof Eriksson']['phone'], '+4631123456')
        problems = self.problems(result)
        self.assertEqual([p[:3] for p in problems],
                         [('sony-ericsson.vcf', 4, 'repaired'),
                          ('sony-ericsson.vcf', 18, 'repaired')])
        self.assertIn('line 3', problems[0][3])

    def test_not_a_vcard_is_still_refused(self):
        err = self.import_fails(fixture('bad-garbage.vcf'))
        self.assertIn(':5:', err)
        err = self.import_fails(fixture('bad-unknown.txt'))
        self.assertIn('unknown format', err)

    def test_apple_birthdays_without_year_and_escaped_quotes(self):
        self.assertEqual(self.import_ok(fixture('apple-30.vcf')), (3, 0, 0))
        c = self.contacts()
        ines = c['Inês Duarte']
        self.assertEqual(ines['birthday'], '--03-14')
        self.assertEqual(ines['company'], 'Atelier "Azul"')
        self.assertEqual(self.show(ines['id'])['note'],
                         'Calls herself "the tile person".')
        self.assertEqual(c['Chidi Okonkwo']['birthday'], '--01-01')
        self.assertEqual(c['Min-jun Park']['birthday'], '1991-07-09')

    def test_linkedin_member_urn_and_short_dates(self):
        self.assertEqual(self.import_ok(fixture('linkedin-urn-dates.csv')),
                         (3, 0, 0))
        c = self.contacts()
        farah = c['Farah Haddad']
        self.assertFalse(farah.get('email'))
        self.assertEqual(parse_time(farah['connected_on']), day('2024-01-15'))
        self.assertEqual(parse_time(c['Gustavo Lima']['connected_on']),
                         day('2023-03-03'))
        self.assertEqual(c['Gustavo Lima']['email'], 'gustavo@lima.example')

    def test_outlook_csv(self):
        result = self.tb_json('import', fixture('outlook.csv'))
        self.assertEqual(result['format'], 'outlook')
        self.assertEqual((result['added'], result['skipped_no_name']), (2, 1))
        c = self.contacts()
        rosa = c['Rosa Martínez']
        self.assertEqual(rosa['email'], 'rosa.martinez@iberia-freight.example')
        self.assertEqual(rosa['company'], 'Iberia Freight')
        self.assertEqual(rosa['position'], 'Operations Lead')
        self.assertEqual(rosa['birthday'], '1988-03-14')
        self.assertEqual(rosa['source'], 'outlook')
        self.assertEqual(sorted(rosa['tags']), ['customers', 'madrid'])
        self.assertIn('\n', self.show(rosa['id'])['note'])
        tom = c['Tom A. Whitfield']
        self.assertEqual(tom['email'], 'tom@whitfield.example')
        self.assertFalse(tom.get('birthday'))
        self.assertEqual(tom['phone'], '+44 20 7946 0018')

    def test_thunderbird_csv(self):
        result = self.tb_json('import', fixture('thunderbird.csv'))
        self.assertEqual(result['format'], 'thunderbird')
        self.assertEqual((result['added'], result['skipped_no_name']), (3, 1))
        c = self.contacts()
        elif_ = c['Elif Demir']
        self.assertEqual(elif_['email'], 'elif@demir.example')
        self.assertEqual(elif_['company'], 'Bosphorus Books')
        self.assertEqual(elif_['birthday'], '1990-05-17')
        self.assertEqual(elif_['source'], 'thunderbird')
        self.assertEqual(c['Jonas Weber']['birthday'], '--11-02')
        self.assertIn('Mailing list', c)

    def test_every_exporter_twice_changes_nothing(self):
        names = ('android-21.vcf', 'sony-ericsson.vcf', 'apple-30.vcf',
                 'linkedin-urn-dates.csv', 'outlook.csv', 'thunderbird.csv',
                 'google-legacy-same-names.csv')
        for name in names:
            self.assertGreater(self.import_ok(fixture(name))[0], 0, name)
        before = self.tb_json('list', '--all')
        for name in names:
            result = self.tb_json('import', fixture(name))
            self.assertEqual((result['added'], result['updated']), (0, 0),
                             name)
            self.assertGreater(result['skipped_unchanged'], 0, name)
            _, out, _ = self.tb('import', fixture(name))
            self.assertIn('Nothing changed', out, name)
        self.assertEqual(self.tb_json('list', '--all'), before)

    # ------------------------------------------------------------ merging

    def test_second_import_changes_nothing(self):
        for name in ('linkedin-current-bom-crlf.csv', 'linkedin-old.csv',
                     'google-current.csv', 'google-legacy.csv',
                     'vcard-21.vcf', 'vcard-30.vcf', 'vcard-40.vcf'):
            added, _, _ = self.import_ok(fixture(name))
            self.assertGreater(added, 0, name)
        before = self.tb_json('list', '--all')
        for name in ('linkedin-current-bom-crlf.csv', 'linkedin-old.csv',
                     'google-current.csv', 'google-legacy.csv',
                     'vcard-21.vcf', 'vcard-30.vcf', 'vcard-40.vcf'):
            added, updated, skipped = self.import_ok(fixture(name))
            self.assertEqual((added, updated), (0, 0), name)
            self.assertGreater(skipped, 0, name)
        self.assertEqual(self.tb_json('list', '--all'), before)

    def test_same_name_phone_only_people_stay_apart(self):
        # A legacy Google export: people of one name, each with only a
        # phone number, are different people when the numbers differ.
        path = fixture('google-legacy-same-names.csv')
        # Deepa K's second record is the same number written without
        # spaces, with one more label: an update of the first.
        self.assertEqual(self.import_ok(path), (8, 1, 0))
        phones = collections.defaultdict(set)
        for c in self.tb_json('list', '--all'):
            phones[c['name']].add(self.show(c['id']).get('phone'))
        self.assertEqual(phones['Manu'], {'+91 98450 12345', '+91 99000 54321'})
        self.assertEqual(phones['RAJEEV'], {'98860 11111', '97400 22222'})
        self.assertEqual(phones['SALEEM'], {'080 2222 3333', '98450 33333'})
        self.assertEqual(phones['Deepa K'], {'+91 98450 77777'})
        before = self.tb_json('list', '--all')
        self.assertEqual(self.import_ok(path), (0, 0, 9))
        self.assertEqual(self.tb_json('list', '--all'), before)

    def test_name_only_record_joins_the_one_it_can(self):
        # A card with only a name and a number joins the contact of that
        # name with no number; one with another number does not.
        _, out, _ = self.tb('add', 'Manu')
        manu = int(out)
        self.assertEqual(self.import_ok(fixture('google-legacy-same-names.csv')),
                         (7, 2, 0))
        self.assertEqual(self.show(manu)['phone'], '+91 98450 12345')
        self.assertEqual(self.import_ok(fixture('google-legacy-same-names.csv')),
                         (0, 0, 9))

    def test_existing_contact_is_updated(self):
        # Same profile in another spelling, same email in another case,
        # and the same vCard UID.
        _, out, _ = self.tb('add', 'Bruno C.', '--url',
                            'https://pt.linkedin.com/in/BrunoCastell')
        bruno = int(out)
        _, out, _ = self.tb('add', 'Mo', '--email', 'mo@example.com')
        mo = int(out)
        self.assertEqual(self.import_ok(fixture('linkedin-current-bom-crlf.csv')),
                         (6, 1, 1))
        self.assertEqual(self.import_ok(fixture('linkedin-old.csv')), (2, 1, 0))
        b = self.show(bruno)
        self.assertEqual(b['name'], 'Bruno C.')  # the user's words stay
        self.assertEqual(b['company'], 'Castell & Filhos')
        self.assertEqual(b['email'], 'bruno.castell@example.org')
        self.assertEqual(self.show(mo)['source'], 'manual')
        self.assertIsNotNone(self.show(mo).get('connected_on'))
        self.assertEqual(len(self.tb_json('list', '--all')), 10)

        self.import_ok(fixture('vcard-40.vcf'))
        yuki = self.contacts()['Yuki Sato']
        with open(fixture('vcard-40.vcf')) as f:
            changed = f.read().replace('ORG:Sato Design', 'ORG:Sato Studio')
        path = os.path.join(self.tmpdir, 'changed.vcf')
        with open(path, 'w') as f:
            f.write(changed)
        self.assertEqual(self.import_ok(path), (0, 1, 1))
        self.assertEqual(self.show(yuki['id'])['company'], 'Sato Studio')

    def test_tag_and_interval(self):
        self.import_ok(fixture('linkedin-old.csv'), '--tag', 'Conference',
                       '--every', '60d')
        for contact in self.contacts().values():
            self.assertIn('conference', contact['tags'])
            self.assertEqual(contact['interval_seconds'], 60 * 86400)
        # Tagging again an existing contact is an update.
        self.assertEqual(self.import_ok(fixture('linkedin-old.csv'),
                                        '--tag', 'berlin'), (0, 3, 0))

    def test_dry_run(self):
        self.import_ok(fixture('linkedin-old.csv'))
        before = self.tb_json('list', '--all')
        rc, out, _ = self.tb('import', '--dry-run',
                             fixture('linkedin-current-bom-crlf.csv'))
        self.assertIn('Would add 7, update 0, skip 1', out)
        result = self.tb_json('import', '--dry-run', fixture('linkedin-old.csv'),
                              '--tag', 'x')
        self.assertEqual((result['added'], result['updated']), (0, 3))
        self.assertEqual(self.tb_json('list', '--all'), before)

    # --------------------------------------------------------- bad input

    def test_malformed_files_import_nothing(self):
        self.import_ok(fixture('linkedin-old.csv'))
        cases = {
            'bad-unterminated-quote.csv': ':3: unterminated',
            'bad-missing-end.vcf': ':8: ',
            'bad-invalid-utf8.csv': 'UTF-8',
            'bad-invalid-utf8.vcf': 'UTF-8',
            'bad-unknown.txt': 'unknown format',
        }
        for name, problem in cases.items():
            err = self.import_fails(fixture(name))
            self.assertIn(fixture(name), err)
            self.assertIn(problem, err)
        err = self.import_fails(fixture('bad-invalid-utf8.csv'))
        self.assertRegex(err, r'\.csv:\d+: ')

    def test_error_half_way_rolls_back(self):
        # Valid rows first, then a broken quote: the valid rows must not
        # stay behind.
        path = os.path.join(self.tmpdir, 'half.csv')
        with open(fixture('linkedin-old.csv')) as f:
            good = f.read()
        with open(path, 'w') as f:
            f.write(good + 'Bad,"Row,x@example.org,,,\n')
        err = self.import_fails(path)
        self.assertIn('half.csv:5:', err)
        self.assertEqual(self.tb_json('list', '--all'), [])

    # ----------------------------------------------------- never talked

    def test_connected_on_is_not_an_interaction(self):
        self.import_ok(fixture('linkedin-current-bom-crlf.csv'))
        never = self.tb_json('list', '--all', '--never')
        self.assertEqual(len(never), 7)
        for contact in never:
            self.assertFalse(contact.get('last_interaction_at'))
            self.assertTrue(contact.get('connected_on'))

    # ------------------------------------------------------------ pacing

    def test_pacing_spreads_due_dates(self):
        path = os.path.join(self.tmpdir, 'Connections.csv')
        with open(path, 'w') as f:
            subprocess.run([tbtest.PYTHON, os.path.join(
                tbtest.SOURCE_DIR, 'bench', 'gen-linkedin.py'), '500'],
                stdout=f, check=True)
        self.assertEqual(self.import_ok(path, '--every', '90d'), (500, 0, 0))
        days = collections.Counter(
            parse_time(c['due_at']).date() for c in self.tb_json('list', '--all'))
        now = datetime.datetime.now(datetime.timezone.utc).date()
        # Five or six a day: the golden-ratio spread keeps every day close.
        self.assertLessEqual(max(days.values()), 9, days.most_common(3))
        self.assertGreater(len(days), 60)
        self.assertTrue(all(0 <= (d - now).days <= 91 for d in days))

    # ---------------------------------------------------------- progress

    def test_progress_bar_on_a_tty(self):
        path = os.path.join(self.tmpdir, 'Connections.csv')
        with open(path, 'w') as f:
            subprocess.run([tbtest.PYTHON, os.path.join(
                tbtest.SOURCE_DIR, 'bench', 'gen-linkedin.py'), '3000'],
                stdout=f, check=True)
        command = f"'{tbtest.TOUCHBASE}' import '{path}'"
        proc = subprocess.run(['script', '-qec', command, '/dev/null'],
                              capture_output=True, text=True,
                              env=self.env, timeout=60 * tbtest.TIMEOUT_SCALE)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn('Importing', proc.stdout)
        self.assertIn('100%', proc.stdout)
        self.assertIn('Added 3000', proc.stdout)
        # Not on a pipe.
        _, out, err = self.tb('import', path)
        self.assertNotIn('Importing', out + err)

    # ------------------------------------------------------- round trips

    def fill(self):
        self.import_ok(fixture('google-current.csv'))
        self.import_ok(fixture('vcard-30.vcf'))
        maya = self.contacts()['Maya Goldberg']['id']
        self.tb('log', str(maya), '--kind', 'coffee', '--at', '-3d',
                '--note', 'Talked about "podcasts", ok')
        self.tb('follow-up', str(maya), '+14d', 'Send the intro')
        self.tb('snooze', str(maya), '3d')

    def restart_with_empty_database(self):
        '''Stop the D-Bus-activated daemon (by its pid) and remove its
        database; the next client call activates a fresh one.'''
        pid = self.daemon_pid()
        os.kill(pid, 15)
        self.wait_for(lambda: not self.name_has_owner(tbtest.BUS_NAME))
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(self.db_path + suffix):
                os.unlink(self.db_path + suffix)

    def test_json_backup_round_trip(self):
        self.fill()
        backup = os.path.join(self.tmpdir, 'backup.json')
        self.tb('export', '--format', 'json', '-o', backup)
        with open(backup) as f:
            doc = json.load(f)
        self.assertEqual(doc['format'], 'touchbase-backup')
        self.assertEqual(len(doc['tables']['contacts']), 5)
        self.assertEqual(len(doc['tables']['interactions']), 1)

        self.restart_with_empty_database()
        result = self.tb_json('import', backup)
        self.assertEqual(result['format'], 'json')
        self.assertEqual(result['added'], 5)
        again = os.path.join(self.tmpdir, 'again.json')
        self.tb('export', '--format', 'json', '-o', again)
        with open(backup, 'rb') as a, open(again, 'rb') as b:
            self.assertEqual(a.read(), b.read())

        # Into a database that has contacts: refused, nothing changes.
        err = self.import_fails(backup)
        self.assertIn('empty database', err)

    def test_bad_backup_names_the_place(self):
        path = os.path.join(self.tmpdir, 'bad.json')
        with open(path, 'w') as f:
            f.write('{\n  "format": "touchbase-backup",\n  "version": 1,\n'
                    '  "schema": 2,\n  "tables": {"contacts": [\n'
                    '    {"id": 1, "uid": "x", "name": "A",'
                    ' "effective_interval": 1, "created_at": 1}\n  ,]}\n}\n')
        err = self.import_fails(path)
        self.assertIn('bad.json:7:', err)
        with open(path, 'w') as f:
            f.write('{"format": "touchbase-backup", "version": 1, '
                    '"schema": 2, "tables": {"contacts": [{"id": 1, '
                    '"uid": "x", "name": "A", "effective_interval": 1, '
                    '"created_at": 1}, {"id": 2, "nope": 1}]}}')
        err = self.import_fails(path)
        self.assertIn('tables.contacts[1]', err)
        self.assertIn('nope', err)

    def test_vcard_export_round_trip(self):
        self.fill()
        before = self.tb_json('list', '--all')
        vcf = os.path.join(self.tmpdir, 'out.vcf')
        self.tb('export', '-o', vcf)
        with open(vcf, 'rb') as f:
            data = f.read()
        self.assertTrue(data.startswith(b'BEGIN:VCARD\r\nVERSION:4.0\r\n'))
        for line in data.split(b'\r\n'):
            self.assertLessEqual(len(line), 75)
        # Back into the same database: every card is a known contact.
        added, updated, skipped = self.import_ok(vcf)
        self.assertEqual((added, updated), (0, 0))
        self.assertEqual(skipped, len(before))
        # Into an empty one: the same people come back.
        self.restart_with_empty_database()
        self.assertEqual(self.import_ok(vcf)[0], len(before))
        after = {c['uid']: c for c in self.tb_json('list', '--all')}
        for c in before:
            back = after[c['uid']]
            for key in ('name', 'email', 'url', 'company', 'position',
                        'birthday', 'phone'):
                self.assertEqual(back.get(key), c.get(key), key)
            self.assertEqual(sorted(back.get('tags', [])),
                             sorted(c.get('tags', [])))

    def test_csv_export(self):
        self.fill()
        path = os.path.join(self.tmpdir, 'out.csv')
        self.tb('export', '-o', path)
        with open(path, newline='') as f:
            out = f.read()
        rows = out.split('\r\n')
        self.assertEqual(rows[0], 'id,name,email,phone,url,company,position,'
                         'tags,interval_days,due,last_interaction,'
                         'last_conversation,connected_on,source')
        import csv
        import io
        parsed = list(csv.DictReader(io.StringIO(out, newline='')))
        self.assertEqual(len(parsed), 5)
        maya = next(r for r in parsed if r['name'] == 'Maya Goldberg')
        self.assertEqual(maya['interval_days'], '30')
        self.assertEqual(maya['source'], 'google')
        self.assertTrue(maya['last_conversation'])


    def test_export_tag_with_semicolon_and_structured_name(self):
        import csv
        import re
        self.tb('add', 'José Ñúñez, Jr.', '--tag', 'a;b', '--tag',
                'back\\slash', '--tag', 'c')
        path = os.path.join(self.tmpdir, 'out.csv')
        self.tb('export', '-o', path)
        with open(path, newline='') as f:
            row = next(csv.DictReader(f))
        # Split at the unescaped ';', then drop the escapes (design.md §8).
        tags = [re.sub(r'\\(.)', r'\1', t)
                for t in re.findall(r'(?:[^;\\]|\\.)+', row['tags'])]
        self.assertEqual(sorted(tags), ['a;b', 'back\\slash', 'c'])
        vcf = os.path.join(self.tmpdir, 'out.vcf')
        self.tb('export', '-o', vcf)
        with open(vcf, 'rb') as f:
            self.assertIn('\r\nN:Ñúñez;José;;;Jr.\r\n'.encode(), f.read())


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
