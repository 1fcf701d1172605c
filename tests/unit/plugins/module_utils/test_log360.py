# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""log360.py: parsing of every payload variant, and the client against the in-process simulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import threading

import pytest

from ansible_collections.alertops.core.plugins.module_utils import errors, log360

SIMULATOR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'simulator'))

V2_JOB = {"running_time_millis": 97, "hits_done": 372, "stage": "SUCCESS", "total_hits": 372, "submitted_at": 1747640177921,
          "started_at": 1747640177924, "running_time": "97ms", "last_synced_time": 1747640178021, "total_pages": 1,
          "stopped_at": 1747640178021, "request_id": "AZbneNUBx31OH7OTNMmz"}


class FakeResponse:
    def __init__(self, status, body, operation='get job'):
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.operation = operation

    def excerpt(self, limit=300):  # as transport.Response: redacted (nothing registered here), then cut
        return self.text.strip()[:limit]

    @property
    def text(self):
        return self.body.decode('utf-8', 'replace')


def test_normalise_v2_job_from_the_docs():
    job = log360.normalise_job(V2_JOB)
    assert job == {'request_id': 'AZbneNUBx31OH7OTNMmz', 'stage': 'SUCCESS', 'hits_done': 372, 'total_hits': 372,
                   'total_pages': 1, 'progress': 100.0, 'submitted_at': '2025-05-19T07:36:17Z',
                   'started_at': '2025-05-19T07:36:17Z', 'stopped_at': '2025-05-19T07:36:18Z', 'running_time_millis': 97,
                   'raw': V2_JOB}


def test_normalise_v1_names_and_running_progress():
    job = log360.normalise_job({'status': 'running', 'running_time_in_millis': '1500', 'hits_done': 250,
                                'total_hits': 1000, 'request_id': 'X', 'submitted_at': 1747640177921})
    assert (job['stage'], job['progress'], job['running_time_millis'], job['stopped_at']) == ('RUNNING', 25.0, 1500, None)
    assert log360.normalise_job({'request_id': 'Y'})['stage'] == 'UNKNOWN'
    assert log360.normalise_job({'stage': 'RUNNING', 'total_hits': 0})['progress'] == 0.0


@pytest.mark.parametrize('status,body,vendor,hint', [
    (401, {"code": "070011101", "title": "Unauthorized", "detail": "Invalid or missing AuthToken."},
     'code 070011101: Unauthorized: Invalid or missing AuthToken.', 'token invalid, revoked or expired'),
    (403, {"code": "070011103", "title": "Forbidden", "detail": "no scope"}, 'Forbidden', 'lacks the scope jobs.DELETE'),
    (400, {"ERROR_DESCRIPTION": "bad range"}, 'bad range', 'check the options'),
    (500, b'<html><body>Internal Server Error</body></html>', 'an HTML page', None),
    (502, b'upstream broke', 'upstream broke', None),
])
def test_describe_error(status, body, vendor, hint):
    text, got_hint = log360.describe_error(FakeResponse(status, body, 'delete job'))
    assert vendor in text
    if hint:
        assert hint in got_hint
    else:
        assert got_hint is None


@pytest.mark.parametrize('operation,scope', sorted(log360.SCOPES.items()))
def test_every_operation_names_its_scope_on_403(operation, scope):
    _text, hint = log360.describe_error(FakeResponse(403, {'code': '1'}, operation))
    assert scope in hint


def client(url='http://127.0.0.1:1', **kwargs):
    return log360.Log360Client.from_params({'url': url, 'token': 'tok-secret-123', 'retries': 0, 'request_timeout': 5},
                                           **kwargs)


NOW = 1795478400.0


def test_search_body_iso8601():
    body = client().search_body('alerts', start_time='-1h', end_time='now', severity='critical', status='open',
                                profile_ids=['1'], now=NOW)
    assert body == {'query': '*', 'start_time': '2026-11-23T23:00:00Z', 'end_time': '2026-11-24T00:00:00Z',
                    'severity': 'critical', 'status': 'open', 'profile_ids': ['1']}
    body = client().search_body('logs', query='x', start_time='2026-11-23T23:00:00.5Z', end_time=NOW * 1000,
                                log_types=['Windows'], now=NOW)
    assert body == {'query': 'x', 'start_time': '2026-11-23T23:00:00.500Z', 'end_time': '2026-11-24T00:00:00Z',
                    'log_types': ['Windows']}
    assert client().search_body('alerts', start_time='2026-11-23T23:00:00.25Z', now=NOW)['start_time'] == \
        '2026-11-23T23:00:00.250Z'


