# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vendor-native suppression around a change window, as pure functions (no I/O; unit-tested table by table in
tests/unit/plugins/module_utils/test_suppression.py).

``begin`` (with ``maintenance_window_suppress: true``) creates, named after the change id:

* a Mackerel downtime (``mackerel_downtime``) for the monitors in scope, and one for the services and roles given
  (Mackerel ANDs the two kinds of scope, and its downtimes cannot name hosts);
* host maintenance (``mackerel_host``) for the hosts in scope, each host's previous status recorded *before* it is
  changed (write-ahead, so a crash between the write and the record cannot lose it, and a rerun of begin never
  records "maintenance" as a previous status);
* an OpsRamp scheduled maintenance (``opsramp_maintenance``) for the resources in scope (``resourceIds`` of the
  scope query, host names given for suppression);
* a Mackerel graph annotation (``mackerel_annotation``) per service, marking the window.

``end`` undoes exactly what the record says begin created (downtime removed, every host back to its recorded
status, the OpsRamp window ended, the annotation's end set to the window's end) before it plans and closes, and a
failed undo says what is still in place. Then ``verify`` waits until the scope is healthy: Mackerel monitors of the
hosts in scope back to OK (monitored statuses), open Mackerel alerts of the monitors in scope, and OpsRamp alerts in
scope that are not in the baseline closed.

The record, kept in the change's state under ``suppression``::

    {"downtimes": [{"name", "id"}], "hosts": {host id: previous status}, "hosts_in_maintenance": [ids],
     "opsramp": {"name", "id"} | null, "annotations": [{"title", "service", "id", "start"}],
     "created_at", "undone_at": null | "...Z", "restored": {host id: status}, "in_place": ["..."]}
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import time

from ansible_collections.alertops.core.plugins.module_utils import timeutil
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.mackerel import display_name

DEFAULT_DURATION = 4 * 3600      # the vendors end the suppression by themselves if end never runs
HOST_MAINTENANCE = 'maintenance'


def iso(epoch):
    return timeutil.to_iso(epoch)


def _ids(values):
    if values in (None, ''):
        return []
    if isinstance(values, str):
        values = values.split(',')
    return sorted(set(str(v).strip() for v in values if str(v).strip()))


def annotation_title(change_id):
    return '%s change window' % change_id


def check_options(options):
    """The role's suppression variables, checked before anything is sent."""
    out = dict(options or {})
    try:
        out['duration'] = int(timeutil.to_seconds(out.get('duration') or DEFAULT_DURATION, 'maintenance_window_suppress_duration',
                                                  default_unit='s'))
    except ValidationError as exc:
        raise ValidationError(str(exc).replace('option ', 'variable '))
    for key in ('services', 'roles', 'opsramp_hosts', 'annotation_services'):
        out[key] = _ids(out.get(key))
    timeout = out.get('verify_timeout')
    out['verify_timeout'] = int(timeout) if timeout not in (None, '') else 0
    if out['verify_timeout'] < 0:
        raise ValidationError('variable maintenance_window_verify_timeout must not be negative, got %s' % timeout)
    return out


