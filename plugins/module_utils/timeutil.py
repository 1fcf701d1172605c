# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time input in every accepted form (ISO 8601, epoch s/ms, relative) to epoch seconds, and back to ISO 8601 UTC.

Vendor formats (Log360 epoch ms, OpsRamp ``+0000`` strings, Mackerel epoch seconds) are produced by each client.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time
from datetime import datetime

from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

_ISO = re.compile(
    r'^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})'
    r'(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?)?'
    r'\s*(?P<tz>Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$')
_RELATIVE = re.compile(r'^(?:now)?\s*(?P<sign>[+-])\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>s|sec|m|min|h|d|w)$', re.I)
_UNITS = {'s': 1, 'sec': 1, 'm': 60, 'min': 60, 'h': 3600, 'd': 86400, 'w': 604800}
# epoch values above this are milliseconds (1e11 s is the year 5138)
_MS_THRESHOLD = 1e11


def to_epoch(value, option='time', now=None):
    """Return epoch seconds (float) for ISO 8601, epoch seconds/milliseconds or ``now``/``-24h``/``+30m``."""
    if value is None or value == '':
        raise ValidationError('option %s is empty' % option)
    now = time.time() if now is None else now
    if isinstance(value, bool):
        raise ValidationError('option %s must be a time, got a boolean' % option)
    if isinstance(value, datetime):
        return _datetime_to_epoch(value)
    if isinstance(value, (int, float)):
        return _epoch_number(float(value), option)
    text = str(value).strip()
    if text.lower() == 'now':
        return float(now)
    if re.match(r'^-?\d+(\.\d+)?$', text):
        return _epoch_number(float(text), option)
    match = _RELATIVE.match(text)
    if match:
        delta = float(match.group('n')) * _UNITS[match.group('unit').lower()]
        return float(now) + (delta if match.group('sign') == '+' else -delta)
    match = _ISO.match(text)
    if match:
        try:
            return _iso_to_epoch(match)
        except ValueError as exc:
            raise ValidationError('option %s: %r is not a valid date/time (%s)' % (option, value, exc))
    raise ValidationError('option %s: %r is not a time; use ISO 8601 (2026-11-23T10:00:00Z), epoch seconds or '
                          'milliseconds, or a relative time such as now, -24h, -30m, -7d' % (option, value))


def _epoch_number(number, option):
    if number < 0:
        raise ValidationError('option %s: a negative epoch (%s) is not a valid time' % (option, number))
    return number / 1000.0 if number >= _MS_THRESHOLD else number


def _iso_to_epoch(match):
    g = match.groupdict()
    dt = datetime(int(g['y']), int(g['mo']), int(g['d']), int(g['h'] or 0), int(g['mi'] or 0), int(g['s'] or 0))
    epoch = calendar.timegm(dt.timetuple())
    if g['frac']:
        epoch += float('0.' + g['frac'])
    tz = g['tz']
    if tz and tz.upper() != 'Z':
        digits = tz[1:].replace(':', '')
        offset = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
        epoch -= offset if tz[0] == '+' else -offset
    return float(epoch)


def _datetime_to_epoch(dt):
    if dt.tzinfo is not None:
        dt = (dt - dt.utcoffset()).replace(tzinfo=None)
    return calendar.timegm(dt.timetuple()) + dt.microsecond / 1e6


def to_iso(epoch):
    """Epoch seconds (or ms) -> ``2026-11-23T10:00:00Z`` (UTC, seconds precision)."""
    if epoch is None or epoch == '':
        return None
    epoch = float(epoch)
    if epoch >= _MS_THRESHOLD:
        epoch /= 1000.0
    # time.gmtime is about three times faster than datetime arithmetic; this runs for every alert of a listing
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(epoch)))


def parse_vendor(text):
    """Vendor time text (``2017-06-16T05:38:10+0000``, ISO, epoch) -> epoch seconds, or None when unparseable."""
    if text is None or text == '':
        return None
    try:
        return to_epoch(text)
    except ValidationError:
        return None


def check_range(start, end, start_option='start_time', end_option='end_time'):
    if start is not None and end is not None and end < start:
        raise ValidationError('option %s (%s) is before %s (%s)' % (end_option, to_iso(end), start_option, to_iso(start)))


_DURATION = re.compile(r'^\+?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>s|sec|m|min|h|d|w)?$', re.I)


def to_seconds(value, option='duration', default_unit='m'):
    """A duration (``90`` in ``default_unit``, ``30m``, ``2h``, ``1d``, ``+2h``) -> seconds (float); must be > 0."""
    if value is None or value == '' or isinstance(value, bool):
        raise ValidationError('option %s must be a duration such as 30m, 2h or 1d, got %r' % (option, value))
    match = _DURATION.match(str(value).strip())
    if not match:
        raise ValidationError('option %s: %r is not a duration; use a number of %s or 30m, 2h, 1d'
                              % (option, value, {'s': 'seconds', 'm': 'minutes', 'h': 'hours'}.get(default_unit, default_unit)))
    seconds = float(match.group('n')) * _UNITS[(match.group('unit') or default_unit).lower()]
    if seconds <= 0:
        raise ValidationError('option %s must be greater than 0, got %r' % (option, value))
    return seconds


def is_relative(value):
    """Whether a time option is given relative to the moment it is evaluated (``now``, ``+2h``, ``-30m``)."""
    text = str(value if value is not None else '').strip()
    return text.lower() == 'now' or bool(_RELATIVE.match(text))
