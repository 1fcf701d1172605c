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
import os
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.module_utils.mackerel import MackerelClient
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle as lc
from ansible_collections.alertops.core.plugins.plugin_utils import suppression as sup
from ansible_collections.alertops.core.plugins.plugin_utils.modules import execute
from ansible_collections.alertops.core.plugins.plugin_utils.state_stores import STORE_OPTION, list_changes, open_store

STEPS = ('start', 'begin', 'plan', 'record', 'release', 'cancel', 'sweep')
ARGS = {
    'step': dict(type='str', required=True, choices=list(STEPS)),
    'phase': dict(type='str', choices=['begin', 'end', 'cancel']),
    'change_id': dict(type='raw', required=True),
    'state_dir': dict(type='path', required=True),
    'report_dir': dict(type='path'),
    'platforms': dict(type='list', elements='str', default=['mackerel', 'opsramp', 'log360']),
    'scope': dict(type='dict', default={}),
    'scope_all': dict(type='bool', default=False),
    'force_begin': dict(type='bool', default=False),
    'baseline': dict(type='dict', default={}),
    'end_time': dict(type='str', default=''),
    'actions': dict(type='dict', default={}),
    'state': dict(type='dict'),
    'listings': dict(type='dict', default={}),
    'results': dict(type='dict', default={}),
    'plan': dict(type='dict'),
    'window': dict(type='dict'),
    'handed_in': dict(type='bool', default=False),
    'end_source': dict(type='str', default='state'),
    'notes': dict(type='list', elements='str', default=[]),
    'suppress': dict(type='bool', default=False),
    'verify': dict(type='bool', default=False),
    'probe': dict(type='bool', default=True),
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
# a vendor alert (what the info modules list, what the writing modules return as ``after``) -> the normalised alert
# model, by the vendor's own client; Log360 hits come normalised already (log360_search normalise=true)
TO_MODEL = {'mackerel': MackerelClient.to_model, 'opsramp': OpsRampClient.to_model}


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
            store.lock()
            begin_at = int(time.time())
            return dict(changed=False, kept=False, state_file=store.path, begin_at=cw.iso(begin_at), names=names,
                        scope=scope, window={'begin': cw.iso(begin_at), 'end': None}, listing=_listing(scope, None))
        if args['phase'] not in ('end', 'cancel'):
            raise cw.ChangeWindowError('option phase must be begin, end or cancel')
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
        if args['phase'] == 'cancel':
            lc.check_cancel(state, change_id)
        else:
            lc.check_end(state, change_id)
        scope = cw.resolve_scope(state, args['scope'])
        cw.check_recorded_scope(state, platforms)
        run_started = time.time()
        end, source = cw.fix_end(state, args['end_time'], run_started)
        store.lock()
        changed = False
        if args['phase'] == 'end' and not self._task.check_mode:
            # the window's end is on disk before any write of this run (the undo comes first); the first run waits
            # until that second has begun, so nothing stamped before it can be listed too early
            while time.time() < end:
                time.sleep(min(end - time.time(), 1.0) + 0.001)
            state = lc.advance(dict(state, end_at=cw.iso(end)), 'ending', run_started)
            changed = store.write(state)
        window = {'begin': state['begin_at'], 'end': cw.iso(end),
                  # Log360 searches [start, end]: its end is the last millisecond before the window's end
                  'log360_end': cw.iso(end - 1)[:-1] + '.999Z'}
        steps = lc.end_steps(state, args['suppress'], args['verify'])
        if args['phase'] == 'cancel':
            steps = [s for s in steps if s == 'undo']
        return dict(changed=changed, state=state, state_file=store.path, handed_in=handed_in, end_source=source,
                    scope=scope, window=window, end_time=window['end'], listing=_listing(scope, state['begin_at']),
                    steps=steps, phase=lc.phase_of(state))

    def _probe(self, platforms, scope):
        """One read per platform before begin writes anything; {mackerel host id: name} from the Mackerel read."""
        reads = {
            'mackerel': ('mackerel_host_info', {'id': scope['mackerel_host_ids']}) if scope['mackerel_host_ids']
            else ('mackerel_alert_info', {'max_items': 1}),
            'opsramp': ('opsramp_alert_info', {'query': dict(scope['opsramp_query']), 'max_items': 1}),
            'log360': ('log360_job_info', {}),
        }
        names = {}
        for platform in platforms:
            module, module_args = reads[platform]
            answer = execute(self, module, module_args, self._vars)
            if answer.get('failed'):
                what = 'maintenance_window_mackerel_host_ids' if 'no such host' in str(answer.get('msg')) else None
                raise cw.ChangeWindowError(
                    'begin: %s of %s failed: %s. %s Nothing was written.'
                    % (module, platform, answer.get('msg') or 'no answer',
                       'Check %s.' % what if what else
                       'Give %s its connection (%s), or drop %s from maintenance_window_platforms.'
                       % (platform, CONNECTION_HINTS[platform], platform)))
            for host in answer.get('hosts') or []:
                if isinstance(host, dict) and host.get('id'):
                    names[host['id']] = host.get('displayName') or host.get('name') or host['id']
        return names

    def _begin(self, args, change_id, store):
        begin = cw.to_second(args['window']['begin'], 'begin')
        state = cw.new_state(change_id, begin, cw.check_platforms(args['platforms']),
                             args['scope'], args['scope_all'], alert_models(args['listings']))
        state = lc.advance(state, 'begun', begin)
        changed = store.write(state)
        store.unlock()
        return dict(changed=changed, state=state, state_file=store.path)

    def _plan(self, args, change_id, store):
        # what the steps before recorded (the undo of the suppression) is on disk: the state handed to the role at
        # start is older and must not be written back over it
        state = cw.upgrade_state(store.read() or args['state'])
        end = cw.to_second(args['window']['end'], 'end')
        actions = dict((p, a) for p, a in (args['actions'] or {}).items() if a)
        the_plan = cw.plan(state, alert_models(args['listings']), end, actions=actions, handed_in=args['handed_in'],
                           end_source=args['end_source'])
        # write ahead: the window's end, and the writes about to be sent, are on disk before the first write
        new = dict(state, end_at=cw.iso(end),
                   pending=_merge_pending(state.get('pending'), cw.pending_entries(the_plan['to_act'], actions)))
        changed = store.write(new)
        return dict(changed=changed, state=new, plan=the_plan,
                    to_act=dict((p, ids) for p, ids in the_plan['to_act'].items()),
                    # the writing modules' state per platform (the role passes it through)
                    write_states=dict((p, 'closed' if a == 'close' else 'acknowledged')
                                      for p, a in dict(dict.fromkeys(cw.WRITABLE, 'close'), **actions).items()))

    def _record(self, args, change_id, store):
        recorded = store.read()
        state = cw.upgrade_state(args['state'])
        if recorded and recorded.get('suppression'):
            state['suppression'] = recorded['suppression']       # the undo's record, written after the plan
        actions = dict((p, a) for p, a in (args['actions'] or {}).items() if a)
        results = {}
        for platform, ids in ((args['plan'] or {}).get('to_act') or {}).items():
            answer = (args['results'] or {}).get(platform) or {}
            items = dict((str(i.get('id')), i) for i in answer.get('alerts') or [] if isinstance(i, dict))
            # a module that failed as a whole (bad credentials, a 403 on the first write) returns no item for the
            # alerts it did not attempt: each of them is a failed write
            missing = answer.get('msg') or 'no result from the writing module'
            results[platform] = [_as_model(platform, items.get(str(i))) or {'id': i, 'changed': False, 'error': missing}
                                 for i in ids]
        check_mode = self._task.check_mode
        the_plan = args['plan']
        failures = []
        if not check_mode:
            state, the_plan, failures = cw.record_results(state, the_plan, results, time.time(), actions)
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
            changed = store.write_audit('html', render_report(change_id, window, audit, summary, notes),
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


def _listing(scope, begin_at):
    """What the role's info-module tasks send, derived from the change's scope: at begin the open alerts in scope;
    at end every alert (open or closed) opened since the window began."""
    return {'mackerel': {'opened_after': begin_at, 'with_closed': begin_at is not None},
            'opsramp': {'query': dict(scope['opsramp_query']), 'start_time': begin_at,
                        'with_closed': begin_at is not None}}


def alert_models(listings):
    """{platform: registered info-module result or list of vendor alerts} -> {platform: normalised alerts}."""
    out = {}
    for platform, alerts in (listings or {}).items():
        if isinstance(alerts, dict):          # a registered module result
            alerts = alerts.get('alerts', alerts.get('hits')) or []
        convert = TO_MODEL.get(platform)
        out[platform] = [convert(a) if convert else a for a in alerts or []]
    return out


def _as_model(platform, item):
    """A writing module's result item with its ``after`` (the vendor alert as the write left it) in the model."""
    if not item:
        return item
    convert = TO_MODEL.get(platform)
    return dict(item, after=convert(item.get('after') or {}) if convert else item.get('after') or {})


def _merge_pending(old, new):
    seen, out = set(), []
    for entry in list(old or []) + list(new or []):
        key = (entry['platform'], str(entry['id']))
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


# -- the HTML report --------------------------------------------------------------------------------------------
REPORT_TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'roles', 'alert_report',
                               'templates', 'report.html.j2')


def render_report(change_id, window, audit, summary, notes=None):
    """The self-contained HTML audit report: the alert_report role's template, rendered here (as its unit tests
    render it) so that a window of thousands of alerts is not templated task by task."""
    import jinja2  # pylint: disable=import-outside-toplevel
    from ansible_collections.alertops.core.plugins.filter.report import alert_report_data  # pylint: disable=import-outside-toplevel
    env = jinja2.Environment(autoescape=False, trim_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters['alertops.core.alert_report_data'] = alert_report_data
    with open(REPORT_TEMPLATE) as handle:
        template = env.from_string(handle.read())
    shown = [a for a in audit['left_open'] if a.get('why') != cw.WHY_BASELINE]
    return template.render(
        alert_report_render_alerts=audit['closed'] + audit['acknowledged'] + audit['closed_by_others'] + shown,
        alert_report_render_start=window['begin'], alert_report_render_end=window['end'],
        alert_report_render_title='Change window %s' % change_id, alert_report_render_change_id=change_id,
        alert_report_render_closed=audit['closed'] + audit['acknowledged'],
        alert_report_render_closed_by_others=audit['closed_by_others'],
        alert_report_render_left_open=audit['left_open'], alert_report_render_summary=summary,
        alert_report_render_first_groups=list(cw.FIRST_GROUPS), alert_report_render_notes=list(notes or []))
