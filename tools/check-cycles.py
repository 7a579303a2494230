#!/usr/bin/env python3
# No call cycle between source files: if foo.c calls into bar.c, nothing in
# bar.c may lead back into foo.c. Files calling each other are one module
# in two pieces; a cycle hides which one is the lower layer.
#
#   tools/check-cycles.py [--root DIR] [--dirs DIR...] [-v]
#   tools/check-cycles.py --self-test
#
# Every function defined in the C files under common/, daemon/ (all its
# folders) and client/ is found with universal-ctags. Then each .c and .h
# file, with its comments and string and character literals blanked out,
# is scanned for references to functions defined in another file: a name
# followed by "(" (a call) or used as a value (a callback, a vtable
# entry), but not a member (x.f, p->f), a declaration or a definition. A
# static function is seen only in its own file; a function in a header,
# static inline or not, by everyone. A local variable or parameter that
# has a function's name hides it. A macro whose body refers to a function
# (TB_ERROR is tb_error_quark ()) counts as that reference where it is
# used; a #define body counts as code of the file that holds it. foo.c and
# foo.h are one node, named by the path without the extension. The
# strongly connected components of more than one node of the graph of
# these references are the cycles; each is printed with one example
# reference per edge and a shortest round trip. -v lists every edge.
#
# A heuristic, not a compiler: no preprocessing, no types; calls through
# function pointers are seen where the function's name is taken.
#
# Exit status: 0 no cycle, 1 cycles found (or --self-test failed), 2 usage
# or input error, 77 ctags is missing (a skip for meson).
#
# Only the standard library; runs under any python3 >= 3.6.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEFAULT_DIRS = ('common', 'daemon', 'client')

# GLib macros written at file scope without a semicolon: ctags would read
# the function after them as part of their expansion (and miss it) unless
# told they expand to nothing. The scan below still sees their arguments,
# e.g. the free function of G_DEFINE_AUTOPTR_CLEANUP_FUNC, as references.
CTAGS_MACROS = (
    'G_DEFINE_AUTOPTR_CLEANUP_FUNC(t,f)',
    'G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(t,f)',
    'G_DEFINE_AUTO_CLEANUP_FREE_FUNC(t,f,n)',
    'G_DEFINE_TYPE(a,b,c)',
    'G_DEFINE_TYPE_WITH_CODE(a,b,c,d)',
    'G_DEFINE_TYPE_WITH_PRIVATE(a,b,c)',
    'G_DEFINE_FINAL_TYPE(a,b,c)',
    'G_DEFINE_FINAL_TYPE_WITH_CODE(a,b,c,d)',
    'G_DEFINE_FINAL_TYPE_WITH_PRIVATE(a,b,c)',
    'G_DEFINE_ABSTRACT_TYPE(a,b,c)',
    'G_DEFINE_BOXED_TYPE(a,b,c,d)',
    'G_DEFINE_INTERFACE(a,b,c)',
    'G_DEFINE_QUARK(a,b)',
    'G_DECLARE_FINAL_TYPE(a,b,c,d,e)',
    'G_DECLARE_DERIVABLE_TYPE(a,b,c,d,e)',
    'G_DECLARE_INTERFACE(a,b,c,d,e)',
    'G_BEGIN_DECLS',
    'G_END_DECLS',
)

KEYWORDS = frozenset('''
    auto break case char const continue default do double else enum extern
    float for goto if inline int long register restrict return short signed
    sizeof static struct switch typedef union unsigned void volatile while
    _Alignas _Alignof _Atomic _Bool _Generic _Noreturn _Static_assert
    _Thread_local __attribute__ __typeof__ typeof defined
'''.split())


# Words after which a name is an operand, not a declared name.
OPERAND_WORDS = frozenset(('return', 'case', 'else', 'do', 'sizeof',
                           'typeof', '__typeof__', '_Alignof', 'defined'))


REF, DECLARED, OTHER = 'ref', 'declared', 'other'


