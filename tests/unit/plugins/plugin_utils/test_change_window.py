# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change-window planner, rule by rule (plugin_utils/change_window.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.alertops.core.plugins.module_utils import alerts
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.module_utils.mackerel import MackerelClient
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient

BEGIN = 1700000000                       # 2023-11-14T22:13:20Z
END = BEGIN + 3600                       # 2023-11-14T23:13:20Z
CHG = 'CHG-7'
TO_MODEL = {'mackerel': MackerelClient.to_model, 'opsramp': OpsRampClient.to_model}
SCOPE = {'mackerel_host_ids': ['h1', 'h2'], 'opsramp_query': {'resourceIds': ['res-web-01']}}


def mk(alert_id, opened, host='h1', monitor='m1', closed_at=None, reason=None):
    return alerts.make_alert('mackerel', alert_id, closed_at is not None, 'OK' if closed_at else 'CRITICAL', 't', host,
                             opened, closed_at, {}, close_reason=reason, host_id=host, monitor_id=monitor)


def op(alert_id, opened, closed_at=None, reason=None, by=None, acked=False):
    return alerts.make_alert('opsramp', alert_id, closed_at is not None, 'Critical', 's', 'web-01', opened, closed_at,
                             {}, close_reason=reason, closed_by=by, acknowledged=acked, host_id='res-web-01')


def written(results):
    """The writing modules' items as the action plugin hands them to record_results: ``after`` in the model."""
    return dict((p, [dict(i, after=TO_MODEL[p](i['after'])) for i in items]) for p, items in results.items())


def state(**kw):
    base = cw.new_state(CHG, BEGIN, ['mackerel', 'opsramp', 'log360'], SCOPE, False, {})
    base.update(kw)
    return base


def ids(entries, platform=None):
    return sorted(e['id'] for e in entries if platform is None or e['platform'] == platform)


def whys(the_plan):
    return dict(((e['platform'], e['id']), e['why']) for e in the_plan['left_open'])


# -- change id ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('value,ok', [
    ('CHG-1234', True), ('a', True), ('9', True), ('chg_1.2-x', True), ('A' * 64, True),
    ('A' * 65, False), ('', False), (None, False), ('-CHG', False), ('.hidden', False), ('_x', False),
    ('CHG 1', False), ('bad id/../x', False), ('CHG/1', False), ('CHG\n1', False), ('CHG-1\n', False), ('ü', False),
    (1234, True),
])
def test_change_id_rule(value, ok):
    if ok:
        assert cw.check_change_id(value) == str(value)
    else:
        with pytest.raises(cw.ChangeWindowError) as err:
            cw.check_change_id(value)
        assert cw.CHANGE_ID_RULE in str(err.value)
        assert 'maintenance_window_change_id' in str(err.value)


# -- scope at begin ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize('scope,platforms,scope_all,missing', [
    ({}, ['mackerel', 'opsramp', 'log360'], False, ['mackerel', 'opsramp']),
    ({'mackerel_host_ids': ['h1']}, ['mackerel', 'opsramp'], False, ['opsramp']),
    ({'mackerel_monitor_ids': ['m1']}, ['mackerel'], False, []),
    ({'opsramp_query': {'resourceIds': []}}, ['opsramp'], False, ['opsramp']),       # an empty value is no scope
    ({'mackerel_host_ids': ['  ']}, ['mackerel'], False, ['mackerel']),
    ({}, ['log360'], False, []),                                                       # read-only: no scope needed
    ({}, ['mackerel', 'opsramp'], True, []),
    (SCOPE, ['mackerel', 'opsramp', 'log360'], False, []),
])
def test_begin_refuses_a_missing_scope_per_platform(scope, platforms, scope_all, missing):
    if not missing:
        assert cw.check_begin_scope(scope, platforms, scope_all) == cw.normalise_scope(scope)
        return
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.check_begin_scope(scope, platforms, scope_all)
    text = str(err.value)
    assert 'maintenance_window_scope_all: true' in text and 'Nothing was written' in text
    for platform in missing:
        assert platform in text
    assert ('maintenance_window_opsramp_query' in text) == ('opsramp' in missing)


# -- scope at end ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('given,ok', [
    ({}, True),                                                                         # omitted: the recorded one
    ({'mackerel_host_ids': ['h2', 'h1', 'h1']}, True),                                  # same set, other order
    ({'opsramp_query': {'resourceIds': ['res-web-01']}}, True),
    ({'mackerel_host_ids': ['h1']}, False),                                             # narrower
    ({'mackerel_host_ids': ['h1', 'h2', 'h3']}, False),                                 # wider
    ({'mackerel_monitor_ids': ['m1']}, False),                                          # not recorded at all
    ({'opsramp_query': {'resourceIds': ['res-db-01']}}, False),
])
def test_end_uses_the_recorded_scope_and_refuses_another(given, ok):
    recorded = state()
    if ok:
        assert cw.resolve_scope(recorded, given) == cw.normalise_scope(SCOPE)
        return
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.resolve_scope(recorded, given)
    text = str(err.value)
    key = next(k for k in given)
    assert 'maintenance_window_' + key in text
    assert json.dumps(cw.normalise_scope(given)[key]) in text                       # the given scope
    assert json.dumps(cw.normalise_scope(SCOPE)[key]) in text                       # the recorded scope
    assert 'refusing to close anything' in text


