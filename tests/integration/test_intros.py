#!/usr/bin/python3
# The connector, end to end: suggested introductions through the real
# client, making one, the depth figures on a known fixture, the suggestion
# notification and its two buttons, and the report (written by the client
# and by the digest's click-through) rendered in headless Chromium.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sqlite3
import subprocess
import unittest
import urllib.parse

import tbtest

CHECK_REPORT = os.path.join(tbtest.SOURCE_DIR, 'tests', 'integration', 'check-report.py')


def pair(suggestion):
    return frozenset((suggestion['a']['name'], suggestion['b']['name']))


class IntrosTest(tbtest.TouchbaseTestCase):

    def add(self, name, *extra):
        _, out, _ = self.tb('add', name, *extra)
        return int(out.strip())

    def pairs(self):
        return [pair(s) for s in self.tb_json('intros', '--limit', '0')]

    def add_network(self):
        '''Positive pairs (a word form, accents and case, plural and -ing)
        and a negative one made of filler words only.'''
        self.add('Ana Silva', '--email', 'ana@example.org')
        self.add('Bo Berg', '--email', 'bo@example.org')
        self.tb('edit', 'silva', '--need', 'a UX designer')
        self.tb('edit', 'berg', '--offer', 'UX design')
        self.add('Élodie Marchand')
        self.add('Dan Okafor')
        self.tb('edit', 'elodie', '--need', 'Intros to angel investors')
        self.tb('edit', 'okafor', '--offer', 'Angel investing')
        self.add('Ines Núñez')
        self.add('Jon Moe')
        self.tb('edit', 'ines', '--need', 'pâtisserie equipment')
        self.tb('edit', 'jon', '--offer', 'PATISSERIE EQUIPMENT')
        self.add('Gus Hale')
        self.add('Hana Ito')
        self.tb('edit', 'gus', '--need', 'Looking for someone who can help me')
        self.tb('edit', 'hana', '--offer', 'Happy to help anyone, great advice')

    # -------------------------------------------------------------- matching

    def test_matching_positive_and_negative(self):
        self.add_network()
        suggestions = self.tb_json('intros', '--limit', '0')
        got = [pair(s) for s in suggestions]
        self.assertIn(frozenset(('Ana Silva', 'Bo Berg')), got)
        self.assertIn(frozenset(('Élodie Marchand', 'Dan Okafor')), got)
        self.assertIn(frozenset(('Ines Núñez', 'Jon Moe')), got)
        for s in suggestions:
            self.assertNotIn('Gus Hale', pair(s), 'paired on filler words')
            self.assertNotIn('Hana Ito', pair(s), 'paired on filler words')
            self.assertEqual(set(s), {'a', 'b', 'reason', 'score'})
            self.assertEqual(set(s['a']), {'id', 'name'})
        scores = [s['score'] for s in suggestions]
        self.assertEqual(scores, sorted(scores, reverse=True))
        ana = next(s for s in suggestions if 'Ana Silva' in pair(s))
        self.assertEqual(ana['a']['name'], 'Ana Silva')  # the one in need
        self.assertIn('UX designer', ana['reason'])
        self.assertIn('UX design', ana['reason'])
        self.assertEqual(len(self.tb_json('intros', '--limit', '1')), 1)

    def test_declined_and_made_pairs_are_not_proposed(self):
        self.add_network()
        self.tb('intros', '--decline', 'elodie', 'okafor')
        _, out, _ = self.tb('introduce', 'ines', 'jon')
        got = self.pairs()
        self.assertIn(frozenset(('Ana Silva', 'Bo Berg')), got)
        self.assertNotIn(frozenset(('Élodie Marchand', 'Dan Okafor')), got)
        self.assertNotIn(frozenset(('Ines Núñez', 'Jon Moe')), got)
        # Declining a pair already made does not forget it was made.
        self.tb('intros', '--decline', 'jon', 'ines')
        self.assertEqual(self.tb_json('stats')['introductions'], 1)

    def test_introduce_records_logs_and_prints_text(self):
        self.add_network()
        _, text, _ = self.tb('introduce', 'silva', 'berg', '--note',
                             'Both of you are in Lisbon')
        self.assertIn('Ana', text)
        self.assertIn('Bo', text)
        self.assertIn('Both of you are in Lisbon', text)
        for who in ('silva', 'berg'):
            kinds = [i['kind'] for i in
                     self.tb_json('show', who)['interactions']]
            self.assertEqual(kinds, ['intro'])
        self.assertEqual(self.tb_json('stats')['introductions'], 1)
        self.assertNotIn(frozenset(('Ana Silva', 'Bo Berg')), self.pairs())
        # Refused: the same contact twice, an unknown id.
        rc, _, err = self.tb('introduce', 'silva', 'silva', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('same contact', err)
        rc, _, _ = self.tb('introduce', 'silva', '999', check=False)
        self.assertEqual(rc, 1)
        rc, _, err = self.daemon_call_error('Introduce', 'xxsa{sv}', (1, 1, '', {}))
        self.assertIn('themselves', err)

    def daemon_call_error(self, method, signature, args):
        try:
            self.daemon_call(method, signature, args)
        except Exception as e:  # dbus.DBusException
            return 1, None, str(e)
        return 0, None, ''

    def test_introduce_mail_opens_mailto_with_both(self):
        self.add_network()
        self.tb('introduce', 'silva', 'berg', '--mail')
        uris = self.wait_for(lambda: self.opened_uris() or None)
        self.assertEqual(len(uris), 1)
        uri = urllib.parse.urlsplit(uris[0])
        self.assertEqual(uri.scheme, 'mailto')
        self.assertEqual(urllib.parse.unquote(uri.path),
                         'ana@example.org,bo@example.org')
        query = urllib.parse.parse_qs(uri.query)
        self.assertIn('Ana Silva', query['subject'][0])
        self.assertIn('UX design', query['body'][0])
        # Without an address nothing is recorded.
        rc, _, err = self.tb('introduce', 'elodie', 'okafor', '--mail',
                             check=False)
        self.assertEqual(rc, 1)
        self.assertIn('no email', err)
        self.assertEqual(self.tb_json('stats')['introductions'], 1)

    # ----------------------------------------------------------------- stats

    def make_fixture(self):
        '''6 contacts: 2 LinkedIn connections never talked to, 1 call 10
        days ago, 1 email only (not a conversation), 1 coffee 40 days ago
        (overdue), 1 paused; tag "work" on 3; one introduction.'''
        self.add('Lena Lind', '--tag', 'work')
        self.add('Lars Lund')
        self.add('Carl Cook', '--every', '30d', '--tag', 'work')
        self.tb('log', 'carl', '--kind', 'call', '--at', '-10d')
        self.add('Emma Eng', '--every', '30d')
        self.tb('log', 'emma', '--kind', 'email', '--at', '-5d')
        self.add('Otto Orr', '--tag', 'work')
        self.tb('log', 'otto', '--kind', 'coffee', '--at', '-40d')
        self.add('Pia Park')
        self.tb('pause', 'pia')
        self.tb('introduce', 'carl', 'emma')
        # LinkedIn imports arrive with the import branch; until then the
        # source is set in the database, with the daemon stopped.
        self.stop_daemon()
        db = sqlite3.connect(self.db_path)
        db.execute("UPDATE contacts SET source = 'linkedin' "
                   "WHERE name IN ('Lena Lind', 'Lars Lund')")
        db.commit()
        db.close()

    EXPECTED = {
        'contacts': 6, 'talked': 2, 'never_talked': 4,
        'never_talked_linkedin': 2, 'overdue': 1, 'on_track': 4,
        'conversations_30d': 1, 'conversations_90d': 2, 'introductions': 1,
        'tracked': 6, 'not_tracked': 0, 'ignored': 0,
    }
    EXPECTED_WORK = {
        'tag': 'work', 'contacts': 3, 'talked': 2, 'never_talked': 1,
        'never_talked_linkedin': 1, 'overdue': 1, 'on_track': 2,
        'conversations_30d': 1, 'conversations_90d': 2, 'introductions': 1,
        'tracked': 3, 'not_tracked': 0, 'ignored': 0,
    }

    def test_stats_on_a_known_fixture(self):
        self.make_fixture()
        stats = self.tb_json('stats')
        for key, value in self.EXPECTED.items():
            self.assertEqual(stats[key], value, key)
        self.assertEqual(stats['tags'], [self.EXPECTED_WORK])
        _, out, _ = self.tb('stats')
        self.assertIn('never_talked_linkedin\t2', out)

    def check_report(self, path, expect):
        args = ['/usr/bin/python3', CHECK_REPORT, path,
                '--out-dir', os.path.join(self.logdir, 'report-check')]
        for key, value in expect.items():
            args += ['--expect', f'{key}={value}']
        proc = subprocess.run(args, capture_output=True, text=True,
                              timeout=120 * tbtest.TIMEOUT_SCALE)
        if proc.returncode == 77:
            self.skipTest('Chromium is not installed')
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    FIGURES = {'fig-contacts': '6', 'fig-talked': '2', 'fig-never': '4',
               'fig-overdue': '1', 'fig-on-track': '4', 'fig-conv-30': '1',
               'fig-conv-90': '2', 'fig-intros': '1'}

    def test_report_in_chromium(self):
        self.make_fixture()
        out = os.path.join(self.tmpdir, 'report.html')
        self.tb('report', '-o', out)
        with open(out) as f:
            html = f.read()
        self.assertIn('Otto Orr', html)       # due
        self.assertIn('2 from LinkedIn', html)
        self.check_report(out, self.FIGURES)


class SuggestionTest(tbtest.TouchbaseTestCase):
    CONFIG = {'intros': {'suggest-every': '2s'}}

    def add(self, name, *extra):
        _, out, _ = self.tb('add', name, *extra)
        return int(out.strip())

    def suggestion_for(self, names):
        return self.wait_for(
            lambda: next((n for n in reversed(self.notify_calls())
                          if all(x in n['summary'] for x in names)), None),
            message=f'no suggestion for {names}')

    def test_notification_and_its_actions(self):
        # Ana and Bo first: whenever the first suggestion comes, it is them.
        self.add('Ana Silva', '--email', 'ana@example.org')
        self.add('Bo Berg', '--email', 'bo@example.org')
        self.tb('edit', 'silva', '--need', 'a UX designer <b>')
        self.tb('edit', 'berg', '--offer', 'UX design')
        self.add('Cleo Cruz', '--email', 'cleo@example.org')
        self.add('Dev Das', '--email', 'dev@example.org')
        self.tb('edit', 'cleo', '--need', 'angel investors for a biotech')
        self.tb('edit', 'dev', '--offer', 'angel investing')

        first = self.suggestion_for(('Ana Silva', 'Bo Berg'))
        self.assertEqual(first['summary'], 'Introduce Ana Silva and Bo Berg?')
        self.assertEqual(first['action_keys'], ['introduce', 'not-now'])
        self.assertIn('designer &lt;b&gt;', first['body'])

        # Not now: the pair is held back, not declined.
        self.invoke_action(first['id'], 'not-now')
        second = self.suggestion_for(('Cleo Cruz', 'Dev Das'))
        later = [n for n in self.notify_calls() if n['id'] > second['id']]
        self.assertFalse(any('Ana Silva' in n['summary'] for n in later))
        self.assertIn(frozenset(('Ana Silva', 'Bo Berg')),
                      [pair(s) for s in self.tb_json('intros')])

        # Introduce: recorded, logged for both, and the mail opened.
        self.invoke_action(second['id'], 'introduce')
        uris = self.wait_for(lambda: self.opened_uris() or None)
        self.assertTrue(uris[0].startswith(
            'mailto:cleo@example.org,dev@example.org?'), uris)
        for who in ('cleo', 'dev'):
            kinds = [i['kind'] for i in
                     self.tb_json('show', who)['interactions']]
            self.assertEqual(kinds, ['intro'])
        self.assertEqual(self.tb_json('stats')['introductions'], 1)
        self.assertNotIn(frozenset(('Cleo Cruz', 'Dev Das')),
                         [pair(s) for s in self.tb_json('intros')])


class QuietSuggestionTest(tbtest.TouchbaseTestCase):
    CONFIG = {'intros': {'suggest-every': '1s'},
              'reminders': {'quiet-hours': '00:00-23:59'}}

    def test_quiet_hours_hold_suggestions(self):
        self.tb('add', 'Ana Silva')
        self.tb('add', 'Bo Berg')
        self.tb('edit', 'silva', '--need', 'a UX designer')
        self.tb('edit', 'berg', '--offer', 'UX design')
        self.assert_stays(lambda: self.notify_calls() == [], duration=3.0,
                          message='a suggestion came in quiet hours')


class DigestReportTest(tbtest.TouchbaseTestCase):
    CONFIG = {'reminders': {'quiet-hours': '', 'batch-limit': '1'}}

    def test_digest_opens_the_report(self):
        # Without a server the alerts wait, and come as one batch.
        self.stop_notification_server()
        self.start_daemon()
        for name in ('Ana Silva', 'Bo Berg', 'Cleo Cruz'):
            self.tb('add', name)
            self.tb('log', name.split()[0], '--kind', 'call', '--at', '-40d')
        self.start_notification_server()
        calls = self.wait_for_notifications(2)
        digest = next(n for n in calls if 'more people' in n['summary'])
        self.invoke_action(digest['id'], 'default')
        uris = self.wait_for(lambda: self.opened_uris() or None)
        self.assertEqual(len(uris), 1)
        # The daemon opens a file:// URI; GIO hands a handler with %u a
        # local path for it.
        path = uris[0]
        if path.startswith('file://'):
            path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        self.assertEqual(path, os.path.join(self.cache_home, 'touchbase',
                                            'report.html'))
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path) as f:
            html = f.read()
        for name in ('Ana Silva', 'Bo Berg', 'Cleo Cruz'):
            self.assertIn(name, html)
        IntrosTest.check_report(self, path, {
            'fig-contacts': '3', 'fig-talked': '3', 'fig-overdue': '3',
            'fig-conv-90': '3'})


if __name__ == '__main__':
    tbtest.main()
