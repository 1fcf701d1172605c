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
  api_key:
    description:
    - Mackerel organisation API key, sent as C(X-Api-Key). Writes need a key with Write permission. E(MACKEREL_APIKEY)
      is the name mkr uses, E(MACKEREL_API_KEY) the one of the Terraform provider and other tools; when both are
      set, E(MACKEREL_APIKEY) wins.
    - If not set, the environment variable E(MACKEREL_APIKEY) or E(MACKEREL_API_KEY) is used.
    - Required, here or through its environment variable.
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  url:
    default: https://api.mackerelio.com
    description:
    - Mackerel API base URL (V(https://kcps-mackerel.io) for KCPS).
    - If not set, the environment variable E(MACKEREL_APIBASE) is used.
    type: str
"""
