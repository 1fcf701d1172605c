# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of the suppression decisions: durations, downtime/annotation/maintenance specs, views, deltas."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import bulk, mackerel, opsramp, timeutil
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

NOW = 1795478400   # 2026-11-24T00:00:00Z


@pytest.mark.parametrize('value,unit,expected', [
    ('90', 'm', 5400), (90, 'm', 5400), ('30m', 'm', 1800), ('2h', 'm', 7200), ('1d', 'm', 86400), ('+2h', 'm', 7200),
    ('45s', 'm', 45), ('1.5h', 'm', 5400), ('10', 's', 10), ('1w', 'm', 604800), ('2 H', 'm', 7200),
])
def test_to_seconds(value, unit, expected):
    assert timeutil.to_seconds(value, 'duration', default_unit=unit) == expected


@pytest.mark.parametrize('value,message', [
    (0, 'must be greater than 0'), ('0m', 'must be greater than 0'), ('-5', 'is not a duration'),
    ('soon', 'is not a duration'), ('', 'must be a duration'), (None, 'must be a duration'), (True, 'must be a duration'),
])
def test_to_seconds_rejects(value, message):
    with pytest.raises(ValidationError) as exc:
        timeutil.to_seconds(value, 'duration')
    assert 'option duration' in str(exc.value) and message in str(exc.value)


@pytest.mark.parametrize('value,relative', [
    ('now', True), ('NOW', True), ('+2h', True), ('-30m', True), ('now+5m', True),
    ('2026-11-24T00:00:00Z', False), ('1795478400', False), (1795478400, False), (None, False),
])
def test_is_relative(value, relative):
    assert timeutil.is_relative(value) is relative


@pytest.mark.parametrize('value,expected', [
    ('web:app', 'web:app'), ('web: app', 'web:app'), (' db : primary ', 'db:primary'), ('a-b_c:x-1', 'a-b_c:x-1'),
])
def test_role_fullname(value, expected):
    assert mackerel.role_fullname(value, 'role_scopes') == expected


@pytest.mark.parametrize('value', ['web', 'web:app:x', ':app', 'web:', 'we b:app', 'w:app'])
def test_role_fullname_rejects(value):
    with pytest.raises(ValidationError) as exc:
        mackerel.role_fullname(value, 'role_scopes')
    assert 'option role_scopes' in str(exc.value)


def spec(**kwargs):
    args = dict(name='CHG-1', start='2026-11-24T01:00:00Z', duration='90', now=NOW)
    args.update(kwargs)
    return mackerel.DowntimeSpec(**args)


@pytest.mark.parametrize('kwargs,field,expected', [
    ({}, 'duration', 90),
    ({'duration': '2h'}, 'duration', 120),
    ({'duration': '61s'}, 'duration', 2),                     # whole minutes, rounded up
    ({'duration': None, 'end': '2026-11-24T03:30:00Z'}, 'duration', 150),
    ({}, 'start', NOW + 3600),
    ({'start': 'now'}, 'start', NOW),
    ({'start': None}, 'start', NOW),
    ({'start': '+10m'}, 'start', NOW + 600),
    ({'scopes': {'role_scopes': ['web: app', 'db:primary']}}, 'roleScopes', ['db:primary', 'web:app']),
    ({'scopes': {'service_scopes': ['web', 'web']}}, 'serviceScopes', ['web']),
    ({'recurrence': {'type': 'weekly', 'weekdays': ['sunday', 'Monday'], 'interval': 2}}, 'recurrence',
     {'type': 'weekly', 'interval': 2, 'weekdays': ['Sunday', 'Monday']}),
    ({'recurrence': {'type': 'daily', 'until': '2026-12-24T00:00:00Z'}}, 'recurrence',
     {'type': 'daily', 'interval': 1, 'until': NOW + 30 * 86400}),
])
def test_downtime_body(kwargs, field, expected):
    assert spec(**kwargs).body(now=NOW)[field] == expected


