# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alerts lookup reads the common ALERTOPS_* environment variables, like the modules, and the per-platform
TLS ones (<PLATFORM>_CA_PATH, <PLATFORM>_VALIDATE_CERTS) before them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.plugins.loader import lookup_loader

from ansible_collections.alertops.core.plugins.lookup.alerts import CONNECTION_NAMES
from ansible_collections.alertops.core.plugins.module_utils import options

TLS_VARS = ('ALERTOPS_VALIDATE_CERTS', 'ALERTOPS_CA_PATH', 'MACKEREL_VALIDATE_CERTS', 'MACKEREL_CA_PATH',
            'LOG360_CA_PATH')


@pytest.mark.parametrize('env,option,expected', [
    ({'ALERTOPS_RETRIES': '7'}, 'retries', 7),
    ({'ALERTOPS_VALIDATE_CERTS': 'false'}, 'validate_certs', False),
    ({'ALERTOPS_REQUEST_TIMEOUT': '12'}, 'request_timeout', 12.0),
    ({'ALERTOPS_CA_PATH': 'corp.pem'}, 'ca_path', 'corp.pem'),
    ({'MACKEREL_VALIDATE_CERTS': 'false', 'ALERTOPS_VALIDATE_CERTS': 'true'}, 'validate_certs', False),
    ({'MACKEREL_CA_PATH': 'mackerel.pem', 'ALERTOPS_CA_PATH': 'corp.pem'}, 'ca_path', 'mackerel.pem'),
    ({'LOG360_CA_PATH': 'log360.pem'}, 'ca_path', None),       # another platform's variable
    ({}, 'validate_certs', True),
])
def test_lookup_reads_the_environment(monkeypatch, tmp_path, env, option, expected):
    for name in TLS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        if value.endswith('.pem'):
            (tmp_path / value).write_text('pem')
        monkeypatch.setenv(name, value)
    monkeypatch.setenv('MACKEREL_APIKEY', 'key-0123456789')
    lookup = lookup_loader.get('alertops.core.alerts')
    lookup.set_options(var_options={}, direct={'platform': 'mackerel'})
    params = options.connection_params('mackerel', dict((n, lookup.get_option(n)) for n in CONNECTION_NAMES))
    assert params[option] == expected
