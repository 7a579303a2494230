#!/usr/bin/python3
# The core loop, end to end: the real touchbased on a private bus, driven by
# the real touchbase client, reminding through python-dbusmock's
# notification server.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import os
import signal
import stat
import time

import tbtest


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))


class CoreTest(tbtest.TouchbaseTestCase):

    def add_overdue(self, name, *extra, days_ago=40):
        '''A contact with the default 30-day interval whose last call was
        DAYS_AGO days ago: due now.'''
        _, out, _ = self.tb('add', name, *extra)
        cid = int(out.strip())
        self.tb('log', str(cid), '--kind', 'call', '--at', f'-{days_ago}d')
        return cid

    # ------------------------------------------------------------ activation

    def test_client_activates_daemon(self):
        self.assertFalse(self.name_has_owner(tbtest.BUS_NAME))
        status = self.tb_json('status')
        self.assertTrue(self.name_has_owner(tbtest.BUS_NAME))
        self.assertEqual(status['contacts'], 0)
        self.assertEqual(status['db_path'], self.db_path)
        st = os.stat(self.db_path)
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.data_dir).st_mode), 0o700)

    def test_second_daemon_refuses(self):
        self.start_daemon()
        second = self.start_daemon(wait=False)
        self.assertEqual(second.wait(timeout=10), 1)
        self.assertIn('already running', self.daemon_log())
        # The first one still answers.
        self.assertEqual(self.tb_json('status')['contacts'], 0)

    # ----------------------------------------------------------- reminders

    def test_overdue_contact_is_notified(self):
        self.start_daemon()
        self.add_overdue('Ana Silva')
        n = self.wait_for_notifications(1)[0]
        self.assertIn('Ana Silva', n['summary'])
        self.assertIn('call', n['body'])
        self.assertEqual(n['hints'].get('desktop-entry'), 'io.github.touchbase')
        self.assertEqual(n['action_keys'],
                         ['default', 'done', 'messaged', 'snooze'])
        self.assertEqual(n['actions']['done'], 'Talked')
        self.assertEqual(n['actions']['messaged'], 'Messaged')

    def test_done_logs_and_moves_due(self):
        self.start_daemon()
        cid = self.add_overdue('Bo Berg')
        before = self.tb_json('show', str(cid))
        n = self.wait_for_notifications(1)[0]
        self.invoke_action(n['id'], 'done')
        self.wait_for(lambda: len(self.tb_json('show', str(cid))
                                  ['interactions']) == 2,
                      message='done did not log an interaction')
        after = self.tb_json('show', str(cid))
        self.assertGreater(parse_time(after['due_at']),
                           parse_time(before['due_at']))
        self.assertGreater(parse_time(after['last_interaction_at']),
                           parse_time(before['last_interaction_at']))
        self.assertEqual(self.tb_json('due'), {'contacts': [],
                                                'follow_ups': []}
                         if isinstance(self.tb_json('due'), dict)
                         else [])

    def test_action_happens_once_and_closes(self):
        self.start_daemon()
        cid = self.add_overdue('Bo Berg', '--url', 'https://example.org/bo')
        n = self.wait_for_notifications(1)[0]
        # Twice in a row, as a double click or a second client would.
        self.invoke_action(n['id'], 'done')
        self.invoke_action(n['id'], 'done')
        self.wait_for(lambda: self.mock_calls('CloseNotification'),
                      message='the notification was not closed')
        self.assertEqual([args[0] for _, args in
                          self.mock_calls('CloseNotification')], [n['id']])
        self.wait_for(lambda: len(self.tb_json('show', str(cid))
                                  ['interactions']) == 2,
                      message='done did not log an interaction')
        self.assert_stays(lambda: len(self.tb_json('show', str(cid))
                                      ['interactions']) == 2, 1.0,
                          message='a second done logged again')
        # Another button on the same notification does nothing either.
        self.invoke_action(n['id'], 'default')
        self.assert_stays(lambda: self.opened_uris() == [], 0.5,
                          message='an action after done still ran')

    def test_click_twice_opens_once(self):
        self.start_daemon()
        self.add_overdue('Cy Dahl', '--url', 'https://example.org/cy')
        n = self.wait_for_notifications(1)[0]
        self.invoke_action(n['id'], 'default')
        self.invoke_action(n['id'], 'default')
        self.wait_for(lambda: self.opened_uris(),
                      message='the click opened nothing')
        self.assert_stays(lambda: self.opened_uris() ==
                          ['https://example.org/cy'], 1.0,
                          message=f'opened: {self.opened_uris()}')
        self.assertEqual(len(self.mock_calls('CloseNotification')), 1)

    def test_talked_button_counts_as_talked(self):
        self.start_daemon()
        # Only an e-mail so far: not talked to.
        _, out, _ = self.tb('add', 'Dara Okafor')
        cid = int(out)
        self.tb('log', str(cid), '--kind', 'email', '--at', '-40d')
        self.assertEqual(self.tb_json('stats')['talked'], 0)
        n = self.wait_for_notifications(1)[0]
        self.invoke_action(n['id'], 'done')
        self.wait_for(lambda: self.tb_json('stats')['talked'] == 1,
                      message='Talked did not make a conversation')
        self.assertEqual(self.tb_json('stats')['never_talked'], 0)
        _, text, _ = self.tb('stats')
        self.assertIn('talked\t1', text.splitlines())
        last = self.tb_json('show', str(cid))['interactions'][0]
        self.assertEqual(last['kind'], 'call')

    def test_messaged_button_logs_a_message(self):
        self.start_daemon()
        cid = self.add_overdue('Eli Brandt')
        n = self.wait_for_notifications(1)[0]
        self.invoke_action(n['id'], 'messaged')
        self.wait_for(lambda: len(self.tb_json('show', str(cid))
                                  ['interactions']) == 2,
                      message='Messaged did not log an interaction')
        kinds = [i['kind'] for i in
                 self.tb_json('show', str(cid))['interactions']]
        self.assertIn('message', kinds)

    def test_done_kind_is_configurable_live(self):
        self.start_daemon()
        self.write_config({'reminders': {'done-kind': 'coffee'}})
        self.wait_for(lambda: 'Configuration reloaded' in self.daemon_log(),
                      message='the configuration was not reloaded')
        cid = self.add_overdue('Fia Lund')
        n = self.wait_for_notifications(1)[0]
        self.assertEqual(n['actions']['done'], 'Talked')
        self.invoke_action(n['id'], 'done')
        self.wait_for(lambda: self.tb_json('show', str(cid))
                      ['interactions'][0]['kind'] == 'coffee',
                      message='done-kind=coffee was not logged')
        # A kind that is not a conversation names itself on the button.
        self.write_config({'reminders': {'done-kind': 'message'}})
        self.wait_for(lambda: self.daemon_log().count(
                      'Configuration reloaded') >= 2,
                      message='the configuration was not reloaded')
        cid2 = self.add_overdue('Gus Moreau')
        calls = self.wait_for_notifications(2)
        self.assertIn('Gus', calls[1]['summary'])
        self.assertEqual(calls[1]['action_keys'],
                         ['default', 'done', 'snooze'])
        self.assertEqual(calls[1]['actions']['done'], 'Messaged')
        self.assertTrue(cid2)

    def test_snooze_keeps_last_interaction(self):
        self.start_daemon()
        cid = self.add_overdue('Chen Wei')
        before = self.tb_json('show', str(cid))
        n = self.wait_for_notifications(1)[0]
        self.invoke_action(n['id'], 'snooze')
        self.wait_for(lambda: self.tb_json('show', str(cid))['snoozed_until'],
                      message='snooze did not set snoozed_until')
        after = self.tb_json('show', str(cid))
        self.assertEqual(after['last_interaction_at'],
                         before['last_interaction_at'])
        self.assertEqual(len(after['interactions']), 1)
        self.assertEqual(after['interval_seconds'], before['interval_seconds'])
        until = parse_time(after['snoozed_until'])
        week = datetime.datetime.now(datetime.timezone.utc) + \
            datetime.timedelta(days=7)
        self.assertLess(abs((until - week).total_seconds()), 120)

    def test_goal_markup_is_escaped(self):
        # Set everything up with no server, so the first reminders already
        # carry the goals.
        self.stop_notification_server()
        self.start_daemon()
        cid = self.add_overdue('Dagny <b>Holm</b>')
        self.tb('edit', str(cid), '--goal', 'build <i>robots</i> & boats')
        cid2 = self.add_overdue('Emil & <u>Co</u>')
        self.tb('edit', str(cid2), '--goal', '<i>& world')
        self.start_notification_server()
        calls = self.wait_for_notifications(2)
        bodies = {c['summary']: c['body'] for c in calls}
        body = bodies['Touch base with Emil & <u>Co</u>']
        self.assertIn('&lt;i&gt;&amp; world', body)
        self.assertNotIn('<i>& world', body)
        self.assertIn('build &lt;i&gt;robots&lt;/i&gt; &amp; boats',
                      bodies['Touch base with Dagny <b>Holm</b>'])

    def test_no_markup_without_capability(self):
        self.stop_notification_server()
        self.start_notification_server(('body',))
        self.start_daemon()
        cid = self.add_overdue('Farid Haddad')
        self.tb('edit', str(cid), '--need', 'a <b>recruiter</b>')
        n = self.wait_for_notifications(1)[0]
        # Plain text goes as is, and without buttons the body names the
        # commands to run instead.
        self.assertEqual(n['action_keys'], [])
        self.assertIn(f'touchbase log {cid}', n['body'])
        self.assertNotIn('&lt;', n['body'])

    def test_file_url_is_never_opened(self):
        self.start_daemon()
        bad = self.add_overdue('Grace', '--url', 'file:///etc/passwd')
        good = self.add_overdue('Hiroshi', '--url',
                                'https://example.org/hiroshi')
        calls = self.wait_for_notifications(2)
        by_name = {c['summary']: c for c in calls}
        self.invoke_action(by_name['Touch base with Grace']['id'], 'default')
        self.invoke_action(by_name['Touch base with Hiroshi']['id'],
                           'default')
        # The https link is opened (so opening works at all) ...
        self.wait_for(lambda: 'https://example.org/hiroshi' in
                      self.opened_uris(),
                      message=f'opened: {self.opened_uris()}')
        # ... and the file: link never is.
        self.assert_stays(lambda: 'file:///etc/passwd' not in
                          self.opened_uris(), duration=1.0)
        self.assertIn('Not opening', self.daemon_log())
        self.assertTrue(bad and good)

    def click_on(self, name):
        calls = self.wait_for(lambda: [c for c in self.notify_calls()
                                       if name in c['summary']],
                              message=f'no reminder for {name}')
        self.invoke_action(calls[0]['id'], 'default')

    def test_click_opens_mailto_then_tel_then_report(self):
        self.start_daemon()
        self.add_overdue('Ana Silva', '--email', 'ana@example.org')
        self.click_on('Ana Silva')
        self.wait_for(lambda: self.opened_uris() == ['mailto:ana@example.org'],
                      message=f'opened: {self.opened_uris()}')
        self.add_overdue('Bo Berg', '--phone', '+351 912 345 678')
        self.click_on('Bo Berg')
        self.wait_for(lambda: len(self.opened_uris()) == 2,
                      message=f'opened: {self.opened_uris()}')
        self.assertEqual(self.opened_uris()[1], 'tel:+351912345678')
        # Nothing to open: the report, never nothing.
        self.add_overdue('Cy Dahl')
        self.click_on('Cy Dahl')
        self.wait_for(lambda: len(self.opened_uris()) == 3,
                      message=f'opened: {self.opened_uris()}')
        # GIO hands a handler with %u a local path for a file:// URI.
        self.assertIn(self.opened_uris()[2],
                      (os.path.join(self.cache_home, 'touchbase',
                                    'report.html'),
                       'file://' + os.path.join(self.cache_home, 'touchbase',
                                                'report.html')))

    def test_click_refuses_dangerous_links(self):
        self.start_daemon()
        # A mailto: link that would attach a file is not opened; the
        # e-mail address is, instead.
        self.add_overdue('Eve Attach', '--url',
                         'mailto:x@example.org?attach=/etc/passwd',
                         '--email', 'eve@example.org')
        self.click_on('Eve Attach')
        self.wait_for(lambda: self.opened_uris() == ['mailto:eve@example.org'],
                      message=f'opened: {self.opened_uris()}')
        self.assertIn('Not opening', self.daemon_log())

    def test_reminder_worth_reading(self):
        self.stop_notification_server()
        self.start_daemon()
        cid = int(self.tb('add', 'Noor <b>Haddad</b>', '--company', 'Sol & Co',
                          '--position', 'UX Researcher',
                          '--interest', 'climbing <i>walls</i>')[1])
        self.tb('log', str(cid), '--kind', 'coffee', '--at', '-41d',
                '--note', 'told me about the <seed> round & more')
        self.start_notification_server()
        body = self.wait_for_notifications(1)[0]['body']
        self.assertIn('UX Researcher at Sol &amp; Co', body)
        self.assertIn('Last coffee: 6 weeks ago.', body)
        self.assertIn('“<i>told me about the &lt;seed&gt; round &amp; more'
                      '</i>”', body)
        self.assertIn('\nDue 11 days ago.\n', body)
        self.assertIn('Interested in: <i>climbing &lt;i&gt;walls&lt;/i&gt;'
                      '</i>', body)
        self.assertNotIn('<seed>', body)

    def test_pending_until_server_appears(self):
        self.stop_notification_server()
        self.start_daemon()
        self.add_overdue('Ines Ferreira')
        time.sleep(1)
        self.start_notification_server()
        n = self.wait_for_notifications(1)[0]
        self.assertIn('Ines Ferreira', n['summary'])

    def test_restart_does_not_realert(self):
        self.start_daemon()
        self.add_overdue('Jonas Becker')
        self.wait_for_notifications(1)
        self.stop_daemon()
        self.start_daemon()
        self.assert_stays(lambda: len(self.notify_calls()) == 1,
                          duration=1.5,
                          message='a restart alerted again')

    def test_catch_up_once_at_start(self):
        # Alerts that came due while nothing could show them fire once, in
        # one batch, when the daemon starts again with a server there.
        self.stop_notification_server()
        self.tb('add', 'Kavya Iyer')
        self.tb('log', 'kavya', '--kind', 'video', '--at', '-45d')
        self.tb('add', 'Liam Murphy')
        self.tb('log', 'liam', '--kind', 'coffee', '--at', '-50d')
        self.stop_daemon()
        self.start_notification_server()
        self.start_daemon()
        calls = self.wait_for_notifications(2)
        self.assert_stays(lambda: len(self.notify_calls()) == 2, 1.0)
        # Most overdue first.
        self.assertIn('Liam', calls[0]['summary'])
        self.stop_daemon()
        self.start_daemon()
        self.assert_stays(lambda: len(self.notify_calls()) == 2, 1.0,
                          message='a restart alerted again')


    def test_birthday_alert_once(self):
        self.start_daemon()
        today = datetime.date.today()
        self.tb('add', 'Olu Adeyemi', '--birthday',
                f'1985-{today.month:02d}-{today.day:02d}')
        tomorrow = today + datetime.timedelta(days=1)
        self.tb('add', 'Not Today', '--birthday',
                f'--{tomorrow.month:02d}-{tomorrow.day:02d}')
        n = self.wait_for_notifications(1)[0]
        self.assertEqual(n['summary'],
                         f'Olu Adeyemi turns {today.year - 1985} today')
        self.invoke_action(n['id'], 'done')
        self.wait_for(lambda: self.tb_json('show', 'olu')['interactions'],
                      message='wishes were not logged')
        self.assertEqual(
            self.tb_json('show', 'olu')['interactions'][0]['kind'], 'message')
        self.stop_daemon()
        self.start_daemon()
        self.assert_stays(lambda: len(self.notify_calls()) == 1, 1.0,
                          message='the birthday was alerted twice')


