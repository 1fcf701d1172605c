# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters behind the self-contained HTML alert report (roles alert_report and maintenance_window).

Thin: the rendering lives in plugins/plugin_utils/audit.py (shared with the change_window action).
Documentation: alert_report_data.yml and alert_severity.yml next to this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.plugin_utils.audit import alert_report_data, alert_severity


class FilterModule:
    """alertops.core report filters."""

    def filters(self):
        return {
            'alert_report_data': alert_report_data,
            'alert_severity': alert_severity,
        }
