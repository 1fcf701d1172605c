# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Mackerel modules in scenarios, against the in-process simulator (tests/unit/plugins/conftest.py); the
promises every module keeps are tables in test_module_contract.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest


def test_mackerel_alert_items(run_module, sim, ids):
    args = {'id': ['{mackerel_open}', '{mackerel_closed}'], 'state': 'closed', 'reason': 'CHG-1: x'}
    result = run_module('mackerel_alert', ids.fill(args))
    assert result['changed'] is True
    assert result['closed'] == 1
    assert result['memo_updated'] == 0
    by_id = dict((a['id'], a) for a in result['alerts'])
    assert by_id[ids['{mackerel_open}']]['changed'] is True
    assert by_id[ids['{mackerel_open}']]['after']['status'] == 'OK'
    assert by_id[ids['{mackerel_open}']]['after']['reason'] == 'CHG-1: x'
    assert by_id[ids['{mackerel_open}']]['before']['status'] != 'OK'
    assert by_id[ids['{mackerel_closed}']]['changed'] is False
    assert [w['path'] for w in sim.writes()] == ['/api/v0/alerts/%s/close' % ids['{mackerel_open}']]
    assert sim.writes()[0]['body'] == '{"reason": "CHG-1: x"}'


def test_mackerel_alert_by_filter_closes_what_the_filter_selects(run_module, sim):
    alerts = sim.control('mackerel', 'alerts')['alerts']
    target = next(a for a in alerts if a['status'] != 'OK' and a.get('hostId'))
    expected = sorted(a['id'] for a in alerts if a['status'] != 'OK' and a.get('hostId') == target['hostId'])
    result = run_module('mackerel_alert', {'host_id': [target['hostId']], 'state': 'closed', 'reason': 'r'}, check=True)
    assert sorted(a['id'] for a in result['alerts'] if a['changed']) == expected
    assert sim.writes() == []


def test_mackerel_alert_info_lists_open_alerts(run_module, sim):
    alerts = sim.control('mackerel', 'alerts')['alerts']
    result = run_module('mackerel_alert_info', {})
    assert result['changed'] is False
    assert sorted(a['id'] for a in result['alerts']) == sorted(a['id'] for a in alerts if a['status'] != 'OK')
    assert result['pages_fetched'] >= 1
    with_closed = run_module('mackerel_alert_info', {'with_closed': True, 'max_items': 3})
    assert len(with_closed['alerts']) == 3


def test_mackerel_alert_info_one_alert_with_logs(run_module, ids):
    result = run_module('mackerel_alert_info', {'id': ids['{mackerel_open}'], 'logs': True})
    assert [a['id'] for a in result['alerts']] == [ids['{mackerel_open}']]
    assert isinstance(result['alerts'][0]['logs'], list)
    assert result['alerts'][0]['opened_at'].endswith('Z')


def test_mackerel_host_returns_the_previous_status(run_module, ids):
    result = run_module('mackerel_host', {'id': [ids['{mackerel_host}']], 'status': 'maintenance'}, diff=True)
    assert result['changed'] is True
    previous = result['previous'][ids['{mackerel_host}']]
    assert result['hosts'][0]['id'] == ids['{mackerel_host}']
    assert result['hosts'][0]['after']['status'] == 'maintenance'
    assert result['diff'] == {'before': {ids['{mackerel_host}']: previous}, 'after': {ids['{mackerel_host}']: 'maintenance'}}


def test_mackerel_host_info(run_module, ids):
    result = run_module('mackerel_host_info', {'id': [ids['{mackerel_host}']], 'monitored_statuses': True})
    assert result['changed'] is False
    assert [h['id'] for h in result['hosts']] == [ids['{mackerel_host}']]
    assert isinstance(result['failing'], list)


def test_mackerel_monitor_info_lists_filters_and_names_unknown_ids(run_module, sim):
    every = run_module('mackerel_monitor_info', {})
    assert every['changed'] is False
    monitors = sim.sim.vendor('mackerel').monitors
    assert len(every['monitors']) == len(monitors)
    assert every['monitors'][0] == {'id': monitors[0]['id'], 'type': 'connectivity', 'memo': ''}   # no name
    assert every['monitors'][1] == {'id': monitors[1]['id'], 'type': 'host', 'name': 'host monitor 01', 'memo': ''}
    services = run_module('mackerel_monitor_info', {'type': ['service', 'expression']})
    assert sorted(set(m['type'] for m in services['monitors'])) == ['expression', 'service']
    assert len(services['monitors']) == len([m for m in monitors if m['type'] in ('service', 'expression')])
    one = run_module('mackerel_monitor_info', {'id': [monitors[1]['id']]})
    assert [m['id'] for m in one['monitors']] == [monitors[1]['id']]
    unknown = run_module('mackerel_monitor_info', {'id': ['2nosuchmon1']})
    assert unknown['failed'] is True
    assert unknown['msg'] == 'mackerel: option id: no such monitor: 2nosuchmon1'


