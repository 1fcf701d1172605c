# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alerts lookup is a thin dispatcher: options -> the platform table -> one client method. Its table is checked
against the documented options and the clients' signatures, and the dispatch against a fake client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import inspect

import pytest
import yaml

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.alertops.core.plugins.lookup import alerts as lookup_alerts
from ansible_collections.alertops.core.plugins.module_utils import errors, platforms

DOC_OPTIONS = yaml.safe_load(lookup_alerts.DOCUMENTATION)['options']
PLATFORMS = DOC_OPTIONS['platform']['choices']
ENV = {'MACKEREL_APIKEY': 'key-0123456789', 'LOG360_URL': 'https://siem.example.com:8400', 'LOG360_TOKEN': 'tok-SECRET-1',
       'OPSRAMP_URL': 'https://api.opsramp.example', 'OPSRAMP_TENANT_ID': 'tenant-1', 'OPSRAMP_TOKEN': 'op-SECRET-2'}


@pytest.mark.parametrize('platform,occurrences,method', [
    ('log360', False, 'collect_alerts'),
    ('log360', True, 'collect_alerts'),          # occurrences is OpsRamp's only
    ('mackerel', False, 'collect_alerts'),
    ('mackerel', True, 'collect_alerts'),
    ('opsramp', False, 'collect_alerts'),
    ('opsramp', True, 'collect_occurrences'),
])
def test_platform_table(platform, occurrences, method):
    client_class, got, names = lookup_alerts.workflow(platform, occurrences)
    assert client_class is lookup_alerts.CLIENTS[platform] and got == method
    # every option the table hands on is a documented lookup option, and a parameter of the client method
    assert set(names) <= set(DOC_OPTIONS)
    params = inspect.signature(getattr(client_class, method)).parameters
    assert 'ids' in params and set(names) <= set(params)


def test_every_documented_platform_has_a_workflow():
    assert sorted(set(p for p, _o in platforms.WORKFLOWS)) == sorted(PLATFORMS) == sorted(lookup_alerts.CLIENTS)


def test_every_platform_specific_option_reaches_a_client():
    handed = set(n for _m, names in platforms.WORKFLOWS.values() for n in names)
    connection = set(lookup_alerts.CONNECTION_NAMES) | {'api_paths'}
    assert set(DOC_OPTIONS) - handed - connection == {'_terms', 'platform', 'occurrences'}


class FakeTransport:
    def __init__(self):
        self.pacer = None
        self.closed = False
        self.redactor = errors.Redactor()

    def close(self):
        self.closed = True


class FakeClient:
    """Records how the lookup built and called it; returns (or raises) what the test says."""
    made = []
    answer = None

    def __init__(self, params, extra):
        self.params = params
        self.extra = extra
        self.transport = FakeTransport()
        self.calls = []
        FakeClient.made.append(self)

    @classmethod
    def from_params(cls, params, **extra):
        return cls(params, extra)

    def _answer(self, method, kwargs):
        self.calls.append((method, kwargs))
        answer = FakeClient.answer
        if isinstance(answer, Exception):
            raise answer  # pylint: disable=raising-bad-type
        return answer

    def collect_alerts(self, **kwargs):
        return self._answer('collect_alerts', kwargs)

    def collect_occurrences(self, **kwargs):
        return self._answer('collect_occurrences', kwargs)


@pytest.fixture
def fake(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    for platform in PLATFORMS:
        monkeypatch.setitem(lookup_alerts.CLIENTS, platform, FakeClient)
    FakeClient.made = []
    FakeClient.answer = [{'platform': 'x', 'id': '1'}]
    return FakeClient


def run(terms, **kwargs):
    return lookup_loader.get('alertops.core.alerts').run(terms, variables={}, **kwargs)


@pytest.mark.parametrize('terms,kwargs,method,expected', [
    ([], {'platform': 'mackerel'}, 'collect_alerts',
     {'ids': [], 'with_closed': False, 'opened_after': None, 'opened_before': None, 'host_id': None, 'monitor_id': None,
      'type': None, 'max_items': None}),
    (['a1', 2], {'platform': 'mackerel', 'with_closed': True, 'host_id': ['h1'], 'max_items': 5}, 'collect_alerts',
     {'ids': ['a1', '2'], 'with_closed': True, 'opened_after': None, 'opened_before': None, 'host_id': ['h1'],
      'monitor_id': None, 'type': None, 'max_items': 5}),
    ([], {'platform': 'opsramp', 'query': {'states': ['Critical']}, 'opened_after': '-1h'}, 'collect_alerts',
     {'ids': [], 'query': {'states': ['Critical']}, 'opened_after': '-1h', 'opened_before': None, 'with_closed': False,
      'max_items': None}),
    (['175'], {'platform': 'opsramp', 'occurrences': True, 'start_time': '-7d'}, 'collect_occurrences',
     {'ids': ['175'], 'start_time': '-7d', 'end_time': None, 'opened_after': None, 'opened_before': None,
      'max_items': None}),
    ([], {'platform': 'log360', 'severity': 'critical', 'profile_names': ['Brute force'], 'mode': 'sync'},
     'collect_alerts',
     {'ids': [], 'query': None, 'opened_after': None, 'opened_before': None, 'severity': 'critical', 'profile_ids': None,
      'profile_names': ['Brute force'], 'with_closed': False, 'max_items': None, 'mode': 'sync', 'wait_timeout': 600,
      'wait_sleep': 5}),
])
def test_lookup_calls_one_client_method_with_its_options(fake, terms, kwargs, method, expected):
    assert run(terms, **kwargs) == [{'platform': 'x', 'id': '1'}]
    (client,) = fake.made
    assert client.calls == [(method, expected)]
    assert client.transport.closed
    assert client.extra == ({'api_paths': None} if kwargs['platform'] == 'log360' else {})


def test_lookup_hands_the_connection_options_to_the_client(fake):
    run([], platform='opsramp', request_timeout=7, retries=1)
    params = fake.made[0].params
    assert (params['url'], params['tenant_id'], params['token'], params['request_timeout'], params['retries']) == \
        ('https://api.opsramp.example', 'tenant-1', 'op-SECRET-2', 7.0, 1)


@pytest.mark.parametrize('answer,message', [
    (errors.ValidationError('option query must be a dict', platform='opsramp'),
     'alertops.core.alerts: opsramp: option query must be a dict'),
    (KeyError('x'), "alertops.core.alerts: opsramp: unexpected error: KeyError: 'x'"),
])
def test_lookup_error_boundary(fake, answer, message):
    fake.answer = answer
    with pytest.raises(AnsibleLookupError) as info:
        run([], platform='opsramp')
    assert str(info.value) == message
    assert fake.made[0].transport.closed


def test_lookup_refuses_bad_max_items_before_a_client_is_made(fake):
    with pytest.raises(AnsibleLookupError, match='max_items'):
        run([], platform='mackerel', max_items=0)
    assert fake.made == []


def test_lookup_redacts_secrets_when_no_client_was_made(fake, monkeypatch):
    def boom(params, **extra):
        raise ValueError('bad token op-SECRET-2')
    monkeypatch.setattr(FakeClient, 'from_params', staticmethod(boom))
    with pytest.raises(AnsibleLookupError) as info:
        run([], platform='opsramp')
    assert 'op-SECRET-2' not in str(info.value) and 'unexpected error: ValueError' in str(info.value)
