# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change's lifecycle as a hostile operator runs it (plugin_utils/lifecycle.py), through real ansible-playbook runs
against the simulator: every rerun point repeats no write, a begin after end is refused, a lost create answer is
recorded by name, a retired host does not block the restore, the window's end is exact to the second, a future end
time is refused, cancel and the expiry sweep undo only what a change recorded."""

from __future__ import absolute_import, division, print_function

import json
import os
import time

WRITES = ('POST', 'PUT', 'DELETE')


def writes(sim, platform=None):
    return [(r['method'], r['path']) for r in sim.requests(platform=platform)
            if r['method'] in WRITES and 'oauth/token' not in r['path'] and r['platform'] != 'log360']


def statuses(sim):
    return sim.control('mackerel', 'host_status')['hosts']


def state_of(tmp_path, change_id):
    for name in ('%s.state.json' % change_id, '%s.json' % change_id):
        path = tmp_path / 'state' / name
        if path.exists():
            return json.loads(path.read_text())
    return None


def audit_of(tmp_path, change_id):
    return json.loads((tmp_path / 'reports' / ('%s-audit.json' % change_id)).read_text())


def working_hosts(sim, count=2):
    details = sim.control('mackerel', 'host_status')['details']
    return [h['id'] for h in details if h['status'] == 'working'][:count]


def test_rerun_of_end_after_success_writes_nothing_and_keeps_a_host_powered_off_since(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3001', 'hosts_in_scope': scope, 'services': ['web'], 'verify_timeout': 0,
             'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    assert state_of(tmp_path, 'CHG-3001')['lifecycle']['phase'] == 'suppressed'
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    assert state_of(tmp_path, 'CHG-3001')['lifecycle']['phase'] == 'ended'
    assert set(statuses(sim)[h] for h in scope) == {'working'}
    # after the change, someone powers a host off; a rerun of end must not give it back its status of before
    sim.control('mackerel', 'host_status', {'statuses': {scope[0]: 'poweroff'}}, method='POST')
    sim.clear_log()
    again = play('mw_suppress.yml', dict(evars, phase='end'))
    assert again.rc == 0, again.output[-3000:]
    assert writes(sim) == []
    assert statuses(sim)[scope[0]] == 'poweroff'
    changed = [line for line in again.output.splitlines() if line.startswith(('changed:', 'TASK ['))]
    changed = [changed[n - 1] for n, line in enumerate(changed) if line.startswith('changed:')]
    assert changed == [], changed


def test_begin_after_end_is_refused_and_suppresses_nothing(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3002', 'hosts_in_scope': scope, 'verify_timeout': 0, 'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    assert play('mw_suppress.yml', dict(evars, phase='end')).rc == 0
    sim.clear_log()
    again = play('mw_suppress.yml', dict(evars, phase='begin'))
    assert again.rc != 0
    assert 'change CHG-3002 is ended' in again.output and 'maintenance_window_force_begin' in again.output
    assert writes(sim) == []
    assert set(statuses(sim)[h] for h in scope) == {'working'}
    assert sim.control('opsramp', 'maintenances')['maintenances'][0]['_status'] == 'Completed'


def test_a_create_whose_answer_was_unreadable_is_recorded_by_name_and_removed_at_end(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3003', 'hosts_in_scope': scope, 'services': ['web'], 'verify_timeout': 0,
             'verify_fail': False}
    # the downtime is created, but its answer is no JSON
    sim.configure(faults={'script': [{'platform': 'mackerel', 'method': 'POST', 'path': '^/api/v0/downtimes$',
                                      'fault': 'unreadable', 'count': 1}]})
    begin = play('mw_suppress.yml', dict(evars, phase='begin'))
    sim.configure(faults={'script': []})
    downtimes = sim.control('mackerel', 'downtimes')['downtimes']
    assert [d['name'] for d in downtimes] == ['CHG-3003']
    record = state_of(tmp_path, 'CHG-3003')['suppression']
    assert [(d['name'], d['id']) for d in record['downtimes']] == [('CHG-3003', downtimes[0]['id'])], begin.output[-3000:]
    assert 'Mackerel downtime CHG-3003 (id %s)' % downtimes[0]['id'] in record['in_place']
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []


def test_end_removes_what_was_planned_even_when_the_record_lost_it(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3004', 'hosts_in_scope': scope, 'services': ['web'], 'verify_timeout': 0,
             'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    path = next(p for p in (tmp_path / 'state').iterdir() if p.name.startswith('CHG-3004') and 'lock' not in p.name)
    state = json.loads(path.read_text())
    state['suppression']['downtimes'] = []          # as a crash between the create and the record leaves it
    state['suppression']['in_place'] = []
    path.write_text(json.dumps(state))
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []


def test_a_host_retired_during_the_change_is_skipped_and_the_rest_restored_and_closed(sim, play, tmp_path):
    scope = working_hosts(sim, 3)
    evars = {'change_id': 'CHG-3005', 'hosts_in_scope': scope, 'verify_timeout': 0, 'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    sim.control('mackerel', 'retire', {'host_id': scope[0]}, method='POST')
    sim.control('mackerel', 'retire', {'host_id': scope[1], 'delete': True}, method='POST')
    raised = sim.control('mackerel', 'raise', {'host_id': scope[2], 'type': 'check'})   # host maintenance suppresses
    opsramp_alert = sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01'})['alerts'][0]
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    assert statuses(sim)[scope[2]] == 'working'
    record = state_of(tmp_path, 'CHG-3005')['suppression']
    assert record['undone_at'] and record['in_place'] == []
    assert sorted(g['what'] for g in record['left_in_place']) == sorted('Mackerel host %s' % h for h in scope[:2])
    assert raised['alerts'] == []
    audit = audit_of(tmp_path, 'CHG-3005')
    assert [c['id'] for c in audit['closed'] if c['platform'] == 'opsramp'] == [str(opsramp_alert['uniqueId'])]


def test_with_verify_off_the_state_and_audit_keep_the_undo(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3006', 'hosts_in_scope': scope, 'verify': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    state = state_of(tmp_path, 'CHG-3006')
    assert state['suppression']['undone_at'] and state['suppression']['in_place'] == []
    assert state['lifecycle']['phase'] == 'ended'
    audit = audit_of(tmp_path, 'CHG-3006')
    assert audit['suppression']['undone_at'] == state['suppression']['undone_at']
    assert 'verify' not in audit


def test_verify_set_true_by_the_user_does_not_crash_end(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3007', 'hosts_in_scope': scope, 'verify': True, 'verify_timeout': 0}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    assert audit_of(tmp_path, 'CHG-3007')['verify']['healthy'] is True


def test_an_end_time_after_the_run_began_or_relative_is_refused(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3008', 'hosts_in_scope': scope, 'verify_timeout': 0}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    future = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() + 3600))
    for given, message in ((future, 'lies after the moment this end run began'), ('+30d', 'is relative')):
        sim.clear_log()
        end = play('mw_suppress.yml', dict(evars, phase='end', end_time=given))
        assert end.rc != 0 and message in end.output, end.output[-2000:]
        assert writes(sim) == []
        assert not state_of(tmp_path, 'CHG-3008').get('end_at')


def test_alerts_of_the_second_the_end_run_began_are_in_the_window(sim, play, tmp_path):
    """No sleep between raising and ending: the result must not depend on the timing of the run."""
    hosts = sim.control('mackerel', 'hosts')['hosts']
    for attempt in range(3):
        change = 'CHG-301%d' % attempt
        evars = {'change_id': change, 'hosts_in_scope': [hosts[attempt]]}
        assert play('mw_window.yml', dict(evars, phase='begin')).rc == 0
        raised = [a['id'] for a in sim.control('mackerel', 'raise', {'count': 2, 'host_id': hosts[attempt]})['alerts']]
        end = play('mw_window.yml', dict(evars, phase='end'))
        assert end.rc == 0, end.output[-3000:]
        closed = sorted(c['id'] for c in audit_of(tmp_path, change)['closed'] if c['platform'] == 'mackerel')
        assert closed == sorted(raised), (attempt, closed, raised)


def test_end_refuses_a_state_without_a_scope(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    evars = {'change_id': 'CHG-3020', 'hosts_in_scope': hosts[:1]}
    assert play('mw_window.yml', dict(evars, phase='begin')).rc == 0
    path = next(p for p in (tmp_path / 'state').iterdir() if p.name.startswith('CHG-3020') and 'lock' not in p.name)
    state = json.loads(path.read_text())
    state['scope'] = {}
    path.write_text(json.dumps(state))
    sim.control('mackerel', 'raise', {'count': 1, 'host_id': hosts[3]})
    sim.clear_log()
    end = play('mw_window.yml', dict(evars, phase='end', hosts_in_scope=[], opsramp_query={}, platforms=['mackerel']))
    assert end.rc != 0 and 'records no scope for mackerel' in end.output, end.output[-2000:]
    assert writes(sim) == []


def test_begin_checks_every_platform_and_host_before_writing(sim, play, tmp_path):
    hosts = working_hosts(sim)
    # no Log360 credentials: begin fails (not the end after the change), naming the platform
    sim.clear_log()
    no_log360 = play('mw_suppress.yml', {'change_id': 'CHG-3021', 'hosts_in_scope': hosts, 'phase': 'begin',
                                         'platforms': ['mackerel', 'opsramp', 'log360']},
                     env={'LOG360_URL': None, 'LOG360_TOKEN': None})
    assert no_log360.rc != 0
    assert 'drop log360 from maintenance_window_platforms' in no_log360.output, no_log360.output[-2000:]
    assert writes(sim) == [] and state_of(tmp_path, 'CHG-3021') is None
    # an unknown host id: refused, naming it
    unknown = play('mw_suppress.yml', {'change_id': 'CHG-3022', 'hosts_in_scope': ['4HCEHx4Wb'], 'phase': 'begin'})
    assert unknown.rc != 0 and '4HCEHx4Wb' in unknown.output and 'maintenance_window_mackerel_host_ids' in unknown.output
    assert writes(sim) == [] and state_of(tmp_path, 'CHG-3022') is None
    # an unknown OpsRamp resource of the scope query: refused, naming it and the variable
    resource = play('mw_window.yml', {'change_id': 'CHG-3024', 'hosts_in_scope': hosts, 'phase': 'begin',
                                      'opsramp_query': {'resourceIds': ['res-web-01', 'res-nope-9']}})
    assert resource.rc != 0
    assert 'no such resource: res-nope-9' in resource.output, resource.output[-2000:]
    assert 'Check maintenance_window_opsramp_query (resourceIds)' in resource.output
    assert writes(sim) == [] and state_of(tmp_path, 'CHG-3024') is None
    # a Mackerel-only user without an OpsRamp scope is told about maintenance_window_platforms first
    only = play('mw_window.yml', {'change_id': 'CHG-3023', 'hosts_in_scope': hosts, 'phase': 'begin',
                                  'platforms': ['mackerel', 'opsramp'], 'opsramp_query': {}})
    assert only.rc != 0
    message = only.output[only.output.index('refusing to begin'):]
    assert message.index('maintenance_window_platforms') < message.index('maintenance_window_scope_all'), message[:600]


def test_cancel_undoes_the_suppression_closes_nothing_and_is_final(sim, play, tmp_path):
    scope = working_hosts(sim)
    before = statuses(sim)
    evars = {'change_id': 'CHG-3030', 'hosts_in_scope': scope, 'services': ['web']}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01'})
    sim.clear_log()
    cancel = play('mw_suppress.yml', dict(evars, phase='cancel'))
    assert cancel.rc == 0, cancel.output[-3000:]
    assert statuses(sim) == before and sim.control('mackerel', 'downtimes')['downtimes'] == []
    assert not [p for _m, p in writes(sim) if p.endswith('/close') or '/actions/' in p]
    assert state_of(tmp_path, 'CHG-3030')['lifecycle']['phase'] == 'cancelled'
    sim.clear_log()
    again = play('mw_suppress.yml', dict(evars, phase='cancel'))
    assert again.rc == 0 and writes(sim) == [], again.output[-2000:]
    end = play('mw_suppress.yml', dict(evars, phase='end'))
    assert end.rc != 0 and 'was cancelled' in end.output
    assert writes(sim) == []


def test_sweep_undoes_only_expired_suppressions_whose_end_never_ran(sim, play, tmp_path):
    hosts = working_hosts(sim, 4)
    before = statuses(sim)
    short = {'change_id': 'CHG-3040', 'hosts_in_scope': hosts[:2], 'suppress_duration': '1s'}
    long = {'change_id': 'CHG-3041', 'hosts_in_scope': hosts[2:], 'suppress_duration': '4h'}
    assert play('mw_suppress.yml', dict(short, phase='begin')).rc == 0
    assert play('mw_suppress.yml', dict(long, phase='begin')).rc == 0
    time.sleep(1.5)
    sweep = play('mw_suppress.yml', {'phase': 'sweep', 'change_id': 'unused', 'hosts_in_scope': []})
    assert sweep.rc == 0, sweep.output[-3000:]
    assert 'CHG-3040' in sweep.output
    now = statuses(sim)
    assert [now[h] for h in hosts[:2]] == [before[h] for h in hosts[:2]]
    assert [now[h] for h in hosts[2:]] == ['maintenance', 'maintenance']
    assert state_of(tmp_path, 'CHG-3040')['suppression']['undone_at']
    sim.clear_log()
    assert play('mw_suppress.yml', {'phase': 'sweep', 'change_id': 'unused', 'hosts_in_scope': []}).rc == 0
    assert writes(sim) == []
    assert not os.path.exists(str(tmp_path / 'state' / 'CHG-3040.lock'))


def test_a_sweep_whose_undo_fails_for_one_change_undoes_the_others_names_it_and_releases_every_lock(
        sim, play, tmp_path):
    hosts = working_hosts(sim, 4)
    before = statuses(sim)
    broken = {'change_id': 'CHG-3050', 'hosts_in_scope': hosts[:2], 'services': ['web'], 'suppress_duration': '1s'}
    fine = {'change_id': 'CHG-3051', 'hosts_in_scope': hosts[2:], 'suppress_duration': '1s'}
    assert play('mw_suppress.yml', dict(broken, phase='begin')).rc == 0
    assert play('mw_suppress.yml', dict(fine, phase='begin')).rc == 0
    downtime = state_of(tmp_path, 'CHG-3050')['suppression']['downtimes'][0]['id']
    time.sleep(1.5)
    # the downtime of the first change cannot be deleted (every attempt and retry answers 500)
    sim.call('POST', '/_sim/fail_next', {'platform': 'mackerel', 'method': 'DELETE',
                                         'path': '/api/v0/downtimes/%s$' % downtime, 'fault': '500', 'count': 50})
    sweep = play('mw_suppress.yml', {'phase': 'sweep', 'change_id': 'unused', 'hosts_in_scope': []})
    assert sweep.rc != 0
    assert 'suppression removed for 1 change(s): CHG-3051' in sweep.output
    assert 'STILL IN PLACE (rerun the sweep, or phase end of the change): CHG-3050 (Mackerel downtime CHG-3050' \
        in sweep.output
    now = statuses(sim)
    assert [now[h] for h in hosts[2:]] == [before[h] for h in hosts[2:]]
    assert state_of(tmp_path, 'CHG-3051')['suppression']['undone_at']
    assert not state_of(tmp_path, 'CHG-3050')['suppression'].get('undone_at')
    assert sorted(p.name for p in (tmp_path / 'state').iterdir() if p.name.endswith('.lock')) == []
    # the next sweep, with the server well again, finishes the first change
    sim.call('POST', '/_sim/config', {'variants': {}, 'faults': {'script': []}})
    again = play('mw_suppress.yml', {'phase': 'sweep', 'change_id': 'unused', 'hosts_in_scope': []})
    assert again.rc == 0, again.output[-3000:]
    assert 'suppression removed for 1 change(s): CHG-3050' in again.output
    assert state_of(tmp_path, 'CHG-3050')['suppression']['undone_at']
    assert [statuses(sim)[h] for h in hosts[:2]] == [before[h] for h in hosts[:2]]


def _kill_when_received(sim, proc, method, path_regex, timeout=240):
    """SIGKILL the playbook's whole process group once the server has received (and acted on) a request."""
    import re
    import signal
    deadline = time.time() + timeout
    while time.time() < deadline:
        if any(r['method'] == method and re.search(path_regex, r['path']) for r in sim.requests()):
            time.sleep(0.3)                   # the write is applied; its answer is held (fault 'hang')
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
            return
        if proc.poll() is not None:
            raise AssertionError('the run ended before %s %s: %s' % (method, path_regex, proc.stdout.read()[-3000:]))
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError('%s %s never reached the server' % (method, path_regex))


