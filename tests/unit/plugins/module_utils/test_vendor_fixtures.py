# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vendors' own published example answers (tests/unit/fixtures/vendor/*.json, each naming its source) run through
the clients' parsing; and the simulator's default answer to the same call compared with each: the same keys and the
same value forms (time offsets, spellings, units), so the simulator cannot drift from what the vendors document."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import re

import pytest

from ansible_collections.alertops.core.plugins.module_utils import log360, mackerel, opsramp, transport
from ansible_collections.alertops.core.plugins.plugin_utils import suppression

FIXTURES = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'vendor')


def fixture(name):
    with open(os.path.join(FIXTURES, name + '.json')) as handle:
        return json.load(handle)


class _Answer:
    status = 200
    headers = {}

    def __init__(self, payload):
        self.payload = payload

    def json(self, allow_empty=False):
        return self.payload


class _Transport:
    """Answers every request with one fixture's answer (what the client parses is all that is under test)."""
    retries = 3

    def __init__(self, payload):
        self.payload = payload
        self.sent = []

    def request(self, method, path, operation, **kwargs):
        self.sent.append((method, path, kwargs))
        return _Answer(self.payload)


def test_every_fixture_names_its_source():
    names = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(FIXTURES, '*.json')))
    assert set(names) == set(PARSED), 'a fixture without a parsing test, or a test without its fixture'
    for name in names:
        data = fixture(name)
        assert set(data) >= {'platform', 'call', 'source', 'inferred', 'answer'}, name
        source = data['source']
        assert source.get('page') or (source.get('repository') and re.match(r'^[0-9a-f]{40}$', source.get('commit', ''))
                                      and source.get('path')), name
        assert isinstance(data['inferred'], bool), name


def _mackerel(payload):
    return mackerel.MackerelClient(_Transport(payload))


def _opsramp(payload):
    return opsramp.OpsRampClient(_Transport(payload), 'client_7')


def _log360(payload):
    return log360.Log360Client(_Transport(payload))


def check_alerts_list(answer):
    alerts = _mackerel(answer).list_alerts(with_closed=True, max_items=3)
    assert [a['id'] for a in alerts] == ['2wpLU5fBXbG', '2ust8jNxFH3', '2ust8jNxFH3']
    assert alerts[0]['opened_at'] == '2015-10-21T03:49:02Z' and alerts[2]['closed_at'] == '2015-09-11T02:55:01Z'
    assert [a['status'] for a in alerts] == ['CRITICAL', 'CRITICAL', 'OK']


def check_alert_get(answer):
    alert = _mackerel(answer).get_alert('2wpLU5fBXbG')
    assert alert['id'] == '2wpLU5fBXbG' and alert['opened_at'] == '2015-10-21T03:49:02Z'


def check_alert_logs(answer):
    logs = _mackerel(answer).alert_logs('2wpLU5fBXbG', max_items=2)
    assert [entry['created_at'] for entry in logs] == ['2024-12-27T09:06:47Z'] * 2


def check_downtimes(answer):
    downtimes = _mackerel(answer).list_downtimes()
    assert [d['id'] for d in downtimes] == ['abcde0', 'abcde1']
    assert downtimes[0]['start_at'] == '2019-07-20T05:20:00Z' and downtimes[0]['end_at'] == '2019-07-20T07:20:00Z'
    # the Go client's spaced role fullname is the same role as ours: no change planned
    view = mackerel.downtime_view(downtimes[1])
    assert view['roleScopes'] == ['service3:role1'] and view['roleExcludeScopes'] == ['service1:role1']
    spec = mackerel.DowntimeSpec('Maintenance #1', start=1563700000, duration=60, memo='Memo #1', now=1563700000,
                                 recurrence={'type': 'weekly', 'interval': 3,
                                             'weekdays': ['Monday', 'Thursday', 'Saturday']},
                                 scopes={'service_scopes': ['service1'], 'service_exclude_scopes': ['service2'],
                                         'role_scopes': ['service3:role1'], 'role_exclude_scopes': ['service1:role1'],
                                         'monitor_scopes': ['monitor0'], 'monitor_exclude_scopes': ['monitor1']})
    body = spec.body(downtimes[1], now=1563700000)
    assert mackerel.downtime_view(body) == view and body['roleScopes'] == ['service3: role1']


def check_sm_search(answer):
    found = _opsramp(answer).search_maintenances()
    assert [m['uniqueId'][:3] for m in found] == ['SM-'] * 3
    assert [m['one_time'] for m in found] == [False, True, True]
    assert opsramp.parse_time(found[0]['schedule']['startTime']) == 1502535327     # 2017-08-12T10:55:27Z


