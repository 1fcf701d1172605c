#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_alert
short_description: Close Mackerel alerts and set their memo, idempotently and in bulk
version_added: 0.1.0
description:
  - Closes alerts with a reason (C(POST /api/v0/alerts/<id>/close)) and/or sets their memo (C(PUT /api/v0/alerts/<id>)).
  - Acts on one id, a list of ids, or every alert the filters select.
  - Idempotent. An alert that is already closed is not closed again, and a memo that already has the wanted
    value is not written again. In both cases no request is sent for that alert.
  - All writes go over one pooled HTTP session, at most O(concurrency) at a time. The first write is sent
    alone, so a key without Write permission fails after one request. After a 401 or 403, no more writes are
    sent.
  - Everything is checked before the first write (options, times, that every id exists), so bad input changes
    nothing.
  - If the outcome of a close is unknown (the connection dropped after the request was sent, or the server
    answered 502 or 504), or the server answered 2xx with a body that cannot be read, the module reads the alert
    again. It sends the close again only if the alert is still open. No alert is closed twice and none is missed.
  - A close answered with the alert closed for another reason (a server that answers 200 to closing a closed
    alert) was someone else's and is not changed.
  - A result is C(changed) only for a change this run made. Runs on the same host (controller or execution node)
    that act on the same alerts at once coordinate through a small ledger in the user's temp directory (or
    E(ALERTOPS_CLAIMS_DIR)); the run that finds the change already made by another one reads the alert instead of
    writing and reports it unchanged. A server that answers 200 to closing a closed alert gives the same answer to
    both runs, so runs on two different hosts closing the same alert at the same moment with the same reason may
    both report it; give such runs different reasons, or one host.
  - Filtered selections come from the open-alert listing, so closing them costs the listing pages plus one close
    per open alert. There is no GET per alert. Up to 10 ids are read with one GET each. Longer id lists are looked
    up in the listing.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.mackerel
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_mackerel
  - alertops.core.mackerel_filters
  - alertops.core.concurrency
attributes:
  check_mode:
    support: full
    details: Reads the alerts and reports what would change; sends no write.
  diff_mode:
    support: full
    details: Shows status, reason and memo of each changed alert before and after.
options:
  id:
    description:
      - Alert id or list of alert ids to act on. Unknown ids fail the task before anything is written.
      - Mutually exclusive with the filters (O(status), O(type), O(monitor_id), O(host_id), O(opened_after),
        O(opened_before)) and O(all_alerts).
    type: list
    elements: str
  state:
    description:
      - V(closed) closes the alerts with O(reason). Omit it to only set O(memo).
    type: str
    choices: [closed]
  reason:
    description:
      - Why the alerts are closed, for example V(CHG-1234 planned maintenance). Required with O(state=closed).
    type: str
  memo:
    description:
      - Set the alert memo to this text (at most 80 KB). V("") clears it.
    type: str
  with_closed:
    description:
      - Let the filters select closed alerts too. Only useful for O(memo), because closed alerts cannot be closed.
    type: bool
    default: false
  all_alerts:
    description:
      - Act on every open alert (and every closed one too with O(with_closed=true)).
      - This option guards against closing everything by mistake. Without O(id), at least one filter or
        O(all_alerts=true) is required.
    type: bool
    default: false
  limit:
    description: Page size of the listing requests, 1 to 100. Larger values fail before anything is sent.
    type: int
  read_first:
    description:
      - With O(id), read the alerts before writing (the default), so unknown ids fail before anything is sent and
        alerts that are already closed are not sent anything.
      - V(false) when the ids come from a listing made just before (the C(maintenance_window) role does this), and the
        close is sent straight away, one request per alert and nothing else. An alert closed in the meantime is read
        again and reported unchanged, with the reason it was closed with; an unknown id fails that alert. Nothing was
        read before the write, so RV(alerts[].before) and the diff's C(before) are empty (a diff shows only what is
        known).
      - Only with O(id) and O(state=closed) without O(memo).
    type: bool
    default: true
    version_added: 0.2.0
seealso:
  - module: alertops.core.mackerel_alert_info
"""

EXAMPLES = r"""
- name: Close the alerts a change caused (opened in its window, on its hosts)
  alertops.core.mackerel_alert:
    state: closed
    reason: "CHG-1234: planned database failover"
    host_id: [2vJ965ygiXf, 2tFrtykgMib]
    opened_after: "-2h"
    opened_before: "now"
  register: closed

