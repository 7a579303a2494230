# What the calendar sources' tests share: iCalendar events relative to
# now, written the way servers write them; a real Radicale; a local
# evolution-data-server calendar on the test's private bus.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import http.client
import os
import shutil
import socket
import subprocess
import time

ME = 'me@example.org'
DAY = 86400
EDS_SERVICES = '/usr/share/dbus-1/services'
EDS_UID = 'tb-test-work'


def stamp(t):
    return time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(t))


def event(uid, start, minutes=60, summary='Meeting', organizer=None,
          attendees=(), extra=''):
    '''A VEVENT; attendees are (address, partstat) pairs.'''
    lines = ['BEGIN:VEVENT', f'UID:{uid}', f'DTSTAMP:{stamp(start)}',
             f'DTSTART:{stamp(start)}', f'DTEND:{stamp(start + minutes * 60)}',
             f'SUMMARY:{summary}']
    if organizer:
        lines.append(f'ORGANIZER;CN=Someone:mailto:{organizer}')
    for address, partstat in attendees:
        lines.append(f'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;'
                     f'PARTSTAT={partstat};CN={address}:MAILTO:{address}')
    if extra:
        lines.extend(extra.strip().split('\n'))
    lines.append('END:VEVENT')
    return '\r\n'.join(lines) + '\r\n'


def calendar(*events):
    return ('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'
            'PRODID:-//touchbase tests//EN\r\n' + ''.join(events)
            + 'END:VCALENDAR\r\n')


def day_at(now, days_ago, hour=10):
    '''A past moment at @hour UTC, @days_ago days back.'''
    t = now - days_ago * DAY
    return t - t % DAY + hour * 3600


def meetings(now):
    '''The events of the tests, by name: what each should give.'''
    lunch = day_at(now, 10)
    weekly = day_at(now, 35, 9)
    return {
        # Ana's lunch: one meeting.
        'lunch': event('lunch-1', lunch, summary='Lunch with Ana',
                       organizer='Ana@Example.com',
                       attendees=[('ana@example.com', 'ACCEPTED'),
                                  (ME, 'ACCEPTED')]),
        # Weekly with Bo, four weeks: the second left out (EXDATE), the
        # third cancelled by an overridden instance.
        'weekly': event('weekly-1', weekly, 30, 'Weekly with Bo', ME,
                        [('bo@example.com', 'ACCEPTED'), (ME, 'ACCEPTED')],
                        f'RRULE:FREQ=WEEKLY;COUNT=4\n'
                        f'EXDATE:{stamp(weekly + 7 * DAY)}')
        + event('weekly-1', weekly + 14 * DAY, 30, 'Weekly with Bo', ME,
                [('bo@example.com', 'ACCEPTED')],
                f'RECURRENCE-ID:{stamp(weekly + 14 * DAY)}\n'
                'STATUS:CANCELLED'),
        'cancelled': event('cancelled-1', day_at(now, 5), summary='Off',
                           organizer='ana@example.com',
                           attendees=[(ME, 'ACCEPTED')],
                           extra='STATUS:CANCELLED'),
        'declined': event('declined-1', day_at(now, 4), summary='Pitch',
                          organizer='bo@example.com',
                          attendees=[(ME, 'DECLINED')]),
        'video': event('video-1', day_at(now, 3, 15), summary='Call with Bo',
                       organizer='bo@example.com',
                       attendees=[(ME, 'ACCEPTED')],
                       extra='LOCATION:https://us02web.zoom.us/j/8123'),
        'future': event('future-1', now + 2 * DAY, summary='Next week',
                        organizer='ana@example.com',
                        attendees=[(ME, 'ACCEPTED')]),
    }


def expected_weekly(now):
    weekly = day_at(now, 35, 9)
    return [weekly, weekly + 21 * DAY]


# ------------------------------------------------------------- Radicale

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Radicale:
    '''A throwaway Radicale on 127.0.0.1 with one calendar collection.'''

    def __init__(self, folder, log):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ['/usr/bin/python3', '-m', 'radicale', '-C', '',
             '--server-hosts', f'127.0.0.1:{self.port}',
             '--auth-type', 'none', '--rights-type', 'owner_only',
             '--storage-filesystem-folder', folder],
            stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.request('OPTIONS', '/')
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        status = self.request('MKCALENDAR', '/test/work/')
        assert status == 201, status
        self.url = f'http://test@127.0.0.1:{self.port}/test/work/'

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=10)
        headers = {'Authorization': 'Basic dGVzdDp4'}
        if body is not None:
            headers['Content-Type'] = 'text/calendar'
        conn.request(method, path, body=body, headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status

    def put(self, name, text):
        status = self.request('PUT', f'/test/work/{name}.ics', text)
        assert status in (201, 204), status

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


# ------------------------------------------------ evolution-data-server

def have_eds():
    return os.path.exists(os.path.join(
        EDS_SERVICES, 'org.gnome.evolution.dataserver.Sources5.service'))


def setup_eds(test, ics_text):
    '''The test's bus learns to start EDS (its registry and factories,
    from their installed service files), and the test's home gets a local
    calendar "Work" holding @ics_text.'''
    servicedir = os.path.join(test.tmpdir, 'dbus-services')
    for path in glob.glob(os.path.join(
            EDS_SERVICES, 'org.gnome.evolution.dataserver.*.service')):
        shutil.copy(path, servicedir)
    # The bus reads its service folder again when it changes; ask it to
    # be sure before the daemon looks for the registry.
    subprocess.run(['dbus-send', '--session', '--dest=org.freedesktop.DBus',
                    '--type=method_call', '--print-reply',
                    '/org/freedesktop/DBus',
                    'org.freedesktop.DBus.ReloadConfig'],
                   env=test.env, check=True, capture_output=True)
    sources = os.path.join(test.config_home, 'evolution', 'sources')
    os.makedirs(sources, exist_ok=True)
    with open(os.path.join(sources, EDS_UID + '.source'), 'w') as f:
        f.write('[Data Source]\nDisplayName=Work\nEnabled=true\n'
                'Parent=local-stub\n\n[Calendar]\nBackendName=local\n'
                'Selected=true\n')
    # The user's mail identity: who "me" is, without my-addresses.
    with open(os.path.join(sources, 'tb-test-identity.source'), 'w') as f:
        f.write('[Data Source]\nDisplayName=Me\nEnabled=true\nParent=\n\n'
                f'[Mail Identity]\nAddress={ME}\nName=Me\n')
    folder = os.path.join(test.data_home, 'evolution', 'calendar', EDS_UID)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'calendar.ics'), 'w') as f:
        f.write(ics_text)


EDS_ADD_SCRIPT = r'''
import sys
import gi
gi.require_version('ECal', '2.0')
gi.require_version('EDataServer', '1.2')
gi.require_version('ICalGLib', '3.0')
from gi.repository import ECal, EDataServer, ICalGLib
registry = EDataServer.SourceRegistry.new_sync(None)
source = registry.ref_source(sys.argv[1])
client = ECal.Client.connect_sync(source, ECal.ClientSourceType.EVENTS,
                                  4294967295, None)
comp = ICalGLib.Component.new_from_string(sys.stdin.read())
client.create_object_sync(comp, ECal.OperationFlags.NONE, None)
'''


def eds_add_event(test, vevent):
    '''Creates @vevent in the Work calendar through libecal (python gi),
    as Evolution or GNOME Calendar would.'''
    subprocess.run(['/usr/bin/python3', '-c', EDS_ADD_SCRIPT, EDS_UID],
                   input=vevent, text=True, env=test.env, check=True,
                   capture_output=True, timeout=60)
