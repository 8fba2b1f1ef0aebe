#!/usr/bin/env bash
# Regenerates the Kubernetes manifests: the AppHost writes its Aspire manifest (deploy/aspire-manifest.json), and
# tools/TaskFlow.Manifests converts and validates it into deploy/k8s (application) and deploy/k8s/monitoring.
#
#   deploy/generate-k8s.sh                      rewrite deploy/aspire-manifest.json and deploy/k8s
#   deploy/generate-k8s.sh --check              change nothing; fail if either is out of date
#   deploy/generate-k8s.sh --output DIR --image-prefix ghcr.io/acme/taskflow --version 1.2.3
#                                               write elsewhere with other images (release builds); the committed
#                                               tree uses imageTag of deploy/k8s.settings.json (never 'latest')
#
# Where aspirate is installed, `aspirate generate` on TaskFlow.AppHost is an alternative for the application part.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
converter_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) check=true; converter_args+=(--check); shift ;;
    --output|--image-prefix|--image-tag|--version) converter_args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
manifest="$PWD/deploy/aspire-manifest.json"
if $check; then
  manifest="$work/aspire-manifest.json"
fi

# Publish mode describes containers whatever the local infrastructure mode. Run from the project folder so the
# AppHost reads its appsettings.json; no launch profile, so no Development user secrets leak into the manifest.
echo "Writing the Aspire manifest ($manifest)..."
(cd TaskFlow.AppHost && dotnet run --no-launch-profile -- --publisher manifest --output-path "$manifest") \
  > "$work/apphost.log" 2>&1 || { cat "$work/apphost.log" >&2; exit 1; }

if $check; then
  # The project paths inside are relative to the output folder; everything else must match.
  if ! diff <(grep -v '"path":' deploy/aspire-manifest.json) <(grep -v '"path":' "$manifest") > /dev/null; then
    echo "error: deploy/aspire-manifest.json is out of date; run deploy/generate-k8s.sh and commit deploy/." >&2
    diff <(grep -v '"path":' deploy/aspire-manifest.json) <(grep -v '"path":' "$manifest") >&2 || true
    exit 1
  fi
fi

dotnet run --project tools/TaskFlow.Manifests -- generate --deploy deploy --manifest "$manifest" "${converter_args[@]}"
