# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""bulk.sync: the one shape of an idempotent bulk write (plan, check mode, first write alone, stop after 401/403,
exactly once after an unknown outcome, per-item results and diff), driven by a fake vendor."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import threading
import time

import pytest

from ansible_collections.alertops.core.plugins.module_utils import bulk
from ansible_collections.alertops.core.plugins.module_utils import errors

NOT_ATTEMPTED = 'not attempted after an earlier authorization failure'


def unknown_applied():
    exc = errors.OutcomeUnknownError('dropped after sending', platform='fake')
    exc.apply = True
    return exc


class Unreadable(errors.ResponseError):
    apply = True   # the server acted; its 2xx answer cannot be read


FAULTS = {
    'ok': lambda: None,
    'unknown': lambda: errors.OutcomeUnknownError('dropped before the server acted', platform='fake'),
    'unknown-applied': unknown_applied,
    'unreadable-2xx': lambda: Unreadable('not valid JSON', platform='fake', status=200),
    'unreadable-500': lambda: errors.ResponseError('HTML page', platform='fake', status=500),
    '401': lambda: errors.AuthenticationError('unauthorized', 401, platform='fake'),
    '403': lambda: errors.PermissionDeniedError('forbidden', 403, platform='fake'),
    '500': lambda: errors.HTTPError('server error', 500, platform='fake'),
}


class Vendor:
    """Objects ``{'id', 'v'}``; a write sets ``v``. ``script[id]`` lists the faults of that id's writes, in order."""

    def __init__(self, values, script=None, delay=0.0):
        self.store = dict((i, {'id': i, 'v': v}) for i, v in values)
        self.script = dict((k, list(v)) for k, v in (script or {}).items())
        self.delay = delay
        self.writes, self.reads, self.events = [], [], []
        self.lock = threading.Lock()
        self.in_flight, self.peak = 0, 0

    def objects(self):
        return [dict(o) for o in self.store.values()]

    def desired(self, target):
        def plan(obj):
            if obj['v'] == target:
                return None
            if obj['v'] == 'locked':
                raise errors.ConflictError('object %s is locked (nothing was sent)' % obj['id'], platform='fake')
            return bulk.Change(dict(obj, v=target), ('set',))
        return plan

    def write(self, obj, change):
        with self.lock:
            self.writes.append(obj['id'])
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.events.append(('start', obj['id']))
            fault = (self.script.get(obj['id']) or ['ok']).pop(0)
        time.sleep(self.delay)
        exc = FAULTS[fault]()
        with self.lock:
            self.in_flight -= 1
            self.events.append(('end', obj['id']))
            if exc is None or getattr(exc, 'apply', False):
                self.store[obj['id']]['v'] = change.after['v']
        if exc is not None:
            raise exc
        return dict(self.store[obj['id']]), change.parts

    def reread(self, obj):
        with self.lock:
            self.reads.append(obj['id'])
            return dict(self.store[obj['id']])

    @staticmethod
    def done(current, change):
        return current['v'] == change.after['v']

    def sync(self, target='B', check_mode=False, concurrency=4, **kwargs):
        kwargs.setdefault('reread', self.reread)
        kwargs.setdefault('done', self.done)
        return bulk.sync(self.objects(), self.desired(target), self.write, check_mode=check_mode,
                         concurrency=concurrency, platform='fake', **kwargs)


def summary(result):
    """(id, changed, error class or None) per item, in order."""
    return [(i['key'], i['changed'], type(i['error']).__name__ if i['error'] else None) for i in result.items]


