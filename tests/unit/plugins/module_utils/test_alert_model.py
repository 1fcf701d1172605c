# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normalised alert model of every vendor, one table: what the roles, the change-window planner and the
suppression verify read (so none of them reads a vendor field under ``raw``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import alerts, log360, mackerel, opsramp

T0 = 1800000000          # 2027-01-15T08:00:00Z
ISO0 = '2027-01-15T08:00:00Z'
ISO1 = '2027-01-15T08:10:00Z'
OR0 = '2027-01-15T08:00:00+0000'
OR1 = '2027-01-15T08:10:00+0000'

KEYS = ('id', 'status', 'severity', 'title', 'source', 'opened_at', 'closed_at', 'close_reason', 'closed_by',
        'acknowledged', 'host_id', 'monitor_id', 'state', 'healed', 'metric')

CASES = [
    # Mackerel: status is the severity and the state; OK is closed (and healed); reason only once closed
    ('mackerel', mackerel.to_model,
     {'id': 'a1', 'status': 'CRITICAL', 'type': 'host', 'hostId': 'h1', 'monitorId': 'm1', 'openedAt': T0,
      'reason': 'stale', 'message': 'disk 95%'},
     ('a1', 'open', 'critical', 'disk 95%', 'h1', ISO0, None, None, None, False, 'h1', 'm1', 'CRITICAL', False, None)),
    ('mackerel', mackerel.to_model,
     {'id': 'a2', 'status': 'OK', 'type': 'service', 'monitorId': 'm2', 'openedAt': T0, 'closedAt': T0 + 600,
      'reason': 'CHG-1: done'},
     ('a2', 'closed', 'info', 'service alert of monitor m2', '', ISO0, ISO1, 'CHG-1: done', None, False, None, 'm2', 'OK',
      True, None)),
    ('mackerel', mackerel.to_model,
     {'id': 'a3', 'status': 'WARNING', 'type': 'expression', 'monitorId': 'm3', 'openedAt': T0,
      'series': {'name': 'cpu', 'labels': {'b': '2', 'a': '1'}}},
     ('a3', 'open', 'warning', 'expression alert of monitor m3', 'cpu{a=1,b=2}', ISO0, None, None, None, False, None,
      'm3', 'WARNING', False, None)),
    # OpsRamp: closed flag, the close reason from lastActionDescription and who closed it from statusHistory
    ('opsramp', opsramp.normalise,
     {'uniqueId': '7', 'currentState': 'Critical', 'subject': 'CPU high', 'metric': 'system.cpu.usage',
      'createdDate': OR0, 'device': {'id': 'd1', 'name': 'web-1'}, 'acknowledged': True},
     ('7', 'open', 'critical', 'CPU high', 'web-1', ISO0, None, None, None, True, 'd1', None, 'Critical', False,
      'system.cpu.usage')),
    ('opsramp', opsramp.normalise,
     {'uniqueId': '8', 'currentState': 'Ok', 'subject': 'Disk', 'createdDate': OR0, 'closed': True,
      'lastActionDescription': 'CHG-1: done', 'statusHistory': {'closedTime': OR1, 'closedBy': 'ops@example.com'},
      'resource': {'id': 'r9', 'hostName': 'db-2'}},
     ('8', 'closed', 'info', 'Disk', 'db-2', ISO0, ISO1, 'CHG-1: done', 'ops@example.com', False, 'r9', None, 'Ok', True,
      None)),
    ('opsramp', opsramp.normalise,
     {'uniqueId': '9', 'currentState': 'Healed', 'subject': 'Ping', 'createdDate': OR0, 'lastActionDescription': 'x'},
     ('9', 'open', 'unknown', 'Ping', '', ISO0, None, None, None, False, None, None, 'Healed', True, None)),
    ('opsramp', lambda o: opsramp.occurrence_to_model('175', o),
     {'currentState': 'Warning', 'subject': 'Mem', 'metric': 'mem', 'createdTimeString': OR0, 'created_at': ISO0},
     ('175', 'open', 'warning', 'Mem', '', ISO0, None, None, None, False, None, None, 'Warning', False, 'mem')),
    # Log360: reported, never closed through the API; both response types
    ('log360', log360.normalise_hit,
     {'Alert Id': '17', 'Severity': 'trouble', 'Status': 'Open', 'Device': 'dc-01', 'Alert Profile': 'Brute force',
      'Time': str(T0 * 1000)},
     ('17', 'open', 'warning', 'Brute force', 'dc-01', ISO0, None, None, None, False, None, None, 'Open', False, None)),
    ('log360', log360.normalise_hit,
     {'ALERT_ID': 18, 'SEVERITY': 'CRITICAL', 'STATUS': 'CLOSED', 'HOSTNAME': 'db-2', 'PROFILE_NAME': 'Ransomware',
      'TIME': T0 * 1000},
     ('18', 'closed', 'critical', 'Ransomware', 'db-2', ISO0, None, None, None, False, None, None, 'CLOSED', False,
      None)),
]


@pytest.mark.parametrize('platform,normalise,vendor,expected', CASES)
def test_every_vendor_maps_onto_the_model(platform, normalise, vendor, expected):
    model = normalise(dict(vendor))
    assert sorted(model) == sorted(alerts.FIELDS + alerts.EXTRA_FIELDS)
    assert model['platform'] == platform
    assert tuple(model[k] for k in KEYS) == expected
    assert all(k not in model['raw'] for k in ('created_at', 'updated_at', 'opened_at', 'closed_at'))