def test_scope_all_recorded_refuses_a_scope_at_end():
    recorded = cw.new_state(CHG, BEGIN, ['mackerel'], {}, True, {})
    with pytest.raises(cw.ChangeWindowError):
        cw.resolve_scope(recorded, {'mackerel_host_ids': ['h1']})
    assert cw.resolve_scope(recorded, {}) == cw.normalise_scope({})


# -- the state file ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize('text,fragment', [
    ('', 'truncated or corrupt'),
    ('{"change_id": "CHG-7", "begin_at": "2023-11', 'truncated or corrupt'),
    ('[]', 'not a JSON object'),
    ('{"begin_at": "2023-11-14T22:13:20Z", "baseline": {}}', 'no change_id'),
    ('{"change_id": "CHG-7", "begin_at": "yesterday", "baseline": {}}', 'not a time'),
    ('{"change_id": "CHG-7", "begin_at": "2023-11-14T22:13:20Z"}', 'no baseline'),
    ('{"change_id": "CHG-7", "begin_at": "2023-11-14T22:13:20Z", "baseline": {"mackerel": "x"}}', 'no baseline'),
])
def test_corrupt_state_names_the_file_and_the_fix(text, fragment):
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.parse_state(text, '/state/CHG-7.json')
    message = str(err.value)
    assert '/state/CHG-7.json' in message and fragment in message
    assert 'maintenance_window_baseline' in message and 'phase begin' in message


def test_a_0_1_0_state_is_read():
    old = {'change_id': CHG, 'begin_at': '2023-11-14T22:13:20Z', 'platforms': ['mackerel'],
           'scope': {'mackerel_host_ids': ['h1'], 'mackerel_monitor_ids': [], 'opsramp_query': {}},
           'baseline': {'mackerel': ['a'], 'opsramp': []},
           'closed': [{'platform': 'mackerel', 'id': 'b', 'closed_at': None}]}
    got = cw.parse_state(json.dumps(old), 'x')
    assert got['version'] == cw.STATE_VERSION and got['end_at'] is None and got['pending'] == []
    assert got['scope']['mackerel_host_ids'] == ['h1'] and got['scope_all'] is False


def test_baseline_holds_the_open_alerts_in_scope_only():
    listing = {'mackerel': [mk('a', BEGIN - 50), mk('b', BEGIN - 50, host='h9'), mk('c', BEGIN - 60, closed_at=BEGIN - 1)],
               'opsramp': [op('1', BEGIN - 10), op('2', BEGIN - 10, closed_at=BEGIN - 5)]}
    got = cw.new_state(CHG, BEGIN, ['mackerel', 'opsramp', 'log360'], SCOPE, False, listing)
    assert got['baseline'] == {'mackerel': ['a'], 'opsramp': ['1']}
    assert got['baseline_alerts']['mackerel'][0]['id'] == 'a'
    assert got['begin_at'] == '2023-11-14T22:13:20Z' and got['end_at'] is None


def test_state_for_another_change_or_platform_is_refused():
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.check_state_for(state(), 'CHG-8', ['mackerel'])
    assert 'The baseline belongs to change CHG-7, not CHG-8: refusing to close anything' in str(err.value)
    only_mackerel = cw.new_state(CHG, BEGIN, ['mackerel'], SCOPE, False, {})
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.check_state_for(only_mackerel, CHG, ['mackerel', 'opsramp'])
    assert 'no baseline for opsramp' in str(err.value)
    cw.check_state_for(only_mackerel, CHG, ['mackerel', 'log360'])


# -- the window's end --------------------------------------------------------------------------------------------
@pytest.mark.parametrize('stored,given,now,expected,source', [
    (None, None, END - 0.1, END, 'now'),                                              # the next whole second
    (None, None, END - 1, END, 'now'),                                                # after a whole second too
    (None, '2023-11-14T23:13:20Z', END + 500, END, 'maintenance_window_end_time'),
    (cw.iso(END), None, END + 9999, END, 'state'),                                    # a rerun: never moves
    (cw.iso(END), '2023-11-14T23:13:20Z', END + 9999, END, 'state'),                  # the same end, given again
    (None, str(BEGIN), BEGIN, BEGIN, 'maintenance_window_end_time'),                  # an empty window is a window
])
def test_end_is_fixed_once(stored, given, now, expected, source):
    assert cw.fix_end(state(end_at=stored), given, now) == (expected, source)


