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
    The file is written next to O(dest) and renamed into place at the end, so a failure never leaves a half-written
    file. When the new content equals the existing file, nothing changes.
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
    type: path
  format:
    description:
      - Format of O(dest). V(jsonl) writes one JSON object per line, V(json) one JSON array,
        V(csv) one row per hit with a header that is the union of every key seen (in order of first appearance).
    type: str
    choices: [json, jsonl, csv]
    default: jsonl
  mode:
    description:
      - Permissions of a new O(dest), for example V('0640'). An existing file keeps its permissions.
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
attributes:
  check_mode:
    description: Fetches the results and reports whether O(dest) would change, without writing it.
    support: full
  diff_mode:
    description: The file content is not shown; the task is changed when it differs.
    support: none
  action_group:
    description: Use C(group/alertops.core.log360) or C(group/alertops.core.all) in C(module_defaults).
    support: full
    membership:
      - alertops.core.log360
      - alertops.core.all
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

import csv
import filecmp
import io
import json
import os
import tempfile

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.module import AlertOpsModule
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client, normalise_hit


def _cell(value):
    if value is None:
        return ''
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return to_text(value)


class HitFile:
    """Writes hits to a temp file next to ``dest``; ``commit()`` renames it into place unless nothing changed."""

    def __init__(self, dest, fmt):
        self.dest = dest
        self.fmt = fmt
        self.count = 0
        self.columns = []
        self._index = {}
        directory = os.path.dirname(os.path.abspath(dest))
        prefix = '.%s.' % os.path.basename(dest)
        fd, self.path = tempfile.mkstemp(dir=directory, prefix=prefix, suffix='.tmp')
        self.handle = io.open(fd, 'w', encoding='utf-8', newline='')
        self.body_path = None
        if fmt == 'csv':
            # rows first, the header (every key seen) is known only at the end
            fd, self.body_path = tempfile.mkstemp(dir=directory, prefix=prefix, suffix='.rows.tmp')
            self.body = io.open(fd, 'w', encoding='utf-8', newline='')
            self.writer = csv.writer(self.body, lineterminator='\n')
        elif fmt == 'json':
            self.handle.write(u'[')

    def write(self, hits):
        for hit in hits:
            if self.fmt == 'csv':
                for key in hit:
                    if key not in self._index:
                        self._index[key] = len(self.columns)
                        self.columns.append(key)
                row = [''] * len(self.columns)
                for key, value in hit.items():
                    row[self._index[key]] = _cell(value)
                self.writer.writerow(row)
            elif self.fmt == 'json':
                self.handle.write((u'\n' if self.count == 0 else u',\n') + to_text(json.dumps(hit, sort_keys=True)))
            else:
                self.handle.write(to_text(json.dumps(hit, sort_keys=True)) + u'\n')
            self.count += 1

    def finish(self):
        if self.fmt == 'json':
            self.handle.write(u'\n]\n' if self.count else u']\n')
        elif self.fmt == 'csv':
            self.body.close()
            if self.columns:
                csv.writer(self.handle, lineterminator='\n').writerow(self.columns)
            with io.open(self.body_path, 'r', encoding='utf-8', newline='') as rows:
                while True:
                    chunk = rows.read(1 << 20)
                    if not chunk:
                        break
                    self.handle.write(chunk)
            os.unlink(self.body_path)
            self.body_path = None
        self.handle.close()

    def changed(self):
        return not (os.path.isfile(self.dest) and filecmp.cmp(self.path, self.dest, shallow=False))

    def commit(self, mode):
        if os.path.exists(self.dest):
            os.chmod(self.path, os.stat(self.dest).st_mode & 0o7777)
        else:
            if mode is None:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(self.path, mode)
        os.replace(self.path, self.dest)
        self.path = None

    def discard(self):
        for attr in ('handle', 'body'):
            handle = getattr(self, attr, None)
            if handle is not None and not handle.closed:
                handle.close()
        for path in (self.path, self.body_path):
            if path and os.path.exists(path):
                os.unlink(path)


def _mode(value):
    if value is None:
        return None
    try:
        mode = int(str(value), 8) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError('option mode must be an octal number such as 0640, got %r' % (value,), platform='log360')
    if not 0 <= mode <= 0o7777:
        raise ValidationError('option mode must be an octal number such as 0640, got %r' % (value,), platform='log360')
    return mode


def run(module):
    p = module.params
    dest = p['dest']
    mode = _mode(p['mode'])
    if dest:
        directory = os.path.dirname(os.path.abspath(dest))
        if not os.path.isdir(directory):
            raise ValidationError('option dest: the directory %s does not exist' % directory, platform='log360')
        if os.path.isdir(dest):
            raise ValidationError('option dest: %s is a directory; give a file name' % dest, platform='log360')
    client = module.client()
    reader, job = client.results(p['request_id'], page=p['page'], max_hits=p['max_hits'], response_type=p['response_type'])
    result = dict(changed=False, job=job)
    pages = reader.pages()
    if p['normalise']:
        pages = ([normalise_hit(hit) for hit in page] for page in pages)
    if not dest:
        hits = []
        for page in pages:
            hits.extend(page)
        result.update(hits=hits, hits_written=len(hits))
    else:
        out = HitFile(dest, p['format'])
        try:
            for page in pages:
                out.write(page)
            out.finish()
            changed = out.changed()
            if changed and not module.check_mode:
                out.commit(mode)
        finally:
            out.discard()
        result.update(changed=changed, dest=dest, hits_written=out.count)
    result.update(total_items=reader.total_items if reader.total_items is not None else reader.hits_read,
                  pages_fetched=reader.pages_fetched)
    return result


def main():
    module = AlertOpsModule(Log360Client, argument_spec=dict(
        request_id=dict(type='str', required=True),
        page=dict(type='int'),
        max_hits=dict(type='int'),
        response_type=dict(type='str', choices=['client', 'server']),
        dest=dict(type='path'),
        format=dict(type='str', choices=['json', 'jsonl', 'csv'], default='jsonl'),
        mode=dict(type='raw'),
        normalise=dict(type='bool', default=False),
    ))
    module.run(run)


if __name__ == '__main__':
    main()
