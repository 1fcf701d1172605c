# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.alertops.core.plugins.filter.report import FilterModule, alert_report_data, alert_severity
from ansible_collections.alertops.core.plugins.plugin_utils import audit

START = '2026-11-23T10:00:00Z'
END = '2026-11-23T16:00:00Z'
TEMPLATE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'alert_report', 'templates',
                        'report.html.j2')


def alert(id_, opened_at, severity='critical', platform='mackerel', source='web-1', status='open', title='t', **extra):
    item = {'platform': platform, 'id': id_, 'status': status, 'severity': severity, 'title': title, 'source': source,
            'opened_at': opened_at, 'closed_at': None, 'raw': {'secret': 'do-not-render'}}
    item.update(extra)
    return item


def test_filters_are_registered():
    assert FilterModule().filters() == {'alert_report_data': alert_report_data, 'alert_severity': alert_severity}


@pytest.mark.parametrize('word,expected', [
    ('CRITICAL', 'critical'), ('Critical', 'critical'), ('critical', 'critical'), (' critical ', 'critical'),
    ('WARNING', 'warning'), ('trouble', 'warning'), ('Trouble', 'warning'),
    ('attention', 'info'), ('Ok', 'info'), ('OK', 'info'), ('info', 'info'),
    ('UNKNOWN', 'unknown'), ('unknown', 'unknown'), (None, 'unknown'), ('', 'unknown'), ('bogus', 'unknown'),
])
def test_alert_severity(word, expected):
    assert alert_severity(word) == expected


def test_severity_words_are_normalised_in_the_report():
    alerts = [alert('1', '2026-11-23T10:01:00Z', 'CRITICAL'), alert('2', '2026-11-23T10:02:00Z', 'trouble'),
              alert('3', '2026-11-23T10:03:00Z', 'attention'), alert('4', '2026-11-23T10:04:00Z', 'Ok'),
              alert('5', '2026-11-23T10:05:00Z', 'UNKNOWN'), alert('6', '2026-11-23T10:06:00Z', 'Critical'),
              alert('7', '2026-11-23T10:07:00Z', 'WARNING')]
    data = alert_report_data(alerts, START, END, buckets=6)
    assert data['severity_counts'] == {'critical': 2, 'warning': 2, 'info': 2, 'unknown': 1}
    assert [r['severity'] for r in data['rows']] == [
        'critical', 'warning', 'info', 'info', 'unknown', 'critical', 'warning']
    assert [r['severity_label'] for r in data['rows']][:2] == ['Critical', 'Warning']
    assert data['series']['critical'] == [2, 0, 0, 0, 0, 0]


def test_bucket_boundaries_and_out_of_window_alerts():
    alerts = [
        alert('start', '2026-11-23T10:00:00Z'),               # first second of bucket 0
        alert('b0', '2026-11-23T10:59:59Z', 'warning'),        # still bucket 0
        alert('b1', '2026-11-23T11:00:00Z', 'warning'),        # first second of bucket 1
        alert('b5', '2026-11-23T15:30:00+00:00', 'info'),      # bucket 5, offset form
        alert('end', '2026-11-23T16:00:00Z', 'info'),          # exactly the end: last bucket
        alert('tz', '2026-11-23T14:30:00+02:00'),              # 12:30 UTC: bucket 2
        alert('ms', 1763895600000),                            # epoch ms 2025-11-23T11:00Z: before
        alert('before', '2026-11-23T09:59:59Z'),
        alert('after', '2026-11-23T16:00:01Z'),
        alert('none', None),
        alert('garbage', 'yesterday-ish'),
    ]
    data = alert_report_data(alerts, START, END, buckets=6)
    assert data['series'] == {'critical': [1, 0, 1, 0, 0, 0], 'warning': [1, 1, 0, 0, 0, 0],
                              'info': [0, 0, 0, 0, 0, 2], 'unknown': [0, 0, 0, 0, 0, 0]}
    assert data['bucket_totals'] == [2, 1, 1, 0, 0, 2]
    assert data['totals'] == {'alerts': 11, 'in_window': 6, 'before_window': 2, 'after_window': 1,
                              'outside_window': 3, 'undated': 2, 'open': 11, 'closed': 0}
    windows = dict((r['id'], r['window']) for r in data['rows'])
    assert windows == {'start': 'in', 'b0': 'in', 'b1': 'in', 'b5': 'in', 'end': 'in', 'tz': 'in', 'ms': 'before',
                       'before': 'before', 'after': 'after', 'none': 'undated', 'garbage': 'undated'}
    assert data['buckets'][0] == {'index': 0, 'start': '2026-11-23T10:00:00Z', 'end': '2026-11-23T11:00:00Z',
                                  'label': '2026-11-23 10:00:00 to 2026-11-23 11:00:00', 'total': 2,
                                  'counts': {'critical': 1, 'warning': 1, 'info': 0, 'unknown': 0}}
    assert data['window'] == {'start': START, 'end': END, 'start_label': '2026-11-23 10:00:00',
                              'end_label': '2026-11-23 16:00:00', 'duration_label': '6 h', 'buckets': 6,
                              'bucket_seconds': 3600.0, 'bucket_label': '1 h'}
    # the tz alert is shown in UTC
    tz_row = [r for r in data['rows'] if r['id'] == 'tz'][0]
    assert tz_row['opened_at'] == '2026-11-23T12:30:00Z'
    assert tz_row['opened_label'] == '2026-11-23 12:30:00'


