# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import random
import threading

import pytest

from ansible_collections.alertops.core.plugins.module_utils import claims, errors, opsramp
from ansible_collections.alertops.core.plugins.module_utils.opsramp import (
    OAuth2Auth, OccurrenceWalker, build_query_string, describe_error, encode_params, format_time, not_closed_query,
    to_epoch_second, window_query)

try:
    from urllib.parse import parse_qs
except ImportError:  # pragma: no cover
    from urlparse import parse_qs


class FakeResponse:
    def __init__(self, status, body):
        self.status = status
        self.text = body if isinstance(body, str) else json.dumps(body)

    def excerpt(self, limit=300):  # as transport.Response: redacted (nothing registered here), then cut
        return self.text.strip()[:limit]


# -- times, query strings, errors --------------------------------------------------------------------------------
def test_format_time_from_every_input_form():
    expected = '2017-06-16T05:38:10+0000'
    for value in ('2017-06-16T05:38:10Z', '2017-06-16T07:38:10+02:00', 1497591490, '1497591490000',
                  '2017-06-16T05:38:10+0000', '2017-06-16 05:38:10.900Z'):
        assert format_time(to_epoch_second(value, 'start_time')) == expected


def test_query_string_join_lists_and_encoding():
    qs = build_query_string({'states': ['Critical', 'Warning'], 'priority': 'P1', 'actions': 'OPEN'})
    assert qs == 'states:Critical,Warning+priority:P1+actions:OPEN'
    encoded = encode_params([('queryString', qs)])
    assert encoded == 'queryString=states:Critical,Warning%2Bpriority:P1%2Bactions:OPEN'
    # dates in the documented space form; the space goes out as %20 (never +), the separator as %2B
    qs = build_query_string({'startDate': '2026-11-23T10:00:00Z', 'metrics': 'a b'})
    assert qs == 'startDate:2026-11-23T10:00:00 0000+metrics:a b'
    assert encode_params([('pageNo', 1), ('queryString', qs)]) == (
        'pageNo=1&queryString=startDate:2026-11-23T10:00:00%200000%2Bmetrics:a%20b')
    # decoded back the way a server does, split on every +: every field intact
    decoded = parse_qs(encode_params([('queryString', qs)]))['queryString'][0]
    assert [f.split(':', 1)[0] for f in decoded.split('+')] == ['startDate', 'metrics']


@pytest.mark.parametrize('value', ['a+b', ['x', 'y+z']])
def test_query_value_with_a_plus_is_refused(value):
    with pytest.raises(errors.ValidationError) as exc:
        build_query_string({'metrics': value})
    assert 'query.metrics' in str(exc.value) and 'separator' in str(exc.value)


def test_window_and_not_closed_queries():
    q = not_closed_query(window_query({'states': 'Critical'}, 1000, 2000))
    assert q == {'states': 'Critical', 'startDate': 1000, 'endDate': 2000, 'alertTimeBase': 'created',
                 'actions': ['OPEN', 'ACKNOWLEDGED', 'SUPPRESSED', 'TICKETED']}
    # what the caller set stays
    q = not_closed_query(window_query({'actions': 'CLOSED', 'alertTimeBase': 'updated', 'endDate': 5}, 1, 9))
    assert q == {'actions': 'CLOSED', 'alertTimeBase': 'updated', 'endDate': 5, 'startDate': 1}
    assert window_query(None) == {}


def test_query_string_rejects_unknown_keys_listing_valid_ones():
    with pytest.raises(errors.ValidationError) as exc:
        build_query_string({'state': 'Critical', 'bogus': 1})
    text = str(exc.value)
    assert 'bogus, state' in text and 'states' in text and 'resourceIds' in text
    assert build_query_string({}) is None and build_query_string(None) is None


