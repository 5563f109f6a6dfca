#!/usr/bin/env bash
# Runs deploy/systemd/shipshape.service under a real systemd, in a container.
#
#   scripts/systemd-lab.sh                   with a stand-in binary (scripts/systemd-lab/standin.py)
#   scripts/systemd-lab.sh --binary PATH     with a real shipshape binary (e.g. .build/release/shipshape)
#   scripts/systemd-lab.sh --keep            leave the container running to look around
#
# systemd-analyze verify (make test) only parses the unit. This boots Debian 12 with
# systemd as PID 1 in a container (image built once with debootstrap from Debian's
# mirror, then cached), installs with deploy/install.sh, and checks: the service
# becomes active (Type=notify: READY=1 arrived) as user shipshape, sends STATUS=,
# stays up past WatchdogSec (WATCHDOG=1 arrives), stops cleanly on SIGTERM. With the
# stand-in it also checks the sandbox (state directory writable, /etc and /usr
# read-only, /root hidden, no netlink or packet sockets, the docker group reaches a
# Docker socket) and that a hung process is killed by the watchdog and restarted.
# The real binary gets a config repo seeded from manifests/ and a Docker socket that
# answers nothing (no Docker in the container): it has to keep running regardless.
# Needs: docker with CAP_SYS_ADMIN for containers; about 400 MB for the image.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE=shipshape-systemd-lab:debian12-2
binary="$REPO_ROOT/scripts/systemd-lab/standin.py"
standin=true
keep=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary)
            [[ $# -ge 2 ]] || die "--binary needs a path"
            binary="$(realpath "$2")"
            standin=false
            shift 2
            ;;
        --keep)
            keep=true
            shift
            ;;
        -h | --help)
            awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
            exit 0
            ;;
        *) die "unknown option '$1' (see scripts/systemd-lab.sh --help)" ;;
    esac
done
[[ -x $binary ]] || die "$binary is not an executable file"
$standin || [[ -d $REPO_ROOT/manifests ]] || die "$REPO_ROOT/manifests is missing: the lab seeds the real controller's config repo from it"
docker_ok || die "dockerd does not answer: run scripts/test-env.sh up"

build_image() {
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap (apt)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
    fi
    local rootfs="$TEST_ENV_DIR/systemd-lab/rootfs"
    rm -rf "$rootfs"
    mkdir -p "$rootfs"
    log "debootstrap Debian 12 with systemd into $rootfs (a few minutes, once)"
    debootstrap --variant=minbase \
        --include=systemd,systemd-sysv,dbus,python3,git,ca-certificates,libgit2-1.5,libxml2,libcurl4 \
        bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
        >"$TEST_ENV_DIR/systemd-lab/debootstrap.log" 2>&1 ||
        die "debootstrap failed (log: $TEST_ENV_DIR/systemd-lab/debootstrap.log)"
    chroot "$rootfs" groupadd --system docker
    install -m 0644 "$REPO_ROOT/scripts/systemd-lab/lab-docker.service" "$rootfs/etc/systemd/system/"
    ln -sf /etc/systemd/system/lab-docker.service "$rootfs/etc/systemd/system/multi-user.target.wants/lab-docker.service"
    # Nothing in the lab needs a login or a network.
    rm -f "$rootfs/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
    tar -C "$rootfs" -c . | docker import --change 'CMD ["/sbin/init"]' - "$IMAGE" >/dev/null
    rm -rf "$rootfs"
    ok "built $IMAGE"
}

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
    mkdir -p "$TEST_ENV_DIR/systemd-lab"
    build_image
fi

name="shipshape-systemd-lab-$RANDOM$RANDOM"
mounts=(-v "$REPO_ROOT:/src:ro" -v "$binary:/lab/shipshape:ro")
# A dynamically linked build finds the Swift runtime through its RUNPATH in /opt/swift.
[[ -d /opt/swift ]] && ! $standin && mounts+=(-v /opt/swift:/opt/swift:ro)
log "booting $name"
docker run -d --name "$name" --network none --cap-add SYS_ADMIN \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --tmpfs /run --tmpfs /run/lock --tmpfs /tmp -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
    "${mounts[@]}" "$IMAGE" >/dev/null
