#!/usr/bin/env bash
# `make bench`: builds in release and prints the figures of every hot path. Figures are
# comparable within one run on one machine only (see docs/benchmarks.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build -c release
bin=$(swift build -c release --show-bin-path)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "bench: $1 did not come up" >&2; return 1; }
section() { printf '\n== %s\n' "$*"; }
# The end-to-end runs against a room service on $1 with ingest token $2: as fast as the
# publishers go, then 20 messages/s for the latency, then one producer posting 200 messages/s
# in turn over one connection (a busy feed: can the service keep up with it?).
room_runs() {
    local common=(--mode ingest --subscribers 1000 --ws-url "ws://127.0.0.1:$1/ws/rooms/bench-room?customer_id=bench"
                  --ingest-url "http://127.0.0.1:$1/ingest/reports" --token "$2" --room bench-room --payload-bytes 100)
    "$bin/streambench" "${common[@]}" --messages 2000 || return 1
    "$bin/streambench" "${common[@]}" --messages 400 --rate 20
    "$bin/streambench" "${common[@]}" --messages 1000 --rate 200 --drain-seconds 30
}

# The peers' Python (socketify for uWebSockets, FastAPI with uvicorn, uvloop and httptools) in
# a virtualenv of their own; socketify's library loads Debian's libuv1, which `make setup`
# installs.
peers_python() {
    local venv="$root/.venv-peers"
    local check=(-c 'import socketify, fastapi, uvicorn, uvloop, httptools')
    if ! "$venv/bin/python" "${check[@]}" >/dev/null 2>&1; then
        python3 -m venv "$venv" >&2 &&
            "$venv/bin/pip" install --quiet --disable-pip-version-check \
                socketify==0.0.31 fastapi==0.165.0 'uvicorn[standard]==0.54.0' >&2 || return 1
        "$venv/bin/python" "${check[@]}" >/dev/null 2>&1 || return 1
    fi
    echo "$venv/bin/python"
}

section "WebSocketCore fan-out (in process, 1000 subscribers over loopback sockets)"
"$bin/streambench" --mode hub --subscribers 1000 --messages 200
"$bin/streambench" --mode hub --subscribers 1000 --messages 200 --rate 20

section "pipeline (memory, redis, nats)"
"$bin/pipelinebench"

section "matching engine (one thread)"
"$bin/matchbench"

section "setup detection (500 symbols)"
"$bin/inplaybench"

if [ -x "$bin/streaming" ]; then
    # The same service and commands on each backend; the brokers are started here on free
    # ports (no persistence) and stopped afterwards.
    brokers=()
    cleanup() { for pid in "${brokers[@]}" ${server:-}; do kill "$pid" 2>/dev/null || true; done; }
    trap cleanup EXIT
    redis_port=$(free_port); nats_port=$(free_port); nats_dir=$(mktemp -d)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 & brokers+=($!)
    nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$nats_dir" >/dev/null 2>&1 & brokers+=($!)
    sleep 1
    for backend in memory redis nats; do
        section "streaming end to end: 1000 viewers in one room, messages ingested over HTTP ($backend backend)"
        port=$(free_port)
        token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
        data=$(mktemp -d)
        PORT=$port STREAMING_PIPELINE_BACKEND=$backend STREAMING_REDIS_URL="redis://127.0.0.1:$redis_port/0" \
            STREAMING_NATS_URL="nats://127.0.0.1:$nats_port" \
            STREAMING_SERVICE_TOKEN_REPORTS=$token STREAMING_SERVICE_TOKEN_INPLAY=$token \
            STREAMING_ADMIN_TOKEN=$token STREAMING_DATA_DIR=$data ENTITLEMENTS_BYPASS=1 LOG_LEVEL=error \
            WS_MAX_CONNECTIONS=5000 "$bin/streaming" &
        server=$!
        wait_http "http://127.0.0.1:$port/readyz"
        room_runs "$port" "$token"
        kill $server; wait $server 2>/dev/null || true
        server=""
        rm -rf "$data"
    done

    # The same commands against the same contract served by the services users would pick
    # instead, in this run: figures from another day or machine do not compare.
    if python=$(peers_python); then
        for peer in uws fastapi; do
            case $peer in
                uws) section "peer in this run: uWebSockets (socketify 0.0.31), the same room contract, 1000 viewers" ;;
                fastapi) section "peer in this run: FastAPI/uvicorn (uvloop, httptools), the same room contract, 1000 viewers" ;;
            esac
            port=$(free_port)
            token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
            "$python" "$root/scripts/peers/${peer}_rooms.py" "$port" "$token" >/dev/null &
            server=$!
            # A peer that fails is reported; the other figures still come.
            if ! { wait_http "http://127.0.0.1:$port/healthz" && room_runs "$port" "$token"; }; then
                echo "bench: the $peer peer failed; its figures are missing"
            fi
            kill $server 2>/dev/null || true
            wait $server 2>/dev/null || true
            server=""
        done
    else
        section "peers: skipped (socketify, fastapi and uvicorn could not be installed from PyPI, or libuv1 is missing: make setup)"
    fi
    cleanup
    trap - EXIT
    rm -rf "$nats_dir"
fi

for extra in marketbench orderbench inplayws-bench; do
    if [ -x "$bin/$extra" ]; then
        section "$extra"
        "$bin/$extra"
    fi
done
if [ -x "$bin/orderbench" ]; then
    section "orderbench: POST /orders/batch, 20 orders per request"
    "$bin/orderbench" --orders 100000 --batch 20
fi
