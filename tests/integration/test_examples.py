# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every documented example runs: the EXAMPLES of every module, lookup and filter, and the README's YAML blocks.

Each source becomes one playbook run against the simulator (fresh state per source). New plugins are picked up
automatically (every file in plugins/modules, plugins/lookup, plugins/filter/*.yml). An example gets its values in
four ways, documented in docs/DEVELOPING.md ("Examples that run"):

* PLACEHOLDERS: literal text in the example (a URL, an id, a path) replaced by a value of the simulator;
* VARIABLES: play variables (a vault variable, a window) the example uses without defining;
* SETUP: tasks run before the example when its Jinja uses that variable (a registered search, a list of ids);
* SIM_VARIANTS: an example task written for a server that behaves differently runs on its own, against the simulator
  switched to that variant;
* connection settings come from the environment, as AWX injects them (LOG360_URL, MACKEREL_APIKEY, ...).

A filter example (``name: "{{ expression }}"`` blocks) runs as set_fact; a ``# => value`` comment right above it is
asserted. A task or play example states a result with ``# => expression: json`` right above a task: asserted after it.
"""

from __future__ import absolute_import, division, print_function

import ast
import glob
import json
import os
import re

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))


# -- values for the examples ---------------------------------------------------------------------------------------
def sim_values(sim, tmp_path):
    """The simulator's own ids and URL, read after the reset."""
    hosts = sim.control('mackerel', 'hosts')['hosts']
    mackerel_alerts = sim.control('mackerel', 'alerts')['alerts']
    open_ids = [a['id'] for a in mackerel_alerts if a['status'] != 'OK']
    monitor0 = sim.control('mackerel', 'hosts')['monitors'][0]['id']
    return {'url': sim.url, 'host0': hosts[0], 'host1': hosts[1], 'mackerel_alert': open_ids[0], 'tmp': str(tmp_path),
            'monitor0': monitor0}


# literal text in an example -> the simulator's value (a format string over sim_values)
PLACEHOLDERS = {
    'https://siem.example.com:8400': '{url}',        # README quick start
    '2vJ965ygiXf': '{host0}', '2tFrtykgMib': '{host1}',   # Mackerel host ids (mackerel_alert, mackerel_alert_info)
    '4HCEHx4Wb': '{host0}', '4HCEHx5Xc': '{host1}',       # Mackerel host ids (README, lookup)
    '2wpLU5fBXbG': '{mackerel_alert}',                    # an open Mackerel alert
    '2cSZzK3XfmG': '{monitor0}',                          # a Mackerel monitor id (mackerel_downtime)
    '389547': '100',                                      # an OpsRamp alert id ('175' is seeded as it is)
    '/var/tmp/alerts.jsonl': '{tmp}/alerts.jsonl', '/tmp/alerts.jsonl': '{tmp}/alerts.jsonl',
    '/tmp/CHG-1234-audit.html': '{tmp}/CHG-1234-audit.html',  # change_window_info
}

# play variables every example may use
VARIABLES = {
    'vault_log360_token': "{{ lookup('ansible.builtin.env', 'LOG360_TOKEN') }}",
    'mackerel_api_key': "{{ lookup('ansible.builtin.env', 'MACKEREL_APIKEY') }}",
    'window_start': '-24h', 'window_end': 'now', 'change_start': '-2h', 'change_end': 'now',
    'closed_alerts': [], 'left_open_alerts': [],
}

# tasks that give a variable its value, run before an example whose Jinja uses the variable
SETUP = {
    'search': [{'name': 'Setup - a finished Log360 alert search',
                'alertops.core.log360_search': {'kind': 'alerts', 'start_time': '-24h', 'end_time': 'now', 'wait': True},
                'register': 'search'}],
    'old_jobs': [{'name': 'Setup - the Log360 jobs', 'alertops.core.log360_job_info': {}, 'register': 'old_jobs'}],
    'baseline_alert_ids': [{'name': 'Setup - three open Mackerel alert ids', 'ansible.builtin.set_fact': {
        'baseline_alert_ids': "{{ (query('alertops.core.alerts', platform='mackerel') | map(attribute='id') | list)[:3] }}"}}],
    'new_alert_ids': [{'name': 'Setup - two open OpsRamp alert ids', 'ansible.builtin.set_fact': {
        'new_alert_ids': "{{ (query('alertops.core.alerts', platform='opsramp') | map(attribute='id') | list)[:2] }}"}}],
    'alerts': [{'name': 'Setup - normalised alerts', 'ansible.builtin.set_fact': {
        'alerts': "{{ query('alertops.core.alerts', platform='mackerel', with_closed=true) }}"}}],
}

# source -> tasks run before its examples, for what the example says has already happened (over sim_values)
BEFORE = {
    # the example is the end phase of CHG-1234: its begin ran before (it found a begin of an earlier run in the real
    # home, or none on a fresh machine)
    'plugins/modules/change_window.py': lambda v: [{
        'name': 'Setup - the begin phase of CHG-1234',
        'ansible.builtin.include_role': {'name': 'alertops.core.maintenance_window'},
        'vars': {'maintenance_window_phase': 'begin', 'maintenance_window_change_id': 'CHG-1234',
                 'maintenance_window_mackerel_host_ids': [v['host0']],
                 'maintenance_window_opsramp_query': {'resourceIds': ['res-web-01']}}}],
}

# example task name -> simulator variants it is written for (it runs in a play of its own against them)
SIM_VARIANTS = {
}


# -- the examples ----------------------------------------------------------------------------------------------------
def _python_examples(pattern):
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
        tree = ast.parse(open(path).read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'EXAMPLES' for t in node.targets):
                out.append((os.path.relpath(path, ROOT), 'tasks', ast.literal_eval(node.value)))
    return out


def _filter_examples():
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', 'filter', '*.yml'))):
        doc = yaml.safe_load(open(path))
        if doc.get('EXAMPLES'):
            out.append((os.path.relpath(path, ROOT), 'filter', doc['EXAMPLES']))
    return out


def _is_rulebook(block):
    data = yaml.safe_load(block)
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and 'sources' in data[0]


def _readme_examples():
    text = open(os.path.join(ROOT, 'README.md')).read()
    return [('README.md#yaml-%d' % (n + 1), 'rulebook' if _is_rulebook(block) else 'play', block)
            for n, block in enumerate(re.findall(r'```ya?ml\n(.*?)```', text, re.S))]


def all_examples():
    rulebooks = [(path, 'rulebook', text) for path, _kind, text in
                 _python_examples('extensions/eda/plugins/event_source/*.py')]
    rulebooks += [(os.path.relpath(p, ROOT), 'rulebook', open(p).read())
                  for p in sorted(glob.glob(os.path.join(ROOT, 'extensions', 'eda', 'rulebooks', '*.yml')))]
    return (_python_examples('plugins/modules/*.py') + _python_examples('plugins/lookup/*.py') + _filter_examples()
            + _readme_examples() + rulebooks)


EXAMPLES = all_examples()


def filter_tasks(text):
    """``name: "{{ expr }}"`` blocks separated by blank lines -> set_fact tasks, with ``# => value`` asserted."""
    tasks = []
    for chunk in re.split(r'\n\s*\n', text.strip()):
        comments = [line.strip()[1:].strip() for line in chunk.splitlines() if line.strip().startswith('#')]
        code = '\n'.join(line for line in chunk.splitlines() if not line.strip().startswith('#'))
        data = yaml.safe_load(code) if code.strip() else None
        if not isinstance(data, dict):
            continue
        for name, expression in data.items():
            tasks.append({'name': 'Example - %s' % (comments[0] if comments else name),
                          'ansible.builtin.set_fact': {name: expression}})
            expected = [c[3:].strip() for c in comments if c.startswith('=> ')]
            if expected:
                tasks.append({'name': 'Example result of %s' % name, 'ansible.builtin.assert': {
                    'that': ['(%s | to_json) == (%s | to_json)' % (name, json.dumps(json.loads(expected[0])))],
                    'fail_msg': '%s is {{ %s }}, the example says %s' % (name, name, expected[0])}})
    return tasks


# ``# => expression: json`` right above a task of a task or play example: after that task, the expression (a fact the
# task set, a registered result, ``counts.mackerel``) equals the value. The comment becomes a marker item the YAML keeps
# in place; result_tasks() turns each marker into an assert after the task that follows it.
RESULT = re.compile(r'^([ \t]*)# => (.+?): (.+)$', re.M)
RESULT_MARKER = 'alertops_example_result'


def mark_results(text):
    """``# => expression: json`` comments -> marker list items at the same place (the JSON is checked here)."""
    def marker(match):
        indent, expression, value = match.groups()
        try:
            value = json.loads(value)
        except ValueError:
            raise AssertionError('the result %r of %s is not JSON' % (value, expression))
        return '%s- %s: %s' % (indent, RESULT_MARKER, json.dumps({'that': expression, 'is': value}))
    stated = [line.strip() for line in text.splitlines() if line.strip().startswith('# =>')]
    assert [line for line in stated if not RESULT.match(line)] == [], 'write a stated result as # => expression: json'
    return RESULT.sub(marker, text)


def result_tasks(tasks):
    """A task list with markers -> the list with an assert of each stated result after the task that follows it."""
    out, pending = [], []
    for task in tasks:
        if isinstance(task, dict) and RESULT_MARKER in task:
            pending.append(task[RESULT_MARKER])
            continue
        for key in ('block', 'rescue', 'always'):
            if isinstance(task, dict) and isinstance(task.get(key), list):
                task[key] = result_tasks(task[key])
        out.append(task)
        out.extend({'name': 'Example result - %s' % result['that'], 'vars': {'example_result': result['is']},
                    'ansible.builtin.assert': {
                        'that': ['(%s) == example_result' % result['that']],
                        'fail_msg': '%s is {{ (%s) | to_json }}, the example says %s' % (
                            result['that'], result['that'], json.dumps(result['is']))}}
                   for result in pending)
        pending = []
    assert not pending, 'a "# => " result with no task after it: %s' % pending
    return out


def play_results(plays):
    for one in plays:
        for key in ('pre_tasks', 'tasks', 'post_tasks'):
            if isinstance(one.get(key), list):
                one[key] = result_tasks(one[key])
    return plays


def jinja_names(text):
    """Names used inside {{ ... }} of an example."""
    names = set()
    for expression in re.findall(r'\{\{(.*?)\}\}', text, re.S):
        names.update(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', expression))
    return names


def build_playbooks(kind, text, before=()):
    """[(simulator variants, playbook)]: the example, and one play per task that needs other variants."""
    if kind == 'play':
        plays = play_results(yaml.safe_load(mark_results(text)))
        for one in plays:
            one['vars'] = dict(VARIABLES, **(one.get('vars') or {}))
        return [({}, plays)]
    tasks = filter_tasks(text) if kind == 'filter' else result_tasks(yaml.safe_load(mark_results(text)))
    used = jinja_names(text)
    setup = list(before) + [task for name in sorted(SETUP) if name in used for task in SETUP[name]]

    def playbook(some):
        return [{'name': 'Documented example', 'hosts': 'localhost', 'gather_facts': False, 'vars': dict(VARIABLES),
                 'tasks': setup + some}]
    special = [t for t in tasks if t.get('name') in SIM_VARIANTS]
    out = [({}, playbook([t for t in tasks if t not in special]))]
    return out + [(SIM_VARIANTS[t['name']], playbook([t])) for t in special]


PLAYS = [e for e in EXAMPLES if e[1] != 'rulebook']
RULEBOOKS = [e for e in EXAMPLES if e[1] == 'rulebook']


@pytest.mark.parametrize('source, kind, text', RULEBOOKS, ids=[e[0] for e in RULEBOOKS])
def test_rulebook_example_is_valid(source, kind, text):
    """Rulebook examples pass ansible-rulebook's own schema and condition parser (test_eda.py runs one for real)."""
    validators = pytest.importorskip('ansible_rulebook.validators')
    rules_parser = pytest.importorskip('ansible_rulebook.rules_parser')
    data = yaml.safe_load(text)
    validators.Validate.rulebook(data)
    rulesets = rules_parser.parse_rule_sets(data)
    assert rulesets and all(r.sources and r.rules for r in rulesets), source
    assert [list(s['sources'][0])[-1] for s in data if 'alertops.core.alerts' in s['sources'][0]], source


# examples that need a newer target Python than the oldest claimed (documented in the module and the README)
NEEDS_TARGET_PYTHON = {
    'plugins/modules/opsramp_maintenance.py': ((3, 9), 'option timezone needs zoneinfo (Python 3.9+) on the target'),
}


def target_python_version():
    import subprocess
    import sys
    target = os.environ.get('ALERTOPS_TEST_TARGET_PYTHON') or sys.executable
    out = subprocess.check_output([target, '-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'])
    return out.decode().strip()


@pytest.mark.parametrize('source, kind, text', PLAYS, ids=[e[0] for e in PLAYS])
def test_example_runs(play, sim, tmp_path, source, kind, text):
    if source in NEEDS_TARGET_PYTHON and os.environ.get('ALERTOPS_TEST_TARGET_PYTHON'):
        version = tuple(int(x) for x in target_python_version().split('.')[:2])
        if version < NEEDS_TARGET_PYTHON[source][0]:
            pytest.skip('%s on target Python %d.%d' % (NEEDS_TARGET_PYTHON[source][1], version[0], version[1]))
    values = sim_values(sim, tmp_path)
    for literal, replacement in PLACEHOLDERS.items():
        text = text.replace(literal, replacement.format(**values))
    before = BEFORE[source](values) if source in BEFORE else ()
    for number, (variants, content) in enumerate(build_playbooks(kind, text, before)):
        if variants:
            sim.configure(variants=variants)
        playbook = tmp_path / ('example-%d.yml' % number)
        playbook.write_text(yaml.safe_dump(content, sort_keys=False, width=200))
        # a home of its own: an example's ~/.local/state/... must not read, lock or leave state in the real home (two
        # runs on one machine shared CHG-1234's lock, and a rerun found the state of a simulator long gone)
        result = play(str(playbook), env={'HOME': str(tmp_path / 'home'), 'XDG_STATE_HOME': None})
        assert result.rc == 0, '%s: the documented example fails\n%s\n%s' % (source, playbook.read_text(), result)
        assert re.search(r'ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0', result.output), result


# an absolute date or time in an example: it passes one day, and the example then fails (or silently searches nothing)
ABSOLUTE_TIME = re.compile(r'(?<![\w.-])(?:19|20|2[1-9])\d\d-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d)?')
DELIBERATE = 'fixed date'   # a comment on the line or the line above marks a date that stays valid once past


def absolute_times(text):
    """[(line number, line)] of the absolute dates in an example not marked as deliberate (a comment line is prose)."""
    lines = text.splitlines()
    return [(n + 1, line.strip()) for n, line in enumerate(lines) if ABSOLUTE_TIME.search(line)
            and not line.strip().startswith('#') and DELIBERATE not in line and not (n and DELIBERATE in lines[n - 1] and lines[n - 1].strip().startswith('#'))]


def _role_readme_examples():
    return [('%s#yaml-%d' % (os.path.relpath(path, ROOT), n + 1), 'play', block)
            for path in sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'README.md')) + [os.path.join(ROOT, 'docs', 'AWX.md')])
            if os.path.exists(path)
            for n, block in enumerate(re.findall(r'```ya?ml\n(.*?)```', open(path).read(), re.S))]


@pytest.mark.parametrize('source, kind, text', EXAMPLES + _role_readme_examples(),
                         ids=[e[0] for e in EXAMPLES + _role_readme_examples()])
def test_example_has_no_absolute_time(source, kind, text):
    """No documented example depends on today's date: a time is relative, or marked '# fixed date: why'."""
    assert absolute_times(text) == [], '%s: an absolute time in an example (use -2h, +1d, now; or mark it "# %s: why")' % (
        source, DELIBERATE)


@pytest.mark.parametrize('text, expected', [
    ('start: "2026-12-05T01:00:00Z"', [(1, 'start: "2026-12-05T01:00:00Z"')]),
    ('start: 2030-01-01', [(1, 'start: 2030-01-01')]),
    ("x: \"{{ f('2026-11-23 10:00') }}\"", [(1, "x: \"{{ f('2026-11-23 10:00') }}\"")]),
    ('start: "2026-11-29T22:00:00Z"   # fixed date: a past window', []),
    ('# fixed date: a past day\nreport: "2026-11-23T00:00:00Z"', []),
    ('report: "2026-11-23T00:00:00Z"\n# fixed date: too late', [(1, 'report: "2026-11-23T00:00:00Z"')]),
    ('start: "-2h"\nend: now\nid: "175"\nport: 8400', []),
    ('version: 2.16.19-2026', []),
    ('# => {"start": "2026-11-23T00:00:00Z"}', []),
])
def test_absolute_time_check(text, expected):
    """The check above finds what it must and only that."""
    assert absolute_times(text) == expected


def test_a_stated_result_is_asserted_after_its_task():
    text = '- name: One\n  ansible.builtin.set_fact:\n    n: 1\n\n# a note\n# => n: 1\n# => [n, n]: [1, 1]\n' \
           '- name: Two\n  ansible.builtin.set_fact:\n    m: 2\n'
    tasks = result_tasks(yaml.safe_load(mark_results(text)))
    assert [t['name'] for t in tasks] == ['One', 'Two', 'Example result - n', 'Example result - [n, n]']
    assert tasks[2]['ansible.builtin.assert']['that'] == ['(n) == example_result'] and tasks[2]['vars'] == \
        {'example_result': 1}
    plays = play_results(yaml.safe_load(mark_results('- hosts: localhost\n  tasks:\n    # => m: {"a": true}\n'
                                                     '    - ansible.builtin.set_fact:\n        m: {a: true}\n')))
    assert plays[0]['tasks'][1]['vars'] == {'example_result': {'a': True}}
    for wrong in ('# => 1\n- ansible.builtin.debug:\n', '- ansible.builtin.debug:\n# => n: 1\n',
                  '# => n: {not json}\n- ansible.builtin.debug:\n'):
        with pytest.raises(AssertionError):
            result_tasks(yaml.safe_load(mark_results(wrong)))


def test_every_plugin_has_examples():
    documented = set(e[0] for e in EXAMPLES)
    plugins = [os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))
               + glob.glob(os.path.join(ROOT, 'plugins', 'lookup', '*.py'))]
    assert plugins and not [p for p in plugins if p not in documented]
    assert len([e for e in EXAMPLES if e[1] == 'play']) >= 2   # the README's Quick start and change window


def test_modules_run_on_the_target_python(play, tmp_path):
    """The matrix leg (.ci/matrix target 3.8) really runs the modules on the Python it names."""
    expected = target_python_version()
    playbook = tmp_path / 'python.yml'
    playbook.write_text(yaml.safe_dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'ansible.builtin.setup': {'filter': 'ansible_python_version'}},
        {'ansible.builtin.assert': {'that': ["ansible_python_version == '%s'" % expected]}}]}]))
    result = play(str(playbook))
    assert result.rc == 0, result
