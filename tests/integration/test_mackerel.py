# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mackerel acceptance tests: real ansible-playbook runs against the simulator, checked through its request log."""

from __future__ import absolute_import, division, print_function

import collections
import json
import math
import re
import time

import pytest

ALERT_PATH = re.compile(r'^/api/v0/alerts/([^/]+)$')
CLOSE_PATH = re.compile(r'^/api/v0/alerts/([^/]+)/close$')


def state(sim):
    return sim.control('mackerel', 'alerts')['alerts']


def writes(sim):
    return [r for r in sim.requests(platform='mackerel') if r['method'] in ('POST', 'PUT', 'DELETE')]


def ids(alerts):
    return [a['id'] for a in alerts]


def assert_ok(result):
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result


def test_listing_every_page_and_every_filter(sim, play):
    alerts = state(sim)
    assert len(alerts) > 250
    open_ = [a for a in alerts if a['status'] != 'OK']
    now = time.time()
    after, before = now - 6 * 86400, now - 2 * 86400
    counts = collections.Counter(a.get('hostId') for a in alerts if a.get('hostId'))
    host_id = counts.most_common(1)[0][0]
    monitors = sorted(set(a['monitorId'] for a in open_))[:2]
    logs = sim.control('mackerel', 'alerts?logs=1')['logs']
    logs_id = max(logs, key=lambda k: len(logs[k]))
    assert len(logs[logs_id]) > 100
    exp = {
        'open_ids': ids(open_), 'open_pages': int(math.ceil(len(open_) / 50.0)), 'all_ids': ids(alerts),
        'status_ids': ids(a for a in alerts if a['status'] in ('WARNING', 'UNKNOWN')),
        'type_ids': ids(a for a in alerts if a['type'] in ('check', 'query')),
        'monitor_id': monitors, 'monitor_ids': ids(a for a in open_ if a['monitorId'] in monitors),
        'host_id': host_id, 'host_ids': ids(a for a in alerts if a.get('hostId') == host_id),
        'after_iso': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(after))), 'before_ms': int(before) * 1000,
        'window_ids': ids(a for a in alerts if int(after) <= a['openedAt'] <= int(before)),
        'type_host_ids': ids(a for a in alerts if a['type'] == 'host'),
        'logs_id': logs_id, 'logs_count': len(logs[logs_id]),
    }
    # relative -3d is resolved by the module at run time: leave a margin of alerts not near the edge
    exp['relative_ids'] = ids(a for a in open_ if a['openedAt'] >= now - 3 * 86400)
    assert all(abs(a['openedAt'] - (now - 3 * 86400)) > 120 for a in open_), 'seed put an alert on the -3d edge'
    for key in ('status_ids', 'type_ids', 'monitor_ids', 'host_ids', 'window_ids', 'relative_ids'):
        assert exp[key], key
    sim.clear_log()
    assert_ok(play('mackerel_info.yml', extra_vars={'exp': exp}))
    log = sim.requests(platform='mackerel')
    assert all(r['method'] == 'GET' for r in log)
    first_listing = [r for r in log if r['path'] == '/api/v0/alerts' and r['query'].get('limit') == ['50']]
    assert len(first_listing) == exp['open_pages']
    assert all('withClosed' not in r['query'] for r in first_listing)
    closed_pages = [r for r in log if r['path'] == '/api/v0/alerts' and r['query'].get('withClosed') == ['true']]
    assert closed_pages and all(r['query'].get('withClosed') == ['true'] for r in closed_pages)
    assert len([r for r in log if r['path'].endswith('/logs')]) == int(math.ceil(exp['logs_count'] / 100.0))


def _window(sim):
    """A change on one host: 5 open alerts in the window, plus decoys before/after it, on other hosts, closed."""
    hosts = sim.control('mackerel', 'hosts')
    host, other = hosts['hosts'][0], hosts['hosts'][1]
    monitor = next(m['id'] for m in hosts['monitors'] if m['type'] == 'host')
    now = int(time.time())
    start, end = now - 1800, now - 600
    raised = sim.control('mackerel', 'raise', {'count': 5, 'host_id': host, 'monitor_id': monitor, 'at': now - 1200})
    sim.control('mackerel', 'raise', {'count': 2, 'host_id': host, 'monitor_id': monitor, 'at': start - 1})
    sim.control('mackerel', 'raise', {'count': 2, 'host_id': host, 'monitor_id': monitor, 'at': end + 1})
    sim.control('mackerel', 'raise', {'count': 3, 'host_id': other, 'monitor_id': monitor, 'at': now - 1200})
    sim.control('mackerel', 'raise', {'count': 1, 'host_id': host, 'monitor_id': monitor, 'at': start})  # edge: in
    expected = ids(raised['alerts']) + [a['id'] for a in state(sim) if a.get('hostId') == host
                                        and a['openedAt'] == start and a['status'] != 'OK']
    expected += [a['id'] for a in state(sim) if a.get('hostId') == host and start < a['openedAt'] <= end
                 and a['status'] != 'OK' and a['id'] not in expected]
    return {'host_id': host, 'window_start': str(start), 'window_end': time.strftime(
        '%Y-%m-%dT%H:%M:%SZ', time.gmtime(end)), 'change_id': 'CHG-4711', 'expected_ids': expected}


