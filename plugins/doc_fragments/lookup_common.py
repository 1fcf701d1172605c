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
  ca_path:
    description:
    - 'PEM bundle of CA certificates used to verify the server B(instead of) the system trust store: with it set,
      a server whose certificate a public CA signed is no longer trusted for this platform (concatenate the system
      bundle and the internal CA into one file to trust both). The per-platform variables let an on-premises server
      behind an internal CA and a SaaS endpoint run in one play.'
    - If not set, the variable of the platform is used (E(LOG360_CA_PATH), E(MACKEREL_CA_PATH), E(OPSRAMP_CA_PATH)),
      then the common E(ALERTOPS_CA_PATH).
    type: path
  rate_limit:
    description:
    - Requests per minute this task sends at most, paced evenly - one request every 60/O(rate_limit) seconds (2
      percent wider, for network jitter), never a burst - so a long walk stays under the vendor limit instead of
      being refused. Default V(60) for log360 (EventLog Analyzer API v2 documents 60 requests/minute for all endpoints),
      none for the others. V(0) switches pacing off. Whatever the value, a 429 answer makes the next request wait
      for C(Retry-After), else C(X-RateLimit-Reset), else the platform's one-minute rate window, and OpsRamp's C(X-RateLimit-Remaining)
      running low spreads the requests left up to C(X-RateLimit-Reset).
    - If not set, the variable of the platform is used (E(LOG360_RATE_LIMIT), E(MACKEREL_RATE_LIMIT), E(OPSRAMP_RATE_LIMIT)),
      then the common E(ALERTOPS_RATE_LIMIT).
    type: float
  request_timeout:
    default: 30
    description:
    - Deadline in seconds for each HTTP request attempt, from connecting to the last byte of the answer (a server
      that answers too slowly, or a byte at a time, fails it). A finite number greater than 0.
    - If not set, the environment variable E(ALERTOPS_REQUEST_TIMEOUT) is used.
    env:
    - name: ALERTOPS_REQUEST_TIMEOUT
    type: float
  retries:
    default: 3
    description:
    - How often a request is retried on 429, 502, 503, 504 and connection errors, with jittered exponential backoff
      that honours C(Retry-After). Writes are retried only when the server certainly did not act.
    - If not set, the environment variable E(ALERTOPS_RETRIES) is used.
    env:
    - name: ALERTOPS_RETRIES
    type: int
  validate_certs:
    description:
    - Verify the server TLS certificate. Set to V(false) only for lab servers with self-signed certificates.
    - Default V(True).
    - If not set, the variable of the platform is used (E(LOG360_VALIDATE_CERTS), E(MACKEREL_VALIDATE_CERTS), E(OPSRAMP_VALIDATE_CERTS)),
      then the common E(ALERTOPS_VALIDATE_CERTS).
    type: bool
  wait_budget:
    default: 900
    description:
    - Seconds one task may spend waiting for rate limits in total (pacing, 429 answers, C(Retry-After) of any length
      or an HTTP date). A wait that would go past it fails the task at once with a message that says so, instead
      of sleeping. Waits of 5 seconds or more are reported as warnings, every wait at C(-v).
    - If not set, the environment variable E(ALERTOPS_WAIT_BUDGET) is used.
    env:
    - name: ALERTOPS_WAIT_BUDGET
    type: float
"""
