# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk reads and writes over one pooled session: many objects in one module process.

``sync`` is the one shape of an idempotent bulk write (in the spirit of sensu.sensu_go's ``utils.sync``): the client
gives the current objects, what each one needs (``desired``), how to write one (``write``) and how to read one again
(``reread``); ``sync`` plans, honours check mode, writes with bounded concurrency (the first write alone, nothing more
after a 401/403), makes every write exactly once when an outcome is unknown, and returns per-item results and the
diff. The vendor rules (what a change is, which answers prove it) stay in the client that passes the functions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.alertops.core.plugins.module_utils import errors
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, NotFoundError, ValidationError
from ansible_collections.alertops.core.plugins.module_utils.errors import current_platform, platform_scope

MAX_CONCURRENCY = 64
# a write whose outcome stays unknown is checked and sent again at most this often (clients may pass more)
ROUNDS = 4
# a credential that may not write fails once, not once per object: nothing more is sent after one of these
AUTH_FAILURES = (errors.AuthenticationError, errors.PermissionDeniedError)


def check_concurrency(concurrency):
    if concurrency is None or not 1 <= int(concurrency) <= MAX_CONCURRENCY:
        raise ValidationError('option concurrency must be between 1 and %d, got %s' % (MAX_CONCURRENCY, concurrency))
    return int(concurrency)


def run_bounded(items, work, concurrency):
    """Run ``work(item)`` for every item with at most ``concurrency`` in flight; results keep the input order.

    Every item is attempted even when some fail; the results are ``(item, result, error)`` so the caller can
    report per-item outcomes and fail the task with everything that did happen.
    """
    concurrency = check_concurrency(concurrency)
    platform = current_platform()   # the workers run in the caller's platform scope

    def guarded(item):
        try:
            with platform_scope(platform):
                return item, work(item), None
        except AlertOpsError as exc:
            return item, None, exc

    items = list(items)
    if concurrency == 1 or len(items) <= 1:
        return [guarded(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(items))) as pool:
        return list(pool.map(guarded, items))


def read_all(ids, read, concurrency, platform=None, noun='alert', option='id'):
    """``{id: read(id)}`` for every id, read with bounded concurrency, before anything is written.

    Unknown ids (NotFoundError) are collected and reported together as one ValidationError naming them all, so a
    typo in a list of ids fails the task with nothing changed; any other error is raised as it is.
    """
    found, missing = {}, {}
    for item, result, error in run_bounded(ids, read, concurrency):
        if isinstance(error, NotFoundError):
            missing[item] = error.vendor
        elif error is not None:
            raise error
        else:
            found[item] = result
    # in the order given, whatever order the reads finished in: the same message on every run
    unknown = [i for i in dict.fromkeys(ids) if i in missing]
    vendor = next((missing[i] for i in unknown if missing[i]), None)
    if unknown:
        raise ValidationError('option %s: no such %s: %s (nothing was changed)' % (option, noun, ', '.join(unknown)),
                              platform=platform, vendor=vendor)
    return found


def chunks(items, size):
    """``items`` in consecutive lists of at most ``size`` (vendor bulk endpoints cap the ids a call)."""
    items = list(items)
    return [items[n:n + size] for n in range(0, len(items), size)]


class Unconfirmed(errors.ResponseError):
    """A write was answered, but the answer does not show it done: what the server holds now decides."""


def unknown_outcome(exc):
    """True when a write may or may not have happened: sent without an answer, a 2xx answer that cannot be read, or
    an answer that does not show the change (Unconfirmed)."""
    if isinstance(exc, (errors.OutcomeUnknownError, Unconfirmed)):
        return True
    return isinstance(exc, errors.ResponseError) and exc.status is not None and 200 <= exc.status < 300


class Change:
    """What one object needs. ``after`` is the object as it will be once written (the client's prediction, what check
    mode shows); ``parts`` names the writes that make it (``('memo', 'close')``), so a result can say which were made."""

    __slots__ = ('after', 'parts')

    def __init__(self, after, parts=('write',)):
        self.after = after
        self.parts = tuple(parts)


def _all_parts(_current, change):
    return change.parts


def write_once(obj, change, write, reread=None, done=None, credit=None, claim=None, rounds=ROUNDS):
    """Make ``change`` on ``obj`` exactly once: ``(after, parts)``, ``parts`` being the writes this run made.

    ``write(obj, change) -> (after, parts)`` sends the writes ``obj`` (the latest known state) still needs. When its
    outcome is unknown (``unknown_outcome``) the object is read again (``reread(obj)``): ``done(current, change)``
    means it is made, and ``credit(current, change)`` says which parts this run may count (default: all of them);
    otherwise the write goes out again, at most ``rounds`` times in all, then the last error is raised.
    ``claim(obj, change)`` (optional) returns the host ledger's claim (claims.py) for the change, or None: a change
    another run of this host already made is read, not written, and reported unchanged.
    """
    credit = credit or _all_parts
    context = claim(obj, change) if claim is not None else None
    if context is None:
        return _rounds(obj, change, write, reread, done, credit, rounds)
    with context as ledger:
        if ledger.taken:
            current = reread(obj)
            if done(current, change):
                return current, ()
            obj = current
        after, parts = _rounds(obj, change, write, reread, done, credit, rounds)
        if parts:
            ledger.mark()
        return after, parts


def _rounds(obj, change, write, reread, done, credit, rounds):
    last = None
    for _round in range(rounds):
        try:
            after, parts = write(obj, change)
        except AlertOpsError as exc:
            if reread is None or not unknown_outcome(exc):
                raise
            last = exc
            obj = reread(obj)   # what the server holds now tells whether the write happened
            if done(obj, change):
                return obj, tuple(credit(obj, change))
            continue
        if last is not None:    # an earlier round was lost: count what the server shows, not this round's answer
            parts = credit(after, change)
        return after, tuple(parts)
    raise last


def partial_failure(failures, total, changed, what, platform=None, details=None):
    """The error of a bulk write some objects of which failed: ``<n> of <total> <what> (<changed> changed); first
    failure: <first>``, with the results so far as ``details`` (and the first failure's HTTP status, if any)."""
    first = failures[0]
    details = details if details is not None else {}
    if getattr(first, 'status', None) is not None:
        details['status'] = first.status
    return AlertOpsError('%d of %d %s (%d changed); first failure: %s' % (len(failures), total, what, changed, first),
                         platform=platform, details=details)


class Synced:
    """What ``sync`` did. ``items``: one dict per object, in input order, with ``key``, ``before`` (the object as
    read), ``after`` (as written, predicted in check mode, or ``before`` when nothing changed or it failed),
    ``changed``, ``parts`` (the writes made), ``change`` (the planned Change or None) and ``error`` (None or the
    AlertOpsError of that object)."""

    def __init__(self, items):
        self.items = items

    @property
    def todo(self):
        """How many objects needed a write."""
        return sum(1 for i in self.items if i['change'] is not None)

    @property
    def changed(self):
        return any(i['changed'] for i in self.items)

    @property
    def failures(self):
        return [i['error'] for i in self.items if i['error'] is not None]

    def diff(self, view=None):
        """``{'before': {key: view(before)}, 'after': {key: view(after)}}`` of the changed objects."""
        view = view or (lambda obj: obj)
        changed = [i for i in self.items if i['changed']]
        return {'before': dict((i['key'], view(i['before'])) for i in changed),
                'after': dict((i['key'], view(i['after'])) for i in changed)}


def sync(objects, desired, write, reread=None, done=None, credit=None, claim=None, check_mode=False, concurrency=8,
         key=None, rounds=ROUNDS, platform=None):
    """Bring every object of ``objects`` (current state, in order) to what ``desired(obj)`` asks; returns Synced.

    ``desired(obj)`` is None when the object is as wanted, else a Change (an AlertOpsError it raises is that object's
    error: nothing is sent for it). In check mode nothing is sent and each Change's ``after`` is the result. Otherwise
    every object with a Change is written through ``write_once`` (see there for ``write``, ``reread``, ``done``,
    ``credit``, ``claim``, ``rounds``): the first alone (a credential without write permission fails there, before
    anything else is sent), the rest with at most ``concurrency`` in flight. After a 401/403 nothing further is sent:
    the objects not yet written fail with "not attempted". ``key(obj)`` names an object (default ``obj['id']``).
    """
    key = key or (lambda obj: obj['id'])
    items = [_plan(obj, desired, key) for obj in objects]
    todo = [i for i in items if i['change'] is not None]
    if check_mode:
        for item in todo:
            item.update(after=item['change'].after, changed=True, parts=item['change'].parts)
    else:
        _write_all(todo, lambda obj, change: write_once(obj, change, write, reread, done, credit, claim, rounds),
                   concurrency, platform)
    return Synced(items)


def _plan(obj, desired, key):
    item = dict(key=key(obj), before=obj, after=obj, changed=False, parts=(), change=None, error=None)
    try:
        item['change'] = desired(obj)
    except AlertOpsError as exc:
        item['error'] = exc
    return item


def _write_all(todo, write, concurrency, platform):
    """``write(obj, change)`` for every item: the first alone, the rest ``concurrency`` at a time, none after a
    401/403; the outcome goes into each item."""
    stop = threading.Event()

    def work(item):
        if stop.is_set():
            raise AlertOpsError('not attempted after an earlier authorization failure', platform=platform)
        try:
            return write(item['before'], item['change'])
        except AUTH_FAILURES:
            stop.set()
            raise

    for item, outcome, error in run_bounded(todo[:1], work, 1) + run_bounded(todo[1:], work, concurrency):
        if error is not None:
            item['error'] = error
        else:
            item.update(after=outcome[0], parts=outcome[1], changed=bool(outcome[1]))
