# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded concurrency over one pooled session: writes on many objects run in one module process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, NotFoundError, ValidationError

MAX_CONCURRENCY = 64


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

    def guarded(item):
        try:
            return item, work(item), None
        except AlertOpsError as exc:
            return item, None, exc

    items = list(items)
    if concurrency == 1 or len(items) <= 1:
        return [guarded(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(items))) as pool:
        return list(pool.map(guarded, items))


def read_all(ids, read, concurrency, platform, noun='alert', option='id'):
    """``{id: read(id)}`` for every id, read with bounded concurrency, before anything is written.

    Unknown ids (NotFoundError) are collected and reported together as one ValidationError naming them all, so a
    typo in a list of ids fails the task with nothing changed; any other error is raised as it is.
    """
    found, unknown, vendor = {}, [], None
    for item, result, error in run_bounded(ids, read, concurrency):
        if isinstance(error, NotFoundError):
            unknown.append(item)
            vendor = vendor or error.vendor
        elif error is not None:
            raise error
        else:
            found[item] = result
    if unknown:
        raise ValidationError('option %s: no such %s: %s (nothing was changed)' % (option, noun, ', '.join(unknown)),
                              platform=platform, vendor=vendor)
    return found


def chunks(items, size):
    """``items`` in consecutive lists of at most ``size`` (vendor bulk endpoints cap the ids a call)."""
    items = list(items)
    return [items[n:n + size] for n in range(0, len(items), size)]
