#!/usr/bin/python3
# The hostile peer: every method and property of io.github.touchbase.Daemon1,
# and the generic interfaces GDBus serves beside it (Properties,
# Introspectable, Peer), called straight over the bus with what no client
# would send: the wrong signature, empty, 1 MB and 20 MB strings, ids and
# times at 0, -1 and the ends of int64 (and of uint32), unknown and
# wrong-typed dictionary keys, handles outside the fd list and descriptors
# of every wrong kind.
#
# The calls are generated from the interface XML, so the suite follows the
# contract: a method or property added there without a case table here
# fails (test_every_method_and_property_has_cases, and the method's own
# generated test says which table is missing). Each answer must come within
# 10 s and be a typed io.github.touchbase.Error.* (or InvalidArgs, or the
# generic interfaces' own errors), a refused call must change nothing (the
# contacts, their histories, the statistics and the list of changes undo
# sees), and the daemon must still answer Ping and GetStatus afterwards.
#
# test_dbus_args.py holds the cases that check a method's exact answers;
# this file holds the sweep, one daemon per class to keep it fast.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import socket
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET
from collections import namedtuple

import tbtest
import test_dbus_args as base
from test_dbus_args import (ERROR, FAILED, INT64_MAX, INT64_MIN, INVALID,
                            NOT_FOUND, UINT32_MAX, Gio, GLib, Reply, v)

XML_PATH = os.path.join(tbtest.SOURCE_DIR, 'include', 'touchbase',
                        'io.github.touchbase.Daemon1.xml')
SAMPLE_VCF = os.path.join(base.DATA, 'sample.vcf')

DBUS_ERROR = 'org.freedesktop.DBus.Error.'
INVALID_ARGS = DBUS_ERROR + 'InvalidArgs'
UNKNOWN_METHOD = DBUS_ERROR + 'UnknownMethod'
UNKNOWN_INTERFACE = DBUS_ERROR + 'UnknownInterface'
UNKNOWN_OBJECT = DBUS_ERROR + 'UnknownObject'
UNKNOWN_PROPERTY = DBUS_ERROR + 'UnknownProperty'
READ_ONLY = DBUS_ERROR + 'PropertyReadOnly'
PROPERTIES = 'org.freedesktop.DBus.Properties'
INTROSPECTABLE = 'org.freedesktop.DBus.Introspectable'
PEER = 'org.freedesktop.DBus.Peer'

# What an answer may be. A name ending in "." is any error under it.
TYPED = (ERROR,)
OK_OR_TYPED = (None, ERROR)

MB = 1 << 20
CALL_TIMEOUT = 10  # seconds, before TB_TEST_TIMEOUT_SCALE


def read_contract(path=XML_PATH):
    '''The interface as the XML declares it: {method: [(name, type)] of its
    in-arguments}, {method: out-signature} and {property: (type, access)}.'''
    iface = None
    for node in ET.parse(path).getroot().iter('interface'):
        if node.get('name') == tbtest.INTERFACE:
            iface = node
    if iface is None:
        raise AssertionError(f'{path} has no interface {tbtest.INTERFACE}')
    methods, outs, props = {}, {}, {}
    for m in iface.findall('method'):
        args = m.findall('arg')
        methods[m.get('name')] = [(a.get('name'), a.get('type')) for a in args
                                  if a.get('direction', 'in') == 'in']
        outs[m.get('name')] = ''.join(a.get('type') for a in args
                                      if a.get('direction') == 'out')
    for p in iface.findall('property'):
        props[p.get('name')] = (p.get('type'), p.get('access'))
    return methods, outs, props


METHODS_XML, OUTS_XML, PROPERTIES_XML = read_contract()


def signature(types):
    return '(' + ''.join(types) + ')'


# ---------------------------------------------------------------- tables

# In a base call, where a descriptor goes: handle 0 with a fresh fd of that
# use attached (a vCard to read, an empty file to write).
READ_FD = object()
WRITE_FD = object()

# Spec: BASE(fx) is a call that works on the fixture FX; KEYS {argument
# name: {key: (type, a value of that type that is accepted)}} for each
# a{sv}, every key the method knows (an empty dict: none); WRITES whether
# the method may change data (a read-only one must change nothing, even
# when it succeeds); HUGE the string arguments and keys also sent as 20 MB.
Spec = namedtuple('Spec', 'base keys writes huge', defaults=((),))

FIELDS = {
    'name': ('s', 'Key Probe'), 'email': ('s', 'probe@example.org'),
    'phone': ('s', '+1 555 0100'), 'url': ('s', 'https://example.org/p'),
    'company': ('s', 'Acme'), 'position': ('s', 'Engineer'),
    'met': ('s', 'at the meetup'), 'note': ('s', 'a note'),
    'birthday': ('s', '1990-01-02'), 'tags': ('as', ['probe']),
    'interval_seconds': ('x', 30 * 86400),
    'facts': ('a(ss)', [('goal', 'a new job')]),
}
FILTER = {'tag': ('s', 'probe'), 'due': ('b', True), 'never': ('b', True),
          'tracking': ('s', 'all'), 'limit': ('u', 5)}
LIMIT = {'limit': ('u', 5)}

