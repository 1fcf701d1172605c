# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timedelta, tzinfo

import pytest

from ansible_collections.alertops.core.plugins.module_utils import timeutil
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

NOW = 1795478400.0   # 2026-11-24T00:00:00Z


class Plus2(tzinfo):
    def utcoffset(self, dt):
        return timedelta(hours=2)

    def dst(self, dt):
        return timedelta(0)


@pytest.mark.parametrize('value,expected', [
    ('2026-11-24T00:00:00Z', NOW),
    ('2026-11-24T00:00:00z', NOW),
    ('2026-11-24T02:00:00+02:00', NOW),
    ('2026-11-24T02:00:00+0200', NOW),
    ('2026-11-23T22:00:00-02', NOW),
    ('2026-11-24 00:00:00Z', NOW),
    ('2026-11-24', NOW),
    ('20261124', NOW),                      # ISO 8601 basic date, never epoch seconds in 1970
    (20261124, NOW),
    ('20261124T000000Z', NOW),
    ('20261124T020000+0200', NOW),
    ('2026-11-24T00:00:00+18:00', NOW - 18 * 3600),
    ('2026-11-24T00:00:00-18:00', NOW + 18 * 3600),
    ('9999-12-31T23:59:59Z', 253402300799),  # an ISO string is never re-read as epoch (was 1978)
    ('1970-01-01T00:00:00Z', 0),
    (0, 0),
    (253402300799, 253402300799),            # the largest epoch seconds
    ('253402300799', 253402300799),
    (1000000000000, 1000000000),             # the smallest epoch milliseconds
    (253402300799999, 253402300799.999),
    ('2026-11-24T00:00:00.250Z', NOW + 0.25),
    (NOW, NOW),
    (int(NOW), NOW),
    (int(NOW * 1000), NOW),
    (str(int(NOW * 1000)), NOW),
    (str(int(NOW)), NOW),
    ('now', NOW),
    ('NOW', NOW),
    ('-24h', NOW - 86400),
    ('now-30m', NOW - 1800),
    ('-7d', NOW - 7 * 86400),
    ('+1w', NOW + 604800),
    ('-90s', NOW - 90),
    (datetime(2026, 11, 24), NOW),
    (datetime(2026, 11, 24, 2, tzinfo=Plus2()), NOW),
])
def test_to_epoch_accepts_every_form(value, expected):
    assert timeutil.to_epoch(value, now=NOW) == pytest.approx(expected)


@pytest.mark.parametrize('value,error', [
    ('yesterday', 'is not a time'),
    ('', 'is empty'),
    (None, 'is empty'),
    (True, 'got a boolean'),
    (-5, 'not a valid epoch'),
    ('-5', 'is not a time'),
    (float('nan'), 'not a valid epoch'),
    (float('inf'), 'not a valid epoch'),
    ('2026-13-01T00:00:00Z', 'not a valid date'),
    ('2026-11-24T25:00:00Z', 'not a valid date'),
    ('-24x', 'is not a time'),
    ('2026-11-24T10:00:00+99:99', 'offset'),
    ('2026-11-24T10:00:00+18:01', 'offset'),
    ('2026-11-24T10:00:00+05:60', 'offset'),
    ('2026-11-24T10:00:00+1900', 'offset'),
    ('2026-11-24T10:00:00', 'has no time zone; add Z'),
    ('2026-11-24 10:00', 'has no time zone'),
    ('20261124T100000', 'has no time zone'),
    ('20261399', 'not a valid date'),
    (20261399, 'not a valid date'),
    ('12340101', 'before 1970'),
    ('1969-12-31T23:59:59Z', 'before 1970'),
    ('1970-01-01T00:00:00+01:00', 'before 1970'),
    (253402300800, 'neither epoch seconds'),
    ('999999999999', 'neither epoch seconds'),
    (253402300800000, 'after 9999-12-31'),
    ('1e12', 'is not a time'),
])
def test_to_epoch_rejects_bad_input_naming_the_option(value, error):
    with pytest.raises(ValidationError, match=error) as info:
        timeutil.to_epoch(value, 'start_time', now=NOW)
    assert str(info.value).startswith('option start_time')


