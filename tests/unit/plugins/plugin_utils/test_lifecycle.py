# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle's transitions, rerun points and refusals, table by table (plugins/plugin_utils/lifecycle.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import timeutil
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle as lc
from ansible_collections.alertops.core.plugins.plugin_utils import suppression as sup

BEGIN = 1700000000
ISO = timeutil.to_iso


def at(phase, **extra):
    state = {'change_id': 'CHG-1', 'begin_at': ISO(BEGIN), 'lifecycle': {'phase': phase, 'history': []}}
    state.update(extra)
    return state


# a 0.2.0 state (no lifecycle) -> the phase its fields imply
@pytest.mark.parametrize('state,expected', [
    (None, None),
    ({'begin_at': ISO(BEGIN)}, 'begun'),
    ({'suppression': {'in_place': ['Mackerel downtime CHG-1']}}, 'suppressed'),
    ({'end_at': ISO(BEGIN + 60)}, 'ending'),
    ({'end_at': ISO(BEGIN + 60), 'suppression': {'undone_at': ISO(BEGIN + 61)}}, 'undone'),
    ({'end_at': ISO(BEGIN + 60), 'closed': [{'platform': 'mackerel', 'id': 'a'}]}, 'closed'),
    (at('verified'), 'verified'),
    (at('cancelled'), 'cancelled'),
])
def test_phase_of(state, expected):
    assert lc.phase_of(state) == expected


@pytest.mark.parametrize('current,to,expected', [
    ('begun', 'suppressed', 'suppressed'),
    ('suppressed', 'ending', 'ending'),
    ('ending', 'undone', 'undone'),
    ('undone', 'closed', 'closed'),
    ('closed', 'verified', 'verified'),
    ('verified', 'ended', 'ended'),
    ('closed', 'ended', 'ended'),            # verify off
    ('ended', 'ending', 'ended'),            # a rerun of end never moves it back
    ('ended', 'begun', 'ended'),
    ('undone', 'suppressed', 'undone'),
    ('cancelled', 'ended', 'cancelled'),     # final
    ('suppressed', 'cancelled', 'cancelled'),
    ('suppressed', 'planned', 'planned'),    # phase plan fixed the end
    ('planned', 'ending', 'ending'),         # the end after the plan
    ('ending', 'planned', 'ending'),         # a plan once end has begun never moves it back
    ('planned', 'cancelled', 'cancelled'),
])
def test_advance_never_moves_back(current, to, expected):
    state = lc.advance(at(current), to, BEGIN + 10)
    assert state['lifecycle']['phase'] == expected
    moved = [h['phase'] for h in state['lifecycle']['history']]
    assert moved == ([to] if expected == to and to != current else [])


def test_advance_records_each_phase_once_with_its_time():
    state = {'change_id': 'CHG-1', 'begin_at': ISO(BEGIN)}
    for n, phase in enumerate(('begun', 'suppressed', 'suppressed', 'ending', 'ending', 'closed')):
        state = lc.advance(state, phase, BEGIN + n)
    assert [(h['phase'], h['at']) for h in state['lifecycle']['history']] == [
        ('begun', ISO(BEGIN)), ('suppressed', ISO(BEGIN + 1)), ('ending', ISO(BEGIN + 3)), ('closed', ISO(BEGIN + 5))]


@pytest.mark.parametrize('phase,force,expected', [
    (None, False, 'new'),
    ('begun', False, 'continue'),
    ('suppressed', False, 'continue'),
    ('planned', False, 'continue'),
    ('ending', False, 'refused'),
    ('undone', False, 'refused'),
    ('closed', False, 'refused'),
    ('verified', False, 'refused'),
    ('ended', False, 'refused'),
    ('cancelled', False, 'refused'),
    ('ended', True, 'new'),
])
def test_check_begin(phase, force, expected):
    state = at(phase) if phase else None
    if expected == 'refused':
        with pytest.raises(lc.ChangeWindowError) as err:
            lc.check_begin(state, force, 'CHG-1')
        assert 'change CHG-1 is %s' % phase in str(err.value) and 'maintenance_window_force_begin' in str(err.value)
    else:
        assert lc.check_begin(state, force, 'CHG-1') == expected


