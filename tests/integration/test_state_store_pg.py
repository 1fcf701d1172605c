# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The maintenance_window role on the postgresql state store, where AWX runs it: real ansible-playbook runs against
the simulator, each "job" with its own HOME and state directory, sharing only a throwaway PostgreSQL database
(tests/pg_cluster.py). Begin in one job and end in another; two ends at once; an end SIGKILLed mid-way and rerun;
the database stopped mid-run; a wrong password at -vvvv. Skipped, saying why, where no server can be started."""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import signal
import sys
import threading
import time
import uuid

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), '..')))
import pg_cluster  # noqa: E402  pylint: disable=wrong-import-position

SKIP = pg_cluster.skip_reason()
WRITES = ('POST', 'PUT', 'DELETE')


@pytest.fixture(scope='module')
def cluster():
    if SKIP:
        pytest.skip('postgresql state store: %s' % SKIP)
    server = pg_cluster.Cluster().init().start()
    yield server
    server.remove()


@pytest.fixture
def pg_url(cluster):
    return cluster.create_db('it_%s' % uuid.uuid4().hex[:12])


def sql(url, statement, params=()):
    import psycopg
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else None


def row(url, change_id):
    found = sql(url, 'SELECT version, state, audit_json, audit_html FROM alertops_change_state WHERE change_id = %s',
                (change_id,))
    if not found:
        return None
    version, state, audit, html = found[0]
    return {'version': version, 'state': state, 'phase': state['lifecycle']['phase'], 'audit': audit, 'html': html}


def writes(sim):
    return [(r['method'], r['path']) for r in sim.requests()
            if r['method'] in WRITES and 'oauth/token' not in r['path'] and r['platform'] != 'log360']


def statuses(sim):
    return sim.control('mackerel', 'host_status')['hosts']


def working_hosts(sim, count=2):
    details = sim.control('mackerel', 'host_status')['details']
    return [h['id'] for h in details if h['status'] == 'working'][:count]


def job(tmp_path, name, url):
    """A job's own directories and environment, as a fresh AWX container has them: only the database is shared."""
    home = tmp_path / name
    (home / 'home').mkdir(parents=True)
    (home / 'out').mkdir()
    env = {'HOME': str(home / 'home'), 'XDG_STATE_HOME': str(home / 'home' / '.local' / 'state'),
           'ALERTOPS_STATE_URL': url}
    return {'output_dir': str(home / 'out')}, env


def evars_for(change_id, scope, **extra):
    values = {'change_id': change_id, 'hosts_in_scope': scope, 'services': ['web'], 'verify_timeout': 0,
              'verify_fail': False, 'maintenance_window_state_store': 'postgresql'}
    values.update(extra)
    return values


def state_files(tmp_path):
    return sorted(p.name for p in tmp_path.rglob('*') if p.name.endswith(('.state.json', '.lock')))


def locks(url):
    return sql(url, 'SELECT count(*) FROM alertops_change_lock')[0][0], \
        sql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")[0][0]


class Background:
    """play() in a thread; kill() SIGKILLs its ansible-playbook (this test's only ansible-playbook child running)."""

    def __init__(self, play, name, extra_vars, env):
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(play, name, extra_vars, env))
        self.thread.start()

    def _run(self, play, name, extra_vars, env):
        self.result = play(name, extra_vars, env=env)

    def pid(self):
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open('/proc/%s/cmdline' % entry, 'rb') as handle:
                    cmd = handle.read().split(b'\0')
                with open('/proc/%s/stat' % entry) as handle:
                    ppid = int(handle.read().rsplit(')', 1)[1].split()[1])
            except (IOError, OSError, ValueError):
                continue
            if ppid == os.getpid() and any(b'ansible-playbook' in c for c in cmd):
                return int(entry)
        return None

    def kill(self):
        pid = self.pid()
        assert pid, 'the ansible-playbook of this run was not found'
        os.kill(pid, signal.SIGKILL)

    def wait(self, timeout=300):
        self.thread.join(timeout)
        return self.result


def wait_for(predicate, timeout=120, what='the condition'):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError('timed out waiting for %s' % what)


