#!/usr/bin/python3
# touchbase review: the queue of contacts not tracked yet, through the
# real client and daemon — its order and reasons (--json and a pipe), the
# interactive review on a pseudo-terminal (keys, the terminal put back),
# and the review notifications of [review] per-day with their buttons.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import os
import pty
import select
import signal
import subprocess
import termios
import time

import tbtest

DAY = 86400


def day_ago(days):
    return (datetime.datetime.now(datetime.timezone.utc).date()
            - datetime.timedelta(days=days))


def linkedin_day(d):
    '''LinkedIn's "Connected On": "05 Jan 2026".'''
    return d.strftime('%d %b %Y')


def reason_day(d):
    '''The queue's reasons: "5 Jan 2026".'''
    return f'{d.day} {d.strftime("%b %Y")}'


class ReviewCase(tbtest.TouchbaseTestCase):
    '''Bo Berg kept in touch with, at Solara; four imported connections
    waiting in the queue.'''

    ANA_DAY = day_ago(10)
    CY_DAY = day_ago(3 * 365)
    DI_DAY = day_ago(2 * 365)
    ED_DAY = day_ago(2)

    def setUp(self):
        super().setUp()
        self.tb('add', 'Bo Berg', '--company', 'Solara')
        path = os.path.join(self.tmpdir, 'Connections.csv')
        rows = [
            ('Cy', 'Old', 'https://www.linkedin.com/in/cy-old',
             'cy@example.org', 'Elsewhere', 'Engineer', self.CY_DAY),
            ('Ana', 'Lima', 'https://www.linkedin.com/in/ana-lima', '',
             'Solara', 'UX Researcher', self.ANA_DAY),
            ('Di', 'Plain', '', '', 'Acme', 'Buyer', self.DI_DAY),
            ('Ed', 'Recent', 'https://www.linkedin.com/in/ed-recent', '',
             'Acme', 'Founder', self.ED_DAY),
        ]
        with open(path, 'w') as f:
            f.write('First Name,Last Name,URL,Email Address,Company,'
                    'Position,Connected On\n')
            for first, last, url, email, company, position, day in rows:
                f.write(f'{first},{last},{url},{email},{company},{position},'
                        f'{linkedin_day(day)}\n')
        self.tb('import', path)
        self.ids = {c['name']: c['id'] for c in self.tb_json('list', '--all')}

    def queue(self, *args):
        return self.tb_json('review', *args)

    def contact(self, name):
        return self.tb_json('show', str(self.ids[name]))


class QueueTest(ReviewCase):

    def test_order_and_reasons(self):
        queue = self.queue()
        self.assertEqual([c['name'] for c in queue],
                         ['Ana Lima', 'Ed Recent', 'Cy Old', 'Di Plain'])
        reasons = {c['name']: c['reason'] for c in queue}
        self.assertEqual(reasons['Ana Lima'],
                         'same company as Bo Berg · connected '
                         + reason_day(self.ANA_DAY))
        self.assertEqual(reasons['Ed Recent'],
                         'connected ' + reason_day(self.ED_DAY))
        self.assertEqual(reasons['Cy Old'],
                         'has an e-mail address · connected '
                         + reason_day(self.CY_DAY))
        # Each row is a whole contact object.
        for c in queue:
            self.assertEqual(c['tracking'], 'not-tracked')
            self.assertIsNone(c['due_at'])
            self.assertIn('connected_on', c)
        self.assertEqual(len(self.queue('--limit', '2')), 2)

    def test_pipe_rows(self):
        _, out, _ = self.tb('review', '--limit', '2')
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        cells = lines[0].split('\t')
        self.assertEqual(cells, [
            str(self.ids['Ana Lima']), 'Ana Lima', 'Solara', 'UX Researcher',
            self.ANA_DAY.isoformat(),
            'same company as Bo Berg · connected '
            + reason_day(self.ANA_DAY)])

    def test_decisions_leave_the_queue(self):
        self.tb('ignore', str(self.ids['Di Plain']))
        self.tb('track', str(self.ids['Ed Recent']))
        self.daemon_call('ReviewLater', 'xx', [self.ids['Cy Old'], 0])
        self.assertEqual([c['name'] for c in self.queue()], ['Ana Lima'])
        contacts, total = self.daemon_call(
            'GetReviewQueue', 'a{sv}', [{'limit': tbtest.dbus.UInt32(0)}])
        self.assertEqual((contacts, total), ([], 1))
        # Untracked again: back in the queue.
        self.tb('untrack', str(self.ids['Ed Recent']))
        self.assertIn('Ed Recent', [c['name'] for c in self.queue()])

    def test_bad_limit(self):
        for limit in ('0', '1001', '-3'):
            code, _, err = self.tb('review', '--limit', limit, check=False)
            self.assertEqual(code, 1, err)
            self.assertIn('--limit', err)


