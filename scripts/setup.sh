#!/usr/bin/env bash
# Installs what Shipshape's build, tests and demo need and is not there yet.
#
#   scripts/setup.sh            install what is missing (idempotent, fast when all present)
#   scripts/setup.sh --check    only report what is missing; exit 1 when something is
#
# System packages come from apt (Debian 12); moto, boto3 and the AWS CLI come
# from PyPI into a venv under .tools/venv (Debian's system pip refuses to
# install into the system Python, PEP 668) unless they are already on PATH.
# Services that the packages ship (nginx, prometheus, sshd, dockerd, ...) are
# NOT started by the installation: the scripts start their own instances on
# loopback addresses when they need them.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_only=false
case "${1:-}" in
    --check) check_only=true ;;
    "") ;;
    -h | --help)
        awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
        exit 0
        ;;
    *) die "unknown option '$1' (usage: scripts/setup.sh [--check])" ;;
esac

# package — what needs it
apt_packages=(
    "docker.io          — dockerd and the docker CLI: the Docker runtime, tests and demo"
    "docker-registry    — the local image registry (stands in for ECR)"
    "libgit2-dev        — the CLibGit2 system library target"
    "pkgconf            — pkg-config, which SwiftPM uses to find libgit2"
    "busybox-static     — the demo and test container images (docker import)"
    "git                — config repositories, git http-backend for HTTPS tests"
    "curl               — readiness checks in these scripts"
    "make               — the Makefile (make demo, make test)"
    "jq                 — JSON in these scripts and in test helpers"
    "nginx              — HTTPS git server in tests (with fcgiwrap)"
    "fcgiwrap           — runs git http-backend behind nginx"
    "openssh-server     — SSH git server in tests"
    "openssl            — self-signed certificates for HTTPS tests"
    "prometheus         — promtool (metrics and rule checks) and the scrape test"
    "prometheus-alertmanager — the Alertmanager sink's integration test"
    "docker-compose     — the peer tool in benchmarks"
    "apache2-utils      — htpasswd for the authenticated registry in tests"
    "gnupg              — signed-commit verification tests"
    "python3-venv       — the venv that holds moto"
    "systemd            — systemd-analyze verify on the unit file"
    "shellcheck         — lints these scripts in make test"
)

# One dpkg-query for all of them: "name<TAB>status" for each installed or known package.
names=()
for entry in "${apt_packages[@]}"; do names+=("${entry%% *}"); done
installed="$(dpkg-query -W -f='${Package}\t${Status}\n' "${names[@]}" 2>/dev/null |
    awk -F'\t' '$2 == "install ok installed" { print $1 }' || true)"
missing=()
for entry in "${apt_packages[@]}"; do
    pkg="${entry%% *}"
    if ! grep -qxF "$pkg" <<<"$installed"; then
        missing+=("$pkg")
        log "missing apt package: $entry"
    fi
done

# PyPI packages into .tools/venv, each unless what it provides is already there.
venv_python="$VENV_DIR/bin/python"
pip_packages=()
if ! command -v moto_server >/dev/null 2>&1; then
    pip_packages+=('moto[server]')
    log "missing: moto_server (PyPI moto[server]) — the AWS API stand-in"
fi
if ! command -v aws >/dev/null 2>&1; then
    pip_packages+=(awscli)
    log "missing: aws (PyPI awscli) — cross-checks against moto"
fi
if ! python3 -c 'import boto3' >/dev/null 2>&1 &&
    ! { [[ -x $venv_python ]] && "$venv_python" -c 'import boto3' >/dev/null 2>&1; }; then
    pip_packages+=(boto3)
    log "missing: boto3 (PyPI) — a second AWS client to compare wire requests with"
fi
# Helm's own chart engine (Helm's Go SDK behind a C ABI, no helm binary): renders and
# lints charts/helm in make test. Always in the venv: only scripts/check-helm-chart.py uses it.
if ! { [[ -x $venv_python ]] && "$venv_python" -c 'import helm_python' >/dev/null 2>&1; }; then
    pip_packages+=(helm-python-sdk)
    log "missing: helm-python-sdk (PyPI) — helm template/lint of charts/helm"
fi
if ! { [[ -x $venv_python ]] && "$venv_python" -c 'import yaml' >/dev/null 2>&1; }; then
    pip_packages+=(pyyaml)
    log "missing: pyyaml (PyPI) in the venv — YAML checks of the charts in make test"
fi
venv_needed=false
[[ ${#pip_packages[@]} -gt 0 ]] && venv_needed=true

swift_bin="$(command -v swift || true)"
if [[ -z "$swift_bin" ]]; then
    die "Swift is not installed: expected /opt/swift/usr/bin/swift (Swift 6.3 toolchain). Install it from swift.org and re-run."
fi

if [[ ${#missing[@]} -eq 0 && $venv_needed == false ]]; then
    ok "everything is installed (swift: $swift_bin)"
    exit 0
fi
if $check_only; then
    die "missing: ${missing[*]:-} ${pip_packages[*]:-}"
fi

if [[ ${#missing[@]} -gt 0 ]]; then
    [[ $(id -u) -eq 0 ]] || die "installing apt packages needs root: run 'sudo scripts/setup.sh'"
    log "apt-get install ${missing[*]}"
    # Keep the packages' own services (nginx on :80, prometheus on :9090, sshd, dockerd ...)
    # from starting on all interfaces: policy-rc.d exit 101 = "action forbidden".
    created_policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        created_policy=true
    fi
    restore_policy() { if $created_policy; then rm -f /usr/sbin/policy-rc.d; fi; }
    trap restore_policy EXIT
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
    restore_policy
    trap - EXIT
    ok "installed apt packages: ${missing[*]}"
fi

if $venv_needed; then
    python=/usr/bin/python3
    [[ -x "$python" ]] || python="$(command -v python3)"
    if [[ ! -x "$VENV_DIR/bin/pip" ]]; then
        log "creating the Python venv $VENV_DIR"
        mkdir -p "$TOOLS_DIR"
        "$python" -m venv "$VENV_DIR"
    fi
    log "pip install ${pip_packages[*]} into $VENV_DIR"
    "$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check "${pip_packages[@]}"
    ok "installed from PyPI: ${pip_packages[*]}"
fi
ok "setup complete"
