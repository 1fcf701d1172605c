# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change-window role end to end: exactly the alerts the change caused are closed, nothing else."""

from __future__ import absolute_import, division, print_function

import json
import os

WRITE_METHODS = ('POST', 'PUT', 'DELETE')


def vendor_writes(sim, platform):
    # the OAuth token request is a POST that changes nothing
    return [r for r in sim.requests(platform=platform) if r['method'] in WRITE_METHODS and 'oauth/token' not in r['path']]


def changed_tasks(output):
    task, changed = None, []
    for line in output.splitlines():
        if line.startswith('TASK ['):
            task = line
        elif line.startswith('changed:'):
            changed.append(task)
    return changed


def raise_change(sim, hosts):
    """In scope: 3 on hosts[0], 1 on hosts[1], 3 OpsRamp on res-web-01. Out of scope: 2 on hosts[5], 1 OpsRamp db-09."""
    made = {'mackerel_in': [], 'mackerel_out': [], 'opsramp_in': [], 'opsramp_out': []}
    for count, host, key in ((3, hosts[0], 'mackerel_in'), (1, hosts[1], 'mackerel_in'), (2, hosts[5], 'mackerel_out')):
        made[key] += [a['id'] for a in sim.control('mackerel', 'raise', {'count': count, 'host_id': host})['alerts']]
    for count, device, key in ((3, 'web-01', 'opsramp_in'), (1, 'db-09', 'opsramp_out')):
        answer = sim.control('opsramp', 'raise', {'count': count, 'device': device, 'resource_id': 'res-' + device})
        made[key] += [str(a['uniqueId']) for a in answer['alerts']]
    sim.control('log360', 'raise', {'count': 1, 'severity': 'critical', 'device': 'web-01'})
    return made


def closes(sim, platform):
    if platform == 'mackerel':
        return sorted(r['path'].split('/')[4] for r in sim.requests(platform='mackerel', method='POST')
                      if r['path'].endswith('/close') and r['status'] == 200)
    return sorted(r['path'].split('/')[6] for r in sim.requests(platform='opsramp', method='POST')
                  if '/actions/' in r['path'] and r['status'] == 200)


def test_change_window_closes_exactly_what_the_change_caused_and_rerun_changes_nothing(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    evars = {'change_id': 'CHG-1001', 'hosts_in_scope': hosts[:2]}
    begin = play('mw_window.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin
    made = raise_change(sim, hosts)
    mackerel_before = {a['id']: a for a in sim.control('mackerel', 'alerts')['alerts']}
    opsramp_before = {str(a['uniqueId']): a for a in sim.control('opsramp', 'alerts')['alerts']}
    sim.clear_log()

    # check mode first: shows what would be closed, sends no write at all
    check = play('mw_window.yml', dict(evars, phase='end'), check=True)
    assert check.rc == 0, check
    assert vendor_writes(sim, 'mackerel') == [] and vendor_writes(sim, 'opsramp') == []
    assert vendor_writes(sim, 'log360') == []
    assert '7 alert(s) would be handled' in check.output
    assert not (tmp_path / 'reports').exists() and not (tmp_path / 'state' / 'CHG-1001.lock').exists()

    end = play('mw_window.yml', dict(evars, phase='end'))
    assert end.rc == 0, end
    assert closes(sim, 'mackerel') == sorted(made['mackerel_in'])
    assert closes(sim, 'opsramp') == sorted(made['opsramp_in'])
    reasons = {json.loads(r['body'])['reason'] for r in sim.requests(platform='mackerel', method='POST')}
    assert reasons == {'CHG-1001: closed after the change window'}
    # every other alert is byte-identical
    mackerel_after = {a['id']: a for a in sim.control('mackerel', 'alerts')['alerts']}
    for alert_id, alert in mackerel_before.items():
        if alert_id not in made['mackerel_in']:
            assert mackerel_after[alert_id] == alert, alert_id
        else:
            assert mackerel_after[alert_id]['status'] == 'OK'
    opsramp_after = {str(a['uniqueId']): a for a in sim.control('opsramp', 'alerts')['alerts']}
    for alert_id, alert in opsramp_before.items():
        if alert_id not in made['opsramp_in']:
            assert opsramp_after[alert_id] == alert, alert_id
    # the Log360 job was deleted
    assert len(sim.requests(platform='log360', method='DELETE')) == 1
    audit = json.loads((tmp_path / 'reports' / 'CHG-1001-audit.json').read_text())
    assert sorted(a['id'] for a in audit['closed'] if a['platform'] == 'mackerel') == sorted(made['mackerel_in'])
    why = {(a['platform'], a['id']): a['why'] for a in audit['left_open']}
    for alert_id in made['mackerel_out']:
        assert why[('mackerel', alert_id)] == 'out of scope (other host)'
    # OpsRamp is scoped by the server (the search query): out-of-scope alerts are never listed
    assert ('opsramp', made['opsramp_out'][0]) not in why
    assert audit['counts']['log360_alerts'] == 1
    html = (tmp_path / 'reports' / 'CHG-1001-audit.html').read_text()
    assert 'id="closed-alerts"' in html and made['mackerel_in'][0] in html

    # rerun: no write, no change
    sim.clear_log()
    again = play('mw_window.yml', dict(evars, phase='end'))
    assert again.rc == 0, again
    assert vendor_writes(sim, "mackerel") + vendor_writes(sim, "opsramp") == []
    assert 'changed=0' in again.output.split('PLAY RECAP')[-1], changed_tasks(again.output)
    assert json.loads((tmp_path / 'reports' / 'CHG-1001-audit.json').read_text()) == audit


def test_end_fails_clearly_without_baseline_on_mismatch_and_reversed_window(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    evars = {'hosts_in_scope': hosts[:2]}
    missing = play('mw_window.yml', dict(evars, change_id='CHG-404', phase='end'))
    assert missing.rc != 0
    assert 'No baseline for change CHG-404' in missing.output and 'phase=begin' in missing.output

    assert play('mw_window.yml', dict(evars, change_id='CHG-2', phase='begin')).rc == 0
    state = json.loads((tmp_path / 'state' / 'CHG-2.json').read_text())
    mismatch = play('mw_window.yml', dict(evars, change_id='CHG-3', phase='end', baseline=state))
    assert mismatch.rc != 0
    assert 'The baseline belongs to change CHG-2, not CHG-3: refusing to close anything' in mismatch.output

    reversed_window = play('mw_window.yml', dict(evars, change_id='CHG-2', phase='end', end_time='2001-01-01T00:00:00Z'))
    assert reversed_window.rc != 0
    assert 'The window ends (2001-01-01T00:00:00Z) before it begins' in reversed_window.output
    for platform in ('mackerel', 'opsramp', 'log360'):
        assert vendor_writes(sim, platform) == [], platform
    assert 'Traceback' not in missing.output + mismatch.output + reversed_window.output


def test_bad_role_input_fails_at_the_start(sim, play):
    result = play('mw_bad_input.yml')
    assert result.rc == 0, result
    assert sim.requests() == []
    assert os.path.exists(__file__)
