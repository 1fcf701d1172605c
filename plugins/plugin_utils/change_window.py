# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change-window decision, in one place and without I/O: "which alerts did this change cause?".

The ``maintenance_window`` role lists alerts with the info modules, hands them (as the normalised alert model of
``alerts.py``) to the ``alertops.core.change_window`` action, which calls this module, and writes with the writing
modules. Everything here is a pure function of its arguments, so the rules are unit-tested table by table
(tests/unit/plugins/module_utils/test_change_window.py).

The state of a change (one JSON document per change id, kept by the action on the controller)::

    {"version": 2, "change_id": "CHG-1", "begin_at": "...Z", "end_at": null | "...Z",
     "platforms": [...], "scope": {"mackerel_host_ids": [...], "mackerel_monitor_ids": [...], "opsramp_query": {}},
     "scope_all": false, "baseline": {"mackerel": [ids], "opsramp": [ids]},
     "closed": [{"platform", "id", "closed_at", "closed_at_source", "action", ...}],   # what this change did
     "pending": [{"platform", "id", "action"}]}                                         # announced before writing

Rules (each one a test table):

* A change id is ``^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$``.
* ``begin`` needs a scope for every platform it may write to (Mackerel hosts or monitors, an OpsRamp query) unless
  ``scope_all`` says so. The scope recorded at ``begin`` is the change's scope: at ``end`` an omitted scope variable
  takes the recorded value, a given one must equal it.
* The window is ``[begin_at, end_at)`` in whole seconds, the same for every platform: ``end_at`` is the first whole
  second after the first ``end`` run began (that run waits for it), so an alert stamped in the second the run began
  is in it and no rerun can close one stamped later. ``end_at`` is fixed (and stored) before the first write of the
  first ``end`` run and never moves.
* An alert is caused by the change when it is in scope, opened inside the window and not in the baseline. Of those,
  the open ones are closed (one write each); the closed ones were closed by this change when the state records it,
  when the change announced the write before it (a crash between the write and the record) and the vendor's reason
  does not say otherwise, or when the vendor's close reason starts with ``<change_id>: ``; otherwise somebody else
  closed them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.alertops.core.plugins.module_utils import timeutil
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle

STATE_VERSION = 2
CHANGE_ID_RULE = r'^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
_CHANGE_ID = re.compile(CHANGE_ID_RULE)
PLATFORMS = ('mackerel', 'opsramp', 'log360')
WRITABLE = ('mackerel', 'opsramp')            # Log360 alerts are read-only through the API
ACTIONS = ('close', 'acknowledge')

# scope key -> (platform, role variable)
SCOPE_VARS = (
    ('mackerel_host_ids', 'mackerel', 'maintenance_window_mackerel_host_ids'),
    ('mackerel_monitor_ids', 'mackerel', 'maintenance_window_mackerel_monitor_ids'),
    ('opsramp_query', 'opsramp', 'maintenance_window_opsramp_query'),
    # begin expands these to the ids of their hosts (one host list each) and records the ids: end uses those, so a
    # host added to the service during the change is not in scope unless begin saw it
    ('mackerel_services', 'mackerel', 'maintenance_window_mackerel_services'),
    ('mackerel_roles', 'mackerel', 'maintenance_window_mackerel_roles'),
)
GIVEN = 'given'
SCOPE_KEYS = tuple(k for k, _p, _v in SCOPE_VARS)

# The words of the audit, the HTML report and the console summary (one vocabulary, so they agree).
WHY_BASELINE = 'in the baseline (open before the change began)'
WHY_OPEN = 'opened in the window and still open'
WHY_FAILED = 'opened in the window; the write failed'
WHY_REOPENED = 'reopened after this change closed it'
WHY_ACKED_BY_OTHERS = 'acknowledged by someone else, still open'
WHY_LOG360 = 'Log360 alert: read-only through the API, review it'
WHY_NOT_APPROVED = 'opened in the window; not in the approved plan'
WHY_AFTER_END = "out of the window (opened after the window's end)"
WHY_OTHER_HOST = 'out of scope (other host)'
WHY_OTHER_MONITOR = 'out of scope (other monitor)'
WHY_NO_HOST = 'out of scope (the alert has no host)'
# what an operator must look at first, in this order; every other reason is shown as a count with the list collapsed
FIRST_GROUPS = (WHY_FAILED, WHY_OPEN, WHY_NOT_APPROVED, WHY_REOPENED, WHY_ACKED_BY_OTHERS, WHY_BASELINE, WHY_LOG360)

# audit entry fields copied from the normalised alert
ENTRY_FIELDS = ('platform', 'id', 'title', 'source', 'severity', 'opened_at')


ChangeWindowError = lifecycle.ChangeWindowError


