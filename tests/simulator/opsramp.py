# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated OpsRamp Alerts API v2 (see ../../../shared/reference/vendor-apis.md section 3).

Endpoints:
  POST /tenancy/auth/oauth/token and /auth/oauth/token (form grant_type=client_credentials, client_id, client_secret)
       -> {"access_token", "token_type": "bearer", "expires_in", "scope"}; tokens expire on the simulated clock
  GET  /api/v2/tenants/{tenantId}/alerts/search?pageNo=&pageSize=&queryString=   (page-number paging, newest first)
  GET  /api/v2/tenants/{tenantId}/alerts/{alertId}
  GET  /api/v2/tenants/{tenantId}/alerts/{alertId}/occurrences?pageSize=&queryString=startTime:..+endTime:..
  POST /api/v2/tenants/{tenantId}/alerts/{alertId}/actions/{action}  {"description", "snoozeDuration"}
  GET  /api/v2/tenants/{tenantId}/resources/{resourceId}  -> {"id", "name", "hostName", "resourceType", ...} (404 unknown)
       action (current API reference): acknowledge, suppress, close, unAcknowledge, unSuppress, heal
       (heal: currentState becomes Ok); the legacy names unacknowledge / unsuppress per opsramp_action_names
  POST /api/v2/tenants/{tenantId}/alerts/{alertId}/acknowledge       (the older form)

Credentials: tenant TENANT; CLIENTS['manage'] (default, may act) and CLIENTS['read'] (403 on every action).
Unknown or expired Bearer token -> 401 {"error": "invalid_token", "error_description": "... <token>"} (the token is
echoed, as Spring OAuth servers do). Another tenant -> 403. Unknown alert -> 404 {"code", "message"}.
Bad queryString key -> 400 [{"code", "fieldName", "message"}].

