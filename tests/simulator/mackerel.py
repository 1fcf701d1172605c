# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated Mackerel API v0 alerts (see ../../../shared/reference/vendor-apis.md section 2).

Endpoints: GET /api/v0/hosts/<id>, GET /api/v0/monitors, GET /api/v0/monitors/<id>, GET /api/v0/alerts
(withClosed, nextId keyset paging, limit <= 100, newest first), GET/PUT /api/v0/alerts/<id> (bare alert / memo),
POST /api/v0/alerts/<id>/close, GET /api/v0/alerts/<id>/logs.

Keys (header X-Api-Key): KEYS['read_write'] (default credentials), KEYS['read_only'] (403 on every write),
KEYS['no_access'] (403 on everything: "outside the permitted IP address range"); any other key or none -> 401.

Variants:
  mackerel_rate_limit    0 (off) | N: at most N requests in any mackerel_rate_window (60) seconds (sliding); past it
                         429 {"error": {"message": "Too Many Requests"}} without Retry-After
  mackerel_close_closed  "400" (default): closing a closed alert answers 400 with an error body;
                         "200": it answers 200 with the unchanged alert (nothing is modified, no log written)
  mackerel_error_form    "object" (default): {"error": {"message": "..."}}; "string": {"error": "..."}

Control actions (/_sim/mackerel/<action>):
  GET  credentials -> {"env": {"MACKEREL_APIKEY": <read_write key>}, "keys": {read_write, read_only, no_access}}
  POST raise {"count": 1, "host_id": ..., "monitor_id": ..., "type": "host", "status": "CRITICAL", "at": <epoch s>,
              "message": ..., "value": ...} -> {"alerts": [new alerts]}  (hostId only for types that carry one)
  GET  alerts[?logs=1] -> {"alerts": [every alert, newest first], "logs": {id: [...]}}  (full state)
  POST seed {"count": 1000, "closed": 0, "at": <epoch s of the newest>, "spread": 1 (s between alerts)}
            -> replace all data with count open (+ closed) alerts; {"open": n, "closed": m}
  GET  hosts -> {"hosts": [...], "monitors": [{"id", "type"}...]}
  POST close {"id": ..., "reason": "...", "at": <epoch s>} -> the alert, closed as someone else (in the UI) would
       close it: no request is logged
  (raise skips alerts that a downtime or host maintenance suppresses: they come back under "suppressed")
  downtimes, annotations, host_status, add_hosts, suppressed: see mackerel_suppress.py
