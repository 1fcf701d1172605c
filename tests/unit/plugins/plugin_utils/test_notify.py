# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The notification decisions (plugins/plugin_utils/notify.py), one table per rule: the destinations' check (messages
never quote a URL), what each event tells from the phase's results, the payload per kind (accepted by the simulator's
receivers, which are as strict as Slack and Teams), what a rerun sends, how an answer is read, what of a URL is
masked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.alertops.core.plugins.module_utils import errors
from ansible_collections.alertops.core.plugins.plugin_utils import notify

SIM_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'simulator'))
if SIM_DIR not in sys.path:
    sys.path.append(SIM_DIR)

import notify as receiver  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order

TOKEN = 'zq8WbV3kR7xY2mN5pL9sD4fH'
SLACK = 'https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/' + TOKEN
TEAMS = ('https://prod-12.westeurope.logic.azure.com:443/workflows/0f8e3c1d2b4a49c6a7e5d3b1c9f0e2a4/triggers/manual/'
         'paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=' + TOKEN)
LEGACY_TEAMS = ('https://contoso.webhook.office.com/webhookb2/1c8b2f3e-4d5a-4b6c-9e7f-8a9b0c1d2e3f@'
                'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/IncomingWebhook/' + TOKEN + '/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9')


def dest(**kwargs):
    return dict({'kind': 'slack', 'url': SLACK}, **kwargs)


BAD = [   # (maintenance_window_notify, the message)
    ('https://hooks.slack.com/x', 'must be a list of destinations'),
    (['https://hooks.slack.com/x'], 'maintenance_window_notify[0] must be a dict'),
    ([dest(channel='#ops')], 'maintenance_window_notify[0]: unknown field(s) channel; a destination has name, kind'),
    ([dest(kind='discord')], "maintenance_window_notify[0]: kind must be one of slack, teams, webhook, got 'discord'"),
    ([dest(url=None)], 'maintenance_window_notify[0]: url is required'),
    ([dest(url='ftp://hooks.slack.com/services/' + TOKEN)], 'url must start with https:// (or http://)'),
    ([dest(url=' ' + SLACK)], 'url contains blanks'),
    ([dest(url='https:///services/' + TOKEN)], 'url has no host name'),
    ([dest(url='https://hooks.slack.com:0/' + TOKEN)], 'url has an invalid port'),
    ([dest(name='ops chat')], 'maintenance_window_notify[0] (ops chat): name must match'),
    ([dest(name='ops'), dest(name='ops', kind='teams')], 'maintenance_window_notify[1] (ops): name ops is given twice'),
    ([dest(), dest(name='slack-1')], 'name slack-1 is given twice'),
    ([dest(timeout=0)], 'timeout must be a number of seconds greater than 0 and at most 120, got 0'),
    ([dest(timeout=121)], 'at most 120, got 121'),
    ([dest(timeout='soon')], "got 'soon'"),
    ([dest(timeout=True)], 'got True'),
    ([dest(events=['begin', 'finish'])], "events must be a list of begin, extend, plan, end, cancel, got ['begin', 'finish']"),
    ([dest(required='maybe')], "required must be true or false, got 'maybe'"),
]


@pytest.mark.parametrize('value,message', BAD)
def test_bad_destinations_name_the_option_and_never_the_url(value, message):
    with pytest.raises(notify.NotifyError) as caught:
        notify.check_destinations(value)
    assert message in str(caught.value)
    assert TOKEN[:8] not in str(caught.value) and 'hooks.slack.com' not in str(caught.value)


GOOD = [   # (maintenance_window_notify, [(name, kind, required, timeout, events)])
    (None, []),
    ([], []),
    ([dest()], [('slack-1', 'slack', False, 10.0, list(notify.EVENTS))]),
    ([dest(), dest(kind='teams', url=TEAMS), dest()],
     [('slack-1', 'slack', False, 10.0, list(notify.EVENTS)), ('teams-1', 'teams', False, 10.0, list(notify.EVENTS)),
      ('slack-2', 'slack', False, 10.0, list(notify.EVENTS))]),
    ([dest(name='pager', kind='webhook', required='yes', timeout='2.5', events='end')],
     [('pager', 'webhook', True, 2.5, ['end'])]),
    ([dest(events=['end', 'begin', 'end'], required=False)], [('slack-1', 'slack', False, 10.0, ['begin', 'end'])]),
    (dest(kind='teams', url=LEGACY_TEAMS), [('teams-1', 'teams', False, 10.0, list(notify.EVENTS))]),
]


