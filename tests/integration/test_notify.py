# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Notifications of the maintenance_window role (maintenance_window_notify, alertops.core.change_window_notify)
through real ansible-playbook runs against the simulator, whose receiver (tests/simulator/notify.py) plays Slack,
Microsoft Teams and a generic JSON endpoint: what each destination received at begin and end, a rerun that sends
nothing, an endpoint that times out, answers 500 or redirects (warned, never followed, the change completes), a
required destination that fails the phase after its work is recorded, and a webhook URL (a token in its path) that
shows in no output at -vvvv, nor in the state file or the audit."""

from __future__ import absolute_import, division, print_function

import json
import time

TOKEN = 'T0NOTIFY/B0NOTIFY/zq8WbV3kR7xY2mN5pL9sD4fH'   # the secret part of the URL, as in a Slack webhook


def hook(sim, kind, behaviour='ok', token=TOKEN):
    return '%s/hooks/%s/%s/%s' % (sim.url, kind, behaviour, token)


def received(sim, kind=None, behaviour=None):
    out = sim.control('notify', 'received')['received']
    return [r for r in out if (kind is None or r['kind'] == kind) and (behaviour is None or r['behaviour'] == behaviour)]


def state_of(tmp_path, change_id):
    return json.loads((tmp_path / 'state' / ('%s.state.json' % change_id)).read_text())


def audit_of(tmp_path, change_id):
    return json.loads((tmp_path / 'reports' / ('%s-audit.json' % change_id)).read_text())


def raise_and_close_one(sim, hosts):
    """3 Mackerel alerts on hosts[0] in the window, one of them closed by someone else; 2 OpsRamp alerts on web-01."""
    made = [a['id'] for a in sim.control('mackerel', 'raise', {'count': 3, 'host_id': hosts[0]})['alerts']]
    sim.control('mackerel', 'close', {'id': made[0], 'reason': 'INC-9: fixed by hand'})
    sim.control('opsramp', 'raise', {'count': 2, 'device': 'web-01', 'resource_id': 'res-web-01'})
    time.sleep(1.05)      # the window is [begin, end) to the second
    return made


def three(sim):
    return [{'name': 'ops-slack', 'kind': 'slack', 'url': hook(sim, 'slack')},
            {'name': 'ops-teams', 'kind': 'teams', 'url': hook(sim, 'teams')},
            {'name': 'ops-json', 'kind': 'webhook', 'url': hook(sim, 'webhook')}]


def test_begin_and_end_tell_every_destination_the_console_numbers_and_a_rerun_tells_nobody(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    evars = {'change_id': 'CHG-5001', 'hosts_in_scope': hosts[:2], 'notify': three(sim)}
    begin = play('mw_notify.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin
    got = received(sim)
    assert [(r['kind'], r['status']) for r in got] == [('slack', 200), ('teams', 202), ('webhook', 200)]
    generic = got[2]['payload']
    assert generic['event'] == 'begin' and generic['change_id'] == 'CHG-5001'
    state = state_of(tmp_path, 'CHG-5001')
    assert generic['counts']['baseline'] == dict((p, len(ids)) for p, ids in state['baseline'].items())
    assert generic['summary'].startswith('CHG-5001 begins at %s; baseline: ' % state['begin_at'])

    raise_and_close_one(sim, hosts)
    sim.control('notify', 'received')
    end = play('mw_notify.yml', dict(evars, phase='end'))
    assert end.rc == 0, end
    got = [r for r in received(sim) if (r['payload'] or {}).get('event') == 'end' or r['kind'] != 'webhook']
    ends = received(sim)[3:]
    assert [(r['kind'], r['status']) for r in ends] == [('slack', 200), ('teams', 202), ('webhook', 200)]
    audit = audit_of(tmp_path, 'CHG-5001')
    generic = ends[2]['payload']
    assert generic['event'] == 'end' and generic['status'] == 'ok'
    assert generic['counts']['closed'] == audit['counts']['closed'] == 4        # 2 Mackerel + 2 OpsRamp
    assert generic['counts']['closed_by_others'] == audit['counts']['closed_by_others'] == 1
    assert generic['counts']['left_open'] == audit['counts']['left_open']
    assert generic['left_open_by_reason'] == dict((g['why'], g['count']) for g in audit['left_open_groups'])
    summary = [line for line in end.output.splitlines() if 'alert(s) closed by this change' in line][0]
    assert generic['summary'] in summary                   # the console's words, word for word
    assert '4 alert(s) closed by this change; 1 closed by others in the window;' in generic['summary']
    assert generic['audit']['json'] == str(tmp_path / 'reports' / 'CHG-5001-audit.json')
    slack = ends[0]['payload']
    assert slack['text'].split('\n')[0] == 'CHG-5001: change window ended'
    assert generic['summary'] in slack['text']
    card = ends[1]['payload']['attachments'][0]['content']
    assert card['type'] == 'AdaptiveCard' and card['body'][1]['text'] == generic['summary']
    recorded = state_of(tmp_path, 'CHG-5001')['notifications']
    assert sorted(recorded) == ['ops-json', 'ops-slack', 'ops-teams']
    assert sorted(recorded['ops-slack']) == ['begin', 'end']

    again = play('mw_notify.yml', dict(evars, phase='end'))
    assert again.rc == 0, again
    assert len(received(sim)) == 6                           # nothing sent again
    assert 'CHG-5001 end: told nobody; skipped ops-slack (already told' in again.output