# -- small pieces ----------------------------------------------------------------------------------------------
def check_change_id(value):
    text = value if isinstance(value, str) else ('' if value is None else str(value))
    if not _CHANGE_ID.fullmatch(text):
        raise ChangeWindowError(
            'maintenance_window_change_id %r is not a valid change id: it must match %s (a letter or digit, then up to '
            '63 letters, digits, ".", "_" or "-")' % (text, CHANGE_ID_RULE))
    return text


def to_second(value, option):
    """ISO 8601 / epoch -> whole epoch seconds (int)."""
    return int(timeutil.to_epoch(value, option))


def iso(epoch):
    return timeutil.to_iso(epoch)


def reason_prefix(change_id):
    return '%s: ' % change_id


def reason_text(change_id, reason):
    return '%s%s' % (reason_prefix(change_id), reason)


def actions_for(opsramp_action):
    """{platform: action} the end phase takes on the alerts the change caused (Mackerel alerts can only be closed)."""
    if opsramp_action not in ACTIONS:
        raise ChangeWindowError('maintenance_window_opsramp_action must be one of %s, got %r'
                                % (', '.join(ACTIONS), opsramp_action))
    return {'mackerel': 'close', 'opsramp': opsramp_action}


def write_states(actions):
    """{platform: the writing module's ``state``} for each action (the role passes it through)."""
    return dict((p, 'closed' if a == 'close' else 'acknowledged')
                for p, a in dict(dict.fromkeys(WRITABLE, 'close'), **(actions or {})).items())


def begin_summary(state, kept=False, check_mode=False, state_file=None):
    """The line begin prints: when the change began and how many alerts each platform had open then."""
    counts = ', '.join('%d open alert(s) on %s' % (len(alerts), platform)
                       for platform, alerts in sorted((state.get('baseline') or {}).items()))
    return '%s begins at %s; baseline: %s%s%s' % (
        state['change_id'], state['begin_at'], counts or 'no platform',
        ' (kept from an earlier run of begin)' if kept else '',
        '; check mode: nothing was written' if check_mode else '; state: %s' % state_file)


def opsramp_resource_ids(scope):
    """The OpsRamp resource ids the scope names (its search query's ``resourceIds``, a list or a comma list)."""
    return _ids(((scope or {}).get('opsramp_query') or {}).get('resourceIds'))


def _ids(values):
    if values in (None, ''):
        return []
    if isinstance(values, (str, int)):
        values = [values]
    return sorted(set(str(v).strip() for v in values if str(v).strip()))


def normalise_scope(scope):
    """The canonical form of a scope: sorted unique id lists and a plain query dict (empty means not given)."""
    scope = scope or {}
    query = scope.get('opsramp_query') or {}
    if not isinstance(query, dict):
        raise ChangeWindowError('maintenance_window_opsramp_query must be a dict of OpsRamp search variables, got %r'
                                % (query,))
    canon = {}
    for key, value in sorted(query.items()):
        if value in (None, '', []):
            continue
        canon[str(key)] = sorted(str(v) for v in value) if isinstance(value, (list, tuple)) else value
    return {'mackerel_host_ids': _ids(scope.get('mackerel_host_ids')),
            'mackerel_monitor_ids': _ids(scope.get('mackerel_monitor_ids')),
            'mackerel_services': _ids(scope.get('mackerel_services')),
            'mackerel_roles': sorted(set(_role(r) for r in _ids(scope.get('mackerel_roles')))),
            'opsramp_query': canon}


def _role(value):
    parts = [p.strip() for p in str(value).split(':')]
    if len(parts) != 2 or not all(parts):
        raise ChangeWindowError('maintenance_window_mackerel_roles: %r is not a role; write it as <service>:<role>, for '
                                'example web:db' % (value,))
    return '%s:%s' % tuple(parts)


def host_lists_to_read(scope):
    """[(source, service, [roles])]: one Mackerel host list per service and per role of the scope."""
    scope = normalise_scope(scope)
    out = [('service %s' % s, s, []) for s in scope['mackerel_services']]
    out.extend(('role %s' % r, r.split(':')[0], [r.split(':')[1]]) for r in scope['mackerel_roles'])
    return out


def expand_scope(scope, host_lists):
    """The scope with the hosts of its services and roles (``host_lists``: {source: [host ids]}) added to
    ``mackerel_host_ids``, and where each host id came from: ``(scope, {host id: [sources]})``. A service or role
    without any host is refused: it would scope nothing, and is most likely a typo."""
    scope = normalise_scope(scope)
    sources = dict((h, [GIVEN]) for h in scope['mackerel_host_ids'])
    empty = [source for source, ids in sorted(host_lists.items()) if not ids]
    if empty:
        raise ChangeWindowError('%s of maintenance_window_mackerel_services / _roles: no host (working, standby, '
                                'maintenance or poweroff); check the name or drop it. Nothing was written.'
                                % ', '.join(empty))
    for source, ids in sorted(host_lists.items()):
        for host_id in ids:
            sources.setdefault(str(host_id), []).append(source)
    scope['mackerel_host_ids'] = sorted(sources)
    return scope, dict((h, sorted(set(s))) for h, s in sources.items())


