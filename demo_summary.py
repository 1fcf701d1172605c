# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the demo did, in ten lines, from the newest change-window audit in a folder (./demo.sh calls it last).

    python3 demo_summary.py demo-output [START_EPOCH]   # only audits written since START_EPOCH
"""

from __future__ import absolute_import, division, print_function

import glob
import json
import os
import sys


def per_platform(alerts):
    counts = {}
    for alert in alerts:
        counts[alert.get('platform') or '?'] = counts.get(alert.get('platform') or '?', 0) + 1
    return ', '.join('%s %d' % kv for kv in sorted(counts.items()))


def counted(alerts, noun='alert'):
    text = '%d %s%s' % (len(alerts), noun, '' if len(alerts) == 1 else 's')
    return text + (' (%s)' % per_platform(alerts) if alerts else '')


def suppressed(audit):
    """The suppression lines (maintenance_window_suppress) and the verify verdict, when the audit has them."""
    record, verify = audit.get('suppression'), audit.get('verify')
    lines = []
    if record:
        parts = ['%d Mackerel downtime(s)' % len(record.get('downtimes') or []),
                 '%d host(s) in maintenance' % len(record.get('hosts_in_maintenance') or []),
                 '%d OpsRamp maintenance window(s)' % (1 if record.get('opsramp') else 0)]
        state = 'removed' if not record.get('in_place') else 'STILL IN PLACE: ' + '; '.join(record['in_place'])
        lines.append('   suppressed    %s; %s' % (', '.join(parts), state))
    if verify:
        lines.append('   verify        %s' % ('healthy' if verify.get('healthy') else '%d still failing: %s' % (
            len(verify.get('failing') or []), '; '.join('%s %s on %s' % (f.get('platform'), f.get('id'), f.get('host'))
                                                        for f in verify.get('failing') or []))))
    return lines


def summary(audit, path):
    window = audit.get('window') or {}
    begin, end = window.get('begin') or '', window.get('end') or ''
    baseline = [dict(a, platform=p) if isinstance(a, dict) else {'platform': p, 'id': a}
                for p, items in sorted((audit.get('baseline') or {}).items()) for a in items]
    seen, raised = set(), []
    for key in ('closed', 'acknowledged', 'closed_by_others', 'left_open', 'log360_alerts'):
        for alert in audit.get(key) or []:
            ident = (alert.get('platform'), alert.get('id'))
            if ident not in seen and begin <= (alert.get('opened_at') or '') <= (end or '9999'):
                seen.add(ident)
                raised.append(alert)
    groups = '; '.join('%d %s' % (g.get('count', 0), g.get('why', '')) for g in audit.get('left_open_groups') or [])
    html = path[:-len('.json')] + '.html' if path.endswith('.json') else path
    mode = ' - check mode, nothing was sent' if audit.get('check_mode') else ''
    lines = [
        '== summary of %s (window %s .. %s)%s' % (audit.get('change_id'), begin, end, mode),
        '   baselined     %s already open before the change' % counted(baseline),
        '   raised        %s opened during the window' % counted(raised),
        '   closed        %s by this change; %d closed by others' % (counted(audit.get('closed') or []),
                                                                     len(audit.get('closed_by_others') or [])),
    ]
    if audit.get('acknowledged'):
        lines.append('   acknowledged  %s' % counted(audit['acknowledged']))
    lines += [
        '   left open     %s%s' % (counted(audit.get('left_open') or []), ': ' + groups if groups else ''),
    ] + suppressed(audit) + [
        '   report        %s' % (html if os.path.exists(html) else path),
    ]
    return '\n'.join(lines)


def main(argv):
    folder = argv[1] if len(argv) > 1 else 'demo-output'
    since = float(argv[2]) if len(argv) > 2 else 0
    audits = sorted((p for p in glob.glob(os.path.join(folder, '*-audit.json')) if os.path.getmtime(p) >= since),
                    key=os.path.getmtime)
    if not audits:
        print('== no new change-window audit in %s (this playbook writes none)' % folder)
        return 0
    with open(audits[-1]) as handle:
        print(summary(json.load(handle), audits[-1]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
