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
            awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
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

venv_python() {
    [[ -x $VENV_DIR/bin/python ]] || {
        echo "$VENV_DIR/bin/python is missing: run scripts/setup.sh"
        return 1
    }
    "$VENV_DIR/bin/python" "$@"
}

check_shellcheck() {
    command -v shellcheck >/dev/null || {
        echo "shellcheck is not installed: run scripts/setup.sh"
        return 1
    }
    local files=(scripts/*.sh .ci/run deploy/install.sh)
    shellcheck --version | sed -n 2p
    shellcheck "${files[@]}" && echo "clean: ${files[*]}"
}

check_python_scripts() {
    # Parse only: py_compile would leave __pycache__ folders in the tree.
    venv_python -c 'import ast, sys
for path in sys.argv[1:]:
    ast.parse(open(path).read(), path)
print("parses:", " ".join(sys.argv[1:]))' scripts/*.py scripts/systemd-lab/*.py
}

check_promtool_rules() {
    promtool check rules charts/prometheus/shipshape-rules.yaml &&
        promtool check config charts/prometheus/prometheus.example.yaml
}

check_promtool_tests() {
    (cd charts/prometheus && promtool test rules shipshape-rules.test.yaml)
}

# systemd-analyze verify refuses a unit whose ExecStart binary does not exist, and
# /usr/local/bin/shipshape is not installed here: verify a copy whose ExecStart points
# at the built binary (or /bin/true before the first build). It exits 0 even on parse
# warnings, so any output is a failure too.
check_systemd_unit() {
    local dir binary=/bin/true output
    dir="$(mktemp -d)"
    for candidate in .build/debug/shipshape .build/release/shipshape; do
        if [[ -x $candidate ]]; then
            binary="$REPO_ROOT/$candidate"
            break
        fi
    done
    echo "verifying deploy/systemd/shipshape.service with ExecStart=$binary"
    sed "s|^ExecStart=/usr/local/bin/shipshape |ExecStart=$binary |" deploy/systemd/shipshape.service \
        >"$dir/shipshape.service"
    grep -q "^ExecStart=$binary run --config " "$dir/shipshape.service" || {
        echo "the unit's ExecStart is not '/usr/local/bin/shipshape run --config ...'"
        rm -rf "$dir"
        return 1
    }
    output="$(cd "$dir" && systemd-analyze verify ./shipshape.service 2>&1)" || {
        echo "$output"
        rm -rf "$dir"
        return 1
    }
    if [[ -n $output ]]; then
        echo "$output"
        rm -rf "$dir"
        return 1
    fi
    echo "systemd-analyze verify: clean"
    # Exposure score of the hardening, 0 (locked down) .. 100 (none): fail above 2.0.
    (cd "$dir" && systemd-analyze security --offline=yes --threshold=20 ./shipshape.service) | tail -n 1
    local rc=${PIPESTATUS[0]}
    rm -rf "$dir"
    return "$rc"
}

check_install_script() {
    local prefix
    prefix="$(mktemp -d)"
    # (set -e does not apply inside a function called from `if`: every step checks its status.)
    deploy/install.sh --prefix "$prefix" --binary /bin/true || { rm -rf "$prefix"; return 1; }
    local expect
    for expect in "755 usr/local/bin/shipshape" "644 etc/systemd/system/shipshape.service" \
        "750 etc/shipshape" "640 etc/shipshape/config.yaml" "750 var/lib/shipshape" \
        "644 usr/local/share/shipshape/iam-policy.json"; do
        local mode=${expect%% *} path=${expect#* }
        [[ -e $prefix/$path ]] || { echo "missing: $path"; rm -rf "$prefix"; return 1; }
        [[ $(stat -c %a "$prefix/$path") == "$mode" ]] ||
            { echo "$path has mode $(stat -c %a "$prefix/$path"), expected $mode"; rm -rf "$prefix"; return 1; }
    done
    # Idempotent, and an edited config survives a second run.
    echo "# edited by the operator" >>"$prefix/etc/shipshape/config.yaml"
    deploy/install.sh --prefix "$prefix" --binary /bin/true || { rm -rf "$prefix"; return 1; }
    grep -q "edited by the operator" "$prefix/etc/shipshape/config.yaml" ||
        { echo "a second run overwrote etc/shipshape/config.yaml"; rm -rf "$prefix"; return 1; }
    # --dry-run changes nothing.
    local empty
    empty="$(mktemp -d)"
    deploy/install.sh --prefix "$empty" --binary /bin/true --dry-run || { rm -rf "$prefix" "$empty"; return 1; }
    [[ -z "$(ls -A "$empty")" ]] || { echo "--dry-run wrote files"; rm -rf "$prefix" "$empty"; return 1; }
    rm -rf "$prefix" "$empty"
    echo "install.sh: modes right, idempotent, --dry-run writes nothing"
}

run_checks() {
    check shellcheck check_shellcheck
    check python-scripts check_python_scripts
    check promtool-check-rules check_promtool_rules
    check promtool-test-rules check_promtool_tests
    check systemd-unit check_systemd_unit
    check grafana-dashboard python3 scripts/check-charts.py dashboard charts/grafana/shipshape-dashboard.json
    check iam-policy python3 scripts/check-charts.py iam deploy/iam-policy.json
    check helm-chart venv_python scripts/check-helm-chart.py charts/helm/shipshape
    check install-script check_install_script
}

# --- the run --------------------------------------------------------------------

overall_start=$SECONDS
log "installing what is missing"
if scripts/setup.sh; then record PASS setup $((SECONDS - overall_start)) ""; else
    record FAIL setup $((SECONDS - overall_start)) "scripts/setup.sh failed"
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
        # (XCTest's "Executed 0 tests" line is noise when every test is a Swift Testing one.)
        detail="$(grep -E '(Test run with [0-9]+ tests?|Executed [0-9]+ tests?)' "$logs/swift-test.log" |
            grep -v 'Executed 0 tests' | tail -n 2 | sed -E 's/^[^A-Za-z]+//' | paste -sd ';' - || true)"
        # Swift Testing: `✘ Test "name" recorded an issue at File.swift:12:3: message` and
        # `✘ Test "name" failed after …`; XCTest: `Test Case '…' failed`. Kept short, since CI
        # shows only the tail of the output.
        failed_tests="$(grep -E '(✘ Test .* (recorded an issue|failed after)|Test Case .* failed)' \
            "$logs/swift-test.log" | sed -E 's/^[^A-Za-z]+//' | cut -c1-400 | head -n 40 || true)"
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
if [[ -n ${failed_tests:-} ]]; then
    printf '\nFailed Swift tests and their issues (whole log: .test-env/logs/swift-test.log):\n'
    while IFS= read -r name; do printf '  %s\n' "$name"; done <<<"$failed_tests"
fi
if ((failed > 0)); then
    printf '%s%d failed%s\n' "$_c_red" "$failed" "$_c_reset"
    exit 1
fi
printf '%sall passed%s\n' "$_c_green" "$_c_reset"
