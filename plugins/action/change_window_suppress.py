# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin alertops.core.change_window_suppress (documentation: plugins/modules/change_window_suppress.py).

Runs on the controller. It keeps the suppression record of a change in the change's state file (the store of
alertops.core.change_window: atomic, 0600, locked) and calls the planner (plugin_utils/suppression.py). The role
creates and removes suppression with the modules; only the verify step reads vendors itself (through the read-only
info modules, with the task's module_defaults applied), because it has to poll until a deadline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.module_utils import opsramp, options
from ansible_collections.alertops.core.plugins.plugin_utils import suppression as sup
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle as lc
from ansible_collections.alertops.core.plugins.plugin_utils.models import alert_models
from ansible_collections.alertops.core.plugins.plugin_utils.modules import execute
from ansible_collections.alertops.core.plugins.plugin_utils.state_stores import STORE_OPTION, open_store

STEPS = ('begin_plan', 'begin_record', 'end_plan', 'end_record', 'verify', 'extend_plan', 'extend_record')
ARGS = {
    'step': dict(type='str', required=True, choices=list(STEPS)),
    'change_id': dict(type='raw', required=True),
    'state_dir': dict(type='path', required=True),
    'report_dir': dict(type='path'),
    'platforms': dict(type='list', elements='str', default=['mackerel', 'opsramp', 'log360']),
    'scope': dict(type='dict', default={}),
    'options': dict(type='dict', default={}),
    'begin_at': dict(type='str'),
    'end_at': dict(type='str'),
    'state': dict(type='dict'),
    'host_preview': dict(type='dict', default={}),
    'results': dict(type='dict', default={}),
    'record': dict(type='dict'),
    'timeout': dict(type='int', default=0),
    'interval': dict(type='int', default=10),
    'phase': dict(type='str', default='end', choices=['end', 'cancel', 'sweep']),
    'notes': dict(type='list', elements='str', default=[]),
}
ARGS.update(options.group_spec('concurrency'))
ARGS.update(STORE_OPTION)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False
    _monitors = None

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        _validated, args = self.validate_argument_spec(argument_spec=ARGS)
        try:
            change_id = cw.check_change_id(args['change_id'])
            store = open_store(args, change_id, check_mode=self._task.check_mode)
            result.update(getattr(self, '_' + args['step'])(args, change_id, store, task_vars or {}))
        except AlertOpsError as exc:
            raise AnsibleActionFail(to_text(exc))
        return result

    # -- state ----------------------------------------------------------------------------------------------
    @staticmethod
    def _update(store, record, fallback=None, phase=None, **fields):
        """Write ``record`` as the state's suppression (when given), ``fields`` and the phases reached (``phase``: one
        or a tuple, in order), under the change's lock (taken here unless this run holds it)."""
        held = store._holder().get('pid') == store.owner['pid']
        if not held:
            store.lock()
        try:
            state = store.read() or fallback
            if state is None:
                return False, None
            state = dict(state, **fields)
            if record is not None:
                state['suppression'] = record
            for reached in (phase,) if isinstance(phase, str) else phase or ():
                state = lc.advance(state, reached, time.time())
            return store.write(state), state
        finally:
            if not held:
                store.unlock()

    # -- steps ----------------------------------------------------------------------------------------------
    def _begin_plan(self, args, change_id, store, task_vars):
        state = store.read() or {}
        begin = cw.to_second(args['begin_at'] or state.get('begin_at'), 'begin_at')
        scope = dict(args['scope'], mackerel_host_ids=cw.hosts_to_suppress(dict(state, scope=args['scope'])))
        plan, record = sup.begin_plan(change_id, cw.check_platforms(args['platforms']), scope, begin,
                                      args['options'], args['host_preview'], state.get('suppression'))
        # write-ahead: every host's previous status is on disk before any host is changed
        changed, _state = self._update(store, record)
        return dict(changed=changed, plan=plan, record=record,
                    msg='%s: suppression to create; not created: %s' % (change_id, '; '.join(plan['skipped']) or '-'))

    def _begin_record(self, args, change_id, store, task_vars):
        state = store.read() or {}
        record = sup.record_begin(args['record'] or state.get('suppression') or {}, args['results'])
        if not self._task.check_mode:
            record = self._look_up(record, task_vars)
        changed, state = self._update(store, record, phase='suppressed' if record['in_place'] else None)
        # the state as recorded (with this record), for the role to hand on: no task edits the state document itself
        state = state or dict(args['state'] or {}, suppression=record)
        return dict(changed=changed, record=record, in_place=record['in_place'], state=state,
                    msg='%s: suppression in place: %s' % (change_id, '; '.join(record['in_place']) or 'none'))

    def _look_up(self, record, task_vars):
        """Record what exists under the planned names when a create's answer did not say (lost, garbled)."""
        missing = sup.unrecorded(record)
        found, window, unreadable = [], None, []
        for name in missing['downtimes']:
            answer = execute(self, 'mackerel_downtime_info', {'name': name}, task_vars)
            if answer.get('failed'):
                unreadable.append('Mackerel downtime %s' % name)
            found.extend(answer.get('downtimes') or [])
        if missing['opsramp']:
            answer = execute(self, 'opsramp_maintenance_info', {'name': missing['opsramp']}, task_vars)
            if answer.get('failed'):
                unreadable.append(missing['opsramp'])
            window = next((m for m in answer.get('maintenances') or [] if m.get('name') == missing['opsramp']
                           and m.get('status') not in ('Completed',)), None)
        return sup.record_found(record, found, window, unreadable)

    def _end_plan(self, args, change_id, store, task_vars):
        # the record on disk, not the copy the role read at start: a rerun after the undo finds undone_at there
        state = store.read() or args['state'] or {}
        record = state.get('suppression') or {}
        end = cw.to_second(args['end_at'], 'end_at') if args['end_at'] else int(time.time())
        plan = sup.end_plan(record, end)
        return dict(changed=False, plan=plan, record=record, suppressed=plan['active'] or bool(plan['annotations']),
                    msg='%s: to undo: %s' % (change_id, '; '.join(sup.in_place(record)) or 'nothing'))

    def _end_record(self, args, change_id, store, task_vars):
        record = sup.record_end(args['record'] or {}, args['results'], time.time())
        phase = None
        if not record['in_place']:
            phase = 'cancelled' if args['phase'] == 'cancel' else 'undone'
        changed, _state = self._update(store, record, fallback=args['state'], phase=phase)
        changed = self._audit(args, change_id, {'suppression': record}) or changed
        msg = ('%s: suppression removed' % change_id if not record['in_place'] else
               '%s: suppression STILL IN PLACE: %s' % (change_id, '; '.join(record['in_place'])))
        return dict(changed=changed, record=record, in_place=record['in_place'], msg=msg,
                    summary=sup.summary_line(record))

    def _verify(self, args, change_id, store, task_vars):
        state = store.read() or args['state'] or {}
        scope = cw.normalise_scope(state.get('scope') or args['scope'])
        # a host retired or deleted during the change has no monitors to wait for
        gone = sup.gone_hosts(state.get('suppression'))
        scope['mackerel_host_ids'] = [h for h in scope['mackerel_host_ids'] if h not in gone]
        baseline = state.get('baseline') or {}
        begin = cw.to_second(state.get('begin_at') or args['begin_at'], 'begin_at')
        platforms = cw.check_platforms(args['platforms'])
        timeout, interval = max(int(args['timeout']), 0), max(int(args['interval']), 1)
        deadline = time.time() + timeout
        polls = 0
        while True:
            polls += 1
            reads = self._read_scope(scope, platforms, begin, args['concurrency'], task_vars)
            failures = sup.verify_failures(scope, baseline, begin, **reads)
            cannot_tell = sup.unverifiable(scope, reads.get('mackerel_monitors'))
            verdict = sup.verdict(failures, deadline)
            if verdict['done'] or self._task.check_mode:
                break
            time.sleep(min(interval, max(deadline - time.time(), 0)))
        summary = sup.verify_summary(failures, timeout, cannot_tell)
        report = {'verify': {'healthy': verdict['healthy'], 'failing': failures, 'unverifiable': cannot_tell,
                             'timeout': timeout, 'polls': polls, 'at': cw.iso(time.time())}}
        if args['record'] is not None:
            report['suppression'] = args['record']
        if not self._task.check_mode:
            _changed, state = self._update(store, args['record'], fallback=args['state'], phase=('verified', 'ended'),
                                           verify=report['verify'])
            if state:
                report['lifecycle'] = state['lifecycle']
        self._audit(args, change_id, report)
        # a read: the audit it updates is bookkeeping, not a change of anything the operator manages
        return dict(changed=False, healthy=verdict['healthy'], failing=failures, unverifiable=cannot_tell, polls=polls,
                    msg=summary)

    def _extend_plan(self, args, change_id, store, task_vars):
        """The new end and what to send; the follow-on window's name is recorded before it is created."""
        state = store.read() or args['state'] or {}
        record = state.get('suppression') or {}
        window = None
        names = ([record['opsramp']['name']] if record.get('opsramp') else []) + list(
            (record.get('planned') or {}).get('opsramp_follow_ons') or [])
        if names and 'opsramp' in cw.check_platforms(args['platforms']):
            # the latest window's status decides: a Pending one is moved, an Active one gets a follow-on
            answer = execute(self, 'opsramp_maintenance_info', {'name': names[-1]}, task_vars)
            if answer.get('failed'):
                raise AnsibleActionFail('extend: alertops.core.opsramp_maintenance_info failed: %s; nothing was sent'
                                        % answer.get('msg'))
            window = next((m for m in answer.get('maintenances') or [] if m.get('name') == names[-1]), None)
        now = time.time()
        plan, record = sup.extend_plan(change_id, cw.check_platforms(args['platforms']), state.get('scope') or {},
                                       cw.to_second(state['begin_at'], 'begin_at'), args['options'], record, window,
                                       now)
        changed, _state = self._update(store, record)
        msg = '%s: suppression to be extended from %s to %s%s' % (
            change_id, plan['from'], plan['to'], ''.join('; ' + n for n in plan['notes']))
        return dict(changed=changed, plan=plan, record=record, msg=msg)

    def _extend_record(self, args, change_id, store, task_vars):
        record, failed = sup.record_extend(args['record'] or {}, args['results'])
        changed, state = self._update(store, record, fallback=args['state'])
        if failed:
            pending = record.get('extending') or {}
            raise AnsibleActionFail('%s: the suppression was NOT fully extended to %s (%s failed); it still ends at %s '
                                    'there. Rerun phase extend with the same end: it continues.'
                                    % (change_id, pending.get('to'), ', '.join(failed), pending.get('from')))
        last = (record.get('extended') or [{}])[-1]
        msg = '%s: suppression extended to %s: %s%s' % (change_id, last.get('to'), sup.summary_line(record),
                                                        ''.join(' ' + n + '.' for n in args['notes']))
        return dict(changed=changed, record=record, state=state or dict(args['state'] or {}, suppression=record),
                    msg=msg)

    # -- helpers --------------------------------------------------------------------------------------------
    def _audit(self, args, change_id, sections):
        """Merge ``sections`` into ``<report_dir>/<change_id>-audit.json`` (created when the end failed earlier)."""
        if self._task.check_mode:
            return False
        store = open_store(args, change_id)
        directory = args['report_dir'] or args['state_dir']
        try:
            audit = json.loads(store.read_audit('json', directory) or '')
        except ValueError:
            audit = {'change_id': change_id}
        audit.update(sections)
        return store.write_audit('json', json.dumps(audit, indent=2, sort_keys=True) + '\n', directory)

    def _module(self, name, module_args, task_vars):
        result = execute(self, name, module_args, task_vars)
        if result.get('failed'):
            raise AnsibleActionFail('verify: alertops.core.%s failed: %s' % (name, result.get('msg')))
        return result

    def _read_scope(self, scope, platforms, begin, concurrency, task_vars):
        reads = {}
        if 'mackerel' in platforms:
            if scope['mackerel_host_ids'] or scope['mackerel_monitor_ids']:
                # every monitor's name and type (monitored statuses carry only the id): read once, for every poll
                if self._monitors is None:
                    self._monitors = self._module('mackerel_monitor_info', {}, task_vars)['monitors']
                reads['mackerel_monitors'] = self._monitors
            if scope['mackerel_host_ids']:
                reads['mackerel_hosts'] = self._module('mackerel_host_info', {
                    'id': scope['mackerel_host_ids'], 'monitored_statuses': True, 'concurrency': concurrency}, task_vars)
            if scope['mackerel_host_ids'] or scope['mackerel_monitor_ids']:
                # every open alert (the scope filter is an OR of hosts and monitors; the planner applies it)
                listed = self._module('mackerel_alert_info', {}, task_vars)
                reads['mackerel_alerts'] = alert_models({'mackerel': listed})['mackerel']
        if 'opsramp' in platforms and scope['opsramp_query']:
            query = opsramp.opened_since_query(scope['opsramp_query'], cw.iso(begin))
            listed = self._module('opsramp_alert_info', {'query': query}, task_vars)
            reads['opsramp_alerts'] = alert_models({'opsramp': listed})['opsramp']
        return reads
