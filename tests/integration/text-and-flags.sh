#!/bin/sh
# Every line vigild writes is valid UTF-8 (invalid bytes become U+FFFD, a
# character the kernel cut in half is dropped), compact output never passes
# terminal controls, and flags that cannot work are refused at start.
set -u
. "$(dirname "$0")/common.inc"

U8="$VIGIL_TEST_BIN/utf8check"
EV="$T/events.json"
E2000=$(i=0; while [ $i -lt 2000 ]; do printf '\303\251'; i=$((i + 1)); done)

start_vigild --export-filename "$EV" --output compact || { finish; exit 1; }
/bin/true "$(printf 'vigil-u8-ff\377end')"
/bin/true "$E2000"
/bin/true "$(printf 'vigil-u8-c1\302\233[31m\302\235x')"
/bin/true "$(printf 'vigil-u8-raw\233[31m')"
/bin/true "$(printf 'vigil-u8-bidi\342\200\256txt.exe')"
/bin/true vigil-u8-plain-é
stop_vigild

if "$U8" "$EV" "$T/stdout" >"$T/u8.out"; then
	ok "every JSON and compact line is valid UTF-8"
else
	not_ok "every JSON and compact line is valid UTF-8" "$(cat "$T/u8.out")"
fi
check "an invalid byte in an argument becomes U+FFFD" \
	'map(select(.process_exec.process.arguments | startswith("vigil-u8-ff")?))[0].process_exec.process.arguments == "vigil-u8-ff\ufffdend"' "$EV"
check "an argument cut by the kernel inside a character ends with a whole character" \
	'map(select(.process_exec.process.arguments | startswith("éé")?))[0].process_exec.process | (.arguments | length == 506 and endswith("é")) and (.flags | test("truncArgs"))' "$EV"
# shellcheck disable=SC2016 # the patterns are literal
# (a raw 0x9b is no UTF-8 at all: it became U+FFFD on its way into the cache)
for pat in 'vigil-u8-c1\\u{9b}\[31m\\u{9d}x' "vigil-u8-raw$(printf '\357\277\275')\\[31m" \
	'vigil-u8-bidi\\u{202e}txt.exe'; do
	if grep -q "$pat" "$T/stdout"; then
		ok "compact output escapes $pat"
	else
		not_ok "compact output escapes $pat" "no such line in: $(grep vigil-u8 "$T/stdout" | head -c 1500)"
	fi
done
if grep -q "$(printf '\302\233\|\302\235\|\233\|\342\200\256')" "$T/stdout"; then
	not_ok "compact output holds no raw C1 or bidi control" "found one in $T/stdout"
else
	ok "compact output holds no raw C1 or bidi control"
fi
if grep -q 'vigil-u8-plain-é$' "$T/stdout"; then
	ok "compact output keeps printable UTF-8 as it is"
else
	not_ok "compact output keeps printable UTF-8 as it is" "$(grep plain "$T/stdout")"
fi

# refused NAME MESSAGE_PATTERN ARGS...: vigild exits 2 at once, saying why
refused() {
	name=$1
	pat=$2
	shift 2
	"$VIGILD" "$@" >/dev/null 2>"$T/refused"
	rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$pat" "$T/refused"; then
		ok "$name"
	else
		not_ok "$name" "exit $rc, stderr: $(head -c 500 "$T/refused")"
	fi
}
LONG=$(i=0; while [ $i -lt 200 ]; do printf 'é'; i=$((i + 1)); done)
refused "a node name over 255 bytes is refused" "at most 255" --node-name "$LONG"
refused "a node name that is not UTF-8 is refused" "not valid UTF-8" --node-name "$(printf 'n\377')"
refused "a ring buffer smaller than the largest event is refused, naming the minimum" \
	"the minimum is 32768" --rb-size 16384
refused "--output none without an export file is refused" "nowhere" --output none
if "$VIGILD" --help >"$T/help" && grep -q -- '--rb-size BYTES .*default 4 MiB\|default 4 MiB' "$T/help" &&
	grep -q -- '--export-filename PATH  *append JSON events' "$T/help" &&
	[ "$(grep -c -- '^  --' "$T/help")" -ge 14 ]; then
	ok "--help says what each flag does and its default"
else
	not_ok "--help says what each flag does and its default" "$(head -c 600 "$T/help")"
fi
finish
