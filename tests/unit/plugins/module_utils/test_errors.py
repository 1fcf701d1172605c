# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""errors.Redactor: every rendering of a secret, any 8-character piece of it, redact before cut; url userinfo."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import random
import string
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.alertops.core.plugins.module_utils import errors
from ansible_collections.alertops.core.plugins.module_utils.errors import MASK, Redactor

SECRET = 'opsSecret Hostile+/=&"\\4455667788'

# (rendering name, how a server or a library writes the secret into a message)
RENDERINGS = [
    ('raw', str),
    ('repr-escaped (requests InvalidHeader)', lambda s: repr('Bearer ' + s + '\n')),
    ('url-encoded', lambda s: quote(s, safe='')),
    ('url-encoded, / kept', quote),
    ('form-encoded, + for blanks', lambda s: 'grant_type=client_credentials&client_secret=' + quote_plus(s)),
    ('json-escaped', lambda s: json.dumps({'client_secret': s})),
    ('html-escaped', lambda s: '<p>%s</p>' % s.replace('&', '&amp;').replace('"', '&quot;')),
    ('basic auth user:secret', lambda s: 'Authorization: Basic ' + base64.b64encode(('svc:' + s).encode()).decode()),
    ('basic auth ab:secret', lambda s: base64.b64encode(('ab:' + s).encode()).decode()),
    ('basic auth a:secret', lambda s: base64.b64encode(('a:' + s).encode()).decode()),
    ('base64 alone', lambda s: base64.b64encode(s.encode()).decode()),
    ('first 12 characters (a body cut elsewhere)', lambda s: 'token starts ' + s[:12] + '...'),
    ('last 9 characters', lambda s: '...' + s[-9:]),
]


def pieces(text, secret, size=8):
    forms = [secret, quote(secret, safe=''), quote_plus(secret), json.dumps(secret)[1:-1], repr(secret)[1:-1]]
    return [f[i:i + size] for f in forms for i in range(len(f) - size + 1) if f[i:i + size] in text]


@pytest.mark.parametrize('name,render', RENDERINGS, ids=[r[0] for r in RENDERINGS])
def test_every_rendering_of_a_secret_is_masked(name, render):
    redactor = Redactor([SECRET])
    text = 'the server said: %s (end)' % render(SECRET)
    out = redactor.redact(text)
    assert MASK in out, name
    assert pieces(out, SECRET) == [], (name, out)
    for shift in range(3):   # no base64 alignment leaves the secret readable
        blob = base64.b64encode(b'x' * shift + SECRET.encode()).decode()
        assert blob not in out
    assert out.startswith('the server said: ') and out.endswith(' (end)') or name.startswith('last')


def test_the_base64_middle_is_found_at_every_alignment_for_random_secrets():
    rng = random.Random(7)
    for _round in range(200):
        secret = ''.join(rng.choice(string.ascii_letters + string.digits + '+/ =&') for _i in range(rng.randint(12, 40)))
        prefix = ''.join(rng.choice(string.ascii_letters) for _i in range(rng.randint(0, 7)))
        blob = base64.b64encode((prefix + secret + 'tail').encode()).decode()
        assert MASK in Redactor([secret]).redact(blob), (secret, prefix)


def test_surrounding_whitespace_is_stripped_and_short_values_ignored():
    redactor = Redactor()
    assert redactor.add('  tok-1234567890\n') == 'tok-1234567890'
    assert redactor.redact('x tok-1234567890 y') == 'x %s y' % MASK
    assert redactor.add('abc') is None and redactor.redact('abcdef') == 'abcdef'
    assert redactor.add(None) is None


def test_redact_before_cut():
    redactor = Redactor([SECRET])
    body = '.' * 115 + SECRET + ' more'
    cut = redactor.excerpt(body, 120)
    assert len(cut) == 120 and pieces(cut, SECRET, size=4) == [] and cut.endswith('*****')
    assert redactor.excerpt(None, 10) is None
    assert Redactor().excerpt('abcdef', 3) == 'abc'


def test_redact_all_walks_dicts_and_lists():
    redactor = Redactor([SECRET])
    out = redactor.redact_all({'msg': SECRET, 'items': [{'error': 'x ' + SECRET}], 'n': 3})
    assert out == {'msg': MASK, 'items': [{'error': 'x ' + MASK}], 'n': 3}


