# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP transport: one pooled requests.Session per run, TLS, timeouts, retries, redaction.

Vendor clients hand it a base URL, static headers, an optional auth object (for refreshable tokens)
and a function that turns an error response into the vendor's own text plus a hint for the user.
Nothing vendor specific lives here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import os
import random
import socket
import ssl
import threading
import time

try:
    from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import urlencode
    from urlparse import urljoin, urlsplit, urlunsplit

try:
    import requests
    import urllib3
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the sanity import test only
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    HTTPAdapter = object

from ansible_collections.alertops.core.plugins.module_utils import errors, pacing

USER_AGENT = 'alertops.core/0.2.0'
MASK = errors.MASK
IDEMPOTENT_METHODS = ('GET', 'HEAD', 'DELETE', 'PUT', 'OPTIONS')
MAX_BACKOFF = 30.0
MAX_SERVER_WAIT = 120.0
# How a TLS failure reads -> (what it means, what to do). Checked in order against the root cause's text; the
# first match wins. Only a verification failure gets the CA advice: for a scheme mismatch it would be wrong.
TLS_CAUSES = (
    (('WRONG_VERSION_NUMBER', 'wrong version number', 'record layer failure', 'unknown protocol', 'http request',
      'packet length too long'),
     'scheme', 'url uses https:// but the server at {hostport} answered in plain HTTP',
     'Use http:// in url, or the port on which the server serves HTTPS'),
    (('certificate has expired', 'CERTIFICATE_EXPIRED'),
     'expired', 'the server certificate has expired',
     'Renew the certificate on the server (and check the clock of this host)'),
    (('certificate is not yet valid',),
     'not_yet_valid', 'the server certificate is not valid yet', 'Check the clock of this host and of the server'),
    (('Hostname mismatch', 'IP address mismatch', "doesn't match", 'does not match'),
     'hostname', 'the server certificate is not valid for {host}',
     'Use in url the host name the certificate names (see its subjectAltName)'),
    (('self-signed certificate', 'self signed certificate', 'unable to get local issuer certificate',
      'unable to get issuer certificate', 'unable to verify the first certificate', 'CERTIFICATE_VERIFY_FAILED',
      'certificate verify failed'),
     'untrusted', 'the server certificate is signed by a CA that is not trusted here',
     'Give the CA as ca_path (or {env}_CA_PATH / ALERTOPS_CA_PATH), or set validate_certs: false only for a lab '
     'server with a self-signed certificate'),
)
TLS_OTHER = ('handshake', 'the TLS handshake with {hostport} failed', "Check url and the server's TLS configuration")
# Environment variable prefix of each platform (options.py reads <PREFIX>_CA_PATH etc.; hints name them).
ENV_PREFIX = {'log360': 'LOG360', 'mackerel': 'MACKEREL', 'opsramp': 'OPSRAMP'}
# What a request that could not even be built means, by exception class name.
BUILD_ERRORS = {
    'InvalidHeader': 'a credential or header contains a line break or another character HTTP headers cannot carry; '
                     'check the token / key for pasted line breaks',
    'InvalidURL': 'check option url', 'MissingSchema': 'check option url', 'InvalidSchema': 'check option url',
    'LocationParseError': 'check option url',
    'UnicodeError': 'check option url and the credentials for characters that HTTP cannot carry',
    'InvalidJSONError': 'a value cannot be sent as JSON',
}


class DeadlineExceeded(Exception):
    """No complete answer within request_timeout (a slow or dripping server)."""


class _Watch:
    """The connection one attempt uses, and whether its deadline passed. The deadline timer shuts the socket
    down, which ends any read in progress at once (a per-read socket timeout never fires on a dripping server)."""

    def __init__(self):
        self.conn = None
        self.expired = False
        self.cut = False

    def expire(self):
        self.expired = True
        sock = getattr(self.conn, 'sock', None)
        if sock is not None:
            self.cut = True   # before the shutdown: the reading thread wakes up as soon as it happens
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except (OSError, ValueError, TypeError):
                pass


