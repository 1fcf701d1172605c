# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one waiter: polls on a monotonic clock with a growing interval capped by ``sleep``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.alertops.core.plugins.module_utils.errors import WaitTimeoutError

FIRST_INTERVAL = 1.0
GROWTH = 2.0


def intervals(sleep_cap, first=FIRST_INTERVAL, growth=GROWTH):
    """1, 2, 4, ... seconds, never more than ``sleep_cap``: a short job is seen quickly, a long one is not hammered."""
    interval = min(first, sleep_cap)
    while True:
        yield interval
        interval = min(interval * growth, sleep_cap)


def wait_for(poll, is_done, timeout, sleep_cap, describe=None, clock=time.monotonic, sleep=time.sleep):
    """Call ``poll()`` until ``is_done(result)``; return ``(result, elapsed, polls)``.

    Raises WaitTimeoutError (with ``describe(last_result)`` in the message) once ``timeout`` seconds have passed.
    The last sleep is shortened so that the deadline is not overshot by more than one poll.
    """
    if sleep_cap <= 0:
        raise ValueError('sleep must be positive')
    start = clock()
    deadline = start + timeout
    polls = 0
    steps = intervals(sleep_cap)
    while True:
        result = poll()
        polls += 1
        now = clock()
        if is_done(result):
            return result, round(now - start, 3), polls
        if now >= deadline:
            state = (' (last seen: %s)' % describe(result)) if describe else ''
            raise WaitTimeoutError('gave up after %.1f s and %d polls%s' % (now - start, polls, state),
                                   details=dict(elapsed=round(now - start, 3), polls=polls))
        sleep(max(0.0, min(next(steps), deadline - now)))
