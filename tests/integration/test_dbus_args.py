#!/usr/bin/python3
# Hostile arguments, sent straight over D-Bus as any program on the session
# bus could send them (no client in between): file-descriptor handles that
# point outside the message's fd list, descriptors that cannot be read or
# written or never finish, ids that name nothing, times at the ends of
# int64, wrong-typed dictionary values, a 1 MB name.
#
# Every call must get a clear io.github.touchbase.Error.* reply, the daemon
# must survive it and keep answering, and a refused call must change
# nothing. Each test walks a whole table of calls and fails once at the end
# with every call that misbehaved, so one run shows them all.
#
# Uses Gio (python3-gi) rather than dbus-python: dbus-python numbers the
# handles itself, and these tests need to forge them.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import resource
import subprocess
import tempfile
import threading
import time
import unittest

import tbtest

try:
    import gi
    gi.require_version('Gio', '2.0')
    from gi.repository import Gio, GLib
except (ImportError, ValueError):  # the whole file skips
    Gio = GLib = None

ERROR = 'io.github.touchbase.Error.'
INVALID = ERROR + 'InvalidArgument'
NOT_FOUND = ERROR + 'NotFound'
EXISTS = ERROR + 'Exists'
FAILED = ERROR + 'Failed'

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
INT64_MIN = -2**63
UINT32_MAX = 2**32 - 1
# 10000-01-01T00:00:00Z, the first second GDateTime cannot represent.
YEAR_10000 = 253402300800

DATA = os.path.join(tbtest.SOURCE_DIR, 'tests', 'data', 'import')

# Handle values that are not an index into a one-element fd list. Where a
# negative index lands depends on the heap: INT32_MIN is sure to be far
# outside it.
BAD_HANDLES = (-1, 1, INT32_MAX, -100000, -2**31)


def scaled(seconds):
    return seconds * tbtest.TIMEOUT_SCALE


def v(signature, value):
    return GLib.Variant(signature, value)


class Reply:
    '''What a call got back: value (a tuple) on success, or error (the D-Bus
    error name, None when there was no reply) and message.'''

    def __init__(self, value=None, error=None, message='', timed_out=False):
        self.value = value
        self.error = error
        self.message = message
        self.timed_out = timed_out

    @property
    def ok(self):
        return self.error is None and not self.timed_out

    def __str__(self):
        if self.timed_out:
            return 'no reply (timed out)'
        if self.ok:
            text = repr(self.value)
            return 'success ' + (text[:120] + '...' if len(text) > 120
                                 else text)
        return f'{self.error} ({self.message})'


@unittest.skipIf(Gio is None, 'python3-gi with Gio 2.0 is not available')
class DirectCallCase(tbtest.TouchbaseTestCase):
    '''A running touchbased (started directly, so its exit status is known)
    and a Gio connection to the private bus. Not activatable: after a crash
    a call must fail, not quietly start a new daemon.'''

    ACTIVATABLE = False

    def setUp(self):
        # Today's daemon crashes on some of these calls: no core files.
        self.core_limit = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, self.core_limit[1]))
        super().setUp()
        self.start_daemon()
        self.conn = self.connect()
        self.side_conn = self.connect()  # for checks while a call hangs
        self.now = int(time.time())

    def tearDown(self):
        self.conn.close_sync(None)
        self.side_conn.close_sync(None)
        try:
            super().tearDown()
        finally:
            resource.setrlimit(resource.RLIMIT_CORE, self.core_limit)

    def connect(self):
        return Gio.DBusConnection.new_for_address_sync(
            self.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

    # ------------------------------------------------------------- calling

    def call(self, method, signature, args, fds=None, timeout=5, conn=None):
        '''Call METHOD with ARGS (a tuple for SIGNATURE, e.g. '(xs)') and,
        when FDS is a list (possibly empty), that fd list. Returns a
        Reply; never raises for a D-Bus error.'''
        fd_list = None
        if fds is not None:
            fd_list = Gio.UnixFDList.new()
            for fd in fds:
                fd_list.append(fd)
        try:
            result, _ = (conn or self.conn).call_with_unix_fd_list_sync(
                tbtest.BUS_NAME, tbtest.OBJECT_PATH, tbtest.INTERFACE,
                method, v(signature, tuple(args)), None,
                Gio.DBusCallFlags.NONE, int(scaled(timeout) * 1000),
                fd_list, None)
        except GLib.Error as e:
            if e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT):
                return Reply(timed_out=True, message=e.message)
            return Reply(error=Gio.DBusError.get_remote_error(e)
                         or f'(local error) {e.domain}:{e.code}',
                         message=e.message)
        return Reply(value=result.unpack() if result is not None else ())

    def ok(self, method, signature='()', args=(), fds=None):
        '''A call that must succeed; returns its value.'''
        reply = self.call(method, signature, args, fds)
        if not reply.ok:
            self.fail(f'{method}{args!r}: {reply}')
        return reply.value

    def add(self, name, **fields):
        fields['name'] = v('s', name)
        return self.ok('AddContact', '(a{sv})', (fields,))[0]

    def status(self):
        return self.ok('GetStatus')[0]

    def snapshot(self):
        '''Everything a refused call could have changed: each contact with
        its facts, interactions and follow-ups, and the counts.'''
        contacts = self.ok('ListContacts', '(a{sv})', ({},))[0]
        status = self.status()
        return {
            'contacts': [self.ok('GetContact', '(x)', (c['id'],))[0]
                         for c in contacts],
            'counts': {k: status[k] for k in ('contacts', 'follow_ups')},
        }

    # ------------------------------------------------------ the checklist

    def daemon_trouble(self):
        '''None while the daemon runs and answers GetStatus; otherwise what
        is wrong with it.'''
        if self.daemon is None or self.daemon.poll() is not None:
            if self.daemon is None:
                return 'no daemon is running'
            return ('the daemon died: it '
                    + tbtest.describe_status(self.daemon.returncode))
        reply = self.call('GetStatus', '()', (), timeout=3,
                          conn=self.side_conn)
        if not reply.ok:
            # A crash may not have been reaped yet: give it a moment.
            try:
                status = self.daemon.wait(timeout=scaled(2))
                return f'the daemon died: it {tbtest.describe_status(status)}'
            except subprocess.TimeoutExpired:
                pass
        if reply.timed_out:
            return 'the daemon stopped answering (GetStatus timed out)'
        if not reply.ok:
            return f'GetStatus failed afterwards: {reply}'
        return None

    def recover(self):
        '''After a crash or a hang: a fresh daemon on the same database, so
        the rest of the table still runs.'''
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        self.daemon = None
        self.start_daemon()

    def expect(self, problems, what, reply, *names):
        '''Record in PROBLEMS unless REPLY is an error named one of NAMES
        (any io.github.touchbase.Error.* when NAMES is (ERROR,); success
        when NAMES is (None,)), then check the daemon survived.'''
        if names == (None,):
            good = reply.ok
        elif names == (ERROR,):
            good = bool(reply.error) and reply.error.startswith(ERROR)
        else:
            good = reply.error in names
        if not good:
            wanted = ' or '.join('success' if n is None else
                                 'any ' + n + '*' if n == ERROR else n
                                 for n in names)
            problems.append(f'{what}: expected {wanted}, got {reply}')
        self.check_alive(problems, what)

    def check_alive(self, problems, what):
        trouble = self.daemon_trouble()
        if trouble:
            problems.append(f'{what}: {trouble}')
            self.recover()

    def report(self, problems):
        if problems:
            self.fail(f'{len(problems)} call(s) misbehaved:\n  '
                      + '\n  '.join(problems))


