# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML alert report rendered through the real tasks file (roles/alert_report/tasks/render.yml), then opened
in a real headless Chromium: chart and tables are there, an injected <script> did not run, nothing is fetched.

Chromium comes from the Debian package: apt-get update && apt-get install -y chromium
The browser tests skip (with that command as the reason) only when no chromium binary is found.
"""

from __future__ import absolute_import, division, print_function

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLAYBOOK = 'report_render.yml'
TITLE = 'Alerts during change CHG-1234'
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync',
                  '--disable-extensions', '--hide-scrollbars']


def find_chromium():
    for name in (os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', '/usr/bin/chromium'):
        if name:
            path = shutil.which(name) or (name if os.path.isfile(name) and os.access(name, os.X_OK) else None)
            if path:
                return path
    return None


needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason='chromium not installed (Debian: apt-get update && apt-get install -y chromium)')


class Dom(HTMLParser):
    """Just enough of the DOM: element ids, the text of every table row, svg bars, title."""

    def __init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.ids = {}
        self.tables = {}
        self.bars = []
        self.title = None
        self._stack = []
        self._table = None
        self._row = None
        self._cell = None
        self._in_title = False
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if 'id' in attrs:
            self.ids.setdefault(attrs['id'], []).append(tag)
        if tag == 'svg':
            self._in_svg += 1
        elif tag == 'title' and not self._in_svg:
            self._in_title = True
            self.title = ''
        elif tag == 'table':
            self._table = attrs.get('id')
            self.tables.setdefault(self._table, [])
        elif tag == 'tr' and self._table is not None:
            self._row = []
        elif tag in ('td', 'th') and self._row is not None:
            self._cell = ''
        elif tag == 'rect' and 'bar' in (attrs.get('class') or '').split():
            self.bars.append(attrs)

    def handle_endtag(self, tag):
        if tag == 'svg':
            self._in_svg -= 1
        elif tag == 'title':
            self._in_title = False
        elif tag in ('td', 'th') and self._cell is not None:
            self._row.append(' '.join(self._cell.split()))
            self._cell = None
        elif tag == 'tr' and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == 'table':
            self._table = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._cell is not None:
            self._cell += data


def parse(html):
    dom = Dom()
    dom.feed(html)
    dom.close()
    return dom


def chromium(args, tmp_path, timeout=120):
    profile = tempfile.mkdtemp(prefix='chromium-profile-', dir=str(tmp_path))
    cmd = [find_chromium()] + CHROMIUM_FLAGS + ['--user-data-dir=' + profile] + args
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    assert proc.returncode == 0, (cmd, proc.stderr.decode('utf-8', 'replace')[-3000:])
    return proc.stdout.decode('utf-8', 'replace')


def large_alerts():
    """2100 alerts over one day: 100 per hour from 00:00 to 20:59, one severity word per minute."""
    words = ['CRITICAL', 'WARNING', 'attention', 'UNKNOWN']
    return [{'platform': 'mackerel', 'id': 'big-%d' % i, 'status': 'open', 'severity': words[i % 4],
             'title': 'alert %d' % i, 'source': 'host-%d' % (i % 7),
             'opened_at': '2026-11-23T%02d:%02d:00Z' % (i // 100, i % 60), 'closed_at': None, 'raw': {}}
            for i in range(2100)]


@pytest.fixture
def reports(play, tmp_path):
    result = play(PLAYBOOK, extra_vars={'report_large_alerts': large_alerts()})
    assert result.rc == 0, result
    # the report directory, then three reports
    assert re.search(r'localhost\s*:\s*ok=\d+\s+changed=4\b', result.output), result
    base = tmp_path / 'reports'
    return dict((name, str(base / (name + '.html'))) for name in ('change', 'empty', 'large'))


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def check_offline(html):
    # no external resource of any kind: no http(s) (or protocol-relative) src/href, no script, link, img, @import
    assert not re.search(r'''\b(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?//''', html, re.I)
    assert not re.search(r'''url\(\s*["']?\s*(?:https?:)?//''', html, re.I)
    assert not re.search(r'<(?:script|link|img|iframe|object|embed|base)\b', html, re.I)
    assert '@import' not in html
    assert 'http://' not in html and 'https://' not in html


def test_rendered_reports_are_self_contained_escaped_and_idempotent(reports, play):
    paths = reports
    for path in paths.values():
        check_offline(read(path))
    html = read(paths['change'])
    # the injected markup is text, not markup
    assert '&lt;script&gt;document.title=&#39;PWNED&#39;' in html
    assert '&lt;img src=x onerror=&#34;document.title=&#39;PWNED2&#39;&#34;&gt; &amp; &#34;quotes&#34;' in html
    # the same data again: nothing changes (the output is deterministic)
    again = play(PLAYBOOK, extra_vars={'report_large_alerts': large_alerts()})
    assert again.rc == 0, again
    assert re.search(r'localhost\s*:\s*ok=\d+\s+changed=0\b', again.output), again


def test_render_requires_its_variables(play, tmp_path):
    bad = tmp_path / 'bad.yml'
    bad.write_text(json.dumps([{
        'name': 'Render without a window', 'hosts': 'localhost', 'gather_facts': False,
        'tasks': [{
            'name': 'Render',
            'ansible.builtin.include_role': {'name': 'alertops.core.alert_report', 'tasks_from': 'render'},
            'vars': {'alert_report_render_alerts': [], 'alert_report_render_dest': str(tmp_path / 'x.html')},
        }],
    }]))
    result = play(str(bad))
    assert result.rc != 0
    assert 'alert_report render needs alert_report_render_dest' in result.output, result
    assert not (tmp_path / 'x.html').exists()


@needs_chromium
def test_report_in_headless_chromium(reports, tmp_path):
    paths = reports
    url = 'file://' + paths['change']
    screenshot = str(tmp_path / 'report.png')
    chromium(['--screenshot=' + screenshot, '--window-size=1280,2000', url], tmp_path)
    with open(screenshot, 'rb') as handle:
        png = handle.read()
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 20000
    if os.environ.get('ALERTOPS_REPORT_SCREENSHOT'):  # keep a copy for a human to look at
        shutil.copy(screenshot, os.environ['ALERTOPS_REPORT_SCREENSHOT'])

    dom = parse(chromium(['--dump-dom', url], tmp_path))
    # the injected scripts did not run: title unchanged, no element added
    assert dom.title == TITLE
    assert 'pwned' not in dom.ids
    assert dom.ids['severity-chart'] == ['svg']
    for element_id in ('severity-chart-title', 'severity-legend', 'platform-counts', 'top-sources', 'closed-alerts',
                       'left-open', 'all-alerts', 'log360-hits', 'change-id'):
        assert element_id in dom.ids, element_id

    # 8 stacked bars: (bucket, severity, count) for 30-minute intervals from 10:00
    assert sorted((int(b['data-bucket']), b['data-severity'], int(b['data-count'])) for b in dom.bars) == [
        (0, 'critical', 1), (0, 'warning', 1), (2, 'critical', 1), (3, 'info', 1), (5, 'info', 1), (5, 'warning', 1),
        (8, 'warning', 1), (11, 'critical', 1)]
    assert all(float(b['height']) > 0 and float(b['width']) > 0 for b in dom.bars)

    platforms = dom.tables['platform-counts']
    assert platforms[0][:7] == ['Platform', 'Alerts', 'In window', 'Outside window', 'No open time', 'Open', 'Closed']
    assert platforms[1:] == [
        ['Log360', '3', '3', '0', '0', '3', '0', '1', '1', '1', '0'],
        ['Mackerel', '4', '3', '1', '0', '2', '2', '1', '2', '0', '1'],
        ['OpsRamp', '3', '2', '0', '1', '3', '0', '2', '0', '1', '0'],
        ['All platforms', '10', '8', '1', '1', '8', '2', '4', '3', '2', '1']]

    top = [(row[0], row[1], row[2]) for row in dom.tables['top-sources'][1:]]
    assert top == [('1', 'web-1', '4'), ('2', 'db-1', '2'), ('3', 'dc-1', '2'), ('4', 'db-2', '1'),
                   ('5', 'web-2', '1')]

    # Platform, ID, Severity, Title, Source, Monitor, Opened (UTC), Closed (UTC), Reason
    closed_table = dom.tables['closed-alerts']
    assert closed_table[0] == ['Platform', 'ID', 'Severity', 'Title', 'Source', 'Monitor', 'Opened (UTC)',
                               'Closed (UTC)', 'Reason']
    assert [(r[0], r[1], r[2], r[6], r[7], r[8]) for r in closed_table[1:]] == [
        ('OpsRamp', 'o-1', 'Critical', '2026-11-23 11:10:00', '2026-11-23 15:20:00', 'CHG-1234: database restart'),
        ('Mackerel', 'm-4', 'Warning', '2026-11-23 14:00:00', '2026-11-23 14:30:00',
         'CHG-1234: caused by the deploy')]
    left = dom.tables['left-open'][1:]
    assert [(r[1], r[6]) for r in left] == [('m-3', 'in baseline'), ('m-1', 'out of scope'),
                                            ('l-1', 'Log360 alerts are read-only'), ('o-3', 'opened outside the window')]

    rows = dom.tables['all-alerts'][1:]
    assert len(rows) == 10
    assert [r[3] for r in rows] == ['m-3', 'm-1', 'm-2', 'o-1', 'o-2', 'l-1', 'l-2', 'm-4', 'l-3', 'o-3']
    titles = dict((r[3], r[7]) for r in rows)
    assert titles['l-1'].startswith("Failed logon <script>document.title='PWNED';")  # shown as text
    assert titles['l-3'] == 'Malware <img src=x onerror="document.title=\'PWNED2\'"> & "quotes"'
    assert dom.tables['log360-hits'][1:] == [['Total hits', '3'], ['Hits fetched', '3']]


@needs_chromium
def test_empty_and_large_reports_in_headless_chromium(reports, tmp_path):
    paths = reports
    empty = parse(chromium(['--dump-dom', 'file://' + paths['empty']], tmp_path))
    assert empty.title == 'Nothing happened'
    assert empty.bars == [] and 'severity-chart-empty' in empty.ids
    assert 'closed-alerts' not in empty.ids and 'left-open' not in empty.ids
    assert empty.tables['all-alerts'][1:] == [['No alerts.']]

    large = parse(chromium(['--dump-dom', 'file://' + paths['large']], tmp_path))
    assert 'all-alerts-note' in large.ids
    assert len(large.tables['all-alerts']) == 1 + 2000
    # 21 hours x 4 severities, 25 alerts each
    assert len(large.bars) == 84 and set(int(b['data-count']) for b in large.bars) == {25}
    assert large.tables['platform-counts'][1] == ['Mackerel', '2100', '2100', '0', '0', '2100', '0', '525', '525',
                                                  '525', '525']


# -- the README's picture: made from the demo's report, never drifting ----------------------------------------------
EXAMPLE_PNG = os.path.join(ROOT, 'docs', 'report-example.png')
EXAMPLE_SIDECAR = EXAMPLE_PNG + '.sha256'
# what the picture shows is decided by these files: the template, the rendering, the demo's play (its data)
EXAMPLE_INPUTS = ('roles/alert_report/templates/report.html.j2', 'plugins/plugin_utils/audit.py',
                  'playbooks/change_window.yml')
REFRESH = 'ALERTOPS_REFRESH_EXAMPLE'
HOW = ('run "%s=1 python -m pytest -p no:cacheprovider tests/integration/test_report_browser.py -k example" (needs '
       'chromium) and commit docs/report-example.png with its .sha256' % REFRESH)


def example_inputs_digest():
    digest = hashlib.sha256()
    for name in EXAMPLE_INPUTS:
        with open(os.path.join(ROOT, name), 'rb') as handle:
            digest.update(name.encode() + b'\0' + handle.read() + b'\0')
    return digest.hexdigest()


def file_digest(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def read_sidecar():
    try:
        with open(EXAMPLE_SIDECAR) as handle:
            return dict(line.split(None, 1)[::-1] for line in handle.read().splitlines() if line.strip())
    except (IOError, OSError):
        return {}


def test_the_example_picture_was_made_from_the_current_template_and_demo():
    # no browser needed: a changed template, rendering or demo without a new picture fails here, in every CI leg
    if os.environ.get(REFRESH):
        pytest.skip('refreshing the picture (test_example_picture_from_the_demo_report)')
    recorded = read_sidecar()
    assert recorded.get('inputs') == example_inputs_digest(), (
        'docs/report-example.png was not made from the current %s: %s' % (', '.join(EXAMPLE_INPUTS), HOW))
    assert recorded.get('docs/report-example.png') == file_digest(EXAMPLE_PNG), (
        'docs/report-example.png was changed by hand (its .sha256 does not match it): %s' % HOW)


@needs_chromium
def test_example_picture_from_the_demo_report(play, sim, tmp_path):
    out = tmp_path / 'demo'
    result = play(os.path.join(ROOT, 'playbooks', 'change_window.yml'),
                  extra_vars={'alertops_demo_output': str(out), 'alertops_sim_url': sim.url, 'change_id': 'CHG-1234'})
    assert result.rc == 0, result
    report = out / 'CHG-1234-audit.html'
    html = read(str(report))
    check_offline(html)
    screenshot = str(tmp_path / 'report-example.png')
    chromium(['--screenshot=' + screenshot, '--window-size=1280,2000', 'file://' + str(report)], tmp_path)
    with open(screenshot, 'rb') as handle:
        png = handle.read()
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 20000
    dom = parse(chromium(['--dump-dom', 'file://' + str(report)], tmp_path))
    assert dom.title == 'Change window CHG-1234'
    # what the picture shows: one summary, and the reason of every close
    assert dom.ids['summary-heading'] == ['h2'] and 'summary-text' in dom.ids
    closed = dom.tables['closed-alerts'][1:]
    assert closed and all(row[8].startswith('CHG-1234: ') for row in closed), closed
    if os.environ.get(REFRESH):
        shutil.copy(screenshot, EXAMPLE_PNG)
        with open(EXAMPLE_SIDECAR, 'w') as handle:
            handle.write('%s  inputs\n%s  docs/report-example.png\n' % (example_inputs_digest(), file_digest(EXAMPLE_PNG)))