cleanup() {
    if $keep; then
        log "kept: docker exec -it $name bash   (remove: docker rm -f $name)"
    else
        docker rm -f "$name" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
lab() { docker exec "$name" "$@"; }
prop() { lab systemctl show shipshape -p "$1" --value; }

booted() { [[ "$(lab systemctl is-system-running 2>/dev/null || true)" =~ ^(running|degraded)$ ]]; }
wait_until 90 booted || die "systemd did not finish booting in the container within 90 s"

results=()
failed=0
expect() { # expect NAME CONDITION-COMMAND...
    local name=$1
    shift
    if "$@"; then results+=("PASS  $name"); else
        results+=("FAIL  $name")
        failed=$((failed + 1))
    fi
}

lab /src/deploy/install.sh --binary /lab/shipshape >/dev/null
if ! $standin; then
    # The real controller: a config repo from manifests/, the lab's Docker socket.
    # shellcheck disable=SC2016 # expanded by the shell in the container
    lab bash -euc '
        git init -q --bare --initial-branch=main /var/lib/lab/config.git
        work=$(mktemp -d); git init -q --initial-branch=main "$work"
        cp -R /src/manifests "$work/manifests"
        git -C "$work" add manifests
        git -C "$work" -c user.name=lab -c user.email=lab@shipshape.invalid commit -q -m seed
        git -C "$work" push -q /var/lib/lab/config.git main
        # libgit2 refuses a repository owned by another user (safe.directory), as git does.
        chown -R shipshape:shipshape /var/lib/lab/config.git
        cat >/etc/shipshape/config.yaml <<YAML
git:
  url: file:///var/lib/lab/config.git
  branch: main
  path: manifests
  pollInterval: 5s
environments: [dev]
stateDirectory: /var/lib/shipshape
listen: 127.0.0.1:9090
docker: { socket: /run/lab-docker.sock }
aws: { region: us-east-1, endpoint: http://127.0.0.1:4566 }
policy: { dryRun: false }
YAML'
fi

log "systemctl start shipshape (returns once READY=1 arrived)"
start_ok=true
lab timeout 150 systemctl start shipshape || start_ok=false
expect "started: Type=notify READY=1 arrived, active (running)" \
    test "$start_ok" = true -a "$(prop ActiveState)/$(prop SubState)" = active/running
expect "runs as user shipshape" test "$(lab stat -c %U "/proc/$(prop MainPID)" 2>/dev/null)" = shipshape
expect "STATUS= text: '$(prop StatusText)'" test -n "$(prop StatusText)"

if $standin; then
    journal="$(lab journalctl -u shipshape -o cat --no-pager)"
    for probe in "write-state allowed" "write-etc denied" "write-usr denied" "read-root-home denied" \
        "tcp-socket allowed" "netlink-socket denied" "packet-socket denied" "docker-socket allowed" \
        "setuid-root denied"; do
        expect "sandbox: ${probe% *}: ${probe#* }" grep -q "^probe ${probe% *}: ${probe#* }" <<<"$journal"
    done
fi

log "waiting 40 s (WatchdogSec=30s): the service must keep sending WATCHDOG=1"
restarts_before="$(prop NRestarts)"
sleep 40
expect "alive after 40 s, no watchdog restart" \
    test "$(prop ActiveState)" = active -a "$(prop NRestarts)" = "$restarts_before"

if $standin; then
    log "hanging the stand-in: the watchdog must kill and restart it"
    lab touch /var/lib/shipshape/hang
    restarted() { [[ "$(prop NRestarts)" -gt "$restarts_before" ]]; }
    wait_until 60 restarted && hung=true || hung=false
    lab rm -f /var/lib/shipshape/hang
    expect "a hung process is killed by the watchdog and restarted" test "$hung" = true
    active() { [[ "$(prop ActiveState)" == active ]]; }
    wait_until 30 active || true
    expect "active again after the restart" test "$(prop ActiveState)" = active
fi

log "systemctl stop shipshape"
lab timeout 90 systemctl stop shipshape || true
expect "stops cleanly on SIGTERM (Result=success)" test "$(prop Result)" = success

echo
for line in "${results[@]}"; do echo "  $line"; done
if ((failed > 0)); then
    echo
    lab journalctl -u shipshape --no-pager -n 40 || true
    die "$failed check(s) failed"
fi
ok "the unit works under systemd $(lab systemctl --version | head -n 1 | awk '{print $2}')"
