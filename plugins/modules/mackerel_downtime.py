#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_downtime
short_description: Create, update or remove a Mackerel downtime, keyed by its name
version_added: 0.2.0
description:
  - Makes sure a Mackerel downtime with the given O(name) exists with the given window, scopes, recurrence and memo
    (C(POST /api/v0/downtimes), C(PUT /api/v0/downtimes/<id>)), or that none exists (C(DELETE)).
  - "During a downtime Mackerel does not generate alerts for hosts or monitors that match its scopes. Services, roles
    and monitors combine with AND; exclusions win; a downtime without scopes covers everything. Downtimes cannot be
    scoped to a host: use M(alertops.core.mackerel_host) to put hosts into maintenance."
  - Idempotent. The downtime is found by name in the list of downtimes, so no id has to be kept. A changed start,
    duration, scope, recurrence or memo is sent as one C(PUT) of the whole downtime; it is never deleted and created
    again. When nothing differs, no write is sent.
  - Several downtimes with the same name (Mackerel does not keep names unique) fail the task before any write.
  - A relative O(start) (V(now), V(+2h)) is resolved at every run. When an existing downtime's start lies within
    O(past_tolerance) seconds of it, the downtime keeps its start and end, so rerunning a task with V(start=now) changes
    nothing.
  - Bad input fails before anything is sent. This covers a start more than O(past_tolerance) seconds in the past
    (for a new downtime or a changed start), a duration of zero or less, an end before the start, a role not written
    as C(<service>:<role>) and an invalid recurrence.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.mackerel
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_mackerel
attributes:
  check_mode:
    support: full
    details: Reads the downtimes and reports what would change; sends no write.
  diff_mode:
    support: full
    details: Shows the downtime's fields before and after.
options:
  name:
    description: Name of the downtime; the key that finds it again.
    type: str
    required: true
  state:
    description: V(present) creates or updates the downtime; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  start:
    description:
      - When the downtime starts. ISO 8601 with a zone (V(2026-11-29T22:00:00Z); a date and time without a zone is refused, add V(Z) for UTC), epoch seconds, or
        relative (V(now), V(+2h), V(+30m)). Default V(now).
    type: str
  duration:
    description:
      - How long the downtime lasts. A number of minutes (V(90)) or V(30m), V(2h), V(1d). Mackerel counts whole
        minutes, so seconds are rounded up.
      - Mackerel ignores part of a downtime of 24 hours or more that spans Sunday to Monday (after 24 hours from a
        Sunday start, after Monday 00:00 from any other day; its downtime guide). Such a window (any occurrence of a
        recurring one, Monday 00:00 taken in UTC and in JST because the guide names no zone) is still written, with a
        warning in the task's C(warnings) and in RV(sunday_monday_split). Split such a window into windows that do not
        span Sunday to Monday.
      - One of O(duration) and O(end) is required with O(state=present).
    type: str
  end:
    description: When the downtime ends, in the formats of O(start). Mutually exclusive with O(duration).
    type: str
  memo:
    description: Notes for the downtime.
    type: str
  service_scopes:
    description: Services whose hosts and service monitors are covered.
    type: list
    elements: str
  service_exclude_scopes:
    description: Services excluded from the downtime.
    type: list
    elements: str
  role_scopes:
    description:
      - Roles covered, each written as V(<service>:<role>), for example V(web:app); written with a space
        after the colon it is the same role.
      - Role scopes are compared with the spaces around V(:) removed, and the spelling Mackerel answers with is kept,
        so a downtime whose role scopes another tool wrote, or Mackerel answers, with that space is not rewritten on
        every run.
    type: list
    elements: str
  role_exclude_scopes:
    description: Roles excluded, written as V(<service>:<role>).
    type: list
    elements: str
  monitor_scopes:
    description: Monitor ids covered.
    type: list
    elements: str
  monitor_exclude_scopes:
    description: Monitor ids excluded.
    type: list
    elements: str
  recurrence:
    description: Repeat the downtime.
    type: dict
    suboptions:
      type:
        description: How it repeats.
        type: str
        required: true
        choices: [hourly, daily, weekly, monthly, yearly]
      interval:
        description: Every how many hours, days, weeks, months or years.
        type: int
        default: 1
      weekdays:
        description: Days of the week (only with V(weekly)), for example V([Saturday, Sunday]).
        type: list
        elements: str
      until:
        description: When the repetition ends, in the formats of O(start).
        type: str
  past_tolerance:
    description:
      - How many seconds in the past a new start may lie (the start of a new downtime, or a changed start), and how
        far a relative O(start) may drift from an existing downtime's start and still count as the same.
    type: int
    default: 300
