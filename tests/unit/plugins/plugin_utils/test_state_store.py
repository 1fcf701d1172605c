# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change-window state store (plugins/plugin_utils/state_store.py): names that cannot collide, 0.2.0 states
read in place, links and other users' files refused, atomic 0600 writes, check mode, and a lock that exactly one of
many contenders takes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import itertools
import json
import multiprocessing
import os
import signal
import socket
import stat
import time

import pytest

from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.plugin_utils.change_window import ChangeWindowError
from ansible_collections.alertops.core.plugins.plugin_utils import state_store
from ansible_collections.alertops.core.plugins.plugin_utils.state_store import StateStore, write_file

HOST = socket.gethostname()
BEGIN = 1700000000
OTHER_UID = 54321


def state_of(change_id, **extra):
    state = cw.new_state(change_id, BEGIN, ['mackerel'], {'mackerel_host_ids': ['h1']}, False, {})
    state.update(extra)
    return state


def put(path, data, mode=0o600):
    with open(str(path), 'w') as handle:
        handle.write(data if isinstance(data, str) else json.dumps(data))
    os.chmod(str(path), mode)
    return str(path)


def dead_pid():
    """The pid of a process that has exited and been reaped (not reused within a test)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def foreign(path, monkeypatch):
    """Make ``path`` another user's: chown as root, else make the store believe it runs as another uid."""
    if os.getuid() == 0:
        os.lchown(str(path), OTHER_UID, OTHER_UID)
    else:
        real = os.getuid()
        monkeypatch.setattr(state_store.os, 'getuid', lambda: real + 1)


def names(store):
    return [store.path, store.lock_path, store.guard_path, store.audit_path('json'), store.audit_path('html'),
            store.plan_path()]


# -- names ----------------------------------------------------------------------------------------------------
SUFFIX_PARTS = ['', '.state', '-audit', '-plan', '.lock', '.guard', '.json', '.html', '.lock.guard', '-audit.json',
                '.state.json', '-plan.json']
# every id the suffixes can be confused with, to two levels: 'X', 'X-audit', 'X.state', 'X-plan', 'X.lock',
# 'X.state.json', 'X-audit-audit', 'X.lock.guard', ...
COLLIDING_IDS = sorted(set('X' + a + b for a, b in itertools.product(SUFFIX_PARTS, repeat=2)))


def test_no_file_name_of_one_change_is_a_file_name_of_another(tmp_path):
    for required in ('X', 'X-audit', 'X.state', 'X-plan', 'X.lock'):
        assert required in COLLIDING_IDS
    owner = {}
    for change_id in COLLIDING_IDS:
        cw.check_change_id(change_id)
        mine = names(StateStore(str(tmp_path), change_id))
        assert len(set(mine)) == len(mine), change_id
        for name in mine:
            assert owner.setdefault(name, change_id) == change_id, '%s is a file of %s and of %s' % (
                name, owner[name], change_id)


@pytest.mark.parametrize('attr, expected', [
    ('path', 'CHG-1.state.json'), ('lock_path', 'CHG-1.lock'), ('guard_path', 'CHG-1.lock.guard'),
])
def test_file_names(tmp_path, attr, expected):
    store = StateStore(str(tmp_path), 'CHG-1')
    assert getattr(store, attr) == str(tmp_path / expected)
    assert store.dir == str(tmp_path) and store.legacy is False


def test_audit_and_plan_names(tmp_path):
    store = StateStore(str(tmp_path), 'CHG-1')
    assert store.audit_path('json') == str(tmp_path / 'CHG-1-audit.json')
    assert store.audit_path('html', str(tmp_path / 'reports')) == str(tmp_path / 'reports' / 'CHG-1-audit.html')
    assert store.plan_path() == str(tmp_path / 'CHG-1-plan.json')
    with pytest.raises(ChangeWindowError, match='json or html'):
        store.audit_path('pdf')


