#!/usr/bin/python3
# A real network, livable (issue #9), end to end through the real client
# and daemon: two people added by hand, 30,000 LinkedIn connections
# imported at the defaults (several "Zoë Martin" and "Ana" among them) and
# a LinkedIn ZIP; then due, the live calendar, the notifications, names,
# review, track, search and the figures.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import os
import pty
import shutil
import subprocess
import sys
import time

import tbtest

sys.path.insert(0, os.path.join(tbtest.SOURCE_DIR, 'tests', 'data', 'import'))
import linkedin_zip  # noqa: E402

ROWS = 30000


def parse_time(value):
    return datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))


class NetworkTest(tbtest.TouchbaseTestCase):
    # Hand-added people come due in two seconds, so reminders are raised
    # during the test; were imported connections tracked they would come
    # due too (paced within the interval) and be named.
    CONFIG = {'reminders': {'default-interval': '2s', 'daily-limit': '1000',
                            'batch-limit': '1000'},
              'review': {'per-day': '0'}}

    def write_network(self):
        '''A 30,000-row Connections.csv as LinkedIn writes it, with three
        more "Zoë Martin" and two more "Ana Silva" at the end, and
        Solara in some companies and positions.'''
        path = os.path.join(self.tmpdir, 'Connections.csv')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            subprocess.run([tbtest.PYTHON, os.path.join(
                tbtest.SOURCE_DIR, 'bench', 'gen-linkedin.py'),
                str(ROWS - 7)], stdout=f, check=True)
            for i in range(3):
                f.write(f'Zoë,Martin,https://www.linkedin.com/in/zoe-m-{i},,'
                        f'Northwind Labs,Engineer,0{i + 1} Mar 2024\r\n')
            for i in range(2):
                f.write(f'Ana,Silva,https://www.linkedin.com/in/ana-s-{i},,'
                        f'Acme,Founder,1{i} Apr 2023\r\n')
            f.write('Noor,Haddad,https://www.linkedin.com/in/noor-h,,'
                    'Solara Energy,Product Designer,05 Jan 2026\r\n')
            f.write('Theo,Lund,https://www.linkedin.com/in/theo-l,,Acme,'
                    'Head of Solara partnerships,06 Jan 2026\r\n')
        return path

    def setUp(self):
        super().setUp()
        self.tb('add', 'Zoë Martin', '--email', 'zoe@example.org')
        self.tb('add', 'Ana Silva', '--company', 'Acme')
        self.zoe = self.contact_id('Zoë Martin', 'manual')
        self.ana = self.contact_id('Ana Silva', 'manual')
        self.imported = self.tb_json('import', self.write_network())
        zip_path = os.path.join(self.tmpdir,
                                'Basic_LinkedInDataExport_12-01-2026.zip')
        linkedin_zip.basic_export(zip_path)
        self.zipped = self.tb_json('import', zip_path)

    def contact_id(self, name, source):
        ids = [c['id'] for c in self.tb_json('list', '--all')
               if c['name'] == name and c['source'] == source]
        self.assertEqual(len(ids), 1, (name, source, ids))
        return ids[0]

    def test_imports_say_what_they_did(self):
        self.assertEqual(self.imported['added'], ROWS)
        self.assertEqual(self.imported['review'], ROWS)
        self.assertEqual(self.imported['format'], 'linkedin')
        self.assertEqual(self.zipped['format'], 'linkedin')
        self.assertEqual(self.zipped['review'], self.zipped['added'])
        self.assertGreater(self.zipped['added'], 0)
        # A dry run names whom it would add, and changes nothing.
        path = os.path.join(self.tmpdir, 'two.csv')
        with open(path, 'w', encoding='utf-8') as f:
            f.write('First Name,Last Name,URL,Email Address,Company,Position,'
                    'Connected On\r\nIris,Nakamura,https://www.linkedin.com/'
                    'in/iris-n,,Solara,CTO,01 Dec 2026\r\nOwen,Price,https:/'
                    '/www.linkedin.com/in/owen-p,,,,02 Dec 2026\r\n')
        _, out, _ = self.tb('import', path, '--dry-run')
        self.assertIn('Would add:\n  Iris Nakamura\n  Owen Price\n', out)
        self.assertIn('2 contacts wait in “touchbase review”', out)
        result = self.tb_json('import', path, '--dry-run')
        self.assertEqual(result['would_add'], ['Iris Nakamura', 'Owen Price'])
        self.assertEqual(self.tb('show', 'iris nakamura', check=False)[0], 1)
        # With --every: how many it tracks, and how many a day that is.
        _, out, _ = self.tb('import', path, '--every', '1d')
        self.assertIn('2 tracked at this interval: about 2.0 come due per '
                      'day', out)

    def test_only_the_tracked_are_due_and_reminded(self):
        due = self.tb_json('due', '--within', '400d')['contacts']
        self.assertEqual(sorted(c['name'] for c in due),
                         ['Ana Silva', 'Zoë Martin'])
        self.assertEqual(sorted(c['id'] for c in due),
                         sorted([self.zoe, self.ana]))
        # The two come due after two seconds and are reminded; nobody else.
        calls = self.wait_for_notifications(1, timeout=20)
        self.assert_stays(lambda: True, duration=2)
        calls = self.notify_calls()
        text = ' '.join(c['summary'] + ' ' + c['body'] for c in calls)
        self.assertIn('Zoë Martin', text)
        for c in self.tb_json('list', '--all')[:200]:
            if c['source'] != 'manual' and c['name'] not in (
                    'Zoë Martin', 'Ana Silva'):
                self.assertNotIn(c['name'], text)
        # The live calendar has the two and none of the connections.
        ics = os.path.join(self.data_dir, 'touchbase.ics')
        self.wait_for(lambda: os.path.exists(ics), timeout=10)
        with open(ics, encoding='utf-8') as f:
            calendar = f.read()
        self.assertEqual(calendar.count('BEGIN:VEVENT'), 2, calendar[:2000])
        self.assertNotIn('Noor Haddad', calendar)

    def test_names_resolve_to_the_people_you_keep(self):
        _, out, _ = self.tb('log', 'zoe', '--kind', 'call')
        self.assertIn('Zoë Martin', out)
        zoe = self.tb_json('show', str(self.zoe))
        self.assertEqual(len(zoe['interactions']), 1)
        shown = self.tb_json('show', 'ana')
        self.assertEqual(shown['id'], self.ana)
        self.assertEqual(shown['source'], 'manual')
        # Among the connections alone a name is ambiguous, in a pipe.
        rc, _, err = self.tb('show', 'noor haddad', check=False)
        self.assertEqual(rc, 0, err)
        rc, _, err = self.tb('show', 'lund', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('more', err)

    def test_track_from_the_queue(self):
        queue = self.tb_json('review', '--limit', '5')
        self.assertEqual(len(queue), 5)
        self.assertTrue(all(c.get('reason') for c in queue))
        noor = [c['id'] for c in self.tb_json('search', 'Noor Haddad')]
        self.assertEqual(len(noor), 1)
        self.tb('track', str(noor[0]), '--every', '2w')
        contact = self.tb_json('show', str(noor[0]))
        self.assertEqual(contact['tracking'], 'tracked')
        now = datetime.datetime.now(datetime.timezone.utc)
        due = parse_time(contact['due_at'])
        self.assertGreater(due, now)
        self.assertLessEqual(due, now + datetime.timedelta(days=14, hours=1))
        due_ids = [c['id'] for c in
                   self.tb_json('due', '--within', '15d')['contacts']]
        self.assertIn(noor[0], due_ids)
        # untrack and ignore take the person out again.
        self.tb('untrack', str(noor[0]))
        self.assertEqual(self.tb_json('show', str(noor[0]))['tracking'],
                         'not-tracked')
        self.tb('ignore', str(noor[0]))
        self.assertNotIn(noor[0], [c['id'] for c in
                                   self.tb_json('review', '--limit', '1000')])
        self.assertEqual(self.tb_json('stats')['ignored'], 1)

    def test_review_in_tmux(self):
        '''touchbase review on a real terminal: tmux runs it, keys are
        typed into the pane, and what it shows is read back.'''
        tmux = shutil.which('tmux')
        if tmux is None:
            self.fail('tmux is not installed (tools/install-deps.sh test)')
        sock = os.path.join(self.tmpdir, 'tmux.sock')
        base = [tmux, '-S', sock, '-f', '/dev/null']
        env = dict(self.env, LC_ALL='C.UTF-8', TERM='xterm')
        subprocess.run(base + ['new-session', '-d', '-x', '160', '-y', '50',
                               tbtest.TOUCHBASE, 'review'],
                       env=env, check=True)
        self.addCleanup(subprocess.run, base + ['kill-server'],
                        stderr=subprocess.DEVNULL)

        def pane():
            return subprocess.run(base + ['capture-pane', '-p', '-J'],
                                  env=env, capture_output=True,
                                  text=True).stdout

        def shows(text, timeout=15):
            deadline = time.monotonic() + timeout * tbtest.TIMEOUT_SCALE
            while time.monotonic() < deadline:
                screen = pane()
                if text in screen:
                    return screen
                time.sleep(0.05)
            self.fail(f'the pane never showed {text!r}:\n{pane()}')

        def press(keys):
            subprocess.run(base + ['send-keys', '-l', keys], env=env,
                           check=True)

        screen = shows('[q]uit')
        self.assertIn('people wait for a decision', screen)
        first = self.tb_json('review', '--limit', '1')[0]
        self.assertIn(first['name'], screen)
        press('k')
        shows('How often?')
        press('2')
        shows(f'Keeping in touch with {first["name"]}')
        press('q')
        deadline = time.monotonic() + 10 * tbtest.TIMEOUT_SCALE
        while time.monotonic() < deadline and subprocess.run(
                base + ['has-session'], stderr=subprocess.DEVNULL,
                env=env).returncode == 0:
            time.sleep(0.05)
        contact = self.tb_json('show', str(first['id']))
        self.assertEqual(contact['tracking'], 'tracked')
        now = datetime.datetime.now(datetime.timezone.utc)
        due = parse_time(contact['due_at'])
        # Choice 2 is every month: due within one from now.
        self.assertEqual(contact['interval_seconds'], 30 * 86400)
        self.assertGreater(due, now)
        self.assertLessEqual(due, now + datetime.timedelta(days=30, hours=1))
        self.assertIn(first['id'], [
            c['id'] for c in self.tb_json('due', '--within', '31d')
            ['contacts']])

    def test_search_and_figures(self):
        found = self.tb_json('search', 'Solara', '--limit', '1000')
        names = {c['name'] for c in found}
        self.assertIn('Noor Haddad', names)
        self.assertIn('Theo Lund', names)
        listed = [c for c in self.tb_json('list', '--all')
                  if 'solara' in ((c.get('company') or '')
                                  + (c.get('position') or '')).lower()]
        self.assertEqual(names, {c['name'] for c in listed})

        self.tb('log', 'zoe', '--kind', 'coffee')
        stats = self.tb_json('stats')
        total = ROWS + 2 + self.zipped['added']
        self.assertEqual(stats['contacts'], total)
        self.assertEqual(stats['tracked'], 2)
        self.assertEqual(stats['not_tracked'], total - 2)
        self.assertEqual(stats['talked'], 1)
        self.assertEqual(stats['on_track'] + stats['overdue'], 2)
        out = self.on_terminal('stats')
        self.assertIn(f'You talked to 1 of {total} contacts (0.003 %); '
                      '99.997 % of your network is an inch deep', out)

    def on_terminal(self, *args):
        '''touchbase ARGS with its output on a pseudo-terminal (where
        stats writes its sentence); what it printed.'''
        master, slave = pty.openpty()
        env = dict(self.env, LC_ALL='C.UTF-8', TERM='dumb', PAGER='cat')
        proc = subprocess.Popen([tbtest.TOUCHBASE, *args], stdin=slave,
                                stdout=slave, stderr=slave, env=env)
        os.close(slave)
        out = b''
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the client closed its side
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        self.assertEqual(proc.wait(timeout=30), 0, out)
        return out.decode('utf-8').replace('\r\n', '\n')

    def test_list_is_the_people_you_keep(self):
        self.assertEqual(sorted(c['name'] for c in self.tb_json('list')),
                         ['Ana Silva', 'Zoë Martin'])
        _, out, _ = self.tb('list', '--all')
        lines = out.splitlines()
        self.assertEqual(len(lines), ROWS + 2 + self.zipped['added'])
        self.assertTrue(any('not tracked' in line for line in lines))


if __name__ == '__main__':
    tbtest.main()