_LOCAL = threading.local()


class _WatchedConnection:
    """Mixed into urllib3's connection classes: register the connection with the attempt's _Watch."""

    def connect(self):
        _register(self)
        return super(_WatchedConnection, self).connect()

    def request(self, *args, **kwargs):
        _register(self)
        return super(_WatchedConnection, self).request(*args, **kwargs)


def _register(conn):
    watch = getattr(_LOCAL, 'watch', None)
    if watch is not None:
        watch.conn = conn


def _watched_pool_classes():
    """urllib3 pool classes whose connections register with the deadline watch (None if this urllib3 differs)."""
    try:
        from urllib3.connection import HTTPConnection, HTTPSConnection
        from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    except ImportError:  # pragma: no cover
        return None
    http_conn = type('WatchedHTTPConnection', (_WatchedConnection, HTTPConnection), {})
    https_conn = type('WatchedHTTPSConnection', (_WatchedConnection, HTTPSConnection), {})
    return {'http': type('WatchedHTTPConnectionPool', (HTTPConnectionPool,), {'ConnectionCls': http_conn}),
            'https': type('WatchedHTTPSConnectionPool', (HTTPSConnectionPool,), {'ConnectionCls': https_conn})}


class _Adapter(HTTPAdapter):
    """HTTPAdapter whose pools (proxied ones too) use the watched connection classes."""

    _pool_classes = None

    def init_poolmanager(self, *args, **kwargs):
        super(_Adapter, self).init_poolmanager(*args, **kwargs)
        self._watch_manager(self.poolmanager)

    def proxy_manager_for(self, *args, **kwargs):
        manager = super(_Adapter, self).proxy_manager_for(*args, **kwargs)
        self._watch_manager(manager)
        return manager

    @classmethod
    def _watch_manager(cls, manager):
        if cls._pool_classes is None:
            cls._pool_classes = _watched_pool_classes() or {}
        if cls._pool_classes and hasattr(manager, 'pool_classes_by_scheme'):
            manager.pool_classes_by_scheme = dict(cls._pool_classes)


DONE, RETRY, REFRESH = 'done', 'retry', 'refresh'
UNKNOWN = 'unknown'
NOT_SENT, NO_ANSWER = 'not sent', 'no answer'
# THE retry rules (the one place; errors carry no retry flag): what an outcome means for a read (an idempotent request)
# and for a write. RETRY: send it again, up to ``retries`` times, then raise the error the outcome maps to. UNKNOWN: the
# server may have acted, so a write is not sent again (OutcomeUnknownError: the caller reads the object before deciding).
# Any other status is raised at once, typed (401 after one credential refresh, 403, 404, 400, 500, ...).
RETRY_TABLE = {
    # outcome: (read, write)
    NOT_SENT: (RETRY, RETRY),      # refused, DNS, connect timeout: the server never saw it
    NO_ANSWER: (RETRY, UNKNOWN),   # dropped after sending, read timeout, no complete answer by the deadline
    429: (RETRY, RETRY),           # rate limited: nothing was done
    503: (RETRY, RETRY),           # unavailable: nothing was done
    502: (RETRY, UNKNOWN),         # a gateway's answer: the server behind it may have acted
    504: (RETRY, UNKNOWN),
}


def retry_rule(outcome, idempotent):
    """RETRY, UNKNOWN or None (raise at once) for an outcome (an HTTP status, NOT_SENT or NO_ANSWER) of a read or write."""
    return RETRY_TABLE.get(outcome, (None, None))[0 if idempotent else 1]


class Prepared:
    """One attempt ready to send: ``session.request(method, url, **kwargs)``."""

    def __init__(self, method, url, operation, kwargs):
        self.method = method
        self.url = url
        self.operation = operation
        self.kwargs = kwargs


