#!/usr/bin/env bash
# The first calls after a start, as a C client (h2load, nghttp2) makes them: starts each sidecar build
# given STARTS times, alternating builds (A B A B ...), and each time, as soon as it says it listens,
# times one call on a new connection (what Envoy's first call after a restart meets), one more on a
# second new connection, and then 200 calls for the steady state. h2load reports each request's time
# (from sending its headers to the end of the response) apart from its connection's set-up.
#
# Usage (after `dotnet build -c Release src/Sidecar.Host`):
#   bench/h2load/first-call.sh [DLL ...]   # default: src/Sidecar.Host/bin/Release/net10.0/Sidecar.Host.dll
# e.g. beside a ReadyToRun publish:
#   dotnet publish src/Sidecar.Host -c Release -r linux-x64 --self-contained false -o /tmp/sidecar-r2r
#   bench/h2load/first-call.sh src/Sidecar.Host/bin/Release/net10.0/Sidecar.Host.dll /tmp/sidecar-r2r/Sidecar.Host.dll
# Settings, by environment: STARTS per build (6).
set -euo pipefail

starts=${STARTS:-6}
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
builds=("$@")
((${#builds[@]})) || builds=("$repo/src/Sidecar.Host/bin/Release/net10.0/Sidecar.Host.dll")
method=envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit

command -v h2load > /dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 2; }
for dll in "${builds[@]}"; do
    [[ -f $dll ]] || { echo "$dll not found" >&2; exit 2; }
done

work=$(mktemp -d)
pid=
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A free-model call: domain "openrouter", one descriptor {account: acct-h2load, model: x:free}; after
# its first 20 in a minute the calls are refused (429), which the steady state's mean includes.
printf '\x00\x00\x00\x00\x37\x0a\x0a\x6f\x70\x65\x6e\x72\x6f\x75\x74\x65\x72\x12\x29\x0a\x16\x0a\x07\x61\x63\x63\x6f\x75\x6e\x74\x12\x0b\x61\x63\x63\x74\x2d\x68\x32\x6c\x6f\x61\x64\x0a\x0f\x0a\x05\x6d\x6f\x64\x65\x6c\x12\x06\x78\x3a\x66\x72\x65\x65' > "$work/request.bin"


# call N: N calls on one new connection; prints the mean request time in ms and the failures.
call() {
    h2load -n "$1" -c 1 -m 1 -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/request.bin" \
        "http://127.0.0.1:$port/$method" | awk '
        /^requests:/ { failed = $10 + $12 }
        /^time for request:/ { mean = $5 }
        END { unit = mean; sub(/[0-9.]+/, "", unit); value = mean + 0
              if (unit == "us") value /= 1000; else if (unit == "s") value *= 1000
              printf "%.2f %d\n", value, failed }'
}

echo "h2load $(h2load --version | awk '{print $2}'); $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M') UTC; milliseconds"
echo
echo "| build | start | start to listening | first call | first call, second connection | mean of 200 | failed |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for start in $(seq "$starts"); do
    for dll in "${builds[@]}"; do
        port=$(free_port)
        log=$work/$start-$port.log
        : > "$log"
        started=$(date +%s%N)
        dotnet "$dll" "--Sidecar:RateLimit:Port=$port" "--Sidecar:Http:Port=0" "--Sidecar:Balance:Port=$(free_port)" "--Sidecar:Storage:Mode=memory" >> "$log" 2>&1 &
        pid=$!
        until grep -q "Rate-limit endpoint listening" "$log"; do
            kill -0 "$pid" 2> /dev/null || { cat "$log" >&2; exit 1; }
            sleep 0.001
        done
        listening=$((($(date +%s%N) - started) / 1000000))
        read -r first failed1 <<< "$(call 1)"
        read -r second failed2 <<< "$(call 1)"
        read -r steady failed3 <<< "$(call 200)"
        echo "| $(basename "$(dirname "$dll")") | $start | $listening | $first | $second | $steady | $((failed1 + failed2 + failed3)) |"
        kill "$pid"
        wait "$pid" 2> /dev/null || true
        pid=
    done
done