class FdHandleTest(DirectCallCase):
    '''Import, Export and WriteReport take an "h": an index into the fd
    list that came with the message. Any other index must be refused with
    InvalidArgument, with or without fds attached.'''

    def setUp(self):
        super().setUp()
        self.ana = self.add('Ana Silva', email=v('s', 'ana@example.org'))
        self.ok('LogInteraction', '(xsxs)',
                (self.ana, 'call', self.now - 40 * 86400, 'coffee'))

    def bad_handles(self, method, signature, make_args, open_fd):
        '''Call METHOD with every bad handle, once with an empty fd list and
        once with one real fd (OPEN_FD() returns it and a function telling
        whether anything touched it).'''
        problems = []
        before = self.snapshot()
        for handle in BAD_HANDLES:
            for with_fd in (False, True):
                what = (f'{method}(h={handle}) with '
                        + ('one fd' if with_fd else 'no fds'))
                fds, touched = [], None
                if with_fd:
                    fd, touched = open_fd()
                    fds = [fd]
                try:
                    reply = self.call(method, signature, make_args(handle),
                                      fds)
                finally:
                    for fd in fds:
                        os.close(fd)
                self.expect(problems, what, reply, INVALID)
                if touched is not None and touched():
                    problems.append(f'{what}: the fd was used anyway')
        if self.snapshot() != before:
            problems.append(f'{method}: the refused calls changed the data')
        self.report(problems)

    def writable_temp(self):
        f = tempfile.NamedTemporaryFile(dir=self.tmpdir, delete=False)
        f.close()
        return (os.open(f.name, os.O_WRONLY),
                lambda: os.path.getsize(f.name) > 0)

    def test_import_bad_handles(self):
        # A real vCard behind the fd: were it read, contacts would appear.
        self.bad_handles(
            'Import', '(hsa{sv})', lambda h: (h, 'vcard', {}),
            lambda: (os.open(os.path.join(DATA, 'sample.vcf'), os.O_RDONLY),
                     None))

    def test_export_bad_handles(self):
        self.bad_handles('Export', '(sha{sv})', lambda h: ('json', h, {}),
                         self.writable_temp)

    def test_write_report_bad_handles(self):
        self.bad_handles('WriteReport', '(h)', lambda h: (h,),
                         self.writable_temp)

    def test_write_contact_rows_bad_handles(self):
        self.bad_handles('WriteContactRows', '(ha{sv})', lambda h: (h, {}),
                         self.writable_temp)

    def test_write_contact_rows_filters(self):
        # The filter is ListContacts': the same keys, types and values.
        problems = []
        for flt in ({'tracking': v('s', 'everyone')},
                    {'tracking': v('b', True)}, {'limit': v('x', 5)},
                    {'limit': v('s', '5')}, {'sort': v('s', 'name')}):
            fd, _ = self.writable_temp()
            try:
                reply = self.call('WriteContactRows', '(ha{sv})', (0, flt),
                                  [fd])
            finally:
                os.close(fd)
            self.expect(problems, f'WriteContactRows({flt!r})', reply,
                        INVALID)
        self.report(problems)

    # -------------------------------------------------- the valid index

    def test_import_handle_zero(self):
        for name, fmt, added in (('sample.vcf', 'vcard', 2),
                                 ('sample-linkedin.csv', '', None)):
            count = self.status()['contacts']
            fd = os.open(os.path.join(DATA, name), os.O_RDONLY)
            try:
                result = self.ok('Import', '(hsa{sv})',
                                 (0, fmt, {'filename': v('s', name)}), [fd])[0]
            finally:
                os.close(fd)
            self.assertGreater(result['added'], 0, name)
            if added is not None:
                self.assertEqual(result['added'], added, name)
            self.assertEqual(self.status()['contacts'],
                             count + result['added'], name)

    def test_export_handle_zero_and_one(self):
        path = os.path.join(self.tmpdir, 'export.json')
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            self.ok('Export', '(sha{sv})', ('json', 0, {}), [fd])
        finally:
            os.close(fd)
        with open(path) as f:
            data = json.load(f)
        self.assertIn('Ana Silva', json.dumps(data, ensure_ascii=False))
        # With two fds, handle 1 is the second one, and only it is written.
        first = os.path.join(self.tmpdir, 'first')
        second = os.path.join(self.tmpdir, 'second')
        fds = [os.open(p, os.O_WRONLY | os.O_CREAT, 0o600)
               for p in (first, second)]
        try:
            self.ok('Export', '(sha{sv})', ('json', 1, {}), fds)
        finally:
            for fd in fds:
                os.close(fd)
        self.assertEqual(os.path.getsize(first), 0)
        with open(second) as f:
            self.assertEqual(json.load(f), data)

    def test_write_report_handle_zero(self):
        path = os.path.join(self.tmpdir, 'report.html')
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            self.ok('WriteReport', '(h)', (0,), [fd])
        finally:
            os.close(fd)
        with open(path, encoding='utf-8') as f:
            html = f.read()
        self.assertTrue(html.lstrip().lower().startswith('<!doctype html'),
                        html[:200])
        self.assertIn('</html>', html.lower())


class FdKindTest(DirectCallCase):
    '''A valid index to a descriptor that is the wrong kind: not writable,
    not readable, endless, or a pipe the other end never serves. The call
    fails cleanly or waits, but the daemon keeps serving everyone else.'''

    EXPORTS = (('Export json', 'Export', '(sha{sv})', ('json', 0, {})),
               ('Export ics', 'Export', '(sha{sv})', ('ics', 0, {})),
               ('Export vcard', 'Export', '(sha{sv})', ('vcard', 0, {})),
               ('Export csv', 'Export', '(sha{sv})', ('csv', 0, {})),
               ('WriteReport', 'WriteReport', '(h)', (0,)),
               ('WriteContactRows', 'WriteContactRows', '(ha{sv})',
                (0, {})))

    def setUp(self):
        super().setUp()
        for i in range(5):
            cid = self.add(f'Person {i}', note=v('s', 'met at the meetup'))
            self.ok('AddFollowUp', '(xxs)',
                    (cid, self.now + 3600 * (i + 1), 'send the slides'))

    def test_export_to_unwritable_fds(self):
        problems = []
        target = os.path.join(self.tmpdir, 'target')
        open(target, 'w').close()
        for kind, opener in (
                ('a read-only file', lambda: os.open(target, os.O_RDONLY)),
                ('a directory', lambda: os.open(
                    self.tmpdir, os.O_RDONLY | os.O_DIRECTORY)),
                ('/dev/full', lambda: os.open('/dev/full', os.O_WRONLY))):
            for what, method, signature, args in self.EXPORTS:
                fd = opener()
                try:
                    reply = self.call(method, signature, args, [fd])
                finally:
                    os.close(fd)
                # Refused up front (a file not open for writing, not a
                # regular file) or failing as it writes (a full disk).
                self.expect(problems, f'{what} to {kind}', reply, INVALID,
                            FAILED)
        self.report(problems)

    def test_import_from_unreadable_fds(self):
        problems = []
        target = os.path.join(self.tmpdir, 'target')
        open(target, 'w').close()
        before = self.snapshot()
        for kind, opener in (
                ('a write-only file', lambda: os.open(target, os.O_WRONLY)),
                ('a directory', lambda: os.open(
                    self.tmpdir, os.O_RDONLY | os.O_DIRECTORY))):
            for fmt in ('vcard', ''):
                fd = opener()
                try:
                    reply = self.call('Import', '(hsa{sv})', (0, fmt, {}),
                                      [fd])
                finally:
                    os.close(fd)
                self.expect(problems, f'Import format "{fmt}" from {kind}',
                            reply, ERROR)
        if self.snapshot() != before:
            problems.append('the refused imports changed the data')
        self.report(problems)

    def pending(self, method, signature, args, fd):
        '''Start METHOD with FD in a thread on a connection of its own;
        returns (thread, dict that gets 'reply'). The thread works on a
        copy of FD: the caller may close its own at once.'''
        box = {}
        fd = os.dup(fd)

        def run():
            conn = self.connect()
            try:
                box['reply'] = self.call(method, signature, args, [fd],
                                         timeout=60, conn=conn)
            finally:
                os.close(fd)
                conn.close_sync(None)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread, box

    def test_import_of_endless_input(self):
        # /dev/zero never ends; the daemon must not spin on it with its
        # main loop stopped.
        problems = []
        for fmt in ('vcard', 'linkedin', 'json', 'outlook'):
            what = f'Import format "{fmt}" from /dev/zero'
            fd = os.open('/dev/zero', os.O_RDONLY)
            try:
                thread, box = self.pending('Import', '(hsa{sv})',
                                           (0, fmt, {}), fd)
                thread.join(scaled(1))
                trouble = self.daemon_trouble()
                if trouble:
                    problems.append(f'{what}: while it runs, {trouble}')
                    self.recover()
                    continue
                thread.join(scaled(30))
                reply = box.get('reply', Reply(timed_out=True))
                self.expect(problems, what, reply, ERROR)
            finally:
                os.close(fd)
        self.report(problems)

    def full_pipe(self):
        '''A pipe whose buffer is already full, so any write blocks until
        the read end is read or closed.'''
        r, w = os.pipe()
        os.set_blocking(w, False)
        for chunk in (b'x' * 4096, b'x'):
            try:
                while True:
                    os.write(w, chunk)
            except BlockingIOError:
                pass
        os.set_blocking(w, True)  # the daemon shares this file description
        return r, w

    def test_export_to_a_pipe_nobody_reads(self):
        problems = []
        for what, method, signature, args in self.EXPORTS:
            what += ' to a full pipe nobody reads'
            r, w = self.full_pipe()
            thread, box = self.pending(method, signature, args, w)
            os.close(w)
            thread.join(scaled(0.5))
            trouble = self.daemon_trouble()
            if trouble:
                problems.append(f'{what}: while it waits, {trouble}')
            # Refused at once (only a regular file is written to), or, had
            # it waited, failing with EPIPE once the reader gives up: no
            # SIGPIPE may kill the daemon.
            os.close(r)
            thread.join(scaled(10))
            self.expect(problems, what + ', then closed',
                        box.get('reply', Reply(timed_out=True)), INVALID,
                        FAILED)
        self.report(problems)