def _duplicates(entries):
    seen, twice = set(), []
    for entry in entries:
        if entry in seen:
            twice.append(entry)
        seen.add(entry)
    return twice


def test_an_end_killed_during_the_undo_is_rerun_and_continues_with_no_write_twice(sim, play, tmp_path):
    scope = working_hosts(sim, 2)
    before = statuses(sim)
    evars = {'change_id': 'CHG-3060', 'hosts_in_scope': scope, 'services': ['web'], 'verify_timeout': 0,
             'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    downtime = state_of(tmp_path, 'CHG-3060')['suppression']['downtimes'][0]['id']
    caused = sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01'})['alerts'][0]
    sim.clear_log()
    # the downtime's delete is applied by the server, its answer never comes: the job is killed meanwhile
    sim.call('POST', '/_sim/fail_next', {'platform': 'mackerel', 'method': 'DELETE',
                                         'path': '/api/v0/downtimes/%s$' % downtime, 'fault': 'hang'})
    _kill_when_received(sim, play('mw_suppress.yml', dict(evars, phase='end'), background=True),
                        'DELETE', '/api/v0/downtimes/%s$' % downtime)
    assert state_of(tmp_path, 'CHG-3060')['lifecycle']['phase'] == 'ending'
    assert (tmp_path / 'state' / 'CHG-3060.lock').exists()      # left by the killed run; its holder is dead
    rerun = play('mw_suppress.yml', dict(evars, phase='end'))
    assert rerun.rc == 0, rerun.output[-3000:]
    sent = writes(sim)
    assert _duplicates(sent) == []
    assert sent.count(('DELETE', '/api/v0/downtimes/%s' % downtime)) == 1
    state = state_of(tmp_path, 'CHG-3060')
    assert state['lifecycle']['phase'] == 'ended'
    assert state['suppression']['undone_at'] and state['suppression']['in_place'] == []
    assert [statuses(sim)[h] for h in scope] == [before[h] for h in scope]
    assert [c['id'] for c in audit_of(tmp_path, 'CHG-3060')['closed']] == [str(caused['uniqueId'])]
    assert not (tmp_path / 'state' / 'CHG-3060.lock').exists()


def test_an_end_killed_during_the_closes_is_rerun_and_closes_the_rest_once(sim, play, tmp_path):
    scope = working_hosts(sim, 1)
    evars = {'change_id': 'CHG-3061', 'hosts_in_scope': scope, 'verify_timeout': 0, 'verify_fail': False}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    caused = [sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01'})['alerts'][0]
              for _n in range(4)]
    ids = sorted(str(a['uniqueId']) for a in caused)
    first = str(caused[0]['uniqueId'])
    sim.clear_log()
    sim.call('POST', '/_sim/fail_next', {'platform': 'opsramp', 'method': 'POST',
                                         'path': '/alerts/%s/actions/' % first, 'fault': 'hang'})
    _kill_when_received(sim, play('mw_suppress.yml', dict(evars, phase='end'), background=True),
                        'POST', '/alerts/%s/actions/' % first)
    killed = state_of(tmp_path, 'CHG-3061')
    assert killed['lifecycle']['phase'] == 'undone'          # the undo finished, the closes had begun
    assert sorted(p['id'] for p in killed['pending']) == ids  # announced before the first close was sent
    rerun = play('mw_suppress.yml', dict(evars, phase='end'))
    assert rerun.rc == 0, rerun.output[-3000:]
    closes = [w for w in writes(sim, 'opsramp') if '/actions/' in w[1]]
    assert _duplicates(closes) == []
    assert sorted(w[1].split('/alerts/')[1].split('/')[0] for w in closes) == ids
    audit = audit_of(tmp_path, 'CHG-3061')
    assert sorted(c['id'] for c in audit['closed']) == ids
    assert state_of(tmp_path, 'CHG-3061')['lifecycle']['phase'] == 'ended'


def test_the_audit_of_x_never_touches_the_state_of_x_audit(sim, play, tmp_path):
    hosts = working_hosts(sim, 2)
    other = {'change_id': 'CHG-3070-audit', 'hosts_in_scope': hosts[1:], 'platforms': ['mackerel']}
    mine = {'change_id': 'CHG-3070', 'hosts_in_scope': hosts[:1], 'platforms': ['mackerel']}
    assert play('mw_window.yml', dict(other, phase='begin')).rc == 0
    before = (tmp_path / 'state' / 'CHG-3070-audit.state.json').read_text()
    assert play('mw_window.yml', dict(mine, phase='begin')).rc == 0
    end = play('mw_window.yml', dict(mine, phase='end'))
    assert end.rc == 0, end.output[-3000:]
    # X's audit has a name no change id's state can have; X-audit's state is as its begin left it
    assert (tmp_path / 'reports' / 'CHG-3070-audit.json').exists()
    assert (tmp_path / 'state' / 'CHG-3070-audit.state.json').read_text() == before
    assert state_of(tmp_path, 'CHG-3070-audit')['lifecycle']['phase'] == 'begun'
    ended = play('mw_window.yml', dict(other, phase='end'))
    assert ended.rc == 0, ended.output[-3000:]
    assert audit_of(tmp_path, 'CHG-3070')['change_id'] == 'CHG-3070'
    assert json.loads((tmp_path / 'reports' / 'CHG-3070-audit-audit.json').read_text())['change_id'] == 'CHG-3070-audit'


def test_exactly_one_of_twenty_playbook_runs_takes_a_stale_lock(sim, play, tmp_path):
    hosts = working_hosts(sim, 1)
    assert play('mw_window.yml', {'change_id': 'CHG-3071', 'hosts_in_scope': hosts, 'platforms': ['mackerel'],
                                  'phase': 'begin'}).rc == 0
    # a lock left by a run that died (its pid is no process on this host)
    lock = tmp_path / 'state' / 'CHG-3071.lock'
    import socket
    lock.write_text(json.dumps({'pid': 2 ** 22 + 12345, 'host': socket.gethostname(), 'since': '2026-01-01T00:00:00Z'}))
    os.chmod(str(lock), 0o600)
    runs = [play('mw_lock.yml', {'change_id': 'CHG-3071'}, background=True) for _n in range(20)]
    # the winner stays alive holding the lock (a live holder is never stale) until the 19 others have tried
    deadline = time.time() + 540
    while sum(run.poll() is not None for run in runs) < 19 and time.time() < deadline:
        time.sleep(0.5)
    (tmp_path / 'go').write_text('go')
    outputs = [run.communicate(timeout=300)[0].decode('utf-8', 'replace') for run in runs]
    got = [o for o in outputs if 'CONTENDER GOT THE LOCK' in o]
    refused = [o for o in outputs if 'CONTENDER REFUSED: change CHG-3071 is being handled by another run' in o]
    assert (len(got), len(refused)) == (1, 19), [o[-600:] for o in outputs if o not in got + refused][:2]


def test_cancel_in_check_mode_says_what_it_would_do_and_writes_nothing(sim, play, tmp_path):
    scope = working_hosts(sim)
    evars = {'change_id': 'CHG-3031', 'hosts_in_scope': scope}
    assert play('mw_suppress.yml', dict(evars, phase='begin')).rc == 0
    before = state_of(tmp_path, 'CHG-3031')
    sim.clear_log()
    checked = play('mw_suppress.yml', dict(evars, phase='cancel'), check=True)
    assert checked.rc == 0, checked.output[-3000:]
    assert 'CHG-3031: check mode: would be cancelled; its suppression would be removed' in checked.output
    assert writes(sim) == [] and state_of(tmp_path, 'CHG-3031') == before