@pytest.mark.parametrize('value,expected', GOOD)
def test_destinations_are_normalised(value, expected):
    got = notify.check_destinations(value)
    assert [(d['name'], d['kind'], d['required'], d['timeout'], d['events']) for d in got] == expected


# -- what each event tells -------------------------------------------------------------------------------------
STATE = {'change_id': 'CHG-7', 'begin_at': '2026-12-01T10:00:00Z', 'end_at': None,
         'baseline': {'mackerel': ['a', 'b'], 'opsramp': ['c']}}
RECORD = {'downtimes': [{'name': 'CHG-7', 'id': 'dt1'}], 'in_place': ['Mackerel downtime CHG-7 (id dt1)']}
UNDONE = dict(RECORD, in_place=[], undone_at='2026-12-01T11:00:00Z')
SUMMARY = ('CHG-7 (2026-12-01T10:00:00Z .. 2026-12-01T11:00:00Z): 3 alert(s) closed by this change; 1 closed by '
           'others in the window; 2 left open: 1 opened in the window and still open; 1 in the baseline (open before '
           'the change began). Audit: /r/CHG-7-audit.html')
AUDIT = {'counts': {'closed': 3, 'acknowledged': 0, 'closed_by_others': 1, 'left_open': 2, 'log360_alerts': 0,
                    'would_act': 0},
         'left_open_groups': [{'why': 'opened in the window and still open', 'count': 1, 'collapsed': False},
                              {'why': 'in the baseline (open before the change began)', 'count': 1, 'collapsed': True}],
         'window': {'begin': '2026-12-01T10:00:00Z', 'end': '2026-12-01T11:00:00Z'}, 'check_mode': False}
END = {'summary': SUMMARY, 'audit': AUDIT, 'failures': [], 'report_json': '/r/CHG-7-audit.json',
       'report_html': '/r/CHG-7-audit.html', 'state': dict(STATE, suppression=UNDONE)}
HEALTHY = {'healthy': True, 'failing': [], 'unverifiable': [], 'msg': 'verify: the scope is healthy'}
SICK = {'healthy': False, 'failing': [{'id': 'm1'}], 'unverifiable': [], 'msg': 'verify: after 0s still failing: x'}

PLAN_SUMMARY = ('CHG-7 (2026-12-01T10:00:00Z .. 2026-12-01T11:00:00Z): plan: 2 alert(s) to close (mackerel 2); 0 closed '
                'already; 1 closed by others; 1 left open: 1 in the baseline (open before the change began). Nothing '
                'was sent.')
PLANNED = {'would_act': [{'platform': 'mackerel', 'id': 'm1'}, {'platform': 'mackerel', 'id': 'm2'}], 'closed': [],
           'closed_by_others': [{'platform': 'mackerel', 'id': 'm3'}],
           'left_open': [{'platform': 'mackerel', 'id': 'a', 'why': 'in the baseline (open before the change began)'}]}
EXTENDED = ('CHG-7: suppression extended to 2026-12-01T14:00:00Z: Suppressed during the window: Mackerel downtime '
            'CHG-7; in place.')
