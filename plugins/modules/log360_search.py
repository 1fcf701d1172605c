#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: log360_search
short_description: Submit an asynchronous Log360 / EventLog Analyzer alert or log search
version_added: 0.1.0
description:
  - Starts a background search with the REST API v2 (C(POST /api/v2/alerts/async) or C(POST /api/v2/search/async))
    and returns its C(request_id).
  - Not idempotent by nature; every run that is not in check mode starts a new job, so the task always reports a change.
    With the synchronous API (O(mode=sync)) nothing is created on the server and the task reports no change.
  - Results live on the server for 24 hours; fetch them with M(alertops.core.log360_job_results) and delete the job
    with M(alertops.core.log360_job) when done.
  - With O(collect=true) the whole read is this one task - the search, the wait, every page of hits (returned as
    RV(hits) or streamed to O(dest)) and the deletion of the job, also when a step fails - and nothing is left on the
    server.
  - The token needs the scope C(alerts.READ) for O(kind=alerts), C(search.READ) for O(kind=logs), and C(jobs.READ)
    to wait for the job.
options:
  kind:
    description:
      - V(alerts) searches the alerts raised by alert profiles, V(logs) searches the collected logs.
    type: str
    choices: [alerts, logs]
    default: alerts
  query:
    description:
      - The search query. Defaults to V(*) (everything) when not given.
      - Required by the server for O(kind=logs).
    type: str
  start_time:
    description:
      - Start of the time range.
      - ISO 8601 with a zone (V(2026-11-23T10:00:00Z), V(2026-11-23T19:00:00+09:00); an offset is at most 18:00).
        A date and time without a zone is refused (add V(Z) for UTC); a date alone (V(2026-11-23) or V(20261123)) is
        that day at 00:00 UTC. Epoch seconds up to V(253402300799) (9999-12-31T23:59:59Z) or epoch milliseconds from
        V(1000000000000) (2001-09-09T01:46:40Z); a number between the two is refused. Or relative (V(now), V(-24h),
        V(-30m), V(-7d)).
    type: str
    default: -24h
  end_time:
    description:
      - End of the time range, in the same forms as O(start_time). Must not be before O(start_time).
    type: str
    default: now
  time_format:
    description:
      - Only V(iso8601) (C(start_time)/C(end_time) as ISO 8601 strings, API v2), which is also what is sent when the
        option is not set.
      - V(epoch_ms) was removed in 0.2.0 (it sent v1-style C(from)/C(to) on the v2 paths, which matches neither
        documented API); setting it fails the task with a message that says so.
    type: str
  mode:
    description:
      - V(async) submits a background job (C(POST .../async)), returns RV(request_id) and, with O(wait=true), waits for
        it. Fetch the hits with M(alertops.core.log360_job_results) and delete the job with M(alertops.core.log360_job).
      - V(sync) uses the synchronous API (C(POST /api/v2/alerts) or C(POST /api/v2/search), cursor paging) and returns
        the hits as RV(hits) - one request per page of hits, no job to poll or delete (at least four requests fewer).
        The server keeps a cursor 5 minutes; the pages are read back to back.
      - V(auto) uses V(sync) when O(wait=true) and the result is expected to be small (a window of at most 6 hours,
        or O(max_hits) at most 10000), else V(async).
    type: str
    choices: [async, sync, auto]
    default: async
  max_hits:
    description: With the synchronous API, or with O(collect=true), stop after this many hits.
    type: int
  api_paths:
    description:
      - Override the API path of one or more calls, for a server whose path differs from the collection's reading of
        the documentation (no new release needed). Keys are call names, values paths on the server such as
        V(/api/v2/alerts/async).
      - Verified against the vendor's public API v2 documentation - C(jobs) (V(/api/v2/jobs)), C(job_results)
        (V(/api/v2/jobs/results)), C(alerts) (V(/api/v2/alerts)), C(search) (V(/api/v2/search)).
      - Inferred (not in the public documentation) - C(alerts_async) (V(/api/v2/alerts/async)), C(search_async)
        (V(/api/v2/search/async)) and the metadata calls C(alert_profiles) (V(/api/v2/alerts/profiles)) used by
        O(profile_names).
    type: dict
  profile_names:
    description:
      - Names of alert profiles (O(kind=alerts) only), resolved to their ids with one read of the alert profiles
        (cached for the task) and added to O(profile_ids). Case-insensitive; an unknown or ambiguous name fails the
        task before the search is sent and lists the profiles the server has.
    type: list
    elements: str
  severity:
    description:
      - Only alerts of this severity (O(kind=alerts) only), one of V(critical), V(trouble) or V(attention).
      - Forgiving, like every severity and status option of the collection - any case; the lookup's normalised words
        V(warning) (= V(trouble)) and V(info) (= V(attention)); a list of exactly one value such as V([critical]).
    type: raw
  status:
    description:
      - Only alerts in this status (O(kind=alerts) only), one of V(open), V(in_progress) or V(closed).
      - Any case; V(in progress) and V(in-progress) mean V(in_progress); a list of exactly one value is accepted.
    type: raw
  profile_ids:
    description:
      - Only alerts raised by these alert profiles (O(kind=alerts) only, at most 100).
    type: list
    elements: str
  log_source_ids:
    description:
      - Only logs from these log sources (O(kind=logs) only, at most 100).
    type: list
    elements: str
  log_types:
    description:
      - Only logs of these log types (O(kind=logs) only, at most 100).
    type: list
    elements: str
  collect:
    description:
      - Read every hit in this task, the way the alerts lookup does - through the synchronous API (see O(mode)), or
        submit a job, wait for it (O(wait_timeout), O(wait_sleep)), read every page and delete the job, also when a
        step fails. The hits are returned as RV(hits), or written to O(dest).
      - The task reports a change only when O(dest) changed. In check mode nothing is sent; with O(dest) the file is
        checked and the task reports that it would change.
    type: bool
    default: false
    version_added: 0.2.0
  normalise:
    description:
      - With O(collect=true), return (or write) each hit in the collection's normalised alert model (as the alerts
        lookup returns it) instead of the vendor hit.
    type: bool
    default: false
    version_added: 0.2.0
  dest:
    description:
      - With O(collect=true), stream the hits page by page to this file on the managed host instead of returning
        them, as M(alertops.core.log360_job_results) does (O(format); new files 0600, written atomically; an
        existing file keeps its mode; a directory, a device or a dangling link is refused before anything is sent).
    type: path
    version_added: 0.2.0
  format:
    description: The format of O(dest) (one JSON array, one JSON object per line, or CSV).
    type: str
    choices: [json, jsonl, csv]
    default: jsonl
    version_added: 0.2.0
  wait:
    description:
      - Wait until the job is finished and return it as RV(job). A job that ends FAILED, or does not finish within
        O(wait_timeout), fails the task (the job is left on the server; RV(request_id) is returned).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true).
    type: int
    default: 600
  wait_sleep:
    description:
      - Longest pause between two polls when O(wait=true). Polling starts after 1 second and doubles up to this.
    type: int
    default: 5
