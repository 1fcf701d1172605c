# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time input in every accepted form to epoch seconds, and back to ISO 8601 UTC. The rules (docs: TIME_RULES):

* ISO 8601 with a zone: ``2026-11-23T10:00:00Z``, ``2026-11-23T19:00:00+09:00``, ``+0900``, ``+09``, fractions of a
  second, the basic form ``20261123T100000Z``. The offset is at most 18:00, its minutes below 60. An ISO string is
  only ever read as ISO: it never goes through the epoch rule below.
* A date alone (``2026-11-23`` or ``20261123``) is that day at 00:00 UTC.
* A date and time without a zone (``2026-11-23T10:00:00``) is refused: the zone must be said (``Z`` for UTC).
* A number is epoch seconds up to 253402300799 (9999-12-31T23:59:59Z), epoch milliseconds from 1000000000000
  (2001-09-09T01:46:40Z) up to 253402300799999; anything in between, above, negative, NaN or infinite is refused.
  (An eight-digit number is the basic date above, never seconds in 1970.)
* Relative: ``now``, ``-24h``, ``+30m``, ``now-7d`` (units s, sec, m, min, h, d, w).
* Nothing before 1970-01-01T00:00:00Z.

Vendor data is read by ``parse_vendor``, with the same rules except that a vendor time without a zone is UTC.
Vendor formats (Log360 epoch ms, OpsRamp ``+0000`` strings, Mackerel epoch seconds) are produced by each client.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import math
import re
import time
from datetime import datetime

from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

_ISO = re.compile(
    r'^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})'
    r'(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?)?'
    r'\s*(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?$')
_ISO_BASIC = re.compile(
    r'^(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})'
    r'(?:T(?P<h>\d{2})(?P<mi>\d{2})(?:(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?'
    r'(?P<tz>Z|z|[+-]\d{2}(?:\d{2})?)?)?$')
_NUMBER = re.compile(r'^\d+(\.\d+)?$')
# the one duration grammar: an amount and a unit (relative times, durations, Log360's older_than, role variables)
_UNITS = {'s': 1, 'sec': 1, 'm': 60, 'min': 60, 'h': 3600, 'd': 86400, 'w': 604800}
_AMOUNT = r'(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>%s)' % '|'.join(_UNITS)
_RELATIVE = re.compile(r'^(?:now)?\s*(?P<sign>[+-])\s*' + _AMOUNT + '$', re.I)
_DURATION = re.compile(r'^\+?\s*' + _AMOUNT + '?$', re.I)
# epoch seconds: 0 .. MAX_SECONDS; epoch milliseconds: MS_THRESHOLD .. MAX_MILLISECONDS; nothing in between
MAX_SECONDS = 253402300799             # 9999-12-31T23:59:59Z
MS_THRESHOLD = 1000000000000           # 2001-09-09T01:46:40Z in milliseconds
MAX_MILLISECONDS = MAX_SECONDS * 1000 + 999
MAX_OFFSET_MINUTES = 18 * 60
TIME_RULES = ('ISO 8601 with a zone (2026-11-23T10:00:00Z, 2026-11-23T19:00:00+09:00), a date (2026-11-23 or '
              '20261123, midnight UTC), epoch seconds (up to %d) or milliseconds (from %d), or a relative time such as '
              'now, -24h, -30m, -7d' % (MAX_SECONDS, MS_THRESHOLD))


def to_epoch(value, option='time', now=None, naive_utc=False):
    """Epoch seconds (float) of a time option in any accepted form (see the module docstring).

    ``naive_utc=True`` reads a date-time without a zone as UTC (vendor data); for options it is refused.
    """
    if value is None or value == '':
        raise ValidationError('option %s is empty; use %s' % (option, TIME_RULES))
    now = time.time() if now is None else now
    if isinstance(value, bool):
        raise ValidationError('option %s must be a time, got a boolean' % option)
    if isinstance(value, datetime):
        return _datetime_to_epoch(value, option)
    if isinstance(value, (int, float)):
        if isinstance(value, int) and 10000000 <= value <= 99999999:
            return _iso_to_epoch(_ISO_BASIC.match(str(value)), value, option, naive_utc)
        return epoch_number(value, option)
    text = str(value).strip()
    if text.lower() == 'now':
        return float(now)
    match = _RELATIVE.match(text)
    if match:
        delta = float(match.group('n')) * _UNITS[match.group('unit').lower()]
        return float(now) + (delta if match.group('sign') == '+' else -delta)
    match = _ISO.match(text) or _ISO_BASIC.match(text)
    if match:
        return _iso_to_epoch(match, value, option, naive_utc)
    if _NUMBER.match(text):
        return epoch_number(float(text), option)
    raise ValidationError('option %s: %r is not a time; use %s' % (option, value, TIME_RULES))


