# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""transport.py against a scripted loopback HTTP server: retries, backoff, Retry-After, redaction, outcome unknown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading

import pytest

try:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
except ImportError:  # pragma: no cover
    pytest.skip('Python 3 only', allow_module_level=True)

from ansible_collections.alertops.core.plugins.module_utils import errors, transport

SECRET = 'sekrit-token-0123456789'


class Stub:
    """Answers each request with the next scripted step: (status, body, headers) or 'drop' / 'drop_after'."""

    def __init__(self):
        self.script = []
        self.default = (200, {'ok': True}, {})
        self.seen = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def _any(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                stub.seen.append((self.command, self.path, dict(self.headers), body))
                step = stub.script.pop(0) if stub.script else stub.default
                if step in ('drop', 'drop_after'):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status, payload, headers = step
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header('Content-Length', str(len(raw)))
                self.send_header('Content-Type', headers.pop('Content-Type', 'application/json'))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05})
        self.thread.daemon = True
        self.thread.start()


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.server.shutdown()
    server.server.server_close()


def make(stub, retries=3, **kwargs):
    sleeps = []
    kwargs.setdefault('describe_error', lambda r: (r.text[:100], None))
    http = transport.Transport('demo', stub.url, headers={'Authorization': 'Bearer ' + SECRET}, retries=retries,
                               request_timeout=5, secrets=[SECRET], sleep=sleeps.append, **kwargs)
    return http, sleeps


def test_get_retries_503_honouring_retry_after(stub):
    stub.script = [(503, b'<html>busy</html>', {'Retry-After': '7', 'Content-Type': 'text/html'}),
                   (429, {'error': 'slow down'}, {'Retry-After': '2'}), (200, {'n': 1}, {})]
    http, sleeps = make(stub)
    assert http.request('GET', '/x', 'get x').json() == {'n': 1}
    assert sleeps == [7.0, 2.0]
    assert http.stats == {'requests': 3, 'retries': 2}


def test_retry_after_http_date_and_cap(stub):
    http, _sleeps = make(stub)
    assert http._backoff(0, {'Retry-After': '100000'}) == transport.MAX_SERVER_WAIT
    assert 0 <= http._backoff(0, {'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'}) <= 1


def test_backoff_is_jittered_exponential_and_capped(stub):
    http, _sleeps = make(stub)
    for attempt in range(12):
        wait = http._backoff(attempt)
        assert 0 <= wait <= min(transport.MAX_BACKOFF, 0.25 * 2 ** attempt)


def test_gives_up_after_retries_with_a_typed_error(stub):
    stub.default = (503, {'error': 'down'}, {'Retry-After': '0'})
    http, sleeps = make(stub, retries=2)
    with pytest.raises(errors.HTTPError) as info:
        http.request('GET', '/x', 'get x')
    assert info.value.status == 503 and len(stub.seen) == 3 and len(sleeps) == 2
    assert 'demo get x: HTTP 503' in str(info.value)


def test_429_after_every_retry_is_a_rate_limit_error(stub):
    stub.default = (429, {'error': 'slow'}, {'Retry-After': '0'})
    http, _sleeps = make(stub, retries=1)
    with pytest.raises(errors.RateLimitError):
        http.request('GET', '/x', 'get x')


def test_get_retries_a_dropped_connection(stub):
    stub.script = ['drop', (200, {'n': 2}, {})]
    http, sleeps = make(stub)
    assert http.request('GET', '/x', 'get x').json() == {'n': 2}
    assert len(sleeps) == 1


def test_post_is_not_resent_when_the_outcome_is_unknown(stub):
    stub.script = ['drop_after']
    http, _sleeps = make(stub)
    with pytest.raises(errors.OutcomeUnknownError):
        http.request('POST', '/x', 'create x', json_body={'a': 1})
    assert len(stub.seen) == 1


def test_post_is_resent_on_503_and_429(stub):
    stub.script = [(503, {}, {'Retry-After': '0'}), (429, {}, {'Retry-After': '0'}), (200, {'id': 1}, {})]
    http, _sleeps = make(stub)
    assert http.request('POST', '/x', 'create x', json_body={'a': 1}).json() == {'id': 1}
    assert len(stub.seen) == 3 and json.loads(stub.seen[0][3].decode()) == {'a': 1}


def test_post_502_is_outcome_unknown(stub):
    stub.script = [(502, {'error': 'gateway'}, {})]
    http, _sleeps = make(stub)
    with pytest.raises(errors.OutcomeUnknownError):
        http.request('POST', '/x', 'create x', json_body={})
    assert len(stub.seen) == 1


