# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ManageEngine Log360 / EventLog Analyzer REST API v2 client: async alert and log searches, jobs, job results.

Every Log360 endpoint, payload shape and error shape lives here and nowhere else. What is only inferred about
the API (see the vendor reference) is accepted in every plausible form:

* submit answers ``{"data": {"request_id": ...}}`` or a flat ``{"request_id": ...}``;
* time bounds are ISO 8601 ``start_time``/``end_time`` (API v2 only: the old ``time_format: epoch_ms`` hybrid, v1's
  ``from``/``to`` on v2 paths with v2 field names, matched neither API and was removed);
* every path is in ``PATHS`` with whether the vendor documents it (verified) or we inferred it, and each one can be
  overridden per call (option ``api_paths``) for a server whose path differs from our reading;
* the synchronous alerts/search API (``POST /api/v2/alerts``, ``/api/v2/search``: hits plus a ``cursor`` that lives
  5 minutes) answers ``{"data": {"hits"}, "meta": {"cursor"}}`` (inferred v2 envelope) or v1's
  ``{"cursor", "hits": {"hits"}}``;
* metadata (product, alert profiles, log sources, log types, log fields): the v2 paths are not public (inferred);
  answers are read in the inferred v2 envelope or in the documented v1 shapes (``"Profile Based Alerts"``,
  ``"devices"``), and a 404 on the v2 path falls back to the documented v1 path;
* the jobs list is ``data.jobs.requests[]`` (v2) or a top-level ``requests[]`` with ``status`` and
  ``running_time_in_millis`` (v1 names);
* an unknown, deleted or expired job is a 404 or a 200 with no request in it;
* a delete of a job that is already gone is a 404 or a 200 without a message;
* the last results page has no ``next_page``, a null one, or one that points past ``total_items``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import json

from ansible_collections.alertops.core.plugins.module_utils import alerts, bulk, errors, pager, timeutil, transport, waiter
from ansible_collections.alertops.core.plugins.module_utils.ids import check_id
from ansible_collections.alertops.core.plugins.module_utils.options import check_required
from ansible_collections.alertops.core.plugins.module_utils.vocabulary import Vocabulary, resolve

PLATFORM = 'log360'
PAGE_SIZE = 1000
KINDS = ('alerts', 'logs')
MODES = ('sync', 'async', 'auto')
# auto: the synchronous API when the expected result is small (a window of at most this, or at most this many hits)
AUTO_SYNC_MAX_WINDOW = 6 * 3600
AUTO_SYNC_MAX_HITS = 10000
REMOVED_TIME_FORMAT = ('option time_format=epoch_ms was removed in alertops.core 0.2.0: it sent v1-style from/to on '
                       'the v2 paths, a hybrid that matches neither documented API (Log360 API v1 support ended in '
                       'September 2026). Remove time_format (API v2 ISO 8601 times are always used)')
SEVERITIES = ('critical', 'trouble', 'attention')
STATUSES = ('open', 'in_progress', 'closed')
# the lookup's normalised words map one to one onto Log360's (module_utils/alerts.py maps them back)
SEVERITY_WORDS = Vocabulary(SEVERITIES, {'warning': 'trouble', 'info': 'attention'})
STATUS_WORDS = Vocabulary(STATUSES, {'inprogress': 'in_progress'})
RESPONSE_TYPES = ('client', 'server')
TERMINAL_STAGES = ('SUCCESS', 'FAILED')
MAX_IDS = 100
MAX_DELETE_ROUNDS = 4      # a delete whose answer was lost is checked and sent again at most this often
RESULTS_TTL_HINT = 'unknown, deleted, or expired: results live 24 h'

# operation -> the AuthToken scope it needs (named in every 403 message)
SCOPES = {
    'submit alert search': 'alerts.READ',
    'submit log search': 'search.READ',
    'list jobs': 'jobs.READ',
    'get job': 'jobs.READ',
    'delete job': 'jobs.DELETE',
    'get job results': 'jobs.READ',
    'search alerts': 'alerts.READ',
    'search logs': 'search.READ',
    'get product details': 'the scope this server asks for',
    'list alert profiles': 'alerts.READ',
    'list log sources': 'logsources.READ',
    'list log types': 'logformats.READ',
    'list log fields': 'logfields.READ',
}

# name -> (default path, verified against the vendor's public v2 docs?, what it is). Every one can be overridden per
# call with the option api_paths (a dict name -> path).
PATHS = {
    'alerts_async': ('/api/v2/alerts/async', False, 'submit an asynchronous alert search'),
    'search_async': ('/api/v2/search/async', False, 'submit an asynchronous log search'),
    'jobs': ('/api/v2/jobs', True, 'list, get and delete jobs'),
    'job_results': ('/api/v2/jobs/results', True, 'results of a job'),
    'alerts': ('/api/v2/alerts', True, 'synchronous alert search (cursor paging)'),
    'search': ('/api/v2/search', True, 'synchronous log search (cursor paging)'),
    'product': ('/api/v2/meta/product', False, 'product name and version'),
    'alert_profiles': ('/api/v2/alerts/profiles', False, 'alert profiles ("List Alert Profile API")'),
    'log_sources': ('/api/v2/log-sources', False, 'log sources'),
    'log_types': ('/api/v2/meta/log-types', False, 'log types'),
    'log_fields': ('/api/v2/meta/log-fields', False, 'log fields'),
}
# the documented v1 metadata calls (method, path), tried once when the v2 path answers 404
V1_META = {
    'product': ('GET', '/RestAPI/v1/product/details'),      # "Get Product Details": answers {"os_type": "windows"}
    'alert_profiles': ('POST', '/RestAPI/v1/meta/alert_profiles'),
    'log_sources': ('GET', '/RestAPI/v1/meta/log_sources'),
    'log_types': ('GET', '/RestAPI/v1/meta/log_types'),
    'log_fields': ('GET', '/RestAPI/v1/meta/log_fields'),
}
META = ('product', 'alert_profiles', 'log_sources', 'log_types', 'log_fields')
V1_SOURCES_PAGE = 100


