# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it; do not run it.
#
# Sets REPO_ROOT, TOOLS_DIR (.tools: the Python venv with moto), TEST_ENV_DIR
# (.test-env: dockerd state and logs), DEMO_DIR (.demo: the demo's registry,
# moto, config repo and controller state), and puts the Swift toolchain and
# the venv on PATH.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
VENV_DIR="$TOOLS_DIR/venv"
TEST_ENV_DIR="$REPO_ROOT/.test-env"
DEMO_DIR="$REPO_ROOT/.demo"
export REPO_ROOT TOOLS_DIR VENV_DIR TEST_ENV_DIR DEMO_DIR

# The Swift toolchain lives in /opt/swift on the project's machines.
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    PATH="/opt/swift/usr/bin:$PATH"
fi
# moto_server and aws from the project's venv, when scripts/setup.sh made one (it may
# make it after this file is sourced, so the folder need not exist yet). Appended: a
# moto_server already on PATH wins.
case ":$PATH:" in
    *":$VENV_DIR/bin:"*) ;;
    *) PATH="$PATH:$VENV_DIR/bin" ;;
esac
export PATH

if [[ -t 1 ]]; then
    _c_bold=$'\e[1m' _c_red=$'\e[31m' _c_green=$'\e[32m' _c_yellow=$'\e[33m' _c_reset=$'\e[0m'
else
    _c_bold='' _c_red='' _c_green='' _c_yellow='' _c_reset=''
fi

# log MESSAGE... — a progress line on stderr, prefixed by the script's name.
log() { printf '%s==>%s %s\n' "$_c_bold" "$_c_reset" "$*" >&2; }
ok() { printf '%s ok%s %s\n' "$_c_green" "$_c_reset" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_c_yellow" "$_c_reset" "$*" >&2; }
die() {
    printf '%serror:%s %s\n' "$_c_red" "$_c_reset" "$*" >&2
    exit 1
}

# wait_until SECONDS COMMAND... — polls COMMAND every 0.5 s until it succeeds;
# returns 1 when it has not succeeded after SECONDS.
wait_until() {
    local timeout=$1
    shift
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            return 1
        fi
        sleep 0.5
    done
    return 0
}

# pid_alive PIDFILE — true when PIDFILE names a running process.
pid_alive() {
    local pidfile=$1 pid
    [[ -s "$pidfile" ]] || return 1
    pid="$(<"$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# stop_pidfile PIDFILE NAME — stops the process a script of ours started
# (TERM, then KILL after 10 s) and removes the pid file. Only the pid in the
# file is signalled, never processes found by name.
stop_pidfile() {
    local pidfile=$1 name=$2 pid
    if ! pid_alive "$pidfile"; then
        rm -f "$pidfile"
        return 0
    fi
    pid="$(<"$pidfile")"
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            warn "$name (pid $pid) did not stop after 10 s; sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$pidfile"
}

# http_ok URL — true when URL answers with a 2xx status within 2 s.
http_ok() { curl -fs -o /dev/null --max-time 2 "$1" 2>/dev/null; }

# docker_ok — true when the Docker daemon answers on its socket.
docker_ok() { timeout 10 docker info >/dev/null 2>&1; }