def test_end_never_moves_and_never_precedes_the_begin():
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.fix_end(state(end_at=cw.iso(END)), '2023-11-14T23:13:25Z', END + 10)
    assert 'never moves' in str(err.value) and cw.iso(END) in str(err.value)
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.fix_end(state(), '2001-01-01T00:00:00Z', END)
    assert 'The window ends (2001-01-01T00:00:00Z) before it begins (2023-11-14T22:13:20Z)' in str(err.value)


# -- the plan: one table of alerts, each with the outcome it must get ---------------------------------------------
OTHER = 'CHG-0: closed by hand'
CASES = [
    # (alert, baseline ids, recorded, pending, expected bucket, why)
    (mk('in', BEGIN + 10), [], [], [], 'to_act', None),
    (mk('at-begin', BEGIN), [], [], [], 'to_act', None),                                 # begin is inside
    (mk('last-second', END - 1), [], [], [], 'to_act', None),
    (mk('at-end', END), [], [], [], 'left_open', cw.WHY_AFTER_END),                      # end is outside
    (mk('after', END + 300), [], [], [], 'left_open', cw.WHY_AFTER_END),
    (mk('before', BEGIN - 1), [], [], [], None, None),                                   # not this change's
    (mk('base', BEGIN), ['base'], [], [], 'left_open', cw.WHY_BASELINE),                 # baseline wins at the edge
    (mk('base-closed', BEGIN + 5, closed_at=BEGIN + 9, reason=OTHER), ['base-closed'], [], [], None, None),
    (mk('host', BEGIN + 10, host='h9'), [], [], [], 'left_open', cw.WHY_OTHER_HOST),
    (mk('nohost', BEGIN + 10, host=None), [], [], [], 'left_open', cw.WHY_NO_HOST),
    (mk('host-closed', BEGIN + 10, host='h9', closed_at=BEGIN + 20, reason=OTHER), [], [], [], None, None),
    (mk('ours', BEGIN + 10, closed_at=BEGIN + 20, reason='CHG-7: done'), [], [], [], 'closed', None),
    (mk('ours-other-text', BEGIN + 10, closed_at=BEGIN + 20, reason='CHG-7: reason edited'), [], [], [], 'closed', None),
    (mk('prefix-only', BEGIN + 10, closed_at=BEGIN + 20, reason='CHG-77: x'), [], [], [], 'closed_by_others', None),
    (mk('others', BEGIN + 10, closed_at=BEGIN + 20, reason=OTHER), [], [], [], 'closed_by_others', None),
    (mk('rec', BEGIN + 10, closed_at=BEGIN + 20, reason='CHG-7: x'), [], ['rec'], [], 'closed', None),
    (mk('reopened', BEGIN + 10), [], ['reopened'], [], 'closed+left_open', cw.WHY_REOPENED),
    (mk('crash', BEGIN + 10, closed_at=BEGIN + 20, reason='CHG-7: x'), [], [], ['crash'], 'closed', None),
    (mk('crash-lost', BEGIN + 10, closed_at=BEGIN + 20, reason=OTHER), [], [], ['crash-lost'], 'closed_by_others', None),
    (mk('crash-unsent', BEGIN + 10), [], [], ['crash-unsent'], 'to_act', None),
    (op('1', BEGIN + 10), [], [], [], 'to_act', None),
    (op('2', BEGIN + 10, closed_at=BEGIN + 30, reason='noise', by='jane'), [], [], [], 'closed_by_others', None),
    (op('3', BEGIN + 10, closed_at=BEGIN + 30), [], [], ['3'], 'closed', None),          # no vendor reason, announced
    (op('4', BEGIN + 10, closed_at=BEGIN + 30), [], [], [], 'closed_by_others', None),
    (op('5', BEGIN - 10), ['5'], [], [], 'left_open', cw.WHY_BASELINE),
]