CONTENT = [   # (event, results, title, status, counts (a subset), lines)
    ('begin', {'begin': {'state': STATE, 'state_file': '/s/CHG-7.state.json', 'msg': 'kept'}},
     'CHG-7: change window began', 'ok', {'baseline': {'mackerel': 2, 'opsramp': 1}, 'baseline_total': 3},
     ['CHG-7 begins at 2026-12-01T10:00:00Z; baseline: 2 open alert(s) on mackerel, 1 open alert(s) on opsramp; '
      'state: /s/CHG-7.state.json']),
    ('begin', {'begin': {'state': STATE, 'state_file': '/s/x'}, 'suppress': {'record': RECORD, 'state': STATE}},
     'CHG-7: change window began', 'ok', {'baseline_total': 3},
     [None, 'CHG-7: suppression in place: Mackerel downtime CHG-7 (id dt1)']),
    ('end', {'record': END, 'verify': HEALTHY}, 'CHG-7: change window ended', 'ok',
     {'closed': 3, 'closed_by_others': 1, 'left_open': 2, 'failed_writes': 0},
     [SUMMARY, 'Suppressed during the window: Mackerel downtime CHG-7; removed at 2026-12-01T11:00:00Z.',
      'verify: the scope is healthy']),
    ('end', {'record': END, 'verify': SICK}, 'CHG-7: change window ended - verify: NOT HEALTHY', 'unhealthy',
     {'closed': 3}, [SUMMARY, None, 'verify: after 0s still failing: x']),
    ('end', {'record': dict(END, failures=['mackerel m9: HTTP 500'])}, 'CHG-7: change window ended - writes FAILED',
     'failed', {'failed_writes': 1}, [SUMMARY, None, '1 write(s) failed: mackerel m9: HTTP 500']),
    ('end', {'record': dict(END, state=dict(STATE, suppression=RECORD))},
     'CHG-7: change window ended - suppression STILL IN PLACE', 'in_place', {'closed': 3}, [SUMMARY, None]),
    ('end', {'record': END, 'verify': {'skipped': True}}, 'CHG-7: change window ended', 'ok', {}, [SUMMARY, None]),
    ('cancel', {'cancel': {'msg': 'CHG-7: cancelled; suppression removed; nothing was closed',
                           'state': dict(STATE, suppression=UNDONE)}},
     'CHG-7: change window cancelled', 'ok', {'closed': 0},
     ['CHG-7: cancelled; suppression removed; nothing was closed', None]),
    ('plan', {'plan': {'summary': PLAN_SUMMARY, 'plan': PLANNED, 'plan_file': '/s/CHG-7-plan.json',
                       'plan_html': '/r/CHG-7-plan.html', 'state': dict(STATE, suppression=RECORD)}},
     'CHG-7: change window planned (for approval)', 'ok',
     {'to_close': 2, 'closed': 0, 'closed_by_others': 1, 'left_open': 1},
     [PLAN_SUMMARY, 'Suppression to remove at end: Mackerel downtime CHG-7 (id dt1).', 'Audit: /r/CHG-7-plan.html']),
    ('extend', {'extend': {'msg': EXTENDED, 'state': STATE,
                           'record': dict(RECORD, extended=[{'from': 'a', 'to': 'b', 'at': 'c'}])}},
     'CHG-7: change window extended', 'ok', {}, [EXTENDED]),
]


@pytest.mark.parametrize('event,results,title,status,counts,lines', CONTENT)
def test_each_event_tells_the_consoles_words_and_numbers(event, results, title, status, counts, lines):
    told = notify.content(event, 'CHG-7', results)
    assert told['title'] == title
    assert told['status'] == status
    assert dict((k, told['counts'][k]) for k in counts) == counts
    assert len(told['lines']) >= len(lines)
    for got, expected in zip(told['lines'], lines):
        if expected is not None:
            assert got == expected


NOTHING = [   # (event, results): the phase recorded nothing, so nothing is told
    ('begin', {}),
    ('begin', {'begin': {'failed': True, 'msg': 'refused'}}),
    ('begin', {'begin': {'skipped': True}}),
    ('end', {'record': {}}),
    ('end', {'record': {'failed': True, 'msg': 'x'}, 'verify': HEALTHY}),
    ('cancel', {'cancel': {'failed': True, 'msg': 'suppression still in place'}}),
    ('plan', {'plan': {'changed': False}}),
    ('plan', {'plan': {'summary': 'x', 'failed': True}}),
    ('extend', {'extend': {'failed': True, 'msg': 'NOT fully extended'}}),
    ('extend', {}),
]


@pytest.mark.parametrize('event,results', NOTHING)
def test_a_phase_that_recorded_nothing_tells_nothing(event, results):
    assert notify.content(event, 'CHG-7', results) is None


