# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mackerel API v0 alerts client: list (nextId paging), get, close, memo, alert logs.

Every Mackerel quirk lives here: the ``X-Api-Key`` header, the two error body forms (``{"error": {"message": ...}}``
and ``{"error": "..."}``), epoch-second times, the 100-per-page limit, the bare alert object of Get Alert and the
``{"id", "memo"}`` answer of Update Alert; downtimes: role scopes compared with the spaces around ``:`` removed
(the API reference writes ``service:role``, the official Go client's fixtures and the Terraform provider's acceptance
tests ``service: role``; the server's spelling is kept when the two are equal), and the warning for a downtime of
24 hours or more that spans Sunday to Monday (the downtime guide: part of it is ignored).

Alerts and logs are returned as the vendor objects plus normalised ISO 8601 UTC fields
(``opened_at``/``closed_at`` for alerts, ``created_at`` for logs).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import json
import math
import re
import time

from ansible_collections.alertops.core.plugins.module_utils import alerts as model
from ansible_collections.alertops.core.plugins.module_utils import bulk, claims, errors, pager, timeutil, transport
from ansible_collections.alertops.core.plugins.module_utils.ids import check_id
from ansible_collections.alertops.core.plugins.module_utils.options import MACKEREL_FILTERS, check_required, default
from ansible_collections.alertops.core.plugins.module_utils.vocabulary import Vocabulary, resolve

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported
    from urllib import quote

PLATFORM = 'mackerel'
MAX_LIMIT = 100
MAX_MEMO_BYTES = 80 * 1024
STATUSES = ('OK', 'CRITICAL', 'WARNING', 'UNKNOWN')
TYPES = ('connectivity', 'host', 'service', 'external', 'check', 'expression', 'anomalyDetection', 'query')
# the lookup's normalised words map one to one onto Mackerel's statuses (an OK alert is info in the lookup)
STATUS_WORDS = Vocabulary(STATUSES, {'critical': 'CRITICAL', 'warning': 'WARNING', 'info': 'OK', 'unknown': 'UNKNOWN'})
TYPE_WORDS = Vocabulary(TYPES, {'anomaly_detection': 'anomalyDetection'})
# ids up to this many are read one GET each; more are found through the (cheaper) listing
GET_THRESHOLD = 10
# a close whose outcome was unknown is checked and re-sent at most (retries + 1) times, and at least this often
MIN_CLOSE_ROUNDS = 4
# ISO fields we add; they are removed again before comparing or sending anything
NORMALISED_FIELDS = ('opened_at', 'closed_at', 'created_at', 'logs', 'host_name', 'monitor_name')

HINTS = {
    400: 'The request was rejected; check the options (limit at most 100, a non-empty reason)',
    401: 'The API key is invalid or was revoked: create a new one under Organization > API keys and update api_key '
         '(MACKEREL_APIKEY or MACKEREL_API_KEY)',
    403: 'The API key lacks the permission this operation needs, or the request comes from outside the IP address '
         'range the key is restricted to',
    404: 'The alert does not exist (check the id)',
    413: 'The memo is too large: Mackerel accepts at most 80 KB',
}


def describe_error(response):
    """(vendor text, hint) of a Mackerel error answer: ``{"error": {"message": m}}`` or ``{"error": "m"}``."""
    text = None
    try:
        data = json.loads(response.text)
    except ValueError:
        data = None
    if isinstance(data, dict) and 'error' in data:
        err = data['error']
        if isinstance(err, dict):
            text = err.get('message') or json.dumps(err, sort_keys=True)
        elif err is not None:
            text = str(err)
    if text is None:
        text = response.excerpt(300) or None  # redacted, then cut
    hint = HINTS.get(response.status)
    operation = getattr(response, 'operation', '') or ''
    if response.status == 403 and operation.startswith(('close', 'update')):
        hint = ('Closing alerts and setting memos need an API key with Write permission (or the request comes from '
                'outside the IP address range the key is restricted to)')
    hint = SUPPRESSION_HINTS.get((response.status, operation.split(' ', 1)[-1].split(' ')[0]), hint)
    return text, hint


def normalise_alert(alert):
    """The vendor alert plus ``opened_at``/``closed_at`` in ISO 8601 UTC (a new dict)."""
    out = dict(alert)
    out['opened_at'] = timeutil.to_iso(alert.get('openedAt'))
    out['closed_at'] = timeutil.to_iso(alert.get('closedAt'))
    return out


def normalise_log(log):
    out = dict(log)
    out['created_at'] = timeutil.to_iso(log.get('createdAt'))
    return out


def vendor_view(alert):
    """The alert without the fields this client added."""
    return dict((k, v) for k, v in alert.items() if k not in NORMALISED_FIELDS)


def to_model(alert):
    """The normalised alert model (module_utils/alerts.py) of a Mackerel alert.

    Severity is the alert status (CRITICAL, WARNING, UNKNOWN; a closed alert's OK becomes info). Mackerel alerts carry
    no monitor name, so the title is the alert message (check, external) or "<type> alert of monitor <id>"; the source
    is the host id, for query alerts the series name and labels.
    """
    source = alert.get('hostId') or ''
    series = alert.get('series')
    if not source and isinstance(series, dict):
        labels = series.get('labels') or {}
        source = '%s{%s}' % (series.get('name') or '', ','.join('%s=%s' % kv for kv in sorted(labels.items())))
    title = alert.get('message') or '%s alert of monitor %s' % (alert.get('type') or 'unknown', alert.get('monitorId'))
    closed_at = alert.get('closedAt')
    if closed_at is None and alert.get('closed_at'):   # an alert as this client shows it (normalise_alert)
        closed_at = timeutil.parse_vendor(alert['closed_at'])
    out = model.make_alert(PLATFORM, alert.get('id'), is_closed(alert) or alert.get('status') == 'OK',
                           alert.get('status'), title, source, alert.get('openedAt'), closed_at,
                           vendor_view(alert), close_reason=alert.get('reason'), host_id=alert.get('hostId'),
                           monitor_id=alert.get('monitorId'), state=alert.get('status'),
                           healed=alert.get('status') == 'OK')
    for key in ('host_name', 'monitor_name'):   # added by add_names (mackerel_alert_info names=true)
        if alert.get(key):
            out[key] = alert[key]
    return out


normalise = to_model


def is_closed(alert):
    return alert.get('status') == 'OK' and alert.get('closedAt') is not None


def check_limit(limit, option='limit'):
    if limit is None:
        return None
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise errors.ValidationError('option %s must be between 1 and %d (Mackerel answers 400 above %d), got %s'
                                     % (option, MAX_LIMIT, MAX_LIMIT, limit))
    return int(limit)


def check_memo(memo):
    if memo is not None and len(memo.encode('utf-8')) > MAX_MEMO_BYTES:
        raise errors.ValidationError('option memo is %d bytes; Mackerel accepts at most 80 KB (%d bytes)'
                                     % (len(memo.encode('utf-8')), MAX_MEMO_BYTES))
    return memo


def check_alert_id(alert_id, option='id'):
    return check_id(alert_id, option, PLATFORM, 'Mackerel alert id')


def check_object_id(object_id, kind='alert'):
    return check_id(object_id, 'id', PLATFORM, 'Mackerel %s id' % kind)


def display_name(obj):
    """What Mackerel's UI shows for a host or monitor: displayName, else name, else the id."""
    return (obj or {}).get('displayName') or (obj or {}).get('name') or (obj or {}).get('id')


def _time(value, option, now):
    return None if value in (None, '') else timeutil.to_epoch(value, option, now=now)


class Filters:
    """Client-side alert filters (Mackerel's list endpoint has none besides withClosed)."""

    def __init__(self, status=None, type=None, monitor_id=None, host_id=None, opened_after=None, opened_before=None,
                 now=None):
        self.status = set(resolve(status, STATUS_WORDS, 'status', multiple=True) or [])
        self.type = set(resolve(type, TYPE_WORDS, 'type', multiple=True) or [])
        self.monitor_id = set(monitor_id or [])
        self.host_id = set(host_id or [])
        self.opened_after = _time(opened_after, 'opened_after', now)
        self.opened_before = _time(opened_before, 'opened_before', now)
        timeutil.check_range(self.opened_after, self.opened_before, 'opened_after', 'opened_before')

    @classmethod
    def from_params(cls, params):
        return cls(**dict((k, params.get(k)) for k in MACKEREL_FILTERS))

    def __bool__(self):
        return bool(self.status or self.type or self.monitor_id or self.host_id
                    or self.opened_after is not None or self.opened_before is not None)

    __nonzero__ = __bool__

    def match(self, alert):
        if self.status and alert.get('status') not in self.status:
            return False
        if self.type and alert.get('type') not in self.type:
            return False
        if self.monitor_id and alert.get('monitorId') not in self.monitor_id:
            return False
        if self.host_id and alert.get('hostId') not in self.host_id:
            return False
        opened = alert.get('openedAt')
        if self.opened_after is not None and (opened is None or opened < self.opened_after):
            return False
        if self.opened_before is not None and (opened is None or opened > self.opened_before):
            return False
        return True


class AlertWrites:
    """What closing an alert and/or setting its memo is, for bulk.sync: the memo when it differs (a PUT), then the
    close when the alert is open, each sent only when the alert (as last read) still needs it. Check mode shows a
    closed alert as Mackerel will (status OK, the reason; closedAt is known only once it is closed)."""

    def __init__(self, client, close, reason, memo):
        self.client, self.close, self.reason, self.memo = client, close, reason, memo

    def needs_memo(self, alert):
        return self.memo is not None and (alert.get('memo') or '') != self.memo

    def needs_close(self, alert):
        return self.close and not is_closed(alert)

    def desired(self, alert):
        after, parts = dict(alert), []
        if self.needs_memo(alert):
            after['memo'] = self.memo
            parts.append('memo')
        if self.needs_close(alert):
            after.update(status='OK', reason=self.reason, closedAt=None, closed_at=None)
            parts.append('close')
        return bulk.Change(after, parts) if parts else None

    def write(self, alert, _change):
        after, parts = dict(alert), []
        if self.needs_memo(alert):
            after['memo'] = self.client.update_memo(alert['id'], self.memo).get('memo', self.memo)
            parts.append('memo')
        if self.needs_close(alert):
            closed, ours = self.close_once(alert['id'])
            if self.memo is not None:
                closed['memo'] = after.get('memo')
            after = closed
            parts.extend(['close'] if ours else [])
        return after, parts

    def close_once(self, alert_id):
        """One close: ``(alert, ours)``. A close refused (400/409/422) on an alert that is closed by now was someone
        else's; an answer that does not show the alert closed proves nothing (Unconfirmed: it is read again)."""
        try:
            closed = self.client.close_alert(alert_id, self.reason)
        except errors.HTTPError as exc:
            if exc.status not in (400, 409, 422):
                raise
            current = self.client.get_alert(alert_id)
            if is_closed(current):
                return current, False
            raise
        if not is_closed(closed):
            raise bulk.Unconfirmed('the server answered the close but the alert is still open',
                                   operation='close alert %s' % alert_id)
        # a server that answers 200 for an alert someone else already closed returns it unchanged
        return closed, closed.get('reason') == self.reason

    def reread(self, alert):
        return self.client.get_alert(alert['id'])

    def done(self, current, change):
        return not (('memo' in change.parts and self.needs_memo(current))
                    or ('close' in change.parts and not is_closed(current)))

    def credit(self, current, change):
        # a server that answers 200 for an alert someone else already closed shows it closed, with their reason
        return [part for part in change.parts if part == 'memo' and not self.needs_memo(current)
                or part == 'close' and is_closed(current) and current.get('reason') == self.reason]

    def claim(self, alert, change):
        if 'close' not in change.parts:
            return None
        return self.client.claims.claim('close|%s|%s' % (alert['id'], alert.get('openedAt')))


# what mackerel_alert shows of an alert it changes: per item, and in the diff (closed_at is the ISO form of closedAt)
STATE_FIELDS = ('status', 'reason', 'closedAt', 'closed_at', 'memo')
DIFF_FIELDS = ('status', 'reason', 'closedAt', 'memo')


def _state_view(alert, fields=STATE_FIELDS):
    return dict((k, alert.get(k)) for k in fields if alert.get(k) is not None)


def _diff_view(alert):
    return _state_view(alert, DIFF_FIELDS)


def _vendor_object(alert):
    return alert


@errors.platform_scoped
class MackerelClient:
    PLATFORM = PLATFORM

    def __init__(self, transport_, ledger=None):
        self.transport = transport_
        self.claims = ledger or claims.Ledger('%s|%s' % (PLATFORM, getattr(transport_, 'base_url', '')))

    @classmethod
    def from_params(cls, params, on_secret=None, concurrency=None, **kwargs):
        check_required(PLATFORM, params)
        api_key = params['api_key']
        pool = max(int(concurrency or 1), 10)
        kwargs.setdefault('pool_size', pool)
        transport_ = transport.from_params(PLATFORM, params, params.get('url') or default(PLATFORM, 'url'),
                                           headers={'X-Api-Key': api_key}, secrets=[api_key], on_secret=on_secret,
                                           describe_error=describe_error, **kwargs)
        return cls(transport_)

    # -- reads ----------------------------------------------------------------------------------------------
    def _page(self, with_closed, limit, convert=None):
        def fetch(cursor):
            params = {}
            if with_closed:
                params['withClosed'] = 'true'
            if limit:
                params['limit'] = str(limit)
            if cursor:
                params['nextId'] = cursor
            data = self.transport.request('GET', '/api/v0/alerts', 'list alerts', params=params).json()
            if not isinstance(data, dict) or not isinstance(data.get('alerts'), list):
                raise errors.ResponseError('the alert list has no "alerts" array',
                                           operation='list alerts')
            return [(convert or normalise_alert)(a) for a in data['alerts']], data.get('nextId') or None
        return fetch

    def iter_alert_pages(self, with_closed=False, limit=None, max_items=None, convert=None):
        """Pages (lists of normalised alerts), newest first, following ``nextId`` to the end or ``max_items``."""
        limit = check_limit(limit)
        if max_items is not None and limit is None and max_items < MAX_LIMIT:
            limit = max(int(max_items), 1)
        elif max_items is not None and limit is not None:
            limit = max(min(limit, int(max_items)), 1)
        return pager.iter_pages(self._page(with_closed, limit, convert), max_items=max_items,
                                operation='list alerts')

    def list_alerts(self, with_closed=False, limit=None, max_items=None, filters=None, model=False, stats=None):
        """Every alert (newest first); with ``filters`` only matching ones, ``max_items`` counting matches.

        ``model=True`` returns the collection's normalised alert model (to_model) straight from the vendor objects,
        in one pass (the lookup lists thousands of alerts; converting twice would cost as much as the requests).
        ``stats`` (a dict) receives ``pages``, the number of list requests.
        """
        stats = stats if stats is not None else {}
        stats['pages'] = 0
        convert = to_model if model else None
        if not filters:
            out = []
            for page in self.iter_alert_pages(with_closed, limit, max_items, convert):
                stats['pages'] += 1
                out.extend(page)
            return out
        out = []
        for page in self.iter_alert_pages(with_closed, limit, convert=_vendor_object):
            stats['pages'] += 1
            for alert in page:
                if filters.match(alert):
                    out.append((convert or normalise_alert)(alert))
                    if max_items is not None and len(out) >= max_items:
                        return out
            # Mackerel lists newest first: once a whole page opened before opened_after, no later page can match
            opened = [a.get('openedAt') for a in page if a.get('openedAt') is not None]
            if filters.opened_after is not None and opened and max(opened) < filters.opened_after:
                break
        return out

    @staticmethod
    def check_alert_options(host_id=None, monitor_id=None, type=None, status=None, opened_after=None,
                            opened_before=None, **_others):  # pylint: disable=redefined-builtin
        """The Filters of collect_alerts' options, checked before anything is sent (the EDA source checks at start)."""
        return Filters(host_id=host_id, monitor_id=monitor_id, type=type, status=status, opened_after=opened_after,
                       opened_before=opened_before)

    def collect_alerts(self, ids=None, with_closed=False, opened_after=None, opened_before=None, host_id=None,
                       monitor_id=None, type=None, max_items=None, status=None):  # pylint: disable=redefined-builtin
        """Alerts in the normalised model (the alerts lookup, the EDA source), newest first, at most ``max_items``.

        With ``ids``: each alert read by id (closed ones only ``with_closed``). Else every page of the list (its only
        server-side filter is withClosed); host, monitor, type, status and window filtered here, paging stopping early
        once the newest-first list is older than ``opened_after``.
        """
        if ids:
            found = [self.get_alert_model(i) for i in ids]
            found = [a for a in found if with_closed or a['status'] != 'closed']
            return found[:max_items] if max_items is not None else found
        filters = self.check_alert_options(host_id=host_id, monitor_id=monitor_id, type=type, status=status,
                                           opened_after=opened_after, opened_before=opened_before)
        return self.list_alerts(with_closed=with_closed, max_items=max_items, filters=filters, model=True)

    def get_alert_model(self, alert_id):
        """One alert read by id, in the normalised model (NotFoundError when Mackerel does not know it)."""
        return to_model(self.get_alert(alert_id))

    def get_alert(self, alert_id):
        alert_id = check_alert_id(alert_id)
        data = self.transport.request('GET', '/api/v0/alerts/%s' % quote(alert_id, safe=''), 'get alert %s' % alert_id).json()
        if isinstance(data, dict) and isinstance(data.get('alert'), dict):  # tolerate a wrapped answer
            data = data['alert']
        if not isinstance(data, dict) or 'id' not in data:
            raise errors.ResponseError('the answer is not an alert object',
                                       operation='get alert %s' % alert_id)
        return normalise_alert(data)

    def _get_object(self, kind, object_id):
        object_id = check_object_id(object_id, kind)
        operation = 'get %s %s' % (kind, object_id)
        data = self.transport.request('GET', '/api/v0/%ss/%s' % (kind, quote(object_id, safe='')), operation).json()
        if isinstance(data, dict) and isinstance(data.get(kind), dict):
            data = data[kind]
        if not isinstance(data, dict) or 'id' not in data:
            raise errors.ResponseError('the answer is not a %s object' % kind, operation=operation)
        return data

    def add_names(self, alerts, concurrency=8):
        """Add ``host_name`` and ``monitor_name`` to every alert: one read per distinct host and monitor (a host or
        monitor that no longer exists keeps its id as the name). Returns the number of reads."""
        wanted = {}
        for alert in alerts:
            for kind, key in (('host', 'hostId'), ('monitor', 'monitorId')):
                if alert.get(key):
                    wanted[(kind, alert[key])] = None
        keys = sorted(wanted)

        def read(key):
            try:
                return display_name(self.get_host(key[1]) if key[0] == 'host' else self.get_monitor(key[1]))
            except errors.NotFoundError:
                return key[1]
        for key, name, error in bulk.run_bounded(keys, read, concurrency):
            if error is not None:
                raise error
            wanted[key] = name
        for alert in alerts:
            if alert.get('hostId'):
                alert['host_name'] = wanted[('host', alert['hostId'])]
            if alert.get('monitorId'):
                alert['monitor_name'] = wanted[('monitor', alert['monitorId'])]
        return len(keys)

    def add_logs(self, alerts, concurrency=8):
        """Add ``logs`` (every page, newest first) to every alert, ``concurrency`` alerts at a time."""
        for alert, logs, error in bulk.run_bounded(alerts, lambda a: self.alert_logs(a['id']), concurrency):
            if error is not None:
                raise error
            alert['logs'] = logs

    def get_host(self, host_id):
        """The host object (``GET /api/v0/hosts/<id>`` answers ``{"host": {...}}``): id, name, displayName, status..."""
        return self._get_object('host', host_id)

    def get_monitor(self, monitor_id):
        """The monitor object (``GET /api/v0/monitors/<id>`` answers ``{"monitor": {...}}``): id, type, name..."""
        return self._get_object('monitor', monitor_id)

    def list_monitors(self):
        """Every monitor (``GET /api/v0/monitors`` answers ``{"monitors": [...]}``): id, type, name (a connectivity
        monitor may have none), scopes... One request: the API has no paging or filter for it."""
        operation = 'list monitors'
        data = self.transport.request('GET', '/api/v0/monitors', operation).json()
        if not isinstance(data, dict) or not isinstance(data.get('monitors'), list) \
                or not all(isinstance(m, dict) and m.get('id') for m in data['monitors']):
            raise errors.ResponseError('the answer has no "monitors" array of monitor objects', operation=operation)
        return data['monitors']

    def alert_logs(self, alert_id, limit=None, max_items=None):
        alert_id = check_alert_id(alert_id)
        limit = check_limit(limit)
        operation = 'get logs of alert %s' % alert_id

        def fetch(cursor):
            params = {}
            if limit:
                params['limit'] = str(limit)
            if cursor:
                params['nextId'] = cursor
            data = self.transport.request('GET', '/api/v0/alerts/%s/logs' % quote(alert_id, safe=''), operation,
                                          params=params).json()
            if not isinstance(data, dict) or not isinstance(data.get('logs'), list):
                raise errors.ResponseError('the answer has no "logs" array', operation=operation)
            return [normalise_log(entry) for entry in data['logs']], data.get('nextId') or None
        return list(pager.iter_items(fetch, max_items=max_items, operation=operation))

    def find_alerts(self, ids, limit=None, concurrency=8):
        """{id: alert} for every id, reading as little as possible; unknown ids -> ValidationError (nothing written).

        Up to GET_THRESHOLD ids: one GET each. More: the open-alert listing first (closing open alerts then costs
        listing pages only), then the still missing ones by GET (few) or by walking the listing with closed alerts.
        """
        ids = [check_alert_id(i) for i in ids]
        wanted = list(dict.fromkeys(ids))
        found = {}
        if len(wanted) > GET_THRESHOLD:
            self._collect(found, wanted, with_closed=False, limit=limit)
            missing = [i for i in wanted if i not in found]
            if len(missing) > GET_THRESHOLD:
                self._collect(found, missing, with_closed=True, limit=limit)
        missing = [i for i in wanted if i not in found]
        found.update(bulk.read_all(missing, self.get_alert, concurrency))
        return found

    def _collect(self, found, wanted, with_closed, limit):
        todo = set(wanted) - set(found)
        for page in self.iter_alert_pages(with_closed, limit):
            for alert in page:
                if alert['id'] in todo:
                    found[alert['id']] = alert
                    todo.discard(alert['id'])
            if not todo:
                return

    # -- writes ---------------------------------------------------------------------------------------------
    def update_memo(self, alert_id, memo):
        """PUT the memo (idempotent, so the transport may repeat it); returns ``{"id", "memo"}``."""
        alert_id = check_alert_id(alert_id)
        check_memo(memo)
        response = self.transport.request('PUT', '/api/v0/alerts/%s' % quote(alert_id, safe=''),
                                          'update memo of alert %s' % alert_id, json_body={'memo': memo})
        try:
            data = response.json(allow_empty=True)
        except errors.ResponseError:
            data = None  # a 2xx to a PUT of the whole memo: it is set, whatever the body says
        return data if isinstance(data, dict) else {'id': alert_id, 'memo': memo}

    def close_alert(self, alert_id, reason):
        """POST close once. Use ``close_checked`` for the exactly-once behaviour."""
        alert_id = check_alert_id(alert_id)
        data = self.transport.request('POST', '/api/v0/alerts/%s/close' % quote(alert_id, safe=''), 'close alert %s'
                                      % alert_id, json_body={'reason': reason}).json()
        if not isinstance(data, dict) or 'id' not in data:
            raise errors.ResponseError('the close answer is not an alert object',
                                       operation='close alert %s' % alert_id)
        return normalise_alert(data)

    def close_checked(self, alert_id, reason, alert=None):
        """Close an alert exactly once: ``(alert_after, changed)``; changed only for a close this run made.

        ``alert`` is the alert as this run read it (open). The close is claimed in the host's ledger (claims.py)
        first: when another run on this host already closed it, the alert is re-read instead and nothing is sent.
        When the outcome of a close is unknown (dropped after sending, 502/504) or its 2xx answer is unreadable, the
        alert is read again and the close repeated only if it is still open. A close refused because the alert is
        already closed (4xx on a closed alert, for example closed by someone else in the meantime), or answered with
        an alert closed for another reason (a server that answers 200 on a closed alert), is not changed.
        """
        # the caller read it open: its status is not looked at again (the answers and re-reads decide)
        alert = dict(alert or {}, id=check_alert_id(alert_id), status='UNKNOWN')
        writes = self._alert_writes(True, reason, None)
        after, parts = bulk.write_once(alert, writes.pop('desired')(alert), **writes)
        return after, 'close' in parts

    def apply(self, ids=None, read_first=True, filters=None, with_closed=False, limit=None, close=False, reason=None,
              memo=None, check_mode=False, concurrency=8):
        """Close alerts and/or set their memo, each write exactly once (bulk.sync); returns a dict for the module:
        ``alerts`` (per item: id, changed, before, after, [error]), ``closed``, ``memo_updated``, ``diff`` (of the
        changed alerts), ``failures`` (the errors) and ``todo`` (how many alerts needed a write).

        The alerts are ``ids`` (read first: unknown ids fail before anything is written; with ``read_first=False``
        ids listed open just before: a close is sent without a read, and an alert is read only when it is refused),
        or those the listing and ``filters`` select. Check mode sends nothing and shows the alerts as they will be.
        """
        unread = ids is not None and not read_first
        if unread:
            # not read: the status is a placeholder (any status but OK means "send the close"), never shown
            targets = [{'id': i, 'status': 'UNKNOWN'} for i in dict.fromkeys(i.strip() for i in ids)]
        elif ids is not None:
            ids = list(dict.fromkeys(i.strip() for i in ids))
            found = self.find_alerts(ids, limit=limit, concurrency=concurrency)
            targets = [found[i] for i in ids]
        else:
            targets = self.list_alerts(with_closed=with_closed, limit=limit, filters=filters)
        synced = bulk.sync(targets, check_mode=check_mode, concurrency=concurrency,
                           **self._alert_writes(close, reason, memo))
        alerts = []
        for item in synced.items:
            out = dict(id=item['key'], changed=item['changed'], before={} if unread else _state_view(item['before']),
                       after=_state_view(item['after']))
            if item['error'] is not None:
                out['error'] = str(item['error'])
            alerts.append(out)
        diff = synced.diff(_diff_view)
        if unread:          # a diff shows only what is known: nothing was read before the write
            diff['before'] = dict((key, {}) for key in diff['before'])
        return dict(alerts=alerts, diff=diff, failures=synced.failures, todo=synced.todo,
                    closed=sum(1 for i in synced.items if 'close' in i['parts']),
                    memo_updated=sum(1 for i in synced.items if 'memo' in i['parts']))

    def _alert_writes(self, close, reason, memo):
        """bulk.sync's functions for closing alerts and/or setting their memo (see AlertWrites)."""
        writes = AlertWrites(self, close, reason, memo)
        return dict(desired=writes.desired, write=writes.write, reread=writes.reread, done=writes.done,
                    credit=writes.credit, claim=writes.claim,
                    rounds=max(MIN_CLOSE_ROUNDS, self.transport.retries + 1))

    # -- downtimes, host status, graph annotations (suppression) --------------------------------------------
    def list_downtimes(self):
        data = self.transport.request('GET', '/api/v0/downtimes', 'list downtimes').json()
        if not isinstance(data, dict) or not isinstance(data.get('downtimes'), list):
            raise errors.ResponseError('the answer has no "downtimes" array', operation='list downtimes')
        return [normalise_downtime(d) for d in data['downtimes'] if isinstance(d, dict)]

    def find_downtime(self, name):
        """The one downtime named ``name`` (None when there is none); several -> ValidationError (names are not
        unique in Mackerel, and guessing which one to change would be wrong)."""
        matches = [d for d in self.list_downtimes() if d.get('name') == name]
        if len(matches) > 1:
            raise errors.ValidationError('option name: %d downtimes are named %r (ids %s); Mackerel does not keep names '
                                         'unique: delete the extra ones or use another name (nothing was changed)'
                                         % (len(matches), name, ', '.join(d.get('id', '?') for d in matches)))
        return matches[0] if matches else None

    def _downtime_write(self, method, path, operation, body):
        data = self.transport.request(method, path, operation, json_body=body,
                                      idempotent=method != 'POST').json(allow_empty=True)
        if not isinstance(data, dict) or 'id' not in data:
            raise errors.ResponseError('the answer is not a downtime object', operation=operation)
        return normalise_downtime(data)

    def ensure_downtime(self, name, spec=None, check_mode=False, now=None):
        """Make the downtime named ``name`` match ``spec`` (a DowntimeSpec), or remove it when ``spec`` is None.

        Found by name (no id file, no duplicate); a changed start, duration, scope, recurrence or memo is sent as one
        PUT of the whole downtime (Mackerel replaces it), never delete + create. Returns
        ``dict(changed, downtime, before, after, split)`` where before/after are the comparable views (None when
        absent) and split what Mackerel's downtime guide says it ignores (DowntimeSpec.sunday_monday_split).
        """
        now = time.time() if now is None else now
        existing = self.find_downtime(name)
        before = downtime_view(existing) if existing else None
        if spec is None:
            if existing is None:
                return dict(changed=False, downtime=None, before=None, after=None)
            if not check_mode:
                self.transport.request('DELETE', '/api/v0/downtimes/%s' % quote(existing['id'], safe=''),
                                       'delete downtime %s' % existing['id'], accept_statuses=(404,))
            return dict(changed=True, downtime=existing, before=before, after=None)
        body = spec.body(existing, now)
        after = downtime_view(body)
        split = spec.sunday_monday_split(body)
        if existing is not None and before == after:
            return dict(changed=False, downtime=existing, before=before, after=after, split=split)
        if existing is None or body['start'] != existing.get('start'):
            spec.check_past(body['start'], now)
        if check_mode:
            predicted = normalise_downtime(dict(body, id=existing['id']) if existing else body)
            return dict(changed=True, downtime=predicted, before=before, after=after, split=split)
        if existing is None:
            try:
                written = self._downtime_write('POST', '/api/v0/downtimes', 'create downtime %s' % name, body)
            except errors.OutcomeUnknownError:
                # the create may have happened: look again (by name) before anything is repeated
                written = self.find_downtime(name)
                if written is None:
                    written = self._downtime_write('POST', '/api/v0/downtimes', 'create downtime %s' % name, body)
        else:
            written = self._downtime_write('PUT', '/api/v0/downtimes/%s' % quote(existing['id'], safe=''),
                                           'change downtime %s' % existing['id'], body)
        return dict(changed=True, downtime=written, before=before, after=after, split=split)

    def set_host_statuses(self, wanted, check_mode=False, concurrency=8, gone='fail'):
        """Bring every host to its status: ``wanted`` is ``{host_id: status}`` (ordered).

        Every host is read first (``GET /api/v0/hosts/<id>``; unknown ids fail the task before any write and the
        previous status is what the read said); the changes go out through ``bulk-update-statuses``, one call per
        target status and at most 30 ids a call. Returns ``[dict(id, name, changed, before, after)]`` in input order.
        With ``gone='skip'``, a retired or unknown host is left out (``skipped`` with why) and the others are set: a
        restore after a change must not be blocked by one host retired during it.
        """
        wanted = dict((check_object_id(i, 'host'), check_host_status(s)) for i, s in wanted.items())
        skipped = []
        if gone == 'skip':
            found = {}
            for host_id, host, error in bulk.run_bounded(list(wanted), self.get_host, concurrency):
                if isinstance(error, errors.NotFoundError):
                    skipped.append(dict(id=host_id, why='the host does not exist (deleted)'))
                elif error is not None:
                    raise error
                elif host.get('isRetired'):
                    skipped.append(dict(id=host_id, why='the host is retired'))
                else:
                    found[host_id] = host
            wanted = dict((i, s) for i, s in wanted.items() if i in found)
        else:
            found = bulk.read_all(list(wanted), self.get_host, concurrency, noun='host')
        ids = list(wanted)
        retired = [i for i in ids if found[i].get('isRetired')]
        if retired:
            raise errors.ValidationError('option id: host(s) %s are retired; a retired host has no status to set '
                                         '(nothing was changed; gone=skip sets the others)' % ', '.join(retired))
        self.skipped_hosts = skipped
        todo = [i for i in ids if found[i].get('status') != wanted[i]]
        done, failure = set(), None
        if not check_mode:
            for status in sorted(set(wanted[i] for i in todo)):
                group = [i for i in todo if wanted[i] == status]
                for chunk in bulk.chunks(group, MAX_BULK_STATUS_IDS):
                    try:
                        self.transport.request('POST', '/api/v0/hosts/bulk-update-statuses',
                                               'set hosts status %s (%d)' % (status, len(chunk)),
                                               json_body={'status': status, 'ids': chunk}, idempotent=True)
                    except errors.AlertOpsError as exc:
                        failure = exc
                        break
                    done.update(chunk)
                if failure is not None:
                    break
        else:
            done.update(todo)
        results = []
        for host_id in ids:
            before = found[host_id].get('status')
            changed = host_id in done
            results.append(dict(id=host_id, name=found[host_id].get('displayName') or found[host_id].get('name'),
                                roles=found[host_id].get('roles') or {}, changed=changed, before={'status': before},
                                after={'status': wanted[host_id] if changed else before}))
        if failure is not None:
            raise errors.AlertOpsError('%d of %d host status change(s) were made before this failure: %s'
                                       % (len(done), len(todo), failure), status=failure.status,
                                       details=dict(hosts=results, changed=bool(done)))
        return results

    def monitored_statuses(self, host_id):
        """``GET /api/v0/hosts/<id>/monitored-statuses``: each monitor's state for the host."""
        host_id = check_object_id(host_id, 'host')
        operation = 'get host %s monitored statuses' % host_id
        data = self.transport.request('GET', '/api/v0/hosts/%s/monitored-statuses' % quote(host_id, safe=''),
                                      operation).json()
        if not isinstance(data, dict) or not isinstance(data.get('monitoredStatuses'), list):
            raise errors.ResponseError('the answer has no "monitoredStatuses" array',
                                       operation=operation)
        return data['monitoredStatuses']

    def list_hosts(self, service, roles=None):
        """The hosts of a service (and of its ``roles``), every status but retired: ``GET /api/v0/hosts`` answers
        only working and standby hosts unless asked for the statuses, and a host already in maintenance belongs to
        the service too. One request (the API does not page it)."""
        service = check_name(service, 'service')
        operation = 'list hosts of service %s%s' % (service, ' roles %s' % ', '.join(roles) if roles else '')
        params = [('service', service)] + [('role', r) for r in roles or []] + [
            ('status', s) for s in ('working', 'standby', 'maintenance', 'poweroff')]
        data = self.transport.request('GET', '/api/v0/hosts', operation, params=params).json()
        if not isinstance(data, dict) or not isinstance(data.get('hosts'), list) \
                or not all(isinstance(h, dict) and h.get('id') for h in data['hosts']):
            raise errors.ResponseError('the answer has no "hosts" array of host objects', operation=operation)
        return data['hosts']

    def hosts_info(self, ids, monitored=False, concurrency=8):
        """The host objects of ``ids`` (unknown ids -> ValidationError naming them), with ``monitored_statuses``."""
        ids = list(dict.fromkeys(check_object_id(i, 'host') for i in ids))
        found = bulk.read_all(ids, self.get_host, concurrency, noun='host')
        if monitored:
            states = bulk.read_all(ids, self.monitored_statuses, concurrency, noun='host')
            for host_id in ids:
                found[host_id] = dict(found[host_id], monitored_statuses=states[host_id])
        return [found[i] for i in ids]

    def list_annotations(self, service, start, end):
        operation = 'list annotations of service %s' % service
        data = self.transport.request('GET', '/api/v0/graph-annotations', operation,
                                      params={'service': service, 'from': int(start), 'to': int(end)}).json()
        if not isinstance(data, dict) or not isinstance(data.get('graphAnnotations'), list):
            raise errors.ResponseError('the answer has no "graphAnnotations" array',
                                       operation=operation)
        return [normalise_annotation(a) for a in data['graphAnnotations'] if isinstance(a, dict)]

    def ensure_annotation(self, spec, present=True, check_mode=False):
        """The graph annotation titled ``spec.title`` in ``spec.service`` overlapping the window, made to match
        ``spec`` (one PUT when it differs) or removed. Returns ``dict(changed, annotation, before, after)``."""
        found = [a for a in self.list_annotations(spec.service, spec.start, spec.end) if a.get('title') == spec.title]
        if len(found) > 1:
            raise errors.ValidationError('option title: %d graph annotations titled %r overlap this window in service %s '
                                         '(ids %s); delete the extra ones (nothing was changed)'
                                         % (len(found), spec.title, spec.service, ', '.join(a['id'] for a in found)))
        existing = found[0] if found else None
        before = annotation_view(existing) if existing else None
        if not present:
            if existing is None:
                return dict(changed=False, annotation=None, before=None, after=None)
            if not check_mode:
                self.transport.request('DELETE', '/api/v0/graph-annotations/%s' % quote(existing['id'], safe=''),
                                       'delete annotation %s' % existing['id'], accept_statuses=(404,))
            return dict(changed=True, annotation=existing, before=before, after=None)
        body = spec.body(existing)
        after = annotation_view(body)
        if before == after:
            return dict(changed=False, annotation=existing, before=before, after=after)
        if check_mode:
            return dict(changed=True, annotation=normalise_annotation(dict(body, id=existing['id']) if existing else body),
                        before=before, after=after)
        if existing is None:
            method, path, operation = 'POST', '/api/v0/graph-annotations', 'create annotation %s' % spec.title
        else:
            method, path = 'PUT', '/api/v0/graph-annotations/%s' % quote(existing['id'], safe='')
            operation = 'change annotation %s' % existing['id']
        try:
            data = self.transport.request(method, path, operation, json_body=body, idempotent=method == 'PUT').json()
        except errors.OutcomeUnknownError:
            # the create may have happened: look again before anything is repeated
            again = [a for a in self.list_annotations(spec.service, spec.start, spec.end) if a.get('title') == spec.title]
            if not again:
                raise
            data = again[0]
        if not isinstance(data, dict) or 'id' not in data:
            raise errors.ResponseError('the answer is not a graph annotation', operation=operation)
        return dict(changed=True, annotation=normalise_annotation(data), before=before, after=after)


# a Mackerel alert (listed, read or returned by a write) -> the normalised alert model. Set after the class: a pure
# function called for every alert of a listing needs no platform scope (platform_scoped wraps the class's methods).
MackerelClient.to_model = staticmethod(to_model)


# -- suppression: downtimes, host status, graph annotations ----------------------------------------------------
HOST_STATUSES = ('working', 'standby', 'maintenance', 'poweroff')
MAX_BULK_STATUS_IDS = 30            # bulk-update-statuses takes at most 30 ids a call
RECURRENCE_TYPES = ('hourly', 'daily', 'weekly', 'monthly', 'yearly')
WEEKDAYS = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
# module option -> downtime field
DOWNTIME_SCOPES = (('service_scopes', 'serviceScopes'), ('service_exclude_scopes', 'serviceExcludeScopes'),
                   ('role_scopes', 'roleScopes'), ('role_exclude_scopes', 'roleExcludeScopes'),
                   ('monitor_scopes', 'monitorScopes'), ('monitor_exclude_scopes', 'monitorExcludeScopes'))
MAX_ANNOTATION_TITLE = 250
MAX_ANNOTATION_DESCRIPTION = 1024
DEFAULT_TOLERANCE = 300             # seconds: past start allowed; drift of a relative time still "the same"
_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]+$')   # service and role names (Mackerel's documented pattern)
SUPPRESSION_HINTS = {
    (404, 'host'): 'The host does not exist (check the id; retired hosts are gone too)',
    (404, 'downtime'): 'The downtime no longer exists (deleted meanwhile?); run the task again',
    (404, 'annotation'): 'The graph annotation no longer exists, or the service or a role does not exist',
    (404, 'annotations'): 'The service does not exist (check service)',
    (400, 'downtime'): 'Mackerel rejected the downtime: check the scopes (services, "service:role" roles and monitor '
                       'ids must exist and must not overlap), the duration and the recurrence',
    (400, 'hosts'): 'Mackerel rejected the status change: check the ids and the status',
    (403, 'downtime'): 'Downtimes need an API key with Write permission',
    (403, 'hosts'): 'Setting host status needs an API key with Write permission',
    (403, 'annotation'): 'Graph annotations need an API key with Write permission',
}