Variants (sim.configure(variants={...})):
  opsramp_endtime        "inclusive" (default) | "exclusive": occurrences endTime is <= or <
  opsramp_enddate        "last" (default): endDate = the last row's createdTimeString;
                         "skewed": endDate 300 s earlier than the last row (like the seed's own example)
  opsramp_expires_in     "number" (default) | "string": type of expires_in in the token answer
  opsramp_token_ttl      7199: seconds a token lives (simulated clock)
  opsramp_token_paths    "both" (default) | "tenancy" | "legacy": which token path exists (the other one 404s)
  opsramp_auth_echo      false (default) | true: the 401 of the token endpoint echoes client_id and client_secret
  opsramp_action_response "empty" (default, 200 with no body) | "alert" (200 with the alert)
  opsramp_closed_action  "error" (default): an action on a closed alert (or close again) -> 400 {"code","message"};
                         "ok": 200, nothing changes
  opsramp_search_live    false (default) | true: every search request for a page > 1 first raises a new alert, so
                         the newest-first list shifts between pages
  opsramp_rate_limit     0 (default, off) | N: budget of API requests per window (429 {"error": "throttled"} beyond it,
                         X-RateLimit-Limit/-Remaining/-Reset on every answer)
  opsramp_rate_window    60: window length in seconds for opsramp_rate_limit (simulated clock)
  opsramp_reset_form     "epoch" (default, documented): X-RateLimit-Reset in UTC epoch seconds; "delay": seconds to wait
  opsramp_latency        0: seconds every API answer is delayed (lets a test act while a module is paging)
  opsramp_query_plus     "split" (default, strict): the decoded queryString is split on EVERY "+" (a date written
                         "...+0000" becomes a field "0000" -> 400); "fields": "+" or a space only before a known key
  opsramp_action_names   "current" (default): only acknowledge, suppress, close, unAcknowledge, unSuppress, heal;
                         "legacy": only acknowledge, suppress, close, unacknowledge, unsuppress (no heal);
                         "both": either spelling. Matching is case-sensitive; anything else -> opsramp_bad_action_status
  opsramp_bad_action_status 400 (default) | 404: the answer to an action name the server does not know
  opsramp_actions_open   "status" (default, strict): queryString actions:OPEN matches only alerts nobody acted on
                         (not acknowledged, suppressed, ticketed or closed); "not_closed": every alert not closed
  opsramp_time_base      "updated" (default, strict): startDate/endDate without alertTimeBase filter on updatedTime;
                         "created": on the creation time

Control actions (/_sim/opsramp/<action>):
  GET  credentials -> {"env": {"OPSRAMP_TENANT_ID", "OPSRAMP_CLIENT_ID", "OPSRAMP_CLIENT_SECRET"}, "tenant_id",
                       "clients": {"manage": {...}, "read": {...}}, "occurrence_alerts": {...}}
  POST raise {"count": 1, "device": "web-01", "resource_id": ..., "subject": ..., "state": "Critical", "at": <epoch>}
             -> {"alerts": [new alerts]}   (open, newest first in search)
  GET  alerts -> {"alerts": [every alert, newest first]}   (full state)
  GET  issued_tokens -> {"tokens": [every access_token issued]}
  POST seed_occurrences {"alert_id": "176", "count": 10000, "ties": [[position, size(, gap s)], ...] | "default" | "none",
                         "identical": true, "spacing": [1, 20]} -> {"alert_id", "count", "seconds"}
       (creates the alert if needed; a tie puts ``size`` rows from ``position`` (newest first) on one second;
       with identical, every 3rd tie group holds pairs of byte-identical occurrences)
  GET  occurrences?id=<alertId> -> {"occurrences": [...]} (newest first)
  POST close {"id": ..., "reason": "...", "by": "jane.doe"} -> the alert, closed as someone else would close it
       (statusHistory.closedBy, lastActionDescription = reason); no request is logged
"""

from __future__ import absolute_import, division, print_function

import json
import re
import time
import uuid
from urllib.parse import unquote

from core import Reply, Vendor
from opsramp_maintenance import VARIANTS as MAINTENANCE_VARIANTS, Maintenances

TENANT = 'client_7'
CLIENTS = {
    'manage': {'client_id': 'opsrampSimManageKey7f3a9c21d4e8b605', 'client_secret': 'opsrampSimManageSecret8c2e41f97a5d3b60e2f1c4a9',
               'scope': 'global:manage'},
    'read': {'client_id': 'opsrampSimReadKey0b7d2e94c1a6f835', 'client_secret': 'opsrampSimReadSecret3e9a7c05b2d84f61a0c7e5d2',
             'scope': 'global:read'},
}
ACTION_NAMES = {
    'current': ('acknowledge', 'suppress', 'close', 'unAcknowledge', 'unSuppress', 'heal'),
    'legacy': ('acknowledge', 'suppress', 'close', 'unacknowledge', 'unsuppress'),
}
ACTION_NAMES['both'] = ACTION_NAMES['current'] + ('unacknowledge', 'unsuppress')
ACTION_EFFECT = {'acknowledge': ('acknowledged', True), 'unAcknowledge': ('acknowledged', False),
                 'unacknowledge': ('acknowledged', False), 'suppress': ('suppressed', True),
                 'unSuppress': ('suppressed', False), 'unsuppress': ('suppressed', False), 'close': ('closed', True),
                 'heal': ('healed', True)}
QUERY_KEYS = ('states', 'startDate', 'endDate', 'priority', 'uniqueId', 'deviceStatus', 'resourceType', 'resourceIds',
              'actions', 'alertTypes', 'metrics', 'duration', 'alertTimeBase', 'clientIds', 'ticketId', 'apps')
STATES = ('Critical', 'Warning', 'Info', 'Ok')
DEVICES = ['web-01', 'web-02', 'db-01', 'db-02', 'lb-01', 'cache-01', 'batch-01', 'api-01']
METRICS = ['system.cpu.utilization', 'system.memory.usage', 'system.disk.usage', 'network.latency', 'app.http.5xx']
OCC_ALERT = '175'        # seeded with 430 occurrences and tie groups across page boundaries
BIG_ALERT = '176'        # seed_occurrences target for the benchmark (10,000)
# [position, size(, seconds to the next older occurrence)]: ties across the boundaries of 100-row pages, and two big
# groups on adjacent seconds (inclusive endTime then returns both on one page)
DEFAULT_TIES = [[90, 20], [197, 6], [240, 3], [295, 8], [330, 45, 1], [375, 40], [420, 5]]
FMT = '%Y-%m-%dT%H:%M:%S+0000'
_TIME = re.compile(r'^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[ +](\d{4})|Z)?$')


def fmt(epoch):
    return time.strftime(FMT, time.gmtime(int(epoch)))


def parse_time(text):
    match = _TIME.match((text or '').strip())
    if not match:
        return None
    import calendar
    return calendar.timegm(time.strptime(match.group(1), '%Y-%m-%dT%H:%M:%S'))


def split_query(text, keys, strict=True):
    """Decoded queryString -> {key: value}.

    strict (the documented reading): "+" separates fields, so the decoded text is split on every "+"; a date written
    with "+0000" then yields a field without ":" (ValueError). Lenient: "+" (or a space, a "+" sent unencoded) only
    before a known key separates fields.
    """
    if not text:
        return {}
    if strict:
        parts = text.strip().split('+')
    else:
        pattern = r'[+ ](?=(?:%s):)' % '|'.join(re.escape(k) for k in keys + ('startTime', 'endTime'))
        parts = re.split(pattern, text.strip())
    out = {}
    for part in parts:
        if ':' not in part:
            raise ValueError(part)
        key, value = part.split(':', 1)
        out[key.strip()] = value.strip()
    return out


class OpsRamp(Vendor):
    name = 'opsramp'
    prefixes = (r'^/api/v2/tenants/', r'^/auth/oauth/token$', r'^/tenancy/auth/oauth/token$')
    default_variants = {
        'opsramp_endtime': 'inclusive', 'opsramp_enddate': 'last', 'opsramp_expires_in': 'number',
        'opsramp_token_ttl': 7199, 'opsramp_token_paths': 'both', 'opsramp_auth_echo': False,
        'opsramp_action_response': 'empty', 'opsramp_closed_action': 'error', 'opsramp_search_live': False,
        'opsramp_rate_limit': 0, 'opsramp_rate_window': 60, 'opsramp_latency': 0,
        'opsramp_query_plus': 'split', 'opsramp_action_names': 'current', 'opsramp_bad_action_status': 400,
        'opsramp_actions_open': 'status', 'opsramp_time_base': 'updated', 'opsramp_reset_form': 'epoch',
    }
    default_variants.update(MAINTENANCE_VARIANTS)

    # -- data -----------------------------------------------------------------------------------------------
    def seed(self, rng):
        self.rng = rng
        self.alerts = {}
        self.occurrences = {}
        self.tokens = {}
        self.issued = []
        self.next_id = 100
        self.window = (0, 0)
        self.maintenances = Maintenances(self, DEVICES)  # scheduled maintenance (opsramp_maintenance.py)
        now = int(self.sim.now())
        for i in range(48):
            created = now - rng.randint(120, 10 * 86400)
            alert = self.make_alert(DEVICES[i % len(DEVICES)], STATES[i % 3], created, metric=METRICS[i % len(METRICS)])
            if i % 6 == 1:
                self.set_flag(alert, 'acknowledged', True)
            if i % 6 == 3:
                self.set_flag(alert, 'suppressed', True)
            if i % 6 == 5:
                self.set_flag(alert, 'closed', True)
            if i % 9 == 0:
                alert['incidentId'] = 'INC%010d' % (1000 + i)
                alert['ticketed'] = True
                alert['status'] = 'Ticketed' if not alert['closed'] else alert['status']
        self.make_alert('db-01', 'Critical', now - 2 * 86400, uid=OCC_ALERT, metric='event.log')
        self.seed_occurrences(OCC_ALERT, 430, DEFAULT_TIES, identical=True, spacing=(1, 20), newest=now - 3600)

    def make_alert(self, device, state, created, uid=None, subject=None, metric=None, resource_id=None):
        if uid is None:
            while str(self.next_id) in self.alerts or str(self.next_id) in (OCC_ALERT, BIG_ALERT):
                self.next_id += 1
            uid = str(self.next_id)
            self.next_id += 1
        metric = metric or 'system.cpu.utilization'
        resource_id = resource_id or 'res-%s' % device
        alert = {
            'uniqueId': uid, 'clientUniqueId': TENANT, 'tenantId': 7, 'tenantName': 'Acme',
            'subject': subject or '%s %s on %s' % (metric, state, device), 'description': '%s is %s' % (metric, state),
            'currentState': state, 'oldState': 'Ok', 'status': 'Open', 'priority': 'P%d' % (1 + int(uid) % 5),
            'acknowledged': False, 'suppressed': False, 'permanentlySuppressed': False, 'closed': False,
            'ticketed': False, 'serviceName': metric.split('.')[0], 'alertType': 'Monitoring', 'app': 'OPSRAMP',
            'eventType': 'ALERT', 'metric': metric, 'component': metric,
            'alertTime': fmt(created), 'createdDate': fmt(created), 'updatedTime': fmt(created),
            'device': {'id': resource_id, 'name': device, 'hostName': device, 'ipAddress': '10.0.0.%d' % (1 + len(device)),
                       'type': 'Server', 'resourceName': device, 'resourceType': 'DEVICE'},
            'resource': {'id': resource_id, 'name': device, 'resourceType': 'DEVICE'},
            'repeatCount': '1', 'elapsedTimeString': '0 min', 'managedByOpsRamp': True,
            'statusHistory': {'createdBy': 'system', 'createdTime': fmt(created)},
            '_created': int(created),
        }
        self.alerts[uid] = alert
        return alert

    def set_flag(self, alert, flag, value, description=None, snooze=None):
        alert[flag] = value
        now = fmt(self.sim.now())
        alert['updatedTime'] = now
        history = alert['statusHistory']
        if flag == 'healed':
            alert['oldState'], alert['currentState'] = alert['currentState'], 'Ok'
            alert['statusHistory']['healedTime'] = now
            alert['healedTimeString'] = now
            if description is not None:
                alert['lastActionDescription'] = description
            return
        verb = {'acknowledged': 'acknowledged', 'suppressed': 'suppressed', 'closed': 'closed'}[flag]
        if value:
            history[verb + 'By'] = 'api-client'
            history[verb + 'Time'] = now
        if flag == 'suppressed':
            alert['snoozeDuration'] = snooze if value else None
        if description is not None:
            alert['lastActionDescription'] = description
        if alert['closed']:
            alert['status'] = 'Closed'
        elif alert['suppressed']:
            alert['status'] = 'Suppressed'
        elif alert['acknowledged']:
            alert['status'] = 'Acknowledged'
        else:
            alert['status'] = 'Ticketed' if alert.get('incidentId') else 'Open'

    def seed_occurrences(self, alert_id, count, ties, identical=False, spacing=(1, 20), newest=None):
        alert = self.alerts.get(alert_id)
        if alert is None:
            alert = self.make_alert('db-01', 'Critical', int(self.sim.now()) - 86400, uid=alert_id, metric='event.log')
        newest = int(newest if newest is not None else self.sim.now() - 60)
        tie_at = dict((int(t[0]), (int(t[1]), int(t[2]) if len(t) > 2 else None)) for t in ties)
        rows, t, pos, group_no = [], newest, 0, 0
        while pos < count:
            size, gap = tie_at.get(pos, (1, None))
            size = min(size, count - pos)
            group_no += 1
            twin = identical and size > 1 and group_no % 3 == 0
            for k in range(size):
                n = pos + k
                desc = 'Event ID : 257\nEvent Description : scan %d took too long' % ((n - n % 2) if twin else n)
                rows.append({'uniqueId': alert_id, 'subject': 'Event Source : McLogEvent / Id : 257',
                             'description': desc, 'currentState': alert['currentState'], 'createdTimeString': fmt(t),
                             '_t': t})
            pos += size
            t -= gap if gap else self.rng.randint(int(spacing[0]), int(spacing[1]))
        self.occurrences[alert_id] = rows
        alert['repeatCount'] = str(count)
        return len(set(r['_t'] for r in rows))

    # -- helpers --------------------------------------------------------------------------------------------
    def error(self, status, body, headers=None):
        return Reply(status, body, headers=headers)

    def rate_limited(self, retry_after):
        return Reply(429, {'error': 'throttled', 'error_description': 'Too Many Requests'},
                     headers={'Retry-After': retry_after, 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0',
                              'X-RateLimit-Reset': str(int(time.time()) + int(float(retry_after or 0)))})

    def over_budget(self):
        return False   # OpsRamp's budget is its own (fixed windows, X-RateLimit-* headers): see budget()

    def budget(self):
        """Per-window request budget (variant opsramp_rate_limit): (reply or None, headers)."""
        limit = int(self.variant('opsramp_rate_limit') or 0)
        if not limit:
            return None, {}
        window = float(self.variant('opsramp_rate_window') or 60)
        now = self.sim.now()
        start, used = self.window
        if now >= start + window:
            start, used = now - (now % window), 0
        reset_real = time.time() + (start + window - now)
        used += 1
        self.window = (start, used)
        reset = '%d' % int(reset_real + 0.999)   # epoch seconds, rounded up: documented as UTC epoch seconds
        if self.variant('opsramp_reset_form') == 'delay':
            reset = '%d' % int(start + window - now + 0.999)   # seconds to wait, as seen in the wild
        headers = {'X-RateLimit-Limit': str(limit), 'X-RateLimit-Remaining': str(max(limit - used, 0)),
                   'X-RateLimit-Reset': reset}
        if used > limit:
            return Reply(429, {'error': 'throttled', 'error_description': 'Too Many Requests'}, headers=headers), headers
        return None, headers

    def body(self, req):
        try:
            return req.json() or {}
        except ValueError:
            return None

    def public(self, alert):
        return dict((k, v) for k, v in alert.items() if not k.startswith('_'))

    def ordered(self):
        return sorted(self.alerts.values(), key=lambda a: (-a['_created'], -int(a['uniqueId'])))

    # -- dispatch -------------------------------------------------------------------------------------------
    def handle(self, req):
        if req.path.endswith('/oauth/token'):
            return self.token(req)
        latency = float(self.variant('opsramp_latency') or 0)
        if latency:
            time.sleep(latency)
        reply, headers = self.budget()
        if reply is None:
            reply = self.api(req)
        reply.headers.update(dict((k, v) for k, v in headers.items() if k not in reply.headers))
        return reply

    def token(self, req):
        paths = self.variant('opsramp_token_paths')
        tenancy = req.path.startswith('/tenancy/')
        if req.method != 'POST' or (paths == 'tenancy' and not tenancy) or (paths == 'legacy' and tenancy):
            return Reply(404, raw=b'<html><body><h1>404 Not Found</h1></body></html>', content_type='text/html')
        form = req.form()
        if form.get('grant_type') != 'client_credentials':
            return self.error(400, {'error': 'unsupported_grant_type',
                                    'error_description': 'Unsupported grant type: %s' % form.get('grant_type')})
        client = next((c for c in CLIENTS.values() if c['client_id'] == form.get('client_id')), None)
        if client is None or client['client_secret'] != form.get('client_secret'):
            desc = 'Bad API credentials'
            if self.variant('opsramp_auth_echo') in (True, 'true', '1'):
                desc += ' for client_id=%s client_secret=%s' % (form.get('client_id'), form.get('client_secret'))
            return self.error(401, {'error': 'unauthorized', 'error_description': desc})
        token = uuid.uuid4().hex + uuid.uuid4().hex[:4]
        ttl = int(self.variant('opsramp_token_ttl') or 7199)
        self.tokens[token] = {'client': client, 'expires': self.sim.now() + ttl}
        self.issued.append(token)
        expires = str(ttl) if self.variant('opsramp_expires_in') == 'string' else ttl
        return Reply(200, {'access_token': token, 'token_type': 'bearer', 'expires_in': expires,
                           'scope': client['scope']})

    def authorize(self, req):
        header = req.headers.get('authorization') or ''
        if not header.lower().startswith('bearer '):
            return None, self.error(401, {'error': 'unauthorized',
                                          'error_description': 'Full authentication is required to access this resource'})
        token = header[7:].strip()
        entry = self.tokens.get(token)
        if entry is None:
            return None, self.error(401, {'error': 'invalid_token', 'error_description': 'Invalid access token: %s' % token})
        if self.sim.now() >= entry['expires']:
            return None, self.error(401, {'error': 'invalid_token', 'error_description': 'Access token expired: %s' % token})
        return entry['client'], None

    def api(self, req):
        client, denied = self.authorize(req)
        if denied:
            return denied
        sm = re.match(r'^/api/v2/tenants/([^/]+)/scheduleMaintenances(/.*)?$', req.path)
        if sm and unquote(sm.group(1)) == TENANT:
            return self.maintenances.handle(req, sm.group(2), client)
        resource = re.match(r'^/api/v2/tenants/([^/]+)/resources/([^/]+)$', req.path)
        if resource and req.method == 'GET':
            return self.get_resource(unquote(resource.group(1)), unquote(resource.group(2)))
        match = re.match(r'^/api/v2/tenants/([^/]+)/alerts(?:/([^/]+))?(?:/(.*))?$', req.path)
        if not match:
            return self.error(404, {'code': '0001', 'message': 'No API found for %s %s' % (req.method, req.path)})
        tenant, alert_id, rest = unquote(match.group(1)), match.group(2), match.group(3)
        if tenant != TENANT:
            return self.error(403, {'code': '0005', 'message': 'Access denied to tenant %s' % tenant})
        alert_id = unquote(alert_id) if alert_id else None
        if alert_id == 'search' and rest is None and req.method == 'GET':
            return self.search(req)
        if alert_id is None or alert_id == 'search':
            return self.error(404, {'code': '0001', 'message': 'No API found for %s %s' % (req.method, req.path)})
        alert = self.alerts.get(alert_id)
        if alert is None:
            return self.error(404, {'code': '0003', 'message': 'No alert found with id : %s' % alert_id})
        if rest is None and req.method == 'GET':
            return Reply(200, self.public(alert))
        if rest == 'occurrences' and req.method == 'GET':
            return self.list_occurrences(alert_id, req)
        if req.method == 'POST' and (rest == 'acknowledge' or (rest or '').startswith('actions/')):
            action = 'acknowledge' if rest == 'acknowledge' else rest.split('/', 1)[1]
            if client['scope'] != 'global:manage':
                return self.error(403, {'code': '0004', 'message': 'The integration has no permission to act on alerts'})
            return self.act(alert, action, req)
        return self.error(405, {'code': '0006', 'message': 'Method %s not allowed on %s' % (req.method, req.path)})

    def get_resource(self, tenant, resource_id):
        """A device of DEVICES as the resource API shows it (``res-<device>``); unknown -> 404."""
        if tenant != TENANT:
            return self.error(403, {'code': '0005', 'message': 'Access denied to tenant %s' % tenant})
        device = resource_id[4:] if resource_id.startswith('res-') else None
        if device not in DEVICES:
            return self.error(404, {'code': '0003', 'message': 'No resource found with id : %s' % resource_id})
        return Reply(200, {'id': resource_id, 'name': device, 'hostName': device, 'resourceType': 'DEVICE',
                           'ipAddress': '10.0.0.%d' % (1 + len(device)), 'state': 'active'})

    # -- search ---------------------------------------------------------------------------------------------
    def strict_plus(self):
        return self.variant('opsramp_query_plus') != 'fields'

    def search(self, req):
        try:
            query = split_query(req.query.get('queryString'), QUERY_KEYS, self.strict_plus())
        except ValueError as exc:
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString', 'message': 'Invalid field: %s' % exc}])
        bad = [k for k in query if k not in QUERY_KEYS]
        if bad:
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString',
                                     'message': 'Invalid query key: %s' % ', '.join(sorted(bad))}])
        try:
            page_no = max(int(req.query.get('pageNo', 1)), 1)
            page_size = min(max(int(req.query.get('pageSize', 100)), 1), 100)
        except ValueError:
            return self.error(400, [{'code': '0002', 'fieldName': 'pageNo', 'message': 'must be a number'}])
        if page_no > 1 and self.variant('opsramp_search_live') in (True, 'true', '1'):
            self.make_alert('web-09', 'Critical', int(self.sim.now()) + 1)
        values = dict((k, [x for x in v.split(',') if x]) for k, v in query.items())
        start, end = parse_time(query.get('startDate')), parse_time(query.get('endDate'))
        if (query.get('startDate') and start is None) or (query.get('endDate') and end is None):
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString',
                                     'message': 'Date format must be yyyy-MM-ddTHH:mm:ssZ'}])
        base = query.get('alertTimeBase') or self.variant('opsramp_time_base')
        if base not in ('created', 'updated'):
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString',
                                     'message': 'alertTimeBase must be created or updated'}])
        out = []
        for alert in self.ordered():
            when = alert['_created'] if base == 'created' else parse_time(alert['updatedTime'])
            if values.get('states') and alert['currentState'] not in values['states']:
                continue
            if values.get('priority') and alert['priority'] not in values['priority']:
                continue
            if values.get('uniqueId') and alert['uniqueId'] not in values['uniqueId']:
                continue
            if values.get('resourceIds') and alert['device']['id'] not in values['resourceIds']:
                continue
            if values.get('metrics') and alert['metric'] not in values['metrics']:
                continue
            if values.get('alertTypes') and alert['alertType'] not in values['alertTypes']:
                continue
            if values.get('actions') and not any(self.action_match(alert, a) for a in values['actions']):
                continue
            if start is not None and when < start:
                continue
            if end is not None and when > end:
                continue
            out.append(self.public(alert))
        total = len(out)
        pages = (total + page_size - 1) // page_size
        chunk = out[(page_no - 1) * page_size:page_no * page_size]
        return Reply(200, {'results': chunk, 'totalResults': total, 'orderBy': 'createdDate', 'pageNo': page_no,
                           'pageSize': page_size, 'totalPages': pages, 'nextPage': page_no < pages,
                           'previousPageNo': page_no - 1 if page_no > 1 else None, 'descendingOrder': True})

    def action_match(self, alert, action):
        action = action.upper()
        if self.variant('opsramp_actions_open') == 'not_closed':
            is_open = not alert['closed']
        else:  # OPEN: nobody acted on it
            is_open = not (alert['closed'] or alert['acknowledged'] or alert['suppressed'] or alert['ticketed'])
        return {'ACKNOWLEDGED': alert['acknowledged'] and not alert['closed'],
                'SUPPRESSED': alert['suppressed'] and not alert['closed'], 'CLOSED': alert['closed'],
                'OPEN': is_open, 'TICKETED': alert['ticketed'] and not alert['closed']}.get(action, False)

    # -- occurrences ----------------------------------------------------------------------------------------
    def list_occurrences(self, alert_id, req):
        try:
            query = split_query(req.query.get('queryString'), (), self.strict_plus())
        except ValueError as exc:
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString', 'message': 'Invalid field: %s' % exc}])
        bad = [k for k in query if k not in ('startTime', 'endTime')]
        if bad:
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString',
                                     'message': 'Invalid query key: %s' % ', '.join(sorted(bad))}])
        start, end = parse_time(query.get('startTime')), parse_time(query.get('endTime'))
        if (query.get('startTime') and start is None) or (query.get('endTime') and end is None):
            return self.error(400, [{'code': '0002', 'fieldName': 'queryString',
                                     'message': 'Date format must be yyyy-MM-ddTHH:mm:ssZ (GMT)'}])
        try:
            page_size = min(max(int(req.query.get('pageSize', 100)), 1), 100)
        except ValueError:
            return self.error(400, [{'code': '0002', 'fieldName': 'pageSize', 'message': 'must be a number'}])
        inclusive = self.variant('opsramp_endtime') != 'exclusive'
        rows = [r for r in self.occurrences.get(alert_id, [])
                if (start is None or r['_t'] >= start) and (end is None or (r['_t'] <= end if inclusive else r['_t'] < end))]
        page = rows[:page_size]
        body = {'results': [dict((k, v) for k, v in r.items() if k != '_t') for r in page], 'pageSize': page_size,
                'nextPage': len(rows) > len(page), 'descendingOrder': True,
                'startDate': page[0]['createdTimeString'] if page else None,
                'endDate': None}
        if page:
            last = page[-1]['_t']
            body['endDate'] = fmt(last - 300 if self.variant('opsramp_enddate') == 'skewed' else last)
        return Reply(200, body)

    # -- actions --------------------------------------------------------------------------------------------
    def act(self, alert, action, req):
        names = ACTION_NAMES.get(self.variant('opsramp_action_names'), ACTION_NAMES['current'])
        if action not in names:
            return self.error(int(self.variant('opsramp_bad_action_status') or 400),
                              {'code': '0002', 'message': 'Invalid action %s; supported: %s' % (action, ', '.join(names))})
        body = self.body(req)
        if body is None:
            return self.error(400, [{'code': '0002', 'fieldName': 'body', 'message': 'invalid JSON'}])
        if alert['closed']:
            if self.variant('opsramp_closed_action') == 'error':
                msg = 'Alert is already closed' if action == 'close' else \
                    'Action %s is not allowed on a closed alert' % action
                return self.error(400, {'code': '0012', 'message': msg})
            return self.action_reply(alert)
        description = body.get('description')
        snooze = body.get('snoozeDuration')
        if action == 'suppress' and snooze is not None and not isinstance(snooze, int):
            return self.error(400, [{'code': '0002', 'fieldName': 'snoozeDuration', 'message': 'must be a number'}])
        flag, value = ACTION_EFFECT[action]
        self.set_flag(alert, flag, value, description, snooze)
        return self.action_reply(alert)

    def action_reply(self, alert):
        if self.variant('opsramp_action_response') == 'alert':
            return Reply(200, self.public(alert))
        return Reply(200, raw=b'')

    # -- control --------------------------------------------------------------------------------------------
    def control(self, req, action):
        body = {}
        if req.body:
            try:
                body = json.loads(req.body.decode('utf-8')) or {}
            except ValueError:
                return Reply(400, {'error': 'invalid JSON'})
        if action == 'credentials':
            manage = CLIENTS['manage']
            return Reply(200, {'env': {'OPSRAMP_TENANT_ID': TENANT, 'OPSRAMP_CLIENT_ID': manage['client_id'],
                                       'OPSRAMP_CLIENT_SECRET': manage['client_secret']},
                               'tenant_id': TENANT, 'clients': json.loads(json.dumps(CLIENTS)),
                               'occurrence_alerts': {'ties': OCC_ALERT, 'benchmark': BIG_ALERT}})
        if action == 'alerts':
            return Reply(200, {'alerts': [self.public(a) for a in self.ordered()], 'count': len(self.alerts)})
        if action == 'issued_tokens':
            return Reply(200, {'tokens': list(self.issued)})
        if action == 'occurrences':
            rows = self.occurrences.get(req.query.get('id') or body.get('alert_id') or OCC_ALERT, [])
            return Reply(200, {'occurrences': [dict((k, v) for k, v in r.items() if k != '_t') for r in rows]})
        handled = self.maintenances.control(req, action, body)
        if handled is not None:
            return handled
        if action == 'raise' and req.method == 'POST':
            at = int(body.get('at') or self.sim.now())
            created = []
            for n in range(int(body.get('count', 1))):
                alert = self.make_alert(body.get('device') or 'web-01', body.get('state') or 'Critical', at,
                                        subject=body.get('subject'), metric=body.get('metric'),
                                        resource_id=body.get('resource_id'))
                window = self.maintenances.maintenance_for(alert['device']['name'], at)
                if window is not None:  # raised inside a scheduled maintenance: typed Maintenance
                    alert['alertType'] = 'Maintenance'
                    alert['maintenanceId'] = window['uniqueId']
                created.append(self.public(alert))
            return Reply(200, {'alerts': created})
        if action == 'close' and req.method == 'POST':
            alert = self.alerts.get(str(body.get('id')))
            if alert is None:
                return Reply(404, {'error': 'no alert %s' % body.get('id')})
            if not alert['closed']:
                self.set_flag(alert, 'closed', True, body.get('reason') or 'closed by someone else')
                alert['statusHistory']['closedBy'] = body.get('by') or 'jane.doe'
            return Reply(200, self.public(alert))
        if action == 'seed_occurrences' and req.method == 'POST':
            alert_id = str(body.get('alert_id') or BIG_ALERT)
            count = int(body.get('count', 10000))
            ties = body.get('ties', 'default')
            if ties == 'default':
                ties = DEFAULT_TIES
            elif ties in (None, 'none'):
                ties = []
            seconds = self.seed_occurrences(alert_id, count, ties, identical=bool(body.get('identical', False)),
                                            spacing=tuple(body.get('spacing') or (1, 20)), newest=body.get('newest'))
            return Reply(200, {'alert_id': alert_id, 'count': count, 'seconds': seconds})
        return Reply(404, {'error': 'unknown control action %s for opsramp (credentials, raise, alerts, issued_tokens, '
                                    'seed_occurrences, occurrences, close)' % action})

    def credentials_help(self):
        manage = CLIENTS['manage']
        url = getattr(self.sim, 'base_url', None) or 'http://127.0.0.1:8400'
        return ['opsramp: OPSRAMP_URL=%s OPSRAMP_TENANT_ID=%s OPSRAMP_CLIENT_ID=%s OPSRAMP_CLIENT_SECRET=%s'
                % (url, TENANT, manage['client_id'], manage['client_secret'])]
