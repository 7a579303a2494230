# tbtest.py — harness for touchbase integration tests.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every test method runs in its own world: a private D-Bus session bus whose
# service directory D-Bus-activates the built touchbased, private XDG and HOME
# directories, a touchbase.conf with no quiet hours, a python-dbusmock
# notification server, and a fake URI handler that records what the daemon
# asked the desktop to open instead of launching a browser.
#
# Run under /usr/bin/python3 (Debian's dbusmock and python3-dbus live there).
# The test files print TAP (see main()); every child process writes to a log
# file under $TB_TEST_LOGDIR/<file>/<test>/, never to the test's stdout.

import configparser
import json
import os
import pty
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unittest

try:
    import dbus
except ImportError:  # reported as a skip of the whole file by main()
    dbus = None

BUS_NAME = 'io.github.touchbase.Daemon'
OBJECT_PATH = '/io/github/touchbase/Daemon'
INTERFACE = 'io.github.touchbase.Daemon1'

NOTIFY_NAME = 'org.freedesktop.Notifications'
NOTIFY_PATH = '/org/freedesktop/Notifications'
MOCK_IFACE = 'org.freedesktop.DBus.Mock'

DEFAULT_CAPS = ('body', 'body-markup', 'actions')

_HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get('TB_SOURCE_DIR',
                            os.path.dirname(os.path.dirname(_HERE)))
BUILD_DIR = os.environ.get('TB_BUILD_DIR', os.path.join(SOURCE_DIR, 'build'))
TOUCHBASED = os.environ.get('TOUCHBASED',
                            os.path.join(BUILD_DIR, 'daemon', 'touchbased'))
TOUCHBASE = os.environ.get('TOUCHBASE',
                           os.path.join(BUILD_DIR, 'client', 'touchbase'))
LOG_ROOT = os.environ.get('TB_TEST_LOGDIR',
                          os.path.join(BUILD_DIR, 'tests', 'integration', 'logs'))
# Debian's interpreter, for dbusmock; the test itself may run under another.
PYTHON = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') \
    else sys.executable

# Scale every timeout, e.g. TB_TEST_TIMEOUT_SCALE=5 under valgrind or ASan.
TIMEOUT_SCALE = float(os.environ.get('TB_TEST_TIMEOUT_SCALE', '1'))

# Variables that would let a child reach the real session, the real display
# or the real home; each test sets its own or leaves them unset.
_SCRUBBED_ENV = (
    'DBUS_SESSION_BUS_ADDRESS', 'DBUS_STARTER_ADDRESS', 'DBUS_STARTER_BUS_TYPE',
    'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_CURRENT_DESKTOP', 'XDG_SESSION_TYPE',
    'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME',
    'XDG_RUNTIME_DIR', 'G_MESSAGES_DEBUG', 'NOTIFY_IGNORE_PORTAL',
    'GIO_USE_VFS', 'BROWSER',
)

# MIME types and URI schemes routed to the recording handler: everything a
# contact URL could plausibly resolve to, so that nothing reaches a real app.
_RECORDED_TYPES = (
    'x-scheme-handler/http', 'x-scheme-handler/https',
    'x-scheme-handler/mailto', 'x-scheme-handler/tel',
    'x-scheme-handler/sms', 'x-scheme-handler/file', 'x-scheme-handler/ftp',
    'x-scheme-handler/javascript', 'x-scheme-handler/data',
    'x-scheme-handler/ssh', 'x-scheme-handler/smb',
    'text/plain', 'text/html', 'inode/directory', 'application/octet-stream',
    'application/x-shellscript', 'application/x-executable',
    'application/x-desktop',
)

_BUS_CONFIG = '''<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{servicedir}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
'''


def _to_python(value):
    '''Turn dbus-python values into plain Python ones.'''
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.UInt16, dbus.Int32,
                          dbus.UInt32, dbus.Int64, dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(value)
    if isinstance(value, dbus.Dictionary):
        return {_to_python(k): _to_python(v) for k, v in value.items()}
    if isinstance(value, dbus.Array):
        if value.signature == 'y':
            return bytes(value)
        return [_to_python(v) for v in value]
    if isinstance(value, dbus.Struct):
        return tuple(_to_python(v) for v in value)
    return value


