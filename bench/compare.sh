#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Measure pcapframe against its peers, side by side, and write docs/BENCHMARKS.md.
#
#   bench/compare.sh             # (or `make bench`) the full run: about 3 minutes
#   ROUNDS=1 RUNS=3 CSV_PACKETS=200000 bench/compare.sh   # about 1 minute, noisier
#
# Whole processes on generated captures (bench/out/, git-ignored) that sit in the page cache:
#   table  pcapframe_bench_table (read_table into a PacketTable) vs `cat FILE`, on one core
#   info   `pcapframe info` vs `capinfos` with the statistics both compute, no file hashes
#   csv    `pcapframe packets --format csv` vs `tshark -T fields`, the same columns
#   memory peak RSS of `pcapframe info` on two capture sizes
# Each figure is a ratio to a peer measured in the same run, so a busy machine shifts both
# sides; the load average before and after is recorded with the results.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/bench}
OUT=bench/out
RESULTS=$OUT/results
PACKETS=${PACKETS:-2000000}          # main input
MEAN_SIZE=${MEAN_SIZE:-550}          # its average frame length (the issue's ~550 bytes)
CSV_PACKETS=${CSV_PACKETS:-$PACKETS}  # the CSV comparison's input (tshark: ~30 s per 2M)
MEMORY_SIZES=${MEMORY_SIZES:-"1000000 4000000"}
ROUNDS=${ROUNDS:-3}             # hyperfine rounds per comparison
RUNS=${RUNS:-5}                 # runs per command and round
TSHARK_RUNS=${TSHARK_RUNS:-1}   # tshark runs per round, without warm-up
CSV_COLUMNS=time,ip_src,ip_dst,port_src,port_dst,protocol,length,dns_query
# tshark's fields for those columns: IPv4 and IPv6 addresses, TCP and UDP ports and the IP
# protocol number are separate fields there.
TSHARK_FIELDS=(-e frame.time_epoch -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst
               -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport
               -e ip.proto -e ipv6.nxt -e frame.len -e dns.qry.name)
# capinfos: packets, file size, data size, duration, first/last time, byte and bit rate,
# average size and packet rate; no -H (SHA256/RIPEMD160/SHA1 of the file).
CAPINFOS_FLAGS=(-c -s -d -u -a -e -y -i -z -x)

# On a shared machine, ask for the CPU ahead of other work when allowed (root): every command
# of every comparison runs at this same priority.
if renice -n -10 -p $$ >/dev/null 2>&1; then PRIORITY="nice -10"; else PRIORITY="default"; fi

for tool in hyperfine capinfos tshark python3 /usr/bin/time cmake ninja lscpu taskset; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (make deps)" >&2; exit 1; }
done

echo "== build (Release) in $BUILD"
if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPCAPFRAME_WERROR=ON \
    -DPCAPFRAME_BUILD_TESTS=OFF -DPCAPFRAME_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$BUILD" --target pcapframe_cli pcapframe_bench_table pcapframe_micro_io \
  pcapframe_micro_decode pcapframe_micro_table pcapframe_micro_analysis | grep -v '^\[' || true
PF=$BUILD/src/pcapframe
TABLE=$BUILD/bench/pcapframe_bench_table

