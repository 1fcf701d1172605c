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
    - 'mackerel: Mackerel organisation API key, sent as C(X-Api-Key). Writes need a key with Write permission. E(MACKEREL_APIKEY)
      is the name mkr uses, E(MACKEREL_API_KEY) the one of the Terraform provider and other tools; when both are
      set, E(MACKEREL_APIKEY) wins.'
    - 'mackerel: If not set, the environment variable E(MACKEREL_APIKEY) or E(MACKEREL_API_KEY) is used.'
    - 'mackerel: Required, here or through its environment variable.'
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  client_id:
    description:
    - 'opsramp: OAuth2 client id (key) of a Custom Integration. Used with O(client_secret) unless O(token) is set.'
    - 'opsramp: If not set, the environment variable E(OPSRAMP_CLIENT_ID) is used.'
    type: str
  client_secret:
    description:
    - 'opsramp: OAuth2 client secret. The token it obtains is cached for the run and refreshed on expiry or on a
      401.'
    - 'opsramp: If not set, the environment variable E(OPSRAMP_CLIENT_SECRET) is used.'
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  tenant_id:
    description:
    - 'opsramp: Tenant (client or MSP) id, for example V(client_7).'
    - 'opsramp: If not set, the environment variable E(OPSRAMP_TENANT_ID) is used.'
    - 'opsramp: Required, here or through its environment variable.'
    type: str
  token:
    description:
    - 'log360: AuthToken created under Settings > Admin Settings > API Settings. Sent as C(Authorization: Bearer).'
    - 'log360: If not set, the environment variable E(LOG360_TOKEN) is used.'
    - 'log360: Required, here or through its environment variable.'
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    - 'opsramp: A static Bearer token, used instead of O(client_id)/O(client_secret).'
    - 'opsramp: If not set, the environment variable E(OPSRAMP_TOKEN) is used.'
    - Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) or a
      multi-line AWX field) is stripped. Never logged; masked in every message, in any encoding.
    type: str
  token_path:
    description:
    - 'opsramp: Path of the OAuth2 token endpoint. Newer OpsRamp releases use V(/tenancy/auth/oauth/token), older
      ones V(/auth/oauth/token); when the configured path answers 404 the other one is tried.'
    - 'opsramp: Default V(/tenancy/auth/oauth/token).'
    - 'opsramp: If not set, the environment variable E(OPSRAMP_TOKEN_PATH) is used.'
    type: str
  url:
    description:
    - 'log360: Base URL of the Log360 / EventLog Analyzer server, for example V(https://siem.example.com:8400).'
    - 'log360: If not set, the environment variable E(LOG360_URL) is used.'
    - 'log360: Required, here or through its environment variable.'
    - 'mackerel: Mackerel API base URL (V(https://kcps-mackerel.io) for KCPS).'
    - 'mackerel: Default V(https://api.mackerelio.com).'
    - 'mackerel: If not set, the environment variable E(MACKEREL_APIBASE) is used.'
    - 'opsramp: OpsRamp API base URL, for example V(https://acme.api.opsramp.com).'
    - 'opsramp: If not set, the environment variable E(OPSRAMP_URL) is used.'
    - 'opsramp: Required, here or through its environment variable.'
    type: str
"""
