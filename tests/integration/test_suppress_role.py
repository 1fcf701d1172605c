# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change-window role with suppression, rehearsed against the simulator: alerts raised during the window are
suppressed, end restores every host's status and removes exactly what begin created, a rerun creates nothing twice,
and a monitor left failing is reported by verify."""

from __future__ import absolute_import, division, print_function

import json
import time

WRITES = ('POST', 'PUT', 'DELETE')


def writes(sim, platform):
    return [(r['method'], r['path']) for r in sim.requests(platform=platform)
            if r['method'] in WRITES and 'oauth/token' not in r['path']]


def statuses(sim):
    return sim.control('mackerel', 'host_status')['hosts']


def test_rehearsal_suppresses_restores_and_verify_reports_a_failing_monitor(sim, play, tmp_path):
    details = sim.control('mackerel', 'host_status')['details']
    standby = next(h['id'] for h in details if h['status'] == 'standby')
    working = [h['id'] for h in details if h['status'] == 'working']
    scope = [working[0], standby]
    # out of scope: a working host outside the service the downtime silences
    other = next(h['id'] for h in details if h['status'] == 'working' and h['id'] not in scope and 'api' not in h['roles'])
    # the monitor in scope: a host monitor with no open alert on the hosts in scope (so nothing of it is in the baseline)
    alerts = sim.control('mackerel', 'alerts')['alerts']
    busy = set(a['monitorId'] for a in alerts if a['status'] != 'OK' and a.get('hostId') in scope)
    monitor = next(m['id'] for m in sim.control('mackerel', 'hosts')['monitors'] if m['type'] == 'host' and m['id'] not in busy)
    before = statuses(sim)
    evars = {'change_id': 'CHG-2001', 'hosts_in_scope': scope, 'monitors_in_scope': [monitor], 'services': ['api']}

    begin = play('mw_suppress.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin.output[-3000:]
    after_begin = statuses(sim)
    assert after_begin[working[0]] == 'maintenance' and after_begin[standby] == 'maintenance'
    assert after_begin[other] == before[other]
    downtimes = sim.control('mackerel', 'downtimes')['downtimes']
    assert sorted((d['name'], d.get('monitorScopes'), d.get('serviceScopes')) for d in downtimes) == \
        [('CHG-2001', [monitor], None), ('CHG-2001 services', None, ['api'])]
    windows = sim.control('opsramp', 'maintenances')['maintenances']
    assert [(w['name'], w['_status'], [d['id'] for d in w['devices']]) for w in windows] == \
        [('CHG-2001', 'Active', ['res-web-01'])]
    assert [a['service'] for a in sim.control('mackerel', 'annotations')['annotations']] == ['api']
    state = json.loads((tmp_path / 'state' / 'CHG-2001.state.json').read_text())
    assert state['suppression']['hosts'] == {working[0]: 'working', standby: 'standby'}
    assert [d['name'] for d in state['suppression']['downtimes']] == ['CHG-2001', 'CHG-2001 services']

    # a rerun of begin creates nothing twice and keeps the recorded previous statuses
    sim.clear_log()
    rerun = play('mw_suppress.yml', dict(evars, phase='begin'))
    assert rerun.rc == 0, rerun
    assert writes(sim, 'mackerel') == [] and writes(sim, 'opsramp') == []
    state = json.loads((tmp_path / 'state' / 'CHG-2001.state.json').read_text())
    assert state['suppression']['hosts'] == {working[0]: 'working', standby: 'standby'}

    # the change: alerts on the hosts in maintenance and of the monitor in the downtime are not generated; a host
    # out of scope alerts; OpsRamp alerts on a resource in the window are typed Maintenance
    in_scope = sim.control('mackerel', 'raise', {'host_id': working[0], 'type': 'host'})
    by_monitor = sim.control('mackerel', 'raise', {'host_id': other, 'monitor_id': monitor, 'type': 'host'})
    out_of_scope = sim.control('mackerel', 'raise', {'host_id': other, 'type': 'check'})
    assert in_scope['alerts'] == [] and 'maintenance' in in_scope['suppressed'][0]['suppressed_by']
    assert by_monitor['alerts'] == [] and 'downtime' in by_monitor['suppressed'][0]['suppressed_by']
    assert len(out_of_scope['alerts']) == 1
    opsramp_alert = sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01'})['alerts'][0]
    assert opsramp_alert['alertType'] == 'Maintenance'

    # end: suppression removed first, every host back to its own status; the monitor that still fails on the host
    # out of scope is not the change's, but the one the downtime hid on a host in scope is reported by verify
    sim.control('mackerel', 'raise', {'host_id': working[0], 'monitor_id': monitor, 'type': 'host'})  # suppressed
    # the window is [begin, end) to the second: an alert raised in the very second the end run fixes the window's end
    # is outside it (then end leaves the OpsRamp alert open and verify reports it), so let that second pass
    time.sleep(1.05)
    sim.clear_log()
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert statuses(sim) == before
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []
    assert [w['_status'] for w in sim.control('opsramp', 'maintenances')['maintenances']] == ['Completed']
    bulk = [json.loads(r['body']) for r in sim.requests(platform='mackerel', path='bulk-update-statuses')]
    assert sorted((b['status'], tuple(b['ids'])) for b in bulk) == [('standby', (standby,)), ('working', (working[0],))]
    # the undo came before any close
    mackerel_writes = writes(sim, 'mackerel')
    first_close = next((n for n, (_m, p) in enumerate(mackerel_writes) if p.endswith('/close')), len(mackerel_writes))
    last_undo = max(n for n, (_m, p) in enumerate(mackerel_writes) if 'downtimes' in p or 'bulk-update' in p)
    assert last_undo < first_close
    audit = json.loads((tmp_path / 'reports' / 'CHG-2001-audit.json').read_text())
    assert audit['suppression']['in_place'] == [] and audit['suppression']['undone_at']
    assert audit['suppression']['restored'] == {working[0]: 'working', standby: 'standby'}
    # verify: the monitor hidden by the downtime still fails on a host in scope -> reported, the end fails
    assert end.rc != 0, end
    failing = audit['verify']['failing']
    assert [(f['platform'], f['kind'], f['host'], f['monitor']) for f in failing] == \
        [('mackerel', 'monitor', working[0], monitor)], failing
    assert 'still failing' in end.output and monitor in end.output

    # the monitor recovers: a rerun of end changes nothing and verify is healthy
    sim.control('mackerel', 'recover', {'host_id': working[0], 'monitor_id': monitor})
    sim.clear_log()
    again = play('mw_suppress.yml', dict(evars, phase='end'))
    assert again.rc == 0, again
    assert writes(sim, 'mackerel') == [] and writes(sim, 'opsramp') == []
    audit = json.loads((tmp_path / 'reports' / 'CHG-2001-audit.json').read_text())
    assert audit['verify']['healthy'] is True and audit['verify']['failing'] == []


def test_a_failed_end_says_what_suppression_is_still_in_place(sim, play, tmp_path):
    details = sim.control('mackerel', 'host_status')['details']
    scope = [h['id'] for h in details if h['status'] == 'working'][:2]
    evars = {'change_id': 'CHG-2002', 'hosts_in_scope': scope, 'services': ['web']}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    # the downtime delete keeps failing (503 every time, beyond the retries)
    sim.configure(faults={'script': [{'platform': 'mackerel', 'method': 'DELETE', 'path': '^/api/v0/downtimes/',
                                      'fault': '503', 'count': 50}]})
    sim.clear_log()
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc != 0
    assert 'STILL IN PLACE' in end.output and 'Mackerel downtime CHG-2002 (id' in end.output
    # the hosts came back (that part worked), nothing was closed
    assert set(statuses(sim)[h] for h in scope) == {'working'}
    assert not [p for _m, p in writes(sim, 'mackerel') if p.endswith('/close')]
    audit = json.loads((tmp_path / 'reports' / 'CHG-2002-audit.json').read_text())
    assert [line.split(' (id')[0] for line in audit['suppression']['in_place']] == ['Mackerel downtime CHG-2002']
    state = json.loads((tmp_path / 'state' / 'CHG-2002.state.json').read_text())
    assert state['suppression']['in_place'] == audit['suppression']['in_place']
    # once the vendor answers again, a rerun of end removes it
    sim.configure(faults={'script': []})
    rerun = play('mw_suppress.yml', dict(evars, phase='end', verify_fail=False))
    assert rerun.rc == 0, rerun
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []
    html = (tmp_path / 'reports' / 'CHG-2002-audit.html').read_text()
    assert 'Suppressed during the window: Mackerel downtime CHG-2002' in html


def test_check_mode_writes_nothing(sim, play, tmp_path):
    details = sim.control('mackerel', 'host_status')['details']
    scope = [h['id'] for h in details if h['status'] == 'working'][:2]
    evars = {'change_id': 'CHG-2003', 'hosts_in_scope': scope, 'services': ['web'], 'verify_timeout': 0}
    before = statuses(sim)
    sim.clear_log()
    check = play('mw_suppress.yml', dict(evars, phase='begin'), check=True)
    assert check.rc == 0, check.output[-3000:]
    assert writes(sim, 'mackerel') == [] and writes(sim, 'opsramp') == []
    assert not (tmp_path / 'state' / 'CHG-2003.state.json').exists()
    # for real, then end in check mode: nothing removed, nothing restored, nothing closed, no file changed
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    state_text = (tmp_path / 'state' / 'CHG-2003.state.json').read_text()
    sim.clear_log()
    check_end = play('mw_suppress.yml', dict(evars, phase='end'), check=True)
    assert check_end.rc == 0, check_end.output[-3000:]
    assert writes(sim, 'mackerel') == [] and writes(sim, 'opsramp') == []
    assert set(statuses(sim)[h] for h in scope) == {'maintenance'}
    assert len(sim.control('mackerel', 'downtimes')['downtimes']) == 1
    assert (tmp_path / 'state' / 'CHG-2003.state.json').read_text() == state_text
    assert not (tmp_path / 'reports' / 'CHG-2003-audit.json').exists()
    # and the real end puts everything back
    assert play('mw_suppress.yml', dict(evars, phase='end')).rc == 0
    assert statuses(sim) == before and sim.control('mackerel', 'downtimes')['downtimes'] == []


def test_end_on_another_machine_undoes_with_the_handed_on_baseline(sim, play, tmp_path):
    """AWX: begin and end run as two jobs; end gets the baseline (with the suppression record) through set_stats."""
    details = sim.control('mackerel', 'host_status')['details']
    scope = [h['id'] for h in details if h['status'] == 'working'][:2]
    before = statuses(sim)
    evars = {'change_id': 'CHG-2004', 'hosts_in_scope': scope, 'verify_timeout': 0}
    begin = play('mw_suppress.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin.output[-3000:]
    state_file = tmp_path / 'state' / 'CHG-2004.state.json'
    handed = json.loads((tmp_path / 'handed.json').read_text())
    assert handed['suppression']['hosts'] == dict((h, 'working') for h in scope)
    state_file.unlink()
    end = play('mw_suppress.yml', dict(evars, phase='end', baseline=handed))
    assert end.rc == 0, end.output[-3000:]
    assert statuses(sim) == before


def test_a_suppressed_end_reports_changed_only_for_the_steps_that_changed_something(sim, play, tmp_path):
    details = sim.control('mackerel', 'host_status')['details']
    working = [h['id'] for h in details if h['status'] == 'working']
    evars = {'change_id': 'CHG-2009', 'hosts_in_scope': working[:1], 'services': ['api'], 'verify_fail': False,
             'verify_timeout': 2}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    time.sleep(1.05)
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end
    changed = []
    task = None
    for line in end.output.splitlines():
        if line.startswith('TASK ['):
            task = line[len('TASK ['):].split(' : ')[-1].split(']')[0]
        elif line.startswith('changed:') and task not in changed:
            changed.append(task)
    # the undo's writes and the audit report; planning, recording state and verifying (read-only) change nothing
    assert changed == [
        'End | Suppress | Give every host back its recorded status',
        'End | Suppress | Remove the Mackerel downtimes',
        'End | Suppress | End the OpsRamp scheduled maintenance',
        'End | Suppress | Close the window on the graph annotation',
        'End | Record what the writes returned, write the audit (JSON and HTML)'], changed
    assert 'End | Verify | Wait until the scope is healthy' in end.output
