# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpsRamp Alerts API v2 client: OAuth2 client_credentials, alert search, get, occurrences, actions.

Every OpsRamp quirk lives here:

* OAuth2 ``client_credentials`` on ``/tenancy/auth/oauth/token`` (newer) or ``/auth/oauth/token`` (older; tried when
  the configured path answers 404); ``expires_in`` as a number or a string; one token per client, shared by every
  thread, refreshed before it expires or once after a 401/407 (the transport's ``auth`` hook). Every issued token is
  registered as a secret, so it is masked in every message and in everything a module returns.
* ``queryString`` built from a dict (``key:value`` joined by ``+``; list values joined by ``,``) and encoded here, not by
  requests: the field separator ``+`` goes out as ``%2B`` and a space as ``%20`` (requests would send a space as ``+``,
  which a server reads back as a field separator).
* Times in answers as ``yyyy-MM-ddTHH:mm:ss+0000`` (GMT), or with any other ``±HHMM`` offset (or ``Z``): scheduled
  maintenance answers carry the window's own zone (``+0530`` for Asia/Calcutta); times inside ``queryString`` in the
  documented space form
  ``yyyy-MM-ddTHH:mm:ss 0000`` (every OpsRamp example writes it so; a server that splits the decoded queryString on
  every ``+`` would read ``+0000`` as a new field).
* Alert action names: the current API reference spells ``unAcknowledge`` and ``unSuppress`` (and adds ``heal``); the
  2021 spec and older docs ``unsuppress`` / ``unacknowledge``. The current spelling is sent first; a 400/404 answer
  to it makes the client try the legacy spelling once, and the spelling that worked is kept for the rest of the run.
* Error bodies: ``{"error", "error_description"}`` (auth, throttling), ``{"code", "message"}`` objects and
  ``[{"code", "fieldName", "message"}]`` arrays.
* Search: page-number paging over a live newest-first list (items shift between pages: de-duplicated on uniqueId).
* Scheduled maintenance: ``/suspend`` takes ``{"pattern": "now"}`` and works on Active windows only, like ``/end``;
  a Pending window can only be deleted; ``runEscalationAction`` (default true) is read back from that key or from
  the GET spelling ``runEscalateAction``; the search's ``queryString`` is encoded like the alert search's.
* Occurrences: newest first, paged by moving ``endTime``; complete and exact at timestamp ties whether the server
  treats ``endTime`` as inclusive or exclusive (see ``OccurrenceWalker``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import json
import re
import threading
import time

from ansible_collections.alertops.core.plugins.module_utils import alerts, bulk, claims, errors, pager, timeutil, transport
from ansible_collections.alertops.core.plugins.module_utils.ids import check_id, segment
from ansible_collections.alertops.core.plugins.module_utils.options import check_required

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported
    from urllib import quote

PLATFORM = 'opsramp'
DEFAULT_TOKEN_PATH = '/tenancy/auth/oauth/token'
LEGACY_TOKEN_PATH = '/auth/oauth/token'
PAGE_SIZE = 100            # OpsRamp's documented maximum per page
TOKEN_MARGIN = 60.0        # refresh this many seconds before the token expires
DEFAULT_EXPIRES_IN = 3600.0
MAX_ACTION_ROUNDS = 4
ANSWER_KEY = '_answer'     # what apply keeps of an action's answer on the alert it returns (answered_at, closed_at)
TIME_FORMAT = '%Y-%m-%dT%H:%M:%S+0000'
QUERY_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S 0000'   # the documented queryString form (the offset after a space)
_VENDOR_TIME = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)$')

# queryString variables of GET .../alerts/search (OpsRamp Alerts API v2)
QUERY_KEYS = ('states', 'startDate', 'endDate', 'priority', 'uniqueId', 'deviceStatus', 'resourceType', 'resourceIds',
              'actions', 'alertTypes', 'metrics', 'duration', 'alertTimeBase', 'clientIds', 'ticketId', 'apps')
TIME_QUERY_KEYS = ('startDate', 'endDate')

# module state -> (action path segment in the current API reference, flag, flag value wanted)
STATES = {
    'acknowledged': ('acknowledge', 'acknowledged', True),
    'unacknowledged': ('unAcknowledge', 'acknowledged', False),
    'suppressed': ('suppress', 'suppressed', True),
    'unsuppressed': ('unSuppress', 'suppressed', False),
    'healed': ('heal', 'healed', True),
    'closed': ('close', 'closed', True),
}
# current spelling -> the legacy one (2021 spec: unsuppress; older docs: unacknowledge), tried once on 400/404
LEGACY_ACTIONS = {'unAcknowledge': 'unacknowledge', 'unSuppress': 'unsuppress'}
FLAGS = ('acknowledged', 'suppressed', 'closed', 'healed')
# every queryString ``actions`` value of an alert that is not closed: under either reading of OPEN (any alert not
# closed, or only the ones nobody acted on) this list selects exactly the alerts that are not closed
NOT_CLOSED_ACTIONS = ('OPEN', 'ACKNOWLEDGED', 'SUPPRESSED', 'TICKETED')
NORMALISED_FIELDS = ('created_at', 'updated_at')
HEALED_STATES = ('ok', 'healed')

HINTS = {
    400: 'The request was rejected; check the options (query keys and values, times, snooze_duration)',
    401: 'The credential was rejected: check client_id and client_secret (OPSRAMP_CLIENT_ID, OPSRAMP_CLIENT_SECRET) of '
         'the Custom Integration, or the static token (OPSRAMP_TOKEN), which may have expired',
    403: 'The integration lacks the permission this operation needs (alert actions need alerts manage permission) or '
         'has no access to this tenant (check tenant_id)',
    404: 'The alert does not exist (check the id), or tenant_id is wrong',
    407: 'The token expired and could not be renewed: check the credentials',
    410: 'The tenant is unavailable or deactivated (check tenant_id)',
}


def describe_error(response):
    """(vendor text, hint) of an OpsRamp error answer in any of its shapes."""
    try:
        data = json.loads(response.text)
    except ValueError:
        data = None
    text = _error_text(data)
    if text is None:
        text = response.excerpt(300) or None  # redacted, then cut
    hint = HINTS.get(response.status)
    if 'token' in (getattr(response, 'operation', '') or ''):
        if response.status in (400, 401):
            hint = ('The token endpoint rejected the client credentials: check client_id and client_secret '
                    '(OPSRAMP_CLIENT_ID, OPSRAMP_CLIENT_SECRET) of the Custom Integration (inbound OAUTH2)')
        elif response.status == 404:
            hint = ('Neither %s nor %s exists at this url: check url (OPSRAMP_URL) and token_path'
                    % (DEFAULT_TOKEN_PATH, LEGACY_TOKEN_PATH))
    return text, hint


def _error_text(data):
    if isinstance(data, list):
        parts = [_error_text(d) for d in data]
        parts = [p for p in parts if p]
        return '; '.join(parts) or None
    if not isinstance(data, dict):
        return None
    if 'error' in data or 'error_description' in data:
        err, desc = data.get('error'), data.get('error_description')
        return ': '.join(str(p) for p in (err, desc) if p) or None
    if 'message' in data or 'code' in data:
        text = str(data.get('message') or '')
        if data.get('fieldName'):
            text = '%s: %s' % (data['fieldName'], text)
        if data.get('code'):
            text = '%s (code %s)' % (text, data['code'])
        return text.strip() or None
    return None


# -- times and query strings -------------------------------------------------------------------------------------
def format_time(epoch):
    """Epoch seconds -> ``yyyy-MM-ddTHH:mm:ss+0000`` (GMT), the format of OpsRamp's answers."""
    return time.strftime(TIME_FORMAT, time.gmtime(int(epoch)))


def query_time(epoch):
    """Epoch seconds -> ``yyyy-MM-ddTHH:mm:ss 0000`` (GMT), the form every documented queryString example uses."""
    return time.strftime(QUERY_TIME_FORMAT, time.gmtime(int(epoch)))


def encode_params(params):
    """The query string of a GET, encoded here: ``+`` -> ``%2B``, space -> ``%20`` (never ``+``), ``:`` and ``,`` kept."""
    return '&'.join('%s=%s' % (quote(str(k), safe=''), quote(str(v), safe=':,')) for k, v in params)


def to_epoch_second(value, option, now=None):
    """Any timeutil input (ISO 8601, epoch s/ms, relative) -> whole epoch seconds (OpsRamp has 1 s granularity)."""
    return int(timeutil.to_epoch(value, option, now=now))


def check_range(start, end):
    timeutil.check_range(start, end)


def _query_value(key, value):
    if isinstance(value, (list, tuple)):
        return ','.join(_query_value(key, v) for v in value)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if key in TIME_QUERY_KEYS:
        return query_time(to_epoch_second(value, 'query.%s' % key))
    text = str(value)
    if '+' in text:
        raise errors.ValidationError('option query.%s: %r contains "+", which OpsRamp reads as the separator of '
                                     'queryString fields' % (key, text))
    return text


def build_query_string(query):
    """``{'states': ['Critical', 'Warning'], 'priority': 'P1'}`` -> ``states:Critical,Warning+priority:P1``.

    Keys are checked against OpsRamp's queryString variables (unknown -> ValidationError listing the valid ones).
    Dates are written in the documented space form; ``encode_params`` sends ``+`` as ``%2B`` and spaces as ``%20``.
    """
    if not query:
        return None
    if not isinstance(query, dict):
        raise errors.ValidationError('option query must be a dictionary of queryString variables, got %r' % (query,))
    unknown = sorted(str(k) for k in query if k not in QUERY_KEYS)
    if unknown:
        raise errors.ValidationError('option query: unknown key(s) %s; valid keys are %s'
                                     % (', '.join(unknown), ', '.join(QUERY_KEYS)))
    parts = []
    for key in QUERY_KEYS:  # a stable order
        if key in query and query[key] is not None and query[key] != '' and query[key] != []:
            parts.append('%s:%s' % (key, _query_value(key, query[key])))
    return '+'.join(parts) or None


def check_alert_id(alert_id, option='id'):
    return check_id(alert_id, option, PLATFORM, 'OpsRamp alert id')


def split_time(text):
    """OpsRamp time text -> (its wall-clock time read as if UTC, its offset in seconds), None when unreadable.

    ``2017-06-16T05:38:10+0000``, ``2024-03-01T10:00:00+0530``, ``...-0500``, ``...+05:30``, ``...Z``, fractions."""
    match = _VENDOR_TIME.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    parts = tuple(int(g) for g in match.groups()[:6])
    if not (1 <= parts[1] <= 12 and 1 <= parts[2] <= 31 and parts[3] <= 23 and parts[4] <= 59 and parts[5] <= 60):
        return None
    offset = match.group(7)
    if offset == 'Z':
        return calendar.timegm(parts), 0
    digits = offset[1:].replace(':', '')
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    return calendar.timegm(parts), (-1 if offset[0] == '-' else 1) * (hours * 3600 + minutes * 60)


def parse_time(text):
    """OpsRamp time text -> epoch seconds (any ``±HHMM`` offset or ``Z``), None when unreadable."""
    parts = split_time(text)
    if parts:
        return parts[0] - parts[1]
    return timeutil.parse_vendor(text)


def occurrence_time(occurrence):
    return parse_time(occurrence.get('createdTimeString')) if isinstance(occurrence, dict) else None


def normalise_alert(alert):
    """The vendor alert plus ``created_at``/``updated_at`` in ISO 8601 UTC (a new dict)."""
    out = dict(alert)
    out['created_at'] = timeutil.to_iso(parse_time(alert.get('createdDate') or alert.get('alertTime')))
    out['updated_at'] = timeutil.to_iso(parse_time(alert.get('updatedTime')))
    return out


def normalise_occurrence(occurrence):
    out = dict(occurrence)
    text = occurrence.get('createdTimeString')
    if isinstance(text, str) and _VENDOR_TIME.match(text):
        out['created_at'] = text[:19] + 'Z'
    else:
        out['created_at'] = timeutil.to_iso(occurrence_time(occurrence))
    return out


def flags(alert):
    """The action flags of an alert; ``healed`` is its current state being Ok (what the ``heal`` action sets)."""
    out = dict((f, bool(alert.get(f))) for f in FLAGS if f != 'healed')
    out['healed'] = str(alert.get('currentState') or '').lower() == 'ok'
    return out


def predict(alert, flag, wanted):
    """The alert as OpsRamp shows it once an action set ``flag`` to ``wanted`` (healed: its current state is Ok)."""
    if flag == 'healed':
        return dict(alert, currentState='Ok') if wanted else dict(alert)
    return dict(alert, **{flag: wanted})


def not_closed_query(query):
    """``query`` (a dict) with ``actions`` set to every not-closed action, unless the caller set ``actions``."""
    query = dict(query or {})
    if query.get('actions') in (None, '', []):
        query['actions'] = list(NOT_CLOSED_ACTIONS)
    return query


def window_query(query, start=None, end=None):
    """``query`` with the window pushed in as ``startDate``/``endDate`` on the alerts' creation time.

    ``alertTimeBase:created`` is added (unless set): on the update time an alert opened inside the window but updated
    after its end would be left out. A bound the caller already set in ``query`` is kept.
    """
    query = dict(query or {})
    if start is None and end is None:
        return query
    if start is not None and query.get('startDate') in (None, ''):
        query['startDate'] = int(start)
    if end is not None and query.get('endDate') in (None, ''):
        query['endDate'] = int(end)
    if query.get('alertTimeBase') in (None, ''):
        query['alertTimeBase'] = 'created'
    return query


def opened_since_query(query, since):
    """``query`` narrowed to the alerts created since ``since`` (``startDate``) that are open (``actions:OPEN`` unless
    ``query`` sets ``actions``): the change window's suppression step reads these."""
    query = dict(query or {}, startDate=since)
    query.setdefault('actions', 'OPEN')
    return query


def search_query(query, start=None, end=None, with_closed=True, options=('start_time', 'end_time')):
    """The search filters of ``query`` with the window (``start``/``end``, given as ``options``) and, without
    ``with_closed``, the not-closed actions pushed in; checked (a bound in both places, unknown keys) before anything
    is sent."""
    query = dict(query or {})
    for option, key, value in ((options[0], 'startDate', start), (options[1], 'endDate', end)):
        if value is not None and key in query:
            raise errors.ValidationError('option %s and query.%s are the same filter; set only one' % (option, key))
    query = window_query(query, start, end)
    if not with_closed:
        query = not_closed_query(query)
    build_query_string(query)  # unknown keys fail here
    return query


def normalise(alert):
    """The collection-wide normalised alert model (module_utils/alerts.py) of an OpsRamp alert."""
    device = alert.get('device') or alert.get('resource') or {}
    source = device.get('name') or device.get('hostName') or device.get('resourceName') or ''
    closed = bool(alert.get('closed'))
    closed_at = None
    history = alert.get('statusHistory') or {}
    if closed:
        closed_at = timeutil.parse_vendor(history.get('closedTime') or alert.get('updatedTime'))
    return alerts.make_alert(PLATFORM, alert.get('uniqueId'), closed, alert.get('currentState'), alert.get('subject'),
                             source, timeutil.parse_vendor(alert.get('createdDate') or alert.get('alertTime')),
                             closed_at, dict((k, v) for k, v in alert.items() if k not in NORMALISED_FIELDS),
                             close_reason=action_description(alert), closed_by=history.get('closedBy'),
                             acknowledged=alert.get('acknowledged'), host_id=device.get('id'),
                             state=alert.get('currentState'), healed=is_healed(alert), metric=alert.get('metric'))


def is_healed(alert):
    """The condition is back to normal: current state Ok (what the ``heal`` action sets) or Healed."""
    return str(alert.get('currentState') or '').lower() in HEALED_STATES


def model_window(opened_after, opened_before):
    """(start, end) epoch seconds of the lookup's window options, each None when not given."""
    start = timeutil.to_epoch(opened_after, 'opened_after') if opened_after not in (None, '') else None
    end = timeutil.to_epoch(opened_before, 'opened_before') if opened_before not in (None, '') else None
    timeutil.check_range(start, end, 'opened_after', 'opened_before')
    return start, end


def keeps(alert, start=None, end=None, with_closed=False):
    """Whether a normalised alert passes the lookup's filters: open (unless ``with_closed``), opened in the window."""
    if alert['status'] == 'closed' and not with_closed:
        return False
    opened = timeutil.parse_vendor(alert['opened_at'])
    if start is not None and (opened is None or opened < int(start)):
        return False
    if end is not None and (opened is None or opened > end):
        return False
    return True


def action_description(alert):
    """The description sent with the alert's last action, where the server gives it back (INFERENCE: the v2 spec
    documents the request field only; the bundled simulator returns it as ``lastActionDescription``). None otherwise."""
    text = alert.get('lastActionDescription')
    return text if isinstance(text, str) and text else None


def occurrence_to_model(alert_id, occurrence):
    """The normalised alert model of one occurrence (an occurrence is a raw alert that was folded into ``alert_id``)."""
    raw = dict((k, v) for k, v in occurrence.items() if k != 'created_at')
    return alerts.make_alert(PLATFORM, occurrence.get('uniqueId') or alert_id, False, occurrence.get('currentState'),
                             occurrence.get('subject'), '', occurrence_time(occurrence), None, raw,
                             state=occurrence.get('currentState'), healed=is_healed(occurrence),
                             metric=occurrence.get('metric'))


# -- auth --------------------------------------------------------------------------------------------------------
class OAuth2Auth:
    """The transport's ``auth`` hook: one Bearer token per client, shared by all threads.

    ``headers()`` fetches a token the first time and again shortly before it expires; ``refresh()`` (called by the
    transport after a 401/407) fetches a new one, once per token: threads that failed with the same old token share
    the one refresh. A static token cannot be refreshed, so ``refresh()`` then returns False and the 401 stands.
    """

    def __init__(self, client_id=None, client_secret=None, token_path=DEFAULT_TOKEN_PATH, static_token=None,
                 clock=time.time):
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_path = token_path or DEFAULT_TOKEN_PATH
        self.static_token = static_token
        self.transport = None
        self.clock = clock
        self.token = static_token
        self.expires_at = None
        self.issued = 0
        self._lock = threading.RLock()
        self._local = threading.local()

    def bind(self, transport_):
        self.transport = transport_

    def headers(self):
        if getattr(self._local, 'fetching', False):
            return {}
        with self._lock:
            if self.static_token is None and (self.token is None or
                                              (self.expires_at is not None and self.clock() >= self.expires_at)):
                self._fetch()
            token = self.token
        self._local.used = token
        return {'Authorization': 'Bearer %s' % token}

    def refresh(self):
        if self.static_token is not None or getattr(self._local, 'fetching', False):
            return False
        with self._lock:
            if self.token is not None and self.token != getattr(self._local, 'used', None):
                return True  # another thread already renewed the token this request used
            self._fetch()
            return True

    def _fetch(self):
        form = {'grant_type': 'client_credentials', 'client_id': self.client_id, 'client_secret': self.client_secret}
        paths = [self.token_path] + [p for p in (DEFAULT_TOKEN_PATH, LEGACY_TOKEN_PATH) if p != self.token_path]
        self._local.fetching = True
        try:
            response = None
            for index, path in enumerate(paths):
                accept = (404,) if index < len(paths) - 1 else ()
                response = self.transport.request('POST', path, 'get OAuth2 token', form=form, idempotent=True,
                                                  accept_statuses=accept)
                if response.status != 404:
                    if path != self.token_path:
                        self.token_path = path  # remember the path that works for the rest of the run
                    break
        finally:
            self._local.fetching = False
        data = response.json()
        token = data.get('access_token') if isinstance(data, dict) else None
        if not token:
            raise errors.ResponseError('the token endpoint answered without an access_token',
                                       operation='get OAuth2 token', status=response.status)
        self.transport.add_secret(token)
        try:
            expires_in = float(data.get('expires_in'))
        except (TypeError, ValueError):
            expires_in = DEFAULT_EXPIRES_IN
        self.token = token
        self.expires_at = self.clock() + max(expires_in - min(TOKEN_MARGIN, expires_in / 10.0), 1.0)
        self.issued += 1


# -- occurrences -------------------------------------------------------------------------------------------------
class OccurrenceWalker:
    """Walks an alert's occurrences (newest first) by moving ``endTime``, without loss or duplication.

    Invariant: every occurrence newer than the second ``X`` has been returned, none at or before ``X``. A page that
    may be cut short ends inside the group of its oldest second ``T``: its rows newer than ``T`` are complete (the
    server returns the newest first and only cuts at the bottom) and are returned; the ``T`` rows are held back
    and ``X`` becomes ``T``. The next query must include all of second ``X`` and nothing newer that was not yet
    returned:

    * while the endTime semantics are unknown it sends ``endTime = X + 1 s``: an exclusive server returns ``<= X``,
      an inclusive one ``<= X + 1`` (the ``X + 1`` rows are skipped, being already returned). A page holding rows
      at exactly its endTime proves the server inclusive; from then on it sends ``endTime = X``;
    * a tie group is therefore always read in full from one page, so genuinely identical occurrences are all kept
      and nothing is counted twice (no content-key guessing across pages is needed);
    * a second with more occurrences than fit on a page cannot be paged by time at all (the API has no finer
      cursor): the page's rows are returned, a warning says so, and the walk goes on below that second.

    ``endDate`` is not used as the cursor: in OpsRamp's own example it is earlier than the last row's
    ``createdTimeString``, and paging by it would skip the rows in between. Guards: an empty page ends the walk, a
    page not older than the cursor (endTime ignored) is an error, and pager refuses a repeated cursor.
    The user's range is applied client side too, so the result is the same under either server behaviour.
    """

    def __init__(self, client, alert_id, start=None, end=None, page_size=PAGE_SIZE):
        self.client = client
        self.alert_id = alert_id
        self.start = start
        self.end = end
        self.page_size = page_size
        self.x = end
        self.inclusive = None
        self.pages = 0
        self.warnings = []

    def first_cursor(self):
        return None if self.end is None else self.cursor_for(self.end)

    def cursor_for(self, x):
        return x if self.inclusive else x + 1

    def keep(self, t):
        return ((self.x is None or t <= self.x) and (self.start is None or t >= self.start)
                and (self.end is None or t <= self.end))

    def fetch(self, end_time):
        data = self.client.occurrence_page(self.alert_id, self.start, end_time, self.page_size)
        self.pages += 1
        rows = data['results']
        times = []
        for row in rows:
            t = occurrence_time(row)
            if t is None:
                raise errors.ResponseError('an occurrence has no readable createdTimeString: %r'
                                           % (row.get('createdTimeString') if isinstance(row, dict) else row,),
                                           operation=self.client.occ_operation(self.alert_id))
            times.append(int(t))
        if end_time is not None and not self.inclusive and any(t == end_time for t in times):
            self.inclusive = True
        more = bool(data.get('nextPage')) if 'nextPage' in data else len(rows) >= self.page_size
        if not rows or not more:
            return [r for r, t in zip(rows, times) if self.keep(t)], None
        oldest = min(times)
        if self.start is not None and oldest < self.start:
            return [r for r, t in zip(rows, times) if self.keep(t)], None  # went past startTime: done
        if self.x is not None and oldest > self.x:
            if end_time != self.cursor_for(self.x):
                return [], self.cursor_for(self.x)  # just learned the server is inclusive: ask again, tightly
            raise errors.ResponseError('occurrence paging did not advance: asked for endTime %s, got nothing older '
                                       'than %s' % (format_time(end_time), format_time(oldest)),
                                       operation=self.client.occ_operation(self.alert_id))
        if self.x is None or oldest < self.x:
            out = [r for r, t in zip(rows, times) if t > oldest and self.keep(t)]
            self.x = oldest
            return out, self.cursor_for(oldest)
        # oldest == X: nothing older than X on this page
        tight = end_time == self.cursor_for(self.x)
        if not tight:
            return [], self.cursor_for(self.x)  # just learned the server is inclusive: ask again, tightly
        out = [r for r, t in zip(rows, times) if t == self.x and self.keep(t)]
        self.warnings.append('more than %d occurrences share the second %s; OpsRamp cannot page within one second, '
                             'so only %d of them were returned' % (self.page_size - 1, format_time(self.x), len(out)))
        self.x -= 1
        return out, self.cursor_for(self.x)


class ActionWrites:
    """What an alert action is, for bulk.sync. Nothing is sent when the flag already has the wanted value, and a
    closed alert cannot be acted on. OpsRamp may answer without the alert, or without the flag (healed is its
    current state): the alert is predicted then. The change is claimed in the host's ledger (claims.py): when
    another run on this host already made it, the alert is re-read instead and the result is not changed."""

    def __init__(self, client, state, description, snooze_duration):
        self.client, self.state, self.description, self.snooze_duration = client, state, description, snooze_duration
        self.action, self.flag, self.wanted = STATES[state]

    def desired(self, alert):
        before = flags(alert)
        if before[self.flag] == self.wanted:
            return None
        if before['closed']:
            raise errors.ConflictError('alert %s is closed; OpsRamp cannot %s a closed alert (nothing was sent)'
                                       % (alert['uniqueId'], self.action),
                                       operation='%s alert %s' % (self.action, alert['uniqueId']))
        return bulk.Change(predict(alert, self.flag, self.wanted), (self.state,))

    def write(self, alert, change):
        try:
            answered = self.client.post_action(alert['uniqueId'], self.state, self.description, self.snooze_duration)
        except errors.HTTPError as exc:
            return self.refused(alert['uniqueId'], exc), ()
        after = dict(answered if answered is not None and self.flag in answered else change.after)
        answer = after[ANSWER_KEY] = {'answered_at': timeutil.to_iso(time.time())}
        if answered is not None and flags(after)['closed']:
            closed_time = (answered.get('statusHistory') or {}).get('closedTime')
            answer['closed_at'] = timeutil.to_iso(parse_time(closed_time)) if closed_time else None
        return after, change.parts

    def refused(self, alert_id, exc):
        """The alert when someone else got there first; a ConflictError when it was closed meanwhile; else ``exc``."""
        if exc.status in (401, 403, 404, 407, 429):
            raise exc
        current = self.client.get_alert(alert_id)
        now = flags(current)
        if now[self.flag] == self.wanted:
            return current
        if now['closed']:
            raise errors.ConflictError('alert %s was closed meanwhile; OpsRamp cannot %s a closed alert'
                                       % (alert_id, self.action),
                                       operation='%s alert %s' % (self.action, alert_id), status=exc.status,
                                       vendor=exc.vendor)
        raise exc

    def reread(self, alert):
        return self.client.get_alert(alert['uniqueId'])

    def done(self, current, _change):
        return flags(current)[self.flag] == self.wanted

    def claim(self, alert, _change):
        return self.client.claims.claim('%s|%s|%s' % (self.action, alert['uniqueId'],
                                                      alert.get('updatedTime') or alert.get('createdDate')))


# -- client ------------------------------------------------------------------------------------------------------
@errors.platform_scoped
class OpsRampClient:
    PLATFORM = PLATFORM

    def __init__(self, transport_, tenant_id, auth=None, ledger=None):
        self.transport = transport_
        self.tenant_id = tenant_id
        self.auth = auth
        self.action_spelling = {}  # current action name -> the spelling this server accepted (learned once per run)
        self.claims = ledger or claims.Ledger('%s|%s|%s' % (PLATFORM, getattr(transport_, 'base_url', ''), tenant_id))

    @classmethod
    def from_params(cls, params, on_secret=None, concurrency=None, **kwargs):
        tenant_id = check_id(params.get('tenant_id'), 'tenant_id', PLATFORM,
                             'OpsRamp tenant id (for example client_7; OPSRAMP_TENANT_ID)')
        check_required(PLATFORM, params)
        token = params.get('token')
        if token:
            auth = OAuth2Auth(static_token=token)
        else:
            auth = OAuth2Auth(params['client_id'], params['client_secret'], params.get('token_path'))
        kwargs.setdefault('pool_size', max(int(concurrency or 1), 10))
        secrets = [s for s in (params.get('client_secret'), token) if s]
        transport_ = transport.from_params(PLATFORM, params, params.get('url'), headers={'Accept': 'application/json'},
                                           auth=auth, secrets=secrets, on_secret=on_secret,
                                           describe_error=describe_error, **kwargs)
        auth.bind(transport_)
        return cls(transport_, tenant_id, auth)

    def _path(self, *parts):
        return '/api/v2/tenants/%s/alerts%s' % (segment(self.tenant_id, 'tenant_id', PLATFORM),
                                                ''.join('/' + quote(str(p), safe='') for p in parts))

    @staticmethod
    def occ_operation(alert_id):
        return 'list occurrences of alert %s' % alert_id

    # -- search -----------------------------------------------------------------------------------------------
    def iter_search_pages(self, query=None, max_items=None, page_size=PAGE_SIZE):
        """Pages of normalised alerts matching ``query`` (dict), by pageNo, de-duplicated on uniqueId."""
        query_string = build_query_string(query)
        seen = set()
        operation = 'search alerts'

        def fetch(page_no):
            page_no = page_no or 1
            params = [('pageNo', page_no), ('pageSize', page_size)]
            if query_string:
                params.append(('queryString', query_string))
            data = self.transport.request('GET', self._path('search'), operation, params=encode_params(params)).json()
            if isinstance(data, list):  # tolerate a bare list
                data = {'results': data, 'nextPage': False}
            if not isinstance(data, dict) or not isinstance(data.get('results'), list):
                raise errors.ResponseError('the search answer has no "results" array',
                                           operation=operation)
            out = []
            for alert in data['results']:
                uid = alert.get('uniqueId') if isinstance(alert, dict) else None
                if uid is None or uid in seen:
                    continue
                seen.add(uid)
                out.append(normalise_alert(alert))
            more = bool(data.get('nextPage')) and bool(data['results'])
            total_pages = data.get('totalPages')
            if more and isinstance(total_pages, int) and total_pages and page_no >= total_pages:
                more = False
            return out, (page_no + 1 if more else None)

        return pager.iter_pages(fetch, first_cursor=1, max_items=max_items, operation=operation)

    def search_alerts(self, query=None, max_items=None):
        return [a for page in self.iter_search_pages(query, max_items) for a in page]

    def collect_alerts(self, ids=None, query=None, opened_after=None, opened_before=None, with_closed=False,
                       max_items=None):
        """Alerts in the normalised model (the alerts lookup), at most ``max_items``.

        The server selects: the window goes into the query as ``startDate``/``endDate`` on the creation time, and
        unless ``with_closed`` the query asks for the not-closed actions; paging stops at ``max_items``. The same
        filters run here too, for a server that ignores a query field. With ``ids``: each alert read by id, filtered
        here.
        """
        start, end = self.check_alert_options(query, opened_after, opened_before)
        if ids:
            pages = [[self.get_alert_model(i) for i in ids]]
        else:
            query = window_query(query, start, end)
            query = query if with_closed else not_closed_query(query)
            pages = ([normalise(x) for x in page] for page in self.iter_search_pages(query=query))
        out = []
        for page in pages:
            out.extend(a for a in page if keeps(a, start, end, with_closed))
            if max_items is not None and len(out) >= max_items:
                break
        return out[:max_items] if max_items is not None else out

    @staticmethod
    def check_alert_options(query=None, opened_after=None, opened_before=None, **_others):
        """(start, end) of collect_alerts' window, its options checked before anything is sent (the EDA source
        checks at start)."""
        start, end = model_window(opened_after, opened_before)
        if query is not None and not isinstance(query, dict):
            raise errors.ValidationError('option query must be a dict of OpsRamp search variables for platform=opsramp')
        build_query_string(query)  # unknown keys fail here
        return start, end

    def get_alert_model(self, alert_id):
        """One alert read by id, in the normalised model (NotFoundError when OpsRamp does not know it)."""
        return normalise(self.get_alert(alert_id))

    def collect_occurrences(self, ids=None, start_time=None, end_time=None, opened_after=None, opened_before=None,
                            max_items=None):
        """Every occurrence of each alert of ``ids`` in the normalised model, newest first; ``start_time`` /
        ``end_time`` default to ``opened_after`` / ``opened_before``; ``max_items`` bounds each alert's walk."""
        if not ids:
            raise errors.ValidationError('occurrences=true needs the alert ids as terms')
        out = []
        for alert_id in ids:
            out.extend(occurrence_to_model(alert_id, o) for o in self.occurrences(
                alert_id, start_time=start_time or opened_after, end_time=end_time or opened_before,
                max_items=max_items))
        return out

    def get_alert(self, alert_id):
        alert_id = check_alert_id(alert_id)
        operation = 'get alert %s' % alert_id
        data = self.transport.request('GET', self._path(alert_id), operation).json()
        if not isinstance(data, dict) or 'uniqueId' not in data:
            raise errors.ResponseError('the answer is not an alert object', operation=operation)
        return normalise_alert(data)

    # -- resources --------------------------------------------------------------------------------------------
    def get_resource(self, resource_id):
        """``GET /api/v2/tenants/{tenantId}/resources/{resourceId}``: the resource (id, name, hostName,
        resourceType...); an unknown id answers 404 (NotFoundError)."""
        resource_id = check_id(resource_id, 'id', PLATFORM, 'OpsRamp resource id')
        operation = 'get resource %s' % resource_id
        data = self.transport.request('GET', '/api/v2/tenants/%s/resources/%s' % (
            segment(self.tenant_id, 'tenant_id', PLATFORM), quote(resource_id, safe='')), operation).json()
        if not isinstance(data, dict) or not data.get('id'):
            raise errors.ResponseError('the answer is not a resource object', operation=operation)
        return data

    def resources_info(self, ids, concurrency=8):
        """The resources of ``ids``, in order (unknown ids -> one ValidationError naming them all)."""
        ids = list(dict.fromkeys(check_id(i, 'id', PLATFORM, 'OpsRamp resource id') for i in ids))
        found = bulk.read_all(ids, self.get_resource, concurrency, noun='resource')
        return [found[i] for i in ids]

    # -- occurrences ------------------------------------------------------------------------------------------
    def occurrence_page(self, alert_id, start, end, page_size=PAGE_SIZE):
        parts = []
        if start is not None:
            parts.append('startTime:%s' % query_time(start))
        if end is not None:
            parts.append('endTime:%s' % query_time(end))
        params = [('pageSize', page_size)]
        if parts:
            params.append(('queryString', '+'.join(parts)))
        operation = self.occ_operation(alert_id)
        data = self.transport.request('GET', self._path(alert_id, 'occurrences'), operation,
                                      params=encode_params(params)).json()
        if not isinstance(data, dict) or not isinstance(data.get('results', []), list):
            raise errors.ResponseError('the occurrences answer has no "results" array',
                                       operation=operation)
        data.setdefault('results', [])
        return data

    def occurrence_walker(self, alert_id, start_time=None, end_time=None, now=None):
        alert_id = check_alert_id(alert_id)
        start = to_epoch_second(start_time, 'start_time', now) if start_time not in (None, '') else None
        end = to_epoch_second(end_time, 'end_time', now) if end_time not in (None, '') else None
        check_range(start, end)
        return OccurrenceWalker(self, alert_id, start, end)

    def iter_occurrences(self, walker, max_items=None):
        """Occurrences (normalised), newest first; ``walker`` from ``occurrence_walker`` (pages, warnings)."""
        for page in pager.iter_pages(walker.fetch, first_cursor=walker.first_cursor(), max_items=max_items,
                                     operation=self.occ_operation(walker.alert_id)):
            for occurrence in page:
                yield normalise_occurrence(occurrence)

    def occurrences(self, alert_id, start_time=None, end_time=None, max_items=None, walker=None):
        """Every occurrence (normalised, newest first); pass a ``walker`` to read its pages and warnings after."""
        walker = walker or self.occurrence_walker(alert_id, start_time, end_time)
        return list(self.iter_occurrences(walker, max_items))

    # -- actions ----------------------------------------------------------------------------------------------
    def post_action(self, alert_id, state, description=None, snooze_duration=None):
        """POST one action. Returns the alert from the answer, or None when the answer has no alert body.

        The current spelling goes first; when the server answers 400/404 to it and a legacy spelling exists, that is
        sent once. Whichever worked is used for the rest of the run (so a bulk action costs no extra request per
        alert). When both fail, the error names both answers.
        """
        action = STATES[state][0]
        body = {'description': description if description is not None else '%s by alertops.core' % action}
        if state == 'suppressed' and snooze_duration is not None:
            body['snoozeDuration'] = snooze_duration
        operation = '%s alert %s' % (action, alert_id)
        spelling = self.action_spelling.get(action, action)
        try:
            response = self.transport.request('POST', self._path(alert_id, 'actions', spelling), operation, json_body=body)
        except errors.HTTPError as exc:
            legacy = LEGACY_ACTIONS.get(action)
            if exc.status not in (400, 404) or legacy is None or action in self.action_spelling:
                raise
            try:
                response = self.transport.request('POST', self._path(alert_id, 'actions', legacy), operation,
                                                  json_body=body)
            except errors.HTTPError as second:
                exc.vendor = '%s; the legacy spelling %s answered HTTP %s%s' % (
                    exc.vendor or 'no error text', legacy, second.status, ': %s' % second.vendor if second.vendor else '')
                raise exc
            spelling = legacy
        self.action_spelling.setdefault(action, spelling)
        data = response.json(allow_empty=True)  # a 2xx with an unreadable body raises ResponseError (status 2xx)
        return normalise_alert(data) if isinstance(data, dict) and 'uniqueId' in data else None

    def apply(self, ids, state, description=None, snooze_duration=None, check_mode=False, concurrency=8,
              read_first=True):
        """Bring every alert of ``ids`` into ``state``, each action exactly once (bulk.sync); returns a dict for the
        module: ``alerts`` (per id in input order: id, changed, before and after flags, answered_at / closed_at when
        this run acted, failed and msg on failure), ``diff`` (flags of the changed alerts), ``failures`` (messages).

        Nothing is sent when the flag already has the wanted value; a closed alert cannot be acted on (that alert
        fails, nothing is sent for it). Unknown ids are found first (one GET each) and fail the task before anything
        is written. With ``read_first=False`` (ids listed open just before) nothing is read first: the action is sent,
        and an alert is read again only when OpsRamp refuses it.
        """
        ids = list(dict.fromkeys(check_alert_id(i) for i in ids))
        if read_first:
            found = bulk.read_all(ids, self.get_alert, concurrency)
        else:
            found = dict((i, {'uniqueId': i}) for i in ids)
        synced = bulk.sync([dict(found[i], uniqueId=i) for i in ids], key=lambda alert: alert['uniqueId'],
                           check_mode=check_mode, concurrency=concurrency,
                           **self._action_writes(state, description, snooze_duration))
        alerts, failures = [], []
        for item in synced.items:
            out = dict(id=item['key'], changed=item['changed'], before=flags(item['before']) if read_first else {},
                       after=flags(item['after']))
            if item['changed']:
                out.update(item['after'].get(ANSWER_KEY) or {})
            if item['error'] is not None:
                out.update(failed=True, msg=self.transport.redact(str(item['error'])))
                failures.append(out['msg'])
            alerts.append(out)
        diff = synced.diff(flags)
        if not read_first:  # a diff shows only what is known: nothing was read before the action
            diff['before'] = dict((key, {}) for key in diff['before'])
        return dict(alerts=alerts, diff=diff, failures=failures, todo=synced.todo)

    def _action_writes(self, state, description, snooze_duration):
        """bulk.sync's functions for an alert action (see ActionWrites)."""
        writes = ActionWrites(self, state, description, snooze_duration)
        return dict(desired=writes.desired, write=writes.write, reread=writes.reread, done=writes.done,
                    claim=writes.claim, rounds=MAX_ACTION_ROUNDS)

    # -- scheduled maintenance ----------------------------------------------------------------------------------
    def _sm_path(self, *parts):
        return '/api/v2/tenants/%s/scheduleMaintenances%s' % (segment(self.tenant_id, 'tenant_id', PLATFORM),
                                                              ''.join('/' + quote(str(p), safe='') for p in parts))

    def search_maintenances(self, name=None, status=None):
        """Every scheduled maintenance (normalised) matching ``name`` exactly (the server may match a substring)
        and, when given, ``status`` (Active, Pending, Suspended, Completed)."""
        query = []
        for key, value in (('name', name), ('status', status)):
            if value:
                if '+' in str(value):
                    raise errors.ValidationError('option %s: %r contains "+", which OpsRamp reads as the separator of '
                                                 'queryString fields' % (key, value))
                query.append('%s:%s' % (key, value))
        operation = 'search maintenances'

        def fetch(page_no):
            page_no = page_no or 1
            params = [('pageNo', page_no), ('pageSize', PAGE_SIZE)]
            if query:
                params.append(('queryString', '+'.join(query)))   # sent like the alert search: %2B and %20
            data = self.transport.request('GET', self._sm_path('search'), operation,
                                          params=encode_params(params)).json()
            if not isinstance(data, dict) or not isinstance(data.get('results'), list):
                raise errors.ResponseError('the search answer has no "results" array',
                                           operation=operation)
            more = bool(data.get('nextPage')) and bool(data['results'])
            return [normalise_maintenance(m) for m in data['results'] if isinstance(m, dict)], (page_no + 1 if more else None)

        found = [m for page in pager.iter_pages(fetch, first_cursor=1, operation=operation)
                 for m in page]
        return [m for m in found if (not name or m.get('name') == name)
                and (not status or str(m.get('status', '')).lower() == status.lower())]

    def get_maintenance(self, sm_id):
        operation = 'get maintenance %s' % sm_id
        data = self.transport.request('GET', self._sm_path(sm_id), operation).json()
        if isinstance(data, dict) and isinstance(data.get('results'), list) and data['results']:
            data = data['results'][0]   # the spec's schema wraps it; its example does not
        if not isinstance(data, dict) or 'uniqueId' not in data:
            raise errors.ResponseError('the answer is not a scheduled maintenance', operation=operation)
        return normalise_maintenance(data)

    def find_maintenance(self, name):
        """The one maintenance named ``name`` that is not Completed (read in full), else the newest Completed one,
        else None. Several live ones with that name -> ValidationError."""
        found = self.search_maintenances(name)
        live = [m for m in found if m.get('status') != 'Completed']
        if len(live) > 1:
            raise errors.ValidationError('option name: %d scheduled maintenances are named %r (%s); OpsRamp does not keep '
                                         'names unique: remove the extra ones (nothing was changed)'
                                         % (len(live), name, ', '.join(m['uniqueId'] for m in live)))
        pick = live or sorted(found, key=lambda m: m.get('createdTime') or '')[-1:]
        return self.get_maintenance(pick[0]['uniqueId']) if pick else None

    def _sm_post(self, operation, *parts, **kwargs):
        response = self.transport.request('POST', self._sm_path(*parts), operation, **kwargs)
        try:
            return response.json(allow_empty=True)
        except errors.ResponseError:
            return None

    def ensure_maintenance(self, name, state, spec=None, check_mode=False, now=None):
        """Bring the scheduled maintenance named ``name`` to ``state`` (present, absent, ended, suspended).

        present: create it, or update its schedule/description (POST .../{smId}, allowed on Pending windows) and its
        resources (POST/DELETE .../{smId}/resources, the only way to change them); a Suspended one is resumed.
        ended: an Active window is ended (/end); a Pending one-time window is deleted (OpsRamp ends and suspends
        Active windows only, so deleting is the only way to keep it from starting); a Pending recurring window (between
        occurrences), a Suspended or a Completed one is left as it is.
        suspended: /suspend with ``{"pattern": "now"}``, Active windows only (a Pending one -> ConflictError, nothing
        sent). absent: an Active window is ended first, then DELETE.
        Returns ``dict(changed, maintenance, before, after, actions)``.
        """
        now = time.time() if now is None else now
        existing = self.find_maintenance(name)
        before = maintenance_view(existing, spec) if existing else None
        actions = []
        status = (existing or {}).get('status')
        if state != 'present':
            if existing is None:
                return dict(changed=False, maintenance=None, before=None, after=None, actions=actions)
            if state == 'absent':
                if status == 'Active':
                    actions.append('end')
                actions.append('delete')
            elif state == 'ended':
                if status == 'Active':
                    actions.append('end')
                elif status == 'Pending' and existing.get('one_time'):
                    actions.append('delete')
            elif state == 'suspended':
                if status in ('Completed', 'Pending'):
                    raise errors.ConflictError(
                        'scheduled maintenance %s (%s) is %s; OpsRamp suspends Active windows only%s (nothing was sent)'
                        % (name, existing['uniqueId'], status, '' if status == 'Completed' else
                           ': use state=absent (or state=ended) to delete it so that it never starts'))
                if status == 'Active':
                    actions.append('suspend')
            after_status = {'end': 'Completed' if existing.get('one_time') else 'Pending', 'suspend': 'Suspended',
                            'delete': None}
            predicted = dict(existing, status=after_status[actions[-1]]) if actions else existing
            if actions and actions[-1] == 'delete':
                predicted = None
            if not actions or check_mode:
                return dict(changed=bool(actions), maintenance=predicted or existing, before=before,
                            after=maintenance_view(predicted, spec) if predicted else None, actions=actions)
            sm_id = existing['uniqueId']
            for action in actions:
                if action == 'delete':
                    self.transport.request('DELETE', self._sm_path(sm_id), 'delete maintenance %s' % sm_id,
                                           accept_statuses=(404,))
                else:
                    self._sm_post('%s maintenance %s' % (action, sm_id), sm_id, action,
                                  json_body=SUSPEND_NOW if action == 'suspend' else {})
            current = None if actions[-1] == 'delete' else self.get_maintenance(sm_id)
            return dict(changed=True, maintenance=current or existing, before=before,
                        after=maintenance_view(current, spec) if current else None, actions=actions)

        body = spec.body(existing)
        after = spec.view(body)
        if existing is None:
            spec.check_past(now)
            actions.append('create')
        else:
            if status == 'Completed':
                if before['schedule'] == after['schedule']:
                    return dict(changed=False, maintenance=existing, before=before, after=before, actions=actions)
                raise errors.ConflictError('scheduled maintenance %s (%s) is Completed and cannot be changed; use another '
                                           'name for a new window (nothing was changed)' % (name, existing['uniqueId']))
            if status == 'Suspended':
                actions.append('resume')
            if (before['schedule'] != after['schedule'] or before['description'] != after['description']
                    or before.get('run_escalation_action') != after.get('run_escalation_action')):
                if status == 'Active':
                    raise errors.ConflictError('scheduled maintenance %s (%s) is Active; OpsRamp changes the schedule of '
                                               'Pending windows only: end it (state=ended) or use another name (nothing '
                                               'was changed)' % (name, existing['uniqueId']))
                if before['schedule']['start'] != after['schedule']['start']:
                    spec.check_past(now)
                actions.append('update')
            add, remove = resource_delta(before['resources'], after['resources'])
            if add:
                actions.append('add resources')
            if remove:
                actions.append('remove resources')
        if check_mode or not actions:
            return dict(changed=bool(actions), maintenance=existing or dict(body, uniqueId=None), before=before,
                        after=after if actions else before, actions=actions)
        if existing is None:
            try:
                data = self._sm_post('create maintenance %s' % name, json_body=body)
            except errors.OutcomeUnknownError:
                # the create may have happened: look again (by name) before anything is repeated
                data = None
                if not [m for m in self.search_maintenances(name) if m.get('status') != 'Completed']:
                    data = self._sm_post('create maintenance %s' % name, json_body=body)
            sm_id = (data or {}).get('uniqueId') if isinstance(data, dict) else None
            if not sm_id:
                found = [m for m in self.search_maintenances(name) if m.get('status') != 'Completed']
                sm_id = found[0]['uniqueId'] if found else None
            if not sm_id:
                raise errors.ResponseError('the create answer carries no uniqueId and the window cannot be found by name',
                                           operation='create maintenance %s' % name)
        else:
            sm_id = existing['uniqueId']
            if 'resume' in actions:
                self._sm_post('resume maintenance %s' % sm_id, sm_id, 'resume', json_body={})
            if 'update' in actions:
                update = dict((k, v) for k, v in body.items() if k not in ('devices', 'deviceGroups', 'locations'))
                self._sm_post('update maintenance %s' % sm_id, sm_id, json_body=update)
            if add:
                self._sm_post('add resources to maintenance %s' % sm_id, sm_id, 'resources', json_body=add)
            if remove:
                self.transport.request('DELETE', self._sm_path(sm_id, 'resources'),
                                       'remove resources from maintenance %s' % sm_id, json_body=remove)
        current = self.get_maintenance(sm_id)
        return dict(changed=True, maintenance=current, before=before, after=spec.view(current, read=True),
                    actions=actions)


# an OpsRamp alert (searched, read or acted on) -> the normalised alert model. Set after the class: a pure
# function called for every alert of a listing needs no platform scope (platform_scoped wraps the class's methods).
OpsRampClient.to_model = staticmethod(normalise)


# -- scheduled maintenance helpers ---------------------------------------------------------------------------
SM_STATUSES = ('Active', 'Pending', 'Suspended', 'Completed')
MAX_SM_RESOURCES = 100
SM_PATTERNS = ('daily', 'weekly', 'monthly')
SM_WEEKDAYS = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
SM_TIME_BASES = ('local', 'gmt')
SUSPEND_NOW = {'pattern': 'now'}      # the body of /suspend (openapi-specs: pattern now | range)
ESCALATION_KEYS = ('runEscalationAction', 'runEscalateAction')   # the request's spelling, the GET answer's
DEFAULT_SM_TOLERANCE = 300


def check_timezone(name):
    """An IANA time zone name (``Europe/Berlin``), checked against the zoneinfo database before anything is sent."""
    text = str(name or '').strip()
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python < 3.9
        raise errors.ValidationError('option timezone needs Python 3.9 or later (zoneinfo) on the host running the '
                                     'module')
    try:
        if not text or text.startswith(('/', '.')) or '..' in text:
            raise ValueError(text)
        return text, ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise errors.ValidationError('option timezone: %r is not an IANA time zone name (for example UTC, '
                                     'Europe/Berlin, America/New_York); nothing was sent' % (name,))


def escalation_of(sm):
    """What a window says of ``runEscalationAction`` (either spelling), None when it says nothing."""
    for key in ESCALATION_KEYS:
        value = (sm or {}).get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ('true', 'false'):
            return value.lower() == 'true'
    return None


def wall_time(epoch, zone):
    """Epoch seconds -> ``yyyy-MM-ddTHH:mm:ss+0000`` of the wall-clock time in ``zone`` (the +0000 is formal)."""
    from datetime import datetime
    return datetime.fromtimestamp(int(epoch), zone).strftime('%Y-%m-%dT%H:%M:%S') + '+0000'


def from_wall_time(text, zone):
    """Inverse of wall_time (None when unreadable): ``+0000`` is formal, the wall-clock time in ``zone``; any other
    offset (the window's own, as the current API answers: ``+0530`` for Asia/Calcutta) or ``Z`` makes an instant."""
    from datetime import datetime
    parts = split_time(text)
    if parts is None:
        return None
    wall, offset = parts
    if offset != 0 or text.strip().endswith('Z'):
        return wall - offset
    local = datetime(*time.gmtime(wall)[:6], tzinfo=zone)
    return int(local.timestamp())


def normalise_maintenance(sm):
    out = dict(sm)
    schedule = sm.get('schedule') if isinstance(sm.get('schedule'), dict) else {}
    out['one_time'] = str(schedule.get('type', '')).lower().replace('_', '-') in ('one-time', 'onetime')
    return out


def resource_delta(have, want):
    """(body to add, body to remove) between the resources a window has and those wanted (``{kind: [values]}``)."""
    def body(pairs):
        out = {}
        for kind, value in pairs:
            field, key = RESOURCE_FIELDS[kind]
            out.setdefault(field, []).append({key: value})
        return out
    have_set = set((k, v) for k, values in have.items() for v in values)
    want_set = set((k, v) for k, values in want.items() for v in values)
    return body(sorted(want_set - have_set)), body(sorted(have_set - want_set))


RESOURCE_FIELDS = {'host': ('devices', 'hostName'), 'resource': ('devices', 'uniqueId'),
                   'device_group': ('deviceGroups', 'name'), 'location': ('locations', 'name')}


def maintenance_view(sm, spec=None):
    if sm is None:
        return None
    return spec.view(sm, read=True) if spec is not None else {
        'name': sm.get('name'), 'status': sm.get('status'), 'description': sm.get('description') or '',
        'schedule': sm.get('schedule')}


class MaintenanceSpec:
    """A wanted scheduled maintenance, validated before anything is sent."""

    def __init__(self, name, start=None, end=None, duration=None, timezone='UTC', description=None, hosts=None,
                 resource_ids=None, device_groups=None, locations=None, recurrence=None, run_escalation_action=None,
                 time_basis='local', tolerance=DEFAULT_SM_TOLERANCE, now=None):
        now = time.time() if now is None else now
        self.name = str(name or '').strip()
        if not self.name:
            raise errors.ValidationError('option name is required and must not be empty')
        self.timezone, self.zone = check_timezone(timezone or 'UTC')
        if time_basis not in SM_TIME_BASES:
            raise errors.ValidationError('option time_basis must be one of %s' % ', '.join(SM_TIME_BASES))
        self.time_basis = time_basis
        self.tolerance = int(tolerance)
        start_value = start if start not in (None, '') else 'now'
        self.start = to_epoch_second(start_value, 'start', now)
        if duration not in (None, '') and end not in (None, ''):
            raise errors.ValidationError('options duration and end are mutually exclusive')
        if end not in (None, ''):
            self.end = to_epoch_second(end, 'end', now)
            self.end_relative = timeutil.is_relative(end)
        elif duration not in (None, ''):
            self.end = self.start + int(timeutil.to_seconds(duration, 'duration', default_unit='m'))
            self.end_relative = True
        else:
            raise errors.ValidationError('one of the options end or duration is required')
        if self.end <= self.start:
            raise errors.ValidationError('option end (%s) must be after start (%s)'
                                         % (timeutil.to_iso(self.end), timeutil.to_iso(self.start)))
        self.start_relative = timeutil.is_relative(start_value)
        self.description = description or ''
        self.resources = {'host': sorted(set(hosts or [])), 'resource': sorted(set(resource_ids or [])),
                          'device_group': sorted(set(device_groups or [])), 'location': sorted(set(locations or []))}
        count = sum(len(v) for v in self.resources.values())
        if count == 0:
            raise errors.ValidationError('name at least one resource in hosts, resource_ids, device_groups or locations')
        if count > MAX_SM_RESOURCES:
            raise errors.ValidationError('options hosts, resource_ids, device_groups and locations name %d resources; '
                                         'OpsRamp accepts at most %d in one scheduled maintenance (nothing was sent)'
                                         % (count, MAX_SM_RESOURCES))
        self.pattern = self._pattern(recurrence)
        self.run_escalation_action = run_escalation_action

    @staticmethod
    def _pattern(recurrence):
        if not recurrence:
            return None
        kind = recurrence.get('type')
        if kind not in SM_PATTERNS:
            raise errors.ValidationError('option recurrence.type: %r; use %s' % (kind, ', '.join(SM_PATTERNS)))
        pattern = {'type': kind}
        if recurrence.get('weekdays'):
            names = dict((w.lower(), w) for w in SM_WEEKDAYS)
            bad = [w for w in recurrence['weekdays'] if str(w).lower() not in names]
            if bad:
                raise errors.ValidationError('option recurrence.weekdays: unknown day(s) %s' % ', '.join(map(str, bad)))
            pattern['weekDays'] = ','.join(sorted(set(names[str(w).lower()] for w in recurrence['weekdays']),
                                                  key=SM_WEEKDAYS.index))
        if recurrence.get('day_of_month') is not None:
            pattern['dayOfMonth'] = str(recurrence['day_of_month'])
        if kind == 'daily':
            pattern['dayFrequency'] = recurrence.get('day_frequency') or 'everyday'
        return pattern

    def fmt(self, epoch):
        return wall_time(epoch, self.zone) if self.time_basis == 'local' else format_time(epoch)

    def parse(self, text):
        return from_wall_time(text, self.zone) if self.time_basis == 'local' else parse_time(text)

    def body(self, existing=None):
        have = self.view(existing, read=True)['schedule'] if existing else {}
        start = self.start
        end = self.end
        if have.get('start') is not None and self.start_relative and abs(have['start'] - start) <= self.tolerance:
            start = have['start']
        if have.get('end') is not None and self.end_relative and abs(have['end'] - end) <= self.tolerance:
            end = have['end']
        schedule = {'type': 'Recurring' if self.pattern else 'One-Time', 'startTime': self.fmt(start),
                    'endTime': self.fmt(end), 'timezone': self.timezone}
        if self.pattern:
            schedule['pattern'] = dict(self.pattern)
        body = {'name': self.name, 'description': self.description, 'schedule': schedule}
        for kind, (field, key) in (('host', ('devices', 'hostName')), ('resource', ('devices', 'uniqueId')),
                                   ('device_group', ('deviceGroups', 'name')), ('location', ('locations', 'name'))):
            for value in self.resources[kind]:
                body.setdefault(field, []).append({key: value})
        if self.run_escalation_action is not None:
            body['runEscalationAction'] = bool(self.run_escalation_action)
        return body

    def view(self, sm, read=False):
        """Comparable view of a body (or, ``read``, of a maintenance read back from OpsRamp)."""
        schedule = sm.get('schedule') or {}
        kind = str(schedule.get('type') or '').lower().replace('_', '-')
        pattern = dict((k, v) for k, v in (schedule.get('pattern') or {}).items() if v not in (None, ''))
        view = {'name': sm.get('name'), 'description': sm.get('description') or '',
                'schedule': {'type': 'recurring' if kind == 'recurring' else 'one-time',
                             'start': self.parse(schedule.get('startTime')), 'end': self.parse(schedule.get('endTime')),
                             'timezone': schedule.get('timezone') or self.timezone, 'pattern': pattern or None}}
        if self.run_escalation_action is not None:
            # a server that does not say is taken to agree (nothing to compare); either spelling is read
            said = escalation_of(sm)
            view['run_escalation_action'] = bool(self.run_escalation_action) if said is None else said
        if read:
            resources = dict((k, set()) for k in RESOURCE_FIELDS)
            for device in sm.get('devices') or []:
                name = device.get('hostName') or (device.get('generalInfo') or {}).get('hostName')
                rid = device.get('id') or device.get('uniqueId')
                if rid and rid in self.resources['resource']:
                    resources['resource'].add(rid)   # named by id in the options
                elif name:
                    resources['host'].add(name)
                elif rid:
                    resources['resource'].add(rid)
            resources['device_group'].update(g.get('name') for g in sm.get('deviceGroups') or [])
            resources['location'].update(loc.get('name') for loc in sm.get('locations') or [])
            view['resources'] = dict((k, sorted(v)) for k, v in resources.items())
            view['status'] = sm.get('status')
        else:
            view['resources'] = dict((k, list(v)) for k, v in self.resources.items())
        return view

    def check_past(self, now):
        if self.start < now - self.tolerance:
            raise errors.ValidationError('option start (%s) lies %d minutes in the past; a scheduled maintenance may '
                                         'start at most %d seconds ago (past_tolerance); nothing was sent'
                                         % (timeutil.to_iso(self.start), (now - self.start) // 60, self.tolerance))
