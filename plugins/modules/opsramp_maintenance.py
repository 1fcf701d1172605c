#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: opsramp_maintenance
short_description: Create, update, end, suspend or remove an OpsRamp scheduled maintenance, keyed by its name
version_added: 0.2.0
description:
  - Manages a scheduled maintenance window (C(/api/v2/tenants/{tenantId}/scheduleMaintenances)). Alerts raised on its
    resources while it is Active are typed C(Maintenance) instead of C(Monitoring).
  - The window is found by name through the search endpoint, so no id has to be kept. Several windows that are not
    Completed and share the name fail the task before any write.
  - V(present) creates the window, or brings an existing one in line. A changed schedule or description is updated
    (OpsRamp allows that only while the window is Pending; changing an Active window's schedule fails with a clear
    message). Resources are added or removed through C(.../resources). A Suspended window is resumed. When nothing
    differs, no write is sent.
  - V(ended) ends an Active window (C(/end); a one-time window becomes Completed, a recurring one Pending until its
    next occurrence). OpsRamp ends and suspends Active windows only, so a Pending one-time window is deleted, the only
    way to keep it from starting. A Pending recurring window (between occurrences), a Suspended or a Completed window
    is left as it is.
  - V(suspended) suspends an Active window now (C(/suspend) with the body C(pattern=now)). A Pending or Completed window
    cannot be suspended; the task fails and sends nothing (use V(absent) to delete a Pending window).
  - V(absent) ends an Active window and then deletes it; a window in any other state is deleted.
  - Times are sent as C(yyyy-MM-ddTHH:mm:ss+0000) with O(timezone), an IANA name that is checked against the time zone
    database before anything is sent. Times in answers are read with any C(+HHMM) or C(-HHMM) offset or C(Z), because OpsRamp answers in
    the window's own zone (C(+0530) for V(Asia/Calcutta)).
  - Bad input fails before anything is sent. This covers a start more than O(past_tolerance) seconds in the past
    (for a new window or a changed start), an end not after the start, an unknown time zone, more than 100 resources
    and no resource at all.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.opsramp
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_opsramp
attributes:
  check_mode:
    support: full
    details: Reads the window and reports what would change; sends no write.
  diff_mode:
    support: full
    details: Shows the window's schedule, description and resources before and after.
options:
  name:
    description: Name of the scheduled maintenance; the key that finds it again.
    type: str
    required: true
  state:
    description: What the window should be.
    type: str
    choices: [present, absent, ended, suspended]
    default: present
  description:
    description: Description of the window.
    type: str
  hosts:
    description: Resources by host name (C(devices[].hostName)).
    type: list
    elements: str
  resource_ids:
    description: Resources by OpsRamp resource id (C(devices[].uniqueId)).
    type: list
    elements: str
  device_groups:
    description: Device groups by name.
    type: list
    elements: str
  locations:
    description: Locations (sites) by name.
    type: list
    elements: str
  start:
    description:
      - Window start. ISO 8601 with a zone (a date and time without a zone is refused, add V(Z) for UTC),
        epoch seconds, or relative (V(now), V(+10m)). Default V(now).
    type: str
  end:
    description: Window end, in the same formats. One of O(end) and O(duration) is required with O(state=present).
    type: str
  duration:
    description: Window length instead of O(end) (V(90) minutes, V(2h)).
    type: str
  timezone:
    description: IANA time zone of the schedule, for example V(Europe/Berlin).
    type: str
    default: UTC
  time_basis:
    description:
      - How the server reads C(startTime) and C(endTime). The documentation shows a C(+0000) suffix together with a
        C(timezone), and it does not say which of the two wins.
      - V(local) sends the wall-clock time in O(timezone), with the C(+0000) suffix as a formality. V(gmt) sends the GMT
        instant. With O(timezone=UTC) both are the same.
    type: str
    choices: [local, gmt]
    default: local
  recurrence:
    description: Make it a recurring window (C(schedule.type=Recurring)) with this pattern between O(start) and O(end).
    type: dict
    suboptions:
      type:
        description: Pattern type.
        type: str
        required: true
        choices: [daily, weekly, monthly]
      weekdays:
        description: Days of the week (weekly).
        type: list
        elements: str
      day_of_month:
        description: Day of the month (monthly).
        type: int
      day_frequency:
        description: Daily pattern, V(everyday) or V(every weekday).
        type: str
  run_escalation_action:
    description:
      - Escalate the alerts raised during the window when it ends (C(runEscalationAction)). OpsRamp's default is
        V(true), so every alert the change raised is escalated when the window ends; set V(false) to keep them quiet.
      - Omit to leave it as it is. It is read back from C(runEscalationAction) or the GET spelling
        C(runEscalateAction), and a different value is updated (while the window is Pending).
    type: bool
  past_tolerance:
    description:
      - Seconds a new start may lie in the past, and how far a relative time may drift from the existing window's and
        still count as the same.
    type: int
    default: 300