class LimitsTest(tbtest.TouchbaseTestCase):
    CONFIG = {'reminders': {'quiet-hours': '', 'batch-limit': '2',
                            'daily-limit': '3'}}

    def test_batch_digest_and_daily_limit(self):
        self.stop_notification_server()
        self.start_daemon()
        for i in range(5):
            self.tb('add', f'Person {i}')
            self.tb('log', f'Person {i}', '--at', f'-{40 - i}d')
        self.start_notification_server()
        calls = self.wait_for_notifications(3)
        self.assert_stays(lambda: len(self.notify_calls()) == 3, 1.0)
        # Two individual ones, most overdue first, then one digest for the
        # third the daily limit allows; the other two wait for tomorrow.
        self.assertIn('Person 0', calls[0]['summary'])
        self.assertIn('Person 1', calls[1]['summary'])
        self.assertIn('1 more person', calls[2]['summary'])
        self.assertIn('Person 2', calls[2]['body'])
        self.assertEqual(len(self.tb_json('list', '--due')), 5)
        # Tomorrow's wake-up is armed for the deferred ones.
        status = self.tb_json('status')
        tomorrow = datetime.datetime.now(datetime.timezone.utc).date() + \
            datetime.timedelta(days=1)
        self.assertEqual(parse_time(status['next_wakeup']).date(), tomorrow)


