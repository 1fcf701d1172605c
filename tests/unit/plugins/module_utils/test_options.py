# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.alertops.core.plugins.module_utils.options import env_fallback

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
    assert spec['validate_certs'] == dict(type='bool', default=True, fallback=(
        env_fallback, ['MACKEREL_VALIDATE_CERTS', 'ALERTOPS_VALIDATE_CERTS']))
    assert spec['ca_path']['fallback'] == (env_fallback, ['MACKEREL_CA_PATH', 'ALERTOPS_CA_PATH'])
    assert options.argument_spec('log360')['ca_path']['fallback'] == (env_fallback, ['LOG360_CA_PATH', 'ALERTOPS_CA_PATH'])
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
    with pytest.raises(ValidationError, match='request_timeout must be a finite number of seconds greater than 0'):
        options.connection_params('mackerel', {'api_key': 'k', 'request_timeout': -1})


@pytest.mark.parametrize('env,expect', [
    ({'LOG360_CA_PATH': 'log360.pem', 'ALERTOPS_CA_PATH': 'common.pem'}, ('log360.pem', True)),
    ({'ALERTOPS_CA_PATH': 'common.pem'}, ('common.pem', True)),
    ({'LOG360_CA_PATH': '', 'ALERTOPS_CA_PATH': 'common.pem'}, ('common.pem', True)),   # an empty AWX input
    ({'MACKEREL_CA_PATH': 'mackerel.pem'}, (None, True)),                                # another platform's
    ({'LOG360_VALIDATE_CERTS': 'false', 'ALERTOPS_VALIDATE_CERTS': 'true'}, (None, False)),
    ({'ALERTOPS_VALIDATE_CERTS': 'no'}, (None, False)),
])
def test_per_platform_tls_variables_win_over_the_common_ones(monkeypatch, tmp_path, env, expect):
    for name in ('LOG360_CA_PATH', 'ALERTOPS_CA_PATH', 'MACKEREL_CA_PATH', 'LOG360_VALIDATE_CERTS',
                 'ALERTOPS_VALIDATE_CERTS'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    for value in env.values():
        if value.endswith('.pem'):
            (tmp_path / value).write_text('pem')
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    params = options.connection_params('log360', {'url': 'https://siem:8400', 'token': 'tok-123456'})
    assert (params['ca_path'], params['validate_certs']) == expect


@pytest.mark.parametrize('platform,params,message', [
    ('log360', {'url': 'https://siem:8400/api/v2'}, 'without /api/v2'),
    ('log360', {'url': 'https://siem:8400/api/v2/'}, 'use https://siem:8400'),
    ('mackerel', {'url': 'https://api.mackerelio.com/api/v0'}, 'without /api/v0'),
    ('opsramp', {'url': 'https://acme.api.opsramp.com/api/v2/'}, 'without /api/v2'),
    ('log360', {'url': 'ftp://siem'}, 'option url must start with http:// or https://'),
    ('log360', {'url': 'https://siem '}, 'option url has leading or trailing blanks'),
    ('log360', {'url': 'https://siem', 'request_timeout': 0}, 'option request_timeout must be a finite'),
    ('log360', {'url': 'https://siem', 'request_timeout': float('nan')}, 'option request_timeout must be a finite'),
    ('log360', {'url': 'https://siem', 'request_timeout': float('inf')}, 'option request_timeout must be a finite'),
    ('log360', {'url': 'https://siem', 'retries': -1}, 'option retries must not be negative'),
    ('log360', {'url': 'https://siem', 'ca_path': '/nonexistent/ca.pem'}, 'option ca_path names /nonexistent/ca.pem'),
    ('log360', {'url': 'https://u:TopSecret-1@siem', 'request_timeout': 0}, 'option request_timeout'),
])
def test_connection_options_are_validated_before_anything_is_sent(platform, params, message):
    base = {'token': 'tok-123456', 'api_key': 'key-123456', 'tenant_id': 'client_1', 'client_id': 'id',
            'client_secret': 'secret-123456'}
    base.update(params)
    with pytest.raises(ValidationError) as info:
        options.connection_params(platform, base)
    assert message in str(info.value) and 'TopSecret' not in str(info.value)


def test_secrets_are_stripped_of_surrounding_whitespace():
    params = options.connection_params('mackerel', {'api_key': '  key-0123456789\n'})
    assert params['api_key'] == 'key-0123456789'
    with pytest.raises(ValidationError, match='option api_key is required'):
        options.connection_params('mackerel', {'api_key': ' \n'})
    doc = options.doc_fragment_options('opsramp')
    assert 'whitespace' in ' '.join(doc['client_secret']['description'])


def test_option_groups_give_the_argument_spec_and_the_doc_fragment_from_one_entry():
    assert options.group_spec('concurrency') == {'concurrency': dict(type='int', default=8)}
    assert options.group_spec('max_items') == {'max_items': dict(type='int')}
    filters = options.group_spec('mackerel_filters')
    assert list(filters) == ['status', 'type', 'monitor_id', 'host_id', 'opened_after', 'opened_before']
    assert filters['status'] == dict(type='list', elements='str')
    assert options.MACKEREL_FILTERS == tuple(filters)
    for group in options.OPTION_GROUPS:
        spec, doc = options.group_spec(group), options.group_doc_options(group)
        assert sorted(spec) == sorted(doc)
        for name, entry in spec.items():
            assert dict((k, v) for k, v in doc[name].items() if k != 'description') == entry


def test_attributes_fragment_has_the_action_group_of_every_platform():
    import yaml
    from ansible_collections.alertops.core.plugins.doc_fragments.attributes import ModuleDocFragment
    group = yaml.safe_load(ModuleDocFragment.ACTIONGROUP_OPSRAMP)['attributes']['action_group']
    assert group == {'description': 'Use C(group/alertops.core.opsramp) or C(group/alertops.core.all) in C(module_defaults).',
                     'support': 'full', 'membership': ['alertops.core.opsramp', 'alertops.core.all']}
    info = yaml.safe_load(ModuleDocFragment.INFO_MODULE)['attributes']
    assert (info['check_mode']['support'], info['diff_mode']['support']) == ('full', 'none')


@pytest.mark.parametrize('name', sorted(n for n in os.listdir(os.path.join(ROOT, 'plugins', 'modules')) if n.endswith('.py')))
def test_modules_take_attributes_and_option_groups_from_the_fragments(name):
    import re
    import yaml
    source = open(os.path.join(ROOT, 'plugins', 'modules', name)).read()
    doc = yaml.safe_load(re.search(r'DOCUMENTATION = r"""(.*?)"""', source, re.S).group(1))
    fragments = doc.get('extends_documentation_fragment', [])
    assert 'alertops.core.attributes' in fragments
    assert 'action_group' not in doc.get('attributes', {})
    platform = name.split('_')[0]
    if platform in options.PLATFORMS:
        assert 'alertops.core.attributes.actiongroup_%s' % platform in fragments
    for group, entries in options.OPTION_GROUPS.items():
        for opt in entries:
            if group != 'mackerel_filters' or 'mackerel_alert' in name:
                assert opt['name'] not in doc.get('options', {}), 'use alertops.core.%s' % group


@pytest.mark.parametrize('given,ok', [
    ({'token': 't'}, True),
    ({'client_id': 'i', 'client_secret': 's'}, True),
    ({'token': 't', 'client_id': 'i'}, True),                 # the token wins; a lone id from the environment is harmless
    ({'token': 't', 'client_secret': 's'}, True),
    ({'client_id': 'i'}, False),
    ({'client_secret': 's'}, False),
    ({'token': '', 'client_id': 'i', 'client_secret': ''}, False),
    ({}, False),
])
def test_opsramp_auth_rule_is_declared_once_and_read_by_modules_lookup_and_client(monkeypatch, given, ok):
    from ansible_collections.alertops.core.plugins.module_utils import opsramp
    for name in ('OPSRAMP_TOKEN', 'OPSRAMP_CLIENT_ID', 'OPSRAMP_CLIENT_SECRET'):
        monkeypatch.delenv(name, raising=False)
    assert options.CONNECTION_RULES['opsramp'] == {'required_one_of': [('token', 'client_id'), ('token', 'client_secret')]}
    params = dict(given, url='https://o.invalid', tenant_id='client_7')
    message = ('opsramp: set either token (OPSRAMP_TOKEN) or both client_id and client_secret '
               '(OPSRAMP_CLIENT_ID, OPSRAMP_CLIENT_SECRET)')
    if ok:
        options.connection_params('opsramp', params)
        opsramp.OpsRampClient.from_params(params)
        return
    for call in (lambda: options.connection_params('opsramp', params), lambda: opsramp.OpsRampClient.from_params(params)):
        with pytest.raises(ValidationError) as info:
            call()
        assert str(info.value) == message


def test_mackerel_default_url_and_api_key_rule_come_from_the_table():
    from ansible_collections.alertops.core.plugins.module_utils import mackerel
    assert options.default('mackerel', 'url') == 'https://api.mackerelio.com'
    client = mackerel.MackerelClient.from_params({'api_key': 'key-0123456789', 'retries': 0})
    assert client.transport.base_url == 'https://api.mackerelio.com'
    with pytest.raises(ValidationError) as info:
        mackerel.MackerelClient.from_params({'api_key': ''})
    assert str(info.value) == ('mackerel: option api_key is required (set it on the task, in module_defaults, or in the '
                               'environment variable MACKEREL_APIKEY or MACKEREL_API_KEY)')


@pytest.mark.parametrize('groups,params,message', [
    (('concurrency',), {'concurrency': 0}, 'option concurrency must be between 1 and 64, got 0'),
    (('concurrency',), {'concurrency': 65}, 'option concurrency must be between 1 and 64, got 65'),
    (('max_items',), {'max_items': 0}, 'option max_items'),
    (('concurrency', 'max_items'), {'concurrency': 8, 'max_items': -1}, 'option max_items'),
])
def test_option_groups_check_their_values(groups, params, message):
    with pytest.raises(ValidationError) as info:
        options.check_groups(groups, params)
    assert message in str(info.value)


def test_option_groups_pass_good_values():
    options.check_groups(('concurrency', 'max_items', 'mackerel_filters'), {'concurrency': 64, 'max_items': None})
