# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alerts lookup, options in -> normalised alerts out, against the in-process simulator
(tests/unit/plugins/conftest.py): what it returns per platform, which filters apply, what it sends, how it fails."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

# the normalised model (docs/DESIGN.md "Lookup"); the model may gain keys, never lose these
MODEL_KEYS = set(['platform', 'id', 'status', 'severity', 'title', 'source', 'opened_at', 'closed_at', 'raw'])
ISO = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')


@pytest.fixture
def lookup(sim):
    def run(terms=None, **kwargs):
        return lookup_loader.get('alertops.core.alerts').run(terms or [], variables={}, **kwargs)
    return run


def assert_model(alerts, platform):
    assert alerts
    for alert in alerts:
        assert MODEL_KEYS <= set(alert), sorted(MODEL_KEYS - set(alert))
        assert alert['platform'] == platform
        assert alert['status'] in ('open', 'closed')
        assert alert['severity'] in ('critical', 'warning', 'info', 'unknown')
        assert ISO.match(alert['opened_at']), alert['opened_at']
        assert alert['closed_at'] is None or ISO.match(alert['closed_at'])
        assert isinstance(alert['raw'], dict)


def mackerel_alerts(sim):
    return sim.control('mackerel', 'alerts')['alerts']


def test_mackerel_open_alerts_by_default(lookup, sim):
    alerts = lookup(platform='mackerel')
    assert_model(alerts, 'mackerel')
    assert sorted(a['id'] for a in alerts) == sorted(a['id'] for a in mackerel_alerts(sim) if a['status'] != 'OK')
    assert set(a['status'] for a in alerts) == set(['open'])
    assert sim.writes() == []


def test_mackerel_with_closed_and_max_items(lookup, sim):
    everything = lookup(platform='mackerel', with_closed=True)
    assert sorted(a['id'] for a in everything) == sorted(a['id'] for a in mackerel_alerts(sim))
    assert 'closed' in set(a['status'] for a in everything)
    assert len(lookup(platform='mackerel', with_closed=True, max_items=7)) == 7


def test_mackerel_filters(lookup, sim):
    raw = mackerel_alerts(sim)
    host = next(a['hostId'] for a in raw if a.get('hostId') and a['status'] != 'OK')
    by_host = lookup(platform='mackerel', host_id=[host])
    in_scope = [a['id'] for a in raw if a.get('hostId') == host and a['status'] != 'OK']
    assert sorted(a['id'] for a in by_host) == sorted(in_scope)
    newest = max(a['openedAt'] for a in raw if a['status'] != 'OK')
    recent = lookup(platform='mackerel', opened_after=str(newest))
    assert [a['id'] for a in recent] == [a['id'] for a in raw if a['status'] != 'OK' and a['openedAt'] >= newest]


def test_mackerel_terms_are_ids(lookup, sim):
    raw = mackerel_alerts(sim)
    open_id = next(a['id'] for a in raw if a['status'] != 'OK')
    closed_id = next(a['id'] for a in raw if a['status'] == 'OK')
    assert [a['id'] for a in lookup([open_id, closed_id], platform='mackerel')] == [open_id]
    assert [a['id'] for a in lookup([open_id, closed_id], platform='mackerel', with_closed=True)] == [open_id, closed_id]


def test_opsramp_not_closed_by_default(lookup, sim):
    raw = sim.control('opsramp', 'alerts')['alerts']
    alerts = lookup(platform='opsramp')
    assert_model(alerts, 'opsramp')
    assert sorted(a['id'] for a in alerts) == sorted(a['uniqueId'] for a in raw if not a['closed'])
    everything = lookup(platform='opsramp', with_closed=True)
    assert sorted(a['id'] for a in everything) == sorted(a['uniqueId'] for a in raw)
    assert len(lookup(platform='opsramp', with_closed=True, max_items=3)) == 3
    assert sim.writes() == []


def test_opsramp_terms_and_occurrences(lookup, sim):
    raw = sim.control('opsramp', 'alerts')['alerts']
    open_id = next(a['uniqueId'] for a in raw if not a['closed'])
    assert [a['id'] for a in lookup([open_id], platform='opsramp')] == [open_id]
    alert_id = sim.control('opsramp', 'credentials')['occurrence_alerts']['ties']
    occurrences = lookup([alert_id], platform='opsramp', occurrences=True, max_items=12)
    assert len(occurrences) == 12
    assert all(o['platform'] == 'opsramp' for o in occurrences)


def test_log360_async_job_is_deleted_after(lookup, sim):
    alerts = lookup(platform='log360', opened_after='-2d', mode='async', wait_sleep=1)
    assert_model(alerts, 'log360')
    paths = [(r['method'], r['path']) for r in sim.requests()]
    assert ('POST', '/api/v2/alerts/async') in paths
    assert paths[-1] == ('DELETE', '/api/v2/jobs')
    assert sim.control('log360', 'jobs')['jobs'] == []


def test_log360_sync_sends_no_job(lookup, sim):
    alerts = lookup(platform='log360', opened_after='-2d', mode='sync')
    assert_model(alerts, 'log360')
    assert sim.requests(path='/jobs') == []
    assert sim.control('log360', 'jobs')['jobs'] == []


@pytest.mark.parametrize('kwargs,message', [
    ({'platform': 'nagios'}, 'platform'),
    ({'platform': 'mackerel', 'max_items': 0}, 'max_items'),
    ({'platform': 'opsramp', 'opened_after': 'someday'}, 'opsramp: option opened_after'),
    ({'platform': 'opsramp', 'opened_after': '-1h', 'opened_before': '-2h'}, 'opened_before'),
    ({'platform': 'opsramp', 'query': 'priority:P1'}, 'opsramp: option query must be a dict'),
    ({'platform': 'opsramp', 'occurrences': True}, 'opsramp: occurrences=true needs the alert ids as terms'),
    ({'platform': 'log360', 'query': {'a': 1}}, 'log360: option query must be a string'),
    ({'platform': 'log360', 'mode': 'later'}, 'mode'),
    ({'platform': 'log360', 'severity': 'catastrophic'}, 'log360: option severity'),
])
def test_bad_input_fails_naming_the_option(lookup, sim, kwargs, message):
    with pytest.raises(AnsibleLookupError) as exc:
        lookup(**kwargs)
    text = str(exc.value)
    assert text.startswith('alertops.core.alerts: ')
    assert message in text
    assert sim.writes() == []


@pytest.mark.parametrize('platform,variable,variant', [
    ('mackerel', 'MACKEREL_APIKEY', {}),
    ('opsramp', 'OPSRAMP_CLIENT_SECRET', {'opsramp_auth_echo': True}),
    ('log360', 'LOG360_TOKEN', {'log360_echo_token': True}),
])
def test_bad_credential_fails_with_platform_and_no_secret(lookup, sim, monkeypatch, platform, variable, variant):
    monkeypatch.setenv(variable, 'wrong-credential-0123456789abcdef')
    sim.configure(variants=variant)
    with pytest.raises(AnsibleLookupError) as exc:
        lookup(platform=platform, opened_after='-1h')
    text = str(exc.value)
    assert text.startswith('alertops.core.alerts: %s' % platform)
    assert 'HTTP 401' in text
    assert '0123456789abcdef' not in text
