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
  concurrency:
    default: 8
    description:
    - How many requests of this task run at once, over its one pooled HTTP session; 1 to 64.
    - A bulk write sends its first write alone, so a key without write permission fails after one request, and sends
      no more writes after a 401 or 403.
    type: int
"""
