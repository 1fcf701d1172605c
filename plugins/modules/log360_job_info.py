#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: log360_job_info
short_description: List Log360 / EventLog Analyzer search jobs, or get one
version_added: 0.1.0
description:
  - Lists every background search job on the server (C(GET /api/v2/jobs)), or one job by O(request_id).
  - An unknown O(request_id) fails the task (the job never existed, was deleted, or expired, since results live 24 hours).
  - Read-only. The token needs the scope C(jobs.READ).
options:
  request_id:
    description:
      - Id of one job. Without it, all jobs are listed.
    type: str
  finished_only:
    description:
      - Return only jobs that finished (stage C(SUCCESS) or C(FAILED)).
    type: bool
    default: false
  older_than:
    description:
      - Return only jobs that stopped (or, when still running, were submitted) before this point.
      - A duration back from now (V(30m), V(6h), V(2d), V(1w)), or a point in time as below.
      - ISO 8601 with a zone (V(2026-11-23T10:00:00Z), V(2026-11-23T19:00:00+09:00); an offset is at most 18:00).
        A date and time without a zone is refused (add V(Z) for UTC); a date alone (V(2026-11-23) or V(20261123)) is
        that day at 00:00 UTC. Epoch seconds up to V(253402300799) (9999-12-31T23:59:59Z) or epoch milliseconds from
        V(1000000000000) (2001-09-09T01:46:40Z); a number between the two is refused. Or relative (V(now), V(-24h),
        V(-30m), V(-7d)).
      - Used by the role C(alertops.core.job_cleanup).
    type: str
extends_documentation_fragment:
  - alertops.core.log360
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_log360
seealso:
  - module: alertops.core.log360_job
author:
  - alertops.core contributors (@alertops)
"""

EXAMPLES = r"""
- name: List every job
  alertops.core.log360_job_info:
  register: all_jobs

- name: Finished jobs
  ansible.builtin.debug:
    msg: "{{ all_jobs.jobs | selectattr('stage', 'equalto', 'SUCCESS') | map(attribute='request_id') | list }}"

- name: Finished jobs older than six hours
  alertops.core.log360_job_info:
    finished_only: true
    older_than: 6h
  register: old_jobs

- name: One job
  alertops.core.log360_job_info:
    request_id: "{{ search.request_id }}"
  register: one
"""

RETURN = r"""
jobs:
  description: The jobs, normalised (one element when O(request_id) is given).
  returned: success
  type: list
  elements: dict
  contains:
      request_id:
        description: Job id.
        type: str
        sample: AZbneNUBx31OH7OTNMmz
      stage:
        description: C(RUNNING), C(SUCCESS) or C(FAILED) (any other value is treated as still running).
        type: str
        sample: SUCCESS
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
        description: Percent done (100 once C(SUCCESS)).
        type: float
      submitted_at:
        description: When the job was submitted, ISO 8601 UTC.
        type: str
        sample: "2026-11-23T10:00:00Z"
      started_at:
        description: When the job started, ISO 8601 UTC.
        type: str
      stopped_at:
        description: When the job stopped, ISO 8601 UTC; null while it runs.
        type: str
      running_time_millis:
        description: Run time in milliseconds.
        type: int
      raw:
        description: The job exactly as the server returned it.
        type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client, job_cutoff, select_jobs


def run(module):
    job_cutoff(module.params['older_than'])  # a bad older_than fails before anything is sent
    client = module.client()
    if module.params['request_id']:
        jobs = [client.get_job(module.params['request_id'])]
    else:
        jobs = client.list_jobs()
    jobs = select_jobs(jobs, finished_only=module.params['finished_only'], older_than=module.params['older_than'])
    return dict(changed=False, jobs=jobs)


def main():
    module = AlertOpsModule(Log360Client, argument_spec=dict(
        request_id=dict(type='str'),
        finished_only=dict(type='bool', default=False),
        older_than=dict(type='str'),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
