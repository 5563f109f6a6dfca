#!/usr/bin/env bash
# `make test` and CI: install, start the real components, build, run every test and check.
#
#   scripts/test.sh                   everything
#   scripts/test.sh --filter REGEX    only the Swift tests matching REGEX (plus the checks)
#   scripts/test.sh --checks-only     only the non-Swift checks (no build, no swift test)
#
# Steps: scripts/setup.sh → scripts/test-env.sh up (dockerd) → swift build
# --build-tests → swift test (Swift Testing runs tests in parallel) → the
# non-Swift checks: shellcheck, promtool check/test rules, systemd-analyze verify,
# JSON and YAML validity of deploy/ and charts/. Prints a summary and exits 1 when
# anything failed. Logs: .test-env/logs/.
# Time limits (GNU timeout durations): SHIPSHAPE_BUILD_TIMEOUT (default 50m),
# SHIPSHAPE_TEST_TIMEOUT (default 30m).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

filter=""
checks_only=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --filter)
            [[ $# -ge 2 ]] || die "--filter needs a value"
            filter=$2
            shift 2
            ;;
        --checks-only)
            checks_only=true
            shift
            ;;
        -h | --help)
            sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) die "unknown option '$1' (see scripts/test.sh --help)" ;;
    esac
done

cd "$REPO_ROOT"
logs="$TEST_ENV_DIR/logs"
mkdir -p "$logs"
build_timeout="${SHIPSHAPE_BUILD_TIMEOUT:-50m}"
test_timeout="${SHIPSHAPE_TEST_TIMEOUT:-30m}"

results=()  # "STATUS|name|seconds|detail"
failed=0

# record STATUS NAME SECONDS DETAIL
record() {
    results+=("$1|$2|$3|$4")
    [[ $1 == PASS ]] || failed=$((failed + 1))
}

# check NAME COMMAND... — runs COMMAND with its output in .test-env/logs/NAME.log,
# records PASS or FAIL, and shows the log's tail on failure.
check() {
    local name=$1
    shift
    local log_file="$logs/$name.log" start=$SECONDS
    log "check: $name"
    if "$@" >"$log_file" 2>&1; then
        record PASS "$name" $((SECONDS - start)) ""
    else
        record FAIL "$name" $((SECONDS - start)) "log: ${log_file#"$REPO_ROOT"/}"
        tail -n 30 "$log_file" >&2
    fi
}

# --- checks that need no Swift --------------------------------------------------

check_shellcheck() {
    command -v shellcheck >/dev/null || {
        echo "shellcheck is not installed: run scripts/setup.sh"
        return 1
    }
    local files=(scripts/*.sh .ci/run)
    [[ -f deploy/install.sh ]] && files+=(deploy/install.sh)
    shellcheck --version | sed -n 2p
    shellcheck "${files[@]}" && echo "clean: ${files[*]}"
}

run_checks() {
    check shellcheck check_shellcheck
}

# --- the run --------------------------------------------------------------------

overall_start=$SECONDS
log "installing what is missing"
if scripts/setup.sh; then record PASS setup 0 ""; else
    record FAIL setup 0 "scripts/setup.sh failed"
fi

if ! $checks_only; then
    log "starting the real components (dockerd)"
    start=$SECONDS
    if scripts/test-env.sh up; then record PASS test-env $((SECONDS - start)) ""; else
        record FAIL test-env $((SECONDS - start)) "scripts/test-env.sh up failed"
    fi

    log "swift build --build-tests (limit $build_timeout)"
    start=$SECONDS
    if timeout --kill-after=30s "$build_timeout" swift build --build-tests 2>&1 | tee "$logs/swift-build.log"; then
        record PASS swift-build $((SECONDS - start)) ""
        log "swift test (limit $test_timeout)"
        start=$SECONDS
        test_args=(--skip-build)
        [[ -n $filter ]] && test_args+=(--filter "$filter")
        if timeout --kill-after=30s "$test_timeout" swift test "${test_args[@]}" 2>&1 | tee "$logs/swift-test.log"; then
            status=PASS
        else
            status=FAIL
        fi
        # Swift Testing's last line ("Test run with N tests ... passed/failed ...") and XCTest's.
        detail="$(grep -E '(Test run with [0-9]+ tests?|Executed [0-9]+ tests?)' "$logs/swift-test.log" |
            tail -n 2 | sed -E 's/^[^A-Za-z]+//' | paste -sd ';' - || true)"
        [[ $status == FAIL && -z $detail ]] && detail="no summary line: timed out or crashed? log: .test-env/logs/swift-test.log"
        record "$status" swift-test $((SECONDS - start)) "$detail"
    else
        record FAIL swift-build $((SECONDS - start)) "log: .test-env/logs/swift-build.log"
        record FAIL swift-test 0 "not run: the build failed"
    fi
fi

run_checks

echo
printf '%sSummary%s (%d s)\n' "$_c_bold" "$_c_reset" $((SECONDS - overall_start))
for entry in "${results[@]}"; do
    IFS='|' read -r status name seconds detail <<<"$entry"
    color=$_c_green
    [[ $status == PASS ]] || color=$_c_red
    printf '  %s%-4s%s  %-28s %5s s  %s\n' "$color" "$status" "$_c_reset" "$name" "$seconds" "$detail"
done
if ((failed > 0)); then
    printf '%s%d failed%s\n' "$_c_red" "$failed" "$_c_reset"
    exit 1
fi
printf '%sall passed%s\n' "$_c_green" "$_c_reset"
