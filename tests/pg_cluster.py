# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throwaway PostgreSQL cluster for the tests of the postgresql state store: initdb + pg_ctl into a temp dir,
listening on a free loopback port only, password (scram-sha-256) authentication, stopped and removed at the end.

Debian's server binaries live in /usr/lib/postgresql/<major>/bin (.ci/run installs the ``postgresql`` package when
it runs as root with apt-get). PostgreSQL refuses to run as root: as root the cluster runs as the ``postgres`` user
(made by the package) through runuser. ``skip_reason()`` says why no cluster can be started here.
"""

from __future__ import absolute_import, division, print_function

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

USER = 'alertops'
PASSWORD = 'pg-test-Secret-7731xq'


def bin_dir():
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/pg_ctl'), key=lambda p: int(p.split('/')[4]))
    return os.path.dirname(found[-1]) if found else None


def skip_reason():
    if bin_dir() is None:
        return ('no PostgreSQL server here (/usr/lib/postgresql/*/bin/pg_ctl): install Debian\'s postgresql package '
                '(.ci/run does when it runs as root with apt-get) to run the postgresql state store tests')
    try:
        import psycopg  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
    except ImportError:
        return 'psycopg is not installed (pip install "psycopg[binary]", in .ci/requirements.txt)'
    if os.getuid() == 0:
        try:
            pwd.getpwnam('postgres')
        except KeyError:
            return 'running as root and there is no postgres user to run the server as'
    return None


def _free_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class Cluster:
    def __init__(self):
        self.bin = bin_dir()
        self.dir = tempfile.mkdtemp(prefix='alertops-pg-')
        self.data = os.path.join(self.dir, 'data')
        self.port = _free_port()
        self.as_user = None
        if os.getuid() == 0:
            self.as_user = 'postgres'
            entry = pwd.getpwnam('postgres')
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        os.chmod(self.dir, 0o755)

    def _cmd(self, args):
        if self.as_user:
            return ['runuser', '-u', self.as_user, '--'] + args
        return args

    def _run(self, args):
        proc = subprocess.run(self._cmd(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False,
                              timeout=120)
        if proc.returncode != 0:
            raise RuntimeError('%s failed: %s' % (' '.join(args[:2]), proc.stdout.decode('utf-8', 'replace')[-2000:]))
        return proc

    def init(self):
        pwfile = os.path.join(self.dir, 'pw')
        with open(pwfile, 'w') as handle:
            handle.write(PASSWORD + '\n')
        if self.as_user:
            entry = pwd.getpwnam(self.as_user)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        self._run([os.path.join(self.bin, 'initdb'), '-D', self.data, '-U', USER, '-A', 'scram-sha-256',
                   '--pwfile', pwfile, '-E', 'UTF8', '--no-instructions'])
        os.unlink(pwfile)
        return self

    def start(self):
        self._run([os.path.join(self.bin, 'pg_ctl'), '-D', self.data, '-w', '-t', '60', '-l',
                   os.path.join(self.dir, 'server.log'), '-o',
                   '-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=off -c max_connections=200'
                   % (self.port, self.dir), 'start'])
        # a test run killed outright (a timeout) does not tear down: this watchdog stops the server when it is gone
        watch = ('while kill -0 %d 2>/dev/null; do sleep 2; done; %s; rm -rf %s'
                 % (os.getpid(), ' '.join(self._cmd([os.path.join(self.bin, 'pg_ctl'), '-D', self.data, '-m',
                                                     'immediate', '-w', 'stop'])), self.dir))
        subprocess.Popen(['sh', '-c', watch], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
        return self

    def stop(self):
        subprocess.run(self._cmd([os.path.join(self.bin, 'pg_ctl'), '-D', self.data, '-m', 'immediate', '-w',
                                  'stop']), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname='postgres', password=PASSWORD):
        return 'postgresql://%s:%s@127.0.0.1:%d/%s' % (USER, password, self.port, dbname)

    def create_db(self, name):
        import psycopg  # pylint: disable=import-outside-toplevel
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "%s"' % name)
        return self.url(name)
