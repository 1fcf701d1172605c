# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failure message looks like, over every connection-option check of every platform, through every module and
the lookup (the in-process simulator, tests/unit/plugins/conftest.py): the message names its platform once - never
``mackerel: mackerel: ...`` - and no word follows itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import re

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

HERE = os.path.dirname(os.path.abspath(__file__))
PLATFORMS = ('log360', 'mackerel', 'opsramp')
API_PREFIX = {'log360': '/api/v2', 'mackerel': '/api/v0', 'opsramp': '/api/v2'}
CREDENTIAL = {   # platform -> (the credential's environment variables, the message when none is set)
    'log360': (['LOG360_TOKEN'], 'option token is required'),
    'mackerel': (['MACKEREL_APIKEY'], 'option api_key is required'),
    'opsramp': (['OPSRAMP_TOKEN', 'OPSRAMP_CLIENT_ID', 'OPSRAMP_CLIENT_SECRET'], 'set either token (OPSRAMP_TOKEN) or'),
}


def _module_contract():
    """test_module_contract.py's tables: EVERY_MODULE (every module that talks to a vendor, with args that make it send
    a request) and BAD_INPUT (module, args, message), loaded by path so this file does not depend on how the test
    runner sets sys.path."""
    spec = importlib.util.spec_from_file_location(
        'alertops_module_contract', os.path.join(HERE, 'modules', 'test_module_contract.py'))
    contract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(contract)
    return contract


CONTRACT = _module_contract()
EVERY_MODULE = CONTRACT.EVERY_MODULE

# every check of the connection options (options.py, pacing.py): platform -> [(options, env to unset, message part)]
CONNECTION_FAILURES = [
    (platform, case) for platform in PLATFORMS for case in [
        ({'url': 'ftp://sim.alertops.test'}, (), 'option url must start with http:// or https://'),
        ({'url': ' https://sim.alertops.test'}, (), 'option url has leading or trailing blanks'),
        ({'url': 'https://sim.alertops.test' + API_PREFIX[platform]}, (), 'option url must be the base URL'),
        ({'request_timeout': 0}, (), 'option request_timeout must be'),
        ({'retries': -1}, (), 'option retries must not be negative'),
        ({'rate_limit': -1}, (), 'option rate_limit must be'),
        ({'wait_budget': -1}, (), 'option wait_budget must be'),
        ({'ca_path': '/nonexistent/ca.pem'}, (), 'option ca_path names /nonexistent/ca.pem'),
        ({},) + tuple(CREDENTIAL[platform]),
    ]
]

# a per-platform environment variable the lookup converts itself (options.connection_params; a module's AnsibleModule
# converts it, in Ansible's words)
ENV_FAILURES = [(platform, platform.upper() + '_RATE_LIMIT', 'fast', 'option rate_limit (from') for platform in PLATFORMS]


def repeated_word(message):
    """The first word that follows itself (``log360: log360:``, ``the the``), ignoring punctuation, or None."""
    words = [w.strip(':;,.()').lower() for w in message.split()]
    return next((a for a, b in zip(words, words[1:]) if a == b and re.search('[a-z]', a)), None)


def test_repeated_word():
    assert repeated_word('log360: log360: option url ...') == 'log360:'.strip(':')
    assert repeated_word('alertops.core.alerts: opsramp: opsramp: option retries') == 'opsramp'
    assert repeated_word('mackerel: option url must start with http://') is None
    assert repeated_word('HTTP 404: 1 1 alerts') is None


def _first(message, prefix=''):
    assert message.startswith(prefix), message
    return message[len(prefix):].split(':')[0]


@pytest.mark.parametrize('module,args', EVERY_MODULE, ids=[m for m, _a in EVERY_MODULE])
def test_every_connection_option_failure_of_every_module_names_its_platform_once(
        run_module, ids, monkeypatch, module, args):
    platform = module.split('_')[0]
    for options, unset, expected in [case for p, case in CONNECTION_FAILURES if p == platform]:
        with monkeypatch.context() as env:
            for name in unset:
                env.delenv(name, raising=False)
            result = run_module(module, dict(ids.fill(args), **options))
        assert result.get('failed') is True, (options, result)
        message = result['msg']
        assert expected in message, message
        assert _first(message) == platform, message
        assert repeated_word(message) is None, message


@pytest.mark.parametrize('platform', PLATFORMS)
def test_every_connection_option_failure_of_the_lookup_names_its_platform_once(sim, monkeypatch, platform):
    lookup = lookup_loader.get('alertops.core.alerts')
    for options, unset, expected in [case for p, case in CONNECTION_FAILURES if p == platform]:
        with monkeypatch.context() as env:
            for name in unset:
                env.delenv(name, raising=False)
            with pytest.raises(AnsibleLookupError) as info:
                lookup.run([], variables={}, platform=platform, **options)
        message = str(info.value)
        assert expected in message, message
        assert _first(message, 'alertops.core.alerts: ') == platform, message
        assert repeated_word(message) is None, message


@pytest.mark.parametrize('platform,variable,value,expected', ENV_FAILURES)
def test_an_environment_value_the_lookup_cannot_convert_names_its_platform_once(
        sim, monkeypatch, platform, variable, value, expected):
    monkeypatch.setenv(variable, value)
    with pytest.raises(AnsibleLookupError) as info:
        lookup_loader.get('alertops.core.alerts').run([], variables={}, platform=platform)
    message = str(info.value)
    assert expected in message and variable in message, message
    assert _first(message, 'alertops.core.alerts: ') == platform, message
    assert repeated_word(message) is None, message


@pytest.mark.parametrize('kwargs,start,value,accepted', [
    ({'platform': 'mackrel'}, 'option platform', 'mackrel', 'log360, mackerel, opsramp'),
    ({'platform': 'mackrel', 'mode': 'later'}, 'option platform', 'mackrel', 'log360, mackerel, opsramp'),
    ({'platform': 'log360', 'mode': 'later'}, 'log360: option mode', 'later', 'auto, sync, async'),
])
def test_a_lookup_value_outside_the_choices_lists_the_accepted_ones(sim, kwargs, start, value, accepted):
    with pytest.raises(AnsibleLookupError) as info:
        lookup_loader.get('alertops.core.alerts').run([], variables={}, **kwargs)
    message = str(info.value)
    assert message.startswith('alertops.core.alerts: %s must be one of ' % start), message
    assert repr(value) in message and accepted in message, message
    assert repeated_word(message) is None, message
    assert sim.requests() == []


@pytest.mark.parametrize('module,args,expected', CONTRACT.BAD_INPUT)
def test_no_bad_input_message_starts_with_a_word_twice(run_module, ids, module, args, expected):
    message = run_module(module, ids.fill(args))['msg']
    assert expected in message and repeated_word(' '.join(message.split()[:2])) is None, message
