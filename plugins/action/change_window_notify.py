# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin alertops.core.change_window_notify (documentation: plugins/modules/change_window_notify.py).

Runs on the controller. It tells the destinations of ``maintenance_window_notify`` what a phase of the change did,
with the decisions of plugin_utils/notify.py, and records what it sent (a digest per destination and event) in the
change's state under the change's lock, so a rerun that changes nothing sends nothing. Each message is one POST
through the collection's transport: bounded by the destination's timeout, TLS verified, redirects never followed,
never sent again after an unknown outcome within the run. A destination URL is a secret: it is in no result, warning
or error message (a destination is named ``<name> (<kind>, <scheme>://<host>)``), nor in the state.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.alertops.core.plugins.module_utils import errors, transport
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.plugin_utils import notify
from ansible_collections.alertops.core.plugins.plugin_utils.state_stores import STORE_OPTION, open_store

ARGS = {
    'check_only': dict(type='bool', default=False),
    'event': dict(type='str', choices=list(notify.EVENTS)),
    'change_id': dict(type='raw'),
    'state_dir': dict(type='path'),
    # raw elements: plugin_utils/notify.py checks them, with messages that never quote a URL
    'destinations': dict(type='list', elements='raw', required=True, no_log=True),
    'results': dict(type='dict', default={}),
    'audit_url': dict(type='str', default=''),
}
ARGS.update(STORE_OPTION)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        redactor = errors.Redactor()
        for item in self._task.args.get('destinations') or []:
            if isinstance(item, dict):
                for secret in notify.secrets_of(item.get('url')):
                    redactor.add(secret)
        try:
            _validated, args = self.validate_argument_spec(argument_spec=ARGS)
        except AnsibleActionFail as exc:
            raise AnsibleActionFail(redactor.redact(to_text(exc.message)))
        try:
            destinations = notify.check_destinations(args['destinations'])
            if args['check_only']:
                result.update(changed=False, destinations=[_row(d, required=d['required'], events=d['events'])
                                                           for d in destinations],
                              msg='maintenance_window_notify: %d destination(s), checked' % len(destinations))
                return result
            missing = [k for k in ('event', 'change_id', 'state_dir') if args[k] in (None, '')]
            if missing:
                raise AnsibleActionFail('missing required arguments: %s' % ', '.join(missing))
            change_id = cw.check_change_id(args['change_id'])
            store = open_store(args, change_id, check_mode=self._task.check_mode)
            result.update(self._notify(args, change_id, destinations, store, redactor))
        except errors.AlertOpsError as exc:
            raise AnsibleActionFail(redactor.redact(to_text(exc)))
        return result

    def _notify(self, args, change_id, destinations, store, redactor):
        event = args['event']
        told = notify.content(event, change_id, args['results'], audit_url=args['audit_url'] or None)
        if told is None:
            not_sent = [_row(d, why='the %s phase recorded nothing to tell' % event) for d in destinations]
            return dict(changed=False, event=event, sent=[], not_sent=not_sent, failures=[],
                        msg='%s %s: nothing to tell (the phase recorded nothing); nothing sent' % (change_id, event))
        payloads = dict((d['name'], notify.payload(d['kind'], told)) for d in destinations)
        digests = dict((d['name'], notify.identity(d['kind'], told)) for d in destinations)
        if self._task.check_mode:
            state = store.read() or {}
            plan = notify.plan_sends(destinations, event, digests, state.get('notifications'))
            would = [_row(d, event=event) for d, what, _why in plan if what == 'send']
            return dict(changed=bool(would), event=event, sent=[], would_send=would, failures=[],
                        not_sent=[_row(d, why=why) for d, what, why in plan if what == 'skip'],
                        title=told['title'], msg='%s %s: check mode, nothing sent; would tell %s'
                        % (change_id, event, ', '.join(r['name'] for r in would) or 'nobody'))
        held = store._holder().get('pid') == store.owner['pid']
        if not held:
            store.lock()
        try:
            return self._send_all(change_id, event, destinations, payloads, digests, told, store, redactor)
        finally:
            if not held:
                store.unlock()

    def _send_all(self, change_id, event, destinations, payloads, digests, told, store, redactor):
        state = store.read()
        sent_record = (state or {}).get('notifications') or {}
        sent, not_sent, failures, warnings = [], [], [], []
        for dest, what, why in notify.plan_sends(destinations, event, digests, sent_record):
            if what == 'skip':
                not_sent.append(_row(dest, why=why))
                continue
            problem = self._send(dest, payloads[dest['name']], redactor)
            if problem is None:
                sent.append(_row(dest, event=event))
                sent_record = notify.record_sent(sent_record, dest, event, digests[dest['name']], cw.iso(time.time()))
                continue
            failures.append(_row(dest, required=dest['required'], error=problem))
            warnings.append('%s %s: notifying %s failed: %s.%s' % (
                change_id, event, notify.describe(dest), problem,
                ' It is required: the phase fails (its own work is recorded).' if dest['required'] else
                ' The change is not affected; a rerun of the phase sends it again.'))
        if state is not None and sent:
            store.write(dict(state, notifications=sent_record))
        elif state is None and sent:
            warnings.append('%s %s: the change has no state at %s: what was sent is not recorded, so a rerun sends it '
                            'again' % (change_id, event, store.path))
        parts = ['%s %s: told %s' % (change_id, event, ', '.join(r['name'] for r in sent) or 'nobody')]
        if not_sent:
            parts.append('not told %s' % ', '.join('%s (%s)' % (r['name'], r['why']) for r in not_sent))
        if failures:
            parts.append('FAILED %s' % ', '.join(r['name'] for r in failures))
        out = dict(changed=bool(sent), event=event, sent=sent, not_sent=not_sent, failures=failures, title=told['title'],
                   msg='; '.join(parts))
        if warnings:
            out['warnings'] = [redactor.redact(w) for w in warnings]
        required = [r['name'] for r in failures if r['required']]
        if required:
            out['failed'] = True
            out['msg'] = redactor.redact('%s. Required destination(s) not told: %s (%s). The phase\'s own work is '
                                         'recorded; rerun the phase to notify again.' % (
                                             out['msg'], ', '.join(required),
                                             '; '.join('%s: %s' % (r['name'], r['error']) for r in failures
                                                       if r['required'])))
        return out

    @staticmethod
    def _send(dest, document, redactor):
        """One POST; None when delivered, else why not (redacted). Never sent twice: an unknown outcome (a timeout, a
        connection cut after sending) is a failure, and the next run decides again."""
        http = None
        try:
            http = transport.Transport('notify', dest['url'], request_timeout=dest['timeout'], retries=0,
                                       secrets=notify.secrets_of(dest['url']), pool_size=2)
            response = http.request('POST', dest['url'], 'POST', json_body=document,
                                    idempotent=False)
            problem = notify.check_answer(dest['kind'], response.status, response.excerpt(200))
        except errors.RedirectError as exc:
            # never followed, to another host or the same one: the message (and the URL's token) would go along
            problem = ('HTTP %s: the destination answered with a redirect, which is never followed (the message would '
                       'go to an address nobody configured). Give the destination\'s own URL' % exc.status)
        except errors.OutcomeUnknownError as exc:
            problem = '%s (it may have arrived)' % to_text(exc)
        except errors.AlertOpsError as exc:
            problem = to_text(exc)
        except Exception as exc:  # pylint: disable=broad-except
            # a notification must never fail the change: anything unexpected is a failed notification, redacted
            problem = 'the request failed: %s' % exc.__class__.__name__
        finally:
            if http is not None:
                http.close()
        if problem is None:
            return None
        # the transport names its own option; a destination's bound is its timeout
        return redactor.redact(problem.replace('request_timeout', 'timeout'))


def _row(dest, **fields):
    return dict(fields, name=dest['name'], kind=dest['kind'])
