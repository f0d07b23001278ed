#!/usr/bin/env bash
# Throughput and tail latency under load: starts the release server on DB
# (port 0, loopback only), then drives each route of the issue-7 list with
# wrk at CONNECTIONS concurrent connections (default 16) for SECONDS each
# (default 10) and prints p50, p99 and requests/s per route, then the
# server's resident memory.
#
#   apt-get update && apt-get install -y wrk
#   cargo run --release --example bench_synth_db -- --db /tmp/synth.db   # 1,000,000 engagements
#   scripts/bench_load.sh /tmp/synth.db [SECONDS] [CONNECTIONS]
#
# The filter values (a frequent country, the most frequent counterpart and
# official, an official whose engagements are all old, an engagement id, a
# deep cursor) are read from the database through the JSON API, so the
# script works on any database. Run it alone on the machine: wrk and the
# server share its cores.
set -euo pipefail
cd "$(dirname "$0")/.."

db=${1:?usage: scripts/bench_load.sh DB [SECONDS] [CONNECTIONS]}
seconds=${2:-10}
connections=${3:-16}
[[ -f $db ]] || { echo "no database at $db" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
bin=${READOUT_BIN:-target/release/readout}
if [[ -z ${READOUT_BIN:-} ]]; then cargo build --release --quiet --bin readout; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/readout-load-bench.XXXXXX")
server=""
cleanup() {
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill "$server"
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

started=$(date +%s%N)
RUST_LOG=warn,readout::web=info "$bin" serve --db "$db" --addr 127.0.0.1:0 >"$tmp/server.log" 2>&1 &
server=$!
base=""
for _ in $(seq 1 6000); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/server.log" | head -1 || true)
  [[ -n $base ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.01
done
[[ -n $base ]] || { echo "the server logged no URL" >&2; cat "$tmp/server.log" >&2; exit 1; }
startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))

json() { curl -sf "$base$1"; }
pick() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

all=$(json '/api/engagements?limit=1&facets=true')
total=$(pick 'd["facets"]["total"]' <<<"$all")
country=$(pick 'd["facets"]["countries"][0]["value"]' <<<"$all")
counterpart=$(pick 'd["facets"]["counterparts"][0]["value"]' <<<"$all")
official=$(pick 'd["facets"]["officials"][0]["value"]' <<<"$all")
id=$(pick 'd["engagements"][0]["id"]' <<<"$all")
# An official whose engagements are all old: the top one of the oldest year.
first=$(json '/api/engagements?limit=1&facets=true&to=2002-12-31')
old=$(pick '(d["facets"]["officials"] or [{"value": "'"$official"'"}])[0]["value"]' <<<"$first")
# A cursor deep in the list: after the last row of 2004-06-30 (the
# offset only numbers the rows on the page).
deep=$(printf '2004-06-30|500000|~' | base64 | tr '+/' '-_' | tr -d '=\n')

echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load:     $(uptime | sed 's/.*load average/load average/')"
echo "database: $db ($(du -m "$db" | cut -f1) MB, $total engagements)"
echo "server:   $bin at $base, up in ${startup_ms} ms (start to URL logged)"
echo "wrk:      $connections connections, 2 threads, ${seconds} s per route"
echo
printf '%-70s %9s %9s %9s %7s\n' "route" "p50 ms" "p99 ms" "req/s" "errors"

# wrk prints latencies as 1.23ms / 456.78us / 1.20s; make them milliseconds.
ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.1f", v }' <<<"$1"; }

load() {
  local path=$1
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s --latency "$base$path" 2>&1)
  local p50 p99 rps errors
  p50=$(ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ { n += 1 } END { print (n ? "yes" : "-") }' <<<"$out")
  if [[ $errors == yes || -z $rps ]]; then
    failures=$((failures + 1))
    sed 's/^/    /' <<<"$out" >&2
  fi
  local label=$path
  ((${#label} > 70)) && label="${label:0:67}..."
  printf '%-70s %9s %9s %9s %7s\n' "$label" "$p50" "$p99" "$rps" "$errors"
}

failures=0
load "/"
load "/?country=$(enc "$country")"
load "/?counterpart=$(enc "$counterpart")"
load "/?official=$(enc "$official")"
load "/?official=$(enc "$old")"
load "/?from=2019-01-01&to=2019-03-31"
load "/?q=semiconductor"
load "/?q=$(enc "semiconductor export")"
load "/?kind=call&status=held"
load "/?kind=call&country=$(enc "$country")"
load "/?kind=meeting&country=$(enc "$country")&official=$(enc "$official")"
load "/?cursor=$deep"
load "/actors/$(enc "$official")"
load "/engagements/$(enc "$id")"
echo
echo "server resident memory: $(( $(awk '/VmRSS/ { print $2 }' "/proc/$server/status") / 1024 )) MB"
((failures == 0)) || { echo "$failures routes answered with errors" >&2; exit 1; }
