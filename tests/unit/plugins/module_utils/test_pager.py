# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import pager
from ansible_collections.alertops.core.plugins.module_utils.errors import ResponseError


def numbered_pages(total, size):
    calls = []

    def fetch(cursor):
        page = cursor or 1
        calls.append(page)
        start = (page - 1) * size
        items = list(range(start, min(start + size, total)))
        return items, (page + 1 if start + size < total else None)
    return fetch, calls


def test_walks_every_page_once():
    fetch, calls = numbered_pages(25, 10)
    assert list(pager.iter_items(fetch)) == list(range(25))
    assert calls == [1, 2, 3]


def test_max_items_stops_early_and_cuts_the_last_page():
    fetch, calls = numbered_pages(25, 10)
    pages = list(pager.iter_pages(fetch, max_items=15))
    assert [len(p) for p in pages] == [10, 5]
    assert calls == [1, 2]


def test_max_items_on_a_page_boundary_fetches_no_extra_page():
    fetch, calls = numbered_pages(25, 10)
    assert sum(len(p) for p in pager.iter_pages(fetch, max_items=10)) == 10
    assert calls == [1]


def test_is_lazy():
    fetch, calls = numbered_pages(100, 10)
    pages = pager.iter_pages(fetch)
    next(pages)
    assert calls == [1]


def test_first_cursor():
    fetch, calls = numbered_pages(25, 10)
    assert list(pager.iter_items(fetch, first_cursor=3)) == list(range(20, 25))
    assert calls == [3]


def test_a_repeated_cursor_is_an_error_not_a_loop():
    with pytest.raises(ResponseError) as info:
        list(pager.iter_pages(lambda cursor: ([1], 'same'), platform='log360', operation='get job results'))
    assert 'did not advance' in str(info.value) and 'log360 get job results' in str(info.value)
