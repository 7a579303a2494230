#!/usr/bin/python3
# Long output: list and due through a pager on a terminal (the client runs
# under a pseudo-terminal, with a PAGER that records what it got), never in
# a pipe; --limit; and due's first column in a pipe.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import errno
import json
import os
import subprocess
import sys

import tbtest

# Records that it ran, its arguments, LESS, and what it read.
RECORDER = '''#!/bin/sh
printf '%s\\n' "$@" > "$TB_PAGER_DIR/args"
printf '%s' "${LESS-unset}" > "$TB_PAGER_DIR/less"
cat > "$TB_PAGER_DIR/input"
'''


class PagerTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        self.pager_dir = os.path.join(self.tmpdir, 'pager')
        os.makedirs(self.pager_dir)
        # A space in the path: $PAGER is split into words, as a shell
        # would, but no shell runs it.
        self.recorder = os.path.join(self.pager_dir, 'rec pager')
        with open(self.recorder, 'w') as f:
            f.write(RECORDER)
        os.chmod(self.recorder, 0o755)
        self.pager_env = {
            'PAGER': f"'{self.recorder}' --from-pager",
            'TB_PAGER_DIR': self.pager_dir,
        }

    def add_due(self, name):
        '''A contact whose last call was 40 days ago: overdue.'''
        _, out, _ = self.tb('add', name)
        cid = int(out.strip())
        self.tb('log', str(cid), '--kind', 'call', '--at', '-40d')
        return cid

    def tb_tty(self, *args, env=None, timeout=30):
        '''Run touchbase ARGS with stdin and stdout on a pseudo-terminal.
        Returns (returncode, terminal output, stderr).'''
        run_env = dict(self.env)
        run_env.update({'TERM': 'xterm', 'COLUMNS': '100'})
        run_env.update(env or {})
        master, slave = os.openpty()
        try:
            proc = subprocess.Popen([tbtest.TOUCHBASE, *map(str, args)],
                                    stdin=slave, stdout=slave,
                                    stderr=subprocess.PIPE, env=run_env)
        finally:
            os.close(slave)
        chunks = []
        try:
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError as e:  # EIO: the last writer closed it
                    if e.errno != errno.EIO:
                        raise
                    break
                if not data:
                    break
                chunks.append(data)
        finally:
            os.close(master)
        _, err = proc.communicate(timeout=timeout * tbtest.TIMEOUT_SCALE)
        out = b''.join(chunks).decode(errors='replace')
        with self._log('client.log') as log:
            log.write(f'=== (tty) touchbase {" ".join(map(str, args))} -> '
                      f'{proc.returncode}\n{out}{err.decode()}'.encode())
        return proc.returncode, out, err.decode()

    def pager_ran(self):
        return os.path.exists(os.path.join(self.pager_dir, 'input'))

    def pager_file(self, name):
        with open(os.path.join(self.pager_dir, name)) as f:
            return f.read()

    # ------------------------------------------------------------- tests

    def test_list_goes_through_the_pager_on_a_terminal(self):
        self.add_due('Ana Silva')
        self.add_due('Bo Berg')
        rc, out, err = self.tb_tty('list', env=self.pager_env)
        self.assertEqual((rc, err), (0, ''))
        self.assertTrue(self.pager_ran(), 'the pager did not run')
        self.assertEqual(self.pager_file('args'), '--from-pager\n')
        # LESS=FRX when the user has not set LESS, as git does.
        self.assertEqual(self.pager_file('less'), 'FRX')
        text = self.pager_file('input')
        self.assertIn('Ana Silva', text)
        self.assertIn('Bo Berg', text)
        # The terminal's table (a header), not the lines of a pipe.
        self.assertIn('NAME', text)
        self.assertNotIn('Ana Silva', out)

    def test_users_less_is_kept(self):
        self.add_due('Ana Silva')
        env = dict(self.pager_env, LESS='-S')
        self.assertEqual(self.tb_tty('due', env=env)[0], 0)
        self.assertEqual(self.pager_file('less'), '-S')
        self.assertIn('Ana Silva', self.pager_file('input'))

    def test_no_pager(self):
        self.add_due('Ana Silva')
        # --no-pager, --json, an empty PAGER and "cat" print straight to
        # the terminal.
        for args, env in ((('list', '--no-pager'), {}),
                          (('due', '--no-pager'), {}),
                          (('list', '--json'), {}),
                          (('due', '--json'), {}),
                          (('list',), {'PAGER': ''}),
                          (('list',), {'PAGER': 'cat'})):
            rc, out, err = self.tb_tty(*args, env=dict(self.pager_env, **env))
            self.assertEqual((rc, err), (0, ''), args)
            self.assertFalse(self.pager_ran(), f'{args} {env}: paged')
            self.assertIn('Ana Silva', out, args)
        # In a pipe: never.
        for cmd in ('list', 'due'):
            _, out, _ = self.tb(cmd, env=self.pager_env)
            self.assertIn('Ana Silva', out)
            self.assertFalse(self.pager_ran(), f'{cmd} paged into a pipe')

    def test_pager_that_quits_at_once(self):
        # More than a pipe holds, so the client is still writing when the
        # pager has gone: no error, no signal, exit 0.
        csv = os.path.join(self.tmpdir, 'Connections.csv')
        with open(csv, 'w') as f:
            subprocess.run([sys.executable,
                            os.path.join(tbtest.SOURCE_DIR, 'bench',
                                         'gen-linkedin.py'), '3000'],
                           stdout=f, check=True)
        self.tb('import', csv, '--every', '1d')
        for pager in ('true', 'false', 'head -c 10'):
            rc, out, err = self.tb_tty('list', env={'PAGER': pager})
            self.assertEqual((rc, err), (0, ''), pager)
            rc, out, err = self.tb_tty('due', '--within', '2d',
                                       env={'PAGER': pager})
            self.assertEqual((rc, err), (0, ''), pager)

    def test_pager_that_cannot_run(self):
        self.add_due('Ana Silva')
        rc, out, err = self.tb_tty(
            'list', env={'PAGER': os.path.join(self.tmpdir, 'no-such-pager')})
        self.assertEqual(rc, 0)
        self.assertIn('pager', err)
        self.assertIn('Ana Silva', out)

    def test_limit(self):
        for name in ('Ana Silva', 'Bo Berg', 'Chen Wei'):
            self.add_due(name)
        _, out, _ = self.tb('list')
        everyone = out.splitlines()
        self.assertEqual(len(everyone), 3)
        self.assertEqual(self.tb('list', '--limit', '2')[1].splitlines(),
                         everyone[:2])
        self.assertEqual(self.tb('list', '--limit', '0')[1].splitlines(),
                         everyone)
        self.assertEqual(self.tb('list', '--limit', '99')[1].splitlines(),
                         everyone)
        self.assertEqual(len(self.tb_json('list', '--limit', '1')), 1)
        for bad in ('-1', 'abc', '2x', '', '99999999999'):
            for cmd in ('list', 'due'):
                rc, out, err = self.tb(cmd, '--limit', bad, check=False)
                self.assertEqual(rc, 1, f'{cmd} --limit {bad!r}')
                self.assertIn('--limit', err)
                self.assertEqual(out, '')
        # On a terminal a last line says that rows were left out.
        rc, out, _ = self.tb_tty('list', '--limit', '2', '--no-pager')
        self.assertIn('more', out.splitlines()[-1])
        rc, out, _ = self.tb_tty('list', '--limit', '3', '--no-pager')
        self.assertNotIn('more', out)

    def test_due_kind_column(self):
        ana = self.add_due('Ana Silva')
        bo = self.add_due('Bo Berg')
        self.tb('follow-up', 'ana', 'tomorrow', 'send the slides')
        self.tb('follow-up', 'bo', 'tomorrow', 'ask about Lisbon')
        _, out, _ = self.tb('due')
        rows = [line.split('\t') for line in out.splitlines()]
        self.assertEqual([r[0] for r in rows],
                         ['contact', 'contact', 'follow-up', 'follow-up'])
        self.assertEqual({int(r[1]) for r in rows[:2]}, {ana, bo})
        self.assertEqual({r[2] for r in rows[2:]}, {'Ana Silva', 'Bo Berg'})
        self.assertEqual({r[4] for r in rows[2:]},
                         {'send the slides', 'ask about Lisbon'})
        # --limit N: N contacts and N follow-ups.
        _, out, _ = self.tb('due', '--limit', '1')
        self.assertEqual([line.split('\t')[0] for line in out.splitlines()],
                         ['contact', 'follow-up'])
        # JSON: the structure says it, and so does each object.
        due = self.tb_json('due')
        self.assertEqual({c['kind'] for c in due['contacts']}, {'contact'})
        self.assertEqual({f['kind'] for f in due['follow_ups']},
                         {'follow-up'})
        due = self.tb_json('due', '--limit', '1')
        self.assertEqual((len(due['contacts']), len(due['follow_ups'])),
                         (1, 1))
        # The terminal keeps its tables with titles, no kind column.
        _, out, _ = self.tb_tty('due', '--no-pager')
        self.assertIn('Overdue', out)
        self.assertIn('Follow-ups', out)
        self.assertNotIn('contact\t', out)


if __name__ == '__main__':
    tbtest.main()
