# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the occurrences of one OpsRamp alert with 10,000 occurrences (tie groups included).

Starts the simulator on a free loopback port and, under both endTime semantics, measures side by side:

* the collection's client (OpsRampClient.occurrences: OAuth2, transport, tie-safe walk, normalisation);
* a bare requests.Session script sending exactly the same occurrence requests (same paging), so the time
  difference is the collection's own overhead;
* a naive script following the documentation literally (endTime = endDate of the previous page, no tie
  handling), to show what the tie handling buys.

Requests are counted against the minimum ceil(N / 100).

    python benchmarks/opsramp_occurrences.py [--count 10000] [--repeat 3]
"""

from __future__ import absolute_import, division, print_function

import argparse
import collections
import json
import math
import os
import sys
import tempfile
import time
import urllib.request

import requests

ROW = '%-10s %-34s %9d %9s %8d %9.3f %7s'
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))


sys.path.append(os.path.join(ROOT, 'tests', 'simulator'))
import launch  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, launch.collections_base(tempfile.mkdtemp(prefix='alertops-bench-')))
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient  # noqa: E402


class Sim:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='alertops-bench-sim-')
        self.proc, info = launch.start(self.dir)
        self.url = info['url']

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read().decode() or 'null')

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def key(occ):
    return (occ['createdTimeString'], occ['subject'], occ['description'])


def run_collection(sim, params, alert_id):
    client = OpsRampClient.from_params(params)
    started = time.perf_counter()
    walker = client.occurrence_walker(alert_id)
    occurrences = client.occurrences(alert_id, walker=walker)
    elapsed = time.perf_counter() - started
    client.transport.close()
    return occurrences, walker.pages, elapsed


def run_bare_same_requests(sim, creds, queries):
    """A bare requests.Session sending the very same occurrence requests (token once, then the pages)."""
    session = requests.Session()
    started = time.perf_counter()
    token = session.post(sim.url + '/tenancy/auth/oauth/token', data={
        'grant_type': 'client_credentials', 'client_id': creds['OPSRAMP_CLIENT_ID'],
        'client_secret': creds['OPSRAMP_CLIENT_SECRET']}).json()['access_token']
    headers = {'Authorization': 'Bearer ' + token, 'Accept': 'application/json'}
    rows = 0
    for path, params in queries:
        rows += len(session.get(sim.url + path, params=params, headers=headers).json()['results'])
    elapsed = time.perf_counter() - started
    session.close()
    return rows, elapsed


def run_naive(sim, creds, tenant, alert_id):
    """The documented recipe taken literally: endTime = previous endDate while nextPage, a set to drop repeats."""
    session = requests.Session()
    started = time.perf_counter()
    token = session.post(sim.url + '/tenancy/auth/oauth/token', data={
        'grant_type': 'client_credentials', 'client_id': creds['OPSRAMP_CLIENT_ID'],
        'client_secret': creds['OPSRAMP_CLIENT_SECRET']}).json()['access_token']
    headers = {'Authorization': 'Bearer ' + token}
    url = '%s/api/v2/tenants/%s/alerts/%s/occurrences' % (sim.url, tenant, alert_id)
    params, out, seen, pages = {'pageSize': 100}, [], set(), 0
    while True:
        data = session.get(url, params=params, headers=headers).json()
        pages += 1
        for occ in data['results']:
            if key(occ) not in seen:
                seen.add(key(occ))
                out.append(occ)
        if not data.get('nextPage') or not data['results'] or pages > 1000:
            break
        params = {'pageSize': 100, 'queryString': 'endTime:' + data['endDate']}
    elapsed = time.perf_counter() - started
    session.close()
    return out, pages, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--count', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()
    sim = Sim()
    try:
        creds = sim.call('GET', '/_sim/opsramp/credentials')
        env, tenant, alert_id = creds['env'], creds['tenant_id'], creds['occurrence_alerts']['benchmark']
        params = dict(url=sim.url, tenant_id=tenant, client_id=env['OPSRAMP_CLIENT_ID'],
                      client_secret=env['OPSRAMP_CLIENT_SECRET'], token_path='/tenancy/auth/oauth/token',
                      validate_certs=True, request_timeout=30, retries=3)
        minimum = int(math.ceil(args.count / 100.0))
        print('OpsRamp occurrences benchmark: alert %s with %d occurrences (tie groups up to 45 per second), '
              'page size 100, minimum ceil(N/100) = %d requests' % (alert_id, args.count, minimum))
        print('%-10s %-34s %9s %9s %8s %9s %7s' % ('endTime', 'client', 'returned', 'exact', 'requests', 'seconds',
                                                   'ratio'))
        for semantics in ('inclusive', 'exclusive'):
            sim.call('POST', '/_sim/reset', {})
            sim.call('POST', '/_sim/opsramp/seed_occurrences', {'alert_id': alert_id, 'count': args.count, 'ties': 'default',
                                                                'identical': True, 'spacing': [1, 3]})
            sim.call('POST', '/_sim/config', {'variants': {'opsramp_endtime': semantics}})
            truth = collections.Counter(map(key, sim.call('GET', '/_sim/opsramp/occurrences?id=%s' % alert_id)['occurrences']))
            best_coll, best_bare = None, None
            for _round in range(args.repeat):
                sim.call('DELETE', '/_sim/requests')
                occurrences, pages, elapsed = run_collection(sim, params, alert_id)
                log = sim.call('GET', '/_sim/requests?platform=opsramp&path=/occurrences$')['requests']
                queries = [(e['path'], dict((k, v[-1]) for k, v in e['query'].items())) for e in log]
                exact = collections.Counter(map(key, occurrences)) == truth
                rows, bare_elapsed = run_bare_same_requests(sim, env, queries)
                best_coll = min(best_coll or elapsed, elapsed)
                best_bare = min(best_bare or bare_elapsed, bare_elapsed)
            naive, naive_pages, naive_elapsed = run_naive(sim, env, tenant, alert_id)
            naive_counter = collections.Counter(map(key, naive))
            lost = sum((truth - naive_counter).values())
            extra = sum((naive_counter - truth).values())
            naive_exact = 'NO (%d lost, %d extra)' % (lost, extra) if lost or extra else 'yes'
            print(ROW % (semantics, 'alertops.core OpsRampClient', len(occurrences), 'yes' if exact else 'NO', len(log),
                         best_coll, '%.2f' % (best_coll / best_bare)))
            print(ROW % ('', 'bare requests.Session, same paging', rows, '-', len(queries), best_bare, '1.00'))
            print(ROW % ('', 'naive documented endDate paging', len(naive), naive_exact, naive_pages, naive_elapsed, '-'))
            print('%-10s requests: %d sent vs minimum %d (+%d = %.1f%%: the last second of every full page is read again '
                  'so a tie group is always complete); time ratio collection/bare = %.2f'
                  % ('', len(log), minimum, len(log) - minimum, 100.0 * (len(log) - minimum) / minimum, best_coll / best_bare))
    finally:
        sim.stop()


if __name__ == '__main__':
    main()
