#!/usr/bin/env bash
# `make bench`: runs the benchmarks, release build.
#
# Benchmarks live in Benchmarks/: either an executable Benchmarks/run (which
# gets the repository root as its working directory), or executable targets of
# Package.swift whose sources are under Benchmarks/ (each run with
# `swift run -c release NAME`). Without a Benchmarks/ folder it says so and
# exits 0.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if [[ ! -d Benchmarks ]]; then
    ok "no benchmarks exist yet (there is no Benchmarks/ folder)"
    exit 0
fi
"$REPO_ROOT/scripts/test-env.sh" up
if [[ -x Benchmarks/run ]]; then
    log "running Benchmarks/run"
    exec Benchmarks/run
fi
mapfile -t targets < <(swift package describe --type json |
    jq -r '.targets[] | select(.type == "executable" and (.path | startswith("Benchmarks/"))) | .name')
if [[ ${#targets[@]} -eq 0 ]]; then
    die "Benchmarks/ has neither an executable 'run' nor executable targets in Package.swift"
fi
for target in "${targets[@]}"; do
    log "swift run -c release $target"
    swift run -c release "$target"
done
