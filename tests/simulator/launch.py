# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the simulator as a child process, and give a plain checkout an ansible_collections path.

Shared by the acceptance tests (tests/integration/conftest.py) and the benchmarks, so each starts the real server
the same way: a free loopback port, a bounded lifetime, and a port file unique to the call (two simulators in one
folder never read each other's port).
"""

from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
SERVER = os.path.join(HERE, 'server.py')


def start(workdir, extra_args=(), max_lifetime=1800, timeout=20):
    """Start server.py on a free port; return ``(process, info)`` with info = {"url", "port", "pid", "cert"}."""
    handle, port_file = tempfile.mkstemp(prefix='sim-port-', suffix='.json', dir=workdir)
    os.close(handle)
    os.unlink(port_file)  # the server writes it once it listens
    log = open(port_file[:-len('.json')] + '.log', 'w')
    proc = subprocess.Popen([sys.executable, SERVER, '--port', '0', '--port-file', port_file,
                             '--max-lifetime', str(max_lifetime)] + list(extra_args),
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.time() + timeout
    while not os.path.exists(port_file):
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError('the simulator did not start; see %s' % log.name)
        time.sleep(0.05)
    with open(port_file) as handle:
        return proc, json.load(handle)


def collections_base(workdir):
    """ANSIBLE_COLLECTIONS_PATH for this checkout: the real tree when it sits in one, else a symlinked tree."""
    parts = ROOT.split(os.sep)
    if len(parts) >= 4 and parts[-3] == 'ansible_collections':
        return os.sep.join(parts[:-3])
    base = os.path.join(workdir, 'collections')
    link = os.path.join(base, 'ansible_collections', 'alertops', 'core')
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link))
        os.symlink(ROOT, link)
    return base
