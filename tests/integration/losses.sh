#!/bin/sh
# Ring-buffer losses are counted and reported, never silent: with a small
# ring buffer and vigild stopped, an exec burst overflows it.  Every exec
# must then be either delivered or counted as lost, and vigild must say so
# on stderr and in its stats file.
set -u
. "$(dirname "$0")/common.inc"

EV="$T/events.json"
N=300
start_vigild --export-filename "$EV" --rb-size 32768 || { finish; exit 1; }
kill -STOP "$VPID"
i=0
while [ $i -lt $N ]; do
	/bin/true vigil-loss-marker
	i=$((i + 1))
done
kill -CONT "$VPID"
stop_vigild

delivered=$(jq -s '[.[] | select(.process_exec.process.arguments == "vigil-loss-marker")] | length' "$EV")
lost=$(jq '.lost.exec' "$T/stats.json")
if [ "$delivered" -lt "$N" ] && [ "$lost" -gt 0 ]; then
	ok "a burst larger than the ring buffer loses exec events ($delivered delivered, $lost lost)"
else
	not_ok "a burst larger than the ring buffer loses exec events" "delivered $delivered of $N, lost $lost"
fi
if [ $((delivered + lost)) -ge "$N" ]; then
	ok "every exec is either delivered or counted as lost"
else
	not_ok "every exec is either delivered or counted as lost" "delivered $delivered + lost $lost < $N"
fi
if grep -q "ring buffer full: [0-9]* events lost" "$T/stderr"; then
	ok "vigild reports the loss on stderr"
else
	not_ok "vigild reports the loss on stderr" "stderr: $(head -c 1000 "$T/stderr")"
fi
check "the stats file totals the losses" \
	'.[0] | .ringbuf_lost == (.lost.exec + .lost.clone + .lost.exit) and .ringbuf_lost > 0' "$T/stats.json"
if "$VIGILD" --rb-size 12345 --output none 2>"$T/bad"; then
	not_ok "--rb-size rejects a size that is not a power of two" "vigild accepted 12345"
elif grep -q "rb-size" "$T/bad"; then
	ok "--rb-size rejects a size that is not a power of two"
else
	not_ok "--rb-size rejects a size that is not a power of two" "message: $(cat "$T/bad")"
fi
finish
