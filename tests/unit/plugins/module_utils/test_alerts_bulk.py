# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.alertops.core.plugins.module_utils import alerts, bulk
from ansible_collections.alertops.core.plugins.module_utils.errors import NotFoundError, ValidationError


def test_make_alert_normalises_status_severity_and_times():
    alert = alerts.make_alert('mackerel', 42, False, 'CRITICAL', 'disk full', 'web-1', 1445399342, None, {'id': 42})
    assert alert == {'platform': 'mackerel', 'id': '42', 'status': 'open', 'severity': 'critical', 'title': 'disk full',
                     'source': 'web-1', 'opened_at': '2015-10-21T03:49:02Z', 'closed_at': None, 'raw': {'id': 42},
                     'close_reason': None, 'closed_by': None, 'acknowledged': False, 'host_id': None, 'monitor_id': None,
                     'state': None, 'healed': False, 'metric': None}
    closed = alerts.make_alert('opsramp', 'a', True, 'Ok', None, None, 1445399342000, 1445399400, {})
    assert closed['status'] == 'closed'
    assert closed['severity'] == 'info'
    assert closed['opened_at'] == '2015-10-21T03:49:02Z'
    assert closed['closed_at'] == '2015-10-21T03:50:00Z'
    assert sorted(closed) == sorted(alerts.FIELDS + alerts.EXTRA_FIELDS)
    why = alerts.make_alert('mackerel', 'x', True, 'OK', '', '', 1, 2, {}, close_reason='CHG-1: done', closed_by='me',
                            host_id='h1', monitor_id='m1')
    assert (why['close_reason'], why['closed_by'], why['host_id'], why['monitor_id']) == ('CHG-1: done', 'me', 'h1', 'm1')
    # an open alert has no close reason, whatever the vendor object still carries
    assert alerts.make_alert('mackerel', 'x', False, 'CRITICAL', '', '', 1, None, {}, close_reason='old')['close_reason'] is None


@pytest.mark.parametrize('word,expected', [('CRITICAL', 'critical'), ('Critical', 'critical'), ('trouble', 'warning'),
                                           ('WARNING', 'warning'), ('attention', 'info'), ('UNKNOWN', 'unknown'),
                                           (None, 'unknown'), ('weird', 'unknown')])
def test_severity_vocabulary(word, expected):
    assert alerts.normalise_severity(word) == expected


def test_run_bounded_keeps_order_and_limits_concurrency():
    in_flight = []
    peak = [0]
    lock = threading.Lock()

    def work(item):
        with lock:
            in_flight.append(item)
            peak[0] = max(peak[0], len(in_flight))
        time.sleep(0.01)
        with lock:
            in_flight.remove(item)
        if item == 3:
            raise NotFoundError('gone', 404)
        return item * 10

    results = bulk.run_bounded(range(20), work, concurrency=4)
    assert [r[0] for r in results] == list(range(20))
    assert [r[1] for r in results if r[0] != 3] == [i * 10 for i in range(20) if i != 3]
    assert isinstance(results[3][2], NotFoundError)
    assert 2 <= peak[0] <= 4


@pytest.mark.parametrize('bad', [0, -1, 65, None])
def test_run_bounded_rejects_bad_concurrency(bad):
    with pytest.raises(ValidationError, match='option concurrency must be between 1 and 64'):
        bulk.run_bounded([1], lambda x: x, bad)


def test_read_all_reports_every_unknown_id_at_once():
    def read(item):
        if item.startswith('x'):
            raise NotFoundError('not found', 404, vendor='Alert Not Found.')
        return {'id': item}

    assert bulk.read_all(['a', 'b'], read, 4, 'mackerel') == {'a': {'id': 'a'}, 'b': {'id': 'b'}}
    with pytest.raises(ValidationError) as err:
        bulk.read_all(['a', 'x1', 'b', 'x2'], read, 4, 'mackerel')
    assert str(err.value) == ('mackerel: option id: no such alert: x1, x2 (nothing was changed) '
                              '(server said: Alert Not Found.)')
