#!/usr/bin/env bash
# Import throughput through the real command line: a fresh database, every
# document of a folder, then the same folder again (unchanged: nothing to do).
#
#   scripts/bench_import.sh [CORPUS_DIR]
#
# CORPUS_DIR defaults to ../shared/corpus/whitehouse-2021-2022 (3,364 White
# House releases; never committed, never needed by the tests). Uses the
# release binary (built if missing or stale). The database goes to a temp
# dir that is removed afterwards unless KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-../shared/corpus/whitehouse-2021-2022}
if [[ ! -d $corpus ]]; then
  echo "no corpus at $corpus (pass a folder of *.txt / *.md documents)" >&2
  exit 2
fi
cargo build --release --quiet --bin readout
bin=target/release/readout

tmp=$(mktemp -d "${TMPDIR:-/tmp}/readout-import-bench.XXXXXX")
if [[ ${KEEP_DB:-0} != 1 ]]; then trap 'rm -rf "$tmp"' EXIT; fi
docs=$(find "$corpus" -type f \( -name '*.txt' -o -name '*.md' \) | wc -l)
mb=$(du -sm "$corpus" | cut -f1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "corpus:  $corpus ($docs documents, ${mb} MB)"

run() { # label, then the command; prints wall seconds and peak memory
  local label=$1; shift
  local status=0
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/$label.log" 2>"$tmp/$label.err" || status=$?
  read -r secs kb <"$tmp/time"
  local summary
  summary=$(grep -E '^imported [0-9]+' "$tmp/$label.log" | tail -1 || true)
  printf '%-10s %7.1f s  %8.1f documents/s  %5d MB peak RSS  exit %d\n    %s\n' \
    "$label" "$secs" "$(awk -v d="$docs" -v s="$secs" 'BEGIN { print (s > 0 ? d / s : 0) }')" "$((kb / 1024))" "$status" "$summary"
  local failed
  failed=$(grep -c 'FAILED' "$tmp/$label.log" || true)
  if [[ $failed -gt 0 ]]; then
    echo "    $failed documents FAILED, e.g.:"
    grep 'FAILED' "$tmp/$label.log" | head -3 | sed 's/^/      /'
  fi
}

run import "$bin" import --db "$tmp/wh.db" "$corpus"
run reimport "$bin" import --db "$tmp/wh.db" "$corpus"
echo "database: $(du -m "$tmp/wh.db" | cut -f1) MB"
if [[ ${KEEP_DB:-0} == 1 ]]; then echo "kept: $tmp/wh.db"; fi