class Terminal:
    '''touchbase review on a pseudo-terminal: its output and keys.'''

    def __init__(self, case, stdin_pipe=False):
        self.case = case
        self.master, self.slave = pty.openpty()
        self.stdin_pipe = stdin_pipe
        self.output = b''
        stdin = subprocess.PIPE if stdin_pipe else self.slave
        self.proc = subprocess.Popen(
            [tbtest.TOUCHBASE, 'review'], stdin=stdin, stdout=self.slave,
            stderr=self.slave, env=case.env, start_new_session=True)
        case.addCleanup(self.close)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def read_until(self, text, timeout=15):
        deadline = time.monotonic() + timeout * tbtest.TIMEOUT_SCALE
        while text.encode() not in self.output:
            left = deadline - time.monotonic()
            if left <= 0:
                self.case.fail(f'no {text!r} on the terminal; got:\n'
                               + self.output.decode(errors='replace'))
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    time.sleep(0.05)
        return self.output.decode(errors='replace')

    def send(self, keys):
        if self.stdin_pipe:
            self.proc.stdin.write(keys.encode())
            self.proc.stdin.flush()
        else:
            os.write(self.master, keys.encode())

    def wait(self, timeout=15):
        return self.proc.wait(timeout=timeout * tbtest.TIMEOUT_SCALE)

    def canonical(self):
        lflag = termios.tcgetattr(self.slave)[3]
        return bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)


class InteractiveTest(ReviewCase):
    PROMPT = '[q]uit'

    def test_keep_ignore_later_quit(self):
        term = Terminal(self)
        term.read_until('4 people wait for a decision')
        term.read_until('Ana Lima')
        term.read_until('same company as Bo Berg')
        term.read_until(self.PROMPT)
        # Single keys: the terminal is not canonical while it waits.
        self.assertFalse(term.canonical())
        term.send('k')
        term.read_until('How often?')
        term.send('2')
        term.read_until('Keeping in touch with Ana Lima.')
        term.read_until('Ed Recent')
        term.send('i')
        term.read_until('Ignoring Ed Recent.')
        term.read_until('Cy Old')
        term.send('l')
        term.read_until('Later: Cy Old comes back in a month.')
        term.read_until('Di Plain')
        term.send('q')
        self.assertEqual(term.wait(), 0)
        self.assertTrue(term.canonical(), 'the terminal was not restored')

        ana = self.contact('Ana Lima')
        self.assertEqual(ana['tracking'], 'tracked')
        self.assertEqual(ana['own_interval_seconds'], 30 * DAY)
        due = self.tb_json('due', '--within', '31d')
        self.assertIn(self.ids['Ana Lima'],
                      [c['id'] for c in due['contacts']])
        self.assertEqual(self.contact('Ed Recent')['tracking'], 'ignored')
        self.assertEqual(self.contact('Cy Old')['tracking'], 'not-tracked')
        self.assertEqual([c['name'] for c in self.queue()], ['Di Plain'])

    def test_custom_interval_and_open(self):
        term = Terminal(self)
        term.read_until(self.PROMPT)
        term.send('o')
        term.read_until('Opened https://www.linkedin.com/in/ana-lima')
        self.wait_for(lambda: self.opened_uris()
                      == ['https://www.linkedin.com/in/ana-lima'])
        term.send('k')
        term.read_until('How often?')
        term.send('4')
        term.read_until('Touch base every')
        term.send('6w\n')
        term.read_until('Keeping in touch with Ana Lima.')
        term.read_until('Ed Recent')
        term.send('q')
        self.assertEqual(term.wait(), 0)
        self.assertTrue(term.canonical())
        self.assertEqual(self.contact('Ana Lima')['own_interval_seconds'],
                         42 * DAY)

    def test_ctrl_c_restores_the_terminal(self):
        term = Terminal(self)
        term.read_until(self.PROMPT)
        self.assertFalse(term.canonical())
        os.killpg(term.proc.pid, signal.SIGINT)
        self.assertEqual(term.wait(), -signal.SIGINT)
        self.assertTrue(term.canonical(), 'the terminal was not restored')
        self.assertEqual(len(self.queue()), 4)

    def test_lines_when_stdin_is_a_pipe(self):
        term = Terminal(self, stdin_pipe=True)
        term.read_until(self.PROMPT)
        term.send('i\n')
        term.read_until('Ignoring Ana Lima.')
        term.read_until('Ed Recent')
        term.send('q\n')
        self.assertEqual(term.wait(), 0)
        self.assertEqual(self.contact('Ana Lima')['tracking'], 'ignored')


