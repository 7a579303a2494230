#!/usr/bin/python3
# An import runs off the main loop (docs/design.md §8): while one reads a
# pipe that stays open, other clients are answered, a change is refused at
# once (Busy) and never made later, and the import is rolled back when its
# input stalls, when its client goes away and when the daemon stops.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import subprocess
import sys
import time

import tbtest

HEADER = ('First Name,Last Name,URL,Email Address,Company,Position,'
          'Connected On\r\n')


def rows(names):
    return ''.join(f'{first},{last},https://www.linkedin.com/in/'
                   f'{first.lower()}-{last.lower()},,Acme,Engineer,'
                   f'01 Jan 2024\r\n' for first, last in names)


FIRST_ROWS = rows([('Ana', 'Silva'), ('Bo', 'Berg'), ('Cy', 'Chan')])
MORE_ROWS = rows([('Dag', 'Dahl')])

# Every answer during an import: well under this, where the import on the
# main loop held them all until it ended.
ANSWER_WITHIN = 1.0


class ImportWorkerCase(tbtest.TouchbaseTestCase):

    def start_import(self, *args):
        '''touchbase import - ARGS, its stdin a pipe the test writes.'''
        proc = subprocess.Popen(
            [tbtest.TOUCHBASE, 'import', '-', '--json', *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=self.env)
        self.addCleanup(self._end, proc)
        return proc

    def _end(self, proc):
        if proc.poll() is None:
            proc.kill()
        proc.communicate()

    def send(self, proc, text):
        proc.stdin.write(text.encode())
        proc.stdin.flush()

    def timed(self, *args, check=True):
        '''touchbase ARGS, which must answer within ANSWER_WITHIN.'''
        start = time.monotonic()
        result = self.tb(*args, check=check, timeout=10)
        took = time.monotonic() - start
        self.assertLess(took, ANSWER_WITHIN * tbtest.TIMEOUT_SCALE,
                        f'touchbase {" ".join(args)} took {took:.2f} s')
        return result

    def importing(self):
        return self.tb_json('status', timeout=10).get('importing', False)

    def wait_importing(self):
        self.wait_for(self.importing, message='the import did not start')

    def names(self):
        return sorted(c['name'] for c in self.tb_json('list', '--all'))


class ImportWorkerTest(ImportWorkerCase):

    def test_other_clients_answered_and_writes_refused(self):
        self.tb('add', 'Eli Eng')
        proc = self.start_import('--tag', 'linkedin')
        self.send(proc, HEADER + FIRST_ROWS)
        self.wait_importing()

        # Reads answer at once, and see the data as it was before.
        _, out, _ = self.timed('status')
        self.assertIn('Import', out)
        self.assertEqual(self.names(), ['Eli Eng'])
        self.timed('list')
        self.timed('show', 'Eli Eng')
        self.timed('due')
        self.timed('search', 'eli')
        backup = os.path.join(self.tmpdir, 'backup.json')
        self.timed('export', '--format', 'json', '-o', backup)
        with open(backup) as f:
            self.assertIn('Eli Eng', f.read())

        # A change fails at once, saying why...
        rc, _, err = self.timed('add', 'Fay Fox', check=False)
        self.assertNotEqual(rc, 0)
        self.assertIn('An import is running', err)
        rc, _, err = self.timed('undo', check=False)
        self.assertNotEqual(rc, 0)
        self.assertIn('An import is running', err)
        # ... and so does a second import.
        path = os.path.join(self.tmpdir, 'more.csv')
        with open(path, 'w') as f:
            f.write(HEADER + MORE_ROWS)
        rc, _, err = self.timed('import', path, check=False)
        self.assertNotEqual(rc, 0)
        self.assertIn('An import is running', err)

        # Closing the input ends the import.
        self.send(proc, MORE_ROWS)
        out, err = proc.communicate(input=b'', timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn('"added"', out.decode())
        expected = ['Ana Silva', 'Bo Berg', 'Cy Chan', 'Dag Dahl', 'Eli Eng']
        self.assertEqual(self.names(), expected)
        self.assertFalse(self.importing())
        # The refused add was not made later, and changes work again.
        self.assert_stays(lambda: 'Fay Fox' not in self.names(), duration=1)
        self.tb('add', 'Fay Fox')
        self.assertEqual(self.names(), sorted(expected + ['Fay Fox']))
        self.assertEqual(self.tb_json('show', 'Ana Silva')['tags'],
                         ['linkedin'])

    def test_client_killed_rolls_back(self):
        self.tb('add', 'Eli Eng')
        proc = self.start_import()
        self.send(proc, HEADER + FIRST_ROWS)
        self.wait_importing()
        pid = self.daemon_pid()
        proc.kill()
        proc.wait()
        self.wait_for(lambda: not self.importing(),
                      message='the import went on without its client')
        self.assertEqual(self.names(), ['Eli Eng'])
        self.assertEqual(self.daemon_pid(), pid)
        self.assertIn('left the bus', self.daemon_log())
        # The next import works, and is the only thing undo lists.
        path = os.path.join(self.tmpdir, 'more.csv')
        with open(path, 'w') as f:
            f.write(HEADER + MORE_ROWS)
        self.assertEqual(self.tb_json('import', path)['added'], 1)
        self.assertEqual(self.names(), ['Dag Dahl', 'Eli Eng'])

    def test_sigterm_rolls_back_and_exits(self):
        self.start_daemon()
        proc = self.start_import()
        self.send(proc, HEADER + FIRST_ROWS)
        self.wait_importing()
        # CHECK_CLEAN_EXIT: it exits 0.
        self.assertEqual(self.stop_daemon(), 0)
        out, err = proc.communicate(timeout=10)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('The daemon is stopping; nothing was imported',
                      err.decode())
        self.start_daemon()
        self.assertEqual(self.names(), [])

    def test_undo_takes_back_the_import(self):
        self.tb('add', 'Eli Eng')
        proc = self.start_import()
        self.send(proc, HEADER + FIRST_ROWS)
        out, err = proc.communicate(input=b'', timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(len(self.names()), 4)
        changes = self.tb_json('undo', '--list')
        self.assertEqual(changes[0]['verb'], 'import')
        self.tb('undo')
        self.assertEqual(self.names(), ['Eli Eng'])
        # The main connection adds after the ids the worker used.
        self.tb('add', 'Fay Fox')
        self.assertEqual(self.names(), ['Eli Eng', 'Fay Fox'])

    def test_huge_tag_refused_at_once(self):
        # A thousand cards, the five hundredth with a 1 MB tag.
        path = os.path.join(self.tmpdir, 'many.vcf')
        with open(path, 'w') as f:
            for i in range(1000):
                tag = 'x' * 1_000_000 if i == 500 else 'friends'
                f.write(f'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{i} Q{i}\r\n'
                        f'CATEGORIES:{tag}\r\nEND:VCARD\r\n')
        start = time.monotonic()
        rc, _, err = self.tb('import', path, check=False)
        self.assertLess(time.monotonic() - start, 5 * tbtest.TIMEOUT_SCALE)
        self.assertNotEqual(rc, 0)
        self.assertIn('tag', err)
        self.assertEqual(self.names(), [])
        wal = self.db_path + '-wal'
        self.assertLess(os.path.getsize(wal) if os.path.exists(wal) else 0,
                        1 << 20)

    def test_large_import_status_answers(self):
        path = os.path.join(self.tmpdir, 'Connections.csv')
        with open(path, 'w') as f:
            subprocess.run([sys.executable,
                            os.path.join(tbtest.SOURCE_DIR, 'bench',
                                         'gen-linkedin.py'), '100000'],
                           stdout=f, check=True)
        self.tb('status')
        proc = subprocess.Popen([tbtest.TOUCHBASE, 'import', path, '--json'],
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env)
        self.addCleanup(self._end, proc)
        answers = []
        while proc.poll() is None:
            start = time.monotonic()
            self.tb('status', timeout=10)
            answers.append(time.monotonic() - start)
            time.sleep(0.05)
        out, err = proc.communicate()
        self.assertEqual(proc.returncode, 0, err)
        self.assertGreater(len(answers), 0)
        self.assertLess(max(answers), ANSWER_WITHIN * tbtest.TIMEOUT_SCALE,
                        f'{len(answers)} answers, slowest {max(answers):.2f} s')
        self.assertGreater(self.tb_json('status')['contacts'], 90000)
        # The WAL was trimmed after the commit.
        wal = self.db_path + '-wal'
        self.assertLess(os.path.getsize(wal) if os.path.exists(wal) else 0,
                        4 << 20)


class ImportAlertsTest(ImportWorkerCase):
    NOTIFICATION_CAPS = None

    def test_alerts_wait_for_the_import(self):
        # Overdue, but no server to show it yet.
        self.tb('add', 'Eli Eng')
        self.tb('log', 'Eli Eng', '--kind', 'call', '--at', '-40d')
        proc = self.start_import()
        self.send(proc, HEADER + FIRST_ROWS)
        self.wait_importing()
        # A server appears during the import: marking the reminder shown
        # would fail on the import's lock, so it waits...
        self.start_notification_server()
        self.assert_stays(lambda: not self.notify_calls(), duration=1.5)
        self.timed('status')
        # ... and is shown, once, when the import ends.
        out, err = proc.communicate(input=b'', timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        calls = self.wait_for_notifications(1)
        self.assertIn('Eli Eng', calls[0]['summary'])
        # (The imported contacts come with review notifications.)
        self.assert_stays(
            lambda: [c['summary'] for c in self.notify_calls()
                     if 'Eli Eng' in c['summary']] == [calls[0]['summary']],
            duration=1)


class ImportActionsTest(ImportWorkerCase):

    def test_button_pressed_during_import_is_done_after(self):
        self.start_daemon()
        self.tb('add', 'Eli Eng')
        self.tb('log', 'Eli Eng', '--kind', 'call', '--at', '-40d')
        n = self.wait_for_notifications(1)[0]
        proc = self.start_import()
        self.send(proc, HEADER + FIRST_ROWS)
        self.wait_importing()
        # "Talked" while the import holds the lock: not lost, not failed,
        # done once the import ends.
        self.invoke_action(n['id'], 'done')
        self.assert_stays(
            lambda: len(self.tb_json('show', 'Eli Eng')['interactions']) == 1,
            duration=1)
        out, err = proc.communicate(input=b'', timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.wait_for(lambda: len(self.tb_json('show', 'Eli Eng')
                                  ['interactions']) == 2,
                      message='the button pressed during the import was lost')
        self.assertNotIn('An import is running', self.daemon_log())


class ImportStallTest(ImportWorkerCase):
    DAEMON_ENV = {'TB_IMPORT_STALL_SECONDS': '2'}

    def test_stalled_input_gives_up(self):
        self.tb('add', 'Eli Eng')
        proc = self.start_import()
        self.send(proc, HEADER + FIRST_ROWS)
        start = time.monotonic()
        proc.wait(timeout=20 * tbtest.TIMEOUT_SCALE)
        took = time.monotonic() - start
        err = proc.stderr.read().decode()
        self.assertEqual(proc.returncode, 1, err)
        self.assertIn('No input for 2 seconds', err)
        self.assertIn('nothing was imported', err)
        self.assertGreater(took, 1.5)
        self.assertEqual(self.names(), ['Eli Eng'])
        self.assertFalse(self.importing())
        self.tb('add', 'Fay Fox')


if __name__ == '__main__':
    tbtest.main()
