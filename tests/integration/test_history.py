#!/usr/bin/python3
# Every action does what was meant, once, and can be taken back: durations
# people mean, no silent duplicates, an editable history, and messages
# that say what just happened.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import tbtest


class HistoryTest(tbtest.TouchbaseTestCase):

    def add(self, name, *extra):
        _, out, _ = self.tb('add', name, *extra)
        return int(out.strip())

    # ------------------------------------------------------------ durations

    def test_m_alone_is_refused(self):
        for args in (['add', 'Ana Silva', '--every', '2m'],
                     ['add', 'Ana Silva', '--every', '2 M']):
            rc, _, err = self.tb(*args, check=False)
            self.assertEqual(rc, 1, err)
            self.assertIn('use 2mo for 2 months or 2min for 2 minutes', err)
            self.assertIn('--every', err)
        ana = self.add('Ana Silva', '--every', '2mo')
        self.assertEqual(self.tb_json('show', str(ana))['interval_seconds'],
                         60 * 86400)
        for args in (['edit', 'ana', '--every', '3m'],
                     ['track', 'ana', '--every', '3m'],
                     ['snooze', 'ana', '3m'],
                     ['log', 'ana', '--at', '-30m'],
                     ['due', '--within', '5m']):
            rc, _, err = self.tb(*args, check=False)
            self.assertEqual(rc, 1, (args, err))
            self.assertIn('min for', err, args)
        c = self.tb_json('show', 'ana')
        self.assertEqual(c['interval_seconds'], 60 * 86400)
        self.assertEqual(c['interactions'], [])
        self.assertIsNone(c['snoozed_until'])
        # The long forms and the other units still work.
        self.tb('edit', 'ana', '--every', '3 months')
        self.tb('log', 'ana', '--at', '-30min')
        self.assertEqual(self.tb_json('show', 'ana')['interval_seconds'],
                         90 * 86400)

    def test_show_warns_about_an_interval_under_a_day(self):
        self.add('Bo Berg', '--every', '90min')
        _, out, _ = self.tb('show', 'bo')
        self.assertIn('less than a day', out)
        self.assertIn('90min', out)
        self.tb('edit', 'bo', '--every', '2w')
        _, out, _ = self.tb('show', 'bo')
        self.assertNotIn('less than a day', out)

    # ----------------------------------------------------------- duplicates

    def test_add_of_an_existing_name_email_or_link_is_refused(self):
        ana = self.add('Ana Silva', '--email', 'ana@example.org',
                       '--url', 'https://www.linkedin.com/in/ana-silva/')
        for args, said in (
                (['ana silva'], 'is already a contact'),
                (['ANA  SILVA'], 'is already a contact'),
                (['Ana S.', '--email', 'Ana@Example.org'], 'e-mail address'),
                (['Ana S.', '--url', 'linkedin.com/in/Ana-Silva'],
                 'profile link')):
            rc, out, err = self.tb('add', *args, check=False)
            self.assertEqual(rc, 1, err)
            self.assertEqual(out, '')
            self.assertIn(f'Ana Silva (id {ana})', err)
            self.assertIn(said, err)
            self.assertIn('--new', err)
        self.assertEqual(len(self.tb_json('list')), 1)
        self.assertEqual(self.tb_json('undo', '--list')[0]['verb'], 'add')
        # --new adds the namesake anyway; it is undoable like any add.
        other = self.add('Ana Silva', '--new')
        self.assertNotEqual(other, ana)
        self.assertEqual(len(self.tb_json('list')), 2)
        self.tb('undo')
        self.assertEqual([c['id'] for c in self.tb_json('list')], [ana])

    def test_introduce_twice_says_when(self):
        self.add('Ana Silva')
        self.add('Bo Berg')
        self.tb('introduce', 'ana', 'bo')
        rc, out, err = self.tb('introduce', 'bo', 'ana', check=False)
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, '')
        self.assertRegex(err, r'Bo Berg and Ana Silva were introduced on '
                              r'\d{4}-\d\d-\d\d')
        self.assertIn('--again', err)
        self.assertEqual(len(self.tb_json('show', 'ana')['interactions']), 1)
        _, out, _ = self.tb('introduce', 'ana', 'bo', '--again')
        self.assertIn('Bo', out)
        self.assertEqual(len(self.tb_json('show', 'ana')['interactions']), 2)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
