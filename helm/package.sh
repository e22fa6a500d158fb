#!/usr/bin/env bash
# Packages the chart for a release: version and appVersion from the release, image.digest
# pinned to the image pushed for it, then checks what the package would run. The release
# workflow runs it; the chart's e2e test runs it too, with the test bed's Helm.
#
#   bash helm/package.sh <version> <sha256:digest> <out-dir>     → <out-dir>/s3-provider-<version>.tgz
#
# Env: HELM (default: helm on PATH). Helm itself refuses a version that is not semver.
set -euo pipefail

version="${1:?usage: package.sh <version> <sha256:digest> <out-dir>}"
digest="${2:?usage: package.sh <version> <sha256:digest> <out-dir>}"
out="${3:?usage: package.sh <version> <sha256:digest> <out-dir>}"
helm="${HELM:-helm}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "package.sh: $*" >&2; exit 1; }
[[ "$digest" =~ ^sha256:[a-f0-9]{64}$ ]] || die "digest '$digest' is not sha256:<64 hex>"

# Pin the digest in a copy: the working tree keeps image.digest empty.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R "$here/s3-provider" "$work/s3-provider"
sed -i -E "s|^(  digest: )\"\"|\1\"$digest\"|" "$work/s3-provider/values.yaml"
grep -q "^  digest: \"$digest\"" "$work/s3-provider/values.yaml" || die "could not pin image.digest in values.yaml"

"$helm" lint --strict "$work/s3-provider" >/dev/null
mkdir -p "$out"
"$helm" package "$work/s3-provider" --version "$version" --app-version "$version" --destination "$out" >/dev/null
package="$out/s3-provider-$version.tgz"

# The package must run exactly the pushed image.
repository="$(sed -n -E 's/^  repository: ([^ ]+).*/\1/p' "$work/s3-provider/values.yaml")"
image="$("$helm" template s3 "$package" | sed -n -E 's/^ *image: "(.*)"$/\1/p')"
[[ "$image" == "$repository@$digest" ]] || die "the chart would run '$image', not $repository@$digest"
echo "$package"