def test_begin_in_one_job_and_end_in_another_sharing_only_the_database(sim, play, tmp_path, pg_url):
    scope = working_hosts(sim)
    evars = evars_for('CHG-4001', scope)
    dirs, env = job(tmp_path, 'job1', pg_url)
    begin = play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env)
    assert begin.rc == 0, begin.output[-3000:]
    recorded = row(pg_url, 'CHG-4001')
    assert recorded['phase'] == 'suppressed'
    assert set(statuses(sim)[h] for h in scope) == {'maintenance'}
    assert [d['name'] for d in sim.control('mackerel', 'downtimes')['downtimes']] == ['CHG-4001']
    assert locks(pg_url) == (0, 0)
    shutil.rmtree(str(tmp_path / 'job1'))              # the container is gone, with everything in it
    dirs, env = job(tmp_path, 'job2', pg_url)
    end = play('mw_suppress.yml', dict(evars, phase='end', **dirs), env=env)
    assert end.rc == 0, end.output[-3000:]
    recorded = row(pg_url, 'CHG-4001')
    assert recorded['phase'] == 'ended'
    assert recorded['state']['suppression']['undone_at'] and recorded['state']['suppression']['in_place'] == []
    assert set(statuses(sim)[h] for h in scope) == {'working'}
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []
    assert recorded['audit']['change_id'] == 'CHG-4001' and recorded['audit']['suppression']['in_place'] == []
    assert 'Change window CHG-4001' in recorded['html']
    assert state_files(tmp_path) == []                 # nothing of the state on a job's disk
    assert locks(pg_url) == (0, 0)
    # a job of its own reads the change back: state, phase, audit and the HTML report
    dirs, env = job(tmp_path, 'info', pg_url)
    info = play('mw_info.yml', dict(change_id='CHG-4001', **dirs), env=env)
    assert info.rc == 0, info.output[-3000:]
    read = json.loads((tmp_path / 'info' / 'out' / 'info.json').read_text())
    assert (read['found'], read['phase'], read['audit']['change_id']) == (True, 'ended', 'CHG-4001')
    assert read['audit'] == recorded['audit']
    assert (tmp_path / 'info' / 'out' / 'CHG-4001-report.html').read_text() == recorded['html']
    # a third job reruns end: it continues from the record and sends nothing
    sim.clear_log()
    dirs, env = job(tmp_path, 'job3', pg_url)
    again = play('mw_suppress.yml', dict(evars, phase='end', **dirs), env=env)
    assert again.rc == 0, again.output[-3000:]
    assert writes(sim) == []
    changed = [line for line in again.output.splitlines() if line.startswith(('changed:', 'TASK ['))]
    changed = [changed[n - 1] for n, line in enumerate(changed) if line.startswith('changed:')]
    # the one "change": the HTML report names the local copy's path, and this job's disk is another one
    assert changed in ([], ['TASK [alertops.core.maintenance_window : End | Record what the writes returned, write the '
                            'audit (JSON and HTML)] ***']), changed
    html = row(pg_url, 'CHG-4001')['html']
    assert html.replace(str(tmp_path / 'job3'), str(tmp_path / 'job2')) == recorded['html']
    after = row(pg_url, 'CHG-4001')
    # only the verify step's reading is recorded again (its time), as with the file store
    assert {k: v for k, v in after['state'].items() if v != recorded['state'].get(k)}.keys() <= {'verify'}
    assert after['phase'] == 'ended'


def test_two_ends_at_once_one_acts_the_other_refuses_and_nothing_is_sent_twice(sim, play, tmp_path, pg_url):
    scope = working_hosts(sim)
    evars = evars_for('CHG-4002', scope)
    dirs, env = job(tmp_path, 'begin', pg_url)
    assert play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env).rc == 0
    sim.clear_log()
    runs = []
    for name in ('end-a', 'end-b'):
        dirs, env = job(tmp_path, name, pg_url)
        runs.append(Background(play, 'mw_suppress.yml', dict(evars, phase='end', **dirs), env))
        time.sleep(0.05)
    results = [run.wait() for run in runs]
    rcs = sorted(r.rc for r in results)
    assert rcs[0] == 0 and rcs[1] != 0, [r.output[-2000:] for r in results]
    refused = next(r for r in results if r.rc != 0)
    assert 'change CHG-4002 is being handled by another run (pid ' in refused.output
    assert 'nothing was sent' in refused.output
    sent = writes(sim)
    assert len(sent) == len(set(sent)), sent
    assert ('DELETE', '/api/v0/downtimes/%s' % row(pg_url, 'CHG-4002')['state']['suppression']['downtimes'][0]['id']) \
        in sent
    assert row(pg_url, 'CHG-4002')['phase'] == 'ended'
    assert set(statuses(sim)[h] for h in scope) == {'working'}
    assert locks(pg_url) == (0, 0)


