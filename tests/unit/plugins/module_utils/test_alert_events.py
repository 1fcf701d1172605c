# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.alertops.core.plugins.module_utils import alert_events as ae
from ansible_collections.alertops.core.plugins.module_utils import opsramp
from ansible_collections.alertops.core.plugins.module_utils.errors import NotFoundError, ValidationError
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient

T0 = 1795420800   # 2026-11-24T00:00:00Z


def alert(key, status='open', ack=False, severity='critical', opened=T0, platform='opsramp'):
    return {'platform': platform, 'id': key, 'status': status, 'acknowledged': ack, 'severity': severity,
            'title': 't' + key, 'source': 'web-01', 'opened_at': ae.timeutil.to_iso(opened), 'closed_at': None,
            'raw': {}}


def st(status='open', ack=False, severity='critical'):
    return {'status': status, 'acknowledged': ack, 'severity': severity}


def changes_of(events):
    return [(e['alert']['id'], e['alertops']['change'], e['alertops']['new']) for e in events]


SNAPSHOTS = [
    # (name, previous state, alerts listed now, since, expected (id, change, new), vanished)
    ('first poll is a silent baseline', None, [alert('1'), alert('2', 'closed')], None, [], []),
    ('first poll with since reports what opened since then', None,
     [alert('1', opened=T0 - 10), alert('2', opened=T0), alert('3', 'closed', opened=T0 + 5)], T0,
     [('2', 'opened', True), ('3', 'closed', True)], []),
    ('new alert', {'1': st()}, [alert('1'), alert('2')], None, [('2', 'opened', True)], []),
    ('new alert already closed', {'1': st()}, [alert('1'), alert('2', 'closed')], None, [('2', 'closed', True)], []),
    ('nothing changed', {'1': st()}, [alert('1')], None, [], []),
    ('acknowledged', {'1': st()}, [alert('1', ack=True)], None, [('1', 'acknowledged', False)], []),
    ('unacknowledged', {'1': st(ack=True)}, [alert('1')], None, [('1', 'unacknowledged', False)], []),
    ('closed while listed', {'1': st()}, [alert('1', 'closed')], None, [('1', 'closed', False)], []),
    ('acknowledged and closed in one interval: both, in order', {'1': st()}, [alert('1', 'closed', ack=True)], None,
     [('1', 'closed', False)], []),
    ('acknowledged then closed seen as two changes', {'1': st(ack=True)}, [alert('1', 'closed', ack=True)], None,
     [('1', 'closed', False)], []),
    ('reopened', {'1': st('closed')}, [alert('1')], None, [('1', 'reopened', False)], []),
    ('severity alone is no event', {'1': st(severity='warning')}, [alert('1')], None, [], []),
    ('listed twice in one poll (paging race): once', {}, [alert('1'), alert('1')], None, [('1', 'opened', True)], []),
    ('vanished alerts are named', {'1': st(), '2': st()}, [alert('2')], None, [], ['1']),
    ('new alerts in opened order, ties by id', {},
     [alert('b', opened=T0), alert('a', opened=T0), alert('c', opened=T0 - 1)], None,
     [('c', 'opened', True), ('a', 'opened', True), ('b', 'opened', True)], []),
]


@pytest.mark.parametrize('name, previous, current, since, expected, vanished', SNAPSHOTS, ids=[s[0] for s in SNAPSHOTS])
def test_diff_snapshot(name, previous, current, since, expected, vanished):
    events, state, gone = ae.diff_snapshot('opsramp', previous, current, since, polled_at='now')
    assert changes_of(events) == expected
    assert gone == vanished
    assert sorted(state) == sorted(set(a['id'] for a in current))
    for event in events:
        assert event['alertops']['platform'] == 'opsramp' and event['alertops']['polled_at'] == 'now'
        assert event['alertops']['type'] == 'alert'