class TouchbaseTestCase(unittest.TestCase):
    '''Base class for integration tests; see the module comment.

    Class attributes a test class may override:
      CONFIG             {group: {key: value}} merged over the default
                         {'reminders': {'quiet-hours': ''}}
      NOTIFICATION_CAPS  capabilities of the mock notification server started
                         in setUp; None: start none (call
                         start_notification_server() yourself)
      ACTIVATABLE        install the D-Bus activation file for touchbased
      DAEMON_ENV         extra environment for touchbased (dict)
      CHECK_CLEAN_EXIT   fail in tearDown when the touchbased started by
                         start_daemon() died during the test or does not
                         exit 0 on SIGTERM, or when one the bus activated
                         exited other than with 0 (a crash, an abort on a
                         critical) at any time
    '''

    CONFIG = {}
    NOTIFICATION_CAPS = DEFAULT_CAPS
    ACTIVATABLE = True
    DAEMON_ENV = {}
    CHECK_CLEAN_EXIT = True

    # ---------------------------------------------------------------- setup

    def setUp(self):
        if not os.access(TOUCHBASED, os.X_OK):
            self.fail(f'touchbased not built: {TOUCHBASED}')
        self.tmpdir = tempfile.mkdtemp(prefix='tb-test-')
        module = sys.modules[type(self).__module__]
        self.logdir = os.path.join(
            LOG_ROOT,
            os.path.splitext(os.path.basename(module.__file__))[0],
            f'{type(self).__name__}.{self._testMethodName}')
        shutil.rmtree(self.logdir, ignore_errors=True)
        os.makedirs(self.logdir, exist_ok=True)

        self.home = self._mkdir('home')
        self.data_home = self._mkdir('home/.local/share')
        self.config_home = self._mkdir('home/.config')
        self.cache_home = self._mkdir('home/.cache')
        self.state_home = self._mkdir('home/.local/state')
        self.runtime_dir = self._mkdir('runtime')
        self.data_dir = os.path.join(self.data_home, 'touchbase')
        self.db_path = os.path.join(self.data_dir, 'touchbase.db')
        self.config_path = os.path.join(self.config_home, 'touchbase',
                                        'touchbase.conf')
        self.opened_path = os.path.join(self.tmpdir, 'opened-uris')
        self.activation_record = os.path.join(self.tmpdir,
                                              'activated-daemon-exits')

        self.daemon = None
        self._procs = []
        self._notify_proc = None
        self._bus_proc = None
        self._bus = None
        self._files = []

        self.config = {'reminders': {'quiet-hours': ''}}
        for group, keys in self.CONFIG.items():
            self.config.setdefault(group, {}).update(keys)
        self.write_config()
        self._install_uri_recorder()

        self.env = self._make_env()
        # unittest skips tearDown when setUp fails, and a subclass's setUp
        # (an import, say) can fail after the bus started: the cleanup
        # tears down then, once.
        self._torn_down = False
        self.addCleanup(self._tear_down_once)
        self._start_bus()
        if self.NOTIFICATION_CAPS is not None:
            self.start_notification_server(self.NOTIFICATION_CAPS)

    def _tear_down_once(self):
        if not self._torn_down:
            self.tearDown()

    def tearDown(self):
        self._torn_down = True
        try:
            # A daemon that died before the end of the test: a later call
            # may even have activated a new one and passed.
            died = None
            if self.daemon is not None and self.daemon.poll() not in (None,
                                                                       0):
                died = self.daemon.returncode
            status = self.stop_daemon()
            if self.CHECK_CLEAN_EXIT:
                problems = []
                if died is not None:
                    problems.append('touchbased died during the test: it '
                                    + describe_status(died))
                elif status not in (None, 0):
                    problems.append(f'touchbased exited with {status} on '
                                    'SIGTERM')
                if problems:
                    problems[-1] += f'; see {self.daemon_log_path}'
                problems += self._activated_problems()
                if problems:
                    self.fail('\n'.join(problems))
        finally:
            for proc in self._procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            self.stop_notification_server()
            self._stop_bus()
            for f in self._files:
                f.close()
            if os.environ.get('TB_KEEP_TMP'):
                sys.stderr.write(f'# kept {self.tmpdir}\n')
            else:
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _mkdir(self, rel):
        path = os.path.join(self.tmpdir, rel)
        os.makedirs(path, mode=0o700, exist_ok=True)
        return path

    def _log(self, name):
        f = open(os.path.join(self.logdir, name), 'ab', buffering=0)
        self._files.append(f)
        return f

    def _make_env(self):
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        env.update({
            'HOME': self.home,
            'XDG_DATA_HOME': self.data_home,
            'XDG_CONFIG_HOME': self.config_home,
            'XDG_CACHE_HOME': self.cache_home,
            'XDG_STATE_HOME': self.state_home,
            'XDG_RUNTIME_DIR': self.runtime_dir,
            'LC_ALL': os.environ.get('TB_TEST_LOCALE', 'C.UTF-8'),
            'TZ': os.environ.get('TZ', 'UTC'),
            'NO_COLOR': '1',
            'GSETTINGS_BACKEND': 'memory',
        })
        return env

    def _daemon_env(self):
        env = dict(self.env)
        env['G_MESSAGES_DEBUG'] = 'all'
        env.update(self.DAEMON_ENV)
        return env

    def _install_uri_recorder(self):
        '''Make GIO's default handler for every URI a script that appends
        the URI to self.opened_path, so opening a link is observable and no
        browser ever starts.'''
        script = os.path.join(self.tmpdir, 'record-uri')
        with open(script, 'w') as f:
            f.write('#!/bin/sh\n'
                    f'for u in "$@"; do printf "%s\\n" "$u" >> '
                    f'"{self.opened_path}"; done\n')
        os.chmod(script, 0o755)
        apps = os.path.join(self.data_home, 'applications')
        os.makedirs(apps, exist_ok=True)
        with open(os.path.join(apps, 'tb-test-recorder.desktop'), 'w') as f:
            f.write('[Desktop Entry]\nType=Application\nName=Recorder\n'
                    f'Exec={script} %u\nNoDisplay=true\n'
                    f'MimeType={";".join(_RECORDED_TYPES)};\n')
        with open(os.path.join(self.config_home, 'mimeapps.list'), 'w') as f:
            f.write('[Default Applications]\n')
            for t in _RECORDED_TYPES:
                f.write(f'{t}=tb-test-recorder.desktop\n')

    # -------------------------------------------------------------- the bus

    def _start_bus(self):
        servicedir = self._mkdir('dbus-services')
        if self.ACTIVATABLE:
            # The bus starts touchbased through a shell that notes how each
            # one ended: a crash of an activated daemon would otherwise go
            # unseen, as the next call simply activates a new one.
            wrapper = os.path.join(self.tmpdir, 'activate-touchbased')
            record = shlex.quote(self.activation_record)
            with open(wrapper, 'w') as f:
                f.write('#!/bin/sh\n'
                        f'echo start >> {record}\n'
                        f'{shlex.quote(TOUCHBASED)} "$@"\n'
                        'status=$?\n'
                        f'echo "exit $status" >> {record}\n'
                        'exit $status\n')
            os.chmod(wrapper, 0o755)
            with open(os.path.join(servicedir, BUS_NAME + '.service'),
                      'w') as f:
                f.write(f'[D-BUS Service]\nName={BUS_NAME}\n'
                        f'Exec={wrapper}\n')
        socket = os.path.join(self.runtime_dir, 'bus')
        conf = os.path.join(self.tmpdir, 'bus.conf')
        with open(conf, 'w') as f:
            f.write(_BUS_CONFIG.format(socket=socket, servicedir=servicedir))
        # The bus gets the daemon's environment: a D-Bus-activated touchbased
        # inherits it, and its stdout and stderr, so they go to a log file;
        # the address comes back through a pipe of its own.
        rfd, wfd = os.pipe()
        log = self._log('bus-and-activated-daemon.log')
        try:
            self._bus_proc = subprocess.Popen(
                ['dbus-daemon', f'--config-file={conf}', '--nofork',
                 f'--print-address={wfd}'],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env=self._daemon_env(), pass_fds=(wfd,),
                start_new_session=True)
        finally:
            os.close(wfd)
        with os.fdopen(rfd) as r:
            address = r.readline().strip()
        if not address:
            self.fail('dbus-daemon did not start; see '
                      + os.path.join(self.logdir,
                                     'bus-and-activated-daemon.log'))
        self.bus_address = address
        self.env['DBUS_SESSION_BUS_ADDRESS'] = address
        self._bus = dbus.bus.BusConnection(address)

    def _stop_bus(self):
        if self._bus is not None:
            self._bus.close()
            self._bus = None
        if self._bus_proc is not None:
            # Kills the bus and anything it activated that is still around.
            try:
                os.killpg(self._bus_proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self._bus_proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self._bus_proc.pid, signal.SIGKILL)
                self._bus_proc.wait()
            self._bus_proc = None

    @property
    def bus(self):
        '''A dbus-python connection to the private bus.'''
        return self._bus

    def name_owner_pid(self, name):
        '''PID of the process owning NAME on the private bus, or None.'''
        try:
            return int(self._bus.call_blocking(
                'org.freedesktop.DBus', '/org/freedesktop/DBus',
                'org.freedesktop.DBus', 'GetConnectionUnixProcessID', 's',
                [name]))
        except dbus.exceptions.DBusException:
            return None

    def name_has_owner(self, name):
        return bool(self._bus.call_blocking(
            'org.freedesktop.DBus', '/org/freedesktop/DBus',
            'org.freedesktop.DBus', 'NameHasOwner', 's', [name]))

    def daemon_call(self, method, signature='', args=(), timeout=10):
        '''Call a method of io.github.touchbase.Daemon1 directly (no client);
        returns plain Python values.'''
        return _to_python(self._bus.call_blocking(
            BUS_NAME, OBJECT_PATH, INTERFACE, method, signature, list(args),
            timeout=timeout * TIMEOUT_SCALE))

    def daemon_property(self, name):
        return _to_python(self._bus.call_blocking(
            BUS_NAME, OBJECT_PATH, 'org.freedesktop.DBus.Properties', 'Get',
            'ss', [INTERFACE, name]))

    # ------------------------------------------------------------- waiting

    def wait_for(self, predicate, timeout=10, message=None, interval=0.05):
        '''Call PREDICATE until it returns something true and return that;
        fail the test after TIMEOUT seconds (scaled by
        TB_TEST_TIMEOUT_SCALE).'''
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                self.fail(message or f'timed out after {timeout}s waiting '
                          f'for {getattr(predicate, "__name__", predicate)}')
            time.sleep(interval)

    def assert_stays(self, predicate, duration=1.0, message=None,
                     interval=0.05):
        '''Assert PREDICATE stays true for DURATION seconds (for "nothing
        happens" checks, e.g. no second notification).'''
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            if not predicate():
                self.fail(message or f'{predicate} became false')
            time.sleep(interval)

    # ------------------------------------------------ notification server

    def start_notification_server(self, caps=DEFAULT_CAPS):
        '''Start python-dbusmock's notification_daemon on the private bus
        with CAPS (a sequence of capability strings) and wait until it owns
        org.freedesktop.Notifications.'''
        self.stop_notification_server()
        params = json.dumps({'capabilities': ' '.join(caps)})
        log = self._log('notification-server.log')
        self._notify_proc = subprocess.Popen(
            [PYTHON, '-m', 'dbusmock', '--template', 'notification_daemon',
             '-l', os.path.join(self.logdir, 'notification-calls.log'),
             '-p', params],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=self.env)
        self.wait_for(lambda: self.name_has_owner(NOTIFY_NAME)
                      or self._notify_proc.poll() is not None, timeout=15,
                      message='notification server did not start')
        if self._notify_proc.poll() is not None:
            self.fail('notification server exited; see '
                      + os.path.join(self.logdir, 'notification-server.log'))

    def stop_notification_server(self):
        if self._notify_proc is None:
            return
        self._notify_proc.terminate()
        try:
            self._notify_proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._notify_proc.kill()
            self._notify_proc.wait()
        self._notify_proc = None

    def _mock_call(self, method, signature='', args=()):
        return self._bus.call_blocking(NOTIFY_NAME, NOTIFY_PATH, MOCK_IFACE,
                                       method, signature, list(args))

    def notify_calls(self):
        '''The Notify calls the mock server received, oldest first, as dicts:
        id (the id the server returned), app_name, replaces_id, app_icon,
        summary, body, actions (dict key -> label), action_keys (list, in
        order), hints (dict), expire_timeout, timestamp.'''
        calls = _to_python(self._mock_call('GetMethodCalls', 's', ['Notify']))
        # The template numbers new notifications 1, 2, ... and returns
        # replaces_id when one is given; mirror it to know each call's id.
        next_id = 1
        result = []
        for timestamp, args in calls:
            app_name, replaces_id, icon, summary, body, actions, hints, \
                expire = args
            if replaces_id:
                nid = replaces_id
            else:
                nid = next_id
                next_id += 1
            result.append({
                'id': nid, 'app_name': app_name, 'replaces_id': replaces_id,
                'app_icon': icon, 'summary': summary, 'body': body,
                'actions': dict(zip(actions[0::2], actions[1::2])),
                'action_keys': list(actions[0::2]), 'hints': hints,
                'expire_timeout': expire, 'timestamp': timestamp,
            })
        return result

    def mock_calls(self, method):
        '''Raw (timestamp, args) of calls to METHOD on the notification
        server, e.g. 'CloseNotification' or 'GetCapabilities'.'''
        return _to_python(self._mock_call('GetMethodCalls', 's', [method]))

    def clear_notify_calls(self):
        '''Forget recorded calls (notification ids keep counting on the
        server, so notify_calls() ids are only right before the first
        clear).'''
        self._mock_call('ClearCalls')

    def wait_for_notifications(self, count=1, timeout=10):
        '''Wait until at least COUNT Notify calls arrived; return them all.'''
        return self.wait_for(
            lambda: (lambda c: c if len(c) >= count else None)(
                self.notify_calls()),
            timeout=timeout,
            message=f'expected {count} notification(s), got '
                    f'{len(self.notify_calls())}')

    def invoke_action(self, notification_id, key):
        '''Click: emit ActionInvoked(NOTIFICATION_ID, KEY) from the server.'''
        self._mock_call('EmitSignal', 'sssav',
                        [NOTIFY_NAME, 'ActionInvoked', 'us',
                         [dbus.UInt32(notification_id), key]])

    def close_notification(self, notification_id, reason=2):
        '''Emit NotificationClosed (reason 1 expired, 2 dismissed, 3 closed
        by call, 4 undefined).'''
        self._mock_call('EmitSignal', 'sssav',
                        [NOTIFY_NAME, 'NotificationClosed', 'uu',
                         [dbus.UInt32(notification_id),
                          dbus.UInt32(reason)]])

    def opened_uris(self):
        '''URIs the daemon asked the desktop to open, in order.'''
        try:
            with open(self.opened_path) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    # -------------------------------------------------------- configuration

    def write_config(self, overrides=None, text=None):
        '''Rewrite touchbase.conf: self.config merged with OVERRIDES
        ({group: {key: value}}), or exactly TEXT when given.'''
        for group, keys in (overrides or {}).items():
            self.config.setdefault(group, {}).update(keys)
        os.makedirs(os.path.dirname(self.config_path), exist_ok=True)
        if text is None:
            text = ''
            for group, keys in self.config.items():
                text += f'[{group}]\n'
                text += ''.join(f'{k}={v}\n' for k, v in keys.items())
        # Replace atomically so a watching daemon never reads half a file.
        tmp = self.config_path + '.tmp'
        with open(tmp, 'w') as f:
            f.write(text)
        os.rename(tmp, self.config_path)

    # -------------------------------------------------------------- daemon

    def start_daemon(self, *args, wait=True, env=None):
        '''Start the built touchbased directly with ARGS (output to
        touchbased.log in the log dir); ARGS may also be one list. With WAIT,
        wait until it owns the bus name (failing the test if it exits first)
        and make it self.daemon. Without WAIT (e.g. a second instance that
        must refuse), returns at once; use proc.wait(timeout=...). Returns
        the Popen; every process started is killed at tearDown.'''
        if len(args) == 1 and isinstance(args[0], (list, tuple)):
            args = tuple(args[0])
        daemon_env = self._daemon_env()
        daemon_env.update(env or {})
        log = self._log('touchbased.log')
        log.write(f'=== touchbased {" ".join(args)}\n'.encode())
        proc = subprocess.Popen([TOUCHBASED, *args], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, env=daemon_env)
        self._procs.append(proc)
        if self.daemon is None or self.daemon.poll() is not None:
            self.daemon = proc
        if wait:
            self.wait_for(lambda: proc.poll() is not None
                          or self.name_owner_pid(BUS_NAME) == proc.pid,
                          timeout=15, message='touchbased did not own '
                          f'{BUS_NAME}; see {self.daemon_log_path}')
            if proc.poll() is not None:
                self.fail(f'touchbased exited with {proc.returncode}; '
                          f'log:\n{self.daemon_log()}')
            self.daemon = proc  # also after --replace took over the name
        return proc

    @property
    def daemon_log_path(self):
        return os.path.join(self.logdir, 'touchbased.log')

    def daemon_log(self):
        '''Everything touchbased wrote so far: started directly and, when
        D-Bus-activated, through the bus.'''
        text = ''
        for name in ('touchbased.log', 'bus-and-activated-daemon.log'):
            try:
                with open(os.path.join(self.logdir, name), 'rb') as f:
                    text += f.read().decode(errors='replace')
            except FileNotFoundError:
                pass
        return text

    def stop_daemon(self, sig=signal.SIGTERM, timeout=10):
        '''Stop touchbased, whether started by start_daemon() or activated
        by the bus: send SIG and wait. Returns its exit status (negative:
        killed by a signal) or None when none was running. An activated
        daemon is not our child; its status is then unknown (returns 0 once
        it has released the name and exited).'''
        status = None
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.send_signal(sig)
            try:
                status = self.daemon.wait(timeout=timeout * TIMEOUT_SCALE)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
                self.daemon = None
                self.fail(f'touchbased did not exit on {sig!r}')
            self.daemon = None
            return status
        if self._bus is None:
            return None
        pid = self.name_owner_pid(BUS_NAME)
        if pid is None:
            self.daemon = None
            return None
        os.kill(pid, sig)
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        while _pid_alive(pid):
            if time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                self.fail(f'activated touchbased did not exit on {sig!r}')
            time.sleep(0.05)
        return 0

    def daemon_pid(self):
        '''PID of whichever touchbased owns the bus name, or None.'''
        return self.name_owner_pid(BUS_NAME)

    def activated_exits(self):
        '''(started, statuses): how many touchbased the bus activated so
        far and the exit statuses of those that ended, as the shell reports
        them (128 + N: killed by signal N).'''
        try:
            with open(self.activation_record) as f:
                lines = f.read().split('\n')
        except FileNotFoundError:
            return 0, []
        return (lines.count('start'),
                [int(line.split()[1]) for line in lines
                 if line.startswith('exit ')])

    def _activated_problems(self):
        # stop_daemon() has seen the daemon go; its shell notes the status
        # a moment later.
        deadline = time.monotonic() + 2 * TIMEOUT_SCALE
        started, statuses = self.activated_exits()
        while len(statuses) < started and time.monotonic() < deadline:
            time.sleep(0.05)
            started, statuses = self.activated_exits()
        return [f'a D-Bus-activated touchbased {describe_shell_status(s)}; '
                'see ' + os.path.join(self.logdir,
                                      'bus-and-activated-daemon.log')
                for s in statuses if s != 0]

    # -------------------------------------------------------------- client

    def tb(self, *args, check=True, input=None, timeout=30, env=None):
        '''Run the built touchbase client with ARGS on the private bus.
        Returns (returncode, stdout, stderr) as str. With CHECK, fail the
        test unless it exits 0.'''
        run_env = dict(self.env)
        run_env.update(env or {})
        try:
            proc = subprocess.run([TOUCHBASE, *map(str, args)], input=input,
                                  capture_output=True, text=True,
                                  env=run_env,
                                  timeout=timeout * TIMEOUT_SCALE)
        except subprocess.TimeoutExpired as e:
            self.fail(f'touchbase {" ".join(map(str, args))} timed out '
                      f'after {e.timeout}s')
        with self._log('client.log') as log:
            log.write(f'=== touchbase {" ".join(map(str, args))} -> '
                      f'{proc.returncode}\n{proc.stdout}{proc.stderr}'
                      .encode())
        if check and proc.returncode != 0:
            self.fail(f'touchbase {" ".join(map(str, args))} exited '
                      f'{proc.returncode}\nstdout: {proc.stdout}\n'
                      f'stderr: {proc.stderr}')
        return proc.returncode, proc.stdout, proc.stderr

    def tb_on_terminal(self, args, prompt, answer):
        '''Run touchbase ARGS with stdin and stderr on a pseudo-terminal,
        write ANSWER once PROMPT (bytes) has appeared, and return (exit
        status, stdout, what the terminal showed). Fails the test when
        the prompt never came.'''
        master, slave = pty.openpty()
        proc = subprocess.Popen([TOUCHBASE, *args], stdin=slave,
                                stdout=subprocess.PIPE, stderr=slave,
                                env=self.env)
        os.close(slave)
        shown = b''
        answered = False
        deadline = time.monotonic() + 30 * TIMEOUT_SCALE
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:  # EIO: the client has gone
                        break
                    if not chunk:
                        break
                    shown += chunk
                if not answered and prompt in shown:
                    os.write(master, answer)
                    answered = True
                if proc.poll() is not None and not ready:
                    break
            out, _ = proc.communicate(timeout=10 * TIMEOUT_SCALE)
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertTrue(answered, shown.decode(errors='replace'))
        return proc.returncode, out.decode(), shown.decode(errors='replace')

    def tb_json(self, *args, **kwargs):
        '''Run touchbase ARGS --json (must exit 0) and return the parsed
        output.'''
        if '--json' not in args:
            args = (*args, '--json')
        kwargs['check'] = True
        _, out, _ = self.tb(*args, **kwargs)
        try:
            return json.loads(out)
        except json.JSONDecodeError as e:
            self.fail(f'touchbase {" ".join(map(str, args))}: not JSON '
                      f'({e}):\n{out}')


