#!/usr/bin/python3
# The GNOME Shell search provider as the Shell drives it: on the private
# bus, touchbased's org.gnome.Shell.SearchProvider2 at the path the
# installed .ini names gives contacts for the typed terms (name, then
# company), their names and descriptions, and activating a result opens
# the contact's link or logs an interaction (which undo takes back); odd
# terms, ids and types give empty answers or typed errors.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import os

import dbus

import tbtest

PATH = '/io/github/touchbase/SearchProvider'
IFACE = 'org.gnome.Shell.SearchProvider2'
INI = os.path.join(tbtest.SOURCE_DIR, 'systemd',
                   'io.github.touchbase.search-provider.ini')
DESKTOP = os.path.join(tbtest.SOURCE_DIR, 'systemd',
                       'io.github.touchbase.desktop')
DAY = 86400


class SearchProviderTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        self.start_daemon()
        self.ana = self.tb_json('add', 'Ana Silva', '--every', '2w',
                                '--company', 'Acme',
                                '--url', 'https://www.linkedin.com/in/ana'
                                )['id']
        self.tb('log', 'Ana Silva', '--kind', 'coffee', '--at', '-12d')
        self.bo = self.tb_json('add', 'Bo Berg', '--every', '1w',
                               '--email', 'bo@example.org')['id']
        self.cy = self.tb_json('add', 'Cy Chen', '--company', 'Anaplan',
                               '--every', '4w')['id']

    def provider(self, method, signature, args, timeout=10):
        return tbtest._to_python(self.bus.call_blocking(
            tbtest.BUS_NAME, PATH, IFACE, method, signature, list(args),
            timeout=timeout * tbtest.TIMEOUT_SCALE))

    def provider_error(self, method, signature, args):
        try:
            self.provider(method, signature, args)
        except dbus.exceptions.DBusException as e:
            return e.get_dbus_name()
        return None

    def test_the_ini_names_what_the_daemon_serves(self):
        ini = configparser.ConfigParser()
        ini.read(INI)
        section = ini['Shell Search Provider']
        self.assertEqual(section['BusName'], tbtest.BUS_NAME)
        self.assertEqual(section['ObjectPath'], PATH)
        self.assertEqual(section['Version'], '2')
        self.assertEqual(section['DesktopId'],
                         os.path.basename(DESKTOP))
        desktop = configparser.ConfigParser(interpolation=None)
        desktop.read(DESKTOP)
        entry = desktop['Desktop Entry']
        # GNOME shows results only of an application it shows.
        self.assertNotEqual(entry.get('NoDisplay', 'false'), 'true')
        introspection = self.bus.call_blocking(
            tbtest.BUS_NAME, PATH, 'org.freedesktop.DBus.Introspectable',
            'Introspect', '', [])
        self.assertIn(f'<interface name="{IFACE}">', introspection)

    def test_results_metas_and_log_now(self):
        ids = self.provider('GetInitialResultSet', 'as', [['ana']])
        # Ana by her name, her "log now", then Cy by his company.
        self.assertEqual(ids, [f'contact:{self.ana}', f'log:{self.ana}',
                               f'contact:{self.cy}'])
        self.assertEqual(
            self.provider('GetSubsearchResultSet', 'asas',
                          [ids, ['ana', 'silva']]),
            [f'contact:{self.ana}', f'log:{self.ana}'])
        self.assertEqual(self.provider('GetInitialResultSet', 'as',
                                       [['acme']]),
                         [f'contact:{self.ana}', f'log:{self.ana}'])

        metas = self.provider('GetResultMetas', 'as', [ids])
        self.assertEqual([m['id'] for m in metas], ids)
        ana = metas[0]
        self.assertEqual(ana['name'], 'Ana Silva')
        self.assertEqual(ana['description'],
                         'Acme · last talked 12 days ago · due in 2 days')
        self.assertIn('Ana Silva', metas[1]['name'])
        self.assertEqual(metas[2]['description'],
                         'Anaplan · never talked · due in 4 weeks')

        before = len(self.tb_json('show', str(self.ana))['interactions'])
        self.provider('ActivateResult', 'sasu',
                      [f'log:{self.ana}', ['ana'], dbus.UInt32(0)])
        shown = self.tb_json('show', str(self.ana))
        self.assertEqual(len(shown['interactions']), before + 1)
        self.assertEqual(shown['interactions'][0]['note'],
                         'From the GNOME search')
        meta = self.provider('GetResultMetas', 'as',
                             [[f'contact:{self.ana}']])[0]
        self.assertEqual(meta['description'],
                         'Acme · last talked today · due in 2 weeks')
        _, out, _ = self.tb('undo')
        self.assertEqual(len(self.tb_json('show', str(self.ana))
                             ['interactions']), before)

    def test_activating_a_contact_opens_its_link(self):
        self.provider('ActivateResult', 'sasu',
                      [f'contact:{self.ana}', ['ana'], dbus.UInt32(1)])
        self.wait_for(lambda: self.opened_uris())
        self.assertEqual(self.opened_uris(),
                         ['https://www.linkedin.com/in/ana'])
        self.provider('ActivateResult', 'sasu',
                      [f'contact:{self.bo}', ['bo'], dbus.UInt32(1)])
        self.wait_for(lambda: len(self.opened_uris()) == 2)
        self.assertEqual(self.opened_uris()[1], 'mailto:bo@example.org')

    def test_launch_search_opens_the_report(self):
        self.provider('LaunchSearch', 'asu', [['ana'], dbus.UInt32(0)])
        self.wait_for(lambda: self.opened_uris())
        # GIO hands a local file to the handler as its path.
        report = os.path.join(self.cache_home, 'touchbase', 'report.html')
        self.assertIn(self.opened_uris()[0], (report, 'file://' + report))
        with open(report) as f:
            self.assertIn('Ana Silva', f.read())
        # The desktop file's action does the same from the client.
        os.unlink(report)
        _, out, _ = self.tb('report', '--open')
        self.assertEqual(out, '')
        self.wait_for(lambda: len(self.opened_uris()) == 2)
        self.assertTrue(os.path.exists(report))

    def test_hostile_terms_ids_and_types(self):
        for terms in ([], [''], ['   '], ['x' * 100000], ['ana'] * 10000,
                      ['\u202e'], ['%'], ['"'], ['*'], ['NEAR(']):
            self.assertEqual(self.provider('GetInitialResultSet', 'as',
                                           [terms]), [], terms[:3])
            self.assertEqual(self.provider('GetSubsearchResultSet', 'asas',
                                           [['contact:1'], terms]), [])
        # Many contacts that match: the set stays bounded.
        for i in range(30):
            self.tb('add', f'Anna {i:02d}')
        self.assertEqual(len(self.provider('GetInitialResultSet', 'as',
                                           [['an']])), 20)
        odd_ids = ['', 'contact:', 'contact:0', 'contact:-1',
                   'contact:99999', 'contact:9223372036854775808',
                   'log:abc', 'x:1', 'contact:1 ', ' contact:1'] + \
            [f'contact:{self.ana}'] * 1000
        metas = self.provider('GetResultMetas', 'as', [odd_ids])
        self.assertEqual(len(metas), 100 - 10 + 0)
        self.assertTrue(all(m['name'] == 'Ana Silva' for m in metas))
        invalid = 'io.github.touchbase.Error.InvalidArgument'
        not_found = 'io.github.touchbase.Error.NotFound'
        for ident, expected in [('', invalid), ('contact:', invalid),
                                ('x:1', invalid), ('contact:0', invalid),
                                ('log:99999', not_found),
                                ('contact:99999', not_found)]:
            self.assertEqual(self.provider_error(
                'ActivateResult', 'sasu', [ident, [], dbus.UInt32(0)]),
                expected, ident)
        wrong_args = 'org.freedesktop.DBus.Error.InvalidArgs'
        for method, sig, args in [
                ('GetInitialResultSet', 's', ['ana']),
                ('GetInitialResultSet', '', []),
                ('GetResultMetas', 's', ['contact:1']),
                ('ActivateResult', 'sas', ['contact:1', []]),
                ('ActivateResult', 'ias', [1, []]),
                ('LaunchSearch', 'as', [[]])]:
            self.assertEqual(self.provider_error(method, sig, args),
                             wrong_args, (method, sig))
        self.assertEqual(self.opened_uris(), [])
        # Nothing of it changed the data or hurt the daemon.
        self.assertEqual(len(self.tb_json('show', str(self.ana))
                             ['interactions']), 1)
        self.assertEqual(self.tb_json('status')['contacts'], 33)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
