# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import multiprocessing
import os
import stat

import pytest

from ansible_collections.alertops.core.plugins.module_utils import claims


def test_mark_then_taken_for_the_same_key_only(tmp_path):
    ledger = claims.Ledger('p|u', directory=str(tmp_path / 'c'))
    with ledger.claim('close|a|1') as claim:
        assert claim.taken is False
        claim.mark()
    with ledger.claim('close|a|1') as claim:
        assert claim.taken is True
    for other in ('close|a|2', 'close|b|1', 'ack|a|1'):
        with ledger.claim(other) as claim:
            assert claim.taken is False
    other_scope = claims.Ledger('p|v', directory=str(tmp_path / 'c'))
    with other_scope.claim('close|a|1') as claim:
        assert claim.taken is False
    assert stat.S_IMODE(os.stat(str(tmp_path / 'c')).st_mode) == 0o700
    files = list((tmp_path / 'c').iterdir())
    assert len(files) == 2 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


@pytest.mark.parametrize('prepare', ['world_writable', 'symlink', 'a_file'])
def test_an_unsafe_directory_turns_the_ledger_off(tmp_path, prepare):
    path = tmp_path / 'c'
    if prepare == 'world_writable':
        path.mkdir()
        os.chmod(str(path), 0o777)
    elif prepare == 'symlink':
        (tmp_path / 'real').mkdir(mode=0o700)
        os.symlink(str(tmp_path / 'real'), str(path))
    else:
        path.write_text('x')
    ledger = claims.Ledger('p|u', directory=str(path))
    with ledger.claim('k|1|2') as claim:
        claim.mark()
    with ledger.claim('k|1|2') as claim:
        assert claim.taken is False
    assert ledger.enabled is False


def test_disabled_and_environment(tmp_path, monkeypatch):
    with claims.Ledger.disabled().claim('k') as claim:
        claim.mark()
        assert claim.taken is False
    monkeypatch.setenv('ALERTOPS_CLAIMS_DIR', str(tmp_path / 'env'))
    assert claims.default_directory() == str(tmp_path / 'env')


def _race(directory, key, start, results):
    ledger = claims.Ledger('p|u', directory=directory)
    start.wait()
    with ledger.claim(key) as claim:
        if not claim.taken:
            claim.mark()
            results.put('made')
        else:
            results.put('seen')


def test_processes_racing_for_one_key_claim_it_once(tmp_path):
    ctx = multiprocessing.get_context('fork')
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(str(tmp_path), 'close|x|1', start, results)) for _n in range(6)]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(30)
    outcome = sorted(results.get(timeout=5) for _n in procs)
    assert outcome == ['made'] + ['seen'] * 5


def test_a_held_key_times_out_with_a_clear_message(tmp_path):
    ctx = multiprocessing.get_context('fork')
    held, release = ctx.Event(), ctx.Event()

    def hold():
        ledger = claims.Ledger('p|u', directory=str(tmp_path))
        with ledger.claim('close|x|1'):
            held.set()
            release.wait(30)
    proc = ctx.Process(target=hold)
    proc.start()
    try:
        assert held.wait(10)
        ledger = claims.Ledger('p|u', directory=str(tmp_path), timeout=0.2, platform='mackerel')
        with pytest.raises(claims.errors.AlertOpsError, match='another run on this host has been writing the same object'):
            with ledger.claim('close|x|1'):
                pass
    finally:
        release.set()
        proc.join(10)
