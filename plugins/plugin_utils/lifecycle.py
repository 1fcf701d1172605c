# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle of a change as an explicit state machine, without I/O (controller side).

    begun -> suppressed -> planned -> ending -> undone -> closed -> verified -> ended
      \\___________\\____________\\_________\\_____________________________________ cancelled

Each ``end`` run asks ``end_steps`` what is left to do (the undo no longer once it is recorded as done),
and records with ``advance`` once a step is done; a step is recorded before the next one begins, so a rerun after a
crash continues where the last run stopped and repeats no write. The record lives in the change's state under
``lifecycle``: ``{"phase", "history": [{"phase", "at"}]}``. A state of 0.2.0 has none: ``phase_of`` derives it.

Rules (each a test table in tests/unit/plugins/plugin_utils/test_lifecycle.py):

* ``begin`` on a change that has begun (or is suppressed) continues it; on one that is ending, ended or cancelled it
  is refused unless forced: a job template launched twice must not silence the scope again.
* ``end`` fixes the window's end once: the first whole second after the first ``end`` run began (that run waits for
  it), so an alert stamped in the same second as the run began, before it, is in the window. A given end time must
  be absolute and lie between the begin and the moment the run began (a few seconds of tolerance).
* The phase never moves back: ``advance`` to an earlier phase keeps the later one.
* ``plan`` (before ``end``, for an approval) fixes the window's end as the first ``end`` run would, decides and writes
  the plan; it is refused once ``end`` has begun. An ``end`` after a plan acts on the planned alerts only.
* ``extend`` moves the suppression's end; it is refused once ``end`` has begun (or the change was cancelled).
* ``cancel`` undoes the suppression and closes nothing; it is refused once the change has closed alerts.
* The expiry sweep undoes the suppression of changes whose ``end`` never ran, once their suppression has outlived its
  duration.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible_collections.alertops.core.plugins.module_utils import timeutil
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

PHASES = ('begun', 'suppressed', 'planned', 'ending', 'undone', 'closed', 'verified', 'ended')
BEFORE_END = ('begun', 'suppressed', 'planned')
CANCELLED = 'cancelled'
_RANK = dict((p, n) for n, p in enumerate(PHASES))
_RANK[CANCELLED] = len(PHASES)
# how far a given maintenance_window_end_time may lie after the moment the first end run began (clock skew between
# the controller and whoever typed the time)
END_TIME_TOLERANCE = 5


class ChangeWindowError(ValidationError):
    """A rule of the change window is broken; nothing has been written."""


def phase_of(state):
    """The recorded phase, or for a 0.2.0 state (no ``lifecycle``) the one its fields imply."""
    if not state:
        return None
    recorded = (state.get('lifecycle') or {}).get('phase')
    if recorded in _RANK:
        return recorded
    suppression = state.get('suppression') or {}
    if state.get('end_at'):
        if state.get('closed') or suppression.get('undone_at'):
            return 'closed' if state.get('closed') else 'undone'
        return 'ending'
    return 'suppressed' if suppression.get('in_place') else 'begun'


def advance(state, phase, now, **details):
    """The state with ``phase`` recorded (never earlier than the recorded one; ``cancelled`` is final)."""
    current = phase_of(state)
    state = dict(state)
    lifecycle = dict(state.get('lifecycle') or {})
    history = list(lifecycle.get('history') or [])
    if current == CANCELLED or (current is not None and _RANK[phase] <= _RANK[current] and phase != current):
        lifecycle.setdefault('phase', current)
        state['lifecycle'] = dict(lifecycle, history=history)
        return state
    if current != phase or not history:
        entry = dict(details, phase=phase, at=timeutil.to_iso(now))
        history.append(entry)
    state['lifecycle'] = dict(lifecycle, phase=phase, history=history)
    return state


def check_begin(state, force, change_id):
    """``'new'`` (record a baseline), ``'continue'`` (keep the recorded one) or a refusal."""
    current = phase_of(state)
    if current is None or force:
        return 'new'
    if current in BEFORE_END:
        return 'continue'
    raise ChangeWindowError(
        'change %s is %s (since %s): refusing to begin it again, nothing was suppressed or recorded. A job launched '
        'twice must not silence the scope again; begin a new change id, or set maintenance_window_force_begin: true '
        'to start this one over.' % (change_id, current, _since(state, current)))


