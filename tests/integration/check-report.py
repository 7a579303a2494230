#!/usr/bin/python3
# check-report.py — open a touchbase HTML report in headless Chromium and
# check that it shows its figures and that nothing leaves the file.
#
#   check-report.py [--render BIN] [--out-dir DIR] [--expect ID=TEXT]... [FILE]
#
# With --render, BIN writes the fixture report (tests/unit/report-fixture.c) and
# the fixture's figures are expected. Three checks:
#  1. static: no tag can load anything (src=, <link>, <script>, <img>,
#     url(), @import), and every href is http(s), mailto or tel;
#  2. the DOM after rendering (--dump-dom) has the figures;
#  3. a net log of the rendering has no request but the file itself, with
#     every host name resolving to nothing, so a leak fails instead of
#     waiting on the network.
# Screenshots at 1280 and 390 pixels wide are left in --out-dir to look at.
# Exit 77 (skipped) when Chromium is not installed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

FIXTURE_EXPECT = {
    'fig-contacts': '1287',
    'fig-talked': '213',
    'fig-never': '1074',
    'fig-overdue': '37',
    'fig-on-track': '176',
    'fig-conv-30': '19',
    'fig-conv-90': '58',
    'fig-intros': '23',
}
FIXTURE_TEXT = [
    '951 from LinkedIn',
    '83 %',
    '12 days overdue',
    'Ask about goal: her move to Lisbon & a seed round',
    '<script>alert(1)</script> Mallory',  # as text, after unescaping
    'touchbase introduce 1 3',
]
LOADING_TAGS = {'script', 'link', 'img', 'iframe', 'object', 'embed',
                'video', 'audio', 'source', 'track', 'frame', 'base',
                'image', 'use', 'form', 'input', 'picture'}
LOADING_ATTRS = {'src', 'srcset', 'poster', 'data', 'action', 'formaction',
                 'background', 'xlink:href', 'ping', 'manifest'}
LINK_SCHEMES = ('https://', 'http://', 'mailto:', 'tel:')


def fail(msg):
    print('FAIL: ' + msg, file=sys.stderr)
    sys.exit(1)


