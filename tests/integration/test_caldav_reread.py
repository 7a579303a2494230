#!/usr/bin/python3
# CalDAV credentials are read again without a restart: a password file
# that others can read keeps CalDAV off, and after `chmod 600` the next
# change pushes to a real Radicale; SIGHUP and a saved configuration
# re-read the file too, both ways.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import signal
import socket
import subprocess
import urllib.error
import urllib.request

import tbtest

USER = 'test'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class CaldavRereadTest(tbtest.TouchbaseTestCase):

    DAEMON_ENV = {'TB_CALDAV_BACKOFF_MS': '200,1000'}

    def setUp(self):
        super().setUp()
        if not shutil.which('radicale') and not os.path.exists(
                '/usr/lib/python3/dist-packages/radicale'):
            self.fail('Radicale is not installed (tools/install-deps.sh '
                      'test)')
        self.port = free_port()
        self.base = f'http://127.0.0.1:{self.port}/'
        self.collection = f'{self.base}{USER}/touchbase/'
        radicale = subprocess.Popen(
            [tbtest.PYTHON, '-m', 'radicale', '-C', '', '--server-hosts',
             f'127.0.0.1:{self.port}', '--auth-type', 'none',
             '--rights-type', 'owner_only', '--storage-filesystem-folder',
             os.path.join(self.tmpdir, 'radicale')],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self._log('radicale.log'))
        self._procs.append(radicale)

        def up():
            try:
                self.http('OPTIONS', self.base)
                return True
            except (urllib.error.URLError, ConnectionError):
                return False
        self.wait_for(up, timeout=20, message='Radicale did not start')
        self.assertEqual(self.http('MKCALENDAR', self.collection), 201)
        self.password_file = os.path.join(self.tmpdir, 'caldav-password')
        with open(self.password_file, 'w') as f:
            f.write('x\n')
        os.chmod(self.password_file, 0o644)
        self.caldav = {'calendar': {
            'caldav-url': self.collection,
            'caldav-username': USER,
            'caldav-password-file': self.password_file}}
        self.write_config(self.caldav)

    def http(self, method, url):
        req = urllib.request.Request(url, method=method, headers={
            'Authorization': 'Basic dGVzdDp4', 'Depth': '1'})
        with urllib.request.urlopen(req, timeout=5) as resp:
            resp.read()
            return resp.status

    def resources(self):
        '''How many .ics resources Radicale holds.'''
        req = urllib.request.Request(self.collection, method='PROPFIND',
                                     data=b'', headers={
                                         'Authorization': 'Basic dGVzdDp4',
                                         'Depth': '1'})
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.read().decode().count('.ics</')

    def status(self):
        return self.tb_json('status')

    def caldav_off(self):
        return 'chmod 600' in self.status().get('caldav_last_error', '')

    def caldav_on(self):
        return 'caldav_last_error' not in self.status()

    def assert_pushes(self, name):
        '''A new contact due at once reaches Radicale.'''
        before = self.resources()
        self.tb('add', name, '--every', '1d')
        self.tb('log', name, '--at', '-3d')
        self.wait_for(lambda: self.resources() > before,
                      message=f'{name} did not reach Radicale')

    def test_chmod_600_takes_effect_without_a_restart(self):
        self.start_daemon()
        self.tb('add', 'Ana Silva', '--every', '1d')
        self.tb('log', 'Ana Silva', '--at', '-3d')
        self.wait_for(self.caldav_off, message='CalDAV not off for a '
                      'password file that others can read')
        self.assertEqual(self.resources(), 0)

        # The next change is the next push: it reads the file again.
        os.chmod(self.password_file, 0o600)
        self.tb('add', 'Bo Berg', '--every', '1d')
        self.wait_for(self.caldav_on, message='CalDAV still off after '
                      'chmod 600 and a change')
        self.wait_for(lambda: self.resources() >= 1,
                      message='nothing reached Radicale')
        self.assertTrue(self.status()['caldav_last_success'])

        # SIGHUP, with no change to the data: off again, then on again.
        os.chmod(self.password_file, 0o640)
        self.daemon.send_signal(signal.SIGHUP)
        self.wait_for(self.caldav_off, message='SIGHUP did not re-read the '
                      'password file')
        os.chmod(self.password_file, 0o600)
        self.daemon.send_signal(signal.SIGHUP)
        self.wait_for(self.caldav_on, message='SIGHUP did not turn CalDAV '
                      'on again')
        self.assert_pushes('Cy Chen')

        # Saving the configuration, unchanged, re-reads it too.
        os.chmod(self.password_file, 0o604)
        self.write_config(text=open(self.config_path).read())
        self.wait_for(self.caldav_off, message='a saved configuration did '
                      'not re-read the password file')
        os.chmod(self.password_file, 0o600)
        self.write_config(text=open(self.config_path).read() + '\n')
        self.wait_for(self.caldav_on, message='a saved configuration did '
                      'not turn CalDAV on again')
        self.assert_pushes('Di Diaz')
        self.assertEqual(self.daemon.poll(), None)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
