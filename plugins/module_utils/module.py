# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every alertops module shares: the argument spec from the option table, the client, error rendering."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.alertops.core.plugins.module_utils import errors, options
from ansible_collections.alertops.core.plugins.module_utils.errors import AlertOpsError


class AlertOpsModule(AnsibleModule):
    """AnsibleModule bound to one client class (and so one platform).

    ``run(action)`` builds the client, calls ``action(module, client)`` and exits with its result dict.
    Typed errors become a failed task with their own message; anything unexpected becomes a failed task too,
    redacted, never a traceback.
    """

    def __init__(self, client_class, argument_spec=None, groups=(), **kwargs):
        """``groups`` names shared option groups (options.OPTION_GROUPS) added to ``argument_spec``."""
        self.client_class = client_class
        self.platform = client_class.PLATFORM
        self.groups = tuple(groups)
        kwargs.setdefault('supports_check_mode', True)
        spec = options.group_spec(*groups)
        spec.update(argument_spec or {})
        super(AlertOpsModule, self).__init__(argument_spec=options.argument_spec(self.platform, **spec), **kwargs)
        self._client = None
        # a password in url (https://user:password@host) is masked like any secret, its Basic-auth form too
        for value in errors.url_secrets(self.params.get('url')):
            self.no_log_values.add(value)

    def _load_params(self):
        super(AlertOpsModule, self)._load_params()
        # AnsibleModule's mutually_exclusive / required_* count an option given as null (a template that yields None)
        # as given; here, as in the hand-written checks they replace, null means not set
        for name in self._rule_options():
            if name in self.params and self.params[name] is None:
                del self.params[name]

    def _rule_options(self):
        names = set()
        for groups in (self.mutually_exclusive, self.required_together, self.required_one_of):
            for group in groups or []:
                names.update(group)
        for rule in self.required_if or []:
            names.add(rule[0])
            names.update(rule[2])
        for name, needs in (self.required_by or {}).items():
            names.add(name)
            names.update([needs] if isinstance(needs, str) else needs)
        return names

    def register_secret(self, value):
        """Secrets that appear at run time (issued OAuth tokens) are masked in everything the module returns."""
        if value:
            self.no_log_values.add(to_text(value))

    def client(self, **kwargs):
        if self._client is None:
            params = options.connection_params(self.platform, self.params)
            self._client = self.client_class.from_params(params, on_secret=self.register_secret, **kwargs)
            pacer = getattr(self._client.transport, 'pacer', None)
            if pacer is not None:
                pacer.notify = self._pacing_note
        return self._client

    def _pacing_note(self, message, long_wait):
        """A rate-limit wait: a warning when it is long, and every one at -v, so a pacing task never looks hung."""
        if long_wait or self._verbosity >= 1:
            self.warn(message)

    def run(self, action):
        """Exit with ``action(module)``'s result; its ``diff`` only in diff mode (every writing module alike)."""
        try:
            with errors.platform_scope(self.platform):   # an error raised without a platform gets the module's
                options.check_groups(self.groups, self.params)
                result = action(self)
        except AlertOpsError as exc:
            self.fail_json(**self._redacted(self._diff_mode_only(exc.fail_kwargs())))
        except Exception as exc:  # pylint: disable=broad-except
            # never a traceback in front of the user: say what broke, masked like everything else
            self.fail_json(**self._redacted(dict(msg='%s: unexpected error: %s: %s' % (
                self.platform, exc.__class__.__name__, to_text(exc)))))
        self.exit_json(**self._diff_mode_only(result))

    def _diff_mode_only(self, result):
        if not self._diff:
            result.pop('diff', None)
        return result

    def redactor(self):
        """The client's redactor (it knows the tokens issued at run time), else one built from the secret options."""
        if self._client is not None:
            return self._client.transport.redactor
        return options.secret_redactor(self.platform, self.params)

    def _redacted(self, kwargs):
        return self.redactor().redact_all(kwargs)
