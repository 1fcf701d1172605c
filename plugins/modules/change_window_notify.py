#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: change_window_notify
short_description: Tell Slack, Microsoft Teams or a JSON webhook what a phase of a change window did (used by the maintenance_window role)
version_added: 0.3.0
description:
  - An action plugin that runs on the controller. The C(alertops.core.maintenance_window) role calls it as the last
    task of each phase (C(maintenance_window_notify)). It tells each destination the phase's console summary, word
    for word, and the numbers behind it (closed, closed by others, left open by reason, suppression in place, the
    verify verdict, the audit's path or O(audit_url)).
  - The decisions are in C(plugins/plugin_utils/notify.py). Slack gets C({"text", "blocks"}); Microsoft Teams an
    Adaptive Card in a C(message) (what a Teams Workflows webhook takes; the retired Office 365 connector webhooks
    take it too); V(webhook) a plain JSON document.
  - What was sent is recorded per destination and event, as a digest of the payload, in the change's state file
    (under the change's lock, through the store of M(alertops.core.change_window)), so a rerun that changes nothing
    sends nothing, and a rerun whose message changed sends the new one.
  - Each message is one POST, bounded by the destination's C(timeout), with TLS certificates verified. A redirect is
    never followed (to another host or the same one); it is a failed notification. A timeout is not sent again in
    the same run (it may have arrived); the next run of the phase decides again.
  - A failed notification is a warning and never fails the task, unless the destination is C(required). The URL is
    a secret, so it is in no result, warning or error message (a destination is shown as
    C(<name> (<kind>, <scheme>://<host>))), nor in the state.
  - In check mode nothing is sent and nothing written; RV(would_send) says who would be told.
options:
  check_only:
    description: Only check O(destinations) (the role does it before a phase sends anything) and return them without URLs.
    type: bool
    default: false
  event:
    description: What happened. Required unless O(check_only).
    type: str
    choices: [begin, extend, plan, end, cancel]
  change_id:
    description: The change id. Required unless O(check_only).
    type: raw
  state_dir:
    description: Directory of the change's state file. Required unless O(check_only).
    type: path
  state_store:
    description:
      - Where the change's state (and so the record of what was sent) lives. V(file) in O(state_dir); V(postgresql)
        in the database of the environment variable E(ALERTOPS_STATE_URL). See the role's
        C(maintenance_window_state_store).
    type: str
    choices: [file, postgresql]
    default: file
  destinations:
    description:
      - The role's C(maintenance_window_notify), a list of C({name, kind, url, required, timeout, events}); see the
        role's documentation. C(kind) is V(slack), V(teams) or V(webhook); C(timeout) defaults to 10 seconds (at most
        120); C(events) to all of them; C(name) to C(<kind>-<n>).
    type: list
    elements: raw
    required: true
  results:
    description:
      - The phase's registered results, untouched, keyed C(begin) (begin's baseline step), C(suppress) (begin's
        suppression record step), C(plan) (phase plan's plan step), C(extend) (extend's record step), C(record)
        (end's record step), C(undo) (the suppression's undo), C(verify), C(cancel).
    type: dict
    default: {}
  audit_url:
    description: Where the audit report is published, linked instead of its path on the controller.
    type: str
    default: ""
author:
  - alertops.core contributors (@alertops)
extends_documentation_fragment:
  - alertops.core.attributes
attributes:
  check_mode:
    support: full
    details: Sends nothing and writes nothing; says who would be told.
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
- name: Check the destinations of a change window (sends nothing)
  alertops.core.change_window_notify:
    check_only: true
    destinations:
      - name: ops-chat
        kind: slack
        url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
      - kind: webhook
        url: https://itsm.example.com/hooks/change-window
        required: true
        events: [end, cancel]
  register: checked
"""

RETURN = r"""
sent:
  description: The destinations told of the event (C(name), C(kind), C(event)).
  returned: when not check_only
  type: list
  elements: dict
not_sent:
  description:
    - The destinations not told, with C(why) (not one of their events; the same message was sent before; the phase
      recorded nothing to tell).
  returned: when not check_only
  type: list
  elements: dict
failures:
  description: The destinations that could not be told (C(name), C(kind), C(required), C(error)); each is a warning too.
  returned: when not check_only
  type: list
  elements: dict
would_send:
  description: In check mode, the destinations that would be told.
  returned: check mode
  type: list
  elements: dict
title:
  description: The message's first line, e.g. C(CHG-1234 - change window ended).
  returned: when something was told or would be
  type: str
destinations:
  description: With O(check_only), the destinations as checked (C(name), C(kind), C(required), C(events)), without URLs.
  returned: check_only
  type: list
  elements: dict
msg:
  description: Who was told, who was skipped and why, who failed.
  returned: always
  type: str
"""