def describe_error(response):
    """(vendor text, hint) for an error response: v2 ``{code,title,detail}``, v1 ``{ERROR_DESCRIPTION}``, else text."""
    body = None
    try:
        body = json.loads(response.text) if response.body.strip() else None
    except ValueError:
        body = None
    vendor = None
    if isinstance(body, dict):
        err = body.get('error') if isinstance(body.get('error'), dict) else body
        parts = []
        if err.get('code') not in (None, ''):
            parts.append('code %s' % err['code'])
        for key in ('title', 'detail', 'ERROR_DESCRIPTION', 'message'):
            if err.get(key) not in (None, '') and not isinstance(err.get(key), (dict, list)):
                parts.append(str(err[key]))
        vendor = ': '.join(parts) if parts else None
    elif response.body.strip():
        text = response.text.strip()
        if '<html' in text[:512].lower():
            vendor = 'an HTML page instead of a JSON error (%s)' % response.excerpt(120).replace('\n', ' ')
        else:
            vendor = response.excerpt(300)  # redacted, then cut
    status = response.status
    scope = SCOPES.get(response.operation)
    hint = None
    if status == 401:
        hint = ('The AuthToken is rejected: token invalid, revoked or expired. Create a new one under '
                'Settings > Admin Settings > API Settings and update the token option (or LOG360_TOKEN)')
    elif status == 403:
        hint = ('The AuthToken lacks the scope %s needed to %s: regenerate the token with that scope'
                % (scope or 'this operation needs', response.operation or 'do this'))
    elif status == 400:
        hint = 'The server rejected the request; check the options (times, filters, request_id)'
    return vendor, hint


def normalise_job(raw):
    """A job in one shape whatever the API version: ISO 8601 times, progress in percent, the vendor object in raw."""
    stage = raw.get('stage', raw.get('status'))
    stage = str(stage).upper() if stage is not None else 'UNKNOWN'
    hits_done = _int(raw.get('hits_done'))
    total_hits = _int(raw.get('total_hits'))
    if stage == 'SUCCESS':
        progress = 100.0
    elif total_hits:
        progress = round(min(100.0, 100.0 * (hits_done or 0) / total_hits), 1)
    else:
        progress = 0.0
    running = raw.get('running_time_millis', raw.get('running_time_in_millis'))
    return {
        'request_id': raw.get('request_id'),
        'stage': stage,
        'hits_done': hits_done,
        'total_hits': total_hits,
        'total_pages': _int(raw.get('total_pages')),
        'progress': progress,
        'submitted_at': _iso(raw.get('submitted_at')),
        'started_at': _iso(raw.get('started_at')),
        'stopped_at': _iso(raw.get('stopped_at')),
        'running_time_millis': _int(running),
        'raw': raw,
    }


def _int(value):
    if value is None or value == '':
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None


def _iso(value):
    if value is None or value == '' or value == 0:
        return None
    epoch = timeutil.parse_vendor(value)
    return timeutil.to_iso(epoch) if epoch is not None else str(value)


def _first(hit, *keys):
    for key in keys:
        if hit.get(key) not in (None, ''):
            return hit[key]
    return None


def normalise_hit(hit):
    """A Log360 alert hit (``client`` display names or ``server`` column names) in the collection's alert model.

    Log360 alerts are read-only through the API: they are reported, never closed, so ``closed_at`` stays empty.
    """
    status = str(_first(hit, 'Status', 'STATUS') or 'open').lower()
    opened = timeutil.parse_vendor(_first(hit, 'Time', 'TIME', 'Alert Time', 'ALERT_TIME'))
    return alerts.make_alert(
        PLATFORM, _first(hit, 'Alert Id', 'ALERT_ID', 'UUID', 'Event ID', 'EVENTID'), status == 'closed',
        _first(hit, 'Severity', 'SEVERITY', 'COMMON_SEVERITY'),
        _first(hit, 'Alert Profile', 'PROFILE_NAME', 'Message', 'MESSAGE', 'Source', 'SOURCE'),
        _first(hit, 'Device', 'HOSTNAME', 'DisplayName'), opened, None, hit, state=_first(hit, 'Status', 'STATUS'))


