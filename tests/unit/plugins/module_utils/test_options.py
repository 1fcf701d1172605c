# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils.basic import env_fallback

from ansible_collections.alertops.core.plugins.module_utils import options
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def test_doc_fragments_are_generated_from_the_table():
    for path, text in options.rendered_doc_fragments(ROOT).items():
        with open(path) as handle:
            assert handle.read() == text, '%s drifted: run .ci/generate-doc-fragments' % path


def test_argument_spec_has_env_fallbacks_no_log_and_defaults():
    spec = options.argument_spec('mackerel', id=dict(type='str'))
    assert spec['api_key']['no_log'] is True
    assert spec['api_key']['fallback'] == (env_fallback, ['MACKEREL_APIKEY', 'MACKEREL_API_KEY'])
    assert spec['url']['default'] == 'https://api.mackerelio.com'
    assert spec['url']['fallback'] == (env_fallback, ['MACKEREL_APIBASE'])
    assert spec['validate_certs'] == dict(type='bool', default=True, fallback=(env_fallback, ['ALERTOPS_VALIDATE_CERTS']))
    assert spec['id'] == dict(type='str')
    opsramp = options.argument_spec('opsramp')
    assert [k for k, v in opsramp.items() if v.get('no_log')] == ['client_secret', 'token']


def test_connection_params_names_the_missing_option_and_its_env(monkeypatch):
    monkeypatch.delenv('LOG360_TOKEN', raising=False)
    with pytest.raises(ValidationError) as err:
        options.connection_params('log360', {'url': 'http://x'})
    assert 'option token is required' in str(err.value)
    assert 'LOG360_TOKEN' in str(err.value)


def test_connection_params_reads_env_for_plugins(monkeypatch):
    monkeypatch.setenv('OPSRAMP_URL', 'http://o')
    monkeypatch.setenv('OPSRAMP_TENANT_ID', 'client_7')
    monkeypatch.setenv('OPSRAMP_TOKEN', 'tok-123')
    params = options.connection_params('opsramp', {})
    assert params['url'] == 'http://o'
    assert params['tenant_id'] == 'client_7'
    assert params['token'] == 'tok-123'
    assert params['token_path'] == '/tenancy/auth/oauth/token'
    assert params['retries'] == 3


def test_opsramp_needs_token_or_client_credentials(monkeypatch):
    for name in ('OPSRAMP_TOKEN', 'OPSRAMP_CLIENT_ID', 'OPSRAMP_CLIENT_SECRET'):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValidationError, match='either token'):
        options.connection_params('opsramp', {'url': 'http://o', 'tenant_id': 't', 'client_id': 'only-id'})


def test_negative_timeout_is_rejected():
    with pytest.raises(ValidationError, match='request_timeout must not be negative'):
        options.connection_params('mackerel', {'api_key': 'k', 'request_timeout': -1})
