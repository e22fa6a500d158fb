#!/usr/bin/env bash
# Lints .github/workflows with the pinned actionlint (built by build.sh): syntax, expressions,
# job needs and outputs, runner labels, action references, permissions.
#
# shellcheck and pyflakes are turned off on purpose: actionlint runs them on `run:` scripts only
# when they are on PATH, so the same workflows would pass here (no shellcheck) and fail on a CI
# runner (which has it), or the other way round. A lint must give the same verdict everywhere;
# the `run:` scripts stay a few lines each, and scripts of their own are linted as files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
actionlint="$(bash "$here/build.sh" | tail -n 1)"
cd "$here/../.."
echo "[actionlint] $("$actionlint" -version | head -n 1) on .github/workflows"
"$actionlint" -shellcheck= -pyflakes=
echo "[actionlint] $(find .github/workflows -name '*.y*ml' | wc -l) workflow(s) clean"