def test_an_end_killed_mid_way_is_rerun_at_once_and_continues(sim, play, tmp_path, pg_url):
    scope = working_hosts(sim)
    evars = evars_for('CHG-4003', scope)
    dirs, env = job(tmp_path, 'begin', pg_url)
    assert play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env).rc == 0
    sim.clear_log()
    sim.configure(variants={'opsramp_latency': 1.0})    # the run stays in its undo long enough to be killed there
    dirs, env = job(tmp_path, 'end-killed', pg_url)
    run = Background(play, 'mw_suppress.yml', dict(evars, phase='end', **dirs), env)
    wait_for(lambda: any(m == 'PUT' or m == 'DELETE' for m, _p in writes(sim)), what='the first undo write')
    wait_for(lambda: row(pg_url, 'CHG-4003')['phase'] == 'ending', what='the end run recording ending')
    run.kill()
    killed = run.wait()
    assert killed.rc == -signal.SIGKILL
    assert row(pg_url, 'CHG-4003')['phase'] != 'ended'
    first = writes(sim)
    sim.configure(variants={'opsramp_latency': 0})
    dirs, env = job(tmp_path, 'end-rerun', pg_url)
    rerun = play('mw_suppress.yml', dict(evars, phase='end', **dirs), env=env)
    assert rerun.rc == 0, rerun.output[-3000:]
    assert 'being handled by another run' not in rerun.output
    assert row(pg_url, 'CHG-4003')['phase'] == 'ended'
    assert set(statuses(sim)[h] for h in scope) == {'working'}
    assert sim.control('mackerel', 'downtimes')['downtimes'] == []
    again = writes(sim)[len(first):]
    assert not [w for w in again if w in first and w[0] == 'DELETE'], (first, again)   # nothing removed twice
    assert locks(pg_url) == (0, 0)


def test_the_database_stopped_mid_run_fails_clearly_and_no_write_follows(sim, play, tmp_path):
    if SKIP:
        pytest.skip('postgresql state store: %s' % SKIP)
    own = pg_cluster.Cluster().init().start()          # a server of its own: this test stops it
    try:
        url = own.url()
        scope = working_hosts(sim)
        evars = evars_for('CHG-4004', scope)
        dirs, env = job(tmp_path, 'begin', url)
        assert play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env).rc == 0
        # an alert the change caused: end would close it after the undo
        sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01'})
        sim.clear_log()
        sim.configure(variants={'opsramp_latency': 1.0})
        dirs, env = job(tmp_path, 'end', url)
        run = Background(play, 'mw_suppress.yml', dict(evars, phase='end', **dirs), env)
        wait_for(lambda: any(m in ('PUT', 'DELETE') for m, _p in writes(sim)), what='the first undo write')
        own.stop()
        stopped_at = len(sim.requests())
        result = run.wait()
        sim.configure(variants={'opsramp_latency': 0})
        assert result.rc != 0
        assert 'state store postgresql://alertops@127.0.0.1:%d/postgres' % own.port in result.output
        assert pg_cluster.PASSWORD not in result.output
        after = [(r['method'], r['path']) for r in sim.requests()[stopped_at:]
                 if r['method'] in WRITES and 'oauth/token' not in r['path']]
        closes = [w for w in after if '/alerts' in w[1]]
        assert closes == [], after                     # no alert is closed once the state cannot be recorded
        # the server is back: the rerun continues and completes
        own.start()
        dirs, env = job(tmp_path, 'rerun', url)
        rerun = play('mw_suppress.yml', dict(evars, phase='end', **dirs), env=env)
        assert rerun.rc == 0, rerun.output[-3000:]
        assert row(url, 'CHG-4004')['phase'] == 'ended'
        assert set(statuses(sim)[h] for h in scope) == {'working'}
    finally:
        own.remove()