# -- 0.2.0 states -------------------------------------------------------------------------------------------------
# (files in the directory, the change id of the store) -> (the state file it uses, legacy, the change_id read)
LEGACY = [
    pytest.param({'X.json': state_of('X')}, 'X', 'X.json', True, 'X', id='0.2.0 state read in place'),
    pytest.param({'X.json': state_of('X'), 'X.state.json': state_of('X', end_at=cw.iso(BEGIN + 60))}, 'X',
                 'X.state.json', False, 'X', id='the new name wins'),
    # the audit of change X is X-audit.json: never the state of change X-audit
    pytest.param({'X-audit.json': {'change_id': 'X', 'begin_at': cw.iso(BEGIN), 'closed': []}}, 'X-audit',
                 'X-audit.state.json', False, None, id='audit of X is not the state of X-audit'),
    pytest.param({'X-plan.json': {'change_id': 'X', 'to_act': {}}}, 'X-plan', 'X-plan.state.json', False, None,
                 id='plan of X is not the state of X-plan'),
    # the new state of X is X.state.json, the 0.2.0 name of change X.state
    pytest.param({'X.state.json': state_of('X')}, 'X.state', 'X.state.state.json', False, None,
                 id='new state of X is not the state of X.state'),
    pytest.param({'X.json': '{"change_id": "X", "begin'}, 'X', 'X.state.json', False, None, id='not JSON'),
    pytest.param({'X.json': [1, 2]}, 'X', 'X.state.json', False, None, id='not an object'),
    pytest.param({'X.json': state_of('Y')}, 'X', 'X.state.json', False, None, id='another change'),
]


@pytest.mark.parametrize('files, change_id, expected, legacy, read_id', LEGACY)
def test_legacy_state(tmp_path, files, change_id, expected, legacy, read_id):
    for name, data in files.items():
        put(tmp_path / name, data)
    store = StateStore(str(tmp_path), change_id)
    assert (store.path, store.legacy) == (str(tmp_path / expected), legacy)
    state = store.read()
    assert (state or {}).get('change_id') == read_id


def test_a_legacy_change_keeps_writing_its_legacy_file(tmp_path):
    put(tmp_path / 'X.json', state_of('X'))
    store = StateStore(str(tmp_path), 'X')
    state = store.read()
    assert store.write(dict(state, end_at=cw.iso(BEGIN + 60))) is True
    assert sorted(os.listdir(str(tmp_path))) == ['X.json']
    assert StateStore(str(tmp_path), 'X').read()['end_at'] == cw.iso(BEGIN + 60)


def test_the_legacy_state_of_x_state_is_not_read_nor_overwritten_by_x(tmp_path):
    # a 0.2.0 change X.state kept its state in X.state.json, the new state name of change X
    path = put(tmp_path / 'X.state.json', state_of('X.state'))
    with open(path) as handle:
        before = handle.read()
    store = StateStore(str(tmp_path), 'X')
    with pytest.raises(ChangeWindowError, match=r'holds the state of change X\.state, not of change X'):
        store.read()
    with pytest.raises(ChangeWindowError, match='holds the state of change X.state'):
        store.write(state_of('X'))
    with open(path) as handle:
        assert handle.read() == before
    # while X.state itself finds it in place
    assert StateStore(str(tmp_path), 'X.state').read()['change_id'] == 'X.state'


def test_list_changes(tmp_path):
    files = {
        'A.state.json': state_of('A'),
        'B.json': state_of('B'),                                          # 0.2.0
        'C.state.json': state_of('C'), 'C.json': state_of('C'),           # both: one id
        'X.state.json': state_of('X'),                                    # not the 0.2.0 state of X.state
        'X-audit.json': {'change_id': 'X', 'begin_at': cw.iso(BEGIN)},    # the audit of X, not change X-audit
        'X-audit.html': '<html></html>', 'X-plan.json': {'change_id': 'X'},
        'A.lock': {'pid': 1, 'host': HOST}, 'A.lock.guard': '',
        '.A.state.json.abc.tmp': state_of('A'), 'notes.txt': 'x', 'bad id.state.json': state_of('bad id'),
    }
    for name, data in files.items():
        put(tmp_path / name, data)
    assert StateStore.list_changes(str(tmp_path)) == ['A', 'B', 'C', 'X']
    assert StateStore.list_changes(str(tmp_path / 'missing')) == []


# -- refusals -----------------------------------------------------------------------------------------------------
def make_link(tmp_path, name, target_data):
    target = put(tmp_path / 'elsewhere.json', target_data)
    os.symlink(target, str(tmp_path / name))
    return target


