#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: opsramp_alert_info
short_description: Search OpsRamp alerts, get one alert, or list one alert's occurrences
version_added: 0.1.0
description:
  - Without O(id), searches the tenant's alerts (C(GET /api/v2/tenants/{tenantId}/alerts/search)), all pages
    or up to O(max_items). O(query) becomes OpsRamp's C(queryString).
  - With O(id), returns that one alert (C(GET /api/v2/tenants/{tenantId}/alerts/{alertId})).
  - With O(id) and O(occurrences=true), returns the alert's occurrences, newest first
    (C(GET .../alerts/{alertId}/occurrences)), optionally between O(start_time) and O(end_time).
  - Occurrences are paged by moving C(endTime). The result is complete and holds every occurrence exactly once, also
    when many occurrences share one second across page boundaries, whether the server treats C(endTime) as
    inclusive or exclusive. Genuinely identical occurrences are all kept.
  - The search pages by page number over a live, newest-first list, so alerts that move between pages while it
    runs are returned once (de-duplicated on C(uniqueId)). Filters go into the query, so the server does the
    selecting. O(with_closed=false) sends C(actions:OPEN,ACKNOWLEDGED,SUPPRESSED,TICKETED), O(start_time) and
    O(end_time) send C(startDate)/C(endDate) with C(alertTimeBase:created), and paging stops once O(max_items)
    alerts are in.
  - Authenticates with OAuth2 client credentials (one token per run, renewed when it expires) or a static token.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.opsramp
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_opsramp
  - alertops.core.max_items
options:
  id:
    description:
      - Alert id (OpsRamp C(uniqueId)). Returns that alert, or its occurrences with O(occurrences=true).
      - Mutually exclusive with O(query).
    type: str
  query:
    description:
      - Search filters, turned into OpsRamp's C(queryString) (C(key:value) fields joined by C(+), list values joined
        by C(,), all URL-encoded).
      - Valid keys are V(states), V(startDate), V(endDate), V(priority), V(uniqueId), V(deviceStatus),
        V(resourceType), V(resourceIds), V(actions), V(alertTypes), V(metrics), V(duration), V(alertTimeBase),
        V(clientIds), V(ticketId) and V(apps). Any other key fails the task before anything is sent.
      - V(startDate) and V(endDate) take the same time forms as O(start_time).
    type: dict
  with_closed:
    description:
      - Search only. V(false) asks the server for alerts that are not closed (C(actions) of every not-closed kind,
        unless O(query) sets C(actions) itself). V(true) (the default) returns what O(query) selects.
    type: bool
    default: true
  occurrences:
    description: With O(id), return the alert's occurrences instead of the alert.
    type: bool
    default: false
  start_time:
    description:
      - Occurrences at or after this time. Without O(occurrences), the search's C(startDate) on the alerts' creation
        time (C(alertTimeBase:created) is sent unless O(query) sets C(alertTimeBase)).
      - ISO 8601 with a zone (V(2026-11-23T10:00:00Z), V(2026-11-23T19:00:00+09:00); an offset is at most 18:00).
        A date and time without a zone is refused (add V(Z) for UTC); a date alone (V(2026-11-23) or V(20261123)) is
        that day at 00:00 UTC. Epoch seconds up to V(253402300799) (9999-12-31T23:59:59Z) or epoch milliseconds from
        V(1000000000000) (2001-09-09T01:46:40Z); a number between the two is refused. Or relative (V(now), V(-24h),
        V(-30m), V(-7d)).
    type: str
  end_time:
    description:
      - Occurrences at or before this time (inclusive, to the second). Without O(occurrences), the search's
        C(endDate). Same formats as O(start_time). Must not be before O(start_time).
    type: str
seealso:
  - module: alertops.core.opsramp_alert
"""

EXAMPLES = r"""
- name: Every open critical alert
  alertops.core.opsramp_alert_info:
    query:
      states: [Critical]
      actions: OPEN
  register: critical

- name: The 50 newest alerts opened in the last day that are not closed (a few pages, not the whole tenant)
  alertops.core.opsramp_alert_info:
    with_closed: false
    start_time: -24h
    max_items: 50
  register: recent

- name: One alert
  alertops.core.opsramp_alert_info:
    id: "175"
  register: one

- name: Occurrences of an alert during a change window
  alertops.core.opsramp_alert_info:
    id: "175"
    occurrences: true
    start_time: "-2h"
    end_time: "-1h"
  register: occ

- name: The latest 20 occurrences
  alertops.core.opsramp_alert_info:
    id: "175"
    occurrences: true
    max_items: 20
"""

RETURN = r"""
alerts:
  description:
    - The alerts found (search) or the one alert (O(id)), as OpsRamp returned them plus C(created_at) and
      C(updated_at) in ISO 8601 UTC. Not returned with O(occurrences=true).
  returned: unless occurrences is true
  type: list
  elements: dict
occurrences:
  description:
    - The alert's occurrences, newest first, each as OpsRamp returned it (C(uniqueId), C(subject), C(description),
      C(currentState), C(createdTimeString)) plus C(created_at) (ISO 8601 UTC).
  returned: when occurrences is true
  type: list
  elements: dict
pages_fetched:
  description: Number of occurrence pages requested.
  returned: when occurrences is true
  type: int
paging_warnings:
  description: Limits met while paging, for example more occurrences in one second than fit on one page.
  returned: when occurrences is true
  type: list
  elements: str
"""

from ansible_collections.alertops.core.plugins.module_utils import opsramp
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def _validate(p):
    if p['id'] is not None:
        opsramp.check_alert_id(p['id'])
        if not p['occurrences'] and (p['start_time'] or p['end_time']):
            raise ValidationError('options start_time and end_time apply to a search or to occurrences=true, not to '
                                  'getting one alert')
    start = opsramp.to_epoch_second(p['start_time'], 'start_time') if p['start_time'] else None
    end = opsramp.to_epoch_second(p['end_time'], 'end_time') if p['end_time'] else None
    opsramp.check_range(start, end)
    query = opsramp.search_query(p['query'], start, end, p['with_closed']) if p['id'] is None else None
    return start, end, query


def run(module):
    p = module.params
    start, end, query = _validate(p)
    client = module.client()
    if p['occurrences']:
        walker = client.occurrence_walker(p['id'], start, end)
        occurrences = client.occurrences(p['id'], max_items=p['max_items'], walker=walker)
        for warning in walker.warnings:
            module.warn(warning)
        return dict(changed=False, occurrences=occurrences, pages_fetched=walker.pages,
                    paging_warnings=walker.warnings)
    if p['id'] is not None:
        return dict(changed=False, alerts=[client.get_alert(p['id'])])
    return dict(changed=False, alerts=client.search_alerts(query, p['max_items']))


def main():
    module = AlertOpsModule(opsramp.OpsRampClient, groups=('max_items',), argument_spec=dict(
        id=dict(type='str'),
        query=dict(type='dict'),
        with_closed=dict(type='bool', default=True),
        occurrences=dict(type='bool', default=False),
        start_time=dict(type='str'),
        end_time=dict(type='str'),
    ), mutually_exclusive=[('id', 'query')], required_if=[('occurrences', True, ('id',))])
    module.run(run)


if __name__ == '__main__':
    main()
