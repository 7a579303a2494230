#!/usr/bin/python3
# No call may hold the daemon (#11): WriteContactRows and WriteDueRows
# read in a worker thread on a connection of their own, so while a big
# list is being written the daemon answers other clients; and list
# --json reads its records a page at a time ("after"), every contact
# once and in the list's order across pages.
#
# The big network is written into the database with SQL while no daemon
# runs: generating it through the store or an import takes longer than
# the rest of the test. It is big enough that writing it takes seconds.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

import tbtest
from test_dbus_args import DirectCallCase, ERROR, Gio, GLib, Reply, v

BUSY = ERROR + 'Busy'
DAY = 86400


def fill(db_path, n, now):
    '''N contacts written straight into the database: most of them
    tracked and due within 100 days, 60 at each due time (ties, broken by
    name without case, then id), names in mixed case; every tenth not
    tracked and every 37th paused (no due time: the list's second part).'''
    db = sqlite3.connect(db_path)
    with db:
        db.execute(
            '''WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
                                       SELECT i + 1 FROM n WHERE i < ?1)
               INSERT INTO contacts (uid, name, name_key, effective_interval,
                                     created_at, tracking, paused, due_at)
               SELECT 'uid-' || i,
                      (CASE i % 3 WHEN 0 THEN 'ana ' WHEN 1 THEN 'Ana '
                       ELSE 'ANA ' END) || (i * 7919 % ?1),
                      'ana ' || (i * 7919 % ?1), 2592000, ?2,
                      CASE WHEN i % 10 = 0 THEN 0 ELSE 1 END,
                      CASE WHEN i % 37 = 0 THEN 1 ELSE 0 END,
                      CASE WHEN i % 10 = 0 OR i % 37 = 0 THEN NULL
                           ELSE ?2 + DAY + (i / 60) % 5000 * 1728 END
               FROM n'''.replace('DAY', str(DAY)), (n, now))
    db.close()


class BigNetworkCase(DirectCallCase):
    N = 0
    # The filled database, made by the class's first test and copied by
    # the others: filling takes longer than a test.
    template = None

    @classmethod
    def tearDownClass(cls):
        if cls.template is not None:
            shutil.rmtree(os.path.dirname(cls.template), ignore_errors=True)
            cls.template = None
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        # The daemon made and migrated the database; it is stopped while
        # the rows go in.
        self.stop_daemon()
        cls = type(self)
        if cls.template is None:
            fill(self.db_path, self.N, self.now)
            cls.template = os.path.join(tempfile.mkdtemp(prefix='tb-big-'),
                                        'touchbase.db')
            shutil.copyfile(self.db_path, cls.template)
        else:
            for suffix in ('-wal', '-shm'):
                if os.path.exists(self.db_path + suffix):
                    os.unlink(self.db_path + suffix)
            shutil.copyfile(cls.template, self.db_path)
        self.start_daemon()
        # What a daemon does once after it starts over a big network (the
        # review's notification, the live calendar) is over when a call
        # is answered at once.
        deadline = time.monotonic() + 60 * tbtest.TIMEOUT_SCALE
        while time.monotonic() < deadline:
            asked = time.monotonic()
            self.status()
            if time.monotonic() - asked < 0.2:
                break

    def write_records(self, options):
        '''WriteContactRows' records with OPTIONS: their ids.'''
        fd = os.memfd_create('rows')
        try:
            options = dict(options, format=v('s', 'records'))
            self.ok('WriteContactRows', '(ha{sv})', (0, options), fds=[fd])
            os.lseek(fd, 0, os.SEEK_SET)
            data = b''
            while chunk := os.read(fd, 1 << 20):
                data += chunk
        finally:
            os.close(fd)
        return records(data)


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


