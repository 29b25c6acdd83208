#!/usr/bin/env bash
# Throughput of the sidecar beside the no-op gRPC server (bench/Sidecar.NoopServer), with h2load
# (Debian's nghttp2-client) as the load generator. h2load spends a few microseconds of CPU per call,
# where the .NET load tool (bench/Sidecar.LoadTest) spends about as much as the server, so here the
# server's core is the bottleneck and the ratio measures what the sidecar's work costs.
#
# h2load sends one body over and over, so each scenario is one fixed request, for an account the
# sidecar was never told about; its balance comes from the Sidecar:OpenRouter:UnknownAccount* settings:
#   pass           $1,000,000 and a 1,000,000/s cap: every call passes
#   refuse-rate    $1: one paid call per second passes, the others are refused with 429
#   refuse-credit  a negative balance: every call is refused with 402
# Both servers run at once, pinned to the same CPU, and are measured in alternating rounds
# (A B, B A, A B, ...), so both see the same drift of a shared machine; the median of the per-round
# ratios is the result.
#
# Usage (after `dotnet build -c Release bench/Sidecar.LoadTest`, which builds both servers):
#   bench/h2load/compare.sh
# Settings, by environment: SCENARIOS ("pass refuse-rate refuse-credit"), ROUNDS (6), DURATION
# seconds measured per round (3), WARMUP seconds per round (1), CONNECTIONS (4), STREAMS per
# connection (16), SERVER_CPUS (0), CLIENT_CPUS (1).
set -euo pipefail

scenarios=${SCENARIOS:-pass refuse-rate refuse-credit}
rounds=${ROUNDS:-6}
duration=${DURATION:-3}
warmup=${WARMUP:-1}
connections=${CONNECTIONS:-4}
streams=${STREAMS:-16}
server_cpus=${SERVER_CPUS:-0}
client_cpus=${CLIENT_CPUS:-1}

repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
sidecar_dll=$repo/src/Sidecar.Host/bin/Release/net10.0/Sidecar.Host.dll
noop_dll=$repo/bench/Sidecar.NoopServer/bin/Release/net10.0/Sidecar.NoopServer.dll
method=envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit
ticks_per_second=$(getconf CLK_TCK)

command -v h2load > /dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 2; }
for dll in "$sidecar_dll" "$noop_dll"; do
    [[ -f $dll ]] || { echo "$dll not found: dotnet build -c Release bench/Sidecar.LoadTest" >&2; exit 2; }
done

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# One gRPC message (5-byte prefix, then RateLimitRequest): domain "openrouter", one descriptor
# {account: acct-h2load, model: openai/gpt-4o}.
printf '\x00\x00\x00\x00\x3e\x0a\x0a\x6f\x70\x65\x6e\x72\x6f\x75\x74\x65\x72\x12\x30\x0a\x16\x0a\x07\x61\x63\x63\x6f\x75\x6e\x74\x12\x0b\x61\x63\x63\x74\x2d\x68\x32\x6c\x6f\x61\x64\x0a\x16\x0a\x05\x6d\x6f\x64\x65\x6c\x12\x0d\x6f\x70\x65\x6e\x61\x69\x2f\x67\x70\x74\x2d\x34\x6f' > "$work/request.bin"


# start NAME PORT ARGS...: starts a server pinned to the server CPUs, sets started_pid, and waits
# until it accepts connections.
start() {
    local name=$1 port=$2
    shift 2
    taskset -c "$server_cpus" dotnet "$@" > "$work/$name.log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
    for _ in $(seq 100); do
        (echo > "/dev/tcp/127.0.0.1/$port") 2> /dev/null && return
        sleep 0.1
    done
    echo "$name did not start:" >&2
    cat "$work/$name.log" >&2
    exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure PID PORT: one round; prints "requests/s server-CPUs failed".
measure() {
    local pid=$1 port=$2 before after output
    before=$(cpu_ticks "$pid")
    output=$(taskset -c "$client_cpus" h2load -D "$duration" --warm-up-time="$warmup" -c "$connections" -m "$streams" \
        -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/request.bin" "http://127.0.0.1:$port/$method")
    after=$(cpu_ticks "$pid")
    awk -v ticks=$((after - before)) -v hz="$ticks_per_second" -v seconds=$((duration + warmup)) '
        /^finished in/ { rate = $4 }
        /^requests:/ { failed = $10 + $12 }
        END { printf "%s %.2f %d\n", rate, ticks / hz / seconds, failed }' <<< "$output"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

noop_port=$(free_port)
start noop "$noop_port" "$noop_dll" --port "$noop_port"
noop_pid=$started_pid

echo "h2load $(h2load --version | awk '{print $2}'), $connections connections x $streams streams, rounds of ${warmup} s warm-up + ${duration} s measured;"
echo "servers on CPU $server_cpus (taskset), h2load on CPU $client_cpus; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M') UTC"
echo
echo "| scenario | round | sidecar req/s | no-op req/s | ratio | sidecar CPU | no-op CPU | failed (sidecar / no-op) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
summary=()
for scenario in $scenarios; do
    case $scenario in
        pass) balance=1000000000000 cap=1000000 ;;
        refuse-rate) balance=1000000 cap=500 ;;
        refuse-credit) balance=-1 cap=500 ;;
        *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
    sidecar_port=$(free_port)
    start "sidecar-$scenario" "$sidecar_port" "$sidecar_dll" \
        "--Sidecar:RateLimit:Port=$sidecar_port" "--Sidecar:Http:Port=0" "--Sidecar:Balance:Port=$(free_port)" "--Sidecar:Storage:Mode=memory" \
        "--Sidecar:OpenRouter:UnknownAccountBalanceMicros=$balance" "--Sidecar:OpenRouter:PaidMaxRequestsPerSecond=$cap"
    sidecar_pid=$started_pid
    : > "$work/ratios"
    for round in $(seq "$rounds"); do
        if ((round % 2)); then
            read -r s_rate s_cpu s_failed <<< "$(measure "$sidecar_pid" "$sidecar_port")"
            read -r n_rate n_cpu n_failed <<< "$(measure "$noop_pid" "$noop_port")"
        else
            read -r n_rate n_cpu n_failed <<< "$(measure "$noop_pid" "$noop_port")"
            read -r s_rate s_cpu s_failed <<< "$(measure "$sidecar_pid" "$sidecar_port")"
        fi
        ratio=$(awk -v s="$s_rate" -v n="$n_rate" 'BEGIN { printf "%.2f", s / n }')
        echo "$ratio" >> "$work/ratios"
        echo "| $scenario | $round | $s_rate | $n_rate | $ratio | $s_cpu | $n_cpu | $s_failed / $n_failed |"
    done
    kill "$sidecar_pid"
    wait "$sidecar_pid" 2> /dev/null || true
    summary+=("| $scenario | $rounds | $(median < "$work/ratios") | $(sort -g "$work/ratios" | head -1)–$(sort -g "$work/ratios" | tail -1) |")
done

echo
echo "| scenario | rounds | sidecar / no-op throughput, median | min–max |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${summary[@]}"
