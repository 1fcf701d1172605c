# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of connection options.

Module argument specs, environment fallbacks, the modules' doc fragments and the lookup's
doc fragment are all generated from CONNECTION_OPTIONS, so they cannot drift apart.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.alertops.core.plugins.module_utils import bulk, pacing, pager, transport
from ansible_collections.alertops.core.plugins.module_utils.errors import Redactor, ValidationError, mask_url, url_secrets

PLATFORMS = ('log360', 'mackerel', 'opsramp')
# Environment variable prefix of each platform: per-platform options ('per_platform': True) are read from
# <PREFIX>_<NAME> first, then from the common ALERTOPS_<NAME>.
ENV_PREFIX = transport.ENV_PREFIX
# The API path every request of a platform starts with; a url that already ends with it doubles it.
API_PREFIX = {'log360': '/api/v2', 'mackerel': '/api/v0', 'opsramp': '/api/v2'}
SECRET_NOTE = ('Surrounding whitespace (a trailing newline from a C(|) block scalar, C(ansible-vault encrypt_string) '
               'or a multi-line AWX field) is stripped.')

# name -> spec; 'env' lists the environment fallbacks (first found wins), 'secret' -> no_log.
CONNECTION_OPTIONS = {
    'log360': [
        dict(name='url', type='str', env=['LOG360_URL'], required=True,
             description='Base URL of the Log360 / EventLog Analyzer server, for example V(https://siem.example.com:8400).'),
        dict(name='token', type='str', env=['LOG360_TOKEN'], secret=True, required=True,
             description='AuthToken created under Settings > Admin Settings > API Settings. Sent as C(Authorization: Bearer).'),
    ],
    'mackerel': [
        dict(name='url', type='str', env=['MACKEREL_APIBASE'], default='https://api.mackerelio.com',
             description='Mackerel API base URL (V(https://kcps-mackerel.io) for KCPS).'),
        dict(name='api_key', type='str', env=['MACKEREL_APIKEY', 'MACKEREL_API_KEY'], secret=True, required=True,
             description=('Mackerel organisation API key, sent as C(X-Api-Key). Writes need a key with Write permission. '
                          'E(MACKEREL_APIKEY) is the name mkr uses, E(MACKEREL_API_KEY) the one of the Terraform provider '
                          'and other tools; when both are set, E(MACKEREL_APIKEY) wins.')),
    ],
    'opsramp': [
        dict(name='url', type='str', env=['OPSRAMP_URL'], required=True,
             description='OpsRamp API base URL, for example V(https://acme.api.opsramp.com).'),
        dict(name='tenant_id', type='str', env=['OPSRAMP_TENANT_ID'], required=True,
             description='Tenant (client or MSP) id, for example V(client_7).'),
        dict(name='client_id', type='str', env=['OPSRAMP_CLIENT_ID'],
             description='OAuth2 client id (key) of a Custom Integration. Used with O(client_secret) unless O(token) is set.'),
        dict(name='client_secret', type='str', env=['OPSRAMP_CLIENT_SECRET'], secret=True,
             description='OAuth2 client secret. The token it obtains is cached for the run and refreshed on expiry or on a 401.'),
        dict(name='token', type='str', env=['OPSRAMP_TOKEN'], secret=True,
             description='A static Bearer token, used instead of O(client_id)/O(client_secret).'),
        dict(name='token_path', type='str', env=['OPSRAMP_TOKEN_PATH'], default='/tenancy/auth/oauth/token', secret=False,
             description=('Path of the OAuth2 token endpoint. Newer OpsRamp releases use V(/tenancy/auth/oauth/token), older ones '
                          'V(/auth/oauth/token); when the configured path answers 404 the other one is tried.')),
    ],
    'common': [
        dict(name='validate_certs', type='bool', env=['ALERTOPS_VALIDATE_CERTS'], default=True, per_platform=True,
             description='Verify the server TLS certificate. Set to V(false) only for lab servers with self-signed certificates.'),
        dict(name='ca_path', type='path', env=['ALERTOPS_CA_PATH'], per_platform=True,
             description=('PEM bundle of CA certificates used to verify the server B(instead of) the system trust store: '
                          'with it set, a server whose certificate a public CA signed is no longer trusted for this '
                          'platform (concatenate the system bundle and the internal CA into one file to trust both). '
                          'The per-platform variables let an on-premises server behind an internal CA and a SaaS '
                          'endpoint run in one play.')),
        dict(name='request_timeout', type='float', env=['ALERTOPS_REQUEST_TIMEOUT'], default=30,
             description=('Deadline in seconds for each HTTP request attempt, from connecting to the last byte of the '
                          'answer (a server that answers too slowly, or a byte at a time, fails it). A finite number '
                          'greater than 0.')),
        dict(name='retries', type='int', env=['ALERTOPS_RETRIES'], default=3,
             description=('How often a request is retried on 429, 502, 503, 504 and connection errors, with jittered exponential '
                          'backoff that honours C(Retry-After). Writes are retried only when the server certainly did not act.')),
        dict(name='rate_limit', type='float', env=['ALERTOPS_RATE_LIMIT'], per_platform=True,
             description=('Requests per minute this task sends at most, paced evenly - one request every 60/O(rate_limit) '
                          'seconds (2 percent wider, for network jitter), never a burst - so a long walk stays under the '
                          'vendor limit instead of being refused. '
                          'Default V(60) for log360 (EventLog Analyzer API v2 documents 60 requests/minute for all '
                          'endpoints), none for the others. V(0) switches pacing off. Whatever the value, a 429 answer '
                          'makes the next request wait for C(Retry-After), else C(X-RateLimit-Reset), else the '
                          "platform's one-minute rate window, and OpsRamp's C(X-RateLimit-Remaining) running low "
                          'spreads the requests left up to C(X-RateLimit-Reset).')),
        dict(name='wait_budget', type='float', env=['ALERTOPS_WAIT_BUDGET'], default=900,
             description=('Seconds one task may spend waiting for rate limits in total (pacing, 429 answers, '
                          'C(Retry-After) of any length or an HTTP date). A wait that would go past it fails the task at '
                          'once with a message that says so, instead of sleeping. Waits of 5 seconds or more are reported '
                          'as warnings, every wait at C(-v).')),
    ],
}