@pytest.mark.parametrize('alert,baseline,recorded,pending,bucket,why', CASES, ids=[c[0]['id'] for c in CASES])
def test_plan_table(alert, baseline, recorded, pending, bucket, why):
    platform = alert['platform']
    st = state(baseline={'mackerel': baseline if platform == 'mackerel' else [],
                         'opsramp': baseline if platform == 'opsramp' else []},
               closed=[{'platform': platform, 'id': i, 'closed_at': '2023-11-14T22:20:00Z', 'action': 'close',
                        'closed_at_source': 'vendor'} for i in recorded],
               pending=[{'platform': platform, 'id': i, 'action': 'close'} for i in pending])
    got = cw.plan(st, {platform: [alert]}, END)
    where = set()
    if alert['id'] in got['to_act'].get(platform, []):
        where.add('to_act')
        assert [e['id'] for e in got['would_act']] == [alert['id']]
    for name in ('closed', 'closed_by_others', 'left_open', 'acknowledged'):
        if alert['id'] in ids(got[name]):
            where.add(name)
    expected = set(bucket.split('+')) if bucket else set()
    assert where == expected
    if why:
        assert whys(got)[(platform, alert['id'])] == why
    if bucket == 'closed_by_others':
        entry = got['closed_by_others'][0]
        assert entry['reason'] == alert['close_reason'] and entry['closed_at'] == alert['closed_at']
        assert entry['closed_by'] == alert['closed_by']
    if bucket and bucket.startswith('closed') and bucket != 'closed_by_others':
        assert got['closed'][0]['closed_at'] in ('2023-11-14T22:20:00Z', alert['closed_at'])


def test_plan_monitor_scope_and_scope_all():
    st = state(scope=cw.normalise_scope({'mackerel_monitor_ids': ['m1']}))
    got = cw.plan(st, {'mackerel': [mk('a', BEGIN + 1, monitor='m1', host='h9'), mk('b', BEGIN + 1, monitor='m2')]}, END)
    assert got['to_act'] == {'mackerel': ['a']}
    assert whys(got) == {('mackerel', 'b'): cw.WHY_OTHER_MONITOR}
    everything = state(scope=cw.normalise_scope({}), scope_all=True)
    got = cw.plan(everything, {'mackerel': [mk('a', BEGIN + 1, host=None), mk('b', BEGIN + 1, host='h9')]}, END)
    assert got['to_act'] == {'mackerel': ['a', 'b']}


@pytest.mark.parametrize('approved,to_act,not_approved', [
    (None, ['a', 'b', 'c'], []),                              # no plan: every caused alert
    ({'mackerel': ['a', 'b', 'c']}, ['a', 'b', 'c'], []),       # the plan as approved
    ({'mackerel': ['a']}, ['a'], ['b', 'c']),                 # b, c raised after the plan was made: left open
    ({'mackerel': ['a', 'gone']}, ['a'], ['b', 'c']),         # a planned alert no longer listed: nothing to send
    ({}, [], ['a', 'b', 'c']),                                # an approved plan of nothing closes nothing
    ({'mackerel': ['a', 'late']}, ['a'], ['b', 'c']),         # approval never widens the window
])
def test_plan_after_an_approved_plan_acts_on_the_planned_alerts_only(approved, to_act, not_approved):
    listing = {'mackerel': [mk('a', BEGIN + 1), mk('b', BEGIN + 2), mk('c', BEGIN + 3), mk('late', END + 1),
                            mk('done', BEGIN + 4, closed_at=BEGIN + 5, reason='CHG-7: x')]}
    got = cw.plan(state(), listing, END, approved=approved)
    assert got['to_act'] == {'mackerel': to_act}
    assert sorted(k[1] for k, why in whys(got).items() if why == cw.WHY_NOT_APPROVED) == not_approved
    assert whys(got)[('mackerel', 'late')] == cw.WHY_AFTER_END
    assert ids(got['closed']) == ['done']                     # a close already made is recorded, plan or not
    if approved is None:
        assert 'not_in_plan' not in got
    else:
        assert ids(got['not_in_plan']) == not_approved


def test_plan_acknowledge_action():
    st = state(closed=[{'platform': 'opsramp', 'id': '2', 'action': 'acknowledge', 'acknowledged_at': 'x'}])
    listing = {'opsramp': [op('1', BEGIN + 1), op('2', BEGIN + 1, acked=True), op('3', BEGIN + 1, acked=True),
                           op('4', BEGIN + 1, closed_at=BEGIN + 2, reason='x')]}
    got = cw.plan(st, listing, END, actions={'opsramp': 'acknowledge'})
    assert got['to_act'] == {'opsramp': ['1']}
    assert ids(got['acknowledged']) == ['2'] and ids(got['closed']) == []
    assert whys(got) == {('opsramp', '3'): cw.WHY_ACKED_BY_OTHERS}
    assert ids(got['closed_by_others']) == ['4']
    with pytest.raises(cw.ChangeWindowError):
        cw.plan(st, listing, END, actions={'opsramp': 'delete'})


def test_plan_baseline_alerts_not_listed_again_are_reported_from_the_state():
    listing = {'mackerel': [mk('a', BEGIN - 100)]}
    st = cw.new_state(CHG, BEGIN, ['mackerel'], SCOPE, False, listing)
    got = cw.plan(st, {'mackerel': []}, END)
    assert got['left_open'] == [dict(cw._entry(listing['mackerel'][0]), why=cw.WHY_BASELINE)]


