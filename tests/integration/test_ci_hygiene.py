# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A passing command prints nothing alarming: no deprecation warning of a dependency on every command, no CRITICAL
line from a passing molecule stage; and .ci/run installs and prints what its stages need."""

from __future__ import absolute_import, division, print_function

import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BIN = os.path.dirname(sys.executable)


def run(cmd, collections_base, cwd=ROOT):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_base, ANSIBLE_NOCOLOR='1', NO_COLOR='1',
               PY_COLORS='0', ANSIBLE_FORCE_COLOR='0')
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
                          check=False)
    return proc.returncode, proc.stdout.decode('utf-8', 'replace')


def test_ansible_commands_print_no_deprecation_warning_of_a_dependency(collections_base):
    # ansible-core imports cryptography's DSA for its ssh agent on every start; cryptography 51 deprecates DSA on
    # import: .ci/requirements.txt keeps cryptography below 51
    for cmd in ([os.path.join(BIN, 'ansible'), '--version'],
                [os.path.join(BIN, 'ansible-doc'), 'alertops.core.mackerel_alert_info']):
        rc, output = run(cmd, collections_base)
        assert rc == 0, output
        assert 'DeprecationWarning' not in output, output[:2000]


@pytest.mark.skipif(not os.path.exists(os.path.join(BIN, 'molecule')), reason='molecule is not installed')
def test_a_passing_molecule_stage_prints_nothing_alarming(collections_base):
    rc, output = run([os.path.join(BIN, 'molecule'), 'syntax', '-s', 'job_cleanup'], collections_base)
    assert rc == 0, output
    assert not re.search(r'CRITICAL|ERROR|glob failed', output), output[-3000:]
    # the default scenario molecule looks for (its shared state) syntax-checks every playbook the collection ships
    rc, output = run([os.path.join(BIN, 'molecule'), 'test', '-s', 'default'], collections_base)
    assert rc == 0, output
    assert not re.search(r'CRITICAL|ERROR|\[WARNING\]|glob failed', output), output[-3000:]
    assert 'default' in output and 'successful=1' in output
    playbooks = sorted(f for f in os.listdir(os.path.join(ROOT, 'playbooks')) if f.endswith('.yml'))
    with open(os.path.join(ROOT, 'extensions', 'molecule', 'default', 'converge.yml')) as handle:
        converge = handle.read()
    assert sorted(re.findall(r'import_playbook: \.\./\.\./\.\./playbooks/(\S+\.yml)', converge)) == playbooks


def test_ci_run_installs_shellcheck_and_prints_the_slowest_integration_tests():
    with open(os.path.join(ROOT, '.ci', 'run')) as handle:
        script = handle.read()
    assert re.search(r'apt-get install -y -qq shellcheck', script)
    integration = next(line for line in script.splitlines() if line.startswith('stage integration'))
    assert '--durations=10' in integration
    if shutil.which('shellcheck'):
        proc = subprocess.run(['shellcheck', '-S', 'error', os.path.join(ROOT, '.ci', 'run')],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        assert proc.returncode == 0, proc.stdout.decode('utf-8', 'replace')
