# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""transport.py against a scripted loopback HTTP server: retries, backoff, Retry-After, redaction, outcome unknown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading
import time

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
                if step == 'drip':
                    self.close_connection = True
                    self._drip(b' ')
                    return
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

            def _drip(self, payload):
                self.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n')
                self.wfile.flush()
                try:
                    for _byte in range(40):   # a byte every 0.25 s: a per-read timeout of 1 s never fires
                        self.wfile.write(payload[:1])
                        self.wfile.flush()
                        time.sleep(0.25)
                except OSError:
                    pass

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


# -- redirects, deadline, the exception boundary, TLS hints ------------------------------------------------------
@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed_and_names_the_location_without_its_query(stub, status):
    stub.script = [(status, b'', {'Location': 'https://evil.example.net:8443/api/v0/alerts?key=%s&x=1' % SECRET})]
    http, sleeps = make(stub)
    with pytest.raises(errors.RedirectError) as info:
        http.request('POST', '/api/v0/alerts', 'close alert', json_body={'a': 1})
    text = str(info.value)
    assert len(stub.seen) == 1 and sleeps == []
    assert 'HTTP %d' % status in text and 'https://evil.example.net:8443/api/v0/alerts' in text
    assert '?' not in info.value.location and SECRET not in text and 'option url' in text


def test_a_relative_redirect_is_shown_absolute(stub):
    stub.script = [(302, b'', {'Location': '/login?next=/x'})]
    http, _sleeps = make(stub)
    with pytest.raises(errors.RedirectError) as info:
        http.request('GET', '/x', 'get x')
    assert info.value.location == stub.url + '/login'


def test_a_dripping_answer_fails_at_the_deadline(stub):
    stub.script = ['drip']
    http, _sleeps = make(stub, retries=0)
    http.request_timeout = 1.0
    started = time.time()
    with pytest.raises(errors.TransportError) as info:
        http.request('GET', '/x', 'get x')
    assert time.time() - started < 3
    assert 'no complete answer within request_timeout (1 s)' in str(info.value)


def test_a_dripping_write_is_outcome_unknown(stub):
    stub.script = ['drip']
    http, _sleeps = make(stub, retries=3)
    http.request_timeout = 1.0
    with pytest.raises(errors.OutcomeUnknownError):
        http.request('POST', '/x', 'create x', json_body={})
    assert len(stub.seen) == 1


def test_a_credential_with_a_line_break_is_a_clear_validation_error_without_the_secret(stub):
    http = transport.Transport('demo', stub.url, headers={'X-Api-Key': 'key-with\nbreak-0123456789'},
                               secrets=['key-with\nbreak-0123456789'])
    with pytest.raises(errors.ValidationError) as info:
        http.request('GET', '/x', 'get x')
    text = str(info.value)
    assert 'line break' in text and 'break-01' not in text and 'key-with' not in text and stub.seen == []


def test_any_other_exception_becomes_a_typed_redacted_error(stub, monkeypatch):
    http, _sleeps = make(stub)

    def boom(*_args, **_kwargs):
        raise OSError('cannot read /etc/ca.pem for Bearer %s' % SECRET)
    monkeypatch.setattr(http.session, 'request', boom)
    with pytest.raises(errors.TransportError) as info:
        http.request('GET', '/x', 'get x')
    assert 'OSError' in str(info.value) and SECRET not in str(info.value)


def test_redact_before_cut_in_vendor_bodies(stub):
    stub.script = [(500, b'x' * 280 + SECRET.encode() + b' trailing', {'Content-Type': 'text/plain'})]
    http, _sleeps = make(stub, retries=0, describe_error=lambda r: (r.excerpt(300), None))
    with pytest.raises(errors.HTTPError) as info:
        http.request('GET', '/x', 'get x')
    assert SECRET[:8] not in str(info.value) and transport.MASK[:4] in str(info.value)


def test_a_url_password_is_masked_in_messages_and_its_basic_form_too(stub):
    url = stub.url.replace('http://', 'http://svc:UrlPass-5566778899@')
    stub.script = [(400, {'detail': 'got Basic %s and UrlPass-5566778899' % base64_of('svc:UrlPass-5566778899')}, {})]
    http = transport.Transport('demo', url, retries=0)
    with pytest.raises(errors.HTTPError) as info:
        http.request('GET', '/x', 'get x')
    assert 'UrlPass' not in str(info.value) and base64_of('svc:UrlPass-5566778899') not in str(info.value)
    assert stub.seen[0][2]['Authorization'] == 'Basic ' + base64_of('svc:UrlPass-5566778899')


def base64_of(text):
    import base64
    return base64.b64encode(text.encode()).decode()


TLS_TABLE = [
    ('[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)', 'scheme'),
    ('[SSL] record layer failure (_ssl.c:1000)', 'scheme'),
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)', 'expired'),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for "
     "'siem.example.com'. (_ssl.c:1006)", 'hostname'),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for "
     "'127.0.0.1'. (_ssl.c:1006)", 'hostname'),
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)', 'untrusted'),
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate', 'untrusted'),
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain',
     'untrusted'),
    ('[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version', 'handshake'),
]


@pytest.mark.parametrize('cause,kind', TLS_TABLE)
def test_tls_causes_are_classified(cause, kind):
    got, meaning, hint = transport.classify_tls(cause)
    assert got == kind
    assert ('validate_certs: false' in hint) == (kind == 'untrusted')
    assert ('ca_path' in hint) == (kind == 'untrusted')


