# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: long walks against a request budget, through real ansible-playbook runs on the simulator.

* Log360: every results page of a 50-page job (49,500 hits) under a sliding-window budget (at most N requests in any
  W seconds, 429 without Retry-After past it), with the option rate_limit set to the budget.
* OpsRamp: the occurrence walk of an alert with 10,000 occurrences (tie groups included) under a per-tenant budget
  with X-RateLimit-* headers, with rate_limit set to the budget.
* The requests the Log360 synchronous API saves against the asynchronous job for the same window.

The budgets are scaled so each run takes tens of seconds (Log360's real limit is 60/min: the same walk there takes
about 52 s per 50 requests). Checked: no failed task, every hit / occurrence exactly once, 429 answers = 0, achieved
request rate (server-side times, first to last request) >= 90% of the allowed rate.

    python benchmarks/rate_limits.py [--log360-budget 20/10] [--opsramp-budget 50/10]
"""

from __future__ import absolute_import, division, print_function

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.append(os.path.join(ROOT, 'tests', 'simulator'))
import launch  # noqa: E402  pylint: disable=wrong-import-position

LOG360_PLAY = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/alertops.core.log360:
      rate_limit: "{{ rate }}"
  tasks:
    - alertops.core.log360_job_results:
        request_id: "{{ request_id }}"
        dest: "{{ workdir }}/hits.jsonl"
        format: jsonl
"""

OPSRAMP_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - alertops.core.opsramp_alert_info:
        id: "{{ alert_id }}"
        occurrences: true
        rate_limit: "{{ rate }}"
      register: occ
    - ansible.builtin.copy:
        content: "{{ occ.occurrences | to_json }}"
        dest: "{{ workdir }}/occurrences.json"
        mode: "0600"
"""

SYNC_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - alertops.core.log360_search:
        start_time: "{{ start }}"
        end_time: "{{ end }}"
        mode: sync
      register: sync
    - alertops.core.log360_search:
        start_time: "{{ start }}"
        end_time: "{{ end }}"
        mode: async
        wait: true
        wait_sleep: 1
      register: job
    - alertops.core.log360_job_results:
        request_id: "{{ job.request_id }}"
      register: hits
    - alertops.core.log360_job:
        request_id: "{{ job.request_id }}"
        state: absent
    - ansible.builtin.assert:
        that:
          - sync.hits | map(attribute='ALERT_ID') | list == hits.hits | map(attribute='ALERT_ID') | list
"""


class Sim:
    def __init__(self, workdir):
        self.proc, info = launch.start(workdir)
        self.url = info['url']

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read().decode() or 'null')

    def requests(self, platform):
        return self.call('GET', '/_sim/requests?platform=' + platform)['requests']

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def playbook(workdir, sim, text, extra):
    path = os.path.join(workdir, 'play-%d.yml' % int(time.time() * 1000))
    with open(path, 'w') as handle:
        handle.write(text)
    extra = dict(extra, workdir=workdir)
    vars_file = path + '.json'
    with open(vars_file, 'w') as handle:
        json.dump(extra, handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=launch.collections_base(workdir), LOG360_URL=sim.url,
               OPSRAMP_URL=sim.url, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    for platform in ('log360', 'opsramp'):
        env.update(sim.call('GET', '/_sim/%s/credentials' % platform)['env'])
    env.pop('ALERTOPS_RATE_LIMIT', None)
    started = time.time()
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), path, '-e', '@' + vars_file],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout.decode('utf-8', 'replace')[-3000:])
        raise SystemExit('the playbook failed')
    return time.time() - started


