# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit rendering (plugin_utils/audit.py): one module, one summary, one set of numbers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest

from ansible_collections.alertops.core.plugins.plugin_utils import audit
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')
BEGIN, END = '2026-11-23T10:00:00Z', '2026-11-23T12:00:00Z'
WINDOW = {'begin': BEGIN, 'end': END}


def entry(id_, opened_at='2026-11-23T11:00:00Z', host_id='4HCEHx4Wb', **extra):
    out = {'platform': 'mackerel', 'id': id_, 'title': 't', 'source': host_id, 'severity': 'critical',
           'opened_at': opened_at, 'host_id': host_id}
    out.update(extra)
    return out


def the_plan():
    return {
        'closed': [entry('c1', host_name='app-01', closed_at='2026-11-23T12:00:01Z', reason='CHG-1: done')],
        'acknowledged': [],
        'closed_by_others': [entry('o1', host_id='7yyyyyyyyyy', closed_at='2026-11-23T11:30:00Z', reason='by hand')],
        'left_open': [entry('b1', opened_at='2026-11-23T09:00:00Z', why=cw.WHY_BASELINE),
                      entry('b2', opened_at='2026-11-23T09:10:00Z', host_id='7yyyyyyyyyy', why=cw.WHY_BASELINE),
                      entry('x1', host_id='9zzzzzzzzzz', host_name='db-09', why=cw.WHY_OTHER_HOST)],
        'log360_alerts': [], 'would_act': [],
    }


def make_audit(check_mode=False):
    state = {'change_id': 'CHG-1', 'baseline': {'mackerel': ['b1', 'b2']}}
    return cw.audit(state, the_plan(), WINDOW, cw.normalise_scope({}), ['mackerel'], check_mode=check_mode)


def test_no_action_plugin_imports_a_filter_another_action_or_renders_itself():
    paths = glob.glob(os.path.join(ROOT, 'plugins', 'action', '*.py'))
    assert len(paths) >= 2
    for path in paths:
        with open(path) as handle:
            text = handle.read()
        assert not re.search(r'plugins\.filter|core\.plugins\.action|import jinja2', text), path


def test_the_filter_is_a_thin_caller_of_the_audit_module():
    from ansible_collections.alertops.core.plugins.filter import report
    assert report.alert_report_data is audit.alert_report_data
    assert report.alert_severity is audit.alert_severity


def test_one_summary_section_with_the_console_words_and_cards_that_say_what_they_count():
    made = make_audit()
    summary = cw.summary('CHG-1', WINDOW, the_plan())
    html = audit.render_change_report('CHG-1', WINDOW, made, summary)
    assert html.count('<h2 id="summary-heading">Summary</h2>') == 1 and html.count('>Summary</h2>') == 1
    assert '<p id="summary-text">%s</p>' % summary in html
    cards = dict(re.findall(r'<li id="card-([a-z-]+)"><span class="value">(\d+)</span>', html))
    assert cards == {'closed': '1', 'closed-by-others': '1', 'left-open': '3'}
    # the numbers of the cards are the numbers of the summary's words
    assert '1 alert(s) closed by this change;' in summary and '1 closed by others' in summary
    assert '3 left open:' in summary
    assert 'Left open (every reason, the baseline included)' in html


def test_cards_in_check_mode_and_with_log360():
    made = make_audit(check_mode=True)
    made['platforms'] = ['mackerel', 'log360']
    assert [(c['id'], c['value']) for c in audit.change_cards(made)] == [
        ('would-act', 0), ('closed', 1), ('closed-by-others', 1), ('left-open', 3), ('log360', 0)]


def test_the_summary_in_the_report_does_not_repeat_the_reports_path():
    console = cw.summary('CHG-1', WINDOW, the_plan(), report='/var/reports/CHG-1-audit.html')
    assert console.endswith('Audit: /var/reports/CHG-1-audit.html')
    html = audit.render_change_report('CHG-1', WINDOW, make_audit(), cw.summary('CHG-1', WINDOW, the_plan()))
    assert 'CHG-1-audit.html' not in html and 'Audit:' not in html


@pytest.mark.parametrize('names,b2', [
    ({}, '7yyyyyyyyyy'),                                         # only what the window's rows know
    ({'4HCEHx4Wb': 'app-01', '7yyyyyyyyyy': 'app-07'}, 'app-07'),   # the names begin read
])
def test_host_names_everywhere_from_the_reads_already_made(names, b2):
    made = make_audit()
    made['closed_by_others'][0]['host_name'] = names.get('7yyyyyyyyyy')
    html = audit.render_change_report('CHG-1', WINDOW, made, 'x', names=names)
    # the closed alert's row says app-01 for host 4HCEHx4Wb, so every row of that host says it
    rows = dict(re.findall(r'<td class="nowrap">(b[12])</td>.*?<td class="title">t</td><td>([^<]*)</td>', html))
    assert rows == {'b1': 'app-01', 'b2': b2}


def test_with_host_names_keeps_other_platforms_and_known_names():
    names = {'h1': 'web-1'}
    entries = [{'platform': 'opsramp', 'id': '1', 'host_id': 'h1'},
               {'platform': 'mackerel', 'id': '2', 'host_id': 'h1'},
               {'platform': 'mackerel', 'id': '3', 'host_id': 'h1', 'host_name': 'kept'},
               {'platform': 'mackerel', 'id': '4', 'host_id': 'h2'}]
    assert [e.get('host_name') for e in audit.with_host_names(entries, names)] == [None, 'web-1', 'kept', None]
    assert audit.host_names([{'platform': 'mackerel', 'host_id': 'h3', 'host_name': 'x'}], names=names) == \
        {'h1': 'web-1', 'h3': 'x'}
