#!/usr/bin/env bash
# Starts and stops the real components that Shipshape's tests and demo use.
#
#   scripts/test-env.sh up [--demo]   start what is not running yet (idempotent)
#   scripts/test-env.sh down          stop what these scripts started (pid files)
#   scripts/test-env.sh status        show what runs, and who started it
#
# up:        dockerd (socket /var/run/docker.sock, default bridge) unless the socket
#            already answers; state and log under .test-env/.
# up --demo: also the demo registry (docker-registry on 127.0.0.1:5000, storage
#            under .demo/registry) and moto (127.0.0.1:4566, log under .demo/).
# Everything listens on loopback or a unix socket only. A component that already
# answers is reused and left alone by `down`.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKER_SOCKET=/var/run/docker.sock
REGISTRY_ADDR=127.0.0.1:5000
MOTO_HOST=127.0.0.1
MOTO_PORT=4566

dockerd_pidfile="$TEST_ENV_DIR/dockerd.pid"
registry_pidfile="$DEMO_DIR/registry.pid"
moto_pidfile="$DEMO_DIR/moto.pid"

usage() {
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
}

registry_ok() { http_ok "http://$REGISTRY_ADDR/v2/"; }
moto_ok() { http_ok "http://$MOTO_HOST:$MOTO_PORT/moto-api/data.json"; }
port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_dockerd() {
    if docker_ok; then
        ok "dockerd answers on $DOCKER_SOCKET (reused)"
        return 0
    fi
    command -v dockerd >/dev/null 2>&1 || die "dockerd is not installed: run scripts/setup.sh"
    [[ $(id -u) -eq 0 ]] || die "starting dockerd needs root (or start it yourself and re-run)"
    mkdir -p "$TEST_ENV_DIR"
    if pid_alive "$dockerd_pidfile"; then
        log "dockerd (pid $(<"$dockerd_pidfile")) is starting; waiting for it"
    elif pid_alive /var/run/docker.pid; then
        # A daemon someone else started is still coming up (or is busy): never start a
        # second one on the same socket and data root.
        log "dockerd (pid $(</var/run/docker.pid), not ours) is running but not answering yet; waiting for it"
    elif [[ -d /run/systemd/system ]] && systemctl cat docker.service >/dev/null 2>&1; then
        log "starting docker.service through systemd"
        systemctl start docker.service
    else
        log "starting dockerd (log: $TEST_ENV_DIR/dockerd.log)"
        # A stale socket from a daemon that died keeps dockerd from starting.
        [[ -S $DOCKER_SOCKET ]] && rm -f "$DOCKER_SOCKET"
        setsid dockerd --host="unix://$DOCKER_SOCKET" \
            >"$TEST_ENV_DIR/dockerd.log" 2>&1 </dev/null &
        echo $! >"$dockerd_pidfile"
    fi
    if ! wait_until 60 docker_ok; then
        tail -n 20 "$TEST_ENV_DIR/dockerd.log" >&2 2>/dev/null || true
        die "dockerd did not answer on $DOCKER_SOCKET within 60 s (log: $TEST_ENV_DIR/dockerd.log)"
    fi
    ok "dockerd is up ($DOCKER_SOCKET)"
}

start_registry() {
    if registry_ok; then
        ok "registry answers on http://$REGISTRY_ADDR (reused)"
        return 0
    fi
    if port_in_use "${REGISTRY_ADDR%:*}" "${REGISTRY_ADDR#*:}"; then
        die "$REGISTRY_ADDR is taken by something that is not a Docker registry; stop it and re-run"
    fi
    command -v docker-registry >/dev/null 2>&1 || die "docker-registry is not installed: run scripts/setup.sh"
    local dir="$DEMO_DIR/registry"
    mkdir -p "$dir/data"
    cat >"$dir/config.yml" <<YAML
# Written by scripts/test-env.sh: the demo's local registry (stands in for ECR).
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML
    log "starting docker-registry on $REGISTRY_ADDR (log: $DEMO_DIR/registry.log)"
    setsid docker-registry serve "$dir/config.yml" >"$DEMO_DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$registry_pidfile"
    if ! wait_until 30 registry_ok; then
        tail -n 20 "$DEMO_DIR/registry.log" >&2 || true
        die "docker-registry did not answer on $REGISTRY_ADDR within 30 s (log: $DEMO_DIR/registry.log)"
    fi
    ok "registry is up (http://$REGISTRY_ADDR)"
}

start_moto() {
    if moto_ok; then
        ok "moto answers on http://$MOTO_HOST:$MOTO_PORT (reused)"
        return 0
    fi
    if port_in_use "$MOTO_HOST" "$MOTO_PORT"; then
        die "$MOTO_HOST:$MOTO_PORT is taken by something that is not moto; stop it and re-run"
    fi
    command -v moto_server >/dev/null 2>&1 || die "moto_server is not installed: run scripts/setup.sh"
    log "starting moto_server on $MOTO_HOST:$MOTO_PORT (log: $DEMO_DIR/moto.log)"
    setsid moto_server -H "$MOTO_HOST" -p "$MOTO_PORT" >"$DEMO_DIR/moto.log" 2>&1 </dev/null &
    echo $! >"$moto_pidfile"
    if ! wait_until 60 moto_ok; then
        tail -n 20 "$DEMO_DIR/moto.log" >&2 || true
        die "moto_server did not answer on $MOTO_HOST:$MOTO_PORT within 60 s (log: $DEMO_DIR/moto.log)"
    fi
    ok "moto is up (http://$MOTO_HOST:$MOTO_PORT)"
}

# describe NAME PIDFILE CHECK... — one status line.
describe() {
    local name=$1 pidfile=$2
    shift 2
    local owner="not started by these scripts"
    pid_alive "$pidfile" && owner="started by these scripts, pid $(<"$pidfile")"
    if "$@"; then
        printf '  %-9s %sup%s    (%s)\n' "$name" "$_c_green" "$_c_reset" "$owner"
    else
        printf '  %-9s %sdown%s\n' "$name" "$_c_red" "$_c_reset"
        return 1
    fi
}

command=${1:-}
shift || true
demo=false
for arg in "$@"; do
    case "$arg" in
        --demo) demo=true ;;
        *) die "unknown option '$arg'" ;;
    esac
done

case "$command" in
    up)
        start_dockerd
        if $demo; then
            mkdir -p "$DEMO_DIR"
            start_registry
            start_moto
        fi
        ;;
    down)
        stop_pidfile "$moto_pidfile" moto_server
        stop_pidfile "$registry_pidfile" docker-registry
        stop_pidfile "$dockerd_pidfile" dockerd
        ok "stopped what these scripts started; components started by others are left running"
        ;;
    status)
        rc=0
        describe dockerd "$dockerd_pidfile" docker_ok || rc=1
        describe registry "$registry_pidfile" registry_ok || true
        describe moto "$moto_pidfile" moto_ok || true
        exit "$rc"
        ;;
    -h | --help | help) usage ;;
    *)
        usage >&2
        exit 2
        ;;
esac