def rate_report(name, entries, allowed_per_s):
    times = sorted(e['time'] for e in entries)
    achieved = (len(times) - 1) / (times[-1] - times[0])
    refused = sum(1 for e in entries if e['status'] == 429)
    print('%-8s %5d requests, %d answered 429, %.1f s first to last, achieved %.3f req/s of %.3f allowed = %.1f%%'
          % (name, len(entries), refused, times[-1] - times[0], achieved, allowed_per_s, 100.0 * achieved / allowed_per_s))
    return refused, achieved / allowed_per_s


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--log360-budget', default='20/10', help='N/W: at most N requests in any W seconds')
    parser.add_argument('--opsramp-budget', default='50/10', help='N/W: N requests per W-second window')
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='alertops-bench-rate-')
    sim = Sim(workdir)
    ok = True
    try:
        # -- Log360: 50 result pages under a sliding budget ------------------------------------------------------
        n, w = (float(x) for x in args.log360_budget.split('/'))
        sim.call('POST', '/_sim/config', {'variants': {'log360_rate_limit': int(n), 'log360_rate_window': w}})
        job = sim.call('POST', '/_sim/log360/jobs', {'hits': 49500, 'duration': 0, 'kind': 'logs'})['request_id']
        sim.call('DELETE', '/_sim/requests')
        elapsed = playbook(workdir, sim, LOG360_PLAY, {'request_id': job, 'rate': 60.0 * n / w})
        with open(os.path.join(workdir, 'hits.jsonl')) as handle:
            uuids = [json.loads(line)['UUID'] for line in handle]
        got = sim.requests('log360')
        pages = collections.Counter(int(e['query']['page'][0]) for e in got if e['path'].endswith('/results'))
        print('log360   50-page job (%d hits) under %d requests / %g s sliding, rate_limit %g/min: playbook %.1f s'
              % (len(uuids), n, w, 60.0 * n / w, elapsed))
        refused, share = rate_report('log360', got, n / w)
        exact = len(uuids) == 49500 == len(set(uuids)) and sorted(pages) == list(range(1, 51)) and set(pages.values()) == {1}
        print('         every hit exactly once: %s' % exact)
        ok = ok and exact and refused == 0 and share >= 0.9

        # -- OpsRamp: 10,000 occurrences under a per-tenant budget -------------------------------------------------
        n, w = (float(x) for x in args.opsramp_budget.split('/'))
        sim.call('POST', '/_sim/opsramp/seed_occurrences', {'alert_id': '176', 'count': 10000, 'ties': 'default',
                                                            'spacing': [1, 3]})
        truth = sim.call('GET', '/_sim/opsramp/occurrences?id=176')['occurrences']
        sim.call('POST', '/_sim/config', {'variants': {'opsramp_rate_limit': int(n), 'opsramp_rate_window': w}})
        sim.call('DELETE', '/_sim/requests')
        elapsed = playbook(workdir, sim, OPSRAMP_PLAY, {'alert_id': '176', 'rate': 60.0 * n / w})
        with open(os.path.join(workdir, 'occurrences.json')) as handle:
            occ = json.load(handle)
        got = [e for e in sim.requests('opsramp') if e['path'].endswith('/occurrences')]

        def key(o):
            return (o['createdTimeString'], o['subject'], o['description'])

        exact = collections.Counter(map(key, occ)) == collections.Counter(map(key, truth)) and len(occ) == 10000
        print('opsramp  10,000 occurrences under %d requests / %g s window (X-RateLimit-*), rate_limit %g/min: '
              'playbook %.1f s' % (n, w, 60.0 * n / w, elapsed))
        refused, share = rate_report('opsramp', got, n / w)
        print('         every occurrence exactly once: %s' % exact)
        ok = ok and exact and refused == 0 and share >= 0.9

        # -- Log360: requests the synchronous API saves -----------------------------------------------------------
        sim.call('POST', '/_sim/config', {'variants': {'log360_rate_limit': 0}})
        sim.call('DELETE', '/_sim/requests')
        playbook(workdir, sim, SYNC_PLAY, {'start': '-48h', 'end': 'now'})
        got = sim.requests('log360')
        sync = [e for e in got if e['path'] == '/api/v2/alerts']
        job = [e for e in got if e['path'] != '/api/v2/alerts']
        print('log360   one alert window: sync %d request(s), async job %d (submit, polls, job, results, delete): '
              '%d saved' % (len(sync), len(job), len(job) - len(sync)))
    finally:
        sim.stop()
    print('PASS' if ok else 'FAIL')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
