# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.alertops.core.plugins.module_utils import claims, errors, mackerel

KEY = 'unit-test-mackerel-key-123456'


class FakeResponse:
    def __init__(self, status, body):
        self.status = status
        self.text = body if isinstance(body, str) else json.dumps(body)

    def excerpt(self, limit=300):  # as transport.Response: redacted (nothing registered here), then cut
        return self.text.strip()[:limit]

    def json(self, allow_empty=False):
        return json.loads(self.text) if self.text else None


class FakeTransport:
    """Answers from a list of alerts like the real API; ``script`` injects errors per (method, path)."""

    def __init__(self, alerts, page_size=100):
        self.alerts = alerts
        self.page_size = page_size
        self.calls = []
        self.script = {}
        self.retries = 3

    def request(self, method, path, operation, params=None, json_body=None, **kwargs):
        self.calls.append((method, path, dict(params or {}), json_body))
        queued = self.script.get((method, path))
        if queued:
            action = queued.pop(0)
            if isinstance(action, Exception):
                if getattr(action, 'apply', False):
                    self._act(method, path, json_body)
                raise action
        return FakeResponse(200, self._act(method, path, json_body, params or {}))

    def _act(self, method, path, body, params=None):
        parts = path.split('/')[3:]
        if parts == ['alerts']:
            limit = int(params.get('limit', self.page_size))
            visible = [a for a in self.alerts if params.get('withClosed') == 'true' or a['status'] != 'OK']
            start = 0
            if params.get('nextId'):
                start = [a['id'] for a in visible].index(params['nextId']) + 1
            page = visible[start:start + limit]
            out = {'alerts': page}
            if start + limit < len(visible):
                out['nextId'] = page[-1]['id']
            return out
        alert = next(a for a in self.alerts if a['id'] == parts[1])
        if method == 'POST' and alert['status'] != 'OK':   # a closed alert comes back unchanged (variant "200")
            alert.update(status='OK', reason=body['reason'], closedAt=2000)
        if method == 'PUT':
            alert['memo'] = body['memo']
            return {'id': alert['id'], 'memo': body['memo']}
        if len(parts) == 3 and parts[2] == 'logs':
            return {'logs': [{'id': 'l1', 'createdAt': 0, 'status': 'OK'}]}
        return dict(alert)

    def posts(self):
        return [c for c in self.calls if c[0] == 'POST']


def make_alerts(n, closed_every=0):
    out = []
    for i in range(n):
        alert = {'id': 'a%04d' % i, 'status': 'CRITICAL', 'monitorId': 'm%d' % (i % 3), 'type': mackerel.TYPES[i % 8],
                 'openedAt': 1700000000 - i * 60}
        if i % 2 == 0:
            alert['hostId'] = 'h%d' % (i % 4)
        if closed_every and i % closed_every == 0:
            alert.update(status='OK', closedAt=1700000000, reason='old')
        out.append(alert)
    return out


def client_for(alerts, page_size=100, ledger=None):
    return mackerel.MackerelClient(FakeTransport(alerts, page_size), ledger=ledger or claims.Ledger.disabled())


def test_describe_error_reads_both_error_forms_and_hints():
    class R(FakeResponse):
        def __init__(self, status, text, operation='list alerts'):
            FakeResponse.__init__(self, status, text)
            self.operation = operation
    assert mackerel.describe_error(R(404, '{"error": {"message": "Alert Not Found."}}')) == (
        'Alert Not Found.', mackerel.HINTS[404])
    text, hint = mackerel.describe_error(R(403, '{"error": "no Write permission"}', 'close alert a1'))
    assert text == 'no Write permission' and 'need an API key with Write permission' in hint
    assert 'IP address range' in mackerel.describe_error(R(403, '{"error": "nope"}'))[1]
    assert mackerel.describe_error(R(500, '<html>boom</html>'))[0] == '<html>boom</html>'


