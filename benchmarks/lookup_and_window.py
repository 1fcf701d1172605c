# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 7 figures, side by side in one run against the simulator:

  1. lookup('alertops.core.alerts', platform='mackerel') over 10,000 open alerts, called in-process through Ansible's
     lookup loader, vs. a bare requests.Session script with the same nextId paging (goal <= 1.3x, exactly 100 list
     requests).
  2. (issue 11) the change-window end phase (role maintenance_window, phase end, a whole ansible-playbook run) of a
     window in which the change caused 1,000 alerts (500 Mackerel + 500 OpsRamp) vs. a bare Python script sending
     the same requests (goal <= 2x the time), with the request counts of both printed beside the minimum (goal:
     the role's count is the minimum).
  3. (issue 24) the same end phase with each state store side by side: ``file`` and ``postgresql`` (a throwaway
     server from tests/pg_cluster.py; skipped, saying why, where none can be started). Informational, no goal.

    python benchmarks/lookup_and_window.py [--lookup-alerts 10000] [--window-alerts 1000] [--store-alerts 200]
    python benchmarks/lookup_and_window.py --stores-only [--store-alerts 200]
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
        maintenance_window_change_id: "{{ change_id }}"
        maintenance_window_state_dir: "{{ state_dir }}"
        maintenance_window_state_store: "{{ store | default('file') }}"
        maintenance_window_platforms: [mackerel, opsramp]
        maintenance_window_mackerel_host_ids: "{{ hosts }}"
        maintenance_window_opsramp_query: {resourceIds: [res-bench-01]}
"""


def bare_end_phase(url, env, begin_epoch, hosts, concurrency=8):
    """What a hand-written script sends for the same end phase: the same listings, name reads and closes, one
    requests.Session per vendor, the writes 8 at a time (the role's default concurrency), no state, no report."""
    import requests  # pylint: disable=import-outside-toplevel
    from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel
    mk = requests.Session()
    mk.headers['X-Api-Key'] = env['MACKEREL_APIKEY']
    mk.mount('http://', requests.adapters.HTTPAdapter(pool_maxsize=concurrency))
    caused, next_id, names = [], None, {}
    while True:
        params = {'withClosed': 'true'}
        if next_id:
            params['nextId'] = next_id
        data = mk.get(url + '/api/v0/alerts', params=params, timeout=30).json()
        page = data['alerts']
        caused += [a for a in page if a['openedAt'] >= begin_epoch and a.get('hostId') in hosts and a['status'] != 'OK']
        next_id = data.get('nextId')
        if not next_id or all(a['openedAt'] < begin_epoch for a in page):
            break
    for kind, key in (('hosts', 'hostId'), ('monitors', 'monitorId')):
        for object_id in sorted(set(a[key] for a in caused)):
            names[object_id] = mk.get('%s/api/v0/%s/%s' % (url, kind, object_id), timeout=30).json()
    op = requests.Session()
    op.mount('http://', requests.adapters.HTTPAdapter(pool_maxsize=concurrency))
    token = op.post(url + '/tenancy/auth/oauth/token', timeout=30, data={
        'grant_type': 'client_credentials', 'client_id': env['OPSRAMP_CLIENT_ID'],
        'client_secret': env['OPSRAMP_CLIENT_SECRET']}).json()['access_token']
    op.headers['Authorization'] = 'Bearer ' + token
    base = '%s/api/v2/tenants/%s/alerts' % (url, env['OPSRAMP_TENANT_ID'])
    begin = time.strftime('%Y-%m-%dT%H:%M:%S 0000', time.gmtime(begin_epoch))
    found, page_no = [], 1
    while True:
        data = op.get(base + '/search', timeout=30, params={
            'pageNo': page_no, 'pageSize': 100,
            'queryString': 'startDate:%s+resourceIds:res-bench-01+alertTimeBase:created' % begin}).json()
        found += [a for a in data['results'] if not a['closed']]
        if not data.get('nextPage'):
            break
        page_no += 1
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda a: mk.post('%s/api/v0/alerts/%s/close' % (url, a['id']), timeout=30,
                                        json={'reason': 'CHG-BARE: closed'}).raise_for_status(), caused))
        list(pool.map(lambda a: op.post('%s/%s/actions/close' % (base, a['uniqueId']), timeout=30,
                                        json={'description': 'CHG-BARE: closed'}).raise_for_status(), found))
    return len(caused) + len(found)


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
    if os.environ.get('BENCH_SHOW'):
        print(proc.stdout.decode()[-6000:])
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout.decode()[-3000:])
    return seconds


def request_counts(url):
    log = call(url + '/_sim/requests')['requests']
    counts = {'mackerel list': 0, 'mackerel names': 0, 'mackerel close': 0, 'opsramp token': 0, 'opsramp search': 0,
              'opsramp close': 0, 'other': 0}
    for r in log:
        path = r['path']
        if path == '/api/v0/alerts':
            counts['mackerel list'] += 1
        elif path.startswith(('/api/v0/hosts/', '/api/v0/monitors/')):
            counts['mackerel names'] += 1
        elif path.endswith('/close') and r['platform'] == 'mackerel':
            counts['mackerel close'] += 1
        elif path.endswith('/oauth/token'):
            counts['opsramp token'] += 1
        elif path.endswith('/alerts/search'):
            counts['opsramp search'] += 1
        elif '/actions/close' in path:
            counts['opsramp close'] += 1
        else:
            counts['other'] += 1
    return counts


def raise_window(url, hosts, count):
    half = count // 2
    call(url + '/_sim/mackerel/raise', 'POST', {'count': half, 'host_id': hosts[0]})
    call(url + '/_sim/opsramp/raise', 'POST', {'count': count - half, 'device': 'bench-01', 'resource_id': 'res-bench-01'})
    return half, count - half


