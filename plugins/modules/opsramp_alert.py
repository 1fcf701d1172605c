#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: opsramp_alert
short_description: Acknowledge, suppress, heal or close OpsRamp alerts, idempotently and in bulk
version_added: 0.1.0
description:
  - Brings one alert or a list of alerts into O(state) with OpsRamp's alert actions
    (C(POST /api/v2/tenants/{tenantId}/alerts/{alertId}/actions/{action}), body C({"description", "snoozeDuration"})).
  - Idempotent against the alert's flags (C(acknowledged), C(suppressed), C(closed), and C(healed), which is
    C(currentState) being C(Ok)). An alert that already has the wanted flag is not sent anything, so a repeated run,
    and check mode, send no action at all.
  - Action names follow OpsRamp's current API reference (C(acknowledge), C(suppress), C(close), C(unAcknowledge),
    C(unSuppress), C(heal)). When the server answers 400 or 404 to C(unAcknowledge) or C(unSuppress), the legacy
    spelling (C(unacknowledge), C(unsuppress)) is tried once, and the spelling that worked is used for the other
    alerts of the task.
  - Every id is read first. Unknown ids fail the task before anything is written.
  - An action other than V(closed) on a closed alert fails that alert with a clear message (OpsRamp cannot act on
    closed alerts). The other alerts are still handled. V(closed) on a closed alert is simply unchanged.
  - All requests go over one pooled HTTP session, at most O(concurrency) at a time. The first action is sent alone,
    so an integration without permission fails after one request. After a 401 or 403, no more actions are sent.
  - If the outcome of an action is unknown (the connection dropped after the request was sent, or the server
    answered 502 or 504), or its 2xx answer cannot be read, the module reads the alert again and repeats the action
    only if it is still needed.
  - A result is C(changed) only for a change this run made. Runs on the same host (controller or execution node)
    that act on the same alerts at once coordinate through a small ledger in the user's temp directory (or
    E(ALERTOPS_CLAIMS_DIR)); the run that finds the change already made by another one reads the alert instead of
    writing and reports it unchanged. A server that answers 200 to an action on a closed alert gives the same answer to
    both runs, so runs on two different hosts closing the same alert at the same moment with the same description may
    both report it; give such runs different reasons, or one host.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.opsramp
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_opsramp
  - alertops.core.concurrency
attributes:
  check_mode:
    support: full
    details: Reads the alerts and reports what would change; sends no action.
  diff_mode:
    support: full
    details: Shows the flags (C(acknowledged), C(suppressed), C(closed), C(healed)) of each changed alert before and after.
options:
  id:
    description: Alert id (OpsRamp C(uniqueId)) or list of alert ids.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(acknowledged) and V(unacknowledged) set or clear the C(acknowledged) flag (actions C(acknowledge),
        C(unAcknowledge)).
      - V(suppressed) and V(unsuppressed) set or clear the C(suppressed) flag (actions C(suppress), C(unSuppress)).
      - V(healed) heals the alerts (action C(heal)), so their C(currentState) becomes C(Ok). An alert already in state
        C(Ok) is left alone.
      - V(closed) closes the alerts (action C(close)).
    type: str
    required: true
    choices: [acknowledged, unacknowledged, suppressed, unsuppressed, healed, closed]
  description:
    description:
      - 'The reason recorded with the action, for example V(CHG-1234: planned maintenance).'
      - Defaults to C(<action> by alertops.core).
    type: str
  snooze_duration:
    description: With O(state=suppressed), how long the alert stays suppressed (OpsRamp C(snoozeDuration)).
    type: int
  read_first:
    description:
      - Read every alert before acting (the default), so unknown ids fail before anything is sent, and alerts that
        already have the wanted flag are sent nothing.
      - V(false) when the ids come from a listing made just before (the C(maintenance_window) role does this), with one
        action request per alert and nothing else. An alert OpsRamp refuses (closed meanwhile, for example) is read
        again and reported unchanged when it already has the wanted flag. Nothing was read before the action, so
        RV(alerts[].before) and the diff's C(before) are empty (a diff shows only what is known).
    type: bool
    default: true
    version_added: 0.2.0
