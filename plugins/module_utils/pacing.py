# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side rate limiting: pace requests so a sustained walk stays under the vendor's limit.

The transport calls ``before_send`` right before every attempt goes on the wire and ``after_response`` with every
answer (its one pacing hook). The pacer

* paces evenly: one request every ``60 / rate_limit`` seconds (2% wider, for network jitter), measured from the
  moment the previous request was released, never a burst (a burst at the start of a minute is exactly what a sliding-window server refuses);
* after a 429 holds the next request for ``Retry-After`` (seconds or an HTTP date), else for ``X-RateLimit-Reset``,
  else for the platform's rate window: never an immediate retry. A header that is not a finite number (``nan``,
  ``inf``), a negative ``Retry-After`` or an HTTP date that is not in the future is treated as absent, with a
  warning (``header_number`` is the one place where a header becomes a number);
* follows ``X-RateLimit-Limit`` / ``-Remaining`` / ``-Reset`` (OpsRamp) when Remaining runs low, spreading the
  requests left over the time to the reset. ``X-RateLimit-Reset`` is read as epoch seconds (OpsRamp's documented
  form) or, below 1e9, as seconds to wait (seen in the wild);
* charges every wait to one budget per task (``wait_budget`` seconds). A wait that would go past it fails the task
  with a clear message at once, instead of sleeping silently (a ``Retry-After`` of an hour, say);
* reports each wait through ``notify(message, long)`` so a task that is pacing never looks hung.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import math
import threading
import time

from ansible_collections.alertops.core.plugins.module_utils import errors

# rate_limit (requests per minute) when the option is not set: Log360 / EventLog Analyzer API v2 documents
# "60 requests/minute, which applies to all API Endpoints"; the others pace only from the server's headers
DEFAULT_RATE_LIMIT = {'log360': 60}
# the window a 429 without Retry-After waits for (all three document or imply per-minute limits)
RATE_WINDOW = {'log360': 60.0, 'mackerel': 60.0, 'opsramp': 60.0}
DEFAULT_WAIT_BUDGET = 900.0
LONG_WAIT = 5.0            # waits at least this long are always reported (a warning); shorter ones at -v
LOW_REMAINING = 0.1        # header pacing starts when Remaining is at most this share of Limit (and at most 5)
EPOCH_THRESHOLD = 1e9      # an X-RateLimit-Reset below this is a delay in seconds, not an epoch time
# requests are spaced this much wider than 60/rate_limit: two requests released exactly one window apart can reach a
# sliding-window server less than a window apart when the first was delayed on the way (measured: tens of ms under
# load); 2% of slack per request absorbs that over a window and still uses 98% of the allowed rate
SPACING_MARGIN = 1.02


class WaitBudgetExceeded(errors.AlertOpsError):
    """A rate-limit wait would go past the task's wait budget."""


def header_number(value):
    """A header's value as a finite float, or None: absent, not a number, or not finite (``nan``, ``inf``, ``1e400``).

    Every header that becomes a number goes through here: NaN compares false with everything, so it would pass any
    clamp, and ``time.sleep(nan)`` raises ValueError."""
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse_retry_after(value, now):
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date), or None when it is absent or
    not usable: not a finite number of seconds 0 or more, nor an HTTP date after ``now``. A negative delay or a date
    in the past would mean a retry at once; the caller then waits as if there were no Retry-After."""
    if value is None:
        return None
    text = str(value).strip()
    number = header_number(text)
    if number is not None:
        return number if number >= 0 else None
    try:
        float(text)
        return None               # nan / inf: a number, but no wait
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(text)
    if not parsed:
        return None
    try:
        seconds = email.utils.mktime_tz(parsed) - now
    except (OverflowError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def parse_reset(value, now):
    """Seconds until ``X-RateLimit-Reset``: epoch seconds (documented) or, below 1e9, a delay; 0 when it has passed.
    None if absent or not a finite number."""
    number = header_number(value)
    if number is None:
        return None
    if number < EPOCH_THRESHOLD:
        return max(number, 0.0)
    return max(number - now, 0.0)


def header(headers, name):
    """The value of header ``name`` (any case), or None."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None:  # plain dicts (tests) are case sensitive
        lowered = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == lowered), None)
    return value