# Rules between a platform's connection options, in AnsibleModule's vocabulary. check_required() enforces them for
# modules, the lookup and the clients. They are not handed to AnsibleModule: its checks count an option set to ""
# (an empty AWX credential field) as given, and its message cannot name the environment variables.
CONNECTION_RULES = {
    # a static token, or both halves of the OAuth2 client credentials
    'opsramp': {'required_one_of': [('token', 'client_id'), ('token', 'client_secret')]},
}


# Option groups several modules share: a module names a group in AlertOpsModule(groups=...) and in
# extends_documentation_fragment (alertops.core.<group>); its argument spec, its doc fragment and the check of its
# values ('check', run by AlertOpsModule.run before the module's own code) all come from here.
TIME_FORMATS = ('ISO 8601 with a zone (V(2026-11-23T10:00:00Z), V(2026-11-23T19:00:00+09:00); an offset is at most 18:00). '
                'A date and time without a zone is refused (add V(Z) for UTC); a date alone (V(2026-11-23) or V(20261123)) '
                'is that day at 00:00 UTC. Epoch seconds up to V(253402300799) (9999-12-31T23:59:59Z) or epoch milliseconds '
                'from V(1000000000000) (2001-09-09T01:46:40Z); a number between the two is refused. Or relative (V(now), '
                'V(-24h), V(-30m), V(-7d)).')
OPTION_GROUPS = {
    'concurrency': [
        dict(name='concurrency', type='int', default=8, check=bulk.check_concurrency,
             description=['How many requests of this task run at once, over its one pooled HTTP session; 1 to 64.',
                          'A bulk write sends its first write alone, so a key without write permission fails after one '
                          'request, and sends no more writes after a 401 or 403.']),
    ],
    'max_items': [
        dict(name='max_items', type='int', check=pager.check_max_items,
             description=['Return at most this many items (newest first, after filtering); paging stops as soon as '
                          'they are found. A whole number of at least 1; unset returns every item.']),
    ],
    'mackerel_filters': [
        dict(name='status', type='list', elements='str',
             description=['Only alerts with one of these statuses.',
                          'V(OK), V(CRITICAL), V(WARNING), V(UNKNOWN), in any case. The lookup\'s normalised words map '
                          'one to one - V(critical), V(warning), V(unknown), and V(info) (= V(OK), a closed alert). '
                          'A single word is a list of one.']),
        dict(name='type', type='list', elements='str',
             description=['Only alerts of monitors of one of these types.',
                          'V(connectivity), V(host), V(service), V(external), V(check), V(expression), '
                          'V(anomalyDetection), V(query), in any case (V(anomaly_detection) too). A single word is a '
                          'list of one.']),
        dict(name='monitor_id', type='list', elements='str',
             description=['Only alerts raised by one of these monitors.']),
        dict(name='host_id', type='list', elements='str',
             description=['Only alerts of one of these hosts (only connectivity, host, check and anomalyDetection '
                          'alerts carry a host).']),
        dict(name='opened_after', type='str',
             description=['Only alerts opened at or after this time (inclusive).', TIME_FORMATS]),
        dict(name='opened_before', type='str',
             description=['Only alerts opened at or before this time (inclusive). Same formats as O(opened_after).']),
    ],
}
MACKEREL_FILTERS = tuple(o['name'] for o in OPTION_GROUPS['mackerel_filters'])

