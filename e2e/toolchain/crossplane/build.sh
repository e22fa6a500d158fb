#!/usr/bin/env bash
# Builds the Crossplane parts of the e2e test bed from the Go module proxy into a
# content-addressed cache outside the work tree, then prints the output dir as the LAST line
# on stdout:
#
#   bash e2e/toolchain/crossplane/build.sh
#
# The dir holds bin/crossplane (core), bin/function-patch-and-transform,
# bin/crossplane-support (certificates, local OCI registry), crds/ (Crossplane's core CRDs,
# for `crossplane core init`) and packages/function-patch-and-transform/package.yaml.
# Progress goes to stderr. Env: CLOUD37_CACHE (default ~/.cache/cloud37-s3-provider).
# Separate from ../build.sh on purpose: its own versions and cache key, so a Crossplane
# bump never rebuilds the control plane and the reverse.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

log() { echo "[crossplane] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go not found on PATH"
export GOTOOLCHAIN=local
export GOFLAGS=-buildvcs=false
export CGO_ENABLED=0

# --- consistency: versions.env must agree with the wrapper modules' go.mod ---------------
require_version() { # dir, module, version
  local found
  found="$(awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$here/$1/go.mod")"
  [[ "$found" == "$3" ]] || die "$1/go.mod requires $2 ${found:-(nothing)}, versions.env says $3"
}
for module in github.com/crossplane/crossplane/v2 github.com/crossplane/crossplane/apis/v2 github.com/crossplane/crossplane-runtime/v2; do
  require_version core "$module" "$CROSSPLANE_VERSION"
done
require_version core github.com/google/go-containerregistry "$GO_CONTAINERREGISTRY_VERSION"
require_version function-patch-and-transform github.com/crossplane-contrib/function-patch-and-transform "$FUNCTION_PATCH_AND_TRANSFORM_VERSION"

