#!/usr/bin/env bash
# Cold start: time from process start to the first successful chat completion (built-in mock model, embedded store),
# and the process's peak resident memory (VmHWM) after it, for
#   jit  the framework-dependent build (dotnet Gateway.Api.dll), as the dotnet10 managed runtime would run it
#   aot  the Native AOT package that `sam build` makes (artifacts/lambda/bootstrap), as provided.al2023 runs it
# Each is started RUNS times (default 7) on a fresh data directory; the median and the range are printed.
# Usage: bench/cold-start.sh [RUNS]     (builds both first; results also go to bench/results/cold-start.txt)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-7}
port=18181
mkdir -p bench/results

dotnet publish src/Gateway.Api -c Release -o artifacts/jit -nologo -p:PublishAot=false >/dev/null
[ -x artifacts/lambda/bootstrap ] || make --no-print-directory lambda-artifact ARCH="$(uname -m | sed 's/aarch64/arm64/')" >/dev/null

body='{"model":"mock-gpt","messages":[{"role":"user","content":"Hello there"}]}'

measure() { # $@ = command; prints "<ms> <peak kB>"
  local data; data=$(mktemp -d)
  local start; start=$(date +%s%N)
  ASPNETCORE_URLS="http://127.0.0.1:$port" GATEWAY_DATA_DIR="$data" "$@" >/dev/null 2>&1 &
  local pid=$!
  until curl -fsS -o /dev/null -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$port/v1/chat/completions" 2>/dev/null; do
    sleep 0.005
  done
  local end; end=$(date +%s%N)
  local peak; peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "$(( (end - start) / 1000000 )) $peak"
}

report() { # $1 label, rest = command
  local label=$1; shift
  local times=() peaks=()
  for _ in $(seq 1 "$runs"); do
    read -r ms kb < <(measure "$@")
    times+=("$ms"); peaks+=("$kb")
  done
  local sorted_t; sorted_t=$(printf '%s\n' "${times[@]}" | sort -n)
  local sorted_p; sorted_p=$(printf '%s\n' "${peaks[@]}" | sort -n)
  local mid=$(( (runs + 1) / 2 ))
  printf '%-4s first completion: median %s ms (min %s, max %s); peak RSS: median %s MB (max %s MB)  [%s runs]\n' "$label" \
    "$(sed -n "${mid}p" <<<"$sorted_t")" "$(head -1 <<<"$sorted_t")" "$(tail -1 <<<"$sorted_t")" \
    "$(( $(sed -n "${mid}p" <<<"$sorted_p") / 1024 ))" "$(( $(tail -1 <<<"$sorted_p") / 1024 ))" "$runs"
}

{
  echo "cold start on $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
  report jit dotnet artifacts/jit/Gateway.Api.dll
  report aot artifacts/lambda/bootstrap
} | tee bench/results/cold-start.txt