def test_the_audit_url_replaces_the_path_and_a_rerun_of_begin_tells_the_same():
    told = notify.content('end', 'CHG-7', {'record': END}, audit_url='https://reports.example.com/CHG-7-audit.html')
    assert told['lines'][-1] == 'Audit: https://reports.example.com/CHG-7-audit.html'
    assert told['audit'] == {'json': '/r/CHG-7-audit.json', 'html': '/r/CHG-7-audit.html',
                             'url': 'https://reports.example.com/CHG-7-audit.html'}
    first = notify.content('begin', 'CHG-7', {'begin': {'state': STATE, 'state_file': '/s', 'msg': 'first'}})
    kept = notify.content('begin', 'CHG-7', {'begin': {'state': STATE, 'state_file': '/s', 'msg': 'kept from earlier'}})
    assert notify.digest(notify.payload('webhook', first)) == notify.digest(notify.payload('webhook', kept))


# -- the payload per kind --------------------------------------------------------------------------------------
@pytest.mark.parametrize('event,results', [(e, r) for e, r, _t, _s, _c, _l in CONTENT])
def test_every_payload_is_accepted_by_a_receiver_as_strict_as_the_vendor(event, results):
    told = notify.content(event, 'CHG-7', results)
    assert receiver.slack_problem(notify.payload('slack', told)) is None
    assert receiver.teams_problem(notify.payload('teams', told)) is None
    generic = notify.payload('webhook', told)
    assert (generic['change_id'], generic['event'], generic['version']) == ('CHG-7', event, 1)


def test_slack_text_is_escaped_and_long_lines_are_cut():
    told = notify.content('cancel', 'CHG-7', {'cancel': {'msg': 'a <b> & c ' + 'x' * 4000, 'state': STATE}})
    slack = notify.payload('slack', told)
    assert slack['text'].startswith('CHG-7: change window cancelled\na &lt;b&gt; &amp; c x')
    assert slack['blocks'][0] == {'type': 'header', 'text': {'type': 'plain_text', 'text': 'CHG-7: change window cancelled'}}
    assert len(slack['blocks'][1]['text']['text']) == 3000 and slack['blocks'][1]['text']['text'].endswith('...')
    assert receiver.slack_problem(slack) is None


def test_teams_gets_an_adaptive_card_in_a_message_with_the_numbers_as_facts():
    teams = notify.payload('teams', notify.content('end', 'CHG-7', {'record': END, 'verify': HEALTHY}))
    assert teams['type'] == 'message'
    attachment = teams['attachments'][0]
    assert attachment['contentType'] == 'application/vnd.microsoft.card.adaptive'
    card = attachment['content']
    assert (card['type'], card['version']) == ('AdaptiveCard', '1.4')
    assert card['body'][0]['text'] == 'CHG-7: change window ended'
    facts = dict((f['title'], f['value']) for f in card['body'][-1]['facts'])
    assert facts['Closed'] == '3' and facts['Closed by others'] == '1' and facts['Left open'] == '2'
    assert facts['Left open: opened in the window and still open'] == '1'
    assert facts['Suppression in place'] == 'none' and facts['Verify'] == 'healthy'


def test_a_message_card_is_refused_by_the_teams_receiver():
    assert 'MessageCard' in receiver.teams_problem({'@type': 'MessageCard', 'text': 'x'})


# -- what a rerun sends ----------------------------------------------------------------------------------------
ONE = notify.check_destinations([dest(name='chat'), dest(name='pager', kind='webhook', events=['end'])])
DIGESTS = {'chat': 'd-chat-1', 'pager': 'd-pager-1'}
SENT = notify.record_sent({}, ONE[0], 'begin', 'd-chat-1', '2026-12-01T10:00:05Z')

PLANS = [   # (event, payloads, sent before, [(name, send|skip, why starts with)])
    ('begin', DIGESTS, {}, [('chat', 'send', 'not told yet'), ('pager', 'skip', 'not told of begin (events: end)')]),
    ('begin', DIGESTS, SENT, [('chat', 'skip', 'already told (the same message was sent at 2026-12-01T10:00:05Z)'),
                              ('pager', 'skip', 'not told of begin')]),
    ('begin', dict(DIGESTS, chat='d-chat-2'), SENT, [('chat', 'send', 'changed since the last message'),
                                                     ('pager', 'skip', 'not told of begin')]),
    ('end', DIGESTS, SENT, [('chat', 'send', 'not told yet'), ('pager', 'send', 'not told yet')]),
]