def test_from_params_sets_header_pool_and_redaction():
    client = mackerel.MackerelClient.from_params({'url': 'http://127.0.0.1:1', 'api_key': KEY, 'retries': 0},
                                                 concurrency=32)
    assert client.transport.session.headers['X-Api-Key'] == KEY
    assert client.transport.session.get_adapter('http://x').poolmanager.connection_pool_kw['maxsize'] >= 32
    assert KEY not in client.transport.redact('key=%s' % KEY)
    with pytest.raises(errors.ValidationError, match='api_key'):
        mackerel.MackerelClient.from_params({'url': 'http://127.0.0.1:1', 'api_key': ''})


def test_listing_follows_next_id_to_the_end_with_the_same_with_closed():
    alerts = make_alerts(250, closed_every=5)
    client = client_for(alerts)
    got = client.list_alerts(with_closed=True, limit=100)
    assert [a['id'] for a in got] == [a['id'] for a in alerts]
    calls = client.transport.calls
    assert len(calls) == 3
    assert all(c[2]['withClosed'] == 'true' and c[2]['limit'] == '100' for c in calls)
    assert 'nextId' not in calls[0][2] and calls[1][2]['nextId'] == 'a0099'
    assert got[0]['opened_at'] == '2023-11-14T22:13:20Z' and got[0]['closed_at'] == '2023-11-14T22:13:20Z'
    open_only = client_for(alerts).list_alerts()
    assert len(open_only) == 200 and all(a['status'] != 'OK' for a in open_only)


def test_max_items_stops_paging_and_limit_is_checked_before_sending():
    client = client_for(make_alerts(250))
    assert len(client.list_alerts(max_items=30)) == 30
    assert len(client.transport.calls) == 1 and client.transport.calls[0][2]['limit'] == '30'
    with pytest.raises(errors.ValidationError, match='limit must be between 1 and 100'):
        client.list_alerts(limit=101)
    assert len(client.transport.calls) == 1


def test_filters_are_client_side_inclusive_and_validated():
    alerts = [mackerel.normalise_alert(a) for a in make_alerts(40)]
    f = mackerel.Filters(type=['host'], opened_after=1700000000 - 600, opened_before='2023-11-14T22:13:20Z')
    assert [a['id'] for a in alerts if f.match(a)] == ['a0001', 'a0009']
    assert [a['id'] for a in alerts if mackerel.Filters(host_id=['h2'], monitor_id=['m0']).match(a)] == [
        'a0006', 'a0018', 'a0030']
    assert not mackerel.Filters() and mackerel.Filters(status=['CRITICAL'])
    with pytest.raises(errors.ValidationError, match='opened_after'):
        mackerel.Filters(opened_after='yesterday-ish')
    with pytest.raises(errors.ValidationError, match='opened_before .* is before opened_after'):
        mackerel.Filters(opened_after=2000, opened_before=1000)
    with pytest.raises(errors.ValidationError, match="option type: 'nope' is not one of"):
        mackerel.Filters(type=['nope'])
    with_max = client_for(make_alerts(250)).list_alerts(filters=mackerel.Filters(type=['query']), max_items=5)
    assert [a['type'] for a in with_max] == ['query'] * 5


def test_get_alert_takes_the_bare_object_and_logs_are_normalised():
    client = client_for(make_alerts(3))
    assert client.get_alert('a0001')['id'] == 'a0001'
    logs = client.alert_logs('a0001')
    assert logs[0]['created_at'] == '1970-01-01T00:00:00Z'
    with pytest.raises(errors.ValidationError):
        client.get_alert('../x')


def test_close_checked_reads_back_after_an_unknown_outcome_and_never_closes_twice():
    alerts = make_alerts(2)
    client = client_for(alerts)
    path = '/api/v0/alerts/a0000/close'
    dropped_after = errors.OutcomeUnknownError('dropped', platform='mackerel')
    dropped_after.apply = True   # the server acted before the connection dropped
    client.transport.script[('POST', path)] = [dropped_after]
    after, changed = client.close_checked('a0000', 'CHG-1')
    assert changed and after['status'] == 'OK'
    assert [c[0] for c in client.transport.calls] == ['POST', 'GET']

    client.transport.calls = []
    client.transport.script[('POST', '/api/v0/alerts/a0001/close')] = [errors.OutcomeUnknownError('dropped before')]
    after, changed = client.close_checked('a0001', 'CHG-1')
    assert changed and [c[0] for c in client.transport.calls] == ['POST', 'GET', 'POST']