def test_changes_carry_before_and_after():
    events, _state, _gone = ae.diff_snapshot('opsramp', {'1': st(severity='warning')},
                                             [alert('1', 'closed', ack=True)])
    assert events[0]['alertops']['changes'] == {
        'status': {'before': 'open', 'after': 'closed'}, 'acknowledged': {'before': False, 'after': True},
        'severity': {'before': 'warning', 'after': 'critical'}}
    new, _state, _gone = ae.diff_snapshot('opsramp', {}, [alert('2')])
    assert new[0]['alertops']['changes']['status'] == {'before': None, 'after': 'open'}


def test_open_alert_acknowledged_and_severity_in_one_interval_is_one_event_per_change():
    events, _s, _g = ae.diff_snapshot('mackerel', {'1': st(ack=False)}, [alert('1', ack=True, severity='warning')])
    assert changes_of(events) == [('1', 'acknowledged', False)]


VANISHED = [
    # (name, previous, fetched, expected (id, change), kept in state)
    ('closed', {'1': st()}, {'1': alert('1', 'closed')}, [('1', 'closed')], []),
    ('gone (404)', {'1': st()}, {'1': None}, [('1', 'gone')], []),
    ('still open (listing raced a change): kept, no event', {'1': st()}, {'1': alert('1')}, [], ['1']),
    ('closed and acknowledged', {'1': st()}, {'1': alert('1', 'closed', ack=True)}, [('1', 'closed')], []),
]


@pytest.mark.parametrize('name, previous, fetched, expected, kept', VANISHED, ids=[v[0] for v in VANISHED])
def test_resolve_vanished(name, previous, fetched, expected, kept):
    state = {}
    events = ae.resolve_vanished('mackerel', previous, state, fetched)
    assert [(e['alert']['id'], e['alertops']['change']) for e in events] == expected
    assert sorted(state) == kept


def test_gone_event_holds_the_last_known_state():
    event = ae.resolve_vanished('mackerel', {'9': st(ack=True)}, {}, {'9': None})[0]
    assert event['alert'] == {'platform': 'mackerel', 'id': '9', 'status': 'open', 'acknowledged': True,
                              'severity': 'critical'}


WINDOWS = [
    # (name, cursor, now, since, overlap, expected (start, end, floor))
    ('first run starts now', None, T0 + 0.7, None, 60, (T0, T0, T0)),
    ('first run from since', None, T0, T0 - 3600, 60, (T0 - 3600, T0, T0 - 3600)),
    ('next window reaches back by overlap', {'until': T0, 'floor': T0 - 3600}, T0 + 60, None, 60, (T0 - 60, T0 + 60, T0 - 3600)),
    ('never before the first start', {'until': T0, 'floor': T0 - 10}, T0 + 60, None, 60, (T0 - 10, T0 + 60, T0 - 10)),
    ('no overlap: from the last end', {'until': T0, 'floor': T0 - 3600}, T0 + 5, None, 0, (T0, T0 + 5, T0 - 3600)),
    ('cursor of an older version without floor', {'until': T0}, T0 + 5, None, 60, (T0, T0 + 5, T0)),
    # the cursor never moves back: with the clock behind the last end, the window is empty at the cursor
    ('clock stepped back: no window, the cursor stays', {'until': T0, 'floor': T0 - 3600}, T0 - 250, None, 60,
     (T0, T0, T0 - 3600)),
    ('clock stepped back behind the overlap too', {'until': T0, 'floor': T0 - 3600}, T0 - 30, None, 60, (T0, T0, T0 - 3600)),
    ('clock back at the cursor: the overlap again', {'until': T0, 'floor': T0 - 3600}, T0, None, 60,
     (T0 - 60, T0, T0 - 3600)),
    ('clock past the cursor again: from the cursor minus overlap', {'until': T0, 'floor': T0 - 3600}, T0 + 10, None, 60,
     (T0 - 60, T0 + 10, T0 - 3600)),
]


@pytest.mark.parametrize('name, cursor, now, since, overlap, expected', WINDOWS, ids=[w[0] for w in WINDOWS])
def test_log360_window(name, cursor, now, since, overlap, expected):
    assert ae.log360_window(cursor, now, since, overlap) == expected