def check_monitor_scope(value, option):
    text = str(value if value is not None else '').strip()
    if not text or any(c in text for c in '/?#%: '):
        raise errors.ValidationError('option %s: %r is not a Mackerel monitor id' % (option, value))
    return text


def check_host_status(status):
    if status not in HOST_STATUSES:
        raise errors.ValidationError('option status: %r is not a host status; use %s' % (status, ', '.join(HOST_STATUSES)))
    return status


def check_name(value, option):
    text = str(value if value is not None else '').strip()
    if not _NAME.match(text):
        raise errors.ValidationError('option %s: %r is not a Mackerel service or role name (letters, digits, _ and -, '
                                     'at least two characters)' % (option, value))
    return text


def scope_key(value):
    """A role fullname as compared: ``web: app`` and ``web:app`` are the same role (whitespace around ``:`` removed)."""
    return re.sub(r'\s*:\s*', ':', str(value).strip())


def _keep_spelling(wanted, existing):
    """The wanted role fullnames, each in the existing downtime's spelling when the two are the same role."""
    spelled = dict((scope_key(v), v) for v in existing or [] if isinstance(v, str))
    return [spelled.get(scope_key(v), v) for v in wanted]


def role_fullname(value, option):
    """``web:app`` (also written ``web: app``) -> ``web:app``, the role fullname Mackerel's scopes take."""
    parts = str(value if value is not None else '').split(':')
    if len(parts) != 2:
        raise errors.ValidationError('option %s: %r is not a role; write it as <service>:<role>, for example web:app'
                                     % (option, value))
    return '%s:%s' % (check_name(parts[0], option), check_name(parts[1], option))


