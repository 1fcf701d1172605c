# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module promises (docs/DEVELOPING.md "Standards"), one table per promise, against the in-process
simulator (tests/unit/plugins/conftest.py): bad input fails naming the option before anything is sent and never with
a traceback; the collection's messages name the platform; check mode sends no write and reports the change; a rerun
changes nothing; diff only in diff mode; a bad credential fails with the platform and the HTTP status, no secret."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

MK_OPEN, MK_CLOSED, MK_HOST = '{mackerel_open}', '{mackerel_closed}', '{mackerel_host}'
OR_OPEN, OR_CLOSED = '{opsramp_open}', '{opsramp_closed}'
JOB = '{log360_job}'


def platform_of(module):
    return module.split('_')[0]


# AnsibleModule's own argument spec messages (mutually_exclusive, required_if, choices ...) cannot name the platform
ARGSPEC_MESSAGE = re.compile(r'^(value of |missing required arguments|parameters are mutually exclusive|one of the following'
                             r'|parameters are required together|Unsupported parameters|argument |elements value'
                             r'|\S+ is \S+ but (all|any) of the following are missing)')

BAD_INPUT = [
    ('mackerel_alert', {}, 'nothing to do: set state=closed'),
    ('mackerel_alert', {'id': ['x1'], 'state': 'closed'}, 'option reason is required'),
    ('mackerel_alert', {'id': ['x1'], 'state': 'closed', 'reason': '  '}, 'option reason is required'),
    ('mackerel_alert', {'id': [], 'memo': 'm'}, 'option id is an empty list'),
    ('mackerel_alert', {'id': ['x1'], 'memo': 'm', 'status': ['CRITICAL']}, 'option id is mutually exclusive with status'),
    ('mackerel_alert', {'id': ['x1'], 'memo': 'm', 'all_alerts': True}, 'option id is mutually exclusive with all_alerts'),
    ('mackerel_alert', {'memo': 'm'}, 'select alerts with id, with a filter'),
    ('mackerel_alert', {'id': ['x1'], 'memo': 'm', 'read_first': False}, 'option read_first=false applies to'),
    ('mackerel_alert', {'id': ['../x'], 'memo': 'm'}, 'option id'),
    ('mackerel_alert', {'id': ['x1'], 'memo': 'm', 'limit': 101}, 'option limit must be between 1 and 100'),
    ('mackerel_alert', {'id': ['x1'], 'memo': 'm', 'concurrency': 0}, 'option concurrency must be between 1'),
    ('mackerel_alert', {'id': ['x1'], 'memo': 'm' * 90000}, 'option memo is 90000 bytes'),
    ('mackerel_alert', {'all_alerts': True, 'memo': 'm', 'opened_after': 'yesterday'}, 'option opened_after'),
    ('mackerel_alert', {'id': ['x1'], 'state': 'open'}, 'value of state must be one of: closed'),
    ('mackerel_alert_info', {'limit': 0}, 'option limit must be between 1 and 100'),
    ('mackerel_alert_info', {'max_items': 0}, 'option max_items'),
    ('mackerel_alert_info', {'concurrency': 1000}, 'option concurrency must be between 1'),
    ('mackerel_alert_info', {'status': ['BOGUS']}, 'option status'),
    ('mackerel_alert_info', {'type': ['nonsense']}, 'option type'),
    ('mackerel_alert_info', {'opened_before': 'tomorrow-ish'}, 'option opened_before'),
    ('mackerel_alert_info', {'id': 'nosuchalert1'}, 'option id: no such alert nosuchalert1'),
    ('mackerel_host', {}, 'one of the following is required: id, statuses'),
    ('mackerel_host', {'id': [MK_HOST]}, 'parameters are required together: id, status'),
    ('mackerel_host', {'id': [], 'status': 'working'}, 'option id is empty'),
    ('mackerel_host', {'statuses': {}}, 'option statuses is empty'),
    ('mackerel_host', {'statuses': {MK_HOST: 'working'}, 'id': [MK_HOST]}, 'parameters are mutually exclusive: statuses|id'),
    ('mackerel_host', {'id': [MK_HOST], 'status': 'asleep'}, 'value of status must be one of'),
    ('mackerel_host', {'id': [MK_HOST], 'status': 'working', 'concurrency': 0}, 'option concurrency must be between 1'),
    ('mackerel_host_info', {'id': []}, 'option id is an empty list'),
    ('mackerel_host_info', {}, 'one of the following is required: id, service'),
    ('mackerel_monitor_info', {'id': ['../x']}, 'option id'),
    ('opsramp_resource_info', {'id': []}, 'option id is an empty list'),
    ('opsramp_resource_info', {}, 'missing required arguments: id'),
    ('mackerel_monitor_info', {'type': ['uptime']}, 'value of type must be one or more of: connectivity, host'),
    ('mackerel_downtime', {'name': 'CHG-1', 'duration': '1h', 'end': '+2h'}, 'mutually exclusive: duration|end'),
    ('mackerel_downtime', {'name': ' ', 'state': 'absent'}, 'option name must not be empty'),
    ('mackerel_downtime', {'name': 'CHG-1', 'duration': 'soon'}, 'option duration'),
    ('mackerel_downtime', {'name': 'CHG-1', 'duration': '1h', 'start': 'later'}, 'option start'),
    ('mackerel_downtime', {'name': 'CHG-1', 'duration': '1h', 'role_scopes': ['web']}, 'option role_scopes'),
    ('mackerel_downtime', {'name': 'CHG-1', 'duration': '1h', 'recurrence': {'type': 'fortnightly'}},
     'value of type must be one of'),
    ('mackerel_annotation', {'title': 't', 'service': 'web', 'end': '+1h', 'duration': '1h'},
     'mutually exclusive: end|duration'),
    ('mackerel_annotation', {'title': 't', 'service': 'web', 'start': 'whenever', 'duration': '1h'}, 'option start'),
    ('mackerel_annotation', {'title': 't' * 300, 'service': 'web', 'duration': '1h'}, 'option title'),
    ('mackerel_annotation', {'title': 't', 'service': 'w b', 'duration': '1h'}, 'option service'),
    ('opsramp_alert', {'id': [], 'state': 'closed'}, 'option id is an empty list'),
    ('opsramp_alert', {'id': ['a/b'], 'state': 'closed'}, 'option id'),
    ('opsramp_alert', {'id': ['1'], 'state': 'closed', 'snooze_duration': 5}, 'option snooze_duration only applies'),
    ('opsramp_alert', {'id': ['1'], 'state': 'suppressed', 'snooze_duration': 0}, 'option snooze_duration must be a positive'),
    ('opsramp_alert', {'id': ['1'], 'state': 'closed', 'concurrency': 0}, 'option concurrency must be between 1'),
    ('opsramp_alert', {'id': ['1'], 'state': 'gone'}, 'value of state must be one of'),
    ('opsramp_alert', {'id': ['1']}, 'missing required arguments: state'),
    ('opsramp_alert_info', {'occurrences': True}, 'occurrences is True but all of the following are missing: id'),
    ('opsramp_alert_info', {'id': '1', 'query': {'priority': 'P1'}}, 'parameters are mutually exclusive: id|query'),
    ('opsramp_alert_info', {'id': '1', 'start_time': '-1h'}, 'options start_time and end_time apply to a search'),
    ('opsramp_alert_info', {'start_time': 'yesterday'}, 'option start_time'),
    ('opsramp_alert_info', {'start_time': '-1h', 'end_time': '-2h'}, 'end_time'),
    ('opsramp_alert_info', {'start_time': '-1h', 'query': {'startDate': '2026-11-01T00:00:00 GMT'}},
     'option start_time and query.startDate are the same filter'),
    ('opsramp_alert_info', {'query': {'noSuchKey': 'x'}}, 'noSuchKey'),
    ('opsramp_alert_info', {'max_items': 0}, 'option max_items'),
    ('opsramp_maintenance', {'name': ' '}, 'option name must not be empty'),
    ('opsramp_maintenance', {'name': 'CHG-1', 'state': 'absent', 'timezone': 'Mars/Olympus'}, 'timezone'),
    ('opsramp_maintenance', {'name': 'CHG-1', 'hosts': ['web-01'], 'start': 'now', 'duration': '1h',
                             'timezone': 'Mars/Olympus'}, 'timezone'),
    ('opsramp_maintenance', {'name': 'CHG-1', 'hosts': ['web-01'], 'start': 'now', 'end': '+1h', 'duration': '1h'},
     'mutually exclusive: end|duration'),
    ('opsramp_maintenance', {'name': 'CHG-1', 'start': 'now', 'duration': '1h'}, 'resource'),
    ('opsramp_maintenance', {'name': 'CHG-1', 'hosts': ['web-01'], 'start': 'soonish', 'duration': '1h'}, 'option start'),
    ('opsramp_maintenance', {'name': 'CHG-1', 'hosts': ['web-01'], 'start': '+2h', 'end': '+1h'}, 'end'),
    ('opsramp_maintenance_info', {'state': 'over'}, 'value of state must be one of'),
    ('log360_search', {'max_hits': 0}, 'option max_hits must be 1 or more'),
    ('log360_search', {'kind': 'logs', 'profile_names': ['x']}, 'option profile_names applies to kind=alerts only'),
    ('log360_search', {'start_time': 'last tuesday'}, 'option start_time'),
    ('log360_search', {'start_time': '-1h', 'end_time': '-2h'}, 'end_time'),
    ('log360_search', {'kind': 'logs', 'severity': 'critical'}, 'option(s) severity do not apply to kind=logs'),
    ('log360_search', {'kind': 'alerts', 'log_types': ['Windows']}, 'option(s) log_types do not apply to kind=alerts'),
    ('log360_search', {'severity': 'catastrophic'}, 'option severity'),
    ('log360_search', {'status': 'weird'}, 'option status'),
    ('log360_search', {'wait': True, 'wait_sleep': 0}, 'option wait_sleep must be positive'),
    ('log360_search', {'wait': True, 'wait_timeout': -1}, 'option wait_timeout must be zero or positive'),
    ('log360_search', {'mode': 'later'}, 'value of mode must be one of'),
    ('log360_search', {'kind': 'events'}, 'value of kind must be one of'),
    ('log360_job_wait', {'request_id': JOB, 'sleep': 0}, 'option sleep must be positive'),
    ('log360_job_wait', {'request_id': JOB, 'timeout': -5}, 'option timeout must be zero or positive'),
    ('log360_job_wait', {}, 'missing required arguments: request_id'),
    ('log360_job_wait', {'request_id': 'NoSuchJob0001'}, 'job NoSuchJob0001 not found'),
    ('log360_job_info', {'older_than': 'a while'}, 'option older_than'),
    ('log360_job_info', {'request_id': 'NoSuchJob0001'}, 'job NoSuchJob0001 not found'),
    ('log360_job_results', {'request_id': JOB, 'page': 0}, 'option page must be 1 or more'),
    ('log360_job_results', {'request_id': JOB, 'max_hits': 0}, 'option max_hits must be 1 or more'),
    ('log360_job_results', {'request_id': JOB, 'dest': '/tmp/x.jsonl', 'mode': 'rw'}, 'option mode must be an octal'),
    ('log360_job_results', {'request_id': JOB, 'format': 'xml'}, 'value of format must be one of'),
    ('log360_job', {'request_id': [' ']}, 'option request_id must not contain empty ids'),
    ('log360_job', {'request_id': [JOB], 'concurrency': 0}, 'option concurrency must be between 1'),
    ('log360_job', {'request_id': [JOB], 'state': 'present'}, 'value of state must be one of'),
    ('log360_info', {'gather': ['everything']}, 'value of gather must be one or more of'),
]


