# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated ManageEngine Log360 / EventLog Analyzer REST API v2: async alert and log searches, jobs, job results.

Endpoints (all need ``Authorization: Bearer <AuthToken>``; errors are ``{code, title, detail}``):
  POST   /api/v2/alerts/async        alerts.READ   -> {"data": {"request_id": ...}} (variant: flat)
  POST   /api/v2/search/async        search.READ
  GET    /api/v2/jobs[?request_id=]  jobs.READ     -> {"data": {"jobs": {"requests": [...]}}, "meta": {...}}
  DELETE /api/v2/jobs?request_id=    jobs.DELETE   -> {"data": {"message": "Deleted hits for requestId [X]"}}
  GET    /api/v2/jobs/results?request_id=&page=&response_type=   jobs.READ  -> data.hits, meta.next_page ...
  POST   /api/v2/alerts              alerts.READ   synchronous alerts: {query, start_time, end_time, ...} or {cursor}
                                                   -> {"data": {"hits"}, "meta": {"cursor", "total_items"}}; a cursor
                                                   lives 5 minutes unused (simulated clock); query+cursor -> 400
  POST   /api/v2/search              search.READ   synchronous log search, same paging
  GET    /api/v2/meta/product, /api/v2/alerts/profiles, /api/v2/log-sources, /api/v2/meta/log-types,
         /api/v2/meta/log-fields     (inferred v2 metadata paths) -> {"data": {"<name>": [...]}}
  POST   /RestAPI/v1/meta/alert_profiles, GET /RestAPI/v1/meta/log_sources?from=&to=, /RestAPI/v1/meta/log_types,
         /RestAPI/v1/meta/log_fields (documented v1 shapes: "Profile Based Alerts", "devices", ...)

Variants (``POST /_sim/config {"variants": {...}}``), defaults first:
  log360_submit_shape     nested | flat          where request_id sits in the submit answer
  (v2 only: from/to (the removed epoch_ms hybrid) are rejected with 400)
  log360_sync             v2 | v1_shape | absent the synchronous API: v2 envelope, v1's {"cursor", "hits": {"hits"}},
                                                 or not there (404)
  log360_sync_page_size   1000                   hits per synchronous page
  log360_alerts_async_path  /api/v2/alerts/async  where the (inferred) async submits live: a server whose path
  log360_search_async_path  /api/v2/search/async  differs from our reading (the client's option api_paths)
  log360_rate_limit       0 (off) | N            a request budget: at most N requests in ANY log360_rate_window
  log360_rate_window      60                     seconds (sliding); past it 429 {code,title,detail}, no Retry-After
  log360_meta             v2 | v1_shape | v1_only  metadata: inferred v2 paths and envelope; the documented v1 shapes
                                                 at the v2 paths; or only the v1 paths (the v2 ones 404)
  log360_v1_records       log360 | ela           v1 log types / log fields records: Log360's {client_value,
                                                 server_value} or EventLog Analyzer's {description, id}
  log360_jobs_shape       v2 | v1                v1: top-level requests[], status, running_time_in_millis
  log360_unknown_job      404 | empty            GET of an unknown/expired job: 404, or 200 with no requests
  log360_unknown_delete   404 | empty | absent   DELETE of an unknown job: 404, 200 message "", 200 without message
  log360_last_page        absent | null | next   next_page on the last results page: absent, null, or page+1
  log360_results_running  error | partial        results of a RUNNING job: 400, or the hits done so far
  log360_echo_token       false | true           401/403 error detail echoes the presented token
  log360_job_duration     1.0                    seconds a new job runs (simulated clock)
  log360_job_hits         null                   hit count of new jobs (null: the matching alerts; 2500 for logs)
  log360_job_fail         false                  new jobs end FAILED

Control actions (``/_sim/log360/<action>``):
  credentials  GET   {"env": {"LOG360_TOKEN": full}, "tokens": {full, no_jobs_delete, no_alerts_read, no_search_read,
                      no_jobs_read, expired}}
  job_profile  POST  {"duration": s, "hits": n, "fail": bool} -> sets the log360_job_* variants for new jobs
  jobs         GET   every job with its current stage; POST {"hits": n, "duration": s, "fail": bool, "kind": k,
                     "age": s} creates a job directly -> {"request_id": ...}
  alerts       GET   the seeded and raised alerts
  raise        POST  {"count": n, "severity": s, "at": epoch, "device": d, "profile_id": p, "status": s,
                      "message": m} -> {"alerts": [...]}
