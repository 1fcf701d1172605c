# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules declare their option rules (mutually_exclusive, required_one_of, required_together, required_if) instead of
checking them by hand; an option given as null (a template that yields None) still counts as not given, as it did."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def test_mackerel_host_statuses_with_null_id_and_status(run_module, sim, ids):
    host = ids['{mackerel_host}']
    result = run_module('mackerel_host', {'statuses': {host: 'maintenance'}, 'id': None, 'status': None}, check=True)
    assert 'failed' not in result, result.get('msg')
    assert [h['id'] for h in result['hosts']] == [host]
    assert sim.writes() == []


def test_mackerel_host_needs_id_and_status_together(run_module, ids):
    result = run_module('mackerel_host', {'status': 'working', 'statuses': None})
    assert result['failed'] is True
    assert result['msg'] == 'parameters are required together: id, status'


def test_opsramp_alert_info_one_alert_with_a_null_query(run_module, ids):
    alert_id = ids['{opsramp_open}']
    result = run_module('opsramp_alert_info', {'id': alert_id, 'query': None})
    assert 'failed' not in result, result.get('msg')
    assert [a['uniqueId'] for a in result['alerts']] == [alert_id]


def test_opsramp_alert_info_null_occurrences_is_a_search(run_module):
    result = run_module('opsramp_alert_info', {'occurrences': None, 'max_items': 2})
    assert 'failed' not in result, result.get('msg')
    assert len(result['alerts']) == 2
