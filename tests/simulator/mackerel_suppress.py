# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated Mackerel suppression endpoints: downtimes, host status, graph annotations (vendor-apis.md, Mackerel).

Endpoints (same keys and error forms as mackerel.py):
  GET    /api/v0/downtimes                     -> {"downtimes": [...]}
  POST   /api/v0/downtimes                     {name, memo?, start (epoch s), duration (min), recurrence?, *Scopes}
  PUT    /api/v0/downtimes/<id>                (same body) -> the downtime;  DELETE -> the deleted downtime
  GET    /api/v0/hosts/<id>                    -> {"host": {id, name, status, roles: {service: [role]}, ...}}
  GET    /api/v0/hosts?service=&role=&status=  -> {"hosts": [...]}: without status only working and standby hosts
                                                (the API reference); role needs service; retired hosts never
  POST   /api/v0/hosts/<id>/status             {"status"} -> {"success": true}
  POST   /api/v0/hosts/bulk-update-statuses    {"status", "ids": [<= 30]} -> {"success": true}
  GET    /api/v0/hosts/<id>/monitored-statuses -> {"monitoredStatuses": [{"monitorId", "status"}]}
  POST   /api/v0/graph-annotations             {title (<= 250), description? (<= 1024), from, to, service, roles?}
  GET    /api/v0/graph-annotations?service=&from=&to=   (all three required; every annotation intersecting)
  PUT|DELETE /api/v0/graph-annotations/<id>

Semantics: "alerts are not generated" for hosts in maintenance or poweroff, and for alerts matching an active
downtime's scope (service/role scopes AND monitor scopes; exclusions win; no scope = everything). Recurring
downtimes (hourly, daily, weekly with weekdays, monthly, yearly, interval, until) are active in each occurrence.