def classify(toks, i):
    """What the name toks[i] is: REF, a call or a use as a value of what
    may be a function; DECLARED, a variable or parameter being declared or
    assigned to (int f, T *f, f = ..., f[...]: from then on the name is a
    local one in that function); OTHER, a member (x.f, p->f) or a label."""
    prev = toks[i - 1][1] if i > 0 else None
    prev_kind = toks[i - 1][0] if i > 0 else None
    nxt = toks[i + 1][1] if i + 1 < len(toks) else None
    after = toks[i + 2][1] if i + 2 < len(toks) else None
    if prev in ('.', '->', 'goto'):
        return OTHER
    if nxt == ':' and prev in (None, ';', '{', '}', ':') and after != ':':
        return OTHER  # a label
    if nxt == '(':
        return REF  # a call (declarations at file scope never get here)
    if prev == '*' or nxt == '[' or (nxt == '=' and after != '='):
        return DECLARED  # T *f, f[...], f = ...: no function is that
    if prev_kind == 'ident' and prev not in OPERAND_WORDS:
        return DECLARED  # T f
    return REF


class InputError(Exception):
    pass


# ------------------------------------------------------------ the sources

def find_sources(root, dirs):
    '''Relative paths of the .c and .h files under ROOT/DIR for each of
    DIRS, sorted.'''
    files = []
    for d in dirs:
        top = os.path.join(root, d)
        if not os.path.isdir(top):
            raise InputError(f'no folder {top}')
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(('.c', '.h')):
                    files.append(os.path.relpath(
                        os.path.join(dirpath, name), root))
    if not files:
        raise InputError(f'no C sources under {root} in {" ".join(dirs)}')
    return sorted(set(files))


def node_of(path):
    '''daemon/store/tb-store.c and .h -> daemon/store/tb-store'''
    return os.path.splitext(path)[0]


def ctags_functions(root, files, ctags='ctags'):
    '''[(name, path, line, static)] for every function ctags finds.'''
    cmd = [ctags, '--output-format=json', '--languages=C',
           '--langmap=C:.c.h', '--kinds-C=f', '--fields=+nf',
           '-o', '-']
    for macro in CTAGS_MACROS:
        cmd += ['-D', macro + '=']
    proc = subprocess.run(cmd + list(files), cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    if proc.returncode != 0:
        raise InputError(f'ctags failed ({proc.returncode}): {proc.stderr}')
    functions = []
    for line in proc.stdout.splitlines():
        try:
            tag = json.loads(line)
        except ValueError:
            raise InputError(f'ctags wrote something that is not JSON: '
                             f'{line[:200]}')
        if tag.get('_type') != 'tag' or tag.get('kind') != 'function':
            continue
        # A macro call ctags still took for a definition.
        if re.fullmatch(r'[A-Z0-9_]+', tag['name']):
            continue
        functions.append((tag['name'], os.path.normpath(tag['path']),
                          tag.get('line', 0), bool(tag.get('file'))))
    return functions


# ------------------------------------------------------------- the scanner

def blank_comments_and_literals(text):
    '''TEXT with comments and string and character literals replaced by
    spaces; newlines stay, so line numbers do too.'''
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '/' and text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif c == '/' and text.startswith('//', i):
            end = i
            while end < n and text[end] != '\n':
                # A backslash-newline continues a // comment.
                end += 2 if text.startswith('\\\n', end) else 1
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r'[^\n]', ' ', text[i + 1:j - 1]) + c
                       if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


TOKEN = re.compile(r'(?P<ident>[A-Za-z_]\w*)|(?P<num>\.?\d[\w.]*)'
                   r'|(?P<arrow>->)|(?P<nl>\n)|(?P<punct>[^\s\w])')
DEFINE = re.compile(r'\s*#\s*define\s+(\w+)(\([^)]*\))?(.*)', re.S)


def split_directives(text):
    """TEXT (already blanked) with every preprocessor directive blanked
    too, and the #define bodies: [(macro name, parameters, body, line)].
    Lines stay where they are."""
    lines = text.split('\n')
    macros = []
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith('#'):
            i += 1
            continue
        first = i
        while lines[i].endswith('\\') and i + 1 < len(lines):
            i += 1
        logical = ' '.join(line.rstrip('\\') for line in lines[first:i + 1])
        m = DEFINE.match(logical)
        if m:
            params = set(re.findall(r'\w+', m.group(2) or ''))
            macros.append((m.group(1), params, m.group(3), first + 1))
        for j in range(first, i + 1):
            lines[j] = ' ' * len(lines[j])
        i += 1
    return '\n'.join(lines), macros


