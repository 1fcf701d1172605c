# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX readiness: a playbook run through ansible-runner the way an AWX job template runs it, and the EE definition.

The runner's private data dir holds only what the AWX credential types (extensions/awx/credential_types) inject,
plus ANSIBLE_COLLECTIONS_PATH; the test checks the effect on the simulator and that no secret reaches the artifacts.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import shutil
import subprocess
import ssl
import sys
import tempfile
import urllib.request

import pytest
import yaml

from conftest import start_simulator

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
CREDENTIAL_TYPES = os.path.join(ROOT, 'extensions', 'awx', 'credential_types')
EE_FILE = os.path.join(ROOT, 'meta', 'execution-environment.yml')
BIN = os.path.dirname(sys.executable)


def injected_env(platform, values, folder=None):
    """Render a credential type's injectors with the given input values, as AWX does: a field left out is
    undefined (its ``default`` applies, as the AWX form fills it in); each ``file: template.<name>`` is written
    to ``folder`` and named by ``tower.filename.<name>``."""
    import jinja2
    with open(os.path.join(CREDENTIAL_TYPES, platform + '.yml')) as handle:
        ctype = yaml.safe_load(handle)
    fields = dict((f['id'], f) for f in ctype['inputs']['fields'])
    assert set(ctype['inputs']['required']) <= set(fields)
    assert set(values) <= set(fields), 'not an input of %s: %s' % (platform, set(values) - set(fields))
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    namespace = dict((k, f['default']) for k, f in fields.items() if 'default' in f)
    namespace.update(values)
    filenames = {}
    for key, template in (ctype['injectors'].get('file') or {}).items():
        name = key.split('.', 1)[1]
        path = os.path.join(str(folder or tempfile.mkdtemp()), 'awx-%s-%s' % (platform, name))
        with open(path, 'w') as handle:
            handle.write(env.from_string(template).render(**namespace))
        filenames[name] = path
    namespace['tower'] = {'filename': filenames}
    out = dict((var, env.from_string(template).render(**namespace)) for var, template in ctype['injectors']['env'].items())
    return out, ctype


TLS_ENV = {'log360': 'LOG360', 'mackerel': 'MACKEREL', 'opsramp': 'OPSRAMP'}


def test_credential_types_inject_exactly_the_module_env():
    expected = {
        'log360': ({'LOG360_URL', 'LOG360_TOKEN'}, {'token'}),
        'mackerel': ({'MACKEREL_APIBASE', 'MACKEREL_APIKEY'}, {'api_key'}),
        'opsramp': ({'OPSRAMP_URL', 'OPSRAMP_TENANT_ID', 'OPSRAMP_CLIENT_ID', 'OPSRAMP_CLIENT_SECRET', 'OPSRAMP_TOKEN'},
                    {'client_secret', 'token'}),
    }
    injected_by = {}
    for platform, (env, secrets) in expected.items():
        with open(os.path.join(CREDENTIAL_TYPES, platform + '.yml')) as handle:
            ctype = yaml.safe_load(handle)
        assert ctype['kind'] == 'cloud' and ctype['name'] and ctype['description']
        tls = {TLS_ENV[platform] + '_VALIDATE_CERTS', TLS_ENV[platform] + '_CA_PATH'}
        assert set(ctype['injectors']['env']) == env | tls
        assert list(ctype['injectors']['file']) == ['template.ca_cert']
        fields = dict((f['id'], f) for f in ctype['inputs']['fields'])
        assert set(f for f in fields if fields[f].get('secret')) == secrets
        assert fields['ca_cert']['multiline'] is True and 'ca_cert' not in ctype['inputs']['required']
        assert 'url' in ctype['inputs']['required']
        for var in ctype['injectors']['env']:
            injected_by.setdefault(var, []).append(platform)
    # two credentials attached to one job template never collide
    assert [var for var, types in injected_by.items() if len(types) > 1] == []


def test_the_ca_input_is_injected_as_a_file_and_an_empty_one_injects_nothing(tmp_path):
    pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    base = {'url': 'https://siem.example.com', 'token': 'tok', 'api_key': 'key', 'tenant_id': 'client_1'}
    for platform, prefix in TLS_ENV.items():
        fields = set(f['id'] for f in yaml.safe_load(open(os.path.join(CREDENTIAL_TYPES, platform + '.yml')))['inputs']['fields'])
        values = dict((k, v) for k, v in base.items() if k in fields)
        env, _ctype = injected_env(platform, dict(values, ca_cert=pem, validate_certs=False), tmp_path)
        with open(env[prefix + '_CA_PATH']) as handle:
            assert handle.read() == pem
        assert env[prefix + '_VALIDATE_CERTS'] == 'False'
        env, _ctype = injected_env(platform, values, tmp_path)
        assert env[prefix + '_CA_PATH'] == ''      # an empty variable: the modules fall back to ALERTOPS_CA_PATH
        assert env[prefix + '_VALIDATE_CERTS'] == 'True'


