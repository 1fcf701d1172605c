# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Harness for unit tests of the modules, the lookup and the action plugins: no server, no socket.

The fake sits under the vendor clients, at the HTTP session: ``wire`` replaces ``requests.Session`` inside the
transport with a session that hands every request to the simulator (tests/simulator) in this process. The real
client, transport (retries, error classification, redaction) and module run as they do in production; a test
states options in and asserts on what the module returned (``run_module``) and on the requests the server got
(``sim.requests()`` / ``sim.writes()``). Moving logic between a module and its client does not touch a test.

``run_module('mackerel_alert', {...}, check=True, diff=True)`` runs the module's ``main()`` in-process with the
arguments (plus the connection settings from the environment, as AWX injects them) and returns the dict it
exited with; ``failed`` is True on fail_json. Values in ``no_log_values`` are masked as AnsibleModule masks them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os
import sys

try:
    from urllib.parse import parse_qs, urlsplit
except ImportError:  # pragma: no cover
    from urlparse import parse_qs, urlsplit

import pytest

from ansible.module_utils import basic

from ansible_collections.alertops.core.plugins.module_utils import transport

SIM_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'simulator'))
BASE_URL = 'https://sim.alertops.test'
PLATFORMS = ('log360', 'mackerel', 'opsramp')
URL_ENV = {'log360': 'LOG360_URL', 'mackerel': 'MACKEREL_APIBASE', 'opsramp': 'OPSRAMP_URL'}
ENV_PREFIXES = ('LOG360_', 'MACKEREL_', 'OPSRAMP_', 'ALERTOPS_')
KEEP_ENV = ('ALERTOPS_CLAIMS_DIR',)
# POSTs that only read: a check-mode run may send them (vendor knowledge of the harness, in this one place)
READ_POSTS = {
    'log360': ('^/api/v2/alerts$', '^/api/v2/search$', '^/RestAPI/v1/meta/'),
    'opsramp': ('/auth/oauth/token$',),
    'mackerel': (),
    'notify': (),
}
# Defaults of the in-process simulator for unit tests: a Log360 job is done at once (no waiting in real time).
UNIT_VARIANTS = {'log360_job_duration': 0}


def _simulator():
    if SIM_DIR not in sys.path:
        sys.path.append(SIM_DIR)
    core = importlib.import_module('core')
    classes = [getattr(importlib.import_module(m), c) for m, c in
               (('log360', 'Log360'), ('mackerel', 'Mackerel'), ('opsramp', 'OpsRamp'), ('notify', 'Notify'))]
    return core, core.Simulator(classes)


class _Raw:
    """What Transport reads of a requests.Response."""

    def __init__(self, status, headers, content):
        self.status_code = status
        self.headers = headers
        self.content = content


class InProcessSession:
    """Stands in for requests.Session in the transport: the request is encoded by requests itself, then handed to
    the simulator's dispatcher; a dropped connection is the ConnectionError requests raises for it."""

    def __init__(self, sim, core):
        self.sim = sim
        self.core = core
        self.headers = {}
        self.proxies = {}
        self.verify = True
        self.trust_env = True

    def mount(self, prefix, adapter):
        pass

    def close(self):
        pass

    def request(self, method, url, params=None, headers=None, data=None, **_kwargs):
        import requests
        from requests.structures import CaseInsensitiveDict
        merged = dict(self.headers)
        merged.update(headers or {})
        prepared = requests.Request(method, url, params=params, headers=merged, data=data).prepare()
        split = urlsplit(prepared.url)
        body = prepared.body or b''
        if not isinstance(body, bytes):
            body = body.encode('utf-8')
        query_all = parse_qs(split.query, keep_blank_values=True)
        req = self.core.Request(method, split.path, dict((k, v[-1]) for k, v in query_all.items()),
                                dict((k.lower(), v) for k, v in prepared.headers.items()), body)
        req.query_all = query_all
        req.raw_query = split.query
        reply, drop_after, platform, fault = self.sim.dispatch(req)
        if platform:
            self.sim.record(req, platform, None if reply is None or drop_after else reply.status, fault)
        if reply is None or drop_after:
            raise requests.exceptions.ConnectionError('Connection aborted.', 'RemoteDisconnected: closed without response')
        out = CaseInsensitiveDict({'Content-Type': reply.content_type})
        out.update(reply.headers)
        return _Raw(reply.status, out, b'' if method == 'HEAD' else reply.payload())


