# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pacer, table-driven, on a fake clock: what it waits, when, and when it refuses to wait."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.alertops.core.plugins.module_utils import errors, pacing

WALL0 = 1795478400.0   # the fake epoch clock starts here


class FakeClock:
    def __init__(self):
        self.t = 0.0
        self.slept = []

    def monotonic(self):
        return self.t

    def wall(self):
        return WALL0 + self.t

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.t += seconds

    def advance(self, seconds):
        self.t += seconds


def make(platform='log360', rate_limit=60, wait_budget=900, notes=None):
    clock = FakeClock()
    pacer = pacing.Pacer(platform, rate_limit=rate_limit, wait_budget=wait_budget, clock=clock.monotonic,
                         wall=clock.wall, sleep=clock.sleep,
                         notify=(lambda m, long_wait: notes.append((m, long_wait))) if notes is not None else None)
    return pacer, clock


# (rate_limit, gaps between requests the caller makes on its own, expected sleeps)
# (60 / rate_limit, widened by the 2% jitter margin)
@pytest.mark.parametrize('rate,gaps,expected', [
    (60, [0, 0, 0, 0], [1.02, 1.02, 1.02]),        # a burst becomes one request a second; the first goes at once
    (120, [0, 0, 0], [0.51, 0.51]),
    (60, [0, 0.42, 2.0, 0], [0.6, 1.02]),          # work between requests counts; a slow caller is never held
    (0, [0, 0, 0, 0], []),                         # off
    (6, [0, 0], [10.2]),
])
def test_even_pacing(rate, gaps, expected):
    pacer, clock = make(rate_limit=rate)
    for gap in gaps:
        clock.advance(gap)
        pacer.before_send()
    assert clock.slept == [pytest.approx(e) for e in expected]


def test_sixty_a_minute_never_sixty_one_in_any_sliding_minute():
    pacer, clock = make(rate_limit=60)
    sent = []
    for _n in range(300):
        pacer.before_send()
        sent.append(clock.t)
    assert max(sum(1 for s in sent if t - 60 < s <= t) for t in sent) == 59
    assert sent[-1] == pytest.approx(299 * 1.02)  # and no slower than 98% of the limit


# (headers of a 429, expected wait before the retry)
@pytest.mark.parametrize('headers,expected', [
    ({}, 60.0),                                                   # no Retry-After: the rate window
    ({'Retry-After': '7'}, 7.0),
    ({'Retry-After': 'Tue, 24 Nov 2026 00:00:30 GMT'}, 30.0),     # an HTTP date (WALL0 is 00:00:00)
    ({'X-RateLimit-Reset': str(WALL0 + 12)}, 12.0),               # epoch seconds, the documented form
    ({'X-RateLimit-Reset': '9'}, 9.0),                            # below 1e9: a delay
    ({'Retry-After': '3', 'X-RateLimit-Reset': '40'}, 3.0),       # Retry-After wins
    ({'X-RateLimit-Reset': str(WALL0 - 5)}, 60.0),                # a reset in the past: never an immediate retry
])
def test_429_waits_before_the_retry(headers, expected):
    pacer, clock = make(platform='opsramp', rate_limit=0)
    pacer.before_send()
    pacer.after_response(429, headers)
    pacer.before_send()
    assert clock.slept == [pytest.approx(expected)]
    assert pacer.throttled == 1 and pacer.waited == pytest.approx(expected)


# (Remaining, Limit, Reset header, expected wait before the next request)
@pytest.mark.parametrize('remaining,limit,reset,expected', [
    ('40', '50', '30', None),                 # plenty left: no wait
    ('5', '50', '30', 5.0),                   # low: the 5 left spread over the 30 s to the reset -> 30/6
    ('0', '50', '30', 30.0),                  # none left: wait for the reset
    ('1', '50', str(WALL0 + 20), 10.0),       # epoch form
    ('0', '50', 'soon', 60.0),                # unreadable reset: the window
])
def test_opsramp_headers_pace_when_remaining_runs_low(remaining, limit, reset, expected):
    pacer, clock = make(platform='opsramp', rate_limit=0)
    pacer.before_send()
    pacer.after_response(200, {'X-RateLimit-Limit': limit, 'X-RateLimit-Remaining': remaining,
                               'X-RateLimit-Reset': reset})
    pacer.before_send()
    assert clock.slept == ([] if expected is None else [pytest.approx(expected)])


