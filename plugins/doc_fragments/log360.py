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
  token:
    description:
    - 'AuthToken created under Settings > Admin Settings > API Settings. Sent as C(Authorization: Bearer).'
    - If not set, the environment variable E(LOG360_TOKEN) is used.
    - Required, here or through its environment variable.
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  url:
    description:
    - Base URL of the Log360 / EventLog Analyzer server, for example V(https://siem.example.com:8400).
    - If not set, the environment variable E(LOG360_URL) is used.
    - Required, here or through its environment variable.
    type: str
"""
