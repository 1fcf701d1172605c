# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change-window role end to end: exactly the alerts the change caused are closed, nothing else."""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import time

import markupsafe

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
    # the window is [begin, end) to the second: an alert raised in the very second the end run begins is outside it,
    # so let that second pass (a fast machine starts ansible-playbook within it)
    time.sleep(1.05)
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

    sim.clear_log()
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
    # the console and the report say the same thing, in the same words
    summary = re.search(r'"msg": "(CHG-1001 \(.+?)"\n', end.output).group(1)
    assert '7 alert(s) closed by this change' in summary and 'Audit: %s' % (tmp_path / 'reports') in summary
    # the report has one summary: the console's words, without the report's own path
    in_report = summary.split(' Audit: ')[0]
    assert html.count('>Summary</h2>') == 1
    assert '<p id="summary-text">%s</p>' % markupsafe.escape(in_report) in html
    assert 'Audit:' not in html and 'CHG-1001-audit.html' not in html
    # every close carries its reason, in the audit and in the report's Reason column
    assert {a['reason'] for a in audit['closed']} == {'CHG-1001: closed after the change window'}
    closed_table = html.split('id="closed-alerts"')[1].split('</table>')[0]
    assert closed_table.count('<td>CHG-1001: closed after the change window</td>') == 7
    # Mackerel host and monitor names, one read per distinct host and monitor
    host_reads = [r['path'] for r in sim.requests(platform='mackerel', method='GET', path='^/api/v0/hosts/')]
    monitor_reads = [r['path'] for r in sim.requests(platform='mackerel', method='GET', path='^/api/v0/monitors/')]
    assert sorted(host_reads) == sorted('/api/v0/hosts/%s' % h for h in (hosts[0], hosts[1], hosts[5]))
    assert len(monitor_reads) == len(set(monitor_reads)) == 1
    assert 'app-00' in html and 'app-01' in html
    # the baseline's rows name their hosts as the window's rows do (the names begin read for the scope)
    baseline_rows = [a for a in audit['left_open'] if a['why'].startswith('in the baseline') and a['platform'] == 'mackerel']
    assert baseline_rows and {a['host_name'] for a in baseline_rows} <= {'app-00', 'app-01'}
    sources = re.findall(r'<td class="title">[^<]*</td><td>([^<]*)</td>', html)
    assert not set(sources) & set(hosts), sorted(set(sources) & set(hosts))
    assert all(a['closed_at'] for a in audit['closed'])

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
    state = json.loads((tmp_path / 'state' / 'CHG-2.state.json').read_text())
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


# -- the contract, rule by rule (issue 11) ---------------------------------------------------------------------
def mw(play, tmp_path, phase, change_id='CHG-9', check=False, env=None, inventory=None, name='mw_contract.yml', **role):
    """Run the role with maintenance_window_<key>=value for every keyword (state and reports under tmp_path)."""
    evars = {'maintenance_window_phase': phase, 'maintenance_window_change_id': change_id,
             'maintenance_window_state_dir': str(tmp_path / 'state'),
             'maintenance_window_report_dir': str(tmp_path / 'reports')}
    for key, value in role.items():
        if key in ('target_hosts', 'mackerel_key', 'opsramp_tenant', 'opsramp_client_id', 'opsramp_client_secret'):
            evars[key] = value
        elif value is None:
            evars.pop('maintenance_window_' + key, None)
        else:
            evars['maintenance_window_' + key] = value
    return play(name, evars, check=check, env=env, inventory=inventory)


def scope(hosts):
    return {'mackerel_host_ids': hosts[:2], 'opsramp_query': {'resourceIds': ['res-web-01']}}


def closed_ids(sim, platform):
    return closes(sim, platform)


def state_file(tmp_path, change_id='CHG-9'):
    return json.loads((tmp_path / 'state' / ('%s.state.json' % change_id)).read_text())


def audit_of(tmp_path, change_id='CHG-9'):
    return json.loads((tmp_path / 'reports' / ('%s-audit.json' % change_id)).read_text())


def test_begin_refuses_a_missing_scope_unless_scope_all(sim, play, tmp_path):
    result = mw(play, tmp_path, 'begin')
    assert result.rc != 0
    assert 'refusing to begin change window without a scope for mackerel, opsramp' in result.output
    assert 'maintenance_window_scope_all: true' in result.output
    assert not (tmp_path / 'state').exists()
    assert sim.requests() == []                                    # nothing listed, nothing written
    hosts = sim.control('mackerel', 'hosts')['hosts']
    # a Mackerel scope alone leaves OpsRamp without one
    partial = mw(play, tmp_path, 'begin', mackerel_host_ids=hosts[:1])
    assert partial.rc != 0 and 'without a scope for opsramp' in partial.output
    assert not (tmp_path / 'state').exists()
    everything = mw(play, tmp_path, 'begin', scope_all=True, platforms=['mackerel'])
    assert everything.rc == 0, everything
    assert state_file(tmp_path)['scope_all'] is True