def test_log360_new_drops_hits_seen_at_the_edge_and_prunes_the_edge():
    first, edge = ae.log360_new([alert('a', opened=T0 - 100, platform='log360'),
                                 alert('b', opened=T0, platform='log360')], {}, T0 - 120, T0, overlap=60)
    assert changes_of(first) == [('a', 'opened', True), ('b', 'opened', True)]
    assert edge == {'b': T0}   # a is older than the next window's start: forgotten
    # the next window [T0 - 60, T0 + 60] returns b again (a tie at the boundary) and a new c at the same second
    second, edge = ae.log360_new([alert('b', opened=T0, platform='log360'), alert('c', opened=T0, platform='log360')],
                                 edge, T0 - 60, T0 + 60, overlap=60)
    assert changes_of(second) == [('c', 'opened', True)]
    assert edge == {'b': T0, 'c': T0}
    third, edge = ae.log360_new([], edge, T0 + 1, T0 + 200, overlap=60)
    assert third == [] and edge == {}


BACKOFF = [(0, 60, 600, 60), (1, 60, 600, 120), (2, 60, 600, 240), (3, 60, 600, 480), (4, 60, 600, 600),
           (50, 60, 600, 600), (1, 1, 600, 2), (3, 900, 600, 900)]


@pytest.mark.parametrize('failures, interval, cap, expected', BACKOFF)
def test_backoff(failures, interval, cap, expected):
    assert ae.backoff(failures, interval, cap) == expected


def test_cursor_round_trip_is_atomic_and_private(tmp_path):
    path = str(tmp_path / 'sub' / 'cursor.json')
    cursor = ae.Cursor(path, 'mackerel')
    assert cursor.load() is None and cursor.problem is None
    cursor.save({'alerts': {'1': st()}})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(os.path.dirname(path)) == ['cursor.json']   # no temporary file left
    again = ae.Cursor(path, 'mackerel').load()
    assert again['alerts'] == {'1': st()} and again['platform'] == 'mackerel' and again['version'] == 1


@pytest.mark.parametrize('content, why', [('{not json', 'Expecting'), ('{"version": 99}', 'not a version 1 cursor'),
                                          ('{"version": 1, "platform": "opsramp"}', 'belongs to platform opsramp')])
def test_unusable_cursor_is_set_aside_with_a_reason(tmp_path, content, why):
    path = tmp_path / 'cursor.json'
    path.write_text(content)
    cursor = ae.Cursor(str(path), 'mackerel')
    assert cursor.load() is None
    assert why in cursor.problem and 'starting from a new baseline' in cursor.problem
    assert not path.exists() and len(os.listdir(str(tmp_path))) == 1


ARGS = [
    ({'platform': 'nope'}, 'argument platform must be one of log360, mackerel, opsramp'),
    ({'platform': 'mackerel', 'interval': 0}, 'argument interval must be at least 1'),
    ({'platform': 'mackerel', 'interval': 'often'}, "argument interval must be a number, got 'often'"),
    ({'platform': 'mackerel', 'colour': 'red'}, 'unknown argument(s) colour'),
    ({'platform': 'mackerel', 'since': 'yesterday-ish'}, 'since'),
]


@pytest.mark.parametrize('args, message', ARGS)
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValidationError) as info:
        ae.check_args(args)
    assert message in str(info.value)


def test_check_args_defaults():
    args = ae.check_args({'platform': 'opsramp'})
    assert (args['interval'], args['overlap'], args['poll_retries'], args['max_backoff'], args['since']) == \
        (60, 60, 2, 600, None)


class FakeTransport:
    def redact(self, text):
        return text.replace('SECRET', '********')

    def close(self):
        pass


class FakeMackerel:
    """A client whose listing the test changes between polls."""
    listed = []
    by_id = {}

    def __init__(self):
        self.transport = FakeTransport()

    @classmethod
    def from_params(cls, params, **kwargs):
        return cls()

    @staticmethod
    def check_alert_options(**options):
        return options

    def collect_alerts(self, with_closed=False, **filters):
        assert with_closed is False and filters == {}
        return list(FakeMackerel.listed)

    def get_alert_model(self, key):
        if key not in FakeMackerel.by_id:
            raise NotFoundError('no alert %s' % key, 404, platform='mackerel')
        return FakeMackerel.by_id[key]


