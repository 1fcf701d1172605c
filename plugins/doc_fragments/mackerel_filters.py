# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# GENERATED from plugins/module_utils/options.py by .ci/generate-doc-fragments: do not edit by hand.

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
---
options:
  host_id:
    description:
    - Only alerts of one of these hosts (only connectivity, host, check and anomalyDetection alerts carry a host).
    elements: str
    type: list
  monitor_id:
    description:
    - Only alerts raised by one of these monitors.
    elements: str
    type: list
  opened_after:
    description:
    - Only alerts opened at or after this time (inclusive).
    - ISO 8601 with a zone (V(2026-11-23T10:00:00Z), V(2026-11-23T19:00:00+09:00); an offset is at most 18:00).
      A date and time without a zone is refused (add V(Z) for UTC); a date alone (V(2026-11-23) or V(20261123))
      is that day at 00:00 UTC. Epoch seconds up to V(253402300799) (9999-12-31T23:59:59Z) or epoch milliseconds
      from V(1000000000000) (2001-09-09T01:46:40Z); a number between the two is refused. Or relative (V(now), V(-24h),
      V(-30m), V(-7d)).
    type: str
  opened_before:
    description:
    - Only alerts opened at or before this time (inclusive). Same formats as O(opened_after).
    type: str
  status:
    description:
    - Only alerts with one of these statuses.
    - V(OK), V(CRITICAL), V(WARNING), V(UNKNOWN), in any case. The lookup's normalised words map one to one - V(critical),
      V(warning), V(unknown), and V(info) (= V(OK), a closed alert). A single word is a list of one.
    elements: str
    type: list
  type:
    description:
    - Only alerts of monitors of one of these types.
    - V(connectivity), V(host), V(service), V(external), V(check), V(expression), V(anomalyDetection), V(query),
      in any case (V(anomaly_detection) too). A single word is a list of one.
    elements: str
    type: list
"""
