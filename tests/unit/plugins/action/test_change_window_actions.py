# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change_window and change_window_suppress action plugins, args in -> result out; the modules they and the
role use run in-process against the simulator (tests/unit/plugins/conftest.py). Check mode writes no file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

import pytest

from ansible_collections.alertops.core.plugins.module_utils import timeutil


def iso(epoch):
    return timeutil.to_iso(int(epoch))


@pytest.fixture
def host(sim):
    return sim.control('mackerel', 'hosts')['hosts'][0]


def cw_args(tmp_path, step, **kwargs):
    args = dict(step=step, change_id='CHG-42', state_dir=str(tmp_path / 'state'), platforms=['mackerel'])
    args.update(kwargs)
    return args


BAD_ARGS = [
    ({'step': 'start', 'phase': 'begin', 'change_id': 'bad id'}, "maintenance_window_change_id 'bad id' is not a valid"),
    ({'step': 'start', 'phase': 'begin', 'scope': {}}, 'scope'),
    ({'step': 'start', 'phase': 'end'}, 'No baseline for change CHG-42'),
    ({'step': 'start', 'phase': 'sideways'}, 'phase'),
    ({'step': 'start', 'phase': 'begin', 'platforms': ['nagios'], 'scope_all': True}, 'nagios'),
    ({'step': 'explode'}, 'step'),
]


@pytest.mark.parametrize('args,message', BAD_ARGS)
def test_change_window_bad_args_fail_before_anything_is_written(run_action, sim, tmp_path, args, message):
    result = run_action('change_window', cw_args(tmp_path, **args))
    assert result['failed'] is True
    assert message in result['msg']
    assert not os.path.exists(str(tmp_path / 'state')) or os.listdir(str(tmp_path / 'state')) == []
    assert sim.writes() == []


def _begin(run_action, run_module, tmp_path, host, check=False):
    start = run_action('change_window', cw_args(tmp_path, 'start', phase='begin',
                                                scope={'mackerel_host_ids': [host]}), check=check)
    assert start.get('failed') is not True, start
    assert start['kept'] is False
    assert start['scope']['mackerel_host_ids'] == [host]
    assert start['listing']['mackerel'] == {'opened_after': None, 'with_closed': False}
    listing = run_module('mackerel_alert_info', {}, check=check)
    begun = run_action('change_window', cw_args(tmp_path, 'begin', scope=start['scope'],
                                                window={'begin': iso(time.time() - 120)},
                                                listings={'mackerel': listing}), check=check)
    assert begun.get('failed') is not True, begun
    return begun


def test_change_window_begin_in_check_mode_writes_nothing(run_action, run_module, sim, tmp_path, host):
    begun = _begin(run_action, run_module, tmp_path, host, check=True)
    assert begun['changed'] is True
    assert begun['state']['change_id'] == 'CHG-42'
    state_dir = str(tmp_path / 'state')
    assert not os.path.exists(state_dir) or os.listdir(state_dir) == []