def epoch_number(number, option='time'):
    """Epoch seconds of a number: seconds up to MAX_SECONDS, milliseconds from MS_THRESHOLD (see the rules)."""
    number = float(number)
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise ValidationError('option %s: %s is not a valid epoch time' % (option, number))
    if number <= MAX_SECONDS:
        return number
    if MS_THRESHOLD <= number <= MAX_MILLISECONDS:
        return number / 1000.0
    if number < MS_THRESHOLD:
        raise ValidationError('option %s: %d is neither epoch seconds (at most %d, 9999-12-31T23:59:59Z) nor epoch '
                              'milliseconds (at least %d, 2001-09-09T01:46:40Z); use ISO 8601 such as '
                              '2026-11-23T10:00:00Z' % (option, number, MAX_SECONDS, MS_THRESHOLD))
    raise ValidationError('option %s: %d is after 9999-12-31T23:59:59Z even as epoch milliseconds' % (option, number))


def _iso_to_epoch(match, value, option, naive_utc):
    g = match.groupdict()
    try:
        dt = datetime(int(g['y']), int(g['mo']), int(g['d']), int(g['h'] or 0), int(g['mi'] or 0), int(g['s'] or 0))
    except ValueError as exc:
        raise ValidationError('option %s: %r is not a valid date/time (%s)' % (option, value, exc))
    tz = g['tz']
    if not tz and g['h'] is not None and not naive_utc:
        raise ValidationError('option %s: %r has no time zone; add Z for UTC or an offset such as +09:00 '
                              '(2026-11-23T10:00:00Z)' % (option, value))
    epoch = calendar.timegm(dt.timetuple())
    if g['frac']:
        epoch += float('0.' + g['frac'])
    if tz and tz.upper() != 'Z':
        digits = tz[1:].replace(':', '')
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if minutes >= 60 or hours * 60 + minutes > MAX_OFFSET_MINUTES:
            raise ValidationError('option %s: %r has the offset %s; an offset is at most 18:00 with minutes below 60'
                                  % (option, value, tz))
        offset = hours * 3600 + minutes * 60
        epoch -= offset if tz[0] == '+' else -offset
    if epoch < 0:
        raise ValidationError('option %s: %r is before 1970-01-01T00:00:00Z' % (option, value))
    return float(epoch)


def _datetime_to_epoch(dt, option='time'):
    """A Python datetime (YAML loaders produce them); one without tzinfo is UTC, as loaders normalise ``Z`` times."""
    if dt.tzinfo is not None:
        dt = (dt - dt.utcoffset()).replace(tzinfo=None)
    epoch = calendar.timegm(dt.timetuple()) + dt.microsecond / 1e6
    if epoch < 0:
        raise ValidationError('option %s: %s is before 1970-01-01T00:00:00Z' % (option, dt.isoformat()))
    return epoch


def to_iso(epoch):
    """Epoch seconds (or milliseconds, by the same rule as the options) -> ``2026-11-23T10:00:00Z`` (UTC, seconds).

    None for None, '' and numbers that are no time (negative, between the two ranges, beyond 9999).
    """
    if epoch is None or epoch == '':
        return None
    if epoch.__class__ is int and 0 <= epoch <= MAX_SECONDS:  # the common case (Mackerel seconds), kept fast
        return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch))
    try:
        epoch = epoch_number(epoch)
    except (ValidationError, ValueError, TypeError):
        return None
    # time.gmtime is about three times faster than datetime arithmetic; this runs for every alert of a listing
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(epoch)))


def parse_vendor(text):
    """Vendor time text (``2017-06-16T05:38:10+0000``, ISO, epoch) -> epoch seconds, or None when unparseable."""
    if text is None or text == '':
        return None
    try:
        return to_epoch(text, naive_utc=True)
    except ValidationError:
        return None


def check_range(start, end, start_option='start_time', end_option='end_time'):
    if start is not None and end is not None and end < start:
        raise ValidationError('option %s (%s) is before %s (%s)' % (end_option, to_iso(end), start_option, to_iso(start)))


def duration_seconds(value, default_unit=None):
    """Seconds (float) of a duration (``30m``, ``2h``, ``1d``, ``1w``, ``+2h``; a bare number in ``default_unit``
    when one is given), None when ``value`` is not a duration."""
    match = _DURATION.match(str(value).strip())
    unit = match and (match.group('unit') or default_unit)
    return float(match.group('n')) * _UNITS[unit.lower()] if unit else None


def to_seconds(value, option='duration', default_unit='m'):
    """A duration (``90`` in ``default_unit``, ``30m``, ``2h``, ``1d``, ``+2h``) -> seconds (float); must be > 0."""
    if value is None or value == '' or isinstance(value, bool):
        raise ValidationError('option %s must be a duration such as 30m, 2h or 1d, got %r' % (option, value))
    seconds = duration_seconds(value, default_unit)
    if seconds is None:
        raise ValidationError('option %s: %r is not a duration; use a number of %s or 30m, 2h, 1d'
                              % (option, value, {'s': 'seconds', 'm': 'minutes', 'h': 'hours'}.get(default_unit, default_unit)))
    if seconds <= 0:
        raise ValidationError('option %s must be greater than 0, got %r' % (option, value))
    return seconds


def is_relative(value):
    """Whether a time option is given relative to the moment it is evaluated (``now``, ``+2h``, ``-30m``)."""
    text = str(value if value is not None else '').strip()
    return text.lower() == 'now' or bool(_RELATIVE.match(text))