@pytest.mark.parametrize('kwargs,words', [
    (dict(kind='events'), 'kind'),
    (dict(start_time='soon'), 'start_time'),
    (dict(start_time='now', end_time='-1h'), 'before start_time'),
    (dict(kind='logs', severity='critical'), 'kind=logs'),
    (dict(kind='alerts', log_types=['x']), 'kind=alerts'),
    (dict(severity='fatal'), 'severity'),
    (dict(status='done'), 'status'),
    (dict(profile_ids=[str(i) for i in range(101)]), 'at most 100'),
])
def test_search_body_rejects_bad_input(kwargs, words):
    with pytest.raises(errors.ValidationError) as info:
        client().search_body(now=NOW, **kwargs)
    assert words in str(info.value) and 'log360' in str(info.value)


@pytest.mark.parametrize('value,words', [('epoch_ms', 'removed in alertops.core 0.2.0'), ('rfc822', 'only iso8601')])
def test_time_format_epoch_ms_removed_with_a_clear_error(value, words):
    with pytest.raises(errors.ValidationError) as info:
        client(time_format=value)
    assert words in str(info.value) and 'log360' in str(info.value)
    assert client(time_format='iso8601').search_body(now=NOW)['start_time'] == '2026-11-23T00:00:00Z'


@pytest.mark.parametrize('paths,words', [
    ({'alerts_sync': '/x'}, 'unknown name(s) alerts_sync'),
    ({'alerts_async': 'api/v2/x'}, 'must be a path'),
    ({'alerts_async': 'http://evil/x'}, 'must be a path'),
    ({'jobs': '/api/v2/../x'}, 'must be a path'),
    (['x'], 'dictionary'),
])
def test_api_paths_are_checked(paths, words):
    with pytest.raises(errors.ValidationError) as info:
        client(api_paths=paths)
    assert words in str(info.value)


def test_api_paths_override_one_call_the_rest_default():
    c = client(api_paths={'alerts_async': '/api/v2/alert-search/async '})
    assert c.path('alerts_async') == '/api/v2/alert-search/async'
    assert c.path('search_async') == '/api/v2/search/async' and c.path('jobs') == '/api/v2/jobs'
    assert set(log360.PATHS) >= {'alerts_async', 'search_async', 'jobs', 'job_results', 'alerts', 'search'}
    assert [n for n, (_p, verified, _w) in sorted(log360.PATHS.items()) if verified] == [
        'alerts', 'job_results', 'jobs', 'search']


@pytest.mark.parametrize('mode,window,max_hits,wait,expected', [
    ('sync', 86400 * 7, None, True, 'sync'),
    ('async', 60, None, True, 'async'),
    ('auto', 6 * 3600, None, True, 'sync'),
    ('auto', 6 * 3600 + 2, None, True, 'async'),      # (a second of slack: -6h and now are read apart)
    ('auto', 86400 * 30, 10000, True, 'sync'),
    ('auto', 86400 * 30, 10001, True, 'async'),
    ('auto', 60, None, False, 'async'),       # nobody waits for the hits: a job
])
def test_auto_mode_by_expected_size(mode, window, max_hits, wait, expected):
    body = client().search_body(start_time=NOW - window, end_time=NOW, now=NOW)
    assert client().choose_mode(mode, body, max_hits, wait) == expected


