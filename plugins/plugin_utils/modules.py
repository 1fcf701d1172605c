# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the collection's own modules from an action plugin, with the task's module_defaults applied (so
``group/alertops.core.mackerel`` settings reach the reads an action makes, as they reach the role's tasks)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from ansible.executor.module_common import _apply_action_arg_defaults
except ImportError:  # pragma: no cover - older ansible-core
    _apply_action_arg_defaults = None


def execute(action, name, module_args, task_vars):
    """The result of module ``alertops.core.<name>`` run by the action plugin ``action`` (failed results included)."""
    full = 'alertops.core.' + name
    if _apply_action_arg_defaults is not None:
        module_args = _apply_action_arg_defaults(full, action._task, module_args, action._templar)
    return action._execute_module(module_name=full, module_args=module_args, task_vars=task_vars)
