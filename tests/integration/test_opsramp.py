# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpsRamp acceptance tests: real ansible-playbook runs against the simulator.

Each test runs one playbook grouping many checks (its assert task checks what the modules returned); the test
then checks what the server received (the simulator's request log) and what the user saw.
"""

from __future__ import absolute_import, division, print_function

import calendar
import collections
import json
import os
import threading
import time
import urllib.parse
import urllib.request

import re

import pytest

OCCURRENCES = r'^/api/v2/tenants/client_7/alerts/\d+/occurrences$'
ACTIONS = r'^/api/v2/tenants/client_7/alerts/\d+/actions/'
TOKEN = r'/oauth/token$'


def ok(result):
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result
    assert 'MODULE FAILURE' not in result.output, result


def epoch(text):
    return calendar.timegm(time.strptime(text[:19], '%Y-%m-%dT%H:%M:%S'))


def iso(seconds):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(seconds))


def key(occ):
    return (occ['createdTimeString'], occ['subject'], occ['description'])


def output(result, name):
    tmp = result.cmd[result.cmd.index('-e') + 1][1:]
    with open(os.path.join(os.path.dirname(tmp), name)) as handle:
        return json.load(handle)


@pytest.mark.parametrize('endtime,enddate', [('inclusive', 'last'), ('exclusive', 'skewed')])
def test_occurrences_exactly_once_under_both_endtime_semantics(sim, play, endtime, enddate):
    sim.configure(variants={'opsramp_endtime': endtime, 'opsramp_enddate': enddate})
    truth = sim.control('opsramp', 'occurrences?id=175')['occurrences']
    assert len(truth) == 430
    times = [epoch(o['createdTimeString']) for o in truth]
    assert max(collections.Counter(times).values()) >= 40       # the seed really has big tie groups
    start, end = times[335], times[100]                          # both bounds inside tie groups
    in_range = [o for o, t in zip(truth, times) if start <= t <= end]
    result = play('opsramp_occurrences.yml', extra_vars={'range_start': iso(start), 'range_end': iso(end),
                                                         'range_count': len(in_range)})
    ok(result)
    got = output(result, 'occurrences.json')
    assert collections.Counter(map(key, got['all'])) == collections.Counter(map(key, truth))
    assert collections.Counter(map(key, got['ranged'])) == collections.Counter(map(key, in_range))
    assert [key(o) for o in got['newest']] == [key(o) for o in got['all'][:150]]
    gets = sim.requests(platform='opsramp', method='GET', path=OCCURRENCES)
    for entry in gets:
        assert entry['status'] == 200 and entry['query']['pageSize'] == ['100']
        qs = entry['query'].get('queryString', [''])[0]
        # the documented space form, the space sent as %20 and the separator as %2B: no literal + on the wire
        assert '+' not in entry['raw_query'] and '+0000' not in qs
        assert qs == '' or re.match(r'^(startTime:\S+ 0000\+)?endTime:\S+ 0000$', qs), qs
    # 430 rows: 5 pages at least; ties and learning the endTime semantics cost at most a few more
    assert len(gets) <= 7 + 4 + 2, [e['query'] for e in gets]
    assert len(sim.requests(platform='opsramp', path=TOKEN)) == 3   # one token per module run


def test_search_all_by_query_and_get(sim, play):
    now = int(time.time())
    for k in range(120):
        sim.control('opsramp', 'raise', {'device': 'web-%02d' % (k % 7), 'state': ('Critical', 'Warning', 'Info')[k % 3],
                                         'at': now - 30 - k * 60})
    before = sim.control('opsramp', 'alerts')['alerts']
    assert len(before) > 100
    sim.configure(variants={'opsramp_search_live': True})   # the list shifts between pages
    result = play('opsramp_search.yml', extra_vars={'expected_total': len(before)})
    ok(result)
    got = output(result, 'search.json')
    assert set(got['all']) == set(a['uniqueId'] for a in before)
    after = dict((a['uniqueId'], a) for a in sim.control('opsramp', 'alerts')['alerts'])
    for uid in got['open_crit']:
        assert after[uid]['currentState'] in ('Critical', 'Warning') and not after[uid]['closed']
    # the strict default reading of actions:OPEN: alerts nobody acted on
    assert set(a['uniqueId'] for a in before if a['currentState'] in ('Critical', 'Warning')
               and not (a['closed'] or a['acknowledged'] or a['suppressed'] or a['ticketed'])) <= set(got['open_crit'])
    recent = set(got['recent'])
    assert set(a['uniqueId'] for a in before if epoch(a['createdDate']) >= now - 3600 + 60) <= recent
    assert recent <= set(a['uniqueId'] for a in after.values() if epoch(a['createdDate']) >= now - 3600)
    searches = sim.requests(platform='opsramp', path='/alerts/search$')
    qs = [e['query'].get('queryString', [''])[0] for e in searches]
    assert 'states:Critical,Warning+actions:OPEN' in qs
    assert any(re.match(r'^startDate:\S+ 0000\+alertTimeBase:created$', q) for q in qs), qs
    assert all('+' not in e['raw_query'] for e in searches)
    assert all(e['query']['pageNo'] for e in searches)


@pytest.mark.parametrize('response,closed_action', [('empty', 'error'), ('alert', 'ok')])
def test_every_action_idempotent(sim, play, response, closed_action):
    sim.configure(variants={'opsramp_action_response': response, 'opsramp_closed_action': closed_action})
    alerts = sim.control('opsramp', 'alerts')['alerts']
    plain = [a['uniqueId'] for a in alerts if not (a['acknowledged'] or a['suppressed'] or a['closed'])]
    open_ids, other_open = plain[:5], plain[5]
    result = play('opsramp_actions.yml', extra_vars={'open_ids': open_ids, 'other_open': other_open})
    ok(result)
    posts = sim.requests(platform='opsramp', method='POST', path=ACTIONS)
    counts = collections.Counter(e['path'].rsplit('/', 1)[1] for e in posts)
    # one POST per alert per real change; repeats, check mode and the closed alert sent none
    assert counts == {'acknowledge': 6, 'unAcknowledge': 5, 'suppress': 5, 'unSuppress': 5, 'close': 5}, counts
    assert all(e['status'] == 200 for e in posts)
    suppress = [json.loads(e['body']) for e in posts if e['path'].endswith('/suppress')]
    assert suppress[0] == {'description': 'CHG-42: noisy', 'snoozeDuration': 30}
    state = dict((a['uniqueId'], a) for a in sim.control('opsramp', 'alerts')['alerts'])
    assert all(state[i]['closed'] and state[i]['lastActionDescription'] == 'CHG-42: done' for i in open_ids)
    assert state[other_open]['acknowledged'] and not state[other_open]['closed']


def test_token_expiry_mid_run_and_429_bursts(sim, play):
    sim.control('opsramp', 'seed_occurrences', {'alert_id': '176', 'count': 10000, 'ties': 'default', 'spacing': [1, 3]})
    sim.configure(variants={'opsramp_latency': 0.01, 'opsramp_expires_in': 'string'},
                  faults={'burst_429': 13, 'burst_429_length': 2, 'retry_after': '0', 'platforms': ['opsramp']})
    box = {}
    runner = threading.Thread(target=lambda: box.update(result=play('opsramp_token.yml')))
    runner.start()
    deadline = time.time() + 60
    while len(sim.requests(platform='opsramp', path=OCCURRENCES)) < 20 and time.time() < deadline:
        time.sleep(0.1)
    sim.advance(7300)   # past the token's life, while the module is paging
    runner.join(120)
    result = box['result']
    ok(result)
    assert output(result, 'big.json') == {'count': 10000, 'unique': 10000}
    gets = sim.requests(platform='opsramp', path=OCCURRENCES)
    assert [e['status'] for e in gets].count(401) == 1               # one 401, one refresh, one retry
    assert len(sim.control('opsramp', 'issued_tokens')['tokens']) == 2
    assert any(e['status'] == 429 for e in gets)
    assert len([e for e in gets if e['status'] == 200]) <= 10000 // 99 + 12


def test_rate_limit_budget_and_legacy_token_path(sim, play):
    sim.configure(variants={'opsramp_rate_limit': 4, 'opsramp_rate_window': 1, 'opsramp_token_paths': 'legacy'})
    result = play('opsramp_budget.yml')
    ok(result)
    api = sim.requests(platform='opsramp', path='^/api/')
    # paced from X-RateLimit-Remaining / -Reset (module_utils/pacing.py): the budget holds, nothing is refused
    assert [e for e in api if e['status'] == 429] == []
    assert api[-1]['time'] - api[0]['time'] >= (len(api) // 4 - 1) * 1 - 0.5
    tokens = sim.requests(platform='opsramp', path=TOKEN)
    assert [(e['path'], e['status']) for e in tokens] == [('/tenancy/auth/oauth/token', 404), ('/auth/oauth/token', 200)] * 2


def test_bad_input_faults_and_no_secret_in_output(sim, play):
    sim.configure(variants={'opsramp_auth_echo': True}, faults={'script': [
        {'platform': 'opsramp', 'method': 'GET', 'path': '/alerts/103$', 'fault': 'html', 'count': 1},
        {'platform': 'opsramp', 'method': 'POST', 'path': '/alerts/101/actions/', 'fault': 'drop_after', 'count': 1},
        {'platform': 'opsramp', 'method': 'POST', 'path': '/alerts/102/actions/', 'fault': '503', 'count': 1},
    ]})
    creds = sim.control('opsramp', 'credentials')
    wrong_secret = 'wrongSecretValue-5f1e9d27c3b84a60'
    wrong_token = 'deadbeefcafe0123456789abcdef0123'
    good_token = json.loads(urllib.request.urlopen(urllib.request.Request(
        sim.url + '/tenancy/auth/oauth/token', method='POST', data=urllib.parse.urlencode({
            'grant_type': 'client_credentials', 'client_id': creds['env']['OPSRAMP_CLIENT_ID'],
            'client_secret': creds['env']['OPSRAMP_CLIENT_SECRET']}).encode())).read().decode())['access_token']
    result = play('opsramp_errors.yml', verbosity=4, extra_vars={
        'wrong_secret': wrong_secret, 'wrong_token': wrong_token, 'read_client': creds['clients']['read'],
        'good_token': good_token})
    ok(result)
    static = [e for e in sim.requests(platform='opsramp', path='/alerts/175$')
              if e['headers'].get('authorization') == 'Bearer ' + good_token]
    assert len(static) == 1 and static[0]['status'] == 200
    # the server did echo them
    token_errors = [e for e in sim.requests(platform='opsramp', path=TOKEN) if e['status'] == 401]
    assert token_errors
    secrets = [wrong_secret, wrong_token, good_token] + [c['client_secret'] for c in creds['clients'].values()]
    secrets += sim.control('opsramp', 'issued_tokens')['tokens']
    assert len(secrets) >= 6
    for secret in secrets:
        assert result.output.count(secret) == 0, secret
    assert '********' in result.output
    posts = sim.requests(platform='opsramp', method='POST', path=ACTIONS)
    by_alert = collections.Counter(e['path'].split('/')[6] for e in posts)
    assert by_alert == {'175': 1, '101': 1, '102': 2}, by_alert   # 403 once then stop; drop not repeated; 503 retried
    assert [e['status'] for e in posts if '/175/' in e['path']] == [403]


SM = '/scheduleMaintenances'


@pytest.mark.parametrize('variants,time_basis,offset', [
    ({}, 'local', '+0530'),
    ({'opsramp_sm_answer_offset': 'utc'}, 'local', '+0000'),
    ({'opsramp_sm_time': 'gmt', 'opsramp_sm_escalate_key': 'runEscalationAction'}, 'gmt', '+0530'),
    ({'opsramp_sm_time': 'gmt', 'opsramp_sm_answer_offset': 'utc'}, 'gmt', '+0000'),
])
def test_maintenance_zone_offsets_suspend_rules_and_pending_windows(sim, play, variants, time_basis, offset):
    sim.configure(variants=variants)
    sim.clear_log()
    result = play('vendor_opsramp_maintenance.yml', extra_vars={'time_basis': time_basis, 'expected_offset': offset})
    ok(result)
    log = [r for r in sim.requests(platform='opsramp') if SM in r['path']]
    suspends = [r for r in log if r['path'].endswith('/suspend')]
    assert len(suspends) == 1, suspends            # the Active window only; none for the Pending one
    assert json.loads(suspends[0]['body']) == {'pattern': 'now'} and suspends[0]['status'] == 200
    assert all(r['status'] in (200, 404) for r in log if r['method'] != 'GET'), [(r['path'], r['status']) for r in log]
    creates = [json.loads(r['body']) for r in log if r['method'] == 'POST' and r['path'].endswith(SM)]
    assert creates[0]['runEscalationAction'] is False
    # the search's queryString sent like the alert search's: the space as %20, no literal + on the wire
    searches = [r for r in log if r['path'].endswith('/search')]
    assert searches and all('+' not in r['raw_query'] and '%20' in r['raw_query'] for r in searches)
    windows = sim.control('opsramp', 'maintenances')['maintenances']
    expected = [('CHG-21 active window', 'Suspended'), ('CHG-21 ended', 'Completed')]
    assert sorted((w['name'], w['_status']) for w in windows) == expected
