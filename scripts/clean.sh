#!/usr/bin/env bash
# `make clean`: stops what scripts/test-env.sh started, removes the demo's
# containers and the .demo/ and .test-env/ folders. Keeps .build/ (slow to
# rebuild) and .tools/ (the venv with moto).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The demo's containers (made by Shipshape for environment 'dev' from the demo registry) are
# removed only when this checkout started the demo registry: when it reused another
# checkout's stack, the containers may be that checkout's demo.
if docker_ok && pid_alive "$DEMO_DIR/registry.pid"; then
    ids=()
    while read -r id image; do
        [[ $image == 127.0.0.1:5000/* ]] && ids+=("$id")
    done < <(docker ps -a --format '{{.ID}} {{.Image}}' \
        --filter label=shipshape.io/managed-by=shipshape \
        --filter label=shipshape.io/environment=dev)
    if [[ ${#ids[@]} -gt 0 ]]; then
        log "removing the demo's containers: ${ids[*]}"
        docker rm -f "${ids[@]}" >/dev/null
    fi
elif [[ -d $DEMO_DIR ]]; then
    log "the demo registry was not started from this checkout: its 'dev' containers are left alone"
fi
"$REPO_ROOT/scripts/test-env.sh" down
rm -rf "$DEMO_DIR" "$TEST_ENV_DIR"
ok "removed .demo/ and .test-env/"
