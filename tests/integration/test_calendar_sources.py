#!/usr/bin/python3
# Calendar sources (docs/design.md §12): an .ics file, an .ics URL, a
# real Radicale over CalDAV, and evolution-data-server's local calendar
# on the test's private bus, read by the real daemon through the real
# client: the scan's result, the meetings in show with their dates and
# summaries, a second scan that logs nothing, and a change while the
# daemon runs.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import os
import threading
import time
import unittest

import calfixtures as cal
import tbtest

ME = cal.ME


def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))


class CalendarSourcesTest(tbtest.TouchbaseTestCase):

    def setUp(self):
        super().setUp()
        self.now = int(time.time())
        self.events = cal.meetings(self.now)

    def configure(self, **keys):
        conf = {'my-addresses': ME, 'eds': 'false'}
        conf.update(keys)
        self.write_config({'sources': conf})

    def add_people(self):
        self.tb('add', 'Ana Silva', '--email', 'ana@example.com')
        self.tb('add', 'Bo Berg', '--email', 'bo@example.com')

    def history(self, who):
        return self.tb_json('show', who)['interactions']

    def check_meetings(self, source):
        '''What the events of calfixtures give: Ana's lunch; Bo's weekly
        twice (once left out, once cancelled) and a Zoom call; nothing
        cancelled, declined or to come.'''
        ana = self.history('ana')
        self.assertEqual([(i['at'], i['kind'], i['note']) for i in ana],
                         [(iso(cal.day_at(self.now, 10)), 'meeting',
                           'Lunch with Ana')])
        self.assertEqual({i['source'] for i in ana}, {source})
        bo = sorted(self.history('bo'), key=lambda i: i['at'])
        self.assertEqual(
            [(i['at'], i['kind'], i['note']) for i in bo],
            [(iso(t), 'meeting', 'Weekly with Bo')
             for t in cal.expected_weekly(self.now)]
            + [(iso(cal.day_at(self.now, 3, 15)), 'video', 'Call with Bo')])

    def test_ics_file(self):
        folder = os.path.join(self.home, 'cal')
        os.makedirs(folder)
        path = os.path.join(folder, 'work.ics')
        with open(path, 'w', newline='') as f:
            f.write(cal.calendar(*self.events.values()))
        self.configure(ics='~/cal/work.ics')
        self.start_daemon()
        self.add_people()

        _, out, _ = self.tb('sources', '--scan')
        since = time.strftime('%Y-%m-%d',
                              time.gmtime(self.now - 365 * cal.DAY))
        self.assertIn(f'4 conversations with 2 contacts since {since}', out)
        self.check_meetings('ics:~/cal/work.ics')
        _, out, _ = self.tb('show', 'ana')
        self.assertIn('Lunch with Ana', out)
        self.assertIn(time.strftime(
            '%Y-%m-%d', time.gmtime(cal.day_at(self.now, 10))), out)

        # Again: nothing new.
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('0 conversations with 0 contacts', out)

        # The file is saved again (as an editor does: a new file renamed
        # over it) with one more meeting: it shows up without a scan.
        extra = cal.event('extra-1', cal.day_at(self.now, 1, 8),
                          summary='Breakfast', organizer='ana@example.com',
                          attendees=[(ME, 'ACCEPTED')])
        tmp = path + '.tmp'
        with open(tmp, 'w', newline='') as f:
            f.write(cal.calendar(*self.events.values(), extra))
        os.rename(tmp, path)
        self.wait_for(lambda: len(self.history('ana')) == 2, timeout=10,
                      message='the saved meeting did not show up')

        listed = self.tb_json('sources')
        self.assertEqual([s['name'] for s in listed], ['ics:~/cal/work.ics'])
        self.assertTrue(listed[0]['watching'])
        self.assertEqual(listed[0]['interactions'], 5)
        _, out, _ = self.tb('sources')
        self.assertIn('ics:~/cal/work.ics', out)
        # Meetings and video calls are conversations.
        stats = self.tb_json('stats')
        self.assertEqual(
            [(s['source'], s['interactions'], s['conversations'],
              s['contacts']) for s in stats['sources']],
            [('ics:~/cal/work.ics', 5, 5, 2)])
        self.assertEqual(stats['talked'], 2)

        # Changed while the daemon was not running: read again at start.
        self.stop_daemon()
        late = cal.event('late-1', cal.day_at(self.now, 1, 12),
                         summary='Late lunch', organizer='bo@example.com',
                         attendees=[(ME, 'ACCEPTED')])
        with open(tmp, 'w', newline='') as f:
            f.write(cal.calendar(*self.events.values(), extra, late))
        os.rename(tmp, path)
        self.start_daemon()
        self.wait_for(lambda: len(self.history('bo')) == 4, timeout=10,
                      message='the meeting added meanwhile did not show up')
        self.assertEqual(len(self.history('ana')), 2)

    def test_ics_file_missing_then_bad(self):
        self.configure(ics='~/nowhere.ics')
        self.start_daemon()
        self.tb('sources', '--scan', check=False)
        listed = self.tb_json('sources')
        self.assertEqual(listed[0]['state'], 'error')
        self.assertIn('nowhere.ics', listed[0]['last_error'])
        with open(os.path.join(self.home, 'nowhere.ics'), 'w') as f:
            f.write('<html>not a calendar</html>')
        self.wait_for(lambda: 'iCalendar' in (
            self.tb_json('sources')[0].get('last_error') or ''), timeout=10)

    def test_ics_url(self):
        root = os.path.join(self.tmpdir, 'www')
        os.makedirs(root)
        with open(os.path.join(root, 'work.ics'), 'w', newline='') as f:
            f.write(cal.calendar(*self.events.values()))
        requests = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)

            def log_message(self, *args):
                pass

            def send_response(self, code, message=None):
                requests.append(code)
                super().send_response(code, message)

        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        url = f'http://127.0.0.1:{server.server_address[1]}/work.ics'
        self.configure(ics=url)
        self.start_daemon()
        self.add_people()
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('4 conversations with 2 contacts', out)
        self.check_meetings('ics:' + url)
        # Unchanged: a 304, and nothing new.
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('0 conversations with 0 contacts', out)
        self.assertEqual(requests[-1], 304)

    def test_caldav_radicale(self):
        log = open(os.path.join(self.logdir, 'radicale.log'), 'ab')
        self.addCleanup(log.close)
        radicale = cal.Radicale(os.path.join(self.tmpdir, 'radicale'), log)
        self.addCleanup(radicale.stop)
        for name, text in self.events.items():
            radicale.put(name, cal.calendar(text))
        self.configure(caldav=radicale.url)
        self.start_daemon()
        self.add_people()
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('4 conversations with 2 contacts', out)
        self.check_meetings('caldav:' + radicale.url)
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('0 conversations with 0 contacts', out)
        # A meeting added on the server: the next scan fetches only it.
        radicale.put('extra', cal.calendar(cal.event(
            'extra-1', cal.day_at(self.now, 1, 8), summary='Breakfast',
            organizer='ana@example.com', attendees=[(ME, 'ACCEPTED')])))
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('1 conversation with 1 contact', out)
        listed = self.tb_json('sources')
        self.assertEqual(listed[0]['name'], 'caldav:' + radicale.url)
        self.assertIsNone(listed[0].get('last_error'))

    @unittest.skipUnless(cal.have_eds(), 'needs evolution-data-server')
    def test_eds(self):
        cal.setup_eds(self, cal.calendar(*self.events.values()))
        # eds= unset: on, since the registry can be started on the bus;
        # no my-addresses: the mail identity in EDS says who the user is
        # (the declined pitch stays out).
        self.write_config({'sources': {'since': '1y'}})
        self.start_daemon()
        self.add_people()
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('4 conversations with 2 contacts', out)
        self.check_meetings('eds')
        _, out, _ = self.tb('sources', '--scan')
        self.assertIn('0 conversations with 0 contacts', out)
        # An event created in the calendar (as GNOME Calendar does)
        # while the daemon runs: the client view sees it.
        cal.eds_add_event(self, cal.event(
            'extra-eds', cal.day_at(self.now, 1, 8), summary='Breakfast',
            organizer='ana@example.com', attendees=[(ME, 'ACCEPTED')]))
        self.wait_for(lambda: len(self.history('ana')) == 2, timeout=15,
                      message='the EDS event did not show up')
        self.assertEqual(self.history('ana')[0]['note'], 'Breakfast')


if __name__ == '__main__':
    tbtest.main()