def describe_status(returncode):
    '''"exited with 1", "was killed by SIGSEGV" for a Popen returncode.'''
    if returncode < 0:
        try:
            return f'was killed by {signal.Signals(-returncode).name}'
        except ValueError:
            return f'was killed by signal {-returncode}'
    return f'exited with {returncode}'


def describe_shell_status(status):
    '''The same for a status $? of sh (128 + N: killed by signal N).'''
    return describe_status(128 - status if status > 128 else status)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes; it is the bus's to reap.
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


# ----------------------------------------------------------------- TAP

class TapResult(unittest.TestResult):
    '''Prints one TAP line per test; failures, errors and the tail of the
    test's logs go out as '#' diagnostics.'''

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.n = 0

    def _line(self, text):
        self.stream.write(text + '\n')
        self.stream.flush()

    def _diag(self, text):
        for line in text.rstrip('\n').splitlines():
            self._line('# ' + line)

    def _name(self, test):
        return f'{type(test).__name__}.{test._testMethodName}'

    def _logs(self, test):
        logdir = getattr(test, 'logdir', None)
        if not logdir or not os.path.isdir(logdir):
            return
        self._diag(f'logs in {logdir}')
        for name in sorted(os.listdir(logdir)):
            with open(os.path.join(logdir, name), 'rb') as f:
                lines = f.read().decode(errors='replace').splitlines()
            if lines:
                self._diag(f'--- {name} (last {min(len(lines), 40)} lines)')
                self._diag('\n'.join(lines[-40:]))

    def addSuccess(self, test):
        super().addSuccess(test)
        self.n += 1
        self._line(f'ok {self.n} - {self._name(test)}')

    def _not_ok(self, test, err):
        self.n += 1
        self._line(f'not ok {self.n} - {self._name(test)}')
        self._diag(''.join(traceback.format_exception(*err)))
        self._logs(test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._not_ok(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        if isinstance(test, unittest.TestCase):
            self._not_ok(test, err)
        else:  # setUpClass/module errors: count as one failed line
            self.n += 1
            self._line(f'not ok {self.n} - {test}')
            self._diag(''.join(traceback.format_exception(*err)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.n += 1
        self._line(f'ok {self.n} - {self._name(test)} # SKIP {reason}')

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.n += 1
        self._line(f'not ok {self.n} - {self._name(test)} # TODO expected')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.n += 1
        self._line(f'not ok {self.n} - {self._name(test)} '
                   '# unexpected success')
        self.failures.append((test, 'unexpected success'))


def main(argv=None):
    '''Run the tests of __main__ and print TAP. Arguments: -k PATTERN
    (repeatable, like unittest's) selects tests.'''
    argv = sys.argv[1:] if argv is None else argv
    out = sys.stdout
    if dbus is None:
        out.write('1..0 # SKIP python3-dbus is not available; run under '
                  '/usr/bin/python3\n')
        return 0
    loader = unittest.TestLoader()
    patterns = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == '-k']
    if patterns:
        loader.testNamePatterns = [p if '*' in p else f'*{p}*'
                                   for p in patterns]
    suite = loader.loadTestsFromModule(sys.modules['__main__'])
    out.write(f'1..{suite.countTestCases()}\n')
    out.flush()
    result = TapResult(out)
    suite.run(result)
    return 0 if result.wasSuccessful() else 1
