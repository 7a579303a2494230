#!/usr/bin/python3
# No reply grows with the network (#11): what can return many records
# either pages (a bounded limit, an offset) or streams through a memfd
# (WriteContactRows, WriteDueRows); every row comes exactly once and in
# order whichever way it is read; a history is sent a page at a time; and
# a 20 MB note is refused on every way in, the daemon answering after.
#
# The network here is 1,100 imported contacts, due within a day: more
# than the 1,000 records a reply may hold, so a reply of "all" is cut.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pty
import select
import subprocess
import sys
import time

import tbtest
from test_dbus_args import (DirectCallCase, GLib, INVALID, UINT32_MAX,
                            BAD_HANDLES, v)

N = 1100
YEAR = 365 * 86400
BENCH = os.path.join(tbtest.SOURCE_DIR, 'bench')


class PagingTest(DirectCallCase):

    def setUp(self):
        super().setUp()
        csv = os.path.join(self.tmpdir, 'Connections.csv')
        with open(csv, 'w', encoding='utf-8') as f:
            subprocess.run([sys.executable,
                            os.path.join(BENCH, 'gen-linkedin.py'), str(N)],
                           stdout=f, check=True)
        self.tb('import', csv, '--every', '1d')
        first = self.ok('ListContacts', '(a{sv})',
                        ({'limit': v('u', 3)},))[0]
        self.follow_ups = [
            self.ok('AddFollowUp', '(xxs)',
                    (c['id'], self.now + 3600 * (i + 1), f'ask {i}'))[0]
            for i, c in enumerate(first)]

    def write_rows(self, method, args, signature):
        '''METHOD into a memfd: (its reply, the bytes written).'''
        fd = os.memfd_create('rows')
        try:
            reply = self.ok(method, signature, (0, *args), fds=[fd])
            os.lseek(fd, 0, os.SEEK_SET)
            data = b''
            while chunk := os.read(fd, 1 << 20):
                data += chunk
        finally:
            os.close(fd)
        return reply, data

    @staticmethod
    def records(data):
        '''The a{sv} records of the "records" format.'''
        out = []
        at = 0
        while at < len(data):
            size = int.from_bytes(data[at:at + 8], sys.byteorder)
            at += 8
            out.append(GLib.Variant.new_from_bytes(
                GLib.VariantType('a{sv}'),
                GLib.Bytes.new(data[at:at + size]), False).unpack())
            at += size + (8 - size % 8) % 8
        return out

    def test_replies_of_records_are_bounded(self):
        contacts, follow_ups = self.ok('GetDue', '(xa{sv})', (YEAR, {}))
        self.assertEqual(len(contacts), 1000)
        self.assertEqual([f['id'] for f in follow_ups], self.follow_ups)
        self.assertEqual(len(self.ok('ListContacts', '(a{sv})', ({},))[0]),
                         1000)
        for limit in (1001, UINT32_MAX):
            self.assertEqual(
                self.call('GetDue', '(xa{sv})',
                          (YEAR, {'limit': v('u', limit)})).error, INVALID)
            self.assertEqual(
                self.call('ListContacts', '(a{sv})',
                          ({'limit': v('u', limit)},)).error, INVALID)
        self.assertEqual(
            len(self.ok('GetDue', '(xa{sv})',
                        (YEAR, {'limit': v('u', 1000)}))[0]), 1000)

    def test_due_streams_every_row_once_in_order(self):
        due = self.tb_json('due', '--within', '1y')
        ids = [c['id'] for c in due['contacts']]
        self.assertEqual(len(ids), N)
        self.assertEqual(len(set(ids)), N)
        times = [c['due_at'] for c in due['contacts']]
        self.assertEqual(times, sorted(times))
        self.assertTrue(all(c['kind'] == 'contact' for c in due['contacts']))
        self.assertEqual([f['id'] for f in due['follow_ups']],
                         self.follow_ups)
        # The records of a reply are the first of the stream, the same.
        contacts, follow_ups = self.ok('GetDue', '(xa{sv})', (YEAR, {}))
        self.assertEqual([c['id'] for c in contacts], ids[:1000])
        # The lines of a pipe: the same rows in the same order.
        _, out, _ = self.tb('due', '--within', '1y')
        lines = [line.split('\t') for line in out.splitlines()]
        self.assertEqual([int(f[1]) for f in lines if f[0] == 'contact'], ids)
        self.assertEqual([int(f[1]) for f in lines if f[0] == 'follow-up'],
                         self.follow_ups)
        # --limit cuts each list, in the daemon.
        due = self.tb_json('due', '--within', '1y', '--limit', '7')
        self.assertEqual([c['id'] for c in due['contacts']], ids[:7])

    def test_write_due_rows(self):
        (n, m), data = self.write_rows('WriteDueRows', (YEAR, {}),
                                       '(hxa{sv})')
        self.assertEqual((n, m), (N, len(self.follow_ups)))
        rows = [line.split('\t') for line in data.decode().splitlines()]
        self.assertEqual(len(rows), N + m)
        self.assertTrue(all(len(r) == 7 for r in rows))
        self.assertEqual([r[0] for r in rows], ['contact'] * N
                         + ['follow-up'] * m)
        self.assertEqual([int(r[1]) for r in rows[N:]], self.follow_ups)
        self.assertEqual([r[6] for r in rows[N:]],
                         [f'ask {i}' for i in range(m)])
        (n2, m2), data = self.write_rows(
            'WriteDueRows', (YEAR, {'format': v('s', 'records'),
                                    'limit': v('u', 1050)}), '(hxa{sv})')
        self.assertEqual((n2, m2), (1050, m))
        records = self.records(data)
        self.assertEqual([r['id'] for r in records[:n2]],
                         [int(r[1]) for r in rows[:1050]])
        self.assertEqual([r['id'] for r in records[n2:]], self.follow_ups)
        self.assertEqual(records[n2]['text'], 'ask 0')
        # Pages of one list, each after the last record of the one before.
        for only, expected in (('contacts', [int(r[1]) for r in rows[:N]]),
                               ('follow-ups', self.follow_ups)):
            paged = []
            after = None
            while True:
                options = {'format': v('s', 'records'),
                           'only': v('s', only), 'limit': v('u', 2 if
                                                            only != 'contacts'
                                                            else 300)}
                if after is not None:
                    options['after'] = v('(xx)', after)
                counts, data = self.write_rows('WriteDueRows',
                                               (YEAR, options), '(hxa{sv})')
                page = self.records(data)
                self.assertEqual(sum(counts), len(page))
                paged += [r['id'] for r in page]
                if len(page) < options['limit'].unpack():
                    break
                after = (page[-1]['due_at'], page[-1]['id'])
            self.assertEqual(paged, expected)

    def test_list_json_streams_every_contact(self):
        listed = self.tb_json('list')
        self.assertEqual(len(listed), N)
        self.assertEqual(len({c['id'] for c in listed}), N)
        first = self.ok('ListContacts', '(a{sv})',
                        ({'tracking': v('s', 'tracked')},))[0]
        self.assertEqual([c['id'] for c in first],
                         [c['id'] for c in listed[:1000]])
        _, out, _ = self.tb('list')
        self.assertEqual([int(line.split('\t')[0])
                          for line in out.splitlines()],
                         [c['id'] for c in listed])

    def on_terminal(self, *args):
        '''touchbase ARGS with stdout on a pseudo-terminal (no pager):
        what it showed.'''
        master, slave = pty.openpty()
        env = dict(self.env, PAGER='cat', COLUMNS='120')
        proc = subprocess.Popen([tbtest.TOUCHBASE, *args], stdout=slave,
                                stderr=subprocess.PIPE, env=env)
        os.close(slave)
        shown = b''
        deadline = time.monotonic() + 30 * tbtest.TIMEOUT_SCALE
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    shown += chunk
                elif proc.poll() is not None:
                    break
            proc.wait(timeout=10 * tbtest.TIMEOUT_SCALE)
        finally:
            os.close(master)
        self.assertEqual(proc.returncode, 0, proc.stderr.read())
        return shown.decode(errors='replace')

    def test_due_on_a_terminal_shows_the_first_screens(self):
        shown = self.on_terminal('due', '--within', '1y')
        rows = [line for line in shown.splitlines()
                if line.split(' ', 1)[0].strip('\x1b[0-9;m').isdigit()]
        self.assertEqual(len(rows), 100 + len(self.follow_ups), shown[-2000:])
        self.assertIn('--limit 0', shown)
        shown = self.on_terminal('due', '--within', '1y', '--limit', '0')
        self.assertNotIn('--limit 0', shown)

    def test_history_pages(self):
        cid = self.add('Hugo History')
        at = self.now - 2000 * 60
        for i in range(150):
            self.ok('LogInteraction', '(xsxs)',
                    (cid, 'call', at + i * 60, f'talk {i}'))
        contact = self.ok('GetContact', '(x)', (cid,))[0]
        self.assertEqual(len(contact['interactions']), 100)
        self.assertEqual(contact['interactions_total'], 150)
        self.assertEqual(contact['interactions'][0]['note'], 'talk 149')
        pages = []
        for offset in (0, 60, 120, 180):
            page, total = self.ok(
                'ListInteractions', '(xa{sv})',
                (cid, {'limit': v('u', 60), 'offset': v('u', offset)}))
            self.assertEqual(total, 150)
            pages += page
        self.assertEqual([i['note'] for i in pages],
                         [f'talk {i}' for i in range(149, -1, -1)])
        self.assertEqual(len(self.tb_json('history', str(cid), '--limit',
                                          '0')), 150)
        _, out, _ = self.tb('show', str(cid))
        self.assertIn('50 older', out)
        self.assertEqual(self.tb_json('show', str(cid))['interactions_total'],
                         150)
        for options in ({'offset': v('i', 1)}, {'offset': v('x', -1)},
                        {'offset': v('s', '1')}):
            self.assertEqual(self.call('ListInteractions', '(xa{sv})',
                                       (cid, options)).error, INVALID)
        self.assertEqual(self.ok('ListInteractions', '(xa{sv})',
                                 (cid, {'offset': v('u', UINT32_MAX)}))[0],
                         [])

    def test_a_20_mb_note_is_refused(self):
        note = 'n' * (20 * 1024 * 1024)
        cid = self.add('Nora Note')
        problems = []
        for what, method, signature, args in (
                ('AddContact', 'AddContact', '(a{sv})',
                 ({'name': v('s', 'Big Note'), 'note': v('s', note)},)),
                ('UpdateContact', 'UpdateContact', '(xa{sv})',
                 (cid, {'note': v('s', note)})),
                ('LogInteraction', 'LogInteraction', '(xsxs)',
                 (cid, 'call', 0, note))):
            reply = self.call(method, signature, args, timeout=30)
            self.expect(problems, what, reply, INVALID)
            if reply.error == INVALID and '100000' not in reply.message:
                problems.append(f'{what}: the message does not give the '
                                f'limit: {reply.message}')
        self.report(problems)
        # Refused with the file and the line, on one line or folded (the
        # reader joins a folded value before it is a field).
        for name, body, words in (
                ('line.vcf', note, ('line.vcf:4', 'too long')),
                ('folded.vcf', '\r\n '.join(note[i:i + 1000] for i in
                                             range(0, len(note), 1000)),
                 ('folded.vcf:4', 'too long'))):
            vcf = os.path.join(self.tmpdir, name)
            with open(vcf, 'w') as f:
                f.write('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vic Card\r\n'
                        f'NOTE:{body}\r\nEND:VCARD\r\n')
            rc, out, err = self.tb('import', vcf, check=False, timeout=60)
            self.assertEqual(rc, 1, out)
            for word in words:
                self.assertIn(word, err.lower())
        status = self.status()
        self.assertEqual(status['contacts'], N + 1)
        self.assertEqual(self.ok('GetContact', '(x)', (cid,))[0].get('note'),
                         None)
        self.assertEqual(len(self.ok('GetContact', '(x)',
                                     (cid,))[0]['interactions']), 0)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