def begin_plan(change_id, platforms, scope, begin_at, options, host_preview=None, record=None):
    """What begin creates, and the write-ahead record (previous host statuses) to store before any write.

    ``host_preview`` is a check-mode ``mackerel_host`` result (each host's current status, nothing written); a status
    already in ``record`` wins, so a rerun of begin never takes "maintenance" for the previous status.
    """
    options = check_options(options)
    scope = scope or {}
    record = dict(record or {})
    begin = int(begin_at)
    end = begin + options['duration']
    plan = {'downtimes': [], 'hosts': [], 'opsramp': None, 'annotations': [], 'skipped': []}
    memo = 'alertops.core change window %s (suppression created at begin, removed at end)' % change_id
    if 'mackerel' in platforms:
        hosts = _ids(scope.get('mackerel_host_ids'))
        monitors = _ids(scope.get('mackerel_monitor_ids'))
        # Mackerel ANDs service/role scopes with monitor scopes: monitors and services/roles get a downtime each
        base = {'start': iso(begin), 'end': iso(end), 'memo': memo, 'monitor_scopes': [], 'service_scopes': [],
                'role_scopes': []}
        if monitors:
            plan['downtimes'].append(dict(base, name=change_id, monitor_scopes=monitors))
        if options['services'] or options['roles']:
            plan['downtimes'].append(dict(base, name=change_id if not monitors else '%s services' % change_id,
                                          service_scopes=options['services'], role_scopes=options['roles']))
        if not plan['downtimes']:
            plan['skipped'].append('mackerel downtime: no monitors, services or roles in scope (hosts are put in '
                                   'maintenance instead)' if hosts else 'mackerel downtime: nothing in scope')
        plan['hosts'] = hosts
        services = list(options['annotation_services'] or options['services'] or
                        sorted(set(r.split(':', 1)[0] for r in options['roles'])))
        if not services:
            for host in (host_preview or {}).get('hosts') or []:
                services.extend((host.get('roles') or {}).keys())
            services = sorted(set(services))
        for service in services:
            plan['annotations'].append({'title': annotation_title(change_id), 'service': service, 'start': iso(begin),
                                        'end': iso(end), 'description': memo})
        if not services:
            plan['skipped'].append('mackerel annotation: no service in scope')
    if 'opsramp' in platforms:
        resource_ids = _ids((scope.get('opsramp_query') or {}).get('resourceIds'))
        hosts = options['opsramp_hosts']
        if resource_ids or hosts:
            plan['opsramp'] = {'name': change_id, 'start': iso(begin), 'end': iso(end), 'description': memo,
                               'resource_ids': resource_ids, 'hosts': hosts}
        else:
            plan['skipped'].append('opsramp maintenance: no resources in scope (resourceIds in the query, or '
                                   'maintenance_window_opsramp_hosts)')
    previous = dict(record.get('hosts') or {})
    for host in (host_preview or {}).get('hosts') or []:
        if host.get('id') in plan['hosts']:
            previous.setdefault(host['id'], (host.get('before') or {}).get('status'))
    # write-ahead: the names of everything begin is about to create, so that end (and the expiry sweep) removes
    # what exists under them even when a create's answer was lost and the record never got its id
    planned = {'downtimes': [d['name'] for d in plan['downtimes']],
               'opsramp': plan['opsramp']['name'] if plan['opsramp'] else None,
               'annotations': [{'title': a['title'], 'service': a['service'], 'start': a['start']}
                               for a in plan['annotations']]}
    record.update(hosts=previous, created_at=record.get('created_at') or iso(time.time()), undone_at=None,
                  planned=planned, duration=options['duration'])
    return plan, record


def follow_on_name(change_id, number):
    """The name of the ``number``-th OpsRamp window of a change (2, 3, ...): no change id can be spelled so (ids have
    no space), so it never names another change's window."""
    return '%s #%d' % (change_id, number)


def suppression_end(record, begin_at):
    """When the recorded suppression ends (epoch seconds), from begin and the recorded duration."""
    return int(begin_at) + int((record or {}).get('duration') or DEFAULT_DURATION)


def new_suppression_end(options, begin_at, now):
    """The end an extend asks for: ``until`` (absolute or relative to now) or ``duration`` (from begin, as at begin)."""
    until = (options or {}).get('until')
    if until not in (None, ''):
        return int(math.ceil(timeutil.to_epoch(until, 'maintenance_window_suppress_until', now=now)))
    return int(begin_at) + check_options(options)['duration']


