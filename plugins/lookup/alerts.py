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
    C(monitor_id), C(state), C(healed), C(metric) and C(raw) (the vendor object).
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

- name: Every occurrence of two OpsRamp alerts in the last 30 days
  ansible.builtin.set_fact:
    occurrences: >-
      {{ query('alertops.core.alerts', '175', '389547', platform='opsramp', occurrences=true,
               start_time='-30d', end_time='now') }}

- name: Log360 alerts of the last 24 hours (search, wait, all pages, job deleted)
  ansible.builtin.set_fact:
    siem: "{{ query('alertops.core.alerts', platform='log360', with_closed=true, opened_after='-24h') }}"

# One loop item per platform; each adds that platform's count per severity to the fact counts. With the bundled
# simulator's data:
# => counts.log360: {"critical": 9, "info": 4, "warning": 7}
# => counts.mackerel: {"critical": 54, "unknown": 55, "warning": 55}
# => counts.opsramp: {"critical": 17, "info": 8, "warning": 16}
- name: Count alerts per platform and severity
  ansible.builtin.set_fact:
    counts: >-
      {{ counts | default({}) | combine({item.0: dict(item.1 | groupby('severity') | map('first')
                                                     | zip(item.1 | groupby('severity') | map('last') | map('length')))}) }}
  loop: >-
    {{ (siem + query('alertops.core.alerts', platform='mackerel') + query('alertops.core.alerts', platform='opsramp'))
       | groupby('platform') }}
  loop_control:
    label: "{{ item.0 }}"
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
    state:
      description:
        - The vendor's own word for the current state, as the vendor writes it (Mackerel C(status) such as V(CRITICAL)
          or V(OK), OpsRamp C(currentState) such as V(Critical) or V(Ok), Log360 C(Status)), or null.
      type: str
      version_added: 0.2.0
    healed:
      description:
        - Whether the condition is back to normal, even when the alert is not closed (OpsRamp C(currentState) V(Ok) or
          V(Healed); Mackerel V(OK)).
      type: bool
      version_added: 0.2.0
    metric:
      description: The metric the alert is about (OpsRamp C(metric)), or null.
      type: str
      version_added: 0.2.0
"""

from ansible import constants as C
from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.alertops.core.plugins.module_utils import options, pager
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError, Redactor, ValidationError, platform_scope
# the platform table (platform -> client, client method, the options it takes), shared with the EDA event source
from ansible_collections.alertops.core.plugins.module_utils.platforms import CLIENTS, CONNECTION_NAMES, workflow

display = Display()


def _pacing_note(message, long_wait):
    """Rate-limit waits, live on the controller: a warning when long, a line per wait at -v."""
    if long_wait:
        display.warning('alertops.core.alerts: %s' % message)
    else:
        display.v('alertops.core.alerts: %s' % message)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        """Options -> the platform's client method (the platform table, module_utils/platforms.py) -> normalised alerts.

        The error boundary: whatever fails, the user gets one AnsibleLookupError prefixed with the plugin name,
        redacted (every secret option, tokens issued at run time, a password in url), never a raw exception."""
        client = None
        platform = kwargs.get('platform')
        try:
            self._check_choices(kwargs)
            self.set_options(var_options=variables, direct=kwargs)
            platform = self.get_option('platform')
            # an error raised without a platform gets the lookup's
            with platform_scope(platform if platform in CLIENTS else None):
                pager.check_max_items(self.get_option('max_items'))
                client_class, method, names = workflow(platform, self.get_option('occurrences'))
                params = options.connection_params(platform, dict((n, self.get_option(n)) for n in CONNECTION_NAMES))
                extra = {'api_paths': self.get_option('api_paths')} if platform == 'log360' else {}
                client = client_class.from_params(params, **extra)
                if getattr(client.transport, 'pacer', None) is not None:
                    client.transport.pacer.notify = _pacing_note
                return getattr(client, method)(ids=[to_text(t) for t in terms or []],
                                               **dict((n, self.get_option(n)) for n in names))
        except Exception as exc:  # pylint: disable=broad-except
            raise AnsibleLookupError('alertops.core.alerts: %s' % _redactor(client, platform, kwargs).redact(
                _message(exc, platform))) from None
        finally:
            if client is not None:
                client.transport.close()

    def _check_choices(self, kwargs):
        """An option outside its documented choices fails listing them (Ansible's own message does not): the platform
        first, then the others, which name the platform."""
        definitions = C.config.get_configuration_definitions('lookup', self._load_name) or {}
        for name in sorted(kwargs, key=lambda n: n != 'platform'):
            choices = (definitions.get(name) or {}).get('choices')
            if choices and kwargs[name] not in choices:
                raise ValidationError('option %s must be one of %s, got %r' % (name, ', '.join(choices), kwargs[name]),
                                      platform=None if name == 'platform' else kwargs.get('platform'))


def _message(exc, platform):
    if isinstance(exc, AlertOpsError):
        return str(exc)
    if isinstance(exc, AnsibleError):
        return to_text(exc.message)
    return '%s: unexpected error: %s: %s' % (platform, exc.__class__.__name__, to_text(exc))


def _redactor(client, platform, kwargs):
    if client is not None:
        return client.transport.redactor   # it also knows the tokens issued at run time
    redactor = Redactor()
    for name in ([platform] if platform in CLIENTS else list(CLIENTS)):
        options.secret_redactor(name, kwargs, from_env=True, redactor=redactor)
    return redactor