def test_close_in_window_check_mode_then_exactly_the_window_then_rerun(sim, play):
    evars = _window(sim)
    before = state(sim)
    sim.clear_log()
    assert_ok(play('mackerel_close_window.yml', extra_vars=evars, check=True, diff=True))
    assert writes(sim) == []
    assert state(sim) == before

    sim.clear_log()
    assert_ok(play('mackerel_close_window.yml', extra_vars=evars))
    log = sim.requests(platform='mackerel')
    closes = [CLOSE_PATH.match(r['path']).group(1) for r in log if r['method'] == 'POST']
    assert sorted(closes) == sorted(evars['expected_ids'])        # second task sent no write
    assert not [r for r in log if r['method'] == 'GET' and ALERT_PATH.match(r['path'])]   # no per-alert GET
    assert len([r for r in log if r['method'] != 'GET']) == len(closes)
    after = dict((a['id'], a) for a in state(sim))
    for alert in before:
        if alert['id'] in evars['expected_ids']:
            assert after[alert['id']]['status'] == 'OK' and after[alert['id']]['reason'] == 'CHG-4711: planned failover'
        else:
            assert after[alert['id']] == alert                        # byte-identical


@pytest.mark.parametrize('variant', ['400', '200'])
def test_id_lists_and_memo_idempotent(sim, play, variant):
    sim.configure(variants={'mackerel_close_closed': variant})
    alerts = state(sim)
    open_ = [a for a in alerts if a['status'] != 'OK']
    closed = [a for a in alerts if a['status'] == 'OK']
    few = ids(open_[:3])
    many_open = ids(open_[3:40])
    many = many_open + ids(closed[:6])
    evars = {'few_ids': few, 'memo_text': 'checked by CHG-7', 'many_ids': many, 'many_open': many_open,
             'closed_ids': ids(closed[:1]), 'closed_reason': closed[0]['reason']}
    sim.clear_log()
    assert_ok(play('mackerel_ids_memo.yml', extra_vars=evars))
    log = sim.requests(platform='mackerel')
    puts = [r for r in log if r['method'] == 'PUT']
    assert sorted(ALERT_PATH.match(r['path']).group(1) for r in puts) == sorted(few)   # second memo task: none
    closes = [CLOSE_PATH.match(r['path']).group(1) for r in log if r['method'] == 'POST']
    assert sorted(closes) == sorted(many_open)                       # closed ids never re-closed
    after = dict((a['id'], a) for a in state(sim))
    assert all(after[i]['memo'] == 'checked by CHG-7' for i in few)
    assert all(after[i]['status'] == 'OK' for i in many)


def test_faults_nothing_lost_nothing_doubled(sim, play):
    hosts = sim.control('mackerel', 'hosts')
    monitor = 'FaultMonitor1'
    now = int(time.time())
    raised = sim.control('mackerel', 'raise', {'count': 60, 'host_id': hosts['hosts'][2], 'monitor_id': monitor,
                                               'at': now - 100})
    target = set(ids(raised['alerts']))
    before = state(sim)
    sim.configure(faults={'rate_503': 0.08, 'rate_drop_before': 0.08, 'rate_drop_after': 0.08, 'burst_429': 17,
                          'burst_429_length': 2, 'retry_after': '0', 'platforms': ['mackerel'], 'seed': 11})
    sim.clear_log()
    assert_ok(play('mackerel_faults.yml', extra_vars={'monitor_id': monitor, 'expected_count': len(target)}))
    log = sim.requests(platform='mackerel')
    assert {r['fault'] for r in log} >= {'503', '429', 'drop_before', 'drop_after'}
    acted = collections.Counter(CLOSE_PATH.match(r['path']).group(1) for r in log if r['method'] == 'POST'
                                and (r['status'] == 200 or r['fault'] == 'drop_after'))
    assert set(acted) == target and set(acted.values()) == {1}      # exactly one effective close per alert
    failed_closes = [r for r in log if r['method'] == 'POST' and r['status'] not in (200, 503, 429, None)]
    assert failed_closes == []                                      # no close ever hit an already closed alert
    after = dict((a['id'], a) for a in state(sim))
    for alert in before:
        if alert['id'] in target:
            assert after[alert['id']]['status'] == 'OK'
        else:
            assert after[alert['id']] == alert


