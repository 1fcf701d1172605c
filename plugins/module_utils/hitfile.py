# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security data on disk: hits streamed to a file (json, jsonl, csv), safely.

The rules, each with a table-driven unit test (tests/unit/plugins/module_utils/test_hitfile.py):

* ``dest`` must be a regular file or a missing path (a symbolic link is followed to a regular file); a directory,
  FIFO, socket, device or a link to one (or a dangling link) is refused before anything is fetched or written.
* New files are created 0600 (SIEM hits are security data); ``mode`` applies to new and existing files; without it
  an existing file keeps its permissions. Directories the collection creates are 0700 (``DIR_MODE``).
* CSV cells (header cells too) that a spreadsheet would read as a formula (they start with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) get a leading ``'``; a negative number is such a cell too (``-5`` -> ``'-5``).
  JSON and JSONL values are written unchanged.
* The content goes to a temp file beside ``dest`` (0600) that is renamed into place at the end; every exit path this
  process controls (an exception, fail_json, SIGTERM/SIGINT/SIGHUP) removes it. Check mode writes nothing at all:
  the new content is compared with the existing file through a digest, as it streams.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import io
import json
import os
import signal
import stat
import tempfile
import threading

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

FORMATS = ('json', 'jsonl', 'csv')
FILE_MODE = 0o600
DIR_MODE = 0o700
# A cell that starts with one of these is a formula (or becomes one) in Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ('=', '+', '-', '@', '\t', '\r')
_CHUNK = 1 << 20
_SIGNALS = tuple(getattr(signal, name) for name in ('SIGTERM', 'SIGINT', 'SIGHUP') if hasattr(signal, name))


def neutralise(text):
    """A CSV cell text that no spreadsheet evaluates: ``'`` before a leading ``= + - @``, tab or CR."""
    if text and text[0] in FORMULA_PREFIXES:
        return "'" + text
    return text


def csv_cell(value):
    """The CSV text of one hit value: nested values as JSON, booleans as true/false, formulas neutralised."""
    if value is None:
        return ''
    if isinstance(value, (dict, list)):
        text = json.dumps(value, sort_keys=True)
    elif isinstance(value, bool):
        text = 'true' if value else 'false'
    else:
        text = to_text(value)
    return neutralise(text)


def csv_line(cells):
    """One CSV record (RFC 4180 quoting, ``\\n`` line end). A cell holding a quote, a comma, CR or LF is quoted;
    Python's csv writer leaves a lone CR unquoted when the line terminator is ``\\n``, which would split the row."""
    out = []
    for cell in cells:
        if any(c in cell for c in ',"\r\n'):
            cell = '"%s"' % cell.replace('"', '""')
        out.append(cell)
    if out == ['']:
        out = ['""']  # one empty cell: not an empty line
    return u','.join(out) + u'\n'


def parse_mode(value, option='mode'):
    """``'0640'``, ``'640'``, ``0o640`` or 416 -> 0o640; None stays None."""
    if value is None or value == '':
        return None
    try:
        mode = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip(), 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o7777:
        raise ValidationError('option %s must be an octal number such as 0600, got %r' % (option, value))
    return mode


def _kind(st_mode):
    for test, name in ((stat.S_ISDIR, 'a directory'), (stat.S_ISFIFO, 'a FIFO (named pipe)'),
                       (stat.S_ISSOCK, 'a socket'), (stat.S_ISCHR, 'a character device'),
                       (stat.S_ISBLK, 'a block device')):
        if test(st_mode):
            return name
    return 'not a regular file'


def check_dest(dest, option='dest'):
    """The path to write: ``dest`` itself, or the regular file a symbolic link points to.

    Raises ValidationError for anything but a regular file or a missing path, and when the directory is missing.
    """
    if not dest or not str(dest).strip():
        raise ValidationError('option %s must not be empty' % option)
    path = os.path.abspath(dest)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ValidationError('option %s: cannot inspect %s: %s' % (option, dest, exc.strerror or exc))
    if info is not None and stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        try:
            target_info = os.stat(target)
        except OSError:
            raise ValidationError('option %s: %s is a symbolic link to a missing path (%s); give a regular file'
                                  % (option, dest, target))
        if not stat.S_ISREG(target_info.st_mode):
            raise ValidationError('option %s: %s is a symbolic link to %s (%s); only a regular file or a missing path '
                                  'can be written' % (option, dest, _kind(target_info.st_mode), target))
        return target
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ValidationError('option %s: %s is %s; only a regular file or a missing path can be written'
                              % (option, dest, _kind(info.st_mode)))
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise ValidationError('option %s: the directory %s does not exist' % (option, directory))
    return path


class _Digest:
    """A text sink that only counts and hashes (check mode writes nothing)."""

    closed = False

    def __init__(self):
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, text):
        data = text.encode('utf-8')
        self.hash.update(data)
        self.size += len(data)

    def close(self):
        self.closed = True


