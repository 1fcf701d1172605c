# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The postgresql state store (plugins/plugin_utils/state_store_pg.py) against a real throwaway PostgreSQL server
(tests/pg_cluster.py: initdb + pg_ctl on a loopback port, stopped at the end): the compare-and-set, a lock that
exactly one of 20 contenders takes and that the server releases when its holder is SIGKILLed, the schema version
check, and a wrong password that no message repeats. Skipped, saying why, where no server can be started."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import multiprocessing
import os
import signal
import sys
import time
import uuid

import pytest

from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.plugin_utils.change_window import ChangeWindowError
from ansible_collections.alertops.core.plugins.plugin_utils import state_stores

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..')))
try:
    import pg_cluster  # tests/pg_cluster.py
    SKIP = pg_cluster.skip_reason()
except ImportError:                      # ansible-test units copies tests/unit only
    pg_cluster, SKIP = None, 'tests/pg_cluster.py is not here (ansible-test units): run with pytest from the checkout'

BEGIN = 1700000000


@pytest.fixture(scope='module')
def cluster():
    if SKIP:
        pytest.skip('postgresql state store: %s' % SKIP)
    server = pg_cluster.Cluster().init().start()
    yield server
    server.remove()


@pytest.fixture
def url(cluster):
    """A fresh database per test."""
    return cluster.create_db('t_%s' % uuid.uuid4().hex[:12])


@pytest.fixture
def pg():
    from ansible_collections.alertops.core.plugins.plugin_utils import state_store_pg
    return state_store_pg


def state_of(change_id, **extra):
    state = cw.new_state(change_id, BEGIN, ['mackerel'], {'mackerel_host_ids': ['h1']}, False, {})
    state.update(extra)
    return state


def sql(url, statement, params=()):
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else None


def store(pg, url, change_id='CHG-1', **kwargs):
    return pg.PgStateStore(url, change_id, **kwargs)


def test_the_tables_are_created_on_first_use_with_their_schema_version(pg, url):
    one = store(pg, url)
    assert one.read() is None
    assert sql(url, 'SELECT id, version FROM alertops_state_schema') == [(1, pg.SCHEMA_VERSION)]
    assert sql(url, 'SELECT count(*) FROM alertops_change_state') == [(0,)]


def test_write_then_read_in_another_store_and_list_changes(pg, url, monkeypatch):
    one = store(pg, url)
    one.lock()
    try:
        assert one.read() is None
        assert one.write(state_of('CHG-1')) is True
        assert one.write(state_of('CHG-1')) is False           # the same state: no new version
        assert sql(url, 'SELECT version FROM alertops_change_state') == [(1,)]
    finally:
        one.unlock()
    other = store(pg, url)
    assert other.read()['change_id'] == 'CHG-1'
    assert other.read_version == 1
    assert pg.PgStateStore.list_changes_at(url) == ['CHG-1']
    monkeypatch.setenv('ALERTOPS_STATE_URL', url)
    assert state_stores.list_changes({'state_store': 'postgresql', 'state_dir': '/nowhere'}) == ['CHG-1']


def test_a_lost_race_is_refused_and_never_merged(pg, url):
    first, second = store(pg, url), store(pg, url)
    first.lock()
    try:
        first.read()
        first.write(state_of('CHG-1', notes=['v1']))
        first.read(), second.read()
        assert first.write(state_of('CHG-1', notes=['first'])) is True
        with pytest.raises(ChangeWindowError) as err:
            second.write(state_of('CHG-1', notes=['second']))
        assert 'recorded by another run since this step read it (version 1, now 2' in str(err.value)
        assert 'refused, nothing was merged' in str(err.value)
        assert sql(url, "SELECT version, state->'notes' FROM alertops_change_state") == [(2, ['first'])]
    finally:
        first.unlock()


def test_a_write_without_the_lock_is_refused(pg, url):
    one = store(pg, url)
    one.read()
    with pytest.raises(ChangeWindowError) as err:
        one.write(state_of('CHG-1'))
    assert 'this run does not hold the change\'s lock' in str(err.value) and 'nobody holds it' in str(err.value)
    assert sql(url, 'SELECT count(*) FROM alertops_change_state') == [(0,)]


def test_check_mode_writes_nothing_and_takes_no_lock(pg, url):
    one = store(pg, url, check_mode=True)
    one.lock()
    assert one.write(state_of('CHG-1')) is True
    assert sql(url, 'SELECT count(*) FROM alertops_change_state') == [(0,)]
    assert sql(url, 'SELECT count(*) FROM alertops_change_lock') == [(0,)]


