# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded concurrency over one pooled session: writes on many objects run in one module process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, ValidationError

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