extends_documentation_fragment:
  - alertops.core.log360
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_log360
attributes:
  check_mode:
    support: full
    details: Validates the options and sends nothing; RV(request_id) is not returned.
  diff_mode:
    support: none
    details: Nothing to compare; a search creates a new job.
seealso:
  - module: alertops.core.log360_job_wait
  - module: alertops.core.log360_job_results
  - module: alertops.core.log360_job
author:
  - alertops.core contributors (@alertops)
"""

EXAMPLES = r"""
- name: Search the critical alerts of the last 24 hours and wait for the job
  alertops.core.log360_search:
    kind: alerts
    severity: critical
    start_time: -24h
    end_time: now
    wait: true
  register: search

- name: Search Windows logs in a change window
  alertops.core.log360_search:
    kind: logs
    query: "EVENTID = 4625"
    start_time: "2026-11-23T10:00:00Z"   # fixed date: a window in the past stays a valid search
    end_time: "2026-11-23T12:00:00+00:00"   # fixed date: any offset, or Z
    log_types: [Windows]
  register: logs_search

- name: The Failed logons alerts of the last hour, by profile name, through the synchronous API
  alertops.core.log360_search:
    kind: alerts
    profile_names: [Failed logons]
    start_time: -1h
    mode: auto
    wait: true
  register: failed_logons

