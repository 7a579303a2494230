#!/usr/bin/python3
# E-mail addresses and links are checked on the way in, through the real
# client and daemon: what cannot be an address (no single @ between a name
# and a domain, a space, a control character) is refused by add and edit
# and over D-Bus, and left out of an imported record, which is kept and
# reported as repaired with the reason; a link with a line break (which
# would start a new card in the vCard export) or a space is refused.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import dbus

import tbtest

BAD_ADDRESSES = ('nope', 'a@b@example.org', '@example.org', 'ana@',
                 'ana silva@example.org', 'ana@example.org\x07',
                 'ana@example.org\r\nBcc: eve@example.org')
BAD_LINKS = ('https://example.org/a\r\nEND:VCARD\r\nBEGIN:VCARD\r\n'
             'FN:Injected Person', 'https://example.org/a b',
             'https://example.org/\x1b]0;x\x07')


class AddressTest(tbtest.TouchbaseTestCase):

    def names(self):
        return sorted(c['name'] for c in self.tb_json('list', '--all'))

    def test_add_and_edit_refuse_what_is_no_address(self):
        self.start_daemon()
        for address in BAD_ADDRESSES:
            status, out, err = self.tb('add', 'Ana Silva', '--email',
                                       address, check=False)
            self.assertEqual(status, 1, (address, out, err))
            self.assertIn('is not an e-mail address', err, address)
        self.assertEqual(self.names(), [])
        self.tb('add', 'Ana Silva', '--email', 'ana.silva+crm@example.org')
        self.tb('add', 'Zoë Ñúñez', '--email', 'zoë@exämple.org')
        for address in BAD_ADDRESSES:
            status, _, err = self.tb('edit', 'Ana Silva', '--email', address,
                                     check=False)
            self.assertEqual(status, 1, address)
            self.assertIn('is not an e-mail address', err, address)
        self.assertEqual(self.tb_json('show', 'ana')['email'],
                         'ana.silva+crm@example.org')
        # An empty address clears it, as for every field.
        self.tb('edit', 'Ana Silva', '--email', '')
        self.assertIsNone(self.tb_json('show', 'ana').get('email'))
        # Over D-Bus the same, for AddContact and UpdateContact.
        for address in BAD_ADDRESSES:
            for method, args in (
                    ('AddContact', [{'name': 'Bo Berg', 'email': address}]),
                    ('UpdateContact', [1, {'email': address}])):
                with self.assertRaises(dbus.exceptions.DBusException) as e:
                    self.daemon_call(method, 'a{sv}' if method == 'AddContact'
                                     else 'xa{sv}', args)
                self.assertEqual(e.exception.get_dbus_name(),
                                 'io.github.touchbase.Error.InvalidArgument',
                                 address)
        self.assertEqual(self.names(), ['Ana Silva', 'Zoë Ñúñez'])

    def test_a_link_with_a_line_break_is_refused(self):
        self.start_daemon()
        for link in BAD_LINKS:
            status, _, err = self.tb('add', 'Ana Silva', '--url', link,
                                     check=False)
            self.assertEqual(status, 1, link)
            self.assertIn('is not a link', err, link)
        self.tb('add', 'Ana Silva', '--url', 'https://example.org/ana')
        for link in BAD_LINKS:
            status, _, err = self.tb('edit', 'Ana Silva', '--url', link,
                                     check=False)
            self.assertEqual(status, 1, link)
            with self.assertRaises(dbus.exceptions.DBusException) as e:
                self.daemon_call('AddContact', 'a{sv}',
                                 [{'name': 'Bo Berg', 'url': link}])
            self.assertEqual(e.exception.get_dbus_name(),
                             'io.github.touchbase.Error.InvalidArgument')
        self.assertEqual(self.tb_json('show', 'ana')['url'],
                         'https://example.org/ana')
        # The export holds one card, and reads back as one contact.
        path = os.path.join(self.home, 'out.vcf')
        self.tb('export', '--format', 'vcard', '--output', path)
        with open(path, encoding='utf-8') as f:
            self.assertEqual(f.read().count('BEGIN:VCARD'), 1)
        self.assertEqual(self.names(), ['Ana Silva'])

    def test_an_import_keeps_the_record_without_the_bad_address(self):
        self.start_daemon()
        vcf = os.path.join(self.home, 'phone.vcf')
        with open(vcf, 'w', encoding='utf-8', newline='') as f:
            f.write('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\n'
                    'EMAIL:call me maybe\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n'
                    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Berg\r\n'
                    'EMAIL:bo@example.org\r\nEND:VCARD\r\n'
                    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Chen\r\n'
                    'EMAIL:cy@@example.org\r\nEND:VCARD\r\n')
        result = self.tb_json('import', vcf)
        self.assertEqual(result['added'], 3, result)
        repaired = [(p['line'], p['action']) for p in result['problems']]
        self.assertEqual(repaired, [(1, 'repaired'), (12, 'repaired')],
                         result['problems'])
        for p in result['problems']:
            self.assertIn('is not an e-mail address', p['reason'])
            self.assertTrue(p['file'].endswith('phone.vcf'), p)
        self.assertIn('call me maybe', result['problems'][0]['reason'])
        shown = {c['name']: c for c in self.tb_json('list', '--all')}
        self.assertIsNone(shown['Ana Silva'].get('email'))
        self.assertEqual(shown['Bo Berg']['email'], 'bo@example.org')
        self.assertIsNone(shown['Cy Chen'].get('email'))
        self.assertEqual(self.tb_json('show', 'ana')['phone'], '+1 555 0100')

        # A Google export the same; on a terminal the first ten are listed.
        csv = os.path.join(self.home, 'google.csv')
        with open(csv, 'w', encoding='utf-8', newline='') as f:
            f.write('First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value\r\n'
                    'Di,Diaz,Home,di at example dot org\r\n'
                    'Ed,Eng,Home,ed@example.org\r\n')
        _, out, _ = self.tb('import', csv)
        self.assertIn('Added 2', out)
        self.assertIn('google.csv:2:', out)
        self.assertIn('is not an e-mail address', out)
        self.assertIsNone(self.tb_json('show', 'di').get('email'))
        self.assertEqual(self.tb_json('show', 'ed')['email'],
                         'ed@example.org')


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