@pytest.mark.parametrize('headers,budget,words', [
    ({'Retry-After': '3600'}, 900, 'next wait would be 3600.0 s (HTTP 429 with Retry-After 3600)'),
    ({'Retry-After': 'Tue, 24 Nov 2026 02:00:00 GMT'}, 900, 'next wait would be 7200.0 s'),
    ({}, 30, 'without Retry-After: the 60 s rate window'),
])
def test_a_wait_past_the_budget_fails_at_once_without_sleeping(headers, budget, words):
    pacer, clock = make(rate_limit=0, wait_budget=budget)
    pacer.before_send()
    with pytest.raises(pacing.WaitBudgetExceeded) as info:
        pacer.after_response(429, headers)
    assert clock.slept == []
    text = str(info.value)
    assert words in text and 'wait budget of %g s' % budget in text and 'wait_budget' in text
    assert isinstance(info.value, errors.AlertOpsError) and text.startswith('log360 pacing:')


def test_budget_counts_every_wait_pacing_included():
    pacer, clock = make(rate_limit=60, wait_budget=2.5)
    for _n in range(3):
        pacer.before_send()
    with pytest.raises(pacing.WaitBudgetExceeded) as info:
        pacer.before_send()
    assert clock.slept == [pytest.approx(1.02)] * 2 and 'already spent waiting in 2 waits' in str(info.value)


def test_429_wait_is_charged_once():
    pacer, clock = make(rate_limit=0, wait_budget=100)
    pacer.before_send()
    pacer.after_response(429, {'Retry-After': '40'})
    clock.advance(10)             # the transport's own backoff sleep
    pacer.before_send()           # the remaining 30 s
    assert clock.slept == [30.0] and pacer.waited == pytest.approx(40.0)


def test_long_waits_are_reported_short_ones_marked_short():
    notes = []
    pacer, _clock = make(rate_limit=60, notes=notes)
    pacer.before_send()
    pacer.before_send()
    pacer.after_response(429, {})
    pacer.before_send()
    assert [(round(float(m.split('waiting ')[1].split(' s')[0]), 1), long_wait) for m, long_wait in notes] == [
        (1.0, False), (60.0, True)]
    assert 'wait 1:' in notes[0][0] and 'rate_limit 60/min' in notes[0][0] and 'HTTP 429 without Retry-After' in notes[1][0]


