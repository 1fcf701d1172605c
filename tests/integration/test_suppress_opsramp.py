# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpsRamp scheduled maintenance: real ansible-playbook runs against the simulator, checked through its request log,
in every variant of what the documentation leaves open; and Maintenance-typed alerts inside a window."""

from __future__ import absolute_import, division, print_function

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


def assert_ok(result):
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result


def iso(epoch):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch))


def sm_writes(sim):
    return [(r['method'], r['path'].split('scheduleMaintenances')[-1]) for r in sim.requests(platform='opsramp')
            if 'scheduleMaintenances' in r['path'] and r['method'] in ('POST', 'PUT', 'DELETE')]


BAD_CASES = [
    {'start': '-3h', 'duration': 60, 'expect': 'option start'},
    {'duration': 0, 'expect': 'option duration must be greater than 0'},
    {'start': '+2h', 'end': '+1h', 'expect': 'option end'},
    {'duration': 30, 'timezone': 'Mars/Olympus_Mons', 'expect': 'option timezone'},
    {'duration': 30, 'hosts': ['h%03d' % n for n in range(101)], 'expect': 'at most 100'},
    {'duration': 30, 'hosts': ['no-such-host'], 'expect': 'HTTP 400'},
]


@pytest.mark.parametrize('variants,timezone,time_basis', [
    ({}, 'America/New_York', 'local'),
    ({'opsramp_sm_time': 'gmt', 'opsramp_sm_type_case': 'any', 'opsramp_sm_name_search': 'exact',
      'opsramp_sm_update_active': 'accept', 'opsramp_sm_delete_active': 'accept', 'opsramp_sm_get_shape': 'results'},
     'Asia/Tokyo', 'gmt'),
])
def test_maintenance_lifecycle(sim, play, variants, timezone, time_basis):
    sim.configure(variants=variants)
    start = int(time.time()) + 3 * 3600
    sim.clear_log()
    result = play('suppress_opsramp.yml', extra_vars={
        'start_iso': iso(start), 'end_iso': iso(start + 3600), 'later_iso': iso(start + 7200), 'timezone': timezone,
        'time_basis': time_basis, 'bad_cases': BAD_CASES})
    assert_ok(result)
    writes = sm_writes(sim)
    kinds = [(m, p.split('/')[-1] if p.count('/') > 1 else ('' if not p else 'id')) for m, p in writes]
    assert kinds == [('POST', ''), ('POST', ''), ('POST', 'id'), ('POST', 'resources'), ('DELETE', 'resources'),
                     ('DELETE', 'id'),                # no suspend of the Pending window: the API refuses it
                     ('POST', ''), ('POST', 'end'),
                     ('POST', '')], writes           # the last one: the unknown host, rejected by the server
    log = [r for r in sim.requests(platform='opsramp') if r['path'].endswith('/scheduleMaintenances')]
    body = json.loads(log[1]['body'])
    zone = ZoneInfo(timezone)
    expected_start = (datetime.fromtimestamp(start, zone).strftime('%Y-%m-%dT%H:%M:%S') if time_basis == 'local'
                      else time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(start))) + '+0000'
    assert body['schedule'] == {'type': 'One-Time', 'startTime': expected_start, 'timezone': timezone,
                                'endTime': body['schedule']['endTime']}
    assert body['devices'] == [{'hostName': 'db-01'}, {'hostName': 'web-01'}]
    assert body['deviceGroups'] == [{'name': 'Web Servers'}]
    assert json.loads(log[-1]['body'])['devices'] == [{'hostName': 'no-such-host'}] and log[-1]['status'] == 400
    windows = sim.control('opsramp', 'maintenances')['maintenances']
    assert sorted((w['name'], w['_status']) for w in windows) == [('CHG-77 decoy', 'Pending'), ('CHG-78', 'Completed')]
    assert [w['_end'] - w['_start'] for w in windows if w['name'] == 'CHG-78'] == [3600]


def test_alerts_inside_a_window_are_typed_maintenance(sim, play):
    assert_ok(play('suppress_opsramp_window.yml', extra_vars={'name': 'CHG-79', 'hosts': ['db-01']}))
    inside = sim.control('opsramp', 'raise', {'device': 'db-01'})['alerts'][0]
    outside = sim.control('opsramp', 'raise', {'device': 'web-02'})['alerts'][0]
    assert inside['alertType'] == 'Maintenance' and outside['alertType'] == 'Monitoring'
    sim.advance(2 * 3600)
    later = sim.control('opsramp', 'raise', {'device': 'db-01'})['alerts'][0]
    assert later['alertType'] == 'Monitoring'