seealso:
  - module: alertops.core.mackerel_downtime_info
  - module: alertops.core.mackerel_host
"""

EXAMPLES = r"""
- name: Silence the web service and one monitor for a two-hour change
  alertops.core.mackerel_downtime:
    name: CHG-1234
    start: "+5m"
    duration: 2h
    service_scopes: [web]
    role_exclude_scopes: ["web:proxy"]
    monitor_scopes: [2cSZzK3XfmG]
    memo: "CHG-1234: database failover"
  register: downtime

- name: A weekly maintenance window on Saturday and Sunday nights
  alertops.core.mackerel_downtime:
    name: weekend batch
    start: "+1d"      # the first occurrence; then every Saturday and Sunday at the same time of day
    duration: 180
    role_scopes: ["batch:worker"]
    recurrence:
      type: weekly
      weekdays: [Saturday, Sunday]

- name: Remove the downtime when the change is done
  alertops.core.mackerel_downtime:
    name: CHG-1234
    state: absent
"""

RETURN = r"""
downtime:
  description:
    - The downtime as Mackerel returns it, plus C(start_at) and C(end_at) in ISO 8601 UTC. With O(state=absent), the
      downtime that was deleted (none when there was none). In check mode, the predicted downtime.
  returned: always
  type: dict
  sample: {"id": "3JwREyrZGQ9", "name": "CHG-1234", "start": 1795989600, "duration": 120,
           "serviceScopes": ["web"], "start_at": "2026-11-29T22:00:00Z", "end_at": "2026-11-30T00:00:00Z"}
sunday_monday_split:
  description:
    - Set when Mackerel will ignore part of the window (24 hours or more spanning Sunday to Monday, see O(duration)).
    - C(first_at) is the start of the first such occurrence (ISO 8601 UTC), C(zone) the zone of the Monday 00:00 it
      spans (C(UTC) or C(JST)). The same is said in a warning.
  returned: when the window spans Sunday to Monday and lasts 24 hours or more
  type: dict
  sample: {"first_at": "2026-12-13T07:00:00Z", "zone": "UTC"}
diff:
  description: The downtime's comparable fields before and after.
  returned: in diff mode
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    spec = None
    if p['state'] == 'present':
        spec = mackerel.DowntimeSpec(p['name'], start=p['start'], duration=p['duration'], end=p['end'], memo=p['memo'],
                                     scopes=dict((o, p[o]) for o, _f in mackerel.DOWNTIME_SCOPES),
                                     recurrence=p['recurrence'], tolerance=p['past_tolerance'])
    elif not (p['name'] or '').strip():
        raise mackerel.errors.ValidationError('option name must not be empty')
    outcome = module.client().ensure_downtime(p['name'].strip(), spec, check_mode=module.check_mode)
    result = dict(changed=outcome['changed'], downtime=outcome['downtime'] or {})
    if outcome.get('split'):
        module.warn(outcome['split'].pop('warning'))
        result['sunday_monday_split'] = outcome['split']
    result['diff'] = {'before': outcome['before'] or {}, 'after': outcome['after'] or {}}   # kept in diff mode only
    return result


def main():
    scopes = dict((option, dict(type='list', elements='str')) for option, _field in mackerel.DOWNTIME_SCOPES)
    module = AlertOpsModule(mackerel.MackerelClient, argument_spec=dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        start=dict(type='str'),
        duration=dict(type='str'),
        end=dict(type='str'),
        memo=dict(type='str'),
        recurrence=dict(type='dict', options=dict(
            type=dict(type='str', required=True, choices=list(mackerel.RECURRENCE_TYPES)),
            interval=dict(type='int', default=1),
            weekdays=dict(type='list', elements='str'),
            until=dict(type='str'),
        )),
        past_tolerance=dict(type='int', default=300),
        **scopes
    ), mutually_exclusive=[('duration', 'end')])
    module.run(run)


if __name__ == '__main__':
    main()
