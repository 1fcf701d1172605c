# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Closing N open Mackerel alerts, side by side against the simulator:

  1. one alertops.core.mackerel_alert task (all_alerts: true, concurrency 8)
  2. an ansible.builtin.uri task looping over the alerts, one POST per item (what users do today). It is slow,
     so it runs on --uri-alerts alerts (default 100) and the time is extrapolated per alert to N (said in the output)
  3. a bare Python requests.Session script: list every page, then POST every close with 8 threads

Each run starts from a freshly seeded simulator (POST /_sim/mackerel/seed) and is checked afterwards (every alert
closed exactly once). Times: "task" is the wall time of the task itself, taken inside the playbook (ansible-playbook
start-up excluded); "process" is the whole ansible-playbook / python run. The bare script's time includes its own
interpreter start, like the module's task time includes its AnsiballZ start.

    python benchmarks/mackerel_close.py [--alerts 1000] [--uri-alerts 200] [--concurrency 8]
"""

from __future__ import absolute_import, division, print_function

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.append(os.path.join(ROOT, 'tests', 'simulator'))

import launch  # noqa: E402  pylint: disable=wrong-import-position

MODULE_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        t0: "{{ now(fmt='%s.%f') }}"
    - alertops.core.mackerel_alert:
        all_alerts: true
        state: closed
        reason: benchmark
        concurrency: "{{ concurrency }}"
      register: closed
    - ansible.builtin.set_fact:
        t1: "{{ now(fmt='%s.%f') }}"
    - ansible.builtin.ping:
    - ansible.builtin.set_fact:
        t2: "{{ now(fmt='%s.%f') }}"
    - ansible.builtin.copy:
        dest: "{{ out }}"
        content: "{{ {'task_seconds': t1 | float - t0 | float, 'ping_seconds': t2 | float - t1 | float,
                      'closed': closed.closed} | to_json }}"
"""

URI_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        t0: "{{ now(fmt='%s.%f') }}"
    - ansible.builtin.uri:
        url: "{{ base }}/api/v0/alerts/{{ item }}/close"
        method: POST
        headers:
          X-Api-Key: "{{ lookup('env', 'MACKEREL_APIKEY') }}"
        body_format: json
        body:
          reason: benchmark
      loop: "{{ ids }}"
      no_log: true
    - ansible.builtin.set_fact:
        t1: "{{ now(fmt='%s.%f') }}"
    - ansible.builtin.copy:
        dest: "{{ out }}"
        content: "{{ {'task_seconds': t1 | float - t0 | float} | to_json }}"
