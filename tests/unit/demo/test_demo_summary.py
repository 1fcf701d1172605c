# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location('demo_summary', os.path.join(HERE, '..', '..', '..', 'demo_summary.py'))
demo_summary = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(demo_summary)

W = {'begin': '2026-11-23T10:00:00Z', 'end': '2026-11-23T11:00:00Z'}
IN, BEFORE = '2026-11-23T10:30:00Z', '2026-11-23T09:00:00Z'

CASES = [
    ('empty change', {'change_id': 'CHG-1', 'window': W}, [
        '   baselined     0 alerts already open before the change',
        '   raised        0 alerts opened during the window',
        '   closed        0 alerts by this change; 0 closed by others',
        '   left open     0 alerts']),
    ('closed, left open and Log360 counted once', {
        'change_id': 'CHG-2', 'window': W, 'baseline': {'mackerel': ['a', 'b'], 'opsramp': []},
        'closed': [{'platform': 'mackerel', 'id': 'c', 'opened_at': IN}],
        'left_open': [{'platform': 'mackerel', 'id': 'a', 'opened_at': BEFORE},
                      {'platform': 'log360', 'id': '7', 'opened_at': IN}],
        'log360_alerts': [{'platform': 'log360', 'id': '7', 'opened_at': IN}],
        'left_open_groups': [{'count': 1, 'why': 'in the baseline'}, {'count': 1, 'why': 'Log360 alert'}]}, [
        '   baselined     2 alerts (mackerel 2) already open before the change',
        '   raised        2 alerts (log360 1, mackerel 1) opened during the window',
        '   closed        1 alert (mackerel 1) by this change; 0 closed by others',
        '   left open     2 alerts (log360 1, mackerel 1): 1 in the baseline; 1 Log360 alert']),
    ('acknowledged and check mode', {'change_id': 'CHG-3', 'window': W, 'check_mode': True,
                                     'acknowledged': [{'platform': 'opsramp', 'id': '1', 'opened_at': IN}]}, [
        '== summary of CHG-3 (window 2026-11-23T10:00:00Z .. 2026-11-23T11:00:00Z) - check mode, nothing was sent',
        '   raised        1 alert (opsramp 1) opened during the window',
        '   acknowledged  1 alert (opsramp 1)']),
    ('suppression and verify', {'change_id': 'CHG-4', 'window': W,
                                'suppression': {'downtimes': [{'name': 'CHG-4', 'id': 'd1'}],
                                                'hosts_in_maintenance': ['h1', 'h2'], 'in_place': []},
                                'verify': {'healthy': False, 'failing': [{'platform': 'mackerel', 'id': 'm1',
                                                                          'host': 'h1'}]}}, [
        '   suppressed    1 Mackerel downtime(s), 2 host(s) in maintenance, 0 OpsRamp maintenance window(s); removed',
        '   verify        1 still failing: mackerel m1 on h1']),
    ('suppression still in place', {'change_id': 'CHG-5', 'window': W,
                                    'suppression': {'opsramp': {'name': 'CHG-5', 'id': 'SM-1'},
                                                    'in_place': ['OpsRamp scheduled maintenance CHG-5 (SM-1)']},
                                    'verify': {'healthy': True, 'failing': []}}, [
        '   suppressed    0 Mackerel downtime(s), 0 host(s) in maintenance, 1 OpsRamp maintenance window(s); STILL IN '
        'PLACE: OpsRamp scheduled maintenance CHG-5 (SM-1)',
        '   verify        healthy']),
]


@pytest.mark.parametrize('name, audit, lines', CASES, ids=[c[0] for c in CASES])
def test_summary(name, audit, lines, tmp_path):
    path = tmp_path / ('%s-audit.json' % audit['change_id'])
    path.write_text(json.dumps(audit))
    text = demo_summary.summary(audit, str(path)).splitlines()
    for line in lines:
        assert line in text, '\n'.join(text)
    assert text[-1] == '   report        %s' % path     # no HTML next to it: the JSON


def test_main_picks_the_newest_audit_written_since_the_start(tmp_path, capsys):
    old = tmp_path / 'CHG-OLD-audit.json'
    old.write_text(json.dumps({'change_id': 'CHG-OLD', 'window': W}))
    os.utime(str(old), (1000, 1000))
    assert demo_summary.main(['x', str(tmp_path), '2000']) == 0
    assert 'no new change-window audit' in capsys.readouterr().out
    (tmp_path / 'CHG-NEW-audit.json').write_text(json.dumps({'change_id': 'CHG-NEW', 'window': W}))
    (tmp_path / 'CHG-NEW-audit.html').write_text('<html></html>')
    demo_summary.main(['x', str(tmp_path), '2000'])
    out = capsys.readouterr().out
    assert 'summary of CHG-NEW' in out and out.rstrip().endswith('CHG-NEW-audit.html')