_header = header


class Pacer:
    """Paces one transport. ``clock`` is monotonic (pacing), ``wall`` the epoch clock (HTTP dates, epoch resets)."""

    def __init__(self, platform, rate_limit=None, wait_budget=DEFAULT_WAIT_BUDGET, window=None, notify=None,
                 clock=time.monotonic, wall=time.time, sleep=time.sleep):
        self.platform = platform
        self.rate_limit = float(rate_limit) if rate_limit else 0.0
        self.interval = 60.0 * SPACING_MARGIN / self.rate_limit if self.rate_limit else 0.0
        self.wait_budget = float(wait_budget if wait_budget is not None else DEFAULT_WAIT_BUDGET)
        self.window = float(window or RATE_WINDOW.get(platform, 60.0))
        self.notify = notify
        self.clock = clock
        self.wall = wall
        self.sleep = sleep
        self.waited = 0.0          # seconds charged to the budget so far
        self.waits = 0
        self.throttled = 0         # 429 answers seen
        self._next = None          # monotonic time before which no request may be released (even pacing)
        self._hold = None          # monotonic time before which no request may be released (429 or headers)
        self._hold_reason = None
        self._hold_paid = False    # a 429's wait is charged when it is scheduled (it may fail the task at once)
        self._reported = set()     # (header, value) already reported as unusable
        self._lock = threading.Lock()

    # -- the transport's hook -----------------------------------------------------------------------------------
    def before_send(self, method=None, url=None):
        """Wait for this request's turn. Holding the lock while sleeping releases requests one at a time."""
        with self._lock:
            now = self.clock()
            due, reason, paid = now, None, False
            if self._next is not None and self._next > due:
                due, reason = self._next, 'rate_limit %g/min: one request every %.2f s' % (self.rate_limit, self.interval)
            if self._hold is not None and self._hold > due:
                due, reason, paid = self._hold, self._hold_reason, self._hold_paid
            if due > now:
                self._wait(due - now, reason, charge=not paid)
                now = self.clock()
            if self.interval:
                self._next = now + self.interval

    def after_response(self, status, headers):
        """Learn from an answer: a 429 holds the next request; low X-RateLimit-Remaining spreads the rest."""
        now_wall = self.wall()
        if status == 429:
            with self._lock:
                self.throttled += 1
            raw = header(headers, 'Retry-After')
            delay = parse_retry_after(raw, now_wall)
            if delay is not None:
                reason = 'HTTP 429 with Retry-After %s' % str(raw).strip()
            else:
                if raw is not None:
                    self._unusable('Retry-After', raw, 'wait (a finite number of seconds, 0 or more, or an HTTP date '
                                   'in the future)')
                delay = self._reset(headers, now_wall)
                if delay:
                    reason = 'HTTP 429; X-RateLimit-Reset in %.1f s' % delay
                else:
                    delay = self.window
                    reason = ('HTTP 429 without Retry-After: the %g s rate window' if raw is None else
                              'HTTP 429, Retry-After ignored: the %g s rate window') % self.window
            self._hold_for(delay, reason)
            return
        remaining = header_number(header(headers, 'X-RateLimit-Remaining'))
        if remaining is None:
            return
        remaining = int(remaining)
        limit = int(header_number(header(headers, 'X-RateLimit-Limit')) or 0)
        low = min(5, max(1, int(limit * LOW_REMAINING))) if limit > 0 else 1
        if remaining > low:
            return
        reset = self._reset(headers, now_wall)
        if reset is None:
            reset = self.window
        # the requests left are spread evenly up to the reset; with none left, wait for the reset itself
        delay = reset if remaining <= 0 else reset / (remaining + 1)
        self._hold_for(delay, 'X-RateLimit-Remaining %d of %s, reset in %.1f s' % (remaining, limit or '?', reset),
                       charge=False)

    def _reset(self, headers, now_wall):
        raw = header(headers, 'X-RateLimit-Reset')
        reset = parse_reset(raw, now_wall)
        if reset is None and raw is not None:
            self._unusable('X-RateLimit-Reset', raw, 'time (epoch seconds, or seconds to wait)')
        return reset

    def _unusable(self, name, value, expected):
        """A header that cannot be used is treated as absent; say so, always (once per name and value)."""
        shown = str(value).strip()[:40]
        with self._lock:
            if (name, shown) in self._reported:
                return
            self._reported.add((name, shown))
        if self.notify is not None:
            self.notify("%s: the server's %s %r is not a usable %s; it is treated as absent"
                        % (self.platform, name, shown, expected), True)

    # -- waiting ------------------------------------------------------------------------------------------------
    def _hold_for(self, delay, reason, charge=True):
        with self._lock:
            if charge:
                self._check_budget(delay, reason)
            until = self.clock() + delay
            if self._hold is None or until > self._hold:
                self._hold, self._hold_reason, self._hold_paid = until, reason, charge
            if charge:
                self.waited += delay

    def _check_budget(self, seconds, reason):
        if self.waited + seconds > self.wait_budget + 1e-9:
            raise WaitBudgetExceeded(
                'rate limited: the next wait would be %.1f s (%s), but only %.1f s of the wait budget of %g s are left '
                '(%.1f s already spent waiting in %d waits)'
                % (seconds, reason, max(self.wait_budget - self.waited, 0.0), self.wait_budget, self.waited, self.waits),
                platform=self.platform, operation='pacing',
                hint='Raise wait_budget (ALERTOPS_WAIT_BUDGET) if waiting that long is acceptable, or run the task when '
                     'the server is less busy')

    def _wait(self, seconds, reason, charge=True):
        if charge:
            self._check_budget(seconds, reason)
            self.waited += seconds
        self.waits += 1
        if self.notify is not None:
            self.notify('%s: wait %d: waiting %.1f s before the next request (%s; %.1f s of the wait budget %g s used)'
                        % (self.platform, self.waits, seconds, reason, self.waited, self.wait_budget), seconds >= LONG_WAIT)
        self.sleep(seconds)

    def summary(self):
        return {'rate_limit': self.rate_limit or None, 'waits': self.waits, 'waited': round(self.waited, 3),
                'throttled': self.throttled, 'wait_budget': self.wait_budget}


