#!/usr/bin/python3
# Tests of the integration harness itself: the private bus and the private
# home the daemon really uses, the mock notification server, the URI
# recorder, the client runner, crash detection and the logs.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import io
import os
import resource
import signal
import subprocess
import time

import tbtest


def run_inner(test_class, name):
    '''Run one test of TEST_CLASS (a TouchbaseTestCase defined inside a
    test, so the loader does not collect it) through the harness's TAP
    reporter; returns (unittest result, TAP text).'''
    out = io.StringIO()
    result = tbtest.TapResult(out)
    # An intended crash leaves no core file behind.
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    try:
        test_class(name).run(result)
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))
    return result, out.getvalue()


def environ_of(pid):
    with open(f'/proc/{pid}/environ', 'rb') as f:
        return dict(item.decode(errors='replace').split('=', 1)
                    for item in f.read().split(b'\0') if b'=' in item)


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
            exec_line = [line for line in f.read().splitlines()
                         if line.startswith('Exec=')]
        self.assertEqual(len(exec_line), 1)
        with open(exec_line[0][len('Exec='):]) as f:
            self.assertIn(tbtest.TOUCHBASED, f.read())

    def test_daemon_lives_in_the_private_world(self):
        # What the daemon itself reports and sees, not what the harness
        # meant to give it: activated by the bus, then started directly.
        self.assertFalse(self.name_has_owner(tbtest.BUS_NAME))
        for how in ('activated', 'started'):
            if how == 'started':
                self.stop_daemon()
                self.start_daemon()
            status = self.daemon_call('GetStatus')
            self.assertEqual(status['db_path'], self.db_path, how)
            self.assertTrue(status['db_path'].startswith(self.home + '/'))
            self.assertEqual(status['config_path'], self.config_path, how)
            self.assertTrue(status['ics_file'].startswith(self.data_home))
            self.assertTrue(os.path.exists(self.db_path), how)
            env = environ_of(self.daemon_pid())
            self.assertEqual(env['DBUS_SESSION_BUS_ADDRESS'],
                             self.bus_address, how)
            for var in ('HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME',
                        'XDG_CACHE_HOME', 'XDG_STATE_HOME',
                        'XDG_RUNTIME_DIR'):
                self.assertTrue(env[var].startswith(self.tmpdir + '/'),
                                f'{how}: {var}={env[var]}')
            for var in ('DISPLAY', 'WAYLAND_DISPLAY'):
                self.assertNotIn(var, env, how)
        # The started daemon uses the data the activated one wrote.
        self.stop_daemon()
        self.daemon_call('AddContact', 'a{sv}', [{'name': 'Ana Silva'}])
        self.stop_daemon()
        self.start_daemon()
        self.assertEqual(self.daemon_call('GetStatus')['contacts'], 1)

    def test_daemon_reaches_mock(self):
        # A reminder from the real daemon lands in the mock server.
        self.start_daemon()
        cid = self.daemon_call('AddContact', 'a{sv}', [{'name': 'Bo Berg'}])
        self.daemon_call('LogInteraction', 'xsxs',
                         [cid, 'call', int(time.time()) - 40 * 86400, ''])
        n = self.wait_for_notifications(1)[0]
        self.assertEqual(n['app_name'], 'touchbase')
        self.assertIn('Bo Berg', n['summary'])
        self.assertEqual(n['hints'].get('desktop-entry'),
                         'io.github.touchbase')

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
        rc, out, err = self.tb('--help')
        self.assertEqual(rc, 0)
        self.assertIn('Usage:', out)
        self.assertIn('touchbase COMMAND', out)
        # CHECK fails the test on a non-zero exit; without it the status
        # comes back.
        with self.assertRaises(AssertionError) as cm:
            self.tb('frobnicate')
        self.assertIn('frobnicate', str(cm.exception))
        rc, _, err = self.tb('frobnicate', check=False)
        self.assertEqual(rc, 2)
        self.assertIn('frobnicate', err)
        # The client talks to the private bus: it activates the daemon
        # there.
        self.assertFalse(self.name_has_owner(tbtest.BUS_NAME))
        self.assertEqual(self.tb_json('status')['db_path'], self.db_path)
        self.assertTrue(self.name_has_owner(tbtest.BUS_NAME))
        with open(os.path.join(self.logdir, 'client.log')) as f:
            log = f.read()
        self.assertIn('=== touchbase --help -> 0\nUsage:', log)
        self.assertIn('=== touchbase frobnicate -> 2\n', log)
        self.assertIn('=== touchbase status --json -> 0\n', log)

    def test_crash_is_detected(self):
        # A test whose daemon crashes fails, whether the test started the
        # daemon or the bus activated it; one that stops cleanly passes.
        class Inner(tbtest.TouchbaseTestCase):
            def test_started_crashes(self):
                self.start_daemon()
                self.daemon.send_signal(signal.SIGSEGV)
                self.daemon.wait(timeout=10)

            def test_activated_crashes(self):
                self.daemon_call('GetStatus')
                os.kill(self.daemon_pid(), signal.SIGSEGV)
                # The next call activates a fresh daemon, as if nothing
                # had happened.
                self.wait_for(lambda: not self.name_has_owner(
                    tbtest.BUS_NAME))
                self.daemon_call('GetStatus')

            def test_clean(self):
                self.start_daemon()
                self.daemon_call('GetStatus')
                self.stop_daemon()
                self.daemon_call('GetStatus')  # activated

        result, tap = run_inner(Inner, 'test_started_crashes')
        self.assertEqual(len(result.failures), 1, tap)
        self.assertIn('touchbased died during the test: it was killed by '
                      'SIGSEGV', result.failures[0][1])
        result, tap = run_inner(Inner, 'test_activated_crashes')
        self.assertEqual(len(result.failures), 1, tap)
        self.assertIn('D-Bus-activated touchbased was killed by SIGSEGV',
                      result.failures[0][1])
        result, tap = run_inner(Inner, 'test_clean')
        self.assertTrue(result.wasSuccessful(), tap)
        self.assertEqual(tap, 'ok 1 - Inner.test_clean\n')

    def test_logs_are_captured(self):
        # Each process writes to its own file in the test's log dir, and a
        # failing test prints their tails.
        class Inner(tbtest.TouchbaseTestCase):
            def test_fails(self):
                self.start_daemon()
                self.tb('add', 'Chen Wei')
                self.stop_daemon()
                self.daemon_call('GetStatus')  # activated
                self.fail('on purpose')

        result, tap = run_inner(Inner, 'test_fails')
        self.assertEqual(len(result.failures), 1, tap)
        lines = tap.splitlines()
        self.assertEqual(lines[0], 'not ok 1 - Inner.test_fails')
        self.assertTrue(all(line.startswith('# ') for line in lines[1:]),
                        tap)
        self.assertIn('# AssertionError: on purpose', lines)
        logdir = os.path.join(tbtest.LOG_ROOT, 'test_harness',
                              'Inner.test_fails')
        self.assertIn(f'# logs in {logdir}', lines)
        for name, text in (
                ('touchbased.log', 'Serving io.github.touchbase.Daemon'),
                ('bus-and-activated-daemon.log',
                 "Successfully activated service 'io.github.touchbase"),
                ('client.log', '=== touchbase add Chen Wei -> 0'),
                ('notification-calls.log', 'GetServerInformation')):
            with open(os.path.join(logdir, name)) as f:
                self.assertIn(text, f.read(), name)
            self.assertIn(f'# --- {name} ', tap)
        # The daemon's own output never reaches the TAP stream undiagnosed.
        self.assertNotIn('\ntb-daemon-INFO', tap)

    def test_failed_set_up_cleans_up(self):
        # A subclass's setUp that fails after the bus started (unittest
        # then skips tearDown) still leaves no bus or daemon behind.
        procs = []

        class Inner(tbtest.TouchbaseTestCase):
            def setUp(self):
                super().setUp()
                self.daemon_call('GetStatus')  # activates a daemon
                procs.append((self._bus_proc, self.daemon_pid()))
                raise RuntimeError('setUp fails on purpose')

            def test_never_runs(self):
                pass

        result, tap = run_inner(Inner, 'test_never_runs')
        self.assertEqual(len(result.errors), 1, tap)
        bus, daemon_pid = procs[0]
        self.assertIsNotNone(bus.poll(), 'the private bus is still running')
        self.wait_for(lambda: not os.path.exists(f'/proc/{daemon_pid}')
                      or open(f'/proc/{daemon_pid}/stat').read().split()[2]
                      == 'Z', timeout=10,
                      message='the activated daemon is still running')

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
