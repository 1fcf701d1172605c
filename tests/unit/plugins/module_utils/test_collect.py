# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The list/collect workflows of the clients (one method per workflow, used by the alerts lookup and the roles):
what each one asks the server to select, what it filters itself, and that a Log360 job is always deleted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import errors, log360, mackerel, opsramp

T0 = 1800000000          # 2027-01-15T08:00:00Z


# -- Log360: submit -> wait -> every page -> delete, or the synchronous API --------------------------------------
class Reader:
    def __init__(self, pages, total=None):
        self._pages = pages
        self.pages_fetched = 0
        self.total_items = total
        self.hits_read = 0

    def pages(self):
        for page in self._pages:
            self.pages_fetched += 1
            self.hits_read += len(page)
            yield page


class StubLog360(log360.Log360Client):
    """The workflow's steps recorded; ``fail`` names the step that raises."""

    def __init__(self, pages=None, fail=None, delete_fails=False):
        super(StubLog360, self).__init__(transport_=None)
        self.pages = pages if pages is not None else [[{'n': 1}, {'n': 2}], [{'n': 3}]]
        self.fail = fail
        self.delete_fails = delete_fails
        self.calls = []

    def _step(self, name):
        self.calls.append(name)
        if self.fail == name:
            raise errors.JobFailedError('%s failed' % name, platform='log360')

    def submit(self, kind, body):
        self._step('submit')
        return 'R1'

    def wait_job(self, request_id, timeout, sleep, clock=None, sleeper=None):
        self._step('wait')
        return {'request_id': request_id, 'stage': 'SUCCESS'}, 1.5, 2

    def results(self, request_id, page=None, max_hits=None, response_type=None):
        self._step('results')
        return Reader(self.pages), {'request_id': request_id, 'stage': 'SUCCESS', 'total_hits': 3}

    def sync_pages(self, kind, body, max_hits=None, response_type=None):
        self._step('sync')
        return Reader(self.pages, total=3)

    def delete_job(self, request_id):
        self.calls.append('delete')
        if self.delete_fails:
            raise errors.TransportError('gone', platform='log360')
        return True


BODY_1H = {'query': '*', 'start_time': '2027-01-15T07:00:00Z', 'end_time': '2027-01-15T08:00:00Z'}
BODY_2D = {'query': '*', 'start_time': '2027-01-13T08:00:00Z', 'end_time': '2027-01-15T08:00:00Z'}


@pytest.mark.parametrize('mode,body,max_hits,used,calls', [
    ('async', BODY_1H, None, 'async', ['submit', 'wait', 'results', 'delete']),
    ('sync', BODY_2D, None, 'sync', ['sync']),
    ('auto', BODY_1H, None, 'sync', ['sync']),                     # a window of at most 6 h
    ('auto', BODY_2D, None, 'async', ['submit', 'wait', 'results', 'delete']),
    ('auto', BODY_2D, 500, 'sync', ['sync']),                      # at most 10000 hits
])
def test_log360_collect_reads_every_page_the_one_way(mode, body, max_hits, used, calls):
    client = StubLog360()
    found = client.collect('alerts', body, 60, 1, max_hits=max_hits, mode=mode)
    assert client.calls == calls
    assert found['mode'] == used and [h['n'] for h in found['hits']] == [1, 2, 3]
    assert (found['pages_fetched'], found['total_items']) == (2, 3)
    if used == 'async':
        assert (found['request_id'], found['job']['stage'], found['elapsed'], found['polls']) == ('R1', 'SUCCESS', 1.5, 2)
    else:
        assert 'request_id' not in found and 'job' not in found


@pytest.mark.parametrize('fail,calls', [
    ('wait', ['submit', 'wait', 'delete']),
    ('results', ['submit', 'wait', 'results', 'delete']),
    ('page', ['submit', 'wait', 'results', 'delete']),            # the caller's page handler failed
])
def test_log360_collect_deletes_the_job_also_when_a_step_fails(fail, calls):
    client = StubLog360(fail=fail)

    def on_page(page):
        raise errors.AlertOpsError('disk full', platform='log360') if fail == 'page' else AssertionError

    with pytest.raises(errors.AlertOpsError) as info:
        client.collect('alerts', BODY_2D, 60, 1, mode='async', on_page=on_page)
    assert client.calls == calls
    assert ('disk full' if fail == 'page' else '%s failed' % fail) in str(info.value)


def test_log360_collect_keeps_the_original_error_when_the_delete_fails_too():
    client = StubLog360(fail='wait', delete_fails=True)
    with pytest.raises(errors.JobFailedError, match='wait failed'):
        client.collect('alerts', BODY_2D, 60, 1, mode='async')
    assert client.calls == ['submit', 'wait', 'delete']