# name in the state dir of change X -> what the refusal calls it, and the call refused
REFUSED = [
    ('X.state.json', 'state file', lambda s: s.read()),
    ('X.state.json', 'state file', lambda s: s.write(state_of('X'))),
    ('X.json', 'state file', lambda s: s.read()),                        # a 0.2.0 state
    ('X.json', 'state file', lambda s: s.write(state_of('X'))),
    ('X.lock', 'lock', lambda s: s.lock()),
    ('X.lock', 'lock', lambda s: s.unlock()),
    ('X.lock.guard', 'lock guard', lambda s: s.lock()),
]


@pytest.mark.parametrize('name, what, call', REFUSED)
def test_a_symlink_is_refused_and_never_replaced(tmp_path, name, what, call):
    target = make_link(tmp_path, name, state_of('X') if name.endswith('.json') else {'pid': dead_pid(), 'host': HOST})
    with open(target) as handle:
        before = handle.read()
    store = StateStore(str(tmp_path), 'X')
    with pytest.raises(ChangeWindowError, match=r'the %s %s is a symbolic link: refused' % (
            what, os.path.join(str(tmp_path), name).replace('.', r'\.'))):
        call(store)
    assert os.path.islink(str(tmp_path / name))
    with open(target) as handle:
        assert handle.read() == before


@pytest.mark.parametrize('name, what, call', REFUSED)
def test_another_users_file_is_refused(tmp_path, monkeypatch, name, what, call):
    path = put(tmp_path / name, state_of('X') if name.endswith('.json') else {'pid': dead_pid(), 'host': HOST})
    with open(path) as handle:
        before = handle.read()
    foreign(path, monkeypatch)
    store = StateStore(str(tmp_path), 'X')
    refusal = r'the %s .*%s is owned by uid \d+, not by the user running this play \(uid \d+\): refused.*chown it' % (
        what, name.replace('.', r'\.'))
    with pytest.raises(ChangeWindowError, match=refusal):
        call(store)
    with open(path) as handle:
        assert handle.read() == before
    assert not os.path.islink(path)


@pytest.mark.parametrize('check_mode', [False, True])
def test_write_file_does_not_follow_a_symlink(tmp_path, check_mode):
    target = put(tmp_path / 'target.html', 'theirs')
    os.symlink(target, str(tmp_path / 'X-audit.html'))
    with pytest.raises(ChangeWindowError, match='is a symbolic link'):
        write_file(str(tmp_path / 'X-audit.html'), 'ours', 0o640, check_mode=check_mode)
    assert os.path.islink(str(tmp_path / 'X-audit.html'))
    with open(target) as handle:
        assert handle.read() == 'theirs'


def test_a_directory_or_fifo_at_the_legacy_name_is_no_state(tmp_path):
    os.mkdir(str(tmp_path / 'X.json'))
    os.mkfifo(str(tmp_path / 'Y.json'))
    assert StateStore(str(tmp_path), 'X').legacy is False and StateStore(str(tmp_path), 'Y').legacy is False
    assert StateStore.list_changes(str(tmp_path)) == []


def test_a_directory_at_the_state_name_is_refused(tmp_path):
    os.mkdir(str(tmp_path / 'X.state.json'))
    with pytest.raises(ChangeWindowError, match='is not a regular file'):
        StateStore(str(tmp_path), 'X').read()


# -- writing ------------------------------------------------------------------------------------------------------
def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_atomic_write_mode_0600_in_a_new_0700_directory(tmp_path):
    store = StateStore(str(tmp_path / 'state'), 'CHG-1')
    assert store.read() is None
    state = state_of('CHG-1')
    assert store.write(state) is True
    assert mode_of(store.path) == 0o600
    assert mode_of(store.dir) == 0o700
    assert store.read() == cw.upgrade_state(state)
    assert store.write(state) is False                       # same text: no write
    inode = os.stat(store.path).st_ino
    assert store.write(dict(state, end_at=cw.iso(BEGIN + 5))) is True
    assert os.stat(store.path).st_ino != inode               # a new file renamed over, never rewritten in place
    assert os.listdir(store.dir) == ['CHG-1.state.json']     # no temp file left


