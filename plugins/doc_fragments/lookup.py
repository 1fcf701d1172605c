# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils.options import doc_fragment, lookup_doc_fragment


class ModuleDocFragment(object):
    # Connection options of all three platforms, merged, for plugins that serve every platform (the lookup).
    DOCUMENTATION = lookup_doc_fragment()
    COMMON = doc_fragment('common')