@pytest.mark.parametrize('phase,closed,refused', [
    ('begun', [], False), ('suppressed', [], False), ('planned', [], False), ('ending', [], False),
    ('undone', [], False),
    ('ending', [{'platform': 'mackerel', 'id': 'a'}], True), ('closed', [], True), ('ended', [], True),
])
def test_check_cancel(phase, closed, refused):
    state = at(phase, closed=closed)
    if refused:
        with pytest.raises(lc.ChangeWindowError, match='cannot be cancelled'):
            lc.check_cancel(state, 'CHG-1')
    else:
        lc.check_cancel(state, 'CHG-1')


@pytest.mark.parametrize('phase,refusal', [
    ('begun', None), ('suppressed', None), ('planned', None),           # a plan again after a plan: re-decided
    ('ending', 'change CHG-1 is ending'), ('undone', 'change CHG-1 is undone'), ('closed', 'change CHG-1 is closed'),
    ('verified', 'change CHG-1 is verified'), ('ended', 'change CHG-1 is ended'),
    ('cancelled', 'change CHG-1 was cancelled'),
])
def test_check_plan(phase, refusal):
    if refusal:
        with pytest.raises(lc.ChangeWindowError) as err:
            lc.check_plan(at(phase), 'CHG-1')
        assert str(err.value).startswith(refusal) and 'nothing was written' in str(err.value)
    else:
        lc.check_plan(at(phase), 'CHG-1')


@pytest.mark.parametrize('phase,refused', [
    ('begun', False), ('suppressed', False), ('planned', False), ('ending', True), ('undone', True),
    ('closed', True), ('ended', True), ('cancelled', True),
])
def test_check_extend(phase, refused):
    if refused:
        with pytest.raises(lc.ChangeWindowError) as err:
            lc.check_extend(at(phase), 'CHG-1')
        assert str(err.value) == ('change CHG-1 is %s (since %s): its suppression can no longer be extended (only '
                                  'before end); nothing was sent.' % (phase, '?'))
    else:
        lc.check_extend(at(phase), 'CHG-1')


def test_end_of_a_cancelled_change_is_refused():
    with pytest.raises(lc.ChangeWindowError, match='was cancelled'):
        lc.check_end(at('cancelled'), 'CHG-1')
    lc.check_end(at('ended'), 'CHG-1')


@pytest.mark.parametrize('started,expected', [
    (BEGIN + 100.0, BEGIN + 101),       # a run that starts on a whole second: the next one
    (BEGIN + 100.2, BEGIN + 101),
    (BEGIN + 100.999, BEGIN + 101),
])
def test_window_end_is_the_first_whole_second_after_the_run_began(started, expected):
    assert lc.window_end(started) == expected


RUN = BEGIN + 3600.5


@pytest.mark.parametrize('given,expected', [
    (ISO(BEGIN + 1800), BEGIN + 1800),
    (ISO(BEGIN + 3604), BEGIN + 3604),          # within the tolerance of the run's start
    (ISO(BEGIN), BEGIN),                        # an empty window is a window
    (str(BEGIN + 60), BEGIN + 60),              # epoch seconds
    (ISO(BEGIN + 3700), 'lies after the moment this end run began'),
    ('2099-01-01T00:00:00Z', 'lies after the moment this end run began'),   # fixed date: a typo in the year
    ('+30d', 'is relative'),
    ('now', 'is relative'),
    ('-1h', 'is relative'),
    (ISO(BEGIN - 1), 'before it begins'),
])
def test_check_end_time(given, expected):
    if isinstance(expected, int):
        assert lc.check_end_time(given, BEGIN, RUN) == expected
    else:
        with pytest.raises(lc.ChangeWindowError) as err:
            lc.check_end_time(given, BEGIN, RUN)
        assert expected in str(err.value)


@pytest.mark.parametrize('suppression,suppress,verify,expected', [
    ({}, False, False, ['close']),
    ({}, True, True, ['close', 'verify']),
    ({'planned': {'downtimes': ['CHG-1']}, 'undone_at': None}, True, True, ['undo', 'close', 'verify']),
    ({'planned': {'downtimes': ['CHG-1']}, 'undone_at': None}, False, False, ['undo', 'close']),   # forgot the flag
    ({'planned': {'downtimes': ['CHG-1']}, 'undone_at': ISO(BEGIN + 5)}, True, True, ['close', 'verify']),  # rerun
])
def test_end_steps(suppression, suppress, verify, expected):
    assert lc.end_steps({'suppression': suppression}, suppress, verify) == expected


