# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which run made a change: a host-local ledger, so that runs acting on the same alerts at once never both claim it.

A server that answers 200 to closing an alert that is already closed (Mackerel and OpsRamp may; the simulator plays
it) gives two runs closing the same alert at once the same answer: the alert, closed, with the reason both of them
sent. Nothing in the answer, nor in a re-read, tells which request closed it. So every write that changes an alert
goes through ``Ledger.claim(key)``:

* ``key`` names the change and the state it starts from (``close|<id>|<openedAt>``), so a key never comes back for a
  later, different change of the same alert;
* the claim holds an exclusive lock on the key's slot of a ledger file while the write is made (other runs on this
  host wait, so no other process of this host acts on the same key meanwhile);
* ``claim.taken`` is True when a run on this host already made this change: the caller then re-reads the object
  instead of writing, and reports no change if it is done; ``claim.mark()`` records a change this run made.

The ledger is a sparse file of fixed-size slots (a 16-byte fingerprint each) under a 0700 directory of the user's
temp directory (or ``ALERTOPS_CLAIMS_DIR``), one file per platform and URL. It spans the runs of one host (one controller, one execution node);
runs on different hosts are not coordinated: with a server that answers 200 to a repeated close, two hosts closing the
same alert at the same moment with the same reason may both report it (documented in the modules). When the
directory is not safe to use (not ours, group/world-writable, a symbolic link), the ledger is off.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
import threading
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not POSIX
    HAS_FCNTL = False

from ansible_collections.alertops.core.plugins.module_utils import errors

SLOT = 16
SLOTS = 1 << 20            # a 16 MiB sparse file at most; two keys share a slot about once in a million
LOCK_TIMEOUT = 300.0       # longer than any single write with its retries
_POLL = 0.02


def default_directory():
    """``ALERTOPS_CLAIMS_DIR`` when set (for example a directory every run of a controller sees), else a per-user
    directory in the temp directory."""
    return os.environ.get('ALERTOPS_CLAIMS_DIR') or os.path.join(tempfile.gettempdir(), 'alertops-claims-%d' % os.geteuid())


def _safe_directory(path):
    """Create ``path`` 0700 if missing; True when it is a real directory of ours that nobody else can write."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


class Claim:
    def __init__(self, ledger, fingerprint, offset, taken):
        self._ledger = ledger
        self._fingerprint = fingerprint
        self._offset = offset
        self.taken = taken

    def mark(self):
        """Record that this run made the change (other runs that wait for this key then see ``taken``)."""
        if self._ledger is not None:
            os.pwrite(self._ledger.fd, self._fingerprint, self._offset)


class Ledger:
    """The ledger of one platform and URL (see the module docstring). Thread safe; the file opens on first use."""

    def __init__(self, scope, directory=None, timeout=LOCK_TIMEOUT, platform=None):
        self.scope = scope
        self.platform = platform
        self.directory = directory or default_directory()
        self.timeout = timeout
        self.fd = None
        self.enabled = HAS_FCNTL
        self._lock = threading.Lock()

    @classmethod
    def disabled(cls):
        """A ledger that records nothing (every claim is free)."""
        ledger = cls('')
        ledger.enabled = False
        return ledger

    def _open(self):
        with self._lock:
            if self.fd is not None or not self.enabled:
                return
            if not _safe_directory(self.directory):
                self.enabled = False
                return
            name = hashlib.sha256(self.scope.encode('utf-8')).hexdigest()[:32] + '.ledger'
            try:
                fd = os.open(os.path.join(self.directory, name), os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0),
                             0o600)
            except OSError:
                self.enabled = False
                return
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                os.close(fd)
                self.enabled = False
                return
            self.fd = fd

    @staticmethod
    def _slot(key):
        digest = hashlib.sha256(key.encode('utf-8')).digest()
        return digest[:SLOT], (int.from_bytes(digest[SLOT:SLOT + 4], 'big') % SLOTS) * SLOT

    @contextlib.contextmanager
    def claim(self, key):
        """``with ledger.claim(key) as c:`` -> ``c.taken``, ``c.mark()``; the slot stays locked inside the block."""
        self._open()
        if self.fd is None:
            yield Claim(None, None, None, False)
            return
        fingerprint, offset = self._slot(key)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, SLOT, offset, os.SEEK_SET)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise errors.AlertOpsError(
                        'another run on this host has been writing the same object (%s) for %d s; nothing was sent'
                        % (key.split('|')[1] if '|' in key else key, self.timeout), platform=self.platform,
                        hint='Run again when the other run has finished')
                time.sleep(_POLL)
        try:
            taken = os.pread(self.fd, SLOT, offset) == fingerprint
            yield Claim(self, fingerprint, offset, taken)
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN, SLOT, offset, os.SEEK_SET)

    def close(self):
        with self._lock:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None