def hosts_to_suppress(state):
    """The Mackerel hosts begin puts into maintenance: those named, not those its services and roles added (their
    downtime silences them, and a whole service's hosts are not taken out of monitoring for one change)."""
    return given_host_ids(state)


def given_host_ids(state):
    """The host ids given at begin (not those its services and roles added)."""
    sources = state.get('scope_sources')
    if not sources:
        return normalise_scope(state.get('scope'))['mackerel_host_ids']
    return sorted(h for h, src in sources.items() if GIVEN in src)


def platforms_without_scope(scope, platforms):
    scope = normalise_scope(scope)
    return [p for p in WRITABLE if p in platforms and not any(scope[k] for k, plat, _v in SCOPE_VARS if plat == p)]


def check_platforms(platforms):
    platforms = list(platforms or [])
    unknown = sorted(set(platforms) - set(PLATFORMS))
    if unknown or not platforms:
        raise ChangeWindowError('maintenance_window_platforms must list some of %s, got %s'
                                % (', '.join(PLATFORMS), platforms))
    return [p for p in PLATFORMS if p in platforms]


def check_begin_scope(scope, platforms, scope_all):
    """``begin`` refuses to record a change without a scope for each platform it may write to."""
    if scope_all:
        return normalise_scope(scope)
    missing = platforms_without_scope(scope, platforms)
    if missing:
        wanted = ', '.join(v for _k, plat, v in SCOPE_VARS if plat in missing)
        raise ChangeWindowError(
            'refusing to begin change window without a scope for %s: set %s, or drop %s from '
            'maintenance_window_platforms if the change does not touch it (maintenance_window_scope_all: true makes '
            'every alert of the platform part of the change: rarely what you want). Nothing was written.'
            % (', '.join(missing), wanted, ' and '.join(missing)))
    return normalise_scope(scope)


def check_recorded_scope(state, platforms):
    """``end`` applies the begin rule again to the recorded state: a state without a scope (0.1.0, or edited) closes
    nothing unless it records ``scope_all``."""
    if state.get('scope_all'):
        return
    missing = platforms_without_scope(state.get('scope'), [p for p in platforms if p in state.get('baseline', {})])
    if missing:
        raise ChangeWindowError(
            'the state of change %s records no scope for %s (and not scope_all): refusing to close anything there. '
            'Drop %s from maintenance_window_platforms, or begin a new change with a scope. Nothing was sent.'
            % (state.get('change_id'), ', '.join(missing), ' and '.join(missing)))


def resolve_scope(state, given):
    """The scope ``end`` applies: the recorded one. A scope variable given at ``end`` must equal the recorded value."""
    recorded = normalise_scope(state.get('scope'))
    given = normalise_scope(given)
    # the host ids given are compared with those given at begin, not with the hosts its services and roles added
    compared = dict(recorded, mackerel_host_ids=given_host_ids(state))
    differ = [k for k in SCOPE_KEYS if given[k] and given[k] != compared[k]]
    if differ:
        names = ', '.join(v for k, _p, v in SCOPE_VARS if k in differ)
        raise ChangeWindowError(
            'the scope given at end (%s) differs from the scope recorded at begin for change %s (%s) in %s: refusing '
            'to close anything. Run end without the scope variables to use the recorded scope, or begin a new change.'
            % (json.dumps(dict((k, given[k]) for k in differ), sort_keys=True), state.get('change_id'),
               json.dumps(dict((k, compared[k]) for k in differ), sort_keys=True), names))
    return recorded


# -- the state document ----------------------------------------------------------------------------------------
def new_state(change_id, begin_at, platforms, scope, scope_all, listings, scope_sources=None):
    """The state ``begin`` records: every open alert of ``listings`` ({platform: [normalised alerts]}) that is in
    scope is the baseline (ids, plus a few fields for the report)."""
    scope = normalise_scope(scope)
    baseline, details = {}, {}
    for platform in WRITABLE:
        if platform not in platforms:
            continue
        alerts = [a for a in listings.get(platform) or []
                  if a.get('status') == 'open' and scope_reason(a, scope) is None]
        baseline[platform] = sorted(set(str(a['id']) for a in alerts))
        details[platform] = _sort(dict((str(a['id']), _entry(a)) for a in alerts).values())
    return {
        'version': STATE_VERSION, 'change_id': change_id, 'begin_at': iso(begin_at), 'end_at': None,
        'platforms': list(platforms), 'scope': scope, 'scope_all': bool(scope_all),
        'baseline': baseline, 'baseline_alerts': details, 'closed': [], 'pending': [],
        'scope_sources': dict(scope_sources or {}),
    }