def test_log360_collect_streams_pages_and_tells_the_job_before_the_wait():
    client = StubLog360()
    seen, submitted = [], []
    found = client.collect('logs', BODY_2D, 60, 1, mode='async', on_page=seen.append, on_submit=submitted.append)
    assert seen == client.pages and submitted == ['R1'] and 'hits' not in found


@pytest.mark.parametrize('timeout,sleep,message', [
    (-1, 5, 'option wait_timeout must be zero or positive, got -1'),
    (60, 0, 'option wait_sleep must be positive, got 0'),
])
def test_log360_collect_checks_the_wait_before_anything_is_sent(timeout, sleep, message):
    client = StubLog360()
    with pytest.raises(errors.ValidationError, match=message):
        client.collect('alerts', BODY_2D, timeout, sleep, mode='async')
    assert client.calls == []


HITS = [{'Alert Id': '1', 'Status': 'open', 'Severity': 'critical', 'Time': '1800000000000'},
        {'Alert Id': '2', 'Status': 'closed', 'Severity': 'trouble', 'Time': '1800000000000'},
        {'Alert Id': '3', 'Status': 'in_progress', 'Severity': 'attention', 'Time': '1800000000000'}]


@pytest.mark.parametrize('ids,with_closed,expected', [
    (None, False, ['1', '3']),        # "not closed" is two statuses: filtered here
    (None, True, ['1', '2', '3']),
    (['2', '3'], False, ['3']),      # ids: the search has no id filter
    (['2', '3'], True, ['2', '3']),
])
def test_log360_collect_alerts_filters_what_the_search_cannot(ids, with_closed, expected):
    client = StubLog360(pages=[HITS])
    got = client.collect_alerts(ids=ids, with_closed=with_closed, opened_after='-1h', mode='sync')
    assert [a['id'] for a in got] == expected and all(a['platform'] == 'log360' for a in got)


def test_log360_collect_alerts_sends_the_window_severity_and_profiles(monkeypatch):
    client = StubLog360(pages=[[]])
    sent = {}
    monkeypatch.setattr(client, 'collect', lambda kind, body, t, s, max_hits=None, mode=None, on_submit=None: sent.update(
        kind=kind, body=body, t=t, s=s, max_hits=max_hits, mode=mode, on_submit=on_submit) or {'hits': []})
    monkeypatch.setattr(client, 'resolve_profile_names', lambda names: ['9', '7'] if names else [])
    client.collect_alerts(query='user=x', opened_after='2027-01-15T06:00:00Z', opened_before='2027-01-15T07:00:00Z',
                          severity='warning', profile_ids=['7'], profile_names=['Brute force'], max_items=5,
                          mode='async', wait_timeout=30, wait_sleep=2)
    assert sent == {'kind': 'alerts', 't': 30, 's': 2, 'max_hits': 5, 'mode': 'async', 'on_submit': None,
                    'body': {'query': 'user=x', 'start_time': '2027-01-15T06:00:00Z', 'end_time': '2027-01-15T07:00:00Z',
                             'severity': 'trouble', 'profile_ids': ['7', '9']}}


def test_log360_collect_alerts_refuses_a_query_that_is_not_a_string():
    with pytest.raises(errors.ValidationError, match='option query must be a string for platform=log360'):
        StubLog360().collect_alerts(query={'a': 1})


# -- Mackerel: the list has only withClosed; the rest is filtered in the client ---------------------------------
def mk_alert(alert_id, opened, status='CRITICAL', host='h1', monitor='m1', closed=None):
    alert = {'id': alert_id, 'status': status, 'monitorId': monitor, 'hostId': host, 'type': 'host', 'openedAt': opened}
    if closed is not None:
        alert['closedAt'] = closed
    return alert


class StubMackerel(mackerel.MackerelClient):
    def __init__(self, alerts):
        self.transport = None
        self.alerts = alerts
        self.listed = []
        self.read = []

    def _page(self, with_closed, limit, convert=None):
        def fetch(cursor):
            start = int(cursor or 0)
            self.listed.append((with_closed, start))
            listed = [a for a in self.alerts if with_closed or 'closedAt' not in a]
            page = listed[start:start + 2]
            more = start + 2 < len(listed)
            return [(convert or mackerel.normalise_alert)(a) for a in page], (str(start + 2) if more else None)
        return fetch

    def get_alert(self, alert_id):
        self.read.append(alert_id)
        return mackerel.normalise_alert(dict((a['id'], a) for a in self.alerts)[alert_id])