class Scan(html.parser.HTMLParser):
    """Collect what could load something, the hrefs, and text by id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.hrefs = []
        self.stack = []  # ids of open elements with text being collected
        self.text_by_id = {}
        self.in_style = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in LOADING_TAGS:
            self.problems.append('<%s> tag' % tag)
        for name, value in attrs:
            if name in LOADING_ATTRS:
                self.problems.append('%s= on <%s>' % (name, tag))
            if name.startswith('on'):
                self.problems.append('%s= handler on <%s>' % (name, tag))
            if name == 'href' and tag != 'a':
                self.problems.append('href on <%s>' % tag)
            if name == 'href' and tag == 'a':
                self.hrefs.append(value or '')
            if name == 'style' and value and ('url(' in value
                                              or '@import' in value):
                self.problems.append('url() in a style attribute')
            if name == 'id':
                self.stack.append(value)
                self.text_by_id.setdefault(value, '')
        if tag == 'style':
            self.in_style = True

    def handle_endtag(self, tag):
        if tag == 'style':
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            if 'url(' in data or '@import' in data:
                self.problems.append('url() or @import in CSS')
            return
        self.text.append(data)
        for i in self.stack:
            self.text_by_id[i] += data


def scan(text):
    s = Scan()
    s.feed(text)
    s.close()
    return s


def check_static(text):
    s = scan(text)
    if s.problems:
        fail('the report can load things: ' + ', '.join(sorted(set(s.problems))))
    for h in s.hrefs:
        if not h.lower().startswith(LINK_SCHEMES):
            fail('link with a scheme not allowed: %r' % h)
    if 'name="viewport"' not in text:
        fail('no viewport meta tag')
    print('# static: %d links, all http(s)/mailto/tel; nothing loads'
          % len(s.hrefs))


def chromium_args(profile, extra):
    return ['chromium', '--headless', '--no-sandbox', '--disable-gpu',
            '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--disable-default-apps',
            '--disable-extensions', '--mute-audio',
            '--host-resolver-rules=MAP * ~NOTFOUND',
            '--user-data-dir=' + profile] + extra


def run_chromium(profile, extra, url):
    # Chromium is chatty on stderr; keep it out of the test's stdout.
    p = subprocess.run(chromium_args(profile, extra) + [url],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=90, text=True)
    if p.returncode != 0:
        fail('chromium exited %d: %s' % (p.returncode, p.stderr[-2000:]))
    return p.stdout


def load_netlog(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        raw = f.read().rstrip().rstrip(',')
    # Chromium may exit before it closes the JSON; close it ourselves.
    for tail in ('', ']}', '}]}'):
        try:
            return json.loads(raw + tail)
        except json.JSONDecodeError:
            continue
    fail('cannot read the net log ' + path)


def page_requests(path):
    """URLs of the requests a document made, and those Chromium made on
    its own (update checks, account look-ups: initiator "not an origin").
    A file:// page has an opaque origin, so its requests say "null" or
    "file://"; loading the file itself is no URL request at all."""
    log = load_netlog(path)
    types = {v: k for k, v in log['constants']['logEventTypes'].items()}
    page, browser = set(), set()
    for e in log.get('events', []):
        if types.get(e.get('type')) != 'URL_REQUEST_START_JOB':
            continue
        params = e.get('params', {})
        u = params.get('url', '')
        if not u or u.startswith(('file:', 'data:', 'about:', 'chrome:')):
            continue
        if params.get('initiator', 'not an origin') == 'not an origin':
            browser.add(u)
        else:
            page.add(u)
    return page, browser


def render_netlog(profile, out_dir, url, name):
    netlog = os.path.join(out_dir, name)
    dom = run_chromium(profile, ['--log-net-log=' + netlog,
                                 '--net-log-capture-mode=Everything',
                                 '--virtual-time-budget=3000',
                                 '--dump-dom'], url)
    return dom, netlog


def self_test(profile, out_dir):
    """The leak detector must see a leak: a page that loads an image."""
    leaky = os.path.join(out_dir, 'leaky.html')
    with open(leaky, 'w') as f:
        f.write('<!DOCTYPE html><title>leak</title>'
                '<img src="http://leak.invalid/pixel.gif">'
                '<link rel="stylesheet" href="https://leak.invalid/a.css">')
    _, netlog = render_netlog(profile, out_dir, 'file://' + leaky,
                              'netlog-leaky.json')
    page, _ = page_requests(netlog)
    if not any('leak.invalid' in u for u in page):
        fail('the leak detector missed a leaking page: %r' % sorted(page))
    print('# self-test: a leaking page is caught (%d requests)' % len(page))


def check_chromium(path, out_dir, expect):
    url = 'file://' + os.path.abspath(path)
    profile = tempfile.mkdtemp(prefix='tb-chromium-')
    try:
        self_test(profile, out_dir)
        dom, netlog = render_netlog(profile, out_dir, url, 'netlog.json')
        s = scan(dom)
        for fid, value in expect.items():
            got = s.text_by_id.get(fid)
            if got is None:
                fail('rendered page has no #%s' % fid)
            if value not in got:
                fail('#%s shows %r, not %r' % (fid, got.strip(), value))
        page_text = ''.join(s.text)
        for t in FIXTURE_TEXT if expect is FIXTURE_EXPECT else []:
            if t not in page_text:
                fail('rendered page lacks %r' % t)
        if s.problems:
            fail('rendered DOM can load things: ' + ', '.join(s.problems))
        print('# rendered: %d figures found in the DOM' % len(expect))

        page, browser = page_requests(netlog)
        if page:
            fail('requests left the file: ' + ', '.join(sorted(page)[:20]))
        if browser:
            print('# (Chromium itself asked for %d URLs, e.g. %s: not the '
                  'page)' % (len(browser), sorted(browser)[0][:60]))
        print('# net log: no request but the file')

        for width, height, name in ((1280, 900, 'report-1280.png'),
                                    (1280, 3000, 'report-1280-full.png'),
                                    (390, 844, 'report-390.png'),
                                    (390, 4200, 'report-390-full.png')):
            shot = os.path.join(out_dir, name)
            if os.path.exists(shot):
                os.unlink(shot)
            run_chromium(profile, ['--hide-scrollbars',
                                   '--window-size=%d,%d' % (width, height),
                                   '--screenshot=' + shot], url)
            if not os.path.exists(shot) or os.path.getsize(shot) < 5000:
                fail('no screenshot at %d px' % width)
            print('# screenshot %s' % shot)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('file', nargs='?')
    ap.add_argument('--render', help='program that writes the fixture report')
    ap.add_argument('--out-dir')
    ap.add_argument('--expect', action='append', default=[],
                    help='ID=TEXT the element #ID must show')
    a = ap.parse_args()

    out_dir = a.out_dir or tempfile.mkdtemp(prefix='tb-report-')
    os.makedirs(out_dir, exist_ok=True)
    expect = dict(e.split('=', 1) for e in a.expect)
    path = a.file
    if a.render:
        path = os.path.join(out_dir, 'report.html')
        subprocess.run([a.render, path], check=True,
                       stdout=subprocess.DEVNULL)
        expect = expect or FIXTURE_EXPECT
    if not path:
        ap.error('give a FILE or --render')

    with open(path, encoding='utf-8') as f:
        check_static(f.read())
    if shutil.which('chromium') is None:
        print('# chromium is not installed: skipping the rendering checks')
        sys.exit(77)
    check_chromium(path, out_dir, expect)
    print('ok')


if __name__ == '__main__':
    main()
