# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state store of a change window, on the controller (never shipped to a target).

One change id owns these names in the state directory, and no other change id can produce any of them (each kind
has its own suffix and no suffix is the end of another, so name -> (kind, id) is one-to-one)::

    <id>.state.json     the state (mode 0600)
    <id>.lock           who is handling the change: {"pid", "host", "since"}; outlives each task
    <id>.lock.guard     flock(2) target that serialises taking and releasing <id>.lock; never removed
    <id>-audit.json     the audit (report directory, usually the same)
    <id>-audit.html     the HTML report
    <id>-plan.json      the plan

0.2.0 kept the state in ``<id>.json``, a name another change's files can take (the audit of ``X`` is
``X-audit.json``, the 0.2.0 state name of change ``X-audit``). Such a file is read, and written, in place only when
its JSON says it is the state of this very change id (``store.legacy``), so a change begun with 0.2.0 can end.

Files are never followed through a symlink nor taken over from another user: a state file, lock or guard that is
a symlink or not owned by the running user is refused with a ChangeWindowError naming the file and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import json
import os
import re
import socket
import stat
import tempfile
import time

from ansible_collections.alertops.core.plugins.plugin_utils.change_window import (
    CHANGE_ID_RULE, ChangeWindowError, iso, parse_state)

STATE_SUFFIX = '.state.json'
LOCK_SUFFIX = '.lock'
GUARD_SUFFIX = '.lock.guard'
AUDIT_SUFFIXES = {'json': '-audit.json', 'html': '-audit.html'}
PLAN_SUFFIX = '-plan.json'
LEGACY_SUFFIX = '.json'                 # 0.2.0: <id>.json
GUARD_TIMEOUT = 30.0                    # seconds; the guard is only held for a few file operations
_CHANGE_ID = re.compile(CHANGE_ID_RULE)


# -- refusing what is not ours --------------------------------------------------------------------------------
def _refuse_symlink(path, what):
    raise ChangeWindowError(
        'the %s %s is a symbolic link: refused, it is never followed nor replaced. Put the file itself at %s (or '
        'remove the link if it is not this change\'s) and run again.' % (what, path, path))


def _check_stat(path, st, what):
    """Refuse ``st`` (an lstat or fstat result of ``path``) unless it is a regular file of the running user."""
    if stat.S_ISLNK(st.st_mode):
        _refuse_symlink(path, what)
    if not stat.S_ISREG(st.st_mode):
        raise ChangeWindowError('the %s %s is not a regular file: refused. Move it away and run again.' % (what, path))
    uid = os.getuid()
    if st.st_uid != uid:
        raise ChangeWindowError(
            'the %s %s is owned by uid %d, not by the user running this play (uid %d): refused, it is never read '
            'as ours nor replaced. Run as its owner, or, if it is this change\'s, chown it to uid %d and run again.'
            % (what, path, st.st_uid, uid, uid))


def _lstat(path):
    """os.lstat, or None when nothing is there."""
    try:
        return os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise ChangeWindowError('cannot look at %s: %s' % (path, exc))


def check_file(path, what='file'):
    """Refuse ``path`` when it is a symlink, not a regular file or not the running user's; True when it exists."""
    st = _lstat(path)
    if st is None:
        return False
    _check_stat(path, st, what)
    return True


