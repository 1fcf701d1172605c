# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EDA event source and the example rulebook, run by the real ansible-rulebook against the simulator.

ansible-rulebook (pinned in .ci/requirements.txt) needs a Java runtime; .ci/run installs Debian's headless OpenJDK
when it is missing. Without either, the test is skipped with the reason.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
import yaml

from conftest import ROOT, sim_credentials

RULEBOOK = os.path.join(ROOT, 'extensions', 'eda', 'rulebooks', 'change_window_alerts.yml')
BIN = os.path.dirname(sys.executable)
RULEBOOK_BIN = os.path.join(BIN, 'ansible-rulebook')

pytestmark = pytest.mark.skipif(not os.path.exists(RULEBOOK_BIN) or not shutil.which('java'),
                                reason='ansible-rulebook and a Java runtime are needed (.ci/run installs both)')


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError('timed out after %d s waiting for %s' % (timeout, what))


class Rulebook:
    def __init__(self, sim, collections_base, tmp_path, rulebook, extra_vars, print_events=True):
        self.log_path = str(tmp_path / ('rulebook-%d.log' % time.time_ns()))
        vars_file = tmp_path / 'vars.yml'
        vars_file.write_text(yaml.safe_dump(extra_vars))
        inventory = tmp_path / 'inventory.yml'
        inventory.write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
            'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
        env = dict(os.environ)
        env.update({'ANSIBLE_COLLECTIONS_PATH': collections_base, 'LOG360_URL': sim.url, 'MACKEREL_APIBASE': sim.url,
                    'OPSRAMP_URL': sim.url, 'PATH': BIN + os.pathsep + env.get('PATH', ''),
                    'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'ansible-tmp'), 'ANSIBLE_NOCOLOR': '1'})
        env.update(sim_credentials(sim))
        self.secrets = [v for k, v in sim_credentials(sim).items() if 'SECRET' in k or 'KEY' in k or 'TOKEN' in k]
        self.log = open(self.log_path, 'w')
        self.proc = subprocess.Popen([RULEBOOK_BIN, '--rulebook', rulebook, '-i', str(inventory), '--vars',
                                      str(vars_file)] + (['--print-events'] if print_events else []), stdout=self.log, stderr=subprocess.STDOUT,
                                     env=env, cwd=str(tmp_path), start_new_session=True)

    def output(self):
        with open(self.log_path) as handle:
            return handle.read()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


@pytest.fixture
def rulebook(sim, collections_base, tmp_path):
    started = []

    def start(extra_vars, path=RULEBOOK, print_events=True):
        started.append(Rulebook(sim, collections_base, tmp_path, path, extra_vars, print_events))
        return started[-1]
    yield start
    for one in started:
        one.stop()


def polls(sim, platform):
    path = {'opsramp': '/api/v2/tenants/.*/alerts/search', 'mackerel': '/api/v0/alerts$'}[platform]
    return sim.requests(platform=platform, method='GET', path=path)


def writes(sim):
    return [(r['platform'], r['method'], r['path'], json.loads(r['body']) if r.get('body') else None)
            for r in sim.requests() if r['method'] in ('POST', 'PUT', 'DELETE') and not r['path'].endswith('/token')]


def test_rulebook_acts_on_new_critical_alerts_of_the_change_only(sim, rulebook):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    run = rulebook({'change_id': 'CHG-42', 'change_opsramp_resources': ['web-01'],
                    'change_mackerel_host_ids': [hosts[0]], 'alert_poll_interval': 1})
    # the baseline: the seeded alerts (open, critical ones on web-01 among them) are not acted on
    wait_for(lambda: len(polls(sim, 'opsramp')) >= 2 and len(polls(sim, 'mackerel')) >= 2, 90,
             'two polls of each platform\n' + run.output())
    assert writes(sim) == []
    in_scope = sim.control('opsramp', 'raise', {'device': 'web-01', 'state': 'Critical'})['alerts'][0]['uniqueId']
    sim.control('opsramp', 'raise', {'device': 'db-01', 'state': 'Critical'})      # another resource
    sim.control('opsramp', 'raise', {'device': 'web-01', 'state': 'Warning'})      # not critical
    mk_in = sim.control('mackerel', 'raise', {'host_id': hosts[0], 'status': 'CRITICAL'})['alerts'][0]['id']
    sim.control('mackerel', 'raise', {'host_id': hosts[1], 'status': 'CRITICAL'})  # another host
    sim.control('mackerel', 'raise', {'host_id': hosts[0], 'status': 'WARNING'})   # not critical
    wait_for(lambda: len(writes(sim)) >= 2, 120, 'the two actions\n' + run.output())
    # two more polls of each platform: no other action follows, and none twice
    done = (len(polls(sim, 'opsramp')), len(polls(sim, 'mackerel')))
    wait_for(lambda: len(polls(sim, 'opsramp')) >= done[0] + 2 and len(polls(sim, 'mackerel')) >= done[1] + 2, 60,
             'two more polls')
    actions = sorted(writes(sim))
    assert actions == sorted([
        ('mackerel', 'PUT', '/api/v0/alerts/%s' % mk_in, {'memo': 'CHG-42: raised during the change window'}),
        ('opsramp', 'POST', '/api/v2/tenants/client_7/alerts/%s/actions/acknowledge' % in_scope,
         {'description': 'CHG-42: raised during the change window, acknowledged by EDA'}),
    ]), run.output()
    output = run.output()
    for secret in run.secrets:
        assert secret not in output


def test_source_survives_failures_and_restarts_without_duplicates(sim, rulebook, tmp_path):
    """Error events while the platform fails, nothing lost after it recovers, nothing repeated after a restart."""
    cursor = str(tmp_path / 'cursor.json')
    path = tmp_path / 'events.yml'
    path.write_text(yaml.safe_dump([{
        'name': 'Print every alertops event', 'hosts': 'all',
        'sources': [{'alertops.core.alerts': {'platform': 'mackerel', 'interval': 1, 'cursor_file': cursor,
                                              'retry_delay': 0, 'poll_retries': 1, 'max_backoff': 2}}],
        'rules': [{'name': 'Any', 'condition': 'event.alertops is defined', 'action': {'print_event': None}}]}]))
    hosts = sim.control('mackerel', 'hosts')['hosts']
    first = rulebook({}, str(path), print_events=False)
    wait_for(lambda: os.path.exists(cursor), 90, 'the cursor file\n' + first.output())
    sim.configure(faults={'rate_503': 1.0, 'platforms': ['mackerel']})
    raised = sim.control('mackerel', 'raise', {'host_id': hosts[0], 'status': 'CRITICAL'})['alerts'][0]['id']
    wait_for(lambda: "'type': 'error'" in first.output(), 90, 'an error event\n' + first.output())
    sim.configure(faults={'rate_503': 0.0, 'platforms': None})
    wait_for(lambda: first.output().count(raised) >= 1, 60, 'the alert raised during the failure\n' + first.output())
    first.stop()
    assert first.output().count("'change': 'opened'") == 1
    # restart: the alert is closed while the source is down; the new run reports the close, not the opening again
    sim.control('mackerel', 'close', {'id': raised})
    second = rulebook({}, str(path), print_events=False)
    wait_for(lambda: "'change': 'closed'" in second.output(), 90, 'the close\n' + second.output())
    assert "'change': 'opened'" not in second.output()


def test_log360_windows_are_contiguous_ties_reported_once_and_no_job_left(sim, rulebook, tmp_path):
    cursor = str(tmp_path / 'log360-cursor.json')
    path = tmp_path / 'log360.yml'
    path.write_text(yaml.safe_dump([{
        'name': 'Print Log360 events', 'hosts': 'all',
        'sources': [{'alertops.core.alerts': {'platform': 'log360', 'interval': 1, 'overlap': 5, 'wait_sleep': 1,
                                              'cursor_file': cursor, 'mode': 'async'}}],
        'rules': [{'name': 'Any', 'condition': 'event.alertops is defined', 'action': {'print_event': None}}]}]))

    def submits():
        return [json.loads(r['body']) for r in sim.requests(platform='log360', method='POST', path='/api/v2/alerts/async')]

    def live_jobs():
        return set(j['request_id'] for j in sim.control('log360', 'jobs')['jobs'])
    run = rulebook({}, str(path), print_events=False)
    wait_for(lambda: len(submits()) >= 1, 90, 'a first search\n' + run.output())
    now = int(sim.call('GET', '/_sim/health')['now'])
    tie = sim.control('log360', 'raise', {'count': 2, 'at': now + 2})['alerts']      # two alerts, one second apart
    late = sim.control('log360', 'raise', {'at': now - 1})['alerts']                # indexed late, inside the overlap
    ids = [str(a['id']) for a in tie + late]
    wait_for(lambda: all(("'id': '%s'" % i) in run.output() for i in ids), 90, 'the raised alerts\n' + run.output())
    count = len(submits())
    wait_for(lambda: len(submits()) >= count + 3, 60, 'three more searches')
    # ansible-rulebook's JVM ends the process at once on SIGINT/SIGTERM: a job running then is recorded in the cursor
    wait_for(lambda: len(live_jobs()) == 1, 30, 'a poll in progress')
    run.stop()
    output = run.output()
    for alert_id in ids:
        assert output.count("'id': '%s'" % alert_id) == 1, output    # no duplicate at ties or across windows
    assert "'type': 'error'" not in output
    windows = [(b['start_time'], b['end_time']) for b in submits()]
    for (_s1, end1), (start2, _e2) in zip(windows, windows[1:]):
        assert start2 <= end1, windows                                  # no gap between two windows
    left = live_jobs()
    assert left <= set([json.load(open(cursor)).get('in_flight')])    # only the job of the killed poll, recorded
    # the next start deletes it before its first search, and reports none of the alerts again
    again = rulebook({}, str(path), print_events=False)
    wait_for(lambda: not (left & live_jobs()), 60, 'the left job deleted\n' + again.output())
    count = len(submits())
    wait_for(lambda: len(submits()) >= count + 2, 60, 'two more searches')
    assert not [i for i in ids if ("'id': '%s'" % i) in again.output()]


def test_log360_default_polls_the_synchronous_api_without_jobs(sim, rulebook, tmp_path):
    path = tmp_path / 'log360-sync.yml'
    path.write_text(yaml.safe_dump([{
        'name': 'Print Log360 events', 'hosts': 'all',
        'sources': [{'alertops.core.alerts': {'platform': 'log360', 'interval': 1, 'overlap': 5}}],
        'rules': [{'name': 'Any', 'condition': 'event.alertops is defined', 'action': {'print_event': None}}]}]))

    def searches():
        return sim.requests(platform='log360', method='POST', path='/api/v2/alerts$')
    run = rulebook({}, str(path), print_events=False)
    wait_for(lambda: len(searches()) >= 1, 90, 'a first search\n' + run.output())
    now = int(sim.call('GET', '/_sim/health')['now'])
    ids = [str(a['id']) for a in sim.control('log360', 'raise', {'count': 2, 'at': now + 1})['alerts']]
    wait_for(lambda: all(("'id': '%s'" % i) in run.output() for i in ids), 90, 'the raised alerts\n' + run.output())
    count = len(searches())
    wait_for(lambda: len(searches()) >= count + 2, 60, 'two more searches')
    run.stop()
    assert [run.output().count("'id': '%s'" % i) for i in ids] == [1, 1]
    assert sim.requests(platform='log360', method='POST', path='/async') == []     # no job, nothing to delete
    assert sim.control('log360', 'jobs')['jobs'] == []


def opsramp_close(sim, alert_id):
    """Close an OpsRamp alert the way an operator would: through the API, with a token of its own."""
    creds = sim.control('opsramp', 'credentials')
    token = json.loads(urllib.request.urlopen(urllib.request.Request(
        sim.url + '/tenancy/auth/oauth/token', method='POST', data=urllib.parse.urlencode({
            'grant_type': 'client_credentials', 'client_id': creds['env']['OPSRAMP_CLIENT_ID'],
            'client_secret': creds['env']['OPSRAMP_CLIENT_SECRET']}).encode()), timeout=30).read().decode())['access_token']
    urllib.request.urlopen(urllib.request.Request(
        '%s/api/v2/tenants/%s/alerts/%s/actions/close' % (sim.url, creds['tenant_id'], alert_id), method='POST',
        data=json.dumps({'description': 'by hand'}).encode(),
        headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'}), timeout=30).read()


def test_opsramp_source_searches_open_alerts_and_reports_a_close_once(sim, rulebook, tmp_path):
    """The search asks for the alerts that are not closed; an alert closed since the last poll leaves it, is read
    once by id and reported closed, once."""
    path = tmp_path / 'opsramp.yml'
    path.write_text(yaml.safe_dump([{
        'name': 'Print OpsRamp events', 'hosts': 'all',
        'sources': [{'alertops.core.alerts': {'platform': 'opsramp', 'interval': 1,
                                              'query': {'states': ['Critical']}}}],
        'rules': [{'name': 'Any', 'condition': 'event.alertops is defined', 'action': {'print_event': None}}]}]))
    run = rulebook({}, str(path), print_events=False)
    wait_for(lambda: len(polls(sim, 'opsramp')) >= 1, 90, 'a first search\n' + run.output())
    raised = sim.control('opsramp', 'raise', {'device': 'web-01', 'state': 'Critical'})['alerts'][0]['uniqueId']
    wait_for(lambda: "'change': 'opened'" in run.output(), 60, 'the opening\n' + run.output())
    opsramp_close(sim, raised)
    wait_for(lambda: "'change': 'closed'" in run.output(), 60, 'the close\n' + run.output())
    count = len(polls(sim, 'opsramp'))
    wait_for(lambda: len(polls(sim, 'opsramp')) >= count + 2, 60, 'two more searches')
    run.stop()
    output = run.output()
    assert output.count("'change': 'opened'") == 1 and output.count("'change': 'closed'") == 1, output
    assert "'type': 'error'" not in output, output
    for search in polls(sim, 'opsramp'):
        assert 'actions:OPEN,ACKNOWLEDGED,SUPPRESSED,TICKETED' in urllib.parse.unquote(search['raw_query']), search
        assert 'states:Critical' in urllib.parse.unquote(search['raw_query']), search
    reads = sim.requests(platform='opsramp', method='GET', path='/alerts/%s$' % raised)
    assert len(reads) == 1 and reads[0]['status'] == 200


def _log360_source(tmp_path, cursor, name):
    path = tmp_path / name
    path.write_text(yaml.safe_dump([{
        'name': 'Print Log360 events', 'hosts': 'all',
        'sources': [{'alertops.core.alerts': {'platform': 'log360', 'interval': 1, 'overlap': 5, 'cursor_file': cursor}}],
        'rules': [{'name': 'Any', 'condition': 'event.alertops is defined', 'action': {'print_event': None}}]}]))
    return str(path)


def test_log360_keeps_reporting_when_the_cursor_cannot_be_written(sim, rulebook, tmp_path):
    """A cursor file that cannot be written used to turn every Log360 poll into an error event and no alert event
    (Mackerel kept working): the alerts keep coming, with an error event saying the cursor is not saved."""
    blocker = tmp_path / 'not-a-directory'
    blocker.write_text('a file where the cursor directory should be')
    cursor = str(blocker / 'cursor.json')
    run = rulebook({}, _log360_source(tmp_path, cursor, 'log360-unsaved.yml'), print_events=False)

    def searches():
        return sim.requests(platform='log360', method='POST', path='/api/v2/alerts$')
    wait_for(lambda: len(searches()) >= 1, 90, 'a first search\n' + run.output())
    now = int(sim.call('GET', '/_sim/health')['now'])
    ids = [str(a['id']) for a in sim.control('log360', 'raise', {'count': 2, 'at': now + 1})['alerts']]
    wait_for(lambda: all(("'id': '%s'" % i) in run.output() for i in ids), 90, 'the raised alerts\n' + run.output())
    count = len(searches())
    wait_for(lambda: len(searches()) >= count + 2, 60, 'two more searches')
    run.stop()
    output = run.output()
    assert [output.count("'id': '%s'" % i) for i in ids] == [1, 1], output          # reported, once each
    assert output.count("'change': 'opened'") == 2, output
    assert 'cursor file %s cannot be written' % cursor in output and 'the cursor is not saved' in output, output
    assert 'unexpected error' not in output, output
    assert blocker.read_text() == 'a file where the cursor directory should be'


def test_a_cursor_file_that_is_a_directory_stops_the_source_at_start(sim, rulebook, tmp_path):
    """A directory given as cursor_file used to be renamed to .invalid-<ts> and replaced by a new cursor."""
    cursor = tmp_path / 'state'
    cursor.mkdir()
    (cursor / 'keep.txt').write_text('not the source\'s')
    run = rulebook({}, _log360_source(tmp_path, str(cursor), 'log360-dir.yml'), print_events=False)
    wait_for(lambda: 'argument cursor_file' in run.output() or run.proc.poll() is not None, 90,
             'the source to stop\n' + run.output())
    wait_for(lambda: run.proc.poll() is not None, 60, 'ansible-rulebook to end\n' + run.output())
    output = run.output()
    assert 'argument cursor_file %s is a directory, not a file' % cursor in output, output
    assert sorted(os.listdir(str(tmp_path))) == sorted(['state', 'log360-dir.yml', 'vars.yml', 'inventory.yml'] +
                                                       [n for n in os.listdir(str(tmp_path)) if n.startswith('rulebook-')
                                                        or n == 'ansible-tmp']), os.listdir(str(tmp_path))
    assert os.listdir(str(cursor)) == ['keep.txt']                                 # nothing moved, nothing created
    assert sim.requests(platform='log360') == []                                   # it stopped before any search
