#!/usr/bin/env bash
# `make demo-up` / `make demo-down`: the whole suite on this machine: redis-server and
# nats-server, then every service on its default port, over the Redis pipeline (set
# DEMO_BACKEND=nats or memory to change). State, logs and generated tokens live in .demo/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
demo="$root/.demo"
backend=${DEMO_BACKEND:-redis}
redis_port=${DEMO_REDIS_PORT:-6379}
nats_port=${DEMO_NATS_PORT:-4222}

stop_all() {
    shopt -s nullglob
    for pidfile in "$demo"/*.pid; do
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

start() { # name, command...
    local name=$1; shift
    "$@" >"$demo/logs/$name.log" 2>&1 &
    echo $! >"$demo/$name.pid"
}

wait_for() { # name, url
    for _ in $(seq 1 300); do
        curl -fsS "$2" >/dev/null 2>&1 && return 0
        kill -0 "$(cat "$demo/$1.pid")" 2>/dev/null || { echo "demo: $1 exited; see $demo/logs/$1.log" >&2; tail -5 "$demo/logs/$1.log" >&2; return 1; }
        sleep 0.1
    done
    echo "demo: $1 did not answer $2" >&2
    return 1
}

case "${1:-up}" in
down)
    stop_all
    echo "demo: stopped"
    ;;
up)
    stop_all
    mkdir -p "$demo/logs" "$demo/redis" "$demo/nats" "$demo/data"
    if [ ! -f "$demo/tokens.env" ]; then
        token() { python3 -c 'import secrets; print(secrets.token_urlsafe(24))'; }
        cat >"$demo/tokens.env" <<TOKENS
STREAMING_SERVICE_TOKEN_REPORTS=$(token)
STREAMING_SERVICE_TOKEN_INPLAY=$(token)
STREAMING_ADMIN_TOKEN=$(token)
STREAMING_VIEWER_TOKEN_SECRET=$(token)
INPLAY_SERVICE_TOKEN=$(token)
ORDER_ROUTER_ADMIN_TOKEN=$(token)
OPERATOR_API_KEYS=op-demo:$(token),op-other:$(token)
TOKENS
        chmod 600 "$demo/tokens.env"
    fi
    set -a; source "$demo/tokens.env"; set +a

    swift build --build-tests
    bin=$(swift build --build-tests --show-bin-path)

    start redis redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$demo/redis" --appendonly yes --save ""
    start nats nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$demo/nats"
    sleep 0.5

    export STREAMING_PIPELINE_BACKEND=$backend
    export STREAMING_REDIS_URL="redis://127.0.0.1:$redis_port"
    export STREAMING_NATS_URL="nats://127.0.0.1:$nats_port"
    export ENTITLEMENTS_BYPASS=1
    export STREAMING_INGEST_URL=http://127.0.0.1:8000
    export STREAMING_SERVICE_TOKEN=$STREAMING_SERVICE_TOKEN_REPORTS

    PORT=8000 STREAMING_DATA_DIR="$demo/data/streaming" start streaming "$bin/streaming"
    PORT=8085 ORDER_ROUTER_JOURNAL_PATH="$demo/data/order-router.journal" start order-router "$bin/order-router"
    PORT=8084 MARKET_WS_DATA_DIR="$demo/data/market-ws" start market-ws "$bin/market-ws"
    PORT=8081 INPLAY_WATCHLISTS="momentum=AAPL,MSFT,NVDA;futures=ES,NQ" start inplay "$bin/inplay"

    wait_for streaming http://127.0.0.1:8000/healthz
    wait_for order-router http://127.0.0.1:8085/healthz
    wait_for market-ws http://127.0.0.1:8084/healthz
    wait_for inplay http://127.0.0.1:8081/healthz

    cat <<INFO

demo: up (pipeline: $backend; redis 127.0.0.1:$redis_port, nats 127.0.0.1:$nats_port)
  streaming     http://127.0.0.1:8000   ws://127.0.0.1:8000/ws/rooms/public-room?customer_id=viewer-1
  inplay        http://127.0.0.1:8081   ws://127.0.0.1:8081/inplay/ws?token=\$INPLAY_SERVICE_TOKEN
  market-ws     http://127.0.0.1:8084   ws://127.0.0.1:8084/ws?apiKey=<key of op-demo>
  order-router  http://127.0.0.1:8085
tokens and operator keys: $demo/tokens.env   logs: $demo/logs/   stop: make demo-down
INFO
    ;;
*)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