def job_cutoff(older_than, now=None):
    """The epoch second ``older_than`` stands for (None without it): a duration back from ``now``, or a point in time
    (a relative time such as -6h or +2h is one)."""
    if older_than in (None, ''):
        return None
    now = timeutil.to_epoch('now') if now is None else now
    seconds = None if timeutil.is_relative(older_than) else timeutil.duration_seconds(older_than)
    try:
        return now - seconds if seconds is not None else timeutil.to_epoch(older_than, 'older_than', now=now)
    except errors.ValidationError as exc:
        exc.message = exc.message + ' (or a duration such as 30m, 6h, 2d)'
        raise


def select_jobs(jobs, finished_only=False, older_than=None, now=None):
    """Jobs that finished (SUCCESS or FAILED) and/or whose finish (else submission) is older than ``older_than``.

    ``older_than`` is a duration (``30m``, ``6h``, ``2d``, ``1w``) or a point in time in any accepted format.
    """
    cutoff = job_cutoff(older_than, now)
    selected = []
    for job in jobs:
        if finished_only and job['stage'] not in TERMINAL_STAGES:
            continue
        if cutoff is not None:
            when = timeutil.parse_vendor(job.get('stopped_at') or job.get('submitted_at'))
            if when is None or when > cutoff:
                continue
        selected.append(job)
    return selected


def describe_job(job):
    """Short text for messages: ``stage RUNNING, 42.0% (420/1000 hits)``."""
    if not job:
        return 'no job state seen'
    text = 'stage %s, %s%%' % (job.get('stage'), job.get('progress'))
    if job.get('total_hits') is not None:
        text += ' (%s/%s hits)' % (job.get('hits_done'), job.get('total_hits'))
    return text


def not_found(request_id, operation, status=None):
    return errors.NotFoundError('job %s not found (%s)' % (request_id, RESULTS_TTL_HINT), status,
                                operation=operation,
                                hint='Submit the search again with log360_search')


class ResultsReader:
    """Iterates the pages of one job's results; counts pages and remembers ``total_items`` as it goes."""

    def __init__(self, client, request_id, page=None, max_hits=None, response_type=None):
        self.client = client
        self.request_id = request_id
        self.page = page
        self.max_hits = max_hits
        self.response_type = response_type
        self.pages_fetched = 0
        self.total_items = None
        self.hits_read = 0

    def _fetch(self, page_no):
        data, meta = self.client.results_page(self.request_id, page_no, self.response_type)
        self.pages_fetched += 1
        hits = data
        total = _int(meta.get('total_items', meta.get('total_hits')))
        if total is not None:
            self.total_items = total
        self.hits_read += len(hits)
        next_page = meta.get('next_page')
        if self.page is not None or not hits or next_page in (None, '', False):
            return hits, None
        if self.total_items is not None and self.hits_read >= self.total_items:
            return hits, None
        nxt = _int(next_page)
        if nxt is None or nxt <= page_no:
            raise errors.ResponseError('results paging did not advance: page %s answered next_page %r' % (page_no, next_page),
                                       operation='get job results')
        return hits, nxt

    def pages(self):
        """Yield lists of hits, one per results page (cut at ``max_hits``)."""
        first = self.page if self.page is not None else 1
        return pager.iter_pages(self._fetch, first_cursor=first, max_items=self.max_hits,
                                operation='get job results')


