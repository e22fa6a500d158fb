#!/usr/bin/env bash
# Builds the e2e toolchain (kube = etcd + kube-apiserver + kube-controller-manager +
# kube-scheduler + kubelet + kubectl + the node's CNI plugins; pause, the node's sandbox
# process, from the same Kubernetes module; helm; minio) from the Go module proxy into a
# content-addressed cache outside the work tree, then prints the bin dir as the LAST line
# on stdout.
#
#   bash e2e/toolchain/build.sh [OUT_BIN_DIR]
#
# OUT_BIN_DIR (optional): also symlink the binaries there; it is then the dir printed.
# Progress goes to stderr, so stdout carries only the bin dir.
# Env: CLOUD37_CACHE (default ~/.cache/cloud37-s3-provider), CI (no effect beyond
# the script never prompting; logged for context).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp_dir="$here/controlplane"
# shellcheck source=versions.env
source "$here/versions.env"

log() { echo "[toolchain] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go not found on PATH"
# Never let `go` fetch a different toolchain binary; use the Go on PATH.
export GOTOOLCHAIN=local
export GOFLAGS=-buildvcs=false
export CGO_ENABLED=0

# --- consistency: versions.env must agree with controlplane/go.mod -----------
k8s_minor_patch="${KUBERNETES_VERSION#v1.}"    # 36.3
staging_version="v0.${k8s_minor_patch}"         # v0.36.3
mod_version() { awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$cp_dir/go.mod"; }
[[ "$(mod_version k8s.io/kubernetes)" == "$KUBERNETES_VERSION" ]] ||
  die "controlplane/go.mod requires k8s.io/kubernetes $(mod_version k8s.io/kubernetes), versions.env says $KUBERNETES_VERSION"
[[ "$(mod_version go.etcd.io/etcd/server/v3)" == "$ETCD_VERSION" ]] ||
  die "controlplane/go.mod requires etcd server $(mod_version go.etcd.io/etcd/server/v3), versions.env says $ETCD_VERSION"
if bad="$(awk -v v="$staging_version" '$2 == "=>" && $1 ~ /^k8s\.io\// && $4 != v' "$cp_dir/go.mod")" && [[ -n "$bad" ]]; then
  die "staging replaces not at $staging_version: $bad"
fi

# --- cache key ------------------------------------------------------------------
# Hash of everything that determines the output: versions, controlplane sources,
# this script, and the Go toolchain version.
key="$(
  cd "$here"
  {
    go env GOVERSION GOOS GOARCH
    for f in versions.env build.sh controlplane/go.mod controlplane/go.sum controlplane/*.go; do
      printf '%s\n' "$f"
      cat "$f"
    done
  } | sha256sum | cut -c1-12
)"
cache_root="${CLOUD37_CACHE:-$HOME/.cache/cloud37-s3-provider}/tools"
final="$cache_root/$key"
bin="$final/bin"

link_out() {
  local out="${1:-}"
  if [[ -z "$out" ]]; then
    echo "$bin"
    return
  fi
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
  for b in kube kubectl helm minio pause; do ln -sfn "$bin/$b" "$out/$b"; done
  echo "$out"
}

if [[ -x "$bin/kube" && -x "$bin/helm" && -x "$bin/minio" && -x "$bin/pause" && -L "$bin/kubectl" ]]; then
  link_out "${1:-}"
  exit 0
fi

log "cache miss: building into $final${CI:+ (CI)}"
mkdir -p "$cache_root"
# Build into a private temp dir and rename at the end: an interrupted build
# never leaves a half-populated cache entry.
tmp="$(mktemp -d "$cache_root/.tmp-$key-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/bin"

# A first build takes minutes per step: say every 30 s that it is still going, and how long.
heartbeat() { # name
  local name="$1" start=$SECONDS
  while sleep 30; do log "still building $name… $(((SECONDS - start) / 60))m$(((SECONDS - start) % 60))s"; done
}

build_step() { # name, then command
  local name="$1" start=$SECONDS beat
  shift
  heartbeat "$name" &
  beat=$!
  "$@" || { kill "$beat" 2>/dev/null; die "building $name failed"; }
  kill "$beat" 2>/dev/null
  wait "$beat" 2>/dev/null || true
  log "$name built in $((SECONDS - start))s ($(du -h "$tmp/bin/$name" | cut -f1))"
}

# kube: version ldflags as in kubernetes' hack/lib/version.sh, so /version and
# `kubectl version` report the real release.
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
k8s_major="${KUBERNETES_VERSION#v}"; k8s_major="${k8s_major%%.*}"
k8s_minor="${k8s_minor_patch%%.*}"
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=$k8s_major -X $pkg.gitMinor=$k8s_minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done
log "building kube (etcd, kube-apiserver, controller-manager, scheduler, kubelet, kubectl) $KUBERNETES_VERSION — first build takes several minutes…"
build_step kube bash -c 'cd "$1" && go build -p 2 -trimpath -ldflags "$2" -o "$3" .' _ \
  "$cp_dir" "$kube_ldflags" "$tmp/bin/kube"
ln -s kube "$tmp/bin/kubectl"

# pause: the node's pod sandbox process, from the Kubernetes module's own source and flags
# (build/pause/Makefile), so no pause image is pulled from a registry.
k8s_dir="$(cd "$cp_dir" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)"
pause_tag="$(awk -F'[ ?=]+' '$1 == "TAG" { print $2; exit }' "$k8s_dir/build/pause/Makefile")"
log "building pause $pause_tag (gcc, static)…"
command -v gcc >/dev/null || die "gcc not found on PATH (it builds the node's pause binary)"
build_step pause gcc -Os -Wall -Werror -static "-DVERSION=v$pause_tag-cloud37" -o "$tmp/bin/pause" "$k8s_dir/build/pause/linux/pause.c"
strip "$tmp/bin/pause"
echo "$pause_tag" > "$tmp/bin/pause.version"

log "building helm $HELM_VERSION…"
build_step helm env GOBIN="$tmp/bin" go install -p 2 -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
  "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"

# minio: derive its version stamps from the pseudo-version (commit time + short
# hash), mirroring buildscripts/gen-ldflags.go; "kqueue" tag as in its Makefile.
ts="$(cut -d- -f2 <<<"$MINIO_VERSION")"   # 20260212201848
commit="$(cut -d- -f3 <<<"$MINIO_VERSION")" # 7aac2a2c5b7c
minio_time="${ts:0:4}-${ts:4:2}-${ts:6:2}T${ts:8:2}:${ts:10:2}:${ts:12:2}Z"
minio_ldflags="-s -w -X github.com/minio/minio/cmd.Version=$minio_time"
minio_ldflags+=" -X github.com/minio/minio/cmd.ReleaseTag=DEVELOPMENT.${minio_time//:/-}"
minio_ldflags+=" -X github.com/minio/minio/cmd.CommitID=$commit -X github.com/minio/minio/cmd.ShortCommitID=$commit"
minio_ldflags+=" -X github.com/minio/minio/cmd.CopyrightYear=${ts:0:4}"
log "building minio $MINIO_VERSION…"
build_step minio env GOBIN="$tmp/bin" go install -p 2 -trimpath -tags kqueue \
  -ldflags "$minio_ldflags" "github.com/minio/minio@$MINIO_VERSION"

# Publish atomically. If a concurrent build won the race, keep its result.
if mv -T "$tmp" "$final" 2>/dev/null; then
  trap - EXIT
else
  [[ -x "$bin/kube" ]] || die "could not publish $final"
  log "another build published $final first; using it"
fi
log "done: $bin"
link_out "${1:-}"
