#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_downtime_info
short_description: List Mackerel downtimes
version_added: 0.2.0
description:
  - Lists the organisation's downtimes (C(GET /api/v0/downtimes)), optionally only those with a given name.
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
  name:
    description: Only downtimes with exactly this name.
    type: str
seealso:
  - module: alertops.core.mackerel_downtime
"""

EXAMPLES = r"""
- name: Every downtime
  alertops.core.mackerel_downtime_info:
  register: all_downtimes

- name: The downtime of one change
  alertops.core.mackerel_downtime_info:
    name: CHG-1234
  register: change_downtime
"""

RETURN = r"""
downtimes:
  description: The downtimes as Mackerel returns them, plus C(start_at) and C(end_at) (ISO 8601 UTC).
  returned: always
  type: list
  elements: dict
  sample: [{"id": "3JwREyrZGQ9", "name": "CHG-1234", "start": 1795989600, "duration": 120,
            "start_at": "2026-11-29T22:00:00Z", "end_at": "2026-11-30T00:00:00Z"}]
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    name = module.params['name']
    downtimes = module.client().list_downtimes()
    if name is not None:
        downtimes = [d for d in downtimes if d.get('name') == name]
    return dict(changed=False, downtimes=downtimes)


def main():
    module = AlertOpsModule(mackerel.MackerelClient, argument_spec=dict(name=dict(type='str')))
    module.run(run)


if __name__ == '__main__':
    main()