METHODS = {
    'AddContact': Spec(lambda f: ({'name': v('s', 'Hostile Probe')},),
                       {'fields': dict(FIELDS, new=('b', True))}, True,
                       ('name', 'note')),
    'UpdateContact': Spec(lambda f: (f.ana, {'note': v('s', 'updated')}),
                          {'fields': FIELDS}, True, ('note',)),
    'RemoveContact': Spec(lambda f: (f.victim,), {}, True),
    'ResolveContact': Spec(lambda f: ('ana',), {}, False, ('query',)),
    'MatchContacts': Spec(lambda f: ('ana', {}), {'options': LIMIT}, False),
    'ListContacts': Spec(lambda f: ({},), {'filter': FILTER}, False),
    'SearchContacts': Spec(lambda f: ('ana', {}), {'options': LIMIT}, False,
                           ('text',)),
    # "after" (a page of records after a place in the list) is only
    # taken with "format" records.
    'WriteContactRows': Spec(lambda f: (WRITE_FD,
                                        {'format': v('s', 'records')}),
                             {'filter': dict(
                                 FILTER, format=('s', 'records'),
                                 after=('(xssx)', (0, 'tracked', 'a', 1)))},
                             False),
    'GetContact': Spec(lambda f: (f.ana,), {}, False),
    'LogInteraction': Spec(lambda f: (f.ana, 'call', f.now - 3600, ''), {},
                           True, ('note',)),
    'ListInteractions': Spec(lambda f: (f.ana, {}), {'options': LIMIT},
                             False),
    'UpdateInteraction': Spec(
        lambda f: (f.interaction, {'note': v('s', 'edited')}),
        {'fields': {'kind': ('s', 'video'), 'at': ('x', 1700000000),
                    'note': ('s', 'n')}}, True),
    'RemoveInteraction': Spec(lambda f: (f.interaction,), {}, True),
    'RemoveFact': Spec(lambda f: (f.fact,), {}, True),
    'Snooze': Spec(lambda f: (f.ana, f.now + 86400), {}, True),
    'SetPaused': Spec(lambda f: (f.ana, False), {}, True),
    'SetTracking': Spec(lambda f: (f.ana, 'tracked', 0), {}, True),
    'GetReviewQueue': Spec(lambda f: ({},), {'options': LIMIT}, False),
    'ReviewLater': Spec(lambda f: (f.cy, f.now + 86400), {}, True),
    'Undo': Spec(lambda f: ({},), {'options': {}}, True),
    'ListChanges': Spec(lambda f: ({},), {'options': LIMIT}, False),
    'GetDue': Spec(lambda f: (86400, {}), {'options': LIMIT}, False),
    # Records a page at a time, as `due --json` reads them: "after" is
    # only taken with "only" and "format" records.
    'WriteDueRows': Spec(
        lambda f: (WRITE_FD, 86400, {'format': v('s', 'records'),
                                     'only': v('s', 'contacts')}),
        {'options': {'limit': ('u', 5), 'format': ('s', 'records'),
                     'only': ('s', 'follow-ups'),
                     'after': ('(xx)', (0, 0))}},
        False),
    'AddFollowUp': Spec(lambda f: (f.bo, f.now + 86400, 'the deck'), {},
                        True, ('text',)),
    'CompleteFollowUp': Spec(lambda f: (f.follow_up,), {}, True),
    'RemoveFollowUp': Spec(lambda f: (f.follow_up,), {}, True),
    'Import': Spec(lambda f: (READ_FD, 'vcard', {'dry_run': v('b', True)}),
                   {'options': {'filename': ('s', 'probe.vcf'),
                                'dry_run': ('b', True),
                                'tag': ('s', 'probe'),
                                'interval_seconds': ('x', 86400)}}, True),
    'Export': Spec(lambda f: ('json', WRITE_FD, {}),
                   {'options': {'todo': ('b', True)}}, False),
    'SuggestIntros': Spec(lambda f: (10,), {}, False),
    'Introduce': Spec(lambda f: (f.ana, f.bo, '', {}),
                      {'options': {'again': ('b', True)}}, True),
    'DeclineIntro': Spec(lambda f: (f.ana, f.bo), {}, True),
    'GetStats': Spec(lambda f: (), {}, False),
    'WriteReport': Spec(lambda f: (WRITE_FD,), {}, False),
    'GetStatus': Spec(lambda f: (), {}, False),
    'AddContactEmail': Spec(lambda f: (f.bo, 'bo.second@example.org'), {},
                            True),
    'RemoveContactEmail': Spec(lambda f: (f.ana, 'ana@example.org'), {},
                               True),
    'ListSources': Spec(lambda f: ({},), {'options': {}}, False),
    'ScanSources': Spec(lambda f: ({},),
                        {'options': {'names': ('as', ['nosuch']),
                                     'since': ('x', 1)}}, True),
    # Removes only what a source logged, and the fixture has none: every
    # call must leave the data as it was.
    'ForgetSource': Spec(lambda f: ('nosuch',), {}, False),
    'CompleteNames': Spec(lambda f: ('an', 10), {}, False, ('prefix',)),
    'CompleteTags': Spec(lambda f: ('t', 10), {}, False),
}

# Property: what its value must look like.
PROPERTY_CHECKS = {
    'Version': lambda value, status: value == status['version'],
}

# A value of another type for each argument or key type: the type a
# careless client would send instead.
WRONG = {'s': ('i', 7), 'x': ('i', 1), 'u': ('x', 1), 'b': ('s', 'true'),
         'h': ('i', 0), 'as': ('s', 'a,b'), 'a(ss)': ('as', ['goal']),
         'a{sv}': ('a{ss}', {'k': 'v'})}