echo "== inputs in $OUT"
mkdir -p "$OUT" "$RESULTS"
rm -f "$RESULTS"/*
# make_input NAME ARGS...: write $OUT/NAME.pcap afresh, every run. How the file got into the
# page cache matters: a file just written is read here at ~22 GB/s, the same file re-read
# after the kernel dropped its pages at ~8 GB/s (smaller page-cache folios), and that moves
# every ratio to `cat`. Writing it anew gives each run the same, fastest starting point.
make_input() {
  local file=$OUT/$1.pcap
  shift
  grep -q "^$file:" "$RESULTS/inputs.txt" 2>/dev/null && return
  python3 bench/make_capture.py -o "$file" "$@" | tee -a "$RESULTS/inputs.txt"
}
MAIN=$OUT/mix${MEAN_SIZE}-${PACKETS}.pcap
SAMPLE_MIX=$OUT/sample-${PACKETS}.pcap
CSV_INPUT=$OUT/mix${MEAN_SIZE}-${CSV_PACKETS}.pcap
make_input "mix${MEAN_SIZE}-${PACKETS}" --packets "$PACKETS" --mean-size "$MEAN_SIZE"
make_input "sample-${PACKETS}" --packets "$PACKETS"
make_input "mix${MEAN_SIZE}-${CSV_PACKETS}" --packets "$CSV_PACKETS" --mean-size "$MEAN_SIZE"
for n in $MEMORY_SIZES; do make_input "mix${MEAN_SIZE}-$n" --packets "$n" --mean-size "$MEAN_SIZE"; done
sync  # written back now, not in the middle of a measurement

# Warm the page cache: every run below reads from memory.
warm() { for f in "$@"; do cat "$f" >/dev/null; done; }
warm "$MAIN" "$SAMPLE_MIX" "$CSV_INPUT"

uptime >"$RESULTS/load-before.txt"
# hf NAME RUNS COMMAND [RUNS COMMAND]...: ROUNDS rounds; in each, every COMMAND runs RUNS
# times (after one warm-up run when RUNS > 1), results in $RESULTS/NAME.rROUND.cINDEX.json.
# Rounds interleave the commands, so a burst of load from elsewhere lands on both sides of a
# ratio; report.py shows the ratio of each round.
hf() {
  local name=$1
  shift
  for ((round = 1; round <= ROUNDS; round++)); do
    echo "== $name (round $round of $ROUNDS)"
    local index=0 args=("$@")
    while ((index * 2 < ${#args[@]})); do
      local runs=${args[index * 2]} command=${args[index * 2 + 1]}
      hyperfine -N --style basic --warmup $((runs > 1 ? 1 : 0)) --runs "$runs" \
        --export-json "$RESULTS/$name.r$round.c$index.json" "$command" 2>&1 |
        grep -E '^(Benchmark|  Time)'
      index=$((index + 1))
    done
  done
}

# The table target is for one core: the reader's read-ahead thread shares it (taskset).
# The same build on every core the machine has is measured too.
ONE_CORE="taskset -c 0"
hf table "$RUNS" "$ONE_CORE cat $MAIN" "$RUNS" "$ONE_CORE $TABLE $MAIN" \
  "$RUNS" "$ONE_CORE $TABLE $MAIN --columns lab" "$RUNS" "$TABLE $MAIN"
hf table_sample "$RUNS" "$ONE_CORE cat $SAMPLE_MIX" "$RUNS" "$ONE_CORE $TABLE $SAMPLE_MIX"
hf info "$RUNS" "$PF info $MAIN" "$RUNS" "capinfos ${CAPINFOS_FLAGS[*]} $MAIN"
hf csv "$RUNS" "$PF packets $CSV_INPUT --format csv --columns $CSV_COLUMNS" \
  "$TSHARK_RUNS" "tshark -n -r $CSV_INPUT -T fields -E separator=, ${TSHARK_FIELDS[*]}"
if [[ $CSV_INPUT != "$MAIN" ]]; then
  hf csv_large "$RUNS" "$PF packets $MAIN --format csv --columns $CSV_COLUMNS"
fi

echo "== peak memory of pcapframe info"
for n in $MEMORY_SIZES; do
  f=$OUT/mix${MEAN_SIZE}-$n.pcap
  warm "$f"
  for run in 1 2 3 4 5; do
    /usr/bin/time -f "$n %M" -a -o "$RESULTS/memory.txt" "$PF" info "$f" >/dev/null
    /usr/bin/time -f "$n %M" -a -o "$RESULTS/memory-capinfos.txt" capinfos "${CAPINFOS_FLAGS[@]}" "$f" >/dev/null
  done
done
cat "$RESULTS/memory.txt"

echo "== micro-benchmarks (bench/micro)"
for stage in io decode table analysis; do
  "$BUILD/bench/pcapframe_micro_$stage" --benchmark_min_time=0.3 --benchmark_format=json \
    --benchmark_out="$RESULTS/micro-$stage.json" --benchmark_out_format=json >/dev/null
done
uptime >"$RESULTS/load-after.txt"

# Packets per input, from pcapframe itself, for the packets/s figures.
for f in "$MAIN" "$SAMPLE_MIX" "$CSV_INPUT"; do
  echo "$(basename "$f") $("$PF" info --json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["packets"])') $(stat -c %s "$f")"
done >"$RESULTS/packets.txt"

{
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1) (family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p'); L2 $(lscpu | sed -n 's/^L2 cache: *//p'), L3 $(lscpu | sed -n 's/^L3 cache: *//p')$(lscpu | sed -n 's/^Hypervisor vendor: */; a /p' | sed 's/$/ guest/'))"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "compiler=$("$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")" --version | head -1)"
  echo "build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")"
  echo "hyperfine=$(hyperfine --version)"
  echo "capinfos=$(capinfos --version | head -1)"
  echo "tshark=$(tshark --version | head -1)"
  echo "cat=$(cat --version | head -1)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' (with uncommitted changes in src/ or include/)')"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "csv_columns=$CSV_COLUMNS"
  echo "tshark_fields=${TSHARK_FIELDS[*]}"
  echo "capinfos_flags=${CAPINFOS_FLAGS[*]}"
  echo "runs=$RUNS"
  echo "rounds=$ROUNDS"
  echo "priority=$PRIORITY"
  echo "tshark_runs=$TSHARK_RUNS"
} >"$RESULTS/machine.txt"

python3 bench/report.py "$RESULTS" docs/BENCHMARKS.md
echo "== wrote docs/BENCHMARKS.md"
sed -n '/^## Results/,/^## Machine/p' docs/BENCHMARKS.md | head -n -1
