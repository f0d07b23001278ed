#!/usr/bin/env bash
# Import throughput through the real command line: a fresh database, every
# document of a folder, then the same folder again (unchanged: nothing to do).
#
#   scripts/bench_import.sh [CORPUS_DIR]
#   scripts/bench_import.sh --generate N [--seed S]
#
# CORPUS_DIR defaults to ../shared/corpus/whitehouse-2021-2022 (3,364 White
# House releases; never committed, never needed by the tests). `--generate N`
# writes N seeded documents in the four shapes with `examples/gen_corpus.rs`
# instead, imports them, and scores the result against their gold file
# (engagements/s counts the engagements in the database). Uses the
# release binary (built if missing or stale), or READOUT_BIN and GEN_BIN
# when set (CI passes the debug builds `cargo test` made). MIN_RECALL=0.9
# makes the script fail when the scored recall is lower. The database goes
# to a temp dir that is removed afterwards unless KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/readout-import-bench.XXXXXX")
if [[ ${KEEP_DB:-0} != 1 ]]; then trap 'rm -rf "$tmp"' EXIT; fi

generate=0
seed=1
if [[ ${1:-} == --generate ]]; then
  generate=${2:?--generate needs a number of documents}
  [[ ${3:-} == --seed ]] && seed=${4:?--seed needs a number}
  gen=${GEN_BIN:-target/release/examples/gen_corpus}
  if [[ -z ${GEN_BIN:-} ]]; then cargo build --release --quiet --example gen_corpus; fi
  corpus=$tmp/corpus
  "$gen" --out "$corpus" --documents "$generate" --seed "$seed"
else
  corpus=${1:-../shared/corpus/whitehouse-2021-2022}
fi
if [[ ! -d $corpus ]]; then
  echo "no corpus at $corpus (pass a folder of *.txt / *.md documents)" >&2
  exit 2
fi
bin=${READOUT_BIN:-target/release/readout}
if [[ -z ${READOUT_BIN:-} ]]; then cargo build --release --quiet --bin readout; fi
docs=$(find "$corpus" -type f \( -name '*.txt' -o -name '*.md' \) | wc -l)
mb=$(du -sm "$corpus" | cut -f1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "corpus:  $corpus ($docs documents, ${mb} MB)"
echo "load:    $(uptime | sed 's/.*load average/load average/')"

run() { # label, then the command; prints wall seconds and peak memory
  local label=$1; shift
  local status=0
  [[ -x /usr/bin/time ]] || { echo "no /usr/bin/time: apt-get install -y time" >&2; exit 2; }
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/$label.log" 2>"$tmp/$label.err" || status=$?
  read -r secs kb <"$tmp/time"
  local summary engagements
  summary=$(grep -E '^imported [0-9]+' "$tmp/$label.log" | tail -1 || true)
  engagements=$(sed -nE 's/.* ([0-9]+) engagements in the database.*/\1/p' <<<"$summary")
  printf '%-10s %7.1f s  %8.1f documents/s  %9.0f engagements/s  %5d MB peak RSS  exit %d\n    %s\n' \
    "$label" "$secs" "$(awk -v d="$docs" -v s="$secs" 'BEGIN { print (s > 0 ? d / s : 0) }')" \
    "$(awk -v d="${engagements:-0}" -v s="$secs" 'BEGIN { print (s > 0 ? d / s : 0) }')" \
    "$((kb / 1024))" "$status" "$summary"
  ((status == 0)) || exit_status=1
  local failed
  failed=$(grep -c 'FAILED' "$tmp/$label.log" || true)
  if [[ $failed -gt 0 ]]; then
    echo "    $failed documents FAILED, e.g.:"
    grep 'FAILED' "$tmp/$label.log" | head -3 | sed 's/^/      /'
  fi
}

exit_status=0
run import "$bin" import --db "$tmp/wh.db" "$corpus"
run reimport "$bin" import --db "$tmp/wh.db" "$corpus"
echo "database: $(du -m "$tmp/wh.db" | cut -f1) MB, write-ahead log: $(du -m "$tmp/wh.db-wal" 2>/dev/null | cut -f1 || echo 0) MB"
if [[ $generate -gt 0 ]]; then
  "$bin" export --db "$tmp/wh.db" >"$tmp/out.json"
  scorer=${SCORER:-../shared/eval/score.py}
  if [[ -f $scorer ]]; then
    python3 "$scorer" "$corpus.gold.json" "$tmp/out.json" >"$tmp/score.txt"
    grep -E '^(gold|precision|on matched|merged)' "$tmp/score.txt" || true
    recall=$(sed -nE 's/.*recall ([0-9.]+).*/\1/p' "$tmp/score.txt" | head -1)
  else
    # No scorer beside the repository (a fresh clone): count matches by
    # (date, kind, U.S. surname, counterpart surname) instead.
    recall=$(python3 - "$corpus.gold.json" "$tmp/out.json" <<'PY'
import json, sys
gold = json.load(open(sys.argv[1]))["engagements"]
out = json.load(open(sys.argv[2]))["engagements"]
def last(p): return p["slug"].split("-")[-1]
found = {(e["date"], e["kind"], last(p), last(q))
         for e in out for p in e["participants"] if p["side"] == "us"
         for q in e["participants"] if q["side"] == "counterpart"}
hits = sum((g["date"], g["kind"], g["us"][0], g["counterparts"][0]) in found for g in gold)
print(f"{hits / max(1, len(gold)):.3f}")
PY
)
    echo "recall $recall (date, kind and surnames; no scorer at $scorer)"
  fi
  if [[ -n ${MIN_RECALL:-} ]] && ! awk -v r="$recall" -v m="$MIN_RECALL" 'BEGIN { exit !(r >= m) }'; then
    echo "recall $recall is below MIN_RECALL=$MIN_RECALL" >&2
    exit 1
  fi
fi
if [[ ${KEEP_DB:-0} == 1 ]]; then echo "kept: $tmp/wh.db"; fi
exit $exit_status
