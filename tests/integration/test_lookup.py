# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alerts lookup through a real playbook: every platform, one shape, the minimum number of requests."""

from __future__ import absolute_import, division, print_function


def test_lookup_every_platform_one_shape_minimum_requests(sim, play):
    state = sim.control('mackerel', 'alerts')['alerts']
    total = len(state)
    open_count = len([a for a in state if a['status'] != 'OK'])
    result = play('lookup_alerts.yml', {'mackerel_open': open_count, 'mackerel_total': total})
    assert result.rc == 0, result
    listings = [r for r in sim.requests(platform='mackerel', method='GET') if r['path'] == '/api/v0/alerts']
    # open listing + with_closed listing + max_items=2 (one page), each page <= 100
    assert len(listings) == -(-open_count // 100) + -(-total // 100) + 1
    # the Log360 lookup submitted one search and deleted its job
    assert len(sim.requests(platform='log360', method='POST', path='/api/v2/alerts/async')) == 1
    assert len(sim.requests(platform='log360', method='DELETE')) == 1
    assert [r for r in sim.requests() if r['method'] in ('PUT', 'DELETE') and r['platform'] != 'log360'] == []
