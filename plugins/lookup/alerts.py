# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: alerts
short_description: Alerts from Log360, Mackerel or OpsRamp in one normalised shape
version_added: 0.1.0
description:
  - Lists alerts from one platform and returns them in one shape, whatever the vendor, so playbooks and roles can
    compare, filter and report them together. Every alert has C(platform), C(id), C(status) (V(open) or V(closed)),
    C(severity) (V(critical), V(warning), V(info) or V(unknown)), C(title), C(source) (host or device),
    C(opened_at) and C(closed_at) (ISO 8601 UTC), C(close_reason), C(closed_by), C(acknowledged), C(host_id),
    C(monitor_id) and C(raw) (the vendor object).
  - B(mackerel) walks every page of the alert list (open alerts only unless O(with_closed=true)); the host, monitor,
    type and time filters are applied on the client, and paging stops early once the newest-first list is older than
    O(opened_after).
  - B(opsramp) searches alerts (O(query)); the server does the selecting. Unless O(with_closed=true) the search asks
    for alerts that are not closed (C(actions:OPEN,ACKNOWLEDGED,SUPPRESSED,TICKETED)), O(opened_after) and
    O(opened_before) go into the query as C(startDate)/C(endDate) on the creation time, and paging stops at
    O(max_items), so a large tenant costs a few pages. With O(occurrences=true) it returns every occurrence of the
    alert ids given as terms, without loss or duplicates.
  - B(log360) reads the alerts of the window from O(opened_after) to O(opened_before); for a small window through the
    synchronous alerts API (one request per page), else as an asynchronous job - submit, wait, fetch every page,
    delete the job (also on failure). See O(mode).
  - One pooled HTTP session per lookup call, and the minimum number of requests (10,000 Mackerel alerts are 100 list
    requests).
  - Connection options and environment variables are those of the modules (for example E(MACKEREL_APIKEY)).
author:
  - alertops.core contributors (@alertops)
