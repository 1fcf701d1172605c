#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: log360_job_wait
short_description: Wait until a Log360 / EventLog Analyzer search job is finished
version_added: 0.1.0
description:
  - Polls C(GET /api/v2/jobs?request_id=) until the job's stage is C(SUCCESS) or C(FAILED).
  - The first poll comes after 1 second, and the pause doubles up to O(sleep), so a short job is seen quickly and a
    long one is not hammered (a 60 second job takes at most 15 polls with the default O(sleep)).
  - A job that ends C(FAILED), or that does not finish within O(timeout), fails the task; the message says which,
    with the stage and progress last seen.
  - Read-only. The token needs the scope C(jobs.READ).
options:
  request_id:
    description:
      - Id of the job, as returned by M(alertops.core.log360_search).
    type: str
    required: true
  timeout:
    description:
      - Seconds to wait before giving up.
    type: int
    default: 600
  sleep:
    description:
      - Longest pause in seconds between two polls.
    type: int
    default: 5
extends_documentation_fragment:
  - alertops.core.log360
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.info_module
  - alertops.core.attributes.actiongroup_log360
seealso:
  - module: alertops.core.log360_search
  - module: alertops.core.log360_job_results
author:
  - alertops.core contributors (@alertops)
"""

EXAMPLES = r"""
- name: Wait for the search job
  alertops.core.log360_job_wait:
    request_id: "{{ search.request_id }}"
    timeout: 900
  register: finished

- name: Show how many hits it found
  ansible.builtin.debug:
    msg: "{{ finished.job.total_hits }} hits in {{ finished.job.total_pages }} pages"
"""

RETURN = r"""
job:
  description: The finished job, normalised.
  returned: success
  type: dict
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
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
  sample: 7.1
polls:
  description: Job status requests made.
  returned: always
  type: int
  sample: 4
"""

from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client


def run(module):
    p = module.params
    client = module.client()
    job, elapsed, polls = client.wait_job(p['request_id'], p['timeout'], p['sleep'])
    return dict(changed=False, job=job, elapsed=elapsed, polls=polls)


def main():
    module = AlertOpsModule(Log360Client, argument_spec=dict(
        request_id=dict(type='str', required=True),
        timeout=dict(type='int', default=600),
        sleep=dict(type='int', default=5),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