class _Attempts:
    """The retry state of one request()."""

    def __init__(self, idempotent, accept_statuses):
        self.idempotent = idempotent
        self.accept_statuses = accept_statuses
        self.attempt = 0
        self.refreshed = False


class Response:
    """A finished HTTP exchange; ``json()`` turns a non-JSON body into a clear ResponseError."""

    def __init__(self, transport, operation, status, headers, body, content_type):
        self._transport = transport
        self.operation = operation
        self.status = status
        self.headers = headers
        self.body = body
        self.content_type = content_type

    @property
    def text(self):
        return self.body.decode('utf-8', 'replace')

    def json(self, allow_empty=False):
        if not self.body.strip():
            if allow_empty:
                return None
            raise self._transport.response_error(self, 'the server answered HTTP %s with an empty body where JSON was expected'
                                                 % self.status)
        try:
            return json.loads(self.text)
        except ValueError as exc:
            kind = 'an HTML page' if '<html' in self.text[:512].lower() or 'html' in self.content_type else 'a body that is not valid JSON'
            raise self._transport.response_error(
                self, 'the server answered HTTP %s with %s (%s) where JSON was expected: %s'
                % (self.status, kind, exc.__class__.__name__, self.excerpt(200).strip()))

    def excerpt(self, limit=300):
        """The body for a message: redacted first, then cut to ``limit`` characters."""
        return self._transport.redactor.excerpt(self.text.strip(), limit)


