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
        self.assertEqual(n['action_keys'], ['default', 'done', 'snooze'])

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
        self.wait_for(lambda: self.opened_uris() ==
                      ['https://example.org/hiroshi'],
                      message=f'opened: {self.opened_uris()}')
        # ... and the file: link never is.
        self.assert_stays(lambda: 'file:///etc/passwd' not in
                          self.opened_uris(), duration=1.0)
        self.assertIn('Not opening', self.daemon_log())
        self.assertTrue(bad and good)

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
