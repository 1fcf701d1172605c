# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change window's suppression decisions (plugin_utils/suppression.py), table by table."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import mackerel, opsramp
from ansible_collections.alertops.core.plugins.plugin_utils import suppression as sup
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

BEGIN = 1795478400          # 2026-11-24T00:00:00Z
ISO = sup.iso
ALL = ['mackerel', 'opsramp', 'log360']


def preview(*hosts):
    return {'hosts': [{'id': h, 'before': {'status': s}, 'roles': roles} for h, s, roles in hosts]}


@pytest.mark.parametrize('platforms,scope,options,expect', [
    # hosts only: hosts into maintenance, no downtime (Mackerel downtimes cannot name hosts); annotation per service
    (ALL, {'mackerel_host_ids': ['h1', 'h2']}, {}, {
        'downtimes': [], 'hosts': ['h1', 'h2'], 'opsramp': None, 'annotation_services': ['db', 'web']}),
    # monitors and services: a downtime each (Mackerel ANDs the two kinds of scope)
    (ALL, {'mackerel_monitor_ids': ['m2', 'm1']}, {'services': ['web']}, {
        'downtimes': [('CHG-1', ['m1', 'm2'], [], []), ('CHG-1 services', [], ['web'], [])],
        'hosts': [], 'annotation_services': ['web']}),
    (ALL, {'mackerel_monitor_ids': ['m1']}, {}, {'downtimes': [('CHG-1', ['m1'], [], [])]}),
    # roles give the annotation its service
    (['mackerel'], {'mackerel_host_ids': []}, {'roles': ['api:gateway']}, {
        'downtimes': [('CHG-1', [], [], ['api:gateway'])],
        'annotation_services': ['api']}),
    # OpsRamp resources from the scope query (a comma string or a list) and host names
    (['opsramp'], {'opsramp_query': {'resourceIds': 'r2,r1'}}, {'opsramp_hosts': ['web-01']}, {
        'opsramp': {'resource_ids': ['r1', 'r2'], 'hosts': ['web-01']}, 'downtimes': [], 'hosts': []}),
    (['opsramp'], {'opsramp_query': {'states': 'Critical'}}, {}, {'opsramp': None}),
    # a platform not handled gets nothing
    (['log360'], {'mackerel_host_ids': ['h1'], 'opsramp_query': {'resourceIds': ['r1']}}, {}, {
        'downtimes': [], 'hosts': [], 'opsramp': None, 'annotation_services': []}),
])
def test_begin_plan(platforms, scope, options, expect):
    host_preview = preview(('h1', 'working', {'web': ['app']}), ('h2', 'standby', {'db': ['primary']}))
    plan, record = sup.begin_plan('CHG-1', platforms, scope, BEGIN, options, host_preview)
    for key, value in expect.items():
        if key == 'annotation_services':
            assert [a['service'] for a in plan['annotations']] == value
        elif key == 'downtimes':
            assert [(d['name'], d['monitor_scopes'], d['service_scopes'], d['role_scopes']) for d in plan[key]] == value
        elif isinstance(value, dict):
            assert dict((k, plan[key][k]) for k in value) == value
        else:
            assert plan[key] == value
    for downtime in plan['downtimes']:
        assert downtime['start'] == '2026-11-24T00:00:00Z'
        assert downtime['end'] == '2026-11-24T04:00:00Z'     # the default duration, 4 h
    if plan['opsramp']:
        assert plan['opsramp']['name'] == 'CHG-1'


@pytest.mark.parametrize('recorded,current,expected', [
    ({}, 'working', 'working'),
    ({}, 'standby', 'standby'),
    ({'h1': 'standby'}, 'maintenance', 'standby'),     # a rerun of begin: the first record wins
    ({'h1': 'working'}, 'working', 'working'),
])
def test_previous_status_is_recorded_once(recorded, current, expected):
    _plan, record = sup.begin_plan('CHG-1', ALL, {'mackerel_host_ids': ['h1']}, BEGIN, {},
                                   preview(('h1', current, {})), {'hosts': recorded})
    assert record['hosts'] == {'h1': expected}


@pytest.mark.parametrize('options,message', [
    ({'duration': '0'}, 'maintenance_window_suppress_duration'),
    ({'duration': 'soon'}, 'maintenance_window_suppress_duration'),
    ({'verify_timeout': -1}, 'maintenance_window_verify_timeout'),
])
def test_options_rejected(options, message):
    with pytest.raises(ValidationError) as exc:
        sup.check_options(options)
    assert message in str(exc.value) and 'variable' in str(exc.value)