@errors.platform_scoped
class Log360Client:
    PLATFORM = PLATFORM

    def __init__(self, transport_, api_paths=None):
        self.transport = transport_
        self.paths = check_api_paths(api_paths)
        self._profiles = None   # alert profiles, read once per task (resolve_profile_names)

    @classmethod
    def from_params(cls, params, on_secret=None, api_paths=None, time_format=None, **kwargs):
        check_time_format(time_format)
        paths = check_api_paths(api_paths)  # before anything else: bad input never reaches the network
        kwargs.pop('concurrency', None)
        check_required(PLATFORM, params)
        token = params['token']
        http = transport.from_params(PLATFORM, params, params['url'], headers={'Authorization': 'Bearer %s' % token},
                                     describe_error=describe_error, secrets=[token], on_secret=on_secret, **kwargs)
        return cls(http, api_paths=paths)

    def path(self, name):
        return self.paths.get(name) or PATHS[name][0]

    # -- async searches -------------------------------------------------------------------------------------
    def search_body(self, kind='alerts', query=None, start_time=None, end_time=None, severity=None, status=None,
                    profile_ids=None, log_source_ids=None, log_types=None, log_source_group_ids=None, now=None):
        """The JSON body of an async search. Checks every input first; raises ValidationError before anything is sent."""
        if kind not in KINDS:
            raise errors.ValidationError('option kind must be one of %s, got %r' % (', '.join(KINDS), kind))
        start = timeutil.to_epoch(start_time if start_time not in (None, '') else '-24h', 'start_time', now=now)
        end = timeutil.to_epoch(end_time if end_time not in (None, '') else 'now', 'end_time', now=now)
        timeutil.check_range(start, end)
        if kind == 'alerts':
            unused = [n for n, v in (('log_source_ids', log_source_ids), ('log_types', log_types),
                                     ('log_source_group_ids', log_source_group_ids)) if v]
        else:
            unused = [n for n, v in (('severity', severity), ('status', status), ('profile_ids', profile_ids)) if v]
        if unused:
            raise errors.ValidationError('option(s) %s do not apply to kind=%s' % (', '.join(unused), kind))
        severity = resolve(severity, SEVERITY_WORDS, 'severity')
        status = resolve(status, STATUS_WORDS, 'status')
        body = {'query': query if query not in (None, '') else '*', 'start_time': _iso_ms(start), 'end_time': _iso_ms(end)}
        for name, value in (('severity', severity), ('status', status), ('profile_ids', profile_ids),
                            ('log_source_ids', log_source_ids), ('log_types', log_types),
                            ('log_source_group_ids', log_source_group_ids)):
            if value in (None, '', []):
                continue
            if isinstance(value, list) and len(value) > MAX_IDS:
                raise errors.ValidationError('option %s takes at most %d values, got %d' % (name, MAX_IDS, len(value)))
            body[name] = value
        return body

    @staticmethod
    def body_window(body):
        """(start, end) of a search body as ISO 8601 UTC."""
        return (timeutil.to_iso(timeutil.to_epoch(body['start_time'])), timeutil.to_iso(timeutil.to_epoch(body['end_time'])))

    def submit(self, kind, body):
        """Start an async search; return its request_id."""
        operation = 'submit %s search' % ('alert' if kind == 'alerts' else 'log')
        response = self.transport.request('POST', self.path('alerts_async' if kind == 'alerts' else 'search_async'),
                                          operation, json_body=body)
        payload = response.json()
        request_id = None
        if isinstance(payload, dict):
            data = payload.get('data') if isinstance(payload.get('data'), dict) else {}
            request_id = data.get('request_id') or payload.get('request_id')
        if not request_id:
            raise errors.ResponseError('the server accepted the search but returned no request_id: %s'
                                       % response.excerpt(200), operation=operation,
                                       status=response.status)
        return str(request_id)

    # -- jobs -----------------------------------------------------------------------------------------------
    def _jobs(self, request_id=None):
        operation = 'get job' if request_id else 'list jobs'
        params = {'request_id': request_id} if request_id else None
        response = self.transport.request('GET', self.path('jobs'), operation, params=params,
                                          accept_statuses=(404,) if request_id else ())
        if response.status == 404:
            return None
        payload = response.json()
        if not isinstance(payload, dict):
            raise errors.ResponseError('the jobs list is not a JSON object', operation=operation,
                                       status=response.status)
        data = payload.get('data') if isinstance(payload.get('data'), dict) else {}
        jobs = data.get('jobs')
        requests_ = None
        if isinstance(jobs, dict):
            requests_ = jobs.get('requests')
        elif isinstance(jobs, list):
            requests_ = jobs
        if requests_ is None:
            requests_ = data.get('requests', payload.get('requests'))
        if requests_ is None:
            requests_ = []
        if not isinstance(requests_, list):
            raise errors.ResponseError('the jobs list has no requests array', operation=operation,
                                       status=response.status)
        return [normalise_job(r) for r in requests_ if isinstance(r, dict)]

    def list_jobs(self):
        return self._jobs()

    def find_job(self, request_id):
        """The normalised job, or None when it is unknown, deleted or expired (404 or an empty list)."""
        request_id = _check_id(request_id)
        jobs = self._jobs(request_id)
        if not jobs:
            return None
        for job in jobs:
            if job['request_id'] == request_id:
                return job
        if len(jobs) == 1 and not jobs[0]['request_id']:
            return jobs[0]
        return None  # the server ignored the filter and listed other jobs only

    def get_job(self, request_id):
        job = self.find_job(request_id)
        if job is None:
            raise not_found(request_id, 'get job')
        return job

    def delete_job(self, request_id):
        """Delete a job and its hits. True when this call deleted it, False when it was already gone.

        Already gone: a 404 or a 200 without a message to the first request. When the answer is lost (the connection
        dropped after sending, 502/504) or is a 2xx that cannot be read, the job is looked up again: gone means this
        call deleted it (True); still there means the delete is sent again. A 404 after such a lost answer is this
        call's own delete too.
        """
        job = {'request_id': _check_id(request_id)}
        _after, parts = bulk.write_once(job, bulk.Change(None, ('delete',)), **self._delete_writes())
        return bool(parts)

    def delete_jobs(self, request_ids, check_mode=False, concurrency=8):
        """Delete jobs, each exactly once (bulk.sync: the first alone, nothing more after a 401/403). Returns
        ``dict(deleted, absent, jobs, diff, failed)``: the ids deleted (or that would be, in check mode), the ids already
        gone, the deleted jobs as they were just before (and in ``diff``, without ``raw``), and
        ``[(request_id, error)]`` of those that failed."""
        ids = [_check_id(i) for i in request_ids]
        reads = bulk.run_bounded(ids, self.find_job, concurrency)
        found = dict((i, job) for i, job, error in reads if job is not None)
        failed = dict((i, error) for i, _job, error in reads if error is not None)
        synced = bulk.sync([dict(found[i], request_id=i) for i in ids if i in found],
                           lambda job: bulk.Change(None, ('delete',)), key=lambda job: job['request_id'],
                           check_mode=check_mode, concurrency=concurrency, **self._delete_writes())
        failed.update((item['key'], item['error']) for item in synced.items if item['error'] is not None)
        done = [item['key'] for item in synced.items if item['changed']]
        jobs = [found[i] for i in done]
        return dict(deleted=[found[i]['request_id'] or i for i in done], jobs=jobs,
                    absent=[i for i in ids if i not in done and i not in failed],
                    diff=dict(before={'jobs': [dict((k, v) for k, v in j.items() if k != 'raw') for j in jobs]},
                              after={'jobs': []}),
                    failed=[(i, failed[i]) for i in ids if i in failed])

    def _delete_writes(self):
        """bulk's functions for a job delete. Already gone: a 404 or a 200 without a message. After a lost answer
        (dropped after sending, 502/504, an unreadable 2xx) the job list decides: gone is this run's delete, also when
        the delete sent again meets a 404."""

        def write(job, _change):
            response = self.transport.request('DELETE', self.path('jobs'), 'delete job',
                                              params={'request_id': job['request_id']}, accept_statuses=(404,),
                                              idempotent=False)
            if response.status == 404:
                return None, ()
            payload = response.json(allow_empty=True)   # a 2xx that cannot be read: an unknown outcome
            if isinstance(payload, dict):
                payload = payload.get('data') if isinstance(payload.get('data'), dict) else payload
                return None, ('delete',) if payload.get('message') else ()
            return None, ()

        def reread(job):
            current = self.find_job(job['request_id'])
            return None if current is None else dict(current, request_id=job['request_id'])

        return dict(write=write, reread=reread, done=lambda current, change: current is None, rounds=MAX_DELETE_ROUNDS)

    @staticmethod
    def check_wait(timeout, sleep, timeout_option='timeout', sleep_option='sleep'):
        if timeout is None or timeout < 0:
            raise errors.ValidationError('option %s must be zero or positive, got %s' % (timeout_option, timeout))
        if sleep is None or sleep <= 0:
            raise errors.ValidationError('option %s must be positive, got %s' % (sleep_option, sleep))

    def wait_job(self, request_id, timeout, sleep, clock=None, sleeper=None):
        """Poll until SUCCESS or FAILED. Returns (job, elapsed, polls); raises JobFailedError / WaitTimeoutError."""
        request_id = _check_id(request_id)
        self.check_wait(timeout, sleep)
        kwargs = {}
        if clock is not None:
            kwargs['clock'] = clock
        if sleeper is not None:
            kwargs['sleep'] = sleeper
        try:
            job, elapsed, polls = waiter.wait_for(lambda: self.get_job(request_id), lambda j: j['stage'] in TERMINAL_STAGES,
                                                  timeout, sleep, describe=describe_job, **kwargs)
        except errors.WaitTimeoutError as exc:
            raise errors.WaitTimeoutError('job %s did not finish within %s s: %s' % (request_id, timeout, exc.message),
                                          operation='wait for job', details=exc.details,
                                          hint='Raise timeout, or wait again later with log360_job_wait')
        if job['stage'] == 'FAILED':
            raise errors.JobFailedError('job %s ended FAILED (%s)' % (request_id, describe_job(job)),
                                        operation='wait for job', details=dict(job=job, elapsed=elapsed, polls=polls),
                                        hint='Check the query and the time range, then submit the search again')
        return job, elapsed, polls

    # -- results --------------------------------------------------------------------------------------------
    def results_page(self, request_id, page, response_type=None):
        """One page of results: (hits, meta)."""
        params = {'request_id': request_id, 'page': page}
        if response_type:
            params['response_type'] = response_type
        response = self.transport.request('GET', self.path('job_results'), 'get job results', params=params, accept_statuses=(404,))
        if response.status == 404:
            raise not_found(request_id, 'get job results', 404)
        payload = response.json()
        if not isinstance(payload, dict):
            raise errors.ResponseError('the results page is not a JSON object', operation='get job results',
                                       status=response.status)
        data = payload.get('data')
        hits = None
        if isinstance(data, dict):
            hits = data.get('hits')
        if hits is None and isinstance(payload.get('results'), dict):  # v1: results.hits
            hits = payload['results'].get('hits')
        if isinstance(hits, dict):  # {"hits": {"hits": [...]}}
            hits = hits.get('hits')
        if hits is None:
            hits = []
        if not isinstance(hits, list):
            raise errors.ResponseError('the results page has no hits array', operation='get job results',
                                       status=response.status)
        meta = payload.get('meta') if isinstance(payload.get('meta'), dict) else {}
        if 'next_page' not in meta and 'next_page' in payload:  # v1 kept it top level
            meta = dict(meta, next_page=payload['next_page'])
        return hits, meta

    def results(self, request_id, page=None, max_hits=None, response_type=None):
        """Check the job is SUCCESS (a clear failure otherwise), then return a ResultsReader over its pages."""
        if page is not None and page < 1:
            raise errors.ValidationError('option page must be 1 or more, got %s' % page)
        if max_hits is not None and max_hits < 1:
            raise errors.ValidationError('option max_hits must be 1 or more, got %s' % max_hits)
        if response_type not in (None, '') and response_type not in RESPONSE_TYPES:
            raise errors.ValidationError('option response_type must be one of %s, got %r'
                                         % (', '.join(RESPONSE_TYPES), response_type))
        job = self.get_job(request_id)
        if job['stage'] == 'FAILED':
            raise errors.JobFailedError('job %s ended FAILED, it has no results (%s)' % (request_id, describe_job(job)),
                                        operation='get job results',
                                        hint='Submit the search again with log360_search')
        if job['stage'] != 'SUCCESS':
            raise errors.ConflictError('job %s is not finished yet (%s)' % (request_id, describe_job(job)),
                                       operation='get job results',
                                       hint='Wait for it first with log360_job_wait (or log360_search wait: true)')
        return ResultsReader(self, request_id, page=page, max_hits=max_hits, response_type=response_type or None), job

    # -- the collect workflow: the one place a search is read to the end ---------------------------------------
    def collect(self, kind, body, wait_timeout, wait_sleep, max_hits=None, mode='async', on_submit=None, on_page=None,
                response_type=None):
        """Read every hit of a search, the one way: through the synchronous API (``mode`` sync, or auto for a small
        result), or as a job - submit, wait (the one waiter), read every page (the one pager) and delete the job, also
        when a step (or ``on_page``) fails.

        ``on_page(hits)`` receives each page; without it the hits are returned under ``hits``. ``on_submit(request_id)``
        is called before the wait (the EDA source records the job there, to delete it after a kill). Returns
        ``{mode, hits?, pages_fetched, total_items, request_id?, job?, elapsed?, polls?}`` (request_id, job, elapsed,
        polls for a job). Used by the alerts lookup, the EDA event source and log360_search collect (the roles).
        """
        self.check_wait(wait_timeout, wait_sleep, 'wait_timeout', 'wait_sleep')
        out = {'mode': self.choose_mode(mode, body, max_hits)}
        if on_page is None:
            out['hits'] = []
            on_page = out['hits'].extend
        if out['mode'] == 'sync':
            return self._read_all(self.sync_pages(kind, body, max_hits=max_hits, response_type=response_type), on_page,
                                  out)
        out['request_id'] = request_id = self.submit(kind, body)
        try:
            if on_submit is not None:
                on_submit(request_id)
            out['job'], out['elapsed'], out['polls'] = self.wait_job(request_id, wait_timeout, wait_sleep)
            reader, out['job'] = self.results(request_id, max_hits=max_hits, response_type=response_type)
            return self._read_all(reader, on_page, out)
        finally:
            try:
                self.delete_job(request_id)
            except errors.AlertOpsError:
                pass  # the job expires by itself within 24 h; the original outcome matters more

    @staticmethod
    def _read_all(reader, on_page, out):
        for page in reader.pages():
            on_page(page)
        total = reader.total_items
        out.update(pages_fetched=reader.pages_fetched,
                   total_items=total if total is not None else getattr(reader, 'hits_read', None))
        return out

    @staticmethod
    def check_alert_options(query=None, **_others):
        """collect_alerts' options checked before anything is sent (the EDA source checks at start)."""
        if query is not None and not isinstance(query, str):
            raise errors.ValidationError('option query must be a string for platform=log360')

    def collect_alerts(self, ids=None, query=None, opened_after=None, opened_before=None, severity=None,
                       profile_ids=None, profile_names=None, with_closed=False, max_items=None, mode='auto',
                       wait_timeout=600, wait_sleep=5, on_submit=None):
        """The alerts of a window in the normalised model (the alerts lookup, the EDA source).

        The server selects the window, severity and profiles (names resolved to ids first); what it cannot select is
        filtered here: only the given alert ``ids``, and closed alerts only ``with_closed`` (the search's status takes
        one value, and "not closed" is two). ``max_items`` bounds the hits read. ``on_submit(request_id)``: see
        ``collect`` (the EDA source records the job there).
        """
        self.check_alert_options(query)
        profile_ids = list(profile_ids or []) + self.resolve_profile_names(profile_names)
        body = self.search_body(kind='alerts', query=query, start_time=opened_after or '-24h',
                                end_time=opened_before or 'now', severity=severity,
                                profile_ids=list(dict.fromkeys(profile_ids)))
        hits = self.collect('alerts', body, wait_timeout, wait_sleep, max_hits=max_items, mode=mode,
                            on_submit=on_submit)['hits']
        ids = set(ids or [])
        return [a for a in (normalise_hit(h) for h in hits)
                if (not ids or a['id'] in ids) and (with_closed or a['status'] != 'closed')]

    # -- synchronous alerts / search (one request per page, no job) -------------------------------------------
    def choose_mode(self, mode, body, max_hits=None, wait=True):
        """``sync`` or ``async`` for ``mode`` (sync, async, auto). auto picks sync when the caller waits for the result
        and it is expected to be small: a window of at most AUTO_SYNC_MAX_WINDOW or at most AUTO_SYNC_MAX_HITS hits."""
        if mode not in MODES:
            raise errors.ValidationError('option mode must be one of %s, got %r' % (', '.join(MODES), mode))
        if mode != 'auto':
            return mode
        if not wait:
            return 'async'
        start, end = (timeutil.to_epoch(t) for t in (body['start_time'], body['end_time']))
        small = (end - start) <= AUTO_SYNC_MAX_WINDOW + 1 or (max_hits is not None and max_hits <= AUTO_SYNC_MAX_HITS)
        return 'sync' if small else 'async'

    def sync_pages(self, kind, body, max_hits=None, response_type=None):
        """A SyncReader over the pages of a synchronous search (``POST /api/v2/alerts`` or ``/api/v2/search``)."""
        return SyncReader(self, kind, body, max_hits, response_type)

    def sync_page(self, kind, body):
        """One synchronous answer: (hits, cursor or None, total or None)."""
        operation = 'search alerts' if kind == 'alerts' else 'search logs'
        # a read, though a POST: safe to send again when the connection drops
        response = self.transport.request('POST', self.path('alerts' if kind == 'alerts' else 'search'), operation,
                                          json_body=body, idempotent=True)
        payload = response.json()
        if not isinstance(payload, dict):
            raise errors.ResponseError('the search answer is not a JSON object', operation=operation,
                                       status=response.status)
        data = payload.get('data') if isinstance(payload.get('data'), dict) else {}
        meta = payload.get('meta') if isinstance(payload.get('meta'), dict) else {}
        hits = data.get('hits', payload.get('hits'))
        if isinstance(hits, dict):  # v1: {"hits": {"hits": [...]}}
            hits = hits.get('hits')
        if hits is None:
            hits = []
        if not isinstance(hits, list):
            raise errors.ResponseError('the search answer has no hits array', operation=operation,
                                       status=response.status)
        cursor = meta.get('cursor', data.get('cursor', payload.get('cursor')))
        total = _int(meta.get('total_items', meta.get('total_hits')))
        return hits, (str(cursor) if cursor not in (None, '', False) else None), total

    # -- metadata ------------------------------------------------------------------------------------------
    def metadata(self, name):
        """Normalised records of one metadata list (or the product dict). The v2 path first; a 404 there falls back
        once to the documented v1 call (alert profiles, log sources, log types, log fields)."""
        operation = {'product': 'get product details'}.get(name, 'list %s' % name.replace('_', ' '))
        override = name in self.paths
        response = self.transport.request('GET', self.path(name), operation,
                                          accept_statuses=(404,) if name in V1_META and not override else ())
        if response.status == 404:
            return self._v1_metadata(name, operation)
        return parse_metadata(name, response.json(), operation)

    def _v1_metadata(self, name, operation):
        method, path = V1_META[name]
        if name != 'log_sources':
            body = {} if method == 'POST' else None
            return parse_metadata(name, self.transport.request(method, path, operation, json_body=body,
                                                               idempotent=True).json(), operation)
        out = []
        first = 1
        while True:  # v1 pages log sources with from/to (1-based, inclusive)
            page = parse_metadata(name, self.transport.request(
                'GET', path, operation, params={'from': first, 'to': first + V1_SOURCES_PAGE - 1}).json(), operation)
            out.extend(page)
            if len(page) < V1_SOURCES_PAGE:
                return out
            first += V1_SOURCES_PAGE

    def alert_profiles(self):
        if self._profiles is None:
            self._profiles = self.metadata('alert_profiles')
        return self._profiles

    def resolve_profile_names(self, names):
        """Alert profile names -> ids (one metadata read per task, cached). Case-insensitive; unknown or ambiguous
        names fail before anything else is sent."""
        if not names:
            return []
        profiles = self.alert_profiles()
        by_name = {}
        for profile in profiles:
            by_name.setdefault(str(profile.get('name') or '').strip().lower(), []).append(profile)
        ids, unknown = [], []
        for name in names:
            found = by_name.get(str(name).strip().lower())
            if not found:
                unknown.append(name)
                continue
            if len(set(p['id'] for p in found)) > 1:
                raise errors.ValidationError('option profile_names: %r names %d alert profiles (ids %s); use profile_ids'
                                             % (name, len(found), ', '.join(p['id'] for p in found)))
            ids.append(found[0]['id'])
        if unknown:
            known = sorted(str(p.get('name')) for p in profiles)
            raise errors.ValidationError('option profile_names: no alert profile named %s; the server has %d: %s'
                                         % (', '.join(repr(n) for n in unknown), len(known), ', '.join(known[:30])))
        return list(dict.fromkeys(ids))


