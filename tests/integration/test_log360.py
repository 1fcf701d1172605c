# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Log360 / EventLog Analyzer acceptance tests: real ansible-playbook runs against the simulator.

Each test runs one playbook that groups many checks (its assert task checks what the modules returned);
the test then checks what the server received (the simulator's request log) and what the user saw.
"""

from __future__ import absolute_import, division, print_function

import calendar
import csv
import json
import math
import os
import time

import pytest

ASYNC_ALERTS = '^/api/v2/alerts/async$'
ASYNC_SEARCH = '^/api/v2/search/async$'
JOBS = '^/api/v2/jobs$'
RESULTS = '^/api/v2/jobs/results$'


def ok(result):
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result
    assert 'MODULE FAILURE' not in result.output, result


def new_job(sim, **kwargs):
    return sim.control('log360', 'jobs', kwargs)['request_id']


def for_job(entries, request_id):
    return [e for e in entries if e['query'].get('request_id') == [request_id]]


@pytest.mark.parametrize('shape', ['nested', 'flat'])
def test_search_both_kinds(sim, play, shape):
    sim.configure(variants={'log360_submit_shape': shape})
    start = time.time() - 6 * 3600
    result = play('log360_search.yml', extra_vars={
        'iso_start': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(start)), 'epoch_end': str(int(time.time() * 1000))})
    ok(result)
    alerts = sim.requests(platform='log360', method='POST', path=ASYNC_ALERTS)
    logs = sim.requests(platform='log360', method='POST', path=ASYNC_SEARCH)
    assert len(alerts) == 2 and len(logs) == 1   # check mode and the removed time_format sent nothing
    assert [e['status'] for e in alerts] == [200, 200]
    bodies = [json.loads(e['body']) for e in alerts + logs]
    for body in bodies:
        assert set(body) >= {'start_time', 'end_time'} and 'from' not in body and 'to' not in body
        assert body['start_time'].endswith('Z')
    assert bodies[0]['severity'] == 'critical' and bodies[0]['query'] == '*'
    assert bodies[1]['profile_ids'] == ['3001', '3002'] and bodies[1]['status'] == 'open' and bodies[1]['query'] == 'Failed'
    assert abs(calendar.timegm(time.strptime(bodies[1]['start_time'][:19], '%Y-%m-%dT%H:%M:%S')) - start) < 2
    assert bodies[2]['log_types'] == ['Windows'] and bodies[2]['log_source_ids'] == ['1', '2']
    assert 'severity' not in bodies[2]
    token = sim.control('log360', 'credentials')['env']['LOG360_TOKEN']
    assert all(e['headers']['authorization'] == 'Bearer ' + token for e in alerts + logs)


@pytest.mark.parametrize('jobs_shape,unknown', [('v2', '404'), ('v1', 'empty')])
def test_wait_and_info(sim, play, jobs_shape, unknown):
    sim.configure(variants={'log360_jobs_shape': jobs_shape, 'log360_unknown_job': unknown})
    ids = {'job_ok': new_job(sim, hits=1500, duration=5),
           'job_failed': new_job(sim, hits=800, duration=1, fail=True),
           'job_long': new_job(sim, hits=100, duration=600)}
    result = play('log360_wait.yml', extra_vars=ids)
    ok(result)
    polls = for_job(sim.requests(platform='log360', method='GET', path=JOBS), ids['job_ok'])[:-1]  # last: job_info
    assert 2 <= len(polls) <= 6   # 1 s, then doubling, capped by sleep
    gaps = [b['time'] - a['time'] for a, b in zip(polls, polls[1:])]
    # at least the first 1 s sleep, at most the 2 s cap plus request time: uncapped doubling (1, 2, 4 s) fails it, a
    # loaded machine (a poll taking a second) does not
    assert all(0.95 <= g < 3.5 for g in gaps), gaps
    assert not sim.requests(platform='log360', method='DELETE')


@pytest.mark.parametrize('last_page,running', [('absent', 'error'), ('null', 'partial'), ('next', 'error')])
def test_results(sim, play, last_page, running, tmp_path):
    sim.configure(variants={'log360_last_page': last_page, 'log360_results_running': running}, faults={'script': [
        {'platform': 'log360', 'method': 'GET', 'path': RESULTS, 'fault': 'truncated', 'count': 1}]})
    ids = dict((name, new_job(sim, hits=2500)) for name in ('job_broken', 'job_all', 'job_page', 'job_max', 'job_file'))
    ids['job_running'] = new_job(sim, hits=2500, duration=600)
    ids['job_failed'] = new_job(sim, hits=2500, fail=True)
    result = play('log360_results.yml', extra_vars=ids)
    ok(result)
    log = sim.requests(platform='log360', method='GET', path=RESULTS)
    assert [e['fault'] for e in for_job(log, ids['job_broken'])] == ['truncated']   # not retried, nothing half written
    assert len(for_job(log, ids['job_all'])) == math.ceil(2500 / 1000.0)   # exactly ceil(N/1000), whatever next_page says
    assert [e['query']['page'] for e in for_job(log, ids['job_all'])] == [['1'], ['2'], ['3']]
    assert [e['query'].get('page') for e in for_job(log, ids['job_page'])] == [['2']]
    assert for_job(log, ids['job_page'])[0]['query']['response_type'] == ['client']
    assert len(for_job(log, ids['job_max'])) == 2
    assert len(for_job(log, ids['job_file'])) == 6 * 3   # three formats, twice
    assert not for_job(log, ids['job_running']) and not for_job(log, ids['job_failed'])   # the stage is checked first
    out = result_dir(result)
    lines = open(os.path.join(out, 'hits.jsonl')).read().splitlines()
    assert len(lines) == 2500 and json.loads(lines[0])['Device']
    assert json.load(open(os.path.join(out, 'hits.json'))) == [json.loads(line) for line in lines]
    rows = list(csv.DictReader(open(os.path.join(out, 'hits.csv'))))
    assert len(rows) == 2500 and rows[0]['UUID'] == json.loads(lines[0])['UUID']
    assert not os.path.exists(os.path.join(out, 'running.jsonl'))
    assert not [f for f in os.listdir(out) if f.endswith('.tmp')]


def result_dir(result):
    """The playbook's output_dir (the play fixture's tmp_path) from its vars file argument."""
    vars_file = result.cmd[result.cmd.index('-e') + 1][1:]
    return json.load(open(vars_file))['output_dir']


@pytest.mark.parametrize('unknown', ['404', 'empty'])
def test_delete(sim, play, unknown):
    sim.configure(variants={'log360_unknown_job': unknown}, faults={'retry_after': '1', 'script': [
        {'platform': 'log360', 'method': 'GET', 'path': JOBS, 'fault': '503', 'count': 1}]})
    ids = dict((name, new_job(sim, hits=10)) for name in ('job_one', 'job_two', 'job_three'))
    result = play('log360_delete.yml', extra_vars=ids)
    ok(result)
    log = sim.requests(platform='log360')
    deletes = [e for e in log if e['method'] == 'DELETE']
    # each job deleted exactly once; the check-mode task (first) only read job_one
    assert sorted(e['query']['request_id'][0] for e in deletes) == sorted(ids.values())
    reads_one = [e for e in for_job(log, ids['job_one']) if e['method'] == 'GET']
    assert reads_one[0]['status'] == 503 and reads_one[1]['time'] - reads_one[0]['time'] >= 0.95   # Retry-After: 1
    assert len([e for e in reads_one if e['seq'] < deletes[0]['seq']]) == 3   # 503 + check-mode read + real read
    assert ids['job_one'] in result.output


def test_errors_are_clear_and_never_show_the_token(sim, play):
    creds = sim.control('log360', 'credentials')
    job_old = new_job(sim, hits=10)
    sim.advance(24 * 3600 + 60)
    job_fresh = new_job(sim, hits=10)
    sim.configure(variants={'log360_echo_token': True}, faults={'script': [
        {'platform': 'log360', 'method': 'POST', 'path': ASYNC_ALERTS, 'fault': 'truncated', 'count': 1},
        {'platform': 'log360', 'method': 'GET', 'path': JOBS, 'fault': 'html', 'count': 1}]})
    result = play('log360_errors.yml', extra_vars={'tokens': creds['tokens'], 'job_old': job_old, 'job_fresh': job_fresh},
                  verbosity=4)
    ok(result)
    assert '-vvvv' in ' '.join(result.cmd) or 'ESTABLISH LOCAL CONNECTION' in result.output
    for token in creds['tokens'].values():   # the server echoed the presented token in its 401/403 details
        assert token not in result.output
    assert 'scope jobs.DELETE' in result.output and '********' in result.output
    # bad input was refused before anything was sent: only submits with valid input reached the server
    submits = sim.requests(platform='log360', method='POST')
    assert [e['status'] for e in submits] == [200, 403, 403]   # truncated answer, no alerts.READ, no search.READ
    assert [e['status'] for e in sim.requests(platform='log360', method='DELETE')] == [403]


def test_complete_results_through_faults(sim, play):
    sim.control('log360', 'job_profile', {'hits': 5000, 'duration': 1})
    sim.configure(faults={'rate_503': 0.15, 'rate_429': 0.1, 'rate_drop_before': 0.05, 'rate_drop_after': 0.05,
                          'retry_after': '0', 'methods': ['GET', 'DELETE'], 'platforms': ['log360'], 'script': [
                              {'platform': 'log360', 'method': 'POST', 'fault': '503', 'count': 1},
                              {'platform': 'log360', 'method': 'POST', 'fault': '429', 'count': 1},
                              {'platform': 'log360', 'method': 'GET', 'path': RESULTS, 'fault': 'drop_after', 'count': 1}]})
    result = play('log360_faults.yml', env={'ALERTOPS_RETRIES': '10'})
    ok(result)
    log = sim.requests(platform='log360')
    faults = [e['fault'] for e in log if e['fault']]
    assert {'503', '429', 'drop_after'} <= set(faults), faults
    posts = sim.requests(platform='log360', method='POST')
    assert [e['status'] for e in posts] == [503, 429, 200]   # a write is re-sent only when it certainly did not happen
    results = [e for e in sim.requests(platform='log360', method='GET', path=RESULTS) if not e['fault']]
    assert sorted(int(e['query']['page'][0]) for e in results) == [1, 2, 3, 4, 5]
