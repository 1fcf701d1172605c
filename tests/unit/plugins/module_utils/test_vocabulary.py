# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.alertops.core.plugins.module_utils import alerts, log360, mackerel
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.vocabulary import Vocabulary, resolve

SEV = log360.SEVERITY_WORDS
L_STATUS = log360.STATUS_WORDS
M_STATUS = mackerel.STATUS_WORDS
M_TYPE = mackerel.TYPE_WORDS

ACCEPTED = [
    # (vocabulary, value, multiple, expected)
    (SEV, 'critical', False, 'critical'),
    (SEV, 'Critical', False, 'critical'),
    (SEV, ' CRITICAL ', False, 'critical'),
    (SEV, ['critical'], False, 'critical'),          # the README's old mistake
    (SEV, 'warning', False, 'trouble'),              # the lookup's word, one to one
    (SEV, 'Warning', False, 'trouble'),
    (SEV, 'info', False, 'attention'),
    (SEV, 'TROUBLE', False, 'trouble'),
    (SEV, None, False, None),
    (SEV, '', False, None),
    (SEV, [], False, None),
    (L_STATUS, 'in progress', False, 'in_progress'),
    (L_STATUS, 'In-Progress', False, 'in_progress'),
    (L_STATUS, 'inprogress', False, 'in_progress'),
    (L_STATUS, ['Open'], False, 'open'),
    (M_STATUS, 'critical', True, ['CRITICAL']),      # a single word where a list is expected
    (M_STATUS, ['critical', 'Warning'], True, ['CRITICAL', 'WARNING']),
    (M_STATUS, ['CRITICAL', 'critical'], True, ['CRITICAL']),   # no duplicates
    (M_STATUS, ['info'], True, ['OK']),
    (M_STATUS, ['unknown'], True, ['UNKNOWN']),
    (M_TYPE, ['anomalydetection', 'Host'], True, ['anomalyDetection', 'host']),
    (M_TYPE, 'anomaly-detection', True, ['anomalyDetection']),
]


@pytest.mark.parametrize('vocab, value, multiple, expected', ACCEPTED)
def test_accepted(vocab, value, multiple, expected):
    assert resolve(value, vocab, 'opt', multiple=multiple) == expected


REJECTED = [
    # (vocabulary, value, multiple, words the message must contain)
    (SEV, ['critical', 'trouble'], False, ['option severity takes one value, got 2: critical, trouble']),
    (SEV, 'high', False, ["option severity: 'high' is not one of critical, trouble, attention"]),
    (SEV, 'unknown', False, ["'unknown' is not one of"]),    # no Log360 word for it: not one to one
    (SEV, {'a': 1}, False, ['is not a word']),
    (M_STATUS, ['CRITICAL', 'bad'], True, ["option severity: 'bad' is not one of OK, CRITICAL, WARNING, UNKNOWN"]),
    (M_STATUS, [['CRITICAL']], True, ['is not a word']),
]


@pytest.mark.parametrize('vocab, value, multiple, needles', REJECTED)
def test_rejected(vocab, value, multiple, needles):
    with pytest.raises(ValidationError) as info:
        resolve(value, vocab, 'severity', multiple=multiple, platform='log360')
    for needle in needles:
        assert needle in str(info.value)


def test_describe_lists_words_and_synonyms():
    assert SEV.describe() == 'critical, trouble, attention (any case; also info -> attention, warning -> trouble)'
    assert Vocabulary(('a',)).describe() == 'a (any case)'


def test_synonym_must_map_to_a_vendor_word():
    with pytest.raises(ValueError):
        Vocabulary(('a',), {'b': 'c'})


@pytest.mark.parametrize('vocab', [SEV, M_STATUS])
def test_normalised_synonyms_round_trip_through_the_lookup_mapping(vocab):
    """A normalised word accepted as a synonym must come back as the same word from the lookup's own mapping."""
    for synonym, word in vocab.synonyms.items():
        if synonym in alerts.SEVERITIES:
            assert alerts.normalise_severity(word) == synonym


def test_log360_search_body_and_mackerel_filters_use_it():
    client = log360.Log360Client.__new__(log360.Log360Client)
    client.time_format = 'iso8601'
    body = client.search_body(severity=['Warning'], status='In Progress', start_time='-1h', end_time='now')
    assert (body['severity'], body['status']) == ('trouble', 'in_progress')
    filters = mackerel.Filters(status='critical', type=['HOST'])
    assert (filters.status, filters.type) == ({'CRITICAL'}, {'host'})
