#!/usr/bin/python3
# Faults at the edges of the machine, through the real client and daemon:
# a file-size limit (RLIMIT_FSIZE) makes a write fail with EFBIG, which the
# daemon reports like any other failed write instead of dying of SIGXFSZ;
# nothing of the failed import stays, and the daemon goes on answering.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import resource

import tbtest

HEADER = ('First Name,Last Name,URL,Email Address,Company,Position,'
          'Connected On\r\n')


class FaultTest(tbtest.TouchbaseTestCase):

    def test_file_size_limit_is_an_error_not_a_crash(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        # The limit is inherited by the daemon only: the test's own logs
        # are written after it is put back.
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, hard))
        try:
            self.start_daemon()
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        self.tb('add', 'Ana Silva')
        path = os.path.join(self.home, 'Connections.csv')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(HEADER)
            for i in range(20000):
                f.write(f'Person{i},Family{i},'
                        f'https://www.linkedin.com/in/person-{i},'
                        f'p{i}@example.org,Company {i},Engineer,'
                        '01 Jan 2024\r\n')
        status, out, err = self.tb('import', path, check=False)
        self.assertNotEqual(status, 0, out)
        self.assertIn('touchbase:', err)
        self.assertIsNone(self.daemon.poll(),
                          'touchbased died: ' + self.daemon_log()[-2000:])
        names = [c['name'] for c in self.tb_json('list', '--all')]
        self.assertEqual(names, ['Ana Silva'])
        self.tb('status')


    def test_a_huge_note_is_refused_and_changes_nothing(self):
        self.start_daemon()
        self.tb('add', 'Ana Silva')
        path = os.path.join(self.home, 'shared.vcf')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Berg\r\n'
                    'END:VCARD\r\n')
            f.write('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Huge\r\nNOTE:'
                    + 'x' * 200000 + '\r\nEND:VCARD\r\n')
        status, _, err = self.tb('import', path, check=False)
        self.assertNotEqual(status, 0)
        self.assertIn('shared.vcf:', err)
        self.assertIn('at most 100000', err)
        names = [c['name'] for c in self.tb_json('list', '--all')]
        self.assertEqual(names, ['Ana Silva'])
        status, _, err = self.tb('log', 'Ana Silva', '--note',
                                 'y' * 100001, check=False)
        self.assertNotEqual(status, 0)
        self.assertIn('at most 100000', err)


    def test_what_a_shared_card_holds_cannot_drive_the_terminal(self):
        # A note with escape sequences (the window title, OSC 52 to the
        # clipboard, an OSC 8 link) and a name with a right-to-left
        # override, as anyone's shared vCard may hold.
        self.start_daemon()
        note = ('hi \x1b]0;pwned\x07 \x1b]52;c;ZWNobyBoaQ==\x07 '
                '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\')
        path = os.path.join(self.home, 'shared.vcf')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write('BEGIN:VCARD\r\nVERSION:3.0\r\n'
                    'FN:Eve \u202egpj.exe\r\n'
                    f'NOTE:{note}\r\nEND:VCARD\r\n')
        self.tb('import', path)
        shown = self.tb_json('show', 'Eve')
        # The import keeps no control character; --json stays exact.
        self.assertNotIn('\x1b', shown['note'])
        self.assertEqual(shown['name'], 'Eve \u202egpj.exe')
        for args in (('show', 'Eve'), ('list', '--all'),
                     ('history', 'Eve')):
            _, out, _ = self.tb(*args)
            self.assertNotIn('\x1b', out, args)
            self.assertNotIn('\x07', out, args)
            self.assertNotIn('\u202e', out, args)
        _, out, _ = self.tb('show', 'Eve')
        self.assertIn('Eve \ufffdgpj.exe', out)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