@pytest.mark.parametrize('state,now,expected', [
    (at('suppressed', suppression={'created_at': ISO(BEGIN), 'duration': 60}), BEGIN + 61, True),
    (at('suppressed', suppression={'created_at': ISO(BEGIN), 'duration': 60}), BEGIN + 59, False),
    (at('suppressed', suppression={'created_at': ISO(BEGIN), 'duration': 60, 'undone_at': ISO(BEGIN + 1)}),
     BEGIN + 61, False),
    (at('ended', suppression={'created_at': ISO(BEGIN), 'duration': 60}), BEGIN + 61, False),
    (at('cancelled', suppression={'created_at': ISO(BEGIN), 'duration': 60}), BEGIN + 61, False),
    (at('ending', suppression={'created_at': ISO(BEGIN), 'duration': 60}), BEGIN + 61, True),   # end died half-way
    (at('begun'), BEGIN + 10 ** 6, False),                                                        # no suppression
    (at('suppressed', suppression={'created_at': ISO(BEGIN)}), BEGIN + 10 ** 6, False),            # 0.2.0: no duration
])
def test_expired(state, now, expected):
    assert lc.expired(state, now) is expected


# -- the suppression record across reruns -----------------------------------------------------------------------
RECORD = {'hosts': {'h1': 'working', 'h2': 'standby'}, 'downtimes': [{'name': 'CHG-1', 'id': 'd1'}],
          'opsramp': None, 'annotations': [], 'planned': {'downtimes': ['CHG-1', 'CHG-1 services'], 'opsramp': 'CHG-1',
                                                          'annotations': []}}


def test_end_plan_removes_what_was_planned_even_without_its_id():
    plan = sup.end_plan(RECORD, BEGIN + 60)
    assert plan['downtimes'] == ['CHG-1', 'CHG-1 services'] and plan['opsramp'] == 'CHG-1'
    assert plan['host_statuses'] == {'h1': 'working', 'h2': 'standby'} and plan['active'] is True


def test_end_plan_after_the_undo_is_empty():
    plan = sup.end_plan(dict(RECORD, undone_at=ISO(BEGIN + 61)), BEGIN + 60)
    assert plan == {'downtimes': [], 'host_statuses': {}, 'opsramp': None, 'opsramp_windows': [], 'annotations': [],
                    'active': False}


def test_a_lost_create_is_found_by_name_or_kept_as_unconfirmed():
    assert sup.unrecorded(RECORD) == {'downtimes': ['CHG-1 services'], 'opsramp': 'CHG-1'}
    found = sup.record_found(RECORD, [{'name': 'CHG-1 services', 'id': 'd2'}], {'name': 'CHG-1', 'uniqueId': 'SM-9'})
    assert found['downtimes'] == [{'name': 'CHG-1', 'id': 'd1'}, {'name': 'CHG-1 services', 'id': 'd2'}]
    assert found['opsramp'] == {'name': 'CHG-1', 'id': 'SM-9'} and found['unconfirmed'] == []
    lost = sup.record_found(RECORD, [], None, ['Mackerel downtime CHG-1 services'])
    assert 'Mackerel downtime CHG-1 services (created, its answer unreadable: may be in place)' in lost['in_place']


def test_a_gone_host_is_left_in_place_and_the_undo_completes():
    results = {'hosts': {'changed': True, 'hosts': [{'id': 'h2', 'changed': True, 'after': {'status': 'standby'}}],
                         'skipped_hosts': [{'id': 'h1', 'why': 'the host is retired'}]},
               'downtimes': {'results': [{'item': 'CHG-1', 'changed': True}, {'item': 'CHG-1 services'}]},
               'opsramp': {'changed': True}}
    record = sup.record_end(dict(RECORD, hosts_in_maintenance=['h1', 'h2']), results, BEGIN + 70)
    assert record['in_place'] == [] and record['undone_at'] == ISO(BEGIN + 70)
    assert record['left_in_place'] == [{'platform': 'mackerel', 'kind': 'host', 'id': 'h1', 'what': 'Mackerel host h1',
                                        'why': 'the host is retired'}]
    assert sup.gone_hosts(record) == {'h1'}
    assert record['restored'] == {'h2': 'standby'}
