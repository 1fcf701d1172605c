# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state store interface of a change window, and the choice of its backend (controller side only).

Every backend gives one change's store these methods (the action plugins use nothing else)::

    read()                      the state (upgraded) or None; remembers what it read for the next write
    write(state)                record the state; True when it changed. postgresql: a compare-and-set against the
                                version read(), in one transaction, under this run's lock; a lost race is refused
    lock() / unlock()           the change's lock for the span of one playbook run (check mode takes none)
    path                        where the state lives, for messages (a URL without the password for postgresql)
    audit_path(ext, dir)        the local report file (the file backend's audit; a copy for postgresql)
    write_audit(ext, text, dir) store the audit JSON or HTML; True when it changed
    read_audit(ext, dir)        the stored audit text, or None

and, for the expiry sweep, ``list_changes(args)``: every change id with a state, sorted.

The backend is chosen by the action option ``state_store`` (the role's ``maintenance_window_state_store``):
``file`` (the default: plugin_utils/state_store.py, files in ``state_dir``, exactly the 0.3 behaviour) or
``postgresql`` (plugin_utils/state_store_pg.py: one row per change in a database every job reaches, the connection
string from the environment variable ALERTOPS_STATE_URL, never an option, so it never shows in a task's arguments).
psycopg is imported only when ``postgresql`` is chosen.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.alertops.core.plugins.plugin_utils.change_window import ChangeWindowError
from ansible_collections.alertops.core.plugins.plugin_utils.state_store import StateStore

BACKENDS = ('file', 'postgresql')
URL_ENV = 'ALERTOPS_STATE_URL'
# the action option every plugin that opens a store takes (the role passes maintenance_window_state_store)
STORE_OPTION = {'state_store': dict(type='str', default='file', choices=list(BACKENDS))}


def backend_of(args):
    name = (args or {}).get('state_store') or 'file'
    if name not in BACKENDS:
        raise ChangeWindowError('option state_store (maintenance_window_state_store) must be one of %s, not %r'
                                % (', '.join(BACKENDS), name))
    return name


def _pg():
    # imported here: psycopg is needed only when this backend is chosen
    from ansible_collections.alertops.core.plugins.plugin_utils import state_store_pg  # pylint: disable=import-outside-toplevel
    return state_store_pg


def state_url():
    url = os.environ.get(URL_ENV, '')
    if not url.strip():
        raise ChangeWindowError(
            'maintenance_window_state_store is postgresql, but the environment variable %s (the state database\'s '
            'connection string, e.g. postgresql://USER:PASSWORD@HOST:5432/DBNAME) is not set: nothing was read or '
            'written. In AWX, attach a credential of the type "alertops state store" '
            '(extensions/awx/credential_types/state_store.yml) to the job template; elsewhere export %s.'
            % (URL_ENV, URL_ENV))
    return url


def open_store(args, change_id, check_mode=False):
    """The store of ``change_id`` on the backend ``args['state_store']`` chooses (``args['state_dir']`` for files)."""
    if backend_of(args) == 'postgresql':
        return _pg().PgStateStore(state_url(), change_id, check_mode=check_mode, state_dir=args.get('state_dir'))
    return StateStore(args['state_dir'], change_id, check_mode=check_mode)


def list_changes(args):
    """Every change id with a state in the chosen store, sorted (the expiry sweep)."""
    if backend_of(args) == 'postgresql':
        return _pg().PgStateStore.list_changes_at(state_url())
    return StateStore.list_changes(args['state_dir'])