MK = [mk_alert('a5', T0 + 50), mk_alert('a4', T0 + 40, host='h2'), mk_alert('a3', T0 + 30, 'OK', closed=T0 + 35),
      mk_alert('a2', T0 - 100, monitor='m2'), mk_alert('a1', T0 - 200)]


@pytest.mark.parametrize('kwargs,expected,listed,read', [
    ({}, ['a5', 'a4', 'a2', 'a1'], [(False, 0), (False, 2)], []),
    ({'with_closed': True, 'max_items': 3}, ['a5', 'a4', 'a3'], [(True, 0), (True, 2)], []),
    ({'host_id': ['h2']}, ['a4'], [(False, 0), (False, 2)], []),
    ({'monitor_id': ['m2'], 'with_closed': True}, ['a2'], [(True, 0), (True, 2), (True, 4)], []),
    # newest first: the page older than opened_after ends the walk
    ({'opened_after': T0, 'with_closed': True}, ['a5', 'a4', 'a3'], [(True, 0), (True, 2), (True, 4)], []),
    ({'opened_after': T0}, ['a5', 'a4'], [(False, 0), (False, 2)], []),
    # ids: read one by one; closed ones only with_closed; the window and scope filters do not apply
    ({'ids': ['a3', 'a2'], 'opened_after': T0}, ['a2'], [], ['a3', 'a2']),
    ({'ids': ['a3', 'a2', 'a1'], 'with_closed': True, 'max_items': 2}, ['a3', 'a2'], [], ['a3', 'a2', 'a1']),
    # status (the EDA source's filter), in the collection's words or Mackerel's
    ({'status': ['ok'], 'with_closed': True}, ['a3'], [(True, 0), (True, 2), (True, 4)], []),
    ({'status': ['CRITICAL'], 'host_id': ['h1']}, ['a5', 'a2', 'a1'], [(False, 0), (False, 2)], []),
])
def test_mackerel_collect_alerts(kwargs, expected, listed, read):
    client = StubMackerel(MK)
    got = client.collect_alerts(**kwargs)
    assert [a['id'] for a in got] == expected
    assert all(a['platform'] == 'mackerel' and a['raw']['id'] == a['id'] for a in got)
    assert client.listed == listed and client.read == read


def test_mackerel_collect_alerts_names_the_bad_window_option():
    with pytest.raises(errors.ValidationError) as info:
        StubMackerel(MK).collect_alerts(opened_after='yesterday-ish')
    assert 'opened_after' in str(info.value) and info.value.platform == 'mackerel'


# -- OpsRamp: the server selects (window, open actions), the client re-checks -------------------------------------
def op_alert(uid, created, closed=False):
    return {'uniqueId': uid, 'currentState': 'Critical', 'subject': 's%s' % uid, 'closed': closed,
            'createdDate': opsramp.format_time(created), 'device': {'id': 'd1', 'name': 'web-1'}}


class StubOpsRamp(opsramp.OpsRampClient):
    def __init__(self, pages):
        self.transport = None
        self.pages = pages
        self.queries = []
        self.pages_read = 0
        self.read = []

    def iter_search_pages(self, query=None, max_items=None, page_size=opsramp.PAGE_SIZE):
        self.queries.append(query)
        for page in self.pages:
            self.pages_read += 1
            yield [opsramp.normalise_alert(a) for a in page]

    def get_alert(self, alert_id):
        self.read.append(alert_id)
        return opsramp.normalise_alert(dict((a['uniqueId'], a) for p in self.pages for a in p)[alert_id])


# a server that ignored part of the query: a closed alert and one from before the window come back
OP_PAGES = [[op_alert('1', T0 + 10), op_alert('2', T0 + 20, closed=True)], [op_alert('3', T0 - 60), op_alert('4', T0 + 30)]]
NOT_CLOSED = ['OPEN', 'ACKNOWLEDGED', 'SUPPRESSED', 'TICKETED']