def extend_plan(change_id, platforms, scope, begin_at, options, record, opsramp_window, now):
    """What ``extend`` sends, and the write-ahead record: ``(plan, record)``.

    The Mackerel downtimes are rewritten in place with the new end (their start is unchanged). The OpsRamp window
    cannot be rescheduled once Active: its latest window (``opsramp_window``, as opsramp_maintenance_info read it)
    is updated while Pending, else a follow-on window ``<change_id> #N`` is created from the old end (or now) to the
    new end; its name is recorded (``extending``) before it is created, so end, cancel and the sweep remove it even
    if the answer is lost, and a rerun after a half-failed extend continues with the same window. Mackerel host
    maintenance has no end: it is said so, and it stays until end. A rerun to the end already reached sends nothing.
    """
    record = dict(record or {})
    if not record.get('planned') and not record.get('in_place'):
        raise ValidationError('change %s has no suppression to extend (begin ran without maintenance_window_suppress);'
                              ' nothing was sent.' % change_id)
    begin = int(begin_at)
    old_end = suppression_end(record, begin)
    new_end = new_suppression_end(options, begin, now)
    pending = record.get('extending') or {}
    resuming = pending.get('to') == iso(new_end)
    plan = {'downtimes': [], 'opsramp': None, 'notes': [], 'from': iso(old_end), 'to': iso(new_end)}
    if new_end == old_end and not resuming:
        plan['notes'].append('already extended to %s: nothing to send' % iso(new_end))
        return plan, record
    if not resuming and (new_end < old_end or new_end <= int(now)):
        raise ValidationError(
            'the suppression of change %s ends at %s: the new end %s does not extend it (give a later '
            'maintenance_window_suppress_duration, counted from begin %s, or maintenance_window_suppress_until); '
            'nothing was sent.' % (change_id, iso(old_end), iso(new_end), iso(begin)))
    options = dict(check_options(dict(options or {}, until=None)), duration=new_end - begin)
    created, _record = begin_plan(change_id, platforms, scope, begin, options)
    names = set(d['name'] for d in record.get('downtimes') or [])
    names |= set((record.get('planned') or {}).get('downtimes') or [])
    plan['downtimes'] = [d for d in created['downtimes'] if d['name'] in names]
    hosts = [h for h, s in sorted((record.get('hosts') or {}).items()) if s != HOST_MAINTENANCE]
    if hosts:
        plan['notes'].append('Mackerel host maintenance has no end to move: %d host(s) stay in maintenance until end '
                             '(or the expiry sweep, which now waits until %s)' % (len(hosts), iso(new_end)))
    planned = dict(record.get('planned') or {})
    follow_ons = list(planned.get('opsramp_follow_ons') or [])
    window = created.get('opsramp')
    follow_on = pending.get('follow_on') if resuming else None
    if window and (record.get('opsramp') or planned.get('opsramp')):
        latest = follow_ons[-1] if follow_ons else (record.get('opsramp') or {}).get('name') or planned['opsramp']
        status = (opsramp_window or {}).get('status')
        if follow_on:                       # the rerun of a half-failed extend: the same follow-on window
            plan['opsramp'] = dict(window, name=follow_on, start=pending.get('follow_on_start') or iso(old_end),
                                   end=iso(new_end), how='a follow-on window (resumed)')
        elif status == 'Pending':
            start = (opsramp_window.get('schedule') or {}).get('startTime') or window['start']
            plan['opsramp'] = dict(window, name=latest, start=_opsramp_start(start, window['start']), end=iso(new_end),
                                   how='updated in place (Pending)')
        else:
            follow_on = follow_on_name(change_id, len(follow_ons) + 2)
            plan['opsramp'] = dict(window, name=follow_on, start=iso(max(old_end, int(now))), end=iso(new_end),
                                   how='a follow-on window (the %s window %s cannot be rescheduled)'
                                   % (status or 'ended', latest))
            follow_ons.append(follow_on)
    planned['opsramp_follow_ons'] = follow_ons
    record.update(planned=planned, extending={
        'to': iso(new_end), 'at': pending.get('at') if resuming else iso(now), 'duration': new_end - begin,
        'from': pending.get('from') if resuming else iso(old_end),
        'follow_on': follow_on, 'follow_on_start': (plan['opsramp'] or {}).get('start') if follow_on else None})
    return plan, record


def _opsramp_start(vendor_start, fallback):
    seconds = timeutil.parse_vendor(vendor_start) if vendor_start else None
    return iso(seconds) if seconds is not None else fallback