@pytest.mark.parametrize('module,args,message', BAD_INPUT)
def test_bad_input_fails_naming_the_option_before_any_write(run_module, sim, ids, module, args, message):
    jobs_before = sim.control('log360', 'jobs')['jobs']
    result = run_module(module, ids.fill(args))
    assert result['failed'] is True
    assert message in result['msg']
    assert 'Traceback' not in result['msg']
    assert sim.writes() == []
    assert sim.control('log360', 'jobs')['jobs'] == jobs_before
    if not ARGSPEC_MESSAGE.match(result['msg']):
        # the collection's own messages name the platform first
        assert re.match(r'^%s[ :]' % platform_of(module), result['msg']), result['msg']


WRITES = [
    # module, args, result key, the writes the real run sends (method, path regex)
    # module, args, result key, the writes the real run sends (method, path regex)
    ('mackerel_alert', {'id': [MK_OPEN], 'state': 'closed', 'reason': 'CHG-1: done'}, 'alerts',
     [('POST', '^/api/v0/alerts/[^/]+/close$')]),
    ('mackerel_alert', {'id': [MK_OPEN], 'memo': 'CHG-1 memo'}, 'alerts', [('PUT', '^/api/v0/alerts/[^/]+$')]),
    ('mackerel_host', {'id': [MK_HOST], 'status': 'maintenance'}, 'hosts', [('POST', '^/api/v0/hosts/bulk-update-statuses$')]),
    ('mackerel_downtime', {'name': 'CHG-1', 'start': '+1h', 'duration': '90m', 'service_scopes': ['web']},
     'downtime', [('POST', '^/api/v0/downtimes$')]),
    ('mackerel_annotation', {'title': 'CHG-1', 'service': 'web', 'start': '-10m', 'duration': '1h'}, 'annotation',
     [('POST', '^/api/v0/graph-annotations$')]),
    # module, args, result key, the writes the real run sends (method, path regex)
    ('opsramp_alert', {'id': [OR_OPEN], 'state': 'acknowledged'}, 'alerts', [('POST', '/alerts/[^/]+/actions/acknowledge$')]),
    ('opsramp_alert', {'id': [OR_OPEN], 'state': 'closed', 'description': 'CHG-1'}, 'alerts',
     [('POST', '/alerts/[^/]+/actions/close$')]),
    ('opsramp_alert', {'id': [OR_OPEN], 'state': 'suppressed', 'snooze_duration': 30}, 'alerts',
     [('POST', '/alerts/[^/]+/actions/suppress$')]),
    ('opsramp_maintenance', {'name': 'CHG-1', 'hosts': ['web-01'], 'start': '+1h', 'duration': '2h'}, 'maintenance',
     [('POST', '/scheduleMaintenances$')]),
]


