#!/usr/bin/python3
# A real notification server with pixels: dunst under Xvfb shows the
# reminder, and its default action opens the contact's link.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shlex
import shutil
import subprocess
import unittest

import tbtest

NEEDED = ('Xvfb', 'dunst', 'dunstctl', 'import', 'convert')


@unittest.skipUnless(all(shutil.which(p) for p in NEEDED),
                     'needs Xvfb, dunst and imagemagick')
class DunstTest(tbtest.TouchbaseTestCase):
    NOTIFICATION_CAPS = None

    def setUp(self):
        super().setUp()
        read_end, write_end = os.pipe()
        self.xvfb = subprocess.Popen(
            ['Xvfb', '-displayfd', str(write_end), '-screen', '0',
             '1024x400x24', '-nolisten', 'tcp'],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL,
            stderr=self._log('xvfb.log'))
        os.close(write_end)
        with os.fdopen(read_end) as f:
            display = f.readline().strip()
        self.assertTrue(display, 'Xvfb did not start')
        self.env['DISPLAY'] = f':{display}'
        config = os.path.join(self.tmpdir, 'dunstrc')
        with open(config, 'w') as f:
            f.write('[global]\nfont = Monospace 10\nwidth = 400\n'
                    'origin = top-right\noffset = 10x40\nmarkup = full\n'
                    f'dmenu = {self._pick_action_script()}\n'
                    # Never expire: what leaves the screen was closed.
                    '[urgency_normal]\ntimeout = 0\n')
        # dunst logs its own warnings through GLib: the test environment's
        # fatal-warnings is for our code, not for the server.
        dunst_env = {k: v for k, v in self.env.items() if k != 'G_DEBUG'}
        self.dunst = subprocess.Popen(['dunst', '-config', config],
                                      env=dunst_env,
                                      stdout=self._log('dunst.log'),
                                      stderr=subprocess.STDOUT)
        self.wait_for(lambda: self.name_has_owner(tbtest.NOTIFY_NAME),
                      timeout=15, message='dunst did not start')

    def tearDown(self):
        try:
            super().tearDown()
        finally:
            for proc in (self.dunst, self.xvfb):
                proc.terminate()
                proc.wait(timeout=10)

    def _pick_action_script(self):
        '''A stand-in for dmenu: dunst's context menu lists the actions
        as "#LABEL (SUMMARY) [ID,KEY]"; this picks the one whose key is in
        the file pick-action, as a user choosing it would.'''
        self.pick_path = os.path.join(self.tmpdir, 'pick-action')
        script = os.path.join(self.tmpdir, 'fake-dmenu')
        with open(script, 'w') as f:
            f.write('#!/bin/sh\nexec grep -F ",$(cat %s)]"\n'
                    % shlex.quote(self.pick_path))
        os.chmod(script, 0o755)
        return script

    def dunstctl(self, *args):
        return subprocess.run(['dunstctl', *args], env=self.env, text=True,
                              capture_output=True, check=True).stdout.strip()

    def test_reminder_on_screen_and_click_opens_link(self):
        self.start_daemon()
        self.tb('add', 'Ana Silva', '--url', 'https://example.org/ana')
        self.tb('edit', 'ana', '--goal', 'her move to Lisbon')
        self.tb('log', 'ana', '--kind', 'coffee', '--at', '-40d')
        self.wait_for(lambda: self.dunstctl('count', 'displayed') == '1',
                      message='dunst shows no notification')

        shot = os.path.join(self.logdir, 'screen.png')
        subprocess.run(['import', '-window', 'root', shot], env=self.env,
                       check=True)
        # The notification sits top right; the rest of the screen is black.
        box = subprocess.run(
            ['convert', shot, '-crop', '400x80+614+40', '-format',
             '%[fx:mean]', 'info:'],
            capture_output=True, text=True, check=True).stdout
        rest = subprocess.run(
            ['convert', shot, '-crop', '400x200+0+200', '-format',
             '%[fx:mean]', 'info:'],
            capture_output=True, text=True, check=True).stdout
        self.assertGreater(float(box), 0.05)
        self.assertEqual(float(rest), 0.0)

        # Clicking (dunst's default action) opens the link.
        self.dunstctl('action', '0')
        self.wait_for(lambda: self.opened_uris() ==
                      ['https://example.org/ana'],
                      message=f'opened: {self.opened_uris()}')

    def test_done_takes_the_notification_off_screen(self):
        self.start_daemon()
        cid = int(self.tb('add', 'Bo Berg')[1])
        self.tb('log', str(cid), '--kind', 'call', '--at', '-40d')
        self.wait_for(lambda: self.dunstctl('count', 'displayed') == '1',
                      message='dunst shows no notification')
        with open(self.pick_path, 'w') as f:
            f.write('done')
        self.dunstctl('context')
        self.wait_for(lambda: len(self.tb_json('show', str(cid))
                                  ['interactions']) == 2,
                      message='Done did not log an interaction')
        self.wait_for(lambda: self.dunstctl('count', 'displayed') == '0',
                      message='the notification stayed on screen')


if __name__ == '__main__':
    tbtest.main()