def test_poller_reports_changes_commits_and_continues_after_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv('MACKEREL_APIKEY', 'SECRET')
    path = str(tmp_path / 'c.json')
    args = {'platform': 'mackerel', 'cursor_file': path}
    FakeMackerel.listed = [alert('1', platform='mackerel')]
    poller = ae.AlertPoller(args, {'mackerel': FakeMackerel}, clock=lambda: T0)
    assert poller.poll() == []
    poller.commit()
    FakeMackerel.listed = [alert('1', platform='mackerel'), alert('2', platform='mackerel')]
    assert changes_of(poller.poll()) == [('2', 'opened', True)]
    # not committed (the events were not queued): the next poll reports it again
    assert changes_of(poller.poll()) == [('2', 'opened', True)]
    poller.commit()
    # restart: alert 1 closed and 2 vanished without a trace while the source was down
    FakeMackerel.listed = []
    FakeMackerel.by_id = {'1': alert('1', 'closed', platform='mackerel')}
    again = ae.AlertPoller(args, {'mackerel': FakeMackerel}, clock=lambda: T0 + 60)
    assert changes_of(again.poll()) == [('1', 'closed', False), ('2', 'gone', False)]
    again.commit()
    assert json.load(open(path))['alerts'] == {}
    assert again.redact('key SECRET') == 'key ********'


class FakeLog360:
    """Records the windows searched and the jobs; ``fail_after_submit`` leaves a job as a killed run would."""
    hits = []
    windows = []
    deleted = []
    fail_after_submit = False

    def __init__(self):
        self.transport = FakeTransport()

    @classmethod
    def from_params(cls, params, **kwargs):
        return cls()

    @staticmethod
    def check_alert_options(**options):
        return options

    def collect_alerts(self, opened_after, opened_before, with_closed, on_submit, mode, wait_timeout, wait_sleep):
        assert mode == 'auto' and with_closed is True and (wait_timeout, wait_sleep) == (600, 5)
        FakeLog360.windows.append((opened_after, opened_before))
        on_submit('job-%d' % len(FakeLog360.windows))
        if FakeLog360.fail_after_submit:
            raise KeyboardInterrupt('killed')
        return [alert(h['id'], opened=h['t'], platform='log360') for h in FakeLog360.hits
                if opened_after <= h['t'] <= opened_before]

    def delete_job(self, request_id):
        FakeLog360.deleted.append(request_id)


def test_log360_poller_searches_contiguous_windows_and_deletes_a_job_left_by_a_kill(tmp_path, monkeypatch):
    monkeypatch.setenv('LOG360_URL', 'https://siem.example.com:8400')
    monkeypatch.setenv('LOG360_TOKEN', 'SECRET')
    path = str(tmp_path / 'c.json')
    clock = [T0]
    args = {'platform': 'log360', 'cursor_file': path, 'overlap': 10}
    poller = ae.AlertPoller(args, {'log360': FakeLog360}, clock=lambda: clock[0])
    assert poller.poll() == [] and FakeLog360.windows == []      # first run: the window starts now
    poller.commit()
    FakeLog360.hits = [{'id': 'a', 't': T0 + 30}, {'id': 'b', 't': T0 + 60}]
    clock[0] = T0 + 60
    assert changes_of(poller.poll()) == [('a', 'opened', True), ('b', 'opened', True)]
    poller.commit()
    FakeLog360.hits.append({'id': 'c', 't': T0 + 60})             # same second as b, indexed after the last search
    clock[0] = T0 + 120
    assert changes_of(poller.poll()) == [('c', 'opened', True)]
    poller.commit()
    assert FakeLog360.windows == [(T0, T0 + 60), (T0 + 50, T0 + 120)]
    assert 'in_flight' not in json.load(open(path))
    # a kill during the next search leaves its job, recorded in the cursor; the next start deletes it first
    FakeLog360.fail_after_submit = True
    clock[0] = T0 + 180
    with pytest.raises(KeyboardInterrupt):
        poller.poll()
    assert json.load(open(path))['in_flight'] == 'job-3'
    FakeLog360.fail_after_submit = False
    again = ae.AlertPoller(args, {'log360': FakeLog360}, clock=lambda: T0 + 240)
    assert again.poll() == []
    again.commit()
    assert FakeLog360.deleted == ['job-3'] and FakeLog360.windows[-1] == (T0 + 110, T0 + 240)
    assert 'in_flight' not in json.load(open(path))