@pytest.mark.parametrize('name,payload,expected', [
    ('alert_profiles', {'data': {'alert_profiles': [{'id': 3001, 'name': 'Failed logons', 'severity': 'critical'}]}},
     [{'id': '3001', 'name': 'Failed logons', 'type': None, 'severity': 'critical', 'status': None}]),
    ('alert_profiles', {'Number of Records': 2, 'Profile Based Alerts': [{'Alert Id': 1001, 'Alert profile name': 'A'}],
                        'Correlation Alert Profiles': [{'Alert Id': 1002, 'Alert profile name': 'B'}]},
     [{'id': '1001', 'name': 'A', 'type': 'profile', 'severity': None, 'status': None},
      {'id': '1002', 'name': 'B', 'type': 'correlation', 'severity': None, 'status': None}]),
    ('log_sources', {'devices': [{'name': 'tsi2k16adc', 'ip_address': '202.0.112.248', 'host_id': 3, 'group': 'G'}]},
     [{'id': '3', 'name': 'tsi2k16adc', 'ip_address': '202.0.112.248', 'group': 'G'}]),
    ('log_types', {'data': {'log_types': [{'id': 20, 'name': 'Windows'}]}}, [{'id': '20', 'name': 'Windows'}]),
    ('log_fields', {'fields': [{'field_name': 'HOSTNAME', 'data_type': 'string'}]},
     [{'id': None, 'name': 'HOSTNAME', 'type': 'string', 'log_type': None}]),
])
def test_metadata_v2_envelope_and_v1_shapes(name, payload, expected):
    got = log360.parse_metadata(name, payload, 'op')
    assert [dict((k, v) for k, v in r.items() if k != 'raw') for r in got] == expected


def test_metadata_without_a_list_is_a_clear_error():
    with pytest.raises(errors.ResponseError, match='holds no list'):
        log360.parse_metadata('log_types', {'data': {'count': 3}}, 'list log types')


def test_filter_names_globs_case_insensitive():
    records = [{'name': 'Failed logons'}, {'name': 'Account lockouts'}, {'name': None}]
    assert log360.filter_names(records, ['failed LOGONS']) == records[:1]
    assert log360.filter_names(records, ['*lo*']) == records[:2]
    assert log360.filter_names(records, None) == records


def test_wait_options_are_checked():
    with pytest.raises(errors.ValidationError):
        log360.Log360Client.check_wait(-1, 5)
    with pytest.raises(errors.ValidationError) as info:
        log360.Log360Client.check_wait(10, 0, 'wait_timeout', 'wait_sleep')
    assert 'wait_sleep' in str(info.value)


# -- against the simulator -----------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def server():
    sys.path.insert(0, SIMULATOR)
    try:
        import core
        from log360 import Log360 as SimLog360
    finally:
        sys.path.remove(SIMULATOR)
    sim = core.Simulator([SimLog360], seed=3)
    httpd = core.Server(('127.0.0.1', 0), core.make_handler(sim))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={'poll_interval': 0.05})
    thread.daemon = True
    thread.start()
    yield sim, 'http://127.0.0.1:%d' % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def sim(server):
    simulator, url = server
    simulator.reset(3)
    vendor = simulator.vendor('log360')
    simulator.url = url
    simulator.token = vendor.credentials()['env']['LOG360_TOKEN']
    simulator.l360 = vendor
    return simulator


def live(sim, token=None):
    return log360.Log360Client.from_params({'url': sim.url, 'token': token or sim.token, 'retries': 2,
                                            'request_timeout': 10}, sleep=lambda s: None)


def set_variants(sim, **variants):
    sim.config['variants'].update(dict(('log360_' + k, v) for k, v in variants.items()))


@pytest.mark.parametrize('shape', ['nested', 'flat'])
def test_submit_every_shape(sim, shape):
    set_variants(sim, submit_shape=shape, job_duration=0)
    c = live(sim)
    rid = c.submit('alerts', c.search_body('alerts', start_time='-48h'))
    assert rid in sim.l360.jobs
    assert c.get_job(rid)['total_hits'] == 36   # every seeded alert lies in the last 48 h


def test_submit_without_request_id_is_a_response_error(sim, monkeypatch):
    c = live(sim)
    monkeypatch.setattr(sim.l360, '_submitted', lambda rid: __import__('core').Reply(200, {'data': {}}))
    with pytest.raises(errors.ResponseError) as info:
        c.submit('alerts', c.search_body('alerts'))
    assert 'no request_id' in str(info.value)