def record_extend(record, results):
    """Fold what the extend's writes returned into the record: ``(record, failed)``. With nothing failed the new end
    is the suppression's (``duration``, ``extended`` history); else ``extending`` stays for the rerun to continue."""
    record = dict(record or {})
    window = results.get('opsramp')
    made = (window or {}).get('maintenance') if _result_ok(window) else None
    follow_ons = [dict(w) for w in record.get('opsramp_follow_ons') or []]
    planned = (record.get('planned') or {}).get('opsramp_follow_ons') or []
    if made and made.get('uniqueId') and made.get('name') in planned:
        known = dict((w['name'], w) for w in follow_ons)
        known[made['name']] = {'name': made['name'], 'id': made['uniqueId']}
        follow_ons = [known[n] for n in planned if n in known]
    record['opsramp_follow_ons'] = follow_ons
    failed = [(r.get('item') or {}).get('name') or 'a Mackerel downtime' for r in _loop(results.get('downtimes'))
              if not _result_ok(r)]
    if isinstance(window, dict) and window and not _result_ok(window) and not window.get('skipped'):
        failed.append('the OpsRamp window')
    pending = record.get('extending')
    if pending and not failed:
        record['duration'] = int(pending['duration'])
        record['extended'] = list(record.get('extended') or []) + [
            {'at': pending['at'], 'from': pending.get('from'), 'to': pending['to']}]
        record.pop('extending', None)
    record['in_place'] = in_place(record)
    return record, failed


def unrecorded(record):
    """What begin planned but the record has no id for (a create whose answer was lost or unreadable): the action
    looks each up by its name and records what exists."""
    planned = record.get('planned') or {}
    known = set(d.get('name') for d in record.get('downtimes') or [])
    return {'downtimes': [n for n in planned.get('downtimes') or [] if n not in known],
            'opsramp': planned.get('opsramp') if planned.get('opsramp') and not record.get('opsramp') else None}


def record_found(record, downtimes=(), opsramp=None, unreadable=()):
    """The record with what the lookups by name found (``downtimes``: vendor downtimes; ``opsramp``: a maintenance);
    ``unreadable``: names whose lookup failed too, kept as possibly in place."""
    record = dict(record)
    known = dict((d['name'], d) for d in record.get('downtimes') or [])
    for downtime in downtimes:
        if downtime.get('name') and downtime.get('id'):
            known[downtime['name']] = {'name': downtime['name'], 'id': downtime['id']}
    record['downtimes'] = [known[n] for n in sorted(known)]
    if opsramp and opsramp.get('uniqueId'):
        record['opsramp'] = {'name': opsramp.get('name'), 'id': opsramp['uniqueId']}
    record['unconfirmed'] = sorted(set(unreadable))
    record['in_place'] = in_place(record)
    return record


def _result_ok(result):
    return isinstance(result, dict) and not result.get('failed') and not result.get('skipped')


def _loop(result):
    """The per-item results of a registered loop (an empty list for a skipped or missing task)."""
    return [r for r in (result or {}).get('results') or [] if isinstance(r, dict)] if isinstance(result, dict) else []


def record_begin(record, results):
    """Fold what the modules returned into the record (what now exists, by id)."""
    record = dict(record or {})
    made = [r['downtime'] for r in _loop(results.get('downtimes')) if _result_ok(r) and (r.get('downtime') or {}).get('id')]
    if made:
        known = dict((d['name'], d) for d in record.get('downtimes') or [])
        known.update((d.get('name'), {'name': d.get('name'), 'id': d['id']}) for d in made)
        record['downtimes'] = [known[n] for n in sorted(known)]
    hosts = results.get('hosts')
    if _result_ok(hosts):
        record['hosts_in_maintenance'] = sorted(h['id'] for h in hosts.get('hosts') or []
                                                if (h.get('after') or {}).get('status') == HOST_MAINTENANCE)
    window = results.get('opsramp')
    if _result_ok(window) and (window.get('maintenance') or {}).get('uniqueId'):
        record['opsramp'] = {'name': window['maintenance'].get('name'), 'id': window['maintenance']['uniqueId']}
    annotations = [r for r in _loop(results.get('annotations')) if _result_ok(r)]
    if annotations:
        record['annotations'] = [{'title': a['annotation'].get('title'), 'service': a['annotation'].get('service'),
                                  'id': a['annotation'].get('id'), 'start': a['annotation'].get('from_at')}
                                 for a in annotations if (a.get('annotation') or {}).get('id')]
    record['in_place'] = in_place(record)
    return record


