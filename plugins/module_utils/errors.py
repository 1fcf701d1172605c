# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors. Each one knows whether it may be retried and renders its own failure message."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class AlertOpsError(Exception):
    """Base of every error the collection raises on purpose.

    ``platform`` and ``operation`` say where it happened, ``status`` is the HTTP status (if any),
    ``vendor`` the vendor's own error text and ``hint`` what the user can do about it.
    """

    retryable = False

    def __init__(self, message, platform=None, operation=None, status=None, vendor=None, hint=None, details=None):
        super(AlertOpsError, self).__init__(message)
        self.message = message
        self.platform = platform
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

    retryable = True


class OutcomeUnknownError(TransportError):
    """The request was sent but no answer came (dropped connection, read timeout): the server may have acted."""


class TLSError(TransportError):
    retryable = False


class HTTPError(AlertOpsError):
    """The server answered with an error status."""

    def __init__(self, message, status, headers=None, **kwargs):
        super(HTTPError, self).__init__(message, status=status, **kwargs)
        self.headers = headers or {}

    @property
    def retryable(self):
        return self.status in (429, 502, 503, 504)


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