# Values at the edges of each type.
EDGES = {
    'x': (0, -1, INT64_MIN, INT64_MAX),
    'u': (0, UINT32_MAX),
    's': ('', 'x' * MB),
    'as': ([], [''], ['t' * MB]),
    'a(ss)': ([], [('goal', '')], [('', 'x')], [('goal', 'g' * MB)]),
    'b': (),
}

# Handles that are not an index into the list sent with the call.
BAD_HANDLES = (-1, 1, 2**31 - 1, -2**31, -100000)


def short(text, limit=110):
    text = repr(text) if not isinstance(text, str) else text
    return text if len(text) <= limit else text[:limit] + '...'


def describe_args(args):
    def one(a):
        if isinstance(a, str) and len(a) > 40:
            return f'<{len(a)} bytes>'
        if isinstance(a, dict):
            return '{' + ', '.join(f'{one(k)}: {one(x)}'
                                   for k, x in a.items()) + '}'
        if isinstance(a, GLib.Variant):
            if a.get_size() > 100:  # printing 20 MB takes seconds
                return f'<{a.get_type_string()} of {a.get_size()} bytes>'
            return a.print_(True)
        if a is READ_FD:
            return 'h=0 (a vCard)'
        if a is WRITE_FD:
            return 'h=0 (a file)'
        return repr(a)
    return '(' + ', '.join(one(a) for a in args) + ')'


Case = namedtuple('Case', 'method what signature args allowed unchanged')


def allowed_text(allowed):
    return ' or '.join('success' if a is None else
                       f'any {a}*' if a.endswith('.') else a for a in allowed)


def answer_is(reply, allowed):
    if reply.timed_out:
        return False
    for a in allowed:
        if a is None and reply.ok:
            return True
        if a is not None and reply.error is not None and (
                reply.error == a or (a.endswith('.')
                                     and reply.error.startswith(a))):
            return True
    return False


def is_huge(value):
    '''Whether VALUE holds a text past every size limit.'''
    if isinstance(value, str):
        return len(value) >= MB
    if isinstance(value, (list, tuple)):
        return any(is_huge(x) for x in value)
    return False


def edge_answers(spec, value):
    '''A method that stores what it is given refuses a text past every
    limit (docs/design.md §2, "Sizes"); any other edge may work.'''
    return TYPED if spec.writes and is_huge(value) else OK_OR_TYPED


def cases_for(method, spec, fx):
    '''Every generated call of METHOD: wrong signatures, edge values of each
    argument, every a{sv} key with a wrong type, an unknown key.'''
    args_xml = METHODS_XML[method]
    types = [t for _, t in args_xml]
    good = list(spec.base(fx))
    out = []
    plain = signature(types)

    # The wrong signature: GDBus refuses it before the handler runs.
    wrong_sigs = []
    if types:
        wrong_sigs.append(((), ()))
    wrong_sigs.append(((*types, 's'), (*good, 'extra')))
    for i, t in enumerate(types):
        wt, wv = WRONG.get(t, ('s', 'x'))
        wrong_sigs.append(((*types[:i], wt, *types[i + 1:]),
                           (*good[:i], wv, *good[i + 1:])))
    for ts, vals in wrong_sigs:
        out.append(Case(method, f'{method}{signature(ts)} {describe_args(vals)}',
                        signature(ts), vals, (INVALID_ARGS,), True))

    for i, (name, t) in enumerate(args_xml):
        def with_arg(value, i=i):
            return (*good[:i], value, *good[i + 1:])
        if t in ('x', 'u', 's'):
            values = list(EDGES[t])
            if t == 's' and name in spec.huge:
                values.append('x' * (20 * MB))
            for value in values:
                args = with_arg(value)
                out.append(Case(method, f'{method}{describe_args(args)}',
                                plain, args, edge_answers(spec, value),
                                not spec.writes))
        elif t == 'a{sv}':
            keys = spec.keys[name]
            base_dict = good[i]

            def dict_case(extra, allowed, unchanged, drop=None):
                d = dict(base_dict)
                if drop is not None:
                    d.pop(drop, None)
                d.update(extra)
                args = with_arg(d)
                out.append(Case(method, f'{method}{describe_args(args)}', plain,
                                args, allowed, unchanged))
            # Keys nobody knows: refused, never ignored.
            dict_case({'hostile_unknown': v('s', 'x')}, (INVALID,), True)
            dict_case({'': v('b', True)}, (INVALID,), True)
            dict_case({'k' * MB: v('u', 1)}, (INVALID,), True)
            for key, (kt, sample) in keys.items():
                wt, wv = WRONG.get(kt, ('s', 'x'))
                dict_case({key: v(wt, wv)}, (INVALID,), True)
                # A variant inside the variant: a type no key has.
                dict_case({key: v('v', v(kt, sample))}, (INVALID,), True)
                values = list(EDGES.get(kt, ()))
                if kt == 's' and key in spec.huge:
                    values.append('x' * (20 * MB))
                for value in values:
                    dict_case({key: v(kt, value)}, edge_answers(spec, value),
                              not spec.writes)
        # 'h' is fd_cases' business; 'b' has no edges.
    return out


def fd_arg_index(method):
    return [i for i, (_, t) in enumerate(METHODS_XML[method]) if t == 'h']


FD_METHODS = sorted(m for m in METHODS_XML if fd_arg_index(m))