def test_job_template_run_through_ansible_runner(sim, collections_base, tmp_path, monkeypatch):
    ansible_runner = pytest.importorskip('ansible_runner')
    # ansible-runner finds ansible-playbook on PATH: the venv of this Python, activated or not
    monkeypatch.setenv('PATH', BIN + os.pathsep + os.environ.get('PATH', ''))
    mackerel_keys = sim.control('mackerel', 'credentials')['keys']
    ops = sim.control('opsramp', 'credentials')
    client = ops['clients']['manage']
    env = {}
    env.update(injected_env('mackerel', {'url': sim.url, 'api_key': mackerel_keys['read_write']}, tmp_path)[0])
    env.update(injected_env('opsramp', {'url': sim.url, 'tenant_id': ops['tenant_id'], 'client_id': client['client_id'],
                                        'client_secret': client['client_secret']}, tmp_path)[0])
    env['ANSIBLE_COLLECTIONS_PATH'] = collections_base
    target = next(a for a in sim.control('mackerel', 'alerts')['alerts'] if a['status'] != 'OK')

    pdd = tmp_path / 'pdd'
    (pdd / 'env').mkdir(parents=True)
    (pdd / 'inventory').mkdir()
    (pdd / 'project').mkdir()
    (pdd / 'env' / 'envvars').write_text(yaml.safe_dump(env))
    (pdd / 'env' / 'extravars').write_text(yaml.safe_dump({'close_id': target['id'], 'change_id': 'CHG-AWX-1'}))
    (pdd / 'env' / 'settings').write_text(yaml.safe_dump({'job_timeout': 300, 'idle_timeout': 120}))
    (pdd / 'inventory' / 'hosts').write_text(
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    shutil.copy(os.path.join(HERE, 'playbooks', 'awx_job.yml'), str(pdd / 'project' / 'awx_job.yml'))
    sim.clear_log()

    run = ansible_runner.run(private_data_dir=str(pdd), playbook='awx_job.yml', quiet=True, verbosity=4,
                             ident='awxjob')
    stdout = run.stdout.read()
    assert run.status == 'successful', stdout[-4000:]
    assert run.rc == 0
    assert 'Traceback' not in stdout

    # the effect: exactly one close, of the target, with the reason from the extra vars
    writes = [r for r in sim.requests() if r['method'] in ('POST', 'PUT', 'DELETE')
              and not r['path'].endswith('/oauth/token')]
    assert [(r['method'], r['path']) for r in writes] == [('POST', '/api/v0/alerts/%s/close' % target['id'])]
    assert json.loads(writes[0]['body'])['reason'] == 'CHG-AWX-1: closed from AWX'
    assert sim.requests(platform='opsramp', path='/alerts/search')
    after = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    assert after[target['id']]['status'] == 'OK'

    # no secret in the artifacts (env/envvars holds them, as in AWX; runner's own "command" file echoes the env)
    secrets = [mackerel_keys['read_write'], client['client_secret']] + sim.control('opsramp', 'issued_tokens')['tokens']
    assert len(secrets) > 2, 'the job should have fetched an OpsRamp token'
    artifacts = pdd / 'artifacts' / 'awxjob'
    checked = 0
    # ansible-runner's own artifacts/<ident>/command records the full process env (so the envvars): it is the
    # runner's copy of env/envvars, not output of the job, and AWX does not publish it; every other file is checked
    files = [p for p in sorted(artifacts.rglob('*')) if p.is_file() and p.name != 'command']
    assert artifacts / 'stdout' in files and len([p for p in files if p.parent.name == 'job_events']) > 10
    for path in files:
        text = path.read_text(errors='replace')
        checked += 1
        for secret in secrets:
            assert secret not in text, 'secret found in %s' % path
    assert checked > 12
    events = json.dumps(list(run.events))
    assert not [s for s in secrets if s in events]


def test_job_with_two_credentials_each_trusting_its_own_ca(collections_base, tmp_path, monkeypatch):
    """A Log360 credential and a Mackerel credential, each with its own internal CA in the CA input, attached to
    one job: AWX writes each CA to a file, the modules trust each platform's own CA, nothing collides."""
    ansible_runner = pytest.importorskip('ansible_runner')
    monkeypatch.setenv('PATH', BIN + os.pathsep + os.environ.get('PATH', ''))
    for sub in ('a', 'b'):
        (tmp_path / sub).mkdir()
    proc_a, tls_a = start_simulator(str(tmp_path / 'a'), ['--tls'])
    proc_b, tls_b = start_simulator(str(tmp_path / 'b'), ['--tls'])
    try:
        creds = tmp_path / 'creds'
        creds.mkdir()
        with open(tls_a.cert) as handle_a, open(tls_b.cert) as handle_b:
            ca_a, ca_b = handle_a.read(), handle_b.read()
        assert ca_a != ca_b
        env = {}
        env.update(injected_env('log360', {'url': tls_a.url, 'ca_cert': ca_a,
                                           'token': tls_get(tls_a, '/_sim/log360/credentials')['env']['LOG360_TOKEN']},
                                creds)[0])
        env.update(injected_env('mackerel', {'url': tls_b.url, 'ca_cert': ca_b, 'api_key': tls_get(
            tls_b, '/_sim/mackerel/credentials')['env']['MACKEREL_APIKEY']}, creds)[0])
        env['ANSIBLE_COLLECTIONS_PATH'] = collections_base
        pdd = tmp_path / 'pdd'
        for sub in ('env', 'inventory', 'project'):
            (pdd / sub).mkdir(parents=True)
        (pdd / 'env' / 'envvars').write_text(yaml.safe_dump(env))
        (pdd / 'inventory' / 'hosts').write_text(
            'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
        shutil.copy(os.path.join(HERE, 'playbooks', 'hardening_tls_platforms.yml'), str(pdd / 'project' / 'tls.yml'))
        run = ansible_runner.run(private_data_dir=str(pdd), playbook='tls.yml', quiet=True, ident='tlsjob')
        stdout = run.stdout.read()
        assert run.status == 'successful', stdout[-4000:]
        assert [r for r in tls_get(tls_a, '/_sim/requests')['requests'] if r['platform'] == 'log360']
        assert [r for r in tls_get(tls_b, '/_sim/requests')['requests'] if r['platform'] == 'mackerel']
    finally:
        for proc in (proc_a, proc_b):
            proc.terminate()
            proc.wait(10)


def tls_get(tls, path):
    context = ssl.create_default_context(cafile=tls.cert)
    with urllib.request.urlopen(tls.url + path, timeout=30, context=context) as resp:
        return json.loads(resp.read().decode())


def test_execution_environment_definition_builds_a_context(tmp_path):
    """ansible-builder create works on meta/execution-environment.yml and the context installs requests."""
    builder = shutil.which('ansible-builder', path=BIN) or shutil.which('ansible-builder')
    if builder is None:
        pytest.skip('ansible-builder is not installed (pip install ansible-builder, see .ci/requirements.txt)')
    with open(EE_FILE) as handle:
        ee = yaml.safe_load(handle)
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        version = yaml.safe_load(handle)['version']
    assert ee['version'] == 3
    tarball = 'alertops-core-%s.tar.gz' % version
    assert any(c['name'].endswith('/' + tarball) for c in ee['dependencies']['galaxy']['collections']), \
        'meta/execution-environment.yml must install the tarball of galaxy.yml version %s' % version

    # the layout the EE file expects: meta/ next to requirements.txt, bindep.txt and the built tarball
    base = tmp_path / 'coll'
    (base / 'meta').mkdir(parents=True)
    shutil.copy(EE_FILE, str(base / 'meta'))
    for name in ('requirements.txt', 'bindep.txt'):
        shutil.copy(os.path.join(ROOT, name), str(base / name))
    (base / tarball).write_bytes(b'placeholder for ansible-galaxy collection build output')
    context = tmp_path / 'context'
    proc = subprocess.run([builder, 'create', '-f', str(base / 'meta' / 'execution-environment.yml'),
                           '--context', str(context), '--output-filename', 'Containerfile'],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, check=False)
    output = proc.stdout.decode('utf-8', 'replace')
    assert proc.returncode == 0, output
    assert (context / 'Containerfile').is_file()
    requirements = (context / '_build' / 'requirements.txt').read_text()
    assert re.search(r'^requests\b', requirements, re.M), requirements
    assert (context / '_build' / 'collections' / tarball).is_file()
    galaxy = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    assert {'name': 'collections/' + tarball, 'type': 'file'} in galaxy['collections']
    assert 'ansible-core==' in (context / 'Containerfile').read_text() or 'ansible-core' in output + \
        (context / 'Containerfile').read_text()