@pytest.mark.parametrize('kwargs,expected,query,pages_read', [
    ({}, ['1', '3', '4'], {'actions': NOT_CLOSED}, 2),
    ({'with_closed': True}, ['1', '2', '3', '4'], {}, 2),
    ({'opened_after': T0}, ['1', '4'], {'startDate': T0, 'alertTimeBase': 'created', 'actions': NOT_CLOSED}, 2),
    ({'opened_before': T0 + 15, 'with_closed': True}, ['1', '3'], {'endDate': T0 + 15, 'alertTimeBase': 'created'}, 2),
    ({'query': {'states': ['Critical'], 'actions': 'OPEN'}}, ['1', '3', '4'], {'states': ['Critical'], 'actions': 'OPEN'},
     2),
    ({'max_items': 1}, ['1'], {'actions': NOT_CLOSED}, 1),        # paging stops at max_items
])
def test_opsramp_collect_alerts(kwargs, expected, query, pages_read):
    client = StubOpsRamp(OP_PAGES)
    got = client.collect_alerts(**kwargs)
    assert [a['id'] for a in got] == expected
    assert client.queries == [query] and client.pages_read == pages_read
    assert all(a['host_id'] == 'd1' and a['source'] == 'web-1' and 'created_at' not in a['raw'] for a in got)


def test_opsramp_collect_alerts_by_id_filters_here():
    client = StubOpsRamp(OP_PAGES)
    got = client.collect_alerts(ids=['2', '3', '4'], opened_after=T0)
    assert [a['id'] for a in got] == ['4'] and client.read == ['2', '3', '4'] and client.queries == []


@pytest.mark.parametrize('kwargs,message', [
    ({'query': 'states=Critical'}, 'option query must be a dict of OpsRamp search variables for platform=opsramp'),
    ({'opened_after': T0 + 10, 'opened_before': T0}, 'opened_after'),
])
def test_opsramp_collect_alerts_refuses_bad_input_before_any_request(kwargs, message):
    client = StubOpsRamp(OP_PAGES)
    with pytest.raises(errors.ValidationError, match=message) as info:
        client.collect_alerts(**kwargs)
    assert info.value.platform == 'opsramp' and client.queries == []


def test_opsramp_collect_occurrences_walks_each_alert(monkeypatch):
    client = StubOpsRamp([])
    walks = []

    def occurrences(alert_id, start_time=None, end_time=None, max_items=None):
        walks.append((alert_id, start_time, end_time, max_items))
        return [{'uniqueId': 'o%s' % alert_id, 'currentState': 'Warning', 'subject': 'x',
                 'createdTimeString': '2027-01-15T08:00:00+0000', 'created_at': '2027-01-15T08:00:00Z'}]
    monkeypatch.setattr(client, 'occurrences', occurrences)
    got = client.collect_occurrences(ids=['7', '8'], start_time='-1d', opened_after='-2d', opened_before='now',
                                     max_items=3)
    assert walks == [('7', '-1d', 'now', 3), ('8', '-1d', 'now', 3)]
    assert [(a['id'], a['severity'], a['opened_at']) for a in got] == [('o7', 'warning', '2027-01-15T08:00:00Z'),
                                                                       ('o8', 'warning', '2027-01-15T08:00:00Z')]
    with pytest.raises(errors.ValidationError, match='occurrences=true needs the alert ids as terms'):
        client.collect_occurrences(ids=[])


@pytest.mark.parametrize('client,alert_id,expected', [
    (StubMackerel(MK), 'a3', {'id': 'a3', 'status': 'closed', 'closed_at': '2027-01-15T08:00:35Z', 'host_id': 'h1'}),
    (StubOpsRamp(OP_PAGES), '2', {'id': '2', 'status': 'closed', 'closed_at': None, 'host_id': 'd1'}),   # no closedTime
])
def test_get_alert_model_reads_one_alert_into_the_model(client, alert_id, expected):
    got = client.get_alert_model(alert_id)
    assert dict((k, got[k]) for k in expected) == expected and client.read == [alert_id]


@pytest.mark.parametrize('client_class,kwargs,message', [
    (mackerel.MackerelClient, {'status': ['bright']}, 'status'),
    (mackerel.MackerelClient, {'opened_after': 'yesterday-ish'}, 'opened_after'),
    (opsramp.OpsRampClient, {'query': 'states:Critical'}, 'option query must be a dict of OpsRamp search variables'),
    (opsramp.OpsRampClient, {'query': {'colour': 'red'}}, 'option query: unknown key(s) colour'),
    (log360.Log360Client, {'query': ['*']}, 'option query must be a string for platform=log360'),
])
def test_check_alert_options_refuses_before_a_client_exists(client_class, kwargs, message):
    with pytest.raises(errors.ValidationError) as info:
        client_class.check_alert_options(with_closed=False, mode='auto', **kwargs)
    assert message in str(info.value) and info.value.platform == client_class.PLATFORM


def test_the_clients_to_model_is_the_vendor_model_function():
    assert mackerel.MackerelClient.to_model is mackerel.to_model and opsramp.OpsRampClient.to_model is opsramp.normalise
    assert log360.Log360Client.to_model is log360.normalise_hit