@pytest.mark.parametrize('kwargs,message', [
    ({'name': ' '}, 'option name'),
    ({'duration': '0'}, 'option duration must be greater than 0'),
    ({'duration': None}, 'one of the options duration or end is required'),
    ({'duration': '1h', 'end': '+2h'}, 'mutually exclusive'),
    ({'duration': None, 'end': '2026-11-24T00:30:00Z'}, 'option end'),
    ({'start': 'yesterday'}, 'option start'),
    ({'scopes': {'role_scopes': ['web']}}, 'option role_scopes'),
    ({'scopes': {'service_scopes': ['w b']}}, 'option service_scopes'),
    ({'scopes': {'monitor_scopes': ['a/b']}}, 'option monitor_scopes'),
    ({'recurrence': {'type': 'fortnightly'}}, 'option recurrence.type'),
    ({'recurrence': {'type': 'daily', 'weekdays': ['Monday']}}, 'only allowed with type weekly'),
    ({'recurrence': {'type': 'weekly', 'weekdays': ['Caturday']}}, 'unknown day'),
    ({'recurrence': {'type': 'daily', 'interval': 0}}, 'interval must be at least 1'),
    ({'recurrence': {'type': 'daily', 'until': '2026-11-24T00:30:00Z'}}, 'until must be after start'),
])
def test_downtime_spec_rejects(kwargs, message):
    with pytest.raises(ValidationError) as exc:
        spec(**kwargs)
    assert message in str(exc.value)


@pytest.mark.parametrize('start,existing_start,kept', [
    ('now', NOW - 200, True),          # a rerun a few minutes later: same downtime
    ('now', NOW - 400, False),         # beyond the tolerance: the start moves
    ('2026-11-24T00:00:00Z', NOW - 200, False),   # an absolute start is never bent
    ('+1h', NOW + 3600 + 100, True),
])
def test_relative_start_settles_on_existing(start, existing_start, kept):
    s = spec(start=start, duration='60', tolerance=300)
    body = s.body({'start': existing_start, 'duration': 60}, now=NOW)
    assert (body['start'] == existing_start) is kept


@pytest.mark.parametrize('start,ok', [(NOW - 299, True), (NOW - 301, False), (NOW + 10, True)])
def test_past_limit(start, ok):
    s = spec(tolerance=300)
    if ok:
        s.check_past(start, NOW)
    else:
        with pytest.raises(ValidationError) as exc:
            s.check_past(start, NOW)
        assert 'option start' in str(exc.value) and 'nothing was sent' in str(exc.value)


def test_downtime_view_is_order_insensitive():
    a = {'name': 'x', 'start': 1, 'duration': 2, 'serviceScopes': ['b', 'a'], 'memo': None,
         'recurrence': {'type': 'weekly', 'interval': 1, 'weekdays': ['Monday', 'Sunday'], 'until': None}}
    b = {'name': 'x', 'start': 1, 'duration': 2, 'serviceScopes': ['a', 'b'], 'memo': '', 'roleScopes': [],
         'recurrence': {'type': 'weekly', 'interval': 1, 'weekdays': ['Sunday', 'Monday']}, 'id': 'abc'}
    assert mackerel.downtime_view(a) == mackerel.downtime_view(b)
    assert mackerel.downtime_view(dict(b, duration=3)) != mackerel.downtime_view(a)


@pytest.mark.parametrize('kwargs,expected', [
    ({'start': '2026-11-24T00:00:00Z'}, (NOW, NOW)),
    ({'start': '2026-11-24T00:00:00Z', 'end': '2026-11-24T01:00:00Z'}, (NOW, NOW + 3600)),
    ({'start': '2026-11-24T00:00:00Z', 'duration': '30'}, (NOW, NOW + 1800)),
    ({}, (NOW, NOW)),
])
def test_annotation_window(kwargs, expected):
    a = mackerel.AnnotationSpec('t', 'web', now=NOW, **kwargs)
    assert (a.start, a.end) == expected


@pytest.mark.parametrize('kwargs,message', [
    ({'title': 'x' * 251}, 'option title'),
    ({'title': ''}, 'option title'),
    ({'description': 'd' * 1025}, 'option description'),
    ({'service': 'w b'}, 'option service'),
    ({'roles': ['a b']}, 'option roles'),
    ({'start': '2026-11-24T01:00:00Z', 'end': '2026-11-24T00:00:00Z'}, 'option end'),
])
def test_annotation_rejects(kwargs, message):
    args = dict(title='t', service='web', now=NOW)
    args.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        mackerel.AnnotationSpec(**args)
    assert message in str(exc.value)


def test_annotation_relative_window_keeps_existing_times():
    a = mackerel.AnnotationSpec('t', 'web', start='now', end='+1h', now=NOW)
    body = a.body({'from': NOW - 100, 'to': NOW + 3500})
    assert (body['from'], body['to']) == (NOW - 100, NOW + 3500)


@pytest.mark.parametrize('items,size,expected', [
    ([], 30, []), (list(range(30)), 30, [list(range(30))]), (list(range(31)), 30, [list(range(30)), [30]]),
    (list(range(70)), 30, [list(range(30)), list(range(30, 60)), list(range(60, 70))]),
])
def test_chunks(items, size, expected):
    assert bulk.chunks(items, size) == expected


