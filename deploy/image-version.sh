#!/usr/bin/env bash
# Prints the version the images are tagged with: the nearest v* tag without its "v" when HEAD is that tag
# (1.4.0), otherwise <tag or 0.0.0>-<commits since>.g<short sha>, plus ".dirty" with uncommitted changes.
set -euo pipefail
cd "$(dirname "$0")/.."
sha="$(git rev-parse --short=12 HEAD)"
if tag="$(git describe --tags --match 'v[0-9]*' --abbrev=0 2>/dev/null)"; then
  base="${tag#v}"
  count="$(git rev-list --count "$tag..HEAD")"
else
  base="0.0.0"
  count="$(git rev-list --count HEAD)"
fi
version="$base"
[[ "$count" == 0 ]] || version="$base-$count.g$sha"
git diff --quiet HEAD -- 2>/dev/null || version="$version.dirty"
echo "$version"
