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
* Times in answers as ``yyyy-MM-ddTHH:mm:ss+0000`` (GMT); times inside ``queryString`` in the documented space form
  ``yyyy-MM-ddTHH:mm:ss 0000`` (every OpsRamp example writes it so; a server that splits the decoded queryString on
  every ``+`` would read ``+0000`` as a new field).
* Alert action names: the current API reference spells ``unAcknowledge`` and ``unSuppress`` (and adds ``heal``); the
  2021 spec and older docs ``unsuppress`` / ``unacknowledge``. The current spelling is sent first; a 400/404 answer
  to it makes the client try the legacy spelling once, and the spelling that worked is kept for the rest of the run.
* Error bodies: ``{"error", "error_description"}`` (auth, throttling), ``{"code", "message"}`` objects and
  ``[{"code", "fieldName", "message"}]`` arrays.
* Search: page-number paging over a live newest-first list (items shift between pages: de-duplicated on uniqueId).
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

from ansible_collections.alertops.core.plugins.module_utils import alerts, bulk, errors, pager, timeutil, transport

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
TIME_FORMAT = '%Y-%m-%dT%H:%M:%S+0000'
QUERY_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S 0000'   # the documented queryString form (the offset after a space)
_VENDOR_TIME = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\+0000$')

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
        text = response.text[:300].strip() or None
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
    try:
        return int(timeutil.to_epoch(value, option, now=now))
    except errors.ValidationError as exc:
        exc.platform = PLATFORM
        raise


def check_range(start, end):
    try:
        timeutil.check_range(start, end)
    except errors.ValidationError as exc:
        exc.platform = PLATFORM
        raise


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
                                     'queryString fields' % (key, text), platform=PLATFORM)
    return text


def build_query_string(query):
    """``{'states': ['Critical', 'Warning'], 'priority': 'P1'}`` -> ``states:Critical,Warning+priority:P1``.

    Keys are checked against OpsRamp's queryString variables (unknown -> ValidationError listing the valid ones).
    Dates are written in the documented space form; ``encode_params`` sends ``+`` as ``%2B`` and spaces as ``%20``.
    """
    if not query:
        return None
    if not isinstance(query, dict):
        raise errors.ValidationError('option query must be a dictionary of queryString variables, got %r' % (query,),
                                     platform=PLATFORM)
    unknown = sorted(str(k) for k in query if k not in QUERY_KEYS)
    if unknown:
        raise errors.ValidationError('option query: unknown key(s) %s; valid keys are %s'
                                     % (', '.join(unknown), ', '.join(QUERY_KEYS)), platform=PLATFORM)
    parts = []
    for key in QUERY_KEYS:  # a stable order
        if key in query and query[key] is not None and query[key] != '' and query[key] != []:
            parts.append('%s:%s' % (key, _query_value(key, query[key])))
    return '+'.join(parts) or None


def check_alert_id(alert_id):
    text = str(alert_id if alert_id is not None else '').strip()
    if not text or any(c in text for c in '/?#%') or text in ('.', '..'):
        raise errors.ValidationError('option id: %r is not an OpsRamp alert id' % (alert_id,), platform=PLATFORM)
    return text


def parse_time(text):
    """OpsRamp time text -> epoch seconds (fast path for ``2017-06-16T05:38:10+0000``), None when unreadable."""
    match = _VENDOR_TIME.match(text) if isinstance(text, str) else None
    if match:
        return calendar.timegm(tuple(int(g) for g in match.groups()))
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
                             acknowledged=alert.get('acknowledged'), host_id=device.get('id'))


def action_description(alert):
    """The description sent with the alert's last action, where the server gives it back (INFERENCE: the v2 spec
    documents the request field only; the bundled simulator returns it as ``lastActionDescription``). None otherwise."""
    text = alert.get('lastActionDescription')
    return text if isinstance(text, str) and text else None


def occurrence_to_model(alert_id, occurrence):
    """The normalised alert model of one occurrence (an occurrence is a raw alert that was folded into ``alert_id``)."""
    raw = dict((k, v) for k, v in occurrence.items() if k != 'created_at')
    return alerts.make_alert(PLATFORM, occurrence.get('uniqueId') or alert_id, False, occurrence.get('currentState'),
                             occurrence.get('subject'), '', occurrence_time(occurrence), None, raw)


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
            raise errors.ResponseError('the token endpoint answered without an access_token', platform=PLATFORM,
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
                                           platform=PLATFORM, operation=self.client.occ_operation(self.alert_id))
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
                                       platform=PLATFORM, operation=self.client.occ_operation(self.alert_id))
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