def ok(**kwargs):
    return dict(changed=True, **kwargs)


def test_record_begin_and_end_roundtrip():
    record = {'hosts': {'h1': 'working', 'h2': 'standby', 'h3': 'maintenance'}}
    results = {
        'downtimes': {'results': [ok(downtime={'id': 'dt1', 'name': 'CHG-1'}, item={'name': 'CHG-1'})]},
        'hosts': ok(hosts=[{'id': 'h1', 'after': {'status': 'maintenance'}}, {'id': 'h2', 'after': {'status': 'maintenance'}},
                           {'id': 'h3', 'after': {'status': 'maintenance'}}]),
        'opsramp': ok(maintenance={'uniqueId': 'SM-1', 'name': 'CHG-1'}),
        'annotations': {'results': [ok(annotation={'id': 'ga1', 'title': 'CHG-1 change window', 'service': 'web',
                                                   'from_at': '2026-11-24T00:00:00Z'})]},
    }
    record = sup.record_begin(record, results)
    assert record['downtimes'] == [{'name': 'CHG-1', 'id': 'dt1'}]
    assert record['opsramp'] == {'name': 'CHG-1', 'id': 'SM-1'}
    assert record['in_place'] == [
        'Mackerel downtime CHG-1 (id dt1)',
        'Mackerel hosts in maintenance: h1, h2 (previous status: h1=working, h2=standby)',
        'OpsRamp scheduled maintenance CHG-1 (SM-1)']
    plan = sup.end_plan(record, BEGIN + 3600)
    # h3 was already in maintenance before the change: it is left alone
    assert plan == {'downtimes': ['CHG-1'], 'host_statuses': {'h1': 'working', 'h2': 'standby'}, 'opsramp': 'CHG-1',
                    'opsramp_windows': ['CHG-1'],
                    'annotations': [{'title': 'CHG-1 change window', 'service': 'web', 'start': '2026-11-24T00:00:00Z',
                                     'end': '2026-11-24T01:00:00Z'}], 'active': True}
    restored = ok(hosts=[{'id': 'h1', 'after': {'status': 'working'}}, {'id': 'h2', 'after': {'status': 'standby'}}])
    done = sup.record_end(record, {'downtimes': {'results': [ok(item='CHG-1')]}, 'hosts': restored, 'opsramp': ok()},
                          BEGIN + 3600)
    assert done['in_place'] == [] and done['undone_at'] == '2026-11-24T01:00:00Z'
    assert done['restored'] == {'h1': 'working', 'h2': 'standby'}


@pytest.mark.parametrize('results,left', [
    ({'downtimes': {'results': [{'failed': True, 'msg': 'HTTP 503', 'item': 'CHG-1'}]}, 'hosts': ok(hosts=[]),
      'opsramp': ok()},
     ['Mackerel downtime CHG-1 (id dt1)']),
    ({'downtimes': {'results': [ok(item='CHG-1')]}, 'hosts': {'failed': True, 'hosts': [{'id': 'h1', 'changed': True}, {'id': 'h2', 'changed': False}]},
      'opsramp': ok()},
     ['Mackerel hosts in maintenance: h2 (previous status: h2=standby)']),
    ({'downtimes': {'results': [ok(item='CHG-1')]}, 'hosts': ok(hosts=[]), 'opsramp': {'failed': True}},
     ['OpsRamp scheduled maintenance CHG-1 (SM-1)']),
    ({}, ['Mackerel downtime CHG-1 (id dt1)', 'Mackerel hosts in maintenance: h1, h2 (previous status: h1=working, '
          'h2=standby)', 'OpsRamp scheduled maintenance CHG-1 (SM-1)']),
])
def test_a_failed_end_says_what_is_still_in_place(results, left):
    record = {'downtimes': [{'name': 'CHG-1', 'id': 'dt1'}], 'hosts': {'h1': 'working', 'h2': 'standby'},
              'hosts_in_maintenance': ['h1', 'h2'], 'opsramp': {'name': 'CHG-1', 'id': 'SM-1'}}
    done = sup.record_end(record, results, BEGIN)
    assert done['in_place'] == left
    assert done.get('undone_at') is None


def test_end_plan_of_nothing():
    assert sup.end_plan({}, BEGIN) == {'downtimes': [], 'host_statuses': {}, 'opsramp': None, 'opsramp_windows': [], 'annotations': [],
                                       'active': False}