# --------------------------------------------------------------- fixture

class Fixture:
    '''The contacts, history and follow-up the base calls name.'''

    def __init__(self, d):
        self.now = int(time.time())
        self.ana = d.add('Ana Silva', email=v('s', 'ana@example.org'),
                         facts=v('a(ss)', [('need', 'a UX designer')]))
        self.bo = d.add('Bo Berg', facts=v('a(ss)', [('offer', 'UX')]))
        self.cy = d.add('Cy Chen')
        d.ok('SetTracking', '(xsx)', (self.cy, 'not-tracked', 0))
        self.victim = d.add('Vic Tim')
        self.interaction = d.ok('LogInteraction', '(xsxs)',
                                (self.ana, 'call', self.now - 40 * 86400,
                                 'coffee'))[0]
        self.fact = d.ok('GetContact', '(x)', (self.ana,))[0]['facts'][0]['id']
        self.follow_up = d.ok('AddFollowUp', '(xxs)',
                              (self.bo, self.now + 86400, 'the deck'))[0]


class Shared(base.DirectCallCase):
    '''One touchbased (and bus) for a whole test class; its logs go to
    logs/test_hostile/<Class>.daemon/.'''

    def daemon(self):  # the name the logs carry; never run as a test
        pass

    def snapshot(self):
        '''What a refused call must leave as it was. Every write is a
        change undo lists, so the list of changes catches one that the
        records do not show; the contact with a history shows its facts,
        interactions and follow-ups.'''
        changes = self.ok('ListChanges', '(a{sv})',
                          ({'limit': v('u', 100)},))
        return {
            'contacts': self.ok('ListContacts', '(a{sv})', ({},))[0],
            'ana': self.ok('GetContact', '(x)', (self.fx.ana,))[0],
            'stats': self.ok('GetStats')[0],
            'changes': ([c['id'] for c in changes[0]], changes[1]),
        }

    def fd_count(self):
        try:
            return len(os.listdir(f'/proc/{self.daemon.pid}/fd'))
        except (OSError, AttributeError):
            return None


class HostileCase(unittest.TestCase):
    '''A test class with one shared daemon (self.d) and fixture (self.fx).'''

    @classmethod
    def setUpClass(cls):
        harness = type(cls.__name__, (Shared,), {'__module__': __name__})
        cls.d = harness('daemon')
        cls.d.setUp()
        try:
            cls.fx = cls.d.fx = Fixture(cls.d)
        except BaseException:
            cls.d.tearDown()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.d.tearDown()

    def setUp(self):
        self.logdir = self.d.logdir  # TapResult prints its tail on failure
        self.problems = []

    # ----------------------------------------------------------- calling

    def materialise(self, args):
        '''ARGS with each READ_FD/WRITE_FD made handle 0 of a new fd list;
        returns (args, fds or None). The caller closes the fds.'''
        fds = None
        out = []
        for a in args:
            if a is READ_FD or a is WRITE_FD:
                fds = fds if fds is not None else []
                if a is READ_FD:
                    fds.append(os.open(SAMPLE_VCF, os.O_RDONLY))
                else:
                    f = tempfile.NamedTemporaryFile(dir=self.d.tmpdir,
                                                    delete=False)
                    f.close()
                    fds.append(os.open(f.name, os.O_WRONLY))
                out.append(len(fds) - 1)
            else:
                out.append(a)
        return tuple(out), fds

    def call(self, method, sig, args, fds=None, interface=tbtest.INTERFACE,
             path=tbtest.OBJECT_PATH, conn=None, timeout=CALL_TIMEOUT):
        fd_list = None
        if fds is not None:
            fd_list = Gio.UnixFDList.new()
            for fd in fds:
                fd_list.append(fd)
        if isinstance(args, GLib.Variant):  # built by hand
            parameters = args
        elif sig != '()' or args:
            parameters = v(sig, tuple(args))
        else:
            parameters = None
        try:
            result, _ = (conn or self.d.conn).call_with_unix_fd_list_sync(
                tbtest.BUS_NAME, path, interface, method, parameters, None,
                Gio.DBusCallFlags.NO_AUTO_START,
                int(base.scaled(timeout) * 1000), fd_list, None)
        except GLib.Error as e:
            if e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT):
                return Reply(timed_out=True, message=e.message)
            return Reply(error=Gio.DBusError.get_remote_error(e)
                         or f'(local error) {e.domain}:{e.code}',
                         message=e.message)
        return Reply(value=result.unpack() if result is not None else ())

    def trouble(self):
        '''None while the daemon runs and answers Ping and GetStatus.'''
        t = self.d.daemon_trouble()
        if t:
            return t
        reply = self.call('Ping', '()', (), interface=PEER,
                          conn=self.d.side_conn, timeout=3)
        if not reply.ok:
            return f'Ping failed afterwards: {reply}'
        return None

    def alive(self, what):
        t = self.trouble()
        if t:
            self.problems.append(f'{what}: {t}')
            self.d.recover()
            return False
        return True

    def judge(self, what, reply, allowed, started=None):
        if reply.timed_out:
            self.problems.append(f'{what}: no answer within '
                                 f'{base.scaled(CALL_TIMEOUT):g} s')
        elif not answer_is(reply, allowed):
            self.problems.append(f'{what}: expected {allowed_text(allowed)}, '
                                 f'got {short(str(reply), 300)}')

    def run_cases(self, cases):
        before = self.d.snapshot()
        for case in cases:
            args, fds = self.materialise(case.args)
            try:
                reply = self.call(case.method, case.signature,
                                  args, fds)
            finally:
                for fd in fds or ():
                    os.close(fd)
            self.judge(case.what, reply, case.allowed)
            if not self.alive(case.what):
                before = self.d.snapshot()
                continue
            if case.unchanged or not reply.ok:
                after = self.d.snapshot()
                if after != before:
                    self.problems.append(
                        f'{case.what}: {"refused, yet " if not reply.ok else ""}'
                        'the data changed')
                before = after
            else:
                before = self.d.snapshot()

    def report(self):
        if self.problems:
            self.fail(f'{len(self.problems)} call(s) misbehaved:\n  '
                      + '\n  '.join(self.problems))


