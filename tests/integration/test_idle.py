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
        time.sleep(0.5)
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