def test_window_accepts_epoch_seconds_and_default_buckets():
    data = alert_report_data([alert('1', '2026-11-23T10:30:00Z')], 1763892000, 1763892000 + 86400)
    assert data['window']['start'] == '2025-11-23T10:00:00Z'
    assert data['window']['buckets'] == 24
    assert data['totals']['after_window'] == 1


def test_per_platform_counts():
    alerts = [alert('m1', '2026-11-23T10:10:00Z', 'CRITICAL', 'mackerel'),
              alert('m2', '2026-11-23T09:00:00Z', 'WARNING', 'mackerel', status='closed'),
              alert('o1', None, 'Critical', 'opsramp'),
              alert('l1', '2026-11-23T11:00:00Z', 'trouble', 'log360'),
              alert('l2', '2026-11-23T11:05:00Z', 'attention', 'log360', status='closed'),
              alert('x1', '2026-11-23T11:05:00Z', 'info', 'zabbix')]
    platforms = alert_report_data(alerts, START, END)['platforms']
    assert [p['platform'] for p in platforms] == ['log360', 'mackerel', 'opsramp', 'zabbix']
    assert [p['label'] for p in platforms] == ['Log360', 'Mackerel', 'OpsRamp', 'zabbix']
    assert platforms[0] == {'platform': 'log360', 'label': 'Log360', 'total': 2, 'in_window': 2, 'outside_window': 0,
                            'undated': 0, 'open': 1, 'closed': 1, 'critical': 0, 'warning': 1, 'info': 1,
                            'unknown': 0}
    assert platforms[1] == {'platform': 'mackerel', 'label': 'Mackerel', 'total': 2, 'in_window': 1,
                            'outside_window': 1, 'undated': 0, 'open': 1, 'closed': 1, 'critical': 1, 'warning': 1,
                            'info': 0, 'unknown': 0}
    assert platforms[2]['undated'] == 1 and platforms[2]['critical'] == 1


def test_top_sources_ordering_ties_and_limit():
    alerts = ([alert('w%d' % i, '2026-11-23T10:%02d:00Z' % i, 'warning', source='web-1') for i in range(3)]
              + [alert('d%d' % i, '2026-11-23T11:%02d:00Z' % i, 'info', source='db-1') for i in range(2)]
              + [alert('c%d' % i, '2026-11-23T12:%02d:00Z' % i, 'critical', 'opsramp', source='core-1')
                 for i in range(2)]
              + [alert('a0', '2026-11-23T13:00:00Z', 'info', source='app-1'),
                 alert('n0', None, 'unknown', source=''),
                 alert('n1', '2026-11-23T09:00:00Z', 'unknown', source=None, status='closed')])
    data = alert_report_data(alerts, START, END, top=4)
    top = data['top_sources']
    # most alerts first; ties: more critical first, then more warning, then by name
    assert [(t['rank'], t['source'], t['total']) for t in top] == [
        (1, 'web-1', 3), (2, 'core-1', 2), (3, '(no source)', 2), (4, 'db-1', 2)]
    assert top[0] == {'rank': 1, 'source': 'web-1', 'total': 3, 'open': 3, 'platforms': 'Mackerel', 'critical': 0,
                      'warning': 3, 'info': 0, 'unknown': 0, 'last_opened_label': '2026-11-23 10:02:00'}
    assert top[2]['open'] == 1 and top[2]['last_opened_label'] == '2026-11-23 09:00:00'
    assert data['distinct_sources'] == 5
    assert alert_report_data(alerts, START, END, top=0)['top_sources'] == []