class ArgumentTest(DirectCallCase):
    '''The other methods with ids that name nothing, times at the ends of
    int64, wrong-typed and oversized values.'''

    def setUp(self):
        super().setUp()
        self.ana = self.add('Ana Silva', facts=v(
            'a(ss)', [('need', 'a UX designer')]))
        self.bo = self.add('Bo Berg', facts=v('a(ss)', [('offer',
                                                          'UX design')]))
        self.ok('LogInteraction', '(xsxs)',
                (self.ana, 'call', self.now - 40 * 86400, 'coffee'))
        self.follow_up = self.ok('AddFollowUp', '(xxs)',
                                 (self.bo, self.now + 86400, 'the deck'))[0]

    def table(self, calls, check_unchanged=True):
        '''CALLS: (method, signature, args, expected error name or None
        for success). Runs them all, then fails with every one that got
        something else or hurt the daemon; refused calls change nothing.'''
        problems = []
        before = self.snapshot()
        for method, signature, args, expected in calls:
            what = f'{method}{args!r}'
            if len(what) > 100:
                what = what[:100] + '...)'
            self.expect(problems, what, self.call(method, signature, args),
                        expected)
        if check_unchanged and self.snapshot() != before:
            problems.append('the refused calls changed the data')
        self.report(problems)

    def test_ids_that_name_nothing(self):
        calls = []
        for cid in (0, -1, INT64_MAX, INT64_MIN, 999):
            calls += [
                ('GetContact', '(x)', (cid,), NOT_FOUND),
                ('RemoveContact', '(x)', (cid,), NOT_FOUND),
                ('UpdateContact', '(xa{sv})',
                 (cid, {'note': v('s', 'x')}), NOT_FOUND),
                ('LogInteraction', '(xsxs)', (cid, 'call', 0, ''), NOT_FOUND),
                ('Snooze', '(xx)', (cid, self.now + 86400), NOT_FOUND),
                ('Snooze', '(xx)', (cid, 0), NOT_FOUND),
                ('SetPaused', '(xb)', (cid, True), NOT_FOUND),
                ('AddFollowUp', '(xxs)', (cid, self.now + 60, 't'),
                 NOT_FOUND),
                ('CompleteFollowUp', '(x)', (cid,), NOT_FOUND),
                ('RemoveFollowUp', '(x)', (cid,), NOT_FOUND),
                ('Introduce', '(xxsa{sv})', (cid, self.ana, '', {}), NOT_FOUND),
                ('Introduce', '(xxsa{sv})', (self.ana, cid, '', {}), NOT_FOUND),
                ('DeclineIntro', '(xx)', (cid, self.bo), NOT_FOUND),
                ('ReviewLater', '(xx)', (cid, 0), NOT_FOUND),
                ('ReviewLater', '(xx)', (cid, self.now + 86400), NOT_FOUND),
            ]
        self.table(calls)

    def test_snooze_until(self):
        self.table([
            ('Snooze', '(xx)', (self.ana, -2), INVALID),
            ('Snooze', '(xx)', (self.ana, -100000), INVALID),
            ('Snooze', '(xx)', (self.ana, INT64_MIN), INVALID),
        ])

    def test_get_due_within(self):
        self.table([
            ('GetDue', '(xa{sv})', (-1, {}), INVALID),
            ('GetDue', '(xa{sv})', (INT64_MIN, {}), INVALID),
        ])
        contacts, follow_ups = self.ok('GetDue', '(xa{sv})', (INT64_MAX, {}))
        self.assertEqual({c['id'] for c in contacts}, {self.ana, self.bo})
        self.assertEqual([f['id'] for f in follow_ups], [self.follow_up])

    def test_limit_option(self):
        # "limit" is a u: any other type is refused, not read as "all";
        # 0 means no limit and the largest u is no trouble.
        far = INT64_MAX
        self.table([
            ('ListContacts', '(a{sv})', ({'limit': v('i', 1)},), INVALID),
            ('ListContacts', '(a{sv})', ({'limit': v('x', -1)},), INVALID),
            ('ListContacts', '(a{sv})', ({'limit': v('s', '1')},), INVALID),
            ('GetDue', '(xa{sv})', (far, {'limit': v('i', 1)}), INVALID),
            ('GetDue', '(xa{sv})', (far, {'limit': v('t', 1)}), INVALID),
            ('GetDue', '(xa{sv})', (far, {'count': v('u', 1)}), INVALID),
        ])
        everyone = self.ok('ListContacts', '(a{sv})', ({},))[0]
        self.assertGreaterEqual(len(everyone), 2)
        # 0 is the most a reply holds (1000); more is refused (PagingArgs).
        for limit in (0, 1000):
            self.assertEqual(self.ok('ListContacts', '(a{sv})',
                                     ({'limit': v('u', limit)},))[0],
                             everyone)
        self.assertEqual(self.ok('ListContacts', '(a{sv})',
                                 ({'limit': v('u', 1)},))[0], everyone[:1])
        contacts, follow_ups = self.ok('GetDue', '(xa{sv})', (far, {}))
        for limit in (0, 1000):
            self.assertEqual(self.ok('GetDue', '(xa{sv})',
                                     (far, {'limit': v('u', limit)})),
                             (contacts, follow_ups))
        self.assertEqual(self.ok('GetDue', '(xa{sv})',
                                 (far, {'limit': v('u', 1)})),
                         (contacts[:1], follow_ups[:1]))
        problems = []
        self.check_alive(problems, 'limit')
        self.report(problems)

    def test_log_interaction_kind_and_time(self):
        self.table([
            ('LogInteraction', '(xsxs)', (self.ana, 'telepathy', 0, ''),
             INVALID),
            ('LogInteraction', '(xsxs)', (self.ana, 'CALL ', 0, ''), INVALID),
            ('LogInteraction', '(xsxs)',
             (self.ana, 'call', self.now + 365 * 86400, ''), INVALID),
            ('LogInteraction', '(xsxs)', (self.ana, 'call', YEAR_10000, ''),
             INVALID),
            ('LogInteraction', '(xsxs)', (self.ana, 'call', INT64_MAX, ''),
             INVALID),
        ])

    def test_log_interaction_before_1970(self):
        # 0 means now; a negative time is no time. Today the daemon records
        # these silently as "now".
        self.table([
            ('LogInteraction', '(xsxs)', (self.ana, 'call', -1, ''), INVALID),
            ('LogInteraction', '(xsxs)',
             (self.ana, 'call', 0, 'n' * (20 << 20)), INVALID),
            ('LogInteraction', '(xsxs)', (self.ana, 'call', INT64_MIN, ''),
             INVALID),
        ])

    def test_times_past_the_calendar(self):
        # A time GDateTime cannot show (year 10000 and later) cannot be
        # displayed or exported; it must be refused, not stored. A far but
        # real date still works.
        self.table([
            ('Snooze', '(xx)', (self.ana, YEAR_10000), INVALID),
            ('Snooze', '(xx)', (self.ana, INT64_MAX), INVALID),
            ('AddFollowUp', '(xxs)', (self.ana, YEAR_10000, 't'), INVALID),
            ('AddFollowUp', '(xxs)', (self.ana, INT64_MAX, 't'), INVALID),
            ('AddFollowUp', '(xxs)', (self.ana, INT64_MIN, 't'), INVALID),
        ])
        year_2100 = 4102444800
        self.ok('Snooze', '(xx)', (self.ana, year_2100))
        self.assertEqual(self.ok('GetContact', '(x)', (self.ana,))[0]
                         ['snoozed_until'], year_2100)
        self.ok('AddFollowUp', '(xxs)', (self.bo, year_2100, 'far'))

    def test_wrong_typed_fields(self):
        name = v('s', 'Xavier')
        calls = []
        for fields in (
                {'name': v('x', 5)},
                {'name': v('as', ['Xavier'])},
                {'name': name, 'email': v('i', 1)},
                {'name': name, 'tags': v('s', 'family')},
                {'name': name, 'interval_seconds': v('s', '2w')},
                {'name': name, 'interval_seconds': v('i', 86400)},
                {'name': name, 'interval_seconds': v('x', -1)},
                {'name': name, 'interval_seconds': v('x', INT64_MAX)},
                {'name': name, 'facts': v('as', ['goal'])},
                {'name': name, 'facts': v('a(ss)', [('hobby', 'chess')])},
                {'name': name, 'birthday': v('s', '2020-13-45')},
                {'name': name, 'birthday': v('x', 0)},
                {'name': name, 'no_such_field': v('s', 'y')},
                # Past the size limits (docs/design.md §5).
                {'name': v('s', 'N' * (20 << 20))},
                {'name': name, 'note': v('s', 'n' * (20 << 20))},
                {'name': name, 'company': v('s', 'c' * 1001)},
                {'name': name, 'url': v('s', 'https://e.org/' + 'u' * 5000)},
                {'name': name, 'tags': v('as', ['t' * (1 << 20)])},
                {'name': name, 'tags': v('as', [f't{i}' for i in range(201)])},
                {'name': name, 'facts': v('a(ss)', [('goal', 'g' * 2001)])},
                {},
                {'name': v('s', '')}):
            calls.append(('AddContact', '(a{sv})', (fields,), INVALID))
            if fields.get('name') is name:
                calls.append(('UpdateContact', '(xa{sv})',
                              (self.ana, {key: value for key, value in
                                          fields.items() if key != 'name'}),
                              INVALID))
        calls += [
            ('UpdateContact', '(xa{sv})', (self.ana, {'name': v('i', 1)}),
             INVALID),
            ('UpdateContact', '(xa{sv})', (self.ana, {'name': v('s', '')}),
             INVALID),
        ]
        self.table(calls)

    def test_wrong_typed_options_and_filters(self):
        # A wrong-typed option is an error, not silently the default: a
        # dry_run that is ignored imports for real.
        problems = []
        before = self.snapshot()
        vcf = os.path.join(DATA, 'sample.vcf')
        for options in ({'dry_run': v('s', 'true')},
                        {'dry_run': v('i', 1)},
                        {'interval_seconds': v('s', '2w'),
                         'dry_run': v('b', True)},
                        {'tag': v('as', ['x']), 'dry_run': v('b', True)},
                        {'filename': v('i', 3), 'dry_run': v('b', True)}):
            fd = os.open(vcf, os.O_RDONLY)
            try:
                reply = self.call('Import', '(hsa{sv})',
                                  (0, 'vcard', options), [fd])
            finally:
                os.close(fd)
            self.expect(problems, f'Import options {options!r}', reply,
                        INVALID)
        # A file forced into the new CSV formats it is not: a typed error.
        for fmt in ('outlook', 'thunderbird', 'OUTLOOK', 'outlook\n'):
            fd = os.open(vcf, os.O_RDONLY)
            try:
                reply = self.call('Import', '(hsa{sv})', (0, fmt, {}), [fd])
            finally:
                os.close(fd)
            self.expect(problems, f'Import of a vCard as {fmt!r}', reply,
                        ERROR)
        # Right type, out of range: refused, not an import with an interval
        # nobody can read or a silent default.
        for interval in (-1, -INT64_MAX - 1, INT64_MAX):
            fd = os.open(vcf, os.O_RDONLY)
            try:
                reply = self.call('Import', '(hsa{sv})',
                                  (0, 'vcard',
                                   {'interval_seconds': v('x', interval)}),
                                  [fd])
            finally:
                os.close(fd)
            self.expect(problems, f'Import interval_seconds {interval}',
                        reply, INVALID)
        null = os.open('/dev/null', os.O_WRONLY)
        try:
            reply = self.call('Export', '(sha{sv})',
                              ('ics', 0, {'todo': v('s', 'yes')}), [null])
        finally:
            os.close(null)
        self.expect(problems, "Export ics options {'todo': 's'}", reply,
                    INVALID)
        for filter_ in ({'tag': v('i', 3)}, {'due': v('s', 'yes')},
                        {'never': v('i', 1)}):
            self.expect(problems, f'ListContacts {filter_!r}',
                        self.call('ListContacts', '(a{sv})', (filter_,)),
                        INVALID)
        if self.snapshot() != before:
            problems.append('the refused calls changed the data')
        self.report(problems)

    def test_naming_queries(self):
        # Nothing to look for, or a megabyte of it; options of the wrong
        # type or out of range. Each is refused, naming what is wrong.
        huge = 'ana ' * (1 << 18)
        match = 'MatchContacts'
        calls = [
            ('ResolveContact', '(s)', ('',), INVALID),
            ('ResolveContact', '(s)', (' \t ',), INVALID),
            ('ResolveContact', '(s)', (huge,), INVALID),
            ('ResolveContact', '(s)', ('ana' + 'a' * 1022,), INVALID),
            ('ResolveContact', '(s)', (str(INT64_MAX),), NOT_FOUND),
            ('ResolveContact', '(s)', ('nobody',), NOT_FOUND),
            (match, '(sa{sv})', ('', {}), INVALID),
            (match, '(sa{sv})', ('  ', {}), INVALID),
            (match, '(sa{sv})', (huge, {}), INVALID),
            (match, '(sa{sv})', ('ana', {'limit': v('u', 0)}), INVALID),
            (match, '(sa{sv})', ('ana', {'limit': v('i', 5)}), INVALID),
            (match, '(sa{sv})', ('ana', {'limit': v('x', 5)}), INVALID),
            (match, '(sa{sv})', ('ana', {'limit': v('s', '5')}), INVALID),
            (match, '(sa{sv})', ('ana', {'limit': v('au', [5])}), INVALID),
            (match, '(sa{sv})', ('ana', {'lmit': v('u', 5)}), INVALID),
            (match, '(sa{sv})', ('ana', {'limit': v('u', UINT32_MAX)}),
             None),
            (match, '(sa{sv})', ('nobody', {}), None),
            (match, '(sa{sv})', (str(INT64_MAX), {}), None),
            (match, '(sa{sv})', ('-1', {}), None),
        ]
        self.table(calls)
        candidates, total = self.ok(match, '(sa{sv})', ('ana', {}))
        self.assertEqual(([c['id'] for c in candidates], total),
                         ([self.ana], 1))
        self.assertEqual(candidates[0]['match'], 'word')
        self.assertEqual(candidates[0]['name'], 'Ana Silva')
        candidates, total = self.ok(match, '(sa{sv})', (str(self.bo), {}))
        self.assertEqual([(c['id'], c['match']) for c in candidates],
                         [(self.bo, 'id')])
        self.assertEqual(self.ok(match, '(sa{sv})', ('nobody', {})),
                         ([], 0))
        # A huge limit is the most, 100; the total counts them all.
        for i in range(105):
            self.add(f'Cap {i:03d}')
        candidates, total = self.ok(match, '(sa{sv})',
                                    ('cap', {'limit': v('u', UINT32_MAX)}))
        self.assertEqual((len(candidates), total), (100, 105))
        self.assertEqual([c['name'] for c in candidates],
                         [f'Cap {i:03d}' for i in range(100)])
        candidates, total = self.ok(match, '(sa{sv})', ('cap', {}))
        self.assertEqual((len(candidates), total), (10, 105))
        reply = self.call('ResolveContact', '(s)', ('cap',))
        self.assertEqual(reply.error, ERROR + 'Ambiguous')
        self.assertIn('105 contacts', reply.message)
        self.assertIn('and 95 more', reply.message)

    def test_suggest_intros_limits(self):
        everything = self.ok('SuggestIntros', '(u)', (0,))[0]
        self.assertTrue(any({s['a_id'], s['b_id']} == {self.ana, self.bo}
                            for s in everything), everything)
        self.assertLessEqual(len(everything), 500)
        self.assertEqual(self.ok('SuggestIntros', '(u)', (UINT32_MAX,))[0],
                         everything)
        self.assertEqual(self.ok('SuggestIntros', '(u)', (1,))[0],
                         everything[:1])
        problems = []
        self.check_alive(problems, 'SuggestIntros')
        self.report(problems)

    def test_search_contacts(self):
        # Text is only ever words: FTS5 syntax is searched for, never run,
        # and no text, however long or odd, hurts the daemon.
        search = '(sa{sv})'
        calls = [
            ('SearchContacts', search, ('', {}), INVALID),
            ('SearchContacts', search, ('   ', {}), INVALID),
            ('SearchContacts', search, ('x' * (1 << 20), {}), INVALID),
            ('SearchContacts', search, ('ana ' * 100, {}), INVALID),
            ('SearchContacts', search, ('ana', {'limit': v('i', 5)}),
             INVALID),
            ('SearchContacts', search, ('ana', {'limit': v('i', -1)}),
             INVALID),
            ('SearchContacts', search, ('ana', {'limit': v('x', -1)}),
             INVALID),
            ('SearchContacts', search, ('ana', {'limit': v('s', '5')}),
             INVALID),
            ('SearchContacts', search, ('ana', {'limit': v('u', 0)}),
             INVALID),
            ('SearchContacts', search, ('ana', {'lmit': v('u', 5)}),
             INVALID),
            ('SearchContacts', search, ('ana', {'limit': v('u', 1)}), None),
            ('SearchContacts', search,
             ('ana', {'limit': v('u', UINT32_MAX)}), None),
        ]
        for text in ('"', '*', '-', ':', '^', '(', ')', '""', '" * "'):
            calls.append(('SearchContacts', search, (text, {}), INVALID))
        for text in ('ana"', 'ana*', 'NEAR(ana bo)', 'NEAR(ana', 'ana OR bo',
                     'ana AND bo', '" OR "', 'NOT bo', '-bo', 'name:ana', '{name}:ana',
                     'ana:', '^ana', 'ana + bo', '(ana', 'ana)', "'ana'",
                     'ana\\', '\x01ana', 'ana\u200bsilva', 'ä' * 500):
            calls.append(('SearchContacts', search, (text, {}), None))
        self.table(calls)
        # The operators did nothing: "OR" is a word nobody has, "-bo" is Bo.
        found = self.ok('SearchContacts', search, ('ana OR bo', {}))
        self.assertEqual(found, ([], 0))
        found = self.ok('SearchContacts', search, ('-bo', {}))
        self.assertEqual([c['id'] for c in found[0]], [self.bo])
        found = self.ok('SearchContacts', search,
                        ('silva', {'limit': v('u', UINT32_MAX)}))
        self.assertEqual([c['id'] for c in found[0]], [self.ana])
        self.assertEqual(found[0][0]['matched'], ['name'])

    def test_review_queue_options(self):
        # A wrong-typed limit is refused, not taken as the default.
        calls = [('GetReviewQueue', '(a{sv})', (options,), INVALID)
                 for options in ({'limit': v('i', 5)},
                                 {'limit': v('s', '5')},
                                 {'limit': v('x', 5)},
                                 {'limit': v('au', [5])},
                                 {'lmit': v('u', 5)},
                                 {'limit': v('u', 5), 'sort': v('s', 'x')})]
        self.table(calls)
        self.ok('SetTracking', '(xsx)', (self.bo, 'not-tracked', 0))
        contacts, total = self.ok('GetReviewQueue', '(a{sv})', ({},))
        self.assertEqual(([c['id'] for c in contacts], total), ([self.bo], 1))
        self.assertIn('reason', contacts[0])
        # 0: only the count; a huge limit is the largest page.
        self.assertEqual(self.ok('GetReviewQueue', '(a{sv})',
                                 ({'limit': v('u', 0)},)), ([], 1))
        self.assertEqual(self.ok('GetReviewQueue', '(a{sv})',
                                 ({'limit': v('u', UINT32_MAX)},)),
                         (contacts, 1))
        problems = []
        self.check_alive(problems, 'GetReviewQueue')
        self.report(problems)

    def test_review_later(self):
        self.ok('SetTracking', '(xsx)', (self.bo, 'not-tracked', 0))
        self.table([
            # Only a contact waiting in the queue can wait longer.
            ('ReviewLater', '(xx)', (self.ana, 0), INVALID),
            ('ReviewLater', '(xx)', (self.bo, -1), INVALID),
            ('ReviewLater', '(xx)', (self.bo, INT64_MIN), INVALID),
            ('ReviewLater', '(xx)', (self.bo, self.now - 60), INVALID),
            ('ReviewLater', '(xx)', (self.bo, YEAR_10000), INVALID),
            ('ReviewLater', '(xx)', (self.bo, INT64_MAX), INVALID),
        ])
        self.ok('ReviewLater', '(xx)', (self.bo, self.now + 86400))
        self.assertEqual(self.ok('GetReviewQueue', '(a{sv})', ({},)), ([], 0))
        self.ok('SetTracking', '(xsx)', (self.bo, 'ignored', 0))
        self.table([('ReviewLater', '(xx)', (self.bo, 0), INVALID)])

    def test_control_characters_are_not_stored(self):
        # A name or note sent over the bus would later reach a terminal
        # (list, show) or a notification: escape sequences are not kept,
        # a note keeps its lines.
        cid = self.add('Evil\x1b]0;PWNED\x07\x1b[31mRed\tName',
                       company=v('s', 'Acme\x1b[2J'),
                       note=v('s', 'line one\x1b[2J\nline two'))
        contact = self.ok('GetContact', '(x)', (cid,))[0]
        self.assertEqual(contact['name'], 'Evil ]0;PWNED [31mRed Name')
        self.assertEqual(contact['company'], 'Acme [2J')
        self.assertEqual(contact['note'], 'line one [2J\nline two')
        # An update cleans the same way, and "" still clears a field.
        self.ok('UpdateContact', '(xa{sv})',
                (cid, {'name': v('s', '\x1b[1mBo\x01ld'),
                       'company': v('s', '')}))
        contact = self.ok('GetContact', '(x)', (cid,))[0]
        self.assertEqual(contact['name'], '[1mBo ld')
        self.assertNotIn('company', contact)

    def test_undo_arguments(self):
        # Options of Undo and ListChanges are checked before anything is
        # taken back: a refused call undoes nothing.
        self.table([
            ('Undo', '(a{sv})', ({'all': v('b', True)},), INVALID),
            ('Undo', '(a{sv})', ({'limit': v('u', 1)},), INVALID),
            ('Undo', '(a{sv})', ({'': v('s', '')},), INVALID),
            ('ListChanges', '(a{sv})', ({'limit': v('i', 1)},), INVALID),
            ('ListChanges', '(a{sv})', ({'limit': v('u', 0)},), INVALID),
            ('ListChanges', '(a{sv})', ({'limit': v('s', '1')},), INVALID),
            ('ListChanges', '(a{sv})', ({'limit': v('x', -1)},), INVALID),
            ('ListChanges', '(a{sv})', ({'since': v('x', 0)},), INVALID),
            ('ListChanges', '(a{sv})', ({'x' * 1000000: v('u', 1)},),
             INVALID),
        ])
        changes, total = self.ok('ListChanges', '(a{sv})',
                                 ({'limit': v('u', UINT32_MAX)},))
        # The fixture's four writes, the newest first.
        self.assertEqual([c['verb'] for c in changes],
                         ['follow-up', 'log', 'add', 'add'])
        self.assertEqual(total, 4)
        self.assertEqual(self.ok('ListChanges', '(a{sv})',
                                 ({'limit': v('u', 1)},)), (changes[:1], 4))
        for change in changes:
            self.assertEqual(self.ok('Undo', '(a{sv})', ({},))[0]['id'],
                             change['id'])
        self.table([('Undo', '(a{sv})', ({},), NOT_FOUND)])
        self.assertEqual(self.ok('ListContacts', '(a{sv})', ({},))[0], [])
        problems = []
        self.check_alive(problems, 'Undo')
        self.report(problems)

    def test_introduce_to_oneself(self):
        self.table([
            ('Introduce', '(xxsa{sv})', (self.ana, self.ana, '', {}), INVALID),
            ('Introduce', '(xxsa{sv})', (self.ana, self.ana, 'note', {}), INVALID),
        ])
        self.assertEqual(self.ok('GetStats')[0]['introductions'], 0)

    def test_history_methods(self):
        history, total = self.ok('ListInteractions', '(xa{sv})',
                                 (self.ana, {}))
        self.assertEqual(total, 1)
        iid = history[0]['id']
        fact = self.ok('GetContact', '(x)', (self.ana,))[0]['facts'][0]['id']
        calls = []
        for bad in (0, -1, INT64_MAX, INT64_MIN, 999):
            calls += [
                ('ListInteractions', '(xa{sv})', (bad, {}), NOT_FOUND),
                ('RemoveInteraction', '(x)', (bad,), NOT_FOUND),
                ('UpdateInteraction', '(xa{sv})',
                 (bad, {'note': v('s', 'x')}), NOT_FOUND),
                ('RemoveFact', '(x)', (bad,), NOT_FOUND),
            ]
        calls += [
            ('ListInteractions', '(xa{sv})', (self.ana, {'limit': v('u', 0)}),
             INVALID),
            ('ListInteractions', '(xa{sv})', (self.ana, {'limit': v('i', 1)}),
             INVALID),
            ('ListInteractions', '(xa{sv})',
             (self.ana, {'x' * 1000000: v('u', 1)}), INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {}), INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'kind': v('s', 'x')}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'kind': v('s', '')}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'kind': v('i', 1)}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'at': v('s', 'now')}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'at': v('x', 0)}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'at': v('x', -1)}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'at': v('x', INT64_MAX)}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})',
             (iid, {'at': v('x', self.now + 86400)}), INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'note': v('as', [])}),
             INVALID),
            ('UpdateInteraction', '(xa{sv})', (iid, {'who': v('s', 'x')}),
             INVALID),
        ]
        self.table(calls)
        self.assertEqual(self.ok('ListInteractions', '(xa{sv})',
                                 (self.ana, {'limit': v('u', UINT32_MAX)})),
                         (history, 1))
        self.assertEqual(self.ok('UpdateInteraction', '(xa{sv})',
                                 (iid, {'note': v('s', 'x' * 100000)}))[0],
                         self.ana)
        self.assertEqual(self.ok('RemoveInteraction', '(x)', (iid,))[0],
                         self.ana)
        self.ok('RemoveFact', '(x)', (fact,))
        self.table([('RemoveInteraction', '(x)', (iid,), NOT_FOUND),
                    ('RemoveFact', '(x)', (fact,), NOT_FOUND)])
        self.assertEqual(
            [c['verb'] for c in self.ok('ListChanges', '(a{sv})', ({},))[0]
             [:3]], ['fact rm', 'history rm', 'history edit'])

    def test_duplicates_and_their_options(self):
        bo = self.add('Cy Chen', email=v('s', 'cy@example.org'))
        self.ok('Introduce', '(xxsa{sv})', (self.ana, bo, '', {}))
        name = v('s', 'Ana Silva')
        self.table([
            ('AddContact', '(a{sv})', ({'name': name},), EXISTS),
            ('AddContact', '(a{sv})', ({'name': v('s', 'Zed'),
                                        'email': v('s', ' CY@example.org')},),
             EXISTS),
            ('AddContact', '(a{sv})', ({'name': name, 'new': v('b', False)},),
             EXISTS),
            ('AddContact', '(a{sv})', ({'name': name, 'new': v('s', 'yes')},),
             INVALID),
            ('AddContact', '(a{sv})', ({'name': name, 'new': v('i', 1)},),
             INVALID),
            ('AddContact', '(a{sv})', ({'new': v('b', True)},), INVALID),
            ('Introduce', '(xxsa{sv})', (self.ana, bo, '', {}), EXISTS),
            ('Introduce', '(xxsa{sv})', (bo, self.ana, 'x' * 100000, {}),
             EXISTS),
            ('Introduce', '(xxsa{sv})',
             (self.ana, bo, '', {'again': v('s', 'true')}), INVALID),
            ('Introduce', '(xxsa{sv})',
             (self.ana, bo, '', {'again': v('b', True),
                                 'x' * 1000000: v('b', True)}), INVALID),
            ('Introduce', '(xxsa{sv})',
             (self.ana, INT64_MAX, '', {'again': v('b', True)}), NOT_FOUND),
        ])
        self.ok('AddContact', '(a{sv})', ({'name': name, 'new': v('b', True)},))
        self.ok('Introduce', '(xxsa{sv})', (self.ana, bo, '',
                                            {'again': v('b', True)}))