def in_place(record, undone=None):
    """Human lines naming the suppression that exists according to the record (minus what ``undone`` says is gone)."""
    undone = undone or {}
    lines = []
    for downtime in record.get('downtimes') or []:
        if downtime['name'] not in (undone.get('downtimes') or []):
            lines.append('Mackerel downtime %s (id %s)' % (downtime['name'], downtime['id']))
    changed = record.get('hosts_in_maintenance')
    hosts = [h for h in sorted(record.get('hosts') or {}) if h not in (undone.get('hosts') or [])
             and record['hosts'][h] != HOST_MAINTENANCE and (changed is None or h in changed)]
    if hosts and not undone.get('hosts_all'):
        lines.append('Mackerel hosts in maintenance: %s (previous status: %s)'
                     % (', '.join(hosts), ', '.join('%s=%s' % (h, record['hosts'][h]) for h in hosts)))
    if not undone.get('opsramp'):
        for window in ([record['opsramp']] if record.get('opsramp') else []) + list(record.get('opsramp_follow_ons') or []):
            lines.append('OpsRamp scheduled maintenance %s (%s)' % (window['name'], window['id']))
    for name in record.get('unconfirmed') or []:
        if name not in (undone.get('downtimes') or []) and not (undone.get('opsramp') and name == _planned_opsramp(record)):
            lines.append('%s (created, its answer unreadable: may be in place)' % name)
    return lines


def _planned_opsramp(record):
    return (record.get('planned') or {}).get('opsramp')


def end_plan(record, end_at):
    """What end undoes: what the record says begin created, and everything begin planned under the change's names
    (a create whose answer was lost is removed by name all the same). Nothing once the record says it is undone: a
    rerun must not give a host back a status it had before the change (someone may have powered it off since)."""
    record = record or {}
    if record.get('undone_at'):
        return {'downtimes': [], 'host_statuses': {}, 'opsramp': None, 'opsramp_windows': [], 'annotations': [],
                'active': False}
    planned = record.get('planned') or {}
    previous = dict((h, s) for h, s in (record.get('hosts') or {}).items() if s and s != HOST_MAINTENANCE)
    downtimes = sorted(set([d['name'] for d in record.get('downtimes') or []] + list(planned.get('downtimes') or [])))
    annotations = dict(((a.get('title'), a.get('service')), a) for a in planned.get('annotations') or [])
    annotations.update(((a.get('title'), a.get('service')), a) for a in record.get('annotations') or [])
    opsramp_name = (record.get('opsramp') or {}).get('name') or planned.get('opsramp')
    # the first window and the follow-ons extend created, in the order extend named them (written ahead, so the
    # planned list holds every one, recorded or not: each is removed by name all the same)
    windows = ([opsramp_name] if opsramp_name else []) + list(dict.fromkeys(
        list(planned.get('opsramp_follow_ons') or []) + [w['name'] for w in record.get('opsramp_follow_ons') or []]))
    return {
        'downtimes': downtimes,
        'host_statuses': previous,
        'opsramp': opsramp_name,
        'opsramp_windows': windows,
        'annotations': [{'title': a['title'], 'service': a['service'], 'start': a['start'], 'end': iso(end_at)}
                        for _k, a in sorted(annotations.items()) if a.get('title') and a.get('service')],
        'active': bool(downtimes or previous or opsramp_name),
    }


def record_end(record, results, now):
    """Fold the undo results into the record; ``in_place`` lists what is still there (empty when all went)."""
    record = dict(record or {})
    undone = {}
    undone['downtimes'] = [r.get('item') for r in _loop(results.get('downtimes')) if _result_ok(r)]
    hosts = results.get('hosts')
    if _result_ok(hosts):
        undone['hosts_all'] = True
        record['restored'] = dict((h['id'], (h.get('after') or {}).get('status')) for h in hosts.get('hosts') or [])
        # a host retired or deleted during the change has no status to give back: reported, not a failure
        record['left_in_place'] = [{'platform': 'mackerel', 'kind': 'host', 'id': h.get('id'),
                                    'what': 'Mackerel host %s' % h.get('id'), 'why': h.get('why')}
                                   for h in hosts.get('skipped_hosts') or [] if isinstance(h, dict)]
    elif not (record.get('hosts') or {}):
        undone['hosts_all'] = True
    elif isinstance(hosts, dict):
        # a failed bulk call reports the hosts it did change
        undone['hosts'] = [h['id'] for h in hosts.get('hosts') or [] if h.get('changed')]
    window = results.get('opsramp')
    # one window, or (after an extend) a loop over the first window and its follow-ons
    ended = all(_result_ok(r) for r in _loop(window)) if isinstance(window, dict) and 'results' in window \
        else _result_ok(window)
    undone['opsramp'] = not (record.get('opsramp') or record.get('opsramp_follow_ons')) or ended
    record['in_place'] = in_place(record, undone)
    if not record['in_place']:
        record['undone_at'] = iso(now)
    return record


