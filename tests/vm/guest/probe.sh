#!/bin/sh
# Guest test (run by the VM /init): the kernel offers what vigil needs, and
# `vigild --probe` sees it.  Env: VIGILD (path of vigild), VIGIL_ENV=vm.
set -eu

VIGILD=${VIGILD:-/vigil/bin/vigild}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1: $2"
	fails=$((fails + 1))
}
# First line of a file, squeezed to one line, for a failure message.
first_line() { head -n 1 "$1" 2>/dev/null | tr -d '\r' | cut -c1-200; }

# 1. The kernel itself (no vigil involved): BPF-LSM is an active LSM.
lsm_file=/sys/kernel/security/lsm
if [ ! -r "$lsm_file" ]; then
	not_ok "securityfs lists bpf in active LSMs" "$lsm_file not readable (securityfs not mounted?)"
else
	lsms=$(cat "$lsm_file")
	case ",$lsms," in
	*,bpf,*) ok "securityfs lists bpf in active LSMs" ;;
	*) not_ok "securityfs lists bpf in active LSMs" "active LSMs are '$lsms' (kernel booted without lsm=...,bpf?)" ;;
	esac
fi

features="bpf_lsm kprobe tp_btf ringbuf"

if [ ! -x "$VIGILD" ]; then
	why="vigild not found or not executable at $VIGILD (was it built into BUILD_DIR?)"
	not_ok "vigild --probe exits 0" "$why"
	for f in $features; do not_ok "probe reports $f" "$why"; done
	exit 1
fi

# 2. The text table.
rc=0
"$VIGILD" --probe >"$tmp/probe.txt" 2>"$tmp/probe.err" || rc=$?
if [ "$rc" -eq 0 ]; then
	ok "vigild --probe exits 0"
else
	not_ok "vigild --probe exits 0" "exit $rc: $(first_line "$tmp/probe.err")"
fi
sed "s/^/# /" "$tmp/probe.txt"

# 3. The JSON object.
rc=0
"$VIGILD" --probe --json >"$tmp/probe.json" 2>"$tmp/probe.err" || rc=$?
sed 's/^/# /' "$tmp/probe.json"
if [ "$rc" -ne 0 ]; then
	why="vigild --probe --json exit $rc: $(first_line "$tmp/probe.err")"
	for f in $features; do not_ok "probe reports $f" "$why"; done
elif ! jq -e 'type == "object" and (.features | type == "object")' "$tmp/probe.json" >/dev/null 2>&1; then
	why="vigild --probe --json did not print a JSON object with .features: $(first_line "$tmp/probe.json")"
	for f in $features; do not_ok "probe reports $f" "$why"; done
else
	for f in $features; do
		if jq -e --arg f "$f" '.features[$f].available == true' "$tmp/probe.json" >/dev/null; then
			ok "probe reports $f"
		else
			reason=$(jq -r --arg f "$f" '.features[$f] // "missing from .features" |
				if type == "object" then "available=\(.available), reason: \(.reason // "none")" else . end' \
				"$tmp/probe.json")
			not_ok "probe reports $f" "$reason"
		fi
	done
fi

[ "$fails" -eq 0 ]
