# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Memory of log360_job_results streaming to a file does not grow with the number of hits.

Starts the simulator, creates a 200,000-hit job and a 1,000-hit job, and runs the real module (as Ansible runs it:
a Python process reading its arguments from a JSON file) to stream each job's results to jsonl. Each module run
happens inside a dedicated measuring process that reports the peak RSS of its children
(resource.getrusage(RUSAGE_CHILDREN).ru_maxrss), i.e. of the module process alone.

    python benchmarks/log360_results_memory.py [--hits 200000] [--small 1000] [--limit-mb 50]

Prints both peak RSS figures, the delta, the number of result requests per job and ceil(N/1000); exits 1 when
the delta exceeds the limit or a request count is not exactly ceil(N/1000).
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
MODULE = os.path.join(ROOT, 'plugins', 'modules', 'log360_job_results.py')
sys.path.append(os.path.join(ROOT, 'tests', 'simulator'))

import launch  # noqa: E402  pylint: disable=wrong-import-position

MEASURE = r'''
import json, resource, subprocess, sys, time
start = time.time()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "maxrss_kb": usage.ru_maxrss, "seconds": round(time.time() - start, 2),
                  "stdout": proc.stdout.decode("utf-8", "replace")[-2000:], "stderr": proc.stderr.decode("utf-8", "replace")[-2000:]}))
'''


def call(url, path, body=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method or ('POST' if data else 'GET'),
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read().decode() or 'null')


def run_module(workdir, base, url, token, request_id, dest):
    args_file = os.path.join(workdir, 'args-%s.json' % request_id)
    with open(args_file, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': {'url': url, 'token': token, 'request_id': request_id, 'dest': dest,
                                           'format': 'jsonl', '_ansible_check_mode': False}}, handle)
    env = dict(os.environ, PYTHONPATH=base + os.pathsep + os.environ.get('PYTHONPATH', ''))
    out = subprocess.run([sys.executable, '-c', MEASURE, sys.executable, MODULE, args_file], env=env,
                         stdout=subprocess.PIPE, check=True).stdout
    measured = json.loads(out.decode())
    result = None
    for line in measured['stdout'].splitlines():
        if line.startswith('{'):
            result = json.loads(line)
    if measured['rc'] != 0 or not result or result.get('failed'):
        raise SystemExit('module failed (rc %s): %s %s' % (measured['rc'], measured['stdout'], measured['stderr']))
    measured['result'] = result
    return measured


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--hits', type=int, default=200000)
    parser.add_argument('--small', type=int, default=1000)
    parser.add_argument('--limit-mb', type=float, default=50.0)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='alertops-bench-')
    proc, info = launch.start(workdir)
    url = info['url']
    try:
        base = launch.collections_base(workdir)
        token = call(url, '/_sim/log360/credentials')['env']['LOG360_TOKEN']
        figures = {}
        ok = True
        for label, hits in (('small', args.small), ('large', args.hits)):
            request_id = call(url, '/_sim/log360/jobs', {'hits': hits, 'duration': 0})['request_id']
            dest = os.path.join(workdir, '%s.jsonl' % label)
            measured = run_module(workdir, base, url, token, request_id, dest)
            requests = [e for e in call(url, '/_sim/requests?platform=log360&path=%5E/api/v2/jobs/results%24')['requests']
                        if e['query'].get('request_id') == [request_id]]
            with open(dest) as handle:
                lines = sum(1 for _line in handle)
            expected = int(math.ceil(hits / 1000.0))
            figures[label] = dict(hits=hits, maxrss_mb=round(measured['maxrss_kb'] / 1024.0, 1), seconds=measured['seconds'],
                                  result_requests=len(requests), expected_requests=expected, lines=lines,
                                  hits_written=measured['result']['hits_written'])
            print('%-5s job: %7d hits -> %7d lines, peak RSS %6.1f MB, %3d result requests (ceil(N/1000) = %d), %.1f s'
                  % (label, hits, lines, figures[label]['maxrss_mb'], len(requests), expected, measured['seconds']))
            ok = ok and len(requests) == expected and lines == hits
        delta = round(figures['large']['maxrss_mb'] - figures['small']['maxrss_mb'], 1)
        print('delta peak RSS: %+.1f MB (limit +%.0f MB): %s' % (delta, args.limit_mb, 'OK' if delta <= args.limit_mb else 'TOO MUCH'))
        print(json.dumps({'small': figures['small'], 'large': figures['large'], 'delta_mb': delta}))
        ok = ok and delta <= args.limit_mb
        return 0 if ok else 1
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == '__main__':
    sys.exit(main())