# -- OpsRamp scheduled maintenance -----------------------------------------------------------------------------
def sm(**kwargs):
    args = dict(name='CHG-1', start='2026-11-24T01:00:00Z', end='2026-11-24T03:00:00Z', hosts=['web-01'], now=NOW)
    args.update(kwargs)
    return opsramp.MaintenanceSpec(**args)


@pytest.mark.parametrize('timezone,basis,start_text', [
    ('UTC', 'local', '2026-11-24T01:00:00+0000'),
    ('America/New_York', 'local', '2026-11-23T20:00:00+0000'),   # wall-clock time in New York (UTC-5 in November)
    ('Asia/Tokyo', 'local', '2026-11-24T10:00:00+0000'),
    ('Asia/Tokyo', 'gmt', '2026-11-24T01:00:00+0000'),
    ('Asia/Kolkata', 'local', '2026-11-24T06:30:00+0000'),
])
def test_maintenance_times(timezone, basis, start_text):
    s = sm(timezone=timezone, time_basis=basis)
    body = s.body()
    assert body['schedule']['startTime'] == start_text and body['schedule']['timezone'] == timezone
    assert s.view(body)['schedule']['start'] == NOW + 3600     # read back to the same instant


@pytest.mark.parametrize('kwargs,message', [
    ({'timezone': 'Mars/Olympus'}, 'option timezone'),
    ({'timezone': '../etc/passwd'}, 'option timezone'),
    ({'timezone': ''}, None),                                   # empty -> UTC
    ({'hosts': ['h%d' % n for n in range(101)]}, 'at most 100'),
    ({'hosts': ['h%d' % n for n in range(60)], 'device_groups': ['g%d' % n for n in range(41)]}, 'at most 100'),
    ({'hosts': []}, 'at least one resource'),
    ({'end': None}, 'one of the options end or duration'),
    ({'end': None, 'duration': '0'}, 'option duration must be greater than 0'),
    ({'end': '2026-11-24T00:30:00Z'}, 'option end'),
    ({'time_basis': 'martian'}, 'option time_basis'),
    ({'recurrence': {'type': 'hourly'}}, 'option recurrence.type'),
    ({'recurrence': {'type': 'weekly', 'weekdays': ['Funday']}}, 'unknown day'),
    ({'name': ''}, 'option name'),
])
def test_maintenance_spec_rejects(kwargs, message):
    if message is None:
        assert sm(**kwargs).timezone == 'UTC'
        return
    with pytest.raises(ValidationError) as exc:
        sm(**kwargs)
    assert message in str(exc.value)


def test_maintenance_hundred_resources_is_fine():
    assert len(sm(hosts=['h%d' % n for n in range(100)]).body()['devices']) == 100


def test_maintenance_view_of_read_back_devices():
    s = sm(hosts=['web-01'], resource_ids=['res-db-02'], device_groups=['Web Servers'])
    read = {'name': 'CHG-1', 'schedule': s.body()['schedule'], 'status': 'Pending',
            'devices': [{'id': 'res-web-01', 'generalInfo': {'hostName': 'web-01'}},
                        {'id': 'res-db-02', 'generalInfo': {'hostName': 'db-02'}}],
            'deviceGroups': [{'name': 'Web Servers'}], 'locations': []}
    view = s.view(read, read=True)
    assert view['resources'] == {'host': ['web-01'], 'resource': ['res-db-02'], 'device_group': ['Web Servers'],
                                 'location': []}
    assert view['resources'] == s.view(s.body())['resources']


@pytest.mark.parametrize('have,want,add,remove', [
    ({'host': ['a']}, {'host': ['a']}, {}, {}),
    ({'host': ['a']}, {'host': ['a', 'b']}, {'devices': [{'hostName': 'b'}]}, {}),
    ({'host': ['a'], 'location': ['L']}, {'host': ['a']}, {}, {'locations': [{'name': 'L'}]}),
    ({'resource': ['r1']}, {'host': ['h']}, {'devices': [{'hostName': 'h'}]}, {'devices': [{'uniqueId': 'r1'}]}),
])
def test_resource_delta(have, want, add, remove):
    assert opsramp.resource_delta(have, want) == (add, remove)


@pytest.mark.parametrize('text,expected', [
    ('2026-11-23T20:00:00+0000', NOW + 3600), ('2026-11-23 20:00:00', None), (None, None),
])
def test_from_wall_time(text, expected):
    _name, zone = opsramp.check_timezone('America/New_York')
    assert opsramp.from_wall_time(text, zone) == expected
