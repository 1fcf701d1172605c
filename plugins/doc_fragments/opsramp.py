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
  client_id:
    description:
    - OAuth2 client id (key) of a Custom Integration. Used with O(client_secret) unless O(token) is set.
    - If not set, the environment variable E(OPSRAMP_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
    - OAuth2 client secret. The token it obtains is cached for the run and refreshed on expiry or on a 401.
    - If not set, the environment variable E(OPSRAMP_CLIENT_SECRET) is used.
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  tenant_id:
    description:
    - Tenant (client or MSP) id, for example V(client_7).
    - If not set, the environment variable E(OPSRAMP_TENANT_ID) is used.
    - Required, here or through its environment variable.
    type: str
  token:
    description:
    - A static Bearer token, used instead of O(client_id)/O(client_secret).
    - If not set, the environment variable E(OPSRAMP_TOKEN) is used.
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  token_path:
    default: /tenancy/auth/oauth/token
    description:
    - Path of the OAuth2 token endpoint. Newer OpsRamp releases use V(/tenancy/auth/oauth/token), older ones V(/auth/oauth/token);
      when the configured path answers 404 the other one is tried.
    - If not set, the environment variable E(OPSRAMP_TOKEN_PATH) is used.
    type: str
  url:
    description:
    - OpsRamp API base URL, for example V(https://acme.api.opsramp.com).
    - If not set, the environment variable E(OPSRAMP_URL) is used.
    - Required, here or through its environment variable.
    type: str
"""
