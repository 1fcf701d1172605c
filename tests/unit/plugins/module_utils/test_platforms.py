# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform table shared by the alerts lookup and the EDA event source (module_utils/platforms.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import inspect

import pytest

from ansible_collections.alertops.core.plugins.module_utils import alert_events, platforms


@pytest.mark.parametrize('platform,names', [
    ('log360', ('query', 'severity', 'profile_ids', 'mode', 'wait_timeout', 'wait_sleep')),
    ('mackerel', ('host_id', 'monitor_id', 'type', 'status')),
    ('opsramp', ('query',)),
])
def test_the_event_source_reads_with_the_lookups_method_and_its_own_options(platform, names):
    method, got = platforms.source_workflow(platform, alert_events.SOURCE_OPTIONS)
    assert (method, got) == ('collect_alerts', names)
    client_class = platforms.CLIENTS[platform]
    params = inspect.signature(getattr(client_class, method)).parameters
    # what the source hands on, plus the window and the cursor hook it adds, are parameters of the client method
    assert set(got) | {'with_closed'} <= set(params)
    assert platform != 'log360' or {'opened_after', 'opened_before', 'on_submit'} <= set(params)
    # the options are checked with the same names before the source starts
    assert set(got) - {'mode', 'wait_timeout', 'wait_sleep', 'severity', 'profile_ids'} <= \
        set(inspect.signature(client_class.check_alert_options).parameters)


def test_every_source_filter_reaches_a_client_method():
    handed = set(n for p in platforms.CLIENTS for n in platforms.source_workflow(p, alert_events.SOURCE_OPTIONS)[1])
    own = {'platform', 'interval', 'cursor_file', 'since', 'overlap', 'poll_retries', 'retry_delay', 'max_backoff'}
    assert set(alert_events.SOURCE_OPTIONS) - handed == own


def test_every_client_has_the_read_methods_the_lookup_and_the_source_call():
    for platform, client_class in platforms.CLIENTS.items():
        assert client_class.PLATFORM == platform
        for name in ('collect_alerts', 'check_alert_options', 'to_model', 'from_params'):
            assert callable(getattr(client_class, name)), (platform, name)
    assert callable(platforms.CLIENTS['mackerel'].get_alert_model)
    assert callable(platforms.CLIENTS['opsramp'].get_alert_model)
