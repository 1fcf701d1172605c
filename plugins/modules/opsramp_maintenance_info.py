#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: opsramp_maintenance_info
short_description: Search OpsRamp scheduled maintenance windows by name and state
version_added: 0.2.0
description:
  - Searches scheduled maintenance windows (C(GET .../scheduleMaintenances/search)), every page.
  - O(name) matches exactly (the server's C(name:) filter may match substrings; those are dropped).
  - With O(details=true) each window is read in full (C(GET .../scheduleMaintenances/{smId})), resources included.
  - Read-only.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.opsramp
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_opsramp
options:
  name:
    description: Only windows with exactly this name.
    type: str
  state:
    description: Only windows in this state.
    type: str
    choices: [active, pending, suspended, completed]
  details:
    description: Read every window found in full (devices, device groups, locations).
    type: bool
    default: false
seealso:
  - module: alertops.core.opsramp_maintenance
"""

EXAMPLES = r"""
- name: The active windows
  alertops.core.opsramp_maintenance_info:
    state: active
  register: active

- name: One change's window with its resources
  alertops.core.opsramp_maintenance_info:
    name: CHG-1234
    details: true
  register: change_window
"""

RETURN = r"""
maintenances:
  description: The windows as OpsRamp returns them (C(uniqueId), C(name), C(status), C(schedule), ...).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import opsramp
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    client = module.client()
    status = p['state'].capitalize() if p['state'] else None
    found = client.search_maintenances(name=p['name'], status=status)
    if p['details']:
        found = [client.get_maintenance(m['uniqueId']) for m in found]
    return dict(changed=False, maintenances=found)


def main():
    module = AlertOpsModule(opsramp.OpsRampClient, argument_spec=dict(
        name=dict(type='str'),
        state=dict(type='str', choices=['active', 'pending', 'suspended', 'completed']),
        details=dict(type='bool', default=False),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