def parse_state(text, where):
    """The state document from its JSON text; a truncated or corrupt file fails naming the file and the fix."""
    fix = ('Restore it from a backup, or hand the baseline in with maintenance_window_baseline, or delete the file '
           'and run phase begin again (which records a new baseline).')
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ChangeWindowError('the state file %s is truncated or corrupt (not JSON: %s). %s' % (where, exc, fix))
    problem = state_problem(data)
    if problem:
        raise ChangeWindowError('the state file %s is corrupt: %s. %s' % (where, problem, fix))
    return upgrade_state(data)


def state_problem(data):
    """Why ``data`` is not a change-window state (None when it is one)."""
    if not isinstance(data, dict):
        return 'it is not a JSON object'
    for key in ('change_id', 'begin_at'):
        if not isinstance(data.get(key), str) or not data.get(key):
            return 'it has no %s' % key
    if timeutil.parse_vendor(data['begin_at']) is None:
        return 'begin_at %r is not a time' % data['begin_at']
    if data.get('end_at') not in (None, '') and timeutil.parse_vendor(data['end_at']) is None:
        return 'end_at %r is not a time' % data['end_at']
    baseline = data.get('baseline')
    if not isinstance(baseline, dict) or not all(isinstance(v, list) for v in baseline.values()):
        return 'it has no baseline (a dict of alert id lists per platform)'
    if not isinstance(data.get('closed', []), list) or not isinstance(data.get('pending', []), list):
        return 'closed and pending must be lists'
    return None


def upgrade_state(data):
    """A version 1 state (0.1.0: no scope_all, no pending, closed without closed_at) in today's shape."""
    state = dict(data)
    state['version'] = STATE_VERSION
    state.setdefault('end_at', None)
    state['end_at'] = state['end_at'] or None
    state['scope'] = normalise_scope(state.get('scope'))
    state.setdefault('scope_all', False)
    state.setdefault('platforms', [p for p in PLATFORMS if p in state['baseline'] or p == 'log360'])
    state['baseline'] = dict((p, sorted(set(str(i) for i in ids))) for p, ids in state['baseline'].items())
    state['closed'] = [c for c in state.get('closed') or [] if isinstance(c, dict) and c.get('id') is not None]
    state['pending'] = [c for c in state.get('pending') or [] if isinstance(c, dict) and c.get('id') is not None]
    return state


def check_state_for(state, change_id, platforms):
    if state.get('change_id') != change_id:
        raise ChangeWindowError('The baseline belongs to change %s, not %s: refusing to close anything'
                                % (state.get('change_id') or '(none)', change_id))
    missing = [p for p in platforms if p in WRITABLE and p not in state['baseline']]
    if missing:
        raise ChangeWindowError('change %s has no baseline for %s (phase begin did not handle it): refusing to close '
                                'anything there; drop it from maintenance_window_platforms or begin a new change'
                                % (change_id, ', '.join(missing)))


def fix_end(state, end_time, now):
    """(end epoch, where it came from) for an ``end`` run. The stored end never moves; the first run's end is the first
    whole second after it began (plugin_utils/lifecycle.py); a given end must be absolute and not after ``now``."""
    begin = to_second(state['begin_at'], 'begin_at')
    given = lifecycle.check_end_time(end_time, begin, now) if end_time not in (None, '') else None
    if state.get('end_at'):
        stored = to_second(state['end_at'], 'end_at')
        if given is not None and given != stored:
            raise ChangeWindowError(
                'maintenance_window_end_time %s differs from the end %s fixed by the first end run of change %s: the '
                "window's end never moves. Leave maintenance_window_end_time empty (or set it to %s)."
                % (iso(given), iso(stored), state['change_id'], iso(stored)))
        end, source = stored, 'state'
    elif given is not None:
        end, source = given, 'maintenance_window_end_time'
    else:
        end, source = lifecycle.window_end(now), 'now'
    if end < begin:
        raise ChangeWindowError('The window ends (%s) before it begins (%s)' % (iso(end), iso(begin)))
    return end, source


# -- the plan --------------------------------------------------------------------------------------------------
def _entry(alert, **extra):
    out = dict((k, alert.get(k)) for k in ENTRY_FIELDS)
    out['id'] = str(out['id'])
    for key in ('host_id', 'monitor_id', 'host_name', 'monitor_name'):
        if alert.get(key):
            out[key] = alert[key]
    out.update(extra)
    return out


