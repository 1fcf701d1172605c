# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulator core: HTTP plumbing, simulated clock, request log, variants, fault injection, control API.

Each vendor lives in its own module (log360.py, mackerel.py, opsramp.py) as a ``Vendor`` subclass that
claims URL paths, seeds its data and answers requests. Nothing vendor specific lives here.

Control API (JSON, never faulted, never logged):
  GET    /_sim/health                      -> {"ok": true, "vendors": [...]}
  GET    /_sim/requests[?platform=&method=&path=&since=]  -> {"requests": [...]} (path is a regex)
  DELETE /_sim/requests                    -> clear the request log
  POST   /_sim/reset   {"seed": n}         -> fresh data, default config, empty log, clock offset 0
  GET    /_sim/config                      -> current variants and faults
  POST   /_sim/config  {"variants": {...}, "faults": {...}}   -> merged into the config
  POST   /_sim/clock   {"advance": seconds} -> move the simulated clock forward
  POST   /_sim/fail_next {"platform", "method" (POST), "path" (regex), "fault" (500), "count" (1)}
                                           -> the next matching vendor request fails (a write: nothing is done)
  GET|POST /_sim/<platform>/<action>        -> vendor control (seed data, raise alerts, inspect state)
"""

from __future__ import absolute_import, division, print_function

import collections
import json
import random
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_FAULTS = {
    'rate_503': 0.0,          # share of vendor requests answered 503 (with Retry-After) without acting
    'rate_429': 0.0,          # share answered 429 without acting
    'rate_drop_before': 0.0,  # share whose connection is closed before the request is handled
    'rate_drop_after': 0.0,   # share handled, then the connection closed without an answer (outcome unknown)
    'burst_429': 0,           # every Nth vendor request starts a burst of burst_429_length 429 answers
    'burst_429_length': 3,
    'retry_after': '0',       # Retry-After header value on 503/429
    'platforms': None,        # restrict faults to these platforms (list), None = all
    'methods': None,          # restrict faults to these methods (list), None = all
    'seed': 7,
    'script': [],             # [{"method": "POST", "path": "regex", "query": "regex on the raw query string",
                              #   "fault": "503|429|drop_before|drop_after|html|truncated|unreadable|500", "count": 1,
                              #   "retry_after": "nan", "headers": {"X-RateLimit-Reset": "inf"}}]
                              # unreadable: the vendor acts, a 2xx answer's body is replaced by bytes that are no JSON
                              # retry_after (optional): this entry's Retry-After on its 503/429, sent verbatim (odd
                              # values such as nan, inf, -5 or an HTTP date in the past are the point)
                              # headers (optional): headers of this entry's 503/429 answer, replacing the vendor's
                              # hang: the vendor acts, then the answer is held for hang_seconds (a client killed
                              #   meanwhile never learns the outcome)
    'hang_seconds': 60,
}


def _finite(text):
    try:
        return float(text) == float(text) and abs(float(text)) != float('inf')
    except (TypeError, ValueError):
        return False


class Request:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query            # dict name -> last value
        self.query_all = {}           # dict name -> list of values
        self.headers = headers        # dict, header names lower-cased
        self.body = body

    def json(self):
        if not self.body:
            return None
        return json.loads(self.body.decode('utf-8'))

    def form(self):
        return dict((k, v[-1]) for k, v in parse_qs(self.body.decode('utf-8'), keep_blank_values=True).items())


class Reply:
    def __init__(self, status=200, body=None, headers=None, raw=None, content_type='application/json', delay=0):
        self.status = status
        self.delay = delay            # seconds to wait before answering (outside the simulator's lock): a slow server
        self.body = body
        self.raw = raw                # bytes sent verbatim (HTML pages, truncated JSON)
        self.headers = headers or {}
        self.content_type = content_type

    def payload(self):
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b''
        return json.dumps(self.body).encode('utf-8')


class Vendor:
    """Base for one vendor API. Subclasses set ``name`` and ``prefixes`` and implement ``handle``."""

    name = None
    prefixes = ()
    default_variants = {}

    def __init__(self, sim):
        self.sim = sim

    def claims(self, path):
        return any(re.match(p, path) for p in self.prefixes)

    def claim_length(self, path):
        """Length of this vendor's longest prefix match on ``path`` (-1: no match)."""
        lengths = [m.end() for m in (re.match(p, path) for p in self.prefixes) if m]
        return max(lengths) if lengths else -1

    def seed(self, rng):
        """(Re)create the vendor's data; called at start and on /_sim/reset."""

    def handle(self, req):
        raise NotImplementedError

    def control(self, req, action):
        return Reply(404, {'error': 'unknown control action %s for %s' % (action, self.name)})

    def over_budget(self):
        """The request budget (variants ``<name>_rate_limit`` requests per ``<name>_rate_window`` seconds, 0 = off):
        True when this request is refused. A sliding window, the strict reading: at most N requests in ANY W seconds
        (a burst of N at the start of a minute and one more a moment later is refused), refused requests counted."""
        limit = int(self.variant(self.name + '_rate_limit') or 0)
        if not limit:
            return False
        window = float(self.variant(self.name + '_rate_window') or 60)
        now = self.sim.now()
        stamps = self.__dict__.setdefault('_budget_stamps', collections.deque())
        while stamps and stamps[0] <= now - window:
            stamps.popleft()
        over = len(stamps) >= limit
        stamps.append(now)
        return over

    def budget_refused(self):
        """The answer past the budget: 429 without Retry-After (what Log360 documents nothing beyond)."""
        return Reply(429, {'error': 'Too Many Requests'})

    @property
    def variants(self):
        return self.sim.config['variants']

    def variant(self, key):
        return self.sim.config['variants'].get(key, self.default_variants.get(key))