def _unexpected(writes, expected):
    return [(w['method'], w['path']) for w in writes
            if not any(w['method'] == m and re.search(p, w['path']) for m, p in expected)]


@pytest.mark.parametrize('module,args,key,expected', WRITES)
def test_check_mode_sends_no_write_and_reports_the_change(run_module, sim, ids, module, args, key, expected):
    result = run_module(module, ids.fill(args), check=True)
    assert result.get('failed') is not True, result
    assert result['changed'] is True
    assert key in result
    assert sim.writes() == []


@pytest.mark.parametrize('module,args,key,expected', WRITES)
def test_write_then_rerun_changes_nothing(run_module, sim, ids, module, args, key, expected):
    args = ids.fill(args)
    first = run_module(module, args)
    assert first.get('failed') is not True, first
    assert first['changed'] is True
    assert key in first
    assert len(sim.writes()) >= 1
    assert _unexpected(sim.writes(), expected) == []
    sim.clear_log()
    again = run_module(module, args)
    assert again.get('failed') is not True, again
    assert again['changed'] is False
    assert sim.writes() == []


@pytest.mark.parametrize('check', [True, False])
@pytest.mark.parametrize('module,args,key,expected', WRITES)
def test_diff_only_in_diff_mode(run_module, ids, module, args, key, expected, check):
    plain = run_module(module, ids.fill(args), check=check)
    assert plain.get('failed') is not True, plain
    assert 'diff' not in plain