@pytest.mark.parametrize('event,digests,sent,expected', PLANS)
def test_a_destination_is_told_once_per_event_and_message(event, digests, sent, expected):
    got = notify.plan_sends(ONE, event, digests, sent)
    assert [(d['name'], what) for d, what, _why in got] == [(n, w) for n, w, _y in expected]
    for (_d, _w, why), (_n, _x, start) in zip(got, expected):
        assert why.startswith(start)


def test_the_record_holds_a_digest_and_no_url():
    told = notify.content('end', 'CHG-7', {'record': END})
    record = notify.record_sent(SENT, ONE[1], 'end', notify.identity('webhook', told), '2026-12-01T11:00:00Z')
    assert record == {'chat': {'begin': {'digest': 'd-chat-1', 'at': '2026-12-01T10:00:05Z', 'kind': 'slack'}},
                      'pager': {'end': {'digest': notify.identity('webhook', told), 'at': '2026-12-01T11:00:00Z',
                                        'kind': 'webhook'}}}
    assert 'pager' not in SENT                      # a copy: the record given is not changed
    assert len(record['pager']['end']['digest']) == 32 and 'hooks' not in repr(record)


def test_the_notes_of_a_run_are_told_but_do_not_make_the_message_new():
    record = dict(RECORD, extended=[{'from': '2026-12-01T11:00:00Z', 'to': '2026-12-01T14:00:00Z',
                                     'at': '2026-12-01T10:30:00Z'}])
    words = 'CHG-7: suppression extended to 2026-12-01T14:00:00Z: %s' % (
        'Suppressed during the window: Mackerel downtime CHG-7; extended at 2026-12-01T10:30:00Z to '
        '2026-12-01T14:00:00Z; STILL IN PLACE: Mackerel downtime CHG-7 (id dt1).')
    first = notify.content('extend', 'CHG-7', {'extend': {'msg': words + ' Mackerel host maintenance has no end to '
                                                          'move.', 'record': record, 'state': STATE}})
    again = notify.content('extend', 'CHG-7', {'extend': {'msg': words + ' already extended: nothing to send.',
                                                          'record': record, 'state': STATE}})
    assert first['summary'] == again['summary']
    assert first['lines'][-1] == 'Mackerel host maintenance has no end to move.'
    assert first['notes'] == ['Mackerel host maintenance has no end to move.']
    for kind in notify.KINDS:
        assert notify.identity(kind, first) == notify.identity(kind, again)
        assert notify.digest(notify.payload(kind, first)) != notify.digest(notify.payload(kind, again))


# -- answers and secrets ---------------------------------------------------------------------------------------
ANSWERS = [
    ('slack', 200, 'ok', None), ('slack', 200, '', None), ('slack', 200, 'invalid_payload',
                                                           'Slack answered HTTP 200 \'invalid_payload\' instead of "ok"'),
    ('teams', 202, '', None), ('teams', 200, '1', None), ('webhook', 204, '', None), ('webhook', 302, '', 'HTTP 302'),
]


@pytest.mark.parametrize('kind,status,text,problem', ANSWERS)
def test_an_answer_is_read_per_kind(kind, status, text, problem):
    assert notify.check_answer(kind, status, text) == problem


@pytest.mark.parametrize('url,host,quoted', [
    (SLACK, 'https://hooks.slack.com', 'https://hooks.slack.com/services/********/********/********'),
    (TEAMS, 'https://prod-12.westeurope.logic.azure.com:443', 'https://prod-12.westeurope.logic.azure.com:443/workflows/'),
    (LEGACY_TEAMS, 'https://contoso.webhook.office.com', 'https://contoso.webhook.office.com/********'),
    ('https://bot:s3cr3tpass@example.com/hook', 'https://example.com', 'https://********@example.com/hook'),
])
def test_a_url_is_masked_but_its_host_is_shown(url, host, quoted):
    redactor = errors.Redactor(notify.secrets_of(url))
    shown = redactor.redact('posting to %s failed' % url)
    assert shown.startswith('posting to %s' % quoted)
    assert TOKEN[:8] not in shown and 's3cr3tpass' not in shown
    assert notify.describe({'name': 'n', 'kind': 'slack', 'url': url}) == 'n (slack, %s)' % host
    assert redactor.redact('Mackerel services webhook') == 'Mackerel services webhook'