def _sort(entries):
    return sorted(entries, key=lambda e: (e.get('platform') or '', e.get('opened_at') or '', e.get('id') or ''))


def scope_reason(alert, scope):
    """None when the alert is in the change's scope, else the out-of-scope reason (Mackerel: hosts and monitors;
    OpsRamp is scoped by the server, through the search query)."""
    if alert.get('platform') != 'mackerel':
        return None
    hosts, monitors = scope['mackerel_host_ids'], scope['mackerel_monitor_ids']
    # services or roles in scope filter by host even when they had no host (never "every host")
    by_host = bool(hosts or scope.get('mackerel_services') or scope.get('mackerel_roles'))
    if by_host and not alert.get('host_id'):
        return WHY_NO_HOST
    if by_host and alert['host_id'] not in hosts:
        return WHY_OTHER_HOST
    if monitors and alert.get('monitor_id') not in monitors:
        return WHY_OTHER_MONITOR
    return None


def _opened(alert):
    value = alert.get('opened_at')
    return to_second(value, 'opened_at') if value not in (None, '') else None


def plan(state, listings, end_at, actions=None, handed_in=False, end_source='state', approved=None):
    """Decide, for every listed alert, what this ``end`` run does and how the audit describes it.

    ``listings``: {platform: [normalised alerts]} as listed for this run (Mackerel: every alert, open or closed,
    opened since the window began; OpsRamp: the scope's alerts opened since then; Log360: the window's alerts).
    ``actions``: {platform: 'close' | 'acknowledge'} (default close). ``handed_in``: the baseline came in as a
    variable and no state file recorded an end: then an end time must be given once this change has closed alerts.
    ``approved``: {platform: [ids]} of an approved plan (phase plan): a caused alert outside it is left open
    (``WHY_NOT_APPROVED``) and listed under ``not_in_plan``.

    Returns {'to_act': {platform: [ids]}, 'closed', 'acknowledged', 'closed_by_others', 'left_open',
    'log360_alerts', 'would_act'} (lists of audit entries; ``would_act`` are the alerts of ``to_act``).
    """
    actions = dict(actions or {})
    change_id = state['change_id']
    prefix = reason_prefix(change_id)
    scope = normalise_scope(state.get('scope'))
    begin = to_second(state['begin_at'], 'begin_at')
    end = int(end_at)
    baseline = dict((p, set(str(i) for i in ids)) for p, ids in state['baseline'].items())
    recorded = dict(((c['platform'], str(c['id'])), c) for c in state.get('closed') or [])
    pending = set((c['platform'], str(c['id'])) for c in state.get('pending') or [])
    out = {'to_act': {}, 'closed': [], 'acknowledged': [], 'closed_by_others': [], 'left_open': [],
           'log360_alerts': [], 'would_act': []}
    if approved is not None:
        approved = dict((p, set(str(i) for i in ids or [])) for p, ids in approved.items())
        out['not_in_plan'] = []
    seen = set()

    for platform in sorted(listings):
        alerts = listings[platform] or []
        if platform == 'log360':
            for alert in alerts:
                opened = _opened(alert)
                if opened is not None and not begin <= opened < end:
                    continue        # [begin, end) like the others, whatever the search's own bounds
                out['log360_alerts'].append(_entry(alert, status=alert.get('status')))
                if alert.get('status') == 'open':
                    out['left_open'].append(_entry(alert, why=WHY_LOG360))
            continue
        action = actions.get(platform, 'close')
        if action not in ACTIONS:
            raise ChangeWindowError('unknown action %r for %s; use %s' % (action, platform, ', '.join(ACTIONS)))
        to_act = out['to_act'].setdefault(platform, [])
        for alert in alerts:
            key = (platform, str(alert['id']))
            if key in seen:
                continue
            seen.add(key)
            opened = _opened(alert)
            is_open = alert.get('status') == 'open'
            in_baseline = key[1] in baseline.get(platform, ())
            record = recorded.get(key)
            if in_baseline:
                if is_open:
                    out['left_open'].append(_entry(alert, why=WHY_BASELINE))
                continue
            if opened is None or opened < begin:
                continue        # opened before the window and not in the baseline: not this change's
            why = scope_reason(alert, scope)
            if why is not None:
                if is_open:
                    out['left_open'].append(_entry(alert, why=why))
                continue
            if opened >= end:
                if is_open and record is None:
                    out['left_open'].append(_entry(alert, why=WHY_AFTER_END))
                continue
            # in scope, inside the window, not in the baseline: caused by the change
            if record is not None:
                _recorded(out, alert, record, is_open)
                continue
            ours = (alert.get('close_reason') or '').startswith(prefix) or (
                key in pending and not alert.get('close_reason'))
            if not is_open:
                if ours:
                    out['closed'].append(_entry(alert, closed_at=alert.get('closed_at'), closed_at_source='vendor',
                                                action='close', reason=alert.get('close_reason')))
                else:
                    out['closed_by_others'].append(_entry(alert, closed_at=alert.get('closed_at'),
                                                          reason=alert.get('close_reason'),
                                                          closed_by=alert.get('closed_by')))
                continue
            if action == 'acknowledge' and alert.get('acknowledged'):
                if ours:
                    out['acknowledged'].append(_entry(alert, acknowledged_at=None, action='acknowledge'))
                else:
                    out['left_open'].append(_entry(alert, why=WHY_ACKED_BY_OTHERS))
                continue
            if approved is not None and key[1] not in approved.get(platform, ()):
                out['left_open'].append(_entry(alert, why=WHY_NOT_APPROVED))
                out['not_in_plan'].append(_entry(alert))
                continue
            to_act.append(key[1])
            out['would_act'].append(_entry(alert, action=action))

    # the baseline: open before the window, so the listings (which start at the window) do not show them again
    details = state.get('baseline_alerts') or {}
    for platform in sorted(p for p in listings if p in WRITABLE):
        known = dict((str(d.get('id')), d) for d in details.get(platform) or [] if isinstance(d, dict))
        for alert_id in sorted(baseline.get(platform, ())):
            if (platform, alert_id) not in seen:
                entry = dict(known.get(alert_id) or {'platform': platform, 'id': alert_id})
                entry['why'] = WHY_BASELINE
                out['left_open'].append(entry)

    # recorded writes whose alert the listing no longer shows (it cannot vanish from Mackerel's or OpsRamp's list
    # while the window is fixed, but a rerun with fewer platforms or a narrower listing must not forget them)
    for key, record in sorted(recorded.items()):
        if key not in seen and key[0] in listings:
            _recorded(out, None, record, False)

    if handed_in and end_source == 'now':
        done = out['closed'] + out['acknowledged']
        if done:
            raise ChangeWindowError(
                'change %s has already closed %d alert(s) (for example %s %s), but no end time was handed in with the '
                'baseline: refusing to guess the window\'s end. Set maintenance_window_end_time to the end the first '
                'end run handed on (set_stats maintenance_window_end_time). Nothing was sent.'
                % (change_id, len(done), done[0]['platform'], done[0]['id']))

    for name in ('closed', 'acknowledged', 'closed_by_others', 'log360_alerts', 'would_act', 'not_in_plan'):
        if name in out:
            out[name] = _sort(out[name])
    out['left_open'] = _sort(out['left_open'])
    for platform in out['to_act']:
        out['to_act'][platform] = sorted(out['to_act'][platform])
    return out