@pytest.mark.parametrize('url,problem', [
    ('https://siem.example.com:8400', None), ('http://127.0.0.1:1', None), ('HTTPS://Siem.Example.com', None),
    ('ftp://siem.example.com', 'must start with http:// or https://'), ('htp://siem', 'must start with http://'),
    ('https://siem.example.com ', 'leading or trailing blanks'), (' https://siem', 'leading or trailing blanks'),
    ('siem.example.com', 'must start with http://'), ('https://', 'has no host name'), ('', 'must be an absolute'),
    (None, 'must be an absolute'), ('https://siem:99999', 'not a valid URL'), ('https://si em', 'contains a blank'),
    ('https://u:secret-pass@siem:8400/ x', 'contains a blank'),
])
def test_url_checks(url, problem):
    got = transport.check_url(url)
    assert (got is None) if problem is None else (problem in got), got
    assert 'secret-pass' not in (got or '')


@pytest.mark.parametrize('value,ok', [(30, True), (0.5, True), ('2', True), (0, False), (-1, False),
                                      (float('nan'), False), (float('inf'), False), ('nan', False), ('x', False)])
def test_timeout_checks(value, ok):
    assert (transport.check_timeout(value) is None) == ok


def test_a_body_that_cannot_be_encoded_is_a_typed_error_before_anything_is_sent(stub):
    http, _sleeps = make(stub)
    with pytest.raises(errors.AlertOpsError) as info:
        http.request('POST', '/x', 'create x', json_body={'when': object()})
    assert 'TypeError' in str(info.value) and stub.seen == []


# -- the retry table (transport.RETRY_TABLE is the one place the retry rules are written) --------------------------

@pytest.mark.parametrize('outcome,read,write', [
    (transport.NOT_SENT, transport.RETRY, transport.RETRY),
    (transport.NO_ANSWER, transport.RETRY, transport.UNKNOWN),
    (429, transport.RETRY, transport.RETRY),
    (503, transport.RETRY, transport.RETRY),
    (502, transport.RETRY, transport.UNKNOWN),
    (504, transport.RETRY, transport.UNKNOWN),
    (500, None, None), (400, None, None), (401, None, None), (403, None, None), (404, None, None), (409, None, None),
])
def test_the_retry_table(outcome, read, write):
    assert transport.retry_rule(outcome, idempotent=True) == read
    assert transport.retry_rule(outcome, idempotent=False) == write


@pytest.mark.parametrize('method,status,sent,cls', [
    # status answered every time -> how many times it was sent (retries=2), what is raised
    ('GET', 429, 3, errors.RateLimitError), ('GET', 503, 3, errors.HTTPError), ('GET', 502, 3, errors.HTTPError),
    ('GET', 504, 3, errors.HTTPError), ('GET', 500, 1, errors.HTTPError), ('DELETE', 503, 3, errors.HTTPError),
    ('POST', 429, 3, errors.RateLimitError), ('POST', 503, 3, errors.HTTPError),
    ('POST', 502, 1, errors.OutcomeUnknownError), ('POST', 504, 1, errors.OutcomeUnknownError),
    ('POST', 500, 1, errors.HTTPError),
])
def test_the_retry_table_is_what_the_transport_does(stub, method, status, sent, cls):
    stub.default = (status, {'error': 'no'}, {'Retry-After': '0'})
    http, sleeps = make(stub, retries=2)
    with pytest.raises(cls) as info:
        http.request(method, '/x', 'act on x', json_body={} if method == 'POST' else None)
    assert info.value.__class__ is cls          # the exact class, not a subclass
    assert info.value.status == status
    assert len(stub.seen) == sent
    assert len(sleeps) == sent - 1


# -- odd headers: a Retry-After / X-RateLimit-Reset that is not finite, negative or in the past is absent ----------
@pytest.mark.parametrize('headers', [
    {'Retry-After': 'nan'}, {'Retry-After': 'inf'}, {'Retry-After': '-inf'}, {'Retry-After': '-5'},
    {'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'},
    {'X-RateLimit-Reset': 'nan', 'X-RateLimit-Remaining': '0'},
    {'X-RateLimit-Reset': 'inf', 'X-RateLimit-Remaining': '0'},
    {'X-RateLimit-Reset': '-inf', 'X-RateLimit-Remaining': '0'},
    {'Retry-After': 'nan', 'X-RateLimit-Reset': 'nan', 'X-RateLimit-Remaining': 'nan'},
])
def test_backoff_ignores_odd_headers_and_falls_back_to_the_jittered_backoff(stub, headers):
    http, _sleeps = make(stub)
    for attempt in range(4):
        wait = http._backoff(attempt, headers)
        assert isinstance(wait, float) and 0 <= wait <= min(transport.MAX_BACKOFF, 0.25 * 2 ** attempt), (headers, wait)


@pytest.mark.parametrize('value', ['nan', 'inf', '-inf', '-5'])
def test_a_429_with_an_odd_retry_after_is_retried_without_a_value_error(stub, value):
    stub.script = [(429, {'error': 'slow'}, {'Retry-After': value}), (200, {'id': 1}, {})]
    http, sleeps = make(stub)
    assert http.request('POST', '/x', 'create x', json_body={'a': 1}).json() == {'id': 1}
    assert len(stub.seen) == 2 and len(sleeps) == 1 and 0 <= sleeps[0] <= 0.25
