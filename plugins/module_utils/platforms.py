# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform table: which client reads a platform, and which client method reads its alerts.

Used by the alerts lookup and the EDA event source (module_utils/alert_events.py), so both read alerts the same way:
one client method that returns the normalised alert model (module_utils/alerts.py), every vendor rule behind it.
Imports point one way: plugins -> this module -> the clients; no client imports it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils import options
from ansible_collections.alertops.core.plugins.module_utils.log360 import Log360Client
from ansible_collections.alertops.core.plugins.module_utils.mackerel import MackerelClient
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient

CLIENTS = {'log360': Log360Client, 'mackerel': MackerelClient, 'opsramp': OpsRampClient}
CONNECTION_NAMES = sorted(set(o['name'] for opts in options.CONNECTION_OPTIONS.values() for o in opts))

# (platform, occurrences) -> (the client method that returns normalised alerts, the lookup options it takes, by the
# same names). The method gets alert ids as ``ids``; every vendor rule lives behind it, in the client.
WORKFLOWS = {
    ('log360', False): ('collect_alerts', ('query', 'opened_after', 'opened_before', 'severity', 'profile_ids',
                                           'profile_names', 'with_closed', 'max_items', 'mode', 'wait_timeout',
                                           'wait_sleep')),
    ('mackerel', False): ('collect_alerts', ('with_closed', 'opened_after', 'opened_before', 'host_id', 'monitor_id',
                                             'type', 'max_items')),
    ('opsramp', False): ('collect_alerts', ('query', 'opened_after', 'opened_before', 'with_closed', 'max_items')),
    ('opsramp', True): ('collect_occurrences', ('start_time', 'end_time', 'opened_after', 'opened_before',
                                                'max_items')),
}
# Options of those methods that the event source takes and the lookup does not.
SOURCE_ONLY = {'mackerel': ('status',)}


def workflow(platform, occurrences=False):
    """(client class, method name, option names) for a platform; occurrences=true is OpsRamp's only."""
    method, names = WORKFLOWS[(platform, bool(occurrences) and (platform, True) in WORKFLOWS)]
    return CLIENTS[platform], method, names


def source_workflow(platform, source_options):
    """(method name, option names) of the event source's read of ``platform``: the lookup's method, with those of its
    options (and of SOURCE_ONLY) that are among ``source_options``."""
    method, names = WORKFLOWS[(platform, False)]
    return method, tuple(n for n in names + SOURCE_ONLY.get(platform, ()) if n in source_options)