def test_a_poll_error_without_a_platform_gets_the_sources(tmp_path, monkeypatch):
    from ansible_collections.alertops.core.plugins.module_utils import errors

    class Refusing(FakeMackerel):
        def collect_alerts(self, with_closed=False, **filters):
            raise errors.ResponseError('the alert list has no "alerts" array', operation='list alerts')

    monkeypatch.setenv('MACKEREL_APIKEY', 'SECRET')
    poller = ae.AlertPoller({'platform': 'mackerel', 'cursor_file': str(tmp_path / 'c.json')}, {'mackerel': Refusing},
                            clock=lambda: T0)
    with pytest.raises(errors.ResponseError) as info:
        poller.poll()
    assert str(info.value) == 'mackerel list alerts: the alert list has no "alerts" array'


# -- OpsRamp through the real client's workflow: the search asks for open alerts only; a close is seen by reading the
# alert that left the search -------------------------------------------------------------------------------------
class ServerOpsRamp(OpsRampClient):
    """The real client's collect_alerts / get_alert_model over an in-memory server that honours ``actions``."""
    alerts = {}
    queries = []
    read = []

    def __init__(self):
        self.transport = FakeTransport()

    @classmethod
    def from_params(cls, params, **kwargs):
        return cls()

    def iter_search_pages(self, query=None, max_items=None, page_size=100):
        ServerOpsRamp.queries.append(query)
        wanted = query.get('actions')
        yield [opsramp.normalise_alert(a) for _k, a in sorted(ServerOpsRamp.alerts.items())
               if not wanted or not a['closed']]

    def get_alert(self, alert_id):
        ServerOpsRamp.read.append(alert_id)
        if alert_id not in ServerOpsRamp.alerts:
            raise NotFoundError('no alert %s' % alert_id, 404)
        return opsramp.normalise_alert(ServerOpsRamp.alerts[alert_id])


def op_alert(uid, closed=False, acked=False):
    return {'uniqueId': uid, 'currentState': 'Critical', 'subject': 's' + uid, 'closed': closed, 'acknowledged': acked,
            'createdDate': opsramp.format_time(T0), 'device': {'id': 'd1', 'name': 'web-01'},
            'statusHistory': {'closedTime': opsramp.format_time(T0 + 50)} if closed else {}}


def test_opsramp_poller_lists_open_alerts_and_reports_closes_of_alerts_that_left_the_search(tmp_path, monkeypatch):
    for name, value in (('OPSRAMP_URL', 'https://api.opsramp.example'), ('OPSRAMP_TENANT_ID', 'client_7'),
                        ('OPSRAMP_TOKEN', 'SECRET')):
        monkeypatch.setenv(name, value)
    ServerOpsRamp.alerts = dict((k, op_alert(k)) for k in ('1', '2', '3'))
    ServerOpsRamp.queries, ServerOpsRamp.read = [], []
    path = str(tmp_path / 'c.json')
    args = {'platform': 'opsramp', 'cursor_file': path, 'query': {'states': ['Critical']}}
    poller = ae.AlertPoller(args, {'opsramp': ServerOpsRamp}, clock=lambda: T0)
    assert poller.poll() == []
    poller.commit()
    # 1 closed, 2 deleted, 3 acknowledged, 4 raised; the search returns 3 and 4 only
    ServerOpsRamp.alerts.update({'1': op_alert('1', closed=True), '3': op_alert('3', acked=True), '4': op_alert('4')})
    del ServerOpsRamp.alerts['2']
    events = poller.poll()
    assert changes_of(events) == [('3', 'acknowledged', False), ('4', 'opened', True), ('1', 'closed', False),
                                  ('2', 'gone', False)]
    closed = events[2]
    assert closed['alert']['closed_at'] == ae.timeutil.to_iso(T0 + 50)
    assert closed['alertops']['changes'] == {'status': {'before': 'open', 'after': 'closed'}}
    poller.commit()
    assert sorted(json.load(open(path))['alerts']) == ['3', '4']           # closed and gone alerts are forgotten
    assert ServerOpsRamp.queries == [{'states': ['Critical'], 'actions': ['OPEN', 'ACKNOWLEDGED', 'SUPPRESSED',
                                                                          'TICKETED']}] * 2
    assert ServerOpsRamp.read == ['1', '2']
    # the next poll reads nothing by id again: 1 and 2 are no longer in the state
    assert poller.poll() == [] and ServerOpsRamp.read == ['1', '2']


