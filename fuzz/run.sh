#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzz every target (or those named) for SECONDS each, JOBS at a time, at low priority:
#   fuzz/run.sh [-s SECONDS] [-j JOBS] [target...]        (make fuzz FUZZ_SECONDS=600 FUZZ_JOBS=2)
# Builds the `fuzz` preset, writes the seeds (build/fuzz/seeds), grows fuzz/corpus/<target>
# (kept between runs, git-ignored), writes findings to build/fuzz/artifacts/<target>/ and logs
# to build/fuzz/logs/<target>.log, and prints one line per target: seconds, runs, execs/s,
# coverage (cov: edges, ft: features), corpus size and findings. Exit 1 if anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
jobs=1
while getopts "s:j:" opt; do
  case $opt in
    s) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: fuzz/run.sh [-s SECONDS] [-j JOBS] [target...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

build=build/fuzz
[[ -f $build/build.ninja ]] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j 2 | grep -v '^\[' || true

all=(capture_reader decode_frame dns_name decompress memory_vs_stream lax_vs_strict compressed_vs_plain
     read_ahead export)
targets=("$@")
if [[ $# -eq 0 ]]; then targets=("${all[@]}"); fi

rm -rf "$build/seeds"
"$build/fuzz/make_seeds" data/sample.pcap "$build/seeds" >/dev/null
mkdir -p "$build/logs"

fuzz_one() {
  local t=$1
  mkdir -p "fuzz/corpus/$t" "$build/artifacts/$t"
  local start=$SECONDS
  set +e
  nice -n 19 "$build/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
    "fuzz/corpus/$t" "$build/seeds/$t" "tests/regressions/$t" >"$build/logs/$t.log" 2>&1
  local rc=$?
  set -e
  echo "$rc $((SECONDS - start))" >"$build/logs/$t.status"
}

running=0
for t in "${targets[@]}"; do
  [[ -x $build/fuzz/${t}_fuzz ]] || { echo "no such target: $t" >&2; exit 2; }
  fuzz_one "$t" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
done
wait

status=0
printf '%-18s %7s %10s %8s %6s %6s %12s %s\n' target seconds runs execs/s cov ft corpus findings
for t in "${targets[@]}"; do
  read -r rc took <"$build/logs/$t.status"
  last=$(grep -E '^#[0-9]+' "$build/logs/$t.log" | tail -1)
  runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$build/logs/$t.log")
  corpus="$(find "fuzz/corpus/$t" -type f | wc -l) files"
  found=$(find "$build/artifacts/$t" -type f | wc -l)
  printf '%-18s %7s %10s %8s %6s %6s %12s %s\n' "$t" "$took" "${runs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "$corpus" "$found (rc $rc)"
  if [[ $rc -ne 0 || $found -ne 0 ]]; then status=1; fi
done
exit $status