DBUS_INVALID_ARGS = 'org.freedesktop.DBus.Error.InvalidArgs'
UNKNOWN_METHOD = 'org.freedesktop.DBus.Error.UnknownMethod'


class CompletionArgsTest(DirectCallCase):
    '''CompleteNames and CompleteTags (the shell's Tab): prefixes empty,
    huge, invalid UTF-8-free but odd, limits at the ends of uint32, wrong
    types; none may fail other than with InvalidArgument, nor hurt the
    daemon, nor change data.'''

    def setUp(self):
        super().setUp()
        self.add('Ana Silva', tags=v('as', ['work']))
        self.add('Anabel Ortiz')
        self.add('Zoë Martin', tags=v('as', ['Équipe']))

    def test_complete_names_and_tags(self):
        self.assertEqual(self.ok('CompleteNames', '(su)', ('an', 10))[0],
                         ['Ana Silva', 'Anabel Ortiz'])
        self.assertEqual(self.ok('CompleteNames', '(su)', ('ZOE', 10))[0],
                         ['Zoë Martin'])
        self.assertEqual(self.ok('CompleteNames', '(su)', ('an', 1))[0],
                         ['Ana Silva'])
        self.assertEqual(self.ok('CompleteNames', '(su)', ('ana ', 10))[0],
                         ['Ana Silva'])
        self.assertEqual(len(self.ok('CompleteNames', '(su)',
                                     ('', UINT32_MAX))[0]), 3)
        self.assertEqual(self.ok('CompleteTags', '(su)', ('', 10))[0],
                         ['work', 'équipe'])
        self.assertEqual(self.ok('CompleteTags', '(su)', ('ÉQ', 10))[0],
                         ['équipe'])
        problems = []
        before = self.snapshot()
        for method in ('CompleteNames', 'CompleteTags'):
            for args, expected in [
                    (('an', 0), INVALID),
                    (('x' * 1025, 10), INVALID),
                    (('x' * 1000000, 10), INVALID),
                    (('\U0010ffff', 10), None),
                    (('%', 10), None),
                    (('_', 10), None),
                    (("' OR 1=1 --", 10), None),
                    (('\t\n', 10), None),
                    (('\u0301', 10), None),
            ]:
                what = f'{method}{args!r}'[:100]
                self.expect(problems, what,
                            self.call(method, '(su)', args), expected)
            for sig, args in [('(s)', ('an',)), ('(us)', (1, 'an')),
                              ('(si)', ('an', -1)), ('()', ())]:
                self.expect(problems, f'{method}{sig}',
                            self.call(method, sig, args), DBUS_INVALID_ARGS)
        # None of the odd prefixes matched a name.
        for prefix in ('%', '_', "' OR 1=1 --"):
            self.assertEqual(self.ok('CompleteNames', '(su)',
                                     (prefix, 10))[0], [])
        if self.snapshot() != before:
            problems.append('completion changed the data')
        self.report(problems)