@pytest.mark.parametrize('shape', ['v2', 'v1'])
@pytest.mark.parametrize('unknown', ['404', 'empty'])
def test_jobs_shapes_and_unknown_jobs(sim, shape, unknown):
    set_variants(sim, jobs_shape=shape, unknown_job=unknown)
    a = sim.l360.create_job('logs', 10, 0)
    b = sim.l360.create_job('logs', 10, 100)
    c = live(sim)
    jobs = dict((j['request_id'], j) for j in c.list_jobs())
    assert jobs[a]['stage'] == 'SUCCESS' and jobs[b]['stage'] == 'RUNNING' and len(jobs) == 2
    assert c.find_job('AZnope') is None
    with pytest.raises(errors.NotFoundError) as info:
        c.get_job('AZnope')
    assert 'job AZnope not found (unknown, deleted, or expired: results live 24 h)' in str(info.value)


def test_jobs_expire_after_24_hours_on_the_simulated_clock(sim):
    rid = sim.l360.create_job('logs', 10, 0)
    c = live(sim)
    assert c.get_job(rid)['stage'] == 'SUCCESS'
    sim.clock_offset += 24 * 3600 + 1
    assert c.find_job(rid) is None


@pytest.mark.parametrize('unknown', ['404', 'empty', 'absent'])
def test_delete_is_true_once_then_false_in_every_variant(sim, unknown):
    set_variants(sim, unknown_delete=unknown)
    rid = sim.l360.create_job('logs', 10, 0)
    c = live(sim)
    assert c.delete_job(rid) is True
    assert c.delete_job(rid) is False
    assert rid not in sim.l360.jobs


def test_delete_needs_jobs_delete_scope(sim):
    rid = sim.l360.create_job('logs', 10, 0)
    c = live(sim, token=sim.l360.credentials()['tokens']['no_jobs_delete'])
    with pytest.raises(errors.PermissionDeniedError) as info:
        c.delete_job(rid)
    assert 'scope jobs.DELETE' in str(info.value)


def test_delete_jobs_in_bulk_check_mode_then_for_real(sim):
    ids = [sim.l360.create_job('logs', 10, 0) for _n in range(3)]
    c = live(sim)
    sim.log = []
    checked = c.delete_jobs(ids + ['AZnope'], check_mode=True, concurrency=2)
    assert not [r for r in sim.log if r['method'] == 'DELETE']
    assert (checked['deleted'], checked['absent'], checked['failed']) == (ids, ['AZnope'], [])
    assert [j['request_id'] for j in checked['diff']['before']['jobs']] == ids and checked['diff']['after'] == {'jobs': []}
    assert all('raw' not in j for j in checked['diff']['before']['jobs']) and all('raw' in j for j in checked['jobs'])
    done = c.delete_jobs(ids + ['AZnope'], concurrency=2)
    assert (done['deleted'], done['absent'], done['failed']) == (ids, ['AZnope'], [])
    assert sorted(r['query']['request_id'][0] for r in sim.log if r['method'] == 'DELETE') == sorted(ids)
    assert all(i not in sim.l360.jobs for i in ids)


def test_delete_jobs_stops_after_a_missing_scope(sim):
    ids = [sim.l360.create_job('logs', 10, 0) for _n in range(4)]
    c = live(sim, token=sim.l360.credentials()['tokens']['no_jobs_delete'])
    sim.log = []
    report = c.delete_jobs(ids, concurrency=4)
    assert [r['method'] for r in sim.log].count('DELETE') == 1   # the first alone, nothing after the 403
    assert [i for i, _e in report['failed']] == ids and report['deleted'] == []
    assert 'scope jobs.DELETE' in str(report['failed'][0][1])
    assert [str(e) for _i, e in report['failed'][1:]] == ['log360: not attempted after an earlier authorization failure'] * 3