# ----------------------------------------------------------------- tests

@unittest.skipIf(Gio is None, 'python3-gi with Gio 2.0 is not available')
class ContractTest(HostileCase):
    '''The tables cover the contract, and the daemon serves the contract.'''

    def test_every_method_and_property_has_cases(self):
        problems = []
        missing = sorted(set(METHODS_XML) - set(METHODS))
        if missing:
            problems.append(
                'method(s) of the XML without a case table in METHODS of '
                f'tests/integration/test_hostile.py: {", ".join(missing)}')
        stale = sorted(set(METHODS) - set(METHODS_XML))
        if stale:
            problems.append(f'METHODS has method(s) the XML does not: '
                            f'{", ".join(stale)}')
        for method in sorted(set(METHODS) & set(METHODS_XML)):
            spec = METHODS[method]
            args_xml = METHODS_XML[method]
            good = spec.base(self.fx)
            if len(good) != len(args_xml):
                problems.append(f'{method}: the base call has {len(good)} '
                                f'argument(s), the XML {len(args_xml)}')
                continue
            args, fds = self.materialise(good)
            for fd in fds or ():
                os.close(fd)
            try:
                v(signature(t for _, t in args_xml), args)
            except (TypeError, ValueError, OverflowError) as e:
                problems.append(f'{method}: the base call does not fit '
                                f'{signature(t for _, t in args_xml)}: {e}')
            dicts = {n for n, t in args_xml if t == 'a{sv}'}
            if set(spec.keys) != dicts:
                problems.append(
                    f'{method}: KEYS must list the known keys of exactly its '
                    f'a{{sv}} argument(s) {sorted(dicts)}, not '
                    f'{sorted(spec.keys)}')
            for name in spec.huge:
                if name not in {n for n, _ in args_xml} and not any(
                        name in k for k in spec.keys.values()):
                    problems.append(f'{method}: HUGE names {name}, which '
                                    'is no argument or key')
        missing = sorted(set(PROPERTIES_XML) - set(PROPERTY_CHECKS))
        if missing:
            problems.append('property(ies) of the XML without a check in '
                            f'PROPERTY_CHECKS: {", ".join(missing)}')
        stale = sorted(set(PROPERTY_CHECKS) - set(PROPERTIES_XML))
        if stale:
            problems.append(f'PROPERTY_CHECKS has property(ies) the XML does '
                            f'not: {", ".join(stale)}')
        if problems:
            self.fail('\n'.join(problems))

    def test_declared_keys_are_known(self):
        # The tables' keys are the daemon's: each, with a value of its
        # type, is taken (so a wrong-typed one is refused for its type, not
        # for being unknown).
        for method, spec in sorted(METHODS.items()):
            if method not in METHODS_XML:
                continue
            args_xml = METHODS_XML[method]
            good = spec.base(self.fx)
            for i, (name, t) in enumerate(args_xml):
                for key, (kt, sample) in spec.keys.get(name, {}).items():
                    d = dict(good[i])
                    d[key] = v(kt, sample)
                    args, fds = self.materialise(
                        (*good[:i], d, *good[i + 1:]))
                    try:
                        reply = self.call(method, signature(
                            t for _, t in args_xml), args, fds)
                    finally:
                        for fd in fds or ():
                            os.close(fd)
                    what = f'{method} with {key} = {sample!r}'
                    if not spec.writes and not reply.ok:
                        self.problems.append(f'{what}: {reply}')
                    elif reply.error == INVALID and 'nknown' in reply.message:
                        self.problems.append(f'{what}: {reply}')
                    self.alive(what)
        self.report()

    def test_a_key_given_twice(self):
        # An a{sv} on the wire may hold a key twice (GDBus does not
        # refuse it); the second value is read like the first, and a
        # refused one leaves nothing half-freed behind.
        def dict_of(pairs):
            return GLib.Variant.new_array(GLib.VariantType('{sv}'), [
                GLib.Variant.new_dict_entry(v('s', k), v('v', value))
                for k, value in pairs])
        ana = self.fx.ana
        before = self.d.snapshot()
        for method, make in (
                ('AddContact', lambda d: GLib.Variant.new_tuple(d)),
                ('UpdateContact', lambda d: GLib.Variant.new_tuple(
                    v('x', ana), d))):
            for pairs in (
                    [('name', v('s', 'Twice')), ('email', v('s', 'a@b.org')),
                     ('email', v('s', 'a@b.org\x07'))],
                    [('name', v('s', 'Twice')), ('url', v('s', 'https://a.b/')),
                     ('url', v('s', 'https://a.b/\r\nX'))],
                    [('name', v('s', 'Twice')), ('note', v('s', 'one')),
                     ('note', v('i', 2))],
                    [('name', v('s', 'Twice')), ('birthday', v('s', '--02-29')),
                     ('birthday', v('s', '2023-02-29'))]):
                what = f'{method} with {[k for k, _ in pairs]}'
                reply = self.call(method, None, make(dict_of(pairs)))
                self.judge(what, reply, (INVALID,))
                self.alive(what)
        if self.d.snapshot() != before:
            self.problems.append('the refused calls changed the data')
        self.report()

    def test_introspection_is_the_contract(self):
        # What the daemon says it serves is what the XML (and so these
        # tables) describe: no method left out of the sweep.
        reply = self.call('Introspect', '()', (), interface=INTROSPECTABLE)
        self.assertTrue(reply.ok, str(reply))
        path = os.path.join(self.d.tmpdir, 'introspected.xml')
        with open(path, 'w') as f:
            f.write(reply.value[0])
        methods, outs, props = read_contract(path)
        self.assertEqual(methods, METHODS_XML)
        self.assertEqual(outs, OUTS_XML)
        self.assertEqual(props, PROPERTIES_XML)

    def test_generic_interfaces(self):
        status = self.d.status()
        iface = tbtest.INTERFACE
        for prop, (ptype, _) in sorted(PROPERTIES_XML.items()):
            reply = self.call('Get', '(ss)', (iface, prop),
                              interface=PROPERTIES)
            if not reply.ok:
                self.problems.append(f'Get {prop}: {reply}')
                continue
            value = reply.value[0]
            check = PROPERTY_CHECKS.get(prop)
            if check is not None and not check(value, status):
                self.problems.append(f'Get {prop}: unexpected {value!r}')
        reply = self.call('GetAll', '(s)', (iface,), interface=PROPERTIES)
        if not reply.ok or set(reply.value[0]) != set(PROPERTIES_XML):
            self.problems.append(f'GetAll: {reply}')

        # GDBus answers a wrong signature on its own interfaces with
        # UnknownMethod ("no such interface"), a fair answer too.
        bad_sig = (INVALID_ARGS, UNKNOWN_METHOD)
        bad_prop = (INVALID_ARGS, UNKNOWN_PROPERTY)
        bad_iface = (INVALID_ARGS, UNKNOWN_INTERFACE, UNKNOWN_PROPERTY)
        read_only = (INVALID_ARGS, READ_ONLY)
        calls = [
            (PROPERTIES, 'Get', '(ss)', (iface, 'NoSuchProperty'), bad_prop),
            (PROPERTIES, 'Get', '(ss)', (iface, ''), bad_prop),
            (PROPERTIES, 'Get', '(ss)', (iface, 'V' * MB), bad_prop),
            (PROPERTIES, 'Get', '(ss)', ('no.such.Interface', 'Version'),
             bad_iface),
            (PROPERTIES, 'Get', '(ss)', ('', 'Version'), bad_iface),
            (PROPERTIES, 'Get', '(ss)', ('x' * MB, 'Version'), bad_iface),
            (PROPERTIES, 'Get', '()', (), bad_sig),
            (PROPERTIES, 'Get', '(s)', (iface,), bad_sig),
            (PROPERTIES, 'Get', '(sx)', (iface, 1), bad_sig),
            (PROPERTIES, 'Get', '(sss)', (iface, 'Version', 'x'),
             bad_sig),
            (PROPERTIES, 'GetAll', '(s)', ('no.such.Interface',),
             (None,) + bad_iface),
            (PROPERTIES, 'GetAll', '(s)', ('',), (None,) + bad_iface),
            (PROPERTIES, 'GetAll', '()', (), bad_sig),
            (PROPERTIES, 'GetAll', '(x)', (1,), bad_sig),
            (PROPERTIES, 'GetAll', '(ss)', (iface, 'x'), bad_sig),
            (PROPERTIES, 'NoSuchMethod', '()', (), (UNKNOWN_METHOD,)),
            (INTROSPECTABLE, 'Introspect', '(s)', ('x',), bad_sig),
            (INTROSPECTABLE, 'NoSuchMethod', '()', (), (UNKNOWN_METHOD,)),
            (PEER, 'Ping', '()', (), (None,)),
            (PEER, 'Ping', '(s)', ('x',), bad_sig),
            # No machine id in a container is an error, but a typed one.
            (PEER, 'GetMachineId', '()', (), (None, DBUS_ERROR)),
            (PEER, 'GetMachineId', '(x)', (1,), bad_sig),
            (PEER, 'NoSuchMethod', '()', (), (UNKNOWN_METHOD,)),
            (iface, 'NoSuchMethod', '()', (), (UNKNOWN_METHOD,)),
            (iface, 'GetStatus2', '(s)', ('x',), (UNKNOWN_METHOD,)),
            ('no.such.Interface', 'GetStatus', '()', (),
             (UNKNOWN_METHOD, UNKNOWN_INTERFACE)),
        ]
        for prop, (ptype, _) in sorted(PROPERTIES_XML.items()):
            wt, wv = WRONG.get(ptype, ('s', 'x'))
            calls += [
                (PROPERTIES, 'Set', '(ssv)', (iface, prop, v(ptype, '9.9')
                                              if ptype == 's' else
                                              v(wt, wv)), read_only),
                (PROPERTIES, 'Set', '(ssv)', (iface, prop, v(wt, wv)),
                 read_only),
                (PROPERTIES, 'Set', '(ssv)', (iface, prop, v('s', 'x' * MB)),
                 read_only),
                (PROPERTIES, 'Set', '(ss)', (iface, prop), bad_sig),
                (PROPERTIES, 'Set', '(sss)', (iface, prop, 'x'),
                 bad_sig),
            ]
        calls += [
            (PROPERTIES, 'Set', '(ssv)', (iface, 'NoSuchProperty',
                                          v('s', 'x')), bad_prop),
            (PROPERTIES, 'Set', '(ssv)', ('no.such.Interface', 'Version',
                                          v('s', 'x')), bad_iface),
        ]
        before = self.d.snapshot()
        for interface, method, sig, args, allowed in calls:
            what = f'{interface}.{method}{sig} {describe_args(args)}'
            self.judge(what, self.call(method, sig, args,
                                       interface=interface), allowed)
            self.alive(what)
        # Other object paths: nothing is served there but introspection.
        for path in ('/', '/io/github/touchbase', tbtest.OBJECT_PATH + '/x'):
            what = f'GetStatus on {path}'
            self.judge(what, self.call('GetStatus', '()', (), path=path),
                       (UNKNOWN_METHOD, UNKNOWN_OBJECT))
            what = f'Introspect on {path}'
            self.judge(what, self.call('Introspect', '()', (), path=path,
                                       interface=INTROSPECTABLE),
                       (None, DBUS_ERROR))
            self.alive(what)
        if self.d.snapshot() != before:
            self.problems.append('the calls changed the data')
        for prop, (ptype, _) in sorted(PROPERTIES_XML.items()):
            reply = self.call('Get', '(ss)', (iface, prop),
                              interface=PROPERTIES)
            check = PROPERTY_CHECKS.get(prop)
            if check is not None and not (reply.ok
                                          and check(reply.value[0], status)):
                self.problems.append(f'{prop} afterwards: {reply}')
        self.report()