class SourcesArgumentTest(DirectCallCase):
    '''ListSources, ScanSources, ForgetSource, AddContactEmail and
    RemoveContactEmail with wrong names, options, times and sizes; a
    Maildir source is configured, so a scan has something to read.'''

    table = ArgumentTest.table

    def setUp(self):
        super().setUp()
        self.ana = self.add('Ana Silva')
        sent = os.path.join(self.home, 'Sent')
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(sent, sub), exist_ok=True)
        self.write_config({'sources': {'maildir': '~/Sent',
                                       'my-addresses': 'me@example.org'}})
        self.wait_for(lambda: len(self.ok('ListSources', '(a{sv})',
                                          ({},))[0]) == 1)

    def test_source_arguments(self):
        many = v('as', ['maildir:~/nope'] * 10000)
        self.table([
            ('ListSources', '(a{sv})', ({'limit': v('u', 1)},), INVALID),
            ('ScanSources', '(a{sv})', ({'names': v('s', 'x')},), INVALID),
            ('ScanSources', '(a{sv})', ({'names': v('as', ['nope'])},),
             NOT_FOUND),
            ('ScanSources', '(a{sv})', ({'names': v('as', [''])},),
             NOT_FOUND),
            ('ScanSources', '(a{sv})', ({'names': many},), NOT_FOUND),
            ('ScanSources', '(a{sv})', ({'names': v('as', ['x' * 1000000])},),
             NOT_FOUND),
            ('ScanSources', '(a{sv})', ({'since': v('x', INT64_MAX)},),
             INVALID),
            ('ScanSources', '(a{sv})', ({'since': v('x', INT64_MIN)},),
             INVALID),
            ('ScanSources', '(a{sv})', ({'since': v('x', 0)},), INVALID),
            ('ScanSources', '(a{sv})', ({'since': v('x', self.now + 3600)},),
             INVALID),
            ('ScanSources', '(a{sv})', ({'since': v('i', 5)},), INVALID),
            ('ScanSources', '(a{sv})', ({'who': v('s', 'x')},), INVALID),
            ('ForgetSource', '(s)', ('',), INVALID),
            ('AddContactEmail', '(xs)', (999, 'a@example.org'), NOT_FOUND),
            ('AddContactEmail', '(xs)', (INT64_MIN, 'a@example.org'),
             NOT_FOUND),
            ('AddContactEmail', '(xs)', (self.ana, ''), INVALID),
            ('AddContactEmail', '(xs)', (self.ana, ' \t\x01 '), INVALID),
            ('AddContactEmail', '(xs)', (self.ana, 'x' * 1001), INVALID),
            ('RemoveContactEmail', '(xs)', (self.ana, 'no@example.org'),
             NOT_FOUND),
            ('RemoveContactEmail', '(xs)', (999, 'no@example.org'),
             NOT_FOUND),
            ('RemoveContactEmail', '(xs)', (self.ana, ''), INVALID),
        ])
        # What is allowed: forgetting what nothing found, an old since, a
        # scan of the one source by name, an address with escapes cleaned.
        self.assertEqual(self.ok('ForgetSource', '(s)', ('x' * 100000,)),
                         (0,))
        result = self.ok('ScanSources', '(a{sv})',
                         ({'names': v('as', ['maildir:~/Sent']),
                           'since': v('x', 1)},))[0]
        self.assertEqual((result['scanned'], result['errors']), (1, []))
        # An address with a control character is refused, not repaired
        # (test_addresses.py); a clean one is added.
        self.table([('AddContactEmail', '(xs)',
                     (self.ana, 'Ana@Work\x1b[2J.example'), INVALID)])
        self.ok('AddContactEmail', '(xs)', (self.ana, 'Ana@Work.example'))
        contact = self.ok('GetContact', '(x)', (self.ana,))[0]
        work = contact['email']
        self.assertNotIn('\x1b', work)
        self.ok('AddContactEmail', '(xs)', (self.ana, 'ana@home.example'))
        self.ok('AddContactEmail', '(xs)', (self.ana, 'ANA@HOME.example'))
        contact = self.ok('GetContact', '(x)', (self.ana,))[0]
        self.assertEqual(contact['emails'], ['ana@home.example'])
        self.ok('RemoveContactEmail', '(xs)', (self.ana, work.upper()))
        contact = self.ok('GetContact', '(x)', (self.ana,))[0]
        self.assertEqual(contact['email'], 'ana@home.example')
        self.assertNotIn('emails', contact)



