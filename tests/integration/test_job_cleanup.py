# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job_cleanup role against the simulator: what it deletes, and a report that says which threshold it used."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

REPORT = re.compile(r'"msg": "(\d+ job\(s\) selected[^"]*)"')


def jobs(sim, ages):
    return [sim.control('log360', 'jobs', {'hits': 5, 'duration': 0, 'age': age})['request_id'] for age in ages]


def report(result):
    assert result.rc == 0, result
    found = REPORT.findall(result.output)
    assert len(found) == 1, result
    return found[0]


@pytest.mark.parametrize('variables,check,message', [
    ({}, False, '2 job(s) selected (finished, older than 6h), 2 deleted'),
    ({'job_cleanup_older_than': '30m'}, True, '2 job(s) selected (finished, older than 30m), 2 would be deleted '
                                              '(check mode: nothing sent)'),
    ({'job_cleanup_older_than': '2d'}, False, '0 job(s) selected (finished, older than 2d), 0 deleted'),
    ({'job_cleanup_all': True}, False, '3 job(s) selected (every job, whatever its stage or age), 3 deleted'),
    ({'job_cleanup_request_ids': ['{old}']}, False, '1 job(s) selected (finished, older than 6h, among the 1 '
                                                    'requested ids), 1 deleted'),
])
def test_the_report_says_which_threshold_it_used(sim, play, variables, check, message):
    old, older, recent = jobs(sim, [43200, 30000, 60])
    variables = dict((k, [old if i == '{old}' else i for i in v] if isinstance(v, list) else v)
                     for k, v in variables.items())
    result = play('job_cleanup_role.yml', extra_vars={'job_cleanup_vars': variables}, check=check)
    assert report(result) == message
    deleted = set(j['request_id'] for j in sim.control('log360', 'jobs')['jobs']) ^ set([old, older, recent])
    assert len(deleted) == (0 if check else int(message.split(', ')[-1].split()[0]))
