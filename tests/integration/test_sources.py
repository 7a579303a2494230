#!/usr/bin/python3
# Sources (docs/design.md §12): Sent mail in Maildir folders, an mbox
# file and a real notmuch database, written by the test, read by the real
# daemon through the real client: the scan's one-line result, show, a
# second scan that logs nothing, a message that arrives while the daemon
# runs, stats by source, --forget and undo, a kill during a first scan.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import email.utils
import os
import shutil
import signal
import subprocess
import time
import unittest

import tbtest

ME = 'me@example.org'
DAY = 86400


def rfc2822(t):
    return email.utils.formatdate(t, localvalue=False) if False else \
        email.utils.formatdate(t)


def message(msgid, to, at, cc=None, sender=ME, subject='Hello',
            body='Body text that must never be read.\n'):
    lines = [f'From: Me <{sender}>', f'To: {to}']
    if cc:
        lines.append(f'Cc: {cc}')
    lines.append(f'Date: {rfc2822(at)}')
    if msgid:
        lines.append(f'Message-ID: <{msgid}>')
    lines.append(f'Subject: {subject}')
    return '\n'.join(lines) + '\n\n' + body


class SourcesTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        self.now = int(time.time())
        self.sent = os.path.join(self.home, 'Mail', 'Sent')
        self.archive = os.path.join(self.home, 'Mail', 'Archive')
        for d in (self.sent, self.archive):
            for sub in ('cur', 'new', 'tmp'):
                os.makedirs(os.path.join(d, sub), exist_ok=True)
        self.counter = 0

    def put(self, folder, text, sub='cur'):
        self.counter += 1
        name = f'{self.now}.{self.counter}.test:2,S'
        tmp = os.path.join(folder, 'tmp', name)
        with open(tmp, 'w') as f:
            f.write(text)
        os.rename(tmp, os.path.join(folder, sub, name))

    def configure(self, **keys):
        conf = {'my-addresses': ME}
        conf.update(keys)
        self.write_config({'sources': conf})

    def add_people(self):
        self.tb('add', 'Ana Silva', '--email', 'ana@example.com')
        self.tb('add', 'Bo Berg', '--email', 'bo@example.com')

    def history(self, who):
        return self.tb_json('show', who)['interactions']

    def fixtures(self):
        # One message to two contacts and a stranger, in two folders.
        both = message('m1@example.org',
                       'Ana <ana@example.com>, stranger@nowhere.example',
                       self.now - 10 * DAY, cc='Bo Berg <bo@example.com>')
        self.put(self.sent, both)
        self.put(self.archive, both)
        # Ana in capitals; Bo's second address.
        self.put(self.sent, message('m2@example.org', 'ANA@Example.COM',
                                    self.now - 3 * DAY))
        self.put(self.sent, message('m3@example.org', 'bo.berg@work.example',
                                    self.now - 2 * DAY))
        # Not the user's: someone else's message in the folder.
        self.put(self.sent, message('m4@example.org', 'ana@example.com',
                                    self.now - DAY, sender='eve@example.com'))
        # Before since= (1y).
        self.put(self.sent, message('m5@example.org', 'ana@example.com',
                                    self.now - 400 * DAY))

    def test_scan_show_again_live_stats_forget_undo(self):
        self.fixtures()
        self.configure(maildir='~/Mail/Sent;~/Mail/Archive')
        self.start_daemon()
        self.add_people()
        self.tb('edit', 'bo', '--email', 'bo.berg@work.example')

        _, out, _ = self.tb('sources', '--scan')
        since = time.strftime('%Y-%m-%d', time.gmtime(self.now - 365 * DAY))
        self.assertIn(f'4 conversations with 2 contacts since {since}', out)
        self.assertIn('1 address was no contact', out)

        ana = self.history('ana')
        self.assertEqual(sorted(i['at'] for i in ana), sorted([
            time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))
            for t in (self.now - 10 * DAY, self.now - 3 * DAY)]))
        self.assertTrue(all(i['kind'] == 'email' for i in ana))
        self.assertEqual({i['source'] for i in ana}, {'maildir:~/Mail/Sent'})
        _, out, _ = self.tb('show', 'ana')
        self.assertIn('maildir:~/Mail/Sent', out)
        self.assertIn(time.strftime('%Y-%m-%d',
                                    time.gmtime(self.now - 3 * DAY)), out)

        # Again: nothing new.
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('0 conversations with 0 contacts', out)
        self.assertEqual(len(self.history('bo')), 2)

        # A message sent while the daemon runs.
        self.put(self.sent, message('m6@example.org', 'ana@example.com',
                                    self.now - 60), sub='new')
        self.wait_for(lambda: len(self.history('ana')) == 3, timeout=10,
                      message='the new message did not show up')

        listed = self.tb_json('sources')
        names = [s['name'] for s in listed]
        self.assertEqual(names, ['maildir:~/Mail/Sent',
                                 'maildir:~/Mail/Archive'])
        self.assertTrue(all(s['watching'] for s in listed))
        self.assertEqual(listed[0]['interactions'], 5)

        stats = self.tb_json('stats')
        by_source = {s['source']: s['interactions']
                     for s in stats['sources']}
        self.assertEqual(by_source, {'maildir:~/Mail/Sent': 5})
        report = os.path.join(self.tmpdir, 'report.html')
        self.tb('report', '-o', report)
        with open(report) as f:
            html = f.read()
        self.assertIn('Found by your sources', html)
        self.assertIn('<td>maildir:~/Mail/Sent</td><td>5</td>', html)

        _, out, _ = self.tb('sources', '--forget', 'maildir:~/Mail/Sent')
        self.assertIn('Forgot 5 interactions', out)
        self.assertEqual(self.history('ana'), [])
        _, out, _ = self.tb('undo')
        self.assertEqual(out.strip(), 'Undone: sources forget '
                         'maildir:~/Mail/Sent (5 interactions)')
        self.assertEqual(len(self.history('ana')), 3)
        # The live scan and the first one are changes of their own.
        _, out, _ = self.tb('undo', '--list')
        self.assertIn('scan maildir:~/Mail/Sent (1 logged)', out)
        self.assertIn('scan maildir:~/Mail/Sent (4 logged)', out)

    def test_hand_logged_is_not_doubled_and_untracked_stays(self):
        self.put(self.sent, message('h1@example.org', 'ana@example.com',
                                    self.now - 5 * DAY))
        self.put(self.sent, message('h2@example.org', 'cy@example.com',
                                    self.now - 4 * DAY))
        self.configure(maildir='~/Mail/Sent')
        self.start_daemon()
        self.add_people()
        self.tb('add', 'Cy Young', '--email', 'cy@example.com')
        self.tb('untrack', 'cy')
        at = time.strftime('%Y-%m-%dT%H:%M',
                           time.localtime(self.now - 5 * DAY + 60))
        self.tb('log', 'ana', '--kind', 'email', '--at', at)
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('1 conversation with 1 contact ', out)
        self.assertEqual(len(self.history('ana')), 1)
        cy = self.tb_json('show', 'cy')
        self.assertEqual(cy['tracking'], 'not-tracked')
        self.assertEqual(len(cy['interactions']), 1)
        # Not tracked, but written to: first in the review queue.
        self.tb('add', 'Di Other', '--email', 'di@example.com',
                '--company', 'Acme')
        self.tb('untrack', 'di')
        queue = self.tb_json('review')
        self.assertEqual(queue[0]['name'], 'Cy Young')
        self.assertTrue(queue[0]['reason'].startswith(
            'you wrote once this year'), queue[0]['reason'])

    def test_mbox_and_unknown_sender(self):
        mbox = os.path.join(self.home, 'tb', 'Sent')
        os.makedirs(os.path.dirname(mbox))
        with open(mbox, 'w') as f:
            for msgid, to, days in (('x1@example.org', 'ana@example.com', 9),
                                    ('x2@example.org', 'bo@example.com', 8)):
                f.write('From - Mon Jan  1 00:00:00 2024\n')
                f.write(message(msgid, to, self.now - days * DAY,
                                body='From the body, quoted?\n\nFrom here\n'))
                f.write('\n')
        self.configure(mbox='~/tb/Sent')
        self.start_daemon()
        self.add_people()
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('2 conversations with 2 contacts since', out)
        # The file grows: the new message is read, the old ones not again.
        with open(mbox, 'a') as f:
            f.write('From - Mon Jan  1 00:00:00 2024\n')
            f.write(message('x3@example.org', 'ana@example.com',
                            self.now - 100))
            f.write('\n')
        self.wait_for(lambda: len(self.history('ana')) == 2, timeout=10,
                      message='the appended message did not show up')
        self.assertEqual(len(self.history('bo')), 1)

    def test_configuration_reloads(self):
        # The same folder twice is one source; a reload adds and drops
        # sources, keeping those that stay with what they found.
        self.put(self.sent, message('r1@example.org', 'ana@example.com',
                                    self.now - DAY))
        self.configure(maildir='~/Mail/Sent;~/Mail/Sent')
        self.start_daemon()
        self.add_people()
        self.assertEqual([s['name'] for s in self.tb_json('sources')],
                         ['maildir:~/Mail/Sent'])
        self.tb('sources', '--scan')
        self.configure(maildir='~/Mail/Archive;~/Mail/Sent')
        self.wait_for(lambda: len(self.tb_json('sources')) == 2)
        sent = self.tb_json('sources')[1]
        self.assertEqual(sent['name'], 'maildir:~/Mail/Sent')
        self.assertEqual(sent['last_logged'], 1)
        self.configure(maildir='~/Mail/Archive')
        self.wait_for(lambda: [s['name'] for s in self.tb_json('sources')]
                      == ['maildir:~/Mail/Archive'])
        # What it found stays in the history until forgotten.
        self.assertEqual(len(self.history('ana')), 1)

    @unittest.skipUnless(shutil.which('notmuch'), 'notmuch is not installed')
    def test_notmuch(self):
        maildir = os.path.join(self.home, 'mail')
        os.makedirs(os.path.join(maildir, 'sent', 'cur'))
        os.makedirs(os.path.join(maildir, 'sent', 'new'))
        os.makedirs(os.path.join(maildir, 'sent', 'tmp'))
        self.sent = os.path.join(maildir, 'sent')
        self.put(self.sent, message('n1@example.org', 'ana@example.com',
                                    self.now - 6 * DAY))
        self.put(self.sent, message('n2@example.org', 'bo@example.com',
                                    self.now - 5 * DAY,
                                    sender='other@example.net'))
        config = os.path.join(self.home, '.notmuch-config')
        with open(config, 'w') as f:
            f.write(f'[database]\npath={maildir}\n'
                    f'[user]\nname=Me\nprimary_email={ME}\n'
                    '[new]\ntags=unread;inbox;\n')
        env = dict(self.env, NOTMUCH_CONFIG=config)
        subprocess.run(['notmuch', 'new'], env=env, check=True,
                       capture_output=True)
        self.env = env
        # Without my-addresses: notmuch's primary_email says who the user
        # is.
        self.write_config({'sources': {'notmuch': 'true'}})
        self.start_daemon(env={'NOTMUCH_CONFIG': config})
        self.add_people()
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('1 conversation with 1 contact ', out)
        self.assertEqual(self.history('ana')[0]['source'], 'notmuch')
        # A new message, indexed: the database changes, the daemon sees.
        self.put(self.sent, message('n3@example.org', 'ana@example.com',
                                    self.now - 30))
        subprocess.run(['notmuch', 'new'], env=env, check=True,
                       capture_output=True)
        self.wait_for(lambda: len(self.history('ana')) == 2, timeout=10,
                      message='notmuch\'s new message did not show up')

    def test_kill_during_first_scan_logs_nothing_twice(self):
        for n in range(3000):
            self.put(self.sent, message(f'k{n}@example.org',
                                        'ana@example.com',
                                        self.now - DAY - n))
        self.configure(maildir='~/Mail/Sent')
        self.start_daemon()
        self.add_people()
        scan = subprocess.Popen([tbtest.TOUCHBASE, 'sources', '--scan'],
                                env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.wait_for(lambda: 'scanning' in self.tb('sources')[1],
                      timeout=10)
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait()
        scan.wait(timeout=30)
        self.daemon = None
        self.start_daemon()
        self.tb('sources', '--scan')
        self.tb('sources', '--scan')
        self.assertEqual(self.tb_json('show', 'ana')['interactions'][0]
                         ['kind'], 'email')
        _, out, _ = self.tb('sources', '--json')
        self.assertEqual(self.tb_json('sources')[0]['interactions'], 3000)


if __name__ == '__main__':
    tbtest.main()
