#!/usr/bin/env bash
# Times logq against rg and jq on generated data and prints ratios.
#
#   benches/bench.sh [MEGABYTES]      (default 1024: a 1 GB daily file)
#
# Needs: python3, jq, ripgrep (apt-get install -y jq ripgrep). With
# HL=path/to/hl (hl 0.36.3, see ../shared/peers/README.md) the printing rows
# also time hl; without it they skip that peer.
# Builds logq in release mode. Data goes to ${BENCH_DIR:-/tmp/logq-bench}
# and is reused when its size matches. Every figure is the best of
# ${RUNS:-3} runs (jq: 1 run) of wall time; peak memory is the largest
# anonymous RSS (mapped file pages aside, see benches/measure.py).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-1024}
DIR=${BENCH_DIR:-/tmp/logq-bench}
RUNS=${RUNS:-3}
for tool in jq rg python3 zcat; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y jq ripgrep)" >&2; exit 2; }
done
cargo build --release --locked -q
LOGQ=${CARGO_TARGET_DIR:-$PWD/target}/release/logq
export LOGQ_NOW=2024-01-16T12:00:00Z TZ=UTC

if [ "$(cat "$DIR/.size" 2>/dev/null)" != "$MB" ]; then
    rm -rf "$DIR"; mkdir -p "$DIR"
    echo "generating ${MB} MB of logs in $DIR ..." >&2
    python3 benches/gen.py "$DIR" "$MB"
    gzip -c -6 "$DIR/big/app_2024-01-15.jsonl" > "$DIR/big.jsonl.gz"
    echo "$MB" > "$DIR/.size"
fi
BIG=$DIR/big/app_2024-01-15.jsonl
GZ=$DIR/big.jsonl.gz
DAYS=$DIR/days
SIZE=$(stat -c %s "$BIG")
cat "$BIG" > /dev/null  # warm the page cache

# measure RUNS CMD : best wall time (s) and peak anonymous RSS (MB).
best_t=0; best_m=0
measure() {
    read -r best_t best_m < <(python3 benches/measure.py "$1" "$2")
}

printf '%-38s %8s %7s %7s   %s\n' "query" "logq s" "MB/s" "mem MB" "peers: time (peer time / logq time), peer mem"
row() {  # row NAME BYTES LOGQ_CMD [PEER_NAME PEER_CMD PEER_RUNS]...
    local name=$1 bytes=$2 cmd=$3; shift 3
    measure "$RUNS" "$cmd"
    local lt=$best_t lm=$best_m
    local peers=""
    while [ $# -gt 0 ]; do
        measure "$3" "$2"
        peers+="$(printf '%s %.2fs (%.1fx) %sMB   ' "$1" "$best_t" "$(python3 -c "print($best_t/max($lt,0.001))")" "$best_m")"
        shift 3
    done
    printf '%-38s %8.3f %7.0f %7s   %s\n' "$name" "$lt" "$(python3 -c "print($bytes/1e6/max($lt,0.001))")" "$lm" "$peers"
}

row "-c ID" "$SIZE" "$LOGQ -c req-bench-42 $BIG" \
    rg "rg -F -c req-bench-42 $BIG" "$RUNS" \
    jq "jq -c 'select(.correlation_id==\"req-bench-42\")' $BIG" 1
row "-l error" "$SIZE" "$LOGQ -l error --count $BIG" \
    rg "rg -c '\"level\":\"(ERROR|CRITICAL)\"' $BIG" "$RUNS" \
    jq "jq -c 'select(.level==\"ERROR\" or .level==\"CRITICAL\")' $BIG | wc -l" 1
row "-m 'src.api.*'" "$SIZE" "$LOGQ -m 'src.api.*' --count $BIG" \
    rg "rg -c '\"logger_name\":\"src\\.api\\.' $BIG" "$RUNS"
row "-g 'timeout after [0-9]+'" "$SIZE" "$LOGQ -g 'timeout after [0-9]+' --count $BIG" \
    rg "rg -c 'timeout after [0-9]+' $BIG" "$RUNS"
row "-q 'extra.duration_ms > 500'" "$SIZE" "$LOGQ -q 'extra.duration_ms > 500' --count $BIG" \
    jq "jq -c 'select(.extra.duration_ms > 500)' $BIG | wc -l" 1
row "5-minute --since/--until" "$SIZE" "$LOGQ --since 2024-01-15T12:00:00Z --until 2024-01-15T12:05:00Z $BIG" \
    "scan,-g-literal" "$LOGQ -g zzz-no-such-text $BIG" "$RUNS" \
    "scan,-l=trace" "$LOGQ -l =trace $BIG" "$RUNS"
row "stats --by level" "$SIZE" "$LOGQ stats --by level $BIG" \
    "jq|sort|uniq" "jq -r .level $BIG | sort | uniq -c" 1
row "-l error on gzip copy" "$SIZE" "$LOGQ -l error --count $GZ" \
    zcat "zcat $GZ" "$RUNS" \
    "zcat|rg" "zcat $GZ | rg -c '\"level\":\"(ERROR|CRITICAL)\"'" "$RUNS"
DAYS_SIZE=$(du -cb "$DAYS"/*.gz | tail -1 | cut -f1)
row "30 gz days --count --since yesterday" "$DAYS_SIZE" "$LOGQ --count --since yesterday $DAYS" \
    "zcat all" "zcat $DAYS/*.gz" "$RUNS"
row "30 gz days --count -l error" "$DAYS_SIZE" "$LOGQ --count -l error $DAYS" \
    "zcat all|rg" "zcat $DAYS/*.gz | rg -c '\"level\":\"(ERROR|CRITICAL)\"'" "$RUNS"
# Printing everything (issue 11): formatted in the scan workers.
HL=${HL:-}
hl_peer=()
if [ -n "$HL" ] && [ -x "$HL" ]; then
    hl_peer=("hl-c-P" "$HL -c -P $BIG" "$RUNS")
elif [ -n "$HL" ]; then
    echo "bench: HL=$HL is not executable; hl rows skipped" >&2
fi
row "-o pretty --color always" "$SIZE" "$LOGQ -o pretty --color always $BIG" "${hl_peer[@]}"
row "-o pretty --color always -j 1" "$SIZE" "$LOGQ -j 1 -o pretty --color always $BIG"
row "-o json" "$SIZE" "$LOGQ -o json $BIG"
row "-o logfmt" "$SIZE" "$LOGQ -o logfmt $BIG"
row "-o raw" "$SIZE" "$LOGQ -o raw $BIG"
echo "(MB/s of the compressed size for gzip rows; speed-up = peer time / logq time)"
