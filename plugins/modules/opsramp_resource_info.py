#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: opsramp_resource_info
short_description: Read OpsRamp resources by id
version_added: 0.3.0
description:
  - "Reads each resource (C(GET /api/v2/tenants/{tenantId}/resources/{resourceId})): its name, host name and type.
    Unknown ids fail the task and are all named in the message."
  - The change window's begin reads the resources of its scope with it before it writes anything, so a typo in
    C(resourceIds) fails begin instead of giving an empty baseline, and the report can show the names.
  - Read-only.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.opsramp
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_opsramp
  - alertops.core.concurrency
options:
  id:
    description: Resource ids (the C(resourceIds) of an alert search).
    type: list
    elements: str
    required: true
seealso:
  - module: alertops.core.opsramp_alert_info
  - module: alertops.core.opsramp_maintenance
"""

EXAMPLES = r"""
- name: Do the resources of the change exist, and what are they called?
  alertops.core.opsramp_resource_info:
    id: [res-web-01, res-db-01]
  register: change_resources

- name: Name them
  ansible.builtin.debug:
    msg: "{{ change_resources.resources | map(attribute='name') | list }}"
"""

RETURN = r"""
resources:
  description: The resource objects as OpsRamp returns them, in the order of O(id).
  returned: always
  type: list
  elements: dict
  sample: [{id: res-web-01, name: web-01, hostName: web-01, resourceType: DEVICE}]
"""

from ansible_collections.alertops.core.plugins.module_utils import opsramp
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    if not p['id']:
        raise ValidationError('option id is an empty list')
    resources = module.client(concurrency=p['concurrency']).resources_info(p['id'], concurrency=p['concurrency'])
    return dict(changed=False, resources=resources)


def main():
    module = AlertOpsModule(opsramp.OpsRampClient, groups=('concurrency',), argument_spec=dict(
        id=dict(type='list', elements='str', required=True),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
