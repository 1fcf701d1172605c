#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: log360_info
short_description: Read Log360 / EventLog Analyzer metadata - product, alert profiles, log sources, log types, log fields
version_added: 0.2.0
description:
  - Reads the ids that O(alertops.core.log360_search#module:profile_ids),
    O(alertops.core.log360_search#module:log_source_ids) and O(alertops.core.log360_search#module:log_types) need, so a
    playbook can turn "the Failed logons profile" into its id.
  - Read-only; runs normally in check mode.
  - Each record has C(id), C(name) and the server's own record as C(raw); alert profiles also C(type)
    (V(profile) or V(correlation) on a server that answers in the API v1 shape), C(severity) and C(status); log
    sources C(ip_address) and C(group); log fields C(type) and C(log_type). API v1 log type and log field records
    are read in both documented forms, Log360's C(client_value) (the name) and C(server_value) (the id) and
    EventLog Analyzer's C(description) and C(id).
  - The API v2 paths of these calls are not in the vendor's public documentation. The collection uses
    C(GET /api/v2/meta/product), C(GET /api/v2/alerts/profiles), C(GET /api/v2/log-sources),
    C(GET /api/v2/meta/log-types) and C(GET /api/v2/meta/log-fields) (inferred), reads the answer in the v2 envelope
    or in the documented API v1 shapes, and when a v2 path answers 404 it tries the documented v1 call once
    (C(POST /RestAPI/v1/meta/alert_profiles), C(GET /RestAPI/v1/meta/log_sources), ..., and for the product
    C(GET /RestAPI/v1/product/details), documented to answer only C(os_type)). O(api_paths) points any call at
    another path. C(GET /api/v2/meta/log-fields) is documented on the v2 metadata page.
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.log360
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_log360
options:
  gather:
    description: What to read. One request each (log sources from a v1 server are paged by 100).
    type: list
    elements: str
    choices: [product, alert_profiles, log_sources, log_types, log_fields]
    default: [product, alert_profiles, log_sources, log_types, log_fields]
  names:
    description:
      - Keep only records whose name matches one of these patterns (case-insensitive; shell-style wildcards
        V(*) and V(?)). Applies to every gathered list, not to RV(product).
    type: list
    elements: str
  api_paths:
    description:
      - Override the path of a call, keyed by C(product), C(alert_profiles), C(log_sources), C(log_types) or
        C(log_fields) (see the description for the defaults). An overridden path gets no v1 fallback.
    type: dict
seealso:
  - module: alertops.core.log360_search
"""

EXAMPLES = r"""
- name: The id of the Failed logons alert profile
  alertops.core.log360_info:
    gather: [alert_profiles]
    names: [Failed logons]
  register: profiles

- name: Search its alerts
  alertops.core.log360_search:
    kind: alerts
    profile_ids: "{{ profiles.alert_profiles | map(attribute='id') | list }}"
    start_time: -24h
    wait: true

- name: Every Windows log source and the product version
  alertops.core.log360_info:
    gather: [product, log_sources]
    names: ["dc*", "web-*"]
  register: meta
"""

RETURN = r"""
product:
  description:
    - What the server says of itself, each key only when the server gives it - C(name), C(version), C(build),
      C(os_type) (the only field of the documented v1 Get Product Details) - and C(raw), the server's object.
  returned: when gathered
  type: dict
  sample: {"os_type": "windows", "raw": {"os_type": "windows"}}
alert_profiles:
  description: Alert profiles (C(id), C(name), C(type), C(severity), C(status), C(raw)).
  returned: when gathered
  type: list
  elements: dict
log_sources:
  description: Log sources (C(id), C(name), C(ip_address), C(group), C(raw)).
  returned: when gathered
  type: list
  elements: dict
log_types:
  description: Log types (C(id), C(name), C(raw)).
  returned: when gathered
  type: list
  elements: dict
log_fields:
  description: Log fields (C(id), C(name), C(type), C(log_type), C(raw)).
  returned: when gathered
  type: list
  elements: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import log360
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule


def run(module):
    p = module.params
    client = module.client(api_paths=p['api_paths'])
    result = dict(changed=False)
    for name in dict.fromkeys(p['gather'] or []):
        records = client.metadata(name)
        result[name] = records if name == 'product' else log360.filter_names(records, p['names'])
    return result


def main():
    module = AlertOpsModule(log360.Log360Client, argument_spec=dict(
        gather=dict(type='list', elements='str', choices=list(log360.META), default=list(log360.META)),
        names=dict(type='list', elements='str'),
        api_paths=dict(type='dict'),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
