#!/usr/bin/env bash
# Builds the demo's container images from busybox-static and pushes them.
#
#   scripts/demo-images.sh [--force] REGISTRY      e.g. scripts/demo-images.sh 127.0.0.1:5000
#
# No public registry is reachable from the project's machines, so the images are
# made with `docker import` from a folder holding /bin/busybox and its applets:
#   REGISTRY/community-api:1.0.0, :1.0.1  busybox httpd on 8080 serving /www:
#                                         /version (the tag, one line) and
#                                         /actuator/health ({"status":"UP"})
#   REGISTRY/community-db:15              a PostgreSQL stand-in: a TCP listener on 5432
# A tag that the registry already has is left alone (idempotent); --force
# rebuilds and pushes every image again.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

force=false
registry=""
for arg in "$@"; do
    case "$arg" in
        --force) force=true ;;
        -h | --help)
            awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
            exit 0
            ;;
        -*) die "unknown option '$arg'" ;;
        *) registry=$arg ;;
    esac
done
[[ -n "$registry" ]] || die "usage: scripts/demo-images.sh [--force] REGISTRY (e.g. 127.0.0.1:5000)"

busybox=/bin/busybox
[[ -x $busybox ]] || die "$busybox is missing: run scripts/setup.sh (package busybox-static)"
if LC_ALL=C ldd "$busybox" >/dev/null 2>&1; then
    die "$busybox is dynamically linked (package busybox, not busybox-static): it cannot run alone in an image; run 'apt-get install busybox-static'"
fi
docker_ok || die "dockerd does not answer on /var/run/docker.sock: run scripts/test-env.sh up"
http_ok "http://$registry/v2/" || die "no registry answers on http://$registry/v2/: run scripts/test-env.sh up --demo"

work="$(mktemp -d "${TMPDIR:-/tmp}/shipshape-images.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# rootfs DIR — a minimal root file system: busybox and the applets the images use.
rootfs() {
    local dir=$1
    mkdir -p "$dir/bin" "$dir/tmp" "$dir/www/actuator"
    cp "$busybox" "$dir/bin/busybox"
    local applet
    for applet in sh httpd nc cat echo ls sleep wget env ps; do
        ln -s busybox "$dir/bin/$applet"
    done
    chmod 1777 "$dir/tmp"
}

# has_tag REPOSITORY TAG — true when the registry already holds REPOSITORY:TAG.
has_tag() {
    curl -fs -o /dev/null --max-time 5 -I \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$registry/v2/$1/manifests/$2" 2>/dev/null
}

# build_and_push REPOSITORY TAG DIR CHANGE... — docker import DIR with the
# Dockerfile instructions CHANGE..., then push.
build_and_push() {
    local repository=$1 tag=$2 dir=$3
    shift 3
    local reference="$registry/$repository:$tag"
    if ! $force && has_tag "$repository" "$tag"; then
        ok "$reference is in the registry (kept; --force rebuilds)"
        return 0
    fi
    local changes=() change
    for change in "$@"; do changes+=(--change "$change"); done
    log "building $reference"
    tar -C "$dir" --owner=0 --group=0 --numeric-owner -c . |
        docker import "${changes[@]}" \
            --change "LABEL org.opencontainers.image.version=$tag" \
            --change "LABEL org.opencontainers.image.title=$repository" \
            --message "Shipshape demo image $repository:$tag (busybox-static)" \
            - "$reference" >/dev/null
    log "pushing $reference"
    docker push --quiet "$reference" >/dev/null
    ok "$reference pushed"
}

for version in 1.0.0 1.0.1; do
    dir="$work/api-$version"
    rootfs "$dir"
    printf '%s\n' "$version" >"$dir/www/version"
    printf '{"status":"UP"}\n' >"$dir/www/actuator/health"
    build_and_push community-api "$version" "$dir" \
        'CMD ["/bin/sh","-c","trap \"exit 0\" TERM; /bin/httpd -f -p 8080 -h /www & wait"]' \
        'EXPOSE 8080/tcp' \
        'WORKDIR /'
done

dir="$work/db-15"
rootfs "$dir"
# -ll with -e: a persistent listener that echoes what a client sends.
build_and_push community-db 15 "$dir" \
    'CMD ["/bin/sh","-c","trap \"exit 0\" TERM; /bin/nc -ll -p 5432 -e /bin/cat & wait"]' \
    'EXPOSE 5432/tcp' \
    'WORKDIR /'

ok "demo images are in http://$registry: community-api:1.0.0, community-api:1.0.1, community-db:15"
