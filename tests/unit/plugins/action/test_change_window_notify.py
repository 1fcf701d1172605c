# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change_window_notify action plugin, args in -> result out, against the simulator's receiver in-process
(tests/unit/plugins/conftest.py): what it sent, skipped and failed, the record in the state, check mode, and a URL
that is in no result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

TOKEN = 'T0UNIT000/B0UNIT000/Xq8WbV3kR7xY2mN5pL9sD4fH'
URL = 'https://sim.alertops.test/hooks/%s/%s/' + TOKEN
STATE = {'version': 2, 'change_id': 'CHG-8', 'begin_at': '2026-12-01T10:00:00Z', 'end_at': None,
         'platforms': ['mackerel'], 'scope': {'mackerel_host_ids': ['h1']}, 'scope_all': False,
         'baseline': {'mackerel': ['a1', 'a2']}, 'baseline_alerts': {}, 'closed': [], 'pending': []}


def args(tmp_path, destinations, event='begin', **kwargs):
    out = dict(event=event, change_id='CHG-8', state_dir=str(tmp_path / 'state'), destinations=destinations,
               results={'begin': {'state': STATE, 'state_file': str(tmp_path / 'state' / 'CHG-8.state.json')}})
    out.update(kwargs)
    return out


def write_state(tmp_path, state=None):
    (tmp_path / 'state').mkdir(exist_ok=True)
    (tmp_path / 'state' / 'CHG-8.state.json').write_text(json.dumps(state or STATE))


def read_state(tmp_path):
    return json.loads((tmp_path / 'state' / 'CHG-8.state.json').read_text())


def posts(sim):
    return [(r['path'].split('/')[2], r['path'].split('/')[3], r['status']) for r in sim.requests(platform='notify')]


def test_sends_once_records_a_digest_and_a_rerun_sends_nothing(run_action, sim, tmp_path):
    write_state(tmp_path)
    dests = [{'name': 'chat', 'kind': 'slack', 'url': URL % ('slack', 'ok')},
             {'name': 'room', 'kind': 'teams', 'url': URL % ('teams', 'ok')},
             {'name': 'pager', 'kind': 'webhook', 'url': URL % ('webhook', 'ok'), 'events': ['end']}]
    first = run_action('change_window_notify', args(tmp_path, dests))
    assert first['changed'] is True and first.get('failed') is not True, first
    assert [r['name'] for r in first['sent']] == ['chat', 'room']
    assert first['not_sent'] == [{'name': 'pager', 'kind': 'webhook', 'why': 'not told of begin (events: end)'}]
    assert posts(sim) == [('slack', 'ok', 200), ('teams', 'ok', 202)]
    recorded = read_state(tmp_path)['notifications']
    assert sorted(recorded) == ['chat', 'room'] and sorted(recorded['chat']['begin']) == ['at', 'digest', 'kind']
    again = run_action('change_window_notify', args(tmp_path, dests))
    assert again['changed'] is False and again['sent'] == []
    assert [s['why'][:13] for s in again['not_sent']] == ['already told ', 'already told ', 'not told of b']
    assert len(posts(sim)) == 2
    assert TOKEN[:9] not in repr(first) + repr(again) + json.dumps(read_state(tmp_path))


def test_failures_warn_and_only_a_required_one_fails(run_action, sim, tmp_path):
    write_state(tmp_path)
    dests = [{'name': 'broken', 'kind': 'webhook', 'url': URL % ('webhook', 'error')},
             {'name': 'moved', 'kind': 'slack', 'url': URL % ('slack', 'redirect')},
             {'name': 'picky', 'kind': 'slack', 'url': URL % ('slack', 'invalid')}]
    result = run_action('change_window_notify', args(tmp_path, dests))
    assert result.get('failed') is not True and result['changed'] is False
    assert [(f['name'], f['required']) for f in result['failures']] == [('broken', False), ('moved', False),
                                                                        ('picky', False)]
    assert 'HTTP 500' in result['failures'][0]['error']
    assert result['failures'][1]['error'].startswith('HTTP 307: the destination answered with a redirect')
    assert 'invalid_payload' in result['failures'][2]['error']
    assert result['warnings'][0].startswith('CHG-8 begin: notifying broken (webhook, https://sim.alertops.test) failed:')
    assert 'notifications' not in read_state(tmp_path)
    assert posts(sim) == [('webhook', 'error', 500), ('slack', 'redirect', 307), ('slack', 'invalid', 400)]
    dests[0]['required'] = True
    required = run_action('change_window_notify', args(tmp_path, dests))
    assert required['failed'] is True
    assert 'Required destination(s) not told: broken (broken: ' in required['msg']
    assert TOKEN[:9] not in repr(result) + repr(required)


def test_check_mode_sends_nothing_and_says_who_would_be_told(run_action, sim, tmp_path):
    write_state(tmp_path)
    dests = [{'kind': 'slack', 'url': URL % ('slack', 'ok')}]
    result = run_action('change_window_notify', args(tmp_path, dests), check=True)
    assert result['changed'] is True and result['would_send'] == [{'name': 'slack-1', 'kind': 'slack', 'event': 'begin'}]
    assert posts(sim) == [] and 'notifications' not in read_state(tmp_path)


def test_without_a_state_file_it_sends_and_warns_that_a_rerun_sends_again(run_action, sim, tmp_path):
    result = run_action('change_window_notify', args(tmp_path, [{'kind': 'webhook', 'url': URL % ('webhook', 'ok')}]))
    assert [r['name'] for r in result['sent']] == ['webhook-1']
    assert 'what was sent is not recorded, so a rerun sends it' in result['warnings'][0]


def test_a_phase_that_recorded_nothing_sends_nothing(run_action, sim, tmp_path):
    result = run_action('change_window_notify', args(tmp_path, [{'kind': 'slack', 'url': URL % ('slack', 'ok')}],
                                                     event='end', results={'record': {'failed': True}}))
    assert result['changed'] is False and result['not_sent'][0]['why'] == 'the end phase recorded nothing to tell'
    assert posts(sim) == []


BAD = [
    ({'destinations': [{'kind': 'sms', 'url': URL % ('slack', 'ok')}]}, "kind must be one of slack, teams, webhook"),
    ({'destinations': [{'kind': 'slack', 'url': 'gopher://x/' + TOKEN}]}, 'url must start with https://'),
    ({'event': None}, 'value of event must be one of: begin, extend, plan, end, cancel'),
    ({'state_dir': None}, 'missing required arguments: state_dir'),
    ({'event': 'finish'}, 'event'),
    ({'change_id': 'bad id'}, "maintenance_window_change_id 'bad id' is not a valid"),
]


@pytest.mark.parametrize('override,message', BAD)
def test_bad_args_fail_before_anything_is_sent_and_never_quote_the_url(run_action, sim, tmp_path, override, message):
    given = args(tmp_path, [{'kind': 'slack', 'url': URL % ('slack', 'ok')}])
    given.update(override)
    result = run_action('change_window_notify', given)
    assert result['failed'] is True and message in result['msg']
    assert TOKEN[:9] not in result['msg'] and posts(sim) == []


def test_check_only_checks_the_destinations_and_returns_them_without_url(run_action, sim, tmp_path):
    result = run_action('change_window_notify', {'check_only': True, 'destinations': [
        {'kind': 'teams', 'url': URL % ('teams', 'ok'), 'required': 'yes'}]})
    assert result['destinations'] == [{'name': 'teams-1', 'kind': 'teams', 'required': True,
                                       'events': ['begin', 'extend', 'plan', 'end', 'cancel']}]
    assert posts(sim) == []
