# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated OpsRamp scheduled maintenance (vendor-apis.md, OpsRamp; opsramp/openapi-specs v2/alerts).

Endpoints (under /api/v2/tenants/{tenantId}/scheduleMaintenances; the alerts API's auth and error shapes):
  POST   ""                      {name, description, devices[{hostName|uniqueId}], deviceGroups[{id|name}],
                                  locations[{id|name}] (<= 100 resources), schedule{type One-Time|Recurring, startTime,
                                  endTime (yyyy-MM-ddTHH:mm:ss+0000), timezone (IANA), pattern}, runEscalationAction?}
                                  -> {"uniqueId": "SM-..."}
  GET    /search?queryString=name:..+status:..&pageNo=&pageSize=   (results without resources, like the spec example)
  GET    /{smId}                 -> the window with devices, deviceGroups, locations, status
  POST   /{smId}                 update (schedule, name, description; resources are ignored) -> {"uniqueId"}
  DELETE /{smId}
  POST   /{smId}/end | /resume  -> {"uniqueId", "status"}; Active windows only for /end
  POST   /{smId}/suspend {"pattern": "now"} | {"pattern": "range", "startDate", "endDate"} -> {"uniqueId", "status"};
                                 Active windows only ("Only active schedule maintenance windows can be suspended"),
                                 the body is required
  POST|DELETE /{smId}/resources  {devices, deviceGroups, locations}

Status: Pending before startTime, Active inside [startTime, endTime), Completed after it or after /end (a Recurring
window goes back to Pending on /end), Suspended after /suspend until /resume. An alert raised (control "raise") on a
device covered by an Active window is typed "Maintenance" instead of "Monitoring".

Variants (the default is the stricter reading):
  opsramp_sm_time            "local" (default): startTime/endTime are wall-clock times in schedule.timezone (the
                             "+0000" suffix is formal); "gmt": they are GMT instants
  opsramp_sm_type_case       "exact" (default): schedule.type only "One-Time" or "Recurring"; "any": any case
  opsramp_sm_name_search     "contains" (default): name:<x> in the search matches substrings; "exact"
  opsramp_sm_update_active   "reject" (default): an update of an Active window -> 400; "accept"
  opsramp_sm_delete_active   "reject" (default): DELETE of an Active window -> 400; "accept"
  opsramp_sm_get_shape       "object" (default, like the spec example) | "results" ({"results": [window]})
  opsramp_sm_answer_offset   "zone" (default, the current API reference): startTime/endTime answered in the window's
                             own zone with its offset ("2024-03-01T10:00:00+0530" for Asia/Calcutta); "utc": echoed
                             as sent, with "+0000"
  opsramp_sm_escalate_key    "runEscalateAction" (default, the GET spelling of the current reference) |
                             "runEscalationAction" (the request's spelling) in GET and search answers

Control (/_sim/opsramp/<action>): GET maintenances -> {"maintenances": [... with "_status"]}.
"""

from __future__ import absolute_import, division, print_function

import calendar
import json
import re
import time
import uuid
from datetime import datetime
from urllib.parse import unquote

from core import Reply

VARIANTS = {'opsramp_sm_time': 'local', 'opsramp_sm_type_case': 'exact', 'opsramp_sm_name_search': 'contains',
            'opsramp_sm_update_active': 'reject', 'opsramp_sm_delete_active': 'reject', 'opsramp_sm_get_shape': 'object',
            'opsramp_sm_answer_offset': 'zone', 'opsramp_sm_escalate_key': 'runEscalateAction'}
DEVICE_GROUPS = {'Web Servers': ['web-01', 'web-02'], 'Databases': ['db-01', 'db-02']}
LOCATIONS = {'DC-East': ['web-01', 'db-01', 'lb-01'], 'DC-West': ['web-02', 'db-02', 'cache-01']}
MAX_RESOURCES = 100
_TIME = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(Z|[+-]\d\d:?\d\d)$')


def bad(field, message):
    return Reply(400, [{'code': '0002', 'fieldName': field, 'message': message}])


class Maintenances:
    def __init__(self, vendor, devices):
        self.vendor = vendor
        self.sim = vendor.sim
        self.devices = list(devices)
        self.windows = {}

    def variant(self, key):
        return self.vendor.variant(key)

    # -- times --------------------------------------------------------------------------------------------
    def parse(self, text, zone):
        match = _TIME.match(text or '') if isinstance(text, str) else None
        if not match:
            return None
        parts = [int(g) for g in match.groups()[:6]]
        offset = match.group(7)
        if offset == 'Z' or offset.replace(':', '')[1:] != '0000':   # a real offset: an instant
            sign = 0 if offset == 'Z' else (-1 if offset[0] == '-' else 1)
            digits = '0000' if offset == 'Z' else offset.replace(':', '')[1:]
            return calendar.timegm(tuple(parts)) - sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
        if self.variant('opsramp_sm_time') == 'gmt':
            return calendar.timegm(tuple(parts))
        from zoneinfo import ZoneInfo
        return int(datetime(*parts, tzinfo=ZoneInfo(zone)).timestamp())

    @staticmethod
    def zone_ok(name):
        try:
            from zoneinfo import ZoneInfo
            if not isinstance(name, str) or not name or name.startswith(('/', '.')) or '..' in name:
                return False
            ZoneInfo(name)
            return True
        except Exception:  # pylint: disable=broad-except
            return False

    def status(self, window, now=None):
        now = self.sim.now() if now is None else now
        if window.get('_ended'):
            return 'Completed'
        if window.get('_suspended'):
            return 'Suspended'
        suspended = window.get('_suspend_range')
        if suspended and suspended[0] <= now < suspended[1] and window['_start'] <= now < window['_end']:
            return 'Suspended'
        if now < window['_start']:
            return 'Pending'
        if now < window['_end']:
            return 'Active'
        return 'Completed'

    def covers(self, window, device):
        names = set()
        for d in window['_devices']:
            names.add(d)
        for group in window['_groups']:
            names.update(DEVICE_GROUPS.get(group, []))
        for location in window['_locations']:
            names.update(LOCATIONS.get(location, []))
        return device in names

    def maintenance_for(self, device, at):
        """The Active window covering ``device`` at ``at`` (None if none)."""
        for window in self.windows.values():
            if self.status(window, at) == 'Active' and self.covers(window, device):
                return window
        return None

    # -- API ----------------------------------------------------------------------------------------------
    def handle(self, req, rest, client):
        if req.method != 'GET' and client['scope'] != 'global:manage':
            return Reply(403, {'code': '0004', 'message': 'The integration has no permission to manage maintenance'})
        parts = [unquote(p) for p in rest.strip('/').split('/') if p] if rest else []
        if not parts and req.method == 'POST':
            return self.create(req)
        if parts == ['search'] and req.method == 'GET':
            return self.search(req)
        if not parts:
            return Reply(405, {'code': '0006', 'message': 'Method %s not allowed' % req.method})
        window = self.windows.get(parts[0])
        if window is None:
            return Reply(404, {'code': '0003', 'message': 'No schedule maintenance found with id : %s' % parts[0]})
        if len(parts) == 1:
            if req.method == 'GET':
                view = self.public(window, full=True)
                return Reply(200, {'results': [view]} if self.variant('opsramp_sm_get_shape') == 'results' else view)
            if req.method == 'POST':
                return self.update(window, req)
            if req.method == 'DELETE':
                if self.status(window) == 'Active' and self.variant('opsramp_sm_delete_active') != 'accept':
                    return Reply(400, {'code': '0012', 'message': 'An active schedule maintenance cannot be deleted; end it'})
                del self.windows[window['uniqueId']]
                return Reply(200, raw=b'')
        action = parts[1]
        if action in ('end', 'suspend', 'resume') and req.method == 'POST' and len(parts) == 2:
            return self.act(window, action, req)
        if action == 'resources' and len(parts) == 2 and req.method in ('POST', 'DELETE'):
            return self.resources(window, req)
        return Reply(405, {'code': '0006', 'message': 'Method %s not allowed on %s' % (req.method, req.path)})

    def body(self, req):
        try:
            data = req.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def resolve(self, data, current=None):
        """(devices, groups, locations, error) from a body's resource lists."""
        devices, groups, locations = set(), set(), set()
        total = 0
        for entry in data.get('devices') or []:
            total += 1
            name = entry.get('hostName')
            if name is None and entry.get('uniqueId') is not None:
                name = next((d for d in self.devices if 'res-%s' % d == entry['uniqueId']), None)
                if name is None:
                    return None, None, None, bad('devices', 'No resource found with uniqueId : %s' % entry['uniqueId'])
            if name not in self.devices:
                return None, None, None, bad('devices', 'No resource found with hostName : %s' % name)
            devices.add(name)
        for field, known, target in (('deviceGroups', DEVICE_GROUPS, groups), ('locations', LOCATIONS, locations)):
            for entry in data.get(field) or []:
                total += 1
                name = entry.get('name') or entry.get('id')
                if name not in known:
                    return None, None, None, bad(field, 'No %s found : %s' % (field, name))
                target.add(name)
        if total + (current or 0) > MAX_RESOURCES:
            return None, None, None, bad('devices', 'No more than %d resources can be added to a schedule maintenance '
                                                    'window' % MAX_RESOURCES)
        return devices, groups, locations, None

    def check_schedule(self, schedule):
        if not isinstance(schedule, dict):
            return None, None, bad('schedule', 'schedule is required')
        kind = schedule.get('type')
        kinds = ('One-Time', 'Recurring')
        ok = kind in kinds if self.variant('opsramp_sm_type_case') == 'exact' else \
            str(kind).lower() in ('one-time', 'recurring')
        if not ok:
            return None, None, bad('schedule.type', 'Invalid schedule type %r (One-Time or Recurring)' % (kind,))
        zone = schedule.get('timezone') or 'GMT'
        if not self.zone_ok(zone):
            return None, None, bad('schedule.timezone', 'Invalid timezone %r' % (zone,))
        start, end = self.parse(schedule.get('startTime'), zone), self.parse(schedule.get('endTime'), zone)
        if start is None or end is None:
            return None, None, bad('schedule.startTime', 'Date format must be yyyy-MM-ddTHH:mm:ss+0000')
        if end <= start:
            return None, None, bad('schedule.endTime', 'endTime must be after startTime')
        if str(kind).lower() == 'recurring' and not isinstance(schedule.get('pattern'), dict):
            return None, None, bad('schedule.pattern', 'pattern is required for a recurring schedule')
        return start, end, None

    def create(self, req):
        data = self.body(req)
        if data is None:
            return bad('body', 'invalid JSON')
        if not isinstance(data.get('name'), str) or not data['name'].strip():
            return bad('name', 'name is required')
        start, end, err = self.check_schedule(data.get('schedule'))
        if err:
            return err
        devices, groups, locations, err = self.resolve(data)
        if err:
            return err
        if not (devices or groups or locations):
            return bad('devices', 'At least one resource is required')
        now = self.sim.now()
        sm_id = 'SM-%s' % uuid.uuid4()
        self.windows[sm_id] = {
            'uniqueId': sm_id, 'name': data['name'], 'description': data.get('description') or '',
            'schedule': json.loads(json.dumps(data['schedule'])), 'runEscalationAction': data.get('runEscalationAction', True),
            'createdTime': time.strftime('%Y-%m-%dT%H:%M:%S+0000', time.gmtime(now)), 'updatedTime': '',
            '_start': start, '_end': end, '_devices': devices, '_groups': groups, '_locations': locations,
        }
        return Reply(200, {'uniqueId': sm_id})

    def update(self, window, req):
        data = self.body(req)
        if data is None:
            return bad('body', 'invalid JSON')
        status = self.status(window)
        if status == 'Completed' or (status == 'Active' and self.variant('opsramp_sm_update_active') != 'accept'):
            return Reply(400, {'code': '0012', 'message': 'Only pending schedule maintenance windows can be updated '
                                                          '(this one is %s)' % status})
        if 'schedule' in data:
            start, end, err = self.check_schedule(data['schedule'])
            if err:
                return err
            window.update(schedule=json.loads(json.dumps(data['schedule'])), _start=start, _end=end)
        for key in ('name', 'description', 'runEscalationAction'):
            if key in data:
                window[key] = data[key]
        window['updatedTime'] = time.strftime('%Y-%m-%dT%H:%M:%S+0000', time.gmtime(self.sim.now()))
        return Reply(200, {'uniqueId': window['uniqueId']})

    def act(self, window, action, req=None):
        status = self.status(window)
        if action == 'end':
            if status != 'Active':
                return Reply(400, {'code': '0012', 'message': 'Only active schedule maintenance windows can be ended'})
            if str(window['schedule'].get('type')).lower() == 'recurring':
                window['_start'] = self.sim.now() + 86400  # the next occurrence
            else:
                window['_ended'] = True
        elif action == 'suspend':
            if status != 'Active':
                return Reply(400, {'code': '0012', 'message': 'Only active schedule maintenance windows can be '
                                                              'suspended (this one is %s)' % status})
            data = self.body(req) if req is not None else None
            pattern = (data or {}).get('pattern')
            if pattern == 'now':
                window['_suspended'] = True
            elif pattern == 'range':
                start = self.parse((data or {}).get('startDate'), 'GMT')
                end = self.parse((data or {}).get('endDate'), 'GMT')
                if start is None or end is None or end <= start:
                    return bad('startDate', 'startDate and endDate (yyyy-MM-ddTHH:mm:ss+0000, GMT) are required with '
                                            'pattern range, endDate after startDate')
                window['_suspend_range'] = (start, end)
            else:
                return bad('pattern', 'pattern is required: now or range')
        else:
            if status != 'Suspended':
                return Reply(400, {'code': '0012', 'message': 'Only suspended windows can be resumed'})
            window['_suspended'] = False
        return Reply(200, {'uniqueId': window['uniqueId'], 'status': self.status(window)})

    def resources(self, window, req):
        data = self.body(req)
        if data is None:
            return bad('body', 'invalid JSON')
        if self.status(window) == 'Completed':
            return Reply(400, {'code': '0012', 'message': 'Resources can only be changed on Active, Pending or '
                                                          'Suspended windows'})
        current = len(window['_devices']) + len(window['_groups']) + len(window['_locations'])
        devices, groups, locations, err = self.resolve(data, current if req.method == 'POST' else 0)
        if err:
            return err
        if req.method == 'POST':
            window['_devices'] |= devices
            window['_groups'] |= groups
            window['_locations'] |= locations
        else:
            window['_devices'] -= devices
            window['_groups'] -= groups
            window['_locations'] -= locations
        return Reply(200, raw=b'')

    def answer_time(self, epoch, zone):
        from zoneinfo import ZoneInfo
        return datetime.fromtimestamp(int(epoch), ZoneInfo(zone)).strftime('%Y-%m-%dT%H:%M:%S%z')

    def public(self, window, full=False):
        out = dict((k, v) for k, v in window.items() if not k.startswith('_'))
        out['status'] = self.status(window)
        key = self.variant('opsramp_sm_escalate_key')
        out[key] = out.pop('runEscalationAction', True)
        schedule = dict(out['schedule'])
        schedule['type'] = str(schedule.get('type')).lower()   # the spec's answers spell one-time / recurring
        if self.variant('opsramp_sm_answer_offset') == 'zone':
            zone = schedule.get('timezone') or 'GMT'
            for field in ('startTime', 'endTime'):      # the times as written, answered in the window's zone
                instant = self.parse(schedule.get(field), zone)
                if instant is not None:
                    schedule[field] = self.answer_time(instant, zone)
        out['schedule'] = schedule
        if full:
            out['devices'] = [{'id': 'res-%s' % d, 'generalInfo': {'hostName': d}, 'clientUniqueId': 'client_7',
                               'type': 'DEVICE'} for d in sorted(window['_devices'])]
            out['deviceGroups'] = [{'name': g, 'description': ''} for g in sorted(window['_groups'])]
            out['locations'] = [{'id': n + 1, 'name': loc} for n, loc in enumerate(sorted(window['_locations']))]
        return out

    def search(self, req):
        query = {}
        text = req.query.get('queryString') or ''
        for part in re.split(r'[+](?=(?:name|status|uniqueId|deviceUniqueId):)', text):
            if not part:
                continue
            if ':' not in part:
                return bad('queryString', 'Invalid field: %s' % part)
            key, value = part.split(':', 1)
            if key not in ('name', 'status', 'uniqueId', 'deviceUniqueId'):
                return bad('queryString', 'Invalid query key: %s' % key)
            query[key] = value
        try:
            page_no = max(int(req.query.get('pageNo', 1)), 1)
            page_size = min(max(int(req.query.get('pageSize', 100)), 1), 100)
        except ValueError:
            return bad('pageNo', 'must be a number')
        out = []
        for window in sorted(self.windows.values(), key=lambda w: w['createdTime'], reverse=True):
            if 'name' in query:
                exact = self.variant('opsramp_sm_name_search') == 'exact'
                if (window['name'] != query['name']) if exact else (query['name'].lower() not in window['name'].lower()):
                    continue
            if 'status' in query and self.status(window) not in query['status'].split(','):
                continue
            if 'uniqueId' in query and window['uniqueId'] != query['uniqueId']:
                continue
            out.append(self.public(window))
        pages = (len(out) + page_size - 1) // page_size
        chunk = out[(page_no - 1) * page_size:page_no * page_size]
        return Reply(200, {'results': chunk, 'totalResults': len(out), 'orderBy': 'id', 'pageNo': page_no,
                           'pageSize': page_size, 'totalPages': pages, 'nextPage': page_no < pages,
                           'previousPageNo': page_no - 1, 'descendingOrder': True})

    def control(self, req, action, body):
        if action == 'maintenances':
            out = []
            for window in self.windows.values():
                view = self.public(window, full=True)
                view['_status'] = self.status(window)
                view['_start'], view['_end'] = window['_start'], window['_end']
                out.append(view)
            return Reply(200, {'maintenances': out})
        return None
