#!/usr/bin/env bash
# One command, fresh machine, no account, no network beyond PyPI: set up a venv, start the bundled simulator
# (Log360, Mackerel and OpsRamp on one loopback port), run a playbook against it, print where the report is.
#   ./demo.sh                        # the change-window rehearsal (playbooks/change_window.yml)
#   ./demo.sh playbooks/alert_report.yml
#   ./demo.sh playbooks/job_cleanup.yml -v
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
PLAYBOOK=${1:-playbooks/change_window.yml}; shift || true
VENV=${ALERTOPS_DEMO_VENV:-$ROOT/.venv}
OUT=${ALERTOPS_DEMO_OUTPUT:-$ROOT/demo-output}
PY=$(command -v python3.11 || command -v python3)

if [ ! -x "$VENV/bin/ansible-playbook" ]; then
  echo "== setting up $VENV (ansible-core, requests)"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  "$VENV/bin/pip" install -q -r "$ROOT/requirements-demo.txt" 2>&1 | grep -v "^WARNING: Location" || true
  "$VENV/bin/ansible-playbook" --version >/dev/null
fi

# Ansible finds collections only under <base>/ansible_collections/<ns>/<name>: give the checkout that path.
BASE="$VENV/collections"
mkdir -p "$BASE/ansible_collections/alertops" "$OUT"
ln -sfn "$ROOT" "$BASE/ansible_collections/alertops/core"

PORT_FILE=$(mktemp)
rm -f "$PORT_FILE"
"$VENV/bin/python" "$ROOT/tests/simulator/server.py" --port 0 --port-file "$PORT_FILE" --max-lifetime 1800 \
  >"$OUT/simulator.log" 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 1 100); do [ -s "$PORT_FILE" ] && break; sleep 0.1; done
[ -s "$PORT_FILE" ] || { echo "simulator did not start, see $OUT/simulator.log"; exit 1; }
SIM_URL=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$PORT_FILE")
echo "== simulator at $SIM_URL (log: $OUT/simulator.log)"

# The credentials an AWX job template would inject as environment variables.
eval "$("$VENV/bin/python" - "$SIM_URL" <<'PYEOF'
import json, shlex, sys, urllib.request
url = sys.argv[1]
env = {'LOG360_URL': url, 'MACKEREL_APIBASE': url, 'OPSRAMP_URL': url}
for platform in ('log360', 'mackerel', 'opsramp'):
    try:
        with urllib.request.urlopen('%s/_sim/%s/credentials' % (url, platform), timeout=10) as resp:
            env.update(json.load(resp).get('env', {}))
    except Exception:
        pass
for key, value in env.items():
    print('export %s=%s' % (key, shlex.quote(value)))
PYEOF
)"

export ANSIBLE_COLLECTIONS_PATH="$BASE" ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
START=$(date +%s)
echo "== ansible-playbook $PLAYBOOK"
"$VENV/bin/ansible-playbook" "$ROOT/$PLAYBOOK" -e "alertops_demo_output=$OUT" -e "alertops_sim_url=$SIM_URL" \
  -e "change_id=CHG-$(date +%Y%m%d-%H%M%S)" "$@"
echo "== done: outputs in $OUT"
find "$OUT" -mindepth 1 -maxdepth 1 -printf "   %f\n" | sort
"$VENV/bin/python" "$ROOT/demo_summary.py" "$OUT" "$START"