def tokens(text):
    """(kind, value, line) for TEXT (blanked, no directives)."""
    line = 1
    result = []
    for m in TOKEN.finditer(text):
        if m.lastgroup == 'nl':
            line += 1
        else:
            result.append((m.lastgroup, m.group(), line))
    return result


# GObject boilerplate that defines functions: PREFIX_get_type and the
# like, from the macro's second argument.
GENERATED = re.compile(
    r'\b(G_DEFINE_(?:FINAL_|ABSTRACT_)?TYPE\w*|G_DEFINE_BOXED_TYPE\w*'
    r'|G_DEFINE_INTERFACE\w*|G_DEFINE_QUARK)\s*\(\s*[\w-]+\s*,\s*(\w+)')

Scan = collections.namedtuple('Scan', 'refs defined macros generated')


def scan_file(text):
    """One file: refs, [(name, line, where, is_call)] where WHERE is the
    enclosing function, '#define NAME' or None (file scope); defined, the
    functions the scanner sees defined ({name: line}, to cross-check
    ctags); macros, [(name, line, names its body refers to)]; generated,
    {name: line} of functions that GObject macros define."""
    blanked = blank_comments_and_literals(text)
    code, macros = split_directives(blanked)
    refs = []
    macro_refs = []
    # A macro's body is code wherever the macro is used.
    for name, params, body, line in macros:
        toks = tokens(body)
        names = set()
        for k, (kind, value, _) in enumerate(toks):
            if kind != 'ident' or value in KEYWORDS or value in params:
                continue
            if classify(toks, k) != REF:
                continue
            nxt = toks[k + 1][1] if k + 1 < len(toks) else None
            refs.append((value, line, '#define ' + name, nxt == '('))
            names.add(value)
        macro_refs.append((name, line, names))
    generated = {}
    for m in GENERATED.finditer(code):
        line = code.count('\n', 0, m.start()) + 1
        suffix = '_quark' if m.group(1) == 'G_DEFINE_QUARK' else '_get_type'
        generated[m.group(2) + suffix] = line
    toks = tokens(code)
    defined = {}
    braces = []      # per open "{": True for a struct, union or enum body
    function = None  # the function whose body this is
    pending = None   # a name at file scope whose parameters a "{" follows
    local = set()    # names declared in that function, parameters too
    file_local = set()  # variables declared at file scope
    pending_local = set()
    n = len(toks)
    for i, (kind, value, line) in enumerate(toks):
        nxt = toks[i + 1][1] if i + 1 < n else None
        if value == '{':
            if not braces and pending is not None:
                function = pending
                local = pending_local
                defined.setdefault(pending, line)
            pending = None
            # struct NAME {, struct {, and the same for union and enum:
            # what follows are member names, not references.
            before = [t[1] for t in toks[max(i - 2, 0):i]]
            braces.append(bool(before) and (
                before[-1] in ('struct', 'union', 'enum')
                or len(before) == 2
                and before[0] in ('struct', 'union', 'enum')))
        elif value == '}':
            if braces:
                braces.pop()
            if not braces:
                function = None
                local = set()
        elif value == ';' and not braces:
            pending = None
        elif kind == 'ident' and value not in KEYWORDS:
            if not braces and nxt == '(':
                # A declaration, a definition or a macro at file scope; a
                # definition when "{" follows the parameter list.
                close = _matching_paren(toks, i + 1)
                if close is not None and close + 1 < n \
                        and toks[close + 1][1] == '{':
                    pending = value
                    pending_local = {
                        toks[j][1] for j in range(i + 2, close)
                        if toks[j][0] == 'ident'
                        and classify(toks, j) == DECLARED}
            elif not (braces and braces[-1]):
                what = classify(toks, i)
                if what == DECLARED:
                    (local if braces else file_local).add(value)
                elif what == REF and value not in local and (
                        nxt == '(' or value not in file_local):
                    refs.append((value, line, function, nxt == '('))
    return Scan(refs, defined, macro_refs, generated)