def _read_own(path, what):
    """The bytes of ``path`` (None when it does not exist), opened without following a symlink, checked on the
    open descriptor so that the file checked is the file read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        if exc.errno == errno.ELOOP:
            _refuse_symlink(path, what)
        raise ChangeWindowError('cannot read the %s %s: %s' % (what, path, exc))
    try:
        _check_stat(path, os.fstat(fd), what)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, 'rb') as handle:
        return handle.read()


def _makedirs(directory, dir_mode, what='directory'):
    if not os.path.isdir(directory):
        try:
            os.makedirs(directory, dir_mode)
        except OSError as exc:
            if not os.path.isdir(directory):   # another run may have created it in between
                raise ChangeWindowError('cannot create the %s %s: %s' % (what, directory, exc))


# -- files on the controller ----------------------------------------------------------------------------------
def write_file(path, text, mode, dir_mode=0o700, check_mode=False):
    """Write ``text`` atomically (temp file in the same directory, fsync, rename) unless the file already holds it.

    Creates a missing directory with ``dir_mode``; never changes the mode of a directory that exists. A target that
    is a symlink or another user's is refused, in check mode too (the rename would replace the link, not write
    through it). Returns whether the file changed (or would change, in check mode)."""
    data = text.encode('utf-8')
    if _read_own(path, 'file') == data:
        return False
    if check_mode:
        return True
    directory = os.path.dirname(path) or '.'
    _makedirs(directory, dir_mode)
    try:
        fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=directory)
    except (IOError, OSError) as exc:
        raise ChangeWindowError('cannot write %s: %s' % (path, exc))
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        check_file(path, 'file')        # again, just before the rename: a link put there meanwhile is not replaced
        os.replace(tmp, path)
    except (IOError, OSError, ChangeWindowError) as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, ChangeWindowError):
            raise
        raise ChangeWindowError('cannot write %s: %s' % (path, exc))
    return True


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM     # it exists, owned by someone else
    return True


def _legacy_claims(path, change_id):
    """Whether the 0.2.0 name ``path`` holds a state of ``change_id`` (its JSON's change_id is that id). Only read,
    never trusted for anything else: it may be another change's audit, plan or state."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False                     # a directory or a fifo is nobody's state (and a fifo would block)
        with open(path, 'rb') as handle:     # follows a link only to tell whose it is; the store then refuses it
            data = json.loads(handle.read().decode('utf-8', 'replace'))
    except ValueError:
        return False                         # not JSON: nothing says it is this change's
    except (IOError, OSError) as exc:
        if exc.errno == errno.ENOENT:
            return False
        raise ChangeWindowError('cannot read %s to tell whether it is the 0.2.0 state of change %s: %s'
                                % (path, change_id, exc))
    return isinstance(data, dict) and data.get('change_id') == change_id


class StateStore:
    """The state, lock, audit and plan files of one change in ``state_dir``, on the controller."""

    def __init__(self, state_dir, change_id, check_mode=False):
        self.dir = os.path.abspath(os.path.expanduser(state_dir))
        self.change_id = change_id
        self.check_mode = check_mode
        self.lock_path = self._name(LOCK_SUFFIX)
        self.guard_path = self._name(GUARD_SUFFIX)
        self.path = self._name(STATE_SUFFIX)
        self.legacy = False
        # a 0.2.0 state is kept where it is (and written there) until the change ends; a link or another user's
        # file at the new name is not "missing", so it is refused later rather than shadowed by a legacy one
        old = self._name(LEGACY_SUFFIX)
        if _lstat(self.path) is None and _legacy_claims(old, change_id):
            self.path, self.legacy = old, True
        # the ansible-playbook process: every task of one run is a child of it, so the lock outlives each task
        self.owner = {'pid': os.getppid(), 'host': socket.gethostname()}

    def _name(self, suffix, directory=None):
        return os.path.join(directory or self.dir, self.change_id + suffix)

    def audit_path(self, ext, directory=None):
        """``<id>-audit.<ext>`` (ext json or html) in ``directory`` (the report directory; default the state's)."""
        if ext not in AUDIT_SUFFIXES:
            raise ChangeWindowError('an audit is json or html, not %r' % (ext,))
        return self._name(AUDIT_SUFFIXES[ext], directory)

    def plan_path(self):
        return self._name(PLAN_SUFFIX)

    def write_audit(self, ext, text, directory=None):
        """Write the audit ``<id>-audit.<ext>`` (0640, a missing directory 0750); True when it changed."""
        return write_file(self.audit_path(ext, directory), text, 0o640, dir_mode=0o750, check_mode=self.check_mode)

    def read_audit(self, ext, directory=None):
        """The text of the audit ``<id>-audit.<ext>``, or None when there is none (or it cannot be read)."""
        try:
            data = _read_own(self.audit_path(ext, directory), 'audit')
        except ChangeWindowError:
            return None
        return None if data is None else data.decode('utf-8', 'replace')

    @staticmethod
    def list_changes(state_dir):
        """Every change id with a state in ``state_dir`` (``<id>.state.json``, or a 0.2.0 ``<id>.json`` whose JSON
        is that id's state), sorted; audits, plans, locks and temp files are not states. For an expiry sweep: the
        store of each id still refuses a file that is a link or another user's."""
        directory = os.path.abspath(os.path.expanduser(state_dir))
        try:
            names = os.listdir(directory)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return []
            raise ChangeWindowError('cannot list the state directory %s: %s' % (directory, exc))
        found = set()
        for name in names:
            if name.startswith('.'):
                continue                     # temp files of an interrupted write
            if name.endswith(STATE_SUFFIX):
                change_id = name[:-len(STATE_SUFFIX)]
                if _CHANGE_ID.match(change_id):
                    found.add(change_id)
            elif name.endswith(LEGACY_SUFFIX):
                change_id = name[:-len(LEGACY_SUFFIX)]
                if _CHANGE_ID.match(change_id) and _legacy_claims(os.path.join(directory, name), change_id):
                    found.add(change_id)
        return sorted(found)

    # -- the state ------------------------------------------------------------------------------------------
    def read(self):
        """The state (upgraded), or None when the change has none."""
        data = _read_own(self.path, 'state file')
        if data is None:
            return None
        state = parse_state(data.decode('utf-8', 'replace'), self.path)
        self._check_is_mine(state)
        return state

    def write(self, state):
        """Write the state atomically (0600); returns whether it changed. Refuses to overwrite another change's
        state (a 0.2.0 ``X.state.json`` is the state of change ``X.state``, at the new name of change ``X``)."""
        existing = _read_own(self.path, 'state file')
        if existing is not None:
            try:
                self._check_is_mine(json.loads(existing.decode('utf-8', 'replace')))
            except ValueError:
                pass                         # a corrupt state of ours is what a write repairs
        return write_file(self.path, json.dumps(state, indent=2, sort_keys=True) + '\n', 0o600,
                          check_mode=self.check_mode)

    def _check_is_mine(self, data):
        other = data.get('change_id') if isinstance(data, dict) else None
        if isinstance(other, str) and other != self.change_id:
            raise ChangeWindowError(
                'the state file %s holds the state of change %s, not of change %s: refused, nothing was written. It '
                'is a 0.2.0 state file of change %s: end that change first (or move the file away if it is no longer '
                'needed).' % (self.path, other, self.change_id, other))

    # -- the lock -------------------------------------------------------------------------------------------
    def lock(self):
        """Take the change's lock for this run (check mode writes nothing, so it takes none).

        The whole check-and-take (read the holder, judge it stale, remove it, create with O_EXCL) runs under an
        exclusive flock on the guard file, so two runs that find the same stale lock cannot both take it; the
        kernel drops the flock if a run dies in there. The lock file itself stays until unlock(): it names the
        ansible-playbook process, so it outlives each task."""
        if self.check_mode:
            return
        _makedirs(self.dir, 0o700, 'state directory')
        with self._guard():
            if check_file(self.lock_path, 'lock'):
                holder = self._holder()
                if self._is_mine(holder):
                    return                  # this run already holds it (begin and end in one playbook)
                if not self._stale(holder):
                    raise ChangeWindowError(
                        'change %s is being handled by another run (pid %s on %s since %s): nothing was sent. Wait '
                        'for it to finish; if no such run is alive, delete %s and run again.'
                        % (self.change_id, holder.get('pid', '?'), holder.get('host', '?'), holder.get('since', '?'),
                           self.lock_path))
                self._remove()              # left by a run that died
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            except OSError as exc:          # EEXIST here: a writer that does not take the guard (0.2.0)
                raise ChangeWindowError('cannot create the lock %s: %s. If no other run of change %s is alive, '
                                        'delete it and run again.' % (self.lock_path, exc, self.change_id))
            with os.fdopen(fd, 'w') as handle:
                handle.write(json.dumps(dict(self.owner, since=iso(time.time()))))
                handle.flush()
                os.fsync(handle.fileno())

    def unlock(self):
        """Release the lock when this run holds it; another run's lock is left alone."""
        if self.check_mode or not os.path.isdir(self.dir):
            return
        with self._guard():
            if check_file(self.lock_path, 'lock') and self._is_mine(self._holder()):
                self._remove()

    def _is_mine(self, holder):
        return holder.get('pid') == self.owner['pid'] and holder.get('host') == self.owner['host']

    def _stale(self, holder):
        """Left by a run that died: only a run on this host can tell (a holder it cannot read is not stale)."""
        pid = holder.get('pid')
        return holder.get('host') == self.owner['host'] and isinstance(pid, int) and not isinstance(pid, bool) \
            and pid > 0 and not _alive(pid)

    def _holder(self):
        try:
            data = json.loads((_read_own(self.lock_path, 'lock') or b'{}').decode('utf-8', 'replace') or '{}')
            return data if isinstance(data, dict) else {}
        except (ChangeWindowError, ValueError):
            return {}

    def _remove(self):
        try:
            os.unlink(self.lock_path)
        except OSError:
            pass

    def _guard(self):
        return _Guard(self.guard_path, self.change_id)


class _Guard:
    """An exclusive flock(2) on ``<id>.lock.guard`` for the span of a ``with``; released by the kernel when the
    process dies. The file is never removed: removing it would let two runs lock two different inodes."""

    def __init__(self, path, change_id):
        self.path = path
        self.change_id = change_id
        self.fd = None

    def __enter__(self):
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                _refuse_symlink(self.path, 'lock guard')
            raise ChangeWindowError('cannot open the lock guard %s: %s' % (self.path, exc))
        try:
            _check_stat(self.path, os.fstat(fd), 'lock guard')
            deadline = time.time() + GUARD_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except (IOError, OSError) as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise ChangeWindowError('cannot lock %s: %s' % (self.path, exc))
                if time.time() > deadline:
                    raise ChangeWindowError(
                        'the lock guard %s of change %s has been held for %d s by another process: nothing was sent. '
                        'Look for a hung run of the change.' % (self.path, self.change_id, GUARD_TIMEOUT))
                time.sleep(0.002)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return self

    def __exit__(self, *exc_info):
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None
        return False
