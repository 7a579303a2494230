#!/usr/bin/python3
# Shell completion end to end: bash's real completion function, sourced
# with bash-completion as an interactive shell has it, completes
# `touchbase log an<Tab>` to a contact's name from the running daemon,
# escaped as the shell inserts it; an interactive bash on a terminal does
# the same on a real Tab, and so does an interactive zsh with compinit;
# nothing starts the daemon just to complete; the zsh script loads; and
# every command of the client's table has its completion.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import pty
import re
import select
import subprocess
import time

import tbtest

BASH_SCRIPT = os.path.join(tbtest.SOURCE_DIR, 'completions', 'touchbase.bash')
ZSH_SCRIPT = os.path.join(tbtest.SOURCE_DIR, 'completions', '_touchbase')
BASH_COMPLETION = '/usr/share/bash-completion/bash_completion'


class CompletionTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        # `touchbase` on PATH is the built client, as an installed one is.
        self.bindir = self._mkdir('bin')
        os.symlink(tbtest.TOUCHBASE, os.path.join(self.bindir, 'touchbase'))
        self.env['PATH'] = self.bindir + ':' + self.env.get('PATH', '')

    def complete(self, line):
        '''COMPREPLY of the bash completion for LINE (the cursor at its
        end), as bash-completion calls it.'''
        words = line.split(' ')
        script = (f'source {BASH_COMPLETION}\n'
                  f'source {BASH_SCRIPT}\n'
                  'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))\n'
                  f'COMP_LINE={subprocess.list2cmdline([line])}\n'
                  'COMP_POINT=${#COMP_LINE}\n'
                  '_touchbase touchbase "${COMP_WORDS[COMP_CWORD]}" '
                  '"${COMP_WORDS[COMP_CWORD-1]}"\n'
                  'printf "%s\\n" "${COMPREPLY[@]}"\n')
        proc = subprocess.run(['bash', '--norc', '-c', script, 'bash',
                               *words], capture_output=True, text=True,
                              env=self.env, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return [w for w in proc.stdout.split('\n') if w]

    def add(self, *args):
        self.tb('add', *args)

    def test_log_completes_a_contact_name(self):
        self.start_daemon()
        self.add('Ana Silva', '--every', '2w', '--tag', 'work')
        self.add('Bo Berg', '--every', '1w')
        self.assertEqual(self.complete('touchbase log an'), [r'Ana\ Silva'])
        # Case and accents do not matter, as for a CONTACT argument.
        self.assertEqual(self.complete('touchbase show ÁN'), [r'Ana\ Silva'])
        self.assertEqual(self.complete('touchbase log --kind coffee b'),
                         [r'Bo\ Berg'])
        self.assertEqual(self.complete('touchbase log --kind c'),
                         ['call', 'coffee'])
        self.assertEqual(self.complete('touchbase list --tag w'), ['work'])
        self.assertIn('--kind=', self.complete('touchbase log --k'))
        self.assertEqual(self.complete('touchbase fol'), ['follow-up'])
        self.assertEqual(self.complete('touchbase export --format v'),
                         ['vcard'])
        self.assertEqual(self.complete('touchbase import --format li'),
                         ['linkedin'])
        # The second argument of log is no contact.
        self.assertEqual(self.complete('touchbase snooze ana b'), [])

    def test_a_tab_never_starts_the_daemon(self):
        self.add('Ana Silva', '--every', '2w')  # activates it
        self.stop_daemon()
        self.wait_for(lambda: not self.name_has_owner(tbtest.BUS_NAME))
        started, _ = self.activated_exits()
        self.assertEqual(self.complete('touchbase log an'), [])
        self.assertEqual(self.tb('__complete', 'names', 'an')[1], '')
        self.assertEqual(self.tb('__complete', 'tags', '')[1], '')
        self.assertFalse(self.name_has_owner(tbtest.BUS_NAME))
        self.assertEqual(self.activated_exits()[0], started)
        # Commands and values need no daemon.
        self.assertEqual(self.complete('touchbase sta'), ['stats', 'status'])

    def test_interactive_bash_completes_on_tab(self):
        self.start_daemon()
        self.add('Ana Silva', '--every', '2w')
        shown = self.type_in_bash(b'touchbase log an\t')
        # Readline moves back over "an" and writes the name over it.
        line = ''
        for ch in shown:
            line = line[:-1] if ch == '\b' else line + ch
        self.assertIn(r'touchbase log Ana\ Silva ', line)

    def test_interactive_zsh_completes_on_tab(self):
        self.start_daemon()
        self.add('Ana Silva', '--every', '2w')
        zdot = self._mkdir('zdot')
        with open(os.path.join(zdot, '.zshrc'), 'w') as f:
            f.write(f'fpath=({os.path.dirname(ZSH_SCRIPT)} $fpath)\n'
                    f'autoload -U compinit; compinit -u -d {zdot}/dump\n'
                    "PS1='READY> '\n")
        shown = self.type_in_shell(['zsh', '-i'], b'touchbase log an\t',
                                   {'ZDOTDIR': zdot, 'TERM': 'xterm'})
        self.assertIn(r'Ana\ Silva', shown)

    def type_in_bash(self, keys):
        '''What an interactive bash on a terminal shows after KEYS, with
        bash-completion and the script loaded.'''
        rc = os.path.join(self.tmpdir, 'bashrc')
        with open(rc, 'w') as f:
            f.write(f'source {BASH_COMPLETION}\nsource {BASH_SCRIPT}\n'
                    "PS1='READY> '\n")
        return self.type_in_shell(['bash', '--rcfile', rc, '-i'], keys,
                                  {'TERM': 'dumb', 'INPUTRC': '/dev/null'})

    def type_in_shell(self, argv, keys, extra_env):
        '''What the interactive shell ARGV shows on a terminal after its
        prompt "READY> " and then KEYS.'''
        env = dict(self.env, **extra_env)
        master, slave = pty.openpty()
        proc = subprocess.Popen(argv, stdin=slave,
                                stdout=slave, stderr=slave, env=env,
                                start_new_session=True)
        os.close(slave)
        shown = b''

        def read_until(pattern, timeout):
            nonlocal shown
            deadline = time.monotonic() + timeout * tbtest.TIMEOUT_SCALE
            while time.monotonic() < deadline:
                if re.search(pattern, shown):
                    return True
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        shown += os.read(master, 4096)
                    except OSError:
                        break
            return False

        try:
            self.assertTrue(read_until(rb'READY> ', 15), shown)
            start = len(shown)
            os.write(master, keys)
            read_until(rb'Silva', 15)
            time.sleep(0.2)
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                shown += os.read(master, 4096)
            return shown[start:].decode(errors='replace')
        finally:
            proc.kill()
            proc.wait()
            os.close(master)

    def test_every_command_has_its_completion(self):
        _, out, _ = self.tb('__complete', 'commands')
        commands = out.split()
        self.assertIn('log', commands)
        with open(BASH_SCRIPT) as f:
            text = f.read()
        listed = []
        for name in ('contact', 'two_contact', 'file', 'other'):
            m = re.search(rf'_touchbase_{name}_commands="([^"]*)"', text)
            self.assertIsNotNone(m, name)
            listed += m.group(1).split()
        self.assertEqual(sorted(listed), sorted(commands),
                         'a command of the client is missing from (or '
                         'extra in) the lists of completions/touchbase.bash')
        with open(ZSH_SCRIPT) as f:
            zsh = f.read()
        m = re.search(r'^    ([a-z|-]+)\)\n      _touchbase_daemon_words names',
                      zsh, re.M)
        self.assertIsNotNone(m)
        contact = re.search(r'_touchbase_contact_commands="([^"]*)"', text)
        two = re.search(r'_touchbase_two_contact_commands="([^"]*)"', text)
        self.assertEqual(sorted(m.group(1).split('|')),
                         sorted(contact.group(1).split()
                                + two.group(1).split()))

    def test_zsh_script_loads(self):
        proc = subprocess.run(
            ['zsh', '-f', '-c',
             'autoload -U compinit; compinit -u -d "$1/zcompdump"; '
             'source "$2"', 'zsh', self.tmpdir, ZSH_SCRIPT],
            capture_output=True, text=True, env=self.env, timeout=30)
        self.assertEqual((proc.returncode, proc.stderr), (0, ''))


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
