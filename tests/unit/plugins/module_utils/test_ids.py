# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import ids, log360, mackerel, opsramp, pager
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError


@pytest.mark.parametrize('value,text,quoted', [
    ('2wpLU5fBXbG', '2wpLU5fBXbG', '2wpLU5fBXbG'),
    ('  176 ', '176', '176'),
    (176, '176', '176'),
    ('client_7', 'client_7', 'client_7'),
    ('...', '...', '...'),
    ('a.b', 'a.b', 'a.b'),
    ('a+b', 'a+b', 'a%2Bb'),
    ('AZbne&x=1', 'AZbne&x=1', 'AZbne%26x%3D1'),
    (u'caf\u00e9', u'caf\u00e9', 'caf%C3%A9'),
])
def test_accepted_ids(value, text, quoted):
    assert ids.check_id(value) == text
    assert ids.segment(value) == quoted


@pytest.mark.parametrize('value,error', [
    ('.', 'dot segment'),
    ('..', 'dot segment'),
    (' .. ', 'dot segment'),
    ('', 'must not be empty'),
    ('   ', 'must not be empty'),
    (None, 'must not be empty'),
    (True, 'must not be empty'),
    ('a/b', "'/'"),
    ('../x', "'/'"),
    ('a\\b', "'\\\\\\\\'"),
    ('a?b', "'\\?'"),
    ('a#b', "'#'"),
    ('%2e%2e', "'%'"),
    ('a b', "' '"),
    ('a\tb', "'\\\\t'"),
    ('a\x00b', "'\\\\x00'"),
    ('a\x7fb', "'\\\\x7f'"),
])
def test_refused_ids(value, error):
    with pytest.raises(ValidationError, match=error) as info:
        ids.check_id(value, 'tenant_id', 'opsramp', 'OpsRamp tenant id')
    assert str(info.value).startswith('opsramp: option tenant_id: ')


@pytest.mark.parametrize('check,platform,option', [
    (mackerel.check_alert_id, 'mackerel', 'id'),
    (opsramp.check_alert_id, 'opsramp', 'id'),
    (log360._check_id, 'log360', 'request_id'),   # pylint: disable=protected-access
])
@pytest.mark.parametrize('value', ['.', '..', 'a/b', ''])
def test_every_client_uses_the_one_rule(check, platform, option, value):
    with pytest.raises(ValidationError) as info:
        check(value)
    assert str(info.value).startswith('%s: option %s: ' % (platform, option))


@pytest.mark.parametrize('tenant', ['..', '.', 'client_7/../client_8', '', 'client 7'])
def test_opsramp_tenant_id_refused_before_anything_is_sent(tenant):
    with pytest.raises(ValidationError, match='option tenant_id'):
        opsramp.OpsRampClient.from_params({'url': 'https://opsramp.invalid', 'tenant_id': tenant, 'token': 'x' * 20})


def test_opsramp_paths_quote_the_tenant():
    client = opsramp.OpsRampClient.from_params({'url': 'https://opsramp.invalid', 'tenant_id': 'client+7',
                                                'token': 'x' * 20})
    assert client._path('176', 'actions', 'close') == '/api/v2/tenants/client%2B7/alerts/176/actions/close'  # pylint: disable=protected-access


@pytest.mark.parametrize('value,expected', [(None, None), (1, 1), (250, 250), ('7', 7)])
def test_check_max_items(value, expected):
    assert pager.check_max_items(value) == expected


@pytest.mark.parametrize('value,error', [
    (0, 'at least 1, got 0'), (-1, 'at least 1, got -1'), (-100, 'at least 1'), ('x', 'a whole number'),
    (True, 'a whole number'), (1.5, 'a whole number'),
])
def test_check_max_items_refuses(value, error):
    with pytest.raises(ValidationError, match='option max_items must be ' + error):
        pager.check_max_items(value, platform='mackerel')
