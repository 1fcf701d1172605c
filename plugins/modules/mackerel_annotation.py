#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_annotation
short_description: Create, update or remove a Mackerel graph annotation, keyed by title and window
version_added: 0.2.0
description:
  - Marks a time window on a service's graphs (C(POST /api/v0/graph-annotations)), for example a change window.
  - Idempotent. The annotation is the one in O(service) with this O(title) that overlaps the window from O(start) to
    O(end) (C(GET /api/v0/graph-annotations?service=&from=&to=)). A changed window, description or role list is sent as
    one C(PUT), so no duplicate is created. V(absent) deletes it.
  - Relative times (V(now), V(+2h)) within O(past_tolerance) seconds of the existing annotation's times count as
    the same, so rerunning a task with V(start=now) changes nothing.
  - Titles over 250 characters, descriptions over 1024 characters and an end before the start fail before anything
    is sent.
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
    details: Reads the annotations and reports what would change; sends no write.
  diff_mode:
    support: full
    details: Shows the annotation before and after.
options:
  title:
    description: Annotation title (at most 250 characters); with the window, the key that finds it again.
    type: str
    required: true
  service:
    description: The service whose graphs show the annotation.
    type: str
    required: true
  roles:
    description: Role names in O(service) to annotate only their graphs; omit for the whole service.
    type: list
    elements: str
  description:
    description: Details, at most 1024 characters.
    type: str
  start:
    description:
      - Window start. ISO 8601 with a zone (a date and time without a zone is refused, add V(Z) for UTC),
        epoch seconds, or relative (V(now), V(-1h)). Default V(now).
    type: str
  end:
    description: Window end, in the same formats. Default is O(start), a point in time.
    type: str
  duration:
    description: Window length instead of O(end) (V(90) minutes, V(2h)).
    type: str
  state:
    description: V(present) or V(absent).
    type: str
    choices: [present, absent]
    default: present
  past_tolerance:
    description: Seconds a relative time may drift from the existing annotation's and still count as the same.
    type: int
    default: 300
seealso:
  - module: alertops.core.mackerel_downtime
"""

EXAMPLES = r"""
- name: Mark the change window on the web graphs
  alertops.core.mackerel_annotation:
    title: "CHG-1234: database failover"
    service: web
    roles: [app]
    start: "2026-11-29T22:00:00Z"   # fixed date: an annotation may mark a past window
    end: "2026-11-30T00:00:00Z"     # fixed date
    description: "https://change.example.com/CHG-1234"

- name: Remove it again
  alertops.core.mackerel_annotation:
    title: "CHG-1234: database failover"
    service: web
    start: "2026-11-29T22:00:00Z"   # fixed date: the same window as above
    end: "2026-11-30T00:00:00Z"     # fixed date
    state: absent
"""

RETURN = r"""
annotation:
  description: The annotation as Mackerel returns it, plus C(from_at) and C(to_at) (ISO 8601 UTC); empty when absent.
  returned: always
  type: dict
  sample: {"id": "2UdH1QcZQaw", "title": "CHG-1234", "from": 1795989600, "to": 1795996800, "service": "web",
           "from_at": "2026-11-29T22:00:00Z", "to_at": "2026-11-30T00:00:00Z"}
diff:
  description: The annotation's fields before and after.
  returned: in diff mode
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    spec = mackerel.AnnotationSpec(p['title'], p['service'], start=p['start'], end=p['end'], duration=p['duration'],
                                   description=p['description'], roles=p['roles'], tolerance=p['past_tolerance'])
    outcome = module.client().ensure_annotation(spec, present=p['state'] == 'present', check_mode=module.check_mode)
    result = dict(changed=outcome['changed'], annotation=outcome['annotation'] or {})
    result['diff'] = {'before': outcome['before'] or {}, 'after': outcome['after'] or {}}   # kept in diff mode only
    return result


def main():
    module = AlertOpsModule(mackerel.MackerelClient, argument_spec=dict(
        title=dict(type='str', required=True),
        service=dict(type='str', required=True),
        roles=dict(type='list', elements='str'),
        description=dict(type='str'),
        start=dict(type='str'),
        end=dict(type='str'),
        duration=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        past_tolerance=dict(type='int', default=300),
    ), mutually_exclusive=[('end', 'duration')])
    module.run(run)


if __name__ == '__main__':
    main()
