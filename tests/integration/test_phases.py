# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phases teams run around a change (issue: plan and approve, extend), through real ansible-playbook runs against
the simulator: a plan sends nothing and the end after it closes exactly the plan; an extend moves the suppression's
end and every window it adds is removed at end; each one rerun repeats no write."""

from __future__ import absolute_import, division, print_function

import calendar
import json
import time

from test_lifecycle import audit_of, state_of, statuses, working_hosts, writes  # pylint: disable=import-error


def epoch(text):
    return calendar.timegm(time.strptime(text, '%Y-%m-%dT%H:%M:%SZ'))


def plan_of(tmp_path, change_id):
    return json.loads((tmp_path / 'state' / ('%s-plan.json' % change_id)).read_text())


def raise_opsramp(sim, count=1, at=None):
    body = {'device': 'web-01', 'resource_id': 'res-web-01', 'count': count}
    if at is not None:
        body['at'] = at
    return [str(a['uniqueId']) for a in sim.control('opsramp', 'raise', body)['alerts']]


def test_a_plan_sends_nothing_and_the_end_after_it_closes_exactly_the_plan(sim, play, tmp_path):
    """The AWX workflow begin -> change -> plan -> approval -> end, each node a job of its own."""
    scope = working_hosts(sim, 1)
    evars = {'change_id': 'CHG-4001', 'hosts_in_scope': scope, 'verify_timeout': 0, 'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    caused = raise_opsramp(sim, 2)
    sim.clear_log()
    planned = play('mw_suppress.yml', dict(evars, phase='plan'))
    assert planned.rc == 0, planned.output[-3000:]
    assert writes(sim) == []                                   # a plan sends nothing
    document = plan_of(tmp_path, 'CHG-4001')
    assert sorted(document['to_act']['opsramp']) == sorted(caused)
    assert document['suppression_to_remove'][0].startswith('Mackerel hosts in maintenance: %s' % scope[0])
    assert 'plan: 2 alert(s) to close (opsramp 2)' in planned.output and 'Nothing was sent.' in planned.output
    state = state_of(tmp_path, 'CHG-4001')
    assert state['lifecycle']['phase'] == 'planned' and state['end_at'] == document['window']['end']
    html = (tmp_path / 'reports' / 'CHG-4001-plan.html').read_text()
    assert 'Plan for change window CHG-4001 (nothing sent yet)' in html
    # a plan again (the approver asked for a fresh one) decides the same and keeps the file as it was
    before = (tmp_path / 'state' / 'CHG-4001-plan.json').read_text()
    assert play('mw_suppress.yml', dict(evars, phase='plan')).rc == 0
    assert (tmp_path / 'state' / 'CHG-4001-plan.json').read_text() == before and writes(sim) == []
    # during the approval an alert stamped inside the window arrives late (delayed ingestion): not in the plan
    end_at = json.loads(before)['window']['end']
    late = raise_opsramp(sim, 1, at=epoch(end_at) - 2)
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    closes = sorted(p.split('/alerts/')[1].split('/')[0] for _m, p in writes(sim, 'opsramp') if '/actions/' in p)
    assert closes == sorted(caused)
    audit = audit_of(tmp_path, 'CHG-4001')
    assert sorted(c['id'] for c in audit['closed']) == sorted(caused)
    assert [e['id'] for e in audit['approved_plan']['not_in_plan']] == late
    assert [e['why'] for e in audit['left_open'] if e['id'] in late] == ['opened in the window; not in the approved plan']
    assert statuses(sim)[scope[0]] == 'working'               # the suppression was removed as usual
    # the second end (the workflow retried the node) sends nothing
    sim.clear_log()
    again = play('mw_suppress.yml', dict(evars, phase='end'))
    assert again.rc == 0 and writes(sim) == [], again.output[-3000:]
    # a plan after end is refused
    refused = play('mw_suppress.yml', dict(evars, phase='plan'))
    assert refused.rc != 0 and 'a plan is made before end' in refused.output


def test_a_plan_in_check_mode_writes_no_file(sim, play, tmp_path):
    scope = working_hosts(sim, 1)
    evars = {'change_id': 'CHG-4002', 'hosts_in_scope': scope}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    checked = play('mw_suppress.yml', dict(evars, phase='plan'), check=True)
    assert checked.rc == 0, checked.output[-3000:]
    assert not (tmp_path / 'state' / 'CHG-4002-plan.json').exists()
    assert state_of(tmp_path, 'CHG-4002')['lifecycle']['phase'] == 'suppressed'


def test_extend_moves_the_downtime_adds_a_follow_on_window_and_end_removes_them_all(sim, play, tmp_path):
    scope = working_hosts(sim, 1)
    evars = {'change_id': 'CHG-4010', 'hosts_in_scope': scope, 'services': ['web'], 'suppress_duration': '1h',
             'verify_timeout': 0, 'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    state = state_of(tmp_path, 'CHG-4010')
    # OpsRamp escalates what the window raised when it ends unless told not to: the role tells it not to
    created = [json.loads(r['body']) for r in sim.requests(platform='opsramp', method='POST')
               if r['path'].endswith('/scheduleMaintenances')]
    assert [c.get('runEscalationAction') for c in created] == [False]
    downtime = sim.control('mackerel', 'downtimes')['downtimes'][0]
    assert downtime['duration'] == 60
    # the OpsRamp window is Active: OpsRamp does not let it be rescheduled, so a follow-on window is created
    extended = play('mw_suppress.yml', dict(evars, phase='extend', suppress_duration='3h'))
    assert extended.rc == 0, extended.output[-3000:]
    assert sim.control('mackerel', 'downtimes')['downtimes'][0]['duration'] == 180   # moved in place
    windows = dict((w['name'], w) for w in sim.control('opsramp', 'maintenances')['maintenances'])
    assert sorted(windows) == ['CHG-4010', 'CHG-4010 #2']
    assert [w.get('runEscalationAction', w.get('runEscalateAction')) for _n, w in sorted(windows.items())] == [
        False, False]
    begin = state['begin_at']
    assert windows['CHG-4010 #2']['_status'] == 'Pending'
    assert 'Mackerel host maintenance has no end to move' in extended.output
    record = state_of(tmp_path, 'CHG-4010')['suppression']
    assert record['duration'] == 3 * 3600 and [w['name'] for w in record['opsramp_follow_ons']] == ['CHG-4010 #2']
    assert record['extended'][0]['to'] == time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch(begin) + 3 * 3600))
    # a rerun of the same extend sends nothing
    sim.clear_log()
    assert play('mw_suppress.yml', dict(evars, phase='extend', suppress_duration='3h')).rc == 0
    assert writes(sim) == []
    # a second extend moves the Pending follow-on in place (no third window)
    assert play('mw_suppress.yml', dict(evars, phase='extend', suppress_duration='5h')).rc == 0
    assert sorted(w['name'] for w in sim.control('opsramp', 'maintenances')['maintenances']) == [
        'CHG-4010', 'CHG-4010 #2']
    # end removes the downtime and ends both windows
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []
    after = dict((w['name'], w['_status']) for w in sim.control('opsramp', 'maintenances')['maintenances'])
    assert 'Active' not in after.values() and 'Pending' not in after.values(), after
    assert state_of(tmp_path, 'CHG-4010')['suppression']['in_place'] == []
    refused = play('mw_suppress.yml', dict(evars, phase='extend', suppress_duration='8h'))
    assert refused.rc != 0 and 'can no longer be extended' in refused.output


def test_a_rerun_after_a_half_failed_extend_creates_the_follow_on_once(sim, play, tmp_path):
    scope = working_hosts(sim, 1)
    evars = {'change_id': 'CHG-4011', 'hosts_in_scope': scope, 'suppress_duration': '1h'}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    sim.call('POST', '/_sim/fail_next', {'platform': 'opsramp', 'method': 'POST', 'path': '/scheduleMaintenances$',
                                         'fault': '500', 'count': 20})
    failed = play('mw_suppress.yml', dict(evars, phase='extend', suppress_duration='2h'))
    assert failed.rc != 0 and 'NOT fully extended' in failed.output, failed.output[-3000:]
    assert state_of(tmp_path, 'CHG-4011')['suppression']['duration'] == 3600
    sim.call('POST', '/_sim/config', {'variants': {}, 'faults': {'script': []}})
    again = play('mw_suppress.yml', dict(evars, phase='extend', suppress_duration='2h'))
    assert again.rc == 0, again.output[-3000:]
    assert sorted(w['name'] for w in sim.control('opsramp', 'maintenances')['maintenances']) == [
        'CHG-4011', 'CHG-4011 #2']
    assert state_of(tmp_path, 'CHG-4011')['suppression']['duration'] == 7200


def test_a_role_of_250_hosts_is_expanded_once_at_begin_and_frozen(sim, play, tmp_path):
    workers = sim.control('mackerel', 'add_hosts', {'count': 250, 'roles': {'etl': ['loader']}},
                          method='POST')['ids']
    evars = {'change_id': 'CHG-4020', 'hosts_in_scope': [], 'mackerel_roles': ['etl: loader'],
             'platforms': ['mackerel']}
    sim.clear_log()
    begin = play('mw_window.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin.output[-3000:]
    lists = [r for r in sim.requests(platform='mackerel') if r['path'] == '/api/v0/hosts']
    assert len(lists) == 1 and lists[0]['query']['service'] == ['etl'] and lists[0]['query']['role'] == ['loader']
    assert not [r for r in sim.requests(platform='mackerel') if r['path'].startswith('/api/v0/hosts/')]
    state = state_of(tmp_path, 'CHG-4020')
    assert state['scope']['mackerel_host_ids'] == sorted(workers)
    assert set(tuple(v) for v in state['scope_sources'].values()) == {('role etl:loader',)}
    # during the change: an alert on a worker (caused), and a new worker joins the role with an alert (not in scope)
    caused = sim.control('mackerel', 'raise', {'host_id': workers[7], 'type': 'host'}, method='POST')['alerts'][0]['id']
    late = sim.control('mackerel', 'add_hosts', {'count': 1, 'roles': {'etl': ['loader']}}, method='POST')['ids'][0]
    stray = sim.control('mackerel', 'raise', {'host_id': late, 'type': 'host'}, method='POST')['alerts'][0]['id']
    end = play('mw_window.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    closes = [p for _m, p in writes(sim, 'mackerel') if p.endswith('/close')]
    assert closes == ['/api/v0/alerts/%s/close' % caused]
    audit = audit_of(tmp_path, 'CHG-4020')
    assert [e['why'] for e in audit['left_open'] if e['id'] == stray] == ['out of scope (other host)']
    assert audit['scope_sources'][workers[7]] == ['role etl:loader']


def test_a_role_without_hosts_is_refused_at_begin(sim, play, tmp_path):
    sim.clear_log()
    refused = play('mw_window.yml', {'change_id': 'CHG-4021', 'hosts_in_scope': [], 'mackerel_roles': ['etl:nobody'],
                                     'platforms': ['mackerel'], 'phase': 'begin'})
    assert refused.rc != 0 and 'role etl:nobody of maintenance_window_mackerel_services / _roles: no host' \
        in refused.output, refused.output[-2000:]
    assert writes(sim) == [] and state_of(tmp_path, 'CHG-4021') is None