def check(platform, rate_limit, wait_budget):
    """Problems with the pacing options, as ValidationError (before anything is sent)."""
    if rate_limit is not None and float(rate_limit) < 0:
        raise errors.ValidationError('option rate_limit must be 0 (off) or a number of requests per minute, got %s'
                                     % rate_limit, platform=platform)
    if wait_budget is not None and float(wait_budget) < 0:
        raise errors.ValidationError('option wait_budget must be 0 or more seconds, got %s' % wait_budget,
                                     platform=platform)


def from_params(platform, params, **kwargs):
    """The pacer the connection options ask for (None when nothing is to be paced).

    ``rate_limit`` None means the platform's default (60/min for log360) when the option table supplied the params
    (the key is present); a params dict built without the option table (direct API use) gets no default pacing.
    The pacer is created even with rate_limit 0 when a server may send rate-limit headers or 429s: it then only
    waits when the server asks it to, within ``wait_budget``.
    """
    rate_limit = params.get('rate_limit')
    wait_budget = params.get('wait_budget')
    check(platform, rate_limit, wait_budget)
    if rate_limit is None and 'rate_limit' in params:
        rate_limit = DEFAULT_RATE_LIMIT.get(platform)
    return Pacer(platform, rate_limit=rate_limit or 0, wait_budget=wait_budget, **kwargs)
