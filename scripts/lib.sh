# shellcheck shell=bash
# Shared helpers for the project's bash scripts. Source it, don't run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Defines:
#   TPE_ROOT   absolute path of the repository
#   TPE_CACHE  cache directory outside the repository (reused by fresh clones)
#   tpe_log / tpe_warn / tpe_die    messages on stderr, prefixed with the script name
#   tpe_sha256 FILE                 hex sha256 of a file
#   tpe_load_env                    source "$TPE_CACHE/env.sh" (written by scripts/setup),
#                                   running scripts/setup first if it is missing

TPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TPE_HOME_DIR="${HOME:-$(cd ~ 2>/dev/null && pwd || echo /tmp)}"
TPE_CACHE="${TPE_CACHE:-${XDG_CACHE_HOME:-$TPE_HOME_DIR/.cache}/terraform-provider-ecr}"
export TPE_ROOT TPE_CACHE

TPE_SCRIPT_NAME="$(basename "${0:-tpe}")"

tpe_log() { printf '%s: %s\n' "$TPE_SCRIPT_NAME" "$*" >&2; }
tpe_warn() { printf '%s: warning: %s\n' "$TPE_SCRIPT_NAME" "$*" >&2; }
tpe_die() {
    printf '%s: ERROR: %s\n' "$TPE_SCRIPT_NAME" "$*" >&2
    exit 1
}

tpe_sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"
    fi
}

tpe_is_root() { [ "$(id -u)" = 0 ]; }

# apt-get install, running `apt-get update` once per script run first.
tpe_apt_install() {
    command -v apt-get >/dev/null 2>&1 || tpe_die "apt-get not found; install these by hand: $*"
    tpe_is_root || tpe_die "need root to apt-get install: $*"
    if [ -z "${TPE_APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || tpe_die "apt-get update failed"
        TPE_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 ||
        tpe_die "apt-get install $* failed"
}

tpe_load_env() {
    if [ ! -f "$TPE_CACHE/env.sh" ]; then
        "$TPE_ROOT/scripts/setup" || tpe_die "scripts/setup failed"
    fi
    # shellcheck source=/dev/null
    . "$TPE_CACHE/env.sh"
}

# Builds target/release/terraform-provider-ecr with a start-up symbol order that matches it
# exactly: build, list the functions start-up runs (bench/startup-symbols, callgrind), and relink
# when the list changed. Without valgrind, the committed list is used as it is. Prints the path.
tpe_build_release() {
    local bin="${CARGO_TARGET_DIR:-$TPE_ROOT/target}/release/terraform-provider-ecr"
    cargo build --locked --release --bin terraform-provider-ecr >&2
    if ! command -v valgrind >/dev/null 2>&1; then
        tpe_warn "valgrind not found: start-up symbol order not refreshed (idle RSS may be higher)"
    elif [ "$("$TPE_ROOT/bench/startup-symbols" --binary "$bin")" = changed ]; then
        tpe_log "start-up symbol list changed: relinking"
        cargo build --locked --release --bin terraform-provider-ecr >&2
    fi
    printf '%s\n' "$bin"
}

