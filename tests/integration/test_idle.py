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
