#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: log360_job_results
short_description: Fetch the results of a finished Log360 / EventLog Analyzer search job
version_added: 0.1.0
description:
  - Reads the hits of a finished job (C(GET /api/v2/jobs/results)), 1000 per page, all pages by default.
  - The job's stage is checked first; a job that is still running, or that failed, fails the task with a clear message
    (wait for it with M(alertops.core.log360_job_wait)).
  - With O(dest) the hits are streamed page by page into a file, so memory does not grow with the number of hits.
    The file is written next to O(dest) (a hidden temp file, mode C(0600)) and renamed into place at the end, so a
    failure never leaves a half-written file; the temp file is removed on every exit (an error, a failed task,
    SIGTERM, SIGINT or SIGHUP). When the new content equals the existing file, nothing changes.
  - Hits are security data. A new O(dest) is created C(0600) unless O(mode) says otherwise.
  - Read-only on the server. The token needs the scope C(jobs.READ).
options:
  request_id:
    description:
      - Id of the job, as returned by M(alertops.core.log360_search).
    type: str
    required: true
  page:
    description:
      - Fetch only this page (1 is the first). By default every page is fetched.
    type: int
  max_hits:
    description:
      - Stop after this many hits.
    type: int
  response_type:
    description:
      - Passed to the server. V(client) returns display names and formatted values, V(server) raw column names.
        When not set, the server's default (V(server)) applies.
    type: str
    choices: [client, server]
  dest:
    description:
      - Write the hits to this file instead of returning them. Its directory must exist.
      - It must be a regular file or a path that does not exist yet. A directory, FIFO, socket or device (for example
        C(/dev/null)), or a symbolic link to one (or to nothing), is refused before anything is fetched. A symbolic
        link to a regular file is followed, and the file it points to is replaced.
    type: path
  format:
    description:
      - Format of O(dest). V(jsonl) writes one JSON object per line, V(json) one JSON array,
        V(csv) one row per hit with a header that is the union of every key seen (in order of first appearance).
      - In V(csv), a cell (header cells too) that a spreadsheet would run as a formula, because it starts with
        C(=), C(+), C(-), C(@), a tab or a carriage return, is written with a leading C(') so that it shows as text.
        SIEM fields hold text an attacker controls. This applies to negative numbers too (C(-5) is written C('-5)).
        V(json) and V(jsonl) values are written unchanged.
    type: str
    choices: [json, jsonl, csv]
    default: jsonl
  mode:
    description:
      - Permissions of O(dest), for example V('0640'), applied to a new file and to an existing one.
      - When not set, a new file is created V('0600') and an existing file keeps its permissions.
    type: raw
  normalise:
    description:
      - Return (or write) each hit as a normalised alert (C(platform), C(id), C(status), C(severity), C(title),
        C(source), C(opened_at), C(closed_at), and the hit itself in C(raw)), the shape the lookup
        C(alertops.core.alerts) returns and the C(alertops.core.alert_report) role renders.
    type: bool
    default: false
extends_documentation_fragment:
  - alertops.core.log360
  - alertops.core.common
  - alertops.core.attributes
  - alertops.core.attributes.actiongroup_log360
attributes:
  check_mode:
    support: full
    details: Fetches the results and reports whether O(dest) would change, without writing anything (not even a
      temp file).
  diff_mode:
    support: none
    details: The file content is not shown; the task is changed when it differs.
seealso:
  - module: alertops.core.log360_search
  - module: alertops.core.log360_job_wait
author:
  - alertops.core contributors (@alertops)
"""

EXAMPLES = r"""
- name: All hits of a finished job
  alertops.core.log360_job_results:
    request_id: "{{ search.request_id }}"
  register: results

- name: Stream a large job to a file
  alertops.core.log360_job_results:
    request_id: "{{ search.request_id }}"
    dest: /var/tmp/alerts.jsonl
    format: jsonl

- name: The first 50 hits, display names
  alertops.core.log360_job_results:
    request_id: "{{ search.request_id }}"
    max_hits: 50
    response_type: client
"""

RETURN = r"""
hits:
  description: The hits, as the server returned them (when O(dest) is not set).
  returned: when O(dest) is not set
  type: list
  elements: dict
  sample: [{"Device": "dc01", "Severity": "warning", "Time": "1747735585000"}]
dest:
  description: The file written.
  returned: when O(dest) is set
  type: str
total_items:
  description: Hits the job has in all (from the server's paging metadata).
  returned: success
  type: int
  sample: 1958
pages_fetched:
  description: Result pages requested.
  returned: success
  type: int
  sample: 2
hits_written:
  description: Hits returned or written to O(dest).
  returned: success
  type: int
  sample: 1958
job:
  description: The job as checked before reading its results (normalised, see M(alertops.core.log360_job_info)).
  returned: success
  type: dict
"""

from ansible_collections.alertops.core.plugins.module_utils import hitfile
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import RESPONSE_TYPES, Log360Client


def run(module):
    p = module.params
    dest = p['dest']
    out = None
    if dest:
        # everything about dest is checked before anything is fetched
        out = hitfile.HitFile(dest, p['format'], mode=hitfile.parse_mode(p['mode']),
                              check_mode=module.check_mode)
    client = module.client()
    reader, job = client.results(p['request_id'], page=p['page'], max_hits=p['max_hits'], response_type=p['response_type'])
    result = dict(changed=False, job=job)
    pages = reader.pages()
    if p['normalise']:
        pages = ([Log360Client.to_model(hit) for hit in page] for page in pages)
    if out is None:
        hits = []
        for page in pages:
            hits.extend(page)
        result.update(hits=hits, hits_written=len(hits))
    else:
        with out:
            for page in pages:
                out.write(page)
            changed = out.commit()
        result.update(changed=changed, dest=dest, hits_written=out.count)
    result.update(total_items=reader.total_items if reader.total_items is not None else reader.hits_read,
                  pages_fetched=reader.pages_fetched)
    return result


def main():
    module = AlertOpsModule(Log360Client, argument_spec=dict(
        request_id=dict(type='str', required=True),
        page=dict(type='int'),
        max_hits=dict(type='int'),
        response_type=dict(type='str', choices=list(RESPONSE_TYPES)),
        dest=dict(type='path'),
        format=dict(type='str', choices=list(hitfile.FORMATS), default='jsonl'),
        mode=dict(type='raw'),
        normalise=dict(type='bool', default=False),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