# (name, initial values, script, expected summary, expected writes, expected re-reads, expected final values)
CASES = [
    ('nothing to do sends nothing', [('1', 'B'), ('2', 'B')], {},
     [('1', False, None), ('2', False, None)], [], [], ['B', 'B']),
    ('only the objects that differ are written', [('1', 'A'), ('2', 'B'), ('3', 'A')], {},
     [('1', True, None), ('2', False, None), ('3', True, None)], ['1', '3'], [], ['B', 'B', 'B']),
    ('unknown outcome, applied: re-read, not written again', [('1', 'A')], {'1': ['unknown-applied']},
     [('1', True, None)], ['1'], ['1'], ['B']),
    ('unknown outcome, not applied: re-read, written once more', [('1', 'A')], {'1': ['unknown']},
     [('1', True, None)], ['1', '1'], ['1'], ['B']),
    ('unreadable 2xx answer: re-read, not written again', [('1', 'A')], {'1': ['unreadable-2xx']},
     [('1', True, None)], ['1'], ['1'], ['B']),
    ('unreadable error answer is an error, not an unknown outcome', [('1', 'A')], {'1': ['unreadable-500']},
     [('1', False, 'ResponseError')], ['1'], [], ['A']),
    ('unknown outcome every round: the last error, after ROUNDS writes', [('1', 'A')], {'1': ['unknown'] * 9},
     [('1', False, 'OutcomeUnknownError')], ['1'] * bulk.ROUNDS, ['1'] * bulk.ROUNDS, ['A']),
    ('a per-item error leaves the others written', [('1', 'A'), ('2', 'A'), ('3', 'A')], {'2': ['500']},
     [('1', True, None), ('2', False, 'HTTPError'), ('3', True, None)], ['1', '2', '3'], [], ['B', 'A', 'B']),
    ('a plan error is that item\'s error, nothing sent for it', [('1', 'locked'), ('2', 'A')], {},
     [('1', False, 'ConflictError'), ('2', True, None)], ['2'], [], ['locked', 'B']),
    ('401 on the first write: nothing else is sent', [('1', 'A'), ('2', 'A'), ('3', 'B'), ('4', 'A')], {'1': ['401']},
     [('1', False, 'AuthenticationError'), ('2', False, 'AlertOpsError'), ('3', False, None),
      ('4', False, 'AlertOpsError')], ['1'], [], ['A', 'A', 'B', 'A']),
    ('403 on the first write: nothing else is sent', [('1', 'B'), ('2', 'A'), ('3', 'A')], {'2': ['403']},
     [('1', False, None), ('2', False, 'PermissionDeniedError'), ('3', False, 'AlertOpsError')], ['2'], [],
     ['B', 'A', 'A']),
]


@pytest.mark.parametrize('name,values,script,expected,writes,reads,final', CASES, ids=[c[0] for c in CASES])
def test_sync(name, values, script, expected, writes, reads, final):
    vendor = Vendor(values, script)
    result = vendor.sync(concurrency=1)
    assert summary(result) == expected
    assert vendor.writes == writes
    assert vendor.reads == reads
    assert [vendor.store[i]['v'] for i, _v in values] == final
    assert result.changed == any(c for _k, c, _e in expected)
    assert [str(e) for e in result.failures] == [str(i['error']) for i in result.items if i['error']]
    for item in result.items:
        if item['error'] is not None:
            assert item['after'] == item['before']
        if type(item['error']) is errors.AlertOpsError:  # pylint: disable=unidiomatic-typecheck
            assert str(item['error']) == 'fake: ' + NOT_ATTEMPTED


@pytest.mark.parametrize('values,expected_todo', [([('1', 'A'), ('2', 'B'), ('3', 'A')], 2), ([('1', 'B')], 0)])
def test_check_mode_sends_nothing_and_shows_the_prediction(values, expected_todo):
    vendor = Vendor(values, {'1': ['403']})
    result = vendor.sync(check_mode=True)
    assert vendor.writes == [] and vendor.reads == []
    assert result.todo == expected_todo
    assert [(i['key'], i['changed'], i['after']['v'], i['parts']) for i in result.items] == [
        (i, v != 'B', 'B', ('set',) if v != 'B' else ()) for i, v in values]
    assert result.failures == []


def test_first_write_alone_then_bounded_concurrency_in_input_order():
    vendor = Vendor([(str(n), 'A') for n in range(20)], delay=0.01)
    result = vendor.sync(concurrency=4)
    assert vendor.events[:2] == [('start', '0'), ('end', '0')]   # the first write finished before any other began
    assert 2 <= vendor.peak <= 4
    assert [i['key'] for i in result.items] == [str(n) for n in range(20)]
    assert all(i['changed'] and i['after']['v'] == 'B' for i in result.items)