@pytest.mark.parametrize('value,expected', [
    ('2026-11-24T00:00:00', NOW),            # vendor data without a zone is UTC
    ('2026-11-24 00:00:00', NOW),
    ('2017-06-16T05:38:10+0000', 1497591490),
    ('1747640177921', 1747640177.921),
    (1747640177, 1747640177),
    ('9999-12-31T23:59:59Z', 253402300799),
    ('2026-11-24T00:00:00+99:99', None),
    ('500000000000', None),
    ('garbage', None),
])
def test_parse_vendor_rules(value, expected):
    result = timeutil.parse_vendor(value)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize('value,expected', [
    (253402300799, '9999-12-31T23:59:59Z'),
    (253402300799999, '9999-12-31T23:59:59Z'),
    (1000000000000, '2001-09-09T01:46:40Z'),
    (0, '1970-01-01T00:00:00Z'),
    (500000000000, None),
    (-1, None),
    ('x', None),
])
def test_to_iso_rules(value, expected):
    assert timeutil.to_iso(value) == expected


def test_to_epoch_zone_error_names_the_rule():
    with pytest.raises(ValidationError) as info:
        timeutil.to_epoch('2026-11-24T10:00:00', 'opened_after')
    assert str(info.value) == ("option opened_after: '2026-11-24T10:00:00' has no time zone; add Z for UTC or an offset "
                               "such as +09:00 (2026-11-23T10:00:00Z)")


def test_to_iso():
    assert timeutil.to_iso(NOW) == '2026-11-24T00:00:00Z'
    assert timeutil.to_iso(NOW * 1000) == '2026-11-24T00:00:00Z'
    assert timeutil.to_iso('1795478400') == '2026-11-24T00:00:00Z'
    assert timeutil.to_iso(None) is None


def test_parse_vendor():
    assert timeutil.parse_vendor('2017-06-16T05:38:10+0000') == pytest.approx(1497591490)
    assert timeutil.parse_vendor(1747640177921) == pytest.approx(1747640177.921)
    assert timeutil.parse_vendor('garbage') is None
    assert timeutil.parse_vendor(None) is None


def test_check_range():
    timeutil.check_range(1, 2)
    timeutil.check_range(2, 2)
    with pytest.raises(ValidationError) as info:
        timeutil.check_range(NOW, NOW - 1)
    assert 'end_time' in str(info.value) and 'before start_time' in str(info.value)


@pytest.mark.parametrize('value,default_unit,expected', [
    ('30m', None, 1800.0), ('6h', None, 21600.0), ('2d', None, 172800.0), ('1w', None, 604800.0),
    ('1.5h', None, 5400.0), (' 6 h ', None, 21600.0), ('6H', None, 21600.0), ('90sec', None, 90.0),
    ('+2h', None, 7200.0), ('90', None, None), ('90', 'm', 5400.0), ('-2h', None, None), ('now', None, None),
    ('2026-11-23', None, None), ('six hours', None, None), ('6y', None, None),
])
def test_duration_seconds_is_the_one_duration_grammar(value, default_unit, expected):
    assert timeutil.duration_seconds(value, default_unit) == expected


def test_log360_older_than_reads_durations_with_the_shared_grammar():
    from ansible_collections.alertops.core.plugins.module_utils.log360 import select_jobs
    now = 1800000000.0
    jobs = [{'request_id': 'a', 'stage': 'SUCCESS', 'stopped_at': timeutil.to_iso(now - 3 * 3600)},
            {'request_id': 'b', 'stage': 'SUCCESS', 'stopped_at': timeutil.to_iso(now - 30 * 60)}]
    assert [j['request_id'] for j in select_jobs(jobs, older_than='1h', now=now)] == ['a']
    assert [j['request_id'] for j in select_jobs(jobs, older_than='1H', now=now)] == ['a']
    assert [j['request_id'] for j in select_jobs(jobs, older_than='-1h', now=now)] == ['a']   # a point in time
    assert [j['request_id'] for j in select_jobs(jobs, older_than='+1h', now=now)] == ['a', 'b']  # one, in the future
