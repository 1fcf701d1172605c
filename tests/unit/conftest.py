# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lets plain pytest import the collection; inert under ansible-test, which installs its own finder."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
import tempfile


def _install_collection_finder():
    from ansible.utils.collection_loader import AnsibleCollectionConfig
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    if AnsibleCollectionConfig.collection_finder is not None:
        return
    collection_root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    parts = collection_root.split(os.sep)
    if len(parts) >= 4 and parts[-3] == 'ansible_collections':
        base = os.sep.join(parts[:-3])
    else:  # a plain checkout: give it an ansible_collections/alertops/core path through a symlink
        base = tempfile.mkdtemp(prefix='alertops-units-')
        os.makedirs(os.path.join(base, 'ansible_collections', 'alertops'))
        os.symlink(collection_root, os.path.join(base, 'ansible_collections', 'alertops', 'core'))
    if base not in sys.path:
        sys.path.insert(0, base)
    _AnsibleCollectionFinder(paths=[base])._install()


_install_collection_finder()


def _private_claims_directory():
    """The host's claims ledger (module_utils/claims.py) of unit tests lives in a temp directory of their own."""
    import atexit
    import shutil
    path = tempfile.mkdtemp(prefix='alertops-unit-claims-')
    os.environ['ALERTOPS_CLAIMS_DIR'] = path
    atexit.register(shutil.rmtree, path, True)


_private_claims_directory()