def test_change_window_closes_exactly_what_the_change_caused(run_action, run_module, sim, tmp_path, host):
    begun = _begin(run_action, run_module, tmp_path, host)
    assert begun['changed'] is True
    state_file = begun['state_file']
    assert oct(os.stat(state_file).st_mode & 0o777) == '0o600'
    raised = sim.control('mackerel', 'raise', {'host_id': host, 'at': int(time.time()) - 60})['alerts'][0]['id']

    start = run_action('change_window', cw_args(tmp_path, 'start', phase='end'))
    assert start.get('failed') is not True, start
    assert start['handed_in'] is False
    assert start['window']['end'] is not None
    listing = run_module('mackerel_alert_info', dict(with_closed=True, opened_after=start['window']['begin']))
    args = cw_args(tmp_path, 'plan', state=start['state'], window=start['window'], listings={'mackerel': listing})
    with open(state_file) as handle:
        before = handle.read()
    preview = run_action('change_window', args, check=True)
    assert preview['to_act'] == {'mackerel': [raised]}
    with open(state_file) as handle:
        assert handle.read() == before
    plan = run_action('change_window', args)
    assert plan['to_act'] == {'mackerel': [raised]}
    assert [e['id'] for e in plan['plan']['would_act']] == [raised]

    closed = run_module('mackerel_alert', {'id': plan['to_act']['mackerel'], 'state': 'closed', 'reason': 'CHG-42: x'})
    assert closed['closed'] == 1
    assert [w['path'] for w in sim.writes()] == ['/api/v0/alerts/%s/close' % raised]
    record_args = cw_args(tmp_path, 'record', state=plan['state'], plan=plan['plan'], window=start['window'],
                          results={'mackerel': closed})
    dry = run_action('change_window', record_args, check=True)
    assert not os.path.exists(dry['report_json'])
    record = run_action('change_window', record_args)
    assert record['failures'] == []
    assert [e['id'] for e in record['audit']['closed']] == [raised]
    assert 'CHG-42' in record['summary']
    with open(record['report_json']) as handle:
        assert [e['id'] for e in json.load(handle)['closed']] == [raised]
    assert os.path.exists(record['report_html'])
    # every close carries its reason (the one Mackerel stored), in the audit and in the report's Reason column;
    # the report has one summary, the console's words without the report's own path
    assert [e['reason'] for e in record['audit']['closed']] == ['CHG-42: x']
    with open(record['report_html']) as handle:
        html = handle.read()
    assert '<td>CHG-42: x</td>' in html.split('id="closed-alerts"')[1].split('</table>')[0]
    assert record['summary'].endswith('Audit: %s' % record['report_html'])
    assert html.count('>Summary</h2>') == 1 and record['report_html'] not in html
    assert '<p id="summary-text">%s</p>' % record['summary'].split(' Audit: ')[0] in html
    released = run_action('change_window', cw_args(tmp_path, 'release'))
    assert released == {'changed': False}


def test_change_window_suppress_plans_and_verifies(run_action, run_module, sim, tmp_path, host):
    _begin(run_action, run_module, tmp_path, host)
    preview = run_module('mackerel_host', {'id': [host], 'status': 'maintenance'}, check=True)
    args = dict(step='begin_plan', change_id='CHG-42', state_dir=str(tmp_path / 'state'), platforms=['mackerel'],
                scope={'mackerel_host_ids': [host]}, options={'duration': '1h'}, host_preview=preview)
    plan = run_action('change_window_suppress', args, check=True)
    assert plan['plan']['hosts'] == [host]
    assert plan['record']['hosts'] == {host: preview['previous'][host]}
    with open(str(tmp_path / 'state' / 'CHG-42.state.json')) as handle:
        assert 'suppression' not in json.load(handle)
    undo = run_action('change_window_suppress', dict(args, step='end_plan'))
    assert undo['suppressed'] is False
    assert undo['plan']['active'] is False
    verify = run_action('change_window_suppress', dict(args, step='verify', timeout=0), check=True)
    assert verify.get('failed') is not True, verify
    assert isinstance(verify['healthy'], bool)
    assert verify['polls'] == 1
    assert verify['msg'].startswith('verify: ')
    paths = set(r['path'] for r in sim.requests())
    assert '/api/v0/alerts' in paths
    assert sim.writes() == []


@pytest.mark.parametrize('args,message', [
    ({'step': 'begin_plan', 'options': {'duration': 'forever'}, 'begin_at': '2026-11-24T00:00:00Z'},
     'variable maintenance_window_suppress_duration'),
    ({'step': 'verify', 'begin_at': 'whenever'}, 'begin_at'),
    ({'step': 'nap'}, 'step'),
])
def test_change_window_suppress_bad_args(run_action, sim, tmp_path, args, message):
    full = dict(change_id='CHG-42', state_dir=str(tmp_path / 'state'), platforms=['mackerel'])
    full.update(args)
    result = run_action('change_window_suppress', full)
    assert result['failed'] is True
    assert message in result['msg']
    assert sim.writes() == []
