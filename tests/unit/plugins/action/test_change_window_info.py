# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alertops.core.change_window_info on the file store: a change's state, phase and audit read back, the HTML
written to a path (not in check mode), an unknown change found=false, and the failures that name what is missing.
The postgresql store is read the same way through tests/integration/test_state_store_pg.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle as lc
from ansible_collections.alertops.core.plugins.plugin_utils.state_store import StateStore

BEGIN = 1700000000


def recorded(tmp_path, change_id='CHG-7', audit=True):
    store = StateStore(str(tmp_path / 'state'), change_id)
    state = lc.advance(cw.new_state(change_id, BEGIN, ['mackerel'], {'mackerel_host_ids': ['h1']}, False, {}),
                       'begun', BEGIN)
    store.write(state)
    if audit:
        store.write_audit('json', json.dumps({'change_id': change_id, 'closed': [{'platform': 'mackerel', 'id': 'a1'}]}),
                          str(tmp_path / 'reports'))
        store.write_audit('html', '<html>CHG report</html>', str(tmp_path / 'reports'))
    return state


def args(tmp_path, **extra):
    values = {'change_id': 'CHG-7', 'state_dir': str(tmp_path / 'state'), 'report_dir': str(tmp_path / 'reports')}
    values.update(extra)
    return values


def test_reads_state_phase_and_audit_and_writes_the_html(run_action, tmp_path):
    recorded(tmp_path)
    dest = tmp_path / 'out' / 'CHG-7.html'
    result = run_action('change_window_info', args(tmp_path, html_dest=str(dest)))
    assert result.get('failed') is not True, result
    assert (result['found'], result['phase'], result['state']['change_id']) == (True, 'begun', 'CHG-7')
    assert result['audit']['closed'] == [{'platform': 'mackerel', 'id': 'a1'}]
    assert result['store'] == str(tmp_path / 'state' / 'CHG-7.state.json')
    assert result['changed'] is True and dest.read_text() == '<html>CHG report</html>'
    assert oct(os.stat(str(dest)).st_mode & 0o777) == '0o640'
    again = run_action('change_window_info', args(tmp_path, html_dest=str(dest)))
    assert again['changed'] is False


def test_check_mode_writes_no_html(run_action, tmp_path):
    recorded(tmp_path)
    dest = tmp_path / 'CHG-7.html'
    result = run_action('change_window_info', args(tmp_path, html_dest=str(dest)), check=True)
    assert result['changed'] is True and not dest.exists()


def test_an_unknown_change_is_not_found(run_action, tmp_path):
    result = run_action('change_window_info', args(tmp_path, change_id='CHG-404'))
    assert (result['found'], result['phase'], result['state'], result['audit']) == (False, None, None, None)
    assert result['msg'] == 'change CHG-404 has no recorded state in %s' % (tmp_path / 'state' / 'CHG-404.state.json')


def test_html_of_a_change_without_a_report_fails_naming_it(run_action, tmp_path):
    recorded(tmp_path, audit=False)
    dest = tmp_path / 'CHG-7.html'
    result = run_action('change_window_info', args(tmp_path, html_dest=str(dest)))
    assert result['failed'] is True
    assert 'change CHG-7 has no HTML audit report in' in result['msg'] and '(phase begun)' in result['msg']
    assert not dest.exists()


def test_a_bad_change_id_and_store_fail_naming_the_option(run_action, tmp_path):
    bad = run_action('change_window_info', args(tmp_path, change_id='../x'))
    assert bad['failed'] is True and 'change' in bad['msg'].lower()
    wrong = run_action('change_window_info', args(tmp_path, state_store='sqlite'))
    assert wrong['failed'] is True and 'state_store' in wrong['msg']