def test_mackerel_downtime_info(run_module):
    created = run_module('mackerel_downtime', {'name': 'CHG-9', 'start': '+1h', 'duration': '1h', 'memo': 'x'})
    assert created['downtime']['name'] == 'CHG-9'
    listed = run_module('mackerel_downtime_info', {'name': 'CHG-9'})
    assert [d['name'] for d in listed['downtimes']] == ['CHG-9']
    assert run_module('mackerel_downtime_info', {'name': 'other'})['downtimes'] == []


def test_mackerel_alert_partial_failure_names_counts_and_shows_diff_only_in_diff_mode(run_module, sim, ids):
    args = ids.fill({'id': ['{mackerel_open}'], 'state': 'closed', 'reason': 'CHG-1: x'})
    for diff in (False, True):
        sim.fail_next('mackerel', 'POST', '/api/v0/alerts/%s/close' % ids['{mackerel_open}'])   # an HTML 500
        result = run_module('mackerel_alert', args, diff=diff)
        assert result['failed'] is True and result['status'] == 500
        assert result['msg'].startswith('mackerel: 1 of 1 alert(s) could not be changed (0 changed); first failure: ')
        assert ('diff' in result) is diff
        assert result['alerts'][0]['changed'] is False and 'error' in result['alerts'][0]


@pytest.mark.parametrize('check', [False, True])
def test_a_diff_shows_only_what_is_known_when_nothing_was_read_first(run_module, sim, ids, check):
    # read_first=false (the role closes what it just listed): the alert's status before the close was not read, so
    # neither the items nor the diff show one (a placeholder UNKNOWN is not Mackerel's UNKNOWN status)
    alert_id = ids['{mackerel_open}']
    result = run_module('mackerel_alert', {'id': [alert_id], 'state': 'closed', 'reason': 'CHG-1: x',
                                           'read_first': False}, check=check, diff=True)
    assert result['changed'] is True
    assert result['alerts'][0]['before'] == {}
    assert result['diff']['before'] == {alert_id: {}}
    assert result['diff']['after'][alert_id]['status'] == 'OK'
    assert result['diff']['after'][alert_id]['reason'] == 'CHG-1: x'
    assert [w['path'] for w in sim.writes()] == ([] if check else ['/api/v0/alerts/%s/close' % alert_id])


def test_mackerel_host_info_lists_a_service_or_its_roles_in_every_status(run_module, sim):
    hosts = sim.sim.vendor('mackerel').suppression.hosts
    service = sorted(set(s for h in hosts.values() for s in h['roles']))[0]
    members = sorted(h['id'] for h in hosts.values() if service in h['roles'])
    # one of them in maintenance already: the API would leave it out unless asked for every status
    sim.control('mackerel', 'host_status', {'statuses': {members[0]: 'maintenance'}}, method='POST')
    listed = run_module('mackerel_host_info', {'service': service})
    assert listed['changed'] is False and sorted(h['id'] for h in listed['hosts']) == members
    role = hosts[members[1]]['roles'][service][0]
    in_role = sorted(h['id'] for h in hosts.values() if role in h['roles'].get(service, []))
    assert sorted(h['id'] for h in run_module('mackerel_host_info', {'service': service, 'role': [role]})['hosts']) \
        == in_role
    sent = [r for r in sim.requests(platform='mackerel') if r['path'] == '/api/v0/hosts']
    assert len(sent) == 2 and sorted(sent[0]['query']['status']) == ['maintenance', 'poweroff', 'standby', 'working']
    assert run_module('mackerel_host_info', {'id': members[:1], 'role': ['db']})['msg'].endswith(
        "missing parameter(s) required by 'role': service")
    assert 'mutually exclusive' in run_module('mackerel_host_info', {'id': members[:1], 'service': service})['msg']
