# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# GENERATED from plugins/module_utils/options.py by .ci/generate-doc-fragments: do not edit by hand.

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
---
options:
  max_items:
    description:
    - Return at most this many items (newest first, after filtering); paging stops as soon as they are found. A
      whole number of at least 1; unset returns every item.
    type: int
"""