class Simulator:
    def __init__(self, vendor_classes, seed=1):
        self.lock = threading.RLock()
        self.vendor_classes = vendor_classes
        self.seed_value = seed
        self.reset(seed)

    # -- state ----------------------------------------------------------------------------------------------
    def reset(self, seed=None):
        with self.lock:
            if seed is not None:
                self.seed_value = seed
            self.clock_offset = 0.0
            self.log = []
            self.seq = 0
            self.vendor_seq = 0
            self.burst_left = 0
            self.config = {'variants': {}, 'faults': dict(DEFAULT_FAULTS)}
            self.fault_rng = random.Random(self.config['faults']['seed'])
            self.vendors = [cls(self) for cls in self.vendor_classes]
            for vendor in self.vendors:
                self.config['variants'].update(vendor.default_variants)
                vendor.seed(random.Random(self.seed_value))

    def now(self):
        """Simulated wall clock (epoch seconds): real time plus what /_sim/clock advanced."""
        return time.time() + self.clock_offset

    def vendor(self, name):
        return next(v for v in self.vendors if v.name == name)

    # -- faults ---------------------------------------------------------------------------------------------
    def pick_fault(self, platform, req):
        faults = self.config['faults']
        self.fault_entry = None
        for entry in faults.get('script') or []:
            if entry.get('count', 1) <= 0:
                continue
            if entry.get('platform') and entry['platform'] != platform:
                continue
            if entry.get('method') and entry['method'].upper() != req.method:
                continue
            if entry.get('path') and not re.search(entry['path'], req.path):
                continue
            if entry.get('query') and not re.search(entry['query'], getattr(req, 'raw_query', '') or ''):
                continue
            entry['count'] = entry.get('count', 1) - 1
            self.fault_entry = entry
            return entry['fault']
        if faults.get('platforms') and platform not in faults['platforms']:
            return None
        if faults.get('methods') and req.method not in [m.upper() for m in faults['methods']]:
            return None
        self.vendor_seq += 1
        if self.burst_left > 0:
            self.burst_left -= 1
            return '429'
        every = int(faults.get('burst_429') or 0)
        if every and self.vendor_seq % every == 0:
            self.burst_left = max(int(faults.get('burst_429_length', 3)) - 1, 0)
            return '429'
        roll = self.fault_rng.random()
        for key, fault in (('rate_503', '503'), ('rate_429', '429'), ('rate_drop_before', 'drop_before'),
                           ('rate_drop_after', 'drop_after')):
            share = float(faults.get(key) or 0)
            if roll < share:
                return fault
            roll -= share
        return None

    # -- dispatch -------------------------------------------------------------------------------------------
    def dispatch(self, req):
        """Return (Reply or None, drop_after: bool, platform, fault)."""
        if req.path.startswith('/_sim/'):
            return self.control(req), False, None, None
        # the most specific prefix wins (OpsRamp's /api/v2/tenants/ inside Log360's /api/v2/); ties: first vendor
        claimed = [(v.claim_length(req.path), -i, v) for i, v in enumerate(self.vendors) if v.claims(req.path)]
        vendor = max(claimed, key=lambda c: c[:2])[2] if claimed else None
        if vendor is None:
            return Reply(404, raw=b'<html><body><h1>404 Not Found</h1></body></html>', content_type='text/html'), False, None, None
        with self.lock:
            fault = self.pick_fault(vendor.name, req)
            entry = self.fault_entry or {}
        retry_after = str(entry.get('retry_after', self.config['faults'].get('retry_after', '0')))
        if fault == 'drop_before':
            return None, False, vendor.name, fault
        if fault == '503':
            reply = Reply(503, raw=b'<html><body>503 Service Unavailable</body></html>', content_type='text/html',
                          headers={'Retry-After': retry_after})
            return self.odd_headers(reply, retry_after, entry), False, vendor.name, fault
        if fault == '429':
            # the vendor's own 429 (its body, its rate-limit headers) built with a plain number, then the odd values
            reply = vendor.rate_limited(retry_after if _finite(retry_after) else '0') if hasattr(
                vendor, 'rate_limited') else Reply(429, {'error': 'Too Many Requests'})
            return self.odd_headers(reply, retry_after, entry), False, vendor.name, fault
        if fault == '500':
            return Reply(500, raw=b'<html><head><title>Error</title></head><body>Internal Server Error</body></html>',
                         content_type='text/html'), False, vendor.name, fault
        with self.lock:
            reply = vendor.budget_refused() if vendor.over_budget() else vendor.handle(req)
        if fault == 'html':
            reply = Reply(200, raw=b'<!DOCTYPE html><html><head><title>Login</title></head><body>Please log in</body></html>',
                          content_type='text/html')
        elif fault == 'truncated':
            reply = Reply(reply.status, raw=reply.payload()[: max(len(reply.payload()) // 2, 1)], headers=reply.headers)
        elif fault == 'hang':
            # logged on arrival (a test waits for it to kill the client), then held; not logged a second time
            self.record(req, vendor.name, reply.status, fault)
            time.sleep(float(self.config['faults'].get('hang_seconds', 60)))
            return reply, False, None, fault
        elif fault == 'unreadable' and 200 <= reply.status < 300:
            # the vendor acted and answered 2xx, but the body cannot be read (a proxy mangled it, a gateway cut it)
            reply = Reply(reply.status, raw=b'\x1f\x8b\x08\x00garbled{"id": ', headers=reply.headers)
        return reply, fault == 'drop_after', vendor.name, fault

    @staticmethod
    def odd_headers(reply, retry_after, entry):
        """A faulted 503/429 with the Retry-After asked for (verbatim) and the script entry's own ``headers``."""
        headers = dict(reply.headers)
        headers['Retry-After'] = retry_after
        headers.update(dict((str(k), str(v)) for k, v in (entry.get('headers') or {}).items()))
        reply.headers = dict((k, v) for k, v in headers.items() if v != '')   # '' drops a header
        return reply

    def record(self, req, platform, status, fault):
        with self.lock:
            self.seq += 1
            self.log.append({
                'seq': self.seq, 'time': round(self.now(), 3), 'platform': platform, 'method': req.method,
                'path': req.path, 'query': req.query_all, 'raw_query': getattr(req, 'raw_query', ''),
                'headers': req.headers,
                'body': req.body.decode('utf-8', 'replace') if req.body else '', 'status': status, 'fault': fault,
            })

    # -- control API ----------------------------------------------------------------------------------------
    def control(self, req):
        parts = req.path.strip('/').split('/')
        body = req.json() if req.body else {}
        with self.lock:
            if parts[1:] == ['health']:
                return Reply(200, {'ok': True, 'vendors': [v.name for v in self.vendors], 'now': self.now()})
            if parts[1:] == ['requests']:
                if req.method == 'DELETE':
                    self.log = []
                    return Reply(200, {'cleared': True})
                return Reply(200, {'requests': self.filter_log(req.query)})
            if parts[1:] == ['reset']:
                self.reset((body or {}).get('seed'))
                return Reply(200, {'reset': True})
            if parts[1:] == ['config']:
                if req.method == 'POST':
                    for section in ('variants', 'faults'):
                        self.config[section].update((body or {}).get(section) or {})
                    if 'seed' in ((body or {}).get('faults') or {}):
                        self.fault_rng = random.Random(self.config['faults']['seed'])
                return Reply(200, self.config)
            if parts[1:] == ['fail_next']:
                return self.fail_next(body or {})
            if parts[1:] == ['clock']:
                self.clock_offset += float((body or {}).get('advance', 0))
                return Reply(200, {'now': self.now(), 'offset': self.clock_offset})
            if len(parts) >= 3:
                vendor = next((v for v in self.vendors if v.name == parts[1]), None)
                if vendor is not None:
                    return vendor.control(req, '/'.join(parts[2:]))
        return Reply(404, {'error': 'unknown control path %s' % req.path})

    def fail_next(self, body):
        """Make the next request matching platform/method/path fail once (or ``count`` times) with ``fault``
        (default 500: the server answers an error and does nothing; see DEFAULT_FAULTS['script'] for the others)."""
        entry = {'platform': body.get('platform'), 'method': (body.get('method') or 'POST').upper(),
                 'path': body.get('path') or '', 'fault': str(body.get('fault') or '500'),
                 'count': int(body.get('count', 1))}
        self.config['faults']['script'] = list(self.config['faults'].get('script') or []) + [entry]
        return Reply(200, {'script': self.config['faults']['script']})

    def filter_log(self, query):
        entries = self.log
        if query.get('platform'):
            entries = [e for e in entries if e['platform'] == query['platform']]
        if query.get('method'):
            entries = [e for e in entries if e['method'] == query['method'].upper()]
        if query.get('path'):
            entries = [e for e in entries if re.search(query['path'], e['path'])]
        if query.get('since'):
            entries = [e for e in entries if e['seq'] > int(query['since'])]
        return entries


def make_handler(sim):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'   # keep-alive, so pooled client sessions really reuse connections
        # headers and body go out in separate writes: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per request
        disable_nagle_algorithm = True
        server_version = 'alertops-simulator/1.0'

        def log_message(self, fmt, *args):  # the request log is the record; keep stderr quiet
            pass

        def _handle(self):
            split = urlsplit(self.path)
            query_all = parse_qs(split.query, keep_blank_values=True)
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length else b''
            req = Request(self.command, split.path, dict((k, v[-1]) for k, v in query_all.items()),
                          dict((k.lower(), v) for k, v in self.headers.items()), body)
            req.query_all = query_all
            req.raw_query = split.query
            try:
                reply, drop_after, platform, fault = sim.dispatch(req)
            except Exception as exc:  # a simulator bug must show as a 500, not kill the connection silently
                import traceback
                traceback.print_exc()
                reply, drop_after, platform, fault = Reply(500, {'error': 'simulator error: %s' % exc}), False, None, None
            if platform:
                sim.record(req, platform, None if reply is None or drop_after else reply.status, fault)
            if reply is None or drop_after:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if reply.delay:
                time.sleep(reply.delay)
            payload = reply.payload()
            self.send_response(reply.status)
            self.send_header('Content-Type', reply.content_type)
            self.send_header('Content-Length', str(len(payload)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