options:
  _terms:
    description:
      - Alert ids. With O(platform=opsramp) and O(occurrences=true) the occurrences of these alerts are returned;
        otherwise only alerts with these ids are returned (Mackerel and OpsRamp read them one by one).
    type: list
    elements: str
    required: false
  platform:
    description: Which platform to read.
    type: str
    required: true
    choices: [log360, mackerel, opsramp]
  with_closed:
    description: Also return closed alerts.
    type: bool
    default: false
  opened_after:
    description:
      - Only alerts opened at or after this time.
      - ISO 8601 with a zone (V(2026-11-23T10:00:00Z), V(2026-11-23T19:00:00+09:00); an offset is at most 18:00).
        A date and time without a zone is refused (add V(Z) for UTC); a date alone (V(2026-11-23) or V(20261123)) is
        that day at 00:00 UTC. Epoch seconds up to V(253402300799) (9999-12-31T23:59:59Z) or epoch milliseconds from
        V(1000000000000) (2001-09-09T01:46:40Z); a number between the two is refused. Or relative (V(now), V(-24h),
        V(-30m), V(-7d)).
      - For V(log360) the start of the searched window (default V(-24h)).
      - For OpsRamp occurrences the O(start_time) of the walk, when O(start_time) is not given.
    type: str
  opened_before:
    description:
      - Only alerts opened at or before this time, in the same forms as O(opened_after). For V(log360) the end of the
        searched window (default V(now)).
    type: str
  max_items:
    description: Stop after this many alerts (or occurrences).
    type: int
  host_id:
    description: V(mackerel) only; alerts of these hosts.
    type: list
    elements: str
  monitor_id:
    description: V(mackerel) only; alerts of these monitors.
    type: list
    elements: str
  type:
    description: V(mackerel) only; monitor types such as V(host), V(service), V(connectivity).
    type: list
    elements: str
  query:
    description:
      - "V(opsramp) a dict of search variables (turned into the C(queryString)), for example C({'states': ['Critical']})."
      - V(log360) the search query string (default V(*)).
    type: raw
  occurrences:
    description: V(opsramp) only; return the occurrences of the alert ids given as terms.
    type: bool
    default: false
  start_time:
    description: V(opsramp) occurrences only; oldest occurrence time.
    type: str
  end_time:
    description: V(opsramp) occurrences only; newest occurrence time.
    type: str
  severity:
    description:
      - V(log360) only; V(critical), V(trouble) or V(attention), in any case; the normalised words V(warning)
        (= V(trouble)) and V(info) (= V(attention)) are accepted too.
    type: str
  profile_ids:
    description: V(log360) only; alert profile ids.
    type: list
    elements: str
  profile_names:
    description:
      - V(log360) only; alert profile names, resolved to ids with one read of the alert profiles
        (see M(alertops.core.log360_info)). An unknown name fails the lookup before the search is sent.
    type: list
    elements: str
  mode:
    description:
      - V(log360) only. V(sync) reads the synchronous alerts API (C(POST /api/v2/alerts), cursor paging) - one request
        per page and no job; V(async) submits a job, waits, fetches every page and deletes the job (at least four
        requests more); V(auto) uses V(sync) for a window of at most 6 hours or O(max_items) of at most 10000.
    type: str
    choices: [auto, sync, async]
    default: auto
  api_paths:
    description:
      - V(log360) only; override API paths by call name (see O(alertops.core.log360_search#module:api_paths)).
    type: dict
  wait_timeout:
    description: V(log360) only; seconds to wait for the search job.
    type: int
    default: 600
  wait_sleep:
    description: V(log360) only; longest pause between two polls of the job.
    type: int
    default: 5
extends_documentation_fragment:
  - alertops.core.lookup
  - alertops.core.lookup_common
notes:
  - Runs on the controller. Secrets are masked in every error message.
seealso:
  - module: alertops.core.mackerel_alert_info
  - module: alertops.core.opsramp_alert_info
  - module: alertops.core.log360_search
"""

EXAMPLES = r"""
- name: Open Mackerel alerts (every page)
  ansible.builtin.debug:
    msg: "{{ query('alertops.core.alerts', platform='mackerel') | length }} open alerts"

- name: Mackerel alerts of two hosts opened in the last two hours, open or closed
  ansible.builtin.set_fact:
    recent: >-
      {{ query('alertops.core.alerts', platform='mackerel', with_closed=true, opened_after='-2h',
               host_id=['4HCEHx4Wb', '4HCEHx5Xc']) }}

- name: Critical OpsRamp alerts
  ansible.builtin.set_fact:
    critical: "{{ query('alertops.core.alerts', platform='opsramp', query={'states': ['Critical']}) }}"

- name: Every occurrence of two OpsRamp alerts in November
  ansible.builtin.set_fact:
    occurrences: >-
      {{ query('alertops.core.alerts', '175', '389547', platform='opsramp', occurrences=true,
               start_time='2026-11-01T00:00:00Z', end_time='2026-11-30T23:59:59Z') }}

- name: Log360 alerts of the last 24 hours (search, wait, all pages, job deleted)
  ansible.builtin.set_fact:
    siem: "{{ query('alertops.core.alerts', platform='log360', with_closed=true, opened_after='-24h') }}"

- name: Count alerts per platform and severity
  ansible.builtin.debug:
    msg: "{{ siem | groupby('severity') | map('first') | list }}"
"""

RETURN = r"""
_list:
  description: Normalised alerts (or OpsRamp occurrences), newest first as the vendor returns them.
  type: list
  elements: dict
  contains:
    platform:
      description: V(log360), V(mackerel) or V(opsramp).
      type: str
    id:
      description: The vendor's alert id (for OpsRamp occurrences the alert id they belong to).
      type: str
    status:
      description: V(open) or V(closed).
      type: str
    severity:
      description: V(critical), V(warning), V(info) or V(unknown), mapped from the vendor's own words.
      type: str
    title:
      description: Alert subject, message or alert profile.
      type: str
    source:
      description: Host, device or resource the alert is about.
      type: str
    opened_at:
      description: When the alert (or occurrence) opened, ISO 8601 UTC.
      type: str
    closed_at:
      description: When it closed, ISO 8601 UTC, or null.
      type: str
    raw:
      description: The vendor object.
      type: dict
    close_reason:
      description: Why it was closed, where the vendor says (Mackerel C(reason)); null while open.
      type: str
      version_added: 0.2.0
    closed_by:
      description: Who closed it, where the vendor says (OpsRamp C(statusHistory.closedBy)); null otherwise.
      type: str
      version_added: 0.2.0
    acknowledged:
      description: Whether the alert is acknowledged (OpsRamp); false elsewhere.
      type: bool
      version_added: 0.2.0
    host_id:
      description: The host (Mackerel C(hostId)) or resource (OpsRamp C(device.id)) the alert belongs to, or null.
      type: str
      version_added: 0.2.0
    monitor_id:
      description: The monitor that raised it (Mackerel C(monitorId)), or null.
      type: str
      version_added: 0.2.0
"""

from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.alertops.core.plugins.module_utils import options, pager, timeutil
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, Redactor, ValidationError
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client, normalise_hit
from ansible_collections.alertops.core.plugins.module_utils.mackerel import Filters, MackerelClient
from ansible_collections.alertops.core.plugins.module_utils.mackerel import to_model as mackerel_model
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient
from ansible_collections.alertops.core.plugins.module_utils.opsramp import normalise as opsramp_model
from ansible_collections.alertops.core.plugins.module_utils.opsramp import not_closed_query as opsramp_not_closed_query
from ansible_collections.alertops.core.plugins.module_utils.opsramp import occurrence_to_model
from ansible_collections.alertops.core.plugins.module_utils.opsramp import window_query as opsramp_window_query

display = Display()
CLIENTS = {'log360': Log360Client, 'mackerel': MackerelClient, 'opsramp': OpsRampClient}
CONNECTION_NAMES = sorted(set(o['name'] for opts in options.CONNECTION_OPTIONS.values() for o in opts))


def _pacing_note(message, long_wait):
    """Rate-limit waits, live on the controller: a warning when long, a line per wait at -v."""
    if long_wait:
        display.warning('alertops.core.alerts: %s' % message)
    else:
        display.v('alertops.core.alerts: %s' % message)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        """The error boundary: whatever fails, the user gets one AnsibleLookupError prefixed with the plugin name,
        redacted (every secret option, tokens issued at run time, a password in url), never a raw exception."""
        client = None
        platform = kwargs.get('platform')
        try:
            self.set_options(var_options=variables, direct=kwargs)
            platform = self.get_option('platform')
            pager.check_max_items(self.get_option('max_items'), platform=platform)
            params = options.connection_params(platform, dict((n, self.get_option(n)) for n in CONNECTION_NAMES))
            extra = {'api_paths': self.get_option('api_paths')} if platform == 'log360' else {}
            client = CLIENTS[platform].from_params(params, **extra)
            if getattr(client.transport, 'pacer', None) is not None:
                client.transport.pacer.notify = _pacing_note
            return getattr(self, '_' + platform)(client, [to_text(t) for t in terms or []])
        except Exception as exc:  # pylint: disable=broad-except
            if isinstance(exc, AlertOpsError):
                message = str(exc)
            elif isinstance(exc, AnsibleError):
                message = to_text(exc.message)
            else:
                message = '%s: unexpected error: %s: %s' % (platform, exc.__class__.__name__, to_text(exc))
            if client is not None:
                redactor = client.transport.redactor   # it also knows the tokens issued at run time
            else:
                redactor = Redactor()
                for name in ([platform] if platform in CLIENTS else list(CLIENTS)):
                    options.secret_redactor(name, kwargs, from_env=True, redactor=redactor)
            raise AnsibleLookupError('alertops.core.alerts: %s' % redactor.redact(message)) from None
        finally:
            if client is not None:
                client.transport.close()

    def _window(self):
        try:
            start = self.get_option('opened_after')
            end = self.get_option('opened_before')
            start = timeutil.to_epoch(start, 'opened_after') if start not in (None, '') else None
            end = timeutil.to_epoch(end, 'opened_before') if end not in (None, '') else None
            timeutil.check_range(start, end, 'opened_after', 'opened_before')
        except ValidationError as exc:
            exc.platform = self.get_option('platform')
            raise
        return start, end

    def _keep(self, alert, start, end, ids):
        if ids and alert['id'] not in ids:
            return False
        if alert['status'] == 'closed' and not self.get_option('with_closed'):
            return False
        opened = timeutil.parse_vendor(alert['opened_at'])
        if start is not None and (opened is None or opened < int(start)):
            return False
        if end is not None and (opened is None or opened > end):
            return False
        return True

    def _limit(self, alerts):
        max_items = self.get_option('max_items')
        return alerts[:max_items] if max_items is not None else alerts

    def _mackerel(self, client, ids):
        if ids:
            return self._limit([a for a in (mackerel_model(client.get_alert(i)) for i in ids)
                                if self._keep(a, None, None, None)])
        filters = Filters(host_id=self.get_option('host_id'), monitor_id=self.get_option('monitor_id'),
                          type=self.get_option('type'), opened_after=self.get_option('opened_after'),
                          opened_before=self.get_option('opened_before'))
        return client.list_alerts(with_closed=self.get_option('with_closed'), max_items=self.get_option('max_items'),
                                  filters=filters, model=True)

    def _opsramp(self, client, ids):
        if self.get_option('occurrences'):
            if not ids:
                raise ValidationError('occurrences=true needs the alert ids as terms', platform='opsramp')
            start = self.get_option('start_time') or self.get_option('opened_after')
            end = self.get_option('end_time') or self.get_option('opened_before')
            out = []
            for alert_id in ids:
                out.extend(occurrence_to_model(alert_id, o) for o in client.occurrences(
                    alert_id, start_time=start, end_time=end, max_items=self.get_option('max_items')))
            return out
        start, end = self._window()
        query = self.get_option('query')
        if query is not None and not isinstance(query, dict):
            raise ValidationError('option query must be a dict of OpsRamp search variables for platform=opsramp',
                                  platform='opsramp')
        if ids:
            return self._limit([a for a in (opsramp_model(client.get_alert(i)) for i in ids)
                                if self._keep(a, start, end, None)])
        query = opsramp_window_query(query, start, end)
        if not self.get_option('with_closed'):
            query = opsramp_not_closed_query(query)
        max_items = self.get_option('max_items')
        out = []
        for page in client.iter_search_pages(query=query):
            # the server already selected; the same filters run here too, for a server that ignores a query field
            out.extend(a for a in (opsramp_model(x) for x in page) if self._keep(a, start, end, None))
            if max_items is not None and len(out) >= max_items:
                break
        return self._limit(out)

    def _log360(self, client, ids):
        query = self.get_option('query')
        if query is not None and not isinstance(query, str):
            raise ValidationError('option query must be a string for platform=log360', platform='log360')
        profile_ids = list(self.get_option('profile_ids') or [])
        profile_ids += client.resolve_profile_names(self.get_option('profile_names'))
        body = client.search_body(kind='alerts', query=query, start_time=self.get_option('opened_after') or '-24h',
                                  end_time=self.get_option('opened_before') or 'now',
                                  severity=self.get_option('severity'), profile_ids=list(dict.fromkeys(profile_ids)))
        hits = client.alert_search(body, self.get_option('wait_timeout'), self.get_option('wait_sleep'),
                                   max_hits=self.get_option('max_items'), mode=self.get_option('mode'))
        return [a for a in (normalise_hit(h) for h in hits) if self._keep(a, None, None, ids)]
