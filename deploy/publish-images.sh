#!/usr/bin/env bash
# Builds the five service images with the .NET SDK's container support: no Dockerfiles, one
# `dotnet publish -t:PublishContainer` per service (base image mcr.microsoft.com/dotnet/aspnet:10.0, non-root user
# 1654, port 8080). Image names match deploy/k8s: <prefix>/<service>:<tag>.
#
#   deploy/publish-images.sh                               taskflow/<service>:latest into the local Docker/Podman
#   deploy/publish-images.sh --tag 1.4.0 --tag latest      several tags
#   deploy/publish-images.sh --registry ghcr.io --prefix acme/taskflow --tag 1.4.0
#                                                          push to a registry (log in first: docker login ghcr.io)
#   deploy/publish-images.sh --archive out/images          write .tar.gz images, no container engine needed
#
# The properties passed here are the ones deploy/containers.props sets; a service project that imports that file
# needs none of them on the command line.
set -euo pipefail
cd "$(dirname "$0")/.."

registry=""
prefix="taskflow"
archive=""
tags=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --registry) registry="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --tag) tags+=("$2"); shift 2 ;;
    --archive) archive="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ ${#tags[@]} -gt 0 ]] || tags=(latest)
tag_list="$(IFS=';'; echo "${tags[*]}")"

declare -A projects=([users]=TaskFlow.Users [tasks]=TaskFlow.Tasks [notifier]=TaskFlow.Notifier [gateway]=TaskFlow.Gateway [web]=TaskFlow.Web)
for service in users tasks notifier gateway web; do
  args=(
    "${projects[$service]}"
    -c Release
    --os linux --arch x64
    -t:PublishContainer
    -p:ContainerRepository="$prefix/$service"
    # A list of tags is one MSBuild property: quoted so the ';' separates tags, not properties.
    -p:ContainerImageTags="\"$tag_list\""
  )
  [[ -z "$registry" ]] || args+=(-p:ContainerRegistry="$registry")
  [[ -z "$archive" ]] || args+=(-p:ContainerArchiveOutputPath="$(realpath -m "$archive")/$service.tar.gz")
  echo "==> ${registry:+$registry/}$prefix/$service:{$tag_list}"
  dotnet publish "${args[@]}" -nologo
done