# -- verify ------------------------------------------------------------------------------------------------------
# Mackerel monitors whose health verify cannot prove: they have no per-host state in monitored statuses, and an
# alert a downtime suppressed is never raised afterwards (Mackerel's downtime guide; external monitors excepted)
UNVERIFIABLE = {
    'service': 'a service metric monitor has no per-host state, and an alert the downtime suppressed is never raised '
               'afterwards (Mackerel downtime guide)',
    'expression': 'an expression monitor has no per-host state, and an alert the downtime suppressed is never raised '
                  'afterwards (Mackerel downtime guide)',
    'query': 'a query monitor has no per-host state, and an alert the downtime suppressed is never raised afterwards '
             '(Mackerel downtime guide)',
    'external': 'an external (URL) monitor has no per-host state; only an open alert of it would show',
}


def monitor_label(monitor):
    """A monitor's name as Mackerel's UI shows it; a connectivity monitor may have none (its type and id then)."""
    return monitor.get('name') or '%s monitor %s' % (monitor.get('type') or 'a', monitor.get('id'))


def unverifiable_why(monitor):
    return UNVERIFIABLE.get((monitor or {}).get('type'))


def unverifiable(scope, monitors):
    """The monitors in scope that verify cannot prove healthy: ``[{platform, kind, id, name, type, why}]``."""
    wanted = set(_ids((scope or {}).get('mackerel_monitor_ids')))
    return [{'platform': 'mackerel', 'kind': 'monitor', 'id': m['id'], 'name': monitor_label(m), 'type': m.get('type'),
             'why': unverifiable_why(m)} for m in monitors or [] if m.get('id') in wanted and unverifiable_why(m)]


def gone_hosts(record):
    """The Mackerel host ids the undo left in place because they were retired or deleted during the change (a record
    of 0.3.0 development builds has only ``what``: its last word is the id)."""
    out = set()
    for entry in (record or {}).get('left_in_place') or []:
        if entry.get('kind', 'host') == 'host':
            out.add(entry.get('id') or str(entry.get('what', '')).split()[-1])
    return out


def verify_failures(scope, baseline, begin_at, mackerel_hosts=None, mackerel_alerts=None, opsramp_alerts=None,
                    mackerel_monitors=None):
    """What is still failing in scope because of the change: ``[{platform, kind, id, host, monitor, status, title}]``.

    ``mackerel_alerts`` and ``opsramp_alerts`` are lists of normalised alerts (module_utils/alerts.py: the clients read
    the vendor fields); ``mackerel_hosts`` is what mackerel_host_info returned; ``mackerel_monitors`` what
    mackerel_monitor_info returned (the names: monitored statuses carry only the monitor id).

    Mackerel: every monitor of a host in scope whose monitored status is not OK (only the monitors in scope when
    there are any), unless an alert of that host and monitor is in the baseline (it failed before the change); and
    every open alert in scope (host or monitor) opened in the window that is not in the baseline. OpsRamp: every
    open alert in scope that is not in the baseline (and not healed).
    """
    scope = scope or {}
    baseline = baseline or {}
    monitors = set(_ids(scope.get('mackerel_monitor_ids')))
    hosts = set(_ids(scope.get('mackerel_host_ids')))
    mackerel_baseline = set(str(i) for i in baseline.get('mackerel') or [])
    names = dict((m.get('id'), monitor_label(m)) for m in mackerel_monitors or [] if isinstance(m, dict))
    listed = mackerel_alerts or []
    before = set((a['host_id'], a['monitor_id']) for a in listed if a['id'] in mackerel_baseline)
    out, seen = [], set()
    for host in (mackerel_hosts or {}).get('hosts') or []:
        for state in host.get('monitored_statuses') or []:
            pair = (host.get('id'), state.get('monitorId'))
            if state.get('status') in ('OK', None) or pair in before:
                continue
            if monitors and state.get('monitorId') not in monitors:
                continue
            seen.add(pair)
            out.append({'platform': 'mackerel', 'kind': 'monitor', 'id': state.get('monitorId'),
                        'host': host.get('id'), 'monitor': state.get('monitorId'), 'status': state['status'],
                        'title': '%s on %s is %s' % (names.get(state.get('monitorId')) or state.get('monitorId'),
                                                     display_name(host),
                                                     state['status'])})
    begin = int(begin_at)
    for alert in listed:
        if alert['status'] == 'closed' or alert['id'] in mackerel_baseline:
            continue
        if (timeutil.parse_vendor(alert['opened_at']) or 0) < begin:
            continue
        in_hosts = bool(hosts) and alert['host_id'] in hosts
        in_monitors = bool(monitors) and alert['monitor_id'] in monitors
        if not (in_hosts or in_monitors) or (hosts and monitors and not (in_hosts and in_monitors)):
            continue
        if (alert['host_id'], alert['monitor_id']) in seen:
            continue
        out.append({'platform': 'mackerel', 'kind': 'alert', 'id': alert['id'], 'host': alert['host_id'],
                    'monitor': alert['monitor_id'], 'status': alert['state'], 'title': alert['title']})
    opsramp_baseline = set(str(i) for i in baseline.get('opsramp') or [])
    for alert in opsramp_alerts or []:
        if alert['id'] in opsramp_baseline or alert['status'] == 'closed' or alert['healed']:
            continue
        out.append({'platform': 'opsramp', 'kind': 'alert', 'id': alert['id'], 'host': alert['source'] or None,
                    'monitor': alert['metric'], 'status': alert['state'], 'title': alert['title']})
    return out