# a Log360 alert hit -> the normalised alert model. Set after the class: a pure
# function called for every alert of a listing needs no platform scope (platform_scoped wraps the class's methods).
Log360Client.to_model = staticmethod(normalise_hit)


class SyncReader:
    """The pages of one synchronous search: the first POST carries the query, the next ones only the cursor (the
    API refuses both together). The cursor lives 5 minutes unused; pages are read back to back, so it never idles."""

    def __init__(self, client, kind, body, max_hits=None, response_type=None):
        self.client = client
        self.kind = kind
        self.body = dict(body)
        if response_type:
            self.body['response_type'] = response_type
        self.max_hits = max_hits
        self.pages_fetched = 0
        self.total_items = None

    def _fetch(self, cursor):
        hits, nxt, total = self.client.sync_page(self.kind, self.body if cursor is None else {'cursor': cursor})
        self.pages_fetched += 1
        if total is not None:
            self.total_items = total
        return hits, (nxt if hits else None)

    def pages(self):
        return pager.iter_pages(self._fetch, first_cursor=None, max_items=self.max_hits,
                                operation='search %s' % self.kind)


def check_time_format(time_format):
    if time_format in (None, '', 'iso8601'):
        return
    if time_format == 'epoch_ms':
        raise errors.ValidationError(REMOVED_TIME_FORMAT)
    raise errors.ValidationError('option time_format: only iso8601 is supported, got %r' % (time_format,))