def test_bad_input_fails_clearly_without_damage_or_leaked_keys(sim, play):
    keys = sim.control('mackerel', 'credentials')['keys']
    good = ids([a for a in state(sim) if a['status'] != 'OK'][:3])
    before = state(sim)
    sim.clear_log()
    result = play('mackerel_errors.yml', verbosity=4, extra_vars={
        'good_ids': good, 'read_only_key': keys['read_only'], 'no_access_key': keys['no_access']})
    assert_ok(result)
    for key in keys.values():
        assert key not in result.output
    assert 'Traceback' not in result.output
    assert state(sim) == before
    log = sim.requests(platform='mackerel')
    posts = [r for r in log if r['method'] == 'POST']
    assert len(posts) == 1 and posts[0]['status'] == 403             # read-only key: one attempt, then stop
    assert not [r for r in log if r['query'].get('limit') == ['101']]  # limit checked before sending


def _next(weekday, hour, now):
    """The next <weekday> (Monday = 0) at <hour>:00 UTC at least two hours after now (epoch seconds)."""
    day = now - now % 86400
    for n in range(9):
        t = day + n * 86400 + hour * 3600
        if time.gmtime(t).tm_wday == weekday and t > now + 7200:
            return t
    raise AssertionError('unreachable')


@pytest.mark.parametrize('variant,spelling', [('spaced', 'db: primary'), ('strict', 'db:primary'),
                                              ('lenient', 'db:primary')])
def test_downtime_role_scopes_in_either_spelling_and_the_sunday_to_monday_warning(sim, play, variant, spelling):
    sim.configure(variants={'mackerel_role_scope_format': variant})
    now = int(time.time())

    def iso(epoch):
        return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch))
    cases = [
        {'name': 'sunday 25h', 'start': iso(_next(6, 7, now)), 'duration': 1500, 'warn': True},
        {'name': 'saturday 49h', 'start': iso(_next(5, 7, now)), 'duration': 2940, 'warn': True},
        {'name': 'sunday under 24h', 'start': iso(_next(6, 7, now)), 'duration': 1439, 'warn': False},
        {'name': 'tuesday 48h', 'start': iso(_next(1, 0, now)), 'duration': 2880, 'warn': False},
        {'name': 'weekly on sundays', 'start': iso(_next(1, 10, now)), 'duration': 1500, 'warn': True,
         'recurrence': {'type': 'weekly', 'weekdays': ['Tuesday', 'Sunday']}},
        {'name': 'eight days', 'start': '+1h', 'duration': '8d', 'warn': True},
    ]
    sim.clear_log()
    result = play('vendor_mackerel_downtime.yml', extra_vars={'expected_spelling': spelling, 'monday_cases': cases})
    assert_ok(result)
    sent = [(r['method'], r['body']) for r in writes(sim) if '/downtimes' in r['path']]
    # create, memo change (PUT), delete, then the six long ones: the rerun in the other spelling sent nothing
    assert [m for m, _b in sent] == ['POST', 'PUT', 'DELETE'] + ['POST'] * 6, sent
    put = json.loads(sent[1][1])
    assert put['roleScopes'] == [spelling] and put['memo'] == 'changed'    # the server's spelling kept
    assert result.output.count('spanning Sunday to Monday') == 4     # the warning, once per long window


@pytest.mark.parametrize('retry_after', ['nan', '-30'])
def test_a_429_with_an_odd_retry_after_waits_the_window_and_every_alert_gets_its_result(sim, play, tmp_path, retry_after):
    """Retry-After: nan used to end the bulk close with an untyped ValueError and no per-item results; a negative
    Retry-After was retried at once. Both are treated as absent: the platform's 60 s window, with a warning."""
    hosts = sim.control('mackerel', 'hosts')
    raised = ids(sim.control('mackerel', 'raise', {'count': 3, 'host_id': hosts['hosts'][1],
                                                   'monitor_id': 'OddHeaders1', 'at': int(time.time()) - 100})['alerts'])
    throttled = raised[1]
    sim.configure(faults={'script': [{'platform': 'mackerel', 'method': 'POST', 'path': '/%s/close$' % throttled,
                                      'fault': '429', 'count': 1, 'retry_after': retry_after}]})
    sim.clear_log()
    result = play('mackerel_odd_headers.yml', extra_vars={'alert_ids': raised})
    assert_ok(result)
    assert 'ValueError' not in result.output and 'unexpected error' not in result.output, result
    closed = json.load(open(str(tmp_path / 'closed.json')))
    assert closed.get('failed') is not True, closed
    assert closed['closed'] == 3
    assert sorted((a['id'], a['changed'], a['after']['status']) for a in closed['alerts']) == \
        sorted((i, True, 'OK') for i in raised)
    assert "Retry-After '%s' is not a usable wait" % retry_after in result.output, result   # the warning
    closes = [r for r in sim.requests(platform='mackerel', method='POST') if r['path'].endswith('/%s/close' % throttled)]
    assert [r['status'] for r in closes] == [429, 200]
    assert closes[1]['time'] - closes[0]['time'] >= 59.0, closes     # the window, not a retry at once
    assert set(a['status'] for a in state(sim) if a['id'] in raised) == {'OK'}