- name: Every alert of the last 24 hours in one task (search, wait, every page, job deleted) to a file
  alertops.core.log360_search:
    kind: alerts
    start_time: -24h
    collect: true
    normalise: true
    dest: /var/tmp/alerts.jsonl
  register: collected

- name: A server whose async alert path differs from our reading of the documentation
  alertops.core.log360_search:
    kind: alerts
    api_paths:
      alerts_async: /api/v2/alerts/async
"""

RETURN = r"""
mode:
  description: V(sync) or V(async), what was used (O(mode=auto) resolved).
  returned: success
  type: str
  sample: sync
hits:
  description: The hits, when the synchronous API was used or with O(collect=true) (normalised with O(normalise=true)).
  returned: when mode is sync or O(collect=true), without O(dest), and not in check mode
  type: list
  elements: dict
hits_written:
  description: How many hits were returned or written to O(dest).
  returned: when O(collect=true) and not in check mode
  type: int
  version_added: 0.2.0
dest:
  description: The file the hits were written to.
  returned: when O(dest) is given and not in check mode
  type: str
  version_added: 0.2.0
pages_fetched:
  description: Pages of hits read.
  returned: when mode is sync or O(collect=true), and not in check mode
  type: int
total_items:
  description: Hits the server reported in total (null when the server does not say).
  returned: when mode is sync or O(collect=true), and not in check mode
  type: int
request_id:
  description:
    - Id of the background job. Not returned in check mode, nor with the synchronous API.
    - With O(collect=true) the job has already been deleted.
  returned: success, except in check mode and in mode sync
  type: str
  sample: AZbneNUBx31OH7OTNMmz
job:
  description: The finished job (when O(wait=true), or O(collect=true) with a job).
  returned: when O(wait=true) or O(collect=true) with a job, and not in check mode
  type: dict
  contains:
    request_id:
      description: Job id.
      type: str
    stage:
      description: C(RUNNING), C(SUCCESS) or C(FAILED).
      type: str
    hits_done:
      description: Hits collected so far.
      type: int
    total_hits:
      description: Hits the job found.
      type: int
    total_pages:
      description: Result pages (1000 hits each).
      type: int
    progress:
      description: Percent done.
      type: float
    submitted_at:
      description: ISO 8601 UTC.
      type: str
    started_at:
      description: ISO 8601 UTC.
      type: str
    stopped_at:
      description: ISO 8601 UTC, null while running.
      type: str
    running_time_millis:
      description: Run time in milliseconds.
      type: int
    raw:
      description: The job as the server returned it.
      type: dict
elapsed:
  description: Seconds spent waiting.
  returned: when O(wait=true) or O(collect=true) with a job, and not in check mode
  type: float
polls:
  description: Job status requests made while waiting.
  returned: when O(wait=true) or O(collect=true) with a job, and not in check mode
  type: int
start_time:
  description: Start of the searched window, ISO 8601 UTC (relative inputs such as V(-24h) resolved once).
  returned: always
  type: str
  sample: "2026-11-22T10:00:00Z"
end_time:
  description: End of the searched window, ISO 8601 UTC.
  returned: always
  type: str
  sample: "2026-11-23T10:00:00Z"
body:
  description: The search request that was (or in check mode would be) sent.
  returned: always
  type: dict
  sample: {"query": "*", "start_time": "2026-11-22T10:00:00Z", "end_time": "2026-11-23T10:00:00Z"}