def test_write_file_keeps_an_existing_directory_mode(tmp_path):
    reports = tmp_path / 'reports'
    reports.mkdir()
    os.chmod(str(reports), 0o755)
    assert write_file(str(reports / 'X-audit.json'), '{}\n', 0o640, dir_mode=0o750) is True
    assert mode_of(reports) == 0o755 and mode_of(reports / 'X-audit.json') == 0o640
    assert write_file(str(tmp_path / 'new' / 'X-audit.html'), 'x', 0o640, dir_mode=0o750) is True
    assert mode_of(tmp_path / 'new') == 0o750


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    store = StateStore(str(tmp_path), 'CHG-1')
    store.write(state_of('CHG-1'))

    def boom(_fd):
        raise OSError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(state_store.os, 'fsync', boom)
    with pytest.raises(ChangeWindowError, match='cannot write .*CHG-1.state.json: .*No space left'):
        store.write(state_of('CHG-1', end_at=cw.iso(BEGIN + 5)))
    assert os.listdir(str(tmp_path)) == ['CHG-1.state.json']
    assert store.read()['end_at'] is None


def test_check_mode_writes_nothing(tmp_path):
    directory = tmp_path / 'state'
    store = StateStore(str(directory), 'CHG-1', check_mode=True)
    assert store.write(state_of('CHG-1')) is True              # would change
    store.lock()
    store.unlock()
    assert write_file(store.audit_path('json'), '{}', 0o640, check_mode=True) is True
    assert not directory.exists()
    directory.mkdir()
    real = StateStore(str(directory), 'CHG-1')
    real.write(state_of('CHG-1'))
    assert store.write(state_of('CHG-1')) is False             # already holds it
    assert store.write(state_of('CHG-1', end_at=cw.iso(BEGIN + 5))) is True
    assert store.read()['end_at'] is None
    assert sorted(os.listdir(str(directory))) == ['CHG-1.state.json']


# -- the lock -----------------------------------------------------------------------------------------------------
def holder_of(store):
    with open(store.lock_path) as handle:
        return json.load(handle)


def test_the_lock_outlives_a_task_and_the_same_run_retakes_it(tmp_path):
    store = StateStore(str(tmp_path), 'CHG-1')
    assert store.owner == {'pid': os.getppid(), 'host': HOST}
    store.lock()
    assert mode_of(store.lock_path) == 0o600
    holder = holder_of(store)
    assert (holder['pid'], holder['host']) == (os.getppid(), HOST) and holder['since']
    # the next task of the same ansible-playbook run: a new store, the same parent
    StateStore(str(tmp_path), 'CHG-1').lock()
    assert holder_of(store) == holder
    assert store._holder() == holder


# holder in the lock file (None: no lock) -> taken by a run of pid OTHER, or the refusal
def alive_other():
    return os.getpid()          # alive, and not the store's owner (the owner is patched below)


LOCKS = [
    pytest.param(None, None, id='free'),
    pytest.param(lambda: {'pid': dead_pid(), 'host': HOST}, None, id='stale: its run died'),
    pytest.param(lambda: {'pid': alive_other(), 'host': HOST}, 'being handled by another run', id='held'),
    pytest.param(lambda: {'pid': dead_pid(), 'host': 'elsewhere'}, r'pid \d+ on elsewhere', id='other host'),
    pytest.param(lambda: {'pid': str(dead_pid()), 'host': HOST}, 'being handled by another run', id='pid not int'),
    pytest.param(lambda: '', r'another run \(pid \? on \?', id='empty lock'),
    pytest.param(lambda: '{"pid": 1', r'another run \(pid \?', id='corrupt lock'),
]


@pytest.mark.parametrize('holder, refusal', LOCKS)
def test_lock(tmp_path, holder, refusal):
    store = StateStore(str(tmp_path), 'CHG-1')
    store.owner = {'pid': 999999999, 'host': HOST}
    if holder is not None:
        put(store.lock_path, holder())
    if refusal:
        with open(store.lock_path) as handle:
            before = handle.read()
        with pytest.raises(ChangeWindowError, match=refusal):
            store.lock()
        with open(store.lock_path) as handle:
            assert handle.read() == before
        store.unlock()                                          # not ours: left alone
        assert os.path.exists(store.lock_path)
    else:
        store.lock()
        assert holder_of(store)['pid'] == 999999999
        store.unlock()
        assert not os.path.exists(store.lock_path)
        assert os.path.exists(store.guard_path)                 # never removed (see _Guard)


