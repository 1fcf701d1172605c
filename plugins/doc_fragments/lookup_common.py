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
    - PEM bundle of CA certificates used to verify the server instead of the system store.
    - If not set, the environment variable E(ALERTOPS_CA_PATH) is used.
    env:
    - name: ALERTOPS_CA_PATH
    type: path
  request_timeout:
    default: 30
    description:
    - Timeout in seconds for each single HTTP request.
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
    default: true
    description:
    - Verify the server TLS certificate. Set to V(false) only for lab servers with self-signed certificates.
    - If not set, the environment variable E(ALERTOPS_VALIDATE_CERTS) is used.
    env:
    - name: ALERTOPS_VALIDATE_CERTS
    type: bool
"""