def _epoch(value, option, now):
    return int(timeutil.to_epoch(value, option, now=now))


def _settle(existing, wanted, relative, tolerance):
    """A time given relative to now (``now``, ``+2h``) moves on every run: within ``tolerance`` of what the object
    already has it counts as that value, so a rerun changes nothing."""
    if relative and existing is not None and abs(int(existing) - wanted) <= tolerance:
        return int(existing)
    return wanted


def _window(start, duration, end, now, tolerance):
    """(start epoch s, end epoch s, start is relative, end is relative) from start + duration or end."""
    start_value = 'now' if start in (None, '') else start
    begin = _epoch(start_value, 'start', now)
    if duration not in (None, '') and end not in (None, ''):
        raise errors.ValidationError('options duration and end are mutually exclusive')
    if end not in (None, ''):
        finish = _epoch(end, 'end', now)
        if finish <= begin:
            raise errors.ValidationError('option end (%s) must be after start (%s)'
                                         % (timeutil.to_iso(finish), timeutil.to_iso(begin)))
        return begin, finish, timeutil.is_relative(start_value), timeutil.is_relative(end)
    if duration in (None, ''):
        raise errors.ValidationError('one of the options duration or end is required')
    seconds = timeutil.to_seconds(duration, 'duration', default_unit='m')
    return begin, begin + int(math.ceil(seconds)), timeutil.is_relative(start_value), True


