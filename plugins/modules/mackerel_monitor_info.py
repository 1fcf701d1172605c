#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_monitor_info
short_description: List Mackerel monitors, with their type and name
version_added: 0.3.0
description:
  - Lists the organisation's monitors with one request (C(GET /api/v0/monitors)), optionally only those of O(id) or
    O(type).
  - The change window's verify step reads it once for the monitors' names (Mackerel's monitored statuses carry
    only the monitor id) and types (a V(service), V(expression), V(query) or V(external) monitor has no per-host
    state, so verify cannot prove it healthy).
  - Read-only.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.mackerel
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_mackerel
options:
  id:
    description:
      - Only these monitors. An id that is not a monitor of the organisation fails the task, naming it.
    type: list
    elements: str
    default: []
  type:
    description: Only monitors of these types.
    type: list
    elements: str
    default: []
    choices: [connectivity, host, service, external, check, expression, anomalyDetection, query]
seealso:
  - module: alertops.core.mackerel_host_info
  - module: alertops.core.mackerel_downtime
"""

EXAMPLES = r"""
- name: Which monitors watch whole services (no per-host state)?
  alertops.core.mackerel_monitor_info:
    type: [service, expression]
  register: service_monitors

- name: Name them
  ansible.builtin.debug:
    msg: "{{ service_monitors.monitors | map(attribute='name') | list }}"
"""

RETURN = r"""
monitors:
  description: The monitor objects as Mackerel returns them (C(id), C(type), C(name) when the monitor has one, ...).
  returned: always
  type: list
  elements: dict
  sample: [{id: 2cSZzK3XfmG, type: connectivity}, {id: 2c5bLca8d, type: external, name: testMonitorExternal}]
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    wanted = [mackerel.check_object_id(i, 'monitor') for i in p['id']]
    monitors = module.client().list_monitors()
    known = set(m['id'] for m in monitors)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise ValidationError('option id: no such monitor: %s' % ', '.join(unknown))
    if wanted:
        monitors = [m for m in monitors if m['id'] in wanted]
    if p['type']:
        monitors = [m for m in monitors if m.get('type') in p['type']]
    return dict(changed=False, monitors=monitors)


def main():
    module = AlertOpsModule(mackerel.MackerelClient, argument_spec=dict(
        id=dict(type='list', elements='str', default=[]),
        type=dict(type='list', elements='str', default=[],
                  choices=['connectivity', 'host', 'service', 'external', 'check', 'expression', 'anomalyDetection',
                           'query']),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