def test_audits_are_stored_beside_the_state_with_a_local_copy(pg, url, tmp_path):
    one = store(pg, url, state_dir=str(tmp_path))
    one.lock()
    try:
        one.read()
        one.write(state_of('CHG-1'))
        audit = json.dumps({'change_id': 'CHG-1', 'closed': [{'id': 'a1'}]})
        assert one.write_audit('json', audit, str(tmp_path / 'reports')) is True
        assert one.write_audit('json', audit, str(tmp_path / 'reports')) is False     # the same audit: unchanged
        big = json.dumps({'zeta': 1, 'a': [1, 2], 'change_id': 'CHG-1', 'long_key_name': {'y': 1, 'b': 2}},
                         sort_keys=True, indent=2)
        assert one.write_audit('json', big, str(tmp_path / 'r2')) is True
        assert one.write_audit('json', big, str(tmp_path / 'r2')) is False           # jsonb reorders its keys
        assert one.write_audit('json', audit, str(tmp_path / 'reports')) is True
        assert one.write_audit('html', '<html>r</html>', str(tmp_path / 'reports')) is True
        assert one.write_audit('html', '<html>r</html>', str(tmp_path / 'reports')) is False
    finally:
        one.unlock()
    other = store(pg, url)
    assert json.loads(other.read_audit('json')) == {'change_id': 'CHG-1', 'closed': [{'id': 'a1'}]}
    assert other.read_audit('html') == '<html>r</html>'
    assert (tmp_path / 'reports' / 'CHG-1-audit.html').read_text() == '<html>r</html>'


# -- the lock -------------------------------------------------------------------------------------------------
def _contender(url, change_id, go, results, hold):
    """One ansible-playbook run: its task worker (a child, as Ansible forks one per task) takes the lock and exits;
    this process stays alive (the lock's owner) until the file ``hold`` exists or it is killed (a file, not an Event:
    a process SIGKILLed inside Event.wait leaves the Event's lock broken for the others)."""
    from ansible_collections.alertops.core.plugins.plugin_utils import state_store_pg
    ctx = multiprocessing.get_context('fork')

    def task():
        go.wait(30)
        try:
            state_store_pg.PgStateStore(url, change_id).lock()
            results.put((os.getppid(), 'locked'))
        except ChangeWindowError as exc:
            results.put((os.getppid(), str(exc)))
    worker = ctx.Process(target=task)
    worker.start()
    worker.join(60)
    deadline = time.time() + 120
    while not os.path.exists(hold) and time.time() < deadline:
        time.sleep(0.1)


def _start(url, change_id, count):
    ctx = multiprocessing.get_context('fork')
    go, results = ctx.Event(), ctx.Queue()
    hold = _Hold()
    runs = [ctx.Process(target=_contender, args=(url, change_id, go, results, hold)) for _n in range(count)]
    for run in runs:
        run.start()
    return runs, go, hold, results


class _Hold:
    def __init__(self):
        import tempfile
        self.path = os.path.join(tempfile.mkdtemp(prefix='alertops-hold-'), 'go-home')

    def __fspath__(self):
        return self.path

    def set(self):
        open(self.path, 'w').close()


def _collect(results, count):
    return dict(results.get(timeout=90) for _n in range(count))


def test_exactly_one_of_20_contenders_takes_the_lock_and_a_sigkill_of_its_run_releases_it(pg, url):
    runs, go, hold, results = _start(url, 'CHG-20', 20)
    try:
        time.sleep(0.5)
        go.set()
        outcome = _collect(results, 20)
        winners = [pid for pid, what in outcome.items() if what == 'locked']
        assert len(winners) == 1, outcome
        refused = [what for what in outcome.values() if what != 'locked']
        assert len(refused) == 19
        assert all('change CHG-20 is being handled by another run' in r and 'nothing was sent' in r
                   for r in refused), refused
        holder = sql(url, 'SELECT pid FROM alertops_change_lock')
        assert holder == [(winners[0],)]
        # the holder's ansible-playbook is SIGKILLed: its keeper lets go, the server releases the lock
        os.kill(winners[0], signal.SIGKILL)
        late, late_go, late_hold, late_results = _start(url, 'CHG-20', 1)
        late_go.set()
        try:
            assert list(_collect(late_results, 1).values()) == ['locked']
        finally:
            late_hold.set()
            for run in late:
                run.join(30)
    finally:
        hold.set()
        for run in runs:
            run.join(30)


def test_a_sigkill_of_the_keeper_itself_releases_the_lock_on_the_server(pg, url):
    one = store(pg, url)
    one.lock()
    holder = one._holder()
    assert holder['pid'] == os.getppid()
    os.kill(holder['keeper_pid'], signal.SIGKILL)
    deadline = time.time() + 10
    while sql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s",
              (holder['backend_pid'],)) != [(0,)] and time.time() < deadline:
        time.sleep(0.1)
    assert not one.holds_lock()
    one.read()
    with pytest.raises(ChangeWindowError) as err:      # the lock is lost: nothing more is recorded
        one.write(state_of('CHG-1'))
    assert 'does not hold the change\'s lock' in str(err.value)
    runs, go, hold, results = _start(url, 'CHG-1', 1)   # another run takes it at once
    go.set()
    try:
        assert list(_collect(results, 1).values()) == ['locked']
    finally:
        hold.set()
        for run in runs:
            run.join(30)