@pytest.mark.parametrize('scope,hosts,mackerel_alerts,opsramp_alerts,expected', [
    # a host's monitor still CRITICAL
    ({'mackerel_host_ids': ['h1']},
     [{'id': 'h1', 'monitored_statuses': [{'monitorId': 'm1', 'status': 'CRITICAL'}, {'monitorId': 'm2', 'status': 'OK'}]}],
     [], [], [('mackerel', 'monitor', 'm1', 'h1')]),
    # restricted to the monitors in scope
    ({'mackerel_host_ids': ['h1'], 'mackerel_monitor_ids': ['m2']},
     [{'id': 'h1', 'monitored_statuses': [{'monitorId': 'm1', 'status': 'CRITICAL'}]}], [], [], []),
    # a monitor that already failed before the change (its alert is in the baseline) is not the change's
    ({'mackerel_host_ids': ['h1']},
     [{'id': 'h1', 'monitored_statuses': [{'monitorId': 'm1', 'status': 'CRITICAL'}, {'monitorId': 'm3', 'status': 'WARNING'}]}],
     [{'id': 'a0', 'status': 'CRITICAL', 'monitorId': 'm1', 'hostId': 'h1', 'openedAt': BEGIN - 99}], [],
     [('mackerel', 'monitor', 'm3', 'h1')]),
    # with hosts and monitors in scope an alert must match both
    ({'mackerel_host_ids': ['h1'], 'mackerel_monitor_ids': ['m1']}, [],
     [{'id': 'a1', 'status': 'CRITICAL', 'monitorId': 'm1', 'hostId': 'h2', 'openedAt': BEGIN + 10},
      {'id': 'a5', 'status': 'CRITICAL', 'monitorId': 'm1', 'hostId': 'h1', 'openedAt': BEGIN + 10}], [],
     [('mackerel', 'alert', 'a5', 'h1')]),
    # open alerts of monitors in scope opened in the window; baseline and older ones are not the change's
    ({'mackerel_monitor_ids': ['m1']}, [],
     [{'id': 'a1', 'status': 'CRITICAL', 'monitorId': 'm1', 'openedAt': BEGIN + 10},
      {'id': 'a0', 'status': 'CRITICAL', 'monitorId': 'm1', 'openedAt': BEGIN + 10},
      {'id': 'a2', 'status': 'CRITICAL', 'monitorId': 'm1', 'openedAt': BEGIN - 10},
      {'id': 'a3', 'status': 'OK', 'monitorId': 'm1', 'openedAt': BEGIN + 10},
      {'id': 'a4', 'status': 'WARNING', 'monitorId': 'm9', 'openedAt': BEGIN + 10}], [],
     [('mackerel', 'alert', 'a1', None)]),
    # OpsRamp: open, not in the baseline, not closed or healed
    ({}, [], [], [{'uniqueId': '7', 'currentState': 'Critical', 'closed': False, 'device': {'name': 'db-01'}},
                  {'uniqueId': '8', 'currentState': 'Critical', 'closed': True},
                  {'uniqueId': '9', 'currentState': 'Ok', 'closed': False},
                  {'uniqueId': '5', 'currentState': 'Critical', 'closed': False}],
     [('opsramp', 'alert', '7', 'db-01')]),
])
def test_verify_failures(scope, hosts, mackerel_alerts, opsramp_alerts, expected):
    # the alerts come in normalised by their client, as the action hands them over
    failures = sup.verify_failures(scope, {'mackerel': ['a0'], 'opsramp': ['5']}, BEGIN, {'hosts': hosts},
                                   [mackerel.to_model(a) for a in mackerel_alerts],
                                   [opsramp.normalise(a) for a in opsramp_alerts])
    assert [(f['platform'], f['kind'], f['id'], f['host']) for f in failures] == expected


@pytest.mark.parametrize('failures,deadline,now,done,healthy', [
    ([], BEGIN + 60, BEGIN, True, True),
    ([{'id': 'x'}], BEGIN + 60, BEGIN, False, False),
    ([{'id': 'x'}], BEGIN + 60, BEGIN + 60, True, False),
])
def test_verdict(failures, deadline, now, done, healthy):
    out = sup.verdict(failures, deadline, now)
    assert (out['done'], out['healthy']) == (done, healthy)