@pytest.mark.parametrize('module,args,key,expected', WRITES)
def test_diff_mode_returns_before_and_after(run_module, ids, module, args, key, expected):
    result = run_module(module, ids.fill(args), check=True, diff=True)
    assert result.get('failed') is not True, result
    assert set(result['diff']) == set(['before', 'after'])
    assert result['diff']['before'] != result['diff']['after']


REMOVALS = [   # module, the args that create the object, the args that remove it
    ('mackerel_downtime', {'name': 'CHG-9', 'start': '+1h', 'duration': '1h'}, {'name': 'CHG-9', 'state': 'absent'}),
    ('mackerel_annotation', {'title': 'CHG-2', 'service': 'web', 'start': '-10m', 'duration': '1h'},
     {'title': 'CHG-2', 'service': 'web', 'start': '-10m', 'duration': '1h', 'state': 'absent'}),
    ('opsramp_maintenance', {'name': 'CHG-5', 'hosts': ['web-01'], 'start': '+1h', 'duration': '2h'},
     {'name': 'CHG-5', 'state': 'absent'}),
]


@pytest.mark.parametrize('module,create,remove', REMOVALS)
def test_absent_removes_once_and_check_mode_only_tells(run_module, sim, module, create, remove):
    assert run_module(module, create)['changed'] is True
    sim.clear_log()
    preview = run_module(module, remove, check=True)
    assert preview['changed'] is True
    assert sim.writes() == []
    gone = run_module(module, remove)
    assert gone['changed'] is True
    assert [w['method'] for w in sim.writes()] == ['DELETE']
    sim.clear_log()
    assert run_module(module, remove)['changed'] is False
    assert sim.writes() == []


