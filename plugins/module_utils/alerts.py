# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normalised alert model shared by the lookup and the roles.

Each vendor client maps its own objects onto this shape (``normalise`` in log360.py, mackerel.py,
opsramp.py); this module only defines the shape and the vocabulary.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils.timeutil import to_iso

FIELDS = ('platform', 'id', 'status', 'severity', 'title', 'source', 'opened_at', 'closed_at', 'raw')
# What the change-window planner and the suppression verify need besides FIELDS, so that no role or planner reads a
# vendor field under raw: why and by whom an alert was closed (None when the vendor does not say), whether it is
# acknowledged, the scope keys (the host/resource and the monitor it belongs to), the vendor's own word for its
# current state (shown as it is, e.g. CRITICAL, Ok), whether the condition is healed (back to normal, though the
# alert may still be open) and the metric it measures.
EXTRA_FIELDS = ('close_reason', 'closed_by', 'acknowledged', 'host_id', 'monitor_id', 'state', 'healed', 'metric')
SEVERITIES = ('critical', 'warning', 'info', 'unknown')

# Vendor severity words (Mackerel status, OpsRamp currentState, Log360 severity) -> one vocabulary.
_SEVERITY_WORDS = {
    'critical': 'critical', 'crit': 'critical', 'fatal': 'critical', 'emergency': 'critical', 'alert': 'critical',
    'error': 'critical', 'high': 'critical', 'p0': 'critical', 'p1': 'critical',
    'warning': 'warning', 'warn': 'warning', 'trouble': 'warning', 'major': 'warning', 'minor': 'warning',
    'medium': 'warning', 'p2': 'warning', 'p3': 'warning',
    'info': 'info', 'information': 'info', 'informational': 'info', 'notice': 'info', 'attention': 'info',
    'low': 'info', 'ok': 'info', 'debug': 'info', 'p4': 'info', 'p5': 'info',
}


def normalise_severity(value):
    if value is None:
        return 'unknown'
    return _SEVERITY_WORDS.get(str(value).strip().lower(), 'unknown')


def make_alert(platform, alert_id, closed, severity, title, source, opened_at, closed_at, raw, close_reason=None,
               closed_by=None, acknowledged=False, host_id=None, monitor_id=None, state=None, healed=False,
               metric=None):
    """One normalised alert. Times may be epoch seconds/ms or None; they come out as ISO 8601 UTC. ``state`` is the
    vendor's word for the current state, as it is; ``healed`` whether the condition is back to normal."""
    return {
        'platform': platform,
        'id': str(alert_id) if alert_id is not None else None,
        'status': 'closed' if closed else 'open',
        'severity': normalise_severity(severity),
        'title': title or '',
        'source': source or '',
        'opened_at': to_iso(opened_at) if opened_at is not None else None,
        'closed_at': to_iso(closed_at) if closed_at is not None else None,
        'raw': raw,
        'close_reason': close_reason if closed else None,
        'closed_by': closed_by if closed else None,
        'acknowledged': bool(acknowledged),
        'host_id': str(host_id) if host_id not in (None, '') else None,
        'monitor_id': str(monitor_id) if monitor_id not in (None, '') else None,
        'state': str(state) if state not in (None, '') else None,
        'healed': bool(healed),
        'metric': str(metric) if metric not in (None, '') else None,
    }
