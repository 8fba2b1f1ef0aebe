#!/usr/bin/env bash
# Waits until TaskFlow really serves a user through the gateway — register, login, create-task, the notifications inbox
# and the webhooks list all succeed — then prints "ready". A started process or a 200 from /health is not enough: a route answers 503 until its service is ready.
# Usage: scripts/wait-until-ready.sh [gateway-url] [timeout-seconds]   (defaults: http://localhost:8080, 300)
set -uo pipefail
base="${1:-http://localhost:8080}"
timeout="${2:-300}"
deadline=$((SECONDS + timeout))
email="ready-check-$(date +%s)-$RANDOM@example.test"
password="ready-check-$RANDOM-$RANDOM-password"
step="register"
token=""
post() { # path, body, [token] -> prints "status body"
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "authorization: Bearer $3")
  curl -s -m 10 -o /tmp/taskflow-ready.$$ -w '%{http_code}' -X POST "$base$1" -H 'content-type: application/json' "${auth[@]}" -d "$2" 2>/dev/null
}
get() { # path, token -> prints status
  curl -s -m 10 -o /tmp/taskflow-ready.$$ -w '%{http_code}' "$base$1" -H "authorization: Bearer $2" 2>/dev/null
}
trap 'rm -f /tmp/taskflow-ready.$$' EXIT
while [ "$SECONDS" -lt "$deadline" ]; do
  case "$step" in
    register)
      code="$(post /users/register "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Ready check\"}")"
      # 409: an earlier attempt registered the account and only its answer was lost.
      if [ "$code" = 201 ] || [ "$code" = 409 ]; then step="login"; continue; fi ;;
    login)
      code="$(post /users/login "{\"email\":\"$email\",\"password\":\"$password\"}")"
      if [ "$code" = 200 ]; then
        token="$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' /tmp/taskflow-ready.$$)"
        [ -n "$token" ] && { step="task"; continue; }
      fi ;;
    task)
      code="$(post /tasks '{"title":"Ready check"}' "$token")"
      if [ "$code" = 201 ]; then step="notifications"; continue; fi
      if [ "$code" = 401 ]; then step="login"; fi ;;
    notifications|webhooks)
      code="$(get "/$step" "$token")"
      if [ "$code" = 200 ] && [ "$step" = notifications ]; then step="webhooks"; continue; fi
      if [ "$code" = 200 ]; then
        echo "ready: $base (register, login, create-task, notifications and webhooks answered through the gateway)"; exit 0
      fi
      if [ "$code" = 401 ]; then step="login"; fi ;;
  esac
  sleep 2
done
echo "not ready after ${timeout}s: $step last answered ${code:-nothing}" >&2
exit 1