class Sim:
    """The in-process simulator, with the control API of tests/integration/conftest.py's Sim."""

    def __init__(self, core, sim):
        self.core = core
        self.sim = sim

    def call(self, method, path, body=None):
        import json
        req = self.core.Request(method, path, {}, {}, json.dumps(body).encode() if body is not None else b'')
        reply, _drop, _platform, _fault = self.sim.dispatch(req)
        assert reply.status < 400, (path, reply.status, reply.body)
        return reply.body

    def configure(self, variants=None, faults=None):
        return self.call('POST', '/_sim/config', {'variants': variants or {}, 'faults': faults or {}})

    def control(self, platform, action, body=None, method=None):
        return self.call(method or ('POST' if body is not None else 'GET'), '/_sim/%s/%s' % (platform, action), body)

    def advance(self, seconds):
        return self.call('POST', '/_sim/clock', {'advance': seconds})

    def fail_next(self, platform, method, path, fault='500', count=1):
        body = dict(platform=platform, method=method, path=path, fault=fault, count=count)
        return self.call('POST', '/_sim/fail_next', body)

    def clear_log(self):
        self.sim.log = []

    def requests(self, platform=None, method=None, path=None):
        query = dict((k, v) for k, v in (('platform', platform), ('method', method), ('path', path)) if v)
        return self.sim.filter_log(query)

    def writes(self, platform=None):
        """Requests that may change something on the server (any method but GET/HEAD, except READ_POSTS)."""
        import re
        out = []
        for entry in self.requests(platform=platform):
            if entry['method'] in ('GET', 'HEAD'):
                continue
            if entry['method'] == 'POST' and any(re.search(p, entry['path']) for p in READ_POSTS[entry['platform']]):
                continue
            out.append(entry)
        return out


@pytest.fixture
def sim(monkeypatch):
    """A fresh in-process simulator wired under every Transport; the connection settings in the environment."""
    core, simulator = _simulator()
    handle = Sim(core, simulator)
    handle.configure(variants=UNIT_VARIANTS)
    monkeypatch.setattr(transport.requests, 'Session', lambda: InProcessSession(simulator, core))
    monkeypatch.setattr(transport.random, 'uniform', lambda low, high: 0.0)   # retry backoff: no real sleep
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES) and name not in KEEP_ENV:
            monkeypatch.delenv(name)
    for platform in PLATFORMS:
        monkeypatch.setenv(URL_ENV[platform], BASE_URL)
        for name, value in handle.control(platform, 'credentials')['env'].items():
            if name not in URL_ENV.values():
                monkeypatch.setenv(name, str(value))
    monkeypatch.setenv('ALERTOPS_RATE_LIMIT', '0')     # no even pacing (Log360's default is 60/min)
    return handle


def _warnings():
    """The warnings the module gave (module.warn), as text; the global list is emptied for the next run."""
    from ansible.module_utils.common import warnings as ansible_warnings
    found = [str(w) for w in ansible_warnings.get_warning_messages()]
    ansible_warnings._global_warnings.clear()   # pylint: disable=protected-access
    return found


def patch_module_args(args):
    """The module arguments for AnsibleModule instances created in this context (ansible-core's own helper)."""
    try:
        from ansible.module_utils.testing import patch_module_args as patch
    except ImportError:  # pragma: no cover - ansible-core before 2.19
        import json
        from unittest import mock
        return mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode('utf-8'))
    return patch(args)


