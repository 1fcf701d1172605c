# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""log360_search collect=true: the whole read in one task (what the alert_report and maintenance_window roles use),
against the in-process simulator (tests/unit/plugins/conftest.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import time

import pytest


def raise_alerts(sim, count=3):
    # one a second from ``at``: all in the past of the module's "now"
    sim.control('log360', 'raise', {'count': count, 'severity': 'trouble', 'device': 'app-7', 'at': time.time() - 120})


def paths(sim, method=None):
    return [e['path'] for e in sim.requests(platform='log360', method=method)]


def test_collect_async_reads_every_hit_and_deletes_the_job(run_module, sim):
    raise_alerts(sim)
    result = run_module('log360_search', {'start_time': '-1d', 'query': 'app-7', 'collect': True, 'wait_sleep': 1, 'normalise': True})
    assert result['changed'] is False and result['mode'] == 'async'
    assert result['hits_written'] == len(result['hits']) == 3
    assert [(h['platform'], h['source'], h['severity']) for h in result['hits']] == [('log360', 'app-7', 'warning')] * 3
    assert result['job']['stage'] == 'SUCCESS' and result['job']['request_id'] == result['request_id']
    assert result['pages_fetched'] == 1 and result['total_items'] == 3
    assert paths(sim, 'POST') == ['/api/v2/alerts/async']
    assert paths(sim, 'DELETE') == ['/api/v2/jobs']
    assert sim.control('log360', 'jobs')['jobs'] == []


def test_collect_sync_needs_no_job(run_module, sim):
    raise_alerts(sim, 2)
    result = run_module('log360_search', {'start_time': '-1h', 'query': 'app-7', 'collect': True, 'mode': 'auto'})
    assert result['mode'] == 'sync' and result['changed'] is False
    assert result['hits_written'] == 2 and 'request_id' not in result and 'job' not in result
    assert paths(sim, 'POST') == ['/api/v2/alerts'] and paths(sim, 'DELETE') == []


def test_collect_streams_to_dest_once(run_module, sim, tmp_path):
    raise_alerts(sim)
    dest = str(tmp_path / 'hits.jsonl')
    args = {'start_time': '-1d', 'query': 'app-7', 'collect': True, 'wait_sleep': 1, 'normalise': True, 'dest': dest}
    result = run_module('log360_search', args)
    assert result['changed'] is True and result['dest'] == dest and result['hits_written'] == 3 and 'hits' not in result
    lines = [json.loads(line) for line in open(dest).read().splitlines()]
    assert [a['source'] for a in lines] == ['app-7'] * 3
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert sim.control('log360', 'jobs')['jobs'] == []


def test_collect_deletes_the_job_when_the_wait_fails(run_module, sim):
    sim.configure(variants={'log360_job_fail': True})
    result = run_module('log360_search', {'start_time': '-1d', 'collect': True, 'wait_sleep': 1})
    assert result['failed'] is True and 'FAILED' in result['msg'] and result['msg'].startswith('log360')
    assert paths(sim, 'DELETE') == ['/api/v2/jobs']
    assert sim.control('log360', 'jobs')['jobs'] == []


def test_collect_in_check_mode_sends_nothing(run_module, sim, tmp_path):
    result = run_module('log360_search', {'collect': True, 'dest': str(tmp_path / 'x.jsonl')}, check=True)
    assert result['changed'] is True and result['mode'] == 'async' and 'request_id' not in result
    result = run_module('log360_search', {'collect': True}, check=True)
    assert result['changed'] is False
    assert sim.requests() == [] and not os.path.exists(str(tmp_path / 'x.jsonl'))


@pytest.mark.parametrize('args,message', [
    ({'dest': '/tmp/x.jsonl'}, 'option dest applies with collect=true only'),
    ({'normalise': True}, 'option normalise applies with collect=true only'),
    ({'collect': True, 'dest': '/nonexistent-dir/x.jsonl'}, 'option dest: the directory /nonexistent-dir does not exist'),
    ({'collect': True, 'wait_sleep': 0}, 'option wait_sleep must be positive, got 0'),
])
def test_collect_bad_input_fails_before_anything_is_sent(run_module, sim, args, message):
    result = run_module('log360_search', args)
    assert result['failed'] is True and message in result['msg']
    assert sim.requests() == []
