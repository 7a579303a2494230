#!/usr/bin/env python3
# LinkedIn data exports as LinkedIn mails them: a ZIP (deflate) of CSVs,
# Connections.csv among Profile.csv, messages.csv, Invitations.csv and,
# in the complete archive, many more, some in folders. Connections.csv
# starts with LinkedIn's "Notes:" preamble before its header.
#
# Imported by the integration tests; run as a script, it writes the unit
# test's fixtures:   linkedin_zip.py OUTDIR
#
# SPDX-License-Identifier: GPL-3.0-or-later

import io
import os
import sys
import zipfile

HEADER = ('First Name', 'Last Name', 'URL', 'Email Address', 'Company',
          'Position', 'Connected On')

NOTES = ('Notes:\n'
         '"When exporting your connection data, you may notice that some of '
         'the email addresses are missing. You will only see email addresses '
         'for connections who have allowed their connections to see or '
         'download their email address using this setting '
         'https://www.linkedin.com/psettings/privacy/email. You can learn '
         'more here https://www.linkedin.com/help/linkedin/answer/261"\n'
         '\n')

# Already CSV-quoted where LinkedIn quotes.
ROWS = [
    'Amara,Okafor,https://www.linkedin.com/in/amara-okafor-4b1a2,,'
    'Northwind Labs,Product Designer,14 Nov 2025',
    'Bruno,Castell,https://www.linkedin.com/in/brunocastell,'
    'bruno.castell@example.org,Castell & Filhos,'
    '"Principal Consultant, Business Performance",02 Oct 2025',
    'Émilie,Durand,https://www.linkedin.com/in/%C3%A9milie-durand,,'
    'Atelier Lumière,Founder,30 May 2025',
    'Ines,Ferreira 🌱,https://www.linkedin.com/in/inesferreira,,'
    'Green Roots Co-op,Community Lead,22 Dec 2024',
    'Liam,"Murphy, PhD",https://www.linkedin.com/in/liam-murphy-phd,,'
    'Trinity Bio,Research Scientist,01 Aug 2024',
]
NAMES = ['Amara Okafor', 'Bruno Castell', 'Émilie Durand',
         'Ines Ferreira 🌱', 'Liam Murphy, PhD']


def generated_rows(count):
    '''@count rows of made-up people, for archives with a lot in them.'''
    return [f'Person{i},Number{i},https://www.linkedin.com/in/person-{i},,'
            f'Company {i % 97},Role {i % 13},{1 + i % 28:02d} Mar 2025'
            for i in range(count)]


def connections_csv(rows=ROWS, crlf=False, bom=False):
    text = NOTES + ','.join(HEADER) + '\n' + ''.join(r + '\n' for r in rows)
    if crlf:
        text = text.replace('\n', '\r\n')
    return (b'\xef\xbb\xbf' if bom else b'') + text.encode('utf-8')


def _other_csvs():
    return [
        ('Profile.csv',
         'First Name,Last Name,Maiden Name,Address,Birth Date,Headline,'
         'Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,'
         'Instant Messengers\r\nSam,Doe,,,,Product Manager,,Software,,'
         'Lisbon,,,\r\n'),
        ('messages.csv',
         'CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,'
         'RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\r\n'
         '2-abc==,,Amara Okafor,https://www.linkedin.com/in/amara-okafor-4b1a2,'
         'Sam Doe,https://www.linkedin.com/in/samdoe,2025-11-15 09:12:01 UTC,,'
         '"Great to meet you, Sam!",INBOX\r\n'),
        ('Invitations.csv',
         'From,To,Sent At,Message,Direction,inviterProfileUrl,'
         'inviteeProfileUrl\r\nSam Doe,Chen Wei,"11/2/25, 6:14 PM",,OUTGOING,'
         'https://www.linkedin.com/in/samdoe,'
         'https://www.linkedin.com/in/chen-wei-88\r\n'),
        ('Registration.csv',
         'Registered At,Registration Ip,Subscription Types\r\n'
         '"3/1/12, 10:01 AM",192.0.2.1,\r\n'),
    ]


