#!/usr/bin/env bash
# Read latency of a running Readout at scale: starts the release server on
# DB (port 0, on loopback), then times REQUESTS sequential requests to each
# of a set of pages and API calls with curl, after one warm-up request
# each, and prints p50 / p95 / max in milliseconds.
#
#   cargo run --release --example bench_synth_db -- --db /tmp/synth.db   # 1,000,000 engagements
#   scripts/bench_read.sh /tmp/synth.db [REQUESTS]                        # default 50
#
# A URL stops early once it has taken MAX_SECONDS (default 60) in all; the
# `n` column says how many requests were timed.
#
# The filter values (a mid-ranked country, the most and a rarely engaged
# counterpart, a deep cursor, an engagement id) are read from the database
# through the JSON API, so the script works on any database.
set -euo pipefail
cd "$(dirname "$0")/.."

db=${1:?usage: scripts/bench_read.sh DB [REQUESTS]}
requests=${2:-50}
max_seconds=${MAX_SECONDS:-60}
[[ -f $db ]] || { echo "no database at $db" >&2; exit 2; }
bin=${READOUT_BIN:-target/release/readout}
if [[ -z ${READOUT_BIN:-} ]]; then cargo build --release --quiet --bin readout; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/readout-read-bench.XXXXXX")
server=""
cleanup() {
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill "$server"
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

RUST_LOG=warn,readout::web=info "$bin" serve --db "$db" --addr 127.0.0.1:0 >"$tmp/server.log" 2>&1 &
server=$!
base=""
for _ in $(seq 1 600); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/server.log" | head -1 || true)
  [[ -n $base ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $base ]] || { echo "the server logged no URL" >&2; cat "$tmp/server.log" >&2; exit 1; }

json() { curl -sf "$base$1"; }
pick() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

all=$(json '/api/engagements?limit=1&facets=true')
total=$(pick 'd["facets"]["total"]' <<<"$all")
country=$(pick 'd["facets"]["countries"][min(5, len(d["facets"]["countries"])-1)]["value"]' <<<"$all")
top=$(pick 'd["facets"]["counterparts"][0]["value"]' <<<"$all")
id=$(pick 'd["engagements"][0]["id"]' <<<"$all")
official=$(pick 'd["facets"]["officials"][0]["value"]' <<<"$all")
# A rare counterpart: the last one listed for a single recent week.
week=$(json '/api/engagements?limit=1&facets=true&from=2024-03-04&to=2024-03-10')
rare=$(pick '(d["facets"]["counterparts"] or [{"value": "'"$top"'"}])[-1]["value"]' <<<"$week")
# A cursor deep in the list: after the last row of 2004-06-30 (hundreds of
# thousands of rows down a million-row timeline).
deep=$(printf '2004-06-30|500000|~' | base64 | tr '+/' '-_' | tr -d '=\n')
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "database: $db ($(du -m "$db" | cut -f1) MB, $total engagements)"
echo "server:   $bin at $base; $requests requests per URL after 1 warm-up, one at a time"
echo
printf '%-62s %6s %4s %8s %8s %8s %7s\n' "request" "status" "n" "p50 ms" "p95 ms" "max ms" "KB"

measure() {
  local path=$1
  curl -s -o /dev/null "$base$path" || true
  : >"$tmp/times"
  local status=""
  local started=$SECONDS
  for _ in $(seq 1 "$requests"); do
    curl -s -o "$tmp/body" -w '%{http_code} %{time_total}\n' "$base$path" >>"$tmp/times"
    ((SECONDS - started < max_seconds)) || break
  done
  status=$(awk '{print $1}' "$tmp/times" | sort | uniq -c | awk '{printf "%s%s", sep, $2; sep="/"}')
  local kb=$(( $(wc -c <"$tmp/body") / 1024 ))
  awk '{print $2 * 1000}' "$tmp/times" | sort -n | awk -v path="$path" -v status="$status" -v kb="$kb" '
    { t[NR] = $1 }
    END {
      p50 = t[int((NR + 1) * 0.50)]; p95 = t[int(NR * 0.95 + 0.999)]
      label = length(path) > 62 ? substr(path, 1, 59) "..." : path
      printf "%-62s %6s %4d %8.1f %8.1f %8.1f %7d\n", label, status, NR, p50, p95, t[NR], kb
    }'
}

measure "/"
measure "/?kind=call&country=$(enc "$country")"
measure "/?cursor=$deep"
measure "/api/engagements?counterpart=$(enc "$top")"
measure "/api/engagements?counterpart=$(enc "$rare")"
measure "/?counterpart=$(enc "$top")&kind=visit&status=planned"
measure "/?q=semiconductor"
measure "/?q=$(enc "semiconductor export")&country=$(enc "$country")"
measure "/engagements/$(enc "$id")"
measure "/actors/$(enc "$official")"
measure "/api/engagements?limit=500"