def test_end_applies_the_scope_recorded_at_begin_and_refuses_another(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    begin = mw(play, tmp_path, 'begin', mackerel_host_ids=hosts[:2], opsramp_query={'resourceIds': ['res-web-01']})
    assert begin.rc == 0, begin
    made = raise_change(sim, hosts)
    sim.clear_log()
    other = mw(play, tmp_path, 'end', mackerel_host_ids=[hosts[5]])
    assert other.rc != 0
    assert 'the scope given at end ({"mackerel_host_ids": ["%s"]})' % hosts[5] in other.output, other
    assert 'differs from the scope recorded at begin for change CHG-9 ({"mackerel_host_ids": %s})' \
        % json.dumps(sorted(hosts[:2])) in other.output
    assert [r for r in sim.requests() if r['method'] != 'GET' and 'oauth' not in r['path']] == []
    assert sim.requests(platform='mackerel') == []                 # failed before any request
    # an AWX end template without the scope variables: the recorded scope applies
    end = mw(play, tmp_path, 'end')
    assert end.rc == 0, end
    assert closes(sim, 'mackerel') == sorted(made['mackerel_in'])
    assert closes(sim, 'opsramp') == sorted(made['opsramp_in'])
    assert audit_of(tmp_path)['scope'] == {'mackerel_host_ids': sorted(hosts[:2]), 'mackerel_monitor_ids': [],
                                           'mackerel_services': [], 'mackerel_roles': [],
                                           'opsramp_query': {'resourceIds': ['res-web-01']}}


def test_window_end_never_moves_after_a_partial_failure(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    assert mw(play, tmp_path, 'begin', **scope(hosts)).rc == 0
    made = raise_change(sim, hosts)
    sim.clear_log()
    victim = sorted(made['mackerel_in'])[0]
    sim.call('POST', '/_sim/fail_next', {'platform': 'mackerel', 'method': 'POST', 'path': '/%s/close$' % victim})
    first = mw(play, tmp_path, 'end')
    assert first.rc != 0
    assert '1 write(s) failed' in first.output and victim in first.output
    fixed_end = state_file(tmp_path)['end_at']
    assert closes(sim, 'mackerel') == sorted(set(made['mackerel_in']) - {victim})
    assert ('mackerel', victim) in {(a['platform'], a['id']) for a in audit_of(tmp_path)['left_open']}
    # the world moves on: 4 new alerts in scope open after the first end run
    late = [a['id'] for a in sim.control('mackerel', 'raise', {'count': 2, 'host_id': hosts[0]})['alerts']]
    raised = sim.control('opsramp', 'raise', {'count': 2, 'device': 'web-01', 'resource_id': 'res-web-01'})
    late += [str(a['uniqueId']) for a in raised['alerts']]
    sim.clear_log()
    again = mw(play, tmp_path, 'end')
    assert again.rc == 0, again
    assert closes(sim, 'mackerel') == [victim]                     # only the one that failed
    assert closes(sim, 'opsramp') == []
    assert state_file(tmp_path)['end_at'] == fixed_end
    audit = audit_of(tmp_path)
    assert sorted(a['id'] for a in audit['closed']) == sorted(made['mackerel_in'] + made['opsramp_in'])
    assert all(a['closed_at'] for a in audit['closed'])
    late_why = {a['id']: a['why'] for a in audit['left_open'] if a['id'] in late}
    assert late_why == dict((i, "out of the window (opened after the window's end)") for i in late)


def test_closed_by_others_is_reported_not_claimed(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    assert mw(play, tmp_path, 'begin', **scope(hosts)).rc == 0
    made = raise_change(sim, hosts)
    mk_other, or_other = made['mackerel_in'][0], made['opsramp_in'][0]
    sim.control('mackerel', 'close', {'id': mk_other, 'reason': 'INC-77: fixed the disk by hand'})
    sim.control('opsramp', 'close', {'id': or_other, 'reason': 'noise, closed by the NOC', 'by': 'jane.doe'})
    sim.clear_log()
    end = mw(play, tmp_path, 'end')
    assert end.rc == 0, end
    assert mk_other not in closes(sim, 'mackerel') and or_other not in closes(sim, 'opsramp')
    audit = audit_of(tmp_path)
    assert {a['id'] for a in audit['closed']} == set(made['mackerel_in'] + made['opsramp_in']) - {mk_other, or_other}
    others = dict((a['id'], a) for a in audit['closed_by_others'])
    assert sorted(others) == sorted([mk_other, or_other])
    assert others[mk_other]['reason'] == 'INC-77: fixed the disk by hand' and others[mk_other]['platform'] == 'mackerel'
    assert others[or_other]['reason'] == 'noise, closed by the NOC' and others[or_other]['closed_by'] == 'jane.doe'
    assert all(a['closed_at'] for a in others.values())
    assert '1 closed by others' not in end.output and '2 closed by others in the window' in end.output


def test_handed_in_baseline_hands_on_the_end_and_refuses_to_guess_it(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    assert mw(play, tmp_path, 'begin', **scope(hosts)).rc == 0
    baseline = state_file(tmp_path)
    made = raise_change(sim, hosts)
    # AWX: the end job runs elsewhere, without the state file; the baseline arrives through set_stats
    env = {'ANSIBLE_SHOW_CUSTOM_STATS': 'true'}
    first = mw(play, tmp_path, 'end', baseline=baseline, state_dir=str(tmp_path / 'job1'), env=env)
    assert first.rc == 0, first
    stats = first.output.split('CUSTOM STATS')[-1]
    assert 'maintenance_window_end_time' in stats
    assert closes(sim, 'mackerel') == sorted(made['mackerel_in'])
    end_time = json.loads((tmp_path / 'job1' / 'CHG-9.state.json').read_text())['end_at']
    assert end_time in stats
    sim.clear_log()
    # a rerun in yet another job without the end time: this change already closed alerts -> refuse to guess
    guess = mw(play, tmp_path, 'end', baseline=baseline, state_dir=str(tmp_path / 'job2'))
    assert guess.rc != 0
    assert 'refusing to guess' in guess.output and 'maintenance_window_end_time' in guess.output
    assert vendor_writes(sim, 'mackerel') + vendor_writes(sim, 'opsramp') == []
    # with the end time handed on it runs, and sends nothing
    rerun = mw(play, tmp_path, 'end', baseline=baseline, state_dir=str(tmp_path / 'job3'), end_time=end_time)
    assert rerun.rc == 0, rerun
    assert vendor_writes(sim, 'mackerel') + vendor_writes(sim, 'opsramp') == []


def test_module_defaults_carry_the_connection(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    creds = {'mackerel_key': sim.control('mackerel', 'credentials')['env']['MACKEREL_APIKEY']}
    op = sim.control('opsramp', 'credentials')['env']
    creds.update(opsramp_tenant=op['OPSRAMP_TENANT_ID'], opsramp_client_id=op['OPSRAMP_CLIENT_ID'],
                 opsramp_client_secret=op['OPSRAMP_CLIENT_SECRET'])
    # nothing in the environment: a wrong key there would win over nothing, so blank them all
    env = dict((k, '') for k in ('MACKEREL_APIKEY', 'MACKEREL_APIBASE', 'OPSRAMP_URL', 'OPSRAMP_TENANT_ID',
                                 'OPSRAMP_CLIENT_ID', 'OPSRAMP_CLIENT_SECRET'))
    kw = dict(creds, platforms=['mackerel', 'opsramp'], name='mw_module_defaults.yml', env=env)
    assert mw(play, tmp_path, 'begin', **dict(kw, **scope(hosts))).rc == 0
    made = raise_change(sim, hosts)
    end = mw(play, tmp_path, 'end', **kw)
    assert end.rc == 0, end
    assert closes(sim, 'mackerel') == sorted(made['mackerel_in'])
    assert closes(sim, 'opsramp') == sorted(made['opsramp_in'])


def test_once_per_change_on_many_hosts_and_remote_targets(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    inventory = tmp_path / 'hosts.ini'
    # 12 local hosts and 3 remote ones nobody can reach (TEST-NET-1): the role must neither repeat nor connect
    inventory.write_text('[local]\n' + ''.join('node%02d ansible_connection=local\n' % n for n in range(12))
                         + '[remote]\n' + ''.join('far%d ansible_host=192.0.2.%d ansible_connection=ssh '
                                                  'ansible_ssh_common_args="-o ConnectTimeout=2"\n' % (n, n + 1)
                                                  for n in range(3)))
    kw = dict(target_hosts='all', inventory=str(inventory))
    begin = mw(play, tmp_path, 'begin', **dict(kw, **scope(hosts)))
    assert begin.rc == 0, begin
    made = raise_change(sim, hosts)
    sim.clear_log()
    end = mw(play, tmp_path, 'end', **kw)
    assert end.rc == 0, end
    posts = [r['path'] for r in sim.requests(platform='mackerel', method='POST')]
    assert sorted(posts) == sorted('/api/v0/alerts/%s/close' % i for i in made['mackerel_in'])   # each once
    assert closes(sim, 'opsramp') == sorted(made['opsramp_in'])
    # one listing: newest first, with closed alerts, stopping at the first page entirely before the window (page 2)
    listing = [r for r in sim.requests(platform='mackerel', method='GET') if r['path'] == '/api/v0/alerts']
    assert [r['query'].get('nextId') is not None for r in listing] == [False, True]
    assert 'unreachable=1' not in end.output and 'UNREACHABLE' not in end.output
    assert audit_of(tmp_path)['counts']['closed'] == 7


def test_change_id_rule_and_corrupt_state(sim, play, tmp_path):
    bad = mw(play, tmp_path, 'begin', change_id='../etc/passwd', mackerel_host_ids=['x'], platforms=['mackerel'])
    assert bad.rc != 0
    assert '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' in bad.output
    too_long = mw(play, tmp_path, 'begin', change_id='C' * 65, mackerel_host_ids=['x'], platforms=['mackerel'])
    assert too_long.rc != 0 and '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' in too_long.output
    (tmp_path / 'state').mkdir()
    (tmp_path / 'state' / 'CHG-9.state.json').write_text('{"change_id": "CHG-9", "begin_at": "2026-11')
    corrupt = mw(play, tmp_path, 'end')
    assert corrupt.rc != 0
    assert 'the state file %s is truncated or corrupt' % (tmp_path / 'state' / 'CHG-9.state.json') in corrupt.output
    assert 'phase begin again' in corrupt.output and 'Traceback' not in corrupt.output
    assert sim.requests() == []


def test_check_mode_writes_nothing_and_points_at_no_report(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    check_begin = mw(play, tmp_path, 'begin', check=True, **scope(hosts))
    assert check_begin.rc == 0, check_begin
    assert not (tmp_path / 'state').exists()
    assert mw(play, tmp_path, 'begin', **scope(hosts)).rc == 0
    raise_change(sim, hosts)
    before = sorted(os.listdir(str(tmp_path / 'state')))
    sim.clear_log()
    check = mw(play, tmp_path, 'end', check=True)
    assert check.rc == 0, check
    assert vendor_writes(sim, 'mackerel') + vendor_writes(sim, 'opsramp') + vendor_writes(sim, 'log360') == []
    assert sorted(os.listdir(str(tmp_path / 'state'))) == before and state_file(tmp_path)['end_at'] is None
    assert not (tmp_path / 'reports').exists()
    assert 'check mode, nothing sent and no file written; 7 alert(s) would be handled' in check.output
    assert 'Audit:' not in check.output and '-audit.' not in check.output


def test_default_state_dir_is_outside_the_playbook_and_dirs_keep_their_mode(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    home = tmp_path / 'home'
    home.mkdir()
    env = {'HOME': str(home), 'XDG_STATE_HOME': ''}
    begin = mw(play, tmp_path, 'begin', state_dir=None, report_dir=None, env=env, **scope(hosts))
    assert begin.rc == 0, begin
    path = home / '.local' / 'state' / 'alertops' / 'maintenance_window' / 'CHG-9.state.json'
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert not os.path.exists(os.path.join(os.path.dirname(__file__), 'playbooks', 'maintenance-window'))
    # an existing directory keeps its mode
    (tmp_path / 'state').mkdir(mode=0o755)
    os.chmod(str(tmp_path / 'state'), 0o755)
    (tmp_path / 'reports').mkdir()
    os.chmod(str(tmp_path / 'reports'), 0o775)
    assert mw(play, tmp_path, 'begin', **scope(hosts)).rc == 0
    assert mw(play, tmp_path, 'end').rc == 0
    assert (tmp_path / 'state').stat().st_mode & 0o777 == 0o755
    assert (tmp_path / 'reports').stat().st_mode & 0o777 == 0o775
    assert (tmp_path / 'state' / 'CHG-9.state.json').stat().st_mode & 0o777 == 0o600


def test_a_concurrent_run_of_the_same_change_is_refused(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    assert mw(play, tmp_path, 'begin', **scope(hosts)).rc == 0
    import socket
    lock = tmp_path / 'state' / 'CHG-9.lock'
    lock.write_text(json.dumps({'pid': os.getpid(), 'host': socket.gethostname(), 'since': '2026-11-29T05:00:00Z'}))
    sim.clear_log()
    busy = mw(play, tmp_path, 'end')
    assert busy.rc != 0
    assert 'change CHG-9 is being handled by another run (pid %d' % os.getpid() in busy.output
    assert str(lock) in busy.output
    assert sim.requests(platform='mackerel') == []
    # a lock left by a run that died is taken over
    lock.write_text(json.dumps({'pid': 2 ** 22 + 12345, 'host': socket.gethostname(), 'since': 'x'}))
    assert mw(play, tmp_path, 'end').rc == 0
    assert not lock.exists()


def test_the_change_window_playbook_runs_under_check_and_for_real(sim, play, tmp_path):
    out = tmp_path / 'demo'
    evars = {'alertops_sim_url': sim.url, 'alertops_demo_output': str(out), 'change_id': 'CHG-PB'}
    check = play('../../../playbooks/change_window.yml', evars, check=True)
    assert check.rc == 0, check
    assert vendor_writes(sim, 'mackerel') + vendor_writes(sim, 'opsramp') + vendor_writes(sim, 'log360') == []
    assert not out.exists()
    assert 'check mode, nothing sent and no file written' in check.output and 'Audit:' not in check.output
    real = play('../../../playbooks/change_window.yml', evars)
    assert real.rc == 0, real
    audit = json.loads((out / 'CHG-PB-audit.json').read_text())
    # suppression is on in the demo: the 3 + 1 Mackerel alerts on the two hosts in maintenance are not generated, the
    # 3 OpsRamp alerts on web-01 (in the scheduled maintenance, typed Maintenance) are closed
    assert audit['counts']['closed'] == 3
    assert audit['suppression']['in_place'] == [] and audit['suppression']['undone_at']
    assert audit['verify']['healthy'] is True
    assert '4 Mackerel alert(s) were not generated' in real.output
    loud = play('../../../playbooks/change_window.yml', dict(evars, change_id='CHG-PB2', suppress=False))
    assert loud.rc == 0, loud
    audit = json.loads((out / 'CHG-PB2-audit.json').read_text())
    assert audit['counts']['closed'] == 7                    # 3 + 1 Mackerel on the two hosts, 3 OpsRamp on web-01
    assert 'suppression' not in audit
    whys_seen = sorted(set(a['why'] for a in audit['left_open']))
    assert 'out of scope (the alert has no host)' in whys_seen and 'out of scope (other host)' in whys_seen
    assert (out / 'CHG-PB-audit.html').exists() and (out / 'state' / 'CHG-PB.state.json').exists()


def test_opsramp_acknowledge_action_is_recorded_and_not_repeated(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    kw = dict(platforms=['opsramp'], opsramp_action='acknowledge')
    assert mw(play, tmp_path, 'begin', opsramp_query={'resourceIds': ['res-web-01']}, **kw).rc == 0
    made = raise_change(sim, hosts)
    sim.clear_log()
    end = mw(play, tmp_path, 'end', **kw)
    assert end.rc == 0, end
    acks = sorted(r['path'].split('/')[6] for r in sim.requests(platform='opsramp', method='POST')
                  if r['path'].endswith('/actions/acknowledge') and r['status'] == 200)
    assert acks == sorted(made['opsramp_in'])
    assert [r for r in sim.requests(platform='opsramp', method='POST') if r['path'].endswith('/actions/close')] == []
    audit = audit_of(tmp_path)
    assert sorted(a['id'] for a in audit['acknowledged']) == sorted(made['opsramp_in']) and audit['closed'] == []
    sim.clear_log()
    again = mw(play, tmp_path, 'end', **kw)
    assert again.rc == 0, again
    assert vendor_writes(sim, 'opsramp') == []
    assert sorted(a['id'] for a in audit_of(tmp_path)['acknowledged']) == sorted(made['opsramp_in'])


def test_an_end_run_reports_changed_only_for_the_steps_that_changed_something(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    evars = {'change_id': 'CHG-1009', 'hosts_in_scope': hosts[:2]}
    assert play('mw_window.yml', dict(evars, phase='begin')).rc == 0
    raise_change(sim, hosts)
    end = play('mw_window.yml', dict(evars, phase='end'))
    assert end.rc == 0, end
    # the closes and the audit report written; checking, deciding, listing and recording state change nothing
    assert [t[len('TASK ['):].split(' : ')[-1].split(']')[0] for t in changed_tasks(end.output)] == [
        'End | Close the Mackerel alerts the change caused',
        'End | Close or acknowledge the OpsRamp alerts the change caused',
        'End | Record what the writes returned, write the audit (JSON and HTML)']
    assert re.search(r'localhost +: ok=\d+ +changed=3 ', end.output.split('PLAY RECAP')[-1]), end