def test_a_run_killed_inside_the_guard_does_not_block_the_next(tmp_path):
    # flock is released by the kernel with the process: a SIGKILL between "stale" and the create leaves no guard
    store = StateStore(str(tmp_path), 'CHG-1')
    store.owner = {'pid': 999999999, 'host': HOST}
    pid = os.fork()
    if pid == 0:
        store._guard().__enter__()
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    started = time.time()
    store.lock()
    assert holder_of(store)['pid'] == 999999999 and time.time() - started < 1


def test_unlock_without_a_state_dir_creates_nothing(tmp_path):
    StateStore(str(tmp_path / 'none'), 'CHG-1').unlock()
    assert not (tmp_path / 'none').exists()


# -- contention ---------------------------------------------------------------------------------------------------
class OldStateStore(StateStore):
    """The 0.2.0 check-and-take (action/change_window.py before plugin_utils), verbatim but for names: no guard, so
    between one run's "the holder is dead" and its O_EXCL create another run can do the same, or remove the lock
    the first has just created. It gave two holders in 63 of 200 trials."""

    def lock(self):
        if not os.path.isdir(self.dir):
            os.makedirs(self.dir, 0o700)
        mine = json.dumps(dict(self.owner, since=cw.iso(time.time())))
        for _attempt in range(2):
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as exc:
                if exc.errno != 17:
                    raise ChangeWindowError('cannot create the lock %s: %s' % (self.lock_path, exc))
                holder = self._holder()
                if holder.get('pid') == self.owner['pid'] and holder.get('host') == self.owner['host']:
                    return
                if holder.get('host') == self.owner['host'] and isinstance(holder.get('pid'), int) and \
                        not state_store._alive(holder['pid']):
                    self._remove()
                    continue
                raise ChangeWindowError('change %s is being handled by another run' % self.change_id)
            with os.fdopen(fd, 'w') as handle:
                handle.write(mine)
            return
        raise ChangeWindowError('cannot take the lock %s' % self.lock_path)


CONTENDERS = 20


def _contender(store_class, state_dir, delays, start, done, results):
    """One run of the change: its "ansible-playbook" is this process (alive through the round, distinct)."""
    store = store_class(state_dir, 'CHG-1')
    store.owner = {'pid': os.getpid(), 'host': HOST}
    read_holder = store._holder
    for delay in delays:
        # a slow read of the holder widens the window between "it is stale" and the create
        store._holder = (lambda: (read_holder(), time.sleep(delay))[0]) if delay else read_holder
        start.wait(10)
        try:
            store.lock()
            results.put(os.getpid())
        except ChangeWindowError:
            results.put(0)
        done.wait(10)                   # stay alive until every contender has tried: a holder is never stale here


def race(store_class, state_dir, delays):
    """``len(delays)`` rounds of CONTENDERS processes taking a stale lock at once -> per round (winners, the pid in
    the lock file). Each round starts from a lock naming a dead pid of this host."""
    ctx = multiprocessing.get_context('fork')
    start, done, results = ctx.Barrier(CONTENDERS + 1), ctx.Barrier(CONTENDERS + 1), ctx.Queue()
    procs = [ctx.Process(target=_contender, args=(store_class, state_dir, delays, start, done, results))
             for _i in range(CONTENDERS)]
    for proc in procs:
        proc.start()
    lock_path = StateStore(state_dir, 'CHG-1').lock_path
    rounds = []
    try:
        for _delay in delays:
            put(lock_path, {'pid': dead_pid(), 'host': HOST, 'since': '2026-01-01T00:00:00Z'})
            start.wait(10)
            answers = [results.get(timeout=10) for _i in range(CONTENDERS)]
            with open(lock_path) as handle:
                in_file = json.load(handle)['pid']
            done.wait(10)
            rounds.append((sorted(p for p in answers if p), in_file))
    finally:
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.terminate()
    return rounds


def test_exactly_one_of_twenty_contenders_takes_a_stale_lock(tmp_path):
    delays = [0] * 20 + [0.005] * 2
    for winners, in_file in race(StateStore, str(tmp_path), delays):
        assert len(winners) == 1, winners
        assert winners == [in_file]


def test_the_old_store_gave_two_holders(tmp_path):
    # the same race against the 0.2.0 check-and-take, with the holder read slowed so the interleaving is certain
    rounds = race(OldStateStore, str(tmp_path), [0.05, 0.05])
    assert max(len(winners) for winners, _in_file in rounds) >= 2, rounds