@pytest.mark.parametrize('last_page', ['absent', 'null', 'next'])
@pytest.mark.parametrize('hits,pages', [(0, 1), (999, 1), (1000, 1), (2001, 3)])
def test_results_walk_exactly_ceil_n_over_1000_pages(sim, last_page, hits, pages):
    set_variants(sim, last_page=last_page)
    rid = sim.l360.create_job('logs', hits, 0)
    c = live(sim)
    c.transport.stats['requests'] = 0
    reader, job = c.results(rid)
    got = [h for page in reader.pages() for h in page]
    assert len(got) == hits and reader.total_items == hits and job['stage'] == 'SUCCESS'
    assert reader.pages_fetched == pages
    assert c.transport.stats['requests'] == 1 + pages   # the stage check, then the pages


def test_results_one_page_and_max_hits(sim):
    rid = sim.l360.create_job('logs', 2500, 0)
    c = live(sim)
    reader, _job = c.results(rid, page=3, response_type='client')
    pages = list(reader.pages())
    assert [len(p) for p in pages] == [500] and 'Device' in pages[0][0]
    reader, _job = c.results(rid, max_hits=1001)
    assert [len(p) for p in reader.pages()] == [1000, 1] and reader.pages_fetched == 2


def test_results_of_unfinished_and_failed_jobs(sim):
    c = live(sim)
    running = sim.l360.create_job('logs', 10, 100)
    with pytest.raises(errors.ConflictError) as info:
        c.results(running)
    assert 'not finished' in str(info.value) and 'log360_job_wait' in str(info.value)
    failed = sim.l360.create_job('logs', 10, 0, fail=True)
    with pytest.raises(errors.JobFailedError):
        c.results(failed)
    for kwargs in (dict(page=0), dict(max_hits=0), dict(response_type='html')):
        with pytest.raises(errors.ValidationError):
            c.results(running, **kwargs)


def test_results_that_never_advance_are_an_error(sim, monkeypatch):
    rid = sim.l360.create_job('logs', 5000, 0)
    c = live(sim)
    monkeypatch.setattr(c, 'results_page', lambda request_id, page, response_type=None: ([{'a': 1}], {'next_page': 1}))
    reader, _job = c.results(rid)
    with pytest.raises(errors.ResponseError):
        list(reader.pages())


def test_wait_job_success_failed_and_timeout(sim):
    c = live(sim)
    done = sim.l360.create_job('logs', 10, 0)
    job, _elapsed, polls = c.wait_job(done, 10, 1)
    assert job['stage'] == 'SUCCESS' and polls == 1
    failed = sim.l360.create_job('logs', 10, 0, fail=True)
    with pytest.raises(errors.JobFailedError) as info:
        c.wait_job(failed, 10, 1)
    assert 'FAILED' in str(info.value) and info.value.details['job']['stage'] == 'FAILED'
    running = sim.l360.create_job('logs', 1000, 1000)
    clock = iter(range(0, 1000, 4))
    with pytest.raises(errors.WaitTimeoutError) as info:
        c.wait_job(running, 10, 5, clock=lambda: next(clock), sleeper=lambda s: None)
    assert 'did not finish within 10 s' in str(info.value) and 'stage RUNNING' in str(info.value)


def test_token_echoed_by_the_server_is_masked(sim):
    set_variants(sim, echo_token=True)
    bad = 'not-a-valid-token-42'
    c = live(sim, token=bad)
    with pytest.raises(errors.AuthenticationError) as info:
        c.list_jobs()
    assert bad not in str(info.value) and '********' in str(info.value)
    assert 'token invalid, revoked or expired' in str(info.value)


def test_raised_alerts_are_found_by_an_alert_search(sim):
    at = sim.now() - 600
    body = json.dumps({'count': 3, 'severity': 'trouble', 'at': at, 'device': 'app-7'}).encode()
    reply = sim.l360.control(sys.modules['core'].Request('POST', '/_sim/log360/raise', {}, {}, body), 'raise')
    assert reply.status == 200 and len(reply.body['alerts']) == 3
    set_variants(sim, job_duration=0)
    c = live(sim)
    rid = c.submit('alerts', c.search_body('alerts', query='app-7', start_time=at - 1, end_time=at + 10, severity='trouble'))
    reader, _job = c.results(rid)
    hits = [h for page in reader.pages() for h in page]
    assert [h['HOSTNAME'] for h in hits] == ['app-7'] * 3 and [h['SEVERITY'] for h in hits] == ['TROUBLE'] * 3


