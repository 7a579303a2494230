#!/usr/bin/python3
# touchbase without a systemd user session, as run.sh sets it up: the
# session bus of tools/session-bus.sh outlives the daemon, so a daemon
# stopped and started again (by hand or by D-Bus activation) is on the
# same bus as the terminals that sourced the env file; an activated
# daemon logs to $XDG_STATE_HOME/touchbase/touchbased.log, rotated, and
# `touchbase status` names it; a client on the wrong bus says what to do.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import subprocess
import time

import tbtest

SESSION_BUS = os.path.join(tbtest.SOURCE_DIR, 'tools', 'session-bus.sh')


class NoSystemdTest(tbtest.TouchbaseTestCase):

    NOTIFICATION_CAPS = None
    ACTIVATABLE = False

    def setUp(self):
        super().setUp()
        # The environment of a terminal without systemd: no bus at all.
        self.plain_env = {k: v for k, v in self.env.items()
                          if k not in ('DBUS_SESSION_BUS_ADDRESS',
                                       'DBUS_SESSION_BUS_PID')}
        # What run.sh installs: the activation file of ~/.local.
        services = os.path.join(self.data_home, 'dbus-1', 'services')
        os.makedirs(services)
        with open(os.path.join(services, tbtest.BUS_NAME + '.service'),
                  'w') as f:
            f.write(f'[D-BUS Service]\nName={tbtest.BUS_NAME}\n'
                    f'Exec={tbtest.TOUCHBASED} --log-file\n'
                    'SystemdService=touchbased.service\n')
        self.envfile = os.path.join(self.cache_home, 'touchbase',
                                    'session-bus.env')
        self.log_file = os.path.join(self.state_home, 'touchbase',
                                     'touchbased.log')
        self.bus_pids = []
        self.addCleanup(self.kill_buses)

    def kill_buses(self):
        # Activated daemons first: they would outlive their bus.
        for pid in self.daemon_pids():
            os.kill(pid, signal.SIGTERM)
        for pid in self.bus_pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def daemon_pids(self):
        out = subprocess.run(['pgrep', '-f', '-x',
                              f'{tbtest.TOUCHBASED}( .*)?'],
                             capture_output=True, text=True).stdout
        pids = []
        for pid in map(int, out.split()):
            try:
                with open(f'/proc/{pid}/environ', 'rb') as f:
                    if self.home.encode() in f.read():
                        pids.append(pid)
            except OSError:
                pass
        return pids

    def session_bus(self, env=None):
        '''Run tools/session-bus.sh; returns (address, pid) from the env
        file it names.'''
        proc = subprocess.run([SESSION_BUS], capture_output=True, text=True,
                              env=env or self.plain_env, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), self.envfile)
        self.assertEqual(os.stat(self.envfile).st_mode & 0o777, 0o600)
        out = subprocess.run(
            ['sh', '-c', '. "$1"; echo "$DBUS_SESSION_BUS_ADDRESS"; '
             'echo "${DBUS_SESSION_BUS_PID:-}"', 'sh', self.envfile],
            capture_output=True, text=True, env=self.plain_env).stdout
        address, pid = (out.split('\n') + [''])[:2]
        if pid and int(pid) not in self.bus_pids:
            self.bus_pids.append(int(pid))
        return address, pid

    def bus_answers(self, address):
        return subprocess.run(
            ['dbus-send', '--session', '--print-reply',
             '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
             'org.freedesktop.DBus.GetId'],
            env=dict(self.plain_env, DBUS_SESSION_BUS_ADDRESS=address),
            capture_output=True).returncode == 0

    def owned(self, address):
        '''Whether a daemon owns the name on the bus at ADDRESS: asked of
        the bus, as a client call would activate one.'''
        out = subprocess.run(
            ['dbus-send', '--session', '--print-reply',
             '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
             'org.freedesktop.DBus.NameHasOwner',
             f'string:{tbtest.BUS_NAME}'],
            env=dict(self.plain_env, DBUS_SESSION_BUS_ADDRESS=address),
            capture_output=True, text=True).stdout
        return 'boolean true' in out

    def client(self, address, *args, check=True):
        return self.tb(*args, check=check,
                       env={'DBUS_SESSION_BUS_ADDRESS': address})

    def test_the_bus_outlives_the_daemon(self):
        address, pid = self.session_bus()
        self.assertTrue(pid)
        self.assertTrue(self.bus_answers(address))
        env = dict(self.plain_env, DBUS_SESSION_BUS_ADDRESS=address,
                   G_MESSAGES_DEBUG='all')
        log = self._log('touchbased.log')
        daemon = subprocess.Popen([tbtest.TOUCHBASED, '--replace'],
                                  stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=log, env=env)
        self._procs.append(daemon)
        self.wait_for(lambda: self.owned(address))
        self.client(address, 'add', 'Ana Silva', '--every', '2w')

        # Ctrl-C in run.sh's terminal: the daemon goes, the bus stays.
        daemon.send_signal(signal.SIGINT)
        self.assertEqual(daemon.wait(timeout=10 * tbtest.TIMEOUT_SCALE), 0)
        self.assertTrue(self.bus_answers(address))
        # run.sh again reuses that bus rather than starting another.
        self.assertEqual(self.session_bus(), (address, pid))
        # Also from a terminal that has a stale address of its own.
        stale = dict(self.plain_env,
                     DBUS_SESSION_BUS_ADDRESS='unix:path=/nonexistent/bus')
        self.assertEqual(self.session_bus(stale), (address, pid))

        # A restarted daemon joins it, and the client reaches it there.
        daemon = subprocess.Popen([tbtest.TOUCHBASED, '--replace'],
                                  stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=log, env=env)
        self._procs.append(daemon)
        self.wait_for(lambda: self.owned(address))
        self.assertEqual(self.client(address, 'list')[1].split('\t')[1],
                         'Ana Silva')
        daemon.send_signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=10 * tbtest.TIMEOUT_SCALE), 0)

        # With no daemon at all, the next command activates one on the
        # same bus (no systemd there), which logs to a file.
        os.makedirs(os.path.dirname(self.log_file), exist_ok=True)
        with open(self.log_file + '.1', 'w') as f:
            f.write('older\n')
        with open(self.log_file, 'w') as f:
            f.write('x' * (1024 * 1024 + 1) + '\n')
        # A mistake in the configuration is in the log, not lost.
        self.write_config({'reminders': {'daily-limit': 'lots'}})
        _, out, _ = self.client(address, 'status')
        self.assertIn(self.log_file, out)
        self.assertEqual(len(self.daemon_pids()), 1)
        # Over the limit when it started: the old log moved aside.
        self.assertEqual(os.path.getsize(self.log_file + '.1'),
                         1024 * 1024 + 2)
        with open(self.log_file) as f:
            self.assertIn('daily-limit', f.read())
        self.assertEqual(os.stat(self.log_file).st_mode & 0o777, 0o600)
        self.assertEqual(self.client(address, 'list')[1].split('\t')[1],
                         'Ana Silva')

    def test_the_client_says_what_to_do(self):
        address, _ = self.session_bus()
        # A terminal opened before run.sh: no bus, or another one.
        for env in ({'DBUS_SESSION_BUS_ADDRESS': 'unix:path=/nonexistent'},):
            rc, _, err = self.tb('status', check=False, env=env)
            self.assertEqual(rc, 1)
            self.assertIn('cannot reach touchbased', err)
            self.assertIn(f'. {self.envfile}', err)
            self.assertIn('./run.sh again', err)
        os.unlink(self.envfile)
        rc, _, err = self.tb('status', check=False, env={
            'DBUS_SESSION_BUS_ADDRESS': 'unix:path=/nonexistent'})
        self.assertIn('systemctl --user start touchbased.service', err)
        self.assertIn(self.log_file, err)

    def test_the_log_rotates_at_its_limit(self):
        address, _ = self.session_bus()
        # A daemon whose output nobody sees logs to the file by itself,
        # even without --log-file: the --verbose lines fill it up.
        env = dict(self.plain_env, DBUS_SESSION_BUS_ADDRESS=address,
                   TOUCHBASED_LOG_MAX_BYTES='20000')
        daemon = subprocess.Popen([tbtest.TOUCHBASED, '--verbose'],
                                  stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env=env)
        self._procs.append(daemon)
        self.wait_for(lambda: self.owned(address))
        self.assertIn(self.log_file, self.client(address, 'status')[1])
        deadline = time.monotonic() + 60 * tbtest.TIMEOUT_SCALE
        while not os.path.exists(self.log_file + '.1'):
            self.assertLess(time.monotonic(), deadline)
            self.client(address, 'add', f'P {time.monotonic()}')
        self.assertLessEqual(os.path.getsize(self.log_file + '.1'),
                             20000 + 1000)
        self.assertLess(os.path.getsize(self.log_file), 20000)
        with open(self.log_file + '.1') as f:
            self.assertIn('Added contact', f.read())
        daemon.send_signal(signal.SIGTERM)
        self.assertEqual(daemon.wait(timeout=10 * tbtest.TIMEOUT_SCALE), 0)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
