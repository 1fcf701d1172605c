#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_host_info
short_description: Read Mackerel hosts, their status and the state of each of their monitors
version_added: 0.2.0
description:
  - Reads each host (C(GET /api/v0/hosts/<id>)), including its status (V(working), V(standby), V(maintenance),
    V(poweroff)) and roles. Unknown ids fail the task and are all named in the message.
  - Or, with O(service) (and O(role)), lists the hosts of a service (or of its roles) with one request
    (C(GET /api/v0/hosts?service=...&role=...)), whatever their status but retired (the API lists only working and
    standby hosts unless asked; the collection asks for all four).
  - With O(monitored_statuses=true), it also reads each monitor's state for the host
    (C(GET /api/v0/hosts/<id>/monitored-statuses)). RV(failing) then lists the monitors that are not OK, which is
    what the change window's verify step waits on.
  - Read-only.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.mackerel
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_mackerel
  - alertops.core.concurrency
options:
  id:
    description: Host ids. Required unless O(service) is given.
    type: list
    elements: str
  service:
    description: List the hosts of this Mackerel service instead of reading O(id).
    type: str
    version_added: 0.3.0
  role:
    description: With O(service), only the hosts of these roles of the service (role names, without the service).
    type: list
    elements: str
    version_added: 0.3.0
  monitored_statuses:
    description: Also read the state of every monitor of each host.
    type: bool
    default: false
seealso:
  - module: alertops.core.mackerel_host
"""

EXAMPLES = r"""
- name: Are the hosts of the change healthy again?
  alertops.core.mackerel_host_info:
    id: [2vJ965ygiXf, 2tFrtykgMib]
    monitored_statuses: true
  register: hosts_health

- name: Every host of the web service's db role
  alertops.core.mackerel_host_info:
    service: web
    role: [db]
  register: db_hosts

- name: Show the monitors that still fail
  ansible.builtin.debug:
    msg: "{{ hosts_health.failing | map(attribute='monitorId') | list }}"
"""

RETURN = r"""
hosts:
  description: The host objects as Mackerel returns them, with C(monitored_statuses) when asked for.
  returned: always
  type: list
  elements: dict
failing:
  description: C({host, monitorId, status}) for every monitor that is not OK (with O(monitored_statuses=true)).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    client = module.client(concurrency=p['concurrency'])
    if p['service']:
        hosts = client.list_hosts(p['service'], [mackerel.check_name(r, 'role') for r in p['role'] or []])
        if p['monitored_statuses'] and hosts:
            hosts = client.hosts_info([h['id'] for h in hosts], monitored=True, concurrency=p['concurrency'])
    else:
        if not p['id']:
            raise ValidationError('option id is an empty list')
        hosts = client.hosts_info(p['id'], monitored=p['monitored_statuses'], concurrency=p['concurrency'])
    failing = [dict(host=h['id'], monitorId=s.get('monitorId'), status=s.get('status'))
               for h in hosts for s in h.get('monitored_statuses') or [] if s.get('status') not in ('OK', None)]
    return dict(changed=False, hosts=hosts, failing=failing)


def main():
    module = AlertOpsModule(mackerel.MackerelClient, groups=('concurrency',), argument_spec=dict(
        id=dict(type='list', elements='str'),
        service=dict(type='str'),
        role=dict(type='list', elements='str'),
        monitored_statuses=dict(type='bool', default=False),
    ), required_one_of=[('id', 'service')], mutually_exclusive=[('id', 'service')],
        required_by={'role': 'service'})
    module.run(run)


if __name__ == '__main__':
    main()
