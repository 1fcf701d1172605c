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

import email.utils
import json
import os
import random
import threading
import time

try:
    from urllib.parse import quote, urlencode
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import quote, urlencode

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the sanity import test only
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.alertops.core.plugins.module_utils import errors

USER_AGENT = 'alertops.core/0.2.0'
MASK = '********'
RETRY_STATUSES = (429, 502, 503, 504)
# A write answered with one of these certainly did not happen, so it may simply be sent again.
WRITE_SAFE_RETRY_STATUSES = (429, 503)
IDEMPOTENT_METHODS = ('GET', 'HEAD', 'DELETE', 'PUT', 'OPTIONS')
MAX_BACKOFF = 30.0
MAX_SERVER_WAIT = 120.0


DONE, RETRY, REFRESH = 'done', 'retry', 'refresh'


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
                % (self.status, kind, exc.__class__.__name__, self.text[:200].strip()))


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
        if not base_url or '://' not in base_url:
            raise errors.ValidationError('option url must be an absolute http(s) URL, got %r' % (base_url,), platform=platform)
        self.platform = platform
        self.base_url = base_url.rstrip('/')
        self.auth = auth
        self.request_timeout = float(request_timeout if request_timeout is not None else 30)
        self.retries = int(retries if retries is not None else 3)
        self.describe_error = describe_error or (lambda response: (response.text[:300], None))
        self._secrets = set()
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
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(pool_size, 2), max_retries=0)
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
        """Register a value that must never appear in any message (keys, tokens issued at run time)."""
        if value and len(str(value)) >= 4:
            value = str(value)
            with self._lock:
                self._secrets.update((value, quote(value, safe=''), quote(value)))
            if self._on_secret:
                self._on_secret(value)

    def redact(self, text):
        if text is None:
            return text
        text = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

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
        reason = {401: 'unauthorized', 403: 'forbidden', 404: 'not found', 429: 'rate limited'}.get(
            status, 'server error' if status >= 500 else 'request rejected')
        return cls(reason, status, headers=response.headers, platform=self.platform, operation=response.operation,
                   vendor=self.redact(vendor) if vendor else None, hint=self.redact(hint or default_hint))

    # -- retry policy ---------------------------------------------------------------------------------------
    def _backoff(self, attempt, headers=None):
        """Seconds to wait before the next attempt: Retry-After / X-RateLimit-Reset when given, else jittered exponential."""
        headers = headers or {}
        retry_after = headers.get('Retry-After')
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), MAX_SERVER_WAIT)
            except ValueError:
                parsed = email.utils.parsedate_tz(retry_after)
                if parsed:
                    return min(max(email.utils.mktime_tz(parsed) - time.time(), 0.0), MAX_SERVER_WAIT)
        reset = headers.get('X-RateLimit-Reset')
        if reset is not None and str(headers.get('X-RateLimit-Remaining', '0')) == '0':
            try:
                return min(max(float(reset) - time.time(), 0.0), MAX_SERVER_WAIT)
            except ValueError:
                pass
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
            prepared = self._prepare(method, path, operation, params, json_body, form, headers, timeout)
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
        kwargs = dict(params=params, headers=req_headers, timeout=timeout or self.request_timeout, stream=False)
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
        """One exchange. Returns ``(Response, None)`` for any HTTP answer or ``(None, exc)`` for a connection
        failure that the retry policy may act on; TLS failures raise at once (retrying cannot help)."""
        self._before_send(prepared)
        with self._lock:
            self.stats['requests'] += 1
        try:
            raw = self.session.request(prepared.method, prepared.url, **prepared.kwargs)
            body = raw.content
        except requests.exceptions.SSLError as exc:
            raise errors.TLSError(
                self.redact('TLS verification failed: %s' % _root_cause(exc)), platform=self.platform,
                operation=prepared.operation,
                hint='Install the CA with ca_path, or set validate_certs: false for a lab server with a self-signed certificate')
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            return None, exc
        response = Response(self, prepared.operation, raw.status_code, raw.headers, body, raw.headers.get('Content-Type', ''))
        self._after_response(prepared, response)
        return response, None

    # -- step 3: decide -------------------------------------------------------------------------------------
    def _decide(self, prepared, response, failure, state):
        """DONE, REFRESH or RETRY for this attempt's outcome, or raise the typed error that ends the request."""
        operation = prepared.operation
        if failure is not None:
            not_sent = _certainly_not_sent(failure)
            if state.attempt < self.retries and (state.idempotent or not_sent):
                return RETRY
            cls = errors.TransportError if (not_sent or state.idempotent) else errors.OutcomeUnknownError
            raise cls(self.redact('%s after %d attempt(s): %s' % (
                'could not connect' if not_sent else 'the connection failed', state.attempt + 1, _root_cause(failure))),
                platform=self.platform, operation=operation,
                hint='Check url, the network path and the server' if not_sent else None)
        status = response.status
        if 200 <= status < 300 or status in state.accept_statuses:
            return DONE
        if status in (401, 407) and self.auth is not None and not state.refreshed and self.auth.refresh():
            return REFRESH
        retry_ok = status in RETRY_STATUSES if state.idempotent else status in WRITE_SAFE_RETRY_STATUSES
        if retry_ok and state.attempt < self.retries:
            return RETRY
        if not state.idempotent and status in (502, 504):
            err = self._http_error(response)
            raise errors.OutcomeUnknownError(err.message, platform=self.platform, operation=operation, status=status,
                                             vendor=err.vendor)
        raise self._http_error(response)

    def _retry_wait(self, attempt, headers=None):
        with self._lock:
            self.stats['retries'] += 1
        self._sleep(self._backoff(attempt, headers))

    def close(self):
        self.session.close()


def _root_cause(exc):
    seen = set()
    while True:
        inner = getattr(exc, 'reason', None) or (exc.args[0] if getattr(exc, 'args', None) and isinstance(exc.args[0], BaseException) else None)
        if inner is None or id(inner) in seen or inner is exc:
            return '%s: %s' % (exc.__class__.__name__, exc)
        seen.add(id(inner))
        exc = inner


def _certainly_not_sent(exc):
    """True when the request never reached the server (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc)
    markers = ('NewConnectionError', 'Connection refused', 'Name or service not known', 'NameResolutionError',
               'ConnectTimeoutError', 'Failed to establish')
    return any(marker in text for marker in markers)


def from_params(platform, params, base_url, **kwargs):
    """A Transport configured from the common connection options (validate_certs, ca_path, request_timeout, retries)."""
    return Transport(platform, base_url, validate_certs=params.get('validate_certs', True), ca_path=params.get('ca_path'),
                     request_timeout=params.get('request_timeout'), retries=params.get('retries'), **kwargs)
