# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's table "What is in it" names every plugin and role of the collection, each under its kind."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
ROW = re.compile(r'^\| (module|action|lookup|filter|role|event source|rulebook) \| (.+?) \|', re.M)


def names(pattern, strip='.py'):
    return set(os.path.basename(p)[:-len(strip)] if strip else os.path.basename(p)
               for p in glob.glob(os.path.join(ROOT, pattern)) if not os.path.basename(p).startswith('_'))


def readme_table():
    text = open(os.path.join(ROOT, 'README.md')).read()
    table = {}
    for kind, cell in ROW.findall(text):
        table.setdefault(kind, set()).update(re.findall(r'`alertops\.core\.(\w+)`', cell))
    return table


def test_the_readme_table_names_every_plugin_and_role():
    actions = names('plugins/action/*.py')
    expected = {
        'action': actions,
        'module': names('plugins/modules/*.py') - actions,
        'lookup': names('plugins/lookup/*.py'),
        'filter': names('plugins/filter/*.yml', '.yml'),
        'role': names('roles/*', None),
        'event source': names('extensions/eda/plugins/event_source/*.py'),
    }
    table = readme_table()
    assert dict((kind, sorted(expected[kind] - table.get(kind, set()))) for kind in expected) == \
        dict((kind, []) for kind in expected)
    assert dict((kind, sorted(table.get(kind, set()) - expected[kind])) for kind in expected) == \
        dict((kind, []) for kind in expected)