def check_sm_get(answer):
    window = _opsramp(answer).get_maintenance('SM-d765c8d5-7df6-49ec-9bb0-4cd82b945c96')
    spec = opsramp.MaintenanceSpec('Under Maintenance', start=1502445600, end=1502838000, hosts=['AZR-OS-1'],
                                   resource_ids=['edd5e6db-3e7f-4292-9e7f-ab1532ce3b6c'], device_groups=['SJ-WINDOWS'],
                                   locations=['SJ-AD LAB', 'SJ-EAST LAB'], time_basis='gmt', now=1502445600)
    view = spec.view(window, read=True)
    assert view['schedule']['start'] == 1502445600 and view['schedule']['end'] == 1502838000
    assert view['resources'] == {'host': ['AZR-OS-1'], 'resource': ['edd5e6db-3e7f-4292-9e7f-ab1532ce3b6c'],
                                 'device_group': ['SJ-WINDOWS'], 'location': ['SJ-AD LAB', 'SJ-EAST LAB']}
    assert view['status'] == 'Completed'


def check_sm_get_zone(answer):
    window = _opsramp(answer).get_maintenance('SM-0b5d7c1e-2f52-4f8e-9a51-5d0d6f1c9a21')
    for basis in ('local', 'gmt'):
        spec = opsramp.MaintenanceSpec('CHG-21', start='2024-03-01T04:30:00Z', duration='2h', hosts=['db-01'],
                                       timezone='Asia/Calcutta', time_basis=basis, run_escalation_action=False,
                                       now=1709267400)
        view = spec.view(window, read=True)
        assert view['schedule']['start'] == spec.start and view['schedule']['end'] == spec.end, basis
        assert view['run_escalation_action'] is False                     # read from the GET spelling


def check_sm_end(answer):
    assert answer['status'] == 'Pending' and answer['uniqueId'].startswith('SM-')


def check_occurrences(answer):
    page = _opsramp(answer).occurrence_page('7', None, None)
    times = [opsramp.occurrence_time(o) for o in page['results']]
    assert times == [1496124230, 1496064674]
    assert opsramp.parse_time(page['endDate']) == 1496053069 and page['nextPage'] is True


def check_jobs(answer):
    jobs = _log360(answer).list_jobs()
    assert [(j['request_id'], j['stage'], j['hits_done'], j['total_pages']) for j in jobs] == [
        ('AZbneNUBx31OH7OTNMmz', 'SUCCESS', 372, 1)]


def check_job_results(answer):
    hits, meta = _log360(answer).results_page('AZbneNUBx31OH7OTNMmz', 1)
    assert hits[0]['Event ID'] == '8019' and meta['next_page'] == 2 and meta['items_in_current_page'] == 1000


def check_v1_sources(answer):
    records = log360.parse_metadata('log_sources', answer, 'list log sources')
    assert [(r['id'], r['name'], r['ip_address'], r['group']) for r in records] == [
        ('3', 'tsi2k16adc', '202.0.112.248', 'WindowsGroup')]


def check_v1_product(answer):
    product = log360.parse_metadata('product', answer, 'get product details')
    assert product == {'os_type': 'windows', 'raw': {'os_type': 'windows'}}


def check_v1_types(answer):
    records = log360.parse_metadata('log_types', answer, 'list log types')
    assert [(r['id'], r['name']) for r in records] == [('windows', 'Windows'), ('syslog', 'Syslog')]


def check_v1_fields(answer):
    records = log360.parse_metadata('log_fields', answer, 'list log fields')
    assert [(r['id'], r['name']) for r in records] == [('1', 'HOSTNAME'), ('2', 'EVENTID')]


def check_monitors(answer):
    monitors = _mackerel(answer).list_monitors()
    assert [(m['id'], m['type'], m.get('name')) for m in monitors] == [
        ('2cSZzK3XfmA', 'connectivity', None), ('2cSZzK3XfmB', 'host', 'disk.aa-00.writes.delta'),
        ('2cSZzK3XfmC', 'service', 'Hatena-Blog - access_num.4xx_count'), ('2cSZzK3XfmD', 'external', 'example.com'),
        ('2cSZzK3XfmE', 'expression', 'role average')]
    # what verify makes of it: a connectivity monitor has no name (the example's first); the types it cannot prove
    assert suppression.monitor_label(monitors[0]) == 'connectivity monitor 2cSZzK3XfmA'
    assert [m['id'] for m in monitors if suppression.unverifiable_why(m)] == ['2cSZzK3XfmC', '2cSZzK3XfmD', '2cSZzK3XfmE']


