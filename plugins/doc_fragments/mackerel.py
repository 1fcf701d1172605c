# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils.options import doc_fragment


class ModuleDocFragment(object):
    # Generated from the one option table in module_utils/options.py, like the argument spec and env fallbacks.
    DOCUMENTATION = doc_fragment('mackerel')
