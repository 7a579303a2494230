#!/usr/bin/python3
# Smoke test of the integration harness itself: the private bus, the mock
# notification server, the URI recorder and the client runner. It needs no
# working daemon.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess

import tbtest


class HarnessTest(tbtest.TouchbaseTestCase):

    def gdbus_notify(self, summary, body, actions='[]', replaces=0):
        subprocess.run(
            ['gdbus', 'call', '--session', '--dest', tbtest.NOTIFY_NAME,
             '--object-path', tbtest.NOTIFY_PATH,
             '--method', 'org.freedesktop.Notifications.Notify', '--',
             'harness', str(replaces), '', summary, body, actions,
             "{'desktop-entry': <'io.github.touchbase'>}", '-1'],
            env=self.env, check=True, capture_output=True)

    def test_private_environment(self):
        self.assertTrue(self.bus_address.startswith('unix:path='))
        self.assertIn(self.runtime_dir, self.bus_address)
        self.assertEqual(self.env['DBUS_SESSION_BUS_ADDRESS'],
                         self.bus_address)
        for var in ('HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME',
                    'XDG_RUNTIME_DIR'):
            self.assertTrue(self.env[var].startswith(self.tmpdir), var)
        self.assertNotIn('DISPLAY', self.env)
        with open(self.config_path) as f:
            self.assertEqual(f.read(), '[reminders]\nquiet-hours=\n')
        self.write_config({'reminders': {'batch-limit': '2'},
                           'tags': {'family': '2w'}})
        with open(self.config_path) as f:
            self.assertEqual(f.read(), '[reminders]\nquiet-hours=\n'
                             'batch-limit=2\n[tags]\nfamily=2w\n')
        service = os.path.join(self.tmpdir, 'dbus-services',
                               tbtest.BUS_NAME + '.service')
        with open(service) as f:
            self.assertIn(f'Exec={tbtest.TOUCHBASED}\n', f.read())

    def test_notify_reaches_mock(self):
        self.assertEqual(self.notify_calls(), [])
        self.gdbus_notify('Ana Silva', 'last talked <i>&amp;</i>',
                          "['default', 'Open', 'done', 'Done']")
        calls = self.wait_for_notifications(1)
        self.assertEqual(len(calls), 1)
        n = calls[0]
        self.assertEqual(n['id'], 1)
        self.assertEqual(n['app_name'], 'harness')
        self.assertEqual(n['summary'], 'Ana Silva')
        self.assertEqual(n['body'], 'last talked <i>&amp;</i>')
        self.assertEqual(n['actions'], {'default': 'Open', 'done': 'Done'})
        self.assertEqual(n['action_keys'], ['default', 'done'])
        self.assertEqual(n['hints'], {'desktop-entry': 'io.github.touchbase'})
        self.assertEqual(n['expire_timeout'], -1)

        # Ids follow the server: new ones count up, replacing keeps the id.
        subprocess.run(['notify-send', 'Bo', 'second'], env=self.env,
                       check=True, capture_output=True)
        self.gdbus_notify('Ana Silva', 'again', replaces=1)
        calls = self.wait_for_notifications(3)
        self.assertEqual([c['id'] for c in calls], [1, 2, 1])
        self.assertEqual(calls[1]['summary'], 'Bo')
        self.assertEqual(self.mock_calls('CloseNotification'), [])

    def test_capabilities(self):
        out = subprocess.run(
            ['gdbus', 'call', '--session', '--dest', tbtest.NOTIFY_NAME,
             '--object-path', tbtest.NOTIFY_PATH, '--method',
             'org.freedesktop.Notifications.GetCapabilities'],
            env=self.env, check=True, capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), "(['body', 'body-markup', 'actions'],)")
        self.stop_notification_server()
        self.assertFalse(self.name_has_owner(tbtest.NOTIFY_NAME))
        self.start_notification_server(['body'])
        out = subprocess.run(
            ['gdbus', 'call', '--session', '--dest', tbtest.NOTIFY_NAME,
             '--object-path', tbtest.NOTIFY_PATH, '--method',
             'org.freedesktop.Notifications.GetCapabilities'],
            env=self.env, check=True, capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), "(['body'],)")

    def test_invoke_action_emits_signal(self):
        log = os.path.join(self.tmpdir, 'monitor.log')
        with open(log, 'w') as f:
            monitor = subprocess.Popen(
                ['dbus-monitor', '--session',
                 "type='signal',interface='org.freedesktop.Notifications'"],
                stdout=f, stderr=subprocess.DEVNULL, env=self.env)
        try:
            # dbus-monitor's own match is in place once it prints NameLost
            # for its unique name; wait for its first output.
            self.wait_for(lambda: os.path.getsize(log) > 0)
            self.invoke_action(7, 'done')
            self.close_notification(7)

            def seen():
                with open(log) as f:
                    text = f.read()
                return ('member=ActionInvoked' in text
                        and 'string "done"' in text
                        and 'member=NotificationClosed' in text)
            self.wait_for(seen)
        finally:
            monitor.terminate()
            monitor.wait()

    def test_uri_recorder(self):
        # GIO hands a local file to the handler as a path.
        self.assertEqual(self.opened_uris(), [])
        for uri in ('https://example.com/in/ana', 'mailto:ana@example.com',
                    'file:///etc/passwd'):
            subprocess.run(['gio', 'open', uri], env=self.env, check=True,
                           capture_output=True)
        self.wait_for(lambda: len(self.opened_uris()) == 3)
        self.assertEqual(self.opened_uris(),
                         ['https://example.com/in/ana',
                          'mailto:ana@example.com', '/etc/passwd'])

    def test_client_runner(self):
        rc, out, err = self.tb('--help', check=False)
        self.assertIsInstance(rc, int)
        self.assertIsInstance(out, str)
        self.assertTrue(os.path.exists(
            os.path.join(self.logdir, 'client.log')))

    def test_wait_for_times_out(self):
        with self.assertRaises(AssertionError):
            self.wait_for(lambda: False, timeout=0.2)
        self.assertEqual(self.wait_for(lambda: 42), 42)


class NoServerTest(tbtest.TouchbaseTestCase):
    NOTIFICATION_CAPS = None
    ACTIVATABLE = False
    CONFIG = {'reminders': {'daily-limit': '1'}}

    def test_no_server_until_started(self):
        self.assertFalse(self.name_has_owner(tbtest.NOTIFY_NAME))
        self.assertFalse(os.path.exists(os.path.join(
            self.tmpdir, 'dbus-services', tbtest.BUS_NAME + '.service')))
        with open(self.config_path) as f:
            self.assertIn('daily-limit=1\n', f.read())
        self.start_notification_server()
        self.assertTrue(self.name_has_owner(tbtest.NOTIFY_NAME))
        self.assertEqual(self.notify_calls(), [])


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