FAULTS = [   # the first write meets a fault -> the module's outcome and how often the write reached the server
    # drop_after: the server acted, the answer was lost (outcome unknown): read again, never written twice
    ('mackerel_alert', {'id': [MK_OPEN], 'state': 'closed', 'reason': 'r'}, 'POST', '/close$', 'drop_after', 1),
    ('opsramp_alert', {'id': [OR_OPEN], 'state': 'acknowledged'}, 'POST', '/actions/acknowledge$', 'drop_after', 1),
    # a status set is idempotent: simply sent again
    ('mackerel_host', {'id': [MK_HOST], 'status': 'maintenance'}, 'POST', '/bulk-update-statuses$', 'drop_after', 2),
    # 503: the server certainly did nothing: sent again
    ('mackerel_alert', {'id': [MK_OPEN], 'state': 'closed', 'reason': 'r'}, 'POST', '/close$', '503', 2),
    ('opsramp_alert', {'id': [OR_OPEN], 'state': 'acknowledged'}, 'POST', '/actions/acknowledge$', '503', 2),
]


@pytest.mark.parametrize('module,args,method,path,fault,sent', FAULTS)
def test_a_write_is_done_once_through_faults(run_module, sim, ids, module, args, method, path, fault, sent):
    args = ids.fill(args)
    sim.fail_next(platform_of(module), method, path, fault=fault)
    result = run_module(module, args)
    assert result.get('failed') is not True, result
    assert result['changed'] is True
    assert len(sim.requests(method=method, path=path)) == sent
    sim.clear_log()
    assert run_module(module, args)['changed'] is False
    assert sim.writes() == []


RESULT_KEYS = [   # docs/DESIGN.md "key returns" (names are fixed: add freely, rename none); writing modules in check mode
    ('log360_search', {'start_time': '-1h'}, ['request_id', 'mode', 'body', 'start_time', 'end_time'], None),
    ('log360_search', {'start_time': '-1h', 'wait': True, 'wait_sleep': 1}, ['request_id', 'job', 'elapsed', 'polls'],
     None),
    ('log360_job_wait', {'request_id': JOB, 'sleep': 1}, ['job', 'elapsed', 'polls'], None),
    ('log360_job_info', {}, ['jobs'], None),
    ('log360_job_results', {'request_id': JOB}, ['hits', 'total_items', 'pages_fetched', 'hits_written', 'job'], None),
    ('log360_job', {'request_id': [JOB]}, ['deleted', 'absent', 'jobs'], None),
    ('log360_info', {}, ['product', 'alert_profiles', 'log_sources', 'log_types', 'log_fields'], None),
    ('mackerel_alert_info', {}, ['alerts', 'pages_fetched'], None),
    ('mackerel_alert', {'id': [MK_OPEN], 'state': 'closed', 'reason': 'r'}, ['alerts', 'closed', 'memo_updated'],
     ['id', 'changed', 'before', 'after']),
    ('mackerel_downtime', {'name': 'CHG-1', 'start': '+1h', 'duration': '1h'}, ['downtime'], None),
    ('mackerel_downtime_info', {}, ['downtimes'], None),
    ('mackerel_host', {'id': [MK_HOST], 'status': 'maintenance'}, ['hosts', 'previous'], ['id', 'changed', 'before', 'after']),
    ('mackerel_host_info', {'id': [MK_HOST]}, ['hosts', 'failing'], None),
    ('mackerel_monitor_info', {}, ['monitors'], None),
    ('opsramp_resource_info', {'id': ['res-web-01']}, ['resources'], None),
    ('mackerel_annotation', {'title': 't', 'service': 'web', 'start': '-10m', 'duration': '1h'}, ['annotation'], None),
    ('opsramp_alert_info', {}, ['alerts'], None),
    ('opsramp_alert', {'id': [OR_OPEN], 'state': 'acknowledged'}, ['alerts'], ['id', 'changed', 'before', 'after']),
    ('opsramp_maintenance', {'name': 'CHG-1', 'hosts': ['web-01'], 'start': '+1h', 'duration': '1h'},
     ['maintenance', 'actions'], None),
    ('opsramp_maintenance_info', {}, ['maintenances'], None),
]