class DowntimeSpec:
    """A wanted downtime, validated before anything is sent (times, duration, scopes, recurrence)."""

    def __init__(self, name, start=None, duration=None, end=None, memo=None, scopes=None, recurrence=None,
                 tolerance=DEFAULT_TOLERANCE, now=None):
        now = time.time() if now is None else now
        self.name = str(name or '').strip()
        if not self.name:
            raise errors.ValidationError('option name is required and must not be empty')
        self.tolerance = int(tolerance)
        self.start, finish, self.relative, _end_relative = _window(start, duration, end, now, self.tolerance)
        self.duration = int(math.ceil((finish - self.start) / 60.0))
        if self.duration <= 0:
            raise errors.ValidationError('option duration must be at least one minute')
        self.memo = memo or ''
        self.scopes = {}
        for option, field in DOWNTIME_SCOPES:
            values = (scopes or {}).get(option) or []
            if option.startswith('role'):
                values = [role_fullname(v, option) for v in values]
            elif option.startswith('service'):
                values = [check_name(v, option) for v in values]
            else:
                values = [check_monitor_scope(v, option) for v in values]
            if values:
                self.scopes[field] = sorted(set(values))
        self.recurrence = self._recurrence(recurrence, now)

    def _recurrence(self, recurrence, now):
        if not recurrence:
            return None
        kind = recurrence.get('type')
        if kind not in RECURRENCE_TYPES:
            raise errors.ValidationError('option recurrence.type: %r; use %s' % (kind, ', '.join(RECURRENCE_TYPES)))
        interval = recurrence.get('interval')
        interval = 1 if interval is None else interval
        if int(interval) < 1:
            raise errors.ValidationError('option recurrence.interval must be at least 1, got %s' % interval)
        out = {'type': kind, 'interval': int(interval)}
        weekdays = recurrence.get('weekdays') or []
        if weekdays:
            if kind != 'weekly':
                raise errors.ValidationError('option recurrence.weekdays is only allowed with type weekly')
            names = dict((w.lower(), w) for w in WEEKDAYS)
            bad = [w for w in weekdays if str(w).lower() not in names]
            if bad:
                raise errors.ValidationError('option recurrence.weekdays: unknown day(s) %s; use %s'
                                             % (', '.join(map(str, bad)), ', '.join(WEEKDAYS)))
            out['weekdays'] = sorted(set(names[str(w).lower()] for w in weekdays), key=WEEKDAYS.index)
        if recurrence.get('until') not in (None, ''):
            out['until'] = _epoch(recurrence['until'], 'recurrence.until', now)
            if out['until'] <= self.start:
                raise errors.ValidationError('option recurrence.until must be after start')
        return out

    def body(self, existing=None, now=None):
        """The vendor body; a relative start within the tolerance of the existing downtime's keeps that start."""
        start = _settle((existing or {}).get('start'), self.start, self.relative, self.tolerance)
        body = {'name': self.name, 'memo': self.memo, 'start': start, 'duration': self.duration}
        if self.relative and existing is not None and start != self.start:
            # "start: now, duration: 60" on a rerun: the window keeps its end where the first run put it
            body['duration'] = _settle(existing.get('duration'), self.duration, True, int(math.ceil(self.tolerance / 60.0)))
        if self.recurrence:
            body['recurrence'] = dict(self.recurrence)
        for field, values in self.scopes.items():
            body[field] = _keep_spelling(values, (existing or {}).get(field)) if field.startswith('role') else list(values)
        return body

    def sunday_monday_split(self, body=None):
        """``dict(first_at, zone, warning)`` when Mackerel's downtime guide says part of this window is ignored (24 hours
        or more spanning Sunday to Monday, in any occurrence), else None."""
        body = body or self.body()
        crossing = monday_crossing(body['start'], body['duration'], body.get('recurrence'))
        if crossing is None:
            return None
        first_at = timeutil.to_iso(crossing[0])
        return {'first_at': first_at, 'zone': crossing[1], 'warning': (
            'downtime %r: %d minutes (24 hours or more) spanning Sunday to Monday (first at %s, Monday 00:00 %s): '
            'Mackerel ignores the part after 24 hours from a Sunday start, or after Monday 00:00 from any other day '
            '(its downtime guide); split it into windows that do not span Sunday to Monday, or keep it shorter than '
            '24 hours' % (self.name, body['duration'], first_at, crossing[1]))}

    def check_past(self, start, now):
        if start < now - self.tolerance:
            raise errors.ValidationError('option start (%s) lies %d minutes in the past; a downtime may start at most '
                                         '%d seconds ago (past_tolerance); nothing was sent'
                                         % (timeutil.to_iso(start), (now - start) // 60, self.tolerance))


WEEK = 7 * 86400
EPOCH_MONDAY = 4 * 86400                         # 1970-01-05 00:00 UTC, a Monday
MONDAY_ZONES = (('UTC', 0), ('JST', 9 * 3600))   # the guide does not say the zone: UTC, and Mackerel's home zone
LONG_DOWNTIME = 1440                             # minutes


def _occurrences(start, recurrence, limit=400):
    """The first occurrence starts of a downtime: enough of them to see every weekday its recurrence falls on."""
    if not recurrence:
        return [start]
    kind, interval = recurrence.get('type'), max(int(recurrence.get('interval') or 1), 1)
    step = {'hourly': 3600, 'daily': 86400}.get(kind)
    if step:
        out = [start + n * step * interval for n in range(7 * 24)]
    elif kind == 'weekly':
        first = (time.gmtime(start).tm_wday + 1) % 7          # Sunday = 0, as WEEKDAYS
        days = [d for d in recurrence.get('weekdays') or [] if d in WEEKDAYS]
        out = sorted(start + ((WEEKDAYS.index(d) - first) % 7) * 86400 for d in days) or [start]
    else:   # monthly, yearly: the weekday moves from one occurrence to the next
        moment = time.gmtime(start)
        months = interval * (12 if kind == 'yearly' else 1)
        out = []
        for n in range(limit):
            index = moment.tm_mon - 1 + n * months
            year, month = moment.tm_year + index // 12, index % 12 + 1
            day = min(moment.tm_mday, calendar.monthrange(year, month)[1])
            out.append(calendar.timegm((year, month, day, 0, 0, 0)) + start % 86400)
    until = recurrence.get('until')
    return [t for t in out if until in (None, '') or t <= int(until)] or [start]


def monday_crossing(start, duration, recurrence=None):
    """(occurrence start, zone) of the first occurrence of a downtime of ``duration`` >= 1440 minutes with a Monday
    00:00 (UTC, or Mackerel's home zone JST) strictly inside it; None when there is none."""
    if int(duration) < LONG_DOWNTIME:
        return None
    length = int(duration) * 60
    for begin in _occurrences(int(start), recurrence):
        for zone, offset in MONDAY_ZONES:
            weeks = (begin + offset - EPOCH_MONDAY) // WEEK + 1
            next_monday = EPOCH_MONDAY + weeks * WEEK - offset          # the first Monday 00:00 after begin
            if next_monday < begin + length:
                return begin, zone
    return None


def normalise_downtime(downtime):
    out = dict(downtime)
    start = downtime.get('start')
    out['start_at'] = timeutil.to_iso(start)
    if start is not None and downtime.get('duration') is not None:
        out['end_at'] = timeutil.to_iso(int(start) + int(downtime['duration']) * 60)
    return out


def downtime_view(downtime):
    """What decides whether a downtime has to change: its fields in a canonical order (empty scopes dropped)."""
    view = {'name': downtime.get('name'), 'memo': downtime.get('memo') or '', 'start': downtime.get('start'),
            'duration': downtime.get('duration')}
    recurrence = downtime.get('recurrence')
    if recurrence:
        view['recurrence'] = dict((k, v) for k, v in recurrence.items() if v not in (None, [], ''))
        if 'weekdays' in view['recurrence']:
            view['recurrence']['weekdays'] = sorted(view['recurrence']['weekdays'],
                                                    key=lambda w: WEEKDAYS.index(w) if w in WEEKDAYS else 9)
    for _option, field in DOWNTIME_SCOPES:
        if downtime.get(field):
            view[field] = sorted(scope_key(v) for v in downtime[field]) if field.startswith('role') else \
                sorted(downtime[field])
    return view


class AnnotationSpec:
    """A wanted graph annotation (title, service, roles, window, description), validated before anything is sent."""

    def __init__(self, title, service, start=None, end=None, duration=None, description=None, roles=None,
                 tolerance=DEFAULT_TOLERANCE, now=None):
        now = time.time() if now is None else now
        self.title = str(title or '').strip()
        if not self.title or len(self.title) > MAX_ANNOTATION_TITLE:
            raise errors.ValidationError('option title must be 1 to %d characters' % MAX_ANNOTATION_TITLE)
        self.description = description or ''
        if len(self.description) > MAX_ANNOTATION_DESCRIPTION:
            raise errors.ValidationError('option description is %d characters; Mackerel accepts at most %d'
                                         % (len(self.description), MAX_ANNOTATION_DESCRIPTION))
        self.service = check_name(service, 'service')
        self.roles = sorted(set(check_name(r, 'roles') for r in roles or []))
        self.tolerance = int(tolerance)
        if duration not in (None, '') or end not in (None, ''):
            self.start, self.end, self.start_relative, self.end_relative = _window(start, duration, end, now,
                                                                                   self.tolerance)
        else:  # a point in time
            self.start = self.end = _epoch(start or 'now', 'start', now)
            self.start_relative = self.end_relative = timeutil.is_relative(start or 'now')

    def body(self, existing=None):
        existing = existing or {}
        body = {'title': self.title, 'description': self.description, 'service': self.service,
                'from': _settle(existing.get('from'), self.start, self.start_relative, self.tolerance),
                'to': _settle(existing.get('to'), self.end, self.end_relative, self.tolerance)}
        if self.roles:
            body['roles'] = list(self.roles)
        return body


def normalise_annotation(annotation):
    out = dict(annotation)
    out['from_at'] = timeutil.to_iso(annotation.get('from'))
    out['to_at'] = timeutil.to_iso(annotation.get('to'))
    return out


def annotation_view(annotation):
    view = dict((k, annotation.get(k)) for k in ('title', 'service', 'from', 'to'))
    view['description'] = annotation.get('description') or ''
    if annotation.get('roles'):
        view['roles'] = sorted(annotation['roles'])
    return view