def _recorded(out, alert, record, is_open):
    entry = dict(record)
    if alert is not None:
        for key, value in _entry(alert).items():
            entry.setdefault(key, value)
    entry.pop('status', None)
    if not entry.get('reason') and alert is not None and alert.get('close_reason'):
        entry['reason'] = alert['close_reason']          # a record of 0.2.0 has none: the vendor's
    if record.get('action') == 'acknowledge':
        out['acknowledged'].append(entry)
        return
    out['closed'].append(entry)
    if is_open:
        out['left_open'].append(_entry(alert, why=WHY_REOPENED))


# -- after the writes ------------------------------------------------------------------------------------------
def pending_entries(to_act, actions=None):
    actions = actions or {}
    return [{'platform': p, 'id': i, 'action': actions.get(p, 'close')} for p in sorted(to_act) for i in to_act[p]]


def record_results(state, the_plan, results, now, actions=None, reason=None):
    """Fold the writing modules' per-alert results into the state and the plan.

    ``results``: {platform: [module result items, their ``after`` in the normalised alert model]}: ``{"id",
    "changed", "after": {"status", "closed_at", "close_reason", "acknowledged", ...}, "closed_at"?, "error"?,
    "failed"?, "msg"?}`` (the action plugin maps each module's ``after`` through the vendor client's model). An item
    without a close time from the vendor gets the controller's time of the answer (``now``), marked
    ``closed_at_source: controller``. Every close and acknowledgement records its ``reason``: the one the vendor
    stored (its answer's ``close_reason``), else ``reason`` (the one sent). Returns (new state, new plan, failures
    [(platform, id, msg)]).
    """
    actions = actions or {}
    state = dict(state)
    the_plan = dict(the_plan)
    closed = list(state.get('closed') or [])
    known = set((c['platform'], str(c['id'])) for c in closed)
    would = dict(((e['platform'], e['id']), e) for e in the_plan.get('would_act') or [])
    done_closed, done_acked, failures, left = [], [], [], []
    for platform in sorted(results or {}):
        action = actions.get(platform, 'close')
        for item in results[platform] or []:
            key = (platform, str(item.get('id')))
            if key not in would:
                continue
            base = dict(would[key])
            base.pop('action', None)
            error = item.get('error') or (item.get('msg') if item.get('failed') else None)
            after = item.get('after') or {}
            done = _acted(action, after)
            if error or not done:
                msg = error or 'the alert is not %s after the write' % ('closed' if action == 'close' else 'acknowledged')
                failures.append((platform, key[1], msg))
                left.append(dict(base, why=WHY_FAILED, error=msg))
                continue
            closed_at = item.get('closed_at') or after.get('closed_at')
            entry = dict(base, action=action)
            stored = after.get('close_reason')
            if stored or reason:
                entry['reason'] = stored or reason
            if action == 'close':
                entry.update(closed_at=closed_at or iso(now),
                             closed_at_source='vendor' if closed_at else 'controller')
                if not item.get('changed') and stored and not str(stored).startswith(reason_prefix(state['change_id'])):
                    # somebody else closed it between our listing and our write: not ours
                    the_plan.setdefault('closed_by_others', []).append(
                        dict(base, closed_at=closed_at, reason=stored, closed_by=after.get('closed_by')))
                    continue
                done_closed.append(entry)
            else:
                entry.update(acknowledged_at=iso(now))
                done_acked.append(entry)
            if key not in known:
                closed.append(entry)
                known.add(key)
    acted = set((e['platform'], e['id']) for e in done_closed + done_acked)
    state['closed'] = sorted(closed, key=lambda c: (c['platform'], c['id']))
    failed_keys = set((p, i) for p, i, _m in failures)
    state['pending'] = [p for p in state.get('pending') or []
                        if (p['platform'], str(p['id'])) not in acted and (p['platform'], str(p['id'])) not in failed_keys]
    the_plan['closed'] = _sort(list(the_plan.get('closed') or []) + done_closed)
    the_plan['acknowledged'] = _sort(list(the_plan.get('acknowledged') or []) + done_acked)
    the_plan['closed_by_others'] = _sort(the_plan.get('closed_by_others') or [])
    the_plan['left_open'] = _sort(list(the_plan.get('left_open') or []) + left)
    the_plan['would_act'] = []
    the_plan['to_act'] = {}
    return state, the_plan, failures