class Transport:
    """HTTP to one vendor base URL.

    ``describe_error(response) -> (vendor_text, hint)`` renders the vendor's error body.
    ``auth`` (optional) has ``headers()`` and ``refresh()``; a 401 triggers one refresh and one retry.
    """

    def __init__(self, platform, base_url, headers=None, auth=None, validate_certs=True, ca_path=None,
                 request_timeout=30, retries=3, secrets=(), describe_error=None, pool_size=10,
                 on_secret=None, sleep=time.sleep):
        if not HAS_REQUESTS:
            raise errors.ValidationError('the Python library requests is required on the host that runs the module '
                                         '(pip install requests): %s' % REQUESTS_IMPORT_ERROR, platform=platform)
        self.redactor = errors.Redactor()
        for secret in errors.url_secrets(base_url):
            self.redactor.add(secret)
        problem = check_url(base_url)
        if problem:
            raise errors.ValidationError('option url %s' % problem, platform=platform)
        self.platform = platform
        self.base_url = base_url.rstrip('/')
        self.auth = auth
        self.request_timeout = float(request_timeout if request_timeout is not None else 30)
        problem = check_timeout(self.request_timeout)
        if problem:
            raise errors.ValidationError('option request_timeout %s' % problem, platform=platform)
        self.retries = int(retries if retries is not None else 3)
        self.describe_error = describe_error or (lambda response: (response.excerpt(300), None))
        self._on_secret = on_secret
        self._sleep = sleep
        self._lock = threading.Lock()
        # Client-side pacing (set by the vendor client): ``before_send(method, url)`` before every attempt and
        # ``after_response(status, headers)`` after every answer; see _before_send / _after_response.
        self.pacer = None
        self.stats = {'requests': 0, 'retries': 0}
        for secret in secrets:
            self.add_secret(secret)

        self.session = requests.Session()
        adapter = _Adapter(pool_connections=2, pool_maxsize=max(pool_size, 2), max_retries=0)
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.headers.update({'User-Agent': USER_AGENT, 'Accept': 'application/json'})
        self.session.headers.update(headers or {})
        self.session.verify = (ca_path or True) if validate_certs else False
        self._resolve_environment_once()
        if not validate_certs:
            try:
                requests.packages.urllib3.disable_warnings()  # the user asked for it; no per-request warning spam
            except AttributeError:  # pragma: no cover
                pass

    def _resolve_environment_once(self):
        """Read the proxy and CA bundle environment once, then turn ``trust_env`` off.

        With ``trust_env`` on, requests scans the whole environment on every request (about a quarter of the
        client's CPU on a fast network), and it replaces ``verify=False`` with REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE
        when one is set, so ``validate_certs: false`` would silently not apply. Every request goes to one base URL
        and is authenticated by header, so resolving once is exact (``.netrc`` does not apply).
        """
        self.session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        if self.session.verify is True:
            bundle = os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE')
            if bundle:
                self.session.verify = bundle
        self.session.trust_env = False

    # -- secrets --------------------------------------------------------------------------------------------
    def add_secret(self, value):
        """Register a value that must never appear in any message (keys, tokens issued at run time), in any
        rendering or as any 8-character piece (errors.Redactor)."""
        value = self.redactor.add(value)
        if value and self._on_secret:
            self._on_secret(value)

    def redact(self, text):
        return self.redactor.redact(text)

    # -- errors ---------------------------------------------------------------------------------------------
    def response_error(self, response, message):
        return errors.ResponseError(self.redact(message), platform=self.platform, operation=response.operation,
                                    status=response.status)

    def _http_error(self, response):
        vendor, hint = self.describe_error(response)
        status = response.status
        cls = {401: errors.AuthenticationError, 403: errors.PermissionDeniedError,
               404: errors.NotFoundError, 429: errors.RateLimitError}.get(status, errors.HTTPError)
        default_hint = {
            401: 'The credential is invalid, revoked or expired: create a new one and update the task or its credential',
            403: 'The credential lacks the permission this operation needs',
            404: 'The object does not exist (or no longer exists)',
            429: 'The server kept rate limiting after %d retries: lower concurrency or raise retries' % self.retries,
        }.get(status)
        if status >= 500:
            default_hint = 'The server failed; retry later or check the server logs'
        if status == 400 and 'plain HTTP request was sent to HTTPS port' in response.text[:2000]:
            vendor, default_hint = None, 'url uses http:// but the server speaks HTTPS on this port: use https:// in url'
            hint = None
        reason = {401: 'unauthorized', 403: 'forbidden', 404: 'not found', 429: 'rate limited'}.get(
            status, 'server error' if status >= 500 else 'request rejected')
        return cls(reason, status, headers=response.headers, platform=self.platform, operation=response.operation,
                   vendor=self.redact(vendor) if vendor else None, hint=self.redact(hint or default_hint))

    # -- retry policy ---------------------------------------------------------------------------------------
    def _backoff(self, attempt, headers=None):
        """Seconds to wait before the next attempt: Retry-After / X-RateLimit-Reset when given, else jittered exponential.

        The headers are read by pacing.py's parsers (the one place a header becomes a number): a value that is not a
        finite number, a negative Retry-After, an HTTP date that is not in the future or a reset that has passed is
        treated as absent (the pacer, which also sees the answer, warns about it and holds the platform's window)."""
        now = time.time()
        retry_after = pacing.parse_retry_after(pacing.header(headers, 'Retry-After'), now)
        if retry_after is not None:
            return min(retry_after, MAX_SERVER_WAIT)
        remaining = pacing.header(headers, 'X-RateLimit-Remaining')
        if remaining is None or pacing.header_number(remaining) == 0:
            reset = pacing.parse_reset(pacing.header(headers, 'X-RateLimit-Reset'), now)
            if reset:
                return min(reset, MAX_SERVER_WAIT)
        return random.uniform(0, min(MAX_BACKOFF, 0.25 * (2 ** attempt)))  # full jitter

    def url(self, path):
        return path if '://' in path else self.base_url + path

    def request(self, method, path, operation, params=None, json_body=None, form=None, headers=None,
                idempotent=None, accept_statuses=(), timeout=None):
        """Send one request with the retry policy; return a Response for 2xx (and ``accept_statuses``).

        Writes (``idempotent=False``, default for POST) are only re-sent when the server certainly did not
        act (429, 503, connection refused). When the outcome is unknown, OutcomeUnknownError is raised so
        the caller can read the object again before deciding to repeat the write.

        Three steps per attempt: ``_prepare`` (URL, headers, body), ``_send`` (one exchange, classified as a
        Response or a connection failure) and ``_decide`` (return, refresh the credential, retry or raise).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        state = _Attempts(idempotent, accept_statuses)
        while True:
            try:
                prepared = self._prepare(method, path, operation, params, json_body, form, headers, timeout)
            except errors.AlertOpsError:
                raise
            except Exception as exc:  # pylint: disable=broad-except
                raise self._build_error(Prepared(method, self.url(path), operation, {}), exc)
            response, failure = self._send(prepared)
            step = self._decide(prepared, response, failure, state)
            if step == DONE:
                return response
            if step == RETRY:
                self._retry_wait(state.attempt, response.headers if response is not None else None)
                state.attempt += 1
            elif step == REFRESH:
                state.refreshed = True

    # -- step 1: prepare ------------------------------------------------------------------------------------
    def _prepare(self, method, path, operation, params, json_body, form, headers, timeout):
        """Everything needed to send one attempt (the auth headers are read again for every attempt)."""
        req_headers = dict(headers or {})
        if self.auth is not None:
            req_headers.update(self.auth.headers())
        # never follow a redirect: the credential headers (and a form's client_secret) would go wherever it points
        kwargs = dict(params=params, headers=req_headers, timeout=timeout or self.request_timeout, stream=False,
                      allow_redirects=False)
        if json_body is not None:
            kwargs['data'] = json.dumps(json_body)
            req_headers.setdefault('Content-Type', 'application/json')
        elif form is not None:
            kwargs['data'] = urlencode(form)
            req_headers.setdefault('Content-Type', 'application/x-www-form-urlencoded')
        return Prepared(method, self.url(path), operation, kwargs)

    # -- step 2: send and classify --------------------------------------------------------------------------
    def _before_send(self, prepared):
        """THE place where client-side pacing plugs in: called right before every attempt goes on the wire
        (retries and token requests included). A ``pacer`` may sleep here to keep under a rate limit."""
        if self.pacer is not None:
            self.pacer.before_send(prepared.method, prepared.url)

    def _after_response(self, prepared, response):
        """Every answer's status and headers (rate-limit headers included) reach the ``pacer`` here."""
        if self.pacer is not None:
            self.pacer.after_response(response.status, response.headers)

    def _send(self, prepared):
        """One exchange within one deadline (``request_timeout`` from connecting to the last byte of the answer).

        Returns ``(Response, None)`` for any HTTP answer or ``(None, exc)`` for a connection failure that the retry
        policy may act on. Everything else raises a typed error here: TLS failures (retrying cannot help) and any
        other exception (a request that cannot be built, a library error), redacted - nothing passes untyped."""
        self._before_send(prepared)
        with self._lock:
            self.stats['requests'] += 1
        deadline = float(prepared.kwargs['timeout'])
        watch = _Watch()
        timer = threading.Timer(deadline, watch.expire)
        timer.daemon = True
        _LOCAL.watch = watch
        timer.start()
        try:
            raw = self.session.request(prepared.method, prepared.url, **prepared.kwargs)
            body = raw.content
        except Exception as exc:  # pylint: disable=broad-except
            if watch.expired:
                return None, DeadlineExceeded('no complete answer within request_timeout (%g s)' % deadline)
            if isinstance(exc, requests.exceptions.SSLError):
                raise self._tls_error(prepared, exc)
            if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                                requests.exceptions.ChunkedEncodingError)):
                return None, exc
            raise self._build_error(prepared, exc)
        finally:
            timer.cancel()
            _LOCAL.watch = None
        if watch.cut:
            # the socket was cut at the deadline: urllib3 1.x takes that EOF as the end of a (truncated) body
            return None, DeadlineExceeded('no complete answer within request_timeout (%g s)' % deadline)
        response = Response(self, prepared.operation, raw.status_code, raw.headers, body, raw.headers.get('Content-Type', ''))
        self._after_response(prepared, response)
        return response, None

    def _tls_error(self, prepared, exc):
        cause = _root_cause(exc)
        kind, meaning, hint = classify_tls(cause)
        parts = urlsplit(prepared.url)
        fill = dict(host=parts.hostname or '', hostport=parts.netloc.rsplit('@', 1)[-1],
                    env=ENV_PREFIX.get(self.platform, self.platform.upper()))
        return errors.TLSError(self.redact('TLS failed: %s (%s)' % (meaning.format(**fill), cause)), platform=self.platform,
                               operation=prepared.operation, hint=hint.format(**fill), details={'tls_cause': kind})

    def _build_error(self, prepared, exc):
        name = exc.__class__.__name__
        hint = next((h for k, h in BUILD_ERRORS.items() if k == name or isinstance(exc, _named(k))), None)
        if hint is not None:
            return errors.ValidationError(self.redact('the request could not be sent: %s' % hint), platform=self.platform,
                                          operation=prepared.operation)
        return errors.TransportError(self.redact('the request failed: %s' % _root_cause(exc)), platform=self.platform,
                                     operation=prepared.operation)

    # -- step 3: decide -------------------------------------------------------------------------------------
    def _decide(self, prepared, response, failure, state):
        """DONE, REFRESH or RETRY for this attempt's outcome, or raise the typed error that ends the request."""
        operation = prepared.operation
        if failure is not None:
            not_sent = _certainly_not_sent(failure)
            rule = retry_rule(NOT_SENT if not_sent else NO_ANSWER, state.idempotent)
            if rule == RETRY and state.attempt < self.retries:
                return RETRY
            cls = errors.OutcomeUnknownError if rule == UNKNOWN else errors.TransportError
            hint = 'Check url, the network path and the server' if not_sent else None
            if isinstance(failure, DeadlineExceeded):
                cause = str(failure)
                hint = 'The server is too slow or stalls; raise request_timeout if it is just slow'
            else:
                cause = _root_cause(failure)
                if not not_sent and not self.session.proxies and _speaks_tls(prepared.url, self.request_timeout):
                    cls, hint = errors.TransportError, 'Use https:// in url'
                    cause = 'url uses http:// but the server at %s speaks HTTPS (%s)' % (
                        urlsplit(prepared.url).netloc.rsplit('@', 1)[-1], cause)
            raise cls(self.redact('%s after %d attempt(s): %s' % (
                'could not connect' if not_sent else 'the connection failed', state.attempt + 1, cause)),
                platform=self.platform, operation=operation, hint=hint)
        status = response.status
        if 300 <= status < 400:
            raise self._redirect_error(prepared, response)
        if 200 <= status < 300 or status in state.accept_statuses:
            return DONE
        if status in (401, 407) and self.auth is not None and not state.refreshed and self.auth.refresh():
            return REFRESH
        rule = retry_rule(status, state.idempotent)
        if rule == RETRY and state.attempt < self.retries:
            return RETRY
        if rule == UNKNOWN:
            err = self._http_error(response)
            raise errors.OutcomeUnknownError(err.message, platform=self.platform, operation=operation, status=status,
                                             vendor=err.vendor)
        raise self._http_error(response)

    def _redirect_error(self, prepared, response):
        location = response.headers.get('Location') or ''
        shown = _without_query(urljoin(prepared.url, location)) if location else '(no Location header)'
        return errors.RedirectError(
            self.redact('the server answered with a redirect to %s; API calls never follow redirects (the credentials '
                        'would go along)' % shown), response.status, location=shown, platform=self.platform,
            operation=prepared.operation,
            hint=self.redact('Fix option url: set it to the address the API answers on itself (%s is asked for %s)'
                             % (errors.mask_url(self.base_url), _without_query(prepared.url))))

    def _retry_wait(self, attempt, headers=None):
        with self._lock:
            self.stats['retries'] += 1
        self._sleep(self._backoff(attempt, headers))

    def close(self):
        self.session.close()


