#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: mackerel_host
short_description: Set the status of Mackerel hosts (maintenance, working, ...) in bulk, returning each previous status
version_added: 0.2.0
description:
  - Sets hosts to V(working), V(standby), V(maintenance) or V(poweroff). Hosts in V(maintenance) or V(poweroff) are
    not monitored, so Mackerel generates no alerts for them.
  - Every host is read first (C(GET /api/v0/hosts/<id>)). Unknown or retired hosts fail the task before anything is
    written, and the read gives each host's previous status, which is returned so that it can be restored later.
  - The changes go out through C(POST /api/v0/hosts/bulk-update-statuses). There is one call per target status,
    with at most 30 ids per call, and only for hosts whose status differs. A rerun sends no write.
  - To restore recorded statuses, pass them as O(statuses). Each host goes back to its own status, still in bulk.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.mackerel
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_mackerel
  - alertops.core.concurrency
attributes:
  check_mode:
    support: full
    details: Reads the hosts and reports what would change; sends no write.
  diff_mode:
    support: full
    details: Shows each changed host's status before and after.
options:
  id:
    description: Host ids to set to O(status). Mutually exclusive with O(statuses).
    type: list
    elements: str
  status:
    description: The status to set the hosts in O(id) to.
    type: str
    choices: [working, standby, maintenance, poweroff]
  statuses:
    description:
      - "A status per host, C({host id: status}), for example the RV(previous) a maintenance run returned."
    type: dict
  gone:
    description:
      - What to do with a host that is retired or no longer exists.
      - V(fail) fails the task before any status is set.
      - V(skip) sets the others and lists the gone ones in RV(skipped_hosts) (a restore after a change, when a host was
        retired during it).
    type: str
    choices: [fail, skip]
    default: fail
    version_added: 0.3.0
seealso:
  - module: alertops.core.mackerel_downtime
"""

EXAMPLES = r"""
- name: Put the hosts of a change into maintenance (no alerts while they are worked on)
  alertops.core.mackerel_host:
    id: [2vJ965ygiXf, 2tFrtykgMib]
    status: maintenance
  register: maintenance

- name: Afterwards, give every host back the status it had before
  alertops.core.mackerel_host:
    statuses: "{{ maintenance.previous }}"
"""

RETURN = r"""
hosts:
  description: One entry per host, in input order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Host id.
      type: str
    name:
      description: The host's display name (or name).
      type: str
    roles:
      description: "The host's roles, C({service: [role, ...]})."
      type: dict
    changed:
      description: Whether its status was (or in check mode would be) changed.
      type: bool
    before:
      description: C({status}) before.
      type: dict
    after:
      description: C({status}) after.
      type: dict
skipped_hosts:
  description: With O(gone=skip), the hosts left out because they are retired or no longer exist, each with why.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "2vJ965ygiXf", "why": "the host is retired"}]
previous:
  description: "Each host's status before this task, C({host id: status}); pass it to O(statuses) to restore them."
  returned: always
  type: dict
  sample: {"2vJ965ygiXf": "working", "2tFrtykgMib": "standby"}
diff:
  description: "C({host id: status}) before and after, for the hosts that changed."
  returned: in diff mode
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import mackerel
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    if p['statuses'] is not None:
        wanted = dict((str(k), v) for k, v in p['statuses'].items())
    else:
        wanted = dict((i, p['status']) for i in p['id'])
    if not wanted:
        raise ValidationError('option %s is empty' % ('statuses' if p['statuses'] is not None else 'id'))
    client = module.client(concurrency=p['concurrency'])
    hosts = client.set_host_statuses(wanted, check_mode=module.check_mode, concurrency=p['concurrency'], gone=p['gone'])
    result = dict(changed=any(h['changed'] for h in hosts), hosts=hosts, skipped_hosts=client.skipped_hosts,
                  previous=dict((h['id'], h['before']['status']) for h in hosts))
    result['diff'] = {'before': dict((h['id'], h['before']['status']) for h in hosts if h['changed']),   # diff mode only
                      'after': dict((h['id'], h['after']['status']) for h in hosts if h['changed'])}
    return result


def main():
    module = AlertOpsModule(mackerel.MackerelClient, groups=('concurrency',), argument_spec=dict(
        id=dict(type='list', elements='str'),
        status=dict(type='str', choices=list(mackerel.HOST_STATUSES)),
        statuses=dict(type='dict'),
        gone=dict(type='str', default='fail', choices=['fail', 'skip']),
    ), mutually_exclusive=[('statuses', 'id'), ('statuses', 'status')], required_one_of=[('id', 'statuses')],
        required_together=[('id', 'status')])
    module.run(run)


if __name__ == '__main__':
    main()