class Ids(dict):
    """Placeholders of test tables -> ids of the seeded simulator; ``fill(value)`` replaces them in args."""

    def fill(self, value):
        if isinstance(value, dict):
            return dict((k, self.fill(v)) for k, v in value.items())
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return self.get(value, value) if isinstance(value, str) else value


@pytest.fixture
def ids(sim):
    """``{mackerel_open}``, ``{mackerel_closed}``, ``{mackerel_host}``, ``{opsramp_open}`` (nobody acted on it),
    ``{opsramp_closed}`` and ``{log360_job}`` (a finished job of 25 alert hits)."""
    mackerel = sim.control('mackerel', 'alerts')['alerts']
    opsramp = sim.control('opsramp', 'alerts')['alerts']
    return Ids({
        '{mackerel_open}': next(a['id'] for a in mackerel if a['status'] != 'OK'),
        '{mackerel_closed}': next(a['id'] for a in mackerel if a['status'] == 'OK'),
        '{mackerel_host}': sim.control('mackerel', 'hosts')['hosts'][0],
        '{opsramp_open}': next(a['uniqueId'] for a in opsramp
                               if not (a['closed'] or a['acknowledged'] or a['suppressed'])),
        '{opsramp_closed}': next(a['uniqueId'] for a in opsramp if a['closed']),
        '{log360_job}': sim.control('log360', 'jobs', {'hits': 25, 'kind': 'alerts'})['request_id'],
    })


class ModuleExit(Exception):
    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


def _exit_json(self, **kwargs):
    kwargs.setdefault('changed', False)
    warnings = _warnings()
    if warnings:
        kwargs['warnings'] = warnings
    raise ModuleExit(basic.remove_values(kwargs, self.no_log_values))


def _fail_json(self, msg=None, **kwargs):
    kwargs['failed'] = True
    kwargs['msg'] = msg
    warnings = _warnings()
    if warnings:
        kwargs['warnings'] = warnings
    raise ModuleExit(basic.remove_values(kwargs, self.no_log_values))


@pytest.fixture
def run_module(sim, monkeypatch):
    """run_module(name, args, check=False, diff=False) -> the dict the module exited or failed with."""
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', _fail_json)

    def run(name, args=None, check=False, diff=False):
        module = importlib.import_module('ansible_collections.alertops.core.plugins.modules.' + name)
        args = dict(args or {})
        args.update(_ansible_check_mode=check, _ansible_diff=diff)
        with patch_module_args(args):
            try:
                module.main()
            except ModuleExit as done:
                return done.result
            except SystemExit as exc:   # pragma: no cover - a module that exits on its own
                raise AssertionError('module %s exited without exit_json/fail_json: %s' % (name, exc))
        raise AssertionError('module %s returned without exit_json/fail_json' % name)

    return run


class ActionFailed(Exception):
    pass


@pytest.fixture
def run_action(run_module):
    """run_action(name, args, check=False) -> the action plugin's result dict; a failure (AnsibleActionFail) comes
    back as {'failed': True, 'msg': ...}. Modules the action runs (``_execute_module``) run in-process through
    ``run_module`` against the same simulator."""
    from unittest import mock

    from ansible.errors import AnsibleActionFail
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import action_loader
    from ansible.template import Templar

    def run(name, args, check=False, task_vars=None):
        task = mock.MagicMock()
        task.args = dict(args)
        task.check_mode = check
        task.diff = False
        task.async_val = 0
        task.action = 'alertops.core.' + name
        task.module_defaults = []
        plugin = action_loader.get('alertops.core.' + name, task=task, connection=mock.MagicMock(),
                                   play_context=mock.MagicMock(check_mode=check), loader=DataLoader(),
                                   templar=Templar(loader=DataLoader()), shared_loader_obj=mock.MagicMock())

        def execute(module_name=None, module_args=None, task_vars=None, **_kwargs):
            return run_module(module_name.split('.')[-1], module_args, check=check)

        plugin._execute_module = execute
        try:
            return plugin.run(task_vars=task_vars or {})
        except AnsibleActionFail as exc:
            return {'failed': True, 'msg': exc.message}

    return run