seealso:
  - module: alertops.core.opsramp_maintenance_info
"""

EXAMPLES = r"""
- name: Put the change's resources into maintenance for two hours
  alertops.core.opsramp_maintenance:
    name: CHG-1234
    description: "CHG-1234: database failover"
    hosts: [db-01, db-02]
    device_groups: [Web Servers]
    start: now
    duration: 2h
    timezone: Europe/Berlin
    run_escalation_action: false     # do not escalate what the change raised when the window ends
  register: window

- name: End it when the change is done
  alertops.core.opsramp_maintenance:
    name: CHG-1234
    state: ended
"""

RETURN = r"""
maintenance:
  description: The window as OpsRamp returns it (C(uniqueId) C(SM-...), C(status), C(schedule), C(devices), ...).
  returned: always
  type: dict
actions:
  description: What was (or in check mode would be) done, in order, for example V([create]) or V([end, delete]).
  returned: always
  type: list
  elements: str
diff:
  description: Schedule, description and resources before and after.
  returned: in diff mode
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import opsramp
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    name = (p['name'] or '').strip()
    if not name:
        raise ValidationError('option name must not be empty')
    spec = None
    if p['state'] == 'present':
        spec = opsramp.MaintenanceSpec(name, start=p['start'], end=p['end'], duration=p['duration'],
                                       timezone=p['timezone'], description=p['description'], hosts=p['hosts'],
                                       resource_ids=p['resource_ids'], device_groups=p['device_groups'],
                                       locations=p['locations'], recurrence=p['recurrence'],
                                       run_escalation_action=p['run_escalation_action'], time_basis=p['time_basis'],
                                       tolerance=p['past_tolerance'])
    else:
        opsramp.check_timezone(p['timezone'])
    outcome = module.client().ensure_maintenance(name, p['state'], spec, check_mode=module.check_mode)
    result = dict(changed=outcome['changed'], maintenance=outcome['maintenance'] or {}, actions=outcome['actions'])
    result['diff'] = {'before': outcome['before'] or {}, 'after': outcome['after'] or {}}   # kept in diff mode only
    return result


def main():
    module = AlertOpsModule(opsramp.OpsRampClient, argument_spec=dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent', 'ended', 'suspended'], default='present'),
        description=dict(type='str'),
        hosts=dict(type='list', elements='str'),
        resource_ids=dict(type='list', elements='str'),
        device_groups=dict(type='list', elements='str'),
        locations=dict(type='list', elements='str'),
        start=dict(type='str'),
        end=dict(type='str'),
        duration=dict(type='str'),
        timezone=dict(type='str', default='UTC'),
        time_basis=dict(type='str', choices=list(opsramp.SM_TIME_BASES), default='local'),
        recurrence=dict(type='dict', options=dict(
            type=dict(type='str', required=True, choices=list(opsramp.SM_PATTERNS)),
            weekdays=dict(type='list', elements='str'),
            day_of_month=dict(type='int'),
            day_frequency=dict(type='str'),
        )),
        run_escalation_action=dict(type='bool'),
        past_tolerance=dict(type='int', default=300),
    ), mutually_exclusive=[('end', 'duration')])
    module.run(run)


if __name__ == '__main__':
    main()