# -- client ------------------------------------------------------------------------------------------------------
class OpsRampClient:
    PLATFORM = PLATFORM

    def __init__(self, transport_, tenant_id, auth=None):
        self.transport = transport_
        self.tenant_id = tenant_id
        self.auth = auth
        self.action_spelling = {}  # current action name -> the spelling this server accepted (learned once per run)

    @classmethod
    def from_params(cls, params, on_secret=None, concurrency=None, **kwargs):
        tenant_id = str(params.get('tenant_id') or '').strip()
        if not tenant_id or any(c in tenant_id for c in '/?#'):
            raise errors.ValidationError('option tenant_id: %r is not an OpsRamp tenant id (for example client_7)'
                                         % (params.get('tenant_id'),), platform=PLATFORM)
        token = params.get('token')
        if token:
            auth = OAuth2Auth(static_token=token)
        elif params.get('client_id') and params.get('client_secret'):
            auth = OAuth2Auth(params['client_id'], params['client_secret'], params.get('token_path'))
        else:
            raise errors.ValidationError('set either token (OPSRAMP_TOKEN) or both client_id and client_secret '
                                         '(OPSRAMP_CLIENT_ID, OPSRAMP_CLIENT_SECRET)', platform=PLATFORM)
        kwargs.setdefault('pool_size', max(int(concurrency or 1), 10))
        secrets = [s for s in (params.get('client_secret'), token) if s]
        transport_ = transport.from_params(PLATFORM, params, params.get('url'), headers={'Accept': 'application/json'},
                                           auth=auth, secrets=secrets, on_secret=on_secret,
                                           describe_error=describe_error, **kwargs)
        auth.bind(transport_)
        return cls(transport_, tenant_id, auth)

    def _path(self, *parts):
        return '/api/v2/tenants/%s/alerts%s' % (quote(self.tenant_id, safe=''),
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
                raise errors.ResponseError('the search answer has no "results" array', platform=PLATFORM,
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

        return pager.iter_pages(fetch, first_cursor=1, max_items=max_items, platform=PLATFORM, operation=operation)

    def search_alerts(self, query=None, max_items=None):
        return [a for page in self.iter_search_pages(query, max_items) for a in page]

    def get_alert(self, alert_id):
        alert_id = check_alert_id(alert_id)
        operation = 'get alert %s' % alert_id
        data = self.transport.request('GET', self._path(alert_id), operation).json()
        if not isinstance(data, dict) or 'uniqueId' not in data:
            raise errors.ResponseError('the answer is not an alert object', platform=PLATFORM, operation=operation)
        return normalise_alert(data)

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
            raise errors.ResponseError('the occurrences answer has no "results" array', platform=PLATFORM,
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
                                     platform=PLATFORM, operation=self.occ_operation(walker.alert_id)):
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
        try:
            data = response.json(allow_empty=True)
        except errors.ResponseError:
            return None  # 2xx with a non-JSON body: the action happened; the state is predicted
        return normalise_alert(data) if isinstance(data, dict) and 'uniqueId' in data else None

    def apply_state(self, alert_id, state, description=None, snooze_duration=None, check_mode=False, alert=None):
        """Bring one alert into ``state`` exactly once: dict(id, changed, before, after[, failed, msg]).

        Nothing is sent when the flag already has the wanted value. After an unknown outcome (dropped connection,
        502/504) the alert is read again and the action repeated only if it is still needed.
        """
        alert_id = check_alert_id(alert_id)
        action, flag, wanted = STATES[state]
        if alert is None:
            alert = self.get_alert(alert_id)
        before = flags(alert)
        result = dict(id=alert_id, changed=False, before=before, after=before)
        if before[flag] == wanted:
            return result
        if before['closed']:
            raise errors.ConflictError('alert %s is closed; OpsRamp cannot %s a closed alert (nothing was sent)'
                                       % (alert_id, action), platform=PLATFORM, operation='%s alert %s' % (action, alert_id))
        predicted = dict(before)
        predicted[flag] = wanted
        if check_mode:
            result.update(changed=True, after=predicted)
            return result
        last = None
        for _round in range(MAX_ACTION_ROUNDS):
            try:
                answered = self.post_action(alert_id, state, description, snooze_duration)
            except errors.OutcomeUnknownError as exc:
                last = exc
                current = self.get_alert(alert_id)
                if flags(current)[flag] == wanted:
                    result.update(changed=True, after=flags(current))
                    return result
                continue
            except errors.HTTPError as exc:
                if exc.status in (401, 403, 404, 407, 429):
                    raise
                current = self.get_alert(alert_id)
                now = flags(current)
                if now[flag] == wanted:  # someone else got there first
                    result.update(after=now)
                    return result
                if now['closed']:
                    raise errors.ConflictError('alert %s was closed meanwhile; OpsRamp cannot %s a closed alert'
                                               % (alert_id, action), platform=PLATFORM,
                                               operation='%s alert %s' % (action, alert_id), status=exc.status,
                                               vendor=exc.vendor)
                raise
            after = flags(answered) if answered is not None and flag in answered else predicted
            result.update(changed=True, after=after)
            return result
        raise last

    def apply_states(self, ids, state, description=None, snooze_duration=None, check_mode=False, concurrency=8):
        """``apply_state`` for every id over the pooled session with bounded concurrency.

        Returns (results, failures): per-item result dicts in input order, and the failed items' messages.
        Unknown ids are found first (one GET each) and fail the task before anything is written.
        """
        ids = list(dict.fromkeys(check_alert_id(i) for i in ids))
        found = bulk.read_all(ids, self.get_alert, concurrency, PLATFORM)
        stop = threading.Event()

        def work(alert_id):
            if stop.is_set():
                raise errors.AlertOpsError('not attempted after an earlier authorization failure', platform=PLATFORM)
            try:
                return self.apply_state(alert_id, state, description, snooze_duration, check_mode, found[alert_id])
            except (errors.AuthenticationError, errors.PermissionDeniedError):
                stop.set()  # a credential that may not act fails once, not once per alert
                raise

        # the first write alone: an integration without permission fails after one request
        first = next((i for i in ids if flags(found[i])[STATES[state][1]] != STATES[state][2]), None)
        outcomes = bulk.run_bounded([first], work, 1) if first is not None else []
        outcomes.extend(bulk.run_bounded([i for i in ids if i != first], work, concurrency))
        by_id = dict((o[0], o) for o in outcomes)
        results, failures = [], []
        for alert_id, result, error in (by_id[i] for i in ids):
            if error is None:
                results.append(result)
                continue
            msg = self.transport.redact(str(error))
            before = flags(found[alert_id])
            results.append(dict(id=alert_id, changed=False, before=before, after=before, failed=True, msg=msg))
            failures.append(msg)
        return results, failures