def _matching_paren(toks, open_index):
    depth = 0
    for j in range(open_index, len(toks)):
        if toks[j][1] == '(':
            depth += 1
        elif toks[j][1] == ')':
            depth -= 1
            if depth == 0:
                return j
    return None


# --------------------------------------------------------------- the graph

Ref = collections.namedtuple('Ref', 'path line caller callee target is_call')
Def = collections.namedtuple('Def', 'path line static macro')


def build_graph(root, dirs, ctags='ctags'):
    '''(nodes, edges, notes): nodes a sorted list; edges {(from, to):
    [Ref, ...]}; notes, warnings about the analysis itself.'''
    files = find_sources(root, dirs)
    functions = ctags_functions(root, files, ctags)
    notes = []
    by_name = collections.defaultdict(list)  # name -> [Def]
    for name, path, line, static in functions:
        by_name[name].append(Def(path, line, static, False))
    nodes = sorted({node_of(p) for p in files})

    scans = {}
    for path in files:
        with open(os.path.join(root, path), encoding='utf-8',
                  errors='replace') as f:
            scans[path] = scan_file(f.read())
        for name, line in scans[path].generated.items():
            by_name[name].append(Def(path, line, False, False))
        # ctags is the source of truth; say so when it missed one.
        for name, line in scans[path].defined.items():
            if not any(d.path == path for d in by_name.get(name, ())):
                notes.append(f'ctags missed {name}() at {path}:{line}; '
                             'counted anyway')
                static = path.endswith('.c') and _looks_static(
                    os.path.join(root, path), line)
                by_name[name].append(Def(path, line, static, False))
    # A macro whose body refers to a function (maybe through another such
    # macro) stands for that reference wherever it is used: TB_ERROR is
    # tb_error_quark (). Defined in a .c file, it is that file's own.
    changed = True
    while changed:
        changed = False
        for path in files:
            for name, line, names in scans[path].macros:
                if any(d.path == path for d in by_name.get(name, ())):
                    continue
                if any(n in by_name for n in names):
                    by_name[name].append(
                        Def(path, line, path.endswith('.c'), True))
                    changed = True

    edges = collections.defaultdict(list)
    for path in files:
        here = node_of(path)
        for name, line, caller, is_call in scans[path].refs:
            defs = by_name.get(name)
            if not defs:
                continue  # GLib, libc, a variable, a type, a constant
            # Defined in this file or beside it in its node: local.
            if any(node_of(d.path) == here for d in defs):
                continue
            visible = [d for d in defs
                       if not d.static or d.path.endswith('.h')]
            if not visible:
                continue  # only static ones elsewhere: not this one
            if len({node_of(d.path) for d in visible}) > 1:
                visible.sort(key=lambda d: -len(os.path.commonpath(
                    [d.path, path])))
                notes.append(f'{path}:{line}: {name} is defined in '
                             + ', '.join(d.path for d in visible)
                             + f'; taking {visible[0].path}')
            target = visible[0]
            callee = f'macro {name}' if target.macro else f'{name}()'
            edges[(here, node_of(target.path))].append(
                Ref(path, line, caller, callee,
                    f'{target.path}:{target.line}', is_call))
    return nodes, dict(edges), notes


def _looks_static(path, line):
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().splitlines()
    before = ' '.join(lines[max(line - 3, 0):line])
    return re.search(r'\bstatic\b', before) is not None


def strongly_connected(nodes, edges):
    '''Tarjan's algorithm, iteratively; components in a stable order.'''
    succ = collections.defaultdict(list)
    for a, b in sorted(edges):
        succ[a].append(b)
    index = {}
    low = {}
    on_stack = set()
    stack = []
    components = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            children = succ[v]
            if k < len(children):
                work.append((v, k + 1))
                w = children[k]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return sorted(components)


