#!/usr/bin/python3
# Idle means idle: with nothing due, touchbased makes no system calls at
# all, measured with strace on the real daemon.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import time
import unittest

import calfixtures as cal
import tbtest

# What strace itself causes by attaching and detaching: the interrupted
# blocking calls are restarted, and then nothing.
ATTACH_NOISE = ('restart_syscall', '<detached ...>', '+++', '---')


def syscalls(path):
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    return [line for line in lines
            if not any(noise in line for noise in ATTACH_NOISE)]


@unittest.skipUnless(shutil.which('strace'), 'strace is not installed')
class IdleTest(tbtest.TouchbaseTestCase):

    def trace(self, seconds):
        out = os.path.join(self.logdir, 'strace.out')
        subprocess.run(['timeout', '-s', 'INT', str(seconds), 'strace', '-f',
                        '-p', str(self.daemon.pid), '-o', out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return syscalls(out)

    def test_no_syscalls_when_nothing_is_due(self):
        self.start_daemon()
        self.tb('add', 'Ana Silva', '--every', '30d')
        self.tb('add', 'Bo Berg', '--every', '2w')
        self.tb('follow-up', 'ana', 'in 3d', 'ask about Lisbon')
        # Let the debounced live calendar file be written first.
        ics = os.path.join(self.data_dir, 'touchbase.ics')
        self.wait_for(lambda: os.path.exists(ics)
                      and 'Lisbon' in open(ics).read())
        time.sleep(1.0)
        calls = self.trace(3)
        self.assertEqual(calls, [], 'touchbased was busy while idle')

    def test_no_syscalls_while_alerts_wait_for_quiet_hours_to_end(self):
        # Something is due, but it is quiet hours (from an hour ago to two
        # hours from now, in the tests' UTC): wait in silence, no loop.
        now = time.gmtime()
        start = (now.tm_hour - 1) % 24
        end = (now.tm_hour + 2) % 24
        self.write_config({'reminders': {
            'quiet-hours': f'{start:02d}:00-{end:02d}:00'}})
        self.start_daemon()
        self.tb('add', 'Ana Silva')
        self.tb('log', 'ana', '--at', '-40d')
        time.sleep(0.5)
        self.assertEqual(self.notify_calls(), [])
        self.assertEqual(self.trace(3), [], 'touchbased was busy while idle')

    def test_no_syscalls_with_every_mail_source_followed(self):
        # A Maildir, an mbox and a notmuch database, scanned and followed
        # (inotify): with nothing changing, nothing runs, and the
        # notmuch revision is read only when its folder changes.
        home = self.home
        maildir = os.path.join(home, 'mail', 'Sent')
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(maildir, sub))
        with open(os.path.join(maildir, 'cur', '1.test:2,S'), 'w') as f:
            f.write('From: me@example.org\nTo: ana@example.com\n'
                    'Date: ' + time.strftime('%a, %d %b %Y %H:%M:%S +0000',
                                             time.gmtime(time.time() - 86400))
                    + '\nMessage-ID: <idle@example.org>\n\nHi\n')
        mbox = os.path.join(home, 'Sent.mbox')
        with open(mbox, 'w') as f:
            f.write('From - Mon Jan  1 00:00:00 2024\nFrom: me@example.org\n'
                    'To: bo@example.com\nDate: Mon, 1 Jan 2024 00:00:00 '
                    '+0000\n\nHi\n\n')
        sources = {'maildir': '~/mail/Sent', 'mbox': '~/Sent.mbox',
                   'my-addresses': 'me@example.org'}
        env = {}
        if shutil.which('notmuch'):
            config = os.path.join(home, '.notmuch-config')
            with open(config, 'w') as f:
                f.write(f'[database]\npath={home}/mail\n'
                        '[user]\nprimary_email=me@example.org\n')
            env = {'NOTMUCH_CONFIG': config}
            subprocess.run(['notmuch', 'new'], env=dict(self.env, **env),
                           check=True, capture_output=True)
            sources['notmuch'] = 'true'
        self.write_config({'sources': sources})
        self.start_daemon(env=env)
        self.tb('add', 'Ana Silva', '--email', 'ana@example.com')
        self.tb('sources', '--scan')
        listed = self.tb_json('sources')
        self.assertEqual(len(listed), len(sources) - 1)
        self.assertTrue(all(s['watching'] for s in listed), listed)
        ics = os.path.join(self.data_dir, 'touchbase.ics')
        self.wait_for(lambda: os.path.exists(ics))
        time.sleep(1.5)
        calls = self.trace(3)
        self.assertEqual(calls, [], 'touchbased was busy while idle')

    def test_no_syscalls_with_every_calendar_source_followed(self):
        # An .ics file (inotify), an .ics URL and a Radicale collection
        # (remote: a refresh hours away) and evolution-data-server (client
        # views: D-Bus signals), scanned and followed, each with a
        # meeting to come days away: nothing runs until one changes.
        now = int(time.time())
        events = cal.meetings(now)
        text = cal.calendar(*events.values())
        with open(os.path.join(self.home, 'work.ics'), 'w') as f:
            f.write(text)
        root = os.path.join(self.tmpdir, 'www')
        os.makedirs(root)
        with open(os.path.join(root, 'feed.ics'), 'w') as f:
            f.write(text)
        server = subprocess.Popen(
            ['/usr/bin/python3', '-m', 'http.server', '--bind', '127.0.0.1',
             '--directory', root, str(cal.free_port())],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(server.wait)
        self.addCleanup(server.terminate)
        port = int(server.args[-1])
        log = open(os.path.join(self.logdir, 'radicale.log'), 'ab')
        self.addCleanup(log.close)
        radicale = cal.Radicale(os.path.join(self.tmpdir, 'radicale'), log)
        self.addCleanup(radicale.stop)
        for name, body in events.items():
            radicale.put(name, cal.calendar(body))
        sources = {'ics': f'~/work.ics;http://127.0.0.1:{port}/feed.ics',
                   'caldav': radicale.url, 'my-addresses': cal.ME}
        if cal.have_eds():
            cal.setup_eds(self, text)
            sources['eds'] = 'true'
        self.write_config({'sources': sources})
        self.wait_for(lambda: self._port_open(port))
        self.start_daemon()
        self.tb('add', 'Ana Silva', '--email', 'ana@example.com')
        self.tb('sources', '--scan')
        listed = self.tb_json('sources')
        self.assertEqual(len(listed), 4 if cal.have_eds() else 3)
        self.assertTrue(all(s['watching'] for s in listed), listed)
        self.assertTrue(all(s.get('last_error') is None for s in listed),
                        listed)
        ics = os.path.join(self.data_dir, 'touchbase.ics')
        self.wait_for(lambda: os.path.exists(ics))
        time.sleep(1.5)
        calls = self.trace(3)
        self.assertEqual(calls, [], 'touchbased was busy while idle')

    @staticmethod
    def _port_open(port):
        import socket
        with socket.socket() as s:
            return s.connect_ex(('127.0.0.1', port)) == 0

    def test_no_wake_ups_for_contacts_held_by_a_spent_daily_limit(self):
        # The day's one first alert is spent on Ana; Bo, Cy and Dee come
        # due a second apart after that. Their alerts wait for tomorrow
        # (the daily limit), so their due times must not wake the daemon.
        self.write_config({'reminders': {'daily-limit': '1'}})
        self.start_daemon()
        self.tb('add', 'Ana Silva', '--every', '1d')
        self.tb('log', 'ana', '--at', '-3d')
        self.wait_for_notifications(1)
        start = time.time() + 3
        for i, name in enumerate(('Bo Berg', 'Cy Park', 'Dee Lund')):
            self.tb('add', name, '--every', '1d')
            at = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                               time.gmtime(start + i - 86400))
            self.tb('log', name.split()[0].lower(), '--at', at)
        time.sleep(1.0)
        calls = self.trace(max(1, start + 4 - time.time()))
        self.assertEqual(calls, [], 'touchbased woke up for held alerts')
        self.assertEqual(len(self.notify_calls()), 1)
        status = self.tb_json('status')
        self.assertEqual(status['held_by_daily_limit'], 3)
        self.assertIn('held_until', status)

    def test_no_calendar_rebuild_for_each_contact_entering_its_window(self):
        # Three contacts enter the live calendar's one-week window a
        # second apart; the file follows them within the hour, not with a
        # rebuild each (a million contacts enter every few seconds).
        self.start_daemon()
        start = time.time() + 3
        for i, name in enumerate(('Bo Berg', 'Cy Park', 'Dee Lund')):
            self.tb('add', name, '--every', '8d')
            at = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                               time.gmtime(start + i - 86400))
            self.tb('log', name.split()[0].lower(), '--at', at)
        ics = os.path.join(self.data_dir, 'touchbase.ics')
        self.wait_for(lambda: os.path.exists(ics))
        time.sleep(1.0)
        calls = self.trace(max(1, start + 4 - time.time()))
        self.assertEqual(calls, [], 'touchbased rebuilt the calendar')

    def test_a_restart_with_the_daily_limit_spent_holds_nothing_again(self):
        # Bo and Cy are held to tomorrow; a restart today must leave them
        # as they are, not plan and hold them again (a write of every held
        # contact, and a calendar rebuild, at each start).
        self.write_config({'reminders': {'daily-limit': '1'}})
        self.start_daemon()
        for name in ('Ana Silva', 'Bo Berg', 'Cy Park'):
            self.tb('add', name, '--every', '1d')
            self.tb('log', name.split()[0].lower(), '--at', '-3d')
        self.wait_for(lambda: self.tb_json('status')[
            'held_by_daily_limit'] == 2)
        # The first start after that holds them to tomorrow in the store.
        self.stop_daemon()
        self.start_daemon()
        self.wait_for(lambda: 'deferred 2 to tomorrow' in self.daemon_log())
        deferred = self.daemon_log().count('to tomorrow')
        self.stop_daemon()
        self.start_daemon()
        time.sleep(1.0)
        self.assertEqual(self.daemon_log().count('to tomorrow'), deferred)
        self.assertEqual(self.tb_json('status')['held_by_daily_limit'], 2)
        self.assertEqual([n['summary'] for n in self.notify_calls()],
                         ['Touch base with Ana Silva'])

    def test_the_trace_sees_activity(self):
        # The same measurement catches a daemon that does something: a
        # status call during the trace shows up as system calls.
        self.start_daemon()
        tracer = subprocess.Popen(
            ['timeout', '-s', 'INT', '3', 'strace', '-f', '-p',
             str(self.daemon.pid), '-o',
             os.path.join(self.logdir, 'strace-busy.out')],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        self.tb('status')
        tracer.wait()
        self.assertNotEqual(
            syscalls(os.path.join(self.logdir, 'strace-busy.out')), [])


if __name__ == '__main__':
    tbtest.main()