@pytest.mark.parametrize('status,body,expected', [
    (401, {'error': 'unauthorized', 'error_description': 'Bad API credentials'}, 'unauthorized: Bad API credentials'),
    (429, {'error': 'throttled', 'error_description': 'Too Many Requests'}, 'throttled: Too Many Requests'),
    (404, {'code': '0003', 'message': 'No alert found with id : 9'}, 'No alert found with id : 9 (code 0003)'),
    (400, [{'code': '0002', 'fieldName': 'queryString', 'message': 'bad'}], 'queryString: bad (code 0002)'),
    (500, '<html>oops</html>', '<html>oops</html>'),
])
def test_describe_error_shapes(status, body, expected):
    text, hint = describe_error(FakeResponse(status, body))
    assert text == expected
    if status in (401, 404):
        assert hint


def test_token_endpoint_hints():
    response = FakeResponse(404, '<html>404</html>')
    response.operation = 'get OAuth2 token'
    assert 'token_path' in describe_error(response)[1]
    response = FakeResponse(401, {'error': 'unauthorized', 'error_description': 'Bad API credentials'})
    response.operation = 'get OAuth2 token'
    assert 'client_secret' in describe_error(response)[1]


def test_check_alert_id():
    assert opsramp.check_alert_id(' 175 ') == '175'
    for bad in ('', None, '../x', 'a/b', '1?x'):
        with pytest.raises(errors.ValidationError):
            opsramp.check_alert_id(bad)


# -- auth --------------------------------------------------------------------------------------------------------
class FakeTokenTransport:
    """Answers token POSTs; 404 on paths not in ``paths``."""

    def __init__(self, paths=('/tenancy/auth/oauth/token',), expires_in=7199):
        self.paths = paths
        self.expires_in = expires_in
        self.calls = []
        self.secrets = []
        self.lock = threading.Lock()

    def request(self, method, path, operation, form=None, idempotent=None, accept_statuses=()):
        with self.lock:
            self.calls.append(path)
            n = len(self.calls)
        assert form['grant_type'] == 'client_credentials' and form['client_secret'] == 'sekret'
        if path not in self.paths:
            assert 404 in accept_statuses
            return FakeJSON(404, {})
        return FakeJSON(200, {'access_token': 'tok%d' % n, 'token_type': 'bearer', 'expires_in': self.expires_in})

    def add_secret(self, value):
        self.secrets.append(value)


class FakeJSON:
    def __init__(self, status, body):
        self.status = status
        self.body = body

    def json(self):
        return self.body


def make_auth(transport, clock):
    auth = OAuth2Auth('id', 'sekret', '/tenancy/auth/oauth/token', clock=clock)
    auth.bind(transport)
    return auth


def test_token_cached_registered_and_refreshed_on_expiry():
    now = [1000.0]
    transport = FakeTokenTransport(expires_in='7199')  # a string, as in the OpenAPI example
    auth = make_auth(transport, lambda: now[0])
    assert auth.headers() == {'Authorization': 'Bearer tok1'}
    assert auth.headers() == {'Authorization': 'Bearer tok1'}
    assert transport.secrets == ['tok1'] and len(transport.calls) == 1
    now[0] += 7199
    assert auth.headers() == {'Authorization': 'Bearer tok2'}
    assert transport.secrets == ['tok1', 'tok2']


def test_token_path_falls_back_on_404():
    transport = FakeTokenTransport(paths=('/auth/oauth/token',))
    auth = make_auth(transport, lambda: 0.0)
    assert auth.headers()['Authorization'] == 'Bearer tok2'
    assert transport.calls == ['/tenancy/auth/oauth/token', '/auth/oauth/token']
    assert auth.token_path == '/auth/oauth/token'


