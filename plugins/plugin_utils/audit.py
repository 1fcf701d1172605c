# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit rendering, in one place: everything the self-contained HTML alert report prints.

Used by the filters ``alertops.core.alert_report_data`` / ``alert_severity`` (plugins/filter/report.py, the
alert_report role's template) and by the change_window action (``render_change_report``: the audit of a change, the
same template rendered in the controller process). All counting, bucketing and SVG geometry happens here so that the
template only loops and prints. Documentation of the filters: plugins/filter/alert_report_data.yml and
alert_severity.yml.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os
from collections.abc import Mapping
from datetime import datetime, timedelta

from ansible.errors import AnsibleFilterError

from ansible_collections.alertops.core.plugins.module_utils.alerts import SEVERITIES, normalise_severity
from ansible_collections.alertops.core.plugins.module_utils.errors import ValidationError
from ansible_collections.alertops.core.plugins.module_utils.timeutil import parse_vendor, to_epoch, to_iso
from ansible_collections.alertops.core.plugins.plugin_utils import change_window as cw

# Print-safe colours with enough contrast against white (and against each other for colour-blind readers:
# red / orange / blue / grey differ in lightness as well as hue).
COLOURS = {'critical': '#b71c1c', 'warning': '#e65100', 'info': '#1565c0', 'unknown': '#757575'}
LABELS = {'critical': 'Critical', 'warning': 'Warning', 'info': 'Info', 'unknown': 'Unknown'}
PLATFORM_ORDER = ('log360', 'mackerel', 'opsramp')
PLATFORM_LABELS = {'log360': 'Log360', 'mackerel': 'Mackerel', 'opsramp': 'OpsRamp'}
NO_SOURCE = '(no source)'
MAX_BUCKETS = 500

# Chart geometry (SVG user units; the SVG scales to the page width through its viewBox).
CHART_WIDTH = 960
CHART_HEIGHT = 380
PLOT_LEFT = 64
PLOT_RIGHT = 40
PLOT_TOP = 48
PLOT_BOTTOM = 76
MAX_X_LABELS = 9
Y_TICKS_TARGET = 5

_EPOCH = datetime(1970, 1, 1)


def _fail(msg):
    raise AnsibleFilterError('alert_report_data: %s' % msg)