def test_plan_log360_is_reported_never_acted_on():
    hit = alerts.make_alert('log360', '17', False, 'critical', 'Brute force', 'dc-01', BEGIN + 5, None, {})
    done = alerts.make_alert('log360', '18', True, 'critical', 'x', 'dc-01', BEGIN + 6, BEGIN + 7, {})
    got = cw.plan(state(), {'log360': [hit, done]}, END)
    assert got['to_act'] == {} and ids(got['log360_alerts']) == ['17', '18']
    assert whys(got) == {('log360', '17'): cw.WHY_LOG360}


def test_plan_rerun_after_crash_between_writes_and_record_and_after_success():
    # the first run announced a, b, c; a and b were closed, then the process died before recording anything
    listing = [mk('a', BEGIN + 1, closed_at=BEGIN + 4000, reason='CHG-7: x'),
               mk('b', BEGIN + 2, closed_at=BEGIN + 4000, reason='CHG-7: x'),
               mk('c', BEGIN + 3), mk('late', END + 60)]
    st = state(end_at=cw.iso(END), pending=cw.pending_entries({'mackerel': ['a', 'b', 'c']}))
    got = cw.plan(st, {'mackerel': listing}, END)
    assert got['to_act'] == {'mackerel': ['c']}
    assert ids(got['closed']) == ['a', 'b']
    assert whys(got)[('mackerel', 'late')] == cw.WHY_AFTER_END
    # c is closed now; recording it leaves nothing pending, and a further rerun acts on nothing
    results = {'mackerel': [{'id': 'c', 'changed': True,
                             'after': {'status': 'OK', 'reason': 'CHG-7: x', 'closed_at': '2023-11-14T23:20:00Z'}}]}
    st2, plan2, failures = cw.record_results(st, got, written(results), END + 500)
    assert failures == [] and st2['pending'] == [{'platform': 'mackerel', 'id': 'a', 'action': 'close'},
                                                 {'platform': 'mackerel', 'id': 'b', 'action': 'close'}]
    assert ids(plan2['closed']) == ['a', 'b', 'c'] and plan2['would_act'] == []
    listing[2] = mk('c', BEGIN + 3, closed_at=END + 400, reason='CHG-7: x')
    again = cw.plan(st2, {'mackerel': listing}, END)
    assert again['to_act'] == {'mackerel': []} and ids(again['closed']) == ['a', 'b', 'c']


def test_record_results_reads_what_the_modules_returned():
    listing = {'mackerel': [mk('a', BEGIN + 1), mk('b', BEGIN + 2), mk('c', BEGIN + 3)],
               'opsramp': [op('1', BEGIN + 1), op('2', BEGIN + 2)]}
    st = state(end_at=cw.iso(END))
    the_plan = cw.plan(st, listing, END)
    results = {
        'mackerel': [
            {'id': 'a', 'changed': True, 'after': {'status': 'OK', 'reason': 'CHG-7: x', 'closed_at': '2023-11-14T23:30:00Z'}},
            {'id': 'b', 'changed': False, 'before': {}, 'after': {}, 'error': 'mackerel close alert b: HTTP 500'},
            # closed by somebody else between the listing and the write: the close was refused, not ours
            {'id': 'c', 'changed': False, 'after': {'status': 'OK', 'reason': 'by hand', 'closed_at': '2023-11-14T23:25:00Z'}},
        ],
        'opsramp': [
            {'id': '1', 'changed': True, 'after': {'closed': True, 'acknowledged': False, 'suppressed': False}},
            {'id': '2', 'changed': True, 'after': {'closed': True}, 'closed_at': '2023-11-14T23:31:00Z'},
        ]}
    new_state, new_plan, failures = cw.record_results(st, the_plan, written(results), END + 1000)
    assert failures == [('mackerel', 'b', 'mackerel close alert b: HTTP 500')]
    closed = dict(((e['platform'], e['id']), e) for e in new_plan['closed'])
    assert sorted(closed) == [('mackerel', 'a'), ('opsramp', '1'), ('opsramp', '2')]
    assert closed[('mackerel', 'a')]['closed_at'] == '2023-11-14T23:30:00Z'
    assert closed[('mackerel', 'a')]['closed_at_source'] == 'vendor'
    assert closed[('opsramp', '1')]['closed_at'] == cw.iso(END + 1000)
    assert closed[('opsramp', '1')]['closed_at_source'] == 'controller'
    assert closed[('opsramp', '2')]['closed_at'] == '2023-11-14T23:31:00Z'
    assert ids(new_plan['closed_by_others']) == ['c']
    assert [(e['reason'], e['closed_at']) for e in new_plan['closed_by_others']] == [('by hand', '2023-11-14T23:25:00Z')]
    assert whys(new_plan)[('mackerel', 'b')] == cw.WHY_FAILED
    assert sorted((c['platform'], c['id']) for c in new_state['closed']) == sorted(closed)


