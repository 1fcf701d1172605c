# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors. Each one renders its own failure message; its platform is tagged where a plugin runs (platform_scope),
not at every raise. Whether a request is sent again is the transport's retry table (transport.RETRY_TABLE), not an
attribute of the error."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import contextlib
import functools
import inspect
import json
import threading

try:
    from urllib.parse import quote, quote_plus, urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import quote, quote_plus
    from urlparse import urlsplit, urlunsplit

MASK = '********'
FRAGMENT = 8     # any run of this many characters of a secret (in any rendering) counts as a leak
MIN_SECRET = 4   # shorter values are not treated as secrets (they would mask ordinary words)


def renderings(secret):
    """Every way a secret can appear in a message: raw, repr-escaped, URL- and form-encoded, JSON-escaped,
    HTML-escaped, and the stable middle of its base64 form at each of the three byte alignments (so it is found
    inside any Basic-auth header, ``user:secret`` included)."""
    out = set([secret])
    out.add(repr(secret)[1:-1])
    out.add(secret.encode('unicode_escape').decode('ascii'))
    out.update((quote(secret, safe=''), quote(secret), quote_plus(secret), quote_plus(secret, safe='')))
    out.add(json.dumps(secret)[1:-1])
    out.add(json.dumps(secret, ensure_ascii=False)[1:-1])
    out.add(secret.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;'))
    raw = secret.encode('utf-8')
    for shift in (0, 1, 2):
        encoded = base64.b64encode(b'\0' * shift + raw).decode('ascii').rstrip('=')
        head = (0, 2, 3)[shift]                     # characters that depend on the bytes before the secret
        tail = len(encoded) if (shift + len(raw)) % 3 == 0 else len(encoded) - ((shift + len(raw)) % 3 + 1)
        middle = encoded[head:tail]
        if len(middle) >= FRAGMENT:
            out.add(middle)
    return set(r for r in out if r)


def mask_url(url):
    """``url`` with its whole userinfo (``user:password@`` or a bare token before ``@``) shown as ``********@``."""
    if not isinstance(url, str) or '@' not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK + '@' + url.split('@')[-1]
    if '@' not in parts.netloc:
        return url
    host = parts.netloc.rsplit('@', 1)[1]
    return urlunsplit((parts.scheme, '%s@%s' % (MASK, host), parts.path, parts.query, parts.fragment))


def url_secrets(url):
    """The secrets a URL's userinfo carries: the password, ``user:password`` and its Basic-auth form; a user name
    without a password (a token used as user) counts as the secret itself."""
    if not isinstance(url, str) or '@' not in url:
        return []
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return []
    if '@' not in parts.netloc:
        return []
    if parts.password in (None, ''):
        return [parts.username] if parts.username else []
    pair = '%s:%s' % (parts.username or '', parts.password)
    return [parts.password, pair, base64.b64encode(pair.encode('utf-8')).decode('ascii')]


class Redactor:
    """Masks registered secrets in every rendering, and any FRAGMENT-long piece of them.

    ``redact(text)`` before anything is shown; ``excerpt(text, limit)`` redacts first and cuts after, so a cut
    can never leave the first characters of a secret behind.
    """

    def __init__(self, secrets=()):
        self._lock = threading.Lock()
        self._whole = set()
        self._fragments = set()
        self.longest = 0
        for secret in secrets:
            self.add(secret)

    def add(self, value):
        """Register a secret; return its stripped text when it was long enough to count, else None."""
        if value is None:
            return None
        value = str(value).strip()
        if len(value) < MIN_SECRET:
            return None
        forms = renderings(value)
        pieces = set()
        for form in forms:
            pieces.update(form[i:i + FRAGMENT] for i in range(len(form) - FRAGMENT + 1))
        with self._lock:
            self._whole.update(forms)
            self._fragments.update(pieces)
            self.longest = max([self.longest] + [len(f) for f in forms])
        return value

    def __bool__(self):
        return bool(self._whole)

    __nonzero__ = __bool__

    def redact(self, text):
        if text is None:
            return text
        text = str(text)
        with self._lock:
            whole = sorted(self._whole, key=len, reverse=True)
            fragments = self._fragments
        for secret in whole:
            if secret in text:
                text = text.replace(secret, MASK)
        if not fragments or len(text) < FRAGMENT:
            return text
        covered = [False] * len(text)
        hit = False
        for i in range(len(text) - FRAGMENT + 1):
            if text[i:i + FRAGMENT] in fragments:
                hit = True
                for j in range(i, i + FRAGMENT):
                    covered[j] = True
        if not hit:
            return text
        out, i = [], 0
        while i < len(text):
            if covered[i]:
                while i < len(text) and covered[i]:
                    i += 1
                out.append(MASK)
            else:
                out.append(text[i])
                i += 1
        return ''.join(out)

    def excerpt(self, text, limit):
        """At most ``limit`` characters of ``text``, redacted BEFORE it is cut."""
        if text is None:
            return None
        text = str(text)
        window = text[:limit + self.longest + FRAGMENT]   # any secret crossing the cut is whole in the window
        return self.redact(window)[:limit]

    def redact_all(self, value):
        """Redact every string inside dicts / lists (a module's fail_json keyword arguments)."""
        if isinstance(value, dict):
            return dict((k, self.redact_all(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [self.redact_all(v) for v in value]
        if isinstance(value, str):
            return self.redact(value)
        return value


_SCOPE = threading.local()


def current_platform():
    """The platform of the plugin running in this thread (see ``platform_scope``), or None."""
    return getattr(_SCOPE, 'platform', None)


@contextlib.contextmanager
def platform_scope(platform):
    """Where a plugin runs for one platform (a module's run, the lookup, a client method): an error created inside
    without a platform gets ``platform``, and so does one that leaves the scope without it. The platform is tagged here,
    once, not written at every raise. Per thread: ``bulk.run_bounded`` carries it into its workers."""
    if not platform:
        yield
        return
    previous = current_platform()
    _SCOPE.platform = platform
    try:
        yield
    except AlertOpsError as exc:
        exc.platform = exc.platform or platform
        raise
    finally:
        _SCOPE.platform = previous


def platform_scoped(cls):
    """Class decorator for a vendor client: every public method runs in ``platform_scope(cls.PLATFORM)``, so an
    error the client raises names its platform also when the client is used directly (a test, the EDA source)."""
    def scoped(function):
        if inspect.isgeneratorfunction(function):
            @functools.wraps(function)
            def generator(*args, **kwargs):
                # the scope cannot stay open across yields (the caller runs in between): tag what comes out
                try:
                    yield from function(*args, **kwargs)
                except AlertOpsError as exc:
                    exc.platform = exc.platform or cls.PLATFORM
                    raise
            return generator

        @functools.wraps(function)
        def method(*args, **kwargs):
            with platform_scope(cls.PLATFORM):
                return function(*args, **kwargs)
        return method

    for name, member in list(vars(cls).items()):
        if name.startswith('_') and name != '__init__':
            continue
        if isinstance(member, (staticmethod, classmethod)):
            setattr(cls, name, type(member)(scoped(member.__func__)))
        elif inspect.isfunction(member):
            setattr(cls, name, scoped(member))
    return cls


class AlertOpsError(Exception):
    """Base of every error the collection raises on purpose.

    ``platform`` and ``operation`` say where it happened, ``status`` is the HTTP status (if any),
    ``vendor`` the vendor's own error text and ``hint`` what the user can do about it. Without ``platform`` the error
    takes the platform of the scope it is created in (``platform_scope``: a module, the lookup, a client method).
    """

    def __init__(self, message, platform=None, operation=None, status=None, vendor=None, hint=None, details=None):
        super(AlertOpsError, self).__init__(message)
        self.message = message
        self.platform = platform or current_platform()
        self.operation = operation
        self.status = status
        self.vendor = vendor
        self.hint = hint
        self.details = details or {}

    def __str__(self):
        parts = []
        where = ' '.join(p for p in (self.platform, self.operation) if p)
        if where:
            parts.append(where + ':')
        if self.status is not None:
            parts.append('HTTP %s:' % self.status)
        parts.append(self.message)
        text = ' '.join(parts)
        if self.vendor:
            text += ' (server said: %s)' % self.vendor
        if self.hint:
            text += '. ' + self.hint
        return text

    def fail_kwargs(self):
        """Keyword arguments for AnsibleModule.fail_json / AnsibleActionFail."""
        kwargs = dict(msg=str(self))
        if self.status is not None:
            kwargs['status'] = self.status
        kwargs.update(self.details)
        return kwargs


class ValidationError(AlertOpsError):
    """Bad input, detected before anything is sent."""


class TransportError(AlertOpsError):
    """The request could not be completed: connection refused or reset, TLS, timeout."""


class OutcomeUnknownError(TransportError):
    """The request was sent but no answer came (dropped connection, read timeout): the server may have acted."""


class TLSError(TransportError):
    """The TLS handshake failed (sending again cannot help)."""


class RedirectError(AlertOpsError):
    """The server answered 3xx: API calls never follow redirects (credentials would travel along)."""

    def __init__(self, message, status, location=None, **kwargs):
        super(RedirectError, self).__init__(message, status=status, **kwargs)
        self.location = location


class HTTPError(AlertOpsError):
    """The server answered with an error status."""

    def __init__(self, message, status, headers=None, **kwargs):
        super(HTTPError, self).__init__(message, status=status, **kwargs)
        self.headers = headers or {}


class AuthenticationError(HTTPError):
    """401: the credential is invalid, revoked or expired."""


class PermissionDeniedError(HTTPError):
    """403: the credential lacks a scope or permission."""


class NotFoundError(HTTPError):
    """404: the object does not exist (or no longer exists)."""


class RateLimitError(HTTPError):
    """429 after every retry was spent."""


class ResponseError(AlertOpsError):
    """The server answered 2xx with something that is not the expected JSON (HTML page, truncated body)."""


class WaitTimeoutError(AlertOpsError):
    """A waiter gave up."""


class JobFailedError(AlertOpsError):
    """An asynchronous job ended in a failed state."""


class ConflictError(AlertOpsError):
    """The requested change is not possible in the object's current state (for example acting on a closed alert)."""