PARSED = {
    'mackerel_monitors_list': check_monitors,
    'mackerel_alerts_list': check_alerts_list, 'mackerel_alert_get': check_alert_get,
    'mackerel_alert_logs': check_alert_logs, 'mackerel_downtimes_list': check_downtimes,
    'opsramp_sm_search': check_sm_search, 'opsramp_sm_get': check_sm_get, 'opsramp_sm_get_zone': check_sm_get_zone,
    'opsramp_sm_end': check_sm_end, 'opsramp_occurrences': check_occurrences,
    'log360_jobs': check_jobs, 'log360_job_results': check_job_results, 'log360_v1_log_sources': check_v1_sources,
    'log360_v1_product': check_v1_product, 'log360_v1_log_types_log360': check_v1_types,
    'log360_v1_log_fields_ela': check_v1_fields,
}


@pytest.mark.parametrize('name', sorted(PARSED))
def test_fixture_parsed_by_the_client(name):
    PARSED[name](fixture(name)['answer'])


# -- the simulator's default answers against the fixtures ----------------------------------------------------------
_TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(Z|[+-]\d\d:?\d\d)$')


def form(value, key=''):
    """What kind of value this is, as far as a client cares: type, unit, time offset, spelling."""
    if isinstance(value, bool):
        return 'bool'
    if isinstance(value, int):
        return 'epoch_s' if 10 ** 9 <= value < 10 ** 10 else 'epoch_ms' if 10 ** 12 <= value < 10 ** 14 else 'int'
    if isinstance(value, float):
        return 'number'
    if value is None:
        return 'null'
    if isinstance(value, dict):
        return 'object'
    if isinstance(value, list):
        return 'array'
    text = str(value)
    match = _TIME.match(text)
    if match:
        return 'time' + match.group(1)
    if key.startswith('role'):
        return 'role "svc: role"' if ': ' in text else 'role "svc:role"'
    if text.startswith('SM-'):
        return 'SM-id'
    if re.match(r'^\d+$', text):
        return 'digits'
    return 'str'


def pick(value, path):
    """The value at a dotted path; ``[]`` takes the first element of a list that has a value at the rest of the path
    (in both answers, so the compared elements are alike: a connectivity alert with a hostId, a downtime with scopes)."""
    parts = path.split('.')
    for n, part in enumerate(parts):
        if part.endswith('[]'):
            items = (value or {}).get(part[:-2]) if isinstance(value, dict) else None
            if not isinstance(items, list):
                return None
            rest = '.'.join(parts[n + 1:])
            if not rest:
                return items[0] if items else None
            return next((v for v in (pick(i, rest) for i in items) if v is not None), None)
        value = value.get(part) if isinstance(value, dict) else None
    return value


# fixture -> (setup: module runs and variants, the operation whose answer is compared, the paths compared)
COMPARED = {
    'mackerel_alerts_list': (['list'], r'^list alerts$', [
        'alerts[].id', 'alerts[].status', 'alerts[].monitorId', 'alerts[].type', 'alerts[].openedAt', 'alerts[].hostId']),
    'mackerel_alert_get': (['get'], r'^get alert ', ['id', 'status', 'monitorId', 'type', 'openedAt', 'hostId']),
    'mackerel_alert_logs': (['logs'], r'logs', ['logs[].id', 'logs[].createdAt', 'logs[].status', 'logs[].trigger',
                                                'logs[].monitorId']),
    'mackerel_monitors_list': (['monitors'], r'^list monitors$', ['monitors[].id', 'monitors[].type']),
    'mackerel_downtimes_list': (['downtime'], r'^list downtimes$', [
        'downtimes[].id', 'downtimes[].name', 'downtimes[].start', 'downtimes[].duration', 'downtimes[].roleScopes[]']),
    'opsramp_sm_search': (['sm_utc'], r'^search maintenances$', [
        'results[].uniqueId', 'results[].name', 'results[].status', 'results[].schedule.type',
        'results[].schedule.startTime', 'results[].schedule.endTime', 'results[].createdTime', 'totalResults',
        'pageNo', 'nextPage', 'descendingOrder']),
    'opsramp_sm_get': (['sm_utc'], r'^get maintenance ', [
        'uniqueId', 'name', 'status', 'schedule.type', 'schedule.startTime', 'devices[].id',
        'devices[].generalInfo.hostName', 'devices[].clientUniqueId', 'devices[].type']),
    'opsramp_sm_get_zone': (['sm_zone'], r'^get maintenance ', [
        'uniqueId', 'status', 'runEscalateAction', 'schedule.type', 'schedule.startTime', 'schedule.endTime',
        'schedule.timezone', 'devices[].generalInfo.hostName']),
    'opsramp_sm_end': (['sm_end'], r'^end maintenance ', ['uniqueId', 'status']),
    'opsramp_occurrences': (['occurrences'], r'^list occurrences of alert ', [
        'results[].uniqueId', 'results[].subject', 'results[].currentState', 'results[].createdTimeString',
        'pageSize', 'nextPage', 'startDate', 'endDate', 'descendingOrder']),
    'log360_jobs': (['jobs'], r'^list jobs$', [
        'data.jobs.requests[].request_id', 'data.jobs.requests[].stage', 'data.jobs.requests[].hits_done',
        'data.jobs.requests[].total_hits', 'data.jobs.requests[].submitted_at', 'data.jobs.requests[].started_at',
        'data.jobs.requests[].total_pages', 'meta.total_items']),
    'log360_job_results': (['results'], r'^get job results$', [
        'data.hits', 'meta.total_items', 'meta.items_in_current_page']),
    'log360_v1_log_sources': (['v1_meta'], r'^list log sources$', [
        'devices[].name', 'devices[].ip_address', 'devices[].host_id', 'devices[].group']),
    'log360_v1_product': (['v1_meta'], r'^get product details$', ['os_type']),
    'log360_v1_log_types_log360': (['v1_meta'], r'^list log types$', ['log_types[].client_value',
                                                                      'log_types[].server_value']),
    'log360_v1_log_fields_ela': (['v1_meta_ela'], r'^list log fields$', ['fields[].description', 'fields[].id']),
}