def check_api_paths(api_paths):
    """The option api_paths: {name: path}; names from PATHS, each path absolute (``/...``), nothing else."""
    if not api_paths:
        return {}
    if not isinstance(api_paths, dict):
        raise errors.ValidationError('option api_paths must be a dictionary of name: path, got %r' % (api_paths,))
    unknown = sorted(str(k) for k in api_paths if k not in PATHS)
    if unknown:
        raise errors.ValidationError('option api_paths: unknown name(s) %s; valid names are %s'
                                     % (', '.join(unknown), ', '.join(sorted(PATHS))))
    out = {}
    for name, path in api_paths.items():
        text = str(path or '').strip()
        if not text.startswith('/') or '://' in text or '?' in text or '#' in text or '..' in text:
            raise errors.ValidationError('option api_paths.%s must be a path on the server such as %s, got %r'
                                         % (name, PATHS[name][0], path))
        out[name] = text
    return out


# metadata answers: where the records may sit (v2 envelope guesses first, then the documented v1 keys)
_META_KEYS = {
    'alert_profiles': ('alert_profiles', 'profiles', 'alertProfiles'),
    'log_sources': ('log_sources', 'logsources', 'devices', 'log-sources'),
    'log_types': ('log_types', 'logtypes', 'log_formats', 'types'),
    'log_fields': ('log_fields', 'logfields', 'fields'),
}
_V1_PROFILE_SECTIONS = (('Profile Based Alerts', 'profile'), ('Correlation Alert Profiles', 'correlation'))


