# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OpsRamp modules in scenarios, against the in-process simulator (tests/unit/plugins/conftest.py); the
promises every module keeps are tables in test_module_contract.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest


def test_opsramp_alert_items(run_module, sim, ids):
    args = {'id': ['{opsramp_open}', '{opsramp_closed}'], 'state': 'closed', 'description': 'CHG-7'}
    result = run_module('opsramp_alert', ids.fill(args))
    by_id = dict((a['id'], a) for a in result['alerts'])
    assert by_id[ids['{opsramp_open}']]['changed'] is True
    assert by_id[ids['{opsramp_closed}']]['changed'] is False
    assert result['changed'] is True
    writes = sim.writes()
    assert len(writes) == 1
    assert writes[0]['path'].endswith('/alerts/%s/actions/close' % ids['{opsramp_open}'])
    assert 'CHG-7' in writes[0]['body']


def test_opsramp_alert_info_search_get_and_occurrences(run_module, sim, ids):
    found = run_module('opsramp_alert_info', {'max_items': 5})
    assert found['changed'] is False
    assert len(found['alerts']) == 5
    open_only = run_module('opsramp_alert_info', {'with_closed': False})
    assert open_only['alerts']
    assert all(not a['closed'] for a in open_only['alerts'])
    one = run_module('opsramp_alert_info', {'id': ids['{opsramp_open}']})
    assert [a['uniqueId'] for a in one['alerts']] == [ids['{opsramp_open}']]
    alert_id = sim.control('opsramp', 'credentials')['occurrence_alerts']['ties']
    occ = run_module('opsramp_alert_info', {'id': alert_id, 'occurrences': True, 'max_items': 10})
    assert len(occ['occurrences']) == 10
    assert occ['pages_fetched'] >= 1
    assert isinstance(occ['paging_warnings'], list)
    assert sim.writes() == []


def test_opsramp_alert_info_unknown_alert_fails_with_404(run_module):
    result = run_module('opsramp_alert_info', {'id': '999999'})
    assert result['failed'] is True
    assert re.match(r'^opsramp[ :]', result['msg'])
    assert 'HTTP 404' in result['msg']


def test_opsramp_maintenance_info(run_module):
    args = {'name': 'CHG-5', 'hosts': ['web-01'], 'start': '+1h', 'duration': '2h'}
    created = run_module('opsramp_maintenance', args)
    assert created['changed'] is True
    assert created['actions'] == ['create']
    assert created['maintenance']['uniqueId'].startswith('SM-')
    info = run_module('opsramp_maintenance_info', {'name': 'CHG-5', 'details': True})
    assert [m['uniqueId'] for m in info['maintenances']] == [created['maintenance']['uniqueId']]
    assert run_module('opsramp_maintenance_info', {'name': 'CHG-5', 'state': 'active'})['maintenances'] == []


def test_opsramp_resource_info_reads_in_order_and_names_every_unknown_id(run_module, sim):
    result = run_module('opsramp_resource_info', {'id': ['res-db-01', 'res-web-01', 'res-db-01']})
    assert result['changed'] is False
    assert [(r['id'], r['name'], r['resourceType']) for r in result['resources']] == [
        ('res-db-01', 'db-01', 'DEVICE'), ('res-web-01', 'web-01', 'DEVICE')]
    unknown = run_module('opsramp_resource_info', {'id': ['res-web-01', 'res-nope-1', 'res-nope-2']})
    assert unknown['failed'] is True
    assert unknown['msg'] == ('opsramp: option id: no such resource: res-nope-1, res-nope-2 (nothing was changed) '
                              '(server said: No resource found with id : res-nope-1 (code 0003))')
    # one read per distinct id (read concurrently: in any order)
    assert sorted(r['path'].rsplit('/', 1)[1] for r in sim.requests(platform='opsramp') if '/resources/' in r['path']) \
        == ['res-db-01', 'res-nope-1', 'res-nope-2', 'res-web-01', 'res-web-01']


@pytest.mark.parametrize('check', [False, True])
def test_a_diff_shows_only_what_is_known_when_nothing_was_read_first(run_module, sim, ids, check):
    # read_first=false (the role acts on what it just listed): the flags before were not read, so the items and the
    # diff show none (not every flag false as a guess)
    alert_id = ids['{opsramp_open}']
    result = run_module('opsramp_alert', {'id': [alert_id], 'state': 'closed', 'description': 'CHG-7',
                                          'read_first': False}, check=check, diff=True)
    assert result['changed'] is True
    assert result['alerts'][0]['before'] == {}
    assert result['diff']['before'] == {alert_id: {}}
    assert result['diff']['after'][alert_id]['closed'] is True
    assert len(sim.writes()) == (0 if check else 1)