# -- normalised alerts, job selection, resolved window (used by the lookup and the roles) --------------------------
def test_normalise_hit_client_and_server_shapes():
    from ansible_collections.alertops.core.plugins.module_utils.log360 import normalise_hit
    client_hit = {'Alert Id': '17', 'Severity': 'trouble', 'Status': 'open', 'Device': 'dc-01',
                  'Alert Profile': 'Brute force', 'Time': '1747735585000', 'Message': 'x'}
    alert = normalise_hit(client_hit)
    assert alert == {'platform': 'log360', 'id': '17', 'status': 'open', 'severity': 'warning', 'title': 'Brute force',
                     'source': 'dc-01', 'opened_at': '2025-05-20T10:06:25Z', 'closed_at': None, 'raw': client_hit,
                     'close_reason': None, 'closed_by': None, 'acknowledged': False, 'host_id': None, 'monitor_id': None,
                     'state': 'open', 'healed': False, 'metric': None}
    server_hit = {'ALERT_ID': 18, 'SEVERITY': 'CRITICAL', 'STATUS': 'CLOSED', 'HOSTNAME': 'db-2',
                  'PROFILE_NAME': 'Ransomware', 'TIME': 1747735585000}
    alert = normalise_hit(server_hit)
    assert (alert['id'], alert['status'], alert['severity'], alert['source'], alert['title']) == \
        ('18', 'closed', 'critical', 'db-2', 'Ransomware')


def test_select_jobs_by_stage_and_age():
    from ansible_collections.alertops.core.plugins.module_utils.log360 import select_jobs
    now = 1800000000.0
    jobs = [
        {'request_id': 'old-done', 'stage': 'SUCCESS', 'stopped_at': '2027-01-14T23:00:00Z', 'submitted_at': None},
        {'request_id': 'new-done', 'stage': 'SUCCESS', 'stopped_at': '2027-01-15T07:50:00Z', 'submitted_at': None},
        {'request_id': 'old-running', 'stage': 'RUNNING', 'stopped_at': None, 'submitted_at': '2027-01-14T20:00:00Z'},
        {'request_id': 'old-failed', 'stage': 'FAILED', 'stopped_at': '2027-01-14T21:00:00Z', 'submitted_at': None},
    ]

    def ids(selected):
        return [j['request_id'] for j in selected]

    assert ids(select_jobs(jobs, finished_only=True, older_than='6h', now=now)) == ['old-done', 'old-failed']
    assert ids(select_jobs(jobs, older_than='6h', now=now)) == ['old-done', 'old-running', 'old-failed']
    assert ids(select_jobs(jobs, finished_only=True, now=now)) == ['old-done', 'new-done', 'old-failed']
    assert ids(select_jobs(jobs, older_than='2027-01-14T22:00:00Z', now=now)) == ['old-running', 'old-failed']
    with pytest.raises(errors.ValidationError, match='older_than.*duration such as 30m'):
        select_jobs(jobs, older_than='six hours', now=now)


def test_body_window():
    from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client
    assert Log360Client.body_window({'start_time': '2025-05-20T10:06:25.120Z', 'end_time': '2025-05-20T11:06:25Z'}) == \
        ('2025-05-20T10:06:25Z', '2025-05-20T11:06:25Z')


# -- synchronous API and metadata, against the simulator ------------------------------------------------------------
@pytest.mark.parametrize('shape', ['v2', 'v1_shape'])
def test_sync_search_pages_by_cursor_in_both_shapes(sim, shape):
    set_variants(sim, sync=shape, sync_page_size=1000)
    c = live(sim)
    reader = c.sync_pages('logs', c.search_body('logs', query='*', start_time='-1h'))
    hits = [h for page in reader.pages() for h in page]
    assert len(hits) == 2500 and len(set(h['UUID'] for h in hits)) == 2500 and reader.pages_fetched == 3
    posts = [e for e in sim.log if e['path'] == '/api/v2/search']
    bodies = [json.loads(e['body']) for e in posts]
    assert 'query' in bodies[0] and [set(b) for b in bodies[1:]] == [{'cursor'}, {'cursor'}]
    assert reader.total_items == (2500 if shape == 'v2' else None)