Hosts and monitors: GET /api/v0/hosts/<id> -> {"host": {"id", "name", "displayName", "status", "roles",
...}}, GET /api/v0/monitors/<id> -> {"monitor": {"id", "type", "name"}}; unknown -> 404. Host status, downtimes and
graph annotations: mackerel_suppress.py.
"""

from __future__ import absolute_import, division, print_function

import json

from core import Reply, Vendor
from mackerel_suppress import VARIANTS as SUPPRESSION_VARIANTS, MackerelSuppression

KEYS = {
    'read_write': 'mkrsimRWkey0000000000000000000000000000000000',
    'read_only': 'mkrsimROkey0000000000000000000000000000000000',
    'no_access': 'mkrsimNOkey0000000000000000000000000000000000',
}
TYPES = ('connectivity', 'host', 'service', 'external', 'check', 'expression', 'anomalyDetection', 'query')
HOST_TYPES = ('connectivity', 'host', 'check', 'anomalyDetection')
OPEN_STATUSES = ('CRITICAL', 'WARNING', 'UNKNOWN')
ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
MAX_MEMO = 80 * 1024
DAY = 86400


class Mackerel(Vendor):
    name = 'mackerel'
    prefixes = (r'^/api/v0/',)
    default_variants = dict({'mackerel_close_closed': '400', 'mackerel_error_form': 'object', 'mackerel_rate_limit': 0,
                             'mackerel_rate_window': 60}, **SUPPRESSION_VARIANTS)

    # -- data -----------------------------------------------------------------------------------------------
    def seed(self, rng):
        self.rng = rng
        self.used_ids = set()
        self.alerts = {}
        self.logs = {}
        self.hosts = [self.new_id() for _n in range(24)]
        self.services = ['web', 'db', 'batch', 'api']
        self.monitors = []
        for i in range(24):
            self.monitors.append({'id': self.new_id(), 'type': TYPES[i % len(TYPES)]})
        now = int(self.sim.now())
        # 320 alerts over 14 days: every type and status, open (about 130) and closed, many hosts and monitors
        for i in range(320):
            monitor = self.monitors[i % len(self.monitors)]
            opened = now - rng.randint(60, 14 * DAY)
            closed = (i % 5) in (1, 3) or (i % 7 == 0)
            alert = self.make_alert(monitor['type'], monitor['id'], rng.choice(self.hosts),
                                    OPEN_STATUSES[i % 3], opened)
            if closed:
                alert['status'] = 'OK'
                alert['closedAt'] = min(opened + rng.randint(60, DAY), now)
                alert['reason'] = rng.choice(['auto-resolved', 'closed manually', 'CHG-1000: maintenance'])
            if i % 11 == 0:
                alert['memo'] = 'seeded memo %d' % i
            self.add(alert, logs=(240 if i == 5 else 1 + i % 3))
        self.reorder()
        self.suppression = MackerelSuppression(self)  # downtimes, host status, graph annotations

    def new_id(self):
        while True:
            value = ''.join(self.rng.choice(ALPHABET) for _n in range(11))
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def make_alert(self, type_, monitor_id, host_id, status, opened, message=None, value=None):
        alert = {'id': self.new_id(), 'status': status, 'monitorId': monitor_id, 'type': type_, 'openedAt': int(opened)}
        if type_ in HOST_TYPES and host_id:
            alert['hostId'] = host_id
        if type_ in ('host', 'service', 'query') or (type_ == 'external' and self.rng.random() < 0.5):
            alert['value'] = value if value is not None else round(self.rng.uniform(1, 100), 2)
        if type_ in ('check', 'external'):
            alert['message'] = message or ('%s check failed' % type_)
        if type_ == 'query':
            alert['series'] = {'name': 'http.server.duration', 'labels': {'service': self.rng.choice(self.services)}}
        return alert

    def add(self, alert, logs=1):
        self.alerts[alert['id']] = alert
        entries = []
        opened = alert['openedAt']
        for n in range(logs):
            entries.append(self.make_log(alert, alert['status'] if alert['status'] != 'OK' else 'CRITICAL',
                                         'monitoring', opened + n * 60))
        if alert.get('closedAt'):
            entries.append(self.make_log(alert, 'OK', 'manual', alert['closedAt']))
        entries.reverse()  # newest first
        self.logs[alert['id']] = entries

    def make_log(self, alert, status, trigger, created):
        detail = None
        if alert['type'] == 'check':
            detail = {'type': 'check', 'detail': {'message': alert.get('message', ''), 'memo': ''}}
        return {'id': self.new_id(), 'createdAt': int(created), 'status': status, 'trigger': trigger,
                'monitorId': alert['monitorId'], 'targetValue': alert.get('value'), 'statusDetail': detail}

    def reorder(self):
        self.order = sorted(self.alerts, key=lambda i: (self.alerts[i]['openedAt'], i), reverse=True)
        self.pos = dict((alert_id, n) for n, alert_id in enumerate(self.order))

    # -- helpers --------------------------------------------------------------------------------------------
    def error(self, status, message, headers=None):
        body = {'error': message} if self.variant('mackerel_error_form') == 'string' else {'error': {'message': message}}
        return Reply(status, body, headers=headers)

    def budget_refused(self):
        return self.error(429, 'Too Many Requests')

    def rate_limited(self, retry_after):
        return self.error(429, 'Too Many Requests', headers={'Retry-After': retry_after})

    def limit(self, req):
        raw = req.query.get('limit')
        if raw is None:
            return 100, None
        try:
            value = int(raw)
        except ValueError:
            return None, self.error(400, 'limit must be a number')
        if value > 100:
            return None, self.error(400, 'limit must be less than or equal to 100')
        if value < 1:
            return None, self.error(400, 'limit must be greater than 0')
        return value, None

    # -- API ------------------------------------------------------------------------------------------------
    def handle(self, req):
        key = req.headers.get('x-api-key')
        if key not in KEYS.values():
            return self.error(401, 'Authentication failed. Please check your API key.')
        if key == KEYS['no_access']:
            return self.error(403, 'Forbidden: the request comes from outside the permitted IP address range')
        parts = req.path.rstrip('/').split('/')[3:]  # after /api/v0
        if parts == ['monitors'] and req.method == 'GET':
            return Reply(200, {'monitors': [self.monitor_object(n) for n in range(len(self.monitors))]})
        if len(parts) == 2 and parts[0] in ('hosts', 'monitors') and req.method == 'GET':
            return self.get_host(parts[1]) if parts[0] == 'hosts' else self.get_monitor(parts[1])
        if parts and parts[0] in ('downtimes', 'hosts', 'graph-annotations'):
            return self.suppression.handle(req, parts, key != KEYS['read_only'])
        if not parts or parts[0] != 'alerts':
            return self.error(404, 'Not Found')
        if req.method in ('POST', 'PUT', 'DELETE') and key == KEYS['read_only']:
            return self.error(403, 'Permission denied: this API key does not have Write permission')
        if len(parts) == 1 and req.method == 'GET':
            return self.list_alerts(req)
        alert = self.alerts.get(parts[1]) if len(parts) > 1 else None
        if alert is None:
            return self.error(404, 'Alert Not Found.')
        if len(parts) == 2 and req.method == 'GET':
            return Reply(200, alert)
        if len(parts) == 2 and req.method == 'PUT':
            return self.update(alert, req)
        if len(parts) == 3 and parts[2] == 'close' and req.method == 'POST':
            return self.close(alert, req)
        if len(parts) == 3 and parts[2] == 'logs' and req.method == 'GET':
            return self.alert_logs(alert, req)
        return self.error(404, 'Not Found')

    def host_object(self, host_id):
        # one host model: status and roles live in the suppression part (mackerel_suppress.py), which changes them
        return json.loads(json.dumps(self.suppression.hosts[host_id]))

    def get_host(self, host_id):
        if host_id not in self.hosts:
            return self.error(404, 'Host Not Found.')
        return Reply(200, {'host': self.host_object(host_id)})

    def get_monitor(self, monitor_id):
        monitor = next((m for m in self.monitors if m['id'] == monitor_id), None)
        if monitor is None:
            return self.error(404, 'Monitor Not Found.')
        return Reply(200, {'monitor': self.monitor_object(self.monitors.index(monitor))})

    def monitor_object(self, n):
        monitor = self.monitors[n]
        out = {'id': monitor['id'], 'type': monitor['type'], 'memo': ''}
        if monitor['type'] != 'connectivity':     # as in mackerel-client-go's example: a connectivity monitor has no name
            out['name'] = '%s monitor %02d' % (monitor['type'], n)
        return out

    def list_alerts(self, req):
        limit, err = self.limit(req)
        if err:
            return err
        with_closed = req.query.get('withClosed') == 'true'
        start = 0
        if req.query.get('nextId'):
            if req.query['nextId'] not in self.pos:
                return self.error(400, 'invalid nextId')
            start = self.pos[req.query['nextId']] + 1
        page, more = [], False
        for alert_id in self.order[start:]:
            alert = self.alerts[alert_id]
            if not with_closed and alert['status'] == 'OK':
                continue
            if len(page) == limit:
                more = True
                break
            page.append(alert)
        body = {'alerts': page}
        if more:
            body['nextId'] = page[-1]['id']
        return Reply(200, body)

    def body(self, req):
        try:
            data = req.json()
        except ValueError:
            return None, self.error(400, 'invalid JSON body')
        if not isinstance(data, dict):
            return None, self.error(400, 'the body must be a JSON object')
        return data, None

    def update(self, alert, req):
        data, err = self.body(req)
        if err:
            return err
        if not isinstance(data.get('memo'), str):
            return self.error(400, 'memo is required')
        if len(data['memo'].encode('utf-8')) > MAX_MEMO:
            return self.error(413, 'memo is too large (max 80KB)')
        if data['memo']:
            alert['memo'] = data['memo']
        else:
            alert.pop('memo', None)
        return Reply(200, {'id': alert['id'], 'memo': data['memo']})

    def close(self, alert, req):
        data, err = self.body(req)
        if err:
            return err
        if not isinstance(data.get('reason'), str) or not data['reason'].strip():
            return self.error(400, 'reason is required')
        if alert['status'] == 'OK':
            if self.variant('mackerel_close_closed') == '200':
                return Reply(200, alert)
            return self.error(400, 'Alert is already closed.')
        alert['status'] = 'OK'
        alert['reason'] = data['reason']
        alert['closedAt'] = int(self.sim.now())
        self.logs[alert['id']].insert(0, self.make_log(alert, 'OK', 'manual', alert['closedAt']))
        return Reply(200, alert)

    def alert_logs(self, alert, req):
        limit, err = self.limit(req)
        if err:
            return err
        entries = self.logs.get(alert['id'], [])
        start = 0
        if req.query.get('nextId'):
            ids = [e['id'] for e in entries]
            if req.query['nextId'] not in ids:
                return self.error(400, 'invalid nextId')
            start = ids.index(req.query['nextId']) + 1
        page = entries[start:start + limit]
        body = {'logs': page}
        if start + limit < len(entries):
            body['nextId'] = page[-1]['id']
        return Reply(200, body)

    # -- control --------------------------------------------------------------------------------------------
    def credentials_help(self):
        url = getattr(self.sim, 'base_url', None) or 'http://127.0.0.1:8400'
        return ['mackerel: MACKEREL_APIBASE=%s MACKEREL_APIKEY=%s (read-only key %s)'
                % (url, KEYS['read_write'], KEYS['read_only'])]

    def control(self, req, action):
        body = {}
        if req.body:
            try:
                body = json.loads(req.body.decode('utf-8')) or {}
            except ValueError:
                return Reply(400, {'error': 'invalid JSON'})
        if action == 'credentials':
            return Reply(200, {'env': {'MACKEREL_APIKEY': KEYS['read_write']}, 'keys': dict(KEYS)})
        if action == 'alerts':
            out = {'alerts': [self.alerts[i] for i in self.order], 'count': len(self.order)}
            if req.query.get('logs') in ('1', 'true'):
                out['logs'] = self.logs
            return Reply(200, json.loads(json.dumps(out)))
        if action == 'hosts':
            return Reply(200, {'hosts': list(self.hosts), 'monitors': list(self.monitors)})
        if action == 'raise' and req.method == 'POST':
            return self.control_raise(body)
        handled = self.suppression.control(req, action, body)
        if handled is not None:
            return handled
        if action == 'seed' and req.method == 'POST':
            return self.control_seed(body)
        if action == 'close' and req.method == 'POST':
            return self.control_close(body)
        return Reply(404, {'error': 'unknown control action %s for mackerel (credentials, raise, alerts, seed, hosts, '
                                    'close)' % action})

    def control_close(self, body):
        """Close an alert as someone else would (in the UI): no API request is logged."""
        alert = self.alerts.get(str(body.get('id')))
        if alert is None:
            return Reply(404, {'error': 'no alert %s' % body.get('id')})
        if alert['status'] != 'OK':
            alert['status'] = 'OK'
            alert['reason'] = body.get('reason') or 'closed by someone else'
            alert['closedAt'] = int(body.get('at') or self.sim.now())
            self.logs[alert['id']].insert(0, self.make_log(alert, 'OK', 'manual', alert['closedAt']))
        return Reply(200, json.loads(json.dumps(alert)))

    def control_raise(self, body):
        type_ = body.get('type') or 'host'
        if type_ not in TYPES:
            return Reply(400, {'error': 'type must be one of %s' % ', '.join(TYPES)})
        status = body.get('status') or 'CRITICAL'
        at = int(body.get('at') or self.sim.now())
        monitor_id = body.get('monitor_id') or next(m['id'] for m in self.monitors if m['type'] == type_)
        host_id = body.get('host_id') or self.hosts[0]
        created, suppressed = [], []
        for n in range(int(body.get('count', 1))):
            alert = self.make_alert(type_, monitor_id, host_id, status, at, body.get('message'), body.get('value'))
            self.suppression.observe(monitor_id, alert.get('hostId'), status)
            reason = self.suppression.suppression_of(monitor_id, alert.get('hostId'), at)
            if reason:  # "alerts are not generated" in a downtime's scope or for a host in maintenance
                self.suppression.record_suppressed(alert, reason)
                suppressed.append(dict(alert, suppressed_by=reason))
                continue
            self.add(alert)
            created.append(alert)
        self.reorder()
        return Reply(200, {'alerts': json.loads(json.dumps(created)), 'suppressed': json.loads(json.dumps(suppressed))})

    def control_seed(self, body):
        count, closed = int(body.get('count', 1000)), int(body.get('closed', 0))
        at = int(body.get('at') or self.sim.now())
        spread = int(body.get('spread', 1))
        self.alerts, self.logs = {}, {}
        for n in range(count + closed):
            monitor = self.monitors[n % len(self.monitors)]
            alert = self.make_alert(monitor['type'], monitor['id'], self.hosts[n % len(self.hosts)],
                                    OPEN_STATUSES[n % 3], at - n * spread)
            if n >= count:
                alert.update(status='OK', closedAt=at, reason='seeded closed')
            self.add(alert)
        self.reorder()
        return Reply(200, {'open': count, 'closed': closed})
