# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin alertops.core.change_window (documentation: plugins/modules/change_window.py).

Runs on the controller, whatever host the task targets: it owns the state file of a change (atomic writes, mode
0600, a lock against a concurrent run of the same change) and calls the planner (plugin_utils/change_window.py).
It sends nothing to any vendor: the role lists and writes with the modules, so module_defaults and the action
groups apply to every request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.alertops.core.plugins.plugin_utils import audit as audit_report
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError
from ansible_collections.alertops.core.plugins.module_utils.mackerel import display_name
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle as lc
from ansible_collections.alertops.core.plugins.plugin_utils import suppression as sup
from ansible_collections.alertops.core.plugins.plugin_utils import models
from ansible_collections.alertops.core.plugins.plugin_utils.modules import execute
from ansible_collections.alertops.core.plugins.plugin_utils.state_store import write_file
from ansible_collections.alertops.core.plugins.plugin_utils.state_stores import STORE_OPTION, list_changes, open_store

STEPS = ('start', 'begin', 'plan', 'record', 'release', 'cancel', 'sweep', 'sweep_report')
ARGS = {
    'step': dict(type='str', required=True, choices=list(STEPS)),
    'phase': dict(type='str', choices=['begin', 'end', 'cancel', 'plan', 'extend']),
    'change_id': dict(type='raw', required=True),
    'state_dir': dict(type='path', required=True),
    'report_dir': dict(type='path'),
    'platforms': dict(type='list', elements='str', default=['mackerel', 'opsramp', 'log360']),
    'scope': dict(type='dict', default={}),
    'scope_all': dict(type='bool', default=False),
    'force_begin': dict(type='bool', default=False),
    'baseline': dict(type='dict', default={}),
    'end_time': dict(type='str', default=''),
    'opsramp_action': dict(type='str', default='close', choices=list(cw.ACTIONS)),
    'reason': dict(type='str', default='closed after the change window'),
    'kept': dict(type='bool', default=False),
    'state': dict(type='dict'),
    'listings': dict(type='dict', default={}),
    'results': dict(type='dict', default={}),
    'plan': dict(type='dict'),
    'window': dict(type='dict'),
    'handed_in': dict(type='bool', default=False),
    'end_source': dict(type='str', default='state'),
    'notes': dict(type='list', elements='str', default=[]),
    'names': dict(type='dict', default={}),     # begin: {Mackerel host id: name} as step start read them
    'suppress': dict(type='bool', default=False),
    'verify': dict(type='bool', default=False),
    'probe': dict(type='bool', default=True),
    'swept': dict(type='list', elements='str', default=[]),
    'approve': dict(type='bool', default=False),
    'scope_sources': dict(type='dict', default={}),
}
ARGS.update(STORE_OPTION)
# begin: one cheap read per platform, before anything is written (a platform without credentials fails begin, not the
# end after the change); the Mackerel read is of the hosts in scope, so an unknown host id fails it too
CONNECTION_HINTS = {
    'mackerel': 'module_defaults group/alertops.core.mackerel (api_key) or MACKEREL_APIKEY',
    'opsramp': 'module_defaults group/alertops.core.opsramp (url, tenant_id, client_id/client_secret or token) or '
               'OPSRAMP_URL, OPSRAMP_TENANT_ID, OPSRAMP_CLIENT_ID, OPSRAMP_CLIENT_SECRET',
    'log360': 'module_defaults group/alertops.core.log360 (url, token) or LOG360_URL and LOG360_TOKEN',
}
# the variable to check when begin's read finds an id of the scope unknown
UNKNOWN_IDS = {'mackerel': 'maintenance_window_mackerel_host_ids',
               'opsramp': 'maintenance_window_opsramp_query (resourceIds)'}


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        _validated, args = self.validate_argument_spec(argument_spec=ARGS)
        self._vars = task_vars or {}
        try:
            change_id = cw.check_change_id(args['change_id'])
            store = open_store(args, change_id, check_mode=self._task.check_mode)
            result.update(getattr(self, '_' + args['step'])(args, change_id, store))
        except AlertOpsError as exc:
            raise AnsibleActionFail(to_text(exc))
        return result

    # -- steps ----------------------------------------------------------------------------------------------
    def _start(self, args, change_id, store):
        """Check everything that can be checked before a request is sent; take the lock; fix the window."""
        platforms = cw.check_platforms(args['platforms'])
        if args['phase'] == 'begin':
            scope = cw.check_begin_scope(args['scope'], platforms, args['scope_all'])
            existing = store.read()
            if lc.check_begin(existing, args['force_begin'], change_id) == 'continue':
                cw.check_state_for(existing, change_id, [])
                cw.resolve_scope(existing, scope)
                return dict(changed=False, kept=True, state=existing, state_file=store.path,
                            phase=lc.phase_of(existing),
                            window={'begin': existing['begin_at'], 'end': existing.get('end_at')})
            names = self._probe(platforms, scope) if args['probe'] else {}
            sources = {}
            if 'mackerel' in platforms and cw.host_lists_to_read(scope):
                scope, sources = self._expand(scope, names)
            store.lock()
            begin_at = int(time.time())
            return dict(changed=False, kept=False, state_file=store.path, begin_at=cw.iso(begin_at), names=names,
                        scope=scope, scope_sources=sources, window={'begin': cw.iso(begin_at), 'end': None},
                        listing=_listing(scope, None))
        if args['phase'] not in ('end', 'cancel', 'plan', 'extend'):
            raise cw.ChangeWindowError('option phase must be begin, plan, extend, end or cancel')
        state = store.read()
        handed_in = state is None
        if handed_in:
            if not args['baseline']:
                raise cw.ChangeWindowError(
                    'No baseline for change %s: %s does not exist. Run the role with maintenance_window_phase=begin '
                    'before the change (or pass maintenance_window_baseline).' % (change_id, store.path))
            problem = cw.state_problem(args['baseline'])
            if problem:
                raise cw.ChangeWindowError('maintenance_window_baseline is not a baseline of phase begin: %s' % problem)
            state = cw.upgrade_state(args['baseline'])
        cw.check_state_for(state, change_id, platforms)
        PHASE_CHECKS[args['phase']](state, change_id)
        scope = cw.resolve_scope(state, args['scope'])
        cw.check_recorded_scope(state, platforms)
        if args['phase'] == 'extend':     # the window stays open: only the suppression's end moves
            store.lock()
            return dict(changed=False, state=state, state_file=store.path, handed_in=handed_in, scope=scope,
                        window={'begin': state['begin_at'], 'end': None}, steps=['extend'], phase=lc.phase_of(state))
        run_started = time.time()
        end, source = cw.fix_end(state, args['end_time'], run_started)
        store.lock()
        changed = False
        if args['phase'] in ('end', 'plan') and not self._task.check_mode:
            # the window's end is on disk before any write of this run (the undo comes first); the first run waits
            # until that second has begun, so nothing stamped before it can be listed too early. A plan fixes it as
            # the first end would, and the end after it keeps it.
            while time.time() < end:
                time.sleep(min(end - time.time(), 1.0) + 0.001)
            state = lc.advance(dict(state, end_at=cw.iso(end)), 'ending' if args['phase'] == 'end' else 'planned',
                               run_started)
            changed = store.write(state)
        window = {'begin': state['begin_at'], 'end': cw.iso(end),
                  # Log360 searches [start, end]: its end is the last millisecond before the window's end
                  'log360_end': cw.iso(end - 1)[:-1] + '.999Z'}
        steps = lc.end_steps(state, args['suppress'], args['verify'])
        if args['phase'] == 'cancel':
            steps = [s for s in steps if s == 'undo']
        elif args['phase'] == 'plan':
            steps = ['close']             # list and decide; the undo and verify belong to end
        return dict(changed=changed, state=state, state_file=store.path, handed_in=handed_in, end_source=source,
                    scope=scope, window=window, end_time=window['end'], listing=_listing(scope, state['begin_at']),
                    steps=steps, phase=lc.phase_of(state))

    def _probe(self, platforms, scope):
        """One read per platform before begin writes anything: of the Mackerel hosts and the OpsRamp resources in scope
        when there are any (an unknown id fails begin), else of one alert. {host or resource id: name}."""
        resource_ids = cw.opsramp_resource_ids(scope)
        reads = {
            'mackerel': ('mackerel_host_info', {'id': scope['mackerel_host_ids']}) if scope['mackerel_host_ids']
            else ('mackerel_alert_info', {'max_items': 1}),
            'opsramp': ('opsramp_resource_info', {'id': resource_ids}) if resource_ids
            else ('opsramp_alert_info', {'query': dict(scope['opsramp_query']), 'max_items': 1}),
            'log360': ('log360_job_info', {}),
        }
        names = {}
        for platform in platforms:
            module, module_args = reads[platform]
            answer = execute(self, module, module_args, self._vars)
            if answer.get('failed'):
                what = UNKNOWN_IDS.get(platform) if 'no such' in str(answer.get('msg')) else None
                raise cw.ChangeWindowError(
                    'begin: %s of %s failed: %s. %s Nothing was written.'
                    % (module, platform, answer.get('msg') or 'no answer',
                       'Check %s.' % what if what else
                       'Give %s its connection (%s), or drop %s from maintenance_window_platforms.'
                       % (platform, CONNECTION_HINTS[platform], platform)))
            for found in (answer.get('hosts') or []) + (answer.get('resources') or []):
                if isinstance(found, dict) and found.get('id'):
                    names[found['id']] = display_name(found)
        return names

    def _expand(self, scope, names):
        """The hosts of the scope's Mackerel services and roles, one host list each, frozen into the scope."""
        lists = {}
        for source, service, roles in cw.host_lists_to_read(scope):
            module_args = dict({'service': service}, **({'role': roles} if roles else {}))
            answer = execute(self, 'mackerel_host_info', module_args, self._vars)
            if answer.get('failed'):
                raise cw.ChangeWindowError('begin: listing the hosts of %s failed: %s. Nothing was written.'
                                           % (source, answer.get('msg') or 'no answer'))
            lists[source] = [h['id'] for h in answer.get('hosts') or [] if isinstance(h, dict) and h.get('id')]
            for host in answer.get('hosts') or []:
                if isinstance(host, dict) and host.get('id'):
                    names.setdefault(host['id'], display_name(host))
        return cw.expand_scope(scope, lists)

    def _begin(self, args, change_id, store):
        check_mode = self._task.check_mode
        if args['kept']:                  # start found the begin of an earlier run: its record stands
            state = store.read() or args['state']
            return dict(changed=False, state=state, state_file=store.path, hosts_to_suppress=cw.hosts_to_suppress(state),
                        msg=cw.begin_summary(state, kept=True, check_mode=check_mode, state_file=store.path))
        begin = cw.to_second(args['window']['begin'], 'begin')
        listings = models.alert_models(args['listings'])
        # the baseline's rows name their hosts as the window's do (the names step start read, no read more)
        listings['mackerel'] = audit_report.with_host_names(listings.get('mackerel'), args['names'])
        state = cw.new_state(change_id, begin, cw.check_platforms(args['platforms']),
                             args['scope'], args['scope_all'], listings, scope_sources=args['scope_sources'])
        state = lc.advance(state, 'begun', begin)
        changed = store.write(state)
        store.unlock()
        return dict(changed=changed, state=state, state_file=store.path, hosts_to_suppress=cw.hosts_to_suppress(state),
                    msg=cw.begin_summary(state, check_mode=check_mode, state_file=store.path))

    def _plan(self, args, change_id, store):
        # what the steps before recorded (the undo of the suppression) is on disk: the state handed to the role at
        # start is older and must not be written back over it
        state = cw.upgrade_state(store.read() or args['state'])
        end = cw.to_second(args['window']['end'], 'end')
        actions = cw.actions_for(args['opsramp_action'])
        # phase plan decides afresh; an end follows the plan phase plan recorded, when there is one
        approved = None if args['approve'] else self._approved_plan(state, change_id, args['window']['end'])
        the_plan = cw.plan(state, models.alert_models(args['listings']), end, actions=actions,
                           handed_in=args['handed_in'], end_source=args['end_source'],
                           approved=approved['to_act'] if approved else None)
        if args['approve']:               # phase plan: write the plan for an approval, send nothing
            return self._plan_for_approval(args, change_id, store, state, the_plan, actions)
        if approved:
            the_plan['approved_plan'] = approved
        # write ahead: the window's end, and the writes about to be sent, are on disk before the first write
        new = dict(state, end_at=cw.iso(end),
                   pending=_merge_pending(state.get('pending'), cw.pending_entries(the_plan['to_act'], actions)))
        changed = store.write(new)
        return dict(changed=changed, state=new, plan=the_plan,
                    to_act=dict((p, ids) for p, ids in the_plan['to_act'].items()),
                    # what the role passes through to the writing modules: their state, and the close reason that
                    # a later run recognises as this change's own
                    write_states=cw.write_states(actions), reason=cw.reason_text(change_id, args['reason']))

    def _plan_for_approval(self, args, change_id, store, state, the_plan, actions):
        check_mode = self._task.check_mode
        window = dict(args['window'])
        suppression = sup.in_place(state.get('suppression') or {}) \
            if not (state.get('suppression') or {}).get('undone_at') else []
        document = cw.plan_document(state, the_plan, window, suppression, time.time())
        summary = cw.plan_summary(change_id, window, the_plan, check_mode=check_mode)
        report_dir = args['report_dir'] or args['state_dir']
        plan_html = store.audit_path('html', report_dir)[:-len('-audit.html')] + '-plan.html'
        # the plan a later end follows is part of the change's record (so it reaches another job through the shared
        # store); the JSON file beside the report is a copy for people and tickets
        plan_json = store.plan_path() if hasattr(store, 'plan_path') else plan_html[:-len('.html')] + '.json'
        changed = False
        if not check_mode:
            previous = state.get('plan') or {}
            if previous.get('to_act') == document['to_act'] and previous.get('window') == document['window']:
                document['made_at'] = previous.get('made_at')      # the same plan again: the same record
            changed = store.write(dict(state, plan=document))
            changed = write_file(plan_json, json.dumps(document, indent=2, sort_keys=True) + '\n', 0o640) or changed
            audit = cw.audit(state, the_plan, window, cw.normalise_scope(state.get('scope')),
                             cw.check_platforms(args['platforms']), check_mode=False)
            notes = ['Plan for approval, made %s: nothing was sent. End will act on these %d alert(s) only; any alert '
                     'raised after the plan is left open ("not in the approved plan").'
                     % (document['made_at'], len(document['would_act']))]
            if suppression:
                notes.append('Suppression to remove at end: %s.' % '; '.join(suppression))
            would = the_plan.get('would_act') or []
            notes.extend('To close at end: %s %s %s' % (e['platform'], e['id'], e.get('title') or '')
                         for e in would[:PLAN_LINES])
            if len(would) > PLAN_LINES:
                notes.append('... and %d more (every one is in %s)' % (len(would) - PLAN_LINES, plan_json))
            changed = write_file(plan_html, audit_report.render_change_report(
                change_id, window, audit, summary, notes,
                title='Plan for change window %s (nothing sent yet)' % change_id), 0o640, dir_mode=0o750) or changed
        return dict(changed=changed, state=state, plan=the_plan, summary=summary, plan_file=plan_json,
                    plan_html=plan_html, to_act=the_plan['to_act'], write_states=cw.write_states(actions),
                    reason=cw.reason_text(change_id, args['reason']))

    @staticmethod
    def _approved_plan(state, change_id, window_end):
        """The approved plan of this change's window, when phase plan recorded one: end acts on it only."""
        document = state.get('plan')
        if not document:
            return None
        to_act = cw.approved_to_act(document, change_id, window_end)
        return {'made_at': document.get('made_at'), 'to_act': to_act}

    def _record(self, args, change_id, store):
        recorded = store.read()
        state = cw.upgrade_state(args['state'])
        if recorded and recorded.get('suppression'):
            state['suppression'] = recorded['suppression']       # the undo's record, written after the plan
        actions = cw.actions_for(args['opsramp_action'])
        results = {}
        for platform, ids in ((args['plan'] or {}).get('to_act') or {}).items():
            answer = (args['results'] or {}).get(platform) or {}
            items = dict((str(i.get('id')), i) for i in answer.get('alerts') or [] if isinstance(i, dict))
            # a module that failed as a whole (bad credentials, a 403 on the first write) returns no item for the
            # alerts it did not attempt: each of them is a failed write
            missing = answer.get('msg') or 'no result from the writing module'
            results[platform] = [models.as_model(platform, items.get(str(i)))
                                 or {'id': i, 'changed': False, 'error': missing} for i in ids]
        check_mode = self._task.check_mode
        the_plan = args['plan']
        failures = []
        if not check_mode:
            state, the_plan, failures = cw.record_results(state, the_plan, results, time.time(), actions,
                                                          reason=cw.reason_text(change_id, args['reason']))
            if not failures:
                state = lc.advance(state, 'closed', time.time())
                if not args['verify']:
                    state = lc.advance(state, 'ended', time.time())
        changed = store.write(state)
        window = args['window']
        platforms = cw.check_platforms(args['platforms'])
        audit = cw.audit(state, the_plan, window, cw.normalise_scope(state.get('scope')), platforms,
                         check_mode=check_mode)
        report_json = store.audit_path('json', args['report_dir'] or args['state_dir'])
        report_html = store.audit_path('html', args['report_dir'] or args['state_dir'])
        summary = cw.summary(change_id, window, the_plan, check_mode=check_mode,
                             report=None if check_mode else report_html)
        if not check_mode:
            changed = store.write_audit('json', json.dumps(audit, indent=2, sort_keys=True) + '\n',
                                        args['report_dir'] or args['state_dir']) or changed
            # the suppression line comes from the record, so a rerun (which undoes nothing) renders the same report
            notes = [sup.summary_line(state['suppression'])] if state.get('suppression') else args['notes']
            # the report shows the console's summary without the report's own path
            shown = cw.summary(change_id, window, the_plan)
            changed = store.write_audit('html', audit_report.render_change_report(change_id, window, audit, shown,
                                                                                  notes),
                                        args['report_dir'] or args['state_dir']) or changed
        return dict(changed=changed, state=state, audit=audit, summary=summary, report_json=report_json,
                    report_html=report_html, failures=['%s %s: %s' % f for f in failures],
                    first_groups=list(cw.FIRST_GROUPS),
                    groups=[{'why': w, 'count': n, 'alerts': e, 'collapsed': c}
                            for w, n, e, c in cw.group_left_open(the_plan.get('left_open') or [])])

    def _release(self, args, change_id, store):
        store.unlock()
        return dict(changed=False)

    def _cancel(self, args, change_id, store):
        state = store.read() or cw.upgrade_state(args['state'])
        lc.check_cancel(state, change_id)
        suppression = state.get('suppression') or {}
        if self._task.check_mode:          # the undo wrote nothing either: say what a real run would do
            return dict(changed=False, state=state, msg='%s: check mode: would be cancelled; %s; nothing is closed' % (
                change_id, 'its suppression would be removed' if suppression.get('in_place') and
                not suppression.get('undone_at') else 'no suppression to remove'))
        if suppression.get('in_place') and not suppression.get('undone_at'):
            raise cw.ChangeWindowError('change %s: suppression is still in place (%s): not cancelled; rerun phase cancel'
                                       % (change_id, '; '.join(suppression['in_place'])))
        state = lc.advance(state, lc.CANCELLED, time.time())
        changed = store.write(state)
        store.unlock()
        return dict(changed=changed, state=state, msg='%s: cancelled; %s; nothing was closed' % (
            change_id, 'suppression removed' if suppression else 'there was no suppression'))

    def _sweep(self, args, change_id, store):
        """The changes of the state directory whose suppression expired and whose end never ran (read-only)."""
        now = time.time()
        expired, held = [], []
        for other in list_changes(args):
            one = open_store(args, other, check_mode=self._task.check_mode)
            state = one.read()
            if not lc.expired(state, now):
                continue
            try:
                one.lock()
            except cw.ChangeWindowError:
                held.append(other)
                continue
            expired.append({'change_id': other, 'start': {'state': state, 'window': {'end': cw.iso(now)}}})
        msg = 'sweep of %s: %d change(s) with an expired suppression undone%s%s' % (
            args['state_dir'], len(expired), (': ' + ', '.join(e['change_id'] for e in expired)) if expired else '',
            ('; held by another run, left for the next sweep: ' + ', '.join(held)) if held else '')
        return dict(changed=False, expired=expired, held=held, msg=msg)

    def _sweep_report(self, args, change_id, store):
        """After the sweep's undo of each change in ``swept``: what each record says now; every lock released (a
        change whose undo failed does not stop the others, and is named)."""
        removed, still = [], []
        for other in args['swept']:
            one = open_store(args, cw.check_change_id(other), check_mode=self._task.check_mode)
            try:
                record = (one.read() or {}).get('suppression') or {}
                if record.get('in_place') and not record.get('undone_at'):
                    still.append('%s (%s)' % (other, '; '.join(record['in_place'])))
                else:
                    removed.append(other)
            finally:
                one.unlock()
        msg = 'sweep of %s: suppression removed for %d change(s)%s' % (
            args['state_dir'], len(removed), (': ' + ', '.join(removed)) if removed else '')
        if still:
            msg += '; STILL IN PLACE (rerun the sweep, or phase end of the change): ' + '; '.join(still)
        return dict(changed=False, removed=removed, still_in_place=still, msg=msg)


PLAN_LINES = 200        # the plan's HTML lists this many alerts to close; the JSON holds every one
PHASE_CHECKS = {'end': lc.check_end, 'cancel': lc.check_cancel, 'plan': lc.check_plan, 'extend': lc.check_extend}


def _listing(scope, begin_at):
    """What the role's info-module tasks send, derived from the change's scope: at begin the open alerts in scope;
    at end every alert (open or closed) opened since the window began."""
    return {'mackerel': {'opened_after': begin_at, 'with_closed': begin_at is not None},
            'opsramp': {'query': dict(scope['opsramp_query']), 'start_time': begin_at,
                        'with_closed': begin_at is not None}}


def _merge_pending(old, new):
    seen, out = set(), []
    for entry in list(old or []) + list(new or []):
        key = (entry['platform'], str(entry['id']))
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out