def method_test(method):
    def test(self):
        spec = METHODS.get(method)
        if spec is None:
            self.fail(f'{tbtest.INTERFACE}.{method} has no case table: add '
                      'it to METHODS in tests/integration/test_hostile.py')
        self.run_cases(cases_for(method, spec, self.fx))
        self.alive(f'after the calls of {method}')
        self.report()
    test.__doc__ = f'{method}: wrong signatures, edge values, keys.'
    return test


@unittest.skipIf(Gio is None, 'python3-gi with Gio 2.0 is not available')
class MethodTest(HostileCase):
    '''One generated test per method of the XML.'''


for _method in METHODS_XML:
    setattr(MethodTest, f'test_{_method}', method_test(_method))


class FdKinds:
    '''Descriptors of every wrong kind, each made fresh: make(kind) returns
    (fd to send, cleanup, closer of the other end or None).'''

    def __init__(self, tmpdir):
        self.tmpdir = tmpdir

    def temp(self, content=b''):
        f = tempfile.NamedTemporaryFile(dir=self.tmpdir, delete=False)
        f.write(content)
        f.close()
        return f.name

    def kinds(self, use):
        yield 'a directory', lambda: (os.open(self.tmpdir, os.O_RDONLY
                                              | os.O_DIRECTORY), None)
        yield '/dev/null', lambda: (os.open('/dev/null', os.O_RDWR), None)
        yield 'an O_PATH descriptor of a file', lambda: (
            os.open(SAMPLE_VCF, os.O_PATH), None)
        yield 'a socket whose peer has gone', self.dead_socket
        yield 'a pipe whose other end is closed', lambda: self.pipe(use, True)
        if use == 'read':
            yield 'a write-only file', lambda: (
                os.open(self.temp(), os.O_WRONLY), None)
            yield '/dev/zero', lambda: (os.open('/dev/zero', os.O_RDONLY),
                                        None)
            yield 'an empty file', lambda: (
                os.open(self.temp(), os.O_RDONLY), None)
            yield 'a file of NUL bytes', lambda: (
                os.open(self.temp(b'\0' * 65536), os.O_RDONLY), None)
        else:
            yield 'a read-only file', lambda: (
                os.open(self.temp(), os.O_RDONLY), None)
            yield '/dev/zero', lambda: (os.open('/dev/zero', os.O_RDWR),
                                        None)
            yield '/dev/full', lambda: (os.open('/dev/full', os.O_WRONLY),
                                        None)
            yield 'a pipe nobody reads', lambda: self.pipe(use, False)
            yield 'a socket nobody reads', self.live_socket
            yield 'a memfd sealed against writing', self.sealed_memfd

    def pipe(self, use, closed):
        r, w = os.pipe()
        mine, theirs = (w, r) if use == 'read' else (r, w)
        if closed:
            os.close(mine)
            return theirs, None
        return theirs, mine

    def dead_socket(self):
        a, b = socket.socketpair()
        b.close()
        return a.detach(), None

    def live_socket(self):
        a, b = socket.socketpair()
        return a.detach(), b.detach()

    def sealed_memfd(self):
        fd = os.memfd_create('hostile', os.MFD_ALLOW_SEALING)
        os.write(fd, b'x')
        import fcntl
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                    fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW
                    | fcntl.F_SEAL_SHRINK)
        return fd, None


