#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: log360_job
short_description: Delete Log360 / EventLog Analyzer search jobs and their results
version_added: 0.1.0
description:
  - Deletes background search jobs and their hits (C(DELETE /api/v2/jobs?request_id=)).
  - Each job is read first; only the ones that still exist are deleted. A job that is already gone (deleted, or expired
    after 24 hours) is fine; the task is ok and not changed.
  - When the answer to a delete is lost (the connection dropped after the request was sent, or 502/504) or is a 2xx
    that cannot be read, the job is looked up again. Gone means this run deleted it (reported in RV(deleted),
    changed); still there means the delete is sent again.
  - The token needs the scopes C(jobs.READ) and C(jobs.DELETE).
options:
  request_id:
    description:
      - Id of the job, or a list of ids.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(absent) deletes the jobs.
    type: str
    choices: [absent]
    default: absent
extends_documentation_fragment:
  - alertops.core.log360
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_log360
  - alertops.core.concurrency
attributes:
  check_mode:
    support: full
    details: Reads the jobs and reports what would be deleted, but sends no C(DELETE).
  diff_mode:
    support: full
    details: Shows the jobs that go (before) and that nothing of them remains (after).
seealso:
  - module: alertops.core.log360_job_info
author:
  - alertops.core contributors (@alertops)
"""

EXAMPLES = r"""
- name: Delete the job of this run
  alertops.core.log360_job:
    request_id: "{{ search.request_id }}"
    state: absent

- name: Finished jobs older than six hours
  alertops.core.log360_job_info:
    finished_only: true
    older_than: 6h
  register: old_jobs

- name: Delete several jobs (the module returns them in its jobs list)
  alertops.core.log360_job:
    request_id: "{{ old_jobs.jobs | map(attribute='request_id') | list }}"
    state: absent
"""

RETURN = r"""
deleted:
  description: Ids of the jobs that were deleted (in check mode, that would be deleted).
  returned: always
  type: list
  elements: str
  sample: [AZbneNUBx31OH7OTNMmz]
absent:
  description: Ids that were already gone.
  returned: always
  type: list
  elements: str
jobs:
  description: The jobs that were deleted, as they were just before (normalised, see M(alertops.core.log360_job_info)).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client


def run(module):
    p = module.params
    concurrency = p['concurrency']   # checked with its option group (AlertOpsModule.run)
    ids = []
    for request_id in p['request_id']:
        request_id = (request_id or '').strip()
        if not request_id:
            raise ValidationError('option request_id must not contain empty ids')
        if request_id not in ids:
            ids.append(request_id)
    report = module.client(pool_size=concurrency).delete_jobs(ids, check_mode=module.check_mode, concurrency=concurrency)
    failed = report.pop('failed')
    result = dict(changed=bool(report['deleted']), **report)
    if failed:
        details = dict(failed[0][1].fail_kwargs(), failed_ids=[request_id for request_id, _error in failed], **result)
        msg = details.pop('msg')
        if len(failed) > 1:
            msg = '%d of %d jobs could not be deleted; first: %s' % (len(failed), len(ids), msg)
        raise AlertOpsError(msg, details=details)
    return result


def main():
    module = AlertOpsModule(Log360Client, groups=('concurrency',), argument_spec=dict(
        request_id=dict(type='list', elements='str', required=True),
        state=dict(type='str', choices=['absent'], default='absent'),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
