#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: change_window
short_description: The state and the decision of a change window (used by the maintenance_window role)
version_added: 0.2.0
description:
  - An action plugin that runs on the controller, whatever host the task targets. It keeps the state of one change
    (C(<state_dir>/<change_id>.state.json); a 0.2.0 C(<change_id>.json) is read in place) and decides which alerts
    the change caused; it sends nothing to any vendor.
    The C(alertops.core.maintenance_window) role lists alerts with the info modules, hands them to this action, and
    closes with C(alertops.core.mackerel_alert) and C(alertops.core.opsramp_alert), so C(module_defaults) and the
    action groups apply to every request.
  - The decision is C(plugins/plugin_utils/change_window.py). An alert was caused by the change when it is in the
    scope recorded at C(begin), opened inside the window (from its begin, included, to its end, excluded, to the
    second) and not in the baseline.
  - The state file is written atomically (a temporary file in the same directory, then a rename) with mode C(0600),
    only when its content changes. A missing state directory is created with mode C(0700); the mode of an existing
    directory is never changed. A lock file C(<change_id>.lock) held from O(step=start) to O(step=begin),
    O(step=record) or O(step=release) stops a concurrent run of the same change; a lock left by a run that died is
    taken over.
  - A truncated or corrupt state file fails with a message naming the file and how to recover.
  - In check mode nothing is written (no state, no lock, no report).
options:
  step:
    description:
      - V(start) checks the change id, the scope (and with O(phase=end) loads the state, applies the recorded scope and
        fixes the window's end), takes the lock and returns what the listings must ask for.
      - V(begin) records the baseline from O(listings) and writes the state.
      - V(plan) decides from O(listings) what to close and writes the window's end and the writes about to be sent to
        the state before the first write.
      - V(record) folds the writing modules' results (O(results)) into the state, writes the audit JSON and returns
        the summary.
      - V(release) releases the lock.
      - V(cancel) records a change that was called off as cancelled (after its suppression was undone) and releases
        the lock.
      - V(sweep) lists the changes of O(state_dir) whose suppression outlived its duration while their end never ran,
        takes each one's lock and returns them (RV(expired)); nothing is written.
      - V(sweep_report), after the sweep's undo, reads the record of each change of O(swept), releases its lock and
        returns what was removed (RV(removed)) and what is still in place (RV(still_in_place)).
    type: str
    required: true
    choices: [start, begin, plan, record, release, cancel, sweep, sweep_report]
  phase:
    description: With O(step=start), the role's phase (V(begin), V(plan), V(extend), V(end) or V(cancel)).
    type: str
    choices: [begin, end, cancel, plan, extend]
  change_id:
    description: The change id, C(^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$).
    type: raw
    required: true
  state_dir:
    description: Directory of the state file and its lock, on the controller.
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
    description: Directory of C(<change_id>-audit.json) (O(step=record)); default O(state_dir).
    type: path
  platforms:
    description: Platforms of the change.
    type: list
    elements: str
    default: [mackerel, opsramp, log360]
  scope:
    description:
      - C(mackerel_host_ids), C(mackerel_monitor_ids) (lists) and C(opsramp_query) (dict). At O(phase=begin) each
        platform that can be written to needs its scope unless O(scope_all=true); at O(phase=end) a given value must
        equal the recorded one (an omitted one takes the recorded value).
    type: dict
    default: {}
  scope_all:
    description: At O(phase=begin), allow a platform without scope (every alert of the platform is in the change).
    type: bool
    default: false
  force_begin:
    description: At O(phase=begin), record a new baseline even when the change already has one.
    type: bool
    default: false
  baseline:
    description: The state of phase begin handed in (AWX C(set_stats)) when there is no state file.
    type: dict
    default: {}
  end_time:
    description: The window's end (ISO 8601) when the state has none yet; must equal a stored end.
    type: str
    default: ""
  opsramp_action:
    description: With O(step=plan) and O(step=record), what is done to the OpsRamp alerts the change caused
      (Mackerel alerts are closed).
    type: str
    choices: [close, acknowledge]
    default: close
    version_added: 0.3.0
  reason:
    description:
      - "With O(step=plan), the close reason; RV(reason) returns it prefixed with C(<change_id>: ), the prefix by
        which a later run recognises a close of this change."
      - With O(step=record), the same reason (the role passes it to both). Every close and acknowledgement in the
        state and the audit records its reason, the one the vendor stored where its answer says it, else the one sent.
    type: str
    default: closed after the change window
    version_added: 0.3.0
  kept:
    description: With O(step=begin), RV(kept) of O(step=start) (the begin of an earlier run stands; nothing is written).
    type: bool
    default: false
    version_added: 0.3.0
  state:
    description: The state returned by the previous step.
    type: dict
  listings:
    description: Per platform, the registered result of its info module (or a list of alerts).
    type: dict
    default: {}
  results:
    description: Per platform, the registered result of its writing module (O(step=record)).
    type: dict
    default: {}
  plan:
    description: The plan returned by O(step=plan) (O(step=record)).
    type: dict
  window:
    description: The window returned by O(step=start).
    type: dict
  handed_in:
    description: From O(step=start), whether the baseline was handed in rather than read from a state file.
    type: bool
    default: false
  end_source:
    description: From O(step=start), where the window's end came from (V(state), V(maintenance_window_end_time), V(now)).
    type: str
    default: state
  notes:
    description: With O(step=record), lines the HTML report shows in its Suppression section.
    type: list
    elements: str
    default: []
  names:
    description: With O(step=begin), the Mackerel host names O(step=start) read (its result C(names)), so that the
      baseline's alerts name their hosts in the audit as the window's alerts do.
    type: dict
    default: {}
    version_added: 0.3.0
  suppress:
    description: With O(step=start) and O(phase=end), whether the role was asked to remove suppression (a recorded,
      not yet removed suppression is removed all the same).
    type: bool
    default: false
    version_added: 0.3.0
  verify:
    description: With O(step=start) and O(step=record), whether the verify step follows (else O(step=record) ends
      the change).
    type: bool
    default: false
    version_added: 0.3.0
  swept:
    description: With O(step=sweep_report), the change ids the sweep undid (RV(expired)).
    type: list
    elements: str
    default: []
    version_added: 0.3.0
  scope_sources:
    description: With O(step=begin), RV(scope_sources) of O(step=start) (how each Mackerel host id came into scope).
    type: dict
    default: {}
    version_added: 0.3.0
  approve:
    description: With O(step=plan), decide for an approval (phase plan) and write the plan; send nothing.
    type: bool
    default: false
    version_added: 0.3.0
  probe:
    description:
      - With O(step=start) and O(phase=begin), read each platform once before anything is written (the Mackerel
        hosts in scope, one OpsRamp alert of the scope query, the Log360 jobs), so that a platform without a working
        connection, or an unknown host id, fails begin rather than the end after the change.
    type: bool
    default: true
    version_added: 0.3.0
attributes:
  check_mode:
    support: full
    details: Decides as usual and writes nothing (no state file, no lock, no report).
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
seealso:
  - module: alertops.core.mackerel_alert_info
  - module: alertops.core.opsramp_alert_info
  - module: alertops.core.mackerel_alert
  - module: alertops.core.opsramp_alert
"""

EXAMPLES = r"""
# The alertops.core.maintenance_window role is the intended user; its tasks/end.yml shows the whole flow.
- name: Start the end phase of CHG-1234 (fails before any request when a rule is broken)
  alertops.core.change_window:
    step: start
    phase: end
    change_id: CHG-1234
    state_dir: ~/.local/state/alertops/maintenance_window
  register: start
  run_once: true
  delegate_to: localhost

- name: List the Mackerel alerts opened since the window began
  alertops.core.mackerel_alert_info:
    with_closed: true
    opened_after: "{{ start.window.begin }}"
  register: mackerel_listing
  run_once: true
  delegate_to: localhost

- name: Decide
  alertops.core.change_window:
    step: plan
    change_id: CHG-1234
    state_dir: ~/.local/state/alertops/maintenance_window
    platforms: [mackerel]
    state: "{{ start.state }}"
    window: "{{ start.window }}"
    listings:
      mackerel: "{{ mackerel_listing }}"
  register: plan
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
state:
  description: The change's state (as in the state file).
  returned: always except for step release
  type: dict
state_file:
  description: Path of the state file.
  returned: step start and begin
  type: str
window:
  description: C(begin) and C(end) of the window, ISO 8601 UTC.
  returned: step start
  type: dict
scope:
  description: The scope that applies (normalised).
  returned: step start
  type: dict
listing:
  description: What the info modules must ask for (C(mackerel.opened_after), C(mackerel.with_closed), C(opsramp.query)).
  returned: step start (unless begin kept an existing baseline)
  type: dict
kept:
  description: Phase begin found a baseline of this change and kept it.
  returned: step start with phase begin
  type: bool
plan:
  description: C(to_act), C(would_act), C(closed), C(acknowledged), C(closed_by_others), C(left_open) (each with C(why)),
    C(log360_alerts).
  returned: step plan
  type: dict
audit:
  description: The audit document written to C(<report_dir>/<change_id>-audit.json).
  returned: step record
  type: dict
summary:
  description: The one-paragraph summary (the report shows the same words and numbers).
  returned: step record
  type: str
steps:
  description: With O(step=start) and O(phase=end) or V(cancel), what the run still has to do, in order (V(undo),
    V(close), V(verify)), read from the recorded lifecycle.
  returned: step start with phase end or cancel
  type: list
  elements: str
  sample: [undo, close, verify]
phase:
  description: The change's recorded lifecycle phase (V(begun), V(suppressed), V(planned), V(ending), V(undone),
    V(closed), V(verified), V(ended), V(cancelled)).
  returned: step start
  type: str
