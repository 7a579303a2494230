#!/usr/bin/python3
# A full disk at start: the daemon's data folder is a tmpfs of 256 KiB,
# filled to the last byte, in a mount namespace of the daemon's own
# (unshare -m, or -rm where a user namespace is allowed), so no real disk
# is filled. SQLite needs room for the WAL and its index even to read; the
# daemon must say that the disk is full, not that the database is damaged,
# and leave it as it was.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shlex
import shutil
import subprocess

import tbtest


def unshare_prefix():
    '''The unshare command that gives a mount namespace here, or None.'''
    if shutil.which('unshare') is None:
        return None
    for prefix in (['unshare', '-m'], ['unshare', '-rm']):
        try:
            probe = subprocess.run(
                prefix + ['sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'],
                capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return None


class FullDiskTest(tbtest.TouchbaseTestCase):

    def test_a_full_disk_at_start_is_no_damage(self):
        prefix = unshare_prefix()
        if prefix is None:
            self.skipTest('no mount namespace here (unshare -m and -rm fail)')
        self.start_daemon()
        self.tb('add', 'Ana Silva')
        self.tb('log', 'Ana Silva', '--note', 'coffee')
        self.stop_daemon()
        saved = os.path.join(self.tmpdir, 'saved')
        shutil.copytree(self.data_dir, saved)
        db = shlex.quote(self.db_path)
        data = shlex.quote(self.data_dir)
        script = (
            f'mount -t tmpfs -o size=256k tmpfs {data} || exit 99\n'
            f'cp -a {shlex.quote(saved)}/. {data}/ || exit 98\n'
            f'dd if=/dev/zero of={data}/filler bs=4096 2>/dev/null\n'
            f'dd if=/dev/zero of={data}/filler2 bs=1 2>/dev/null\n'
            f'{shlex.quote(tbtest.TOUCHBASED)}\n'
            'status=$?\n'
            f'if cmp -s {db} {shlex.quote(saved)}/touchbase.db; then '
            'echo SAME; else echo CHANGED; fi\n'
            'exit $status\n')
        proc = subprocess.run(prefix + ['sh', '-c', script],
                              capture_output=True, text=True,
                              env=self._daemon_env(),
                              timeout=30 * tbtest.TIMEOUT_SCALE)
        with self._log('touchbased.log') as log:
            log.write(f'=== full disk -> {proc.returncode}\n{proc.stdout}'
                      f'{proc.stderr}'.encode())
        if proc.returncode in (98, 99):
            self.skipTest(f'could not set up the full tmpfs: {proc.stderr}')
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn('No space left on device', proc.stderr)
        self.assertNotIn('damaged', proc.stderr)
        self.assertIn(self.db_path, proc.stderr)
        self.assertIn('SAME', proc.stdout)
        # Outside the namespace the database is where it was, and opens.
        self.start_daemon()
        self.assertEqual([c['name'] for c in self.tb_json('list', '--all')],
                         ['Ana Silva'])


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