def _acted(action, after):
    """Whether the alert as the write left it (normalised model) is closed / acknowledged."""
    if action == 'close':
        return after.get('status') == 'closed'
    return bool(after.get('acknowledged'))


# -- the audit -------------------------------------------------------------------------------------------------
def group_left_open(left_open):
    """[(why, count, entries, collapsed)] with what matters first, then every other reason by count."""
    by_why = {}
    for entry in left_open:
        by_why.setdefault(entry['why'], []).append(entry)
    first = [(w, len(by_why[w]), by_why[w], False) for w in FIRST_GROUPS if w in by_why]
    rest = sorted(((w, len(e), e, True) for w, e in by_why.items() if w not in FIRST_GROUPS),
                  key=lambda g: (-g[1], g[0]))
    return first + rest


def summary(change_id, window, the_plan, check_mode=False, report=None):
    """The one-paragraph summary the console prints and the report shows (same words, same numbers)."""
    closed = len(the_plan.get('closed') or [])
    would = len(the_plan.get('would_act') or [])
    parts = ['%s (%s .. %s):' % (change_id, window['begin'], window['end'])]
    if check_mode:
        parts.append('check mode, nothing sent and no file written; %d alert(s) would be handled, %d closed earlier by '
                     'this change;' % (would, closed))
    else:
        parts.append('%d alert(s) closed by this change;' % closed)
    acked = len(the_plan.get('acknowledged') or [])
    if acked:
        parts.append('%d acknowledged;' % acked)
    parts.append('%d closed by others in the window;' % len(the_plan.get('closed_by_others') or []))
    groups = group_left_open(the_plan.get('left_open') or [])
    total = sum(g[1] for g in groups)
    if groups:
        parts.append('%d left open: %s.' % (total, '; '.join('%d %s' % (g[1], g[0]) for g in groups)))
    else:
        parts.append('0 left open.')
    if report:
        parts.append('Audit: %s' % report)
    return ' '.join(parts)


