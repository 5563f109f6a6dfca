#!/usr/bin/env bash
# `make demo`: Shipshape reconciling a local config repo into containers on this host.
#
#   scripts/demo.sh            install, build, start the stack, seed the config repo, run
#   scripts/demo.sh --no-run   the same, but stop before starting `shipshape run`
#
# Steps: scripts/setup.sh → swift build (debug by default: it shares the build of
# `make test` and a cold release build takes about twice as long; SHIPSHAPE_BUILD=release
# for a release build) → scripts/test-env.sh up --demo (dockerd, registry on
# 127.0.0.1:5000, moto on 127.0.0.1:4566) → scripts/demo-images.sh → a config
# repo .demo/config.git seeded from manifests/ with a work clone .demo/config →
# .demo/shipshape.yaml → `shipshape run --config .demo/shipshape.yaml`.
# Every step is idempotent: an existing config repo is kept (with your commits);
# `make clean` starts over.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run=true
case "${1:-}" in
    --no-run) run=false ;;
    "") ;;
    -h | --help)
        awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
        exit 0
        ;;
    *) die "unknown option '$1' (usage: scripts/demo.sh [--no-run])" ;;
esac

REGISTRY=127.0.0.1:5000
LISTEN=127.0.0.1:9090
build_config="${SHIPSHAPE_BUILD:-debug}"
[[ $build_config == release || $build_config == debug ]] ||
    die "SHIPSHAPE_BUILD must be 'release' or 'debug', not '$build_config'"

cd "$REPO_ROOT"
[[ -d manifests ]] || die "the project's manifests/ folder is missing in $REPO_ROOT: the demo seeds its config repo from it"

log "1/6 installing what is missing"
"$REPO_ROOT/scripts/setup.sh"

log "2/6 building shipshape ($build_config)"
build_start=$SECONDS
swift build -c "$build_config" --product shipshape
shipshape="$(swift build -c "$build_config" --show-bin-path)/shipshape"
[[ -x $shipshape ]] || die "the build finished but $shipshape is missing"
ok "built $shipshape in $((SECONDS - build_start)) s"

log "3/6 starting dockerd, the registry and moto"
"$REPO_ROOT/scripts/test-env.sh" up --demo

log "4/6 building and pushing the demo images"
"$REPO_ROOT/scripts/demo-images.sh" "$REGISTRY"

log "5/6 the config repository"
config_git="$DEMO_DIR/config.git"
config_work="$DEMO_DIR/config"
git_demo() { git -c user.name="Shipshape demo" -c user.email=demo@shipshape.invalid "$@"; }
if [[ -d $config_git ]]; then
    ok "$config_git exists (kept with its history; 'make clean' reseeds it from manifests/)"
else
    seed="$(mktemp -d "${TMPDIR:-/tmp}/shipshape-seed.XXXXXX")"
    git init -q --bare --initial-branch=main "$config_git.tmp"
    git init -q --initial-branch=main "$seed"
    cp -R manifests "$seed/manifests"
    # The AWS part of the demo: a security group for the api in moto's default VPC, whose id moto
    # makes up, so it is written into the seeded dev environment here.
    vpc="$(AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret aws --region us-east-1 \
        --endpoint-url http://127.0.0.1:4566 ec2 describe-vpcs --filters Name=isDefault,Values=true \
        --query 'Vpcs[0].VpcId' --output text)"
    [[ $vpc == vpc-* ]] || die "moto on 127.0.0.1:4566 has no default VPC (answered '$vpc')"
    cat >>"$seed/manifests/dev.yaml" <<YAML
  # Added by scripts/demo.sh: reconciled against moto (the local AWS endpoint).
  region: us-east-1
  securityGroups:
    api:
      vpc: $vpc
      description: community API (demo)
      ingress:
        - { protocol: tcp, ports: 8080, cidr: 10.0.0.0/16, description: api from the VPC }
YAML
    git -C "$seed" add manifests
    git_demo -C "$seed" commit -q -m "Seed the demo config repo from Shipshape's manifests/"
    git -C "$seed" push -q "$config_git.tmp" main
    rm -rf "$seed"
    mv "$config_git.tmp" "$config_git"
    ok "created $config_git from manifests/"
fi
if [[ ! -d $config_work/.git ]]; then
    git clone -q --branch main "file://$config_git" "$config_work"
    ok "cloned the work copy $config_work"
fi
if [[ -z "$(git -C "$config_work" config user.name || true)" ]]; then
    git -C "$config_work" config user.name "Shipshape demo"
    git -C "$config_work" config user.email demo@shipshape.invalid
fi

log "6/6 the controller configuration"
mkdir -p "$DEMO_DIR/state"
cat >"$DEMO_DIR/shipshape.yaml" <<YAML
# Written by scripts/demo.sh; rewritten on every run.
git:
  url: file://$config_git
  branch: main
  path: manifests
  pollInterval: 5s
environments: [dev]
stateDirectory: $DEMO_DIR/state
listen: $LISTEN
docker: { socket: /var/run/docker.sock }
aws: { region: us-east-1, endpoint: http://127.0.0.1:4566 }
policy: { dryRun: false }
YAML
ok "wrote $DEMO_DIR/shipshape.yaml"

# The file that holds the api's tag, for the instructions below.
tag_file="$(grep -rlE 'tag: *"?1\.0\.0"?' "$config_work/manifests" 2>/dev/null | head -n 1 || true)"
tag_file="${tag_file:-$config_work/manifests/dev.yaml}"
tag_file_rel="${tag_file#"$REPO_ROOT"/}"
config_work_rel="${config_work#"$REPO_ROOT"/}"

cat <<TEXT

${_c_bold}Shipshape demo${_c_reset} — the controller reconciles environment 'dev' from $config_git
every 5 s into containers on this host.

  metrics      curl http://$LISTEN/metrics
  health       curl http://$LISTEN/healthz
  status       curl http://$LISTEN/api/v1/status
  the service  curl http://127.0.0.1:18080/version          (1.0.0 once 'dev' is applied)
  AWS (moto)   AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo aws --region us-east-1 \\
                 --endpoint-url http://127.0.0.1:4566 ec2 describe-security-groups \\
                 --filters Name=tag:shipshape.io/environment,Values=dev

Roll out 1.0.1 (in a second terminal, from $REPO_ROOT):
  sed -i 's/"1.0.0"/"1.0.1"/' $tag_file_rel
  git -C $config_work_rel commit -am "api 1.0.1" && git -C $config_work_rel push
  curl http://127.0.0.1:18080/version                      (1.0.1 within one poll interval)
  curl -s http://$LISTEN/metrics | grep -E 'shipshape_(last_applied_info|reconcile_total)'
  docker ps --filter label=shipshape.io/managed-by=shipshape

Stop with Ctrl-C; 'make clean' stops the registry and moto and removes .demo/.
TEXT

if ! $run; then
    ok "ready: $shipshape run --config $DEMO_DIR/shipshape.yaml"
    exit 0
fi
if (exec 3<>"/dev/tcp/${LISTEN%:*}/${LISTEN#*:}") 2>/dev/null; then
    die "$LISTEN is already in use (another 'shipshape run'?): stop it and re-run 'make demo'"
fi
# moto takes any credentials; the controller's credential chain needs some.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-demo}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-demo-secret}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
log "starting: shipshape run --config $DEMO_DIR/shipshape.yaml"
exec "$shipshape" run --config "$DEMO_DIR/shipshape.yaml"
