# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Log360 modules in scenarios, against the in-process simulator (tests/unit/plugins/conftest.py); the
promises every module keeps are tables in test_module_contract.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest


def test_search_check_mode_submits_nothing(run_module, sim):
    result = run_module('log360_search', {'kind': 'alerts', 'start_time': '-2h', 'severity': 'critical', 'wait': True},
                        check=True)
    assert result['changed'] is True
    assert result['mode'] == 'async'
    assert result['body']['severity'] in ('critical', ['critical'])
    assert result['start_time'].endswith('Z')
    assert 'request_id' not in result
    assert sim.requests() == []
    assert sim.control('log360', 'jobs')['jobs'] == []


def test_search_submits_a_job_and_waits(run_module, sim):
    result = run_module('log360_search', {'kind': 'alerts', 'start_time': '-2h', 'wait': True, 'wait_sleep': 1})
    assert result['changed'] is True
    assert result['mode'] == 'async'
    assert result['job']['request_id'] == result['request_id']
    assert result['job']['stage'] == 'SUCCESS'
    assert result['polls'] >= 1
    assert [j['request_id'] for j in sim.control('log360', 'jobs')['jobs']] == [result['request_id']]
    submits = sim.requests(method='POST')
    assert [s['path'] for s in submits] == ['/api/v2/alerts/async']
    assert json.loads(submits[0]['body'])['query'] == '*'


def test_search_sync_mode_returns_hits_without_a_job(run_module, sim):
    result = run_module('log360_search', {'kind': 'alerts', 'mode': 'sync', 'start_time': '-2h'})
    assert result['changed'] is False
    assert result['mode'] == 'sync'
    assert isinstance(result['hits'], list)
    assert result['pages_fetched'] >= 1
    assert sim.control('log360', 'jobs')['jobs'] == []


def test_job_wait_info_results(run_module, sim, ids):
    waited = run_module('log360_job_wait', {'request_id': ids['{log360_job}'], 'sleep': 1})
    assert waited['changed'] is False
    assert waited['job']['request_id'] == ids['{log360_job}']
    assert waited['job']['stage'] == 'SUCCESS'
    assert waited['job']['total_hits'] == 25
    assert set(['elapsed', 'polls']) <= set(waited)
    listed = run_module('log360_job_info', {})
    assert [j['request_id'] for j in listed['jobs']] == [ids['{log360_job}']]
    one = run_module('log360_job_info', {'request_id': ids['{log360_job}'], 'finished_only': True})
    assert [j['request_id'] for j in one['jobs']] == [ids['{log360_job}']]
    assert run_module('log360_job_info', {'older_than': '1h'})['jobs'] == []
    results = run_module('log360_job_results', {'request_id': ids['{log360_job}']})
    assert results['changed'] is False
    assert len(results['hits']) == 25
    assert results['hits_written'] == 25
    assert results['total_items'] == 25
    assert results['pages_fetched'] == 1
    capped = run_module('log360_job_results', {'request_id': ids['{log360_job}'], 'max_hits': 10})
    assert len(capped['hits']) == 10
    assert sim.writes() == []


@pytest.mark.parametrize('check', [True, False])
def test_job_results_to_a_file(run_module, sim, ids, tmp_path, check):
    dest = str(tmp_path / 'hits.jsonl')
    result = run_module('log360_job_results', {'request_id': ids['{log360_job}'], 'dest': dest, 'format': 'jsonl'}, check=check)
    assert result['changed'] is True
    assert result['dest'] == dest
    assert result['hits_written'] == 25
    assert 'hits' not in result
    assert os.path.exists(dest) is (not check)
    if not check:
        with open(dest) as handle:
            assert len(handle.read().splitlines()) == 25
        assert oct(os.stat(dest).st_mode & 0o777) == '0o600'


def test_job_delete_check_mode_diff_and_rerun(run_module, sim, ids):
    preview = run_module('log360_job', {'request_id': [ids['{log360_job}'], 'GoneJob00001']}, check=True)
    assert preview['changed'] is True
    assert preview['deleted'] == [ids['{log360_job}']]
    assert preview['absent'] == ['GoneJob00001']
    assert [j['request_id'] for j in preview['jobs']] == [ids['{log360_job}']]
    assert 'diff' not in preview
    assert sim.writes() == []
    done = run_module('log360_job', {'request_id': [ids['{log360_job}']]}, diff=True)
    assert done['changed'] is True
    assert done['deleted'] == [ids['{log360_job}']]
    assert [j['request_id'] for j in done['diff']['before']['jobs']] == [ids['{log360_job}']]
    assert done['diff']['after'] == {'jobs': []}
    assert [(w['method'], w['path']) for w in sim.writes()] == [('DELETE', '/api/v2/jobs')]
    assert sim.control('log360', 'jobs')['jobs'] == []
    sim.clear_log()
    again = run_module('log360_job', {'request_id': [ids['{log360_job}']]})
    assert again['changed'] is False
    assert again['deleted'] == []
    assert again['absent'] == [ids['{log360_job}']]
    assert sim.writes() == []


def test_log360_info(run_module, sim):
    result = run_module('log360_info', {'gather': ['product', 'alert_profiles'], 'names': ['*']})
    assert result['changed'] is False
    assert set(['product', 'alert_profiles']) <= set(result)
    assert 'log_sources' not in result
    assert result['alert_profiles']
    assert set(['id', 'name', 'raw']) <= set(result['alert_profiles'][0])
    none = run_module('log360_info', {'gather': ['alert_profiles'], 'names': ['no such profile']})
    assert none['alert_profiles'] == []
    assert sim.writes() == []