def test_one_refresh_for_many_threads_failing_with_the_same_token():
    transport = FakeTokenTransport()
    auth = make_auth(transport, lambda: 0.0)
    auth.headers()
    barrier = threading.Barrier(8)

    def worker():
        auth.headers()          # every thread used tok1
        barrier.wait()
        assert auth.refresh()   # all got a 401 with it

    threads = [threading.Thread(target=worker) for _i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(transport.calls) == 2 and auth.token == 'tok2'


def test_static_token_is_never_refreshed():
    auth = OAuth2Auth(static_token='static-token-value')
    assert auth.headers() == {'Authorization': 'Bearer static-token-value'}
    assert auth.refresh() is False


# -- occurrences -------------------------------------------------------------------------------------------------
class FakeOccurrenceServer:
    """Occurrences newest first; endTime inclusive or exclusive; endDate exact or skewed; pageSize cap."""

    def __init__(self, rows, inclusive, skew=0, cap=100):
        self.rows = sorted(rows, key=lambda r: -r[0])
        self.inclusive = inclusive
        self.skew = skew
        self.cap = cap
        self.queries = []

    @staticmethod
    def occ_operation(alert_id):
        return 'occurrences of %s' % alert_id

    def occurrence_page(self, alert_id, start, end, page_size):
        self.queries.append((start, end))
        size = min(page_size, self.cap)
        match = [r for r in self.rows if (start is None or r[0] >= start)
                 and (end is None or (r[0] <= end if self.inclusive else r[0] < end))]
        page = match[:size]
        return {'results': [{'uniqueId': '7', 'subject': 's', 'description': r[1], 'createdTimeString': format_time(r[0])}
                            for r in page],
                'nextPage': len(match) > len(page), 'pageSize': size,
                'endDate': format_time(page[-1][0] - self.skew) if page else None}


def random_rows(rng, n, max_tie=60):
    rows, t, i = [], 1700000000, 0
    while i < n:
        size = rng.choice([1, 1, 1, 1, 2, 3, rng.randint(1, max_tie)])
        for k in range(min(size, n - i)):
            # some genuinely identical occurrences in the same second
            rows.append((t, 'desc %d' % (i + k - (k % 2) if size % 3 == 0 else i + k)))
        i += size
        t -= rng.choice([1, 1, 2, 5, 30])
    return rows


def walk(server, start=None, end=None, max_items=None):
    walker = OccurrenceWalker(server, '7', start, end)
    items = list(opsramp.pager.iter_items(walker.fetch, walker.first_cursor(), max_items=max_items))
    return items, walker


def key(occ):
    return (occ['createdTimeString'], occ['description'])


@pytest.mark.parametrize('inclusive', [True, False])
@pytest.mark.parametrize('skew', [0, 300])
@pytest.mark.parametrize('seed', range(12))
def test_occurrences_exact_under_both_endtime_semantics(inclusive, skew, seed):
    rng = random.Random(seed)
    rows = random_rows(rng, rng.randint(50, 700))
    server = FakeOccurrenceServer(rows, inclusive, skew)
    items, walker = walk(server)
    expected = collections.Counter((format_time(t), d) for t, d in rows)
    assert collections.Counter(key(o) for o in items) == expected
    assert not walker.warnings
    # about one page per 99 new rows, plus what ties and learning the endTime semantics force
    assert walker.pages <= len(rows) // 60 + 4


@pytest.mark.parametrize('inclusive', [True, False])
def test_occurrences_time_range_is_inclusive_whatever_the_server(inclusive):
    rows = [(1000 + s, 'd%d-%d' % (s, k)) for s in range(0, 600, 3) for k in range(1 + s % 4)]
    server = FakeOccurrenceServer(rows, inclusive)
    items, _walker = walk(server, start=1300, end=1450)
    expected = collections.Counter((format_time(t), d) for t, d in rows if 1300 <= t <= 1450)
    assert collections.Counter(key(o) for o in items) == expected


def test_tie_group_larger_than_a_page_warns_and_goes_on():
    rows = [(5000, 'big %d' % k) for k in range(150)] + [(4000 - k, 'x%d' % k) for k in range(250)]
    for inclusive in (True, False):
        server = FakeOccurrenceServer(rows, inclusive)
        items, walker = walk(server)
        assert len([o for o in items if o['description'].startswith('x')]) == 250
        assert len(items) == 350 and walker.warnings and 'more than 99' in walker.warnings[0]


def test_max_items_and_empty_and_short_pages():
    rows = [(2000 - k, 'r%d' % k) for k in range(500)]
    items, walker = walk(FakeOccurrenceServer(rows, True), max_items=150)
    assert len(items) == 150 and walker.pages == 2
    items, walker = walk(FakeOccurrenceServer([], True))
    assert items == [] and walker.pages == 1


class StuckServer(FakeOccurrenceServer):
    def occurrence_page(self, alert_id, start, end, page_size):
        page = FakeOccurrenceServer.occurrence_page(self, alert_id, start, None, page_size)  # ignores endTime
        page['nextPage'] = True
        return page


def test_server_ignoring_endtime_is_an_error_not_a_loop():
    rows = [(2000 - k, 'r%d' % k) for k in range(300)]
    with pytest.raises(errors.ResponseError):
        walk(StuckServer(rows, True))


class ShortPageServer(FakeOccurrenceServer):
    """nextPage true on a short page (as in OpsRamp's own example)."""

    def occurrence_page(self, alert_id, start, end, page_size):
        page = FakeOccurrenceServer.occurrence_page(self, alert_id, start, end, 4)
        page['nextPage'] = bool(page['results'])
        return page


def test_next_page_true_on_short_pages_and_then_empty():
    rows = [(2000 - k // 2, 'r%d' % k) for k in range(21)]
    for inclusive in (True, False):
        items, _walker = walk(ShortPageServer(rows, inclusive, cap=4))
        assert collections.Counter(key(o) for o in items) == collections.Counter((format_time(t), d) for t, d in rows)


def test_occurrence_to_model():
    occ = {'uniqueId': '7', 'subject': 'Event 257', 'description': 'd', 'currentState': 'Critical',
           'createdTimeString': '2017-06-16T05:38:10+0000', 'created_at': '2017-06-16T05:38:10Z'}
    model = opsramp.occurrence_to_model('7', occ)
    assert model['platform'] == 'opsramp' and model['id'] == '7' and model['severity'] == 'critical'
    assert model['opened_at'] == '2017-06-16T05:38:10Z' and model['title'] == 'Event 257'
    assert 'created_at' not in model['raw']


# -- action spellings --------------------------------------------------------------------------------------------
class FakeActionTransport:
    """Accepts the action names in ``accepted``; any other name is answered with ``bad_status``."""

    def __init__(self, accepted, bad_status=400):
        self.accepted = accepted
        self.bad_status = bad_status
        self.sent = []

    def request(self, method, path, operation, json_body=None, **kwargs):
        action = path.rsplit('/', 1)[1]
        self.sent.append(action)
        if action not in self.accepted:
            raise errors.HTTPError('request rejected', self.bad_status, platform='opsramp', operation=operation,
                                   vendor='Invalid action %s' % action)
        return FakeRaw()

    def redact(self, text):
        return text


class FakeRaw:
    def json(self, allow_empty=False):
        return None


CURRENT = ('acknowledge', 'suppress', 'close', 'unAcknowledge', 'unSuppress', 'heal')
LEGACY = ('acknowledge', 'suppress', 'close', 'unacknowledge', 'unsuppress')


@pytest.mark.parametrize('accepted,bad_status,state,expected_sent', [
    (CURRENT, 400, 'unsuppressed', ['unSuppress', 'unSuppress']),
    (CURRENT, 400, 'unacknowledged', ['unAcknowledge', 'unAcknowledge']),
    (CURRENT, 400, 'healed', ['heal', 'heal']),
    (LEGACY, 400, 'unsuppressed', ['unSuppress', 'unsuppress', 'unsuppress']),     # learned once, then legacy only
    (LEGACY, 404, 'unacknowledged', ['unAcknowledge', 'unacknowledge', 'unacknowledge']),
    (LEGACY, 400, 'acknowledged', ['acknowledge', 'acknowledge']),
])
def test_action_spelling_current_first_legacy_once(accepted, bad_status, state, expected_sent):
    transport = FakeActionTransport(accepted, bad_status)
    client = opsramp.OpsRampClient(transport, 'client_7')
    client.post_action('1', state)
    client.post_action('2', state)
    assert transport.sent == expected_sent


def test_action_unknown_in_both_spellings_names_both_answers():
    transport = FakeActionTransport(('acknowledge',), 400)
    client = opsramp.OpsRampClient(transport, 'client_7')
    with pytest.raises(errors.HTTPError) as exc:
        client.post_action('1', 'unsuppressed')
    assert transport.sent == ['unSuppress', 'unsuppress']
    assert 'Invalid action unSuppress' in str(exc.value) and 'legacy spelling unsuppress answered HTTP 400' in str(exc.value)
    # heal has no legacy spelling: one request, the server's answer as is
    transport.sent = []
    with pytest.raises(errors.HTTPError):
        client.post_action('1', 'healed')
    assert transport.sent == ['heal']


def test_flags_healed_is_current_state_ok():
    assert opsramp.flags({'currentState': 'Ok', 'closed': False}) == {
        'acknowledged': False, 'suppressed': False, 'closed': False, 'healed': True}
    assert opsramp.flags({'currentState': 'Critical'})['healed'] is False


# -- apply: bulk actions through bulk.sync ----------------------------------------------------------------------
EFFECTS = {'acknowledge': {'acknowledged': True}, 'unAcknowledge': {'acknowledged': False},
           'suppress': {'suppressed': True}, 'unSuppress': {'suppressed': False}, 'heal': {'currentState': 'Ok'},
           'close': {'closed': True, 'statusHistory': {'closedTime': '2026-11-23T10:20:30+0000'}}}


class FakeAlertsTransport:
    """GET and action POSTs on ``alerts`` (by uniqueId); ``script[(method, id)]`` lists faults (an ``apply`` fault
    acts before it is raised); ``answer=False``: actions are answered without a body."""
    retries = 0

    def __init__(self, alerts, script=None, answer=True):
        self.alerts = dict((a['uniqueId'], dict(a)) for a in alerts)
        self.script = dict((k, list(v)) for k, v in (script or {}).items())
        self.answer = answer
        self.calls = []

    def request(self, method, path, operation, json_body=None, **kwargs):
        parts = path.split('/')
        alert_id = parts[6]
        self.calls.append((method, alert_id))
        fault = (self.script.get((method, alert_id)) or [None]).pop(0) if self.script.get((method, alert_id)) else None
        if method == 'POST' and (fault is None or getattr(fault, 'apply', False)):
            self.alerts[alert_id].update(EFFECTS[parts[-1]])
        if fault is not None:
            raise fault
        return FakeJSONBody(dict(self.alerts[alert_id]) if method == 'GET' or self.answer else None)

    def posts(self):
        return [c[1] for c in self.calls if c[0] == 'POST']

    def redact(self, text):
        return text


class FakeJSONBody:
    def __init__(self, body):
        self.body = body

    def json(self, allow_empty=False):
        return self.body


def op_alert(alert_id, **flags_):
    return dict(dict(uniqueId=alert_id, acknowledged=False, suppressed=False, closed=False, currentState='Critical',
                     createdDate='2026-11-23T10:00:00+0000'), **flags_)


def apply(transport, ids, state, **kwargs):
    client = opsramp.OpsRampClient(transport, 'client_7', ledger=claims.Ledger.disabled())
    return client.apply(ids, state, concurrency=kwargs.pop('concurrency', 1), **kwargs)


def test_apply_check_mode_predicts_and_sends_nothing():
    transport = FakeAlertsTransport([op_alert('1'), op_alert('2', currentState='Ok'), op_alert('3', closed=True)])
    report = apply(transport, ['1', '2', '3'], 'healed', check_mode=True)
    assert transport.posts() == []
    assert [(a['id'], a['changed'], a['after']['healed']) for a in report['alerts']] == [
        ('1', True, True), ('2', False, True), ('3', False, False)]
    assert report['alerts'][2]['failed'] and 'alert 3 is closed; OpsRamp cannot heal' in report['alerts'][2]['msg']
    assert report['diff'] == {'before': {'1': opsramp.flags(op_alert('1'))},
                              'after': {'1': dict(opsramp.flags(op_alert('1')), healed=True)}}
    assert 'answered_at' not in report['alerts'][0] and report['todo'] == 1 and len(report['failures']) == 1


@pytest.mark.parametrize('answer', [True, False])
def test_apply_close_reports_when_it_was_answered_and_closed(answer):
    transport = FakeAlertsTransport([op_alert('1'), op_alert('2', closed=True)], answer=answer)
    report = apply(transport, ['1', '2'], 'closed')
    assert transport.posts() == ['1']
    first = report['alerts'][0]
    assert first['changed'] and first['after']['closed'] and first['answered_at'].endswith('Z')
    assert first.get('closed_at') == ('2026-11-23T10:20:30Z' if answer else None)
    assert ('closed_at' in first) is answer
    assert report['alerts'][1] == dict(id='2', changed=False, before=opsramp.flags(op_alert('2', closed=True)),
                                       after=opsramp.flags(op_alert('2', closed=True)))


def test_apply_re_reads_after_an_unknown_outcome_and_acts_once():
    lost = errors.OutcomeUnknownError('dropped after sending', platform='opsramp')
    lost.apply = True
    transport = FakeAlertsTransport([op_alert('1'), op_alert('2')], script={
        ('POST', '1'): [lost], ('POST', '2'): [errors.OutcomeUnknownError('dropped before', platform='opsramp')]})
    report = apply(transport, ['1', '2'], 'acknowledged')
    assert transport.posts() == ['1', '2', '2']
    assert [(a['changed'], a['after']['acknowledged']) for a in report['alerts']] == [(True, True), (True, True)]
    assert 'answered_at' not in report['alerts'][0] and 'answered_at' in report['alerts'][1]


def test_apply_refused_because_someone_else_acted_is_not_changed():
    refused = errors.HTTPError('request rejected', 400, platform='opsramp')
    refused.apply = True   # someone else acknowledged it just before
    transport = FakeAlertsTransport([op_alert('1')], script={('POST', '1'): [refused]})
    report = apply(transport, ['1'], 'acknowledged', read_first=False)
    assert report['alerts'][0]['changed'] is False and report['failures'] == []
    assert report['alerts'][0]['after']['acknowledged'] is True


def test_apply_stops_after_a_permission_failure():
    transport = FakeAlertsTransport([op_alert(str(n)) for n in range(6)], script={
        ('POST', '0'): [errors.PermissionDeniedError('forbidden', 403, platform='opsramp')]})
    report = apply(transport, [str(n) for n in range(6)], 'acknowledged', concurrency=4)
    assert transport.posts() == ['0']
    assert [a.get('failed') for a in report['alerts']] == [True] * 6
    assert report['failures'][1] == 'opsramp: not attempted after an earlier authorization failure'


def test_opened_since_query_keeps_the_callers_actions():
    assert opsramp.opened_since_query({'priority': 'P1'}, '2026-11-23T10:00:00Z') == {
        'priority': 'P1', 'startDate': '2026-11-23T10:00:00Z', 'actions': 'OPEN'}
    caller = {'actions': 'ACKNOWLEDGED', 'startDate': 1}
    assert opsramp.opened_since_query(caller, 5) == {'actions': 'ACKNOWLEDGED', 'startDate': 5}


def test_search_query_pushes_the_window_and_refuses_a_bound_set_twice():
    assert opsramp.search_query({'priority': 'P1'}, 100, 200, with_closed=False) == {
        'priority': 'P1', 'startDate': 100, 'endDate': 200, 'alertTimeBase': 'created',
        'actions': list(opsramp.NOT_CLOSED_ACTIONS)}
    assert opsramp.search_query(None) == {}
    with pytest.raises(errors.ValidationError, match='option start_time and query.startDate are the same filter'):
        opsramp.search_query({'startDate': 1}, 100)
    with pytest.raises(errors.ValidationError, match='option opened_before and query.endDate'):
        opsramp.search_query({'endDate': 1}, None, 200, options=('opened_after', 'opened_before'))
    with pytest.raises(errors.ValidationError, match='unknown key'):
        opsramp.search_query({'nope': 1})