# The attributes block of the modules: what check and diff mode mean (described once, each module says its
# support and details) and the action group of each platform (alertops.core.attributes.actiongroup_<platform>).
ATTRIBUTES = {
    'check_mode': {'description': 'Can run in check mode and report what would change without changing anything.'},
    'diff_mode': {'description': 'Returns what has changed (or would change in check mode) as a before/after diff in '
                                 'diff mode.'},
}


def action_group_attribute(platform):
    return {'action_group': {
        'description': 'Use C(group/alertops.core.%s) or C(group/alertops.core.all) in C(module_defaults).' % platform,
        'support': 'full', 'membership': ['alertops.core.%s' % platform, 'alertops.core.all']}}


def _spec_entry(opt):
    entry = dict(type=opt['type'])
    for key in ('elements', 'default', 'choices'):
        if key in opt:
            entry[key] = opt[key]
    return entry


def check_groups(groups, params):
    """Check the values of the named option groups (ValidationError naming the option)."""
    for group in groups:
        for opt in OPTION_GROUPS[group]:
            if 'check' in opt:
                opt['check'](params.get(opt['name']))


def group_spec(*groups):
    """Argument spec of the named option groups."""
    spec = {}
    for group in groups:
        for opt in OPTION_GROUPS[group]:
            spec[opt['name']] = _spec_entry(opt)
    return spec


def _options(platform):
    if platform not in PLATFORMS:
        raise ValueError('unknown platform %r' % platform)
    return CONNECTION_OPTIONS[platform] + [_for_platform(o, platform) for o in CONNECTION_OPTIONS['common']]


def _option(platform, name):
    return next(o for o in _options(platform) if o['name'] == name)


def _for_platform(opt, platform):
    if not opt.get('per_platform'):
        return opt
    return dict(opt, env=[platform_env(opt, platform)] + list(opt['env']))


def platform_env(opt, platform):
    """The per-platform variable of a common option: ALERTOPS_CA_PATH -> LOG360_CA_PATH for log360."""
    return ENV_PREFIX[platform] + '_' + opt['name'].upper()


def env_fallback(*names):
    """Like Ansible's env_fallback, but an empty variable counts as not set (an AWX injector with an empty input
    must not hide the common variable)."""
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound


def argument_spec(platform, **extra):
    """AnsibleModule argument_spec: the platform's connection options plus ``extra``."""
    spec = {}
    for opt in _options(platform):
        entry = _spec_entry(opt)
        if opt.get('env'):
            entry['fallback'] = (env_fallback, list(opt['env']))
        if 'secret' in opt:
            entry['no_log'] = opt['secret']
        spec[opt['name']] = entry
    spec.update(extra)
    return spec


def connection_params(platform, params):
    """Pick the connection options out of module params or lookup options and check the required ones."""
    picked = {}
    for opt in _options(platform):
        value = params.get(opt['name'])
        if value is None and opt.get('env'):
            # lookups read env through their own config; modules already had their fallback applied
            value = next((os.environ[e] for e in opt['env'] if os.environ.get(e)), None)
            if value is not None:
                value = _convert(platform, opt, value)
        if value is None and 'default' in opt:
            value = opt['default']
        if opt.get('secret') and isinstance(value, str):
            value = value.strip()
        picked[opt['name']] = value
    check_required(platform, picked)
    _check(platform, picked)
    return picked


def default(platform, name):
    """The table's default of a connection option (None without one)."""
    return _option(platform, name).get('default')