@pytest.mark.parametrize('args, message', [
    ({'platform': 'opsramp', 'query': 'states:Critical'}, 'option query must be a dict of OpsRamp search variables'),
    ({'platform': 'opsramp', 'query': {'colour': 'red'}}, 'option query: unknown key(s) colour'),
    ({'platform': 'mackerel', 'status': ['bright']}, 'status'),
    ({'platform': 'log360', 'query': {'a': 1}}, 'option query must be a string for platform=log360'),
])
def test_bad_filters_stop_the_source_at_start(monkeypatch, args, message):
    for name, value in (('OPSRAMP_URL', 'https://api.opsramp.example'), ('OPSRAMP_TENANT_ID', 'client_7'),
                        ('OPSRAMP_TOKEN', 'SECRET'), ('MACKEREL_APIKEY', 'SECRET'),
                        ('LOG360_URL', 'https://siem.example.com:8400'), ('LOG360_TOKEN', 'SECRET')):
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as info:
        ae.AlertPoller(args)
    assert message in str(info.value) and info.value.platform == args['platform']


def _reset_fake_log360(hits=()):
    FakeLog360.hits, FakeLog360.windows, FakeLog360.deleted = list(hits), [], []
    FakeLog360.fail_after_submit = False


def test_log360_clock_stepped_back_reports_no_alert_twice(tmp_path, monkeypatch):
    """A clock stepped back by 250 s used to move the cursor back, so the next windows searched again what the edge
    had forgotten: alerts re-reported as opened. The cursor never moves back."""
    monkeypatch.setenv('LOG360_URL', 'https://siem.example.com:8400')
    monkeypatch.setenv('LOG360_TOKEN', 'SECRET')
    # 11 alerts, one every 10 s over the first 110 s
    _reset_fake_log360({'id': 'a%02d' % n, 't': T0 + 10 * n} for n in range(11))
    clock = [T0]
    poller = ae.AlertPoller({'platform': 'log360', 'cursor_file': str(tmp_path / 'c.json'), 'since': str(T0 - 1)},
                            {'log360': FakeLog360}, clock=lambda: clock[0])
    reported, untils = [], []
    for now in (T0 + 60, T0 + 120, T0 + 180 - 250, T0 + 240 - 250, T0 + 300 - 250, T0 + 360 - 250, T0 + 420 - 250,
                T0 + 480 - 250):
        clock[0] = now
        reported.extend(e['alert']['id'] for e in poller.poll())
        assert poller.commit() is None
        untils.append(poller.state['until'])
    assert sorted(reported) == ['a%02d' % n for n in range(11)], reported       # each once, none twice
    assert untils == [T0 + 60, T0 + 120, T0 + 120, T0 + 120, T0 + 120, T0 + 120, T0 + 170, T0 + 230]   # never back
    assert json.load(open(str(tmp_path / 'c.json')))['until'] == T0 + 230
    for (_s1, end1), (start2, _e2) in zip(FakeLog360.windows, FakeLog360.windows[1:]):
        assert start2 <= end1                               # and no gap