def test_verify_summary():
    assert sup.verify_summary([], 60) == 'verify: the scope is healthy'
    text = sup.verify_summary([{'platform': 'mackerel', 'kind': 'monitor', 'id': 'm1', 'host': 'h1',
                                'status': 'CRITICAL'}], 60)
    assert text == 'verify: after 60s still failing: mackerel monitor m1 on h1 (CRITICAL)'


MONITORS = [{'id': 'm1', 'type': 'host', 'name': 'cpu'}, {'id': 'm2', 'type': 'connectivity'},
            {'id': 'm3', 'type': 'service', 'name': 'web 5xx'}, {'id': 'm4', 'type': 'expression', 'name': 'avg'},
            {'id': 'm5', 'type': 'external', 'name': 'example.com'}, {'id': 'm6', 'type': 'query', 'name': 'q'},
            {'id': 'm7', 'type': 'anomalyDetection', 'name': 'ad'}, {'id': 'm8', 'type': 'check', 'name': 'chk'}]


@pytest.mark.parametrize('monitor_ids,expected', [
    ([], []),                                   # no monitor in scope: nothing to say
    (['m1', 'm2', 'm7', 'm8'], []),              # per-host state in monitored statuses
    (['m3'], [('m3', 'web 5xx', 'service')]),
    (['m1', 'm4', 'm5', 'm6', 'm9'], [('m4', 'avg', 'expression'), ('m5', 'example.com', 'external'),
                                      ('m6', 'q', 'query')]),   # m9: not a monitor the read returned
])
def test_unverifiable_monitors_in_scope(monitor_ids, expected):
    got = sup.unverifiable({'mackerel_monitor_ids': monitor_ids}, MONITORS)
    assert [(u['id'], u['name'], u['type']) for u in got] == expected
    assert all(u['why'] == sup.UNVERIFIABLE[u['type']] and u['platform'] == 'mackerel' for u in got)


def test_verify_names_monitors_from_the_monitor_read_and_says_what_it_cannot_tell():
    hosts = {'hosts': [{'id': 'h1', 'displayName': 'db-01', 'monitored_statuses': [
        {'monitorId': 'm1', 'status': 'CRITICAL'}, {'monitorId': 'm2', 'status': 'WARNING'},
        {'monitorId': 'mX', 'status': 'CRITICAL'}]}]}
    failures = sup.verify_failures({'mackerel_host_ids': ['h1']}, {}, BEGIN, hosts, [], [], mackerel_monitors=MONITORS)
    assert [f['title'] for f in failures] == ['cpu on db-01 is CRITICAL', 'connectivity monitor m2 on db-01 is WARNING',
                                              'mX on db-01 is CRITICAL']
    cannot = sup.unverifiable({'mackerel_monitor_ids': ['m3']}, MONITORS)
    assert sup.verify_summary([], 60, cannot) == (
        'verify: the scope is healthy as far as can be read; cannot tell (not counted as healthy): mackerel web 5xx '
        '(service): ' + sup.UNVERIFIABLE['service'])


@pytest.mark.parametrize('record,expected', [
    ({'left_in_place': [{'platform': 'mackerel', 'kind': 'host', 'id': 'h1', 'what': 'Mackerel host h1'}]}, {'h1'}),
    ({'left_in_place': [{'what': 'Mackerel host h2', 'why': 'retired'}]}, {'h2'}),     # recorded before the id field
    ({}, set()),
    (None, set()),
])
def test_gone_hosts(record, expected):
    assert sup.gone_hosts(record) == expected


@pytest.mark.parametrize('record,expected', [
    ({}, 'Suppression: none was created.'),
    ({'downtimes': [{'name': 'CHG-1', 'id': 'd'}], 'hosts': {'h1': 'working', 'h2': 'maintenance'},
      'hosts_in_maintenance': ['h1', 'h2'], 'undone_at': '2026-11-24T01:00:00Z'},
     'Suppressed during the window: Mackerel downtime CHG-1; 1 Mackerel host(s) in maintenance (h1 was working); '
     'removed at 2026-11-24T01:00:00Z.'),
    ({'opsramp': {'name': 'CHG-1', 'id': 'SM-1'}, 'in_place': ['OpsRamp scheduled maintenance CHG-1 (SM-1)']},
     'Suppressed during the window: OpsRamp scheduled maintenance CHG-1 (SM-1); STILL IN PLACE: OpsRamp scheduled '
     'maintenance CHG-1 (SM-1).'),
])
def test_summary_line(record, expected):
    assert sup.summary_line(record) == expected


