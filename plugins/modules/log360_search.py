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
  - Results live on the server for 24 hours; fetch them with M(alertops.core.log360_job_results) and delete the job
    with M(alertops.core.log360_job) when done.
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
      - Start of the time range. ISO 8601 (V(2026-11-23T10:00:00Z)), epoch seconds or milliseconds, or relative
        (V(now), V(-24h), V(-30m), V(-7d)).
    type: str
    default: -24h
  end_time:
    description:
      - End of the time range, in the same forms as O(start_time). Must not be before O(start_time).
    type: str
    default: now
  time_format:
    description:
      - How the time range is sent. V(iso8601) sends C(start_time)/C(end_time) as ISO 8601 strings (API v2).
        V(epoch_ms) sends C(from)/C(to) as Unix milliseconds, as the older API did; use it for servers that reject
        ISO 8601 times.
    type: str
    choices: [iso8601, epoch_ms]
    default: iso8601
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
attributes:
  check_mode:
    description: Validates the options and sends nothing; RV(request_id) is not returned.
    support: full
  diff_mode:
    description: Nothing to compare; a search creates a new job.
    support: none
  action_group:
    description: Use C(group/alertops.core.log360) or C(group/alertops.core.all) in C(module_defaults).
    support: full
    membership:
      - alertops.core.log360
      - alertops.core.all
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
    start_time: "2026-11-23T10:00:00Z"
    end_time: "2026-11-23T12:00:00Z"
    log_types: [Windows]
  register: logs_search

- name: A server that wants Unix milliseconds
  alertops.core.log360_search:
    kind: alerts
    time_format: epoch_ms
    start_time: "1795420800000"
    end_time: now
"""

RETURN = r"""
request_id:
  description: Id of the background job. Not returned in check mode.
  returned: success, except in check mode
  type: str
  sample: AZbneNUBx31OH7OTNMmz
job:
  description: The finished job (when O(wait=true)).
  returned: when O(wait=true) and not in check mode
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
  returned: when O(wait=true) and not in check mode
  type: float
polls:
  description: Job status requests made while waiting.
  returned: when O(wait=true) and not in check mode
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

from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client


def run(module):
    p = module.params
    client = module.client(time_format=p['time_format'])
    body = client.search_body(kind=p['kind'], query=p['query'], start_time=p['start_time'], end_time=p['end_time'],
                              severity=p['severity'], status=p['status'], profile_ids=p['profile_ids'],
                              log_source_ids=p['log_source_ids'], log_types=p['log_types'])
    if p['wait']:
        client.check_wait(p['wait_timeout'], p['wait_sleep'], 'wait_timeout', 'wait_sleep')
    start, end = client.body_window(body)
    if module.check_mode:
        return dict(changed=True, body=body, start_time=start, end_time=end,
                    msg='check mode: the %s search would be submitted' % p['kind'])
    request_id = client.submit(p['kind'], body)
    result = dict(changed=True, request_id=request_id, body=body, start_time=start, end_time=end)
    if p['wait']:
        try:
            job, elapsed, polls = client.wait_job(request_id, p['wait_timeout'], p['wait_sleep'])
        except AlertOpsError as exc:
            exc.details['request_id'] = request_id  # the job exists: let the playbook clean it up
            raise
        result.update(job=job, elapsed=elapsed, polls=polls)
    return result


def main():
    module = AlertOpsModule(Log360Client, argument_spec=dict(
        kind=dict(type='str', choices=['alerts', 'logs'], default='alerts'),
        query=dict(type='str'),
        start_time=dict(type='str', default='-24h'),
        end_time=dict(type='str', default='now'),
        time_format=dict(type='str', choices=['iso8601', 'epoch_ms'], default='iso8601'),
        severity=dict(type='raw'),
        status=dict(type='raw'),
        profile_ids=dict(type='list', elements='str'),
        log_source_ids=dict(type='list', elements='str'),
        log_types=dict(type='list', elements='str'),
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='int', default=600),
        wait_sleep=dict(type='int', default=5),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
