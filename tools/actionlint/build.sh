#!/usr/bin/env bash
# Builds the pinned actionlint from the Go module proxy into a cache outside the work tree,
# keyed by its version, the Go toolchain and this script, and prints the binary's path as the
# LAST line on stdout (progress goes to stderr). Separate from e2e/toolchain/build.sh on
# purpose: its cache key covers the control plane, which must not rebuild for a lint bump.
#
#   bash tools/actionlint/build.sh
#
# Env: CLOUD37_CACHE (default ~/.cache/cloud37-s3-provider).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

log() { echo "[actionlint] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go not found on PATH"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0

key="$ACTIONLINT_VERSION-$({ go env GOVERSION GOOS GOARCH; cat "$here/build.sh"; } | sha256sum | cut -c1-12)"
cache_root="${CLOUD37_CACHE:-$HOME/.cache/cloud37-s3-provider}/actionlint"
final="$cache_root/$key"
if [[ -x "$final/actionlint" ]]; then
  echo "$final/actionlint"
  exit 0
fi

log "cache miss: building actionlint $ACTIONLINT_VERSION from the Go module proxy into $final…"
mkdir -p "$cache_root"
# Build into a private temp dir and rename at the end: an interrupted build leaves no half entry.
tmp="$(mktemp -d "$cache_root/.tmp-$key-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
start=$SECONDS
GOBIN="$tmp" go install -p 2 -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" ||
  die "building actionlint $ACTIONLINT_VERSION failed"
log "built in $((SECONDS - start))s ($(du -h "$tmp/actionlint" | cut -f1))"
# Publish by renaming the finished build (the EXIT trap then finds nothing to remove); when a
# concurrent build published first, its result is used.
mv -T "$tmp" "$final" 2>/dev/null || [[ -x "$final/actionlint" ]] || die "could not publish $final"
echo "$final/actionlint"
