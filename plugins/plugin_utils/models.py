# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the role's module tasks registered -> the normalised alert model (module_utils/alerts.py), by each vendor's
own client: the one place the two action plugins turn listings and write results into models (controller side)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils.mackerel import MackerelClient
from ansible_collections.alertops.core.plugins.module_utils.opsramp import OpsRampClient

# a vendor alert (what the info modules list, what the writing modules return as ``after``) -> the normalised alert
# model; Log360 hits come normalised already (log360_search normalise=true)
TO_MODEL = {'mackerel': MackerelClient.to_model, 'opsramp': OpsRampClient.to_model}


def alert_models(listings):
    """{platform: registered info-module result or list of vendor alerts} -> {platform: normalised alerts}."""
    out = {}
    for platform, alerts in (listings or {}).items():
        if isinstance(alerts, dict):          # a registered module result
            alerts = alerts.get('alerts', alerts.get('hits')) or []
        convert = TO_MODEL.get(platform)
        out[platform] = [convert(a) if convert else a for a in alerts or []]
    return out


def as_model(platform, item):
    """A writing module's result item with its ``after`` (the vendor alert as the write left it) in the model."""
    if not item:
        return item
    convert = TO_MODEL.get(platform)
    return dict(item, after=convert(item.get('after') or {}) if convert else item.get('after') or {})