def _write(out, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(out, 'w', compression) as z:
        for name, data in entries:
            # A name ending in "/" is a folder.
            z.writestr(name, data)


def basic_export(path, connections=None, **csv_options):
    '''Basic_LinkedInDataExport_*.zip: a few CSVs, Connections.csv not
    first, so the reader passes over others to get to it.'''
    if connections is None:
        connections = connections_csv(**csv_options)
    entries = _other_csvs()[:2] + [('Connections.csv', connections)] + \
        _other_csvs()[2:]
    _write(path, entries)


def complete_export(path, folder='', connections=None, **csv_options):
    '''The complete archive: many CSVs, folders, and Connections.csv near
    the end; with @folder, everything inside that folder (an export
    unpacked and packed again).'''
    if connections is None:
        connections = connections_csv(**csv_options)
    entries = list(_other_csvs())
    for name in ('Ad_Targeting.csv', 'Certifications.csv', 'Education.csv',
                 'Email Addresses.csv', 'Endorsement_Received_Info.csv',
                 'Languages.csv', 'Learning.csv', 'Positions.csv',
                 'Recommendations_Received.csv', 'Rich_Media.csv',
                 'Skills.csv', 'SearchQueries.csv'):
        entries.append((name, 'Name\r\nx\r\n' * 50))
    entries += [('Jobs/', b''),
                ('Jobs/Job Applications.csv', 'Application Date\r\n'),
                ('Jobs/Saved Jobs.csv', 'Saved Date\r\n'),
                ('Verifications/', b''),
                ('Verifications/Verifications.csv', 'x\r\n'),
                ('Connections.csv', connections),
                ('Company Follows.csv', 'Organization,Followed On\r\n')]
    if folder:
        entries = [(folder + '/', b'')] + [
            (f'{folder}/{name}', data) for name, data in entries]
    _write(path, entries)


class _Unseekable(io.RawIOBase):
    '''A file zipfile cannot seek in, so it writes the sizes after each
    entry's data (a data descriptor), as zip tools writing to a pipe do.'''

    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)

    def flush(self):
        self.f.flush()


def streamed_export(path, connections=None):
    if connections is None:
        connections = connections_csv()
    with open(path, 'wb') as f:
        _write(_Unseekable(f), _other_csvs() + [('Connections.csv',
                                                  connections)])


def without_connections(path):
    _write(path, _other_csvs())


def entry_span(path, name):
    '''(start, end) of @name's compressed data in the archive at @path.'''
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    with open(path, 'rb') as f:
        f.seek(info.header_offset + 26)
        header = f.read(4)
    name_len = int.from_bytes(header[0:2], 'little')
    extra_len = int.from_bytes(header[2:4], 'little')
    start = info.header_offset + 30 + name_len + extra_len
    return start, start + info.compress_size


def truncate_in_connections(path):
    '''Cuts the archive half-way through Connections.csv's data, as an
    interrupted download does.'''
    start, end = entry_span(path, 'Connections.csv')
    with open(path, 'r+b') as f:
        f.truncate((start + end) // 2)


def damage_connections(path):
    '''Changes bytes in the middle of Connections.csv's compressed data.'''
    start, end = entry_span(path, 'Connections.csv')
    with open(path, 'r+b') as f:
        f.seek((start + end) // 2)
        data = f.read(8)
        f.seek((start + end) // 2)
        f.write(bytes(b ^ 0x5A for b in data))


def write_unit_fixtures(out):
    os.makedirs(out, exist_ok=True)

    def at(name):
        return os.path.join(out, name)

    basic_export(at('basic.zip'))
    basic_export(at('basic-bom-crlf.zip'), crlf=True, bom=True)
    complete_export(at('complete.zip'),
                    folder='Complete_LinkedInDataExport_12-01-2026',
                    crlf=True, bom=True)
    streamed_export(at('streamed.zip'))
    without_connections(at('no-connections.zip'))
    with open(at('empty.zip'), 'wb') as f:
        with zipfile.ZipFile(f, 'w'):
            pass
    basic_export(at('truncated.zip'),
                 connections=connections_csv(generated_rows(2000)))
    truncate_in_connections(at('truncated.zip'))
    basic_export(at('damaged.zip'),
                 connections=connections_csv(generated_rows(2000)))
    damage_connections(at('damaged.zip'))
    _write(at('damaged-last.zip'), _other_csvs() + [
        ('Connections.csv', connections_csv(generated_rows(2000)))])
    damage_connections(at('damaged-last.zip'))
    _write(at('bad-csv.zip'), [
        ('Folder/', b''),
        ('Folder/Connections.csv',
         connections_csv(['A,B,,,,,', 'C,"open,,,,,'])[:-1])])
    with open(at('Connections.csv'), 'wb') as f:
        f.write(connections_csv())


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(f'usage: {sys.argv[0]} OUTDIR')
    write_unit_fixtures(sys.argv[1])
