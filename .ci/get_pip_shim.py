"""Offline stand-in for ansible-test's get-pip-<ver>.py bootstrap script.
ansible-test runs it as `python get_pip_X_Y.py --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]`
inside a venv created with --without-pip."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
no_setuptools = '--no-setuptools' in sys.argv[1:]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q'] + args)
if no_setuptools:  # ensurepip on Python <= 3.11 also installs setuptools; get-pip would not
    subprocess.call([sys.executable, '-m', 'pip', 'uninstall', '-q', '-y', 'setuptools'],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
