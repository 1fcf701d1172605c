# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 13 acceptance tests: the vendors' exact spellings and encodings, against the simulator's strict variants.

Each test runs real ansible-playbook and then checks what the server received (the simulator's request log).
"""

from __future__ import absolute_import, division, print_function

import collections
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from test_opsramp import epoch, iso, ok  # pylint: disable=import-error

HERE = os.path.dirname(os.path.abspath(__file__))
ACTIONS = r'^/api/v2/tenants/client_7/alerts/\d+/actions/'
SEARCH = r'^/api/v2/tenants/client_7/alerts/search$'
NOT_CLOSED = 'actions:OPEN,ACKNOWLEDGED,SUPPRESSED,TICKETED'


def raw_get(sim, path, token):
    req = urllib.request.Request(sim.url + path, headers={'Authorization': 'Bearer ' + token})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read().decode() or 'null')
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read().decode() or 'null')


def opsramp_token(sim):
    creds = sim.control('opsramp', 'credentials')['env']
    data = urllib.parse.urlencode({'grant_type': 'client_credentials', 'client_id': creds['OPSRAMP_CLIENT_ID'],
                                   'client_secret': creds['OPSRAMP_CLIENT_SECRET']}).encode()
    with urllib.request.urlopen(urllib.request.Request(sim.url + '/tenancy/auth/oauth/token', data=data)) as resp:
        return json.loads(resp.read().decode())['access_token']


# -- OpsRamp: action names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize('names,bad_status', [('current', 400), ('legacy', 400), ('legacy', 404), ('both', 400)])
def test_opsramp_action_names_current_first_legacy_once(sim, play, names, bad_status):
    sim.configure(variants={'opsramp_action_names': names, 'opsramp_bad_action_status': bad_status})
    alerts = sim.control('opsramp', 'alerts')['alerts']
    ids = [a['uniqueId'] for a in alerts if not (a['acknowledged'] or a['suppressed'] or a['closed'])
           and a['currentState'] != 'Ok'][:4]
    heal_supported = names != 'legacy'
    result = play('vendor_opsramp_actions.yml', extra_vars={'ids': ids, 'heal_supported': heal_supported})
    ok(result)
    posts = sim.requests(platform='opsramp', method='POST', path=ACTIONS)
    sent = [(e['path'].rsplit('/', 1)[1], e['status']) for e in posts]
    counts = collections.Counter(sent)
    if names in ('current', 'both'):
        # the current spelling only; nothing else was ever tried
        assert counts == {('acknowledge', 200): 4, ('suppress', 200): 4, ('unAcknowledge', 200): 4,
                          ('unSuppress', 200): 4, ('heal', 200): 4}, counts
    else:
        # one refused request per action and task (the first alert), then the legacy spelling for every alert
        assert counts == {('acknowledge', 200): 4, ('suppress', 200): 4, ('unAcknowledge', bad_status): 1,
                          ('unacknowledge', 200): 4, ('unSuppress', bad_status): 1, ('unsuppress', 200): 4,
                          ('heal', bad_status): 4}, counts   # no legacy spelling: each alert fails clearly
        assert sent[8:10] == [('unAcknowledge', bad_status), ('unacknowledge', 200)]
    state = dict((a['uniqueId'], a) for a in sim.control('opsramp', 'alerts')['alerts'])
    for uid in ids:
        assert not state[uid]['acknowledged'] and not state[uid]['suppressed']
        assert (state[uid]['currentState'] == 'Ok') == heal_supported


# -- OpsRamp: dates inside queryString ----------------------------------------------------------------------------
def test_opsramp_strict_server_splits_every_plus(sim, play):
    """The default simulator splits the decoded queryString on every +: the old +0000 form is refused, ours works."""
    token = opsramp_token(sim)
    old = '/api/v2/tenants/client_7/alerts/175/occurrences?pageSize=100&queryString=endTime:2026-11-01T00:00:00%2B0000'
    status, body = raw_get(sim, old, token)
    assert status == 400 and 'Invalid field: 0000' in json.dumps(body)
    new = '/api/v2/tenants/client_7/alerts/175/occurrences?pageSize=100&queryString=endTime:2099-11-01T00:00:00%200000'
    status, body = raw_get(sim, new, token)
    assert status == 200 and len(body['results']) == 100
    # the lenient reading takes both
    sim.configure(variants={'opsramp_query_plus': 'fields'})
    assert raw_get(sim, old, token)[0] == 200
    sim.configure(variants={'opsramp_query_plus': 'split'})
    # the collection against the strict server: an occurrence walk with both bounds and a dated search
    truth = sim.control('opsramp', 'occurrences?id=175')['occurrences']
    times = [epoch(o['createdTimeString']) for o in truth]
    start, end = times[300], times[50]
    sim.clear_log()
    result = play('opsramp_occurrences.yml', extra_vars={
        'range_start': iso(start), 'range_end': iso(end), 'range_count': len([t for t in times if start <= t <= end])})
    ok(result)
    gets = sim.requests(platform='opsramp', path='/occurrences$')
    assert gets and all(e['status'] == 200 for e in gets)
    assert any('startTime:' in e['raw_query'] and '%200000%2BendTime:' in e['raw_query'] for e in gets)


# -- OpsRamp: open alerts with the filters in the query -----------------------------------------------------------
@pytest.mark.parametrize('actions_open,time_base', [('status', 'updated'), ('not_closed', 'created')])
def test_opsramp_open_alerts_filtered_by_the_server_and_paging_stops(sim, play, actions_open, time_base):
    now = int(time.time())
    for k in range(260):   # three pages of open alerts, some acted on, some closed
        sim.control('opsramp', 'raise', {'device': 'web-%02d' % (k % 9), 'at': now - 600 - k * 300})
    alerts = sim.control('opsramp', 'alerts')['alerts']
    # act on some of them now: their updatedTime moves to now (a server filtering on it would lose them)
    token = opsramp_token(sim)
    for n, alert in enumerate(alerts[10:200:7]):
        action = ('acknowledge', 'suppress', 'close')[n % 3]
        req = urllib.request.Request(sim.url + '/api/v2/tenants/client_7/alerts/%s/actions/%s' % (alert['uniqueId'], action),
                                     data=b'{"description": "test"}', method='POST',
                                     headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})
        urllib.request.urlopen(req).read()
    sim.configure(variants={'opsramp_actions_open': actions_open, 'opsramp_time_base': time_base})
    alerts = sim.control('opsramp', 'alerts')['alerts']      # newest first
    open_ = [a for a in alerts if not a['closed']]
    window_start, window_end = now - 600 - 200 * 300, now - 600 - 20 * 300
    in_window = [a for a in open_ if window_start <= epoch(a['createdDate']) <= window_end]
    assert len(open_) > 200 and len(in_window) > 100 and any(a['acknowledged'] for a in in_window)
    sim.clear_log()
    result = play('vendor_opsramp_lookup.yml', extra_vars={
        'window_start': iso(window_start), 'window_end': iso(window_end),
        'expected_open': [a['uniqueId'] for a in open_], 'expected_open_newest': [a['uniqueId'] for a in open_[:5]],
        'expected_window': [a['uniqueId'] for a in in_window],
        'expected_window_newest': [a['uniqueId'] for a in in_window[:7]]})
    ok(result)
    searches = sim.requests(platform='opsramp', path=SEARCH)
    qs = [e['query']['queryString'][0] for e in searches]
    assert all(e['status'] == 200 for e in searches)
    assert all(NOT_CLOSED in q for q in qs), qs            # closed alerts are never fetched
    plain = [q for q in qs if q == NOT_CLOSED]
    windowed = [q for q in qs if q != NOT_CLOSED]
    # every open alert: ceil(N/100) pages; the newest five: one page
    assert len(plain) == math.ceil(len(open_) / 100.0) + 1, len(plain)
    # the window: ceil(W/100) pages for the lookup, one for the info module's max_items 7
    assert len(windowed) == math.ceil(len(in_window) / 100.0) + 1, len(windowed)
    for q in windowed:
        assert re.match(r'^startDate:\S+ 0000\+endDate:\S+ 0000\+actions:OPEN,ACKNOWLEDGED,SUPPRESSED,TICKETED'
                        r'\+alertTimeBase:created$', q), q
    assert all('+' not in e['raw_query'] for e in searches)


# -- Mackerel ------------------------------------------------------------------------------------------------------
def test_mackerel_api_key_env_name(sim, play):
    key = sim.control('mackerel', 'credentials')['env']['MACKEREL_APIKEY']
    open_count = len([a for a in sim.control('mackerel', 'alerts')['alerts'] if a['status'] != 'OK'])
    sim.clear_log()
    result = play('vendor_mackerel_env.yml', extra_vars={'expected_open': open_count},
                  env={'MACKEREL_APIKEY': None, 'MACKEREL_API_KEY': key})
    ok(result)
    got = sim.requests(platform='mackerel')
    assert got and all(e['headers'].get('x-api-key') == key and e['status'] == 200 for e in got)
    assert key not in result.output
    # without either name the task says which variables it read
    result = play('vendor_mackerel_env.yml', extra_vars={'expected_open': open_count},
                  env={'MACKEREL_APIKEY': None, 'MACKEREL_API_KEY': None})
    assert result.rc != 0 and 'MACKEREL_APIKEY or MACKEREL_API_KEY' in result.output


def test_simulator_banner_names_every_url(tmp_path):
    """A banner line copied into a shell must point at the simulator, never at the real SaaS."""
    port_file = str(tmp_path / 'port.json')
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, '..', 'simulator', 'server.py'), '--port', '0',
                             '--port-file', port_file, '--max-lifetime', '60'], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        lines = []
        deadline = time.time() + 20
        while time.time() < deadline and not any(line.startswith('  opsramp:') for line in lines):
            lines.append(proc.stdout.readline().decode())
        url = json.load(open(port_file))['url']
    finally:
        proc.terminate()
        proc.wait(10)
    banner = ''.join(lines)
    mackerel = [line for line in lines if line.startswith('  mackerel:')][0]
    assert 'MACKEREL_APIBASE=%s ' % url in mackerel and 'MACKEREL_APIKEY=' in mackerel
    assert 'LOG360_URL=%s ' % url in banner and 'OPSRAMP_URL=%s ' % url in banner
    assert 'mackerelio.com' not in banner and '<this url>' not in banner


# -- Log360 --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('meta', ['v2', 'v1_shape', 'v1_only'])
def test_log360_info_and_profile_names_on_every_metadata_shape(sim, play, meta):
    sim.configure(variants={'log360_meta': meta})
    gather = ['alert_profiles', 'log_sources', 'log_types', 'log_fields'] + (['product'] if meta != 'v1_only' else [])
    result = play('vendor_log360_info.yml', extra_vars={'gather_all': gather})
    ok(result)
    got = sim.requests(platform='log360')
    calls = collections.Counter((e['method'], e['path'], e['status']) for e in got)
    # one profile read per task that needs it: everything, by name, search check mode, search, unknown name
    if meta != 'v1_only':
        assert not any(e['path'].startswith('/RestAPI/') for e in got)
        assert calls[('GET', '/api/v2/alerts/profiles', 200)] == 5
        assert calls[('GET', '/api/v2/log-sources', 200)] == 2 and calls[('GET', '/api/v2/meta/product', 200)] == 1
    else:   # the v2 path answers 404 once per task, then the documented v1 call
        assert calls[('GET', '/api/v2/alerts/profiles', 404)] == 5
        assert calls[('POST', '/RestAPI/v1/meta/alert_profiles', 200)] == 5
        assert calls[('GET', '/RestAPI/v1/meta/log_sources', 200)] == 2
        v1_sources = [e['query'] for e in got if e['path'] == '/RestAPI/v1/meta/log_sources']
        assert v1_sources[0] == {'from': ['1'], 'to': ['100']}
    sync = [json.loads(e['body']) for e in got if e['path'] == '/api/v2/alerts' and e['method'] == 'POST']
    assert [b.get('profile_ids') for b in sync] == [['3003', '3001', '3005']]
    assert not [e for e in got if e['path'].endswith('/async')]   # check mode and the unknown name sent no search


@pytest.mark.parametrize('sync_shape', ['v2', 'v1_shape'])
def test_log360_sync_auto_async_and_an_overridden_async_path(sim, play, sync_shape):
    # a server whose async alert path differs from our reading: only the override reaches it
    sim.configure(variants={'log360_sync': sync_shape, 'log360_sync_page_size': 5,
                            'log360_alerts_async_path': '/api/v2/alerts/search/async', 'log360_job_duration': 0.5})
    now = time.time()
    expected = len([a for a in sim.control('log360', 'alerts')['alerts'] if a['time'] >= (now - 7200) * 1000])
    result = play('vendor_log360_modes.yml',
                  extra_vars={'async_path': '/api/v2/alerts/search/async', 'lookup_expected': expected})
    ok(result)
    got = sim.requests(platform='log360')
    sync = [e for e in got if e['path'] == '/api/v2/alerts']
    submits = [e for e in got if e['path'].endswith('/async')]
    assert [e['path'] for e in submits] == ['/api/v2/alerts/search/async'] and submits[0]['status'] == 200
    assert all(e['status'] == 200 for e in sync)
    cursors = [json.loads(e['body']) for e in sync if 'cursor' in json.loads(e['body'])]
    assert cursors and all(set(b) == {'cursor'} for b in cursors)
    # the async job of the large window: submit + polls + result pages + delete; sync: one request per 5 hits
    jobs = [e for e in got if e['path'].startswith('/api/v2/jobs')]
    assert [e['method'] for e in jobs].count('DELETE') == 1 and len(jobs) >= 3


# -- rate limits ---------------------------------------------------------------------------------------------------
def _rate(entries):
    """Requests per second over the run: (n - 1) / (last - first)."""
    times = sorted(e['time'] for e in entries)
    return (len(times) - 1) / (times[-1] - times[0])


def test_log360_paced_under_a_sliding_budget_no_429(sim, play):
    # budget 20 requests in any 10 s = 120/min; rate_limit 120 through module_defaults
    sim.configure(variants={'log360_rate_limit': 20, 'log360_rate_window': 10})
    job = sim.control('log360', 'jobs', {'hits': 24500, 'duration': 0, 'kind': 'logs'})['request_id']
    sim.clear_log()
    result = play('vendor_pacing_log360.yml', extra_vars={'request_id': job, 'rate': 120, 'expected_hits': 24500},
                  env={'ALERTOPS_RATE_LIMIT': None}, verbosity=1)
    ok(result)
    assert result.output.count('(rate_limit 120/min: one request every 0.51 s') >= 20   # at -v, a line per wait
    got = sim.requests(platform='log360')
    assert len(got) == 1 + 25 and all(e['status'] == 200 for e in got), [(e['path'], e['status']) for e in got]
    pages = [int(e['query']['page'][0]) for e in got if e['path'].endswith('/results')]
    assert pages == list(range(1, 26))                                          # every page exactly once
    assert_paced([e['time'] for e in got], 0.5)                                # never a burst (server-side times)
    assert _rate(got) >= 0.9 * 2.0, _rate(got)                                  # and not slower than needed


def test_log360_without_pacing_waits_the_window_after_a_429(sim, play):
    """rate_limit 0: the 7th request in 3 s is refused (429, no Retry-After); the retry waits Log360's 60 s window."""
    sim.configure(variants={'log360_rate_limit': 6, 'log360_rate_window': 3})
    job = sim.control('log360', 'jobs', {'hits': 10000, 'duration': 0, 'kind': 'logs'})['request_id']
    sim.clear_log()
    result = play('vendor_pacing_log360.yml', extra_vars={'request_id': job, 'rate': 0, 'expected_hits': 10000},
                  env={'ALERTOPS_RATE_LIMIT': None})
    ok(result)
    got = sim.requests(platform='log360')
    assert [e['status'] for e in got].count(429) == 1
    refused = [i for i, e in enumerate(got) if e['status'] == 429][0]
    assert got[refused + 1]['time'] - got[refused]['time'] >= 60 - 0.5      # never an immediate retry
    assert got[refused + 1]['path'] == got[refused]['path'] and got[refused + 1]['status'] == 200
    pages = [int(e['query']['page'][0]) for e in got if e['path'].endswith('/results') and e['status'] == 200]
    assert pages == list(range(1, 11))
    assert 'HTTP 429 without Retry-After: the 60 s rate window' in result.output   # a long wait is a warning


def test_retry_after_of_an_hour_fails_at_once_within_the_budget(sim, play):
    job = sim.control('log360', 'jobs', {'hits': 3000, 'duration': 0, 'kind': 'logs'})['request_id']
    sim.configure(faults={'retry_after': '3600', 'script': [
        {'platform': 'log360', 'method': 'GET', 'path': '/results$', 'fault': '429', 'count': 1}]})
    started = time.time()
    result = play('vendor_pacing_log360.yml', extra_vars={'request_id': job, 'rate': 0, 'expect_failure': True},
                  env={'ALERTOPS_RATE_LIMIT': None})
    ok(result)
    assert time.time() - started < 30                                            # it did not sleep
    got = sim.requests(platform='log360', path='/results$')
    assert [e['status'] for e in got] == [429]                                   # and did not retry at once


@pytest.mark.parametrize('reset_form', ['epoch', 'delay'])
def test_opsramp_paces_from_the_rate_limit_headers(sim, play, reset_form):
    sim.control('opsramp', 'seed_occurrences', {'alert_id': '176', 'count': 2000, 'ties': 'none', 'spacing': [1, 3]})
    sim.configure(variants={'opsramp_rate_limit': 8, 'opsramp_rate_window': 2, 'opsramp_reset_form': reset_form})
    sim.clear_log()
    result = play('vendor_pacing_opsramp.yml', extra_vars={'alert_id': '176', 'expected': 2000})
    ok(result)
    got = sim.requests(platform='opsramp', path='/occurrences$')
    # 2000 occurrences, 100 a page, 8 requests per 2 s allowed: paced from Remaining/Reset alone, never refused
    assert len(got) >= 20 and all(e['status'] == 200 for e in got), [e['status'] for e in got]
    times = [e['time'] for e in got]
    assert times[-1] - times[0] >= (len(got) // 8 - 1) * 2 - 0.5   # it did wait for the resets


def test_lookup_takes_rate_limit_and_stays_under_the_budget(sim, play):
    # 36 alerts, 2 a page: 18 synchronous requests, rate_limit 120/min under a budget of 5 requests in any 2 s
    sim.configure(variants={'log360_rate_limit': 5, 'log360_rate_window': 2, 'log360_sync_page_size': 2})
    expected = len(sim.control('log360', 'alerts')['alerts'])
    sim.clear_log()
    result = play('vendor_pacing_lookup.yml', extra_vars={'expected': expected}, env={'ALERTOPS_RATE_LIMIT': None})
    ok(result)
    got = sim.requests(platform='log360')
    assert len(got) == expected // 2 and all(e['status'] == 200 for e in got), [e['status'] for e in got]
    assert_paced([e['time'] for e in got], 0.5)


def assert_paced(times, interval):
    """Requests the server saw were sent one every ``interval`` seconds: on average over the whole run (the client's
    pacing), and never two at once. A single gap is not held to ``interval``: the server stamps a request when it
    handles it, and on a loaded machine one late stamp shortens the next gap although the client paced it."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) >= 3, times
    assert (times[-1] - times[0]) / len(gaps) >= interval - 0.02, gaps
    assert min(gaps) >= interval / 2, gaps


def test_mackerel_bulk_writes_paced_through_the_all_group(sim, play):
    # at most 4 requests in any 2 s (120/min); rate_limit 100/min from module_defaults group/alertops.core.all
    ids = [a['id'] for a in sim.control('mackerel', 'alerts')['alerts'] if a['status'] != 'OK'][:8]
    sim.configure(variants={'mackerel_rate_limit': 4, 'mackerel_rate_window': 2})
    sim.clear_log()
    result = play('vendor_pacing_mackerel.yml', extra_vars={'ids': ids}, env={'ALERTOPS_RATE_LIMIT': None})
    ok(result)
    got = sim.requests(platform='mackerel')
    assert all(e['status'] == 200 for e in got), [e['status'] for e in got]
    closes = [e['path'].split('/')[4] for e in got if e['method'] == 'POST']
    assert sorted(closes) == sorted(ids)                                     # each closed exactly once
    assert_paced([e['time'] for e in got], 0.6)                               # 8 threads, still one at a time
    state = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    assert all(state[i]['status'] == 'OK' and state[i]['reason'] == 'CHG-9: paced' for i in ids)


@pytest.mark.parametrize('records,type_id', [('log360', 'windows'), ('ela', '20')])
def test_log360_v1_metadata_records_and_product_details(sim, play, records, type_id):
    sim.configure(variants={'log360_meta': 'v1_only', 'log360_v1_records': records})
    ok(play('vendor_log360_v1_meta.yml', extra_vars={'expected_type_id': type_id}))
    calls = collections.Counter((e['method'], e['path'], e['status']) for e in sim.requests(platform='log360'))
    assert calls[('GET', '/api/v2/meta/product', 404)] == 1
    assert calls[('GET', '/RestAPI/v1/product/details', 200)] == 1
