# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of the EDA event source ``alertops.core.alerts`` (extensions/eda/plugins/event_source/alerts.py).

The plugin only loops and queues; everything it decides is here, in pure functions over plain data:

* ``diff_snapshot`` - Mackerel and OpsRamp: compare the alerts of this poll with the state of the last one and say
  which alerts are new and which changed state (opened, acknowledged, unacknowledged, closed, reopened);
* ``resolve_vanished`` - an alert that left the listing (open alerts only are listed) was read again: closed,
  gone (404), or still open (kept: a listing that raced a change must not make it "new" again next time);
* ``log360_window`` / ``log360_new`` - Log360 alerts are read-only search hits: each poll searches from the end of the
  last window (minus ``overlap``, for late-indexed alerts) to now; hits already seen at the edge are dropped, so there
  is no duplicate at timestamp ties and no gap between windows;
* ``backoff`` - the wait after failed polls;
* ``Cursor`` - the state, saved atomically to an optional file after the events of a poll were queued, so a restart
  continues where the last run stopped (at-least-once: a crash between queueing and saving repeats that poll's events).

``AlertPoller`` ties them to the vendor clients: the same platform table, client methods and connection options as
the lookup (module_utils/platforms.py); every alert comes out of the client in the normalised model.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import tempfile
import time

from ansible_collections.alertops.core.plugins.module_utils import errors, options, platforms, timeutil

STATE_FIELDS = ('status', 'acknowledged', 'severity')
CURSOR_VERSION = 1
SNAPSHOT_PLATFORMS = ('mackerel', 'opsramp')


# -- pure decisions ---------------------------------------------------------------------------------------------------
def state_of(alert):
    """The part of a normalised alert whose change is an event."""
    return {'status': alert.get('status'), 'acknowledged': bool(alert.get('acknowledged')),
            'severity': alert.get('severity')}


def _changes(before, after):
    return dict((f, {'before': before.get(f) if before else None, 'after': after.get(f)})
                for f in STATE_FIELDS if not before or before.get(f) != after.get(f))


def make_event(platform, change, alert, changes, new=False, polled_at=None):
    return {'alertops': {'type': 'alert', 'platform': platform, 'change': change, 'new': bool(new),
                         'changes': changes, 'polled_at': polled_at}, 'alert': alert}


def transitions(before, after):
    """The state changes between two states of one alert, in the order they are reported."""
    out = []
    if after['status'] == 'open' and before.get('acknowledged') != after['acknowledged']:
        out.append('acknowledged' if after['acknowledged'] else 'unacknowledged')
    if before.get('status') != after['status']:
        out.append('closed' if after['status'] == 'closed' else 'reopened')
    return out


def _opened_epoch(alert):
    return timeutil.parse_vendor(alert.get('opened_at')) if alert.get('opened_at') else None


def _order(alert):
    return (alert.get('opened_at') or '', str(alert.get('id')))


def diff_snapshot(platform, previous, current, since=None, polled_at=None):
    """(events, state, vanished ids) for the alerts ``current`` listed now and the ``previous`` state.

    ``previous`` is None before the first poll: then the alerts listed now are the baseline (no event), except those
    opened at or after ``since`` (epoch seconds), which are reported as new.
    """
    events, state = [], {}
    for alert in sorted(current, key=_order):
        key = str(alert['id'])
        if key in state:
            continue   # a listing that returned one alert twice (paging while it changed)
        now_state = state_of(alert)
        state[key] = now_state
        before = previous.get(key) if previous is not None else None
        if before is None:
            if previous is None:
                opened = _opened_epoch(alert)
                if since is None or opened is None or opened < since:
                    continue
            change = 'opened' if now_state['status'] == 'open' else 'closed'
            events.append(make_event(platform, change, alert, _changes(None, now_state), True, polled_at))
            continue
        for change in transitions(before, now_state):
            events.append(make_event(platform, change, alert, _changes(before, now_state), False, polled_at))
    vanished = sorted(k for k in (previous or {}) if k not in state)
    return events, state, vanished


def resolve_vanished(platform, previous, state, fetched, polled_at=None):
    """Events for alerts that left the listing, and the state updated in place.

    ``fetched`` maps each vanished id to its alert read again, or None when the vendor no longer knows it (404).
    Closed alerts are reported and forgotten; unknown ones are reported as ``gone`` and forgotten; still open ones
    keep their previous state (reported when they change, not as new when they are listed again).
    """
    events = []
    for key in sorted(fetched):
        alert, before = fetched[key], previous[key]
        if alert is None:
            gone = {'platform': platform, 'id': key}
            gone.update(before)
            events.append(make_event(platform, 'gone', gone, {}, False, polled_at))
            continue
        now_state = state_of(alert)
        if now_state['status'] == 'closed':
            for change in transitions(before, now_state):
                events.append(make_event(platform, change, alert, _changes(before, now_state), False, polled_at))
        else:
            state[key] = before
    return events


def log360_window(cursor, now, since=None, overlap=60):
    """(start, end, floor) epoch seconds of the next Log360 search.

    First run: from ``since`` (default now). Later: from the end of the last window minus ``overlap``, but never
    before ``floor``, where the first run started (so nothing raised before the source started is reported).
    The cursor never moves back: while the clock is behind the end of the last window (a clock stepped back), the
    window is empty at that end (no search), and the search goes on from there once the clock has passed it; the
    overlap and the ids kept at the edge then drop what was already reported.
    """
    end = int(now)
    if cursor and cursor.get('until') is not None:
        until = int(cursor['until'])
        floor = int(cursor.get('floor', until))
        if end < until:
            return until, until, floor
        start = max(until - int(overlap), floor)
    else:
        start = floor = int(since) if since is not None else end
    return min(start, end), end, floor


def log360_new(hits, edge, start, end, overlap=60, polled_at=None):
    """(events, new edge) for the normalised Log360 alerts of the window [start, end].

    ``edge`` maps the ids already reported to their opened time (epoch s); the next window starts at
    ``end - overlap``, so the ids opened since then (or undated) are kept to drop them when they come again.
    """
    events, seen = [], dict(edge or {})
    for alert in sorted(hits, key=_order):
        key = str(alert['id'])
        if key in seen:
            continue
        opened = _opened_epoch(alert)
        seen[key] = opened if opened is not None else end
        events.append(make_event('log360', 'opened', alert, _changes(None, state_of(alert)), True, polled_at))
    keep_from = end - int(overlap) - 1
    return events, dict((k, v) for k, v in seen.items() if v is None or v >= keep_from)


def backoff(failures, interval, max_backoff=600):
    """Seconds to wait before the next poll after ``failures`` failed polls in a row (0: the normal interval)."""
    if failures <= 0:
        return interval
    return min(max(max_backoff, interval), interval * (2 ** min(failures, 16)))


# -- the cursor -------------------------------------------------------------------------------------------------------
class Cursor:
    """The poller's state, optionally kept in a JSON file written atomically (temporary file + rename, mode 0600)."""

    def __init__(self, path=None, platform=None):
        self.path = path
        self.platform = platform
        self.data = None
        self.problem = None

    def load(self):
        """The saved state, or None.

        A path that is there but is no regular file (a directory, say) or cannot be read raises ValidationError: the
        source stops at start rather than move someone else's data aside. Only a file that was read and is not a
        cursor of this platform (corrupt JSON, another version or platform) is set aside (``problem`` says why)."""
        if not self.path or not os.path.exists(self.path):
            return None   # none yet (a dangling symlink too: save() replaces the link)
        if os.path.isdir(self.path):
            raise errors.ValidationError('alertops.core.alerts: argument cursor_file %s is a directory, not a file: '
                                         'give the path of a file (it is created if missing)' % self.path)
        if not os.path.isfile(self.path):
            raise errors.ValidationError('alertops.core.alerts: argument cursor_file %s is not a regular file'
                                         % self.path)
        try:
            with open(self.path, 'rb') as handle:
                raw = handle.read()
        except OSError as exc:
            raise errors.ValidationError('alertops.core.alerts: argument cursor_file %s cannot be read (%s: %s): '
                                         'fix its permissions or give another path'
                                         % (self.path, exc.__class__.__name__, exc.strerror or exc))
        try:
            data = json.loads(raw.decode('utf-8'))
            if not isinstance(data, dict) or data.get('version') != CURSOR_VERSION:
                raise ValueError('not a version %d cursor' % CURSOR_VERSION)
            if data.get('platform') != self.platform:
                raise ValueError('it belongs to platform %s' % data.get('platform'))
        except ValueError as exc:
            aside = '%s.invalid-%d' % (self.path, int(time.time()))
            try:
                os.replace(self.path, aside)
            except OSError:
                aside = None
            self.problem = 'cursor file %s could not be used (%s); %s, starting from a new baseline' % (
                self.path, exc, 'moved to %s' % aside if aside else 'left in place')
            return None
        self.data = data
        return data

    def save(self, data):
        data = dict(data, version=CURSOR_VERSION, platform=self.platform, saved_at=timeutil.to_iso(time.time()))
        self.data = data
        if not self.path:
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
        handle, tmp = tempfile.mkstemp(prefix='.cursor-', dir=directory)
        try:
            with os.fdopen(handle, 'w') as out:
                json.dump(data, out, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


# -- the poller -------------------------------------------------------------------------------------------------------
SOURCE_OPTIONS = ('platform', 'interval', 'cursor_file', 'since', 'overlap', 'poll_retries', 'retry_delay',
                  'max_backoff', 'host_id', 'monitor_id', 'type', 'status', 'query', 'severity', 'profile_ids',
                  'wait_timeout', 'wait_sleep', 'mode')


def connection_names():
    return platforms.CONNECTION_NAMES


def check_args(args):
    """The source's arguments, checked and with defaults; raises ValidationError naming the argument."""
    args = dict(args or {})
    unknown = sorted(k for k in args if k not in SOURCE_OPTIONS and k not in connection_names())
    if unknown:
        raise errors.ValidationError('alertops.core.alerts: unknown argument(s) %s' % ', '.join(unknown))
    platform = args.get('platform')
    if platform not in options.PLATFORMS:
        raise errors.ValidationError('alertops.core.alerts: argument platform must be one of %s, got %r'
                                     % (', '.join(options.PLATFORMS), platform))
    out = dict(args)
    for name, default, minimum in (('interval', 60, 1), ('overlap', 60, 0), ('poll_retries', 2, 0),
                                   ('retry_delay', 5, 0), ('max_backoff', 600, 1), ('wait_timeout', 600, 1),
                                   ('wait_sleep', 5, 1)):
        value = args.get(name, default)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise errors.ValidationError('alertops.core.alerts: argument %s must be a number, got %r' % (name, value))
        if value < minimum:
            raise errors.ValidationError('alertops.core.alerts: argument %s must be at least %s, got %s'
                                         % (name, minimum, value))
        out[name] = value
    out['mode'] = args.get('mode') or 'auto'
    if args.get('since') not in (None, ''):
        out['since'] = timeutil.to_epoch(args['since'], 'since')
    else:
        out['since'] = None
    return out


class AlertPoller:
    """One platform, polled with the lookup's clients; ``poll()`` returns the events, ``commit()`` saves the state.

    The alerts are read with the platform's workflow of the lookup (platforms.py), with the source's arguments of the
    same names: Mackerel and OpsRamp list the open alerts (an alert that left the listing is read again by id),
    Log360 searches the window of the poll."""

    def __init__(self, args, clients=None, clock=time.time):
        self.args = check_args(args)
        self.platform = self.args['platform']
        self.clients = clients if clients is not None else platforms.CLIENTS
        self.clock = clock
        self.cursor = Cursor(self.args.get('cursor_file'), self.platform)
        self.state = self.cursor.load()
        self.pending = None
        self._unsaved = None      # an OSError of a cursor write during this poll (reported by commit())
        self._client = None
        self.method, names = platforms.source_workflow(self.platform, SOURCE_OPTIONS)
        self.options = dict((n, self.args[n]) for n in names if self.args.get(n) is not None)
        # fail on bad connection settings and filters now, at start, rather than at every poll
        self.params = options.connection_params(self.platform, dict((n, self.args.get(n)) for n in connection_names()))
        self.clients[self.platform].check_alert_options(**self.options)

    def client(self):
        if self._client is None:
            self._client = self.clients[self.platform].from_params(self.params)
        return self._client

    def reset_client(self):
        if self._client is not None:
            try:
                self._client.transport.close()
            except Exception:  # pylint: disable=broad-except
                pass
        self._client = None

    def redact(self, text):
        return self._client.transport.redact(text) if self._client is not None else text

    def poll(self):
        """The events since the last committed poll (the state is kept until ``commit()``)."""
        with errors.platform_scope(self.platform):   # an error raised without a platform gets the source's
            return self._poll()

    def _poll(self):
        now = self.clock()
        polled_at = timeutil.to_iso(now)
        if self.platform == 'log360':
            return self._poll_log360(now, polled_at)
        previous = self.state.get('alerts') if self.state else None
        current = self._read(with_closed=False)
        events, state, vanished = diff_snapshot(self.platform, previous, current, self.args['since'], polled_at)
        if vanished:
            fetched = dict((key, self._get(key)) for key in vanished)
            events.extend(resolve_vanished(self.platform, previous, state, fetched, polled_at))
        self.pending = {'alerts': state}
        return events

    def commit(self):
        """Take the polled state and save it. Returns None, or the message of the error event to queue when the cursor
        could not be saved in this poll. The state is taken in memory anyway: no event twice in this run, and the
        source keeps reporting; only a restart goes back to the last cursor that was saved."""
        problem, self._unsaved = self._unsaved, None
        if self.pending is not None:
            self.state, self.pending = self.pending, None
            try:
                self.cursor.save(self.state)
            except OSError as exc:
                problem = problem or exc
        if problem is None:
            return None
        return ('cursor file %s cannot be written (%s: %s): the cursor is not saved; events are still reported, but a '
                'restart starts again from the last cursor that was saved%s'
                % (self.cursor.path, problem.__class__.__name__, problem.strerror or problem,
                   ' (and a search job left by a kill is not deleted)' if self.platform == 'log360' else ''))

    def _read(self, **window):
        """The normalised alerts of the platform's workflow, with the source's options and ``window``."""
        return getattr(self.client(), self.method)(**dict(self.options, **window))

    def _get(self, key):
        try:
            return self.client().get_alert_model(key)
        except errors.NotFoundError:
            return None

    def _in_flight(self, request_id):
        """Write ahead the search job of this poll (or clear it): ansible-rulebook's JVM ends the process at once on
        SIGTERM/SIGINT, so a job running then cannot be deleted by this run; the next start deletes it."""
        if self.cursor.path:
            data = dict(self.state or {})
            if request_id:
                data['in_flight'] = request_id
            else:
                data.pop('in_flight', None)
            try:
                self.cursor.save(data)
            except OSError as exc:
                self._unsaved = exc   # the poll goes on; commit() reports it once for this poll
                return
            self.state = self.cursor.data

    def _delete_left_job(self):
        left = (self.state or {}).get('in_flight')
        if left:
            self.client().delete_job(left)   # an unknown job (expired, deleted) is fine
            self._in_flight(None)

    def _poll_log360(self, now, polled_at):
        start, end, floor = log360_window(self.state, now, self.args['since'], self.args['overlap'])
        edge = (self.state or {}).get('edge') or {}
        self._delete_left_job()
        hits = []
        if end > start:
            hits = self._read(opened_after=start, opened_before=end, with_closed=True, on_submit=self._in_flight)
            self._in_flight(None)
        events, edge = log360_new(hits, edge, start, end, self.args['overlap'], polled_at)
        self.pending = {'until': end, 'floor': floor, 'edge': edge}
        return events