- name: Close a list of alerts
  alertops.core.mackerel_alert:
    id: "{{ baseline_alert_ids }}"
    state: closed
    reason: "CHG-1234: verified by the on-call engineer"

- name: Leave a note on an alert without closing it
  alertops.core.mackerel_alert:
    id: 2wpLU5fBXbG
    memo: "Investigating under CHG-1234"

- name: Close every open alert (a lab clean-up)
  alertops.core.mackerel_alert:
    all_alerts: true
    state: closed
    reason: lab reset
    concurrency: 16
"""

RETURN = r"""
alerts:
  description: One entry per selected alert, in selection order (changed or not).
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
      description:
        - The alert's state before, as far as this module changes it. Keys are C(status), C(reason), C(closedAt)
          (epoch seconds), C(closed_at) (ISO 8601 UTC) and C(memo). A key that Mackerel does not return for the
          alert is absent.
        - The results are kept this small so that closing thousands of alerts stays fast. Use
          M(alertops.core.mackerel_alert_info) to get the whole alert objects.
      type: dict
      sample: {"status": "CRITICAL"}
    after:
      description: The same fields after the change (predicted in check mode, where C(closedAt) is unknown).
      type: dict
      sample: {"status": "OK", "reason": "CHG-1234 failover", "closedAt": 1795465269, "closed_at": "2026-11-23T20:21:09Z"}
    error:
      description: Why this alert could not be changed (only in a failed result).
      type: str
      returned: on failure
closed:
  description: Number of alerts closed (or that would be closed in check mode).
  returned: always
  type: int
memo_updated:
  description: Number of memos written (or that would be written).
  returned: always
  type: int
diff:
  description: Status, reason, closedAt and memo of the changed alerts, keyed by id, before and after.
  returned: in diff mode (C(--diff) or the task keyword C(diff))
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import bulk, mackerel, options
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def _validate(p):
    if p['state'] is None and p['memo'] is None:
        raise ValidationError('nothing to do: set state=closed (with reason) and/or memo')
    if p['state'] == 'closed' and not (p['reason'] or '').strip():
        raise ValidationError('option reason is required (and must not be empty) with state=closed')
    mackerel.check_memo(p['memo'])
    mackerel.check_limit(p['limit'])
    filters = mackerel.Filters.from_params(p)
    used = [name for name in options.MACKEREL_FILTERS if p[name] not in (None, [], '')]
    if p['id'] is not None:
        if used or p['all_alerts']:
            raise ValidationError('option id is mutually exclusive with %s' % ', '.join(used or ['all_alerts']))
        if not p['id']:
            raise ValidationError('option id is an empty list')
        for alert_id in p['id']:
            mackerel.check_alert_id(alert_id)
    if not p['read_first'] and (p['id'] is None or p['state'] != 'closed' or p['memo'] is not None):
        raise ValidationError('option read_first=false applies to closing a list of ids (id, state=closed, no memo)')
    if p['id'] is None and not used and not p['all_alerts']:
        raise ValidationError('select alerts with id, with a filter (%s), or set all_alerts=true to act on every '
                              'alert' % ', '.join(options.MACKEREL_FILTERS))
    return filters, p['concurrency']   # checked with its option group (AlertOpsModule.run)


def run(module):
    p = module.params
    filters, concurrency = _validate(p)
    report = module.client(concurrency=concurrency).apply(
        ids=p['id'], read_first=p['read_first'], filters=filters, with_closed=p['with_closed'], limit=p['limit'],
        close=p['state'] == 'closed', reason=p['reason'], memo=p['memo'], check_mode=module.check_mode,
        concurrency=concurrency)
    changed = sum(1 for item in report['alerts'] if item['changed'])
    result = dict(changed=bool(changed), alerts=report['alerts'], closed=report['closed'],
                  memo_updated=report['memo_updated'], diff=report['diff'])
    if report['failures']:
        raise bulk.partial_failure(report['failures'], report['todo'], changed, 'alert(s) could not be changed',
                                   details=result)
    return result


def main():
    module = AlertOpsModule(mackerel.MackerelClient, groups=('mackerel_filters', 'concurrency'), argument_spec=dict(
        id=dict(type='list', elements='str'),
        state=dict(type='str', choices=['closed']),
        reason=dict(type='str'),
        memo=dict(type='str'),
        with_closed=dict(type='bool', default=False),
        all_alerts=dict(type='bool', default=False),
        limit=dict(type='int'),
        read_first=dict(type='bool', default=True),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