Variants (what the docs leave open; the default is the stricter reading):
  mackerel_role_scope_format  "spaced" (default): roleScopes accepted as "service:role" or "service: role" and
                              answered as "service: role" (what the official Go client's fixtures and the Terraform
                              provider's acceptance tests against the real API read); "strict": only "service:role",
                              answered so (the API reference's spelling); "lenient": both accepted, answered unspaced
  mackerel_downtime_put       "replace" (default): PUT replaces the downtime, omitted fields are cleared; "merge"
  mackerel_downtime_past      "reject" (default): POST with a start more than an hour ago -> 400; "accept"
  mackerel_bulk_unknown       "reject" (default): an unknown id fails the whole bulk call (404, nothing changed);
                              "partial": known hosts change, unknown ids are ignored

Control (/_sim/mackerel/<action>): GET downtimes, GET annotations, GET host_status -> {"hosts": {id: status}},
POST host_status {"statuses": {id: status}} (set without the API), POST add_hosts {"count", "status", "roles"}
-> {"ids"}, POST recover {"host_id", "monitor_id"?, "close_alerts"?} (the checks are OK again; without monitor_id every
monitor the simulator saw fail on the host; close_alerts: their open alerts auto-resolve too), GET suppressed -> {"suppressed": [...]} (alerts
that were not generated and why).
"""

from __future__ import absolute_import, division, print_function

import calendar
import json
import random
import re
import time

from core import Reply

HOST_STATUSES = ('working', 'standby', 'maintenance', 'poweroff')
RECURRENCE_TYPES = ('hourly', 'daily', 'weekly', 'monthly', 'yearly')
WEEKDAYS = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
ROLES = {'web': ['app', 'proxy'], 'db': ['primary', 'replica'], 'batch': ['worker'], 'api': ['gateway']}
SCOPE_FIELDS = ('serviceScopes', 'serviceExcludeScopes', 'roleScopes', 'roleExcludeScopes', 'monitorScopes',
                'monitorExcludeScopes')
MAX_BULK = 30
PAST_LIMIT = 3600
VARIANTS = {'mackerel_role_scope_format': 'spaced', 'mackerel_downtime_put': 'replace',
            'mackerel_downtime_past': 'reject', 'mackerel_bulk_unknown': 'reject'}


def fullname(role):
    """``db: primary`` -> ``db:primary`` (how the simulator compares role scopes, whatever their spelling)."""
    return re.sub(r'\s*:\s*', ':', role)


class MackerelSuppression:
    def __init__(self, vendor):
        self.vendor = vendor
        self.sim = vendor.sim
        rng = random.Random(4242)
        self.hosts = {}
        services = sorted(ROLES)
        for n, host_id in enumerate(vendor.hosts):
            service = services[n % len(services)]
            role = ROLES[service][(n // len(services)) % len(ROLES[service])]
            self.hosts[host_id] = {
                'id': host_id, 'name': 'app-%02d.example.internal' % n, 'displayName': 'app-%02d' % n,
                'status': 'standby' if n % 8 == 7 else 'working', 'type': 'agent', 'isRetired': False,
                'memo': '', 'roles': {service: [role]}, 'createdAt': int(self.sim.now()) - 86400 * rng.randint(10, 400),
                'meta': {}, 'interfaces': [],
            }
        self.monitor_service = {}
        for n, monitor in enumerate(vendor.monitors):
            if monitor['type'] in ('service', 'expression', 'query', 'external'):
                self.monitor_service[monitor['id']] = services[n % len(services)]
        self.downtimes = {}
        self.annotations = {}
        self.suppressed_log = []
        self.monitor_states = {}      # (host id, monitor id) -> status the check last reported
        self.seq = 0

    # -- helpers ------------------------------------------------------------------------------------------
    def new_id(self, prefix):
        self.seq += 1
        return '%s%09d' % (prefix, self.seq)

    def error(self, status, message):
        return self.vendor.error(status, message)

    def variant(self, key):
        return self.vendor.variant(key)

    # -- suppression semantics ----------------------------------------------------------------------------
    def host_services(self, host_id):
        host = self.hosts.get(host_id) or {}
        return host.get('roles') or {}

    def in_scope(self, downtime, monitor_id, host_id):
        roles = self.host_services(host_id) if host_id else {}
        services = set(roles)
        if not host_id and monitor_id in self.monitor_service:
            services = {self.monitor_service[monitor_id]}
        fullnames = set('%s:%s' % (s, r) for s, rs in roles.items() for r in rs)
        if services & set(downtime.get('serviceExcludeScopes') or []):
            return False
        if fullnames & set(map(fullname, downtime.get('roleExcludeScopes') or [])):
            return False
        if monitor_id in set(downtime.get('monitorExcludeScopes') or []):
            return False
        svc_scopes, role_scopes = downtime.get('serviceScopes') or [], downtime.get('roleScopes') or []
        if (svc_scopes or role_scopes) and not (services & set(svc_scopes) or fullnames & set(map(fullname, role_scopes))):
            return False
        mon_scopes = downtime.get('monitorScopes') or []
        if mon_scopes and monitor_id not in mon_scopes:
            return False
        return True

    @staticmethod
    def active(downtime, t):
        start, length = int(downtime['start']), int(downtime['duration']) * 60
        if t < start:
            return False
        rec = downtime.get('recurrence')
        if not rec:
            return t < start + length
        if rec.get('until') and t >= int(rec['until']) + length:
            return False
        interval = int(rec.get('interval') or 1)
        kind = rec['type']
        if kind in ('hourly', 'daily'):
            period = (3600 if kind == 'hourly' else 86400) * interval
            return (t - start) % period < length
        if kind == 'weekly':
            days = rec.get('weekdays') or [WEEKDAYS[(time.gmtime(start).tm_wday + 1) % 7]]
            first_day = start - start % 86400
            for back in range(0, 8):
                day = (t - t % 86400) - back * 86400
                if day < first_day:
                    break
                occurrence = day + (start - first_day)
                weekday = WEEKDAYS[(time.gmtime(day).tm_wday + 1) % 7]
                week = (day - first_day) // (7 * 86400)
                if weekday in days and week % interval == 0 and occurrence <= t < occurrence + length:
                    return True
            return False
        s = time.gmtime(start)
        for back in range(0, 3):
            g = time.gmtime(t)
            if kind == 'monthly':
                months = (g.tm_year - s.tm_year) * 12 + g.tm_mon - s.tm_mon - back
                if months < 0 or months % interval:
                    continue
                year, month = s.tm_year + (s.tm_mon - 1 + months) // 12, (s.tm_mon - 1 + months) % 12 + 1
            else:
                years = g.tm_year - s.tm_year - back
                if years < 0 or years % interval:
                    continue
                year, month = s.tm_year + years, s.tm_mon
            try:
                occurrence = calendar.timegm((year, month, s.tm_mday, s.tm_hour, s.tm_min, s.tm_sec))
            except ValueError:
                continue
            if occurrence <= t < occurrence + length:
                return True
        return False

    def suppression_of(self, monitor_id, host_id, at):
        """Why an alert of this monitor on this host at ``at`` is not generated (None: it is)."""
        host = self.hosts.get(host_id) if host_id else None
        if host and host['status'] in ('maintenance', 'poweroff'):
            return 'host %s is in %s' % (host_id, host['status'])
        for downtime in self.downtimes.values():
            if self.active(downtime, at) and self.in_scope(downtime, monitor_id, host_id):
                return 'downtime %s (%s)' % (downtime['id'], downtime['name'])
        return None

    def observe(self, monitor_id, host_id, status):
        """The condition a check finds on a host; it shows in monitored-statuses while the host is monitored (not in
        maintenance or poweroff), so a problem hidden during the window shows again once the host is back."""
        if host_id:
            self.monitor_states[(host_id, monitor_id)] = status

    def record_suppressed(self, alert, reason):
        self.suppressed_log.append({'monitorId': alert.get('monitorId'), 'hostId': alert.get('hostId'),
                                    'type': alert.get('type'), 'at': alert.get('openedAt'), 'reason': reason})

    # -- API ----------------------------------------------------------------------------------------------
    def body(self, req):
        return self.vendor.body(req)   # one JSON-object body rule for every Mackerel endpoint

    def handle(self, req, parts, writable):
        if req.method in ('POST', 'PUT', 'DELETE') and not writable:
            return self.error(403, 'Permission denied: this API key does not have Write permission')
        if parts[0] == 'downtimes':
            return self.downtimes_api(req, parts)
        if parts[0] == 'hosts':
            return self.hosts_api(req, parts)
        return self.annotations_api(req, parts)

    # downtimes
    def downtimes_api(self, req, parts):
        if len(parts) == 1 and req.method == 'GET':
            return Reply(200, {'downtimes': [dict(d) for d in self.downtimes.values()]})
        if len(parts) == 2 and req.method == 'GET':  # not documented; Mackerel has no Get Downtime
            return self.error(404, 'Not Found') if parts[1] in self.downtimes else self.error(404, 'Downtime Not Found.')
        merge = self.variant('mackerel_downtime_put') == 'merge'
        return self.crud(req, parts, self.downtimes, 'dt', 'Downtime Not Found.', merge,
                         check=self.check_downtime, clean=self.clean_downtime)

    def crud(self, req, parts, store, prefix, missing, merge, check, clean):
        """POST creates, PUT <id> replaces (or merges the body into the object first), DELETE <id> removes: the write
        half the downtime and graph-annotation collections share. ``check(data, create)`` answers an error Reply or
        None; ``clean(data)`` is what is stored."""
        if len(parts) == 1 and req.method == 'POST':
            data, err = self.body(req)
            err = err or check(data, True)
            if err:
                return err
            created = clean(data)
            created['id'] = self.new_id(prefix)
            store[created['id']] = created
            return Reply(200, dict(created))
        if len(parts) != 2:
            return self.error(404, 'Not Found')
        current = store.get(parts[1])
        if current is None:
            return self.error(404, missing)
        if req.method == 'DELETE':
            del store[parts[1]]
            return Reply(200, dict(current))
        if req.method == 'PUT':
            data, err = self.body(req)
            if err:
                return err
            if merge:
                data = dict(current, **data)
            err = check(data, False)
            if err:
                return err
            updated = clean(data)
            updated['id'] = current['id']
            store[current['id']] = updated
            return Reply(200, dict(updated))
        return self.error(405, 'Method Not Allowed')

    def clean_downtime(self, data):
        keep = ('name', 'memo', 'start', 'duration', 'recurrence') + SCOPE_FIELDS
        out = dict((k, json.loads(json.dumps(data[k]))) for k in keep if data.get(k) not in (None, [], ''))
        spaced = self.variant('mackerel_role_scope_format') == 'spaced'
        for field in ('roleScopes', 'roleExcludeScopes'):
            if field in out:
                out[field] = [re.sub(r'\s*:\s*', ': ' if spaced else ':', r) for r in out[field]]
        return out

    def check_downtime(self, data, create):
        name = data.get('name')
        if not isinstance(name, str) or not name.strip():
            return self.error(400, 'name is required')
        if len(name) > 250 or len(data.get('memo') or '') > 2048:
            return self.error(400, 'name or memo is too long')
        start, duration = data.get('start'), data.get('duration')
        if not isinstance(start, int) or isinstance(start, bool):
            return self.error(400, 'start must be epoch seconds (a number)')
        if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
            return self.error(400, 'invalid duration: must be a positive number of minutes')
        if create and self.variant('mackerel_downtime_past') == 'reject' and start < self.sim.now() - PAST_LIMIT:
            return self.error(400, 'start must not be in the past')
        rec = data.get('recurrence')
        if rec is not None:
            if not isinstance(rec, dict) or rec.get('type') not in RECURRENCE_TYPES:
                return self.error(400, 'invalid recurrence type')
            if not isinstance(rec.get('interval'), int) or rec['interval'] < 1:
                return self.error(400, 'invalid recurrence interval')
            if rec.get('weekdays') and (rec['type'] != 'weekly' or any(w not in WEEKDAYS for w in rec['weekdays'])):
                return self.error(400, 'invalid recurrence weekdays')
            if rec.get('until') is not None and (not isinstance(rec['until'], int) or rec['until'] <= start):
                return self.error(400, 'invalid recurrence until')
        for field in SCOPE_FIELDS:
            values = data.get(field)
            if values is None:
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                return self.error(400, '%s must be an array of strings' % field)
            for value in values:
                err = self.check_scope(field, value)
                if err:
                    return err
        for inc, exc in (('serviceScopes', 'serviceExcludeScopes'), ('roleScopes', 'roleExcludeScopes'),
                         ('monitorScopes', 'monitorExcludeScopes')):
            if set(map(fullname, data.get(inc) or [])) & set(map(fullname, data.get(exc) or [])):
                return self.error(400, 'the scope is redundant: %s and %s overlap' % (inc, exc))
        return None

    def check_scope(self, field, value):
        if field.startswith('service'):
            if value not in ROLES:
                return self.error(400, 'service %s does not exist' % value)
        elif field.startswith('role'):
            strict = self.variant('mackerel_role_scope_format') == 'strict'
            match = re.match(r'^([^:\s]+):([^:\s]+)$' if strict else r'^([^:\s]+)\s*:\s*([^:\s]+)$', value)
            if not match:
                return self.error(400, 'invalid role fullname %r: use <service>:<role>' % value)
            if match.group(2) not in ROLES.get(match.group(1), []):
                return self.error(400, 'role %s does not exist' % value)
        elif not any(m['id'] == value for m in self.vendor.monitors):
            return self.error(400, 'monitor %s does not exist' % value)
        return None

    # hosts
    def list_hosts(self, req):
        query = getattr(req, 'query_all', None) or {}
        service = (query.get('service') or [None])[0]
        roles = query.get('role') or []
        statuses = query.get('status') or ['working', 'standby']
        if roles and not service:
            return self.error(400, 'role requires service')
        out = []
        for host in self.hosts.values():
            if host.get('isRetired') or host['status'] not in statuses:
                continue
            if service and service not in (host.get('roles') or {}):
                continue
            if roles and not set(roles) & set((host.get('roles') or {}).get(service) or []):
                continue
            out.append(json.loads(json.dumps(host)))
        return Reply(200, {'hosts': out})

    def hosts_api(self, req, parts):
        if parts[1:] == ['bulk-update-statuses'] and req.method == 'POST':
            data, err = self.body(req)
            if err:
                return err
            ids, status = data.get('ids'), data.get('status')
            if status not in HOST_STATUSES:
                return self.error(400, 'invalid status %r' % (status,))
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                return self.error(400, 'ids must be a non-empty array of host ids')
            if len(ids) > MAX_BULK:
                return self.error(400, 'too many ids: at most %d hosts a request' % MAX_BULK)
            # a retired host has no status any more: the bulk call refuses it like an unknown one
            unknown = [i for i in ids if i not in self.hosts or self.hosts[i].get('isRetired')]
            if unknown and self.variant('mackerel_bulk_unknown') != 'partial':
                return self.error(404, 'Host Not Found: %s' % ', '.join(unknown))
            for host_id in ids:
                if host_id in self.hosts:
                    self.hosts[host_id]['status'] = status
            return Reply(200, {'success': True})
        if len(parts) == 1 and req.method == 'GET':
            return self.list_hosts(req)
        if len(parts) < 2:
            return self.error(404, 'Not Found')
        host = self.hosts.get(parts[1])
        if host is None:
            return self.error(404, 'Host Not Found.')
        if len(parts) == 2 and req.method == 'GET':
            return Reply(200, {'host': json.loads(json.dumps(host))})
        if parts[2:] == ['status'] and req.method == 'POST':
            data, err = self.body(req)
            if err:
                return err
            if data.get('status') not in HOST_STATUSES:
                return self.error(400, 'invalid status %r' % (data.get('status'),))
            host['status'] = data['status']
            return Reply(200, {'success': True})
        if parts[2:] == ['monitored-statuses'] and req.method == 'GET':
            if host['status'] in ('maintenance', 'poweroff'):
                return Reply(200, {'monitoredStatuses': []})     # not monitored
            states = {}
            for alert in self.vendor.alerts.values():
                if alert.get('hostId') == host['id'] and alert['status'] != 'OK':
                    states[alert['monitorId']] = alert['status']
            # what the checks last reported wins: closing an alert does not make its monitor healthy
            states.update((m, st) for (h, m), st in self.monitor_states.items() if h == host['id'])
            return Reply(200, {'monitoredStatuses': [{'monitorId': m, 'status': s} for m, s in sorted(states.items())]})
        return self.error(404, 'Not Found')

    # graph annotations
    def check_annotation(self, data):
        title = data.get('title')
        if not isinstance(title, str) or not title:
            return self.error(400, 'title is required')
        if len(title) > 250 or len(data.get('description') or '') > 1024:
            return self.error(400, 'title exceeds 250 characters or description exceeds 1024 characters')
        start, end = data.get('from'), data.get('to')
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            return self.error(400, 'from and to must be epoch seconds')
        if start > end:
            return self.error(400, 'from must not be after to')
        service = data.get('service')
        if service not in ROLES:
            return self.error(404, 'service %s not found' % (service,))
        for role in data.get('roles') or []:
            if role not in ROLES[service]:
                return self.error(404, 'role %s not found in service %s' % (role, service))
        return None

    def annotations_api(self, req, parts):
        if len(parts) == 1 and req.method == 'GET':
            service = req.query.get('service')
            try:
                start, end = int(req.query['from']), int(req.query['to'])
            except (KeyError, ValueError):
                return self.error(400, 'service, from and to are required')
            if not service:
                return self.error(400, 'service, from and to are required')
            if service not in ROLES:
                return self.error(404, 'service %s not found' % service)
            found = [dict(a) for a in self.annotations.values()
                     if a['service'] == service and a['from'] <= end and a['to'] >= start]
            return Reply(200, {'graphAnnotations': found})
        return self.crud(req, parts, self.annotations, 'ga', 'Graph annotation not found', False,
                         check=lambda data, _create: self.check_annotation(data), clean=self.clean_annotation)

    @staticmethod
    def clean_annotation(data):
        return dict((k, data[k]) for k in ('title', 'description', 'from', 'to', 'service', 'roles')
                    if data.get(k) not in (None, []))

    def control(self, req, action, body):
        if action == 'downtimes':
            return Reply(200, {'downtimes': json.loads(json.dumps(list(self.downtimes.values())))})
        if action == 'annotations':
            return Reply(200, {'annotations': json.loads(json.dumps(list(self.annotations.values())))})
        if action == 'host_status' and req.method == 'POST':
            for host_id, status in (body.get('statuses') or {}).items():
                if host_id not in self.hosts or status not in HOST_STATUSES:
                    return Reply(400, {'error': 'unknown host %s or status %s' % (host_id, status)})
                self.hosts[host_id]['status'] = status
            return Reply(200, {'hosts': dict((i, h['status']) for i, h in self.hosts.items())})
        if action == 'host_status':
            return Reply(200, {'hosts': dict((i, h['status']) for i, h in self.hosts.items()),
                               'details': json.loads(json.dumps(list(self.hosts.values())))})
        if action == 'add_hosts' and req.method == 'POST':
            added = []
            for _n in range(int(body.get('count', 1))):
                host_id = self.vendor.new_id()
                n = len(self.hosts)
                self.vendor.hosts.append(host_id)
                self.hosts[host_id] = {'id': host_id, 'name': 'app-%02d.example.internal' % n, 'displayName': 'app-%02d' % n,
                                       'status': body.get('status') or 'working', 'type': 'agent', 'isRetired': False,
                                       'memo': '', 'roles': json.loads(json.dumps(body.get('roles') or {'web': ['app']})),
                                       'createdAt': int(self.sim.now()), 'meta': {}, 'interfaces': []}
                added.append(host_id)
            return Reply(200, {'ids': added})
        if action == 'recover' and req.method == 'POST':
            host_id, monitor_id = body.get('host_id'), body.get('monitor_id')
            keys = [k for k in list(self.monitor_states) if k[0] == host_id and monitor_id in (None, k[1])]
            keys = keys or [(host_id, monitor_id)] if monitor_id else keys
            for key in keys:
                self.monitor_states[key] = 'OK'
            for alert in self.vendor.alerts.values() if body.get('close_alerts') else ():
                if (alert.get('hostId'), alert.get('monitorId')) in keys and alert['status'] != 'OK':
                    alert.update(status='OK', closedAt=int(self.sim.now()), reason='auto-resolved')
            return Reply(200, {'recovered': [list(k) for k in keys]})
        if action == 'suppressed':
            return Reply(200, {'suppressed': list(self.suppressed_log)})
        if action == 'retire' and req.method == 'POST':
            # {"host_id", "delete": false}: retired (GET still answers, isRetired true) or gone altogether (404)
            host_id = body.get('host_id')
            if host_id not in self.hosts:
                return Reply(400, {'error': 'unknown host %s' % host_id})
            if body.get('delete'):
                del self.hosts[host_id]
                if host_id in self.vendor.hosts:
                    self.vendor.hosts.remove(host_id)
            else:
                self.hosts[host_id].update(isRetired=True, status='poweroff')
            return Reply(200, {'retired': host_id})
        return None