def test_close_refused_on_an_already_closed_alert_is_not_changed():
    alerts = make_alerts(1)
    alerts[0].update(status='OK', closedAt=5, reason='someone else')
    client = client_for(alerts)
    client.transport.script[('POST', '/api/v0/alerts/a0000/close')] = [
        errors.HTTPError('request rejected', 400, platform='mackerel')]
    after, changed = client.close_checked('a0000', 'CHG-1')
    assert not changed and after['reason'] == 'someone else'


def test_close_answered_200_with_someone_elses_close_is_not_changed():
    alerts = make_alerts(1)
    alerts[0].update(status='OK', closedAt=5, reason='someone else')
    after, changed = client_for(alerts).close_checked('a0000', 'CHG-1')
    assert not changed and after['reason'] == 'someone else'


def test_find_alerts_uses_get_for_few_ids_and_the_listing_for_many():
    alerts = make_alerts(300, closed_every=3)
    client = client_for(alerts)
    found = client.find_alerts(['a0001', 'a0003'])
    assert sorted(found) == ['a0001', 'a0003'] and [c[0] for c in client.transport.calls] == ['GET', 'GET']
    assert all(c[1] != '/api/v0/alerts' for c in client.transport.calls)

    client = client_for(alerts)
    wanted = ['a%04d' % i for i in range(1, 60) if i % 3]
    found = client.find_alerts(wanted)
    assert sorted(found) == sorted(wanted)
    assert all(c[1] == '/api/v0/alerts' for c in client.transport.calls)   # listing pages only, no GET per alert

    client = client_for(alerts)
    client.transport.script[('GET', '/api/v0/alerts/zzz')] = [errors.NotFoundError('not found', 404)]
    with pytest.raises(errors.ValidationError, match='no such alert: zzz'):
        client.find_alerts(['a0001', 'zzz'])
    assert not client.transport.posts()


def test_apply_stops_after_a_permission_failure():
    client = client_for(make_alerts(20))
    for n in range(20):
        client.transport.script[('POST', '/api/v0/alerts/a%04d/close' % n)] = [
            errors.PermissionDeniedError('forbidden', 403, platform='mackerel')]
    report = client.apply(ids=['a%04d' % n for n in range(20)], close=True, reason='CHG-1', concurrency=8)
    assert [c[1] for c in client.transport.posts()] == ['/api/v0/alerts/a0000/close']   # the first write only
    assert all(item.get('error') for item in report['alerts'])
    assert [e.status for e in report['failures']][:2] == [403, None] and report['todo'] == 20
    assert not any(item['changed'] for item in report['alerts']) and report['closed'] == 0


def test_apply_plans_memo_and_close_and_predicts_in_check_mode():
    alerts = make_alerts(3)
    alerts[1].update(status='OK', closedAt=5, reason='earlier')
    client = client_for(alerts)
    report = client.apply(ids=['a0000', 'a0001', 'a0002'], close=True, reason='CHG-1', memo='note', check_mode=True)
    assert not client.transport.posts() and not [c for c in client.transport.calls if c[0] == 'PUT']
    assert [(a['id'], a['changed'], a['after'].get('status'), a['after'].get('memo')) for a in report['alerts']] == [
        ('a0000', True, 'OK', 'note'), ('a0001', True, 'OK', 'note'), ('a0002', True, 'OK', 'note')]
    assert (report['closed'], report['memo_updated'], report['todo']) == (2, 3, 3)
    assert report['diff']['after']['a0000'] == {'status': 'OK', 'reason': 'CHG-1', 'memo': 'note'}
    report = client.apply(ids=['a0000', 'a0001', 'a0002'], close=True, reason='CHG-1', memo='note')
    assert (report['closed'], report['memo_updated'], report['failures']) == (2, 3, [])
    assert report['alerts'][0]['after']['closedAt'] == 2000 and report['alerts'][1]['after']['reason'] == 'earlier'
    again = client.apply(ids=['a0000', 'a0001', 'a0002'], close=True, reason='CHG-1', memo='note')
    assert (again['closed'], again['memo_updated'], again['todo'], again['diff']) == (
        0, 0, 0, {'before': {}, 'after': {}})