def bench_window(url, workdir, count):
    """The end phase of a window in which the change caused ``count`` alerts (half Mackerel, half OpsRamp)."""
    base = launch.collections_base(workdir)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=base, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', **creds(url))
    best = {}
    for round_no in range(2):
        call(url + '/_sim/reset', 'POST', {})
        hosts = call(url + '/_sim/mackerel/hosts')['hosts'][:2]
        extra = {'state_dir': os.path.join(workdir, 'state'), 'hosts': hosts, 'change_id': 'CHG-BENCH-%d' % round_no}
        playbook(workdir, WINDOW_PLAY, env, dict(extra, phase='begin'))
        time.sleep(1.1)          # alerts open in a later second than the window's begin
        mk_count, or_count = raise_window(url, hosts, count)
        time.sleep(1.1)          # the window is [begin, end) to the second: let the raise second pass
        call(url + '/_sim/requests', 'DELETE')
        role_s = playbook(workdir, WINDOW_PLAY, env, dict(extra, phase='end'))
        role_counts = request_counts(url)
        assert role_counts['mackerel close'] == mk_count and role_counts['opsramp close'] == or_count, role_counts

        # the same situation again, for the bare script
        call(url + '/_sim/reset', 'POST', {})
        begin_epoch = int(time.time())
        time.sleep(1.1)
        raise_window(url, hosts, count)
        call(url + '/_sim/requests', 'DELETE')
        t0 = time.perf_counter()
        closed = bare_end_phase(url, env, begin_epoch, set(hosts))
        bare_s = time.perf_counter() - t0
        bare_counts = request_counts(url)
        assert closed == count, closed
        if not best or role_s / bare_s < best['ratio']:
            best = dict(role_s=role_s, bare_s=bare_s, ratio=role_s / bare_s, role=role_counts, bare=bare_counts)
    # the minimum: Mackerel pages back to the window's begin (+1 to see it), one name read per distinct host and
    # monitor, one close per alert; one OpsRamp token, the search pages of the scope since the begin, one close each
    minimum = {'mackerel list': mk_count // 100 + 1, 'mackerel names': 2, 'mackerel close': mk_count,
               'opsramp token': 1, 'opsramp search': -(-or_count // 100), 'opsramp close': or_count, 'other': 0}
    print('change-window end phase, %d caused alerts (%d Mackerel + %d OpsRamp): role %.2f s (whole ansible-playbook '
          'run incl. state and reports), bare requests script %.2f s (same requests, 8 writes in flight, no state, no '
          'report): ratio %.2fx (goal <= 2x)' % (count, mk_count, or_count, best['role_s'], best['bare_s'], best['ratio']))
    print('  %-16s %6s %6s %8s' % ('requests', 'role', 'bare', 'minimum'))
    for key in minimum:
        print('  %-16s %6d %6d %8d' % (key, best['role'][key], best['bare'][key], minimum[key]))
    total = sum(best['role'].values())
    print('  %-16s %6d %6d %8d' % ('total', total, sum(best['bare'].values()), sum(minimum.values())))
    best['at_minimum'] = best['role'] == minimum
    return best


def bench_stores(url, workdir, count):
    """The end phase (``count`` caused alerts) with each state store; the times side by side."""
    sys.path.insert(0, os.path.join(ROOT, 'tests'))
    import pg_cluster  # pylint: disable=import-outside-toplevel
    base = launch.collections_base(workdir)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=base, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', **creds(url))
    reason = pg_cluster.skip_reason()
    cluster = None if reason else pg_cluster.Cluster().init().start()
    times = {}
    try:
        for store in ('file', 'postgresql'):
            if store == 'postgresql' and cluster is None:
                continue
            store_env = dict(env, ALERTOPS_STATE_URL=cluster.url()) if store == 'postgresql' else env
            call(url + '/_sim/reset', 'POST', {})
            hosts = call(url + '/_sim/mackerel/hosts')['hosts'][:2]
            extra = {'state_dir': os.path.join(workdir, 'state-' + store), 'hosts': hosts,
                     'change_id': 'CHG-STORE-%s' % store, 'store': store}
            playbook(workdir, WINDOW_PLAY, store_env, dict(extra, phase='begin'))
            time.sleep(1.1)
            raise_window(url, hosts, count)
            time.sleep(1.1)
            times[store] = playbook(workdir, WINDOW_PLAY, store_env, dict(extra, phase='end'))
    finally:
        if cluster is not None:
            cluster.remove()
    print('end phase by state store, %d caused alerts (whole ansible-playbook run): file %.2f s, postgresql %s'
          % (count, times['file'], ('%.2f s (%+.2f s)' % (times['postgresql'], times['postgresql'] - times['file']))
             if 'postgresql' in times else 'not measured: %s' % reason))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--lookup-alerts', type=int, default=10000)
    parser.add_argument('--window-alerts', type=int, default=1000)
    parser.add_argument('--store-alerts', type=int, default=200)
    parser.add_argument('--stores-only', action='store_true', help='only the end phase per state store')
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='alertops-bench-')
    proc, info = launch.start(workdir)
    url = info['url']
    try:
        if args.stores_only:
            bench_stores(url, workdir, args.store_alerts)
            return 0
        lookup = bench_lookup(url, args.lookup_alerts)
        window = bench_window(url, workdir, args.window_alerts)
        bench_stores(url, workdir, args.store_alerts)
    finally:
        proc.terminate()
    ok = lookup['ratio'] <= 1.3 and lookup['requests'] == (args.lookup_alerts + 99) // 100 and window['ratio'] <= 2 \
        and window['at_minimum']
    print('goals met' if ok else 'GOALS NOT MET')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