def test_awx_baseline_without_end_time_after_closes_fails_before_any_write():
    listing = {'mackerel': [mk('a', BEGIN + 1, closed_at=BEGIN + 50, reason='CHG-7: x'), mk('b', BEGIN + 2)]}
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.plan(state(), listing, END, handed_in=True, end_source='now')
    assert 'maintenance_window_end_time' in str(err.value) and 'Nothing was sent' in str(err.value)
    # with the end time handed on, or before anything was closed, it plans
    assert cw.plan(state(), listing, END, handed_in=True, end_source='maintenance_window_end_time')['to_act'] == \
        {'mackerel': ['b']}
    fresh = {'mackerel': [mk('b', BEGIN + 2)]}
    assert cw.plan(state(), fresh, END, handed_in=True, end_source='now')['to_act'] == {'mackerel': ['b']}


def test_audit_and_summary_use_the_same_words_and_numbers():
    listing = {'mackerel': [mk('a', BEGIN + 1, closed_at=BEGIN + 9, reason='CHG-7: x'), mk('x', BEGIN + 1, host='h9'),
                            mk('y', BEGIN + 1, host='h8'), mk('o', BEGIN + 1, closed_at=BEGIN + 5, reason=OTHER)],
               'log360': [alerts.make_alert('log360', '17', False, 'critical', 'B', 'dc', BEGIN + 5, None, {})]}
    st = state(end_at=cw.iso(END), baseline={'mackerel': ['z'], 'opsramp': []})
    the_plan = cw.plan(st, listing, END)
    window = {'begin': st['begin_at'], 'end': cw.iso(END)}
    doc = cw.audit(st, the_plan, window, cw.normalise_scope(SCOPE), ['mackerel', 'log360'])
    assert doc['counts'] == {'closed': 1, 'acknowledged': 0, 'closed_by_others': 1, 'left_open': 4,
                             'log360_alerts': 1, 'would_act': 0}
    assert doc['left_open_groups'] == [
        {'why': cw.WHY_BASELINE, 'count': 1, 'collapsed': False},
        {'why': cw.WHY_LOG360, 'count': 1, 'collapsed': False},
        {'why': cw.WHY_OTHER_HOST, 'count': 2, 'collapsed': True}]
    text = cw.summary(CHG, window, the_plan, report='/r/CHG-7-audit.html')
    assert text == ('CHG-7 (2023-11-14T22:13:20Z .. 2023-11-14T23:13:20Z): 1 alert(s) closed by this change; 0 closed '
                    'by others in the window; 4 left open: 1 %s; 1 %s; 2 %s. Audit: /r/CHG-7-audit.html'
                    % (cw.WHY_BASELINE, cw.WHY_LOG360, cw.WHY_OTHER_HOST)).replace('0 closed by others', '1 closed by others')
    check = cw.summary(CHG, window, the_plan, check_mode=True)
    assert 'nothing sent and no file written' in check and 'Audit:' not in check
    assert json.dumps(doc, sort_keys=True) == json.dumps(cw.audit(st, cw.plan(st, listing, END), window,
                                                                  cw.normalise_scope(SCOPE), ['mackerel', 'log360']),
                                                         sort_keys=True)


@pytest.mark.parametrize('platform, action, after, acted', [
    # what the writing modules return as an item's after, read through the vendor client's model
    ('mackerel', 'close', {'status': 'OK', 'reason': 'CHG-7: x', 'closedAt': END, 'closed_at': cw.iso(END)}, True),
    ('mackerel', 'close', {'status': 'OK', 'reason': 'CHG-7: x'}, True),           # check mode: closedAt unknown
    ('mackerel', 'close', {'status': 'CRITICAL', 'memo': 'm'}, False),
    ('mackerel', 'close', {}, False),
    ('opsramp', 'close', {'closed': True, 'acknowledged': False, 'suppressed': False}, True),
    ('opsramp', 'close', {'closed': False, 'acknowledged': True, 'suppressed': False}, False),
    ('opsramp', 'acknowledge', {'closed': False, 'acknowledged': True, 'suppressed': False}, True),
    ('opsramp', 'acknowledge', {'closed': False, 'acknowledged': False, 'suppressed': True}, False),
])
def test_record_results_reads_the_model_of_what_the_write_left(platform, action, after, acted):
    listing = {'mackerel': [mk('a', BEGIN + 1)], 'opsramp': [op('a', BEGIN + 1)]}
    actions = {platform: action}
    st = state(end_at=cw.iso(END))
    the_plan = cw.plan(st, listing, END, actions=actions)
    results = written({platform: [{'id': 'a', 'changed': True, 'after': after}]})
    _st, new_plan, failures = cw.record_results(st, the_plan, results, END + 10, actions)
    done = new_plan['closed' if action == 'close' else 'acknowledged']
    assert [(e['platform'], e['id']) for e in done] == ([(platform, 'a')] if acted else [])
    assert failures == ([] if acted else [(platform, 'a', 'the alert is not %s after the write'
                                           % ('closed' if action == 'close' else 'acknowledged'))])


