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
    evars = {'change_id': 'CHG-5001', 'hosts_in_scope': hosts[:2], 'destinations': three(sim)}
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
    check = play('mw_notify.yml', dict(evars, phase='end'), check=True)
    assert check.rc == 0, check.output[-4000:]
    assert 'CHG-5001 end: check mode, nothing sent; would tell ops-slack, ops-teams, ops-json' in check.output
    assert len(received(sim)) == 3
    end = play('mw_notify.yml', dict(evars, phase='end'))
    assert end.rc == 0, end
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
    assert 'CHG-5001 end: told nobody; not told ops-slack (already told' in again.output


def warnings_of(output):
    text = output.replace('\n', ' ')
    return [w.strip() for w in text.split('[WARNING]:')[1:]]


def test_endpoints_that_time_out_answer_500_or_invalid_payload_warn_and_the_change_completes(sim, play, tmp_path):
    sim.configure(variants={'notify_delay': 4})
    hosts = sim.control('mackerel', 'hosts')['hosts']
    notify = [{'name': 'slow', 'kind': 'webhook', 'url': hook(sim, 'webhook', 'slow'), 'timeout': 1},
              {'name': 'broken', 'kind': 'teams', 'url': hook(sim, 'teams', 'error')},
              {'name': 'picky', 'kind': 'slack', 'url': hook(sim, 'slack', 'invalid')},
              {'name': 'good', 'kind': 'slack', 'url': hook(sim, 'slack')}]
    evars = {'change_id': 'CHG-5002', 'hosts_in_scope': hosts[:2], 'destinations': notify}
    started = time.time()
    begin = play('mw_notify.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin.output[-5000:]
    assert time.time() - started < 30
    warned = ' '.join(warnings_of(begin.output))
    assert 'CHG-5002 begin: notifying slow (webhook, %s) failed:' % sim.url in warned
    assert 'no complete answer within timeout (1 s)' in warned
    assert 'CHG-5002 begin: notifying broken (teams, %s) failed:' % sim.url in warned and 'HTTP 500' in warned
    assert 'CHG-5002 begin: notifying picky (slack, %s) failed:' % sim.url in warned and 'invalid_payload' in warned
    assert 'The change is not affected' in warned
    assert state_of(tmp_path, 'CHG-5002')['lifecycle']['phase'] == 'begun'
    assert sorted(state_of(tmp_path, 'CHG-5002')['notifications']) == ['good']
    assert [r['behaviour'] for r in received(sim)] == ['slow', 'error', 'invalid', 'ok']

    end = play('mw_notify.yml', dict(evars, phase='end'))
    assert end.rc == 0, end
    assert state_of(tmp_path, 'CHG-5002')['lifecycle']['phase'] == 'ended'
    # a rerun of begin tries again only those not told
    again = play("mw_notify.yml", dict(evars, phase="begin"))
    assert again.rc != 0          # begin on an ended change is refused, and tells nobody
    assert [r['behaviour'] for r in received(sim)][4:] == ['slow', 'error', 'invalid', 'ok']


def test_a_required_destination_that_fails_fails_the_phase_after_its_work_is_recorded(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    notify = [{'name': 'pager', 'kind': 'webhook', 'url': hook(sim, 'webhook', 'error'), 'required': True},
              {'name': 'chat', 'kind': 'slack', 'url': hook(sim, 'slack'), 'events': ['end']}]
    evars = {'change_id': 'CHG-5003', 'hosts_in_scope': hosts[:2], 'destinations': notify}
    begin = play('mw_notify.yml', dict(evars, phase='begin'))
    assert begin.rc != 0
    assert 'Required destination(s) not told: pager' in begin.output
    assert state_of(tmp_path, 'CHG-5003')['lifecycle']['phase'] == 'begun'      # begin's work is recorded
    assert [r['kind'] for r in received(sim)] == ['webhook']                    # chat is told of end only
    raise_and_close_one(sim, hosts)
    end = play('mw_notify.yml', dict(evars, phase='end'))
    assert end.rc != 0
    assert state_of(tmp_path, 'CHG-5003')['lifecycle']['phase'] == 'ended'
    assert audit_of(tmp_path, 'CHG-5003')['counts']['closed'] == 4
    assert [r['kind'] for r in received(sim)] == ['webhook', 'webhook', 'slack']
    assert 'CHG-5003: change window ended' in received(sim)[2]['payload']['text']


def test_a_redirect_is_not_followed(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    notify = [{'name': 'moved', 'kind': 'slack', 'url': hook(sim, 'slack', 'redirect')},
              {'name': 'moved-json', 'kind': 'webhook', 'url': hook(sim, 'webhook', 'redirect')}]
    begin = play('mw_notify.yml', {'change_id': 'CHG-5004', 'hosts_in_scope': hosts[:2], 'destinations': notify,
                                   'phase': 'begin'})
    assert begin.rc == 0, begin
    assert [(r['behaviour'], r['status']) for r in received(sim)] == [('redirect', 307), ('redirect', 307)]
    warned = ' '.join(warnings_of(begin.output))
    assert 'notifying moved (slack, %s) failed: HTTP 307: the destination answered with a redirect, which is never followed' % sim.url in warned
    assert 'notifications' not in state_of(tmp_path, 'CHG-5004')


def fragments(secret, size=8):
    return set(secret[i:i + size] for i in range(len(secret) - size + 1))


def test_the_url_shows_in_no_output_at_vvvv_nor_in_the_state_or_the_audit(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    log = tmp_path / 'ansible.log'
    notify = [{'name': 'ok', 'kind': 'slack', 'url': hook(sim, 'slack')},
              {'name': 'down', 'kind': 'teams', 'url': hook(sim, 'teams', 'error')},
              {'name': 'moved', 'kind': 'webhook', 'url': hook(sim, 'webhook', 'redirect')},
              {'name': 'slow', 'kind': 'webhook', 'url': hook(sim, 'webhook', 'slow'), 'timeout': 1},
              {'name': 'must', 'kind': 'webhook', 'url': hook(sim, 'webhook', 'error'), 'required': True,
               'events': ['end']}]
    sim.configure(variants={'notify_delay': 3})
    evars = {'change_id': 'CHG-5005', 'hosts_in_scope': hosts[:2], 'destinations': notify}
    env = {'ANSIBLE_LOG_PATH': str(log)}
    outputs = [play('mw_notify.yml', dict(evars, phase='begin'), verbosity=4, env=env)]
    assert outputs[0].rc == 0, outputs[0]
    raise_and_close_one(sim, hosts)
    outputs.append(play('mw_notify.yml', dict(evars, phase='end'), verbosity=4, env=env))
    assert outputs[1].rc != 0                  # must is required
    assert 'Required destination(s) not told: must' in outputs[1].output
    bad = {'kind': 'slack', 'url': 'ftp://127.0.0.1/hooks/slack/ok/' + TOKEN}
    outputs.append(play('mw_notify.yml', dict(evars, change_id='CHG-5006', phase='begin', destinations=[bad]), verbosity=4,
                        env=env))
    assert outputs[2].rc != 0
    assert 'maintenance_window_notify[0]: url must start with https://' in outputs[2].output
    assert not (tmp_path / 'state' / 'CHG-5006.state.json').exists()      # refused before begin did anything
    texts = [o.output for o in outputs] + [log.read_text()]
    for path in sorted((tmp_path / 'state').iterdir()) + sorted((tmp_path / 'reports').iterdir()):
        if path.is_file():
            texts.append(path.read_text(errors='replace'))
    leaks = [(n, f) for n, text in enumerate(texts) for f in fragments(TOKEN) if f in text]
    assert leaks == []
    assert len(received(sim)) == 9             # begin: ok, down, moved, slow; end: the same and must


def test_cancel_tells_that_the_suppression_is_gone(sim, play, tmp_path):
    hosts = sim.control('mackerel', 'hosts')['hosts']
    notify = [{'name': 'ops', 'kind': 'webhook', 'url': hook(sim, 'webhook')}]
    evars = {'change_id': 'CHG-5007', 'hosts_in_scope': hosts[:2], 'destinations': notify, 'suppress': True}
    begin = play('mw_notify.yml', dict(evars, phase='begin'))
    assert begin.rc == 0, begin.output[-4000:]
    told = received(sim)[0]['payload']
    assert told['suppression']['in_place'] == state_of(tmp_path, 'CHG-5007')['suppression']['in_place'] != []
    assert told['suppression']['summary'].startswith('CHG-5007: suppression in place: Mackerel ')
    cancel = play('mw_notify.yml', dict(evars, phase='cancel'))
    assert cancel.rc == 0, cancel.output[-4000:]
    told = received(sim)[1]['payload']
    assert (told['event'], told['status'], told['title']) == ('cancel', 'ok', 'CHG-5007: change window cancelled')
    assert told['summary'] == 'CHG-5007: cancelled; suppression removed; nothing was closed'
    assert told['suppression']['in_place'] == [] and 'removed at ' in told['suppression']['summary']
    assert sorted(state_of(tmp_path, 'CHG-5007')['notifications']['ops']) == ['begin', 'cancel']


def test_plan_and_extend_tell_what_end_will_do_and_the_new_end_once(sim, play, tmp_path):
    details = sim.control('mackerel', 'host_status')['details']
    scope = [h['id'] for h in details if h['status'] == 'working'][:1]
    notify = [{'name': 'ops', 'kind': 'webhook', 'url': hook(sim, 'webhook')},
              {'name': 'approver', 'kind': 'teams', 'url': hook(sim, 'teams'), 'events': ['plan']}]
    evars = {'change_id': 'CHG-5008', 'hosts_in_scope': scope, 'destinations': notify, 'suppress': True,
             'suppress_duration': '1h'}
    assert play('mw_notify.yml', dict(evars, phase='begin')).rc == 0
    sim.control('opsramp', 'raise', {'device': 'web-01', 'resource_id': 'res-web-01', 'count': 2})
    time.sleep(1.05)
    planned = play('mw_notify.yml', dict(evars, phase='plan'))
    assert planned.rc == 0, planned.output[-4000:]
    assert [(r['kind'], (r['payload'].get('event') if r['kind'] == 'webhook' else None)) for r in received(sim)] == [
        ('webhook', 'begin'), ('webhook', 'plan'), ('teams', None)]
    told = received(sim)[1]['payload']
    assert told['title'] == 'CHG-5008: change window planned (for approval)'
    assert told['counts'] == {'to_close': 2, 'closed': 0, 'closed_by_others': 0, 'left_open': told['counts']['left_open']}
    assert told['summary'] in planned.output and 'plan: 2 alert(s) to close (opsramp 2)' in told['summary']
    assert told['audit']['json'] == str(tmp_path / 'state' / 'CHG-5008-plan.json')
    assert told['suppression']['summary'].startswith('Suppression to remove at end: Mackerel hosts in maintenance: %s'
                                                     % scope[0])
    card = received(sim)[2]['payload']['attachments'][0]['content']
    assert card['body'][1]['text'] == told['summary']

    extended = play('mw_notify.yml', dict(evars, phase='extend', suppress_duration='3h'))
    assert extended.rc == 0, extended.output[-4000:]
    told = received(sim)[3]['payload']
    record = state_of(tmp_path, 'CHG-5008')['suppression']
    assert (told['event'], told['extended']['to']) == ('extend', record['extended'][-1]['to'])
    assert told['summary'].startswith('CHG-5008: suppression extended to %s: ' % record['extended'][-1]['to'])
    assert told['summary'] in extended.output
    assert told['notes'] == [told['lines'][-1]] and 'Mackerel host maintenance has no end to move' in told['notes'][0]
    again = play('mw_notify.yml', dict(evars, phase='extend', suppress_duration='3h'))
    assert again.rc == 0 and len(received(sim)) == 4           # the same extension again: nobody told again
    end = play('mw_notify.yml', dict(evars, phase='end'))
    assert end.rc == 0, end.output[-4000:]
    told = received(sim)[4]['payload']
    assert (told['event'], told['counts']['closed']) == ('end', 2)
    assert len(received(sim)) == 5                              # the approver is told of the plan only
