#!/usr/bin/python3
# The calendar, end to end: `touchbase export --format ics`, the live
# calendar file the daemon keeps, and the push to a real Radicale server.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import tbtest

try:
    import icalendar
except ImportError:
    icalendar = None

CHECK_ICS = os.path.join(tbtest.SOURCE_DIR, 'tests', 'integration', 'check-ics.py')
RADICALE_USER = 'test'


def components(text):
    '''{UID: component} of the VEVENTs and VTODOs in TEXT.'''
    cal = icalendar.Calendar.from_ical(text)
    return {str(c['UID']): c for c in cal.walk()
            if c.name in ('VEVENT', 'VTODO')}


def libical_round_trip(text):
    '''UIDs of TEXT after libical parsed and re-serialised it.'''
    import gi
    gi.require_version('ICalGLib', '3.0')
    from gi.repository import ICalGLib

    comp = ICalGLib.Component.new_from_string(text)
    again = ICalGLib.Component.new_from_string(comp.as_ical_string())
    uids = []
    for kind in (ICalGLib.ComponentKind.VEVENT_COMPONENT,
                 ICalGLib.ComponentKind.VTODO_COMPONENT):
        c = again.get_first_component(kind)
        while c is not None:
            uids.append(c.get_uid())
            c = again.get_next_component(kind)
    return uids


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class CalendarTest(tbtest.TouchbaseTestCase):

    DAEMON_ENV = {'TB_CALDAV_BACKOFF_MS': '200,1000'}

    def setUp(self):
        if icalendar is None:
            self.skipTest('python3-icalendar is not installed')
        super().setUp()
        self.ics_path = os.path.join(self.data_dir, 'touchbase.ics')

    # ------------------------------------------------------------- helpers

    def add(self, name, *extra, days_ago=None, every=None):
        args = ['add', name, *extra]
        if every:
            args += ['--every', every]
        _, out, _ = self.tb(*args)
        cid = int(out.strip())
        if days_ago is not None:
            self.tb('log', cid, '--kind', 'call', '--at', f'-{days_ago}d')
        return cid

    def export(self, *extra):
        path = os.path.join(self.tmpdir, 'export.ics')
        self.tb('export', '--format', 'ics', '-o', path, *extra)
        with open(path, 'rb') as f:
            return f.read()

    def check_ics(self, path, *args):
        proc = subprocess.run([tbtest.PYTHON, CHECK_ICS, path, *args],
                              capture_output=True, text=True,
                              env=dict(self.env, HOME=self.home))
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def due_uids(self):
        '''The UIDs the calendar must hold for what `touchbase due` lists.'''
        due = self.tb_json('due')
        uids = {f'touchbase-{c["uid"]}' for c in due['contacts']}
        for f in due['follow_ups']:
            contact = self.tb_json('show', f['contact_id'])
            uids.add(f'touchbase-followup-{f["id"]}-{contact["uid"]}')
        return uids

    @staticmethod
    def event_uids(uids):
        '''Touch-bases and follow-ups; birthdays are extra.'''
        return {u for u in uids if not u.startswith('touchbase-birthday-')}

    def read_live(self):
        with open(self.ics_path, 'rb') as f:
            return f.read()

    def wait_live(self, predicate, timeout=1.5, message=None):
        '''Wait until PREDICATE(components of the live file) holds.'''
        def check():
            try:
                return predicate(components(self.read_live()))
            except FileNotFoundError:
                return False
        self.wait_for(check, timeout=timeout, message=message)

    # -------------------------------------------------------------- export

    def test_export_parses_everywhere(self):
        a = self.add('Ana Silva', '--url', 'https://example.com/ana',
                     '--tag', 'work', '--birthday', '1990-02-28', days_ago=40)
        self.tb('edit', a, '--goal', 'find a new job; soon, really')
        self.add('Bo Berg', '--birthday', '--07-14', days_ago=35)
        self.tb('follow-up', 'Bo', 'tomorrow', 'ask about the trip')
        data = self.export()
        path = os.path.join(self.tmpdir, 'export.ics')
        # 2 touch-bases + 1 follow-up, birthdays 2: 5 components.
        self.check_ics(path, '--count', '5', '--summary',
                       'Touch base with Ana Silva', '--summary',
                       'Follow up with Bo Berg: ask about the trip')
        comps = components(data)
        ana = comps[f'touchbase-{self.tb_json("show", a)["uid"]}']
        self.assertEqual(str(ana['URL']), 'https://example.com/ana')
        self.assertIn('find a new job', str(ana['DESCRIPTION']))
        self.assertIsNotNone(ana.get('VALARM') or list(ana.walk('VALARM')))
        self.assertEqual(sorted(libical_round_trip(data.decode())),
                         sorted(comps))

        todo = self.export('--todo')
        self.check_ics(path, '--no-khal', '--count', '5')
        kinds = sorted(c.name for c in components(todo).values())
        self.assertEqual(kinds, ['VEVENT', 'VEVENT', 'VTODO', 'VTODO',
                                 'VTODO'])

    def test_export_keeps_interleaved_tags(self):
        # Alice's tags sort around Bob's: each keeps all of its own.
        a = self.add('Alice A', '--tag', 'b', '--tag', 'd', days_ago=40)
        b = self.add('Bob B', '--tag', 'c', days_ago=40)
        comps = components(self.export())

        def categories(cid):
            comp = comps[f'touchbase-{self.tb_json("show", cid)["uid"]}']
            props = comp.get('CATEGORIES')
            props = props if isinstance(props, list) else [props]
            return sorted(str(c) for p in props for c in p.cats)
        self.assertEqual(categories(a), ['b', 'd'])
        self.assertEqual(categories(b), ['c'])

    def test_export_other_formats_say_so(self):
        # Unknown formats are refused; json/vcard/csv come with import.
        code, _, err = self.tb('export', '--format', 'xml', check=False)
        self.assertNotEqual(code, 0)
        self.assertIn('xml', err)

    def test_uids_stable_and_moves_bump_sequence(self):
        cid = self.add('Cy Chen', every='3d', days_ago=5)
        uid = f'touchbase-{self.tb_json("show", cid)["uid"]}'
        first = components(self.export())
        second = components(self.export())
        self.assertEqual(set(first), set(second))
        self.assertIn(uid, first)
        # Logging moves the due date (5 days ago + 3d -> now + 3d).
        self.tb('log', cid, '--kind', 'email')
        moved = components(self.export())
        self.assertIn(uid, moved)
        self.assertGreater(moved[uid].decoded('DTSTART'),
                           first[uid].decoded('DTSTART'))
        self.assertGreater(int(moved[uid]['SEQUENCE']),
                           int(first[uid]['SEQUENCE']))
        # So does a snooze.
        self.tb('snooze', cid, '2d')
        snoozed = components(self.export())
        self.assertGreater(int(snoozed[uid]['SEQUENCE']),
                           int(moved[uid]['SEQUENCE']))

    # ----------------------------------------------------------- live file

    def test_live_file_follows_changes(self):
        self.start_daemon()
        self.wait_for(lambda: os.path.exists(self.ics_path),
                      message='no live calendar at start-up')
        self.assertEqual(os.stat(self.ics_path).st_mode & 0o777, 0o600)
        cid = self.add('Di Dao', every='3d', days_ago=5)
        uid = f'touchbase-{self.tb_json("show", cid)["uid"]}'
        self.wait_live(lambda c: uid in c, message='new contact not in file')
        before = components(self.read_live())[uid].decoded('DTSTART')
        self.tb('log', cid)
        self.wait_live(lambda c: c[uid].decoded('DTSTART') > before,
                       message='log did not move the event within ~1 s')
        self.tb('rm', cid)
        self.wait_live(lambda c: uid not in c,
                       message='removed contact still in the file')

    def test_live_file_idle_when_unchanged(self):
        self.start_daemon()
        self.add('Ed Eng', days_ago=40)
        time.sleep(0.6)
        mtime = os.stat(self.ics_path).st_mtime_ns
        # Writes that change nothing in the calendar leave the file alone.
        self.tb('edit', 'Ed', '--note', 'not in the calendar')
        time.sleep(0.6)
        self.assertEqual(os.stat(self.ics_path).st_mtime_ns, mtime)

    def test_live_file_never_half_written(self):
        self.start_daemon()
        ids = [self.add(f'Person {i}', days_ago=40) for i in range(5)]
        self.wait_for(lambda: os.path.exists(self.ics_path))
        bad = []
        reads = [0]
        stop = threading.Event()

        def poll():
            while not stop.is_set():
                try:
                    data = self.read_live()
                except FileNotFoundError:
                    bad.append('file missing')
                    continue
                reads[0] += 1
                if not data.endswith(b'END:VCALENDAR\r\n'):
                    bad.append(f'truncated read of {len(data)} bytes')
                    continue
                try:
                    components(data)
                except ValueError as e:
                    bad.append(str(e))

        thread = threading.Thread(target=poll)
        thread.start()
        try:
            for round_ in range(3):
                for cid in ids:
                    self.tb('log', cid, '--note', f'round {round_}')
                    self.tb('add', f'Burst {round_} {cid}')
            time.sleep(0.5)
        finally:
            stop.set()
            thread.join()
        self.assertEqual(bad, [])
        self.assertGreater(reads[0], 20)

    def test_live_file_matches_due(self):
        self.add('Overdue Olga', days_ago=40)
        self.add('Soon Sam', days_ago=27)          # due in 3 days
        self.add('Later Lee', days_ago=5)          # due in 25 days
        paused = self.add('Paused Pat', days_ago=40)
        self.tb('pause', paused)
        self.tb('follow-up', 'Lee', 'tomorrow', 'send the deck')
        self.stop_daemon()  # the client activated one
        self.start_daemon()
        expected = self.due_uids()
        self.assertEqual(len(expected), 3)
        self.wait_live(lambda c: self.event_uids(c) == expected,
                       message='live file differs from `touchbase due`')
        self.assertEqual(self.event_uids(components(self.export())),
                         expected)

    def test_ics_file_setting(self):
        other = os.path.join(self.tmpdir, 'cal', 'mine.ics')
        self.write_config({'calendar': {'ics-file': other}})
        self.start_daemon()
        self.add('Fay Fox', days_ago=40)
        self.wait_for(lambda: os.path.exists(other),
                      message='ics-file setting ignored')
        self.assertEqual(self.tb_json('status')['ics_file'], other)
        self.assertFalse(os.path.exists(self.ics_path))
        # "none" turns it off, live.
        self.write_config({'calendar': {'ics-file': 'none'}})
        self.wait_for(lambda: self.tb_json('status')['ics_file'] == '')
        os.unlink(other)
        self.add('Gus Gray', days_ago=40)
        self.assert_stays(lambda: not os.path.exists(other), duration=0.8)

    # -------------------------------------------------------------- CalDAV

    def start_radicale(self):
        self.radicale = subprocess.Popen(
            [tbtest.PYTHON, '-m', 'radicale', '-C', '', '--server-hosts',
             f'127.0.0.1:{self.port}', '--auth-type', 'none',
             '--rights-type', 'owner_only', '--storage-filesystem-folder',
             self.radicale_dir],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self._log('radicale.log'))
        self._procs.append(self.radicale)

        def up():
            try:
                self.http('OPTIONS', self.base)
                return True
            except (urllib.error.URLError, ConnectionError):
                return False
        self.wait_for(up, timeout=20, message='Radicale did not start')

    def stop_radicale(self):
        self.radicale.terminate()
        self.radicale.wait(timeout=10)

    def http(self, method, url, body=None, headers=None):
        auth = base64.b64encode(f'{RADICALE_USER}:x'.encode()).decode()
        req = urllib.request.Request(url, data=body, method=method,
                                     headers={'Authorization': f'Basic {auth}',
                                              **(headers or {})})
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()

    def collection_uids(self):
        '''{UID: component} of every resource in the collection, found with
        PROPFIND and fetched with GET.'''
        _, body = self.http('PROPFIND', self.collection, b'',
                            {'Depth': '1'})
        out = {}
        for href in ET.fromstring(body).iter('{DAV:}href'):
            path = href.text
            if not path.endswith('.ics'):
                continue
            try:
                _, data = self.http('GET',
                                    urllib.parse.urljoin(self.base, path))
            except urllib.error.HTTPError as e:
                if e.code == 404:  # deleted since the PROPFIND
                    continue
                raise
            comps = components(data)
            self.assertEqual(len(comps), 1, path)
            uid = next(iter(comps))
            self.assertEqual(urllib.parse.unquote(path.rsplit('/', 1)[1]),
                             uid + '.ics')
            out.update(comps)
        return out

    def wait_collection(self, predicate, message, timeout=10):
        def check():
            try:
                return predicate(self.collection_uids())
            except (urllib.error.URLError, ConnectionError):
                return False  # Radicale still starting
        self.wait_for(check, timeout=timeout, message=message, interval=0.2)

    def test_caldav_push_with_radicale(self):
        if not shutil.which('radicale') and not os.path.exists(
                '/usr/lib/python3/dist-packages/radicale'):
            self.skipTest('Radicale is not installed')
        self.port = free_port()
        self.radicale_dir = os.path.join(self.tmpdir, 'radicale')
        self.base = f'http://127.0.0.1:{self.port}/'
        self.collection = f'{self.base}{RADICALE_USER}/touchbase/'
        self.start_radicale()
        status, _ = self.http('MKCALENDAR', self.collection)
        self.assertEqual(status, 201)

        password_file = os.path.join(self.tmpdir, 'caldav-password')
        with open(os.open(password_file, os.O_WRONLY | os.O_CREAT, 0o600),
                  'w') as f:
            f.write('x\n')
        self.write_config({'calendar': {
            'caldav-url': self.collection,
            'caldav-username': RADICALE_USER,
            'caldav-password-file': password_file}})

        olga = self.add('Olga Ortiz', '--birthday', '1985-05-05',
                        days_ago=40)
        sam = self.add('Sam Stone', every='3d', days_ago=5)
        rita = self.add('Rita Ruiz', days_ago=40)
        self.tb('follow-up', 'Olga', 'tomorrow', 'call about the offer')
        self.stop_daemon()  # the client activated one; now with CalDAV
        self.start_daemon()

        def same_as_due(c):
            return self.event_uids(c) == self.due_uids()
        self.wait_collection(same_as_due, 'Radicale differs from `due`')
        self.wait_live(same_as_due)
        self.assertEqual(set(self.collection_uids()),
                         set(components(self.read_live())))
        status = self.tb_json('status')
        self.assertEqual(status['caldav_url'], self.collection)
        self.assertEqual(status['caldav_pending'], 0)
        self.assertTrue(status['caldav_last_success'])
        _, text, _ = self.tb('status')
        self.assertIn(self.collection, text)

        # log moves Sam's event, snooze moves Olga's, rm deletes Rita's.
        sam_uid = f'touchbase-{self.tb_json("show", sam)["uid"]}'
        olga_uid = f'touchbase-{self.tb_json("show", olga)["uid"]}'
        rita_uid = f'touchbase-{self.tb_json("show", rita)["uid"]}'
        before = self.collection_uids()
        self.tb('log', sam)
        self.tb('snooze', olga, '2d')
        self.tb('rm', rita)
        self.wait_collection(
            lambda c: rita_uid not in c
            and c[sam_uid].decoded('DTSTART')
            > before[sam_uid].decoded('DTSTART')
            and int(c[olga_uid]['SEQUENCE'])
            > int(before[olga_uid]['SEQUENCE']),
            'log/snooze/rm did not reach Radicale')

        # Offline: changes queue, status says so, and arrive later.
        self.stop_radicale()
        self.tb('rm', sam)
        newcomer = self.add('Nia Noor', days_ago=40)
        nia_uid = f'touchbase-{self.tb_json("show", newcomer)["uid"]}'
        self.wait_for(lambda: self.tb_json('status')['caldav_pending'] >= 2,
                      message='no pending changes while Radicale is down')
        self.assertIn('caldav_last_error', self.tb_json('status'))
        self.start_radicale()
        self.wait_collection(
            lambda c: nia_uid in c and sam_uid not in c,
            'queued changes did not arrive after Radicale came back')
        self.wait_for(lambda: self.tb_json('status')['caldav_pending'] == 0)
        self.assertEqual(self.event_uids(self.collection_uids()),
                         self.due_uids())

        # A restarted daemon remembers what it pushed: nothing to send.
        self.stop_daemon()
        self.start_daemon()
        time.sleep(0.5)
        self.assertEqual(self.tb_json('status')['caldav_pending'], 0)


if __name__ == '__main__':
    tbtest.main()