def shortest_cycle(component, edges):
    '''A shortest round trip through the component's first node.'''
    inside = set(component)
    succ = collections.defaultdict(list)
    for a, b in sorted(edges):
        if a in inside and b in inside:
            succ[a].append(b)
    start = component[0]
    parent = {start: None}
    queue = collections.deque([start])
    while queue:
        v = queue.popleft()
        for w in succ[v]:
            if w == start:
                path = [v]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return list(reversed(path)) + [start]
            if w not in parent:
                parent[w] = v
                queue.append(w)
    return [start]


def describe(ref):
    if ref.caller is None:
        where = 'file scope'
    elif ref.caller.startswith('#'):
        where = ref.caller
    else:
        where = f'{ref.caller}()'
    how = 'calls' if ref.is_call else 'refers to'
    return f'{ref.path}:{ref.line}: {where} {how} {ref.callee} [{ref.target}]'


def example(refs):
    '''The first call, else the first reference.'''
    calls = [r for r in refs if r.is_call]
    return (calls or refs)[0]


def report(nodes, edges, notes, out, verbose=False):
    '''Print the summary and the cycles; returns the number of cycles.'''
    cycles = [c for c in strongly_connected(nodes, edges) if len(c) > 1]
    refs = sum(len(r) for r in edges.values())
    out.write(f'{len(nodes)} nodes, {len(edges)} edges ({refs} references '
              f'between files), {len(cycles)} call cycle(s)\n')
    if verbose:
        for note in notes:
            out.write(f'note: {note}\n')
        for (a, b), rs in sorted(edges.items()):
            out.write(f'edge {a} -> {b} ({len(rs)}): {describe(example(rs))}'
                      '\n')
    for number, component in enumerate(cycles, 1):
        out.write(f'\ncycle {number}: {len(component)} nodes: '
                  + ', '.join(component) + '\n')
        out.write('  round trip: ' + ' -> '.join(
            shortest_cycle(component, edges)) + '\n')
        inside = set(component)
        for (a, b), rs in sorted(edges.items()):
            if a in inside and b in inside:
                out.write(f'  {a} -> {b} ({len(rs)} reference'
                          f'{"s" if len(rs) != 1 else ""}), e.g. '
                          f'{describe(example(rs))}\n')
    return len(cycles)


# -------------------------------------------------------------- self-test

SELF_TEST_TREES = {
    'a cycle between two files': ({
        'lib/a.c': 'int b (void);\nint a (void) { return b (); }\n',
        'lib/b.c': 'int a (void);\nint b (void) { return a () + 1; }\n',
    }, [['lib/a', 'lib/b']]),
    'calls one way only': ({
        'lib/a.h': 'int a (void);\n',
        'lib/a.c': '#include "b.h"\nint a (void) { return b (); }\n',
        'lib/b.h': 'int b (void);\n',
        # Looks like calls into a.c, but is not: comments, literals, a
        # member, a static function of the same name, a declaration.
        'lib/b.c': ('#include "a.h"\n'
                    '/* a () */\n'
                    '// a ();\n'
                    'static const char *s = "a ()";\n'
                    'static const char c = \'(\';\n'
                    'struct ops { int (*a) (void); };\n'
                    'int a (void);\n'
                    'static int a_twin (void) { return 0; }\n'
                    'int b (void) {\n'
                    '  struct ops o = { 0 }, *p = &o;\n'
                    '  int a = 1, *pa = &a;\n'
                    '  if (!pa)\n'
                    '    goto a;\n'
                    '  return p->a () + o.a () + a_twin () + a;\n'
                    'a:\n'
                    '  return 0;\n'
                    '}\n'),
        'lib/c.c': 'static int a (void) { return 1; }\n'
                   'int c (void) { return a (); }\n',
    }, []),
    'a cycle through a callback': ({
        'src/loop.c': ('void on_tick (void);\n'
                       'void loop_run (void (*f) (void));\n'
                       'void loop_start (void) { loop_run (on_tick); }\n'
                       'void loop_run (void (*f) (void)) { f (); }\n'),
        'src/ui/tick.c': ('void loop_start (void);\n'
                          'void on_tick (void) { }\n'
                          'void tick_init (void) { loop_start (); }\n'),
    }, [['src/loop', 'src/ui/tick']]),
    'a cycle through a macro': ({
        # TB_ERROR-style: use.c uses err.h's macro, which calls into err.c.
        'lib/err.h': '#define ERR (err_quark ())\nint err_quark (void);\n',
        'lib/err.c': ('int use_it (void);\n'
                      'int err_quark (void) { return use_it (); }\n'),
        'lib/use.c': '#include "err.h"\nint use_it (void) { return ERR; }\n',
    }, [['lib/err', 'lib/use']]),
    'a header and its .c are one node': ({
        # foo.h's inline function calls bar(); bar.c calls foo().
        'lib/foo.h': ('int bar (void);\n'
                      'static inline int foo_twice (void) '
                      '{ return 2 * bar (); }\n'
                      'int foo (void);\n'),
        'lib/foo.c': '#include "foo.h"\nint foo (void) { return 1; }\n',
        'lib/bar.c': ('#include "foo.h"\n'
                      '#define CALL_FOO() foo ()\n'
                      'int bar (void) { return CALL_FOO (); }\n'),
    }, [['lib/bar', 'lib/foo']]),
}