def test_log360_keeps_reporting_when_the_cursor_cannot_be_written(tmp_path, monkeypatch):
    """Log360 records its search job in the cursor before searching: a cursor that could not be written used to fail
    every poll (error events only). The alerts keep coming; commit() says the cursor is not saved."""
    monkeypatch.setenv('LOG360_URL', 'https://siem.example.com:8400')
    monkeypatch.setenv('LOG360_TOKEN', 'SECRET')
    blocker = tmp_path / 'not-a-directory'
    blocker.write_text('a file where the cursor directory should be')
    path = str(blocker / 'cursor.json')
    _reset_fake_log360([{'id': 'a', 't': T0 + 30}, {'id': 'b', 't': T0 + 90}])
    clock = [T0]
    poller = ae.AlertPoller({'platform': 'log360', 'cursor_file': path, 'overlap': 10}, {'log360': FakeLog360},
                            clock=lambda: clock[0])
    assert poller.cursor.problem is None
    assert poller.poll() == []
    problem = poller.commit()
    assert problem.startswith('cursor file %s cannot be written' % path) and 'the cursor is not saved' in problem
    clock[0] = T0 + 60
    assert changes_of(poller.poll()) == [('a', 'opened', True)]
    assert 'the cursor is not saved' in poller.commit()
    clock[0] = T0 + 120
    assert changes_of(poller.poll()) == [('b', 'opened', True)]     # kept in memory: a is not reported again
    assert 'the cursor is not saved' in poller.commit()
    assert FakeLog360.windows == [(T0, T0 + 60), (T0 + 50, T0 + 120)]


def test_mackerel_commit_says_the_cursor_is_not_saved(tmp_path, monkeypatch):
    monkeypatch.setenv('MACKEREL_APIKEY', 'SECRET')
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    FakeMackerel.listed, FakeMackerel.by_id = [alert('1', platform='mackerel')], {}
    poller = ae.AlertPoller({'platform': 'mackerel', 'cursor_file': str(blocker / 'c.json')}, {'mackerel': FakeMackerel},
                            clock=lambda: T0)
    assert poller.poll() == []
    assert 'the cursor is not saved' in poller.commit()
    FakeMackerel.listed = [alert('1', platform='mackerel'), alert('2', platform='mackerel')]
    assert changes_of(poller.poll()) == [('2', 'opened', True)]


def test_a_cursor_file_that_is_a_directory_stops_the_source_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv('MACKEREL_APIKEY', 'SECRET')
    directory = tmp_path / 'cursor.json'
    directory.mkdir()
    (directory / 'keep').write_text('someone else\'s data')
    with pytest.raises(ValidationError) as info:
        ae.AlertPoller({'platform': 'mackerel', 'cursor_file': str(directory)}, {'mackerel': FakeMackerel})
    assert str(info.value) == ('alertops.core.alerts: argument cursor_file %s is a directory, not a file: give the '
                               'path of a file (it is created if missing)' % directory)
    assert sorted(os.listdir(str(tmp_path))) == ['cursor.json'] and (directory / 'keep').exists()   # nothing moved


def test_an_unreadable_cursor_file_stops_the_source_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv('MACKEREL_APIKEY', 'SECRET')
    path = tmp_path / 'cursor.json'
    path.write_text('{"version": 1, "platform": "mackerel", "alerts": {}}')

    def refused(name, *args, **kwargs):
        raise PermissionError(13, 'Permission denied', name)
    monkeypatch.setattr(ae, 'open', refused, raising=False)    # root reads any file: refuse it the way chmod 000 would
    with pytest.raises(ValidationError) as info:
        ae.AlertPoller({'platform': 'mackerel', 'cursor_file': str(path)}, {'mackerel': FakeMackerel})
    assert str(info.value).startswith('alertops.core.alerts: argument cursor_file %s cannot be read' % path)
    assert 'Permission denied' in str(info.value)
    assert sorted(os.listdir(str(tmp_path))) == ['cursor.json']      # not moved aside, not replaced
