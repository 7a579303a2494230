#!/usr/bin/python3
# touchbase undo end to end: through the real client and daemon, a
# mistaken log, a wrong fact, an rm and a whole import are each taken back
# and the database is back as it was in `export --format json` (the
# calendar's "sequence" aside, which undo moves on); the history outlives
# a restart of the daemon, and ids are never given twice.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os

import tbtest

HEADER = ('First Name,Last Name,URL,Email Address,Company,Position,'
          'Connected On\r\n')


def without_sequence(backup):
    '''The backup with the "sequence" of each row dropped, and without the
    state table: the daemon's own bookkeeping (which notifications it
    showed today, after the import made a review queue) is no change of
    the user's.'''
    backup['tables'].pop('state', None)
    for rows in backup['tables'].values():
        for row in rows:
            row.pop('sequence', None)
    return backup


class UndoTest(tbtest.TouchbaseTestCase):

    def export(self):
        _, out, _ = self.tb('export', '--format', 'json')
        return without_sequence(json.loads(out))

    def undo(self, expected):
        _, out, _ = self.tb('undo')
        self.assertEqual(out.strip(), 'Undone: ' + expected)

    def changes(self):
        _, out, _ = self.tb('undo', '--list')
        return [line.split('\t')[1] for line in out.splitlines()]

    def setUp(self):
        super().setUp()
        self.start_daemon()
        self.zoe = self.tb_json('add', 'Zoë Martin', '--email',
                                'zoe@example.org', '--tag', 'friends')['id']
        self.tb('log', 'Zoë Martin', '--kind', 'coffee', '--note',
                'told me about the seed round')
        self.tb('edit', 'Zoë Martin', '--goal', 'raise a seed round')

    def test_mistakes_are_taken_back(self):
        before = self.export()

        # A log at the wrong date.
        self.tb('log', 'Zoë Martin', '--at', '1999-01-01', '--kind', 'call')
        self.assertNotEqual(self.export(), before)
        self.assertEqual(self.changes()[0], 'log call with Zoë Martin')
        self.undo('log call with Zoë Martin')
        self.assertEqual(self.export(), before)

        # A wrong fact.
        self.tb('edit', 'Zoë Martin', '--need', 'a wrong thing')
        self.undo('edit Zoë Martin')
        self.assertEqual(self.export(), before)

        # An rm, with the whole history.
        self.tb('rm', str(self.zoe))
        self.assertEqual(self.tb_json('list', '--all'), [])
        self.assertEqual(self.changes()[0],
                         'rm Zoë Martin (with 1 interaction)')
        self.undo('rm Zoë Martin (with 1 interaction)')
        self.assertEqual(self.export(), before)
        shown = self.tb_json('show', str(self.zoe))
        self.assertEqual(shown['name'], 'Zoë Martin')
        self.assertEqual([h['note'] for h in shown['interactions']],
                         ['told me about the seed round'])
        # The search index came back with the row.
        self.assertEqual([c['id'] for c in self.tb_json('search', 'seed')],
                         [self.zoe])

        # A whole import: two new connections and Zoë, matched by her
        # address, updated with her company.
        path = os.path.join(self.tmpdir, 'Connections.csv')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(HEADER)
            f.write('Ana,Silva,https://www.linkedin.com/in/ana,,Solara,CTO,'
                    '05 Jan 2026\r\n')
            f.write('Bo,Berg,https://www.linkedin.com/in/bo,,Fjord,'
                    'Engineer,06 Jan 2026\r\n')
            f.write('Zoë,Martin,https://www.linkedin.com/in/zoe,'
                    'zoe@example.org,Quanta,Researcher,07 Jan 2026\r\n')
        result = self.tb_json('import', path)
        self.assertEqual((result['added'], result['updated']), (2, 1))
        self.assertEqual(self.changes()[0],
                         'import Connections.csv: 2 added, 1 updated')
        self.undo('import Connections.csv: 2 added, 1 updated')
        self.assertEqual(self.export(), before)
        self.assertEqual(self.tb_json('search', 'solara'), [])
        self.assertEqual(self.tb_json('search', 'quanta'), [])

    def test_history_outlives_a_restart(self):
        self.stop_daemon()
        self.start_daemon()
        self.assertEqual(self.changes(), [
            'edit Zoë Martin', 'log coffee with Zoë Martin', 'add Zoë Martin'])
        self.undo('edit Zoë Martin')
        self.undo('log coffee with Zoë Martin')
        self.undo('add Zoë Martin')
        self.assertEqual(self.tb_json('list', '--all'), [])
        code, out, err = self.tb('undo', check=False)
        self.assertEqual(code, 1)
        self.assertIn('Nothing left to undo', err)
        self.assertEqual(self.tb_json('undo', '--list'), [])

    def test_ids_are_not_given_twice(self):
        self.tb('rm', str(self.zoe))
        ana = self.tb_json('add', 'Ana Silva')['id']
        self.assertGreater(ana, self.zoe)
        self.undo('add Ana Silva')
        self.stop_daemon()
        self.start_daemon()
        self.assertGreater(self.tb_json('add', 'Bo Berg')['id'], ana)

    def test_json_and_limits(self):
        changes = self.tb_json('undo', '--list', '--limit', '2')
        self.assertEqual([c['verb'] for c in changes], ['edit', 'log'])
        self.assertEqual(changes[1]['subject'], 'Zoë Martin')
        self.assertEqual(changes[1]['detail'], {'kind': 'coffee'})
        undone = self.tb_json('undo')
        self.assertEqual((undone['verb'], undone['id']),
                         ('edit', changes[0]['id']))
        for bad in (['--limit', '0'], ['--limit', '101'], ['--limit', '5'],
                    ['extra']):
            code, _, _ = self.tb('undo', *bad, check=False)
            self.assertEqual(code, 2, bad)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
