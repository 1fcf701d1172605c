# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Suppression on Mackerel (downtimes, host status, graph annotations): real ansible-playbook runs against the
simulator, checked through its request log; and the simulator's "alerts are not generated" semantics."""

from __future__ import absolute_import, division, print_function

import json
import time

import pytest


def writes(sim, path=None):
    return [(r['method'], r['path']) for r in sim.requests(platform='mackerel', path=path)
            if r['method'] in ('POST', 'PUT', 'DELETE')]


def assert_ok(result):
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result


def iso(epoch):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch))


def hosts(sim):
    return sim.control('mackerel', 'host_status')['details']


def test_downtime_lifecycle_and_bad_input(sim, play):
    monitor = sim.control('mackerel', 'hosts')['monitors'][0]['id']
    start = int(time.time()) + 3600
    bad_cases = [
        {'start': '-2h', 'duration': 30, 'expect': 'option start'},
        {'duration': 0, 'expect': 'option duration must be greater than 0'},
        {'duration': '-5', 'expect': 'option duration'},
        {'start': '+1h', 'end': '+30m', 'expect': 'option end'},
        {'duration': 30, 'roles': ['web'], 'expect': 'option role_scopes'},
        {'duration': 30, 'services': ['nosuchservice'], 'expect': 'HTTP 400'},
        {'duration': 30, 'recurrence': {'type': 'daily', 'weekdays': ['Monday']}, 'expect': 'recurrence.weekdays'},
        {'name': ' ', 'duration': 30, 'expect': 'option name'},
    ]
    sim.clear_log()
    result = play('suppress_downtime.yml', extra_vars={
        'monitor_id': monitor, 'start_iso': iso(start), 'start_epoch': start, 'end_iso': iso(start + 3600),
        'bad_cases': bad_cases})
    assert_ok(result)
    log = writes(sim)
    created = [p for m, p in log if m == 'POST']
    # create, update (PUT of the same downtime), create CHG-43, delete both; the server-side 400 (unknown service) is
    # the only bad case that reached the server, the other bad input sent nothing
    assert [m for m, _p in log] == ['POST', 'PUT', 'POST', 'DELETE', 'DELETE', 'POST'], log
    assert created == ['/api/v0/downtimes'] * 3
    rejected = [r for r in sim.requests(platform='mackerel', path='^/api/v0/downtimes$') if r['method'] == 'POST']
    assert rejected[-1]['status'] == 400 and json.loads(rejected[-1]['body'])['serviceScopes'] == ['nosuchservice']
    first = json.loads(rejected[0]['body'])
    assert first['start'] == start and first['duration'] == 60 and first['roleScopes'] == ['db:primary']
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []


def test_downtime_suppresses_alerts_in_scope_only(sim, play):
    details = hosts(sim)
    web = next(h for h in details if 'web' in h['roles'] and h['status'] == 'working')
    db = next(h for h in details if 'db' in h['roles'] and h['status'] == 'working')
    result = play('suppress_scope.yml', extra_vars={'name': 'CHG-7', 'service': 'web'})
    assert_ok(result)
    raised = sim.control('mackerel', 'raise', {'host_id': web['id'], 'type': 'host'})
    assert raised['alerts'] == [] and 'downtime' in raised['suppressed'][0]['suppressed_by']
    raised = sim.control('mackerel', 'raise', {'host_id': db['id'], 'type': 'host'})
    assert len(raised['alerts']) == 1 and raised['suppressed'] == []
    # after the downtime's window (simulated clock) the same alert is generated again
    sim.advance(2 * 3600)
    raised = sim.control('mackerel', 'raise', {'host_id': web['id'], 'type': 'host'})
    assert len(raised['alerts']) == 1


@pytest.mark.parametrize('variant', ['reject', 'partial'])
def test_host_maintenance_bulk_previous_status_and_restore(sim, play, variant):
    sim.configure(variants={'mackerel_bulk_unknown': variant})
    details = hosts(sim)
    ids = [h['id'] for h in details]
    before = dict((h['id'], h['status']) for h in details)
    assert 'standby' in before.values()
    sim.clear_log()
    result = play('suppress_host.yml', extra_vars={'ids': ids, 'unknown': ['NoSuchHost01']})
    assert_ok(result)
    log = sim.requests(platform='mackerel')
    bulk = [r for r in log if r['path'] == '/api/v0/hosts/bulk-update-statuses']
    bodies = [json.loads(r['body']) for r in bulk]
    # maintenance: 24 hosts in one call (<= 30); restore: one call per previous status (working, standby)
    assert [b['status'] for b in bodies] == ['maintenance', 'standby', 'working'], bodies
    assert all(len(b['ids']) <= 30 for b in bodies)
    assert sorted(bodies[0]['ids']) == sorted(ids)
    assert sorted(bodies[1]['ids']) == sorted(i for i, s in before.items() if s == 'standby')
    # the rerun, the check mode run and the unknown id sent no status write; every host is back where it was
    assert len(bulk) == 3
    assert not [r for r in log if r['method'] == 'POST' and r['path'].endswith('/status')]
    assert dict((h['id'], h['status']) for h in hosts(sim)) == before