def verdict(failures, deadline, now=None):
    """``{done, healthy, failing}``: done when nothing fails or the deadline has passed (the role's ``until``)."""
    now = time.time() if now is None else now
    return {'done': not failures or now >= float(deadline), 'healthy': not failures, 'failing': failures}


def verify_summary(failures, timeout, cannot_tell=()):
    tail = ''
    if cannot_tell:
        tail = '; cannot tell (not counted as healthy): %s' % '; '.join(
            '%s %s (%s): %s' % (u['platform'], u['name'], u['type'], u['why']) for u in cannot_tell)
    if not failures:
        return 'verify: the scope is healthy%s%s' % (' as far as can be read' if cannot_tell else '', tail)
    return ('verify: after %ds still failing: %s%s' % (int(timeout), '; '.join(
        '%s %s %s%s (%s)' % (f['platform'], f['kind'], f['id'], ' on %s' % f['host'] if f.get('host') else '',
                             f.get('status')) for f in failures), tail))


def summary_line(record):
    """One line for the report: what silenced the scope during the window, and whether it is gone."""
    parts = []
    for downtime in record.get('downtimes') or []:
        parts.append('Mackerel downtime %s' % downtime['name'])
    hosts = record.get('hosts_in_maintenance')
    hosts = sorted(record.get('hosts') or {}) if hosts is None else hosts
    hosts = [h for h in hosts if (record.get('hosts') or {}).get(h) not in (None, HOST_MAINTENANCE)]
    if hosts:
        parts.append('%d Mackerel host(s) in maintenance (%s)' % (len(hosts), ', '.join(
            '%s was %s' % (h, record['hosts'][h]) for h in hosts)))
    for window in ([record['opsramp']] if record.get('opsramp') else []) + list(record.get('opsramp_follow_ons') or []):
        parts.append('OpsRamp scheduled maintenance %s (%s)' % (window['name'], window['id']))
    for extension in record.get('extended') or []:
        parts.append('extended at %s to %s' % (extension['at'], extension['to']))
    for name in record.get('unconfirmed') or []:
        parts.append('%s (its create was not confirmed)' % name)
    if not parts:
        return 'Suppression: none was created.'
    gone = '; '.join('%s left as it is: %s' % (g['what'], g['why']) for g in record.get('left_in_place') or [])
    if gone:
        parts.append(gone)
    state = ('removed at %s' % record['undone_at']) if record.get('undone_at') else \
        ('STILL IN PLACE: %s' % '; '.join(record.get('in_place') or [])) if record.get('in_place') else 'in place'
    return 'Suppressed during the window: %s; %s.' % ('; '.join(parts), state)


def duration_minutes(seconds):
    return int(math.ceil(seconds / 60.0))
