# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``postgresql`` state store of a change window (controller side; the interface: state_stores.py).

Where AWX runs the role every job has a fresh container, so the state lives in a database every job reaches:

``alertops_state_schema``   one row: the schema version (SCHEMA_VERSION), written when the tables are created on
                            first use. Another version is refused with a message; nothing is ever altered silently.
``alertops_change_state``   one row per change: ``state`` (the recorded state, JSON), ``version`` (+1 on every
                            write), ``audit_json``, ``audit_html``. Every write is a compare-and-set in one
                            transaction against the version this store read: a lost race is refused, never merged.
``alertops_change_lock``    who holds a change (ansible-playbook pid, host, since, the keeper's pid and database
                            session), for messages and for fencing the writes.

The lock is a PostgreSQL session advisory lock, so the server enforces it and releases it when its session ends.
The lock spans the tasks of one playbook run and each task runs in its own short-lived worker process, so no task
can hold the session: lock() starts a small keeper process (pg_lock_keeper.py) that takes the advisory lock on
its own connection and holds it until unlock() stops it, or until the ansible-playbook process that took it dies
(the keeper watches it), or until the keeper itself dies or loses the server (the session ends: TCP keepalives and
an idle_session_timeout bound how long a vanished container can hold it). Every write checks, in its transaction,
that this run's keeper session still holds the lock: a run whose lock was lost cannot record anything.

The connection string (ALERTOPS_STATE_URL) is a secret: it is handed to the keeper on its stdin (never in argv or
the environment of another process), and every message shows the URL without password, with the password (and
any 8-character piece of it) masked in whatever a driver error says.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import hashlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

from ansible_collections.alertops.core.plugins.module_utils.errors import Redactor
from ansible_collections.alertops.core.plugins.plugin_utils.change_window import (
    ChangeWindowError, iso, parse_state)

try:
    import psycopg
    from psycopg import conninfo as _conninfo
    HAS_PSYCOPG = True
    PSYCOPG_ERROR = None
except ImportError as _exc:        # pragma: no cover - depends on the controller's Python
    psycopg = None
    HAS_PSYCOPG = False
    PSYCOPG_ERROR = str(_exc)

SCHEMA_VERSION = 1
SCHEMA_TABLE = 'alertops_state_schema'
STATE_TABLE = 'alertops_change_state'
LOCK_TABLE = 'alertops_change_lock'
SCHEMA = (
    "CREATE TABLE alertops_state_schema (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL, "
    "installed_at timestamptz NOT NULL DEFAULT now(), installed_by text NOT NULL)",
    "CREATE TABLE alertops_change_state (change_id text PRIMARY KEY, version bigint NOT NULL, state jsonb NOT NULL, "
    "audit_json jsonb, audit_html text, updated_at timestamptz NOT NULL DEFAULT now(), updated_by text NOT NULL)",
    "CREATE TABLE alertops_change_lock (change_id text PRIMARY KEY, pid integer NOT NULL, host text NOT NULL, "
    "since text NOT NULL, keeper_pid integer NOT NULL, backend_pid integer NOT NULL)",
)
# pg_advisory_xact_lock key serialising the creation of the tables by two first runs
SCHEMA_LOCK_KEY = 0x616c6572746f7073 - (1 << 63)            # 'alertops', as a signed bigint
CONNECT_TIMEOUT = 10
STALE_WAIT = 10.0          # seconds a run waits for the keeper of a dead run on this host to let go
RELEASE_WAIT = 10.0        # seconds unlock() waits until the server has released the lock
KEEPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pg_lock_keeper.py')
MISSING = ('maintenance_window_state_store is postgresql, but the Python library psycopg (version 3) is not '
           'installed for the controller\'s Python (%s): nothing was read or written. Install it (pip install '
           '"psycopg[binary]"; the collection\'s execution environment has it), or use the file store.')


