# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of the vendor quirks of issue 21: Mackerel role scope spellings and the Sunday-to-Monday
downtime limit, OpsRamp scheduled-maintenance time offsets, Log360 v1 metadata shapes.

Times are built from a fixed Monday 00:00 UTC plus offsets (pure functions: nothing depends on today's date)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import mackerel

MONDAY = 4 * 86400 + 2900 * 7 * 86400      # a Monday 00:00 UTC (1970-01-05 plus 2900 weeks)
H = 3600
D = 86400
SUN, SAT, TUE = MONDAY - D, MONDAY - 2 * D, MONDAY + D


@pytest.mark.parametrize('value,key', [
    ('db:primary', 'db:primary'), ('db: primary', 'db:primary'), ('db :primary', 'db:primary'),
    (' db  :  primary ', 'db:primary'), ('web-1:app_2', 'web-1:app_2'),
])
def test_role_scope_key(value, key):
    assert mackerel.scope_key(value) == key


@pytest.mark.parametrize('existing,wanted,sent', [
    (['db: primary'], ['db:primary'], ['db: primary']),                 # the server's spelling kept
    (['db:primary'], ['db:primary'], ['db:primary']),
    (['db: primary'], ['db:primary', 'web:app'], ['db: primary', 'web:app']),   # a new one in ours
    (None, ['db:primary'], ['db:primary']),
])
def test_downtime_body_keeps_the_servers_spelling(existing, wanted, sent):
    spec = mackerel.DowntimeSpec('CHG-1', start=MONDAY + 9 * H, duration=60, scopes={'role_scopes': wanted},
                                 now=MONDAY)
    old = {'id': 'x', 'name': 'CHG-1', 'start': MONDAY + 9 * H, 'duration': 60, 'memo': ''}
    if existing:
        old['roleScopes'] = existing
    assert spec.body(old if existing else None, now=MONDAY)['roleScopes'] == sent


def test_downtime_view_compares_role_scopes_without_spaces():
    a = {'name': 'n', 'start': 1, 'duration': 2, 'roleScopes': ['db: primary', 'web:app'],
         'roleExcludeScopes': ['web : proxy']}
    b = {'name': 'n', 'start': 1, 'duration': 2, 'roleScopes': ['web:app', 'db:primary'],
         'roleExcludeScopes': ['web:proxy']}
    assert mackerel.downtime_view(a) == mackerel.downtime_view(b)
    assert mackerel.downtime_view(a) != mackerel.downtime_view(dict(b, roleScopes=['db:replica']))


@pytest.mark.parametrize('start,duration,recurrence,crossing', [
    (SUN + 7 * H, 1500, None, (SUN + 7 * H, 'UTC')),           # the guide's example: Sunday 07:00, 25 h
    (SAT + 7 * H, 2940, None, (SAT + 7 * H, 'UTC')),           # the guide's example: Saturday 07:00, 49 h
    (SUN + 7 * H, 1439, None, None),                           # under 24 h: nothing ignored
    (SUN, 1440, None, (SUN, 'JST')),                           # ends at Monday 00:00 UTC, spans Monday 00:00 JST
    (SUN + 16 * H, 1440, None, (SUN + 16 * H, 'UTC')),         # after Monday 00:00 JST (Sunday 15:00 UTC)
    (TUE, 2880, None, None),                                   # Tuesday to Thursday
    (MONDAY, 1440, None, None),                                # starts at Monday 00:00: spans none
    (SAT + 16 * H, 1440, None, (SAT + 16 * H, 'JST')),         # Saturday 16:00 UTC (Sunday 01:00 JST) for 24 h
                                                               # spans Sunday 15:00 UTC = Monday 00:00 JST
    (SAT, 1440, None, None),                                   # Saturday to Sunday 00:00 UTC (09:00 JST)
    (TUE + 10 * H, 1500, {'type': 'weekly', 'interval': 1, 'weekdays': ['Tuesday', 'Sunday']},
     (SUN + 7 * D + 10 * H, 'UTC')),                           # the Sunday occurrence
    (TUE + 10 * H, 1500, {'type': 'weekly', 'interval': 1, 'weekdays': ['Tuesday']}, None),
    (TUE, 1440, {'type': 'daily', 'interval': 1}, (TUE + 5 * D, 'JST')),   # the Sunday 00:00 UTC occurrence
    (TUE, 1440, {'type': 'daily', 'interval': 7}, None),       # every week on Tuesday
    (TUE, 1440, {'type': 'daily', 'interval': 1, 'until': TUE + 2 * D}, None),
    (TUE, 1440, {'type': 'monthly', 'interval': 1}, 'some'),   # the weekday moves: some month spans it
    (TUE, 120, {'type': 'hourly', 'interval': 1}, None),
])
def test_monday_crossing(start, duration, recurrence, crossing):
    got = mackerel.monday_crossing(start, duration, recurrence)
    if crossing == 'some':
        assert got is not None
    else:
        assert got == crossing


def test_downtime_spec_split_names_the_occurrence():
    spec = mackerel.DowntimeSpec('CHG-1', start=SUN + 7 * H, duration='25h', now=SUN)
    split = spec.sunday_monday_split()
    assert split['zone'] == 'UTC' and 'spanning Sunday to Monday' in split['warning']
    assert mackerel.DowntimeSpec('CHG-1', start=TUE, duration='2h', now=TUE).sunday_monday_split() is None