def test_a_wrong_password_fails_clearly_and_no_password_at_vvvv(sim, play, tmp_path, pg_url, cluster):
    scope = working_hosts(sim)
    evars = evars_for('CHG-4005', scope)
    wrong = 'Wrong-Pw-%s' % uuid.uuid4().hex[:10]
    dirs, env = job(tmp_path, 'bad', pg_url.replace(pg_cluster.PASSWORD, wrong))
    bad = play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env, verbosity=4)
    assert bad.rc != 0
    assert 'password authentication failed for user "alertops"' in bad.output
    assert 'postgresql://alertops@127.0.0.1:%d/' % cluster.port in bad.output
    fragments = set(wrong[i:i + 8] for i in range(len(wrong) - 7))
    assert [f for f in fragments if f in bad.output] == []
    assert writes(sim) == []
    # and with the right password, at -vvvv too, the password shows nowhere
    dirs, env = job(tmp_path, 'good', pg_url)
    good = play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env, verbosity=4)
    assert good.rc == 0, good.output[-3000:]
    fragments = set(pg_cluster.PASSWORD[i:i + 8] for i in range(len(pg_cluster.PASSWORD) - 7))
    assert [f for f in fragments if f in good.output] == []
    assert row(pg_url, 'CHG-4005')['phase'] == 'suppressed'


def test_cancel_and_the_expiry_sweep_work_on_the_shared_store(sim, play, tmp_path, pg_url):
    hosts = working_hosts(sim, 6)
    short = evars_for('CHG-4010', hosts[:2], suppress_duration='1s')
    long = evars_for('CHG-4011', hosts[2:4], suppress_duration='4h')
    called_off = evars_for('CHG-4012', hosts[4:6])
    for n, evars in enumerate((short, long, called_off)):
        dirs, env = job(tmp_path, 'begin-%d' % n, pg_url)
        begin = play('mw_suppress.yml', dict(evars, phase='begin', **dirs), env=env)
        assert begin.rc == 0, begin.output[-3000:]
    dirs, env = job(tmp_path, 'cancel', pg_url)
    cancel = play('mw_suppress.yml', dict(called_off, phase='cancel', **dirs), env=env)
    assert cancel.rc == 0, cancel.output[-3000:]
    assert row(pg_url, 'CHG-4012')['phase'] == 'cancelled'
    assert [statuses(sim)[h] for h in hosts[4:6]] == ['working', 'working']
    time.sleep(1.5)
    dirs, env = job(tmp_path, 'sweep', pg_url)
    sweep = play('mw_suppress.yml', dict(phase='sweep', change_id='unused', hosts_in_scope=[],
                                         maintenance_window_state_store='postgresql', **dirs), env=env)
    assert sweep.rc == 0, sweep.output[-3000:]
    assert '1 change(s) with an expired suppression undone: CHG-4010' in sweep.output
    now = statuses(sim)
    assert [now[h] for h in hosts[:2]] == ['working', 'working']
    assert [now[h] for h in hosts[2:4]] == ['maintenance', 'maintenance']
    assert row(pg_url, 'CHG-4010')['state']['suppression']['undone_at']
    assert row(pg_url, 'CHG-4011')['phase'] == 'suppressed'
    assert locks(pg_url) == (0, 0)


def test_the_awx_credential_type_injects_a_url_that_connects(cluster):
    import jinja2
    import yaml
    with open(os.path.join(os.path.dirname(__file__), '..', '..', 'extensions', 'awx', 'credential_types',
                           'state_store.yml')) as handle:
        ctype = yaml.safe_load(handle)
    fields = dict((f['id'], f) for f in ctype['inputs']['fields'])
    values = dict((k, f['default']) for k, f in fields.items() if 'default' in f)
    values.update(host='127.0.0.1', port=str(cluster.port), dbname='postgres', username=pg_cluster.USER,
                  password=pg_cluster.PASSWORD)
    assert set(ctype['inputs']['required']) <= set(fields) and fields['password']['secret'] is True
    env = dict((var, jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(t).render(**values))
               for var, t in ctype['injectors']['env'].items())
    assert list(env) == ['ALERTOPS_STATE_URL']
    assert sql(env['ALERTOPS_STATE_URL'], 'SELECT current_user') == [(pg_cluster.USER,)]