def test_a_plan_document_is_what_end_then_acts_on_and_nothing_else():
    listing = {'mackerel': [mk('a', BEGIN + 1), mk('b', BEGIN + 2, host='h9')],
               'opsramp': [op('1', BEGIN + 3), op('2', BEGIN + 4, closed_at=BEGIN + 5, reason='fixed', by='jo')]}
    window = {'begin': cw.iso(BEGIN), 'end': cw.iso(END)}
    planned = cw.plan(state(), listing, END)
    document = cw.plan_document(state(), planned, window, ['Mackerel downtime CHG-7 (id d1)'], BEGIN + 4000)
    assert document['to_act'] == {'mackerel': ['a'], 'opsramp': ['1']}
    assert document['suppression_to_remove'] == ['Mackerel downtime CHG-7 (id d1)']
    assert json.loads(json.dumps(document)) == document           # a JSON file
    assert cw.plan_summary(CHG, window, planned) == (
        'CHG-7 (%s .. %s): plan: 2 alert(s) to close (mackerel 1, opsramp 1); 0 closed already; 1 closed by others; '
        '1 left open: 1 out of scope (other host). Nothing was sent.' % (window['begin'], window['end']))
    approved = cw.approved_to_act(document, CHG, window['end'])
    # the end, later: a third alert was raised after the plan was made, and is left open, named in the audit
    later = dict(listing, mackerel=listing['mackerel'] + [mk('c', BEGIN + 6)])
    the_plan = cw.plan(state(), later, END, approved=approved)
    the_plan['approved_plan'] = {'made_at': document['made_at'], 'to_act': approved}
    assert the_plan['to_act'] == {'mackerel': ['a'], 'opsramp': ['1']}
    audit = cw.audit(state(), the_plan, window, SCOPE, ['mackerel', 'opsramp'])
    assert [e['id'] for e in audit['approved_plan']['not_in_plan']] == ['c']
    assert audit['approved_plan']['to_act'] == approved


@pytest.mark.parametrize('document,window_end,message', [
    ({'plan_version': 1, 'change_id': 'CHG-8', 'window': {'end': 'x'}, 'to_act': {}}, 'x', 'holds the plan of change CHG-8'),
    ({'plan_version': 1, 'change_id': CHG, 'window': {'end': 'x'}, 'to_act': {}}, 'y', 'for a window ending x'),
    ({'plan_version': 9, 'change_id': CHG, 'window': {'end': 'x'}, 'to_act': {}}, 'x', 'plan_version 9'),
    ([], 'x', 'plan_version None'),
])
def test_an_approved_plan_of_another_change_or_window_is_refused(document, window_end, message):
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.approved_to_act(document, CHG, window_end)
    assert message in str(err.value) and 'nothing was sent' in str(err.value)


# -- every close records its reason ------------------------------------------------------------------------------
@pytest.mark.parametrize('platform,action,after,sent,reason', [
    # the vendor stores the reason and says it back: that one
    ('mackerel', 'close', {'status': 'OK', 'reason': 'CHG-7: stored'}, 'CHG-7: sent', 'CHG-7: stored'),
    # the vendor's answer does not say it (OpsRamp's action answer): the one sent
    ('opsramp', 'close', {'closed': True}, 'CHG-7: sent', 'CHG-7: sent'),
    ('opsramp', 'close', {'closed': True, 'lastActionDescription': 'CHG-7: stored'}, 'CHG-7: sent', 'CHG-7: stored'),
    ('opsramp', 'acknowledge', {'acknowledged': True}, 'CHG-7: sent', 'CHG-7: sent'),
    # nothing known and nothing handed in: no reason invented
    ('opsramp', 'close', {'closed': True}, None, None),
])
def test_record_results_records_the_reason_of_every_close(platform, action, after, sent, reason):
    listing = {'mackerel': [mk('a', BEGIN + 1)], 'opsramp': [op('a', BEGIN + 1)]}
    actions = {platform: action}
    st = state(end_at=cw.iso(END))
    the_plan = cw.plan(st, listing, END, actions=actions)
    results = written({platform: [{'id': 'a', 'changed': True, 'after': after}]})
    new_state, new_plan, _f = cw.record_results(st, the_plan, results, END + 10, actions, reason=sent)
    done = new_plan['closed' if action == 'close' else 'acknowledged']
    assert [e.get('reason') for e in done] == [reason]
    assert [c.get('reason') for c in new_state['closed']] == [reason]
    # the audit's entries are the plan's: a rerun (which writes nothing) shows the recorded reason again
    rerun = cw.plan(new_state, listing, END, actions=actions)
    assert [e.get('reason') for e in rerun['closed' if action == 'close' else 'acknowledged']] == [reason]