@pytest.mark.parametrize('module,args,keys,item_keys', RESULT_KEYS)
def test_result_keys(run_module, ids, module, args, keys, item_keys):
    result = run_module(module, ids.fill(args), check=module in [w[0] for w in WRITES + REMOVALS] + ['log360_job'])
    assert result.get('failed') is not True, result
    assert [k for k in keys if k not in result] == []
    assert isinstance(result['changed'], bool)
    if item_keys:
        items = result[keys[0]]
        assert items
        assert [k for k in item_keys if k not in items[0]] == []


CREDENTIAL = {   # platform -> (the credential's environment variable, the variant that makes the server echo it)
    'mackerel': ('MACKEREL_APIKEY', {}),
    'opsramp': ('OPSRAMP_CLIENT_SECRET', {'opsramp_auth_echo': True}),
    'log360': ('LOG360_TOKEN', {'log360_echo_token': True}),
}


EVERY_MODULE = [   # every module that talks to a vendor, with args that make it send a request
    ('mackerel_alert_info', {}), ('mackerel_downtime_info', {}), ('mackerel_host_info', {'id': [MK_HOST]}),
    ('mackerel_monitor_info', {}), ('opsramp_resource_info', {'id': ['res-web-01']}),
    ('mackerel_alert', {'id': [MK_OPEN], 'memo': 'm'}), ('mackerel_host', {'id': [MK_HOST], 'status': 'working'}),
    ('mackerel_downtime', {'name': 'CHG-1', 'state': 'absent'}),
    ('mackerel_annotation', {'title': 'CHG-1', 'service': 'web', 'start': '-10m', 'duration': '1h'}),
    ('opsramp_alert_info', {}), ('opsramp_maintenance_info', {}), ('opsramp_alert', {'id': [OR_OPEN], 'state': 'closed'}),
    ('opsramp_maintenance', {'name': 'CHG-1', 'state': 'absent'}),
    ('log360_job_info', {}), ('log360_info', {'gather': ['product']}), ('log360_search', {}),
    ('log360_job', {'request_id': [JOB]}), ('log360_job_results', {'request_id': JOB}),
    ('log360_job_wait', {'request_id': JOB}),
]
ACTION_DOCS = ('change_window', 'change_window_suppress', 'change_window_info',
               'change_window_notify')   # documentation of the action plugins (tests/unit/plugins/action)


def test_every_module_is_in_the_tables():
    here = os.path.dirname(os.path.abspath(__file__))
    modules = os.path.join(here, '..', '..', '..', '..', 'plugins', 'modules')
    names = set(n[:-3] for n in os.listdir(modules) if n.endswith('.py') and not n.startswith('_'))
    assert names - set(ACTION_DOCS) == set(m for m, _args in EVERY_MODULE)
    assert names - set(ACTION_DOCS) == set(row[0] for row in RESULT_KEYS)
    assert set(m for m, _args, _message in BAD_INPUT) <= names


@pytest.mark.parametrize('module,args', EVERY_MODULE)
def test_bad_credential_fails_with_platform_status_and_no_secret(run_module, sim, ids, monkeypatch, module, args):
    variable, variant = CREDENTIAL[platform_of(module)]
    monkeypatch.setenv(variable, 'wrong-credential-0123456789abcdef')
    sim.configure(variants=variant)
    result = run_module(module, ids.fill(args))
    assert result['failed'] is True
    assert re.match(r'^%s[ :]' % platform_of(module), result['msg']), result['msg']
    assert 'HTTP 401' in result['msg']
    assert '0123456789abcdef' not in repr(result)
    assert [w for w in sim.writes() if w['status'] < 400] == []    # a log360 search submit is sent, and refused