def test_connection_refused_is_a_transport_error(stub):
    http, _sleeps = make(stub, retries=1)
    http.base_url = 'http://127.0.0.1:9'
    with pytest.raises(errors.TransportError) as info:
        http.request('POST', '/x', 'create x', json_body={})
    assert not isinstance(info.value, errors.OutcomeUnknownError)
    assert 'could not connect' in str(info.value)


@pytest.mark.parametrize('status,cls', [(401, errors.AuthenticationError), (403, errors.PermissionDeniedError),
                                        (404, errors.NotFoundError), (400, errors.HTTPError)])
def test_error_statuses_map_to_typed_errors_and_are_not_retried(stub, status, cls):
    stub.script = [(status, {'detail': 'nope'}, {})]
    http, sleeps = make(stub)
    with pytest.raises(cls) as info:
        http.request('GET', '/x', 'get x')
    assert sleeps == [] and info.value.status == status and 'nope' in str(info.value)


def test_accept_statuses(stub):
    stub.script = [(404, {'detail': 'gone'}, {})]
    http, _sleeps = make(stub)
    assert http.request('DELETE', '/x', 'delete x', accept_statuses=(404,)).status == 404


def test_the_secret_is_masked_in_errors_even_when_the_server_echoes_it(stub):
    stub.script = [(401, {'detail': 'bad token %s' % SECRET}, {})]
    http, _sleeps = make(stub)
    with pytest.raises(errors.AuthenticationError) as info:
        http.request('GET', '/x', 'get x')
    assert SECRET not in str(info.value) and transport.MASK in str(info.value)
    assert stub.seen[0][2]['Authorization'] == 'Bearer ' + SECRET


def test_redact_covers_url_encoded_forms():
    http = transport.Transport('demo', 'http://127.0.0.1:1', secrets=['a b/c+d'])
    assert http.redact('x a%20b%2Fc%2Bd y a b/c+d') == 'x %s y %s' % (transport.MASK, transport.MASK)
    assert http.redact(None) is None


def test_short_values_are_not_treated_as_secrets():
    seen = []
    http = transport.Transport('demo', 'http://127.0.0.1:1', secrets=['abc'], on_secret=seen.append)
    assert http.redact('abcdef') == 'abcdef' and seen == []
    http.add_secret('abcd')
    assert seen == ['abcd']


def test_html_and_truncated_json_are_clear_response_errors(stub):
    stub.script = [(200, b'<!DOCTYPE html><html><body>Please log in %s</body></html>' % SECRET.encode(),
                    {'Content-Type': 'text/html'}),
                   (200, b'{"data": {"hits": [', {}), (200, b'', {})]
    http, _sleeps = make(stub)
    with pytest.raises(errors.ResponseError) as info:
        http.request('GET', '/x', 'get x').json()
    assert 'HTML page' in str(info.value) and SECRET not in str(info.value)
    with pytest.raises(errors.ResponseError) as info:
        http.request('GET', '/x', 'get x').json()
    assert 'not valid JSON' in str(info.value)
    response = http.request('GET', '/x', 'get x')
    assert response.json(allow_empty=True) is None
    with pytest.raises(errors.ResponseError):
        response.json()


def test_bad_url_is_a_validation_error():
    with pytest.raises(errors.ValidationError):
        transport.Transport('demo', 'siem.example.com')


def test_from_params_uses_the_common_options(stub):
    http = transport.from_params('demo', {'validate_certs': False, 'request_timeout': 3, 'retries': 5}, stub.url)
    assert (http.session.verify, http.request_timeout, http.retries) == (False, 3.0, 5)


def test_the_pacer_sees_every_attempt_and_every_answer(stub):
    stub.script = [(503, {}, {'Retry-After': '0', 'X-RateLimit-Remaining': '4'}), (200, {'n': 3}, {'X-RateLimit-Remaining': '3'})]
    events = []

    class Pacer:
        def before_send(self, method, url):
            events.append(('send', method, url))

        def after_response(self, status, headers):
            events.append(('answer', status, headers.get('X-RateLimit-Remaining')))

    http, _sleeps = make(stub)
    http.pacer = Pacer()
    assert http.request('GET', '/x', 'get x').json() == {'n': 3}
    assert events == [('send', 'GET', stub.url + '/x'), ('answer', 503, '4'),
                      ('send', 'GET', stub.url + '/x'), ('answer', 200, '3')]