def _int_arg(value, name, minimum, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        _fail('%s must be an integer, got %r' % (name, value))
    if isinstance(value, bool) or number < minimum or (maximum is not None and number > maximum):
        upper = 'any' if maximum is None else maximum
        _fail('%s must be an integer between %s and %s, got %r' % (name, minimum, upper, value))
    return number


def _window_epoch(value, name):
    try:
        return to_epoch(value, name)
    except ValidationError as exc:
        _fail(str(exc))


def _utc(epoch):
    return _EPOCH + timedelta(seconds=epoch)


def _label(epoch):
    """Human-readable UTC time for tables: 2026-11-23 10:05:00."""
    if epoch is None:
        return ''
    return _utc(int(epoch)).strftime('%Y-%m-%d %H:%M:%S')


def _duration_label(seconds):
    seconds = int(round(seconds))
    if seconds <= 0:
        return '0 s'
    parts = []
    for unit, size in (('d', 86400), ('h', 3600), ('min', 60), ('s', 1)):
        if seconds >= size:
            parts.append('%d %s' % (seconds // size, unit))
            seconds %= size
    return ' '.join(parts[:2])


def _text(value):
    if value is None:
        return ''
    return value if isinstance(value, str) else str(value)


def alert_severity(value):
    """One vendor or normalised severity word -> critical, warning, info or unknown."""
    return normalise_severity(value)


class _TimeCache:
    """Parses alert timestamps once per distinct value (reports repeat the same second a lot)."""

    def __init__(self):
        self.seen = {}

    def epoch(self, value):
        if value is None or value == '':
            return None
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return parse_vendor(value)
        key = str(value)
        if key not in self.seen:
            self.seen[key] = parse_vendor(key)
        return self.seen[key]


def _row(alert, times, start, end):
    """A display row for one alert (never the raw vendor object)."""
    if not isinstance(alert, Mapping):
        _fail('every alert must be a dict, got %s' % type(alert).__name__)
    nested = alert.get('alert')
    if isinstance(nested, Mapping):  # result items that wrap the alert: {alert: {...}, reason: ...}
        merged = dict(nested)
        merged.update((k, v) for k, v in alert.items() if k != 'alert')
        alert = merged
    opened = times.epoch(alert.get('opened_at'))
    closed = times.epoch(alert.get('closed_at'))
    if opened is None:
        where = 'undated'
    elif opened < start:
        where = 'before'
    elif opened > end:
        where = 'after'
    else:
        where = 'in'
    severity = normalise_severity(alert.get('severity'))
    status = _text(alert.get('status')).strip().lower() or ('closed' if closed is not None else 'open')
    return {
        'platform': _text(alert.get('platform')),
        'platform_label': PLATFORM_LABELS.get(_text(alert.get('platform')), _text(alert.get('platform'))),
        'id': _text(alert.get('id')),
        'status': status,
        'severity': severity,
        'severity_label': LABELS[severity],
        'colour': COLOURS[severity],
        'title': _text(alert.get('title')),
        # Mackerel alerts carry ids; the role adds the names Mackerel's UI shows (host_name, monitor_name)
        'source': _text(alert.get('host_name') or alert.get('source')),
        'monitor': _text(alert.get('monitor_name') or alert.get('monitor_id')),
        'closed_by': _text(alert.get('closed_by')),
        'opened_at': to_iso(opened) if opened is not None else None,
        'closed_at': to_iso(closed) if closed is not None else None,
        'opened_label': _label(opened),
        'closed_label': _label(closed),
        'opened_epoch': opened,
        'window': where,
        'reason': _text(alert.get('reason')),
        'why': _text(alert.get('why')),
    }


def _sort_key(row):
    opened = row['opened_epoch']
    return (opened is None, opened if opened is not None else 0, row['platform'], row['id'])


def _nice_step(max_value):
    """Smallest 1/2/5 x 10^n integer step giving at most Y_TICKS_TARGET steps up to max_value."""
    if max_value <= Y_TICKS_TARGET:
        return 1
    raw = max_value / float(Y_TICKS_TARGET)
    magnitude = 10 ** int(math.floor(math.log10(raw)))
    for multiple in (1, 2, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            return int(step)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def _tick_format(window_seconds, bucket_seconds):
    if bucket_seconds >= 86400 and bucket_seconds % 86400 == 0:
        return '%m-%d', '%Y'
    if window_seconds <= 120 or bucket_seconds < 60:
        return '%H:%M:%S', '%Y-%m-%d'
    return '%H:%M', '%Y-%m-%d'


def _round(value):
    return round(value, 2)


def _chart(start, end, bucket_seconds, counts, totals):
    n_buckets = len(totals)
    plot_w = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_h = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    plot_bottom = PLOT_TOP + plot_h
    max_total = max(totals) if totals else 0
    step = _nice_step(max_total)
    y_max = max(step, step * int(math.ceil(max_total / float(step))))
    scale = plot_h / float(y_max)
    slot = plot_w / float(n_buckets)
    gap = min(slot * 0.2, 6.0) if slot >= 3 else 0.0
    bar_w = slot - gap
    fmt, sub_fmt = _tick_format(end - start, bucket_seconds)

    bars = []
    for index in range(n_buckets):
        b_start = start + index * bucket_seconds
        b_end = min(end, b_start + bucket_seconds)
        when = '%s to %s UTC' % (_utc(b_start).strftime('%Y-%m-%d %H:%M'), _utc(b_end).strftime('%Y-%m-%d %H:%M'))
        cumulative = 0
        y_prev = float(plot_bottom)
        for severity in SEVERITIES:  # critical at the bottom of the stack
            count = counts[severity][index]
            if not count:
                continue
            cumulative += count
            y_top = _round(plot_bottom - cumulative * scale)
            bars.append({
                'id': 'bar-%d-%s' % (index, severity),
                'bucket': index,
                'severity': severity,
                'count': count,
                'x': _round(PLOT_LEFT + index * slot + gap / 2.0),
                'y': y_top,
                'width': _round(bar_w),
                'height': _round(y_prev - y_top),
                'colour': COLOURS[severity],
                'tooltip': '%s: %d %s (%d in this interval)' % (when, count, severity, totals[index]),
            })
            y_prev = y_top

    y_ticks = []
    for value in range(0, y_max + 1, step):
        y_ticks.append({'value': value, 'label': str(value), 'y': _round(plot_bottom - value * scale)})

    label_step = max(1, int(math.ceil(n_buckets / float(MAX_X_LABELS))))
    x_ticks = []
    previous_sub = None
    for index in range(0, n_buckets + 1, label_step):
        moment = _utc(min(end, start + index * bucket_seconds))
        sub = moment.strftime(sub_fmt)
        x_ticks.append({'x': _round(PLOT_LEFT + index * slot), 'label': moment.strftime(fmt),
                        'sublabel': sub if sub != previous_sub else ''})
        previous_sub = sub

    legend = []
    x = PLOT_LEFT
    for severity in SEVERITIES:
        total = sum(counts[severity])
        text = '%s (%d)' % (LABELS[severity], total)
        legend.append({'severity': severity, 'label': text, 'colour': COLOURS[severity],
                       'x': x, 'y': 18, 'swatch': 12, 'text_x': x + 18, 'text_y': 28})
        x += 18 + 8 * len(text) + 24

    total_in = sum(totals)
    return {
        'width': CHART_WIDTH,
        'height': CHART_HEIGHT,
        'viewbox': '0 0 %d %d' % (CHART_WIDTH, CHART_HEIGHT),
        'plot': {'x': PLOT_LEFT, 'y': PLOT_TOP, 'width': plot_w, 'height': plot_h,
                 'right': PLOT_LEFT + plot_w, 'bottom': plot_bottom,
                 'centre_x': _round(PLOT_LEFT + plot_w / 2.0), 'centre_y': _round(PLOT_TOP + plot_h / 2.0)},
        'bars': bars,
        'y_max': y_max,
        'y_step': step,
        'y_ticks': y_ticks,
        'x_ticks': x_ticks,
        'y_tick_label_x': PLOT_LEFT - 8,
        'x_tick_mark_y': plot_bottom + 5,
        'x_tick_label_y': plot_bottom + 18,
        'x_tick_sublabel_y': plot_bottom + 32,
        'x_title': 'Time opened (UTC), %d intervals of %s' % (n_buckets, _duration_label(bucket_seconds)),
        'x_title_x': _round(PLOT_LEFT + plot_w / 2.0),
        'x_title_y': CHART_HEIGHT - 10,
        'y_title': 'Alerts opened',
        'y_title_x': 16,
        'y_title_y': _round(PLOT_TOP + plot_h / 2.0),
        'legend': legend,
        'empty': total_in == 0,
        'title': 'Alerts opened per interval by severity',
        'description': ('%d alerts opened between %s and %s UTC, in %d intervals of %s; stacked by severity '
                        '(%s); the highest interval has %d.'
                        % (total_in, _label(start), _label(end), n_buckets, _duration_label(bucket_seconds),
                           ', '.join('%s %d' % (s, sum(counts[s])) for s in SEVERITIES), max_total)),
    }


def _platform_rows(rows):
    table = {}
    for row in rows:
        entry = table.get(row['platform'])
        if entry is None:
            entry = table[row['platform']] = {
                'platform': row['platform'], 'label': row['platform_label'] or '(none)', 'total': 0, 'in_window': 0,
                'outside_window': 0, 'undated': 0, 'open': 0, 'closed': 0}
            entry.update((s, 0) for s in SEVERITIES)
        entry['total'] += 1
        entry[row['severity']] += 1
        entry['closed' if row['status'] == 'closed' else 'open'] += 1
        if row['window'] == 'in':
            entry['in_window'] += 1
        elif row['window'] == 'undated':
            entry['undated'] += 1
        else:
            entry['outside_window'] += 1

    def order(name):
        return (PLATFORM_ORDER.index(name), '') if name in PLATFORM_ORDER else (len(PLATFORM_ORDER), name)
    return [table[name] for name in sorted(table, key=order)]


def _top_sources(rows, top):
    table = {}
    for row in rows:
        name = row['source'] or NO_SOURCE
        entry = table.get(name)
        if entry is None:
            entry = table[name] = {'source': name, 'total': 0, 'open': 0, 'platforms': set(), 'last_epoch': None}
            entry.update((s, 0) for s in SEVERITIES)
        entry['total'] += 1
        entry[row['severity']] += 1
        if row['status'] != 'closed':
            entry['open'] += 1
        if row['platform']:
            entry['platforms'].add(row['platform_label'])
        opened = row['opened_epoch']
        if opened is not None and (entry['last_epoch'] is None or opened > entry['last_epoch']):
            entry['last_epoch'] = opened
    ranked = sorted(table.values(), key=lambda e: (-e['total'], -e['critical'], -e['warning'], e['source']))
    result = []
    for rank, entry in enumerate(ranked[:top], 1):
        last = entry.pop('last_epoch')
        entry['rank'] = rank
        entry['platforms'] = ', '.join(sorted(entry['platforms']))
        entry['last_opened_label'] = _label(last)
        result.append(entry)
    return result, len(table)


def _public(row):
    row = dict(row)
    row.pop('opened_epoch', None)
    return row


def _hit_rows(hit_counts):
    if hit_counts is None or hit_counts == '' or hit_counts == {}:
        return []
    if isinstance(hit_counts, Mapping):
        rows = []
        for key, value in hit_counts.items():
            label = _text(key).replace('_', ' ').strip()
            rows.append({'key': _text(key), 'label': label[:1].upper() + label[1:], 'value': _text(value)})
        return rows
    if isinstance(hit_counts, (int, float, str)) and not isinstance(hit_counts, bool):
        return [{'key': 'total_hits', 'label': 'Total hits', 'value': _text(hit_counts)}]
    _fail('hit_counts must be a dict or a number, got %s' % type(hit_counts).__name__)


def _listing(items, name, times, start, end):
    if items is None:
        return None
    if isinstance(items, Mapping) or isinstance(items, str) or not hasattr(items, '__iter__'):
        _fail('%s must be a list of alerts, got %s' % (name, type(items).__name__))
    rows = sorted((_row(item, times, start, end) for item in items), key=_sort_key)
    return [_public(row) for row in rows]


def alert_report_data(alerts, start, end, buckets=24, top=10, closed=None, left_open=None, hit_counts=None,
                      max_rows=2000, closed_by_others=None, first_groups=None):
    """Everything the HTML report template prints, computed from normalised alerts and a window.

    ``first_groups``: the reasons for leaving an alert open that the reader must see first, in order; the other
    reasons are shown as counts with their list collapsed (the change-window audit passes its own order).
    """
    if alerts is None:
        alerts = []
    if isinstance(alerts, Mapping) or isinstance(alerts, str) or not hasattr(alerts, '__iter__'):
        _fail('the input must be a list of alerts, got %s' % type(alerts).__name__)
    n_buckets = _int_arg(buckets, 'buckets', 1, MAX_BUCKETS)
    top = _int_arg(top, 'top', 0)
    max_rows = _int_arg(max_rows, 'max_rows', 0)
    start_epoch = _window_epoch(start, 'start')
    end_epoch = _window_epoch(end, 'end')
    if end_epoch <= start_epoch:
        _fail('end (%s) must be after start (%s)' % (to_iso(end_epoch), to_iso(start_epoch)))
    # alert times have one-second resolution: a window shorter than the bucket count gets fewer, whole-second
    # buckets rather than fractions of a second that would all print the same time
    n_buckets = max(1, min(n_buckets, int(end_epoch - start_epoch)))
    bucket_seconds = (end_epoch - start_epoch) / float(n_buckets)

    times = _TimeCache()
    rows = [_row(alert, times, start_epoch, end_epoch) for alert in alerts]

    counts = dict((s, [0] * n_buckets) for s in SEVERITIES)
    totals = {'alerts': len(rows), 'in_window': 0, 'before_window': 0, 'after_window': 0, 'undated': 0,
              'open': 0, 'closed': 0}
    severity_all = dict((s, 0) for s in SEVERITIES)
    for row in rows:
        severity_all[row['severity']] += 1
        totals['closed' if row['status'] == 'closed' else 'open'] += 1
        where = row['window']
        if where == 'in':
            totals['in_window'] += 1
            index = int((row['opened_epoch'] - start_epoch) // bucket_seconds)
            counts[row['severity']][min(index, n_buckets - 1)] += 1  # opened exactly at end: last bucket
        elif where == 'undated':
            totals['undated'] += 1
        else:
            totals[where + '_window'] += 1
    totals['outside_window'] = totals['before_window'] + totals['after_window']
    bucket_totals = [sum(counts[s][i] for s in SEVERITIES) for i in range(n_buckets)]

    bucket_rows = []
    for index in range(n_buckets):
        b_start = start_epoch + index * bucket_seconds
        b_end = min(end_epoch, b_start + bucket_seconds)
        bucket_rows.append({'index': index, 'start': to_iso(b_start), 'end': to_iso(b_end),
                            'label': '%s to %s' % (_label(b_start), _label(b_end)), 'total': bucket_totals[index],
                            'counts': dict((s, counts[s][index]) for s in SEVERITIES)})

    top_rows, distinct_sources = _top_sources(rows, top)
    rows.sort(key=_sort_key)
    shown = [_public(row) for row in rows[:max_rows]]

    left_rows = _listing(left_open, 'left_open', times, start_epoch, end_epoch)
    reasons, by_why = {}, {}
    for row in left_rows or []:
        why = row['why'] or '(no reason given)'
        reasons[why] = reasons.get(why, 0) + 1
        by_why.setdefault(why, []).append(row)
    first = [w for w in (first_groups or []) if w in by_why]
    groups = [{'why': w, 'count': len(by_why[w]), 'rows': by_why[w], 'collapsed': False} for w in first]
    groups += [{'why': w, 'count': len(by_why[w]), 'rows': by_why[w], 'collapsed': first_groups is not None}
               for w in sorted((w for w in by_why if w not in first), key=lambda w: (-len(by_why[w]), w))]

    return {
        'window': {
            'start': to_iso(start_epoch), 'end': to_iso(end_epoch),
            'start_label': _label(start_epoch), 'end_label': _label(end_epoch),
            'duration_label': _duration_label(end_epoch - start_epoch),
            'buckets': n_buckets, 'bucket_seconds': bucket_seconds,
            'bucket_label': _duration_label(bucket_seconds),
        },
        'severities': [{'name': s, 'label': LABELS[s], 'colour': COLOURS[s], 'total': severity_all[s],
                        'in_window': sum(counts[s])} for s in SEVERITIES],
        'severity_counts': severity_all,
        'platforms': _platform_rows(rows),
        'series': counts,
        'bucket_totals': bucket_totals,
        'buckets': bucket_rows,
        'chart': _chart(start_epoch, end_epoch, bucket_seconds, counts, bucket_totals),
        'top_sources': top_rows,
        'distinct_sources': distinct_sources,
        'totals': totals,
        'rows': shown,
        'rows_total': len(rows),
        'rows_shown': len(shown),
        'rows_truncated': len(shown) < len(rows),
        'closed': _listing(closed, 'closed', times, start_epoch, end_epoch),
        'closed_by_others': _listing(closed_by_others, 'closed_by_others', times, start_epoch, end_epoch),
        'left_open': left_rows,
        'left_open_groups': groups,
        'left_open_reasons': [{'why': why, 'count': n}
                              for why, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))],
        'hits': _hit_rows(hit_counts),
    }


# -- the change window's audit report ---------------------------------------------------------------------------
REPORT_TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'roles', 'alert_report',
                               'templates', 'report.html.j2')


def render_template(variables):
    """The report template rendered with ``variables`` (the alert_report_render_* role variables), with Jinja2 set up
    as Ansible's template module sets it up (no autoescape: every expression of the template escapes itself)."""
    import jinja2  # pylint: disable=import-outside-toplevel
    env = jinja2.Environment(autoescape=False, trim_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters['alertops.core.alert_report_data'] = alert_report_data
    with open(REPORT_TEMPLATE) as handle:
        template = env.from_string(handle.read())
    return template.render(**variables)


def host_names(*groups, **known):
    """{Mackerel host id: host name} from every entry that carries both (the names the listings read) and ``known``
    (the names begin read for the scope)."""
    names = dict((str(k), v) for k, v in (known.get('names') or {}).items() if v)
    for entries in groups:
        for entry in entries or []:
            if entry.get('platform') == 'mackerel' and entry.get('host_id') and entry.get('host_name'):
                names.setdefault(str(entry['host_id']), entry['host_name'])
    return names


def with_host_names(entries, names):
    """The entries with ``host_name`` set wherever the host's name is known, so that no row shows a host id where
    another row shows the host's name."""
    out = []
    for entry in entries or []:
        name = names.get(str(entry.get('host_id'))) if entry.get('platform') == 'mackerel' else None
        out.append(dict(entry, host_name=name) if name and not entry.get('host_name') else entry)
    return out


def change_cards(audit):
    """The summary cards of a change's report: the numbers of the console summary (audit ``counts``), each saying
    what it counts."""
    counts = audit['counts']
    cards = []
    if audit.get('check_mode'):
        cards.append(('would-act', counts['would_act'], 'Would be closed or acknowledged (check mode)'))
    cards.append(('closed', counts['closed'], 'Closed by this change'))
    if counts['acknowledged']:
        cards.append(('acknowledged', counts['acknowledged'], 'Acknowledged by this change'))
    cards.append(('closed-by-others', counts['closed_by_others'], 'Closed by others in the window'))
    cards.append(('left-open', counts['left_open'], 'Left open (every reason, the baseline included)'))
    if 'log360' in audit.get('platforms', []):
        cards.append(('log360', counts['log360_alerts'], 'Log360 alerts in the window (read-only)'))
    return [{'id': i, 'value': v, 'label': label} for i, v, label in cards]


def render_change_report(change_id, window, audit, summary, notes=None, names=None, title=None):
    """The self-contained HTML audit report of a change: the alert_report role's template, rendered in the controller
    process (a window of thousands of alerts is not templated task by task). ``summary`` is the console's summary
    (without the report's own path); ``names``: {Mackerel host id: name} known beyond the audit's own entries."""
    names = host_names(audit['closed'], audit['acknowledged'], audit['closed_by_others'], audit['left_open'],
                       names=names)
    closed = with_host_names(audit['closed'] + audit['acknowledged'], names)
    closed_by_others = with_host_names(audit['closed_by_others'], names)
    left_open = with_host_names(audit['left_open'], names)
    shown = [a for a in left_open if a.get('why') != cw.WHY_BASELINE]
    return render_template(dict(
        alert_report_render_alerts=closed + closed_by_others + shown,
        alert_report_render_start=window['begin'], alert_report_render_end=window['end'],
        alert_report_render_title=title or 'Change window %s' % change_id, alert_report_render_change_id=change_id,
        alert_report_render_closed=closed, alert_report_render_closed_by_others=closed_by_others,
        alert_report_render_left_open=left_open, alert_report_render_summary=summary,
        alert_report_render_cards=change_cards(audit), alert_report_render_first_groups=list(cw.FIRST_GROUPS),
        alert_report_render_notes=list(notes or [])))
