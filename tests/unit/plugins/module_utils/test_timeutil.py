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
    ('2026-11-24 00:00:00', NOW),
    ('2026-11-24', NOW),
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


@pytest.mark.parametrize('value', ['yesterday', '', None, True, -5, '2026-13-01T00:00:00Z', '2026-11-24T25:00:00Z', '-24x'])
def test_to_epoch_rejects_bad_input_naming_the_option(value):
    with pytest.raises(ValidationError) as info:
        timeutil.to_epoch(value, 'start_time', now=NOW)
    assert 'start_time' in str(info.value)


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