def test_host_maintenance_suppresses_alerts(sim, play):
    host_id = next(h['id'] for h in hosts(sim) if h['status'] == 'working')
    assert_ok(play('suppress_host_one.yml', extra_vars={'ids': [host_id], 'status': 'maintenance'}))
    raised = sim.control('mackerel', 'raise', {'host_id': host_id, 'type': 'host'})
    assert raised['alerts'] == [] and 'maintenance' in raised['suppressed'][0]['suppressed_by']
    assert_ok(play('suppress_host_one.yml', extra_vars={'ids': [host_id], 'status': 'working'}))
    raised = sim.control('mackerel', 'raise', {'host_id': host_id, 'type': 'host'})
    assert len(raised['alerts']) == 1


def test_more_than_30_hosts_go_in_calls_of_30(sim, play):
    ids = sim.control('mackerel', 'add_hosts', {'count': 70})['ids']
    sim.clear_log()
    assert_ok(play('suppress_host_one.yml', extra_vars={'ids': ids, 'status': 'maintenance'}))
    log = sim.requests(platform='mackerel')
    bodies = [json.loads(r['body']) for r in log if r['path'] == '/api/v0/hosts/bulk-update-statuses']
    assert [len(b['ids']) for b in bodies] == [30, 30, 10]
    assert sorted(i for b in bodies for i in b['ids']) == sorted(ids)
    assert len([r for r in log if r['method'] == 'GET' and r['path'].startswith('/api/v0/hosts/')]) == 70
    assert set(sim.control('mackerel', 'host_status')['hosts'][i] for i in ids) == {'maintenance'}


def test_annotation_keyed_by_title_and_window(sim, play):
    start = int(time.time()) - 600
    sim.clear_log()
    result = play('suppress_annotation.yml', extra_vars={'start_iso': iso(start), 'end_iso': iso(start + 3600),
                                                         'later_iso': iso(start + 7200)})
    assert_ok(result)
    log = writes(sim)
    assert [m for m, _p in log] == ['POST', 'PUT', 'DELETE'], log
    posted = json.loads([r for r in sim.requests(platform='mackerel', path='graph-annotations')
                         if r['method'] == 'POST'][0]['body'])
    assert posted == {'title': 'CHG-9 window', 'description': 'first', 'service': 'web', 'from': start,
                      'to': start + 3600, 'roles': ['app']}
    assert sim.control('mackerel', 'annotations')['annotations'] == []


def test_writes_under_faults_happen_exactly_once(sim, play):
    ids = [h['id'] for h in hosts(sim) if h['status'] == 'working'][:3]
    sim.configure(faults={'script': [
        {'platform': 'mackerel', 'method': 'POST', 'path': '^/api/v0/downtimes$', 'fault': 'drop_after', 'count': 1},
        {'platform': 'mackerel', 'method': 'POST', 'path': '^/api/v0/graph-annotations$', 'fault': 'drop_after',
         'count': 1},
        {'platform': 'mackerel', 'method': 'POST', 'path': 'bulk-update-statuses', 'fault': '503', 'count': 1},
        {'platform': 'opsramp', 'method': 'POST', 'path': 'scheduleMaintenances$', 'fault': 'drop_after', 'count': 1},
    ]})
    sim.clear_log()
    assert_ok(play('suppress_faults.yml', extra_vars={'ids': ids}))
    assert len(sim.control('mackerel', 'downtimes')['downtimes']) == 1
    assert len(sim.control('mackerel', 'annotations')['annotations']) == 1
    assert len(sim.control('opsramp', 'maintenances')['maintenances']) == 1
    assert set(sim.control('mackerel', 'host_status')['hosts'][i] for i in ids) == {'maintenance'}
    bulk = sim.requests(platform='mackerel', path='bulk-update-statuses')
    assert [r['status'] for r in bulk] == [503, 200]
    creates = [r for r in sim.requests(platform='mackerel', path='^/api/v0/downtimes$') if r['method'] == 'POST']
    assert len(creates) == 1 and creates[0]['fault'] == 'drop_after'


def test_no_secret_at_vvvv(sim, play):
    key = sim.control('mackerel', 'credentials')['env']['MACKEREL_APIKEY']
    secret = sim.control('opsramp', 'credentials')['env']['OPSRAMP_CLIENT_SECRET']
    result = play('suppress_faults.yml', extra_vars={'ids': [sim.control('mackerel', 'hosts')['hosts'][0]]}, verbosity=4)
    assert_ok(result)
    assert key not in result.output and secret not in result.output
    issued = sim.control('opsramp', 'issued_tokens')['tokens']
    assert issued and not any(token in result.output for token in issued)