def test_threads_are_released_one_at_a_time():
    # a simulated clock that only sleeping moves: what is measured is the pacer's spacing, not the machine's load
    moments, slept, guard = [0.0], [], threading.Lock()

    def sleep(seconds):
        with guard:
            slept.append(seconds)
            moments[0] += seconds

    pacer = pacing.Pacer('log360', rate_limit=600, clock=lambda: moments[0], sleep=sleep)   # 0.1 s apart
    threads = [threading.Thread(target=pacer.before_send) for _n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # six requests: the first at once, each of the other five one interval after the one before (the lock is held
    # while sleeping, so no two are released together)
    assert [round(s, 6) for s in slept] == [round(pacer.interval, 6)] * 5
    assert round(moments[0], 6) == round(5 * pacer.interval, 6) and pacer.interval >= 0.1


@pytest.mark.parametrize('params,rate', [
    ({'rate_limit': None}, 60.0),             # from the option table, not set: the platform default
    ({'rate_limit': 0}, 0.0),
    ({'rate_limit': 300}, 300.0),
    ({}, 0.0),                                # a params dict built without the option table: no default pacing
])
def test_from_params_defaults(params, rate):
    assert pacing.from_params('log360', params).rate_limit == rate
    assert pacing.from_params('mackerel', dict(params, rate_limit=params.get('rate_limit'))).rate_limit in (0.0, rate)


@pytest.mark.parametrize('rate,budget,words', [(-1, None, 'rate_limit'), (None, -5, 'wait_budget')])
def test_bad_options(rate, budget, words):
    with pytest.raises(errors.ValidationError) as info:
        pacing.check('opsramp', rate, budget)
    assert words in str(info.value)


# -- odd headers: every header that becomes a number is a finite number, or it is treated as absent ---------------
# (header value, what header_number makes of it)
@pytest.mark.parametrize('value,expected', [
    ('7', 7.0), (' 2.5 ', 2.5), ('-3', -3.0), ('0', 0.0), (12, 12.0),
    ('nan', None), ('NaN', None), ('inf', None), ('-inf', None), ('Infinity', None), ('1e400', None),
    ('soon', None), ('', None), (None, None),
])
def test_header_number_is_finite_or_none(value, expected):
    assert pacing.header_number(value) == expected


# (Retry-After, seconds to wait; None: not usable, treated as absent). WALL0 is Tue, 24 Nov 2026 00:00:00 GMT
@pytest.mark.parametrize('value,expected', [
    ('7', 7.0), ('0', 0.0), ('2.5', 2.5),
    ('Tue, 24 Nov 2026 00:00:30 GMT', 30.0),
    ('nan', None), ('inf', None), ('-inf', None), ('-5', None), ('-0.5', None),
    ('Mon, 23 Nov 2026 23:59:00 GMT', None),      # an HTTP date in the past
    ('Tue, 24 Nov 2026 00:00:00 GMT', None),      # ... or now: a retry at once either way
    ('Wed, 99 Foo 2026 25:61:00 GMT', None), ('soon', None), (None, None),
])
def test_parse_retry_after(value, expected):
    assert pacing.parse_retry_after(value, WALL0) == expected


# (X-RateLimit-Reset, seconds to the reset; None: not usable)
@pytest.mark.parametrize('value,expected', [
    ('9', 9.0), (str(WALL0 + 12), 12.0), (str(WALL0 - 5), 0.0), ('-5', 0.0),
    ('nan', None), ('inf', None), ('-inf', None), ('soon', None), (None, None),
])
def test_parse_reset(value, expected):
    assert pacing.parse_reset(value, WALL0) == expected


# (headers of a 429, expected wait before the retry, words of the warning: None = no warning)
@pytest.mark.parametrize('headers,expected,warning', [
    ({'Retry-After': 'nan'}, 60.0, "Retry-After 'nan' is not a usable wait"),
    ({'Retry-After': 'inf'}, 60.0, "Retry-After 'inf' is not a usable wait"),
    ({'Retry-After': '-inf'}, 60.0, "Retry-After '-inf' is not a usable wait"),
    ({'Retry-After': '-5'}, 60.0, "Retry-After '-5' is not a usable wait"),
    ({'Retry-After': 'Mon, 23 Nov 2026 23:59:00 GMT'}, 60.0, 'is not a usable wait'),
    ({'Retry-After': '-5', 'X-RateLimit-Reset': '9'}, 9.0, "Retry-After '-5' is not a usable wait"),
    ({'X-RateLimit-Reset': 'nan'}, 60.0, "X-RateLimit-Reset 'nan' is not a usable time"),
    ({'X-RateLimit-Reset': 'inf'}, 60.0, "X-RateLimit-Reset 'inf' is not a usable time"),
    ({'Retry-After': 'nan', 'X-RateLimit-Reset': 'nan', 'X-RateLimit-Remaining': 'nan', 'X-RateLimit-Limit': 'inf'},
     60.0, "Retry-After 'nan' is not a usable wait"),
    ({'Retry-After': '0'}, None, None),            # the server's explicit "now" stays valid
])
def test_429_with_odd_headers_waits_the_window_and_warns(headers, expected, warning):
    notes = []
    pacer, clock = make(platform='opsramp', rate_limit=0, notes=notes)
    pacer.before_send()
    pacer.after_response(429, headers)
    pacer.before_send()
    assert clock.slept == ([] if expected is None else [pytest.approx(expected)])
    assert pacer.waited == pytest.approx(expected or 0.0)     # the budget stays a finite number
    warnings = [m for m, long_wait in notes if 'not a usable' in m]
    if warning is None:
        assert warnings == []
    else:
        assert warning in warnings[0] and warnings[0].startswith('opsramp: ') and warnings[0].endswith('as absent')
        assert all(long_wait for m, long_wait in notes if 'not a usable' in m)   # always shown


@pytest.mark.parametrize('remaining,limit,reset,expected', [
    ('nan', '50', '30', None), ('inf', '50', '30', None), ('-inf', '50', '30', None),
    ('0', 'inf', '30', 30.0), ('0', 'nan', '30', 30.0),
    ('0', '50', 'nan', 60.0), ('0', '50', 'inf', 60.0), ('1', '50', '-inf', 30.0),   # the window, spread
])
def test_rate_limit_headers_that_are_not_finite_never_crash_or_poison_the_budget(remaining, limit, reset, expected):
    pacer, clock = make(platform='opsramp', rate_limit=0)
    pacer.before_send()
    pacer.after_response(200, {'X-RateLimit-Limit': limit, 'X-RateLimit-Remaining': remaining,
                               'X-RateLimit-Reset': reset})
    pacer.before_send()
    assert clock.slept == ([] if not expected else [pytest.approx(expected)])
    assert pacer.waited == pytest.approx(expected or 0.0) and pacer.summary()['waited'] == round(expected or 0.0, 3)