EMPTY_INPUTS = ('/dev/null', 'an empty file',
                'a pipe whose other end is closed',
                'a socket whose peer has gone')


def fd_test(method):
    def test(self):
        spec = METHODS[method]
        good = list(spec.base(self.fx))
        plain = signature(t for _, t in METHODS_XML[method])
        use = 'read' if method == 'Import' else 'write'
        kinds = FdKinds(self.d.tmpdir)
        # One call that works first: what the daemon opens once and keeps
        # (a worker's database connection, a thread's wake-up fd) is no
        # leak of the calls below.
        args, fds = self.materialise(good)
        try:
            self.judge(f'{method}{describe_args(good)}',
                       self.call(method, plain, args, fds), (None,))
        finally:
            for fd in fds or ():
                os.close(fd)
        before = self.d.snapshot()
        fds_before = self.d.fd_count()
        for i in fd_arg_index(method):
            def args_with(handle, i=i):
                args, fds = self.materialise(
                    [a for j, a in enumerate(good) if j != i])
                for fd in fds or ():
                    os.close(fd)
                args = list(args)
                args.insert(i, handle)
                return tuple(args)
            for handle in BAD_HANDLES:
                for attach in ('no fd list', 'an empty fd list', 'one fd'):
                    fds = None if attach == 'no fd list' else []
                    if attach == 'one fd':
                        fds = [os.open(SAMPLE_VCF, os.O_RDONLY)
                               if use == 'read'
                               else os.open(kinds.temp(), os.O_WRONLY)]
                    what = f'{method} with handle {handle} and {attach}'
                    try:
                        reply = self.call(method, plain, args_with(handle),
                                          fds)
                    finally:
                        for fd in fds or ():
                            os.close(fd)
                    self.judge(what, reply, (INVALID,))
                    self.alive(what)
            for kind, make in kinds.kinds(use):
                what = f'{method} to {kind}' if use == 'write' else \
                    f'{method} from {kind}'
                fd, other = make()
                try:
                    reply = self.call(method, plain, args_with(0), [fd])
                finally:
                    os.close(fd)
                    if other is not None:
                        os.close(other)
                # Input that ends at once imports nothing.
                self.judge(what, reply, OK_OR_TYPED if use == 'read'
                           and kind in EMPTY_INPUTS else TYPED)
                self.alive(what)
        after = self.d.snapshot()
        if after != before:
            self.problems.append(f'{method}: the refused calls changed the '
                                 'data')
        # Every descriptor that came with a refused call is closed again.
        if fds_before is not None:
            deadline = time.monotonic() + base.scaled(3)
            while (self.d.fd_count() > fds_before
                   and time.monotonic() < deadline):
                time.sleep(0.05)
            if self.d.fd_count() > fds_before:
                self.problems.append(
                    f'{method}: the daemon holds {self.d.fd_count()} '
                    f'descriptors, {fds_before} before the calls')
        self.report()
    test.__doc__ = f'{method}: handles and descriptors of the wrong kind.'
    return test