# --- cache key: versions, sources, this script, the Go toolchain ---------------------------
key="$(
  cd "$here"
  {
    go env GOVERSION GOOS GOARCH
    for f in versions.env build.sh core/go.mod core/go.sum core/*.go core/support/*.go \
      function-patch-and-transform/go.mod function-patch-and-transform/go.sum; do
      printf '%s\n' "$f"
      cat "$f"
    done
  } | sha256sum | cut -c1-12
)"
cache_root="${CLOUD37_CACHE:-$HOME/.cache/cloud37-s3-provider}/crossplane"
final="$cache_root/$key"
fn_package="packages/function-patch-and-transform/package.yaml"

complete() { # dir
  [[ -x "$1/bin/crossplane" && -x "$1/bin/function-patch-and-transform" && -x "$1/bin/crossplane-support" && -d "$1/crds" && -f "$1/$fn_package" ]]
}
if complete "$final"; then
  echo "$final"
  exit 0
fi

started=$SECONDS
log "cache miss: building Crossplane $CROSSPLANE_VERSION and function-patch-and-transform $FUNCTION_PATCH_AND_TRANSFORM_VERSION into $final (first time only, about 5 minutes on 2 cores)"
mkdir -p "$cache_root"
# Build into a private temp dir and rename at the end: an interrupted build never leaves a
# half-populated cache entry.
tmp="$(mktemp -d "$cache_root/.tmp-$key-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/bin"

# Building core and the function takes minutes each: say every 30 s that they are still going.
heartbeat() { # number, name
  local start=$SECONDS
  while sleep 30; do log "($1/4) still $2… $((SECONDS - start))s ($((SECONDS - started))s elapsed)"; done
}

step() { # number, name, then command
  local number="$1" name="$2" start=$SECONDS beat
  shift 2
  log "($number/4) $name…"
  heartbeat "$number" "$name" &
  beat=$!
  "$@" || { kill "$beat" 2>/dev/null; die "$name failed"; }
  kill "$beat" 2>/dev/null
  wait "$beat" 2>/dev/null || true
  log "($number/4) $name done in $((SECONDS - start))s ($((SECONDS - started))s elapsed)"
}

module_dir() { # wrapper dir, module
  (cd "$here/$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2")
}

go_build() { # wrapper dir, output, package, extra flags...
  local dir="$1" out="$2" pkg="$3"
  shift 3
  (cd "$here/$dir" && go build -p 2 -trimpath "$@" -o "$out" "$pkg") || return 1
  log "    $(basename "$out"): $(du -h "$out" | cut -f1)"
}

core_dir="$(module_dir core github.com/crossplane/crossplane/v2)" || die "cannot download crossplane $CROSSPLANE_VERSION"
fn_dir="$(module_dir function-patch-and-transform github.com/crossplane-contrib/function-patch-and-transform)" ||
  die "cannot download function-patch-and-transform $FUNCTION_PATCH_AND_TRANSFORM_VERSION"

# Crossplane binds its metrics and health probe servers to every interface (":PORT"); the
# test bed binds only loopback. The build uses a copy of the crossplane/v2 module whose
# core.go puts 127.0.0.1 in front of those two ports (a build-only go.mod replaces the module
# with it; Go refuses overlays of files in the module cache), and fails if upstream's lines
# ever change.
build_core() {
  local src="$tmp/src/crossplane" modfile="$tmp/modfile/go.mod"
  mkdir -p "$tmp/src" "$tmp/modfile" && cp -R "$core_dir" "$src" && chmod -R u+w "$src" || return 1
  sed -i -e 's|fmt.Sprintf(":%d", c.MetricsPort)|fmt.Sprintf("127.0.0.1:%d", c.MetricsPort)|' \
    -e 's|fmt.Sprintf(":%d", c.HealthProbePort)|fmt.Sprintf("127.0.0.1:%d", c.HealthProbePort)|' "$src/cmd/crossplane/core/core.go" || return 1
  if [[ "$(grep -c 'fmt.Sprintf("127.0.0.1:%d", c\.\(MetricsPort\|HealthProbePort\))' "$src/cmd/crossplane/core/core.go")" != 2 ]]; then
    log "core.go of crossplane $CROSSPLANE_VERSION no longer has the metrics and health addresses this build rewrites"
    return 1
  fi
  cp "$here/core/go.mod" "$modfile" && cp "$here/core/go.sum" "${modfile%.mod}.sum" || return 1
  printf '\nreplace github.com/crossplane/crossplane/v2 => %s\n' "$src" >>"$modfile"
  go_build core "$tmp/bin/crossplane" . -modfile "$modfile" \
    -ldflags "-s -w -X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=$CROSSPLANE_VERSION" || return 1
  rm -rf "$tmp/src" "$tmp/modfile"
}
step 1 "building crossplane core $CROSSPLANE_VERSION" build_core
step 2 "building crossplane-support (certificates, local OCI registry)" \
  go_build core "$tmp/bin/crossplane-support" ./support -ldflags "-s -w"
step 3 "building function-patch-and-transform $FUNCTION_PATCH_AND_TRANSFORM_VERSION" \
  go_build function-patch-and-transform "$tmp/bin/function-patch-and-transform" github.com/crossplane-contrib/function-patch-and-transform -ldflags "-s -w"

# The xpkg: the function's crossplane.yaml and its input CRD in one stream, as
# `crossplane xpkg build` assembles it.
collect() {
  cp -R "$core_dir/cluster/crds" "$tmp/crds" && chmod -R u+w "$tmp/crds" && mkdir -p "$(dirname "$tmp/$fn_package")" || return 1
  {
    cat "$fn_dir/package/crossplane.yaml"
    for crd in "$fn_dir"/package/input/*.yaml; do
      printf '\n---\n'
      cat "$crd"
    done
  } >"$tmp/$fn_package"
}
step 4 "collecting Crossplane's CRDs and the function's package" collect
complete "$tmp" || die "the build left an incomplete result in $tmp"

# Publish atomically. If a concurrent build won the race, keep its result.
if mv -T "$tmp" "$final" 2>/dev/null; then
  trap - EXIT
else
  complete "$final" || die "could not publish $final"
  log "another build published $final first; using it"
fi
log "done in $((SECONDS - started))s: $final"
echo "$final"
