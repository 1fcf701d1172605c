# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A forgiving vocabulary for options that take a vendor's severity or status words.

The natural mistakes are forgiven, the rest is a clear error naming the option:

* case does not matter (``Critical``, ``CRITICAL``, ``critical``); spaces and dashes count as underscores
  (``in progress`` -> ``in_progress``);
* the normalised severity words of the lookup (``critical``, ``warning``, ``info``) are accepted where they map one
  to one onto a vendor word (Log360 ``warning`` -> ``trouble``, ``info`` -> ``attention``; Mackerel ``info`` -> ``OK``);
* an option that takes one value accepts a list of exactly one (``severity: [critical]``); an option that takes a
  list accepts a single word.

Each vendor client defines its own ``Vocabulary`` tables (a vendor quirk lives in its client); ``resolve`` is the one
function that applies them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError


def _key(word):
    return str(word).strip().lower().replace('-', '_').replace(' ', '_')


class Vocabulary:
    """The vendor's own words (``words``, in the vendor's spelling) and accepted synonyms -> vendor word."""

    def __init__(self, words, synonyms=None):
        self.words = tuple(words)
        self.table = dict((_key(w), w) for w in self.words)
        for synonym, word in (synonyms or {}).items():
            if word not in self.words:
                raise ValueError('synonym %r maps to %r, which is not one of %r' % (synonym, word, self.words))
            self.table.setdefault(_key(synonym), word)
        self.synonyms = dict((k, v) for k, v in self.table.items() if k != _key(v))

    def describe(self):
        extra = ', '.join('%s -> %s' % kv for kv in sorted(self.synonyms.items()))
        return ', '.join(self.words) + (' (any case; also %s)' % extra if extra else ' (any case)')


def resolve(value, vocabulary, option, multiple=False, platform=None):
    """``value`` (a word, a list of words, or None) in the vendor's spelling.

    Returns None for an empty value, else one word (``multiple=False``) or a list of words without duplicates, in
    the given order (``multiple=True``). Raises ValidationError naming ``option`` and the accepted words.
    """
    if value is None or value == '' or value == []:
        return None
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not multiple and len(values) != 1:
        raise ValidationError('option %s takes one value, got %d: %s (accepted: %s)'
                              % (option, len(values), ', '.join(str(v) for v in values), vocabulary.describe()),
                              platform=platform)
    out = []
    for item in values:
        if isinstance(item, (dict, list, tuple)) or item is None:
            raise ValidationError('option %s: %r is not a word (accepted: %s)' % (option, item, vocabulary.describe()),
                                  platform=platform)
        word = vocabulary.table.get(_key(item))
        if word is None:
            raise ValidationError('option %s: %r is not one of %s' % (option, item, vocabulary.describe()),
                                  platform=platform)
        if word not in out:
            out.append(word)
    return out if multiple else out[0]
