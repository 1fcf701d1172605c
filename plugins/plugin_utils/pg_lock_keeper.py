# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lock keeper of the postgresql state store (state_store_pg.py), run as ``python pg_lock_keeper.py``.

It reads one JSON request on stdin ({"params": connection parameters, "key": the advisory lock key, "change_id",
"owner": {"pid", "host", "start", "since"}}), connects, and tries pg_try_advisory_lock(key) on its own session.
It answers one JSON line on stdout: {"ok": true} when it holds the lock (and has recorded the holder row),
{"ok": false, "holder": {...}} when another session holds it, {"ok": false, "error": "..."} when it could not ask.
Holding the lock, it stays (detached, in its own session) until:
  * SIGTERM (unlock() of the run that took it), or
  * the owner, the ansible-playbook process that took it, is gone (checked twice a second), or
  * its connection fails (the heartbeat every 2 s): the server has ended the session, so the lock is gone anyway.
Then it removes its holder row (when the row is still its own) and closes the session: the server releases the lock.
A keeper killed outright (SIGKILL) closes its socket with it, so the server releases the lock all the same; a keeper
whose host vanished is ended by TCP keepalives and idle_session_timeout.
Nothing of the request (it holds the password) is ever printed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import json
import os
import signal
import sys
import time

OWNER_POLL = 0.5
HEARTBEAT = 2.0
IDLE_SESSION_TIMEOUT = '60s'       # the server ends a keeper session that stops its heartbeat (PostgreSQL >= 14)


def _owner_alive(owner):
    """The owner runs: it exists, is not a zombie (killed, not yet reaped) and is the process that took the lock
    (same start time: not a later process that got its pid)."""
    pid = owner.get('pid')
    try:
        os.kill(pid, 0)
    except OSError as exc:
        if exc.errno != errno.EPERM:
            return False
    try:
        with open('/proc/%d/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
    except (IOError, OSError):
        return True                                   # no /proc: trust kill(0)
    if fields[0] == 'Z':
        return False
    start = owner.get('start')
    return start is None or int(fields[19]) == start


def _answer(data):
    out = sys.stdout
    out.write(json.dumps(data) + '\n')
    out.flush()


def main():
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_a: stopping.append(True))
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # a ^C of the playbook is not an unlock
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        request = json.loads(sys.stdin.readline())
        import psycopg  # pylint: disable=import-outside-toplevel
    except Exception as exc:  # pylint: disable=broad-except
        _answer({'ok': False, 'error': 'lock keeper: %s' % type(exc).__name__})
        return 2
    owner, key, change_id = request['owner'], request['key'], request['change_id']
    try:
        conn = psycopg.connect(autocommit=True, **request['params'])
    except Exception as exc:  # pylint: disable=broad-except
        _answer({'ok': False, 'error': str(exc).strip()})
        return 1
    try:
        try:
            conn.execute("SET idle_session_timeout = '%s'" % IDLE_SESSION_TIMEOUT)
        except psycopg.Error:
            pass                                      # before PostgreSQL 14: keepalives only
        if not conn.execute('SELECT pg_try_advisory_lock(%s)', (key,)).fetchone()[0]:
            row = conn.execute('SELECT pid, host, since FROM alertops_change_lock WHERE change_id = %s',
                               (change_id,)).fetchone()
            _answer({'ok': False, 'holder': dict(zip(('pid', 'host', 'since'), row)) if row else None})
            return 0
        conn.execute(
            'INSERT INTO alertops_change_lock (change_id, pid, host, since, keeper_pid, backend_pid) '
            'VALUES (%s, %s, %s, %s, %s, pg_backend_pid()) ON CONFLICT (change_id) DO UPDATE SET pid = EXCLUDED.pid, '
            'host = EXCLUDED.host, since = EXCLUDED.since, keeper_pid = EXCLUDED.keeper_pid, '
            'backend_pid = EXCLUDED.backend_pid',
            (change_id, owner['pid'], owner['host'], owner['since'], os.getpid()))
    except Exception as exc:  # pylint: disable=broad-except
        _answer({'ok': False, 'error': str(exc).strip()})
        conn.close()
        return 1
    _answer({'ok': True})
    try:
        sys.stdout.close()
        os.close(1)
    except OSError:
        pass
    beat = time.time()
    while not stopping and _owner_alive(owner):
        time.sleep(OWNER_POLL)
        if time.time() - beat >= HEARTBEAT:
            beat = time.time()
            try:
                conn.execute('SELECT 1')
            except Exception:  # pylint: disable=broad-except
                return 1                              # the session is gone, and the lock with it
    try:
        if not stopping:                              # the owner died without unlock(): leave no holder row
            conn.execute('DELETE FROM alertops_change_lock WHERE change_id = %s AND backend_pid = pg_backend_pid()',
                         (change_id,))
        conn.close()
    except Exception:  # pylint: disable=broad-except
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
