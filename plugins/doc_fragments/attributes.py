# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# GENERATED from plugins/module_utils/options.py by .ci/generate-doc-fragments: do not edit by hand.

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
---
attributes:
  check_mode:
    description: Can run in check mode and report what would change without changing anything.
  diff_mode:
    description: Returns what has changed (or would change in check mode) as a before/after diff in diff mode.
options: {}
"""

    INFO_MODULE = r"""
---
attributes:
  check_mode:
    details: Read-only; runs the same in check mode.
    support: full
  diff_mode:
    details: Read-only; there is nothing to compare.
    support: none
options: {}
"""

    ACTIONGROUP_LOG360 = r"""
---
attributes:
  action_group:
    description: Use C(group/alertops.core.log360) or C(group/alertops.core.all) in C(module_defaults).
    membership:
    - alertops.core.log360
    - alertops.core.all
    support: full
options: {}
"""

    ACTIONGROUP_MACKEREL = r"""
---
attributes:
  action_group:
    description: Use C(group/alertops.core.mackerel) or C(group/alertops.core.all) in C(module_defaults).
    membership:
    - alertops.core.mackerel
    - alertops.core.all
    support: full
options: {}
"""

    ACTIONGROUP_OPSRAMP = r"""
---
attributes:
  action_group:
    description: Use C(group/alertops.core.opsramp) or C(group/alertops.core.all) in C(module_defaults).
    membership:
    - alertops.core.opsramp
    - alertops.core.all
    support: full
options: {}
"""
