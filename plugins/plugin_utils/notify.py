# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change window's notifications, without I/O (controller side): what to tell, in which shape, and to whom.

``alertops.core.change_window_notify`` (the action plugin) sends; everything it decides is here, each rule a test
table in tests/unit/plugins/plugin_utils/test_notify.py:

* ``check_destinations`` checks the role's ``maintenance_window_notify`` (a list of ``{name, kind, url, required,
  timeout, events}``) before anything is sent; a message names the destination by its position and name, never by
  its URL (a webhook URL is its own credential).
* ``content`` turns what the phase returned (the role hands the registered results in, untouched) into one message:
  the console's summary, word for word, plus the numbers behind it (closed, closed by others, left open by reason,
  suppression in place, the verify verdict, the audit's path or URL). Nothing is counted in Jinja.
* ``payload`` renders it for a kind: Slack ``{"text", "blocks"}``; Microsoft Teams an Adaptive Card in a
  ``message`` envelope (what a Teams Workflows webhook takes, the replacement of the retired Office 365 connectors,
  which take it too); ``webhook`` a plain JSON document (``change_id``, ``event``, ``summary``, ``counts``, ...).
* ``plan_sends`` decides per destination: send, or skip (not one of its events; the same message was sent for this
  event before). What was sent is recorded per destination and event as a digest of the payload without the run's
  notes (``identity``, ``record_sent``),
  in the change's state under ``notifications``, so a rerun that changes nothing sends nothing and a rerun whose
  message differs (a write that now succeeded, a verify that is now healthy) sends the new one. No URL is recorded.