"""

BARE_SCRIPT = r'''
import sys, time, json
from concurrent.futures import ThreadPoolExecutor
import requests
from requests.adapters import HTTPAdapter
t0 = time.time()
base, key, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = requests.Session()
s.mount('http://', HTTPAdapter(pool_maxsize=concurrency))
s.headers.update({'X-Api-Key': key, 'Content-Type': 'application/json'})
ids, params = [], {}
while True:
    r = s.get(base + '/api/v0/alerts', params=params); r.raise_for_status(); data = r.json()
    ids += [a['id'] for a in data['alerts']]
    if not data.get('nextId'):
        break
    params = {'nextId': data['nextId']}
def close(i):
    r = s.post(base + '/api/v0/alerts/%s/close' % i, data=json.dumps({'reason': 'benchmark'})); r.raise_for_status()
with ThreadPoolExecutor(concurrency) as pool:
    list(pool.map(close, ids))
print(json.dumps({'seconds': time.time() - t0, 'closed': len(ids)}))
'''


class Sim:
    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read().decode() or 'null')

    def fresh(self, count):
        self.call('POST', '/_sim/reset', {})
        self.call('POST', '/_sim/mackerel/seed', {'count': count})
        self.call('DELETE', '/_sim/requests')

    def counts(self):
        log = self.call('GET', '/_sim/requests?platform=mackerel')['requests']
        c = collections.Counter()
        for r in log:
            if r['method'] == 'GET' and r['path'] == '/api/v0/alerts':
                c['listing pages'] += 1
            elif r['method'] == 'GET':
                c['per-alert GET'] += 1
            elif r['method'] == 'POST':
                c['close POST'] += 1
            else:
                c['other'] += 1
        c['total'] = len(log)
        return c

    def check_all_closed(self, expected):
        alerts = self.call('GET', '/_sim/mackerel/alerts')['alerts']
        still_open = [a for a in alerts if a['status'] != 'OK']
        log = self.call('GET', '/_sim/requests?platform=mackerel&method=POST')['requests']
        per_id = collections.Counter(r['path'] for r in log if r['status'] == 200)
        assert not still_open, '%d alerts left open' % len(still_open)
        assert len(per_id) == expected and set(per_id.values()) == {1}, 'not exactly one close per alert'


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def run_play(workdir, env, text, extra):
    play = os.path.join(workdir, 'play.yml')
    out = os.path.join(workdir, 'out.json')
    with open(play, 'w') as handle:
        handle.write(text)
    extra = dict(extra, out=out)
    vars_file = os.path.join(workdir, 'vars.json')
    with open(vars_file, 'w') as handle:
        json.dump(extra, handle)
    t0 = time.time()
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), play, '-e', '@' + vars_file],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    elapsed = time.time() - t0
    if proc.returncode != 0:
        raise SystemExit('playbook failed:\n' + proc.stdout.decode()[-4000:])
    with open(out) as handle:
        return json.load(handle), elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--alerts', type=int, default=1000)
    parser.add_argument('--uri-alerts', type=int, default=100, help='alerts the uri loop closes (extrapolated to --alerts)')
    parser.add_argument('--repeat', type=int, default=3, help='runs of the module and of the bare script (best reported)')
    parser.add_argument('--concurrency', type=int, default=8)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='alertops-bench-')
    proc, info = launch.start(workdir)
    sim = Sim(info['url'])
    try:
        key = sim.call('GET', '/_sim/mackerel/credentials')['env']['MACKEREL_APIKEY']
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=launch.collections_base(workdir), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_NOCOLOR='1',
                   MACKEREL_APIBASE=sim.url, MACKEREL_APIKEY=key, ANSIBLE_LOCAL_TEMP=os.path.join(workdir, 'tmp'))
        rows = []

        # 1. the module, 2. the bare script: --repeat runs each (the machine may be shared), best and median reported
        module_runs, bare_runs = [], []
        for _run in range(args.repeat):
            sim.fresh(args.alerts)
            result, process = run_play(workdir, env, MODULE_PLAY, {'concurrency': args.concurrency})
            assert result['closed'] == args.alerts, result
            sim.check_all_closed(args.alerts)
            module_runs.append((result['task_seconds'], process, sim.counts(), result['ping_seconds']))

            sim.fresh(args.alerts)
            t0 = time.time()
            out = subprocess.run([sys.executable, '-c', BARE_SCRIPT, sim.url, key, str(args.concurrency)], check=True,
                                 stdout=subprocess.PIPE).stdout
            process = time.time() - t0
            sim.check_all_closed(args.alerts)
            bare_runs.append((process, json.loads(out.decode())['seconds'], sim.counts()))
        best = min(module_runs, key=lambda r: r[0])
        rows.append(('mackerel_alert task', best[0], best[1], best[2], args.alerts,
                     'runs (task s): %s; median %.2f' % (', '.join('%.2f' % r[0] for r in module_runs),
                                                         median(r[0] for r in module_runs))))
        best_bare = min(bare_runs, key=lambda r: r[0])
        rows.append(('bare requests script', best_bare[0], best_bare[0], best_bare[2], args.alerts,
                     'runs (s, with interpreter start): %s; median %.2f; best in-script time without interpreter '
                     'start %.2f' % (', '.join('%.2f' % r[0] for r in bare_runs), median(r[0] for r in bare_runs),
                                     min(r[1] for r in bare_runs))))
        medians = (median(r[0] for r in module_runs), median(r[0] for r in bare_runs))

        # 3. the uri loop, on fewer alerts, extrapolated per alert
        n = min(args.uri_alerts, args.alerts)
        sim.fresh(n)
        ids = [a['id'] for a in sim.call('GET', '/_sim/mackerel/alerts')['alerts']]
        sim.call('DELETE', '/_sim/requests')
        result, process = run_play(workdir, env, URI_PLAY, {'ids': ids, 'base': sim.url})
        sim.check_all_closed(n)
        factor = float(args.alerts) / n
        rows.append(('ansible.builtin.uri loop', result['task_seconds'] * factor, process, sim.counts(), n,
                     'EXTRAPOLATED: measured %.1f s on %d alerts (%.3f s per alert) x%.1f; ids given, listing not '
                     'counted' % (result['task_seconds'], n, result['task_seconds'] / n, factor)))
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)

    module_t, bare_t, uri_t = rows[0][1], rows[1][1], rows[2][1]
    print('Closing %d open Mackerel alerts (simulator, concurrency %d)' % (args.alerts, args.concurrency))
    print('%-26s %10s %12s  %s' % ('method', 'task s', 'process s', 'requests'))
    for name, task, process, counts, n, note in rows:
        req = ', '.join('%s %d' % (k, counts[k]) for k in ('total', 'listing pages', 'close POST', 'per-alert GET', 'other')
                        if counts[k] or k in ('total', 'per-alert GET'))
        print('%-26s %10.2f %12.2f  %s%s' % (name, task, process, req, ' [on %d alerts]' % n if n != args.alerts else ''))
        if note:
            print('%-26s %s' % ('', note))
    print('(task s: the best run; "process s": the whole ansible-playbook / python process of that run)')
    print('speed-up vs uri loop:     %.1fx  (goal >= 30x)' % (uri_t / module_t))
    print('module / bare script:     %.2fx best vs best, %.2fx median vs median  (goal <= 1.3x)'
          % (module_t / bare_t, medians[0] / medians[1]))
    expected = args.alerts + -(-args.alerts // 100)
    ping = min(r[3] for r in module_runs)
    print('fixed cost of any Ansible task here (an ansible.builtin.ping task, best of %d): %.2f s; module minus that: '
          '%.2f s = %.2fx the bare script' % (len(module_runs), ping, module_t - ping, (module_t - ping) / bare_t))
    print('module requests:          %d  (open alerts %d + listing pages %d = %d; per-alert GET %d)'
          % (rows[0][3]['total'], args.alerts, rows[0][3]['listing pages'], expected, rows[0][3]['per-alert GET']))
    ok = uri_t / module_t >= 30 and module_t / bare_t <= 1.3 and rows[0][3]['total'] == expected
    print('RESULT: %s' % ('all goals met' if ok else 'goal missed'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