class HeldTest(tbtest.TouchbaseTestCase):
    CONFIG = {'reminders': {'quiet-hours': '', 'daily-limit': '2'}}

    def test_raised_daily_limit_releases_held_reminders(self):
        self.stop_notification_server()
        self.start_daemon()
        names = [f'Person {i}' for i in range(6)]
        for i, name in enumerate(names):
            self.tb('add', name)
            self.tb('log', name, '--kind', 'call', '--at', f'-{40 + i}d')
        self.start_notification_server()
        self.wait_for_notifications(2)
        self.wait_for(lambda: self.tb_json('status')
                      ['held_by_daily_limit'] == 4,
                      message='status does not show 4 held')
        status = self.tb_json('status')
        self.assertEqual(status['daily_limit'], 2)
        self.assertEqual(status['alerts_started_today'], 2)
        tomorrow = datetime.datetime.now(datetime.timezone.utc).date() + \
            datetime.timedelta(days=1)
        self.assertEqual(parse_time(status['held_until']).date(), tomorrow)
        _, text, _ = self.tb('status')
        held = [line for line in text.splitlines()
                if line.startswith('Held by daily limit\t')]
        self.assertEqual(len(held), 1, text)
        self.assertIn('4 reminders until', held[0])
        self.assertIn('daily-limit 2', held[0])

        self.write_config({'reminders': {'daily-limit': '10'}})
        calls = self.wait_for_notifications(6)
        shown = ' '.join(c['summary'] + ' ' + c['body'] for c in calls)
        for name in names:
            self.assertIn(name, shown)
        status = self.tb_json('status')
        self.assertEqual(status['held_by_daily_limit'], 0)
        self.assertNotIn('held_until', status)
        self.assertEqual(status['daily_limit'], 10)
        _, text, _ = self.tb('status')
        self.assertNotIn('Held by daily limit', text)

    def test_config_problems_in_status(self):
        self.start_daemon()
        self.assertEqual(self.tb_json('status')['config_problems'], [])
        self.write_config({'reminders': {'batch-limit': 'lots'}})
        self.wait_for(lambda: self.tb_json('status')['config_problems'],
                      message='status shows no configuration problem')
        problem, = self.tb_json('status')['config_problems']
        self.assertIn('touchbase.conf', problem)
        self.assertIn('[reminders] batch-limit', problem)
        self.assertIn('lots', problem)
        _, text, _ = self.tb('status')
        self.assertIn('Configuration\t', text)
        self.write_config({'reminders': {'batch-limit': '3'}})
        self.wait_for(lambda: self.tb_json('status')['config_problems'] == [],
                      message='a fixed problem stayed in status')

    def test_missing_server_in_status(self):
        self.stop_notification_server()
        self.start_daemon()
        self.tb('add', 'Ada Byron')
        self.tb('log', 'ada', '--at', '-40d')
        status = self.tb_json('status')
        self.assertFalse(status['notification_server'])
        self.assertEqual(status['pending_alerts'], 1)
        _, text, _ = self.tb('status')
        self.assertIn('no notification server', text)

    def test_refusing_server_in_status(self):
        # A server that answers Notify with an error: the alert waits, and
        # status says the server refused and when it is asked again.
        self._mock_call('AddMethod', 'sssss', [
            'org.freedesktop.Notifications', 'Notify', 'susssasa{sv}i', 'u',
            "raise dbus.exceptions.DBusException('no', name="
            "'org.freedesktop.DBus.Error.Failed')"])
        self.start_daemon()
        self.tb('add', 'Ada Byron')
        self.tb('log', 'ada', '--at', '-40d')
        status = self.wait_for(
            lambda: (lambda s: s if s.get('notification_retry_at')
                     else None)(self.tb_json('status')),
            message='status never said the server refused')
        self.assertTrue(status['notification_server'])
        self.assertEqual(status['pending_alerts'], 1)
        _, text, _ = self.tb('status')
        self.assertIn('refused the last alerts', text)