* ``check_answer`` reads the destination's answer (Slack answers ``ok``); ``secrets_of`` and ``describe`` keep the
  URL out of every message: a destination is shown as ``<name> (<kind>, <scheme>://<host>)``.

A message for a phase result that is missing or failed as a whole is None: nothing is sent for a phase that did not
record its work (a refused begin, an end that stopped before its record step).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

try:
    from urllib.parse import parse_qsl, urlsplit
except ImportError:  # pragma: no cover
    from urlparse import parse_qsl, urlsplit

from ansible_collections.alertops.core.plugins.module_utils import errors
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.plugin_utils import suppression as sup

KINDS = ('slack', 'teams', 'webhook')
EVENTS = ('begin', 'extend', 'plan', 'end', 'cancel')
FIELDS = ('name', 'kind', 'url', 'required', 'timeout', 'events')
DEFAULT_TIMEOUT = 10
MAX_TIMEOUT = 120
NAME_RULE = r'^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
_NAME = re.compile(NAME_RULE)
OPTION = 'maintenance_window_notify'
TITLES = {
    'begin': 'change window began',
    'extend': 'change window extended',
    'plan': 'change window planned (for approval)',
    'end': 'change window ended',
    'cancel': 'change window cancelled',
}
STATUS_WORDS = {'ok': '', 'failed': ' - writes FAILED', 'unhealthy': ' - verify: NOT HEALTHY',
                'in_place': ' - suppression STILL IN PLACE'}
SLACK_MAX_BLOCKS = 50
SLACK_MAX_SECTION = 3000
SLACK_MAX_HEADER = 150
ADAPTIVE = 'application/vnd.microsoft.card.adaptive'
ADAPTIVE_VERSION = '1.4'
PAYLOAD_VERSION = 1
TRUE = ('true', 'yes', 'on', '1')
FALSE = ('false', 'no', 'off', '0')


class NotifyError(errors.ValidationError):
    """maintenance_window_notify is wrong; nothing was sent."""


# -- options --------------------------------------------------------------------------------------------------
def _bool(value, where):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE + FALSE:
        return value.strip().lower() in TRUE
    raise NotifyError('%s: required must be true or false, got %r' % (where, value))


def url_problem(url):
    """What is wrong with a destination URL (a phrase after "url"), never quoting it, or None."""
    if not isinstance(url, str) or not url:
        return 'is required: the incoming webhook URL (a string)'
    if url != url.strip() or any(c.isspace() for c in url):
        return 'contains blanks'
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return 'is not a valid URL'
    if parts.scheme.lower() not in ('http', 'https'):
        return 'must start with https:// (or http://)'
    if not parts.hostname or (port is not None and port < 1):
        return 'has no host name' if not parts.hostname else 'has an invalid port'
    return None


def check_destinations(value):
    """The destinations, normalised (name, kind, url, required, timeout, events), or NotifyError."""
    if value in (None, ''):
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise NotifyError('%s must be a list of destinations ({kind, url, ...}), got a %s'
                          % (OPTION, type(value).__name__))
    out, names, per_kind = [], set(), {}
    for number, item in enumerate(value, 1):
        where = '%s[%d]' % (OPTION, number - 1)
        if not isinstance(item, dict):
            raise NotifyError('%s must be a dict ({kind, url, ...}), got a %s' % (where, type(item).__name__))
        if isinstance(item.get('name'), str) and item['name']:
            where += ' (%s)' % item['name'][:64]
        unknown = sorted(str(k) for k in item if k not in FIELDS)
        if unknown:
            raise NotifyError('%s: unknown field(s) %s; a destination has %s'
                              % (where, ', '.join(unknown), ', '.join(FIELDS)))
        kind = item.get('kind')
        if kind not in KINDS:
            raise NotifyError('%s: kind must be one of %s, got %r' % (where, ', '.join(KINDS), kind))
        problem = url_problem(item.get('url'))
        if problem:
            raise NotifyError('%s: url %s' % (where, problem))
        per_kind[kind] = per_kind.get(kind, 0) + 1
        name = item.get('name')
        if name in (None, ''):
            name = '%s-%d' % (kind, per_kind[kind])
        if not isinstance(name, str) or not _NAME.match(name):
            raise NotifyError('%s: name must match %s (it keys what was sent in the state file)' % (where, NAME_RULE))
        if name in names:
            raise NotifyError('%s: name %s is given twice: each destination needs its own name' % (where, name))
        names.add(name)
        timeout = item.get('timeout')
        timeout = DEFAULT_TIMEOUT if timeout in (None, '') else timeout
        try:
            timeout = float(timeout)
        except (TypeError, ValueError):
            timeout = None
        if timeout is None or isinstance(item.get('timeout'), bool) or not 0 < timeout <= MAX_TIMEOUT:
            raise NotifyError('%s: timeout must be a number of seconds greater than 0 and at most %d, got %r'
                              % (where, MAX_TIMEOUT, item.get('timeout')))
        events = item.get('events')
        if events in (None, '', []):
            events = list(EVENTS)
        elif isinstance(events, str):
            events = [events]
        if not isinstance(events, list) or any(e not in EVENTS for e in events):
            raise NotifyError('%s: events must be a list of %s, got %r' % (where, ', '.join(EVENTS), events))
        out.append({'name': name, 'kind': kind, 'url': item['url'],
                    'required': _bool(item.get('required', False), where), 'timeout': timeout,
                    'events': [e for e in EVENTS if e in events]})
    return out


# -- what to tell ---------------------------------------------------------------------------------------------
def _ran(result):
    """A registered result that ran and did not fail as a whole (else None)."""
    if not isinstance(result, dict) or not result or result.get('skipped') or result.get('failed'):
        return None
    return result


def _suppression(record, said=None):
    """The suppression's line (``said``: the console's own words for it, '' for none when the summary names it
    already; else the report's line) and what is in place."""
    if not record:
        return None
    return {'summary': sup.summary_line(record) if said is None else said,
            'in_place': list(record.get('in_place') or [])}


def _verify(result):
    if not result or 'healthy' not in result:
        return None
    return {'healthy': bool(result['healthy']), 'failing': len(result.get('failing') or []),
            'unverifiable': len(result.get('unverifiable') or []), 'summary': result.get('msg') or ''}


def _begin(results):
    begin = _ran(results.get('begin'))
    if not begin or not begin.get('state'):
        return None
    suppress = _ran(results.get('suppress'))
    state = (suppress or {}).get('state') or begin['state']
    record = (suppress or {}).get('record') or state.get('suppression')
    baseline = dict((p, len(ids or [])) for p, ids in sorted((state.get('baseline') or {}).items()))
    # the console's words without "kept from an earlier run": a rerun of begin tells the same, so it is not sent again
    summary = cw.begin_summary(state, state_file=begin.get('state_file'))
    # what begin's console says of the suppression (its record step's words), not the report's "STILL IN PLACE"
    said = '%s: suppression in place: %s' % (state.get('change_id'), '; '.join((record or {}).get('in_place') or [])
                                             or 'none')
    return {'summary': summary, 'counts': {'baseline': baseline, 'baseline_total': sum(baseline.values())},
            'suppression': _suppression(record, said), 'window': {'begin': state.get('begin_at'), 'end': None}}


def _end(results):
    record = _ran(results.get('record'))
    if not record or not record.get('summary') or not isinstance(record.get('audit'), dict):
        return None
    audit = record['audit']
    state = record.get('state') or {}
    counts = dict(audit.get('counts') or {})
    by_reason = dict((g['why'], g['count']) for g in audit.get('left_open_groups') or [])
    failures = list(record.get('failures') or [])
    counts['failed_writes'] = len(failures)
    return {'summary': record['summary'], 'counts': counts, 'left_open_by_reason': by_reason,
            'suppression': _suppression(state.get('suppression') or ((_ran(results.get('undo')) or {}).get('record'))),
            'verify': _verify(_ran(results.get('verify'))),
            'failures': failures, 'window': dict(audit.get('window') or {}),
            'audit': {'json': record.get('report_json'), 'html': record.get('report_html')},
            'check_mode': bool(audit.get('check_mode'))}


def _cancel(results):
    cancel = _ran(results.get('cancel'))
    if not cancel or not cancel.get('msg'):
        return None
    state = cancel.get('state') or {}
    return {'summary': cancel['msg'], 'counts': {'closed': 0},
            'suppression': _suppression(state.get('suppression')),
            'window': {'begin': state.get('begin_at'), 'end': state.get('end_at')}}


def _plan(results):
    """plan: the plan step's result (its ``summary`` is the console's line; ``plan`` what end would do)."""
    result = _ran(results.get('plan'))
    if not result or not result.get('summary') or not isinstance(result.get('plan'), dict):
        return None
    the_plan = result['plan']
    state = result.get('state') or {}
    record = state.get('suppression') or {}
    counts = {'to_close': len(the_plan.get('would_act') or []), 'closed': len(the_plan.get('closed') or []),
              'closed_by_others': len(the_plan.get('closed_by_others') or []),
              'left_open': len(the_plan.get('left_open') or [])}
    by_reason = dict((why, count) for why, count, _e, _c in cw.group_left_open(the_plan.get('left_open') or []))
    said = None
    if record and not record.get('undone_at'):
        said = 'Suppression to remove at end: %s.' % ('; '.join(sup.in_place(record)) or 'none')
    return {'summary': result['summary'], 'counts': counts, 'left_open_by_reason': by_reason,
            'suppression': _suppression(record if said else None, said),
            'audit': {'json': result.get('plan_file'), 'html': result.get('plan_html')},
            'window': {'begin': state.get('begin_at'), 'end': state.get('end_at')}}


def _extend(results):
    """extend: the record step's result (its ``msg`` is the console's line and names the suppression)."""
    result = _ran(results.get('extend'))
    if not result or not result.get('msg') or not isinstance(result.get('record'), dict):
        return None
    record = result['record']
    last = (record.get('extended') or [{}])[-1]
    state = result.get('state') or {}
    # the console's line is "<id>: suppression extended to <to>: <the record's line>" and then this run's notes
    # ("already extended ...: nothing to send" on a rerun): those are told, but do not make the message new
    summary, notes = result['msg'], []
    words = '%s: suppression extended to %s: %s' % (state.get('change_id') or record.get('change_id'), last.get('to'),
                                                    sup.summary_line(record))
    if last.get('to') and summary.startswith(words) and summary != words:
        summary, notes = words, [summary[len(words):].strip()]
    return {'summary': summary, 'notes': notes, 'counts': {}, 'suppression': _suppression(record, ''),
            'window': {'begin': state.get('begin_at'), 'end': state.get('end_at')},
            'extended': {'from': last.get('from'), 'to': last.get('to')}}


BUILDERS = {'begin': _begin, 'end': _end, 'cancel': _cancel, 'plan': _plan, 'extend': _extend}


def content(event, change_id, results, audit_url=None):
    """The message of ``event`` from the phase's registered results ({step: result}), or None when the phase recorded
    nothing to tell. Deterministic: the same results give the same message (no clock, no order of dict keys)."""
    if event not in EVENTS:
        raise NotifyError('event must be one of %s, got %r' % (', '.join(EVENTS), event))
    told = BUILDERS[event](results or {})
    if told is None:
        return None
    told = dict(told, change_id=change_id, event=event)
    audit = dict(told.get('audit') or {})
    if audit_url:
        audit['url'] = audit_url
    told['audit'] = audit or None
    told['status'] = _status(told)
    told['title'] = '%s: %s%s' % (change_id, TITLES[event], STATUS_WORDS[told['status']])
    told['notes'] = list(told.get('notes') or [])
    told['lines'] = _lines(told) + told['notes']
    return told


def _status(told):
    if told.get('failures'):
        return 'failed'
    if told.get('verify') and not told['verify']['healthy']:
        return 'unhealthy'
    suppression = told.get('suppression') or {}
    if told['event'] in ('end', 'cancel') and suppression.get('in_place'):
        return 'in_place'
    return 'ok'


def _lines(told):
    """The text lines of the message: the console's summary first, then the suppression, the verify verdict and the
    audit (each in the words the console prints)."""
    lines = [told['summary']]
    if (told.get('suppression') or {}).get('summary'):
        lines.append(told['suppression']['summary'])
    if told.get('verify'):
        lines.append(told['verify']['summary'])
    if told.get('failures'):
        lines.append('%d write(s) failed: %s' % (len(told['failures']), '; '.join(told['failures'])))
    audit = told.get('audit') or {}
    if audit.get('url'):
        lines.append('Audit: %s' % audit['url'])
    elif audit.get('json') and 'Audit: ' not in told['summary']:
        lines.append('Audit: %s' % (audit.get('html') or audit['json']))
    return lines


# -- how to tell it -------------------------------------------------------------------------------------------
def _slack_escape(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def _cut(text, limit):
    return text if len(text) <= limit else text[:limit - 3] + '...'


def _facts(told):
    """(title, value) pairs of the numbers, in a fixed order."""
    counts = told.get('counts') or {}
    facts = []
    for key, title in (('closed', 'Closed'), ('acknowledged', 'Acknowledged'), ('closed_by_others', 'Closed by others'),
                       ('left_open', 'Left open'), ('failed_writes', 'Failed writes'),
                       ('log360_alerts', 'Log360 alerts'), ('baseline_total', 'Open at begin (baseline)')):
        if key in counts and not (key in ('acknowledged', 'failed_writes') and not counts[key]):
            facts.append((title, str(counts[key])))
    for why, count in sorted((told.get('left_open_by_reason') or {}).items()):
        facts.append(('Left open: %s' % why, str(count)))
    if told.get('suppression'):
        facts.append(('Suppression in place', '; '.join(told['suppression']['in_place']) or 'none'))
    if told.get('verify'):
        facts.append(('Verify', 'healthy' if told['verify']['healthy'] else
                      'NOT healthy (%d failing)' % told['verify']['failing']))
    return facts


def slack_payload(told):
    text = '\n'.join([told['title']] + told['lines'])
    blocks = [{'type': 'header', 'text': {'type': 'plain_text', 'text': _cut(told['title'], SLACK_MAX_HEADER)}}]
    for line in told['lines'][:SLACK_MAX_BLOCKS - 2]:
        blocks.append({'type': 'section', 'text': {'type': 'mrkdwn', 'text': _cut(_slack_escape(line), SLACK_MAX_SECTION)}})
    facts = _facts(told)
    if facts:
        blocks.append({'type': 'section', 'text': {'type': 'mrkdwn', 'text': _cut('\n'.join(
            '*%s:* %s' % (_slack_escape(t), _slack_escape(v)) for t, v in facts), SLACK_MAX_SECTION)}})
    return {'text': _slack_escape(text), 'blocks': blocks}


def teams_payload(told):
    body = [{'type': 'TextBlock', 'text': told['title'], 'weight': 'Bolder', 'size': 'Medium', 'wrap': True}]
    body.extend({'type': 'TextBlock', 'text': line, 'wrap': True} for line in told['lines'])
    facts = _facts(told)
    if facts:
        body.append({'type': 'FactSet', 'facts': [{'title': t, 'value': v} for t, v in facts]})
    card = {'$schema': 'http://adaptivecards.io/schemas/adaptive-card.json', 'type': 'AdaptiveCard',
            'version': ADAPTIVE_VERSION, 'body': body}
    return {'type': 'message', 'attachments': [{'contentType': ADAPTIVE, 'contentUrl': None, 'content': card}]}


def webhook_payload(told):
    keys = ('change_id', 'event', 'status', 'title', 'summary', 'lines', 'notes', 'counts', 'left_open_by_reason',
            'suppression', 'verify', 'failures', 'audit', 'window', 'extended')
    out = dict((k, told.get(k)) for k in keys)
    out['version'] = PAYLOAD_VERSION
    return out


PAYLOADS = {'slack': slack_payload, 'teams': teams_payload, 'webhook': webhook_payload}


def payload(kind, told):
    return PAYLOADS[kind](told)


def digest(document):
    """A digest of a payload (canonical JSON): what the state records instead of the message."""
    text = json.dumps(document, sort_keys=True, separators=(',', ':'), ensure_ascii=True)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]


def identity(kind, told):
    """The digest that says whether a message is new: the payload without this run's notes (a rerun's "already
    extended: nothing to send" does not make the same extension news)."""
    notes = told.get('notes') or []
    bare = dict(told, notes=[], lines=told['lines'][:len(told['lines']) - len(notes)])
    return digest(payload(kind, bare))


# -- whom to tell ---------------------------------------------------------------------------------------------
def plan_sends(destinations, event, digests, sent):
    """[(destination, 'send' | 'skip', why)] for ``event``: ``digests`` {name: identity of its message}, ``sent``
    the state's ``notifications`` ({name: {event: {"digest", "at", "kind"}}})."""
    out = []
    for dest in destinations:
        if event not in dest['events']:
            out.append((dest, 'skip', 'not told of %s (events: %s)' % (event, ', '.join(dest['events']))))
            continue
        before = ((sent or {}).get(dest['name']) or {}).get(event) or {}
        if before.get('digest') == digests[dest['name']]:
            out.append((dest, 'skip', 'already told (the same message was sent at %s)' % before.get('at')))
            continue
        out.append((dest, 'send', 'changed since the last message' if before else 'not told yet'))
    return out


def record_sent(sent, dest, event, identity_digest, at):
    """``sent`` with ``dest`` told of ``event`` (the identity of the message) at ``at`` (ISO 8601)."""
    out = dict((k, dict(v)) for k, v in (sent or {}).items() if isinstance(v, dict))
    out.setdefault(dest['name'], {})[event] = {'digest': identity_digest, 'at': at, 'kind': dest['kind']}
    return out


def check_answer(kind, status, text):
    """None when the destination took the message, else why not (its own words). Slack answers ``ok``."""
    if not 200 <= int(status) < 300:
        return 'HTTP %s' % status
    if kind == 'slack' and (text or '').strip() not in ('', 'ok'):
        return 'Slack answered HTTP %s %r instead of "ok"' % (status, _cut((text or '').strip(), 100))
    return None


# -- secrets ----------------------------------------------------------------------------------------------------
def secrets_of(url):
    """What of a destination URL is secret: each path segment that looks like a token (it has a digit, or it is 16
    characters or longer: Slack's T../B../xxxx, a Teams webhook's GUIDs), each query value (a Teams Workflows
    ``sig=``), and any userinfo. Not the host (messages name it), nor the words of the path (``services``, ``hooks``):
    masking their 8-character pieces would mask those words wherever they are written. A URL quoted whole shows
    with its tokens masked."""
    if not isinstance(url, str) or not url:
        return []
    found = list(errors.url_secrets(url))
    try:
        parts = urlsplit(url)
    except ValueError:
        return found + [url]
    found.extend(seg for seg in parts.path.split('/') if len(seg) >= errors.MIN_SECRET
                 and (len(seg) >= 16 or any(c.isdigit() for c in seg)))
    found.extend(v for _k, v in parse_qsl(parts.query, keep_blank_values=True) if len(v) >= errors.MIN_SECRET)
    return found


def describe(dest):
    """How a destination is shown: ``<name> (<kind>, <scheme>://<host>[:port])``; never the path or the query."""
    try:
        parts = urlsplit(dest['url'])
        where = '%s://%s' % (parts.scheme, parts.netloc.rsplit('@', 1)[-1])
    except (ValueError, TypeError, AttributeError):
        where = 'an invalid URL'
    return '%s (%s, %s)' % (dest['name'], dest['kind'], where)