def check_required(platform, params):
    """The required connection options and CONNECTION_RULES, for modules, the lookup and the clients alike: a
    message that names the options and their environment variables. An empty value counts as not set."""
    for opt in _options(platform):
        if opt.get('required') and params.get(opt['name']) in (None, ''):
            raise ValidationError('option %s is required (set it on the task, in module_defaults, or in the environment '
                                  'variable %s)' % (opt['name'], ' or '.join(opt['env'])), platform=platform)
    groups = CONNECTION_RULES.get(platform, {}).get('required_one_of', [])
    if any(not any(params.get(name) for name in group) for group in groups):
        raise ValidationError(_describe_one_of(platform, groups), platform=platform)


def _describe_one_of(platform, groups):
    """[(token, client_id), (token, client_secret)] -> set either token (OPSRAMP_TOKEN) or both client_id and
    client_secret (OPSRAMP_CLIENT_ID, OPSRAMP_CLIENT_SECRET)."""
    common = [name for name in groups[0] if all(name in group for group in groups)]
    rest = list(dict.fromkeys(name for group in groups for name in group if name not in common))

    def named(names):
        return '%s (%s)' % (' and '.join(names), ', '.join(_option(platform, n)['env'][0] for n in names))
    if not common:
        return 'set one of %s' % ', '.join(named([n]) for n in rest)
    return 'set either %s or %s %s' % (named(common), 'both' if len(rest) == 2 else 'all of', named(rest))


def secret_redactor(platform, params, from_env=False, redactor=None):
    """A Redactor for the secret connection options in ``params`` (and, with ``from_env``, their environment
    variables) and for the password of their url: what masks a message before any client exists."""
    redactor = redactor if redactor is not None else Redactor()
    for opt in CONNECTION_OPTIONS[platform]:
        if not opt.get('secret'):
            continue
        values = [params.get(opt['name'])]
        if from_env:
            values += [os.environ.get(e) for e in opt.get('env', [])]
        for value in values:
            if value:
                redactor.add(str(value))
    for value in url_secrets(params.get('url')):
        redactor.add(value)
    return redactor


def _convert(platform, opt, value):
    """A value read from the environment (lookups) in the option's type."""
    try:
        if opt['type'] == 'bool':
            return boolean(value, strict=True)
        if opt['type'] == 'float':
            return float(value)
        if opt['type'] == 'int':
            return int(value)
    except (TypeError, ValueError):
        raise ValidationError('option %s (from %s) must be a %s, got %r' % (
            opt['name'], ' or '.join(opt['env']), opt['type'], value), platform=platform)
    return value


def _check(platform, picked):
    """Checks every connection option gets, modules and lookup alike, before anything is sent."""
    url = picked.get('url')
    problem = transport.check_url(url)
    if problem:
        raise ValidationError('option url %s' % problem, platform=platform)
    path = url.split('?')[0].split('#')[0].rstrip('/')
    prefix = API_PREFIX.get(platform)
    if prefix and (path.endswith(prefix) or (prefix + '/') in path[path.find('//') + 2:]):
        raise ValidationError('option url must be the base URL of the server without %s (the modules add it; the '
                              'request would go to %s%s/...): use %s'
                              % (prefix, mask_url(path), prefix, mask_url(path[:path.find(prefix)] or path)),
                              platform=platform)
    if picked.get('request_timeout') is not None:
        problem = transport.check_timeout(picked['request_timeout'])
        if problem:
            raise ValidationError('option request_timeout %s' % problem, platform=platform)
    pacing.check(platform, picked.get('rate_limit'), picked.get('wait_budget'))
    if picked.get('retries') is not None and int(picked['retries']) < 0:
        raise ValidationError('option retries must not be negative, got %s' % picked['retries'], platform=platform)
    ca_path = picked.get('ca_path')
    if ca_path and picked.get('validate_certs', True) and not os.path.exists(ca_path):
        raise ValidationError('option ca_path names %s, which does not exist' % ca_path, platform=platform)