class NotificationTest(ReviewCase):
    '''per-day=2 with a waking window of eight minutes that began five
    minutes ago: both of today's slots have passed, so both show at
    once, and the next is tomorrow's.'''

    def setUp(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        # Not at the edge of a minute: the window is in whole minutes.
        if now.second > 55:
            time.sleep(61 - now.second)
            now = datetime.datetime.now(datetime.timezone.utc)
        start = (now + datetime.timedelta(minutes=3)).strftime('%H:%M')
        end = (now - datetime.timedelta(minutes=5)).strftime('%H:%M')
        self.CONFIG = {'reminders': {'quiet-hours': f'{start}-{end}'},
                       'review': {'per-day': '2'}}
        super().setUp()

    def reviews(self):
        return [n for n in self.notify_calls()
                if n['summary'].startswith('Keep in touch with')]

    def test_two_a_day_and_buttons(self):
        shown = self.wait_for(lambda: (lambda r: r if len(r) >= 2 else None)(
            self.reviews()), message='expected two review notifications')
        self.assert_stays(lambda: len(self.reviews()) == 2, duration=2)
        first, second = shown
        self.assertEqual(first['summary'], 'Keep in touch with Ana Lima?')
        self.assertEqual(first['body'],
                         'UX Researcher at Solara, same company as Bo Berg · '
                         'connected ' + reason_day(self.ANA_DAY))
        self.assertEqual(second['summary'], 'Keep in touch with Ed Recent?')
        self.assertEqual(first['actions'], {
            'default': 'Open', 'track-1mo': 'Every month',
            'track-3mo': 'Every 3 months', 'later': 'Not now'})

        self.invoke_action(first['id'], 'track-3mo')
        self.wait_for(lambda: self.contact('Ana Lima')['tracking']
                      == 'tracked')
        self.assertEqual(self.contact('Ana Lima')['own_interval_seconds'],
                         90 * DAY)
        self.invoke_action(second['id'], 'later')
        self.wait_for(lambda: 'Ed Recent' not in
                      [c['name'] for c in self.queue()])
        # Neither a change nor a restart shows the day's third.
        self.tb('ignore', str(self.ids['Di Plain']))
        self.stop_daemon()
        self.tb('status')
        self.assert_stays(lambda: len(self.reviews()) == 2, duration=2)


class NotificationsOffTest(ReviewCase):
    CONFIG = {'review': {'per-day': '0'}}

    def test_none(self):
        self.assert_stays(lambda: not [
            n for n in self.notify_calls()
            if n['summary'].startswith('Keep in touch with')], duration=2)
        self.assertEqual(len(self.queue()), 4)


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
