# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A notification receiver: Slack and Microsoft Teams incoming webhooks and a generic JSON endpoint.

The change window's notifications (alertops.core.change_window_notify) are sent here in tests. A destination URL is
``<sim>/hooks/<kind>/<behaviour>/<token...>``; the token stands for the secret part of a real webhook URL (Slack's
``/services/T.../B.../xxxx``, a Teams Workflows ``sig=``) and must never show in any output of the collection.

kind:
  slack    what Slack's incoming webhooks accept: a JSON object with a non-empty ``text`` (string; with ``blocks`` the
           text is the notification's fallback and still required here, the stricter reading), ``blocks`` (when
           given) a list of at most 50 objects each with a ``type``, a section's text at most 3000 characters.
           Answers 200 ``ok`` (text/plain); a bad payload 400 ``invalid_payload`` or ``no_text`` (text/plain).
  teams    what a Teams Workflows webhook ("When a Teams webhook request is received") accepts: a message
           ``{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
           "content": {"type": "AdaptiveCard", "version": ..., "body": [...]}}]}``; answers 202 with no body. A
           MessageCard (the retired connectors' format) or a malformed card: 400 with a JSON error.
  webhook  any JSON object with ``change_id`` and ``event``: 200 {"received": true}; anything else 400.

behaviour:
  ok        as above
  slow      answers as ``ok`` after variant ``notify_delay`` seconds (default 5): a timeout
  redirect  307 to the same path with ``ok`` on host ``localhost`` (the same server under another name), so a client
            that followed it would show as a second request, to /hooks/<kind>/ok/<token>
  error     500 with an HTML page
  invalid   Slack style: 400 ``invalid_payload`` (text/plain) whatever was sent
Every request is in the request log (platform ``notify``), with its body.

Control actions (/_sim/notify/<action>):
  GET credentials -> {"env": {}} (a webhook URL is its own credential)
  GET received    -> {"received": [{"kind", "behaviour", "token", "payload", "status"}...]} (every request, in order)
"""

from __future__ import absolute_import, division, print_function

import json
import re

from core import Reply, Vendor

KINDS = ('slack', 'teams', 'webhook')
BEHAVIOURS = ('ok', 'slow', 'redirect', 'error', 'invalid')
ADAPTIVE = 'application/vnd.microsoft.card.adaptive'
SLACK_MAX_BLOCKS = 50
SLACK_MAX_SECTION = 3000
PATH = re.compile(r'^/hooks/(?P<kind>[a-z]+)/(?P<behaviour>[a-z]+)/(?P<token>.+)$')


def _text(status, text):
    return Reply(status, raw=text.encode('utf-8'), content_type='text/plain; charset=utf-8')


def slack_problem(payload):
    """What Slack answers to a bad payload (its own error words), or None."""
    if not isinstance(payload, dict):
        return 'invalid_payload'
    blocks = payload.get('blocks')
    if blocks is not None:
        if not isinstance(blocks, list) or len(blocks) > SLACK_MAX_BLOCKS:
            return 'invalid_blocks'
        for block in blocks:
            if not isinstance(block, dict) or not isinstance(block.get('type'), str):
                return 'invalid_blocks'
            text = block.get('text')
            if block['type'] == 'section' and (not isinstance(text, dict) or not isinstance(text.get('text'), str)
                                               or len(text['text']) > SLACK_MAX_SECTION):
                return 'invalid_blocks'
    if not isinstance(payload.get('text'), str) or not payload['text'].strip():
        return 'no_text'
    return None


def teams_problem(payload):
    if not isinstance(payload, dict):
        return 'the body is not a JSON object'
    if payload.get('@type') == 'MessageCard':
        return 'MessageCard is not supported by Workflows: send an Adaptive Card'
    if payload.get('type') != 'message':
        return 'type must be "message"'
    attachments = payload.get('attachments')
    if not isinstance(attachments, list) or not attachments:
        return 'attachments must be a non-empty list'
    for item in attachments:
        if not isinstance(item, dict) or item.get('contentType') != ADAPTIVE:
            return 'every attachment must have contentType %s' % ADAPTIVE
        card = item.get('content')
        if not isinstance(card, dict) or card.get('type') != 'AdaptiveCard' or not isinstance(card.get('version'), str):
            return 'content must be an AdaptiveCard with a version'
        body = card.get('body')
        if not isinstance(body, list) or not body or not all(isinstance(e, dict) and e.get('type') for e in body):
            return 'the card body must be a non-empty list of elements with a type'
    return None


class Notify(Vendor):
    name = 'notify'
    prefixes = (r'^/hooks/',)
    default_variants = {'notify_delay': 5}

    def seed(self, rng):
        self.received = []

    def handle(self, req):
        match = PATH.match(req.path)
        if not match or match.group('kind') not in KINDS or match.group('behaviour') not in BEHAVIOURS:
            return _text(404, 'no_service')
        kind, behaviour, token = match.group('kind'), match.group('behaviour'), match.group('token')
        if req.method != 'POST':
            return _text(405, 'method_not_allowed')
        try:
            payload = req.json()
        except ValueError:
            payload = None
        reply = self._answer(kind, behaviour, token, req, payload)
        self.received.append({'kind': kind, 'behaviour': behaviour, 'token': token, 'payload': payload,
                              'status': reply.status})
        return reply

    def _answer(self, kind, behaviour, token, req, payload):
        if behaviour == 'redirect':
            port = (req.headers.get('host') or '').rpartition(':')[2]
            return Reply(307, raw=b'', headers={'Location': 'http://localhost:%s/hooks/%s/ok/%s' % (port, kind, token)},
                         content_type='text/html')
        if behaviour == 'error':
            return Reply(500, raw=b'<html><body><h1>500 Internal Server Error</h1></body></html>',
                         content_type='text/html')
        if behaviour == 'invalid':
            return _text(400, 'invalid_payload')
        if 'json' not in (req.headers.get('content-type') or ''):
            reply = _text(400, 'invalid_payload') if kind == 'slack' else Reply(415, {'error': 'Content-Type must be JSON'})
        elif kind == 'slack':
            problem = slack_problem(payload)
            reply = _text(400, problem) if problem else _text(200, 'ok')
        elif kind == 'teams':
            problem = teams_problem(payload)
            reply = Reply(400, {'error': {'code': 'InvalidRequestContent', 'message': problem}}) if problem else \
                Reply(202, raw=b'')
        else:
            good = isinstance(payload, dict) and payload.get('change_id') and payload.get('event')
            reply = Reply(200, {'received': True}) if good else Reply(400, {'error': 'change_id and event are required'})
        if behaviour == 'slow':
            reply.delay = float(self.variant('notify_delay') or 0)
        return reply

    def control(self, req, action):
        if action == 'credentials':
            return Reply(200, {'env': {}})
        if action == 'received':
            return Reply(200, {'received': json.loads(json.dumps(self.received))})
        return Reply(404, {'error': 'unknown control action %s for notify (credentials, received)' % action})
