#!/usr/bin/env bash
# The sidecar index on a month of logs (issue 14): times queries with and
# without `logq index`, checks they answer the same, prints ratios against
# the issue's targets.
#
#   benches/month.sh [MEGABYTES_PER_DAY] [DAYS]     (default 1000 30)
#
# Data: ${MONTH_DIR:-/tmp/logq-month}, DAYS daily files (all but the last two
# gzip -6), made by benches/gen_month.py and reused when their size
# matches; indexes in $MONTH_DIR.cache. Every time is the best of ${RUNS:-3}
# runs (benches/measure.py). Needs python3 and gzip; builds logq in release
# mode. A 1000 MB month takes about 30 minutes to generate on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-1000}
DAYS=${2:-30}
DIR=${MONTH_DIR:-/tmp/logq-month}
CACHE=$DIR.cache
SIZES=$DIR.sizes
RUNS=${RUNS:-3}
cargo build --release --locked -q
LOGQ=${CARGO_TARGET_DIR:-$PWD/target}/release/logq
export TZ=UTC LOGQ_CACHE_DIR=$CACHE

if [ "$(cat "$DIR/.size" 2>/dev/null)" != "$MB x $DAYS" ]; then
    rm -rf "$DIR" "$CACHE" "$SIZES"; mkdir -p "$DIR" "$SIZES"
    echo "generating $DAYS days of ${MB} MB in $DIR ..." >&2
    for d in $(seq 0 $((DAYS - 1))); do echo "$d"; done |
        xargs -P 2 -I{} sh -c '
            day=$(python3 benches/gen_month.py --name {})
            f='"$DIR"'/app_$day.jsonl
            size='"$SIZES"'/$day
            if [ {} -lt '"$((DAYS - 2))"' ]; then
                python3 benches/gen_month.py {} '"$MB"' > "$f.tmp"
                wc -c < "$f.tmp" > "$size"
                gzip -6 -c "$f.tmp" > "$f.gz"; rm "$f.tmp"
            else
                python3 benches/gen_month.py {} '"$MB"' > "$f"; wc -c < "$f" > "$size"
            fi'
    # Finished files (a file modified in the last 30 s counts as live).
    touch -d '1 hour ago' "$DIR"/*.jsonl*
    echo "$MB x $DAYS" > "$DIR/.size"
fi
TEXT=$(python3 -c "import glob; print(sum(int(open(f).read()) for f in glob.glob('$SIZES/*')))")
MID=$(python3 benches/gen_month.py --name $((DAYS / 2)))
# The second rare request of the middle day (a day holds one per 65,000
# records: about 55 at 1000 MB).
ID=req-rare-${MID:8:2}${MID:5:2}-1
MID_GZ=$DIR/app_$MID.jsonl.gz
cat "$DIR"/*.jsonl* > /dev/null   # warm the page cache

best_t=0
measure() {  # measure CMD: the best wall time of RUNS runs, in best_t
    read -r best_t _ < <(python3 benches/measure.py "$RUNS" "$1")
}
ratio() { python3 -c "print(f'{$1/max($2,1e-6):.4g}')"; }
same() {  # same CMD: CMD prints the same with and without the index
    if ! cmp -s <(eval "$1") <(eval "$1 --no-index"); then
        echo "month: '$1' answers differently with the index" >&2
        exit 1
    fi
}

rm -rf "$CACHE"
measure "$LOGQ stats $DIR"; stats=$best_t
RUNS=1 measure "$LOGQ index $DIR >/dev/null"; build=$best_t
index_bytes=$(du -sb "$CACHE" | cut -f1)
same "$LOGQ trace $ID $DIR -o raw"
same "$LOGQ -c $ID --count $DIR"
same "$LOGQ --since ${MID}T12:00:00Z --until ${MID}T12:05:00Z $MID_GZ -o raw"
measure "$LOGQ trace $ID $DIR -o raw"; trace=$best_t
measure "$LOGQ trace $ID $DIR -o raw --no-index"; trace_full=$best_t
measure "$LOGQ -c $ID --count $DIR"; cid=$best_t
measure "$LOGQ -c $ID --count $DIR --no-index"; cid_full=$best_t
measure "$LOGQ --since ${MID}T12:00:00Z --until ${MID}T12:05:00Z $MID_GZ -o raw > /dev/null"; window=$best_t
measure "gzip -dc $MID_GZ > /dev/null"; gunzip=$best_t

echo "month: $DAYS days, $(python3 -c "print(f'{$TEXT/1e9:.2f}')") GB of text; id $ID; best of $RUNS"
printf '%-44s %-28s %s\n' "target" "measured" "ratio"
printf '%-44s %-28s %s\n' "trace ID: < 1/50 of without, < 2 s" "$trace s vs $trace_full s" "1/$(ratio "$trace_full" "$trace")"
printf '%-44s %-28s %s\n' "-c ID --count: < 1/50 of without" "$cid s vs $cid_full s" "1/$(ratio "$cid_full" "$cid")"
printf '%-44s %-28s %s\n' "index size: < 1% of the text" "$index_bytes B of $TEXT B" "$(python3 -c "print(f'{100*$index_bytes/$TEXT:.3f}%')")"
printf '%-44s %-28s %s\n' "index build: <= 1.2x logq stats" "$build s vs $stats s" "$(ratio "$build" "$stats")x"
printf '%-44s %-28s %s\n' "5-min window of a gzip day: < 1/10 of gzip -dc" "$window s vs $gunzip s" "1/$(ratio "$gunzip" "$window")"