def lock_key(change_id):
    """The advisory lock key (a signed bigint) of a change."""
    digest = hashlib.sha256(('alertops.core/change/%s' % change_id).encode('utf-8')).digest()
    return int.from_bytes(digest[:8], 'big', signed=True)


def _lock_parts(key):
    """(classid, objid) under which pg_locks shows the bigint advisory lock ``key`` (objsubid 1)."""
    unsigned = key & 0xFFFFFFFFFFFFFFFF
    return unsigned >> 32, unsigned & 0xFFFFFFFF


def _process_start(pid):
    """The start time of ``pid`` (clock ticks since boot, /proc), to tell a process from a later one with its pid."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return int(handle.read().rsplit(')', 1)[1].split()[19])
    except (IOError, OSError, ValueError, IndexError):
        return None


def _zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except (IOError, OSError, IndexError):
        return False


def _alive(pid):
    """Whether ``pid`` runs (a zombie, killed but not yet reaped by its parent, does not)."""
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return not _zombie(pid)


class Dsn:
    """The connection string, parsed once: what messages may show of it, and a redactor for the password."""

    def __init__(self, url):
        self.url = url
        self.redactor = Redactor()
        try:
            self.params = _conninfo.conninfo_to_dict(url)
        except Exception:  # pylint: disable=broad-except
            # psycopg's message may quote the string: say only where it came from
            raise ChangeWindowError('ALERTOPS_STATE_URL is not a valid PostgreSQL connection string (a URL '
                                    'postgresql://USER:PASSWORD@HOST:PORT/DBNAME or key=value pairs): nothing was '
                                    'read or written.')
        password = self.params.get('password')
        if password:
            self.redactor.add(password)
        self.shown = 'postgresql://%s%s%s/%s' % (
            ('%s@' % self.params['user']) if self.params.get('user') else '',
            self.params.get('host') or self.params.get('hostaddr') or 'localhost',
            (':%s' % self.params['port']) if self.params.get('port') else '',
            self.params.get('dbname') or '')

    def redact(self, text):
        text = str(text)
        password = self.params.get('password')
        if password:
            for form in (password, _quote(password)):
                text = text.replace(form, '********')
        return self.redactor.redact(text) if self.redactor else text

    def connect(self):
        params = dict(self.params)
        params.setdefault('connect_timeout', CONNECT_TIMEOUT)
        params.setdefault('application_name', 'alertops.core')
        for name, value in (('keepalives', 1), ('keepalives_idle', 10), ('keepalives_interval', 5),
                            ('keepalives_count', 3)):
            params.setdefault(name, value)
        return psycopg.connect(autocommit=True, **params)


def _quote(text):
    try:
        from urllib.parse import quote  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover
        from urllib import quote  # pylint: disable=import-outside-toplevel
    return quote(text, safe='')


def ensure_schema(conn, shown):
    """Create the tables on first use (recording SCHEMA_VERSION); refuse any other recorded version."""
    with conn.transaction():
        conn.execute('SELECT pg_advisory_xact_lock(%s)', (SCHEMA_LOCK_KEY,))
        present = conn.execute('SELECT to_regclass(%s)', (SCHEMA_TABLE,)).fetchone()[0]
        if present is None:
            for statement in SCHEMA:
                conn.execute(statement)
            conn.execute('INSERT INTO alertops_state_schema (id, version, installed_by) VALUES (1, %s, %s)',
                         (SCHEMA_VERSION, 'alertops.core state store schema %d' % SCHEMA_VERSION))
            return SCHEMA_VERSION
        row = conn.execute('SELECT version FROM alertops_state_schema WHERE id = 1').fetchone()
    version = row[0] if row else None
    if version != SCHEMA_VERSION:
        if isinstance(version, int) and version > SCHEMA_VERSION:
            why = ('is newer than this collection knows (%d): a later alertops.core created it. Run the job with '
                   'that collection version (its execution environment)' % SCHEMA_VERSION)
        else:
            why = ('is not one this collection knows (%d): it is never altered silently. Migrate it with the '
                   'collection version that wrote it, or point ALERTOPS_STATE_URL at a database of its own'
                   % SCHEMA_VERSION)
        raise ChangeWindowError('the state store %s has schema version %s, which %s; nothing was read or written.'
                                % (shown, version, why))
    return version


class PgStateStore:
    """The state, lock and audits of one change in the PostgreSQL database of ``url`` (see the module docstring)."""

    def __init__(self, url, change_id, check_mode=False, state_dir=None):
        if not HAS_PSYCOPG:
            raise ChangeWindowError(MISSING % (PSYCOPG_ERROR or 'psycopg not found',))
        self.dsn = Dsn(url)
        self.change_id = change_id
        self.check_mode = check_mode
        self.key = lock_key(change_id)
        self.path = '%s (table %s, change %s)' % (self.dsn.shown, STATE_TABLE, change_id)
        self.state_dir = os.path.abspath(os.path.expanduser(state_dir)) if state_dir else None
        self.legacy = False
        self.read_version = None            # None: not read; 0: read, no state yet
        self.owner = {'pid': os.getppid(), 'host': socket.gethostname()}
        self._conn = None

    # -- connection -----------------------------------------------------------------------------------------
    def _fail(self, doing, exc):
        return ChangeWindowError('state store %s: %s failed: %s. Nothing more was written; check that the database '
                                 'is up and reachable and that ALERTOPS_STATE_URL (user, password, database) is '
                                 'right, then run again.' % (self.dsn.shown, doing, self.dsn.redact(exc)))

    def _db(self):
        if self._conn is None or self._conn.closed:
            try:
                conn = self.dsn.connect()
            except psycopg.Error as exc:
                raise self._fail('connecting', exc)
            try:
                ensure_schema(conn, self.dsn.shown)
            except psycopg.Error as exc:
                conn.close()
                raise self._fail('checking the schema', exc)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _run(self, doing, work):
        """work(conn) with every driver error turned into a message without the password."""
        conn = self._db()
        try:
            return work(conn)
        except psycopg.Error as exc:
            try:
                conn.close()
            except Exception:  # pylint: disable=broad-except
                pass
            raise self._fail(doing, exc)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @classmethod
    def list_changes_at(cls, url):
        store = cls(url, '-sweep-')
        try:
            return store._run('listing the changes', lambda conn: sorted(
                r[0] for r in conn.execute('SELECT change_id FROM alertops_change_state').fetchall()))
        finally:
            store.close()

    # -- reports (the local copy is the file backend's path) ------------------------------------------------
    def audit_path(self, ext, directory=None):
        from ansible_collections.alertops.core.plugins.plugin_utils.state_store import AUDIT_SUFFIXES  # pylint: disable=import-outside-toplevel
        if ext not in AUDIT_SUFFIXES:
            raise ChangeWindowError('an audit is json or html, not %r' % (ext,))
        return os.path.join(directory or self.state_dir or '.', self.change_id + AUDIT_SUFFIXES[ext])

    def write_audit(self, ext, text, directory=None):
        """Store the audit in the change's row (its JSON as jsonb) and, as a local copy, in ``directory``; True when
        the stored audit changed."""
        from ansible_collections.alertops.core.plugins.plugin_utils.state_store import write_file  # pylint: disable=import-outside-toplevel
        column = {'json': 'audit_json', 'html': 'audit_html'}[ext]
        if self.check_mode:
            return self.read_audit(ext) != text
        try:
            parsed = json.loads(text) if ext == 'json' else None
        except ValueError:
            raise ChangeWindowError('the %s audit of change %s is not JSON: not stored' % (ext, self.change_id))
        value = json.dumps(parsed) if ext == 'json' else text

        def work(conn):
            with conn.transaction():
                row = conn.execute('SELECT %s FROM alertops_change_state WHERE change_id = %%s FOR UPDATE' % column,
                                   (self.change_id,)).fetchone()
                if row is None:
                    raise ChangeWindowError('state store %s: change %s has no state, so its audit cannot be stored '
                                            'beside it; nothing was written.' % (self.dsn.shown, self.change_id))
                # jsonb keeps its own key order: compare what the JSON says, not its text
                if (row[0] == parsed) if ext == 'json' else (row[0] == value):
                    return False
                conn.execute('UPDATE alertops_change_state SET %s = %%s, updated_at = now() WHERE change_id = %%s'
                             % column, (value, self.change_id))
                return True
        changed = self._run('storing the %s audit of change %s' % (ext, self.change_id), work)
        if directory or self.state_dir:
            # a convenience copy on this job's disk (a fresh container has none): it does not make the task changed
            write_file(self.audit_path(ext, directory), text, 0o640, dir_mode=0o750)
        return changed

    def read_audit(self, ext, directory=None):
        """The audit stored in the change's row (JSON text for ``json``), or None."""
        column = {'json': 'audit_json', 'html': 'audit_html'}[ext]
        row = self._run('reading the audit of change %s' % self.change_id, lambda conn: conn.execute(
            'SELECT %s FROM alertops_change_state WHERE change_id = %%s' % column, (self.change_id,)).fetchone())
        if row is None or row[0] is None:
            return None
        return json.dumps(row[0], indent=2, sort_keys=True) + '\n' if ext == 'json' else row[0]

    # -- the state ------------------------------------------------------------------------------------------
    def read(self):
        """The state (upgraded), or None; the version read is what the next write() compares against."""
        row = self._run('reading the state of change %s' % self.change_id, lambda conn: conn.execute(
            'SELECT version, state FROM alertops_change_state WHERE change_id = %s', (self.change_id,)).fetchone())
        if row is None:
            self.read_version = 0
            return None
        self.read_version = row[0]
        state = parse_state(json.dumps(row[1]), self.path)
        other = state.get('change_id') if isinstance(state, dict) else None
        if isinstance(other, str) and other != self.change_id:
            raise ChangeWindowError('the state store %s holds the state of change %s in the row of change %s: '
                                    'refused, nothing was written.' % (self.dsn.shown, other, self.change_id))
        return state

    def version(self):
        """The change's current version in the database (0: no state)."""
        row = self._run('reading the version of change %s' % self.change_id, lambda conn: conn.execute(
            'SELECT version FROM alertops_change_state WHERE change_id = %s', (self.change_id,)).fetchone())
        return row[0] if row else 0

    def write(self, state):
        """Record ``state``: a compare-and-set against the version read() saw (a store that did not read writes
        over whatever is there), in one transaction, and only while this run holds the change's lock. Returns
        whether it changed; a lost race or a lost lock is refused with a ChangeWindowError, nothing merged."""
        text = json.dumps(state, sort_keys=True)
        if self.check_mode:
            row = self._run('reading the state of change %s' % self.change_id, lambda conn: conn.execute(
                'SELECT state FROM alertops_change_state WHERE change_id = %s', (self.change_id,)).fetchone())
            return row is None or json.dumps(row[0], sort_keys=True) != text

        def work(conn):
            with conn.transaction():
                row = conn.execute('SELECT version, state FROM alertops_change_state WHERE change_id = %s '
                                   'FOR UPDATE', (self.change_id,)).fetchone()
                self._check_fence(conn)
                current = row[0] if row else 0
                expected = current if self.read_version is None else self.read_version
                if current != expected:
                    raise ChangeWindowError(
                        'change %s was recorded by another run since this step read it (version %d, now %d, in %s): '
                        'this write is refused, nothing was merged or sent after it. Another run handled the change '
                        'meanwhile; run again to continue from what it recorded.'
                        % (self.change_id, expected, current, self.dsn.shown))
                if row is not None and json.dumps(row[1], sort_keys=True) == text:
                    return False
                if row is None:
                    conn.execute('INSERT INTO alertops_change_state (change_id, version, state, updated_by) '
                                 'VALUES (%s, 1, %s, %s)', (self.change_id, text, self._who()))
                else:
                    cur = conn.execute('UPDATE alertops_change_state SET version = version + 1, state = %s, '
                                       'updated_at = now(), updated_by = %s WHERE change_id = %s AND version = %s',
                                       (text, self._who(), self.change_id, current))
                    if cur.rowcount != 1:       # cannot happen under FOR UPDATE; never write blind
                        raise ChangeWindowError('change %s: the compare-and-set of version %d matched no row: '
                                                'refused.' % (self.change_id, current))
                self.read_version = current + 1
                return True
        return self._run('recording the state of change %s' % self.change_id, work)

    def _who(self):
        return 'pid %s on %s' % (self.owner['pid'], self.owner['host'])

    def _check_fence(self, conn):
        """Refuse a write unless this run's keeper session holds the change's advisory lock right now."""
        holder = self._holder_row(conn)
        if holder and self._is_mine(holder) and self._lock_alive(conn, holder['backend_pid']):
            return
        raise ChangeWindowError(
            'change %s: this run does not hold the change\'s lock in %s (%s): nothing was recorded, and nothing is '
            'sent after this. The lock is lost when its database session ends (the database restarted or was '
            'unreachable); run again.' % (self.change_id, self.dsn.shown,
                                          'held by %s' % _describe(holder) if holder else 'nobody holds it'))

    # -- the lock -------------------------------------------------------------------------------------------
    def _holder_row(self, conn):
        row = conn.execute('SELECT pid, host, since, keeper_pid, backend_pid FROM alertops_change_lock '
                           'WHERE change_id = %s', (self.change_id,)).fetchone()
        if row is None:
            return None
        return dict(zip(('pid', 'host', 'since', 'keeper_pid', 'backend_pid'), row))

    def _holder(self):
        """The recorded holder of the change's lock ({} when none), as the file store's."""
        return self._run('reading the lock of change %s' % self.change_id, self._holder_row) or {}

    def _lock_alive(self, conn, backend_pid):
        classid, objid = _lock_parts(self.key)
        return conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = %s "
            "AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
            (backend_pid, classid, objid)).fetchone()[0] > 0

    def _is_mine(self, holder):
        return holder.get('pid') == self.owner['pid'] and holder.get('host') == self.owner['host']

    def _stale(self, holder):
        """Held for a run on this host that died (its keeper is about to let go)."""
        pid = holder.get('pid') if holder else None
        return bool(holder) and holder.get('host') == self.owner['host'] and isinstance(pid, int) and pid > 0 \
            and not _alive(pid)

    def holds_lock(self):
        def work(conn):
            holder = self._holder_row(conn)
            return bool(holder and self._is_mine(holder) and self._lock_alive(conn, holder['backend_pid']))
        return self._run('reading the lock of change %s' % self.change_id, work)

    def lock(self):
        """Take the change's lock for this run (check mode takes none): a keeper process holds it in the database
        until unlock() or the end of this ansible-playbook process. Refused when another live run holds it."""
        if self.check_mode or self.holds_lock():
            return
        deadline = time.time() + STALE_WAIT
        while True:
            answer = self._start_keeper()
            if answer.get('ok'):
                return
            if answer.get('error'):
                raise ChangeWindowError('state store %s: taking the lock of change %s failed: %s. Nothing was sent.'
                                        % (self.dsn.shown, self.change_id, self.dsn.redact(answer['error'])))
            holder = answer.get('holder') or {}
            if (not holder or self._stale(holder)) and time.time() < deadline:
                time.sleep(0.2)            # a dead run's keeper lets go within a second; a new holder writes its row
                continue
            raise ChangeWindowError(
                'change %s is being handled by another run (%s): nothing was sent. Wait for it to finish. The lock '
                'is held by that run\'s database session in %s and released when the run ends or dies; there is no '
                'file to delete.' % (self.change_id, _describe(holder) if holder else 'starting now',
                                     self.dsn.shown))

    def _start_keeper(self):
        owner = dict(self.owner, start=_process_start(self.owner['pid']), since=iso(time.time()))
        request = json.dumps({'params': self._keeper_params(), 'key': self.key, 'change_id': self.change_id,
                              'owner': owner})
        try:
            proc = subprocess.Popen([sys.executable, KEEPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True,
                                    cwd='/')
        except OSError as exc:
            raise ChangeWindowError('cannot start the lock keeper of change %s (%s %s): %s'
                                    % (self.change_id, sys.executable, KEEPER, exc))
        try:
            proc.stdin.write(request.encode('utf-8') + b'\n')
            proc.stdin.close()
        except (IOError, OSError):
            pass
        line = b''
        deadline = time.time() + CONNECT_TIMEOUT + 20
        while not line.endswith(b'\n') and time.time() < deadline:
            ready, _w, _x = select.select([proc.stdout], [], [], max(deadline - time.time(), 0))
            if not ready:
                break
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            line += chunk
        proc.stdout.close()
        try:
            answer = json.loads(line.decode('utf-8', 'replace'))
        except ValueError:
            answer = {}
        if not answer.get('ok'):
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if not answer:
                answer = {'error': 'the lock keeper gave no answer (exit status %s)' % proc.returncode}
        return answer

    def _keeper_params(self):
        params = dict(self.dsn.params)
        params.setdefault('connect_timeout', CONNECT_TIMEOUT)
        params.setdefault('application_name', 'alertops.core lock %s' % self.change_id)
        for name, value in (('keepalives', 1), ('keepalives_idle', 10), ('keepalives_interval', 5),
                            ('keepalives_count', 3)):
            params.setdefault(name, value)
        return params

    def unlock(self):
        """Release the lock when this run holds it (another run's lock is left alone); returns once the server
        has released it, so the next run can take it at once."""
        if self.check_mode:
            return

        def work(conn):
            with conn.transaction():
                holder = self._holder_row(conn)
                if not holder or not self._is_mine(holder):
                    return None
                conn.execute('DELETE FROM alertops_change_lock WHERE change_id = %s AND backend_pid = %s',
                             (self.change_id, holder['backend_pid']))
            return holder
        holder = self._run('releasing the lock of change %s' % self.change_id, work)
        if holder is None:
            return
        if holder['host'] == self.owner['host'] and _process_start(holder['keeper_pid']) is not None:
            try:
                os.kill(holder['keeper_pid'], signal.SIGTERM)
            except OSError:
                pass
        deadline = time.time() + RELEASE_WAIT
        terminated = False

        def released(conn):
            return not self._lock_alive(conn, holder['backend_pid'])
        while not self._run('releasing the lock of change %s' % self.change_id, released):
            if time.time() > deadline:
                if terminated:
                    raise ChangeWindowError(
                        'change %s: the lock keeper (pid %s, database session %s) did not let go of the lock in %d '
                        's; the next run will be refused until its session ends.'
                        % (self.change_id, holder['keeper_pid'], holder['backend_pid'], 2 * RELEASE_WAIT))
                # the keeper did not stop (another host, or hung): end its session on the server
                self._run('releasing the lock of change %s' % self.change_id, lambda conn: conn.execute(
                    'SELECT pg_terminate_backend(%s)', (holder['backend_pid'],)))
                terminated = True
                deadline = time.time() + RELEASE_WAIT
            time.sleep(0.05)


def _describe(holder):
    return 'pid %s on %s since %s' % (holder.get('pid', '?'), holder.get('host', '?'), holder.get('since', '?'))
