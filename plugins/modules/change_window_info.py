#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: change_window_info
short_description: Read a change window's recorded state, phase and audit back from its state store
version_added: 0.3.0
description:
  - An action plugin that runs on the controller, whatever host the task targets. It reads what the
    C(alertops.core.maintenance_window) role recorded for one change, from the C(file) store (O(state_dir)) or
    the C(postgresql) store (the database of the environment variable E(ALERTOPS_STATE_URL)), so that an AWX job
    can attach the audit to a ticket or a person can fetch it later, in a job or on a laptop.
  - With O(html_dest), the HTML audit report is written to that path (mode 0640). Nothing else is written; the
    store is only read.
  - A change that has no state returns RV(found=false).
options:
  change_id:
    description: The change id, C(^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$).
    type: raw
    required: true
  state_store:
    description:
      - V(file) reads O(state_dir) (and O(report_dir) for the audit); V(postgresql) reads the database of the
        environment variable E(ALERTOPS_STATE_URL) (a secret, never an option; needs C(psycopg)).
    type: str
    choices: [file, postgresql]
    default: file
  state_dir:
    description: With O(state_store=file), the role's C(maintenance_window_state_dir).
    type: path
    default: ~/.local/state/alertops/maintenance_window
  report_dir:
    description: With O(state_store=file), where the audit files are; default O(state_dir).
    type: path
  html_dest:
    description:
      - Write the change's HTML audit report to this file (a missing directory is created with mode 0750). A
        change whose end has not recorded a report yet fails, naming the change.
    type: path
attributes:
  check_mode:
    support: full
    details: Reads as usual; the HTML report is not written (C(changed) says whether it would be).
  diff_mode:
    support: none
    details: Nothing to show.
  action:
    description: Runs on the controller.
    support: full
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.attributes
"""

EXAMPLES = r"""
# In AWX, with the shared store: state_store: postgresql, and ALERTOPS_STATE_URL from the "alertops state store"
# credential of the job template.
- name: Read change CHG-1234 back from its state store
  alertops.core.change_window_info:
    change_id: CHG-1234
    state_store: "{{ maintenance_window_state_store | default('file') }}"
  register: change

- name: Say where the change stands
  ansible.builtin.debug:
    msg: "CHG-1234: {{ change.phase if change.found else 'no recorded state' }}"

- name: Write its HTML audit report where the job keeps its artifacts
  alertops.core.change_window_info:
    change_id: CHG-1234
    state_store: "{{ maintenance_window_state_store | default('file') }}"
    html_dest: /tmp/CHG-1234-audit.html
  when: change.audit is not none
"""

RETURN = r"""
found:
  description: Whether the change has a recorded state.
  returned: always
  type: bool
change_id:
  description: The change id.
  returned: always
  type: str
phase:
  description: The change's phase (C(begun), C(suppressed), C(ending), C(undone), C(closed), C(verified), C(ended),
    C(cancelled)); null when not found.
  returned: always
  type: str
state:
  description: The recorded state document (baseline, scope, window, suppression record, lifecycle).
  returned: always
  type: dict
audit:
  description: The audit JSON (what was closed, left open and why, the suppression and verify sections); null before
    the change's end recorded one.
  returned: always
  type: dict
html_dest:
  description: Where the HTML report was written (O(html_dest)).
  returned: when O(html_dest) is given
  type: str
store:
  description: Where the state was read (a file path, or the database URL without its password).
  returned: always
  type: str
"""