def test_nice_y_axis_and_stacked_geometry():
    alerts = ([alert('c%d' % i, '2026-11-23T10:1%d:00Z' % i, 'critical') for i in range(4)]
              + [alert('w%d' % i, '2026-11-23T10:2%d:00Z' % i, 'warning') for i in range(3)]
              + [alert('i0', '2026-11-23T13:00:00Z', 'info')])
    chart = alert_report_data(alerts, START, END, buckets=6)['chart']
    assert chart['y_max'] == 8 and chart['y_step'] == 2
    assert [t['label'] for t in chart['y_ticks']] == ['0', '2', '4', '6', '8']
    plot = chart['plot']
    assert plot == {'x': 64, 'y': 48, 'width': 856, 'height': 256, 'right': 920, 'bottom': 304,
                    'centre_x': 492.0, 'centre_y': 176.0}
    assert [t['y'] for t in chart['y_ticks']] == [304.0, 240.0, 176.0, 112.0, 48.0]
    bars = chart['bars']
    assert [(b['id'], b['count']) for b in bars] == [('bar-0-critical', 4), ('bar-0-warning', 3), ('bar-3-info', 1)]
    critical, warning, info = bars
    # 8 alerts fill 256 units: 32 per alert; critical at the bottom, warning stacked on top of it
    assert (critical['y'], critical['height']) == (176.0, 128.0)
    assert (warning['y'], warning['height']) == (80.0, 96.0)
    assert warning['y'] + warning['height'] == critical['y']
    assert (info['y'], info['height']) == (272.0, 32.0)
    slot = 856 / 6.0
    assert critical['x'] == round(64 + 3, 2) and critical['width'] == round(slot - 6, 2)
    assert info['x'] == round(64 + 3 * slot + 3, 2)
    assert critical['colour'] == '#b71c1c' and warning['colour'] == '#e65100' and info['colour'] == '#1565c0'
    assert critical['tooltip'] == '2026-11-23 10:00 to 2026-11-23 11:00 UTC: 4 critical (7 in this interval)'
    assert [(t['label'], t['sublabel']) for t in chart['x_ticks']] == [
        ('10:00', '2026-11-23'), ('11:00', ''), ('12:00', ''), ('13:00', ''), ('14:00', ''), ('15:00', ''),
        ('16:00', '')]
    assert [item['label'] for item in chart['legend']] == ['Critical (4)', 'Warning (3)', 'Info (1)', 'Unknown (0)']
    assert not chart['empty']
    assert chart['x_title'] == 'Time opened (UTC), 6 intervals of 1 h'


@pytest.mark.parametrize('max_value,step', [(0, 1), (1, 1), (5, 1), (6, 2), (10, 2), (11, 5), (24, 5), (26, 10),
                                            (99, 20), (101, 50), (2400, 500)])
def test_nice_step(max_value, step):
    assert audit._nice_step(max_value) == step  # pylint: disable=protected-access


def test_x_labels_are_thinned_and_show_the_date_when_it_changes():
    chart = alert_report_data([], '2026-11-22T12:00:00Z', '2026-11-24T12:00:00Z', buckets=48)['chart']
    ticks = chart['x_ticks']
    assert len(ticks) <= 10
    assert [(t['label'], t['sublabel']) for t in ticks[:4]] == [
        ('12:00', '2026-11-22'), ('18:00', ''), ('00:00', '2026-11-23'), ('06:00', '')]
    days = alert_report_data([], '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', buckets=7)['chart']
    assert [t['label'] for t in days['x_ticks']] == ['11-01', '11-02', '11-03', '11-04', '11-05', '11-06', '11-07',
                                                     '11-08']


