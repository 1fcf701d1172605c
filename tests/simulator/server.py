# -*- coding: utf-8 -*-
# Copyright: (c) 2026, alertops.core contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alertops simulator: Log360/ELA v2, Mackerel v0 and OpsRamp v2 on one loopback port.

    python tests/simulator/server.py --port 8400

Then point the collection at it (LOG360_URL / MACKEREL_APIBASE / OPSRAMP_URL = http://127.0.0.1:8400) with the
seeded credentials printed at start. See core.py for the control API (/_sim/...).
"""

from __future__ import absolute_import, division, print_function

import argparse
import importlib
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from core import Server, Simulator, make_handler  # noqa: E402

VENDOR_MODULES = (('log360', 'Log360'), ('mackerel', 'Mackerel'), ('opsramp', 'OpsRamp'), ('notify', 'Notify'))


def vendor_classes():
    classes = []
    for module_name, class_name in VENDOR_MODULES:
        if os.path.exists(os.path.join(HERE, module_name + '.py')):
            classes.append(getattr(importlib.import_module(module_name), class_name))
    return classes


def self_signed_context(workdir):
    cert, key = os.path.join(workdir, 'sim.crt'), os.path.join(workdir, 'sim.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    os.unlink(key)  # the context holds it: no private key lingers on disk, even after a kill -9
    return context, cert


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--host', default='127.0.0.1', help='loopback address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8400, help='port, 0 for a free one (default 8400)')
    parser.add_argument('--port-file', help='write the chosen port here once listening')
    parser.add_argument('--seed', type=int, default=1, help='seed for the generated data')
    parser.add_argument('--config', help='JSON file or string with {"variants": {...}, "faults": {...}} to start with')
    parser.add_argument('--tls', action='store_true', help='serve HTTPS with a fresh self-signed certificate')
    parser.add_argument('--max-lifetime', type=float, default=4 * 3600,
                        help='stop by itself after this many seconds (default 4 h)')
    args = parser.parse_args(argv)
    if not args.host.startswith('127.') and args.host not in ('localhost', '::1'):
        parser.error('the simulator only listens on loopback addresses')

    sim = Simulator(vendor_classes(), seed=args.seed)
    if args.config:
        text = open(args.config).read() if os.path.exists(args.config) else args.config
        conf = json.loads(text)
        for section in ('variants', 'faults'):
            sim.config[section].update(conf.get(section) or {})
    server = Server((args.host, args.port), make_handler(sim))
    scheme, cert, tls_dir = 'http', None, None
    # from here on a SIGTERM stops the server cleanly, so the finally below removes the TLS folder
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    if args.tls:
        # next to the port file when there is one: the caller's folder, which its own cleanup removes even after a kill -9
        tls_dir = tempfile.mkdtemp(prefix='alertops-sim-tls-',
                                   dir=os.path.dirname(os.path.abspath(args.port_file)) if args.port_file else None)
        context, cert = self_signed_context(tls_dir)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = 'https'
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as handle:
            json.dump({'port': port, 'pid': os.getpid(), 'url': '%s://127.0.0.1:%d' % (scheme, port), 'cert': cert}, handle)
        os.replace(tmp, args.port_file)
    # every vendor's banner line names this URL, so a copied line never sends a key to the real SaaS
    sim.base_url = '%s://%s:%d' % (scheme, args.host, port)
    print('alertops simulator listening on %s (vendors: %s)' % (
        sim.base_url, ', '.join(v.name for v in sim.vendors)), flush=True)
    for vendor in sim.vendors:
        for line in getattr(vendor, 'credentials_help', lambda: [])():
            print('  ' + line, flush=True)
    timer = threading.Timer(args.max_lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if tls_dir:
            shutil.rmtree(tls_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