def test_sync_alerts_match_the_async_job_and_stop_at_max_hits(sim):
    set_variants(sim, sync_page_size=10, job_duration=0)
    c = live(sim)
    body = c.search_body('alerts', start_time='-48h', severity='critical')
    sync_ids = [h['ALERT_ID'] for page in c.sync_pages('alerts', body).pages() for h in page]
    reader, _job = c.results(c.submit('alerts', body))
    assert sync_ids == [h['ALERT_ID'] for page in reader.pages() for h in page] and len(sync_ids) == 12
    sim.log[:] = []
    assert len([h for page in c.sync_pages('alerts', body, max_hits=15).pages() for h in page]) == 12
    assert len([h for page in c.sync_pages('alerts', body, max_hits=5).pages() for h in page]) == 5
    assert len([e for e in sim.log if e['path'] == '/api/v2/alerts']) == 2 + 1


def test_sync_cursor_expires_after_five_minutes(sim):
    set_variants(sim, sync_page_size=1000)
    c = live(sim)
    hits, cursor, _total = c.sync_page('logs', c.search_body('logs', query='*'))
    assert len(hits) == 1000 and cursor
    sim.clock_offset += 301
    with pytest.raises(errors.HTTPError) as info:
        c.sync_page('logs', {'cursor': cursor})
    assert info.value.status == 400 and 'expired' in str(info.value)


@pytest.mark.parametrize('meta', ['v2', 'v1_shape', 'v1_only'])
def test_metadata_every_server_shape_and_profile_names_read_once(sim, meta):
    set_variants(sim, meta=meta)
    c = live(sim)
    sources = c.metadata('log_sources')
    assert [s['name'] for s in sources][:2] == ['dc01.corp.example', 'dc02.corp.example'] and sources[0]['id'] == '300'
    sim.log[:] = []
    assert c.resolve_profile_names(['failed LOGONS', 'Malware detected']) == ['3001', '3005']
    assert c.resolve_profile_names(['Account lockouts']) == ['3002']
    profile_reads = [e for e in sim.log if 'profiles' in e['path'] or 'alert_profiles' in e['path']]
    assert len(profile_reads) == (2 if meta == 'v1_only' else 1)    # v1_only: the v2 404, then v1; cached after
    with pytest.raises(errors.ValidationError) as info:
        c.resolve_profile_names(['Failed logins'])
    assert "no alert profile named 'Failed logins'" in str(info.value) and 'Failed logons' in str(info.value)


@pytest.mark.parametrize('fault,requests_', [
    ('drop_after', ['DELETE', 'GET']),       # the answer was lost: the job list says it is gone -> deleted by us
    ('unreadable', ['DELETE', 'GET']),       # 2xx with a body that cannot be read: the same
    ('drop_before', ['DELETE', 'GET', 'DELETE']),   # never reached the server (outcome unknown to the client): resent
])
def test_delete_with_a_lost_answer_is_rechecked_and_reported_truthfully(sim, fault, requests_):
    rid = sim.l360.create_job('logs', 10, 0)
    sim.config['faults']['script'] = [{'method': 'DELETE', 'path': '^/api/v2/jobs$', 'fault': fault, 'count': 1}]
    sim.log = []
    c = live(sim)
    c.transport.retries = 0
    assert c.delete_job(rid) is True
    assert rid not in sim.l360.jobs
    assert [r['method'] for r in sim.log] == requests_
    assert c.delete_job(rid) is False


def test_delete_lost_then_404_on_the_resend_is_ours(sim):
    rid = sim.l360.create_job('logs', 10, 0)
    c = live(sim)
    answers = iter([errors.OutcomeUnknownError('lost', platform='log360'), None])
    real = c.transport.request

    def request(method, path, operation, **kwargs):
        answer = next(answers) if method == 'DELETE' else None
        if isinstance(answer, Exception):
            real(method, path, operation, **kwargs)   # the server acts, the answer is lost
            raise answer
        return real(method, path, operation, **kwargs)
    c.transport.request = request
    c.find_job = lambda request_id: {'request_id': request_id}   # a lagging job list still shows it
    assert c.delete_job(rid) is True