class PagingArgs(DirectCallCase):
    '''WriteDueRows, the "format" of WriteContactRows, the most a reply of
    records holds, and ListInteractions' offset.'''

    table = ArgumentTest.table

    def setUp(self):
        super().setUp()
        self.ana = self.add('Ana Silva')
        self.bo = self.add('Bo Berg')
        self.ok('LogInteraction', '(xsxs)',
                (self.ana, 'call', self.now - 40 * 86400, 'coffee'))
        self.follow_up = self.ok('AddFollowUp', '(xxs)',
                                 (self.bo, self.now + 86400, 'the deck'))[0]

    def memfd_call(self, method, signature, args):
        fd = os.memfd_create('rows')
        try:
            return self.call(method, signature, args, [fd])
        finally:
            os.close(fd)

    def test_write_due_rows_arguments(self):
        problems = []
        day = 86400
        for options, expected in (
                ({}, None),
                ({'format': v('s', 'records')}, None),
                ({'format': v('s', 'rows'), 'limit': v('u', 1)}, None),
                ({'limit': v('u', UINT32_MAX)}, None),
                ({'format': v('s', 'xml')}, INVALID),
                ({'format': v('s', '')}, INVALID),
                ({'format': v('i', 1)}, INVALID),
                ({'format': v('s', 'x' * 1000000)}, INVALID),
                ({'limit': v('i', 1)}, INVALID),
                ({'limit': v('x', -1)}, INVALID),
                ({'offset': v('u', 1)}, INVALID),
                ({'format': v('s', 'records'), 'only': v('s', 'contacts'),
                  'after': v('(xx)', (INT64_MAX, INT64_MAX))}, None),
                ({'format': v('s', 'records'), 'only': v('s', 'follow-ups'),
                  'after': v('(xx)', (INT64_MIN, INT64_MIN))}, None),
                ({'only': v('s', 'contacts')}, INVALID),
                ({'format': v('s', 'records'), 'only': v('s', 'both')},
                 INVALID),
                ({'format': v('s', 'records'), 'only': v('b', True)},
                 INVALID),
                ({'format': v('s', 'records'),
                  'after': v('(xx)', (0, 0))}, INVALID),
                ({'format': v('s', 'records'), 'only': v('s', 'contacts'),
                  'after': v('(ii)', (0, 0))}, INVALID),
                ({'format': v('s', 'records'), 'only': v('s', 'contacts'),
                  'after': v('x', 0)}, INVALID),
                ({'x' * 1000000: v('u', 1)}, INVALID)):
            self.expect(problems, f'WriteDueRows {list(options)[:1]}',
                        self.memfd_call('WriteDueRows', '(hxa{sv})',
                                        (0, day, options)), expected)
        for within in (-1, INT64_MIN):
            self.expect(problems, f'WriteDueRows within {within}',
                        self.memfd_call('WriteDueRows', '(hxa{sv})',
                                        (0, within, {})), INVALID)
        reply = self.memfd_call('WriteDueRows', '(hxa{sv})',
                                (0, INT64_MAX, {}))
        self.expect(problems, 'WriteDueRows within INT64_MAX', reply, None)
        if reply.ok and reply.value != (2, 1):
            problems.append(f'WriteDueRows within INT64_MAX: {reply}')
        for handle in BAD_HANDLES:
            self.expect(problems, f'WriteDueRows handle {handle}',
                        self.memfd_call('WriteDueRows', '(hxa{sv})',
                                        (handle, day, {})), INVALID)
        self.expect(problems, 'WriteDueRows without an fd',
                    self.call('WriteDueRows', '(hxa{sv})', (0, day, {}), []),
                    INVALID)
        for kind, opener in (
                ('a read-only file', lambda: os.open(
                    os.path.join(self.tmpdir, 'ro'),
                    os.O_RDONLY | os.O_CREAT)),
                ('a directory', lambda: os.open(
                    self.tmpdir, os.O_RDONLY | os.O_DIRECTORY)),
                ('/dev/full', lambda: os.open('/dev/full', os.O_WRONLY))):
            fd = opener()
            try:
                reply = self.call('WriteDueRows', '(hxa{sv})',
                                  (0, INT64_MAX, {}), [fd])
            finally:
                os.close(fd)
            self.expect(problems, f'WriteDueRows to {kind}', reply, INVALID,
                        FAILED)
        r, w = os.pipe()
        try:
            self.expect(problems, 'WriteDueRows to a pipe',
                        self.call('WriteDueRows', '(hxa{sv})',
                                  (0, INT64_MAX, {}), [w]), INVALID)
        finally:
            os.close(r)
            os.close(w)
        self.report(problems)

    def test_record_limits_and_formats(self):
        far = INT64_MAX
        self.table([
            ('ListContacts', '(a{sv})', ({'limit': v('u', 1001)},), INVALID),
            ('ListContacts', '(a{sv})', ({'limit': v('u', UINT32_MAX)},),
             INVALID),
            ('ListContacts', '(a{sv})', ({'format': v('s', 'rows')},),
             INVALID),
            ('ListContacts', '(a{sv})',
             ({'after': v('(xssx)', (0, 'tracked', 'a', 1))},), INVALID),
            ('GetDue', '(xa{sv})', (far, {'limit': v('u', 1001)}), INVALID),
            ('GetDue', '(xa{sv})', (far, {'limit': v('u', UINT32_MAX)}),
             INVALID),
            ('GetDue', '(xa{sv})', (far, {'format': v('s', 'rows')}),
             INVALID),
            ('ListInteractions', '(xa{sv})', (self.ana, {'offset': v('i', 1)}),
             INVALID),
            ('ListInteractions', '(xa{sv})', (self.ana, {'offset': v('x', 1)}),
             INVALID),
            ('ListInteractions', '(xa{sv})',
             (self.ana, {'offset': v('u', UINT32_MAX)}), None),
            ('ListInteractions', '(xa{sv})',
             (INT64_MAX, {'offset': v('u', 1)}), NOT_FOUND),
        ])
        problems = []
        for options, expected in (
                ({'format': v('s', 'records')}, None),
                ({'format': v('s', 'rows'), 'limit': v('u', UINT32_MAX)},
                 None),
                ({'format': v('s', 'json')}, INVALID),
                ({'format': v('b', True)}, INVALID),
                # A page after a place in the list: any place will do,
                # one that names no contact too.
                ({'format': v('s', 'records'),
                  'after': v('(xssx)', (0, 'tracked', 'Ana Silva',
                                        self.ana))}, None),
                ({'format': v('s', 'records'),
                  'after': v('(xssx)', (INT64_MAX, 'ignored', '',
                                        INT64_MAX))}, None),
                ({'format': v('s', 'records'),
                  'after': v('(xssx)', (INT64_MIN, 'not-tracked',
                                        'x' * 1000000, INT64_MIN))}, None),
                ({'format': v('s', 'records'),
                  'after': v('(xssx)', (-1, 'tracked', '\u202e\x1b',
                                        -1))}, None),
                ({'after': v('(xssx)', (0, 'tracked', 'a', 1))}, INVALID),
                ({'format': v('s', 'rows'),
                  'after': v('(xssx)', (0, 'tracked', 'a', 1))}, INVALID),
                ({'format': v('s', 'records'),
                  'after': v('(xssx)', (0, 'all', 'a', 1))}, INVALID),
                ({'format': v('s', 'records'),
                  'after': v('(xssx)', (0, '', 'a', 1))}, INVALID),
                ({'format': v('s', 'records'),
                  'after': v('(xx)', (0, 1))}, INVALID),
                ({'format': v('s', 'records'),
                  'after': v('x', 1)}, INVALID)):
            self.expect(problems, f'WriteContactRows {str(options)[:80]}',
                        self.memfd_call('WriteContactRows', '(ha{sv})',
                                        (0, options)), expected)
        self.report(problems)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
