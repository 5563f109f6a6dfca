#!/usr/bin/env bash
# Installs Shipshape as a systemd service on a host (an EC2 instance running Debian or
# Amazon Linux). Idempotent: run it again to upgrade the binary and the unit; an
# existing /etc/shipshape/config.yaml is never overwritten.
#
#   deploy/install.sh [--binary PATH] [--prefix DIR] [--dry-run]
#
#   --binary PATH  the shipshape binary to install
#                  (default: .build/release/shipshape; build it with
#                  `swift build -c release --product shipshape --static-swift-stdlib`
#                  so that the host needs no Swift toolchain)
#   --prefix DIR   install below DIR instead of / (staging a package, tests): the
#                  user is not created and nothing is started
#   --dry-run      print what would be done, change nothing
#
# It installs:
#   /usr/local/bin/shipshape                      the binary (0755)
#   /etc/systemd/system/shipshape.service         the unit (0644)
#   /etc/shipshape/config.yaml                    from deploy/config.example.yaml if absent
#                                                 (root:shipshape 0640; directory 0750)
#   /var/lib/shipshape                            the state directory (shipshape:shipshape 0750)
#   /usr/local/share/shipshape/iam-policy.json    the IAM policy for the instance role (0644)
#   /usr/local/share/doc/shipshape/README.md      the documentation the unit points to
# and creates the system user and group `shipshape` (with / as prefix).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"

binary="$repo_root/.build/release/shipshape"
prefix=/
dry_run=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary)
            [[ $# -ge 2 ]] || { echo "error: --binary needs a path" >&2; exit 2; }
            binary=$2
            shift 2
            ;;
        --prefix)
            [[ $# -ge 2 ]] || { echo "error: --prefix needs a directory" >&2; exit 2; }
            prefix=$2
            shift 2
            ;;
        --dry-run)
            dry_run=true
            shift
            ;;
        -h | --help)
            awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
            exit 0
            ;;
        *)
            echo "error: unknown option '$1' (see deploy/install.sh --help)" >&2
            exit 2
            ;;
    esac
done

prefix="${prefix%/}"
user=shipshape
bin_dir="$prefix/usr/local/bin"
unit_dir="$prefix/etc/systemd/system"
config_dir="$prefix/etc/shipshape"
state_dir="$prefix/var/lib/shipshape"
share_dir="$prefix/usr/local/share/shipshape"
doc_dir="$prefix/usr/local/share/doc/shipshape"

say() { printf '==> %s\n' "$*"; }
# run COMMAND... — runs COMMAND, or prints it with --dry-run.
run() {
    if $dry_run; then
        printf '    would run: %s\n' "${*@Q}"
    else
        "$@"
    fi
}
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

if ! $dry_run && [[ $(id -u) -ne 0 ]]; then
    die "installing needs root: run 'sudo deploy/install.sh' (or --dry-run to see what it does)"
fi
if [[ ! -x $binary ]]; then
    if $dry_run; then
        printf 'warning: %s is not an executable file yet\n' "$binary" >&2
    else
        die "$binary is not an executable file: build it with 'swift build -c release --product shipshape' or pass --binary PATH"
    fi
fi
# A binary linked against the Swift runtime's shared libraries does not start on a host
# without the toolchain: build it with --static-swift-stdlib (it then needs only libc,
# libstdc++ and libgit2 from the distribution).
if [[ -x $binary ]] && command -v ldd >/dev/null 2>&1; then
    missing_libs="$(LC_ALL=C ldd "$binary" 2>/dev/null | awk '/not found/ { print $1 }' | paste -sd ' ' - || true)"
    if [[ -n $missing_libs ]]; then
        message="$binary needs shared libraries this host lacks: $missing_libs. Build it with 'swift build -c release --product shipshape --static-swift-stdlib' (no Swift runtime on the host) and install the distribution's packages for the rest (Debian 12: apt-get install libgit2-1.5 libxml2 libcurl4)"
        if $dry_run || [[ -n $prefix ]]; then
            printf 'warning: %s\n' "$message" >&2
        else
            die "$message"
        fi
    fi