def _root_cause(exc):
    seen = set()
    while True:
        inner = getattr(exc, 'reason', None)
        if not isinstance(inner, BaseException):   # ssl errors have a str reason ('CERTIFICATE_VERIFY_FAILED')
            inner = exc.args[0] if getattr(exc, 'args', None) and isinstance(exc.args[0], BaseException) else None
        if inner is None or id(inner) in seen or inner is exc:
            return '%s: %s' % (exc.__class__.__name__, exc)
        seen.add(id(inner))
        exc = inner


def classify_tls(cause):
    """(kind, meaning, hint) of a TLS failure from its root cause text (TLS_CAUSES, first match wins)."""
    for markers, kind, meaning, hint in TLS_CAUSES:
        if any(m in cause for m in markers):
            return kind, meaning, hint
    return TLS_OTHER


def check_url(url):
    """What is wrong with ``url`` (a phrase to follow "option url"), or None."""
    if not isinstance(url, str) or not url:
        return 'must be an absolute http:// or https:// URL, got %r' % (errors.mask_url(url),)
    if url != url.strip():
        return 'has leading or trailing blanks: %r' % (errors.mask_url(url),)
    try:
        parts = urlsplit(url)
        if parts.port is not None and parts.port < 1:   # .port raises ValueError on a port out of range
            raise ValueError('port 0')
    except ValueError as exc:
        return 'is not a valid URL (%s): %r' % (exc, errors.mask_url(url))
    if parts.scheme.lower() not in ('http', 'https'):
        return 'must start with http:// or https://, got %r' % (errors.mask_url(url),)
    if not parts.hostname:
        return 'has no host name: %r' % (errors.mask_url(url),)
    if any(c.isspace() for c in url):
        return 'contains a blank: %r' % (errors.mask_url(url),)
    return None