# -- extend -------------------------------------------------------------------------------------------------------
EXT_SCOPE = {'mackerel_host_ids': ['h1'], 'mackerel_monitor_ids': ['m1'], 'opsramp_query': {'resourceIds': ['r1']}}
EXT_RECORD = {'downtimes': [{'name': 'CHG-1', 'id': 'dt1'}], 'hosts': {'h1': 'working'}, 'hosts_in_maintenance': ['h1'],
              'opsramp': {'name': 'CHG-1', 'id': 'SM-1'}, 'duration': 3600,
              'planned': {'downtimes': ['CHG-1'], 'opsramp': 'CHG-1'}}
PLATFORMS = ['mackerel', 'opsramp']


@pytest.mark.parametrize('window,name,start,how', [
    # Active (the usual: begin created it from begin): it cannot be rescheduled, a follow-on from the old end
    ({'status': 'Active'}, 'CHG-1 #2', BEGIN + 3600, 'a follow-on window'),
    # the window ended already (the approval took longer than the suppression): a follow-on from now
    ({'status': 'Completed'}, 'CHG-1 #2', BEGIN + 5400, 'a follow-on window'),
    (None, 'CHG-1 #2', BEGIN + 5400, 'a follow-on window'),
    # Pending: moved in place
    ({'status': 'Pending', 'schedule': {'startTime': '2026-11-24T05:30:00+0530'}}, 'CHG-1', BEGIN, 'updated in place'),
])
def test_extend_plan(window, name, start, how):
    now = BEGIN + (5400 if window in (None, {'status': 'Completed'}) else 1800)
    plan, record = sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, {'duration': '3h'}, EXT_RECORD, window, now)
    assert [(d['name'], d['start'], d['end'], d['monitor_scopes']) for d in plan['downtimes']] == [
        ('CHG-1', ISO(BEGIN), ISO(BEGIN + 10800), ['m1'])]
    assert (plan['opsramp']['name'], plan['opsramp']['start'], plan['opsramp']['end']) == (
        name, ISO(start), ISO(BEGIN + 10800))
    assert plan['opsramp']['how'].startswith(how) and plan['opsramp']['resource_ids'] == ['r1']
    assert plan['notes'] == ['Mackerel host maintenance has no end to move: 1 host(s) stay in maintenance until end '
                             '(or the expiry sweep, which now waits until %s)' % ISO(BEGIN + 10800)]
    # written ahead: the target and the follow-on's name; the suppression's own end moves once the writes are done
    assert record['duration'] == 3600 and record['extending']['to'] == ISO(BEGIN + 10800)
    assert record['planned']['opsramp_follow_ons'] == ([name] if name != 'CHG-1' else [])
    done, failed = sup.record_extend(record, {'downtimes': {'results': [ok(item={'name': 'CHG-1'})]},
                                              'opsramp': ok(maintenance={'name': name, 'uniqueId': 'SM-9'})})
    assert failed == [] and 'extending' not in done and done['duration'] == 10800
    assert done['extended'] == [{'at': ISO(now), 'from': ISO(BEGIN + 3600), 'to': ISO(BEGIN + 10800)}]
    assert EXT_RECORD['duration'] == 3600                      # the input record is not modified