def _doc_option(opt, platform=None, plugin_env=False):
    where = '%s: ' % platform if platform else ''
    doc = {'description': [where + opt['description']], 'type': opt['type']}
    per_platform = opt.get('per_platform')
    if plugin_env and opt.get('env') and not per_platform:
        doc['env'] = [{'name': e} for e in opt['env']]
    if 'default' in opt and not platform and not (plugin_env and per_platform):
        doc['default'] = opt['default']
    elif 'default' in opt:
        doc['description'].append(where + 'Default V(%s).' % opt['default'])
    if per_platform:
        doc['description'].append(
            'If not set, the variable of the platform is used (%s), then the common E(%s).'
            % (', '.join('E(%s)' % platform_env(opt, p) for p in PLATFORMS), opt['env'][0]))
    elif opt.get('env'):
        doc['description'].append(where + 'If not set, the environment variable %s is used.'
                                  % ' or '.join('E(%s)' % e for e in opt['env']))
    if opt.get('required'):
        doc['description'].append(where + 'Required, here or through its environment variable.')
    if opt.get('secret'):
        doc['description'].append(SECRET_NOTE + ' Never logged; masked in every message, in any encoding.')
    return doc


def doc_fragment_options(platform):
    """Documentation of one platform's connection options (or the common ones)."""
    return dict((o['name'], _doc_option(o)) for o in CONNECTION_OPTIONS[platform])


def lookup_doc_fragment_options():
    """The lookup serves every platform, so options that several platforms share (url, token) are merged:
    their environment fallbacks are resolved per platform at run time by connection_params()."""
    merged = {}
    for platform in PLATFORMS:
        for opt in CONNECTION_OPTIONS[platform]:
            doc = _doc_option(opt, platform)
            if opt['name'] in merged:
                merged[opt['name']]['description'].extend(doc['description'])
            else:
                merged[opt['name']] = doc
    return merged


_FRAGMENT_TEMPLATE = """# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# GENERATED from plugins/module_utils/options.py by .ci/generate-doc-fragments: do not edit by hand.

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
%s"""
_VARIABLE_TEMPLATE = """    %s = r\"\"\"
%s\"\"\"
"""


def group_doc_options(group):
    """Documentation of one option group, as the modules that use it see it."""
    out = {}
    for opt in OPTION_GROUPS[group]:
        doc = {'description': list(opt['description']), 'type': opt['type']}
        for key in ('elements', 'default', 'choices'):
            if key in opt:
                doc[key] = opt[key]
        out[opt['name']] = doc
    return out


def _attribute_fragments():
    """The variables of the attributes fragment: DOCUMENTATION (what check_mode and diff_mode mean), INFO_MODULE
    (a read-only module's support) and ACTIONGROUP_<PLATFORM>."""
    variables = [('DOCUMENTATION', {'options': {}, 'attributes': ATTRIBUTES})]
    variables.append(('INFO_MODULE', {'options': {}, 'attributes': {
        'check_mode': {'support': 'full', 'details': 'Read-only; runs the same in check mode.'},
        'diff_mode': {'support': 'none', 'details': 'Read-only; there is nothing to compare.'}}}))
    for platform in PLATFORMS:
        variables.append(('ACTIONGROUP_%s' % platform.upper(),
                          {'options': {}, 'attributes': action_group_attribute(platform)}))
    return variables


def _render(variables):
    import yaml  # controller side only: the generator and the unit test run there
    body = []
    for name, doc in variables:
        text = yaml.safe_dump(doc, sort_keys=True, default_flow_style=False, width=110)
        body.append(_VARIABLE_TEMPLATE % (name, '---\n' + text))
    return _FRAGMENT_TEMPLATE % '\n'.join(body)


def rendered_doc_fragments(root):
    """{path: file text} of every generated doc fragment (used by the generator and the drift test)."""
    fragments = dict((p, {'options': doc_fragment_options(p)}) for p in PLATFORMS + ('common',))
    fragments['lookup'] = {'options': lookup_doc_fragment_options()}
    # plugins read the common options through their own config system, so those carry env: entries. Their own
    # fragment file: 'alertops.core.lookup.common' resolved to the modules' common.py (no env:), so the lookup
    # ignored ALERTOPS_VALIDATE_CERTS, ALERTOPS_CA_PATH, ALERTOPS_RETRIES and ALERTOPS_REQUEST_TIMEOUT.
    fragments['lookup_common'] = {
        'options': dict((o['name'], _doc_option(o, plugin_env=True)) for o in CONNECTION_OPTIONS['common'])}
    for group in OPTION_GROUPS:
        fragments[group] = {'options': group_doc_options(group)}
    out = dict((name, _render([('DOCUMENTATION', doc)])) for name, doc in fragments.items())
    out['attributes'] = _render(_attribute_fragments())
    return dict((os.path.join(root, 'plugins', 'doc_fragments', name + '.py'), text) for name, text in out.items())
