#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: change_window_suppress
short_description: The suppression record and the verify step of a change window (used by the maintenance_window role)
version_added: 0.2.0
description:
  - An action plugin that runs on the controller. It keeps what the C(alertops.core.maintenance_window) role created
    to silence alerts during a change (Mackerel downtime, hosts in maintenance with each previous status, OpsRamp
    scheduled maintenance, graph annotations) in the change's state file, under C(suppression). It uses the store of
    M(alertops.core.change_window), so writes are atomic, mode C(0600) and locked.
  - The decisions are in C(plugins/plugin_utils/suppression.py). The role creates and removes the suppression with
    M(alertops.core.mackerel_downtime), M(alertops.core.mackerel_host), M(alertops.core.opsramp_maintenance) and
    M(alertops.core.mackerel_annotation).
  - O(step=verify) polls the scope with the read-only info modules until nothing fails or O(timeout) has passed. The
    task's C(module_defaults) apply to those reads. It reports what is still failing, and it merges C(verify) and
    C(suppression) into the audit JSON.
  - In check mode nothing is written.
options:
  step:
    description:
      - V(begin_plan) decides what begin creates and writes each host's previous status before any write.
      - V(begin_record) records what the modules created; a planned object the record has no id for (a create whose
        answer was lost or unreadable) is looked up by its name and recorded as it exists.
      - V(end_plan) says what end must undo (exactly what the record holds).
      - V(end_record) records what the undo did, and what is still in place, in the state and the audit.
      - V(verify) waits until the scope is healthy or O(timeout) has passed.
      - "V(extend_plan) (phase extend) reads the latest OpsRamp window of the change, decides the new end and what to
        send (the downtimes rewritten with it; the OpsRamp window moved while Pending, else a follow-on window
        C(<change_id> #N)) and records the target and the follow-on's name before anything is sent."
      - V(extend_record) records what the extend's writes did; the new end becomes the suppression's only when every
        write succeeded, so a rerun after a half-failed extend continues with the same window.
    type: str
    required: true
    choices: [begin_plan, begin_record, end_plan, end_record, verify, extend_plan, extend_record]
  change_id:
    description: The change id.
    type: raw
    required: true
  state_dir:
    description: Directory of the change's state file.
    type: path
    required: true
  state_store:
    description:
      - Where the state, the lock and the audit live. V(file) in O(state_dir); V(postgresql) in the PostgreSQL
        database of the environment variable E(ALERTOPS_STATE_URL) (a row per change with a version, every write a
        compare-and-set under the change's advisory lock; needs C(psycopg)). See the role's C(maintenance_window_state_store).
    type: str
    choices: [file, postgresql]
    default: file
    version_added: 0.3.0
  report_dir:
    description: Directory of C(<change_id>-audit.json); default O(state_dir).
    type: path
  platforms:
    description: Platforms of the change.
    type: list
    elements: str
    default: [mackerel, opsramp, log360]
  scope:
    description: The change's scope (as M(alertops.core.change_window) records it).
    type: dict
    default: {}
  options:
    description:
      - The role's suppression settings. These are C(duration), C(services), C(roles), C(opsramp_hosts),
        C(annotation_services) and C(verify_timeout); with O(step=extend_plan) also C(until).
    type: dict
    default: {}
  begin_at:
    description: The window's begin (ISO 8601).
    type: str
  end_at:
    description: The window's end (ISO 8601), for the annotation's end.
    type: str
  state:
    description: The change's state when there is no state file (a handed-in baseline).
    type: dict
  host_preview:
    description: A check-mode M(alertops.core.mackerel_host) result, which holds each host's current status.
    type: dict
    default: {}
  results:
    description: The registered results of the creating or removing modules, keyed C(downtime), C(hosts), C(opsramp), C(annotations).
    type: dict
    default: {}
  record:
    description: The suppression record to update.
    type: dict
  timeout:
    description: O(step=verify), seconds to wait for the scope to be healthy.
    type: int
    default: 0
  interval:
    description: O(step=verify), seconds between polls.
    type: int
    default: 10
  phase:
    description:
      - With O(step=end_record), the phase that undoes the suppression. V(end) records the change as undone,
        V(cancel) as cancelled, V(sweep) records the undo and leaves the phase as it is (the change may still end).
    type: str
    choices: [end, cancel, sweep]
    default: end
    version_added: 0.3.0
  notes:
    description: With O(step=extend_record), lines to add to the message (what O(step=extend_plan) noted).
    type: list
    elements: str
    default: []
    version_added: 0.3.0
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.attributes
  - alertops.core.concurrency
attributes:
  check_mode:
    support: full
    details: Decides and reads; writes no state and no report.
  diff_mode:
    support: none
    details: No diff.
  action:
    description: Runs on the controller.
    support: full
seealso:
  - module: alertops.core.change_window
"""

EXAMPLES = r"""
- name: What the suppression of CHG-1234 still holds
  alertops.core.change_window_suppress:
    step: end_plan
    change_id: CHG-1234
    state_dir: /var/lib/alertops/maintenance_window
  register: undo
"""

RETURN = r"""
plan:
  description: What to create (V(begin_plan)) or undo (V(end_plan)).
  returned: begin_plan, end_plan
  type: dict
record:
  description: The suppression record as stored in the state.
  returned: always
  type: dict
in_place:
  description: Human-readable lines naming the suppression that still exists.
  returned: begin_record, end_record
  type: list
  elements: str
healthy:
  description: O(step=verify), whether nothing in scope fails any more.
  returned: verify
  type: bool
unverifiable:
  description:
    - O(step=verify), the Mackerel monitors in scope whose health cannot be read (C(platform), C(kind), C(id),
      C(name), C(type), C(why)); they are not counted as healthy or failing.
    - Service, expression and query monitors have no per-host state, and an alert a downtime suppressed is never
      raised afterwards (Mackerel's downtime guide); an external monitor shows only through an open alert.
  returned: verify
  type: list
  elements: dict
  version_added: 0.3.0
failing:
  description: O(step=verify), what still fails (C(platform), C(kind), C(id), C(host), C(monitor), C(status), C(title)).
  returned: verify
  type: list
  elements: dict
summary:
  description: O(step=end_record), one line for the report saying what silenced the scope and whether it is gone.
  returned: end_record
  type: str
msg:
  description: A one-line summary.
  returned: always
  type: str
"""