seealso:
  - module: alertops.core.opsramp_alert_info
"""

EXAMPLES = r"""
# Alert ids are the uniqueId of the alerts opsramp_alert_info (or the alerts lookup, field id) returns
- name: Find the open critical alerts of the changed resource
  alertops.core.opsramp_alert_info:
    query:
      resourceIds: [res-web-01]
      states: [Critical]
      actions: OPEN
  register: found

- name: Their ids
  ansible.builtin.set_fact:
    new_alert_ids: "{{ found.alerts | map(attribute='uniqueId') | list }}"

- name: Acknowledge the alerts a change caused
  alertops.core.opsramp_alert:
    id: "{{ new_alert_ids }}"
    state: acknowledged
    description: "CHG-1234: planned database failover"

- name: Suppress one alert for 30 minutes
  alertops.core.opsramp_alert:
    id: "175"
    state: suppressed
    snooze_duration: 30
    description: "CHG-1234: noisy during the change"

- name: Heal an alert whose cause is fixed
  alertops.core.opsramp_alert:
    id: "175"
    state: healed
    description: "CHG-1234: disk replaced"

- name: Close them
  alertops.core.opsramp_alert:
    id: "{{ new_alert_ids }}"
    state: closed
    description: "CHG-1234: verified"
    concurrency: 16
"""

RETURN = r"""
alerts:
  description: One entry per id, in input order (changed or not).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Alert id.
      type: str
    changed:
      description: Whether this alert was (or, in check mode, would be) changed.
      type: bool
    before:
      description: The alert's flags before (C(acknowledged), C(suppressed), C(closed), C(healed)).
      type: dict
    after:
      description: The flags after the action (predicted in check mode, and when OpsRamp answers without a body).
      type: dict
    closed_at:
      description: When OpsRamp says the alert was closed (C(statusHistory.closedTime) of its answer, ISO 8601 UTC).
      type: str
      returned: when this module closed the alert and OpsRamp answered with the alert
      version_added: 0.2.0
    answered_at:
      description: When OpsRamp answered the action (the controller's clock, ISO 8601 UTC).
      type: str
      returned: when this module changed the alert
      version_added: 0.2.0
    failed:
      description: True when this alert could not be brought into the state.
      type: bool
      returned: on failure
    msg:
      description: Why this alert could not be changed.
      type: str
      returned: on failure
diff:
  description: Flags of the changed alerts, keyed by id, before and after.
  returned: in diff mode (C(--diff) or the task keyword C(diff))
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import bulk, opsramp
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    if not p['id']:
        raise ValidationError('option id is an empty list')
    ids = [opsramp.check_alert_id(i) for i in p['id']]
    if p['snooze_duration'] is not None:
        if p['state'] != 'suppressed':
            raise ValidationError('option snooze_duration only applies to state=suppressed')
        if p['snooze_duration'] < 1:
            raise ValidationError('option snooze_duration must be a positive number, got %s' % p['snooze_duration'])
    concurrency = p['concurrency']   # checked with its option group (AlertOpsModule.run)
    report = module.client(concurrency=concurrency).apply(
        ids, p['state'], p['description'], p['snooze_duration'], check_mode=module.check_mode, concurrency=concurrency,
        read_first=p['read_first'])
    changed = sum(1 for item in report['alerts'] if item['changed'])
    result = dict(changed=bool(changed), alerts=report['alerts'], diff=report['diff'])
    if report['failures']:
        raise bulk.partial_failure(report['failures'], len(report['alerts']), changed,
                                   'alert(s) could not be set to %s' % p['state'], details=result)
    return result


def main():
    module = AlertOpsModule(opsramp.OpsRampClient, groups=('concurrency',), argument_spec=dict(
        id=dict(type='list', elements='str', required=True),
        state=dict(type='str', required=True, choices=list(opsramp.STATES)),
        description=dict(type='str'),
        snooze_duration=dict(type='int'),
        read_first=dict(type='bool', default=True),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