class QuietTest(tbtest.TouchbaseTestCase):
    # Quiet all day but one minute: the alert must wait.
    CONFIG = {'reminders': {'quiet-hours': '00:00-23:59'}}

    def test_quiet_hours_hold_alerts(self):
        self.start_daemon()
        cid = int(self.tb('add', 'Maya Goldberg')[1])
        self.tb('log', str(cid), '--at', '-40d')
        self.assert_stays(lambda: self.notify_calls() == [], 1.5,
                          message='alerted during quiet hours')
        self.assertEqual(len(self.tb_json('due')['contacts']), 1)
        status = self.tb_json('status')
        self.assertGreater(parse_time(status['quiet_until']),
                           datetime.datetime.now(datetime.timezone.utc))
        _, text, _ = self.tb('status')
        self.assertIn('Quiet hours\tuntil ', text)


class ClientTest(tbtest.TouchbaseTestCase):

    def test_names_and_errors(self):
        self.tb('add', 'Zoë Lambert', '--email', 'zoe@example.org')
        self.tb('add', 'Ana Silva')
        self.tb('add', 'Anabel Ortiz')
        self.assertEqual(self.tb_json('show', 'zoe')['name'], 'Zoë Lambert')
        self.assertEqual(self.tb_json('show', 'ZOË')['email'],
                         'zoe@example.org')
        rc, _, err = self.tb('show', 'an', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('Ana Silva', err)
        self.assertIn('Anabel Ortiz', err)
        rc, _, err = self.tb('show', 'nobody', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('nobody', err)
        rc, _, _ = self.tb('frobnicate', check=False)
        self.assertEqual(rc, 2)
        rc, _, err = self.tb('add', 'X', '--every', 'soon', check=False)
        self.assertIn(rc, (1, 2))
        self.assertIn('soon', err)
        rc, _, err = self.tb('log', 'zoe', '--kind', 'telepathy', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('telepathy', err)
        # Bad input changed nothing.
        self.assertEqual(len(self.tb_json('list')), 3)
        self.assertEqual(self.tb_json('show', 'zoe')['interactions'], [])

    def test_contact_json_fields(self):
        self.tb('add', 'Olu Adeyemi', '--every', '2w', '--tag', 'family',
                '--url', 'https://example.org/olu', '--company', 'Build')
        c = self.tb_json('list')[0]
        for key in ('id', 'uid', 'name', 'email', 'url', 'company',
                    'position', 'tags', 'interval_seconds', 'due_at',
                    'last_interaction_at', 'last_conversation_at',
                    'snoozed_until', 'connected_on', 'paused', 'source'):
            self.assertIn(key, c)
        self.assertEqual(c['interval_seconds'], 14 * 86400)
        self.assertEqual(c['tags'], ['family'])
        self.assertIsNone(c['last_interaction_at'])
        self.assertEqual(c['source'], 'manual')
        self.tb('pause', 'olu')
        self.assertTrue(self.tb_json('show', 'olu')['paused'])
        self.assertIsNone(self.tb_json('show', 'olu')['due_at'])
        self.tb('resume', 'olu')
        self.assertIsNotNone(self.tb_json('show', 'olu')['due_at'])
        # Part of a name is not enough to remove someone in a pipe.
        rc, _, err = self.tb('rm', 'olu', check=False)
        self.assertEqual(rc, 1)
        self.assertIn('only part of', err)
        self.assertEqual(len(self.tb_json('list')), 1)
        self.tb('rm', 'olu adeyemi')
        self.assertEqual(self.tb_json('list'), [])

    def test_config_reload_on_change(self):
        self.start_daemon()
        self.tb('add', 'Priya Raman')
        self.assertEqual(self.tb_json('show', 'priya')['interval_seconds'],
                         30 * 86400)
        self.write_config({'reminders': {'default-interval': '10d'}})
        self.wait_for(lambda: self.tb_json('show', 'priya')
                      ['interval_seconds'] == 10 * 86400,
                      message='the new default was not applied')
        self.write_config({'reminders': {'default-interval': 'often'}})
        self.daemon.send_signal(signal.SIGHUP)
        self.wait_for(lambda: 'often' in self.daemon_log(),
                      message='a bad value was not reported')
        self.assertIn('default-interval', self.daemon_log())
        self.assertEqual(self.tb_json('show', 'priya')['interval_seconds'],
                         30 * 86400)


if __name__ == '__main__':
    tbtest.main()
