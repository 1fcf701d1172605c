# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alerts lookup reads the common ALERTOPS_* environment variables, like the modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.plugins.loader import lookup_loader


@pytest.mark.parametrize('env,option,expected', [
    ('ALERTOPS_RETRIES', 'retries', 7),
    ('ALERTOPS_VALIDATE_CERTS', 'validate_certs', False),
    ('ALERTOPS_REQUEST_TIMEOUT', 'request_timeout', 12.0),
    ('ALERTOPS_CA_PATH', 'ca_path', '/etc/pki/corp.pem'),
])
def test_lookup_reads_the_common_environment(monkeypatch, env, option, expected):
    value = {'ALERTOPS_VALIDATE_CERTS': 'false'}.get(env, str(expected))
    monkeypatch.setenv(env, value)
    lookup = lookup_loader.get('alertops.core.alerts')
    lookup.set_options(var_options={}, direct={'platform': 'mackerel'})
    assert lookup.get_option(option) == expected