def _file_digest(handle, size=None):
    digest, left = hashlib.sha256(), size
    while left is None or left > 0:
        chunk = handle.read(_CHUNK if left is None else min(_CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        if left is not None:
            left -= len(chunk)
    return digest.hexdigest()


class HitFile:
    """Streams hits into ``dest`` (see the module docstring); use as a context manager.

    ``write(hits)`` per page, then ``commit()`` -> changed. Leaving the ``with`` block removes whatever temp file is
    left, whatever happened (and SIGTERM/SIGINT/SIGHUP become an exception while the block runs, so a killed run
    cleans up too).
    """

    def __init__(self, dest, fmt, mode=None, check_mode=False):
        if fmt not in FORMATS:
            raise ValidationError('option format must be one of %s, got %r' % (', '.join(FORMATS), fmt))
        self.dest = dest
        self.path = check_dest(dest)
        self.fmt = fmt
        self.mode = mode
        self.check_mode = check_mode
        self.count = 0
        self.columns = []
        self._index = {}
        self.temp = None
        self.body_temp = None
        self.handle = None
        self.body = None
        self._previous_handlers = {}

    # -- lifecycle ------------------------------------------------------------------------------------------
    def __enter__(self):
        self._trap_signals()
        try:
            self._open()
        except BaseException:
            self.discard()
            raise
        return self

    def __exit__(self, *exc_info):
        self.discard()
        return False

    def _trap_signals(self):
        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum, _frame):
            raise SystemExit(128 + signum)

        for signum in _SIGNALS:
            try:
                self._previous_handlers[signum] = signal.signal(signum, stop)
            except (OSError, ValueError):
                pass

    def _restore_signals(self):
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._previous_handlers = {}

    def _mkstemp(self, suffix):
        directory = os.path.dirname(self.path)
        fd, path = tempfile.mkstemp(dir=directory, prefix='.%s.' % os.path.basename(self.path), suffix=suffix)
        return io.open(fd, 'w', encoding='utf-8', newline=''), path

    def _open(self):
        if self.check_mode:
            self.handle = _Digest()
            self.body = _Digest() if self.fmt == 'csv' else None
        else:
            self.handle, self.temp = self._mkstemp('.tmp')
            if self.fmt == 'csv':
                # rows first: the header (every key seen, in order) is known only at the end
                self.body, self.body_temp = self._mkstemp('.rows.tmp')
        if self.fmt == 'json':
            self.handle.write(u'[')

    # -- content --------------------------------------------------------------------------------------------
    def write(self, hits):
        for hit in hits:
            if self.fmt == 'csv':
                for key in hit:
                    if key not in self._index:
                        self._index[key] = len(self.columns)
                        self.columns.append(key)
                row = [''] * len(self.columns)
                for key, value in hit.items():
                    row[self._index[key]] = csv_cell(value)
                self.body.write(csv_line(row))
            elif self.fmt == 'json':
                self.handle.write((u'\n' if self.count == 0 else u',\n') + to_text(json.dumps(hit, sort_keys=True)))
            else:
                self.handle.write(to_text(json.dumps(hit, sort_keys=True)) + u'\n')
            self.count += 1

    def _header(self):
        return csv_line([neutralise(to_text(c)) for c in self.columns]) if self.columns else u''

    def _finish(self):
        if self.fmt == 'json':
            self.handle.write(u'\n]\n' if self.count else u']\n')
        elif self.fmt == 'csv':
            self.body.close()
            self.handle.write(self._header())
            if not self.check_mode:
                with io.open(self.body_temp, 'r', encoding='utf-8', newline='') as rows:
                    while True:
                        chunk = rows.read(_CHUNK)
                        if not chunk:
                            break
                        self.handle.write(chunk)
                os.unlink(self.body_temp)
                self.body_temp = None
        self.handle.close()

    def _same_content(self):
        """True when the existing file holds exactly the new content."""
        if not os.path.isfile(self.path):
            return False
        if not self.check_mode:
            with open(self.temp, 'rb') as new, open(self.path, 'rb') as old:
                if os.fstat(new.fileno()).st_size != os.fstat(old.fileno()).st_size:
                    return False
                while True:
                    a, b = new.read(_CHUNK), old.read(_CHUNK)
                    if a != b:
                        return False
                    if not a:
                        return True
        head = self.handle
        size = head.size + (self.body.size if self.body is not None else 0)
        with open(self.path, 'rb') as old:
            if os.fstat(old.fileno()).st_size != size:
                return False
            if self.body is None:
                return _file_digest(old) == head.hash.hexdigest()
            if _file_digest(old, head.size) != head.hash.hexdigest():
                return False
            return _file_digest(old) == self.body.hash.hexdigest()

    def commit(self):
        """Finish the content; put it in place unless nothing changed (and nothing at all in check mode).

        Returns True when the file (content or mode) changed, or would change in check mode.
        """
        self._finish()
        exists = os.path.isfile(self.path)
        current_mode = stat.S_IMODE(os.stat(self.path).st_mode) if exists else None
        if exists:
            wanted_mode = self.mode if self.mode is not None else current_mode
        else:
            wanted_mode = self.mode if self.mode is not None else FILE_MODE
        if self._same_content():
            if wanted_mode == current_mode:
                return False
            if not self.check_mode:
                os.chmod(self.path, wanted_mode)
            return True
        if not self.check_mode:
            os.chmod(self.temp, wanted_mode)
            os.replace(self.temp, self.path)
            self.temp = None
        return True

    def discard(self):
        for handle in (self.handle, self.body):
            if handle is not None and not handle.closed:
                handle.close()
        for path in (self.temp, self.body_temp):
            if path:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
        self.temp = self.body_temp = None
        self._restore_signals()