def self_test(ctags, script):
    """Build each of SELF_TEST_TREES in a temporary folder, analyse it in
    this process and run the script on it; TAP-like output."""
    failed = 0
    for title, (tree, expected) in SELF_TEST_TREES.items():
        problems = []
        with tempfile.TemporaryDirectory(prefix='check-cycles-') as root:
            for rel, text in tree.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, 'w') as f:
                    f.write(text)
            dirs = sorted({rel.split('/')[0] for rel in tree})
            nodes, edges, notes = build_graph(root, dirs, ctags)
            got = [c for c in strongly_connected(nodes, edges) if len(c) > 1]
            if got != expected:
                problems.append(f'expected cycles {expected}, got {got}; '
                                f'edges: {sorted(edges)}')
            if notes:
                problems.append(f'notes: {notes}')
            proc = subprocess.run(
                [sys.executable, script, '--root', root, '--ctags', ctags,
                 '--dirs'] + dirs,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                universal_newlines=True)
            want = 1 if expected else 0
            if proc.returncode != want:
                problems.append(f'exit status {proc.returncode}, expected '
                                f'{want}; output:\n{proc.stdout}')
            elif expected and 'round trip: ' not in proc.stdout:
                problems.append(f'no round trip printed:\n{proc.stdout}')
        print(f'{"not ok" if problems else "ok"} - {title}')
        for problem in problems:
            print('# ' + problem.replace('\n', '\n# '))
        failed += bool(problems)
    return 1 if failed else 0


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(
        description='Find call cycles between C source files.')
    parser.add_argument('--root', default=os.path.dirname(here),
                        help='the source tree (default: the one holding '
                             'this script)')
    parser.add_argument('--dirs', nargs='+', default=list(DEFAULT_DIRS),
                        metavar='DIR', help='folders under ROOT to scan '
                        f'(default: {" ".join(DEFAULT_DIRS)})')
    parser.add_argument('--ctags', default='ctags',
                        help='the universal-ctags program')
    parser.add_argument('-v', '--verbose', action='store_true',
                        help='also list every edge and note')
    parser.add_argument('--self-test', action='store_true',
                        help='check the checker on small synthetic trees')
    args = parser.parse_args(argv)

    ctags = shutil.which(args.ctags)
    if ctags is None:
        print(f'{args.ctags} not found: install universal-ctags',
              file=sys.stderr)
        return 77
    version = subprocess.run([ctags, '--version'], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT,
                             universal_newlines=True).stdout
    if 'Universal Ctags' not in version:
        print(f'{ctags} is not universal-ctags: {version.splitlines()[:1]}',
              file=sys.stderr)
        return 77
    try:
        if args.self_test:
            return self_test(ctags, os.path.abspath(__file__))
        nodes, edges, notes = build_graph(args.root, args.dirs, ctags)
    except InputError as e:
        print(f'check-cycles: {e}', file=sys.stderr)
        return 2
    return 1 if report(nodes, edges, notes, sys.stdout, args.verbose) else 0


if __name__ == '__main__':
    sys.exit(main())