def test_memo_size_is_checked_before_sending():
    client = client_for(make_alerts(1))
    with pytest.raises(errors.ValidationError, match='80 KB'):
        client.update_memo('a0000', 'x' * (80 * 1024 + 1))
    assert not client.transport.calls
    assert client.update_memo('a0000', 'note') == {'id': 'a0000', 'memo': 'note'}


def test_to_model_maps_onto_the_normalised_alert():
    closed = mackerel.normalise_alert({'id': 'a1', 'status': 'OK', 'monitorId': 'm1', 'type': 'host', 'hostId': 'h1',
                                       'openedAt': 1700000000, 'closedAt': 1700000600, 'reason': 'done'})
    got = mackerel.to_model(closed)
    raw = dict((k, v) for k, v in closed.items() if k not in ('opened_at', 'closed_at'))
    assert got == {'platform': 'mackerel', 'id': 'a1', 'status': 'closed', 'severity': 'info',
                   'title': 'host alert of monitor m1', 'source': 'h1', 'opened_at': '2023-11-14T22:13:20Z',
                   'closed_at': '2023-11-14T22:23:20Z', 'raw': raw, 'close_reason': 'done', 'closed_by': None,
                   'acknowledged': False, 'host_id': 'h1', 'monitor_id': 'm1', 'state': 'OK', 'healed': True,
                   'metric': None}
    query = mackerel.to_model({'id': 'a2', 'status': 'CRITICAL', 'monitorId': 'm2', 'type': 'query', 'openedAt': 1,
                               'series': {'name': 'http.duration', 'labels': {'service': 'web'}}})
    assert (query['status'], query['severity'], query['source']) == ('open', 'critical', 'http.duration{service=web}')
    assert mackerel.to_model({'id': 'a3', 'status': 'WARNING', 'type': 'check', 'message': 'disk full',
                              'openedAt': 1})['title'] == 'disk full'


