# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

import pytest

from ansible_collections.alertops.core.plugins.module_utils import waiter
from ansible_collections.alertops.core.plugins.module_utils.errors import WaitTimeoutError


class FakeClock:
    """Monotonic clock that only moves when the waiter sleeps (plus an optional cost per poll)."""

    def __init__(self, poll_cost=0.0):
        self.now = 100.0
        self.sleeps = []
        self.poll_cost = poll_cost

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def job_finishing_at(fake, seconds):
    start = fake.now
    polls = []

    def poll():
        fake.now += fake.poll_cost
        polls.append(fake.now - start)
        return 'SUCCESS' if fake.now - start >= seconds else 'RUNNING'
    return poll, polls


def test_intervals_start_at_one_second_double_and_are_capped():
    assert list(itertools.islice(waiter.intervals(5), 6)) == [1, 2, 4, 5, 5, 5]
    assert list(itertools.islice(waiter.intervals(0.5), 3)) == [0.5, 0.5, 0.5]


@pytest.mark.parametrize('poll_cost', [0.0, 0.05, 0.3])
def test_a_60_second_job_takes_at_most_15_polls_with_the_default_sleep(poll_cost):
    fake = FakeClock(poll_cost)
    poll, seen = job_finishing_at(fake, 60)
    result, elapsed, polls = waiter.wait_for(poll, lambda s: s == 'SUCCESS', timeout=600, sleep_cap=5,
                                             clock=fake.clock, sleep=fake.sleep)
    assert result == 'SUCCESS'
    assert polls <= 15 and polls == len(seen)
    assert 60 <= elapsed <= 65 + poll_cost * 15
    assert fake.sleeps[:4] == [1, 2, 4, 5]
    assert max(fake.sleeps) <= 5


def test_a_short_job_is_seen_after_one_second():
    fake = FakeClock()
    poll, _seen = job_finishing_at(fake, 0.5)
    _result, elapsed, polls = waiter.wait_for(poll, lambda s: s == 'SUCCESS', 60, 5, clock=fake.clock, sleep=fake.sleep)
    assert (elapsed, polls) == (1.0, 2)


def test_timeout_says_what_was_last_seen_and_does_not_overshoot():
    fake = FakeClock()
    with pytest.raises(WaitTimeoutError) as info:
        waiter.wait_for(lambda: 'RUNNING 42%', lambda s: False, timeout=10, sleep_cap=5,
                        describe=lambda s: 'stage ' + s, clock=fake.clock, sleep=fake.sleep)
    assert 'last seen: stage RUNNING 42%' in str(info.value)
    assert info.value.details['elapsed'] == 10.0
    assert info.value.details['polls'] == 5   # t = 0, 1, 3, 7, 10 (the last sleep shortened to the deadline)
    assert fake.sleeps == [1, 2, 4, 3]


def test_zero_timeout_polls_once():
    fake = FakeClock()
    with pytest.raises(WaitTimeoutError):
        waiter.wait_for(lambda: 1, lambda s: False, 0, 5, clock=fake.clock, sleep=fake.sleep)
    assert fake.sleeps == []


def test_sleep_must_be_positive():
    with pytest.raises(ValueError):
        waiter.wait_for(lambda: 1, lambda s: True, 10, 0)
