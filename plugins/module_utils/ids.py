# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ids that go into request paths (Mackerel alert ids, OpsRamp tenant and alert ids, Log360 request ids).

One rule for every client: an id is one path segment. It is refused when it is empty, a dot segment (``.`` or
``..``, which servers and proxies resolve to another path), or holds ``/``, ``\\``, ``?``, ``#``, ``%`` (an escape that
a proxy may decode into one of those), whitespace inside, or a control character. Surrounding blanks are removed.
``segment`` quotes the checked id for the path (``quote(..., safe='')``), so nothing in it can reach another path.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported
    from urllib import quote

from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

FORBIDDEN = '/\\?#%'


def check_id(value, option='id', platform=None, what='id'):
    """The id as text, checked (see the module docstring); ValidationError naming the option otherwise."""
    text = '' if value is None or isinstance(value, bool) else str(value).strip()
    if not text:
        raise ValidationError('option %s: %s must not be empty' % (option, what), platform=platform)
    if text in ('.', '..'):
        raise ValidationError('option %s: %r is not a valid %s (a dot segment would reach another API path)'
                              % (option, text, what), platform=platform)
    bad = sorted(set(c for c in text if c in FORBIDDEN or c.isspace() or ord(c) < 32 or ord(c) == 127))
    if bad:
        raise ValidationError('option %s: %r is not a valid %s (it must not contain %s)'
                              % (option, text, what, ' '.join(repr(c) for c in bad)), platform=platform)
    return text


def segment(value, option='id', platform=None, what='id'):
    """The checked id, quoted as one URL path segment."""
    return quote(check_id(value, option, platform, what), safe='')