class StreamDoesNotHoldTheDaemon(BigNetworkCase):
    N = 600000

    def status_answers_while(self, method, signature, args, expected):
        '''`touchbase status` answers while METHOD (a{sv} ARGS after the
        fd) writes the whole network into a memfd; its reply is
        EXPECTED (None: any).'''
        # What status takes here with nothing else to do: under the load
        # of a whole test suite on two cores it is seconds.
        idle = time.monotonic()
        self.tb('status')
        idle = time.monotonic() - idle
        fd = os.memfd_create('rows')
        done = {}

        def write():
            conn = self.connect()
            try:
                done['reply'] = self.call(method, signature, (0, *args)
                                          if signature.startswith('(h')
                                          else args, fds=[fd], timeout=120,
                                          conn=conn)
            finally:
                done['at'] = time.monotonic()
                conn.close_sync(None)

        try:
            thread = threading.Thread(target=write)
            started = time.monotonic()
            thread.start()
            # Long enough for the call to be in the daemon, far less than
            # the list takes.
            time.sleep(0.3)
            asked = time.monotonic()
            _, out, _ = self.tb('status')
            answered = time.monotonic()
            thread.join(timeout=180 * tbtest.TIMEOUT_SCALE)
            self.assertIn('reply', done)
            self.assertTrue(done['reply'].ok, done['reply'])
            if expected is not None:
                self.assertEqual(done['reply'].value, expected)
            took = done['at'] - started
            # Without it the test proves nothing: the list must still
            # have been written when status asked.
            self.assertGreater(done['at'], asked,
                               f'{method} took only {took:.2f}s: make N '
                               'bigger')
            self.assertLess(answered, done['at'],
                            f'status answered {answered - asked:.2f}s '
                            f'after it asked, only once {method} of '
                            f'{took:.2f}s had been written')
            self.assertLess(answered - asked,
                            (1.0 + 2 * idle) * tbtest.TIMEOUT_SCALE,
                            f'status took {idle:.2f}s alone')
            self.assertIn(str(self.N), out)
        finally:
            os.close(fd)

    def test_status_answers_while_a_big_list_is_written(self):
        self.status_answers_while('WriteContactRows', '(ha{sv})', ({},),
                                  (self.N,))

    def test_status_answers_while_a_year_of_due_is_written(self):
        tracked = self.N - self.N // 10 - self.N // 37 + self.N // 370
        self.status_answers_while('WriteDueRows', '(hxa{sv})',
                                  (365 * DAY,
                                   {'format': v('s', 'records')}),
                                  (tracked, 0))

    def test_status_answers_while_an_export_is_written(self):
        self.status_answers_while('Export', '(sha{sv})', ('csv', 0, {}),
                                  None)

    def test_writes_at_once_are_bounded(self):
        # 2 run, 16 wait, the rest are Busy at once; every other call is
        # answered, and right. A tag nobody has walks the whole list and
        # writes nothing.
        n = 20
        replies = [None] * n
        barrier = threading.Barrier(n)

        def write(i):
            try:
                conn = self.connect()
                fd = os.memfd_create('rows')
            except Exception as e:  # reported below, with the others
                replies[i] = e
                barrier.abort()
                return
            try:
                barrier.wait()
                replies[i] = self.call(
                    'WriteContactRows', '(ha{sv})',
                    (0, {'tag': v('s', 'nobody')}), fds=[fd], timeout=120,
                    conn=conn)
            except Exception as e:
                replies[i] = e
            finally:
                os.close(fd)
                conn.close_sync(None)

        threads = [threading.Thread(target=write, args=(i,))
                   for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180 * tbtest.TIMEOUT_SCALE)
        shown = [r if isinstance(r, Exception) or r is None
                 else (r.value, r.error, r.message) for r in replies]
        busy = [r for r in replies
                if isinstance(r, Reply) and r.error == BUSY]
        done = [r for r in replies if isinstance(r, Reply) and r.ok]
        self.assertEqual(len(busy) + len(done), n, shown)
        self.assertTrue(all(r.value == (0,) for r in done), shown)
        self.assertGreaterEqual(len(done), 18, shown)
        self.assertTrue(busy, 'twenty writes at once, none refused: '
                        'the list took too short a time to tell')
        self.assertEqual(self.status()['contacts'], self.N)

    def test_a_client_that_leaves_stops_the_stream(self):
        # The caller's connection closes at once: the worker is
        # cancelled, and the daemon answers and stays up.
        conn = self.connect()
        fd = os.memfd_create('rows')
        fd_list = Gio.UnixFDList.new()
        fd_list.append(fd)
        conn.call_with_unix_fd_list(
            tbtest.BUS_NAME, tbtest.OBJECT_PATH, tbtest.INTERFACE,
            'WriteContactRows', v('(ha{sv})', (0, {})), None, 0, -1,
            fd_list, None, None)
        conn.flush_sync(None)
        time.sleep(0.2)
        conn.close_sync(None)
        os.close(fd)
        deadline = time.monotonic() + 30 * tbtest.TIMEOUT_SCALE
        while time.monotonic() < deadline:
            with open(self.daemon_log_path, errors='replace') as f:
                if 'its client left the bus' in f.read():
                    break
            time.sleep(0.1)
        else:
            self.fail('the stream of a client that left was not stopped')
        self.assertEqual(self.status()['contacts'], self.N)


