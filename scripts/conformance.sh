#!/usr/bin/env bash
# Runs the Autobahn|Testsuite fuzzing client (cases 1-7, 9, 10) against the suite's WebSocket
# stack (the `wsconformance` echo server) and fails if any case is FAILED.
# Autobahn 0.8.2 is Python 2 code: it is installed into .venv-autobahn from pyenv's 2.7.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv="$root/.venv-autobahn"
report_dir="$root/.build-reports/autobahn"

find_python2() {
    for candidate in "${PYENV_ROOT:-}/versions/"2.7*/bin/python2.7 "$HOME/.pyenv/versions/"2.7*/bin/python2.7 /root/.pyenv/versions/2.7*/bin/python2.7; do
        [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
    command -v python2.7 || true
}

if [ ! -x "$venv/bin/wstest" ]; then
    python2=$(find_python2)
    if [ -z "$python2" ]; then
        echo "conformance: no Python 2.7 found (pyenv 2.7.18 expected); cannot run Autobahn" >&2
        exit 1
    fi
    echo "conformance: installing autobahntestsuite 0.8.2 with $python2"
    tools="$root/.venv-autobahn-tools"
    "$python2" -m pip install --quiet --disable-pip-version-check --target "$tools" "virtualenv<20.22"
    PYTHONPATH="$tools" "$python2" -m virtualenv --quiet "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check autobahntestsuite==0.8.2
fi

# Reuse the test build (same flags as `make build`), so nothing is compiled twice.
swift build --build-tests
bin="$(swift build --build-tests --show-bin-path)/wsconformance"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PORT=$port "$bin" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
    sleep 0.1
done

rm -rf "$report_dir" && mkdir -p "$report_dir"
cat > "$report_dir/spec.json" <<JSON
{
  "outdir": "$report_dir",
  "servers": [{"agent": "trading-streaming-suite", "url": "ws://127.0.0.1:$port"}],
  "cases": ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*"],
  "exclude-cases": [],
  "exclude-agent-cases": {}
}
JSON
(cd "$report_dir" && "$venv/bin/wstest" -m fuzzingclient -s spec.json > wstest.log 2>&1) || {
    echo "conformance: wstest failed, see $report_dir/wstest.log" >&2
    tail -20 "$report_dir/wstest.log" >&2
    exit 1
}

python3 - "$report_dir/index.json" <<'PY'
import json, sys, collections
index = json.load(open(sys.argv[1]))
counts = collections.Counter()
failed = []
for agent, cases in index.items():
    for case, result in cases.items():
        counts[result["behavior"]] += 1
        if result["behavior"] == "FAILED" or result.get("behaviorClose") == "FAILED":
            failed.append(case)
print("autobahn: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
if failed:
    print("autobahn: FAILED cases: " + " ".join(sorted(failed)))
    sys.exit(1)
print(f"{sum(counts.values()) - len(failed)} passed, {len(failed)} failed")
PY
