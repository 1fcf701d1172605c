# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one pager. Each client describes its vendor's paging as ``fetch(cursor) -> (items, next_cursor)``
(a page number, a ``nextId``, a moving ``endTime``); this walks it to the end or to ``max_items``,
lazily, so callers can stream pages without holding them all."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils.errors import ResponseError, ValidationError

# A server that never stops answering "there is more" must not loop forever.
MAX_PAGES = 1000000


def check_max_items(value, option='max_items', platform=None):
    """None (no limit) or a whole number of at least 1; anything else fails naming the option."""
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number != value and str(number) != str(value).strip():
        raise ValidationError('option %s must be a whole number, got %r' % (option, value), platform=platform)
    if number < 1:
        raise ValidationError('option %s must be at least 1, got %s' % (option, number), platform=platform)
    return number


def iter_pages(fetch, first_cursor=None, max_items=None, platform=None, operation=None):
    """Yield each page's item list (cut to ``max_items`` in total). Stops when ``next_cursor`` is None.

    A cursor that repeats means the server is not moving forward: that is an error, never an endless loop.
    """
    cursor = first_cursor
    seen = set()
    taken = 0
    for _page in range(MAX_PAGES):
        items, next_cursor = fetch(cursor)
        if max_items is not None and taken + len(items) >= max_items:
            yield items[:max_items - taken]
            return
        taken += len(items)
        yield items
        if next_cursor is None:
            return
        key = repr(next_cursor)
        if key in seen:
            raise ResponseError('paging did not advance: the server returned the cursor %s twice' % key,
                                platform=platform, operation=operation)
        seen.add(key)
        cursor = next_cursor
    raise ResponseError('gave up after %d pages' % MAX_PAGES, platform=platform, operation=operation)


def iter_items(fetch, first_cursor=None, max_items=None, platform=None, operation=None):
    for page in iter_pages(fetch, first_cursor, max_items, platform, operation):
        yield from page
