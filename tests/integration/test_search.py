#!/usr/bin/python3
# touchbase search end to end: a LinkedIn import and facts added by hand
# go into the real touchbased's search index in the transactions that
# write them, and the real client finds them, without case or accents;
# an edit and a removal take the old text out.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import tbtest

HEADER = ('First Name,Last Name,URL,Email Address,Company,Position,'
          'Connected On\r\n')

# (first, last, company, position): whether Solara is in it is the point.
CONNECTIONS = [
    ('Amara', 'Okafor', 'Solara Energy', 'Product Designer'),
    ('Bruno', 'Castell', 'Northwind Labs', 'Head of Sales at SOLARA'),
    ('Chen', 'Wei', 'Sólara GmbH', 'Engineer'),
    ('Dana', 'Reyes', 'Northwind Labs', 'Engineer'),
    ('Zoë', 'Martin', 'Quanta', 'Researcher'),
    ('Eli', 'Solarz', 'Quanta', 'Analyst'),  # "solara" is no prefix of it
    ('Femi', 'Ade', 'Acme', 'Solaris admin'),  # nor of this
]


class SearchTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        path = os.path.join(self.tmpdir, 'Connections.csv')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(HEADER)
            for i, (first, last, company, position) in enumerate(CONNECTIONS):
                f.write(f'{first},{last},https://www.linkedin.com/in/p{i},,'
                        f'"{company}","{position}",05 Jan 2026\r\n')
        result = self.tb_json('import', path)
        self.assertEqual(result['added'], len(CONNECTIONS))
        self.ids = {c['name']: c['id'] for c in self.tb_json('list', '--all')}
        self.ids['Gil Hand'] = self.tb_json('add', 'Gil Hand')['id']
        self.tb('edit', str(self.ids['Dana Reyes']), '--goal',
                'a job at Solara')
        self.tb('edit', str(self.ids['Gil Hand']), '--need',
                'an intro to solara.com')

    def search(self, *args):
        return self.tb_json('search', *args)

    def names(self, *args):
        return sorted(c['name'] for c in self.search(*args))

    SOLARA = ['Amara Okafor', 'Bruno Castell', 'Chen Wei', 'Dana Reyes',
              'Gil Hand']

    def test_finds_every_field_once(self):
        found = self.search('Solara')
        self.assertEqual(sorted(c['name'] for c in found), self.SOLARA)
        matched = {c['name']: c['matched'] for c in found}
        self.assertEqual(matched['Amara Okafor'], ['company'])
        self.assertEqual(matched['Bruno Castell'], ['position'])
        self.assertEqual(matched['Dana Reyes'], ['facts'])
        # The records are those of list --json, plus what matched.
        listed = {c['id']: c for c in self.tb_json('list', '--all')}
        for c in found:
            self.assertEqual({k: v for k, v in c.items() if k != 'matched'},
                             listed[c['id']])
        # Any case and accents, and the start of a word.
        self.assertEqual(self.names('SOLARA'), self.SOLARA)
        self.assertEqual(self.names('sólara'), self.SOLARA)
        self.assertEqual(self.names('sol'), sorted(
            self.SOLARA + ['Eli Solarz', 'Femi Ade']))
        self.assertEqual(self.names('zoe'), ['Zoë Martin'])
        self.assertEqual(self.names('ZOË'), ['Zoë Martin'])
        self.assertEqual(self.names('olara'), [])
        self.assertEqual(self.names('solara', 'engineer'),
                         ['Chen Wei', 'Dana Reyes'])
        self.assertEqual(self.names('Solara', 'OR', 'Quanta'), [])

    def test_limit_and_rows(self):
        self.assertEqual(len(self.search('solara', '--limit', '2')), 2)
        rc, out, err = self.tb('search', 'solara', '--limit', '0',
                               check=False)
        self.assertEqual(rc, 2, err)
        # In a pipe: one tab-separated line per contact.
        _, out, _ = self.tb('search', 'zoe')
        self.assertEqual(out, f'{self.ids["Zoë Martin"]}\tZoë Martin\t'
                         'Researcher, Quanta\tname\n')
        _, out, _ = self.tb('search', 'nobody-has-this')
        self.assertEqual(out, '')
        rc, _, err = self.tb('search', '***', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('Nothing to search for', err)

    def test_edit_and_remove(self):
        amara = self.ids['Amara Okafor']
        self.tb('edit', str(amara), '--company', 'Quanta')
        self.assertEqual(self.names('solara'),
                         [n for n in self.SOLARA if n != 'Amara Okafor'])
        self.assertIn('Amara Okafor', self.names('quanta'))
        self.tb('edit', str(self.ids['Eli Solarz']), '--name', 'Eli Sun')
        self.assertEqual(self.names('solarz'), [])
        self.assertEqual(self.names('eli sun'), ['Eli Sun'])
        self.tb('rm', str(self.ids['Dana Reyes']))
        self.assertEqual(self.names('solara'),
                         ['Bruno Castell', 'Chen Wei', 'Gil Hand'])
        self.assertEqual(self.names('dana'), [])
        # A restart reads the same index from the database.
        self.stop_daemon()
        self.assertEqual(self.names('solara'),
                         ['Bruno Castell', 'Chen Wei', 'Gil Hand'])


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