def _pick(record, *keys):
    for key in keys:
        if record.get(key) not in (None, ''):
            return record[key]
    return None


def parse_metadata(name, payload, operation):
    """Normalised metadata records: each with ``id`` (str or None), ``name`` and the vendor record in ``raw``."""
    if not isinstance(payload, (dict, list)):
        raise errors.ResponseError('the %s answer is not JSON object' % name, operation=operation)
    data = payload.get('data', payload) if isinstance(payload, dict) else payload
    if name == 'product':
        product = data.get('product', data) if isinstance(data, dict) else {}
        if not isinstance(product, dict):
            raise errors.ResponseError('the product answer is not an object', operation=operation)
        out = {'name': _pick(product, 'name', 'product_name', 'productName'),
               'version': _pick(product, 'version', 'build_version', 'buildVersion'),
               'build': _pick(product, 'build', 'build_number', 'buildNumber'),
               'os_type': _pick(product, 'os_type', 'osType')}
        out = dict((k, v) for k, v in out.items() if v is not None)   # only what the server says (v1: os_type only)
        out['raw'] = product
        return out
    records = []
    if name == 'alert_profiles' and isinstance(data, dict) and any(k in data for k, _t in _V1_PROFILE_SECTIONS):
        for key, kind in _V1_PROFILE_SECTIONS:
            records.extend((r, kind) for r in data.get(key) or [] if isinstance(r, dict))
    else:
        found = data if isinstance(data, list) else None
        if isinstance(data, dict):
            found = next((data[k] for k in _META_KEYS[name] if isinstance(data.get(k), list)), None)
            if found is None:
                found = next((v for v in data.values() if isinstance(v, list)), None)
        if found is None:
            raise errors.ResponseError('the %s answer holds no list' % name.replace('_', ' '),
                                       operation=operation)
        records = [(r, None) for r in found if isinstance(r, dict)]
    out = []
    for record, kind in records:
        # v1 log types / log fields: {client_value, server_value} (Log360), {description, id} (EventLog Analyzer)
        rid = _pick(record, 'id', 'profile_id', 'Alert Id', 'Profile Id', 'host_id', 'log_source_id', 'log_type_id',
                    'field_id', 'server_value')
        item = {'id': str(rid) if rid is not None else None,
                'name': _pick(record, 'name', 'profile_name', 'Alert profile name', 'Alert Profile Name', 'Profile Name',
                              'Alert Profile', 'display_name', 'log_type', 'field_name', 'client_value', 'description'),
                'raw': record}
        if name == 'alert_profiles':
            item.update(type=kind or _pick(record, 'type', 'Type', 'profile_type'),
                        severity=_pick(record, 'severity', 'Severity'), status=_pick(record, 'status', 'Status'))
        elif name == 'log_sources':
            item.update(ip_address=_pick(record, 'ip_address', 'ip'), group=_pick(record, 'group', 'group_name'))
        elif name == 'log_fields':
            item.update(type=_pick(record, 'type', 'data_type'), log_type=_pick(record, 'log_type', 'log_type_name'))
        out.append(item)
    return out


def filter_names(records, patterns):
    """Records whose name matches one of ``patterns`` (case-insensitive shell-style globs); all when none given."""
    if not patterns:
        return records
    lowered = [str(p).lower() for p in patterns]
    return [r for r in records if any(fnmatch.fnmatchcase(str(r.get('name') or '').lower(), p) for p in lowered)]


def _check_id(request_id):
    return check_id(request_id, 'request_id', PLATFORM, 'Log360 request id')


def _iso_ms(epoch):
    text = timeutil.to_iso(epoch)
    millis = int(round((epoch - int(epoch)) * 1000))
    if millis and millis < 1000:
        text = text[:-1] + '.%03dZ' % millis
    return text