def check_timeout(value):
    """What is wrong with a request_timeout (a phrase to follow "option request_timeout"), or None."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return 'must be a number of seconds, got %r' % (value,)
    if math.isnan(seconds) or math.isinf(seconds) or seconds <= 0:
        return 'must be a finite number of seconds greater than 0, got %s' % (value,)
    return None


def _without_query(url):
    parts = urlsplit(errors.mask_url(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, '', ''))


def _named(name):
    """The requests / urllib3 exception class called ``name`` (a tuple, empty when this version lacks it)."""
    for module in (requests.exceptions, getattr(urllib3, 'exceptions', None)):
        cls = getattr(module, name, None)
        if isinstance(cls, type):
            return (cls,)
    return (UnicodeError,) if name == 'UnicodeError' else ()


def _speaks_tls(url, timeout):
    """After a failed plain-HTTP exchange: does the server at url's host:port complete a TLS handshake?"""
    parts = urlsplit(url)
    if parts.scheme != 'http' or not parts.hostname:
        return False
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=min(timeout, 5)) as sock:
            with context.wrap_socket(sock, server_hostname=parts.hostname):
                return True
    except (OSError, ValueError):
        return False


def _certainly_not_sent(exc):
    """True when the request never reached the server (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc)
    markers = ('NewConnectionError', 'Connection refused', 'Name or service not known', 'NameResolutionError',
               'ConnectTimeoutError', 'Failed to establish')
    return any(marker in text for marker in markers)


def from_params(platform, params, base_url, **kwargs):
    """A Transport configured from the common connection options (validate_certs, ca_path, request_timeout, retries),
    with the pacer that rate_limit / wait_budget ask for (module_utils/pacing.py) on its pacing hook."""
    pacer = pacing.from_params(platform, params)
    http = Transport(platform, base_url, validate_certs=params.get('validate_certs', True), ca_path=params.get('ca_path'),
                     request_timeout=params.get('request_timeout'), retries=params.get('retries'), **kwargs)
    http.pacer = pacer
    return http