@pytest.mark.parametrize('url,masked,secrets', [
    ('https://svc:pa55word-x@siem.example.com:8400/x?q=1', 'https://%s@siem.example.com:8400/x?q=1' % MASK,
     ['pa55word-x', 'svc:pa55word-x', base64.b64encode(b'svc:pa55word-x').decode()]),
    ('https://siem.example.com', 'https://siem.example.com', []),
    ('https://token-only@siem.example.com', 'https://%s@siem.example.com' % MASK, ['token-only']),
    (None, None, []),
])
def test_url_userinfo_is_masked(url, masked, secrets):
    assert errors.mask_url(url) == masked
    assert errors.url_secrets(url) == secrets


# -- the platform is tagged where a plugin runs (platform_scope), not written at every raise ----------------------------

@pytest.mark.parametrize('scope,given,expected', [
    (None, None, None),
    ('mackerel', None, 'mackerel'),
    ('mackerel', 'opsramp', 'opsramp'),      # a platform given explicitly wins
    (None, 'log360', 'log360'),
])
def test_an_error_takes_the_platform_of_its_scope(scope, given, expected):
    with errors.platform_scope(scope):
        exc = errors.ValidationError('option x is wrong', platform=given)
    assert exc.platform == expected
    assert str(exc) == ('%s: option x is wrong' % expected if expected else 'option x is wrong')


def test_scopes_nest_and_restore():
    with errors.platform_scope('log360'):
        with errors.platform_scope('opsramp'):
            assert errors.current_platform() == 'opsramp'
        assert errors.current_platform() == 'log360'
        with errors.platform_scope(None):
            assert errors.current_platform() == 'log360'
    assert errors.current_platform() is None


def test_an_error_leaving_the_scope_is_tagged():
    created = errors.NotFoundError('gone', status=404)      # created outside any scope
    with pytest.raises(errors.NotFoundError) as info:
        with errors.platform_scope('mackerel'):
            raise created
    assert info.value.platform == 'mackerel'
    assert str(info.value) == 'mackerel: HTTP 404: gone'
    with pytest.raises(errors.NotFoundError) as again:
        with errors.platform_scope('opsramp'):
            raise created
    assert again.value.platform == 'mackerel'               # an existing platform is kept


def test_bulk_workers_run_in_the_callers_scope():
    from ansible_collections.alertops.core.plugins.module_utils import bulk

    def work(item):
        if item % 2:
            raise errors.ConflictError('item %d refused' % item)
        return errors.current_platform()

    with errors.platform_scope('opsramp'):
        outcomes = bulk.run_bounded(range(6), work, 3)
    assert [result for _item, result, _error in outcomes] == ['opsramp', None, 'opsramp', None, 'opsramp', None]
    assert [str(error) for _item, _result, error in outcomes if error] == [
        'opsramp: item 1 refused', 'opsramp: item 3 refused', 'opsramp: item 5 refused']
    assert errors.current_platform() is None


@errors.platform_scoped
class ScopedClient:
    PLATFORM = 'log360'

    def __init__(self, fail=False):
        if fail:
            raise errors.ValidationError('option time_format is wrong')

    def check(self):
        raise errors.ValidationError('option kind is wrong')

    @staticmethod
    def check_static():
        raise errors.ValidationError('option sleep is wrong')

    @classmethod
    def from_params(cls):
        raise errors.ValidationError('option url is wrong')

    def pages(self):
        yield 1
        raise errors.ResponseError('page 2 is not JSON')

    def _private(self):
        return errors.current_platform()


@pytest.mark.parametrize('call,message', [
    (lambda: ScopedClient(fail=True), 'log360: option time_format is wrong'),
    (lambda: ScopedClient().check(), 'log360: option kind is wrong'),
    (ScopedClient.check_static, 'log360: option sleep is wrong'),
    (ScopedClient.from_params, 'log360: option url is wrong'),
    (lambda: list(ScopedClient().pages()), 'log360: page 2 is not JSON'),
])
def test_a_scoped_client_names_its_platform_when_used_directly(call, message):
    with pytest.raises(errors.AlertOpsError) as info:
        call()
    assert str(info.value) == message
    assert errors.current_platform() is None


def test_a_scoped_client_leaves_private_methods_and_the_caller_alone():
    assert ScopedClient()._private() is None     # pylint: disable=protected-access
    pages = ScopedClient().pages()
    assert next(pages) == 1
    assert errors.current_platform() is None    # no scope stays open across a yield
