#!/usr/bin/python3
# Naming a contact among imported connections, end to end: two people added
# by hand as in the README's tour, then a generated LinkedIn export with
# many more of their first names (and some of their whole names), through
# the real client and daemon. The hand-added win; a name that only
# imported connections share lists the best ten, and on a terminal (a
# pseudo-terminal here) asks which one.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import subprocess
import sys

import tbtest

GEN_LINKEDIN = os.path.join(tbtest.SOURCE_DIR, 'bench', 'gen-linkedin.py')
ROWS = 3000


class ResolveTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        _, out, _ = self.tb('add', 'Zoë Martin', '--tag', 'family')
        self.zoe = int(out)
        _, out, _ = self.tb('add', 'Ana Silva', '--every', '2w')
        self.ana = int(out)
        csv = subprocess.run([sys.executable, GEN_LINKEDIN, str(ROWS), '7'],
                             check=True, capture_output=True,
                             text=True).stdout
        # Whole names of the hand-added people among the connections too.
        for i, (first, last) in enumerate([('Zoë', 'Martin')] * 6
                                          + [('Ana', 'Silva')] * 3
                                          + [('Ana', 'Lima')] * 3
                                          + [('Greta', 'Zylberstein')]):
            csv += (f'{first},{last},https://www.linkedin.com/in/extra-{i},,'
                    f'Solara,Engineer,05 Jan 2026\r\n')
        self.csv = os.path.join(self.tmpdir, 'Connections.csv')
        with open(self.csv, 'w', newline='') as f:
            f.write(csv)
        result = self.tb_json('import', self.csv)
        self.assertEqual(result['added'], ROWS + 13, result)

    def count(self, first, last=None):
        people = self.tb_json('list', '--all')
        return sum(1 for c in people
                   if c['name'].split()[0] == first
                   and (last is None or c['name'].split()[-1] == last))

    def test_hand_added_win(self):
        self.assertGreater(self.count('Zoë'), 100)
        # gen-linkedin has no Martin: the hand-added one and six more.
        self.assertEqual(self.count('Zoë', 'Martin'), 7)
        self.tb('log', 'zoe', '--kind', 'call')
        zoe = self.tb_json('show', str(self.zoe))
        self.assertEqual([i['kind'] for i in zoe['interactions']], ['call'])
        self.tb('log', 'Zoë Martin', '--kind', 'email')
        self.assertEqual(len(self.tb_json('show', str(self.zoe))
                             ['interactions']), 2)
        # Nobody else was touched: every other Zoë is still not tracked.
        for c in self.tb_json('list', '--all'):
            if c['id'] != self.zoe and c['name'].startswith('Zoë'):
                self.assertEqual(c.get('tracking'), 'not-tracked', c)
        for query in ('ana', 'ANA', 'Ana Silva', 'silva'):
            shown = self.tb_json('show', query)
            self.assertEqual((shown['id'], shown['name']),
                             (self.ana, 'Ana Silva'), query)
        # Without --json too: the hand-added Ana Silva, and her interval.
        _, out, err = self.tb('show', 'ana')
        self.assertIn('Ana Silva', out)
        self.assertEqual(err, '')

    def match(self, query):
        '''MatchContacts QUERY with the default limit, straight on the
        bus: (candidates, total).'''
        reply = self.daemon_call('MatchContacts', 'sa{sv}', (query, {}))
        return tuple(tbtest._to_python(part) for part in reply)

    def candidates(self, err):
        '''The table of candidates in ERR: the header and its rows.'''
        lines = err.splitlines()
        start = next(i for i, line in enumerate(lines)
                     if line.startswith('#'))
        end = next((i for i in range(start, len(lines))
                    if lines[i].startswith(('…', 'touchbase:'))), len(lines))
        return lines[start], lines[start + 1:end], lines

    def test_ambiguous_in_a_pipe(self):
        greta = self.count('Greta')
        self.assertGreater(greta, 10)
        rc, out, err = self.tb('show', 'greta', check=False)
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, '')
        header, rows, lines = self.candidates(err)
        self.assertEqual(lines[0],
                         f'touchbase: “greta” matches {greta} contacts:')
        self.assertEqual(len(rows), 10, err)
        self.assertIn(f'… and {greta - 10} more', lines)
        self.assertEqual(lines[-1],
                         'touchbase: use the id or more of the name')
        # Aligned: each column starts where its heading does.
        for column in ('ID', 'NAME', 'COMPANY', 'SOURCE', 'LAST TALKED'):
            self.assertIn(column, header)
        name_at = header.index('NAME')
        source_at = header.index('SOURCE')
        talked_at = header.index('LAST TALKED')
        names = []
        for number, row in enumerate(rows, 1):
            self.assertTrue(row.startswith(f'{number} '), row)
            self.assertTrue(row[name_at:].startswith('Greta '), row)
            self.assertEqual(row[name_at - 1], ' ', row)
            self.assertTrue(row[source_at:].startswith('linkedin'), row)
            self.assertTrue(row[talked_at:].startswith('never'), row)
            names.append(re.split(r'\s{2,}', row[name_at:])[0])
        # Best first: all start a word, so by name.
        self.assertEqual(names, sorted(names, key=str.casefold))

        # A whole name that only one of them has is that one; a script
        # may also take the candidates as records.
        shown = self.tb_json('show', 'greta zylberstein')
        self.assertEqual(shown['name'], 'Greta Zylberstein')
        candidates, total = self.match('greta')
        self.assertEqual(total, greta)
        self.assertEqual([c['name'] for c in candidates], names)

    def run_on_terminal(self, args, answer):
        return self.tb_on_terminal(args, b'Which one?', answer)

    def test_choose_on_a_terminal(self):
        candidates, _ = self.match('greta')
        rc, out, shown = self.run_on_terminal(
            ['show', 'greta', '--json'], b'2\n')
        self.assertEqual(rc, 0, shown)
        self.assertIn('Which one? [1-10, Enter to cancel]', shown)
        self.assertIn(candidates[1]['name'], shown)
        chosen = json.loads(out)
        self.assertEqual(chosen['id'], candidates[1]['id'])

        # A wrong answer asks again; Enter cancels.
        rc, out, shown = self.run_on_terminal(['log', 'greta'], b'11\n\n')
        self.assertEqual(rc, 1, shown)
        self.assertIn('Type a number from 1 to 10', shown)
        self.assertIn('no contact chosen', shown)
        self.assertEqual(out, '')
        for c in candidates:
            self.assertEqual(self.tb_json('show', str(c['id']))
                             ['interactions'], [])


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
