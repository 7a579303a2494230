#!/usr/bin/python3
# What the client prints from data cannot drive the terminal: names that
# a restored backup brought in with escape sequences (the window title,
# clearing the screen), a follow-up's text and an introduction's note, shown
# by the messages of log, snooze, pause, resume, follow-up, history, intros,
# introduce and the errors, on a pseudo-terminal as a person sees them. A
# control character comes out as its escape (\x1b); --json stays exact.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pty
import select
import subprocess
import time

import tbtest

ESC_NAME = 'Eve \x1b]0;PWNED\x07Evil'
BO_NAME = 'Bo \x1b[2JBerg'


class TerminalTest(tbtest.TouchbaseTestCase):

    def on_terminal(self, *args):
        '''Run touchbase ARGS with stdout and stderr on a pseudo-terminal;
        returns (exit status, everything the terminal showed).'''
        master, slave = pty.openpty()
        # A pager (less) would add escape sequences of its own.
        env = dict(self.env, PAGER='cat')
        proc = subprocess.Popen([tbtest.TOUCHBASE, *args],
                                stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=slave, env=env)
        os.close(slave)
        shown = b''
        deadline = time.monotonic() + 30 * tbtest.TIMEOUT_SCALE
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:  # EIO: the client has gone
                        break
                    if not chunk:
                        break
                    shown += chunk
                elif proc.poll() is not None:
                    break
            proc.wait(timeout=10 * tbtest.TIMEOUT_SCALE)
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        text = shown.decode(errors='replace')
        with self._log('client.log') as log:
            log.write(f'=== (pty) touchbase {" ".join(args)} -> '
                      f'{proc.returncode}\n{text}\n'.encode())
        return proc.returncode, text

    def restore_with_escapes(self):
        '''Ana and Bo, renamed in a backup of theirs (as a backup written
        by hand, or by another program, may hold anything), restored
        into an empty database.'''
        self.start_daemon()
        self.tb('add', 'Ana Silva', '--need', 'a designer')
        self.tb('add', 'Bo Berg', '--offer', 'design')
        backup = os.path.join(self.home, 'backup.json')
        self.tb('export', '--format', 'json', '--output', backup)
        with open(backup, encoding='utf-8') as f:
            data = json.load(f)
        names = {'Ana Silva': ESC_NAME, 'Bo Berg': BO_NAME}
        for row in data['tables']['contacts']:
            row['name'] = names[row['name']]
        with open(backup, 'w', encoding='utf-8') as f:
            json.dump(data, f)
        self.stop_daemon()
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(self.db_path + suffix):
                os.remove(self.db_path + suffix)
        self.start_daemon()
        self.tb('import', backup)
        shown = self.tb_json('show', 'eve')
        self.assertEqual(shown['name'], ESC_NAME)  # --json stays exact

    def assert_safe(self, what, text, must_show=None):
        self.assertNotIn('\x1b', text, f'{what}: {text!r}')
        self.assertNotIn('\x07', text, f'{what}: {text!r}')
        if must_show is not None:
            self.assertIn(must_show, text, f'{what}: {text!r}')

    def test_messages_show_escapes_as_text(self):
        self.restore_with_escapes()
        eve = 'Eve \\x1b]0;PWNED\\x07Evil'
        bo = 'Bo \\x1b[2JBerg'
        for args, shows in (
                (('log', 'eve', '--kind', 'call'), eve),
                (('snooze', 'eve', '2w'), eve),
                (('snooze', 'eve', '--cancel'), eve),
                (('pause', 'eve'), eve),
                (('pause', 'eve'), eve),
                (('resume', 'eve'), eve),
                (('follow-up', 'eve', 'tomorrow', 'send \x1b[31mthe deck'),
                 'send \\x1b[31mthe deck'),
                (('follow-up', 'bo', 'tomorrow', 'call'), bo),
                (('history', 'eve'), None),
                (('introduce', 'eve', 'bo', '--note', 'you \x1b[5mboth'),
                 'you \\x1b[5mboth'),
                (('introduce', 'eve', 'bo'), eve),
                (('intros', '--decline', 'eve', 'bo'), bo),
                (('due', '--within', '1y'), None),
                (('status',), None),
                (('undo', '--list'), None)):
            status, text = self.on_terminal(*args)
            self.assert_safe(' '.join(args), text, shows)
        # Errors name what was asked for, and the daemon's say whom.
        for args in (('show', 'nobody \x1b]0;x\x07'),
                     ('log', 'eve', '--at', 'tomorrow \x1b[2J'),
                     ('introduce', 'bo', 'eve'),
                     ('nosuchcommand\x1b[2J',)):
            status, text = self.on_terminal(*args)
            self.assertNotEqual(status, 0, args)
            self.assert_safe(' '.join(args), text, '\\x1b')

    def test_json_stays_exact(self):
        self.restore_with_escapes()
        self.tb('follow-up', 'eve', 'tomorrow', 'send \x1b[31mthe deck')
        shown = self.tb_json('show', 'eve')
        self.assertEqual(shown['name'], ESC_NAME)
        self.assertEqual([f['text'] for f in shown['follow_ups']],
                         ['send \x1b[31mthe deck'])
        due = self.tb_json('due', '--within', '1y')
        self.assertIn(ESC_NAME, [c['name'] for c in due['contacts']])
        self.assertEqual([f['name'] for f in due['follow_ups']], [ESC_NAME])


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
