#!/usr/bin/env bash
# Time to interactive of the web client's signed-out page, warm (index.html revalidated, assets from the browser
# cache), in Debian's headless Chromium: from navigation start to the mark the client sets once its sign-in form
# handlers are attached. Also first contentful paint. Prints p50/p95/max over N loads.
#
#   bench/web/run.sh                       starts TaskFlow.Web alone (Release) on a free port, measures, stops it
#   bench/web/run.sh --url http://localhost:8080/   measures a running system through the gateway (./run.sh)
#   bench/web/run.sh --loads 50
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
url=""
loads=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --loads) loads="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
TASKFLOW_INFRASTRUCTURE=local "$root/scripts/install-prerequisites.sh" --tests >/dev/null

# Playwright's driver (node + playwright-core) ships inside the Microsoft.Playwright NuGet package the tests use.
dotnet restore "$root/TaskFlow.Tests/TaskFlow.Tests.csproj" -v q >/dev/null
packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
version="$(grep -o 'Include="Microsoft.Playwright" Version="[^"]*"' "$root/Directory.Packages.props" | grep -o '[0-9][0-9.]*')"
driver="$packages/microsoft.playwright/$version/.playwright"

if [ -z "$url" ]; then
  dotnet build "$root/TaskFlow.Web/TaskFlow.Web.csproj" -c Release -v q -nologo >/dev/null
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  url="http://127.0.0.1:$port/"
  (cd "$root/TaskFlow.Web" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" \
    exec dotnet "bin/Release/net10.0/TaskFlow.Web.dll") > /tmp/taskflow-web-bench.log 2>&1 &
  host=$!
  trap 'kill $host 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -fs "${url}health" >/dev/null 2>&1 && break; sleep 0.2; done
fi

"$driver/node/linux-x64/node" "$here/measure.mjs" "$driver/package/index.mjs" "$url" "$loads"
