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

    # -------------------------------------------------------------- history

    def test_history_lists_and_corrects_interactions(self):
        zoe = self.add('Zoë Martin', '--every', '30d')
        self.tb('log', 'zoe', '--kind', 'call', '--at', '-40d',
                '--note', 'the move')
        self.tb('log', 'zoe', '--kind', 'coffee', '--at', '-2d',
                '--note', 'seed round')
        self.tb('log', 'zoe', '--at', '1999-01-01')
        before = self.tb_json('show', 'zoe')
        history = self.tb_json('history', 'zoe')
        self.assertEqual([i['kind'] for i in history],
                         ['coffee', 'call', 'other'])
        self.assertEqual(history, before['interactions'])
        self.assertEqual(len(self.tb_json('history', 'zoe', '--limit', '1')),
                         1)
        _, out, _ = self.tb('show', 'zoe')
        for i in history:
            self.assertIn(str(i['id']), out)
        _, out, _ = self.tb('history', str(zoe))
        self.assertEqual(len(out.strip().splitlines()), 3)
        self.assertTrue(out.startswith(f'{history[0]["id"]}\t'), out)

        # Removing the newest interaction moves the clock back to the call.
        coffee, call, wrong = (i['id'] for i in history)
        _, out, _ = self.tb('history', '--rm', coffee)
        self.assertIn("Removed interaction", out)
        self.assertIn("Zoë Martin's history", out)
        after = self.tb_json('show', 'zoe')
        self.assertEqual(after['last_interaction_at'], history[1]['at'])
        self.assertEqual(after['last_conversation_at'], history[1]['at'])
        self.assertLess(after['due_at'], before['due_at'])
        changes = self.tb_json('undo', '--list')
        self.assertEqual(changes[0]['verb'], 'history rm')
        _, out, _ = self.tb('undo', '--list')
        self.assertIn('history rm Zoë Martin (coffee ', out)
        _, out, _ = self.tb('undo')
        self.assertIn('Undone: history rm Zoë Martin (coffee', out)
        self.assertEqual(self.tb_json('show', 'zoe'), before)

        # Editing: the 1999 one was a meeting last week.
        self.tb('history', '--edit', wrong, '--kind', 'meeting',
                '--at', '-1d', '--note', 'at the office')
        edited = self.tb_json('history', 'zoe')[0]
        self.assertEqual((edited['id'], edited['kind'], edited['note']),
                         (wrong, 'meeting', 'at the office'))
        after = self.tb_json('show', 'zoe')
        self.assertEqual(after['last_interaction_at'], edited['at'])
        self.assertGreater(after['due_at'], before['due_at'])
        self.tb('history', '--edit', wrong, '--note', '')
        self.assertIsNone(self.tb_json('history', 'zoe')[0].get('note'))
        self.assertEqual(self.tb_json('undo', '--list')[0]['verb'],
                         'history edit')
        self.tb('undo')
        self.tb('undo')
        self.assertEqual(self.tb_json('show', 'zoe'), before)

        for args in (['--rm', '999'], ['--edit', '999', '--kind', 'call']):
            rc, _, err = self.tb('history', *args, check=False)
            self.assertEqual(rc, 1, err)
            self.assertIn('No interaction with id 999', err)
        rc, _, err = self.tb('history', '--edit', call, '--kind', 'telepathy',
                             check=False)
        self.assertEqual(rc, 1)
        self.assertIn('telepathy', err)
        rc, _, err = self.tb('history', '--edit', call, '--at', 'in 2d',
                             check=False)
        self.assertEqual(rc, 1)
        self.assertIn('future', err)
        rc, _, _ = self.tb('history', '--edit', call, check=False)
        self.assertEqual(rc, 2)
        self.assertEqual(self.tb_json('show', 'zoe'), before)

    def test_rm_fact(self):
        self.add('Ana Silva', '--goal', 'move into product', '--interest',
                 'chess')
        bo = self.add('Bo Berg', '--interest', 'sailing')
        facts = {f['text']: f['id'] for f in
                 self.tb_json('show', 'ana')['facts']}
        sailing = self.tb_json('show', str(bo))['facts'][0]['id']
        _, out, _ = self.tb('show', 'ana')
        self.assertIn(f'(fact {facts["chess"]})', out)
        # Someone else's fact is refused, and nothing is removed.
        rc, _, err = self.tb('edit', 'ana', '--rm-fact', facts['chess'],
                             '--rm-fact', sailing, check=False)
        self.assertEqual(rc, 1)
        self.assertIn(f'has no fact {sailing}', err)
        self.assertEqual(len(self.tb_json('show', 'ana')['facts']), 2)
        _, out, _ = self.tb('edit', 'ana', '--rm-fact', facts['chess'])
        self.assertIn('Removed the fact “chess” from Ana Silva', out)
        self.assertEqual([f['text'] for f in
                          self.tb_json('show', 'ana')['facts']],
                         ['move into product'])
        self.assertEqual(self.tb_json('search', 'chess'), [])
        _, out, _ = self.tb('undo', '--list')
        self.assertIn('fact rm Ana Silva (interest: chess)', out)
        self.tb('undo')
        self.assertEqual(len(self.tb_json('show', 'ana')['facts']), 2)
        self.assertEqual(len(self.tb_json('search', 'chess')), 1)

    def test_rm_by_part_of_a_name(self):
        ana = self.add('Ana Silva')
        rc, out, err = self.tb('rm', 'ana', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('only part of Ana Silva', err)
        self.assertIn(f'touchbase rm {ana}', err)
        self.assertEqual(len(self.tb_json('list')), 1)
        self.tb('rm', 'ANA SILVA')
        self.assertEqual(self.tb_json('list'), [])
        self.tb('undo')
        self.tb('rm', str(ana))
        self.assertEqual(self.tb_json('list'), [])
        self.tb('undo')
        # On a terminal it asks.
        for answer, removed in ((b'n\n', False), (b'y\n', True)):
            rc, _, shown = self.tb_on_terminal(['rm', 'ana'], b'[y/N]',
                                               answer)
            self.assertIn('Remove Ana Silva (id', shown)
            self.assertEqual(rc, 0 if removed else 1, shown)
            self.assertEqual(len(self.tb_json('list')), 0 if removed else 1)

    # ------------------------------------------------------------- messages

    def test_messages_say_what_just_happened(self):
        self.add('Ana Silva')
        _, out, _ = self.tb('snooze', 'ana', '3d')
        self.assertIn('Snoozed Ana Silva until', out)
        _, out, _ = self.tb('snooze', 'ana', '--cancel')
        self.assertIn("Ana Silva's snooze ended; next touch base", out)
        _, out, _ = self.tb('snooze', 'ana', '--cancel')
        self.assertIn('Ana Silva was not snoozed', out)
        _, out, _ = self.tb('pause', 'ana')
        self.assertIn('Paused reminders for Ana Silva', out)
        _, out, _ = self.tb('pause', 'ana')
        self.assertIn('Reminders for Ana Silva were paused already', out)
        _, out, _ = self.tb('resume', 'ana')
        self.assertIn('Resumed reminders for Ana Silva', out)
        _, out, _ = self.tb('resume', 'ana')
        self.assertIn('Ana Silva was not paused', out)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
