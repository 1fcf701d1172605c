# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small hostile HTTP(S) server for the hardening tests: loopback only, every answer bounded in time.

It plays what a careless or malicious endpoint does to a client, whatever the path:

* ``redirect`` - answers ``status`` (302, 307, ...) with a Location on ``capture`` (another Hostile on another
  port, standing for another host) that carries a query string; the capture server records what reaches it.
* ``drip`` / ``drip_body`` - sends its answer one byte a second (headers included, or only the body), for at most
  ``drip_seconds``.
* ``echo`` - answers ``status`` with a long text or HTML error body that repeats the request it received and every
  ``secrets`` value that reached it, in many renderings, placed so that a cut at 120, 200 or 300 characters falls
  inside one.
* ``ok`` - an empty JSON object.

What a request did is recorded when its handler ends, which can be after the client gave up and the playbook
returned: call ``settle()`` before reading ``drips`` (it waits until no connection is in flight).
"""

from __future__ import absolute_import, division, print_function

import base64
import json
import re
import select
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def renderings(value):
    """The encodings a server may echo a credential in."""
    return [value, repr(value)[1:-1], urllib.parse.quote(value, safe=''), urllib.parse.quote_plus(value),
            json.dumps(value)[1:-1], base64.b64encode(('user:' + value).encode()).decode()]


class Hostile:
    def __init__(self, tls=None):
        self.mode = 'ok'
        self.status = 302
        self.capture = None
        self.secrets = []
        self.drip_seconds = 30
        self.content_type = 'text/html'
        self.seen = []
        self.drips = []   # seconds each drip lasted until the client hung up (or the bound)
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._in_flight = 0
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def _any(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                hostile.seen.append(dict(method=self.command, path=self.path, headers=dict(self.headers),
                                         body=body.decode('utf-8', 'replace')))
                getattr(hostile, '_' + hostile.mode)(self, body)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        class Server(ThreadingHTTPServer):
            def process_request(self, request, client_address):
                # counted on accept (in the serving thread), so settle() cannot miss a connection not yet handled
                with hostile._idle:
                    hostile._in_flight += 1
                try:
                    ThreadingHTTPServer.process_request(self, request, client_address)
                except Exception:
                    hostile._done()
                    raise

            def process_request_thread(self, request, client_address):
                try:
                    ThreadingHTTPServer.process_request_thread(self, request, client_address)
                finally:
                    hostile._done()

        self.server = Server(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        scheme = 'http'
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = 'https'
        self.port = self.server.server_address[1]
        self.url = '%s://127.0.0.1:%d' % (scheme, self.port)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05})
        self.thread.daemon = True
        self.thread.start()

    def _done(self):
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def settle(self, timeout=None):
        """Wait until every accepted connection has been handled and recorded; False if still busy at timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0,
                                       timeout=self.drip_seconds + 5 if timeout is None else timeout)

    def close(self):
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    # -- behaviours ---------------------------------------------------------------------------------------
    @staticmethod
    def _send(handler, status, body, content_type='application/json', headers=None):
        handler.send_response(status)
        handler.send_header('Content-Type', content_type)
        handler.send_header('Content-Length', str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)

    def _ok(self, handler, _body):
        self._send(handler, 200, b'{}')

    def _redirect(self, handler, _body):
        """A url path starting with /sNNN picks the status (else ``status``)."""
        path = handler.path.split('?')[0]
        match = re.match(r'^/s(3\d\d)(/.*)$', path)
        status, path = (int(match.group(1)), match.group(2)) if match else (self.status, path)
        location = '%s%s?token=leaked-query-secret&x=1' % (self.capture.url, path)
        self._send(handler, status, b'', headers={'Location': location})

    @staticmethod
    def _hung_up(handler, seconds):
        """Wait up to ``seconds``; True as soon as the client closes its end (it sends nothing more otherwise)."""
        try:
            readable, _w, _x = select.select([handler.connection], [], [], seconds)
            return bool(readable) and not handler.connection.recv(1)
        except OSError:
            return True

    def _drip(self, handler, _body, headers_too=True):
        body = b'{"alerts": [], "data": {"jobs": []}}' + b' ' * 400
        head = ('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(body)).encode()
        started = time.time()
        handler.close_connection = True
        try:
            if not headers_too:
                handler.wfile.write(head)
                handler.wfile.flush()
                head = b''
            for byte in head + body:
                if self._stop.is_set() or time.time() - started > self.drip_seconds:
                    break
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                if self._hung_up(handler, 1):
                    break
        except OSError:
            pass   # the client gave up: what the test wants
        self.drips.append(time.time() - started)   # when the client hung up, not at the next failed write

    def _drip_body(self, handler, body):
        self._drip(handler, body, headers_too=False)

    def _echo(self, handler, body):
        received = '%s %s %s %s' % (handler.command, handler.path, json.dumps(dict(handler.headers)), body.decode('utf-8', 'replace'))
        # it can only give back what it got: the configured secrets that reached it, in whatever encoding
        got = [v for v in self.secrets if any(r in received or urllib.parse.unquote_plus(r) in received
                                              for r in renderings(v))]
        text = '<html><head><title>Error</title></head><body><h1>Request rejected</h1><pre>'
        for cut in (120, 200, 300):
            for value in got:
                text += '.' * max(cut - 6 - len(text), 1) + value   # a cut at `cut` falls inside the value
        for value in got:
            text += ' ' + ' | '.join(renderings(value))
        text += ' received: ' + received + '</pre></body></html>'
        if self.content_type != 'text/html':
            text = text.replace('<', '[').replace('>', ']')
        self._send(handler, self.status, text.encode('utf-8'), content_type=self.content_type)