"""

from __future__ import absolute_import, division, print_function

import math
import re
import string
from datetime import datetime, timezone

from core import Reply, Vendor

PAGE_SIZE = 1000
CURSOR_TTL = 300
V2_META_PATHS = ('/api/v2/meta/product', '/api/v2/alerts/profiles', '/api/v2/log-sources', '/api/v2/meta/log-types',
                 '/api/v2/meta/log-fields')
JOB_TTL = 24 * 3600
ALL_SCOPES = ('search.READ', 'alerts.READ', 'jobs.READ', 'jobs.DELETE', 'logfields.READ', 'logsources.READ')
SEVERITIES = ('critical', 'trouble', 'attention')
STATUSES = ('open', 'in_progress', 'closed')
DEVICES = ('dc01.corp.example', 'dc02.corp.example', 'fw-edge-1', 'web-01', 'web-02', 'db-01', 'vpn-gw', 'mail-01')
PROFILES = ((3001, 'Failed logons'), (3002, 'Account lockouts'), (3003, 'Firewall denies'),
            (3004, 'Privilege escalation'), (3005, 'Malware detected'), (3006, 'Service stopped'))
CLIENT_TYPES = ('Windows', 'Syslog', 'Firewall')


def _iso_to_epoch(value):
    if not isinstance(value, str):
        raise ValueError('not a string')
    text = value.strip().replace('z', 'Z')
    if text.endswith('Z'):
        text = text[:-1] + '+00:00'
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


class Log360(Vendor):
    name = 'log360'
    prefixes = (r'^/api/v2/(alerts|search|jobs|meta|log-sources)(/|$)', r'^/RestAPI/')
    default_variants = {
        'log360_submit_shape': 'nested',
        'log360_sync': 'v2',
        'log360_sync_page_size': 1000,
        'log360_meta': 'v2',
        'log360_v1_records': 'log360',
        'log360_rate_limit': 0,
        'log360_rate_window': 60,
        'log360_alerts_async_path': '/api/v2/alerts/async',
        'log360_search_async_path': '/api/v2/search/async',
        'log360_jobs_shape': 'v2',
        'log360_unknown_job': '404',
        'log360_unknown_delete': '404',
        'log360_last_page': 'absent',
        'log360_results_running': 'error',
        'log360_echo_token': False,
        'log360_job_duration': 1.0,
        'log360_job_hits': None,
        'log360_job_fail': False,
    }

    # -- data -----------------------------------------------------------------------------------------------
    def seed(self, rng):
        self.rng = rng
        now = self.sim.now()
        self.tokens = {}
        for name, scopes, expires in (('full', ALL_SCOPES, None),
                                      ('no_jobs_delete', [s for s in ALL_SCOPES if s != 'jobs.DELETE'], None),
                                      ('no_alerts_read', [s for s in ALL_SCOPES if s != 'alerts.READ'], None),
                                      ('no_search_read', [s for s in ALL_SCOPES if s != 'search.READ'], None),
                                      ('no_jobs_read', [s for s in ALL_SCOPES if s not in ('jobs.READ', 'jobs.DELETE')], None),
                                      ('expired', ALL_SCOPES, now - 3600)):
            token = ''.join(rng.choice(string.hexdigits.lower()) for _i in range(32))
            token = '%s-%s-%s' % (token[:8], token[8:20], token[20:])
            self.tokens[token] = {'name': name, 'scopes': set(scopes), 'expires_at': expires}
        self.jobs = {}
        self.cursors = {}
        self.alerts = []
        for i in range(36):
            profile = PROFILES[i % len(PROFILES)]
            self.alerts.append(self._alert(
                at=now - rng.uniform(60, 48 * 3600), severity=SEVERITIES[i % 3], status=STATUSES[(i // 3) % 3] if i % 4 else 'open',
                device=DEVICES[rng.randrange(len(DEVICES))], profile=profile))

    def _alert(self, at, severity, status='open', device=None, profile=None, message=None):
        profile = profile or PROFILES[0]
        device = device or DEVICES[0]
        alert = {
            'id': 10001 + len(self.alerts), 'severity': severity, 'status': status, 'device': device,
            'profile_id': profile[0], 'profile_name': profile[1], 'time': int(at * 1000),
            'message': message or '%s on %s' % (profile[1], device),
        }
        return alert

    def _new_request_id(self):
        alphabet = string.ascii_letters + string.digits
        while True:
            rid = 'AZ' + ''.join(self.rng.choice(alphabet) for _i in range(18))
            if rid not in self.jobs:
                return rid

    def create_job(self, kind, total, duration, fail=False, alert_ids=None, window=None, submitted=None):
        rid = self._new_request_id()
        self.jobs[rid] = {
            'request_id': rid, 'kind': kind, 'total': int(total), 'duration': max(float(duration), 0.0),
            'fail': bool(fail), 'alert_ids': alert_ids, 'submitted': self.sim.now() if submitted is None else submitted,
            'window': window or (self.sim.now() - 86400, self.sim.now()), 'seed': self.rng.randrange(1 << 30),
        }
        return rid

    def job_state(self, job, now=None):
        """(stage, hits_done, stopped_at or None) on the simulated clock."""
        now = self.sim.now() if now is None else now
        elapsed = now - job['submitted']
        if elapsed < job['duration']:
            done = int(job['total'] * elapsed / job['duration']) if job['duration'] else job['total']
            return 'RUNNING', done, None
        stopped = job['submitted'] + job['duration']
        if job['fail']:
            return 'FAILED', int(job['total'] * 0.4), stopped
        return 'SUCCESS', job['total'], stopped

    def live_job(self, rid):
        job = self.jobs.get(rid)
        if job is None:
            return None
        stage, _done, stopped = self.job_state(job)
        if stopped is not None and self.sim.now() - stopped > JOB_TTL:
            del self.jobs[rid]  # the cleanup thread removed it
            return None
        return job

    def job_json(self, job):
        stage, done, stopped = self.job_state(job)
        v1 = self.variant('log360_jobs_shape') == 'v1'
        sub = int(job['submitted'] * 1000)
        running = int(((stopped if stopped is not None else self.sim.now()) - job['submitted']) * 1000)
        out = {
            'hits_done': done, 'total_hits': job['total'] if stage != 'RUNNING' else max(job['total'], done),
            'submitted_at': sub, 'started_at': sub + 3, 'running_time': '%dms' % running,
            'last_synced_time': int(self.sim.now() * 1000), 'total_pages': int(math.ceil(job['total'] / float(PAGE_SIZE))),
            'request_id': job['request_id'],
        }
        if stopped is not None:
            out['stopped_at'] = int(stopped * 1000)
        if v1:
            out['status'] = stage
            out['running_time_in_millis'] = running
        else:
            out['stage'] = stage
            out['running_time_millis'] = running
        return out

    def hit(self, job, index, response_type):
        """Hit number ``index`` of a job, generated on demand (a 200,000-hit job holds no hits in memory)."""
        if job['alert_ids'] is not None and index < len(job['alert_ids']):
            alert = self.alert_by_id.get(job['alert_ids'][index]) or self.alerts[0]
            if response_type == 'client':
                return {'Alert Id': str(alert['id']), 'Severity': alert['severity'], 'Status': alert['status'],
                        'Device': alert['device'], 'Alert Profile': alert['profile_name'],
                        'Profile Id': str(alert['profile_id']), 'Time': str(alert['time']), 'Message': alert['message']}
            return {'ALERT_ID': alert['id'], 'SEVERITY': alert['severity'].upper(), 'STATUS': alert['status'].upper(),
                    'HOSTNAME': alert['device'], 'PROFILE_NAME': alert['profile_name'], 'PROFILE_ID': alert['profile_id'],
                    'TIME': alert['time'], 'MESSAGE': alert['message']}
        start, end = job['window']
        step = max((end - start) / float(max(job['total'], 1)), 0.001)
        at = int((start + index * step) * 1000)
        device = DEVICES[(index * 7 + job['seed']) % len(DEVICES)]
        severity = ('information', 'warning', 'error', 'critical')[(index + job['seed']) % 4]
        event = 4600 + (index * 13 + job['seed']) % 90
        uuid = 'logs_ela_%d###%s%07d' % (int(start), job['request_id'][:8], index)
        if response_type == 'client':
            return {'Type': 'System', 'Device': device, 'OS Category': 'WKS', 'LogType': CLIENT_TYPES[index % 3],
                    'DisplayName': device, 'Severity': severity, 'Time': str(at), 'Event ID': str(event), 'UUID': uuid,
                    'Source': 'Microsoft-Windows-Security-Auditing'}
        return {'TYPE': 'System', 'HOSTNAME': device, 'OS_CATEGORY': 'WKS', 'LOGTYPE': CLIENT_TYPES[index % 3],
                'COMMON_SEVERITY': severity.upper(), 'TIME': at, 'EVENTID': event, 'UUID': uuid,
                'SOURCE': 'Microsoft-Windows-Security-Auditing', 'MESSAGE': 'event %d on %s' % (event, device)}

    @property
    def alert_by_id(self):
        return dict((a['id'], a) for a in self.alerts)

    # -- replies --------------------------------------------------------------------------------------------
    def error(self, status, code, title, detail):
        return Reply(status, {'code': code, 'title': title, 'detail': detail})

    def rate_limited(self, retry_after):
        return Reply(429, {'code': '070011429', 'title': 'Too Many Requests', 'detail': 'Rate limit exceeded, retry later.'},
                     headers={'Retry-After': retry_after})

    def budget_refused(self):
        return Reply(429, {'code': '070011429', 'title': 'Too Many Requests',
                           'detail': 'The limit is 60 requests/minute, which applies to all API Endpoints.'})

    def authorize(self, req, scope):
        header = req.headers.get('authorization', '')
        match = re.match(r'^Bearer\s+(.+)$', header)
        presented = match.group(1).strip() if match else ''
        echo = (' (token %s)' % presented) if self.variant('log360_echo_token') and presented else ''
        info = self.tokens.get(presented)
        if info is None or (info['expires_at'] is not None and info['expires_at'] < self.sim.now()):
            return self.error(401, '070011101', 'Unauthorized',
                              'Invalid or missing AuthToken. Check whether the AuthToken is not revoked or expired.' + echo)
        if scope not in info['scopes']:
            return self.error(403, '070011103', 'Forbidden',
                              'The AuthToken does not have the scope %s required for this API.%s' % (scope, echo))
        return None

    def handle(self, req):
        path = req.path.rstrip('/')
        routes = (
            ('POST', '/api/v2/alerts', 'alerts.READ', self.sync_alerts),
            ('POST', '/api/v2/search', 'search.READ', self.sync_logs),
            ('GET', '/api/v2/meta/product', None, self.meta_product),
            ('GET', '/api/v2/alerts/profiles', 'alerts.READ', self.meta_profiles),
            ('GET', '/api/v2/log-sources', 'logsources.READ', self.meta_sources),
            ('GET', '/api/v2/meta/log-types', 'logsources.READ', self.meta_types),
            ('GET', '/api/v2/meta/log-fields', 'logfields.READ', self.meta_fields),
            ('GET', '/RestAPI/v1/product/details', None, self.meta_product),
            ('POST', '/RestAPI/v1/meta/alert_profiles', 'alerts.READ', self.meta_profiles),
            ('GET', '/RestAPI/v1/meta/log_sources', 'logsources.READ', self.meta_sources),
            ('GET', '/RestAPI/v1/meta/log_types', 'logsources.READ', self.meta_types),
            ('GET', '/RestAPI/v1/meta/log_fields', 'logfields.READ', self.meta_fields),
            ('POST', self.variant('log360_alerts_async_path'), 'alerts.READ', self.submit_alerts),
            ('POST', self.variant('log360_search_async_path'), 'search.READ', self.submit_logs),
            ('GET', '/api/v2/jobs', 'jobs.READ', self.get_jobs),
            ('DELETE', '/api/v2/jobs', 'jobs.DELETE', self.delete_job),
            ('GET', '/api/v2/jobs/results', 'jobs.READ', self.results),
        )
        matching = [r for r in routes if r[1] == path]
        meta = self.variant('log360_meta')
        if path.startswith('/RestAPI/') and meta != 'v1_only':
            matching = []   # API v1 is gone, unless the variant plays a server that only has the v1 metadata calls
        elif meta == 'v1_only' and path in V2_META_PATHS:
            matching = []
        if path in ('/api/v2/alerts', '/api/v2/search') and self.variant('log360_sync') == 'absent':
            matching = []
        if not matching:
            return self.error(404, '070011404', 'Not Found', 'No API at %s %s' % (req.method, path))
        for method, _route, scope, handler in matching:
            if req.method == method:
                denied = self.authorize(req, scope or 'alerts.READ')
                if denied is not None:
                    return denied
                return handler(req)
        return self.error(405, '070011405', 'Method Not Allowed', '%s is not allowed on %s' % (req.method, path))

    def _window(self, body):
        """(start, end) epoch seconds from the body (API v2: ISO 8601 start_time/end_time), or an error Reply."""
        if 'from' in body or 'to' in body:
            return self.error(400, '070011400', 'Bad Request', 'Unknown arguments from/to; use start_time and end_time (ISO-8601)')
        try:
            start, end = _iso_to_epoch(body.get('start_time')), _iso_to_epoch(body.get('end_time'))
        except (ValueError, TypeError):
            return self.error(400, '070011400', 'Bad Request', 'start_time and end_time are required ISO-8601 strings')
        if start < 0 or end < 0:
            return self.error(400, '070011400', 'Bad Request', 'Times must not be before 1970-01-01T00:00:00Z')
        if end < start:
            return self.error(400, '070011400', 'Bad Request', 'end_time must not be before start_time')
        return start, end

    def _body(self, req):
        try:
            body = req.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _submitted(self, rid):
        if self.variant('log360_submit_shape') == 'flat':
            return Reply(200, {'request_id': rid})
        return Reply(200, {'data': {'request_id': rid}})

    def _profile(self):
        return (float(self.variant('log360_job_duration') or 0), self.variant('log360_job_hits'),
                bool(self.variant('log360_job_fail')))

    def submit_alerts(self, req):
        body = self._body(req)
        if body is None:
            return self.error(400, '070011400', 'Bad Request', 'The request body must be a JSON object')
        if 'cursor' in body:
            return self.error(400, '070011400', 'Bad Request', 'cursor is not allowed on an asynchronous request')
        matched = self._match_alerts(body)
        if isinstance(matched, Reply):
            return matched
        window = self._window(body)
        duration, hits, fail = self._profile()
        if hits is not None:
            rid = self.create_job('alerts', hits, duration, fail, alert_ids=None, window=window)
        else:
            rid = self.create_job('alerts', len(matched), duration, fail, alert_ids=matched, window=window)
        return self._submitted(rid)

    def _match_alerts(self, body):
        """Ids of the alerts an alert search body selects (oldest first), or an error Reply."""
        window = self._window(body)
        if isinstance(window, Reply):
            return window
        severity, status, profiles = body.get('severity'), body.get('status'), body.get('profile_ids')
        if severity is not None and severity not in SEVERITIES:
            return self.error(400, '070011400', 'Bad Request', 'severity must be one of critical, trouble, attention')
        if status is not None and status not in STATUSES:
            return self.error(400, '070011400', 'Bad Request', 'status must be one of open, in_progress, closed')
        if profiles is not None and (not isinstance(profiles, list) or len(profiles) > 100):
            return self.error(400, '070011400', 'Bad Request', 'profile_ids must be an array of at most 100 values')
        query = str(body.get('query') or '*')
        start_ms, end_ms = window[0] * 1000, window[1] * 1000
        wanted_profiles = set(str(p) for p in profiles) if profiles else None
        return [a['id'] for a in sorted(self.alerts, key=lambda a: a['time'])
                if start_ms <= a['time'] <= end_ms and (severity is None or a['severity'] == severity)
                and (status is None or a['status'] == status)
                and (wanted_profiles is None or str(a['profile_id']) in wanted_profiles)
                and (query in ('*', '') or query.lower() in (a['message'] + ' ' + a['device']).lower())]

    # -- synchronous API ------------------------------------------------------------------------------------
    def _sync(self, req, kind):
        body = self._body(req)
        if body is None:
            return self.error(400, '070011400', 'Bad Request', 'The request body must be a JSON object')
        response_type = body.get('response_type') or 'server'
        if 'cursor' in body:
            if set(body) - {'cursor', 'response_type'}:
                return self.error(400, '070011400', 'Bad Request', 'Both query and cursor are not allowed together')
            entry = self.cursors.get(str(body['cursor']))
            if entry is None or self.sim.now() - entry['used'] > CURSOR_TTL:
                self.cursors.pop(str(body['cursor']), None)
                return self.error(400, '070011410', 'Bad Request', 'The cursor is invalid or expired (5 minutes unused)')
            response_type = entry['response_type']
        else:
            if kind == 'logs' and not body.get('query'):
                return self.error(400, '070011400', 'Bad Request', 'query is required')
            if kind == 'alerts':
                matched = self._match_alerts(body)
                if isinstance(matched, Reply):
                    return matched
                job = {'alert_ids': matched, 'total': len(matched)}
            else:
                window = self._window(body)
                if isinstance(window, Reply):
                    return window
                job = {'alert_ids': None, 'total': 2500, 'window': window}
            job.update(request_id='SYNC%016d' % self.rng.randrange(10 ** 16), seed=self.rng.randrange(1 << 30))
            job.setdefault('window', (0, 0))
            entry = {'job': job, 'offset': 0, 'response_type': response_type}
        size = int(self.variant('log360_sync_page_size') or 1000)
        job = entry['job']
        first = entry['offset']
        last = min(first + size, job['total'])
        hits = [self.hit(job, i, response_type) for i in range(first, last)]
        cursor = None
        if last < job['total']:
            cursor = 'DnF1ZXJ5%012d' % self.rng.randrange(10 ** 12)
            self.cursors[cursor] = {'job': job, 'offset': last, 'response_type': response_type, 'used': self.sim.now()}
        if self.variant('log360_sync') == 'v1_shape':
            out = {'hits': {'hits': hits}}
            if cursor:
                out['cursor'] = cursor
            return Reply(200, out)
        meta = {'total_items': job['total'], 'items_in_current_page': len(hits)}
        if cursor:
            meta['cursor'] = cursor
        return Reply(200, {'data': {'hits': hits}, 'meta': meta})

    def sync_alerts(self, req):
        return self._sync(req, 'alerts')

    def sync_logs(self, req):
        return self._sync(req, 'logs')

    # -- metadata -------------------------------------------------------------------------------------------
    def _meta_reply(self, req, name, v2_records, v1_payload):
        if req.path.startswith('/RestAPI/') or self.variant('log360_meta') == 'v1_shape':
            return Reply(200, v1_payload)
        return Reply(200, {'data': {name: v2_records}, 'meta': {'total_items': len(v2_records)}})

    def meta_product(self, req):
        if req.path.startswith('/RestAPI/'):
            return Reply(200, {'os_type': 'windows'})     # v1 "Get Product Details", as documented
        return Reply(200, {'data': {'product': {'name': 'EventLog Analyzer', 'version': '12.5.0', 'build': 12500}}})

    def meta_profiles(self, req):
        v2 = [{'id': pid, 'name': name, 'type': 'profile', 'severity': SEVERITIES[i % 3], 'status': 'enabled'}
              for i, (pid, name) in enumerate(PROFILES)]
        v1 = {'Number of Records': len(PROFILES),
              'Profile Based Alerts': [{'Alert Id': pid, 'Alert profile name': name, 'Severity': SEVERITIES[i % 3].title()}
                                       for i, (pid, name) in enumerate(PROFILES[:-2])],
              'Correlation Alert Profiles': [{'Alert Id': pid, 'Alert profile name': name}
                                             for pid, name in PROFILES[-2:]]}
        return self._meta_reply(req, 'alert_profiles', v2, v1)

    def meta_sources(self, req):
        devices = [{'name': d, 'ip_address': '10.1.0.%d' % (i + 10), 'host_id': 300 + i,
                    'group': 'Windows Servers' if d.startswith('dc') else 'Linux'} for i, d in enumerate(DEVICES)]
        if req.path.startswith('/RestAPI/'):
            try:
                first, last = int(req.query.get('from', 1)), int(req.query.get('to', 10))
            except ValueError:
                return self.error(400, '070011400', 'Bad Request', 'from and to must be numbers')
            return Reply(200, {'devices': devices[first - 1:last]})
        v2 = [{'id': d['host_id'], 'name': d['name'], 'ip_address': d['ip_address'], 'group': d['group']} for d in devices]
        return self._meta_reply(req, 'log_sources', v2, {'devices': devices})

    def meta_types(self, req):
        v2 = [{'id': 20 + i, 'name': name} for i, name in enumerate(CLIENT_TYPES)]
        return self._meta_reply(req, 'log_types', v2, {'log_types': [self.v1_record(20 + i, name.lower(), name)
                                                                     for i, name in enumerate(CLIENT_TYPES)]})

    def v1_record(self, rid, server, client):
        if self.variant('log360_v1_records') == 'ela':
            return {'id': rid, 'description': client}
        return {'client_value': client, 'server_value': server}

    def meta_fields(self, req):
        fields = [('HOSTNAME', 'string'), ('EVENTID', 'long'), ('SEVERITY', 'string'), ('USERNAME', 'string'),
                  ('SOURCE', 'string'), ('MESSAGE', 'text')]
        v2 = [{'id': 'f%d' % i, 'name': name, 'type': kind, 'log_type': 'Windows'} for i, (name, kind) in enumerate(fields)]
        return self._meta_reply(req, 'log_fields', v2, {'fields': [self.v1_record(i + 1, n, n)
                                                                   for i, (n, _k) in enumerate(fields)]})

    def submit_logs(self, req):
        body = self._body(req)
        if body is None:
            return self.error(400, '070011400', 'Bad Request', 'The request body must be a JSON object')
        if 'cursor' in body:
            return self.error(400, '070011400', 'Bad Request', 'cursor is not allowed on an asynchronous request')
        if not body.get('query'):
            return self.error(400, '070011400', 'Bad Request', 'query is required')
        window = self._window(body)
        if isinstance(window, Reply):
            return window
        for name in ('log_source_ids', 'log_types', 'log_source_group_ids'):
            if name in body and (not isinstance(body[name], list) or len(body[name]) > 100):
                return self.error(400, '070011400', 'Bad Request', '%s must be an array of at most 100 values' % name)
        duration, hits, fail = self._profile()
        rid = self.create_job('logs', 2500 if hits is None else hits, duration, fail, window=window)
        return self._submitted(rid)

    def _unknown_job(self, rid):
        if self.variant('log360_unknown_job') == 'empty':
            return Reply(200, self._jobs_payload([]))
        return self.error(404, '070011404', 'Not Found', 'No job found for requestId [%s]' % rid)

    def _jobs_payload(self, jobs):
        if self.variant('log360_jobs_shape') == 'v1':
            return {'total': len(jobs), 'requests': jobs}
        return {'data': {'jobs': {'requests': jobs}}, 'meta': {'total_items': len(jobs)}}

    def get_jobs(self, req):
        rid = req.query.get('request_id')
        if rid:
            job = self.live_job(rid)
            if job is None:
                return self._unknown_job(rid)
            return Reply(200, self._jobs_payload([self.job_json(job)]))
        jobs = [self.live_job(r) for r in list(self.jobs)]
        return Reply(200, self._jobs_payload([self.job_json(j) for j in jobs if j is not None]))

    def delete_job(self, req):
        rid = req.query.get('request_id')
        if not rid:
            return self.error(400, '070011400', 'Bad Request', 'request_id is required')
        if self.live_job(rid) is None:
            mode = self.variant('log360_unknown_delete')
            if mode == 'empty':
                return Reply(200, {'data': {'message': ''}})
            if mode == 'absent':
                return Reply(200, {'data': {}})
            return self.error(404, '070011404', 'Not Found', 'No job found for requestId [%s]' % rid)
        del self.jobs[rid]
        return Reply(200, {'data': {'message': 'Deleted hits for requestId [%s]' % rid}})

    def results(self, req):
        rid = req.query.get('request_id')
        if not rid:
            return self.error(400, '070011400', 'Bad Request', 'request_id is required')
        response_type = req.query.get('response_type') or 'server'
        if response_type not in ('client', 'server'):
            return self.error(400, '070011400', 'Bad Request', 'response_type must be client or server')
        try:
            page = int(req.query.get('page') or 1)
        except ValueError:
            page = 0
        if page < 1:
            return self.error(400, '070011400', 'Bad Request', 'page must be a positive integer')
        job = self.live_job(rid)
        if job is None:
            if self.variant('log360_unknown_job') == 'empty':
                return Reply(200, {'data': {'hits': []}, 'meta': {'total_items': 0, 'items_in_current_page': 0}})
            return self.error(404, '070011404', 'Not Found', 'No job found for requestId [%s]' % rid)
        stage, done, _stopped = self.job_state(job)
        if stage == 'FAILED':
            return self.error(400, '070011400', 'Bad Request', 'The job for requestId [%s] failed' % rid)
        if stage == 'RUNNING' and self.variant('log360_results_running') != 'partial':
            return self.error(400, '070011400', 'Bad Request', 'The job for requestId [%s] is still running' % rid)
        total = done
        first = (page - 1) * PAGE_SIZE
        last = min(first + PAGE_SIZE, total)
        hits = [self.hit(job, i, response_type) for i in range(first, last)] if first < total else []
        meta = {'total_items': total, 'items_in_current_page': len(hits)}
        if last < total:
            meta['next_page'] = page + 1
        else:
            mode = self.variant('log360_last_page')
            if mode == 'null':
                meta['next_page'] = None
            elif mode == 'next':
                meta['next_page'] = page + 1
        return Reply(200, {'data': {'hits': hits}, 'meta': meta})

    # -- control --------------------------------------------------------------------------------------------
    def credentials(self):
        by_name = dict((info['name'], token) for token, info in self.tokens.items())
        return {'env': {'LOG360_TOKEN': by_name['full']}, 'tokens': by_name}

    def credentials_help(self):
        creds = self.credentials()
        url = getattr(self.sim, 'base_url', None) or 'http://127.0.0.1:8400'
        return ['log360: LOG360_URL=%s LOG360_TOKEN=%s' % (url, creds['env']['LOG360_TOKEN'])] + [
            'log360 token %s: %s' % (name, token) for name, token in sorted(creds['tokens'].items()) if name != 'full']

    def control(self, req, action):
        body = (req.json() if req.body else None) or {}
        if action == 'credentials':
            return Reply(200, self.credentials())
        if action == 'job_profile':
            for key in ('duration', 'hits', 'fail'):
                if key in body:
                    self.sim.config['variants']['log360_job_' + key] = body[key]
            return Reply(200, dict((k, v) for k, v in self.sim.config['variants'].items() if k.startswith('log360_job_')))
        if action == 'jobs':
            if req.method == 'POST':
                duration = float(body.get('duration', 0))
                rid = self.create_job(body.get('kind', 'logs'), int(body.get('hits', 1000)), duration, body.get('fail', False),
                                      submitted=self.sim.now() - float(body.get('age', 0)))
                return Reply(200, {'request_id': rid})
            out = []
            for rid in list(self.jobs):
                job = self.live_job(rid)
                if job is not None:
                    stage, done, _stopped = self.job_state(job)
                    out.append({'request_id': rid, 'kind': job['kind'], 'stage': stage, 'hits_done': done,
                                'total_hits': job['total'], 'submitted': job['submitted']})
            return Reply(200, {'jobs': out})
        if action == 'alerts':
            return Reply(200, {'alerts': self.alerts})
        if action == 'raise':
            count = int(body.get('count', 1))
            severity = body.get('severity', 'critical')
            if severity not in SEVERITIES:
                return Reply(400, {'error': 'severity must be one of %s' % ', '.join(SEVERITIES)})
            at = float(body.get('at') or self.sim.now())
            if at > 1e11:
                at /= 1000.0
            profile = next((p for p in PROFILES if p[0] == body.get('profile_id')), PROFILES[0])
            raised = []
            for i in range(count):
                alert = self._alert(at + i, severity, body.get('status', 'open'), body.get('device'), profile, body.get('message'))
                self.alerts.append(alert)
                raised.append(alert)
            return Reply(200, {'alerts': raised})
        return Reply(404, {'error': 'unknown control action %s for log360' % action})