def audit(state, the_plan, window, scope, platforms, check_mode=False):
    """The audit document (``<change_id>-audit.json``): deterministic, so a rerun that changed nothing writes the
    same bytes."""
    groups = group_left_open(the_plan.get('left_open') or [])
    out = {
        'change_id': state['change_id'],
        'window': {'begin': window['begin'], 'end': window['end']},
        'scope': scope,
        # how each Mackerel host id came into scope: given, or from a service or role expanded at begin
        'scope_sources': state.get('scope_sources') or {},
        'scope_all': bool(state.get('scope_all')),
        'platforms': list(platforms),
        'baseline': state['baseline'],
        'check_mode': bool(check_mode),
        'counts': {
            'closed': len(the_plan.get('closed') or []),
            'acknowledged': len(the_plan.get('acknowledged') or []),
            'closed_by_others': len(the_plan.get('closed_by_others') or []),
            'left_open': len(the_plan.get('left_open') or []),
            'log360_alerts': len(the_plan.get('log360_alerts') or []),
            'would_act': len(the_plan.get('would_act') or []),
        },
        'closed': the_plan.get('closed') or [],
        'acknowledged': the_plan.get('acknowledged') or [],
        'closed_by_others': the_plan.get('closed_by_others') or [],
        'left_open': the_plan.get('left_open') or [],
        'left_open_groups': [{'why': w, 'count': n, 'collapsed': c} for w, n, _e, c in groups],
        'log360_alerts': the_plan.get('log360_alerts') or [],
        'would_act': the_plan.get('would_act') or [],
    }
    # what the other steps recorded (suppression and its undo, verify, the lifecycle) is part of the audit too
    for key in ('suppression', 'verify', 'lifecycle'):
        if state.get(key):
            out[key] = state[key]
    if the_plan.get('approved_plan'):
        # the end followed an approved plan: what it was, and what the window had beyond it (left open)
        out['approved_plan'] = dict(the_plan['approved_plan'], not_in_plan=the_plan.get('not_in_plan') or [])
    return out


# -- phase plan: a plan to approve, then exactly that ---------------------------------------------------------------
PLAN_VERSION = 1


def plan_document(state, the_plan, window, suppression_in_place, made_at):
    """``<change_id>-plan.json``: what an ``end`` would do, fixed for an approval. ``end`` acts on ``to_act`` only."""
    return {
        'plan_version': PLAN_VERSION,
        'change_id': state['change_id'],
        'made_at': iso(made_at),
        'window': {'begin': window['begin'], 'end': window['end']},
        'to_act': dict((p, list(ids)) for p, ids in the_plan['to_act'].items()),
        'would_act': the_plan.get('would_act') or [],
        'left_open': the_plan.get('left_open') or [],
        'closed': the_plan.get('closed') or [],
        'closed_by_others': the_plan.get('closed_by_others') or [],
        'suppression_to_remove': list(suppression_in_place or []),
    }


def approved_to_act(document, change_id, window_end):
    """The ``to_act`` of an approved plan, or a refusal when the file is not this change's plan of this window."""
    if not isinstance(document, dict) or document.get('plan_version') != PLAN_VERSION \
            or not isinstance(document.get('to_act'), dict):
        raise ChangeWindowError('the plan of change %s is not a plan of this collection version (plan_version %r): '
                                'refused, nothing was sent. Run phase plan again.'
                                % (change_id, (document or {}).get('plan_version') if isinstance(document, dict)
                                   else None))
    if document.get('change_id') != change_id:
        raise ChangeWindowError('the plan file holds the plan of change %s, not of %s: refused, nothing was sent.'
                                % (document.get('change_id'), change_id))
    if (document.get('window') or {}).get('end') != window_end:
        raise ChangeWindowError('the approved plan of change %s is for a window ending %s, this end is for one ending '
                                '%s: refused, nothing was sent. Run phase plan again and have it approved.'
                                % (change_id, (document.get('window') or {}).get('end'), window_end))
    return dict((p, [str(i) for i in ids or []]) for p, ids in document['to_act'].items())


def plan_summary(change_id, window, the_plan, check_mode=False):
    """The plan's one line (console, report): what end would close, what it would leave open and why."""
    would = the_plan.get('would_act') or []
    per = {}
    for entry in would:
        per[entry['platform']] = per.get(entry['platform'], 0) + 1
    groups = group_left_open(the_plan.get('left_open') or [])
    return '%s (%s .. %s): plan%s: %d alert(s) to close%s; %d closed already; %d closed by others; %s Nothing was ' \
        'sent.' % (change_id, window['begin'], window['end'], ' (check mode, not written)' if check_mode else '',
                   len(would), (' (%s)' % ', '.join('%s %d' % (p, n) for p, n in sorted(per.items()))) if per else '',
                   len(the_plan.get('closed') or []), len(the_plan.get('closed_by_others') or []),
                   ('%d left open: %s.' % (sum(g[1] for g in groups), '; '.join('%d %s' % (g[1], g[0]) for g in groups))
                    if groups else '0 left open.'))
