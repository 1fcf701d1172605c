# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Acceptance harness: a real simulator process on a loopback port and real ansible-playbook runs against it.

Tests get the ``sim`` fixture (reset before each test) and ``play`` (runs a playbook from playbooks/ and
returns rc + output). Playbooks assert on what modules return; tests assert on what the server received.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
PLAYBOOKS = os.path.join(HERE, 'playbooks')
sys.path.append(os.path.join(ROOT, 'tests', 'simulator'))

import launch  # noqa: E402  pylint: disable=wrong-import-position


class Sim:
    """Client of the simulator's control API (see tests/simulator/core.py)."""

    def __init__(self, url, pid, cert=None):
        self.url = url
        self.pid = pid
        self.cert = cert

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode() or 'null')

    def reset(self, seed=None):
        return self.call('POST', '/_sim/reset', {'seed': seed} if seed is not None else {})

    def configure(self, variants=None, faults=None):
        return self.call('POST', '/_sim/config', {'variants': variants or {}, 'faults': faults or {}})

    def requests(self, platform=None, method=None, path=None):
        query = '&'.join('%s=%s' % (k, urllib.request.quote(str(v))) for k, v in
                         (('platform', platform), ('method', method), ('path', path)) if v)
        return self.call('GET', '/_sim/requests' + ('?' + query if query else ''))['requests']

    def clear_log(self):
        return self.call('DELETE', '/_sim/requests')

    def advance(self, seconds):
        return self.call('POST', '/_sim/clock', {'advance': seconds})

    def control(self, platform, action, body=None, method=None):
        return self.call(method or ('POST' if body is not None else 'GET'), '/_sim/%s/%s' % (platform, action), body)


def start_simulator(workdir, extra_args=()):
    proc, info = launch.start(workdir, extra_args, max_lifetime=3600)
    return proc, Sim(info['url'], info['pid'], info.get('cert'))


@pytest.fixture(scope='session')
def workdir():
    path = tempfile.mkdtemp(prefix='alertops-it-')
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope='session')
def collections_base(workdir):
    """ANSIBLE_COLLECTIONS_PATH: the real tree when checked out inside one, else a symlinked tree."""
    return launch.collections_base(workdir)


@pytest.fixture(scope='session')
def sim_server(workdir):
    proc, sim = start_simulator(workdir)
    yield sim
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def sim(sim_server):
    sim_server.reset()
    return sim_server


class PlayResult:
    def __init__(self, rc, output, cmd):
        self.rc = rc
        self.output = output
        self.cmd = cmd

    def __repr__(self):
        return 'PlayResult(rc=%s)\n%s' % (self.rc, self.output[-6000:])


@pytest.fixture
def play(sim, collections_base, workdir, tmp_path):
    """play(name, extra_vars=None, env=None, check=False, verbosity=0) -> PlayResult.

    The simulator's URL and seeded credentials reach the playbook as extra vars (sim_url, ...) and, for the
    platform connections, as the environment variables the modules fall back to, the way AWX injects them.
    """
    def run(name, extra_vars=None, env=None, check=False, verbosity=0, diff=False, inventory=None, forks=None,
            background=False):
        evars = {'sim_url': sim.url, 'output_dir': str(tmp_path)}
        if os.environ.get('ALERTOPS_TEST_TARGET_PYTHON'):
            # the matrix (.ci/matrix target 3.8): implicit localhost ignores ANSIBLE_PYTHON_INTERPRETER, extra vars win
            evars['ansible_python_interpreter'] = os.environ['ALERTOPS_TEST_TARGET_PYTHON']
        evars.update(extra_vars or {})
        vars_file = tmp_path / ('vars-%d.json' % int(time.time() * 1000))
        vars_file.write_text(json.dumps(evars))
        full_env = dict(os.environ)
        full_env.update({
            'ANSIBLE_COLLECTIONS_PATH': collections_base,
            'ANSIBLE_PYTHON_INTERPRETER': os.environ.get('ALERTOPS_TEST_TARGET_PYTHON') or sys.executable,
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': 'false',
            'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'ansible-local'),
            # the host's claims ledger (module_utils/claims.py) of this session: shared by its runs, removed with it
            'ALERTOPS_CLAIMS_DIR': os.path.join(workdir, 'claims'),
            'ANSIBLE_REMOTE_TEMP': os.path.join(workdir, 'ansible-remote'),
            'LOG360_URL': sim.url,
            'MACKEREL_APIBASE': sim.url,
            'OPSRAMP_URL': sim.url,
        })
        full_env.update(sim_credentials(sim))
        # pacing off unless a test asks for it (tests/integration/test_vendor.py does): Log360 paces at 60/min by default
        full_env.setdefault('ALERTOPS_RATE_LIMIT', '0')
        for var, value in (env or {}).items():   # None unsets a variable
            if value is None:
                full_env.pop(var, None)
            else:
                full_env[var] = value
        cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), os.path.join(PLAYBOOKS, name),
               '-e', '@' + str(vars_file)]
        if inventory:
            cmd += ['-i', inventory]
        if forks:
            cmd += ['--forks', str(forks)]
        if check:
            cmd.append('--check')
        if diff:
            cmd.append('--diff')
        if verbosity:
            cmd.append('-' + 'v' * verbosity)
        if background:   # the caller waits or kills it (a process group of its own, as a job container is)
            return subprocess.Popen(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=PLAYBOOKS,
                                    start_new_session=True)
        proc = subprocess.run(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=PLAYBOOKS,
                              timeout=600, check=False)
        return PlayResult(proc.returncode, proc.stdout.decode('utf-8', 'replace'), cmd)
    return run


def sim_credentials(sim):
    """Environment for the modules: each vendor's default seeded credentials (the simulator tells them)."""
    env = {}
    for platform in ('log360', 'mackerel', 'opsramp'):
        try:
            env.update(sim.control(platform, 'credentials').get('env', {}))
        except Exception:  # vendor not present (yet)
            pass
    return env