def test_empty_input():
    for empty in ([], None):
        data = alert_report_data(empty, START, END)
        assert data['totals'] == {'alerts': 0, 'in_window': 0, 'before_window': 0, 'after_window': 0,
                                  'outside_window': 0, 'undated': 0, 'open': 0, 'closed': 0}
        assert data['chart']['bars'] == []
        assert data['chart']['empty'] is True
        assert data['chart']['y_max'] == 1
        assert data['platforms'] == [] and data['top_sources'] == [] and data['rows'] == []
        assert data['series']['critical'] == [0] * 24
        assert data['closed'] is None and data['left_open'] is None and data['hits'] == []


def test_change_window_closed_and_left_open():
    closed = [alert('m4', '2026-11-23T14:00:00Z', 'WARNING', reason='CHG-1: deploy'),
              {'alert': alert('o1', '2026-11-23T11:10:00Z', 'Critical', 'opsramp'), 'reason': 'CHG-1: restart'}]
    left_open = [alert('m3', '2026-11-23T09:00:00Z', 'UNKNOWN', why='in baseline'),
                 alert('l1', '2026-11-23T12:00:00Z', 'trouble', 'log360', why='Log360 alerts are read-only'),
                 alert('m5', '2026-11-23T12:30:00Z', why='in baseline'),
                 alert('m6', None, why='')]
    data = alert_report_data([], START, END, closed=closed, left_open=left_open)
    assert [(r['id'], r['severity'], r['reason']) for r in data['closed']] == [
        ('o1', 'critical', 'CHG-1: restart'), ('m4', 'warning', 'CHG-1: deploy')]
    assert data['closed'][0]['platform_label'] == 'OpsRamp'
    assert [(r['id'], r['why']) for r in data['left_open']] == [
        ('m3', 'in baseline'), ('l1', 'Log360 alerts are read-only'), ('m5', 'in baseline'), ('m6', '')]
    assert data['left_open_reasons'] == [{'why': 'in baseline', 'count': 2},
                                         {'why': '(no reason given)', 'count': 1},
                                         {'why': 'Log360 alerts are read-only', 'count': 1}]
    empty = alert_report_data([], START, END, closed=[], left_open=[])
    assert empty['closed'] == [] and empty['left_open'] == [] and empty['left_open_reasons'] == []


def test_rows_are_sorted_capped_and_never_carry_raw():
    alerts = [alert('late', '2026-11-23T15:00:00Z'), alert('undated', None), alert('early', '2026-11-23T10:00:00Z'),
              alert('mid', '2026-11-23T12:00:00Z')]
    data = alert_report_data(alerts, START, END, max_rows=3)
    assert [r['id'] for r in data['rows']] == ['early', 'mid', 'late']
    assert (data['rows_total'], data['rows_shown'], data['rows_truncated']) == (4, 3, True)
    assert all('raw' not in r and 'opened_epoch' not in r for r in data['rows'])
    assert 'do-not-render' not in repr(data)
    full = alert_report_data(alerts, START, END)
    assert [r['id'] for r in full['rows']][-1] == 'undated' and full['rows_truncated'] is False
    # counts cover all alerts even when the list is capped
    assert data['totals']['alerts'] == 4


def test_status_defaults_from_closed_at():
    data = alert_report_data([{'id': 'a', 'opened_at': '2026-11-23T10:00:00Z', 'closed_at': '2026-11-23T10:05:00Z'},
                              {'id': 'b', 'opened_at': '2026-11-23T10:00:00Z'}], START, END)
    assert [(r['id'], r['status'], r['platform'], r['title'], r['severity']) for r in data['rows']] == [
        ('a', 'closed', '', '', 'unknown'), ('b', 'open', '', '', 'unknown')]
    assert data['rows'][0]['closed_label'] == '2026-11-23 10:05:00'


def test_hit_counts():
    assert alert_report_data([], START, END, hit_counts={'total_hits': 1200, 'hits_fetched': 1000})['hits'] == [
        {'key': 'total_hits', 'label': 'Total hits', 'value': '1200'},
        {'key': 'hits_fetched', 'label': 'Hits fetched', 'value': '1000'}]
    assert alert_report_data([], START, END, hit_counts=7)['hits'] == [
        {'key': 'total_hits', 'label': 'Total hits', 'value': '7'}]