def test_a_second_extend_moves_the_pending_follow_on_and_end_removes_every_window():
    plan, record = sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, {'duration': '2h'}, EXT_RECORD,
                                   {'status': 'Active'}, BEGIN + 600)
    made = ok(maintenance={'name': 'CHG-1 #2', 'uniqueId': 'SM-2'})
    record, failed = sup.record_extend(record, {'opsramp': made, 'downtimes': {'results': [ok(item={'name': 'CHG-1'})]}})
    assert failed == [] and record['opsramp_follow_ons'] == [{'name': 'CHG-1 #2', 'id': 'SM-2'}]
    assert record['in_place'][-2:] == ['OpsRamp scheduled maintenance CHG-1 (SM-1)',
                                       'OpsRamp scheduled maintenance CHG-1 #2 (SM-2)']
    again, record = sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, {'until': ISO(BEGIN + 4 * 3600)}, record,
                                    {'status': 'Pending', 'schedule': {'startTime': ISO(BEGIN + 3600)}}, BEGIN + 1200)
    assert (again['opsramp']['name'], again['opsramp']['start'], again['opsramp']['end']) == (
        'CHG-1 #2', ISO(BEGIN + 3600), ISO(BEGIN + 4 * 3600))
    assert record['planned']['opsramp_follow_ons'] == ['CHG-1 #2']
    # a third window only planned (its answer lost) is removed by name all the same
    record['planned']['opsramp_follow_ons'].append('CHG-1 #3')
    undo = sup.end_plan(record, BEGIN + 5000)
    assert undo['opsramp_windows'] == ['CHG-1', 'CHG-1 #2', 'CHG-1 #3']
    ended = sup.record_end(record, {'downtimes': {'results': [ok(item='CHG-1')]}, 'hosts': ok(hosts=[]),
                                    'opsramp': {'results': [ok(item='CHG-1'), ok(item='CHG-1 #2'),
                                                            {'failed': True, 'item': 'CHG-1 #3'}]}}, BEGIN + 5000)
    assert ended['in_place'] == ['OpsRamp scheduled maintenance CHG-1 (SM-1)',
                                 'OpsRamp scheduled maintenance CHG-1 #2 (SM-2)']
    ended = sup.record_end(record, {'downtimes': {'results': [ok(item='CHG-1')]}, 'hosts': ok(hosts=[]),
                                    'opsramp': {'results': [ok(item=n) for n in undo['opsramp_windows']]}}, BEGIN + 5000)
    assert ended['in_place'] == [] and ended['undone_at'] == ISO(BEGIN + 5000)
    assert 'extended at %s to %s' % (ISO(BEGIN + 600), ISO(BEGIN + 7200)) in sup.summary_line(ended)
    assert 'extended at %s to %s' % (ISO(BEGIN + 1200), ISO(BEGIN + 4 * 3600)) not in sup.summary_line(ended)


def test_a_rerun_after_a_half_failed_extend_continues_with_the_same_window_and_a_rerun_after_success_sends_nothing():
    plan, record = sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, {'duration': '2h'}, EXT_RECORD,
                                   {'status': 'Active'}, BEGIN + 600)
    assert plan['opsramp']['name'] == 'CHG-1 #2'
    # the OpsRamp create failed (or its answer was lost): the suppression's end did not move
    record, failed = sup.record_extend(record, {'downtimes': {'results': [ok(item={'name': 'CHG-1'})]},
                                                'opsramp': {'failed': True, 'msg': 'HTTP 503'}})
    assert failed == ['the OpsRamp window'] and record['duration'] == 3600 and record['extending']['to'] == ISO(BEGIN + 7200)
    # the rerun, later, asks for the same end: the same follow-on window (not a #3), from the same start
    again, record = sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, {'duration': '2h'}, record,
                                    None, BEGIN + 900)
    assert (again['opsramp']['name'], again['opsramp']['start']) == ('CHG-1 #2', ISO(BEGIN + 3600))
    assert record['planned']['opsramp_follow_ons'] == ['CHG-1 #2']
    record, failed = sup.record_extend(record, {'downtimes': {'results': [ok(item={'name': 'CHG-1'})]},
                                                'opsramp': ok(maintenance={'name': 'CHG-1 #2', 'uniqueId': 'SM-2'})})
    assert failed == [] and record['duration'] == 7200
    assert record['extended'] == [{'at': ISO(BEGIN + 600), 'from': ISO(BEGIN + 3600), 'to': ISO(BEGIN + 7200)}]
    # and once more with the same end: nothing to send
    third, same = sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, {'duration': '2h'}, record,
                                  {'status': 'Pending'}, BEGIN + 1000)
    assert third['downtimes'] == [] and third['opsramp'] is None and same == record
    assert third['notes'] == ['already extended to %s: nothing to send' % ISO(BEGIN + 7200)]


@pytest.mark.parametrize('options,record,message', [
    ({'duration': '30m'}, EXT_RECORD, 'ends at 2026-11-24T01:00:00Z: the new end 2026-11-24T00:30:00Z does not extend'),
    ({'until': '-1h'}, EXT_RECORD, 'does not extend it'),
    ({'duration': 'soon'}, EXT_RECORD, 'maintenance_window_suppress_duration'),
    ({'until': 'tomorrowish'}, EXT_RECORD, 'maintenance_window_suppress_until'),
    ({'duration': '3h'}, {}, 'has no suppression to extend'),
])
def test_extend_refusals(options, record, message):
    with pytest.raises(ValidationError) as err:
        sup.extend_plan('CHG-1', PLATFORMS, EXT_SCOPE, BEGIN, options, record, {'status': 'Active'}, BEGIN + 600)
    assert message in str(err.value)
    assert 'nothing was sent' in str(err.value) or 'maintenance_window_suppress' in str(err.value)
