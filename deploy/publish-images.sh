#!/usr/bin/env bash
# Builds the service images with the .NET SDK's container support: no Dockerfiles, one
# `dotnet publish -t:PublishContainer` per project resource of deploy/aspire-manifest.json (so a new service is
# published without touching this script). deploy/containers.props (imported by every service project) sets the
# base image mcr.microsoft.com/dotnet/aspnet:10.0, the non-root user 1654, the ports and OCI labels; the image is
# <prefix>/<service>:<version>, as deploy/k8s names it.
#
#   deploy/publish-images.sh                                  taskflow/<service>:<git version> into the local engine
#   deploy/publish-images.sh --version 1.4.0                  an explicit version
#   deploy/publish-images.sh --registry ghcr.io --prefix acme/taskflow --version 1.4.0
#                                                             push to a registry (log in first: docker login ghcr.io)
#   deploy/publish-images.sh --archive out/images             write .tar.gz images, no container engine needed
#
# The git version is the nearest v* tag without its "v" (1.4.0), or 0.0.0-<commits>.g<sha> after it or without
# one, with ".dirty" for uncommitted changes. Never "latest": a rollout must be pinned and reversible.
set -euo pipefail
cd "$(dirname "$0")/.."

registry=""
prefix="taskflow"
archive=""
version=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --registry) registry="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --archive) archive="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

if [[ -z "$version" ]]; then
  version="$(deploy/image-version.sh)"
fi
if [[ "$version" == latest || ! "$version" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ ]]; then
  echo "error: '$version' is not a usable image version (letters, digits, '.', '_', '-'; never 'latest')." >&2
  exit 2
fi

mapfile -t projects < <(sed -n 's|.*"path": "\.\./\(.*\.csproj\)".*|\1|p' deploy/aspire-manifest.json)
[[ ${#projects[@]} -gt 0 ]] || { echo "error: no project resource in deploy/aspire-manifest.json" >&2; exit 1; }
for project in "${projects[@]}"; do
  service="$(basename "$project" .csproj)"
  service="${service#TaskFlow.}"
  service="${service,,}"
  args=(
    "$project"
    -c Release
    --os linux --arch x64
    -t:PublishContainer
    -p:Version="$version"
    -p:SourceRevisionId="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
    -p:ContainerRepository="$prefix/$service"
  )
  [[ -z "$registry" ]] || args+=(-p:ContainerRegistry="$registry")
  [[ -z "$archive" ]] || args+=(-p:ContainerArchiveOutputPath="$(realpath -m "$archive")/$service.tar.gz")
  echo "==> ${registry:+$registry/}$prefix/$service:$version"
  dotnet publish "${args[@]}" -nologo
done