fi
for file in "$here/systemd/shipshape.service" "$here/config.example.yaml" "$here/iam-policy.json"; do
    [[ -f $file ]] || die "$file is missing: run install.sh from a complete Shipshape checkout"
done

# The service user: a system account without a login shell, home in the state directory.
if [[ -z $prefix ]]; then
    if id -u "$user" >/dev/null 2>&1; then
        say "user $user exists"
    else
        say "creating the system user and group $user"
        nologin="$(command -v nologin || echo /usr/sbin/nologin)"
        run useradd --system --user-group --home-dir /var/lib/shipshape --no-create-home \
            --shell "$nologin" --comment "Shipshape GitOps controller" "$user"
    fi
    if ! getent group docker >/dev/null 2>&1; then
        printf 'warning: there is no group "docker": install Docker first; the unit adds %s to it (SupplementaryGroups=docker) and will not start without it\n' "$user" >&2
    fi
else
    say "prefix $prefix: the user $user is not created; ownership is set only where it exists"
fi

# owner USER:GROUP PATH — chown when the user and the group exist (with / as prefix
# they do, or --dry-run shows the chown after the useradd it would run).
owner() {
    local user_name=${1%%:*} group_name=${1#*:}
    if id -u "$user_name" >/dev/null 2>&1 && getent group "$group_name" >/dev/null 2>&1; then
        run chown "$1" "$2"
    elif $dry_run && [[ -z $prefix ]]; then
        run chown "$1" "$2"
    fi
}

say "binary → $bin_dir/shipshape"
run install -d -m 0755 "$bin_dir"
run install -m 0755 "$binary" "$bin_dir/shipshape"

say "systemd unit → $unit_dir/shipshape.service"
run install -d -m 0755 "$unit_dir"
run install -m 0644 "$here/systemd/shipshape.service" "$unit_dir/shipshape.service"

say "configuration directory $config_dir (root:$user 0750)"
run install -d -m 0750 "$config_dir"
owner "root:$user" "$config_dir"
if [[ -e $config_dir/config.yaml ]]; then
    say "$config_dir/config.yaml exists: kept (compare with $here/config.example.yaml after upgrades)"
else
    say "configuration → $config_dir/config.yaml (from config.example.yaml: edit it)"
    run install -m 0640 "$here/config.example.yaml" "$config_dir/config.yaml"
    owner "root:$user" "$config_dir/config.yaml"
fi

say "state directory $state_dir ($user:$user 0750)"
run install -d -m 0750 "$state_dir"
owner "$user:$user" "$state_dir"
run chmod 0750 "$state_dir"

say "IAM policy → $share_dir/iam-policy.json"
run install -d -m 0755 "$share_dir"
run install -m 0644 "$here/iam-policy.json" "$share_dir/iam-policy.json"

if [[ -f $repo_root/README.md ]]; then
    run install -d -m 0755 "$doc_dir"
    run install -m 0644 "$repo_root/README.md" "$doc_dir/README.md"
fi

if [[ -z $prefix && -d /run/systemd/system ]]; then
    say "reloading systemd"
    run systemctl daemon-reload
fi

if $dry_run; then
    say "dry run: nothing was changed"
    exit 0
fi
cat <<TEXT

Installed. Next steps:
  1. Edit /etc/shipshape/config.yaml (Git URL, environments, region).
  2. Attach the policy to the instance's IAM role, e.g.
       aws iam put-role-policy --role-name ROLE --policy-name shipshape \\
         --policy-document file:///usr/local/share/shipshape/iam-policy.json
  3. systemctl enable --now shipshape
     journalctl -u shipshape -f
     curl 127.0.0.1:9090/healthz
TEXT