def test_a_close_found_on_the_vendor_carries_the_vendors_reason():
    # announced (pending) and closed, the record lost in a crash: the listing shows it closed with our reason
    listing = {'mackerel': [mk('a', BEGIN + 1, closed_at=BEGIN + 100, reason='CHG-7: closed after the change window'),
                            mk('p', BEGIN + 2, closed_at=BEGIN + 101)]}
    st = state(end_at=cw.iso(END), pending=[{'platform': 'mackerel', 'id': 'p', 'action': 'close'}])
    the_plan = cw.plan(st, listing, END)
    assert [(e['id'], e.get('reason')) for e in the_plan['closed']] == [
        ('a', 'CHG-7: closed after the change window'), ('p', None)]
    # a record of 0.2.0 (no reason in it) takes the vendor's
    old = state(end_at=cw.iso(END),
                closed=[{'platform': 'mackerel', 'id': 'a', 'closed_at': cw.iso(BEGIN + 100), 'action': 'close'}])
    assert [e.get('reason') for e in cw.plan(old, listing, END)['closed']] == ['CHG-7: closed after the change window']


# -- scope by service and role, frozen at begin ----------------------------------------------------------------------
@pytest.mark.parametrize('scope,reads', [
    ({'mackerel_host_ids': ['h1']}, []),
    ({'mackerel_services': ['web', 'db']}, [('service db', 'db', []), ('service web', 'web', [])]),
    ({'mackerel_roles': ['web: app', 'db:primary']}, [('role db:primary', 'db', ['primary']),
                                                      ('role web:app', 'web', ['app'])]),
])
def test_host_lists_to_read(scope, reads):
    assert cw.host_lists_to_read(scope) == reads


def test_expand_scope_records_where_each_host_came_from_and_refuses_an_empty_source():
    scope, sources = cw.expand_scope({'mackerel_host_ids': ['h1'], 'mackerel_services': ['web'],
                                      'mackerel_roles': ['db:primary']},
                                     {'service web': ['h1', 'h2'], 'role db:primary': ['h3']})
    assert scope['mackerel_host_ids'] == ['h1', 'h2', 'h3']
    assert sources == {'h1': ['given', 'service web'], 'h2': ['service web'], 'h3': ['role db:primary']}
    with pytest.raises(cw.ChangeWindowError) as err:
        cw.expand_scope({'mackerel_services': ['wbe']}, {'service wbe': []})
    assert str(err.value).startswith('service wbe of maintenance_window_mackerel_services / _roles: no host')


def test_a_service_scope_is_frozen_at_begin_and_never_means_every_host():
    scope, sources = cw.expand_scope({'mackerel_services': ['web']}, {'service web': ['h1', 'h2']})
    st = cw.new_state(CHG, BEGIN, ['mackerel'], scope, False, {}, scope_sources=sources)
    # end gives the same variables (the service, no ids): the recorded scope applies, with begin's hosts
    applied = cw.resolve_scope(st, {'mackerel_services': ['web']})
    assert applied['mackerel_host_ids'] == ['h1', 'h2']
    # a host added to the service during the change (h9) is not in scope
    got = cw.plan(st, {'mackerel': [mk('a', BEGIN + 1, host='h2'), mk('b', BEGIN + 1, host='h9')]}, END)
    assert got['to_act'] == {'mackerel': ['a']} and whys(got) == {('mackerel', 'b'): cw.WHY_OTHER_HOST}
    # a given host id at end is compared with those given at begin (none), not with the service's hosts
    with pytest.raises(cw.ChangeWindowError, match='differs from the scope recorded'):
        cw.resolve_scope(st, {'mackerel_host_ids': ['h1']})
    # a service that had no host at begin filters by host all the same: nothing, not everything
    empty = dict(cw.normalise_scope({'mackerel_services': ['web']}), mackerel_host_ids=[])
    assert cw.scope_reason(mk('c', BEGIN + 1, host='h5'), empty) == cw.WHY_OTHER_HOST
    assert cw.audit(st, got, {'begin': 'b', 'end': 'e'}, applied, ['mackerel'])['scope_sources'] == sources


@pytest.mark.parametrize('role,ok', [('web:app', True), ('web : app', True), ('web', False), ('a:b:c', False),
                                     (':app', False)])
def test_a_role_is_service_colon_role(role, ok):
    if ok:
        assert cw.normalise_scope({'mackerel_roles': [role]})['mackerel_roles'] == ['web:app']
    else:
        with pytest.raises(cw.ChangeWindowError, match='is not a role'):
            cw.normalise_scope({'mackerel_roles': [role]})