def test_unlock_releases_the_lock_at_once_and_leaves_another_runs_lock_alone(pg, url):
    one = store(pg, url)
    one.lock()
    one.lock()                                   # the same run again (begin and end in one playbook): kept
    assert len(sql(url, 'SELECT keeper_pid FROM alertops_change_lock')) == 1
    one.unlock()
    assert sql(url, 'SELECT count(*) FROM alertops_change_lock') == [(0,)]
    assert sql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == [(0,)]
    runs, go, hold, results = _start(url, 'CHG-1', 1)
    go.set()
    try:
        assert list(_collect(results, 1).values()) == ['locked']
        one.unlock()                             # not this run's: left alone
        assert sql(url, 'SELECT count(*) FROM alertops_change_lock') == [(1,)]
        with pytest.raises(ChangeWindowError) as err:
            one.lock()
        assert 'being handled by another run (pid %d on' % runs[0].pid in str(err.value)
        assert 'there is no file to delete' in str(err.value)
    finally:
        hold.set()
        for run in runs:
            run.join(30)


# -- schema, connection, secrets --------------------------------------------------------------------------------
def test_a_newer_schema_version_is_refused_and_nothing_altered(pg, url):
    store(pg, url).read()
    sql(url, 'UPDATE alertops_state_schema SET version = 7')
    with pytest.raises(ChangeWindowError) as err:
        store(pg, url).read()
    assert 'has schema version 7, which is newer than this collection knows (1)' in str(err.value)
    assert 'nothing was read or written' in str(err.value)
    assert sql(url, 'SELECT version FROM alertops_state_schema') == [(7,)]


def test_an_unknown_schema_version_is_refused(pg, url):
    store(pg, url).read()
    sql(url, 'UPDATE alertops_state_schema SET version = 0')
    with pytest.raises(ChangeWindowError) as err:
        store(pg, url).read()
    assert 'schema version 0, which is not one this collection knows (1): it is never altered silently' \
        in str(err.value)


def test_a_wrong_password_fails_clearly_without_the_password(pg, cluster):
    wrong = 'Wr0ng-Passw0rd-991k'
    bad = cluster.url(password=wrong)
    with pytest.raises(ChangeWindowError) as err:
        store(pg, bad).read()
    msg = str(err.value)
    assert 'password authentication failed for user "alertops"' in msg
    assert 'postgresql://alertops@127.0.0.1:%d/postgres' % cluster.port in msg
    assert wrong not in msg and wrong[:8] not in msg and pg_cluster.PASSWORD not in msg
    with pytest.raises(ChangeWindowError) as err:
        store(pg, bad).lock()
    assert wrong not in str(err.value) and 'taking the lock of change CHG-1 failed' in str(err.value) or \
        'connecting failed' in str(err.value)


def test_an_unreachable_server_fails_clearly(pg, cluster):
    down = 'postgresql://alertops:%s@127.0.0.1:1/postgres?connect_timeout=2' % pg_cluster.PASSWORD
    with pytest.raises(ChangeWindowError) as err:
        store(pg, down).read()
    assert 'state store postgresql://alertops@127.0.0.1:1/postgres: connecting failed' in str(err.value)
    assert pg_cluster.PASSWORD not in str(err.value)


def test_a_connection_string_that_does_not_parse_is_not_quoted(pg, cluster):
    with pytest.raises(ChangeWindowError) as err:
        store(pg, 'postgresql://u:Sekr3t-Value-x@host/db?sslmod=require')
    assert 'ALERTOPS_STATE_URL is not a valid PostgreSQL connection string' in str(err.value)
    assert 'Sekr3t' not in str(err.value)


@pytest.mark.parametrize('args, env, message', [
    ({'state_store': 'postgresql', 'state_dir': '/x'}, None,
     'the environment variable ALERTOPS_STATE_URL (the state database\'s connection string'),
    ({'state_store': 'sqlite', 'state_dir': '/x'}, None,
     "option state_store (maintenance_window_state_store) must be one of file, postgresql, not 'sqlite'"),
])
def test_the_store_option_and_its_url_are_checked(monkeypatch, args, env, message):
    monkeypatch.delenv('ALERTOPS_STATE_URL', raising=False)
    with pytest.raises(ChangeWindowError) as err:
        state_stores.open_store(args, 'CHG-1')
    assert message in str(err.value)


def test_without_psycopg_the_message_says_what_to_install(pg, cluster, monkeypatch):
    monkeypatch.setattr(pg, 'HAS_PSYCOPG', False)
    monkeypatch.setattr(pg, 'PSYCOPG_ERROR', "No module named 'psycopg'")
    monkeypatch.setenv('ALERTOPS_STATE_URL', 'postgresql://u:p@h/d')
    with pytest.raises(ChangeWindowError) as err:
        state_stores.open_store({'state_store': 'postgresql', 'state_dir': '/x'}, 'CHG-1')
    assert 'the Python library psycopg (version 3) is not installed' in str(err.value)
    assert 'pip install "psycopg[binary]"' in str(err.value)


def test_the_file_store_stays_the_default(tmp_path):
    one = state_stores.open_store({'state_dir': str(tmp_path)}, 'CHG-1')
    assert one.path == str(tmp_path / 'CHG-1.state.json')
