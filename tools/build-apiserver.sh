#!/usr/bin/env bash
# Build kube-apiserver 1.20.2 from Debian 12's `kubernetes` source package and cache it
# outside the repo, for the integration tests in tests/test_apiserver_harness.py.
#
# Idempotent: if the cached binary exists it only makes sure etcd/openssl are installed.
# Needs root (apt-get). Non-interactive (safe under CI=true).
#
#   MLVIEW_CACHE   cache dir for the binary   (default: $HOME/.cache/mlview)
#   MLVIEW_BUILD   work dir for the source     (default: $MLVIEW_CACHE/build)
#   FORCE=1        rebuild even if cached
#   MLVIEW_KEEP_BUILD=1  keep the ~1.8 GB work dir after a successful build
set -euo pipefail

VERSION=1.20.2
CACHE="${MLVIEW_CACHE:-$HOME/.cache/mlview}"
WORK="${MLVIEW_BUILD:-$CACHE/build}"
BIN="$CACHE/kube-apiserver-$VERSION"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[build-apiserver] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

apt_install() {
    # Install only what is missing so a warm run does no network work.
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        log "apt-get install ${missing[*]}"
        $SUDO apt-get install -y -q --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" || { $SUDO apt-get update -q && $SUDO apt-get install -y -q \
            --no-install-recommends "${missing[@]}"; }
    fi
}

ensure_deb_src() {
    # `apt-get source` needs deb-src entries; mirror the machine's own debian sources.
    if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        return
    fi
    log "adding deb-src entries mirroring the existing apt sources"
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        grep -q 'debian' "$f" || continue
        sed -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' "$f" |
            $SUDO tee "/etc/apt/sources.list.d/mlview-src-$(basename "$f")" >/dev/null
    done
    if [ -f /etc/apt/sources.list ]; then
        sed -nE 's/^deb[[:space:]]+/deb-src /p' /etc/apt/sources.list |
            $SUDO tee /etc/apt/sources.list.d/mlview-src.list >/dev/null
    fi
    $SUDO apt-get update -q
}

# Runtime tools the harness needs, cached build or not.
apt_install etcd-server etcd-client openssl

if [ -x "$BIN" ] && [ "${FORCE:-0}" != 1 ]; then
    log "cached: $BIN ($("$BIN" --version 2>/dev/null || echo '?')); nothing to build"
    echo "$BIN"
    exit 0
fi

start=$(date +%s)
ensure_deb_src
apt_install dpkg-dev golang-go make rsync git

mkdir -p "$WORK" "$CACHE"
cd "$WORK"
SRC="$WORK/kubernetes-$VERSION"
if [ ! -d "$SRC" ]; then
    # Debian 12 ships it as 1.20.5+really1.20.2; the version check below guards the pick.
    log "fetching source: apt-get source kubernetes into $WORK"
    rm -f kubernetes_*
    apt-get source -q --download-only kubernetes ||
        { $SUDO apt-get update -q && apt-get source -q --download-only kubernetes; }
    ls kubernetes_*really"$VERSION"*.dsc >/dev/null 2>&1 || ls kubernetes_"$VERSION"*.dsc >/dev/null ||
        { log "unexpected kubernetes source version: $(ls kubernetes_*.dsc)"; exit 1; }
    # dpkg-source instead of a plain `apt-get source` so an unsigned .dsc is not fatal.
    # Extract to a temp dir first so an interrupted run never leaves a half tree behind.
    rm -rf "$SRC.tmp"
    dpkg-source --no-check -x kubernetes_*.dsc "$SRC.tmp"
    mv "$SRC.tmp" "$SRC"
fi

cd "$SRC"
log "building cmd/kube-apiserver with $(go version) (make WHAT=cmd/kube-apiserver: 3-8 min on 2 cores, ~1.3 GB RAM)"
# Same path as debian/rules: the 1.20 build runs in GOPATH mode (hack/lib/init.sh sets
# GO111MODULE=off) against vendor/, and `make` also generates the openapi code the build
# needs. A plain module-mode `go build` fails ("updates to go.mod needed"), so do not.
unset GOFLAGS GO111MODULE GOPATH GOCACHE GOBIN
# CGO_ENABLED=0 as in debian/rules: static binary, no C toolchain needed.
env HOME="$WORK" CGO_ENABLED=0 GOTOOLCHAIN=local GOPROXY=off make WHAT=cmd/kube-apiserver
BUILT="$SRC/_output/bin/kube-apiserver"
install -m 0755 "$BUILT" "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
end=$(date +%s)
if [ "${MLVIEW_KEEP_BUILD:-0}" != 1 ]; then
    log "removing work dir $WORK (set MLVIEW_KEEP_BUILD=1 to keep it)"
    # Only what this script created: MLVIEW_BUILD may point at a shared directory.
    rm -rf "$SRC" "$SRC.tmp" "$WORK"/kubernetes_*
    rmdir "$WORK" 2>/dev/null || true
fi
log "built $BIN ($(du -h "$BIN" | cut -f1)) in $((end - start))s; version: $("$BIN" --version)"
echo "$BIN"