"""

import contextlib

from ansible_collections.alertops.core.plugins.module_utils import hitfile
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import KINDS, MODES, Log360Client


def run(module):
    p = module.params
    if p['max_hits'] is not None and p['max_hits'] < 1:
        raise ValidationError('option max_hits must be 1 or more, got %s' % p['max_hits'])
    if p['profile_names'] and p['kind'] != 'alerts':
        raise ValidationError('option profile_names applies to kind=alerts only')
    given = [n for n in ('dest', 'normalise') if p[n]]
    if given and not p['collect']:
        raise ValidationError('option %s applies with collect=true only' % given[0])
    # everything about dest is checked before anything is sent
    out = hitfile.HitFile(p['dest'], p['format'], check_mode=module.check_mode) if p['dest'] else None
    client = module.client(time_format=p['time_format'], api_paths=p['api_paths'])
    body = client.search_body(kind=p['kind'], query=p['query'], start_time=p['start_time'], end_time=p['end_time'],
                              severity=p['severity'], status=p['status'], profile_ids=p['profile_ids'],
                              log_source_ids=p['log_source_ids'], log_types=p['log_types'])
    if p['wait'] or p['collect']:
        client.check_wait(p['wait_timeout'], p['wait_sleep'], 'wait_timeout', 'wait_sleep')
    mode = client.choose_mode(p['mode'], body, p['max_hits'], p['wait'] or p['collect'])
    if p['profile_names']:  # one metadata read (a read: also in check mode)
        ids = list(dict.fromkeys((p['profile_ids'] or []) + client.resolve_profile_names(p['profile_names'])))
        body = client.search_body(kind=p['kind'], query=p['query'], start_time=body['start_time'],
                                  end_time=body['end_time'], severity=p['severity'], status=p['status'], profile_ids=ids)
    start, end = client.body_window(body)
    if module.check_mode:
        return dict(changed=out is not None if p['collect'] else mode != 'sync', body=body, start_time=start,
                    end_time=end, mode=mode,
                    msg='check mode: the %s search would be %s' % (p['kind'], 'sent' if mode == 'sync' else 'submitted'))
    if p['collect']:
        return dict(collect(client, p, body, out), body=body, start_time=start, end_time=end)
    if mode == 'sync':
        reader = client.sync_pages(p['kind'], body, max_hits=p['max_hits'])
        hits = [h for page in reader.pages() for h in page]
        return dict(changed=False, mode=mode, hits=hits, pages_fetched=reader.pages_fetched,
                    total_items=reader.total_items, body=body, start_time=start, end_time=end)
    request_id = client.submit(p['kind'], body)
    result = dict(changed=True, mode=mode, request_id=request_id, body=body, start_time=start, end_time=end)
    if p['wait']:
        try:
            job, elapsed, polls = client.wait_job(request_id, p['wait_timeout'], p['wait_sleep'])
        except AlertOpsError as exc:
            exc.details['request_id'] = request_id  # the job exists: let the playbook clean it up
            raise
        result.update(job=job, elapsed=elapsed, polls=polls)
    return result


def collect(client, p, body, out):
    """The whole read in one call of the client (hits returned, or streamed to ``out``); the job never outlives it."""
    convert = Log360Client.to_model if p['normalise'] else (lambda hit: hit)
    hits = []
    sink = hits.extend if out is None else out.write
    with out if out is not None else contextlib.nullcontext():
        found = client.collect(p['kind'], body, p['wait_timeout'], p['wait_sleep'], max_hits=p['max_hits'],
                               mode=p['mode'], on_page=lambda page: sink([convert(h) for h in page]))
        if out is None:
            return dict(found, changed=False, hits=hits, hits_written=len(hits))
        changed = out.commit()
    return dict(found, changed=changed, dest=p['dest'], hits_written=out.count)


def main():
    module = AlertOpsModule(Log360Client, argument_spec=dict(
        kind=dict(type='str', choices=list(KINDS), default='alerts'),
        query=dict(type='str'),
        start_time=dict(type='str', default='-24h'),
        end_time=dict(type='str', default='now'),
        time_format=dict(type='str'),
        mode=dict(type='str', choices=list(MODES), default='async'),
        max_hits=dict(type='int'),
        api_paths=dict(type='dict'),
        profile_names=dict(type='list', elements='str'),
        severity=dict(type='raw'),
        status=dict(type='raw'),
        profile_ids=dict(type='list', elements='str'),
        log_source_ids=dict(type='list', elements='str'),
        log_types=dict(type='list', elements='str'),
        collect=dict(type='bool', default=False),
        normalise=dict(type='bool', default=False),
        dest=dict(type='path'),
        format=dict(type='str', choices=list(hitfile.FORMATS), default='jsonl'),
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='int', default=600),
        wait_sleep=dict(type='int', default=5),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