def _setup(step, sim, run_module, ids):
    if step == 'list':
        run_module('mackerel_alert_info', {'with_closed': True, 'max_items': 5})
    elif step == 'get':   # an alert like the example: one with a host (connectivity)
        alert = next(a for a in sim.control('mackerel', 'alerts')['alerts'] if a.get('hostId'))
        run_module('mackerel_alert_info', {'id': alert['id']})
    elif step == 'monitors':
        run_module('mackerel_monitor_info', {})
    elif step == 'logs':
        run_module('mackerel_alert_info', {'id': ids['{mackerel_open}'], 'logs': True})
    elif step == 'downtime':
        run_module('mackerel_downtime', {'name': 'CHG-21', 'start': '+1h', 'duration': '60',
                                         'role_scopes': ['db:primary']})
        run_module('mackerel_downtime_info', {'name': 'CHG-21'})
    elif step in ('sm_utc', 'sm_zone', 'sm_end'):
        args = {'name': 'CHG-21 window', 'hosts': ['db-01'], 'duration': '1h',
                'timezone': 'Asia/Calcutta' if step == 'sm_zone' else 'UTC',
                'start': '+1h' if step == 'sm_utc' else 'now'}
        run_module('opsramp_maintenance', dict(args, run_escalation_action=False))
        run_module('opsramp_maintenance', dict(args, run_escalation_action=False))
        if step == 'sm_end':
            run_module('opsramp_maintenance', {'name': 'CHG-21 window', 'state': 'ended'})
    elif step == 'occurrences':
        run_module('opsramp_alert_info', {'id': '175', 'occurrences': True, 'max_items': 5})
    elif step == 'jobs':
        ids['{log360_job}']
        run_module('log360_job_info', {})
    elif step == 'results':
        run_module('log360_job_results', {'request_id': ids['{log360_job}']})
    elif step.startswith('v1_meta'):
        sim.configure(variants={'log360_meta': 'v1_only',
                                'log360_v1_records': 'ela' if step.endswith('ela') else 'log360'})
        run_module('log360_info', {'gather': ['product', 'log_sources', 'log_types', 'log_fields']})


@pytest.mark.parametrize('name', sorted(COMPARED))
def test_simulator_answers_like_the_vendor_example(name, sim, run_module, ids, monkeypatch):
    assert set(COMPARED) == set(PARSED)
    answers = []
    original = transport.Response.json

    def recording(self, allow_empty=False):
        data = original(self, allow_empty=allow_empty)
        answers.append((self.operation, data))
        return data

    monkeypatch.setattr(transport.Response, 'json', recording)
    steps, operation, paths = COMPARED[name]
    for step in steps:
        _setup(step, sim, run_module, ids)
    got = [data for op, data in answers if re.search(operation, op or '')]
    assert got, (name, sorted(set(op for op, _d in answers)))
    example = fixture(name)['answer']
    for path in paths:
        key = path.split('.')[-1].rstrip('[]')
        want, have = form(pick(example, path), key), form(pick(got[-1], path), key)
        assert have == want, '%s %s: the vendor example has %s (%r), the simulator %s (%r)' % (
            name, path, want, pick(example, path), have, pick(got[-1], path))