def test_an_auth_failure_after_the_first_write_stops_what_was_not_yet_sent():
    vendor = Vendor([(str(n), 'A') for n in range(10)], {'3': ['403']})
    result = vendor.sync(concurrency=1)
    assert vendor.writes == ['0', '1', '2', '3']
    assert [i['changed'] for i in result.items] == [True] * 3 + [False] * 7
    assert [str(i['error']) for i in result.items[4:]] == ['fake: ' + NOT_ATTEMPTED] * 6


def test_diff_holds_the_changed_items_only_in_the_view_given():
    vendor = Vendor([('1', 'A'), ('2', 'B'), ('3', 'A')], {'3': ['500']})
    result = vendor.sync(concurrency=1)
    assert result.diff(lambda o: {'v': o['v']}) == {'before': {'1': {'v': 'A'}}, 'after': {'1': {'v': 'B'}}}
    assert vendor.sync(check_mode=True).diff() == {'before': {'3': {'id': '3', 'v': 'A'}},
                                                   'after': {'3': {'id': '3', 'v': 'B'}}}


def test_credit_decides_what_a_re_read_after_an_unknown_outcome_counts():
    vendor = Vendor([('1', 'A'), ('2', 'A')], {'1': ['unknown-applied'], '2': ['unknown-applied']})
    # someone else's change looks the same: credit() says which parts this run may claim
    result = vendor.sync(concurrency=1, credit=lambda current, change: () if current['id'] == '2' else change.parts)
    assert summary(result) == [('1', True, None), ('2', False, None)]
    assert result.items[1]['after']['v'] == 'B'


class FakeClaim:
    def __init__(self, taken):
        self.taken, self.marked = taken, False

    def mark(self):
        self.marked = True


@pytest.mark.parametrize('taken,changed_by_other,writes,reads,changed,marked', [
    (False, False, ['1'], [], True, True),      # a free claim: written, and marked
    (True, True, [], ['1'], False, False),      # another run on this host made it: re-read, nothing sent, not claimed
    (True, False, ['1'], ['1'], True, True),    # taken, but the re-read shows it still to do: written
])
def test_claims_keep_two_runs_from_both_claiming_one_change(taken, changed_by_other, writes, reads, changed, marked):
    vendor = Vendor([('1', 'A')])
    claims = []

    @contextlib.contextmanager
    def claim(obj, change):
        claims.append(FakeClaim(taken))
        if changed_by_other:
            vendor.store['1']['v'] = 'B'
        yield claims[-1]

    result = vendor.sync(claim=claim)
    assert (vendor.writes, vendor.reads, result.items[0]['changed'], claims[0].marked) == (writes, reads, changed, marked)


def test_no_re_read_function_means_an_unknown_outcome_is_the_items_error():
    vendor = Vendor([('1', 'A')], {'1': ['unknown']})
    result = bulk.sync(vendor.objects(), vendor.desired('B'), vendor.write, concurrency=1, platform='fake')
    assert summary(result) == [('1', False, 'OutcomeUnknownError')]
    assert vendor.writes == ['1']


def test_write_once_returns_after_and_parts_or_raises():
    vendor = Vendor([('1', 'A')], {'1': ['unknown']})
    obj = vendor.objects()[0]
    after, parts = bulk.write_once(obj, vendor.desired('B')(obj), vendor.write, reread=vendor.reread, done=vendor.done)
    assert (after['v'], parts, vendor.writes, vendor.reads) == ('B', ('set',), ['1', '1'], ['1'])
    vendor = Vendor([('1', 'A')], {'1': ['500']})
    with pytest.raises(errors.HTTPError):
        bulk.write_once(obj, vendor.desired('B')(obj), vendor.write, reread=vendor.reread, done=vendor.done)


@pytest.mark.parametrize('exc,unknown', [
    (errors.OutcomeUnknownError('x'), True),
    (errors.ResponseError('x', status=204), True),
    (bulk.Unconfirmed('answered, not done'), True),
    (errors.ResponseError('x', status=500), False),
    (errors.ResponseError('x'), False),
    (errors.HTTPError('x', 502), False),
    (errors.TransportError('refused'), False),
])
def test_unknown_outcome(exc, unknown):
    assert bulk.unknown_outcome(exc) is unknown
