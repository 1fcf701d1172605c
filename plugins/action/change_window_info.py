# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin alertops.core.change_window_info (documentation: plugins/modules/change_window_info.py).

Runs on the controller: reads one change's state, phase and audit from its state store (plugin_utils/state_stores.py)
and writes the HTML audit to a path when asked. It never writes to the store.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw
from ansible_collections.alertops.core.plugins.plugin_utils import lifecycle as lc
from ansible_collections.alertops.core.plugins.plugin_utils.state_store import write_file
from ansible_collections.alertops.core.plugins.plugin_utils.state_stores import STORE_OPTION, open_store

ARGS = {
    'change_id': dict(type='raw', required=True),
    'state_dir': dict(type='path', default='~/.local/state/alertops/maintenance_window'),
    'report_dir': dict(type='path'),
    'html_dest': dict(type='path'),
}
ARGS.update(STORE_OPTION)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        _validated, args = self.validate_argument_spec(argument_spec=ARGS)
        try:
            result.update(self._info(args))
        except AlertOpsError as exc:
            raise AnsibleActionFail(to_text(exc))
        return result

    def _info(self, args):
        change_id = cw.check_change_id(args['change_id'])
        store = open_store(args, change_id, check_mode=True)     # read-only: the store is never written here
        state = store.read()
        directory = args['report_dir'] or args['state_dir']
        out = dict(changed=False, found=state is not None, change_id=change_id, state=state,
                   phase=lc.phase_of(state) if state else None, audit=None, store=store.path)
        if state is None:
            out['msg'] = 'change %s has no recorded state in %s' % (change_id, store.path)
        text = store.read_audit('json', directory) if state is not None else None
        if text:
            try:
                out['audit'] = json.loads(text)
            except ValueError:
                raise cw.ChangeWindowError('the audit JSON of change %s in %s is corrupt (not JSON)'
                                           % (change_id, store.path))
        if args['html_dest']:
            html = store.read_audit('html', directory) if state is not None else None
            if html is None:
                raise cw.ChangeWindowError(
                    'change %s has no HTML audit report in %s yet (phase %s): its end has not recorded one; nothing '
                    'was written to %s.' % (change_id, store.path, out['phase'] or 'none', args['html_dest']))
            out['changed'] = write_file(args['html_dest'], html, 0o640, dir_mode=0o750,
                                        check_mode=self._task.check_mode)
            out['html_dest'] = args['html_dest']
        return out