def check_end(state, change_id):
    if phase_of(state) == CANCELLED:
        raise ChangeWindowError('change %s was cancelled (since %s): there is nothing to end; nothing was sent.'
                                % (change_id, _since(state, CANCELLED)))


def check_plan(state, change_id):
    """A plan is made before ``end``: refused once end has begun, or for a cancelled change."""
    current = phase_of(state)
    if current not in BEFORE_END:
        raise ChangeWindowError('change %s is %s (since %s): a plan is made before end; nothing was written. Rerun '
                                'phase end to finish it.' % (change_id, current, _since(state, current))
                                if current != CANCELLED else
                                'change %s was cancelled (since %s): there is nothing to plan; nothing was written.'
                                % (change_id, _since(state, CANCELLED)))


def check_extend(state, change_id):
    """The suppression can be extended until ``end`` begins: refused afterwards, and for a cancelled change."""
    current = phase_of(state)
    if current not in BEFORE_END:
        raise ChangeWindowError('change %s is %s (since %s): its suppression can no longer be extended (only before '
                                'end); nothing was sent.' % (change_id, current, _since(state, current)))


def check_cancel(state, change_id):
    """Cancel undoes the suppression and closes nothing: refused once the change has closed or verified."""
    current = phase_of(state)
    if current in ('closed', 'verified', 'ended') or (state or {}).get('closed'):
        raise ChangeWindowError('change %s has already ended (%s, closed %d alert(s)): it cannot be cancelled; nothing '
                                'was sent.' % (change_id, current, len((state or {}).get('closed') or [])))


def _since(state, phase):
    for entry in reversed(((state or {}).get('lifecycle') or {}).get('history') or []):
        if entry.get('phase') == phase:
            return entry.get('at')
    return (state or {}).get('end_at') or '?'


def window_end(run_started):
    """The window's end fixed by the first ``end`` run: the first whole second after the run began."""
    return int(math.floor(run_started)) + 1


def check_end_time(value, begin, run_started):
    """A given ``maintenance_window_end_time`` -> whole epoch seconds, or a refusal: absolute, after begin, not after
    the moment the end run began (beyond a few seconds of tolerance)."""
    option = 'maintenance_window_end_time'
    if timeutil.is_relative(value):
        raise ChangeWindowError('%s %r is relative: give the absolute time the window ended (ISO 8601 with a zone), or '
                                'leave it empty for the moment this end run began' % (option, value))
    end = int(math.ceil(timeutil.to_epoch(value, option)))
    if end > run_started + END_TIME_TOLERANCE:
        raise ChangeWindowError('%s %s lies after the moment this end run began (%s): a window cannot end in the future '
                                '(a later rerun would close alerts raised after it). Leave it empty, or give the time '
                                'the change ended.' % (option, timeutil.to_iso(end), timeutil.to_iso(run_started)))
    if end < int(begin):
        raise ChangeWindowError('The window ends (%s) before it begins (%s)'
                                % (timeutil.to_iso(end), timeutil.to_iso(begin)))
    return end


def end_steps(state, suppress, verify):
    """What an ``end`` run still has to do, in order, from the recorded state: ``undo`` (suppression recorded and not
    yet removed), ``close`` (always planned again: the listing shows what is left, and recorded closes are not
    repeated), ``verify``."""
    steps = []
    suppression = (state or {}).get('suppression') or {}
    if suppression and not suppression.get('undone_at') and (suppress or suppression.get('planned')):
        steps.append('undo')
    steps.append('close')
    if verify:
        steps.append('verify')
    return steps


def expired(state, now, grace=0):
    """Whether the sweep must undo this change's suppression: recorded, not undone, its end never ran through, and
    its created_at + duration (the vendors' own expiry, which Mackerel host maintenance does not have) has passed."""
    suppression = (state or {}).get('suppression') or {}
    if not suppression or suppression.get('undone_at') or phase_of(state) in ('ended', CANCELLED):
        return False
    created = timeutil.parse_vendor(suppression.get('created_at') or '') or \
        timeutil.parse_vendor(state.get('begin_at') or '')
    duration = suppression.get('duration')
    if created is None or not duration:
        return False
    return now >= created + int(duration) + int(grace)