expired:
  description: With O(step=sweep), the changes whose suppression the sweep undoes (C(change_id), C(start)).
  returned: step sweep
  type: list
  elements: dict
reason:
  description: "The close reason to send (C(<change_id>: <reason>))."
  returned: step plan
  type: str
  sample: "CHG-1234: closed after the change window"
write_states:
  description: Per platform, the writing module's C(state) for the action taken.
  returned: step plan
  type: dict
  sample: {mackerel: closed, opsramp: acknowledged}
msg:
  description: What the step did, in one line (O(step=begin), O(step=cancel), O(step=sweep)).
  returned: step begin, cancel and sweep
  type: str
hosts_to_suppress:
  description:
    - With O(step=begin), the Mackerel hosts that suppression puts into maintenance. These are the hosts named in
      the scope, not those its services and roles added (their downtime silences those).
  returned: step begin
  type: list
  elements: str
scope_sources:
  description:
    - With O(step=start) and O(phase=begin), how each Mackerel host id came into scope (V(given), V(service web),
      V(role web:db)); the state and the audit record it.
  returned: step start with phase begin
  type: dict
  sample: {2vJ965ygiXf: [given], 2tFrtykgMib: ["service web"]}
removed:
  description: With O(step=sweep_report), the swept changes whose suppression is gone.
  returned: step sweep_report
  type: list
  elements: str
still_in_place:
  description: With O(step=sweep_report), the swept changes whose suppression is still (partly) in place, with what.
  returned: step sweep_report
  type: list
  elements: str
failures:
  description: "Writes that failed (C(<platform> <id>: <message>))"
  returned: step record
  type: list
  elements: str
"""