@unittest.skipIf(Gio is None, 'python3-gi with Gio 2.0 is not available')
class FdTest(HostileCase):
    '''One generated test per method that takes a descriptor.'''

    def pending(self, method, sig, args, fd):
        '''METHOD with FD, in a thread on a connection of its own.'''
        box = {}
        fd = os.dup(fd)

        def run():
            conn = self.d.connect()
            try:
                box['reply'] = self.call(method, sig, args, [fd], conn=conn,
                                         timeout=60)
            finally:
                os.close(fd)
                conn.close_sync(None)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread, box

    def stalled_import(self, make, check_during):
        '''Import from a descriptor whose other end stays open and silent,
        then closed: returns (GetStatus's answer while it stalled, or None,
        the Import's answer).'''
        fd, other = make()
        thread, box = self.pending('Import', '(hsa{sv})', (0, 'vcard', {}),
                                   fd)
        os.close(fd)
        thread.join(base.scaled(0.5))
        during = None
        if check_during:
            during = self.call('GetStatus', '()', (), conn=self.d.side_conn,
                               timeout=3)
        os.close(other)
        thread.join(base.scaled(CALL_TIMEOUT))
        return during, box.get('reply', Reply(timed_out=True))

    def stall_kinds(self):
        kinds = FdKinds(self.d.tmpdir)
        return (('a pipe whose writer never writes nor closes',
                 lambda: kinds.pipe('read', False)),
                ('a socket whose peer never writes nor closes',
                 kinds.live_socket))

    def test_import_from_input_that_stalls(self):
        # Another branch runs the import off the main loop and gives up on
        # a stalled input; here: once the input ends, the answer is typed
        # and the daemon still answers, with nothing imported.
        before = self.d.snapshot()
        for kind, make in self.stall_kinds():
            what = f'Import from {kind}'
            _, reply = self.stalled_import(make, False)
            self.judge(what + ', then closed', reply, OK_OR_TYPED)
            self.alive(what)
        if self.d.snapshot() != before:
            self.problems.append('the stalled imports changed the data')
        self.report()

    def test_import_that_stalls_does_not_hold_the_daemon(self):
        for kind, make in self.stall_kinds()[:1]:
            during, _ = self.stalled_import(make, True)
            if not during.ok:
                self.problems.append(f'while Import reads {kind}, GetStatus '
                                     f'got {during}')
            self.alive(kind)
        self.report()


for _method in FD_METHODS:
    setattr(FdTest, f'test_fds_{_method}', fd_test(_method))


if __name__ == '__main__':
    raise SystemExit(tbtest.main())
