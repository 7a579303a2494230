#!/usr/bin/python3
# The translation catalogue: xgettext extracts po/POTFILES.in the way
# `ninja touchbase-pot` does, without a warning; known strings from the
# client, the notifications and the errors are in it; every source file
# that marks strings is listed; and a translation made from the template
# passes msgfmt --check. Then the check proves it can fail: a list
# without client/main.c must be refused.
# Usage: check-po.py SOURCE-DIR
# Exits 77 (skipped) without gettext's tools.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile

# What meson's i18n.gettext(preset: 'glib') hands xgettext
# (PRESET_ARGS['glib'] in mesonbuild/modules/i18n.py), plus the -k_ its
# pot target adds. Taken from meson itself when this python has it.
GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]
try:
    from mesonbuild.modules.i18n import PRESET_ARGS
    GLIB_PRESET = PRESET_ARGS['glib']
except ImportError:
    pass

# (context, msgid) that must be in the template: one of each kind of
# marking (_, N_ in a table, C_, plurals) and of each place.
EXPECTED = [
    # the client's usage, its command table and an option (N_)
    (None, 'Remind yourself to touch base with the people you know.'),
    (None, 'Add a contact and print its id'),
    (None, 'Only contacts you never talked to (no call, video, meeting or '
     'coffee)'),
    # its errors and output
    (None, 'unknown command “%s”'),
    (None, 'missing CONTACT'),
    (None, 'cannot reach touchbased: %s'),
    (None, 'Nobody is due. You\'re all caught up.'),
    ('column', 'LAST TALKED'),
    # the notifications
    (None, 'Touch base with %s'),
    (None, 'You have not talked yet.'),
    (None, 'Last call: %s.'),
    (None, '%u more person to touch base with'),
    # the daemon's --help, the config's warnings, parse errors, CalDAV
    (None, 'Replace a running touchbased'),
    (None, '%s: [%s] %s: unknown key; ignoring it'),
    (None, '%s: the file is empty'),
    (None, 'unterminated quoted field'),
    (None, 'Invalid CalDAV URL “%s”: expected http(s)://host/path/'),
]

# Where sources that may mark strings live.
SOURCE_DIRS = ['client', 'daemon', 'common']

MARK = re.compile(r'(?<![\w])(?:_|N_|C_|NC_|Q_|ngettext|g_dngettext|'
                  r'g_dpgettext2?|g_dcgettext)\s*\(')


def code_only(text):
    """@text without its comments and with its string and character
    literals emptied: a comment that mentions _() marks nothing."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def marking_files(srcdir):
    """The C files under SOURCE_DIRS that mark strings, relative."""
    found = []
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcdir, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(('.c', '.h')):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding='utf-8') as f:
                    if MARK.search(code_only(f.read())):
                        found.append(os.path.relpath(path, srcdir))
    return found


def read_potfiles(path):
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def unlisted(srcdir, potfiles):
    """Marking files missing from @potfiles, and listed files that don't
    exist."""
    errors = []
    for path in marking_files(srcdir):
        if path not in potfiles:
            errors.append(f'{path} marks strings for translation but is '
                          f'not in po/POTFILES.in')
    for path in potfiles:
        if not os.path.isfile(os.path.join(srcdir, path)):
            errors.append(f'po/POTFILES.in lists {path}, which does not '
                          f'exist')
    return errors


def po_string(line):
    """The text of a "..." line of a .po file."""
    body = line[line.index('"') + 1:line.rindex('"')]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(
        m.group(1), m.group(1)), body)


def read_catalogue(path):
    """The set of (msgctxt, msgid) in a .pot."""
    entries = set()
    fields = {}
    current = None
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines() + ['']
    for line in lines:
        if line.startswith('"') and current is not None:
            fields[current] += po_string(line)
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(\[\d+\])?) ', line)
        if m:
            current = m.group(1)
            fields[current] = po_string(line)
            continue
        current = None
        if not line.strip() and 'msgid' in fields:
            if fields['msgid']:  # not the header
                entries.add((fields.get('msgctxt'), fields['msgid']))
            fields = {}
    return entries


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def main(srcdir):
    tools = {t: shutil.which(t) for t in ('xgettext', 'msginit', 'msgfmt')}
    missing = [t for t, path in tools.items() if path is None]
    if missing:
        print(f'{", ".join(missing)} not installed (gettext)')
        return 77

    errors = []
    potfiles_path = os.path.join(srcdir, 'po', 'POTFILES.in')
    potfiles = read_potfiles(potfiles_path)
    errors += unlisted(srcdir, potfiles)

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'touchbase.pot')
        # As meson's gettext pot command runs it.
        result = run([tools['xgettext'], '--package-name=touchbase',
                      '-f', potfiles_path, '-D', srcdir, '-k_', '-o', pot]
                     + GLIB_PRESET)
        if result.returncode != 0 or not os.path.exists(pot):
            print(result.stderr, end='')
            for error in errors:
                print(f'FAIL: {error}')
            print(f'FAIL: xgettext failed (exit status {result.returncode})')
            return 1
        # A warning means a string xgettext could not read as written,
        # such as "%" G_GINT64_FORMAT inside _().
        if result.stderr.strip():
            errors.append('xgettext warned:\n' + result.stderr.rstrip())

        catalogue = read_catalogue(pot)
        print(f'{len(catalogue)} messages from {len(potfiles)} files')
        for ctx, msgid in EXPECTED:
            if (ctx, msgid) not in catalogue:
                where = f' (context {ctx})' if ctx else ''
                errors.append(f'not in the template: {msgid!r}{where}')

        # A translation as a translator would start it: msginit fills an
        # English one with the msgids. msgfmt --check compares the format
        # directives of each pair and the header.
        po = os.path.join(tmp, 'en.po')
        result = run([tools['msginit'], '--no-translator',
                      '--locale=en_US.UTF-8', '-i', pot, '-o', po], cwd=tmp)
        if result.returncode != 0:
            errors.append('msginit failed:\n' + result.stderr.rstrip())
        else:
            result = run([tools['msgfmt'], '--check', '--statistics',
                          '-o', os.path.join(tmp, 'en.mo'), po], cwd=tmp)
            if result.returncode != 0:
                errors.append('msgfmt --check failed:\n'
                              + result.stderr.rstrip())
            else:
                print(result.stderr.strip())
                if 'untranslated' in result.stderr or 'fuzzy' in result.stderr:
                    errors.append('the test translation is incomplete: '
                                  + result.stderr.strip())

    # The check can fail: without client/main.c in the list, it must say
    # so by name.
    refused = unlisted(srcdir, [p for p in potfiles if p != 'client/main.c'])
    if not any(e.startswith('client/main.c ') for e in refused):
        errors.append('a POTFILES.in without client/main.c was accepted')
    else:
        print('ok: a POTFILES.in without client/main.c is refused')

    for error in errors:
        print(f'FAIL: {error}')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else '.'))
