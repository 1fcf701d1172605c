#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_alert_info
short_description: List Mackerel alerts (every page) or get one, optionally with their logs
version_added: 0.1.0
description:
  - Lists the alerts of a Mackerel organisation through C(GET /api/v0/alerts), following C(nextId) to the last page
    (or to O(max_items)), newest first.
  - Filters are applied on the client side, because the Mackerel API only filters on open/closed. The list is newest
    first, so with O(opened_after) paging stops at the first page that opened entirely before it.
  - With O(id), gets exactly that alert (C(GET /api/v0/alerts/<id>)).
  - With O(logs=true), adds each returned alert's status history (C(GET /api/v0/alerts/<id>/logs), every page).
  - Read-only; a key with Read permission is enough.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.mackerel
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_mackerel
  - alertops.core.mackerel_filters
  - alertops.core.max_items
  - alertops.core.concurrency
options:
  id:
    description:
      - Get this one alert instead of listing. Filters, O(with_closed) and O(max_items) are then ignored.
      - An unknown id fails the task.
    type: str
  with_closed:
    description:
      - Include closed (resolved) alerts. Without it Mackerel returns open alerts only.
    type: bool
    default: false
  limit:
    description:
      - Page size of each list request, 1 to 100 (the Mackerel maximum). Larger values fail before anything is sent.
      - Defaults to the server default (100).
    type: int
  logs:
    description:
      - Add each alert's logs (newest first, every page) as RV(alerts[].logs), O(concurrency) alerts at a time.
    type: bool
    default: false
  names:
    description:
      - Add RV(alerts[].host_name) and RV(alerts[].monitor_name) (the names Mackerel's UI shows) to each alert.
      - One read per distinct host and monitor (C(GET /api/v0/hosts/<id>), C(GET /api/v0/monitors/<id>)); a host or
        monitor that no longer exists keeps its id as the name.
    type: bool
    default: false
    version_added: 0.2.0
notes:
  - Mackerel has no server-side filters except open/closed, so a filtered listing still reads every page.
seealso:
  - module: alertops.core.mackerel_alert
"""

EXAMPLES = r"""
- name: Every open alert (all pages)
  alertops.core.mackerel_alert_info:
  register: open_alerts

- name: Open critical host alerts of two hosts raised in the last two hours
  alertops.core.mackerel_alert_info:
    status: [CRITICAL]
    type: [host, connectivity]
    host_id: [2vJ965ygiXf, 2tFrtykgMib]
    opened_after: -2h

- name: One alert with its history
  alertops.core.mackerel_alert_info:
    id: 2wpLU5fBXbG
    logs: true
  register: one

- name: The 50 newest alerts, open or closed, with an explicit key
  alertops.core.mackerel_alert_info:
    api_key: "{{ mackerel_api_key }}"
    with_closed: true
    max_items: 50
"""

RETURN = r"""
alerts:
  description:
    - The alerts, newest first, as Mackerel returns them plus the normalised times RV(alerts[].opened_at) and
      RV(alerts[].closed_at).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Alert id.
      type: str
      sample: 2wpLU5fBXbG
    status:
      description: V(OK) (closed), V(CRITICAL), V(WARNING) or V(UNKNOWN).
      type: str
    monitorId:
      description: Id of the monitor that raised it.
      type: str
    type:
      description: Monitor type.
      type: str
    hostId:
      description: Host id (connectivity, host, check and anomalyDetection alerts only).
      type: str
    openedAt:
      description: Opening time, epoch seconds.
      type: int
    closedAt:
      description: Closing time, epoch seconds (closed alerts only).
      type: int
    reason:
      description: Why it was closed (closed alerts only).
      type: str
    memo:
      description: The alert memo, when set.
      type: str
    opened_at:
      description: C(openedAt) as ISO 8601 UTC.
      type: str
      sample: "2026-11-23T10:00:00Z"
    closed_at:
      description: C(closedAt) as ISO 8601 UTC, null while open.
      type: str
    host_name:
      description: The host's display name (or name). Only with O(names=true).
      type: str
      version_added: 0.2.0
    monitor_name:
      description: The monitor's name. Only with O(names=true).
      type: str
      version_added: 0.2.0
    logs:
      description: The alert's logs, newest first, each with C(created_at) (ISO 8601 UTC) added. Only with O(logs=true).
      type: list
      elements: dict
name_reads:
  description: How many host and monitor reads O(names=true) sent.
  returned: with names=true
  type: int
  version_added: 0.2.0
pages_fetched:
  description: How many list pages were read.
  returned: when listing
  type: int
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.errors import NotFoundError, ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    mackerel.check_limit(p['limit'])
    filters = mackerel.Filters.from_params(p)
    client = module.client(concurrency=p['concurrency'])
    result = {'changed': False}
    if p['id']:
        try:
            alerts = [client.get_alert(p['id'])]
        except NotFoundError as exc:
            raise ValidationError('option id: no such alert %s' % p['id'],
                                  operation=exc.operation, status=404, vendor=exc.vendor)
    else:
        stats = {}
        alerts = client.list_alerts(p['with_closed'], p['limit'], p['max_items'], filters, stats=stats)
        result['pages_fetched'] = stats['pages']
    if p['names'] and alerts:
        result['name_reads'] = client.add_names(alerts, p['concurrency'])
    if p['logs'] and alerts:
        client.add_logs(alerts, p['concurrency'])
    result['alerts'] = alerts
    return result


def main():
    module = AlertOpsModule(mackerel.MackerelClient, groups=('mackerel_filters', 'max_items', 'concurrency'), argument_spec=dict(
        id=dict(type='str'),
        with_closed=dict(type='bool', default=False),
        limit=dict(type='int'),
        logs=dict(type='bool', default=False),
        names=dict(type='bool', default=False),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