@pytest.mark.parametrize('kwargs,message', [
    (dict(start=END, end=START), 'end (2026-11-23T10:00:00Z) must be after start'),
    (dict(start=START, end=START), 'must be after start'),
    (dict(start='soon', end=END), 'is not a time'),
    (dict(start=START, end=END, buckets=0), 'buckets must be an integer between 1 and 500'),
    (dict(start=START, end=END, buckets='many'), 'buckets must be an integer'),
    (dict(start=START, end=END, buckets=True), 'buckets must be an integer'),
    (dict(start=START, end=END, top=-1), 'top must be an integer'),
    (dict(start=START, end=END, closed={'id': 1}), 'closed must be a list'),
    (dict(start=START, end=END, hit_counts=[1]), 'hit_counts must be a dict or a number'),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(AnsibleFilterError, match=re.escape(message)):
        alert_report_data([], **kwargs)


@pytest.mark.parametrize('alerts,message', [({'id': 1}, 'the input must be a list'),
                                            ('text', 'the input must be a list'),
                                            (['x'], 'every alert must be a dict, got str')])
def test_bad_input(alerts, message):
    with pytest.raises(AnsibleFilterError, match=message):
        alert_report_data(alerts, START, END)


def test_thousands_of_alerts():
    # correctness at scale only: speed is measured by benchmarks/, never by a timed unit test (a loaded CI machine
    # failed the 5-second limit this test had)
    severities = ['CRITICAL', 'WARNING', 'trouble', 'attention', 'Ok', None]
    alerts = [alert(str(i), '2026-11-23T%02d:%02d:%02dZ' % (i % 24, i % 60, (i * 7) % 60), severities[(i // 24) % 6],
                    ('log360', 'mackerel', 'opsramp')[i % 3], source='host-%d' % (i % 200)) for i in range(30000)]
    data = alert_report_data(alerts, '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')
    assert data['totals']['in_window'] == 30000
    assert sum(data['bucket_totals']) == 30000
    assert data['bucket_totals'][0] == 1250
    assert data['rows_shown'] == 2000 and data['rows_truncated']
    assert len(data['top_sources']) == 10 and data['top_sources'][0]['total'] == 150
    assert len(data['chart']['bars']) == 24 * 4


# --- the template (rendered with plain Jinja2 configured like Ansible: no autoescape) -------------------------------

def _template_source():
    with open(TEMPLATE) as handle:
        return handle.read()


def render(**variables):
    jinja2 = pytest.importorskip('jinja2')
    env = jinja2.Environment(autoescape=False, trim_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters['alertops.core.alert_report_data'] = alert_report_data
    return env.from_string(_template_source()).render(**variables)


def test_every_template_expression_is_escaped():
    expressions = re.findall(r'{{(.*?)}}', _template_source(), re.S)
    assert expressions
    unescaped = [e.strip() for e in expressions if not re.search(r'\|\s*e\s*$', e.strip())]
    assert unescaped == []


def test_template_escapes_titles_and_stays_offline():
    payload = '<script>document.title="PWNED"</script>'
    html = render(alert_report_render_alerts=[alert('1', '2026-11-23T10:30:00Z', title=payload, source='<b>h</b>')],
                  alert_report_render_title='Report <i>x</i>', alert_report_render_start=START,
                  alert_report_render_end=END, alert_report_render_change_id='CHG-"1"',
                  alert_report_render_closed=[alert('1', '2026-11-23T10:30:00Z', title=payload, reason='<r>')],
                  alert_report_render_left_open=[alert('2', None, title=payload, why='<w>')])
    assert '<script' not in html
    assert '&lt;script&gt;document.title=&#34;PWNED&#34;&lt;/script&gt;' in html
    assert '<title>Report &lt;i&gt;x&lt;/i&gt;</title>' in html
    assert '&lt;b&gt;h&lt;/b&gt;' in html and '&lt;r&gt;' in html and '&lt;w&gt;' in html
    assert 'CHG-&#34;1&#34;' in html
    assert not re.search(r'''(?:src|href)\s*=\s*["']?\s*(?:https?:)?//''', html, re.I)
    assert not re.search(r'<(?:script|link|img|iframe|object|embed)\b', html, re.I)
    assert 'do-not-render' not in html
    for element_id in ('severity-chart', 'platform-counts', 'top-sources', 'closed-alerts', 'left-open', 'all-alerts'):
        assert 'id="%s"' % element_id in html
    assert html.count('class="bar"') == 1


def test_template_without_change_window_and_capped_list():
    many = [alert(str(i), '2026-11-23T11:00:00Z') for i in range(2005)]
    html = render(alert_report_render_alerts=many, alert_report_render_title='Busy',
                  alert_report_render_start=START, alert_report_render_end=END)
    assert 'id="closed-alerts"' not in html and 'id="left-open"' not in html and 'id="change-id"' not in html
    assert 'id="all-alerts-note"' in html and 'Showing the first 2000 of 2005 alerts' in html
    assert html.count('<tr data-window="in">') == 2000
    empty = render(alert_report_render_alerts=[], alert_report_render_start=START, alert_report_render_end=END)
    assert 'id="severity-chart-empty"' in empty and '<title>Alert report</title>' in empty


@pytest.mark.parametrize('start,end,asked,buckets,seconds', [
    ('2026-11-23T10:00:00Z', '2026-11-23T10:00:10Z', 24, 10, 1.0),     # 10 s: ten 1 s buckets, not 24 of 0.42 s
    ('2026-11-23T10:00:00Z', '2026-11-23T10:00:01Z', 24, 1, 1.0),
    ('2026-11-23T10:00:00Z', '2026-11-23T10:00:30Z', 24, 24, 1.25),
    ('2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z', 24, 24, 150.0),
])
def test_short_windows_get_honest_bucket_widths(start, end, asked, buckets, seconds):
    data = alert_report_data([alert('a', '2026-11-23T10:00:00Z')], start, end, buckets=asked)
    assert data['window']['buckets'] == buckets and data['window']['bucket_seconds'] == seconds
    labels = [b['label'] for b in data['buckets']]
    assert len(set(labels)) == len(labels)           # no two buckets print the same time span
    assert sum(data['bucket_totals']) == 1


def test_change_window_groups_names_and_closed_by_others():
    first = ['opened in the window; the write failed', 'in the baseline (open before the change began)']
    left = [alert('b1', '2026-11-23T09:00:00Z', why=first[1]), alert('x1', '2026-11-23T11:00:00Z', why='out of scope (other host)'),
            alert('x2', '2026-11-23T11:00:00Z', why='out of scope (other host)'),
            alert('n1', '2026-11-23T11:00:00Z', why='out of scope (the alert has no host)'),
            alert('f1', '2026-11-23T11:00:00Z', why=first[0])]
    closed = [dict(alert('c1', '2026-11-23T11:00:00Z', closed_at='2026-11-23T11:30:00Z'), host_name='app-01',
                   monitor_name='cpu', source='4HCEHx4Wb')]
    others = [dict(alert('o1', '2026-11-23T11:00:00Z', closed_at='2026-11-23T11:10:00Z'), reason='by hand', closed_by='jane')]
    data = alert_report_data([], START, END, closed=closed, left_open=left, closed_by_others=others, first_groups=first)
    assert [(g['why'], g['count'], g['collapsed']) for g in data['left_open_groups']] == [
        (first[0], 1, False), (first[1], 1, False), ('out of scope (other host)', 2, True),
        ('out of scope (the alert has no host)', 1, True)]
    assert (data['closed'][0]['source'], data['closed'][0]['monitor']) == ('app-01', 'cpu')
    assert data['closed'][0]['closed_label'] == '2026-11-23 11:30:00'
    assert (data['closed_by_others'][0]['reason'], data['closed_by_others'][0]['closed_by']) == ('by hand', 'jane')
    html = render(alert_report_render_alerts=[], alert_report_render_start=START, alert_report_render_end=END,
                  alert_report_render_closed=closed, alert_report_render_left_open=left,
                  alert_report_render_closed_by_others=others, alert_report_render_first_groups=first,
                  alert_report_render_summary='CHG-1 (a .. b): 1 alert(s) closed by this change;')
    assert '<p id="summary-text">CHG-1 (a .. b): 1 alert(s) closed by this change;</p>' in html
    assert html.count('>Summary</h2>') == 1
    assert html.count('<details class="left-open-group">') == 2 and 'id="closed-by-others"' in html
    assert '<summary>out of scope (other host): 2</summary>' in html and 'app-01' in html