def test_proxy_and_ca_environment_is_resolved_once_per_session(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/corp.pem')
    monkeypatch.delenv('NO_PROXY', raising=False)
    monkeypatch.delenv('no_proxy', raising=False)
    client = mackerel.MackerelClient.from_params({'url': 'https://api.mackerelio.com', 'api_key': KEY})
    session = client.transport.session
    assert session.trust_env is False
    assert session.proxies['https'] == 'http://proxy.example:3128'
    assert session.verify == '/etc/ssl/corp.pem'
    monkeypatch.setenv('NO_PROXY', 'api.mackerelio.com')
    bypass = mackerel.MackerelClient.from_params({'url': 'https://api.mackerelio.com', 'api_key': KEY, 'ca_path': '/x.pem'})
    assert 'https' not in bypass.transport.session.proxies and bypass.transport.session.verify == '/x.pem'


def test_opened_after_stops_paging_once_a_whole_page_is_older():
    client = client_for(make_alerts(1000), page_size=100)
    fake = client.transport
    # alerts are 60 s apart, newest first: 150 alerts are at or after this time -> pages 1 and 2 hold them,
    # page 2 still reaches back past it, page 3 is the first page entirely older
    found = client.list_alerts(filters=mackerel.Filters(opened_after=1700000000 - 149 * 60))
    assert [a['id'] for a in found] == ['a%04d' % i for i in range(150) if make_alerts(1000)[i]['status'] != 'OK']
    assert len([c for c in fake.calls if c[1] == '/api/v0/alerts']) == 3


def test_get_host_and_monitor_unwrap_and_check_ids():
    seen = []

    class FakeTransport:
        retries = 0

        def request(self, method, path, operation, **kwargs):
            seen.append((method, path, operation))

            class Answer:
                def json(self):
                    kind = path.split('/')[3][:-1]
                    return {kind: {'id': path.rsplit('/', 1)[-1], 'name': 'n-' + kind, 'displayName': ''}}
            return Answer()

    client = mackerel.MackerelClient(FakeTransport())
    assert client.get_host('h1') == {'id': 'h1', 'name': 'n-host', 'displayName': ''}
    assert client.get_monitor('m1')['name'] == 'n-monitor'
    assert seen == [('GET', '/api/v0/hosts/h1', 'get host h1'), ('GET', '/api/v0/monitors/m1', 'get monitor m1')]
    assert mackerel.display_name({'id': 'h1', 'name': 'n', 'displayName': 'web-1'}) == 'web-1'
    assert mackerel.display_name({'id': 'h1', 'name': 'n', 'displayName': ''}) == 'n'
    with pytest.raises(errors.ValidationError):
        client.get_host('../alerts')


class UnreadableAnswer(errors.ResponseError):
    apply = True   # the server closed the alert, its 2xx answer cannot be read


def test_close_with_an_unreadable_2xx_answer_is_read_back_and_changed():
    alerts = make_alerts(2)
    client = client_for(alerts)
    client.transport.script[('POST', '/api/v0/alerts/a0000/close')] = [
        UnreadableAnswer('not valid JSON', platform='mackerel', status=200)]
    after, changed = client.close_checked('a0000', 'CHG-1', alerts[0])
    assert changed and after['status'] == 'OK' and after['reason'] == 'CHG-1'
    assert [c[0] for c in client.transport.calls] == ['POST', 'GET']


def test_close_with_an_unreadable_error_answer_is_not_swallowed():
    client = client_for(make_alerts(1))
    client.transport.script[('POST', '/api/v0/alerts/a0000/close')] = [
        errors.ResponseError('HTML page', platform='mackerel', status=500)]
    with pytest.raises(errors.ResponseError):
        client.close_checked('a0000', 'CHG-1')


def test_two_runs_closing_at_once_on_a_200_server_claim_each_close_once(tmp_path):
    """Both runs read the alerts open; the second one's closes meet closed alerts answered 200 (unchanged, same reason)."""
    alerts = make_alerts(6)
    opened = [dict(a) for a in alerts]
    first = client_for(alerts, ledger=claims.Ledger('mackerel|x', directory=str(tmp_path)))
    second = client_for(alerts, ledger=claims.Ledger('mackerel|x', directory=str(tmp_path)))
    claimed = []
    for alert in opened:
        claimed.append(first.close_checked(alert['id'], 'CHG-9', alert)[1])
        claimed.append(second.close_checked(alert['id'], 'CHG-9', alert)[1])
    assert claimed == [True, False] * 6
    assert len(first.transport.posts()) == 6 and second.transport.posts() == []   # the second run only re-read
    # without the ledger, both would have claimed: the server's answers are the same
    alerts = make_alerts(1)
    a, b = client_for(alerts), client_for(alerts)
    assert [a.close_checked('a0000', 'R', dict(alerts[0]))[1], b.close_checked('a0000', 'R', dict(alerts[0]))[1]] == [True, True]


def test_a_mark_for_another_opening_of_the_alert_does_not_count(tmp_path):
    alerts = make_alerts(1)
    ledger = claims.Ledger('mackerel|x', directory=str(tmp_path))
    with ledger.claim('close|a0000|%s' % (alerts[0]['openedAt'] - 3600)) as claim:
        claim.mark()
    client = client_for(alerts, ledger=ledger)
    assert client.close_checked('a0000', 'CHG-1', dict(alerts[0]))[1] is True
