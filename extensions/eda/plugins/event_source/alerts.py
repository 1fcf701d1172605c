# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-rulebook event source ``alertops.core.alerts``: new alerts and alert state changes of one platform.

The loop lives here; every decision (what is new, what changed, the cursor, the back-off) is in
plugins/module_utils/alert_events.py, unit-tested there.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: New alerts and alert state changes from Log360, Mackerel or OpsRamp
description:
  - Polls one platform every O(interval) seconds with the clients and connection options of the
    P(alertops.core.alerts#lookup) lookup, and puts one event on the rulebook's queue per new alert and per state change.
  - >-
    Each event is C({"alertops": {"type": "alert", "platform", "change", "new", "changes", "polled_at"}, "alert": {...}}).
    C(alert) is the normalised alert of the lookup (C(platform), C(id), C(status), C(severity), C(title), C(source),
    C(opened_at), C(closed_at), C(raw), C(acknowledged), C(host_id), ...). C(change) is V(opened) (a new open alert),
    V(acknowledged), V(unacknowledged), V(closed) (also a new alert that was already closed, with C(new=true)),
    V(reopened), or V(gone) (the vendor no longer knows the alert; C(alert) then holds the last known state).
    C(changes) maps each changed field (C(status), C(acknowledged), C(severity)) to C(before) and C(after).
  - B(mackerel) lists the open alerts (every page, client-side filters O(host_id), O(monitor_id), O(type), O(status));
    an alert that left the list is read once more to tell closed from gone.
    B(opsramp) searches the alerts that are not closed with O(query) (a dict, as the lookup); an alert that left the
    search is read once more, as for Mackerel. Both compare with the previous poll.
  - B(log360) alerts are read-only search hits, so only V(opened) is reported. Each poll searches the interval since
    the last one (from its end minus O(overlap) seconds, for late-indexed alerts) - with the synchronous API, or with
    a search job (O(mode)) that is always deleted - and reads every page; hits already reported at the window edge are
    not reported again. A job running when the rulebook is killed is recorded in O(cursor_file) and deleted at the
    next start. Requests are paced like the modules' (C(rate_limit), C(wait_budget)).
  - The first poll records a baseline and reports nothing, unless O(since) is set (then alerts opened since then are
    reported as new). With O(cursor_file) the state survives restarts - written atomically after the events of a poll
    were queued - so a restart reports what changed while the source was down, and nothing twice (a crash between
    queueing and saving repeats that one poll's events).
  - B(log360) the cursor never moves back. With the clock stepped back behind the end of the last search, the polls
    search nothing until the clock has passed it again, then go on from there (minus O(overlap)); no alert is
    reported twice.
  - When O(cursor_file) cannot be written (a full disk, a read-only directory, a path under a file), the events
    keep coming and each poll also queues an error event (C(consecutive_failures=0)) saying that the cursor is not
    saved; a restart then goes back to the last cursor that was saved (for B(log360), a search job left by a kill is
    then not deleted at the next start).
  - >-
    A failing poll is retried O(poll_retries) times, O(retry_delay) seconds apart (each HTTP request also retries on
    its own, see O(retries)); then one event C({"alertops": {"type": "error", "platform", "message",
    "consecutive_failures", "retry_in"}}) is queued and the next poll waits twice as long each time, up to
    O(max_backoff). The state only advances on a successful poll, so nothing is lost; the source never stops on a
    failure. Bad arguments stop it at start with a message naming the argument.
  - Connection arguments and the environment variables are those of the modules and the lookup (E(LOG360_URL),
    E(LOG360_TOKEN), E(MACKEREL_APIKEY), E(OPSRAMP_URL), E(OPSRAMP_CLIENT_SECRET), E(ALERTOPS_VALIDATE_CERTS), ...), so
    the collection's AWX credential types work on a rulebook activation too. Secrets are masked in every message.
  - Needs ansible-core and requests in the decision environment (the collection's requirements.txt).
options:
  platform:
    description: The platform to poll.
    type: str
    required: true
    choices: [log360, mackerel, opsramp]
  interval:
    description: Seconds between two polls.
    type: int
    default: 60
  cursor_file:
    description:
      - JSON file that keeps the state across restarts (created with mode 0600, replaced atomically).
      - A path that is a directory or another non-regular file, or a file that cannot be read, stops the source at
        start with a message naming O(cursor_file); nothing is moved or replaced. Only a file that was read and is
        not a cursor of this platform (corrupt JSON, another version or platform) is renamed to
        C(<cursor_file>.invalid-<epoch>), reported in an error event, and the source starts from a new baseline.
    type: str
  since:
    description: First run only - report alerts opened since this time (ISO 8601 with a zone, epoch, or relative such as V(-1h)).
    type: str
  overlap:
    description: V(log360) only; seconds each search reaches back before the end of the previous one.
    type: int
    default: 60
  poll_retries:
    description: How often a failed poll is retried before an error event.
    type: int
    default: 2
  retry_delay:
    description: Seconds between those retries.
    type: int
    default: 5
  max_backoff:
    description: Longest wait between polls after failures, in seconds.
    type: int
    default: 600
  host_id:
    description: V(mackerel) only; alerts of these hosts.
    type: list
    elements: str
  monitor_id:
    description: V(mackerel) only; alerts of these monitors.
    type: list
    elements: str
  type:
    description: V(mackerel) only; monitor types.
    type: list
    elements: str
  status:
    description: V(mackerel) only; alert statuses (any case; V(critical), V(warning) as in the lookup).
    type: list
    elements: str
  query:
    description: V(opsramp) a dict of search variables; V(log360) the search query string (default V(*)).
    type: raw
  severity:
    description: V(log360) only; V(critical), V(trouble) (V(warning)) or V(attention) (V(info)).
    type: str
  profile_ids:
    description: V(log360) only; alert profile ids.
    type: list
    elements: str
  mode:
    description:
      - V(log360) only, as in the lookup. V(auto) (the default) reads the synchronous alerts API for windows up to
        6 hours (no job at all), V(sync) always, V(async) submits a search job each poll and deletes it.
    type: str
    choices: [auto, sync, async]
    default: auto
  wait_timeout:
    description: V(log360) only; seconds to wait for each search job.
    type: int
    default: 600
  wait_sleep:
    description: V(log360) only; longest pause between two polls of a job.
    type: int
    default: 5
  url:
    description: The platform's URL (E(LOG360_URL), E(MACKEREL_APIBASE), E(OPSRAMP_URL)).
    type: str
  token:
    description: Log360 AuthToken (E(LOG360_TOKEN)) or OpsRamp static token (E(OPSRAMP_TOKEN)). Never logged.
    type: str
  api_key:
    description: Mackerel API key (E(MACKEREL_APIKEY)). Never logged.
    type: str
  tenant_id:
    description: OpsRamp tenant (E(OPSRAMP_TENANT_ID)).
    type: str
  client_id:
    description: OpsRamp OAuth2 client id (E(OPSRAMP_CLIENT_ID)).
    type: str
  client_secret:
    description: OpsRamp OAuth2 client secret (E(OPSRAMP_CLIENT_SECRET)). Never logged.
    type: str
  validate_certs:
    description: Verify TLS certificates (E(ALERTOPS_VALIDATE_CERTS)); the other common options of the modules
      (C(ca_path), C(request_timeout), C(retries), ...) are accepted too.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: React to new critical OpsRamp alerts
  hosts: localhost
  sources:
    - alertops.core.alerts:
        platform: opsramp
        interval: 60
        query:
          states: [Critical]
        cursor_file: /var/lib/eda/opsramp-alerts.json
  rules:
    - name: New critical alert
      condition: event.alertops.change == "opened" and event.alert.severity == "critical"
      action:
        debug:
          msg: "{{ event.alert.id }} {{ event.alert.title }}"
    - name: The source cannot reach the platform
      condition: event.alertops.type == "error"
      action:
        print_event:

- name: Mackerel alerts of two hosts, connection from MACKEREL_APIKEY
  hosts: localhost
  sources:
    - alertops.core.alerts:
        platform: mackerel
        host_id: [2vJ965ygiXf, 2tFrtykgMib]
        interval: 30
  rules:
    - name: Closed
      condition: event.alertops.change == "closed"
      action:
        print_event:
"""

import asyncio
import logging
import os
import sys


def _import_path():
    """Make ``ansible_collections.alertops.core`` importable: ansible-rulebook loads this file by path."""
    here = os.path.abspath(__file__)
    parts = here.split(os.sep)
    candidates = []
    if 'ansible_collections' in parts:
        index = len(parts) - 1 - parts[::-1].index('ansible_collections')
        candidates.append(os.sep.join(parts[:index]) or os.sep)
    for variable in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'):
        candidates.extend(p for p in os.environ.get(variable, '').split(os.pathsep) if p)
    for path in candidates:
        if os.path.isdir(os.path.join(path, 'ansible_collections', 'alertops', 'core')) and path not in sys.path:
            sys.path.append(path)


_import_path()

from ansible_collections.alertops.core.plugins.module_utils import alert_events  # noqa: E402
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError  # noqa: E402

LOG = logging.getLogger('alertops.core.alerts')


def _describe(poller, exc):
    if isinstance(exc, AlertOpsError):
        return poller.redact(str(exc))
    return poller.redact('%s: unexpected error: %s: %s' % (poller.platform, exc.__class__.__name__, exc))


async def _poll_with_retries(poller, loop):
    args = poller.args
    attempt = 0
    while True:
        running = loop.run_in_executor(None, poller.poll)
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            # the rulebook is stopping: let a running poll finish, so no Log360 search job is left behind
            await asyncio.wait([running], timeout=args['wait_timeout'] + 30)
            raise
        except Exception as exc:  # pylint: disable=broad-except
            poller.reset_client()
            if attempt >= args['poll_retries']:
                raise
            attempt += 1
            LOG.warning('alertops.core.alerts: poll failed (%s), retry %d of %d', _describe(poller, exc), attempt,
                        int(args['poll_retries']))
            await asyncio.sleep(args['retry_delay'])


async def main(queue, args):
    """Poll forever; one event per new alert and per state change, an error event when a poll keeps failing."""
    loop = asyncio.get_running_loop()
    poller = alert_events.AlertPoller(args)   # the lookup's platform table and clients (module_utils/platforms.py)
    if poller.cursor.problem:
        await queue.put({'alertops': {'type': 'error', 'platform': poller.platform, 'message': poller.cursor.problem,
                                      'consecutive_failures': 0, 'retry_in': 0}})
    interval, failures = poller.args['interval'], 0
    while True:
        try:
            events = await _poll_with_retries(poller, loop)
        except Exception as exc:  # pylint: disable=broad-except
            failures += 1
            wait = alert_events.backoff(failures, interval, poller.args['max_backoff'])
            message = _describe(poller, exc)
            LOG.error('alertops.core.alerts: %s; next poll in %d s', message, wait)
            await queue.put({'alertops': {'type': 'error', 'platform': poller.platform, 'message': message,
                                          'consecutive_failures': failures, 'retry_in': wait}})
            await asyncio.sleep(wait)
            continue
        failures = 0
        for event in events:
            await queue.put(event)
        unsaved = poller.commit()   # the events keep coming when the cursor cannot be written; this says so
        if unsaved:
            LOG.error('alertops.core.alerts: %s', unsaved)
            await queue.put({'alertops': {'type': 'error', 'platform': poller.platform, 'message': poller.redact(unsaved),
                                          'consecutive_failures': 0, 'retry_in': interval}})
        await asyncio.sleep(interval)


if __name__ == '__main__':
    # python alerts.py mackerel  (connection from the environment): print the events
    class MockQueue:
        async def put(self, event):
            print(event)

    asyncio.run(main(MockQueue(), {'platform': sys.argv[1] if len(sys.argv) > 1 else 'mackerel', 'interval': 10}))