class ListPages(BigNetworkCase):
    N = 5000

    def test_pages_give_every_contact_once_in_order(self):
        whole = [c['id'] for c in self.write_records(
            {'tracking': v('s', 'all')})]
        self.assertEqual(len(whole), self.N)
        self.assertEqual(len(set(whole)), self.N)
        for limit in (1, 7, 999):
            paged = []
            after = None
            while True:
                options = {'tracking': v('s', 'all'),
                           'limit': v('u', limit)}
                if after is not None:
                    options['after'] = v('(xssx)', after)
                page = self.write_records(options)
                paged += [c['id'] for c in page]
                if len(page) < limit:
                    break
                last = page[-1]
                after = (last.get('due_at', 0), last['tracking'],
                         last['name'], last['id'])
                if limit == 1 and len(paged) > 300:
                    # Every boundary is covered by 7 and 999; the first
                    # part's ties by the first 300 of 1.
                    break
            self.assertEqual(paged, whole[:len(paged)], f'limit {limit}')
            if limit != 1:
                self.assertEqual(len(paged), self.N)

    def test_list_json_is_the_list(self):
        listed = self.tb_json('list', '--all')
        _, out, _ = self.tb('list', '--all')
        rows = [int(line.split('\t')[0]) for line in out.splitlines()]
        self.assertEqual(len(rows), self.N)
        self.assertEqual([c['id'] for c in listed], rows)
        self.assertEqual(len(self.tb_json('list', '--all', '--limit',
                                          '2500')), 2500)
        tracked = self.tb_json('list', '--limit', '1001')
        self.assertEqual([c['id'] for c in tracked],
                         [c['id'] for c in listed
                          if c['tracking'] == 'tracked'][:1001])

    def test_a_cursor_in_the_second_part(self):
        whole = self.write_records({'tracking': v('s', 'all')})
        # The first contact without a due time, and the one after it.
        at = next(i for i, c in enumerate(whole) if 'due_at' not in c)
        c = whole[at]
        page = self.write_records({
            'tracking': v('s', 'all'), 'limit': v('u', 3),
            'after': v('(xssx)', (0, c['tracking'], c['name'], c['id']))})
        self.assertEqual([r['id'] for r in page],
                         [r['id'] for r in whole[at + 1:at + 4]])
        # After the last: nothing.
        c = whole[-1]
        self.assertEqual(self.write_records({
            'tracking': v('s', 'all'),
            'after': v('(xssx)', (c.get('due_at', 0), c['tracking'],
                                  c['name'], c['id']))}), [])


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
